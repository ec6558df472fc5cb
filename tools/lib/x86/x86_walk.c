/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 decoder for the walker frame (walk/frame.h): how an entry reads at each
 * level of 4- and 5-level paging, how R/W, U/S and XD combine down the path, the
 * memory type through IA32_PAT, and the #PF error code of a translation that stops.
 */
#include <stdlib.h>
#include <string.h>

#include "x86/x86_walk.h"

#define ADDR_FIELD_TABLE X86_PTE_ADDR_MASK /* bits 51:12, as written in the entry */

/* The per-level masks of a space (struct ptdbg_walk_level.mask). */
#define MASK_RSVD_TABLE 0 /* reserved bits of a table entry (PS excluded at PML4/PML5) */
#define MASK_RSVD_LEAF  1 /* reserved bits of a leaf */
#define MASK_ADDR_LEAF  2 /* the address bits of a leaf */

/* ---- CPU state ---- */

/* The paging state of regs, with the defaults x86_walk.h names. */
void ptdbg_x86_cpu_from_regs(struct ptdbg_x86_cpu *cpu, const struct ptdbg_regs *regs)
{
	memset(cpu, 0, sizeof(*cpu));
	cpu->cr0 = regs->cr0;
	cpu->cr3 = regs->cr3;
	cpu->cr4 = regs->cr4;
	cpu->efer = regs->efer;
	cpu->pat = X86_PAT_RESET;
	cpu->pat_source = PTDBG_PAT_RESET;
	cpu->levels = (regs->cr4 & X86_CR4_LA57) ? 5 : 4;
	cpu->pdpe1gb = true;
}

/* 4 or 5: as set, else from CR4.LA57. */
unsigned ptdbg_x86_levels(const struct ptdbg_x86_cpu *cpu)
{
	if (cpu->levels == 4 || cpu->levels == 5)
		return cpu->levels;
	return (cpu->cr4 & X86_CR4_LA57) ? 5 : 4;
}

/* 48 or 57. */
unsigned ptdbg_x86_va_bits(const struct ptdbg_x86_cpu *cpu)
{
	return ptdbg_x86_levels(cpu) == 5 ? 57 : 48;
}

/* MAXPHYADDR, 52 when not known. */
unsigned ptdbg_x86_maxphyaddr(const struct ptdbg_x86_cpu *cpu)
{
	return (cpu->maxphyaddr >= 32 && cpu->maxphyaddr <= 52) ? cpu->maxphyaddr : 52;
}

/* The root table's address in CR3. */
uint64_t ptdbg_x86_root(const struct ptdbg_x86_cpu *cpu)
{
	return cpu->cr3 & ADDR_FIELD_TABLE;
}

/* The PCID, or -1 without CR4.PCIDE. */
int ptdbg_x86_pcid(const struct ptdbg_x86_cpu *cpu)
{
	return (cpu->cr4 & X86_CR4_PCIDE) ? (int)(cpu->cr3 & X86_CR3_PCID) : -1;
}

/* va sign-extended at the paging mode's top bit. */
uint64_t ptdbg_x86_canonical(const struct ptdbg_x86_cpu *cpu, uint64_t va)
{
	uint64_t top = 1ull << (ptdbg_x86_va_bits(cpu) - 1);
	va &= (top << 1) - 1;
	return (va ^ top) - top;
}

/* Whether va is canonical. */
bool ptdbg_x86_is_canonical(const struct ptdbg_x86_cpu *cpu, uint64_t va)
{
	return ptdbg_x86_canonical(cpu, va) == va;
}

/*
 * Effective permissions of leaf at level from the AND of the R/W and U/S bits and
 * the OR of the XD bits over its whole path (leaf included): the one definition the
 * walk and the translation share (through the decoder's perm()).
 */
static void perm_finish(const struct ptdbg_x86_cpu *cpu, uint64_t and_bits, uint64_t or_bits,
			uint64_t leaf, unsigned level, struct ptdbg_perm *out)
{
	uint32_t f = 0, a = PTDBG_P_KR;

	if (and_bits & X86_PTE_RW)
		f |= PTDBG_X86_PERM_W;
	if (and_bits & X86_PTE_US)
		f |= PTDBG_X86_PERM_U;
	if ((or_bits & X86_PTE_NX) && (cpu->efer & X86_EFER_NXE))
		f |= PTDBG_X86_PERM_NX;
	if (leaf & X86_PTE_G)
		f |= PTDBG_X86_PERM_G;
	if (leaf & X86_PTE_A)
		f |= PTDBG_X86_PERM_A;
	if (leaf & X86_PTE_D)
		f |= PTDBG_X86_PERM_D;
	if ((f & PTDBG_X86_PERM_W) || !(cpu->cr0 & X86_CR0_WP))
		f |= PTDBG_X86_PERM_KW;
	if ((f & PTDBG_X86_PERM_U) ? (cpu->cr4 & X86_CR4_PKE) : (cpu->cr4 & X86_CR4_PKS))
		f |= PTDBG_X86_PERM_PKEY;
	/* the format-neutral view */
	if (f & PTDBG_X86_PERM_KW)
		a |= PTDBG_P_KW;
	if (!(f & PTDBG_X86_PERM_NX))
		a |= PTDBG_P_KX;
	if (f & PTDBG_X86_PERM_U) {
		a |= PTDBG_P_UR;
		if (f & PTDBG_X86_PERM_W)
			a |= PTDBG_P_UW;
		if (!(f & PTDBG_X86_PERM_NX))
			a |= PTDBG_P_UX;
	}
	if (f & PTDBG_X86_PERM_G)
		a |= PTDBG_P_GLOBAL;
	if (f & PTDBG_X86_PERM_A)
		a |= PTDBG_P_ACCESSED;
	if (f & PTDBG_X86_PERM_D)
		a |= PTDBG_P_DIRTY;
	if (f & PTDBG_X86_PERM_PKEY)
		a |= PTDBG_P_PKEY;
	out->flags = f;
	out->access = a;
	out->attr_index = (uint8_t)x86_pat_index(leaf, level);
	out->memtype = (uint8_t)x86_pat_memtype(cpu->pat, out->attr_index);
	out->pkey = (uint8_t)((leaf & X86_PTE_PKEY) >> X86_PTE_PKEY_SHIFT);
}

/* ---- the decoder ---- */

/* Decoder entry(): P=0 is absent; PS makes a leaf in a PD/PDPT entry; PS in a
 * PML5E/PML4E (and a 1 GiB page without pdpe1gb) is a type the level does not
 * allow, followed as QEMU follows it (as a table pointer, or as the page). */
static void x86_entry(const struct ptdbg_walk_space *sp, unsigned level, uint64_t e,
		      struct ptdbg_entry *out)
{
	const struct ptdbg_x86_cpu *cpu = sp->hw;

	if (!(e & X86_PTE_P)) {
		*out = (struct ptdbg_entry){ .kind = PTDBG_ENT_ABSENT };
		return;
	}
	bool leaf = level == X86_LEVEL_PT || (level <= X86_LEVEL_PDPT && (e & X86_PTE_PS));
	bool ps_bad = (level >= X86_LEVEL_PML4 && (e & X86_PTE_PS)) ||
		      (level == X86_LEVEL_PDPT && leaf && !cpu->pdpe1gb);
	out->kind = leaf ? PTDBG_ENT_LEAF : PTDBG_ENT_TABLE;
	out->refused = false;
	out->addr = e & (leaf ? sp->lv[level].mask[MASK_ADDR_LEAF] : ADDR_FIELD_TABLE);
	out->reserved = e & sp->lv[level].mask[leaf ? MASK_RSVD_LEAF : MASK_RSVD_TABLE];
	out->bad_type = ps_bad ? X86_PTE_PS : 0;
	out->bad_detail = out->bad_type;
}

/* Decoder perm(). */
static void x86_perm(const struct ptdbg_walk_space *sp, unsigned level, uint64_t e,
		     uint64_t up_and, uint64_t up_or, bool faults, struct ptdbg_perm *out)
{
	perm_finish(sp->hw, up_and & e, up_or | e, e, level, out);
	if (faults) {
		out->flags |= PTDBG_X86_PERM_FAULTS;
		out->access |= PTDBG_P_FAULTS;
	}
}

/* The error-code bits that describe the access itself. */
static uint32_t access_error_bits(const struct ptdbg_x86_cpu *cpu, unsigned access)
{
	uint32_t pf = 0;

	if (access & PTDBG_ACC_WRITE)
		pf |= X86_PF_W;
	if (access & PTDBG_ACC_USER)
		pf |= X86_PF_U;
	if ((access & PTDBG_ACC_FETCH) &&
	    ((cpu->efer & X86_EFER_NXE) || (cpu->cr4 & X86_CR4_SMEP)))
		pf |= X86_PF_I;
	return pf;
}

/* Decoder allows(): U/S, R/W with CR0.WP, XD (not SMEP/SMAP/PKRU). */
static bool x86_allows(const struct ptdbg_walk_space *sp, const struct ptdbg_perm *perm,
		       unsigned access)
{
	bool user = access & PTDBG_ACC_USER;

	if (user && !(perm->flags & PTDBG_X86_PERM_U))
		return false;
	if (access & PTDBG_ACC_WRITE) {
		if (user && !(perm->flags & PTDBG_X86_PERM_W))
			return false;
		if (!user && !(perm->flags & PTDBG_X86_PERM_KW))
			return false;
	}
	if ((access & PTDBG_ACC_FETCH) && (perm->flags & PTDBG_X86_PERM_NX))
		return false;
	return true;
}

/* Decoder fault(): the #PF error code the CPU pushes (0: #GP or no fault). */
static uint32_t x86_fault(const struct ptdbg_walk_space *sp, enum ptdbg_stop stop,
			  unsigned level, unsigned access)
{
	uint32_t acc = access_error_bits(sp->hw, access);

	switch (stop) {
	case PTDBG_STOP_NOT_PRESENT: return acc;
	case PTDBG_STOP_RESERVED:    return X86_PF_P | X86_PF_RSVD | acc;
	case PTDBG_STOP_PROTECTION:  return X86_PF_P | acc;
	default:                     return 0;
	}
}

const struct ptdbg_decoder ptdbg_x86_decoder = {
	.name = "x86-64",
	.addr_word = "va",
	.entry = x86_entry,
	.perm = x86_perm,
	.allows = x86_allows,
	.fault = x86_fault,
	.level_name = x86_level_name,
	.entry_name = x86_entry_name,
	.anomaly_names = {
		[PTDBG_AN_RESERVED]   = "reserved-bits",
		[PTDBG_AN_TYPE_LEVEL] = "page-size-not-allowed",
		[PTDBG_AN_READ_ERROR] = "table-read-error",
		[PTDBG_AN_RECURSIVE]  = "recursive-table",
		[PTDBG_AN_BUDGET]     = "budget-exhausted",
	},
	.memtype_name = x86_memtype_name,
	.attr_index_name = "pat_index",
	.entry_bits = x86_bits_entry_table,
	.perm_bits = &x86_bits_effective,
};

/* A space over cpu's tables: 4 KiB tables, sign-extended, reserved-bit and address masks per level. */
void ptdbg_x86_space(struct ptdbg_walk_space *sp, const struct ptdbg_x86_cpu *cpu, uint64_t root)
{
	unsigned maxphy = ptdbg_x86_maxphyaddr(cpu);
	bool nxe = (cpu->efer & X86_EFER_NXE) != 0;

	memset(sp, 0, sizeof(*sp));
	sp->dec = &ptdbg_x86_decoder;
	sp->hw = cpu;
	sp->root = root ? root : ptdbg_x86_root(cpu);
	ptdbg_space_geometry_4k(sp, ptdbg_x86_levels(cpu));
	sp->va_bits = ptdbg_x86_va_bits(cpu);
	sp->sign_extend = true;
	for (unsigned l = 1; l <= sp->top; l++) {
		uint64_t *m = sp->lv[l].mask;
		m[MASK_RSVD_TABLE] = x86_entry_reserved_mask(l, false, maxphy, nxe);
		m[MASK_RSVD_LEAF] = x86_entry_reserved_mask(l, true, maxphy, nxe);
		if (l >= X86_LEVEL_PML4) /* reported as a type the level does not allow */
			m[MASK_RSVD_TABLE] &= ~X86_PTE_PS;
		m[MASK_ADDR_LEAF] = x86_entry_addr_mask(l, true, X86_MAXPHYADDR_LIMIT);
		sp->lv[l].perm_mask = ~m[MASK_ADDR_LEAF];
		if (l == X86_LEVEL_PT) { /* every present PTE is a leaf: x86_entry() */
			sp->lv[l].plain_any = X86_PTE_P;
			sp->lv[l].plain_none = m[MASK_RSVD_LEAF];
			sp->lv[l].plain_addr = m[MASK_ADDR_LEAF];
		}
	}
}

/* ---- names ---- */

/* A translation stop as x86 says it. */
const char *ptdbg_x86_stop_name(enum ptdbg_stop s)
{
	switch (s) {
	case PTDBG_STOP_OK:           return "ok";
	case PTDBG_STOP_RANGE:        return "non-canonical address";
	case PTDBG_STOP_NOT_PRESENT:  return "not present";
	case PTDBG_STOP_RESERVED:     return "reserved bit set";
	case PTDBG_STOP_READ_ERROR:   return "table not readable";
	case PTDBG_STOP_PROTECTION:   return "access not allowed";
	}
	return "?";
}

/* ---- the walk and the translation, through the frame ---- */

/* Walk cfg's tables through the frame. */
int ptdbg_x86_walk(struct ptdbg_mem *mem, const struct ptdbg_x86_walk_cfg *cfg,
		   ptdbg_walk_visit_fn visit, void *ctx, struct ptdbg_walk_result *res)
{
	struct ptdbg_walk_space sp;

	if (!cfg) {
		if (res)
			memset(res, 0, sizeof(*res));
		return PTDBG_EINVAL;
	}
	struct ptdbg_walk_opts o = {
		.va_filter = cfg->va_filter, .va_first = cfg->va_first, .va_last = cfg->va_last,
		.max_nodes = cfg->max_nodes, .max_leaves = cfg->max_leaves,
		.no_prefetch = cfg->no_prefetch, .leaf_runs = cfg->leaf_runs,
	};
	ptdbg_x86_space(&sp, &cfg->cpu, cfg->root);
	return ptdbg_walk(mem, &sp, &o, visit, ctx, res);
}

/* Translate va through the frame's step loop. */
int ptdbg_x86_translate(struct ptdbg_mem *mem, const struct ptdbg_x86_cpu *cpu, uint64_t va,
			unsigned access, struct ptdbg_translation *out)
{
	struct ptdbg_walk_space sp;

	ptdbg_x86_space(&sp, cpu, 0);
	return ptdbg_translate(mem, &sp, va, access, out);
}
