/* SPDX-License-Identifier: MIT */
/* Every AArch64 address space from registers and memory alone (arm64_spaces.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm64/arm64_spaces.h"
#include "walk/rmap.h"
#include "walk/rootscan.h"

/* leaves walked per candidate: a root's whole user half, not a hostile table's */
#define CAND_MAX_LEAVES (1u << 18)
#define CAND_MAX_NODES  (1u << 14)

const char *ptdbg_arm64_root_how_name(enum ptdbg_arm64_root_how how)
{
	switch (how) {
	case PTDBG_A64_ROOT_TTBR1: return "ttbr1";
	case PTDBG_A64_ROOT_TTBR0: return "ttbr0";
	case PTDBG_A64_ROOT_SCAN: return "scan";
	}
	return "?";
}

const char *ptdbg_arm64_sure_name(enum ptdbg_arm64_sure sure)
{
	switch (sure) {
	case PTDBG_A64_CERTAIN: return "certain";
	case PTDBG_A64_LIKELY: return "likely";
	case PTDBG_A64_POSSIBLE: return "possible";
	}
	return "?";
}

/* A set of physical addresses: appended, then sorted once. */
struct pas {
	uint64_t *v;
	size_t n, cap;
	int oom;
};

static int pas_add(struct pas *p, uint64_t pa)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		uint64_t *v = realloc(p->v, cap * sizeof(*v));
		if (!v) {
			p->oom = PTDBG_ENOMEM;
			return PTDBG_ENOMEM;
		}
		p->v = v;
		p->cap = cap;
	}
	p->v[p->n++] = pa;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void pas_sort(struct pas *p)
{
	qsort(p->v, p->n, sizeof(*p->v), cmp_u64);
}

static bool pas_has(const struct pas *p, uint64_t pa)
{
	return p->n && bsearch(&pa, p->v, p->n, sizeof(*p->v), cmp_u64);
}

static bool in_ram(const struct ptdbg_ram *ram, uint64_t pa)
{
	for (size_t i = 0; i < ram->n; i++)
		if (pa >= ram->r[i].pa && pa - ram->r[i].pa < ram->r[i].len)
			return true;
	return false;
}

/* What a walk of one root saw: its tables (the root's own excluded), its leaves. */
struct walk_seen {
	struct pas *nodes;   /* NULL: not collected */
	uint64_t root;
	uint64_t leaves, user;
};

static int seen_visit(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct walk_seen *w = ctx;
	if (ev->kind == PTDBG_EV_NODE && w->nodes && ev->pa != w->root)
		return pas_add(w->nodes, ev->pa);
	if (ev->kind == PTDBG_EV_LEAF) {
		w->leaves++;
		if (ev->perm.flags & PTDBG_ARM64_PERM_UR)
			w->user++;
	}
	return 0;
}

/* The shape a TTBR0 root of cpu's geometry has (the scan's predicate). */
struct shape {
	const struct ptdbg_ram *ram;
	const struct pas *known;     /* tables of the trees in the registers */
	unsigned entries;            /* entries of a root (at most 512 looked at) */
	uint64_t oa_mask;            /* a table descriptor's next-level address */
	bool block_ok;               /* the root's level allows blocks */
	uint64_t block_mask;
};

static bool shape_accept(void *ctx, uint64_t pa, const uint8_t *frame)
{
	const struct shape *sh = ctx;
	const uint64_t *e = (const uint64_t *)frame;
	unsigned valid = 0;
	for (unsigned i = 0; i < 512; i++) {
		uint64_t d = e[i];
		if (!d)
			continue;
		if (i >= sh->entries || !(d & ARM64_DESC_VALID))
			return false;
		if ((d & ARM64_DESC_TYPE_MASK) == ARM64_DESC_TABLE) {
			if (!in_ram(sh->ram, d & sh->oa_mask))
				return false;
		} else if (!sh->block_ok || !in_ram(sh->ram, d & sh->block_mask)) {
			return false;
		}
		valid++;
	}
	return valid > 0 && !pas_has(sh->known, pa);
}

int ptdbg_arm64_find_roots(struct ptdbg_target *t, struct ptdbg_mem *mem, const struct ptdbg_arm64_cpu *cpu,
			   const struct ptdbg_ram *ram, bool link,
			   void (*progress)(void *ctx, uint64_t done, uint64_t total), void *ctx,
			   struct ptdbg_arm64_root **out, size_t *n, uint64_t *unreadable,
			   char *why, size_t whylen)
{
	*out = NULL;
	*n = 0;
	struct ptdbg_arm64_half h0, h1;
	ptdbg_arm64_half_of(cpu, PTDBG_ARM64_TTBR0, &h0);
	ptdbg_arm64_half_of(cpu, PTDBG_ARM64_TTBR1, &h1);
	if (!h0.enabled && !h1.enabled) {
		snprintf(why, whylen, "TCR_EL1 disables the walks of both halves (EPD0 and EPD1): no root is in use");
		return PTDBG_EINVAL;
	}
	struct ptdbg_arm64_root *v = calloc(2, sizeof(*v));
	struct pas known = { 0 };
	uint64_t *hits = NULL;
	size_t nh = 0, nv = 0;
	int rc = v ? 0 : PTDBG_ENOMEM;
	/* the roots in the registers, and every table of their trees */
	for (unsigned half = 2; half-- > 0 && rc == 0;) {
		const struct ptdbg_arm64_half *h = half ? &h1 : &h0;
		if (!h->enabled)
			continue;
		if (half == 0 && h1.enabled && h0.root == h1.root)
			continue;
		v[nv++] = (struct ptdbg_arm64_root){ .root = h->root, .half = half,
			.how = half ? PTDBG_A64_ROOT_TTBR1 : PTDBG_A64_ROOT_TTBR0, .sure = PTDBG_A64_CERTAIN };
		struct walk_seen w = { .nodes = &known, .root = ~0ull };
		struct ptdbg_walk_opts wo = { .max_nodes = CAND_MAX_NODES * 4 };
		int wr = ptdbg_arm64_walk(mem, cpu, half, &wo, seen_visit, &w, NULL);
		if (wr && ptdbg_link_error(wr))
			rc = wr;
		else if (known.oom)
			rc = known.oom;
		if (rc == 0)
			rc = pas_add(&known, h->root);
	}
	if (rc == 0 && h0.enabled && h0.gshift == 12) {
		/* the scan: frames shaped like a TTBR0 root, then each walked */
		pas_sort(&known);
		struct ptdbg_walk_space sp;
		struct ptdbg_arm64_cpu c0 = *cpu;
		ptdbg_arm64_space(&sp, &c0, PTDBG_ARM64_TTBR0);
		unsigned ent = ptdbg_level_entries(&sp, sp.top);
		struct shape sh = {
			.ram = ram, .known = &known, .entries = ent > 512 ? 512 : ent,
			.oa_mask = ARM64_DESC_OA_4K_PAGE,
			.block_ok = sp.top == 2 || sp.top == 3,
			.block_mask = sp.top == 3 ? ARM64_DESC_OA_4K_L1BLK : ARM64_DESC_OA_4K_L2BLK,
		};
		/* over a link, a root's own entries first: the rest only of frames they pass */
		struct ptdbg_rootscan sc = { .accept = shape_accept, .actx = &sh, .link = link,
					     .head = sh.entries * 8, .progress = progress, .ctx = ctx };
		rc = ptdbg_rootscan(t, ram, &sc, &hits, &nh, unreadable);
		struct ptdbg_arm64_root *cv = NULL;
		size_t ncv = 0;
		struct pas *cnodes = NULL;
		if (rc == 0 && nh) {
			cv = calloc(nh, sizeof(*cv));
			cnodes = calloc(nh, sizeof(*cnodes));
			if (!cv || !cnodes)
				rc = PTDBG_ENOMEM;
		}
		/* each candidate walked as the TTBR0 root it would be */
		for (size_t i = 0; i < nh && rc == 0; i++) {
			c0.ttbr0 = hits[i];
			struct walk_seen w = { .nodes = &cnodes[ncv], .root = hits[i] };
			struct ptdbg_walk_opts wo = { .max_nodes = CAND_MAX_NODES, .max_leaves = CAND_MAX_LEAVES };
			struct ptdbg_walk_result res;
			int wr = ptdbg_arm64_walk(mem, &c0, PTDBG_ARM64_TTBR0, &wo, seen_visit, &w, &res);
			if (wr && ptdbg_link_error(wr)) {
				rc = wr;
				break;
			}
			if (cnodes[ncv].oom) {
				rc = PTDBG_ENOMEM;
				break;
			}
			if (wr || !w.leaves || res.absent || res.anomalies || res.read_errors || res.partial) {
				free(cnodes[ncv].v);
				cnodes[ncv] = (struct pas){ 0 };
				continue;
			}
			pas_sort(&cnodes[ncv]);
			struct ptdbg_arm64_root *r = &cv[ncv++];
			*r = (struct ptdbg_arm64_root){ .root = hits[i], .half = PTDBG_ARM64_TTBR0,
				.how = PTDBG_A64_ROOT_SCAN, .leaves = w.leaves, .user_leaves = w.user };
			r->sure = w.user == w.leaves ? PTDBG_A64_LIKELY : PTDBG_A64_POSSIBLE;
			if (r->sure == PTDBG_A64_LIKELY)
				snprintf(r->why, sizeof(r->why), "shaped like a TTBR0 root, referenced by no table; "
					 "%llu leaves, all EL0-accessible", (unsigned long long)w.leaves);
			else
				snprintf(r->why, sizeof(r->why), "shaped like a TTBR0 root, referenced by no table; "
					 "%llu of %llu leaves EL1-only", (unsigned long long)(w.leaves - w.user),
					 (unsigned long long)w.leaves);
		}
		/* a table inside another candidate's tree is no root */
		struct ptdbg_arm64_root *nvv = rc == 0 ? realloc(v, (nv + ncv + 1) * sizeof(*v)) : NULL;
		if (rc == 0 && !nvv)
			rc = PTDBG_ENOMEM;
		if (nvv)
			v = nvv;
		for (size_t i = 0; i < ncv && rc == 0; i++) {
			bool inner = false;
			for (size_t k = 0; k < ncv && !inner; k++)
				inner = k != i && pas_has(&cnodes[k], cv[i].root);
			if (!inner)
				v[nv++] = cv[i];
		}
		for (size_t i = 0; cnodes && i < nh; i++)
			free(cnodes[i].v);
		free(cnodes);
		free(cv);
	}
	free(hits);
	free(known.v);
	if (rc) {
		free(v);
		return rc;
	}
	*out = v;
	*n = nv;
	return 0;
}

struct ro_ctx {
	struct ptdbg_pa_set *set;
};

static int ro_visit(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct ro_ctx *c = ctx;
	if (ev->kind != PTDBG_EV_LEAF)
		return 0;
	uint32_t f = ev->perm.flags;
	if (f & (PTDBG_ARM64_PERM_KW | PTDBG_ARM64_PERM_UR | PTDBG_ARM64_PERM_UW))
		return 0;
	const char *what = (f & PTDBG_ARM64_PERM_PXN) ? "read-only kernel data" : "kernel text";
	return ptdbg_pa_set_add(c->set, ev->pa, ev->pa + ev->size, what);
}

int ptdbg_arm64_kernel_readonly(struct ptdbg_mem *mem, const struct ptdbg_arm64_cpu *cpu, uint64_t va_lo,
				uint64_t va_hi, struct ptdbg_pa_set *set)
{
	struct ptdbg_walk_space sp;
	if (ptdbg_arm64_space(&sp, cpu, PTDBG_ARM64_TTBR1))
		return 0;
	uint64_t first = sp.va_base, last = UINT64_MAX;
	struct ptdbg_walk_opts wo = { .va_filter = true, .max_leaves = 1u << 20 };
	wo.va_first = va_lo > first ? va_lo : first;
	wo.va_last = va_hi < last ? va_hi : last;
	if (wo.va_first > wo.va_last)
		return 0;
	struct ro_ctx c = { set };
	int rc = ptdbg_walk(mem, &sp, &wo, ro_visit, &c, NULL);
	ptdbg_pa_set_sort(set);
	return rc;
}
