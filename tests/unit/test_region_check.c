/* SPDX-License-Identifier: MIT */
/* Unit tests of the region-aware page-table checks on synthetic tables and metadata. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "region/region_check.h"
#include "x86_synth.h"
#include "x86/x86_bits.h"
#include "x86/x86_check.h"
#include "x86/x86_walk.h"

#define U  X86_PTE_US
#define W  X86_PTE_RW
#define NX X86_PTE_NX
#define TF SYNTH_TABLE_FLAGS
#define KTF (X86_PTE_P | X86_PTE_RW)

#define USER_VA     0x400000ull
#define LINEAR      0xffff800000000000ull
#define UNTRACKED   0xffffc00000000000ull
#define TRACKEDWIN  0xffffd00000000000ull
#define NFRAMES     200u /* frames the metadata describes: 200..255 are "beyond RAM" */

/* A synthetic guest: tables, a frame-metadata array and a region view over them. */
struct fixture {
	struct synth s;
	uint64_t meta_pa;
	struct ptdbg_region_view v;
	struct ptdbg_marker markers[4];
	struct ptdbg_aspace spaces[2];
	struct ptdbg_findings fl;
};

static struct ptdbg_frame_meta *meta(struct fixture *f, uint64_t pa)
{
	return (struct ptdbg_frame_meta *)(f->s.mem + f->meta_pa) + (pa >> 12);
}

static void marker(struct ptdbg_marker *m, uint64_t start, uint64_t end, const char *name,
		   uint32_t tracking, uint32_t kind)
{
	memset(m, 0, sizeof(*m));
	m->start = start;
	m->end = end;
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->tracking = tracking;
	m->as_kind = kind;
}

/* Every frame free, except the metadata pages, the root (PT, NA) and page 0. */
static void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	synth_init(&f->s, 4);
	f->meta_pa = synth_page(&f->s);
	synth_page(&f->s); /* NFRAMES * 16 bytes need a second page */
	for (uint64_t pfn = 0; pfn < NFRAMES; pfn++)
		*meta(f, pfn << 12) = (struct ptdbg_frame_meta){ .usage = PTDBG_FRAME_FREE,
								  .owner = PTDBG_OWNER_NONE };
	meta(f, 0)->usage = PTDBG_FRAME_RESERVED;
	meta(f, f->meta_pa)->usage = PTDBG_FRAME_KHEAP;
	meta(f, f->meta_pa + 4096)->usage = PTDBG_FRAME_KHEAP;
	uint64_t root = ptdbg_x86_root(&f->s.cfg.cpu);
	*meta(f, root) = (struct ptdbg_frame_meta){ .usage = PTDBG_FRAME_PT, .pt_level = 4,
						    .tracking = PTDBG_TRACK_NA, .refcount = 1 };
	marker(&f->markers[0], 0, 0x0000800000000000ull, "user", PTDBG_TRACK_TRACKED, PTDBG_AS_USER);
	marker(&f->markers[1], LINEAR, LINEAR + NFRAMES * 4096ull, "linear-map", PTDBG_TRACK_UNTRACKED,
	       PTDBG_AS_KERNEL);
	marker(&f->markers[2], UNTRACKED, UNTRACKED + (1ull << 40), "untracked-window",
	       PTDBG_TRACK_UNTRACKED, PTDBG_AS_KERNEL);
	marker(&f->markers[3], TRACKEDWIN, TRACKEDWIN + (1ull << 40), "tracked-window",
	       PTDBG_TRACK_TRACKED, PTDBG_AS_KERNEL);
	f->v.markers = f->markers;
	f->v.nmarkers = 4;
	snprintf(f->spaces[0].name, sizeof(f->spaces[0].name), "kernel");
	f->spaces[0].kind = PTDBG_AS_KERNEL;
	snprintf(f->spaces[1].name, sizeof(f->spaces[1].name), "proc");
	f->spaces[1].kind = PTDBG_AS_USER;
	f->v.spaces = f->spaces;
	f->v.nspaces = 2;
	f->v.hdr.frames = (struct ptdbg_frames){ .phys = f->meta_pa, .base_pfn = 0, .count = NFRAMES,
						 .elem_size = sizeof(struct ptdbg_frame_meta) };
}

static void fixture_fini(struct fixture *f)
{
	ptdbg_findings_free(&f->fl);
	synth_fini(&f->s);
}

/* Record the tables on va's path below the root as page-table nodes of status tracking. */
static void nodes_on_path(struct fixture *f, uint64_t va, unsigned lowest, uint32_t tracking)
{
	for (unsigned l = 3; l >= lowest; l--) {
		uint64_t t = synth_table_of(&f->s, va, l);
		*meta(f, t) = (struct ptdbg_frame_meta){ .usage = PTDBG_FRAME_PT, .pt_level = (uint8_t)l,
							 .tracking = (uint8_t)tracking, .refcount = 1 };
	}
}

/* A data frame of usage (tracked: owner proc) with refcount. */
static uint64_t data_frame(struct fixture *f, uint32_t usage, int refcount)
{
	uint64_t pa = synth_page(&f->s);
	*meta(f, pa) = (struct ptdbg_frame_meta){ .usage = (uint8_t)usage, .refcount = refcount,
						  .mapcount = 1,
						  .owner = usage == PTDBG_FRAME_TRACKED ? 1 : PTDBG_OWNER_NONE };
	return pa;
}

/* A healthy layout: user pages (tracked), a linear map of frames 0..3 (one of them
 * free), a device page beyond RAM in the untracked window, a tracked-window page. */
static void healthy(struct fixture *f)
{
	uint64_t a = data_frame(f, PTDBG_FRAME_TRACKED, 1);
	uint64_t b = data_frame(f, PTDBG_FRAME_TRACKED, 1);
	synth_map(&f->s, USER_VA, a, 1, U | W | NX, TF);
	synth_map(&f->s, USER_VA + 0x1000, b, 1, U | NX, TF);
	nodes_on_path(f, USER_VA, 1, PTDBG_TRACK_TRACKED);
	for (uint64_t i = 0; i < 4; i++)
		synth_map(&f->s, LINEAR + i * 4096, i * 4096, 1, W | NX, KTF);
	nodes_on_path(f, LINEAR, 1, PTDBG_TRACK_UNTRACKED);
	synth_map(&f->s, UNTRACKED, 0xfee00000, 1, W | NX | X86_PTE_PCD, KTF);
	nodes_on_path(f, UNTRACKED, 1, PTDBG_TRACK_UNTRACKED);
	uint64_t c = data_frame(f, PTDBG_FRAME_TRACKED, 1);
	meta(f, c)->owner = 0;
	synth_map(&f->s, TRACKEDWIN + 0x1000, c, 1, W | NX, KTF);
	nodes_on_path(f, TRACKEDWIN, 1, PTDBG_TRACK_TRACKED);
}

/* One check of the synthetic tables (nwalks spaces from roots, or the fixture's),
 * the walks giving leaves one by one or in runs. */
static int check_pass(struct fixture *f, const struct ptdbg_region_opts *o, int nwalks,
		      const uint64_t *roots, bool runs)
{
	struct ptdbg_region_checker *c = ptdbg_region_checker_new(o);
	assert_non_null(c);
	for (int i = 0; i < nwalks; i++) {
		struct ptdbg_x86_walk_cfg cfg = f->s.cfg;
		cfg.cpu.cr3 = roots ? roots[i] : cfg.cpu.cr3;
		cfg.leaf_runs = runs;
		ptdbg_region_check_begin(c, i ? "proc" : "kernel", i ? PTDBG_AS_USER : PTDBG_AS_KERNEL,
					 ptdbg_x86_levels(&cfg.cpu), true, x86_level_name);
		assert_int_equal(ptdbg_x86_walk(f->s.m, &cfg, ptdbg_region_visit, c, NULL), 0);
	}
	int rc = ptdbg_region_finish(c);
	ptdbg_region_checker_free(c);
	ptdbg_findings_sort(o->out);
	return rc;
}

/* The findings as text (the caller frees it). */
static char *findings_text(const struct ptdbg_findings *l)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_non_null(out);
	ptdbg_findings_print(out, l);
	fclose(out);
	return text;
}

/* Walk the synthetic tables through a fresh checker and finish, into o->out; and
 * once more with the walk's leaves in runs, which must find the same. */
static int check_with(struct fixture *f, const struct ptdbg_region_opts *o, int nwalks,
		      const uint64_t *roots)
{
	struct ptdbg_findings again = { 0 };
	struct ptdbg_region_opts o2 = *o;
	o2.out = &again;
	int rc2 = check_pass(f, &o2, nwalks, roots, true);
	int rc = check_pass(f, o, nwalks, roots, false);
	char *a = findings_text(o->out), *b = findings_text(&again);
	assert_int_equal(rc, rc2);
	assert_string_equal(a, b);
	free(a);
	free(b);
	ptdbg_findings_free(&again);
	return rc;
}

static int check(struct fixture *f)
{
	struct ptdbg_region_opts o = { .out = &f->fl, .t = f->s.t, .region = &f->v };
	return check_with(f, &o, 1, NULL);
}

static size_t count_kind(const struct ptdbg_findings *l, const char *kind)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += !strcmp(l->v[i].kind, kind);
	return n;
}

static const struct ptdbg_finding *find_kind(const struct ptdbg_findings *l, const char *kind)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].kind, kind))
			return &l->v[i];
	return NULL;
}

static void dump_findings(const struct ptdbg_findings *l)
{
	ptdbg_findings_print(stderr, l);
}

/* The predicate: the status overlapped markers agree on, NA when they differ. */
static void test_required(void **state)
{
	struct fixture f;
	fixture_init(&f);
	uint32_t t;
	assert_true(ptdbg_region_required(&f.v, 0, 0x3fffffff, &t));
	assert_int_equal(t, PTDBG_TRACK_TRACKED);
	assert_true(ptdbg_region_required(&f.v, UNTRACKED, UNTRACKED + (1ull << 39) - 1, &t));
	assert_int_equal(t, PTDBG_TRACK_UNTRACKED);
	assert_true(ptdbg_region_required(&f.v, 0, UINT64_MAX, &t));
	assert_int_equal(t, PTDBG_TRACK_NA);
	/* a span over both windows */
	assert_true(ptdbg_region_required(&f.v, UNTRACKED, TRACKEDWIN, &t));
	assert_int_equal(t, PTDBG_TRACK_NA);
	/* no marker there */
	assert_false(ptdbg_region_required(&f.v, 0xffffe00000000000ull, 0xffffe00000000fffull, &t));
	/* device-space markers do not count */
	f.markers[3].as_kind = PTDBG_AS_DEVICE;
	assert_false(ptdbg_region_required(&f.v, TRACKEDWIN, TRACKEDWIN + 4095, &t));
	assert_null(ptdbg_region_marker(&f.v, TRACKEDWIN));
	assert_non_null(ptdbg_region_marker(&f.v, USER_VA));
	fixture_fini(&f);
}

/* A healthy system: no findings (the linear map may map free frames). */
static void test_healthy(void **state)
{
	struct fixture f;
	fixture_init(&f);
	healthy(&f);
	assert_int_equal(check(&f), 0);
	if (f.fl.n)
		dump_findings(&f.fl);
	assert_int_equal(f.fl.n, 0);
	fixture_fini(&f);
}

/* A user PT recorded untracked: mismatch with its range and with its parent. */
static void test_node_mismatch_user(void **state)
{
	struct fixture f;
	fixture_init(&f);
	healthy(&f);
	uint64_t pt = synth_table_of(&f.s, USER_VA, 1);
	meta(&f, pt)->tracking = PTDBG_TRACK_UNTRACKED;
	assert_int_equal(check(&f), 0);
	assert_int_equal(count_kind(&f.fl, "node-tracking-mismatch"), 1);
	assert_int_equal(count_kind(&f.fl, "tracking-parent-mismatch"), 1);
	const struct ptdbg_finding *x = find_kind(&f.fl, "node-tracking-mismatch");
	assert_int_equal(x->node, pt);
	assert_int_equal(x->frame, pt);
	assert_int_equal(x->addr, USER_VA); /* the PT covers [4 MiB, 6 MiB) */
	assert_int_equal(x->size, 2u << 20);
	assert_string_equal(x->space, "kernel");
	assert_string_equal(x->marker, "user");
	assert_non_null(strstr(x->msg, "'untracked'"));
	assert_non_null(strstr(x->msg, "require 'tracked'"));
	/* the leaves under it: now untracked mappings of tracked frames */
	assert_int_equal(count_kind(&f.fl, "untracked-leaf-owned"), 0); /* marker says tracked */
	fixture_fini(&f);
}

/* The bug of shared/BUGS.md 3: nodes of the untracked window created tracked. */
static void test_untracked_as_tracked(void **state)
{
	struct fixture f;
	fixture_init(&f);
	healthy(&f);
	nodes_on_path(&f, UNTRACKED, 1, PTDBG_TRACK_TRACKED);
	assert_int_equal(check(&f), 0);
	/* PDPT, PD and PT of the window: all three disagree with the marker */
	assert_int_equal(count_kind(&f.fl, "node-tracking-mismatch"), 3);
	/* the PDPT's parent is the NA root: no parent finding anywhere */
	assert_int_equal(count_kind(&f.fl, "tracking-parent-mismatch"), 0);
	const struct ptdbg_finding *x = find_kind(&f.fl, "node-tracking-mismatch");
	assert_string_equal(x->marker, "untracked-window");
	assert_non_null(strstr(x->msg, "never took"));
	/* only the PT fixed: its parent PD is still tracked */
	ptdbg_findings_free(&f.fl);
	uint64_t pt = synth_table_of(&f.s, UNTRACKED, 1);
	meta(&f, pt)->tracking = PTDBG_TRACK_UNTRACKED;
	assert_int_equal(check(&f), 0);
	assert_int_equal(count_kind(&f.fl, "node-tracking-mismatch"), 2);
	assert_int_equal(count_kind(&f.fl, "tracking-parent-mismatch"), 1);
	assert_int_equal(find_kind(&f.fl, "tracking-parent-mismatch")->node, pt);
	fixture_fini(&f);
}

/* A node spanning ranges of both kinds must be NA. */
static void test_node_spanning(void **state)
{
	struct fixture f;
	fixture_init(&f);
	healthy(&f);
	uint64_t root = ptdbg_x86_root(&f.s.cfg.cpu);
	meta(&f, root)->tracking = PTDBG_TRACK_TRACKED;
	assert_int_equal(check(&f), 0);
	assert_int_equal(count_kind(&f.fl, "node-tracking-mismatch"), 1);
	const struct ptdbg_finding *x = find_kind(&f.fl, "node-tracking-mismatch");
	assert_int_equal(x->node, root);
	assert_non_null(strstr(x->msg, "different requirements"));
	/* a tracked root is a parent: the untracked children disagree with it */
	assert_int_equal(count_kind(&f.fl, "tracking-parent-mismatch"), 2);
	fixture_fini(&f);
}

/* Free frames mapped: a user leaf, a node; the linear map's alias is fine. */
static void test_freed_frame_mapped(void **state)
{
	struct fixture f;
	fixture_init(&f);
	healthy(&f);
	uint64_t a = synth_get(&f.s, synth_table_of(&f.s, USER_VA, 1), synth_index(USER_VA, 1)) & 0xfffff000;
	meta(&f, a)->usage = PTDBG_FRAME_FREE;
	meta(&f, a)->refcount = -1;
	assert_int_equal(check(&f), 0);
	assert_int_equal(count_kind(&f.fl, "freed-frame-mapped"), 1);
	const struct ptdbg_finding *x = find_kind(&f.fl, "freed-frame-mapped");
	assert_int_equal(x->frame, a);
	assert_int_equal(x->addr, USER_VA);
	assert_int_equal(x->node, synth_table_of(&f.s, USER_VA, 1));
	assert_string_equal(x->marker, "user");
	assert_non_null(strstr(x->msg, "refcount -1"));
	/* the PT itself freed */
	ptdbg_findings_free(&f.fl);
	meta(&f, a)->usage = PTDBG_FRAME_TRACKED;
	meta(&f, a)->refcount = 1;
	uint64_t pd = synth_table_of(&f.s, USER_VA, 2);
	meta(&f, pd)->usage = PTDBG_FRAME_FREE;
	assert_int_equal(check(&f), 0);
	assert_int_equal(count_kind(&f.fl, "freed-frame-mapped"), 1);
	x = find_kind(&f.fl, "freed-frame-mapped");
	assert_int_equal(x->node, pd);
	assert_non_null(strstr(x->msg, "live page-table node"));
	fixture_fini(&f);
}

/* Contiguous freed frames mapped contiguously: one finding for the run. */
static void test_freed_run(void **state)
{
	struct fixture f;
	fixture_init(&f);
	healthy(&f);
	uint64_t first = f.s.next;
	for (int i = 0; i < 3; i++) {
		uint64_t pa = data_frame(&f, PTDBG_FRAME_FREE, 0);
		synth_map(&f.s, TRACKEDWIN + 0x10000 + i * 4096ull, pa, 1, W | NX, KTF);
	}
	assert_int_equal(check(&f), 0);
	assert_int_equal(count_kind(&f.fl, "freed-frame-mapped"), 1);
	const struct ptdbg_finding *x = find_kind(&f.fl, "freed-frame-mapped");
	assert_int_equal(x->frame, first);
	assert_int_equal(x->size, 3 * 4096);
	assert_non_null(strstr(x->msg, "tracked leaf"));
	assert_non_null(strstr(x->msg, "3 frames"));
	fixture_fini(&f);
}

/* The untracked window may map free frames: it owns nothing. */
static void test_untracked_maps_free(void **state)
{
	struct fixture f;
	fixture_init(&f);
	healthy(&f);
	for (int i = 0; i < 3; i++) {
		uint64_t pa = data_frame(&f, PTDBG_FRAME_FREE, 0);
		synth_map(&f.s, UNTRACKED + 0x10000 + i * 4096ull, pa, 1, W | NX, KTF);
	}
	assert_int_equal(check(&f), 0);
	assert_int_equal(count_kind(&f.fl, "freed-frame-mapped"), 0);
	fixture_fini(&f);
}

/* One frame mapped by two tracked leaves with refcount 1, then 2. */
static void test_refcount_below(void **state)
{
	struct fixture f;
	fixture_init(&f);
	healthy(&f);
	uint64_t a = synth_get(&f.s, synth_table_of(&f.s, USER_VA, 1), synth_index(USER_VA, 1)) & 0xfffff000;
	synth_map(&f.s, TRACKEDWIN + 0x3000, a, 1, W | NX, KTF);
	assert_int_equal(check(&f), 0);
	assert_int_equal(count_kind(&f.fl, "refcount-below-mappings"), 1);
	const struct ptdbg_finding *x = find_kind(&f.fl, "refcount-below-mappings");
	assert_int_equal(x->frame, a);
	assert_non_null(strstr(x->msg, "2 tracked leaves"));
	assert_non_null(strstr(x->msg, "refcount 1"));
	assert_non_null(strstr(x->msg, "owner proc"));
	ptdbg_findings_free(&f.fl);
	meta(&f, a)->refcount = 2;
	assert_int_equal(check(&f), 0);
	assert_int_equal(f.fl.n, 0);
	fixture_fini(&f);
}

/* Mappings counted across address spaces: a second root sharing a user PT. */
static void test_refcount_across_spaces(void **state)
{
	struct fixture f;
	fixture_init(&f);
	healthy(&f);
	uint64_t root1 = ptdbg_x86_root(&f.s.cfg.cpu);
	uint64_t root2 = synth_page(&f.s);
	*meta(&f, root2) = (struct ptdbg_frame_meta){ .usage = PTDBG_FRAME_PT, .pt_level = 4,
						      .tracking = PTDBG_TRACK_NA, .refcount = 1 };
	/* the second space maps the first's data frame at another address */
	uint64_t a = synth_get(&f.s, synth_table_of(&f.s, USER_VA, 1), synth_index(USER_VA, 1)) & 0xfffff000;
	f.s.cfg.cpu.cr3 = root2;
	synth_map(&f.s, 0x800000, a, 1, U | W | NX, TF);
	nodes_on_path(&f, 0x800000, 1, PTDBG_TRACK_TRACKED);
	f.s.cfg.cpu.cr3 = root1;
	uint64_t roots[2] = { root1, root2 };
	struct ptdbg_region_opts o = { .out = &f.fl, .t = f.s.t, .region = &f.v };
	assert_int_equal(check_with(&f, &o, 2, roots), 0);
	assert_int_equal(count_kind(&f.fl, "refcount-below-mappings"), 1);
	fixture_fini(&f);
}

/* A kernel-data frame the kernel maps in its tracked window, then a later space maps
 * twice, user-writable, in one run of leaves: the frame's record, made by the kernel's
 * leaf, takes the user bits of the later mappings (runs or not, the same finding). */
static void test_user_bits_across_spaces(void **state)
{
	struct fixture f;
	fixture_init(&f);
	healthy(&f);
	uint64_t k = data_frame(&f, PTDBG_FRAME_KHEAP, 1);
	synth_map(&f.s, TRACKEDWIN + 0x2000, k, 1, W | NX, KTF);
	uint64_t root1 = ptdbg_x86_root(&f.s.cfg.cpu);
	uint64_t root2 = synth_page(&f.s);
	*meta(&f, root2) = (struct ptdbg_frame_meta){ .usage = PTDBG_FRAME_PT, .pt_level = 4,
						      .tracking = PTDBG_TRACK_NA, .refcount = 1 };
	f.s.cfg.cpu.cr3 = root2;
	synth_map(&f.s, 0x800000, k, 1, U | W | NX, TF);
	synth_map(&f.s, 0x801000, k, 1, U | W | NX, TF);
	nodes_on_path(&f, 0x800000, 1, PTDBG_TRACK_TRACKED);
	f.s.cfg.cpu.cr3 = root1;
	uint64_t roots[2] = { root1, root2 };
	struct ptdbg_region_opts o = { .out = &f.fl, .t = f.s.t, .region = &f.v };
	check_with(&f, &o, 2, roots);
	const struct ptdbg_finding *x = find_kind(&f.fl, "user-maps-kernel-frame");
	if (!x)
		dump_findings(&f.fl);
	assert_non_null(x);
	assert_int_equal(x->frame, k);
	assert_non_null(strstr(x->msg, "user-writable leaf"));
	fixture_fini(&f);
}

/* An untracked-window leaf on a tracked frame; the linear map's alias of it is fine. */
static void test_untracked_leaf_owned(void **state)
{
	struct fixture f;
	fixture_init(&f);
	healthy(&f);
	uint64_t a = synth_get(&f.s, synth_table_of(&f.s, USER_VA, 1), synth_index(USER_VA, 1)) & 0xfffff000;
	synth_map(&f.s, LINEAR + a, a, 1, W | NX, KTF); /* linear-map alias: exempt */
	synth_map(&f.s, UNTRACKED + 0x5000, a, 1, W | NX, KTF);
	assert_int_equal(check(&f), 0);
	if (f.fl.n != 1)
		dump_findings(&f.fl);
	assert_int_equal(f.fl.n, 1);
	const struct ptdbg_finding *x = find_kind(&f.fl, "untracked-leaf-owned");
	assert_non_null(x);
	assert_int_equal(x->addr, UNTRACKED + 0x5000);
	assert_int_equal(x->frame, a);
	assert_string_equal(x->marker, "untracked-window");
	assert_non_null(strstr(x->msg, "tracked frame of proc"));
	fixture_fini(&f);
}

/* Frames the region does not describe (beyond its count) are skipped silently;
 * a region without frame metadata gives no findings. */
/* A run of pages across the end of the linear map's marker, in one page table: the
 * two inside it alias RAM by design; the two past its end are judged by their node,
 * here a tracked one (which the marker disagrees with), and they map free frames. */
static void test_run_across_marker_end(void **state)
{
	struct fixture f;
	fixture_init(&f);
	healthy(&f);
	for (uint64_t i = NFRAMES - 2; i < NFRAMES + 2; i++)
		synth_map(&f.s, LINEAR + i * 4096, i < NFRAMES ? i * 4096 : (150 + i - NFRAMES) * 4096, 1,
			  W | NX, KTF);
	meta(&f, synth_table_of(&f.s, LINEAR, 1))->tracking = PTDBG_TRACK_TRACKED;
	assert_int_equal(check(&f), 0);
	assert_int_equal(count_kind(&f.fl, "freed-frame-mapped"), 1);
	const struct ptdbg_finding *x = find_kind(&f.fl, "freed-frame-mapped");
	assert_int_equal(x->addr, LINEAR + NFRAMES * 4096ull);
	assert_int_equal(x->frame, 150 * 4096ull);
	assert_int_equal(x->size, 2 * 4096);
	fixture_fini(&f);
}

/* The page-table checks find the same whether the walk gives leaves one by one or in
 * runs: W+X runs, user pages in the kernel half, writable aliases of executable
 * frames, runs broken by a gap, a permission change and a physical jump. */
static char *x86_check_text(struct fixture *f, bool runs)
{
	struct ptdbg_findings fl = { 0 };
	struct ptdbg_x86_check_opts o = { .out = &fl };
	struct ptdbg_x86_checker *c = ptdbg_x86_checker_new(&o);
	struct ptdbg_x86_walk_cfg cfg = f->s.cfg;
	assert_non_null(c);
	cfg.leaf_runs = runs;
	ptdbg_x86_checker_begin(c, "kernel", &cfg.cpu);
	assert_int_equal(ptdbg_x86_walk(f->s.m, &cfg, ptdbg_x86_checker_visit, c, NULL), 0);
	ptdbg_x86_checker_end(c);
	ptdbg_x86_checker_finish(c);
	ptdbg_x86_checker_free(c);
	ptdbg_findings_sort(&fl);
	char *t = findings_text(&fl);
	ptdbg_findings_free(&fl);
	return t;
}

static void test_x86_checks_both_ways(void **state)
{
	struct fixture f;
	fixture_init(&f);
	uint64_t code = data_frame(&f, PTDBG_FRAME_TRACKED, 1), code2 = data_frame(&f, PTDBG_FRAME_TRACKED, 1);
	for (uint64_t i = 0; i < 12; i++) {
		uint64_t va = TRACKEDWIN + i * 4096, pa = data_frame(&f, PTDBG_FRAME_TRACKED, 1);
		if (i == 5)
			continue; /* a gap */
		synth_map(&f.s, va, i >= 8 ? pa + 0x100000 : pa, 1, i < 4 ? W : i < 8 ? W | NX : NX, KTF);
	}
	synth_map(&f.s, TRACKEDWIN + 0x20000, code, 1, 0, KTF);      /* executable */
	synth_map(&f.s, TRACKEDWIN + 0x21000, code2, 1, 0, KTF);
	synth_map(&f.s, TRACKEDWIN + 0x40000, code, 1, W | NX, KTF); /* ... and writable there */
	synth_map(&f.s, TRACKEDWIN + 0x41000, code2, 1, W | NX, KTF);
	for (uint64_t i = 0; i < 6; i++)                             /* user pages, kernel half */
		synth_map(&f.s, UNTRACKED + i * 4096, data_frame(&f, PTDBG_FRAME_TRACKED, 1), 1, U | W | NX,
			  KTF | U);
	char *a = x86_check_text(&f, false), *b = x86_check_text(&f, true);
	assert_string_equal(a, b);
	assert_non_null(strstr(a, "wx"));
	assert_non_null(strstr(a, "user-kernel"));
	assert_non_null(strstr(a, "alias-wx"));
	free(a);
	free(b);
	fixture_fini(&f);
}

static void test_undescribed(void **state)
{
	struct fixture f;
	fixture_init(&f);
	healthy(&f);
	while (f.s.next < NFRAMES * 4096ull)
		synth_page(&f.s);
	uint64_t beyond = synth_page(&f.s); /* frame 200+: not described */
	synth_map(&f.s, TRACKEDWIN + 0x9000, beyond, 1, W | NX, KTF);
	synth_map(&f.s, UNTRACKED + 0x9000, beyond, 1, W | NX, KTF);
	assert_int_equal(check(&f), 0);
	assert_int_equal(f.fl.n, 0);
	/* unplausible element size: nothing read, nothing found */
	f.v.hdr.frames.elem_size = 0;
	uint64_t pt = synth_table_of(&f.s, USER_VA, 1);
	meta(&f, pt)->tracking = PTDBG_TRACK_UNTRACKED;
	assert_int_equal(check(&f), 0);
	assert_int_equal(f.fl.n, 0);
	f.v.hdr.frames.count = 0;
	assert_int_equal(check(&f), 0);
	assert_int_equal(f.fl.n, 0);
	fixture_fini(&f);
}

/* Huge leaves count for every frame they cover; the record bound gives a partial
 * finding, never unbounded memory. */
static void test_bounds(void **state)
{
	struct fixture f;
	fixture_init(&f);
	healthy(&f);
	/* a 2 MiB tracked-window leaf over frames 0..511: frame 0 is reserved, the
	 * others free (those up to 199) or not described */
	synth_map(&f.s, TRACKEDWIN + (2ull << 20), 0, 2, W | NX, KTF);
	struct ptdbg_region_opts o = { .out = &f.fl, .t = f.s.t, .region = &f.v };
	assert_int_equal(check_with(&f, &o, 1, NULL), 0);
	assert_true(count_kind(&f.fl, "freed-frame-mapped") >= 1);
	assert_int_equal(count_kind(&f.fl, "region-check-partial"), 0);
	ptdbg_findings_free(&f.fl);
	o.max_records = 64;
	assert_int_equal(check_with(&f, &o, 1, NULL), 0);
	assert_int_equal(count_kind(&f.fl, "region-check-partial"), 1);
	fixture_fini(&f);
}

/* Records of one frame are merged when the buffer fills: counts survive. */
static void test_merge(void **state)
{
	struct fixture f;
	fixture_init(&f);
	healthy(&f);
	uint64_t a = data_frame(&f, PTDBG_FRAME_TRACKED, 40);
	for (int i = 0; i < 50; i++)
		synth_map(&f.s, 0x10000000 + i * 4096ull, a, 1, U | NX, TF);
	nodes_on_path(&f, 0x10000000, 1, PTDBG_TRACK_TRACKED);
	struct ptdbg_region_opts o = { .out = &f.fl, .t = f.s.t, .region = &f.v, .max_records = 16 };
	assert_int_equal(check_with(&f, &o, 1, NULL), 0);
	assert_int_equal(count_kind(&f.fl, "region-check-partial"), 0);
	assert_int_equal(count_kind(&f.fl, "refcount-below-mappings"), 1);
	assert_non_null(strstr(find_kind(&f.fl, "refcount-below-mappings")->msg, "50 tracked leaves"));
	fixture_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_required),
		cmocka_unit_test(test_healthy),
		cmocka_unit_test(test_node_mismatch_user),
		cmocka_unit_test(test_untracked_as_tracked),
		cmocka_unit_test(test_node_spanning),
		cmocka_unit_test(test_freed_frame_mapped),
		cmocka_unit_test(test_freed_run),
		cmocka_unit_test(test_untracked_maps_free),
		cmocka_unit_test(test_refcount_below),
		cmocka_unit_test(test_refcount_across_spaces),
		cmocka_unit_test(test_user_bits_across_spaces),
		cmocka_unit_test(test_untracked_leaf_owned),
		cmocka_unit_test(test_run_across_marker_end),
		cmocka_unit_test(test_x86_checks_both_ways),
		cmocka_unit_test(test_undescribed),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_merge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
