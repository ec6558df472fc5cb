/*
 * The kernel's layout of virtual memory. x86-64 (the same in 4- and 5-level paging):
 *
 *   0x0000000000000000 .. 0x0000800000000000   user space (per process; tracked)
 *   0xffff800000000000 .. + max RAM address    linear map of RAM (untracked, NX)
 *   0xffffc00000000000 .. + 1 TiB              untracked window: MMIO, firmware tables
 *   0xffffd00000000000 .. + 1 TiB              tracked window: 4 KiB pages, guard pages
 *   0xffffffff80000000 + load address          kernel image (untracked)
 *
 *
 * AArch64 (TTBR1 holds the kernel, TTBR0 the current process; any granule, va_bits):
 *
 *   0x0000000000000000 .. 2^va_bits              user space (TTBR0; tracked)
 *   0xfffffff000000000 + load address          kernel image (untracked)
 *   0xfffffff200000000 .. + 8 GiB              tracked window: pages, guard pages
 *   0xfffffff400000000 .. + 16 GiB             untracked window: MMIO (Device memory)
 *   0xfffffff800000000 + physical address      linear map of RAM (untracked, XN)
 *
 * docs/abi.md repeats this table with the range-marker names the region exports.
 */
#ifndef KERNEL_MM_LAYOUT_H
#define KERNEL_MM_LAYOUT_H

#if defined(__aarch64__)
#define PAGE_SHIFT           12   /* frames; the AArch64 granule may be larger */
#define PAGE_SIZE            0x1000
#define HUGE_2M              0x200000
#define HUGE_1G              0x40000000

/* All kernel addresses live in the top 64 GiB, the seed's 36-bit TTBR1 space
 * (va_bits=39 or 48 only make the kernel's root cover more). boot.S maps the
 * peripherals at KERNEL_VBASE + physical for the early console; the kernel's own
 * tables put them in the untracked window. */
#define KERNEL_VBASE         0xfffffff000000000 /* image: KERNEL_VBASE + physical */
#define KERNEL_PBASE         0x40200000         /* where the image is loaded */
#define USER_START           0x0000000000001000
/* The user half is what TTBR0 translates, [0, 2^va_bits) with TCR_EL1.T0SZ =
 * 64 - va_bits: 64 GiB to 256 TiB, known once the command line is read. */
#define USER_END_MIN         0x0000001000000000 /* 64 GiB: va_bits=36 */
#define USER_END             user_end
#define KERNEL_HALF_START    0xfffffff000000000
#define UNTRACKED_WIN_BASE   0xfffffff400000000 /* MMIO, physical ranges */
#define UNTRACKED_WIN_SIZE   0x0000000400000000 /* 16 GiB */
#define TRACKED_WIN_BASE     0xfffffff200000000
#define TRACKED_WIN_SIZE     0x0000000200000000 /* 8 GiB */
#define LINEAR_BASE          0xfffffff800000000 /* linear map: LINEAR_BASE + physical */
#define LINEAR_MAX_SIZE      0x0000000800000000 /* 32 GiB of physical addresses */
#define EARLY_LINEAR_END     0x0000000140000000 /* boot.S maps [1 GiB, 5 GiB) early */
#else
#define PAGE_SHIFT           12
#define PAGE_SIZE            0x1000
#define HUGE_2M              0x200000
#define HUGE_1G              0x40000000

#define KERNEL_VBASE         0xffffffff80000000
#define USER_START           0x0000000000001000
#define USER_END             0x0000800000000000
#define KERNEL_HALF_START    0xffff800000000000
#define LINEAR_BASE          0xffff800000000000
#define LINEAR_MAX_SIZE      0x0000400000000000 /* 64 TiB */
#define UNTRACKED_WIN_BASE   0xffffc00000000000
#define UNTRACKED_WIN_SIZE   0x0000010000000000 /* 1 TiB */
#define TRACKED_WIN_BASE     0xffffd00000000000
#define TRACKED_WIN_SIZE     0x0000010000000000 /* 1 TiB */

#define EARLY_LINEAR_END     0x0000000100000000 /* boot.S maps 4 GiB early */
#endif

#ifndef __ASSEMBLY__
#include <stdint.h>

extern char __kernel_start[], __kernel_end[], __text_start[], __text_end[];
extern char __rodata_start[], __rodata_end[], __data_start[], __data_end[];
extern char __bss_start[], __bss_end[];

#if defined(__aarch64__)
/* The end of the user half (USER_END): set by arch_kspace_geometry() before the
 * first address space or range marker exists, fixed from then on. */
extern uint64_t user_end;
#endif

/* Physical address of a linear-map address. */
static inline uint64_t virt_to_phys(const void *va)
{
	uint64_t v = (uint64_t)va;
#if defined(__aarch64__)
	if (v >= LINEAR_BASE)
		return v - LINEAR_BASE;
	return v - KERNEL_VBASE;
#else
	if (v >= KERNEL_VBASE)
		return v - KERNEL_VBASE;
	return v - LINEAR_BASE;
#endif
}

/* Linear-map address of a physical address (valid for RAM only). */
static inline void *phys_to_virt(uint64_t pa)
{
	return (void *)(pa + LINEAR_BASE);
}

/* Physical address of a kernel-image symbol. */
static inline uint64_t kimage_phys(const void *sym)
{
	return (uint64_t)sym - KERNEL_VBASE;
}
#endif

#endif
