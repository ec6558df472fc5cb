/* SPDX-License-Identifier: MIT */
/* ptdump: address-space selection, marker names, output and progress helpers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arm64/arm64_bits.h"
#include "ptdump.h"
#include "x86/spaces.h"
#include "x86/x86_bits.h"

uint64_t pt_space_root(const struct pt_space *sp)
{
	if (sp->a64)
		return (sp->half ? sp->a64cpu.ttbr1 : sp->a64cpu.ttbr0) & ARM64_TTBR_BADDR_MASK;
	return ptdbg_x86_root(&sp->cpu);
}

unsigned pt_space_levels(const struct pt_space *sp)
{
	if (sp->a64) {
		struct ptdbg_arm64_half h;
		ptdbg_arm64_half_of(&sp->a64cpu, sp->half, &h);
		return h.top;
	}
	return ptdbg_x86_levels(&sp->cpu);
}

const struct ptdbg_bit_table *pt_space_perm_bits(const struct pt_space *sp)
{
	return sp->a64 ? &arm64_bits_effective : &x86_bits_effective;
}

static void space_from_region(struct ptdbg_session *s, const struct ptdbg_aspace *as, struct pt_space *out)
{
	char name[PTDBG_NAME_LEN + 1];
	ptdbg_name_copy(name, as->name, PTDBG_NAME_LEN);
	snprintf(out->name, sizeof(out->name), "%s", name);
	out->kind = as->kind;
	ptdbg_session_cpu(s, &out->cpu);
	out->cpu.cr3 = as->root & X86_PTE_ADDR_MASK;
	if (as->levels == 4 || as->levels == 5)
		out->cpu.levels = as->levels;
	out->how = "region";
	out->current = (s->regs.valid & PTDBG_REG_CR3) &&
		       (s->regs.cr3 & X86_PTE_ADDR_MASK) == (as->root & X86_PTE_ADDR_MASK);
}

static void scan_progress(void *ctx, uint64_t done, uint64_t total)
{
	pt_progress_frames(ctx, done, total);
}

int pt_spaces_find(struct ptdbg_session *s, bool scan, struct pt_space **out, size_t *n,
		   bool *scanned, struct ptdbg_ram *ram, uint64_t *unreadable)
{
	*out = NULL;
	*n = 0;
	if (scanned)
		*scanned = false;
	int rc = pt_attach(s);
	if (rc)
		return rc;
	if (pt_is_a64(s))
		return pt_a64_spaces_find(s, scan, out, n, scanned, ram, unreadable);
	if (s->have_region && !scan) {
		struct pt_space_sel all = { .all = true };
		return pt_space_resolve(s, &all, out, n);
	}
	struct ptdbg_x86_cpu cpu;
	ptdbg_session_cpu(s, &cpu);
	if (!(s->regs.valid & PTDBG_REG_CR3)) {
		ptdbg_session_err(s, "the target gives no CR3: there is no root to start the scan from");
		return PTDBG_EXIT_ERROR;
	}
	struct ptdbg_ram lram;
	char why[256] = "";
	const struct ptdbg_frames *fr = &s->region.hdr.frames;
	rc = ptdbg_ram_find(s->t, s->topts.core_file, s->have_region ? fr->base_pfn : 0,
			    s->have_region ? fr->count : 0, &lram, why, sizeof(why));
	if (rc) {
		if (ptdbg_link_error(rc))
			return pt_walk_error(s, rc);
		ptdbg_session_err(s, "%s", why);
		return PTDBG_EXIT_ERROR;
	}
	const char *backend = ptdbg_target_backend(s->t);
	bool link = !strcmp(backend, "gdbstub") || !strcmp(backend, "callback");
	struct pt_progress prog;
	pt_progress_start(&prog, s, "scanning RAM");
	struct ptdbg_x86_root *roots;
	size_t nr;
	uint64_t bad = 0;
	rc = ptdbg_x86_find_roots(s->t, s->mem, &cpu, &lram, link, scan_progress, &prog, &roots, &nr, &bad,
				  why, sizeof(why));
	pt_progress_end(&prog);
	if (rc) {
		if (rc == PTDBG_EINVAL) {
			ptdbg_session_err(s, "%s", why);
			return PTDBG_EXIT_ERROR;
		}
		if (rc == PTDBG_ENOMEM) {
			ptdbg_session_err(s, "out of memory");
			return PTDBG_EXIT_ERROR;
		}
		return pt_walk_error(s, rc);
	}
	struct pt_space *v = calloc(nr ? nr : 1, sizeof(*v));
	if (!v) {
		free(roots);
		ptdbg_session_err(s, "out of memory");
		return PTDBG_EXIT_ERROR;
	}
	/* The kernel's own space: the region's, else the first root with an empty user
	 * half, else the one in CR3 (roots[] holds CR3's). */
	size_t kern = nr;
	for (size_t i = 0; i < nr; i++) {
		const struct ptdbg_aspace *as = s->have_region ? ptdbg_region_space_by_root(&s->region, roots[i].root) : NULL;
		if (as && as->kind == PTDBG_AS_KERNEL && kern == nr)
			kern = i;
	}
	for (size_t i = 0; i < nr && kern == nr; i++)
		if (roots[i].user_empty && roots[i].how != PTDBG_ROOT_KPTI)
			kern = i;
	for (size_t i = 0; i < nr && kern == nr; i++)
		if (roots[i].how == PTDBG_ROOT_CR3)
			kern = i;
	for (size_t i = 0; i < nr; i++) {
		struct pt_space *sp = &v[i];
		sp->cpu = cpu;
		sp->cpu.cr3 = roots[i].root;
		sp->kind = i == kern ? PTDBG_AS_KERNEL : PTDBG_AS_USER;
		sp->how = ptdbg_x86_root_how_name(roots[i].how);
		sp->current = roots[i].how == PTDBG_ROOT_CR3;
		const struct ptdbg_aspace *as = s->have_region ? ptdbg_region_space_by_root(&s->region, roots[i].root) : NULL;
		if (as) {
			char name[PTDBG_NAME_LEN + 1];
			ptdbg_name_copy(name, as->name, PTDBG_NAME_LEN);
			snprintf(sp->name, sizeof(sp->name), "%s", name);
		} else {
			snprintf(sp->name, sizeof(sp->name), "%s=%#llx", i == kern ? "kernel" : "root",
				 (unsigned long long)roots[i].root);
		}
	}
	free(roots);
	if (scanned)
		*scanned = true;
	if (ram)
		*ram = lram;
	if (unreadable)
		*unreadable = bad;
	*out = v;
	*n = nr;
	return 0;
}

int pt_space_resolve(struct ptdbg_session *s, const struct pt_space_sel *sel,
		     struct pt_space **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if ((sel->as_name != NULL) + (sel->cr3 != NULL) + sel->all + sel->all_spaces > 1) {
		ptdbg_usage_err(s, "options '--as', '--cr3', '--all' and '--all-spaces' exclude each other");
		return PTDBG_EXIT_ERROR;
	}
	int rc = pt_attach(s);
	if (rc)
		return rc;
	if (sel->all_spaces)
		return pt_spaces_find(s, false, out, n, NULL, NULL, NULL);
	if (pt_is_a64(s))
		return pt_a64_space_resolve(s, sel, out, n);
	if ((sel->as_name || sel->all) && !s->have_region) {
		ptdbg_session_err(s, "%s needs the kernel's debug region: %s", sel->all ? "--all" : "--as",
				  s->region_why);
		return PTDBG_EXIT_ERROR;
	}
	struct pt_space *v = calloc(s->have_region && sel->all ? s->region.nspaces + 1 : 1, sizeof(*v));
	if (!v) {
		ptdbg_session_err(s, "out of memory");
		return PTDBG_EXIT_ERROR;
	}
	if (sel->all) {
		for (size_t i = 0; i < s->region.nspaces; i++) {
			const struct ptdbg_aspace *as = &s->region.spaces[i];
			if (!(as->flags & PTDBG_AS_F_LIVE) ||
			    (as->kind != PTDBG_AS_KERNEL && as->kind != PTDBG_AS_USER))
				continue;
			space_from_region(s, as, &v[(*n)++]);
		}
	} else if (sel->as_name) {
		const struct ptdbg_aspace *as = ptdbg_region_space_by_name(&s->region, sel->as_name);
		if (!as || (as->kind != PTDBG_AS_KERNEL && as->kind != PTDBG_AS_USER)) {
			ptdbg_session_err(s, "no CPU address space named '%s' in the debug region (ptdump region lists them)",
					  sel->as_name);
			free(v);
			return PTDBG_EXIT_ERROR;
		}
		space_from_region(s, as, &v[(*n)++]);
	} else {
		struct pt_space *sp = &v[(*n)++];
		ptdbg_session_cpu(s, &sp->cpu);
		if (sel->cr3) {
			uint64_t cr3;
			if (ptdbg_parse_u64(sel->cr3, &cr3)) {
				ptdbg_session_err(s, "--cr3 takes a physical address, not '%s'", sel->cr3);
				free(v);
				return PTDBG_EXIT_ERROR;
			}
			sp->cpu.cr3 = cr3;
		} else if (!(s->regs.valid & PTDBG_REG_CR3) && !(s->have_region && s->region.hdr.cpu.cr3)) {
			ptdbg_session_err(s, "the target gives no CR3: name an address space with --cr3 or --as");
			free(v);
			return PTDBG_EXIT_ERROR;
		}
		const struct ptdbg_aspace *as =
			s->have_region ? ptdbg_region_space_by_root(&s->region, sp->cpu.cr3) : NULL;
		if (as) {
			space_from_region(s, as, sp);
			sp->cpu.cr3 = sel->cr3 ? sp->cpu.cr3 : s->regs.cr3;
			if (!(s->regs.valid & PTDBG_REG_CR3))
				sp->cpu.cr3 = as->root;
		} else {
			snprintf(sp->name, sizeof(sp->name), "cr3=%#llx",
				 (unsigned long long)(sp->cpu.cr3 & X86_PTE_ADDR_MASK));
			sp->how = sel->cr3 ? NULL : "cr3";
		}
		sp->current = (s->regs.valid & PTDBG_REG_CR3) &&
			      ((sp->cpu.cr3 ^ s->regs.cr3) & X86_PTE_ADDR_MASK) == 0;
	}
	if (*n == 0) {
		ptdbg_session_err(s, "the debug region lists no live address space");
		free(v);
		return PTDBG_EXIT_ERROR;
	}
	*out = v;
	return 0;
}

size_t pt_space_own_ranges(struct ptdbg_session *s, const struct pt_space *sp, size_t n, size_t k,
			   struct pt_va_range *out)
{
	const struct ptdbg_x86_cpu *cpu = &sp[k].cpu;
	const struct pt_space *kern = NULL;
	for (size_t i = 0; i < n; i++)
		if (sp[i].kind == PTDBG_AS_KERNEL)
			kern = &sp[i];
	out[0] = (struct pt_va_range){ 0, UINT64_MAX };
	if (sp[k].kind != PTDBG_AS_USER || !kern || ptdbg_x86_levels(&kern->cpu) != ptdbg_x86_levels(cpu))
		return 1;
	uint64_t mine[512], theirs[512];
	if (ptdbg_mem_read(s->mem, ptdbg_x86_root(cpu), mine, sizeof(mine)) ||
	    ptdbg_mem_read(s->mem, ptdbg_x86_root(&kern->cpu), theirs, sizeof(theirs)))
		return 1; /* unreadable: walk it all and let the walker report it */
	unsigned top = ptdbg_x86_levels(cpu);
	uint64_t span = ptdbg_level_span_4k(top);
	size_t nr = 0;
	out[nr++] = (struct pt_va_range){ 0, 256 * span - 1 };
	for (unsigned i = 256; i < 512; i++) {
		if (mine[i] == theirs[i])
			continue;
		uint64_t first = ptdbg_x86_canonical(cpu, i * span);
		if (nr > 1 && out[nr - 1].last + 1 == first)
			out[nr - 1].last = first + (span - 1);
		else
			out[nr++] = (struct pt_va_range){ first, first + (span - 1) };
	}
	return nr;
}

/* AArch64: the halves of space sp within [lo, hi]: its root's, or both for a
 * process's space walked whole. */
static int walk_a64(struct ptdbg_session *s, const struct pt_space *sp, bool own_only, uint64_t lo, uint64_t hi,
		    struct ptdbg_walk_budget *budget, ptdbg_walk_visit_fn visit, void *ctx, bool runs)
{
	for (unsigned half = 0; half < 2; half++) {
		if (half != sp->half && (own_only || sp->half == PTDBG_ARM64_TTBR1))
			continue;
		struct ptdbg_walk_space ws;
		if (ptdbg_arm64_space(&ws, &sp->a64cpu, half))
			continue; /* walks disabled (EPDn): nothing is mapped there */
		uint64_t first = ws.va_base, last = ws.va_base + ((1ull << ws.va_bits) - 1);
		struct ptdbg_walk_opts wo = { .leaf_runs = runs };
		if (lo > first || hi < last) {
			if (hi < first || lo > last)
				continue;
			wo.va_filter = true;
			wo.va_first = lo > first ? lo : first;
			wo.va_last = hi < last ? hi : last;
		}
		if (!ptdbg_budget_take(budget, &wo.max_nodes, &wo.max_leaves))
			break;
		struct ptdbg_walk_result res;
		int wr = ptdbg_walk(s->mem, &ws, &wo, visit, ctx, &res);
		ptdbg_budget_charge(budget, res.nodes, res.leaves);
		if (wr)
			return wr;
	}
	return 0;
}

/* pt_walk_space_range, the visitor taking leaf runs when runs says so. */
static int walk_range(struct ptdbg_session *s, const struct pt_space *sp, size_t n, size_t k, bool own_only,
		      uint64_t lo, uint64_t hi, struct ptdbg_walk_budget *budget, ptdbg_walk_visit_fn visit,
		      void *ctx, bool runs)
{
	if (sp[k].a64)
		return walk_a64(s, &sp[k], own_only, lo, hi, budget, visit, ctx, runs);
	struct pt_va_range own[PT_MAX_OWN_RANGES];
	size_t nown = 1;
	if (own_only)
		nown = pt_space_own_ranges(s, sp, n, k, own);
	else
		own[0] = (struct pt_va_range){ 0, UINT64_MAX };
	for (size_t r = 0; r < nown; r++) {
		uint64_t a = own[r].first > lo ? own[r].first : lo, b = own[r].last < hi ? own[r].last : hi;
		if (a > b)
			continue;
		struct ptdbg_x86_walk_cfg cfg = { .cpu = sp[k].cpu, .leaf_runs = runs };
		if (a != 0 || b != UINT64_MAX) {
			cfg.va_filter = true;
			cfg.va_first = a;
			cfg.va_last = b;
		}
		if (!ptdbg_budget_take(budget, &cfg.max_nodes, &cfg.max_leaves))
			break;
		struct ptdbg_walk_result res;
		int wr = ptdbg_x86_walk(s->mem, &cfg, visit, ctx, &res);
		ptdbg_budget_charge(budget, res.nodes, res.leaves);
		if (wr)
			return wr;
	}
	return 0;
}

int pt_walk_space_range(struct ptdbg_session *s, const struct pt_space *sp, size_t n, size_t k, bool own_only,
			uint64_t lo, uint64_t hi, struct ptdbg_walk_budget *budget, ptdbg_walk_visit_fn visit,
			void *ctx)
{
	return walk_range(s, sp, n, k, own_only, lo, hi, budget, visit, ctx, false);
}

int pt_walk_space(struct ptdbg_session *s, const struct pt_space *sp, size_t n, size_t k, bool own_only,
		  struct ptdbg_walk_budget *budget, ptdbg_walk_visit_fn visit, void *ctx)
{
	int wr = walk_range(s, sp, n, k, own_only, 0, UINT64_MAX, budget, visit, ctx, false);
	return wr ? pt_walk_error(s, wr) : 0;
}

int pt_walk_space_runs(struct ptdbg_session *s, const struct pt_space *sp, size_t n, size_t k, bool own_only,
		       struct ptdbg_walk_budget *budget, ptdbg_walk_visit_fn visit, void *ctx)
{
	int wr = walk_range(s, sp, n, k, own_only, 0, UINT64_MAX, budget, visit, ctx, true);
	return wr ? pt_walk_error(s, wr) : 0;
}

const char *pt_marker_name(void *ctx, uint64_t va, uint64_t *start, uint64_t *end)
{
	struct pt_marker_ctx *m = ctx;
	if (!m->s->have_region)
		return NULL;
	const struct ptdbg_marker *mk = ptdbg_region_marker_at(&m->s->region, m->kind, va);
	if (!mk)
		return NULL;
	/* One stable string per marker: printers compare the pointers. */
	static char names[PTDBG_REGION_MAX_MARKERS][PTDBG_NAME_LEN + 1];
	size_t idx = (size_t)(mk - m->s->region.markers);
	ptdbg_name_copy(names[idx], mk->name, PTDBG_NAME_LEN);
	*start = mk->start;
	*end = mk->end;
	return names[idx];
}

const char *pt_marker_name_short(void *ctx, uint64_t va)
{
	uint64_t a, b;
	return pt_marker_name(ctx, va, &a, &b);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void pt_progress_start(struct pt_progress *p, const struct ptdbg_session *s, const char *what)
{
	memset(p, 0, sizeof(*p));
	p->t0 = p->last = now_s();
	p->err = s->err;
	int fd = fileno(s->err); /* -1 for a memory stream */
	p->tty = fd >= 0 && isatty(fd);
	p->what = what;
}

void pt_progress_show(struct pt_progress *p)
{
	double t = now_s();
	if (t - p->t0 < 1.0 || t - p->last < 0.25)
		return;
	p->last = t;
	p->shown = true;
	fprintf(p->err, "\r%s: %llu pages, %.1f s", p->what, (unsigned long long)p->leaves, t - p->t0);
}

void pt_progress_frames(struct pt_progress *p, uint64_t done, uint64_t total)
{
	if (!p->tty)
		return;
	double t = now_s();
	if (t - p->t0 < 0.5 || t - p->last < 0.25)
		return;
	p->last = t;
	p->shown = true;
	fprintf(p->err, "\r%s: %llu of %llu frames, %.1f s", p->what, (unsigned long long)done,
		(unsigned long long)total, t - p->t0);
}

void pt_progress_end(struct pt_progress *p)
{
	if (p->shown)
		fprintf(p->err, "\r\033[K");
}

