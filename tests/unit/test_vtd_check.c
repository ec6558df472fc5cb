/* SPDX-License-Identifier: MIT */
/* Unit tests: the VT-d checks (vtd_check.c) over synthetic tables, registers and
 * debug-region records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_vtd_image.h"
#include "vtd/vtd_check.h"
#include "vtd/vtd_fault.h"
#include "vtd/vtd_snap.h"

#define ROOT 0x10000ull
#define CTXT 0x11000ull
#define L3   0x20000ull
#define L2   0x21000ull
#define L1   0x22000ull
#define RW   (VTD_SL_R | VTD_SL_W)
#define EDU  0x0008u   /* 00:01.0 */
#define DEV2 0x0010u   /* 00:02.0 */
#define G    (1ull << 30)

/*
 * Legacy tables: bus 0 -> context table; 00:01.0 -> domain 5, AW 39 (3 levels),
 * table L3 -> L2 -> L1 with IOVA 0x100000 RW -> PA 0x100000, 0x101000 R -> 0x101000,
 * 0x102000 RW -> 0x300000 (not identity). extra_ctx_lo/hi: 00:02.0's context.
 */
static struct img *tables(uint64_t ctx2_lo, uint64_t ctx2_hi)
{
	struct img *im = img_new();
	img_put64(im, ROOT, CTXT | 1);
	img_put64(im, CTXT + 8 * 16, L3 | 1);
	img_put64(im, CTXT + 8 * 16 + 8, (5u << 8) | 1);
	img_put64(im, CTXT + 16 * 16, ctx2_lo);
	img_put64(im, CTXT + 16 * 16 + 8, ctx2_hi);
	img_put64(im, L3, L2 | RW);
	img_put64(im, L2, L1 | RW);
	img_put64(im, L1 + 0x100 * 8, 0x100000 | RW);
	img_put64(im, L1 + 0x101 * 8, 0x101000 | VTD_SL_R);
	img_put64(im, L1 + 0x102 * 8, 0x300000 | RW);
	return im;
}

static const struct vtd_hw hw39 = { .haw = 39, .mgaw = 39, .sagaw = 2, .sllps = 3, .pt = true };

struct run {
	struct ptdbg_findings fl;
	struct vtd_checker *c;
};

/* Feed the checker what iommudump check feeds it: each listed device's lookup and
 * the walk of its table. */
static void feed_devices(struct run *r, struct img *im, const uint16_t *bdfs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct vtd_dev_lookup l;
		assert_int_equal(vtd_dev_lookup(im->mem, &hw39, ROOT, bdfs[i], VTD_NO_PASID, &l), 0);
		if (l.reason == VTD_FR_CTX_P)
			continue;
		vtd_checker_device(r->c, &l);
		if (l.xlate != VTD_XL_SECOND_LEVEL || l.reason)
			continue;
		struct vtd_walk_cfg cfg;
		vtd_walk_cfg_from_lookup(&cfg, &hw39, &l);
		cfg.leaf_runs = true; /* as iommudump check walks */
		vtd_checker_begin(r->c, &l);
		assert_int_equal(vtd_walk(im->mem, &cfg, vtd_checker_visit, r->c, NULL), 0);
		vtd_checker_end(r->c);
	}
}

static void run_start(struct run *r, uint64_t ram_end)
{
	memset(r, 0, sizeof(*r));
	struct vtd_check_opts o = { .out = &r->fl, .ram_end = ram_end, .ram_source = "frame metadata" };
	r->c = vtd_checker_new(&o);
	assert_non_null(r->c);
}

static void run_end(struct run *r)
{
	vtd_checker_finish(r->c);
	vtd_checker_free(r->c);
	ptdbg_findings_sort(&r->fl);
}

/* Number of findings of kind k; *msg gets the first one's message. */
static int count(const struct run *r, const char *k, const char **msg)
{
	int n = 0;
	for (size_t i = 0; i < r->fl.n; i++)
		if (!strcmp(r->fl.v[i].kind, k)) {
			if (!n && msg)
				*msg = r->fl.v[i].msg;
			n++;
		}
	return n;
}

static struct ptdbg_domain domain(uint16_t bdf, uint64_t win_end)
{
	struct ptdbg_domain d = { .bdf = bdf, .did = 5, .aw_bits = 39, .levels = 3, .root = L3,
				  .win_start = 0, .win_end = win_end };
	strcpy(d.name, "edu");
	return d;
}

/* shared/BUGS.md 1: a 4 GiB window under a 39-bit context with RAM to 10 GiB; the
 * buffer at 8 GiB was refused. */
static void test_seed_window_4g(void **state)
{
	(void)state;
	struct img *im = tables(0, 0);
	struct run r;
	run_start(&r, 10 * G);
	struct ptdbg_domain d = domain(EDU, 4 * G);
	struct ptdbg_dma_buf b[] = {
		{ EDU, PTDBG_DMA_FROM_DEVICE, PTDBG_DMA_MAPPED, 0x100000, 0x100000, 0x1000 },
		{ EDU, PTDBG_DMA_FROM_DEVICE, PTDBG_DMA_REFUSED, 0x200000000ull, 0x200000000ull, 0x1000 },
	};
	assert_int_equal(vtd_checker_region(r.c, PTDBG_IOMMU_LEGACY, &d, 1, b, 2), 0);
	uint16_t devs[] = { EDU };
	feed_devices(&r, im, devs, 1);
	run_end(&r);
	const char *msg = NULL;
	assert_int_equal(count(&r, "window-narrower-than-aw", &msg), 1);
	assert_non_null(strstr(msg, "39-bit"));
	assert_non_null(strstr(msg, "4 GiB"));
	assert_int_equal(count(&r, "dma-out-of-range", &msg), 1);
	assert_non_null(strstr(msg, "0x200000000"));
	assert_non_null(strstr(msg, "refused"));
	assert_int_equal(r.fl.n, 2);
	assert_string_equal(r.fl.v[0].space, "00:01.0 edu");
	ptdbg_findings_free(&r.fl);
	img_free(im);
}

/* The fix: a window as wide as the address width; the same buffers give nothing. */
static void test_seed_fixed(void **state)
{
	(void)state;
	struct img *im = tables(0, 0);
	struct run r;
	run_start(&r, 10 * G);
	struct ptdbg_domain d = domain(EDU, 1ull << 39);
	struct ptdbg_dma_buf b[] = {
		{ EDU, PTDBG_DMA_FROM_DEVICE, PTDBG_DMA_MAPPED, 0x100000, 0x100000, 0x1000 },
		{ EDU, PTDBG_DMA_TO_DEVICE, PTDBG_DMA_MAPPED, 0x101000, 0x101000, 0x800 },
	};
	assert_int_equal(vtd_checker_region(r.c, PTDBG_IOMMU_LEGACY, &d, 1, b, 2), 0);
	uint16_t devs[] = { EDU };
	feed_devices(&r, im, devs, 1);
	run_end(&r);
	assert_int_equal(r.fl.n, 0);
	ptdbg_findings_free(&r.fl);
	img_free(im);
}

/* No RAM above the window: a narrow window is not a finding. Above the AW: out of range. */
static void test_window_without_ram_above(void **state)
{
	(void)state;
	struct img *im = tables(0, 0);
	struct run r;
	run_start(&r, 2 * G);
	struct ptdbg_domain d = domain(EDU, 4 * G);
	struct ptdbg_dma_buf b = { EDU, PTDBG_DMA_TO_DEVICE, PTDBG_DMA_REFUSED, 1ull << 39, 0x1000, 0x1000 };
	assert_int_equal(vtd_checker_region(r.c, PTDBG_IOMMU_LEGACY, &d, 1, &b, 1), 0);
	uint16_t devs[] = { EDU };
	feed_devices(&r, im, devs, 1);
	run_end(&r);
	const char *msg = NULL;
	assert_int_equal(count(&r, "window-narrower-than-aw", NULL), 0);
	assert_int_equal(count(&r, "dma-out-of-range", &msg), 1);
	assert_non_null(strstr(msg, "above the context's 39-bit address width"));
	ptdbg_findings_free(&r.fl);
	img_free(im);
}

/* Mapped buffers the table does not translate as registered. */
static void test_dma_unmapped(void **state)
{
	(void)state;
	struct img *im = tables(0, 0);
	struct run r;
	run_start(&r, 0);
	struct ptdbg_domain d = domain(EDU, 1ull << 39);
	struct ptdbg_dma_buf b[] = {
		{ EDU, PTDBG_DMA_TO_DEVICE, PTDBG_DMA_MAPPED, 0x104000, 0x104000, 0x1000 },   /* absent */
		{ EDU, PTDBG_DMA_TO_DEVICE, PTDBG_DMA_MAPPED, 0x102000, 0x102000, 0x1000 },   /* elsewhere */
		{ EDU, PTDBG_DMA_FROM_DEVICE, PTDBG_DMA_MAPPED, 0x101000, 0x101000, 0x1000 }, /* no W */
		{ EDU, PTDBG_DMA_BIDIR, PTDBG_DMA_MAPPED, 0x100000, 0x100000, 0x3000 },       /* partly */
		{ EDU, PTDBG_DMA_TO_DEVICE, PTDBG_DMA_UNMAPPED, 0x100000, 0x100000, 0x1000 }, /* stale */
		{ EDU, PTDBG_DMA_TO_DEVICE, PTDBG_DMA_UNREGISTERED, 0x200000, 0x200000, 0x1000 },
	};
	assert_int_equal(vtd_checker_region(r.c, PTDBG_IOMMU_LEGACY, &d, 1, b, 6), 0);
	uint16_t devs[] = { EDU };
	feed_devices(&r, im, devs, 1);
	run_end(&r);
	assert_int_equal(count(&r, "dma-unmapped", NULL), 4);
	for (size_t i = 0; i < r.fl.n; i++) {
		const struct ptdbg_finding *f = &r.fl.v[i];
		if (strcmp(f->kind, "dma-unmapped"))
			continue;
		if (f->addr == 0x104000)
			assert_non_null(strstr(f->msg, "IOVA 0x104000 is not translated"));
		else if (f->addr == 0x102000)
			assert_non_null(strstr(f->msg, "translates to PA 0x300000, not 0x102000"));
		else if (f->addr == 0x101000)
			assert_non_null(strstr(f->msg, "needs W"));
		else
			assert_int_equal(f->addr, 0x100000);
	}
	assert_int_equal(count(&r, "dma-stale", NULL), 1);
	assert_int_equal(count(&r, "dma-unregistered", NULL), 1);
	ptdbg_findings_free(&r.fl);
	img_free(im);
}

/* FPD, reserved bits in a context and in a leaf, an invalid context, domain records. */
static void test_entries(void **state)
{
	(void)state;
	/* 00:02.0: FPD=1, AW 2 (48-bit) which SAGAW does not list: invalid. */
	struct img *im = tables(L3 | VTD_CTX_FPD | 1, (6u << 8) | 2);
	img_put64(im, L1 + 0x103 * 8, 0x103000 | RW | (1ull << 45));
	img_put64(im, L1 + 0x104 * 8, 0x104000 | RW | (1ull << 45));
	struct run r;
	run_start(&r, 0);
	struct ptdbg_domain d[] = { domain(EDU, 1ull << 39), domain(0x0018, 1ull << 39) };
	d[0].did = 9; /* the kernel thinks domain 9 */
	assert_int_equal(vtd_checker_region(r.c, PTDBG_IOMMU_LEGACY, d, 2, NULL, 0), 0);
	uint16_t devs[] = { EDU, DEV2, 0x0018 };
	feed_devices(&r, im, devs, 3);
	run_end(&r);
	const char *msg = NULL;
	assert_int_equal(count(&r, "fpd-set", NULL), 1);
	assert_int_equal(count(&r, "context-invalid", NULL), 1);
	assert_int_equal(count(&r, "reserved-bits", &msg), 1); /* two entries, one run */
	assert_non_null(strstr(msg, "0x200000000000"));
	for (size_t i = 0; i < r.fl.n; i++)
		if (!strcmp(r.fl.v[i].kind, "reserved-bits"))
			assert_int_equal(r.fl.v[i].size, 0x2000);
	assert_int_equal(count(&r, "domain-mismatch", &msg), 1);
	assert_non_null(strstr(msg, "domain id 9 vs 5"));
	assert_int_equal(count(&r, "domain-not-present", NULL), 1);

	/* Reserved bits in a context entry stop the lookup. */
	img_put64(im, CTXT + 16 * 16 + 8, (6u << 8) | 1 | (1ull << 40));
	struct run r2;
	run_start(&r2, 0);
	uint16_t dev2[] = { DEV2 };
	feed_devices(&r2, im, dev2, 1);
	run_end(&r2);
	assert_int_equal(count(&r2, "reserved-bits", &msg), 1);
	assert_non_null(strstr(msg, "context entry has reserved bits"));
	ptdbg_findings_free(&r.fl);
	ptdbg_findings_free(&r2.fl);
	img_free(im);
}

/* Pending faults from the registers, decoded, tied to the buffer they hit. */
static void test_faults_and_unit(void **state)
{
	(void)state;
	static struct vtd_regs regs;
	memset(&regs, 0, sizeof(regs));
	regs.val[vtd_reg_index(VTD_REG_VER)] = 0x10;
	regs.val[vtd_reg_index(VTD_REG_FSTS)] = VTD_FSTS_PPF | VTD_FSTS_PFO;
	regs.nfrcd = 2;
	regs.frcd[0][0] = 0x6000;
	regs.frcd[0][1] = VTD_FRCD_F | (5ull << 32) | EDU;     /* write, reason 5 */
	regs.frcd[1][0] = 0x9000;
	regs.frcd[1][1] = 0;                                    /* empty */
	struct run r;
	run_start(&r, 0);
	vtd_checker_unit(r.c, &regs);
	struct ptdbg_domain d = domain(EDU, 1ull << 39);
	struct ptdbg_dma_buf b = { EDU, PTDBG_DMA_FROM_DEVICE, PTDBG_DMA_UNREGISTERED, 0x6000, 0x6000, 0x100 };
	assert_int_equal(vtd_checker_region(r.c, PTDBG_IOMMU_LEGACY, &d, 1, &b, 1), 0);
	run_end(&r);
	const char *msg = NULL;
	assert_int_equal(count(&r, "fault-pending", &msg), 2); /* the record and the overflow */
	int seen = 0;
	for (size_t i = 0; i < r.fl.n; i++) {
		const struct ptdbg_finding *f = &r.fl.v[i];
		if (!strcmp(f->kind, "fault-pending") && f->addr == 0x6000) {
			assert_non_null(strstr(f->msg, "write at 0x6000: reason 0x05 (write without write permission)"));
			assert_non_null(strstr(f->msg, "unregistered"));
			assert_string_equal(f->space, "00:01.0 edu");
			seen++;
		}
	}
	assert_int_equal(seen, 1);
	/* GSTS.TES=0 while the kernel says legacy mode */
	assert_int_equal(count(&r, "translation-disabled", NULL), 1);
	/* no context was seen for the kernel's domain */
	assert_int_equal(count(&r, "domain-not-present", NULL), 1);
	ptdbg_findings_free(&r.fl);
}

/* The snapshot writer records the leaves of a walk, coalesced, with VT-d attributes. */
static void test_snapshot(void **state)
{
	(void)state;
	struct img *im = tables(0, 0);
	struct vtd_walk_cfg cfg = { .hw = hw39, .root = L3, .levels = 3 };
	struct ptdbg_snapshot s = { .format = PTDBG_SNAP_VTD };
	assert_int_equal(vtd_snap_space(&s, im->mem, &cfg, "00:01.0", NULL), 0);
	assert_int_equal(s.nspaces, 1);
	assert_int_equal(s.spaces[0].kind, PTDBG_AS_DEVICE);
	assert_int_equal(s.spaces[0].n, 3);
	assert_int_equal(s.spaces[0].r[0].va, 0x100000);
	assert_int_equal(s.spaces[0].r[0].attrs & (VTD_PERM_R | VTD_PERM_W), VTD_PERM_R | VTD_PERM_W);
	assert_int_equal(s.spaces[0].r[1].attrs & VTD_PERM_W, 0);
	char buf[64];
	vtd_snap_attr_name(VTD_PERM_R | VTD_PERM_W, buf, sizeof(buf));
	assert_non_null(strstr(buf, "R"));
	assert_non_null(strstr(buf, "W"));
	ptdbg_snap_free(&s);
	img_free(im);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_window_4g),
		cmocka_unit_test(test_seed_fixed),
		cmocka_unit_test(test_window_without_ram_above),
		cmocka_unit_test(test_dma_unmapped),
		cmocka_unit_test(test_entries),
		cmocka_unit_test(test_faults_and_unit),
		cmocka_unit_test(test_snapshot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
