/* SPDX-License-Identifier: MIT */
/*
 * x86-64 paging bit layouts (Intel SDM vol. 3, chapter 4), declared once as tables.
 *
 * Every printer and check reads these tables (walk/bits.h) instead of testing bits
 * by hand.
 *
 * Levels are numbered as the tables are: 5 PML5, 4 PML4, 3 PDPT, 2 PD, 1 PT.
 * A "leaf" entry maps a page (PT entry, or PS=1 in a PD/PDPT entry); a "table"
 * entry points to the next table.
 */
#ifndef PTDBG_X86_BITS_H
#define PTDBG_X86_BITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "walk/bits.h"

/* Entry bits common to all levels. */
#define X86_PTE_P      (1ull << 0)  /* present */
#define X86_PTE_RW     (1ull << 1)  /* writable */
#define X86_PTE_US     (1ull << 2)  /* user accessible */
#define X86_PTE_PWT    (1ull << 3)  /* page-level write-through */
#define X86_PTE_PCD    (1ull << 4)  /* page-level cache disable */
#define X86_PTE_A      (1ull << 5)  /* accessed */
#define X86_PTE_D      (1ull << 6)  /* dirty (leaf only) */
#define X86_PTE_PS     (1ull << 7)  /* page size (PD/PDPT entries) */
#define X86_PTE_PAT4K  (1ull << 7)  /* PAT bit of a 4 KiB PTE */
#define X86_PTE_G      (1ull << 8)  /* global (leaf only) */
#define X86_PTE_PATBIG (1ull << 12) /* PAT bit of a 2 MiB / 1 GiB leaf */
#define X86_PTE_PKEY_SHIFT 59
#define X86_PTE_PKEY   (0xfull << 59) /* protection key (leaf only, CR4.PKE/PKS) */
#define X86_PTE_NX     (1ull << 63) /* execute disable (EFER.NXE) */
#define X86_PTE_SW_LOW  (0x7ull << 9)    /* bits 11:9 ignored by hardware */
#define X86_PTE_SW_HIGH (0x7full << 52)  /* bits 58:52 ignored by hardware */

/* Control-register and MSR bits the walker reads. */
#define X86_CR0_WP     (1ull << 16)
#define X86_CR0_PG     (1ull << 31)
#define X86_CR4_PSE    (1ull << 4)
#define X86_CR4_PAE    (1ull << 5)
#define X86_CR4_PGE    (1ull << 7)
#define X86_CR4_LA57   (1ull << 12)
#define X86_CR4_PCIDE  (1ull << 17)
#define X86_CR4_SMEP   (1ull << 20)
#define X86_CR4_SMAP   (1ull << 21)
#define X86_CR4_PKE    (1ull << 22)
#define X86_CR4_PKS    (1ull << 24)
#define X86_EFER_LME   (1ull << 8)
#define X86_EFER_LMA   (1ull << 10)
#define X86_EFER_NXE   (1ull << 11)
#define X86_CR3_PWT    (1ull << 3)
#define X86_CR3_PCD    (1ull << 4)
#define X86_CR3_PCID   0xfffull

/* IA32_PAT value after reset: WB WT UC- UC WB WT UC- UC. */
#define X86_PAT_RESET  0x0007040600070406ull

/* Page-fault error code bits (SDM 4.7). */
#define X86_PF_P     (1u << 0)  /* 0: not present, 1: protection violation */
#define X86_PF_W     (1u << 1)  /* write access */
#define X86_PF_U     (1u << 2)  /* user-mode access */
#define X86_PF_RSVD  (1u << 3)  /* reserved bit set in some entry */
#define X86_PF_I     (1u << 4)  /* instruction fetch (NXE or SMEP) */
#define X86_PF_PK    (1u << 5)  /* protection key */

/* Entry formats. */
extern const struct ptdbg_bit_table x86_bits_table_entry; /* PML5E, PML4E, PDPTE/PDE -> table */
extern const struct ptdbg_bit_table x86_bits_huge_leaf;   /* PDPTE 1 GiB, PDE 2 MiB */
extern const struct ptdbg_bit_table x86_bits_pte;         /* PTE 4 KiB */
extern const struct ptdbg_bit_table x86_bits_cr3;
extern const struct ptdbg_bit_table x86_bits_pf_error;    /* page-fault error code */
/* Effective permissions of a mapping (struct ptdbg_perm.flags, x86_walk.h). */
extern const struct ptdbg_bit_table x86_bits_effective;

/* The layout of an entry at level (1..5), a leaf (maps a page) or not; at level 1
 * always the PTE layout. */
const struct ptdbg_bit_table *x86_bits_entry_table(unsigned level, bool leaf);

/* Memory types, as encoded in IA32_PAT and MTRRs. */
enum x86_memtype {
	X86_MT_UC  = 0,
	X86_MT_WC  = 1,
	X86_MT_WT  = 4,
	X86_MT_WP  = 5,
	X86_MT_WB  = 6,
	X86_MT_UCM = 7, /* UC- */
};

/* Name of a memory type encoding 0..7 ("UC", "WC", "WT", "WP", "WB", "UC-"; "?2", "?3"
 * for the reserved encodings). */
const char *x86_memtype_name(unsigned mt);

/* Levels. */
#define X86_LEVEL_PT   1
#define X86_LEVEL_PD   2
#define X86_LEVEL_PDPT 3
#define X86_LEVEL_PML4 4
#define X86_LEVEL_PML5 5

/* Short name of the table at level 1..5 ("PT", "PD", "PDPT", "PML4", "PML5"). */
const char *x86_level_name(unsigned level);
/* Name of an entry of the table at level ("PTE", "PDE", "PDPTE", "PML4E", "PML5E"). */
const char *x86_entry_name(unsigned level);
/* Bytes of virtual address space one entry at level covers: ptdbg_level_span_4k()
 * (walk/frame.h). */

/* Physical-address bits of an entry at level: bits (maxphyaddr-1):12 of a table
 * entry or 4K leaf, (maxphyaddr-1):21 of a 2 MiB leaf, (maxphyaddr-1):30 of a 1 GiB leaf. */
uint64_t x86_entry_addr_mask(unsigned level, bool leaf, unsigned maxphyaddr);

/* Bits of entry that must be zero (SDM 4.5, tables 4-14..4-20): bits 51:maxphyaddr,
 * NX if !nxe, PS in PML5E/PML4E, bits 29:13 of a 1 GiB leaf / 20:13 of a 2 MiB leaf;
 * PS in a PDPTE when 1 GiB pages are not supported is reported separately by the
 * walker. Returns the mask of offending bits (0 if none). Only meaningful if P=1. */
uint64_t x86_entry_reserved(uint64_t entry, unsigned level, bool leaf, unsigned maxphyaddr,
			    bool nxe);
/* The mask x86_entry_reserved() applies (entry & mask), for callers that test many
 * entries of one level. */
uint64_t x86_entry_reserved_mask(unsigned level, bool leaf, unsigned maxphyaddr, bool nxe);

/* PAT index (PAT:PCD:PWT) of a leaf at level, and its memory type under pat. */
unsigned x86_pat_index(uint64_t entry, unsigned level);
unsigned x86_pat_memtype(uint64_t pat, unsigned index);

#endif /* PTDBG_X86_BITS_H */
