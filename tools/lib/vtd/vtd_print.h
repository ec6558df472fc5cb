/* SPDX-License-Identifier: MIT */
/*
 * Printers of VT-d structures: device lookups and the context dump (vtd_ctx_print.c),
 * translations and second-level mappings (vtd_print.c). They format what the
 * lookup (vtd_tables.h), the frame and the decoder (vtd_walk.h) produce.
 */
#ifndef PTDBG_VTD_PRINT_H
#define PTDBG_VTD_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "out/json.h"
#include "vtd/vtd_walk.h"

/* Print one lookup: each entry read, decoded, and the outcome (text / JSON object). */
void vtd_lookup_print(FILE *out, const struct vtd_dev_lookup *l);
void vtd_lookup_json(struct ptdbg_json *j, const struct vtd_dev_lookup *l);

/*
 * The context dump (iommudump ctx): every present root entry and every context
 * entry under it (present, or nonzero while not present), decoded, with the
 * translation each present context leads to. Text or JSON ({"root_table", "mode",
 * "buses": [{bus, root{...}, "contexts": [...]}]}). At most max_contexts device
 * contexts (0: every one; a root table holds up to 65,536); when it stops early, a
 * last line says so ("stopped_after_contexts" in JSON). Returns 0 or a link error;
 * unreadable tables are reported in the output.
 */
int vtd_ctx_dump_print(FILE *out, struct ptdbg_mem *mem, const struct vtd_hw *hw,
		       uint64_t root_table, unsigned max_contexts);
int vtd_ctx_dump_json(struct ptdbg_json *j, struct ptdbg_mem *mem, const struct vtd_hw *hw,
		      uint64_t root_table, unsigned max_contexts);

/* The walk trace: the lookup, each level's entry decoded, then the result or the
 * stop reason (text), or the same as one JSON object written into j. */
void vtd_translation_print(FILE *out, const struct vtd_dev_translation *t);
void vtd_translation_json(struct ptdbg_json *j, const struct vtd_dev_translation *t);

/* A coalescing mapping printer (a visitor): one line (or JSON array element) per run
 * of leaves contiguous in IOVA and physical address with the same page size and
 * permissions, plus anomalies and absent entries. */
struct vtd_map_printer {
	FILE *out;
	struct ptdbg_json *json;   /* if set, JSON array elements instead of text */
	struct ptdbg_range r;      /* the run being built */
	uint64_t runs;             /* runs printed */
};
void vtd_map_printer_init(struct vtd_map_printer *p, FILE *out, struct ptdbg_json *json);
/* The visitor (ptdbg_walk_visit_fn), leaf runs included; always returns 0. */
int  vtd_map_printer_visit(void *ctx, const struct ptdbg_walk_event *ev);
/* Print the pending run. */
void vtd_map_printer_flush(struct vtd_map_printer *p);

#endif /* PTDBG_VTD_PRINT_H */
