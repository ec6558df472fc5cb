/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the reference kernel's device tree reader (kernel/core/fdt.c,
 * built here for the host): the header check, the walk over the structure block
 * and the name and string-list helpers, as the AArch64 kernel uses them on the
 * blob QEMU passes. The tools' own device tree search (smmu_fdt_find) is fed by the
 * smmu target, their IORT reader by the iort target.
 *
 * Input: the blob, as is. Every property the walk hands out is read whole: its
 * name (strlen, as the kernel's strcmp does), its value (len bytes), every node
 * name on its path, and the helpers over them.
 *
 * The seeds (corpus/fdt) are QEMU virt's own blobs, dumped with
 * -machine dumpdtb=FILE (with and without iommu=smmuv3), copied by mkseeds --fdt.
 */
#include <stdlib.h>

#include "fuzz_input.h"
#include "../../kernel/core/fdt.c"

/* The kernel's own (kernel/lib/string.c), for the host. */
size_t strnlen_k(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && s[i])
		i++;
	return i;
}

static int visit(const struct fdt_prop *p, void *ctx)
{
	unsigned *sum = ctx;

	*sum += (unsigned)strlen(p->name);
	for (uint32_t i = 0; i < p->len; i++)
		*sum += p->value[i];
	for (int d = 0; d <= p->depth; d++)
		*sum += (unsigned)fdt_node_is(p->path[d], "memory") + (unsigned)fdt_node_is(p->path[d], "pcie");
	*sum += (unsigned)fdt_strlist_has(p, "arm,gic-v3") + (unsigned)fdt_strlist_has(p, "arm,smmu-v3");
	if (p->len >= 8)
		*sum += (unsigned)fdt_cells(p->value, 0, 2);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy: a read past the blob is a read past the allocation */
	uint8_t *blob = malloc(size ? size : 1);
	unsigned sum = 0;

	if (!blob)
		return 0;
	memcpy(blob, data, size);
	if (size >= 40 && fdt_valid(blob, size))
		(void)fdt_walk(blob, visit, &sum);
	free(blob);
	fputc((int)(sum & 0x7f), fz_sink());
	return 0;
}
