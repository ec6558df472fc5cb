/* SPDX-License-Identifier: MIT */
/*
 * The ACPI DMA remapping table (VT-d chapter 8): the byte offsets of the DMAR
 * table, of its remapping structures (DRHD, RMRR, ...) and of their device scopes;
 * flag bits and type codes. The way to it (RSDP, XSDT/RSDT) is in acpi.h.
 *
 * This is the one declaration for kernel and tools: the reference kernel finds its
 * remapping unit with it and libptdbg parses the guest's DMAR table with it.
 * Freestanding: stdint only. All fields are little-endian.
 */
#ifndef PTDBG_HW_ACPI_DMAR_H
#define PTDBG_HW_ACPI_DMAR_H

#include <stdint.h>

#include "ptdbg/hw/acpi.h" /* RSDP, system description table header */

/* ---- DMAR table (VT-d 8.1) ---- */
#define ACPI_DMAR_SIG         "DMAR"
#define ACPI_DMAR_HAW         36  /* host address width - 1 */
#define ACPI_DMAR_FLAGS       37
#define ACPI_DMAR_HDR_LEN     48  /* the first remapping structure */
#define ACPI_DMAR_INTR_REMAP        0x1 /* flags */
#define ACPI_DMAR_X2APIC_OPT_OUT    0x2
#define ACPI_DMAR_DMA_CTRL_OPT_IN   0x4

/* Remapping structures: a 16-bit type and a 16-bit length, then the body. */
#define ACPI_DMAR_RS_TYPE     0
#define ACPI_DMAR_RS_LENGTH   2
#define ACPI_DMAR_RS_HDR_LEN  4
enum acpi_dmar_type {
	ACPI_DMAR_DRHD = 0, ACPI_DMAR_RMRR = 1, ACPI_DMAR_ATSR = 2, ACPI_DMAR_RHSA = 3,
	ACPI_DMAR_ANDD = 4, ACPI_DMAR_SATC = 5,
};

/* DMA remapping hardware unit definition (8.3). */
#define ACPI_DRHD_FLAGS       4
#define ACPI_DRHD_SIZE        5   /* register set: 2^size pages */
#define ACPI_DRHD_SEGMENT     6   /* 16-bit */
#define ACPI_DRHD_BASE        8   /* 64-bit register base */
#define ACPI_DRHD_SCOPES      16  /* the device scopes, and the minimum length */
#define ACPI_DRHD_INCLUDE_PCI_ALL 0x1

/* Reserved memory region reporting (8.4). */
#define ACPI_RMRR_SEGMENT     6   /* 16-bit */
#define ACPI_RMRR_BASE        8   /* 64-bit */
#define ACPI_RMRR_LIMIT       16  /* 64-bit, inclusive */
#define ACPI_RMRR_SCOPES      24  /* the device scopes, and the minimum length */

/* Device scope (8.3.1): type, length, then (device, function) pairs from PATH. */
#define ACPI_SCOPE_TYPE       0
#define ACPI_SCOPE_LENGTH     1
#define ACPI_SCOPE_ENUM_ID    4
#define ACPI_SCOPE_START_BUS  5
#define ACPI_SCOPE_PATH       6   /* and the minimum length */
enum acpi_dmar_scope_type {
	ACPI_SCOPE_PCI_ENDPOINT = 1, ACPI_SCOPE_PCI_BRIDGE = 2, ACPI_SCOPE_IOAPIC = 3,
	ACPI_SCOPE_HPET = 4, ACPI_SCOPE_ACPI_NAMESPACE = 5,
};

#endif /* PTDBG_HW_ACPI_DMAR_H */
