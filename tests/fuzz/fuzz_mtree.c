/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: QEMU's memory map as `info mtree -f` prints it (ram.h): the parser
 * that finds the ram ranges of address space "memory", and the range set it fills.
 * Input: the monitor's text, as is (a NUL ends it early).
 *
 * Besides crashes, a range set that breaks its contract is a finding (abort): at
 * most PTDBG_RAM_MAX_RANGES ranges, 4 KiB aligned, sorted, disjoint and not
 * touching (touching ranges are merged), the total their sum.
 *
 * The seeds (corpus/mtree) are cut by mkseeds.c --mtree from the monitor of a
 * q35 and a virt machine (tests/fuzz/README.md).
 */
#include <stdlib.h>

#include "fuzz_input.h"
#include "target/ram.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct ptdbg_ram ram = { .n = 0 };

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	int rc = ptdbg_ram_from_mtree(text, &ram);
	free(text);
	if ((rc == 0) != (ram.n > 0) || ram.n > PTDBG_RAM_MAX_RANGES)
		abort();
	uint64_t sum = 0;
	for (size_t i = 0; i < ram.n; i++) {
		const struct ptdbg_ram_range *r = &ram.r[i];
		if ((r->pa | r->len) & 4095 || !r->len || r->pa + r->len < r->pa)
			abort();
		if (i && ram.r[i - 1].pa + ram.r[i - 1].len >= r->pa)
			abort();
		sum += r->len;
	}
	if (sum != ptdbg_ram_bytes(&ram))
		abort();
	return 0;
}
