/*
 * access (AArch64): let the CPU decide thousands of permission cases and record each
 * in the debug region, so that the tools' permission logic can be compared with the
 * CPU's (tests/integration/access-aarch64.sh). The x86-64 counterpart is access.c.
 *
 * Each case is one mapping (the entries at every level of one path), one control
 * state (SCTLR_EL1.WXN, PSTATE.PAN) and one access: a load, store or instruction
 * fetch from EL1 or EL0, or an unprivileged load or store (LDTR, STTR) from EL1. The
 * kernel sets the leaf's and its parent's bits, invalidates the TLB for the address,
 * performs the access and records whether it completed or which abort it raised
 * (ESR_EL1, FAR_EL1).
 *
 * The cases run in TTBR0 under a root of their own, built with the page-table module
 * in the kernel's geometry (granule and input size from the command line): one
 * region per leaf level (pages, and each block size the granule has), a user stub
 * (code and stack) for the EL0 accesses, and a gallery. Regions are far enough apart
 * that the entry above each leaf is the case's alone. Interrupts are off throughout.
 *
 * Case sets, for every leaf level:
 *  A  AP[2:1], PXN, UXN of the leaf under APTable, PXNTable, UXNTable of the entry
 *     above it (all sixteen for pages, each bit alone for blocks), the kernel's
 *     control state (WXN on, PAN on where the CPU has it);
 *  B  the same leaves with AF clear (access flag faults), under a permissive parent
 *     and, for pages, one that denies EL0;
 *  C  pages: every leaf (AF set and clear) under the other three WXN/PAN states
 *     (those with PAN skipped and counted when ID_AA64MMFR1_EL1 has no PAN);
 *  D  pages under TCR_EL1.HA, HD and both (AP[2:1], AF, DBM: hardware access flag
 *     and dirty state), and under TCR_EL1.HPD0 with table bits that it must make
 *     void (each skipped and counted when ID_AA64MMFR1_EL1 lacks the feature);
 *  E  every leaf level: the leaf invalid, the entry above it invalid, a block type at
 *     level 3, an output-address bit above TCR.IPS (translation and address size
 *     faults at their levels; the last skipped and counted with IPS at 48 bits).
 * Afterwards the scratch root stays in TTBR0, and the gallery maps the 32 page leaves
 * of set C under permissive tables, so that the cases run in the kernel's own state
 * can be asked of `ptdump walk` (live_va).
 */
#include "arch/aarch64/cpu.h"
#include "arch/aarch64/trap.h"
#include "debug/panic.h"
#include "debug/region.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/kspace.h"
#include "mm/layout.h"
#include "mm/pt.h"
#include "mm/pt_format.h"
#include "mm/pte.h"
#include "ptdbg/abi.h"
#include "scenarios/scenario.h"

#define MAX_CASES 6000
#define RET_INSN  0xd65f03c0u
#define TABLE_ATTRS (ARM64_TABLE_PXN | ARM64_TABLE_UXN | ARM64_TABLE_AP_MASK)

/* Operations of access.S. */
enum op { OP_LOAD = 0, OP_STORE = 1, OP_FETCH = 2, OP_LDTR = 3, OP_STTR = 4 };

/* The eight accesses of a case: operation and exception level. */
static const struct { unsigned op; int el0; } accesses[8] = {
	{ OP_LOAD, 0 }, { OP_STORE, 0 }, { OP_FETCH, 0 },
	{ OP_LOAD, 1 }, { OP_STORE, 1 }, { OP_FETCH, 1 },
	{ OP_LDTR, 0 }, { OP_STTR, 0 },
};

/* One case to run (without its access). */
struct spec {
	unsigned level;    /* leaf level (pt.h numbering: 1 pages) */
	uint64_t leaf;     /* AP, PXN, UXN, AF of the leaf */
	uint64_t upper;    /* APTable, PXNTable, UXNTable of the entry above */
	int wxn, pan;
	uint64_t tcr;      /* TCR_EL1.HA, HD, HPD0 to set */
	unsigned raw;      /* enum raw: a descriptor the page-table module never writes */
	unsigned oa_bit;   /* RAW_OA_BIT: the output-address bit set */
};

/* Descriptors written around the page-table module for one access, then put back. */
enum raw {
	RAW_NONE = 0,
	RAW_LEAF_INVALID,   /* the leaf with bit 0 clear */
	RAW_UPPER_INVALID,  /* the entry above it with bit 0 clear */
	RAW_BLOCK_AT_PAGE,  /* a page descriptor with the block type (01) at level 3 */
	RAW_OA_BIT,         /* the leaf with an output-address bit at or above TCR.IPS */
};

static struct ptdbg_access_case cases[MAX_CASES];
static unsigned ncases, nskipped;

static struct pt_space sc;            /* the cases' space (TTBR0) */
static uint64_t gpage;                /* the granule */
static uint64_t region_va[6];         /* region_va[l]: the region of leaves at level l */
static unsigned leaf_levels[6], nleaf;
static uint64_t stub_va, gallery_va, target_pa;
static uint64_t base_sctlr, base_tcr, mmfr0;
static int base_pan, pan_now;

/* The trap hook's state for the case in flight. */
static volatile int faulted;
static volatile uint64_t f_esr, f_far;
static uint64_t fetch_target, back_spsr;

/* access.S */
void access_kernel(uint64_t op, uint64_t addr);
void access_user(uint64_t pc, uint64_t sp, uint64_t op, uint64_t addr, uint64_t spsr);
extern char access_kload_insn[], access_kstore_insn[], access_kldtr_insn[], access_ksttr_insn[];
extern char access_kfixup[], access_user_back[], access_ustub[], access_ustub_end[];

/* A zeroed granule of kernel memory (physical address). */
static uint64_t new_granule(void)
{
	uint64_t pa = frame_alloc_contig(gpage >> PAGE_SHIFT, gpage, PTDBG_FRAME_KHEAP, OWNER_KERNEL);
	if (!pa)
		panic("access: out of frames");
	memset(phys_to_virt(pa), 0, gpage);
	return pa;
}

/* The address a case with a leaf at level accesses: the target's offset in its
 * leaf, so that blocks reach it too. */
static uint64_t case_va(unsigned level)
{
	return region_va[level] + (target_pa & (pt_level_size(&sc, (int)level) - 1));
}

/* Leaf attributes from n: AP[2:1] bits 1:0, PXN bit 2, UXN bit 3, AF clear bit 4. */
static uint64_t leaf_bits(unsigned n)
{
	return ((uint64_t)(n & 3) << 6) | (n & 4 ? ARM64_DESC_PXN : 0) | (n & 8 ? ARM64_DESC_UXN : 0) |
	       (n & 16 ? 0 : ARM64_DESC_AF);
}

/* Table attributes from m: APTable bits 1:0, PXNTable bit 2, UXNTable bit 3. */
static uint64_t upper_bits(unsigned m)
{
	return ((uint64_t)(m & 3) << ARM64_TABLE_AP_SHIFT) | (m & 4 ? ARM64_TABLE_PXN : 0) |
	       (m & 8 ? ARM64_TABLE_UXN : 0);
}

#define LEAF_ATTRS(bits) ((bits) | PTE_CACHE_WB | ARM64_DESC_NG)

/* Build the cases' space: a leaf per level, the user stub, the gallery; the target
 * granule full of RET. */
static void build_space(void)
{
	const struct pt_space *k = &kernel_space;
	if (pt_space_init_device(&sc, k->levels, k->gshift, k->va_bits, OWNER_KERNEL))
		panic("access: no memory for the cases' root");
	gpage = pt_page_size(&sc);
	target_pa = new_granule();
	uint32_t *t = phys_to_virt(target_pa);
	for (uint64_t i = 0; i < gpage / 4; i++)
		t[i] = RET_INSN;

	leaf_levels[nleaf++] = 1;
	for (unsigned l = 2; l <= sc.levels; l++)
		if (ptf_leaf_ok(&sc, (int)l))
			leaf_levels[nleaf++] = l;
	unsigned lmax = leaf_levels[nleaf - 1];
	uint64_t stride = pt_level_size(&sc, (int)(lmax < sc.levels ? lmax + 1 : sc.levels));
	if ((nleaf + 3) * stride > (1ull << sc.va_bits))
		panic("access: %u-bit input addresses leave no room for the regions", sc.va_bits);
	for (unsigned i = 0; i < nleaf; i++) {
		unsigned l = leaf_levels[i];
		uint64_t span = pt_level_size(&sc, (int)l);
		region_va[l] = (i + 1) * stride;
		if (pt_map(&sc, region_va[l], target_pa & ~(span - 1), span, LEAF_ATTRS(ARM64_DESC_AF)))
			panic("access: cannot map the level-%u leaf", l);
	}
	stub_va = (nleaf + 1) * stride;
	gallery_va = (nleaf + 2) * stride;
	uint64_t code = new_granule(), stack = new_granule();
	memcpy(phys_to_virt(code), access_ustub, (size_t)(access_ustub_end - access_ustub));
	if (pt_map(&sc, stub_va, code, gpage, LEAF_ATTRS(ARM64_DESC_AF | ARM64_AP_RO_ALL | ARM64_DESC_PXN)) ||
	    pt_map(&sc, stub_va + gpage, stack, gpage,
		   LEAF_ATTRS(ARM64_DESC_AF | ARM64_AP_RW_ALL | ARM64_DESC_PXN | ARM64_DESC_UXN)))
		panic("access: cannot map the user stub");
	for (unsigned n = 0; n < 32; n++)
		if (pt_map(&sc, gallery_va + n * gpage, target_pa, gpage, LEAF_ATTRS(leaf_bits(n))))
			panic("access: cannot map the gallery");
	__asm__ volatile("dsb ish; ic iallu; dsb ish; isb" ::: "memory");
	write_sysreg(ttbr0_el1, sc.root);
	isb();
	tlb_flush_all();
}

/* Route the case's exceptions: record the abort, resume past the access. */
static int access_trap(struct trap_frame *tf)
{
	unsigned ec = arm64_esr_ec(tf->esr);

	if (tf->kind == TRAP_LOW_SYNC) {
		faulted = ec != ARM64_EC_SVC64;
		f_esr = tf->esr;
		f_far = tf->far;
		tf->elr = (uint64_t)access_user_back;
		tf->spsr = back_spsr;
		return 1;
	}
	uint64_t pc = tf->elr;
	if (pc == (uint64_t)access_kload_insn || pc == (uint64_t)access_kstore_insn ||
	    pc == (uint64_t)access_kldtr_insn || pc == (uint64_t)access_ksttr_insn) {
		tf->elr = (uint64_t)access_kfixup;
	} else if (pc == fetch_target && ec == ARM64_EC_IABT_CUR) {
		tf->elr = tf->x[30];
	} else {
		return 0;
	}
	faulted = 1;
	f_esr = tf->esr;
	f_far = tf->far;
	return 1;
}

/* Load the control state of c (WXN, PAN), writing only what changes. */
static void load_state(const struct spec *c)
{
	uint64_t sctlr = c->wxn ? base_sctlr | ARM64_SCTLR_WXN : base_sctlr & ~ARM64_SCTLR_WXN;
	if (read_sysreg(sctlr_el1) != sctlr) {
		write_sysreg(sctlr_el1, sctlr);
		isb();
	}
	uint64_t tcr = base_tcr | c->tcr;
	if (read_sysreg(tcr_el1) != tcr) {
		write_sysreg(tcr_el1, tcr);
		isb();
		tlb_flush_all();
	}
	if (cpu_features.pan && pan_now != c->pan) {
		pan_set(c->pan);
		pan_now = c->pan;
	}
}

/* Set c's entries in the path of its address and run its eight accesses. */
static void run_spec(const struct spec *c)
{
	unsigned level = c->level;
	uint64_t va = case_va(level), span = pt_level_size(&sc, (int)level);

	if (c->pan && !cpu_features.pan) {
		nskipped += 8;
		return;
	}
	if (ncases + 8 > MAX_CASES)
		panic("access: more than %u cases", MAX_CASES);
	load_state(c);
	for (unsigned a = 0; a < 8; a++) {
		struct ptdbg_access_case *r = &cases[ncases++];
		unsigned op = accesses[a].op;
		int el0 = accesses[a].el0;
		uint64_t pstate = ARM64_PSR_DAIF | (pan_now ? ARM64_PSR_PAN : 0);

		/* the entries, afresh for each access: with TCR.HA/HD the CPU writes the
		 * leaf (AF, AP[2] of a DBM page) */
		if (pt_protect(&sc, region_va[level], span, LEAF_ATTRS(c->leaf)))
			panic("access: pt_protect failed");
		if (level < sc.levels) {
			uint64_t *up = pt_entry_at(&sc, va, (int)level + 1);
			*up = (*up & ~TABLE_ATTRS) | c->upper;
		}
		uint64_t *lp = pt_entry_at(&sc, va, (int)level);
		uint64_t *up = level < sc.levels ? pt_entry_at(&sc, va, (int)level + 1) : 0;
		uint64_t leaf0 = *lp, up0 = up ? *up : 0;
		memset(r, 0, sizeof(*r));
		for (unsigned l = level; l <= sc.levels; l++)
			r->entry[l] = *pt_entry_at(&sc, va, (int)l);
		switch (c->raw) {
		case RAW_LEAF_INVALID:  *lp &= ~ARM64_DESC_VALID; break;
		case RAW_UPPER_INVALID: *up &= ~ARM64_DESC_VALID; break;
		case RAW_BLOCK_AT_PAGE: *lp &= ~ARM64_DESC_TYPE; break;
		case RAW_OA_BIT:        *lp |= 1ull << c->oa_bit; break;
		default: break;
		}
		r->entry[level] = *lp;
		if (up)
			r->entry[level + 1] = *up;
		tlb_flush_page(va);
		faulted = 0;
		fetch_target = va;
		back_spsr = pstate | ARM64_PSR_M_EL1h;
		if (el0) {
			access_user(stub_va, stub_va + 2 * gpage, op, va, pstate | ARM64_PSR_M_EL0t);
			pstate |= ARM64_PSR_M_EL0t;
		} else {
			access_kernel(op, va);
			pstate |= ARM64_PSR_M_EL1h;
		}
		r->va = va;
		if (c->raw) { /* the module's entries back */
			*lp = leaf0;
			if (up)
				*up = up0;
			tlb_flush_page(va);
		}
		r->state[0] = read_sysreg(sctlr_el1);
		r->state[1] = read_sysreg(tcr_el1);
		r->state[2] = pstate;
		r->state[3] = mmfr0;
		r->access = (op == OP_STORE || op == OP_STTR ? PTDBG_ACCESS_WRITE : 0) |
			    (op == OP_FETCH ? PTDBG_ACCESS_FETCH : 0) | (el0 ? PTDBG_ACCESS_USER : 0) |
			    (op == OP_LDTR || op == OP_STTR ? PTDBG_ACCESS_UNPRIV : 0);
		r->leaf_level = (uint8_t)level;
		r->top_level = (uint8_t)sc.levels;
		r->outcome = faulted ? PTDBG_ACCESS_FAULT : PTDBG_ACCESS_ALLOWED;
		if (faulted) {
			r->fault_vector = arm64_esr_ec(f_esr);
			r->fault_code = f_esr;
			r->fault_addr = f_far;
		}
		/* the gallery maps this leaf under permissive tables, in the state in force
		 * after the scenario: `ptdump walk` can be asked (not for LDTR/STTR, which
		 * it has no flag for) */
		if (level == 1 && !c->upper && c->wxn && c->pan == base_pan && !c->tcr && !c->raw &&
		    op <= OP_FETCH)
			for (unsigned n = 0; n < 32; n++)
				if (c->leaf == leaf_bits(n))
					r->live_va = gallery_va + n * gpage;
	}
}

static void set_a(void)
{
	static const unsigned block_uppers[] = { 0, 1, 2, 4, 8 };
	for (unsigned i = 0; i < nleaf; i++) {
		unsigned l = leaf_levels[i];
		for (unsigned n = 0; n < 16; n++) {
			unsigned nup = l == sc.levels ? 1 : l == 1 ? 16 : 5;
			for (unsigned u = 0; u < nup; u++) {
				struct spec c = {
					.level = l, .leaf = leaf_bits(n),
					.upper = upper_bits(l == 1 ? u : block_uppers[u]),
					.wxn = 1, .pan = base_pan,
				};
				run_spec(&c);
			}
		}
	}
}

static void set_b(void)
{
	for (unsigned i = 0; i < nleaf; i++) {
		unsigned l = leaf_levels[i];
		unsigned nup = l == 1 && l < sc.levels ? 2 : 1;
		for (unsigned n = 16; n < 32; n++)
			for (unsigned u = 0; u < nup; u++) {
				struct spec c = {
					.level = l, .leaf = leaf_bits(n), .upper = upper_bits(u),
					.wxn = 1, .pan = base_pan,
				};
				run_spec(&c);
			}
	}
}

static void set_c(void)
{
	for (unsigned st = 0; st < 4; st++) {
		int wxn = st & 1, pan = !!(st & 2);
		if (wxn && pan == base_pan)
			continue; /* the state of sets A and B */
		for (unsigned n = 0; n < 32; n++) {
			struct spec c = { .level = 1, .leaf = leaf_bits(n), .wxn = wxn, .pan = pan };
			run_spec(&c);
		}
	}
}

static void set_d(void)
{
	unsigned hafdbs = arm64_idfield(cpu_features.mmfr1, ARM64_MMFR1_HAFDBS_SHIFT);
	unsigned hpds = arm64_idfield(cpu_features.mmfr1, ARM64_MMFR1_HPDS_SHIFT);
	static const uint64_t hw[3] = {
		ARM64_TCR_HA, ARM64_TCR_HD, ARM64_TCR_HA | ARM64_TCR_HD,
	};
	for (unsigned k = 0; k < 3; k++)
		for (unsigned n = 0; n < 16; n++) {
			struct spec c = {
				.level = 1, .wxn = 1, .pan = base_pan, .tcr = hw[k],
				.leaf = ((uint64_t)(n & 3) << 6) | (n & 4 ? 0 : ARM64_DESC_AF) |
					(n & 8 ? ARM64_DESC_DBM : 0),
			};
			if (hafdbs < ((hw[k] & ARM64_TCR_HD) ? 2u : 1u)) {
				nskipped += 8; /* no FEAT_HAFDBS (or only its access flag part) */
				continue;
			}
			run_spec(&c);
		}
	for (unsigned n = 0; n < 16; n++)
		for (unsigned u = 0; u < 2; u++) {
			struct spec c = {
				.level = 1, .leaf = leaf_bits(n), .upper = upper_bits(u ? 15 : 3),
				.wxn = 1, .pan = base_pan, .tcr = ARM64_TCR_HPD0,
			};
			if (!hpds || sc.levels < 2) {
				nskipped += 8; /* no FEAT_HPDS */
				continue;
			}
			run_spec(&c);
		}
}

static void set_e(void)
{
	unsigned ips = arm64_pa_bits((unsigned)((base_tcr & ARM64_TCR_IPS_MASK) >> ARM64_TCR_IPS_SHIFT));
	for (unsigned i = 0; i < nleaf; i++) {
		unsigned l = leaf_levels[i];
		struct spec c = { .level = l, .leaf = leaf_bits(3), .wxn = 1, .pan = base_pan };
		c.raw = RAW_LEAF_INVALID;
		run_spec(&c);
		if (l < sc.levels) {
			c.raw = RAW_UPPER_INVALID;
			run_spec(&c);
		}
		if (l == 1) {
			c.raw = RAW_BLOCK_AT_PAGE;
			run_spec(&c);
		}
		/* an address bit the output size excludes (none below bit 48 with IPS 48) */
		c.raw = RAW_OA_BIT;
		c.oa_bit = ips < 48 ? 47 : 0;
		if (c.oa_bit)
			run_spec(&c);
		else
			nskipped += 8;
	}
}

static void run(void)
{
	base_sctlr = read_sysreg(sctlr_el1);
	base_tcr = read_sysreg(tcr_el1);
	mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	base_pan = pan_now = cpu_features.pan; /* the kernel runs with PAN set */
	cpu_irq_disable();
	build_space();

	uint64_t t0 = read_sysreg(cntvct_el0);
	trap_hook = access_trap;
	set_a();
	set_b();
	set_c();
	set_d();
	set_e();
	trap_hook = 0;
	struct spec home = { .level = 1, .leaf = ARM64_DESC_AF, .wxn = 1, .pan = base_pan };
	load_state(&home);
	uint64_t us = (read_sysreg(cntvct_el0) - t0) * 1000000 / read_sysreg(cntfrq_el0);

	unsigned faults = 0, live = 0;
	for (unsigned i = 0; i < ncases; i++) {
		faults += cases[i].outcome == PTDBG_ACCESS_FAULT;
		live += cases[i].live_va != 0;
	}
	region_set_access(cases, ncases, MAX_CASES, sizeof(cases[0]), nskipped);
	kprintf("ptdbg: access: %u cases (%u allowed, %u faulted), %u skipped, %u live; "
		"granule %lu KiB, %u levels, PAN %s; %lu ms\n", ncases, ncases - faults, faults,
		nskipped, live, gpage >> 10, sc.levels, cpu_features.pan ? "on" : "not implemented",
		us / 1000);
	scenario_ready();
}

const struct scenario scenario_access = {
	.name = "access",
	.summary = "thousands of permission cases decided by the CPU",
	.bugs = { 0 },
	.run = run,
};
