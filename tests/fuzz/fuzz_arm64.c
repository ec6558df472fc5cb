/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the AArch64 decoder over an arbitrary register set and a sparse
 * memory image, with its consumers: the dump printer (text or JSON, every filter),
 * the checks, the snapshot writer and the differ, single-address translation with
 * its text and JSON traces and the ESR it implies, reads through the tables (what
 * `ptdump x` fetches), and the register printers (regs, the region's CPU block).
 *
 * Input: a 128-byte parameter block, then the sparse image (fuzz_input.h: records
 * of u64 address, u16 length, bytes).
 *   0 TTBR0_EL1   8 TTBR1_EL1  16 TCR_EL1   24 MAIR_EL1   32 SCTLR_EL1  40 CPSR
 *  48 ESR_EL1    56 FAR_EL1    64 ELR_EL1   72 VBAR_EL1   80 ID_AA64MMFR0_EL1
 *  88 SPSR_EL1   96 PC        104 va_first (also translated and read)
 * 112 va_last (also translated)
 * 120 u32: the registers read (PTDBG_REG_* bits; TTBR0, TTBR1 and TCR always)
 * 124 flags: bit 0 pages the image does not hold read as zeros (else holes),
 *     1 JSON (else text), 2 merge virtual, 3 show absent, 4 show nodes,
 *     5 only leaves in [va_first, va_last), 6 TTBR0 only, 7 TTBR1 only
 * 125 u8 flags a leaf must have (PTDBG_ARM64_PERM_* bits 0-7)
 * 126 u8 flags a leaf must lack
 * 127 bits 0-2 max nodes of the dump (+ 1); bits 4-5 what walks the tables: 0 the
 *     dump, 1 the checks, 2 the snapshot writer and differ, 3 none (translations
 *     and reads only). One consumer per input keeps the cost of an input low; the
 *     seeds take each.
 * The region's CPU block printed is the parameter block itself taken as a
 * struct ptdbg_cpu_arm64 (its first 88 bytes).
 *
 * Every walk, also those the checks and the snapshot writer start with default
 * budgets, is bounded here (ptdbg_walk_set_default_budgets): the default budgets
 * are exercised end to end by the hostile-guest suites.
 *
 * The seeds (corpus/arm64) are cut by mkseeds.c --arm64 from captures of the
 * AArch64 reference kernel, every granule (tests/fuzz/README.md).
 */
#include <stdlib.h>

#include "arm64/arm64_check.h"
#include "arm64/arm64_print.h"
#include "arm64/arm64_regs.h"
#include "arm64/arm64_snap.h"
#include "arm64/arm64_walk.h"
#include "fuzz_input.h"
#include "out/finding.h"
#include "out/json.h"
#include "out/snapshot.h"
#include "ptdbg/abi.h"
#include "target/mem.h"

#define HDR 128

/* A marker scheme with a few ranges, so marker lines run. */
static const char *marker(void *ctx, uint64_t va, uint64_t *start, uint64_t *end)
{
	(void)ctx;
	if (va >= 0xffff000000000000ull) {
		*start = 0xffff000000000000ull;
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

/* Symbols for the check and the register printer: one name, offsets from it. */
static void symbolize(void *ctx, uint64_t addr, char *buf, size_t len)
{
	(void)ctx;
	if (addr >= 0xfffffff000000000ull && addr < 0xfffffff000100000ull)
		snprintf(buf, len, "_start+0x%llx", (unsigned long long)(addr - 0xfffffff000000000ull));
	else if (len)
		buf[0] = 0;
}

static void sink_json(void (*fn)(struct ptdbg_json *, const void *), const void *arg)
{
	struct ptdbg_json *j = ptdbg_json_new(fz_sink());
	if (j) {
		fn(j, arg);
		ptdbg_json_free(j);
	}
}
static void json_regs(struct ptdbg_json *j, const void *r) { ptdbg_arm64_json_regs(j, r); }
static void json_region_cpu(struct ptdbg_json *j, const void *a) { ptdbg_arm64_json_region_cpu(j, a); }
static void json_findings(struct ptdbg_json *j, const void *l) { ptdbg_findings_json(j, l); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz_mem image;
	static bool budgets;
	struct fz f = { data, size, 0 };
	struct ptdbg_regs regs = { 0 };
	FILE *sink = fz_sink();

	if (!budgets) {
		ptdbg_walk_set_default_budgets(8, 128);
		budgets = true;
	}
	regs.ttbr0_el1 = fz_u64(&f);
	regs.ttbr1_el1 = fz_u64(&f);
	regs.tcr_el1 = fz_u64(&f);
	regs.mair_el1 = fz_u64(&f);
	regs.sctlr_el1 = fz_u64(&f);
	regs.cpsr = fz_u64(&f);
	regs.esr_el1 = fz_u64(&f);
	regs.far_el1 = fz_u64(&f);
	regs.elr_el1 = fz_u64(&f);
	regs.vbar_el1 = fz_u64(&f);
	regs.id_aa64mmfr0_el1 = fz_u64(&f);
	regs.spsr_el1 = fz_u64(&f);
	regs.pc = fz_u64(&f);
	uint64_t va_first = fz_u64(&f), va_last = fz_u64(&f);
	uint32_t valid = fz_u32(&f);
	uint8_t flags = fz_u8(&f), need_set = fz_u8(&f), need_clear = fz_u8(&f);
	uint8_t max_nodes = fz_u8(&f);
	regs.arch = PTDBG_ARCH_AARCH64;
	regs.valid = (valid & (PTDBG_REG_PC | PTDBG_REG_CPSR | PTDBG_REG_MAIR | PTDBG_REG_SCTLR |
			       PTDBG_REG_ESR | PTDBG_REG_FAR | PTDBG_REG_ELR | PTDBG_REG_VBAR |
			       PTDBG_REG_MMFR0 | PTDBG_REG_SPSR)) |
		     PTDBG_REG_TTBR0 | PTDBG_REG_TTBR1 | PTDBG_REG_TCR;
	fz_mem_load(&image, &f);

	/* The register printers, and the region's CPU block. */
	struct ptdbg_cpu_arm64 blk;
	memset(&blk, 0, sizeof(blk));
	memcpy(&blk, data, size < sizeof(blk) ? size : sizeof(blk));
	struct ptdbg_arm64_cpu cpu;
	char text[256];
	ptdbg_arm64_cpu_from_regs(&cpu, &regs);
	(void)ptdbg_arm64_regs_missing(&regs);
	if (flags & 2) {
		sink_json(json_regs, &regs);
		sink_json(json_region_cpu, &blk);
	} else {
		ptdbg_arm64_print_regs(sink, &regs, symbolize, NULL);
		ptdbg_arm64_print_region_cpu(sink, &blk);
		fputs(ptdbg_arm64_exception_text(&cpu, text, sizeof(text)), sink);
		for (unsigned h = 0; h < 2; h++)
			fputs(ptdbg_arm64_half_text(&cpu, h, text, sizeof(text)), sink);
	}

	struct ptdbg_target *t = fz_mem_open(&image, flags & 1, &regs);
	struct ptdbg_mem *mem = t ? ptdbg_mem_new(t, 8 * PTDBG_PAGE_SIZE) : NULL;
	if (!mem)
		goto out;

	/* The dump of one half or both. */
	struct ptdbg_json *j = flags & 2 ? ptdbg_json_new(sink) : NULL;
	struct ptdbg_arm64_dump_opts o = {
		.out = sink, .json = j, .marker = marker, .merge_virtual = flags & 4,
		.show_absent = flags & 8, .show_nodes = flags & 0x10, .range = flags & 0x20,
		.lo = va_first, .hi = va_last, .need_set = need_set, .need_clear = need_clear,
		.max_nodes = (max_nodes & 7) + 1, .max_leaves = 128,
	};
	unsigned halves = flags >> 6 ? flags >> 6 : 3, also = max_nodes >> 4 & 3;
	if (also)
		halves = 0;
	if (j && halves == 3)
		ptdbg_json_start_array(j);
	for (unsigned h = 0; h < 2; h++)
		if (halves & (1u << h)) {
			struct ptdbg_walk_result res;
			if (ptdbg_arm64_dump_half(mem, &cpu, h, &o, &res))
				break;
		}
	if (j) {
		if (halves == 3)
			ptdbg_json_end_array(j);
		ptdbg_json_free(j);
	}

	/* The checks. */
	struct ptdbg_findings findings = { .max = 200 };
	if (also == 1 && ptdbg_arm64_check(mem, &cpu, &findings, symbolize, NULL) == 0) {
		ptdbg_findings_sort(&findings);
		if (flags & 2)
			sink_json(json_findings, &findings);
		else
			ptdbg_findings_print(sink, &findings);
	}
	ptdbg_findings_free(&findings);

	/* The snapshot writer, and the differ against an empty snapshot both ways. */
	struct ptdbg_snapshot snap = { 0 }, empty = { .format = PTDBG_SNAP_ARM64 };
	if (also == 2 && ptdbg_arm64_snap_take(&snap, mem, &cpu, NULL, NULL) == 0) {
		struct ptdbg_json *dj = flags & 2 ? ptdbg_json_new(sink) : NULL;
		ptdbg_snap_diff_report(sink, dj, &snap, "a", &empty, "b", "space", false,
				       ptdbg_arm64_snap_attr_name);
		ptdbg_snap_diff_report(sink, dj, &empty, "b", &snap, "a", "space", true,
				       ptdbg_arm64_snap_attr_name);
		ptdbg_json_free(dj);
	}
	ptdbg_snap_free(&snap);

	/* Single translations: a read at EL1, a write from EL0, a fetch, at both VAs. */
	static const unsigned access[] = { 0, PTDBG_ACC_WRITE | PTDBG_ACC_USER, PTDBG_ACC_FETCH };
	for (int i = 0; i < 3; i++) {
		struct ptdbg_translation tr;
		int half = -1;
		uint64_t va = i == 1 ? va_last : va_first;

		if (ptdbg_arm64_translate(mem, &cpu, va, access[i], &tr, &half) != 0)
			continue;
		(void)ptdbg_arm64_esr_of(&tr);
		fputs(ptdbg_arm64_fsc_name(tr.fault, text, sizeof(text)), sink);
		if (flags & 2) {
			struct ptdbg_json *tj = ptdbg_json_new(sink);
			if (tj) {
				ptdbg_arm64_json_translation(tj, &cpu, half, &tr);
				ptdbg_json_free(tj);
			}
		} else {
			ptdbg_arm64_print_translation(sink, &cpu, half, &tr);
		}
	}

	/* A read through the tables, across a page boundary when va_first is near one. */
	uint8_t buf[64];
	struct ptdbg_translation why;
	int link = 0;
	(void)ptdbg_arm64_read_virt(mem, &cpu, va_first, buf, sizeof(buf), &why, &link);
	fputs(ptdbg_arm64_ec_name((unsigned)(regs.esr_el1 >> 26) & 0x3f), sink);
	fputs(ptdbg_arm64_memtype_name(need_set), sink);
out:
	ptdbg_mem_free(mem);
	if (t)
		ptdbg_target_close(t);
	return 0;
}
