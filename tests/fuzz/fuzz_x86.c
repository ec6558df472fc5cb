/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the x86-64 walker over an arbitrary memory image and register set,
 * with every consumer attached: the four printers (text, JSON, info-mem,
 * info-tlb), the checker, the snapshot writer, and single-address translation with
 * its text and JSON traces.
 *
 * Input: a 64-byte parameter block, then the guest physical memory as a sparse
 * image (fuzz_input.h: records of u64 address, u16 length, bytes; the tables at
 * the addresses the input chooses, every other page zero or a hole).
 *   0  cr0   8 cr3   16 cr4   24 efer   32 pat
 *   40 flags: bits 0-1 levels (0 from CR4.LA57, 1: 4, 2: 5), bit 2 pdpe1gb,
 *      bit 3 VA filter, bit 4 show A/D, bit 5 merge virtual, bit 6 kernel knows,
 *      bit 7 no prefetch
 *   41 maxphyaddr (0: unknown)   42 mem cache pages (x 64 + 64)
 *   43 bit 0: pages the image does not hold read as zeros (else they are holes);
 *      bit 1: the rest is instead a flat image from address 0 (the format before
 *      the sparse one, anything past its end a hole: kernel-space, which the
 *      robustness suites also serve from a fake stub, is one);
 *      bits 2-3: the printer the walk feeds (text, JSON, info-mem, info-tlb; the
 *      last two only without the VA filter), bit 4: all four instead. One printer
 *      per input keeps the cost of an event low; the seeds feed one each, all
 *      four printers among them (kernel-space and the crashers all four).
 *   44 u32 max nodes (clamped)   48 va_first   56 va_last (also the VAs translated)
 * mkseeds.c --x86-sparse cuts inputs of the flat format into the sparse one.
 */
#include <stdlib.h>

#include "out/finding.h"
#include "fuzz_input.h"
#include "target/mem.h"
#include "out/snapshot.h"
#include "x86/x86_check.h"
#include "x86/x86_print.h"
#include "x86/x86_snap.h"
#include "x86/x86_walk.h"

/* Visitors fed by one walk. */
struct fanout {
	struct ptdbg_x86_printer *p[4];
	struct ptdbg_x86_checker *check;
	struct ptdbg_snap_space *snap;
};

/* A marker scheme with a few ranges, so marker lines and finding fields run. */
static const char *marker(void *ctx, uint64_t va, uint64_t *start, uint64_t *end)
{
	(void)ctx;
	if (va >= 0xffff800000000000ull) {
		*start = 0xffff800000000000ull;
		*end = 0;
		return "kernel half";
	}
	if (va < 0x200000) {
		*start = 0;
		*end = 0x200000;
		return "low";
	}
	return NULL;
}

static const char *marker_short(void *ctx, uint64_t va)
{
	uint64_t s, e;
	return marker(ctx, va, &s, &e);
}

/* Print a snapshot difference (diff callback). */
static void print_diff(void *ctx, const struct ptdbg_diff *d)
{
	(void)ctx;
	ptdbg_diff_print(fz_sink(), d, ptdbg_x86_snap_attr_name);
}

static int visit_all(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct fanout *f = ctx;
	int rc;

	for (int i = 0; i < 4; i++)
		if (f->p[i])
			ptdbg_x86_printer_visit(f->p[i], ev);
	if ((rc = ptdbg_x86_checker_visit(f->check, ev)) != 0)
		return rc;
	if (f->snap && (rc = ptdbg_snap_visit(f->snap, ev)) != 0)
		return rc;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size, 0 };
	struct ptdbg_regs regs = { 0 };
	struct ptdbg_x86_walk_cfg cfg = { 0 };

	regs.cr0 = fz_u64(&f);
	regs.cr3 = fz_u64(&f);
	regs.cr4 = fz_u64(&f);
	regs.efer = fz_u64(&f);
	regs.valid = PTDBG_REG_CR0 | PTDBG_REG_CR3 | PTDBG_REG_CR4 | PTDBG_REG_EFER;
	uint64_t pat = fz_u64(&f);
	uint8_t flags = fz_u8(&f);
	uint8_t maxphy = fz_u8(&f);
	size_t cache_pages = 64 + 64 * (size_t)(fz_u8(&f) & 3);
	uint8_t image_flags = fz_u8(&f);
	uint32_t max_nodes = fz_u32(&f);
	uint64_t va_first = fz_u64(&f), va_last = fz_u64(&f);
	static struct fz_mem image;

	size_t len = 0;
	const uint8_t *flat = image_flags & 2 ? fz_rest(&f, 64, &len) : NULL;

	if (!flat)
		fz_mem_load(&image, &f);

	ptdbg_x86_cpu_from_regs(&cfg.cpu, &regs);
	cfg.cpu.pat = pat;
	cfg.cpu.pat_source = PTDBG_PAT_USER;
	cfg.cpu.levels = (flags & 3) == 1 ? 4 : (flags & 3) == 2 ? 5 : 0;
	cfg.cpu.pdpe1gb = flags & 4;
	cfg.cpu.maxphyaddr = maxphy;
	cfg.va_filter = flags & 8;
	cfg.va_first = va_first;
	cfg.va_last = va_last;
	/* Budgets small enough that one input runs in milliseconds; the default budgets
	 * are exercised end to end by tests/integration/robust.sh. */
	cfg.max_nodes = max_nodes % 8 + 1;
	cfg.max_leaves = 128;
	cfg.no_prefetch = flags & 0x80;

	struct ptdbg_target *t = flat ? ptdbg_image_open(flat, 0, len, &regs)
				      : fz_mem_open(&image, image_flags & 1, &regs);
	struct ptdbg_mem *mem = t ? ptdbg_mem_new(t, cache_pages * PTDBG_PAGE_SIZE) : NULL;
	if (!mem)
		goto out;

	FILE *sink = fz_sink();
	struct ptdbg_x86_print_opts po = {
		.out = sink, .aspace_name = "fuzz", .marker = marker,
		.merge_virtual = flags & 0x20, .show_ad = flags & 0x10, .show_absent = true,
		.show_nodes = true,
	};
	/* 64 findings: past the list's first growth and into its dropped count; each
	 * further one is printed as the others are */
	struct ptdbg_findings findings = { .max = 64 };
	struct ptdbg_x86_check_opts co = {
		.out = &findings, .marker = marker_short, .declared_levels = (flags & 3) == 2 ? 5 : 4,
		.kernel_knows = flags & 0x40,
	};
	struct ptdbg_snapshot snap = { .format = PTDBG_SNAP_X86 };
	struct fanout fo = { .check = NULL };

	static const enum ptdbg_x86_format fmt[4] = {
		PTDBG_X86_FMT_TEXT, PTDBG_X86_FMT_JSON, PTDBG_X86_FMT_INFO_MEM, PTDBG_X86_FMT_INFO_TLB,
	};
	for (int i = 0; i < 4; i++)
		/* QEMU's formats (2, 3) have no filter */
		if ((image_flags & 0x10 || i == (image_flags >> 2 & 3)) && (i < 2 || !cfg.va_filter))
			fo.p[i] = ptdbg_x86_printer_new(fmt[i], &cfg.cpu, &po);
	fo.check = ptdbg_x86_checker_new(&co);
	fo.snap = ptdbg_snap_add_space(&snap, "fuzz", 0, ptdbg_x86_levels(&cfg.cpu), ptdbg_x86_root(&cfg.cpu));
	if (fo.check) {
		struct ptdbg_walk_result res;

		ptdbg_x86_checker_begin(fo.check, "fuzz", &cfg.cpu);
		ptdbg_x86_walk(mem, &cfg, visit_all, &fo, &res);
		ptdbg_x86_checker_end(fo.check);
		ptdbg_x86_checker_finish(fo.check);
		for (int i = 0; i < 4; i++)
			if (fo.p[i])
				ptdbg_x86_printer_finish(fo.p[i], &res);
		ptdbg_findings_sort(&findings);
		ptdbg_findings_print(sink, &findings);
		struct ptdbg_json *j = ptdbg_json_new(sink);
		if (j) {
			ptdbg_findings_json(j, &findings);
			ptdbg_json_free(j);
		}
		if (fo.snap) {
			struct ptdbg_snap_space empty = { .name = "empty" };
			ptdbg_snap_diff(fo.snap, &empty, print_diff, NULL);
			ptdbg_snap_diff(&empty, fo.snap, print_diff, NULL);
		}
	}
	for (int i = 0; i < 4; i++)
		ptdbg_x86_printer_free(fo.p[i]);
	ptdbg_x86_checker_free(fo.check);
	ptdbg_findings_free(&findings);
	ptdbg_snap_free(&snap);

	/* Single translations: a read, a user write, a fetch at both VAs. */
	static const unsigned access[] = {
		0, PTDBG_ACC_WRITE | PTDBG_ACC_USER, PTDBG_ACC_FETCH,
	};
	for (int i = 0; i < 3; i++) {
		struct ptdbg_translation tr;
		uint64_t va = i == 1 ? va_last : va_first;

		if (ptdbg_x86_translate(mem, &cfg.cpu, va, access[i], &tr) == 0) {
			ptdbg_x86_print_translation(sink, &cfg.cpu, &tr);
			struct ptdbg_json *j = ptdbg_json_new(sink);
			if (j) {
				ptdbg_x86_json_translation(j, &cfg.cpu, &tr);
				ptdbg_json_free(j);
			}
		}
	}
out:
	ptdbg_mem_free(mem);
	if (t)
		ptdbg_target_close(t);
	return 0;
}
