/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the ACPI IORT reader (acpi/iort.h) and the ACPI root lookup
 * (acpi/acpi.h): the RSDP on BIOS and UEFI guests (the EFI system table's CRC and
 * configuration table, the 64 KiB block probe), the XSDT/RSDT, the IORT parser
 * with every node type, the id routing, the text and JSON printers.
 *
 * Input: a 16-byte parameter block, then the rest.
 *   0  mode: bit 0 set: the rest is an IORT image, parsed as it is (no lookup);
 *      clear: the rest is a sparse image (fuzz_input.h) the lookup reads
 *   1  where: bit 0 BIOS areas, bit 1 UEFI (neither: both)
 *   2  bit 0: pages the image does not hold read as zeros (else they are holes);
 *      bit 1: JSON pretty
 *   3  unused
 *   4  u32 RAM size in 64 KiB blocks for the UEFI search (at most 64: the image
 *      holds 32 pages)
 *   8  u64 RAM base (rounded down to 64 KiB)
 * Then either way: routes for requester ids 0, 0x10 and an id from the input of
 * segment 0, and every node's ids through acpi_iort_route.
 *
 * Seeds (corpus/iort): the IORT QEMU 7.2 builds for virt,iommu=smmuv3 (with and
 * without a root port, so with one and two PCI buses), captured from a guest booted
 * through EDK2, flat and as the sparse image of the way to it (EFI system table,
 * configuration table, RSDP, XSDT, every table header it lists, the IORT); and
 * tables made by hand: every node type, malformed lengths and offsets.
 */
#include <stdlib.h>

#include "acpi/iort.h"
#include "fuzz_input.h"
#include "out/json.h"

#define HDR 16

static void consume(const struct acpi_iort_info *d, uint32_t any_id, bool pretty)
{
	uint32_t stream;
	struct acpi_iort_route r;
	acpi_iort_print(fz_sink(), d);
	struct ptdbg_json *j = ptdbg_json_new(fz_sink());
	if (j) {
		ptdbg_json_pretty(j, pretty);
		acpi_iort_json(j, d);
		ptdbg_json_free(j);
	}
	unsigned sum = 0;
	sum += (unsigned)acpi_iort_smmu_for_rid(d, 0, 0, &stream);
	sum += (unsigned)acpi_iort_smmu_for_rid(d, 0, 0x10, &stream);
	sum += (unsigned)acpi_iort_smmu_for_rid(d, any_id >> 16, any_id & 0xffff, &stream);
	sum += (unsigned)acpi_iort_smmuv3(d, 0);
	for (unsigned i = 0; i < d->nnodes; i++)
		if (acpi_iort_route(d, (int)i, any_id, &r))
			sum += (unsigned)r.end + r.hops;
	fputc((int)(sum & 0x7f), fz_sink());
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct acpi_iort_info d;
	static struct fz_mem m;
	struct fz f = { data, size, 0 };
	uint8_t mode = fz_u8(&f), where = fz_u8(&f) & 3, flags = fz_u8(&f);
	(void)fz_u8(&f);
	uint32_t blocks = fz_u32(&f) % 65;
	uint64_t base = fz_u64(&f) & ~0xffffull;
	uint32_t any_id = size >= 4 ? (uint32_t)data[size - 1] << 8 | data[size - 2] : 0;

	if (mode & 1) {
		size_t len;
		const uint8_t *rest = fz_rest(&f, HDR, &len);
		/* an exact-size copy: a read past the table is a read past the allocation */
		uint8_t *buf = malloc(len ? len : 1);
		if (!buf)
			return 0;
		memcpy(buf, rest, len);
		memset(&d, 0, sizeof(d));
		if (acpi_iort_parse(buf, len, &d) == 0)
			consume(&d, any_id, flags & 2);
		free(buf);
		return 0;
	}
	fz_mem_load(&m, &f);
	struct ptdbg_target *t = fz_mem_open(&m, flags & 1, NULL);
	if (!t)
		return 0;
	struct ptdbg_ram ram = { .n = 0 };
	if (blocks)
		ptdbg_ram_add(&ram, base, (uint64_t)blocks * ACPI_UEFI_BLOCK);
	if (acpi_iort_find(t, where ? where : ACPI_WHERE_BIOS | ACPI_WHERE_UEFI, &ram, &d) == 0)
		consume(&d, any_id, flags & 2);
	ptdbg_target_close(t);
	return 0;
}
