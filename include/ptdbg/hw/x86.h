/* SPDX-License-Identifier: MIT */
/*
 * x86-64 paging and control-register layouts (Intel SDM vol. 3, chapters 2 and 4):
 * page-table entry bits, CR0/CR3/CR4/EFER bits, the page-fault error code, IA32_PAT
 * encodings, the levels and what one entry of each covers, address masks.
 *
 * This is the one declaration for kernel and tools: the reference kernel builds its
 * tables with it and libptdbg decodes them with it (the tools' bit tables for
 * printing are in tools/lib/x86/x86_bits.h). Freestanding: stdint and stdbool only.
 * The constants also assemble (boot.S); types and functions are C only.
 *
 * Levels are numbered as the tables are: 5 PML5, 4 PML4, 3 PDPT, 2 PD, 1 PT.
 * A "leaf" entry maps a page (PT entry, or PS=1 in a PD/PDPT entry); a "table"
 * entry points to the next table.
 */
#ifndef PTDBG_HW_X86_H
#define PTDBG_HW_X86_H

#include "ptdbg/hw/field.h"

#ifndef __ASSEMBLY__
#include <stdbool.h>
#include <stdint.h>
#endif

/* ---- geometry ---- */
#define X86_PAGE_SHIFT   12
#define X86_PAGE_SIZE    (PTDBG_ULL(1) << X86_PAGE_SHIFT)
#define X86_LEVEL_BITS   9                       /* index bits per level */
#define X86_ENTRIES      (PTDBG_U(1) << X86_LEVEL_BITS)  /* entries per table (512) */
#define X86_MAXPHYADDR_LIMIT 52                  /* architectural maximum of MAXPHYADDR */

#define X86_LEVEL_PT   1
#define X86_LEVEL_PD   2
#define X86_LEVEL_PDPT 3
#define X86_LEVEL_PML4 4
#define X86_LEVEL_PML5 5

#ifndef __ASSEMBLY__
/* Lowest virtual-address bit of the index at level (1..5): 12, 21, 30, 39, 48. */
static inline unsigned x86_level_shift(unsigned level)
{
	return X86_PAGE_SHIFT + X86_LEVEL_BITS * (level - 1);
}
/* Bytes of virtual address space one entry at level covers (4K << 9*(level-1)). */
static inline uint64_t x86_level_span(unsigned level)
{
	return 1ull << x86_level_shift(level);
}
/* Index of va in the table at level. */
static inline unsigned x86_level_index(uint64_t va, unsigned level)
{
	return (unsigned)(va >> x86_level_shift(level)) & (X86_ENTRIES - 1);
}
#endif

/* ---- page-table entries (SDM 4.5, tables 4-15..4-20) ---- */
#define X86_PTE_P      PTDBG_BIT(0)  /* present */
#define X86_PTE_RW     PTDBG_BIT(1)  /* writable */
#define X86_PTE_US     PTDBG_BIT(2)  /* user accessible */
#define X86_PTE_PWT    PTDBG_BIT(3)  /* page-level write-through (PAT index bit 0) */
#define X86_PTE_PCD    PTDBG_BIT(4)  /* page-level cache disable (PAT index bit 1) */
#define X86_PTE_A      PTDBG_BIT(5)  /* accessed */
#define X86_PTE_D      PTDBG_BIT(6)  /* dirty (leaf only) */
#define X86_PTE_PS     PTDBG_BIT(7)  /* page size (PD/PDPT entries) */
#define X86_PTE_PAT4K  X86_PTE_PS   /* the same bit in a 4 KiB PTE: PAT index bit 2 */
#define X86_PTE_G      PTDBG_BIT(8)  /* global (leaf only) */
#define X86_PTE_PATBIG PTDBG_BIT(12) /* PAT index bit 2 of a 2 MiB / 1 GiB leaf */
#define X86_PTE_PKEY_SHIFT 59
#define X86_PTE_PKEY   (PTDBG_ULL(0xf) << X86_PTE_PKEY_SHIFT) /* protection key (leaf only, CR4.PKE/PKS) */
#define X86_PTE_NX     PTDBG_BIT(63) /* execute disable (EFER.NXE) */
#define X86_PTE_SW_LOW  (PTDBG_ULL(0x7) << 9)   /* bits 11:9 ignored by hardware */
#define X86_PTE_SW_HIGH (PTDBG_ULL(0x7f) << 52) /* bits 58:52 ignored by hardware */

/* Address field of an entry: bits 51:12 (bits above MAXPHYADDR must be zero). */
#define X86_PTE_ADDR_MASK \
	(((PTDBG_ULL(1) << X86_MAXPHYADDR_LIMIT) - 1) & ~(X86_PAGE_SIZE - 1))

#ifndef __ASSEMBLY__
/* Address bits of a leaf at level (1: 4 KiB, 2: 2 MiB, 3: 1 GiB): bits 51:12,
 * 51:21 or 51:30 (the PAT bit 12 of a huge leaf is not address). */
static inline uint64_t x86_leaf_addr_mask(unsigned level)
{
	return X86_PTE_ADDR_MASK & ~(x86_level_span(level) - 1);
}
/* Bits of a huge leaf at level 2 or 3 that must be zero below its address: the
 * address field under the page size but for the PAT bit (20:13 or 29:13). */
static inline uint64_t x86_huge_leaf_rsvd(unsigned level)
{
	return X86_PTE_ADDR_MASK & (x86_level_span(level) - 1) & ~X86_PTE_PATBIG;
}
#endif

/* ---- control registers and MSRs (SDM 2.5, 2.2.1) ---- */
#define X86_CR0_PE     PTDBG_BIT(0)
#define X86_CR0_WP     PTDBG_BIT(16)
#define X86_CR0_PG     PTDBG_BIT(31)
#define X86_CR3_PWT    PTDBG_BIT(3)
#define X86_CR3_PCD    PTDBG_BIT(4)
#define X86_CR3_PCID   PTDBG_ULL(0xfff)
#define X86_CR4_PSE    PTDBG_BIT(4)
#define X86_CR4_PAE    PTDBG_BIT(5)
#define X86_CR4_PGE    PTDBG_BIT(7)
#define X86_CR4_LA57   PTDBG_BIT(12)
#define X86_CR4_PCIDE  PTDBG_BIT(17)
#define X86_CR4_SMEP   PTDBG_BIT(20)
#define X86_CR4_SMAP   PTDBG_BIT(21)
#define X86_CR4_PKE    PTDBG_BIT(22)
#define X86_CR4_PKS    PTDBG_BIT(24)
#define X86_MSR_EFER   PTDBG_U(0xc0000080)
#define X86_MSR_PAT    PTDBG_U(0x277)
#define X86_EFER_LME   PTDBG_BIT(8)
#define X86_EFER_LMA   PTDBG_BIT(10)
#define X86_EFER_NXE   PTDBG_BIT(11)
#define X86_RFLAGS_IF  PTDBG_BIT(9)
#define X86_RFLAGS_AC  PTDBG_BIT(18)

/* ---- page-fault error code (SDM 4.7) ---- */
#define X86_PF_P     (PTDBG_U(1) << 0)  /* 0: not present, 1: protection violation */
#define X86_PF_W     (PTDBG_U(1) << 1)  /* write access */
#define X86_PF_U     (PTDBG_U(1) << 2)  /* user-mode access */
#define X86_PF_RSVD  (PTDBG_U(1) << 3)  /* reserved bit set in some entry */
#define X86_PF_I     (PTDBG_U(1) << 4)  /* instruction fetch (NXE or SMEP) */
#define X86_PF_PK    (PTDBG_U(1) << 5)  /* protection key */
#define X86_PF_SS    (PTDBG_U(1) << 6)  /* shadow-stack access */
#define X86_PF_HLAT  (PTDBG_U(1) << 7)  /* HLAT paging */
#define X86_PF_SGX   (PTDBG_U(1) << 15) /* SGX access-control violation */

/* ---- memory types and IA32_PAT (SDM 11.12) ---- */
#ifndef __ASSEMBLY__
enum x86_memtype {
	X86_MT_UC  = 0,
	X86_MT_WC  = 1,
	X86_MT_WT  = 4,
	X86_MT_WP  = 5,
	X86_MT_WB  = 6,
	X86_MT_UCM = 7, /* UC- */
};

/* Entry i (0..7, the PAT:PCD:PWT index of a leaf) of an IA32_PAT value holding mt. */
#define X86_PAT_ENTRY(i, mt) ((uint64_t)(mt) << (8 * (i)))
/* IA32_PAT value after reset: WB WT UC- UC WB WT UC- UC. */
#define X86_PAT_RESET                                                             \
	(X86_PAT_ENTRY(0, X86_MT_WB) | X86_PAT_ENTRY(1, X86_MT_WT) |              \
	 X86_PAT_ENTRY(2, X86_MT_UCM) | X86_PAT_ENTRY(3, X86_MT_UC) |             \
	 X86_PAT_ENTRY(4, X86_MT_WB) | X86_PAT_ENTRY(5, X86_MT_WT) |              \
	 X86_PAT_ENTRY(6, X86_MT_UCM) | X86_PAT_ENTRY(7, X86_MT_UC))
#endif /* !__ASSEMBLY__ */

#endif /* PTDBG_HW_X86_H */
