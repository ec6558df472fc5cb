/* SPDX-License-Identifier: MIT */
/* Unit tests of the x86 printers: QEMU's info mem / info tlb text derived from
 * QEMU 7.2's target/i386/monitor.c logic, the coalescing text dump, JSON, the walk
 * trace. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <cmocka.h>

#include "x86/x86_print.h"
#include "x86_synth.h"

#define U X86_PTE_US
#define W X86_PTE_RW
#define TF SYNTH_TABLE_FLAGS

/* Walk s and print it in fmt into a malloc'd string. */
static char *print_walk(struct synth *s, enum ptdbg_x86_format fmt,
			const struct ptdbg_x86_print_opts *o)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct ptdbg_x86_print_opts opts = { 0 };
	struct ptdbg_walk_result res;

	if (o)
		opts = *o;
	opts.out = f;
	struct ptdbg_x86_printer *p = ptdbg_x86_printer_new(fmt, &s->cfg.cpu, &opts);
	assert_non_null(p);
	assert_int_equal(ptdbg_x86_walk(s->m, &s->cfg, ptdbg_x86_printer_visit, p, &res), 0);
	ptdbg_x86_printer_finish(p, &res);
	ptdbg_x86_printer_free(p);
	fclose(f);
	return text;
}

/* The tables the QEMU-format tests use (see the expected texts). */
static void qemu_tables(struct synth *s)
{
	synth_map(s, 0x400000, 0x123000, 1, U | W | X86_PTE_A | X86_PTE_D, TF);
	synth_map(s, 0x401000, 0x124000, 1, U | X86_PTE_PAT4K | X86_PTE_PCD, TF);
	synth_map(s, 0x402000, 0x200000, 1, U | X86_PTE_PWT | X86_PTE_G, TF);
	synth_map(s, 0x7ffffffff000ull, 0x300000, 1, U | W, TF);
	synth_map(s, 0xffff800000000000ull, 0x400000 | X86_PTE_PATBIG, 2, U | W, TF);
	synth_map(s, 0xffffffffffe00000ull, 0x600000, 2, W | X86_PTE_NX | X86_PTE_G | X86_PTE_A, TF);
}

/* info mem: prot U|RW|P ANDed over levels, NX ignored, ranges coalesced by prot
 * only (not physical contiguity), unextended addresses sign-extended when printed
 * (a range ending at the top of the low half prints ffff800000000000 and merges with
 * the first upper-half page when prot is equal), final flush at 1 << 48. */
static void test_info_mem(void **state)
{
	struct synth s;

	synth_init(&s, 4);
	qemu_tables(&s);
	char *out = print_walk(&s, PTDBG_X86_FMT_INFO_MEM, NULL);
	assert_string_equal(out,
		"0000000000400000-0000000000401000 0000000000001000 urw\n"
		"0000000000401000-0000000000403000 0000000000002000 ur-\n"
		"00007ffffffff000-ffff800000200000 0000000000201000 urw\n"
		"ffffffffffe00000-0001000000000000 0000000000200000 -rw\n");
	free(out);
	/* a range that ends before the top is closed by the next non-present entry */
	uint64_t pd = synth_table_of(&s, 0xffffffffffe00000ull, 2);
	synth_set(&s, pd, 511, 0);
	synth_map(&s, 0xffffffffffc00000ull, 0x600000, 2, W, TF);
	ptdbg_mem_invalidate(s.m);
	out = print_walk(&s, PTDBG_X86_FMT_INFO_MEM, NULL);
	assert_string_equal(out,
		"0000000000400000-0000000000401000 0000000000001000 urw\n"
		"0000000000401000-0000000000403000 0000000000002000 ur-\n"
		"00007ffffffff000-ffff800000200000 0000000000201000 urw\n"
		"ffffffffffc00000-ffffffffffe00000 0000000000200000 -rw\n");
	free(out);
	synth_fini(&s);
}

/* info tlb: one line per leaf, entry masked to bits 49:12 / 49:21 / 49:30, bit 7
 * cleared for 4K PTEs, flags XGPDACTUW of the raw leaf. */
static void test_info_tlb(void **state)
{
	struct synth s;

	synth_init(&s, 4);
	qemu_tables(&s);
	char *out = print_walk(&s, PTDBG_X86_FMT_INFO_TLB, NULL);
	assert_string_equal(out,
		"0000000000400000: 0000000000123000 ---DA--UW\n"
		"0000000000401000: 0000000000124000 -----C-U-\n"
		"0000000000402000: 0000000000200000 -G----TU-\n"
		"00007ffffffff000: 0000000000300000 -------UW\n"
		"ffff800000000000: 0000000000400000 --P----UW\n"
		"ffffffffffe00000: 0000000000600000 XGP-A---W\n");
	free(out);
	synth_fini(&s);
}

/* 5-level: canonical at 57 bits, final flush at 1 << 57. */
static void test_info_mem_tlb_la57(void **state)
{
	struct synth s;

	synth_init(&s, 5);
	synth_map(&s, 0x00fffffffffff000ull, 0x5000, 1, U | W, TF);
	synth_map(&s, 0xffffffffffe00000ull, 0x600000, 2, W, TF);
	char *out = print_walk(&s, PTDBG_X86_FMT_INFO_MEM, NULL);
	assert_string_equal(out,
		"00fffffffffff000-ff00000000000000 0000000000001000 urw\n"
		"ffffffffffe00000-0200000000000000 0000000000200000 -rw\n");
	free(out);
	out = print_walk(&s, PTDBG_X86_FMT_INFO_TLB, NULL);
	assert_string_equal(out,
		"00fffffffffff000: 0000000000005000 -------UW\n"
		"ffffffffffe00000: 0000000000600000 --P-----W\n");
	free(out);
	synth_fini(&s);
}

static void test_pg_disabled(void **state)
{
	struct synth s;

	synth_init(&s, 4);
	s.cfg.cpu.cr0 = 1;
	char *out = print_walk(&s, PTDBG_X86_FMT_INFO_MEM, NULL);
	assert_string_equal(out, "PG disabled\n");
	free(out);
	synth_fini(&s);
}

/* Text dump: physically contiguous runs with equal attributes coalesce; A/D do not
 * split unless asked; absent entries and anomalies are listed in place. */
static void test_text_dump(void **state)
{
	struct synth s;

	synth_init(&s, 4);
	synth_map(&s, 0x1000, 0x10000, 1, W | X86_PTE_A, TF);
	synth_map(&s, 0x2000, 0x11000, 1, W | X86_PTE_D, TF);
	synth_map(&s, 0x3000, 0x12000, 1, W, TF);
	synth_map(&s, 0x4000, 0x50000, 1, W, TF);     /* not contiguous */
	uint64_t pt = synth_map(&s, 0x5000, 0x51000, 1, U, TF);
	synth_set(&s, pt, 6, W | X86_PTE_PAT4K);      /* absent, sw bits */
	synth_map(&s, 0xffffffff80000000ull, 0x1000000, 2, X86_PTE_G | X86_PTE_NX, TF);
	struct ptdbg_x86_print_opts o = { .aspace_name = "kernel", .show_absent = true };
	char *out = print_walk(&s, PTDBG_X86_FMT_TEXT, &o);
	assert_string_equal(out,
		"---[ kernel ]---\n"
		"0x0000000000001000-0x0000000000004000        12K  pa 0x0000000000010000 4K      RW x      WB\n"
		"0x0000000000004000-0x0000000000005000         4K  pa 0x0000000000050000 4K      RW x      WB\n"
		"0x0000000000005000-0x0000000000006000         4K  pa 0x0000000000051000 4K  USR ro x      WB\n"
		"0x0000000000006000-0x0000000000007000 absent PTE 0x0000000000000082 (np RW sup PAT)\n"
		"0xffffffff80000000-0xffffffff80200000         2M  pa 0x0000000001000000 2M      ro NX GLB WB\n"
		"# 6 leaves, 6 tables (6 distinct), 1 absent, 0 anomalies, 0 unreadable\n"
		"# memory types from IA32_PAT 0x0007040600070406 (not known: the reset value is assumed)\n");
	free(out);
	o.merge_virtual = true;
	o.show_absent = false;
	o.no_summary = true;
	o.aspace_name = NULL;
	out = print_walk(&s, PTDBG_X86_FMT_TEXT, &o);
	assert_string_equal(out,
		"0x0000000000001000-0x0000000000005000        16K  pa 0x0000000000010000 4K      RW x      WB\n"
		"0x0000000000005000-0x0000000000006000         4K  pa 0x0000000000051000 4K  USR ro x      WB\n"
		"0xffffffff80000000-0xffffffff80200000         2M  pa 0x0000000001000000 2M      ro NX GLB WB\n");
	free(out);
	synth_fini(&s);
}

static const char *marker_of(void *ctx, uint64_t va, uint64_t *start, uint64_t *end)
{
	if (va >= 0xffffffff80000000ull) {
		*start = 0xffffffff80000000ull;
		*end = 0;
		return "Kernel image";
	}
	if (va < 0x800000000000ull) {
		*start = 0;
		*end = 0x800000000000ull;
		return "User space";
	}
	return NULL;
}

/* Marker lines, and ranges do not coalesce across a marker boundary. */
static void test_markers(void **state)
{
	struct synth s;

	synth_init(&s, 4);
	synth_map(&s, 0x1000, 0x10000, 1, U, TF);
	synth_map(&s, 0xffffffff80000000ull, 0x1000000, 2, X86_PTE_G, TF);
	struct ptdbg_x86_print_opts o = { .marker = marker_of, .no_summary = true };
	char *out = print_walk(&s, PTDBG_X86_FMT_TEXT, &o);
	assert_string_equal(out,
		"---[ User space ]---\n"
		"0x0000000000001000-0x0000000000002000         4K  pa 0x0000000000010000 4K  USR ro x      WB\n"
		"---[ Kernel image ]---\n"
		"0xffffffff80000000-0xffffffff80200000         2M  pa 0x0000000001000000 2M      ro x  GLB WB\n");
	free(out);
	synth_fini(&s);
}

static void test_json_dump(void **state)
{
	struct synth s;

	synth_init(&s, 4);
	synth_map(&s, 0x1000, 0x10000, 1, U | W | (3ull << 59), TF);
	s.cfg.cpu.cr4 |= X86_CR4_PKE;
	struct ptdbg_x86_print_opts o = { .aspace_name = "user \"1\"" };
	char *out = print_walk(&s, PTDBG_X86_FMT_JSON, &o);
	assert_string_equal(out,
		"{\"space\":\"user \\\"1\\\"\",\"levels\":4,\"root\":\"0x0000000000001000\","
		"\"pcid\":-1,\"pat\":\"0x0007040600070406\",\"pat_source\":\"reset\",\"cr0_wp\":true,"
		"\"efer_nxe\":true,\"entries\":[{\"type\":\"range\",\"start\":\"0x0000000000001000\","
		"\"end\":\"0x0000000000002000\",\"size\":4096,\"pa\":\"0x0000000000010000\","
		"\"page_size\":4096,\"pages\":1,\"flags\":[\"USR\",\"RW\"],\"memtype\":\"WB\","
		"\"pat_index\":0,\"pkey\":3}],\"summary\":{\"leaves\":1,\"tables\":4,"
		"\"distinct_tables\":4,\"absent\":0,\"anomalies\":0,\"read_errors\":0,"
		"\"partial\":false}}\n");
	free(out);
	synth_fini(&s);
}

static void test_walk_trace(void **state)
{
	struct synth s;
	struct ptdbg_translation t;
	char *text = NULL;
	size_t len = 0;

	synth_init(&s, 4);
	synth_map(&s, 0x400000, 0x123000, 1, U | X86_PTE_A, TF);
	ptdbg_x86_translate(s.m, &s.cfg.cpu, 0x400010, PTDBG_ACC_USER | PTDBG_ACC_WRITE, &t);
	FILE *f = open_memstream(&text, &len);
	ptdbg_x86_print_translation(f, &s.cfg.cpu, &t);
	fclose(f);
	assert_string_equal(text,
		"va 0x0000000000400010 (write, user), 4-level paging, root 0x0000000000001000\n"
		"  PML4E[  0] @0x0000000000001000 = 0x0000000000002007  P RW USR\n"
		"  PDPTE[  0] @0x0000000000002000 = 0x0000000000003007  P RW USR\n"
		"  PDE  [  2] @0x0000000000003010 = 0x0000000000004007  P RW USR\n"
		"  PTE  [  0] @0x0000000000004000 = 0x0000000000123025  P ro USR A\n"
		"  -> pa 0x0000000000123010  4K page  USR ro x       WB (PAT 0)\n"
		"  stops at PTE: access not allowed; #PF error code 0x0007 (P W U)\n");
	free(text);
	text = NULL;
	f = open_memstream(&text, &len);
	struct ptdbg_json *j = ptdbg_json_new(f);
	ptdbg_x86_json_translation(j, &s.cfg.cpu, &t);
	ptdbg_json_free(j);
	fclose(f);
	assert_non_null(strstr(text, "\"result\":\"access not allowed\""));
	assert_non_null(strstr(text, "\"pf_error\":\"0x0000000000000007\""));
	assert_non_null(strstr(text, "\"bits\":[\"P\",\"USR\",\"A\"]"));
	free(text);
	synth_fini(&s);
}

static void test_format_size(void **state)
{
	char b[32];
	ptdbg_format_size(4096, b, sizeof(b));
	assert_string_equal(b, "        4K");
	ptdbg_format_size(3ull << 30, b, sizeof(b));
	assert_string_equal(b, "        3G");
	ptdbg_format_size(1ull << 47, b, sizeof(b));
	assert_string_equal(b, "      128T");
	assert_int_equal(ptdbg_x86_format_parse("info-tlb"), PTDBG_X86_FMT_INFO_TLB);
	assert_int_equal(ptdbg_x86_format_parse("nope"), -1);
	/* the hand-written formatters against printf's %0*llx and %*llu */
	static const uint64_t v[] = { 0, 1, 0xabc, 0xfffffffffffull, 0x1000000000000ull,
				      0x1ffffffffffffffull, ~0ull, 4099, 18446744073709551615ull };
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char want[64], got[64];
		for (unsigned w = 0; w <= 16; w += 4) {
			snprintf(want, sizeof(want), "%0*llx", (int)w, (unsigned long long)v[i]);
			*ptdbg_put_hex(got, v[i], w ? w : 1) = '\0';
			if (!w) /* %00llx is %llx: one digit at least */
				snprintf(want, sizeof(want), "%llx", (unsigned long long)v[i]);
			assert_string_equal(got, want);
			snprintf(want, sizeof(want), "%*llu", (int)w, (unsigned long long)v[i]);
			*ptdbg_put_dec(got, v[i], w) = '\0';
			assert_string_equal(got, want);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_info_mem),
		cmocka_unit_test(test_info_tlb),
		cmocka_unit_test(test_info_mem_tlb_la57),
		cmocka_unit_test(test_pg_disabled),
		cmocka_unit_test(test_text_dump),
		cmocka_unit_test(test_markers),
		cmocka_unit_test(test_json_dump),
		cmocka_unit_test(test_walk_trace),
		cmocka_unit_test(test_format_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
