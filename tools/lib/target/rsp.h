/* SPDX-License-Identifier: MIT */
/*
 * GDB remote serial protocol: the packet layer, without any I/O.
 *
 * Framing is `$payload#cc` where cc is the modulo-256 sum of the payload bytes as
 * they travel (after escaping), in two lowercase hex digits. Inside a payload,
 * '}' escapes the next byte (sent XOR 0x20) and `X*n` repeats X (n - 29) more
 * times (run-length encoding, replies only). The receiver acknowledges each
 * packet with '+' or asks for it again with '-', unless no-ack mode is on.
 * `%payload#cc` is an asynchronous notification. A lone 0x03 is an interrupt.
 */
#ifndef PTDBG_RSP_H
#define PTDBG_RSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The sum of len bytes modulo 256, as carried after '#'. */
uint8_t rsp_checksum(const void *data, size_t len);

/* Escape payload (len bytes) and frame it as $...#cc into out (capacity cap).
 * Returns the framed length, or 0 if cap is too small. Worst case needs 2*len+4. */
size_t rsp_frame(const void *payload, size_t len, char *out, size_t cap);

/* Decode hex text (2*n digits) into n bytes. Returns 0, or -1 on a non-hex digit. */
int rsp_hex_decode(const char *hex, size_t n, uint8_t *out);
/* Encode n bytes as 2*n lowercase hex digits plus a NUL into out. */
void rsp_hex_encode(const void *in, size_t n, char *out);

/* What the decoder found in the byte stream. */
enum rsp_event {
	RSP_EV_NONE = 0,   /* needs more bytes */
	RSP_EV_ACK,        /* '+' */
	RSP_EV_NAK,        /* '-' */
	RSP_EV_PACKET,     /* a complete packet with a good checksum: payload in d->buf */
	RSP_EV_NOTIFY,     /* a complete '%' notification (payload in d->buf) */
	RSP_EV_BADSUM,     /* a complete packet whose checksum did not match */
	RSP_EV_OVERSIZE,   /* a packet longer than d->max; it was discarded to its end */
	RSP_EV_INTERRUPT,  /* 0x03 outside a packet */
};

/* Incremental receiver state. buf holds the decoded payload (NUL-terminated). */
struct rsp_decoder {
	char    *buf;
	size_t   len, cap;
	size_t   max;        /* longest decoded payload accepted (0: unlimited) */
	int      state;
	bool     notify;     /* current frame started with '%' */
	bool     escape;     /* previous raw byte was '}' */
	bool     rle;        /* previous raw byte was '*' */
	bool     overflow;   /* current frame exceeded max */
	uint8_t  sum;        /* running checksum of raw payload bytes */
	uint8_t  rx_sum;     /* checksum digits received */
	uint64_t raw_bytes;  /* every byte fed, for statistics */
};

/* Prepare d; max bounds a decoded payload (0: unlimited). */
void rsp_decoder_init(struct rsp_decoder *d, size_t max);
void rsp_decoder_free(struct rsp_decoder *d);

/* Feed up to n bytes. Consumes bytes until the first complete event (stored in
 * *ev) or until the input is exhausted (*ev = RSP_EV_NONE). Returns the number of
 * bytes consumed. Garbage between frames is skipped. A payload stays valid until the
 * next call. Returns (size_t)-1 only on allocation failure. */
size_t rsp_decode(struct rsp_decoder *d, const void *in, size_t n, enum rsp_event *ev);

#endif /* PTDBG_RSP_H */
