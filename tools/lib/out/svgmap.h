/* SPDX-License-Identifier: MIT */
/*
 * A picture of an address space as one SVG file (ptdump map -o FILE.svg).
 *
 * The address axis is compressed: every mapped range and every hole between two
 * ranges is one segment whose width grows with the logarithm of its size, so a 4 KiB
 * page and a 1 GiB block are both visible and a 128 TiB hole takes a few pixels.
 * Segments flow left to right in rows, one section per half (or per space). Ranges
 * are coloured by their effective permission (W+X in red), shaded by page size,
 * named by the marker they fall in, and carry their exact numbers in a tooltip and
 * in data-* attributes (data-va, data-size, data-pa, data-page, data-perm), so that a
 * test or a script can read the picture back. Findings are pinned at their address.
 * A legend closes the picture. The output is plain SVG 1.1 (no scripts, no external
 * files), readable in any browser.
 */
#ifndef PTDBG_OUT_SVGMAP_H
#define PTDBG_OUT_SVGMAP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Effective permission of a range: who may read, write, execute. The same bits as
 * the walker frame's PTDBG_P_KR .. PTDBG_P_UX. */
#define PTDBG_MAP_KR (1u << 0)
#define PTDBG_MAP_KW (1u << 1)
#define PTDBG_MAP_KX (1u << 2)
#define PTDBG_MAP_UR (1u << 3)
#define PTDBG_MAP_UW (1u << 4)
#define PTDBG_MAP_UX (1u << 5)

struct ptdbg_map_range {
	uint64_t va, size;    /* [va, va + size) */
	uint64_t pa;          /* physical address of va */
	uint64_t page;        /* page or block size of its leaves */
	uint32_t perm;        /* PTDBG_MAP_* */
	const char *memtype;  /* "WB", "UC", "Device-nGnRE"... or NULL */
	const char *marker;   /* the named region it lies in, or NULL */
};

/* A finding to pin at an address. */
struct ptdbg_map_pin {
	uint64_t va;
	const char *kind;     /* "wx", "user-kernel"... */
	const char *message;
};

/* One section of the picture: a space, or one half of it. */
struct ptdbg_map_section {
	const char *title;                     /* "kernel: upper half (TTBR1)" */
	const struct ptdbg_map_range *ranges;  /* sorted by va, not overlapping */
	size_t nranges;
	const struct ptdbg_map_pin *pins;      /* any order */
	size_t npins;
};

/* Write the picture titled title with its sections to out. Returns 0, or -1 when
 * out reports a write error. */
int ptdbg_svg_map(FILE *out, const char *title, const struct ptdbg_map_section *sec, size_t nsec);

/* The class a permission is drawn in ("user rw", "kernel rx", "W+X", ...), and its
 * colour. */
const char *ptdbg_map_class(uint32_t perm);
const char *ptdbg_map_colour(uint32_t perm);

#endif /* PTDBG_OUT_SVGMAP_H */
