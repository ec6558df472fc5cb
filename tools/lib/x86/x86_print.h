/* SPDX-License-Identifier: MIT */
/*
 * Printers of x86-64 walker events. They are visitors (x86_walk.h): they never walk,
 * they format what the walker emits.
 *
 * Formats:
 *   TEXT      the frame's range dump (walk/dump.h): VA range, size, physical start,
 *             page size, effective flags (x86_bits_effective), memory type, pkey;
 *             marker lines, ABSENT entries and anomalies in VA order; x86 adds the
 *             line saying where the PAT came from.
 *   JSON      the same ranges and events as one JSON object, with the paging state.
 *   INFO_MEM  exactly what QEMU 7.2's monitor `info mem` prints for the same tables.
 *   INFO_TLB  exactly what QEMU 7.2's monitor `info tlb` prints for the same tables.
 *
 * Use:
 *   struct ptdbg_x86_printer *p = ptdbg_x86_printer_new(PTDBG_X86_FMT_TEXT, &cfg.cpu, &opts);
 *   ptdbg_x86_walk(mem, &cfg, ptdbg_x86_printer_visit, p, &res);
 *   ptdbg_x86_printer_finish(p, &res);   (flushes the last range, closes JSON)
 *   ptdbg_x86_printer_free(p);
 *
 * INFO_MEM/INFO_TLB need an unfiltered walk (QEMU has no filter).
 */
#ifndef PTDBG_X86_PRINT_H
#define PTDBG_X86_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "out/json.h"
#include "walk/dump.h"
#include "x86/x86_walk.h"

enum ptdbg_x86_format {
	PTDBG_X86_FMT_TEXT     = 0,
	PTDBG_X86_FMT_JSON     = 1,
	PTDBG_X86_FMT_INFO_MEM = 2,
	PTDBG_X86_FMT_INFO_TLB = 3,
};

/* Parse "text", "json", "info-mem", "info-tlb"; -1 if unknown. */
int ptdbg_x86_format_parse(const char *s);

/* Name the range marker containing va (walk/dump.h). */
typedef ptdbg_marker_fn ptdbg_x86_marker_fn;

struct ptdbg_x86_print_opts {
	FILE *out;                 /* where text goes (NULL: stdout) */
	struct ptdbg_json *json;   /* JSON: write into this writer (NULL: own writer on out) */
	const char *aspace_name;   /* TEXT/JSON: printed as a header, or NULL */
	ptdbg_x86_marker_fn marker;
	void *marker_ctx;
	bool merge_virtual;        /* coalesce virtually contiguous runs even when not
				      physically contiguous (the PA column is the first) */
	bool show_ad;              /* accessed/dirty split ranges and are shown */
	bool show_absent;          /* list ABSENT entries (default: counted only) */
	bool show_nodes;           /* list tables (NODE events) */
	bool no_summary;           /* TEXT: no closing summary line */
};

struct ptdbg_x86_printer;

/* A printer in format fmt for tables walked with cpu (copied). NULL if out of
 * memory or fmt is unknown. */
struct ptdbg_x86_printer *ptdbg_x86_printer_new(enum ptdbg_x86_format fmt,
						const struct ptdbg_x86_cpu *cpu,
						const struct ptdbg_x86_print_opts *opts);

/* The visitor (ptdbg_walk_visit_fn): printer is a struct ptdbg_x86_printer *.
 * Always returns 0. */
int ptdbg_x86_printer_visit(void *printer, const struct ptdbg_walk_event *ev);

/* Flush what is pending (last range, QEMU's final flush, JSON close) and print the
 * summary of res (may be NULL). */
void ptdbg_x86_printer_finish(struct ptdbg_x86_printer *p, const struct ptdbg_walk_result *res);

void ptdbg_x86_printer_free(struct ptdbg_x86_printer *p);

/* Walk trace of a single translation: each level's table, index, entry address,
 * raw entry and decoded bits, then the result or where and why it stops, with the
 * page-fault error code. */
void ptdbg_x86_print_translation(FILE *out, const struct ptdbg_x86_cpu *cpu,
				 const struct ptdbg_translation *t);
/* The same as one JSON object written into j. */
void ptdbg_x86_json_translation(struct ptdbg_json *j, const struct ptdbg_x86_cpu *cpu,
				const struct ptdbg_translation *t);

#endif /* PTDBG_X86_PRINT_H */
