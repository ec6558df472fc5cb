/* SPDX-License-Identifier: MIT */
/* Unit tests: the SMMUv3 layouts (ptdbg/hw/smmu.h against the field tables of
 * smmu_bits.c, reserved bits derived from the fields) and reading and decoding the
 * register file (smmu_regs.c) from synthetic register pages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "out/json.h"
#include "smmu/smmu_bits.h"
#include "smmu/smmu_regs.h"
#include "smmu/smmu_tables.h"
#include "test_smmu_synth.h"

/* A field of a table and the header's mask for it (in dword dw). */
struct fm {
	const struct ptdbg_layout *l;
	const char *name;
	unsigned dw;
	uint64_t mask;
};

static const struct fm fields[] = {
	{ &smmu_layout_idr0, "S2P", 0, SMMU_IDR0_S2P },
	{ &smmu_layout_idr0, "S1P", 0, SMMU_IDR0_S1P },
	{ &smmu_layout_idr0, "TTF", 0, SMMU_IDR0_TTF_MASK },
	{ &smmu_layout_idr0, "COHACC", 0, SMMU_IDR0_COHACC },
	{ &smmu_layout_idr0, "BTM", 0, SMMU_IDR0_BTM },
	{ &smmu_layout_idr0, "HTTU", 0, SMMU_IDR0_HTTU_MASK },
	{ &smmu_layout_idr0, "DORMHINT", 0, SMMU_IDR0_DORMHINT },
	{ &smmu_layout_idr0, "HYP", 0, SMMU_IDR0_HYP },
	{ &smmu_layout_idr0, "ATS", 0, SMMU_IDR0_ATS },
	{ &smmu_layout_idr0, "NS1ATS", 0, SMMU_IDR0_NS1ATS },
	{ &smmu_layout_idr0, "ASID16", 0, SMMU_IDR0_ASID16 },
	{ &smmu_layout_idr0, "MSI", 0, SMMU_IDR0_MSI },
	{ &smmu_layout_idr0, "SEV", 0, SMMU_IDR0_SEV },
	{ &smmu_layout_idr0, "ATOS", 0, SMMU_IDR0_ATOS },
	{ &smmu_layout_idr0, "PRI", 0, SMMU_IDR0_PRI },
	{ &smmu_layout_idr0, "VMW", 0, SMMU_IDR0_VMW },
	{ &smmu_layout_idr0, "VMID16", 0, SMMU_IDR0_VMID16 },
	{ &smmu_layout_idr0, "CD2L", 0, SMMU_IDR0_CD2L },
	{ &smmu_layout_idr0, "VATOS", 0, SMMU_IDR0_VATOS },
	{ &smmu_layout_idr0, "TTENDIAN", 0, SMMU_IDR0_TTENDIAN_MASK },
	{ &smmu_layout_idr0, "ATSRECERR", 0, SMMU_IDR0_ATSRECERR },
	{ &smmu_layout_idr0, "STALL_MODEL", 0, SMMU_IDR0_STALL_MODEL_MASK },
	{ &smmu_layout_idr0, "TERM_MODEL", 0, SMMU_IDR0_TERM_MODEL },
	{ &smmu_layout_idr0, "ST_LEVEL", 0, SMMU_IDR0_ST_LEVEL_MASK },
	{ &smmu_layout_idr1, "SIDSIZE", 0, SMMU_IDR1_SIDSIZE_MASK },
	{ &smmu_layout_idr1, "SSIDSIZE", 0, SMMU_IDR1_SSIDSIZE_MASK },
	{ &smmu_layout_idr1, "PRIQS", 0, SMMU_IDR1_PRIQS_MASK },
	{ &smmu_layout_idr1, "EVENTQS", 0, SMMU_IDR1_EVENTQS_MASK },
	{ &smmu_layout_idr1, "CMDQS", 0, SMMU_IDR1_CMDQS_MASK },
	{ &smmu_layout_idr1, "ATTR_PERMS_OVR", 0, SMMU_IDR1_ATTR_PERMS_OVR },
	{ &smmu_layout_idr1, "ATTR_TYPES_OVR", 0, SMMU_IDR1_ATTR_TYPES_OVR },
	{ &smmu_layout_idr1, "REL", 0, SMMU_IDR1_REL },
	{ &smmu_layout_idr1, "QUEUES_PRESET", 0, SMMU_IDR1_QUEUES_PRESET },
	{ &smmu_layout_idr1, "TABLES_PRESET", 0, SMMU_IDR1_TABLES_PRESET },
	{ &smmu_layout_idr1, "ECMDQ", 0, SMMU_IDR1_ECMDQ },
	{ &smmu_layout_idr2, "BA_VATOS", 0, SMMU_IDR2_BA_VATOS_MASK },
	{ &smmu_layout_idr3, "HAD", 0, SMMU_IDR3_HAD },
	{ &smmu_layout_idr3, "PBHA", 0, SMMU_IDR3_PBHA },
	{ &smmu_layout_idr3, "XNX", 0, SMMU_IDR3_XNX },
	{ &smmu_layout_idr3, "PPS", 0, SMMU_IDR3_PPS },
	{ &smmu_layout_idr3, "MPAM", 0, SMMU_IDR3_MPAM },
	{ &smmu_layout_idr3, "FWB", 0, SMMU_IDR3_FWB },
	{ &smmu_layout_idr3, "STT", 0, SMMU_IDR3_STT },
	{ &smmu_layout_idr3, "RIL", 0, SMMU_IDR3_RIL },
	{ &smmu_layout_idr3, "BBML", 0, SMMU_IDR3_BBML_MASK },
	{ &smmu_layout_idr3, "E0PD", 0, SMMU_IDR3_E0PD },
	{ &smmu_layout_idr3, "PTWNNC", 0, SMMU_IDR3_PTWNNC },
	{ &smmu_layout_idr5, "OAS", 0, SMMU_IDR5_OAS_MASK },
	{ &smmu_layout_idr5, "GRAN4K", 0, SMMU_IDR5_GRAN4K },
	{ &smmu_layout_idr5, "GRAN16K", 0, SMMU_IDR5_GRAN16K },
	{ &smmu_layout_idr5, "GRAN64K", 0, SMMU_IDR5_GRAN64K },
	{ &smmu_layout_idr5, "VAX", 0, SMMU_IDR5_VAX_MASK },
	{ &smmu_layout_idr5, "STALL_MAX", 0, SMMU_IDR5_STALL_MAX_MASK },
	{ &smmu_layout_iidr, "Implementer", 0, SMMU_IIDR_IMPLEMENTER_MASK },
	{ &smmu_layout_iidr, "Revision", 0, SMMU_IIDR_REVISION_MASK },
	{ &smmu_layout_iidr, "Variant", 0, SMMU_IIDR_VARIANT_MASK },
	{ &smmu_layout_iidr, "ProductID", 0, SMMU_IIDR_PRODUCTID_MASK },
	{ &smmu_layout_aidr, "ArchMinorRev", 0, SMMU_AIDR_MINOR_MASK },
	{ &smmu_layout_aidr, "ArchMajorRev", 0, SMMU_AIDR_MAJOR_MASK },
	{ &smmu_layout_cr0, "SMMUEN", 0, SMMU_CR0_SMMUEN },
	{ &smmu_layout_cr0, "PRIQEN", 0, SMMU_CR0_PRIQEN },
	{ &smmu_layout_cr0, "EVENTQEN", 0, SMMU_CR0_EVENTQEN },
	{ &smmu_layout_cr0, "CMDQEN", 0, SMMU_CR0_CMDQEN },
	{ &smmu_layout_cr0, "ATSCHK", 0, SMMU_CR0_ATSCHK },
	{ &smmu_layout_cr0, "VMW", 0, SMMU_CR0_VMW_MASK },
	{ &smmu_layout_cr1, "QUEUE_IC", 0, SMMU_CR1_QUEUE_IC_MASK },
	{ &smmu_layout_cr1, "QUEUE_OC", 0, SMMU_CR1_QUEUE_OC_MASK },
	{ &smmu_layout_cr1, "QUEUE_SH", 0, SMMU_CR1_QUEUE_SH_MASK },
	{ &smmu_layout_cr1, "TABLE_IC", 0, SMMU_CR1_TABLE_IC_MASK },
	{ &smmu_layout_cr1, "TABLE_OC", 0, SMMU_CR1_TABLE_OC_MASK },
	{ &smmu_layout_cr1, "TABLE_SH", 0, SMMU_CR1_TABLE_SH_MASK },
	{ &smmu_layout_cr2, "E2H", 0, SMMU_CR2_E2H },
	{ &smmu_layout_cr2, "RECINVSID", 0, SMMU_CR2_RECINVSID },
	{ &smmu_layout_cr2, "PTM", 0, SMMU_CR2_PTM },
	{ &smmu_layout_statusr, "DORMANT", 0, SMMU_STATUSR_DORMANT },
	{ &smmu_layout_gbpa, "MemAttr", 0, SMMU_GBPA_MEMATTR_MASK },
	{ &smmu_layout_gbpa, "MTCFG", 0, SMMU_GBPA_MTCFG },
	{ &smmu_layout_gbpa, "ALLOCCFG", 0, SMMU_GBPA_ALLOCCFG_MASK },
	{ &smmu_layout_gbpa, "SHCFG", 0, SMMU_GBPA_SHCFG_MASK },
	{ &smmu_layout_gbpa, "PRIVCFG", 0, SMMU_GBPA_PRIVCFG_MASK },
	{ &smmu_layout_gbpa, "INSTCFG", 0, SMMU_GBPA_INSTCFG_MASK },
	{ &smmu_layout_gbpa, "ABORT", 0, SMMU_GBPA_ABORT },
	{ &smmu_layout_gbpa, "Update", 0, SMMU_GBPA_UPDATE },
	{ &smmu_layout_irq_ctrl, "GERROR_IRQEN", 0, SMMU_IRQ_CTRL_GERROR_IRQEN },
	{ &smmu_layout_irq_ctrl, "PRIQ_IRQEN", 0, SMMU_IRQ_CTRL_PRIQ_IRQEN },
	{ &smmu_layout_irq_ctrl, "EVENTQ_IRQEN", 0, SMMU_IRQ_CTRL_EVENTQ_IRQEN },
	{ &smmu_layout_gerror, "CMDQ_ERR", 0, SMMU_GERROR_CMDQ_ERR },
	{ &smmu_layout_gerror, "EVENTQ_ABT_ERR", 0, SMMU_GERROR_EVENTQ_ABT_ERR },
	{ &smmu_layout_gerror, "PRIQ_ABT_ERR", 0, SMMU_GERROR_PRIQ_ABT_ERR },
	{ &smmu_layout_gerror, "MSI_CMDQ_ABT_ERR", 0, SMMU_GERROR_MSI_CMDQ_ABT_ERR },
	{ &smmu_layout_gerror, "MSI_EVENTQ_ABT_ERR", 0, SMMU_GERROR_MSI_EVENTQ_ABT_ERR },
	{ &smmu_layout_gerror, "MSI_PRIQ_ABT_ERR", 0, SMMU_GERROR_MSI_PRIQ_ABT_ERR },
	{ &smmu_layout_gerror, "MSI_GERROR_ABT_ERR", 0, SMMU_GERROR_MSI_GERROR_ABT_ERR },
	{ &smmu_layout_gerror, "SFM_ERR", 0, SMMU_GERROR_SFM_ERR },
	{ &smmu_layout_gerror, "CMDQP_ERR", 0, SMMU_GERROR_CMDQP_ERR },
	{ &smmu_layout_irq_cfg0, "ADDR", 0, SMMU_IRQ_CFG0_ADDR },
	{ &smmu_layout_irq_cfg2, "MemAttr", 0, SMMU_IRQ_CFG2_MEMATTR_MASK },
	{ &smmu_layout_irq_cfg2, "SH", 0, SMMU_IRQ_CFG2_SH_MASK },
	{ &smmu_layout_strtab_base, "ADDR", 0, SMMU_STRTAB_BASE_ADDR },
	{ &smmu_layout_strtab_base, "RA", 0, SMMU_STRTAB_BASE_RA },
	{ &smmu_layout_strtab_base_cfg, "LOG2SIZE", 0, SMMU_STRTAB_CFG_LOG2SIZE_MASK },
	{ &smmu_layout_strtab_base_cfg, "SPLIT", 0, SMMU_STRTAB_CFG_SPLIT_MASK },
	{ &smmu_layout_strtab_base_cfg, "FMT", 0, SMMU_STRTAB_CFG_FMT_MASK },
	{ &smmu_layout_q_base, "LOG2SIZE", 0, SMMU_Q_BASE_LOG2SIZE_MASK },
	{ &smmu_layout_q_base, "ADDR", 0, SMMU_Q_BASE_ADDR },
	{ &smmu_layout_q_base, "RWA", 0, SMMU_Q_BASE_RWA },
	{ &smmu_layout_q_prod, "WR", 0, SMMU_Q_IDX_WRP_MASK },
	{ &smmu_layout_q_prod, "OVFLG", 0, SMMU_Q_PROD_OVFLG },
	{ &smmu_layout_q_cons, "RD", 0, SMMU_Q_IDX_WRP_MASK },
	{ &smmu_layout_q_cons, "OVACKFLG", 0, SMMU_Q_CONS_OVACKFLG },
	{ &smmu_layout_cmdq_cons, "ERR", 0, SMMU_CMDQ_CONS_ERR_MASK },
	/* STE */
	{ &smmu_layout_ste, "V", 0, SMMU_STE0_V },
	{ &smmu_layout_ste, "Config", 0, SMMU_STE0_CONFIG_MASK },
	{ &smmu_layout_ste, "S1Fmt", 0, SMMU_STE0_S1FMT_MASK },
	{ &smmu_layout_ste, "S1ContextPtr", 0, SMMU_STE0_S1CTXPTR },
	{ &smmu_layout_ste, "S1CDMax", 0, SMMU_STE0_S1CDMAX_MASK },
	{ &smmu_layout_ste, "S1DSS", 1, SMMU_STE1_S1DSS_MASK },
	{ &smmu_layout_ste, "S1CIR", 1, SMMU_STE1_S1CIR_MASK },
	{ &smmu_layout_ste, "S1COR", 1, SMMU_STE1_S1COR_MASK },
	{ &smmu_layout_ste, "S1CSH", 1, SMMU_STE1_S1CSH_MASK },
	{ &smmu_layout_ste, "S2HWU", 1, SMMU_STE1_S2HWU_MASK },
	{ &smmu_layout_ste, "DRE", 1, SMMU_STE1_DRE },
	{ &smmu_layout_ste, "CONT", 1, SMMU_STE1_CONT_MASK },
	{ &smmu_layout_ste, "DCP", 1, SMMU_STE1_DCP },
	{ &smmu_layout_ste, "PPAR", 1, SMMU_STE1_PPAR },
	{ &smmu_layout_ste, "MEV", 1, SMMU_STE1_MEV },
	{ &smmu_layout_ste, "S2FWB", 1, SMMU_STE1_S2FWB },
	{ &smmu_layout_ste, "S1MPAM", 1, SMMU_STE1_S1MPAM },
	{ &smmu_layout_ste, "S1STALLD", 1, SMMU_STE1_S1STALLD },
	{ &smmu_layout_ste, "EATS", 1, SMMU_STE1_EATS_MASK },
	{ &smmu_layout_ste, "STRW", 1, SMMU_STE1_STRW_MASK },
	{ &smmu_layout_ste, "MemAttr", 1, SMMU_STE1_MEMATTR_MASK },
	{ &smmu_layout_ste, "MTCFG", 1, SMMU_STE1_MTCFG },
	{ &smmu_layout_ste, "ALLOCCFG", 1, SMMU_STE1_ALLOCCFG_MASK },
	{ &smmu_layout_ste, "SHCFG", 1, SMMU_STE1_SHCFG_MASK },
	{ &smmu_layout_ste, "NSCFG", 1, SMMU_STE1_NSCFG_MASK },
	{ &smmu_layout_ste, "PRIVCFG", 1, SMMU_STE1_PRIVCFG_MASK },
	{ &smmu_layout_ste, "INSTCFG", 1, SMMU_STE1_INSTCFG_MASK },
	{ &smmu_layout_ste, "IMPDEF", 1, SMMU_STE1_IMPDEF_MASK },
	{ &smmu_layout_ste, "S2VMID", 2, SMMU_STE2_S2VMID_MASK },
	{ &smmu_layout_ste, "S2T0SZ", 2, SMMU_STE2_S2T0SZ_MASK },
	{ &smmu_layout_ste, "S2SL0", 2, SMMU_STE2_S2SL0_MASK },
	{ &smmu_layout_ste, "S2IR0", 2, SMMU_STE2_S2IR0_MASK },
	{ &smmu_layout_ste, "S2OR0", 2, SMMU_STE2_S2OR0_MASK },
	{ &smmu_layout_ste, "S2SH0", 2, SMMU_STE2_S2SH0_MASK },
	{ &smmu_layout_ste, "S2TG", 2, SMMU_STE2_S2TG_MASK },
	{ &smmu_layout_ste, "S2PS", 2, SMMU_STE2_S2PS_MASK },
	{ &smmu_layout_ste, "S2AA64", 2, SMMU_STE2_S2AA64 },
	{ &smmu_layout_ste, "S2ENDI", 2, SMMU_STE2_S2ENDI },
	{ &smmu_layout_ste, "S2AFFD", 2, SMMU_STE2_S2AFFD },
	{ &smmu_layout_ste, "S2PTW", 2, SMMU_STE2_S2PTW },
	{ &smmu_layout_ste, "S2HD", 2, SMMU_STE2_S2HD },
	{ &smmu_layout_ste, "S2HA", 2, SMMU_STE2_S2HA },
	{ &smmu_layout_ste, "S2S", 2, SMMU_STE2_S2S },
	{ &smmu_layout_ste, "S2R", 2, SMMU_STE2_S2R },
	{ &smmu_layout_ste, "S2TTB", 3, SMMU_STE3_S2TTB },
	{ &smmu_layout_l1std, "Span", 0, SMMU_L1STD_SPAN_MASK },
	{ &smmu_layout_l1std, "L2Ptr", 0, SMMU_L1STD_L2PTR },
	/* CD */
	{ &smmu_layout_cd, "T0SZ", 0, SMMU_CD0_T0SZ_MASK },
	{ &smmu_layout_cd, "TG0", 0, SMMU_CD0_TG0_MASK },
	{ &smmu_layout_cd, "IR0", 0, SMMU_CD0_IR0_MASK },
	{ &smmu_layout_cd, "OR0", 0, SMMU_CD0_OR0_MASK },
	{ &smmu_layout_cd, "SH0", 0, SMMU_CD0_SH0_MASK },
	{ &smmu_layout_cd, "EPD0", 0, SMMU_CD0_EPD0 },
	{ &smmu_layout_cd, "ENDI", 0, SMMU_CD0_ENDI },
	{ &smmu_layout_cd, "T1SZ", 0, SMMU_CD0_T1SZ_MASK },
	{ &smmu_layout_cd, "TG1", 0, SMMU_CD0_TG1_MASK },
	{ &smmu_layout_cd, "IR1", 0, SMMU_CD0_IR1_MASK },
	{ &smmu_layout_cd, "OR1", 0, SMMU_CD0_OR1_MASK },
	{ &smmu_layout_cd, "SH1", 0, SMMU_CD0_SH1_MASK },
	{ &smmu_layout_cd, "EPD1", 0, SMMU_CD0_EPD1 },
	{ &smmu_layout_cd, "V", 0, SMMU_CD0_V },
	{ &smmu_layout_cd, "IPS", 0, SMMU_CD0_IPS_MASK },
	{ &smmu_layout_cd, "AFFD", 0, SMMU_CD0_AFFD },
	{ &smmu_layout_cd, "WXN", 0, SMMU_CD0_WXN },
	{ &smmu_layout_cd, "UWXN", 0, SMMU_CD0_UWXN },
	{ &smmu_layout_cd, "TBI", 0, SMMU_CD0_TBI_MASK },
	{ &smmu_layout_cd, "PAN", 0, SMMU_CD0_PAN },
	{ &smmu_layout_cd, "AA64", 0, SMMU_CD0_AA64 },
	{ &smmu_layout_cd, "HD", 0, SMMU_CD0_HD },
	{ &smmu_layout_cd, "HA", 0, SMMU_CD0_HA },
	{ &smmu_layout_cd, "S", 0, SMMU_CD0_S },
	{ &smmu_layout_cd, "R", 0, SMMU_CD0_R },
	{ &smmu_layout_cd, "A", 0, SMMU_CD0_A },
	{ &smmu_layout_cd, "ASET", 0, SMMU_CD0_ASET },
	{ &smmu_layout_cd, "ASID", 0, SMMU_CD0_ASID_MASK },
	{ &smmu_layout_cd, "NSCFG0", 1, SMMU_CD1_NSCFG0 },
	{ &smmu_layout_cd, "HAD0", 1, SMMU_CD1_HAD0 },
	{ &smmu_layout_cd, "TTB0", 1, SMMU_CD1_TTB0 },
	{ &smmu_layout_cd, "HWU0", 1, SMMU_CD1_HWU0_MASK },
	{ &smmu_layout_cd, "NSCFG1", 2, SMMU_CD2_NSCFG1 },
	{ &smmu_layout_cd, "HAD1", 2, SMMU_CD2_HAD1 },
	{ &smmu_layout_cd, "TTB1", 2, SMMU_CD2_TTB1 },
	{ &smmu_layout_cd, "HWU1", 2, SMMU_CD2_HWU1_MASK },
	{ &smmu_layout_cd, "MAIR0", 3, SMMU_CD3_MAIR0_MASK },
	{ &smmu_layout_cd, "MAIR1", 3, SMMU_CD3_MAIR1_MASK },
	{ &smmu_layout_cd, "AMAIR0", 4, SMMU_CD4_AMAIR0_MASK },
	{ &smmu_layout_cd, "AMAIR1", 4, SMMU_CD4_AMAIR1_MASK },
	{ &smmu_layout_cd, "IMPDEF", 5, SMMU_CD5_IMPDEF_MASK },
	{ &smmu_layout_cd, "PARTID", 6, SMMU_CD6_PARTID_MASK },
	{ &smmu_layout_cd, "PMG", 6, SMMU_CD6_PMG_MASK },
	{ &smmu_layout_l1cd, "V", 0, SMMU_L1CD_V },
	{ &smmu_layout_l1cd, "L2Ptr", 0, SMMU_L1CD_L2PTR },
	/* event record */
	{ &smmu_layout_event, "Type", 0, SMMU_EVT0_TYPE_MASK },
	{ &smmu_layout_event, "SSV", 0, SMMU_EVT0_SSV },
	{ &smmu_layout_event, "SubstreamID", 0, SMMU_EVT0_SSID_MASK },
	{ &smmu_layout_event, "StreamID", 0, SMMU_EVT0_SID_MASK },
	{ &smmu_layout_event, "STAG", 1, SMMU_EVT1_STAG_MASK },
	{ &smmu_layout_event, "Stall", 1, SMMU_EVT1_STALL },
	{ &smmu_layout_event, "PnU", 1, SMMU_EVT1_PNU },
	{ &smmu_layout_event, "InD", 1, SMMU_EVT1_IND },
	{ &smmu_layout_event, "RnW", 1, SMMU_EVT1_RNW },
	{ &smmu_layout_event, "S2", 1, SMMU_EVT1_S2 },
	{ &smmu_layout_event, "CLASS", 1, SMMU_EVT1_CLASS_MASK },
	{ &smmu_layout_event, "TTRnW", 1, SMMU_EVT1_TTRNW },
	{ &smmu_layout_event, "NSIPA", 3, SMMU_EVT3_NSIPA },
	{ &smmu_layout_event, "IPA/FetchAddr", 3, SMMU_EVT3_FETCH_ADDR },
	{ &smmu_layout_cmd, "Opcode", 0, SMMU_CMD0_OPCODE_MASK },
	{ &smmu_layout_cmd, "SSEC", 0, SMMU_CMD0_SSEC },
	{ &smmu_layout_cmd, "SSV", 0, SMMU_CMD0_SSV },
	{ &smmu_layout_cmd, "SSID/NUM", 0, SMMU_CMD0_SSID_MASK },
	{ &smmu_layout_cmd, "SID/VMID/ASID", 0, SMMU_CMD0_SID_MASK },
	{ &smmu_layout_cmd, "Leaf", 1, SMMU_CMD1_LEAF },
	{ &smmu_layout_cmd, "Addr", 1, SMMU_CMD1_TLBI_ADDR },
};

/* Every field of the tables sits where the header's mask says, and each field
 * value reads back through the table. */
static void test_fields_match_header(void **state)
{
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const struct fm *m = &fields[i];
		const struct ptdbg_field *f = ptdbg_layout_field(m->l, m->name);
		if (!f)
			fail_msg("%s: no field %s", m->l->name, m->name);
		if (f->lsb != m->dw * 64 + PTDBG_FIELD_SHIFT(m->mask) ||
		    f->width != PTDBG_FIELD_WIDTH(m->mask))
			fail_msg("%s.%s: table [%u+%u], header dword %u mask %#llx", m->l->name,
				 m->name, f->lsb, f->width, m->dw, (unsigned long long)m->mask);
		uint64_t w[8] = { 0 };
		w[m->dw] = m->mask;
		assert_int_equal(ptdbg_field_get(f, w), PTDBG_FIELD_GET(m->mask, m->mask));
		w[m->dw] = ~m->mask;
		assert_int_equal(ptdbg_field_get(f, w), 0);
	}
}

/* The bits a table names in dword dw (reserved fields excluded). */
static uint64_t named_bits(const struct ptdbg_layout *l, unsigned dw)
{
	uint64_t m = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct ptdbg_field *f = &l->fields[i];
		if (f->kind == PTDBG_FK_RSVD || f->lsb / 64 != dw)
			continue;
		unsigned lo = f->lsb % 64;
		m |= (f->width >= 64 ? ~0ull : ((1ull << f->width) - 1)) << lo;
	}
	return m;
}

/* The header derives the reserved bits that the tables leave unnamed. */
static void test_reserved_derived(void **state)
{
	for (unsigned dw = 0; dw < 8; dw++) {
		assert_int_equal(~named_bits(&smmu_layout_ste, dw), smmu_ste_rsvd(dw, 52));
		assert_int_equal(~named_bits(&smmu_layout_cd, dw), smmu_cd_rsvd(dw, 52));
	}
	assert_int_equal(~named_bits(&smmu_layout_l1std, 0), smmu_l1std_rsvd(52));
	assert_int_equal(~named_bits(&smmu_layout_l1cd, 0), smmu_l1cd_rsvd(52));
	/* Address bits at and above the OAS become reserved in the pointer fields. */
	assert_int_equal(smmu_addr_rsvd(44), PTDBG_GENMASK(51, 44));
	assert_int_equal(smmu_addr_rsvd(0), 0);
	assert_int_equal(smmu_addr_rsvd(60), 0);
	assert_true(smmu_ste_rsvd(0, 44) & PTDBG_BIT(44));
	assert_false(smmu_ste_rsvd(0, 44) & PTDBG_BIT(43));
	assert_true(smmu_ste_rsvd(3, 40) & PTDBG_BIT(40));
	assert_true(smmu_cd_rsvd(1, 40) & PTDBG_BIT(47));
	assert_true(smmu_cd_rsvd(2, 40) & PTDBG_BIT(51));
	assert_false(smmu_cd_rsvd(1, 40) & PTDBG_BIT(39));
	assert_true(smmu_l1std_rsvd(36) & PTDBG_BIT(36));
	assert_true(smmu_l1cd_rsvd(36) & PTDBG_BIT(40));
	/* Register layouts: their unnamed bits are what ptdbg_layout_reserved_mask gives. */
	assert_int_equal(ptdbg_layout_reserved_mask(&smmu_layout_gerror),
			 0xffffffffull & ~(uint64_t)SMMU_GERROR_ERRORS);
	assert_int_equal(ptdbg_layout_reserved_mask(&smmu_layout_cr0), 0xffffffffull & ~0x1dfull);
	assert_int_equal(smmu_gerror_active(0x105, 0x001), 0x104);
	assert_int_equal(smmu_gerror_active(0x2, 0x0), 0);
}

static void test_names(void **state)
{
	assert_string_equal(smmu_ste_config_name(SMMU_STE_CFG_ABORT), "abort");
	assert_string_equal(smmu_ste_config_name(SMMU_STE_CFG_BYPASS), "bypass");
	assert_string_equal(smmu_ste_config_name(SMMU_STE_CFG_S1), "stage1");
	assert_string_equal(smmu_ste_config_name(SMMU_STE_CFG_S2), "stage2");
	assert_string_equal(smmu_ste_config_name(SMMU_STE_CFG_NESTED), "nested");
	assert_string_equal(smmu_ste_config_name(2), "reserved");
	assert_string_equal(smmu_s1fmt_name(1), "2-level/4K");
	assert_string_equal(smmu_s1dss_name(2), "substream0");
	assert_string_equal(smmu_strtab_fmt_name(1), "2-level");
	assert_string_equal(smmu_tg0_name(1), "64K");
	assert_string_equal(smmu_tg1_name(2), "4K");
	assert_int_equal(smmu_tg0_bytes(SMMU_TG0_16K), 16384);
	assert_int_equal(smmu_tg1_bytes(SMMU_TG1_64K), 65536);
	assert_int_equal(smmu_tg0_bytes(3), 0);
	assert_string_equal(smmu_cmdq_err_name(SMMU_CERROR_ILL), "CERROR_ILL");
	assert_string_equal(smmu_event_class_name(SMMU_CLASS_TT), "TT");
	assert_int_equal(smmu_pa_bits(0), 32);
	assert_int_equal(smmu_pa_bits(5), 48);
	assert_int_equal(smmu_pa_bits(6), 52);
	assert_int_equal(smmu_pa_bits(7), 0);

	static const struct { unsigned op; const char *name; } cmds[] = {
		{ SMMU_CMD_CFGI_STE, "CFGI_STE" }, { SMMU_CMD_CFGI_CD, "CFGI_CD" },
		{ SMMU_CMD_CFGI_STE_RANGE, "CFGI_STE_RANGE" }, { SMMU_CMD_CFGI_CD_ALL, "CFGI_CD_ALL" },
		{ SMMU_CMD_TLBI_NH_ASID, "TLBI_NH_ASID" }, { SMMU_CMD_TLBI_NH_VA, "TLBI_NH_VA" },
		{ SMMU_CMD_TLBI_NSNH_ALL, "TLBI_NSNH_ALL" }, { SMMU_CMD_TLBI_NH_ALL, "TLBI_NH_ALL" },
		{ SMMU_CMD_TLBI_EL2_ALL, "TLBI_EL2_ALL" }, { SMMU_CMD_TLBI_S12_VMALL, "TLBI_S12_VMALL" },
		{ SMMU_CMD_PREFETCH_CONFIG, "PREFETCH_CONFIG" }, { SMMU_CMD_SYNC, "CMD_SYNC" },
		{ SMMU_CMD_ATC_INV, "ATC_INV" }, { SMMU_CMD_RESUME, "RESUME" },
	};
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		assert_string_equal(smmu_cmd_name(cmds[i].op), cmds[i].name);
	assert_null(smmu_cmd_name(0x00));
	assert_null(smmu_cmd_name(0xff));

	static const struct { unsigned t; const char *name; } evs[] = {
		{ SMMU_EVT_F_UUT, "F_UUT" }, { SMMU_EVT_C_BAD_STREAMID, "C_BAD_STREAMID" },
		{ SMMU_EVT_F_STE_FETCH, "F_STE_FETCH" }, { SMMU_EVT_C_BAD_STE, "C_BAD_STE" },
		{ SMMU_EVT_F_BAD_ATS_TREQ, "F_BAD_ATS_TREQ" },
		{ SMMU_EVT_F_STREAM_DISABLED, "F_STREAM_DISABLED" },
		{ SMMU_EVT_F_TRANSL_FORBIDDEN, "F_TRANSL_FORBIDDEN" },
		{ SMMU_EVT_C_BAD_SUBSTREAMID, "C_BAD_SUBSTREAMID" },
		{ SMMU_EVT_F_CD_FETCH, "F_CD_FETCH" }, { SMMU_EVT_C_BAD_CD, "C_BAD_CD" },
		{ SMMU_EVT_F_WALK_EABT, "F_WALK_EABT" }, { SMMU_EVT_F_TRANSLATION, "F_TRANSLATION" },
		{ SMMU_EVT_F_ADDR_SIZE, "F_ADDR_SIZE" }, { SMMU_EVT_F_ACCESS, "F_ACCESS" },
		{ SMMU_EVT_F_PERMISSION, "F_PERMISSION" }, { SMMU_EVT_F_TLB_CONFLICT, "F_TLB_CONFLICT" },
		{ SMMU_EVT_F_CFG_CONFLICT, "F_CFG_CONFLICT" },
		{ SMMU_EVT_E_PAGE_REQUEST, "E_PAGE_REQUEST" }, { SMMU_EVT_F_VMS_FETCH, "F_VMS_FETCH" },
	};
	for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++) {
		assert_string_equal(smmu_event_name(evs[i].t), evs[i].name);
		assert_string_not_equal(smmu_event_desc(evs[i].t), "unknown event type");
	}
	assert_null(smmu_event_name(0x0c));
	assert_string_equal(smmu_event_desc(0xee), "unknown event type");
	for (unsigned b = 0; b < 32; b++)
		if (SMMU_GERROR_ERRORS & (1u << b))
			assert_non_null(smmu_gerror_bit_name(b));
		else
			assert_null(smmu_gerror_bit_name(b));
	assert_string_equal(smmu_gerror_bit_name(2), "EVENTQ_ABT_ERR");
}

/* The register pages of QEMU's smmuv3, read and summarised. */
static void test_read_and_info(void **state)
{
	struct syn *s = syn_new();
	static struct smmu_regs r;
	struct smmu_unit_info in;

	syn_smmu(s, 0x40100000 | SMMU_STRTAB_BASE_RA,
		 (uint32_t)(SMMU_STRTAB_CFG_FMT_PUT(1) | SMMU_STRTAB_CFG_SPLIT_PUT(8) |
			    SMMU_STRTAB_CFG_LOG2SIZE_PUT(16)), 0x40200000 | 8, 0x40300000 | 3);
	syn_put32(s, SMMU_BASE + SMMU_REG_IIDR, 0x43b);
	syn_put32(s, SMMU_BASE + SMMU_REG_AIDR, 1);
	syn_put32(s, SMMU_BASE + SMMU_REG_CR2, SMMU_CR2_RECINVSID);
	syn_put32(s, SMMU_BASE + SMMU_REG_GERROR, SMMU_GERROR_EVENTQ_ABT_ERR | SMMU_GERROR_CMDQ_ERR);
	syn_put32(s, SMMU_BASE + SMMU_REG_GERRORN, SMMU_GERROR_CMDQ_ERR);
	syn_put32(s, SMMU_BASE + SMMU_REG_EVENTQ_PROD, 5);
	syn_put32(s, SMMU_BASE + SMMU_REG_EVENTQ_CONS, 2);
	syn_put64(s, SMMU_BASE + SMMU_REG_EVENTQ_IRQ_CFG0, 0x8090040);
	assert_int_equal(smmu_regs_read(syn_target(s), SMMU_BASE, &r), 0);
	smmu_regs_info(&r, &in);
	assert_int_equal(in.arch_major, 0);
	assert_int_equal(in.arch_minor, 1);
	assert_true(in.s1p);
	assert_false(in.s2p);
	assert_int_equal(in.ttf, 2);
	assert_true(in.st_2lvl);
	assert_false(in.cd2l);
	assert_int_equal(in.sidsize, 16);
	assert_int_equal(in.ssidsize, 0);
	assert_int_equal(in.eventqs, 19);
	assert_int_equal(in.cmdqs, 19);
	assert_int_equal(in.oas, 44);
	assert_false(in.vax);
	assert_true(in.gran4k);
	assert_false(in.gran16k);
	assert_true(in.gran64k);
	assert_true(in.enabled);
	assert_true(in.eventq_enabled);
	assert_true(in.cmdq_enabled);
	assert_false(in.cr0_pending);
	assert_false(in.gbpa_abort);
	assert_true(in.recinvsid);
	assert_int_equal(in.gerror_active, SMMU_GERROR_EVENTQ_ABT_ERR);
	assert_int_equal(in.strtab, 0x40100000);
	assert_int_equal(in.strtab_fmt, SMMU_STRTAB_2LVL);
	assert_int_equal(in.strtab_log2size, 16);
	assert_int_equal(in.strtab_split, 8);
	/* The queue indexes come from page 1; the 64-bit registers whole. */
	bool ok;
	assert_int_equal(smmu_regs_get(&r, SMMU_REG_EVENTQ_PROD, &ok), 5);
	assert_true(ok);
	assert_int_equal(smmu_regs_get(&r, SMMU_REG_EVENTQ_BASE, NULL), 0x40300003);
	assert_int_equal(smmu_regs_get(&r, SMMU_REG_EVENTQ_IRQ_CFG0, NULL), 0x8090040);
	assert_int_equal(smmu_regs_get(&r, 0x1234, &ok), 0);
	assert_false(ok);
	assert_int_equal(smmu_reg_index(SMMU_REG_IDR0), 0);
	assert_int_equal(smmu_reg_index(0x4), 1);
	assert_int_equal(smmu_reg_index(0x3), -1);

	/* The unit's registers alone: the same summary but for the fields of CR0,
	 * CR2 and GERROR, the same hardware and stream table; the others not read. */
	static struct smmu_regs u;
	struct smmu_unit_info uin;
	struct smmu_hw hw, uhw;
	struct smmu_strtab st, ust;
	memset(&st, 0, sizeof(st));
	memset(&ust, 0, sizeof(ust));
	assert_int_equal(smmu_regs_read_unit(syn_target(s), SMMU_BASE, &u), 0);
	smmu_regs_info(&u, &uin);
	assert_false(uin.cr0_pending || uin.recinvsid || uin.gerror_active);
	uin.cr0_pending = in.cr0_pending;
	uin.recinvsid = in.recinvsid;
	uin.gerror_active = in.gerror_active;
	assert_memory_equal(&in, &uin, sizeof(in));
	smmu_hw_from_regs(&hw, &r);
	smmu_hw_from_regs(&uhw, &u);
	assert_memory_equal(&hw, &uhw, sizeof(hw));
	smmu_strtab_from_regs(&st, &r);
	smmu_strtab_from_regs(&ust, &u);
	assert_memory_equal(&st, &ust, sizeof(st));
	unsigned nread = 0;
	for (size_t i = 0; i < smmu_reg_map_len; i++) {
		if (u.err[i] == 0) {
			nread++;
			assert_int_equal(u.val[i], r.val[i]);
		} else {
			assert_int_equal(u.err[i], PTDBG_ENOTSUP);
		}
	}
	assert_int_equal(nread, 8);
	assert_int_equal(smmu_regs_get(&u, SMMU_REG_EVENTQ_PROD, &ok), 0);
	assert_false(ok);
	assert_int_equal(smmu_regs_get(&u, SMMU_REG_STRTAB_BASE_CFG, &ok),
			 smmu_regs_get(&r, SMMU_REG_STRTAB_BASE_CFG, NULL));
	assert_true(ok);

	/* CR0 written, not yet acknowledged. */
	syn_put32(s, SMMU_BASE + SMMU_REG_CR0ACK, SMMU_CR0_SMMUEN);
	assert_int_equal(smmu_regs_read(syn_target(s), SMMU_BASE, &r), 0);
	smmu_regs_info(&r, &in);
	assert_true(in.cr0_pending);
	assert_false(in.eventq_enabled);
	syn_free(s);
}

static void test_print_text_and_json(void **state)
{
	struct syn *s = syn_new();
	static struct smmu_regs r;
	syn_smmu(s, 0x40100000, 6, 0x40200000 | 8, 0x40300000 | 3);
	syn_put32(s, SMMU_BASE + SMMU_REG_GBPA, SMMU_GBPA_ABORT);
	syn_put32(s, SMMU_BASE + SMMU_REG_CR0ACK, 0);
	assert_int_equal(smmu_regs_read(syn_target(s), SMMU_BASE, &r), 0);
	char *t = CAPTURE(smmu_regs_print(f, &r));
	assert_non_null(strstr(t, "SMMUv3.0 at 0x9050000: stage 1, OAS 44 bits, SIDSIZE 16"));
	assert_non_null(strstr(t, "disabled (GBPA aborts)"));
	assert_non_null(strstr(t, "stream table 0x40100000 (linear, 2^6 stream ids)"));
	assert_non_null(strstr(t, "IDR0             +0x00000"));
	assert_non_null(strstr(t, "EVENTQ_PROD      +0x100a8"));
	assert_non_null(strstr(t, "S1P          [1]"));
	assert_non_null(strstr(t, "ST_LEVEL"));
	assert_non_null(strstr(t, "(linear+2-level)"));
	assert_non_null(strstr(t, "OAS          [2:0]      4                  output address size (44 bits)"));
	assert_non_null(strstr(t, "ABORT        [20]"));
	assert_non_null(strstr(t, "LOG2SIZE     [4:0]      8"));
	free(t);

	char *js = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&js, &n);
	struct ptdbg_json *j = ptdbg_json_new(f);
	smmu_regs_json(j, &r);
	ptdbg_json_free(j);
	fclose(f);
	assert_non_null(strstr(js, "\"base\":\"0x0000000009050000\""));
	assert_non_null(strstr(js, "\"oas\":44"));
	assert_non_null(strstr(js, "\"translation_enabled\":false"));
	assert_non_null(strstr(js, "\"gbpa_abort\":true"));
	assert_non_null(strstr(js, "\"name\":\"STRTAB_BASE_CFG\""));
	assert_non_null(strstr(js, "\"LOG2SIZE\":6"));
	assert_non_null(strstr(js, "\"S1P\":true"));
	assert_non_null(strstr(js, "\"ABORT\":true"));
	free(js);
	syn_free(s);
}

/* No SMMU there, nothing there, a register file cut short. */
static void test_no_smmu_or_unreadable(void **state)
{
	struct syn *s = syn_new();
	static struct smmu_regs r;
	syn_page(s, SMMU_BASE);
	assert_int_equal(smmu_regs_read(syn_target(s), SMMU_BASE, &r), PTDBG_EFORMAT);
	assert_int_equal(smmu_regs_read(syn_target(s), 0x1000, &r), PTDBG_EIO);
	/* Page 0 only: the page-1 registers are read errors, the rest decodes. */
	syn_put32(s, SMMU_BASE + SMMU_REG_IDR0, (uint32_t)IDR0_QEMU);
	assert_int_equal(smmu_regs_read(syn_target(s), SMMU_BASE, &r), 0);
	bool ok;
	smmu_regs_get(&r, SMMU_REG_EVENTQ_PROD, &ok);
	assert_false(ok);
	smmu_regs_get(&r, SMMU_REG_CR0, &ok);
	assert_true(ok);
	char *t = CAPTURE(smmu_regs_print(f, &r));
	assert_non_null(strstr(t, "EVENTQ_PROD      +0x100a8  (read failed: -1)"));
	free(t);
	/* All ones: not an SMMU. */
	syn_put32(s, SMMU_BASE + SMMU_REG_IDR0, 0xffffffff);
	assert_int_equal(smmu_regs_read(syn_target(s), SMMU_BASE, &r), PTDBG_EFORMAT);
	syn_free(s);

	/* Registers given by value. */
	smmu_regs_init(&r, SMMU_BASE);
	assert_true(smmu_regs_set(&r, SMMU_REG_CR0, 0x1ffffffffull));
	assert_int_equal(smmu_regs_get(&r, SMMU_REG_CR0, NULL), 0xffffffff);
	assert_true(smmu_regs_set(&r, SMMU_REG_STRTAB_BASE, 0x1ffffffffull));
	assert_int_equal(smmu_regs_get(&r, SMMU_REG_STRTAB_BASE, NULL), 0x1ffffffffull);
	assert_false(smmu_regs_set(&r, 0x2, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields_match_header),
		cmocka_unit_test(test_reserved_derived),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_read_and_info),
		cmocka_unit_test(test_print_text_and_json),
		cmocka_unit_test(test_no_smmu_or_unreadable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
