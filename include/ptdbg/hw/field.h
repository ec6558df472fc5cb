/* SPDX-License-Identifier: MIT */
/*
 * Bit-field helpers for the hardware layout headers in this folder: a field is a
 * contiguous mask, and its position and width follow from the mask, so that a
 * layout states each field once. Freestanding: stdint only; compiled by both the
 * kernel and the tools.
 */
#ifndef PTDBG_HW_FIELD_H
#define PTDBG_HW_FIELD_H

#include <stdint.h>

/* Bit n, and the mask of bits hi..lo (inclusive, hi >= lo, both 0..63). */
#define PTDBG_BIT(n)          (1ull << (n))
#define PTDBG_GENMASK(hi, lo) ((~0ull >> (63 - (hi))) & (~0ull << (lo)))

/* Position and width of the field of (nonzero, contiguous) mask m. */
#define PTDBG_FIELD_SHIFT(m)  ((unsigned)__builtin_ctzll(m))
#define PTDBG_FIELD_WIDTH(m)  ((unsigned)__builtin_popcountll(m))

/* The field m of value v, right-aligned; and x placed in field m. */
#define PTDBG_FIELD_GET(m, v) (((uint64_t)(v) & (m)) >> PTDBG_FIELD_SHIFT(m))
#define PTDBG_FIELD_PUT(m, x) (((uint64_t)(x) << PTDBG_FIELD_SHIFT(m)) & (m))

#endif /* PTDBG_HW_FIELD_H */
