/*
 * The AArch64 (VMSAv8-64 stage 1) paging format for the page-table module (see
 * mm/pt_format.h): a granule of 4, 16 or 64 KiB, 2 to 4 levels, the kernel in its
 * own root (TTBR1) and each process in its own (TTBR0). Module level l is the
 * Arm ARM's lookup level 4 - l: level 1 holds pages, higher levels tables or blocks
 * where the granule allows them.
 */
#ifndef KERNEL_ARCH_AARCH64_PT_FORMAT_H
#define KERNEL_ARCH_AARCH64_PT_FORMAT_H

#include <stdint.h>

#include "arch/aarch64/cpu.h"
#include "arch/aarch64/pte.h"
#include "mm/layout.h"
#include "mm/pt.h"

#define PTF_SHARED_KERNEL_HALF 0

/* The Arm ARM lookup level of module level l. */
static inline int ptf_arm_level(int level) { return 4 - level; }

static inline int ptf_valid(uint64_t e) { return (e & ARM64_DESC_VALID) != 0; }

static inline int ptf_is_leaf(uint64_t e, int level) { return level == 1 || !(e & ARM64_DESC_TYPE); }

static inline uint64_t ptf_table_addr(const struct pt_space *s, uint64_t e)
{
	return e & arm64_table_addr_mask(s->gshift);
}

static inline uint64_t ptf_table(const struct pt_space *s, uint64_t child, uint64_t va)
{
	(void)s;
	(void)va;
	return child | ARM64_DESC_TABLE;
}

static inline uint64_t ptf_leaf(const struct pt_space *s, uint64_t pa, int level, uint64_t attrs)
{
	(void)s;
	return pa | (attrs & PTE_ATTR_MASK) | (level == 1 ? ARM64_DESC_PAGE : ARM64_DESC_BLOCK);
}

static inline uint64_t ptf_leaf_addr(const struct pt_space *s, uint64_t e, int level)
{
	return e & arm64_desc_oa_mask(s->gshift, ptf_arm_level(level));
}

static inline uint64_t ptf_split_child(const struct pt_space *s, uint64_t e, int level, uint64_t pa)
{
	(void)s;
	uint64_t attrs = e & PTE_ATTR_MASK & ~ARM64_DESC_CONT;
	return pa | attrs | (level - 1 == 1 ? ARM64_DESC_PAGE : ARM64_DESC_BLOCK);
}

static inline uint64_t ptf_protect(const struct pt_space *s, uint64_t e, int level, uint64_t attrs)
{
	uint64_t keep = e & (arm64_desc_oa_mask(s->gshift, ptf_arm_level(level)) | ARM64_DESC_TYPE_MASK);
	return keep | (attrs & PTE_ATTR_MASK);
}

static inline int ptf_leaf_ok(const struct pt_space *s, int level)
{
	return level == 1 || arm64_block_allowed(s->gshift, ptf_arm_level(level), 0);
}

/* TTBR1 addresses have every bit above va_bits set, TTBR0 ones none. */
static inline uint64_t ptf_canonical(const struct pt_space *s, uint64_t va)
{
	uint64_t mask = (1ull << s->va_bits) - 1;
	return s->user ? (va & mask) : (va | ~mask);
}

static inline int ptf_space_loaded(const struct pt_space *s)
{
	return !s->user || read_user_root() == s->root;
}

static inline void ptf_flush(const struct pt_space *s, uint64_t va, uint64_t len)
{
	uint64_t page = 1ull << s->gshift;
	if (!ptf_space_loaded(s)) {
		dsb_ishst();
		return;
	}
	if (len > 64 * page) {
		tlb_flush_all();
		return;
	}
	for (uint64_t off = 0; off < len; off += page)
		tlb_flush_page(va + off);
}

#endif
