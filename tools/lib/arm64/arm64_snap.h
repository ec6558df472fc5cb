/* SPDX-License-Identifier: MIT */
/* Snapshots of AArch64 tables (out/snapshot.h): one space a half, "TTBR0" and "TTBR1". */
#ifndef PTDBG_ARM64_SNAP_H
#define PTDBG_ARM64_SNAP_H

#include <stddef.h>
#include <stdint.h>

#include "arm64/arm64_walk.h"
#include "out/snapshot.h"

/* Walk the enabled halves of cpu's tables into snap (format PTDBG_SNAP_ARM64); a
 * disabled half is saved empty. leaves (may be NULL) is told the count of each leaf
 * or run of leaves walked. Returns 0 or a link error. */
int ptdbg_arm64_snap_take(struct ptdbg_snapshot *snap, struct ptdbg_mem *mem,
			  const struct ptdbg_arm64_cpu *cpu, void (*leaves)(void *ctx, uint64_t n),
			  void *leaf_ctx);

/* The names of attrs (PTDBG_ARM64_PERM_*), for diff reports. */
void ptdbg_arm64_snap_attr_name(uint32_t attrs, char *buf, size_t len);

/* The attribute bits the hardware sets as it goes (AF), which a diff of what software
 * changed leaves out. */
#define PTDBG_ARM64_SNAP_HW_ATTRS PTDBG_ARM64_PERM_AF

/* One half of cpu's tables into snap as a space named name (NULL: "TTBR0" or
 * "TTBR1") of kind (enum ptdbg_as_kind, 0 if unknown); a disabled half, or the MMU
 * off, is an empty space. Returns 0, PTDBG_ENOMEM or a link error. */
int ptdbg_arm64_snap_take_half(struct ptdbg_snapshot *snap, struct ptdbg_mem *mem,
			       const struct ptdbg_arm64_cpu *cpu, unsigned half, const char *name,
			       uint32_t kind, void (*leaves)(void *ctx, uint64_t n), void *leaf_ctx);

#endif /* PTDBG_ARM64_SNAP_H */
