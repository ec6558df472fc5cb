/* SPDX-License-Identifier: MIT */
/*
 * Replay the access cases one run of the access scenario recorded
 * (tests/data/access-x86.txt, written by tests/integration/access.sh): ptdbg's
 * prediction of each must be what QEMU's CPU decided. No VM needed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "access_file.h"
#include "x86/x86_access.h"

#define DATA "tests/data/access-x86.txt"

static void every_recorded_case_agrees(void **state)
{
	struct access_file f;
	size_t bad = 0, faults = 0;

	assert_int_equal(access_file_read(DATA, &f), 0);
	assert_string_equal(f.arch, "x86-64");
	assert_true(f.n >= 5000);
	for (size_t i = 0; i < f.n; i++) {
		struct ptdbg_x86_prediction p;
		assert_int_equal(ptdbg_x86_access_predict(&f.cases[i], f.maxphyaddr, f.pdpe1gb, &p), 0);
		if (ptdbg_x86_access_agrees(&f.cases[i], &p) == PTDBG_X86_DISAGREE) {
			if (bad++ < 5)
				ptdbg_x86_access_print(stderr, &f.cases[i], &p);
		}
		faults += f.cases[i].outcome == PTDBG_ACCESS_FAULT;
	}
	assert_int_equal(bad, 0);
	assert_true(faults > 0 && faults < f.n); /* both outcomes are represented */
	free(f.cases);
}

/* A case the CPU allowed, changed to a read-only leaf and a user store, must be
 * predicted as a protection fault: the comparison can fail. */
static void a_changed_case_disagrees(void **state)
{
	struct access_file f;
	assert_int_equal(access_file_read(DATA, &f), 0);
	size_t i = 0;
	while (i < f.n && !(f.cases[i].outcome == PTDBG_ACCESS_ALLOWED &&
			    (f.cases[i].access & PTDBG_ACCESS_USER) && f.cases[i].leaf_level == 1))
		i++;
	assert_true(i < f.n);
	struct ptdbg_access_case c = f.cases[i];
	struct ptdbg_x86_prediction p;
	c.entry[1] &= ~X86_PTE_RW;
	c.access = PTDBG_ACCESS_USER | PTDBG_ACCESS_WRITE;
	assert_int_equal(ptdbg_x86_access_predict(&c, f.maxphyaddr, f.pdpe1gb, &p), 0);
	assert_false(p.allowed);
	assert_int_equal(p.pf_error, X86_PF_P | X86_PF_W | X86_PF_U);
	assert_int_equal(ptdbg_x86_access_agrees(&c, &p), PTDBG_X86_DISAGREE);
	free(f.cases);
}

/* SMAP with RFLAGS.AC, SMEP, and protection keys on a synthetic user page. */
static void smap_smep_pkey(void **state)
{
	struct ptdbg_access_case c = {
		.va = 0x400000, .leaf_level = 1, .top_level = 4,
		.entry = { 0, 0x5000 | 7, 0x4000 | 7, 0x3000 | 7, 0x2000 | 7 },
		.state = { 0x80010011, (1u << 20) | (1u << 21) | (1u << 22) | 0x20, 0xd00, 0x2 },
	};
	struct ptdbg_x86_prediction p;

	/* supervisor load, SMAP, AC=0: protection fault */
	assert_int_equal(ptdbg_x86_access_predict(&c, 40, true, &p), 0);
	assert_false(p.allowed);
	assert_int_equal(p.why, PTDBG_X86_DENY_SMAP);
	assert_int_equal(p.pf_error, X86_PF_P);
	/* with AC=1 it goes through */
	c.state[3] |= 1u << 18;
	assert_int_equal(ptdbg_x86_access_predict(&c, 40, true, &p), 0);
	assert_true(p.allowed);
	/* supervisor fetch: SMEP, whatever AC says */
	c.access = PTDBG_ACCESS_FETCH;
	assert_int_equal(ptdbg_x86_access_predict(&c, 40, true, &p), 0);
	assert_int_equal(p.why, PTDBG_X86_DENY_SMEP);
	assert_int_equal(p.pf_error, X86_PF_P | X86_PF_I);
	/* user store with key 5 write-disabled */
	c.entry[1] |= 5ull << 59;
	c.pkru = 2u << 10;
	c.access = PTDBG_ACCESS_USER | PTDBG_ACCESS_WRITE;
	assert_int_equal(ptdbg_x86_access_predict(&c, 40, true, &p), 0);
	assert_int_equal(p.why, PTDBG_X86_DENY_PKEY);
	assert_int_equal(p.pf_error, X86_PF_P | X86_PF_W | X86_PF_U | X86_PF_PK);
	/* a load is not write-disabled */
	c.access = PTDBG_ACCESS_USER;
	assert_int_equal(ptdbg_x86_access_predict(&c, 40, true, &p), 0);
	assert_true(p.allowed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_recorded_case_agrees),
		cmocka_unit_test(a_changed_case_disagrees),
		cmocka_unit_test(smap_smep_pkey),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
