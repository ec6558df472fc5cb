/*
 * The VT-d remapping unit: found through ACPI DMAR, programmed with register-based
 * commands. One unit (the one covering PCI segment 0), legacy or scalable mode
 * (scalable when ECAP.SMTS and ECAP.SLTS are set), second-level translation only.
 *
 * Every GCMD command is followed by a bounded wait on its GSTS bit, and every
 * context-cache or IOTLB invalidation by a bounded wait on its busy bit; a timeout
 * panics with the register's value.
 */
#ifndef KERNEL_IOMMU_VTD_H
#define KERNEL_IOMMU_VTD_H

#include <stdint.h>

#include "ptdbg/abi.h"

struct vtd_unit {
	uint64_t reg_base;         /* physical register base (DRHD) */
	volatile uint8_t *regs;    /* its mapping in the untracked window */
	uint16_t segment;
	uint32_t ver;
	uint64_t cap, ecap;
	uint32_t mode;             /* PTDBG_IOMMU_LEGACY or PTDBG_IOMMU_SCALABLE */
	uint64_t root_table;       /* physical address in RTADDR */
	unsigned aw_bits;          /* address width every context gets: 39, 48 or 57 */
	unsigned levels;           /* second-level table levels for aw_bits: 3, 4 or 5 */
	uint64_t iotlb_reg;        /* offset of the IOTLB invalidate register */
	uint64_t frcd_reg;         /* offset of fault recording register 0 */
	unsigned nfr;              /* number of fault recording registers */
};

extern struct vtd_unit vtd;

/* Find the unit, build an empty root table, set it, invalidate the context cache and
 * the IOTLB, and enable translation; export the unit in the debug region. Returns 0,
 * or -1 when there is no DMAR/DRHD (nothing was changed). Idempotent. */
int vtd_init(void);
/* Whether vtd_init() succeeded. */
int vtd_enabled(void);

/* Make the context of bdf point at a second-level table: legacy context entry, or in
 * scalable mode a context entry -> PASID directory -> PASID entry (RID_PASID 0,
 * PGTT second-level) with domain id did. fpd writes FPD=1 (in the context entry and,
 * in scalable mode, the PASID entry too). Invalidates the context cache and IOTLB.
 * Returns the physical address of bdf's context entry. */
uint64_t vtd_set_context(uint16_t bdf, uint16_t did, uint64_t sl_root, int fpd);

/* Global context-cache invalidation (CCMD), waiting for completion. */
void vtd_flush_context_global(void);
/* Global IOTLB invalidation (draining reads and writes), waiting for completion. */
void vtd_flush_iotlb_global(void);
/* Domain-selective IOTLB invalidation for domain did, waiting for completion. */
void vtd_flush_iotlb_domain(uint16_t did);

/* A decoded fault recording register. */
struct vtd_fault_rec {
	unsigned index;    /* recording register number */
	uint16_t sid;      /* requester bus/dev/fn */
	unsigned reason;   /* fault reason */
	int is_read;       /* 1: read request, 0: write request */
	uint64_t addr;     /* faulting page */
};

/* Read FSTS and the fault recording registers that hold a fault (F=1), without
 * clearing them. Returns the number of records stored (at most max); *fsts gets
 * the fault status register. */
int vtd_read_faults(struct vtd_fault_rec *out, int max, uint32_t *fsts);
/* Short name of a VT-d fault reason (VT-d 7.1.3). */
const char *vtd_fault_reason_name(unsigned reason);

#endif
