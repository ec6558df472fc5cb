/* SPDX-License-Identifier: MIT */
/*
 * Printers of AArch64 tables: the frame's range dump of one half (walk/dump.c) with
 * AArch64's header, filters and labels, and the trace of one translation with the
 * fault the CPU would report.
 */
#ifndef PTDBG_ARM64_PRINT_H
#define PTDBG_ARM64_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "arm64/arm64_walk.h"
#include "out/json.h"
#include "walk/dump.h"

struct ptdbg_arm64_dump_opts {
	FILE *out;                  /* text (NULL: stdout) */
	struct ptdbg_json *json;    /* JSON into this writer (NULL: text) */
	const char *space_name;     /* label; NULL: "TTBR0" / "TTBR1" */
	ptdbg_marker_fn marker;
	void *marker_ctx;
	bool merge_virtual, show_absent, show_nodes;
	bool range;                 /* only leaves meeting [lo, hi) */
	uint64_t lo, hi;
	uint32_t need_set, need_clear; /* PTDBG_ARM64_PERM_* a leaf must have / lack */
	uint64_t max_nodes, max_leaves;
	void (*on_leaves)(void *ctx, uint64_t n); /* n leaves walked (progress), may be NULL */
	void *leaf_ctx;
};

/* Dump one half of cpu's tables. A disabled half (EPDn) prints its label and why;
 * *res (may be NULL) gets the walk's totals. Returns 0, or a link error. */
int ptdbg_arm64_dump_half(struct ptdbg_mem *mem, const struct ptdbg_arm64_cpu *cpu, unsigned half,
			  const struct ptdbg_arm64_dump_opts *o, struct ptdbg_walk_result *res);

/* Parse dump's --flags list for AArch64: w (EL1-writable), ro, x (EL1-executable),
 * nx, u (EL0-accessible), k, uw, ux, g (global), ng, af, noaf. Returns 0, or -1 with
 * the word at fault in bad (size len). */
int ptdbg_arm64_parse_flags(const char *list, uint32_t *set, uint32_t *clear, char *bad, size_t len);

/* "read, EL1", "write, EL0", "fetch, EL1"... for an access PTDBG_ACC_*. */
const char *ptdbg_arm64_access_text(unsigned acc);

/* The trace of translation tr of cpu (through half, -1 for none) as text, and as a
 * JSON object (the keys of x86's, with half, fsc, esr and fault in place of
 * pf_error). */
void ptdbg_arm64_print_translation(FILE *out, const struct ptdbg_arm64_cpu *cpu, int half,
				   const struct ptdbg_translation *tr);
void ptdbg_arm64_json_translation(struct ptdbg_json *j, const struct ptdbg_arm64_cpu *cpu, int half,
				  const struct ptdbg_translation *tr);

#endif /* PTDBG_ARM64_PRINT_H */
