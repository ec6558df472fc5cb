/* SPDX-License-Identifier: MIT */
/* Reverse mapping: the addresses that map a physical range (rmap.h). */
#include <stdlib.h>

#include "target/target.h"
#include "walk/rmap.h"

int ptdbg_rmap_visit(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct ptdbg_rmap *r = ctx;
	if (ev->kind != PTDBG_EV_LEAF || ev->size == 0)
		return 0;
	uint64_t a = ev->pa, b = ev->pa + ev->size; /* [a, b) */
	if (b <= r->lo || a >= r->hi)
		return 0;
	uint64_t from = a > r->lo ? a : r->lo, to = b < r->hi ? b : r->hi;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct ptdbg_rmap_hit *h = realloc(r->hits, cap * sizeof(*h));
		if (!h) {
			r->oom = PTDBG_ENOMEM;
			return PTDBG_ENOMEM;
		}
		r->hits = h;
		r->cap = cap;
	}
	r->hits[r->n++] = (struct ptdbg_rmap_hit){
		.space = r->cur, .va = ev->va + (from - a), .pa = from, .size = to - from,
		.leaf_va = ev->va, .page_size = ev->size, .perm = ev->perm,
	};
	return 0;
}

void ptdbg_rmap_free(struct ptdbg_rmap *r)
{
	free(r->hits);
	r->hits = NULL;
	r->n = r->cap = 0;
}

int ptdbg_pa_set_add(struct ptdbg_pa_set *s, uint64_t lo, uint64_t hi, const char *what)
{
	if (hi <= lo)
		return 0;
	if (s->n && s->r[s->n - 1].hi == lo && s->r[s->n - 1].what == what) {
		s->r[s->n - 1].hi = hi;
		return 0;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct ptdbg_pa_range *r = realloc(s->r, cap * sizeof(*r));
		if (!r)
			return PTDBG_ENOMEM;
		s->r = r;
		s->cap = cap;
	}
	s->r[s->n++] = (struct ptdbg_pa_range){ lo, hi, what };
	return 0;
}

static int cmp_pa_range(const void *a, const void *b)
{
	const struct ptdbg_pa_range *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

void ptdbg_pa_set_sort(struct ptdbg_pa_set *s)
{
	if (s->n < 2)
		return;
	qsort(s->r, s->n, sizeof(s->r[0]), cmp_pa_range);
	size_t k = 0;
	for (size_t i = 1; i < s->n; i++) {
		struct ptdbg_pa_range *last = &s->r[k];
		if (s->r[i].lo <= last->hi && s->r[i].what == last->what) {
			if (s->r[i].hi > last->hi)
				last->hi = s->r[i].hi;
		} else if (s->r[i].hi <= last->hi && s->r[i].lo >= last->lo) {
			continue; /* inside the last one: it is protected already */
		} else {
			s->r[++k] = s->r[i];
		}
	}
	s->n = k + 1;
}

const struct ptdbg_pa_range *ptdbg_pa_set_overlap(const struct ptdbg_pa_set *s, uint64_t lo, uint64_t hi)
{
	if (!s || !s->n)
		return NULL;
	/* the last range starting below hi, and the few before it that may reach lo
	 * (ranges of different kinds may overlap after sorting) */
	size_t a = 0, b = s->n;
	while (a < b) {
		size_t m = (a + b) / 2;
		if (s->r[m].lo < hi)
			a = m + 1;
		else
			b = m;
	}
	for (size_t i = a, steps = 0; i-- > 0 && steps < 64; steps++)
		if (lo < s->r[i].hi)
			return &s->r[i];
	return NULL;
}

void ptdbg_pa_set_free(struct ptdbg_pa_set *s)
{
	free(s->r);
	s->r = NULL;
	s->n = s->cap = 0;
}
