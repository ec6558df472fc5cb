/*
 * access: let the CPU decide thousands of permission cases (in the way of
 * kvm-unit-tests' x86/access.c) and record each in the debug region, so that the
 * tools' permission logic can be compared with the CPU's (tests/integration/access.sh).
 *
 * Each case is one mapping (the entries at every level of one path), one control
 * state (CR0.WP, CR4.SMEP/SMAP/PKE, EFER.NXE, RFLAGS.AC, PKRU) and one access (load,
 * store or fetch, from CPL 0 or CPL 3). The kernel writes the entries into a scratch
 * path, loads the state, performs the access and records whether it completed or
 * which fault it raised (vector, error code, CR2).
 *
 * The cases run under a root of their own: the kernel image and the linear map
 * cloned with every XD bit cleared (so that the kernel keeps running with
 * EFER.NXE=0, where XD is a reserved bit), a scratch path in the lower half, and a
 * user stub (code and stack) for the CPL 3 accesses. Interrupts are off throughout.
 *
 * Case sets:
 *  A  every P/RW/US/XD combination of the leaf and of the entry above it, for
 *     4 KiB, 2 MiB and 1 GiB leaves, six accesses, the kernel's own control state;
 *  B  the leaf's RW/US/XD under every CR0.WP, CR4.SMEP, CR4.SMAP, RFLAGS.AC and
 *     EFER.NXE combination (4 KiB and 2 MiB leaves);
 *  C  protection keys: CR4.PKE, PKRU's AD and WD for the leaf's key, CR0.WP
 *     (skipped and counted when the CPU has no PKU);
 *  D  reserved bits: an address bit at MAXPHYADDR in the leaf or in the entry above,
 *     the reserved bits of 2 MiB and 1 GiB leaves, PS in a PML4E; one of them under a
 *     not-present entry.
 * Afterwards the sixteen P/RW/US/XD leaves of set A stay mapped in the kernel's own
 * address space (live_va) for `ptdump walk`.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/trap.h"
#include "debug/panic.h"
#include "debug/region.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/kspace.h"
#include "mm/layout.h"
#include "mm/pt.h"
#include "mm/pte.h"
#include "ptdbg/abi.h"
#include "scenarios/scenario.h"

#define MAX_CASES   12000
#define SCRATCH_VA  0x0000008000000000ull /* PML4 index 1 */
#define STUB_VA     0x0000010000000000ull /* PML4 index 2: stub code, then its stack */
#define GALLERY_VA  0x0000018000000000ull /* PML4 index 3, in the kernel's own space */
#define PERMISSIVE  (X86_PTE_P | X86_PTE_RW | X86_PTE_US)


enum op { OP_LOAD = 0, OP_STORE = 1, OP_FETCH = 2 };

/* One case to run. */
struct spec {
	unsigned leaf_level;   /* 1, 2 or 3 */
	uint64_t leaf_bits;    /* P/RW/US/XD/pkey/reserved bits of the leaf */
	uint64_t upper_bits;   /* of the entry one level above the leaf */
	unsigned op;           /* enum op */
	int user;              /* CPL 3 */
	int wp, smep, smap, ac, nxe, pke;
	uint32_t pkru;
};

static struct ptdbg_access_case cases[MAX_CASES];
static unsigned ncases, nskipped;

static unsigned top;                  /* paging levels */
static uint64_t access_root;          /* the cases' root */
static uint64_t scratch_table[6];     /* scratch_table[l]: the level-l table of the path */
static uint64_t target_pa;            /* the frame every case's access reaches */
static uint64_t base_cr0, base_cr4, base_efer, base_cr3;

/* The trap hook's state for the case in flight. */
static volatile int faulted;
static volatile uint64_t f_vector, f_code, f_addr;
static uint64_t fetch_target;
static uint8_t user_trap_stack[8192] __attribute__((aligned(16)));

/* access.S */
void access_kernel(uint64_t op, uint64_t addr);
void access_user(uint64_t rip, uint64_t rsp, uint64_t op, uint64_t addr);
extern char access_kload_insn[], access_kstore_insn[], access_kfixup[], access_user_back[];
extern char access_ustub[], access_ustub_end[];
extern uint64_t access_saved_rsp;

static uint64_t level_span(unsigned level)
{
	return 1ull << (12 + 9 * (level - 1));
}

static unsigned index_at(uint64_t va, unsigned level)
{
	return (unsigned)((va >> (12 + 9 * (level - 1))) & 511);
}

static uint64_t *table_of(uint64_t pa)
{
	return (uint64_t *)phys_to_virt(pa);
}

static uint64_t new_table(void)
{
	uint64_t pa = frame_alloc(PTDBG_FRAME_KHEAP, PTDBG_OWNER_NONE);
	if (!pa)
		panic("access: out of frames");
	memset(table_of(pa), 0, PAGE_SIZE);
	return pa;
}

/* Sign-extend va at the top of the linear address width. */
static uint64_t canonical(uint64_t va)
{
	unsigned bits = top == 5 ? 57 : 48;
	uint64_t sign = 1ull << (bits - 1);
	va &= (sign << 1) - 1;
	return (va ^ sign) - sign;
}

/* A range of kernel addresses the cases' root must map. */
struct range {
	uint64_t lo, hi; /* inclusive */
};

/* Copy the table at pa (level, covering VA base) keeping only the entries that meet
 * one of the ranges, every XD bit cleared; lower tables are copied the same way. */
static uint64_t clone_without_xd(uint64_t pa, unsigned level, uint64_t base,
				 const struct range *r, unsigned nr)
{
	uint64_t copy = new_table();
	const uint64_t *src = table_of(pa);
	uint64_t *dst = table_of(copy);
	uint64_t span = level_span(level);

	for (unsigned i = 0; i < 512; i++) {
		uint64_t e = src[i];
		uint64_t va = canonical(base + i * span);
		int meets = 0;
		if (!(e & X86_PTE_P))
			continue;
		for (unsigned k = 0; k < nr; k++)
			meets |= va <= r[k].hi && va + (span - 1) >= r[k].lo;
		if (!meets)
			continue;
		e &= ~X86_PTE_NX;
		int table = level >= 4 || (level > 1 && !(e & X86_PTE_PS));
		if (table)
			e = (e & ~X86_PTE_ADDR_MASK) |
			    clone_without_xd(e & X86_PTE_ADDR_MASK, level - 1, base + i * span, r, nr);
		dst[i] = e;
	}
	return copy;
}

/* Map the 4 KiB page va -> pa under root with bits, creating permissive tables. */
static void map_page(uint64_t root, uint64_t va, uint64_t pa, uint64_t bits)
{
	uint64_t table = root;
	for (unsigned level = top; level > 1; level--) {
		uint64_t *e = &table_of(table)[index_at(va, level)];
		if (!(*e & X86_PTE_P))
			*e = new_table() | PERMISSIVE;
		table = *e & X86_PTE_ADDR_MASK;
	}
	table_of(table)[index_at(va, 1)] = pa | bits;
}

/* Build the cases' root: kernel image and linear map without XD, the scratch path's
 * tables, the user stub. */
static void build_root(void)
{
	struct range r[] = {
		{ (uint64_t)__kernel_start, (uint64_t)__kernel_end - 1 },
		{ LINEAR_BASE, LINEAR_BASE + frames_count() * PAGE_SIZE - 1 },
	};
	access_root = clone_without_xd(base_cr3, top, 0, r, 2);

	/* the scratch path: one table per level below the top */
	scratch_table[top] = access_root;
	for (unsigned level = top - 1; level >= 1; level--)
		scratch_table[level] = new_table();

	/* the stub: code, then a stack page */
	uint64_t code = frame_alloc(PTDBG_FRAME_KHEAP, PTDBG_OWNER_NONE);
	uint64_t stack = frame_alloc(PTDBG_FRAME_KHEAP, PTDBG_OWNER_NONE);
	if (!code || !stack)
		panic("access: out of frames");
	memcpy(phys_to_virt(code), access_ustub, (size_t)(access_ustub_end - access_ustub));
	map_page(access_root, STUB_VA, code, X86_PTE_P | X86_PTE_US);
	map_page(access_root, STUB_VA + PAGE_SIZE, stack, X86_PTE_P | X86_PTE_RW | X86_PTE_US);

	target_pa = frame_alloc(PTDBG_FRAME_KHEAP, PTDBG_OWNER_NONE);
	if (!target_pa)
		panic("access: out of frames");
	memset(phys_to_virt(target_pa), 0xc3, PAGE_SIZE); /* `ret` for the fetches */
}

/* The address a case with a leaf at level accesses: the target frame's offset in
 * its leaf, so that 2 MiB and 1 GiB leaves reach it too. */
static uint64_t case_va(unsigned leaf_level)
{
	return SCRATCH_VA + (target_pa & (level_span(leaf_level) - 1));
}

/* The entry at level of c's path (table pointers for the levels above the leaf). */
static uint64_t case_entry(const struct spec *c, unsigned level)
{
	if (level == c->leaf_level) {
		uint64_t addr = target_pa & ~(level_span(level) - 1);
		return addr | c->leaf_bits | (level > 1 ? X86_PTE_PS : 0);
	}
	uint64_t e = level == c->leaf_level + 1 ? c->upper_bits : PERMISSIVE;
	return e | scratch_table[level - 1];
}

/* Route the case's traps: record the fault and resume past the access. */
static int access_trap(struct trap_frame *tf)
{
	int user = trap_from_user(tf);

	if (tf->vector == VEC_SYSCALL && user) {
		faulted = 0;
	} else if (tf->vector < 32) {
		faulted = 1;
		f_vector = tf->vector;
		f_code = tf->error;
		f_addr = tf->vector == VEC_PAGE_FAULT ? read_cr2() : 0;
	} else {
		return 0;
	}
	if (user) {
		tf->rip = (uint64_t)access_user_back;
		tf->cs = SEL_KCODE;
		tf->ss = SEL_KDATA;
		tf->rsp = access_saved_rsp;
		tf->rflags = 0x2;
		return 1;
	}
	if (tf->rip == (uint64_t)access_kload_insn || tf->rip == (uint64_t)access_kstore_insn) {
		tf->rip = (uint64_t)access_kfixup;
		return 1;
	}
	if (tf->rip == fetch_target) { /* return to the caller the call pushed */
		tf->rip = *(uint64_t *)tf->rsp;
		tf->rsp += 8;
		return 1;
	}
	return 0;
}

static void write_pkru(uint32_t v)
{
	__asm__ volatile("wrpkru" :: "a"(v), "c"(0), "d"(0) : "memory");
}

/* Run c and append its record. */
static void run_case(const struct spec *c)
{
	struct ptdbg_access_case *r = &cases[ncases++];
	uint64_t va = case_va(c->leaf_level);

	memset(r, 0, sizeof(*r));
	for (unsigned level = top; level >= c->leaf_level; level--) {
		uint64_t e = case_entry(c, level);
		table_of(scratch_table[level])[index_at(va, level)] = e;
		r->entry[level] = e;
	}
	uint64_t cr0 = c->wp ? base_cr0 | X86_CR0_WP : base_cr0 & ~X86_CR0_WP;
	uint64_t cr4 = base_cr4 & ~(X86_CR4_SMEP | X86_CR4_SMAP | X86_CR4_PKE | X86_CR4_PGE);
	cr4 |= (c->smep ? X86_CR4_SMEP : 0) | (c->smap ? X86_CR4_SMAP : 0) | (c->pke ? X86_CR4_PKE : 0);
	uint64_t efer = c->nxe ? base_efer | X86_EFER_NXE : base_efer & ~X86_EFER_NXE;

	write_cr0(cr0);
	write_cr4(cr4);
	wrmsr(X86_MSR_EFER, efer);
	if (c->pke)
		write_pkru(c->pkru);
	write_cr3(access_root); /* flushes the scratch path's translations */

	faulted = 0;
	fetch_target = va;
	uint64_t rflags = read_rflags();
	if (c->user) {
		tss_set_rsp0((uint64_t)user_trap_stack + sizeof(user_trap_stack));
		access_user(STUB_VA, STUB_VA + 2 * PAGE_SIZE, c->op, va);
	} else {
		if (c->ac)
			stac();
		rflags = read_rflags();
		access_kernel(c->op, va);
		if (c->ac)
			clac();
	}

	r->va = va;
	r->state[0] = cr0;
	r->state[1] = cr4;
	r->state[2] = efer;
	r->state[3] = c->user ? 0x2 : rflags;
	r->pkru = c->pke ? c->pkru : 0;
	r->access = (c->op == OP_STORE ? PTDBG_ACCESS_WRITE : 0) |
		    (c->op == OP_FETCH ? PTDBG_ACCESS_FETCH : 0) | (c->user ? PTDBG_ACCESS_USER : 0);
	r->leaf_level = (uint8_t)c->leaf_level;
	r->top_level = (uint8_t)top;
	r->outcome = faulted ? PTDBG_ACCESS_FAULT : PTDBG_ACCESS_ALLOWED;
	if (faulted) {
		r->fault_vector = f_vector;
		r->fault_code = f_code;
		r->fault_addr = f_addr;
	}
}

/* P, RW, US, XD from the four low bits of n. */
static uint64_t prot_bits(unsigned n)
{
	return (n & 1 ? X86_PTE_P : 0) | (n & 2 ? X86_PTE_RW : 0) | (n & 4 ? X86_PTE_US : 0) |
	       (n & 8 ? X86_PTE_NX : 0);
}

/* Run spec c for each of the six accesses. */
static void run_six(struct spec c)
{
	for (unsigned op = OP_LOAD; op <= OP_FETCH; op++)
		for (int user = 0; user <= 1; user++) {
			if (ncases >= MAX_CASES)
				panic("access: more than %u cases", MAX_CASES);
			c.op = op;
			c.user = user;
			run_case(&c);
		}
}

static const struct spec kernel_state = {
	.wp = 1, .smep = 1, .smap = 1, .nxe = 1,
};

static void set_a(void)
{
	for (unsigned leaf_level = 1; leaf_level <= 3; leaf_level++)
		for (unsigned leaf = 0; leaf < 16; leaf++)
			for (unsigned upper = 0; upper < 16; upper++) {
				struct spec c = kernel_state;
				c.leaf_level = leaf_level;
				c.leaf_bits = prot_bits(leaf);
				c.upper_bits = prot_bits(upper);
				run_six(c);
			}
}

static void set_b(void)
{
	for (unsigned leaf_level = 1; leaf_level <= 2; leaf_level++)
		for (unsigned leaf = 1; leaf < 16; leaf += 2) /* P=1 */
			for (unsigned st = 0; st < 32; st++) {
				struct spec c = {
					.leaf_level = leaf_level, .leaf_bits = prot_bits(leaf),
					.upper_bits = PERMISSIVE, .wp = st & 1, .smep = !!(st & 2),
					.smap = !!(st & 4), .ac = !!(st & 8), .nxe = !!(st & 16),
				};
				if ((c.smap || c.ac) && !cpu_features.smap) {
					nskipped += 6;
					continue;
				}
				if (c.smep && !cpu_features.smep) {
					nskipped += 6;
					continue;
				}
				run_six(c);
			}
}

static int cpu_has_pku(void)
{
	uint32_t r[4];
	cpuid(0, 0, r);
	if (r[0] < 7)
		return 0;
	cpuid(7, 0, r);
	return (r[2] >> 3) & 1;
}

#define TEST_PKEY  5ull

static void set_c(void)
{
	int pku = cpu_has_pku();
	for (unsigned rw = 0; rw <= 1; rw++)
		for (unsigned key = 0; key <= 1; key++)
			for (unsigned kr = 0; kr < 4; kr++)
				for (unsigned pke = 0; pke <= 1; pke++)
					for (unsigned wp = 0; wp <= 1; wp++) {
						struct spec c = kernel_state;
						c.leaf_level = 1;
						c.leaf_bits = X86_PTE_P | X86_PTE_US | (rw ? X86_PTE_RW : 0) |
							      (key ? TEST_PKEY << X86_PTE_PKEY_SHIFT : 0);
						c.upper_bits = PERMISSIVE;
						c.ac = 1; /* SMAP out of the way of CPL 0's loads */
						c.wp = (int)wp;
						c.pke = (int)pke;
						/* AD and WD of the test key */
						c.pkru = (kr & 3) << (2 * TEST_PKEY);
						if (pke && !pku) {
							nskipped += 6;
							continue;
						}
						run_six(c);
					}
}

static void set_d(void)
{
	unsigned maxphy = cpu_features.maxphyaddr;
	uint64_t addr_bit = maxphy < 52 ? 1ull << maxphy : 0;
	struct {
		unsigned leaf_level;
		uint64_t leaf_extra, upper_extra;
	} v[] = {
		{ 1, addr_bit, 0 }, { 2, addr_bit, 0 }, { 3, addr_bit, 0 },
		{ 1, 0, addr_bit }, { 2, 0, addr_bit }, { 3, 0, addr_bit },
		{ 2, 1ull << 13, 0 }, { 2, 1ull << 20, 0 },
		{ 3, 1ull << 13, 0 }, { 3, 1ull << 29, 0 },
		{ 3, 0, X86_PTE_PS },     /* PS in a PML4E */
		{ 1, 1ull << 51, 0 }, { 2, 0, 1ull << 51 },
	};
	for (unsigned i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		if (!v[i].leaf_extra && !v[i].upper_extra) {
			nskipped += 6; /* MAXPHYADDR 52: no address bit is reserved */
			continue;
		}
		if ((v[i].leaf_extra | v[i].upper_extra) == (1ull << 51) && maxphy >= 52) {
			nskipped += 6;
			continue;
		}
		struct spec c = kernel_state;
		c.leaf_level = v[i].leaf_level;
		c.leaf_bits = PERMISSIVE | v[i].leaf_extra;
		c.upper_bits = PERMISSIVE | v[i].upper_extra;
		run_six(c);
	}
	/* a reserved bit in the leaf under a not-present entry: the not-present fault */
	struct spec c = kernel_state;
	c.leaf_level = 1;
	c.leaf_bits = PERMISSIVE | (1ull << 51);
	c.upper_bits = X86_PTE_RW | X86_PTE_US;
	run_six(c);
}

/* Keep set A's sixteen 4 KiB leaves under permissive upper entries mapped in the
 * kernel's own space, one page each, and point their cases at them. */
static void map_gallery(void)
{
	for (unsigned leaf = 0; leaf < 16; leaf++) {
		uint64_t va = GALLERY_VA + leaf * PAGE_SIZE;
		map_page(base_cr3, va, target_pa, prot_bits(leaf));
		for (unsigned i = 0; i < ncases; i++) {
			struct ptdbg_access_case *r = &cases[i];
			int chain = 1;
			for (unsigned l = 2; l <= top; l++)
				chain &= r->entry[l] == (scratch_table[l - 1] | PERMISSIVE);
			if (r->leaf_level == 1 && r->entry[1] == (target_pa | prot_bits(leaf)) && chain &&
			    r->state[0] == base_cr0 && r->state[2] == base_efer &&
			    r->state[1] == (base_cr4 & ~X86_CR4_PGE) && !r->pkru &&
			    (r->access & PTDBG_ACCESS_USER || !(r->state[3] & X86_RFLAGS_AC)))
				r->live_va = va;
		}
	}
	tlb_flush_all();
}

static void run(void)
{
	top = (read_cr4() & X86_CR4_LA57) ? 5 : 4;
	base_cr0 = read_cr0();
	base_cr4 = read_cr4();
	base_efer = rdmsr(X86_MSR_EFER);
	base_cr3 = read_cr3() & X86_PTE_ADDR_MASK;
	build_root();

	cli();
	trap_hook = access_trap;
	set_a();
	set_b();
	set_c();
	set_d();
	trap_hook = 0;
	write_cr0(base_cr0);
	write_cr4(base_cr4);
	wrmsr(X86_MSR_EFER, base_efer);
	write_cr3(base_cr3);
	tlb_flush_all();

	map_gallery();
	unsigned faults = 0;
	for (unsigned i = 0; i < ncases; i++)
		faults += cases[i].outcome == PTDBG_ACCESS_FAULT;
	region_set_access(cases, ncases, MAX_CASES, sizeof(cases[0]), nskipped);
	kprintf("ptdbg: access: %u cases (%u allowed, %u faulted), %u skipped\n", ncases,
		ncases - faults, faults, nskipped);
	scenario_ready();
}

const struct scenario scenario_access = {
	.name = "access",
	.summary = "thousands of permission cases decided by the CPU",
	.bugs = { 0 },
	.run = run,
};
