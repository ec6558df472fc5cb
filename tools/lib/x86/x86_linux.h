/* SPDX-License-Identifier: MIT */
/*
 * The layout of a Linux x86-64 guest (region/linux_layout.h), placed from its
 * symbols and its running page tables: the markers of Linux's
 * arch/x86/mm/dump_pagetables.c, for 4- and 5-level paging, with the KASLR offsets
 * found as follows.
 *
 *  - text_offset: the high kernel mapping [__START_KERNEL_map, + KERNEL_IMAGE_SIZE)
 *    maps nothing below the kernel's _text (Linux clears it at boot), so its first
 *    mapped page is the relocated _text; the offset is that address minus _text's
 *    link address, accepted only if linux_banner at its relocated address reads
 *    "Linux version".
 *  - page_offset_base, vmalloc_base, vmemmap_base: the 64-bit variables of that
 *    name, read at their relocated addresses through the tables; page_offset_base is
 *    verified by translating the linear-map alias of _text's frame. A kernel without
 *    the variables (no CONFIG_DYNAMIC_MEMORY_LAYOUT) uses the static defaults.
 *  - the fixmap's start: FIXADDR_TOP less the permanent fixmap slots, whose count
 *    (enum fixed_addresses' __end_of_permanent_fixed_addresses) is read from the
 *    kernel's BTF (__start_BTF..__stop_BTF) in guest memory.
 */
#ifndef PTDBG_X86_LINUX_H
#define PTDBG_X86_LINUX_H

#include "region/linux_layout.h"
#include "region/symbols.h"
#include "target/mem.h"
#include "x86/x86_walk.h"

/* Linux's fixed addresses (arch/x86/include/asm/pgtable_64_types.h, page_64_types.h,
 * fixmap.h, vsyscall.h). */
#define PTDBG_LINUX_START_KERNEL_MAP 0xffffffff80000000ull
#define PTDBG_LINUX_MODULES_END      0xffffffffff000000ull
#define PTDBG_LINUX_VSYSCALL_ADDR    0xffffffffff600000ull
#define PTDBG_LINUX_FIXADDR_TOP      0xffffffffff7ff000ull /* round_up(VSYSCALL+4K, 2M) - 4K */
#define PTDBG_LINUX_CPU_ENTRY_AREA   0xfffffe0000000000ull /* -4 << P4D_SHIFT */
#define PTDBG_LINUX_ESPFIX_BASE      0xffffff0000000000ull /* -2 << P4D_SHIFT */
#define PTDBG_LINUX_EFI_VA_END       0xffffffef00000000ull /* -68 GiB */

/* Fill l for the guest whose kernel tables cpu describes (CR3, CR4.LA57), with the
 * symbols syms (NULL: none, and l says it labels nothing). Returns 0 (l filled, valid
 * or with why it is not) or a link error. */
int ptdbg_x86_linux_layout(struct ptdbg_mem *mem, const struct ptdbg_x86_cpu *cpu,
			   const struct ptdbg_symbols *syms, struct ptdbg_linux_layout *l);

#endif /* PTDBG_X86_LINUX_H */
