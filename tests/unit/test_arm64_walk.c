/* SPDX-License-Identifier: MIT */
/*
 * Unit tests: the AArch64 stage-1 decoder (arm64/arm64_walk.c) on synthetic tables,
 * for every granule (4/16/64 KiB), input size (36/39/48 bits) and half: the geometry
 * TCR implies, leaves at every lookup level (blocks refused where the granule has
 * none), every descriptor field at every leaf level, the hierarchical table bits,
 * and the faults the CPU would report.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arm64/arm64_bits.h"
#include "arm64/arm64_walk.h"
#include "arm64_synth.h"
#include "walk/dump.h"

static const unsigned granules[3] = { 12, 14, 16 };
static const unsigned vasizes[3] = { 36, 39, 48 };

/* ---- recording walk events ---- */

struct ev {
	enum ptdbg_event_kind kind;
	unsigned level;
	uint64_t va, size, pa, detail;
	enum ptdbg_anomaly anomaly;
	struct ptdbg_perm perm;
};
struct rec {
	int n;
	struct ev ev[256];
};

static int record(void *ctx, const struct ptdbg_walk_event *e)
{
	struct rec *r = ctx;
	if (r->n < 256)
		r->ev[r->n++] = (struct ev){ e->kind, e->level, e->va, e->size, e->pa, e->detail,
					     e->anomaly, e->perm };
	return 0;
}

static const struct ev *find(const struct rec *r, enum ptdbg_event_kind k, uint64_t va)
{
	for (int i = 0; i < r->n; i++)
		if (r->ev[i].kind == k && r->ev[i].va == va)
			return &r->ev[i];
	return NULL;
}

static const struct ev *find_anomaly(const struct rec *r, enum ptdbg_anomaly a, uint64_t va)
{
	for (int i = 0; i < r->n; i++)
		if (r->ev[i].kind == PTDBG_EV_ANOMALY && r->ev[i].anomaly == a && r->ev[i].va == va)
			return &r->ev[i];
	return NULL;
}

static void walk(struct syn *s, struct rec *r, struct ptdbg_walk_result *res)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(ptdbg_arm64_walk(s->im->mem, &s->cpu, s->half, NULL, record, r, res), 0);
}

static void xlate(struct syn *s, uint64_t va, unsigned acc, struct ptdbg_translation *tr)
{
	int half;
	assert_int_equal(ptdbg_arm64_translate(s->im->mem, &s->cpu, va, acc, tr, &half), 0);
}

/* ---- geometry ---- */

static void test_geometry(void **state)
{
	static const struct { unsigned g, va; int sl; unsigned entries; } want[] = {
		{ 12, 36, 1, 64 },   { 12, 39, 1, 512 },  { 12, 48, 0, 512 },
		{ 14, 36, 2, 2048 }, { 14, 39, 1, 8 },    { 14, 48, 0, 2 },
		{ 16, 36, 2, 128 },  { 16, 39, 2, 1024 }, { 16, 48, 1, 64 },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		for (unsigned half = 0; half < 2; half++) {
			struct syn s;
			struct ptdbg_walk_space sp;
			syn_init(&s, want[i].g, want[i].va, half, 0);
			assert_int_equal(s.h.gshift, want[i].g);
			assert_int_equal(s.h.va_bits, want[i].va);
			assert_int_equal(s.h.start_level, want[i].sl);
			assert_int_equal(ptdbg_arm64_space(&sp, &s.cpu, half), 0);
			assert_int_equal(sp.top, 4 - want[i].sl);
			assert_int_equal(ptdbg_level_entries(&sp, sp.top), want[i].entries);
			assert_int_equal(sp.va_bits, want[i].va);
			assert_int_equal(sp.va_base, half ? ~0ull << want[i].va : 0);
			assert_false(sp.sign_extend);
			assert_int_equal(ptdbg_level_span(&sp, 1), 1ull << want[i].g);
			for (unsigned l = 1; l < sp.top; l++)
				assert_int_equal(ptdbg_level_entries(&sp, l), 1u << (want[i].g - 3));
			assert_int_equal(sp.root, half ? s.cpu.ttbr1 : s.cpu.ttbr0);
			syn_free(&s);
		}
	}
}

/* The seed's 36-bit TTBR1 space (BUGS.md section 4). */
static void test_geometry_seed(void **state)
{
	struct ptdbg_arm64_cpu cpu = { .tcr = syn_tcr(12, 36, 1) };
	struct ptdbg_arm64_half h;

	ptdbg_arm64_half_of(&cpu, 1, &h);
	assert_int_equal(h.va_base, 0xfffffff000000000ull);
	assert_int_equal(h.start_level, 1);
	assert_int_equal(h.pa_bits, 36);
	cpu.tcr = syn_tcr(14, 36, 1);
	ptdbg_arm64_half_of(&cpu, 1, &h);
	assert_int_equal(h.start_level, 2);
	cpu.tcr = syn_tcr(16, 36, 1);
	ptdbg_arm64_half_of(&cpu, 1, &h);
	assert_int_equal(h.start_level, 2);
}

/* TG0 and TG1 encode granules differently; reserved encodings are 4 KiB. */
static void test_granule_encodings(void **state)
{
	struct ptdbg_arm64_cpu cpu = { 0 };
	struct ptdbg_arm64_half h;

	cpu.tcr = ARM64_TCR_TG0_16K | ARM64_TCR_TG1_64K | 25 | 25ull << 16;
	ptdbg_arm64_half_of(&cpu, 0, &h);
	assert_int_equal(h.gshift, 14);
	ptdbg_arm64_half_of(&cpu, 1, &h);
	assert_int_equal(h.gshift, 16);
	cpu.tcr = ARM64_TCR_TG0_64K | ARM64_TCR_TG1_16K;
	ptdbg_arm64_half_of(&cpu, 0, &h);
	assert_int_equal(h.gshift, 16);
	ptdbg_arm64_half_of(&cpu, 1, &h);
	assert_int_equal(h.gshift, 14);
	cpu.tcr = 3ull << ARM64_TCR_TG0_SHIFT; /* TG0 = 3, TG1 = 0: both reserved */
	ptdbg_arm64_half_of(&cpu, 0, &h);
	assert_int_equal(h.gshift, 12);
	assert_true(h.tg_reserved);
	ptdbg_arm64_half_of(&cpu, 1, &h);
	assert_int_equal(h.gshift, 12);
	assert_true(h.tg_reserved);
	cpu.tcr = ARM64_TCR_TG1_4K;
	ptdbg_arm64_half_of(&cpu, 1, &h);
	assert_false(h.tg_reserved);
	/* TxSZ clamped to 16..39 */
	cpu.tcr = 8 | 45ull << 16 | ARM64_TCR_TG1_4K;
	ptdbg_arm64_half_of(&cpu, 0, &h);
	assert_int_equal(h.txsz, 8);
	assert_int_equal(h.va_bits, 48);
	ptdbg_arm64_half_of(&cpu, 1, &h);
	assert_int_equal(h.va_bits, 25);
	/* EPD, TBI, HPD, ASID by A1, AS */
	cpu.tcr = ARM64_TCR_EPD1 | ARM64_TCR_TBI0 | ARM64_TCR_HPD1 | ARM64_TCR_A1 | ARM64_TCR_TG1_4K;
	cpu.ttbr0 = 0x12ull << 48 | 0x40000000;
	cpu.ttbr1 = 0x3456ull << 48 | 0x40001000 | ARM64_TTBR_CNP;
	ptdbg_arm64_half_of(&cpu, 0, &h);
	assert_true(h.enabled);
	assert_true(h.tbi);
	assert_false(h.hpd);
	assert_int_equal(h.asid, 0x56);
	assert_int_equal(h.root, 0x40000000);
	ptdbg_arm64_half_of(&cpu, 1, &h);
	assert_false(h.enabled);
	assert_true(h.hpd);
	assert_int_equal(h.root, 0x40001000);
	cpu.tcr |= ARM64_TCR_AS;
	ptdbg_arm64_half_of(&cpu, 1, &h);
	assert_int_equal(h.asid, 0x3456);
}

/* IPS, PARange and the 48-bit limit without DS or a 64K granule. */
static void test_output_size(void **state)
{
	struct ptdbg_arm64_cpu cpu = { 0 };
	struct ptdbg_arm64_half h;
	static const unsigned bits[8] = { 32, 36, 40, 42, 44, 48, 48, 48 };

	for (unsigned e = 0; e < 8; e++) {
		cpu.tcr = syn_tcr(12, 39, e);
		ptdbg_arm64_half_of(&cpu, 0, &h);
		assert_int_equal(h.pa_bits, bits[e]);
	}
	cpu.tcr = syn_tcr(16, 39, 6);
	ptdbg_arm64_half_of(&cpu, 0, &h);
	assert_int_equal(h.pa_bits, 52);
	assert_true(h.lpa64);
	cpu.tcr = syn_tcr(12, 39, 6) | ARM64_TCR_DS;
	ptdbg_arm64_half_of(&cpu, 0, &h);
	assert_int_equal(h.pa_bits, 52);
	assert_true(h.ds);
	cpu.parange = 40;
	ptdbg_arm64_half_of(&cpu, 0, &h);
	assert_int_equal(h.pa_bits, 40);
}

/* ---- leaves at every lookup level, every granule, size and half ---- */

static void leaves_at_every_level(unsigned g, unsigned vab, unsigned half)
{
	struct syn s;
	struct rec *r = calloc(1, sizeof(*r));
	struct ptdbg_walk_result res;
	uint64_t va[5] = { 0 }, pa[5] = { 0 };
	bool ok[5] = { false };

	syn_init(&s, g, vab, half, 0);
	int sl = s.h.start_level;
	unsigned root_entries = 1u << (vab - arm64_level_shift(g, sl));
	uint64_t last = (uint64_t)(root_entries - 1) << arm64_level_shift(g, sl);
	for (int lk = sl; lk <= 3; lk++) {
		unsigned shift = arm64_level_shift(g, lk);
		va[lk] = lk == sl ? syn_va(&s, 0)
				  : syn_va(&s, last + ((uint64_t)lk << arm64_level_shift(g, sl + 1)));
		pa[lk] = 1ull << shift;
		ok[lk] = lk == 3 || arm64_block_allowed(g, lk, 0);
		syn_map(&s, va[lk], pa[lk], lk, ARM64_DESC_AF | ARM64_SH_INNER, 0);
	}
	/* bits[1:0] = 01 at level 3: reserved, taken as invalid */
	uint64_t bad3 = syn_va(&s, last + (4ull << arm64_level_shift(g, sl + 1)));
	syn_put(&s, bad3, 3, 0x5000000ull | ARM64_DESC_AF | ARM64_DESC_BLOCK, 0);

	walk(&s, r, &res);
	for (int lk = sl; lk <= 3; lk++) {
		unsigned shift = arm64_level_shift(g, lk);
		struct ptdbg_translation tr;
		if (ok[lk]) {
			const struct ev *e = find(r, PTDBG_EV_LEAF, va[lk]);
			assert_non_null(e);
			assert_int_equal(e->level, 4 - lk);
			assert_int_equal(e->size, 1ull << shift);
			assert_int_equal(e->pa, pa[lk]);
			assert_int_equal(e->perm.memtype, 0xff);
			assert_int_equal(e->perm.flags & PTDBG_ARM64_PERM_SH, 3u << PTDBG_ARM64_PERM_SH_SHIFT);
			xlate(&s, va[lk] + 0x18, 0, &tr);
			assert_int_equal(tr.stop, PTDBG_STOP_OK);
			assert_int_equal(tr.pa, pa[lk] + 0x18);
			assert_int_equal(tr.page_size, 1ull << shift);
			assert_int_equal(tr.nsteps, lk - sl + 1);
			assert_int_equal(tr.fault, 0);
			assert_int_equal(ptdbg_arm64_esr_of(&tr), 0);
		} else {
			const struct ev *e = find_anomaly(r, PTDBG_AN_TYPE_LEVEL, va[lk]);
			assert_non_null(e);
			assert_int_equal(e->level, 4 - lk);
			assert_null(find(r, PTDBG_EV_LEAF, va[lk]));
			xlate(&s, va[lk], 0, &tr);
			assert_int_equal(tr.stop, PTDBG_STOP_RESERVED);
			assert_int_equal(tr.fault, ARM64_FSC_TRANSLATION | (unsigned)lk);
			assert_int_equal(ptdbg_arm64_esr_of(&tr),
					 (uint64_t)ARM64_EC_DABT_CUR << 26 | ARM64_ESR_IL |
					 ARM64_FSC_TRANSLATION | (unsigned)lk);
		}
	}
	assert_non_null(find_anomaly(r, PTDBG_AN_TYPE_LEVEL, bad3));
	assert_null(find(r, PTDBG_EV_LEAF, bad3));
	struct ptdbg_translation tr;
	xlate(&s, bad3, PTDBG_ACC_FETCH, &tr);
	assert_int_equal(tr.fault, ARM64_FSC_TRANSLATION | 3);
	assert_int_equal(ptdbg_arm64_esr_of(&tr) >> 26, ARM64_EC_IABT_CUR);
	/* an invalid entry: translation fault at its level */
	xlate(&s, bad3 + (1ull << g), 0, &tr);
	assert_int_equal(tr.stop, PTDBG_STOP_NOT_PRESENT);
	assert_int_equal(tr.fault, ARM64_FSC_TRANSLATION | 3);
	/* outside the half: a translation fault at level 0 with no step */
	uint64_t out = half ? syn_va(&s, 0) - 0x1000 : 1ull << vab;
	xlate(&s, out, 0, &tr);
	assert_int_equal(tr.stop, PTDBG_STOP_RANGE);
	assert_int_equal(tr.nsteps, 0);
	assert_int_equal(tr.fault, ARM64_FSC_TRANSLATION | 0);
	free(r);
	syn_free(&s);
}

static void test_leaves_every_level(void **state)
{
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			for (unsigned half = 0; half < 2; half++)
				leaves_at_every_level(granules[i], vasizes[j], half);
}

/* ---- every field at every leaf level ---- */

/* The six accesses: EL1 read, write, fetch; EL0 read, write, fetch. */
static const unsigned accs[6] = {
	0, PTDBG_ACC_WRITE, PTDBG_ACC_FETCH,
	PTDBG_ACC_USER, PTDBG_ACC_USER | PTDBG_ACC_WRITE, PTDBG_ACC_USER | PTDBG_ACC_FETCH,
};
#define R1 0x01u
#define W1 0x02u
#define X1 0x04u
#define R0 0x08u
#define W0 0x10u
#define X0 0x20u

/* The accesses va allows (bit i for accs[i]); denied ones must fault with kind at
 * the leaf's level. */
static unsigned allowed(struct syn *s, uint64_t va, int lk, unsigned kind)
{
	unsigned ok = 0;
	for (int i = 0; i < 6; i++) {
		struct ptdbg_translation tr;
		xlate(s, va, accs[i], &tr);
		if (tr.stop == PTDBG_STOP_OK) {
			ok |= 1u << i;
			continue;
		}
		assert_int_equal(tr.stop, PTDBG_STOP_PROTECTION);
		assert_int_equal(tr.fault, kind | (unsigned)lk);
	}
	return ok;
}

static uint32_t flags_of(struct syn *s, uint64_t va)
{
	struct ptdbg_translation tr;
	xlate(s, va, 0, &tr);
	assert_int_equal(tr.page_size != 0, 1);
	return tr.perm.flags;
}

struct fcase {
	uint64_t attrs;
	unsigned ok;
	uint32_t set, clear;
};

static const struct fcase fcases[] = {
	{ ARM64_DESC_AF | ARM64_AP_RW_EL1, R1 | W1 | X1 | X0, PTDBG_ARM64_PERM_KW | PTDBG_ARM64_PERM_AF,
	  PTDBG_ARM64_PERM_UR | PTDBG_ARM64_PERM_UW | PTDBG_ARM64_PERM_PXN | PTDBG_ARM64_PERM_UXN },
	{ ARM64_DESC_AF | ARM64_AP_RW_ALL, R1 | W1 | R0 | W0 | X0,
	  PTDBG_ARM64_PERM_KW | PTDBG_ARM64_PERM_UR | PTDBG_ARM64_PERM_UW | PTDBG_ARM64_PERM_PXN,
	  PTDBG_ARM64_PERM_UXN },
	{ ARM64_DESC_AF | ARM64_AP_RO_EL1, R1 | X1 | X0, 0, PTDBG_ARM64_PERM_KW | PTDBG_ARM64_PERM_UR },
	{ ARM64_DESC_AF | ARM64_AP_RO_ALL, R1 | X1 | R0 | X0, PTDBG_ARM64_PERM_UR,
	  PTDBG_ARM64_PERM_KW | PTDBG_ARM64_PERM_UW | PTDBG_ARM64_PERM_PXN },
	{ ARM64_DESC_AF | ARM64_DESC_PXN, R1 | W1 | X0, PTDBG_ARM64_PERM_PXN, PTDBG_ARM64_PERM_UXN },
	{ ARM64_DESC_AF | ARM64_DESC_UXN, R1 | W1 | X1, PTDBG_ARM64_PERM_UXN, PTDBG_ARM64_PERM_PXN },
	{ ARM64_AP_RW_ALL, 0, 0, PTDBG_ARM64_PERM_AF },                   /* access flag fault */
	{ ARM64_DESC_AF | ARM64_DESC_NG, R1 | W1 | X1 | X0, PTDBG_ARM64_PERM_NG, 0 },
	{ ARM64_DESC_AF | ARM64_SH_INNER, R1 | W1 | X1 | X0, PTDBG_ARM64_PERM_SH, 0 },
	{ ARM64_DESC_AF | ARM64_SH_OUTER, R1 | W1 | X1 | X0, 2u << PTDBG_ARM64_PERM_SH_SHIFT,
	  1u << PTDBG_ARM64_PERM_SH_SHIFT },
	{ ARM64_DESC_AF | ARM64_DESC_CONT, R1 | W1 | X1 | X0, PTDBG_ARM64_PERM_CONT, 0 },
	{ ARM64_DESC_AF | ARM64_DESC_DBM | ARM64_AP_RO_EL1, R1 | X1 | X0, PTDBG_ARM64_PERM_DBM,
	  PTDBG_ARM64_PERM_KW },
	{ ARM64_DESC_AF | ARM64_DESC_SW_MASK, R1 | W1 | X1 | X0, PTDBG_ARM64_PERM_SW, 0 },
	{ ARM64_DESC_AF | ARM64_DESC_GP, R1 | W1 | X1 | X0, PTDBG_ARM64_PERM_GP, 0 },
	{ ARM64_DESC_AF | ARM64_DESC_NS | ARM64_DESC_ATTRINDX(1), R1 | W1 | X1 | X0, 0,
	  PTDBG_ARM64_PERM_NG | PTDBG_ARM64_PERM_SH },
	{ ARM64_DESC_AF | ARM64_DESC_ATTRINDX(5) | ARM64_DESC_PBHA_MASK, R1 | W1 | X1 | X0, 0, 0 },
};
#define NFCASES (sizeof(fcases) / sizeof(fcases[0]))

/* Hierarchical cases: table attributes above a leaf AP=RW/RW (or RW/-- for XN). */
struct hcase {
	uint64_t tattr, attrs;
	unsigned ok, ok_hpd;
};
static const struct hcase hcases[] = {
	{ ARM64_TABLE_AP_NO_EL0, ARM64_DESC_AF | ARM64_AP_RW_ALL, R1 | W1 | X1 | X0,
	  R1 | W1 | R0 | W0 | X0 },
	{ ARM64_TABLE_AP_RO, ARM64_DESC_AF | ARM64_AP_RW_ALL, R1 | X1 | R0 | X0,
	  R1 | W1 | R0 | W0 | X0 },
	{ ARM64_TABLE_PXN, ARM64_DESC_AF, R1 | W1 | X0, R1 | W1 | X1 | X0 },
	{ ARM64_TABLE_UXN, ARM64_DESC_AF, R1 | W1 | X1, R1 | W1 | X1 | X0 },
	{ ARM64_TABLE_SW_MASK | ARM64_TABLE_IGN_LOW_MASK, ARM64_DESC_AF, R1 | W1 | X1 | X0,
	  R1 | W1 | X1 | X0 },
};
#define NHCASES (sizeof(hcases) / sizeof(hcases[0]))

static void fields_at_level(unsigned g, unsigned vab, unsigned half, int lk)
{
	struct syn s;
	uint64_t va[NFCASES], hva[NHCASES];

	syn_init(&s, g, vab, half, 0);
	int sl = s.h.start_level;
	unsigned shift = arm64_level_shift(g, lk);
	unsigned root_entries = 1u << (vab - arm64_level_shift(g, sl));
	uint64_t last = (uint64_t)(root_entries - 1) << arm64_level_shift(g, sl);
	uint64_t prefix = lk == sl ? 0 : last;
	for (size_t i = 0; i < NFCASES; i++) {
		va[i] = syn_va(&s, prefix + ((uint64_t)i << shift));
		syn_map(&s, va[i], (uint64_t)(i + 1) << shift, lk, fcases[i].attrs, 0);
	}
	bool hier = lk > sl;
	for (size_t j = 0; hier && j < NHCASES; j++) {
		/* a leaf table of its own under a table descriptor carrying tattr */
		uint64_t off = lk - 1 == sl ? (uint64_t)j << arm64_level_shift(g, sl)
					    : last + ((uint64_t)(j + 1) << arm64_level_shift(g, lk - 1));
		hva[j] = syn_va(&s, off);
		uint64_t at = syn_table(&s, hva[j], lk - 1, 0) + 8ull * syn_index(&s, hva[j], lk - 1);
		uint64_t t = syn_alloc(&s, 1ull << g);
		img_put64(s.im, at, t | ARM64_DESC_TABLE | hcases[j].tattr);
		syn_map(&s, hva[j], 0x100000ull << (g - 12), lk, hcases[j].attrs, 0);
	}

	for (size_t i = 0; i < NFCASES; i++) {
		unsigned kind = (fcases[i].attrs & ARM64_DESC_AF) ? ARM64_FSC_PERMISSION
								   : ARM64_FSC_ACCESS_FLAG;
		assert_int_equal(allowed(&s, va[i], lk, kind), fcases[i].ok);
		uint32_t f = flags_of(&s, va[i]);
		assert_int_equal(f & fcases[i].set, fcases[i].set);
		assert_int_equal(f & fcases[i].clear, 0);
	}
	/* memory types and attribute indexes */
	struct ptdbg_translation tr;
	xlate(&s, va[14], 0, &tr);
	assert_int_equal(tr.perm.attr_index, 1);
	assert_int_equal(tr.perm.memtype, 0x04);
	xlate(&s, va[15], 0, &tr);
	assert_int_equal(tr.perm.attr_index, 5);
	assert_string_equal(ptdbg_arm64_memtype_name(tr.perm.memtype), "Normal-i:WB-RWA/o:NC");
	xlate(&s, va[12], 0, &tr);
	assert_int_equal((tr.perm.flags & PTDBG_ARM64_PERM_SW) >> PTDBG_ARM64_PERM_SW_SHIFT, 0xf);
	xlate(&s, va[7], 0, &tr);
	assert_false(tr.perm.access & PTDBG_P_GLOBAL);
	xlate(&s, va[0], 0, &tr);
	assert_true(tr.perm.access & PTDBG_P_GLOBAL);
	assert_true(tr.perm.access & PTDBG_P_ACCESSED);
	/* a write to a read-only page: the ESR of the data abort */
	xlate(&s, va[2], PTDBG_ACC_WRITE, &tr);
	assert_int_equal(ptdbg_arm64_esr_of(&tr), (uint64_t)ARM64_EC_DABT_CUR << 26 | ARM64_ESR_IL |
			 ARM64_ISS_WNR | ARM64_FSC_PERMISSION | (unsigned)lk);
	xlate(&s, va[0], PTDBG_ACC_USER, &tr);
	assert_int_equal(ptdbg_arm64_esr_of(&tr) >> 26, ARM64_EC_DABT_LOW);
	xlate(&s, va[4], PTDBG_ACC_FETCH, &tr);
	assert_int_equal(ptdbg_arm64_esr_of(&tr) >> 26, ARM64_EC_IABT_CUR);

	for (size_t j = 0; hier && j < NHCASES; j++)
		assert_int_equal(allowed(&s, hva[j], lk, ARM64_FSC_PERMISSION), hcases[j].ok);

	/* the walk reports what the translation finds */
	struct rec *r = calloc(1, sizeof(*r));
	struct ptdbg_walk_result res;
	walk(&s, r, &res);
	int leaves = 0;
	for (int i = 0; i < r->n; i++) {
		if (r->ev[i].kind != PTDBG_EV_LEAF)
			continue;
		leaves++;
		xlate(&s, r->ev[i].va, 0, &tr);
		assert_int_equal(tr.perm.flags, r->ev[i].perm.flags);
		assert_int_equal(tr.perm.access, r->ev[i].perm.access);
		assert_int_equal(tr.perm.memtype, r->ev[i].perm.memtype);
		assert_int_equal(tr.pa, r->ev[i].pa);
	}
	assert_int_equal(leaves, NFCASES + (hier ? NHCASES : 0));
	assert_int_equal(res.anomalies, 0);
	free(r);

	/* TCR.HPD: the table bits are ignored */
	s.cpu.tcr |= ARM64_TCR_HPD0 | ARM64_TCR_HPD1;
	for (size_t j = 0; hier && j < NHCASES; j++)
		assert_int_equal(allowed(&s, hva[j], lk, ARM64_FSC_PERMISSION), hcases[j].ok_hpd);
	s.cpu.tcr &= ~(ARM64_TCR_HPD0 | ARM64_TCR_HPD1);

	/* SCTLR.WXN: writable is execute-never at the EL that may write */
	s.cpu.sctlr |= ARM64_SCTLR_WXN;
	assert_int_equal(allowed(&s, va[0], lk, ARM64_FSC_PERMISSION), R1 | W1 | X0);
	assert_int_equal(allowed(&s, va[1], lk, ARM64_FSC_PERMISSION), R1 | W1 | R0 | W0);
	assert_int_equal(allowed(&s, va[2], lk, ARM64_FSC_PERMISSION), R1 | X1 | X0);
	s.cpu.sctlr &= ~ARM64_SCTLR_WXN;

	/* PSTATE.PAN: EL1 data accesses to EL0-accessible memory fault, fetches do not */
	s.cpu.cpsr |= ARM64_PSR_PAN;
	assert_int_equal(allowed(&s, va[1], lk, ARM64_FSC_PERMISSION), R0 | W0 | X0);
	assert_int_equal(allowed(&s, va[3], lk, ARM64_FSC_PERMISSION), X1 | R0 | X0);
	assert_int_equal(allowed(&s, va[0], lk, ARM64_FSC_PERMISSION), R1 | W1 | X1 | X0);
	s.cpu.cpsr &= ~ARM64_PSR_PAN;

	/* TCR.HA: the CPU sets the access flag itself; TCR.HD: DBM makes writable-clean */
	s.cpu.tcr |= ARM64_TCR_HA | ARM64_TCR_HD;
	assert_int_equal(allowed(&s, va[6], lk, ARM64_FSC_PERMISSION), R1 | W1 | R0 | W0 | X0);
	assert_int_equal(allowed(&s, va[11], lk, ARM64_FSC_PERMISSION), R1 | W1 | X1 | X0);
	syn_free(&s);
}

static void test_fields_every_level(void **state)
{
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			for (unsigned half = 0; half < 2; half++) {
				unsigned g = granules[i], vab = vasizes[j];
				int sl = arm64_start_level(vab, g);
				for (int lk = sl; lk <= 3; lk++)
					if (lk == 3 || arm64_block_allowed(g, lk, 0))
						fields_at_level(g, vab, half, lk);
			}
}

/* ---- malformed tables and output-address sizes ---- */

/* Output-address bits above IPS, in a leaf at every level and in a table. */
static void test_address_above_ips(void **state)
{
	for (int i = 0; i < 3; i++) {
		struct syn s;
		struct rec *r = calloc(1, sizeof(*r));
		struct ptdbg_walk_result res;
		struct ptdbg_translation tr;
		unsigned g = granules[i];

		syn_init(&s, g, 39, 0, 0);
		s.cpu.tcr = (s.cpu.tcr & ~ARM64_TCR_IPS_MASK) | 2ull << ARM64_TCR_IPS_SHIFT; /* 40 */
		syn_refresh(&s);
		int sl = s.h.start_level;
		uint64_t page = syn_va(&s, 0x10ull << g);
		syn_map(&s, page, (1ull << 44) | (1ull << 30), 3, ARM64_DESC_AF, 0);
		uint64_t blk = syn_va(&s, 1ull << arm64_level_shift(g, 2));
		syn_map(&s, blk, (1ull << 41) | (1ull << 32), 2, ARM64_DESC_AF, 0);
		/* a table above the output size, in the root */
		uint64_t tva = syn_va(&s, 2ull << arm64_level_shift(g, sl));
		if (sl < 2) {
			img_put64(s.im, s.h.root + 8 * syn_index(&s, tva, sl),
				  (1ull << 45) | 0x200000 | ARM64_DESC_TABLE);
		}
		walk(&s, r, &res);
		const struct ev *e = find_anomaly(r, PTDBG_AN_RESERVED, page);
		assert_non_null(e);
		assert_int_equal(e->detail, 1ull << 44);
		e = find(r, PTDBG_EV_LEAF, page);
		assert_non_null(e);
		assert_true(e->perm.flags & PTDBG_ARM64_PERM_FAULTS);
		assert_true(e->perm.access & PTDBG_P_FAULTS);
		e = find_anomaly(r, PTDBG_AN_RESERVED, blk);
		assert_non_null(e);
		assert_int_equal(e->level, 2);
		assert_int_equal(e->detail, 1ull << 41);
		xlate(&s, page, 0, &tr);
		assert_int_equal(tr.stop, PTDBG_STOP_RESERVED);
		assert_int_equal(tr.fault, ARM64_FSC_ADDR_SIZE | 3);
		assert_int_equal(tr.step[tr.nsteps - 1].reserved, 1ull << 44);
		xlate(&s, blk, 0, &tr);
		assert_int_equal(tr.fault, ARM64_FSC_ADDR_SIZE | 2);
		if (sl < 2) {
			assert_non_null(find_anomaly(r, PTDBG_AN_RESERVED, tva));
			xlate(&s, tva, 0, &tr);
			assert_int_equal(tr.stop, PTDBG_STOP_RESERVED);
			assert_int_equal(tr.fault, ARM64_FSC_ADDR_SIZE | (unsigned)sl);
		}
		/* bits 49:48 with 48-bit output addresses */
		s.cpu.tcr |= 5ull << ARM64_TCR_IPS_SHIFT;
		syn_refresh(&s);
		syn_map(&s, page, (1ull << 48) | (1ull << 30), 3, ARM64_DESC_AF, 0);
		xlate(&s, page, 0, &tr);
		assert_int_equal(tr.stop, PTDBG_STOP_RESERVED);
		assert_int_equal(tr.step[tr.nsteps - 1].reserved, 1ull << 48);
		free(r);
		syn_free(&s);
	}
}

/* The leaf loop's plain-page rule (ptdbg_walk_level.plain_*): a last-level table of
 * pages, blocks refused there, invalid descriptors, reserved output bits and changing
 * attributes walks to the same events, the same permissions included, as with the
 * rule off (every descriptor through arm64_entry()), for every granule. */
static void test_plain_pages(void **state)
{
	for (int i = 0; i < 3; i++) {
		struct syn s;
		struct rec *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
		struct ptdbg_walk_result ra, rb;
		struct ptdbg_walk_space sp;
		unsigned g = granules[i];
		const uint64_t attrs[4] = { ARM64_DESC_AF, ARM64_DESC_AF | ARM64_DESC_AP_RO,
					    ARM64_DESC_AF | ARM64_DESC_UXN | ARM64_DESC_NG, 0 };

		syn_init(&s, g, 39, 0, 0);
		for (unsigned k = 0; k < 200; k++) {
			uint64_t va = syn_va(&s, (uint64_t)(k + 1) << g);
			uint64_t pa = 0x40000000ull + ((uint64_t)k << g);
			if (k % 37 == 5)
				syn_put(&s, va, 3, pa | ARM64_DESC_BLOCK, 0); /* refused at level 3 */
			else if (k % 41 == 7)
				syn_put(&s, va, 3, pa | ARM64_DESC_TYPE, 0); /* invalid, nonzero */
			else if (k % 43 == 9)
				syn_map(&s, va, pa | (1ull << 48), 3, ARM64_DESC_AF, 0); /* reserved */
			else
				syn_map(&s, va, pa, 3, attrs[(k / 3) % 4], 0);
		}
		assert_int_equal(ptdbg_arm64_space(&sp, &s.cpu, 0), 0);
		assert_true(sp.lv[1].plain_any != 0);
		assert_int_equal(ptdbg_walk(s.im->mem, &sp, NULL, record, a, &ra), 0);
		sp.lv[1].plain_any = 0; /* the rule off */
		assert_int_equal(ptdbg_walk(s.im->mem, &sp, NULL, record, b, &rb), 0);
		assert_true(ra.leaves > 150);
		assert_int_equal(ra.leaves, rb.leaves);
		assert_int_equal(ra.anomalies, rb.anomalies);
		assert_int_equal(ra.absent, rb.absent);
		assert_int_equal(a->n, b->n);
		for (int k = 0; k < a->n; k++) {
			assert_int_equal(a->ev[k].kind, b->ev[k].kind);
			assert_int_equal(a->ev[k].va, b->ev[k].va);
			assert_int_equal(a->ev[k].pa, b->ev[k].pa);
			assert_int_equal(a->ev[k].detail, b->ev[k].detail);
			assert_memory_equal(&a->ev[k].perm, &b->ev[k].perm, sizeof(a->ev[k].perm));
		}
		free(a);
		free(b);
		syn_free(&s);
	}
}

/* 52-bit output addresses: 64K with IPS = 52 (bits 15:12), 4K/16K with DS (bits 9:8). */
static void test_52bit_addresses(void **state)
{
	struct syn s;
	struct ptdbg_translation tr;

	/* 64K, IPS 48: bits 15:12 are reserved */
	syn_init(&s, 16, 39, 0, 0);
	uint64_t va = syn_va(&s, 3ull << 16);
	syn_map(&s, va, 0x40000000ull | 0x5000ull, 3, ARM64_DESC_AF, 0);
	xlate(&s, va, 0, &tr);
	assert_int_equal(tr.stop, PTDBG_STOP_RESERVED);
	assert_int_equal(tr.fault, ARM64_FSC_ADDR_SIZE | 3);
	/* IPS 52: OA[51:48] */
	s.cpu.tcr = (s.cpu.tcr & ~ARM64_TCR_IPS_MASK) | 6ull << ARM64_TCR_IPS_SHIFT;
	xlate(&s, va + 0x42, 0, &tr);
	assert_int_equal(tr.stop, PTDBG_STOP_OK);
	assert_int_equal(tr.pa, (0x5ull << 48) | 0x40000042ull);
	/* a 64K level-1 block (4 TiB) with 52-bit output addresses */
	uint64_t b1 = syn_va(&s, 0); /* 39-bit 64K starts at level 2: no level 1 */
	(void)b1;
	syn_free(&s);
	syn_init(&s, 16, 48, 0, 6ull << ARM64_TCR_IPS_SHIFT);
	va = syn_va(&s, 5ull << 42);
	syn_map(&s, va, 1ull << 42, 1, ARM64_DESC_AF, 0);
	xlate(&s, va, 0, &tr);
	assert_int_equal(tr.stop, PTDBG_STOP_OK);
	assert_int_equal(tr.page_size, 1ull << 42);
	syn_free(&s);

	/* 4K with DS: OA[51:50] in bits 9:8, OA[49:48] in place, SH from TCR */
	for (unsigned g = 12; g <= 14; g += 2) {
		syn_init(&s, g, 48, 0, ARM64_TCR_DS | 6ull << ARM64_TCR_IPS_SHIFT |
			 (uint64_t)ARM64_TCR_SH_OUTER << ARM64_TCR_SH0_SHIFT);
		va = syn_va(&s, 7ull << g);
		syn_map(&s, va, (1ull << 48) | 0x40000000ull | (1ull << 8), 3, ARM64_DESC_AF, 0);
		xlate(&s, va, 0, &tr);
		assert_int_equal(tr.stop, PTDBG_STOP_OK);
		assert_int_equal(tr.pa, (1ull << 50) | (1ull << 48) | 0x40000000ull);
		assert_int_equal((tr.perm.flags & PTDBG_ARM64_PERM_SH) >> PTDBG_ARM64_PERM_SH_SHIFT,
				 ARM64_TCR_SH_OUTER);
		/* DS allows a block one level higher: 4K level 0, 16K level 1 */
		int lk = g == 12 ? 0 : 1;
		uint64_t bva = syn_va(&s, 1ull << arm64_level_shift(g, lk));
		syn_map(&s, bva, 1ull << arm64_level_shift(g, lk), lk, ARM64_DESC_AF, 0);
		xlate(&s, bva, 0, &tr);
		assert_int_equal(tr.stop, PTDBG_STOP_OK);
		assert_int_equal(tr.page_size, 1ull << arm64_level_shift(g, lk));
		/* without DS the same descriptors: bits 9:8 are SH, bit 48 reserved, the
		 * block refused */
		s.cpu.tcr &= ~ARM64_TCR_DS;
		xlate(&s, va, 0, &tr);
		assert_int_equal(tr.stop, PTDBG_STOP_RESERVED);
		assert_int_equal(tr.step[tr.nsteps - 1].reserved, 1ull << 48);
		xlate(&s, bva, 0, &tr);
		assert_int_equal(tr.stop, PTDBG_STOP_RESERVED);
		assert_int_equal(tr.fault, ARM64_FSC_TRANSLATION | (unsigned)lk);
		syn_free(&s);
	}

	/* 4K with DS and a 52-bit input: level -1, five levels */
	syn_init(&s, 12, 52, 0, ARM64_TCR_DS | 6ull << ARM64_TCR_IPS_SHIFT);
	assert_int_equal(s.h.start_level, -1);
	assert_int_equal(s.h.top, 5);
	va = syn_va(&s, (9ull << 48) | (3ull << 39) | 0x5000);
	syn_map(&s, va, 0x41000000, 3, ARM64_DESC_AF, 0);
	xlate(&s, va + 4, 0, &tr);
	assert_int_equal(tr.stop, PTDBG_STOP_OK);
	assert_int_equal(tr.nsteps, 5);
	assert_int_equal(tr.pa, 0x41000004);
	assert_string_equal(arm64_level_name(tr.step[0].level), "L-1");
	xlate(&s, syn_va(&s, 4ull << 48), 0, &tr);
	assert_int_equal(tr.fault, ARM64_FSC_TRANS_LM1);
	syn_free(&s);
}

/* A table that points back up the path: reported, and the walk ends. */
static void test_loops(void **state)
{
	for (int i = 0; i < 3; i++) {
		struct syn s;
		struct rec *r = calloc(1, sizeof(*r));
		struct ptdbg_walk_result res;
		unsigned g = granules[i];

		syn_init(&s, g, 48, 0, 0);
		int sl = s.h.start_level;
		uint64_t va = syn_va(&s, 1ull << arm64_level_shift(g, sl));
		syn_map(&s, va, 0x40000000, 3, ARM64_DESC_AF, 0);
		/* the table at sl+1 gets an entry pointing to itself */
		uint64_t t = syn_table(&s, va, sl + 1, 0);
		img_put64(s.im, t + 8 * 7, t | ARM64_DESC_TABLE);
		walk(&s, r, &res);
		bool rec = false;
		for (int k = 0; k < r->n; k++)
			rec |= r->ev[k].kind == PTDBG_EV_ANOMALY && r->ev[k].anomaly == PTDBG_AN_RECURSIVE;
		assert_true(rec);
		assert_non_null(find(r, PTDBG_EV_LEAF, va));
		assert_false(res.budget_hit);
		free(r);
		syn_free(&s);
	}
}

/* EPD, TBI, the MMU off. */
static void test_halves_and_mmu(void **state)
{
	struct syn s;
	struct ptdbg_translation tr;
	struct ptdbg_walk_result res;
	int half;

	syn_init(&s, 12, 39, 1, 0);
	uint64_t va = syn_va(&s, 0x12345000);
	syn_map(&s, va, 0x40000000, 3, ARM64_DESC_AF, 0);
	syn_map(&s, 0x1000, 0x50000000, 3, ARM64_DESC_AF, 0); /* not in this half's tables */
	assert_int_equal(ptdbg_arm64_translate(s.im->mem, &s.cpu, va, 0, &tr, &half), 0);
	assert_int_equal(half, 1);
	assert_int_equal(tr.pa, 0x40000000);
	s.cpu.tcr |= ARM64_TCR_EPD1;
	assert_int_equal(ptdbg_arm64_translate(s.im->mem, &s.cpu, va, 0, &tr, &half), 0);
	assert_int_equal(tr.stop, PTDBG_STOP_RANGE);
	assert_int_equal(tr.fault, ARM64_FSC_TRANSLATION);
	assert_int_equal(ptdbg_arm64_walk(s.im->mem, &s.cpu, 1, NULL, NULL, NULL, &res), PTDBG_EINVAL);
	s.cpu.tcr &= ~ARM64_TCR_EPD1;
	/* top byte: ignored with TBI1, else outside the half */
	uint64_t tagged = (va & ~(0xffull << 56)) | (0x5aull << 56) | (1ull << 55);
	xlate(&s, tagged, 0, &tr);
	assert_int_equal(tr.stop, PTDBG_STOP_RANGE);
	s.cpu.tcr |= ARM64_TCR_TBI1;
	xlate(&s, tagged, 0, &tr);
	assert_int_equal(tr.stop, PTDBG_STOP_OK);
	assert_int_equal(tr.pa, 0x40000000);
	assert_int_equal(tr.va, tagged);
	s.cpu.tcr |= ARM64_TCR_TBID1; /* TBID: fetches do not ignore it */
	xlate(&s, tagged, PTDBG_ACC_FETCH, &tr);
	assert_int_equal(tr.stop, PTDBG_STOP_RANGE);
	/* MMU off: flat */
	s.cpu.sctlr &= ~ARM64_SCTLR_M;
	xlate(&s, 0x40001234, 0, &tr);
	assert_int_equal(tr.stop, PTDBG_STOP_OK);
	assert_int_equal(tr.pa, 0x40001234);
	assert_int_equal(tr.nsteps, 0);
	assert_false(ptdbg_arm64_mmu_on(&s.cpu));
	s.cpu.valid &= ~PTDBG_ARM64_HAVE_SCTLR;
	assert_true(ptdbg_arm64_mmu_on(&s.cpu));
	assert_int_equal(ptdbg_arm64_el(&s.cpu), 1);
	syn_free(&s);
}

/* ---- names and bit tables ---- */

static void test_names(void **state)
{
	char b[96];

	assert_string_equal(ptdbg_arm64_memtype_name(0xff), "Normal-WB-RWA");
	assert_string_equal(ptdbg_arm64_memtype_name(0xbb), "Normal-WT-RWA");
	assert_string_equal(ptdbg_arm64_memtype_name(0xaa), "Normal-WT-RA");
	assert_string_equal(ptdbg_arm64_memtype_name(0x44), "Normal-NC");
	assert_string_equal(ptdbg_arm64_memtype_name(0x77), "Normal-WBt-RWA");
	assert_string_equal(ptdbg_arm64_memtype_name(0x4f), "Normal-i:WB-RWA/o:NC");
	assert_string_equal(ptdbg_arm64_memtype_name(0x00), "Device-nGnRnE");
	assert_string_equal(ptdbg_arm64_memtype_name(0x04), "Device-nGnRE");
	assert_string_equal(ptdbg_arm64_memtype_name(0x08), "Device-nGRE");
	assert_string_equal(ptdbg_arm64_memtype_name(0x0c), "Device-GRE");
	assert_string_equal(ptdbg_arm64_memtype_name(0x01), "reserved-0x01");
	assert_string_equal(ptdbg_arm64_memtype_name(0x40), "reserved-0x40");
	assert_string_equal(ptdbg_arm64_fsc_name(0x07, b, sizeof(b)), "translation fault at level 3");
	assert_string_equal(ptdbg_arm64_fsc_name(0x0a, b, sizeof(b)), "access flag fault at level 2");
	assert_string_equal(ptdbg_arm64_fsc_name(0x0d, b, sizeof(b)), "permission fault at level 1");
	assert_string_equal(ptdbg_arm64_fsc_name(0x00, b, sizeof(b)), "address size fault at level 0");
	assert_string_equal(ptdbg_arm64_fsc_name(0x2b, b, sizeof(b)), "translation fault at level -1");
	assert_string_equal(ptdbg_arm64_fsc_name(0x21, b, sizeof(b)), "alignment fault");
	assert_string_equal(ptdbg_arm64_fsc_name(0x3f, b, sizeof(b)), "fault status 0x3f");
	assert_string_equal(ptdbg_arm64_ec_name(ARM64_EC_IABT_CUR), "instruction abort from the same EL");
	assert_string_equal(ptdbg_arm64_ec_name(ARM64_EC_SVC64), "SVC (system call)");
	assert_string_equal(arm64_level_name(1), "L3");
	assert_string_equal(arm64_level_name(4), "L0");
	assert_string_equal(arm64_entry_name(2), "L2 desc");
	assert_ptr_equal(ptdbg_decoder_find("aarch64"), &ptdbg_arm64_decoder);

	ptdbg_bits_format(arm64_bits_entry_table(1, true),
			  0x40000000ull | ARM64_DESC_PAGE | ARM64_DESC_AF | ARM64_SH_INNER |
			  ARM64_AP_RO_ALL | ARM64_DESC_ATTRINDX(2) | ARM64_DESC_UXN | ARM64_DESC_NG,
			  " ", b, sizeof(b));
	assert_string_equal(b, "PAGE AI2 AP=RO/RO ISH AF nG UXN");
	ptdbg_bits_format(arm64_bits_entry_table(2, true), 0x1ull | ARM64_DESC_AF | ARM64_DESC_CONT |
			  ARM64_DESC_PXN | ARM64_DESC_SW(1), " ", b, sizeof(b));
	assert_string_equal(b, "BLOCK AI0 AP=RW/-- NSH AF CONT PXN SW1");
	ptdbg_bits_format(arm64_bits_entry_table(3, false), 0x3ull | ARM64_TABLE_PXN |
			  ARM64_TABLE_AP_NO_EL0 | ARM64_TABLE_AP_RO, " ", b, sizeof(b));
	assert_string_equal(b, "TABLE PXNTable APTable-noEL0 APTable-RO");
	ptdbg_bits_format(&arm64_bits_tcr, syn_tcr(12, 36, 1) | ARM64_TCR_EPD0 | ARM64_TCR_HA,
			  " ", b, sizeof(b));
	assert_string_equal(b, "EPD0 IRGN0=NC ORGN0=NC SH0=non TG0=4K IRGN1=NC ORGN1=NC SH1=non "
			    "TG1=4K HA");
}

/* The range dump of an AArch64 space: flags and the memory type column. */
static void test_dump_text(void **state)
{
	struct syn s;
	struct ptdbg_dump d;
	struct ptdbg_walk_result res;

	syn_init(&s, 12, 36, 1, 0);
	uint64_t va = syn_va(&s, 0x40000000);
	syn_map(&s, va, 0x40000000, 2, ARM64_DESC_AF | ARM64_SH_INNER | ARM64_DESC_UXN, 0);
	syn_map(&s, va + 0x200000, 0x40200000, 2, ARM64_DESC_AF | ARM64_SH_INNER | ARM64_DESC_UXN, 0);
	syn_map(&s, syn_va(&s, 0x9000000), 0x9000000, 3, ARM64_DESC_AF | ARM64_DESC_ATTRINDX(1) |
		ARM64_DESC_PXN | ARM64_DESC_UXN, 0);
	char *text = CAPTURE(({
		struct ptdbg_dump_opts o = { .out = f, .space_name = "TTBR1" };
		ptdbg_dump_init(&d, &ptdbg_arm64_decoder, &o);
		ptdbg_arm64_walk(s.im->mem, &s.cpu, 1, NULL, ptdbg_dump_visit, &d, &res);
		ptdbg_dump_finish(&d, &res);
	}));
	assert_non_null(strstr(text, "---[ TTBR1 ]---"));
	assert_non_null(strstr(text, "0xfffffff009000000-0xfffffff009001000"));
	assert_non_null(strstr(text, "Device-nGnRE"));
	assert_non_null(strstr(text, "0xfffffff040000000-0xfffffff040400000"));
	assert_non_null(strstr(text, "2M      RW    x   UXN ISH AF    Normal-WB-RWA"));
	free(text);
	syn_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geometry),
		cmocka_unit_test(test_plain_pages),
		cmocka_unit_test(test_geometry_seed),
		cmocka_unit_test(test_granule_encodings),
		cmocka_unit_test(test_output_size),
		cmocka_unit_test(test_leaves_every_level),
		cmocka_unit_test(test_fields_every_level),
		cmocka_unit_test(test_address_above_ips),
		cmocka_unit_test(test_52bit_addresses),
		cmocka_unit_test(test_loops),
		cmocka_unit_test(test_halves_and_mmu),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_dump_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
