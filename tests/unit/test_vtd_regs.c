/* SPDX-License-Identifier: MIT */
/* Unit tests: reading a remapping unit's registers (vtd_regs.c) and decoding its
 * fault records (vtd_fault.c), from a synthetic register page. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "out/json.h"
#include "test_vtd_image.h"
#include "vtd/vtd_fault.h"
#include "vtd/vtd_regs.h"
#include "vtd/vtd_tables.h"

#define BASE 0xfed90000ull

/* A register page shaped like QEMU 7.2's intel-iommu (aw-bits=39, intremap=on),
 * with NFR+1 = 2 fault records at 0x220 and one pending fault in record 1. */
static struct img *unit_page(void)
{
	struct img *im = img_new_at(BASE, 0x1000);
	uint64_t cap = (0x22ull << 24) | (1ull << 40) | 6 | (18ull << 48) | (1ull << 39) |
		       (3ull << 34) | (2ull << 8) | (38ull << 16) | (3ull << 54);
	uint64_t ecap = (0xfull << 8) | VTD_ECAP_QI | VTD_ECAP_IR | VTD_ECAP_PT | (15ull << 20);
	img_put32(im, VTD_REG_VER, 0x10);
	img_put64(im, VTD_REG_CAP, cap);
	img_put64(im, VTD_REG_ECAP, ecap);
	img_put32(im, VTD_REG_GSTS, VTD_GSTS_TES | VTD_GSTS_RTPS);
	img_put64(im, VTD_REG_RTADDR, 0x7e000);
	img_put32(im, VTD_REG_FSTS, VTD_FSTS_PPF | (1u << 8));
	img_put32(im, VTD_REG_FECTL, 1u << 31);
	img_put64(im, VTD_REG_IRTA, 0x7d000 | 0x800 | 7);
	img_put64(im, 0xf8, 5ull << 32);
	/* record 1: read from 00:03.0 at 0x2_0000_0000, reason 0x4, PASID 0x12 present */
	img_put64(im, 0x230, 0x200000000ull | 0xabc);
	img_put64(im, 0x238, VTD_FRCD_F | VTD_FRCD_T1 | (0x12ull << 40) | (4ull << 32) |
			     VTD_FRCD_PP | 0x0018);
	return im;
}

static void test_read_and_info(void **state)
{
	struct img *im = unit_page();
	static struct vtd_regs r;
	struct vtd_unit_info in;
	assert_int_equal(vtd_regs_read(im->t, BASE, &r), 0);
	vtd_regs_info(&r, &in);
	assert_int_equal(in.version_major, 1);
	assert_int_equal(in.version_minor, 0);
	assert_int_equal(in.mgaw, 39);
	assert_int_equal(in.nfr, 2);
	assert_int_equal(in.fro, 0x220);
	assert_int_equal(in.iro, 0xf0);
	assert_true(in.translation_enabled);
	assert_true(in.root_set);
	assert_false(in.smts);
	assert_true(in.pt);
	assert_int_equal(in.root_table, 0x7e000);
	assert_int_equal(in.ttm, VTD_TTM_LEGACY);
	assert_int_equal(r.nfrcd, 2);
	assert_int_equal(r.iotlb, 5ull << 32);
	bool ok;
	assert_int_equal(vtd_regs_get(&r, VTD_REG_FECTL, &ok), 1u << 31);
	assert_true(ok);
	assert_int_equal(vtd_regs_get(&r, 0x999, &ok), 0);
	assert_false(ok);
	img_free(im);
}

/* The unit's registers alone (vtd_regs_read_unit): the same summary and hardware as
 * reading them all, the others and the fault records not read. */
static void test_read_unit(void **state)
{
	struct img *im = unit_page();
	static struct vtd_regs all, u;
	struct vtd_unit_info in, uin;
	struct vtd_hw hw, uhw;
	assert_int_equal(vtd_regs_read(im->t, BASE, &all), 0);
	uint64_t reads = im->t->stats.reads;
	assert_int_equal(vtd_regs_read_unit(im->t, BASE, &u), 0);
	assert_int_equal(im->t->stats.reads - reads, 5);
	memset(&in, 0, sizeof(in));
	memset(&uin, 0, sizeof(uin));
	vtd_regs_info(&all, &in);
	vtd_regs_info(&u, &uin);
	assert_memory_equal(&in, &uin, sizeof(in));
	memset(&hw, 0, sizeof(hw));
	memset(&uhw, 0, sizeof(uhw));
	vtd_hw_from_regs(&hw, &all, 39);
	vtd_hw_from_regs(&uhw, &u, 39);
	assert_memory_equal(&hw, &uhw, sizeof(hw));
	bool ok;
	assert_int_equal(vtd_regs_get(&u, VTD_REG_RTADDR, &ok), 0x7e000);
	assert_true(ok);
	assert_int_equal(vtd_regs_get(&u, VTD_REG_FSTS, &ok), 0);
	assert_false(ok);
	assert_int_equal(u.nfrcd, all.nfrcd);
	for (unsigned i = 0; i < u.nfrcd; i++)
		assert_int_equal(u.frcd_err[i], PTDBG_ENOTSUP);
	assert_int_equal(u.iva_err, PTDBG_ENOTSUP);
	/* no unit there: the same answer as reading them all */
	assert_int_equal(vtd_regs_read_unit(im->t, 0x1000, &u), PTDBG_EIO);
	img_free(im);
	(void)state;
}

static void test_print_text_and_json(void **state)
{
	struct img *im = unit_page();
	static struct vtd_regs r;
	assert_int_equal(vtd_regs_read(im->t, BASE, &r), 0);
	char *s = CAPTURE(vtd_regs_print(f, &r));
	assert_non_null(strstr(s, "version 1.0, MGAW 39, legacy mode only, translation enabled"));
	assert_non_null(strstr(s, "SAGAW        [12:8]     2"));
	assert_non_null(strstr(s, "IOTLB     +0x0f8"));
	assert_non_null(strstr(s, "FRCD1     +0x230"));
	assert_non_null(strstr(s, "EIME"));
	free(s);
	s = CAPTURE({
		struct ptdbg_json *j = ptdbg_json_new(f);
		vtd_regs_json(j, &r);
		ptdbg_json_free(j);
	});
	assert_non_null(strstr(s, "\"name\":\"CAP\""));
	assert_non_null(strstr(s, "\"MGAW\":38"));
	assert_non_null(strstr(s, "\"TES\":true"));
	assert_non_null(strstr(s, "\"fault_records\":[{\"index\":0"));
	free(s);
	img_free(im);
}

static void test_faults(void **state)
{
	struct img *im = unit_page();
	static struct vtd_regs r;
	struct vtd_fault_rec recs[4];
	assert_int_equal(vtd_regs_read(im->t, BASE, &r), 0);
	assert_int_equal(vtd_faults_collect(&r, false, recs, 4), 1);
	assert_int_equal(recs[0].index, 1);
	assert_true(recs[0].fault);
	assert_int_equal(recs[0].sid, 0x18);
	assert_int_equal(recs[0].addr, 0x200000000ull);
	assert_int_equal(recs[0].access, VTD_ACC_READ);
	assert_int_equal(recs[0].reason, 4);
	assert_true(recs[0].pasid_present);
	assert_int_equal(recs[0].pasid, 0x12);
	assert_int_equal(vtd_faults_collect(&r, true, recs, 4), 2);

	char *s = CAPTURE(vtd_faults_print(f, &r, false));
	assert_string_equal(s, "FSTS 0x00000102 PPF FRI=1\n"
			       "record 1: FAULT 00:03.0 read addr 0x200000000 reason 0x04 "
			       "input address beyond the address width pasid 0x12\n");
	free(s);
	s = CAPTURE({
		struct ptdbg_json *j = ptdbg_json_new(f);
		vtd_faults_json(j, &r, false);
		ptdbg_json_free(j);
	});
	assert_non_null(strstr(s, "\"bdf\":\"00:03.0\""));
	assert_non_null(strstr(s, "\"access\":\"read\""));
	assert_non_null(strstr(s, "\"fault_reason\":4"));
	free(s);
	img_free(im);
}

static void test_fault_decode_kinds(void **state)
{
	struct vtd_fault_rec f;
	uint64_t w[2] = { 0x1000, VTD_FRCD_F | (5ull << 32) | 0x0100 };
	vtd_fault_decode(w, 0, &f);
	assert_int_equal(f.access, VTD_ACC_WRITE);
	assert_int_equal(f.sid, 0x100);
	assert_false(f.pasid_present);
	w[1] |= VTD_FRCD_T2;
	vtd_fault_decode(w, 0, &f);
	assert_int_equal(f.access, VTD_ACC_PAGE_REQ);
	w[1] |= VTD_FRCD_T1 | VTD_FRCD_EXE | VTD_FRCD_PRIV | (2ull << 60);
	vtd_fault_decode(w, 0, &f);
	assert_int_equal(f.access, VTD_ACC_ATOMIC);
	assert_true(f.exe);
	assert_true(f.priv);
	assert_int_equal(f.at, 2);
	char b[16];
	assert_string_equal(vtd_bdf_str(0x1a3, b, sizeof(b)), "01:14.3");
}

static void test_fault_reason_table(void **state)
{
	assert_string_equal(vtd_fault_reason_name(0x1), "root entry not present");
	assert_string_equal(vtd_fault_reason_name(0x5), "write without write permission");
	assert_string_equal(vtd_fault_reason_name(0xc), "reserved field set in paging entry");
	assert_string_equal(vtd_fault_reason_name(0x22), "interrupt remapping entry not present");
	assert_string_equal(vtd_fault_reason_name(0x59), "SM: PASID table entry not present");
	assert_string_equal(vtd_fault_reason_name(0x0e), "unknown fault reason");
	assert_string_equal(vtd_fault_reason_name(0xff), "unknown fault reason");
	assert_string_equal(vtd_fault_reason_class(0x3), "dma");
	assert_string_equal(vtd_fault_reason_class(0x25), "interrupt");
	assert_string_equal(vtd_fault_reason_class(0x7a), "scalable");
	assert_string_equal(vtd_fault_reason_class(0xa0), "unknown");
	for (unsigned c = 1; c <= 0xd; c++)
		assert_string_not_equal(vtd_fault_reason_name(c), "unknown fault reason");
}

static void test_no_unit_or_unreadable(void **state)
{
	struct img *im = img_new_at(BASE, 0x1000); /* all zero: no unit */
	static struct vtd_regs r;
	assert_int_equal(vtd_regs_read(im->t, BASE, &r), PTDBG_EFORMAT);
	assert_int_equal(vtd_regs_read(im->t, 0x1000, &r), PTDBG_EIO);
	img_free(im);

	/* A register page cut short: fault records beyond it are read errors. */
	im = img_new_at(BASE, 0x228);
	img_put64(im, VTD_REG_CAP, (0x22ull << 24) | (1ull << 40) | (2ull << 8) | (38ull << 16));
	assert_int_equal(vtd_regs_read(im->t, BASE, &r), 0);
	assert_int_equal(r.nfrcd, 2);
	assert_int_equal(r.frcd_err[0], PTDBG_EIO);
	assert_int_equal(r.frcd_err[1], PTDBG_EIO);
	char *s = CAPTURE(vtd_faults_print(f, &r, false));
	assert_non_null(strstr(s, "record 1: read failed"));
	free(s);
	img_free(im);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_and_info),
		cmocka_unit_test(test_read_unit),
		cmocka_unit_test(test_print_text_and_json),
		cmocka_unit_test(test_faults),
		cmocka_unit_test(test_fault_decode_kinds),
		cmocka_unit_test(test_fault_reason_table),
		cmocka_unit_test(test_no_unit_or_unreadable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
