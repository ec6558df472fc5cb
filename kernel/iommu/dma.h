/*
 * The DMA map API the drivers use. As in the kernel of shared/BUGS.md section 1, a
 * buffer is mapped with IOVA equal to its physical address, and the mapping must lie
 * inside the device domain's software IOVA window; outside it the call fails with
 * InvalidVaddrRange(start, end) and maps nothing. Every call is recorded in the
 * debug region's DMA buffer list (MAPPED, REFUSED, later UNMAPPED).
 */
#ifndef KERNEL_IOMMU_DMA_H
#define KERNEL_IOMMU_DMA_H

#include <stddef.h>
#include <stdint.h>

#include "iommu/domain.h"
#include "ptdbg/abi.h"

enum dma_dir {
	DMA_TO_DEVICE   = PTDBG_DMA_TO_DEVICE,   /* the device reads the buffer */
	DMA_FROM_DEVICE = PTDBG_DMA_FROM_DEVICE, /* the device writes the buffer */
	DMA_BIDIR       = PTDBG_DMA_BIDIR,
};

enum dma_error_kind {
	DMA_OK = 0,
	DMA_ERR_INVALID_VADDR_RANGE, /* [start, end) is not inside the domain's window */
	DMA_ERR_ALREADY_MAPPED,      /* a page of the range is mapped already */
	DMA_ERR_NO_MEMORY,           /* no frame for a table node */
};

struct dma_error {
	enum dma_error_kind kind;
	uint64_t start, end;         /* the range concerned */
};

/* A mapping made by dma_map. */
struct dma_mapping {
	struct iommu_domain *dom;
	uint64_t iova, phys, len;    /* len is a whole number of pages */
	uint32_t dir;                /* enum dma_dir */
	int buf_index;               /* its entry in the region's DMA buffer list */
};

/* Map [pa, pa+len) (pa aligned to the domain's page size, len rounded up to it:
 * 4 KiB with VT-d, the kernel's granule with SMMUv3) for device DMA in
 * direction dir at IOVA = pa. On success fills *m and returns kind DMA_OK; on error
 * maps nothing, records the buffer REFUSED and returns the error. */
struct dma_error dma_map(struct iommu_domain *d, uint64_t pa, uint64_t len, uint32_t dir,
			 struct dma_mapping *m);
/* Unmap a mapping of dma_map (IOTLB invalidated), recording it UNMAPPED. */
void dma_unmap(struct dma_mapping *m);
/* Record a buffer a driver hands to its device without a map call, as
 * UNREGISTERED (IOVA = pa); returns the region index or -1. */
int dma_record_unregistered(struct iommu_domain *d, uint64_t pa, uint64_t len, uint32_t dir);
/* Format an error the way the seed kernel printed it, e.g.
 * "InvalidVaddrRange(0x200000000, 0x200001000)". Returns the length. */
int dma_error_format(struct dma_error e, char *buf, size_t n);
/* Name of a direction ("to-device", "from-device", "bidirectional"). */
const char *dma_dir_name(uint32_t dir);

#endif
