/* SPDX-License-Identifier: MIT */
/* Unit tests: the second-level walker, the single-IOVA translation and the
 * printers over them (vtd_walk.c). */
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
#include "vtd/vtd_walk.h"

#define L3 0x20000ull
#define L2 0x21000ull
#define L1 0x22000ull
#define RW (VTD_SL_R | VTD_SL_W)
#define G  (1ull << 30)
#define M2 (1ull << 21)

/*
 * A 3-level (39-bit) table:
 *   L3[0] -> L2;  L2[0] -> L1
 *     L1[0..3] 4K RW -> 0x100000..0x103fff;  L1[4] 4K R -> 0x104000
 *     L1[5] absent but nonzero;  L1[6] RW with SNP (reserved without ECAP.SC)
 *   L2[1] 2M RW -> 0x200000;  L2[2] -> table beyond memory
 *   L3[1] 1G R -> 0x40000000
 */
static struct img *sl_tables(void)
{
	struct img *im = img_new();
	img_put64(im, L3, L2 | RW);
	img_put64(im, L2, L1 | RW);
	for (int i = 0; i < 4; i++)
		img_put64(im, L1 + 8 * i, (0x100000ull + 0x1000 * i) | RW);
	img_put64(im, L1 + 32, 0x104000 | VTD_SL_R);
	img_put64(im, L1 + 40, 0x123000);
	img_put64(im, L1 + 48, 0x106000 | RW | VTD_SL_SNP);
	img_put64(im, L2 + 8, 0x200000 | RW | VTD_SL_PS);
	img_put64(im, L2 + 16, 0x8000000ull | RW);
	img_put64(im, L3 + 8, 0x40000000 | VTD_SL_R | VTD_SL_PS);
	return im;
}

static struct vtd_walk_cfg cfg3(void)
{
	struct vtd_walk_cfg c = { .hw = { .haw = 39, .mgaw = 39, .sagaw = 2, .sllps = 3 },
				  .root = L3, .levels = 3 };
	return c;
}

struct rec {
	int n;
	struct ptdbg_walk_event ev[64];
};

static int record(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct rec *r = ctx;
	if (r->n < 64)
		r->ev[r->n++] = *ev;
	return 0;
}

static void test_walk_events(void **state)
{
	struct img *im = sl_tables();
	struct vtd_walk_cfg c = cfg3();
	struct ptdbg_walk_result res;
	static struct rec r;
	r.n = 0;
	assert_int_equal(vtd_walk(im->mem, &c, record, &r, &res), 0);
	assert_int_equal(res.leaves, 8);
	assert_int_equal(res.absent, 1);
	assert_int_equal(res.read_errors, 1);
	assert_int_equal(res.nodes, 3);
	assert_false(res.partial);

	int i = 0;
	assert_int_equal(r.ev[i].kind, PTDBG_EV_NODE);    assert_int_equal(r.ev[i].level, 3);
	assert_int_equal(r.ev[i].size, 512 * G);        i++;
	assert_int_equal(r.ev[i].kind, PTDBG_EV_NODE);    assert_int_equal(r.ev[i].pa, L2); i++;
	assert_int_equal(r.ev[i].kind, PTDBG_EV_NODE);    assert_int_equal(r.ev[i].pa, L1); i++;
	for (int k = 0; k < 4; k++, i++) {
		assert_int_equal(r.ev[i].kind, PTDBG_EV_LEAF);
		assert_int_equal(r.ev[i].va, 0x1000 * k);
		assert_int_equal(r.ev[i].pa, 0x100000 + 0x1000 * k);
		assert_int_equal(r.ev[i].perm.flags, VTD_PERM_R | VTD_PERM_W);
	}
	assert_int_equal(r.ev[i].kind, PTDBG_EV_LEAF);    assert_int_equal(r.ev[i].perm.flags, VTD_PERM_R); i++;
	assert_int_equal(r.ev[i].kind, PTDBG_EV_ABSENT);  assert_int_equal(r.ev[i].entry, 0x123000); i++;
	assert_int_equal(r.ev[i].kind, PTDBG_EV_ANOMALY); assert_int_equal(r.ev[i].anomaly, PTDBG_AN_RESERVED);
	assert_int_equal(r.ev[i].detail, VTD_SL_SNP);   i++;
	assert_int_equal(r.ev[i].kind, PTDBG_EV_LEAF);
	assert_int_equal(r.ev[i].perm.flags, VTD_PERM_R | VTD_PERM_W | VTD_PERM_SNP | VTD_PERM_FAULTS); i++;
	assert_int_equal(r.ev[i].kind, PTDBG_EV_LEAF);    assert_int_equal(r.ev[i].size, M2);
	assert_int_equal(r.ev[i].va, M2);             assert_int_equal(r.ev[i].pa, 0x200000); i++;
	assert_int_equal(r.ev[i].kind, PTDBG_EV_ANOMALY); assert_int_equal(r.ev[i].anomaly, PTDBG_AN_READ_ERROR);
	assert_int_equal(r.ev[i].pa, 0x8000000);        i++;
	assert_int_equal(r.ev[i].kind, PTDBG_EV_LEAF);    assert_int_equal(r.ev[i].size, G);
	assert_int_equal(r.ev[i].va, G);              assert_int_equal(r.ev[i].perm.flags, VTD_PERM_R); i++;
	assert_int_equal(r.n, i);

	/* the IOVA filter skips whole subtrees */
	c.iova_filter = true;
	c.iova_first = G;
	c.iova_last = 2 * G - 1;
	r.n = 0;
	assert_int_equal(vtd_walk(im->mem, &c, record, &r, &res), 0);
	assert_int_equal(res.leaves, 1);
	assert_int_equal(res.nodes, 1);
	img_free(im);
}

static void test_map_printer(void **state)
{
	struct img *im = sl_tables();
	struct vtd_walk_cfg c = cfg3();
	struct vtd_map_printer p;
	char *s = CAPTURE({
		vtd_map_printer_init(&p, f, NULL);
		vtd_walk(im->mem, &c, vtd_map_printer_visit, &p, NULL);
		vtd_map_printer_flush(&p);
	});
	assert_string_equal(s,
		"0x000000000000-0x000000003fff -> 0x000000100000          4 4K R W -\n"
		"0x000000004000-0x000000004fff -> 0x000000104000          1 4K R - -\n"
		"0x000000005000 L1 absent entry 0x0000000000123000 (R=W=0, other bits set)\n"
		"0x000000006000 L1 reserved bits set: entry 0x0000000000106803 detail 0x800\n"
		"0x000000006000-0x000000006fff -> 0x000000106000          1 4K R W - SNP RSVD\n"
		"0x000000200000-0x0000003fffff -> 0x000000200000          1 2M R W -\n"
		"0x000000400000 L1 table unreadable: entry 0x0000000008000003 detail 0x1 table 0x8000000\n"
		"0x000040000000-0x00007fffffff -> 0x000040000000          1 1G R - -\n");
	free(s);
	s = CAPTURE({
		struct ptdbg_json *j = ptdbg_json_new(f);
		ptdbg_json_start_array(j);
		vtd_map_printer_init(&p, NULL, j);
		vtd_walk(im->mem, &c, vtd_map_printer_visit, &p, NULL);
		vtd_map_printer_flush(&p);
		ptdbg_json_end_array(j);
		ptdbg_json_free(j);
	});
	assert_non_null(strstr(s, "{\"type\":\"range\",\"start\":\"0x0000000000000000\",\"end\":\"0x0000000000004000\",\"size\":16384,"
				   "\"pa\":\"0x0000000000100000\",\"page_size\":4096,\"pages\":4,\"flags\":[\"R\",\"W\"]}"));
	assert_non_null(strstr(s, "\"anomaly\":\"table unreadable\""));
	free(s);
	img_free(im);
}

static void test_translate(void **state)
{
	struct img *im = sl_tables();
	struct vtd_walk_cfg c = cfg3();
	struct ptdbg_translation t;

	assert_int_equal(vtd_translate(im->mem, &c, 0, 0x1234, false, &t), 0);
	assert_int_equal(t.fault, 0);
	assert_int_equal(t.pa, 0x101234);
	assert_int_equal(t.page_size, 0x1000);
	assert_int_equal(t.nsteps, 3);
	assert_int_equal(t.step[0].entry_pa, L3);
	assert_int_equal(t.step[2].entry_pa, L1 + 8);
	assert_true(t.step[2].leaf);

	vtd_translate(im->mem, &c, 0, 0x4010, true, &t);        /* R-only page */
	assert_int_equal(t.fault, VTD_FR_WRITE);
	assert_int_equal(t.stop_level, 1);
	vtd_translate(im->mem, &c, 0, 0x4010, false, &t);
	assert_int_equal(t.fault, 0);
	vtd_translate(im->mem, &c, 0, 0x5000, false, &t);       /* R=W=0 */
	assert_int_equal(t.fault, VTD_FR_READ);
	vtd_translate(im->mem, &c, 0, 0x6000, false, &t);       /* SNP without SC */
	assert_int_equal(t.fault, VTD_FR_PT_RSVD);
	assert_int_equal(t.step[2].reserved, VTD_SL_SNP);
	c.hw.sc = true;
	vtd_translate(im->mem, &c, 0, 0x6000, false, &t);
	assert_int_equal(t.fault, 0);
	assert_int_equal(t.perm.flags & VTD_PERM_SNP, VTD_PERM_SNP);
	vtd_translate(im->mem, &c, 0, M2 + 0x12345, true, &t);  /* 2M page */
	assert_int_equal(t.pa, 0x212345);
	assert_int_equal(t.page_size, M2);
	vtd_translate(im->mem, &c, 0, 2 * M2, false, &t);       /* table unreadable */
	assert_int_equal(t.fault, VTD_FR_PT_ACCESS);
	assert_int_equal(t.step[2].err, PTDBG_EIO);
	vtd_translate(im->mem, &c, 0, G + 0xabc, false, &t);    /* 1G page */
	assert_int_equal(t.pa, 0x40000abc);
	vtd_translate(im->mem, &c, 0, 1ull << 39, false, &t);   /* beyond 39 bits */
	assert_int_equal(t.fault, VTD_FR_ADDR_BEYOND_AW);
	assert_int_equal(t.nsteps, 0);
	c.hw.mgaw = 36;                                         /* MGAW narrower */
	vtd_translate(im->mem, &c, 0, 1ull << 37, false, &t);
	assert_int_equal(t.fault, VTD_FR_ADDR_BEYOND_AW);
	c.hw.mgaw = 39;
	c.hw.sllps = 1;                                         /* no 1G pages */
	vtd_translate(im->mem, &c, 0, G, false, &t);
	assert_int_equal(t.fault, VTD_FR_PT_RSVD);
	c.hw.scalable = true;                                   /* scalable-mode codes */
	vtd_translate(im->mem, &c, 0, G, false, &t);
	assert_int_equal(t.fault, VTD_FR_SM_SL_RSVD);
	vtd_translate(im->mem, &c, 0, 0x5000, true, &t);
	assert_int_equal(t.fault, VTD_FR_SM_WRITE);
	vtd_translate(im->mem, &c, 0, 1ull << 39, false, &t);
	assert_int_equal(t.fault, VTD_FR_SM_ADDR_BEYOND);
	c.hw.legacy_reasons = true;                             /* what QEMU 7.2 records */
	vtd_translate(im->mem, &c, 0, 0x5000, true, &t);
	assert_int_equal(t.fault, VTD_FR_WRITE);
	img_free(im);
}

static void test_reserved_rules(void **state)
{
	struct vtd_hw hw = { .haw = 39 };
	/* address bits above the host width, bit 62 unless a leaf with DT */
	assert_int_equal(vtd_sl_reserved(&hw, (1ull << 40) | 3, 1, true), (1ull << 40));
	assert_int_equal(vtd_sl_reserved(&hw, VTD_SL_TM | 3, 1, true), VTD_SL_TM);
	hw.dt = true;
	assert_int_equal(vtd_sl_reserved(&hw, VTD_SL_TM | 3, 1, true), 0);
	assert_int_equal(vtd_sl_reserved(&hw, VTD_SL_TM | 3, 2, false), VTD_SL_TM);
	/* ignored bits are not reserved */
	assert_int_equal(vtd_sl_reserved(&hw, VTD_SL_IGNORED | 3, 1, true), 0);
	/* superpage low bits, PS in level-4 table entries, SNP */
	assert_int_equal(vtd_sl_reserved(&hw, 0x201000 | VTD_SL_PS | 3, 2, true), 0x1000);
	assert_int_equal(vtd_sl_reserved(&hw, 0x40200000 | VTD_SL_PS | 3, 3, true), 0x200000);
	assert_int_equal(vtd_sl_reserved(&hw, VTD_SL_PS | 3, 4, false), VTD_SL_PS);
	assert_int_equal(vtd_sl_reserved(&hw, VTD_SL_SNP | 3, 2, false), VTD_SL_SNP);
	hw.sc = true;
	assert_int_equal(vtd_sl_reserved(&hw, VTD_SL_SNP | 3, 1, true), 0);
	assert_int_equal(vtd_sl_reserved(&hw, VTD_SL_SNP | 3, 2, false), VTD_SL_SNP);
	hw.haw = 0; /* unknown: 52 bits */
	assert_int_equal(vtd_sl_reserved(&hw, (1ull << 51) | 3, 1, true), 0);
	assert_int_equal(vtd_sl_reserved(&hw, (1ull << 52) | 3, 1, true), 0); /* ignored */
}

static void test_levels_ps_recursion_budget(void **state)
{
	struct img *im = img_new();
	struct vtd_walk_cfg c = cfg3();
	struct ptdbg_walk_result res;
	static struct rec r;

	/* 4 levels: L4[0] PS=1 (not allowed), L4[1] -> L3 root; 5 levels: one more */
	img_put64(im, 0x30000, 0x40000000 | RW | VTD_SL_PS);
	img_put64(im, 0x30008, L3 | RW);
	img_put64(im, L3, 0x80000000 | RW | VTD_SL_PS);
	img_put64(im, 0x31000, 0x30000 | RW);
	c.levels = 4;
	c.root = 0x30000;
	r.n = 0;
	assert_int_equal(vtd_walk(im->mem, &c, record, &r, &res), 0);
	assert_int_equal(r.ev[1].kind, PTDBG_EV_ANOMALY);
	assert_int_equal(r.ev[1].anomaly, PTDBG_AN_TYPE_LEVEL);
	assert_int_equal(res.leaves, 1);                /* the 1G page under L4[1] */
	assert_int_equal(r.ev[r.n - 1].va, 512 * G);
	c.levels = 5;
	c.root = 0x31000;
	c.hw.mgaw = 57;
	c.hw.sagaw = 0x8;
	assert_int_equal(vtd_walk(im->mem, &c, record, &r, &res), 0);
	assert_int_equal(res.leaves, 1);
	struct ptdbg_translation t;
	vtd_translate(im->mem, &c, 0, 512 * G + 5, false, &t);
	assert_int_equal(t.fault, 0);
	assert_int_equal(t.pa, 0x80000005);
	assert_int_equal(t.nsteps, 3);
	vtd_translate(im->mem, &c, 0, 0, false, &t);
	assert_int_equal(t.fault, VTD_FR_PT_RSVD);      /* PS in an L4 entry */

	/* a table that points to itself: reported, bounded by the levels */
	img_put64(im, 0x40000, 0x40000 | RW);
	c.levels = 3;
	c.root = 0x40000;
	r.n = 0;
	assert_int_equal(vtd_walk(im->mem, &c, record, &r, &res), 0);
	assert_int_equal(res.anomalies, 2);             /* seen again at levels 2 and 1 */
	assert_int_equal(r.ev[1].anomaly, PTDBG_AN_RECURSIVE);
	assert_int_equal(res.leaves, 1);                /* the table, read as a 4K page */
	/* budget */
	c.root = L3;
	img_put64(im, L3, L2 | RW);
	for (int i = 0; i < 512; i++)
		img_put64(im, L2 + 8 * i, (0x100000ull + (uint64_t)i * M2) | RW | VTD_SL_PS);
	c.max_leaves = 10;
	assert_int_equal(vtd_walk(im->mem, &c, record, &r, &res), 0);
	assert_true(res.partial);
	assert_int_equal(res.leaves, 10);
	c.max_leaves = 0;
	c.max_nodes = 1;
	assert_int_equal(vtd_walk(im->mem, &c, record, &r, &res), 0);
	assert_true(res.partial);
	/* visitor stop */
	c.max_nodes = 0;
	assert_int_equal(vtd_walk(im->mem, &c, NULL, NULL, &res), PTDBG_EINVAL);
	c.levels = 6;
	assert_int_equal(vtd_walk(im->mem, &c, record, &r, &res), PTDBG_EINVAL);
	img_free(im);
}

/* The path is valid during the callback: check it there. */
static int check_path(void *ctx, const struct ptdbg_walk_event *ev)
{
	if (ev->kind == PTDBG_EV_LEAF && ev->level == 1) {
		assert_int_equal(ev->path->top, 3);
		assert_int_equal(ev->path->lv[3].entry, L2 | RW);
		assert_int_equal(ev->path->lv[2].table_pa, L2);
		assert_int_equal(ev->path->lv[1].index, ev->va >> 12);
		(*(int *)ctx)++;
	}
	return 0;
}

static void test_path(void **state)
{
	struct img *im = sl_tables();
	struct vtd_walk_cfg c = cfg3();
	int n = 0;
	assert_int_equal(vtd_walk(im->mem, &c, check_path, &n, NULL), 0);
	assert_int_equal(n, 6);
	img_free(im);
}

static int stop_at_leaf(void *ctx, const struct ptdbg_walk_event *ev)
{
	return ev->kind == PTDBG_EV_LEAF ? 42 : 0;
}

static void test_visitor_stop(void **state)
{
	struct img *im = sl_tables();
	struct vtd_walk_cfg c = cfg3();
	struct ptdbg_walk_result res;
	assert_int_equal(vtd_walk(im->mem, &c, stop_at_leaf, NULL, &res), 42);
	assert_true(res.partial);
	assert_int_equal(res.leaves, 1);
	img_free(im);
}

/* End to end: context entry -> walk, printed as a trace. */
static void test_translate_dev_trace(void **state)
{
	struct img *im = sl_tables();
	struct vtd_hw hw = { .haw = 39, .mgaw = 39, .sagaw = 2, .sllps = 3 };
	struct vtd_dev_translation t;
	img_put64(im, 0x10000, 0x11000 | 1);
	img_put64(im, 0x11100, L3 | VTD_CTX_P | VTD_CTX_FPD);
	img_put64(im, 0x11108, (3ull << 8) | 1);

	assert_int_equal(vtd_translate_dev(im->mem, &hw, 0x10000, 0x0010, VTD_NO_PASID, 0x2008,
					   true, &t), 0);
	assert_true(t.translated);
	assert_int_equal(t.pa, 0x102008);
	char *s = CAPTURE(vtd_translation_print(f, &t));
	assert_non_null(strstr(s, "  write IOVA 0x2008, 3 levels\n"
				  "  L3 table 0x20000 [  0] @0x20000: 0000000000021003 R W ADDR=0x21000\n"
				  "  L2 table 0x21000 [  0] @0x21000: 0000000000022003 R W ADDR=0x22000\n"
				  "  L1 table 0x22000 [  2] @0x22010: 0000000000102003 R W EMT=0 ADDR=0x102000 (leaf)\n"
				  "  -> 0x102008 (4K page) R W -\n"));
	free(s);

	vtd_translate_dev(im->mem, &hw, 0x10000, 0x0010, VTD_NO_PASID, 0x4000, true, &t);
	assert_false(t.translated);
	assert_int_equal(t.reason, VTD_FR_WRITE);
	s = CAPTURE(vtd_translation_print(f, &t));
	assert_non_null(strstr(s, "stops at level 1: fault reason 0x05 (write without write permission) -- not recorded, FPD=1"));
	free(s);
	s = CAPTURE({
		struct ptdbg_json *j = ptdbg_json_new(f);
		vtd_translation_json(j, &t);
		ptdbg_json_free(j);
	});
	assert_non_null(strstr(s, "\"fault_reason\":5"));
	assert_non_null(strstr(s, "\"stop_level\":1"));
	assert_non_null(strstr(s, "\"fpd\":true"));
	free(s);

	vtd_translate_dev(im->mem, &hw, 0x10000, 0x0018, VTD_NO_PASID, 0, false, &t);
	assert_int_equal(t.reason, VTD_FR_CTX_P);
	img_free(im);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_events),
		cmocka_unit_test(test_map_printer),
		cmocka_unit_test(test_translate),
		cmocka_unit_test(test_reserved_rules),
		cmocka_unit_test(test_levels_ps_recursion_budget),
		cmocka_unit_test(test_visitor_stop),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_translate_dev_trace),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
