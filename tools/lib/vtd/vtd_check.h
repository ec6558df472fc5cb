/* SPDX-License-Identifier: MIT */
/*
 * Checks of VT-d state, computed from what others read: the unit's registers, the
 * lookups of the device contexts (vtd_tables.h), the events of second-level walks
 * (a visitor: it never walks by itself) and, when the guest exports a debug region,
 * the kernel's domains and DMA buffers. Findings go to a struct ptdbg_findings.
 *
 * Kinds (stable names):
 *   dma-out-of-range         a registered DMA buffer outside its device's software
 *                            window, or above its context's address width
 *   dma-unmapped             a buffer the kernel says is mapped that the domain does
 *                            not translate, translates elsewhere, or translates without
 *                            the permission its direction needs
 *   dma-unregistered         a buffer a driver used without a map call
 *   dma-stale                a buffer the kernel unmapped that the domain still translates
 *   window-narrower-than-aw  a device's software window ends below 2^AW of its context
 *                            while DMA-capable RAM lies above the window
 *                            (shared/BUGS.md 1: identity-mapped buffers there cannot be mapped)
 *   window-wider-than-aw     the window reaches above what the context's table translates
 *   fpd-set                  a present context (or PASID entry) with fault processing
 *                            disabled: faults of that device are not recorded
 *   reserved-bits            reserved bits set in a root, context, PASID or second-level
 *                            entry, or a superpage where none is allowed
 *   context-invalid          a present context the unit cannot use (AW, TT, PGTT, PASID)
 *   table-unreadable         a table pointer into memory that cannot be read
 *   table-outside-ram        a second-level table past the end of RAM (when the RAM
 *                            extent is known)
 *   recursive-table          a second-level table that is its own ancestor
 *   walk-partial             the walk budget ran out; later IOVAs were not checked
 *   fault-pending            a fault in the fault-recording registers, decoded; or a
 *                            primary fault overflow
 *   domain-mismatch          the kernel's record of a domain disagrees with the context
 *   domain-not-present       a domain the kernel registered whose context is not present
 *   translation-disabled     the kernel says it uses the IOMMU, the unit does not translate
 *   dma-maps-kernel-text     a device can write a frame that is kernel text or read-only
 *                            kernel data (the set its caller gives: vtd_checker_protected)
 *
 * Use: new; unit(); device() for each device whose context is present; begin(),
 * visit events of the walk of its second-level table, end(); region() if there is a
 * debug region; finish() computes what needs all of it; free.
 */
#ifndef PTDBG_VTD_CHECK_H
#define PTDBG_VTD_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "out/finding.h"
#include "ptdbg/abi.h"
#include "vtd/vtd_regs.h"
#include "vtd/vtd_tables.h"
#include "vtd/vtd_walk.h"

struct vtd_checker;

/* The kinds above, NULL-terminated (for --kind validation and documentation). */
extern const char *const vtd_check_kinds[];

struct vtd_check_opts {
	struct ptdbg_findings *out;  /* findings are appended here */
	uint64_t ram_end;            /* one past the highest byte of RAM (0: unknown) */
	const char *ram_source;      /* where ram_end comes from, for messages */
};

/* A checker; NULL if out of memory. */
struct vtd_checker *vtd_checker_new(const struct vtd_check_opts *o);

/* The unit's registers: pending faults (reported by finish(), with device names). */
void vtd_checker_unit(struct vtd_checker *c, const struct vtd_regs *r);

/* The lookup of one device whose context entry is present (or whose root entry
 * stopped the lookup): reserved bits, unreadable or invalid entries, FPD. */
void vtd_checker_device(struct vtd_checker *c, const struct vtd_dev_lookup *l);

/* Start, feed and end the walk of the second-level table of the device whose
 * lookup l succeeded. vtd_checker_visit is a ptdbg_walk_visit_fn (ctx: the checker);
 * it returns 0 or PTDBG_ENOMEM. */
void vtd_checker_begin(struct vtd_checker *c, const struct vtd_dev_lookup *l);
/* Device l translates through the same second-level table as walked_bdf, which was
 * walked already: its mappings are that device's (no second walk, no second copy). */
void vtd_checker_share(struct vtd_checker *c, const struct vtd_dev_lookup *l, uint16_t walked_bdf);
int vtd_checker_visit(void *c, const struct ptdbg_walk_event *ev);
void vtd_checker_end(struct vtd_checker *c);

/* What the kernel exports: its IOMMU mode, domains and DMA buffers (copied). */
int vtd_checker_region(struct vtd_checker *c, uint32_t mode, const struct ptdbg_domain *d, size_t nd,
		       const struct ptdbg_dma_buf *b, size_t nb);

/* The frames no device may write (kernel text, read-only kernel data; cli/protect.h),
 * referred to, not copied: it must outlive finish(). Without it, dma-maps-kernel-text
 * is not checked. */
struct ptdbg_pa_set;
void vtd_checker_protected(struct vtd_checker *c, const struct ptdbg_pa_set *set);

/* One dma-maps-kernel-text finding into out if [pa, pa+size), which device reaches
 * at iova with VT-d permissions perm (VTD_PERM_*), is writable and overlaps set.
 * Returns whether it added one. */
bool vtd_check_text_write(struct ptdbg_findings *out, const struct ptdbg_pa_set *set, const char *device,
			  uint64_t iova, uint64_t pa, uint64_t size, uint32_t perm);

/* The checks that need everything above; then the findings are complete. */
void vtd_checker_finish(struct vtd_checker *c);
void vtd_checker_free(struct vtd_checker *c);

/* "00:01.0 NAME" (or "00:01.0") for a device, with the kernel's name when the
 * region gave one, into buf. */
/* "BB:DD.F NAME" with the kernel's name for the device (d may be NULL), or "BB:DD.F". */
const char *vtd_dev_label(uint16_t bdf, const struct ptdbg_domain *d, char *buf, size_t len);
const char *vtd_checker_device_name(const struct vtd_checker *c, uint16_t bdf, char *buf, size_t len);

#endif /* PTDBG_VTD_CHECK_H */
