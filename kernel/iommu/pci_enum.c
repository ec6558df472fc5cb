/* Bus-0 enumeration through configuration space (drivers/pci.h). */
#include "drivers/pci.h"
#include "iommu/pci_enum.h"
#include "lib/printf.h"

#define PCI_CFG_ID        0x00
#define PCI_CFG_CLASS_REV 0x08
#define PCI_CFG_HEADER    0x0c /* header type in bits 23:16; bit 23: multi-function */

/* Scan bus 0, function 0 of each device and the others of multi-function ones. */
int pci_enum_bus0(struct pci_fn *out, int max)
{
	int n = 0;
	for (int dev = 0; dev < 32; dev++) {
		for (int fn = 0; fn < 8; fn++) {
			uint16_t bdf = PCI_BDF(0, dev, fn);
			uint32_t id = pci_read32(bdf, PCI_CFG_ID);
			if ((id & 0xffff) == 0xffff) {
				if (fn == 0)
					break;
				continue;
			}
			if (n < max) {
				out[n].bdf = bdf;
				out[n].vendor = (uint16_t)id;
				out[n].device = (uint16_t)(id >> 16);
				out[n].class_code = pci_read32(bdf, PCI_CFG_CLASS_REV) >> 8;
			}
			n++;
			if (fn == 0 && !(pci_read32(bdf, PCI_CFG_HEADER) & (1u << 23)))
				break;
		}
	}
	return n < max ? n : max;
}

/* n-th function with the ids. */
int pci_find_nth(uint16_t vendor, uint16_t device, int n, uint16_t *bdf)
{
	struct pci_fn fns[PCI_ENUM_MAX];
	int count = pci_enum_bus0(fns, PCI_ENUM_MAX);
	for (int i = 0; i < count; i++)
		if (fns[i].vendor == vendor && fns[i].device == device && n-- == 0) {
			*bdf = fns[i].bdf;
			return 0;
		}
	return -1;
}

/* First function of a class/subclass. */
int pci_find_class(uint16_t class_sub, uint16_t *bdf)
{
	struct pci_fn fns[PCI_ENUM_MAX];
	int count = pci_enum_bus0(fns, PCI_ENUM_MAX);
	for (int i = 0; i < count; i++)
		if ((fns[i].class_code >> 8) == class_sub) {
			*bdf = fns[i].bdf;
			return 0;
		}
	return -1;
}

/* One line per function. */
void pci_print_bus0(void)
{
	struct pci_fn fns[PCI_ENUM_MAX];
	int count = pci_enum_bus0(fns, PCI_ENUM_MAX);
	for (int i = 0; i < count; i++)
		kprintf("ptdbg: pci: %02x:%02x.%x %04x:%04x class %06x\n", fns[i].bdf >> 8,
			(fns[i].bdf >> 3) & 31, fns[i].bdf & 7, fns[i].vendor, fns[i].device,
			fns[i].class_code);
}
