/* SPDX-License-Identifier: MIT */
/* Checks of AArch64 tables: see arm64_check.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm64/arm64_bits.h"
#include "arm64/arm64_check.h"
#include "target/ramfilter.h"
#include "walk/dump.h"

const char *const ptdbg_arm64_check_kinds[] = {
	"wx", "user-kernel", "reserved-bits", "sw-present-hw-absent", "table-unreadable", "table-outside-ram",
	"recursive-table", "walk-partial", "pc-unmapped", "alias-wx", NULL,
};

/* A run of contiguous leaves that share a finding kind. */
struct run {
	bool open;
	uint64_t va, end, pa, node;
	uint32_t why;          /* the kind's detail bits, the same over the run */
};

/* A physically contiguous mapping recorded for alias-wx. */
struct alias_rec {
	uint64_t pa, pa_end, va;
	uint32_t space;        /* index into the checker's names */
	bool user;             /* EL0 may access it */
};

struct alias_list {
	struct alias_rec *v;
	size_t n, cap;
};

struct ptdbg_arm64_checker {
	struct ptdbg_findings *out;
	const struct ptdbg_ram *ram;   /* where RAM is (NULL: not known) */
	char (*names)[48];     /* the spaces walked, by index */
	size_t nnames;
	struct alias_list w, x;
	bool oom;
};

struct chk {
	struct ptdbg_findings *out;
	const struct ptdbg_arm64_cpu *cpu;
	unsigned half;
	const char *name;      /* the space's name in findings */
	struct ptdbg_arm64_half h;
	struct run wx, uk;
	struct ptdbg_arm64_checker *ck;  /* alias records (may be NULL) */
	uint32_t space;
	ptdbg_walk_visit_fn also;        /* another visitor of the same walk (may be NULL) */
	void *also_ctx;
};

static const char *half_name(unsigned half)
{
	return half ? "TTBR1" : "TTBR0";
}

#define space_name(half) (c->name ? c->name : half_name(half))

static void flush_wx(struct chk *c)
{
	struct run *r = &c->wx;
	if (!r->open)
		return;
	r->open = false;
	struct ptdbg_finding *f = ptdbg_finding_add(c->out, "wx", PTDBG_SEV_ERROR, r->va, r->end - r->va,
		"writable and executable%s%s: %s", (r->why & 1) ? " at EL1 (no PXN)" : "",
		(r->why & 2) ? ((r->why & 1) ? " and at EL0 (no UXN)" : " at EL0 (no UXN)") : "",
		"code can be written and run; set PXN/UXN or make it read-only (or set SCTLR_EL1.WXN)");
	if (f) {
		f->frame = r->pa;
		f->node = r->node;
		snprintf(f->space, sizeof(f->space), "%s", space_name(c->half));
	}
}

static void flush_uk(struct chk *c)
{
	struct run *r = &c->uk;
	if (!r->open)
		return;
	r->open = false;
	struct ptdbg_finding *f = ptdbg_finding_add(c->out, "user-kernel", PTDBG_SEV_ERROR, r->va,
		r->end - r->va, "EL0 may %s this mapping in the TTBR1 (kernel) half (AP[1]=1, no "
		"APTable restriction above it)", (r->why & 1) ? "read and write" : "read");
	if (f) {
		f->frame = r->pa;
		f->node = r->node;
		snprintf(f->space, sizeof(f->space), "%s", space_name(c->half));
	}
}

/* Extend run r with leaf ev (detail why) or start it anew. */
static void run_add(struct chk *c, struct run *r, const struct ptdbg_walk_event *ev, uint32_t why,
		    void (*flush)(struct chk *))
{
	if (r->open && r->end == ev->va && r->why == why) {
		r->end = ev->va + ev->size;
		return;
	}
	flush(c);
	*r = (struct run){ true, ev->va, ev->va + ev->size, ev->pa,
			   ev->path->lv[ev->level].table_pa, why };
}

/* Record leaf ev for alias-wx: as writable, executable, or both (the same mapping
 * is wx's business, not alias-wx's). A run continuing the last record extends it. */
static void alias_note(struct chk *c, const struct ptdbg_walk_event *ev)
{
	uint32_t a = ev->perm.access;
	bool w = a & (PTDBG_P_KW | PTDBG_P_UW), x = a & (PTDBG_P_KX | PTDBG_P_UX);
	if (w == x || (a & PTDBG_P_FAULTS))
		return;
	struct alias_list *l = w ? &c->ck->w : &c->ck->x;
	bool user = x ? (a & PTDBG_P_UX) != 0 : (a & PTDBG_P_UW) != 0;
	if (l->n) {
		struct alias_rec *r = &l->v[l->n - 1];
		if (r->pa_end == ev->pa && r->va + (r->pa_end - r->pa) == ev->va && r->space == c->space &&
		    r->user == user) {
			r->pa_end += ev->size;
			return;
		}
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct alias_rec *v = realloc(l->v, cap * sizeof(*v));
		if (!v) {
			c->ck->oom = true;
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = (struct alias_rec){ ev->pa, ev->pa + ev->size, ev->va, c->space, user };
}

/* The runs of findings a leaf (or a whole LEAF_RUN, as one leaf of its span) adds
 * to: writable and executable, user pages in the TTBR1 half. */
static void leaf_findings(struct chk *c, const struct ptdbg_walk_event *ev)
{
	uint32_t fl = ev->perm.flags, wx = 0;
	if ((fl & PTDBG_ARM64_PERM_KW) && !(fl & PTDBG_ARM64_PERM_PXN))
		wx |= 1;
	if ((fl & PTDBG_ARM64_PERM_UW) && !(fl & PTDBG_ARM64_PERM_UXN))
		wx |= 2;
	if (wx)
		run_add(c, &c->wx, ev, wx, flush_wx);
	else
		flush_wx(c);
	if (c->half == 1 && (fl & PTDBG_ARM64_PERM_UR))
		run_add(c, &c->uk, ev, (fl & PTDBG_ARM64_PERM_UW) ? 1u : 0u, flush_uk);
	else
		flush_uk(c);
}

static int check_visit(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct chk *c = ctx;
	struct ptdbg_finding *f = NULL;
	int lk = ptdbg_arm64_lookup_level(ev->level);

	switch (ev->kind) {
	case PTDBG_EV_LEAF_RUN: {
		/* one permission, one table: the findings' runs take it whole; the
		 * aliases need each leaf's frame */
		struct ptdbg_walk_event one;
		ptdbg_run_leaf(ev, 0, &one);
		one.size = ev->count * ev->size;
		leaf_findings(c, &one);
		one.size = ev->size;
		for (uint64_t k = 0; c->ck && k < ev->count && !c->ck->oom; k++) {
			ptdbg_run_move(ev, k, &one);
			alias_note(c, &one);
		}
		return 0;
	}
	case PTDBG_EV_LEAF:
		leaf_findings(c, ev);
		if (c->ck)
			alias_note(c, ev);
		return 0;
	case PTDBG_EV_ABSENT:
		if (ev->level <= 3 || (ev->level == 4 && c->h.ds))
			f = ptdbg_finding_add(c->out, "sw-present-hw-absent", PTDBG_SEV_WARNING, ev->va,
				ev->size, "invalid descriptor 0x%016" PRIx64 " (bit 0 clear) with other bits set "
				"at level %d: the CPU takes it as unmapped (translation fault at level %d) "
				"whatever software meant by the other bits", ev->entry, lk, lk);
		break;
	case PTDBG_EV_ANOMALY:
		switch (ev->anomaly) {
		case PTDBG_AN_RESERVED:
			f = ptdbg_finding_add(c->out, "reserved-bits", PTDBG_SEV_ERROR, ev->va, ev->size,
				"descriptor 0x%016" PRIx64 " at level %d has output-address bits 0x%016" PRIx64
				" at or above the %u-bit output size: any access faults (address size fault at "
				"level %d)", ev->entry, lk, ev->detail, c->h.pa_bits, lk);
			break;
		case PTDBG_AN_TYPE_LEVEL:
			f = ptdbg_finding_add(c->out, "reserved-bits", PTDBG_SEV_ERROR, ev->va, ev->size,
				"descriptor 0x%016" PRIx64 " is a block at level %d, where the %uK granule allows "
				"none: the CPU takes it as invalid (translation fault at level %d)",
				ev->entry, lk, 1u << (c->h.gshift - 10), lk);
			break;
		case PTDBG_AN_READ_ERROR:
			if (c->ck && c->ck->ram && !ptdbg_ram_holds(c->ck->ram, ev->pa, 8))
				f = ptdbg_finding_add(c->out, "table-outside-ram", PTDBG_SEV_ERROR, ev->va, ev->size,
					"the level %d table at 0x%016" PRIx64 " (entry 0x%016" PRIx64 ") is not RAM: "
					"the %s has no memory there; the CPU walks whatever answers there (an "
					"external abort, zeros or device registers), so ptdump does not read it",
					lk, ev->pa, ev->entry, c->ck->ram->source);
			else
				f = ptdbg_finding_add(c->out, "table-unreadable", PTDBG_SEV_ERROR, ev->va, ev->size,
					"the level %d table at 0x%016" PRIx64 " cannot be read (entry 0x%016" PRIx64 ")",
					lk, ev->pa, ev->entry);
			break;
		case PTDBG_AN_RECURSIVE:
			f = ptdbg_finding_add(c->out, "recursive-table", PTDBG_SEV_WARNING, ev->va, ev->size,
				"the table at 0x%016" PRIx64 " is also its own ancestor at level %d: a loop "
				"in the tables", ev->pa, ptdbg_arm64_lookup_level((unsigned)ev->detail));
			break;
		case PTDBG_AN_BUDGET:
			f = ptdbg_finding_add(c->out, "walk-partial", PTDBG_SEV_WARNING, ev->va, 0,
				"the walk budget ran out after %" PRIu64 ": the rest of the %s half is not checked",
				ev->detail, space_name(c->half));
			break;
		}
		break;
	default:
		break;
	}
	if (f) {
		f->node = ev->path ? ev->path->lv[ev->level].table_pa : PTDBG_NO_ADDR;
		snprintf(f->space, sizeof(f->space), "%s", space_name(c->half));
	}
	return 0;
}

/* The checks of this file, then the other visitor of the walk. */
static int check_visit_both(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct chk *c = ctx;
	int rc = check_visit(c, ev);
	if (rc == 0 && c->also)
		rc = c->also(c->also_ctx, ev);
	if (rc == 0 && c->ck && c->ck->oom)
		rc = PTDBG_ENOMEM;
	return rc;
}

/* ---- pc-unmapped ---- */

struct alias {
	uint64_t pa;   /* the physical address looked for */
	uint64_t va;   /* where it is mapped; 0 if nowhere */
	bool found;
};

static int alias_visit(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct alias *a = ctx;
	if (ev->kind == PTDBG_EV_LEAF && a->pa >= ev->pa && a->pa - ev->pa < ev->size &&
	    (ev->perm.access & PTDBG_P_KX)) {
		a->va = ev->va + (a->pa - ev->pa);
		a->found = true;
		return 1;
	}
	return 0;
}

/* Where half maps physical address pa executable, if anywhere. */
static bool find_alias(struct ptdbg_mem *mem, const struct ptdbg_arm64_cpu *cpu, unsigned half,
		       uint64_t pa, uint64_t *va, int *link)
{
	struct alias a = { pa, 0, false };
	int rc = ptdbg_arm64_walk(mem, cpu, half, NULL, alias_visit, &a, NULL);
	*link = ptdbg_link_error(rc) ? rc : 0;
	*va = a.va;
	return a.found;
}

/* One address that must be executable: what, at el. Returns 0 or a link error. */
static int check_fetch(struct ptdbg_mem *mem, const struct ptdbg_arm64_cpu *cpu,
		       struct ptdbg_findings *out, const char *what, uint64_t addr, int el,
		       const char *context, ptdbg_arm64_symbolize_fn sym, void *sym_ctx)
{
	struct ptdbg_translation tr;
	int half, link = 0;
	char fsc[96], s[160] = "", hint[256] = "";
	unsigned acc = PTDBG_ACC_FETCH | (el == 0 ? PTDBG_ACC_USER : 0);

	int rc = ptdbg_arm64_translate(mem, cpu, addr, acc, &tr, &half);
	if (rc)
		return rc;
	if (tr.stop == PTDBG_STOP_OK)
		return 0;
	ptdbg_arm64_fsc_name(tr.fault, fsc, sizeof(fsc));
	/* Code running from its physical address: is that frame mapped elsewhere? */
	uint64_t va;
	for (unsigned other = 0; other < 2 && !hint[0]; other++) {
		if ((int)other == half)
			continue;
		if (find_alias(mem, cpu, other, addr, &va, &link)) {
			if (sym)
				sym(sym_ctx, va, s, sizeof(s));
			snprintf(hint, sizeof(hint), "; it is the physical address of 0x%" PRIx64 "%s%s%s in "
				 "TTBR%u: code that set SCTLR_EL1.M running from its physical address fetches "
				 "through TTBR%u, which maps nothing there (no identity mapping)",
				 va, s[0] ? " (" : "", s, s[0] ? ")" : "", other, half < 0 ? 0 : half);
		}
		if (link)
			return link;
	}
	if (!hint[0] && sym) {
		sym(sym_ctx, addr, s, sizeof(s));
		if (s[0])
			snprintf(hint, sizeof(hint), " (%s)", s);
	}
	struct ptdbg_finding *f = ptdbg_finding_add(out, "pc-unmapped", PTDBG_SEV_ERROR, addr, 0,
		"%s 0x%" PRIx64 "%s cannot be fetched at EL%d: %s through TTBR%d%s", what, addr, context,
		el < 0 ? 1 : el, fsc, half < 0 ? 0 : half, hint);
	if (f && half >= 0)
		snprintf(f->space, sizeof(f->space), "%s", half_name((unsigned)half));
	return 0;
}

struct ptdbg_arm64_checker *ptdbg_arm64_checker_new(struct ptdbg_findings *out)
{
	struct ptdbg_arm64_checker *c = calloc(1, sizeof(*c));
	if (c)
		c->out = out;
	return c;
}

int ptdbg_arm64_check_half(struct ptdbg_arm64_checker *ck, struct ptdbg_mem *mem,
			   const struct ptdbg_arm64_cpu *cpu, unsigned half, const char *name,
			   ptdbg_walk_visit_fn also, void *also_ctx)
{
	struct chk c = { .out = ck->out, .cpu = cpu, .half = half, .name = name, .ck = ck,
			 .also = also, .also_ctx = also_ctx };
	if (!ptdbg_arm64_mmu_on(cpu))
		return 0; /* no tables in force */
	ptdbg_arm64_half_of(cpu, half, &c.h);
	if (!c.h.enabled)
		return 0;
	char (*nv)[48] = realloc(ck->names, (ck->nnames + 1) * sizeof(*nv));
	if (!nv)
		return PTDBG_ENOMEM;
	ck->names = nv;
	snprintf(nv[ck->nnames], sizeof(nv[0]), "%s", name ? name : half_name(half));
	c.space = (uint32_t)ck->nnames++;
	struct ptdbg_walk_result res;
	/* leaf runs: also must take them (the region checker does) */
	const struct ptdbg_walk_opts wo = { .leaf_runs = true };
	int rc = ptdbg_arm64_walk(mem, cpu, half, &wo, check_visit_both, &c, &res);
	flush_wx(&c);
	flush_uk(&c);
	if (rc == PTDBG_ENOMEM || (rc && ptdbg_link_error(rc)))
		return rc;
	return 0;
}

static int cmp_alias(const void *a, const void *b)
{
	const struct alias_rec *x = a, *y = b;
	if (x->pa != y->pa)
		return x->pa < y->pa ? -1 : 1;
	return (x->va > y->va) - (x->va < y->va);
}

void ptdbg_arm64_checker_set_ram(struct ptdbg_arm64_checker *c, const struct ptdbg_ram *ram)
{
	c->ram = ram;
}

void ptdbg_arm64_checker_finish(struct ptdbg_arm64_checker *c)
{
	if (c->w.n)
		qsort(c->w.v, c->w.n, sizeof(*c->w.v), cmp_alias);
	if (c->x.n)
		qsort(c->x.v, c->x.n, sizeof(*c->x.v), cmp_alias);
	size_t wi = 0;
	for (size_t i = 0; i < c->x.n; i++) {
		const struct alias_rec *x = &c->x.v[i];
		while (wi < c->w.n && c->w.v[wi].pa_end <= x->pa)
			wi++;
		for (size_t k = wi; k < c->w.n && c->w.v[k].pa < x->pa_end; k++) {
			const struct alias_rec *w = &c->w.v[k];
			/* As on x86-64: an EL1-writable alias of EL0 code is every kernel's
			 * linear map; code EL1 runs writable anywhere, or memory EL0 writes
			 * executable anywhere, is the finding. */
			if (w->pa_end <= x->pa || (x->user && !w->user))
				continue;
			uint64_t lo = w->pa > x->pa ? w->pa : x->pa;
			uint64_t hi = w->pa_end < x->pa_end ? w->pa_end : x->pa_end;
			uint64_t xva = x->va + (lo - x->pa), wva = w->va + (lo - w->pa);
			struct ptdbg_finding *f = ptdbg_finding_add(
				c->out, "alias-wx", PTDBG_SEV_ERROR, xva, hi - lo,
				"frames %#llx-%#llx are %s-executable here and %s-writable at %#llx%s%s",
				(unsigned long long)lo, (unsigned long long)hi, x->user ? "EL0" : "EL1",
				w->user ? "EL0" : "EL1", (unsigned long long)wva, w->space != x->space ? " in " : "",
				w->space != x->space ? c->names[w->space] : "");
			if (f) {
				f->frame = lo;
				snprintf(f->space, sizeof(f->space), "%s", c->names[x->space]);
			}
		}
	}
}

void ptdbg_arm64_checker_free(struct ptdbg_arm64_checker *c)
{
	if (!c)
		return;
	free(c->names);
	free(c->w.v);
	free(c->x.v);
	free(c);
}

int ptdbg_arm64_check_fetches(struct ptdbg_mem *mem, const struct ptdbg_arm64_cpu *cpu,
			      struct ptdbg_findings *out, ptdbg_arm64_symbolize_fn sym, void *sym_ctx)
{
	if (!ptdbg_arm64_mmu_on(cpu))
		return 0;
	int el = ptdbg_arm64_el(cpu);
	int rc = 0;
	if (cpu->valid & PTDBG_ARM64_HAVE_PC)
		rc = check_fetch(mem, cpu, out, "PC", cpu->pc, el, "", sym, sym_ctx);
	if (!rc && (cpu->valid & PTDBG_ARM64_HAVE_EXC) && cpu->esr) {
		/* The EL the exception came from: SPSR_EL1, else the class (aborts and debug
		 * exceptions say "lower EL"), else the half ELR is in. */
		unsigned ec = arm64_esr_ec(cpu->esr);
		bool low;
		if (cpu->valid & PTDBG_ARM64_HAVE_SPSR)
			low = arm64_psr_el(cpu->spsr) == 0;
		else if (ec == ARM64_EC_IABT_LOW || ec == ARM64_EC_IABT_CUR || ec == ARM64_EC_DABT_LOW ||
			 ec == ARM64_EC_DABT_CUR || (ec >= ARM64_EC_BREAKPT_LOW && ec <= ARM64_EC_WATCHPT_CUR))
			low = !(ec & 1u);
		else
			low = !((cpu->elr >> 55) & 1u);
		char ctx[160], words[128];
		ptdbg_arm64_exception_text(cpu, words, sizeof(words));
		char *colon = strpbrk(words, ":,");
		if (colon)
			*colon = 0;
		snprintf(ctx, sizeof(ctx), " of the last exception (%s)", words);
		if (!(cpu->valid & PTDBG_ARM64_HAVE_PC) || cpu->elr != cpu->pc)
			rc = check_fetch(mem, cpu, out, "ELR_EL1", cpu->elr, low ? 0 : 1, ctx, sym, sym_ctx);
	}
	if (!rc && (cpu->valid & PTDBG_ARM64_HAVE_VBAR))
		rc = check_fetch(mem, cpu, out, "VBAR_EL1", cpu->vbar, 1, " (the exception vectors)",
				 sym, sym_ctx);
	return rc;
}

int ptdbg_arm64_check(struct ptdbg_mem *mem, const struct ptdbg_arm64_cpu *cpu,
		      struct ptdbg_findings *out, ptdbg_arm64_symbolize_fn sym, void *sym_ctx)
{
	struct ptdbg_arm64_checker *ck = ptdbg_arm64_checker_new(out);
	if (!ck)
		return PTDBG_ENOMEM;
	int rc = 0;
	for (unsigned half = 0; half < 2 && rc == 0; half++)
		rc = ptdbg_arm64_check_half(ck, mem, cpu, half, NULL, NULL, NULL);
	ptdbg_arm64_checker_finish(ck);
	ptdbg_arm64_checker_free(ck);
	return rc ? rc : ptdbg_arm64_check_fetches(mem, cpu, out, sym, sym_ctx);
}
