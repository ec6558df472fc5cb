/* SPDX-License-Identifier: MIT */
/*
 * The VT-d second-level page-table walker (VT-d 3.6 and 9.8).
 *
 * Shaped like the x86 walker (x86_walk.h): tables are read through struct
 * ptdbg_mem, events go to a visitor, printers and checks are visitors. Emission is
 * depth first in increasing IOVA order; before a table's entries are visited, every
 * child table it points to is prefetched in one batch.
 *
 *   NODE(root)
 *     for each entry of a table, in index order:
 *       ANOMALY*  about this entry, before what follows for it
 *       LEAF      R|W set and the entry maps a page (level 1, or PS=1 at level 2/3)
 *       NODE ...  R|W set and the entry points to a table
 *       ABSENT    R=W=0 but the entry is nonzero (raw value reported)
 *       (nothing) entry == 0
 *
 * Odd tables: reserved bits set (against the host address width, SNP without
 * ECAP.SC, TM without ECAP.DT, the superpage's low address bits, PS in a level-4/5
 * entry) give ANOMALY(RESERVED) and the entry is still followed; every LEAF below
 * carries VTD_PERM_FAULTS (the unit would record fault 0xC). PS=1 at level 4 or 5,
 * or a superpage size CAP.SLLPS does not list, gives ANOMALY(PS_LEVEL): at level 2/3
 * the entry is shown as a leaf with VTD_PERM_FAULTS, at level 4/5 nothing below it
 * is visited. An unreadable table is ANOMALY(READ_ERROR) instead of its NODE. A
 * table that is also an ancestor is ANOMALY(RECURSIVE) and still visited (depth is
 * bounded by the levels). Budgets bound the work (ANOMALY(BUDGET), partial walk).
 *
 * Leaf coalescing belongs to the printers.
 */
#ifndef PTDBG_VTD_WALK_H
#define PTDBG_VTD_WALK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "target/mem.h"
#include "vtd/vtd_bits.h"
#include "vtd/vtd_tables.h"

struct ptdbg_json;

/* Effective permissions of a mapping. */
#define VTD_PERM_R      (1u << 0) /* R=1 at every level */
#define VTD_PERM_W      (1u << 1) /* W=1 at every level */
#define VTD_PERM_X      (1u << 2) /* X=1 at every level (meaningful with SLEE) */
#define VTD_PERM_SNP    (1u << 3) /* leaf SNP */
#define VTD_PERM_TM     (1u << 4) /* leaf TM */
#define VTD_PERM_FAULTS (1u << 5) /* a reserved bit on the path: any access faults */
extern const struct ptdbg_bit_table vtd_bits_perm;

/* The entries from the root down to the current one (lv[level..top] valid). */
struct vtd_path {
	unsigned top;
	unsigned level;
	struct {
		uint64_t table_pa;
		uint64_t entry;
		uint16_t index;
	} lv[6];
};

enum vtd_event_kind {
	VTD_EV_NODE = 1, VTD_EV_LEAF, VTD_EV_ABSENT, VTD_EV_ANOMALY,
};

enum vtd_anomaly {
	VTD_AN_RESERVED = 1,   /* detail = the offending bits */
	VTD_AN_PS_LEVEL,       /* PS=1 where no superpage exists (detail = level) */
	VTD_AN_READ_ERROR,     /* table at pa unreadable; detail = -err */
	VTD_AN_RECURSIVE,      /* table pa is the ancestor at level detail */
	VTD_AN_BUDGET,         /* node or leaf budget ran out */
};

/*
 * One event:
 *   all      kind, level, iova (first byte), size (bytes of IOVA), path
 *   NODE     level = the table's level, pa = the table, entry = the entry pointing
 *            to it (0 for the root), iova/size = the span it covers
 *   LEAF     level 1 (4 KiB), 2 (2 MiB), 3 (1 GiB); pa = page; entry = raw; perm
 *   ABSENT   entry = raw value (R=W=0), iova/size = span it would cover
 *   ANOMALY  anomaly, detail; level/iova/size/entry of the entry concerned (for
 *            READ_ERROR and RECURSIVE: pa = the table, level = the table's level)
 */
struct vtd_event {
	enum vtd_event_kind kind;
	unsigned level;
	uint64_t iova;
	uint64_t size;
	uint64_t pa;
	uint64_t entry;
	uint32_t perm;          /* VTD_PERM_* (LEAF) */
	enum vtd_anomaly anomaly;
	uint64_t detail;
	const struct vtd_path *path;
};

/* Return 0 to go on; anything else stops the walk and is returned by vtd_walk(). */
typedef int (*vtd_visit_fn)(void *ctx, const struct vtd_event *ev);

struct vtd_walk_cfg {
	struct vtd_hw hw;
	uint64_t root;        /* second-level table */
	unsigned levels;      /* 3, 4 or 5 (2 accepted for the obsolete 30-bit AW) */
	bool     iova_filter; /* restrict to [iova_first, iova_last] */
	uint64_t iova_first, iova_last;
	uint64_t max_nodes;   /* 0: 1,000,000 */
	uint64_t max_leaves;  /* 0: 4,000,000 */
};

struct vtd_walk_result {
	uint64_t nodes, leaves, absent, anomalies, read_errors;
	bool partial;
};

/* Walk cfg's table, calling visit for each event. Returns 0, the visitor's stop
 * value, a link error, or PTDBG_EINVAL for a bad cfg. */
int vtd_walk(struct ptdbg_mem *mem, const struct vtd_walk_cfg *cfg, vtd_visit_fn visit,
	     void *ctx, struct vtd_walk_result *res);

/* Fill a walk configuration from a successful lookup (second-level or nested). */
void vtd_walk_cfg_from_lookup(struct vtd_walk_cfg *cfg, const struct vtd_hw *hw,
			      const struct vtd_dev_lookup *l);

/* Reserved bits set in a present second-level entry at level (leaf: it maps a page). */
uint64_t vtd_sl_reserved(const struct vtd_hw *hw, uint64_t entry, unsigned level, bool leaf);

/* Bytes one entry at level covers (4 KiB << 9*(level-1)). */
static inline uint64_t vtd_level_span(unsigned level)
{
	return 1ull << (12 + 9 * (level - 1));
}

/* ---- single-IOVA translation ---- */

struct vtd_step {
	unsigned level;
	uint64_t table_pa;
	unsigned index;
	uint64_t entry_pa;
	uint64_t entry;
	bool     leaf;
	uint64_t reserved;
	int      err;
};

struct vtd_translation {
	uint64_t iova;
	bool     write;
	unsigned levels;
	unsigned nsteps;
	struct vtd_step step[6];
	unsigned reason;      /* fault reason code the unit would record, 0 if none */
	unsigned stop_level;  /* level where it stopped (0 if translated) */
	uint64_t pa;          /* translated address (reason == 0) */
	uint64_t page_size;
	uint32_t perm;        /* VTD_PERM_* of the page (if reached) */
};

/* Translate iova for a read or write through cfg's table as the unit would; the
 * fault codes are the legacy ones, or the scalable-mode ones if cfg->hw.scalable
 * (unless cfg->hw.legacy_reasons).
 * The check order per level: read error, not present (R=W=0), reserved bits,
 * superpage support, then permission. Returns 0 when *out is filled, or a link
 * error. addr_bits limits the input address (0: 12 + 9*levels, further limited
 * by the MGAW). */
int vtd_translate(struct ptdbg_mem *mem, const struct vtd_walk_cfg *cfg, unsigned addr_bits,
		  uint64_t iova, bool write, struct vtd_translation *out);

/* A device's request from the root table down to the page. */
struct vtd_dev_translation {
	struct vtd_dev_lookup lookup;
	struct vtd_translation sl;   /* valid when lookup.xlate is second-level */
	bool     translated;
	unsigned reason;             /* fault reason from whichever stage stopped, 0 if none */
	uint64_t pa;
};

/* Look bdf (pasid or VTD_NO_PASID) up and translate iova. First-level and nested
 * translation are not decoded: translated=false, reason 0, lookup says why. */
int vtd_translate_dev(struct ptdbg_mem *mem, const struct vtd_hw *hw, uint64_t root_table,
		      uint16_t bdf, uint32_t pasid, uint64_t iova, bool write,
		      struct vtd_dev_translation *out);

/* The walk trace: each level's entry decoded, then the result or the stop reason. */
void vtd_translation_print(FILE *out, const struct vtd_dev_translation *t);
void vtd_translation_json(struct ptdbg_json *j, const struct vtd_dev_translation *t);

/* ---- a coalescing mapping printer (a visitor) ---- */

/* Prints one line per run of leaves contiguous in IOVA and physical address with
 * the same page size and permissions, plus anomalies and absent entries. */
struct vtd_map_printer {
	FILE *out;
	struct ptdbg_json *json;   /* if set, JSON array elements instead of text */
	bool  have;
	uint64_t iova, pa, size, page;
	uint32_t perm;
	uint64_t runs;
};
void vtd_map_printer_init(struct vtd_map_printer *p, FILE *out, struct ptdbg_json *json);
int  vtd_map_printer_visit(void *ctx, const struct vtd_event *ev);
/* Print the pending run. */
void vtd_map_printer_flush(struct vtd_map_printer *p);

const char *vtd_anomaly_name(enum vtd_anomaly a);

#endif /* PTDBG_VTD_WALK_H */
