/* SPDX-License-Identifier: MIT */
/*
 * Unit tests: the walker frame itself (walk/frame.c, walk/bits.c), with a toy decoder
 * shaped like AArch64's: 16 KiB tables of 2048 entries spanning four pages, a root of
 * 64 entries smaller than a page, a space at a high base address with no sign
 * extension, blocks refused at some levels, and a hierarchical no-write bit that
 * lives in table entries and combines down the path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_vtd_image.h"
#include "out/json.h"
#include "out/snapshot.h"
#include "walk/bits.h"
#include "walk/dump.h"
#include "walk/frame.h"

/* The toy format: bits 1:0 = 3 table (page at level 1), 1 block; bit 50 reserved;
 * bit 62 in a table entry: nothing below is writable; bit 7 in a leaf: read-only. */
#define T_VALID   0x3ull
#define T_BLOCK   0x1ull
#define T_RSVD    (1ull << 50)
#define T_NOWRITE (1ull << 62)
#define T_RO      (1ull << 7)
#define T_ADDR    0x0000fffffffff000ull
#define F_W       1u
#define F_RSVD    2u

static void toy_entry(const struct ptdbg_walk_space *sp, unsigned level, uint64_t e,
		      struct ptdbg_entry *out)
{
	memset(out, 0, sizeof(*out));
	if ((e & 3) == 0 || (e & 3) == 2) {
		out->kind = PTDBG_ENT_ABSENT;
		return;
	}
	bool leaf = level == 1 || (e & 3) == T_BLOCK;
	out->kind = leaf ? PTDBG_ENT_LEAF : PTDBG_ENT_TABLE;
	out->addr = e & T_ADDR;
	if (leaf)
		out->addr &= ~(ptdbg_level_span(sp, level) - 1);
	out->reserved = e & T_RSVD;
	if (level == 1 && (e & 3) == T_BLOCK) { /* no blocks at the page level */
		out->bad_type = T_BLOCK;
		out->bad_detail = level;
		out->refused = true;
	}
}

static void toy_perm(const struct ptdbg_walk_space *sp, unsigned level, uint64_t e,
		     uint64_t up_and, uint64_t up_or, bool faults, struct ptdbg_perm *out)
{
	memset(out, 0, sizeof(*out));
	out->access = PTDBG_P_KR;
	if (!(up_or & T_NOWRITE) && !(e & T_RO)) {
		out->flags |= F_W;
		out->access |= PTDBG_P_KW;
	}
	if (faults) {
		out->flags |= F_RSVD;
		out->access |= PTDBG_P_FAULTS;
	}
}

static bool toy_allows(const struct ptdbg_walk_space *sp, const struct ptdbg_perm *p, unsigned acc)
{
	return !(acc & PTDBG_ACC_WRITE) || (p->flags & F_W);
}

static uint32_t toy_fault(const struct ptdbg_walk_space *sp, enum ptdbg_stop stop, unsigned level,
			  unsigned acc)
{
	return stop ? 0x100u * stop + level : 0;
}

static const char *toy_level(unsigned level)
{
	return level == 1 ? "L3" : "L2";
}

static const struct ptdbg_decoder toy = {
	.name = "toy", .addr_word = "va",
	.entry = toy_entry, .perm = toy_perm, .allows = toy_allows, .fault = toy_fault,
	.level_name = toy_level, .entry_name = toy_level,
	.anomaly_names = { [PTDBG_AN_RESERVED] = "reserved" },
};

#define BASE  0xffffffff80000000ull   /* a 31-bit space at the top, as TTBR1 */
#define ROOT  0x10200ull              /* 64 entries: 512 bytes inside a page */
#define L1A   0x20000ull              /* 2048 entries: four pages */
#define L1B   0x30000ull
#define PG    (16ull << 10)
#define BLK   (32ull << 20)

static void toy_space(struct ptdbg_walk_space *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->dec = &toy;
	sp->root = ROOT;
	sp->top = 2;
	sp->lv[1].shift = 14;
	sp->lv[1].index_bits = 11;
	sp->lv[2].shift = 25;
	sp->lv[2].index_bits = 6;
	sp->va_bits = 31;
	sp->va_base = BASE;
}

static struct img *toy_tables(void)
{
	struct img *im = img_new();
	img_put64(im, ROOT + 0 * 8, L1A | T_VALID);
	img_put64(im, ROOT + 1 * 8, 0x4000000ull | T_BLOCK);          /* a 32 MiB block */
	img_put64(im, ROOT + 2 * 8, L1B | T_VALID | T_NOWRITE);        /* no write below */
	img_put64(im, ROOT + 3 * 8, 0x2);                              /* absent, nonzero */
	img_put64(im, ROOT + 5 * 8, L1A | T_VALID | T_RSVD);           /* shared, reserved */
	img_put64(im, L1A + 0 * 8, 0x100000ull | T_VALID);
	img_put64(im, L1A + 1500 * 8, 0x200000ull | T_VALID);          /* in the third page */
	img_put64(im, L1B + 7 * 8, 0x300000ull | T_VALID);
	img_put64(im, L1B + 8 * 8, 0x304000ull | T_BLOCK);             /* refused here */
	return im;
}

struct rec {
	int n;
	struct ptdbg_walk_event ev[64];
	unsigned index[64];  /* the event's index in its table (the path is live only
				during the callback) */
};

static int record(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct rec *r = ctx;
	if (r->n < 64) {
		r->index[r->n] = ev->path->lv[ev->level].index;
		r->ev[r->n++] = *ev;
	}
	return 0;
}

static void test_geometry_and_events(void **state)
{
	struct img *im = toy_tables();
	struct ptdbg_walk_space sp;
	struct ptdbg_walk_result res;
	static struct rec r;
	int i = 0;

	toy_space(&sp);
	r.n = 0;
	assert_int_equal(ptdbg_walk(im->mem, &sp, NULL, record, &r, &res), 0);
	assert_int_equal(r.ev[i].kind, PTDBG_EV_NODE);
	assert_int_equal(r.ev[i].va, BASE);
	assert_int_equal(r.ev[i].size, 1ull << 31);
	assert_int_equal(r.ev[i].pa, ROOT); i++;
	assert_int_equal(r.ev[i].kind, PTDBG_EV_NODE);
	assert_int_equal(r.ev[i].size, BLK); i++;
	assert_int_equal(r.ev[i].kind, PTDBG_EV_LEAF);
	assert_int_equal(r.ev[i].va, BASE);
	assert_int_equal(r.ev[i].size, PG);
	assert_int_equal(r.ev[i].perm.flags, F_W); i++;
	assert_int_equal(r.ev[i].kind, PTDBG_EV_LEAF);
	assert_int_equal(r.ev[i].va, BASE + 1500 * PG);
	assert_int_equal(r.ev[i].pa, 0x200000);
	assert_int_equal(r.index[i], 1500); i++;
	assert_int_equal(r.ev[i].kind, PTDBG_EV_LEAF);              /* the block */
	assert_int_equal(r.ev[i].va, BASE + BLK);
	assert_int_equal(r.ev[i].size, BLK);
	assert_int_equal(r.ev[i].level, 2); i++;
	assert_int_equal(r.ev[i].kind, PTDBG_EV_NODE); i++;          /* L1B */
	assert_int_equal(r.ev[i].kind, PTDBG_EV_LEAF);
	assert_int_equal(r.ev[i].perm.flags, 0); i++;               /* no write from above */
	assert_int_equal(r.ev[i].kind, PTDBG_EV_ANOMALY);
	assert_int_equal(r.ev[i].anomaly, PTDBG_AN_TYPE_LEVEL);      /* a block at level 1 */
	assert_int_equal(r.ev[i].detail, 1); i++;
	assert_int_equal(r.ev[i].kind, PTDBG_EV_ABSENT);
	assert_int_equal(r.ev[i].va, BASE + 3 * BLK); i++;
	assert_int_equal(r.ev[i].kind, PTDBG_EV_ANOMALY);
	assert_int_equal(r.ev[i].anomaly, PTDBG_AN_RESERVED);
	assert_int_equal(r.ev[i].detail, T_RSVD); i++;
	assert_int_equal(r.ev[i].kind, PTDBG_EV_NODE);
	assert_int_equal(r.ev[i].flags, PTDBG_NODE_SHARED); i++;
	assert_int_equal(r.ev[i].kind, PTDBG_EV_LEAF);
	assert_int_equal(r.ev[i].va, BASE + 5 * BLK);
	assert_int_equal(r.ev[i].perm.flags, F_W | F_RSVD);
	assert_true(r.ev[i].perm.access & PTDBG_P_FAULTS); i++;
	assert_int_equal(r.ev[i].kind, PTDBG_EV_LEAF); i++;
	assert_int_equal(r.n, i);
	assert_int_equal(res.nodes, 4);
	assert_int_equal(res.distinct_nodes, 3);
	assert_int_equal(res.leaves, 6);
	assert_int_equal(res.absent, 1);
	assert_int_equal(res.anomalies, 2);
	assert_false(res.partial);
	img_free(im);
}

static void test_filter_budget_translate(void **state)
{
	struct img *im = toy_tables();
	struct ptdbg_walk_space sp;
	struct ptdbg_walk_result res;
	struct ptdbg_translation t;
	static struct rec r;

	toy_space(&sp);
	/* the filter: only the page at index 1500 of the first table */
	struct ptdbg_walk_opts o = { .va_filter = true, .va_first = BASE + 1500 * PG,
				     .va_last = BASE + 1500 * PG + 1 };
	r.n = 0;
	assert_int_equal(ptdbg_walk(im->mem, &sp, &o, record, &r, &res), 0);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.ev[2].pa, 0x200000);
	/* budgets */
	o = (struct ptdbg_walk_opts){ .max_leaves = 2 };
	assert_int_equal(ptdbg_walk(im->mem, &sp, &o, NULL, NULL, &res), 0);
	assert_true(res.partial);
	assert_true(res.budget_hit);
	assert_int_equal(res.leaves, 2);
	o = (struct ptdbg_walk_opts){ .max_nodes = 2 };
	assert_int_equal(ptdbg_walk(im->mem, &sp, &o, NULL, NULL, &res), 0);
	assert_int_equal(res.nodes, 2);
	assert_true(res.partial);
	/* translation */
	assert_int_equal(ptdbg_translate(im->mem, &sp, BASE + 1500 * PG + 0x123, PTDBG_ACC_WRITE, &t), 0);
	assert_int_equal(t.stop, PTDBG_STOP_OK);
	assert_int_equal(t.pa, 0x200123);
	assert_int_equal(t.nsteps, 2);
	assert_int_equal(t.step[1].index, 1500);
	assert_int_equal(t.step[1].entry_pa, L1A + 1500 * 8);
	assert_int_equal(ptdbg_translate(im->mem, &sp, BASE + BLK + 0x54321, 0, &t), 0);
	assert_int_equal(t.pa, 0x4054321);
	assert_int_equal(t.page_size, BLK);
	ptdbg_translate(im->mem, &sp, BASE + 2 * BLK + 7 * PG, PTDBG_ACC_WRITE, &t);
	assert_int_equal(t.stop, PTDBG_STOP_PROTECTION);
	assert_int_equal(t.fault, 0x100u * PTDBG_STOP_PROTECTION + 1);
	ptdbg_translate(im->mem, &sp, BASE + 2 * BLK + 8 * PG, 0, &t);
	assert_int_equal(t.stop, PTDBG_STOP_RESERVED);              /* refused type */
	ptdbg_translate(im->mem, &sp, BASE + 3 * BLK, 0, &t);
	assert_int_equal(t.stop, PTDBG_STOP_NOT_PRESENT);
	assert_int_equal(t.stop_level, 2);
	ptdbg_translate(im->mem, &sp, BASE - 1, 0, &t);
	assert_int_equal(t.stop, PTDBG_STOP_RANGE);
	assert_int_equal(t.nsteps, 0);
	/* reading through a virtual address, across pages of different tables */
	uint8_t buf[32];
	int link;
	im->buf[0x103ff0] = 0xab;
	ptdbg_mem_invalidate(im->mem);
	assert_int_equal(ptdbg_read_virt(im->mem, &sp, BASE + 0x3ff0, 0, buf, 16, &t, &link), 16);
	assert_int_equal(buf[0], 0xab);
	assert_int_equal(t.stop, PTDBG_STOP_OK);
	assert_int_equal(ptdbg_read_virt(im->mem, &sp, BASE + PG - 8, 0, buf, 32, &t, &link), 8);
	assert_int_equal(t.stop, PTDBG_STOP_NOT_PRESENT);
	assert_int_equal(link, 0);
	img_free(im);
}

/* ---- leaf runs: the same leaves, whether a visitor takes them one by one or in runs ---- */

/* The snapshot of sp walked with o, its leaves in runs or not: the same records. */
static void same_snapshot(struct img *im, const struct ptdbg_walk_space *sp, struct ptdbg_walk_opts o)
{
	struct ptdbg_snapshot a = { 0 }, b = { 0 };
	struct ptdbg_snap_space *sa = ptdbg_snap_add_space(&a, "toy", 0, 2, ROOT);
	struct ptdbg_snap_space *sb = ptdbg_snap_add_space(&b, "toy", 0, 2, ROOT);
	assert_non_null(sa);
	assert_non_null(sb);
	o.leaf_runs = false;
	assert_int_equal(ptdbg_walk(im->mem, sp, &o, ptdbg_snap_visit, sa, NULL), 0);
	o.leaf_runs = true;
	assert_int_equal(ptdbg_walk(im->mem, sp, &o, ptdbg_snap_visit, sb, NULL), 0);
	assert_true(sa->n > 0);
	assert_int_equal(sa->n, sb->n);
	for (size_t i = 0; i < sa->n; i++) {
		const struct ptdbg_snap_range *x = &sa->r[i], *y = &sb->r[i];
		if (x->va != y->va || x->size != y->size || x->pa != y->pa || x->attrs != y->attrs ||
		    x->level != y->level || x->memtype != y->memtype || x->pkey != y->pkey)
			fail_msg("record %zu: %#llx+%#llx -> %#llx against %#llx+%#llx -> %#llx", i,
				 (unsigned long long)x->va, (unsigned long long)x->size, (unsigned long long)x->pa,
				 (unsigned long long)y->va, (unsigned long long)y->size, (unsigned long long)y->pa);
	}
	ptdbg_snap_free(&a);
	ptdbg_snap_free(&b);
}

static const struct ptdbg_bit toy_perm_rows[] = {
	PTDBG_FLAG(F_W, "RW", "ro"),
	PTDBG_FLAG(F_RSVD, "RSVD", NULL),
};
static PTDBG_BIT_TABLE(toy_perm_bits, "toy perm", toy_perm_rows);

/* The toy space with a plain rule at level 1 (both type bits, no reserved bit), so
 * that the leaf loop and its runs are what walks the page tables. */
static void toy_space_plain(struct ptdbg_walk_space *sp, struct ptdbg_decoder *dec)
{
	toy_space(sp);
	*dec = toy;
	dec->perm_bits = &toy_perm_bits;
	sp->dec = dec;
	sp->lv[1].plain_any = T_VALID;
	sp->lv[1].plain_all = T_VALID;
	sp->lv[1].plain_none = T_RSVD;
	sp->lv[1].plain_addr = T_ADDR;
	sp->lv[1].perm_mask = T_VALID | T_RO | T_RSVD;
}

/* A page table of runs: 40 contiguous pages, a zero, 3 read-only pages, 10 pages
 * that jump in physical address every 4, one with a reserved bit (a LEAF of its own,
 * with an anomaly), 30 more; and in a second table 2048 pages with, at 1000, an
 * entry that is not zero and not valid (it ends a run). */
static struct img *run_tables(void)
{
	struct img *im = img_new();
	unsigned i = 0;
	img_put64(im, ROOT + 0 * 8, L1A | T_VALID);
	img_put64(im, ROOT + 1 * 8, L1B | T_VALID);
	for (; i < 40; i++)
		img_put64(im, L1A + i * 8, (0x100000ull + i * PG) | T_VALID);
	i++; /* a zero entry */
	for (unsigned k = 0; k < 3; k++, i++)
		img_put64(im, L1A + i * 8, (0x800000ull + k * PG) | T_VALID | T_RO);
	for (unsigned k = 0; k < 10; k++, i++)
		img_put64(im, L1A + i * 8, (0x900000ull + (k / 4) * 0x100000 + (k % 4) * PG) | T_VALID);
	img_put64(im, L1A + i++ * 8, 0xa00000ull | T_VALID | T_RSVD);
	for (unsigned k = 0; k < 30; k++, i++)
		img_put64(im, L1A + i * 8, (0xa04000ull + k * PG) | T_VALID);
	for (unsigned k = 0; k < 2048; k++)
		img_put64(im, L1B + k * 8, (0x1000000ull + k * PG) | T_VALID);
	img_put64(im, L1B + 1000 * 8, 0x5000000ull);
	return im;
}

/* Every LEAF, a LEAF_RUN's leaves each as one (what it stands for), and the count of
 * other events and of runs. */
struct flat_leaf {
	uint64_t va, pa, entry, size;
	uint32_t flags;
	unsigned level, index;
};

struct flat {
	size_t n, other, runs;
	struct flat_leaf l[4096];
};

static void flat_add(struct flat *f, const struct ptdbg_walk_event *ev, unsigned index)
{
	if (f->n < 4096)
		f->l[f->n++] = (struct flat_leaf){ ev->va, ev->pa, ev->entry, ev->size, ev->perm.flags,
						   ev->level, index };
}

static int flatten(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct flat *f = ctx;
	if (ev->kind == PTDBG_EV_LEAF) {
		flat_add(f, ev, ev->path->lv[ev->level].index);
	} else if (ev->kind == PTDBG_EV_LEAF_RUN) {
		struct ptdbg_walk_event one;
		f->runs++;
		assert_true(ev->count >= 1);
		assert_int_equal(ev->run[0], ev->entry);
		assert_int_equal(ev->run[0] & ev->run_addr, ev->pa);
		for (uint64_t k = 0; k < ev->count; k++) {
			ptdbg_run_leaf(ev, k, &one);
			assert_int_equal(one.kind, PTDBG_EV_LEAF);
			flat_add(f, &one, ev->path->lv[ev->level].index + (unsigned)k);
		}
	} else {
		f->other++;
	}
	return 0;
}

/* Both ways of walking sp with o (leaf_runs off, then on) give the same leaves,
 * events and totals; returns how many runs the second had. */
static size_t same_both_ways(struct img *im, const struct ptdbg_walk_space *sp, struct ptdbg_walk_opts o)
{
	static struct flat a, b;
	struct ptdbg_walk_result ra, rb;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	o.leaf_runs = false;
	assert_int_equal(ptdbg_walk(im->mem, sp, &o, flatten, &a, &ra), 0);
	o.leaf_runs = true;
	assert_int_equal(ptdbg_walk(im->mem, sp, &o, flatten, &b, &rb), 0);
	assert_int_equal(a.runs, 0);
	assert_int_equal(a.n, b.n);
	assert_int_equal(a.other, b.other);
	assert_memory_equal(a.l, b.l, a.n * sizeof(a.l[0]));
	assert_int_equal(ra.leaves, rb.leaves);
	assert_int_equal(ra.leaves, a.n);
	assert_int_equal(ra.nodes, rb.nodes);
	assert_int_equal(ra.anomalies, rb.anomalies);
	assert_int_equal(ra.budget_hit, rb.budget_hit);
	assert_int_equal(ra.partial, rb.partial);
	return b.runs;
}

/* A marker over [BASE + 20 pages, BASE + 60 pages): it starts and ends inside runs. */
static const char *run_marker(void *ctx, uint64_t va, uint64_t *start, uint64_t *end)
{
	(void)ctx;
	if (va < BASE + 20 * PG || va >= BASE + 60 * PG)
		return NULL;
	*start = BASE + 20 * PG;
	*end = BASE + 60 * PG;
	return "middle";
}

/* The text dump of sp with or without runs (the caller frees it). */
static char *dump_text(struct img *im, const struct ptdbg_walk_space *sp, bool runs, bool merge,
		       bool marker)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	struct ptdbg_dump d;
	struct ptdbg_dump_opts o = { .out = out, .merge_virtual = merge, .space_name = "toy",
				     .marker = marker ? run_marker : NULL };
	struct ptdbg_walk_opts wo = { .leaf_runs = runs };
	struct ptdbg_walk_result res;

	assert_non_null(out);
	ptdbg_dump_init(&d, sp->dec, &o);
	assert_int_equal(ptdbg_walk(im->mem, sp, &wo, ptdbg_dump_visit, &d, &res), 0);
	ptdbg_dump_finish(&d, &res);
	fclose(out);
	return text;
}

static void test_leaf_runs(void **state)
{
	struct img *im = run_tables();
	struct ptdbg_walk_space sp;
	struct ptdbg_decoder dec;

	toy_space_plain(&sp, &dec);
	/* runs: 40, then 3 read-only, 10 (one permission, discontiguous), the reserved
	 * one alone as a LEAF, 30, and 1000 and 1047 in the second table */
	assert_int_equal(same_both_ways(im, &sp, (struct ptdbg_walk_opts){ 0 }), 6);
	/* the same when the bit a plain leaf needs one of is outside the bits the
	 * permission reads and the plain rule tests: the run tests it on its own */
	struct ptdbg_walk_space sp2 = sp;
	sp2.lv[1].plain_all = 0;
	sp2.lv[1].perm_mask = T_RO | T_RSVD;
	assert_int_equal(same_both_ways(im, &sp2, (struct ptdbg_walk_opts){ 0 }), 6);
	for (uint64_t max = 990; max < 1010; max += 3)
		same_both_ways(im, &sp2, (struct ptdbg_walk_opts){ .max_leaves = max });
	/* a filter that cuts into the tables: entries are whole, only the filter's */
	same_both_ways(im, &sp, (struct ptdbg_walk_opts){ .va_filter = true,
		.va_first = BASE + 10 * PG, .va_last = BASE + BLK + 100 * PG });
	/* leaf budgets that end inside a run, at a run's end, and in the second table */
	for (uint64_t max = 1; max < 140; max += 7)
		same_both_ways(im, &sp, (struct ptdbg_walk_opts){ .max_leaves = max });
	same_both_ways(im, &sp, (struct ptdbg_walk_opts){ .max_leaves = 40 });
	same_both_ways(im, &sp, (struct ptdbg_walk_opts){ .max_leaves = 1000 });
	/* the snapshot writer keeps the same records either way: whole, filtered, and
	 * with budgets that end inside a run */
	same_snapshot(im, &sp, (struct ptdbg_walk_opts){ 0 });
	same_snapshot(im, &sp, (struct ptdbg_walk_opts){ .va_filter = true,
		.va_first = BASE + 10 * PG, .va_last = BASE + BLK + 100 * PG });
	for (uint64_t max = 1; max < 140; max += 13)
		same_snapshot(im, &sp, (struct ptdbg_walk_opts){ .max_leaves = max });
	/* the dump prints the same ranges either way: physically and virtually
	 * contiguous, with a marker that starts and ends inside runs */
	for (int merge = 0; merge < 2; merge++)
		for (int marker = 0; marker < 2; marker++) {
			char *a = dump_text(im, &sp, false, merge, marker);
			char *b = dump_text(im, &sp, true, merge, marker);
			assert_string_equal(a, b);
			assert_non_null(strstr(a, "0x"));
			if (marker)
				assert_non_null(strstr(a, "---[ middle ]---"));
			free(a);
			free(b);
		}
	img_free(im);
}

static void test_bits_and_registry(void **state)
{
	static const struct ptdbg_bit rows[] = {
		PTDBG_FIELD(0xc0, 0x00, "RW-EL1", NULL),
		PTDBG_FIELD(0xc0, 0x40, "RW-ALL", NULL),
		PTDBG_FIELD(0xc0, 0x80, "RO-EL1", NULL),
		PTDBG_FIELD(0xc0, 0xc0, "RO-ALL", NULL),
		PTDBG_FLAG(0x300, "SH", "NSH"),
	};
	static PTDBG_BIT_TABLE(t, "toy", rows);
	char buf[64];

	ptdbg_bits_format(&t, 0x40, " ", buf, sizeof(buf));
	assert_string_equal(buf, "RW-ALL NSH");
	ptdbg_bits_format(&t, 0x2c0, " ", buf, sizeof(buf));
	assert_string_equal(buf, "RO-ALL SH");
	/* like snprintf: the whole length returned, the text cut and terminated */
	assert_int_equal(ptdbg_bits_format(&t, 0x2c0, ", ", buf, 8), 10);
	assert_string_equal(buf, "RO-ALL,");
	assert_int_equal(ptdbg_bits_format(&t, 0x2c0, ", ", buf, 1), 10);
	assert_string_equal(buf, "");
	assert_int_equal(ptdbg_bits_format(&t, 0x2c0, ", ", NULL, 0), 10);
	assert_non_null(ptdbg_decoder_find("x86-64"));
	assert_non_null(ptdbg_decoder_find("vtd-sl"));
	assert_null(ptdbg_decoder_find("toy"));
	assert_true(ptdbg_link_error(PTDBG_ETIMEOUT));
	assert_false(ptdbg_link_error(PTDBG_EIO));
	assert_string_equal(ptdbg_page_name(16384, buf, sizeof(buf)), "16K");
	assert_string_equal(ptdbg_page_name(1ull << 29, buf, sizeof(buf)), "512M");
}

/* JSON strings: plain runs as they are, quotes, backslashes and control bytes
 * escaped. */
static void test_json_escape(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct ptdbg_json *j = ptdbg_json_new(f);

	assert_non_null(j);
	ptdbg_json_start_object(j);
	ptdbg_json_string_field(j, "a\"b", "x\\y\n\r\t\x01z");
	ptdbg_json_string_field(j, "", "plain text");
	ptdbg_json_end_object(j);
	ptdbg_json_free(j);
	fclose(f);
	assert_string_equal(text, "{\"a\\\"b\":\"x\\\\y\\n\\r\\t\\u0001z\",\"\":\"plain text\"}\n");
	free(text);
}

/* The writer's numbers as printf would print them, a string longer than its buffer
 * whole, pretty nesting, and the caller's own writes between calls in order. */
static void test_json_values(void **state)
{
	char *text = NULL, *want = NULL;
	size_t len = 0, wlen = 0;
	FILE *f = open_memstream(&text, &len);
	FILE *w = open_memstream(&want, &wlen);
	char *big = malloc(10001);
	struct ptdbg_json *j = ptdbg_json_new(f);

	assert_non_null(j);
	assert_non_null(big);
	memset(big, 'x', 10000);
	big[10000] = 0;
	big[5000] = '"';
	ptdbg_json_start_array(j);
	ptdbg_json_uint(j, UINT64_MAX);
	ptdbg_json_uint(j, 0);
	ptdbg_json_int(j, INT64_MIN);
	ptdbg_json_int(j, -1);
	ptdbg_json_int(j, 42);
	ptdbg_json_hex(j, 0xfedcba9876543210ull);
	ptdbg_json_hex(j, 0);
	ptdbg_json_bool(j, true);
	ptdbg_json_bool(j, false);
	ptdbg_json_null(j);
	ptdbg_json_string(j, NULL);
	fputs("/*mine*/", f); /* the caller's, between two calls */
	ptdbg_json_string(j, big);
	ptdbg_json_end_array(j);
	ptdbg_json_free(j);
	fclose(f);
	fprintf(w, "[%llu,0,%lld,-1,42,\"0x%016llx\",\"0x%016llx\",true,false,null,null/*mine*/,\"",
		(unsigned long long)UINT64_MAX, (long long)INT64_MIN, 0xfedcba9876543210ull, 0ull);
	fprintf(w, "%.5000s\\\"%s\"]\n", big, big + 5001);
	fclose(w);
	assert_string_equal(text, want);
	free(text);
	free(want);
	free(big);

	/* pretty: four spaces a level, ": " after a name */
	text = NULL;
	f = open_memstream(&text, &len);
	j = ptdbg_json_new(f);
	ptdbg_json_pretty(j, true);
	ptdbg_json_start_object(j);
	ptdbg_json_name(j, "a");
	ptdbg_json_start_array(j);
	ptdbg_json_uint(j, 1);
	ptdbg_json_start_object(j);
	ptdbg_json_end_object(j);
	ptdbg_json_end_array(j);
	ptdbg_json_hex_field(j, "h", 0x10);
	ptdbg_json_end_object(j);
	ptdbg_json_free(j);
	fclose(f);
	assert_string_equal(text, "{\n    \"a\": [\n        1,\n        {}\n    ],\n    \"h\": \"0x0000000000000010\"\n}\n");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geometry_and_events),
		cmocka_unit_test(test_filter_budget_translate),
		cmocka_unit_test(test_leaf_runs),
		cmocka_unit_test(test_bits_and_registry),
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_json_values),
	};
	return cmocka_run_group_tests_name("walk_frame", tests, NULL, NULL);
}
