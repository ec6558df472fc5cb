/* SPDX-License-Identifier: MIT */
/*
 * AArch64 (VMSAv8-64) stage-1 translation: descriptors, the registers that control
 * translation, exception syndromes and the table geometry of every granule.
 *
 * Freestanding (stdint.h only): the reference kernel and the host tools compile this
 * same header. Field values are given in place (shifted), as masks with a _SHIFT
 * where a field holds a number; helpers that need arithmetic are static inline.
 *
 * Levels are numbered as the Arm ARM numbers them: 0 (top, 4 KiB granule with a
 * 48-bit input) .. 3 (pages). Level -1 exists only with FEAT_LPA2 (52-bit VA, 4 KiB
 * granule) and is not described here.
 */
#ifndef PTDBG_HW_ARM64_H
#define PTDBG_HW_ARM64_H

#include <stdint.h>

#define ARM64_BIT(n)        (1ull << (n))
/* Mask of bits hi..lo inclusive. */
#define ARM64_GENMASK(hi, lo) ((~0ull >> (63 - (hi))) & (~0ull << (lo)))

/* ------------------------------------------------------------------------------
 * Stage-1 descriptors (lookup levels 0..3, any granule)
 * ------------------------------------------------------------------------------ */

/* bits[1:0]: x0 invalid; 01 block (levels 1-2; 0 with DS); 11 table (levels 0-2)
 * or page (level 3). 01 at level 3 is reserved and faults like an invalid entry. */
#define ARM64_DESC_VALID        ARM64_BIT(0)
#define ARM64_DESC_TYPE         ARM64_BIT(1)   /* 1: table/page, 0: block */
#define ARM64_DESC_TYPE_MASK    ARM64_GENMASK(1, 0)
#define ARM64_DESC_BLOCK        0x1ull         /* bits[1:0] of a block */
#define ARM64_DESC_TABLE        0x3ull         /* bits[1:0] of a table (levels 0-2) */
#define ARM64_DESC_PAGE         0x3ull         /* bits[1:0] of a page (level 3) */

/* Lower attributes of block and page descriptors. */
#define ARM64_DESC_ATTRINDX_SHIFT 2
#define ARM64_DESC_ATTRINDX_MASK  ARM64_GENMASK(4, 2)  /* index into MAIR_EL1 */
#define ARM64_DESC_ATTRINDX(i)    (((uint64_t)(i) & 7u) << 2)
#define ARM64_DESC_NS           ARM64_BIT(5)   /* non-secure output (Secure state only) */
#define ARM64_DESC_AP_SHIFT     6
#define ARM64_DESC_AP_MASK      ARM64_GENMASK(7, 6)    /* AP[2:1] */
#define ARM64_DESC_AP_EL0       ARM64_BIT(6)   /* AP[1]: EL0 may access */
#define ARM64_DESC_AP_RO        ARM64_BIT(7)   /* AP[2]: read-only at every EL */
/* AP[2:1] values (in place). */
#define ARM64_AP_RW_EL1         (0ull << 6)    /* EL1 RW, EL0 none */
#define ARM64_AP_RW_ALL         (1ull << 6)    /* EL1 RW, EL0 RW */
#define ARM64_AP_RO_EL1         (2ull << 6)    /* EL1 RO, EL0 none */
#define ARM64_AP_RO_ALL         (3ull << 6)    /* EL1 RO, EL0 RO */
#define ARM64_DESC_SH_SHIFT     8
#define ARM64_DESC_SH_MASK      ARM64_GENMASK(9, 8)    /* OA[51:50] when TCR.DS=1 */
#define ARM64_SH_NON            (0ull << 8)
#define ARM64_SH_RESERVED       (1ull << 8)
#define ARM64_SH_OUTER          (2ull << 8)
#define ARM64_SH_INNER          (3ull << 8)
#define ARM64_DESC_AF           ARM64_BIT(10)  /* access flag */
#define ARM64_DESC_NG           ARM64_BIT(11)  /* not global: tagged with the ASID */
#define ARM64_DESC_NT           ARM64_BIT(16)  /* block translation (FEAT_BBM level 1) */

/* Upper attributes of block and page descriptors. */
#define ARM64_DESC_GP           ARM64_BIT(50)  /* guarded page (FEAT_BTI) */
#define ARM64_DESC_DBM          ARM64_BIT(51)  /* dirty bit modifier (FEAT_HAFDBS) */
#define ARM64_DESC_CONT         ARM64_BIT(52)  /* contiguous hint */
#define ARM64_DESC_PXN          ARM64_BIT(53)  /* privileged execute-never */
#define ARM64_DESC_UXN          ARM64_BIT(54)  /* unprivileged execute-never (XN) */
#define ARM64_DESC_SW_SHIFT     55
#define ARM64_DESC_SW_MASK      ARM64_GENMASK(58, 55)  /* reserved for software */
#define ARM64_DESC_SW(n)        ARM64_BIT(55 + (n))    /* n = 0..3 */
#define ARM64_DESC_PBHA_MASK    ARM64_GENMASK(62, 59)  /* page-based hw attributes */
#define ARM64_DESC_UPPER_MASK   ARM64_GENMASK(63, 50)
#define ARM64_DESC_LOWER_MASK   ARM64_GENMASK(11, 2)

/* Table descriptors: hierarchical attributes, which restrict (never widen) what
 * the levels below grant. Bits [11:2] and [58:51] of a table are ignored. */
#define ARM64_TABLE_PXN         ARM64_BIT(59)  /* PXNTable */
#define ARM64_TABLE_UXN         ARM64_BIT(60)  /* UXNTable (XNTable) */
#define ARM64_TABLE_AP_SHIFT    61
#define ARM64_TABLE_AP_MASK     ARM64_GENMASK(62, 61)  /* APTable[1:0] */
#define ARM64_TABLE_AP_NO_EL0   ARM64_BIT(61)  /* APTable[0]: no EL0 access below */
#define ARM64_TABLE_AP_RO       ARM64_BIT(62)  /* APTable[1]: no write below */
#define ARM64_TABLE_NS          ARM64_BIT(63)  /* NSTable */
#define ARM64_TABLE_SW_MASK     ARM64_GENMASK(58, 51)
#define ARM64_TABLE_IGN_LOW_MASK ARM64_GENMASK(11, 2)

/* Output-address fields (48-bit OA; with 64 KiB and FEAT_LPA, OA[51:48] is in
 * bits [15:12]; with TCR.DS, OA[51:50] is in bits [9:8] and the address field of
 * tables and pages extends down as the granule allows). */
#define ARM64_OA_HI_BIT         47
#define ARM64_DESC_OA_4K_PAGE   ARM64_GENMASK(47, 12)
#define ARM64_DESC_OA_4K_L2BLK  ARM64_GENMASK(47, 21)  /* 2 MiB */
#define ARM64_DESC_OA_4K_L1BLK  ARM64_GENMASK(47, 30)  /* 1 GiB */
#define ARM64_DESC_OA_4K_L0BLK  ARM64_GENMASK(47, 39)  /* 512 GiB, DS only */
#define ARM64_DESC_OA_16K_PAGE  ARM64_GENMASK(47, 14)
#define ARM64_DESC_OA_16K_L2BLK ARM64_GENMASK(47, 25)  /* 32 MiB */
#define ARM64_DESC_OA_16K_L1BLK ARM64_GENMASK(47, 36)  /* 64 GiB, DS only */
#define ARM64_DESC_OA_64K_PAGE  ARM64_GENMASK(47, 16)
#define ARM64_DESC_OA_64K_L2BLK ARM64_GENMASK(47, 29)  /* 512 MiB */
#define ARM64_DESC_OA_64K_L1BLK ARM64_GENMASK(47, 42)  /* 4 TiB, FEAT_LPA only */
#define ARM64_DESC_OA_64K_HI    ARM64_GENMASK(15, 12)  /* OA[51:48], FEAT_LPA */
#define ARM64_DESC_OA_DS_HI     ARM64_GENMASK(9, 8)    /* OA[51:50], TCR.DS=1 */

/* ------------------------------------------------------------------------------
 * MAIR_EL1: eight 8-bit attributes; AttrIndx selects one.
 * ------------------------------------------------------------------------------ */
#define ARM64_MAIR_DEVICE_nGnRnE 0x00u
#define ARM64_MAIR_DEVICE_nGnRE  0x04u
#define ARM64_MAIR_DEVICE_nGRE   0x08u
#define ARM64_MAIR_DEVICE_GRE    0x0cu
#define ARM64_MAIR_NORMAL_NC     0x44u  /* inner and outer non-cacheable */
#define ARM64_MAIR_NORMAL_WT     0xbbu  /* write-through, read/write-allocate */
#define ARM64_MAIR_NORMAL_WB     0xffu  /* write-back, read/write-allocate */
#define ARM64_MAIR_ATTR(attr, idx) ((uint64_t)(attr) << (8 * (idx)))
#define ARM64_MAIR_GET(mair, idx)  ((uint8_t)((mair) >> (8 * (idx))))
/* An attribute whose high nibble is 0 is Device memory (low nibble: 00 nGnRnE,
 * 04 nGnRE, 08 nGRE, 0c GRE); otherwise high nibble = outer, low = inner. */
static inline int arm64_mair_is_device(uint8_t attr) { return (attr & 0xf0u) == 0; }

/* ------------------------------------------------------------------------------
 * TCR_EL1
 * ------------------------------------------------------------------------------ */
#define ARM64_TCR_T0SZ_SHIFT    0
#define ARM64_TCR_T0SZ_MASK     ARM64_GENMASK(5, 0)
#define ARM64_TCR_EPD0          ARM64_BIT(7)   /* no walks through TTBR0 */
#define ARM64_TCR_IRGN0_SHIFT   8
#define ARM64_TCR_IRGN0_MASK    ARM64_GENMASK(9, 8)
#define ARM64_TCR_ORGN0_SHIFT   10
#define ARM64_TCR_ORGN0_MASK    ARM64_GENMASK(11, 10)
#define ARM64_TCR_SH0_SHIFT     12
#define ARM64_TCR_SH0_MASK      ARM64_GENMASK(13, 12)
#define ARM64_TCR_TG0_SHIFT     14
#define ARM64_TCR_TG0_MASK      ARM64_GENMASK(15, 14)
#define ARM64_TCR_TG0_4K        (0ull << 14)
#define ARM64_TCR_TG0_64K       (1ull << 14)
#define ARM64_TCR_TG0_16K       (2ull << 14)
#define ARM64_TCR_T1SZ_SHIFT    16
#define ARM64_TCR_T1SZ_MASK     ARM64_GENMASK(21, 16)
#define ARM64_TCR_A1            ARM64_BIT(22)  /* ASID comes from TTBR1 */
#define ARM64_TCR_EPD1          ARM64_BIT(23)  /* no walks through TTBR1 */
#define ARM64_TCR_IRGN1_SHIFT   24
#define ARM64_TCR_IRGN1_MASK    ARM64_GENMASK(25, 24)
#define ARM64_TCR_ORGN1_SHIFT   26
#define ARM64_TCR_ORGN1_MASK    ARM64_GENMASK(27, 26)
#define ARM64_TCR_SH1_SHIFT     28
#define ARM64_TCR_SH1_MASK      ARM64_GENMASK(29, 28)
/* TG1 encodes the granules differently from TG0. */
#define ARM64_TCR_TG1_SHIFT     30
#define ARM64_TCR_TG1_MASK      ARM64_GENMASK(31, 30)
#define ARM64_TCR_TG1_16K       (1ull << 30)
#define ARM64_TCR_TG1_4K        (2ull << 30)
#define ARM64_TCR_TG1_64K       (3ull << 30)
#define ARM64_TCR_IPS_SHIFT     32
#define ARM64_TCR_IPS_MASK      ARM64_GENMASK(34, 32)
#define ARM64_TCR_AS            ARM64_BIT(36)  /* 16-bit ASIDs */
#define ARM64_TCR_TBI0          ARM64_BIT(37)  /* top byte ignored, TTBR0 range */
#define ARM64_TCR_TBI1          ARM64_BIT(38)
#define ARM64_TCR_HA            ARM64_BIT(39)  /* hardware access flag update */
#define ARM64_TCR_HD            ARM64_BIT(40)  /* hardware dirty state (DBM) */
#define ARM64_TCR_HPD0          ARM64_BIT(41)  /* hierarchical permissions disabled */
#define ARM64_TCR_HPD1          ARM64_BIT(42)
#define ARM64_TCR_TBID0         ARM64_BIT(51)
#define ARM64_TCR_TBID1         ARM64_BIT(52)
#define ARM64_TCR_NFD0          ARM64_BIT(53)
#define ARM64_TCR_NFD1          ARM64_BIT(54)
#define ARM64_TCR_E0PD0         ARM64_BIT(55)
#define ARM64_TCR_E0PD1         ARM64_BIT(56)
#define ARM64_TCR_DS            ARM64_BIT(59)  /* 52-bit OA/VA with 4K/16K (LPA2) */
/* IRGNn/ORGNn values (unshifted). */
#define ARM64_TCR_RGN_NC        0u
#define ARM64_TCR_RGN_WBWA      1u
#define ARM64_TCR_RGN_WT        2u
#define ARM64_TCR_RGN_WBnWA     3u
/* SHn values (unshifted). */
#define ARM64_TCR_SH_NON        0u
#define ARM64_TCR_SH_OUTER      2u
#define ARM64_TCR_SH_INNER      3u

/* Physical-address sizes: TCR.IPS and ID_AA64MMFR0.PARange share the encoding. */
static inline unsigned arm64_pa_bits(unsigned enc)
{
	static const unsigned char bits[8] = { 32, 36, 40, 42, 44, 48, 52, 0 };
	return bits[enc & 7u];
}
/* Inverse of arm64_pa_bits; -1 for a size with no encoding. */
static inline int arm64_pa_enc(unsigned bits)
{
	switch (bits) {
	case 32: return 0; case 36: return 1; case 40: return 2; case 42: return 3;
	case 44: return 4; case 48: return 5; case 52: return 6;
	default: return -1;
	}
}

/* ------------------------------------------------------------------------------
 * SCTLR_EL1 (ARMv8.0 RES1 bits: 11, 20, 22, 23, 28, 29)
 * ------------------------------------------------------------------------------ */
#define ARM64_SCTLR_M           ARM64_BIT(0)   /* stage-1 MMU enable */
#define ARM64_SCTLR_A           ARM64_BIT(1)   /* alignment check */
#define ARM64_SCTLR_C           ARM64_BIT(2)   /* data cacheability */
#define ARM64_SCTLR_SA          ARM64_BIT(3)   /* SP alignment check, EL1 */
#define ARM64_SCTLR_SA0         ARM64_BIT(4)   /* SP alignment check, EL0 */
#define ARM64_SCTLR_CP15BEN     ARM64_BIT(5)
#define ARM64_SCTLR_nAA         ARM64_BIT(6)
#define ARM64_SCTLR_ITD         ARM64_BIT(7)
#define ARM64_SCTLR_SED         ARM64_BIT(8)
#define ARM64_SCTLR_UMA         ARM64_BIT(9)   /* EL0 may mask interrupts */
#define ARM64_SCTLR_EnRCTX      ARM64_BIT(10)
#define ARM64_SCTLR_EOS         ARM64_BIT(11)  /* exception exit is context sync */
#define ARM64_SCTLR_I           ARM64_BIT(12)  /* instruction cacheability */
#define ARM64_SCTLR_EnDB        ARM64_BIT(13)
#define ARM64_SCTLR_DZE         ARM64_BIT(14)  /* EL0 DC ZVA */
#define ARM64_SCTLR_UCT         ARM64_BIT(15)  /* EL0 CTR_EL0 access */
#define ARM64_SCTLR_nTWI        ARM64_BIT(16)
#define ARM64_SCTLR_nTWE        ARM64_BIT(18)
#define ARM64_SCTLR_WXN         ARM64_BIT(19)  /* writable implies execute-never */
#define ARM64_SCTLR_TSCXT       ARM64_BIT(20)
#define ARM64_SCTLR_IESB        ARM64_BIT(21)
#define ARM64_SCTLR_EIS         ARM64_BIT(22)  /* exception entry is context sync */
#define ARM64_SCTLR_SPAN        ARM64_BIT(23)  /* 0: exceptions to EL1 set PSTATE.PAN */
#define ARM64_SCTLR_E0E         ARM64_BIT(24)
#define ARM64_SCTLR_EE          ARM64_BIT(25)  /* big-endian at EL1 and table walks */
#define ARM64_SCTLR_UCI         ARM64_BIT(26)
#define ARM64_SCTLR_EnDA        ARM64_BIT(27)
#define ARM64_SCTLR_nTLSMD      ARM64_BIT(28)
#define ARM64_SCTLR_LSMAOE      ARM64_BIT(29)
#define ARM64_SCTLR_EnIB        ARM64_BIT(30)
#define ARM64_SCTLR_EnIA        ARM64_BIT(31)
#define ARM64_SCTLR_BT0         ARM64_BIT(35)
#define ARM64_SCTLR_BT1         ARM64_BIT(36)
#define ARM64_SCTLR_EPAN        ARM64_BIT(57)  /* PAN also for execute-only pages */
#define ARM64_SCTLR_RES1        (ARM64_SCTLR_EOS | ARM64_SCTLR_TSCXT | ARM64_SCTLR_EIS | \
                                 ARM64_SCTLR_SPAN | ARM64_SCTLR_nTLSMD | ARM64_SCTLR_LSMAOE)

/* ------------------------------------------------------------------------------
 * ESR_ELx: exception syndrome
 * ------------------------------------------------------------------------------ */
#define ARM64_ESR_EC_SHIFT      26
#define ARM64_ESR_EC_MASK       ARM64_GENMASK(31, 26)
#define ARM64_ESR_IL            ARM64_BIT(25)  /* 32-bit instruction */
#define ARM64_ESR_ISS_MASK      ARM64_GENMASK(24, 0)
static inline unsigned arm64_esr_ec(uint64_t esr) { return (unsigned)(esr >> 26) & 0x3fu; }

/* Exception classes. */
#define ARM64_EC_UNKNOWN        0x00u
#define ARM64_EC_WFX            0x01u
#define ARM64_EC_FP_ASIMD       0x07u  /* SVE/SIMD/FP access trapped (CPACR) */
#define ARM64_EC_BTI            0x0du
#define ARM64_EC_ILLEGAL        0x0eu  /* illegal execution state */
#define ARM64_EC_SVC32          0x11u
#define ARM64_EC_SVC64          0x15u
#define ARM64_EC_HVC64          0x16u
#define ARM64_EC_SMC64          0x17u
#define ARM64_EC_SYS64          0x18u  /* trapped MSR, MRS or system instruction */
#define ARM64_EC_SVE            0x19u
#define ARM64_EC_FPAC           0x1cu
#define ARM64_EC_IABT_LOW       0x20u  /* instruction abort from a lower EL */
#define ARM64_EC_IABT_CUR       0x21u  /* instruction abort, same EL */
#define ARM64_EC_PC_ALIGN       0x22u
#define ARM64_EC_DABT_LOW       0x24u  /* data abort from a lower EL */
#define ARM64_EC_DABT_CUR       0x25u  /* data abort, same EL */
#define ARM64_EC_SP_ALIGN       0x26u
#define ARM64_EC_FP_EXC64       0x2cu
#define ARM64_EC_SERROR         0x2fu
#define ARM64_EC_BREAKPT_LOW    0x30u
#define ARM64_EC_BREAKPT_CUR    0x31u
#define ARM64_EC_SOFTSTP_LOW    0x32u
#define ARM64_EC_SOFTSTP_CUR    0x33u
#define ARM64_EC_WATCHPT_LOW    0x34u
#define ARM64_EC_WATCHPT_CUR    0x35u
#define ARM64_EC_BRK64          0x3cu

/* ISS of data and instruction aborts. */
#define ARM64_ISS_FSC_MASK      ARM64_GENMASK(5, 0)    /* DFSC / IFSC */
#define ARM64_ISS_WNR           ARM64_BIT(6)   /* data abort caused by a write */
#define ARM64_ISS_S1PTW         ARM64_BIT(7)   /* fault on a stage-2 walk of a stage-1 table */
#define ARM64_ISS_CM            ARM64_BIT(8)   /* cache maintenance */
#define ARM64_ISS_EA            ARM64_BIT(9)   /* external abort type */
#define ARM64_ISS_FNV           ARM64_BIT(10)  /* FAR not valid */
#define ARM64_ISS_SF            ARM64_BIT(15)  /* 64-bit register transfer */
#define ARM64_ISS_SRT_SHIFT     16
#define ARM64_ISS_SRT_MASK      ARM64_GENMASK(20, 16)
#define ARM64_ISS_SSE           ARM64_BIT(21)
#define ARM64_ISS_SAS_SHIFT     22
#define ARM64_ISS_SAS_MASK      ARM64_GENMASK(23, 22)
#define ARM64_ISS_ISV           ARM64_BIT(24)  /* ISS[23:14] hold a valid syndrome */
#define ARM64_ISS_SVC_IMM_MASK  ARM64_GENMASK(15, 0)   /* SVC/HVC/BRK immediate */

/* Fault status codes (DFSC/IFSC). The four level-indexed kinds take the level in
 * bits [1:0]; arm64_fsc_kind() and arm64_fsc_level() take them apart. */
#define ARM64_FSC_ADDR_SIZE     0x00u  /* + level: address size fault */
#define ARM64_FSC_TRANSLATION   0x04u  /* + level: translation fault */
#define ARM64_FSC_ACCESS_FLAG   0x08u  /* + level: access flag fault */
#define ARM64_FSC_PERMISSION    0x0cu  /* + level: permission fault */
#define ARM64_FSC_SEA           0x10u  /* synchronous external abort, not on a walk */
#define ARM64_FSC_TAG_CHECK     0x11u
#define ARM64_FSC_SEA_WALK      0x14u  /* + level: external abort on a table walk */
#define ARM64_FSC_PARITY        0x18u
#define ARM64_FSC_PARITY_WALK   0x1cu  /* + level */
#define ARM64_FSC_ALIGNMENT     0x21u
#define ARM64_FSC_ADDR_SIZE_LM1 0x29u  /* address size fault, level -1 (LPA2) */
#define ARM64_FSC_TRANS_LM1     0x2bu  /* translation fault, level -1 (LPA2) */
#define ARM64_FSC_TLB_CONFLICT  0x30u
#define ARM64_FSC_ATOMIC_HW     0x31u  /* unsupported atomic hardware update */
#define ARM64_FSC_LOCKDOWN      0x34u
#define ARM64_FSC_EXCLUSIVE     0x35u

/* For a level-indexed status (0x00-0x1f with a level in bits [1:0]) the kind;
 * otherwise the code itself. */
static inline unsigned arm64_fsc_kind(unsigned fsc)
{
	fsc &= 0x3fu;
	switch (fsc & 0x3cu) {
	case ARM64_FSC_ADDR_SIZE: case ARM64_FSC_TRANSLATION: case ARM64_FSC_ACCESS_FLAG:
	case ARM64_FSC_PERMISSION: case ARM64_FSC_SEA_WALK: case ARM64_FSC_PARITY_WALK:
		return fsc & 0x3cu;
	default:
		return fsc;
	}
}
/* The lookup level of a level-indexed status, -1 for level -1, -2 if none. */
static inline int arm64_fsc_level(unsigned fsc)
{
	fsc &= 0x3fu;
	if (fsc == ARM64_FSC_ADDR_SIZE_LM1 || fsc == ARM64_FSC_TRANS_LM1)
		return -1;
	if (arm64_fsc_kind(fsc) != fsc || (fsc & 0x3cu) == ARM64_FSC_ADDR_SIZE)
		return (int)(fsc & 3u);
	return -2;
}

/* ------------------------------------------------------------------------------
 * ID registers
 * ------------------------------------------------------------------------------ */
#define ARM64_MMFR0_PARANGE_SHIFT   0
#define ARM64_MMFR0_PARANGE_MASK    ARM64_GENMASK(3, 0)
#define ARM64_MMFR0_ASIDBITS_SHIFT  4
#define ARM64_MMFR0_BIGEND_SHIFT    8
#define ARM64_MMFR0_SNSMEM_SHIFT    12
#define ARM64_MMFR0_BIGENDEL0_SHIFT 16
#define ARM64_MMFR0_TGRAN16_SHIFT   20   /* 0: no, 1: yes, 2: yes with 52-bit (DS) */
#define ARM64_MMFR0_TGRAN64_SHIFT   24   /* 0: yes, 0xf: no */
#define ARM64_MMFR0_TGRAN4_SHIFT    28   /* 0: yes, 1: yes with 52-bit (DS), 0xf: no */
#define ARM64_MMFR0_TGRAN16_2_SHIFT 32   /* stage 2; 0: as TGran16 */
#define ARM64_MMFR0_TGRAN64_2_SHIFT 36
#define ARM64_MMFR0_TGRAN4_2_SHIFT  40
#define ARM64_MMFR0_EXS_SHIFT       44
#define ARM64_MMFR0_FGT_SHIFT       56
#define ARM64_MMFR0_ECV_SHIFT       60
static inline unsigned arm64_idfield(uint64_t reg, unsigned shift)
{
	return (unsigned)(reg >> shift) & 0xfu;
}
#define ARM64_MMFR1_HAFDBS_SHIFT    0    /* 1: access flag, 2: + dirty state */
#define ARM64_MMFR1_VMIDBITS_SHIFT  4
#define ARM64_MMFR1_VH_SHIFT        8
#define ARM64_MMFR1_HPDS_SHIFT      12
#define ARM64_MMFR1_LO_SHIFT        16
#define ARM64_MMFR1_PAN_SHIFT       20   /* 1: PAN, 2: + AT S1E1RP, 3: + EPAN */
#define ARM64_MMFR2_VARANGE_SHIFT   16   /* 1: 52-bit VA with 64 KiB (LVA) */

/* ------------------------------------------------------------------------------
 * PSTATE as saved in SPSR_ELx / shown as cpsr by the gdbstub; CurrentEL
 * ------------------------------------------------------------------------------ */
#define ARM64_PSR_M_MASK        0xfu   /* M[3:0]: EL and SP selection */
#define ARM64_PSR_M_EL0t        0x0u
#define ARM64_PSR_M_EL1t        0x4u
#define ARM64_PSR_M_EL1h        0x5u
#define ARM64_PSR_M_EL2t        0x8u
#define ARM64_PSR_M_EL2h        0x9u
#define ARM64_PSR_M_EL3t        0xcu
#define ARM64_PSR_M_EL3h        0xdu
#define ARM64_PSR_SP            ARM64_BIT(0)   /* SP_ELx rather than SP_EL0 */
#define ARM64_PSR_EL_SHIFT      2
#define ARM64_PSR_EL_MASK       ARM64_GENMASK(3, 2)
#define ARM64_PSR_nRW           ARM64_BIT(4)   /* AArch32 */
#define ARM64_PSR_F             ARM64_BIT(6)
#define ARM64_PSR_I             ARM64_BIT(7)
#define ARM64_PSR_A             ARM64_BIT(8)
#define ARM64_PSR_D             ARM64_BIT(9)
#define ARM64_PSR_DAIF          (ARM64_PSR_D | ARM64_PSR_A | ARM64_PSR_I | ARM64_PSR_F)
#define ARM64_PSR_SSBS          ARM64_BIT(12)
#define ARM64_PSR_IL            ARM64_BIT(20)
#define ARM64_PSR_SS            ARM64_BIT(21)
#define ARM64_PSR_PAN           ARM64_BIT(22)
#define ARM64_PSR_UAO           ARM64_BIT(23)
#define ARM64_PSR_DIT           ARM64_BIT(24)
#define ARM64_PSR_V             ARM64_BIT(28)
#define ARM64_PSR_C             ARM64_BIT(29)
#define ARM64_PSR_Z             ARM64_BIT(30)
#define ARM64_PSR_N             ARM64_BIT(31)
/* Exception level from cpsr/SPSR (AArch64 state) or from CurrentEL. */
static inline unsigned arm64_psr_el(uint64_t psr) { return (unsigned)(psr >> 2) & 3u; }

/* ------------------------------------------------------------------------------
 * Geometry
 *
 * A granule of 2^g bytes (g = 12, 14, 16) holds 2^(g-3) eight-byte descriptors,
 * so every level resolves g-3 bits of the input address (9, 11, 13): an entry at
 * level L maps 2^shift(L) bytes with shift(L) = g + (3 - L) * (g - 3), and level 3
 * resolves bits [2g-4 : g]. The walk starts at the highest
 * level needed for an input of 64 - TxSZ bits, and that level may hold fewer
 * entries than a full table.
 * ------------------------------------------------------------------------------ */
enum arm64_granule {
	ARM64_GRANULE_4K  = 12,
	ARM64_GRANULE_16K = 14,
	ARM64_GRANULE_64K = 16,
};

static inline int arm64_granule_valid(unsigned gshift)
{
	return gshift == 12 || gshift == 14 || gshift == 16;
}
static inline uint64_t arm64_granule_size(unsigned gshift) { return 1ull << gshift; }
/* Address bits one table level resolves. */
static inline unsigned arm64_bits_per_level(unsigned gshift) { return gshift - 3; }
/* Descriptors in a full table. */
static inline unsigned arm64_entries_per_table(unsigned gshift) { return 1u << (gshift - 3); }
/* log2 of the bytes one entry at `level` (0..3) maps. */
static inline unsigned arm64_level_shift(unsigned gshift, int level)
{
	return gshift + (unsigned)(3 - level) * (gshift - 3);
}
/* Index of `va` in a table at `level`; for the start level, mask the result to
 * arm64_start_entries() yourself if va may exceed the input size. */
static inline unsigned arm64_level_index(uint64_t va, unsigned gshift, int level)
{
	return (unsigned)(va >> arm64_level_shift(gshift, level)) &
	       (arm64_entries_per_table(gshift) - 1u);
}
/* First lookup level for an input of `ia_bits` (= 64 - TxSZ); -1 if that would
 * need level -1 (LPA2), which is not described here. */
static inline int arm64_start_level(unsigned ia_bits, unsigned gshift)
{
	unsigned per = gshift - 3;
	unsigned levels = (ia_bits - gshift + per - 1) / per;  /* ceil */
	return 4 - (int)levels;
}
static inline int arm64_start_level_txsz(unsigned txsz, unsigned gshift)
{
	return arm64_start_level(64u - txsz, gshift);
}
/* Descriptors in the start-level table for an input of `ia_bits`. */
static inline unsigned arm64_start_entries(unsigned ia_bits, unsigned gshift)
{
	int sl = arm64_start_level(ia_bits, gshift);
	return 1u << (ia_bits - arm64_level_shift(gshift, sl));
}
/* Whether a block descriptor is allowed at `level`: 4 KiB at levels 1-2 (and 0
 * with TCR.DS), 16 KiB at level 2 (and 1 with DS), 64 KiB at level 2 (and 1 with
 * FEAT_LPA's 52-bit output addresses). `lpa` selects those 52-bit cases. Elsewhere
 * bits[1:0] = 01 make the descriptor invalid (a translation fault at that level). */
static inline int arm64_block_allowed(unsigned gshift, int level, int lpa)
{
	switch (gshift) {
	case 12: return level == 1 || level == 2 || (lpa && level == 0);
	case 14: return level == 2 || (lpa && level == 1);
	case 16: return level == 2 || (lpa && level == 1);
	default: return 0;
	}
}
/* Output-address mask of a block (level < 3) or page (level 3), 48-bit OA. */
static inline uint64_t arm64_desc_oa_mask(unsigned gshift, int level)
{
	return ARM64_GENMASK(ARM64_OA_HI_BIT, arm64_level_shift(gshift, level));
}
/* Next-level table address of a table descriptor, 48-bit OA. */
static inline uint64_t arm64_table_addr_mask(unsigned gshift)
{
	return ARM64_GENMASK(ARM64_OA_HI_BIT, gshift);
}
/* TCR granule fields for a granule shift; 0 for an invalid shift (TG0 0 is 4K,
 * so check arm64_granule_valid first). */
static inline uint64_t arm64_tcr_tg0(unsigned gshift)
{
	return gshift == 16 ? ARM64_TCR_TG0_64K : gshift == 14 ? ARM64_TCR_TG0_16K : ARM64_TCR_TG0_4K;
}
static inline uint64_t arm64_tcr_tg1(unsigned gshift)
{
	return gshift == 16 ? ARM64_TCR_TG1_64K : gshift == 14 ? ARM64_TCR_TG1_16K : ARM64_TCR_TG1_4K;
}
/* Granule shift of TCR.TG0 / TCR.TG1; 0 for a reserved encoding. */
static inline unsigned arm64_tcr_tg0_shift(uint64_t tcr)
{
	switch ((tcr >> 14) & 3u) { case 0: return 12; case 1: return 16; case 2: return 14; default: return 0; }
}
static inline unsigned arm64_tcr_tg1_shift(uint64_t tcr)
{
	switch ((tcr >> 30) & 3u) { case 1: return 14; case 2: return 12; case 3: return 16; default: return 0; }
}
static inline unsigned arm64_tcr_t0sz(uint64_t tcr) { return (unsigned)tcr & 0x3fu; }
static inline unsigned arm64_tcr_t1sz(uint64_t tcr) { return (unsigned)(tcr >> 16) & 0x3fu; }

/* Whether ID_AA64MMFR0_EL1 says stage 1 supports the granule. */
static inline int arm64_mmfr0_has_granule(uint64_t mmfr0, unsigned gshift)
{
	switch (gshift) {
	case 12: return arm64_idfield(mmfr0, ARM64_MMFR0_TGRAN4_SHIFT) != 0xfu;
	case 14: return arm64_idfield(mmfr0, ARM64_MMFR0_TGRAN16_SHIFT) != 0u;
	case 16: return arm64_idfield(mmfr0, ARM64_MMFR0_TGRAN64_SHIFT) != 0xfu;
	default: return 0;
	}
}

/* TTBRn_EL1: ASID in [63:48], table base in [47:1] (aligned to the start table's
 * size, at least 64 bytes), CnP in bit 0. */
#define ARM64_TTBR_ASID_SHIFT   48
#define ARM64_TTBR_ASID_MASK    ARM64_GENMASK(63, 48)
#define ARM64_TTBR_BADDR_MASK   ARM64_GENMASK(47, 1)
#define ARM64_TTBR_CNP          ARM64_BIT(0)

#endif /* PTDBG_HW_ARM64_H */
