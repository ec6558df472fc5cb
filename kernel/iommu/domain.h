/*
 * Device domains: one per device, each with its own second-level table whose width
 * is the unit's (vtd.aw_bits / vtd.levels), its own domain id, and a software IOVA
 * window that the DMA API (iommu/dma.h) enforces. Creating a domain writes the
 * device's context and exports the domain in the debug region, with an address
 * space of kind PTDBG_AS_DEVICE.
 */
#ifndef KERNEL_IOMMU_DOMAIN_H
#define KERNEL_IOMMU_DOMAIN_H

#include <stdint.h>

#include "iommu/sl_table.h"
#include "ptdbg/abi.h"

struct iommu_domain {
	char name[PTDBG_NAME_LEN];
	uint16_t bdf;
	uint16_t did;
	unsigned aw_bits;     /* context address width */
	uint32_t flags;       /* PTDBG_DOM_F_* */
	struct sl_table sl;
	uint64_t win_start;   /* software IOVA window [win_start, win_end) */
	uint64_t win_end;
	int as_index;         /* its address space in the region */
};

/* Create the domain of device bdf (the unit must be enabled): a new second-level
 * table, context entry (FPD=1 when flags has PTDBG_DOM_F_FPD), region records.
 * The name is "<kind> BB:DD.F". Panics when out of domains or frames; returns the
 * existing domain if bdf has one. */
struct iommu_domain *iommu_domain_create(const char *kind, uint16_t bdf, uint64_t win_start,
					 uint64_t win_end, uint32_t flags);
/* The domain of bdf, or NULL. */
struct iommu_domain *iommu_domain_of(uint16_t bdf);

/* Map one 4 KiB page in the domain's table, bypassing the window (for the DMA API
 * and for bulk test mappings). Returns sl_map's value. */
int iommu_domain_map_page(struct iommu_domain *d, uint64_t iova, uint64_t pa, uint64_t perm);
/* Unmap the pages of [iova, iova+len) that are mapped, then invalidate the domain's
 * IOTLB entries (domain-selective). Returns the number of pages unmapped. */
uint64_t iommu_domain_unmap_range(struct iommu_domain *d, uint64_t iova, uint64_t len);

#endif
