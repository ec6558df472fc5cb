/* SPDX-License-Identifier: MIT */
/*
 * Finding the ACPI DMAR table in guest memory (VT-d 8): the RSDP in the EBDA's
 * first KiB or in 0xE0000-0xFFFFF, the XSDT or RSDT, the "DMAR" table among their
 * entries (acpi/acpi.h), and its remapping structures: DRHD units (register base, segment,
 * INCLUDE_PCI_ALL, device scopes), RMRR, ATSR, RHSA, ANDD, SATC.
 *
 * Everything read here is guest-controlled: lengths are bounded, checksums are
 * verified (a bad one is reported, not fatal, for the DMAR table itself).
 */
#ifndef PTDBG_ACPI_DMAR_H
#define PTDBG_ACPI_DMAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ptdbg/hw/acpi_dmar.h" /* offsets, types and flags: declared once */
#include "acpi/acpi.h"     /* RSDP -> XSDT/RSDT -> DMAR */
#include "target/target.h"

struct ptdbg_json;

#define ACPI_DMAR_MAX_UNITS   32
#define ACPI_DMAR_MAX_SCOPES  64   /* per structure */
#define ACPI_DMAR_MAX_PATH    8    /* (device, function) pairs per scope */
#define ACPI_DMAR_MAX_RMRR    32
#define ACPI_DMAR_MAX_LEN     (64u << 10)

struct acpi_dmar_scope {
	uint8_t type;          /* enum acpi_dmar_scope_type */
	uint8_t enum_id;       /* IOAPIC id, HPET number, ACPI device number */
	uint8_t start_bus;
	uint8_t npath;
	struct { uint8_t dev, fn; } path[ACPI_DMAR_MAX_PATH];
};

struct acpi_dmar_unit {         /* a DRHD */
	uint8_t  flags;             /* bit 0: INCLUDE_PCI_ALL */
	uint8_t  size;              /* register set size: 2^size pages (0: 1 page) */
	uint16_t segment;
	uint64_t base;              /* register base address */
	unsigned nscopes;
	struct acpi_dmar_scope scopes[ACPI_DMAR_MAX_SCOPES];
};

struct acpi_dmar_rmrr {
	uint16_t segment;
	uint64_t base, limit;       /* [base, limit] */
	unsigned nscopes;
	struct acpi_dmar_scope scopes[ACPI_DMAR_MAX_SCOPES];
};

struct acpi_dmar_info {
	uint64_t rsdp_pa;
	unsigned rsdp_revision;
	const char *rsdp_how;       /* how the RSDP was found: "debug region", "EBDA",
				       "BIOS area" */
	uint64_t sdt_pa;            /* XSDT or RSDT that listed the DMAR */
	const char *dmar_how;       /* NULL: found through the SDT; "debug region":
				       named by it (no revision or SDT then) */
	bool     xsdt;
	uint64_t dmar_pa;
	uint32_t dmar_len;
	bool     dmar_checksum_ok;
	char     oem_id[7];
	unsigned haw;               /* host address width in bits (field + 1) */
	uint8_t  flags;             /* bit 0 INTR_REMAP, bit 1 X2APIC_OPT_OUT, bit 2 DMA_CTRL_PLATFORM_OPT_IN */
	unsigned nunits;
	struct acpi_dmar_unit units[ACPI_DMAR_MAX_UNITS];
	unsigned nrmrr;
	struct acpi_dmar_rmrr rmrr[ACPI_DMAR_MAX_RMRR];
	unsigned nother;            /* ATSR, RHSA, ANDD, SATC, unknown: counted only */
	char     notes[256];        /* what was clamped or malformed, "" if nothing */
};

/* Parse a DMAR table image (len bytes) into out (the pa/rsdp fields are left as
 * they are). Returns 0, or PTDBG_EFORMAT with out->notes saying why. */
int acpi_dmar_parse(const uint8_t *buf, size_t len, struct acpi_dmar_info *out);

/* Everything at once: RSDP (at rsdp_hint when a valid one is there, the debug
 * region's acpi_rsdp; 0: none; else the BIOS search), SDT, DMAR, parse. */
int acpi_dmar_find(struct ptdbg_target *t, uint64_t rsdp_hint, struct acpi_dmar_info *out);

/* The DMAR from bytes read ahead at pa (n of them; the debug region named it,
 * whose acpi_rsdp is rsdp_pa): 0 with out filled when p holds all of a DMAR table
 * whose checksum holds and which parses; else PTDBG_EFORMAT (out zeroed), and the
 * caller looks it up with acpi_dmar_find. No reads. */
int acpi_dmar_from_hint(const uint8_t *p, size_t n, uint64_t pa, uint64_t rsdp_pa, struct acpi_dmar_info *out);

/* Name of a scope type ("PCI endpoint", "IOAPIC", ...). */
const char *acpi_dmar_scope_name(unsigned type);

void acpi_dmar_print(FILE *out, const struct acpi_dmar_info *d);
void acpi_dmar_json(struct ptdbg_json *j, const struct acpi_dmar_info *d);

#endif /* PTDBG_ACPI_DMAR_H */
