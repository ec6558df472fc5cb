/* SPDX-License-Identifier: MIT */
/* Unit tests: the GDB remote serial protocol packet layer (tools/lib/rsp.c). */
#include <setjmp.h>
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "target/rsp.h"

/* Feed s in pieces of step bytes; return the events seen, one char each:
 * + - P(acket) N(otify) B(adsum) O(versize) I(nterrupt); payloads joined with '|'. */
static void feed(struct rsp_decoder *d, const char *s, size_t len, size_t step, char *evs,
		 char *payloads)
{
	size_t pos = 0;

	evs[0] = payloads[0] = '\0';
	while (pos < len) {
		size_t n = len - pos < step ? len - pos : step;
		size_t used;
		enum rsp_event ev;

		used = rsp_decode(d, s + pos, n, &ev);
		assert_true(used > 0 && used <= n);
		pos += used;
		switch (ev) {
		case RSP_EV_ACK: strcat(evs, "+"); break;
		case RSP_EV_NAK: strcat(evs, "-"); break;
		case RSP_EV_PACKET: strcat(evs, "P"); strcat(payloads, d->buf); strcat(payloads, "|"); break;
		case RSP_EV_NOTIFY: strcat(evs, "N"); break;
		case RSP_EV_BADSUM: strcat(evs, "B"); break;
		case RSP_EV_OVERSIZE: strcat(evs, "O"); break;
		case RSP_EV_INTERRUPT: strcat(evs, "I"); break;
		case RSP_EV_NONE: break;
		}
	}
}

static void test_checksum(void **state)
{
	(void)state;
	assert_int_equal(rsp_checksum("OK", 2), 0x9a);
	assert_int_equal(rsp_checksum("", 0), 0);
	assert_int_equal(rsp_checksum("qSupported", 10), 0x37);
}

static void test_frame_plain_and_escaped(void **state)
{
	char out[64];
	size_t n;

	(void)state;
	n = rsp_frame("OK", 2, out, sizeof(out));
	assert_int_equal(n, 6);
	assert_memory_equal(out, "$OK#9a", 6);
	/* '$' '#' '}' '*' are escaped as '}' then the byte XOR 0x20 */
	n = rsp_frame("a$#}*", 5, out, sizeof(out));
	out[n] = '\0';
	assert_string_equal(out, "$a}\x04}\x03}]}\x0a#c3");
	assert_int_equal(rsp_frame("OK", 2, out, 5), 0); /* too small */
}

static void test_decode_framing(void **state)
{
	struct rsp_decoder d;
	char evs[64], pl[256];
	const char stream[] = "+$OK#9a-%Stop:T05#xx\x03junk$OK#00$#00";

	(void)state;
	rsp_decoder_init(&d, 0);
	for (size_t step = 1; step <= sizeof(stream); step++) { /* any split works */
		feed(&d, stream, sizeof(stream) - 1, step, evs, pl);
		assert_string_equal(evs, "+P-BIBP");
		assert_string_equal(pl, "OK||");
	}
	rsp_decoder_free(&d);
}

static void test_decode_escape_and_rle(void **state)
{
	struct rsp_decoder d;
	char evs[64], pl[256], pkt[64];
	size_t n;

	(void)state;
	rsp_decoder_init(&d, 0);
	/* what rsp_frame escapes, the decoder restores */
	n = rsp_frame("x}y#z$*", 7, pkt, sizeof(pkt));
	feed(&d, pkt, n, 3, evs, pl);
	assert_string_equal(evs, "P");
	assert_string_equal(pl, "x}y#z$*|");
	/* "0* " is 0 plus (' ' - 29) = 3 more, "1*!" is 1 plus 4 more; the
	 * checksum covers the raw bytes */
	{
		char raw[32];
		int l = snprintf(raw, sizeof(raw), "$0* 1*!#%02x", rsp_checksum("0* 1*!", 6));

		feed(&d, raw, (size_t)l, 1, evs, pl);
		assert_string_equal(evs, "P");
		assert_string_equal(pl, "000011111|");
	}
	/* RLE of an escaped byte repeats the unescaped byte */
	{
		char raw[32];
		int l = snprintf(raw, sizeof(raw), "$}]* #%02x", rsp_checksum("}]* ", 4));

		feed(&d, raw, (size_t)l, 2, evs, pl);
		assert_string_equal(pl, "}}}}|");
	}
	rsp_decoder_free(&d);
}

static void test_decode_oversize(void **state)
{
	struct rsp_decoder d;
	char evs[64], pl[256];
	char raw[64];
	int l = snprintf(raw, sizeof(raw), "$0123456789#%02x$OK#9a", rsp_checksum("0123456789", 10));

	(void)state;
	rsp_decoder_init(&d, 8);
	feed(&d, raw, (size_t)l, 4, evs, pl);
	assert_string_equal(evs, "OP"); /* the long one is reported, the next one is fine */
	assert_string_equal(pl, "OK|");
	rsp_decoder_free(&d);
}

static void test_hex(void **state)
{
	uint8_t b[4];
	char h[9];

	(void)state;
	assert_int_equal(rsp_hex_decode("00fFa5", 3, b), 0);
	assert_int_equal(b[0], 0x00);
	assert_int_equal(b[1], 0xff);
	assert_int_equal(b[2], 0xa5);
	assert_int_equal(rsp_hex_decode("0g", 1, b), -1);
	rsp_hex_encode("\x01\xab", 2, h);
	assert_string_equal(h, "01ab");
}

/* Long inputs (the 16-byte-at-a-time paths): every byte value, upper and lower case
 * digits, each length, and a bad digit at each position. */
static void test_hex_long(void **state)
{
	static const char dig[] = "0123456789abcdef", DIG[] = "0123456789ABCDEF";
	uint8_t in[300], out[300];
	char h[601] = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 37 + 11);
	for (size_t n = 0; n <= sizeof(in); n += n < 40 ? 1 : 37) {
		for (size_t i = 0; i < n; i++) {
			const char *d = i % 3 ? dig : DIG;
			h[2 * i] = d[in[i] >> 4];
			h[2 * i + 1] = d[in[i] & 15];
		}
		memset(out, 0, sizeof(out));
		assert_int_equal(rsp_hex_decode(h, n, out), 0);
		assert_memory_equal(out, in, n);
		static const char bad[] = { 'g', 'G', '/', ':', '@', '`', ' ', '\0', (char)0xb0, (char)0xe1 };
		for (size_t k = 0; k < 2 * n; k += 1 + k / 4) {
			char keep = h[k];
			h[k] = bad[k % sizeof(bad)];
			assert_int_equal(rsp_hex_decode(h, n, out), -1);
			h[k] = keep;
		}
	}
}

/* Long payloads: each length, a special byte at each position, any split; the
 * checksum covers every byte. */
static void test_decode_long(void **state)
{
	struct rsp_decoder d;
	static char pkt[400], want[200], evs[64], pl[1024];

	(void)state;
	rsp_decoder_init(&d, 0);
	for (size_t n = 1; n < 120; n += 1 + n / 8) {
		for (size_t at = 0; at <= n; at += 1 + n / 5) {
			char body[200];
			for (size_t i = 0; i < n; i++)
				body[i] = (char)('0' + (i * 7 + n) % 75); /* '0'..'z', no '}' '#' '*' '$' */
			for (size_t i = 0; i < n; i++)
				if (body[i] == '}' || body[i] == '#' || body[i] == '*' || body[i] == '$')
					body[i] = 'q';
			if (at < n)
				body[at] = '#'; /* escaped by rsp_frame */
			memcpy(want, body, n);
			want[n] = '\0';
			size_t l = rsp_frame(body, n, pkt, sizeof(pkt));
			assert_true(l > 0);
			for (size_t step = 1; step <= l; step += 1 + step * 2) {
				feed(&d, pkt, l, step, evs, pl);
				assert_string_equal(evs, "P");
				assert_int_equal(strlen(pl), n + 1);
				assert_memory_equal(pl, want, n);
			}
			/* one payload byte changed: the checksum no longer holds */
			pkt[1 + (at % n)] ^= 1;
			if (pkt[1 + (at % n)] != '}' && pkt[1 + (at % n)] != '#' && pkt[1 + (at % n)] != '*' &&
			    pkt[1 + (at % n)] != '$' && pkt[1 + (at % n)] != ('#' ^ 1)) {
				feed(&d, pkt, l, l, evs, pl);
				assert_string_equal(evs, "B");
			}
		}
	}
	rsp_decoder_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checksum),
		cmocka_unit_test(test_frame_plain_and_escaped),
		cmocka_unit_test(test_decode_framing),
		cmocka_unit_test(test_decode_escape_and_rle),
		cmocka_unit_test(test_decode_oversize),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_hex_long),
		cmocka_unit_test(test_decode_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
