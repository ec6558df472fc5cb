/* SPDX-License-Identifier: MIT */
/* Searching through mappings: each frame read once, every alias of a hit, matches
 * across contiguous frames, alignment, the hit cap; and the reverse map. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "target/target.h"
#include "walk/rmap.h"
#include "walk/search.h"

#define NFRAMES 16
static uint8_t img[NFRAMES * 4096];

static struct ptdbg_target *target(void)
{
	struct ptdbg_regs regs = { 0 };
	memset(img, 0, sizeof(img));
	memcpy(img + 0x1ffc, "needle", 6);        /* crosses frames 1 and 2 */
	memcpy(img + 0x5010, "needle", 6);        /* inside frame 5 */
	memcpy(img + 0x5021, "needle", 6);        /* odd address */
	struct ptdbg_target *t = ptdbg_image_open(img, 0, sizeof(img), &regs);
	assert_non_null(t);
	return t;
}

static void hits_every_alias(void **state)
{
	(void)state;
	struct ptdbg_target *t = target();
	struct ptdbg_perm p = { 0 };
	struct ptdbg_search s = { .pat = (const uint8_t *)"needle", .len = 6 };
	/* space 0: frames 1-2 contiguous at 0x10000; frame 5 at 0x20000 */
	assert_int_equal(ptdbg_search_add(&s, 0, 0x10000, 0x1000, 0x2000, &p), 0);
	assert_int_equal(ptdbg_search_add(&s, 0, 0x20000, 0x5000, 0x1000, &p), 0);
	/* space 1: frame 5 again (an alias), frame 1 alone and frame 2 elsewhere: the
	 * crossing match is not whole in any of its mappings */
	assert_int_equal(ptdbg_search_add(&s, 1, 0x7000, 0x5000, 0x1000, &p), 0);
	assert_int_equal(ptdbg_search_add(&s, 1, 0x9000, 0x1000, 0x1000, &p), 0);
	assert_int_equal(ptdbg_search_add(&s, 1, 0xb000, 0x2000, 0x1000, &p), 0);
	assert_int_equal(ptdbg_search_run(t, &s), 0);
	assert_int_equal(s.frames, 3); /* frames 1, 2, 5: once each */
	assert_int_equal(s.nhits, 5);
	assert_true(s.hits[0].va == 0x10ffc && s.hits[0].pa == 0x1ffc);
	assert_true(s.hits[1].va == 0x20010 && s.hits[2].va == 0x20021);
	assert_true(s.maps[s.hits[3].map].space == 1 && s.hits[3].va == 0x7010);
	assert_true(s.hits[4].va == 0x7021);
	assert_false(s.truncated);
	ptdbg_search_free(&s);

	/* aligned to 16: only 0x5010; at most one hit */
	struct ptdbg_search a = { .pat = (const uint8_t *)"needle", .len = 6, .align = 16, .max = 1 };
	assert_int_equal(ptdbg_search_add(&a, 0, 0x20000, 0x5000, 0x1000, &p), 0);
	assert_int_equal(ptdbg_search_add(&a, 1, 0x7000, 0x5000, 0x1000, &p), 0);
	assert_int_equal(ptdbg_search_run(t, &a), 0);
	assert_int_equal(a.nhits, 1);
	assert_true(a.hits[0].pa == 0x5010);
	assert_true(a.truncated);
	ptdbg_search_free(&a);

	struct ptdbg_search bad = { .pat = (const uint8_t *)"x", .len = 1, .align = 3 };
	assert_int_equal(ptdbg_search_run(t, &bad), PTDBG_EINVAL);
	ptdbg_target_close(t);
}

static void rmap_clips_to_the_range(void **state)
{
	(void)state;
	struct ptdbg_rmap r = { .lo = 0x201000, .hi = 0x203000 };
	struct ptdbg_walk_event ev = { .kind = PTDBG_EV_LEAF, .va = 0xffff800000200000, .pa = 0x200000,
				       .size = 0x200000 };
	assert_int_equal(ptdbg_rmap_visit(&r, &ev), 0);
	ev.pa = 0x400000;                         /* elsewhere */
	assert_int_equal(ptdbg_rmap_visit(&r, &ev), 0);
	ev = (struct ptdbg_walk_event){ .kind = PTDBG_EV_LEAF, .va = 0x1000, .pa = 0x202000, .size = 0x1000 };
	r.cur = 3;
	assert_int_equal(ptdbg_rmap_visit(&r, &ev), 0);
	assert_int_equal(r.n, 2);
	assert_true(r.hits[0].va == 0xffff800000201000 && r.hits[0].size == 0x2000 && r.hits[0].page_size == 0x200000);
	assert_true(r.hits[1].space == 3 && r.hits[1].va == 0x1000 && r.hits[1].size == 0x1000);
	ptdbg_rmap_free(&r);

	struct ptdbg_pa_set set = { 0 };
	assert_int_equal(ptdbg_pa_set_add(&set, 0x100000, 0x110000, "kernel text"), 0);
	assert_int_equal(ptdbg_pa_set_add(&set, 0x110000, 0x111000, "kernel text"), 0);
	assert_int_equal(set.n, 1);
	assert_non_null(ptdbg_pa_set_overlap(&set, 0x110fff, 0x112000));
	assert_null(ptdbg_pa_set_overlap(&set, 0x111000, 0x112000));
	/* out of order, an alias inside, a neighbour of the same kind, another kind */
	assert_int_equal(ptdbg_pa_set_add(&set, 0x300000, 0x301000, "read-only kernel data"), 0);
	assert_int_equal(ptdbg_pa_set_add(&set, 0x104000, 0x105000, "kernel text"), 0);
	assert_int_equal(ptdbg_pa_set_add(&set, 0x111000, 0x112000, "kernel text"), 0);
	ptdbg_pa_set_sort(&set);
	assert_int_equal(set.n, 2);
	assert_true(set.r[0].lo == 0x100000 && set.r[0].hi == 0x112000);
	assert_non_null(ptdbg_pa_set_overlap(&set, 0x300fff, 0x301000));
	assert_null(ptdbg_pa_set_overlap(&set, 0x112000, 0x300000));
	assert_null(ptdbg_pa_set_overlap(&set, 0, 0x100000));
	ptdbg_pa_set_free(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hits_every_alias),
		cmocka_unit_test(rmap_clips_to_the_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
