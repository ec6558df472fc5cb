/* Flattened device tree reader (see fdt.h; format: devicetree.org specification,
 * "Flattened Devicetree (DTB) Format"). Everything in the blob is untrusted: every
 * offset and length is bounded by the blob's size. */
#include "core/fdt.h"
#include "lib/string.h"

#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP        4u
#define FDT_END        9u

struct fdt_header {
	uint32_t magic, totalsize, off_dt_struct, off_dt_strings, off_mem_rsvmap;
	uint32_t version, last_comp_version, boot_cpuid_phys, size_dt_strings, size_dt_struct;
};

static uint32_t be32(const void *p) { return fdt_cell(p, 0); }

/* Validate the header. */
uint32_t fdt_valid(const void *va, uint64_t max_len)
{
	const struct fdt_header *h = va;
	if (!va || be32(&h->magic) != FDT_MAGIC)
		return 0;
	uint32_t size = be32(&h->totalsize);
	if (size < sizeof(*h) || size > max_len || be32(&h->version) < 16)
		return 0;
	uint32_t so = be32(&h->off_dt_struct), ss = be32(&h->size_dt_struct);
	uint32_t to = be32(&h->off_dt_strings), ts = be32(&h->size_dt_strings);
	if (so > size || ss > size - so || to > size || ts > size - to)
		return 0;
	return size;
}

/* One pass over the structure block. */
int fdt_walk(const void *blob, int (*visit)(const struct fdt_prop *p, void *ctx), void *ctx)
{
	const struct fdt_header *h = blob;
	const uint8_t *base = blob;
	const uint8_t *p = base + be32(&h->off_dt_struct);
	const uint8_t *end = p + be32(&h->size_dt_struct);
	const char *strings = (const char *)base + be32(&h->off_dt_strings);
	uint32_t strings_len = be32(&h->size_dt_strings);
	struct fdt_prop prop;
	int depth = -1;
	while (p + 4 <= end) {
		uint32_t tok = be32(p);
		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;
			size_t n = strnlen_k(name, (size_t)(end - p));
			if (p + n >= end || ++depth >= FDT_MAX_DEPTH)
				return -1;
			prop.path[depth] = name;
			p += (n + 1 + 3) & ~(size_t)3;
		} else if (tok == FDT_END_NODE) {
			if (--depth < -1)
				return -1;
		} else if (tok == FDT_PROP) {
			if (p + 8 > end || depth < 0)
				return -1;
			uint32_t len = be32(p), nameoff = be32(p + 4);
			p += 8;
			/* the name must end inside the strings block */
			if (len > (uint64_t)(end - p) || nameoff >= strings_len ||
			    strnlen_k(strings + nameoff, strings_len - nameoff) == strings_len - nameoff)
				return -1;
			prop.depth = depth;
			prop.name = strings + nameoff;
			prop.value = p;
			prop.len = len;
			if (visit(&prop, ctx))
				return 0;
			p += (len + 3) & ~(uint32_t)3;
		} else if (tok == FDT_NOP) {
			continue;
		} else if (tok == FDT_END) {
			return 0;
		} else {
			return -1;
		}
	}
	return -1;
}

/* "memory" matches "memory" and "memory@40000000". */
int fdt_node_is(const char *node, const char *base)
{
	size_t n = strlen(base);
	return !strncmp(node, base, n) && (node[n] == 0 || node[n] == '@');
}

/* Whether the NUL-separated list holds s. */
int fdt_strlist_has(const struct fdt_prop *p, const char *s)
{
	const char *v = (const char *)p->value;
	uint32_t off = 0;
	while (off < p->len) {
		size_t n = strnlen_k(v + off, p->len - off);
		if (off + n < p->len && !strcmp(v + off, s))
			return 1;
		off += (uint32_t)n + 1;
	}
	return 0;
}
