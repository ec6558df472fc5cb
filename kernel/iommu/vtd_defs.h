/*
 * Intel VT-d bit layouts the kernel programs, declared once (VT-d specification
 * chapters 9 and 10): register offsets and fields, root, context (legacy and
 * scalable-mode), PASID directory/table and second-level paging entries.
 *
 * vtd_cap_fields[] / vtd_ecap_fields[] name the capability fields the kernel prints.
 */
#ifndef KERNEL_IOMMU_VTD_DEFS_H
#define KERNEL_IOMMU_VTD_DEFS_H

#include <stddef.h>
#include <stdint.h>

/* ---- registers (VT-d 10.4) ---- */
#define VTD_REG_VER      0x00 /* 32: version */
#define VTD_REG_CAP      0x08 /* 64: capabilities */
#define VTD_REG_ECAP     0x10 /* 64: extended capabilities */
#define VTD_REG_GCMD     0x18 /* 32: global command */
#define VTD_REG_GSTS     0x1c /* 32: global status */
#define VTD_REG_RTADDR   0x20 /* 64: root table address */
#define VTD_REG_CCMD     0x28 /* 64: context command */
#define VTD_REG_FSTS     0x34 /* 32: fault status */
#define VTD_REG_FECTL    0x38 /* 32: fault event control */
#define VTD_REGS_SIZE    0x1000

/* CAP */
#define VTD_CAP_SAGAW(c)  ((unsigned)(((c) >> 8) & 0x1f))     /* bit1: 39/3-level, bit2: 48/4-level, bit3: 57/5-level */
#define VTD_CAP_MGAW(c)   ((unsigned)(((c) >> 16) & 0x3f) + 1) /* bits */
#define VTD_CAP_FRO(c)    ((uint64_t)(((c) >> 24) & 0x3ff) * 16) /* byte offset of FRCD 0 */
#define VTD_CAP_NFR(c)    ((unsigned)(((c) >> 40) & 0xff) + 1) /* fault recording registers */
#define VTD_CAP_CM        (1ull << 7)                          /* caching mode: not-present entries may be cached */
#define VTD_CAP_ND(c)     ((unsigned)((c) & 7))                /* domain ids: 2^(4+2*ND) */

/* ECAP */
#define VTD_ECAP_IRO(e)   ((uint64_t)(((e) >> 8) & 0x3ff) * 16) /* byte offset of IVA; IOTLB at +8 */
#define VTD_ECAP_SMTS     (1ull << 43) /* scalable-mode translation */
#define VTD_ECAP_SLTS     (1ull << 46) /* second-level translation (scalable mode) */

/* GCMD / GSTS: the command bit and its status bit share a position. */
#define VTD_GCMD_TE       (1u << 31) /* translation enable / TES */
#define VTD_GCMD_SRTP     (1u << 30) /* set root table pointer / RTPS */
#define VTD_GCMD_ONESHOT_MASK 0x96ffffffu /* GSTS bits to keep when writing GCMD (10.4.4) */

/* RTADDR */
#define VTD_RTADDR_TTM_LEGACY   (0ull << 10)
#define VTD_RTADDR_TTM_SCALABLE (1ull << 10)

/* CCMD (64-bit) */
#define VTD_CCMD_ICC       (1ull << 63) /* invalidate context cache; clears when done */
#define VTD_CCMD_CIRG_GLOBAL (1ull << 61)

/* IOTLB invalidate register (at ECAP.IRO + 8) */
#define VTD_IOTLB_IVT      (1ull << 63) /* invalidate; clears when done */
#define VTD_IOTLB_IIRG_GLOBAL (1ull << 60)
#define VTD_IOTLB_IIRG_DOMAIN (2ull << 60)
#define VTD_IOTLB_DR       (1ull << 49) /* drain reads */
#define VTD_IOTLB_DW       (1ull << 48) /* drain writes */
#define VTD_IOTLB_DID(d)   ((uint64_t)(d) << 32)

/* FSTS */
#define VTD_FSTS_PFO       (1u << 0) /* primary fault overflow */
#define VTD_FSTS_PPF       (1u << 1) /* primary pending fault */
#define VTD_FSTS_FRI(s)    (((s) >> 8) & 0xff)

/* Fault recording register: 128 bits, lo = faulting page, hi = the rest. */
#define VTD_FRCD_HI_F      (1ull << 63) /* fault recorded */
#define VTD_FRCD_HI_T      (1ull << 62) /* 1: read request, 0: write request */
#define VTD_FRCD_HI_FR(h)  ((unsigned)(((h) >> 32) & 0xff)) /* fault reason */
#define VTD_FRCD_HI_SID(h) ((uint16_t)((h) & 0xffff))
#define VTD_FRCD_LO_FI(l)  ((l) & ~0xfffull)

/* ---- root entry (128 bits; 256 per table, indexed by bus) ---- */
#define VTD_ROOT_P         (1ull << 0)  /* lo: present (scalable: lower context table) */
/* scalable mode: lo points to devfn 0..127, hi (with its own P bit 0) to 128..255 */

/* ---- legacy context entry (128 bits; 256 per table, indexed by devfn) ---- */
#define VTD_CTX_LO_P       (1ull << 0)
#define VTD_CTX_LO_FPD     (1ull << 1)       /* fault processing disable */
#define VTD_CTX_LO_TT_SL   (0ull << 2)       /* translation type: second-level only */
#define VTD_CTX_HI_AW(aw)  ((uint64_t)(aw))  /* 1: 39-bit 3-level, 2: 48-bit 4-level, 3: 57-bit 5-level */
#define VTD_CTX_HI_DID(d)  ((uint64_t)(d) << 8)

/* ---- scalable-mode context entry (256 bits; 128 per table) ---- */
#define VTD_SM_CTX_SIZE    32
#define VTD_SM_CTX_PER_TABLE 128
#define VTD_SM_CTX_P       (1ull << 0)
#define VTD_SM_CTX_FPD     (1ull << 1)
#define VTD_SM_CTX_PDTS(n) ((uint64_t)(n) << 9)  /* PASID directory of 2^(n+7) entries */
/* val[1] bits 19:0: RID_PASID (0 here) */

/* ---- PASID directory entry (64 bits) and PASID table entry (512 bits) ---- */
#define VTD_PDIR_P         (1ull << 0)
#define VTD_PDIR_FPD       (1ull << 1)
#define VTD_PASID_P        (1ull << 0)          /* val[0] */
#define VTD_PASID_FPD      (1ull << 1)          /* val[0] */
#define VTD_PASID_AW(aw)   ((uint64_t)(aw) << 2) /* val[0]: as the legacy context AW */
#define VTD_PASID_PGTT_SL  (2ull << 6)          /* val[0]: second-level only */
#define VTD_PASID_DID(d)   ((uint64_t)(d))      /* val[1] bits 15:0 */
#define VTD_PASID_ENTRY_WORDS 8

/* ---- second-level paging entry (64 bits) ---- */
#define VTD_SL_R           (1ull << 0)
#define VTD_SL_W           (1ull << 1)
#define VTD_SL_PS          (1ull << 7)  /* superpage (levels 2, 3); never set here */
#define VTD_SL_SNP         (1ull << 11) /* snoop: reserved unless ECAP.SC; never set here */
#define VTD_SL_ADDR_MASK   0x000ffffffffff000ull

/* A named field of a capability register: bits [lsb, lsb+width). */
struct vtd_field {
	const char *name;
	unsigned lsb, width;
};

extern const struct vtd_field vtd_cap_fields[];
extern const size_t vtd_cap_fields_count;
extern const struct vtd_field vtd_ecap_fields[];
extern const size_t vtd_ecap_fields_count;

/* The value of field f of register value v. */
static inline uint64_t vtd_field_get(const struct vtd_field *f, uint64_t v)
{
	return (v >> f->lsb) & (f->width >= 64 ? ~0ull : ((1ull << f->width) - 1));
}

#endif
