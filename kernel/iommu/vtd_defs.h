/*
 * The capability fields the kernel prints at VT-d initialisation. The VT-d layouts
 * it programs (registers, root, context, PASID and second-level entries, fault
 * records) are declared once, for the kernel and the tools, in ptdbg/hw/vtd.h.
 */
#ifndef KERNEL_IOMMU_VTD_DEFS_H
#define KERNEL_IOMMU_VTD_DEFS_H

#include <stddef.h>
#include <stdint.h>

#include "ptdbg/hw/vtd.h"

/* A named field of a capability register: bits [lsb, lsb+width). */
struct vtd_field {
	const char *name;
	unsigned lsb, width;
};

extern const struct vtd_field vtd_cap_fields[];
extern const size_t vtd_cap_fields_count;
extern const struct vtd_field vtd_ecap_fields[];
extern const size_t vtd_ecap_fields_count;

/* The value of field f of register value v. */
static inline uint64_t vtd_field_get(const struct vtd_field *f, uint64_t v)
{
	return (v >> f->lsb) & (f->width >= 64 ? ~0ull : ((1ull << f->width) - 1));
}

#endif
