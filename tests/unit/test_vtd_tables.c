/* SPDX-License-Identifier: MIT */
/* Unit tests: root, context and PASID structures and the device lookup
 * (vtd_tables.c), legacy and scalable mode, well-formed and malformed. */
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
#include "vtd/vtd_print.h"
#include "vtd/vtd_tables.h"

#define RT     0x10000ull  /* root table */
#define CT     0x11000ull  /* legacy context table of bus 0 */
#define SL     0x20000ull  /* a second-level table */
#define BDF_A  0x0010      /* 00:02.0 */

/* QEMU 7.2 defaults: 39-bit host and guest width, SAGAW 39-bit, 2M/1G pages. */
static struct vtd_hw hw_qemu(void)
{
	struct vtd_hw hw = { .haw = 39, .mgaw = 39, .sagaw = 0x2, .sllps = 3 };
	return hw;
}

static struct img *legacy_tables(void)
{
	struct img *im = img_new();
	img_put64(im, RT + 0 * 16, CT | VTD_ROOT_P);
	img_put64(im, CT + 0x10 * 16, SL | VTD_CTX_P);
	img_put64(im, CT + 0x10 * 16 + 8, (5ull << 8) | 1);     /* DID 5, AW 39-bit */
	return im;
}

static void test_legacy_ok(void **state)
{
	struct img *im = legacy_tables();
	struct vtd_hw hw = hw_qemu();
	struct vtd_dev_lookup l;
	assert_int_equal(vtd_dev_lookup(im->mem, &hw, RT, BDF_A, VTD_NO_PASID, &l), 0);
	assert_int_equal(l.reason, 0);
	assert_int_equal(l.stage, VTD_STAGE_DONE);
	assert_int_equal(l.xlate, VTD_XL_SECOND_LEVEL);
	assert_int_equal(l.sl_root, SL);
	assert_int_equal(l.levels, 3);
	assert_int_equal(l.aw_bits, 39);
	assert_int_equal(l.did, 5);
	assert_false(l.fpd);
	assert_int_equal(l.ctx_pa, CT + 0x100);

	char *s = CAPTURE(vtd_lookup_print(f, &l));
	assert_non_null(strstr(s, "device 00:02.0 (legacy mode)"));
	assert_non_null(strstr(s, "P TT=0 SLPTPTR=0x20000 AW=1 AVAIL=0 DID=5"));
	assert_non_null(strstr(s, "-> second-level table 0x20000, 39-bit, 3 levels, domain 5\n"));
	free(s);
	img_free(im);
}

/* Each malformation and the fault the unit would record for it. */
static void test_legacy_faults(void **state)
{
	struct vtd_hw hw = hw_qemu();
	struct vtd_dev_lookup l;
	struct img *im = legacy_tables();

	/* root entry of bus 1 not present */
	assert_int_equal(vtd_dev_lookup(im->mem, &hw, RT, 0x0100, VTD_NO_PASID, &l), 0);
	assert_int_equal(l.reason, VTD_FR_ROOT_P);
	assert_int_equal(l.stage, VTD_STAGE_ROOT);
	/* context entry of 00:03.0 not present */
	assert_int_equal(vtd_dev_lookup(im->mem, &hw, RT, 0x0018, VTD_NO_PASID, &l), 0);
	assert_int_equal(l.reason, VTD_FR_CTX_P);
	/* FPD is reported */
	img_put64(im, CT + 0x100, SL | VTD_CTX_P | VTD_CTX_FPD);
	vtd_dev_lookup(im->mem, &hw, RT, BDF_A, VTD_NO_PASID, &l);
	assert_int_equal(l.reason, 0);
	assert_true(l.fpd);
	/* AW 48-bit while SAGAW has only 39-bit: invalid context */
	img_put64(im, CT + 0x108, (5ull << 8) | 2);
	vtd_dev_lookup(im->mem, &hw, RT, BDF_A, VTD_NO_PASID, &l);
	assert_int_equal(l.reason, VTD_FR_CTX_INVALID);
	img_put64(im, CT + 0x108, (5ull << 8) | 1);
	/* TT pass-through without ECAP.PT, then with */
	img_put64(im, CT + 0x100, SL | VTD_CTX_P | (2u << 2));
	vtd_dev_lookup(im->mem, &hw, RT, BDF_A, VTD_NO_PASID, &l);
	assert_int_equal(l.reason, VTD_FR_CTX_INVALID);
	hw.pt = true;
	vtd_dev_lookup(im->mem, &hw, RT, BDF_A, VTD_NO_PASID, &l);
	assert_int_equal(l.reason, 0);
	assert_int_equal(l.xlate, VTD_XL_PASSTHROUGH);
	/* TT device-TLB without ECAP.DT; TT 3 reserved */
	img_put64(im, CT + 0x100, SL | VTD_CTX_P | (1u << 2));
	vtd_dev_lookup(im->mem, &hw, RT, BDF_A, VTD_NO_PASID, &l);
	assert_int_equal(l.reason, VTD_FR_CTX_INVALID);
	img_put64(im, CT + 0x100, SL | VTD_CTX_P | (3u << 2));
	vtd_dev_lookup(im->mem, &hw, RT, BDF_A, VTD_NO_PASID, &l);
	assert_int_equal(l.reason, VTD_FR_CTX_INVALID);
	/* reserved bits: context hi bit 7, context lo above HAW, root lo bit 5, root hi */
	img_put64(im, CT + 0x100, SL | VTD_CTX_P);
	img_put64(im, CT + 0x108, (5ull << 8) | 1 | 0x80);
	vtd_dev_lookup(im->mem, &hw, RT, BDF_A, VTD_NO_PASID, &l);
	assert_int_equal(l.reason, VTD_FR_CTX_RSVD);
	assert_int_equal(l.rsvd[1], 0x80);
	img_put64(im, CT + 0x108, (5ull << 8) | 1);
	img_put64(im, CT + 0x100, (1ull << 40) | SL | VTD_CTX_P);
	vtd_dev_lookup(im->mem, &hw, RT, BDF_A, VTD_NO_PASID, &l);
	assert_int_equal(l.reason, VTD_FR_CTX_RSVD);
	assert_int_equal(l.rsvd[0], 1ull << 40);
	img_put64(im, CT + 0x100, SL | VTD_CTX_P);
	img_put64(im, RT, CT | VTD_ROOT_P | 0x20);
	vtd_dev_lookup(im->mem, &hw, RT, BDF_A, VTD_NO_PASID, &l);
	assert_int_equal(l.reason, VTD_FR_ROOT_RSVD);
	img_put64(im, RT, CT | VTD_ROOT_P);
	img_put64(im, RT + 8, 1);
	vtd_dev_lookup(im->mem, &hw, RT, BDF_A, VTD_NO_PASID, &l);
	assert_int_equal(l.reason, VTD_FR_ROOT_RSVD);
	img_put64(im, RT + 8, 0);
	/* context table outside memory; root table outside memory */
	img_put64(im, RT, 0x10000000ull | VTD_ROOT_P);
	vtd_dev_lookup(im->mem, &hw, RT, BDF_A, VTD_NO_PASID, &l);
	assert_int_equal(l.reason, VTD_FR_CTX_ACCESS);
	assert_int_equal(l.read_err, PTDBG_EIO);
	vtd_dev_lookup(im->mem, &hw, 0x10000000ull, BDF_A, VTD_NO_PASID, &l);
	assert_int_equal(l.reason, VTD_FR_ROOT_ACCESS);
	char *s = CAPTURE(vtd_lookup_print(f, &l));
	assert_non_null(strstr(s, "stops at root entry: fault reason 0x08 (root table could not be accessed), read error -1"));
	free(s);
	img_free(im);
}

/* Scalable mode: root 0x10000 (LCTP 0x12000, UCTP 0x13000), context of 00:01.0 ->
 * PASID directory 0x14000 -> PASID table 0x15000, entry 0: second level. */
#define LCT 0x12000ull
#define UCT 0x13000ull
#define PDIR 0x14000ull
#define PTBL 0x15000ull

/* The context dump of im's root table RT as JSON, at most max_contexts (0: all). */
static char *ctx_dump_json(struct img *im, const struct vtd_hw *hw, unsigned max_contexts)
{
	return CAPTURE({
		struct ptdbg_json *j = ptdbg_json_new(f);
		assert_int_equal(vtd_ctx_dump_json(j, im->mem, hw, RT, max_contexts), 0);
		ptdbg_json_free(j);
	});
}

static struct img *sm_tables(void)
{
	struct img *im = img_new();
	img_put64(im, RT, LCT | 1);
	img_put64(im, RT + 8, UCT | 1);
	img_put64(im, LCT + 0x08 * 32, PDIR | VTD_SMCTX_PASIDE | VTD_SMCTX_P); /* PDTS 0 */
	img_put64(im, LCT + 0x08 * 32 + 8, 0);                                    /* RID_PASID 0 */
	img_put64(im, PDIR, PTBL | VTD_PDE_P);
	img_put64(im, PTBL, SL | (2u << 6) | (1u << 2) | VTD_PE_P);  /* PGTT SL, AW 39-bit */
	img_put64(im, PTBL + 8, 7);                                  /* DID 7 */
	return im;
}

static void test_scalable_ok_and_printers(void **state)
{
	struct img *im = sm_tables();
	struct vtd_hw hw = hw_qemu();
	struct vtd_dev_lookup l;
	hw.scalable = true;
	assert_int_equal(vtd_dev_lookup(im->mem, &hw, RT | (1u << 10), 0x0008, VTD_NO_PASID, &l), 0);
	assert_int_equal(l.reason, 0);
	assert_int_equal(l.ctx_pa, LCT + 0x100);
	assert_int_equal(l.pde_pa, PDIR);
	assert_int_equal(l.pe_pa, PTBL);
	assert_int_equal(l.pasid, 0);
	assert_int_equal(l.xlate, VTD_XL_SECOND_LEVEL);
	assert_int_equal(l.sl_root, SL);
	assert_int_equal(l.levels, 3);
	assert_int_equal(l.did, 7);

	/* PASID 0x41: directory entry 1, table entry 1 */
	img_put64(im, PDIR + 8, (PTBL + 0x1000) | VTD_PDE_P);
	img_put64(im, PTBL + 0x1000 + 64, SL | (4u << 6) | VTD_PE_P);   /* pass-through */
	hw.pt = true;
	vtd_dev_lookup(im->mem, &hw, RT, 0x0008, 0x41, &l);
	assert_int_equal(l.reason, 0);
	assert_int_equal(l.pe_pa, PTBL + 0x1000 + 64);
	assert_int_equal(l.xlate, VTD_XL_PASSTHROUGH);

	/* upper half: devfn 0x88 uses UCTP entry 8 */
	img_put64(im, UCT + 8 * 32, PDIR | VTD_SMCTX_P);
	vtd_dev_lookup(im->mem, &hw, RT, 0x0088, VTD_NO_PASID, &l);
	assert_int_equal(l.ctx_pa, UCT + 0x100);
	assert_int_equal(l.reason, 0);

	char *s = CAPTURE(vtd_ctx_dump_print(f, im->mem, &hw, RT, 0));
	assert_non_null(strstr(s, "root table 0x10000 (scalable mode)"));
	assert_non_null(strstr(s, "bus 00: root entry @0x10000 0000000000013001 0000000000012001  LP LCTP=0x12000 UP UCTP=0x13000"));
	assert_non_null(strstr(s, "  00:01.0 @0x12100:"));
	assert_non_null(strstr(s, "  00:11.0 @0x13100:"));
	assert_non_null(strstr(s, "-> second-level, domain 7"));
	assert_non_null(strstr(s, "table 0x20000, 39-bit, 3 levels"));
	free(s);
	s = ctx_dump_json(im, &hw, 0);
	assert_non_null(strstr(s, "\"mode\":\"scalable\""));
	assert_non_null(strstr(s, "\"bdf\":\"00:01.0\""));
	assert_non_null(strstr(s, "\"translation_type\":\"second-level\""));
	assert_non_null(strstr(s, "\"PGTT\":2"));
	assert_null(strstr(s, "stopped_after_contexts"));
	free(s);
	/* a budget of one context: the first device only, and the dump says it stopped */
	s = CAPTURE(vtd_ctx_dump_print(f, im->mem, &hw, RT, 1));
	assert_non_null(strstr(s, "  00:01.0 @0x12100:"));
	assert_null(strstr(s, "  00:11.0 @0x13100:"));
	assert_non_null(strstr(s, "(the dump stops after 1 device contexts)"));
	free(s);
	s = ctx_dump_json(im, &hw, 1);
	assert_non_null(strstr(s, "\"bdf\":\"00:01.0\""));
	assert_null(strstr(s, "\"bdf\":\"00:11.0\""));
	assert_non_null(strstr(s, "]}],\"stopped_after_contexts\":1}"));
	free(s);
	img_free(im);
}

static void test_scalable_faults(void **state)
{
	struct img *im = sm_tables();
	struct vtd_hw hw = hw_qemu();
	struct vtd_dev_lookup l;
	hw.scalable = true;

	vtd_dev_lookup(im->mem, &hw, RT, 0x0100, VTD_NO_PASID, &l);  /* bus 1 */
	assert_int_equal(l.reason, VTD_FR_SM_ROOT_P);
	vtd_dev_lookup(im->mem, &hw, RT, 0x0009, VTD_NO_PASID, &l);  /* 00:01.1 */
	assert_int_equal(l.reason, VTD_FR_SM_CTX_P);
	vtd_dev_lookup(im->mem, &hw, RT, 0x0008, 1u << 13, &l);      /* beyond PDTS 0 */
	assert_int_equal(l.reason, VTD_FR_SM_PASID_TOO_BIG);
	vtd_dev_lookup(im->mem, &hw, RT, 0x0008, 0x80, &l);          /* dir entry 2 absent */
	assert_int_equal(l.reason, VTD_FR_SM_PDE_P);
	vtd_dev_lookup(im->mem, &hw, RT, 0x0008, 0x5, &l);           /* table entry 5 absent */
	assert_int_equal(l.reason, VTD_FR_SM_PE_P);
	/* PASID given while PASIDE is clear */
	img_put64(im, LCT + 0x100, PDIR | VTD_SMCTX_P);
	vtd_dev_lookup(im->mem, &hw, RT, 0x0008, 0x1, &l);
	assert_int_equal(l.reason, 0x45);
	/* reserved: SM context w0 bit 5, w2; root hi bit 1; PDE bit 2; PE w3 */
	img_put64(im, LCT + 0x100, PDIR | VTD_SMCTX_P | 0x20);
	vtd_dev_lookup(im->mem, &hw, RT, 0x0008, VTD_NO_PASID, &l);
	assert_int_equal(l.reason, VTD_FR_SM_CTX_RSVD);
	img_put64(im, LCT + 0x100, PDIR | VTD_SMCTX_P);
	img_put64(im, LCT + 0x110, 1);
	vtd_dev_lookup(im->mem, &hw, RT, 0x0008, VTD_NO_PASID, &l);
	assert_int_equal(l.reason, VTD_FR_SM_CTX_RSVD);
	assert_int_equal(l.rsvd[2], 1);
	img_put64(im, LCT + 0x110, 0);
	img_put64(im, RT + 8, UCT | 1 | 2);
	vtd_dev_lookup(im->mem, &hw, RT, 0x0008, VTD_NO_PASID, &l);
	assert_int_equal(l.reason, VTD_FR_SM_ROOT_RSVD);
	img_put64(im, RT + 8, UCT | 1);
	img_put64(im, PDIR, PTBL | VTD_PDE_P | 4);
	vtd_dev_lookup(im->mem, &hw, RT, 0x0008, VTD_NO_PASID, &l);
	assert_int_equal(l.reason, VTD_FR_SM_PDE_RSVD);
	img_put64(im, PDIR, PTBL | VTD_PDE_P | VTD_PDE_FPD);
	img_put64(im, PTBL + 24, 0x100);
	vtd_dev_lookup(im->mem, &hw, RT, 0x0008, VTD_NO_PASID, &l);
	assert_int_equal(l.reason, VTD_FR_SM_PE_RSVD);
	assert_true(l.fpd);
	img_put64(im, PTBL + 24, 0);
	/* PGTT reserved, AW unsupported, PT without ECAP.PT, first-level */
	img_put64(im, PTBL, SL | (5u << 6) | (1u << 2) | VTD_PE_P);
	vtd_dev_lookup(im->mem, &hw, RT, 0x0008, VTD_NO_PASID, &l);
	assert_int_equal(l.reason, VTD_FR_SM_PE_INVALID);
	img_put64(im, PTBL, SL | (2u << 6) | (2u << 2) | VTD_PE_P);
	vtd_dev_lookup(im->mem, &hw, RT, 0x0008, VTD_NO_PASID, &l);
	assert_int_equal(l.reason, VTD_FR_SM_PE_INVALID);
	img_put64(im, PTBL, SL | (4u << 6) | VTD_PE_P);
	vtd_dev_lookup(im->mem, &hw, RT, 0x0008, VTD_NO_PASID, &l);
	assert_int_equal(l.reason, VTD_FR_SM_PE_INVALID);
	img_put64(im, PTBL, (1u << 6) | VTD_PE_P);
	img_put64(im, PTBL + 16, 0x30000);
	vtd_dev_lookup(im->mem, &hw, RT, 0x0008, VTD_NO_PASID, &l);
	assert_int_equal(l.reason, 0);
	assert_int_equal(l.xlate, VTD_XL_FIRST_LEVEL);
	assert_int_equal(l.fl_root, 0x30000);
	/* PASID table outside memory */
	img_put64(im, PDIR, 0x10000000ull | VTD_PDE_P);
	vtd_dev_lookup(im->mem, &hw, RT, 0x0008, VTD_NO_PASID, &l);
	assert_int_equal(l.reason, VTD_FR_SM_PE_ACCESS);
	img_free(im);
}

static void test_legacy_ctx_dump(void **state)
{
	struct img *im = legacy_tables();
	struct vtd_hw hw = hw_qemu();
	img_put64(im, CT + 0x18 * 16 + 8, 3);  /* nonzero but not present */
	img_put64(im, RT + 16, 0x3000000ull | VTD_ROOT_P);  /* bus 1: table beyond memory */
	char *s = CAPTURE(vtd_ctx_dump_print(f, im->mem, &hw, RT, 0));
	assert_non_null(strstr(s, "root table 0x10000 (legacy mode)\nbus 00: root entry @0x10000"));
	assert_non_null(strstr(s, "  00:02.0 @0x11100: 0000000000000501 0000000000020001\n"
				  "      P TT=0 SLPTPTR=0x20000 AW=1 AVAIL=0 DID=5\n"
				  "      -> second-level, domain 5\n"));
	assert_non_null(strstr(s, "  00:03.0 @0x11180: 0000000000000003 0000000000000000\n"
				  "      (not present) TT=0 SLPTPTR=0x0 AW=3 AVAIL=0 DID=0\n"));
	assert_non_null(strstr(s, "  context table 0x3000000: read failed (-1)"));
	free(s);
	img_free(im);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_legacy_ok),
		cmocka_unit_test(test_legacy_faults),
		cmocka_unit_test(test_scalable_ok_and_printers),
		cmocka_unit_test(test_scalable_faults),
		cmocka_unit_test(test_legacy_ctx_dump),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
