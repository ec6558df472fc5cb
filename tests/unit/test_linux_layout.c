/* SPDX-License-Identifier: MIT */
/* Unit tests: System.map symbols, BTF enumerators, and Linux x86-64's layout placed on
 * a synthetic guest (tools/lib/region/linux_layout.c, tools/lib/x86/x86_linux.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "region/btf.h"
#include "region/linux_layout.h"
#include "region/symbols.h"
#include "x86/x86_linux.h"
#include "x86_synth.h"

#define TEXT      0xffffffff81000000ull /* link address of _text */
#define OFFSET    0x2000000ull          /* the KASLR text offset of the synthetic guest */
#define TEXT_PA   0x80000ull            /* where its image sits */
#define PAGE_OFF  0xffff8a4000000000ull /* its page_offset_base */
#define VMALLOC   0xffffc12300000000ull
#define VMEMMAP   0xffffe45600000000ull
#define NFIX      646

static char map_path[64];

static const char map_text[] =
	"0000000000000000 A __per_cpu_start\n"
	"ffffffff81000000 T _text\n"
	"ffffffff81000000 T startup_64\n"
	"ffffffff81000100 D linux_banner\n"
	"ffffffff81000200 D page_offset_base\n"
	"ffffffff81000208 D vmalloc_base\n"
	"ffffffff81000210 D vmemmap_base\n"
	"ffffffff81000300 T __x64_sys_modify_ldt\n"
	"ffffffff81000310 T init_espfix_bsp\n"
	"ffffffff81000320 T kaslr_get_random_long\n"
	"ffffffff81000330 T efi_enter_virtual_mode\n"
	"ffffffff81000400 R __start_BTF\n"
	"ffffffff81000480 R __stop_BTF\n";

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A BTF blob with one enum whose one enumerator is name = val; returns its length. */
static size_t make_btf(uint8_t *b, const char *name, uint32_t val)
{
	uint32_t hdr[6] = { 0, 24, 0, 20, 20, 0 }, ty[5];
	size_t nlen = strlen(name) + 1;

	memset(b, 0, 128);
	hdr[0] = 0xeb9f | 1u << 16; /* magic, version 1, flags 0 */
	hdr[5] = (uint32_t)(1 + nlen);
	ty[0] = 0;                  /* an anonymous enum */
	ty[1] = 6u << 24 | 1;       /* BTF_KIND_ENUM, one value */
	ty[2] = 4;
	ty[3] = 1;                  /* its name in the strings */
	ty[4] = val;
	memcpy(b, hdr, 24);
	memcpy(b + 24, ty, 20);
	memcpy(b + 24 + 20 + 1, name, nlen);
	return 24 + 20 + 1 + nlen;
}

/* A guest: the image mapped at TEXT + OFFSET, its variables, its linear-map alias. */
static void make_guest(struct synth *s, unsigned levels, const char *banner)
{
	synth_init(s, levels);
	for (uint64_t i = 0; i < 2; i++)
		synth_map(s, TEXT + OFFSET + i * 4096, TEXT_PA + i * 4096, 1, X86_PTE_RW, SYNTH_TABLE_FLAGS);
	synth_map(s, PAGE_OFF + TEXT_PA, TEXT_PA, 1, X86_PTE_RW, SYNTH_TABLE_FLAGS);
	uint8_t *img = s->mem + TEXT_PA;
	strcpy((char *)img + 0x100, banner);
	uint64_t v[3] = { PAGE_OFF, VMALLOC, VMEMMAP };
	memcpy(img + 0x200, v, sizeof(v));
	make_btf(img + 0x400, "__end_of_permanent_fixed_addresses", NFIX);
}

static uint64_t marker(const struct ptdbg_linux_layout *l, const char *name)
{
	for (size_t i = 0; i < l->nmarkers; i++)
		if (!strcmp(l->markers[i].name, name))
			return l->markers[i].start;
	fail_msg("no marker %s", name);
	return 0;
}

static void test_system_map(void **state)
{
	char err[256];
	uint64_t a;
	(void)state;
	struct ptdbg_symbols *s = ptdbg_symbols_open_map(map_path, err, sizeof(err));
	assert_non_null(s);
	assert_int_equal(ptdbg_symbols_lookup(s, "linux_banner", &a), 0);
	assert_true(a == 0xffffffff81000100ull);
	/* absolute symbols name nothing */
	assert_int_equal(ptdbg_symbols_lookup(s, "__per_cpu_start", &a), PTDBG_EINVAL);
	char buf[64];
	assert_true(ptdbg_symbols_format(s, 0xffffffff81000104ull, buf, sizeof(buf)));
	assert_string_equal(buf, "linux_banner+0x4");
	ptdbg_symbols_close(s);

	write_file(map_path, "ffffffff81000000 T _text\nnot a line\n");
	assert_null(ptdbg_symbols_open_map(map_path, err, sizeof(err)));
	assert_non_null(strstr(err, ":2: not a System.map line"));
	write_file(map_path, "\n");
	assert_null(ptdbg_symbols_open_map(map_path, err, sizeof(err)));
	assert_non_null(strstr(err, "no symbols"));
	assert_null(ptdbg_symbols_open_map("/nonexistent/System.map", err, sizeof(err)));
	write_file(map_path, map_text);
}

static void test_btf(void **state)
{
	uint8_t b[128];
	int64_t v = 0;
	(void)state;
	size_t n = make_btf(b, "__end_of_permanent_fixed_addresses", 646);
	assert_int_equal(ptdbg_btf_enum_value(b, n, "__end_of_permanent_fixed_addresses", &v), 0);
	assert_int_equal(v, 646);
	assert_int_equal(ptdbg_btf_enum_value(b, n, "__end_of_permanent", &v), -1);
	/* cut short anywhere, it is refused, never read past */
	for (size_t k = 0; k < n; k++)
		assert_int_equal(ptdbg_btf_enum_value(b, k, "__end_of_permanent_fixed_addresses", &v), -1);
	b[0] ^= 1;
	assert_int_equal(ptdbg_btf_enum_value(b, n, "__end_of_permanent_fixed_addresses", &v), -1);
}

static void layout_levels(unsigned levels)
{
	struct synth s;
	struct ptdbg_linux_layout l;
	char err[256];
	struct ptdbg_symbols *syms = ptdbg_symbols_open_map(map_path, err, sizeof(err));

	assert_non_null(syms);
	make_guest(&s, levels, "Linux version 6.1.0-synthetic\n");
	assert_int_equal(ptdbg_x86_linux_layout(s.m, &s.cfg.cpu, syms, &l), 0);
	assert_true(l.valid);
	assert_int_equal(l.levels, levels);
	assert_string_equal(l.banner, "Linux version 6.1.0-synthetic");
	const struct ptdbg_linux_base *b = ptdbg_linux_base(&l, "text_offset");
	assert_true(b && b->found && b->verified && b->value == OFFSET);
	b = ptdbg_linux_base(&l, "page_offset_base");
	assert_true(b && b->found && b->verified && b->value == PAGE_OFF);
	b = ptdbg_linux_base(&l, "fixaddr_start");
	assert_true(b && b->found && b->value == PTDBG_LINUX_FIXADDR_TOP - NFIX * 4096ull);
	assert_true(marker(&l, "Low Kernel Mapping") == PAGE_OFF);
	assert_true(marker(&l, "vmalloc() Area") == VMALLOC);
	assert_true(marker(&l, "Vmemmap") == VMEMMAP);
	assert_true(marker(&l, "LDT remap") == (levels == 5 ? 0xff90000000000000ull : 0xffff880000000000ull));
	assert_true(marker(&l, "High Kernel Mapping") == 0xffffffff80000000ull);
	assert_true(marker(&l, "Modules") == 0xffffffffc0000000ull);
	assert_true(marker(&l, "ESPfix Area") == 0xffffff0000000000ull);
	assert_true(marker(&l, "EFI Runtime Services") == 0xffffffef00000000ull);
	for (size_t i = 1; i < l.nmarkers; i++)
		assert_true(l.markers[i - 1].start <= l.markers[i].start);
	uint64_t a, e;
	const struct ptdbg_linux_marker *m = ptdbg_linux_marker_at(&l, VMALLOC + 0x1234, &a, &e);
	assert_non_null(m);
	assert_string_equal(m->name, "vmalloc() Area");
	assert_true(a == VMALLOC && e == VMEMMAP);
	m = ptdbg_linux_marker_at(&l, ~0ull, &a, &e);
	assert_string_equal(m->name, "Fixmap Area");
	assert_true(e == 0);
	synth_fini(&s);
	ptdbg_symbols_close(syms);
}

static void test_layout_4(void **state) { (void)state; layout_levels(4); }
static void test_layout_5(void **state) { (void)state; layout_levels(5); }

static void test_layout_refused(void **state)
{
	struct synth s;
	struct ptdbg_linux_layout l;
	char err[256];
	struct ptdbg_symbols *syms = ptdbg_symbols_open_map(map_path, err, sizeof(err));
	(void)state;

	/* symbols of another kernel: the banner is not where they say */
	make_guest(&s, 4, "not Linux at all");
	assert_int_equal(ptdbg_x86_linux_layout(s.m, &s.cfg.cpu, syms, &l), 0);
	assert_false(l.valid);
	assert_non_null(strstr(ptdbg_linux_base(&l, "text_offset")->how, "not this kernel's"));
	uint64_t a, e;
	assert_null(ptdbg_linux_marker_at(&l, 0, &a, &e));
	/* no symbols: nothing placed, and a guess about the tables */
	assert_int_equal(ptdbg_x86_linux_layout(s.m, &s.cfg.cpu, NULL, &l), 0);
	assert_false(l.valid);
	assert_non_null(strstr(l.why, "may be Linux"));
	synth_fini(&s);
	ptdbg_symbols_close(syms);
}

int main(void)
{
	snprintf(map_path, sizeof(map_path), "/tmp/ptdbg-sysmap.%d", (int)getpid());
	write_file(map_path, map_text);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_system_map),
		cmocka_unit_test(test_btf),
		cmocka_unit_test(test_layout_4),
		cmocka_unit_test(test_layout_5),
		cmocka_unit_test(test_layout_refused),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(map_path);
	return rc;
}
