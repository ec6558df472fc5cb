/* SPDX-License-Identifier: MIT */
/*
 * The text file of recorded access cases (tests/data/access-*.txt): what the access
 * scenario's CPU decided, kept so that the unit tests replay it without QEMU.
 *
 *   # comment
 *   arch x86-64|aarch64
 *   maxphyaddr N          (x86-64)
 *   pdpe1gb 0|1           (x86-64)
 *   skipped N
 *   c VA LEAF TOP E1 E2 E3 E4 E5 STATE0 STATE1 STATE2 STATE3 PKRU ACCESS OUTCOME VECTOR CODE ADDR LIVE
 *
 * (the fields of struct ptdbg_access_case; on AArch64 E1..E5 are lookup levels 3..-1,
 * STATE0..3 SCTLR_EL1, TCR_EL1, PSTATE, ID_AA64MMFR0_EL1, VECTOR the exception class,
 * CODE ESR_EL1, ADDR FAR_EL1)
 *
 * Every number of a `c` line is hexadecimal without a prefix.
 */
#ifndef PTDBG_TEST_ACCESS_FILE_H
#define PTDBG_TEST_ACCESS_FILE_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptdbg/abi.h"

struct access_file {
	char arch[16];
	unsigned maxphyaddr;
	int pdpe1gb;
	unsigned skipped;
	struct ptdbg_access_case *cases;
	size_t n;
};

/* Write f to out. */
static inline void access_file_write(FILE *out, const struct access_file *f)
{
	fprintf(out, "# ptdbg access cases, recorded by the access scenario (tests/integration/access.sh)\n");
	fprintf(out, "arch %s\n", f->arch);
	if (!strcmp(f->arch, "x86-64"))
		fprintf(out, "maxphyaddr %u\npdpe1gb %d\n", f->maxphyaddr, f->pdpe1gb);
	fprintf(out, "skipped %u\n", f->skipped);
	for (size_t i = 0; i < f->n; i++) {
		const struct ptdbg_access_case *c = &f->cases[i];
		fprintf(out, "c %" PRIx64 " %x %x", c->va, c->leaf_level, c->top_level);
		for (int l = 1; l <= 5; l++)
			fprintf(out, " %" PRIx64, c->entry[l]);
		for (int k = 0; k < 4; k++)
			fprintf(out, " %" PRIx64, c->state[k]);
		fprintf(out, " %" PRIx32 " %" PRIx32 " %" PRIx32 " %" PRIx64 " %" PRIx64 " %" PRIx64
			" %" PRIx64 "\n", c->pkru, c->access, c->outcome, c->fault_vector, c->fault_code,
			c->fault_addr, c->live_va);
	}
}

/* Read path into *f (a path ending ".gz" through gzip -dc). Returns 0, or -1 with a
 * message on stderr. */
static inline int access_file_read(const char *path, struct access_file *f)
{
	size_t plen = strlen(path);
	bool gz = plen > 3 && !strcmp(path + plen - 3, ".gz");
	char cmd[600];
	if (gz && (strchr(path, '\'') || snprintf(cmd, sizeof(cmd), "gzip -dc -- '%s'", path) >= (int)sizeof(cmd)))
		return fprintf(stderr, "%s: path not usable\n", path), -1;
	FILE *in = gz ? popen(cmd, "r") : fopen(path, "r");
	char line[512];
	size_t cap = 0, lineno = 0;

	memset(f, 0, sizeof(*f));
	if (!in) {
		fprintf(stderr, "%s: cannot open\n", path);
		return -1;
	}
	while (fgets(line, sizeof(line), in)) {
		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "arch %15s", f->arch) == 1 ||
		    sscanf(line, "maxphyaddr %u", &f->maxphyaddr) == 1 ||
		    sscanf(line, "pdpe1gb %d", &f->pdpe1gb) == 1 ||
		    sscanf(line, "skipped %u", &f->skipped) == 1)
			continue;
		if (f->n == cap) {
			cap = cap ? cap * 2 : 1024;
			void *p = realloc(f->cases, cap * sizeof(*f->cases));
			if (!p)
				break;
			f->cases = p;
		}
		struct ptdbg_access_case *c = &f->cases[f->n];
		unsigned leaf, top;
		memset(c, 0, sizeof(*c));
		if (sscanf(line, "c %" SCNx64 " %x %x %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64
			   " %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx32
			   " %" SCNx32 " %" SCNx32 " %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64,
			   &c->va, &leaf, &top, &c->entry[1], &c->entry[2], &c->entry[3], &c->entry[4],
			   &c->entry[5], &c->state[0], &c->state[1], &c->state[2], &c->state[3],
			   &c->pkru, &c->access, &c->outcome, &c->fault_vector, &c->fault_code,
			   &c->fault_addr, &c->live_va) != 19 || leaf > 5 || top > 5) {
			fprintf(stderr, "%s:%zu: not a case line\n", path, lineno);
			gz ? pclose(in) : fclose(in);
			free(f->cases);
			f->cases = NULL;
			return -1;
		}
		c->leaf_level = (uint8_t)leaf;
		c->top_level = (uint8_t)top;
		f->n++;
	}
	if (gz ? pclose(in) != 0 : fclose(in) != 0) {
		fprintf(stderr, "%s: read failed\n", path);
		free(f->cases);
		f->cases = NULL;
		return -1;
	}
	return 0;
}

#endif /* PTDBG_TEST_ACCESS_FILE_H */
