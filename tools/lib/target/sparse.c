/* SPDX-License-Identifier: MIT */
/* The sparse backend: a few 4 KiB pages at chosen physical addresses, the rest
 * zero or absent (replaying recorded tables, fuzzing). */
#include "target/target.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct sparse {
	struct ptdbg_sparse_page *pages; /* sorted by pa */
	size_t n;
	bool holes_read_zero;
	struct ptdbg_regs regs;
};

static int page_cmp(const void *a, const void *b)
{
	uint64_t x = ((const struct ptdbg_sparse_page *)a)->pa;
	uint64_t y = ((const struct ptdbg_sparse_page *)b)->pa;
	return x < y ? -1 : x > y;
}

/* The page holding pa, or NULL. */
static const struct ptdbg_sparse_page *find(const struct sparse *sp, uint64_t pa)
{
	struct ptdbg_sparse_page key = { .pa = pa & ~0xfffull };
	return bsearch(&key, sp->pages, sp->n, sizeof(key), page_cmp);
}

/* Copy [pa, pa+len) page by page; a missing page reads as zeros or fails. */
static int sparse_read(struct ptdbg_target *t, uint64_t pa, void *buf, size_t len)
{
	struct sparse *sp = t->priv;
	uint8_t *out = buf;

	while (len) {
		size_t off = (size_t)(pa & 0xfff), chunk = 4096 - off;
		if (chunk > len)
			chunk = len;
		const struct ptdbg_sparse_page *p = find(sp, pa);
		if (p)
			memcpy(out, p->data + off, chunk);
		else if (sp->holes_read_zero)
			memset(out, 0, chunk);
		else
			return ptdbg_target_fail(t, PTDBG_EIO, "sparse: nothing at 0x%" PRIx64, pa);
		out += chunk;
		pa += chunk;
		len -= chunk;
		t->stats.bytes_read += chunk;
	}
	t->stats.reads++;
	return 0;
}

static int sparse_regs(struct ptdbg_target *t, struct ptdbg_regs *regs)
{
	*regs = ((struct sparse *)t->priv)->regs;
	return 0;
}

static void sparse_close(struct ptdbg_target *t)
{
	struct sparse *sp = t->priv;
	free(sp->pages);
	free(sp);
	free(t);
}

static const struct ptdbg_target_ops sparse_ops = {
	.name = "sparse",
	.local = true,
	.read_phys = sparse_read,
	.read_regs = sparse_regs,
	.close = sparse_close,
};

struct ptdbg_target *ptdbg_sparse_open(const struct ptdbg_sparse_page *pages, size_t n,
				       bool holes_read_zero, const struct ptdbg_regs *regs)
{
	struct ptdbg_target *t = calloc(1, sizeof(*t));
	struct sparse *sp = calloc(1, sizeof(*sp));
	struct ptdbg_sparse_page *copy = calloc(n ? n : 1, sizeof(*copy));

	if (!t || !sp || !copy) {
		free(t);
		free(sp);
		free(copy);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		copy[i] = pages[i];
		copy[i].pa &= ~0xfffull;
	}
	qsort(copy, n, sizeof(*copy), page_cmp);
	sp->pages = copy;
	sp->n = n;
	sp->holes_read_zero = holes_read_zero;
	if (regs)
		sp->regs = *regs;
	t->ops = &sparse_ops;
	t->priv = sp;
	return t;
}
