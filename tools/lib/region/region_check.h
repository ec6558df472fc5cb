/* SPDX-License-Identifier: MIT */
/*
 * Region-aware checks of CPU page tables: what the tables say, compared with what the
 * kernel's debug region says (range markers, frame metadata). A visitor of the
 * walker frame's events like x86_check.h: it never walks, and reads nothing
 * format-specific, so x86-64 and AArch64 walks feed the same checker
 * (ptdbg_region_check_begin()). One checker is fed the
 * walks of every address space; the findings come out of ptdbg_region_finish(),
 * which reads the frame metadata the walks referenced (sorted, in batches) and
 * compares.
 *
 * Kinds (stable names; shared/BUGS.md section 3):
 *   node-tracking-mismatch   a page-table node whose recorded tracking status
 *                            differs from what its VA span requires: the status every
 *                            range marker it overlaps agrees on, or "not applicable"
 *                            when the markers it overlaps disagree (a node that
 *                            overlaps no marker is not judged)
 *   tracking-parent-mismatch a node whose status differs from its parent's, the
 *                            parent not being "not applicable"
 *   freed-frame-mapped       a present leaf, or a live page-table node, whose frame
 *                            the allocator holds as free
 *   refcount-below-mappings  a frame of usage "tracked" mapped by more tracked leaves
 *                            (counted here, over every address space walked) than its
 *                            reference count
 *   untracked-leaf-owned     an untracked leaf mapping a frame of usage "tracked"
 *                            (the allocator believes a reference owner has it)
 *   user-maps-kernel-frame   a user-accessible leaf on a frame the kernel uses for a
 *                            page table, its image or its own data: user code could
 *                            read (or, writable, rewrite) the kernel
 *   table-outside-ram        a page-table node in memory the region does not describe
 *                            as RAM (past its end, or a reserved/MMIO frame): the CPU
 *                            walks whatever answers there
 *   leaf-outside-ram         a user-accessible leaf mapping memory past the end of the
 *                            RAM the region describes (a warning: it may be a device)
 *   region-check-partial     the checker hit its memory bound; some frames were not
 *                            checked
 *
 * Which leaves are tracked: those in a range whose marker requires "tracked"; in a
 * range no marker covers, those whose node is recorded "tracked". A leaf of an
 * untracked marker that maps RAM at a fixed offset from the marker's start
 * (pa == va - start: a linear map of all RAM) aliases every frame by design and is
 * left out of the frame checks. Frames the region does not describe (MMIO, beyond
 * RAM) are only judged by the *-outside-ram kinds. Markers of device address spaces
 * are ignored here.
 *
 * Memory is bounded and nothing is sorted per leaf: a leaf whose class a marker
 * decides, on a frame the region describes, updates that frame's state (a slot per
 * frame over the described RAM, allocated 64 Ki frames at a time, and one record per
 * mapped frame, up to max_records frames); the other leaves are recorded one per
 * 4 KiB frame, merged per frame when the record buffer fills, up to max_records;
 * nodes up to max_nodes.
 */
#ifndef PTDBG_REGION_CHECK_H
#define PTDBG_REGION_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "out/finding.h"
#include "region/region.h"
#include "target/target.h"
#include "walk/frame.h"

struct ptdbg_region_checker;

/* The kinds above, NULL-terminated (for --kind validation and documentation). */
extern const char *const ptdbg_region_check_kinds[];

struct ptdbg_region_opts {
	struct ptdbg_findings *out;               /* findings are appended here */
	struct ptdbg_target *t;                   /* frame metadata is read through it */
	struct ptdbg_mem *mem;                    /* ... or through this page cache, if set */
	const struct ptdbg_region_view *region;   /* markers, spaces, frames (not owned) */
	size_t max_records;                       /* mapped frames and leaf records kept, each (0: 2M) */
	size_t max_nodes;                         /* node records kept (0: 1M) */
};

/* A checker over region (which must outlive it). NULL if out of memory. */
struct ptdbg_region_checker *ptdbg_region_checker_new(const struct ptdbg_region_opts *o);

/* Start the walk of the address space named name (copied) of kind (enum
 * ptdbg_as_kind, 0 if unknown), in any table format (the checker reads only the
 * frame's events and format-neutral permissions, PTDBG_P_*): the walk's root is at
 * level top (x86-64: ptdbg_x86_levels()); root_whole
 * when the root spans the whole address range (x86's two canonical halves), else it
 * spans the event's span (an AArch64 TTBR's half); level_name names the tables
 * (x86_level_name, arm64_level_name). */
void ptdbg_region_check_begin(struct ptdbg_region_checker *c, const char *name, uint32_t kind,
			      unsigned top, bool root_whole, const char *(*level_name)(unsigned level));

/* The visitor (ptdbg_walk_visit_fn); c is a struct ptdbg_region_checker *.
 * Returns 0, or PTDBG_ENOMEM. */
int ptdbg_region_visit(void *c, const struct ptdbg_walk_event *ev);

/* Read the frame metadata of every node and leaf frame recorded and append the
 * findings. Returns 0, or a link error from the target (findings so far kept). */
int ptdbg_region_finish(struct ptdbg_region_checker *c);

void ptdbg_region_checker_free(struct ptdbg_region_checker *c);

/* The tracking status the CPU-space range markers of v require for the VA span
 * [first, last] (inclusive): the status all overlapped markers agree on, NA when
 * they disagree. Returns false when no marker overlaps the span. */
bool ptdbg_region_required(const struct ptdbg_region_view *v, uint64_t first, uint64_t last,
			       uint32_t *tracking);

/* The CPU-space marker covering va (device-space markers ignored), or NULL. */
const struct ptdbg_marker *ptdbg_region_marker(const struct ptdbg_region_view *v, uint64_t va);

#endif /* PTDBG_REGION_CHECK_H */
