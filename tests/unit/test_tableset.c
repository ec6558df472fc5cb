/* SPDX-License-Identifier: MIT */
/* The walk's set of table addresses: page-aligned addresses in bitmaps, the rest
 * and the regions past the bitmap limit in a hash, each added once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "walk/tableset.h"

/* A small deterministic generator (xorshift64). */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void page_and_small_tables(void **state)
{
	(void)state;
	struct ptdbg_table_set s = { 0 };
	const uint64_t pas[] = { 0, 0x1000, 0x7fff000, 0x8000000, 0x40000000, 0x80, 0x1080, 0x1100,
				 0xfffffffffffff000ull, 0xfffffffffffffff8ull };
	for (size_t i = 0; i < sizeof(pas) / sizeof(pas[0]); i++) {
		assert_false(ptdbg_table_set_has(&s, pas[i]));
		assert_int_equal(ptdbg_table_set_add(&s, pas[i]), 1);
		assert_true(ptdbg_table_set_has(&s, pas[i]));
	}
	for (size_t i = 0; i < sizeof(pas) / sizeof(pas[0]); i++)
		assert_int_equal(ptdbg_table_set_add(&s, pas[i]), 0);
	assert_int_equal(s.n, sizeof(pas) / sizeof(pas[0]));
	/* neighbours of what is there are not */
	assert_false(ptdbg_table_set_has(&s, 0x2000));
	assert_false(ptdbg_table_set_has(&s, 0x1008));
	assert_false(ptdbg_table_set_has(&s, 0x8001000));
	assert_false(ptdbg_table_set_has(&s, 0xffffffffffffe000ull));
	ptdbg_table_set_free(&s);
	assert_int_equal(s.n, 0);
	assert_false(ptdbg_table_set_has(&s, 0x1000));
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Against a sorted array: page-aligned addresses over more regions than get
 * bitmaps (4096), sub-page ones, repeats. */
static void matches_a_plain_set(void **state)
{
	(void)state;
	enum { N = 40000 };
	uint64_t *ref = calloc(N, sizeof(*ref)), seed = 0x9e3779b97f4a7c15ull;
	size_t nref = 0;
	struct ptdbg_table_set s = { 0 };
	assert_non_null(ref);
	for (size_t i = 0; i < N; i++) {
		uint64_t r = rnd(&seed), pa;
		switch (r % 4) {
		case 0: pa = (r >> 8) % 8192 * 0x1000; break;                     /* 32 MiB, dense */
		case 1: pa = ((r >> 8) % 6000) << 27 | ((r >> 40) % 4) << 12; break; /* 6000 regions */
		case 2: pa = ((r >> 8) % 2048) * 0x1000 + ((r >> 30) % 512) * 8; break; /* small tables */
		default: pa = i ? ref[(r >> 8) % nref] : 0; break;               /* a repeat */
		}
		uint64_t *hit = nref ? bsearch(&pa, ref, nref, sizeof(*ref), cmp_u64) : NULL;
		assert_int_equal(ptdbg_table_set_has(&s, pa), hit != NULL);
		assert_int_equal(ptdbg_table_set_add(&s, pa), hit == NULL);
		if (!hit) { /* insert in order */
			size_t at = 0;
			while (at < nref && ref[at] < pa)
				at++;
			memmove(ref + at + 1, ref + at, (nref - at) * sizeof(*ref));
			ref[at] = pa;
			nref++;
		}
		assert_int_equal(s.n, nref);
	}
	for (size_t i = 0; i < nref; i++)
		assert_true(ptdbg_table_set_has(&s, ref[i]));
	ptdbg_table_set_free(&s);
	free(ref);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(page_and_small_tables),
		cmocka_unit_test(matches_a_plain_set),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
