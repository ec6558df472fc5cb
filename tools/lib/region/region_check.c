/* SPDX-License-Identifier: MIT */
/* Region-aware checks of CPU page tables, any format; see region_check.h. */
#include "region/region_check.h"

#include <stdlib.h>
#include <string.h>

const char *const ptdbg_region_check_kinds[] = {
	"node-tracking-mismatch", "tracking-parent-mismatch", "freed-frame-mapped", "refcount-below-mappings",
	"untracked-leaf-owned", "user-maps-kernel-frame", "table-outside-ram", "leaf-outside-ram",
	"region-check-partial", NULL,
};

#define DEFAULT_MAX_RECORDS (2u << 20)
#define DEFAULT_MAX_NODES   (1u << 20)
#define MERGE_FIRST         (64u << 10) /* records: from here on, merge before growing */
#define META_WINDOW         1024u /* frames of metadata read at once (16 KiB) */
#define PFN_SHIFT           12

/* How a leaf stands towards references. */
enum leaf_class {
	CLS_TRACKED   = 1, /* its range requires tracked: it holds a reference */
	CLS_UNTRACKED = 2, /* its range requires untracked: no reference */
	CLS_BY_NODE   = 3, /* no marker decides: the node's recorded status does */
};

/* One page-table node seen by a walk. */
struct node_rec {
	uint64_t pa;      /* the table */
	uint64_t va;      /* first byte of the span it covers */
	uint64_t last;    /* last byte of the span */
	uint64_t parent;  /* the parent table, or PTDBG_NO_ADDR for a root */
	uint32_t space;
	uint8_t level;
};

/* One 4 KiB frame mapped by `count` leaves of the same class (merged records). */
struct leaf_rec {
	uint64_t pfn;
	uint64_t va;      /* where (the first record merged) maps it */
	uint64_t node;    /* the table holding that leaf */
	uint32_t count;
	uint16_t space;
	uint8_t cls;      /* enum leaf_class */
	uint8_t level;
	uint8_t user;     /* LEAF_USER | LEAF_USER_W of any merged mapping */
};
#define LEAF_USER   1u
#define LEAF_USER_W 2u

/*
 * Per-frame state of the frames the region describes, for the leaves whose class
 * the markers decide (CLS_TRACKED, CLS_UNTRACKED): a slot per frame (0: not mapped,
 * else 1 + an index into frames[]), in chunks allocated on first touch, so that a
 * leaf costs a lookup and nothing is sorted. frames[] holds one record per mapped
 * frame: what merge_leaves() would make of its records of each class. Leaves of
 * class CLS_BY_NODE and frames the region does not describe keep leaf records.
 */
#define SLOT_SHIFT 16u /* frames per chunk of slots: 256 KiB */
struct frame_rec {
	uint64_t pfn;
	struct leaf_rec cls[2]; /* [0]: CLS_TRACKED, [1]: CLS_UNTRACKED; count 0: none */
};

/* A run of consecutive frames with the same finding, reported once. */
struct frame_run {
	const char *kind;
	bool open;
	uint64_t pfn0, pfn_last, va0, va_last, node;
	uint16_t space;
	char msg[300];
};

enum { RUN_FREED, RUN_REFCOUNT, RUN_OWNED, NRUNS };

struct ptdbg_region_checker {
	struct ptdbg_region_opts o;
	char **spaces;
	size_t nspaces;
	uint16_t cur;
	unsigned top;          /* root level of the current walk */
	bool root_whole;       /* its root spans the whole address range (x86's two halves) */
	const char *(*level_name)(unsigned level); /* the format's table names */
	struct node_rec *nodes;
	size_t nnodes, capnodes;
	struct leaf_rec *leaves;
	size_t nleaves, capleaves;
	uint32_t **slots;      /* per-frame slots in chunks of 1 << SLOT_SHIFT */
	size_t nchunks;
	struct frame_rec *frames;
	size_t nframes, capframes;
	uint64_t slot_base, slot_count; /* the frames the slots cover: the described ones */
	const struct ptdbg_marker *mcache; /* the marker of the last leaf */
	int disjoint;          /* CPU markers pairwise disjoint: 1, not: -1, unknown: 0 */
	/* per level: whether the path down to the table last announced there (by its
	 * NODE event) passes a table twice, so that a leaf need not compare its path */
	uint64_t rec_pa[PTDBG_WALK_MAX_LEVEL + 2];
	bool rec_on[PTDBG_WALK_MAX_LEVEL + 2];
	struct leaf_rec *group; /* the records of one frame, in check_leaves() */
	size_t capgroup;
	size_t max_records, max_nodes;
	uint64_t dropped_leaves, dropped_nodes;
	/* node metadata, sorted by pfn, after finish's first step */
	uint64_t *node_pfns;
	struct ptdbg_frame_meta *node_meta;
	bool *node_have;
	size_t nnode_pfns;
	struct frame_run runs[NRUNS];
	struct ptdbg_frame_meta *win;  /* META_WINDOW entries: one metadata read */
	bool oom;
};

/* ---- markers ---- */

static bool cpu_marker(const struct ptdbg_marker *m)
{
	return m->as_kind != PTDBG_AS_DEVICE;
}

/* Last byte of a marker (end 0 means 2^64). */
static uint64_t marker_last(const struct ptdbg_marker *m)
{
	return m->end - 1;
}

bool ptdbg_region_required(const struct ptdbg_region_view *v, uint64_t first, uint64_t last,
			       uint32_t *tracking)
{
	uint32_t seen = 0;
	for (size_t i = 0; i < v->nmarkers; i++) {
		const struct ptdbg_marker *m = &v->markers[i];
		if (!cpu_marker(m) || (m->end != 0 && m->end <= m->start))
			continue;
		if (m->start <= last && first <= marker_last(m))
			seen |= 1u << (m->tracking < 3 ? m->tracking : PTDBG_TRACK_NA);
	}
	if (!seen)
		return false;
	if (seen == 1u << PTDBG_TRACK_TRACKED)
		*tracking = PTDBG_TRACK_TRACKED;
	else if (seen == 1u << PTDBG_TRACK_UNTRACKED)
		*tracking = PTDBG_TRACK_UNTRACKED;
	else
		*tracking = PTDBG_TRACK_NA;
	return true;
}

const struct ptdbg_marker *ptdbg_region_marker(const struct ptdbg_region_view *v, uint64_t va)
{
	for (size_t i = 0; i < v->nmarkers; i++) {
		const struct ptdbg_marker *m = &v->markers[i];
		if (cpu_marker(m) && va >= m->start && (m->end == 0 || va < m->end))
			return m;
	}
	return NULL;
}

/* Whether the region's frame metadata can be used at all. */
static bool frames_usable(const struct ptdbg_region_view *v)
{
	const struct ptdbg_frames *f = &v->hdr.frames;
	return f->phys && f->elem_size && f->elem_size <= PTDBG_REGION_MAX_ELEM && f->count;
}

static bool described(const struct ptdbg_region_view *v, uint64_t pfn)
{
	const struct ptdbg_frames *f = &v->hdr.frames;
	return frames_usable(v) && pfn >= f->base_pfn && pfn - f->base_pfn < f->count;
}

/* ---- recording ---- */

struct ptdbg_region_checker *ptdbg_region_checker_new(const struct ptdbg_region_opts *o)
{
	struct ptdbg_region_checker *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->o = *o;
	c->max_records = o->max_records ? o->max_records : DEFAULT_MAX_RECORDS;
	c->max_nodes = o->max_nodes ? o->max_nodes : DEFAULT_MAX_NODES;
	memset(c->rec_pa, 0xff, sizeof(c->rec_pa));
	if (o->region && frames_usable(o->region)) {
		c->slot_base = o->region->hdr.frames.base_pfn;
		c->slot_count = o->region->hdr.frames.count;
	}
	return c;
}

void ptdbg_region_check_begin(struct ptdbg_region_checker *c, const char *name, uint32_t kind,
			      unsigned top, bool root_whole, const char *(*level_name)(unsigned level))
{
	(void)kind;
	c->top = top;
	c->root_whole = root_whole;
	c->level_name = level_name;
	memset(c->rec_pa, 0xff, sizeof(c->rec_pa)); /* no table announced yet */
	if (c->nspaces >= UINT16_MAX) {
		c->cur = UINT16_MAX;
		return;
	}
	char **s = realloc(c->spaces, (c->nspaces + 1) * sizeof(*s));
	if (!s || !(s[c->nspaces] = strdup(name ? name : ""))) {
		if (s)
			c->spaces = s;
		c->oom = true;
		return;
	}
	c->spaces = s;
	c->cur = (uint16_t)c->nspaces++;
}

static const char *space_name(const struct ptdbg_region_checker *c, uint32_t i)
{
	return i < c->nspaces ? c->spaces[i] : "";
}

static bool path_repeats(const struct ptdbg_walk_event *ev);

static void on_node(struct ptdbg_region_checker *c, const struct ptdbg_walk_event *ev)
{
	if (ev->level <= PTDBG_WALK_MAX_LEVEL) { /* for the leaves of this table */
		c->rec_pa[ev->level] = ev->pa;
		c->rec_on[ev->level] = path_repeats(ev);
	}
	if (ev->flags & PTDBG_NODE_RECURSIVE)
		return; /* a recursive slot: the table is judged where it really sits */
	if (c->nnodes >= c->max_nodes) {
		c->dropped_nodes++;
		return;
	}
	if (c->nnodes == c->capnodes) {
		size_t cap = c->capnodes ? c->capnodes * 2 : 256;
		struct node_rec *v = realloc(c->nodes, cap * sizeof(*v));
		if (!v) {
			c->oom = true;
			return;
		}
		c->nodes = v;
		c->capnodes = cap;
	}
	bool root = ev->level >= c->top;
	bool whole = root && c->root_whole;
	c->nodes[c->nnodes++] = (struct node_rec){
		.pa = ev->pa,
		/* An x86 root spans both canonical halves; a TTBR's root its half. */
		.va = whole ? 0 : ev->va,
		.last = whole ? UINT64_MAX : ev->va + (ev->size - 1),
		.parent = root || !ev->path ? PTDBG_NO_ADDR : ev->path->lv[ev->level + 1].table_pa,
		.space = c->cur,
		.level = (uint8_t)ev->level,
	};
}

static int cmp_leaf(const void *a, const void *b)
{
	const struct leaf_rec *x = a, *y = b;
	if (x->pfn != y->pfn)
		return x->pfn < y->pfn ? -1 : 1;
	if (x->cls != y->cls)
		return x->cls < y->cls ? -1 : 1;
	uint64_t xn = x->cls == CLS_BY_NODE ? x->node : 0, yn = y->cls == CLS_BY_NODE ? y->node : 0;
	if (xn != yn)
		return xn < yn ? -1 : 1;
	if (x->space != y->space)
		return x->space < y->space ? -1 : 1;
	return (x->va > y->va) - (x->va < y->va);
}

/* Sort the leaf records and merge those of one frame and class (and node, for
 * CLS_BY_NODE), summing counts and keeping the first mapping for names. */
static void merge_leaves(struct ptdbg_region_checker *c)
{
	if (c->nleaves < 2)
		return;
	qsort(c->leaves, c->nleaves, sizeof(*c->leaves), cmp_leaf);
	size_t k = 0;
	for (size_t i = 1; i < c->nleaves; i++) {
		struct leaf_rec *a = &c->leaves[k], *b = &c->leaves[i];
		bool same = a->pfn == b->pfn && a->cls == b->cls &&
			    (a->cls != CLS_BY_NODE || a->node == b->node);
		if (same) {
			a->count = a->count + b->count < a->count ? UINT32_MAX : a->count + b->count;
			a->user |= b->user;
			continue;
		}
		c->leaves[++k] = *b;
	}
	c->nleaves = k + 1;
}

/* Room for one more leaf record: grow, or merge when at the bound. */
static bool leaf_room(struct ptdbg_region_checker *c)
{
	if (c->nleaves < c->capleaves)
		return true;
	/* Merging first keeps frames mapped many times (shared pages) cheap. */
	if (c->capleaves >= MERGE_FIRST) {
		merge_leaves(c);
		if (c->nleaves < c->capleaves - c->capleaves / 4)
			return true;
	}
	if (c->capleaves < c->max_records) {
		size_t cap = c->capleaves ? c->capleaves * 2 : 4096;
		if (cap > c->max_records)
			cap = c->max_records;
		struct leaf_rec *v = realloc(c->leaves, cap * sizeof(*v));
		if (v) {
			c->leaves = v;
			c->capleaves = cap;
			return true;
		}
		c->oom = true;
		return false;
	}
	merge_leaves(c);
	return c->nleaves < c->capleaves;
}

/* Whether a table appears twice on ev's path: the leaf is reached through a
 * recursive slot, so it is a view of page tables, not a mapping that owns a frame. */
static bool through_recursion(const struct ptdbg_region_checker *c, const struct ptdbg_walk_event *ev)
{
	if (!ev->path)
		return false;
	/* the answer computed at the NODE event of the leaf's table, which precedes
	 * its leaves */
	if (ev->level <= PTDBG_WALK_MAX_LEVEL && c->rec_pa[ev->level] == ev->path->lv[ev->level].table_pa)
		return c->rec_on[ev->level];
	return path_repeats(ev);
}

/* Whether a table appears twice on ev's path from ev->level up. */
static bool path_repeats(const struct ptdbg_walk_event *ev)
{
	if (!ev->path)
		return false;
	for (unsigned a = ev->level; a <= ev->path->top; a++)
		for (unsigned b = a + 1; b <= ev->path->top; b++)
			if (ev->path->lv[a].table_pa == ev->path->lv[b].table_pa)
				return true;
	return false;
}

/* Whether no two CPU markers overlap (then the marker covering an address is the
 * only one, and the last one found can be reused while it covers the next). */
static bool markers_disjoint(const struct ptdbg_region_view *v)
{
	for (size_t i = 0; i < v->nmarkers; i++)
		for (size_t j = i + 1; j < v->nmarkers; j++) {
			const struct ptdbg_marker *a = &v->markers[i], *b = &v->markers[j];
			if (!cpu_marker(a) || !cpu_marker(b))
				continue;
			if ((a->end == 0 || b->start < a->end) && (b->end == 0 || a->start < b->end))
				return false;
		}
	return true;
}

/* ptdbg_region_marker(c's region, va), through the one-marker cache. */
static const struct ptdbg_marker *leaf_marker(struct ptdbg_region_checker *c, uint64_t va)
{
	const struct ptdbg_marker *m = c->mcache;
	if (m && va >= m->start && (m->end == 0 || va < m->end))
		return m;
	if (!c->disjoint)
		c->disjoint = markers_disjoint(c->o.region) ? 1 : -1;
	m = ptdbg_region_marker(c->o.region, va);
	if (c->disjoint > 0)
		c->mcache = m;
	return m;
}

/* The frame record of described frame pfn, created empty on first use; NULL when
 * out of memory or at the record bound. */
static struct frame_rec *frame_slot(struct ptdbg_region_checker *c, uint64_t pfn)
{
	const struct ptdbg_frames *fr = &c->o.region->hdr.frames;
	uint64_t i = pfn - fr->base_pfn;
	if (!c->slots) {
		c->nchunks = (size_t)((fr->count + (1u << SLOT_SHIFT) - 1) >> SLOT_SHIFT);
		c->slots = calloc(c->nchunks, sizeof(*c->slots));
		if (!c->slots) {
			c->oom = true;
			return NULL;
		}
	}
	uint32_t **chunk = &c->slots[i >> SLOT_SHIFT];
	if (!*chunk && !(*chunk = calloc((size_t)1 << SLOT_SHIFT, sizeof(**chunk)))) {
		c->oom = true;
		return NULL;
	}
	uint32_t *slot = &(*chunk)[i & ((1u << SLOT_SHIFT) - 1)];
	if (*slot)
		return &c->frames[*slot - 1];
	if (c->nframes >= c->max_records || c->nframes >= UINT32_MAX - 1)
		return NULL;
	if (c->nframes == c->capframes) {
		size_t cap = c->capframes ? c->capframes * 2 : 1024;
		if (cap > c->max_records)
			cap = c->max_records;
		struct frame_rec *v = realloc(c->frames, cap * sizeof(*v));
		if (!v) {
			c->oom = true;
			return NULL;
		}
		c->frames = v;
		c->capframes = cap;
	}
	struct frame_rec *f = &c->frames[c->nframes++];
	memset(f, 0, sizeof(*f));
	f->pfn = pfn;
	*slot = (uint32_t)c->nframes;
	return f;
}

/* The record of described frame pfn, or NULL when it has none yet (frame_slot()
 * makes it); allocates nothing. */
static inline struct frame_rec *frame_find(const struct ptdbg_region_checker *c, uint64_t pfn)
{
	uint64_t i = pfn - c->slot_base;
	const uint32_t *chunk = i < c->slot_count && c->slots ? c->slots[i >> SLOT_SHIFT] : NULL;
	uint32_t slot = chunk ? chunk[i & ((1u << SLOT_SHIFT) - 1)] : 0;
	return slot ? &c->frames[slot - 1] : NULL;
}

/* Whether the mapping at (space_a, va_a) comes before the one at (space_b, va_b):
 * the one a frame's record keeps for names is the first. */
static inline bool mapping_before(uint16_t space_a, uint64_t va_a, uint16_t space_b, uint64_t va_b)
{
	return space_a < space_b || (space_a == space_b && va_a < va_b);
}

/* The LEAF_USER bits of a leaf with permissions perm. */
static uint8_t leaf_user(const struct ptdbg_perm *perm)
{
	if (!(perm->access & PTDBG_P_UR))
		return 0;
	return (perm->access & PTDBG_P_UW) ? LEAF_USER | LEAF_USER_W : LEAF_USER;
}

/* One more mapping in merged record r: its count (saturating) and user bits. */
static void count_mapping(struct leaf_rec *r, uint8_t user)
{
	r->count = r->count + 1 < r->count ? UINT32_MAX : r->count + 1;
	r->user |= user;
}

/* Add one leaf mapping of a frame to the merged record r: as merge_leaves() merges
 * records (counts summed, user bits or-ed, the first mapping by space and address
 * kept for names). */
static void frame_add(struct leaf_rec *r, const struct leaf_rec *l)
{
	if (!r->count) {
		*r = *l;
		return;
	}
	count_mapping(r, l->user);
	if (mapping_before(l->space, l->va, r->space, r->va)) {
		uint32_t n = r->count;
		uint8_t u = r->user;
		*r = *l;
		r->count = n;
		r->user = u;
	}
}

/* Record the leaf of ev (level, size, perm, path) that maps va to pa, under marker m
 * (the one covering va, or NULL). */
static void record_leaf(struct ptdbg_region_checker *c, const struct ptdbg_walk_event *ev,
			const struct ptdbg_marker *m, uint64_t va, uint64_t pa)
{
	uint8_t cls = CLS_BY_NODE;
	if (m && m->tracking == PTDBG_TRACK_TRACKED) {
		cls = CLS_TRACKED;
	} else if (m && m->tracking == PTDBG_TRACK_UNTRACKED) {
		if (pa == va - m->start)
			return; /* a linear map of RAM: aliases every frame by design */
		cls = CLS_UNTRACKED;
	}
	uint64_t node = ev->path ? ev->path->lv[ev->level].table_pa : PTDBG_NO_ADDR;
	uint64_t frames = ev->size >> PFN_SHIFT;
	uint8_t user = leaf_user(&ev->perm);
	for (uint64_t i = 0; i < frames; i++) {
		struct leaf_rec l = {
			.pfn = (pa >> PFN_SHIFT) + i,
			.va = va + (i << PFN_SHIFT),
			.node = node,
			.count = 1,
			.space = c->cur,
			.cls = cls,
			.level = (uint8_t)ev->level,
			.user = user,
		};
		if (cls != CLS_BY_NODE && l.pfn - c->slot_base < c->slot_count) {
			struct frame_rec *f = frame_slot(c, l.pfn);
			if (!f) {
				c->dropped_leaves += frames - i;
				return;
			}
			frame_add(&f->cls[cls - CLS_TRACKED], &l);
			continue;
		}
		if (!leaf_room(c)) {
			c->dropped_leaves += frames - i;
			return;
		}
		c->leaves[c->nleaves++] = l;
	}
}

static void on_leaf(struct ptdbg_region_checker *c, const struct ptdbg_walk_event *ev)
{
	if (through_recursion(c, ev))
		return;
	record_leaf(c, ev, leaf_marker(c, ev->va), ev->va, ev->pa);
}

/* Whether no CPU marker meets [first, last]. */
static bool no_marker_meets(const struct ptdbg_region_view *v, uint64_t first, uint64_t last)
{
	for (size_t i = 0; i < v->nmarkers; i++) {
		const struct ptdbg_marker *m = &v->markers[i];
		if (cpu_marker(m) && !(m->end != 0 && m->end <= m->start) &&
		    m->start <= last && first <= marker_last(m))
			return false;
	}
	return true;
}

/* on_run() for a run of 4 KiB leaves that marker m (tracked or untracked) covers
 * whole: record_leaf() for each, with what stays the same from leaf to leaf held in
 * locals, so that a leaf whose frame was met before costs its slot and its record.
 * What that cannot settle (a frame met first, a mapping that comes before the one
 * kept, a frame outside the slots) goes to record_leaf(). */
static void run_frames(struct ptdbg_region_checker *c, const struct ptdbg_walk_event *run,
		       const struct ptdbg_marker *m)
{
	const bool untracked = m->tracking == PTDBG_TRACK_UNTRACKED;
	const unsigned ci = (untracked ? CLS_UNTRACKED : CLS_TRACKED) - CLS_TRACKED;
	const uint64_t addr = run->run_addr;
	const uint16_t cur = c->cur;
	const uint8_t user = leaf_user(&run->perm);
	for (uint64_t k = 0; k < run->count && !c->oom; k++) {
		uint64_t va = run->va + (k << PFN_SHIFT), pa = run->run[k] & addr;
		if (untracked && pa == va - m->start)
			continue; /* a linear map of RAM (as record_leaf) */
		struct frame_rec *f = frame_find(c, pa >> PFN_SHIFT);
		struct leaf_rec *r = f ? &f->cls[ci] : NULL;
		if (r && r->count && mapping_before(r->space, r->va, cur, va)) {
			count_mapping(r, user); /* frame_add() of a later mapping */
			continue;
		}
		record_leaf(c, run, m, va, pa);
	}
}

/* A LEAF_RUN: as on_leaf for each leaf. They share the path (one table), and when
 * one marker covers them all, or none meets them, the marker. */
static void on_run(struct ptdbg_region_checker *c, const struct ptdbg_walk_event *run)
{
	if (through_recursion(c, run))
		return;
	uint64_t last = run->va + (run->count * run->size - 1);
	const struct ptdbg_marker *m = leaf_marker(c, run->va);
	bool same = m ? c->disjoint > 0 && (m->end == 0 || last < m->end)
		      : no_marker_meets(c->o.region, run->va, last);
	if (same && m && run->size == 1ull << PFN_SHIFT &&
	    (m->tracking == PTDBG_TRACK_TRACKED || m->tracking == PTDBG_TRACK_UNTRACKED)) {
		run_frames(c, run, m);
		return;
	}
	for (uint64_t k = 0; k < run->count && !c->oom; k++) {
		uint64_t va = run->va + k * run->size;
		record_leaf(c, run, same ? m : leaf_marker(c, va), va, run->run[k] & run->run_addr);
	}
}

int ptdbg_region_visit(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct ptdbg_region_checker *c = ctx;
	if (ev->kind == PTDBG_EV_NODE)
		on_node(c, ev);
	else if (ev->kind == PTDBG_EV_LEAF)
		on_leaf(c, ev);
	else if (ev->kind == PTDBG_EV_LEAF_RUN)
		on_run(c, ev);
	return c->oom ? PTDBG_ENOMEM : 0;
}

/* ---- frame metadata ---- */

/*
 * Read the metadata of the n sorted, distinct frames pfns[] into meta[], setting
 * have[i] when frame i is described and readable. Frames are read in windows of
 * at most META_WINDOW consecutive frames, each window ending at the last wanted
 * frame in it. Returns 0 or a link error.
 */
static int read_metas(struct ptdbg_region_checker *c, const uint64_t *pfns, size_t n,
		      struct ptdbg_frame_meta *meta, bool *have)
{
	const struct ptdbg_region_view *v = c->o.region;
	struct ptdbg_frame_meta *win = c->win;
	size_t i = 0;
	memset(have, 0, n * sizeof(*have));
	while (i < n) {
		if (!described(v, pfns[i])) {
			i++;
			continue;
		}
		uint64_t first = pfns[i];
		size_t j = i;
		while (j + 1 < n && pfns[j + 1] - first < META_WINDOW && described(v, pfns[j + 1]))
			j++;
		size_t len = (size_t)(pfns[j] - first + 1);
		int rc = c->o.mem ? ptdbg_region_frames_read_mem(c->o.mem, v, first, len, win)
				  : ptdbg_region_frames_read(c->o.t, v, first, len, win);
		if (ptdbg_link_error(rc))
			return rc;
		if (rc == 0)
			for (size_t k = i; k <= j; k++) {
				meta[k] = win[pfns[k] - first];
				have[k] = true;
			}
		i = j + 1;
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* The metadata of node frame pa, or NULL if the region does not describe it. */
static const struct ptdbg_frame_meta *node_meta(const struct ptdbg_region_checker *c, uint64_t pa)
{
	uint64_t pfn = pa >> PFN_SHIFT;
	const uint64_t *hit = bsearch(&pfn, c->node_pfns, c->nnode_pfns, sizeof(pfn), cmp_u64);
	if (!hit)
		return NULL;
	size_t i = (size_t)(hit - c->node_pfns);
	return c->node_have[i] ? &c->node_meta[i] : NULL;
}

/* Read the metadata of every node and parent frame. */
static int load_node_meta(struct ptdbg_region_checker *c)
{
	size_t n = 0;
	uint64_t *p = malloc((2 * c->nnodes + 1) * sizeof(*p));
	if (!p)
		return PTDBG_ENOMEM;
	for (size_t i = 0; i < c->nnodes; i++) {
		p[n++] = c->nodes[i].pa >> PFN_SHIFT;
		if (c->nodes[i].parent != PTDBG_NO_ADDR)
			p[n++] = c->nodes[i].parent >> PFN_SHIFT;
	}
	qsort(p, n, sizeof(*p), cmp_u64);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (u == 0 || p[u - 1] != p[i])
			p[u++] = p[i];
	c->node_pfns = p;
	c->nnode_pfns = u;
	c->node_meta = calloc(u + 1, sizeof(*c->node_meta));
	c->node_have = calloc(u + 1, sizeof(*c->node_have));
	if (!c->node_meta || !c->node_have)
		return PTDBG_ENOMEM;
	return read_metas(c, p, u, c->node_meta, c->node_have);
}

/* ---- findings ---- */

/* Fill the naming fields of f: space, marker at va, frame, node. */
static void name_finding(struct ptdbg_region_checker *c, struct ptdbg_finding *f, uint32_t space,
			 uint64_t va, uint64_t frame, uint64_t node)
{
	if (!f)
		return;
	snprintf(f->space, sizeof(f->space), "%s", space_name(c, space));
	const struct ptdbg_marker *m = ptdbg_region_marker(c->o.region, va);
	if (m) {
		char name[PTDBG_NAME_LEN + 1];
		ptdbg_name_copy(name, m->name, PTDBG_NAME_LEN);
		snprintf(f->marker, sizeof(f->marker), "%s", name);
	}
	f->frame = frame;
	f->node = node;
}

static int cmp_node(const void *a, const void *b)
{
	const struct node_rec *x = a, *y = b;
	if (x->pa != y->pa)
		return x->pa < y->pa ? -1 : 1;
	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	return (x->space > y->space) - (x->space < y->space);
}

static const char *level_table(const struct ptdbg_region_checker *c, unsigned level)
{
	return level >= 1 && level <= 5 && c->level_name ? c->level_name(level) : "table";
}

/* Node checks: recorded status against the span's markers and against the parent;
 * a live node on a free frame. Each node (and node-parent pair) judged once. */
static void check_nodes(struct ptdbg_region_checker *c)
{
	const struct ptdbg_region_view *v = c->o.region;
	qsort(c->nodes, c->nnodes, sizeof(*c->nodes), cmp_node);
	for (size_t i = 0; i < c->nnodes; i++) {
		const struct node_rec *n = &c->nodes[i];
		bool first_of_pa = i == 0 || c->nodes[i - 1].pa != n->pa;
		bool first_of_pair = first_of_pa || c->nodes[i - 1].parent != n->parent;
		const struct ptdbg_frame_meta *m = node_meta(c, n->pa);
		if (first_of_pa && frames_usable(v) && (!described(v, n->pa >> PFN_SHIFT) ||
				    (m && (m->usage == PTDBG_FRAME_RESERVED || m->usage == PTDBG_FRAME_MMIO)))) {
			struct ptdbg_finding *f = ptdbg_finding_add(
				c->o.out, "table-outside-ram", PTDBG_SEV_ERROR, n->va, n->last - n->va + 1,
				"%s at %#llx is %s: the CPU walks whatever answers there (QEMU reads it as zeros or device registers)",
				level_table(c, n->level), (unsigned long long)n->pa,
				m ? "in a reserved or device frame, not RAM" : "past the RAM the kernel describes");
			name_finding(c, f, n->space, n->va, n->pa, n->pa);
			continue;
		}
		if (!m || !first_of_pair)
			continue;
		uint64_t size = n->last - n->va + 1; /* 0 for a root: the whole space */
		if (first_of_pa && m->usage == PTDBG_FRAME_FREE) {
			struct ptdbg_finding *f = ptdbg_finding_add(
				c->o.out, "freed-frame-mapped", PTDBG_SEV_ERROR, n->va, size,
				"%s at %#llx is a live page-table node, but the allocator holds its frame as free (refcount %d)",
				level_table(c, n->level), (unsigned long long)n->pa, m->refcount);
			name_finding(c, f, n->space, n->va, n->pa, n->pa);
			continue;
		}
		if (m->usage != PTDBG_FRAME_PT)
			continue;
		uint32_t req;
		if (first_of_pa && ptdbg_region_required(v, n->va, n->last, &req) && req != m->tracking) {
			struct ptdbg_finding *f = ptdbg_finding_add(
				c->o.out, "node-tracking-mismatch", PTDBG_SEV_ERROR, n->va, size,
				"%s at %#llx records tracking '%s' but the range markers over its span require '%s'%s",
				level_table(c, n->level), (unsigned long long)n->pa, ptdbg_tracking_name(m->tracking),
				ptdbg_tracking_name(req),
				req == PTDBG_TRACK_NA ? " (the span covers ranges of different requirements)" :
				req == PTDBG_TRACK_UNTRACKED && m->tracking == PTDBG_TRACK_TRACKED ?
				": freeing it would drop references its leaves never took" :
				req == PTDBG_TRACK_TRACKED && m->tracking == PTDBG_TRACK_UNTRACKED ?
				": its leaves hold no references, frames may be freed while mapped" : "");
			name_finding(c, f, n->space, n->va, n->pa, n->pa);
		}
		if (n->parent == PTDBG_NO_ADDR)
			continue;
		const struct ptdbg_frame_meta *pm = node_meta(c, n->parent);
		if (!pm || pm->usage != PTDBG_FRAME_PT || pm->tracking == PTDBG_TRACK_NA ||
		    pm->tracking == m->tracking)
			continue;
		struct ptdbg_finding *f = ptdbg_finding_add(
			c->o.out, "tracking-parent-mismatch", PTDBG_SEV_ERROR, n->va, size,
			"%s at %#llx records tracking '%s' but its parent %s at %#llx records '%s'",
			level_table(c, n->level), (unsigned long long)n->pa, ptdbg_tracking_name(m->tracking),
			level_table(c, n->level + 1u), (unsigned long long)n->parent, ptdbg_tracking_name(pm->tracking));
		name_finding(c, f, n->space, n->va, n->pa, n->pa);
	}
}

static void flush_run(struct ptdbg_region_checker *c, int which)
{
	struct frame_run *r = &c->runs[which];
	if (!r->open)
		return;
	uint64_t nframes = r->pfn_last - r->pfn0 + 1;
	char extra[48] = "";
	if (nframes > 1)
		snprintf(extra, sizeof(extra), " (%llu frames alike from here)", (unsigned long long)nframes);
	struct ptdbg_finding *f = ptdbg_finding_add(c->o.out, r->kind, PTDBG_SEV_ERROR, r->va0,
						    nframes << PFN_SHIFT, "%s%s", r->msg, extra);
	name_finding(c, f, r->space, r->va0, r->pfn0 << PFN_SHIFT, r->node);
	r->open = false;
}

/* Report frame rec under run `which` with message msg, extending the open run when
 * rec continues it (next frame, next page, same space). */
static void note_frame(struct ptdbg_region_checker *c, int which, const char *kind,
		       const struct leaf_rec *rec, const char *msg)
{
	struct frame_run *r = &c->runs[which];
	if (r->open && rec->pfn == r->pfn_last + 1 && rec->va == r->va_last + 4096 && rec->space == r->space) {
		r->pfn_last = rec->pfn;
		r->va_last = rec->va;
		return;
	}
	flush_run(c, which);
	*r = (struct frame_run){ .kind = kind, .open = true, .pfn0 = rec->pfn, .pfn_last = rec->pfn,
				 .va0 = rec->va, .va_last = rec->va, .node = rec->node, .space = rec->space };
	snprintf(r->msg, sizeof(r->msg), "%s", msg);
}

/* The class of rec with CLS_BY_NODE resolved from its node's recorded status
 * (0 when that is unknown or not applicable). */
static uint8_t leaf_class(const struct ptdbg_region_checker *c, const struct leaf_rec *rec)
{
	if (rec->cls != CLS_BY_NODE)
		return rec->cls;
	const struct ptdbg_frame_meta *m = node_meta(c, rec->node);
	if (!m || m->usage != PTDBG_FRAME_PT)
		return 0;
	return m->tracking == PTDBG_TRACK_TRACKED ? CLS_TRACKED :
	       m->tracking == PTDBG_TRACK_UNTRACKED ? CLS_UNTRACKED : 0;
}

/* The name of address space index owner in the region, or a number. */
static void owner_name(const struct ptdbg_region_view *v, uint32_t owner, char *buf, size_t len)
{
	if (owner < v->nspaces) {
		char name[PTDBG_NAME_LEN + 1];
		ptdbg_name_copy(name, v->spaces[owner].name, PTDBG_NAME_LEN);
		snprintf(buf, len, "%s", name);
	} else if (owner == PTDBG_OWNER_NONE) {
		snprintf(buf, len, "no owner");
	} else {
		snprintf(buf, len, "owner #%u", owner);
	}
}

/* The frame checks for the records recs[0..n) of one frame, whose metadata is m. */
static void leaf_not_ram(struct ptdbg_region_checker *c, const struct leaf_rec *recs, size_t n);

static void check_frame(struct ptdbg_region_checker *c, const struct leaf_rec *recs, size_t n,
			const struct ptdbg_frame_meta *m)
{
	char msg[300], own[48];
	if (m->usage == PTDBG_FRAME_MMIO || m->usage == PTDBG_FRAME_RESERVED) {
		leaf_not_ram(c, recs, n); /* a device or a hole inside the described range */
		return;
	}
	uint64_t tracked = 0;
	const struct leaf_rec *first_tracked = NULL, *first_untracked = NULL;
	for (size_t i = 0; i < n; i++) {
		uint8_t cls = leaf_class(c, &recs[i]);
		if (cls == CLS_TRACKED) {
			tracked += recs[i].count;
			if (!first_tracked)
				first_tracked = &recs[i];
		} else if (cls == CLS_UNTRACKED && !first_untracked) {
			first_untracked = &recs[i];
		}
	}
	/* An untracked mapping owns nothing: the untracked window may map any physical
	 * range, free frames included. A tracked one (or one of unknown kind) must not. */
	if (m->usage == PTDBG_FRAME_FREE && (first_tracked || !first_untracked)) {
		snprintf(msg, sizeof(msg),
			 "present %sleaf maps frame %#llx, which the allocator holds as free (refcount %d)",
			 first_tracked ? "tracked " : first_untracked ? "untracked " : "",
			 (unsigned long long)(recs[0].pfn << PFN_SHIFT), m->refcount);
		note_frame(c, RUN_FREED, "freed-frame-mapped", first_tracked ? first_tracked : recs, msg);
		return;
	}
	const struct leaf_rec *user = NULL;
	for (size_t i = 0; i < n && !user; i++)
		if (recs[i].user)
			user = &recs[i];
	if (user && (m->usage == PTDBG_FRAME_PT || m->usage == PTDBG_FRAME_KIMAGE ||
		     m->usage == PTDBG_FRAME_KHEAP)) {
		bool w = false;
		for (size_t i = 0; i < n; i++)
			w |= (recs[i].user & LEAF_USER_W) != 0;
		struct ptdbg_finding *f = ptdbg_finding_add(
			c->o.out, "user-maps-kernel-frame", PTDBG_SEV_ERROR, user->va, 4096,
			"user-%s leaf maps frame %#llx, which holds %s%s: user code can %s",
			w ? "writable" : "readable", (unsigned long long)(recs[0].pfn << PFN_SHIFT),
			m->usage == PTDBG_FRAME_PT ? "a page table" : m->usage == PTDBG_FRAME_KIMAGE ?
			"the kernel image" : "kernel data", m->usage == PTDBG_FRAME_PT && m->pt_level ?
			(m->pt_level == 1 ? " (level 1)" : m->pt_level == 2 ? " (level 2)" : m->pt_level == 3 ?
			 " (level 3)" : " (level 4+)") : "",
			m->usage == PTDBG_FRAME_PT ? (w ? "rewrite page tables" : "read page tables") :
			(w ? "rewrite the kernel" : "read the kernel"));
		name_finding(c, f, user->space, user->va, recs[0].pfn << PFN_SHIFT, user->node);
	}
	if (m->usage != PTDBG_FRAME_TRACKED)
		return;
	owner_name(c->o.region, m->owner, own, sizeof(own));
	if (first_tracked && tracked > (uint64_t)(m->refcount < 0 ? 0 : m->refcount)) {
		snprintf(msg, sizeof(msg),
			 "tracked frame %#llx (owner %s) is mapped by %llu tracked leaves but has refcount %d: "
			 "unmapping them would free it while mapped",
			 (unsigned long long)(recs[0].pfn << PFN_SHIFT), own, (unsigned long long)tracked, m->refcount);
		note_frame(c, RUN_REFCOUNT, "refcount-below-mappings", first_tracked, msg);
	}
	if (first_untracked) {
		snprintf(msg, sizeof(msg),
			 "untracked leaf maps frame %#llx, which the allocator believes is a tracked frame of %s "
			 "(refcount %d): the mapping holds no reference on it",
			 (unsigned long long)(recs[0].pfn << PFN_SHIFT), own, m->refcount);
		note_frame(c, RUN_OWNED, "untracked-leaf-owned", first_untracked, msg);
	}
}

/* A described frame that is not RAM (reserved or device): a user mapping of it. */
static void leaf_not_ram(struct ptdbg_region_checker *c, const struct leaf_rec *recs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!recs[i].user)
			continue;
		struct ptdbg_finding *f = ptdbg_finding_add(
			c->o.out, "leaf-outside-ram", PTDBG_SEV_WARNING, recs[i].va, 4096,
			"user-accessible leaf maps %#llx, a frame the kernel describes as reserved or device "
			"memory, not RAM: a device, or nothing",
			(unsigned long long)(recs[i].pfn << PFN_SHIFT));
		name_finding(c, f, recs[i].space, recs[i].va, recs[i].pfn << PFN_SHIFT, recs[i].node);
		return;
	}
}

/* A frame the region does not describe: a user mapping below or past the RAM it describes. */
static void check_outside(struct ptdbg_region_checker *c, const struct leaf_rec *recs, size_t n)
{
	const struct ptdbg_frames *fr = &c->o.region->hdr.frames;
	if (!frames_usable(c->o.region) ||
	    (recs[0].pfn >= fr->base_pfn && recs[0].pfn < fr->base_pfn + fr->count))
		return; /* a hole inside the described range: unreadable metadata, not a finding */
	for (size_t i = 0; i < n; i++) {
		if (!recs[i].user)
			continue;
		struct ptdbg_finding *f = ptdbg_finding_add(
			c->o.out, "leaf-outside-ram", PTDBG_SEV_WARNING, recs[i].va, 4096,
			"user-accessible leaf maps %#llx, %s the RAM the kernel describes (%#llx-%#llx): a device, or nothing",
			(unsigned long long)(recs[i].pfn << PFN_SHIFT),
			recs[i].pfn < fr->base_pfn ? "below" : "past the end of",
			(unsigned long long)(fr->base_pfn << PFN_SHIFT),
			(unsigned long long)((fr->base_pfn + fr->count) << PFN_SHIFT));
		name_finding(c, f, recs[i].space, recs[i].va, recs[i].pfn << PFN_SHIFT, recs[i].node);
		return;
	}
}

/* Where check_leaves() is in the frame slots and in the (sorted) leaf records. */
struct frame_cursor {
	uint64_t slot;  /* next slot index (pfn - base_pfn) to look at */
	size_t leaf;    /* next leaf record */
};

/* The records of the next mapped frame in pfn order, as merge_leaves() would have
 * ordered them (class, then node, space, address): the frame's slot records, then
 * its leaf records, copied to c->group. Sets *pfn and returns their number; 0 when
 * every frame has been seen, or -1 when out of memory. */
static long next_frame(struct ptdbg_region_checker *c, struct frame_cursor *cur, uint64_t *pfn)
{
	uint64_t total = (uint64_t)c->nchunks << SLOT_SHIFT;
	const struct frame_rec *f = NULL;
	while (cur->slot < total) {
		const uint32_t *chunk = c->slots[cur->slot >> SLOT_SHIFT];
		if (!chunk) {
			cur->slot = ((cur->slot >> SLOT_SHIFT) + 1) << SLOT_SHIFT;
			continue;
		}
		uint32_t v = chunk[cur->slot & ((1u << SLOT_SHIFT) - 1)];
		if (v) {
			f = &c->frames[v - 1];
			break;
		}
		cur->slot++;
	}
	uint64_t sp = f ? f->pfn : UINT64_MAX;
	uint64_t lp = cur->leaf < c->nleaves ? c->leaves[cur->leaf].pfn : UINT64_MAX;
	if (!f && cur->leaf >= c->nleaves)
		return 0;
	uint64_t p = sp < lp ? sp : lp;
	size_t n = 0, m = 0;
	while (cur->leaf + m < c->nleaves && c->leaves[cur->leaf + m].pfn == p)
		m++;
	if (m + 2 > c->capgroup) {
		size_t cap = m + 2 > 2 * c->capgroup ? m + 2 : 2 * c->capgroup;
		struct leaf_rec *g = realloc(c->group, cap * sizeof(*g));
		if (!g)
			return -1;
		c->group = g;
		c->capgroup = cap;
	}
	if (sp == p) {
		for (int k = 0; k < 2; k++)
			if (f->cls[k].count)
				c->group[n++] = f->cls[k];
		cur->slot++;
	}
	if (m)
		memcpy(&c->group[n], &c->leaves[cur->leaf], m * sizeof(*c->group));
	cur->leaf += m;
	*pfn = p;
	return (long)(n + m);
}

/* Frame checks over every recorded leaf frame, reading metadata a chunk at a time. */
static int check_leaves(struct ptdbg_region_checker *c)
{
	enum { CHUNK = 8192 };
	uint64_t *pfns = malloc(CHUNK * sizeof(*pfns));
	struct ptdbg_frame_meta *meta = malloc(CHUNK * sizeof(*meta));
	bool *have = malloc(CHUNK * sizeof(*have));
	int rc = 0;
	if (!pfns || !meta || !have)
		rc = PTDBG_ENOMEM;
	merge_leaves(c);
	struct frame_cursor cur = { 0, 0 };
	while (!rc) {
		/* The next chunk of distinct frames. */
		struct frame_cursor start = cur;
		size_t u = 0;
		uint64_t pfn;
		long n = 0;
		while (u < CHUNK && (n = next_frame(c, &cur, &pfn)) > 0)
			pfns[u++] = pfn;
		if (n < 0) {
			rc = PTDBG_ENOMEM;
			break;
		}
		if (!u)
			break;
		rc = read_metas(c, pfns, u, meta, have);
		if (rc)
			break;
		/* Replay the chunk and judge each frame. */
		cur = start;
		for (size_t f = 0; f < u; f++) {
			n = next_frame(c, &cur, &pfn);
			if (n <= 0) {
				rc = PTDBG_ENOMEM;
				break;
			}
			if (have[f])
				check_frame(c, c->group, (size_t)n, &meta[f]);
			else
				check_outside(c, c->group, (size_t)n);
		}
	}
	for (int r = 0; r < NRUNS; r++)
		flush_run(c, r);
	free(pfns);
	free(meta);
	free(have);
	return rc;
}

int ptdbg_region_finish(struct ptdbg_region_checker *c)
{
	if (!c->o.region || !c->o.region->hdr.frames.count)
		return 0;
	c->win = malloc(META_WINDOW * sizeof(*c->win));
	if (!c->win)
		return PTDBG_ENOMEM;
	int rc = load_node_meta(c);
	if (rc)
		return rc;
	check_nodes(c);
	rc = check_leaves(c);
	if (rc)
		return rc;
	if (c->dropped_leaves || c->dropped_nodes)
		ptdbg_finding_add(c->o.out, "region-check-partial", PTDBG_SEV_WARNING, 0, 0,
				  "memory bound reached: %llu leaf frames and %llu nodes were not checked against the frame metadata",
				  (unsigned long long)c->dropped_leaves, (unsigned long long)c->dropped_nodes);
	return 0;
}

void ptdbg_region_checker_free(struct ptdbg_region_checker *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nspaces; i++)
		free(c->spaces[i]);
	free(c->spaces);
	free(c->nodes);
	free(c->leaves);
	if (c->slots)
		for (size_t i = 0; i < c->nchunks; i++)
			free(c->slots[i]);
	free(c->slots);
	free(c->frames);
	free(c->group);
	free(c->node_pfns);
	free(c->node_meta);
	free(c->node_have);
	free(c->win);
	free(c);
}
