/* The kernel's use of page-table entries: its memory-type selectors, leaf attribute
 * sets and pte_bits[] naming the bits for printing. The bits themselves are
 * declared once, for the kernel and the tools, in ptdbg/hw/ (x86.h, arm64.h); the
 * x86-64 names are here, AArch64's in arch/aarch64/pte.h. Both define the same
 * attribute sets for shared code: PTE_KERNEL_RX/RO/RW/MMIO, PTE_CACHE_WB/UC. */
#ifndef KERNEL_MM_PTE_H
#define KERNEL_MM_PTE_H

#include <stddef.h>
#include <stdint.h>

#if defined(__aarch64__)
#include "arch/aarch64/pte.h"
#else

/* The x86-64 names shared code uses, for the bits ptdbg/hw/x86.h declares once for
 * the kernel and the tools. */
#include "ptdbg/hw/x86.h"
#define PTE_P        X86_PTE_P
#define PTE_RW       X86_PTE_RW
#define PTE_US       X86_PTE_US
#define PTE_PWT      X86_PTE_PWT
#define PTE_PCD      X86_PTE_PCD
#define PTE_A        X86_PTE_A
#define PTE_D        X86_PTE_D
#define PTE_PS       X86_PTE_PS
#define PTE_G        X86_PTE_G
#define PTE_PAT_HUGE X86_PTE_PATBIG
#define PTE_NX       X86_PTE_NX
#define PTE_ADDR_MASK X86_PTE_ADDR_MASK

/* Software "mapped" marker of the wronly-loop bug (mm/bugs.h), as Asterinas kept it:
 * bit 7 of a 4 KiB PTE (the PAT bit for the hardware), meaningful with P=0. */
#define PTE_SW_MAPPED X86_PTE_PAT4K

/* Memory types through the kernel's IA32_PAT (arch/x86_64/cpu.c). */
#define PTE_CACHE_WB  0ull
#define PTE_CACHE_UC  (X86_PTE_PCD | X86_PTE_PWT)

/* Common leaf attribute sets (P and PS are added by the page-table code). */
#define PTE_KERNEL_RX  (PTE_G)
#define PTE_KERNEL_RO  (PTE_G | PTE_NX)
#define PTE_KERNEL_RW  (PTE_G | PTE_RW | PTE_NX)
#define PTE_KERNEL_MMIO (PTE_G | PTE_RW | PTE_NX | PTE_CACHE_UC)
/* Read-write kernel data of a memory type (PTE_CACHE_*). */
#define PTE_KERNEL_DATA(cache) (PTE_G | PTE_RW | PTE_NX | (cache))

/* The bit the hardware reads as "valid", and the user-page attributes. */
#define PTE_VALID PTE_P
static inline uint64_t pte_user_attrs(int write, int exec)
{
	return PTE_US | (write ? PTE_RW : 0) | (exec ? 0 : PTE_NX);
}
static inline int pte_writable(uint64_t pte) { return (pte & PTE_RW) != 0; }
static inline int pte_kernel_exec(uint64_t pte) { return !(pte & PTE_NX); }
static inline int pte_user_ok(uint64_t pte) { return (pte & PTE_US) != 0; }

/* Physical address a leaf at `level` (1: 4 KiB, 2: 2 MiB, 3: 1 GiB) maps. */
static inline uint64_t pte_leaf_addr(uint64_t pte, int level)
{
	return pte & x86_leaf_addr_mask((unsigned)level);
}

#endif /* x86-64 */

struct pte_bit {
	uint64_t mask;
	const char *set;   /* name printed when the bit is set */
	const char *clear; /* name printed when clear (NULL: nothing) */
};

extern const struct pte_bit pte_bits[];
extern const size_t pte_bits_count;

/* Describe an entry's flags ("P RW US NX ...") into buf. */
void pte_describe(uint64_t pte, char *buf, size_t n);

#endif
