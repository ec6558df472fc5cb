/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: GDB target descriptions (tdesc.h): the scan that finds the
 * architecture and the number and size of every register of ptdbg_reg_table by
 * name, following includes; then the registers read by those numbers and sizes
 * as the gdbstub backend stores them, and the AArch64 decoder's view of them
 * (the translation regime from TCR/SCTLR/MMFR0, what is missing, the printers).
 *
 * Input: 26 u64 register values (by ptdbg_reg_table index, 208 bytes), then
 * XML documents separated by NUL bytes: the first is target.xml; the k-th include
 * met (from 0, whatever its href) fetches document 1 + k % (documents - 1), as a
 * stub serves them in order, or fails when there is only one; includes nest at
 * most 4 deep (as the gdbstub backend).
 *
 * The seeds (corpus/tdesc) are cut by mkseeds.c --tdesc from the target
 * descriptions QEMU serves for q35 and virt (tests/fuzz/README.md).
 */
#include <stdlib.h>

#include "arm64/arm64_regs.h"
#include "arm64/arm64_walk.h"
#include "fuzz_input.h"
#include "target/tdesc.h"

#define NVALS 26
#define HDR   (8 * NVALS)
#define MAX_DOCS 16

struct docs {
	char *doc[MAX_DOCS];
	size_t n;
	int depth;
	unsigned next; /* includes met so far */
	struct ptdbg_tdesc *td;
};

static int include(void *ctx, const char *href)
{
	struct docs *d = ctx;
	(void)href;
	if (d->n < 2 || d->depth >= 4)
		return PTDBG_EFORMAT;
	d->depth++;
	int rc = ptdbg_tdesc_scan(d->td, d->doc[1 + d->next++ % (d->n - 1)], include, d);
	d->depth--;
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size, 0 };
	uint64_t val[NVALS];
	size_t len;

	for (size_t i = 0; i < NVALS; i++)
		val[i] = fz_u64(&f);
	const uint8_t *rest = fz_rest(&f, HDR, &len);
	char *copy = malloc(len + 1);
	if (!copy)
		return 0;
	memcpy(copy, rest, len);
	copy[len] = 0;

	struct ptdbg_tdesc td;
	struct docs d = { .td = &td };
	for (char *p = copy; d.n < MAX_DOCS && p <= copy + len; p += strlen(p) + 1)
		d.doc[d.n++] = p;
	ptdbg_tdesc_init(&td);
	int rc = ptdbg_tdesc_scan(&td, d.doc[0], include, &d);

	/* The registers as the gdbstub backend stores what `p NN` answers. */
	struct ptdbg_regs regs = { 0 };
	regs.arch = ptdbg_tdesc_arch(&td);
	for (size_t i = 0; rc == 0 && i < PTDBG_NREGS && i < NVALS; i++) {
		size_t nbytes = td.regbits[i] / 8;
		if (td.regno[i] < 0 || nbytes == 0 || nbytes > 8 || regs.valid & ptdbg_reg_table[i].bit)
			continue;
		uint64_t v = nbytes == 8 ? val[i] : val[i] & ((1ull << (8 * nbytes)) - 1);
		if (ptdbg_reg_table[i].is32)
			*(uint32_t *)((char *)&regs + ptdbg_reg_table[i].off) = (uint32_t)v;
		else
			*(uint64_t *)((char *)&regs + ptdbg_reg_table[i].off) = v;
		regs.valid |= ptdbg_reg_table[i].bit;
	}
	FILE *sink = fz_sink();
	fputs(ptdbg_arch_name(ptdbg_regs_arch(&regs)), sink);
	if (ptdbg_regs_arch(&regs) == PTDBG_ARCH_AARCH64) {
		struct ptdbg_arm64_cpu cpu;
		char text[256];
		ptdbg_arm64_cpu_from_regs(&cpu, &regs);
		(void)ptdbg_arm64_regs_missing(&regs);
		(void)ptdbg_arm64_mmu_on(&cpu);
		(void)ptdbg_arm64_el(&cpu);
		ptdbg_arm64_print_regs(sink, &regs, NULL, NULL);
		struct ptdbg_json *j = ptdbg_json_new(sink);
		if (j) {
			ptdbg_arm64_json_regs(j, &regs);
			ptdbg_json_free(j);
		}
		for (unsigned h = 0; h < 2; h++)
			fputs(ptdbg_arm64_half_text(&cpu, h, text, sizeof(text)), sink);
		fputs(ptdbg_arm64_exception_text(&cpu, text, sizeof(text)), sink);
	}
	free(copy);
	return 0;
}
