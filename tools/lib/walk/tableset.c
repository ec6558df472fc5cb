/* SPDX-License-Identifier: MIT */
/* A set of table addresses: bitmaps for page-aligned ones, a hash for the rest
 * (see tableset.h). */
#include "walk/tableset.h"

#include <stdlib.h>

#include "target/target.h"

#define TSET_REGION_SHIFT 27u /* 128 MiB of physical memory a bitmap */
#define TSET_PAGE_SHIFT   12u
#define TSET_REGION_BITS  (1u << (TSET_REGION_SHIFT - TSET_PAGE_SHIFT))
#define TSET_MAX_REGIONS  4096u /* 16 MiB of bitmaps at most; then the hash */

struct ptdbg_tset_region {
	uint64_t key;  /* region number + 1; 0 = empty slot */
	uint64_t *bits; /* TSET_REGION_BITS bits, or NULL: the region's pages are in the hash */
};

/* The slot of key in a table of cap (a power of two) slots: the high bits of a
 * multiplicative hash. */
static size_t slot_of(uint64_t key, size_t cap)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ull) >> (64 - __builtin_ctzll(cap)));
}

/* The region slot of region number r, or NULL when it has none. */
static struct ptdbg_tset_region *region_find(const struct ptdbg_table_set *s, uint64_t r)
{
	if (!s->rcap)
		return NULL;
	if (s->regions[s->last].key == r + 1)
		return &s->regions[s->last];
	for (size_t h = slot_of(r + 1, s->rcap);; h = (h + 1) & (s->rcap - 1)) {
		if (s->regions[h].key == r + 1)
			return &s->regions[h];
		if (!s->regions[h].key)
			return NULL;
	}
}

/* Place region (key, bits) in a table of cap slots with no equal key. */
static size_t region_place(struct ptdbg_tset_region *t, size_t cap, uint64_t key, uint64_t *bits)
{
	size_t h = slot_of(key, cap);
	while (t[h].key)
		h = (h + 1) & (cap - 1);
	t[h] = (struct ptdbg_tset_region){ .key = key, .bits = bits };
	return h;
}

/* The slot of region r, made when it has none (with a bitmap while there are
 * fewer than TSET_MAX_REGIONS of them, else without: its pages go to the hash);
 * NULL when out of memory. */
static struct ptdbg_tset_region *region_get(struct ptdbg_table_set *s, uint64_t r)
{
	struct ptdbg_tset_region *g = region_find(s, r);
	if (g) {
		s->last = (size_t)(g - s->regions);
		return g;
	}
	if ((s->nregions + 1) * 2 > s->rcap) {
		size_t ncap = s->rcap ? s->rcap * 2 : 16;
		struct ptdbg_tset_region *t = calloc(ncap, sizeof(*t));
		if (!t)
			return NULL;
		for (size_t i = 0; i < s->rcap; i++)
			if (s->regions[i].key)
				region_place(t, ncap, s->regions[i].key, s->regions[i].bits);
		free(s->regions);
		s->regions = t;
		s->rcap = ncap;
	}
	uint64_t *bits = NULL;
	if (s->nregions < TSET_MAX_REGIONS && !(bits = calloc(TSET_REGION_BITS / 64, sizeof(*bits))))
		return NULL;
	s->last = region_place(s->regions, s->rcap, r + 1, bits);
	s->nregions++;
	return &s->regions[s->last];
}

/* Add key (an address + 1) to the hash: 1 added, 0 there, PTDBG_ENOMEM. */
static int hash_add(struct ptdbg_table_set *s, uint64_t key)
{
	if ((s->nslots + 1) * 2 > s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 64;
		uint64_t *t = calloc(ncap, sizeof(*t));
		if (!t)
			return PTDBG_ENOMEM;
		for (size_t i = 0; i < s->cap; i++) {
			if (!s->slots[i])
				continue;
			size_t h = slot_of(s->slots[i], ncap);
			while (t[h])
				h = (h + 1) & (ncap - 1);
			t[h] = s->slots[i];
		}
		free(s->slots);
		s->slots = t;
		s->cap = ncap;
	}
	size_t h = slot_of(key, s->cap);
	for (; s->slots[h]; h = (h + 1) & (s->cap - 1))
		if (s->slots[h] == key)
			return 0;
	s->slots[h] = key;
	s->nslots++;
	return 1;
}

static bool hash_has(const struct ptdbg_table_set *s, uint64_t key)
{
	if (!s->cap)
		return false;
	for (size_t h = slot_of(key, s->cap); s->slots[h]; h = (h + 1) & (s->cap - 1))
		if (s->slots[h] == key)
			return true;
	return false;
}

int ptdbg_table_set_add(struct ptdbg_table_set *s, uint64_t pa)
{
	int rc;
	if (!(pa & ((1u << TSET_PAGE_SHIFT) - 1))) {
		struct ptdbg_tset_region *g = region_get(s, pa >> TSET_REGION_SHIFT);
		if (!g)
			return PTDBG_ENOMEM;
		if (g->bits) {
			size_t bit = (size_t)(pa >> TSET_PAGE_SHIFT) & (TSET_REGION_BITS - 1);
			uint64_t mask = 1ull << (bit % 64);
			if (g->bits[bit / 64] & mask)
				return 0;
			g->bits[bit / 64] |= mask;
			s->n++;
			return 1;
		}
	}
	rc = hash_add(s, pa + 1);
	if (rc == 1)
		s->n++;
	return rc;
}

bool ptdbg_table_set_has(const struct ptdbg_table_set *s, uint64_t pa)
{
	if (!(pa & ((1u << TSET_PAGE_SHIFT) - 1))) {
		const struct ptdbg_tset_region *g = region_find(s, pa >> TSET_REGION_SHIFT);
		if (!g)
			return false;
		if (g->bits) {
			size_t bit = (size_t)(pa >> TSET_PAGE_SHIFT) & (TSET_REGION_BITS - 1);
			return (g->bits[bit / 64] >> (bit % 64)) & 1;
		}
	}
	return hash_has(s, pa + 1);
}

void ptdbg_table_set_free(struct ptdbg_table_set *s)
{
	for (size_t i = 0; i < s->rcap; i++)
		free(s->regions[i].bits);
	free(s->regions);
	free(s->slots);
	*s = (struct ptdbg_table_set){ 0 };
}
