/*
 * AArch64 leaf attributes as the kernel uses them (included by mm/pte.h). The bit
 * layouts are include/ptdbg/hw/arm64.h; MAIR_EL1 (programmed in boot.S and kept)
 * holds the memory types the attribute indexes below select.
 */
#ifndef KERNEL_ARCH_AARCH64_PTE_H
#define KERNEL_ARCH_AARCH64_PTE_H

#include <stdint.h>

#include "ptdbg/hw/arm64.h"

/* MAIR_EL1 attribute indexes. */
#define MAIR_IDX_NORMAL     0 /* Normal, write-back read/write-allocate */
#define MAIR_IDX_DEVICE     1 /* Device-nGnRnE */
#define MAIR_IDX_DEVICE_NRE 2 /* Device-nGnRE */
#define MAIR_IDX_NORMAL_NC  3 /* Normal, non-cacheable */
#define KERNEL_MAIR (ARM64_MAIR_ATTR(ARM64_MAIR_NORMAL_WB, MAIR_IDX_NORMAL) | \
		     ARM64_MAIR_ATTR(ARM64_MAIR_DEVICE_nGnRnE, MAIR_IDX_DEVICE) | \
		     ARM64_MAIR_ATTR(ARM64_MAIR_DEVICE_nGnRE, MAIR_IDX_DEVICE_NRE) | \
		     ARM64_MAIR_ATTR(ARM64_MAIR_NORMAL_NC, MAIR_IDX_NORMAL_NC))

/* Memory types (attribute index and shareability). */
#define PTE_CACHE_WB   (ARM64_DESC_ATTRINDX(MAIR_IDX_NORMAL) | ARM64_SH_INNER)
#define PTE_CACHE_UC   (ARM64_DESC_ATTRINDX(MAIR_IDX_DEVICE))

/* Software "mapped" marker of the wronly-loop bug (mm/bugs.h): a software bit,
 * meaningful on an invalid descriptor (bit 0 clear), as the x86 PTE_SW_MAPPED. */
#define PTE_SW_MAPPED  ARM64_DESC_SW(0)

/* Kernel leaf attribute sets (valid/type bits and the address are added by the
 * paging format). Kernel mappings are global; nothing the kernel maps is EL0
 * accessible or executable at EL0. */
#define PTE_KERNEL_BASE (ARM64_DESC_AF | ARM64_DESC_UXN)
#define PTE_KERNEL_RX   (PTE_KERNEL_BASE | ARM64_AP_RO_EL1 | PTE_CACHE_WB)
#define PTE_KERNEL_RO   (PTE_KERNEL_BASE | ARM64_AP_RO_EL1 | ARM64_DESC_PXN | PTE_CACHE_WB)
#define PTE_KERNEL_RW   (PTE_KERNEL_BASE | ARM64_AP_RW_EL1 | ARM64_DESC_PXN | PTE_CACHE_WB)
#define PTE_KERNEL_MMIO (PTE_KERNEL_BASE | ARM64_AP_RW_EL1 | ARM64_DESC_PXN | PTE_CACHE_UC)
/* Read-write kernel data of a memory type (PTE_CACHE_*). */
#define PTE_KERNEL_DATA(cache) (PTE_KERNEL_BASE | ARM64_AP_RW_EL1 | ARM64_DESC_PXN | (cache))

/* User pages: EL0 accessible, not global, never executable at EL1. */
#define PTE_USER_BASE   (ARM64_DESC_AF | ARM64_DESC_NG | ARM64_DESC_PXN | PTE_CACHE_WB)

/* The bit the hardware reads as "valid", and the user-page attributes (PROT_WRITE
 * gives EL0 read-write, otherwise read-only; no PROT_EXEC gives UXN). */
#define PTE_VALID ARM64_DESC_VALID
static inline uint64_t pte_user_attrs(int write, int exec)
{
	return PTE_USER_BASE | (write ? ARM64_AP_RW_ALL : ARM64_AP_RO_ALL) | (exec ? 0 : ARM64_DESC_UXN);
}
static inline int pte_writable(uint64_t pte) { return !(pte & ARM64_DESC_AP_RO); }
static inline int pte_kernel_exec(uint64_t pte) { return !(pte & ARM64_DESC_PXN); }
static inline int pte_user_ok(uint64_t pte) { return (pte & ARM64_DESC_AP_EL0) != 0; }

/* The attribute bits a caller may pass (everything but valid/type and address). */
#define PTE_ATTR_MASK   (ARM64_DESC_LOWER_MASK | ARM64_DESC_UPPER_MASK)

#endif
