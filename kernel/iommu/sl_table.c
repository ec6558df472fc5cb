/* Second-level page tables: allocation, map, unmap, lookup. */
#include "iommu/sl_table.h"
#include "iommu/vtd_defs.h"
#include "lib/errno.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "debug/region.h"

/* Index of iova in a node of `level`. */
static unsigned sl_index(uint64_t iova, unsigned level)
{
	return vtd_sl_index(iova, level);
}

/* A new node of `level`, accounted in the frame metadata. */
static uint64_t node_alloc(struct sl_table *t, unsigned level)
{
	uint64_t pa = frame_alloc(PTDBG_FRAME_PT, t->owner);
	if (!pa)
		return 0;
	region_begin();
	struct ptdbg_frame_meta *m = frame_meta_of(pa);
	m->pt_level = (uint8_t)level;
	m->tracking = PTDBG_TRACK_UNTRACKED;
	region_end();
	t->nodes++;
	return pa;
}

int sl_table_init(struct sl_table *t, unsigned levels, uint32_t owner)
{
	t->levels = levels;
	t->owner = owner;
	t->nodes = 0;
	t->root = node_alloc(t, levels);
	return t->root ? 0 : -ENOMEM;
}

/* The leaf slot for iova, creating missing nodes when `create`; NULL if absent. */
static volatile uint64_t *leaf_slot(struct sl_table *t, uint64_t iova, int create)
{
	uint64_t node = t->root;
	for (unsigned level = t->levels; level > 1; level--) {
		volatile uint64_t *e = (uint64_t *)phys_to_virt(node) + sl_index(iova, level);
		if (!(*e & (VTD_SL_R | VTD_SL_W))) {
			if (!create)
				return 0;
			uint64_t child = node_alloc(t, level - 1);
			if (!child)
				return 0;
			*e = child | VTD_SL_R | VTD_SL_W;
		}
		node = *e & VTD_SL_ADDR;
	}
	return (uint64_t *)phys_to_virt(node) + sl_index(iova, 1);
}

int sl_map(struct sl_table *t, uint64_t iova, uint64_t pa, uint64_t perm)
{
	if ((iova | pa) & 0xfff || (t->levels * 9 + 12 < 64 && iova >> (t->levels * 9 + 12)))
		return -EINVAL;
	volatile uint64_t *e = leaf_slot(t, iova, 1);
	if (!e)
		return -ENOMEM;
	if (*e & (VTD_SL_R | VTD_SL_W))
		return -EEXIST;
	*e = (pa & VTD_SL_ADDR) | (perm & (VTD_SL_R | VTD_SL_W));
	frame_map_inc(pa);
	return 0;
}

int sl_unmap(struct sl_table *t, uint64_t iova)
{
	volatile uint64_t *e = leaf_slot(t, iova, 0);
	if (!e || !(*e & (VTD_SL_R | VTD_SL_W)))
		return -ENOENT;
	uint64_t pa = *e & VTD_SL_ADDR;
	*e = 0;
	frame_map_dec(pa);
	return 0;
}

uint64_t sl_lookup(const struct sl_table *t, uint64_t iova)
{
	volatile uint64_t *e = leaf_slot((struct sl_table *)t, iova, 0);
	return e ? *e : 0;
}
