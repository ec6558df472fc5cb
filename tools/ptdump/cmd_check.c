/* SPDX-License-Identifier: MIT */
/* ptdump check: findings about CPU page tables; exit 1 if there are any. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x86/faultlog.h"
#include "ptdump.h"
#include "x86/x86_check.h"
#include "x86/x86_region_check.h"

/* Both checkers see every event of one walk. */
struct check_pair {
	struct ptdbg_x86_checker *x86;
	struct ptdbg_x86_region_checker *region; /* NULL without a debug region */
};

/* The visitor of a checked walk: the page-table checks, then the region's. */
static int visit_checks(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct check_pair *p = ctx;
	int rc = ptdbg_x86_checker_visit(p->x86, ev);
	if (rc == 0 && p->region)
		rc = ptdbg_x86_region_visit(p->region, ev);
	return rc;
}

/* ptdbg_symbolize_fn over the session's kernel symbols. */
static void symbolize(void *ctx, uint64_t addr, char *buf, size_t len)
{
	ptdbg_session_symbolize(ctx, addr, buf, len);
}

int cmd_check(struct ptdbg_session *s, int argc, char **argv)
{
	struct pt_space_sel sel = { 0 };
	const char *kinds = NULL;
	const struct ptdbg_opt opts[] = {
		PT_SPACE_OPTS(&sel),
		{ .name = "kind", .value = true, .str = &kinds },
		PTDBG_OPT_END,
	};
	int npos;
	if (ptdbg_cmd_parse(s, opts, argc, argv, 0, NULL, 0, &npos))
		return PTDBG_EXIT_ERROR;
	static const char *const *const known[] = { ptdbg_x86_check_kinds, ptdbg_x86_region_check_kinds,
						     ptdbg_faultlog_kinds, NULL };
	char bad[64];
	if (kinds && ptdbg_kinds_validate(kinds, known, bad, sizeof(bad))) {
		ptdbg_usage_err(s, "option '--kind': no finding kind '%s' (man ptdump lists them)", bad);
		return PTDBG_EXIT_ERROR;
	}
	if (pt_attach(s))
		return PTDBG_EXIT_ERROR;
	/* With a debug region and no selection, check every live space. */
	if (!sel.as_name && !sel.cr3 && s->have_region)
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
	struct ptdbg_x86_region_opts ro = { .out = &fl, .t = s->t, .mem = s->mem, .region = &s->region };
	struct check_pair pair = { c, s->have_region ? ptdbg_x86_region_checker_new(&ro) : NULL };
	if (!c || (s->have_region && !pair.region)) {
		ptdbg_x86_checker_free(c);
		ptdbg_x86_region_checker_free(pair.region);
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
			ptdbg_x86_region_begin(pair.region, sp[k].name, sp[k].kind, &sp[k].cpu);
		rc = pt_walk_space(s, sp, n, k, sel.all, &budget, visit_checks, &pair);
		ptdbg_x86_checker_end(c);
	}
	char msg[256];
	if (budget.skipped)
		ptdbg_finding_add(&fl, "walk-partial", PTDBG_SEV_WARNING, 0, 0, "%s",
				  ptdbg_budget_message(&budget, n, "address spaces", "checked", msg, sizeof(msg)));
	ptdbg_x86_checker_finish(c);
	ptdbg_x86_checker_free(c);
	if (rc == 0 && pair.region) {
		int fr = ptdbg_x86_region_finish(pair.region);
		if (fr)
			rc = pt_walk_error(s, fr);
	}
	ptdbg_x86_region_checker_free(pair.region);
	if (rc == 0 && s->have_region && s->region.nfaults) {
		struct ptdbg_x86_cpu cpu;
		ptdbg_session_cpu(s, &cpu);
		struct ptdbg_faultlog_check_opts fo = {
			.out = &fl, .mem = s->mem, .cpu = &cpu, .region = &s->region,
			.symbolize = symbolize, .symbolize_ctx = s,
		};
		int fr = ptdbg_faultlog_check(&fo);
		if (fr)
			rc = pt_walk_error(s, fr);
	}
	free(sp);
	if (rc) {
		ptdbg_findings_free(&fl);
		return rc;
	}
	return ptdbg_session_report(s, &fl, kinds);
}
