/* SPDX-License-Identifier: MIT */
/*
 * Replay the access cases runs of the access scenario recorded
 * (tests/data/access-x86.txt, written by tests/integration/access.sh;
 * tests/data/access-aarch64.txt.gz, by tests/integration/access-aarch64.sh, compressed): ptdbg's
 * prediction of each must be what QEMU's CPU decided. No VM needed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "access_file.h"
#include "arm64/arm64_access.h"
#include "x86/x86_access.h"

#define DATA "tests/data/access-x86.txt"
#define DATA_A64 "tests/data/access-aarch64.txt.gz"

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

static void every_recorded_arm64_case_agrees(void **state)
{
	struct access_file f;
	size_t bad = 0, faults = 0, gran[4] = { 0 };

	assert_int_equal(access_file_read(DATA_A64, &f), 0);
	assert_string_equal(f.arch, "aarch64");
	assert_true(f.n >= 10000);
	assert_true(f.skipped > 0); /* the PAN cases of the CPU without PAN */
	for (size_t i = 0; i < f.n; i++) {
		struct ptdbg_arm64_prediction p;
		assert_int_equal(ptdbg_arm64_access_predict(&f.cases[i], &p), 0);
		if (!ptdbg_arm64_access_agrees(&f.cases[i], &p) && bad++ < 5)
			ptdbg_arm64_access_print(stderr, &f.cases[i], &p);
		faults += f.cases[i].outcome == PTDBG_ACCESS_FAULT;
		gran[(f.cases[i].state[1] >> 14) & 3]++; /* TCR_EL1.TG0 */
	}
	assert_int_equal(bad, 0);
	assert_true(faults > 0 && faults < f.n);
	assert_true(gran[0] && gran[1] && gran[2]); /* 4, 64 and 16 KiB */
	free(f.cases);
}

/* The first recorded 4 KiB page case of an EL1 load under a permissive parent,
 * the kernel's state but PSTATE.PAN clear. */
static struct ptdbg_access_case a64_page_case(void)
{
	struct access_file f;
	struct ptdbg_access_case c;
	size_t i = 0;

	assert_int_equal(access_file_read(DATA_A64, &f), 0);
	while (i < f.n && !(f.cases[i].leaf_level == 1 && !((f.cases[i].state[1] >> 14) & 3) &&
			    f.cases[i].access == 0 && !(f.cases[i].state[1] & (ARM64_TCR_HA | ARM64_TCR_HD)) &&
			    !(f.cases[i].entry[2] >> 59))) /* a permissive parent */
		i++;
	assert_true(i < f.n);
	c = f.cases[i];
	c.state[2] &= ~(uint64_t)ARM64_PSR_PAN;
	free(f.cases);
	return c;
}

/* A case the CPU allowed, changed to a leaf EL0 may not touch and an EL0 load, is
 * predicted as a permission fault at level 3: the comparison can fail. */
static void a_changed_arm64_case_disagrees(void **state)
{
	struct ptdbg_access_case c = a64_page_case();
	struct ptdbg_arm64_prediction p;

	c.entry[1] = (c.entry[1] & ~ARM64_DESC_AP_MASK) | ARM64_AP_RO_ALL | ARM64_DESC_AF;
	c.access = PTDBG_ACCESS_USER;
	c.outcome = PTDBG_ACCESS_ALLOWED;
	assert_int_equal(ptdbg_arm64_access_predict(&c, &p), 0);
	assert_true(p.allowed);
	c.entry[1] &= ~ARM64_DESC_AP_EL0;
	assert_int_equal(ptdbg_arm64_access_predict(&c, &p), 0);
	assert_false(p.allowed);
	assert_int_equal(p.esr, ((uint64_t)ARM64_EC_DABT_LOW << ARM64_ESR_EC_SHIFT) | ARM64_ESR_IL |
				ARM64_FSC_PERMISSION | 3);
	assert_false(ptdbg_arm64_access_agrees(&c, &p));
	/* LDTR from EL1 is checked as EL0 but reported from the same EL */
	c.access = PTDBG_ACCESS_UNPRIV;
	assert_int_equal(ptdbg_arm64_access_predict(&c, &p), 0);
	assert_int_equal(arm64_esr_ec(p.esr), ARM64_EC_DABT_CUR);
}

/* What the CPU taught the decoder (tests/data/access-aarch64.txt.gz): a writable-clean
 * page (DBM, AP[2] set) is writable only with TCR.HA and HD both set, and while
 * clean it is not execute-never for SCTLR.WXN nor for EL0 writability. */
static void arm64_writable_clean(void **state)
{
	struct ptdbg_access_case c = a64_page_case();
	struct ptdbg_arm64_prediction p;

	c.entry[1] = (c.entry[1] & ~(ARM64_DESC_AP_MASK | ARM64_DESC_PXN | ARM64_DESC_UXN)) |
		     ARM64_AP_RO_ALL | ARM64_DESC_AF | ARM64_DESC_DBM;
	c.state[0] |= ARM64_SCTLR_WXN;
	c.state[1] |= ARM64_TCR_HA | ARM64_TCR_HD;
	c.access = PTDBG_ACCESS_WRITE;
	assert_int_equal(ptdbg_arm64_access_predict(&c, &p), 0);
	assert_true(p.allowed);
	c.access = PTDBG_ACCESS_FETCH;
	assert_int_equal(ptdbg_arm64_access_predict(&c, &p), 0);
	assert_true(p.allowed);
	c.access = PTDBG_ACCESS_FETCH | PTDBG_ACCESS_USER;
	assert_int_equal(ptdbg_arm64_access_predict(&c, &p), 0);
	assert_true(p.allowed);
	/* HD without HA: no hardware dirty state, the store faults */
	c.state[1] &= ~ARM64_TCR_HA;
	c.access = PTDBG_ACCESS_WRITE;
	assert_int_equal(ptdbg_arm64_access_predict(&c, &p), 0);
	assert_false(p.allowed);
	assert_int_equal(p.esr & 0x3f, ARM64_FSC_PERMISSION | 3);
	/* once dirty (AP[2] clear), WXN makes it execute-never at both levels */
	c.state[1] |= ARM64_TCR_HA;
	c.entry[1] &= ~ARM64_DESC_AP_RO;
	c.access = PTDBG_ACCESS_FETCH;
	assert_int_equal(ptdbg_arm64_access_predict(&c, &p), 0);
	assert_false(p.allowed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_recorded_case_agrees),
		cmocka_unit_test(a_changed_case_disagrees),
		cmocka_unit_test(smap_smep_pkey),
		cmocka_unit_test(every_recorded_arm64_case_agrees),
		cmocka_unit_test(a_changed_arm64_case_disagrees),
		cmocka_unit_test(arm64_writable_clean),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
