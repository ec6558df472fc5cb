/* SPDX-License-Identifier: MIT */
/*
 * Numbers formatted by hand, for the printers' hot paths (the range dump, info-tlb,
 * the JSON writer): no printf, no locale, no NUL written unless said.
 */
#ifndef PTDBG_OUT_FMT_H
#define PTDBG_OUT_FMT_H

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdint.h>
#include <string.h>

/* v as 16 lowercase hex digits at d ("%016" PRIx64, no NUL): the printers' hot path. SSE2 (every x86-64 has it):
 * the bytes in print order, split into nibbles, interleaved, then '0' + n, plus 39
 * more for a..f. Elsewhere: each nibble spread into its own byte of a word. */
static inline void ptdbg_hex16(char *d, uint64_t v)
{
#ifdef __SSE2__
	__m128i x = _mm_cvtsi64_si128((long long)__builtin_bswap64(v));
	__m128i m = _mm_set1_epi8(0x0f);
	__m128i n = _mm_unpacklo_epi8(_mm_and_si128(_mm_srli_epi16(x, 4), m), _mm_and_si128(x, m));
	__m128i letter = _mm_and_si128(_mm_cmpgt_epi8(n, _mm_set1_epi8(9)), _mm_set1_epi8('a' - '0' - 10));
	_mm_storeu_si128((__m128i *)(void *)d, _mm_add_epi8(_mm_add_epi8(n, _mm_set1_epi8('0')), letter));
#else
	for (int half = 0; half < 2; half++) {
		uint64_t w = (uint32_t)(v >> (32 - 32 * half));
		w = (w | (w << 16)) & 0x0000ffff0000ffffull;
		w = (w | (w << 8)) & 0x00ff00ff00ff00ffull;
		w = (w | (w << 4)) & 0x0f0f0f0f0f0f0f0full;
		for (int i = 0; i < 8; i++) { /* byte i holds nibble i: print 7 first */
			unsigned nib = (unsigned)(w >> (8 * (7 - i))) & 15;
			d[8 * half + i] = (char)(nib < 10 ? '0' + nib : 'a' + nib - 10);
		}
	}
#endif
}

/* v in decimal at p, right-aligned in width columns ("%*llu"); returns the end. */
static inline char *ptdbg_put_dec(char *p, uint64_t v, unsigned width)
{
	char d[20];
	unsigned n = 0;
	do
		d[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	for (unsigned i = n; i < width; i++)
		*p++ = ' ';
	while (n)
		*p++ = d[--n];
	return p;
}

/* v in lowercase hex at p with at least min digits (min <= 16: "%0*llx"); returns
 * the end. */
static inline char *ptdbg_put_hex(char *p, uint64_t v, unsigned min)
{
	char d[16];
	unsigned n = 16;
	ptdbg_hex16(d, v);
	while (n > min && d[16 - n] == '0')
		n--;
	memcpy(p, d + 16 - n, n);
	return p + n;
}

#endif /* PTDBG_OUT_FMT_H */
