/* SPDX-License-Identifier: MIT */
/*
 * Bit-field helpers for the hardware layout headers in this folder: a field is a
 * contiguous mask, and its position and width follow from the mask, so that a
 * layout states each field once. Freestanding: stdint only; compiled by both the
 * kernel and the tools. PTDBG_BIT() and the constants built with PTDBG_ULL() and
 * PTDBG_U() also assemble (the kernel's .S files define __ASSEMBLY__).
 */
#ifndef PTDBG_HW_FIELD_H
#define PTDBG_HW_FIELD_H

/* An unsigned long long / unsigned constant in C, a plain number in assembly. */
#ifdef __ASSEMBLY__
#define PTDBG_ULL(x) x
#define PTDBG_U(x)   x
#else
#define PTDBG_ULL(x) x##ull
#define PTDBG_U(x)   x##u
#endif

/* Bit n (0..63). */
#define PTDBG_BIT(n)          (PTDBG_ULL(1) << (n))

#ifndef __ASSEMBLY__
#include <stdint.h>

/* The mask of bits hi..lo (inclusive, hi >= lo, both 0..63). */
#define PTDBG_GENMASK(hi, lo) ((~0ull >> (63 - (hi))) & (~0ull << (lo)))

/* Position and width of the field of (nonzero, contiguous) mask m. */
#define PTDBG_FIELD_SHIFT(m)  ((unsigned)__builtin_ctzll(m))
#define PTDBG_FIELD_WIDTH(m)  ((unsigned)__builtin_popcountll(m))

/* The field m of value v, right-aligned; and x placed in field m. */
#define PTDBG_FIELD_GET(m, v) (((uint64_t)(v) & (m)) >> PTDBG_FIELD_SHIFT(m))
#define PTDBG_FIELD_PUT(m, x) (((uint64_t)(x) << PTDBG_FIELD_SHIFT(m)) & (m))
#endif /* !__ASSEMBLY__ */

#endif /* PTDBG_HW_FIELD_H */
