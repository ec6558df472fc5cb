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
 * VT-d bits by hand except through the VTD_* masks of ptdbg/hw/vtd.h.
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

/* The registers' and entries' fields as masks, and their reserved bits: declared
 * once, for the kernel and the tools. */
#include "ptdbg/hw/vtd.h"

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
