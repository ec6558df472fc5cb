/* SPDX-License-Identifier: MIT */
/* Checks of x86-64 page tables from walker events; see x86_check.h. */
#include "x86/x86_check.h"

#include <stdlib.h>
#include <string.h>

#include "target/target.h"

const char *const ptdbg_x86_check_kinds[] = {
	"wx", "user-kernel", "reserved-bits", "noncanonical", "sw-present-hw-absent", "alias-wx",
	"table-unreadable", "recursive-table", "walk-partial", NULL,
};

/* A run of contiguous leaves that share a finding kind, reported as one finding. */
struct run {
	const char *kind;
	uint64_t va, end;      /* [va, end) */
	uint64_t pa;           /* first frame */
	uint64_t node;         /* table of the first leaf */
	bool open;
};

/* A physically contiguous mapping recorded for alias-wx. */
struct alias_rec {
	uint64_t pa, pa_end, va;
	uint32_t space;        /* index into spaces[] */
	bool user;             /* the mapping is user-accessible */
};

struct alias_list {
	struct alias_rec *v;
	size_t n, cap;
};

enum { RUN_WX, RUN_USER_KERNEL, RUN_NONCANON, NRUNS };

struct ptdbg_x86_checker {
	struct ptdbg_x86_check_opts o;
	struct ptdbg_x86_cpu cpu;
	char **spaces;         /* names, by index */
	size_t nspaces;
	uint32_t cur;          /* index of the current space */
	struct run runs[NRUNS];
	struct alias_list w, x;
	bool oom;
};

struct ptdbg_x86_checker *ptdbg_x86_checker_new(const struct ptdbg_x86_check_opts *o)
{
	struct ptdbg_x86_checker *c = calloc(1, sizeof(*c));
	if (c)
		c->o = *o;
	return c;
}

void ptdbg_x86_checker_begin(struct ptdbg_x86_checker *c, const char *name,
			     const struct ptdbg_x86_cpu *cpu)
{
	char **s = realloc(c->spaces, (c->nspaces + 1) * sizeof(*s));
	if (!s || !(s[c->nspaces] = strdup(name ? name : ""))) {
		if (s)
			c->spaces = s;
		c->oom = true;
		return;
	}
	c->spaces = s;
	c->cur = (uint32_t)c->nspaces++;
	c->cpu = *cpu;
	memset(c->runs, 0, sizeof(c->runs));
}

static const char *space_name(const struct ptdbg_x86_checker *c, uint32_t i)
{
	return i < c->nspaces ? c->spaces[i] : "";
}

/* Fill the naming fields of a finding: space, marker at va. */
static void name_finding(struct ptdbg_x86_checker *c, struct ptdbg_finding *f, uint64_t va)
{
	if (!f)
		return;
	snprintf(f->space, sizeof(f->space), "%s", space_name(c, c->cur));
	if (c->o.marker) {
		const char *m = c->o.marker(c->o.marker_ctx, va);
		if (m)
			snprintf(f->marker, sizeof(f->marker), "%s", m);
	}
}

static void flush_run(struct ptdbg_x86_checker *c, int which)
{
	struct run *r = &c->runs[which];
	if (!r->open)
		return;
	struct ptdbg_finding *f = NULL;
	uint64_t size = r->end - r->va;
	switch (which) {
	case RUN_WX:
		f = ptdbg_finding_add(c->o.out, "wx", PTDBG_SEV_ERROR, r->va, size,
				      "mapping is writable and executable");
		break;
	case RUN_USER_KERNEL:
		f = ptdbg_finding_add(c->o.out, "user-kernel", PTDBG_SEV_ERROR, r->va, size,
				      "user-accessible mapping in the kernel half (U/S=1 at every level)");
		break;
	case RUN_NONCANON:
		f = ptdbg_finding_add(c->o.out, "noncanonical", PTDBG_SEV_ERROR, r->va, size,
				      "mapping is not canonical under the %u-level paging the kernel declares",
				      c->o.declared_levels);
		break;
	}
	if (f) {
		f->frame = r->pa;
		f->node = r->node;
	}
	name_finding(c, f, r->va);
	r->open = false;
}

/* Extend the run `which` with [va, va+size) or start a new one. */
static void note_run(struct ptdbg_x86_checker *c, int which, const struct ptdbg_walk_event *ev)
{
	struct run *r = &c->runs[which];
	if (r->open && r->end == ev->va) {
		r->end = ev->va + ev->size;
		return;
	}
	flush_run(c, which);
	r->open = true;
	r->va = ev->va;
	r->end = ev->va + ev->size;
	r->pa = ev->pa;
	r->node = ev->path ? ev->path->lv[ev->level].table_pa : PTDBG_NO_ADDR;
}

static void alias_note(struct ptdbg_x86_checker *c, struct alias_list *l, const struct ptdbg_walk_event *ev)
{
	if (l->n) {
		struct alias_rec *last = &l->v[l->n - 1];
		bool user = ev->perm.flags & PTDBG_X86_PERM_U;
		if (last->space == c->cur && last->pa_end == ev->pa && last->user == user &&
		    last->va + (last->pa_end - last->pa) == ev->va) {
			last->pa_end += ev->size;
			return;
		}
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct alias_rec *v = realloc(l->v, cap * sizeof(*v));
		if (!v) {
			c->oom = true;
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = (struct alias_rec){ ev->pa, ev->pa + ev->size, ev->va, c->cur,
					   (ev->perm.flags & PTDBG_X86_PERM_U) != 0 };
}

static bool kernel_half(uint64_t va) { return va >> 63; }

/* The runs of findings a leaf (or a whole LEAF_RUN, as one leaf of its span) adds
 * to: W+X, user pages in the kernel half, addresses not canonical under the
 * declared paging. */
static void note_findings(struct ptdbg_x86_checker *c, const struct ptdbg_walk_event *ev)
{
	uint32_t fl = ev->perm.flags;
	bool w = fl & PTDBG_X86_PERM_W, x = !(fl & PTDBG_X86_PERM_NX);
	if (w && x)
		note_run(c, RUN_WX, ev);
	else
		flush_run(c, RUN_WX);
	if ((fl & PTDBG_X86_PERM_U) && kernel_half(ev->va))
		note_run(c, RUN_USER_KERNEL, ev);
	else
		flush_run(c, RUN_USER_KERNEL);
	if (c->o.declared_levels == 4 && ptdbg_x86_levels(&c->cpu) == 5) {
		uint64_t va = ev->va;
		uint64_t top = va >> 47;
		bool canon4 = top == 0 || top == 0x1ffff;
		if (!canon4)
			note_run(c, RUN_NONCANON, ev);
		else
			flush_run(c, RUN_NONCANON);
	}
}

/* The alias list a leaf with these permissions goes to (writable or executable,
 * not both), or NULL. */
static struct alias_list *alias_list_of(struct ptdbg_x86_checker *c, uint32_t fl)
{
	bool w = fl & PTDBG_X86_PERM_W, x = !(fl & PTDBG_X86_PERM_NX);
	return w && !x ? &c->w : x && !w ? &c->x : NULL;
}

static void on_leaf(struct ptdbg_x86_checker *c, const struct ptdbg_walk_event *ev)
{
	note_findings(c, ev);
	struct alias_list *l = alias_list_of(c, ev->perm.flags);
	if (l)
		alias_note(c, l, ev);
}

/* A LEAF_RUN: as on_leaf for each leaf. Its leaves share the permission and lie in
 * one table, so the runs of findings take it as one leaf of its span; the aliases
 * need each leaf's frame. */
static void on_run(struct ptdbg_x86_checker *c, const struct ptdbg_walk_event *run)
{
	struct ptdbg_walk_event one;

	ptdbg_run_leaf(run, 0, &one);
	one.size = run->count * run->size;
	note_findings(c, &one);
	struct alias_list *l = alias_list_of(c, run->perm.flags);
	if (!l)
		return;
	one.size = run->size;
	for (uint64_t k = 0; k < run->count && !c->oom; k++) {
		ptdbg_run_move(run, k, &one);
		alias_note(c, l, &one);
	}
}

/* Bits of a non-present entry worth naming. */
static void absent_bits(uint64_t e, char *buf, size_t len)
{
	const struct ptdbg_bit_table *t = x86_bits_entry_table(X86_LEVEL_PT, true);
	ptdbg_bits_format(t, e & ~X86_PTE_P, " ", buf, len);
}

static void on_absent(struct ptdbg_x86_checker *c, const struct ptdbg_walk_event *ev)
{
	char bits[160];
	absent_bits(ev->entry, bits, sizeof(bits));
	bool rw = ev->entry & X86_PTE_RW;
	bool b7 = ev->entry & (1ull << 7);
	enum ptdbg_severity sev = (c->o.kernel_knows || rw) ? PTDBG_SEV_ERROR : PTDBG_SEV_WARNING;
	struct ptdbg_finding *f = ptdbg_finding_add(
		c->o.out, "sw-present-hw-absent", sev, ev->va, ev->size,
		"%s %#llx has P=0 but other bits set (%s)%s%s", x86_entry_name(ev->level),
		(unsigned long long)ev->entry, bits,
		rw ? ": software marks it writable, the CPU sees no mapping and raises a not-present fault" : "",
		(!rw && b7) ? ": bit 7 set (a software 'mapped' marker?)" :
		(!c->o.kernel_knows && !rw) ? " (a swap or PROT_NONE entry in some kernels)" : "");
	if (f && ev->path)
		f->node = ev->path->lv[ev->level].table_pa;
	name_finding(c, f, ev->va);
}

static void on_anomaly(struct ptdbg_x86_checker *c, const struct ptdbg_walk_event *ev)
{
	struct ptdbg_finding *f = NULL;
	uint64_t node = PTDBG_NO_ADDR;
	if (ev->path && ev->level >= 1 && ev->level <= 5)
		node = ev->path->lv[ev->level].table_pa;
	switch (ev->anomaly) {
	case PTDBG_AN_RESERVED:
		f = ptdbg_finding_add(c->o.out, "reserved-bits", PTDBG_SEV_ERROR, ev->va, ev->size,
				      "%s %#llx has reserved bits %#llx set: any access faults with #PF(RSVD)",
				      x86_entry_name(ev->level), (unsigned long long)ev->entry,
				      (unsigned long long)ev->detail);
		break;
	case PTDBG_AN_TYPE_LEVEL:
		f = ptdbg_finding_add(c->o.out, "reserved-bits", PTDBG_SEV_ERROR, ev->va, ev->size,
				      "%s %#llx has PS=1 where no page of that size exists",
				      x86_entry_name(ev->level), (unsigned long long)ev->entry);
		break;
	case PTDBG_AN_READ_ERROR:
		f = ptdbg_finding_add(c->o.out, "table-unreadable", PTDBG_SEV_ERROR, ev->va, ev->size,
				      "%s at %#llx cannot be read (outside RAM?); nothing below it was checked",
				      x86_level_name(ev->level), (unsigned long long)ev->pa);
		node = ev->pa;
		break;
	case PTDBG_AN_RECURSIVE:
		f = ptdbg_finding_add(c->o.out, "recursive-table", PTDBG_SEV_INFO, ev->va, ev->size,
				      "%s at %#llx is also the level-%llu table on its own path (a recursive slot or a loop)",
				      x86_level_name(ev->level), (unsigned long long)ev->pa,
				      (unsigned long long)ev->detail);
		node = ev->pa;
		break;
	case PTDBG_AN_BUDGET:
		f = ptdbg_finding_add(c->o.out, "walk-partial", PTDBG_SEV_ERROR, ev->va, 0,
				      "walk budget exhausted: addresses from here on were not checked");
		break;
	}
	if (f)
		f->node = node;
	name_finding(c, f, ev->va);
}

int ptdbg_x86_checker_visit(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct ptdbg_x86_checker *c = ctx;
	switch (ev->kind) {
	case PTDBG_EV_LEAF_RUN:
		on_run(c, ev);
		break;
	case PTDBG_EV_LEAF:
		on_leaf(c, ev);
		break;
	case PTDBG_EV_ABSENT:
		on_absent(c, ev);
		break;
	case PTDBG_EV_ANOMALY:
		on_anomaly(c, ev);
		break;
	case PTDBG_EV_NODE:
	case PTDBG_EV_HOLE:
		break;
	}
	return c->oom ? PTDBG_ENOMEM : 0;
}

void ptdbg_x86_checker_end(struct ptdbg_x86_checker *c)
{
	for (int i = 0; i < NRUNS; i++)
		flush_run(c, i);
}

static int cmp_alias(const void *a, const void *b)
{
	const struct alias_rec *x = a, *y = b;
	if (x->pa != y->pa)
		return x->pa < y->pa ? -1 : 1;
	return (x->va > y->va) - (x->va < y->va);
}

void ptdbg_x86_checker_finish(struct ptdbg_x86_checker *c)
{
	/* qsort's array may not be NULL, even when empty (no leaf was seen) */
	if (c->w.n)
		qsort(c->w.v, c->w.n, sizeof(*c->w.v), cmp_alias);
	if (c->x.n)
		qsort(c->x.v, c->x.n, sizeof(*c->x.v), cmp_alias);
	/* Sweep: for each executable range, the writable ranges overlapping it. */
	size_t wi = 0;
	for (size_t i = 0; i < c->x.n; i++) {
		const struct alias_rec *x = &c->x.v[i];
		while (wi < c->w.n && c->w.v[wi].pa_end <= x->pa)
			wi++;
		for (size_t k = wi; k < c->w.n && c->w.v[k].pa < x->pa_end; k++) {
			const struct alias_rec *w = &c->w.v[k];
			/* A kernel-writable alias of user code is how every kernel works (its
			 * linear map); what matters is code the kernel runs being writable
			 * anywhere, and memory the user writes being executable anywhere. */
			if (w->pa_end <= x->pa || (x->user && !w->user))
				continue;
			uint64_t lo = w->pa > x->pa ? w->pa : x->pa;
			uint64_t hi = w->pa_end < x->pa_end ? w->pa_end : x->pa_end;
			uint64_t xva = x->va + (lo - x->pa), wva = w->va + (lo - w->pa);
			struct ptdbg_finding *f = ptdbg_finding_add(
				c->o.out, "alias-wx", PTDBG_SEV_ERROR, xva, hi - lo,
				"frames %#llx-%#llx are %s-executable here and %s-writable at %#llx%s%s",
				(unsigned long long)lo, (unsigned long long)hi, x->user ? "user" : "kernel",
				w->user ? "user" : "kernel", (unsigned long long)wva,
				w->space != x->space ? " in " : "",
				w->space != x->space ? space_name(c, w->space) : "");
			if (f) {
				f->frame = lo;
				snprintf(f->space, sizeof(f->space), "%s", space_name(c, x->space));
				if (c->o.marker) {
					const char *m = c->o.marker(c->o.marker_ctx, xva);
					if (m)
						snprintf(f->marker, sizeof(f->marker), "%s", m);
				}
			}
		}
	}
}

void ptdbg_x86_checker_free(struct ptdbg_x86_checker *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nspaces; i++)
		free(c->spaces[i]);
	free(c->spaces);
	free(c->w.v);
	free(c->x.v);
	free(c);
}
