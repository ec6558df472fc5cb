/* SPDX-License-Identifier: MIT */
/*
 * The VT-d second-level decoder for the walker frame, and the translation of a
 * device's request from the root table down (see vtd_walk.h).
 */
#include <string.h>

#include "vtd/vtd_fault.h"
#include "vtd/vtd_walk.h"

static const struct ptdbg_bit bits_perm[] = {
	PTDBG_FLAG(VTD_PERM_R, "R", "-"),
	PTDBG_FLAG(VTD_PERM_W, "W", "-"),
	PTDBG_FLAG(VTD_PERM_X, "X", "-"),
	PTDBG_FLAG(VTD_PERM_SNP, "SNP", NULL),
	PTDBG_FLAG(VTD_PERM_TM, "TM", NULL),
	PTDBG_FLAG(VTD_PERM_FAULTS, "RSVD", NULL),
};
const struct ptdbg_bit_table vtd_bits_perm = {
	"effective", bits_perm, sizeof(bits_perm) / sizeof(bits_perm[0])
};

/* Whether the unit uses entry e (R or W set). */
static bool sl_present(uint64_t e)
{
	return (e & (VTD_SL_R | VTD_SL_W)) != 0;
}

/* Whether the unit supports a superpage at level (2: 2 MiB, 3: 1 GiB). */
static bool ps_supported(const struct vtd_hw *hw, unsigned level)
{
	return (level == 2 || level == 3) && (hw->sllps & (1u << (level - 2)));
}

/* The reserved bits set in present entry e; see vtd_walk.h. */
uint64_t vtd_sl_reserved(const struct vtd_hw *hw, uint64_t e, unsigned level, bool leaf)
{
	return e & vtd_sl_rsvd(hw->haw, level, leaf, hw->sc, hw->dt);
}

/* Address a leaf at level maps, or the table an entry points to. */
static uint64_t sl_addr(const struct vtd_hw *hw, uint64_t e, unsigned level, bool leaf)
{
	uint64_t a = e & VTD_SL_ADDR & ~vtd_hw_addr_rsvd(hw);
	if (leaf)
		a &= ~(ptdbg_level_span_4k(level) - 1);
	return a;
}

/* ---- the decoder ---- */

/* Decoder entry(). */
static void sl_entry(const struct ptdbg_walk_space *sp, unsigned level, uint64_t e,
		     struct ptdbg_entry *out)
{
	const struct vtd_hw *hw = sp->hw;

	if (!sl_present(e)) {
		*out = (struct ptdbg_entry){ .kind = PTDBG_ENT_ABSENT };
		return;
	}
	bool ps = (e & VTD_SL_PS) != 0;
	bool leaf = level == 1 || ps;
	out->kind = leaf ? PTDBG_ENT_LEAF : PTDBG_ENT_TABLE;
	out->addr = sl_addr(hw, e, level, leaf);
	out->reserved = vtd_sl_reserved(hw, e, level, leaf);
	out->bad_type = 0;
	out->bad_detail = 0;
	out->refused = false;
	if (ps && level > 1 && !ps_supported(hw, level)) {
		out->bad_type = VTD_SL_PS;
		out->bad_detail = level;
		out->refused = level >= 4;
	}
}

/* Decoder perm(): R, W and X ANDed over the path; SNP and TM from the leaf. */
static void sl_perm(const struct ptdbg_walk_space *sp, unsigned level, uint64_t e,
		    uint64_t up_and, uint64_t up_or, bool faults, struct ptdbg_perm *out)
{
	uint64_t all = up_and & e;
	uint32_t p = 0, a = 0;

	if (all & VTD_SL_R) {
		p |= VTD_PERM_R;
		a |= PTDBG_P_KR | PTDBG_P_UR;
	}
	if (all & VTD_SL_W) {
		p |= VTD_PERM_W;
		a |= PTDBG_P_KW | PTDBG_P_UW;
	}
	if (all & VTD_SL_X) {
		p |= VTD_PERM_X;
		a |= PTDBG_P_KX | PTDBG_P_UX;
	}
	if (e & VTD_SL_SNP)
		p |= VTD_PERM_SNP;
	if (e & VTD_SL_TM)
		p |= VTD_PERM_TM;
	if (faults) {
		p |= VTD_PERM_FAULTS;
		a |= PTDBG_P_FAULTS;
	}
	*out = (struct ptdbg_perm){ .access = a, .flags = p };
}

/* Decoder allows(): a write needs W, a read R (X is not checked). */
static bool sl_allows(const struct ptdbg_walk_space *sp, const struct ptdbg_perm *perm,
		      unsigned acc)
{
	return (perm->flags & ((acc & PTDBG_ACC_WRITE) ? VTD_PERM_W : VTD_PERM_R)) != 0;
}

/* Decoder fault(): the fault reason the unit records, legacy or scalable-mode. */
static uint32_t sl_fault(const struct ptdbg_walk_space *sp, enum ptdbg_stop stop,
			 unsigned level, unsigned acc)
{
	const struct vtd_hw *hw = sp->hw;
	bool sm = hw->scalable && !hw->legacy_reasons;
	bool write = acc & PTDBG_ACC_WRITE;

	switch (stop) {
	case PTDBG_STOP_OK:         return 0;
	case PTDBG_STOP_RANGE:      return sm ? VTD_FR_SM_ADDR_BEYOND : VTD_FR_ADDR_BEYOND_AW;
	case PTDBG_STOP_READ_ERROR: return sm ? VTD_FR_SM_SL_ACCESS : VTD_FR_PT_ACCESS;
	case PTDBG_STOP_RESERVED:   return sm ? VTD_FR_SM_SL_RSVD : VTD_FR_PT_RSVD;
	case PTDBG_STOP_NOT_PRESENT:
	case PTDBG_STOP_PROTECTION:
		return write ? (sm ? VTD_FR_SM_WRITE : VTD_FR_WRITE) : (sm ? VTD_FR_SM_READ : VTD_FR_READ);
	}
	return 0;
}

/* Level names: "L1" .. "L5". */
static const char *sl_level_name(unsigned level)
{
	static const char *const names[] = { "L?", "L1", "L2", "L3", "L4", "L5" };
	return level <= 5 ? names[level] : "L?";
}

/* Decoder entry_bits(): one layout at every level. */
static const struct ptdbg_bit_table *sl_entry_bits(unsigned level, bool leaf)
{
	return &vtd_bits_sl_entry;
}

const struct ptdbg_decoder vtd_sl_decoder = {
	.name = "vtd-sl",
	.addr_word = "iova",
	.entry = sl_entry,
	.perm = sl_perm,
	.allows = sl_allows,
	.fault = sl_fault,
	.check_tables = true,
	.default_nodes = VTD_WALK_NODES,
	.level_name = sl_level_name,
	.entry_name = sl_level_name,
	.anomaly_names = {
		[PTDBG_AN_RESERVED]   = "reserved bits set",
		[PTDBG_AN_TYPE_LEVEL] = "superpage not supported here",
		[PTDBG_AN_READ_ERROR] = "table unreadable",
		[PTDBG_AN_RECURSIVE]  = "table is its own ancestor",
		[PTDBG_AN_BUDGET]     = "walk budget exhausted",
	},
	.entry_bits = sl_entry_bits,
	.perm_bits = &vtd_bits_perm,
};

/* A space over cfg's second-level table: 4 KiB tables from IOVA 0. */
void vtd_space(struct ptdbg_walk_space *sp, const struct vtd_walk_cfg *cfg)
{
	memset(sp, 0, sizeof(*sp));
	sp->dec = &vtd_sl_decoder;
	sp->hw = &cfg->hw;
	sp->root = cfg->root & VTD_SL_ADDR;
	ptdbg_space_geometry_4k(sp, cfg->levels);
	sp->va_bits = ptdbg_shift_4k(cfg->levels + 1);
	for (unsigned l = 1; l <= sp->top; l++)
		sp->lv[l].perm_mask = VTD_SL_R | VTD_SL_W | VTD_SL_X | VTD_SL_SNP | VTD_SL_TM;
	/* level 1: every present entry is a 4 KiB leaf (sl_entry) */
	sp->lv[1].plain_any = VTD_SL_R | VTD_SL_W;
	sp->lv[1].plain_none = vtd_sl_rsvd(cfg->hw.haw, 1, true, cfg->hw.sc, cfg->hw.dt);
	sp->lv[1].plain_addr = VTD_SL_ADDR & ~vtd_hw_addr_rsvd(&cfg->hw) & ~(ptdbg_level_span_4k(1) - 1);
}

/* ---- the walk and the translation, through the frame ---- */

/* Walk cfg's table through the frame. */
int vtd_walk(struct ptdbg_mem *mem, const struct vtd_walk_cfg *cfg, ptdbg_walk_visit_fn visit,
	     void *ctx, struct ptdbg_walk_result *res)
{
	struct ptdbg_walk_space sp;

	if (res) /* filled on every return, the early errors included */
		memset(res, 0, sizeof(*res));
	if (!mem || !cfg || !visit || cfg->levels < 2 || cfg->levels > 5)
		return PTDBG_EINVAL;
	struct ptdbg_walk_opts o = {
		.va_filter = cfg->iova_filter, .va_first = cfg->iova_first,
		.va_last = cfg->iova_last, .max_nodes = cfg->max_nodes,
		.max_leaves = cfg->max_leaves, .leaf_runs = cfg->leaf_runs,
	};
	vtd_space(&sp, cfg);
	return ptdbg_walk(mem, &sp, &o, visit, ctx, res);
}

/* The walk a lookup leads to. */
void vtd_walk_cfg_from_lookup(struct vtd_walk_cfg *cfg, const struct vtd_hw *hw,
			      const struct vtd_dev_lookup *l)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->hw = *hw;
	cfg->root = l->sl_root;
	cfg->levels = l->levels;
}

/* Translate iova through the frame's step loop, limited to addr_bits. */
int vtd_translate(struct ptdbg_mem *mem, const struct vtd_walk_cfg *cfg, unsigned addr_bits,
		  uint64_t iova, bool write, struct ptdbg_translation *o)
{
	struct ptdbg_walk_space sp;
	unsigned bits = addr_bits ? addr_bits : ptdbg_shift_4k(cfg->levels + 1);

	memset(o, 0, sizeof(*o));
	o->va = iova;
	o->access = write ? PTDBG_ACC_WRITE : 0;
	o->levels = cfg->levels;
	if (cfg->levels < 2 || cfg->levels > 5)
		return PTDBG_EINVAL;
	if (cfg->hw.mgaw && cfg->hw.mgaw < bits)
		bits = cfg->hw.mgaw;
	vtd_space(&sp, cfg);
	sp.va_bits = bits < 64 ? bits : 64;
	return ptdbg_translate(mem, &sp, iova, o->access, o);
}

/* A device's request: lookup, then the second-level translation. */
int vtd_translate_dev(struct ptdbg_mem *mem, const struct vtd_hw *hw, uint64_t root_table,
		      uint16_t bdf, uint32_t pasid, uint64_t iova, bool write,
		      struct vtd_dev_translation *o)
{
	int rc;
	memset(o, 0, sizeof(*o));
	rc = vtd_dev_lookup(mem, hw, root_table, bdf, pasid, &o->lookup);
	if (rc)
		return rc;
	if (o->lookup.reason) {
		o->reason = o->lookup.reason;
		return 0;
	}
	switch (o->lookup.xlate) {
	case VTD_XL_PASSTHROUGH:
		o->translated = true;
		o->pa = iova;
		return 0;
	case VTD_XL_SECOND_LEVEL: {
		struct vtd_walk_cfg cfg;
		vtd_walk_cfg_from_lookup(&cfg, hw, &o->lookup);
		rc = vtd_translate(mem, &cfg, o->lookup.aw_bits, iova, write, &o->sl);
		if (rc)
			return rc;
		o->reason = o->sl.fault;
		o->translated = o->sl.fault == 0;
		o->pa = o->sl.pa;
		return 0;
	}
	default:
		return 0;
	}
}

