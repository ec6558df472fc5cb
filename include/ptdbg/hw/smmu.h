/* SPDX-License-Identifier: MIT */
/*
 * Arm SMMUv3 layouts (Arm IHI 0070, chapters 5-7): register offsets and fields,
 * stream table entries and the two-level stream table descriptor, context
 * descriptors and the two-level CD table descriptor, commands, event records and
 * their type codes, and the global error bits.
 *
 * This is the one declaration for kernel and tools: the reference kernel programs
 * its SMMU with it and libptdbg decodes what it finds with it (the tools' field
 * tables for printing are in tools/lib/smmu/smmu_bits.h). Freestanding: stdint
 * and stdbool only.
 *
 * A field is a mask (see field.h); a multi-bit field FOO has FOO_MASK and a getter
 * FOO(v) that returns it right-aligned; FOO_PUT(x) places x where the kernel writes
 * the field. Structures wider than 64 bits are arrays of little-endian 64-bit
 * dwords; a field's dword is in its name (SMMU_STE0_*, SMMU_STE1_*, ...). The
 * reserved bits of each dword are what its fields leave over, plus the address bits
 * at and above the output address size: the smmu_*_rsvd() functions at the end
 * derive them.
 */
#ifndef PTDBG_HW_SMMU_H
#define PTDBG_HW_SMMU_H

#include <stdbool.h>
#include <stdint.h>

#include "ptdbg/hw/field.h"

/* ---- register offsets (6.2), from the base of page 0 ---- */
#define SMMU_REG_IDR0            0x0000
#define SMMU_REG_IDR1            0x0004
#define SMMU_REG_IDR2            0x0008
#define SMMU_REG_IDR3            0x000c
#define SMMU_REG_IDR4            0x0010
#define SMMU_REG_IDR5            0x0014
#define SMMU_REG_IIDR            0x0018
#define SMMU_REG_AIDR            0x001c
#define SMMU_REG_CR0             0x0020
#define SMMU_REG_CR0ACK          0x0024
#define SMMU_REG_CR1             0x0028
#define SMMU_REG_CR2             0x002c
#define SMMU_REG_STATUSR         0x0040
#define SMMU_REG_GBPA            0x0044
#define SMMU_REG_AGBPA           0x0048
#define SMMU_REG_IRQ_CTRL        0x0050
#define SMMU_REG_IRQ_CTRLACK     0x0054
#define SMMU_REG_GERROR          0x0060
#define SMMU_REG_GERRORN         0x0064
#define SMMU_REG_GERROR_IRQ_CFG0 0x0068 /* 64 */
#define SMMU_REG_GERROR_IRQ_CFG1 0x0070
#define SMMU_REG_GERROR_IRQ_CFG2 0x0074
#define SMMU_REG_STRTAB_BASE     0x0080 /* 64 */
#define SMMU_REG_STRTAB_BASE_CFG 0x0088
#define SMMU_REG_CMDQ_BASE       0x0090 /* 64 */
#define SMMU_REG_CMDQ_PROD       0x0098
#define SMMU_REG_CMDQ_CONS       0x009c
#define SMMU_REG_EVENTQ_BASE     0x00a0 /* 64 */
#define SMMU_REG_EVENTQ_PROD_P0  0x00a8 /* page-0 alias of EVENTQ_PROD (where implemented) */
#define SMMU_REG_EVENTQ_CONS_P0  0x00ac
#define SMMU_REG_EVENTQ_IRQ_CFG0 0x00b0 /* 64 */
#define SMMU_REG_EVENTQ_IRQ_CFG1 0x00b8
#define SMMU_REG_EVENTQ_IRQ_CFG2 0x00bc
#define SMMU_REG_PRIQ_BASE       0x00c0 /* 64 */
#define SMMU_REG_PRIQ_PROD_P0    0x00c8
#define SMMU_REG_PRIQ_CONS_P0    0x00cc
#define SMMU_PAGE1               0x10000 /* page 1: the queue indexes software updates */
#define SMMU_REG_EVENTQ_PROD     (SMMU_PAGE1 + 0x00a8)
#define SMMU_REG_EVENTQ_CONS     (SMMU_PAGE1 + 0x00ac)
#define SMMU_REG_PRIQ_PROD       (SMMU_PAGE1 + 0x00c8)
#define SMMU_REG_PRIQ_CONS       (SMMU_PAGE1 + 0x00cc)
#define SMMU_REGS_SIZE           0x20000 /* pages 0 and 1, 64 KiB each */

/* ---- IDR0 (6.3.1) ---- */
#define SMMU_IDR0_S2P            PTDBG_BIT(0)
#define SMMU_IDR0_S1P            PTDBG_BIT(1)
#define SMMU_IDR0_TTF_MASK       PTDBG_GENMASK(3, 2)   /* 1 AArch32, 2 AArch64, 3 both */
#define SMMU_IDR0_COHACC         PTDBG_BIT(4)
#define SMMU_IDR0_BTM            PTDBG_BIT(5)
#define SMMU_IDR0_HTTU_MASK      PTDBG_GENMASK(7, 6)   /* 1 access flag, 2 access and dirty */
#define SMMU_IDR0_DORMHINT       PTDBG_BIT(8)
#define SMMU_IDR0_HYP            PTDBG_BIT(9)
#define SMMU_IDR0_ATS            PTDBG_BIT(10)
#define SMMU_IDR0_NS1ATS         PTDBG_BIT(11)
#define SMMU_IDR0_ASID16         PTDBG_BIT(12)
#define SMMU_IDR0_MSI            PTDBG_BIT(13)
#define SMMU_IDR0_SEV            PTDBG_BIT(14)
#define SMMU_IDR0_ATOS           PTDBG_BIT(15)
#define SMMU_IDR0_PRI            PTDBG_BIT(16)
#define SMMU_IDR0_VMW            PTDBG_BIT(17)
#define SMMU_IDR0_VMID16         PTDBG_BIT(18)
#define SMMU_IDR0_CD2L           PTDBG_BIT(19)         /* two-level CD tables */
#define SMMU_IDR0_VATOS          PTDBG_BIT(20)
#define SMMU_IDR0_TTENDIAN_MASK  PTDBG_GENMASK(22, 21)
#define SMMU_IDR0_ATSRECERR      PTDBG_BIT(23)
#define SMMU_IDR0_STALL_MODEL_MASK PTDBG_GENMASK(25, 24)
#define SMMU_IDR0_TERM_MODEL     PTDBG_BIT(26)
#define SMMU_IDR0_ST_LEVEL_MASK  PTDBG_GENMASK(28, 27) /* 0 linear only, 1 two-level too */
#define SMMU_IDR0_TTF(v)         ((unsigned)PTDBG_FIELD_GET(SMMU_IDR0_TTF_MASK, v))
#define SMMU_IDR0_ST_LEVEL(v)    ((unsigned)PTDBG_FIELD_GET(SMMU_IDR0_ST_LEVEL_MASK, v))

/* ---- IDR1 (6.3.2) ---- */
#define SMMU_IDR1_SIDSIZE_MASK   PTDBG_GENMASK(5, 0)   /* stream id bits */
#define SMMU_IDR1_SSIDSIZE_MASK  PTDBG_GENMASK(10, 6)  /* substream id bits */
#define SMMU_IDR1_PRIQS_MASK     PTDBG_GENMASK(15, 11) /* log2 of the most PRI queue entries */
#define SMMU_IDR1_EVENTQS_MASK   PTDBG_GENMASK(20, 16) /* log2 of the most event queue entries */
#define SMMU_IDR1_CMDQS_MASK     PTDBG_GENMASK(25, 21) /* log2 of the most command queue entries */
#define SMMU_IDR1_ATTR_PERMS_OVR PTDBG_BIT(26)
#define SMMU_IDR1_ATTR_TYPES_OVR PTDBG_BIT(27)
#define SMMU_IDR1_REL            PTDBG_BIT(28)
#define SMMU_IDR1_QUEUES_PRESET  PTDBG_BIT(29)
#define SMMU_IDR1_TABLES_PRESET  PTDBG_BIT(30)
#define SMMU_IDR1_ECMDQ          PTDBG_BIT(31)
#define SMMU_IDR1_SIDSIZE(v)     ((unsigned)PTDBG_FIELD_GET(SMMU_IDR1_SIDSIZE_MASK, v))
#define SMMU_IDR1_SSIDSIZE(v)    ((unsigned)PTDBG_FIELD_GET(SMMU_IDR1_SSIDSIZE_MASK, v))
#define SMMU_IDR1_EVENTQS(v)     ((unsigned)PTDBG_FIELD_GET(SMMU_IDR1_EVENTQS_MASK, v))
#define SMMU_IDR1_CMDQS(v)       ((unsigned)PTDBG_FIELD_GET(SMMU_IDR1_CMDQS_MASK, v))

/* ---- IDR2 (6.3.3), IDR3 (6.3.4) ---- */
#define SMMU_IDR2_BA_VATOS_MASK  PTDBG_GENMASK(9, 0)
#define SMMU_IDR3_HAD            PTDBG_BIT(2)  /* hierarchical attribute disable */
#define SMMU_IDR3_PBHA           PTDBG_BIT(3)
#define SMMU_IDR3_XNX            PTDBG_BIT(4)
#define SMMU_IDR3_PPS            PTDBG_BIT(5)
#define SMMU_IDR3_MPAM           PTDBG_BIT(7)
#define SMMU_IDR3_FWB            PTDBG_BIT(8)
#define SMMU_IDR3_STT            PTDBG_BIT(9)  /* small translation tables */
#define SMMU_IDR3_RIL            PTDBG_BIT(10) /* range invalidation */
#define SMMU_IDR3_BBML_MASK      PTDBG_GENMASK(12, 11)
#define SMMU_IDR3_E0PD           PTDBG_BIT(13)
#define SMMU_IDR3_PTWNNC         PTDBG_BIT(14)

/* ---- IDR5 (6.3.6) ---- */
#define SMMU_IDR5_OAS_MASK       PTDBG_GENMASK(2, 0)   /* as SMMU_PS: 32 36 40 42 44 48 52 */
#define SMMU_IDR5_GRAN4K         PTDBG_BIT(4)
#define SMMU_IDR5_GRAN16K        PTDBG_BIT(5)
#define SMMU_IDR5_GRAN64K        PTDBG_BIT(6)
#define SMMU_IDR5_VAX_MASK       PTDBG_GENMASK(11, 10) /* 0 48-bit VA, 1 52-bit */
#define SMMU_IDR5_STALL_MAX_MASK PTDBG_GENMASK(31, 16)
#define SMMU_IDR5_OAS(v)         ((unsigned)PTDBG_FIELD_GET(SMMU_IDR5_OAS_MASK, v))
#define SMMU_IDR5_VAX(v)         ((unsigned)PTDBG_FIELD_GET(SMMU_IDR5_VAX_MASK, v))

/* ---- IIDR (6.3.7), AIDR (6.3.8) ---- */
#define SMMU_IIDR_IMPLEMENTER_MASK PTDBG_GENMASK(11, 0)
#define SMMU_IIDR_REVISION_MASK  PTDBG_GENMASK(15, 12)
#define SMMU_IIDR_VARIANT_MASK   PTDBG_GENMASK(19, 16)
#define SMMU_IIDR_PRODUCTID_MASK PTDBG_GENMASK(31, 20)
#define SMMU_AIDR_MINOR_MASK     PTDBG_GENMASK(3, 0)   /* SMMUv3.<minor> */
#define SMMU_AIDR_MAJOR_MASK     PTDBG_GENMASK(7, 4)   /* 0: SMMUv3 */
#define SMMU_AIDR_MINOR(v)       ((unsigned)PTDBG_FIELD_GET(SMMU_AIDR_MINOR_MASK, v))
#define SMMU_AIDR_MAJOR(v)       ((unsigned)PTDBG_FIELD_GET(SMMU_AIDR_MAJOR_MASK, v))

/* ---- CR0 / CR0ACK (6.3.9, 6.3.10): an enable and its acknowledgement share a bit ---- */
#define SMMU_CR0_SMMUEN          PTDBG_BIT(0)
#define SMMU_CR0_PRIQEN          PTDBG_BIT(1)
#define SMMU_CR0_EVENTQEN        PTDBG_BIT(2)
#define SMMU_CR0_CMDQEN          PTDBG_BIT(3)
#define SMMU_CR0_ATSCHK          PTDBG_BIT(4)
#define SMMU_CR0_VMW_MASK        PTDBG_GENMASK(8, 6)

/* ---- CR1 (6.3.11): attributes of table and queue accesses ---- */
#define SMMU_CR1_QUEUE_IC_MASK   PTDBG_GENMASK(1, 0)
#define SMMU_CR1_QUEUE_OC_MASK   PTDBG_GENMASK(3, 2)
#define SMMU_CR1_QUEUE_SH_MASK   PTDBG_GENMASK(5, 4)
#define SMMU_CR1_TABLE_IC_MASK   PTDBG_GENMASK(7, 6)
#define SMMU_CR1_TABLE_OC_MASK   PTDBG_GENMASK(9, 8)
#define SMMU_CR1_TABLE_SH_MASK   PTDBG_GENMASK(11, 10)

/* ---- CR2 (6.3.12) ---- */
#define SMMU_CR2_E2H             PTDBG_BIT(0)
#define SMMU_CR2_RECINVSID       PTDBG_BIT(1) /* record C_BAD_STREAMID */
#define SMMU_CR2_PTM             PTDBG_BIT(2) /* private TLB maintenance */

/* ---- STATUSR (6.3.13) ---- */
#define SMMU_STATUSR_DORMANT     PTDBG_BIT(0)

/* ---- GBPA (6.3.14): what happens to transactions while SMMUEN=0 ---- */
#define SMMU_GBPA_MEMATTR_MASK   PTDBG_GENMASK(3, 0)
#define SMMU_GBPA_MTCFG          PTDBG_BIT(4)
#define SMMU_GBPA_ALLOCCFG_MASK  PTDBG_GENMASK(11, 8)
#define SMMU_GBPA_SHCFG_MASK     PTDBG_GENMASK(13, 12)
#define SMMU_GBPA_PRIVCFG_MASK   PTDBG_GENMASK(17, 16)
#define SMMU_GBPA_INSTCFG_MASK   PTDBG_GENMASK(19, 18)
#define SMMU_GBPA_ABORT          PTDBG_BIT(20) /* abort instead of bypass */
#define SMMU_GBPA_UPDATE         PTDBG_BIT(31) /* set by software, cleared when done */

/* ---- IRQ_CTRL / IRQ_CTRLACK (6.3.16, 6.3.17) ---- */
#define SMMU_IRQ_CTRL_GERROR_IRQEN PTDBG_BIT(0)
#define SMMU_IRQ_CTRL_PRIQ_IRQEN   PTDBG_BIT(1)
#define SMMU_IRQ_CTRL_EVENTQ_IRQEN PTDBG_BIT(2)

/* ---- GERROR / GERRORN (6.3.18, 6.3.19): an error is active while its bit differs ---- */
#define SMMU_GERROR_CMDQ_ERR           PTDBG_BIT(0) /* see CMDQ_CONS.ERR */
#define SMMU_GERROR_EVENTQ_ABT_ERR     PTDBG_BIT(2) /* event queue write aborted (QEMU: queue full) */
#define SMMU_GERROR_PRIQ_ABT_ERR       PTDBG_BIT(3)
#define SMMU_GERROR_MSI_CMDQ_ABT_ERR   PTDBG_BIT(4)
#define SMMU_GERROR_MSI_EVENTQ_ABT_ERR PTDBG_BIT(5)
#define SMMU_GERROR_MSI_PRIQ_ABT_ERR   PTDBG_BIT(6)
#define SMMU_GERROR_MSI_GERROR_ABT_ERR PTDBG_BIT(7)
#define SMMU_GERROR_SFM_ERR            PTDBG_BIT(8) /* the SMMU entered service failure mode */
#define SMMU_GERROR_CMDQP_ERR          PTDBG_BIT(9)
#define SMMU_GERROR_ERRORS                                                              \
	(SMMU_GERROR_CMDQ_ERR | SMMU_GERROR_EVENTQ_ABT_ERR | SMMU_GERROR_PRIQ_ABT_ERR |  \
	 SMMU_GERROR_MSI_CMDQ_ABT_ERR | SMMU_GERROR_MSI_EVENTQ_ABT_ERR |                 \
	 SMMU_GERROR_MSI_PRIQ_ABT_ERR | SMMU_GERROR_MSI_GERROR_ABT_ERR |                 \
	 SMMU_GERROR_SFM_ERR | SMMU_GERROR_CMDQP_ERR)
/* The errors active now: the bits where GERROR and GERRORN differ. */
static inline uint32_t smmu_gerror_active(uint32_t gerror, uint32_t gerrorn)
{
	return (uint32_t)((gerror ^ gerrorn) & SMMU_GERROR_ERRORS);
}

/* ---- IRQ_CFG0 of GERROR, EVENTQ, PRIQ (6.3.20): the MSI address ---- */
#define SMMU_IRQ_CFG0_ADDR       PTDBG_GENMASK(51, 2)
#define SMMU_IRQ_CFG2_MEMATTR_MASK PTDBG_GENMASK(3, 0)
#define SMMU_IRQ_CFG2_SH_MASK    PTDBG_GENMASK(5, 4)

/* ---- STRTAB_BASE, STRTAB_BASE_CFG (6.3.23, 6.3.24) ---- */
#define SMMU_STRTAB_BASE_ADDR    PTDBG_GENMASK(51, 6)
#define SMMU_STRTAB_BASE_RA      PTDBG_BIT(62)
#define SMMU_STRTAB_CFG_LOG2SIZE_MASK PTDBG_GENMASK(5, 0)   /* log2 of the stream ids covered */
#define SMMU_STRTAB_CFG_SPLIT_MASK    PTDBG_GENMASK(10, 6)  /* two-level: SID bits below the split */
#define SMMU_STRTAB_CFG_FMT_MASK      PTDBG_GENMASK(17, 16) /* 0 linear, 1 two-level */
#define SMMU_STRTAB_CFG_LOG2SIZE(v)   ((unsigned)PTDBG_FIELD_GET(SMMU_STRTAB_CFG_LOG2SIZE_MASK, v))
#define SMMU_STRTAB_CFG_SPLIT(v)      ((unsigned)PTDBG_FIELD_GET(SMMU_STRTAB_CFG_SPLIT_MASK, v))
#define SMMU_STRTAB_CFG_FMT(v)        ((unsigned)PTDBG_FIELD_GET(SMMU_STRTAB_CFG_FMT_MASK, v))
#define SMMU_STRTAB_CFG_LOG2SIZE_PUT(x) PTDBG_FIELD_PUT(SMMU_STRTAB_CFG_LOG2SIZE_MASK, x)
#define SMMU_STRTAB_CFG_SPLIT_PUT(x)    PTDBG_FIELD_PUT(SMMU_STRTAB_CFG_SPLIT_MASK, x)
#define SMMU_STRTAB_CFG_FMT_PUT(x)      PTDBG_FIELD_PUT(SMMU_STRTAB_CFG_FMT_MASK, x)
enum smmu_strtab_fmt { SMMU_STRTAB_LINEAR = 0, SMMU_STRTAB_2LVL = 1 };
#define SMMU_STRTAB_SPLIT_MAX    12 /* 6, 8 and 10 are the architected splits; at most 12 */

/* ---- queues: CMDQ_BASE, EVENTQ_BASE, PRIQ_BASE (6.3.25, 6.3.28) ---- */
#define SMMU_Q_BASE_LOG2SIZE_MASK PTDBG_GENMASK(4, 0)
#define SMMU_Q_BASE_ADDR         PTDBG_GENMASK(51, 5)
#define SMMU_Q_BASE_RWA          PTDBG_BIT(62) /* read-allocate (CMDQ) / write-allocate */
#define SMMU_Q_BASE_LOG2SIZE(v)  ((unsigned)PTDBG_FIELD_GET(SMMU_Q_BASE_LOG2SIZE_MASK, v))
#define SMMU_Q_LOG2SIZE_MAX      19 /* the architected maximum of IDR1.CMDQS/EVENTQS */
/* PROD and CONS: the index in bits [log2size-1:0], the wrap bit at log2size. */
#define SMMU_Q_IDX_WRP_MASK      PTDBG_GENMASK(19, 0)
#define SMMU_Q_PROD_OVFLG        PTDBG_BIT(31) /* EVENTQ/PRIQ_PROD: the queue overflowed */
#define SMMU_Q_CONS_OVACKFLG     PTDBG_BIT(31) /* EVENTQ/PRIQ_CONS: overflow acknowledged */
#define SMMU_CMDQ_CONS_ERR_MASK  PTDBG_GENMASK(30, 24)
#define SMMU_CMDQ_CONS_ERR(v)    ((unsigned)PTDBG_FIELD_GET(SMMU_CMDQ_CONS_ERR_MASK, v))
enum smmu_cmdq_err { SMMU_CERROR_NONE = 0, SMMU_CERROR_ILL = 1, SMMU_CERROR_ABT = 2,
		     SMMU_CERROR_ATC_INV_SYNC = 3 };

/* Output/intermediate address sizes (IDR5.OAS, CD.IPS, STE.S2PS): the encoding's bits. */
static inline unsigned smmu_pa_bits(unsigned enc)
{
	static const uint8_t bits[8] = { 32, 36, 40, 42, 44, 48, 52, 0 };
	return bits[enc & 7];
}

/* ---- stream table entry (5.2): 64 bytes, dwords 0..7 ---- */
#define SMMU_STE_DWORDS          8
#define SMMU_STE_SIZE            64
#define SMMU_STE0_V              PTDBG_BIT(0)
#define SMMU_STE0_CONFIG_MASK    PTDBG_GENMASK(3, 1)
#define SMMU_STE0_S1FMT_MASK     PTDBG_GENMASK(5, 4)   /* CD table: 0 linear, 1 2-level 4K, 2 2-level 64K */
#define SMMU_STE0_S1CTXPTR       PTDBG_GENMASK(51, 6)  /* the CD, or CD table */
#define SMMU_STE0_S1CDMAX_MASK   PTDBG_GENMASK(63, 59) /* log2 of the substreams */
#define SMMU_STE0_CONFIG(v)      ((unsigned)PTDBG_FIELD_GET(SMMU_STE0_CONFIG_MASK, v))
#define SMMU_STE0_S1FMT(v)       ((unsigned)PTDBG_FIELD_GET(SMMU_STE0_S1FMT_MASK, v))
#define SMMU_STE0_S1CDMAX(v)     ((unsigned)PTDBG_FIELD_GET(SMMU_STE0_S1CDMAX_MASK, v))
#define SMMU_STE0_CONFIG_PUT(x)  PTDBG_FIELD_PUT(SMMU_STE0_CONFIG_MASK, x)
#define SMMU_STE0_S1FMT_PUT(x)   PTDBG_FIELD_PUT(SMMU_STE0_S1FMT_MASK, x)
#define SMMU_STE0_S1CDMAX_PUT(x) PTDBG_FIELD_PUT(SMMU_STE0_S1CDMAX_MASK, x)
enum smmu_ste_config {
	SMMU_STE_CFG_ABORT  = 0, /* 0b000: abort, no event */
	SMMU_STE_CFG_BYPASS = 4, /* 0b100: both stages bypassed */
	SMMU_STE_CFG_S1     = 5, /* 0b101: stage 1 translates, stage 2 bypassed */
	SMMU_STE_CFG_S2     = 6, /* 0b110: stage 2 only */
	SMMU_STE_CFG_NESTED = 7, /* 0b111: both stages */
};                               /* 1..3 are reserved */
enum smmu_s1fmt { SMMU_S1FMT_LINEAR = 0, SMMU_S1FMT_2LVL_4K = 1, SMMU_S1FMT_2LVL_64K = 2 };

#define SMMU_STE1_S1DSS_MASK     PTDBG_GENMASK(1, 0)   /* transactions without a substream */
#define SMMU_STE1_S1CIR_MASK     PTDBG_GENMASK(3, 2)   /* CD table walk cacheability */
#define SMMU_STE1_S1COR_MASK     PTDBG_GENMASK(5, 4)
#define SMMU_STE1_S1CSH_MASK     PTDBG_GENMASK(7, 6)
#define SMMU_STE1_S2HWU_MASK     PTDBG_GENMASK(11, 8)
#define SMMU_STE1_DRE            PTDBG_BIT(12)
#define SMMU_STE1_CONT_MASK      PTDBG_GENMASK(16, 13)
#define SMMU_STE1_DCP            PTDBG_BIT(17)
#define SMMU_STE1_PPAR           PTDBG_BIT(18)
#define SMMU_STE1_MEV            PTDBG_BIT(19)         /* events may be merged */
#define SMMU_STE1_S2FWB          PTDBG_BIT(25)
#define SMMU_STE1_S1MPAM         PTDBG_BIT(26)
#define SMMU_STE1_S1STALLD       PTDBG_BIT(27)
#define SMMU_STE1_EATS_MASK      PTDBG_GENMASK(29, 28) /* ATS: 0 off, 1 full, 2 split-stage */
#define SMMU_STE1_STRW_MASK      PTDBG_GENMASK(31, 30) /* StreamWorld: 0 NS-EL1, 2 EL2 */
#define SMMU_STE1_MEMATTR_MASK   PTDBG_GENMASK(35, 32)
#define SMMU_STE1_MTCFG          PTDBG_BIT(36)
#define SMMU_STE1_ALLOCCFG_MASK  PTDBG_GENMASK(40, 37)
#define SMMU_STE1_SHCFG_MASK     PTDBG_GENMASK(45, 44)
#define SMMU_STE1_NSCFG_MASK     PTDBG_GENMASK(47, 46)
#define SMMU_STE1_PRIVCFG_MASK   PTDBG_GENMASK(49, 48)
#define SMMU_STE1_INSTCFG_MASK   PTDBG_GENMASK(51, 50)
#define SMMU_STE1_IMPDEF_MASK    PTDBG_GENMASK(63, 52)
#define SMMU_STE1_S1DSS(v)       ((unsigned)PTDBG_FIELD_GET(SMMU_STE1_S1DSS_MASK, v))
#define SMMU_STE1_EATS(v)        ((unsigned)PTDBG_FIELD_GET(SMMU_STE1_EATS_MASK, v))
#define SMMU_STE1_STRW(v)        ((unsigned)PTDBG_FIELD_GET(SMMU_STE1_STRW_MASK, v))
#define SMMU_STE1_SHCFG(v)       ((unsigned)PTDBG_FIELD_GET(SMMU_STE1_SHCFG_MASK, v))
#define SMMU_STE1_S1DSS_PUT(x)   PTDBG_FIELD_PUT(SMMU_STE1_S1DSS_MASK, x)
#define SMMU_STE1_S1CIR_PUT(x)   PTDBG_FIELD_PUT(SMMU_STE1_S1CIR_MASK, x)
#define SMMU_STE1_S1COR_PUT(x)   PTDBG_FIELD_PUT(SMMU_STE1_S1COR_MASK, x)
#define SMMU_STE1_S1CSH_PUT(x)   PTDBG_FIELD_PUT(SMMU_STE1_S1CSH_MASK, x)
#define SMMU_STE1_EATS_PUT(x)    PTDBG_FIELD_PUT(SMMU_STE1_EATS_MASK, x)
#define SMMU_STE1_STRW_PUT(x)    PTDBG_FIELD_PUT(SMMU_STE1_STRW_MASK, x)
#define SMMU_STE1_SHCFG_PUT(x)   PTDBG_FIELD_PUT(SMMU_STE1_SHCFG_MASK, x)
enum smmu_s1dss { SMMU_S1DSS_TERMINATE = 0, SMMU_S1DSS_BYPASS = 1, SMMU_S1DSS_SSID0 = 2 };
enum smmu_strw { SMMU_STRW_NSEL1 = 0, SMMU_STRW_EL2 = 2 };
#define SMMU_SHCFG_INCOMING      1

#define SMMU_STE2_S2VMID_MASK    PTDBG_GENMASK(15, 0)
#define SMMU_STE2_S2T0SZ_MASK    PTDBG_GENMASK(37, 32)
#define SMMU_STE2_S2SL0_MASK     PTDBG_GENMASK(39, 38)
#define SMMU_STE2_S2IR0_MASK     PTDBG_GENMASK(41, 40)
#define SMMU_STE2_S2OR0_MASK     PTDBG_GENMASK(43, 42)
#define SMMU_STE2_S2SH0_MASK     PTDBG_GENMASK(45, 44)
#define SMMU_STE2_S2TG_MASK      PTDBG_GENMASK(47, 46) /* 0 4K, 1 64K, 2 16K */
#define SMMU_STE2_S2PS_MASK      PTDBG_GENMASK(50, 48)
#define SMMU_STE2_S2AA64         PTDBG_BIT(51)
#define SMMU_STE2_S2ENDI         PTDBG_BIT(52)
#define SMMU_STE2_S2AFFD         PTDBG_BIT(53)
#define SMMU_STE2_S2PTW          PTDBG_BIT(54)
#define SMMU_STE2_S2HD           PTDBG_BIT(55)
#define SMMU_STE2_S2HA           PTDBG_BIT(56)
#define SMMU_STE2_S2S            PTDBG_BIT(57)
#define SMMU_STE2_S2R            PTDBG_BIT(58)
#define SMMU_STE2_S2VMID(v)      ((unsigned)PTDBG_FIELD_GET(SMMU_STE2_S2VMID_MASK, v))
#define SMMU_STE2_S2T0SZ(v)      ((unsigned)PTDBG_FIELD_GET(SMMU_STE2_S2T0SZ_MASK, v))
#define SMMU_STE2_S2SL0(v)       ((unsigned)PTDBG_FIELD_GET(SMMU_STE2_S2SL0_MASK, v))
#define SMMU_STE2_S2TG(v)        ((unsigned)PTDBG_FIELD_GET(SMMU_STE2_S2TG_MASK, v))
#define SMMU_STE2_S2PS(v)        ((unsigned)PTDBG_FIELD_GET(SMMU_STE2_S2PS_MASK, v))
#define SMMU_STE3_S2TTB          PTDBG_GENMASK(51, 4)

/* ---- two-level stream table: level-1 descriptor (5.1), 8 bytes ---- */
#define SMMU_L1STD_SIZE          8
#define SMMU_L1STD_SPAN_MASK     PTDBG_GENMASK(4, 0)   /* 2^(Span-1) STEs below; 0: invalid */
#define SMMU_L1STD_L2PTR         PTDBG_GENMASK(51, 6)
#define SMMU_L1STD_SPAN(v)       ((unsigned)PTDBG_FIELD_GET(SMMU_L1STD_SPAN_MASK, v))
#define SMMU_L1STD_SPAN_PUT(x)   PTDBG_FIELD_PUT(SMMU_L1STD_SPAN_MASK, x)

/* ---- context descriptor (5.4): 64 bytes, dwords 0..7 ---- */
#define SMMU_CD_DWORDS           8
#define SMMU_CD_SIZE             64
#define SMMU_CD0_T0SZ_MASK       PTDBG_GENMASK(5, 0)
#define SMMU_CD0_TG0_MASK        PTDBG_GENMASK(7, 6)   /* 0 4K, 1 64K, 2 16K */
#define SMMU_CD0_IR0_MASK        PTDBG_GENMASK(9, 8)
#define SMMU_CD0_OR0_MASK        PTDBG_GENMASK(11, 10)
#define SMMU_CD0_SH0_MASK        PTDBG_GENMASK(13, 12)
#define SMMU_CD0_EPD0            PTDBG_BIT(14)         /* no walks through TTB0 */
#define SMMU_CD0_ENDI            PTDBG_BIT(15)         /* big-endian tables */
#define SMMU_CD0_T1SZ_MASK       PTDBG_GENMASK(21, 16)
#define SMMU_CD0_TG1_MASK        PTDBG_GENMASK(23, 22) /* 1 16K, 2 4K, 3 64K (as TCR.TG1) */
#define SMMU_CD0_IR1_MASK        PTDBG_GENMASK(25, 24)
#define SMMU_CD0_OR1_MASK        PTDBG_GENMASK(27, 26)
#define SMMU_CD0_SH1_MASK        PTDBG_GENMASK(29, 28)
#define SMMU_CD0_EPD1            PTDBG_BIT(30)
#define SMMU_CD0_V               PTDBG_BIT(31)
#define SMMU_CD0_IPS_MASK        PTDBG_GENMASK(34, 32) /* as IDR5.OAS */
#define SMMU_CD0_AFFD            PTDBG_BIT(35)         /* access flag faults disabled */
#define SMMU_CD0_WXN             PTDBG_BIT(36)
#define SMMU_CD0_UWXN            PTDBG_BIT(37)
#define SMMU_CD0_TBI_MASK        PTDBG_GENMASK(39, 38) /* top byte ignore: bit 0 TTB0, bit 1 TTB1 */
#define SMMU_CD0_PAN             PTDBG_BIT(40)
#define SMMU_CD0_AA64            PTDBG_BIT(41)         /* AArch64 (VMSAv8-64) tables */
#define SMMU_CD0_HD              PTDBG_BIT(42)         /* hardware dirty state */
#define SMMU_CD0_HA              PTDBG_BIT(43)         /* hardware access flag */
#define SMMU_CD0_S               PTDBG_BIT(44)         /* stall faulting transactions */
#define SMMU_CD0_R               PTDBG_BIT(45)         /* record faults as events */
#define SMMU_CD0_A               PTDBG_BIT(46)         /* faulting transactions abort (else RAZ/WI) */
#define SMMU_CD0_ASET            PTDBG_BIT(47)
#define SMMU_CD0_ASID_MASK       PTDBG_GENMASK(63, 48)
#define SMMU_CD0_T0SZ(v)         ((unsigned)PTDBG_FIELD_GET(SMMU_CD0_T0SZ_MASK, v))
#define SMMU_CD0_TG0(v)          ((unsigned)PTDBG_FIELD_GET(SMMU_CD0_TG0_MASK, v))
#define SMMU_CD0_T1SZ(v)         ((unsigned)PTDBG_FIELD_GET(SMMU_CD0_T1SZ_MASK, v))
#define SMMU_CD0_TG1(v)          ((unsigned)PTDBG_FIELD_GET(SMMU_CD0_TG1_MASK, v))
#define SMMU_CD0_IPS(v)          ((unsigned)PTDBG_FIELD_GET(SMMU_CD0_IPS_MASK, v))
#define SMMU_CD0_TBI(v)          ((unsigned)PTDBG_FIELD_GET(SMMU_CD0_TBI_MASK, v))
#define SMMU_CD0_ASID(v)         ((unsigned)PTDBG_FIELD_GET(SMMU_CD0_ASID_MASK, v))
#define SMMU_CD0_T0SZ_PUT(x)     PTDBG_FIELD_PUT(SMMU_CD0_T0SZ_MASK, x)
#define SMMU_CD0_TG0_PUT(x)      PTDBG_FIELD_PUT(SMMU_CD0_TG0_MASK, x)
#define SMMU_CD0_IR0_PUT(x)      PTDBG_FIELD_PUT(SMMU_CD0_IR0_MASK, x)
#define SMMU_CD0_OR0_PUT(x)      PTDBG_FIELD_PUT(SMMU_CD0_OR0_MASK, x)
#define SMMU_CD0_SH0_PUT(x)      PTDBG_FIELD_PUT(SMMU_CD0_SH0_MASK, x)
#define SMMU_CD0_T1SZ_PUT(x)     PTDBG_FIELD_PUT(SMMU_CD0_T1SZ_MASK, x)
#define SMMU_CD0_TG1_PUT(x)      PTDBG_FIELD_PUT(SMMU_CD0_TG1_MASK, x)
#define SMMU_CD0_IPS_PUT(x)      PTDBG_FIELD_PUT(SMMU_CD0_IPS_MASK, x)
#define SMMU_CD0_ASID_PUT(x)     PTDBG_FIELD_PUT(SMMU_CD0_ASID_MASK, x)
enum smmu_tg0 { SMMU_TG0_4K = 0, SMMU_TG0_64K = 1, SMMU_TG0_16K = 2 };
enum smmu_tg1 { SMMU_TG1_16K = 1, SMMU_TG1_4K = 2, SMMU_TG1_64K = 3 };
#define SMMU_CD_TSZ_MIN          16 /* 48-bit input without IDR5.VAX */
#define SMMU_CD_TSZ_MIN_VAX      12
#define SMMU_CD_TSZ_MAX          39

#define SMMU_CD1_NSCFG0          PTDBG_BIT(0)
#define SMMU_CD1_HAD0            PTDBG_BIT(1)
#define SMMU_CD1_TTB0            PTDBG_GENMASK(51, 4)
#define SMMU_CD1_HWU0_MASK       PTDBG_GENMASK(62, 59)
#define SMMU_CD2_NSCFG1          PTDBG_BIT(0)
#define SMMU_CD2_HAD1            PTDBG_BIT(1)
#define SMMU_CD2_TTB1            PTDBG_GENMASK(51, 4)
#define SMMU_CD2_HWU1_MASK       PTDBG_GENMASK(62, 59)
#define SMMU_CD3_MAIR0_MASK      PTDBG_GENMASK(31, 0)  /* MAIR_EL1 bits 31:0 */
#define SMMU_CD3_MAIR1_MASK      PTDBG_GENMASK(63, 32) /* MAIR_EL1 bits 63:32 */
#define SMMU_CD4_AMAIR0_MASK     PTDBG_GENMASK(31, 0)
#define SMMU_CD4_AMAIR1_MASK     PTDBG_GENMASK(63, 32)
#define SMMU_CD5_IMPDEF_MASK     (~0ull)
#define SMMU_CD6_PARTID_MASK     PTDBG_GENMASK(15, 0)
#define SMMU_CD6_PMG_MASK        PTDBG_GENMASK(23, 16)

/* ---- two-level CD table: level-1 descriptor (5.4.1), 8 bytes ---- */
#define SMMU_L1CD_SIZE           8
#define SMMU_L1CD_V              PTDBG_BIT(0)
#define SMMU_L1CD_L2PTR          PTDBG_GENMASK(51, 12)
/* Substream id bits a level-2 CD table resolves: 6 (4 KiB leaves) or 10 (64 KiB). */
static inline unsigned smmu_cd_l2_bits(unsigned s1fmt)
{
	return s1fmt == SMMU_S1FMT_2LVL_64K ? 10 : 6;
}

/* ---- commands (4.1-4.7): 16 bytes, dwords 0..1 ---- */
#define SMMU_CMD_SIZE            16
#define SMMU_CMD0_OPCODE_MASK    PTDBG_GENMASK(7, 0)
#define SMMU_CMD0_SSEC           PTDBG_BIT(10)
#define SMMU_CMD0_SSV            PTDBG_BIT(11)
#define SMMU_CMD0_SSID_MASK      PTDBG_GENMASK(31, 12) /* CFGI_CD, ATC_INV, PRI_RESP */
#define SMMU_CMD0_SID_MASK       PTDBG_GENMASK(63, 32) /* CFGI_STE, CFGI_CD, PREFETCH, ... */
#define SMMU_CMD0_TLBI_NUM_MASK  PTDBG_GENMASK(16, 12)
#define SMMU_CMD0_TLBI_SCALE_MASK PTDBG_GENMASK(24, 20)
#define SMMU_CMD0_VMID_MASK      PTDBG_GENMASK(47, 32)
#define SMMU_CMD0_ASID_MASK      PTDBG_GENMASK(63, 48)
#define SMMU_CMD0_SYNC_CS_MASK   PTDBG_GENMASK(13, 12) /* 0 none, 1 IRQ, 2 SEV */
#define SMMU_CMD0_SYNC_MSH_MASK  PTDBG_GENMASK(23, 22)
#define SMMU_CMD0_SYNC_MSIATTR_MASK PTDBG_GENMASK(27, 24)
#define SMMU_CMD0_SYNC_MSIDATA_MASK PTDBG_GENMASK(63, 32)
#define SMMU_CMD1_LEAF           PTDBG_BIT(0)
#define SMMU_CMD1_RANGE_MASK     PTDBG_GENMASK(4, 0)   /* CFGI_STE_RANGE: 2^(Range+1) SIDs */
#define SMMU_CMD1_TLBI_TTL_MASK  PTDBG_GENMASK(9, 8)
#define SMMU_CMD1_TLBI_TG_MASK   PTDBG_GENMASK(11, 10)
#define SMMU_CMD1_TLBI_ADDR      PTDBG_GENMASK(63, 12)
#define SMMU_CMD1_SYNC_MSIADDR   PTDBG_GENMASK(51, 2)
#define SMMU_CMD0_OPCODE(v)      ((unsigned)PTDBG_FIELD_GET(SMMU_CMD0_OPCODE_MASK, v))
#define SMMU_CMD0_SID_PUT(x)     PTDBG_FIELD_PUT(SMMU_CMD0_SID_MASK, x)
#define SMMU_CMD0_SSID_PUT(x)    PTDBG_FIELD_PUT(SMMU_CMD0_SSID_MASK, x)
#define SMMU_CMD0_ASID_PUT(x)    PTDBG_FIELD_PUT(SMMU_CMD0_ASID_MASK, x)
#define SMMU_CMD0_VMID_PUT(x)    PTDBG_FIELD_PUT(SMMU_CMD0_VMID_MASK, x)
#define SMMU_CMD0_SYNC_CS_PUT(x) PTDBG_FIELD_PUT(SMMU_CMD0_SYNC_CS_MASK, x)
#define SMMU_CMD1_RANGE_PUT(x)   PTDBG_FIELD_PUT(SMMU_CMD1_RANGE_MASK, x)
enum smmu_cmd_opcode {
	SMMU_CMD_PREFETCH_CONFIG = 0x01,
	SMMU_CMD_PREFETCH_ADDR   = 0x02,
	SMMU_CMD_CFGI_STE        = 0x03,
	SMMU_CMD_CFGI_STE_RANGE  = 0x04, /* CFGI_ALL is STE_RANGE with Range 31 */
	SMMU_CMD_CFGI_CD         = 0x05,
	SMMU_CMD_CFGI_CD_ALL     = 0x06,
	SMMU_CMD_CFGI_VMS_PIDM   = 0x07,
	SMMU_CMD_TLBI_NH_ALL     = 0x10,
	SMMU_CMD_TLBI_NH_ASID    = 0x11,
	SMMU_CMD_TLBI_NH_VA      = 0x12,
	SMMU_CMD_TLBI_NH_VAA     = 0x13,
	SMMU_CMD_TLBI_EL3_ALL    = 0x18,
	SMMU_CMD_TLBI_EL3_VA     = 0x1a,
	SMMU_CMD_TLBI_EL2_ALL    = 0x20,
	SMMU_CMD_TLBI_EL2_ASID   = 0x21,
	SMMU_CMD_TLBI_EL2_VA     = 0x22,
	SMMU_CMD_TLBI_EL2_VAA    = 0x23,
	SMMU_CMD_TLBI_S12_VMALL  = 0x28,
	SMMU_CMD_TLBI_S2_IPA     = 0x2a,
	SMMU_CMD_TLBI_NSNH_ALL   = 0x30,
	SMMU_CMD_ATC_INV         = 0x40,
	SMMU_CMD_PRI_RESP        = 0x41,
	SMMU_CMD_RESUME          = 0x44,
	SMMU_CMD_STALL_TERM      = 0x45,
	SMMU_CMD_SYNC            = 0x46,
};
#define SMMU_CMD_CFGI_ALL_RANGE  31
enum smmu_sync_cs { SMMU_SYNC_CS_NONE = 0, SMMU_SYNC_CS_IRQ = 1, SMMU_SYNC_CS_SEV = 2 };

/* ---- event records (7.2, 7.3): 32 bytes, dwords 0..3 ---- */
#define SMMU_EVT_SIZE            32
#define SMMU_EVT_DWORDS          4
#define SMMU_EVT0_TYPE_MASK      PTDBG_GENMASK(7, 0)
#define SMMU_EVT0_SSV            PTDBG_BIT(11)
#define SMMU_EVT0_SSID_MASK      PTDBG_GENMASK(31, 12)
#define SMMU_EVT0_SID_MASK       PTDBG_GENMASK(63, 32)
#define SMMU_EVT1_STAG_MASK      PTDBG_GENMASK(15, 0)
#define SMMU_EVT1_STALL          PTDBG_BIT(31)
#define SMMU_EVT1_PNU            PTDBG_BIT(33) /* privileged (1) or unprivileged */
#define SMMU_EVT1_IND            PTDBG_BIT(34) /* instruction (1) or data */
#define SMMU_EVT1_RNW            PTDBG_BIT(35) /* read (1) or write */
#define SMMU_EVT1_S2             PTDBG_BIT(39) /* the fault arose at stage 2 */
#define SMMU_EVT1_CLASS_MASK     PTDBG_GENMASK(41, 40) /* 0 CD fetch, 1 table walk, 2 input address */
#define SMMU_EVT1_TTRNW          PTDBG_BIT(44) /* the walk's access was a read (HTTU) */
#define SMMU_EVT3_NSIPA          PTDBG_BIT(0)
#define SMMU_EVT3_IPA            PTDBG_GENMASK(51, 12)
#define SMMU_EVT3_FETCH_ADDR     PTDBG_GENMASK(51, 3)
#define SMMU_EVT0_TYPE(v)        ((unsigned)PTDBG_FIELD_GET(SMMU_EVT0_TYPE_MASK, v))
#define SMMU_EVT0_SSID(v)        ((uint32_t)PTDBG_FIELD_GET(SMMU_EVT0_SSID_MASK, v))
#define SMMU_EVT0_SID(v)         ((uint32_t)PTDBG_FIELD_GET(SMMU_EVT0_SID_MASK, v))
#define SMMU_EVT1_CLASS(v)       ((unsigned)PTDBG_FIELD_GET(SMMU_EVT1_CLASS_MASK, v))
#define SMMU_EVT0_TYPE_PUT(x)    PTDBG_FIELD_PUT(SMMU_EVT0_TYPE_MASK, x)
#define SMMU_EVT0_SSID_PUT(x)    PTDBG_FIELD_PUT(SMMU_EVT0_SSID_MASK, x)
#define SMMU_EVT0_SID_PUT(x)     PTDBG_FIELD_PUT(SMMU_EVT0_SID_MASK, x)
#define SMMU_EVT1_CLASS_PUT(x)   PTDBG_FIELD_PUT(SMMU_EVT1_CLASS_MASK, x)
enum smmu_event_class { SMMU_CLASS_CD = 0, SMMU_CLASS_TT = 1, SMMU_CLASS_IN = 2 };
enum smmu_event_type {
	SMMU_EVT_F_UUT              = 0x01, /* unsupported upstream transaction */
	SMMU_EVT_C_BAD_STREAMID     = 0x02, /* stream id out of range or its L2 table invalid */
	SMMU_EVT_F_STE_FETCH        = 0x03, /* the STE could not be fetched */
	SMMU_EVT_C_BAD_STE          = 0x04, /* invalid STE (V=0 or malformed) */
	SMMU_EVT_F_BAD_ATS_TREQ     = 0x05,
	SMMU_EVT_F_STREAM_DISABLED  = 0x06, /* no substream and S1DSS terminates */
	SMMU_EVT_F_TRANSL_FORBIDDEN = 0x07, /* translated ATS transaction not allowed */
	SMMU_EVT_C_BAD_SUBSTREAMID  = 0x08, /* substream out of range or its CD table invalid */
	SMMU_EVT_F_CD_FETCH         = 0x09, /* the CD could not be fetched */
	SMMU_EVT_C_BAD_CD           = 0x0a, /* invalid CD */
	SMMU_EVT_F_WALK_EABT        = 0x0b, /* external abort on a table walk */
	SMMU_EVT_F_TRANSLATION      = 0x10, /* no valid translation */
	SMMU_EVT_F_ADDR_SIZE        = 0x11, /* address above the input or output size */
	SMMU_EVT_F_ACCESS           = 0x12, /* access flag clear */
	SMMU_EVT_F_PERMISSION       = 0x13, /* access not permitted */
	SMMU_EVT_F_TLB_CONFLICT     = 0x20,
	SMMU_EVT_F_CFG_CONFLICT     = 0x21,
	SMMU_EVT_E_PAGE_REQUEST     = 0x24,
	SMMU_EVT_F_VMS_FETCH        = 0x25,
};

/* ---- reserved bits, derived from the fields above ---- */

/* Address bits at and above oas bits (0: the architectural 52), below bit 52. */
static inline uint64_t smmu_addr_rsvd(unsigned oas)
{
	if (!oas || oas > 52)
		oas = 52;
	return PTDBG_GENMASK(51, 0) & ~((1ull << oas) - 1);
}

/* STE dwords 0..7 of a unit with output address size oas. Dwords 4..7 hold only
 * the secure and virtual-machine-structure fields this non-secure, SMMUv3.0-3.1
 * view does not use: reserved. */
static inline uint64_t smmu_ste_rsvd(unsigned dword, unsigned oas)
{
	switch (dword) {
	case 0:
		return ~(SMMU_STE0_V | SMMU_STE0_CONFIG_MASK | SMMU_STE0_S1FMT_MASK |
			 SMMU_STE0_S1CTXPTR | SMMU_STE0_S1CDMAX_MASK) |
		       (smmu_addr_rsvd(oas) & SMMU_STE0_S1CTXPTR);
	case 1:
		return ~(SMMU_STE1_S1DSS_MASK | SMMU_STE1_S1CIR_MASK | SMMU_STE1_S1COR_MASK |
			 SMMU_STE1_S1CSH_MASK | SMMU_STE1_S2HWU_MASK | SMMU_STE1_DRE |
			 SMMU_STE1_CONT_MASK | SMMU_STE1_DCP | SMMU_STE1_PPAR | SMMU_STE1_MEV |
			 SMMU_STE1_S2FWB | SMMU_STE1_S1MPAM | SMMU_STE1_S1STALLD |
			 SMMU_STE1_EATS_MASK | SMMU_STE1_STRW_MASK | SMMU_STE1_MEMATTR_MASK |
			 SMMU_STE1_MTCFG | SMMU_STE1_ALLOCCFG_MASK | SMMU_STE1_SHCFG_MASK |
			 SMMU_STE1_NSCFG_MASK | SMMU_STE1_PRIVCFG_MASK | SMMU_STE1_INSTCFG_MASK |
			 SMMU_STE1_IMPDEF_MASK);
	case 2:
		return ~(SMMU_STE2_S2VMID_MASK | SMMU_STE2_S2T0SZ_MASK | SMMU_STE2_S2SL0_MASK |
			 SMMU_STE2_S2IR0_MASK | SMMU_STE2_S2OR0_MASK | SMMU_STE2_S2SH0_MASK |
			 SMMU_STE2_S2TG_MASK | SMMU_STE2_S2PS_MASK | SMMU_STE2_S2AA64 |
			 SMMU_STE2_S2ENDI | SMMU_STE2_S2AFFD | SMMU_STE2_S2PTW | SMMU_STE2_S2HD |
			 SMMU_STE2_S2HA | SMMU_STE2_S2S | SMMU_STE2_S2R);
	case 3:
		return ~SMMU_STE3_S2TTB | (smmu_addr_rsvd(oas) & SMMU_STE3_S2TTB);
	default:
		return ~0ull;
	}
}

/* Level-1 stream table descriptor. */
static inline uint64_t smmu_l1std_rsvd(unsigned oas)
{
	return ~(SMMU_L1STD_SPAN_MASK | SMMU_L1STD_L2PTR) | (smmu_addr_rsvd(oas) & SMMU_L1STD_L2PTR);
}

/* CD dwords 0..7. */
static inline uint64_t smmu_cd_rsvd(unsigned dword, unsigned oas)
{
	switch (dword) {
	case 0:
		return ~(SMMU_CD0_T0SZ_MASK | SMMU_CD0_TG0_MASK | SMMU_CD0_IR0_MASK |
			 SMMU_CD0_OR0_MASK | SMMU_CD0_SH0_MASK | SMMU_CD0_EPD0 | SMMU_CD0_ENDI |
			 SMMU_CD0_T1SZ_MASK | SMMU_CD0_TG1_MASK | SMMU_CD0_IR1_MASK |
			 SMMU_CD0_OR1_MASK | SMMU_CD0_SH1_MASK | SMMU_CD0_EPD1 | SMMU_CD0_V |
			 SMMU_CD0_IPS_MASK | SMMU_CD0_AFFD | SMMU_CD0_WXN | SMMU_CD0_UWXN |
			 SMMU_CD0_TBI_MASK | SMMU_CD0_PAN | SMMU_CD0_AA64 | SMMU_CD0_HD |
			 SMMU_CD0_HA | SMMU_CD0_S | SMMU_CD0_R | SMMU_CD0_A | SMMU_CD0_ASET |
			 SMMU_CD0_ASID_MASK);
	case 1:
		return ~(SMMU_CD1_NSCFG0 | SMMU_CD1_HAD0 | SMMU_CD1_TTB0 | SMMU_CD1_HWU0_MASK) |
		       (smmu_addr_rsvd(oas) & SMMU_CD1_TTB0);
	case 2:
		return ~(SMMU_CD2_NSCFG1 | SMMU_CD2_HAD1 | SMMU_CD2_TTB1 | SMMU_CD2_HWU1_MASK) |
		       (smmu_addr_rsvd(oas) & SMMU_CD2_TTB1);
	case 3:
		return ~(SMMU_CD3_MAIR0_MASK | SMMU_CD3_MAIR1_MASK);
	case 4:
		return ~(SMMU_CD4_AMAIR0_MASK | SMMU_CD4_AMAIR1_MASK);
	case 5:
		return ~SMMU_CD5_IMPDEF_MASK;
	case 6:
		return ~(SMMU_CD6_PARTID_MASK | SMMU_CD6_PMG_MASK);
	default:
		return ~0ull;
	}
}

/* Level-1 CD table descriptor. */
static inline uint64_t smmu_l1cd_rsvd(unsigned oas)
{
	return ~(SMMU_L1CD_V | SMMU_L1CD_L2PTR) | (smmu_addr_rsvd(oas) & SMMU_L1CD_L2PTR);
}

#endif /* PTDBG_HW_SMMU_H */
