/* SPDX-License-Identifier: MIT */
/* Every x86-64 address space from memory alone (spaces.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "walk/rmap.h"
#include "walk/rootscan.h"
#include "x86/spaces.h"

const char *ptdbg_x86_root_how_name(enum ptdbg_x86_root_how how)
{
	switch (how) {
	case PTDBG_ROOT_CR3: return "cr3";
	case PTDBG_ROOT_SCAN: return "scan";
	case PTDBG_ROOT_KPTI: return "kpti";
	}
	return "?";
}

static bool half_empty(const uint64_t *e, unsigned first, unsigned last)
{
	for (unsigned i = first; i <= last; i++)
		if (e[i] & X86_PTE_P)
			return false;
	return true;
}

static bool in_ram(const struct ptdbg_ram *ram, uint64_t pa)
{
	for (size_t i = 0; i < ram->n; i++)
		if (pa >= ram->r[i].pa && pa - ram->r[i].pa < ram->r[i].len)
			return true;
	return false;
}

static int add(struct ptdbg_x86_root **v, size_t *n, size_t *cap, uint64_t root,
	       enum ptdbg_x86_root_how how, bool user_empty)
{
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i].root == root)
			return 0;
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		struct ptdbg_x86_root *nv = realloc(*v, c * sizeof(*nv));
		if (!nv)
			return PTDBG_ENOMEM;
		*v = nv;
		*cap = c;
	}
	(*v)[(*n)++] = (struct ptdbg_x86_root){ root, how, user_empty };
	return 0;
}

static int cmp_root(const void *a, const void *b)
{
	const struct ptdbg_x86_root *x = a, *y = b;
	return x->root < y->root ? -1 : x->root > y->root;
}

int ptdbg_x86_find_roots(struct ptdbg_target *t, struct ptdbg_mem *mem, const struct ptdbg_x86_cpu *cpu,
			 const struct ptdbg_ram *ram, bool link,
			 void (*progress)(void *ctx, uint64_t done, uint64_t total), void *ctx,
			 struct ptdbg_x86_root **out, size_t *n, uint64_t *unreadable,
			 char *why, size_t whylen)
{
	*out = NULL;
	*n = 0;
	uint64_t top[512];
	uint64_t cr3 = ptdbg_x86_root(cpu);
	int rc = ptdbg_mem_read(mem, cr3, top, sizeof(top));
	if (rc) {
		if (ptdbg_link_error(rc))
			return rc;
		snprintf(why, whylen, "the root in CR3 (%#llx) cannot be read", (unsigned long long)cr3);
		return PTDBG_EINVAL;
	}
	/* The shared window: PML4 entries 256-511, or PML5 entry 511. */
	bool la57 = ptdbg_x86_levels(cpu) == 5;
	unsigned first = la57 ? 511 : 256;
	if (half_empty(top, first, 511)) {
		snprintf(why, whylen, "the root in CR3 (%#llx) maps nothing in the kernel half: "
			 "there is no shared half to look for", (unsigned long long)cr3);
		return PTDBG_EINVAL;
	}
	unsigned probe = 511;
	while (!(top[probe] & X86_PTE_P))
		probe--;
	struct ptdbg_rootscan sc = {
		.ref = (const uint8_t *)&top[first], .off = first * 8, .len = (512 - first) * 8,
		.probe_off = probe * 8, .link = link, .progress = progress, .ctx = ctx,
	};
	uint64_t *hits = NULL;
	size_t nh = 0;
	rc = ptdbg_rootscan(t, ram, &sc, &hits, &nh, unreadable);
	if (rc)
		return rc;
	struct ptdbg_x86_root *v = NULL;
	size_t nv = 0, cap = 0;
	rc = add(&v, &nv, &cap, cr3, PTDBG_ROOT_CR3, half_empty(top, 0, first == 511 ? 510 : 255));
	for (size_t i = 0; i < nh && rc == 0; i++) {
		uint64_t e[512];
		if (ptdbg_read_phys(t, hits[i], e, sizeof(e)))
			continue;
		unsigned ulast = la57 ? 510 : 255;
		rc = add(&v, &nv, &cap, hits[i], PTDBG_ROOT_SCAN, half_empty(e, 0, ulast));
		/* KPTI: the user-mode root is the next frame of an 8 KiB-aligned pair, with
		 * the same user half and a kernel half of its own (mostly empty). */
		uint64_t pair = hits[i] + 4096;
		if (rc || (hits[i] & 4096) || half_empty(e, 0, ulast) || !in_ram(ram, pair))
			continue;
		uint64_t u[512];
		if (ptdbg_read_phys(t, pair, u, sizeof(u)) == 0 &&
		    memcmp(u, e, (ulast + 1) * 8) == 0 && memcmp(&u[first], &e[first], (512 - first) * 8) != 0)
			rc = add(&v, &nv, &cap, pair, PTDBG_ROOT_KPTI, false);
	}
	free(hits);
	if (rc) {
		free(v);
		return rc;
	}
	qsort(v, nv, sizeof(*v), cmp_root);
	*out = v;
	*n = nv;
	return 0;
}

struct ro_ctx {
	struct ptdbg_pa_set *set;
	int rc;
};

static int ro_visit(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct ro_ctx *c = ctx;
	if (ev->kind != PTDBG_EV_LEAF)
		return 0;
	uint32_t f = ev->perm.flags;
	if ((f & (PTDBG_X86_PERM_U | PTDBG_X86_PERM_W | PTDBG_X86_PERM_KW)) != 0)
		return 0;
	const char *what = (f & PTDBG_X86_PERM_NX) ? "read-only kernel data" : "kernel text";
	return ptdbg_pa_set_add(c->set, ev->pa, ev->pa + ev->size, what);
}

int ptdbg_x86_kernel_readonly(struct ptdbg_mem *mem, const struct ptdbg_x86_cpu *cpu, uint64_t va_lo,
			      uint64_t va_hi, struct ptdbg_pa_set *set)
{
	/* a hostile kernel half must not cost more than a dump of it: the leaf budget
	 * of one walk, and ranges merged as they come */
	struct ptdbg_x86_walk_cfg cfg = { .cpu = *cpu, .va_filter = true, .max_leaves = 1u << 20 };
	uint64_t half = ptdbg_x86_canonical(cpu, 1ull << (ptdbg_x86_va_bits(cpu) - 1));
	cfg.va_first = va_lo > half ? va_lo : half;
	cfg.va_last = va_hi;
	if (cfg.va_first > cfg.va_last)
		return 0;
	struct ro_ctx c = { set, 0 };
	struct ptdbg_walk_result res;
	int rc = ptdbg_x86_walk(mem, &cfg, ro_visit, &c, &res);
	ptdbg_pa_set_sort(set);
	return rc;
}
