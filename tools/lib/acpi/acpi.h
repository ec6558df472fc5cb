/* SPDX-License-Identifier: MIT */
/*
 * Finding an ACPI table in guest memory: the RSDP, then the XSDT (revision >= 2)
 * or RSDT, then the table with a given signature among their entries. Used by the
 * DMAR reader (vtd/acpi_dmar.h) and the IORT reader (acpi/iort.h).
 *
 * Where the RSDP is:
 *   - BIOS (SeaBIOS on q35): 16-byte aligned in the EBDA's first KiB or in
 *     0xE0000-0xFFFFF (ACPI 5.2.5.1);
 *   - UEFI (EDK2 on QEMU's virt machine, and OVMF): in memory the firmware
 *     allocated. What it leaves behind, measured on virt with EDK2 2022.11 and a
 *     Linux 6.1 guest: the EFI system table ("IBI SYST") and the RSDP both start
 *     0x18 bytes into a 64 KiB-aligned block (EDK2's pool header; AArch64 runtime
 *     and ACPI memory come in 64 KiB units), in the RAM below 4 GiB, the system table
 *     in runtime-services data in the top 256 KiB of it, the RSDP in ACPI reclaim
 *     memory lower down (60 MiB below the top with 1 GiB of RAM). So: read the first
 *     64 bytes of each 64 KiB block of RAM, top down, RAM below 4 GiB first, in
 *     pipelined batches of 256 reads; the first system table whose CRC-32 holds
 *     gives its configuration table, whose ACPI 2.0 (else 1.0) entry is the RSDP;
 *     an RSDP met on the way (signature and checksums) is the answer as well. At
 *     most ACPI_UEFI_SCAN_BLOCKS blocks (256 MiB) are read. On that guest the system
 *     table is in the third block: 3 block reads, then 3 reads (system table,
 *     configuration table, RSDP).
 *
 * Everything read here is guest-controlled: lengths are bounded, signatures and
 * checksums are verified (a table's own checksum is reported, not required).
 */
#ifndef PTDBG_ACPI_H
#define PTDBG_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ptdbg/hw/acpi.h" /* offsets: declared once */
#include "target/ram.h"
#include "target/target.h"

#define ACPI_UEFI_BLOCK        0x10000u  /* 64 KiB */
#define ACPI_UEFI_PROBE        64u       /* bytes read at each block's start */
#define ACPI_UEFI_SCAN_BLOCKS  4096u     /* 256 MiB of RAM */
#define ACPI_UEFI_BATCH        256u
#define ACPI_MAX_SDT_ENTRIES   256u
#define ACPI_EFI_MAX_TABLES    256u      /* configuration table entries looked at */
#define ACPI_TABLE_MAX_LEN     (1u << 20)

/* Where to look for the RSDP (acpi_rsdp_find's where). */
#define ACPI_WHERE_BIOS 0x1u
#define ACPI_WHERE_UEFI 0x2u

/* The RSDP, and how it was found. */
struct acpi_rsdp {
	uint64_t pa;
	unsigned revision;
	uint64_t rsdt, xsdt;    /* the tables it points to (xsdt 0: none) */
	const char *how;        /* "EBDA", "BIOS area", "EFI system table", "RAM scan" */
	uint64_t efi_st;        /* the EFI system table's address, if that is the way */
	unsigned blocks;        /* UEFI: 64 KiB blocks probed */
};

/* Little-endian fields of an ACPI table in a byte buffer (any alignment). */
static inline uint16_t acpi_le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t acpi_le32(const uint8_t *p)
{
	return (uint32_t)acpi_le16(p) | (uint32_t)acpi_le16(p + 2) << 16;
}
static inline uint64_t acpi_le64(const uint8_t *p)
{
	return (uint64_t)acpi_le32(p) | (uint64_t)acpi_le32(p + 4) << 32;
}

/* Sum of n bytes (a valid ACPI structure sums to 0). */
uint8_t acpi_checksum(const uint8_t *p, size_t n);

/* Whether p[0, len) holds a valid RSDP: signature, first checksum, and for
 * revision >= 2 the extended checksum over its 36 bytes (which must be in len). */
bool acpi_rsdp_valid(const uint8_t *p, size_t len);

/* Whether p[0, len) holds an EFI system table: signature, a header size from 24 to
 * len and 4 KiB, and the header's CRC-32. */
bool acpi_efi_st_valid(const uint8_t *p, size_t len);

/* Find the RSDP where says (ACPI_WHERE_*; BIOS first). ram: where RAM is for the
 * UEFI search; NULL: from the target's monitor (`info mtree -f`), else the
 * AArch64 virt machine's first GiB from 0x40000000. Returns 0 with *out, PTDBG_EIO
 * (the target's error line says where it looked), or a link error. */
int acpi_rsdp_find(struct ptdbg_target *t, unsigned where, const struct ptdbg_ram *ram,
		   struct acpi_rsdp *out);

/* Whether a valid RSDP is at pa (a debug region's word for where it is): 0 with
 * *out (how "debug region"), PTDBG_EIO if not, or a link error. */
int acpi_rsdp_at(struct ptdbg_target *t, uint64_t pa, struct acpi_rsdp *out);

/* For the DMAR reader: the RSDP at hint when one is valid there (hint 0: none),
 * else the BIOS search: *out as acpi_rsdp_find fills it. */
int acpi_find_rsdp(struct ptdbg_target *t, uint64_t hint, struct acpi_rsdp *out);

/* Bytes of a table read with its signature, or ahead of need (the search's
 * entries, the debug region's hint): a short table comes whole with them. */
#define ACPI_TABLE_AHEAD 512u

/* Find the table with signature sig (4 chars) from the RSDP found (and checked) by
 * one of the functions above, through the XSDT when the RSDP has one, else the
 * RSDT (the entries' headers in one batch). Returns 0 with *pa and *len (and the
 * SDT's address and kind, when asked), PTDBG_EIO if absent, PTDBG_EFORMAT if the
 * SDT is malformed, or a link error. */
int acpi_find_table(struct ptdbg_target *t, const struct acpi_rsdp *rsdp, const char sig[4], uint64_t *pa,
		    uint32_t *len, uint64_t *sdt_pa, bool *xsdt);

/* Read the table at pa of len bytes (len checked against the table's own length
 * field and bounded by max, at most ACPI_TABLE_MAX_LEN) into a malloc'd buffer.
 * Returns 0 with *buf, PTDBG_EFORMAT, PTDBG_ENOMEM or a read error. */
int acpi_table_read(struct ptdbg_target *t, uint64_t pa, uint32_t len, uint32_t max, uint8_t **buf);

/* acpi_find_table, then the table as acpi_table_read reads it (bounded by max):
 * with the entries' signatures the search reads each table's first bytes, so a
 * short table (QEMU's DMAR and IORT) takes no read of its own. */
int acpi_find_read_table(struct ptdbg_target *t, const struct acpi_rsdp *rsdp, const char sig[4], uint32_t max,
			 uint64_t *pa, uint32_t *len, uint64_t *sdt_pa, bool *xsdt, uint8_t **buf);

/* Copy guest text n bytes into out[n + 1], NUL-terminated, anything but printable
 * ASCII as '?' (so that no escape sequence reaches a terminal). */
void acpi_text_copy(char *out, const uint8_t *p, size_t n);

#endif /* PTDBG_ACPI_H */
