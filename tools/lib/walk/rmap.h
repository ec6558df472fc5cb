/* SPDX-License-Identifier: MIT */
/*
 * Reverse mapping: which addresses of a space map a physical range. A consumer of
 * the frame's events (walk/frame.h), so it serves every format alike: a CPU space
 * (va), a device domain (iova), on x86 or AArch64. Feed one struct ptdbg_rmap the
 * walks of many spaces, setting cur before each; the hits pile up in walk order.
 */
#ifndef PTDBG_RMAP_H
#define PTDBG_RMAP_H

#include <stddef.h>
#include <stdint.h>

#include "walk/frame.h"

/* One mapping of part of the range: [va, va+size) maps [pa, pa+size). */
struct ptdbg_rmap_hit {
	size_t   space;        /* the caller's cur when it was found */
	uint64_t va, pa, size;
	uint64_t leaf_va, page_size;   /* the leaf it is in */
	struct ptdbg_perm perm;
};

struct ptdbg_rmap {
	uint64_t lo, hi;       /* the physical range [lo, hi) */
	size_t   cur;          /* set by the caller before each walk */
	struct ptdbg_rmap_hit *hits;
	size_t   n, cap;
	int      oom;          /* PTDBG_ENOMEM once an append failed */
};

/* A visitor (ptdbg_walk_visit_fn) with ctx a struct ptdbg_rmap *: every leaf that
 * maps part of [lo, hi) adds a hit. Returns 0, or PTDBG_ENOMEM (which stops the walk). */
int ptdbg_rmap_visit(void *ctx, const struct ptdbg_walk_event *ev);

/* Free the hits. */
void ptdbg_rmap_free(struct ptdbg_rmap *r);

/* A set of physical ranges, each with what it is ("kernel text"): the frames a
 * device must not be able to write (check kind dma-maps-kernel-text). */
struct ptdbg_pa_range {
	uint64_t lo, hi;       /* [lo, hi) */
	const char *what;      /* static string */
};
struct ptdbg_pa_set {
	struct ptdbg_pa_range *r;
	size_t n, cap;
	const char *source;    /* where the ranges come from, for messages */
};

/* Add [lo, hi) (merged into the last range when it continues it with the same
 * what). Returns 0 or PTDBG_ENOMEM. */
int ptdbg_pa_set_add(struct ptdbg_pa_set *s, uint64_t lo, uint64_t hi, const char *what);
/* Sort s and merge the ranges that overlap or touch with the same what (an overlap
 * of different whats keeps both); call it once the ranges are added. */
void ptdbg_pa_set_sort(struct ptdbg_pa_set *s);
/* A range of s that overlaps [lo, hi), or NULL; s is sorted (ptdbg_pa_set_sort). */
const struct ptdbg_pa_range *ptdbg_pa_set_overlap(const struct ptdbg_pa_set *s, uint64_t lo, uint64_t hi);
void ptdbg_pa_set_free(struct ptdbg_pa_set *s);

#endif /* PTDBG_RMAP_H */
