/* The kernel's use of x86-64 page-table entries: its memory-type selectors and leaf
 * attribute sets, and pte_bits[] naming the bits for printing. The bits themselves
 * are declared once, for the kernel and the tools, in ptdbg/hw/x86.h. */
#ifndef KERNEL_MM_PTE_H
#define KERNEL_MM_PTE_H

#include <stddef.h>
#include <stdint.h>

#include "ptdbg/hw/x86.h"

/* Software "mapped" marker of the wronly-loop bug (mm/bugs.h), as Asterinas kept it:
 * bit 7 of a 4 KiB PTE (the PAT bit for the hardware), meaningful with P=0. */
#define PTE_SW_MAPPED X86_PTE_PAT4K

/* Memory types through the kernel's IA32_PAT (arch/x86_64/cpu.c). */
#define PTE_CACHE_WB  0ull
#define PTE_CACHE_UC  (X86_PTE_PCD | X86_PTE_PWT)

/* Common leaf attribute sets (P and PS are added by the page-table code). */
#define PTE_KERNEL_RX  (X86_PTE_G)
#define PTE_KERNEL_RO  (X86_PTE_G | X86_PTE_NX)
#define PTE_KERNEL_RW  (X86_PTE_G | X86_PTE_RW | X86_PTE_NX)
#define PTE_KERNEL_MMIO (X86_PTE_G | X86_PTE_RW | X86_PTE_NX | PTE_CACHE_UC)

struct pte_bit {
	uint64_t mask;
	const char *set;   /* name printed when the bit is set */
	const char *clear; /* name printed when clear (NULL: nothing) */
};

extern const struct pte_bit pte_bits[];
extern const size_t pte_bits_count;

/* Physical address a leaf at `level` (1: 4 KiB, 2: 2 MiB, 3: 1 GiB) maps. */
static inline uint64_t pte_leaf_addr(uint64_t pte, int level)
{
	return pte & x86_leaf_addr_mask((unsigned)level);
}

/* Describe an entry's flags ("P RW US NX ...") into buf. */
void pte_describe(uint64_t pte, char *buf, size_t n);

#endif
