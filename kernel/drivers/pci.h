/* PCI configuration space through the legacy 0xcf8/0xcfc mechanism, and BARs. */
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
/* Physical address and size of memory BAR `bar` (0 if not a memory BAR). */
uint64_t pci_bar(uint16_t bdf, int bar, uint64_t *size);

#endif
