/*
 * The exported debug region (include/ptdbg/abi.h): the kernel's description of
 * itself for debuggers. Every writer wraps its changes in region_begin()/region_end()
 * so that `generation` is odd exactly while the region is inconsistent. With
 * `ptdbg=off` the header stays zeroed and every function here is a no-op for it.
 */
#ifndef KERNEL_DEBUG_REGION_H
#define KERNEL_DEBUG_REGION_H

#include <stdint.h>

#include "ptdbg/abi.h"

#define REGION_MAX_SPACES    32
#define REGION_MAX_DOMAINS   16
#define REGION_MAX_DMA_BUFS  256
#define REGION_FAULT_RING    256

extern struct ptdbg_region ptdbg_region;

/* Fill the header (magic, version, self addresses) when enabled; call once, early. */
void region_init(int enabled);
/* Whether the region is exported (false after ptdbg=off). */
int region_enabled(void);
/* Start an update: generation becomes odd (nests). */
void region_begin(void);
/* End an update: generation becomes even again at the outermost end. */
void region_end(void);

/* Record the CPU state after paging setup. */
void region_set_cpu(const struct ptdbg_cpu *cpu);
/* Record the AArch64 CPU state (ABI 1.1). */
void region_set_cpu_arm64(const struct ptdbg_cpu_arm64 *cpu);
/* Point the region at the range-marker table (static kernel storage). */
void region_set_markers(const struct ptdbg_marker *m, uint32_t count, uint32_t capacity);
/* Point the region at the frame metadata array. */
void region_set_frames(uint64_t meta_phys, uint64_t base_pfn, uint64_t count,
		       uint64_t ram_frames);
/* Update the free-frame count (callers hold a region_begin()). */
void region_set_free_frames(uint64_t free_frames);

/* Add an address space; returns its index (the owner id in frame metadata) or -1. */
int region_add_space(const char *name, uint32_t kind, uint32_t id, uint64_t root,
		     uint32_t levels);
/* Change an address space's flags (PTDBG_AS_F_*) and root. */
void region_update_space(int index, uint64_t root, uint32_t flags);
/* Make `index` the only space flagged CURRENT (CR3 now holds its root). */
void region_set_current_space(int index);
/* The kernel's view of address space `index` (NULL if out of range). */
const struct ptdbg_aspace *region_space(int index);

/* Index of the live CPU address space whose root is `root`, or -1. */
int region_space_by_root(uint64_t root);

/* IOMMU: set the remapping unit and mode. */
void region_set_iommu(uint64_t drhd_base, uint64_t root_table, uint32_t mode, uint16_t segment);
/* IOMMU: add a device domain; returns its index or -1 when full. */
int region_add_domain(const struct ptdbg_domain *d);
/* Record the ACPI RSDP the kernel found its tables through (ABI 1.3). */
void region_set_acpi_rsdp(uint64_t rsdp);
/* Record the ACPI table the kernel found its IOMMU in (ABI 1.4). */
void region_set_acpi_iommu_table(uint64_t pa);
/* Set the SMMUv3 description (and the IOMMU kind to SMMUv3). */
void region_set_smmu(const struct ptdbg_smmu *s);
/* IOMMU: record a DMA buffer; returns its index or -1 when full. */
int region_add_dma_buf(const struct ptdbg_dma_buf *b);
/* IOMMU: change a recorded DMA buffer's status. */
void region_set_dma_status(int index, uint32_t status);

/* Append a fault to the ring (seq is assigned here); returns the seq. */
uint64_t region_log_fault(const struct ptdbg_fault *f);

/* Record a panic (message, location, caller) and set PTDBG_REGION_F_PANICKED. */
void region_set_panic(const char *msg, const char *file, uint32_t line, uint64_t rip);
/* Set PTDBG_REGION_F_READY. */
void region_set_ready(void);
/* Count one timer tick in the region (from the timer interrupt). */
void region_tick(void);
/* Publish the access scenario's cases (kernel storage) and the skipped count. */
void region_set_access(const struct ptdbg_access_case *cases, uint32_t count,
		       uint32_t capacity, uint32_t elem_size, uint32_t skipped);

#endif
