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
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define GS_DEFAULT_DEPTH   64u
#define GS_MAX_DEPTH       64u
#define GS_MAX_RETRIES     5
#define GS_MAX_PACKET      (1u << 20)     /* largest PacketSize believed */
#define GS_MAX_MONITOR_OUT (256u << 20) /* bytes of monitor output kept */
#define GS_MAX_XML         (256u * 1024)
#define GS_MAX_OPEN        8


struct gs_batch;
struct gdbstub;
static int gs_stream_drain(struct gdbstub *g);
static void gs_stream_forget(struct gdbstub *g);

/* One packet of a pipelined exchange that is not a memory read (gs_query_batch):
 * the payload goes out, the reply comes back malloc'd and NUL-terminated. */
struct gs_query {
	const char *req;
	char *reply;
	size_t rlen;
};

static int gs_query_batch(struct gdbstub *g, struct gs_query *q, size_t n, bool *stop_seen);
static void gs_query_free(struct gs_query *q, size_t n);

struct gdbstub {
	struct ptdbg_target *t;
	int fd;
	char where[160];          /* "HOST:PORT" or "unix:PATH", for messages */
	int timeout_ms;
	double timeout_s;
	bool noack;
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
	char *xml0;               /* the reply to target.xml's first chunk, asked at attach */
	bool regs_probed;
	struct ptdbg_tdesc td;       /* architecture, register numbers by name */
	/* what attaching changed */
	int phymem_orig;          /* -1: unknown */
	bool phymem_changed;
	bool was_running;
	bool running;             /* resumed by us */
	bool stay_stopped;
	struct gs_batch *stream;  /* the stream in progress (gs_stream_begin), or NULL */
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

/* Wait for the stub's ack of the packet just queued; resend on NAK. A stop reply
 * before the ack is unsolicited: *unsolicited_stop is set (if non-NULL). */
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
			if (++tries > GS_MAX_RETRIES) {
				g->dead = true;
				return ptdbg_target_fail(g->t, PTDBG_ELINK,
					"gdbstub at %s: packet rejected (NAK) %d times", g->where, tries);
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

/* Send one packet and wait for its reply. */
static int gs_transact(struct gdbstub *g, const char *payload, const char **reply, size_t *rlen)
{
	size_t len = strlen(payload);
	int rc = gs_queue_packet(g, payload, len);

	if (!rc)
		rc = gs_wait_ack(g, payload, len, NULL);
	if (!rc)
		rc = gs_reply(g, reply, rlen);
	return rc;
}

/* ---- connecting ---------------------------------------------------------- */

/* Connect to spec within the timeout. Returns the socket or -1 (message in err). */
static int gs_connect(const char *spec, int timeout_ms, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd, one = 1;

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
	} else {
		char host[128];
		const char *colon = strrchr(spec, ':');
		struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai = NULL;
		size_t hl;
		int gai;

		/* PORT is a number 1..65535: getaddrinfo() would take 99999 modulo 65536 */
		char *pend = NULL;
		unsigned long port = colon ? strtoul(colon + 1, &pend, 10) : 0;
		if (!colon || !colon[1] || *pend || colon[1] < '0' || colon[1] > '9' ||
		    port == 0 || port > 65535) {
			snprintf(err, errlen, "bad gdbstub address \"%s\" (want HOST:PORT or unix:PATH)",
				 spec);
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
		gai = getaddrinfo(hl ? host : "localhost", colon + 1, &hints, &ai);
		if (gai) {
			snprintf(err, errlen, "cannot connect to gdbstub at %s: %s", spec,
				 gai_strerror(gai));
			return -1;
		}
		memcpy(&ss, ai->ai_addr, ai->ai_addrlen);
		sl = ai->ai_addrlen;
		freeaddrinfo(ai);
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		snprintf(err, errlen, "cannot connect to gdbstub at %s: %s", spec, strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0) {
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
			snprintf(err, errlen, "cannot connect to gdbstub at %s: %s", spec, strerror(e));
			close(fd);
			return -1;
		}
	}
	if (ss.ss_family != AF_UNIX)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/* ---- registers ----------------------------------------------------------- */

/* Chunks of a target description document asked for at once (per round): of the
 * first document, which mostly names others (QEMU's: 235 bytes), and of those it
 * includes (QEMU virt's largest, its system registers: 11 KiB, six chunks). */
#define GS_XML_AHEAD_ROOT 2u
#define GS_XML_AHEAD      6u

/* Fetch the target description annexes annex[0, n) with qXfer:features:read, all
 * at once: each round asks, for every document not complete, for its next `ahead`
 * chunks at the offsets full chunks give, in one pipelined exchange.
 * A chunk is (PacketSize - 5) / 2 bytes, what a stub that escapes its binary reply
 * can always send (QEMU's own limit). A reply for an offset the document has not
 * reached (a shorter chunk came before it) is dropped and asked again next round;
 * replies past the last chunk ('l') are ignored. On success doc[i] is malloc'd
 * text; on error every doc[i] is NULL. */
static int gs_fetch_xml_many(struct gdbstub *g, const char *const *annex, size_t n, size_t ahead,
			     char **doc)
{
	size_t step = g->packet_size > 64 ? (g->packet_size - 5) / 2 : 32;
	size_t nmax = n * ahead + 1;
	size_t *len = calloc(n + 1, sizeof(*len));
	bool *done = calloc(n + 1, sizeof(*done));
	struct gs_query *q = calloc(nmax, sizeof(*q));
	char (*req)[256] = calloc(nmax, sizeof(*req));
	size_t *of = calloc(nmax, sizeof(*of)), *at = calloc(nmax, sizeof(*at));
	size_t nq = 0;
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		doc[i] = NULL;
	if (!len || !done || !q || !req || !of || !at) {
		rc = ptdbg_target_fail(g->t, PTDBG_ENOMEM, "out of memory");
		goto out;
	}
	for (;;) {
		nq = 0;
		for (size_t i = 0; i < n; i++) {
			for (size_t k = 0; !done[i] && k < ahead; k++) {
				of[nq] = i;
				at[nq] = len[i] + k * step;
				snprintf(req[nq], sizeof(req[nq]), "qXfer:features:read:%s:%zx,%zx", annex[i],
					 at[nq], step);
				q[nq].req = req[nq];
				nq++;
			}
		}
		if (!nq)
			break;
		if ((rc = gs_query_batch(g, q, nq, NULL))) {
			nq = 0; /* no reply kept */
			goto out;
		}
		for (size_t j = 0; j < nq; j++) {
			size_t i = of[j], rl = q[j].rlen;
			const char *r = q[j].reply;
			char *nd;

			if (done[i] || at[j] != len[i])
				continue;
			if (rl == 0 || (r[0] != 'm' && r[0] != 'l')) {
				rc = ptdbg_target_fail(g->t, PTDBG_ENOTSUP,
					"gdbstub at %s: cannot read target description %s (%s)", g->where,
					annex[i], rl ? r : "not supported");
				goto out;
			}
			if (len[i] + rl > GS_MAX_XML) {
				rc = ptdbg_target_fail(g->t, PTDBG_EFORMAT,
					"gdbstub at %s: target description %s too large", g->where, annex[i]);
				goto out;
			}
			nd = realloc(doc[i], len[i] + rl + 1);
			if (!nd) {
				rc = ptdbg_target_fail(g->t, PTDBG_ENOMEM, "out of memory");
				goto out;
			}
			doc[i] = nd;
			memcpy(doc[i] + len[i], r + 1, rl - 1);
			len[i] += rl - 1;
			doc[i][len[i]] = '\0';
			if (r[0] == 'l' || rl == 1)
				done[i] = true;
		}
		gs_query_free(q, nq);
	}
out:
	if (q)
		gs_query_free(q, nq);
	if (rc)
		for (size_t i = 0; i < n; i++) {
			free(doc[i]);
			doc[i] = NULL;
		}
	free(len);
	free(done);
	free(q);
	free(req);
	free(of);
	free(at);
	return rc;
}

/* The documents a description names (xi:include), in order: a scan's include
 * callback that only collects. */
struct gs_hrefs {
	char *href[16];
	size_t n;
};

static int gs_collect_include(void *ctx, const char *href)
{
	struct gs_hrefs *h = ctx;

	if (h->n < sizeof(h->href) / sizeof(h->href[0]) && (h->href[h->n] = strdup(href)))
		h->n++;
	return 0;
}

/* Scanning one document of the target description (tdesc.h): the documents it
 * includes are fetched together first (gs_fetch_xml_many), then it is scanned,
 * each include scanned in turn where it stands, the same way. */
struct gs_scan {
	struct gdbstub *g;
	int depth;
	struct gs_hrefs *h;  /* the includes of the document being scanned */
	char **docs;         /* their text, fetched */
};

static int gs_scan_doc(struct gdbstub *g, char *doc, int depth);

static int gs_scan_include(void *ctx, const char *href)
{
	struct gs_scan *sc = ctx;

	for (size_t i = 0; i < sc->h->n; i++) {
		if (sc->docs[i] && !strcmp(sc->h->href[i], href)) {
			char *doc = sc->docs[i];

			sc->docs[i] = NULL; /* scanned once: a second include of it is fetched again */
			return gs_scan_doc(sc->g, doc, sc->depth + 1);
		}
	}
	char *doc;
	int rc = gs_fetch_xml_many(sc->g, &href, 1, GS_XML_AHEAD, &doc);
	return rc ? rc : gs_scan_doc(sc->g, doc, sc->depth + 1);
}

/* Scan doc (a document's text, freed here) into g->td, its includes fetched at once. */
static int gs_scan_doc(struct gdbstub *g, char *doc, int depth)
{
	struct gs_hrefs h = { .n = 0 };
	struct ptdbg_tdesc scratch;
	char *docs[sizeof(h.href) / sizeof(h.href[0])] = { NULL };
	struct gs_scan sc = { g, depth, &h, docs };
	int rc;

	if (depth > 4) {
		free(doc);
		return ptdbg_target_fail(g->t, PTDBG_EFORMAT,
			"gdbstub at %s: target description includes nest too deep", g->where);
	}
	ptdbg_tdesc_init(&scratch);
	ptdbg_tdesc_scan(&scratch, doc, gs_collect_include, &h);
	rc = h.n ? gs_fetch_xml_many(g, (const char *const *)h.href, h.n, GS_XML_AHEAD, docs) : 0;
	if (!rc)
		rc = ptdbg_tdesc_scan(&g->td, doc, gs_scan_include, &sc);
	for (size_t i = 0; i < h.n; i++) {
		free(docs[i]);
		free(h.href[i]);
	}
	free(doc);
	return rc;
}

/* Learn the register numbers from the target description (once). */
static int gs_probe_regs(struct gdbstub *g)
{
	const char *root = "target.xml";
	char *doc;
	int rc;

	if (g->regs_probed)
		return 0;
	ptdbg_tdesc_init(&g->td);
	/* the whole document in the chunk asked for at attach (QEMU's is), or ask again */
	if (g->xml0 && g->xml0[0] == 'l' && (doc = strdup(g->xml0 + 1)) != NULL)
		rc = 0;
	else
		rc = gs_fetch_xml_many(g, &root, 1, GS_XML_AHEAD_ROOT, &doc);
	free(g->xml0);
	g->xml0 = NULL;
	if (!rc)
		rc = gs_scan_doc(g, doc, 0);
	if (rc)
		return rc;
	g->regs_probed = true;
	return 0;
}

/* Read registers with `p NN`, every one the description offers in one pipelined
 * exchange; registers the stub does not describe (or will not read) stay invalid.
 * A register of several names takes the first that reads (table order). */
static int gs_read_regs(struct ptdbg_target *t, struct ptdbg_regs *regs)
{
	struct gdbstub *g = t->priv;
	int rc = gs_probe_regs(g);
	gs_stream_drain(g); /* the link is needed for this */
	struct gs_query q[PTDBG_NREGS];
	char req[PTDBG_NREGS][16];
	size_t which[PTDBG_NREGS], n = 0;

	memset(regs, 0, sizeof(*regs));
	if (rc)
		return rc;
	regs->arch = ptdbg_tdesc_arch(&g->td);
	for (size_t i = 0; i < PTDBG_NREGS; i++) {
		size_t nbytes = g->td.regbits[i] / 8;

		if (g->td.regno[i] < 0 || nbytes == 0 || nbytes > 8)
			continue;
		snprintf(req[n], sizeof(req[n]), "p%x", (unsigned)g->td.regno[i]);
		q[n].req = req[n];
		which[n++] = i;
	}
	if ((rc = gs_query_batch(g, q, n, NULL)))
		return rc;
	for (size_t k = 0; k < n && !rc; k++) {
		size_t i = which[k], nbytes = g->td.regbits[i] / 8, rl = q[k].rlen;
		const char *r = q[k].reply;
		uint8_t val[8] = { 0 };
		uint64_t v = 0;

		if (regs->valid & ptdbg_reg_table[i].bit)
			continue; /* read under another of its names */
		if (rl == 0 || r[0] == 'E')
			continue; /* not readable on this stub */
		if (rl != 2 * nbytes || rsp_hex_decode(r, nbytes, val)) {
			rc = ptdbg_target_fail(t, PTDBG_EFORMAT,
				"gdbstub at %s: bad value for register %s: \"%.40s\"", g->where,
				ptdbg_reg_table[i].name, r);
			break;
		}
		for (size_t b = 0; b < nbytes; b++)
			v |= (uint64_t)val[b] << (8 * b);
		if (ptdbg_reg_table[i].is32)
			*(uint32_t *)((char *)regs + ptdbg_reg_table[i].off) = (uint32_t)v;
		else
			*(uint64_t *)((char *)regs + ptdbg_reg_table[i].off) = v;
		regs->valid |= ptdbg_reg_table[i].bit;
	}
	gs_query_free(q, n);
	return rc;
}

/* ---- physical memory ----------------------------------------------------- */

struct gs_req {
	size_t io;
	size_t off, len;
	int tries;
};

/* A batch in progress: reads split into `m` requests of at most g->chunk bytes, or
 * (q set) the packets of n queries, up to g->depth in flight, replies matched to
 * requests in order. */
struct gs_batch {
	struct ptdbg_io *ios;
	struct gs_query *q;       /* the packets of a query batch (ios is NULL) */
	bool stop_seen;           /* an unsolicited stop reply came before any ack */
	size_t n;
	struct gs_req *reqs;
	size_t *pend, pend_head, pend_n, nreq, done;
	size_t fl[GS_MAX_DEPTH], fl_n, fl_acked;
	uint32_t *left;           /* requests of each io not answered yet */
	size_t complete;          /* ios[0, complete) are answered */
	int rc;                   /* a link error ended it */
	bool finished;            /* every request answered (or rc set) */
};

static void gs_batch_free(struct gs_batch *b)
{
	free(b->reqs);
	free(b->pend);
	free(b->left);
	memset(b, 0, sizeof(*b));
}

/* Set b up to read ios[0, n), or (q non-NULL, ios NULL) to send the packets of
 * q[0, n), one request each. 0 or PTDBG_ENOMEM. */
static int gs_batch_begin(struct ptdbg_target *t, struct gs_batch *b, struct ptdbg_io *ios,
			  struct gs_query *q, size_t n)
{
	struct gdbstub *g = t->priv;
	size_t k = 0;

	memset(b, 0, sizeof(*b));
	b->ios = ios;
	b->q = q;
	b->n = n;
	for (size_t i = 0; i < n; i++) {
		if (q) {
			q[i].reply = NULL;
			q[i].rlen = 0;
			b->nreq++;
			continue;
		}
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
		if (q) {
			b->reqs[k] = (struct gs_req){ .io = i };
			b->pend[k] = k;
			b->left[i]++;
			k++;
			continue;
		}
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

		while (b->pend_n && b->fl_n < g->depth) {
			char pkt[64];
			size_t id = b->pend[b->pend_head], l;

			b->pend_head = (b->pend_head + 1) % b->nreq;
			b->pend_n--;
			r = &b->reqs[id];
			if (b->q) {
				rc = gs_queue_packet(g, b->q[r->io].req, strlen(b->q[r->io].req));
			} else {
				l = (size_t)snprintf(pkt, sizeof(pkt), "m%" PRIx64 ",%zx",
						     b->ios[r->io].pa + r->off, r->len);
				rc = gs_queue_packet(g, pkt, l);
				t->stats.reads++;
			}
			if (rc)
				goto out;
			b->fl[b->fl_n++] = id;
			if (g->noack)
				b->fl_acked = b->fl_n;
		}
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
				if (ev == RSP_EV_PACKET && is_stop_reply(p)) {
					b->stop_seen = true;
					break; /* unsolicited stop reply */
				}
				rc = ptdbg_target_fail(t, PTDBG_ELINK,
					"gdbstub at %s: unexpected packet \"%.40s\"", g->where, p);
				goto out_dead;
			}
			r = &b->reqs[b->fl[0]];
			io = b->ios ? &b->ios[r->io] : NULL;
			if (ev == RSP_EV_BADSUM) {
				/* cannot ask for it again with '-': later replies may be queued */
				if (++r->tries > GS_MAX_RETRIES) {
					rc = ptdbg_target_fail(t, PTDBG_ELINK,
						"gdbstub at %s: replies with bad checksums", g->where);
					goto out_dead;
				}
				b->pend[(b->pend_head + b->pend_n++) % b->nreq] = b->fl[0];
			} else if (b->q) {
				struct gs_query *qq = &b->q[r->io];
				char *copy = malloc(pl + 1);

				if (!copy) {
					rc = ptdbg_target_fail(t, PTDBG_ENOMEM, "out of memory");
					goto out_dead; /* the replies still due would be out of step */
				}
				memcpy(copy, p, pl);
				copy[pl] = '\0';
				qq->reply = copy;
				qq->rlen = pl;
				gs_batch_answered(b, r);
			} else if (pl >= 1 && p[0] == 'E' && pl <= 3) {
				if (!io->err)
					ptdbg_target_fail(t, PTDBG_EIO,
						"gdbstub at %s: cannot read physical memory at 0x%" PRIx64 " (%s)",
						g->where, io->pa + r->off, p);
				io->err = PTDBG_EIO;
				gs_batch_answered(b, r);
			} else if (pl == 2 * r->len &&
				   rsp_hex_decode(p, r->len, (uint8_t *)io->buf + r->off) == 0) {
				t->stats.bytes_read += r->len;
				gs_batch_answered(b, r);
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

/* Finish the stream in progress, if any, so that the link is free for another
 * request (its caller still gets its results from gs_stream_wait/end). */
static int gs_stream_drain(struct gdbstub *g)
{
	return g->stream && !g->stream->finished ? gs_batch_run(g->t, g->stream, SIZE_MAX) : 0;
}

/* Read a batch of physical ranges, pipelined (see gs_batch_run). */
static int gs_read_batch(struct ptdbg_target *t, struct ptdbg_io *ios, size_t n)
{
	struct gdbstub *g = t->priv;
	struct gs_batch b;
	int rc;

	gs_stream_drain(g);
	if ((rc = gs_batch_begin(t, &b, ios, NULL, n)))
		return rc;
	rc = gs_batch_run(t, &b, SIZE_MAX);
	gs_batch_free(&b);
	return rc;
}

/* Free the replies of q[0, n). */
static void gs_query_free(struct gs_query *q, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(q[i].reply);
		q[i].reply = NULL;
	}
}

/* Send the packets q[0, n) pipelined (up to g->depth in flight, each retried on a
 * NAK or a reply with a bad checksum, as reads are) and collect their replies in
 * order into q[i].reply (malloc'd: gs_query_free). With stop_seen, *stop_seen is
 * set when an unsolicited stop reply came before the first ack (the VM was
 * running). Returns 0 or the link error; on an error no reply is kept. */
static int gs_query_batch(struct gdbstub *g, struct gs_query *q, size_t n, bool *stop_seen)
{
	struct gs_batch b;
	int rc;

	gs_stream_drain(g);
	if ((rc = gs_batch_begin(g->t, &b, NULL, q, n)))
		return rc;
	rc = gs_batch_run(g->t, &b, SIZE_MAX);
	if (stop_seen && b.stop_seen)
		*stop_seen = true;
	gs_batch_free(&b);
	if (rc)
		gs_query_free(q, n);
	return rc;
}

/* The stream: a batch that completes while the caller works (target.h). */
static int gs_stream_begin(struct ptdbg_target *t, struct ptdbg_io *ios, size_t n)
{
	struct gdbstub *g = t->priv;
	int rc;

	if (g->stream)
		return ptdbg_target_fail(t, PTDBG_EINVAL, "a stream is already open");
	g->stream = calloc(1, sizeof(*g->stream));
	if (!g->stream)
		return ptdbg_target_fail(t, PTDBG_ENOMEM, "out of memory");
	if ((rc = gs_batch_begin(t, g->stream, ios, NULL, n))) {
		free(g->stream);
		g->stream = NULL;
	}
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
static int gs_monitor(struct ptdbg_target *t, const char *cmd, char **out)
{
	struct gdbstub *g = t->priv;
	size_t cl = strlen(cmd), olen = 0;
	char *req = malloc(2 * cl + 8), *text = NULL;
	const char *r;
	size_t rl;
	int rc;
	gs_stream_drain(g); /* the link is needed for this */

	*out = NULL;
	if (!req)
		return ptdbg_target_fail(t, PTDBG_ENOMEM, "out of memory");
	memcpy(req, "qRcmd,", 6);
	rsp_hex_encode(cmd, cl, req + 6);
	rc = gs_queue_packet(g, req, strlen(req));
	if (!rc)
		rc = gs_wait_ack(g, req, strlen(req), NULL);
	g->hold_acks = true;
	if (!rc)
		rc = gs_reply_nak(g, &r, &rl, false);
	free(req);
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
	*out = text;
	return text ? 0 : ptdbg_target_fail(t, PTDBG_ENOMEM, "out of memory");
}

/* Let the VM run (`c`); no reply comes until it stops. */
static int gs_resume(struct ptdbg_target *t)
{
	struct gdbstub *g = t->priv;
	int rc;
	gs_stream_drain(g); /* the link is needed for this */

	if (g->running)
		return 0;
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

/* Send the last packets of a connection, pkts[0, n), at once and wait for each
 * one's ack and reply, acknowledging no reply: a byte that QEMU 7.2 receives while
 * the VM runs (after `D`), other than the ack of its last reply, stops the VM again.
 * A NAK or a bad reply is a failure (the caller then sends the restore bytes
 * blindly). Returns 0 or the error. */
static int gs_send_last(struct gdbstub *g, const char *const *pkts, size_t n)
{
	size_t acked = 0, replied = 0;
	int rc = 0;

	for (size_t i = 0; i < n && !rc; i++)
		rc = gs_queue_packet(g, pkts[i], strlen(pkts[i]));
	if (!rc)
		rc = gs_flush(g);
	g->hold_acks = true; /* nothing more is sent */
	while (!rc && replied < n) {
		enum rsp_event ev;

		if ((rc = gs_event(g, &ev)))
			break;
		if (ev == RSP_EV_ACK) {
			acked++;
		} else if (ev == RSP_EV_PACKET && (acked > replied || g->noack)) {
			replied++;
		} else if (ev == RSP_EV_PACKET && is_stop_reply(g->dec.buf)) {
			continue; /* a stop reply of its own, before the acks */
		} else if (ev == RSP_EV_NAK || ev == RSP_EV_BADSUM || ev == RSP_EV_OVERSIZE ||
			   ev == RSP_EV_PACKET) {
			rc = ptdbg_target_fail(g->t, PTDBG_ELINK, "gdbstub at %s: restoring the VM's state "
					       "failed (the stub's answer is out of step)", g->where);
		}
	}
	g->hold_acks = false;
	g->txq_len = 0;
	return rc;
}

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

/* Restore what attaching changed (stop if we resumed, PhyMemMode, detach if the VM
 * was running and stay_stopped is off), close, free. On a broken link the restore
 * packets are still sent, blindly. */
static void gs_close(struct ptdbg_target *t)
{
	struct gdbstub *g = t->priv;

	gs_stream_drain(g);
	gs_stream_forget(g);
	gs_unregister(g);
	if (g->fd >= 0) {
		bool ok = !g->dead;

		if (ok && g->running)
			ok = gs_stop(t) == 0;
		/* PhyMemMode back and the detach in one exchange */
		char pkt[32];
		const char *last[2];
		size_t nl = 0;

		if (ok && g->phymem_changed) {
			snprintf(pkt, sizeof(pkt), "Qqemu.PhyMemMode:%d", g->phymem_orig > 0);
			last[nl++] = pkt;
		}
		if (ok && g->was_running && !g->stay_stopped)
			last[nl++] = "D";
		if (ok && nl) {
			ok = gs_send_last(g, last, nl) == 0;
			if (ok)
				g->phymem_changed = false;
		} else if (ok) {
			ok = gs_flush(g) == 0;
		}
		if (!ok) {
			gs_update_restore(g);
			(void)!send(g->fd, g->restore, g->restore_len, MSG_NOSIGNAL);
		}
		gs_linger_close(g->fd, ok ? 1000 : 300);
		g->fd = -1;
	}
	rsp_decoder_free(&g->dec);
	free(g->txq);
	free(g->xml0);
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
	.monitor = gs_monitor,
	.resume = gs_resume,
	.stop = gs_stop,
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

/* Handshake: qSupported (learning whether our arrival stopped a running VM) and
 * physical memory mode, asked for and set in one pipelined exchange (setting it when
 * it was already on changes nothing), with the target description's first chunk
 * as QEMU's PacketSize gives it (kept for gs_probe_regs); then no-ack mode if
 * offered. */
static int gs_attach(struct gdbstub *g)
{
	struct gs_query q[4] = {
		{ .req = "qSupported:xmlRegisters=i386" },
		{ .req = "qqemu.PhyMemMode" },
		{ .req = "Qqemu.PhyMemMode:1" },
		{ .req = "qXfer:features:read:target.xml:0,7fd" },
	};
	const char *r;
	size_t rl;
	char val[32];
	int rc;

	rc = gs_query_batch(g, q, 4, &g->was_running);
	if (rc == PTDBG_ETIMEOUT) /* QEMU serves one client: the others are never answered */
		return ptdbg_target_fail(g->t, rc, "gdbstub at %s: no answer within %.1f s "
					 "(is another debugger attached?)", g->where, g->timeout_s);
	if (rc)
		return rc;
	r = q[0].reply;
	rl = q[0].rlen;
	if (rl == 0) {
		gs_query_free(q, 4);
		return ptdbg_target_fail(g->t, PTDBG_EFORMAT,
			"gdbstub at %s: does not answer qSupported (not a gdbstub?)", g->where);
	}
	if (feature(r, "PacketSize", val, sizeof(val)))
		g->packet_size = strtoul(val, NULL, 16);
	if (g->packet_size < 64)
		g->packet_size = 400; /* gdb's default when nothing is said */
	/* the stub's word sizes the requests and the reply limit below: keep it sane
	 * (QEMU says 0x1000; a huge value would overflow the chunk computation) */
	if (g->packet_size > GS_MAX_PACKET)
		g->packet_size = GS_MAX_PACKET;
	bool noack = feature(r, "QStartNoAckMode", val, sizeof(val)) && val[0] == '+';
	/* largest power of two that fits a reply of hex digits */
	g->chunk = 1;
	while (g->chunk * 2 * 2 <= g->packet_size)
		g->chunk *= 2;
	g->dec.max = 4 * g->packet_size + 64;
	if ((g->packet_size - 5) / 2 == 0x7fd) { /* the chunk gs_fetch_xml_many would ask for */
		g->xml0 = q[3].reply;
		q[3].reply = NULL;
	}

	r = q[1].reply;
	rl = q[1].rlen;
	if (rl != 1 || (r[0] != '0' && r[0] != '1')) {
		rc = ptdbg_target_fail(g->t, PTDBG_ENOTSUP,
			"gdbstub at %s: no physical memory mode (qqemu.PhyMemMode: \"%.20s\"); is it QEMU?",
			g->where, r);
		gs_query_free(q, 4);
		return rc;
	}
	g->phymem_orig = r[0] - '0';
	if (g->phymem_orig == 0) {
		r = q[2].reply;
		if (strcmp(r, "OK") != 0) {
			rc = ptdbg_target_fail(g->t, PTDBG_ENOTSUP,
				"gdbstub at %s: refuses physical memory mode (Qqemu.PhyMemMode:1: \"%.20s\")",
				g->where, r);
			gs_query_free(q, 4);
			return rc;
		}
		g->phymem_changed = true;
	}
	gs_query_free(q, 4);
	gs_update_restore(g);
	if (noack) {
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
