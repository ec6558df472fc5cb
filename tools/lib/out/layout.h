/* SPDX-License-Identifier: MIT */
/*
 * Field tables of hardware registers and table entries, and their printers: the one
 * form VT-d's (vtd/vtd_bits.h) and the SMMUv3's (smmu/smmu_bits.h) layouts are
 * declared in.
 *
 * A layout is an ordered list of fields {name, lsb, width, kind, meaning}. A value
 * is given as little-endian 64-bit words (one for a register, more for a table
 * entry) and a field's lsb counts from bit 0 of word 0.
 */
#ifndef PTDBG_OUT_LAYOUT_H
#define PTDBG_OUT_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum ptdbg_field_kind {
	PTDBG_FK_FLAG = 0, /* one bit: printed by name when set */
	PTDBG_FK_NUM  = 1, /* a number, printed in hex (decimal when small) */
	PTDBG_FK_ADDR = 2, /* an address field: printed as value << lsb (bits in place) */
	PTDBG_FK_RSVD = 3, /* reserved: printed only when nonzero */
};

/* Returns a short meaning of a field value into buf (NULL if nothing to add). */
typedef const char *(*ptdbg_explain_fn)(uint64_t value, char *buf, size_t len);

struct ptdbg_field {
	const char    *name;
	uint16_t       lsb;    /* bit position in the whole value (word 0 bit 0 = 0) */
	uint8_t        width;  /* 1..64 */
	uint8_t        kind;   /* enum ptdbg_field_kind */
	const char    *desc;   /* what the field means, one short phrase */
	ptdbg_explain_fn explain; /* optional decoding of the value */
};

struct ptdbg_layout {
	const char             *name;   /* "CAP", "context entry (legacy)", ... */
	unsigned                bits;   /* 32, 64, 128, 256 or 512 */
	const struct ptdbg_field *fields; /* in ascending bit order */
	size_t                  n;
};

/* The value of field f in the little-endian word array w (of the layout's size). */
uint64_t ptdbg_field_get(const struct ptdbg_field *f, const uint64_t *w);

/* The field named name in layout l (case-sensitive), or NULL. */
const struct ptdbg_field *ptdbg_layout_field(const struct ptdbg_layout *l, const char *name);

/* Format f's value from w as "NAME" (flag set), "NAME=0x.." (number or address), or
 * "" (clear flag, zero reserved field) into buf; snprintf semantics. */
int ptdbg_field_format(const struct ptdbg_field *f, const uint64_t *w, char *buf, size_t len);

/* Format every field of l that has something to show (set flags, numbers, nonzero
 * reserved fields), separated by sep; snprintf semantics. */
int ptdbg_layout_format(const struct ptdbg_layout *l, const uint64_t *w, const char *sep,
		      char *buf, size_t len);

/* Mask of bits (of a register value) covered by no named field of a 32/64-bit
 * layout, plus its RSVD fields: what must read as zero. */
uint64_t ptdbg_layout_reserved_mask(const struct ptdbg_layout *l);

struct ptdbg_json;
/* Print every field of l in w, one per line: indent, name, bit range, value, the
 * value's meaning, the field's description. Reserved fields only when nonzero. */
void ptdbg_layout_print(FILE *out, const struct ptdbg_layout *l, const uint64_t *w,
		      const char *indent);
/* Emit the fields of l in w as members of the current JSON object: flags as
 * booleans, numbers as integers, addresses as "0x..." strings, reserved fields
 * ("rsvd[hi:lo]") only when nonzero. */
void ptdbg_layout_json(struct ptdbg_json *j, const struct ptdbg_layout *l, const uint64_t *w);

/* "[12:8]" or "[7]" for f, into buf. */
const char *ptdbg_field_bits(const struct ptdbg_field *f, char *buf, size_t len);

#endif /* PTDBG_OUT_LAYOUT_H */
