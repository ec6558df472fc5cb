/* PCI configuration space of bus 0 (x86-64: the legacy 0xcf8/0xcfc mechanism;
 * AArch64: ECAM), and BARs. */
#ifndef KERNEL_DRIVERS_PCI_H
#define KERNEL_DRIVERS_PCI_H

#include <stdint.h>

#define PCI_BDF(bus, dev, fn) ((uint16_t)(((bus) << 8) | ((dev) << 3) | (fn)))

uint32_t pci_read32(uint16_t bdf, uint8_t off);
void pci_write32(uint16_t bdf, uint8_t off, uint32_t v);
uint16_t pci_read16(uint16_t bdf, uint8_t off);
void pci_write16(uint16_t bdf, uint8_t off, uint16_t v);
/* Find the first function with vendor:device on bus 0; returns 0 and sets *bdf. */
int pci_find(uint16_t vendor, uint16_t device, uint16_t *bdf);
/* Physical address and size of memory BAR `bar` (0 if not a memory BAR). On
 * AArch64, where no firmware ran, an unassigned BAR gets an address in the
 * window pci_set_mem_window() gave. */
uint64_t pci_bar(uint16_t bdf, int bar, uint64_t *size);
/* AArch64: the host bridge's 32-bit memory window (device tree "ranges"). */
void pci_set_mem_window(uint64_t base, uint64_t size);

#endif
