/* SPDX-License-Identifier: MIT */
/*
 * Intel VT-d layouts (VT-d specification, chapters 9 and 10): register offsets and
 * fields, root entries, context entries (legacy and scalable-mode), PASID directory
 * and table entries, second-level paging entries, fault recording registers, and
 * the capability fields that say which of these a unit has.
 *
 * This is the one declaration for kernel and tools: the reference kernel programs
 * its unit with it and libptdbg decodes what it finds with it (the tools' field
 * tables for printing are in tools/lib/vtd/vtd_bits.h). Freestanding: stdint and
 * stdbool only.
 *
 * A field is a mask (see field.h); a multi-bit field FOO has FOO_MASK, a getter
 * FOO(v) that returns it right-aligned, and where the kernel writes it a FOO_PUT(x)
 * that places x. Entries wider than 64 bits are little-endian 64-bit words; a
 * field's word is named in its comment (lo/hi, w0..w7). The reserved bits of each
 * entry word are what its fields leave over, plus the address bits above the
 * host address width: the vtd_*_rsvd() functions at the end derive them.
 */
#ifndef PTDBG_HW_VTD_H
#define PTDBG_HW_VTD_H

#include <stdbool.h>
#include <stdint.h>

#include "ptdbg/hw/field.h"

/* ---- register offsets (VT-d 10.4) ---- */
#define VTD_REG_VER      0x00 /* 32: version */
#define VTD_REG_CAP      0x08 /* 64: capabilities */
#define VTD_REG_ECAP     0x10 /* 64: extended capabilities */
#define VTD_REG_GCMD     0x18 /* 32: global command */
#define VTD_REG_GSTS     0x1c /* 32: global status */
#define VTD_REG_RTADDR   0x20 /* 64: root table address */
#define VTD_REG_CCMD     0x28 /* 64: context command */
#define VTD_REG_FSTS     0x34 /* 32: fault status */
#define VTD_REG_FECTL    0x38 /* 32: fault event control */
#define VTD_REG_FEDATA   0x3c
#define VTD_REG_FEADDR   0x40
#define VTD_REG_FEUADDR  0x44
#define VTD_REG_AFLOG    0x58
#define VTD_REG_PMEN     0x64
#define VTD_REG_PLMBASE  0x68
#define VTD_REG_PLMLIMIT 0x6c
#define VTD_REG_PHMBASE  0x70
#define VTD_REG_PHMLIMIT 0x78
#define VTD_REG_IQH      0x80
#define VTD_REG_IQT      0x88
#define VTD_REG_IQA      0x90
#define VTD_REG_ICS      0x9c
#define VTD_REG_IECTL    0xa0
#define VTD_REG_IEDATA   0xa4
#define VTD_REG_IEADDR   0xa8
#define VTD_REG_IEUADDR  0xac
#define VTD_REG_IQERCD   0xb0
#define VTD_REG_IRTA     0xb8
#define VTD_REG_PQH      0xc0
#define VTD_REG_PQT      0xc8
#define VTD_REG_PQA      0xd0
#define VTD_REG_PRS      0xdc
#define VTD_REG_PECTL    0xe0
#define VTD_REG_PEDATA   0xe4
#define VTD_REG_PEADDR   0xe8
#define VTD_REG_PEUADDR  0xec
#define VTD_REGS_SIZE    0x1000 /* the register page */
/* At ECAP.IRO: the invalidate address register, then the IOTLB register. */
#define VTD_REG_IVA_OFF   0
#define VTD_REG_IOTLB_OFF 8
/* At CAP.FRO: CAP.NFR fault recording registers of 128 bits (words lo, hi). */
#define VTD_FRCD_SIZE    16

/* ---- CAP (10.4.2) ---- */
#define VTD_CAP_ND_MASK    PTDBG_GENMASK(2, 0)   /* domain ids: 2^(4+2*ND) */
#define VTD_CAP_CM         PTDBG_BIT(7)          /* caching mode: not-present entries may be cached */
#define VTD_CAP_SAGAW_MASK PTDBG_GENMASK(12, 8)  /* bit1: 39/3-level, bit2: 48/4-level, bit3: 57/5-level */
#define VTD_CAP_MGAW_MASK  PTDBG_GENMASK(21, 16) /* maximum guest address width - 1 */
#define VTD_CAP_FRO_MASK   PTDBG_GENMASK(33, 24) /* fault recording register offset / 16 */
#define VTD_CAP_SLLPS_MASK PTDBG_GENMASK(37, 34) /* bit0 2M, bit1 1G */
#define VTD_CAP_PSI        PTDBG_BIT(39)         /* page-selective invalidation */
#define VTD_CAP_NFR_MASK   PTDBG_GENMASK(47, 40) /* fault recording registers - 1 */
#define VTD_CAP_MAMV_MASK  PTDBG_GENMASK(53, 48) /* maximum address mask value */
#define VTD_CAP_ND(c)      ((unsigned)PTDBG_FIELD_GET(VTD_CAP_ND_MASK, c))
#define VTD_CAP_SAGAW(c)   ((unsigned)PTDBG_FIELD_GET(VTD_CAP_SAGAW_MASK, c))
#define VTD_CAP_MGAW(c)    ((unsigned)PTDBG_FIELD_GET(VTD_CAP_MGAW_MASK, c) + 1) /* in bits */
#define VTD_CAP_FRO(c)     (PTDBG_FIELD_GET(VTD_CAP_FRO_MASK, c) * 16)           /* byte offset */
#define VTD_CAP_SLLPS(c)   ((unsigned)PTDBG_FIELD_GET(VTD_CAP_SLLPS_MASK, c))
#define VTD_CAP_NFR(c)     ((unsigned)PTDBG_FIELD_GET(VTD_CAP_NFR_MASK, c) + 1)  /* record count */
#define VTD_CAP_MAMV(c)    ((unsigned)PTDBG_FIELD_GET(VTD_CAP_MAMV_MASK, c))

/* ---- ECAP (10.4.3) ---- */
#define VTD_ECAP_C         PTDBG_BIT(0)  /* page-walk coherency */
#define VTD_ECAP_QI        PTDBG_BIT(1)  /* queued invalidation */
#define VTD_ECAP_DT        PTDBG_BIT(2)  /* device TLB */
#define VTD_ECAP_IR        PTDBG_BIT(3)  /* interrupt remapping */
#define VTD_ECAP_EIM       PTDBG_BIT(4)  /* extended interrupt mode */
#define VTD_ECAP_PT        PTDBG_BIT(6)  /* pass-through */
#define VTD_ECAP_SC        PTDBG_BIT(7)  /* snoop control */
#define VTD_ECAP_IRO_MASK  PTDBG_GENMASK(17, 8) /* IOTLB register offset / 16 */
#define VTD_ECAP_SRS       PTDBG_BIT(31) /* supervisor requests */
#define VTD_ECAP_PSS_MASK  PTDBG_GENMASK(39, 35) /* PASID size - 1 */
#define VTD_ECAP_PASID     PTDBG_BIT(40)
#define VTD_ECAP_SMTS      PTDBG_BIT(43) /* scalable-mode translation */
#define VTD_ECAP_SLADS     PTDBG_BIT(45) /* second-level accessed/dirty */
#define VTD_ECAP_SLTS      PTDBG_BIT(46) /* second-level translation (scalable mode) */
#define VTD_ECAP_FLTS      PTDBG_BIT(47) /* first-level translation */
#define VTD_ECAP_IRO(e)    (PTDBG_FIELD_GET(VTD_ECAP_IRO_MASK, e) * 16) /* byte offset of IVA */
#define VTD_ECAP_PSS(e)    ((unsigned)PTDBG_FIELD_GET(VTD_ECAP_PSS_MASK, e))

/* ---- GCMD / GSTS (10.4.4, 10.4.5): a command and its status share a position ---- */
#define VTD_GCMD_TE       (1u << 31) /* translation enable */
#define VTD_GCMD_SRTP     (1u << 30) /* set root table pointer (one-shot) */
#define VTD_GCMD_SFL      (1u << 29) /* set fault log (one-shot) */
#define VTD_GCMD_EAFL     (1u << 28) /* enable advanced fault logging */
#define VTD_GCMD_WBF      (1u << 27) /* write buffer flush (one-shot) */
#define VTD_GCMD_QIE      (1u << 26) /* queued invalidation enable */
#define VTD_GCMD_IRE      (1u << 25) /* interrupt remapping enable */
#define VTD_GCMD_SIRTP    (1u << 24) /* set interrupt remap table pointer (one-shot) */
#define VTD_GCMD_CFI      (1u << 23) /* compatibility format interrupt */
#define VTD_GSTS_TES      VTD_GCMD_TE
#define VTD_GSTS_RTPS     VTD_GCMD_SRTP
#define VTD_GSTS_FLS      VTD_GCMD_SFL
#define VTD_GSTS_AFLS     VTD_GCMD_EAFL
#define VTD_GSTS_WBFS     VTD_GCMD_WBF
#define VTD_GSTS_QIES     VTD_GCMD_QIE
#define VTD_GSTS_IRES     VTD_GCMD_IRE
#define VTD_GSTS_IRTPS    VTD_GCMD_SIRTP
#define VTD_GSTS_CFIS     VTD_GCMD_CFI
/* GSTS bits to keep when writing GCMD (10.4.4): all but the one-shot commands. */
#define VTD_GCMD_ONESHOT  (VTD_GCMD_SRTP | VTD_GCMD_SFL | VTD_GCMD_WBF | VTD_GCMD_SIRTP)
#define VTD_GCMD_ONESHOT_MASK (~VTD_GCMD_ONESHOT)

/* ---- RTADDR (10.4.6) ---- */
#define VTD_RTADDR_ADDR     (~0xfffull)           /* root table address */
#define VTD_RTADDR_TTM_MASK PTDBG_GENMASK(11, 10) /* translation table mode */
#define VTD_RTADDR_TTM(r)   ((unsigned)PTDBG_FIELD_GET(VTD_RTADDR_TTM_MASK, r))
#define VTD_RTADDR_TTM_PUT(t) PTDBG_FIELD_PUT(VTD_RTADDR_TTM_MASK, t)
enum vtd_ttm { VTD_TTM_LEGACY = 0, VTD_TTM_SCALABLE = 1, VTD_TTM_RSVD = 2, VTD_TTM_ABORT = 3 };

/* Invalidation granularities of CCMD.CIRG and IOTLB.IIRG. */
enum vtd_inv_granule { VTD_INV_GLOBAL = 1, VTD_INV_DOMAIN = 2, VTD_INV_DEVICE_PAGE = 3 };

/* ---- CCMD (10.4.7) ---- */
#define VTD_CCMD_ICC        PTDBG_BIT(63)          /* invalidate context cache; clears when done */
#define VTD_CCMD_CIRG_MASK  PTDBG_GENMASK(62, 61)  /* requested granularity */
#define VTD_CCMD_CAIG_MASK  PTDBG_GENMASK(60, 59)  /* actual granularity */
#define VTD_CCMD_CIRG_GLOBAL PTDBG_FIELD_PUT(VTD_CCMD_CIRG_MASK, VTD_INV_GLOBAL)

/* ---- IOTLB invalidate register (10.4.8.1, at ECAP.IRO + VTD_REG_IOTLB_OFF) ---- */
#define VTD_IOTLB_IVT       PTDBG_BIT(63)          /* invalidate; clears when done */
#define VTD_IOTLB_IIRG_MASK PTDBG_GENMASK(61, 60)  /* requested granularity */
#define VTD_IOTLB_IAIG_MASK PTDBG_GENMASK(58, 57)  /* actual granularity */
#define VTD_IOTLB_DR        PTDBG_BIT(49)          /* drain reads */
#define VTD_IOTLB_DW        PTDBG_BIT(48)          /* drain writes */
#define VTD_IOTLB_DID_MASK  PTDBG_GENMASK(47, 32)
#define VTD_IOTLB_IIRG_GLOBAL PTDBG_FIELD_PUT(VTD_IOTLB_IIRG_MASK, VTD_INV_GLOBAL)
#define VTD_IOTLB_IIRG_DOMAIN PTDBG_FIELD_PUT(VTD_IOTLB_IIRG_MASK, VTD_INV_DOMAIN)
#define VTD_IOTLB_DID_PUT(d)  PTDBG_FIELD_PUT(VTD_IOTLB_DID_MASK, d)

/* ---- FSTS (10.4.9) ---- */
#define VTD_FSTS_PFO      (1u << 0) /* primary fault overflow */
#define VTD_FSTS_PPF      (1u << 1) /* primary pending fault */
#define VTD_FSTS_IQE      (1u << 4) /* invalidation queue error */
#define VTD_FSTS_ICE      (1u << 5) /* invalidation completion error */
#define VTD_FSTS_ITE      (1u << 6) /* invalidation time-out error */
#define VTD_FSTS_FRI_MASK PTDBG_GENMASK(15, 8) /* fault record index */
#define VTD_FSTS_FRI(s)   ((unsigned)PTDBG_FIELD_GET(VTD_FSTS_FRI_MASK, s))

/* ---- fault recording register (10.4.14), 128 bits as words lo, hi ---- */
#define VTD_FRCD_FI       (~0xfffull)             /* lo: faulting page address */
#define VTD_FRCD_SID_MASK PTDBG_GENMASK(15, 0)    /* hi: source id */
#define VTD_FRCD_T2       PTDBG_BIT(28)           /* hi bit 92 */
#define VTD_FRCD_PRIV     PTDBG_BIT(29)           /* hi bit 93 */
#define VTD_FRCD_EXE      PTDBG_BIT(30)           /* hi bit 94 */
#define VTD_FRCD_PP       PTDBG_BIT(31)           /* hi bit 95: PASID present */
#define VTD_FRCD_FR_MASK  PTDBG_GENMASK(39, 32)   /* hi: fault reason */
#define VTD_FRCD_PV_MASK  PTDBG_GENMASK(59, 40)   /* hi: PASID value */
#define VTD_FRCD_AT_MASK  PTDBG_GENMASK(61, 60)   /* hi: address type */
#define VTD_FRCD_T1       PTDBG_BIT(62)           /* hi bit 126: 1 read, 0 write */
#define VTD_FRCD_F        PTDBG_BIT(63)           /* hi bit 127: fault recorded */
#define VTD_FRCD_SID(hi)  ((unsigned)PTDBG_FIELD_GET(VTD_FRCD_SID_MASK, hi))
#define VTD_FRCD_FR(hi)   ((unsigned)PTDBG_FIELD_GET(VTD_FRCD_FR_MASK, hi))
#define VTD_FRCD_PV(hi)   ((uint32_t)PTDBG_FIELD_GET(VTD_FRCD_PV_MASK, hi))
#define VTD_FRCD_AT(hi)   ((unsigned)PTDBG_FIELD_GET(VTD_FRCD_AT_MASK, hi))

/* ---- root entries (9.1, 9.2): 128 bits, 256 per table, indexed by bus ---- */
#define VTD_ROOT_ENTRIES  256
#define VTD_ROOT_P        PTDBG_BIT(0)  /* lo: legacy P, scalable LP */
#define VTD_ROOT_CTP      (~0xfffull)   /* lo: context-table pointer (SM: lower, devfn 0-127) */
#define VTD_SMROOT_UP     PTDBG_BIT(0)  /* hi: scalable UP */
#define VTD_SMROOT_UCTP   (~0xfffull)   /* hi: upper context-table pointer (devfn 128-255) */

/* ---- legacy context entry (9.3): 128 bits, 256 per table, indexed by devfn ---- */
#define VTD_CTX_ENTRIES   256
#define VTD_CTX_SIZE      16
#define VTD_CTX_P         PTDBG_BIT(0)           /* lo: present */
#define VTD_CTX_FPD       PTDBG_BIT(1)           /* lo: fault processing disable */
#define VTD_CTX_TT_MASK   PTDBG_GENMASK(3, 2)    /* lo: translation type */
#define VTD_CTX_SLPTPTR   (~0xfffull)            /* lo: second-level page-table pointer */
#define VTD_CTX_AW_MASK   PTDBG_GENMASK(2, 0)    /* hi: address width (as SAGAW bits) */
#define VTD_CTX_AVAIL_MASK PTDBG_GENMASK(6, 3)   /* hi: available to software */
#define VTD_CTX_DID_MASK  PTDBG_GENMASK(23, 8)   /* hi: domain id */
#define VTD_CTX_TT(lo)    ((unsigned)PTDBG_FIELD_GET(VTD_CTX_TT_MASK, lo))
#define VTD_CTX_AW(hi)    ((unsigned)PTDBG_FIELD_GET(VTD_CTX_AW_MASK, hi))
#define VTD_CTX_DID(hi)   ((unsigned)PTDBG_FIELD_GET(VTD_CTX_DID_MASK, hi))
#define VTD_CTX_TT_PUT(t)  PTDBG_FIELD_PUT(VTD_CTX_TT_MASK, t)
#define VTD_CTX_AW_PUT(aw) PTDBG_FIELD_PUT(VTD_CTX_AW_MASK, aw) /* 1: 39-bit 3-level, 2: 48-bit 4-level, 3: 57-bit 5-level */
#define VTD_CTX_DID_PUT(d) PTDBG_FIELD_PUT(VTD_CTX_DID_MASK, d)
enum vtd_ctx_tt { VTD_TT_SLT = 0, VTD_TT_SLT_DEVTLB = 1, VTD_TT_PASSTHROUGH = 2, VTD_TT_RSVD = 3 };

/* ---- scalable-mode context entry (9.4): 256 bits (words w0..w3), 128 per table ---- */
#define VTD_SMCTX_SIZE      32
#define VTD_SMCTX_PER_TABLE 128
#define VTD_SMCTX_P         PTDBG_BIT(0)   /* w0 */
#define VTD_SMCTX_FPD       PTDBG_BIT(1)   /* w0 */
#define VTD_SMCTX_DTE       PTDBG_BIT(2)   /* w0: device-TLB enable */
#define VTD_SMCTX_PASIDE    PTDBG_BIT(3)   /* w0: PASID enable */
#define VTD_SMCTX_PRE       PTDBG_BIT(4)   /* w0: page request enable */
#define VTD_SMCTX_PDTS_MASK PTDBG_GENMASK(11, 9) /* w0: PASID directory of 2^(PDTS+7) entries */
#define VTD_SMCTX_PASIDDIRPTR (~0xfffull)  /* w0 */
#define VTD_SMCTX_RID_PASID_MASK PTDBG_GENMASK(19, 0) /* w1 */
#define VTD_SMCTX_RID_PRIV  PTDBG_BIT(20)  /* w1 */
#define VTD_SMCTX_PDTS(w0)  ((unsigned)PTDBG_FIELD_GET(VTD_SMCTX_PDTS_MASK, w0))
#define VTD_SMCTX_RID_PASID(w1) ((uint32_t)PTDBG_FIELD_GET(VTD_SMCTX_RID_PASID_MASK, w1))
#define VTD_SMCTX_PDTS_PUT(n) PTDBG_FIELD_PUT(VTD_SMCTX_PDTS_MASK, n)

/* ---- PASID directory entry (9.5, 64 bits) ---- */
#define VTD_PDE_P         PTDBG_BIT(0)
#define VTD_PDE_FPD       PTDBG_BIT(1)
#define VTD_PDE_PTP       (~0xfffull)    /* PASID table pointer */

/* ---- PASID table entry (9.6): 512 bits, words w0..w7 ---- */
#define VTD_PE_WORDS      8
#define VTD_PE_P          PTDBG_BIT(0)           /* w0 */
#define VTD_PE_FPD        PTDBG_BIT(1)           /* w0 */
#define VTD_PE_AW_MASK    PTDBG_GENMASK(4, 2)    /* w0: as the legacy context AW */
#define VTD_PE_SLEE       PTDBG_BIT(5)           /* w0: second-level execute enable */
#define VTD_PE_PGTT_MASK  PTDBG_GENMASK(8, 6)    /* w0: PASID granular translation type */
#define VTD_PE_SLADE      PTDBG_BIT(9)           /* w0: second-level A/D enable */
#define VTD_PE_SLPTPTR    (~0xfffull)            /* w0 */
#define VTD_PE_DID_MASK   PTDBG_GENMASK(15, 0)   /* w1 */
#define VTD_PE_PWSNP      PTDBG_BIT(23)          /* w1 */
#define VTD_PE_PGSNP      PTDBG_BIT(24)          /* w1 */
#define VTD_PE_CD         PTDBG_BIT(25)          /* w1 */
#define VTD_PE_EMTE       PTDBG_BIT(26)          /* w1 */
#define VTD_PE_EMT_MASK   PTDBG_GENMASK(29, 27)  /* w1 */
#define VTD_PE_PWT        PTDBG_BIT(30)          /* w1 */
#define VTD_PE_PCD        PTDBG_BIT(31)          /* w1 */
#define VTD_PE_PAT_MASK   PTDBG_GENMASK(63, 32)  /* w1 */
#define VTD_PE_SRE        PTDBG_BIT(0)           /* w2 */
#define VTD_PE_ERE        PTDBG_BIT(1)           /* w2 */
#define VTD_PE_FLPM_MASK  PTDBG_GENMASK(3, 2)    /* w2 */
#define VTD_PE_WPE        PTDBG_BIT(4)           /* w2 */
#define VTD_PE_NXE        PTDBG_BIT(5)           /* w2 */
#define VTD_PE_SMEP       PTDBG_BIT(6)           /* w2 */
#define VTD_PE_EAFE       PTDBG_BIT(7)           /* w2 */
#define VTD_PE_FLPTPTR    (~0xfffull)            /* w2 */
#define VTD_PE_AW(w0)     ((unsigned)PTDBG_FIELD_GET(VTD_PE_AW_MASK, w0))
#define VTD_PE_PGTT(w0)   ((unsigned)PTDBG_FIELD_GET(VTD_PE_PGTT_MASK, w0))
#define VTD_PE_DID(w1)    ((unsigned)PTDBG_FIELD_GET(VTD_PE_DID_MASK, w1))
#define VTD_PE_AW_PUT(aw)  PTDBG_FIELD_PUT(VTD_PE_AW_MASK, aw)
#define VTD_PE_PGTT_PUT(t) PTDBG_FIELD_PUT(VTD_PE_PGTT_MASK, t)
#define VTD_PE_DID_PUT(d)  PTDBG_FIELD_PUT(VTD_PE_DID_MASK, d)
enum vtd_pgtt { VTD_PGTT_FL = 1, VTD_PGTT_SL = 2, VTD_PGTT_NESTED = 3, VTD_PGTT_PT = 4 };

/* ---- second-level paging entries (9.8): 64 bits, 512 per table ---- */
#define VTD_SL_PAGE_SHIFT 12
#define VTD_SL_LEVEL_BITS 9
#define VTD_SL_ENTRIES    (1u << VTD_SL_LEVEL_BITS)
#define VTD_SL_R          PTDBG_BIT(0)
#define VTD_SL_W          PTDBG_BIT(1)
#define VTD_SL_X          PTDBG_BIT(2)
#define VTD_SL_EMT        PTDBG_GENMASK(5, 3)    /* leaf: extended memory type */
#define VTD_SL_IPAT       PTDBG_BIT(6)           /* leaf: ignore PAT */
#define VTD_SL_PS         PTDBG_BIT(7)           /* superpage (levels 2, 3) */
#define VTD_SL_A          PTDBG_BIT(8)
#define VTD_SL_D          PTDBG_BIT(9)           /* leaf */
#define VTD_SL_SNP        PTDBG_BIT(11)          /* leaf: snoop (needs ECAP.SC) */
#define VTD_SL_ADDR       PTDBG_GENMASK(51, 12)  /* address bits 51:12 */
#define VTD_SL_TM         PTDBG_BIT(62)          /* leaf: transient mapping (needs ECAP.DT) */
#define VTD_SL_IGNORED    (PTDBG_BIT(63) | PTDBG_GENMASK(61, 52))

/* Lowest IOVA bit of the index at level (1..5), what one entry covers, the index. */
static inline unsigned vtd_sl_level_shift(unsigned level)
{
	return VTD_SL_PAGE_SHIFT + VTD_SL_LEVEL_BITS * (level - 1);
}
static inline uint64_t vtd_sl_level_span(unsigned level)
{
	return 1ull << vtd_sl_level_shift(level);
}
static inline unsigned vtd_sl_index(uint64_t iova, unsigned level)
{
	return (unsigned)(iova >> vtd_sl_level_shift(level)) & (VTD_SL_ENTRIES - 1);
}

/* ---- reserved bits, derived from the fields above ---- */

/* Address bits at and above the host address width haw (0: the architectural 52). */
static inline uint64_t vtd_addr_rsvd(unsigned haw)
{
	if (!haw)
		haw = 52;
	return haw >= 64 ? 0 : ~((1ull << haw) - 1);
}

/* Legacy root entry, lo word (the hi word is reserved). */
static inline uint64_t vtd_root_lo_rsvd(unsigned haw)
{
	return ~(VTD_ROOT_P | VTD_ROOT_CTP) | vtd_addr_rsvd(haw);
}
/* Scalable-mode root entry: lo and hi words have the same layout. */
static inline uint64_t vtd_smroot_rsvd(unsigned haw)
{
	return ~(VTD_SMROOT_UP | VTD_SMROOT_UCTP) | vtd_addr_rsvd(haw);
}
/* Legacy context entry, lo and hi words. */
static inline uint64_t vtd_ctx_lo_rsvd(unsigned haw)
{
	return ~(VTD_CTX_P | VTD_CTX_FPD | VTD_CTX_TT_MASK | VTD_CTX_SLPTPTR) | vtd_addr_rsvd(haw);
}
#define VTD_CTX_HI_RSVD (~(VTD_CTX_AW_MASK | VTD_CTX_AVAIL_MASK | VTD_CTX_DID_MASK))
/* Scalable-mode context entry, w0 and w1 (w2, w3 are reserved). */
static inline uint64_t vtd_smctx_w0_rsvd(unsigned haw)
{
	return ~(VTD_SMCTX_P | VTD_SMCTX_FPD | VTD_SMCTX_DTE | VTD_SMCTX_PASIDE | VTD_SMCTX_PRE |
		 VTD_SMCTX_PDTS_MASK | VTD_SMCTX_PASIDDIRPTR) | vtd_addr_rsvd(haw);
}
#define VTD_SMCTX_W1_RSVD (~(VTD_SMCTX_RID_PASID_MASK | VTD_SMCTX_RID_PRIV))
/* PASID directory entry. */
static inline uint64_t vtd_pde_rsvd(unsigned haw)
{
	return ~(VTD_PDE_P | VTD_PDE_FPD | VTD_PDE_PTP) | vtd_addr_rsvd(haw);
}
/* PASID table entry, w0..w2 (w3..w7 are reserved). */
static inline uint64_t vtd_pe_w0_rsvd(unsigned haw)
{
	return ~(VTD_PE_P | VTD_PE_FPD | VTD_PE_AW_MASK | VTD_PE_SLEE | VTD_PE_PGTT_MASK |
		 VTD_PE_SLADE | VTD_PE_SLPTPTR) | vtd_addr_rsvd(haw);
}
#define VTD_PE_W1_RSVD                                                                    \
	(~(VTD_PE_DID_MASK | VTD_PE_PWSNP | VTD_PE_PGSNP | VTD_PE_CD | VTD_PE_EMTE |      \
	   VTD_PE_EMT_MASK | VTD_PE_PWT | VTD_PE_PCD | VTD_PE_PAT_MASK))
static inline uint64_t vtd_pe_w2_rsvd(unsigned haw)
{
	return ~(VTD_PE_SRE | VTD_PE_ERE | VTD_PE_FLPM_MASK | VTD_PE_WPE | VTD_PE_NXE |
		 VTD_PE_SMEP | VTD_PE_EAFE | VTD_PE_FLPTPTR) | vtd_addr_rsvd(haw);
}

/* Second-level entry at level (1..5), a leaf or a table pointer, on a unit with
 * snoop control (sc, ECAP.SC) and device TLBs (dt, ECAP.DT): address bits 51:haw,
 * TM unless a leaf with dt, SNP unless a leaf with sc, PS in a table entry at
 * level 4 and up, and the address bits under a 2 MiB or 1 GiB superpage. */
static inline uint64_t vtd_sl_rsvd(unsigned haw, unsigned level, bool leaf, bool sc, bool dt)
{
	uint64_t rsvd = vtd_addr_rsvd(haw) & ~VTD_SL_IGNORED;
	if (leaf && dt)
		rsvd &= ~VTD_SL_TM;
	if (!(leaf && sc))
		rsvd |= VTD_SL_SNP;
	if (!leaf && level >= 4)
		rsvd |= VTD_SL_PS;
	if (leaf && (level == 2 || level == 3))
		rsvd |= VTD_SL_ADDR & (vtd_sl_level_span(level) - 1);
	return rsvd;
}

#endif /* PTDBG_HW_VTD_H */
