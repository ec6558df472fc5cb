/* SPDX-License-Identifier: MIT */
/*
 * Synthetic x86-64 page tables in host memory, for the unit tests: a flat guest
 * physical image served by the image target, a page allocator inside it, and a
 * mapper that creates the tables a mapping needs.
 */
#ifndef PTDBG_TEST_X86_SYNTH_H
#define PTDBG_TEST_X86_SYNTH_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "target/mem.h"
#include "target/target.h"
#include "x86/x86_walk.h"

#define SYNTH_PAGES 256u /* 1 MiB of guest memory at physical 0 */
#define SYNTH_TABLE_FLAGS (X86_PTE_P | X86_PTE_RW | X86_PTE_US)

struct synth {
	uint8_t *mem;
	size_t size;
	uint64_t next;            /* next free page */
	struct ptdbg_target *t;
	struct ptdbg_mem *m;
	struct ptdbg_x86_walk_cfg cfg;
};

/* Allocate a zeroed page-table page; returns its physical address. */
static inline uint64_t synth_page(struct synth *s)
{
	uint64_t pa = s->next;
	s->next += 4096;
	if (s->next > s->size)
		abort();
	memset(s->mem + pa, 0, 4096);
	return pa;
}

static inline void synth_set(struct synth *s, uint64_t table, unsigned idx, uint64_t v)
{
	memcpy(s->mem + table + 8 * idx, &v, 8);
}

static inline uint64_t synth_get(struct synth *s, uint64_t table, unsigned idx)
{
	uint64_t v;
	memcpy(&v, s->mem + table + 8 * idx, 8);
	return v;
}

/* Start: guest memory, a root table, cpu state for levels (4 or 5) with PG, WP,
 * PAE, NXE, LME/LMA, reset PAT, pdpe1gb. */
static inline void synth_init(struct synth *s, unsigned levels)
{
	memset(s, 0, sizeof(*s));
	s->size = SYNTH_PAGES * 4096ull;
	s->mem = calloc(1, s->size);
	s->next = 0x1000; /* keep page 0 unused */
	uint64_t root = synth_page(s);
	s->cfg.cpu.cr0 = X86_CR0_PG | X86_CR0_WP | 1;
	s->cfg.cpu.cr3 = root;
	s->cfg.cpu.cr4 = X86_CR4_PAE | X86_CR4_PGE | (levels == 5 ? X86_CR4_LA57 : 0);
	s->cfg.cpu.efer = X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE;
	s->cfg.cpu.pat = X86_PAT_RESET;
	s->cfg.cpu.pdpe1gb = true;
	s->t = ptdbg_image_open(s->mem, 0, s->size, NULL);
	s->m = ptdbg_mem_new(s->t, 0);
}

static inline void synth_fini(struct synth *s)
{
	ptdbg_mem_free(s->m);
	ptdbg_target_close(s->t);
	free(s->mem);
}

static inline unsigned synth_levels(const struct synth *s)
{
	return ptdbg_x86_levels(&s->cfg.cpu);
}

/* Map va to pa with a leaf at level (1: 4K, 2: 2M, 3: 1G) carrying leaf_flags
 * (P added; PS added for huge levels), creating missing tables with table_flags.
 * Returns the physical address of the table holding the leaf. */
static inline uint64_t synth_map(struct synth *s, uint64_t va, uint64_t pa, unsigned level,
				 uint64_t leaf_flags, uint64_t table_flags)
{
	uint64_t table = ptdbg_x86_root(&s->cfg.cpu);

	for (unsigned l = synth_levels(s); l > level; l--) {
		unsigned idx = (unsigned)((va >> ptdbg_shift_4k(l)) & 511);
		uint64_t e = synth_get(s, table, idx);
		if (!(e & X86_PTE_P)) {
			e = synth_page(s) | table_flags;
			synth_set(s, table, idx, e);
		}
		table = e & 0x000ffffffffff000ull;
	}
	unsigned idx = (unsigned)((va >> ptdbg_shift_4k(level)) & 511);
	uint64_t e = pa | leaf_flags | X86_PTE_P | (level > 1 ? X86_PTE_PS : 0);
	synth_set(s, table, idx, e);
	return table;
}

/* The table at level on the path of va (after synth_map created it). */
static inline uint64_t synth_table_of(struct synth *s, uint64_t va, unsigned level)
{
	uint64_t table = ptdbg_x86_root(&s->cfg.cpu);
	for (unsigned l = synth_levels(s); l > level; l--) {
		unsigned idx = (unsigned)((va >> ptdbg_shift_4k(l)) & 511);
		table = synth_get(s, table, idx) & 0x000ffffffffff000ull;
	}
	return table;
}

static inline unsigned synth_index(uint64_t va, unsigned level)
{
	return (unsigned)((va >> ptdbg_shift_4k(level)) & 511);
}

/* Events recorded by a walk. */
#define REC_MAX 4096
struct rec {
	unsigned n;
	struct ptdbg_walk_event ev[REC_MAX];
	uint64_t path_entries[REC_MAX][6];
};

static inline int rec_visit(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct rec *r = ctx;
	if (r->n < REC_MAX) {
		r->ev[r->n] = *ev;
		for (unsigned l = 0; l < 6; l++)
			r->path_entries[r->n][l] = ev->path->lv[l].entry;
		r->ev[r->n].path = NULL;
		r->n++;
	}
	return 0;
}

static inline unsigned rec_count(const struct rec *r, enum ptdbg_event_kind k)
{
	unsigned c = 0;
	for (unsigned i = 0; i < r->n; i++)
		c += r->ev[i].kind == k;
	return c;
}

/* The i-th event of kind k, or NULL. */
static inline const struct ptdbg_walk_event *rec_nth(const struct rec *r,
						    enum ptdbg_event_kind k, unsigned i)
{
	for (unsigned j = 0; j < r->n; j++)
		if (r->ev[j].kind == k && i-- == 0)
			return &r->ev[j];
	return NULL;
}

/* The first anomaly of kind a, or NULL. */
static inline const struct ptdbg_walk_event *rec_anomaly(const struct rec *r,
							enum ptdbg_anomaly a)
{
	for (unsigned j = 0; j < r->n; j++)
		if (r->ev[j].kind == PTDBG_EV_ANOMALY && r->ev[j].anomaly == a)
			return &r->ev[j];
	return NULL;
}

#endif /* PTDBG_TEST_X86_SYNTH_H */
