/* SPDX-License-Identifier: MIT */
/* Unit tests: kernel ELF symbols (tools/lib/symbols.c), run on this test's own ELF. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "region/symbols.h"
#include "target/target.h"

/* Symbols with known sizes and names, in this very binary. */
uint64_t ptdbg_region[8] = { 1 };
uint64_t symtest_table_alpha[4] = { 1 };
uint64_t symtest_table_beta[2] = { 2 };
void symtest_function(void);
void symtest_function(void)
{
}

static const char *self = "/proc/self/exe";

static void test_lookup(void **state)
{
	char err[256], buf[128];
	struct ptdbg_symbols *s = ptdbg_symbols_open(self, err, sizeof(err));
	const struct ptdbg_symbol *a, *b, *f;
	uint64_t off = 0, region;

	(void)state;
	assert_non_null(s);
	assert_true(ptdbg_symbols_count(s) > 10);
	a = ptdbg_symbols_by_name(s, "symtest_table_alpha");
	b = ptdbg_symbols_by_name(s, "symtest_table_beta");
	f = ptdbg_symbols_by_name(s, "symtest_function");
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(f);
	assert_true(f->is_func);
	assert_int_equal(a->size, sizeof(symtest_table_alpha));
	/* link-time addresses keep the run-time distances (PIE or not) */
	assert_int_equal(b->addr - a->addr, (uintptr_t)symtest_table_beta - (uintptr_t)symtest_table_alpha);
	assert_null(ptdbg_symbols_by_name(s, "symtest_no_such_symbol"));

	assert_ptr_equal(ptdbg_symbols_by_addr(s, a->addr + 8, &off), a);
	assert_int_equal(off, 8);
	assert_true(ptdbg_symbols_format(s, a->addr + 0x10, buf, sizeof(buf)));
	assert_string_equal(buf, "symtest_table_alpha+0x10");
	assert_true(ptdbg_symbols_format(s, a->addr, buf, sizeof(buf)));
	assert_string_equal(buf, "symtest_table_alpha");
	assert_false(ptdbg_symbols_format(s, 0, buf, sizeof(buf)));
	assert_string_equal(buf, "");

	assert_true(ptdbg_symbols_region(s, &region));
	assert_int_equal(ptdbg_symbols_lookup(s, "ptdbg_region", &off), 0);
	assert_int_equal(off, region);
	assert_int_equal(ptdbg_symbols_lookup(s, "symtest_no_such_symbol", &off), PTDBG_EINVAL);
	/* a user-space test binary maps p_vaddr to p_paddr one to one */
	assert_int_equal(ptdbg_symbols_va_to_pa(s, region, &off), 0);
	assert_int_equal(off, region);
	assert_int_equal(ptdbg_symbols_va_to_pa(s, 0xfffffffffffff000ull, &off), PTDBG_EINVAL);
	assert_int_equal(region - a->addr, (uintptr_t)ptdbg_region - (uintptr_t)symtest_table_alpha);
	ptdbg_symbols_close(s);
}

static void test_complete(void **state)
{
	char err[256];
	struct ptdbg_symbols *s = ptdbg_symbols_open(self, err, sizeof(err));
	const char *out[4];

	(void)state;
	assert_non_null(s);
	assert_int_equal(ptdbg_symbols_complete(s, "symtest_table_", out, 4), 2);
	assert_string_equal(out[0], "symtest_table_alpha");
	assert_string_equal(out[1], "symtest_table_beta");
	assert_int_equal(ptdbg_symbols_complete(s, "symtest_", out, 1), 3); /* counts beyond max */
	assert_int_equal(ptdbg_symbols_complete(s, "symtest_zzz", out, 4), 0);
	ptdbg_symbols_close(s);
}

static void test_bad_files(void **state)
{
	char err[256], path[64];
	FILE *f;

	(void)state;
	assert_null(ptdbg_symbols_open("/nonexistent/kernel.elf", err, sizeof(err)));
	assert_non_null(strstr(err, "No such file"));
	snprintf(path, sizeof(path), "/tmp/test_symbols.%d", (int)getpid());
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("not an elf\n", f);
	fclose(f);
	assert_null(ptdbg_symbols_open(path, err, sizeof(err)));
	assert_non_null(strstr(err, "not an ELF"));
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_bad_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
