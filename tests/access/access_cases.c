/* SPDX-License-Identifier: MIT */
/*
 * access_cases: the access scenario's cases against ptdbg's permission logic.
 *
 *   access_cases fetch [-t TARGET] [-k KERNEL] FILE   read the cases the kernel recorded
 *                                                     in its debug region into FILE
 *   access_cases check FILE                           predict every case with the library
 *                                                     (ptdbg_x86_access_predict) and compare
 *                                                     with the CPU; print each disagreement
 *   access_cases live FILE                            the cases still mapped in the kernel's
 *                                                     space: "VA ptdump-walk-flags RESULT"
 *   access_cases merge OUT FILE...                    the cases of several runs (one
 *                                                     architecture) in one file
 *
 * The architecture comes from the region (fetch) or the file's `arch` line: x86-64
 * cases are predicted by ptdbg_x86_access_predict(), AArch64 ones by
 * ptdbg_arm64_access_predict(). RESULT of `live` is "allowed", or "fault CODE" with
 * the #PF error code (x86-64) or ESR_EL1 (AArch64).
 *
 * Exit status: 0 all agree (or done), 1 some disagree, 2 error.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access_file.h"
#include "cli/session.h"
#include "arm64/arm64_access.h"
#include "x86/x86_access.h"

static int usage(void)
{
	fprintf(stderr, "usage: access_cases fetch [-t TARGET] [-k KERNEL] FILE | check FILE | live FILE | merge OUT FILE...\n");
	return 2;
}

static int fetch(int argc, char **argv)
{
	struct ptdbg_session s;
	const char *out_path = NULL;

	ptdbg_session_init(&s, "access_cases");
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "-t") && i + 1 < argc)
			s.topts.spec = argv[++i];
		else if (!strcmp(argv[i], "-k") && i + 1 < argc)
			s.kernel = argv[++i];
		else if (!out_path && argv[i][0] != '-')
			out_path = argv[i];
		else
			return usage();
	}
	if (!out_path)
		return usage();
	s.topts.no_fast_path = true;
	if (ptdbg_session_attach(&s))
		return 2;
	if (!s.have_region) {
		fprintf(stderr, "access_cases: the guest exports no debug region: %s\n", s.region_why);
		ptdbg_session_detach(&s);
		return 2;
	}
	struct access_file f = {
		.maxphyaddr = s.region.hdr.cpu.maxphyaddr, .pdpe1gb = 1,
		.skipped = s.region.hdr.access.skipped,
	};
	strcpy(f.arch, s.region.hdr.arch == PTDBG_ARCH_AARCH64 ? "aarch64" : "x86-64");
	int rc = ptdbg_region_access_cases(s.t, &s.region, &f.cases, &f.n);
	ptdbg_session_detach(&s);
	if (rc || !f.n) {
		fprintf(stderr, "access_cases: no access cases in the region (scenario=access?)\n");
		return 2;
	}
	FILE *out = fopen(out_path, "w");
	if (!out) {
		fprintf(stderr, "access_cases: cannot write %s\n", out_path);
		return 2;
	}
	access_file_write(out, &f);
	fclose(out);
	printf("%zu cases, %u skipped\n", f.n, f.skipped);
	free(f.cases);
	return 0;
}

/* check for AArch64 cases: every case through ptdbg_arm64_access_predict(). */
static int check_arm64(struct access_file *f)
{
	size_t bad = 0, allowed = 0, nkinds = 0;
	struct kind { uint64_t cpu, ours; size_t n; } kinds[64];

	for (size_t i = 0; i < f->n; i++) {
		const struct ptdbg_access_case *c = &f->cases[i];
		struct ptdbg_arm64_prediction p;
		if (ptdbg_arm64_access_predict(c, &p)) {
			fprintf(stderr, "access_cases: case %zu does not describe a path\n", i);
			bad++;
			continue;
		}
		allowed += c->outcome == PTDBG_ACCESS_ALLOWED;
		if (ptdbg_arm64_access_agrees(c, &p))
			continue;
		uint64_t cpu = c->outcome == PTDBG_ACCESS_ALLOWED ? 0 : c->fault_code;
		uint64_t ours = p.allowed ? 0 : p.esr;
		size_t k = 0;
		while (k < nkinds && (kinds[k].cpu != cpu || kinds[k].ours != ours))
			k++;
		if (k == nkinds && nkinds < 64)
			kinds[nkinds++] = (struct kind){ cpu, ours, 0 };
		if (k < nkinds)
			kinds[k].n++;
		if (bad < 20) {
			printf("DISAGREE case %zu\n", i);
			ptdbg_arm64_access_print(stdout, c, &p);
		}
		bad++;
	}
	for (size_t k = 0; k < nkinds; k++) {
		char a[32] = "allowed", b[32] = "allowed";
		if (kinds[k].cpu)
			snprintf(a, sizeof(a), "ESR 0x%" PRIx64, kinds[k].cpu);
		if (kinds[k].ours)
			snprintf(b, sizeof(b), "ESR 0x%" PRIx64, kinds[k].ours);
		printf("disagreements: %zu where the CPU says %s and ptdbg %s\n", kinds[k].n, a, b);
	}
	printf("%zu cases (%zu allowed, %zu faulted by the CPU), %u skipped: %zu agree, %zu disagree\n",
	       f->n, allowed, f->n - allowed, f->skipped, f->n - bad, bad);
	free(f->cases);
	return bad ? 1 : 0;
}

static int check(const char *path)
{
	struct access_file f;
	size_t bad = 0, allowed = 0, nkinds = 0, quirk = 0;
	struct kind { uint64_t cpu, ours; size_t n; } kinds[64];

	if (access_file_read(path, &f))
		return 2;
	if (!strcmp(f.arch, "aarch64"))
		return check_arm64(&f);
	for (size_t i = 0; i < f.n; i++) {
		struct ptdbg_x86_prediction p;
		if (ptdbg_x86_access_predict(&f.cases[i], f.maxphyaddr, f.pdpe1gb, &p)) {
			fprintf(stderr, "access_cases: case %zu does not describe a path\n", i);
			bad++;
			continue;
		}
		allowed += f.cases[i].outcome == PTDBG_ACCESS_ALLOWED;
		enum ptdbg_x86_agreement a = ptdbg_x86_access_agrees(&f.cases[i], &p);
		quirk += a == PTDBG_X86_AGREE_BUT_QEMU_RSVD_P;
		if (a == PTDBG_X86_DISAGREE) {
			uint64_t cpu = f.cases[i].outcome == PTDBG_ACCESS_ALLOWED ? ~0ull : f.cases[i].fault_code;
			uint64_t ours = p.allowed ? ~0ull : p.pf_error;
			size_t k = 0;
			while (k < nkinds && (kinds[k].cpu != cpu || kinds[k].ours != ours))
				k++;
			if (k == nkinds && nkinds < 64)
				kinds[nkinds++] = (struct kind){ cpu, ours, 0 };
			if (k < nkinds)
				kinds[k].n++;
			if (bad < 20) {
				printf("DISAGREE case %zu\n", i);
				ptdbg_x86_access_print(stdout, &f.cases[i], &p);
			}
			bad++;
		}
	}
	for (size_t k = 0; k < nkinds; k++)
		printf("disagreements: %zu where the CPU says %s%" PRIx64 " and ptdbg %s%" PRIx64 "\n",
		       kinds[k].n, kinds[k].cpu == ~0ull ? "allowed " : "#PF ", kinds[k].cpu,
		       kinds[k].ours == ~0ull ? "allowed " : "#PF ", kinds[k].ours);
	printf("%zu cases (%zu allowed, %zu faulted by the CPU), %u skipped: %zu agree, %zu disagree\n",
	       f.n, allowed, f.n - allowed, f.skipped, f.n - bad, bad);
	if (quirk)
		printf("of those that agree, %zu are reserved-bit faults that QEMU reports without P "
		       "(the SDM sets P with RSVD; ptdbg says P)\n", quirk);
	free(f.cases);
	return bad ? 1 : 0;
}

static int live(const char *path)
{
	struct access_file f;

	if (access_file_read(path, &f))
		return 2;
	for (size_t i = 0; i < f.n; i++) {
		const struct ptdbg_access_case *c = &f.cases[i];
		if (!c->live_va)
			continue;
		printf("%" PRIx64 " %s%s%s- %s %" PRIx64 "\n", c->live_va,
		       c->access & PTDBG_ACCESS_USER ? "--user " : "",
		       c->access & PTDBG_ACCESS_WRITE ? "--write " : "",
		       c->access & PTDBG_ACCESS_FETCH ? "--exec " : "",
		       c->outcome == PTDBG_ACCESS_ALLOWED ? "allowed" : "fault", c->fault_code);
	}
	free(f.cases);
	return 0;
}

/* Concatenate the cases of in[0..n) (one architecture) into out_path. */
static int merge(const char *out_path, char **in, int n)
{
	struct access_file all = { 0 };
	size_t cap = 0;

	for (int i = 0; i < n; i++) {
		struct access_file f;
		if (access_file_read(in[i], &f))
			return 2;
		if (i && strcmp(f.arch, all.arch)) {
			fprintf(stderr, "access_cases: %s is %s, not %s\n", in[i], f.arch, all.arch);
			return 2;
		}
		if (!i)
			all = (struct access_file){ .maxphyaddr = f.maxphyaddr, .pdpe1gb = f.pdpe1gb };
		memcpy(all.arch, f.arch, sizeof(all.arch));
		all.skipped += f.skipped;
		if (all.n + f.n > cap) {
			cap = all.n + f.n;
			void *p = realloc(all.cases, cap * sizeof(*all.cases));
			if (!p)
				return 2;
			all.cases = p;
		}
		memcpy(all.cases + all.n, f.cases, f.n * sizeof(*f.cases));
		all.n += f.n;
		free(f.cases);
	}
	FILE *out = fopen(out_path, "w");
	if (!out) {
		fprintf(stderr, "access_cases: cannot write %s\n", out_path);
		return 2;
	}
	access_file_write(out, &all);
	fclose(out);
	printf("%zu cases, %u skipped\n", all.n, all.skipped);
	free(all.cases);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "merge"))
		return merge(argv[2], argv + 3, argc - 3);
	if (argc >= 2 && !strcmp(argv[1], "fetch"))
		return fetch(argc, argv);
	if (argc == 3 && !strcmp(argv[1], "check"))
		return check(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "live"))
		return live(argv[2]);
	return usage();
}
