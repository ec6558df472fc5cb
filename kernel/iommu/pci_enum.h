/*
 * Enumeration of the PCI functions on bus 0 (all the unit translates on q35), for
 * the IOMMU's device list and for drivers looking for a second device of a kind.
 */
#ifndef KERNEL_IOMMU_PCI_ENUM_H
#define KERNEL_IOMMU_PCI_ENUM_H

#include <stdint.h>

#define PCI_ENUM_MAX 64

struct pci_fn {
	uint16_t bdf;
	uint16_t vendor, device;
	uint32_t class_code; /* class << 16 | subclass << 8 | prog-if */
};

/* Fill up to max functions of bus 0 in bdf order; returns how many were found. */
int pci_enum_bus0(struct pci_fn *out, int max);
/* The n-th (from 0) function with vendor:device; 0 and *bdf, or -1. */
int pci_find_nth(uint16_t vendor, uint16_t device, int n, uint16_t *bdf);
/* The first function whose class and subclass are class_sub (class << 8 | subclass);
 * 0 and *bdf, or -1. */
int pci_find_class(uint16_t class_sub, uint16_t *bdf);
/* Print the functions of bus 0 (one line each, prefixed "ptdbg: pci:"). */
void pci_print_bus0(void);

#endif
