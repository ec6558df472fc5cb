/* SPDX-License-Identifier: MIT */
/* Finding an SMMUv3 from a device tree or QEMU's memory tree; see smmu_find.h. */
#include "smmu/smmu_find.h"

#include <stdlib.h>
#include <string.h>

#include "target/ramfilter.h"
#include "target/target.h"

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP        4u
#define FDT_END        9u
#define FDT_MAX_DEPTH  32

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Whether the string list v[0, n) holds want. */
static bool strlist_has(const uint8_t *v, size_t n, const char *want)
{
	size_t wl = strlen(want);
	for (size_t i = 0; i < n;) {
		size_t l = strnlen((const char *)v + i, n - i);
		if (l == wl && !memcmp(v + i, want, wl))
			return true;
		i += l + 1;
	}
	return false;
}

int smmu_fdt_find(const uint8_t *buf, size_t len, uint64_t *base)
{
	if (len < 40 || be32(buf) != FDT_MAGIC)
		return -1;
	uint32_t total = be32(buf + 4), off_struct = be32(buf + 8), off_strings = be32(buf + 12);
	uint32_t size_strings = be32(buf + 32), size_struct = be32(buf + 36);
	/* The blocks must lie in the blob and in what was read (a reader may leave out
	 * the padding after the last block). */
	size_t avail = total < len ? total : len;
	if (total < 40 || off_struct > avail || size_struct > avail - off_struct ||
	    off_strings > avail || size_strings > avail - off_strings)
		return -1;
	const uint8_t *p = buf + off_struct, *end = p + size_struct;
	const char *strs = (const char *)buf + off_strings;
	/* per depth: the #address-cells a node gives its children, and what a node holds */
	unsigned acells[FDT_MAX_DEPTH + 1];
	bool compat[FDT_MAX_DEPTH + 1], have_reg[FDT_MAX_DEPTH + 1];
	uint64_t reg[FDT_MAX_DEPTH + 1];
	int depth = -1;
	acells[0] = 2;
	while (p + 4 <= end) {
		uint32_t tok = be32(p);
		p += 4;
		switch (tok) {
		case FDT_BEGIN_NODE: {
			size_t l = strnlen((const char *)p, (size_t)(end - p));
			if (p + l >= end || depth + 1 >= FDT_MAX_DEPTH)
				return -1;
			p += (l + 1 + 3) & ~(size_t)3;
			depth++;
			acells[depth + 1] = 2; /* the default for its children */
			compat[depth] = have_reg[depth] = false;
			break;
		}
		case FDT_END_NODE:
			if (depth < 0)
				return -1;
			if (compat[depth] && have_reg[depth]) {
				*base = reg[depth];
				return 1;
			}
			depth--;
			break;
		case FDT_PROP: {
			if (p + 8 > end || depth < 0)
				return -1;
			uint32_t plen = be32(p), noff = be32(p + 4);
			p += 8;
			if (plen > (size_t)(end - p) || noff >= size_strings)
				return -1;
			const char *name = strs + noff;
			size_t nmax = size_strings - noff;
			if (strnlen(name, nmax) == nmax)
				return -1;
			if (!strcmp(name, "compatible") && strlist_has(p, plen, "arm,smmu-v3")) {
				compat[depth] = true;
			} else if (!strcmp(name, "#address-cells") && plen == 4) {
				acells[depth + 1] = be32(p);
			} else if (!strcmp(name, "reg")) {
				unsigned ac = acells[depth];
				if (ac >= 1 && ac <= 2 && plen >= ac * 4) {
					reg[depth] = ac == 2 ? (uint64_t)be32(p) << 32 | be32(p + 4) : be32(p);
					have_reg[depth] = true;
				}
			}
			p += (plen + 3) & ~(size_t)3;
			break;
		}
		case FDT_NOP:
			break;
		case FDT_END:
			return 0;
		default:
			return -1;
		}
	}
	return -1;
}

int smmu_fdt_find_mem(struct ptdbg_target *t, uint64_t pa, uint64_t *base)
{
	uint8_t *buf;
	size_t used;
	int rc = ptdbg_fdt_read(t, pa, &buf, &used);
	if (rc)
		return ptdbg_link_error(rc) ? rc : 0;
	int found = smmu_fdt_find(buf, used, base);
	free(buf);
	return found == 1;
}

bool smmu_mtree_find(const char *text, uint64_t *base)
{
	/* lines such as "  0000000009050000-000000000906ffff (prio 0, i/o): smmuv3" */
	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		const char *colon = memchr(line, ':', n);
		if (colon) {
			const char *name = colon + 1;
			while (name < line + n && *name == ' ')
				name++;
			size_t nl2 = (size_t)(line + n - name);
			while (nl2 && (name[nl2 - 1] == '\r' || name[nl2 - 1] == ' '))
				nl2--;
			bool hit = (nl2 == 6 && !strncmp(name, "smmuv3", 6)) ||
				   (nl2 == 10 && !strncmp(name, "arm-smmuv3", 10));
			if (hit && memmem(line, n, "i/o", 3)) {
				const char *q = line;
				while (q < colon && *q == ' ')
					q++;
				char *e;
				unsigned long long v = strtoull(q, &e, 16);
				if (e != q && *e == '-') {
					*base = v;
					return true;
				}
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	return false;
}
