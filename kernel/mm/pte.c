/* The table of page-table entry bits and a describer over it. */
#include "lib/printf.h"
#include "mm/pte.h"

#if defined(__aarch64__)
const struct pte_bit pte_bits[] = {
	{ ARM64_DESC_VALID, "V", "inv" },
	{ ARM64_DESC_AP_RO, "RO", "RW" },
	{ ARM64_DESC_AP_EL0, "EL0", 0 },
	{ ARM64_DESC_AF, "AF", 0 },
	{ ARM64_DESC_NG, "nG", 0 },
	{ ARM64_DESC_CONT, "CONT", 0 },
	{ ARM64_DESC_PXN, "PXN", 0 },
	{ ARM64_DESC_UXN, "UXN", 0 },
	{ PTE_SW_MAPPED, "SW-MAPPED", 0 },
};
#else
const struct pte_bit pte_bits[] = {
	{ PTE_P,   "P",   "np" },
	{ PTE_RW,  "RW",  "ro" },
	{ PTE_US,  "US",  "ks" },
	{ PTE_PWT, "PWT", 0 },
	{ PTE_PCD, "PCD", 0 },
	{ PTE_A,   "A",   0 },
	{ PTE_D,   "D",   0 },
	{ PTE_PS,  "PS",  0 },
	{ PTE_G,   "G",   0 },
	{ PTE_NX,  "NX",  "x" },
};
#endif
const size_t pte_bits_count = sizeof(pte_bits) / sizeof(pte_bits[0]);

/* Names of the bits of pte, space separated. */
void pte_describe(uint64_t pte, char *buf, size_t n)
{
	size_t len = 0;
	buf[0] = 0;
	for (size_t i = 0; i < pte_bits_count && len < n; i++) {
		const char *name = (pte & pte_bits[i].mask) ? pte_bits[i].set : pte_bits[i].clear;
		if (name)
			len += (size_t)ksnprintf(buf + len, n - len, "%s%s", len ? " " : "", name);
	}
}
