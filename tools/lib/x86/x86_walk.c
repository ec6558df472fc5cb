/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 page-table walker: breadth-first reading, depth-first emitting (see
 * x86_walk.h for the event contract), and the single-address translation.
 */
#include <stdlib.h>
#include <string.h>

#include "x86/x86_walk.h"

#define ENTRIES          X86_ENTRIES
#define ADDR_FIELD_TABLE X86_PTE_ADDR_MASK /* bits 51:12, as written in the entry */
#define DEFAULT_MIN_NODES  65536ull
#define DEFAULT_MAX_LEAVES 4000000ull

/* ---- CPU state ---- */

void ptdbg_x86_cpu_from_regs(struct ptdbg_x86_cpu *cpu, const struct ptdbg_regs *regs)
{
	memset(cpu, 0, sizeof(*cpu));
	cpu->cr0 = regs->cr0;
	cpu->cr3 = regs->cr3;
	cpu->cr4 = regs->cr4;
	cpu->efer = regs->efer;
	cpu->pat = X86_PAT_RESET;
	cpu->pat_source = PTDBG_PAT_RESET;
	cpu->levels = (regs->cr4 & X86_CR4_LA57) ? 5 : 4;
	cpu->pdpe1gb = true;
}

unsigned ptdbg_x86_levels(const struct ptdbg_x86_cpu *cpu)
{
	if (cpu->levels == 4 || cpu->levels == 5)
		return cpu->levels;
	return (cpu->cr4 & X86_CR4_LA57) ? 5 : 4;
}

unsigned ptdbg_x86_va_bits(const struct ptdbg_x86_cpu *cpu)
{
	return ptdbg_x86_levels(cpu) == 5 ? 57 : 48;
}

unsigned ptdbg_x86_maxphyaddr(const struct ptdbg_x86_cpu *cpu)
{
	return (cpu->maxphyaddr >= 32 && cpu->maxphyaddr <= 52) ? cpu->maxphyaddr : 52;
}

uint64_t ptdbg_x86_root(const struct ptdbg_x86_cpu *cpu)
{
	return cpu->cr3 & ADDR_FIELD_TABLE;
}

int ptdbg_x86_pcid(const struct ptdbg_x86_cpu *cpu)
{
	return (cpu->cr4 & X86_CR4_PCIDE) ? (int)(cpu->cr3 & X86_CR3_PCID) : -1;
}

static uint64_t sign_extend(uint64_t va, unsigned bits)
{
	uint64_t top = 1ull << (bits - 1);
	va &= (top << 1) - 1;
	return (va ^ top) - top;
}

uint64_t ptdbg_x86_canonical(const struct ptdbg_x86_cpu *cpu, uint64_t va)
{
	return sign_extend(va, ptdbg_x86_va_bits(cpu));
}

bool ptdbg_x86_is_canonical(const struct ptdbg_x86_cpu *cpu, uint64_t va)
{
	return ptdbg_x86_canonical(cpu, va) == va;
}

/*
 * Effective permissions of leaf at level from the AND of the R/W and U/S bits and
 * the OR of the XD bits over its whole path (leaf included): the one definition the
 * walker and ptdbg_x86_translate() share.
 */
static void perm_finish(const struct ptdbg_x86_cpu *cpu, uint64_t and_bits, uint64_t or_bits,
			uint64_t leaf, unsigned level, struct ptdbg_x86_perm *out)
{
	uint32_t f = 0;

	if (and_bits & X86_PTE_RW)
		f |= PTDBG_X86_PERM_W;
	if (and_bits & X86_PTE_US)
		f |= PTDBG_X86_PERM_U;
	if ((or_bits & X86_PTE_NX) && (cpu->efer & X86_EFER_NXE))
		f |= PTDBG_X86_PERM_NX;
	if (leaf & X86_PTE_G)
		f |= PTDBG_X86_PERM_G;
	if (leaf & X86_PTE_A)
		f |= PTDBG_X86_PERM_A;
	if (leaf & X86_PTE_D)
		f |= PTDBG_X86_PERM_D;
	if ((f & PTDBG_X86_PERM_W) || !(cpu->cr0 & X86_CR0_WP))
		f |= PTDBG_X86_PERM_KW;
	if ((f & PTDBG_X86_PERM_U) ? (cpu->cr4 & X86_CR4_PKE) : (cpu->cr4 & X86_CR4_PKS))
		f |= PTDBG_X86_PERM_PKEY;
	out->flags = f;
	out->pat_index = (uint8_t)x86_pat_index(leaf, level);
	out->memtype = (uint8_t)x86_pat_memtype(cpu->pat, out->pat_index);
	out->pkey = (uint8_t)((leaf & X86_PTE_PKEY) >> X86_PTE_PKEY_SHIFT);
}

void ptdbg_x86_perm_of(const struct ptdbg_x86_cpu *cpu, const uint64_t path[6], unsigned level,
		       unsigned top, struct ptdbg_x86_perm *out)
{
	uint64_t and_bits = X86_PTE_RW | X86_PTE_US, or_bits = 0;

	for (unsigned l = level; l <= top; l++) {
		and_bits &= path[l];
		or_bits |= path[l];
	}
	perm_finish(cpu, and_bits, or_bits, path[level], level, out);
}

/* ---- names ---- */

const char *ptdbg_x86_stop_name(enum ptdbg_x86_stop s)
{
	switch (s) {
	case PTDBG_X86_STOP_OK:           return "ok";
	case PTDBG_X86_STOP_NONCANONICAL: return "non-canonical address";
	case PTDBG_X86_STOP_NOT_PRESENT:  return "not present";
	case PTDBG_X86_STOP_RESERVED:     return "reserved bit set";
	case PTDBG_X86_STOP_READ_ERROR:   return "table not readable";
	case PTDBG_X86_STOP_PROTECTION:   return "access not allowed";
	}
	return "?";
}

const char *ptdbg_x86_anomaly_name(enum ptdbg_x86_anomaly a)
{
	switch (a) {
	case PTDBG_X86_AN_RESERVED:   return "reserved-bits";
	case PTDBG_X86_AN_PS_LEVEL:   return "page-size-not-allowed";
	case PTDBG_X86_AN_READ_ERROR: return "table-read-error";
	case PTDBG_X86_AN_RECURSIVE:  return "recursive-table";
	case PTDBG_X86_AN_BUDGET:     return "budget-exhausted";
	}
	return "?";
}

const char *ptdbg_x86_event_name(enum ptdbg_x86_event_kind k)
{
	switch (k) {
	case PTDBG_X86_EV_NODE:    return "node";
	case PTDBG_X86_EV_LEAF:    return "leaf";
	case PTDBG_X86_EV_ABSENT:  return "absent";
	case PTDBG_X86_EV_HOLE:    return "hole";
	case PTDBG_X86_EV_ANOMALY: return "anomaly";
	}
	return "?";
}

/* ---- a set of table addresses (open addressing, grows) ---- */

struct pa_set {
	uint64_t *slots; /* 0 = empty; addresses stored +1 so that table 0 fits */
	size_t cap, n;
};

static size_t pa_hash(uint64_t key, size_t cap)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 17) & (cap - 1);
}

/* Add pa; returns 1 if added, 0 if present, negative on no memory. */
static int pa_set_add(struct pa_set *s, uint64_t pa)
{
	uint64_t key = pa + 1;

	if ((s->n + 1) * 2 > s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 1024;
		uint64_t *ns = calloc(ncap, sizeof(*ns));
		if (!ns)
			return PTDBG_ENOMEM;
		for (size_t i = 0; i < s->cap; i++) {
			if (!s->slots[i])
				continue;
			size_t h = pa_hash(s->slots[i], ncap);
			while (ns[h])
				h = (h + 1) & (ncap - 1);
			ns[h] = s->slots[i];
		}
		free(s->slots);
		s->slots = ns;
		s->cap = ncap;
	}
	size_t h = pa_hash(key, s->cap);
	while (s->slots[h]) {
		if (s->slots[h] == key)
			return 0;
		h = (h + 1) & (s->cap - 1);
	}
	s->slots[h] = key;
	s->n++;
	return 1;
}

/* ---- the walk ---- */

struct walker {
	struct ptdbg_mem *mem;
	const struct ptdbg_x86_walk_cfg *cfg;
	ptdbg_x86_visit_fn visit;
	void *ctx;
	unsigned top, va_bits;
	unsigned maxphy;
	bool nxe;
	uint64_t max_leaves;
	struct ptdbg_x86_path path;
	uint64_t table[6][ENTRIES];   /* copy of the table being iterated at each level */
	uint64_t up_and[6];           /* AND of the entries above level (R/W, U/S) */
	uint64_t up_or[6];            /* OR of the entries above level (XD) */
	uint64_t rsvd_mask[6][2];     /* x86_entry_reserved_mask(level, leaf) */
	uint64_t leaf_addr[6];        /* x86_entry_addr_mask(level, leaf, 52) */
	struct pa_set seen;
	struct ptdbg_x86_walk_result res;
	int rc;                       /* the visitor's stop value or a link error */
	bool stop;                    /* unwind: rc set, or the budget ran out */
};

/* Canonical VA of the raw (unextended) address raw. */
static uint64_t canon(const struct walker *w, uint64_t raw)
{
	return sign_extend(raw, w->va_bits);
}

/* Whether [va, va+size-1] (canonical, within one half) meets the filter. */
static bool in_filter(const struct walker *w, uint64_t va, uint64_t size)
{
	if (!w->cfg->va_filter)
		return true;
	return va <= w->cfg->va_last && va + (size - 1) >= w->cfg->va_first;
}

/* Deliver ev; on a nonzero return remember it as the stop value. */
static void emit(struct walker *w, struct ptdbg_x86_event *ev)
{
	int rc;

	if (w->stop)
		return;
	ev->path = &w->path;
	rc = w->visit ? w->visit(w->ctx, ev) : 0;
	if (rc) {
		w->rc = rc;
		w->stop = true;
		w->res.partial = true;
	}
}

static void emit_anomaly(struct walker *w, enum ptdbg_x86_anomaly a, unsigned level, uint64_t va,
			 uint64_t size, uint64_t pa, uint64_t entry, uint64_t detail)
{
	struct ptdbg_x86_event ev = {
		.kind = PTDBG_X86_EV_ANOMALY, .level = level, .va = va, .size = size,
		.pa = pa, .entry = entry, .anomaly = a, .detail = detail,
	};
	w->res.anomalies++;
	emit(w, &ev);
}

/* The node budget: 64 visits per distinct table, at least DEFAULT_MIN_NODES. */
static bool node_budget_left(const struct walker *w)
{
	uint64_t max = w->cfg->max_nodes;

	if (!max) {
		max = 64 * (uint64_t)w->seen.n;
		if (max < DEFAULT_MIN_NODES)
			max = DEFAULT_MIN_NODES;
	}
	return w->res.nodes < max;
}

static void budget_hit(struct walker *w, unsigned level, uint64_t va)
{
	w->res.partial = true;
	emit_anomaly(w, PTDBG_X86_AN_BUDGET, level, va, 0, 0, 0, w->res.nodes);
	w->stop = true;
}

/* Whether entry e at level points to a table (P=1, not a leaf). */
static bool is_table_entry(uint64_t e, unsigned level)
{
	if (!(e & X86_PTE_P) || level == X86_LEVEL_PT)
		return false;
	return level >= X86_LEVEL_PML4 || !(e & X86_PTE_PS);
}

/* Prefetch the child tables of the table at level (already copied) whose span
 * meets the filter. */
static int prefetch_children(struct walker *w, unsigned level, uint64_t raw_base)
{
	uint64_t kids[ENTRIES];
	size_t n = 0;
	uint64_t span = x86_level_span(level);

	if (level == X86_LEVEL_PT)
		return 0;
	for (unsigned i = 0; i < ENTRIES; i++) {
		uint64_t e = w->table[level][i];
		if (!is_table_entry(e, level))
			continue;
		if (!in_filter(w, canon(w, raw_base + i * span), span))
			continue;
		uint64_t pa = e & ADDR_FIELD_TABLE;
		if (ptdbg_mem_page_state(w->mem, pa) == 1)
			kids[n++] = pa;
	}
	return ptdbg_mem_prefetch(w->mem, kids, n);
}

/* Breadth-first prefetch: read every table of each level in one batch, top down,
 * while they fit in half of the cache. The depth-first pass then finds them
 * cached (and reads on demand whatever did not fit). */
static int prefetch_levels(struct walker *w, uint64_t root)
{
	uint64_t *cur = malloc(sizeof(*cur)), *bases = malloc(sizeof(*bases));
	size_t ncur = 1, budget = ptdbg_mem_cap_pages(w->mem) / 2, total = 1;
	int rc = 0;

	if (!cur || !bases) {
		free(cur);
		free(bases);
		return PTDBG_ENOMEM;
	}
	cur[0] = root;
	bases[0] = 0;
	rc = ptdbg_mem_prefetch(w->mem, cur, 1);
	for (unsigned level = w->top; level > X86_LEVEL_PT && rc == 0 && ncur; level--) {
		uint64_t span = x86_level_span(level);
		size_t cap = 0, nnext = 0;
		uint64_t *next = NULL, *nbases = NULL;
		struct pa_set dedup = { 0 };

		for (size_t t = 0; t < ncur && rc == 0; t++) {
			const uint8_t *page;
			if (ptdbg_mem_page_state(w->mem, cur[t]) != 0)
				continue; /* failed or not fetched: the DFS pass handles it */
			if (ptdbg_mem_page(w->mem, cur[t], &page))
				continue;
			for (unsigned i = 0; i < ENTRIES; i++) {
				uint64_t e;
				memcpy(&e, page + 8 * i, 8);
				if (!is_table_entry(e, level))
					continue;
				uint64_t raw = bases[t] + i * span;
				if (!in_filter(w, canon(w, raw), span))
					continue;
				uint64_t pa = e & ADDR_FIELD_TABLE;
				int added = pa_set_add(&dedup, pa);
				if (added < 0) {
					rc = added;
					break;
				}
				if (!added)
					continue;
				if (nnext == cap) {
					cap = cap ? cap * 2 : 512;
					uint64_t *a = realloc(next, cap * sizeof(*a));
					uint64_t *b = a ? realloc(nbases, cap * sizeof(*b)) : NULL;
					if (a)
						next = a;
					if (b)
						nbases = b;
					if (!a || !b) {
						rc = PTDBG_ENOMEM;
						break;
					}
				}
				next[nnext] = pa;
				nbases[nnext++] = raw;
			}
		}
		free(dedup.slots);
		free(cur);
		free(bases);
		cur = next;
		bases = nbases;
		ncur = nnext;
		if (rc)
			break;
		if (total + ncur > budget)
			break; /* does not fit: the rest is read subtree by subtree */
		total += ncur;
		rc = ptdbg_mem_prefetch(w->mem, cur, ncur);
	}
	free(cur);
	free(bases);
	return rc;
}

/* Whether pa is the table of an ancestor level above level; returns that level or 0. */
static unsigned ancestor_level(const struct walker *w, unsigned level, uint64_t pa)
{
	for (unsigned l = level + 1; l <= w->top; l++)
		if (w->path.lv[l].table_pa == pa)
			return l;
	return 0;
}

static void walk_table(struct walker *w, unsigned level, uint64_t pa, uint64_t raw_base,
		       uint64_t parent_entry, bool faults);

/* Handle entry i of the table at level. */
static void walk_entry(struct walker *w, unsigned level, unsigned i, uint64_t raw_base,
		       bool faults)
{
	uint64_t span = x86_level_span(level);
	uint64_t raw = raw_base + (uint64_t)i * span;
	uint64_t va = canon(w, raw);
	uint64_t e = w->table[level][i];

	if (!in_filter(w, va, span))
		return;
	w->path.level = level;
	w->path.lv[level].entry = e;
	w->path.lv[level].index = (uint16_t)i;
	if (e == 0)
		return;
	if (!(e & X86_PTE_P)) {
		struct ptdbg_x86_event ev = {
			.kind = PTDBG_X86_EV_ABSENT, .level = level, .va = va, .size = span,
			.entry = e,
		};
		w->res.absent++;
		emit(w, &ev);
		return;
	}

	bool leaf = level == X86_LEVEL_PT || (level <= X86_LEVEL_PDPT && (e & X86_PTE_PS));
	uint64_t rsvd = e & w->rsvd_mask[level][leaf];
	bool ps_bad = (level >= X86_LEVEL_PML4 && (e & X86_PTE_PS)) ||
		      (level == X86_LEVEL_PDPT && leaf && !w->cfg->cpu.pdpe1gb);
	if (level >= X86_LEVEL_PML4)
		rsvd &= ~X86_PTE_PS;
	if (ps_bad)
		emit_anomaly(w, PTDBG_X86_AN_PS_LEVEL, level, va, span, 0, e, X86_PTE_PS);
	if (rsvd)
		emit_anomaly(w, PTDBG_X86_AN_RESERVED, level, va, span, 0, e, rsvd);
	faults = faults || ps_bad || rsvd;
	if (w->stop)
		return;

	if (!leaf) {
		w->up_and[level - 1] = w->up_and[level] & e;
		w->up_or[level - 1] = w->up_or[level] | e;
		walk_table(w, level - 1, e & ADDR_FIELD_TABLE, raw, e, faults);
		return;
	}
	if (w->res.leaves >= w->max_leaves) {
		budget_hit(w, level, va);
		return;
	}
	struct ptdbg_x86_event ev = {
		.kind = PTDBG_X86_EV_LEAF, .level = level, .va = va, .size = span,
		.pa = e & w->leaf_addr[level], .entry = e,
	};
	perm_finish(&w->cfg->cpu, w->up_and[level] & e, w->up_or[level] | e, e, level, &ev.perm);
	if (faults)
		ev.perm.flags |= PTDBG_X86_PERM_FAULTS;
	w->res.leaves++;
	emit(w, &ev);
}

/* Visit the table at pa (level), covering raw VA raw_base: read it, emit its NODE,
 * then its entries in order. */
static void walk_table(struct walker *w, unsigned level, uint64_t pa, uint64_t raw_base,
		       uint64_t parent_entry, bool faults)
{
	uint64_t span = x86_level_span(level + 1);
	uint64_t va = canon(w, raw_base);
	const uint8_t *page;
	uint32_t flags = 0;
	int rc;

	if (w->stop)
		return;
	if (!node_budget_left(w)) {
		budget_hit(w, level, va);
		return;
	}
	rc = ptdbg_mem_page(w->mem, pa, &page);
	if (rc) {
		if (rc == PTDBG_ELINK || rc == PTDBG_ETIMEOUT || rc == PTDBG_ENOMEM) {
			w->rc = rc;
			w->stop = true;
			w->res.partial = true;
			return;
		}
		w->res.read_errors++;
		emit_anomaly(w, PTDBG_X86_AN_READ_ERROR, level, va, span, pa, parent_entry,
			     (uint64_t)-rc);
		return;
	}
	memcpy(w->table[level], page, PTDBG_PAGE_SIZE);
	unsigned anc = ancestor_level(w, level, pa);
	int added = pa_set_add(&w->seen, pa);
	if (added < 0) {
		w->rc = added;
		w->stop = true;
		w->res.partial = true;
		return;
	}
	if (!added)
		flags |= PTDBG_X86_NODE_SHARED;
	if (anc) {
		flags |= PTDBG_X86_NODE_RECURSIVE;
		emit_anomaly(w, PTDBG_X86_AN_RECURSIVE, level, va, span, pa, parent_entry, anc);
	}
	w->path.lv[level].table_pa = pa;
	w->path.level = level;
	w->res.nodes++;
	w->res.distinct_nodes = w->seen.n;
	struct ptdbg_x86_event ev = {
		.kind = PTDBG_X86_EV_NODE, .level = level, .va = va, .size = span,
		.pa = pa, .entry = parent_entry, .flags = flags,
	};
	emit(w, &ev);
	if (!w->cfg->no_prefetch && !w->stop) {
		rc = prefetch_children(w, level, raw_base);
		if (rc == PTDBG_ELINK || rc == PTDBG_ETIMEOUT) {
			w->rc = rc;
			w->stop = true;
			w->res.partial = true;
			return;
		}
	}
	for (unsigned i = 0; i < ENTRIES && !w->stop; i++) {
		if (level == w->top && i == ENTRIES / 2) {
			uint64_t hole = 1ull << (w->va_bits - 1);
			uint64_t hsize = 0 - (1ull << w->va_bits);
			if (!w->cfg->va_filter ||
			    (w->cfg->va_first <= hole + (hsize - 1) && w->cfg->va_last >= hole)) {
				struct ptdbg_x86_event h = {
					.kind = PTDBG_X86_EV_HOLE, .level = level, .va = hole,
					.size = hsize,
				};
				emit(w, &h);
			}
		}
		walk_entry(w, level, i, raw_base, faults);
	}
}

int ptdbg_x86_walk(struct ptdbg_mem *mem, const struct ptdbg_x86_walk_cfg *cfg,
		   ptdbg_x86_visit_fn visit, void *ctx, struct ptdbg_x86_walk_result *res)
{
	struct walker *w;
	uint64_t root;
	int rc = 0;

	if (res) /* filled on every return, the early errors included */
		memset(res, 0, sizeof(*res));
	if (!mem || !cfg)
		return PTDBG_EINVAL;
	if (cfg->va_filter && cfg->va_first > cfg->va_last)
		return PTDBG_EINVAL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return PTDBG_ENOMEM;
	w->mem = mem;
	w->cfg = cfg;
	w->visit = visit;
	w->ctx = ctx;
	w->top = ptdbg_x86_levels(&cfg->cpu);
	w->va_bits = ptdbg_x86_va_bits(&cfg->cpu);
	w->maxphy = ptdbg_x86_maxphyaddr(&cfg->cpu);
	w->nxe = (cfg->cpu.efer & X86_EFER_NXE) != 0;
	w->max_leaves = cfg->max_leaves ? cfg->max_leaves : DEFAULT_MAX_LEAVES;
	w->path.top = w->top;
	for (unsigned l = 1; l <= 5; l++) {
		w->rsvd_mask[l][0] = x86_entry_reserved_mask(l, false, w->maxphy, w->nxe);
		w->rsvd_mask[l][1] = x86_entry_reserved_mask(l, true, w->maxphy, w->nxe);
		w->leaf_addr[l] = x86_entry_addr_mask(l, true, 52);
	}
	w->up_and[w->top] = X86_PTE_RW | X86_PTE_US; /* nothing above the root */
	w->up_or[w->top] = 0;
	root = cfg->root ? cfg->root : ptdbg_x86_root(&cfg->cpu);

	if (!cfg->no_prefetch)
		rc = prefetch_levels(w, root);
	if (rc == PTDBG_ELINK || rc == PTDBG_ETIMEOUT) {
		w->res.partial = true;
	} else {
		walk_table(w, w->top, root, 0, 0, false);
		rc = w->rc;
	}
	if (res)
		*res = w->res;
	free(w->seen.slots);
	free(w);
	return rc;
}

/* ---- single-address translation ---- */

/* The error-code bits that describe the access itself. */
static uint32_t access_error_bits(const struct ptdbg_x86_cpu *cpu, unsigned access)
{
	uint32_t pf = 0;

	if (access & PTDBG_X86_ACC_WRITE)
		pf |= X86_PF_W;
	if (access & PTDBG_X86_ACC_USER)
		pf |= X86_PF_U;
	if ((access & PTDBG_X86_ACC_FETCH) &&
	    ((cpu->efer & X86_EFER_NXE) || (cpu->cr4 & X86_CR4_SMEP)))
		pf |= X86_PF_I;
	return pf;
}

/* Whether perm allows access (U/S, R/W with CR0.WP, XD; not SMEP/SMAP/PKRU). */
static bool access_allowed(const struct ptdbg_x86_perm *perm, unsigned access)
{
	bool user = access & PTDBG_X86_ACC_USER;

	if (user && !(perm->flags & PTDBG_X86_PERM_U))
		return false;
	if (access & PTDBG_X86_ACC_WRITE) {
		if (user && !(perm->flags & PTDBG_X86_PERM_W))
			return false;
		if (!user && !(perm->flags & PTDBG_X86_PERM_KW))
			return false;
	}
	if ((access & PTDBG_X86_ACC_FETCH) && (perm->flags & PTDBG_X86_PERM_NX))
		return false;
	return true;
}

int ptdbg_x86_translate(struct ptdbg_mem *mem, const struct ptdbg_x86_cpu *cpu, uint64_t va,
			unsigned access, struct ptdbg_x86_translation *out)
{
	unsigned top = ptdbg_x86_levels(cpu);
	unsigned maxphy = ptdbg_x86_maxphyaddr(cpu);
	bool nxe = (cpu->efer & X86_EFER_NXE) != 0;
	uint64_t table = ptdbg_x86_root(cpu);
	uint64_t entries[6] = { 0 };
	uint32_t acc = access_error_bits(cpu, access);

	memset(out, 0, sizeof(*out));
	out->va = va;
	out->access = access;
	if (!ptdbg_x86_is_canonical(cpu, va)) {
		out->stop = PTDBG_X86_STOP_NONCANONICAL;
		return 0;
	}
	for (unsigned level = top; level >= X86_LEVEL_PT; level--) {
		struct ptdbg_x86_step *st = &out->step[out->nsteps++];
		uint64_t span = x86_level_span(level);
		int rc;

		st->level = level;
		st->table_pa = table;
		st->index = (unsigned)((va >> (12 + 9 * (level - 1))) & (ENTRIES - 1));
		st->entry_pa = table + 8ull * st->index;
		rc = ptdbg_mem_read_u64(mem, st->entry_pa, &st->entry);
		if (rc) {
			if (rc == PTDBG_ELINK || rc == PTDBG_ETIMEOUT || rc == PTDBG_ENOMEM)
				return rc;
			st->err = rc;
			out->stop = PTDBG_X86_STOP_READ_ERROR;
			out->stop_level = level;
			return 0;
		}
		uint64_t e = st->entry;
		entries[level] = e;
		if (!(e & X86_PTE_P)) {
			out->stop = PTDBG_X86_STOP_NOT_PRESENT;
			out->stop_level = level;
			out->pf_error = acc;
			return 0;
		}
		st->leaf = level == X86_LEVEL_PT || (level <= X86_LEVEL_PDPT && (e & X86_PTE_PS));
		st->reserved = x86_entry_reserved(e, level, st->leaf, maxphy, nxe);
		if (level == X86_LEVEL_PDPT && st->leaf && !cpu->pdpe1gb)
			st->reserved |= X86_PTE_PS;
		if (st->reserved) {
			out->stop = PTDBG_X86_STOP_RESERVED;
			out->stop_level = level;
			out->pf_error = X86_PF_P | X86_PF_RSVD | acc;
			return 0;
		}
		if (!st->leaf) {
			table = e & ADDR_FIELD_TABLE;
			continue;
		}
		out->page_size = span;
		out->pa = (e & x86_entry_addr_mask(level, true, 52)) | (va & (span - 1));
		ptdbg_x86_perm_of(cpu, entries, level, top, &out->perm);
		if (!access_allowed(&out->perm, access)) {
			out->stop = PTDBG_X86_STOP_PROTECTION;
			out->stop_level = level;
			out->pf_error = X86_PF_P | acc;
		}
		return 0;
	}
	return 0; /* not reached: level 1 is always a leaf */
}
