/* Page-table entry bits, declared once; pte_bits[] names them for printing. The
 * x86-64 ones are here; AArch64's are in arch/aarch64/pte.h. Both define the same
 * attribute sets for shared code: PTE_KERNEL_RX/RO/RW/MMIO, PTE_CACHE_WB/UC. */
#ifndef KERNEL_MM_PTE_H
#define KERNEL_MM_PTE_H

#include <stddef.h>
#include <stdint.h>

#if defined(__aarch64__)
#include "arch/aarch64/pte.h"
#else

#define PTE_P     (1ull << 0)  /* present */
#define PTE_RW    (1ull << 1)  /* writable */
#define PTE_US    (1ull << 2)  /* user accessible */
#define PTE_PWT   (1ull << 3)  /* PAT index bit 0 */
#define PTE_PCD   (1ull << 4)  /* PAT index bit 1 */
#define PTE_A     (1ull << 5)  /* accessed */
#define PTE_D     (1ull << 6)  /* dirty (leaves) */
#define PTE_PS    (1ull << 7)  /* page size (levels 2-3); PAT index bit 2 in 4 KiB PTEs */
#define PTE_G     (1ull << 8)  /* global (leaves) */
#define PTE_PAT_HUGE (1ull << 12) /* PAT index bit 2 in 2 MiB / 1 GiB leaves */
#define PTE_NX    (1ull << 63) /* no execute (EFER.NXE) */

/* Software "mapped" marker of the wronly-loop bug (mm/bugs.h), as Asterinas kept it:
 * bit 7 of a 4 KiB PTE (the PAT bit for the hardware), meaningful with P=0. */
#define PTE_SW_MAPPED (1ull << 7)

#define PTE_ADDR_MASK 0x000ffffffffff000ull

/* Memory types through the kernel's IA32_PAT (arch/x86_64/cpu.c). */
#define PTE_CACHE_WB  0ull
#define PTE_CACHE_UC  (PTE_PCD | PTE_PWT)

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
	uint64_t mask = PTE_ADDR_MASK & ~((1ull << (12 + 9 * (level - 1))) - 1);
	return pte & mask;
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
