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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checksum),
		cmocka_unit_test(test_frame_plain_and_escaped),
		cmocka_unit_test(test_decode_framing),
		cmocka_unit_test(test_decode_escape_and_rle),
		cmocka_unit_test(test_decode_oversize),
		cmocka_unit_test(test_hex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
