/* SPDX-License-Identifier: MIT */
/*
 * The range dump: a visitor of the walker frame (frame.h) that prints any format's
 * mappings as coalesced ranges, in text or JSON. Its columns come from the decoder:
 * effective flags from dec->perm_bits, the memory type from dec->memtype_name,
 * level and entry names, entry bits of ABSENT entries from dec->entry_bits, anomaly
 * names. What a format adds (the JSON header's register fields, a closing text line
 * such as where x86's memory types came from) comes from two hooks.
 *
 * TEXT, one line per event it shows:
 *   ---[ NAME ]---                                  space name, then each marker met
 *   0xVA-0xEND   SIZE  pa 0xPA PAGE  FLAGS MEMTYPE[ pkey N]   a range
 *   0xVA-0xEND absent ENTRY 0xRAW (BITS)            ABSENT (show_absent)
 *   0xVA LEVEL table at pa 0xPA[ (shared)][ (recursive)]     NODE (show_nodes)
 *   !! ANOMALY at LEVEL va 0xVA[ table pa 0xPA][ entry 0xRAW] detail 0xD
 *   # N leaves, N tables (N distinct), N absent, N anomalies, N unreadable[, PARTIAL]
 * JSON: {"aspace", <header hook>, "entries": [...], "summary": {...}}.
 * A budget anomaly's detail is the table visits made (the walk's node count).
 */
#ifndef PTDBG_WALK_DUMP_H
#define PTDBG_WALK_DUMP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "out/fmt.h"
#include "out/json.h"
#include "walk/frame.h"

/* Name the range marker containing va: return its name and set [*start, *end)
 * (end 0 means 2^64), or return NULL if no marker covers va. Names are compared by
 * pointer first: return one stable string per marker. */
typedef const char *(*ptdbg_marker_fn)(void *ctx, uint64_t va, uint64_t *start, uint64_t *end);

struct ptdbg_dump_opts {
	FILE *out;                 /* where text goes (NULL: stdout) */
	struct ptdbg_json *json;   /* JSON: write into this writer (NULL: text) */
	const char *space_name;    /* printed as a header, or NULL */
	ptdbg_marker_fn marker;
	void *marker_ctx;
	bool merge_virtual;        /* coalesce virtually contiguous runs even when not
				      physically contiguous (the PA column is the first) */
	uint32_t hide_flags;       /* perm.flags that neither split ranges nor print */
	bool show_absent;          /* list ABSENT entries */
	bool show_nodes;           /* list tables (NODE events) */
	bool no_summary;           /* TEXT: no closing summary line */
	/* Format additions: JSON fields after "aspace", and text after the summary
	 * line (may be NULL). */
	void (*json_header)(void *ctx, struct ptdbg_json *j);
	void (*text_footer)(void *ctx, FILE *out);
	void *hook_ctx;
};

struct ptdbg_dump {
	const struct ptdbg_decoder *dec;
	struct ptdbg_dump_opts o;
	FILE *out;
	struct ptdbg_json *json;
	struct ptdbg_range r;
	struct ptdbg_range_rule rule;
	const char *marker;        /* name of the marker of the current range */
	uint64_t marker_start, marker_end;
	bool header_done;
};

/* Set d up to print walks of dec's tables with opts (copied). */
void ptdbg_dump_init(struct ptdbg_dump *d, const struct ptdbg_decoder *dec,
		     const struct ptdbg_dump_opts *opts);
/* The visitor (ptdbg_walk_visit_fn): ctx is a struct ptdbg_dump *. Returns 0. */
int ptdbg_dump_visit(void *ctx, const struct ptdbg_walk_event *ev);
/* Print the pending range, close the JSON entries and print res's summary (res may
 * be NULL: no summary). */
void ptdbg_dump_finish(struct ptdbg_dump *d, const struct ptdbg_walk_result *res);

/* Format a size as Linux's ptdump does: the largest unit (K, M, G, T, P, E) that
 * divides it, right-aligned in 9 characters plus the unit ("        4K"). */
void ptdbg_format_size(uint64_t size, char *buf, size_t len);

/* Write the names of the rows of t that v matches as a JSON array field name. */
void ptdbg_json_bits(struct ptdbg_json *j, const char *name, const struct ptdbg_bit_table *t,
		     uint64_t v);

#endif /* PTDBG_WALK_DUMP_H */
