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

/* The bits, levels and masks these tables name: declared once, for the kernel and
 * the tools. */
#include "ptdbg/hw/x86.h"
#include "walk/bits.h"

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


/* Name of a memory type encoding 0..7 ("UC", "WC", "WT", "WP", "WB", "UC-"; "?2", "?3"
 * for the reserved encodings). */
const char *x86_memtype_name(unsigned mt);

/* Short name of the table at level 1..5 ("PT", "PD", "PDPT", "PML4", "PML5"). */
const char *x86_level_name(unsigned level);
/* Name of an entry of the table at level ("PTE", "PDE", "PDPTE", "PML4E", "PML5E"). */
const char *x86_entry_name(unsigned level);
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
