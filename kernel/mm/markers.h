/*
 * Range markers: the kernel's named virtual ranges and the tracking status each
 * requires. The table is exported as-is in the debug region, and the page-table code
 * decides the tracking status of every new node with markers_tracking_for() -- the
 * one predicate over the range a node covers.
 */
#ifndef KERNEL_MM_MARKERS_H
#define KERNEL_MM_MARKERS_H

#include <stdint.h>

#include "ptdbg/abi.h"

#define MARKERS_MAX 8

/* Fill the table: user space, linear map (up to max_ram_end), windows, image. */
void markers_init(uint64_t max_ram_end);
/* The tracking status a node covering [first, last] (inclusive) must have:
 * TRACKED or UNTRACKED when every marker it overlaps requires that status,
 * NA when it overlaps markers of both kinds or none. */
enum ptdbg_tracking markers_tracking_for(uint64_t first, uint64_t last);
/* The marker containing va, or NULL. */
const struct ptdbg_marker *markers_find(uint64_t va);
/* Table access for iteration. */
const struct ptdbg_marker *markers_table(uint32_t *count);

#endif
