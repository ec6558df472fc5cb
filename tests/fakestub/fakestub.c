/* SPDX-License-Identifier: MIT */
/*
 * fakestub: a small stand-in for QEMU's gdbstub, for integration tests.
 *
 *   fakestub [options] PORT IMAGE
 *
 * Listens on 127.0.0.1:PORT and serves IMAGE as guest physical memory at -b BASE,
 * a fixed register set, a small monitor ("info status"; "dump-guest-memory FILE" and
 * "info slow" answer after 1.5 s, writing nothing; anything else is unknown), and
 * QEMU's Qqemu.PhyMemMode. It
 * behaves like QEMU 7.2 where the client can tell: PacketSize=1000, `m` of more than
 * 2048 bytes is E22, a connection stops a running VM and sends T02, `D` resumes,
 * queued packets are answered in order. Connections are served one after another.
 *
 * Options:
 *   -b BASE     physical address of the image's first byte (default 0)
 *   -r          the VM is running before the first connection
 *   -m MODE     normal | stall | drop | badsum | nak | oversize | ereply | no-phymem
 *   -n N        packets served normally before the fault starts (default 0)
 *   -p P        once started, fault one packet in P, pseudo-randomly (default 1: all)
 *   -l FILE     append every packet received (payload) to FILE, one per line,
 *               plus "#connect" / "#disconnect" / "#state ..." lines
 *   -R NAME=HEX set a register (rip rsp cs cr0 cr2 cr3 cr4 efer fs_base gs_base k_gs_base;
 *               with -a aarch64: pc cpsr TTBR0_EL1 TTBR1_EL1 TCR_EL1 MAIR_EL1 SCTLR_EL1
 *               ESR_EL1 FAR_EL1 ELR_EL1 VBAR_EL1 ID_AA64MMFR0_EL1 SPSR_EL1)
 *   -a ARCH     x86-64 (default) | aarch64: QEMU virt's description (the core feature
 *               with x0-x30, sp, pc, cpsr, then the system registers feature) |
 *               aarch64-nosys: the core feature alone, no system registers
 *   -X          serve the description as QEMU does, each feature in a document of
 *               its own that target.xml includes (feat0.xml, ...), and in pieces of
 *               uneven length (at most 200 bytes, some shorter): what a client
 *               that asks for pieces ahead must put together right
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#define PACKET_SIZE 0x1000

enum fault { F_NORMAL, F_STALL, F_DROP, F_BADSUM, F_NAK, F_OVERSIZE, F_EREPLY, F_NOPHYMEM };
static const char *const fault_names[] = {
	"normal", "stall", "drop", "badsum", "nak", "oversize", "ereply", "no-phymem",
};

/* The register files, numbered as in target_xml below. */
struct reg {
	const char *name;
	unsigned bits;
	uint64_t val;
};
static struct reg regs_x86[] = {
	{ "rip", 64, 0xffffffff81000000ull }, { "rsp", 64, 0xffffffff81ff0000ull },
	{ "cs", 32, 0x10 },                   { "fs_base", 64, 0 },
	{ "gs_base", 64, 0 },                 { "k_gs_base", 64, 0 },
	{ "cr0", 64, 0x80050033ull },         { "cr2", 64, 0 },
	{ "cr3", 64, 0x1000 },                { "cr4", 64, 0x6a0 },
	{ "efer", 64, 0xd01 },
};
/* AArch64: x0-x30 and sp (zero), then pc, cpsr and the system registers of the
 * EL1&0 regime: 4K granules, 48-bit halves, the MMU on. */
#define A64_CORE 34 /* x0-x30, sp, pc, cpsr */
static struct reg regs_a64[A64_CORE + 11] = {
	[31] = { "sp", 64, 0 }, [32] = { "pc", 64, 0xffff000040080000ull }, [33] = { "cpsr", 32, 0x3c5 },
	{ "TTBR0_EL1", 64, 0x40001000 }, { "TTBR1_EL1", 64, 0x40000000 },
	{ "TCR_EL1", 64, 0x00000005b5103510ull }, { "MAIR_EL1", 64, 0x000000000044ff00ull },
	{ "SCTLR_EL1", 64, 0x30d0199d }, { "ESR_EL1", 64, 0 }, { "FAR_EL1", 64, 0 },
	{ "ELR_EL1", 64, 0 }, { "VBAR_EL1", 64, 0 }, { "ID_AA64MMFR0_EL1", 64, 0x1125 },
	{ "SPSR_EL1", 64, 0 },
};
static struct reg *regs = regs_x86;
static size_t NREGS = sizeof(regs_x86) / sizeof(regs_x86[0]);
static const char *arch = "x86-64";

static struct {
	enum fault fault;
	unsigned long normal_first, period;
	const uint8_t *mem;
	size_t mem_len;
	uint64_t base;
	FILE *log;
	bool running;
	int phymem;
	unsigned long served; /* packets received on this connection */
} st = { .period = 1 };

static char target_xml[8192];
/* -X: target.xml with includes, and the features' documents */
#define MAX_FEAT 4
static bool split_xml;
static char split_top[1024], split_feat[MAX_FEAT][8192];
static size_t nfeat;

/* Move each <feature>...</feature> of target_xml into a document of its own. */
static void split_features(void)
{
	const char *p = target_xml, *f;
	size_t n = 0;

	nfeat = 0;
	while ((f = strstr(p, "<feature")) != NULL && nfeat < MAX_FEAT) {
		const char *e = strstr(f, "</feature>");
		if (!e)
			break;
		e += strlen("</feature>");
		n += (size_t)snprintf(split_top + n, sizeof(split_top) - n, "%.*s<xi:include href=\"feat%zu.xml\"/>",
				      (int)(f - p), p, nfeat);
		snprintf(split_feat[nfeat], sizeof(split_feat[0]),
			 "<?xml version=\"1.0\"?><!DOCTYPE feature SYSTEM \"gdb-target.dtd\">%.*s", (int)(e - f), f);
		nfeat++;
		p = e;
	}
	snprintf(split_top + n, sizeof(split_top) - n, "%s", p);
}

/* The longest piece of a document served from offset a: 200 bytes, less at some
 * offsets, so that pieces are not all alike. */
static size_t split_piece(unsigned long long a)
{
	return 200 - (size_t)((a / 97) % 3) * 40;
}

/* Build the AArch64 description: the core feature, then the system registers
 * (unless nosys), as QEMU's virt machine serves them (in one document here). */
static void build_xml_a64(bool nosys)
{
	static char xname[A64_CORE][8];
	size_t n = (size_t)snprintf(target_xml, sizeof(target_xml),
		"<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\"><target>"
		"<architecture>aarch64</architecture><feature name=\"org.gnu.gdb.aarch64.core\">");
	for (size_t i = 0; i < 31; i++) {
		snprintf(xname[i], sizeof(xname[i]), "x%zu", i);
		regs_a64[i] = (struct reg){ xname[i], 64, 0 };
	}
	NREGS = nosys ? A64_CORE : sizeof(regs_a64) / sizeof(regs_a64[0]);
	for (size_t i = 0; i < NREGS; i++) {
		if (i == A64_CORE)
			n += (size_t)snprintf(target_xml + n, sizeof(target_xml) - n,
				"</feature><feature name=\"org.qemu.gdb.arm64.sysregs\">");
		n += (size_t)snprintf(target_xml + n, sizeof(target_xml) - n,
			"<reg name=\"%s\" bitsize=\"%u\" type=\"int\"%s/>", regs_a64[i].name,
			regs_a64[i].bits, i == 0 ? " regnum=\"0\"" : "");
	}
	snprintf(target_xml + n, sizeof(target_xml) - n, "</feature></target>");
}

/* Build the target description: one feature holding the registers above. */
static void build_xml(void)
{
	if (strncmp(arch, "aarch64", 7) == 0) {
		build_xml_a64(strcmp(arch, "aarch64-nosys") == 0);
		return;
	}
	size_t n = (size_t)snprintf(target_xml, sizeof(target_xml),
		"<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\"><target>"
		"<architecture>i386:x86-64</architecture><feature name=\"org.ptdbg.fake\">"
		"<!-- <reg name=\"cr3\" bitsize=\"8\"/> a commented-out register -->");
	for (size_t i = 0; i < NREGS; i++)
		n += (size_t)snprintf(target_xml + n, sizeof(target_xml) - n,
			"<reg name=\"%s\" bitsize=\"%u\" type=\"int\"%s/>", regs[i].name, regs[i].bits,
			i == 0 ? " regnum=\"0\"" : "");
	snprintf(target_xml + n, sizeof(target_xml) - n, "</feature></target>");
}

static void logf_line(const char *prefix, const char *s, size_t len)
{
	if (!st.log)
		return;
	fprintf(st.log, "%s%.*s\n", prefix, (int)len, s);
	fflush(st.log);
}

/* True when the current packet is one the fault applies to. */
static bool faulty(void)
{
	static uint64_t lcg = 12345;

	if (st.fault == F_NORMAL || st.served <= st.normal_first)
		return false;
	if (st.period == 1)
		return true;
	/* pseudo-random, reproducible: a periodic pattern would starve pipelined retries */
	lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
	return (lcg >> 33) % st.period == 0;
}

static int writeall(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t w = send(fd, p, len, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static char *last_sent;   /* the last packet, for a '-' from the client */
static size_t last_len;

/* Send payload as a packet; bad checksum if corrupt. */
static int put_packet(int fd, const char *payload, size_t len, bool corrupt)
{
	char *buf = malloc(len + 8);
	unsigned sum = 0;

	memcpy(buf + 1, payload, len);
	buf[0] = '$';
	int rc;

	for (size_t i = 0; i < len; i++)
		sum += (uint8_t)payload[i];
	snprintf(buf + 1 + len, 4, "#%02x", (sum ^ (corrupt ? 0x5a : 0)) & 0xff);
	rc = writeall(fd, buf, len + 4);
	/* a resend (after '-') goes out intact, like a retransmission on a noisy line */
	snprintf(buf + 1 + len, 4, "#%02x", sum & 0xff);
	free(last_sent);
	last_sent = buf;
	last_len = len + 4;
	return rc;
}

static void hex(const uint8_t *in, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[in[i] >> 4];
		out[2 * i + 1] = d[in[i] & 15];
	}
	out[2 * n] = '\0';
}

/* Answer one packet. Returns the reply in *out (malloc'd), or NULL for none. */
static char *handle(const char *p, bool fault)
{
	char *out = malloc(4 * PACKET_SIZE + 64);
	unsigned long long a, l;

	out[0] = '\0';
	if (strncmp(p, "qSupported", 10) == 0) {
		snprintf(out, 64, "PacketSize=%x;qXfer:features:read+", PACKET_SIZE);
	} else if (strcmp(p, "qqemu.PhyMemMode") == 0) {
		if (!(fault && st.fault == F_NOPHYMEM))
			snprintf(out, 8, "%d", st.phymem);
	} else if (strncmp(p, "Qqemu.PhyMemMode:", 17) == 0) {
		if (!(fault && st.fault == F_NOPHYMEM) && (p[17] == '0' || p[17] == '1') && !p[18]) {
			st.phymem = p[17] - '0';
			strcpy(out, "OK");
			if (st.log)
				fprintf(st.log, "#state phymem=%d\n", st.phymem);
		} else if (!(fault && st.fault == F_NOPHYMEM)) {
			strcpy(out, "E22");
		}
	} else if (strncmp(p, "qXfer:features:read:", 20) == 0) {
		const char *doc = NULL, *annex = p + 20, *colon = strchr(annex, ':');
		size_t al = colon ? (size_t)(colon - annex) : 0;
		unsigned k;
		if (al == 10 && !strncmp(annex, "target.xml", 10))
			doc = split_xml ? split_top : target_xml;
		else if (split_xml && sscanf(annex, "feat%u.xml", &k) == 1 && k < nfeat)
			doc = split_feat[k];
		size_t tl = doc ? strlen(doc) : 0;
		if (!doc || sscanf(colon + 1, "%llx,%llx", &a, &l) != 2) {
			strcpy(out, "E00");
		} else if (a > tl) {
			strcpy(out, "E00"); /* as QEMU answers past the end */
		} else if (a == tl) {
			strcpy(out, "l");
		} else {
			size_t n = tl - a < l ? tl - a : l;
			if (split_xml && n > split_piece(a))
				n = split_piece(a);
			out[0] = a + n >= tl ? 'l' : 'm';
			memcpy(out + 1, doc + a, n);
			out[1 + n] = '\0';
		}
	} else if (p[0] == 'm' && sscanf(p + 1, "%llx,%llx", &a, &l) == 2) {
		if (l > PACKET_SIZE / 2)
			strcpy(out, "E22");
		else if (fault && st.fault == F_EREPLY)
			strcpy(out, "E01");
		else if (st.phymem != 1 || a < st.base || a - st.base > st.mem_len ||
			 l > st.mem_len - (a - st.base))
			strcpy(out, "E14");
		else if (fault && st.fault == F_OVERSIZE) {
			size_t n = PACKET_SIZE; /* twice what a reply may carry */

			for (size_t i = 0; i < 2 * n; i++)
				out[i] = "0123456789abcdef"[i & 15];
			out[2 * n] = '\0';
		} else
			hex(st.mem + (a - st.base), l, out);
	} else if (p[0] == 'p') {
		unsigned long r = strtoul(p + 1, NULL, 16);

		if (r < NREGS) {
			uint8_t b[8];

			for (int i = 0; i < 8; i++)
				b[i] = (uint8_t)(regs[r].val >> (8 * i));
			hex(b, regs[r].bits / 8, out);
		} else {
			strcpy(out, "E00");
		}
	} else if (strncmp(p, "qRcmd,", 6) == 0) {
		char cmd[256] = "";
		size_t n = strlen(p + 6) / 2;

		for (size_t i = 0; i < n && i + 1 < sizeof(cmd); i++) {
			unsigned v;

			sscanf(p + 6 + 2 * i, "%2x", &v);
			cmd[i] = (char)v;
			cmd[i + 1] = '\0';
		}
		if (strcmp(cmd, "info status") == 0) {
			const char *s = st.running ? "VM status: running\r\n" : "VM status: paused\r\n";

			out[0] = 'O';
			hex((const uint8_t *)s, strlen(s), out + 1);
			/* the OK follows in a second packet: see serve() */
		} else if (strncmp(cmd, "dump-guest-memory ", 18) == 0 || strcmp(cmd, "info slow") == 0) {
			/* as QEMU: silent until the work is done (here 1.5 s), then a line */
			const char *s = "done\r\n";
			struct timespec ts = { 1, 500000000 };

			nanosleep(&ts, NULL);
			out[0] = 'O';
			hex((const uint8_t *)s, strlen(s), out + 1);
		} else {
			const char *s = "unknown command\r\n";

			out[0] = 'O';
			hex((const uint8_t *)s, strlen(s), out + 1);
		}
	} else if (strcmp(p, "D") == 0) {
		st.running = true;
		strcpy(out, "OK");
	} else if (strcmp(p, "c") == 0) {
		st.running = true;
		free(out);
		return NULL;
	} else if (strcmp(p, "?") == 0) {
		strcpy(out, "T05thread:01;");
	}
	return out;
}

/* Serve one connection until it closes (or the fault drops it). */
static void serve(int fd)
{
	char pkt[8192];
	size_t len = 0;
	int state = 0; /* 0 idle, 1 payload, 2/3 checksum digits */
	unsigned sum = 0;
	char cs[3] = "";

	st.served = 0;
	if (st.log)
		fprintf(st.log, "#connect running=%d phymem=%d\n", st.running, st.phymem), fflush(st.log);
	if (st.running) { /* a connection stops the VM, as in QEMU */
		st.running = false;
		put_packet(fd, "T02thread:01;", 13, false);
	}
	for (;;) {
		char c;
		ssize_t r = recv(fd, &c, 1, 0);

		if (r <= 0)
			break;
		if (state == 0) {
			if (c == '$') {
				state = 1;
				len = 0;
				sum = 0;
			} else if (c == '-' && last_sent) { /* resend, as QEMU does */
				writeall(fd, last_sent, last_len);
			} else if (c == 0x03) {
				logf_line("", "^C", 2);
				if (st.running) {
					st.running = false;
					put_packet(fd, "T02thread:01;", 13, false);
				}
			}
			continue;
		}
		if (state == 1) {
			if (c == '#') {
				state = 2;
			} else if (len + 1 < sizeof(pkt)) {
				pkt[len++] = c;
				sum += (uint8_t)c;
			}
			continue;
		}
		cs[state - 2] = c;
		if (state == 2) {
			state = 3;
			continue;
		}
		state = 0;
		pkt[len] = '\0';
		if (strtoul(cs, NULL, 16) != (sum & 0xff)) {
			writeall(fd, "-", 1);
			continue;
		}
		st.served++;
		logf_line("", pkt, len);
		{
			bool f = faulty();
			char *reply;

			if (f && st.fault == F_STALL)
				continue;
			if (f && st.fault == F_DROP)
				break;
			if (f && st.fault == F_NAK) {
				writeall(fd, "-", 1);
				continue;
			}
			writeall(fd, "+", 1);
			reply = handle(pkt, f);
			if (reply) {
				put_packet(fd, reply, strlen(reply), f && st.fault == F_BADSUM);
				if (strncmp(pkt, "qRcmd,", 6) == 0)
					put_packet(fd, "OK", 2, false);
				free(reply);
			}
		}
	}
	if (st.log)
		fprintf(st.log, "#disconnect running=%d phymem=%d\n", st.running, st.phymem), fflush(st.log);
}

static void usage(void)
{
	fprintf(stderr, "usage: fakestub [-b BASE] [-r] [-m MODE] [-n N] [-p P] [-l LOG] "
			"[-a ARCH] [-X] [-R NAME=HEX]... PORT IMAGE\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct stat sb;
	int opt, lfd, one = 1, ifd;

	signal(SIGPIPE, SIG_IGN);
	while ((opt = getopt(argc, argv, "b:rm:n:p:l:R:a:X")) != -1) {
		switch (opt) {
		case 'X':
			split_xml = true;
			break;
		case 'a':
			if (strcmp(optarg, "x86-64") && strcmp(optarg, "aarch64") && strcmp(optarg, "aarch64-nosys"))
				usage();
			arch = optarg;
			if (strncmp(arch, "aarch64", 7) == 0) {
				regs = regs_a64;
				build_xml_a64(strcmp(arch, "aarch64-nosys") == 0);
			}
			break;
		case 'b':
			st.base = strtoull(optarg, NULL, 0);
			break;
		case 'r':
			st.running = true;
			break;
		case 'm': {
			size_t i;

			for (i = 0; i < sizeof(fault_names) / sizeof(fault_names[0]); i++)
				if (strcmp(optarg, fault_names[i]) == 0)
					break;
			if (i == sizeof(fault_names) / sizeof(fault_names[0]))
				usage();
			st.fault = (enum fault)i;
			break;
		}
		case 'n':
			st.normal_first = strtoul(optarg, NULL, 0);
			break;
		case 'p':
			st.period = strtoul(optarg, NULL, 0);
			if (!st.period)
				usage();
			break;
		case 'l':
			st.log = fopen(optarg, "a");
			if (!st.log) {
				perror(optarg);
				return 1;
			}
			break;
		case 'R': {
			char *eq = strchr(optarg, '=');
			size_t i;

			if (!eq)
				usage();
			*eq = '\0';
			/* every register of the file, also those -a aarch64-nosys hides */
			size_t all = regs == regs_a64 ? sizeof(regs_a64) / sizeof(regs_a64[0]) : NREGS;
			for (i = 0; i < all; i++)
				if (regs[i].name && strcmp(regs[i].name, optarg) == 0)
					break;
			if (i == all)
				usage();
			regs[i].val = strtoull(eq + 1, NULL, 16);
			break;
		}
		default:
			usage();
		}
	}
	if (argc - optind != 2)
		usage();
	ifd = open(argv[optind + 1], O_RDONLY);
	if (ifd < 0 || fstat(ifd, &sb) < 0) {
		perror(argv[optind + 1]);
		return 1;
	}
	st.mem_len = (size_t)sb.st_size;
	st.mem = st.mem_len ? mmap(NULL, st.mem_len, PROT_READ, MAP_PRIVATE, ifd, 0) : NULL;
	if (st.mem == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	build_xml();
	if (split_xml)
		split_features();
	sa.sin_port = htons((uint16_t)atoi(argv[optind]));
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 1) < 0) {
		perror("listen");
		return 1;
	}
	for (;;) {
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0) {
			if (errno == EINTR)
				continue;
			perror("accept");
			return 1;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		serve(fd);
		close(fd);
	}
}
