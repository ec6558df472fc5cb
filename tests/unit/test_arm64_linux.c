/* SPDX-License-Identifier: MIT */
/* Unit tests: Linux arm64's layout placed on a synthetic guest
 * (tools/lib/arm64/arm64_linux.c): the text offset from VBAR_EL1, and without it from
 * an executable range of TTBR1; the variables; the markers; refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "arm64/arm64_linux.h"
#include "arm64_synth.h"
#include "region/symbols.h"

#define TEXT     0xffff800008000000ull /* link address of _text (KIMAGE_VADDR) */
#define OFFSET   0x3a5c00000ull        /* the KASLR offset of the synthetic guest */
#define TEXT_PA  0x200000ull           /* _text's frame; RAM (PHYS_OFFSET) at 0 */
#define NFIX     1035

static char map_path[64];
static const char map_text[] =
	"ffff800008000000 T _text\n"
	"ffff800008010000 T _stext\n"
	"ffff800008010800 T vectors\n"
	"ffff800008020000 D linux_banner\n"
	"ffff800008020100 D memstart_addr\n"
	"ffff800008020108 D kimage_voffset\n"
	"ffff800008020200 R __start_BTF\n"
	"ffff800008020280 R __stop_BTF\n";

/* A BTF blob with one enum whose one enumerator is name = val. */
static void make_btf(uint8_t *b, const char *name, uint32_t val)
{
	uint32_t hdr[6] = { 0xeb9f | 1u << 16, 24, 0, 20, 20, 0 }, ty[5] = { 0, 6u << 24 | 1, 4, 1, val };
	size_t nlen = strlen(name) + 1;
	hdr[5] = (uint32_t)(1 + nlen);
	memcpy(b, hdr, 24);
	memcpy(b + 24, ty, 20);
	memcpy(b + 24 + 20 + 1, name, nlen);
}

/* 48-bit halves, 4 KiB pages: the image's text page (EL1-executable) and data page at
 * TEXT + OFFSET, the linear alias of _text's frame, the struct page of that frame. */
static void make_guest(struct syn *s)
{
	syn_init(s, 12, 48, PTDBG_ARM64_TTBR1, 0);
	const uint64_t ro = ARM64_DESC_AF | ARM64_DESC_AP_RO | ARM64_DESC_UXN, rw = ARM64_DESC_AF | ARM64_DESC_PXN | ARM64_DESC_UXN;
	syn_map(s, TEXT + OFFSET + 0x10000, TEXT_PA + 0x10000, 3, ro, 0);
	syn_map(s, TEXT + OFFSET + 0x20000, TEXT_PA + 0x20000, 3, rw, 0);
	syn_map(s, 0xffff000000000000ull + TEXT_PA, TEXT_PA, 3, rw, 0);
	syn_map(s, 0xfffffc0000000000ull + (TEXT_PA >> 12) * 64, 0x300000, 3, rw, 0);
	uint8_t *d = s->im->buf + TEXT_PA + 0x20000;
	strcpy((char *)d, "Linux version 6.1.0-synthetic-arm64\n");
	uint64_t v[2] = { 0, TEXT + OFFSET - TEXT_PA };  /* memstart_addr, kimage_voffset */
	memcpy(d + 0x100, v, sizeof(v));
	make_btf(d + 0x200, "__end_of_permanent_fixed_addresses", NFIX);
	s->cpu.vbar = 0xffff800008010800ull + OFFSET;
	s->cpu.valid |= PTDBG_ARM64_HAVE_VBAR;
}

static uint64_t marker(const struct ptdbg_linux_layout *l, const char *name)
{
	for (size_t i = 0; i < l->nmarkers; i++)
		if (!strcmp(l->markers[i].name, name))
			return l->markers[i].start;
	fail_msg("no marker %s", name);
	return 0;
}

static void check_layout(struct syn *s, struct ptdbg_symbols *syms, const char *how)
{
	struct ptdbg_linux_layout l;
	assert_int_equal(ptdbg_arm64_linux_layout(s->im->mem, &s->cpu, syms, &l), 0);
	assert_true(l.valid);
	assert_int_equal(l.levels, 4);
	assert_string_equal(l.banner, "Linux version 6.1.0-synthetic-arm64");
	const struct ptdbg_linux_base *b = ptdbg_linux_base(&l, "text_offset");
	assert_true(b && b->found && b->value == OFFSET);
	assert_non_null(strstr(b->how, how));
	b = ptdbg_linux_base(&l, "kimage_voffset");
	assert_true(b && b->verified && b->value == TEXT + OFFSET - TEXT_PA);
	b = ptdbg_linux_base(&l, "page_offset");
	assert_true(b && b->verified && b->value == 0xffff000000000000ull);
	b = ptdbg_linux_base(&l, "vmemmap_start");
	assert_true(b && b->verified);
	assert_true(marker(&l, "Linear Mapping start") == 0xffff000000000000ull);
	assert_true(marker(&l, "Modules start") == 0xffff800000000000ull);
	assert_true(marker(&l, "vmalloc() area") == TEXT);
	assert_true(marker(&l, "vmalloc() end") == 0xfffffbfff0000000ull);
	assert_true(marker(&l, "Fixmap start") == 0xfffffbfffe000000ull - NFIX * 4096ull);
	assert_true(marker(&l, "PCI I/O start") == 0xfffffbfffe800000ull);
	assert_true(marker(&l, "vmemmap end") == 0xfffffe0000000000ull);
	uint64_t a, e;
	const struct ptdbg_linux_marker *m = ptdbg_linux_marker_at(&l, TEXT + OFFSET, &a, &e);
	assert_non_null(m);
	assert_string_equal(m->name, "vmalloc() area"); /* not Modules end, at the same address */
	assert_true(a == TEXT && e == 0xfffffbfff0000000ull);
}

static void test_layout(void **state)
{
	(void)state;
	char err[256];
	struct ptdbg_symbols *syms = ptdbg_symbols_open_map(map_path, err, sizeof(err));
	assert_non_null(syms);
	struct syn s;
	make_guest(&s);
	check_layout(&s, syms, "VBAR_EL1");
	/* without VBAR: the executable range of the image less _stext */
	s.cpu.valid &= ~PTDBG_ARM64_HAVE_VBAR;
	check_layout(&s, syms, "_stext");
	/* a VBAR elsewhere: refused there, found through the tables */
	s.cpu.valid |= PTDBG_ARM64_HAVE_VBAR;
	s.cpu.vbar += 0x200000;
	check_layout(&s, syms, "less vectors does not place linux_banner");
	/* another kernel's banner: the symbols are not this kernel's */
	strcpy((char *)s.im->buf + TEXT_PA + 0x20000, "Not Linux");
	ptdbg_mem_invalidate(s.im->mem);
	struct ptdbg_linux_layout l;
	assert_int_equal(ptdbg_arm64_linux_layout(s.im->mem, &s.cpu, syms, &l), 0);
	assert_false(l.valid);
	assert_non_null(strstr(l.why, "not found"));
	assert_null(ptdbg_linux_marker_at(&l, TEXT, &(uint64_t){ 0 }, &(uint64_t){ 0 }));
	/* no symbols: nothing placed */
	assert_int_equal(ptdbg_arm64_linux_layout(s.im->mem, &s.cpu, NULL, &l), 0);
	assert_false(l.valid);
	assert_non_null(strstr(l.why, "nothing labelled"));
	syn_free(&s);
	ptdbg_symbols_close(syms);
}

int main(void)
{
	snprintf(map_path, sizeof(map_path), "/tmp/ptdbg-a64map.%d", (int)getpid());
	FILE *f = fopen(map_path, "w");
	if (!f)
		return 1;
	fputs(map_text, f);
	fclose(f);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(map_path);
	return rc;
}
