/* SPDX-License-Identifier: MIT */
/* Unit tests: the AArch64 translation declarations (include/ptdbg/hw/arm64.h) that
 * the kernel and the tools share, against values from the Arm ARM and from what
 * QEMU 7.2's virt machine reported to the reference kernel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ptdbg/hw/arm64.h"

/* The write-up's geometry, corrected (shared/BUGS.md section 4), and the others. */
static void test_start_level_and_entries(void **state)
{
	static const struct { unsigned ia, g; int level; unsigned entries; } cases[] = {
		{ 36, 12, 1, 64 },   { 36, 14, 2, 2048 }, { 36, 16, 2, 128 },
		{ 39, 12, 1, 512 },  { 39, 14, 1, 8 },    { 39, 16, 2, 1024 },
		{ 48, 12, 0, 512 },  { 48, 14, 0, 2 },    { 48, 16, 1, 64 },
		{ 42, 16, 2, 8192 }, { 25, 12, 2, 16 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(arm64_start_level(cases[i].ia, cases[i].g), cases[i].level);
		assert_int_equal(arm64_start_entries(cases[i].ia, cases[i].g), cases[i].entries);
		assert_int_equal(arm64_start_level_txsz(64 - cases[i].ia, cases[i].g), cases[i].level);
	}
}

static void test_level_sizes_and_indexes(void **state)
{
	assert_int_equal(arm64_level_shift(12, 3), 12);
	assert_int_equal(arm64_level_shift(12, 2), 21);
	assert_int_equal(arm64_level_shift(12, 1), 30);
	assert_int_equal(arm64_level_shift(12, 0), 39);
	assert_int_equal(arm64_level_shift(14, 2), 25);
	assert_int_equal(arm64_level_shift(16, 2), 29);
	assert_int_equal(arm64_level_shift(16, 1), 42);
	assert_int_equal(arm64_bits_per_level(14), 11);
	assert_int_equal(arm64_entries_per_table(16), 8192);
	/* the seed's kernel address: 0xfffffff040010000 in a 36-bit, 4 KiB space */
	uint64_t va = 0xfffffff040010000ull;
	assert_int_equal(arm64_level_index(va, 12, 1) & 63, 1);
	assert_int_equal(arm64_level_index(va, 12, 2), 0);
	assert_int_equal(arm64_level_index(va, 12, 3), 0x10);
}

static void test_blocks(void **state)
{
	assert_true(arm64_block_allowed(12, 1, 0) && arm64_block_allowed(12, 2, 0));
	assert_false(arm64_block_allowed(12, 0, 0));
	assert_true(arm64_block_allowed(12, 0, 1));
	assert_false(arm64_block_allowed(12, 3, 0)); /* level 3: pages only */
	assert_true(arm64_block_allowed(14, 2, 0));
	assert_false(arm64_block_allowed(14, 1, 0));
	assert_true(arm64_block_allowed(16, 2, 0));
	assert_false(arm64_block_allowed(16, 1, 0));
	assert_true(arm64_block_allowed(16, 1, 1));
	assert_int_equal(arm64_desc_oa_mask(12, 1), ARM64_DESC_OA_4K_L1BLK);
	assert_int_equal(arm64_desc_oa_mask(12, 2), ARM64_DESC_OA_4K_L2BLK);
	assert_int_equal(arm64_desc_oa_mask(14, 2), ARM64_DESC_OA_16K_L2BLK);
	assert_int_equal(arm64_desc_oa_mask(16, 2), ARM64_DESC_OA_64K_L2BLK);
	assert_int_equal(arm64_desc_oa_mask(16, 3), ARM64_DESC_OA_64K_PAGE);
	assert_int_equal(arm64_table_addr_mask(14), ARM64_DESC_OA_16K_PAGE);
}

/* A descriptor the kernel wrote for its text (4 KiB granule): page, AttrIndx 0,
 * inner shareable, AF, AP read-only at EL1, UXN. */
static void test_descriptor_fields(void **state)
{
	uint64_t d = 0x0040000040200783ull;
	assert_int_equal(d & ARM64_DESC_TYPE_MASK, ARM64_DESC_PAGE);
	assert_int_equal((d & ARM64_DESC_ATTRINDX_MASK) >> ARM64_DESC_ATTRINDX_SHIFT, 0);
	assert_int_equal(d & ARM64_DESC_AP_MASK, ARM64_AP_RO_EL1);
	assert_int_equal(d & ARM64_DESC_SH_MASK, ARM64_SH_INNER);
	assert_true(d & ARM64_DESC_AF);
	assert_true(d & ARM64_DESC_UXN);
	assert_false(d & ARM64_DESC_PXN);
	assert_int_equal(d & ARM64_DESC_OA_4K_PAGE, 0x40200000);
	assert_int_equal(ARM64_DESC_SW(0), 1ull << 55);
	assert_int_equal(ARM64_TABLE_AP_MASK, 3ull << 61);
	assert_int_equal(ARM64_TABLE_NS, 1ull << 63);
	assert_int_equal(ARM64_DESC_UPPER_MASK & ARM64_DESC_LOWER_MASK, 0);
}

/* TG0 and TG1 encode the granules differently. */
static void test_tcr(void **state)
{
	uint64_t tcr = 0x4b51c351cull; /* the kernel's, 4 KiB, 36-bit, IPS 44 bits */
	assert_int_equal(arm64_tcr_t0sz(tcr), 28);
	assert_int_equal(arm64_tcr_t1sz(tcr), 28);
	assert_int_equal(arm64_tcr_tg0_shift(tcr), 12);
	assert_int_equal(arm64_tcr_tg1_shift(tcr), 12);
	assert_int_equal(arm64_pa_bits((unsigned)((tcr & ARM64_TCR_IPS_MASK) >> ARM64_TCR_IPS_SHIFT)), 44);
	for (unsigned g = 12; g <= 16; g += 2) {
		assert_int_equal(arm64_tcr_tg0_shift(arm64_tcr_tg0(g)), g);
		assert_int_equal(arm64_tcr_tg1_shift(arm64_tcr_tg1(g)), g);
	}
	assert_int_not_equal(ARM64_TCR_TG0_16K >> ARM64_TCR_TG0_SHIFT, ARM64_TCR_TG1_16K >> ARM64_TCR_TG1_SHIFT);
	assert_int_equal(arm64_tcr_tg1_shift(0), 0); /* TG1 = 0 is reserved */
	for (unsigned b = 32; b <= 52; b++)
		if (arm64_pa_enc(b) >= 0)
			assert_int_equal(arm64_pa_bits((unsigned)arm64_pa_enc(b)), b);
}

static void test_syndromes(void **state)
{
	/* bug=no-identity-map: the fetch after SCTLR_EL1.M */
	uint64_t esr = 0x86000005ull;
	assert_int_equal(arm64_esr_ec(esr), ARM64_EC_IABT_CUR);
	assert_int_equal(arm64_fsc_kind(esr & ARM64_ISS_FSC_MASK), ARM64_FSC_TRANSLATION);
	assert_int_equal(arm64_fsc_level(esr & ARM64_ISS_FSC_MASK), 1);
	/* bug=wronly-loop: a write from EL0, translation fault at level 3 */
	esr = 0x92000047ull;
	assert_int_equal(arm64_esr_ec(esr), ARM64_EC_DABT_LOW);
	assert_true(esr & ARM64_ISS_WNR);
	assert_int_equal(arm64_fsc_level(esr & ARM64_ISS_FSC_MASK), 3);
	/* attack: a permission fault at level 3 */
	assert_int_equal(arm64_fsc_kind(0x0f), ARM64_FSC_PERMISSION);
	assert_int_equal(arm64_fsc_level(0x21), -2); /* alignment: no level */
	assert_int_equal(arm64_fsc_level(ARM64_FSC_TRANS_LM1), -1);
	assert_int_equal(arm64_esr_ec(0x56000000ull), ARM64_EC_SVC64);
}

static void test_id_registers_and_psr(void **state)
{
	uint64_t a57 = 0x1124, max = 0x32310201126ull; /* as QEMU 7.2 reports them */
	assert_true(arm64_mmfr0_has_granule(a57, 12) && arm64_mmfr0_has_granule(a57, 16));
	assert_false(arm64_mmfr0_has_granule(a57, 14));
	assert_true(arm64_mmfr0_has_granule(max, 14));
	assert_int_equal(arm64_pa_bits(arm64_idfield(a57, ARM64_MMFR0_PARANGE_SHIFT)), 44);
	assert_int_equal(arm64_pa_bits(arm64_idfield(max, ARM64_MMFR0_PARANGE_SHIFT)), 52);
	assert_int_equal(arm64_psr_el(0x3c5), 1);
	assert_int_equal(arm64_psr_el(0x0), 0);
	assert_int_equal(arm64_psr_el(ARM64_PSR_M_EL2h), 2);
	assert_int_equal(ARM64_SCTLR_RES1, 0x30d00800ull);
	assert_true(arm64_mair_is_device(ARM64_MAIR_GET(0x440400ffull, 1)));
	assert_false(arm64_mair_is_device(ARM64_MAIR_GET(0x440400ffull, 0)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_level_and_entries),
		cmocka_unit_test(test_level_sizes_and_indexes),
		cmocka_unit_test(test_blocks),
		cmocka_unit_test(test_descriptor_fields),
		cmocka_unit_test(test_tcr),
		cmocka_unit_test(test_syndromes),
		cmocka_unit_test(test_id_registers_and_psr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
