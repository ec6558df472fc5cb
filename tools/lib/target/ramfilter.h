/* SPDX-License-Identifier: MIT */
/*
 * Telling a hole from memory where the backend cannot: QEMU's gdbstub answers a
 * physical read of an AArch64 address with nothing behind it with zeros, not an
 * error, so a table pointer into a hole reads as an empty table. This file finds
 * where RAM is from the flattened device tree in guest memory (where QEMU's virt
 * machine puts it for the kernel: the base of RAM), and wraps a target so that
 * reads outside a RAM map fail as unreadable memory (PTDBG_EIO, "not RAM"), which
 * the walker reports instead of decoding zeros.
 */
#ifndef PTDBG_RAMFILTER_H
#define PTDBG_RAMFILTER_H

#include <stddef.h>
#include <stdint.h>

#include "target/ram.h"
#include "target/target.h"

/* QEMU's AArch64 virt machine: RAM starts at 1 GiB, and the device tree of a
 * kernel QEMU loads lies at its start. */
#define PTDBG_VIRT_RAM_PA 0x40000000ull

/* The memory nodes (device_type "memory", their reg) of the flattened device tree
 * blob[0, len) into ram. Returns 0, or PTDBG_EFORMAT when blob is not a device tree
 * or lists no memory. Bounded by len: the guest wrote the blob. */
int ptdbg_ram_from_fdt(const void *blob, size_t len, struct ptdbg_ram *ram);

/* Read the flattened device tree at physical address pa through t: up to the end
 * of its last block (QEMU pads its tree to 1 MiB; at most 2 MiB is believed), its
 * first 8 KiB in one read before the header says how much there is. Returns 0 with
 * *blob (malloc'd) and *len, PTDBG_EFORMAT (no device tree there), or a read error. */
int ptdbg_fdt_read(struct ptdbg_target *t, uint64_t pa, uint8_t **blob, size_t *len);
/* The first bytes ptdbg_fdt_read reads at once, and the same read with them read
 * already (ahead: the have bytes at pa, have <= PTDBG_FDT_AHEAD; NULL or 0: none),
 * so that a caller can ask for them in a batch of its own. */
#define PTDBG_FDT_AHEAD 8192u
int ptdbg_fdt_read_ahead(struct ptdbg_target *t, uint64_t pa, const void *ahead, size_t have, uint8_t **blob,
			 size_t *len);

/* Read the device tree at physical address pa through t (ptdbg_fdt_read) and parse
 * its memory nodes into ram. Returns 0, PTDBG_EFORMAT (no device tree there), or a
 * read error. */
int ptdbg_ram_from_fdt_at(struct ptdbg_target *t, uint64_t pa, struct ptdbg_ram *ram);
/* The same with the tree's first have bytes read already (ptdbg_fdt_read_ahead). */
int ptdbg_ram_from_fdt_ahead(struct ptdbg_target *t, uint64_t pa, const void *ahead, size_t have,
			     struct ptdbg_ram *ram);

/* Whether [pa, pa+len) lies in ram. */
bool ptdbg_ram_holds(const struct ptdbg_ram *ram, uint64_t pa, uint64_t len);

/* A target over inner (not owned: inner must outlive it, and closing it leaves inner
 * open) whose physical reads outside ram fail with PTDBG_EIO; everything else, its
 * name and counters are inner's. NULL when out of memory. */
struct ptdbg_target *ptdbg_ram_filter_open(struct ptdbg_target *inner, const struct ptdbg_ram *ram);

#endif /* PTDBG_RAMFILTER_H */
