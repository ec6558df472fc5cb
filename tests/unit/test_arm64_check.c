/* SPDX-License-Identifier: MIT */
/*
 * Unit tests: what is built on the AArch64 decoder: the checks (arm64_check.c), the
 * translation trace and the range dump of one half (arm64_print.c), snapshots
 * (arm64_snap.c), the registers decoded (arm64_regs.c), on synthetic tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arm64/arm64_check.h"
#include "arm64/arm64_print.h"
#include "arm64/arm64_regs.h"
#include "arm64/arm64_snap.h"
#include "arm64_synth.h"

#define KBASE 0xfffffff000000000ull /* the 36-bit TTBR1 half */

static const struct ptdbg_finding *find_kind(const struct ptdbg_findings *fl, const char *kind,
					     uint64_t addr)
{
	for (size_t i = 0; i < fl->n; i++)
		if (!strcmp(fl->v[i].kind, kind) && (addr == PTDBG_NO_ADDR || fl->v[i].addr == addr))
			return &fl->v[i];
	return NULL;
}

static void fake_sym(void *ctx, uint64_t addr, char *buf, size_t len)
{
	if (addr >= KBASE + 0x40200000 && addr < KBASE + 0x40300000)
		snprintf(buf, len, "_start+0x%llx", (unsigned long long)(addr - KBASE - 0x40200000));
	else
		buf[0] = 0;
}

/* The seed's layout: kernel text in TTBR1 at KBASE + its physical address. */
static void seed_tables(struct syn *s)
{
	syn_init(s, 12, 36, 1, 0);
	s->cpu.tcr = (s->cpu.tcr & ~ARM64_TCR_IPS_MASK) | 2ull << ARM64_TCR_IPS_SHIFT; /* 40-bit */
	syn_refresh(s);
	/* text RX, data RW+XN, one W+X page, one EL0-readable page, in TTBR1 */
	syn_map(s, KBASE + 0x40200000, 0x40200000, 3, ARM64_DESC_AF | ARM64_AP_RO_EL1 | ARM64_DESC_UXN, 0);
	syn_map(s, KBASE + 0x40201000, 0x40201000, 3, ARM64_DESC_AF | ARM64_AP_RO_EL1 | ARM64_DESC_UXN, 0);
	syn_map(s, KBASE + 0x40300000, 0x40300000, 3, ARM64_DESC_AF | ARM64_DESC_PXN | ARM64_DESC_UXN, 0);
	syn_map(s, KBASE + 0x40301000, 0x40301000, 3, ARM64_DESC_AF | ARM64_DESC_UXN, 0);  /* W+X */
	syn_map(s, KBASE + 0x40302000, 0x40302000, 3, ARM64_DESC_AF | ARM64_AP_RO_ALL | ARM64_DESC_PXN |
		ARM64_DESC_UXN, 0);                                                        /* EL0 */
	/* malformed: a block at level 3, an address above IPS, an invalid descriptor
	 * with bits set, a loop */
	syn_put(s, KBASE + 0x40303000, 3, 0x40303000 | ARM64_DESC_AF | ARM64_DESC_BLOCK, 0);
	syn_map(s, KBASE + 0x40304000, (1ull << 44) | 0x40304000, 3, ARM64_DESC_AF | ARM64_DESC_PXN, 0);
	syn_put(s, KBASE + 0x40305000, 3, 0x40305000 | ARM64_DESC_AF | ARM64_DESC_TYPE, 0);
	uint64_t l2 = syn_table(s, KBASE + 0x40200000, 2, 0);
	img_put64(s->im, l2 + 8 * 300, l2 | ARM64_DESC_TABLE);
	/* TTBR0 has no identity map: the kernel runs at its physical address */
	s->cpu.pc = 0x40200040;
	s->cpu.cpsr = ARM64_PSR_M_EL1h;
	s->cpu.esr = (uint64_t)ARM64_EC_IABT_CUR << 26 | ARM64_ESR_IL | (ARM64_FSC_TRANSLATION | 1);
	s->cpu.far = s->cpu.elr = 0x40200044;
	s->cpu.spsr = ARM64_PSR_M_EL1h;
	s->cpu.vbar = KBASE + 0x40200800;
	s->cpu.valid |= PTDBG_ARM64_HAVE_PC | PTDBG_ARM64_HAVE_EXC | PTDBG_ARM64_HAVE_SPSR |
			PTDBG_ARM64_HAVE_VBAR;
}

static void test_checks(void **state)
{
	struct syn s;
	struct ptdbg_findings fl = { 0 };

	seed_tables(&s);
	assert_int_equal(ptdbg_arm64_check(s.im->mem, &s.cpu, &fl, fake_sym, NULL), 0);
	if (getenv("SHOW"))
		ptdbg_findings_print(stderr, &fl);
	const struct ptdbg_finding *f = find_kind(&fl, "wx", KBASE + 0x40301000);
	assert_non_null(f);
	assert_int_equal(f->size, 0x1000);
	assert_non_null(strstr(f->msg, "at EL1 (no PXN)"));
	assert_string_equal(f->space, "TTBR1");
	assert_null(find_kind(&fl, "wx", KBASE + 0x40200000));
	f = find_kind(&fl, "user-kernel", KBASE + 0x40302000);
	assert_non_null(f);
	assert_non_null(strstr(f->msg, "EL0 may read this mapping"));
	f = find_kind(&fl, "reserved-bits", KBASE + 0x40303000);
	assert_non_null(f);
	assert_non_null(strstr(f->msg, "a block at level 3"));
	f = find_kind(&fl, "reserved-bits", KBASE + 0x40304000);
	assert_non_null(f);
	assert_non_null(strstr(f->msg, "address size fault at level 3"));
	assert_non_null(find_kind(&fl, "sw-present-hw-absent", KBASE + 0x40305000));
	assert_non_null(find_kind(&fl, "recursive-table", PTDBG_NO_ADDR));
	/* the PC and ELR run from physical addresses that TTBR0 does not map */
	f = find_kind(&fl, "pc-unmapped", 0x40200040);
	assert_non_null(f);
	assert_non_null(strstr(f->msg, "PC 0x40200040 cannot be fetched at EL1: translation fault at level 1 "
				       "through TTBR0"));
	assert_non_null(strstr(f->msg, "physical address of 0xfffffff040200040 (_start+0x40) in TTBR1"));
	assert_non_null(strstr(f->msg, "no identity mapping"));
	f = find_kind(&fl, "pc-unmapped", 0x40200044);
	assert_non_null(f);
	assert_non_null(strstr(f->msg, "ELR_EL1 0x40200044 of the last exception (instruction abort from "
				       "the same EL) cannot be fetched at EL1"));
	/* VBAR is mapped executable: no finding */
	assert_null(find_kind(&fl, "pc-unmapped", KBASE + 0x40200800));
	ptdbg_findings_free(&fl);

	/* the MMU off: no tables in force, nothing to say */
	s.cpu.sctlr &= ~ARM64_SCTLR_M;
	assert_int_equal(ptdbg_arm64_check(s.im->mem, &s.cpu, &fl, NULL, NULL), 0);
	assert_int_equal(fl.n, 0);
	ptdbg_findings_free(&fl);
	syn_free(&s);
}

static void test_translation_text(void **state)
{
	struct syn s;
	struct ptdbg_translation tr;
	int half;

	seed_tables(&s);
	assert_int_equal(ptdbg_arm64_translate(s.im->mem, &s.cpu, KBASE + 0x40200010, PTDBG_ACC_WRITE,
					       &tr, &half), 0);
	char *text = CAPTURE(ptdbg_arm64_print_translation(f, &s.cpu, half, &tr));
	assert_non_null(strstr(text, "va 0xfffffff040200010 (write, EL1), TTBR1: 0xfffffff000000000-"
				     "0xffffffffffffffff, 36-bit (T1SZ=28), 4K granule, start level 1"));
	assert_non_null(strstr(text, "  L1 desc [   1] @"));
	assert_non_null(strstr(text, "PAGE AI0 AP=RO/-- NSH AF UXN"));
	assert_non_null(strstr(text, "-> pa 0x0000000040200010  4K page"));
	assert_non_null(strstr(text, "stops at L3: permission fault at level 3; ESR_EL1 0x9600004f "
				     "(data abort from the same EL, FSC 0x0f)"));
	free(text);
	assert_int_equal(ptdbg_arm64_translate(s.im->mem, &s.cpu, 0x40200040, PTDBG_ACC_FETCH, &tr,
					       &half), 0);
	text = CAPTURE(ptdbg_arm64_print_translation(f, &s.cpu, half, &tr));
	assert_non_null(strstr(text, "stops at L1: translation fault at level 1; ESR_EL1 0x86000005"));
	free(text);
	/* JSON: the keys of x86's */
	text = CAPTURE(({
		struct ptdbg_json *j = ptdbg_json_new(f);
		ptdbg_arm64_json_translation(j, &s.cpu, half, &tr);
		ptdbg_json_free(j);
	}));
	assert_non_null(strstr(text, "\"result\":\"translation fault at level 1\""));
	assert_non_null(strstr(text, "\"half\":\"ttbr0\""));
	assert_non_null(strstr(text, "\"fsc\":\"0x0000000000000005\""));
	free(text);
	syn_free(&s);
}

static void test_dump_half_filters(void **state)
{
	struct syn s;
	struct ptdbg_walk_result res;

	seed_tables(&s);
	struct ptdbg_arm64_dump_opts o = { 0 };
	char bad[16];
	assert_int_equal(ptdbg_arm64_parse_flags("w,x", &o.need_set, &o.need_clear, bad, sizeof(bad)), 0);
	assert_int_equal(ptdbg_arm64_parse_flags("w,bogus", &o.need_set, &o.need_clear, bad, sizeof(bad)), -1);
	assert_string_equal(bad, "bogus");
	o.need_set = o.need_clear = 0;
	assert_int_equal(ptdbg_arm64_parse_flags("w,x", &o.need_set, &o.need_clear, bad, sizeof(bad)), 0);
	char *text = CAPTURE(({ o.out = f; ptdbg_arm64_dump_half(s.im->mem, &s.cpu, 1, &o, &res); }));
	assert_non_null(strstr(text, "---[ TTBR1 ]---"));
	assert_non_null(strstr(text, "0xfffffff040301000-0xfffffff040302000"));
	assert_null(strstr(text, "0xfffffff040200000-"));
	assert_non_null(strstr(text, "# 4K granule, start level 1"));
	free(text);
	/* a disabled half says so */
	s.cpu.tcr |= ARM64_TCR_EPD0;
	memset(&o, 0, sizeof(o));
	text = CAPTURE(({ o.out = f; ptdbg_arm64_dump_half(s.im->mem, &s.cpu, 0, &o, &res); }));
	assert_non_null(strstr(text, "# walks disabled (TCR_EL1.EPD0)"));
	free(text);
	syn_free(&s);
}

static void test_snapshot(void **state)
{
	struct syn s;
	struct ptdbg_snapshot snap = { 0 };
	char names[128];

	seed_tables(&s);
	assert_int_equal(ptdbg_arm64_snap_take(&snap, s.im->mem, &s.cpu, NULL, NULL), 0);
	assert_int_equal(snap.format, PTDBG_SNAP_ARM64);
	assert_int_equal(snap.nspaces, 2);
	assert_string_equal(snap.spaces[0].name, "TTBR0");
	assert_int_equal(snap.spaces[0].n, 0);
	assert_string_equal(snap.spaces[1].name, "TTBR1");
	assert_true(snap.spaces[1].n >= 4);
	assert_int_equal(snap.spaces[1].root, s.cpu.ttbr1);
	assert_int_equal(snap.spaces[1].r[0].va, KBASE + 0x40200000);
	ptdbg_arm64_snap_attr_name(snap.spaces[1].r[0].attrs, names, sizeof(names));
	assert_string_equal(names, "    ro    x   UXN NSH AF   ");
	ptdbg_snap_free(&snap);
	syn_free(&s);
}

static void test_regs_text(void **state)
{
	struct ptdbg_regs r = { 0 };

	r.arch = PTDBG_ARCH_AARCH64;
	r.tcr_el1 = syn_tcr(12, 36, 1) | ARM64_TCR_EPD0;
	r.ttbr1_el1 = 0x40100000;
	r.sctlr_el1 = ARM64_SCTLR_M | ARM64_SCTLR_WXN | ARM64_SCTLR_RES1;
	r.mair_el1 = SYN_MAIR;
	r.esr_el1 = (uint64_t)ARM64_EC_DABT_LOW << 26 | ARM64_ESR_IL | ARM64_ISS_WNR | 0x0f;
	r.far_el1 = 0xfffffff040000000ull;
	r.elr_el1 = 0x400123;
	r.cpsr = ARM64_PSR_M_EL1h;
	r.valid = PTDBG_REG_TCR | PTDBG_REG_TTBR1 | PTDBG_REG_SCTLR | PTDBG_REG_MAIR | PTDBG_REG_ESR |
		  PTDBG_REG_FAR | PTDBG_REG_ELR | PTDBG_REG_CPSR;
	char *text = CAPTURE(ptdbg_arm64_print_regs(f, &r, NULL, NULL));
	assert_non_null(strstr(text, "SCTLR_EL1  0x0000000030d80801  M EOS WXN TSCXT EIS SPAN nTLSMD LSMAOE"));
	assert_non_null(strstr(text, "T0SZ=28 T1SZ=28 IPS=1 (36-bit)"));
	assert_non_null(strstr(text, "TTBR0: walks disabled (EPD0)"));
	assert_non_null(strstr(text, "TTBR1: 0xfffffff000000000-0xffffffffffffffff, 36-bit (T1SZ=28), 4K granule"));
	assert_non_null(strstr(text, "Attr5 0x4f Normal-i:WB-RWA/o:NC"));
	assert_non_null(strstr(text, "TTBR0_EL1  (not available)"));
	assert_non_null(strstr(text, "last exception: data abort from a lower EL: permission fault at level 3, "
				     "write, at 0xfffffff040000000, from ELR 0x0000000000400123"));
	assert_non_null(strstr(text, "EL1 (from CPSR.M[3:2])"));
	free(text);
	text = CAPTURE(({
		struct ptdbg_json *j = ptdbg_json_new(f);
		ptdbg_json_start_object(j);
		ptdbg_arm64_json_regs(j, &r);
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
	}));
	assert_non_null(strstr(text, "\"arch\":\"aarch64\""));
	assert_non_null(strstr(text, "\"el\":1"));
	assert_non_null(strstr(text, "{\"name\":\"ttbr0\",\"enabled\":false"));
	assert_non_null(strstr(text, "\"mair\":[\"Normal-WB-RWA\",\"Device-nGnRE\""));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checks),
		cmocka_unit_test(test_translation_text),
		cmocka_unit_test(test_dump_half_filters),
		cmocka_unit_test(test_snapshot),
		cmocka_unit_test(test_regs_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
