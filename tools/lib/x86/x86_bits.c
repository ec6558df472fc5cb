/* SPDX-License-Identifier: MIT */
/*
 * x86-64 paging bit layouts as tables (see x86_bits.h). The SDM tables these come
 * from: 4-15 (PML5E/PML4E), 4-16/4-17 (PDPTE 1 GiB / table), 4-18/4-19 (PDE 2 MiB
 * / table), 4-20 (PTE), 4-12 (CR3), and section 4.7 (page-fault error code).
 */
#include <stdio.h>
#include <string.h>

#include "x86/x86_bits.h"
#include "x86/x86_walk.h"

#define TABLE PTDBG_BIT_TABLE

static const struct ptdbg_bit bits_table_entry[] = {
	PTDBG_FLAG(X86_PTE_P, "P", "np"),
	PTDBG_FLAG(X86_PTE_RW, "RW", "ro"),
	PTDBG_FLAG(X86_PTE_US, "USR", "sup"),
	PTDBG_FLAG(X86_PTE_PWT, "PWT", NULL),
	PTDBG_FLAG(X86_PTE_PCD, "PCD", NULL),
	PTDBG_FLAG(X86_PTE_A, "A", NULL),
	PTDBG_FLAG(X86_PTE_PS, "PS", NULL),
	PTDBG_FLAG(X86_PTE_SW_LOW, "AVL", NULL),
	PTDBG_FLAG(X86_PTE_SW_HIGH | X86_PTE_PKEY, "AVLH", NULL),
	PTDBG_FLAG(X86_PTE_NX, "NX", NULL),
};
TABLE(x86_bits_table_entry, "table entry", bits_table_entry);

static const struct ptdbg_bit bits_huge_leaf[] = {
	PTDBG_FLAG(X86_PTE_P, "P", "np"),
	PTDBG_FLAG(X86_PTE_RW, "RW", "ro"),
	PTDBG_FLAG(X86_PTE_US, "USR", "sup"),
	PTDBG_FLAG(X86_PTE_PWT, "PWT", NULL),
	PTDBG_FLAG(X86_PTE_PCD, "PCD", NULL),
	PTDBG_FLAG(X86_PTE_A, "A", NULL),
	PTDBG_FLAG(X86_PTE_D, "D", NULL),
	PTDBG_FLAG(X86_PTE_PS, "PS", NULL),
	PTDBG_FLAG(X86_PTE_G, "G", NULL),
	PTDBG_FLAG(X86_PTE_SW_LOW, "AVL", NULL),
	PTDBG_FLAG(X86_PTE_PATBIG, "PAT", NULL),
	PTDBG_FLAG(X86_PTE_SW_HIGH, "AVLH", NULL),
	PTDBG_FLAG(X86_PTE_PKEY, "PK", NULL),
	PTDBG_FLAG(X86_PTE_NX, "NX", NULL),
};
TABLE(x86_bits_huge_leaf, "huge leaf", bits_huge_leaf);

static const struct ptdbg_bit bits_pte[] = {
	PTDBG_FLAG(X86_PTE_P, "P", "np"),
	PTDBG_FLAG(X86_PTE_RW, "RW", "ro"),
	PTDBG_FLAG(X86_PTE_US, "USR", "sup"),
	PTDBG_FLAG(X86_PTE_PWT, "PWT", NULL),
	PTDBG_FLAG(X86_PTE_PCD, "PCD", NULL),
	PTDBG_FLAG(X86_PTE_A, "A", NULL),
	PTDBG_FLAG(X86_PTE_D, "D", NULL),
	PTDBG_FLAG(X86_PTE_PAT4K, "PAT", NULL),
	PTDBG_FLAG(X86_PTE_G, "G", NULL),
	PTDBG_FLAG(X86_PTE_SW_LOW, "AVL", NULL),
	PTDBG_FLAG(X86_PTE_SW_HIGH, "AVLH", NULL),
	PTDBG_FLAG(X86_PTE_PKEY, "PK", NULL),
	PTDBG_FLAG(X86_PTE_NX, "NX", NULL),
};
TABLE(x86_bits_pte, "4K leaf", bits_pte);

static const struct ptdbg_bit bits_cr3[] = {
	PTDBG_FLAG(X86_CR3_PWT, "PWT", NULL),
	PTDBG_FLAG(X86_CR3_PCD, "PCD", NULL),
};
TABLE(x86_bits_cr3, "CR3", bits_cr3);

static const struct ptdbg_bit bits_pf_error[] = {
	PTDBG_FLAG(X86_PF_P, "P", "NP"),
	PTDBG_FLAG(X86_PF_W, "W", "R"),
	PTDBG_FLAG(X86_PF_U, "U", "S"),
	PTDBG_FLAG(X86_PF_RSVD, "RSVD", NULL),
	PTDBG_FLAG(X86_PF_I, "I", NULL),
	PTDBG_FLAG(X86_PF_PK, "PK", NULL),
};
TABLE(x86_bits_pf_error, "#PF error code", bits_pf_error);

/* Effective permissions, in the column order of the text dump (Linux's order). */
static const struct ptdbg_bit bits_effective[] = {
	PTDBG_FLAG(PTDBG_X86_PERM_U, "USR", "   "),
	PTDBG_FLAG(PTDBG_X86_PERM_W, "RW", "ro"),
	PTDBG_FLAG(PTDBG_X86_PERM_NX, "NX", "x "),
	PTDBG_FLAG(PTDBG_X86_PERM_G, "GLB", "   "),
	PTDBG_FLAG(PTDBG_X86_PERM_A, "A", " "),
	PTDBG_FLAG(PTDBG_X86_PERM_D, "D", " "),
	PTDBG_FLAG(PTDBG_X86_PERM_FAULTS, "RSVD", NULL),
};
TABLE(x86_bits_effective, "effective", bits_effective);

const struct ptdbg_bit_table *x86_bits_entry_table(unsigned level, bool leaf)
{
	/* Every PT entry is a PTE (bit 7 is PAT there), present or not. */
	if (level == X86_LEVEL_PT)
		return &x86_bits_pte;
	return leaf ? &x86_bits_huge_leaf : &x86_bits_table_entry;
}

const char *x86_memtype_name(unsigned mt)
{
	static const char *const names[8] = { "UC", "WC", "?2", "?3", "WT", "WP", "WB", "UC-" };
	return names[mt & 7];
}

const char *x86_level_name(unsigned level)
{
	static const char *const names[6] = { "?", "PT", "PD", "PDPT", "PML4", "PML5" };
	return level <= 5 ? names[level] : "?";
}

const char *x86_entry_name(unsigned level)
{
	static const char *const names[6] = { "?", "PTE", "PDE", "PDPTE", "PML4E", "PML5E" };
	return level <= 5 ? names[level] : "?";
}

uint64_t x86_entry_addr_mask(unsigned level, bool leaf, unsigned maxphyaddr)
{
	unsigned low = 12;

	if (maxphyaddr == 0 || maxphyaddr > X86_MAXPHYADDR_LIMIT)
		maxphyaddr = X86_MAXPHYADDR_LIMIT;
	if (leaf && level == X86_LEVEL_PD)
		low = 21;
	else if (leaf && level == X86_LEVEL_PDPT)
		low = 30;
	return ((1ull << maxphyaddr) - 1) & ~((1ull << low) - 1);
}

uint64_t x86_entry_reserved_mask(unsigned level, bool leaf, unsigned maxphyaddr, bool nxe)
{
	uint64_t rsvd = 0;

	if (maxphyaddr == 0 || maxphyaddr > X86_MAXPHYADDR_LIMIT)
		maxphyaddr = X86_MAXPHYADDR_LIMIT;
	/* Address bits 51:MAXPHYADDR. */
	rsvd |= ((1ull << X86_MAXPHYADDR_LIMIT) - 1) & ~((1ull << maxphyaddr) - 1);
	if (!nxe)
		rsvd |= X86_PTE_NX;
	if (level >= X86_LEVEL_PML4)
		rsvd |= X86_PTE_PS;
	if (leaf && level == X86_LEVEL_PDPT)
		rsvd |= x86_huge_leaf_rsvd(level); /* bits 29:13 */
	else if (leaf && level == X86_LEVEL_PD)
		rsvd |= x86_huge_leaf_rsvd(level); /* bits 20:13 */
	return rsvd;
}

uint64_t x86_entry_reserved(uint64_t entry, unsigned level, bool leaf, unsigned maxphyaddr,
			    bool nxe)
{
	return entry & x86_entry_reserved_mask(level, leaf, maxphyaddr, nxe);
}

unsigned x86_pat_index(uint64_t entry, unsigned level)
{
	uint64_t pat_bit = level == X86_LEVEL_PT ? X86_PTE_PAT4K : X86_PTE_PATBIG;

	return ((entry & pat_bit) ? 4u : 0u) | ((entry & X86_PTE_PCD) ? 2u : 0u) |
	       ((entry & X86_PTE_PWT) ? 1u : 0u);
}

unsigned x86_pat_memtype(uint64_t pat, unsigned index)
{
	return (unsigned)(pat >> (8 * (index & 7))) & 7u;
}
