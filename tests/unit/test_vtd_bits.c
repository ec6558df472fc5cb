/* SPDX-License-Identifier: MIT */
/* Unit tests: VT-d bit layouts (vtd_bits.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vtd/vtd_bits.h"

static const struct ptdbg_layout *const all_layouts[] = {
	&vtd_layout_ver, &vtd_layout_cap, &vtd_layout_ecap, &vtd_layout_gcmd, &vtd_layout_gsts,
	&vtd_layout_rtaddr, &vtd_layout_ccmd, &vtd_layout_fsts, &vtd_layout_fectl,
	&vtd_layout_fedata, &vtd_layout_feaddr, &vtd_layout_feuaddr, &vtd_layout_aflog,
	&vtd_layout_pmen, &vtd_layout_plmbase, &vtd_layout_plmlimit, &vtd_layout_phmbase,
	&vtd_layout_phmlimit, &vtd_layout_iqh, &vtd_layout_iqt, &vtd_layout_iqa, &vtd_layout_ics,
	&vtd_layout_iectl, &vtd_layout_iqercd, &vtd_layout_irta, &vtd_layout_pqh, &vtd_layout_pqt,
	&vtd_layout_pqa, &vtd_layout_prs, &vtd_layout_iva, &vtd_layout_iotlb, &vtd_layout_frcd,
	&vtd_layout_msi_data, &vtd_layout_msi_addr, &vtd_layout_msi_uaddr, &vtd_layout_root,
	&vtd_layout_smroot, &vtd_layout_ctx, &vtd_layout_smctx, &vtd_layout_pasid_dir,
	&vtd_layout_pasid_entry, &vtd_layout_sl_table, &vtd_layout_sl_leaf,
};

/* Every layout: fields ascending, not overlapping, inside the value, and together
 * they cover every bit exactly once (reserved bits are declared, not implied). */
static void test_layouts_tile_their_width(void **state)
{
	for (size_t k = 0; k < sizeof(all_layouts) / sizeof(all_layouts[0]); k++) {
		const struct ptdbg_layout *l = all_layouts[k];
		unsigned next = 0;
		for (size_t i = 0; i < l->n; i++) {
			const struct ptdbg_field *f = &l->fields[i];
			if (f->lsb != next)
				fail_msg("%s: field %s starts at %u, expected %u", l->name, f->name,
					 f->lsb, next);
			assert_true(f->width >= 1 && f->width <= 64);
			assert_non_null(f->desc);
			next = f->lsb + f->width;
		}
		if (next != l->bits)
			fail_msg("%s: fields end at bit %u, layout is %u bits", l->name, next, l->bits);
	}
}

static void test_field_get_across_words(void **state)
{
	/* smroot UCTP is bits 127:76; PASID entry FLPTPTR is 191:140. */
	uint64_t w[8] = { 0x1001, 0xabcd000000000001ull | (0x12345ull << 12), 0xfedcba9876543000ull };
	const struct ptdbg_field *u = ptdbg_layout_field(&vtd_layout_smroot, "UCTP");
	assert_non_null(u);
	assert_int_equal(ptdbg_field_get(u, w) << 12, w[1] & ~0xfffull);
	const struct ptdbg_field *fl = ptdbg_layout_field(&vtd_layout_pasid_entry, "FLPTPTR");
	assert_int_equal(ptdbg_field_get(fl, w) << 12, 0xfedcba9876543000ull);
	const struct ptdbg_field *did = ptdbg_layout_field(&vtd_layout_ctx, "DID");
	uint64_t ctx[2] = { 0, 0x1234ull << 8 | 1 };
	assert_int_equal(ptdbg_field_get(did, ctx), 0x1234);
	assert_null(ptdbg_layout_field(&vtd_layout_ctx, "NOPE"));
}

/* The CAP value QEMU 7.2's intel-iommu reports with aw-bits=39. */
#define QEMU_CAP_39 ((0x22ull << 24) | 6 | (18ull << 48) | (1ull << 39) | (3ull << 34) | \
		     (2ull << 8) | (38ull << 16) | (3ull << 54))

static void test_cap_fields(void **state)
{
	uint64_t cap = QEMU_CAP_39;
	char buf[512];
	assert_int_equal(VTD_CAP_FRO(cap), 0x220);
	assert_int_equal(VTD_CAP_NFR(cap), 1);
	assert_int_equal(VTD_CAP_MGAW(cap), 39);
	assert_int_equal(VTD_CAP_SAGAW(cap), 2);
	assert_int_equal(VTD_CAP_ND(cap), 6);
	assert_int_equal(VTD_CAP_SLLPS(cap), 3);
	ptdbg_layout_format(&vtd_layout_cap, &cap, " ", buf, sizeof(buf));
	assert_string_equal(buf, "ND=6 SAGAW=2 MGAW=0x26 FRO=0x22 SLLPS=3 PSI NFR=0 MAMV=0x12 DWD DRD");

	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);
	ptdbg_layout_print(f, &vtd_layout_cap, &cap, "");
	fclose(f);
	assert_non_null(strstr(text, "39-bit/3-level"));
	assert_non_null(strstr(text, "offset 0x220"));
	assert_non_null(strstr(text, "2M,1G"));
	assert_non_null(strstr(text, "65536 domain ids"));
	assert_non_null(strstr(text, "(39 bits)"));
	free(text);
}

static void test_ecap_and_status(void **state)
{
	/* QEMU 7.2 default ECAP with intremap=on: QI IR EIM(if x2apic) PT, IRO=0xf, MHMV. */
	uint64_t ecap = (0xfull << 8) | VTD_ECAP_QI | VTD_ECAP_IR | VTD_ECAP_PT | (15ull << 20);
	char buf[256];
	assert_int_equal(VTD_ECAP_IRO(ecap), 0xf0);
	ptdbg_layout_format(&vtd_layout_ecap, &ecap, " ", buf, sizeof(buf));
	assert_string_equal(buf, "QI IR PT IRO=0xf MHMV=0xf PSS=0");

	uint64_t gsts = VTD_GSTS_TES | VTD_GSTS_RTPS | VTD_GSTS_IRES;
	ptdbg_layout_format(&vtd_layout_gsts, &gsts, " ", buf, sizeof(buf));
	assert_string_equal(buf, "IRES RTPS TES");
	assert_int_equal(ptdbg_layout_reserved_mask(&vtd_layout_gsts), 0x7fffff);

	uint64_t rta = 0x12345000ull | (1u << 10);
	ptdbg_layout_format(&vtd_layout_rtaddr, &rta, " ", buf, sizeof(buf));
	assert_string_equal(buf, "TTM=1 RTA=0x12345000");
	assert_string_equal(vtd_ttm_name(VTD_RTADDR_TTM(rta)), "scalable");

	uint64_t fsts = VTD_FSTS_PPF | (3u << 8) | (1u << 20);
	ptdbg_layout_format(&vtd_layout_fsts, &fsts, " ", buf, sizeof(buf));
	assert_string_equal(buf, "PPF FRI=3 rsvd[31:16]=0x10");
}

static void test_entry_layouts(void **state)
{
	char buf[512];
	uint64_t ctx[2] = { 0x7000 | VTD_CTX_FPD | VTD_CTX_P, (9ull << 8) | 1 };
	ptdbg_layout_format(&vtd_layout_ctx, ctx, " ", buf, sizeof(buf));
	assert_string_equal(buf, "P FPD TT=0 SLPTPTR=0x7000 AW=1 AVAIL=0 DID=9");

	uint64_t pe[8] = { 0x9000 | (2u << 6) | (1u << 2) | 1, 42, 0, 0, 0, 0, 0, 1 };
	ptdbg_layout_format(&vtd_layout_pasid_entry, pe, " ", buf, sizeof(buf));
	assert_non_null(strstr(buf, "PGTT=2"));
	assert_non_null(strstr(buf, "AW=1"));
	assert_non_null(strstr(buf, "DID=0x2a"));
	assert_non_null(strstr(buf, "rsvd[511:448]=0x1"));
	assert_string_equal(vtd_pgtt_name(VTD_PE_PGTT(pe[0])), "second-level");

	uint64_t leaf = 0x200000 | VTD_SL_PS | VTD_SL_R | VTD_SL_W | VTD_SL_SNP | VTD_SL_TM;
	ptdbg_bits_format(&vtd_bits_sl_entry, leaf, " ", buf, sizeof(buf));
	assert_string_equal(buf, "R W PS SNP TM");
	ptdbg_bits_format(&vtd_bits_sl_entry, 0, " ", buf, sizeof(buf));
	assert_string_equal(buf, "- -");

	assert_int_equal(vtd_aw_bits(1), 39);
	assert_int_equal(vtd_aw_levels(1), 3);
	assert_int_equal(vtd_aw_bits(2), 48);
	assert_int_equal(vtd_aw_bits(3), 57);
	assert_int_equal(vtd_aw_levels(3), 5);
	assert_int_equal(vtd_aw_bits(7), 0);
	assert_string_equal(vtd_tt_name(2), "pass-through");
}

static void test_frcd_layout(void **state)
{
	uint64_t rec[2] = { 0xdead000, VTD_FRCD_F | VTD_FRCD_T1 | (6ull << 32) | 0x0010 };
	char buf[256];
	ptdbg_layout_format(&vtd_layout_frcd, rec, " ", buf, sizeof(buf));
	assert_string_equal(buf, "FI=0xdead000 SID=0x10 FR=6 PV=0 AT=0 T1=1 F");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layouts_tile_their_width),
		cmocka_unit_test(test_field_get_across_words),
		cmocka_unit_test(test_cap_fields),
		cmocka_unit_test(test_ecap_and_status),
		cmocka_unit_test(test_entry_layouts),
		cmocka_unit_test(test_frcd_layout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
