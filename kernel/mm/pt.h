/*
 * The page-table module: the one walker and editor of page tables, for the kernel
 * address space and every user address space, on every architecture. What an entry
 * looks like comes from the architecture's paging format (mm/pt_format.h); the
 * geometry (levels, granule, input size) from the space.
 *
 * Levels are numbered like the frame metadata, from the leaves up: 1 = the level
 * whose entries map one page (x86-64 PTE table; AArch64 lookup level 3), 2 = the one
 * above (x86-64 PD with 2 MiB leaves; AArch64 level 2), ... `levels` = the root
 * (x86-64 PML4 or PML5; AArch64 the start level of the walk).
 *
 * Every node is a frame with usage PT, its level and a tracking status fixed at
 * creation by markers_tracking_for() over the range it covers. A leaf in a TRACKED
 * node holds one reference on each 4 KiB frame it maps; leaves in other nodes hold
 * none. Every leaf counts once in the mapcount of each frame it maps.
 *
 * Who takes and who drops: a new leaf takes references when the range it maps is
 * tracked (the caller knows whether it maps frames it holds or a raw physical
 * range); removing a leaf or freeing a node drops them when the node's recorded
 * status is TRACKED. The two agree as long as the predicate is right; with
 * bug=untracked-as-tracked (mm/bugs.h) they do not, as in shared/BUGS.md section 3.
 *
 * On x86-64 the kernel half (root entries 256..511 in 4-level, 511 in 5-level) is
 * shared: user roots copy the kernel root's upper entries, whose child nodes are
 * created at boot and never freed. On AArch64 the kernel space is its own root
 * (TTBR1) and user roots (TTBR0) share nothing.
 *
 * A node is one granule (4, 16 or 64 KiB): 1, 4 or 16 frames, all with usage PT,
 * the same level and tracking status; the first carries PTDBG_FRAME_F_HUGE_HEAD when
 * there are several.
 */
#ifndef KERNEL_MM_PT_H
#define KERNEL_MM_PT_H

#include <stdint.h>

#define PT_4K 0x1000ull
#define PT_2M 0x200000ull
#define PT_1G 0x40000000ull

struct pt_space {
	uint64_t root;    /* physical address of the top-level table */
	uint32_t levels;  /* table levels (x86-64: 4 or 5; AArch64: 2 to 4) */
	int owner;        /* address-space index (frame owner of its nodes) */
	int user;         /* a user space: may only change [0, USER_END) */
	uint32_t gshift;  /* log2 of the granule: page and node size (12, 14, 16) */
	uint32_t va_bits; /* input-address bits the root resolves */
	int device;       /* a device (IOMMU stage-1) space: may change [0, 2^va_bits),
			     its nodes and leaves are untracked (DMA mappings hold no
			     references on the frames they map); user is set too */
};

/* log2 of the size one entry at `level` maps. */
static inline unsigned pt_level_shift(const struct pt_space *s, int level)
{
	return s->gshift + (unsigned)(level - 1) * (s->gshift - 3);
}
/* Size mapped by one entry at `level`. */
static inline uint64_t pt_level_size(const struct pt_space *s, int level)
{
	return 1ull << pt_level_shift(s, level);
}
/* Entries in a node at `level` (the root may hold fewer than a full node). */
static inline unsigned pt_entries(const struct pt_space *s, int level)
{
	unsigned bits = level == (int)s->levels ? s->va_bits - pt_level_shift(s, level) : s->gshift - 3;
	return 1u << bits;
}
/* Page size of the space (its granule). */
static inline uint64_t pt_page_size(const struct pt_space *s) { return 1ull << s->gshift; }

/* Create the kernel space's root with the given geometry. */
int pt_space_init_kernel(struct pt_space *s, uint32_t levels, uint32_t gshift,
			 uint32_t va_bits, int owner);
/* Create a user space with the kernel's geometry (on x86-64 its root shares the
 * kernel half of `kernel`). */
int pt_space_init_user(struct pt_space *s, const struct pt_space *kernel, int owner);
/* Create a device space (an IOMMU domain's stage-1 table in the CPU's format) of
 * the given geometry: input addresses [0, 2^va_bits), nothing shared, nothing
 * tracked. */
int pt_space_init_device(struct pt_space *s, uint32_t levels, uint32_t gshift,
			 uint32_t va_bits, int owner);
/* Unmap the whole user half of a user space and free its root. */
void pt_space_destroy(struct pt_space *s);
/* Create the kernel-half nodes directly below the root over [start, end) so that
 * user roots can share them. */
int pt_prealloc_top(struct pt_space *s, uint64_t start, uint64_t end);

/* Map one page of `size` (the size of one entry at some level: 4K, 2M or 1G on
 * x86-64; granule, block sizes on AArch64) at va -> pa with leaf attributes `attrs`
 * (the format's PTE_* without valid/type/address bits). Fails with -EEXIST if anything maps there, -EINVAL
 * on misalignment or a range the space may not change, -ENOMEM. */
int pt_map(struct pt_space *s, uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs);
/* Map [va, va+len) -> [pa, ...) with the largest pages alignment allows, up to
 * max_page. On failure, what was mapped stays mapped. */
int pt_map_range(struct pt_space *s, uint64_t va, uint64_t pa, uint64_t len,
		 uint64_t attrs, uint64_t max_page);
/* Unmap [va, va+len): huge leaves crossing the edges are split first, nodes left
 * empty are freed (dropping their leaves' references if tracked). */
int pt_unmap(struct pt_space *s, uint64_t va, uint64_t len);
/* Set the attributes of every present leaf in [va, va+len) (splitting at edges). */
int pt_protect(struct pt_space *s, uint64_t va, uint64_t len, uint64_t attrs);
/* Split the huge leaf (block) at `level` (2 or above) containing va into a node of smaller
 * leaves with the same attributes. -ENOENT if there is no such leaf. */
int pt_split(struct pt_space *s, uint64_t va, int level);
/* The entry a walk for va ends on: the present leaf, or the first non-present
 * entry; *level receives its level. */
uint64_t *pt_walk(const struct pt_space *s, uint64_t va, int *level);
/* The entry at `level` of va's path (a table entry above a leaf, or the leaf
 * itself), or NULL when the walk ends above `level`. */
uint64_t *pt_entry_at(const struct pt_space *s, uint64_t va, int level);
/* Translate va: physical address, or -1 if unmapped; *pte receives the leaf. */
uint64_t pt_translate(const struct pt_space *s, uint64_t va, uint64_t *pte);
/* Number of page-table nodes of the space (root included), for accounting tests. */
uint64_t pt_count_nodes(const struct pt_space *s);

#endif
