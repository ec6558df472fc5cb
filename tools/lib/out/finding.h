/* SPDX-License-Identifier: MIT */
/*
 * Findings: what the checks of ptdump and iommudump report.
 *
 * A finding has a stable kind (a short kebab-case word scripts can match), a
 * severity, the address it is about, and one line of explanation; where known it
 * names the address space, the range marker, the frame and the table node
 * involved. Checks add findings to a list; printers write the list as text (one
 * finding a line) or as a JSON array.
 */
#ifndef PTDBG_FINDING_H
#define PTDBG_FINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "out/json.h"

enum ptdbg_severity {
	PTDBG_SEV_INFO = 0,
	PTDBG_SEV_WARNING = 1,
	PTDBG_SEV_ERROR = 2,
};

#define PTDBG_NO_ADDR UINT64_MAX /* frame/node/addr not applicable */

struct ptdbg_finding {
	const char *kind;          /* static string */
	enum ptdbg_severity severity;
	uint64_t addr;             /* virtual address (or IOVA) the finding is about */
	uint64_t size;             /* bytes from addr it covers (0: one address) */
	uint64_t frame;            /* physical address of the frame involved, or PTDBG_NO_ADDR */
	uint64_t node;             /* physical address of the table node involved, or PTDBG_NO_ADDR */
	char space[40];            /* address space ("" if unknown) */
	char marker[40];           /* range marker ("" if none) */
	char msg[512];             /* one line */
};

struct ptdbg_findings {
	struct ptdbg_finding *v;
	size_t n, cap;
	size_t dropped;            /* findings not kept because the list was full */
	size_t max;                /* at most this many kept (0: 100000) */
};

/* Append a finding; fmt/... form its message. Returns the stored finding (so the
 * caller can fill frame/node/space/marker) or NULL when the list is full. */
struct ptdbg_finding *ptdbg_finding_add(struct ptdbg_findings *l, const char *kind,
					enum ptdbg_severity sev, uint64_t addr, uint64_t size,
					const char *fmt, ...) __attribute__((format(printf, 6, 7)));

void ptdbg_findings_free(struct ptdbg_findings *l);
/* Sort by address, then kind (stable output for tests and diffs). */
void ptdbg_findings_sort(struct ptdbg_findings *l);

/* Check that every kind in the comma-separated list is one of the NULL-terminated
 * tables in known[] (itself NULL-terminated). Returns 0, or -1 with the first
 * unknown kind copied into bad. */
int ptdbg_kinds_validate(const char *list, const char *const *const *known, char *bad, size_t len);

/* Keep only the findings whose kind is in kinds, a comma-separated list. */
void ptdbg_findings_keep_kinds(struct ptdbg_findings *l, const char *kinds);

/* The highest severity in l, or -1 if l is empty. */
int ptdbg_findings_worst(const struct ptdbg_findings *l);

const char *ptdbg_severity_name(enum ptdbg_severity s);

/* One line a finding: "SEVERITY KIND ADDR[-END] [space] [marker] message [frame..] [node..]". */
void ptdbg_findings_print(FILE *out, const struct ptdbg_findings *l);
/* A JSON array of objects {kind, severity, addr, size, space, marker, frame, node, message}. */
void ptdbg_findings_json(struct ptdbg_json *j, const struct ptdbg_findings *l);

#endif /* PTDBG_FINDING_H */
