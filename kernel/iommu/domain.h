/*
 * Device domains: one per device, each with its own table, its own id and a
 * software IOVA window that the DMA API (iommu/dma.h) enforces. Creating a domain
 * writes the device's context and exports the domain in the debug region, with an
 * address space of kind PTDBG_AS_DEVICE. Two backends:
 *
 *   x86-64   VT-d: a second-level table (iommu/sl_table.h) of the unit's width
 *            (vtd.aw_bits / vtd.levels), domain id did, the device's context entry.
 *   AArch64  SMMUv3 (iommu/smmu.h): a stage-1 table of the page-table module in the
 *            kernel's granule with SMMU_DOMAIN_IAS input bits, ASID did, one context
 *            descriptor and the device's stream table entry.
 */
#ifndef KERNEL_IOMMU_DOMAIN_H
#define KERNEL_IOMMU_DOMAIN_H

#include <stdint.h>

#include "iommu/sl_table.h"
#include "ptdbg/abi.h"
#if defined(__aarch64__)
#include "mm/pt.h"
#define SMMU_DOMAIN_IAS 39 /* input address bits of an SMMU domain (CD.T0SZ = 25) */
#endif

struct iommu_domain {
	char name[PTDBG_NAME_LEN];
	uint16_t bdf;
	uint16_t did;         /* VT-d domain id; SMMUv3 ASID */
	unsigned aw_bits;     /* context address width (SMMUv3: input address size) */
	uint32_t flags;       /* PTDBG_DOM_F_* */
#if defined(__aarch64__)
	struct pt_space pt;   /* the stage-1 table */
	uint32_t sid;         /* stream id */
	uint64_t cd;          /* its context descriptor (physical) */
	uint64_t ste;         /* its stream table entry (physical) */
#else
	struct sl_table sl;
#endif
	uint64_t page_size;   /* the table's page size: what the DMA API maps in */
	uint64_t win_start;   /* software IOVA window [win_start, win_end) */
	uint64_t win_end;
	int as_index;         /* its address space in the region */
};

/* Create the domain of device bdf (the unit must be enabled): a new table, context
 * entry or STE and CD (VT-d: FPD=1 when flags has PTDBG_DOM_F_FPD; SMMUv3: CD.R=0
 * when it has PTDBG_DOM_F_NO_RECORD), region records.
 * The name is "<kind> BB:DD.F". Panics when out of domains or frames; returns the
 * existing domain if bdf has one. */
struct iommu_domain *iommu_domain_create(const char *kind, uint16_t bdf, uint64_t win_start,
					 uint64_t win_end, uint32_t flags);
/* The domain of bdf, or NULL. */
struct iommu_domain *iommu_domain_of(uint16_t bdf);

/* Map one page (page_size) in the domain's table, bypassing the window (for the
 * DMA API and for bulk test mappings); perm is SL_PERM_R and/or SL_PERM_W. 0,
 * -EEXIST, -EINVAL or -ENOMEM. */
int iommu_domain_map_page(struct iommu_domain *d, uint64_t iova, uint64_t pa, uint64_t perm);
/* Unmap the pages of [iova, iova+len) that are mapped, then invalidate the domain's
 * IOTLB entries (VT-d: domain-selective; SMMUv3: TLBI_NH_VA per page, CMD_SYNC).
 * Returns the number of pages unmapped. */
uint64_t iommu_domain_unmap_range(struct iommu_domain *d, uint64_t iova, uint64_t len);
/* Bring up the platform's IOMMU unit (VT-d from ACPI, SMMUv3 from the device
 * tree): 0, or -1 if there is none. The address width a window may span is
 * iommu_max_bits(). */
int iommu_unit_init(void);
unsigned iommu_max_bits(void);
/* The unit's name in messages ("VT-d", "SMMUv3"). */
const char *iommu_unit_name(void);

#endif
