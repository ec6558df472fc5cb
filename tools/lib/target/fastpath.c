/* SPDX-License-Identifier: MIT */
/*
 * The fast path: when QEMU runs on this host, read guest RAM straight out of its
 * address space with process_vm_readv instead of through the gdbstub.
 *
 * Setup, once per attach: find QEMU's pid (SO_PEERCRED for a unix socket; for TCP
 * on loopback, the inode of QEMU's end of our connection from sock_diag, else from
 * /proc/net/tcp, then the process holding that socket inode), list guest RAM with
 * the monitor's `info mtree -f` (flat view of address space "memory", ram/rom ranges), and
 * translate each range once with `gpa2hva`. A flat range is one piece of one RAM
 * block, so it is contiguous in QEMU. Anything not in RAM (MMIO, holes) is still
 * read through the stub, so both paths give the same answers. If any step fails
 * (no permission, not local, a different monitor), the caller keeps the stub.
 */
#include "target/target.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#define FP_MAX_RANGES 64

struct fp_range {
	uint64_t pa, len, hva;
	int state; /* FP_UNKNOWN until first used, then FP_MAPPED (hva valid) or FP_STUB */
};
enum { FP_UNKNOWN, FP_MAPPED, FP_STUB };

struct fastpath {
	struct ptdbg_target *stub;
	pid_t pid;
	struct fp_range ranges[FP_MAX_RANGES];
	size_t nranges;
};

/* Inode of the IPv4 TCP socket with local end laddr:lport and remote end
 * raddr:rport (network byte order), asked of the kernel's sock_diag: one exact
 * lookup, not a walk of the socket table. 0 when it cannot say (no inet_diag). */
static unsigned long diag_tcp_inode(uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport)
{
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return 0;
	struct {
		struct nlmsghdr nh;
		struct inet_diag_req_v2 r;
	} req = {
		.nh = { .nlmsg_len = sizeof(req), .nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.nlmsg_flags = NLM_F_REQUEST, .nlmsg_seq = 1 },
		.r = { .sdiag_family = AF_INET, .sdiag_protocol = IPPROTO_TCP, .idiag_states = ~0u,
		       .id = { .idiag_sport = lport, .idiag_dport = rport,
			       .idiag_src = { laddr }, .idiag_dst = { raddr },
			       .idiag_cookie = { INET_DIAG_NOCOOKIE, INET_DIAG_NOCOOKIE } } },
	};
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	unsigned long inode = 0;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&kernel, sizeof(kernel)) == (ssize_t)sizeof(req)) {
		/* the answer, or an error message; a silent kernel cannot block us */
		struct timeval tv = { .tv_sec = 1 };
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		union {
			struct nlmsghdr nh;
			char buf[8192];
		} ans;
		ssize_t n = recv(fd, &ans, sizeof(ans), 0);
		if (n >= (ssize_t)NLMSG_LENGTH(sizeof(struct inet_diag_msg)) && NLMSG_OK(&ans.nh, (size_t)n) &&
		    ans.nh.nlmsg_type == SOCK_DIAG_BY_FAMILY) {
			const struct inet_diag_msg *m = NLMSG_DATA(&ans.nh);
			if (m->id.idiag_sport == lport && m->id.idiag_dport == rport)
				inode = m->idiag_inode;
		}
	}
	close(fd);
	return inode;
}

/* Inode of the TCP socket whose local end is local and remote end is remote, or 0.
 * Addresses and ports as they appear in /proc/net/tcp (hex, host order for IPv4):
 * the way when the kernel has no inet_diag. */
static unsigned long tcp_inode(uint32_t laddr, unsigned lport, uint32_t raddr, unsigned rport)
{
	FILE *f = fopen("/proc/net/tcp", "r");
	char line[512];
	unsigned long found = 0;
	/* the kernel walks its socket table up to the offset on every read(): one
	 * large read instead of one per KiB (most of the fast path's set-up on a host
	 * with many sockets) */
	char *big = malloc(1u << 18);

	if (!f) {
		free(big);
		return 0;
	}
	if (big)
		setvbuf(f, big, _IOFBF, 1u << 18);
	while (fgets(line, sizeof(line), f)) {
		unsigned la, lp, ra, rp, st;
		unsigned long inode;

		if (sscanf(line, " %*d: %x:%x %x:%x %x %*x:%*x %*x:%*x %*x %*u %*d %lu",
			   &la, &lp, &ra, &rp, &st, &inode) != 6)
			continue;
		if (la == laddr && lp == lport && ra == raddr && rp == rport) {
			found = inode;
			break;
		}
	}
	fclose(f);
	free(big);
	return found;
}

/* Whether process pid has the socket whose link text is want among its fds. */
static bool has_socket(pid_t pid, const char *want)
{
	char path[64];
	DIR *fds;
	struct dirent *fe;
	bool found = false;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	fds = opendir(path);
	if (!fds)
		return false;
	while (!found && (fe = readdir(fds)) != NULL) {
		char lp[600], target[64];
		ssize_t n;

		if (fe->d_name[0] == '.')
			continue;
		snprintf(lp, sizeof(lp), "%s/%s", path, fe->d_name);
		n = readlink(lp, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		found = strcmp(target, want) == 0;
	}
	closedir(fds);
	return found;
}

/* Whether process pid runs a program whose name starts with "qemu" (one readlink:
 * far cheaper than listing the fds of every process). */
static bool is_qemu(pid_t pid)
{
	char path[64], exe[512];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	n = readlink(path, exe, sizeof(exe) - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	const char *base = strrchr(exe, '/');
	return strncmp(base ? base + 1 : exe, "qemu", 4) == 0;
}

/* The pid of a process (of ours) that has socket inode open, or -1. QEMU processes
 * are looked at first; every other process only when none of them has it. */
static pid_t socket_owner(unsigned long inode)
{
	char want[64];
	pid_t self = getpid();

	snprintf(want, sizeof(want), "socket:[%lu]", inode);
	for (int pass = 0; pass < 2; pass++) {
		DIR *proc = opendir("/proc");
		struct dirent *de;

		if (!proc)
			return -1;
		while ((de = readdir(proc)) != NULL) {
			pid_t pid = (pid_t)atoi(de->d_name);

			if (pid <= 0 || pid == self || is_qemu(pid) != (pass == 0))
				continue;
			if (has_socket(pid, want)) {
				closedir(proc);
				return pid;
			}
		}
		closedir(proc);
	}
	return -1;
}

/* Whether the other end of socket fd may run here: a unix socket, or IPv4 loopback
 * (what peer_pid can follow). *me and *peer get the two ends' addresses. */
static bool peer_local(int fd, struct sockaddr_storage *me, struct sockaddr_storage *peer)
{
	socklen_t ml = sizeof(*me), pl = sizeof(*peer);

	if (getsockname(fd, (struct sockaddr *)me, &ml) < 0)
		return false;
	if (me->ss_family == AF_UNIX)
		return true;
	/* IPv6 loopback is not handled */
	return me->ss_family == AF_INET && getpeername(fd, (struct sockaddr *)peer, &pl) == 0 &&
	       (ntohl(((const struct sockaddr_in *)peer)->sin_addr.s_addr) >> 24) == 127;
}

/* The pid of the process at the other end of socket fd, whose ends peer_local found
 * here (me, peer); or -1. */
static pid_t peer_pid(int fd, const struct sockaddr_storage *me, const struct sockaddr_storage *peer)
{
	const struct sockaddr_in *m4 = (const struct sockaddr_in *)me;
	const struct sockaddr_in *p4 = (const struct sockaddr_in *)peer;
	unsigned long inode;

	if (me->ss_family == AF_UNIX) {
		struct ucred cred;
		socklen_t cl = sizeof(cred);

		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) == 0 && cred.pid > 0)
			return cred.pid;
		return -1;
	}
	/* QEMU's end: local = the peer address, remote = ours. /proc/net/tcp prints
	 * the address as the raw 32-bit value, ports in host order. */
	inode = diag_tcp_inode(p4->sin_addr.s_addr, p4->sin_port, m4->sin_addr.s_addr, m4->sin_port);
	if (!inode)
		inode = tcp_inode(p4->sin_addr.s_addr, ntohs(p4->sin_port), m4->sin_addr.s_addr,
				  ntohs(m4->sin_port));
	return inode ? socket_owner(inode) : -1;
}

/* Fill f->ranges from `info mtree -f`: ram and rom ranges of address space "memory". */
static int find_ram(struct fastpath *f)
{
	char *text = NULL, *line, *save = NULL;
	bool in_memory = false;
	int rc = ptdbg_monitor(f->stub, "info mtree -f", &text);

	if (rc)
		return rc;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long a, b;
		char kind[32];
		int prio;

		if (strncmp(line, "FlatView", 8) == 0) {
			if (f->nranges)
				break; /* the "memory" view is done */
			in_memory = false;
		} else if (strstr(line, "AS \"memory\"")) {
			in_memory = true;
		} else if (in_memory &&
			   sscanf(line, " %llx-%llx (prio %d, %31[^)])", &a, &b, &prio, kind) == 4 &&
			   (strcmp(kind, "ram") == 0 || strcmp(kind, "rom") == 0) && b >= a &&
			   f->nranges < FP_MAX_RANGES) {
			f->ranges[f->nranges++] = (struct fp_range){ .pa = a, .len = b - a + 1 };
		}
	}
	free(text);
	return f->nranges ? 0 : PTDBG_ENOTSUP;
}

/* Translate range r with `gpa2hva`: FP_MAPPED, or FP_STUB when QEMU cannot say
 * (that range is then read through the stub). Returns 0 or a link error. */
static int translate(struct fastpath *f, struct fp_range *r)
{
	char cmd[64], *out = NULL, *is;
	int rc;

	snprintf(cmd, sizeof(cmd), "gpa2hva 0x%" PRIx64, r->pa);
	rc = ptdbg_monitor(f->stub, cmd, &out);
	if (ptdbg_link_error(rc)) {
		free(out);
		return rc;
	}
	is = !rc && out ? strstr(out, " is 0x") : NULL;
	r->state = is ? FP_MAPPED : FP_STUB;
	if (is)
		r->hva = strtoull(is + 4, NULL, 16);
	free(out);
	return 0;
}

/* Read [pa, pa+len) from QEMU's memory where it is RAM, through the stub elsewhere. */
static int fp_read(struct ptdbg_target *t, uint64_t pa, void *buf, size_t len)
{
	struct fastpath *f = t->priv;
	uint8_t *out = buf;

	while (len) {
		struct fp_range *r = NULL;
		size_t n = len;
		int rc;

		for (size_t i = 0; i < f->nranges; i++) {
			if (pa >= f->ranges[i].pa && pa - f->ranges[i].pa < f->ranges[i].len) {
				r = &f->ranges[i];
				break;
			}
			/* stop a non-RAM piece at the next RAM range */
			if (f->ranges[i].pa > pa && f->ranges[i].pa - pa < n)
				n = (size_t)(f->ranges[i].pa - pa);
		}
		/* a range is translated when first read (each gpa2hva is a monitor round
		 * trip; most commands read one or two ranges) */
		if (r && r->state == FP_UNKNOWN) {
			rc = translate(f, r);
			if (rc)
				return ptdbg_target_fail(t, rc, "%s", ptdbg_target_error(f->stub));
		}
		if (r && r->state == FP_STUB) {
			if (r->len - (pa - r->pa) < n)
				n = (size_t)(r->len - (pa - r->pa));
			r = NULL;
		}
		if (r) {
			struct iovec lo, ro;
			ssize_t got;

			if (r->len - (pa - r->pa) < n)
				n = (size_t)(r->len - (pa - r->pa));
			lo = (struct iovec){ .iov_base = out, .iov_len = n };
			ro = (struct iovec){ .iov_base = (void *)(uintptr_t)(r->hva + (pa - r->pa)), .iov_len = n };
			got = process_vm_readv(f->pid, &lo, 1, &ro, 1, 0);
			t->stats.reads++;
			/* QEMU gone (killed while attached): the link is lost, not the page */
			if (got < 0 && errno == ESRCH)
				return ptdbg_target_fail(t, PTDBG_ELINK,
					"fastpath: QEMU (pid %d) has exited", (int)f->pid);
			if (got != (ssize_t)n)
				return ptdbg_target_fail(t, PTDBG_EIO,
					"fastpath: cannot read QEMU memory for 0x%" PRIx64 " (%s)", pa,
					got < 0 ? strerror(errno) : "short read");
			t->stats.bytes_read += n;
		} else {
			rc = ptdbg_read_phys(f->stub, pa, out, n);
			if (rc)
				return ptdbg_target_fail(t, rc, "%s", ptdbg_target_error(f->stub));
		}
		pa += n;
		out += n;
		len -= n;
	}
	return 0;
}

#define FP_IOV 1024 /* iovecs per process_vm_readv (IOV_MAX) */

/* The RAM reads queued for one process_vm_readv: their ios and both iovec arrays. */
struct fp_vec {
	struct ptdbg_io *io[FP_IOV];
	struct iovec lo[FP_IOV], ro[FP_IOV];
	size_t n;
};

/* Read the queued ios in one process_vm_readv; those past a short transfer (the
 * kernel stops at the first remote piece it cannot read) one by one through
 * fp_read, which says why. Returns 0 or PTDBG_ELINK (QEMU gone). */
static int fp_flush(struct ptdbg_target *t, struct fp_vec *v)
{
	struct fastpath *f = t->priv;
	size_t i = 0;

	if (!v->n)
		return 0;
	ssize_t got = process_vm_readv(f->pid, v->lo, v->n, v->ro, v->n, 0);
	t->stats.reads++;
	if (got < 0 && errno == ESRCH) {
		v->n = 0;
		return ptdbg_target_fail(t, PTDBG_ELINK, "fastpath: QEMU (pid %d) has exited", (int)f->pid);
	}
	for (size_t done = 0; got > 0 && i < v->n && (size_t)got - done >= v->lo[i].iov_len; i++) {
		done += v->lo[i].iov_len;
		v->io[i]->err = 0;
		t->stats.bytes_read += v->lo[i].iov_len;
	}
	int rc = 0;
	for (; i < v->n; i++) {
		v->io[i]->err = fp_read(t, v->io[i]->pa, v->io[i]->buf, v->io[i]->len);
		if (v->io[i]->err == PTDBG_ELINK)
			rc = PTDBG_ELINK;
	}
	v->n = 0;
	return rc;
}

/* Batch: reads wholly in one RAM range go to QEMU's memory, up to FP_IOV of them per
 * process_vm_readv; the others to the stub as one (pipelined) batch. */
static int fp_batch(struct ptdbg_target *t, struct ptdbg_io *ios, size_t n)
{
	struct fastpath *f = t->priv;
	struct ptdbg_io *rest = calloc(n ? n : 1, sizeof(*rest));
	size_t *idx = calloc(n ? n : 1, sizeof(*idx)), m = 0;
	struct fp_vec *v = malloc(sizeof(*v));
	struct fp_range *last = NULL; /* batches are mostly of one range */
	int rc = 0;

	if (!rest || !idx || !v) {
		free(rest);
		free(idx);
		free(v);
		return ptdbg_target_fail(t, PTDBG_ENOMEM, "out of memory");
	}
	v->n = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		struct fp_range *r = last;

		if (!r || ios[i].pa < r->pa || ios[i].pa - r->pa > r->len ||
		    ios[i].len > r->len - (ios[i].pa - r->pa)) {
			r = NULL;
			for (size_t k = 0; k < f->nranges && !r; k++) {
				struct fp_range *c = &f->ranges[k];
				if (ios[i].pa >= c->pa && ios[i].pa - c->pa <= c->len &&
				    ios[i].len <= c->len - (ios[i].pa - c->pa))
					r = c;
			}
		}
		if (r && r->state == FP_UNKNOWN && (rc = translate(f, r)) != 0) {
			ptdbg_target_fail(t, rc, "%s", ptdbg_target_error(f->stub));
			break;
		}
		if (r && r->state == FP_MAPPED) {
			last = r;
			v->io[v->n] = &ios[i];
			v->lo[v->n] = (struct iovec){ .iov_base = ios[i].buf, .iov_len = ios[i].len };
			v->ro[v->n++] = (struct iovec){
				.iov_base = (void *)(uintptr_t)(r->hva + (ios[i].pa - r->pa)),
				.iov_len = ios[i].len };
			if (v->n == FP_IOV)
				rc = fp_flush(t, v);
		} else {
			rest[m] = ios[i];
			idx[m++] = i;
		}
	}
	if (!rc)
		rc = fp_flush(t, v);
	if (rc) /* a link error ends the batch */
		m = 0;
	if (m) {
		rc = ptdbg_read_phys_batch(f->stub, rest, m);
		if (rc)
			ptdbg_target_fail(t, rc, "%s", ptdbg_target_error(f->stub));
		for (size_t j = 0; j < m; j++)
			ios[idx[j]].err = rc ? rc : rest[j].err;
	}
	free(rest);
	free(idx);
	free(v);
	return rc;
}

/* Forwarders: registers, monitor and run control always go through the stub. */
static int fp_arch(struct ptdbg_target *t, enum ptdbg_arch *arch)
{
	struct fastpath *f = t->priv;
	return ptdbg_target_arch(f->stub, arch);
}

static int fp_regs(struct ptdbg_target *t, struct ptdbg_regs *regs)
{
	struct fastpath *f = t->priv;
	int rc = ptdbg_read_regs(f->stub, regs);

	return rc ? ptdbg_target_fail(t, rc, "%s", ptdbg_target_error(f->stub)) : 0;
}

static int fp_monitor(struct ptdbg_target *t, const char *cmd, char **out)
{
	struct fastpath *f = t->priv;
	int rc = ptdbg_monitor(f->stub, cmd, out);

	return rc ? ptdbg_target_fail(t, rc, "%s", ptdbg_target_error(f->stub)) : 0;
}

static int fp_resume(struct ptdbg_target *t)
{
	struct fastpath *f = t->priv;
	int rc = ptdbg_target_resume(f->stub);

	return rc ? ptdbg_target_fail(t, rc, "%s", ptdbg_target_error(f->stub)) : 0;
}

static int fp_stop(struct ptdbg_target *t)
{
	struct fastpath *f = t->priv;
	int rc = ptdbg_target_stop(f->stub);

	return rc ? ptdbg_target_fail(t, rc, "%s", ptdbg_target_error(f->stub)) : 0;
}

static void fp_detach(struct ptdbg_target *t)
{
	ptdbg_target_detach(((struct fastpath *)t->priv)->stub);
}

static void fp_close(struct ptdbg_target *t)
{
	struct fastpath *f = t->priv;

	ptdbg_target_close(f->stub);
	free(f);
	free(t);
}

static const struct ptdbg_target_ops fp_ops = {
	.name = "fastpath",
	.local = true,
	.read_phys = fp_read,
	.read_phys_batch = fp_batch,
	.read_regs = fp_regs,
	.arch = fp_arch,
	.monitor = fp_monitor,
	.resume = fp_resume,
	.stop = fp_stop,
	.detach = fp_detach,
	.close = fp_close,
};

struct ptdbg_target *ptdbg_fastpath_open(struct ptdbg_target *stub, FILE *log)
{
	struct fastpath *f = calloc(1, sizeof(*f));
	struct ptdbg_target *t = calloc(1, sizeof(*t));
	int fd = ptdbg_gdbstub_socket(stub);
	uint8_t a[256], b[256];
	const char *why = NULL;

	if (!f || !t) {
		why = "out of memory";
		goto fail;
	}
	t->ops = &fp_ops;
	t->priv = f;
	f->stub = stub;
	struct sockaddr_storage me, peer;
	bool local = fd >= 0 && peer_local(fd, &me, &peer);
	/* QEMU renders its memory tree (a millisecond or two) while we look for its pid
	 * among the processes here (about as long) */
	if (local)
		ptdbg_gdbstub_monitor_ahead(stub, "info mtree -f");
	if (!local || (f->pid = peer_pid(fd, &me, &peer)) < 0) {
		why = "QEMU does not run on this host (or its pid is not visible)";
		goto fail;
	}
	if (find_ram(f) || translate(f, &f->ranges[0]) || f->ranges[0].state != FP_MAPPED) {
		why = "cannot map guest RAM (info mtree -f / gpa2hva)";
		goto fail;
	}
	/* prove it: the same bytes both ways */
	if (ptdbg_read_phys(stub, f->ranges[0].pa, a, sizeof(a)) ||
	    fp_read(t, f->ranges[0].pa, b, sizeof(b)) || memcmp(a, b, sizeof(a)) != 0) {
		why = "process_vm_readv not permitted or not consistent";
		goto fail;
	}
	t->stats = (struct ptdbg_target_stats){ 0 };
	if (log)
		fprintf(log, "ptdbg: fast path: QEMU pid %d, %zu RAM ranges\n", (int)f->pid,
			f->nranges);
	return t;
fail:
	if (log && why)
		fprintf(log, "ptdbg: no fast path: %s\n", why);
	free(f);
	free(t);
	return NULL;
}
