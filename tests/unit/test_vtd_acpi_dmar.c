/* SPDX-License-Identifier: MIT */
/* Unit tests: RSDP, RSDT/XSDT and DMAR parsing (acpi_dmar.c) on a synthetic
 * low-memory image shaped like SeaBIOS's under QEMU q35 with intel-iommu. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vtd/acpi_dmar.h"
#include "out/json.h"
#include "test_vtd_image.h"

#define RSDP_PA 0xf5a10ull
#define SDT_PA  0x100000ull
#define DMAR_PA 0x100200ull

static void fix_checksum(uint8_t *p, size_t len, size_t at)
{
	uint8_t s = 0;
	p[at] = 0;
	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + p[i]);
	p[at] = (uint8_t)-s;
}

static void put_hdr(uint8_t *p, const char *sig, uint32_t len)
{
	memcpy(p, sig, 4);
	p[4] = (uint8_t)len; p[5] = (uint8_t)(len >> 8); p[6] = 0; p[7] = 0;
	p[8] = 1;
	memcpy(p + 10, "BOCHS ", 6);
}

/* The DMAR QEMU 7.2 builds for intel-iommu,intremap=on (HAW 39, INTR_REMAP, one
 * DRHD with INCLUDE_PCI_ALL and the IOAPIC scope), plus an RMRR for 00:1d.0. */
static size_t build_dmar(uint8_t *d)
{
	size_t len = 48 + 24 + 32;
	memset(d, 0, len);
	put_hdr(d, "DMAR", (uint32_t)len);
	d[36] = 38;
	d[37] = 1;
	uint8_t *u = d + 48;
	u[0] = 0; u[2] = 24; u[4] = 1;
	uint64_t base = 0xfed90000ull;
	memcpy(u + 8, &base, 8);
	uint8_t *s = u + 16;
	s[0] = 3; s[1] = 8; s[4] = 0; s[5] = 0xff; s[6] = 0; s[7] = 0;
	uint8_t *r = u + 24;
	r[0] = 1; r[2] = 32;
	uint64_t rb = 0xe0000, rl = 0xfffff;
	memcpy(r + 8, &rb, 8);
	memcpy(r + 16, &rl, 8);
	s = r + 24;
	s[0] = 1; s[1] = 8; s[5] = 0; s[6] = 0x1d; s[7] = 0;
	fix_checksum(d, len, 9);
	return len;
}

/* RSDP (revision rev) at rsdp_pa -> RSDT or XSDT at SDT_PA -> {FACP, DMAR}. */
static struct img *acpi_image(unsigned rev, uint64_t rsdp_pa)
{
	struct img *im = img_new();
	uint8_t *p = im->buf + rsdp_pa;
	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, "BOCHS ", 6);
	p[15] = (uint8_t)rev;
	if (rev >= 2) {
		uint64_t x = SDT_PA;
		memcpy(p + 24, &x, 8);
		p[20] = 36;
		fix_checksum(p, 20, 8);
		fix_checksum(p, 36, 32);
	} else {
		uint32_t r = (uint32_t)SDT_PA;
		memcpy(p + 16, &r, 4);
		fix_checksum(p, 20, 8);
	}
	uint8_t *sdt = im->buf + SDT_PA;
	unsigned esz = rev >= 2 ? 8 : 4;
	put_hdr(sdt, rev >= 2 ? "XSDT" : "RSDT", 36 + 2 * esz);
	uint64_t e0 = SDT_PA + 0x100, e1 = DMAR_PA;
	memcpy(sdt + 36, &e0, esz);
	memcpy(sdt + 36 + esz, &e1, esz);
	fix_checksum(sdt, 36 + 2 * esz, 9);
	put_hdr(im->buf + SDT_PA + 0x100, "FACP", 36);
	build_dmar(im->buf + DMAR_PA);
	ptdbg_mem_invalidate(im->mem);
	return im;
}

static void check_qemu_dmar(const struct acpi_dmar_info *d)
{
	assert_int_equal(d->haw, 39);
	assert_int_equal(d->flags, 1);
	assert_true(d->dmar_checksum_ok);
	assert_string_equal(d->oem_id, "BOCHS ");
	assert_int_equal(d->nunits, 1);
	assert_int_equal(d->units[0].base, 0xfed90000ull);
	assert_int_equal(d->units[0].flags, ACPI_DRHD_INCLUDE_PCI_ALL);
	assert_int_equal(d->units[0].nscopes, 1);
	assert_int_equal(d->units[0].scopes[0].type, ACPI_SCOPE_IOAPIC);
	assert_int_equal(d->units[0].scopes[0].start_bus, 0xff);
	assert_int_equal(d->nrmrr, 1);
	assert_int_equal(d->rmrr[0].base, 0xe0000);
	assert_int_equal(d->rmrr[0].limit, 0xfffff);
	assert_int_equal(d->rmrr[0].scopes[0].path[0].dev, 0x1d);
	assert_string_equal(d->notes, "");
}

static void test_rsdt_in_bios_area(void **state)
{
	struct img *im = acpi_image(0, RSDP_PA);
	static struct acpi_dmar_info d;
	assert_int_equal(acpi_dmar_find(im->t, 0, &d), 0);
	assert_int_equal(d.rsdp_pa, RSDP_PA);
	assert_false(d.xsdt);
	assert_int_equal(d.sdt_pa, SDT_PA);
	assert_int_equal(d.dmar_pa, DMAR_PA);
	check_qemu_dmar(&d);

	char *s = CAPTURE(acpi_dmar_print(f, &d));
	assert_string_equal(s,
		"RSDP 0xf5a10 rev 0 (BIOS area), RSDT 0x100000, DMAR 0x100200 len 104 OEM \"BOCHS \"\n"
		"host address width 39 bits, flags 0x1 INTR_REMAP\n"
		"DRHD 0: base 0xfed90000 segment 0 INCLUDE_PCI_ALL\n"
		"    scope IOAPIC id 0 bus ff path 00.0\n"
		"RMRR 0: 0xe0000-0xfffff segment 0\n"
		"    scope PCI endpoint id 0 bus 00 path 1d.0\n");
	free(s);
	s = CAPTURE({
		struct ptdbg_json *j = ptdbg_json_new(f);
		acpi_dmar_json(j, &d);
		ptdbg_json_free(j);
	});
	assert_non_null(strstr(s, "\"drhd\":[{\"base\":\"0x00000000fed90000\",\"segment\":0,\"include_pci_all\":true,\"scopes\":[{\"type\":\"IOAPIC\""));
	free(s);
	img_free(im);
}

static void test_xsdt_in_ebda(void **state)
{
	struct img *im = acpi_image(2, 0x9fc40);
	static struct acpi_dmar_info d;
	im->buf[0x40e] = 0xc0;
	im->buf[0x40f] = 0x9f;                 /* EBDA at 0x9fc00 */
	ptdbg_mem_invalidate(im->mem);
	assert_int_equal(acpi_dmar_find(im->t, 0, &d), 0);
	assert_int_equal(d.rsdp_pa, 0x9fc40);
	assert_int_equal(d.rsdp_revision, 2);
	assert_true(d.xsdt);
	check_qemu_dmar(&d);
	img_free(im);
}

/* The debug region's word for where the RSDP is: used when a valid RSDP is there,
 * wherever that is; the BIOS search when it is not. */
static void test_rsdp_hint(void **state)
{
	static struct acpi_dmar_info d;
	struct img *im = acpi_image(0, RSDP_PA);
	uint64_t reads;

	/* the same RSDP, and no search: 36 bytes for it, not the BIOS area's 128 KiB */
	reads = im->t->stats.bytes_read;
	assert_int_equal(acpi_dmar_find(im->t, RSDP_PA, &d), 0);
	assert_int_equal(d.rsdp_pa, RSDP_PA);
	assert_string_equal(d.rsdp_how, "debug region");
	check_qemu_dmar(&d);
	uint64_t with_hint = im->t->stats.bytes_read - reads;
	reads = im->t->stats.bytes_read;
	assert_int_equal(acpi_dmar_find(im->t, 0, &d), 0);
	assert_string_equal(d.rsdp_how, "BIOS area");
	assert_true(im->t->stats.bytes_read - reads > with_hint + 64 * 1024);
	/* an RSDP where no BIOS search looks (a copy at 2 MiB) is taken from the hint */
	memcpy(im->buf + 0x200000, im->buf + RSDP_PA, ACPI_RSDP_V2_LEN);
	ptdbg_mem_invalidate(im->mem);
	assert_int_equal(acpi_dmar_find(im->t, 0x200000, &d), 0);
	assert_int_equal(d.rsdp_pa, 0x200000);
	/* a hint with no valid RSDP (garbage, a bad checksum, past the end of RAM):
	 * the BIOS search finds the real one */
	im->buf[0x200000 + 8] ^= 1;
	ptdbg_mem_invalidate(im->mem);
	assert_int_equal(acpi_dmar_find(im->t, 0x200000, &d), 0);
	assert_int_equal(d.rsdp_pa, RSDP_PA);
	assert_string_equal(d.rsdp_how, "BIOS area");
	assert_int_equal(acpi_dmar_find(im->t, 0x300010, &d), 0);
	assert_int_equal(d.rsdp_pa, RSDP_PA);
	assert_int_equal(acpi_dmar_find(im->t, 1ull << 40, &d), 0);
	assert_int_equal(d.rsdp_pa, RSDP_PA);
	img_free(im);
}

/* An XSDT in the last bytes of RAM: the read of its header with room for entries
 * ahead fails past the end, and the header alone, then the entries, are read. */
static void test_sdt_at_end_of_ram(void **state)
{
	static struct acpi_dmar_info d;
	struct img *im = acpi_image(2, RSDP_PA);
	const size_t sdt_len = 36 + 2 * 8;
	const uint64_t end_pa = IMG_SIZE - sdt_len;
	memcpy(im->buf + end_pa, im->buf + SDT_PA, sdt_len);
	memset(im->buf + SDT_PA, 0, sdt_len);
	uint8_t *p = im->buf + RSDP_PA;
	memcpy(p + 24, &end_pa, 8);
	fix_checksum(p, 36, 32);
	ptdbg_mem_invalidate(im->mem);
	assert_int_equal(acpi_dmar_find(im->t, RSDP_PA, &d), 0);
	assert_int_equal(d.sdt_pa, end_pa);
	check_qemu_dmar(&d);
	img_free(im);
}

static void test_missing_and_malformed(void **state)
{
	static struct acpi_dmar_info d;
	struct img *im = img_new();
	assert_int_equal(acpi_dmar_find(im->t, 0, &d), PTDBG_EIO);
	assert_non_null(strstr(ptdbg_target_error(im->t), "no ACPI RSDP"));
	img_free(im);

	/* RSDP with a bad checksum is ignored */
	im = acpi_image(0, RSDP_PA);
	im->buf[RSDP_PA + 8] ^= 1;
	ptdbg_mem_invalidate(im->mem);
	assert_int_equal(acpi_dmar_find(im->t, 0, &d), PTDBG_EIO);
	img_free(im);

	/* no DMAR among the entries */
	im = acpi_image(0, RSDP_PA);
	memcpy(im->buf + DMAR_PA, "APIC", 4);
	ptdbg_mem_invalidate(im->mem);
	assert_int_equal(acpi_dmar_find(im->t, 0, &d), PTDBG_EIO);
	assert_non_null(strstr(ptdbg_target_error(im->t), "no DMAR table"));
	img_free(im);

	/* parse errors on images */
	uint8_t buf[256];
	size_t len = build_dmar(buf);
	assert_int_equal(acpi_dmar_parse(buf, 20, &d), PTDBG_EFORMAT);
	assert_int_equal(acpi_dmar_parse(buf, len - 1, &d), PTDBG_EFORMAT);  /* length > buffer */
	buf[20] ^= 0xff;                                                       /* checksum */
	assert_int_equal(acpi_dmar_parse(buf, len, &d), 0);
	assert_false(d.dmar_checksum_ok);
	assert_string_equal(d.notes, "bad DMAR checksum");
	len = build_dmar(buf);
	buf[48 + 2] = 200;                                                     /* DRHD length */
	fix_checksum(buf, len, 9);
	assert_int_equal(acpi_dmar_parse(buf, len, &d), 0);
	assert_int_equal(d.nunits, 0);
	assert_string_equal(d.notes, "malformed remapping structure");
	len = build_dmar(buf);
	buf[48 + 16 + 1] = 3;                                                  /* scope length */
	fix_checksum(buf, len, 9);
	assert_int_equal(acpi_dmar_parse(buf, len, &d), 0);
	assert_int_equal(d.nunits, 1);
	assert_int_equal(d.units[0].nscopes, 0);
	assert_string_equal(d.notes, "malformed device scope");
	assert_string_equal(acpi_dmar_scope_name(ACPI_SCOPE_HPET), "HPET");
	assert_string_equal(acpi_dmar_scope_name(9), "?");
}

/* acpi_find_read_table: a short table comes whole with the entries' signatures
 * (no read of its own), a long one is read after them, one in the last bytes of
 * RAM too; a length beyond the bound is refused. */
static void test_find_read_table(void **state)
{
	static struct acpi_dmar_info d;
	struct img *im = acpi_image(2, RSDP_PA);
	struct acpi_rsdp r;
	uint64_t pa, sdt;
	uint32_t len;
	bool x;
	uint8_t *buf;
	assert_int_equal(acpi_find_rsdp(im->t, RSDP_PA, &r), 0);
	uint64_t reads = im->t->stats.reads;
	assert_int_equal(acpi_find_read_table(im->t, &r, "DMAR", 4096, &pa, &len, &sdt, &x, &buf), 0);
	assert_int_equal(pa, DMAR_PA);
	assert_int_equal(len, 48 + 24 + 32);
	assert_memory_equal(buf, im->buf + DMAR_PA, len);
	free(buf);
	uint64_t short_reads = im->t->stats.reads - reads;

	/* 3 KiB long: read after the search */
	put_hdr(im->buf + DMAR_PA, "DMAR", 3072);
	for (unsigned i = 48 + 24 + 32; i < 3072; i++)
		im->buf[DMAR_PA + i] = (uint8_t)i;
	reads = im->t->stats.reads;
	assert_int_equal(acpi_find_read_table(im->t, &r, "DMAR", 4096, &pa, &len, &sdt, &x, &buf), 0);
	assert_int_equal(len, 3072);
	assert_memory_equal(buf, im->buf + DMAR_PA, len);
	free(buf);
	assert_true(im->t->stats.reads - reads > short_reads);
	assert_int_equal(acpi_find_read_table(im->t, &r, "DMAR", 2048, &pa, &len, &sdt, &x, &buf), PTDBG_EFORMAT);
	assert_null(buf);
	img_free(im);

	/* the DMAR in the last 104 bytes of RAM: the search's longer read fails there,
	 * its signature and the table are read again */
	im = acpi_image(2, RSDP_PA);
	const size_t dl = 48 + 24 + 32;
	const uint64_t end_pa = IMG_SIZE - dl;
	memcpy(im->buf + end_pa, im->buf + DMAR_PA, dl);
	memset(im->buf + DMAR_PA, 0, dl);
	memcpy(im->buf + SDT_PA + 36 + 8, &end_pa, 8);
	fix_checksum(im->buf + SDT_PA, 36 + 2 * 8, 9);
	ptdbg_mem_invalidate(im->mem);
	assert_int_equal(acpi_dmar_find(im->t, RSDP_PA, &d), 0);
	assert_int_equal(d.dmar_pa, end_pa);
	check_qemu_dmar(&d);
	img_free(im);
}

/* The DMAR the debug region names, from bytes read ahead: taken whole and checked,
 * refused (for the lookup through the RSDP) when any check fails. */
static void test_dmar_from_hint(void **state)
{
	(void)state;
	uint8_t b[512];
	memset(b, 0, sizeof(b));
	size_t len = build_dmar(b);
	struct acpi_dmar_info d;
	assert_int_equal(acpi_dmar_from_hint(b, sizeof(b), DMAR_PA, RSDP_PA, &d), 0);
	check_qemu_dmar(&d);
	assert_int_equal(d.dmar_pa, DMAR_PA);
	assert_int_equal(d.dmar_len, len);
	assert_int_equal(d.rsdp_pa, RSDP_PA);
	assert_string_equal(d.dmar_how, "debug region");
	assert_int_equal(d.sdt_pa, 0);
	/* not all of it read ahead */
	assert_int_equal(acpi_dmar_from_hint(b, len - 1, DMAR_PA, RSDP_PA, &d), PTDBG_EFORMAT);
	assert_int_equal(d.dmar_pa, 0);
	assert_int_equal(acpi_dmar_from_hint(NULL, sizeof(b), DMAR_PA, RSDP_PA, &d), PTDBG_EFORMAT);
	/* a bad checksum */
	b[40] ^= 1;
	assert_int_equal(acpi_dmar_from_hint(b, sizeof(b), DMAR_PA, RSDP_PA, &d), PTDBG_EFORMAT);
	b[40] ^= 1;
	/* another table there */
	memcpy(b, "FACP", 4);
	fix_checksum(b, len, 9);
	assert_int_equal(acpi_dmar_from_hint(b, sizeof(b), DMAR_PA, RSDP_PA, &d), PTDBG_EFORMAT);
	/* a length past what was read */
	memcpy(b, "DMAR", 4);
	b[5] = 4; /* 0x468 bytes */
	fix_checksum(b, len, 9);
	assert_int_equal(acpi_dmar_from_hint(b, sizeof(b), DMAR_PA, RSDP_PA, &d), PTDBG_EFORMAT);
	/* printed as named, not as looked up */
	b[5] = 0;
	fix_checksum(b, len, 9);
	assert_int_equal(acpi_dmar_from_hint(b, sizeof(b), DMAR_PA, RSDP_PA, &d), 0);
	char *text = NULL;
	size_t tl = 0;
	FILE *f = open_memstream(&text, &tl);
	assert_non_null(f);
	acpi_dmar_print(f, &d);
	fclose(f);
	assert_non_null(strstr(text, "DMAR 0x100200 len 104 (debug region) OEM \"BOCHS \""));
	assert_null(strstr(text, "RSDT"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rsdt_in_bios_area),
		cmocka_unit_test(test_xsdt_in_ebda),
		cmocka_unit_test(test_rsdp_hint),
		cmocka_unit_test(test_sdt_at_end_of_ram),
		cmocka_unit_test(test_missing_and_malformed),
		cmocka_unit_test(test_find_read_table),
		cmocka_unit_test(test_dmar_from_hint),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
