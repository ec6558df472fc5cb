/* Legacy PCI configuration access (q35 also has ECAM; this is enough for bus 0). */
#include "arch/x86_64/cpu.h"
#include "drivers/pci.h"

static void select(uint16_t bdf, uint8_t off)
{
	outl(0xcf8, 0x80000000u | ((uint32_t)bdf << 8) | (off & 0xfc));
}

/* 32-bit config read. */
uint32_t pci_read32(uint16_t bdf, uint8_t off)
{
	select(bdf, off);
	return inl(0xcfc);
}

/* 32-bit config write. */
void pci_write32(uint16_t bdf, uint8_t off, uint32_t v)
{
	select(bdf, off);
	outl(0xcfc, v);
}

/* 16-bit config read. */
uint16_t pci_read16(uint16_t bdf, uint8_t off)
{
	return (uint16_t)(pci_read32(bdf, off) >> ((off & 2) * 8));
}

/* 16-bit config write (read-modify-write of the dword). */
void pci_write16(uint16_t bdf, uint8_t off, uint16_t v)
{
	uint32_t d = pci_read32(bdf, off);
	unsigned shift = (off & 2) * 8;
	d = (d & ~(0xffffu << shift)) | ((uint32_t)v << shift);
	pci_write32(bdf, off, d);
}

/* Scan bus 0 for vendor:device. */
int pci_find(uint16_t vendor, uint16_t device, uint16_t *bdf)
{
	for (int dev = 0; dev < 32; dev++) {
		for (int fn = 0; fn < 8; fn++) {
			uint16_t b = PCI_BDF(0, dev, fn);
			uint32_t id = pci_read32(b, 0);
			if ((id & 0xffff) == 0xffff) {
				if (fn == 0)
					break;
				continue;
			}
			if ((id & 0xffff) == vendor && (id >> 16) == device) {
				*bdf = b;
				return 0;
			}
		}
	}
	return -1;
}

/* Decode a memory BAR (32- or 64-bit) and its size. */
uint64_t pci_bar(uint16_t bdf, int bar, uint64_t *size)
{
	uint8_t off = (uint8_t)(0x10 + 4 * bar);
	uint32_t lo = pci_read32(bdf, off);
	if (lo & 1)
		return 0;
	int is64 = ((lo >> 1) & 3) == 2;
	uint64_t addr = lo & ~0xfull;
	uint32_t hi = is64 ? pci_read32(bdf, (uint8_t)(off + 4)) : 0;
	addr |= (uint64_t)hi << 32;
	pci_write32(bdf, off, 0xffffffffu);
	uint64_t mask = pci_read32(bdf, off) & ~0xfull;
	pci_write32(bdf, off, lo);
	if (is64) {
		pci_write32(bdf, (uint8_t)(off + 4), 0xffffffffu);
		mask |= (uint64_t)pci_read32(bdf, (uint8_t)(off + 4)) << 32;
		pci_write32(bdf, (uint8_t)(off + 4), hi);
	} else {
		mask |= 0xffffffff00000000ull;
	}
	if (size)
		*size = ~mask + 1;
	return addr;
}
