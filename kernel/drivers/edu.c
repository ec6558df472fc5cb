/* The edu device: probe and DMA engine. */
#include "debug/panic.h"
#include "drivers/edu.h"
#include "drivers/pci.h"
#include "iommu/pci_enum.h"
#include "lib/errno.h"
#include "lib/printf.h"
#include "mm/kspace.h"
#include "mm/pte.h"

/* Registers (offsets in BAR 0), declared once. */
#define EDU_REG_ID        0x00 /* 32: 0xRRrr00ed (major, minor version) */
#define EDU_REG_INVERT    0x04 /* 32: reads back the bitwise NOT of what was written */
#define EDU_REG_DMA_SRC   0x80 /* 64 */
#define EDU_REG_DMA_DST   0x88 /* 64 */
#define EDU_REG_DMA_CNT   0x90 /* 64 */
#define EDU_REG_DMA_CMD   0x98 /* 64 */
#define EDU_DMA_CMD_RUN   0x1  /* start; cleared by the device when done */
#define EDU_DMA_CMD_TO_RAM 0x2 /* direction: 1 = device -> RAM ("EDU_DMA_TO_PCI"), 0 = RAM -> device */
#define EDU_ID_MAGIC      0xed
#define PCI_CMD           0x04
#define PCI_CMD_MEMORY    0x2
#define PCI_CMD_MASTER    0x4
#define EDU_DMA_POLLS     100000000u /* bound on polls (a transfer takes 100 ms of virtual time) */

static uint32_t rd32(struct edu_dev *e, unsigned off) { return *(volatile uint32_t *)(e->regs + off); }
static void wr32(struct edu_dev *e, unsigned off, uint32_t v) { *(volatile uint32_t *)(e->regs + off) = v; }
static uint64_t rd64(struct edu_dev *e, unsigned off) { return *(volatile uint64_t *)(e->regs + off); }
static void wr64(struct edu_dev *e, unsigned off, uint64_t v) { *(volatile uint64_t *)(e->regs + off) = v; }

int edu_find(int n, uint16_t *bdf)
{
	return pci_find_nth(EDU_VENDOR, EDU_DEVICE, n, bdf);
}

int edu_probe(uint16_t bdf, struct edu_dev *e)
{
	uint64_t size;
	e->bdf = bdf;
	e->bar = pci_bar(bdf, 0, &size);
	if (!e->bar)
		return -1;
	pci_write16(bdf, PCI_CMD, (uint16_t)(pci_read16(bdf, PCI_CMD) | PCI_CMD_MEMORY | PCI_CMD_MASTER));
	e->regs = kspace_map_untracked(e->bar, 0x1000, PTE_CACHE_UC);
	if (!e->regs)
		return -1;
	uint32_t id = rd32(e, EDU_REG_ID);
	wr32(e, EDU_REG_INVERT, 0x12345678u);
	uint32_t inv = rd32(e, EDU_REG_INVERT);
	if ((id & 0xff) != EDU_ID_MAGIC || inv != ~0x12345678u) {
		kprintf("ptdbg: edu: %02x:%02x.%x does not answer (id 0x%08x, invert 0x%08x)\n", bdf >> 8,
			(bdf >> 3) & 31, bdf & 7, id, inv);
		return -1;
	}
	kprintf("ptdbg: edu: %02x:%02x.%x version %u.%u, BAR0 0x%lx at %p, bus mastering on\n", bdf >> 8,
		(bdf >> 3) & 31, bdf & 7, id >> 24, (id >> 16) & 0xff, e->bar, (void *)e->regs);
	return 0;
}

/* Program and run one transfer, waiting until the engine clears RUN. */
static int run(struct edu_dev *e, uint64_t src, uint64_t dst, uint64_t len, uint64_t dev_off,
	       uint64_t cmd)
{
	if (dev_off < EDU_DMA_BUF_START || !len || len > EDU_DMA_MAX_LEN ||
	    dev_off + len >= EDU_DMA_BUF_START + EDU_DMA_BUF_SIZE)
		return -EINVAL;
	wr64(e, EDU_REG_DMA_SRC, src);
	wr64(e, EDU_REG_DMA_DST, dst);
	wr64(e, EDU_REG_DMA_CNT, len);
	wr64(e, EDU_REG_DMA_CMD, cmd | EDU_DMA_CMD_RUN);
	for (uint32_t i = 0; i < EDU_DMA_POLLS; i++) {
		if (!(rd64(e, EDU_REG_DMA_CMD) & EDU_DMA_CMD_RUN))
			return 0;
#if defined(__aarch64__)
		__asm__ volatile("yield");
#else
		__asm__ volatile("pause");
#endif
	}
	panic("edu: DMA 0x%lx -> 0x%lx (%lu bytes) did not complete", src, dst, len);
}

int edu_dma_to_device(struct edu_dev *e, uint64_t src, uint64_t dev_off, uint64_t len)
{
	return run(e, src, dev_off, len, dev_off, 0);
}

int edu_dma_from_device(struct edu_dev *e, uint64_t dev_off, uint64_t dst, uint64_t len)
{
	return run(e, dev_off, dst, len, dev_off, EDU_DMA_CMD_TO_RAM);
}
