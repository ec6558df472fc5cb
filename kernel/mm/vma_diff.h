/*
 * Differences between two snapshots of a user space's areas (struct vma lists), as
 * address ranges whose protection changed: mapped, unmapped, protected. For the
 * kernel's own reports of what a step changed.
 */
#ifndef KERNEL_MM_VMA_DIFF_H
#define KERNEL_MM_VMA_DIFF_H

#include "mm/uspace.h"

/* A copy of a user space's area list. */
struct vma_snapshot {
	struct vma vmas[USPACE_MAX_VMAS];
	int nvmas;
};

/* Copy the areas of us into *snap. */
void vma_snapshot_take(const struct uspace *us, struct vma_snapshot *snap);
/* Print one line per maximal range whose area changed between `before` and the
 * current areas of us ("PREFIX mapped|unmapped|protected START-END PROT[ -> PROT]",
 * with the number of pages present now); returns the number of lines printed. */
int vma_diff_print(const char *prefix, const struct vma_snapshot *before, const struct uspace *us);

#endif
