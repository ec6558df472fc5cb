/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the RSP packet layer (tools/lib/rsp.h).
 *
 * Input: byte 0 picks the decoder's payload limit and byte 1 the size of the
 * chunks the stream is fed in (a TCP read boundary can fall anywhere); the rest is
 * the byte stream a gdbstub sends. Every decoded payload is hex-decoded, then
 * framed again and decoded again: the second decode must give back exactly the
 * same payload (framing and decoding are inverse for any bytes).
 */
#include <stdlib.h>

#include "fuzz_input.h"
#include "target/rsp.h"

/* Frame payload, decode the frame in one go, and abort unless the payload comes
 * back unchanged. */
static void roundtrip(const char *payload, size_t len)
{
	size_t cap = 2 * len + 4;
	char *framed = malloc(cap);
	struct rsp_decoder d;
	enum rsp_event ev = RSP_EV_NONE;

	if (!framed)
		return;
	size_t flen = rsp_frame(payload, len, framed, cap);
	if (flen == 0 || rsp_frame(payload, len, framed, flen - 1) != 0)
		abort(); /* 2*len+4 always fits; one byte less than needed never does */
	rsp_decoder_init(&d, 0);
	size_t used = rsp_decode(&d, framed, flen, &ev);
	if (used != flen || ev != RSP_EV_PACKET || d.len != len || memcmp(d.buf, payload, len) != 0)
		abort();
	rsp_decoder_free(&d);
	free(framed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t limits[] = { 0, 1, 16, 4096, 8192 };
	struct fz f = { data, size, 0 };
	size_t max = limits[fz_u8(&f) % 5];
	size_t chunk = (size_t)fz_u8(&f) + 1;
	size_t len;
	const uint8_t *in = fz_rest(&f, 2, &len);
	struct rsp_decoder d;

	rsp_decoder_init(&d, max);
	size_t off = 0;
	while (off < len) {
		size_t n = len - off < chunk ? len - off : chunk;
		enum rsp_event ev;
		size_t used = rsp_decode(&d, in + off, n, &ev);

		if (used == (size_t)-1)
			break;
		if (used == 0 || used > n)
			abort(); /* the decoder must make progress and stay in its input */
		off += used;
		if (ev == RSP_EV_PACKET || ev == RSP_EV_NOTIFY) {
			if (max && d.len > max)
				abort();
			uint8_t *bin = malloc(d.len / 2 + 1);
			if (bin) {
				if (rsp_hex_decode(d.buf, d.len / 2, bin) == 0) {
					char *hex = malloc(d.len + 1);
					if (hex) {
						rsp_hex_encode(bin, d.len / 2, hex);
						free(hex);
					}
				}
				free(bin);
			}
			roundtrip(d.buf, d.len);
		}
	}
	rsp_decoder_free(&d);
	return 0;
}
