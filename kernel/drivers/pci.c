/* PCI configuration access for bus 0: on x86-64 the legacy 0xcf8/0xcfc mechanism
 * (q35 also has ECAM; this is enough), on AArch64 the ECAM window the kernel mapped
 * at boot. BARs, which on AArch64 the kernel assigns itself. */
#include "drivers/pci.h"
#if defined(__aarch64__)
#include "lib/printf.h"

extern volatile uint32_t *a64_ecam; /* bus 0, mapped by arch/aarch64/setup.c */

static volatile uint32_t *cfg(uint16_t bdf, uint8_t off)
{
	return a64_ecam + (((uint32_t)(bdf & 0xff) << 12 | (off & 0xfc)) >> 2);
}

/* 32-bit config read (all ones without an ECAM, as for an absent function). */
uint32_t pci_read32(uint16_t bdf, uint8_t off)
{
	return a64_ecam && bdf < 0x100 ? *cfg(bdf, off) : 0xffffffffu;
}

/* 32-bit config write. */
void pci_write32(uint16_t bdf, uint8_t off, uint32_t v)
{
	if (a64_ecam && bdf < 0x100)
		*cfg(bdf, off) = v;
}

static uint64_t win_next, win_end; /* the 32-bit memory window, from the device tree */

void pci_set_mem_window(uint64_t base, uint64_t size)
{
	if (!win_end) {
		win_next = base;
		win_end = base + size;
	}
}

/* Give an unassigned memory BAR an address in the window (size-aligned). */
static uint64_t assign_bar(uint16_t bdf, uint8_t off, uint64_t size, int is64)
{
	uint64_t pa = (win_next + size - 1) & ~(size - 1);
	if (!win_end || pa + size > win_end)
		return 0;
	win_next = pa + size;
	pci_write32(bdf, off, (uint32_t)pa | (pci_read32(bdf, off) & 0xf));
	if (is64)
		pci_write32(bdf, (uint8_t)(off + 4), (uint32_t)(pa >> 32));
	kprintf("ptdbg: pci: %02x:%02x.%x BAR at 0x%x assigned 0x%lx (%lu KiB)\n", bdf >> 8,
		(bdf >> 3) & 31, bdf & 7, off, pa, size >> 10);
	return pa;
}
#else
#include "arch/x86_64/cpu.h"

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
#endif

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
#if defined(__aarch64__)
	if (!addr && mask)
		addr = assign_bar(bdf, off, ~mask + 1, is64);
#endif
	return addr;
}
