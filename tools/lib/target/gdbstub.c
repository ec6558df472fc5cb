/* SPDX-License-Identifier: MIT */
/*
 * The gdbstub backend: a GDB remote serial protocol client for QEMU's stub, over
 * TCP ("HOST:PORT") or a unix socket ("unix:PATH").
 *
 * What QEMU 7.2's stub does, and what this client relies on:
 *  - a new connection stops a running VM; the stub then sends an unsolicited stop
 *    reply (T02) before anything else, so a stop packet that arrives before the ack
 *    of our first packet means "the VM was running";
 *  - `D` (detach) always lets the VM run, even one started with -S, so it is sent
 *    only when the VM was running; otherwise the socket is simply closed;
 *  - `?` would remove every breakpoint, so it is never sent;
 *  - Qqemu.PhyMemMode:1 makes `m` read guest physical memory; `m` accepts at most
 *    PacketSize/2 bytes (2048 with PacketSize=1000 hex), more is E22;
 *  - queued packets are answered in order, each preceded by its '+'; the stub does
 *    not wait for our '+' (so reads can be pipelined);
 *  - no QStartNoAckMode (used when a stub offers it).
 */
#include "target/rsp.h"
#include "target/target.h"
#include "target/tdesc.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define GS_DEFAULT_DEPTH   64u
#define GS_MAX_DEPTH       64u
#define GS_MAX_RETRIES     5
#define GS_MAX_PACKET      (1u << 20)     /* largest PacketSize believed */
#define GS_MAX_MONITOR_OUT (256u << 20) /* bytes of monitor output kept */
#define GS_MTREE "info mtree -f"      /* the monitor command whose answer is kept */
#define GS_MAX_XML         (256u * 1024)
#define GS_MAX_OPEN        8


struct gs_batch;
struct gdbstub;
static int gs_stream_drain(struct gdbstub *g);
static void gs_stream_forget(struct gdbstub *g);
static int gs_ahead_drain(struct gdbstub *g);
static void gs_close(struct ptdbg_target *t);

struct gdbstub {
	struct ptdbg_target *t;
	int fd;
	char where[160];          /* "HOST:PORT" or "unix:PATH", for messages */
	int timeout_ms;
	double timeout_s;
	bool noack;
	void (*while_attaching)(void *arg); /* ptdbg_target_opts: called in gs_attach */
	void *while_attaching_arg;
	bool dead;                /* the stream is out of step or closed */
	char     dead_why[256];   /* the error that killed the link, repeated later */
	size_t packet_size;
	size_t chunk;             /* bytes per `m` */
	unsigned depth;           /* reads in flight */
	struct rsp_decoder dec;
	uint8_t rx[65536];
	size_t rx_pos, rx_len;
	bool hold_acks;           /* keep acks queued while a monitor reply streams in:
				     QEMU reads none until it has written all of it, and
				     a unix socket fills up with one buffer per small send */
	char *txq;                /* bytes queued for the stub */
	size_t txq_len, txq_cap;
	volatile size_t tx_done;  /* bytes of txq already written (for emergency) */
	/* registers */
	bool regs_probed;
	struct ptdbg_tdesc td;       /* architecture, register numbers by name */
	char *top_xml;               /* target.xml (gs_top_xml) until the registers
					are probed; or NULL */
	/* what attaching changed */
	int phymem_orig;          /* -1: unknown */
	bool phymem_changed;
	bool was_running;
	bool running;             /* resumed by us */
	bool stay_stopped;
	/* gs_detach: the restore was sent (detach_ok: it could be), phy and det: the
	 * answers close still has to read (PhyMemMode's, D's) */
	bool detach_sent, detach_ok, detach_phy, detach_det;
	struct gs_batch *stream;  /* the stream in progress (gs_stream_begin), or NULL */
	char *ahead_cmd, *ahead_req; /* a monitor command sent ahead of its caller
				     (ptdbg_gdbstub_monitor_ahead) whose answer is
				     still on the link, and its packet; or NULL */
	char *mtree;              /* `info mtree -f` as QEMU printed it at this stop, or
				     NULL: asked by several parts of one command (guest RAM,
				     the fast path, the SMMU), and it changes only when the
				     VM runs or a monitor command that is not a query runs */
	/* restore bytes for the emergency path, rebuilt when the state changes */
	char restore[96];
	volatile size_t restore_len;
};

static struct gdbstub *volatile gs_open_list[GS_MAX_OPEN];

/* Rebuild the bytes that undo attaching: stop if running, PhyMemMode back, detach. */
static void gs_update_restore(struct gdbstub *g)
{
	char buf[96];
	size_t n = 0;
	char pkt[32];

	if (g->running)
		buf[n++] = 0x03;
	if (g->phymem_changed) {
		int l = snprintf(pkt, sizeof(pkt), "Qqemu.PhyMemMode:%d", g->phymem_orig > 0);
		n += rsp_frame(pkt, (size_t)l, buf + n, sizeof(buf) - n);
	}
	if (g->was_running && !g->stay_stopped)
		n += rsp_frame("D", 1, buf + n, sizeof(buf) - n);
	g->restore_len = 0;
	memcpy(g->restore, buf, n);
	g->restore_len = n;
}

/* Write all of buf, waiting at most the timeout for the socket to drain.
 * Uses MSG_NOSIGNAL: a dead peer is an error, not SIGPIPE. */
static int gs_write(struct gdbstub *g, const char *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t w = send(g->fd, buf + done, len - done, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) { /* socket full: wait, bounded */
			struct pollfd pfd = { .fd = g->fd, .events = POLLOUT };
			int pr = poll(&pfd, 1, g->timeout_ms);

			if (pr == 0) {
				g->dead = true;
				return ptdbg_target_fail(g->t, PTDBG_ETIMEOUT,
					"gdbstub at %s: cannot send within %.1f s", g->where, g->timeout_s);
			}
			continue;
		}
		if (w < 0) {
			g->dead = true;
			return ptdbg_target_fail(g->t, PTDBG_ELINK, "gdbstub at %s: %s",
						 g->where, strerror(errno));
		}
		done += (size_t)w;
		if (buf == g->txq)
			g->tx_done = done;
	}
	return 0;
}

/* Queue raw bytes for the stub (sent by gs_flush or before any wait). */
static int gs_queue(struct gdbstub *g, const char *bytes, size_t len)
{
	if (g->txq_len + len > g->txq_cap) {
		size_t ncap = g->txq_cap ? g->txq_cap : 4096;
		char *nb;

		while (g->txq_len + len > ncap)
			ncap *= 2;
		nb = realloc(g->txq, ncap);
		if (!nb)
			return ptdbg_target_fail(g->t, PTDBG_ENOMEM, "out of memory");
		g->txq = nb;
		g->txq_cap = ncap;
	}
	memcpy(g->txq + g->txq_len, bytes, len);
	g->txq_len += len;
	return 0;
}

/* Queue one packet with the given payload. */
static int gs_queue_packet(struct gdbstub *g, const char *payload, size_t len)
{
	char small[512];
	char *buf = small;
	size_t cap = 2 * len + 4, n;
	int rc;

	if (cap > sizeof(small)) {
		buf = malloc(cap);
		if (!buf)
			return ptdbg_target_fail(g->t, PTDBG_ENOMEM, "out of memory");
	}
	n = rsp_frame(payload, len, buf, cap);
	rc = gs_queue(g, buf, n);
	if (buf != small)
		free(buf);
	return rc;
}

/* Send everything queued. */
static int gs_flush(struct gdbstub *g)
{
	int rc = 0;

	if (g->txq_len) {
		g->tx_done = 0;
		rc = gs_write(g, g->txq, g->txq_len);
		g->txq_len = 0;
		g->tx_done = 0;
	}
	return rc;
}

/* How long gs_event reads without sleeping before it polls: QEMU answers a queued
 * request within 20-60 us, and a process that sleeps in poll is woken onto the
 * stub's own CPU (the waker's), where it waits out the stub's time slice (about a
 * millisecond) while the other CPU idles, and the stub then idles for want of the
 * next request. Measured on a 2-core host: 24 such waits of 0.3-1.2 ms in five
 * `iommudump dump` runs without it, 2 with it. */
#define GS_SPIN_US 200

/* Read what the stub has sent, trying again for up to GS_SPIN_US before giving up:
 * recv's result (> 0 bytes in g->rx; -1 with EAGAIN when nothing came). */
static ssize_t gs_recv_spin(struct gdbstub *g)
{
	struct timespec t0, t;
	ssize_t r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		r = recv(g->fd, g->rx, sizeof(g->rx), MSG_DONTWAIT);
		if (r >= 0 || (errno != EAGAIN && errno != EINTR))
			return r;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) > GS_SPIN_US * 1000L)
			return r;
	}
}

/* Wait for the next protocol event (ack, nak, packet...). Flushes queued bytes
 * before blocking. Fails with PTDBG_ETIMEOUT after the timeout without a byte, or
 * PTDBG_ELINK when the stub closes the connection. */
static int gs_event(struct gdbstub *g, enum rsp_event *ev)
{
	if (g->dead) {
		/* The error line set when the link died is its cause: keep repeating it
		 * (later errors, per-page ones included, may have replaced it since). */
		if (!g->dead_why[0])
			snprintf(g->dead_why, sizeof(g->dead_why), "%s", ptdbg_target_error(g->t));
		return ptdbg_target_fail(g->t, PTDBG_ELINK, "%s", g->dead_why[0] ? g->dead_why :
					 "gdbstub: link lost earlier");
	}
	for (;;) {
		struct pollfd pfd = { .fd = g->fd, .events = POLLIN };
		ssize_t r;
		int pr, rc;

		if (g->rx_pos < g->rx_len) {
			size_t used = rsp_decode(&g->dec, g->rx + g->rx_pos, g->rx_len - g->rx_pos, ev);

			if (used == (size_t)-1)
				return ptdbg_target_fail(g->t, PTDBG_ENOMEM, "out of memory");
			g->rx_pos += used;
			if (*ev != RSP_EV_NONE)
				return 0;
		}
		rc = g->hold_acks ? 0 : gs_flush(g);
		if (rc)
			return rc;
		r = gs_recv_spin(g);
		if (r < 0 && (errno == EAGAIN || errno == EINTR)) { /* nothing yet: sleep */
			pr = poll(&pfd, 1, g->timeout_ms);
			if (pr < 0 && errno == EINTR)
				continue;
			if (pr == 0) {
				g->dead = true;
				return ptdbg_target_fail(g->t, PTDBG_ETIMEOUT,
					"gdbstub at %s: no reply within %.1f s", g->where, g->timeout_s);
			}
			r = recv(g->fd, g->rx, sizeof(g->rx), MSG_DONTWAIT);
			if (r < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
		}
		if (r <= 0) {
			g->dead = true;
			return ptdbg_target_fail(g->t, PTDBG_ELINK, "gdbstub at %s: %s", g->where,
						 r == 0 ? "connection closed by the stub" : strerror(errno));
		}
		g->t->stats.wire_bytes += (uint64_t)r;
		g->rx_pos = 0;
		g->rx_len = (size_t)r;
	}
}

/* True if payload is a stop reply (Tnn... or Snn). */
static bool is_stop_reply(const char *p)
{
	return (p[0] == 'T' || p[0] == 'S') && p[1] && p[2] &&
	       strchr("0123456789abcdefABCDEF", p[1]) && strchr("0123456789abcdefABCDEF", p[2]);
}

/* Wait for the stub's ack of the packet just queued; resend payload on NAK. With
 * payload NULL the packet went out with others in flight (the handshake's, the
 * target description's, the close's): sent again it would be answered out of
 * order, so a NAK is a link error. A stop reply before the ack is unsolicited:
 * *unsolicited_stop is set (if non-NULL). */
static int gs_wait_ack(struct gdbstub *g, const char *payload, size_t len,
		       bool *unsolicited_stop)
{
	int tries = 0;

	if (g->noack)
		return 0;
	for (;;) {
		enum rsp_event ev;
		int rc = gs_event(g, &ev);

		if (rc)
			return rc;
		switch (ev) {
		case RSP_EV_ACK:
			return 0;
		case RSP_EV_NAK:
			if (!payload || ++tries > GS_MAX_RETRIES) {
				g->dead = true;
				return ptdbg_target_fail(g->t, PTDBG_ELINK, payload ?
					"gdbstub at %s: packet rejected (NAK) %d times" :
					"gdbstub at %s: a packet sent with others in flight was rejected (NAK)",
					g->where, tries);
			}
			rc = gs_queue_packet(g, payload, len);
			if (rc)
				return rc;
			break;
		case RSP_EV_PACKET:
			if (is_stop_reply(g->dec.buf) && unsolicited_stop)
				*unsolicited_stop = true;
			rc = gs_queue(g, "+", 1);
			if (rc)
				return rc;
			break;
		default:
			break; /* notifications, noise */
		}
	}
}

/* Wait for the next reply packet and acknowledge it. If may_nak, a bad checksum is
 * answered with '-' (the stub sends its last packet again); that is only right when
 * the reply is the stub's last packet, so multi-packet replies pass false and a bad
 * checksum is a link error. *reply points into the decoder and stays valid until
 * the next receive. */
static int gs_reply_nak(struct gdbstub *g, const char **reply, size_t *rlen, bool may_nak)
{
	int bad = 0;

	for (;;) {
		enum rsp_event ev;
		int rc = gs_event(g, &ev);

		if (rc)
			return rc;
		switch (ev) {
		case RSP_EV_PACKET:
			if (!g->noack && (rc = gs_queue(g, "+", 1)))
				return rc;
			*reply = g->dec.buf;
			*rlen = g->dec.len;
			return 0;
		case RSP_EV_BADSUM:
			if (++bad > GS_MAX_RETRIES || g->noack || !may_nak) {
				g->dead = true;
				return ptdbg_target_fail(g->t, PTDBG_ELINK,
					"gdbstub at %s: replies with bad checksums", g->where);
			}
			if ((rc = gs_queue(g, "-", 1)))
				return rc;
			break;
		case RSP_EV_OVERSIZE:
			g->dead = true;
			return ptdbg_target_fail(g->t, PTDBG_ELINK,
				"gdbstub at %s: reply longer than %zu bytes", g->where, g->dec.max);
		default:
			break; /* stray acks, notifications */
		}
	}
}

/* Wait for the next reply packet of a single-packet answer (see gs_reply_nak). */
static int gs_reply(struct gdbstub *g, const char **reply, size_t *rlen)
{
	return gs_reply_nak(g, reply, rlen, true);
}

/* The ack and the reply of a packet sent with others in flight (gs_wait_ack without
 * a payload, then gs_reply). */
static int gs_answer(struct gdbstub *g, bool *unsolicited_stop, const char **reply, size_t *rlen)
{
	int rc = gs_wait_ack(g, NULL, 0, unsolicited_stop);
	return rc ? rc : gs_reply(g, reply, rlen);
}

/* Send one packet and wait for its reply. */
static int gs_transact(struct gdbstub *g, const char *payload, const char **reply, size_t *rlen)
{
	size_t len = strlen(payload);
	int rc = gs_ahead_drain(g); /* its answer comes first */

	if (!rc)
		rc = gs_queue_packet(g, payload, len);

	if (!rc)
		rc = gs_wait_ack(g, payload, len, NULL);
	if (!rc)
		rc = gs_reply(g, reply, rlen);
	return rc;
}

/* ---- connecting ---------------------------------------------------------- */

/* Connect one socket to ss within the timeout. Returns the socket, or -1 with
 * errno set. */
static int gs_connect_one(const struct sockaddr_storage *ss, socklen_t sl, int timeout_ms)
{
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)ss, sl) < 0) {
		int e = errno;

		if (e == EINPROGRESS) {
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };
			socklen_t el = sizeof(e);

			if (poll(&pfd, 1, timeout_ms) <= 0)
				e = ETIMEDOUT;
			else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0)
				e = errno;
		}
		if (e) {
			close(fd);
			errno = e;
			return -1;
		}
	}
	if (ss->ss_family != AF_UNIX) {
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
	return fd;
}

/* Fill ss with host (an IPv4 or IPv6 address) and port without the resolver.
 * Returns whether host is such an address. */
static bool gs_numeric_addr(const char *host, unsigned port, struct sockaddr_storage *ss, socklen_t *sl)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		*sl = sizeof(*in);
		return true;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*sl = sizeof(*in6);
		return true;
	}
	return false;
}

/* Connect to spec within the timeout. Returns the socket or -1 (message in err).
 * A numeric address is used as it is, and "localhost" (or no host) is the
 * loopback (127.0.0.1, then ::1), without the resolver: its files and name
 * service cost a tenth of a millisecond of every command's start. Other names go
 * through getaddrinfo, every address it gives tried in turn. */
static int gs_connect(const char *spec, int timeout_ms, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd;

	memset(&ss, 0, sizeof(ss));
	if (strncmp(spec, "unix:", 5) == 0) {
		struct sockaddr_un *un = (struct sockaddr_un *)&ss;

		if (strlen(spec + 5) >= sizeof(un->sun_path)) {
			snprintf(err, errlen, "gdbstub socket path too long: %s", spec + 5);
			return -1;
		}
		un->sun_family = AF_UNIX;
		strcpy(un->sun_path, spec + 5);
		sl = sizeof(*un);
		fd = gs_connect_one(&ss, sl, timeout_ms);
		if (fd < 0)
			snprintf(err, errlen, "cannot connect to gdbstub at %s: %s", spec, strerror(errno));
		return fd;
	}

	char host[128];
	const char *colon = strrchr(spec, ':');
	size_t hl;

	/* PORT is a number 1..65535: getaddrinfo() would take 99999 modulo 65536 */
	char *pend = NULL;
	unsigned long port = colon ? strtoul(colon + 1, &pend, 10) : 0;
	if (!colon || !colon[1] || *pend || colon[1] < '0' || colon[1] > '9' || port == 0 || port > 65535) {
		snprintf(err, errlen, "bad gdbstub address \"%s\" (want HOST:PORT or unix:PATH)", spec);
		return -1;
	}
	hl = (size_t)(colon - spec);
	if (hl >= sizeof(host))
		hl = sizeof(host) - 1;
	memcpy(host, spec, hl);
	host[hl] = '\0';
	if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
		memmove(host, host + 1, hl - 2);
		host[hl - 2] = '\0';
	}
	if (!host[0] || strcasecmp(host, "localhost") == 0) {
		static const char *const loopback[] = { "127.0.0.1", "::1" };
		int e = 0;
		for (size_t i = 0; i < 2; i++) {
			gs_numeric_addr(loopback[i], (unsigned)port, &ss, &sl);
			fd = gs_connect_one(&ss, sl, timeout_ms);
			if (fd >= 0)
				return fd;
			if (i == 0)
				e = errno; /* IPv4's: the loopback QEMU listens on by default */
			if (errno == ETIMEDOUT)
				break;
		}
		snprintf(err, errlen, "cannot connect to gdbstub at %s: %s", spec, strerror(e));
		return -1;
	}
	if (gs_numeric_addr(host, (unsigned)port, &ss, &sl)) {
		fd = gs_connect_one(&ss, sl, timeout_ms);
		if (fd < 0)
			snprintf(err, errlen, "cannot connect to gdbstub at %s: %s", spec, strerror(errno));
		return fd;
	}
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai = NULL;
	int gai = getaddrinfo(host, colon + 1, &hints, &ai);
	if (gai) {
		snprintf(err, errlen, "cannot connect to gdbstub at %s: %s", spec, gai_strerror(gai));
		return -1;
	}
	int e = 0;
	fd = -1;
	for (struct addrinfo *a = ai; a && fd < 0; a = a->ai_next) {
		if (a->ai_addrlen > sizeof(ss))
			continue;
		memcpy(&ss, a->ai_addr, a->ai_addrlen);
		fd = gs_connect_one(&ss, a->ai_addrlen, timeout_ms);
		if (fd < 0 && !e)
			e = errno;
	}
	freeaddrinfo(ai);
	if (fd < 0)
		snprintf(err, errlen, "cannot connect to gdbstub at %s: %s", spec, strerror(e ? e : ECONNREFUSED));
	return fd;
}

/* ---- registers ----------------------------------------------------------- */

/* ---- the target description's documents, fetched together ----
 * Read one piece after another, QEMU's AArch64 description takes ten round trips.
 * The includes of target.xml are known once it is read,
 * and the stub answers queued requests in order, so they are asked for together:
 * the first piece of each, then for each that has more, the next GS_XML_AHEAD
 * pieces at once, at the offsets the first piece's length predicts (QEMU's pieces
 * are all as long but the last). A reply at an offset that turns out wrong, or
 * past the end, is dropped; what is still missing is asked for in another round. */
#define GS_XML_DOCS  16 /* documents fetched together; more are read one by one */
#define GS_XML_AHEAD 8  /* pieces asked for ahead per document and round */

struct gs_xdoc {
	char annex[128];
	char *buf;
	size_t len, piece;        /* bytes so far; the first piece's length */
	bool done;
};

/* Queue qXfer reads of doc from offset off: n pieces of step bytes apart. */
static int gs_xdoc_ask(struct gdbstub *g, const struct gs_xdoc *d, size_t off, size_t piece,
		       unsigned n, size_t step, size_t *asked_off, unsigned *nasked)
{
	for (unsigned k = 0; k < n && off + k * piece <= GS_MAX_XML; k++) {
		char req[256];
		int l = snprintf(req, sizeof(req), "qXfer:features:read:%s:%zx,%zx", d->annex,
				 off + k * piece, step);
		int rc = gs_queue_packet(g, req, (size_t)l);
		if (rc)
			return rc;
		asked_off[(*nasked)++] = off + k * piece;
	}
	return 0;
}

/* Fetch docs[0, n) (annex set, the rest zero) with as few round trips as the stub's
 * answers allow. 0, or the error (every document freed by the caller). */
static int gs_fetch_xml_many(struct gdbstub *g, struct gs_xdoc *docs, size_t n)
{
	size_t step = g->packet_size > 64 ? g->packet_size - 32 : 32;
	size_t asked_off[GS_XML_DOCS * GS_XML_AHEAD];
	size_t who[GS_XML_DOCS * GS_XML_AHEAD];

	for (int round = 0;; round++) {
		unsigned nasked = 0;
		int rc = gs_ahead_drain(g);
		for (size_t i = 0; i < n && !rc; i++) {
			struct gs_xdoc *d = &docs[i];
			unsigned before = nasked;
			if (d->done)
				continue;
			/* the first piece alone; then several, its length apart */
			rc = gs_xdoc_ask(g, d, d->len, d->piece ? d->piece : step, d->piece ? GS_XML_AHEAD : 1,
					 step, asked_off, &nasked);
			for (unsigned k = before; k < nasked; k++)
				who[k] = i;
		}
		if (rc)
			return rc;
		if (!nasked)
			return 0;
		if (round > (int)(GS_MAX_XML / 64))
			return ptdbg_target_fail(g->t, PTDBG_EFORMAT,
				"gdbstub at %s: target description pieces do not add up", g->where);
		for (unsigned k = 0; k < nasked; k++) {
			struct gs_xdoc *d = &docs[who[k]];
			const char *r;
			size_t rl;
			if ((rc = gs_answer(g, NULL, &r, &rl)))
				return rc;
			if (d->done || asked_off[k] != d->len)
				continue; /* past its end, or after a piece of another length */
			if (rl == 0 || (r[0] != 'm' && r[0] != 'l'))
				return ptdbg_target_fail(g->t, PTDBG_ENOTSUP,
					"gdbstub at %s: cannot read target description %s (%s)", g->where,
					d->annex, rl ? r : "not supported");
			if (d->len + rl > GS_MAX_XML)
				return ptdbg_target_fail(g->t, PTDBG_EFORMAT,
					"gdbstub at %s: target description %s too large", g->where, d->annex);
			char *nb = realloc(d->buf, d->len + rl + 1);
			if (!nb)
				return ptdbg_target_fail(g->t, PTDBG_ENOMEM, "out of memory");
			d->buf = nb;
			memcpy(d->buf + d->len, r + 1, rl - 1);
			d->len += rl - 1;
			d->buf[d->len] = '\0';
			if (!d->piece)
				d->piece = rl - 1;
			if (r[0] == 'l' || rl == 1)
				d->done = true;
		}
	}
}

/* Fetch one target description annex (gs_fetch_xml_many). *out is malloc'd. */
static int gs_fetch_xml(struct gdbstub *g, const char *annex, char **out)
{
	struct gs_xdoc d = { 0 };

	if (strlen(annex) >= sizeof(d.annex))
		return ptdbg_target_fail(g->t, PTDBG_EFORMAT,
			"gdbstub at %s: target description name too long: %.40s...", g->where, annex);
	snprintf(d.annex, sizeof(d.annex), "%s", annex);
	int rc = gs_fetch_xml_many(g, &d, 1);
	if (rc)
		free(d.buf);
	else
		*out = d.buf;
	return rc;
}

/* Scanning one document of the target description (tdesc.h), following includes:
 * those fetched ahead (docs), any other as it comes. */
struct gs_scan {
	struct gdbstub *g;
	int depth;
	struct gs_xdoc *docs;
	size_t ndocs;
};

static int gs_scan_doc(struct gdbstub *g, const char *doc, int depth, struct gs_xdoc *docs, size_t ndocs);

static int gs_scan_include(void *ctx, const char *href)
{
	struct gs_scan *sc = ctx;
	char *doc = NULL;
	int rc;

	if (sc->depth >= 4)
		return ptdbg_target_fail(sc->g->t, PTDBG_EFORMAT,
			"gdbstub at %s: target description includes nest too deep", sc->g->where);
	for (size_t i = 0; i < sc->ndocs; i++)
		if (sc->docs[i].done && !strcmp(sc->docs[i].annex, href))
			return gs_scan_doc(sc->g, sc->docs[i].buf, sc->depth + 1, sc->docs, sc->ndocs);
	rc = gs_fetch_xml(sc->g, href, &doc);
	if (!rc)
		rc = gs_scan_doc(sc->g, doc, sc->depth + 1, sc->docs, sc->ndocs);
	free(doc);
	return rc;
}

static int gs_scan_doc(struct gdbstub *g, const char *doc, int depth, struct gs_xdoc *docs, size_t ndocs)
{
	struct gs_scan sc = { g, depth, docs, ndocs };
	return ptdbg_tdesc_scan(&g->td, doc, gs_scan_include, &sc);
}

/* Collects the includes of a document (a scan into a scratch description). */
struct gs_incl {
	struct gs_xdoc *docs;
	size_t n;
};

static int gs_note_include(void *ctx, const char *href)
{
	struct gs_incl *in = ctx;
	for (size_t i = 0; i < in->n; i++)
		if (!strcmp(in->docs[i].annex, href))
			return 0;
	if (in->n < GS_XML_DOCS && strlen(href) < sizeof(in->docs[0].annex))
		snprintf(in->docs[in->n++].annex, sizeof(in->docs[0].annex), "%s", href);
	return 0; /* the rest are fetched when the scan gets to them */
}

/* target.xml as the stub serves it, fetched once per attach and kept in g->top_xml
 * (gs_arch reads it alone, gs_probe_regs then with what it includes). */
static int gs_top_xml(struct gdbstub *g, const char **doc)
{
	int rc = g->top_xml ? 0 : gs_fetch_xml(g, "target.xml", &g->top_xml);
	*doc = g->top_xml;
	return rc;
}

/* target.xml and what it includes, fetched together, then scanned in order. */
static int gs_scan_xml(struct gdbstub *g)
{
	struct gs_xdoc docs[GS_XML_DOCS];
	struct gs_incl in = { docs, 0 };
	struct ptdbg_tdesc scratch;
	const char *top;
	int rc;

	memset(docs, 0, sizeof(docs));
	rc = gs_top_xml(g, &top);
	if (!rc) {
		ptdbg_tdesc_init(&scratch);
		rc = ptdbg_tdesc_scan(&scratch, top, gs_note_include, &in);
	}
	if (!rc)
		rc = gs_fetch_xml_many(g, docs, in.n);
	if (!rc)
		rc = gs_scan_doc(g, top, 0, docs, in.n);
	for (size_t i = 0; i < in.n; i++)
		free(docs[i].buf);
	return rc;
}

/* Learn the register numbers from the target description (once). */
static int gs_probe_regs(struct gdbstub *g)
{
	int rc;

	if (g->regs_probed)
		return 0;
	ptdbg_tdesc_init(&g->td);
	rc = gs_scan_xml(g);
	if (rc)
		return rc;
	g->regs_probed = true;
	free(g->top_xml); /* the description is in g->td now */
	g->top_xml = NULL;
	return 0;
}

static int gs_no_include(void *ctx, const char *href)
{
	(void)ctx;
	(void)href;
	return 0;
}

/* The architecture of target.xml alone, its includes not fetched: one round trip
 * (none once the registers are probed). A stub without a description does not
 * say (0, PTDBG_ARCH_UNSPECIFIED). */
static int gs_arch(struct ptdbg_target *t, enum ptdbg_arch *arch)
{
	struct gdbstub *g = t->priv;
	struct ptdbg_tdesc top;
	const char *doc;

	if (g->regs_probed) {
		*arch = ptdbg_tdesc_arch(&g->td);
		return 0;
	}
	gs_stream_drain(g); /* the link is needed for this */
	int rc = gs_top_xml(g, &doc);
	if (rc)
		return ptdbg_link_error(rc) ? rc : 0;
	ptdbg_tdesc_init(&top);
	ptdbg_tdesc_scan(&top, doc, gs_no_include, NULL);
	*arch = ptdbg_tdesc_arch(&top);
	return 0;
}

/* ---- physical memory ----------------------------------------------------- */

struct gs_req {
	size_t io;
	size_t off, len;
	int tries;
};

/* A batch of reads in progress: split into `m` requests of at most g->chunk bytes,
 * up to g->depth in flight, replies matched to requests in order. */
struct gs_batch {
	struct ptdbg_io *ios;
	size_t n;
	struct gs_req *reqs;
	size_t *pend, pend_head, pend_n, nreq, done;
	size_t fl[GS_MAX_DEPTH], fl_n, fl_acked;
	uint32_t *left;           /* requests of each io not answered yet */
	size_t complete;          /* ios[0, complete) are answered */
	int rc;                   /* a link error ended it */
	bool finished;            /* every request answered (or rc set) */
	bool regs;                /* `p` requests: ios[i].pa is a register number, an
				     `E` reply marks it unreadable (err), not an error */
};

static void gs_batch_free(struct gs_batch *b)
{
	free(b->reqs);
	free(b->pend);
	free(b->left);
	memset(b, 0, sizeof(*b));
}

/* Set b up to read ios[0, n). 0 or PTDBG_ENOMEM. */
static int gs_batch_begin(struct ptdbg_target *t, struct gs_batch *b, struct ptdbg_io *ios, size_t n)
{
	struct gdbstub *g = t->priv;
	size_t k = 0;

	memset(b, 0, sizeof(*b));
	b->ios = ios;
	b->n = n;
	for (size_t i = 0; i < n; i++) {
		ios[i].err = 0;
		b->nreq += (ios[i].len + g->chunk - 1) / g->chunk;
	}
	b->reqs = calloc(b->nreq ? b->nreq : 1, sizeof(*b->reqs));
	b->pend = calloc(b->nreq ? b->nreq : 1, sizeof(*b->pend));
	b->left = calloc(n ? n : 1, sizeof(*b->left));
	if (!b->reqs || !b->pend || !b->left) {
		gs_batch_free(b);
		return ptdbg_target_fail(t, PTDBG_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t off = 0; off < ios[i].len; off += g->chunk) {
			b->reqs[k] = (struct gs_req){ .io = i, .off = off,
				.len = ios[i].len - off < g->chunk ? ios[i].len - off : g->chunk };
			b->pend[k] = k;
			b->left[i]++;
			k++;
		}
	}
	b->pend_n = b->nreq;
	while (b->complete < n && b->left[b->complete] == 0)
		b->complete++;
	if (b->nreq == 0)
		b->finished = true;
	return 0;
}

/* One request of b answered: count it, and the ios now complete in order. */
static void gs_batch_answered(struct gs_batch *b, const struct gs_req *r)
{
	b->done++;
	b->left[r->io]--;
	while (b->complete < b->n && b->left[b->complete] == 0)
		b->complete++;
}

/* Queue b's next requests, up to g->depth in flight (sent with the next write).
 * Returns 0 or the link error. */
static int gs_batch_queue(struct ptdbg_target *t, struct gs_batch *b)
{
	struct gdbstub *g = t->priv;

	while (b->pend_n && b->fl_n < g->depth) {
		char pkt[64];
		size_t id = b->pend[b->pend_head], l;
		const struct gs_req *r = &b->reqs[id];
		int rc;

		b->pend_head = (b->pend_head + 1) % b->nreq;
		b->pend_n--;
		if (b->regs)
			l = (size_t)snprintf(pkt, sizeof(pkt), "p%" PRIx64, b->ios[r->io].pa);
		else
			l = (size_t)snprintf(pkt, sizeof(pkt), "m%" PRIx64 ",%zx", b->ios[r->io].pa + r->off,
					     r->len);
		if ((rc = gs_queue_packet(g, pkt, l)))
			return rc;
		b->fl[b->fl_n++] = id;
		if (g->noack)
			b->fl_acked = b->fl_n;
		if (!b->regs)
			t->stats.reads++;
	}
	return 0;
}

/* Run b until ios[0, until] are complete (all of it with until = SIZE_MAX), keeping
 * up to g->depth requests in flight; a NAKed request or a reply with a bad checksum
 * is requested again. Returns 0 or the link error (kept in b->rc). */
static int gs_batch_run(struct ptdbg_target *t, struct gs_batch *b, size_t until)
{
	struct gdbstub *g = t->priv;
	int rc = 0;

	if (b->rc || b->finished)
		return b->rc;
	while (b->done < b->nreq && (until == SIZE_MAX || b->complete <= until)) {
		enum rsp_event ev;
		struct gs_req *r;

		if ((rc = gs_batch_queue(t, b)))
			goto out;
		if ((rc = gs_event(g, &ev)))
			goto out;
		switch (ev) {
		case RSP_EV_ACK:
			if (b->fl_acked < b->fl_n)
				b->fl_acked++;
			break;
		case RSP_EV_NAK:
			if (g->noack || b->fl_acked >= b->fl_n)
				break;
			r = &b->reqs[b->fl[b->fl_acked]];
			if (++r->tries > GS_MAX_RETRIES) {
				rc = ptdbg_target_fail(t, PTDBG_ELINK,
					"gdbstub at %s: packet rejected (NAK) %d times", g->where, r->tries);
				goto out_dead;
			}
			b->pend[(b->pend_head + b->pend_n++) % b->nreq] = b->fl[b->fl_acked];
			memmove(&b->fl[b->fl_acked], &b->fl[b->fl_acked + 1],
				(b->fl_n - b->fl_acked - 1) * sizeof(b->fl[0]));
			b->fl_n--;
			break;
		case RSP_EV_PACKET:
		case RSP_EV_BADSUM: {
			const char *p = g->dec.buf;
			size_t pl = g->dec.len;
			struct ptdbg_io *io;

			if (!g->noack && (rc = gs_queue(g, "+", 1)))
				goto out;
			if (b->fl_acked == 0) {
				if (ev == RSP_EV_PACKET && is_stop_reply(p))
					break; /* unsolicited stop reply */
				rc = ptdbg_target_fail(t, PTDBG_ELINK,
					"gdbstub at %s: unexpected packet \"%.40s\"", g->where, p);
				goto out_dead;
			}
			r = &b->reqs[b->fl[0]];
			io = &b->ios[r->io];
			if (ev == RSP_EV_BADSUM) {
				/* cannot ask for it again with '-': later replies may be queued */
				if (++r->tries > GS_MAX_RETRIES) {
					rc = ptdbg_target_fail(t, PTDBG_ELINK,
						"gdbstub at %s: replies with bad checksums", g->where);
					goto out_dead;
				}
				b->pend[(b->pend_head + b->pend_n++) % b->nreq] = b->fl[0];
			} else if (pl >= 1 && p[0] == 'E' && pl <= 3) {
				if (!io->err && !b->regs)
					ptdbg_target_fail(t, PTDBG_EIO,
						"gdbstub at %s: cannot read physical memory at 0x%" PRIx64 " (%s)",
						g->where, io->pa + r->off, p);
				io->err = PTDBG_EIO;
				gs_batch_answered(b, r);
			} else if (pl == 2 * r->len &&
				   rsp_hex_decode(p, r->len, (uint8_t *)io->buf + r->off) == 0) {
				if (!b->regs)
					t->stats.bytes_read += r->len;
				gs_batch_answered(b, r);
			} else if (b->regs) {
				rc = ptdbg_target_fail(t, PTDBG_EFORMAT,
					"gdbstub at %s: bad value for register %" PRIu64 ": \"%.40s\"",
					g->where, io->pa, p);
				goto out_dead; /* replies still in flight: the link is out of step */
			} else {
				rc = ptdbg_target_fail(t, PTDBG_ELINK,
					"gdbstub at %s: bad reply to m%" PRIx64 ",%zx: %zu bytes \"%.24s\", expected %zu hex digits",
					g->where, io->pa + r->off, r->len, pl, p, 2 * r->len);
				goto out_dead;
			}
			memmove(&b->fl[0], &b->fl[1], (b->fl_n - 1) * sizeof(b->fl[0]));
			b->fl_n--;
			b->fl_acked--;
			break;
		}
		case RSP_EV_OVERSIZE:
			rc = ptdbg_target_fail(t, PTDBG_ELINK,
				"gdbstub at %s: reply longer than %zu bytes", g->where, g->dec.max);
			goto out_dead;
		default:
			break;
		}
	}
	if (b->done == b->nreq) {
		b->finished = true;
		rc = gs_flush(g);
	}
	goto out;
out_dead:
	g->dead = true;
out:
	if (rc) {
		b->rc = rc;
		b->finished = true;
	}
	return rc;
}

/* Read registers with `p NN`, pipelined (gs_batch_run); registers the stub does not
 * describe or will not read stay invalid. */
static int gs_read_regs(struct ptdbg_target *t, struct ptdbg_regs *regs)
{
	struct gdbstub *g = t->priv;
	int rc = gs_probe_regs(g);
	gs_stream_drain(g); /* the link is needed for this */

	memset(regs, 0, sizeof(*regs));
	if (rc)
		return rc;
	regs->arch = ptdbg_tdesc_arch(&g->td);
	/* every register the description has, once (some have two names), in one
	 * pipelined batch of `p` requests */
	struct ptdbg_io ios[PTDBG_NREGS];
	uint8_t val[PTDBG_NREGS][8];
	size_t idx[PTDBG_NREGS], n = 0;
	uint64_t asked = 0;
	for (size_t i = 0; i < PTDBG_NREGS; i++) {
		size_t nbytes = g->td.regbits[i] / 8;
		if (g->td.regno[i] < 0 || nbytes == 0 || nbytes > 8 || (asked & ptdbg_reg_table[i].bit))
			continue;
		asked |= ptdbg_reg_table[i].bit;
		memset(val[n], 0, sizeof(val[n]));
		ios[n] = (struct ptdbg_io){ .pa = (uint64_t)g->td.regno[i], .len = nbytes, .buf = val[n] };
		idx[n++] = i;
	}
	struct gs_batch b;
	if ((rc = gs_batch_begin(t, &b, ios, n)))
		return rc;
	b.regs = true;
	rc = gs_batch_run(t, &b, SIZE_MAX);
	gs_batch_free(&b);
	if (rc)
		return rc;
	for (size_t k = 0; k < n; k++) {
		const struct ptdbg_reg_desc *d = &ptdbg_reg_table[idx[k]];
		uint64_t v = 0;
		if (ios[k].err)
			continue; /* not readable on this stub */
		for (size_t i = 0; i < ios[k].len; i++)
			v |= (uint64_t)val[k][i] << (8 * i);
		if (d->is32)
			*(uint32_t *)((char *)regs + d->off) = (uint32_t)v;
		else
			*(uint64_t *)((char *)regs + d->off) = v;
		regs->valid |= d->bit;
	}
	return 0;
}

/* Finish the stream in progress, if any, so that the link is free for another
 * request (its caller still gets its results from gs_stream_wait/end). */
static int gs_stream_drain(struct gdbstub *g)
{
	int rc = gs_ahead_drain(g);

	if (g->stream && !g->stream->finished)
		rc = gs_batch_run(g->t, g->stream, SIZE_MAX);
	return rc;
}

/* Read a batch of physical ranges, pipelined (see gs_batch_run). */
static int gs_read_batch(struct ptdbg_target *t, struct ptdbg_io *ios, size_t n)
{
	struct gdbstub *g = t->priv;
	struct gs_batch b;
	int rc;

	gs_stream_drain(g);
	if ((rc = gs_batch_begin(t, &b, ios, n)))
		return rc;
	rc = gs_batch_run(t, &b, SIZE_MAX);
	gs_batch_free(&b);
	return rc;
}

/* The stream: a batch that completes while the caller works (target.h). */
static int gs_stream_begin(struct ptdbg_target *t, struct ptdbg_io *ios, size_t n)
{
	struct gdbstub *g = t->priv;
	int rc;

	if (g->stream)
		return ptdbg_target_fail(t, PTDBG_EINVAL, "a stream is already open");
	if ((rc = gs_ahead_drain(g)))
		return rc;
	g->stream = calloc(1, sizeof(*g->stream));
	if (!g->stream)
		return ptdbg_target_fail(t, PTDBG_ENOMEM, "out of memory");
	if ((rc = gs_batch_begin(t, g->stream, ios, n))) {
		free(g->stream);
		g->stream = NULL;
		return rc;
	}
	/* its first requests go out now: the caller may still be getting ready for
	 * the replies, which are read (into ios' buffers) only by gs_stream_wait and
	 * gs_stream_end */
	rc = gs_batch_queue(t, g->stream);
	if (!rc)
		rc = gs_flush(g);
	if (rc) /* out of memory, or the link failed (then it is dead) */
		gs_stream_forget(g);
	return rc;
}

static int gs_stream_wait(struct ptdbg_target *t, size_t k, size_t *complete)
{
	struct gdbstub *g = t->priv;
	int rc;

	if (!g->stream)
		return ptdbg_target_fail(t, PTDBG_EINVAL, "no stream is open");
	rc = g->stream->complete > k ? g->stream->rc : gs_batch_run(t, g->stream, k);
	*complete = g->stream->complete;
	return rc;
}

/* Free the stream's state (its results are no longer wanted). */
static void gs_stream_forget(struct gdbstub *g)
{
	if (!g->stream)
		return;
	gs_batch_free(g->stream);
	free(g->stream);
	g->stream = NULL;
}

static int gs_stream_end(struct ptdbg_target *t)
{
	struct gdbstub *g = t->priv;
	int rc;

	if (!g->stream)
		return 0;
	rc = gs_batch_run(t, g->stream, SIZE_MAX);
	gs_stream_forget(g);
	return rc;
}

/* Read one range (through the batch path). */
static int gs_read_phys(struct ptdbg_target *t, uint64_t pa, void *buf, size_t len)
{
	struct ptdbg_io io = { .pa = pa, .len = len, .buf = buf };
	int rc = gs_read_batch(t, &io, 1);

	return rc ? rc : io.err;
}

/* ---- monitor, run control ------------------------------------------------ */

/* Run a monitor command with qRcmd; collect `O` output packets until OK. */
/* Whether monitor command cmd changes nothing (a query): the cached memory tree
 * survives it. */
static bool gs_monitor_query(const char *cmd)
{
	return !strncmp(cmd, "info ", 5) || !strncmp(cmd, "gpa2hva ", 8);
}

/* The least wait for the answer of a monitor command that writes guest memory to a
 * file before it answers (dump-guest-memory, pmemsave, memsave): QEMU says nothing
 * until the whole file is written, seconds per GiB on a busy machine. The stub
 * acknowledged the request, so it is alive; a dead one still fails at once (the
 * connection closes) or after this bound. */
#define GS_MONITOR_WRITE_S 300

/* Whether monitor command cmd writes guest memory to a file before it answers. */
static bool gs_monitor_writes_ram(const char *cmd)
{
	static const char *const slow[] = { "dump-guest-memory", "pmemsave", "memsave" };
	while (*cmd == ' ')
		cmd++;
	for (size_t i = 0; i < sizeof(slow) / sizeof(slow[0]); i++) {
		size_t n = strlen(slow[i]);
		if (!strncmp(cmd, slow[i], n) && (cmd[n] == ' ' || cmd[n] == '\0'))
			return true;
	}
	return false;
}

/* Queue monitor command cmd (qRcmd) and send it; *req gets the packet (for a
 * retransmission on NAK), freed by the caller. */
static int gs_monitor_send(struct gdbstub *g, const char *cmd, char **req)
{
	size_t cl = strlen(cmd);

	if (!gs_monitor_query(cmd)) {
		free(g->mtree); /* a command that may change the machine */
		g->mtree = NULL;
	}
	*req = malloc(2 * cl + 8);
	if (!*req)
		return ptdbg_target_fail(g->t, PTDBG_ENOMEM, "out of memory");
	memcpy(*req, "qRcmd,", 6);
	rsp_hex_encode(cmd, cl, *req + 6);
	return gs_queue_packet(g, *req, strlen(*req));
}

/* Take the answer of monitor command cmd, sent as req: its output packets, then
 * OK. *out gets the text (lines end with \n), or NULL on error. */
static int gs_monitor_answer(struct gdbstub *g, const char *cmd, const char *req, char **out)
{
	struct ptdbg_target *t = g->t;
	size_t olen = 0;
	char *text = NULL;
	const char *r;
	size_t rl;
	int rc = gs_wait_ack(g, req, strlen(req), NULL);

	*out = NULL;
	g->hold_acks = true;
	if (!rc) {
		/* the first reply of a command that writes RAM to a file comes when the
		 * file is written: wait for it at least GS_MONITOR_WRITE_S */
		int ms = g->timeout_ms;
		double s = g->timeout_s;
		if (gs_monitor_writes_ram(cmd) && g->timeout_s < GS_MONITOR_WRITE_S) {
			g->timeout_ms = GS_MONITOR_WRITE_S * 1000;
			g->timeout_s = GS_MONITOR_WRITE_S;
		}
		rc = gs_reply_nak(g, &r, &rl, false);
		g->timeout_ms = ms;
		g->timeout_s = s;
	}
	while (!rc) {
		if (rl == 2 && strcmp(r, "OK") == 0)
			break;
		if (rl == 0) {
			rc = ptdbg_target_fail(t, PTDBG_ENOTSUP, "gdbstub at %s: no monitor (qRcmd)",
					       g->where);
			break;
		}
		if (r[0] == 'E' && rl == 3) {
			rc = ptdbg_target_fail(t, PTDBG_EIO, "gdbstub at %s: monitor command \"%s\" failed (%s)",
					       g->where, cmd, r);
			break;
		}
		if (r[0] == 'O' && (rl - 1) % 2 == 0) {
			size_t nb = (rl - 1) / 2;
			char *nt;

			/* a stub that streams output forever must not take all memory */
			if (olen + nb > GS_MAX_MONITOR_OUT) {
				rc = ptdbg_target_fail(t, PTDBG_EFORMAT,
					"gdbstub at %s: monitor command \"%s\" printed more than %u MiB",
					g->where, cmd, GS_MAX_MONITOR_OUT >> 20);
				g->dead = true; /* the rest of the reply is still coming */
				break;
			}
			nt = realloc(text, olen + nb + 1);

			if (!nt) {
				rc = ptdbg_target_fail(t, PTDBG_ENOMEM, "out of memory");
				break;
			}
			text = nt;
			if (rsp_hex_decode(r + 1, nb, (uint8_t *)text + olen)) {
				rc = ptdbg_target_fail(t, PTDBG_EFORMAT,
					"gdbstub at %s: bad monitor output packet", g->where);
				break;
			}
			olen += nb;
			text[olen] = '\0';
		} else if (!is_stop_reply(r)) {
			rc = ptdbg_target_fail(t, PTDBG_EFORMAT,
				"gdbstub at %s: unexpected monitor reply \"%.40s\"", g->where, r);
			break;
		}
		rc = gs_reply_nak(g, &r, &rl, false);
	}
	g->hold_acks = false;
	if (!rc)
		rc = gs_flush(g); /* every ack of the reply, in one send */
	if (rc) {
		free(text);
		return rc;
	}
	if (!text)
		text = strdup("");
	/* QEMU ends lines with \r\n: keep only \n */
	{
		size_t o = 0;

		for (size_t i = 0; text && text[i]; i++)
			if (text[i] != '\r')
				text[o++] = text[i];
		if (text)
			text[o] = '\0';
	}
	if (!strcmp(cmd, GS_MTREE) && text && !g->running) {
		free(g->mtree);
		g->mtree = strdup(text);
	}
	*out = text;
	return text ? 0 : ptdbg_target_fail(t, PTDBG_ENOMEM, "out of memory");
}

/* Take the answer of the command sent ahead, if any, so that the link is free: the
 * memory tree is kept for its caller, anything else dropped. */
static int gs_ahead_drain(struct gdbstub *g)
{
	char *text = NULL;
	int rc;

	if (!g->ahead_cmd)
		return 0;
	char *cmd = g->ahead_cmd, *req = g->ahead_req;
	g->ahead_cmd = g->ahead_req = NULL;
	rc = gs_monitor_answer(g, cmd, req, &text);
	free(text);
	free(cmd);
	free(req);
	return rc;
}

int ptdbg_gdbstub_monitor_ahead(struct ptdbg_target *t, const char *cmd)
{
	struct gdbstub *g;
	char *req = NULL, *c;
	int rc;

	if (!t || !t->ops || t->ops->close != gs_close)
		return 0;
	g = t->priv;
	if (g->dead || g->ahead_cmd || g->stream || (!strcmp(cmd, GS_MTREE) && g->mtree))
		return 0; /* asked when it is wanted, or answered already */
	if (!(c = strdup(cmd)))
		return ptdbg_target_fail(t, PTDBG_ENOMEM, "out of memory");
	rc = gs_monitor_send(g, cmd, &req);
	if (!rc)
		rc = gs_flush(g);
	if (rc) {
		free(c);
		free(req);
		return rc;
	}
	g->ahead_cmd = c;
	g->ahead_req = req;
	return 0;
}

static int gs_monitor(struct ptdbg_target *t, const char *cmd, char **out)
{
	struct gdbstub *g = t->priv;
	char *req = NULL;
	int rc;

	*out = NULL;
	if (g->ahead_cmd && !strcmp(g->ahead_cmd, cmd)) {
		/* sent already: its answer is the next thing on the link */
		req = g->ahead_req;
		free(g->ahead_cmd);
		g->ahead_cmd = g->ahead_req = NULL;
	} else {
		gs_stream_drain(g); /* the link is needed for this */
		if (!strcmp(cmd, GS_MTREE) && g->mtree) {
			*out = strdup(g->mtree);
			return *out ? 0 : ptdbg_target_fail(t, PTDBG_ENOMEM, "out of memory");
		}
		if ((rc = gs_monitor_send(g, cmd, &req))) {
			free(req);
			return rc;
		}
	}
	rc = gs_monitor_answer(g, cmd, req, out);
	free(req);
	return rc;
}

/* Let the VM run (`c`); no reply comes until it stops. */
static int gs_resume(struct ptdbg_target *t)
{
	struct gdbstub *g = t->priv;
	int rc;
	gs_stream_drain(g); /* the link is needed for this */

	if (g->running)
		return 0;
	free(g->mtree); /* the machine may change while it runs */
	g->mtree = NULL;
	rc = gs_queue_packet(g, "c", 1);
	if (!rc)
		rc = gs_wait_ack(g, "c", 1, NULL);
	if (!rc) {
		g->running = true;
		gs_update_restore(g);
	}
	return rc;
}

/* Stop a VM resumed by us: interrupt and wait for the stop reply. */
static int gs_stop(struct ptdbg_target *t)
{
	struct gdbstub *g = t->priv;
	int rc;
	gs_stream_drain(g); /* the link is needed for this */

	if (!g->running)
		return 0;
	rc = gs_queue(g, "\x03", 1);
	while (!rc) {
		const char *r;
		size_t rl;

		rc = gs_reply(g, &r, &rl);
		if (!rc && is_stop_reply(r))
			break;
	}
	if (!rc) {
		g->running = false;
		gs_update_restore(g);
	}
	return rc;
}

/* ---- closing ------------------------------------------------------------- */

/* Remove g from the emergency list. */
static void gs_unregister(struct gdbstub *g)
{
	for (int i = 0; i < GS_MAX_OPEN; i++)
		if (gs_open_list[i] == g)
			gs_open_list[i] = NULL;
}

/* Half-close and wait (bounded) for the stub to close its side, so that the bytes
 * we sent are read before the connection goes away; then close. Signal-safe. */
static void gs_linger_close(int fd, int ms)
{
	char sink[4096];

	shutdown(fd, SHUT_WR);
	for (int waited = 0; waited < ms; waited += 50) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		if (poll(&pfd, 1, 50) > 0 && recv(fd, sink, sizeof(sink), MSG_DONTWAIT) == 0)
			break;
	}
	close(fd);
}

void ptdbg_target_emergency_close(void)
{
	for (int i = 0; i < GS_MAX_OPEN; i++) {
		struct gdbstub *g = gs_open_list[i];
		size_t left;

		if (!g || g->fd < 0)
			continue;
		gs_open_list[i] = NULL;
		/* finish a packet cut in half, so the restore packets parse */
		left = g->tx_done && g->tx_done < g->txq_len ? g->txq_len - g->tx_done : 0;
		if (left)
			(void)!send(g->fd, g->txq + g->tx_done, left, MSG_NOSIGNAL);
		if (g->restore_len)
			(void)!send(g->fd, g->restore, g->restore_len, MSG_NOSIGNAL);
		gs_linger_close(g->fd, 500);
		g->fd = -1;
	}
}

/* Queue and send the restore (stop if we resumed, the PhyMemMode this attach
 * changed and, when the VM ran before it and stay_stopped is off, `D`) in one write
 * (the stub answers in order). Their answers are read in gs_close. */
static void gs_detach(struct ptdbg_target *t)
{
	struct gdbstub *g = t->priv;

	if (g->detach_sent)
		return;
	g->detach_sent = true;
	gs_stream_drain(g); /* and the command sent ahead */
	gs_stream_forget(g);
	free(g->ahead_cmd);
	free(g->ahead_req);
	g->ahead_cmd = g->ahead_req = NULL;
	gs_unregister(g);
	if (g->fd < 0)
		return;
	bool ok = !g->dead;
	if (ok && g->running)
		ok = gs_stop(t) == 0;
	bool phy = ok && g->phymem_changed, det = ok && g->was_running && !g->stay_stopped;
	if (phy) {
		char pkt[32];
		int l = snprintf(pkt, sizeof(pkt), "Qqemu.PhyMemMode:%d", g->phymem_orig > 0);
		ok = gs_ahead_drain(g) == 0 && gs_queue_packet(g, pkt, (size_t)l) == 0;
	}
	if (det)
		ok = ok && gs_queue_packet(g, "D", 1) == 0;
	ok = ok && gs_flush(g) == 0;
	g->detach_ok = ok;
	g->detach_phy = phy;
	g->detach_det = det;
}

/* Restore what attaching changed (gs_detach, unless it ran), read the restore's
 * answers, close, free. On a broken link the restore packets are still sent,
 * blindly. */
static void gs_close(struct ptdbg_target *t)
{
	struct gdbstub *g = t->priv;

	gs_detach(t);
	if (g->fd >= 0) {
		const char *r;
		size_t rl;
		bool ok = g->detach_ok;

		if (g->detach_phy)
			ok = ok && gs_answer(g, NULL, &r, &rl) == 0;
		if (g->detach_phy && ok)
			g->phymem_changed = false;
		if (g->detach_det)
			ok = ok && gs_answer(g, NULL, &r, &rl) == 0;
		if (!ok) {
			gs_update_restore(g);
			(void)!send(g->fd, g->restore, g->restore_len, MSG_NOSIGNAL);
		}
		/* Every packet answered (the stream and the command sent ahead were
		 * drained in gs_detach, the restore waited for): the stub has read all we
		 * sent and nothing of it waits here unread (which would make the close a
		 * reset), so a plain close loses nothing. After a link error, let the
		 * stub read the blind restore first. */
		if (ok)
			close(g->fd);
		else
			gs_linger_close(g->fd, 300);
		g->fd = -1;
	}
	rsp_decoder_free(&g->dec);
	free(g->txq);
	free(g->mtree);
	free(g->top_xml);
	free(g);
	free(t);
}

int ptdbg_gdbstub_socket(struct ptdbg_target *t)
{
	struct gdbstub *g;

	if (!t || !t->ops || t->ops->close != gs_close)
		return -1;
	g = t->priv;
	return g->dead ? -1 : g->fd;
}

static const struct ptdbg_target_ops gs_ops = {
	.name = "gdbstub",
	.read_phys = gs_read_phys,
	.read_phys_batch = gs_read_batch,
	.stream_begin = gs_stream_begin,
	.stream_wait = gs_stream_wait,
	.stream_end = gs_stream_end,
	.read_regs = gs_read_regs,
	.arch = gs_arch,
	.monitor = gs_monitor,
	.resume = gs_resume,
	.stop = gs_stop,
	.detach = gs_detach,
	.close = gs_close,
};

/* Value of feature name in a qSupported reply ("PacketSize=1000;..."), or NULL. */
static const char *feature(const char *reply, const char *name, char *val, size_t cap)
{
	size_t nl = strlen(name);

	for (const char *p = reply; p && *p; p = strchr(p, ';') ? strchr(p, ';') + 1 : NULL) {
		if (strncmp(p, name, nl) == 0 && (p[nl] == '=' || p[nl] == '+' || p[nl] == ';' || !p[nl])) {
			size_t n = 0;

			if (p[nl] == '=')
				for (const char *v = p + nl + 1; *v && *v != ';' && n + 1 < cap; v++)
					val[n++] = *v;
			else if (cap > 1)
				val[n++] = p[nl] ? p[nl] : '+';
			val[n] = '\0';
			return val;
		}
	}
	return NULL;
}

/* Handshake: qSupported (learning whether our arrival stopped a running VM),
 * no-ack mode if offered, physical memory mode on. */
static int gs_attach(struct gdbstub *g)
{
	static const char qsup[] = "qSupported:xmlRegisters=i386";
	const char *r;
	size_t rl;
	char val[32];
	int rc;

	/* qSupported, then the physical memory mode asked for and set, then the first
	 * piece of target.xml (which every attach reads, for the architecture), in one
	 * write: four exchanges cost one round trip. Setting the mode it may already
	 * have is harmless; the query's answer, which comes first, says which it was.
	 * The piece is asked for at QEMU's size (the stub clamps a longer request);
	 * unless it is the whole document, gs_top_xml reads it again. */
	static const char qphy[] = "qqemu.PhyMemMode", sphy[] = "Qqemu.PhyMemMode:1",
			  qxml[] = "qXfer:features:read:target.xml:0,fe0";
	rc = gs_queue_packet(g, qsup, sizeof(qsup) - 1);
	if (!rc)
		rc = gs_queue_packet(g, qphy, sizeof(qphy) - 1);
	if (!rc)
		rc = gs_queue_packet(g, sphy, sizeof(sphy) - 1);
	if (!rc)
		rc = gs_queue_packet(g, qxml, sizeof(qxml) - 1);
	if (!rc && g->while_attaching) { /* while the stub stops the VM and answers */
		rc = gs_flush(g);
		g->while_attaching(g->while_attaching_arg);
	}
	if (!rc)
		rc = gs_answer(g, &g->was_running, &r, &rl);
	if (rc == PTDBG_ETIMEOUT) /* QEMU serves one client: the others are never answered */
		return ptdbg_target_fail(g->t, rc, "gdbstub at %s: no answer within %.1f s "
					 "(is another debugger attached?)", g->where, g->timeout_s);
	if (rc)
		return rc;
	if (rl == 0)
		return ptdbg_target_fail(g->t, PTDBG_EFORMAT,
			"gdbstub at %s: does not answer qSupported (not a gdbstub?)", g->where);
	if (feature(r, "PacketSize", val, sizeof(val)))
		g->packet_size = strtoul(val, NULL, 16);
	if (g->packet_size < 64)
		g->packet_size = 400; /* gdb's default when nothing is said */
	/* the stub's word sizes the requests and the reply limit below: keep it sane
	 * (QEMU says 0x1000; a huge value would overflow the chunk computation) */
	if (g->packet_size > GS_MAX_PACKET)
		g->packet_size = GS_MAX_PACKET;
	bool noack_offered = feature(r, "QStartNoAckMode", val, sizeof(val)) && val[0] == '+';
	/* largest power of two that fits a reply of hex digits */
	g->chunk = 1;
	while (g->chunk * 2 * 2 <= g->packet_size)
		g->chunk *= 2;
	g->dec.max = 4 * g->packet_size + 64;
	gs_update_restore(g);

	rc = gs_answer(g, NULL, &r, &rl);
	if (rc)
		return rc;
	if (rl != 1 || (r[0] != '0' && r[0] != '1'))
		return ptdbg_target_fail(g->t, PTDBG_ENOTSUP,
			"gdbstub at %s: no physical memory mode (qqemu.PhyMemMode: \"%.20s\"); is it QEMU?",
			g->where, r);
	g->phymem_orig = r[0] - '0';
	rc = gs_answer(g, NULL, &r, &rl);
	if (rc)
		return rc;
	if (strcmp(r, "OK") != 0)
		return ptdbg_target_fail(g->t, PTDBG_ENOTSUP,
			"gdbstub at %s: refuses physical memory mode (Qqemu.PhyMemMode:1: \"%.20s\")",
			g->where, r);
	if (g->phymem_orig == 0) {
		g->phymem_changed = true;
		gs_update_restore(g);
	}
	rc = gs_answer(g, NULL, &r, &rl);
	if (rc)
		return rc;
	if (rl >= 1 && r[0] == 'l' && !memchr(r + 1, 0, rl - 1) && (g->top_xml = malloc(rl)) != NULL) {
		memcpy(g->top_xml, r + 1, rl - 1);
		g->top_xml[rl - 1] = '\0';
	}
	if (noack_offered) { /* after the replies in flight, which come with acks */
		rc = gs_transact(g, "QStartNoAckMode", &r, &rl);
		if (rc)
			return rc;
		if (strcmp(r, "OK") == 0)
			g->noack = true;
	}
	return 0;
}

struct ptdbg_target *ptdbg_gdbstub_open(const struct ptdbg_target_opts *o, char *err, size_t errlen)
{
	const char *spec = o->spec;
	struct ptdbg_target *t;
	struct gdbstub *g;
	double tmo = o->timeout_s > 0 ? o->timeout_s : 5.0;
	int fd;

	if (!spec || !*spec)
		spec = getenv("PTDBG_TARGET");
	if (!spec || !*spec)
		spec = "localhost:1234";
	fd = gs_connect(spec, (int)(tmo * 1000), err, errlen);
	if (fd < 0)
		return NULL;
	t = calloc(1, sizeof(*t));
	g = calloc(1, sizeof(*g));
	if (!t || !g) {
		free(t);
		free(g);
		close(fd);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	t->ops = &gs_ops;
	t->priv = g;
	g->t = t;
	g->fd = fd;
	snprintf(g->where, sizeof(g->where), "%s", spec);
	g->timeout_s = tmo;
	g->timeout_ms = (int)(tmo * 1000);
	g->stay_stopped = o->stay_stopped;
	g->while_attaching = o->while_attaching;
	g->while_attaching_arg = o->while_attaching_arg;
	g->phymem_orig = -1;
	g->depth = o->pipeline_depth ? o->pipeline_depth : GS_DEFAULT_DEPTH;
	if (g->depth > GS_MAX_DEPTH)
		g->depth = GS_MAX_DEPTH;
	rsp_decoder_init(&g->dec, 1u << 20);
	for (int i = 0; i < GS_MAX_OPEN; i++) { /* for ptdbg_target_emergency_close */
		if (!gs_open_list[i]) {
			gs_open_list[i] = g;
			break;
		}
	}
	if (gs_attach(g)) {
		snprintf(err, errlen, "%s", ptdbg_target_error(t));
		gs_close(t);
		return NULL;
	}
	return t;
}
