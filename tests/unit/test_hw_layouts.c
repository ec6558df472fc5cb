/* SPDX-License-Identifier: MIT */
/*
 * Unit tests: the hardware layouts of include/ptdbg/hw/ against the tools' field
 * tables (vtd_bits.c) and the specifications' values. The two are written
 * independently (masks in the header, bit positions in the tables), so each checks
 * the other; the reserved bits the header derives must be the tables' RSVD fields.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ptdbg/hw/acpi_dmar.h"
#include "ptdbg/hw/acpi_iort.h"
#include "ptdbg/hw/x86.h"
#include "vtd/vtd_bits.h"

/* The bits of word `word` that fields of l named `name` (NULL: every RSVD field)
 * cover. */
static uint64_t layout_mask(const struct ptdbg_layout *l, const char *name, unsigned word)
{
	uint64_t m = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct ptdbg_field *f = &l->fields[i];
		if (name ? strcmp(f->name, name) != 0 : f->kind != PTDBG_FK_RSVD)
			continue;
		for (unsigned b = f->lsb; b < (unsigned)f->lsb + f->width; b++)
			if (b / 64 == word)
				m |= 1ull << (b % 64);
	}
	return m;
}

/* Derived reserved masks (at an address width of 64, no address bit is reserved)
 * are exactly the RSVD fields of the tools' entry tables, word by word. */
static void test_entry_reserved_bits_match_the_tables(void **state)
{
	const uint64_t all = ~0ull;
	struct { const struct ptdbg_layout *l; unsigned word; uint64_t derived; } c[] = {
		{ &vtd_layout_root, 0, vtd_root_lo_rsvd(64) },
		{ &vtd_layout_root, 1, all },
		{ &vtd_layout_smroot, 0, vtd_smroot_rsvd(64) },
		{ &vtd_layout_smroot, 1, vtd_smroot_rsvd(64) },
		{ &vtd_layout_ctx, 0, vtd_ctx_lo_rsvd(64) },
		{ &vtd_layout_ctx, 1, VTD_CTX_HI_RSVD },
		{ &vtd_layout_smctx, 0, vtd_smctx_w0_rsvd(64) },
		{ &vtd_layout_smctx, 1, VTD_SMCTX_W1_RSVD },
		{ &vtd_layout_smctx, 2, all },
		{ &vtd_layout_smctx, 3, all },
		{ &vtd_layout_pasid_dir, 0, vtd_pde_rsvd(64) },
		{ &vtd_layout_pasid_entry, 0, vtd_pe_w0_rsvd(64) },
		{ &vtd_layout_pasid_entry, 1, VTD_PE_W1_RSVD },
		{ &vtd_layout_pasid_entry, 2, vtd_pe_w2_rsvd(64) },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		uint64_t t = layout_mask(c[i].l, NULL, c[i].word);
		if (t != c[i].derived)
			fail_msg("%s word %u: table reserves %#llx, the header %#llx", c[i].l->name,
				 c[i].word, (unsigned long long)t, (unsigned long long)c[i].derived);
	}
	for (unsigned w = 3; w < VTD_PE_WORDS; w++)
		assert_int_equal(layout_mask(&vtd_layout_pasid_entry, NULL, w), all);
	/* The same values as the specification's tables (VT-d 9.1-9.6). */
	assert_int_equal(vtd_root_lo_rsvd(64), 0xffeull);
	assert_int_equal(vtd_ctx_lo_rsvd(64), 0xff0ull);
	assert_int_equal(VTD_CTX_HI_RSVD, 0xffffffffff000080ull);
	assert_int_equal(vtd_smctx_w0_rsvd(64), 0x1e0ull);
	assert_int_equal(VTD_SMCTX_W1_RSVD, 0xffffffffffe00000ull);
	assert_int_equal(vtd_pde_rsvd(64), 0xffcull);
	assert_int_equal(vtd_pe_w0_rsvd(64), 0xc00ull);
	assert_int_equal(VTD_PE_W1_RSVD, 0x7f0000ull);
	assert_int_equal(vtd_pe_w2_rsvd(64), 0xf00ull);
}

/* Address bits at and above the host address width are reserved in every pointer. */
static void test_reserved_bits_follow_the_address_width(void **state)
{
	assert_int_equal(vtd_addr_rsvd(39), ~((1ull << 39) - 1));
	assert_int_equal(vtd_addr_rsvd(0), ~((1ull << 52) - 1)); /* 0: the architectural 52 */
	assert_int_equal(vtd_addr_rsvd(64), 0);
	assert_int_equal(vtd_root_lo_rsvd(39), 0xffeull | ~((1ull << 39) - 1));
	assert_int_equal(vtd_pe_w2_rsvd(48), 0xf00ull | ~((1ull << 48) - 1));

	/* Second level (VT-d 9.8): bits 51:haw; TM unless a leaf with ECAP.DT; SNP
	 * unless a leaf with ECAP.SC; PS in a table entry at level 4 or 5; the address
	 * bits under a 2 MiB / 1 GiB superpage. Bits 63 and 61:52 are ignored. */
	const uint64_t hi = PTDBG_GENMASK(51, 48);
	assert_int_equal(vtd_sl_rsvd(48, 1, true, false, false), hi | VTD_SL_TM | VTD_SL_SNP);
	assert_int_equal(vtd_sl_rsvd(48, 1, true, true, true), hi);
	assert_int_equal(vtd_sl_rsvd(48, 2, true, true, true), hi | 0x1ff000ull);
	assert_int_equal(vtd_sl_rsvd(48, 3, true, true, true), hi | 0x3ffff000ull);
	assert_int_equal(vtd_sl_rsvd(48, 4, false, true, true), hi | VTD_SL_TM | VTD_SL_SNP | VTD_SL_PS);
	assert_int_equal(vtd_sl_rsvd(48, 3, false, true, true), hi | VTD_SL_TM | VTD_SL_SNP);
	assert_int_equal(vtd_sl_rsvd(64, 1, true, true, true) & VTD_SL_IGNORED, 0);
}

/* Named fields: the header's masks sit where the tables put the fields. */
static void test_fields_match_the_tables(void **state)
{
	struct { const struct ptdbg_layout *l; const char *name; unsigned word; uint64_t mask; } c[] = {
		{ &vtd_layout_cap, "ND", 0, VTD_CAP_ND_MASK },
		{ &vtd_layout_cap, "CM", 0, VTD_CAP_CM },
		{ &vtd_layout_cap, "SAGAW", 0, VTD_CAP_SAGAW_MASK },
		{ &vtd_layout_cap, "MGAW", 0, VTD_CAP_MGAW_MASK },
		{ &vtd_layout_cap, "FRO", 0, VTD_CAP_FRO_MASK },
		{ &vtd_layout_cap, "SLLPS", 0, VTD_CAP_SLLPS_MASK },
		{ &vtd_layout_cap, "PSI", 0, VTD_CAP_PSI },
		{ &vtd_layout_cap, "NFR", 0, VTD_CAP_NFR_MASK },
		{ &vtd_layout_cap, "MAMV", 0, VTD_CAP_MAMV_MASK },
		{ &vtd_layout_ecap, "C", 0, VTD_ECAP_C },
		{ &vtd_layout_ecap, "QI", 0, VTD_ECAP_QI },
		{ &vtd_layout_ecap, "DT", 0, VTD_ECAP_DT },
		{ &vtd_layout_ecap, "IR", 0, VTD_ECAP_IR },
		{ &vtd_layout_ecap, "EIM", 0, VTD_ECAP_EIM },
		{ &vtd_layout_ecap, "PT", 0, VTD_ECAP_PT },
		{ &vtd_layout_ecap, "SC", 0, VTD_ECAP_SC },
		{ &vtd_layout_ecap, "IRO", 0, VTD_ECAP_IRO_MASK },
		{ &vtd_layout_ecap, "SRS", 0, VTD_ECAP_SRS },
		{ &vtd_layout_ecap, "PSS", 0, VTD_ECAP_PSS_MASK },
		{ &vtd_layout_ecap, "PASID", 0, VTD_ECAP_PASID },
		{ &vtd_layout_ecap, "SMTS", 0, VTD_ECAP_SMTS },
		{ &vtd_layout_ecap, "SLADS", 0, VTD_ECAP_SLADS },
		{ &vtd_layout_ecap, "SLTS", 0, VTD_ECAP_SLTS },
		{ &vtd_layout_ecap, "FLTS", 0, VTD_ECAP_FLTS },
		{ &vtd_layout_gcmd, "TE", 0, VTD_GCMD_TE },
		{ &vtd_layout_gcmd, "SRTP", 0, VTD_GCMD_SRTP },
		{ &vtd_layout_gcmd, "SFL", 0, VTD_GCMD_SFL },
		{ &vtd_layout_gcmd, "EAFL", 0, VTD_GCMD_EAFL },
		{ &vtd_layout_gcmd, "WBF", 0, VTD_GCMD_WBF },
		{ &vtd_layout_gcmd, "QIE", 0, VTD_GCMD_QIE },
		{ &vtd_layout_gcmd, "IRE", 0, VTD_GCMD_IRE },
		{ &vtd_layout_gcmd, "SIRTP", 0, VTD_GCMD_SIRTP },
		{ &vtd_layout_gcmd, "CFI", 0, VTD_GCMD_CFI },
		{ &vtd_layout_gsts, "TES", 0, VTD_GSTS_TES },
		{ &vtd_layout_gsts, "RTPS", 0, VTD_GSTS_RTPS },
		{ &vtd_layout_gsts, "IRTPS", 0, VTD_GSTS_IRTPS },
		{ &vtd_layout_gsts, "CFIS", 0, VTD_GSTS_CFIS },
		{ &vtd_layout_rtaddr, "TTM", 0, VTD_RTADDR_TTM_MASK },
		{ &vtd_layout_rtaddr, "RTA", 0, VTD_RTADDR_ADDR },
		{ &vtd_layout_ccmd, "ICC", 0, VTD_CCMD_ICC },
		{ &vtd_layout_ccmd, "CIRG", 0, VTD_CCMD_CIRG_MASK },
		{ &vtd_layout_ccmd, "CAIG", 0, VTD_CCMD_CAIG_MASK },
		{ &vtd_layout_fsts, "PFO", 0, VTD_FSTS_PFO },
		{ &vtd_layout_fsts, "PPF", 0, VTD_FSTS_PPF },
		{ &vtd_layout_fsts, "IQE", 0, VTD_FSTS_IQE },
		{ &vtd_layout_fsts, "ICE", 0, VTD_FSTS_ICE },
		{ &vtd_layout_fsts, "ITE", 0, VTD_FSTS_ITE },
		{ &vtd_layout_fsts, "FRI", 0, VTD_FSTS_FRI_MASK },
		{ &vtd_layout_root, "P", 0, VTD_ROOT_P },
		{ &vtd_layout_root, "CTP", 0, VTD_ROOT_CTP },
		{ &vtd_layout_smroot, "UP", 1, VTD_SMROOT_UP },
		{ &vtd_layout_smroot, "UCTP", 1, VTD_SMROOT_UCTP },
		{ &vtd_layout_ctx, "P", 0, VTD_CTX_P },
		{ &vtd_layout_ctx, "FPD", 0, VTD_CTX_FPD },
		{ &vtd_layout_ctx, "TT", 0, VTD_CTX_TT_MASK },
		{ &vtd_layout_ctx, "SLPTPTR", 0, VTD_CTX_SLPTPTR },
		{ &vtd_layout_ctx, "AW", 1, VTD_CTX_AW_MASK },
		{ &vtd_layout_ctx, "AVAIL", 1, VTD_CTX_AVAIL_MASK },
		{ &vtd_layout_ctx, "DID", 1, VTD_CTX_DID_MASK },
		{ &vtd_layout_smctx, "PDTS", 0, VTD_SMCTX_PDTS_MASK },
		{ &vtd_layout_smctx, "PASIDDIRPTR", 0, VTD_SMCTX_PASIDDIRPTR },
		{ &vtd_layout_smctx, "RID_PASID", 1, VTD_SMCTX_RID_PASID_MASK },
		{ &vtd_layout_smctx, "RID_PRIV", 1, VTD_SMCTX_RID_PRIV },
		{ &vtd_layout_pasid_dir, "SMPTBLPTR", 0, VTD_PDE_PTP },
		{ &vtd_layout_pasid_entry, "AW", 0, VTD_PE_AW_MASK },
		{ &vtd_layout_pasid_entry, "PGTT", 0, VTD_PE_PGTT_MASK },
		{ &vtd_layout_pasid_entry, "SLPTPTR", 0, VTD_PE_SLPTPTR },
		{ &vtd_layout_pasid_entry, "DID", 1, VTD_PE_DID_MASK },
		{ &vtd_layout_pasid_entry, "EMT", 1, VTD_PE_EMT_MASK },
		{ &vtd_layout_pasid_entry, "PAT", 1, VTD_PE_PAT_MASK },
		{ &vtd_layout_pasid_entry, "FLPM", 2, VTD_PE_FLPM_MASK },
		{ &vtd_layout_pasid_entry, "FLPTPTR", 2, VTD_PE_FLPTPTR },
		{ &vtd_layout_frcd, "SID", 1, VTD_FRCD_SID_MASK },
		{ &vtd_layout_frcd, "FR", 1, VTD_FRCD_FR_MASK },
		{ &vtd_layout_frcd, "PV", 1, VTD_FRCD_PV_MASK },
		{ &vtd_layout_frcd, "AT", 1, VTD_FRCD_AT_MASK },
		{ &vtd_layout_frcd, "F", 1, VTD_FRCD_F },
		{ &vtd_layout_sl_leaf, "EMT", 0, VTD_SL_EMT },
		{ &vtd_layout_sl_leaf, "IPAT", 0, VTD_SL_IPAT },
		{ &vtd_layout_sl_leaf, "PS", 0, VTD_SL_PS },
		{ &vtd_layout_sl_leaf, "SNP", 0, VTD_SL_SNP },
		{ &vtd_layout_sl_leaf, "ADDR", 0, VTD_SL_ADDR },
		{ &vtd_layout_sl_leaf, "TM", 0, VTD_SL_TM },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		uint64_t t = layout_mask(c[i].l, c[i].name, c[i].word);
		if (t != c[i].mask)
			fail_msg("%s.%s: table %#llx, header %#llx", c[i].l->name, c[i].name,
				 (unsigned long long)t, (unsigned long long)c[i].mask);
	}
	/* Getters and builders are inverse on the field. */
	assert_int_equal(VTD_CTX_DID(VTD_CTX_DID_PUT(0xbeef)), 0xbeef);
	assert_int_equal(VTD_PE_AW(VTD_PE_AW_PUT(2)), 2);
	assert_int_equal(VTD_CAP_MGAW(VTD_CAP_MGAW_MASK), 64);
	/* GSTS to keep when writing GCMD: all but the one-shot commands (10.4.4). */
	assert_int_equal(VTD_GCMD_ONESHOT_MASK, 0x96ffffffu);
}

/* x86: what the kernel builds its tables with, against the SDM. */
static void test_x86_layouts(void **state)
{
	assert_int_equal(X86_PTE_ADDR_MASK, 0x000ffffffffff000ull);
	assert_int_equal(x86_leaf_addr_mask(1), 0x000ffffffffff000ull);
	assert_int_equal(x86_leaf_addr_mask(2), 0x000fffffffe00000ull);
	assert_int_equal(x86_leaf_addr_mask(3), 0x000fffffc0000000ull);
	assert_int_equal(x86_huge_leaf_rsvd(2), PTDBG_GENMASK(20, 13));
	assert_int_equal(x86_huge_leaf_rsvd(3), PTDBG_GENMASK(29, 13));
	assert_int_equal(x86_level_span(X86_LEVEL_PML5), 1ull << 48);
	assert_int_equal(x86_level_index(0xffffffff80200000ull, X86_LEVEL_PD), 1);
	assert_int_equal(x86_level_index(0xffffffff80200000ull, X86_LEVEL_PML4), 511);
	assert_int_equal(X86_PAT_RESET, 0x0007040600070406ull); /* SDM 11.12.4 */
	assert_int_equal(X86_PTE_PAT4K, X86_PTE_PS);
	assert_int_equal(X86_PTE_PKEY, PTDBG_GENMASK(62, 59));
}

/* ACPI: the DMAR header and structures as VT-d chapter 8 lays them out. */
static void test_acpi_dmar_offsets(void **state)
{
	assert_int_equal(ACPI_SDT_HDR_LEN + 12, ACPI_DMAR_HDR_LEN); /* HAW, flags, 10 reserved */
	assert_int_equal(ACPI_DMAR_HAW, ACPI_SDT_HDR_LEN);
	assert_int_equal(ACPI_DRHD_BASE + 8, ACPI_DRHD_SCOPES);
	assert_int_equal(ACPI_RMRR_LIMIT + 8, ACPI_RMRR_SCOPES);
	assert_int_equal(strlen(ACPI_RSDP_SIG), ACPI_RSDP_SIG_LEN);
	assert_int_equal(strlen(ACPI_DMAR_SIG), ACPI_SDT_SIG_LEN);
}

/* ACPI and UEFI on the way to a table, and the IORT (DEN 0049): each field ends
 * where the next begins, each node's fixed part has the size the specification
 * gives (the nodes QEMU 7.2 builds: SMMUv3 68 bytes, root complex 36 before its
 * mappings). */
static void test_acpi_iort_offsets(void **state)
{
	(void)state;
	assert_int_equal(ACPI_RSDP_XSDT + 8 + 4, ACPI_RSDP_V2_LEN); /* extended checksum, 3 reserved */
	assert_int_equal(ACPI_RSDP_XCHECKSUM + 4, ACPI_RSDP_V2_LEN);
	assert_int_equal(ACPI_RSDP_LENGTH, ACPI_RSDP_V1_LEN);
	assert_int_equal(ACPI_RSDP_OEM_ID + 6, ACPI_RSDP_REVISION);
	assert_int_equal(ACPI_SDT_OEM_TABLE_ID + 8 + 12, ACPI_SDT_HDR_LEN); /* OEM revision, creator id, revision */
	assert_int_equal(strlen(EFI_ST_SIG), EFI_ST_SIG_LEN);
	assert_int_equal(EFI_ST_CRC32 + 8, 24);            /* the table header: 24 bytes */
	assert_int_equal(EFI_ST_CONFIG_TABLE + 8, EFI_ST_SIZE);
	assert_int_equal(EFI_ST_NR_TABLES + 8, EFI_ST_CONFIG_TABLE);
	assert_int_equal(EFI_CT_TABLE + 8, EFI_CT_ENTRY_SIZE);
	assert_int_equal(strlen(ACPI_IORT_SIG), ACPI_SDT_SIG_LEN);
	assert_int_equal(ACPI_IORT_NNODES, ACPI_SDT_HDR_LEN);
	assert_int_equal(ACPI_IORT_NODE_OFF + 8, ACPI_IORT_HDR_LEN);
	assert_int_equal(ACPI_IORT_N_MAPS_OFF + 4, ACPI_IORT_N_HDR_LEN);
	assert_int_equal(ACPI_IORT_M_FLAGS + 4, ACPI_IORT_M_SIZE);
	assert_int_equal(ACPI_IORT_ITS_IDS, ACPI_IORT_N_HDR_LEN + 4);
	assert_int_equal(ACPI_IORT_NC_MEMACC + 8, ACPI_IORT_NC_ADDR_LIMIT);
	assert_int_equal(ACPI_IORT_NC_ADDR_LIMIT + 1, ACPI_IORT_NC_NAME);
	assert_int_equal(ACPI_IORT_RC_MEMACC + 8, ACPI_IORT_RC_ATS);
	assert_int_equal(ACPI_IORT_RC_SEGMENT + 4, ACPI_IORT_RC_ADDR_LIMIT);
	assert_int_equal(ACPI_IORT_RC_FLAGS + 4, ACPI_IORT_RC_LEN_V4);
	assert_int_equal(ACPI_IORT_S2_PMU_OFF + 4, ACPI_IORT_S2_LEN);
	assert_int_equal(ACPI_IORT_S3_SYNC + 4, ACPI_IORT_S3_LEN_V1);
	assert_int_equal(ACPI_IORT_S3_DEVID_IDX + 4, ACPI_IORT_S3_LEN_V2);
	assert_int_equal(ACPI_IORT_S3_LEN_V2, 68);
	assert_int_equal(ACPI_IORT_PMCG_PAGE1 + 8, ACPI_IORT_PMCG_LEN_V1);
	assert_int_equal(ACPI_IORT_RMR_DESC_OFF + 4, ACPI_IORT_RMR_LEN);
	assert_int_equal(ACPI_IORT_RMR_D_LEN + 8 + 4, ACPI_IORT_RMR_D_SIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry_reserved_bits_match_the_tables),
		cmocka_unit_test(test_reserved_bits_follow_the_address_width),
		cmocka_unit_test(test_fields_match_the_tables),
		cmocka_unit_test(test_x86_layouts),
		cmocka_unit_test(test_acpi_dmar_offsets),
		cmocka_unit_test(test_acpi_iort_offsets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
