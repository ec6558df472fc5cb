/* SPDX-License-Identifier: MIT */
/* The address-space picture: every range drawn once with its exact numbers,
 * classes and colours, escaping, pins, wrapping into rows. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out/svgmap.h"

static char *render(const struct ptdbg_map_section *s, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(ptdbg_svg_map(f, "test <&> space", s, n), 0);
	fclose(f);
	return buf;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static const struct ptdbg_map_range user[] = {
	{ 0x400000, 0x3000, 0x1234000, 0x1000, PTDBG_MAP_KR | PTDBG_MAP_UR | PTDBG_MAP_UX, "WB", "text" },
	{ 0x600000, 0x200000, 0x40000000, 0x200000, PTDBG_MAP_KR | PTDBG_MAP_KW | PTDBG_MAP_UR | PTDBG_MAP_UW, "WB", "heap & <data>" },
	{ 0x7ffffffff000, 0x1000, 0x5000, 0x1000, PTDBG_MAP_KR | PTDBG_MAP_KW | PTDBG_MAP_KX, "UC", NULL },
};
static const struct ptdbg_map_pin pins[] = {
	{ 0x7ffffffff800, "wx", "writable and executable" },
	{ 0x100, "elsewhere", "not in any range: not drawn" },
};

static void ranges_drawn_once_with_their_numbers(void **state)
{
	struct ptdbg_map_section s = { "lower half", user, 3, pins, 2 };
	char *svg = render(&s, 1);
	assert_true(strncmp(svg, "<?xml", 5) == 0);
	assert_int_equal(count(svg, "<rect class=\"range\""), 3);
	assert_non_null(strstr(svg, "data-va=\"0x0000000000400000\" data-size=\"0x3000\" data-pa=\"0x0000000001234000\" data-page=\"0x1000\""));
	assert_non_null(strstr(svg, "data-va=\"0x0000000000600000\" data-size=\"0x200000\""));
	/* classes: user rx, user rw, and W+X in red */
	assert_string_equal(ptdbg_map_class(user[0].perm), "user rx");
	assert_string_equal(ptdbg_map_class(user[1].perm), "user rw");
	assert_string_equal(ptdbg_map_class(user[2].perm), "W+X");
	assert_non_null(strstr(svg, "fill=\"#d62728\""));
	/* escaping */
	assert_non_null(strstr(svg, "heap &amp; &lt;data&gt;"));
	assert_null(strstr(svg, "<data>"));
	assert_non_null(strstr(svg, "test &lt;&amp;&gt; space"));
	/* the pin inside a range is drawn, the other not */
	assert_int_equal(count(svg, "<path class=\"pin\" d="), 2); /* one, plus the legend's */
	assert_non_null(strstr(svg, "wx: writable and executable"));
	/* two holes between three ranges */
	assert_int_equal(count(svg, "<line class=\"hole\" x1"), 3); /* two, plus the legend's */
	assert_true(count(svg, "</svg>") == 1);
	free(svg);
}

static void many_ranges_wrap_into_rows(void **state)
{
	enum { N = 2000 };
	struct ptdbg_map_range *r = calloc(N, sizeof(*r));
	for (int i = 0; i < N; i++)
		r[i] = (struct ptdbg_map_range){ 0x10000000ull + 0x2000ull * i, 0x1000, 0x1000ull * i,
						 0x1000, PTDBG_MAP_KR, NULL, NULL };
	struct ptdbg_map_section s[2] = { { "a", r, N, NULL, 0 }, { "empty", NULL, 0, NULL, 0 } };
	char *svg = render(s, 2);
	assert_int_equal(count(svg, "<rect class=\"range\""), N);
	/* rows: every row starts with its address in the gutter */
	assert_true(count(svg, "<text class=\"addr\"") > 10);
	assert_non_null(strstr(svg, "nothing mapped"));
	free(svg);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ranges_drawn_once_with_their_numbers),
		cmocka_unit_test(many_ranges_wrap_into_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
