/* SPDX-License-Identifier: MIT */
/* GDB remote serial protocol packet layer: checksums, framing, escapes, RLE. */
#include "target/rsp.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

enum { ST_IDLE, ST_PAYLOAD, ST_CSUM1, ST_CSUM2 };

static const char hexdig[] = "0123456789abcdef";

/* Value of one hex digit, or -1. */
static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

uint8_t rsp_checksum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	return sum;
}

size_t rsp_frame(const void *payload, size_t len, char *out, size_t cap)
{
	const uint8_t *p = payload;
	size_t o = 0;
	uint8_t sum = 0;

	if (cap < 4)
		return 0;
	out[o++] = '$';
	for (size_t i = 0; i < len; i++) {
		uint8_t c = p[i];
		bool esc = c == '$' || c == '#' || c == '}' || c == '*';

		if (o + (esc ? 2 : 1) + 3 > cap)
			return 0;
		if (esc) {
			out[o++] = '}';
			sum = (uint8_t)(sum + '}');
			c ^= 0x20;
		}
		out[o++] = (char)c;
		sum = (uint8_t)(sum + c);
	}
	out[o++] = '#';
	out[o++] = hexdig[sum >> 4];
	out[o++] = hexdig[sum & 15];
	return o;
}

/* hex digit values plus 1 (0: not a hex digit), built on first use */
static uint8_t hex_table[256];

#ifdef __SSE2__
/* 16 hex digits at h as 8 bytes in the low half of the result; *bad gets a nonzero
 * mask when one of them is not a hex digit. SSE2 (every x86-64 has it). */
static inline __m128i hex16(const uint8_t *h, int *bad)
{
	__m128i c = _mm_loadu_si128((const __m128i *)h);
	__m128i d = _mm_sub_epi8(c, _mm_set1_epi8('0'));
	__m128i l = _mm_sub_epi8(_mm_or_si128(c, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
	__m128i isd = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
	__m128i isl = _mm_cmpeq_epi8(_mm_min_epu8(l, _mm_set1_epi8(5)), l);
	__m128i v = _mm_or_si128(_mm_and_si128(isd, d),
				 _mm_and_si128(isl, _mm_add_epi8(l, _mm_set1_epi8(10))));
	*bad |= _mm_movemask_epi8(_mm_or_si128(isd, isl)) ^ 0xffff;
	/* lanes of 16 bits: high digit in the low byte, low digit in the high byte */
	return _mm_or_si128(_mm_slli_epi16(_mm_and_si128(v, _mm_set1_epi16(0xff)), 4), _mm_srli_epi16(v, 8));
}
#endif

int rsp_hex_decode(const char *hex, size_t n, uint8_t *out)
{
	const uint8_t *h = (const uint8_t *)hex;
	size_t i = 0;

	if (!hex_table['0'])
		for (int c = 0; c < 256; c++)
			hex_table[c] = (uint8_t)(hexval(c) + 1);
#ifdef __SSE2__
	int bad = 0;
	for (; i + 16 <= n; i += 16) {
		__m128i a = hex16(h + 2 * i, &bad), b = hex16(h + 2 * i + 16, &bad);
		_mm_storeu_si128((__m128i *)(out + i), _mm_packus_epi16(a, b));
	}
	if (bad)
		return -1;
#endif
	for (; i < n; i++) {
		uint8_t hi = hex_table[h[2 * i]], lo = hex_table[h[2 * i + 1]];

		if (!hi || !lo)
			return -1;
		out[i] = (uint8_t)((hi - 1) << 4 | (lo - 1));
	}
	return 0;
}

void rsp_hex_encode(const void *in, size_t n, char *out)
{
	const uint8_t *p = in;

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hexdig[p[i] >> 4];
		out[2 * i + 1] = hexdig[p[i] & 15];
	}
	out[2 * n] = '\0';
}

void rsp_decoder_init(struct rsp_decoder *d, size_t max)
{
	memset(d, 0, sizeof(*d));
	d->max = max;
	d->state = ST_IDLE;
}

void rsp_decoder_free(struct rsp_decoder *d)
{
	free(d->buf);
	d->buf = NULL;
	d->len = d->cap = 0;
}

/* Append count copies of c to the payload; returns false on allocation failure.
 * Past max the frame is marked overflowing and bytes are dropped. */
static bool put(struct rsp_decoder *d, uint8_t c, size_t count)
{
	if (d->overflow)
		return true;
	if (d->max && d->len + count > d->max) {
		d->overflow = true;
		return true;
	}
	if (d->len + count + 1 > d->cap) {
		size_t ncap = d->cap ? d->cap : 4096;
		char *nb;

		while (d->len + count + 1 > ncap)
			ncap *= 2;
		nb = realloc(d->buf, ncap);
		if (!nb)
			return false;
		d->buf = nb;
		d->cap = ncap;
	}
	memset(d->buf + d->len, c, count);
	d->len += count;
	d->buf[d->len] = '\0';
	return true;
}

/* Append len bytes to the payload (see put). */
static bool put_run(struct rsp_decoder *d, const uint8_t *src, size_t len)
{
	if (d->overflow)
		return true;
	if (!put(d, 0, 0))
		return false;
	if (d->max && d->len + len > d->max) {
		d->overflow = true;
		return true;
	}
	if (d->len + len + 1 > d->cap) {
		size_t ncap = d->cap;
		char *nb;

		while (d->len + len + 1 > ncap)
			ncap *= 2;
		nb = realloc(d->buf, ncap);
		if (!nb)
			return false;
		d->buf = nb;
		d->cap = ncap;
	}
	memcpy(d->buf + d->len, src, len);
	d->len += len;
	d->buf[d->len] = '\0';
	return true;
}

size_t rsp_decode(struct rsp_decoder *d, const void *in, size_t n, enum rsp_event *ev)
{
	const uint8_t *p = in;
	size_t i = 0;

	*ev = RSP_EV_NONE;
	while (i < n) {
		uint8_t c = p[i++];
		int v;

		d->raw_bytes++;
		switch (d->state) {
		case ST_IDLE:
			if (c == '+') {
				*ev = RSP_EV_ACK;
				return i;
			}
			if (c == '-') {
				*ev = RSP_EV_NAK;
				return i;
			}
			if (c == 0x03) {
				*ev = RSP_EV_INTERRUPT;
				return i;
			}
			if (c == '$' || c == '%') {
				d->state = ST_PAYLOAD;
				d->notify = c == '%';
				d->escape = d->rle = d->overflow = false;
				d->sum = 0;
				d->len = 0;
				if (!put(d, 0, 0))
					return (size_t)-1;
			}
			break; /* anything else between frames is noise */
		case ST_PAYLOAD:
			if (!d->escape && !d->rle && c != '#' && c != '}' && c != '*') {
				/* common case: a run of plain bytes, copied at once */
				size_t run = 1;
				uint8_t sum = c;
#ifdef __SSE2__
				/* 16 bytes at a time: stop at the block holding a special byte */
				__m128i acc = _mm_setzero_si128();
				while (i - 1 + run + 16 <= n) {
					__m128i x = _mm_loadu_si128((const __m128i *)(p + i - 1 + run));
					__m128i sp = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('#')),
										  _mm_cmpeq_epi8(x, _mm_set1_epi8('}'))),
								   _mm_cmpeq_epi8(x, _mm_set1_epi8('*')));
					if (_mm_movemask_epi8(sp))
						break;
					acc = _mm_add_epi64(acc, _mm_sad_epu8(x, _mm_setzero_si128()));
					run += 16;
				}
				sum = (uint8_t)(sum + (uint8_t)_mm_cvtsi128_si32(acc) +
						(uint8_t)_mm_cvtsi128_si32(_mm_srli_si128(acc, 8)));
#endif
				while (i - 1 + run < n) {
					uint8_t x = p[i - 1 + run];

					if (x == '#' || x == '}' || x == '*')
						break;
					sum = (uint8_t)(sum + x);
					run++;
				}
				d->sum = (uint8_t)(d->sum + sum);
				d->raw_bytes += run - 1;
				if (!put_run(d, p + i - 1, run))
					return (size_t)-1;
				i += run - 1;
				break;
			}
			if (c == '#' && !d->escape) {
				d->state = ST_CSUM1;
				break;
			}
			d->sum = (uint8_t)(d->sum + c);
			if (d->escape) {
				d->escape = false;
				if (!put(d, c ^ 0x20, 1))
					return (size_t)-1;
			} else if (d->rle) {
				d->rle = false;
				if (c < 29 + 3 || d->len == 0) {
					/* n < 3 repeats is not legal RLE; keep it literal */
					if (!put(d, c, 1))
						return (size_t)-1;
				} else if (!put(d, (uint8_t)d->buf[d->len - 1], (size_t)c - 29)) {
					return (size_t)-1;
				}
			} else if (c == '}') {
				d->escape = true;
			} else if (c == '*' && d->len > 0) {
				d->rle = true;
			} else if (!put(d, c, 1)) {
				return (size_t)-1;
			}
			break;
		case ST_CSUM1:
			v = hexval(c);
			d->rx_sum = v < 0 ? 0 : (uint8_t)(v << 4);
			d->state = v < 0 ? ST_CSUM2 + 1 : ST_CSUM2;
			break;
		case ST_CSUM2:
		case ST_CSUM2 + 1: /* first digit was not hex: the frame is bad */
			v = hexval(c);
			if (d->state == ST_CSUM2 + 1 || v < 0)
				*ev = RSP_EV_BADSUM;
			else if ((uint8_t)(d->rx_sum | v) != d->sum)
				*ev = RSP_EV_BADSUM;
			else if (d->overflow)
				*ev = RSP_EV_OVERSIZE;
			else
				*ev = d->notify ? RSP_EV_NOTIFY : RSP_EV_PACKET;
			if (*ev == RSP_EV_BADSUM && d->overflow)
				*ev = RSP_EV_OVERSIZE;
			d->state = ST_IDLE;
			return i;
		}
	}
	return i;
}
