/*
 * The kernel address space: linear map of RAM, kernel image with section
 * permissions, the untracked window (MMIO, firmware tables: no references) and the
 * tracked window (4 KiB pages with guard pages around each allocation, frames held
 * by reference).
 */
#ifndef KERNEL_MM_KSPACE_H
#define KERNEL_MM_KSPACE_H

#include <stdint.h>

#include "mm/pt.h"

extern struct pt_space kernel_space;
extern int kernel_as_index;

/* Build the kernel page tables, load them, and publish CPU state in the region. */
void kspace_init(void);
/* Provided by the architecture: the kernel space's geometry, and loading the
 * finished tables (CR3 / TTBR1) with the CPU state recorded in the region. */
void arch_kspace_geometry(uint32_t *levels, uint32_t *gshift, uint32_t *va_bits);
void arch_kspace_load(const struct pt_space *s);

/* Map [pa, pa+len) into the untracked window; cache is PTE_CACHE_UC for MMIO or
 * PTE_CACHE_WB for firmware tables in RAM; rounded out to whole pages of the
 * granule. Returns the address of pa, or NULL. */
void *kspace_map_untracked(uint64_t pa, uint64_t len, uint64_t cache);
/* Remove a mapping made by kspace_map_untracked (same va and len). */
void kspace_unmap_untracked(void *va, uint64_t len);

/* Allocate npages zeroed tracked pages, with an unmapped guard page on each side.
 * Returns the first page's address, or NULL. */
void *kspace_alloc_tracked(uint64_t npages);
/* Free an allocation of kspace_alloc_tracked (same npages). */
void kspace_free_tracked(void *va, uint64_t npages);

#endif
