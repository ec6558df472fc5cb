/* SPDX-License-Identifier: MIT */
/* Unit tests: option tables and their parser (tools/lib/cli/options.c). */
#include <setjmp.h>
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cli/options.h"

/* What a parse wrote: one command's options and two common ones. */
struct got {
	bool user, all, json;
	unsigned verbose;
	const char *range, *target, *kind;
	uint64_t last;
	char *pos[3];
	int npos;
	char err[256];
};

static int parse(struct got *g, unsigned flags, int maxpos, const char *line)
{
	static char buf[512];
	char *argv[32];
	int argc = 0;
	memset(g, 0, sizeof(*g));
	snprintf(buf, sizeof(buf), "cmd %s", line);
	for (char *w = strtok(buf, " "); w && argc < 31; w = strtok(NULL, " "))
		argv[argc++] = strcmp(w, "''") ? w : (char *)"";
	argv[argc] = NULL;
	const struct ptdbg_opt cmd[] = {
		{ .name = "user", .flag = &g->user },
		{ .name = "all", .flag = &g->all },
		{ .name = "range", .value = true, .str = &g->range },
		{ .name = "kind", .value = true, .str = &g->kind },
		{ .name = "last", .value = true, .set = ptdbg_opt_positive, .dst = &g->last },
		PTDBG_OPT_END,
	};
	const struct ptdbg_opt common[] = {
		{ .name = "target", .short_name = 't', .value = true, .str = &g->target },
		{ .name = "json", .short_name = 'j', .flag = &g->json },
		{ .name = "verbose", .short_name = 'v', .count = &g->verbose },
		PTDBG_OPT_END,
	};
	const struct ptdbg_opt *const tables[] = { cmd, common, NULL };
	return ptdbg_opts_parse(tables, argc, argv, flags, g->pos, maxpos, &g->npos, g->err, sizeof(g->err));
}

static void test_forms(void **state)
{
	struct got g;
	(void)state;
	assert_int_equal(parse(&g, 0, 3, "--range=1-2 -t host:1 --user A -j --kind wx B"), 0);
	assert_string_equal(g.range, "1-2");
	assert_string_equal(g.target, "host:1");
	assert_string_equal(g.kind, "wx");
	assert_true(g.user && g.json && !g.all);
	assert_int_equal(g.npos, 2);
	assert_string_equal(g.pos[0], "A");
	assert_string_equal(g.pos[1], "B");
	/* the next word is the value, whatever it looks like */
	assert_int_equal(parse(&g, 0, 3, "--range --user"), 0);
	assert_string_equal(g.range, "--user");
	assert_false(g.user);
	/* "--" ends the options; "-" is an argument */
	assert_int_equal(parse(&g, 0, 3, "-- --user - x"), 0);
	assert_int_equal(g.npos, 3);
	assert_string_equal(g.pos[0], "--user");
	assert_string_equal(g.pos[1], "-");
	assert_false(g.user);
	/* a value may hold '=' */
	assert_int_equal(parse(&g, 0, 0, "--kind=a=b"), 0);
	assert_string_equal(g.kind, "a=b");
}

static void test_unknown(void **state)
{
	struct got g;
	(void)state;
	/* an extension, a prefix and a misspelling are all unknown */
	assert_int_equal(parse(&g, 0, 0, "--rangex"), -1);
	assert_string_equal(g.err, "unknown option '--rangex'");
	assert_int_equal(parse(&g, 0, 0, "--rangex=1-2"), -1);
	assert_string_equal(g.err, "unknown option '--rangex'");
	assert_int_equal(parse(&g, 0, 0, "--rang 1-2"), -1);
	assert_string_equal(g.err, "unknown option '--rang'");
	assert_int_equal(parse(&g, 0, 0, "--us"), -1);
	assert_int_equal(parse(&g, 0, 0, "-x"), -1);
	assert_string_equal(g.err, "unknown option '-x'");
	/* short options stand alone */
	assert_int_equal(parse(&g, 0, 0, "-jv"), -1);
	assert_string_equal(g.err, "unknown option '-jv'");
	assert_int_equal(parse(&g, 0, 0, "-thost"), -1);
	assert_int_equal(parse(&g, 0, 0, "--"), 0);
	assert_int_equal(parse(&g, 0, 0, "---user"), -1);
	assert_int_equal(parse(&g, 0, 0, "--=x"), -1);
}

static void test_values(void **state)
{
	struct got g;
	(void)state;
	assert_int_equal(parse(&g, 0, 0, "--range"), -1);
	assert_string_equal(g.err, "option '--range' needs a value");
	assert_int_equal(parse(&g, 0, 0, "--range="), -1);
	assert_string_equal(g.err, "option '--range' needs a value");
	assert_int_equal(parse(&g, 0, 0, "--range ''"), -1);
	assert_string_equal(g.err, "option '--range' needs a value");
	assert_int_equal(parse(&g, 0, 0, "-t"), -1);
	assert_string_equal(g.err, "option '-t' needs a value");
	assert_int_equal(parse(&g, 0, 0, "--user=yes"), -1);
	assert_string_equal(g.err, "option '--user' takes no value");
	assert_int_equal(parse(&g, 0, 0, "--user="), -1);
	assert_string_equal(g.err, "option '--user' takes no value");
	/* a handler checks and converts */
	assert_int_equal(parse(&g, 0, 0, "--last 4K"), 0);
	assert_int_equal(g.last, 4096);
	assert_int_equal(parse(&g, 0, 0, "--last=0"), -1);
	assert_string_equal(g.err, "option '--last' takes a positive number, not '0'");
	assert_int_equal(parse(&g, 0, 0, "--last abc"), -1);
	assert_string_equal(g.err, "option '--last' takes a positive number, not 'abc'");
}

static void test_repeat(void **state)
{
	struct got g;
	(void)state;
	assert_int_equal(parse(&g, 0, 0, "--range 1-2 --range 3-4"), -1);
	assert_string_equal(g.err, "option '--range' given twice");
	/* the long and the short name are one option */
	assert_int_equal(parse(&g, 0, 0, "-t a --target=b"), -1);
	assert_string_equal(g.err, "option '--target' given twice");
	/* flags may repeat; a counter counts */
	assert_int_equal(parse(&g, 0, 0, "--user --user -j --json -v -v --verbose"), 0);
	assert_true(g.user && g.json);
	assert_int_equal(g.verbose, 3);
}

static void test_positional(void **state)
{
	struct got g;
	(void)state;
	assert_int_equal(parse(&g, 0, 1, "A B"), -1);
	assert_string_equal(g.err, "unexpected argument 'B'");
	assert_int_equal(parse(&g, 0, 0, "A"), -1);
	/* PTDBG_OPTS_REST: options up to the first argument, then words */
	assert_int_equal(parse(&g, PTDBG_OPTS_REST, 3, "-j info mtree -f"), 0);
	assert_true(g.json);
	assert_int_equal(g.npos, 3);
	assert_string_equal(g.pos[2], "-f");
}

static void test_find_and_numbers(void **state)
{
	const struct ptdbg_opt t[] = {
		{ .name = "elf", .short_name = 'k', .value = true },
		PTDBG_OPT_END,
	};
	const struct ptdbg_opt *const tables[] = { t, NULL };
	uint64_t v;
	(void)state;
	assert_ptr_equal(ptdbg_opts_find(tables, "-k"), &t[0]);
	assert_ptr_equal(ptdbg_opts_find(tables, "--elf=x"), &t[0]);
	assert_null(ptdbg_opts_find(tables, "--el"));
	assert_null(ptdbg_opts_find(tables, "elf"));
	assert_int_equal(ptdbg_parse_u64("0x10", &v), 0);
	assert_int_equal(v, 16);
	assert_int_equal(ptdbg_parse_u64("2M", &v), 0);
	assert_int_equal(v, 2u << 20);
	assert_int_equal(ptdbg_parse_u64("-1", &v), -1);
	assert_int_equal(ptdbg_parse_u64(" 1", &v), -1);
	assert_int_equal(ptdbg_parse_u64("1x", &v), -1);
	assert_int_equal(ptdbg_parse_u64("99999999999999999999", &v), -1);
	assert_int_equal(ptdbg_parse_u64("16777216T", &v), -1);
	assert_null(ptdbg_opt_pa(NULL, "0x1000"));
	assert_non_null(ptdbg_opt_pa(NULL, "zz"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_repeat),
		cmocka_unit_test(test_positional),
		cmocka_unit_test(test_find_and_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
