/*
 * The x86-64 paging format for the page-table module (see mm/pt_format.h):
 * 4 KiB granule, 4 or 5 levels, one tree whose upper half is the kernel's and is
 * shared by every user root. Leaves at level 2 (2 MiB) and 3 (1 GiB, with
 * PDPE1GB) carry PS; their PAT bit moves between bit 12 and bit 7 when split.
 */
#ifndef KERNEL_ARCH_X86_64_PT_FORMAT_H
#define KERNEL_ARCH_X86_64_PT_FORMAT_H

#include <stdint.h>

#include "arch/x86_64/cpu.h"
#include "mm/layout.h"
#include "mm/pt.h"
#include "mm/pte.h"

#define PTF_SHARED_KERNEL_HALF 1

static inline int ptf_valid(uint64_t e) { return (e & PTE_P) != 0; }

static inline int ptf_is_leaf(uint64_t e, int level) { return level == 1 || (e & PTE_PS); }

static inline uint64_t ptf_table_addr(const struct pt_space *s, uint64_t e)
{
	(void)s;
	return e & PTE_ADDR_MASK;
}

static inline uint64_t ptf_table(const struct pt_space *s, uint64_t child, uint64_t va)
{
	(void)s;
	return child | PTE_P | PTE_RW | (va < USER_END ? PTE_US : 0);
}

static inline uint64_t ptf_leaf(const struct pt_space *s, uint64_t pa, int level, uint64_t attrs)
{
	(void)s;
	return pa | (attrs & ~(PTE_ADDR_MASK | PTE_PS)) | PTE_P | (level > 1 ? PTE_PS : 0);
}

static inline uint64_t ptf_leaf_addr(const struct pt_space *s, uint64_t e, int level)
{
	(void)s;
	return pte_leaf_addr(e, level);
}

static inline uint64_t ptf_split_child(const struct pt_space *s, uint64_t e, int level, uint64_t pa)
{
	(void)s;
	uint64_t attrs = e & ~(PTE_ADDR_MASK | PTE_PS);
	uint64_t pat = (e & PTE_PAT_HUGE) ? (level - 1 > 1 ? PTE_PAT_HUGE : PTE_PS) : 0;
	return pa | attrs | pat | (level - 1 > 1 ? PTE_PS : 0);
}

static inline uint64_t ptf_protect(const struct pt_space *s, uint64_t e, int level, uint64_t attrs)
{
	(void)s;
	uint64_t keep = e & (PTE_ADDR_MASK | PTE_PS | PTE_A | PTE_D | PTE_P);
	if (level > 1)
		keep |= e & PTE_PAT_HUGE;
	return keep | (attrs & ~(PTE_ADDR_MASK | PTE_PS | PTE_P));
}

static inline int ptf_leaf_ok(const struct pt_space *s, int level)
{
	(void)s;
	return level == 1 || level == 2 || (level == 3 && cpu_features.pdpe1gb);
}

/* Sign-extend va from the space's linear-address width. */
static inline uint64_t ptf_canonical(const struct pt_space *s, uint64_t va)
{
	unsigned shift = 64 - s->va_bits;
	return (uint64_t)((int64_t)(va << shift) >> shift);
}

static inline int ptf_space_loaded(const struct pt_space *s)
{
	return (read_cr3() & PTE_ADDR_MASK) == s->root;
}

static inline void ptf_flush(const struct pt_space *s, uint64_t va, uint64_t len)
{
	if (!ptf_space_loaded(s) && va < USER_END)
		return;
	if (len > 64 * PAGE_SIZE) {
		tlb_flush_all();
		return;
	}
	for (uint64_t off = 0; off < len; off += PAGE_SIZE)
		invlpg(va + off);
}

#endif
