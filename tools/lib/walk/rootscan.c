/* SPDX-License-Identifier: MIT */
/* Finding page-table roots by scanning RAM for a shared window (rootscan.h). */
#include <stdlib.h>
#include <string.h>

#include "walk/rootscan.h"

#define CHUNK (1u << 20)  /* bytes per read on a fast target */
#define BATCH 4096u       /* probes per batch on a link */

struct hits {
	uint64_t *v;
	size_t n, cap;
};

static int hit(struct hits *h, uint64_t pa)
{
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 64;
		uint64_t *v = realloc(h->v, cap * sizeof(*v));
		if (!v)
			return PTDBG_ENOMEM;
		h->v = v;
		h->cap = cap;
	}
	h->v[h->n++] = pa;
	return 0;
}

static bool window_eq(const struct ptdbg_rootscan *c, uint64_t pa, const uint8_t *frame)
{
	if (c->accept)
		return c->accept(c->actx, pa, frame);
	return memcmp(frame + c->off, c->ref, c->len) == 0;
}

/* Fast target: read ranges in chunks; an unreadable chunk is read frame by frame. */
static int scan_chunks(struct ptdbg_target *t, const struct ptdbg_ram *ram, const struct ptdbg_rootscan *c,
		       struct hits *h, uint64_t *bad, uint64_t total)
{
	uint8_t *buf = malloc(CHUNK);
	if (!buf)
		return PTDBG_ENOMEM;
	uint64_t done = 0;
	int rc = 0;
	for (size_t i = 0; i < ram->n && rc == 0; i++) {
		for (uint64_t off = 0; off < ram->r[i].len && rc == 0; off += CHUNK) {
			uint64_t pa = ram->r[i].pa + off;
			size_t len = ram->r[i].len - off < CHUNK ? (size_t)(ram->r[i].len - off) : CHUNK;
			int r = ptdbg_read_phys(t, pa, buf, len);
			if (ptdbg_link_error(r)) {
				rc = r;
				break;
			}
			for (size_t f = 0; f < len && rc == 0; f += 4096) {
				if (r && ptdbg_read_phys(t, pa + f, buf + f, 4096)) {
					(*bad)++;
					continue;
				}
				if (window_eq(c, pa + f, buf + f))
					rc = hit(h, pa + f);
			}
			done += len / 4096;
			if (c->progress)
				c->progress(c->ctx, done, total);
		}
	}
	free(buf);
	return rc;
}

/* Link: probe one word of every frame in pipelined batches, then read the window of
 * the frames whose word matched. */
static int scan_probe(struct ptdbg_target *t, const struct ptdbg_ram *ram, const struct ptdbg_rootscan *c,
		      struct hits *h, uint64_t *bad, uint64_t total)
{
	struct ptdbg_io *ios = calloc(BATCH, sizeof(*ios));
	uint64_t *words = calloc(BATCH, sizeof(*words));
	uint8_t *win = malloc(c->len);
	int rc = (!ios || !words || !win) ? PTDBG_ENOMEM : 0;
	uint64_t want, done = 0;
	memcpy(&want, c->ref + (c->probe_off - c->off), 8);
	size_t ri = 0;
	uint64_t roff = 0;
	while (rc == 0 && ri < ram->n) {
		size_t n = 0;
		for (; n < BATCH && ri < ram->n; n++) {
			ios[n] = (struct ptdbg_io){ .pa = ram->r[ri].pa + roff + c->probe_off, .len = 8,
						    .buf = &words[n] };
			roff += 4096;
			if (roff >= ram->r[ri].len) {
				ri++;
				roff = 0;
			}
		}
		rc = ptdbg_read_phys_batch(t, ios, n);
		for (size_t k = 0; k < n && rc == 0; k++) {
			if (ios[k].err) {
				(*bad)++;
				continue;
			}
			if (words[k] != want)
				continue;
			uint64_t frame = ios[k].pa - c->probe_off;
			int r = ptdbg_read_phys(t, frame + c->off, win, c->len);
			if (ptdbg_link_error(r))
				rc = r;
			else if (r)
				(*bad)++;
			else if (memcmp(win, c->ref, c->len) == 0)
				rc = hit(h, frame);
		}
		done += n;
		if (rc == 0 && c->progress)
			c->progress(c->ctx, done, total);
	}
	free(ios);
	free(words);
	free(win);
	return rc;
}

/* Link, with a predicate: whole frames in pipelined batches. */
static int scan_frames(struct ptdbg_target *t, const struct ptdbg_ram *ram, const struct ptdbg_rootscan *c,
		       struct hits *h, uint64_t *bad, uint64_t total)
{
	enum { NF = 256 };
	struct ptdbg_io *ios = calloc(NF, sizeof(*ios));
	uint8_t *buf = calloc(NF, 4096);
	uint8_t *whole = malloc(4096);
	int rc = (!ios || !buf || !whole) ? PTDBG_ENOMEM : 0;
	uint64_t done = 0, roff = 0;
	size_t ri = 0;
	size_t head = c->head && c->head < 4096 ? c->head : 4096;
	while (rc == 0 && ri < ram->n) {
		size_t n = 0;
		for (; n < NF && ri < ram->n; n++) {
			ios[n] = (struct ptdbg_io){ .pa = ram->r[ri].pa + roff, .len = head, .buf = buf + n * 4096 };
			roff += 4096;
			if (roff >= ram->r[ri].len) {
				ri++;
				roff = 0;
			}
		}
		rc = ptdbg_read_phys_batch(t, ios, n);
		for (size_t k = 0; k < n && rc == 0; k++) {
			if (ios[k].err) {
				(*bad)++;
				continue;
			}
			if (!c->accept(c->actx, ios[k].pa, ios[k].buf))
				continue;
			if (head < 4096) { /* the head passed: the whole frame decides */
				int r = ptdbg_read_phys(t, ios[k].pa, whole, 4096);
				if (ptdbg_link_error(r)) {
					rc = r;
					break;
				}
				if (r) {
					(*bad)++;
					continue;
				}
				if (!c->accept(c->actx, ios[k].pa, whole))
					continue;
			}
			rc = hit(h, ios[k].pa);
		}
		done += n;
		if (rc == 0 && c->progress)
			c->progress(c->ctx, done, total);
	}
	free(ios);
	free(buf);
	free(whole);
	return rc;
}

int ptdbg_rootscan(struct ptdbg_target *t, const struct ptdbg_ram *ram, const struct ptdbg_rootscan *cfg,
		   uint64_t **out, size_t *n, uint64_t *unreadable)
{
	*out = NULL;
	*n = 0;
	if (!cfg->accept && (!cfg->ref || !cfg->len || cfg->off + cfg->len > 4096 || cfg->probe_off < cfg->off ||
	    cfg->probe_off + 8 > cfg->off + cfg->len))
		return PTDBG_EINVAL;
	struct hits h = { 0 };
	uint64_t bad = 0, total = ptdbg_ram_bytes(ram) / 4096;
	int rc = !cfg->link ? scan_chunks(t, ram, cfg, &h, &bad, total)
		 : cfg->accept ? scan_frames(t, ram, cfg, &h, &bad, total) : scan_probe(t, ram, cfg, &h, &bad, total);
	if (unreadable)
		*unreadable = bad;
	if (rc) {
		free(h.v);
		return rc;
	}
	*out = h.v;
	*n = h.n;
	return 0;
}
