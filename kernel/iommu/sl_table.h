/*
 * VT-d second-level page tables (VT-d 9.8): 3, 4 or 5 levels of 512 64-bit entries,
 * 4 KiB leaves only. Levels are numbered like the frame metadata: 1 = leaf table.
 *
 * Every node is a frame with usage PT, its level, tracking UNTRACKED (DMA mappings
 * hold no references on the frames they map) and the domain's address space as
 * owner. Each leaf counts once in the mapcount of the frame it maps. Non-leaf
 * entries grant R and W (permissions stack); the snoop bit is never set.
 */
#ifndef KERNEL_IOMMU_SL_TABLE_H
#define KERNEL_IOMMU_SL_TABLE_H

#include <stdint.h>

struct sl_table {
	uint64_t root;    /* physical address of the top-level node */
	unsigned levels;  /* 3..5 */
	uint32_t owner;   /* address-space index of the domain (frame owner) */
	uint64_t nodes;   /* nodes allocated, root included */
};

/* Leaf permissions (the VT-d R and W bits). */
#define SL_PERM_R 0x1ull
#define SL_PERM_W 0x2ull

/* Allocate an empty table of `levels` levels; 0 or -ENOMEM. */
int sl_table_init(struct sl_table *t, unsigned levels, uint32_t owner);
/* Map the 4 KiB page iova -> pa with perm (SL_PERM_*). 0, -EEXIST if something maps
 * iova already, -EINVAL on misalignment or an iova beyond the table, -ENOMEM. */
int sl_map(struct sl_table *t, uint64_t iova, uint64_t pa, uint64_t perm);
/* Unmap the page at iova (nodes are kept). 0, or -ENOENT if nothing mapped it. */
int sl_unmap(struct sl_table *t, uint64_t iova);
/* The leaf entry mapping iova, or 0. */
uint64_t sl_lookup(const struct sl_table *t, uint64_t iova);

#endif
