/* SPDX-License-Identifier: MIT */
/*
 * The walker frame (see frame.h): the walk engine every format shares, the
 * single-address translation loop, reading through a virtual address, and the
 * range coalescing of the printers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "walk/frame.h"
#include "walk/tableset.h"

/* ---- small shared rules ---- */

/* Fill levels 1..top of sp with 4 KiB tables of 512 entries. */
void ptdbg_space_geometry_4k(struct ptdbg_walk_space *sp, unsigned top)
{
	sp->top = top;
	for (unsigned l = 1; l <= top && l <= PTDBG_WALK_MAX_LEVEL; l++) {
		sp->lv[l].shift = (uint8_t)ptdbg_shift_4k(l);
		sp->lv[l].index_bits = 9;
	}
}

/* va sign-extended at bit bits - 1. */
static uint64_t sign_extend(uint64_t va, unsigned bits)
{
	uint64_t top = 1ull << (bits - 1);
	va &= (top << 1) - 1;
	return (va ^ top) - top;
}

/* The address events carry for the offset raw into sp. */
uint64_t ptdbg_space_addr(const struct ptdbg_walk_space *sp, uint64_t raw)
{
	return sp->sign_extend ? sign_extend(raw, sp->va_bits) : sp->va_base + raw;
}

/* The offset into sp of address va (the inverse of ptdbg_space_addr). */
static uint64_t space_raw(const struct ptdbg_walk_space *sp, uint64_t va)
{
	uint64_t raw = sp->sign_extend ? va : va - sp->va_base;
	return sp->va_bits < 64 ? raw & ((1ull << sp->va_bits) - 1) : raw;
}

/* Whether va is an address of sp. */
bool ptdbg_space_contains(const struct ptdbg_walk_space *sp, uint64_t va)
{
	if (sp->sign_extend)
		return sign_extend(va, sp->va_bits) == va;
	if (va < sp->va_base)
		return false;
	return sp->va_bits >= 64 || ((va - sp->va_base) >> sp->va_bits) == 0;
}

/* Name of an event kind. */
const char *ptdbg_event_name(enum ptdbg_event_kind k)
{
	switch (k) {
	case PTDBG_EV_NODE:    return "node";
	case PTDBG_EV_LEAF:    return "leaf";
	case PTDBG_EV_ABSENT:  return "absent";
	case PTDBG_EV_HOLE:    return "hole";
	case PTDBG_EV_ANOMALY: return "anomaly";
	case PTDBG_EV_LEAF_RUN: return "leaf-run";
	}
	return "?";
}

/* Name of anomaly a as decoder dec calls it ("?" if it has none). */
const char *ptdbg_anomaly_name(const struct ptdbg_decoder *dec, enum ptdbg_anomaly a)
{
	if ((unsigned)a >= PTDBG_AN_COUNT || !dec->anomaly_names[a])
		return "?";
	return dec->anomaly_names[a];
}

/* A growing list of tables to read, with the raw address each covers. */
struct todo {
	uint64_t *pa, *raw;
	size_t n, cap;
};

/* Append table pa covering raw; 0 or PTDBG_ENOMEM. */
static int todo_add(struct todo *t, uint64_t pa, uint64_t raw)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 512;
		uint64_t *a = realloc(t->pa, cap * sizeof(*a));
		if (!a)
			return PTDBG_ENOMEM;
		t->pa = a;
		uint64_t *b = realloc(t->raw, cap * sizeof(*b));
		if (!b)
			return PTDBG_ENOMEM;
		t->raw = b;
		t->cap = cap;
	}
	t->pa[t->n] = pa;
	t->raw[t->n++] = raw;
	return 0;
}

/* Free the list and empty it. */
static void todo_free(struct todo *t)
{
	free(t->pa);
	free(t->raw);
	memset(t, 0, sizeof(*t));
}

/* ---- the walk ---- */

/* A recent perm() of a leaf at one level, and what it was computed from: a few per
 * level, so that tables whose leaves differ in accessed/dirty bits still hit. */
#define PERM_CACHE 4u
struct perm_cache {
	bool valid, faults;
	uint64_t bits;
	struct ptdbg_perm perm;
};

struct walker {
	struct ptdbg_mem *mem;
	const struct ptdbg_walk_space *sp;
	const struct ptdbg_decoder *dec;
	struct ptdbg_walk_opts o;
	ptdbg_walk_visit_fn visit;
	void *ctx;
	uint64_t fixed_nodes;         /* the node budget, or 0: the scaled rule */
	struct ptdbg_walk_path path;
	uint64_t *table[PTDBG_WALK_LEVELS]; /* copy of the table iterated at each level */
	uint64_t up_and[PTDBG_WALK_LEVELS]; /* AND of the table entries above level */
	uint64_t up_or[PTDBG_WALK_LEVELS];  /* OR of the table entries above level */
	uint64_t *kids;               /* scratch for prefetching children */
	struct perm_cache pc[PTDBG_WALK_LEVELS][PERM_CACHE]; /* recent perm() per level */
	unsigned pc_next[PTDBG_WALK_LEVELS];                  /* the next one to replace */
	uint64_t pc_and[PTDBG_WALK_LEVELS], pc_or[PTDBG_WALK_LEVELS]; /* their up_and/or */
	struct ptdbg_walk_event leaf;                         /* the LEAF event, reused */
	struct ptdbg_table_set seen;
	struct ptdbg_walk_result res;
	int rc;                       /* the visitor's stop value or a link error */
	bool stop;                    /* unwind: rc set, or the budget ran out */
};

/* Bytes of a table at level. */
static size_t table_bytes(const struct walker *w, unsigned level)
{
	return (size_t)8 << w->sp->lv[level].index_bits;
}

/* Pages a table at level starting at pa touches. */
static size_t table_pages(const struct walker *w, unsigned level, uint64_t pa)
{
	uint64_t first = pa & ~(uint64_t)(PTDBG_PAGE_SIZE - 1);
	uint64_t last = pa + table_bytes(w, level) - 1;
	return (size_t)((last - first) / PTDBG_PAGE_SIZE + 1);
}

/* Whether [va, va+size-1] meets the filter. */
static bool in_filter(const struct walker *w, uint64_t va, uint64_t size)
{
	if (!w->o.va_filter)
		return true;
	return va <= w->o.va_last && va + (size - 1) >= w->o.va_first;
}

/* Stop the walk with rc (a link error or out of memory). */
static void abort_walk(struct walker *w, int rc)
{
	w->rc = rc;
	w->stop = true;
	w->res.partial = true;
}

/* Deliver ev; on a nonzero return remember it as the stop value. */
static void emit(struct walker *w, struct ptdbg_walk_event *ev)
{
	if (w->stop)
		return;
	ev->path = &w->path;
	ev->res = &w->res;
	int rc = w->visit ? w->visit(w->ctx, ev) : 0;
	if (rc)
		abort_walk(w, rc);
}

/* Count and deliver an ANOMALY event about the entry or table described. */
static void emit_anomaly(struct walker *w, enum ptdbg_anomaly a, unsigned level, uint64_t va,
			 uint64_t size, uint64_t pa, uint64_t entry, uint64_t detail)
{
	struct ptdbg_walk_event ev = {
		.kind = PTDBG_EV_ANOMALY, .level = level, .va = va, .size = size,
		.pa = pa, .entry = entry, .anomaly = a, .detail = detail,
	};
	w->res.anomalies++;
	emit(w, &ev);
}

/* The node budget: fixed, or PTDBG_WALK_NODES_PER_TABLE visits per distinct table
 * and at least PTDBG_WALK_MIN_NODES. */
static bool node_budget_left(struct walker *w)
{
	uint64_t max = w->fixed_nodes;

	if (!max) {
		max = PTDBG_WALK_NODES_PER_TABLE * (uint64_t)w->seen.n;
		if (max < PTDBG_WALK_MIN_NODES)
			max = PTDBG_WALK_MIN_NODES;
	}
	w->res.max_nodes = max;
	return w->res.nodes < max;
}

/* The leaf budget is spent: whether the distinct tables met so far allow more
 * (PTDBG_WALK_LEAVES_PER_TABLE each, up to PTDBG_WALK_LEAVES_HARD); if so it grows. */
static bool leaf_budget_grows(struct walker *w)
{
	uint64_t scaled = (uint64_t)PTDBG_WALK_LEAVES_PER_TABLE * w->seen.n;
	if (w->o.max_leaves) /* the caller's limit is the limit */
		return false;
	if (scaled > PTDBG_WALK_LEAVES_HARD)
		scaled = PTDBG_WALK_LEAVES_HARD;
	if (scaled <= w->res.leaves)
		return false;
	w->res.max_leaves = scaled;
	return true;
}

/* A budget ran out at the entry or table described: report it and stop. */
static void budget_hit(struct walker *w, unsigned level, uint64_t va, uint64_t size,
		       uint64_t pa, uint64_t entry, uint64_t detail)
{
	w->res.partial = true;
	w->res.budget_hit = true;
	emit_anomaly(w, PTDBG_AN_BUDGET, level, va, size, pa, entry, detail);
	w->stop = true;
}

/* Read the table at pa (level) into dst. Returns 0 or the read error. */
static int read_table(struct walker *w, unsigned level, uint64_t pa, uint64_t *dst)
{
	size_t bytes = table_bytes(w, level);
	size_t off = (size_t)(pa & (PTDBG_PAGE_SIZE - 1));
	const uint8_t *page;

	if (off + bytes > PTDBG_PAGE_SIZE)
		return ptdbg_mem_read(w->mem, pa, dst, bytes);
	int rc = ptdbg_mem_page(w->mem, pa, &page);
	if (rc)
		return rc;
	memcpy(dst, page + off, bytes);
	return 0;
}

/* The child table entry i of the table at level points to, if it is one the walk
 * would enter (a TABLE entry, not refused, meeting the filter): its address. */
static bool child_table(struct walker *w, unsigned level, uint64_t e, uint64_t raw,
			uint64_t *pa)
{
	struct ptdbg_entry ent;

	if (!e)
		return false;
	w->dec->entry(w->sp, level, e, &ent);
	if (ent.kind != PTDBG_ENT_TABLE || ent.refused)
		return false;
	if (!in_filter(w, ptdbg_space_addr(w->sp, raw), ptdbg_level_span(w->sp, level)))
		return false;
	*pa = ent.addr;
	return true;
}

/* Prefetch the child tables of the table at level (already in w->table[level]) that
 * are not cached yet (for level 2: stream them). Returns 0 or a link error. */
static int prefetch_children(struct walker *w, unsigned level, uint64_t raw_base)
{
	unsigned n = ptdbg_level_entries(w->sp, level);
	uint64_t span = ptdbg_level_span(w->sp, level);
	size_t nk = 0;

	if (level <= 1)
		return 0;
	for (unsigned i = 0; i < n; i++) {
		uint64_t pa;
		if (!child_table(w, level, w->table[level][i], raw_base + i * span, &pa))
			continue;
		for (size_t k = 0, np = table_pages(w, level - 1, pa); k < np; k++) {
			uint64_t p = pa + k * PTDBG_PAGE_SIZE;
			if (ptdbg_mem_page_state(w->mem, p) != 1)
				continue;
			if (nk == PTDBG_WALK_MAX_ENTRIES) {
				int rc = ptdbg_mem_prefetch(w->mem, w->kids, nk);
				if (rc)
					return rc;
				nk = 0;
			}
			w->kids[nk++] = p;
		}
	}
	if (!nk)
		return 0;
	/* The lowest tables (most of the bytes) stream in while this table's entries
	 * are walked, decoded as each arrives, instead of all being read first. */
	if (level == 2 && nk < PTDBG_WALK_MAX_ENTRIES)
		return ptdbg_mem_stream(w->mem, w->kids, nk);
	return ptdbg_mem_prefetch(w->mem, w->kids, nk);
}

/* Breadth-first prefetch: read every table of each level in one batch, top down,
 * while they fit in half of the cache. The depth-first pass then finds them
 * cached (and reads on demand whatever did not fit). */
static int prefetch_levels(struct walker *w)
{
	const struct ptdbg_walk_space *sp = w->sp;
	struct todo cur = { 0 }, next = { 0 }, pages = { 0 };
	size_t budget = ptdbg_mem_cap_pages(w->mem) / 2, total;
	uint64_t *scratch = w->table[0]; /* level 0 is never walked: a free buffer */
	int rc;

	if ((rc = todo_add(&cur, sp->root, 0)))
		goto out;
	for (size_t k = 0, np = table_pages(w, sp->top, sp->root); k < np; k++)
		if ((rc = todo_add(&pages, sp->root + k * PTDBG_PAGE_SIZE, 0)))
			goto out;
	total = pages.n;
	rc = ptdbg_mem_prefetch(w->mem, pages.pa, pages.n);
	for (unsigned level = sp->top; level > 1 && rc == 0 && cur.n; level--) {
		uint64_t span = ptdbg_level_span(sp, level);
		unsigned n = ptdbg_level_entries(sp, level);
		struct ptdbg_table_set dedup = { 0 };

		next.n = 0;
		pages.n = 0;
		for (size_t t = 0; t < cur.n && rc == 0; t++) {
			if (ptdbg_mem_page_state(w->mem, cur.pa[t]) != 0)
				continue; /* failed or not fetched: the DFS pass handles it */
			if (read_table(w, level, cur.pa[t], scratch))
				continue;
			for (unsigned i = 0; i < n; i++) {
				uint64_t raw = cur.raw[t] + i * span, pa;
				if (!child_table(w, level, scratch[i], raw, &pa))
					continue;
				int added = ptdbg_table_set_add(&dedup, pa);
				if (added < 0) {
					rc = added;
					break;
				}
				if (!added)
					continue;
				if ((rc = todo_add(&next, pa, raw)))
					break;
				for (size_t k = 0, np = table_pages(w, level - 1, pa); k < np && !rc; k++)
					rc = todo_add(&pages, pa + k * PTDBG_PAGE_SIZE, 0);
			}
		}
		ptdbg_table_set_free(&dedup);
		struct todo tmp = cur;
		cur = next;
		next = tmp;
		if (rc)
			break;
		if (total + pages.n > budget)
			break; /* does not fit: the rest is read subtree by subtree */
		total += pages.n;
		/* The lowest tables, most of the bytes, stream in while the depth-first
		 * pass decodes them, in the order it visits them (this one). */
		rc = level == 2 ? ptdbg_mem_stream(w->mem, pages.pa, pages.n)
				: ptdbg_mem_prefetch(w->mem, pages.pa, pages.n);
	}
out:
	todo_free(&cur);
	todo_free(&next);
	todo_free(&pages);
	return rc;
}

/* The nearest level above level whose table is pa, or 0. */
static unsigned ancestor_level(const struct walker *w, unsigned level, uint64_t pa)
{
	for (unsigned l = level + 1; l <= w->sp->top; l++)
		if (w->path.lv[l].table_pa == pa)
			return l;
	return 0;
}

static void walk_table(struct walker *w, unsigned level, uint64_t pa, uint64_t raw_base,
		       uint64_t parent_entry, bool faults);

/* Before the entries of a table at level: forget the permissions cached at that
 * level if they were computed under other table entries. */
static void perm_context(struct walker *w, unsigned level)
{
	struct perm_cache *set = w->pc[level];

	if (w->pc_and[level] == w->up_and[level] && w->pc_or[level] == w->up_or[level])
		return;
	w->pc_and[level] = w->up_and[level];
	w->pc_or[level] = w->up_or[level];
	for (unsigned i = 0; i < PERM_CACHE; i++)
		set[i].valid = false;
}

/* The permission of leaf e at level: the decoder's, or one computed recently at
 * this level for a leaf that agrees with e on the bits perm() reads (under the same
 * table entries: perm_context), as most leaves of a table share a few sets of
 * attributes. */
static void leaf_perm(struct walker *w, unsigned level, uint64_t e, bool faults,
		      struct ptdbg_perm *out)
{
	uint64_t m = w->sp->lv[level].perm_mask;
	uint64_t bits = e & (m ? m : ~0ull);
	struct perm_cache *set = w->pc[level], *c;

	for (unsigned i = 0; i < PERM_CACHE; i++) {
		c = &set[i];
		if (c->bits == bits && c->faults == faults && c->valid) {
			*out = c->perm;
			return;
		}
	}
	/* a miss: replace the entries in turn */
	c = &set[w->pc_next[level]++ % PERM_CACHE];
	w->dec->perm(w->sp, level, e, w->up_and[level], w->up_or[level], faults, out);
	c->valid = true;
	c->faults = faults;
	c->bits = bits;
	c->perm = *out;
}

/* Handle entry i of the table at level, which covers raw_base. */
static void walk_entry(struct walker *w, unsigned level, unsigned i, uint64_t raw_base,
		       uint64_t va, bool faults)
{
	const struct ptdbg_walk_space *sp = w->sp;
	uint64_t span = ptdbg_level_span(sp, level);
	uint64_t raw = raw_base + (uint64_t)i * span;
	uint64_t e = w->table[level][i];
	struct ptdbg_entry ent;

	if (!in_filter(w, va, span))
		return;
	w->path.level = level;
	w->path.lv[level].entry = e;
	w->path.lv[level].index = (uint16_t)i;
	if (e == 0)
		return;
	w->dec->entry(sp, level, e, &ent);
	if (ent.kind == PTDBG_ENT_ABSENT) {
		struct ptdbg_walk_event ev = {
			.kind = PTDBG_EV_ABSENT, .level = level, .va = va, .size = span, .entry = e,
		};
		w->res.absent++;
		emit(w, &ev);
		return;
	}
	if (ent.bad_type)
		emit_anomaly(w, PTDBG_AN_TYPE_LEVEL, level, va, span, 0, e, ent.bad_detail);
	if (ent.refused)
		return;
	if (ent.reserved)
		emit_anomaly(w, PTDBG_AN_RESERVED, level, va, span, 0, e, ent.reserved);
	faults = faults || ent.bad_type || ent.reserved;
	if (w->stop)
		return;

	if (ent.kind == PTDBG_ENT_TABLE) {
		w->up_and[level - 1] = w->up_and[level] & e;
		w->up_or[level - 1] = w->up_or[level] | e;
		walk_table(w, level - 1, ent.addr, raw, e, faults);
		return;
	}
	if (w->res.leaves >= w->res.max_leaves && !leaf_budget_grows(w)) {
		budget_hit(w, level, va, span, 0, e, w->res.leaves);
		return;
	}
	/* the hot path: one event reused for every leaf */
	struct ptdbg_walk_event *ev = &w->leaf;
	ev->level = level;
	ev->va = va;
	ev->size = span;
	ev->pa = ent.addr;
	ev->entry = e;
	leaf_perm(w, level, e, faults, &ev->perm);
	w->res.leaves++;
	int rc = w->visit ? w->visit(w->ctx, ev) : 0;
	if (rc)
		abort_walk(w, rc);
}

/* The end of a run of leaves: the first index in [j, end) whose entry differs from e
 * in a bit of mask, or (any nonzero) has none of any's bits; end if there is none.
 * Four entries a step, one branch for the four: the scan every leaf run costs. */
static inline unsigned run_end(const uint64_t *tab, unsigned j, unsigned end, uint64_t e, uint64_t mask,
			       uint64_t any)
{
	if (!any)
		for (; j + 4 <= end; j += 4)
			if (((tab[j] ^ e) | (tab[j + 1] ^ e) | (tab[j + 2] ^ e) | (tab[j + 3] ^ e)) & mask)
				break;
	while (j < end && !((tab[j] ^ e) & mask) && (!any || (tab[j] & any)))
		j++;
	return j;
}

/* The entries of the table at level (in w->table[level]) when the whole table is
 * inside the filter and in one half of the space: plain leaves (see
 * ptdbg_walk_level) go straight to the visitor, one event reused, their permission
 * recomputed only when the bits perm() reads change; anything else through
 * walk_entry(). The hot loop of every walk: what does not change from leaf to leaf
 * is set once, and the leaf budget is checked against what is left of it. */
static __attribute__((noinline)) void leaf_loop(struct walker *w, unsigned level, uint64_t raw_base, uint64_t va0,
		      bool faults)
{
	const struct ptdbg_walk_level *lv = &w->sp->lv[level];
	const uint64_t *tab = w->table[level];
	const uint64_t any = lv->plain_any, all = lv->plain_all, amask = lv->plain_addr;
	const uint64_t test = lv->plain_none | all; /* (e & test) == all: plain */
	const uint64_t pmask = lv->perm_mask ? lv->perm_mask : ~0ull;
	/* no nonzero entry has these bits under pmask: the first leaf computes perm() */
	const uint64_t no_bits = ~pmask;
	const unsigned shift = lv->shift;
	const unsigned n = ptdbg_level_entries(w->sp, level);
	struct ptdbg_walk_event *ev = &w->leaf;
	__typeof__(w->path.lv[0]) *slot = &w->path.lv[level];
	ptdbg_walk_visit_fn visit = w->visit;
	uint64_t last_bits = no_bits;
	const bool runs = w->o.leaf_runs;
	/* an entry continues a run when it equals the run's first leaf in these bits:
	 * then it is plain ((e & test) == all) with the same permission bits; and it
	 * has a bit of any when the first has and any lies within them */
	const uint64_t run_mask = test | pmask;
	const uint64_t run_any = (any & ~run_mask) ? any : 0;

	ev->run_addr = amask;
	ev->level = level;
	ev->size = 1ull << shift;
	w->path.level = level;
	for (unsigned i = 0; i < n; i++) {
		uint64_t e = tab[i];
		if (!e)
			continue;
		if (!(e & any) || (e & test) != all) {
			walk_entry(w, level, i, raw_base, va0 + ((uint64_t)i << shift), faults);
			if (w->stop)
				return;
			last_bits = no_bits; /* walk_entry may have used the event */
			ev->level = level;
			ev->size = 1ull << shift;
			w->path.level = level;
			continue;
		}
		uint64_t nl = w->res.leaves;
		if (nl >= w->res.max_leaves && !leaf_budget_grows(w)) {
			slot->entry = e;
			slot->index = (uint16_t)i;
			budget_hit(w, level, va0 + ((uint64_t)i << shift), 1ull << shift, 0, e, nl);
			return;
		}
		slot->entry = e;
		slot->index = (uint16_t)i;
		ev->va = va0 + ((uint64_t)i << shift);
		ev->pa = e & amask;
		ev->entry = e;
		if ((e & pmask) != last_bits) {
			leaf_perm(w, level, e, faults, &ev->perm);
			last_bits = e & pmask;
		}
		if (runs) {
			/* the plain leaves after it with the same permission bits, within
			 * the leaf budget (the next entry meets the budget's test) */
			uint64_t room = w->res.max_leaves - nl;
			unsigned end = room < n - i ? i + (unsigned)room : n;
			unsigned j = run_end(tab, i + 1, end, e, run_mask, run_any);
			w->res.leaves = nl + (j - i);
			if (visit) {
				ev->kind = PTDBG_EV_LEAF_RUN;
				ev->count = j - i;
				ev->run = tab + i;
				int rc = visit(w->ctx, ev);
				ev->kind = PTDBG_EV_LEAF;
				if (rc) {
					abort_walk(w, rc);
					return;
				}
			}
			i = j - 1;
			continue;
		}
		w->res.leaves = nl + 1;
		if (visit) {
			int rc = visit(w->ctx, ev);
			if (rc) {
				abort_walk(w, rc);
				return;
			}
		}
	}
}

/* Visit the table at pa (level), covering raw_base: read it, emit its NODE, then its
 * entries in order. */
static void walk_table(struct walker *w, unsigned level, uint64_t pa, uint64_t raw_base,
		       uint64_t parent_entry, bool faults)
{
	const struct ptdbg_walk_space *sp = w->sp;
	unsigned n = ptdbg_level_entries(sp, level);
	uint64_t tspan = (uint64_t)n << sp->lv[level].shift;
	uint64_t va = ptdbg_space_addr(sp, raw_base);
	uint32_t flags = 0;
	int rc;

	if (w->stop)
		return;
	if (!node_budget_left(w)) {
		budget_hit(w, level, va, tspan, pa, parent_entry, w->res.nodes);
		return;
	}
	rc = read_table(w, level, pa, w->table[level]);
	if (rc) {
		if (ptdbg_link_error(rc)) {
			abort_walk(w, rc);
			return;
		}
		w->res.read_errors++;
		emit_anomaly(w, PTDBG_AN_READ_ERROR, level, va, tspan, pa, parent_entry,
			     (uint64_t)-rc);
		return;
	}
	unsigned anc = ancestor_level(w, level, pa);
	int added = ptdbg_table_set_add(&w->seen, pa);
	if (added < 0) {
		abort_walk(w, added);
		return;
	}
	if (!added)
		flags |= PTDBG_NODE_SHARED;
	if (anc) {
		flags |= PTDBG_NODE_RECURSIVE;
		emit_anomaly(w, PTDBG_AN_RECURSIVE, level, va, tspan, pa, parent_entry, anc);
	}
	w->path.lv[level].table_pa = pa;
	w->path.level = level;
	w->res.nodes++;
	w->res.distinct_nodes = w->seen.n;
	struct ptdbg_walk_event ev = {
		.kind = PTDBG_EV_NODE, .level = level, .va = va, .size = tspan,
		.pa = pa, .entry = parent_entry, .flags = flags,
	};
	emit(w, &ev);
	if (!w->o.no_prefetch && !w->stop) {
		rc = prefetch_children(w, level, raw_base);
		if (ptdbg_link_error(rc)) {
			abort_walk(w, rc);
			return;
		}
	}
	unsigned half = sp->sign_extend && level == sp->top ? n / 2 : n;
	uint64_t espan = ptdbg_level_span(sp, level);
	uint64_t va0 = va; /* entry i is at va0 + i * espan (within one half) */
	perm_context(w, level);
	if (sp->lv[level].plain_any && half == n &&
	    (!w->o.va_filter || (va >= w->o.va_first && va + (tspan - 1) <= w->o.va_last))) {
		leaf_loop(w, level, raw_base, va, faults);
		return;
	}
	for (unsigned i = 0; i < n && !w->stop; i++) {
		if (i == half) {
			va0 = ptdbg_space_addr(sp, raw_base + (uint64_t)half * espan) - (uint64_t)half * espan;
			uint64_t hole = 1ull << (sp->va_bits - 1);
			uint64_t hsize = 0 - (1ull << sp->va_bits);
			if (!w->o.va_filter ||
			    (w->o.va_first <= hole + (hsize - 1) && w->o.va_last >= hole)) {
				struct ptdbg_walk_event h = {
					.kind = PTDBG_EV_HOLE, .level = level, .va = hole,
					.size = hsize,
				};
				emit(w, &h);
			}
		}
		walk_entry(w, level, i, raw_base, va0 + (uint64_t)i * espan, faults);
	}
}

/* Whether sp is a space the frame can walk. */
static bool space_ok(const struct ptdbg_walk_space *sp)
{
	if (!sp->dec || !sp->dec->entry || !sp->dec->perm || sp->top < 1 ||
	    sp->top > PTDBG_WALK_MAX_LEVEL || sp->va_bits < 1 || sp->va_bits > 64)
		return false;
	for (unsigned l = 1; l <= sp->top; l++)
		if (sp->lv[l].index_bits < 1 || (1u << sp->lv[l].index_bits) > PTDBG_WALK_MAX_ENTRIES ||
		    sp->lv[l].shift < 12 || sp->lv[l].shift > 63)
			return false;
	return !sp->sign_extend || sp->va_bits >= 2;
}

/* The walk: see frame.h. */
static uint64_t default_max_nodes, default_max_leaves;

void ptdbg_walk_set_default_budgets(uint64_t max_nodes, uint64_t max_leaves)
{
	default_max_nodes = max_nodes;
	default_max_leaves = max_leaves;
}

int ptdbg_walk(struct ptdbg_mem *mem, const struct ptdbg_walk_space *sp,
	       const struct ptdbg_walk_opts *opts, ptdbg_walk_visit_fn visit, void *ctx,
	       struct ptdbg_walk_result *res)
{
	struct walker *w;
	int rc = 0;

	if (res) /* filled on every return, the early errors included */
		memset(res, 0, sizeof(*res));
	if (!mem || !sp || !space_ok(sp))
		return PTDBG_EINVAL;
	if (opts && opts->va_filter && opts->va_first > opts->va_last)
		return PTDBG_EINVAL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return PTDBG_ENOMEM;
	w->mem = mem;
	w->sp = sp;
	w->dec = sp->dec;
	if (opts)
		w->o = *opts;
	w->visit = visit;
	w->ctx = ctx;
	if (!w->o.max_nodes)
		w->o.max_nodes = default_max_nodes;
	if (!w->o.max_leaves)
		w->o.max_leaves = default_max_leaves;
	w->fixed_nodes = w->o.max_nodes ? w->o.max_nodes : sp->dec->default_nodes;
	w->res.max_leaves = w->o.max_leaves ? w->o.max_leaves : PTDBG_WALK_MAX_LEAVES;
	w->path.top = sp->top;
	w->path.level = sp->top;
	for (unsigned l = 0; l <= sp->top; l++) {
		w->path.lv[l].table_pa = ~0ull;
		/* level 0 is a scratch buffer for the breadth-first pass */
		w->table[l] = malloc(l ? (size_t)8 << sp->lv[l].index_bits
				       : 8 * (size_t)PTDBG_WALK_MAX_ENTRIES);
		if (!w->table[l])
			rc = PTDBG_ENOMEM;
	}
	w->kids = malloc(8 * (size_t)PTDBG_WALK_MAX_ENTRIES);
	if (!w->kids)
		rc = PTDBG_ENOMEM;
	w->up_and[sp->top] = ~0ull; /* nothing above the root */
	w->up_or[sp->top] = 0;
	w->leaf.kind = PTDBG_EV_LEAF;
	w->leaf.path = &w->path;
	w->leaf.res = &w->res;
	if (!rc && !w->o.no_prefetch)
		rc = prefetch_levels(w);
	if (rc) {
		w->res.partial = true;
	} else {
		walk_table(w, sp->top, sp->root, 0, 0, false);
		rc = w->rc;
	}
	int src = ptdbg_mem_stream_end(mem); /* what the walk did not get to */
	if (!rc && ptdbg_link_error(src))
		rc = src;
	node_budget_left(w); /* the final budget */
	if (res)
		*res = w->res;
	for (unsigned l = 0; l <= sp->top; l++)
		free(w->table[l]);
	free(w->kids);
	ptdbg_table_set_free(&w->seen);
	free(w);
	return rc;
}

/* ---- single-address translation ---- */

/* Stop translation t at level for reason stop, with the decoder's fault code. */
static int xlate_stop(const struct ptdbg_walk_space *sp, struct ptdbg_translation *t,
		      enum ptdbg_stop stop, unsigned level)
{
	t->stop = stop;
	t->stop_level = level;
	t->fault = sp->dec->fault ? sp->dec->fault(sp, stop, level, t->access) : 0;
	return 0;
}

/* Whether the decoder lets perm do acc (everything, without an allows function). */
static bool xlate_allows(const struct ptdbg_walk_space *sp, const struct ptdbg_perm *perm,
			 unsigned acc)
{
	return !sp->dec->allows || sp->dec->allows(sp, perm, acc);
}

/* The translation loop: see frame.h. */
int ptdbg_translate(struct ptdbg_mem *mem, const struct ptdbg_walk_space *sp, uint64_t va,
		    unsigned acc, struct ptdbg_translation *out)
{
	uint64_t table = sp->root, up_and = ~0ull, up_or = 0;

	memset(out, 0, sizeof(*out));
	out->va = va;
	out->access = acc;
	out->levels = sp->top;
	if (!space_ok(sp))
		return PTDBG_EINVAL;
	if (!ptdbg_space_contains(sp, va))
		return xlate_stop(sp, out, PTDBG_STOP_RANGE, sp->top);
	uint64_t raw = space_raw(sp, va);
	for (unsigned level = sp->top; level >= 1; level--) {
		struct ptdbg_walk_step *st = &out->step[out->nsteps++];
		uint64_t span = ptdbg_level_span(sp, level);
		struct ptdbg_entry ent;

		st->level = level;
		st->table_pa = table;
		st->index = (unsigned)((raw >> sp->lv[level].shift) &
				       (ptdbg_level_entries(sp, level) - 1));
		st->entry_pa = table + 8ull * st->index;
		int rc = ptdbg_mem_read_u64(mem, st->entry_pa, &st->entry);
		if (rc) {
			if (ptdbg_link_error(rc))
				return rc;
			st->err = rc;
			return xlate_stop(sp, out, PTDBG_STOP_READ_ERROR, level);
		}
		uint64_t e = st->entry;
		if (e == 0)
			return xlate_stop(sp, out, PTDBG_STOP_NOT_PRESENT, level);
		sp->dec->entry(sp, level, e, &ent);
		if (ent.kind == PTDBG_ENT_ABSENT)
			return xlate_stop(sp, out, PTDBG_STOP_NOT_PRESENT, level);
		st->leaf = ent.kind == PTDBG_ENT_LEAF;
		st->reserved = ent.reserved | ent.bad_type;
		if (st->reserved)
			return xlate_stop(sp, out, PTDBG_STOP_RESERVED, level);
		if (sp->dec->check_tables) {
			sp->dec->perm(sp, level, e, up_and, up_or, false, &out->perm);
			if (!xlate_allows(sp, &out->perm, acc)) {
				memset(&out->perm, 0, sizeof(out->perm));
				return xlate_stop(sp, out, PTDBG_STOP_PROTECTION, level);
			}
		}
		if (!st->leaf) {
			up_and &= e;
			up_or |= e;
			table = ent.addr;
			continue;
		}
		out->page_size = span;
		out->pa = ent.addr | (raw & (span - 1));
		sp->dec->perm(sp, level, e, up_and, up_or, false, &out->perm);
		if (!xlate_allows(sp, &out->perm, acc))
			return xlate_stop(sp, out, PTDBG_STOP_PROTECTION, level);
		return 0;
	}
	return 0; /* not reached: level 1 entries are leaves */
}

/* Reading through a virtual address: see frame.h. */
size_t ptdbg_read_virt(struct ptdbg_mem *mem, const struct ptdbg_walk_space *sp, uint64_t va,
		       unsigned acc, void *buf, size_t len, struct ptdbg_translation *why,
		       int *link)
{
	struct ptdbg_translation tr;
	uint8_t *dst = buf;
	size_t done = 0;

	*link = 0;
	if (why) {
		memset(why, 0, sizeof(*why));
		why->stop = PTDBG_STOP_OK;
	}
	while (done < len) {
		uint64_t cur = va + done;
		int rc = ptdbg_translate(mem, sp, cur, acc, &tr);
		if (rc) {
			*link = rc;
			break;
		}
		if (tr.stop != PTDBG_STOP_OK && tr.stop != PTDBG_STOP_PROTECTION) {
			if (why)
				*why = tr;
			break;
		}
		size_t chunk = PTDBG_PAGE_SIZE - (size_t)(cur & (PTDBG_PAGE_SIZE - 1));
		if (chunk > len - done)
			chunk = len - done;
		rc = ptdbg_mem_read(mem, tr.pa, dst + done, chunk);
		if (rc) {
			if (ptdbg_link_error(rc))
				*link = rc;
			if (why) {
				*why = tr;
				why->stop = PTDBG_STOP_READ_ERROR;
			}
			break;
		}
		done += chunk;
	}
	return done;
}

/* ---- coalescing leaves into ranges ---- */

/* Open r with ev as its first page. */
void ptdbg_range_start(struct ptdbg_range *r, const struct ptdbg_walk_event *ev)
{
	r->open = true;
	r->va = ev->va;
	r->end = ev->va + ev->size;
	r->pa = ev->pa;
	r->next_pa = ev->pa + ev->size;
	r->level = ev->level;
	r->page = ev->size;
	r->perm = ev->perm;
	r->pages = 1;
}

void ptdbg_run_leaf(const struct ptdbg_walk_event *run, uint64_t k, struct ptdbg_walk_event *out)
{
	*out = *run;
	out->kind = PTDBG_EV_LEAF;
	ptdbg_run_move(run, k, out);
	out->count = 0;
	out->run = NULL;
}

uint64_t ptdbg_range_take_run(struct ptdbg_range *r, const struct ptdbg_walk_event *run, uint64_t k,
			      uint64_t to, const struct ptdbg_range_rule *rule,
			      void (*flush)(void *ctx), void *ctx)
{
	struct ptdbg_walk_event one;

	ptdbg_run_leaf(run, k, &one);
	if (!ptdbg_range_extend(r, &one, rule)) {
		flush(ctx);
		ptdbg_range_start(r, &one);
	}
	k++;
	return k < to ? k + ptdbg_range_extend_run(r, run, k, to, rule) : k;
}

int ptdbg_run_visit_each(ptdbg_walk_visit_fn visit, void *ctx, const struct ptdbg_walk_event *run)
{
	struct ptdbg_walk_event one;

	ptdbg_run_leaf(run, 0, &one);
	for (uint64_t k = 0; k < run->count; k++) {
		ptdbg_run_move(run, k, &one);
		int rc = visit(ctx, &one);
		if (rc)
			return rc;
	}
	return 0;
}

/* Name of a page size: the largest binary unit that divides it. */
const char *ptdbg_page_name(uint64_t size, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	unsigned u = 0;

	if (size == 0 || size % 1024) {
		snprintf(buf, len, "%lluB", (unsigned long long)size);
		return buf;
	}
	size >>= 10;
	while (size >= 1024 && size % 1024 == 0 && units[u + 1]) {
		size >>= 10;
		u++;
	}
	snprintf(buf, len, "%llu%c", (unsigned long long)size, units[u]);
	return buf;
}
