/* SPDX-License-Identifier: MIT */
/* Unit tests: a stream's IOVA through the STE, the CD and the stage-1 tables with
 * the event the SMMU raises where it stops (smmu_walk.c); finding the SMMU in a
 * device tree and in QEMU's memory tree (smmu_find.c), malformed trees included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ptdbg/hw/arm64.h"
#include "out/json.h"
#include "smmu/smmu_find.h"
#include "smmu/smmu_walk.h"
#include "test_smmu_synth.h"

#define STRTAB 0x40100000ull
#define CD0    0x40110000ull
#define TTB0   0x40150000ull /* L1; L2 at +0x1000, L3 at +0x2000 */
#define PA     0x40300000ull
#define IOVA   0x40200000ull /* L1 index 1, L2 index 1, L3 index 0 */
#define HOLE   0x50000000ull

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

static void put_ste(struct syn *s, uint32_t sid, unsigned config, bool valid)
{
	uint64_t w[8] = { 0 };
	w[0] = (valid ? SMMU_STE0_V : 0) | SMMU_STE0_CONFIG_PUT(config) | (CD0 & SMMU_STE0_S1CTXPTR);
	w[1] = SMMU_STE1_S1CIR_PUT(1) | SMMU_STE1_S1COR_PUT(1) | SMMU_STE1_S1CSH_PUT(3);
	syn_put(s, STRTAB + sid * 64ull, w, 8);
}

/* The CD the kernel writes (39-bit input, 4K granule, 44-bit output), R as given. */
static void put_cd(struct syn *s, uint64_t ttb0, bool record)
{
	uint64_t w[8] = { 0 };
	w[0] = SMMU_CD0_V | SMMU_CD0_AA64 | SMMU_CD0_A | (record ? SMMU_CD0_R : 0) | SMMU_CD0_T0SZ_PUT(25) |
	       SMMU_CD0_TG0_PUT(SMMU_TG0_4K) | SMMU_CD0_IPS_PUT(4) | SMMU_CD0_EPD1 | SMMU_CD0_ASID_PUT(3) |
	       SMMU_CD0_ASET;
	w[1] = ttb0 & SMMU_CD1_TTB0;
	w[3] = 0x44ff04ull;
	syn_put(s, CD0, w, 8);
}

/* Stage-1 tables: IOVA -> PA read-write, IOVA+4K -> PA+4K read-only (both for EL0
 * too: a device's requests are unprivileged), IOVA+8K with AF clear, IOVA+16K
 * read-write for EL1 only; nothing else. */
static void put_tables(struct syn *s)
{
	syn_put64(s, TTB0 + 1 * 8, (TTB0 + 0x1000) | ARM64_DESC_TABLE);
	syn_put64(s, TTB0 + 0x1000 + 1 * 8, (TTB0 + 0x2000) | ARM64_DESC_TABLE);
	syn_put64(s, TTB0 + 0x2000, PA | ARM64_DESC_PAGE | ARM64_DESC_AF | ARM64_DESC_AP_EL0);
	syn_put64(s, TTB0 + 0x2008,
		  (PA + 0x1000) | ARM64_DESC_PAGE | ARM64_DESC_AF | ARM64_DESC_AP_RO | ARM64_DESC_AP_EL0);
	syn_put64(s, TTB0 + 0x2010, (PA + 0x2000) | ARM64_DESC_PAGE | ARM64_DESC_AP_EL0);
	syn_put64(s, TTB0 + 0x2020, (PA + 0x4000) | ARM64_DESC_PAGE | ARM64_DESC_AF);
}

static struct syn *setup(bool record)
{
	struct syn *s = syn_new();
	put_ste(s, 0x10, SMMU_STE_CFG_S1, true);
	put_cd(s, TTB0, record);
	put_tables(s);
	return s;
}

static const struct smmu_strtab st = { STRTAB, SMMU_STRTAB_LINEAR, 6, 0 };

static void test_cpu_of_cd(void **state)
{
	struct smmu_s1_cfg cfg = { .asid = 3, .enabled = { true, false }, .ttb = { TTB0, 0 }, .ias = { 39, 0 },
				   .granule = { 4096, 0 }, .oas = 44, .mair = 0x44ff04 };
	struct ptdbg_arm64_cpu cpu;
	smmu_s1_cpu(&cfg, &cpu);
	assert_int_equal(cpu.tcr & ARM64_TCR_T0SZ_MASK, 25);
	assert_int_equal(cpu.tcr & ARM64_TCR_TG0_MASK, ARM64_TCR_TG0_4K);
	assert_true(cpu.tcr & ARM64_TCR_EPD1);
	assert_false(cpu.tcr & ARM64_TCR_EPD0);
	assert_int_equal((cpu.tcr & ARM64_TCR_IPS_MASK) >> ARM64_TCR_IPS_SHIFT, 4); /* 44 bits */
	assert_false(cpu.tcr & ARM64_TCR_HA);
	assert_int_equal(cpu.ttbr0, TTB0 | 3ull << 48);
	assert_int_equal(cpu.mair, 0x44ff04);
	struct ptdbg_arm64_half h;
	ptdbg_arm64_half_of(&cpu, 0, &h);
	assert_int_equal(h.gshift, 12);
	assert_int_equal(h.va_bits, 39);
	assert_int_equal(h.pa_bits, 44);
	/* the other granules, AFFD as HA, TBI, a 48-bit TTB1 region */
	cfg.granule[0] = 16384;
	cfg.granule[1] = 65536;
	cfg.enabled[1] = true;
	cfg.ias[1] = 48;
	cfg.affd = true;
	cfg.tbi[1] = true;
	cfg.oas = 48;
	smmu_s1_cpu(&cfg, &cpu);
	assert_int_equal(cpu.tcr & ARM64_TCR_TG0_MASK, ARM64_TCR_TG0_16K);
	assert_int_equal(cpu.tcr & ARM64_TCR_TG1_MASK, ARM64_TCR_TG1_64K);
	assert_int_equal((cpu.tcr & ARM64_TCR_T1SZ_MASK) >> ARM64_TCR_T1SZ_SHIFT, 16);
	assert_true(cpu.tcr & ARM64_TCR_HA);
	assert_true(cpu.tcr & ARM64_TCR_TBI1);
	assert_int_equal((cpu.tcr & ARM64_TCR_IPS_MASK) >> ARM64_TCR_IPS_SHIFT, 5);
	ptdbg_arm64_half_of(&cpu, 0, &h);
	assert_int_equal(h.gshift, 14);
	ptdbg_arm64_half_of(&cpu, 1, &h);
	assert_int_equal(h.gshift, 16);
}

static void test_event_of_fsc(void **state)
{
	assert_int_equal(smmu_event_of_fsc(0), 0);
	assert_int_equal(smmu_event_of_fsc(ARM64_FSC_TRANSLATION + 3), SMMU_EVT_F_TRANSLATION);
	assert_int_equal(smmu_event_of_fsc(ARM64_FSC_ADDR_SIZE + 1), SMMU_EVT_F_ADDR_SIZE);
	assert_int_equal(smmu_event_of_fsc(ARM64_FSC_ACCESS_FLAG + 3), SMMU_EVT_F_ACCESS);
	assert_int_equal(smmu_event_of_fsc(ARM64_FSC_PERMISSION + 3), SMMU_EVT_F_PERMISSION);
	assert_int_equal(smmu_event_of_fsc(ARM64_FSC_SEA_WALK + 2), SMMU_EVT_F_WALK_EABT);
}

static void test_translate_outcomes(void **state)
{
	struct syn *s = setup(true);
	struct smmu_hw hw = qemu_hw();
	struct smmu_translation t;

	/* a read and a write of the read-write page */
	for (int wr = 0; wr < 2; wr++) {
		assert_int_equal(smmu_translate(syn_mem(s), &hw, &st, 0x10, SMMU_NO_SSID, IOVA + 0x123, wr, true, &t), 0);
		assert_true(t.translated);
		assert_int_equal(t.pa, PA + 0x123);
		assert_int_equal(t.event, 0);
		assert_true(t.have_cfg);
		assert_int_equal(t.half, 0);
		assert_int_equal(t.tr.nsteps, 3);
	}
	/* the read-only page: reads translate, writes raise F_PERMISSION */
	assert_int_equal(smmu_translate(syn_mem(s), &hw, &st, 0x10, SMMU_NO_SSID, IOVA + 0x1000, false, true, &t), 0);
	assert_true(t.translated);
	assert_int_equal(t.pa, PA + 0x1000);
	assert_int_equal(smmu_translate(syn_mem(s), &hw, &st, 0x10, SMMU_NO_SSID, IOVA + 0x1000, true, true, &t), 0);
	assert_false(t.translated);
	assert_int_equal(t.event, SMMU_EVT_F_PERMISSION);
	assert_true(t.recorded);
	/* AF clear: F_ACCESS */
	assert_int_equal(smmu_translate(syn_mem(s), &hw, &st, 0x10, SMMU_NO_SSID, IOVA + 0x2000, false, true, &t), 0);
	assert_int_equal(t.event, SMMU_EVT_F_ACCESS);
	/* no leaf: F_TRANSLATION at level 3; above the 39-bit input: F_TRANSLATION too */
	assert_int_equal(smmu_translate(syn_mem(s), &hw, &st, 0x10, SMMU_NO_SSID, IOVA + 0x3000, false, true, &t), 0);
	assert_int_equal(t.event, SMMU_EVT_F_TRANSLATION);
	assert_int_equal(arm64_fsc_level(t.tr.fault), 3);
	assert_int_equal(smmu_translate(syn_mem(s), &hw, &st, 0x10, SMMU_NO_SSID, 1ull << 40, false, true, &t), 0);
	assert_int_equal(t.event, SMMU_EVT_F_TRANSLATION);
	assert_false(t.translated);
	/* the EL1-only page: an unprivileged request (STE.PRIVCFG 0: as it comes, a PCIe
	 * request's) raises F_PERMISSION; PRIVCFG 0b11 makes it privileged, 0b10 not */
	assert_int_equal(smmu_translate(syn_mem(s), &hw, &st, 0x10, SMMU_NO_SSID, IOVA + 0x4000, false, true, &t), 0);
	assert_false(t.privileged);
	assert_false(t.translated);
	assert_int_equal(t.event, SMMU_EVT_F_PERMISSION);
	uint64_t ste1 = SMMU_STE1_S1CIR_PUT(1) | SMMU_STE1_S1COR_PUT(1) | SMMU_STE1_S1CSH_PUT(3);
	syn_put64(s, STRTAB + 0x10 * 64ull + 8, ste1 | PTDBG_FIELD_PUT(SMMU_STE1_PRIVCFG_MASK, 3));
	assert_int_equal(smmu_translate(syn_mem(s), &hw, &st, 0x10, SMMU_NO_SSID, IOVA + 0x4000, true, true, &t), 0);
	assert_true(t.privileged);
	assert_true(t.translated);
	assert_int_equal(t.pa, PA + 0x4000);
	syn_put64(s, STRTAB + 0x10 * 64ull + 8, ste1 | PTDBG_FIELD_PUT(SMMU_STE1_PRIVCFG_MASK, 2));
	assert_int_equal(smmu_translate(syn_mem(s), &hw, &st, 0x10, SMMU_NO_SSID, IOVA + 0x4000, false, true, &t), 0);
	assert_false(t.privileged);
	assert_int_equal(t.event, SMMU_EVT_F_PERMISSION);
	syn_put64(s, STRTAB + 0x10 * 64ull + 8, ste1);
	/* the event queue off: raised, not recorded */
	assert_int_equal(smmu_translate(syn_mem(s), &hw, &st, 0x10, SMMU_NO_SSID, IOVA + 0x3000, false, false, &t), 0);
	assert_int_equal(t.event, SMMU_EVT_F_TRANSLATION);
	assert_false(t.recorded);
	assert_non_null(strstr(t.why, "event queue is off"));
	syn_free(s);
}

static void test_translate_hidden_and_config(void **state)
{
	struct smmu_hw hw = qemu_hw();
	struct smmu_translation t;
	/* CD.R=0: the fault is raised but not recorded */
	struct syn *s = setup(false);
	assert_int_equal(smmu_translate(syn_mem(s), &hw, &st, 0x10, SMMU_NO_SSID, IOVA + 0x3000, true, true, &t), 0);
	assert_int_equal(t.event, SMMU_EVT_F_TRANSLATION);
	assert_false(t.recorded);
	assert_non_null(strstr(t.why, "R=0"));
	/* the tables in a hole: F_WALK_EABT, recorded whatever R says */
	put_cd(s, HOLE, false);
	assert_int_equal(smmu_translate(syn_mem(s), &hw, &st, 0x10, SMMU_NO_SSID, IOVA, false, true, &t), 0);
	assert_int_equal(t.event, SMMU_EVT_F_WALK_EABT);
	assert_true(t.recorded);
	/* bypass: the IOVA is the PA; abort: terminated without an event */
	put_ste(s, 0x11, SMMU_STE_CFG_BYPASS, true);
	put_ste(s, 0x12, SMMU_STE_CFG_ABORT, true);
	put_ste(s, 0x13, SMMU_STE_CFG_S1, false);
	assert_int_equal(smmu_translate(syn_mem(s), &hw, &st, 0x11, SMMU_NO_SSID, 0x1234, true, true, &t), 0);
	assert_true(t.translated);
	assert_int_equal(t.pa, 0x1234);
	assert_false(t.have_cfg);
	assert_int_equal(smmu_translate(syn_mem(s), &hw, &st, 0x12, SMMU_NO_SSID, 0x1234, true, true, &t), 0);
	assert_false(t.translated);
	assert_int_equal(t.event, 0);
	/* an invalid STE, a stream beyond the table */
	assert_int_equal(smmu_translate(syn_mem(s), &hw, &st, 0x13, SMMU_NO_SSID, 0x1234, true, true, &t), 0);
	assert_int_equal(t.event, SMMU_EVT_C_BAD_STE);
	assert_int_equal(smmu_translate(syn_mem(s), &hw, &st, 0x1000, SMMU_NO_SSID, 0x1234, true, true, &t), 0);
	assert_int_equal(t.event, SMMU_EVT_C_BAD_STREAMID);
	assert_false(t.translated);
	syn_free(s);
}

static void test_print_and_callback(void **state)
{
	struct syn *s = setup(true);
	struct smmu_hw hw = qemu_hw();
	struct smmu_translation t;
	assert_int_equal(smmu_translate(syn_mem(s), &hw, &st, 0x10, SMMU_NO_SSID, IOVA, true, true, &t), 0);
	char *txt = CAPTURE(smmu_translation_print(f, &t));
	assert_non_null(strstr(txt, "write of IOVA 0x40200000 by stream 0x10"));
	assert_non_null(strstr(txt, "L3 desc"));
	assert_non_null(strstr(txt, "result: IOVA 0x40200000 -> physical 0x40300000"));
	free(txt);
	assert_int_equal(smmu_translate(syn_mem(s), &hw, &st, 0x10, SMMU_NO_SSID, IOVA + 0x3000, false, true, &t), 0);
	txt = CAPTURE(smmu_translation_print(f, &t));
	assert_non_null(strstr(txt, "result: the SMMU raises F_TRANSLATION"));
	assert_non_null(strstr(txt, "recorded in the event queue"));
	free(txt);
	txt = CAPTURE({
		struct ptdbg_json *j = ptdbg_json_new(f);
		smmu_translation_json(j, &t);
		ptdbg_json_free(j);
	});
	assert_non_null(strstr(txt, "\"event\":\"F_TRANSLATION\""));
	assert_non_null(strstr(txt, "\"translated\":false"));
	free(txt);
	/* the checker's callback */
	struct smmu_s1_cfg cfg = { .enabled = { true, false }, .ttb = { TTB0, 0 }, .ias = { 39, 0 },
				   .granule = { 4096, 0 }, .oas = 44 };
	uint64_t pa = 0;
	assert_int_equal(smmu_s1_translate(syn_mem(s), &cfg, IOVA + 8, true, &pa), 1);
	assert_int_equal(pa, PA + 8);
	assert_int_equal(smmu_s1_translate(syn_mem(s), &cfg, IOVA + 0x1000, true, &pa), 0);
	assert_int_equal(smmu_s1_translate(syn_mem(s), &cfg, IOVA + 0x1000, false, &pa), 1);
	syn_free(s);
}

/* ---- device trees ---- */

struct fdt {
	uint8_t s[2048], strs[256];
	size_t n, ns;
};

static void be32_put(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}
static void tok(struct fdt *f, uint32_t v)
{
	be32_put(f->s + f->n, v);
	f->n += 4;
}
static void node(struct fdt *f, const char *name)
{
	tok(f, 1);
	size_t l = strlen(name) + 1;
	memcpy(f->s + f->n, name, l);
	f->n += (l + 3) & ~(size_t)3;
}
static void prop(struct fdt *f, const char *name, const void *v, uint32_t len)
{
	tok(f, 3);
	tok(f, len);
	tok(f, (uint32_t)f->ns);
	memcpy(f->strs + f->ns, name, strlen(name) + 1);
	f->ns += strlen(name) + 1;
	memcpy(f->s + f->n, v, len);
	f->n += (len + 3) & ~(size_t)3;
}
static void prop_u32s(struct fdt *f, const char *name, const uint32_t *v, unsigned n)
{
	uint8_t b[32];
	for (unsigned i = 0; i < n; i++)
		be32_put(b + 4 * i, v[i]);
	prop(f, name, b, 4 * n);
}
/* The blob (header, structure block, strings) into out; its size. */
static size_t blob(const struct fdt *f, uint8_t *out)
{
	size_t off_s = 40, off_str = off_s + f->n, total = off_str + f->ns;
	memset(out, 0, 40);
	be32_put(out, 0xd00dfeed);
	be32_put(out + 4, (uint32_t)total);
	be32_put(out + 8, (uint32_t)off_s);
	be32_put(out + 12, (uint32_t)off_str);
	be32_put(out + 20, 17);
	be32_put(out + 32, (uint32_t)f->ns);
	be32_put(out + 36, (uint32_t)f->n);
	memcpy(out + off_s, f->s, f->n);
	memcpy(out + off_str, f->strs, f->ns);
	return total;
}

/* A tree like QEMU's virt: root with 2 address cells, a PCIe node, the SMMU. */
static size_t virt_tree(uint8_t *out, const char *compat, size_t clen, bool with_reg)
{
	struct fdt f = { .n = 0 };
	uint32_t two = 2, reg[4] = { 0, 0x09050000, 0, 0x20000 };
	node(&f, "");
	prop_u32s(&f, "#address-cells", &two, 1);
	node(&f, "pcie@10000000");
	prop(&f, "compatible", "pci-host-ecam-generic", 22);
	tok(&f, 2);
	node(&f, "smmuv3@9050000");
	if (with_reg)
		prop_u32s(&f, "reg", reg, 4);
	prop(&f, "compatible", compat, (uint32_t)clen);
	tok(&f, 2);
	tok(&f, 2);
	tok(&f, 9);
	return blob(&f, out);
}

static void test_fdt(void **state)
{
	uint8_t b[4096];
	uint64_t base = 0;
	size_t n = virt_tree(b, "arm,smmu-v3", 12, true);
	assert_int_equal(smmu_fdt_find(b, n, &base), 1);
	assert_int_equal(base, 0x09050000);
	/* compatible as a list */
	n = virt_tree(b, "vendor,x\0arm,smmu-v3", 21, true);
	base = 0;
	assert_int_equal(smmu_fdt_find(b, n, &base), 1);
	assert_int_equal(base, 0x09050000);
	/* no such node, a node without reg, a prefix only */
	n = virt_tree(b, "arm,smmu-v2", 12, true);
	assert_int_equal(smmu_fdt_find(b, n, &base), 0);
	n = virt_tree(b, "arm,smmu-v3", 12, false);
	assert_int_equal(smmu_fdt_find(b, n, &base), 0);
	n = virt_tree(b, "arm,smmu-v3x", 13, true);
	assert_int_equal(smmu_fdt_find(b, n, &base), 0);
	/* malformed: magic, truncated, sizes past the blob, an unknown token, a property
	 * longer than the block, a name offset past the strings */
	n = virt_tree(b, "arm,smmu-v3", 12, true);
	uint8_t c[4096];
	memcpy(c, b, n);
	c[0] = 0;
	assert_int_equal(smmu_fdt_find(c, n, &base), -1);
	assert_int_equal(smmu_fdt_find(b, 39, &base), -1);
	assert_int_equal(smmu_fdt_find(b, n - 1, &base), -1);
	memcpy(c, b, n);
	be32_put(c + 36, 0x7fffffff);
	assert_int_equal(smmu_fdt_find(c, n, &base), -1);
	memcpy(c, b, n);
	be32_put(c + 40, 7); /* first token */
	assert_int_equal(smmu_fdt_find(c, n, &base), -1);
	memcpy(c, b, n);
	be32_put(c + 40 + 8 + 4, 0xffffff00); /* #address-cells' length */
	assert_int_equal(smmu_fdt_find(c, n, &base), -1);
	memcpy(c, b, n);
	be32_put(c + 40 + 8 + 8, 0xfff0); /* its name offset */
	assert_int_equal(smmu_fdt_find(c, n, &base), -1);
	/* nesting deeper than 32 */
	struct fdt f = { .n = 0 };
	for (int i = 0; i < 40; i++)
		node(&f, "n");
	n = blob(&f, b);
	assert_int_equal(smmu_fdt_find(b, n, &base), -1);
	/* every truncation of a good tree ends cleanly */
	n = virt_tree(b, "arm,smmu-v3", 12, true);
	for (size_t k = 40; k < n; k += 4) {
		memcpy(c, b, n);
		be32_put(c + 36, (uint32_t)(k - 40));
		int rc = smmu_fdt_find(c, n, &base);
		assert_true(rc == -1 || rc == 0 || rc == 1);
	}
}

static void test_fdt_mem(void **state)
{
	struct syn *s = syn_new();
	uint8_t b[4096];
	size_t n = virt_tree(b, "arm,smmu-v3", 12, true);
	uint8_t *p = syn_page(s, SMMU_FDT_VIRT_PA);
	memcpy(p, b, n);
	uint64_t base = 0;
	assert_int_equal(smmu_fdt_find_mem(syn_target(s), SMMU_FDT_VIRT_PA, &base), 1);
	assert_int_equal(base, 0x09050000);
	/* nothing there, a hole, a header claiming more than is readable */
	assert_int_equal(smmu_fdt_find_mem(syn_target(s), SMMU_FDT_VIRT_PA + 0x800, &base), 0);
	assert_int_equal(smmu_fdt_find_mem(syn_target(s), HOLE, &base), 0);
	/* padding past the readable page is not read: still found */
	be32_put(p + 4, 0x10000);
	assert_int_equal(smmu_fdt_find_mem(syn_target(s), SMMU_FDT_VIRT_PA, &base), 1);
	be32_put(p + 32, 0x8000); /* a strings block running into the hole */
	assert_int_equal(smmu_fdt_find_mem(syn_target(s), SMMU_FDT_VIRT_PA, &base), 0);
	syn_free(s);
}

static void test_mtree(void **state)
{
	const char *t = "FlatView #0\n AS \"memory\", root: system\nRoot memory region: system\n"
			"  0000000009040000-0000000009040fff (prio 0, i/o): pl061\r\n"
			"  0000000009050000-000000000906ffff (prio 0, i/o): arm-smmuv3\r\n"
			"FlatView #5\n AS \"smmuv3-iommu-memory-region-16-1\", root: smmuv3-iommu-memory-region-16-1\n"
			"  0000000000000000-0000ffffffffffff (prio 0, i/o): smmuv3-iommu-memory-region-16-1\n";
	uint64_t base = 0;
	assert_true(smmu_mtree_find(t, &base));
	assert_int_equal(base, 0x09050000);
	assert_false(smmu_mtree_find("  0000000000000000-0000ffffffffffff (prio 0, i/o): smmuv3-iommu-memory-region-16-1\n",
				     &base));
	assert_false(smmu_mtree_find("", &base));
	assert_false(smmu_mtree_find("arm-smmuv3\n: arm-smmuv3 i/o\n", &base));
	assert_true(smmu_mtree_find("  0000000008000000-000000000801ffff (prio 0, i/o): smmuv3", &base));
	assert_int_equal(base, 0x08000000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpu_of_cd),
		cmocka_unit_test(test_event_of_fsc),
		cmocka_unit_test(test_translate_outcomes),
		cmocka_unit_test(test_translate_hidden_and_config),
		cmocka_unit_test(test_print_and_callback),
		cmocka_unit_test(test_fdt),
		cmocka_unit_test(test_fdt_mem),
		cmocka_unit_test(test_mtree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
