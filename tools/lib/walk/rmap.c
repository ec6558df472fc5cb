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
