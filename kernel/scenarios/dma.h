/* DMA through the IOMMU, as parts other scenarios include (scenarios/dma.c). */
#ifndef KERNEL_SCENARIOS_DMA_H
#define KERNEL_SCENARIOS_DMA_H

/* The healthy DMA round trips of scenario `dma` (VT-d on, edu domain, buffers
 * mapped, pattern verified); for `default`. */
void dma_healthy_part(void);
/* A device domain (the edu device's) with DMA_BENCH_PAGES 4 KiB mappings over a
 * 1 GiB IOVA range, sharing a small pool of frames; for `bench`. */
void dma_bench_part(void);

#endif
