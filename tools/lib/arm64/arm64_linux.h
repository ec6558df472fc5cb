/* SPDX-License-Identifier: MIT */
/*
 * The layout of a Linux arm64 guest (region/linux_layout.h), placed from its symbols
 * and its running tables: the markers of Linux's arch/arm64/mm/ptdump.c (5.11 to
 * 6.1's arch/arm64/include/asm/memory.h, 4, 16 or 64 KiB pages, VA_BITS = TTBR1's
 * input size), with the bases found as follows.
 *
 *  - text_offset (KASLR): VBAR_EL1 holds the relocated `vectors`, so the offset is
 *    VBAR_EL1 less vectors' link address; without VBAR (or when that fails), the
 *    start of an EL1-executable range of TTBR1's tables less _stext's. Either is
 *    accepted only if linux_banner at its relocated address reads "Linux version".
 *  - memstart_addr (PHYS_OFFSET) and kimage_voffset: the variables, read at their
 *    relocated addresses; kimage_voffset is verified by translating _text.
 *  - page_offset: -(1 << VA_BITS), verified by translating the linear-map alias of
 *    _text's frame (PAGE_OFFSET + its physical address - PHYS_OFFSET) to that frame.
 *  - vmemmap_start: -(1 << (VA_BITS - VMEMMAP_SHIFT)), verified by translating the
 *    struct page of _text's frame.
 *  - fixaddr_start: FIXADDR_TOP (VMEMMAP_START - 32 MiB) less the permanent fixmap
 *    slots, whose count (enum fixed_addresses' __end_of_permanent_fixed_addresses)
 *    is read from the kernel's BTF in guest memory.
 * The rest follow from these: PAGE_END = MODULES_VADDR = -(1 << (VA_BITS - 1)),
 * MODULES_END = VMALLOC_START = MODULES_VADDR + 128 MiB, VMALLOC_END =
 * VMEMMAP_START - 256 MiB, PCI_IO_END = VMEMMAP_START - 8 MiB, PCI I/O 16 MiB.
 */
#ifndef PTDBG_ARM64_LINUX_H
#define PTDBG_ARM64_LINUX_H

#include "arm64/arm64_walk.h"
#include "region/linux_layout.h"
#include "region/symbols.h"
#include "target/mem.h"

/* Fill l for the guest whose translation registers cpu holds (VBAR used when
 * PTDBG_ARM64_HAVE_VBAR), with the symbols syms (NULL: none, and l says it labels
 * nothing). Returns 0 (l filled, valid or with why it is not) or a link error. */
int ptdbg_arm64_linux_layout(struct ptdbg_mem *mem, const struct ptdbg_arm64_cpu *cpu,
			     const struct ptdbg_symbols *syms, struct ptdbg_linux_layout *l);

#endif /* PTDBG_ARM64_LINUX_H */
