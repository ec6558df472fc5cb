/*
 * Driver of QEMU's "edu" PCI device (1234:11e8, hw/misc/edu.c): identification,
 * liveness check and its DMA engine, which copies between bus addresses (IOVAs,
 * translated by the IOMMU) and a 4 KiB buffer inside the device at offsets
 * 0x40000..0x40fff. QEMU 7.2 aborts (hw_error) on a device range outside that
 * buffer, and also on one that reaches its last byte (its range check compares the
 * end exclusively), so the driver refuses both: a transfer is at most
 * EDU_DMA_MAX_LEN bytes and ends below 0x40fff. The device ignores DMA errors: a blocked transfer completes
 * as if it worked, only the IOMMU records the fault.
 */
#ifndef KERNEL_DRIVERS_EDU_H
#define KERNEL_DRIVERS_EDU_H

#include <stdint.h>

#define EDU_VENDOR        0x1234
#define EDU_DEVICE        0x11e8
#define EDU_DMA_BUF_START 0x40000ull /* device-side DMA buffer */
#define EDU_DMA_BUF_SIZE  0x1000ull
#define EDU_DMA_MAX_LEN   0x800ull   /* the driver's transfer size limit (half the buffer) */

struct edu_dev {
	uint16_t bdf;
	uint64_t bar;              /* BAR 0 physical address */
	volatile uint8_t *regs;    /* its first page, mapped uncached */
};

/* Find the n-th (from 0) edu device on bus 0; 0 and *bdf, or -1. */
int edu_find(int n, uint16_t *bdf);
/* Map BAR 0 in the untracked window, enable memory decoding and bus mastering,
 * check the identification register and the inverting register. 0 or -1. */
int edu_probe(uint16_t bdf, struct edu_dev *e);
/* DMA len bytes from bus address src (RAM) to device offset dev_off; waits for the
 * engine (bounded; panics on timeout). -EINVAL if len is 0 or above
 * EDU_DMA_MAX_LEN, or [dev_off, dev_off+len] is not inside the DMA buffer. */
int edu_dma_to_device(struct edu_dev *e, uint64_t src, uint64_t dev_off, uint64_t len);
/* DMA len bytes from device offset dev_off to bus address dst (RAM), likewise. */
int edu_dma_from_device(struct edu_dev *e, uint64_t dev_off, uint64_t dst, uint64_t len);

#endif
