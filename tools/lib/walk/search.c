/* SPDX-License-Identifier: MIT */
/* Searching guest memory through its mappings (search.h). */
#include <stdlib.h>
#include <string.h>

#include "walk/search.h"

#define CHUNK (1u << 20)

int ptdbg_search_add(struct ptdbg_search *s, size_t space, uint64_t va, uint64_t pa, uint64_t size,
		     const struct ptdbg_perm *perm)
{
	if (!size)
		return 0;
	if (s->nmaps == s->capmaps) {
		size_t cap = s->capmaps ? s->capmaps * 2 : 256;
		struct ptdbg_search_map *m = realloc(s->maps, cap * sizeof(*m));
		if (!m)
			return PTDBG_ENOMEM;
		s->maps = m;
		s->capmaps = cap;
	}
	s->maps[s->nmaps++] = (struct ptdbg_search_map){ space, va, pa, size, *perm };
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Maps sorted by (space, va), for finding a mapping's virtual continuation. */
static const struct ptdbg_search *sort_ctx;
static int cmp_map_idx(const void *a, const void *b)
{
	const struct ptdbg_search_map *x = &sort_ctx->maps[*(const size_t *)a];
	const struct ptdbg_search_map *y = &sort_ctx->maps[*(const size_t *)b];
	if (x->space != y->space)
		return x->space < y->space ? -1 : 1;
	return x->va < y->va ? -1 : x->va > y->va;
}

static int cmp_hit(const void *a, const void *b)
{
	const struct ptdbg_search_hit *x = a, *y = b;
	size_t sx = sort_ctx->maps[x->map].space, sy = sort_ctx->maps[y->map].space;
	if (sx != sy)
		return sx < sy ? -1 : 1;
	return x->va < y->va ? -1 : x->va > y->va;
}

struct state {
	struct ptdbg_search *s;
	size_t *by_pa;       /* map indexes sorted by pa */
	size_t *by_va;       /* map indexes sorted by (space, va) */
	size_t *va_pos;      /* position of map i in by_va */
	uint64_t max_size;   /* largest mapping */
};

static int cmp_by_pa(const void *a, const void *b)
{
	uint64_t x = sort_ctx->maps[*(const size_t *)a].pa, y = sort_ctx->maps[*(const size_t *)b].pa;
	return x < y ? -1 : x > y;
}

/* Whether mapping m holds [p, p+len) whole from its va at p: itself, or with the
 * mappings that follow it in its space, virtually and physically contiguous. */
static bool holds(const struct state *st, size_t m, uint64_t p, uint64_t len)
{
	const struct ptdbg_search *s = st->s;
	const struct ptdbg_search_map *cur = &s->maps[m];
	uint64_t end = p + len;
	size_t pos = st->va_pos[m];
	while (cur->pa + cur->size < end) {
		if (++pos >= s->nmaps)
			return false;
		const struct ptdbg_search_map *nx = &s->maps[st->by_va[pos]];
		if (nx->space != cur->space || nx->va != cur->va + cur->size || nx->pa != cur->pa + cur->size)
			return false;
		cur = nx;
	}
	return true;
}

static int add_hit(struct ptdbg_search *s, size_t m, uint64_t va, uint64_t pa)
{
	if (s->nhits == s->caphits) {
		size_t cap = s->caphits ? s->caphits * 2 : 64;
		struct ptdbg_search_hit *h = realloc(s->hits, cap * sizeof(*h));
		if (!h)
			return PTDBG_ENOMEM;
		s->hits = h;
		s->caphits = cap;
	}
	s->hits[s->nhits++] = (struct ptdbg_search_hit){ m, va, pa };
	return 0;
}

/* Every alias of a match at physical p. Returns 0, 1 when max is reached, or
 * PTDBG_ENOMEM. */
static int report(struct state *st, uint64_t p)
{
	struct ptdbg_search *s = st->s;
	size_t max = s->max ? s->max : PTDBG_SEARCH_MAX_HITS;
	/* by_pa: the first mapping that could hold p starts at least max_size below it */
	uint64_t from = p >= st->max_size ? p - st->max_size + 1 : 0;
	size_t lo = 0, hi = s->nmaps;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->maps[st->by_pa[mid]].pa < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < s->nmaps && s->maps[st->by_pa[i]].pa <= p; i++) {
		size_t m = st->by_pa[i];
		const struct ptdbg_search_map *mp = &s->maps[m];
		if (p - mp->pa >= mp->size || !holds(st, m, p, s->len))
			continue;
		if (s->nhits >= max) {
			s->truncated = true;
			return 1;
		}
		if (add_hit(s, m, mp->va + (p - mp->pa), p))
			return PTDBG_ENOMEM;
	}
	return 0;
}

/* Search buf (bytes of physical [base, base+n), of which matches may start only
 * below base+limit). */
static int scan(struct state *st, const uint8_t *buf, uint64_t base, size_t n, size_t limit)
{
	struct ptdbg_search *s = st->s;
	unsigned align = s->align > 1 ? s->align : 1;
	size_t len = s->len;
	if (n < len)
		return 0;
	size_t last = n - len; /* last start */
	if (last >= limit)
		last = limit - 1;
	size_t off = 0;
	if (align > 1 && (base & (align - 1)))
		off = align - (size_t)(base & (align - 1));
	while (off <= last) {
		const uint8_t *q = align == 1 ? memchr(buf + off, s->pat[0], last - off + 1) : buf + off;
		if (!q)
			break;
		off = (size_t)(q - buf);
		if (memcmp(q, s->pat, len) == 0) {
			int rc = report(st, base + off);
			if (rc)
				return rc;
		}
		off += align;
	}
	return 0;
}

int ptdbg_search_run(struct ptdbg_target *t, struct ptdbg_search *s)
{
	if (!s->pat || !s->len || s->len > PTDBG_SEARCH_MAX_LEN || s->align > 4096 ||
	    (s->align & (s->align - 1)))
		return PTDBG_EINVAL;
	if (!s->nmaps)
		return 0;
	struct state st = { s, NULL, NULL, NULL, 0 };
	uint64_t *pages = NULL;
	uint8_t *buf = NULL;
	size_t np = 0;
	int rc = PTDBG_ENOMEM;
	st.by_pa = malloc(s->nmaps * sizeof(size_t));
	st.by_va = malloc(s->nmaps * sizeof(size_t));
	st.va_pos = malloc(s->nmaps * sizeof(size_t));
	buf = malloc(CHUNK + PTDBG_SEARCH_MAX_LEN);
	/* The distinct frames, in physical order. */
	uint64_t total = 0;
	for (size_t i = 0; i < s->nmaps; i++)
		total += ((s->maps[i].pa + s->maps[i].size - 1) >> 12) - (s->maps[i].pa >> 12) + 1;
	pages = malloc((total ? total : 1) * sizeof(*pages));
	if (!st.by_pa || !st.by_va || !st.va_pos || !buf || !pages)
		goto out;
	for (size_t i = 0; i < s->nmaps; i++) {
		st.by_pa[i] = st.by_va[i] = i;
		if (s->maps[i].size > st.max_size)
			st.max_size = s->maps[i].size;
		for (uint64_t f = s->maps[i].pa >> 12; f <= (s->maps[i].pa + s->maps[i].size - 1) >> 12; f++)
			pages[np++] = f;
	}
	sort_ctx = s;
	qsort(st.by_pa, s->nmaps, sizeof(size_t), cmp_by_pa);
	qsort(st.by_va, s->nmaps, sizeof(size_t), cmp_map_idx);
	for (size_t i = 0; i < s->nmaps; i++)
		st.va_pos[st.by_va[i]] = i;
	qsort(pages, np, sizeof(*pages), cmp_u64);
	size_t nu = 0;
	for (size_t i = 0; i < np; i++)
		if (nu == 0 || pages[nu - 1] != pages[i])
			pages[nu++] = pages[i];
	/* Runs of contiguous frames, read in chunks that overlap by len-1 bytes. */
	rc = 0;
	uint64_t done = 0;
	for (size_t i = 0; i < nu && rc == 0;) {
		size_t j = i + 1;
		while (j < nu && pages[j] == pages[j - 1] + 1)
			j++;
		uint64_t start = pages[i] << 12, end = (pages[j - 1] + 1) << 12;
		for (uint64_t at = start; at < end && rc == 0; at += CHUNK) {
			size_t main = end - at < CHUNK ? (size_t)(end - at) : CHUNK;
			size_t extra = end - at - main < s->len - 1 ? (size_t)(end - at - main) : s->len - 1;
			int r = ptdbg_read_phys(t, at, buf, main + extra);
			if (ptdbg_link_error(r)) {
				rc = r;
				break;
			}
			if (r) {
				/* frame by frame: an unreadable frame ends the contiguous bytes */
				for (size_t f = 0; f < main && rc == 0; f += 4096) {
					size_t want = 4096 + (f + 4096 < main + extra ? s->len - 1 : 0);
					if (f + want > main + extra)
						want = main + extra - f;
					r = ptdbg_read_phys(t, at + f, buf, want);
					if (r && ptdbg_read_phys(t, at + f, buf, want = 4096)) {
						if (ptdbg_link_error(r)) {
							rc = r;
							break;
						}
						s->unreadable++;
						continue;
					}
					rc = scan(&st, buf, at + f, want, 4096);
				}
			} else {
				rc = scan(&st, buf, at, main + extra, main);
			}
			done += main / 4096;
			s->frames += main / 4096;
			if (s->progress)
				s->progress(s->progress_ctx, done, nu);
		}
		i = j;
	}
	if (rc == 1)
		rc = 0; /* max reached */
	sort_ctx = s;
	qsort(s->hits, s->nhits, sizeof(*s->hits), cmp_hit);
out:
	free(st.by_pa);
	free(st.by_va);
	free(st.va_pos);
	free(pages);
	free(buf);
	return rc;
}

void ptdbg_search_free(struct ptdbg_search *s)
{
	free(s->maps);
	free(s->hits);
	s->maps = NULL;
	s->hits = NULL;
	s->nmaps = s->nhits = s->capmaps = s->caphits = 0;
}
