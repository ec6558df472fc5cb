/*
 * The ACPI DMAR table: RSDP -> XSDT (or RSDT) -> "DMAR" -> the first DMA-remapping
 * hardware unit definition (DRHD), preferring one with INCLUDE_PCI_ALL.
 */
#ifndef KERNEL_IOMMU_ACPI_DMAR_H
#define KERNEL_IOMMU_ACPI_DMAR_H

#include <stdint.h>

struct dmar_unit {
	uint64_t dmar_phys;    /* physical address of the DMAR table */
	uint64_t reg_base;     /* DRHD register base address */
	uint16_t segment;      /* PCI segment of the unit */
	uint8_t  flags;        /* DRHD flags (ACPI_DRHD_INCLUDE_PCI_ALL) */
	uint8_t  host_aw;      /* DMAR host address width, in bits */
	uint8_t  dmar_flags;   /* DMAR flags (bit 0: INTR_REMAP) */
};

/* Find the DMAR table and its first DRHD. Uses boot_info.rsdp_phys, or scans the
 * BIOS area when the loader gave none. Returns 0 and fills *u, or -1 with a reason
 * printed. Firmware tables are mapped (write-back) in the untracked window. */
int acpi_find_dmar(struct dmar_unit *u);

#endif
