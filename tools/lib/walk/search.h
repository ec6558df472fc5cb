/* SPDX-License-Identifier: MIT */
/*
 * Searching guest memory through its mappings: bytes, strings or values in what a
 * set of address spaces maps, every physical frame read once however many aliases
 * it has, every alias of a hit reported. Format-neutral: the caller walks the spaces
 * (any decoder) and feeds their leaves, filtered and clipped as it likes, to
 * ptdbg_search_add(); ptdbg_search_run() then reads the distinct frames in physical
 * order (large reads of physically contiguous runs, so a match that crosses a frame
 * boundary is found where the frames are contiguous) and maps each hit back to
 * every mapping that holds it whole: the same leaf, or leaves of the same space that
 * continue each other virtually and physically.
 */
#ifndef PTDBG_SEARCH_H
#define PTDBG_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "target/target.h"
#include "walk/frame.h"

/* One mapping searched: [va, va+size) maps [pa, pa+size) in the caller's space. */
struct ptdbg_search_map {
	size_t   space;
	uint64_t va, pa, size;
	struct ptdbg_perm perm;
};

/* One hit: the pattern at va of mapping maps[map] (physical pa). */
struct ptdbg_search_hit {
	size_t   map;
	uint64_t va, pa;
};

struct ptdbg_search {
	/* Set by the caller. */
	const uint8_t *pat;
	size_t   len;          /* 1 .. PTDBG_SEARCH_MAX_LEN */
	unsigned align;        /* a hit's physical address is a multiple of it (power of
				  two, at most 4096; 0 or 1: any) */
	size_t   max;          /* at most this many hits (0: PTDBG_SEARCH_MAX_HITS) */
	void   (*progress)(void *ctx, uint64_t done, uint64_t total); /* frames; may be NULL */
	void    *progress_ctx;
	/* Filled in. */
	struct ptdbg_search_map *maps;
	size_t   nmaps, capmaps;
	struct ptdbg_search_hit *hits;
	size_t   nhits, caphits;
	bool     truncated;    /* more hits than max */
	uint64_t frames;       /* distinct frames read */
	uint64_t unreadable;   /* frames that could not be read */
};

#define PTDBG_SEARCH_MAX_LEN  4096u
#define PTDBG_SEARCH_MAX_HITS 1000u

/* Add one mapping to search. Returns 0 or PTDBG_ENOMEM. */
int ptdbg_search_add(struct ptdbg_search *s, size_t space, uint64_t va, uint64_t pa, uint64_t size,
		     const struct ptdbg_perm *perm);

/* Read the distinct frames of the mappings added through t and collect the hits,
 * sorted by space and address. Returns 0, a link error, PTDBG_ENOMEM, or
 * PTDBG_EINVAL for a bad pattern or alignment. */
int ptdbg_search_run(struct ptdbg_target *t, struct ptdbg_search *s);

void ptdbg_search_free(struct ptdbg_search *s);

#endif /* PTDBG_SEARCH_H */
