/* SPDX-License-Identifier: MIT */
/*
 * The VT-d second-level decoder (VT-d 3.6 and 9.8) for the walker frame
 * (walk/frame.h: events, paths, budgets and the walk itself).
 *
 * How entries read: R=W=0 is ABSENT (when nonzero); a leaf at level 1, or with PS=1
 * at level 2/3; reserved bits (against the host address width, SNP without ECAP.SC,
 * TM without ECAP.DT, the superpage's low address bits, PS in a level-4/5 entry)
 * give ANOMALY(RESERVED), the entry is still followed and every LEAF below carries
 * VTD_PERM_FAULTS (the unit would record fault 0xC). PS=1 at level 4 or 5, or a
 * superpage size CAP.SLLPS does not list, gives ANOMALY(TYPE_LEVEL, detail = level):
 * at level 2/3 the entry is shown as a leaf with VTD_PERM_FAULTS, at level 4/5 it
 * is refused (nothing below it). R, W and X combine down the path by AND.
 * The node budget of a walk defaults to VTD_WALK_NODES.
 */
#ifndef PTDBG_VTD_WALK_H
#define PTDBG_VTD_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "target/mem.h"
#include "walk/frame.h"
#include "vtd/vtd_bits.h"
#include "vtd/vtd_tables.h"

/* Effective permissions of a mapping. */
#define VTD_PERM_R      (1u << 0) /* R=1 at every level */
#define VTD_PERM_W      (1u << 1) /* W=1 at every level */
#define VTD_PERM_X      (1u << 2) /* X=1 at every level (meaningful with SLEE) */
#define VTD_PERM_SNP    (1u << 3) /* leaf SNP */
#define VTD_PERM_TM     (1u << 4) /* leaf TM */
#define VTD_PERM_FAULTS (1u << 5) /* a reserved bit on the path: any access faults */
extern const struct ptdbg_bit_table vtd_bits_perm;

/* The default node budget of a VT-d walk (a second-level table is not shared
 * between entries of one domain as CPU tables are: a fixed bound, not the frame's
 * per-table rule). */
#define VTD_WALK_NODES 1000000u

/* The decoder, and a space over cfg's table (cfg->hw is referred to: it must outlive
 * the space). */
extern const struct ptdbg_decoder vtd_sl_decoder;
struct vtd_walk_cfg;
void vtd_space(struct ptdbg_walk_space *sp, const struct vtd_walk_cfg *cfg);

struct vtd_walk_cfg {
	struct vtd_hw hw;
	uint64_t root;        /* second-level table */
	unsigned levels;      /* 3, 4 or 5 (2 accepted for the obsolete 30-bit AW) */
	bool     iova_filter; /* restrict to [iova_first, iova_last] */
	uint64_t iova_first, iova_last;
	uint64_t max_nodes;   /* 0: VTD_WALK_NODES */
	uint64_t max_leaves;  /* 0: PTDBG_WALK_MAX_LEAVES */
	bool     leaf_runs;   /* the visitor takes LEAF_RUN events (walk/frame.h) */
};

/* Walk cfg's table through the frame (ptdbg_walk), calling visit for each event.
 * Returns 0, the visitor's stop value, a link error, or PTDBG_EINVAL for a bad cfg
 * (or no visitor). */
int vtd_walk(struct ptdbg_mem *mem, const struct vtd_walk_cfg *cfg, ptdbg_walk_visit_fn visit,
	     void *ctx, struct ptdbg_walk_result *res);

/* Fill a walk configuration from a successful lookup (second-level or nested). */
void vtd_walk_cfg_from_lookup(struct vtd_walk_cfg *cfg, const struct vtd_hw *hw,
			      const struct vtd_dev_lookup *l);

/* Reserved bits set in a present second-level entry at level (leaf: it maps a page). */
uint64_t vtd_sl_reserved(const struct vtd_hw *hw, uint64_t entry, unsigned level, bool leaf);

/* ---- single-IOVA translation ---- */

/* Translate iova for a read or write through cfg's table as the unit would (the
 * frame's step loop, ptdbg_translate); out->fault is the fault reason the unit would
 * record, 0 if none: the legacy codes, or the scalable-mode ones if cfg->hw.scalable
 * (unless cfg->hw.legacy_reasons).
 * The check order per level: read error, not present (R=W=0), reserved bits,
 * superpage support, then permission. Returns 0 when *out is filled, or a link
 * error. addr_bits limits the input address (0: the width levels translate, further limited
 * by the MGAW). */
int vtd_translate(struct ptdbg_mem *mem, const struct vtd_walk_cfg *cfg, unsigned addr_bits,
		  uint64_t iova, bool write, struct ptdbg_translation *out);

/* A device's request from the root table down to the page. */
struct vtd_dev_translation {
	struct vtd_dev_lookup lookup;
	struct ptdbg_translation sl; /* valid when lookup.xlate is second-level */
	bool     translated;
	unsigned reason;             /* fault reason from whichever stage stopped, 0 if none */
	uint64_t pa;
};

/* Look bdf (pasid or VTD_NO_PASID) up and translate iova. First-level and nested
 * translation are not decoded: translated=false, reason 0, lookup says why. */
int vtd_translate_dev(struct ptdbg_mem *mem, const struct vtd_hw *hw, uint64_t root_table,
		      uint16_t bdf, uint32_t pasid, uint64_t iova, bool write,
		      struct vtd_dev_translation *out);

#endif /* PTDBG_VTD_WALK_H */
