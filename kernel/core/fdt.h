/* A small reader of flattened device trees (the blob QEMU's virt machine passes):
 * one pass over the structure block, every property handed to a visitor. */
#ifndef KERNEL_CORE_FDT_H
#define KERNEL_CORE_FDT_H

#include <stdint.h>

#define FDT_MAGIC 0xd00dfeedu
#define FDT_MAX_DEPTH 16

/* One property: the names of the nodes from the root down to its own (path[0] is
 * the root, ""), the property name, and its raw big-endian value. */
struct fdt_prop {
	int depth;                        /* the node's depth: 0 for the root */
	const char *path[FDT_MAX_DEPTH];  /* node names, unit address included */
	const char *name;
	const uint8_t *value;
	uint32_t len;
};

/* Size of a valid blob at va (magic, version >= 16, sane offsets), or 0. */
uint32_t fdt_valid(const void *va, uint64_t max_len);
/* Call visit for every property of the tree in order; stop early when it
 * returns nonzero. Returns 0, or -1 for a malformed structure block. */
int fdt_walk(const void *blob, int (*visit)(const struct fdt_prop *p, void *ctx), void *ctx);
/* Big-endian cell i of a property value. */
static inline uint32_t fdt_cell(const uint8_t *v, uint32_t i)
{
	v += 4 * i;
	return (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 | (uint32_t)v[2] << 8 | v[3];
}
/* A value of `cells` cells starting at cell i: 0 when cells is 0 (nothing is read),
 * else the low 64 bits (its last one or two cells; the caller has bounded cells i to
 * i + cells - 1 by the property's length). */
static inline uint64_t fdt_cells(const uint8_t *v, uint32_t i, uint32_t cells)
{
	if (cells == 0)
		return 0;
	if (cells == 1)
		return fdt_cell(v, i);
	return (uint64_t)fdt_cell(v, i + cells - 2) << 32 | fdt_cell(v, i + cells - 1);
}
/* Whether a node name is `base` or `base@...`. */
int fdt_node_is(const char *node, const char *base);
/* Whether a string-list property value contains s. */
int fdt_strlist_has(const struct fdt_prop *p, const char *s);

#endif
