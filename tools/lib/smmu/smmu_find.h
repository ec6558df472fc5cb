/* SPDX-License-Identifier: MIT */
/*
 * Where an SMMUv3's registers are, from what the guest or QEMU says: a flattened
 * device tree in guest memory (the node compatible with "arm,smmu-v3"), or the
 * text of QEMU's `info mtree -f` (the MMIO region QEMU names "smmuv3").
 *
 * The device tree is read, never trusted: its header's sizes are bounded by 2 MiB
 * and by each other, tokens and property lengths by the structure block, nesting by
 * 32 levels; anything else ends the search with "not found".
 */
#ifndef PTDBG_SMMU_FIND_H
#define PTDBG_SMMU_FIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "target/ramfilter.h"
#include "target/target.h"

/* Where QEMU's virt machine puts the device tree of a bare-metal kernel: the base
 * of RAM. */
#define SMMU_FDT_VIRT_PA PTDBG_VIRT_RAM_PA

/* Search the device tree blob buf[0, len) for an "arm,smmu-v3" node: its first reg
 * address in *base. Returns 1 (found), 0 (no such node), or -1 (not a device tree or
 * malformed). */
int smmu_fdt_find(const uint8_t *buf, size_t len, uint64_t *base);

/* The same for a device tree at pa in guest memory, read through t with
 * ptdbg_fdt_read() (its blocks only: not through a page cache, whose read-ahead
 * would fetch far more than a small tree). Returns 1, 0 (no such node, no valid
 * tree there, or unreadable memory), or a link error (ptdbg_link_error()). */
int smmu_fdt_find_mem(struct ptdbg_target *t, uint64_t pa, uint64_t *base);

/* The start of the region named "smmuv3" in `info mtree -f` output. */
bool smmu_mtree_find(const char *text, uint64_t *base);

#endif /* PTDBG_SMMU_FIND_H */
