/* SPDX-License-Identifier: MIT */
/* ptdump check: findings about CPU page tables; exit 1 if there are any. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm64/arm64_check.h"
#include "cli/protect.h"
#include "region/region_check.h"
#include "vtd/vtd_check.h"
#include "vtd/vtd_walk.h"
#include "x86/x86_fault.h"
#include "ptdump.h"
#include "x86/x86_bits.h"
#include "x86/x86_check.h"

/* Both checkers see every event of one walk. */
struct check_pair {
	struct ptdbg_x86_checker *x86;
	struct ptdbg_region_checker *region; /* NULL without a debug region */
};

/* The visitor of a checked walk: the page-table checks, then the region's (both take
 * leaf runs). */
static int visit_checks(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct check_pair *p = ctx;
	int rc = ptdbg_x86_checker_visit(p->x86, ev);
	if (rc == 0 && p->region)
		rc = ptdbg_region_visit(p->region, ev);
	return rc;
}

/* The kinds ptdump check reports about device tables. */
static const char *const dma_kinds[] = { "dma-maps-kernel-text", NULL };

/* dma-maps-kernel-text over the walks of the device domains: runs of leaves that
 * continue each other, checked as one range. */
struct text_ctx {
	struct ptdbg_findings *out;
	const struct ptdbg_pa_set *prot;
	const char *device;
	uint32_t write;         /* the device's perm.flags bits of a write */
	bool have;
	uint64_t iova, pa, size;
	uint32_t perm;
};

static void text_flush(struct text_ctx *t)
{
	/* the leaves kept are writable for the device, in any format: VT-d's W says so */
	if (t->have)
		vtd_check_text_write(t->out, t->prot, t->device, t->iova, t->pa, t->size, VTD_PERM_W);
	t->have = false;
}

static void text_begin(void *ctx, const struct pt_iommu_dev *d, size_t i)
{
	(void)i;
	struct text_ctx *t = ctx;
	text_flush(t);
	t->device = d->label;
	t->write = d->write;
}

static int text_visit(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct text_ctx *t = ctx;
	if (ev->kind != PTDBG_EV_LEAF || !(ev->perm.flags & t->write))
		return 0;
	if (t->have && t->iova + t->size == ev->va && t->pa + t->size == ev->pa && t->perm == ev->perm.flags) {
		t->size += ev->size;
		return 0;
	}
	text_flush(t);
	*t = (struct text_ctx){ t->out, t->prot, t->device, t->write, true, ev->va, ev->pa, ev->size, ev->perm.flags };
	return 0;
}

/* Whether the --kind list (NULL: all) names kind. */
static bool kind_wanted(const char *kinds, const char *kind)
{
	if (!kinds)
		return true;
	size_t n = strlen(kind);
	for (const char *p = kinds; (p = strstr(p, kind)); p += n)
		if ((p == kinds || p[-1] == ',') && (p[n] == ',' || p[n] == 0))
			return true;
	return false;
}

/* ptdbg_symbolize_fn over the session's kernel symbols. */
static void symbolize(void *ctx, uint64_t addr, char *buf, size_t len)
{
	ptdbg_session_symbolize(ctx, addr, buf, len);
}

/* AArch64 --all-spaces: the CPU's tables as they are (both halves, the PC, ELR and
 * VBAR), then the TTBR0 table of every other process alone (TTBR1's walks disabled
 * in its copy of the registers: the kernel half is checked once, and the PC, which
 * runs with the current tables, is not judged against another's), each finding
 * labelled with its space; then the device tables. */
static int check_a64_all(struct ptdbg_session *s, const char *kinds)
{
	struct ptdbg_arm64_cpu cpu;
	if (pt_a64_cpu(s, &cpu))
		return PTDBG_EXIT_ERROR;
	struct pt_space *sp;
	size_t n;
	int rc = pt_spaces_find(s, false, &sp, &n, NULL, NULL, NULL);
	if (rc)
		return rc;
	struct ptdbg_findings fl = { 0 };
	rc = ptdbg_arm64_check(s->mem, &cpu, &fl, symbolize, s);
	for (size_t k = 0; k < n && rc == 0; k++) {
		if (sp[k].half != PTDBG_ARM64_TTBR0 || sp[k].current)
			continue;
		struct ptdbg_arm64_cpu c = sp[k].a64cpu;
		c.tcr |= ARM64_TCR_EPD1;
		struct ptdbg_findings one = { 0 };
		rc = ptdbg_arm64_check(s->mem, &c, &one, symbolize, s);
		for (size_t i = 0; i < one.n && rc == 0; i++) {
			const struct ptdbg_finding *f = &one.v[i];
			if (!strcmp(f->kind, "pc-unmapped"))
				continue;
			struct ptdbg_finding *g = ptdbg_finding_add(&fl, f->kind, f->severity, f->addr, f->size, "%s", f->msg);
			if (g) {
				g->frame = f->frame;
				g->node = f->node;
				snprintf(g->space, sizeof(g->space), "%.39s", sp[k].name);
				memcpy(g->marker, f->marker, sizeof(g->marker));
			}
		}
		ptdbg_findings_free(&one);
	}
	free(sp);
	if (rc) {
		ptdbg_findings_free(&fl);
		return pt_walk_error(s, rc);
	}
	if ((rc = pt_dma_text_check(s, kinds, &fl))) {
		ptdbg_findings_free(&fl);
		return rc;
	}
	return ptdbg_session_report(s, &fl, kinds);
}

int pt_dma_text_check(struct ptdbg_session *s, const char *kinds, struct ptdbg_findings *fl)
{
	if (!kind_wanted(kinds, "dma-maps-kernel-text"))
		return 0;
	if (pt_is_a64(s) && !pt_smmu_base(s))
		return 0; /* no device tables: no need for the kernel's read-only frames */
	int rc = 0;
	struct ptdbg_pa_set prot = { 0 };
	int pr = ptdbg_session_protected(s, &prot);
	if (pr) {
		rc = pt_walk_error(s, pr);
	} else if (prot.n) {
		struct text_ctx tc = { .out = fl, .prot = &prot };
		struct pt_iommu_dev *devs;
		size_t ndevs;
		rc = pt_iommu_walk(s, true, text_begin, text_visit, &tc, &devs, &ndevs);
		text_flush(&tc);
		free(devs);
	}
	ptdbg_pa_set_free(&prot);
	return rc;
}

int cmd_check(struct ptdbg_session *s, int argc, char **argv)
{
	struct pt_space_sel sel = { 0 };
	const char *kinds = NULL;
	const struct ptdbg_opt opts[] = {
		PT_SPACE_OPTS(&sel),
		PT_ALL_SPACES_OPT(&sel),
		{ .name = "kind", .value = true, .str = &kinds },
		PTDBG_OPT_END,
	};
	int npos;
	if (ptdbg_cmd_parse(s, opts, argc, argv, 0, NULL, 0, &npos))
		return PTDBG_EXIT_ERROR;
	static const char *const *const known[] = { ptdbg_x86_check_kinds, ptdbg_region_check_kinds,
						     ptdbg_faultlog_kinds, ptdbg_arm64_check_kinds, dma_kinds, NULL };
	char bad[64];
	if (kinds && ptdbg_kinds_validate(kinds, known, bad, sizeof(bad))) {
		ptdbg_usage_err(s, "option '--kind': no finding kind '%s' (man ptdump lists them)", bad);
		return PTDBG_EXIT_ERROR;
	}
	if (sel.all_spaces && (sel.as_name || sel.cr3 || sel.all)) {
		ptdbg_usage_err(s, "options '--as', '--cr3', '--all' and '--all-spaces' exclude each other");
		return PTDBG_EXIT_ERROR;
	}
	if (pt_attach(s))
		return PTDBG_EXIT_ERROR;
	if (pt_is_a64(s) && sel.all_spaces)
		return check_a64_all(s, kinds);
	if (pt_is_a64(s))
		return pt_a64_check(s, &sel, kinds);
	/* With a debug region and no selection, check every live space. */
	if (!sel.as_name && !sel.cr3 && !sel.all_spaces && s->have_region)
		sel.all = true;
	struct pt_space *sp;
	size_t n;
	int rc = pt_space_resolve(s, &sel, &sp, &n);
	if (rc)
		return rc;

	struct ptdbg_findings fl = { 0 };
	struct pt_marker_ctx mc = { s, 0 };
	struct ptdbg_x86_check_opts o = {
		.out = &fl,
		.marker = s->have_region ? pt_marker_name_short : NULL,
		.marker_ctx = &mc,
		.declared_levels = s->have_region ? s->region.hdr.cpu.paging_levels : 0,
		.kernel_knows = s->have_region,
	};
	struct ptdbg_x86_checker *c = ptdbg_x86_checker_new(&o);
	struct ptdbg_region_opts ro = { .out = &fl, .t = s->t, .mem = s->mem, .region = &s->region };
	struct check_pair pair = { c, s->have_region ? ptdbg_region_checker_new(&ro) : NULL };
	if (!c || (s->have_region && !pair.region)) {
		ptdbg_x86_checker_free(c);
		ptdbg_region_checker_free(pair.region);
		free(sp);
		ptdbg_session_err(s, "out of memory");
		return PTDBG_EXIT_ERROR;
	}
	struct ptdbg_walk_budget budget;
	ptdbg_budget_init(&budget);
	for (size_t k = 0; k < n && rc == 0; k++) {
		mc.kind = sp[k].kind;
		ptdbg_x86_checker_begin(c, sp[k].name, &sp[k].cpu);
		if (pair.region)
			ptdbg_region_check_begin(pair.region, sp[k].name, sp[k].kind,
						 ptdbg_x86_levels(&sp[k].cpu), true, x86_level_name);
		rc = pt_walk_space_runs(s, sp, n, k, sel.all || sel.all_spaces, &budget, visit_checks, &pair);
		ptdbg_x86_checker_end(c);
	}
	char msg[256];
	if (budget.skipped)
		ptdbg_finding_add(&fl, "walk-partial", PTDBG_SEV_WARNING, 0, 0, "%s",
				  ptdbg_budget_message(&budget, n, "address spaces", "checked", msg, sizeof(msg)));
	ptdbg_x86_checker_finish(c);
	ptdbg_x86_checker_free(c);
	if (rc == 0 && pair.region) {
		int fr = ptdbg_region_finish(pair.region);
		if (fr)
			rc = pt_walk_error(s, fr);
	}
	ptdbg_region_checker_free(pair.region);
	if (rc == 0 && s->have_region && s->region.nfaults) {
		struct ptdbg_x86_cpu cpu;
		ptdbg_session_cpu(s, &cpu);
		struct ptdbg_faultlog_check_opts fo = {
			.out = &fl, .mem = s->mem, .analyze = ptdbg_x86_fault_analyze, .analyze_cpu = &cpu,
			.region = &s->region,
			.symbolize = symbolize, .symbolize_ctx = s,
		};
		int fr = ptdbg_faultlog_check(&fo);
		if (fr)
			rc = pt_walk_error(s, fr);
	}
	free(sp);
	if (rc == 0)
		rc = pt_dma_text_check(s, kinds, &fl);
	if (rc) {
		ptdbg_findings_free(&fl);
		return rc;
	}
	return ptdbg_session_report(s, &fl, kinds);
}
