/* SPDX-License-Identifier: MIT */
/*
 * Checks of x86-64 CPU page tables, computed from walker events (a visitor: it never
 * walks). One checker can be fed several walks, one per address space; findings that
 * need all of them (alias-wx) are computed by ptdbg_x86_checker_finish().
 *
 * Kinds (stable names):
 *   wx                    a mapping both writable and executable
 *   user-kernel           a user-accessible mapping in the kernel half
 *   reserved-bits         an entry with reserved bits set, or PS where it is not allowed
 *   noncanonical          a mapping that is not canonical under the paging mode the
 *                         kernel declares (debug region), or a marker that is not
 *   sw-present-hw-absent  an entry with P=0 but other bits set (shared/BUGS.md 2)
 *   alias-wx              one frame writable at one address and executable at another,
 *                         where it matters: code the kernel can run (U=0) writable
 *                         anywhere, or memory a user can write executable anywhere
 *   table-unreadable      a table pointer into memory that cannot be read
 *   recursive-table       a table that is its own ancestor (a recursive slot or a loop)
 *   walk-partial          the walk budget ran out; later addresses were not checked
 */
#ifndef PTDBG_X86_CHECK_H
#define PTDBG_X86_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "out/finding.h"
#include "x86/x86_walk.h"

struct ptdbg_x86_checker;

/* The kinds above, NULL-terminated (for --kind validation and documentation). */
extern const char *const ptdbg_x86_check_kinds[];

/* Names the marker covering va (may be NULL); the same shape as x86_print.h's. */
typedef const char *(*ptdbg_x86_check_marker_fn)(void *ctx, uint64_t va);

struct ptdbg_x86_check_opts {
	struct ptdbg_findings *out;      /* findings are appended here */
	ptdbg_x86_check_marker_fn marker;
	void *marker_ctx;
	unsigned declared_levels;        /* paging levels the kernel declares (0: unknown) */
	bool kernel_knows;               /* the guest exports a debug region: P=0 entries
					    with bits set are errors, not maybe-swap entries */
};

struct ptdbg_x86_checker *ptdbg_x86_checker_new(const struct ptdbg_x86_check_opts *o);
/* Start checking an address space named name (copied; "" if unknown) walked with cpu. */
void ptdbg_x86_checker_begin(struct ptdbg_x86_checker *c, const char *name,
			     const struct ptdbg_x86_cpu *cpu);
/* The visitor (ptdbg_walk_visit_fn); c is a struct ptdbg_x86_checker *. Returns 0,
 * or PTDBG_ENOMEM. */
int ptdbg_x86_checker_visit(void *c, const struct ptdbg_walk_event *ev);
/* End the address space begun last (flushes runs). */
void ptdbg_x86_checker_end(struct ptdbg_x86_checker *c);
/* Cross-address-space checks (alias-wx); then the findings are complete. */
void ptdbg_x86_checker_finish(struct ptdbg_x86_checker *c);
void ptdbg_x86_checker_free(struct ptdbg_x86_checker *c);

#endif /* PTDBG_X86_CHECK_H */
