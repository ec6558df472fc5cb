/* SPDX-License-Identifier: MIT */
/*
 * The AArch64 stage-1 decoder for the walker frame (walk/frame.h): the two halves
 * TCR_EL1 defines, how a descriptor reads at each lookup level of each granule, how
 * AP/PXN/UXN combine with the hierarchical table bits, the memory type through
 * MAIR_EL1, and the fault status code of a translation that stops.
 */
#include <stdio.h>
#include <string.h>

#include "arm64/arm64_bits.h"
#include "arm64/arm64_walk.h"
#include "target/target.h"

/* The per-level masks of a space (struct ptdbg_walk_level.mask). */
#define MASK_TABLE_ADDR 0 /* descriptor bits that hold a next-level table's address */
#define MASK_RSVD       1 /* output-address bits at or above the output size */
#define MASK_LEAF_ADDR  2 /* descriptor bits of a block's or page's address; 0: no block */
#define MASK_CFG        3 /* the half's configuration, CFG_* below */

#define CFG_HI_MASK  0x3ull        /* where OA[51:48] live: */
#define CFG_HI_NONE  0x0ull        /*   nowhere (48-bit output addresses) */
#define CFG_HI_DS    0x1ull        /*   OA[49:48] in place, OA[51:50] in bits 9:8 */
#define CFG_HI_LPA64 0x2ull        /*   OA[51:48] in bits 15:12 (64K, FEAT_LPA) */
#define CFG_HALF1    (1ull << 2)   /* the TTBR1 half */
#define CFG_HPD      (1ull << 3)   /* hierarchical permissions disabled */

/* ---- CPU state ---- */

bool ptdbg_arm64_mmu_on(const struct ptdbg_arm64_cpu *cpu)
{
	return !(cpu->valid & PTDBG_ARM64_HAVE_SCTLR) || (cpu->sctlr & ARM64_SCTLR_M);
}

int ptdbg_arm64_el(const struct ptdbg_arm64_cpu *cpu)
{
	return (cpu->valid & PTDBG_ARM64_HAVE_CPSR) ? (int)arm64_psr_el(cpu->cpsr) : -1;
}

void ptdbg_arm64_half_of(const struct ptdbg_arm64_cpu *cpu, unsigned half,
			 struct ptdbg_arm64_half *h)
{
	uint64_t tcr = cpu->tcr, ttbr = half ? cpu->ttbr1 : cpu->ttbr0;

	memset(h, 0, sizeof(*h));
	h->half = half ? PTDBG_ARM64_TTBR1 : PTDBG_ARM64_TTBR0;
	if (half) {
		h->gshift = arm64_tcr_tg1_shift(tcr);
		h->txsz = arm64_tcr_t1sz(tcr);
		h->enabled = !(tcr & ARM64_TCR_EPD1);
		h->tbi = (tcr & ARM64_TCR_TBI1) != 0;
		h->hpd = (tcr & ARM64_TCR_HPD1) != 0;
	} else {
		h->gshift = arm64_tcr_tg0_shift(tcr);
		h->txsz = arm64_tcr_t0sz(tcr);
		h->enabled = !(tcr & ARM64_TCR_EPD0);
		h->tbi = (tcr & ARM64_TCR_TBI0) != 0;
		h->hpd = (tcr & ARM64_TCR_HPD0) != 0;
	}
	if (!h->gshift) { /* a reserved TGn: taken as 4 KiB, as QEMU takes it */
		h->gshift = 12;
		h->tg_reserved = true;
	}
	h->ds = (tcr & ARM64_TCR_DS) && h->gshift != 16;

	/* Output size: IPS (a reserved encoding is the largest size), bounded by
	 * PARange when known, and by 48 bits without DS or a 64K granule. */
	unsigned pa = arm64_pa_bits((unsigned)((tcr & ARM64_TCR_IPS_MASK) >> ARM64_TCR_IPS_SHIFT));
	if (!pa)
		pa = 52;
	if (cpu->parange >= 32 && pa > cpu->parange)
		pa = cpu->parange;
	if (pa > 48 && !h->ds && h->gshift != 16)
		pa = 48;
	h->pa_bits = pa;
	h->lpa64 = h->gshift == 16 && pa == 52;

	/* TxSZ as the CPU takes it: 16..39 (12 with 52-bit input addresses). */
	unsigned min = (h->ds || h->lpa64) ? 12 : 16, max = 39;
	h->txsz_eff = h->txsz < min ? min : h->txsz > max ? max : h->txsz;
	h->va_bits = 64 - h->txsz_eff;
	h->start_level = arm64_start_level(h->va_bits, h->gshift);
	h->top = ptdbg_arm64_frame_level(h->start_level);
	h->va_base = half ? ~0ull << h->va_bits : 0;

	/* The root: TTBR.BADDR aligned to the start table's size (at least 64 bytes);
	 * with 52-bit output addresses BADDR[51:48] is in TTBR bits 5:2. */
	unsigned tbits = h->va_bits - arm64_level_shift(h->gshift, h->start_level) + 3;
	if (tbits < 6)
		tbits = 6;
	h->root = ttbr & ARM64_GENMASK(47, tbits);
	if (h->ds || h->lpa64)
		h->root |= ((ttbr >> 2) & 0xfull) << 48;
	uint64_t asid_ttbr = (tcr & ARM64_TCR_A1) ? cpu->ttbr1 : cpu->ttbr0;
	h->asid = (uint16_t)(asid_ttbr >> ARM64_TTBR_ASID_SHIFT);
	if (!(tcr & ARM64_TCR_AS))
		h->asid &= 0xff;
}

bool ptdbg_arm64_va_half(const struct ptdbg_arm64_cpu *cpu, uint64_t va, unsigned acc,
			 unsigned *half, uint64_t *canon)
{
	unsigned sel = (unsigned)(va >> 55) & 1u;
	struct ptdbg_arm64_half h;

	ptdbg_arm64_half_of(cpu, sel, &h);
	bool tbid = sel ? (cpu->tcr & ARM64_TCR_TBID1) : (cpu->tcr & ARM64_TCR_TBID0);
	bool tbi = h.tbi && !((acc & PTDBG_ACC_FETCH) && tbid);
	uint64_t c = tbi ? ((va & ~(0xffull << 56)) | (sel ? 0xffull << 56 : 0)) : va;
	if (half)
		*half = sel;
	if (canon)
		*canon = c;
	uint64_t top = c >> h.va_bits; /* bits 63:va_bits */
	return sel ? top == (~0ull >> h.va_bits) : top == 0;
}

/* ---- descriptors ---- */

/* The output address of descriptor e under address mask m and the half's cfg. */
static inline uint64_t desc_oa(uint64_t e, uint64_t m, uint64_t cfg)
{
	uint64_t a = e & m;

	switch (cfg & CFG_HI_MASK) {
	case CFG_HI_DS:    a |= ((e >> 8) & 0x3ull) << 50; break;
	case CFG_HI_LPA64: a |= ((e >> 12) & 0xfull) << 48; break;
	default: break;
	}
	return a;
}

/* Decoder entry(): bit 0 clear is invalid; 11 a table (a page at level 3); 01 a
 * block where the granule allows one, refused elsewhere (the CPU's translation
 * fault). Output-address bits above the output size are reserved. */
static void arm64_entry(const struct ptdbg_walk_space *sp, unsigned level, uint64_t e,
			struct ptdbg_entry *out)
{
	const uint64_t *m = sp->lv[level].mask;

	memset(out, 0, sizeof(*out));
	if (!(e & ARM64_DESC_VALID)) {
		out->kind = PTDBG_ENT_ABSENT;
		return;
	}
	bool type1 = (e & ARM64_DESC_TYPE) != 0;
	if (level > 1 && type1) {
		out->kind = PTDBG_ENT_TABLE;
		out->addr = desc_oa(e, m[MASK_TABLE_ADDR], m[MASK_CFG]);
	} else if ((level == 1 && type1) || (level > 1 && m[MASK_LEAF_ADDR])) {
		out->kind = PTDBG_ENT_LEAF;
		out->addr = desc_oa(e, m[MASK_LEAF_ADDR], m[MASK_CFG]);
	} else { /* a block at level 3 or where the granule has none */
		out->kind = PTDBG_ENT_LEAF;
		out->refused = true;
		out->bad_type = e & ARM64_DESC_TYPE_MASK;
		out->bad_detail = ARM64_DESC_BLOCK;
		return;
	}
	out->reserved = e & m[MASK_RSVD];
}

/* Decoder perm(): AP[2:1] under APTable, PXN/UXN under PXNTable/UXNTable (the OR of
 * the tables above, unless TCR.HPDn), the DBM writable-clean state with TCR.HD,
 * EL1 execute-never for EL0-writable memory, SCTLR.WXN. */
static void arm64_perm(const struct ptdbg_walk_space *sp, unsigned level, uint64_t e,
		       uint64_t up_and, uint64_t up_or, bool faults, struct ptdbg_perm *out)
{
	const struct ptdbg_arm64_cpu *cpu = sp->hw;
	uint64_t cfg = sp->lv[level].mask[MASK_CFG];
	uint64_t tab = (cfg & CFG_HPD) ? 0 : up_or;
	bool el0 = (e & ARM64_DESC_AP_EL0) && !(tab & ARM64_TABLE_AP_NO_EL0);
	bool ro = (e & ARM64_DESC_AP_RO) || (tab & ARM64_TABLE_AP_RO);
	uint32_t f = 0, a = PTDBG_P_KR;

	/* Execute-never follows the descriptor as it is: a writable-clean page (DBM,
	 * AP[2] set) is not writable for WXN and EL0-writable-implies-PXN until a
	 * write has made it dirty. */
	bool ro_now = ro;
	/* writable-clean: a write sets the page writable in hardware (TCR.HD counts
	 * only together with TCR.HA) */
	if (ro && (cpu->tcr & ARM64_TCR_HA) && (cpu->tcr & ARM64_TCR_HD) && (e & ARM64_DESC_DBM) &&
	    !(tab & ARM64_TABLE_AP_RO))
		ro = false;
	bool kw = !ro, ur = el0, uw = el0 && !ro;
	bool pxn = (e & ARM64_DESC_PXN) || (tab & ARM64_TABLE_PXN) || (el0 && !ro_now);
	bool uxn = (e & ARM64_DESC_UXN) || (tab & ARM64_TABLE_UXN);
	if (cpu->sctlr & ARM64_SCTLR_WXN) {
		pxn = pxn || !ro_now;
		uxn = uxn || (el0 && !ro_now);
	}
	if (kw)
		f |= PTDBG_ARM64_PERM_KW;
	if (ur)
		f |= PTDBG_ARM64_PERM_UR;
	if (uw)
		f |= PTDBG_ARM64_PERM_UW;
	if (pxn)
		f |= PTDBG_ARM64_PERM_PXN;
	if (uxn)
		f |= PTDBG_ARM64_PERM_UXN;
	if (e & ARM64_DESC_NG)
		f |= PTDBG_ARM64_PERM_NG;
	if (e & ARM64_DESC_AF)
		f |= PTDBG_ARM64_PERM_AF;
	uint64_t sh = (e & ARM64_DESC_SH_MASK) >> ARM64_DESC_SH_SHIFT;
	if ((cfg & CFG_HI_MASK) == CFG_HI_DS) /* bits 9:8 are address: SH is TCR's */
		sh = (cfg & CFG_HALF1) ? (cpu->tcr & ARM64_TCR_SH1_MASK) >> ARM64_TCR_SH1_SHIFT
				       : (cpu->tcr & ARM64_TCR_SH0_MASK) >> ARM64_TCR_SH0_SHIFT;
	f |= (uint32_t)sh << PTDBG_ARM64_PERM_SH_SHIFT;
	if (e & ARM64_DESC_CONT)
		f |= PTDBG_ARM64_PERM_CONT;
	if (e & ARM64_DESC_DBM)
		f |= PTDBG_ARM64_PERM_DBM;
	if (e & ARM64_DESC_GP)
		f |= PTDBG_ARM64_PERM_GP;
	f |= (uint32_t)((e & ARM64_DESC_SW_MASK) >> ARM64_DESC_SW_SHIFT) << PTDBG_ARM64_PERM_SW_SHIFT;
	if (faults)
		f |= PTDBG_ARM64_PERM_FAULTS;

	if (kw)
		a |= PTDBG_P_KW;
	if (!pxn)
		a |= PTDBG_P_KX;
	if (ur)
		a |= PTDBG_P_UR;
	if (uw)
		a |= PTDBG_P_UW;
	if (!uxn) /* EL0 may execute what it may not read (execute-only memory) */
		a |= PTDBG_P_UX;
	if (!(e & ARM64_DESC_NG))
		a |= PTDBG_P_GLOBAL;
	if (e & ARM64_DESC_AF)
		a |= PTDBG_P_ACCESSED;
	if ((e & ARM64_DESC_DBM) && !(e & ARM64_DESC_AP_RO))
		a |= PTDBG_P_DIRTY;
	if (faults)
		a |= PTDBG_P_FAULTS;
	out->flags = f;
	out->access = a;
	out->attr_index = (uint8_t)((e & ARM64_DESC_ATTRINDX_MASK) >> ARM64_DESC_ATTRINDX_SHIFT);
	out->memtype = ARM64_MAIR_GET(cpu->mair, out->attr_index);
	out->pkey = 0;
	(void)up_and;
}

static bool pan_on(const struct ptdbg_arm64_cpu *cpu)
{
	return (cpu->valid & PTDBG_ARM64_HAVE_CPSR) && (cpu->cpsr & ARM64_PSR_PAN);
}

/* Decoder allows(): the access flag (unless TCR.HA), then EL0/EL1 read, write and
 * execute as the permissions say, PSTATE.PAN for EL1 data accesses. */
static bool arm64_allows(const struct ptdbg_walk_space *sp, const struct ptdbg_perm *perm,
			 unsigned acc)
{
	const struct ptdbg_arm64_cpu *cpu = sp->hw;
	uint32_t f = perm->flags;
	bool user = acc & PTDBG_ACC_USER;

	if (perm->access & PTDBG_P_FAULTS)
		return false;
	if (!(f & PTDBG_ARM64_PERM_AF) && !(cpu->tcr & ARM64_TCR_HA))
		return false;
	if (acc & PTDBG_ACC_FETCH)
		return !(f & (user ? PTDBG_ARM64_PERM_UXN : PTDBG_ARM64_PERM_PXN));
	if (user)
		return (f & PTDBG_ARM64_PERM_UR) &&
		       (!(acc & PTDBG_ACC_WRITE) || (f & PTDBG_ARM64_PERM_UW));
	if (pan_on(cpu) && (f & PTDBG_ARM64_PERM_UR))
		return false;
	return !(acc & PTDBG_ACC_WRITE) || (f & PTDBG_ARM64_PERM_KW);
}

/* A level-indexed fault status code at frame level (lookup 4 - level). */
static uint32_t fsc_at(unsigned kind, unsigned level)
{
	int lk = ptdbg_arm64_lookup_level(level);

	if (lk >= 0)
		return kind | (unsigned)lk;
	switch (kind) { /* level -1 (FEAT_LPA2) */
	case ARM64_FSC_TRANSLATION: return ARM64_FSC_TRANS_LM1;
	case ARM64_FSC_ADDR_SIZE:   return ARM64_FSC_ADDR_SIZE_LM1;
	case ARM64_FSC_SEA_WALK:    return 0x13u;
	default:                    return kind;
	}
}

/* Decoder fault(): the DFSC/IFSC. A stop on reserved bits is an address size fault
 * here; ptdbg_arm64_translate() tells a refused block (translation fault) and a
 * clear access flag (access flag fault) apart, which need the descriptor. */
static uint32_t arm64_fault(const struct ptdbg_walk_space *sp, enum ptdbg_stop stop,
			    unsigned level, unsigned acc)
{
	switch (stop) {
	case PTDBG_STOP_OK:          return 0;
	case PTDBG_STOP_RANGE:       return ARM64_FSC_TRANSLATION | 0u;
	case PTDBG_STOP_NOT_PRESENT: return fsc_at(ARM64_FSC_TRANSLATION, level);
	case PTDBG_STOP_RESERVED:    return fsc_at(ARM64_FSC_ADDR_SIZE, level);
	case PTDBG_STOP_READ_ERROR:  return fsc_at(ARM64_FSC_SEA_WALK, level);
	case PTDBG_STOP_PROTECTION:  return fsc_at(ARM64_FSC_PERMISSION, level);
	}
	return 0;
}

const struct ptdbg_decoder ptdbg_arm64_decoder = {
	.name = "aarch64",
	.addr_word = "va",
	.entry = arm64_entry,
	.perm = arm64_perm,
	.allows = arm64_allows,
	.fault = arm64_fault,
	.level_name = arm64_level_name,
	.entry_name = arm64_entry_name,
	.anomaly_names = {
		[PTDBG_AN_RESERVED]   = "reserved-bits",
		[PTDBG_AN_TYPE_LEVEL] = "block-not-allowed",
		[PTDBG_AN_READ_ERROR] = "table-read-error",
		[PTDBG_AN_RECURSIVE]  = "recursive-table",
		[PTDBG_AN_BUDGET]     = "budget-exhausted",
	},
	.memtype_name = ptdbg_arm64_memtype_name,
	.attr_index_name = "attr_index",
	.entry_bits = arm64_bits_entry_table,
	.perm_bits = &arm64_bits_effective,
};

/* The descriptor positions of output-address bits [52:pa_bits) (and of the RES0
 * positions of OA[51:48] where the format has none). */
static uint64_t reserved_positions(const struct ptdbg_arm64_half *h)
{
	uint64_t r = 0;

	for (unsigned b = h->pa_bits; b < 48; b++)
		r |= 1ull << b;
	if (h->ds) {
		if (h->pa_bits < 50)
			r |= ARM64_GENMASK(49, h->pa_bits < 48 ? 48 : h->pa_bits);
		r |= ARM64_DESC_OA_DS_HI; /* pa_bits < 52: OA[51:50] */
		if (h->pa_bits >= 52)
			r &= ~ARM64_DESC_OA_DS_HI;
	} else {
		r |= ARM64_GENMASK(49, 48);
		if (h->gshift == 16 && !h->lpa64)
			r |= ARM64_DESC_OA_64K_HI;
	}
	return r;
}

int ptdbg_arm64_space(struct ptdbg_walk_space *sp, const struct ptdbg_arm64_cpu *cpu,
		      unsigned half)
{
	struct ptdbg_arm64_half h;

	memset(sp, 0, sizeof(*sp));
	ptdbg_arm64_half_of(cpu, half, &h);
	if (!h.enabled || h.top < 1 || h.top > PTDBG_WALK_MAX_LEVEL)
		return PTDBG_EINVAL;
	sp->dec = &ptdbg_arm64_decoder;
	sp->hw = cpu;
	sp->root = h.root;
	sp->top = h.top;
	sp->va_bits = h.va_bits;
	sp->va_base = h.va_base;
	sp->sign_extend = false;

	uint64_t hi = h.ds ? ARM64_GENMASK(49, 48) : 0;
	uint64_t cfg = (h.ds ? CFG_HI_DS : h.lpa64 ? CFG_HI_LPA64 : CFG_HI_NONE) |
		       (h.half ? CFG_HALF1 : 0) | (h.hpd ? CFG_HPD : 0);
	bool big_oa = h.ds || h.lpa64;
	uint64_t rsvd = reserved_positions(&h);
	for (unsigned l = 1; l <= sp->top; l++) {
		int lk = ptdbg_arm64_lookup_level(l);
		uint64_t *m = sp->lv[l].mask;
		unsigned shift = arm64_level_shift(h.gshift, lk);

		sp->lv[l].shift = (uint8_t)shift;
		sp->lv[l].index_bits = (uint8_t)(l == sp->top ? h.va_bits - shift : h.gshift - 3);
		m[MASK_TABLE_ADDR] = ARM64_GENMASK(47, h.gshift) | hi;
		m[MASK_RSVD] = rsvd;
		if (lk == 3 || arm64_block_allowed(h.gshift, lk, big_oa))
			m[MASK_LEAF_ADDR] = ARM64_GENMASK(47, shift) | hi;
		m[MASK_CFG] = cfg;
		/* perm() reads the attributes, never the output address */
		sp->lv[l].perm_mask = ARM64_DESC_TYPE_MASK | ARM64_DESC_LOWER_MASK | ARM64_DESC_UPPER_MASK;
		/* pages: entry() says no more than the address where it is a plain mask
		 * (48-bit output addresses) */
		if (l == 1 && (cfg & CFG_HI_MASK) == CFG_HI_NONE) {
			sp->lv[l].plain_any = ARM64_DESC_VALID;
			sp->lv[l].plain_all = ARM64_DESC_VALID | ARM64_DESC_TYPE;
			sp->lv[l].plain_none = rsvd;
			sp->lv[l].plain_addr = m[MASK_LEAF_ADDR];
		}
	}
	return 0;
}

int ptdbg_arm64_walk(struct ptdbg_mem *mem, const struct ptdbg_arm64_cpu *cpu, unsigned half,
		     const struct ptdbg_walk_opts *opts, ptdbg_walk_visit_fn visit, void *ctx,
		     struct ptdbg_walk_result *res)
{
	struct ptdbg_walk_space sp;

	if (ptdbg_arm64_space(&sp, cpu, half)) {
		if (res)
			memset(res, 0, sizeof(*res));
		return PTDBG_EINVAL;
	}
	return ptdbg_walk(mem, &sp, opts, visit, ctx, res);
}

/* ---- translation ---- */

int ptdbg_arm64_translate(struct ptdbg_mem *mem, const struct ptdbg_arm64_cpu *cpu, uint64_t va,
			  unsigned acc, struct ptdbg_translation *out, int *half_out)
{
	struct ptdbg_walk_space sp;
	struct ptdbg_arm64_half h;
	unsigned half;
	uint64_t canon;

	memset(out, 0, sizeof(*out));
	out->va = va;
	out->access = acc;
	if (half_out)
		*half_out = -1;
	if (!ptdbg_arm64_mmu_on(cpu)) { /* flat: the address is the physical address */
		out->pa = va;
		return 0;
	}
	bool inside = ptdbg_arm64_va_half(cpu, va, acc, &half, &canon);
	ptdbg_arm64_half_of(cpu, half, &h);
	if (half_out)
		*half_out = (int)half;
	if (!inside || ptdbg_arm64_space(&sp, cpu, half)) {
		out->levels = h.top;
		out->stop = PTDBG_STOP_RANGE;
		out->stop_level = h.top;
		out->fault = ARM64_FSC_TRANSLATION | 0u;
		return 0;
	}
	int rc = ptdbg_translate(mem, &sp, canon, acc, out);
	out->va = va;
	if (rc)
		return rc;
	if (out->stop == PTDBG_STOP_RESERVED && out->nsteps) {
		const struct ptdbg_walk_step *st = &out->step[out->nsteps - 1];
		struct ptdbg_entry ent;
		arm64_entry(&sp, st->level, st->entry, &ent);
		if (ent.refused) /* the CPU takes the descriptor as invalid */
			out->fault = fsc_at(ARM64_FSC_TRANSLATION, st->level);
	} else if (out->stop == PTDBG_STOP_PROTECTION && !(out->perm.flags & PTDBG_ARM64_PERM_AF) &&
		   !(cpu->tcr & ARM64_TCR_HA)) {
		out->fault = fsc_at(ARM64_FSC_ACCESS_FLAG, out->stop_level);
	}
	return 0;
}

size_t ptdbg_arm64_read_virt(struct ptdbg_mem *mem, const struct ptdbg_arm64_cpu *cpu, uint64_t va,
			     void *buf, size_t len, struct ptdbg_translation *why, int *link)
{
	struct ptdbg_walk_space sp;
	unsigned half;
	uint64_t canon;

	*link = 0;
	if (why)
		memset(why, 0, sizeof(*why));
	if (!ptdbg_arm64_mmu_on(cpu)) {
		int rc = ptdbg_mem_read(mem, va, buf, len);
		if (rc) {
			*link = ptdbg_link_error(rc) ? rc : 0;
			if (why) {
				why->va = va;
				why->stop = PTDBG_STOP_READ_ERROR;
			}
			return 0;
		}
		return len;
	}
	bool inside = ptdbg_arm64_va_half(cpu, va, PTDBG_ACC_FETCH, &half, &canon);
	if (!inside || ptdbg_arm64_space(&sp, cpu, half)) {
		if (why)
			ptdbg_arm64_translate(mem, cpu, va, PTDBG_ACC_FETCH, why, NULL);
		return 0;
	}
	size_t got = ptdbg_read_virt(mem, &sp, canon, PTDBG_ACC_FETCH, buf, len, why, link);
	if (why && why->stop != PTDBG_STOP_OK)
		why->va = va + (why->va - canon);
	return got;
}

uint64_t ptdbg_arm64_esr_of(const struct ptdbg_translation *tr)
{
	bool user = tr->access & PTDBG_ACC_USER, fetch = tr->access & PTDBG_ACC_FETCH;
	unsigned ec;

	if (!tr->fault)
		return 0;
	ec = fetch ? (user ? ARM64_EC_IABT_LOW : ARM64_EC_IABT_CUR)
		   : (user ? ARM64_EC_DABT_LOW : ARM64_EC_DABT_CUR);
	uint64_t esr = ((uint64_t)ec << ARM64_ESR_EC_SHIFT) | ARM64_ESR_IL | (tr->fault & 0x3fu);
	if (!fetch && (tr->access & PTDBG_ACC_WRITE))
		esr |= ARM64_ISS_WNR;
	return esr;
}

/* ---- names ---- */

const char *ptdbg_arm64_fsc_name(unsigned fsc, char *buf, size_t len)
{
	const char *what;
	unsigned kind = arm64_fsc_kind(fsc);
	int level = arm64_fsc_level(fsc);

	switch (kind) {
	case ARM64_FSC_ADDR_SIZE:   what = "address size fault"; break;
	case ARM64_FSC_TRANSLATION: what = "translation fault"; break;
	case ARM64_FSC_ACCESS_FLAG: what = "access flag fault"; break;
	case ARM64_FSC_PERMISSION:  what = "permission fault"; break;
	case ARM64_FSC_SEA_WALK:    what = "synchronous external abort on a table walk"; break;
	case ARM64_FSC_PARITY_WALK: what = "parity error on a table walk"; break;
	case ARM64_FSC_SEA:         what = "synchronous external abort"; break;
	case ARM64_FSC_TAG_CHECK:   what = "tag check fault"; break;
	case ARM64_FSC_PARITY:      what = "parity error"; break;
	case ARM64_FSC_ALIGNMENT:   what = "alignment fault"; break;
	case ARM64_FSC_ADDR_SIZE_LM1: what = "address size fault"; break;
	case ARM64_FSC_TRANS_LM1:   what = "translation fault"; break;
	case 0x13u:                 what = "synchronous external abort on a table walk";
				    level = -1; break;
	case ARM64_FSC_TLB_CONFLICT: what = "TLB conflict abort"; break;
	case ARM64_FSC_ATOMIC_HW:   what = "unsupported atomic hardware update"; break;
	case ARM64_FSC_LOCKDOWN:    what = "lockdown abort"; break;
	case ARM64_FSC_EXCLUSIVE:   what = "unsupported exclusive access"; break;
	default:                    what = NULL; break;
	}
	if (!what)
		snprintf(buf, len, "fault status 0x%02x", fsc & 0x3fu);
	else if (level >= -1)
		snprintf(buf, len, "%s at level %d", what, level);
	else
		snprintf(buf, len, "%s", what);
	return buf;
}

const char *ptdbg_arm64_ec_name(unsigned ec)
{
	switch (ec) {
	case ARM64_EC_UNKNOWN:     return "unknown reason (undefined instruction)";
	case ARM64_EC_WFX:         return "WFI or WFE trapped";
	case ARM64_EC_FP_ASIMD:    return "SIMD or floating-point access trapped";
	case ARM64_EC_BTI:         return "branch target exception";
	case ARM64_EC_ILLEGAL:     return "illegal execution state";
	case ARM64_EC_SVC32:       return "SVC in AArch32";
	case ARM64_EC_SVC64:       return "SVC (system call)";
	case ARM64_EC_HVC64:       return "HVC";
	case ARM64_EC_SMC64:       return "SMC";
	case ARM64_EC_SYS64:       return "MSR, MRS or system instruction trapped";
	case ARM64_EC_SVE:         return "SVE access trapped";
	case ARM64_EC_FPAC:        return "pointer authentication failure";
	case ARM64_EC_IABT_LOW:    return "instruction abort from a lower EL";
	case ARM64_EC_IABT_CUR:    return "instruction abort from the same EL";
	case ARM64_EC_PC_ALIGN:    return "PC alignment fault";
	case ARM64_EC_DABT_LOW:    return "data abort from a lower EL";
	case ARM64_EC_DABT_CUR:    return "data abort from the same EL";
	case ARM64_EC_SP_ALIGN:    return "SP alignment fault";
	case ARM64_EC_FP_EXC64:    return "floating-point exception";
	case ARM64_EC_SERROR:      return "SError interrupt";
	case ARM64_EC_BREAKPT_LOW: return "breakpoint from a lower EL";
	case ARM64_EC_BREAKPT_CUR: return "breakpoint from the same EL";
	case ARM64_EC_SOFTSTP_LOW: return "software step from a lower EL";
	case ARM64_EC_SOFTSTP_CUR: return "software step from the same EL";
	case ARM64_EC_WATCHPT_LOW: return "watchpoint from a lower EL";
	case ARM64_EC_WATCHPT_CUR: return "watchpoint from the same EL";
	case ARM64_EC_BRK64:       return "BRK instruction";
	default:                   return "reserved exception class";
	}
}

/* One nibble of a Normal memory attribute ("WB-RWA", "WT-RA", "NC", "WBt-WA"), or
 * NULL for an encoding that is not one. */
static const char *normal_nibble(unsigned n, char *buf, size_t len)
{
	static const char *const alloc[4] = { "", "-WA", "-RA", "-RWA" };
	unsigned rw = n & 3u;

	if (n == 0x4u)
		return "NC";
	switch (n >> 2) {
	case 0: if (!rw) return NULL; snprintf(buf, len, "WTt%s", alloc[rw]); break;
	case 1: snprintf(buf, len, "WBt%s", alloc[rw]); break;
	case 2: snprintf(buf, len, "WT%s", alloc[rw]); break;
	default: snprintf(buf, len, "WB%s", alloc[rw]); break;
	}
	return buf;
}

const char *ptdbg_arm64_memtype_name(unsigned attr)
{
	static char names[256][32];
	char *b = names[attr & 0xffu];
	char in[12], outer[12];

	attr &= 0xffu;
	if (b[0])
		return b;
	if (arm64_mair_is_device((uint8_t)attr)) {
		static const char *const dev[4] = { "nGnRnE", "nGnRE", "nGRE", "GRE" };
		if (attr & 3u)
			snprintf(b, sizeof(names[0]), "reserved-0x%02x", attr);
		else
			snprintf(b, sizeof(names[0]), "Device-%s", dev[attr >> 2]);
		return b;
	}
	const char *i = normal_nibble(attr & 0xfu, in, sizeof(in));
	const char *o = normal_nibble(attr >> 4, outer, sizeof(outer));
	if (!i || !o)
		snprintf(b, sizeof(names[0]), "reserved-0x%02x", attr);
	else if (!strcmp(i, o))
		snprintf(b, sizeof(names[0]), "Normal-%s", i);
	else
		snprintf(b, sizeof(names[0]), "Normal-i:%s/o:%s", i, o);
	return b;
}
