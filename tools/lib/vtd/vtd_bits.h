/* SPDX-License-Identifier: MIT */
/*
 * Intel VT-d bit layouts (VT-d specification, chapters 9 and 10), declared once as
 * tables.
 *
 * A layout is an ordered list of fields {name, lsb, width, kind, meaning}. Registers
 * are 32 or 64 bits; table entries are 128 bits (root, legacy context, fault
 * record), 256 bits (scalable-mode context) or 512 bits (PASID table entry), so a
 * value is given as little-endian 64-bit words and a field's lsb counts from bit 0
 * of word 0. Every decoder, printer and check reads these tables; nothing tests
 * VT-d bits by hand except through the VTD_* masks below, which the tables use.
 *
 * Second-level paging entries also have a compact flag table (struct
 * ptdbg_bit_table, the form x86_bits.h uses) for one-line printing.
 */
#ifndef PTDBG_VTD_BITS_H
#define PTDBG_VTD_BITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "x86/x86_bits.h" /* struct ptdbg_bit_table, ptdbg_bits_format() */

/* ---- register offsets (VT-d 10.4) ---- */
#define VTD_REG_VER      0x00
#define VTD_REG_CAP      0x08
#define VTD_REG_ECAP     0x10
#define VTD_REG_GCMD     0x18
#define VTD_REG_GSTS     0x1c
#define VTD_REG_RTADDR   0x20
#define VTD_REG_CCMD     0x28
#define VTD_REG_FSTS     0x34
#define VTD_REG_FECTL    0x38
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
#define VTD_FRCD_SIZE    16   /* one fault recording register */

/* ---- CAP (VT-d 10.4.2) ---- */
#define VTD_CAP_ND(c)     ((unsigned)((c) & 7))
#define VTD_CAP_CM        (1ull << 7)
#define VTD_CAP_SAGAW(c)  ((unsigned)(((c) >> 8) & 0x1f))
#define VTD_CAP_MGAW(c)   ((unsigned)(((c) >> 16) & 0x3f) + 1) /* in bits */
#define VTD_CAP_FRO(c)    ((uint64_t)(((c) >> 24) & 0x3ff) * 16) /* byte offset */
#define VTD_CAP_SLLPS(c)  ((unsigned)(((c) >> 34) & 0xf))    /* bit0 2M, bit1 1G */
#define VTD_CAP_NFR(c)    ((unsigned)(((c) >> 40) & 0xff) + 1) /* record count */
#define VTD_CAP_MAMV(c)   ((unsigned)(((c) >> 48) & 0x3f))

/* ---- ECAP (VT-d 10.4.3) ---- */
#define VTD_ECAP_C        (1ull << 0)
#define VTD_ECAP_QI       (1ull << 1)
#define VTD_ECAP_DT       (1ull << 2)
#define VTD_ECAP_IR       (1ull << 3)
#define VTD_ECAP_EIM      (1ull << 4)
#define VTD_ECAP_PT       (1ull << 6)
#define VTD_ECAP_SC       (1ull << 7)
#define VTD_ECAP_IRO(e)   ((uint64_t)(((e) >> 8) & 0x3ff) * 16) /* byte offset */
#define VTD_ECAP_SRS      (1ull << 31)
#define VTD_ECAP_PSS(e)   ((unsigned)(((e) >> 35) & 0x1f))
#define VTD_ECAP_PASID    (1ull << 40)
#define VTD_ECAP_SMTS     (1ull << 43)
#define VTD_ECAP_SLADS    (1ull << 45)
#define VTD_ECAP_SLTS     (1ull << 46)
#define VTD_ECAP_FLTS     (1ull << 47)

/* ---- GCMD / GSTS (10.4.4, 10.4.5): same bit positions ---- */
#define VTD_GSTS_TES      (1u << 31)
#define VTD_GSTS_RTPS     (1u << 30)
#define VTD_GSTS_FLS      (1u << 29)
#define VTD_GSTS_AFLS     (1u << 28)
#define VTD_GSTS_WBFS     (1u << 27)
#define VTD_GSTS_QIES     (1u << 26)
#define VTD_GSTS_IRES     (1u << 25)
#define VTD_GSTS_IRTPS    (1u << 24)
#define VTD_GSTS_CFIS     (1u << 23)

/* ---- RTADDR (10.4.6) ---- */
#define VTD_RTADDR_ADDR   (~0xfffull)
#define VTD_RTADDR_TTM(r) ((unsigned)(((r) >> 10) & 3))
enum vtd_ttm { VTD_TTM_LEGACY = 0, VTD_TTM_SCALABLE = 1, VTD_TTM_RSVD = 2, VTD_TTM_ABORT = 3 };

/* ---- FSTS (10.4.9) ---- */
#define VTD_FSTS_PFO      (1u << 0)
#define VTD_FSTS_PPF      (1u << 1)
#define VTD_FSTS_IQE      (1u << 4)
#define VTD_FSTS_ICE      (1u << 5)
#define VTD_FSTS_ITE      (1u << 6)
#define VTD_FSTS_FRI(s)   ((unsigned)(((s) >> 8) & 0xff))

/* ---- root entries (9.1, 9.2) ---- */
#define VTD_ROOT_P        (1ull << 0)   /* lo: legacy P, scalable LP */
#define VTD_ROOT_CTP      (~0xfffull)   /* lo: context-table pointer (SM: lower) */
#define VTD_SMROOT_UP     (1ull << 0)   /* hi: scalable UP */
#define VTD_SMROOT_UCTP   (~0xfffull)   /* hi: upper context-table pointer */

/* ---- legacy context entry (9.3) ---- */
#define VTD_CTX_P         (1ull << 0)   /* lo */
#define VTD_CTX_FPD       (1ull << 1)
#define VTD_CTX_TT(lo)    ((unsigned)(((lo) >> 2) & 3))
#define VTD_CTX_SLPTPTR   (~0xfffull)
#define VTD_CTX_AW(hi)    ((unsigned)((hi) & 7))
#define VTD_CTX_DID(hi)   ((unsigned)(((hi) >> 8) & 0xffff))
enum vtd_ctx_tt { VTD_TT_SLT = 0, VTD_TT_SLT_DEVTLB = 1, VTD_TT_PASSTHROUGH = 2, VTD_TT_RSVD = 3 };

/* ---- scalable-mode context entry (9.4), words 0..3 ---- */
#define VTD_SMCTX_P       (1ull << 0)   /* w0 */
#define VTD_SMCTX_FPD     (1ull << 1)
#define VTD_SMCTX_DTE     (1ull << 2)
#define VTD_SMCTX_PASIDE  (1ull << 3)
#define VTD_SMCTX_PRE     (1ull << 4)
#define VTD_SMCTX_PDTS(w0) ((unsigned)(((w0) >> 9) & 7)) /* 2^(PDTS+7) dir entries */
#define VTD_SMCTX_PASIDDIRPTR (~0xfffull)
#define VTD_SMCTX_RID_PASID(w1) ((uint32_t)((w1) & 0xfffff))

/* ---- PASID directory entry (9.5) and PASID table entry (9.6) ---- */
#define VTD_PDE_P         (1ull << 0)
#define VTD_PDE_FPD       (1ull << 1)
#define VTD_PDE_PTP       (~0xfffull)
#define VTD_PE_P          (1ull << 0)   /* w0 */
#define VTD_PE_FPD        (1ull << 1)
#define VTD_PE_AW(w0)     ((unsigned)(((w0) >> 2) & 7))
#define VTD_PE_PGTT(w0)   ((unsigned)(((w0) >> 6) & 7))
#define VTD_PE_SLPTPTR    (~0xfffull)
#define VTD_PE_DID(w1)    ((unsigned)((w1) & 0xffff))
#define VTD_PE_FLPTPTR    (~0xfffull)   /* w2 */
enum vtd_pgtt { VTD_PGTT_FL = 1, VTD_PGTT_SL = 2, VTD_PGTT_NESTED = 3, VTD_PGTT_PT = 4 };

/* ---- second-level paging entries (9.8) ---- */
#define VTD_SL_R          (1ull << 0)
#define VTD_SL_W          (1ull << 1)
#define VTD_SL_X          (1ull << 2)
#define VTD_SL_EMT        (7ull << 3)
#define VTD_SL_IPAT       (1ull << 6)
#define VTD_SL_PS         (1ull << 7)
#define VTD_SL_A          (1ull << 8)
#define VTD_SL_D          (1ull << 9)
#define VTD_SL_SNP        (1ull << 11)
#define VTD_SL_TM         (1ull << 62)
#define VTD_SL_IGNORED    0xbff0000000000000ull /* bits 63, 61:52 */
#define VTD_SL_ADDR       0x000ffffffffff000ull /* bits 51:12 */

/* ---- fault recording register (10.4.14), 128 bits as words lo, hi ---- */
#define VTD_FRCD_FI       (~0xfffull)           /* lo: faulting page address */
#define VTD_FRCD_SID(hi)  ((unsigned)((hi) & 0xffff))
#define VTD_FRCD_T2       (1ull << 28)          /* hi bit 92 */
#define VTD_FRCD_PRIV     (1ull << 29)          /* hi bit 93 */
#define VTD_FRCD_EXE      (1ull << 30)          /* hi bit 94 */
#define VTD_FRCD_PP       (1ull << 31)          /* hi bit 95 */
#define VTD_FRCD_FR(hi)   ((unsigned)(((hi) >> 32) & 0xff))
#define VTD_FRCD_PV(hi)   ((uint32_t)(((hi) >> 40) & 0xfffff))
#define VTD_FRCD_AT(hi)   ((unsigned)(((hi) >> 60) & 3))
#define VTD_FRCD_T1       (1ull << 62)          /* hi bit 126: 1 read, 0 write */
#define VTD_FRCD_F        (1ull << 63)          /* hi bit 127: fault recorded */

/* ---- the field tables ---- */

enum vtd_field_kind {
	VTD_FK_FLAG = 0, /* one bit: printed by name when set */
	VTD_FK_NUM  = 1, /* a number, printed in hex (decimal when small) */
	VTD_FK_ADDR = 2, /* an address field: printed as value << lsb (bits in place) */
	VTD_FK_RSVD = 3, /* reserved: printed only when nonzero */
};

/* Returns a short meaning of a field value into buf (NULL if nothing to add). */
typedef const char *(*vtd_explain_fn)(uint64_t value, char *buf, size_t len);

struct vtd_field {
	const char    *name;
	uint16_t       lsb;    /* bit position in the whole value (word 0 bit 0 = 0) */
	uint8_t        width;  /* 1..64 */
	uint8_t        kind;   /* enum vtd_field_kind */
	const char    *desc;   /* what the field means, one short phrase */
	vtd_explain_fn explain; /* optional decoding of the value */
};

struct vtd_layout {
	const char             *name;   /* "CAP", "context entry (legacy)", ... */
	unsigned                bits;   /* 32, 64, 128, 256 or 512 */
	const struct vtd_field *fields; /* in ascending bit order */
	size_t                  n;
};

/* Register layouts. */
extern const struct vtd_layout vtd_layout_ver, vtd_layout_cap, vtd_layout_ecap,
	vtd_layout_gcmd, vtd_layout_gsts, vtd_layout_rtaddr, vtd_layout_ccmd,
	vtd_layout_fsts, vtd_layout_fectl, vtd_layout_fedata, vtd_layout_feaddr,
	vtd_layout_feuaddr, vtd_layout_aflog, vtd_layout_pmen, vtd_layout_plmbase,
	vtd_layout_plmlimit, vtd_layout_phmbase, vtd_layout_phmlimit, vtd_layout_iqh,
	vtd_layout_iqt, vtd_layout_iqa, vtd_layout_ics, vtd_layout_iectl,
	vtd_layout_iqercd, vtd_layout_irta, vtd_layout_pqh, vtd_layout_pqt,
	vtd_layout_pqa, vtd_layout_prs, vtd_layout_iva, vtd_layout_iotlb,
	vtd_layout_frcd, vtd_layout_msi_data, vtd_layout_msi_addr, vtd_layout_msi_uaddr;

/* Entry layouts. */
extern const struct vtd_layout vtd_layout_root, vtd_layout_smroot, vtd_layout_ctx,
	vtd_layout_smctx, vtd_layout_pasid_dir, vtd_layout_pasid_entry,
	vtd_layout_sl_table, vtd_layout_sl_leaf;

/* Compact flag table of a second-level entry (R W X SNP TM A D IPAT ...). */
extern const struct ptdbg_bit_table vtd_bits_sl_entry;

/* The value of field f in the little-endian word array w (of the layout's size). */
uint64_t vtd_field_get(const struct vtd_field *f, const uint64_t *w);

/* The field named name in layout l (case-sensitive), or NULL. */
const struct vtd_field *vtd_layout_field(const struct vtd_layout *l, const char *name);

/* Format f's value from w as "NAME" (flag set), "NAME=0x.." (number or address), or
 * "" (clear flag, zero reserved field) into buf; snprintf semantics. */
int vtd_field_format(const struct vtd_field *f, const uint64_t *w, char *buf, size_t len);

/* Format every field of l that has something to show (set flags, numbers, nonzero
 * reserved fields), separated by sep; snprintf semantics. */
int vtd_layout_format(const struct vtd_layout *l, const uint64_t *w, const char *sep,
		      char *buf, size_t len);

/* Mask of bits (of a register value) covered by no named field of a 32/64-bit
 * layout, plus its RSVD fields: what must read as zero. */
uint64_t vtd_layout_reserved_mask(const struct vtd_layout *l);

struct ptdbg_json;
/* Print every field of l in w, one per line: indent, name, bit range, value, the
 * value's meaning, the field's description. Reserved fields only when nonzero. */
void vtd_layout_print(FILE *out, const struct vtd_layout *l, const uint64_t *w,
		      const char *indent);
/* Emit the fields of l in w as members of the current JSON object: flags as
 * booleans, numbers as integers, addresses as "0x..." strings, reserved fields
 * ("rsvd[hi:lo]") only when nonzero. */
void vtd_layout_json(struct ptdbg_json *j, const struct vtd_layout *l, const uint64_t *w);

/* "[12:8]" or "[7]" for f, into buf. */
const char *vtd_field_bits(const struct vtd_field *f, char *buf, size_t len);

/* Names of enumerated values ("?" for unknown ones). */
const char *vtd_ttm_name(unsigned ttm);     /* "legacy", "scalable", ... */
const char *vtd_tt_name(unsigned tt);       /* legacy context TT */
const char *vtd_pgtt_name(unsigned pgtt);   /* "first-level", "second-level", ... */
/* Address width and table levels of an AW / SAGAW bit index (0..4): 30/2, 39/3,
 * 48/4, 57/5, 64/6; 0 for unknown. */
unsigned vtd_aw_bits(unsigned aw);
unsigned vtd_aw_levels(unsigned aw);

#endif /* PTDBG_VTD_BITS_H */
