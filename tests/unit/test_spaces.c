/* SPDX-License-Identifier: MIT */
/* Every address space from memory alone: the RAM layout, the scan for frames that
 * share a window, and the x86 roots (CR3's kernel half, KPTI pairs). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "target/mem.h"
#include "target/ram.h"
#include "walk/rootscan.h"
#include "arm64/arm64_spaces.h"
#include "x86/spaces.h"

static void ram_add_merges_and_sorts(void **state)
{
	(void)state;
	struct ptdbg_ram r = { 0 };
	ptdbg_ram_add(&r, 0x100000, 0x100000);
	ptdbg_ram_add(&r, 0x0, 0x9f000);
	ptdbg_ram_add(&r, 0x200000, 0x1000);  /* touches the first: merged */
	ptdbg_ram_add(&r, 0x1800, 0x100);     /* less than a frame once rounded: dropped */
	ptdbg_ram_add(&r, 0x50000, 0x60000);  /* overlaps [0, 0x9f000) and reaches 0xb0000 */
	assert_int_equal(r.n, 2);
	assert_true(r.r[0].pa == 0 && r.r[0].len == 0xb0000);
	assert_true(r.r[1].pa == 0x100000 && r.r[1].len == 0x101000);
	assert_true(ptdbg_ram_bytes(&r) == 0xb0000 + 0x101000);
}

static void ram_from_mtree_reads_memory_ram_only(void **state)
{
	(void)state;
	static const char text[] =
		"FlatView #0\n"
		" AS \"I/O\", root: io\n"
		"  0000000000000000-0000000000000007 (prio 0, i/o): dma-chan\n"
		"FlatView #1\n"
		" AS \"memory\", root: system\n"
		" AS \"cpu-memory-0\", root: system\n"
		" Root memory region: system\n"
		"  0000000000000000-000000000009ffff (prio 0, ram): pc.ram\n"
		"  00000000000c0000-00000000000dffff (prio 1, rom): pc.rom\n"
		"  0000000000100000-000000001fffffff (prio 0, ram): pc.ram @0000000000100000\n"
		"  00000000fed1c000-00000000fed1ffff (prio 1, i/o): lpc-rcrb-mmio\n"
		"FlatView #2\n"
		" AS \"edu-dma\", root: bus master container\n"
		"  0000000000000000-000000007fffffff (prio 0, ram): other\n";
	struct ptdbg_ram r = { 0 };
	assert_int_equal(ptdbg_ram_from_mtree(text, &r), 0);
	assert_int_equal(r.n, 2);
	assert_true(r.r[0].pa == 0 && r.r[0].len == 0xa0000);
	assert_true(r.r[1].pa == 0x100000 && r.r[1].len == 0x1ff00000);
	struct ptdbg_ram none = { 0 };
	assert_int_equal(ptdbg_ram_from_mtree("FlatView #0\n AS \"I/O\"\n", &none), PTDBG_EFORMAT);
}

/* 64 frames of RAM at 0; roots at frames 1 (CR3, the kernel's: user half empty), 8
 * (a process) and 9 (its KPTI user-mode root), 20 (another process). Frame 30 holds
 * the same top entry but a different kernel half: not a root. */
#define NFRAMES 64
static uint64_t mem_img[NFRAMES][512];

static void build(void)
{
	memset(mem_img, 0, sizeof(mem_img));
	for (unsigned i = 256; i < 512; i += 85)
		mem_img[1][i] = (0x40000ull + i * 0x1000) | 0x63;
	mem_img[1][511] = 0x3f000 | 0x63;
	memcpy(&mem_img[8][256], &mem_img[1][256], 256 * 8);
	memcpy(&mem_img[20][256], &mem_img[1][256], 256 * 8);
	mem_img[8][0] = 0x50000 | 0x67;
	mem_img[20][0] = 0x51000 | 0x67;
	mem_img[9][0] = mem_img[8][0];
	mem_img[9][511] = 0x52000 | 0x63;       /* KPTI: a kernel half of its own */
	mem_img[30][511] = mem_img[1][511];     /* probe matches, window does not */
}

static void scan_both_ways(void **state)
{
	(void)state;
	build();
	struct ptdbg_regs regs = { .cr3 = 0x1000, .cr0 = 0x80000001, .cr4 = 0x20, .efer = 0xd00,
				   .valid = PTDBG_REG_CR3 | PTDBG_REG_CR0 | PTDBG_REG_CR4 | PTDBG_REG_EFER };
	struct ptdbg_target *t = ptdbg_image_open(mem_img, 0, sizeof(mem_img), &regs);
	assert_non_null(t);
	struct ptdbg_mem *m = ptdbg_mem_new(t, 1 << 20);
	assert_non_null(m);
	struct ptdbg_ram ram = { 0 };
	ptdbg_ram_add(&ram, 0, sizeof(mem_img));
	struct ptdbg_x86_cpu cpu;
	ptdbg_x86_cpu_from_regs(&cpu, &regs);
	for (int link = 0; link < 2; link++) {
		struct ptdbg_x86_root *roots;
		size_t n;
		uint64_t bad = 1;
		char why[128];
		assert_int_equal(ptdbg_x86_find_roots(t, m, &cpu, &ram, link, NULL, NULL, &roots, &n, &bad,
						      why, sizeof(why)), 0);
		assert_int_equal(bad, 0);
		assert_int_equal(n, 4);
		assert_true(roots[0].root == 0x1000 && roots[0].how == PTDBG_ROOT_CR3 && roots[0].user_empty);
		assert_true(roots[1].root == 0x8000 && roots[1].how == PTDBG_ROOT_SCAN && !roots[1].user_empty);
		assert_true(roots[2].root == 0x9000 && roots[2].how == PTDBG_ROOT_KPTI);
		assert_true(roots[3].root == 0x14000 && roots[3].how == PTDBG_ROOT_SCAN);
		free(roots);
	}
	/* A root whose kernel half is empty shares nothing: refused with a reason. */
	cpu.cr3 = 0x2000;
	struct ptdbg_x86_root *roots;
	size_t n;
	char why[160] = "";
	assert_int_equal(ptdbg_x86_find_roots(t, m, &cpu, &ram, false, NULL, NULL, &roots, &n, NULL,
					      why, sizeof(why)), PTDBG_EINVAL);
	assert_non_null(strstr(why, "kernel half"));
	ptdbg_mem_free(m);
	ptdbg_target_close(t);
}

static void rootscan_rejects_bad_windows(void **state)
{
	(void)state;
	uint8_t ref[16] = { 1 };
	struct ptdbg_ram ram = { 0 };
	uint64_t *hits;
	size_t n;
	struct ptdbg_rootscan c = { .ref = ref, .off = 4090, .len = 16, .probe_off = 4090 };
	assert_int_equal(ptdbg_rootscan(NULL, &ram, &c, &hits, &n, NULL), PTDBG_EINVAL);
	c = (struct ptdbg_rootscan){ .ref = ref, .off = 0, .len = 16, .probe_off = 12 };
	assert_int_equal(ptdbg_rootscan(NULL, &ram, &c, &hits, &n, NULL), PTDBG_EINVAL);
}

/* AArch64, 36-bit halves with 4 KiB pages (a root of 64 entries at lookup level 1):
 * TTBR1's root at frame 1, TTBR0's (the running process) at 2 -> 3 -> 4 -> a user
 * page; another process at 10 -> 11 -> 12 -> a user page (likely); frame 20 ->
 * 21 -> 22 -> an EL1-only page (possible); frame 30 holds an invalid nonzero word
 * and frame 31 an entry past the 64 a root has: neither is a root. The inner tables
 * 11, 12 look like roots but walk to nothing. */
static void a64_build(void)
{
	memset(mem_img, 0, sizeof(mem_img));
	mem_img[1][1] = 0x5000 | 3;
	mem_img[5][0] = 0x0 | 0x401;          /* a 2 MiB block, EL1 only */
	mem_img[2][0] = 0x3000 | 3;
	mem_img[3][0] = 0x4000 | 3;
	mem_img[4][0] = 0x29000 | 0x443;      /* a page, EL0 (AP[1]), AF */
	mem_img[10][4] = 0xb000 | 3;
	mem_img[11][0] = 0xc000 | 3;
	mem_img[12][0] = 0x28000 | 0x443;
	mem_img[12][1] = 0x2a000 | 0x443;
	mem_img[20][0] = 0x15000 | 3;
	mem_img[21][0] = 0x16000 | 3;
	mem_img[22][0] = 0x2b000 | 0x403;     /* EL1 only */
	mem_img[30][0] = 0x1234;
	mem_img[31][100] = 0xd000 | 3;
}

static void a64_roots_scan(void **state)
{
	(void)state;
	a64_build();
	struct ptdbg_regs regs = { 0 };
	struct ptdbg_target *t = ptdbg_image_open(mem_img, 0, sizeof(mem_img), &regs);
	assert_non_null(t);
	struct ptdbg_mem *m = ptdbg_mem_new(t, 1 << 20);
	assert_non_null(m);
	struct ptdbg_ram ram = { 0 };
	ptdbg_ram_add(&ram, 0, sizeof(mem_img));
	struct ptdbg_arm64_cpu cpu = { .ttbr0 = 0x2000, .ttbr1 = 0x1000,
		.tcr = 28 | (28ull << 16) | (2ull << 30) | (1ull << 32) };
	for (int link = 0; link < 2; link++) {
		struct ptdbg_arm64_root *roots;
		size_t n;
		uint64_t bad = 1;
		char why[128];
		assert_int_equal(ptdbg_arm64_find_roots(t, m, &cpu, &ram, link, NULL, NULL, &roots, &n, &bad, why,
							sizeof(why)), 0);
		assert_int_equal(bad, 0);
		assert_int_equal(n, 4);
		assert_true(roots[0].root == 0x1000 && roots[0].how == PTDBG_A64_ROOT_TTBR1 &&
			    roots[0].sure == PTDBG_A64_CERTAIN && roots[0].half == 1);
		assert_true(roots[1].root == 0x2000 && roots[1].how == PTDBG_A64_ROOT_TTBR0 && roots[1].half == 0);
		assert_true(roots[2].root == 0xa000 && roots[2].how == PTDBG_A64_ROOT_SCAN &&
			    roots[2].sure == PTDBG_A64_LIKELY && roots[2].leaves == 2);
		assert_true(roots[3].root == 0x14000 && roots[3].sure == PTDBG_A64_POSSIBLE);
		assert_non_null(strstr(roots[3].why, "EL1-only"));
		free(roots);
	}
	/* both halves disabled: nothing to go on */
	cpu.tcr |= (1ull << 7) | (1ull << 23);
	struct ptdbg_arm64_root *roots;
	size_t n;
	char why[160] = "";
	assert_int_equal(ptdbg_arm64_find_roots(t, m, &cpu, &ram, false, NULL, NULL, &roots, &n, NULL, why,
						sizeof(why)), PTDBG_EINVAL);
	assert_non_null(strstr(why, "EPD"));
	ptdbg_mem_free(m);
	ptdbg_target_close(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ram_add_merges_and_sorts),
		cmocka_unit_test(ram_from_mtree_reads_memory_ram_only),
		cmocka_unit_test(scan_both_ways),
		cmocka_unit_test(rootscan_rejects_bad_windows),
		cmocka_unit_test(a64_roots_scan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
