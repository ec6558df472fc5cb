/* SPDX-License-Identifier: MIT */
/*
 * Linux's names for Linux's layout: the range markers a Linux kernel's own ptdump
 * prints (x86-64: arch/x86/mm/dump_pagetables.c address_markers[]), placed for a
 * running guest from its symbols (a vmlinux or System.map) and its page tables.
 *
 * A layout is architecture-neutral: markers sorted by address (each one runs to
 * the next), the bases the markers were computed from, each with how it was found,
 * and notes on what could not be placed. Filling one is the architecture's part
 * (x86/x86_linux.h); printing, JSON and lookup are here. AArch64 (the markers of
 * arch/arm64/mm/ptdump.c) is filled by its own function into the same structure.
 */
#ifndef PTDBG_LINUX_LAYOUT_H
#define PTDBG_LINUX_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "out/json.h"

#define PTDBG_LINUX_MAX_MARKERS 24
#define PTDBG_LINUX_MAX_BASES   8
#define PTDBG_LINUX_HOW_LEN     256

/* A marker: the range [start, next marker's start) has Linux's name. */
struct ptdbg_linux_marker {
	uint64_t start;
	const char *name;          /* Linux's own string ("vmalloc() Area") */
};

/* A base the layout rests on: the KASLR text offset, page_offset_base, ... */
struct ptdbg_linux_base {
	const char *name;          /* "text_offset", "page_offset_base", ... */
	uint64_t value;            /* the runtime value (an offset for text_offset) */
	uint64_t link;             /* the symbol's link-time address it was read at; 0: none */
	bool found;                /* value is known */
	bool verified;             /* and was cross-checked through the tables */
	char how[PTDBG_LINUX_HOW_LEN];
};

struct ptdbg_linux_layout {
	const char *arch;          /* "x86-64" */
	unsigned levels;           /* paging levels the layout is for */
	bool valid;                /* the markers below label the space */
	char why[PTDBG_LINUX_HOW_LEN]; /* what the layout is and where it came from, or why none */
	char banner[128];          /* linux_banner as read from the guest ("" if not read) */
	size_t nbases;
	struct ptdbg_linux_base bases[PTDBG_LINUX_MAX_BASES];
	size_t nmarkers;
	struct ptdbg_linux_marker markers[PTDBG_LINUX_MAX_MARKERS];
	char notes[512];           /* "; "-separated: markers left out and why */
};

/* Start an empty layout for arch at levels (nothing valid yet). */
void ptdbg_linux_layout_init(struct ptdbg_linux_layout *l, const char *arch, unsigned levels);

/* Add a marker (ignored beyond PTDBG_LINUX_MAX_MARKERS); markers may come in any
 * order: ptdbg_linux_layout_finish() sorts them. */
void ptdbg_linux_add_marker(struct ptdbg_linux_layout *l, uint64_t start, const char *name);

/* Add a base and return it, to fill in (NULL beyond PTDBG_LINUX_MAX_BASES). */
struct ptdbg_linux_base *ptdbg_linux_add_base(struct ptdbg_linux_layout *l, const char *name);

/* The base called name, or NULL. */
const struct ptdbg_linux_base *ptdbg_linux_base(const struct ptdbg_linux_layout *l, const char *name);

/* Append one note ("; " between notes). */
void ptdbg_linux_note(struct ptdbg_linux_layout *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Sort the markers by address (stable for equal starts). */
void ptdbg_linux_layout_finish(struct ptdbg_linux_layout *l);

/* The marker covering va, with [*start, *end) its range (end 0: to 2^64); NULL if
 * the layout is not valid or va lies below the first marker. */
const struct ptdbg_linux_marker *ptdbg_linux_marker_at(const struct ptdbg_linux_layout *l, uint64_t va,
						       uint64_t *start, uint64_t *end);

/* The layout as text (what `ptdump layout` prints) and as one JSON object. */
void ptdbg_linux_layout_print(FILE *out, const struct ptdbg_linux_layout *l);
void ptdbg_linux_layout_json(struct ptdbg_json *j, const struct ptdbg_linux_layout *l);

#endif /* PTDBG_LINUX_LAYOUT_H */
