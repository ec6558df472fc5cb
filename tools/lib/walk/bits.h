/* SPDX-License-Identifier: MIT */
/*
 * Bit tables: a register or entry layout declared once, as data, in the order its
 * fields should be printed (Linux's prot_bits in arch/arm64/mm/ptdump.c).
 *
 * A field is {mask, value, name when it matches, name when it does not}. It matches
 * when (v & mask) == value, so that a multi-bit field prints one name per encoding
 * (a memory attribute index, an access-permission pair: one row per value). For a
 * flag or a group of flags, value PTDBG_BIT_ANY matches when any bit of mask is set
 * (PTDBG_FLAG() writes such a row). A NULL name prints nothing.
 */
#ifndef PTDBG_WALK_BITS_H
#define PTDBG_WALK_BITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* value of a row that matches when any bit of its mask is set */
#define PTDBG_BIT_ANY UINT64_MAX

/* One named field of a bit layout. */
struct ptdbg_bit {
	uint64_t    mask;
	uint64_t    value; /* (v & mask) == value, or PTDBG_BIT_ANY: (v & mask) != 0 */
	const char *set;   /* printed when the field matches, or NULL */
	const char *clear; /* printed when it does not, or NULL */
};

/* A row for a flag (or a group of flags: any of them set). */
#define PTDBG_FLAG(mask, set, clear)         { (mask), PTDBG_BIT_ANY, (set), (clear) }
/* A row for one encoding of a multi-bit field. */
#define PTDBG_FIELD(mask, value, set, clear) { (mask), (value), (set), (clear) }

/* A bit layout: its name and fields. */
struct ptdbg_bit_table {
	const char             *name;
	const struct ptdbg_bit *bits;
	size_t                  n;
};

/* Define a table var named label over the array arr. */
#define PTDBG_BIT_TABLE(var, label, arr) \
	const struct ptdbg_bit_table var = { label, arr, sizeof(arr) / sizeof(arr[0]) }

/* Whether v matches row b (see above). */
static inline bool ptdbg_bit_matches(const struct ptdbg_bit *b, uint64_t v)
{
	return b->value == PTDBG_BIT_ANY ? (v & b->mask) != 0 : (v & b->mask) == b->value;
}

/* Write the names of value's fields under table t into buf (size len), separated by
 * sep, skipping NULL names; returns the length that would have been written
 * (snprintf semantics). */
int ptdbg_bits_format(const struct ptdbg_bit_table *t, uint64_t value, const char *sep,
		      char *buf, size_t len);
/* The same, leaving out the rows whose mask meets skip. */
int ptdbg_bits_format_except(const struct ptdbg_bit_table *t, uint64_t value, uint64_t skip,
			     const char *sep, char *buf, size_t len);

#endif /* PTDBG_WALK_BITS_H */
