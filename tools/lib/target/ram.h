/* SPDX-License-Identifier: MIT */
/*
 * Where a guest's RAM is: the physical ranges a scan of "all of RAM" reads.
 *
 * Three sources, none of them the guest's word alone: the segments of a core file
 * (what QEMU dumped), QEMU's own memory map (`info mtree -f` through the monitor:
 * the ram ranges of address space "memory"), or the frame array the kernel's debug
 * region describes. Commands pick the first that answers (ptdbg_ram_find()).
 */
#ifndef PTDBG_RAM_H
#define PTDBG_RAM_H

#include <stddef.h>
#include <stdint.h>

#include "target/target.h"

#define PTDBG_RAM_MAX_RANGES 64

struct ptdbg_ram_range {
	uint64_t pa, len;
};

struct ptdbg_ram {
	struct ptdbg_ram_range r[PTDBG_RAM_MAX_RANGES]; /* sorted, disjoint, 4 KiB aligned */
	size_t n;
	const char *source; /* "core file", "info mtree", "debug region" */
};

/* Add [pa, pa+len) to ram, rounded inward to 4 KiB, kept sorted and merged with
 * its neighbours. Ranges past PTDBG_RAM_MAX_RANGES are dropped. */
void ptdbg_ram_add(struct ptdbg_ram *ram, uint64_t pa, uint64_t len);

/* Total bytes of ram. */
uint64_t ptdbg_ram_bytes(const struct ptdbg_ram *ram);

/* Parse the text of QEMU's `info mtree -f` into ram: the ranges of kind "ram" in the
 * flat view of address space "memory". Returns 0, or PTDBG_EFORMAT if it lists none. */
int ptdbg_ram_from_mtree(const char *text, struct ptdbg_ram *ram);

/* The PT_LOAD segments of the ELF core file at path. Returns 0 or PTDBG_EFORMAT /
 * PTDBG_EIO. */
int ptdbg_ram_from_core(const char *path, struct ptdbg_ram *ram);

/* Fill ram from the first source that answers: the core file core_path (if not
 * NULL), the monitor of t (`info mtree -f`), then frames [base_pfn, base_pfn+count)
 * (count 0: none). Returns 0, a link error, or PTDBG_ENOTSUP with why (one line)
 * when no source answers. */
int ptdbg_ram_find(struct ptdbg_target *t, const char *core_path, uint64_t base_pfn, uint64_t count,
		   struct ptdbg_ram *ram, char *why, size_t whylen);

#endif /* PTDBG_RAM_H */
