/* SPDX-License-Identifier: MIT */
/*
 * ptbench: measure a page-table walk against the limit of the link it runs over.
 *
 *   ptbench [target options] [--cr3 PA] [--per-leaf] [--warm] [--repeat N]
 *           (on AArch64 --cr3 is the TTBR0 root, and the TTBR0 half is walked; a core
 *           file's translation registers come from the debug region)
 *   ptbench [target options] --vtd-root PA --vtd-levels N [--repeat N]
 *   ptbench [target options] --smmu-sid SID [--smmu-base PA] [--repeat N]
 *   ptbench time [--repeat N] [--warm] -- COMMAND [ARG...]
 *   ptbench [a walk form above] [--depths D] -- COMMAND [ARG...]
 *
 * Every walk, raw transfer and command timed starts with the CPU's caches cold
 * (cache_cold()); --warm leaves them as the run before left them.
 *
 * The counting visitor takes leaf runs (opts.leaf_runs: the plain leaves of a table
 * with one permission as one event), as the dump and info-tlb printers do;
 * --per-leaf has every leaf come as its own event instead, as a visitor that
 * does not take runs gets them.
 *
 * The second form walks a VT-d second-level table (a device domain) instead, the
 * third the stage-1 tables of an SMMUv3 stream (the SMMU at --smmu-base, default
 * QEMU virt's 0x09050000: its STE and CD, then TTB0 through the AArch64 decoder).
 * `time` runs COMMAND --repeat times as a user would (exec to exit, its standard
 * output to /dev/null) and prints the best wall time, the best CPU time (user and
 * system) and the largest peak RSS of the runs (wait4's rusage).
 *
 * --depths D1,D2,... times the raw transfer at each pipeline depth (a new attach
 * per depth) and reports the best one: raw_s, raw_depth and raw_bytes_per_s.
 * For the selected target (gdbstub, fast path or core file) it prints, as one line of
 * key=value pairs: the walk time (wall, and the process's CPU time: on a shared
 * machine the walk's own cost), bytes and reads served, leaves and PTEs per second,
 * then (same connection, same run) the time of a raw batched read of exactly the
 * table pages the walk read (the link's limit), the ratio walk/raw, the time of
 * QEMU's `info mem` through the monitor when there is one, and the peak RSS of the
 * process. Each time is the best of --repeat runs (default 3), with a cold cache;
 * walk_median_s is the median of the walks after the first (which fills the
 * cache's pool) and raw_bytes the size of the raw transfer.
 *
 * The last form walks once (to list the table pages), then --repeat times in turns:
 * COMMAND as `time` runs it, and the raw transfer at depth D (a new attach each, as
 * the gdbstub has one client). A second line gives the command's cmd_wall_s (the
 * best), cmd_wall_median_s, cmd_cpu_s, cmd_peak_rss_mib and cmd_exit; raw_s and
 * raw_bytes_per_s are then the best of the transfers made between its runs.
 * pair_ratio_median is the median over the runs of each one's time over the
 * transfer right after it: each ratio is of one moment of a shared machine, where
 * a ratio of the two bests may divide a lucky transfer by an ordinary run (stderr
 * has every pair).
 */
#include <fcntl.h>
#include <sched.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "arm64/arm64_regs.h"
#include "target/mem.h"
#include "cli/session.h"
#include "smmu/smmu_regs.h"
#include "smmu/smmu_walk.h"
#include "vtd/vtd_walk.h"
#include "x86/x86_walk.h"

struct tally {
	uint64_t leaves;
	uint64_t *tables;
	size_t ntables, cap;
};

static int count_visit(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct tally *t = ctx;
	if (ev->kind == PTDBG_EV_LEAF_RUN)
		t->leaves += ev->count;
	else if (ev->kind == PTDBG_EV_LEAF)
		t->leaves++;
	else if (ev->kind == PTDBG_EV_NODE && !(ev->flags & PTDBG_NODE_SHARED)) {
		if (t->ntables == t->cap) {
			t->cap = t->cap ? t->cap * 2 : 1024;
			t->tables = realloc(t->tables, t->cap * sizeof(*t->tables));
			if (!t->tables)
				return PTDBG_ENOMEM;
		}
		t->tables[t->ntables++] = ev->pa;
	}
	return 0;
}

static int count_vtd(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct tally *t = ctx;
	if (ev->kind == PTDBG_EV_LEAF_RUN) {
		t->leaves += ev->count;
	} else if (ev->kind == PTDBG_EV_LEAF) {
		t->leaves++;
	} else if (ev->kind == PTDBG_EV_NODE) {
		if (t->ntables == t->cap) {
			t->cap = t->cap ? t->cap * 2 : 1024;
			t->tables = realloc(t->tables, t->cap * sizeof(*t->tables));
			if (!t->tables)
				return PTDBG_ENOMEM;
		}
		t->tables[t->ntables++] = ev->pa;
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU time of this process (user and system): on a shared machine the walk's own
 * cost, without the time spent waiting for a core. */
static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Unless --warm: make the CPU's caches cold before what is timed next. A helper
 * process writes 64 MiB (twice the last-level cache of the machines this runs on)
 * on this process's CPU, so that a walk or command does not find in the caches the
 * tables the run before it read, as the one run of a command a user types does
 * not: the 8 MiB of tables of bench=1m would otherwise stay there between repeats,
 * the 128 MiB of bench=16m cannot, and the two would not compare. The helper's
 * memory is not this process's RSS.
 *
 * The helper is forked once, before the attach, while this process is small, and
 * then asked through a pipe. Forking for each cold start would write-protect all of this
 * process's memory (its page cache, the raw transfer's buffer) every time, and the
 * walk timed next would take a copy-on-write fault on each page it fills: 2,300
 * faults a walk at bench=16m, a cost of the harness that no user's command pays. */
static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

#define COLD_BYTES (64u << 20)
static bool warm;
static int cold_req = -1, cold_ack = -1; /* to and from the helper */

/* The helper's loop: for each CPU number read from req, move to that CPU, write
 * the buffer, answer a byte on ack; exit at end of file. */
static void cold_helper(int req, int ack)
{
	volatile char *b = malloc(COLD_BYTES);
	int cpu;
	while (read(req, &cpu, sizeof(cpu)) == (ssize_t)sizeof(cpu)) {
		if (cpu >= 0) {
			cpu_set_t set;
			CPU_ZERO(&set);
			CPU_SET(cpu, &set);
			sched_setaffinity(0, sizeof(set), &set);
		}
		for (size_t i = 0; b && i < COLD_BYTES; i += 64)
			b[i] = (char)i;
		char c = 0;
		if (write(ack, &c, 1) != 1)
			break;
	}
	_exit(0);
}

/* Start the helper (a no-op with --warm). Without it (no fork or pipe), caches are
 * left warm, said once on stderr. */
static void cold_start(void)
{
	int req[2], ack[2];
	if (warm || pipe2(req, O_CLOEXEC) || pipe2(ack, O_CLOEXEC)) {
		if (!warm)
			fprintf(stderr, "ptbench: no pipe for the cache-cold helper: caches stay warm\n");
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(req[1]);
		close(ack[0]);
		cold_helper(req[0], ack[1]);
	}
	close(req[0]);
	close(ack[1]);
	if (pid < 0) {
		fprintf(stderr, "ptbench: no cache-cold helper: caches stay warm\n");
		close(req[1]);
		close(ack[0]);
		return;
	}
	cold_req = req[1];
	cold_ack = ack[0];
}

static void cache_cold(void)
{
	if (warm || cold_req < 0)
		return;
	int cpu = sched_getcpu();
	char c;
	if (write(cold_req, &cpu, sizeof(cpu)) != (ssize_t)sizeof(cpu) || read(cold_ack, &c, 1) != 1) {
		close(cold_req);
		close(cold_ack);
		cold_req = cold_ack = -1;
	}
}

/* The median of the n values in v (sorted in place); 0 when n is 0. */
static double median(double *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One run of cmd as a user runs it (its standard output to /dev/null): wall and CPU
 * time (user and system), peak RSS in KiB, wait status. Returns 0, or 2 when it could
 * not be run or exited above 1 (said on stderr). Started by posix_spawn (a vfork
 * and exec), not fork: a fork copies this process's page tables (its tables and
 * raw buffers, megabytes more than the shell a user types into), 0.25-0.3 ms that
 * would be timed as the command's. Either way the peak RSS counts this process's
 * memory too (the child starts in it, and the kernel keeps the high-water mark
 * across exec): `ptbench time`, a small process, is what measures a command's. */
static int run_command(char **cmd, double *wall, double *cpu, long *rss, int *status)
{
	/* its output goes nowhere: what is timed is the command */
	posix_spawn_file_actions_t fa;
	if (posix_spawn_file_actions_init(&fa) ||
	    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0))
		return 2;
	cache_cold();
	double t0 = now();
	pid_t pid;
	int err = posix_spawnp(&pid, cmd[0], &fa, NULL, cmd, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (err) {
		fprintf(stderr, "ptbench: %s: %s\n", cmd[0], strerror(err));
		return 2;
	}
	struct rusage ru;
	if (wait4(pid, status, 0, &ru) < 0)
		return 2;
	*wall = now() - t0;
	*cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
	*rss = ru.ru_maxrss;
	if (!WIFEXITED(*status) || WEXITSTATUS(*status) > 1) {
		fprintf(stderr, "ptbench: %s failed (status %d)\n", cmd[0], *status);
		return 2;
	}
	return 0;
}

/* The best of a command's runs: the least wall and CPU time, the largest RSS. */
struct cmd_best {
	double wall, cpu;
	long rss;
	int status;
	double last; /* the wall time of the last run */
};

static int run_best(char **cmd, struct cmd_best *b)
{
	double wall, cpu;
	long rss;
	if (run_command(cmd, &wall, &cpu, &rss, &b->status))
		return 2;
	b->last = wall;
	if (wall < b->wall)
		b->wall = wall;
	if (cpu < b->cpu)
		b->cpu = cpu;
	if (rss > b->rss)
		b->rss = rss;
	return 0;
}

/* ptbench time: the whole command, exec to exit, best of repeat runs. */
static int time_command(int argc, char **argv)
{
	unsigned repeat = 3;
	int i = 2;
	for (; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
			repeat = (unsigned)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--warm"))
			warm = true;
	if (i + 1 >= argc) {
		fprintf(stderr, "ptbench: usage: ptbench time [--repeat N] [--warm] -- COMMAND [ARG...]\n");
		return 2;
	}
	char **cmd = argv + i + 1;
	struct cmd_best b = { .wall = 1e9, .cpu = 1e9 };
	if (!repeat)
		repeat = 1;
	double *walls = calloc(repeat, sizeof(*walls));
	if (!walls)
		return 2;
	cold_start();
	for (unsigned k = 0; k < repeat; k++) {
		if (run_best(cmd, &b))
			return 2;
		walls[k] = b.last;
	}
	printf("wall_s=%.6f wall_median_s=%.6f cpu_s=%.6f peak_rss_mib=%.1f exit=%d\n", b.wall,
	       median(walls, repeat), b.cpu, b.rss / 1024.0, WEXITSTATUS(b.status));
	free(walls);
	return 0;
}

/* Parse a list of depths "4,8,16" into d[] (at most max); returns how many. */
static size_t parse_depths(const char *arg, unsigned *d, size_t max)
{
	size_t n = 0;
	while (arg && *arg && n < max) {
		char *end;
		unsigned long v = strtoul(arg, &end, 0);
		if (end == arg)
			break;
		if (v)
			d[n++] = (unsigned)v;
		arg = *end == ',' ? end + 1 : end;
	}
	return n;
}

/* The raw transfer: the table pages t lists, one batch, no walking. Its wall time,
 * or -1 when the read failed (said on stderr). */
static double raw_transfer(struct ptdbg_session *s, const struct tally *t, struct ptdbg_io *ios,
			   uint8_t *buf)
{
	for (size_t i = 0; i < t->ntables; i++)
		ios[i] = (struct ptdbg_io){ .pa = t->tables[i], .len = 4096, .buf = buf + i * 4096 };
	cache_cold();
	double t0 = now();
	if (ptdbg_read_phys_batch(s->t, ios, t->ntables)) {
		fprintf(stderr, "ptbench: raw read failed: %s\n", ptdbg_target_error(s->t));
		return -1;
	}
	return now() - t0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "time"))
		return time_command(argc, argv);
	char **cmd = NULL; /* -- COMMAND: timed in turns with the raw transfer */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "ptbench: -- needs a COMMAND\n");
				return 2;
			}
			cmd = argv + i + 1;
			argc = i;
			break;
		}
	struct ptdbg_session s;
	ptdbg_session_init(&s, "ptbench");
	s.region_opt = "off"; /* measure the walk, not region discovery */
	const char *cr3_arg = NULL, *vtd_root = NULL, *depths_arg = NULL, *smmu_sid = NULL;
	const char *smmu_base = "0x09050000";
	uint64_t vtd_levels = 3, repeat = 3;
	bool per_leaf = false;
	const struct ptdbg_opt opts[] = {
		{ .name = "per-leaf", .flag = &per_leaf },
		{ .name = "warm", .flag = &warm },
		{ .name = "cr3", .value = true, .str = &cr3_arg },
		{ .name = "vtd-root", .value = true, .str = &vtd_root },
		{ .name = "vtd-levels", .value = true, .set = ptdbg_opt_positive, .dst = &vtd_levels },
		{ .name = "repeat", .value = true, .set = ptdbg_opt_positive, .dst = &repeat },
		{ .name = "depths", .value = true, .str = &depths_arg },
		{ .name = "smmu-sid", .value = true, .str = &smmu_sid },
		{ .name = "smmu-base", .value = true, .str = &smmu_base },
		PTDBG_OPT_END,
	};
	struct ptdbg_opt common[PTDBG_SESSION_NOPTS];
	ptdbg_session_options(&s, common);
	const struct ptdbg_opt *const tables[] = { opts, common, NULL };
	char err[256];
	int npos;
	if (ptdbg_opts_parse(tables, argc, argv, 0, NULL, 0, &npos, err, sizeof(err))) {
		fprintf(stderr, "ptbench: %s (usage: ptbench [-t HOST:PORT | --core FILE] [--no-fast-path] "
			"[--cr3 PA] [--per-leaf] [--warm] [--vtd-root PA --vtd-levels N] [--smmu-sid SID [--smmu-base PA]] [--repeat N])\n", err);
		return 2;
	}
	cold_start(); /* before the attach: the helper must not hold the connection */
	/* A core file of an AArch64 guest has no system registers: the region has them. */
	if (s.topts.core_file)
		s.region_opt = NULL;
	if (ptdbg_session_attach(&s))
		return 2;
	bool a64 = ptdbg_session_arch(&s) == PTDBG_ARCH_AARCH64;
	struct ptdbg_arm64_cpu acpu;
	if (a64) {
		struct ptdbg_regs r = s.regs;
		if (ptdbg_arm64_regs_missing(&r) && s.have_region) {
			r.ttbr0_el1 = s.region.hdr.arm64.ttbr0;
			r.ttbr1_el1 = s.region.hdr.arm64.ttbr1;
			r.tcr_el1 = s.region.hdr.arm64.tcr;
			r.mair_el1 = s.region.hdr.arm64.mair;
			r.sctlr_el1 = s.region.hdr.arm64.sctlr;
			r.valid |= PTDBG_REG_TTBR0 | PTDBG_REG_TTBR1 | PTDBG_REG_TCR | PTDBG_REG_MAIR | PTDBG_REG_SCTLR;
		}
		if (ptdbg_arm64_regs_missing(&r)) {
			fprintf(stderr, "ptbench: the target gives no TTBR0_EL1/TTBR1_EL1/TCR_EL1\n");
			return 2;
		}
		ptdbg_arm64_cpu_from_regs(&acpu, &r);
		if (cr3_arg && ptdbg_parse_u64(cr3_arg, &acpu.ttbr0)) {
			fprintf(stderr, "ptbench: bad --cr3\n");
			return 2;
		}
	}
	struct ptdbg_x86_walk_cfg cfg = { .leaf_runs = !per_leaf };
	const struct ptdbg_walk_opts wopts = { .leaf_runs = !per_leaf };
	ptdbg_session_cpu(&s, &cfg.cpu);
	if (!a64 && cr3_arg && ptdbg_parse_u64(cr3_arg, &cfg.cpu.cr3)) {
		fprintf(stderr, "ptbench: bad --cr3\n");
		return 2;
	}
	struct vtd_walk_cfg vcfg = { .levels = (unsigned)vtd_levels, .leaf_runs = !per_leaf };
	if (vtd_root && ptdbg_parse_u64(vtd_root, &vcfg.root)) {
		fprintf(stderr, "ptbench: bad --vtd-root\n");
		return 2;
	}

	/* An SMMU stream: its stage-1 tables as the EL1&0 state of its CD. */
	struct ptdbg_arm64_cpu scpu = { 0 }; /* the SMMU stream's stage 1 */
	if (smmu_sid) {
		uint64_t base, sid;
		struct smmu_regs r;
		struct smmu_hw hw;
		struct smmu_strtab st;
		struct smmu_stream_lookup l;
		struct smmu_s1_cfg c;
		if (ptdbg_parse_u64(smmu_base, &base) || ptdbg_parse_u64(smmu_sid, &sid) || sid > 0xffffffffu) {
			fprintf(stderr, "ptbench: bad --smmu-base or --smmu-sid\n");
			return 2;
		}
		if (smmu_regs_read(s.t, base, &r)) {
			fprintf(stderr, "ptbench: no SMMU at %#llx: %s\n", (unsigned long long)base, ptdbg_target_error(s.t));
			return 2;
		}
		smmu_hw_from_regs(&hw, &r);
		smmu_strtab_from_regs(&st, &r);
		if (smmu_stream_lookup(s.mem, &hw, &st, (uint32_t)sid, SMMU_NO_SSID, &l) ||
		    !smmu_s1_cfg_from_lookup(&hw, &l, &c)) {
			fprintf(stderr, "ptbench: stream %#llx has no stage-1 tables\n", (unsigned long long)sid);
			return 2;
		}
		smmu_s1_cpu(&c, &scpu);
	}

	double best_walk = 1e9, best_raw = 1e9, best_mon = -1, best_cpu = 1e9;
	double *pair_ratio = NULL; /* paired: each command's time over the raw transfer after it */
	double *cmd_walls = NULL; /* paired: each command's time */
	double *walk_times = calloc(repeat, sizeof(*walk_times)); /* each walk's, in order */
	if (!walk_times)
		return 2;
	struct tally t = { 0 };
	uint64_t bytes = 0, reads = 0;
	for (uint64_t k = 0; k < (cmd ? 1 : repeat); k++) { /* paired: the walk lists the tables */
		ptdbg_mem_invalidate(s.mem);
		t.leaves = 0;
		t.ntables = 0;
		uint64_t b0 = s.t->stats.bytes_read, r0 = s.t->stats.reads;
		cache_cold();
		double t0 = now(), c0 = cpu_now();
		int rc = smmu_sid ? ptdbg_arm64_walk(s.mem, &scpu, 0, &wopts, count_visit, &t, NULL)
			 : vtd_root ? vtd_walk(s.mem, &vcfg, count_vtd, &t, NULL)
			 : a64 ? ptdbg_arm64_walk(s.mem, &acpu, PTDBG_ARM64_TTBR0, &wopts, count_visit, &t, NULL)
			       : ptdbg_x86_walk(s.mem, &cfg, count_visit, &t, NULL);
		double dt = now() - t0, dc = cpu_now() - c0;
		if (dc < best_cpu)
			best_cpu = dc;
		if (rc) {
			fprintf(stderr, "ptbench: walk failed: %s\n", ptdbg_target_error(s.t));
			ptdbg_session_detach(&s);
			return 2;
		}
		walk_times[k] = dt;
		if (dt < best_walk) {
			best_walk = dt;
			bytes = s.t->stats.bytes_read - b0;
			reads = s.t->stats.reads - r0;
		}
	}
	/* The link's limit: the same table pages, one batch, no walking; at each depth
	 * asked for (a new attach each), the best. */
	struct ptdbg_io *ios = calloc(t.ntables, sizeof(*ios));
	uint8_t *buf = malloc(t.ntables * 4096);
	if (!ios || !buf)
		return 2;
	unsigned depths[16];
	size_t nd = parse_depths(depths_arg, depths, 16);
	unsigned best_depth = 0;
	struct cmd_best cb = { .wall = 1e9, .cpu = 1e9 };
	if (cmd) {
		/* Paired: the command, then the raw transfer at the (first) depth, in turns,
		 * so that both meet the same moments of a shared machine. The gdbstub has
		 * one client: detach for the command, attach again for the transfer. */
		if (nd)
			s.topts.pipeline_depth = best_depth = depths[0];
		pair_ratio = calloc(repeat ? repeat : 1, sizeof(*pair_ratio));
		cmd_walls = calloc(repeat ? repeat : 1, sizeof(*cmd_walls));
		if (!pair_ratio || !cmd_walls)
			return 2;
		for (uint64_t k = 0; k < repeat; k++) {
			ptdbg_session_detach(&s);
			if (run_best(cmd, &cb))
				return 2;
			if (ptdbg_session_attach(&s))
				return 2;
			double dt = raw_transfer(&s, &t, ios, buf);
			if (dt < 0)
				return 2;
			if (dt < best_raw)
				best_raw = dt;
			pair_ratio[k] = cb.last / dt;
			cmd_walls[k] = cb.last;
			fprintf(stderr, "ptbench: pair %llu: command %.6f s, raw %.6f s\n", (unsigned long long)k, cb.last, dt);
		}
	}
	for (size_t d = 0; !cmd && d < (nd ? nd : 1); d++) {
		if (nd) {
			ptdbg_session_detach(&s);
			s.topts.pipeline_depth = depths[d];
			if (ptdbg_session_attach(&s))
				return 2;
		}
		double best_d = 1e9;
		for (uint64_t k = 0; k < repeat; k++) {
			double dt = raw_transfer(&s, &t, ios, buf);
			if (dt < 0)
				return 2;
			if (dt < best_d)
				best_d = dt;
		}
		if (nd)
			fprintf(stderr, "ptbench: raw transfer at depth %u: %.4f s\n", depths[d], best_d);
		if (best_d < best_raw) {
			best_raw = best_d;
			best_depth = nd ? depths[d] : 0;
		}
	}
	for (uint64_t k = 0; !cmd && k < repeat; k++) {
		char *out = NULL;
		double t0 = now();
		if (ptdbg_monitor(s.t, "info mem", &out) != 0)
			break;
		double dt = now() - t0;
		free(out);
		if (best_mon < 0 || dt < best_mon)
			best_mon = dt;
	}
	/* The median leaves out the first walk when there are three or more: it fills
	 * the cache's pool (page faults that every later walk is spared). */
	uint64_t nwalks = cmd ? 1 : repeat;
	double walk_median = nwalks >= 3 ? median(walk_times + 1, nwalks - 1) : median(walk_times, nwalks);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("%starget=%s leaves=%llu tables=%zu walk_s=%.6f walk_median_s=%.6f walk_cpu_s=%.6f bytes=%llu "
	       "reads=%llu ptes_per_s=%.0f raw_s=%.6f raw_depth=%u raw_bytes=%zu raw_bytes_per_s=%.0f walk_over_raw=%.2f "
	       "info_mem_s=%s%.4f peak_rss_mib=%.1f\n",
	       smmu_sid ? "smmu " : vtd_root ? "vtd " : "", ptdbg_target_backend(s.t), (unsigned long long)t.leaves,
	       t.ntables, best_walk, walk_median, best_cpu, (unsigned long long)bytes, (unsigned long long)reads,
	       t.leaves / best_walk, best_raw, best_depth, t.ntables * 4096, t.ntables * 4096.0 / best_raw, best_walk / best_raw,
	       best_mon < 0 ? "n/a " : "", best_mon < 0 ? 0.0 : best_mon, ru.ru_maxrss / 1024.0);
	if (cmd)
		printf("cmd_wall_s=%.6f cmd_wall_median_s=%.6f cmd_cpu_s=%.6f cmd_peak_rss_mib=%.1f cmd_exit=%d "
		       "pair_ratio_median=%.4f\n",
		       cb.wall, median(cmd_walls, repeat), cb.cpu, cb.rss / 1024.0, WEXITSTATUS(cb.status),
		       median(pair_ratio, repeat));
	free(cmd_walls);
	free(walk_times);
	free(pair_ratio);
	free(ios);
	free(buf);
	free(t.tables);
	ptdbg_session_detach(&s);
	return 0;
}
