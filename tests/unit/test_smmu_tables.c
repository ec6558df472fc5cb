/* SPDX-License-Identifier: MIT */
/* Unit tests: STE and CD decoding, the stream lookup through linear and two-level
 * stream tables and CD tables (smmu_tables.c), malformed structures included, the
 * stream table scan and the context dump. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "out/json.h"
#include "smmu/smmu_tables.h"
#include "test_smmu_synth.h"

#define STRTAB  0x40100000ull
#define CD0     0x40110000ull
#define L1TAB   0x40120000ull
#define L2TAB   0x40121000ull
#define CDTAB   0x40130000ull
#define CDL1    0x40140000ull
#define CDL2    0x40141000ull
#define TTB0    0x40150000ull
#define HOLE    0x50000000ull /* nothing there */

/* QEMU 7.2's smmuv3 as smmu_hw_from_regs() makes it. */
static struct smmu_hw qemu_hw(void)
{
	struct smmu_regs r;
	struct smmu_hw hw;
	smmu_regs_init(&r, SMMU_BASE);
	smmu_regs_set(&r, SMMU_REG_IDR0, IDR0_QEMU);
	smmu_regs_set(&r, SMMU_REG_IDR1, IDR1_QEMU);
	smmu_regs_set(&r, SMMU_REG_IDR5, IDR5_QEMU);
	smmu_hw_from_regs(&hw, &r);
	return hw;
}

/* The same with substreams (8 bits) and two-level CD tables. */
static struct smmu_hw ssid_hw(void)
{
	struct smmu_hw hw = qemu_hw();
	hw.ssidsize = 8;
	hw.cd2l = true;
	return hw;
}

static void ste_s1(uint64_t w[8], uint64_t cdptr, unsigned cdmax, unsigned fmt, unsigned dss)
{
	memset(w, 0, 8 * sizeof(*w));
	w[0] = SMMU_STE0_V | SMMU_STE0_CONFIG_PUT(SMMU_STE_CFG_S1) | (cdptr & SMMU_STE0_S1CTXPTR) |
	       SMMU_STE0_S1CDMAX_PUT(cdmax) | SMMU_STE0_S1FMT_PUT(fmt);
	w[1] = SMMU_STE1_S1DSS_PUT(dss) | SMMU_STE1_S1CIR_PUT(1) | SMMU_STE1_S1COR_PUT(1) |
	       SMMU_STE1_S1CSH_PUT(3) | SMMU_STE1_SHCFG_PUT(SMMU_SHCFG_INCOMING);
}

/* A CD as the kernel writes it: 39-bit input, 4K granule, 44-bit output. */
static void cd_good(uint64_t w[8], uint64_t ttb0, unsigned asid)
{
	memset(w, 0, 8 * sizeof(*w));
	w[0] = SMMU_CD0_V | SMMU_CD0_AA64 | SMMU_CD0_A | SMMU_CD0_R | SMMU_CD0_T0SZ_PUT(25) |
	       SMMU_CD0_TG0_PUT(SMMU_TG0_4K) | SMMU_CD0_IPS_PUT(4) | SMMU_CD0_EPD1 |
	       SMMU_CD0_ASID_PUT(asid) | SMMU_CD0_SH0_PUT(3) | SMMU_CD0_IR0_PUT(1) |
	       SMMU_CD0_OR0_PUT(1) | SMMU_CD0_ASET;
	w[1] = ttb0 & SMMU_CD1_TTB0;
	w[3] = 0x000000000044ff04ull;
}

static struct smmu_strtab linear(unsigned log2size)
{
	struct smmu_strtab st = { STRTAB, SMMU_STRTAB_LINEAR, log2size, 0 };
	return st;
}

static struct smmu_strtab two_level(unsigned log2size, unsigned split)
{
	struct smmu_strtab st = { L1TAB, SMMU_STRTAB_2LVL, log2size, split };
	return st;
}

static void test_ste_decode_fields(void **state)
{
	uint64_t w[8] = { 0 };
	struct smmu_ste s;
	w[0] = SMMU_STE0_V | SMMU_STE0_CONFIG_PUT(SMMU_STE_CFG_NESTED) | SMMU_STE0_S1FMT_PUT(2) |
	       0x123456789ac0ull | SMMU_STE0_S1CDMAX_PUT(17);
	w[1] = SMMU_STE1_S1DSS_PUT(2) | SMMU_STE1_S1CIR_PUT(1) | SMMU_STE1_S1COR_PUT(2) |
	       SMMU_STE1_S1CSH_PUT(3) | SMMU_STE1_MEV | SMMU_STE1_S1STALLD | SMMU_STE1_EATS_PUT(1) |
	       SMMU_STE1_STRW_PUT(SMMU_STRW_EL2) | SMMU_STE1_SHCFG_PUT(2);
	w[2] = PTDBG_FIELD_PUT(SMMU_STE2_S2VMID_MASK, 0xbeef) | PTDBG_FIELD_PUT(SMMU_STE2_S2T0SZ_MASK, 24) |
	       PTDBG_FIELD_PUT(SMMU_STE2_S2SL0_MASK, 1) | PTDBG_FIELD_PUT(SMMU_STE2_S2TG_MASK, 2) |
	       PTDBG_FIELD_PUT(SMMU_STE2_S2PS_MASK, 5) | SMMU_STE2_S2AA64 | SMMU_STE2_S2ENDI |
	       SMMU_STE2_S2AFFD | SMMU_STE2_S2PTW | SMMU_STE2_S2HD | SMMU_STE2_S2HA | SMMU_STE2_S2S |
	       SMMU_STE2_S2R;
	w[3] = 0xfedcba987650ull;
	smmu_ste_decode(w, &s);
	assert_true(s.v);
	assert_int_equal(s.config, SMMU_STE_CFG_NESTED);
	assert_int_equal(s.s1fmt, 2);
	assert_int_equal(s.s1ctxptr, 0x123456789ac0ull);
	assert_int_equal(s.s1cdmax, 17);
	assert_int_equal(s.s1dss, 2);
	assert_int_equal(s.s1cir, 1);
	assert_int_equal(s.s1cor, 2);
	assert_int_equal(s.s1csh, 3);
	assert_true(s.mev);
	assert_true(s.s1stalld);
	assert_int_equal(s.eats, 1);
	assert_int_equal(s.strw, SMMU_STRW_EL2);
	assert_int_equal(s.shcfg, 2);
	assert_int_equal(s.s2vmid, 0xbeef);
	assert_int_equal(s.s2t0sz, 24);
	assert_int_equal(s.s2sl0, 1);
	assert_int_equal(s.s2tg, 2);
	assert_int_equal(s.s2ps, 5);
	assert_true(s.s2aa64 && s.s2endi && s.s2affd && s.s2ptw && s.s2hd && s.s2ha && s.s2s && s.s2r);
	assert_int_equal(s.s2ttb, 0xfedcba987650ull);

	uint64_t rsvd[8];
	assert_false(smmu_ste_reserved(w, 52, rsvd));
	w[0] |= PTDBG_BIT(55);
	w[2] |= PTDBG_BIT(20);
	w[6] = 1;
	assert_true(smmu_ste_reserved(w, 52, rsvd));
	assert_int_equal(rsvd[0], PTDBG_BIT(55));
	assert_int_equal(rsvd[1], 0);
	assert_int_equal(rsvd[2], PTDBG_BIT(20));
	assert_int_equal(rsvd[6], 1);
	/* S1ContextPtr and S2TTB above a 44-bit output size. */
	w[0] &= ~PTDBG_BIT(55);
	w[2] &= ~PTDBG_BIT(20);
	w[6] = 0;
	assert_true(smmu_ste_reserved(w, 44, rsvd));
	assert_int_equal(rsvd[0], 0x123456789ac0ull & PTDBG_GENMASK(51, 44));
	assert_int_equal(rsvd[3], 0xfedcba987650ull & PTDBG_GENMASK(51, 44));

	char *t = CAPTURE(smmu_ste_print(f, &s, "  "));
	assert_non_null(strstr(t, "Config       [3:1]      7                  stage configuration (nested)"));
	assert_non_null(strstr(t, "S1DSS        [65:64]    2                  transactions without substream (substream0)"));
	assert_non_null(strstr(t, "S2TTB"));
	free(t);
}

static void test_cd_decode_fields(void **state)
{
	uint64_t w[8] = { 0 };
	struct smmu_cd c;
	w[0] = SMMU_CD0_T0SZ_PUT(16) | SMMU_CD0_TG0_PUT(SMMU_TG0_64K) | SMMU_CD0_IR0_PUT(1) |
	       SMMU_CD0_OR0_PUT(2) | SMMU_CD0_SH0_PUT(3) | SMMU_CD0_EPD0 | SMMU_CD0_ENDI |
	       SMMU_CD0_T1SZ_PUT(28) | SMMU_CD0_TG1_PUT(SMMU_TG1_16K) |
	       PTDBG_FIELD_PUT(SMMU_CD0_IR1_MASK, 3) | PTDBG_FIELD_PUT(SMMU_CD0_OR1_MASK, 1) |
	       PTDBG_FIELD_PUT(SMMU_CD0_SH1_MASK, 2) | SMMU_CD0_EPD1 | SMMU_CD0_V |
	       SMMU_CD0_IPS_PUT(5) | SMMU_CD0_AFFD | SMMU_CD0_WXN | SMMU_CD0_UWXN |
	       PTDBG_FIELD_PUT(SMMU_CD0_TBI_MASK, 3) | SMMU_CD0_PAN | SMMU_CD0_AA64 | SMMU_CD0_HD |
	       SMMU_CD0_HA | SMMU_CD0_S | SMMU_CD0_R | SMMU_CD0_A | SMMU_CD0_ASET |
	       SMMU_CD0_ASID_PUT(0xabcd);
	w[1] = SMMU_CD1_NSCFG0 | SMMU_CD1_HAD0 | 0x000fedcba9870ull | PTDBG_FIELD_PUT(SMMU_CD1_HWU0_MASK, 9);
	w[2] = SMMU_CD2_NSCFG1 | SMMU_CD2_HAD1 | 0x0001234567890ull | PTDBG_FIELD_PUT(SMMU_CD2_HWU1_MASK, 6);
	w[3] = 0x1122334455667788ull;
	w[4] = 0x99aabbccddeeff00ull;
	smmu_cd_decode(w, &c);
	assert_int_equal(c.t0sz, 16);
	assert_int_equal(c.tg0, SMMU_TG0_64K);
	assert_int_equal(c.ir0, 1);
	assert_int_equal(c.or0, 2);
	assert_int_equal(c.sh0, 3);
	assert_true(c.epd0 && c.endi && c.epd1 && c.v);
	assert_int_equal(c.t1sz, 28);
	assert_int_equal(c.tg1, SMMU_TG1_16K);
	assert_int_equal(c.ir1, 3);
	assert_int_equal(c.or1, 1);
	assert_int_equal(c.sh1, 2);
	assert_int_equal(c.ips, 5);
	assert_true(c.affd && c.wxn && c.uwxn && c.pan && c.aa64 && c.hd && c.ha);
	assert_true(c.s && c.r && c.a && c.aset);
	assert_int_equal(c.tbi, 3);
	assert_int_equal(c.asid, 0xabcd);
	assert_true(c.nscfg0 && c.had0 && c.nscfg1 && c.had1);
	assert_int_equal(c.ttb0, 0x000fedcba9870ull);
	assert_int_equal(c.ttb1, 0x0001234567890ull);
	assert_int_equal(c.hwu0, 9);
	assert_int_equal(c.hwu1, 6);
	assert_int_equal(c.mair, 0x1122334455667788ull);
	assert_int_equal(c.amair, 0x99aabbccddeeff00ull);
	assert_int_equal(c.ias0, 48);
	assert_int_equal(c.ias1, 36);
	assert_int_equal(c.ips_bits, 48);
	assert_int_equal(c.gran0, 65536);
	assert_int_equal(c.gran1, 16384);

	uint64_t rsvd[8];
	assert_false(smmu_cd_reserved(w, 52, rsvd));
	w[1] |= PTDBG_BIT(2) | PTDBG_BIT(63);
	w[7] = 0x10;
	assert_true(smmu_cd_reserved(w, 52, rsvd));
	assert_int_equal(rsvd[1], PTDBG_BIT(2) | PTDBG_BIT(63));
	assert_int_equal(rsvd[7], 0x10);
	assert_int_equal(rsvd[5], 0); /* implementation defined, not reserved */

	char *t = CAPTURE(smmu_cd_print(f, &c, ""));
	assert_non_null(strstr(t, "TG0          [7:6]      1                  TTB0 granule (64K)"));
	assert_non_null(strstr(t, "R            [45]"));
	assert_non_null(strstr(t, "TTB0         [115:68]   0xfedcba9870"));
	free(t);
}

/* Why a CD is refused, one reason at a time. */
static void test_cd_invalid_reasons(void **state)
{
	struct smmu_hw hw = qemu_hw();
	uint64_t w[8];
	struct smmu_cd c;
	struct { uint64_t set, clear; const char *why; } cases[] = {
		{ 0, 0, NULL },
		{ 0, SMMU_CD0_AA64, "AA64=0" },
		{ SMMU_CD0_IPS_PUT(7), SMMU_CD0_IPS_MASK, "IPS is a reserved encoding" },
		{ 0, SMMU_CD0_A, "A=0" },
		{ SMMU_CD0_S, 0, "S=1" },
		{ SMMU_CD0_HA, 0, "HA/HD set" },
		{ SMMU_CD0_ENDI, 0, "ENDI=1" },
		{ SMMU_CD0_TG0_PUT(3), SMMU_CD0_TG0_MASK, "TG0 is a reserved encoding" },
		{ SMMU_CD0_TG0_PUT(SMMU_TG0_16K), SMMU_CD0_TG0_MASK, "TG0 granule not supported" },
		{ SMMU_CD0_T0SZ_PUT(10), SMMU_CD0_T0SZ_MASK, "T0SZ below the minimum" },
		{ SMMU_CD0_T0SZ_PUT(45), SMMU_CD0_T0SZ_MASK, "T0SZ above 39" },
		{ 0, SMMU_CD0_EPD1, "TG1 is a reserved encoding" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cd_good(w, TTB0, 1);
		w[0] = (w[0] & ~cases[i].clear) | cases[i].set;
		smmu_cd_decode(w, &c);
		const char *why = smmu_cd_invalid(&hw, &c);
		if (!cases[i].why) {
			assert_null(why);
			continue;
		}
		if (!why || !strstr(why, cases[i].why))
			fail_msg("case %zu: expected \"%s\", got \"%s\"", i, cases[i].why,
				 why ? why : "(valid)");
	}
	/* TTB0 above the 44-bit output size. */
	cd_good(w, TTB0, 1);
	w[1] = 0x100000000000ull;
	smmu_cd_decode(w, &c);
	assert_non_null(strstr(smmu_cd_invalid(&hw, &c), "TTB0 above the output address size"));
	/* An unknown SMMU accepts what the architecture allows. */
	struct smmu_hw any = { 0 };
	cd_good(w, TTB0, 1);
	w[0] &= ~(SMMU_CD0_A | SMMU_CD0_AA64);
	w[0] |= SMMU_CD0_S | SMMU_CD0_HA | SMMU_CD0_HD;
	smmu_cd_decode(w, &c);
	assert_null(smmu_cd_invalid(&any, &c));
	/* VAX allows 52-bit inputs. */
	hw.vax = true;
	cd_good(w, TTB0, 1);
	w[0] = (w[0] & ~SMMU_CD0_T0SZ_MASK) | SMMU_CD0_T0SZ_PUT(12);
	smmu_cd_decode(w, &c);
	assert_null(smmu_cd_invalid(&hw, &c));
}

static void test_linear_lookup(void **state)
{
	struct syn *s = syn_new();
	struct smmu_hw hw = qemu_hw();
	struct smmu_strtab st = linear(6);
	struct smmu_stream_lookup l;
	uint64_t w[8];

	ste_s1(w, CD0, 0, 0, 0);
	syn_put(s, STRTAB + 0x10 * 64, w, 8);
	cd_good(w, TTB0, 7);
	syn_put(s, CD0, w, 8);
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 0x10, SMMU_NO_SSID, &l), 0);
	assert_int_equal(l.event, 0);
	assert_int_equal(l.stage, SMMU_AT_DONE);
	assert_int_equal(l.xlate, SMMU_XL_S1);
	assert_int_equal(l.ste_pa, STRTAB + 0x400);
	assert_true(l.have_ste && l.have_cd);
	assert_int_equal(l.cd_pa, CD0);
	assert_int_equal(l.ssid_used, 0);
	assert_int_equal(l.cd.asid, 7);
	assert_int_equal(l.cd.ias0, 39);
	assert_false(l.rsvd_set);
	assert_false(l.overlap);
	assert_string_equal(l.why, "");

	struct smmu_s1_cfg cfg;
	assert_true(smmu_s1_cfg_from_lookup(&hw, &l, &cfg));
	assert_int_equal(cfg.sid, 0x10);
	assert_int_equal(cfg.asid, 7);
	assert_true(cfg.enabled[0]);
	assert_false(cfg.enabled[1]);
	assert_int_equal(cfg.ttb[0], TTB0);
	assert_int_equal(cfg.ias[0], 39);
	assert_int_equal(cfg.granule[0], 4096);
	assert_int_equal(cfg.oas, 44);
	assert_true(cfg.aa64);
	assert_int_equal(cfg.mair, 0x44ff04);

	char *t = CAPTURE(smmu_lookup_print(f, &l));
	assert_non_null(strstr(t, "stream 0x10: stage1"));
	assert_non_null(strstr(t, "STE   @0x40100400  stage1"));
	assert_non_null(strstr(t, "CD    @0x40110000  substream 0, ASID 7, TTB0 0x40150000, 39-bit input, 4K granule"));
	free(t);
	char *js = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&js, &n);
	struct ptdbg_json *j = ptdbg_json_new(f);
	smmu_lookup_json(j, &l);
	ptdbg_json_free(j);
	fclose(f);
	assert_non_null(strstr(js, "\"sid\":16"));
	assert_non_null(strstr(js, "\"translation\":\"stage1\""));
	assert_non_null(strstr(js, "\"config_name\":\"stage1\""));
	assert_non_null(strstr(js, "\"ias\":39"));
	assert_non_null(strstr(js, "\"R\":true"));
	free(js);

	/* Out of range: 2^6 stream ids; a LOG2SIZE above SIDSIZE is bounded by it. */
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 64, SMMU_NO_SSID, &l), 0);
	assert_int_equal(l.event, SMMU_EVT_C_BAD_STREAMID);
	assert_int_equal(l.stage, SMMU_AT_STRTAB);
	assert_non_null(strstr(l.why, "beyond the stream table"));
	st.log2size = 63;
	assert_int_equal(smmu_strtab_log2size(&hw, &st), 16);
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 0x10000, SMMU_NO_SSID, &l), 0);
	assert_int_equal(l.event, SMMU_EVT_C_BAD_STREAMID);
	st.fmt = 2;
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 0, SMMU_NO_SSID, &l), 0);
	assert_int_equal(l.event, SMMU_EVT_C_BAD_STREAMID);
	st = linear(6);

	/* Unreadable table. */
	struct smmu_strtab hole = { HOLE, SMMU_STRTAB_LINEAR, 6, 0 };
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &hole, 2, SMMU_NO_SSID, &l), 0);
	assert_int_equal(l.event, SMMU_EVT_F_STE_FETCH);
	assert_int_equal(l.fetch_addr, HOLE + 128);
	assert_int_equal(l.read_err, PTDBG_EIO);
	assert_false(l.have_ste);
	syn_free(s);
}

/* STE outcomes: V=0, reserved Config, abort, bypass, stage 2. */
static void test_ste_outcomes(void **state)
{
	struct syn *s = syn_new();
	struct smmu_hw hw = qemu_hw();
	struct smmu_strtab st = linear(6);
	struct smmu_stream_lookup l;
	uint64_t w[8] = { 0 };
	struct { uint64_t w0; unsigned event; enum smmu_xlate xl; const char *why; } cases[] = {
		{ 0, SMMU_EVT_C_BAD_STE, SMMU_XL_NONE, "not valid (V=0)" },
		{ SMMU_STE0_V | SMMU_STE0_CONFIG_PUT(2), SMMU_EVT_C_BAD_STE, SMMU_XL_NONE, "reserved encoding" },
		{ SMMU_STE0_V, 0, SMMU_XL_ABORT, "" },
		{ SMMU_STE0_V | SMMU_STE0_CONFIG_PUT(SMMU_STE_CFG_BYPASS), 0, SMMU_XL_BYPASS, "" },
		{ SMMU_STE0_V | SMMU_STE0_CONFIG_PUT(SMMU_STE_CFG_S2), SMMU_EVT_C_BAD_STE, SMMU_XL_NONE, "no stage 2" },
		{ SMMU_STE0_V | SMMU_STE0_CONFIG_PUT(SMMU_STE_CFG_S1) | SMMU_STE0_S1FMT_PUT(3), SMMU_EVT_C_BAD_STE, SMMU_XL_NONE, "S1Fmt" },
		{ SMMU_STE0_V | SMMU_STE0_CONFIG_PUT(SMMU_STE_CFG_S1) | SMMU_STE0_S1CDMAX_PUT(1), SMMU_EVT_C_BAD_STE, SMMU_XL_NONE, "SSIDSIZE" },
		{ SMMU_STE0_V | SMMU_STE0_CONFIG_PUT(SMMU_STE_CFG_S1) | 0x100000000000ull, SMMU_EVT_C_BAD_STE, SMMU_XL_NONE, "S1ContextPtr above" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		w[0] = cases[i].w0 | 0x40; /* nonzero even when V=0 */
		syn_put(s, STRTAB + 64, w, 8);
		assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 1, SMMU_NO_SSID, &l), 0);
		if (l.event != cases[i].event || l.xlate != cases[i].xl || !strstr(l.why, cases[i].why))
			fail_msg("case %zu: event %u xlate %d why \"%s\"", i, l.event, l.xlate, l.why);
		assert_true(l.have_ste);
	}
	/* Stage 2 on an SMMU that has it: decoded, not walked. */
	hw.s2p = true;
	w[0] = SMMU_STE0_V | SMMU_STE0_CONFIG_PUT(SMMU_STE_CFG_S2);
	w[2] = PTDBG_FIELD_PUT(SMMU_STE2_S2T0SZ_MASK, 25) | SMMU_STE2_S2AA64 | SMMU_STE2_S2R |
	       PTDBG_FIELD_PUT(SMMU_STE2_S2VMID_MASK, 3);
	w[3] = 0x40160000;
	syn_put(s, STRTAB + 64, w, 8);
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 1, SMMU_NO_SSID, &l), 0);
	assert_int_equal(l.event, 0);
	assert_int_equal(l.xlate, SMMU_XL_S2);
	assert_int_equal(l.ste.s2ttb, 0x40160000);
	assert_int_equal(l.ste.s2vmid, 3);
	struct smmu_s1_cfg cfg;
	assert_false(smmu_s1_cfg_from_lookup(&hw, &l, &cfg));
	w[2] = PTDBG_FIELD_PUT(SMMU_STE2_S2TG_MASK, 3);
	syn_put(s, STRTAB + 64, w, 8);
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 1, SMMU_NO_SSID, &l), 0);
	assert_int_equal(l.event, SMMU_EVT_C_BAD_STE);

	/* Reserved bits do not stop the lookup; they are reported. */
	w[0] = SMMU_STE0_V | SMMU_STE0_CONFIG_PUT(SMMU_STE_CFG_BYPASS) | PTDBG_BIT(53);
	w[2] = 0;
	w[3] = 0;
	w[5] = 0xff;
	syn_put(s, STRTAB + 64, w, 8);
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 1, SMMU_NO_SSID, &l), 0);
	assert_int_equal(l.xlate, SMMU_XL_BYPASS);
	assert_true(l.rsvd_set);
	assert_int_equal(l.ste_rsvd[0], PTDBG_BIT(53));
	assert_int_equal(l.ste_rsvd[5], 0xff);
	char *t = CAPTURE(smmu_lookup_print(f, &l));
	assert_non_null(strstr(t, "reserved bits set in the STE dword 5: 0x00000000000000ff"));
	free(t);
	syn_free(s);
}

static void test_two_level(void **state)
{
	struct syn *s = syn_new();
	struct smmu_hw hw = qemu_hw();
	struct smmu_strtab st = two_level(16, 8);
	struct smmu_stream_lookup l;
	uint64_t w[8];

	assert_int_equal(smmu_strtab_split(&hw, &st), 8);
	assert_int_equal(smmu_strtab_l1_count(&hw, &st), 256);
	assert_int_equal(smmu_strtab_bytes(&hw, &st), 2048);
	/* Stream 0x110: level-1 descriptor 1, STE 0x10 of a level-2 table of 32. */
	syn_put64(s, L1TAB + 8, L2TAB | SMMU_L1STD_SPAN_PUT(6));
	ste_s1(w, CD0, 0, 0, 0);
	syn_put(s, L2TAB + 0x10 * 64, w, 8);
	cd_good(w, TTB0, 1);
	syn_put(s, CD0, w, 8);
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 0x110, SMMU_NO_SSID, &l), 0);
	assert_int_equal(l.event, 0);
	assert_true(l.two_level);
	assert_int_equal(l.l1_pa, L1TAB + 8);
	assert_int_equal(l.span, 6);
	assert_int_equal(l.ste_pa, L2TAB + 0x400);
	assert_int_equal(l.xlate, SMMU_XL_S1);
	char *t = CAPTURE(smmu_lookup_print(f, &l));
	assert_non_null(strstr(t, "L1STD @0x40120008"));
	assert_non_null(strstr(t, "Span         [4:0]      6                  level-2 STEs (2^(Span-1)) (32 STEs)"));
	free(t);

	/* Beyond the level-2 table's span. */
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 0x120, SMMU_NO_SSID, &l), 0);
	assert_int_equal(l.event, SMMU_EVT_C_BAD_STREAMID);
	assert_non_null(strstr(l.why, "beyond its level-2 table (Span 6: 32 STEs)"));
	/* Span 0: invalid. */
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 0x210, SMMU_NO_SSID, &l), 0);
	assert_int_equal(l.event, SMMU_EVT_C_BAD_STREAMID);
	assert_non_null(strstr(l.why, "Span 0"));
	/* Span too big for the split. */
	syn_put64(s, L1TAB + 16, L2TAB | SMMU_L1STD_SPAN_PUT(12));
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 0x210, SMMU_NO_SSID, &l), 0);
	assert_int_equal(l.event, SMMU_EVT_C_BAD_STREAMID);
	assert_non_null(strstr(l.why, "Span 12 above SPLIT+1 (9)"));
	/* L2Ptr past memory. */
	syn_put64(s, L1TAB + 24, HOLE | SMMU_L1STD_SPAN_PUT(9));
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 0x3ff, SMMU_NO_SSID, &l), 0);
	assert_int_equal(l.event, SMMU_EVT_F_STE_FETCH);
	assert_int_equal(l.fetch_addr, HOLE + 0xff * 64);
	assert_int_equal(l.stage, SMMU_AT_STE);
	/* Reserved bits in the level-1 descriptor; L2Ptr above the OAS. */
	syn_put64(s, L1TAB + 32, L2TAB | SMMU_L1STD_SPAN_PUT(1) | PTDBG_BIT(5) | PTDBG_BIT(47));
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 0x400, SMMU_NO_SSID, &l), 0);
	assert_true(l.rsvd_set);
	assert_int_equal(l.l1_rsvd, PTDBG_BIT(5) | PTDBG_BIT(47));
	/* A level-2 table inside the level-1 table. */
	syn_put64(s, L1TAB + 40, L1TAB | SMMU_L1STD_SPAN_PUT(1));
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 0x500, SMMU_NO_SSID, &l), 0);
	assert_true(l.overlap);
	assert_non_null(strstr(l.overlap_why, "level-2 stream table"));
	/* The level-1 table unreadable. */
	st.base = HOLE;
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 0x110, SMMU_NO_SSID, &l), 0);
	assert_int_equal(l.event, SMMU_EVT_F_STE_FETCH);
	assert_int_equal(l.stage, SMMU_AT_STRTAB);
	assert_int_equal(l.fetch_addr, HOLE + 8);
	/* SPLIT above 12 or above LOG2SIZE is bounded. */
	st = two_level(16, 31);
	assert_int_equal(smmu_strtab_split(&hw, &st), 12);
	st = two_level(4, 8);
	assert_int_equal(smmu_strtab_split(&hw, &st), 4);
	assert_int_equal(smmu_strtab_l1_count(&hw, &st), 1);
	syn_free(s);
}

static void test_substreams(void **state)
{
	struct syn *s = syn_new();
	struct smmu_hw hw = ssid_hw();
	struct smmu_strtab st = linear(6);
	struct smmu_stream_lookup l;
	uint64_t w[8];

	/* A linear CD table of 4 substreams. */
	ste_s1(w, CDTAB, 2, SMMU_S1FMT_LINEAR, SMMU_S1DSS_TERMINATE);
	syn_put(s, STRTAB + 64, w, 8);
	for (unsigned i = 0; i < 4; i++) {
		cd_good(w, TTB0 + i * 0x1000, 10 + i);
		syn_put(s, CDTAB + i * 64, w, 8);
	}
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 1, 3, &l), 0);
	assert_int_equal(l.event, 0);
	assert_int_equal(l.cd_pa, CDTAB + 192);
	assert_int_equal(l.cd.asid, 13);
	assert_int_equal(l.ssid_used, 3);
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 1, 4, &l), 0);
	assert_int_equal(l.event, SMMU_EVT_C_BAD_SUBSTREAMID);
	assert_non_null(strstr(l.why, "substream 4 out of range (S1CDMax 2)"));
	/* No substream: S1DSS decides. */
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 1, SMMU_NO_SSID, &l), 0);
	assert_int_equal(l.event, SMMU_EVT_F_STREAM_DISABLED);
	w[0] = 0;
	ste_s1(w, CDTAB, 2, SMMU_S1FMT_LINEAR, SMMU_S1DSS_BYPASS);
	syn_put(s, STRTAB + 64, w, 8);
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 1, SMMU_NO_SSID, &l), 0);
	assert_int_equal(l.event, 0);
	assert_int_equal(l.xlate, SMMU_XL_BYPASS);
	ste_s1(w, CDTAB, 2, SMMU_S1FMT_LINEAR, SMMU_S1DSS_SSID0);
	syn_put(s, STRTAB + 64, w, 8);
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 1, SMMU_NO_SSID, &l), 0);
	assert_int_equal(l.xlate, SMMU_XL_S1);
	assert_int_equal(l.ssid_used, 0);
	assert_int_equal(l.cd.asid, 10);
	/* A substream asked of an STE without substreams. */
	ste_s1(w, CD0, 0, 0, 0);
	syn_put(s, STRTAB + 128, w, 8);
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 2, 1, &l), 0);
	assert_int_equal(l.event, SMMU_EVT_C_BAD_SUBSTREAMID);

	/* Two-level CD table, 4K leaves of 64 CDs: substream 70 is leaf 1, CD 6. */
	ste_s1(w, CDL1, 8, SMMU_S1FMT_2LVL_4K, 0);
	syn_put(s, STRTAB + 192, w, 8);
	syn_put64(s, CDL1 + 8, CDL2 | SMMU_L1CD_V);
	cd_good(w, TTB0, 70);
	syn_put(s, CDL2 + 6 * 64, w, 8);
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 3, 70, &l), 0);
	assert_int_equal(l.event, 0);
	assert_true(l.have_l1cd);
	assert_int_equal(l.l1cd_pa, CDL1 + 8);
	assert_int_equal(l.cd_pa, CDL2 + 6 * 64);
	assert_int_equal(l.cd.asid, 70);
	char *t = CAPTURE(smmu_lookup_print(f, &l));
	assert_non_null(strstr(t, "stream 0x3/70: stage1"));
	assert_non_null(strstr(t, "L1CD  @0x40140008"));
	free(t);
	/* Leaf 2 not valid; leaf 3 unreadable; a 64K-leaf table indexes by 10 bits. */
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 3, 130, &l), 0);
	assert_int_equal(l.event, SMMU_EVT_C_BAD_SUBSTREAMID);
	assert_non_null(strstr(l.why, "level-1 CD descriptor at 0x40140010 not valid"));
	syn_put64(s, CDL1 + 24, HOLE | SMMU_L1CD_V);
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 3, 200, &l), 0);
	assert_int_equal(l.event, SMMU_EVT_F_CD_FETCH);
	assert_int_equal(l.fetch_addr, HOLE + (200 - 192) * 64);
	ste_s1(w, CDL1, 8, SMMU_S1FMT_2LVL_64K, 0);
	syn_put(s, STRTAB + 192, w, 8);
	syn_put64(s, CDL1, CDL2 | SMMU_L1CD_V);
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 3, 6, &l), 0);
	assert_int_equal(l.l1cd_pa, CDL1);
	assert_int_equal(l.cd_pa, CDL2 + 6 * 64);
	/* The QEMU SMMU (SSIDSIZE 0, no CD2L) refuses both. */
	struct smmu_hw q = qemu_hw();
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &q, &st, 3, 6, &l), 0);
	assert_int_equal(l.event, SMMU_EVT_C_BAD_STE);
	syn_free(s);
}

/* CD outcomes: V=0, invalid, unreadable, inside the stream table. */
static void test_cd_outcomes(void **state)
{
	struct syn *s = syn_new();
	struct smmu_hw hw = qemu_hw();
	struct smmu_strtab st = linear(6);
	struct smmu_stream_lookup l;
	uint64_t w[8];

	ste_s1(w, CD0, 0, 0, 0);
	syn_put(s, STRTAB + 64, w, 8);
	cd_good(w, TTB0, 1);
	w[0] &= ~SMMU_CD0_V;
	syn_put(s, CD0, w, 8);
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 1, SMMU_NO_SSID, &l), 0);
	assert_int_equal(l.event, SMMU_EVT_C_BAD_CD);
	assert_non_null(strstr(l.why, "not valid (V=0)"));
	assert_true(l.have_cd);
	cd_good(w, TTB0, 1);
	w[0] &= ~SMMU_CD0_AA64;
	w[6] = PTDBG_BIT(40); /* reserved too */
	syn_put(s, CD0, w, 8);
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 1, SMMU_NO_SSID, &l), 0);
	assert_int_equal(l.event, SMMU_EVT_C_BAD_CD);
	assert_non_null(strstr(l.why, "AA64=0"));
	assert_true(l.rsvd_set);
	assert_int_equal(l.cd_rsvd[6], PTDBG_BIT(40));
	/* The CD unreadable. */
	ste_s1(w, HOLE, 0, 0, 0);
	syn_put(s, STRTAB + 64, w, 8);
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 1, SMMU_NO_SSID, &l), 0);
	assert_int_equal(l.event, SMMU_EVT_F_CD_FETCH);
	assert_int_equal(l.fetch_addr, HOLE);
	assert_false(l.have_cd);
	/* The CD pointer is the STE itself: its bytes are read as a CD, found invalid,
	 * and the overlap is said. */
	ste_s1(w, STRTAB + 64, 0, 0, 0);
	syn_put(s, STRTAB + 64, w, 8);
	assert_int_equal(smmu_stream_lookup(syn_mem(s), &hw, &st, 1, SMMU_NO_SSID, &l), 0);
	assert_int_equal(l.event, SMMU_EVT_C_BAD_CD);
	assert_true(l.overlap);
	assert_non_null(strstr(l.overlap_why, "the CD at 0x40100040 lies inside the stream table"));
	char *t = CAPTURE(smmu_lookup_print(f, &l));
	assert_non_null(strstr(t, "C_BAD_CD at CD"));
	assert_non_null(strstr(t, "note: the CD at 0x40100040"));
	free(t);
	syn_free(s);
}

struct seen {
	unsigned n;
	uint32_t sid[16];
	unsigned event[16];
};

static int collect(void *ctx, const struct smmu_stream_lookup *l)
{
	struct seen *v = ctx;
	if (v->n < 16) {
		v->sid[v->n] = l->sid;
		v->event[v->n] = l->event;
	}
	v->n++;
	return 0;
}

static void test_scan_and_dump(void **state)
{
	struct syn *s = syn_new();
	struct smmu_hw hw = qemu_hw();
	struct smmu_strtab st = linear(8);
	struct seen v = { 0 };
	bool trunc = true;
	uint64_t w[8];

	ste_s1(w, CD0, 0, 0, 0);
	syn_put(s, STRTAB, w, 8);
	cd_good(w, TTB0, 1);
	w[0] &= ~SMMU_CD0_R;
	syn_put(s, CD0, w, 8);
	memset(w, 0, sizeof(w));
	w[0] = SMMU_STE0_V | SMMU_STE0_CONFIG_PUT(SMMU_STE_CFG_BYPASS);
	syn_put(s, STRTAB + 3 * 64, w, 8);
	w[0] = SMMU_STE0_CONFIG_PUT(SMMU_STE_CFG_BYPASS); /* V=0 */
	syn_put(s, STRTAB + 5 * 64, w, 8);
	/* 256 STEs: 16 KiB, of which only the first page exists: the other three
	 * pages are unreadable and visited once each. */
	assert_int_equal(smmu_strtab_scan(syn_mem(s), &hw, &st, 0, collect, &v, &trunc), 0);
	assert_false(trunc);
	assert_int_equal(v.n, 6);
	assert_int_equal(v.sid[0], 0);
	assert_int_equal(v.sid[1], 3);
	assert_int_equal(v.sid[2], 5);
	assert_int_equal(v.event[2], SMMU_EVT_C_BAD_STE);
	assert_int_equal(v.sid[3], 64);
	assert_int_equal(v.event[3], SMMU_EVT_F_STE_FETCH);
	assert_int_equal(v.sid[4], 128);
	assert_int_equal(v.sid[5], 192);
	/* A budget stops it. */
	memset(&v, 0, sizeof(v));
	assert_int_equal(smmu_strtab_scan(syn_mem(s), &hw, &st, 4, collect, &v, &trunc), 0);
	assert_true(trunc);
	assert_int_equal(v.n, 2);

	char *t = CAPTURE(smmu_ctx_dump_print(f, syn_mem(s), &hw, &st, 16));
	assert_non_null(strstr(t, "stream table at 0x40100000: linear, 2^8 stream ids"));
	assert_non_null(strstr(t, "stream 0x0: stage1"));
	assert_non_null(strstr(t, "stream 0x3: bypass"));
	assert_non_null(strstr(t, "stream 0x5: C_BAD_STE at STE"));
	assert_non_null(strstr(t, "(scan stopped after 16 stream table entries)"));
	free(t);
	char *js = NULL;
	size_t n = 0;
	FILE *jf = open_memstream(&js, &n);
	struct ptdbg_json *j = ptdbg_json_new(jf);
	assert_int_equal(smmu_ctx_dump_json(j, syn_mem(s), &hw, &st, 0), 0);
	ptdbg_json_free(j);
	fclose(jf);
	assert_non_null(strstr(js, "\"format\":\"linear\""));
	assert_non_null(strstr(js, "\"event\":\"F_STE_FETCH\""));
	assert_non_null(strstr(js, "\"truncated\":false"));
	free(js);

	/* Two-level: one level-2 table, one invalid descriptor, one unreadable one. */
	struct smmu_strtab st2 = two_level(10, 6);
	syn_put64(s, L1TAB, L2TAB | SMMU_L1STD_SPAN_PUT(2));
	memset(w, 0, sizeof(w));
	w[0] = SMMU_STE0_V | SMMU_STE0_CONFIG_PUT(SMMU_STE_CFG_BYPASS);
	syn_put(s, L2TAB + 64, w, 8);
	syn_put64(s, L1TAB + 8, L2TAB); /* span 0 */
	syn_put64(s, L1TAB + 16, HOLE | SMMU_L1STD_SPAN_PUT(3));
	memset(&v, 0, sizeof(v));
	assert_int_equal(smmu_strtab_scan(syn_mem(s), &hw, &st2, 0, collect, &v, NULL), 0);
	assert_int_equal(v.n, 3);
	assert_int_equal(v.sid[0], 1);
	assert_int_equal(v.sid[1], 64);
	assert_int_equal(v.event[1], SMMU_EVT_C_BAD_STREAMID);
	assert_int_equal(v.sid[2], 128);
	assert_int_equal(v.event[2], SMMU_EVT_F_STE_FETCH);
	t = CAPTURE(smmu_ctx_dump_print(f, syn_mem(s), &hw, &st2, 0));
	assert_non_null(strstr(t, "2-level, 2^10 stream ids, split 6 (16 level-1 descriptors)"));
	free(t);

	/* 2^26 level-1 descriptors that read as zeros: the budget counts them too. */
	struct ptdbg_target *zt = ptdbg_sparse_open(NULL, 0, true, NULL);
	struct ptdbg_mem *zm = ptdbg_mem_new(zt, 0);
	struct smmu_hw any = { 0 };
	struct smmu_strtab big = two_level(32, 6);
	memset(&v, 0, sizeof(v));
	assert_int_equal(smmu_strtab_scan(zm, &any, &big, 1000, collect, &v, &trunc), 0);
	assert_true(trunc);
	assert_int_equal(v.n, 0);
	big.fmt = SMMU_STRTAB_LINEAR;
	assert_int_equal(smmu_strtab_scan(zm, &any, &big, 1000, collect, &v, &trunc), 0);
	assert_true(trunc);
	ptdbg_mem_free(zm);
	ptdbg_target_close(zt);

	char b[32];
	assert_string_equal(smmu_stream_str(0x10, SMMU_NO_SSID, b, sizeof(b)), "0x10");
	assert_string_equal(smmu_stream_str(0x10, 3, b, sizeof(b)), "0x10/3");
	assert_string_equal(smmu_stage_name(SMMU_AT_CD_L1), "CD table");
	assert_string_equal(smmu_xlate_name(SMMU_XL_NESTED), "nested");
	syn_free(s);
}

/* The stream table and hardware from registers. */
static void test_from_regs(void **state)
{
	struct smmu_regs r;
	struct smmu_strtab st;
	struct smmu_hw hw;
	smmu_regs_init(&r, SMMU_BASE);
	smmu_regs_set(&r, SMMU_REG_IDR0, IDR0_QEMU);
	smmu_regs_set(&r, SMMU_REG_IDR1, IDR1_QEMU);
	smmu_regs_set(&r, SMMU_REG_IDR5, IDR5_QEMU);
	smmu_regs_set(&r, SMMU_REG_STRTAB_BASE, SMMU_STRTAB_BASE_RA | 0x40100000 | 0x3f);
	smmu_regs_set(&r, SMMU_REG_STRTAB_BASE_CFG, SMMU_STRTAB_CFG_FMT_PUT(1) |
			  SMMU_STRTAB_CFG_SPLIT_PUT(8) | SMMU_STRTAB_CFG_LOG2SIZE_PUT(16));
	smmu_strtab_from_regs(&st, &r);
	assert_int_equal(st.base, 0x40100000);
	assert_int_equal(st.fmt, 1);
	assert_int_equal(st.split, 8);
	assert_int_equal(st.log2size, 16);
	smmu_hw_from_regs(&hw, &r);
	assert_true(hw.known);
	assert_int_equal(hw.oas, 44);
	assert_int_equal(hw.sidsize, 16);
	assert_int_equal(hw.ssidsize, 0);
	assert_true(hw.s1p);
	assert_false(hw.s2p);
	assert_false(hw.cd2l);
	assert_true(hw.st_2lvl);
	assert_true(hw.term_model);
	assert_int_equal(hw.stall_model, 1);
	assert_int_equal(hw.ttendian, 2);
	assert_int_equal(hw.ttf, 2);
	assert_true(hw.gran4k && hw.gran64k && !hw.gran16k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ste_decode_fields),
		cmocka_unit_test(test_cd_decode_fields),
		cmocka_unit_test(test_cd_invalid_reasons),
		cmocka_unit_test(test_linear_lookup),
		cmocka_unit_test(test_ste_outcomes),
		cmocka_unit_test(test_two_level),
		cmocka_unit_test(test_substreams),
		cmocka_unit_test(test_cd_outcomes),
		cmocka_unit_test(test_scan_and_dump),
		cmocka_unit_test(test_from_regs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
