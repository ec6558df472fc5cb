/* SPDX-License-Identifier: MIT */
/*
 * The way to an ACPI table (ACPI 6.x 5.2.5-5.2.8): where the RSDP is searched for
 * on a BIOS machine, the byte offsets of the RSDP and of the system description
 * table header; and on a UEFI machine (UEFI 2.x 4.3, 4.6) the EFI system table and
 * its configuration table, whose ACPI entries point at the RSDP.
 *
 * This is the one declaration for kernel and tools. Freestanding: stdint only. All
 * fields are little-endian.
 */
#ifndef PTDBG_HW_ACPI_H
#define PTDBG_HW_ACPI_H

#include <stdint.h>

/* ---- where the RSDP lives on a BIOS machine (5.2.5.1): 16-byte aligned, in the
 * first KiB of the EBDA (whose real-mode segment is at 0x40E) or in the BIOS area ---- */
#define ACPI_RSDP_ALIGN       16
#define ACPI_EBDA_SEG_PTR     0x40e
#define ACPI_EBDA_SCAN_LEN    1024
#define ACPI_BIOS_AREA_START  0xe0000
#define ACPI_BIOS_AREA_END    0x100000

/* ---- RSDP (5.2.5.3) ---- */
#define ACPI_RSDP_SIG         "RSD PTR "
#define ACPI_RSDP_SIG_LEN     8
#define ACPI_RSDP_SIGNATURE   0   /* 8 bytes */
#define ACPI_RSDP_CHECKSUM    8
#define ACPI_RSDP_OEM_ID      9   /* 6 bytes */
#define ACPI_RSDP_REVISION    15
#define ACPI_RSDP_RSDT        16  /* 32-bit RSDT address */
#define ACPI_RSDP_LENGTH      20  /* 32-bit, revision >= 2 */
#define ACPI_RSDP_XSDT        24  /* 64-bit XSDT address, revision >= 2 */
#define ACPI_RSDP_XCHECKSUM   32
#define ACPI_RSDP_V1_LEN      20  /* checksummed by the first checksum */
#define ACPI_RSDP_V2_LEN      36  /* checksummed by the extended checksum */

/* ---- system description table header (5.2.6) ---- */
#define ACPI_SDT_SIGNATURE    0   /* 4 bytes */
#define ACPI_SDT_SIG_LEN      4
#define ACPI_SDT_LENGTH       4   /* 32-bit, header included */
#define ACPI_SDT_REVISION     8
#define ACPI_SDT_CHECKSUM     9
#define ACPI_SDT_OEM_ID       10  /* 6 bytes */
#define ACPI_SDT_OEM_ID_LEN   6
#define ACPI_SDT_OEM_TABLE_ID 16  /* 8 bytes */
#define ACPI_SDT_HDR_LEN      36  /* then the XSDT's 8-byte or RSDT's 4-byte entries */
#define ACPI_XSDT_ENTRY_SIZE  8
#define ACPI_RSDT_ENTRY_SIZE  4

/* ---- the EFI system table (UEFI 4.3): a table header (4.2), then pointers. The
 * firmware keeps it in runtime-services memory, which outlives ExitBootServices. ---- */
#define EFI_ST_SIG            "IBI SYST"
#define EFI_ST_SIG_LEN        8
#define EFI_ST_SIGNATURE      0   /* 8 bytes */
#define EFI_ST_REVISION       8   /* 32-bit: major << 16 | minor */
#define EFI_ST_HEADER_SIZE    12  /* 32-bit: the bytes the CRC covers */
#define EFI_ST_CRC32          16  /* 32-bit CRC-32 of HeaderSize bytes, this field 0 */
#define EFI_ST_NR_TABLES      104 /* 64-bit NumberOfTableEntries (64-bit UEFI) */
#define EFI_ST_CONFIG_TABLE   112 /* 64-bit physical address of the configuration table */
#define EFI_ST_SIZE           120 /* the 64-bit system table */

/* Configuration table entries (4.6): a vendor GUID, then the table's address. */
#define EFI_CT_GUID           0   /* 16 bytes, in the GUID's in-memory byte order */
#define EFI_CT_TABLE          16  /* 64-bit */
#define EFI_CT_ENTRY_SIZE     24
/* EFI_ACPI_20_TABLE_GUID 8868e871-e4f1-11d3-bc22-0080c73c8881 and
 * ACPI_TABLE_GUID eb9d2d30-2d88-11d3-9a16-0090273fc14d, as bytes in memory. */
#define EFI_ACPI_20_GUID_BYTES { 0x71, 0xe8, 0x68, 0x88, 0xf1, 0xe4, 0xd3, 0x11, \
				 0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81 }
#define EFI_ACPI_10_GUID_BYTES { 0x30, 0x2d, 0x9d, 0xeb, 0x88, 0x2d, 0xd3, 0x11, \
				 0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d }

#endif /* PTDBG_HW_ACPI_H */
