/* SPDX-License-Identifier: MIT */
/*
 * AArch64 descriptor and register layouts as bit tables (walk/bits.h), over the
 * definitions of include/ptdbg/hw/arm64.h. Every printer and check reads these.
 */
#ifndef PTDBG_ARM64_BITS_H
#define PTDBG_ARM64_BITS_H

#include <stdbool.h>
#include <stdint.h>

#include "walk/bits.h"

extern const struct ptdbg_bit_table arm64_bits_table_desc; /* table descriptor */
extern const struct ptdbg_bit_table arm64_bits_block_desc; /* block descriptor */
extern const struct ptdbg_bit_table arm64_bits_page_desc;  /* page descriptor (level 3) */
/* Effective permissions of a mapping (struct ptdbg_perm.flags, arm64_walk.h). */
extern const struct ptdbg_bit_table arm64_bits_effective;
/* Registers, field by field. */
extern const struct ptdbg_bit_table arm64_bits_tcr;
extern const struct ptdbg_bit_table arm64_bits_sctlr;
extern const struct ptdbg_bit_table arm64_bits_cpsr;

/* The layout of a descriptor at frame level (1 = lookup level 3), a leaf or not:
 * a page at level 1, a block above it when leaf, else a table. */
const struct ptdbg_bit_table *arm64_bits_entry_table(unsigned level, bool leaf);

/* Names of the table at frame level ("L0".."L3", "L-1") and of its descriptors
 * ("L0 desc"...). */
const char *arm64_level_name(unsigned level);
const char *arm64_entry_name(unsigned level);

#endif /* PTDBG_ARM64_BITS_H */
