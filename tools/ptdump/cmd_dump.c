/* SPDX-License-Identifier: MIT */
/* ptdump dump: coalesced mappings of one or more address spaces. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptdump.h"
#include "arm64/arm64_print.h"
#include "region/linux_layout.h"
#include "x86/x86_print.h"

/* A visitor in front of the printer that drops leaves outside the filters. */
struct dump_filter {
	struct ptdbg_x86_printer *printer;
	struct pt_progress progress;
	bool range;
	uint64_t lo, hi;        /* [lo, hi) */
	uint32_t need_set;      /* PTDBG_X86_PERM_* that must be set */
	uint32_t need_clear;    /* ... and clear */
};

static int range_visit(void *ctx, const struct ptdbg_walk_event *ev);

/* The walk's visitor: progress, the permission filter, then range_visit. */
static int filter_visit(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct dump_filter *f = ctx;
	if (ev->kind == PTDBG_EV_LEAF || ev->kind == PTDBG_EV_LEAF_RUN) {
		pt_progress_leaves(&f->progress, ptdbg_event_leaves(ev));
		if ((ev->perm.flags & f->need_set) != f->need_set || (ev->perm.flags & f->need_clear))
			return 0; /* (one permission for a whole run) */
		if (!f->range) /* every leaf of a whole dump */
			return ptdbg_x86_printer_visit(f->printer, ev);
		if (ev->kind == PTDBG_EV_LEAF_RUN) /* it may cross lo or hi */
			return ptdbg_run_visit_each(range_visit, f, ev);
	}
	return range_visit(f, ev);
}

/* filter_visit's range filter, then the printer. */
static int range_visit(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct dump_filter *f = ctx;
	if (f->range && ev->kind != PTDBG_EV_ANOMALY &&
	    (ev->va >= f->hi || ev->va + ev->size - 1 < f->lo))
		return 0;
	return ptdbg_x86_printer_visit(f->printer, ev);
}

/* Parse "w,x,u,..." into set/clear masks. Returns 0 or -1. */
int pt_parse_flags(struct ptdbg_session *s, const char *list, uint32_t *set, uint32_t *clear)
{
	char *copy = strdup(list), *save = NULL;
	if (!copy)
		return -1;
	int rc = 0;
	for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (!strcmp(w, "w"))
			*set |= PTDBG_X86_PERM_W;
		else if (!strcmp(w, "ro"))
			*clear |= PTDBG_X86_PERM_W;
		else if (!strcmp(w, "x"))
			*clear |= PTDBG_X86_PERM_NX;
		else if (!strcmp(w, "nx"))
			*set |= PTDBG_X86_PERM_NX;
		else if (!strcmp(w, "u"))
			*set |= PTDBG_X86_PERM_U;
		else if (!strcmp(w, "k") || !strcmp(w, "s"))
			*clear |= PTDBG_X86_PERM_U;
		else if (!strcmp(w, "g"))
			*set |= PTDBG_X86_PERM_G;
		else if (!strcmp(w, "a"))
			*set |= PTDBG_X86_PERM_A;
		else if (!strcmp(w, "d"))
			*set |= PTDBG_X86_PERM_D;
		else {
			ptdbg_usage_err(s, "option '--flags' takes w, ro, x, nx, u, k, g, a, d, not '%s'", w);
			rc = -1;
			break;
		}
	}
	free(copy);
	return rc;
}

/* Parse "A-B" (numbers or symbols) into [lo, hi). */
int pt_parse_range(struct ptdbg_session *s, const char *arg, uint64_t *lo, uint64_t *hi)
{
	const char *dash = strchr(arg, '-');
	if (!dash || dash == arg || !dash[1]) {
		ptdbg_usage_err(s, "option '--range' takes START-END, not '%s'", arg);
		return -1;
	}
	char a[128];
	size_t n = (size_t)(dash - arg);
	if (n >= sizeof(a)) {
		ptdbg_usage_err(s, "option '--range': '%s' is too long", arg);
		return -1;
	}
	memcpy(a, arg, n);
	a[n] = 0;
	if (ptdbg_session_parse_addr(s, a, lo) || ptdbg_session_parse_addr(s, dash + 1, hi))
		return -1;
	if (*hi <= *lo) {
		ptdbg_usage_err(s, "option '--range': the end must be above the start");
		return -1;
	}
	return 0;
}

/* --all-spaces: walk only the ranges of space sp[k] that are its own (the shared
 * kernel half goes with the kernel's space), within cfg's filter, into one printer;
 * res sums the walks. Returns 0 or the first walk's error. */
static int walk_own(struct ptdbg_session *s, const struct pt_space *sp, size_t n, size_t k,
		    const struct ptdbg_x86_walk_cfg *base, struct dump_filter *f,
		    struct ptdbg_walk_budget *budget, struct ptdbg_walk_result *res)
{
	struct pt_va_range own[PT_MAX_OWN_RANGES];
	size_t nown = pt_space_own_ranges(s, sp, n, k, own);
	uint64_t lo = base->va_filter ? base->va_first : 0, hi = base->va_filter ? base->va_last : UINT64_MAX;
	memset(res, 0, sizeof(*res));
	for (size_t r = 0; r < nown; r++) {
		struct ptdbg_x86_walk_cfg cfg = *base;
		uint64_t a = own[r].first > lo ? own[r].first : lo, b = own[r].last < hi ? own[r].last : hi;
		if (a > b)
			continue;
		if (a != 0 || b != UINT64_MAX) {
			cfg.va_filter = true;
			cfg.va_first = a;
			cfg.va_last = b;
		}
		if (!ptdbg_budget_take(budget, &cfg.max_nodes, &cfg.max_leaves)) {
			res->partial = true;
			break;
		}
		struct ptdbg_walk_result one;
		int wr = ptdbg_x86_walk(s->mem, &cfg, filter_visit, f, &one);
		ptdbg_budget_charge(budget, one.nodes, one.leaves);
		res->nodes += one.nodes;
		res->distinct_nodes += one.distinct_nodes;
		res->leaves += one.leaves;
		res->absent += one.absent;
		res->anomalies += one.anomalies;
		res->read_errors += one.read_errors;
		res->max_nodes = one.max_nodes;
		res->max_leaves = one.max_leaves;
		res->budget_hit |= one.budget_hit;
		res->partial |= one.partial;
		if (wr)
			return wr;
	}
	return 0;
}

/* AArch64 --all-spaces: each space's own half (a process's TTBR0 table, the kernel's
 * TTBR1 once), labelled with the space's name, in a JSON array with -j. */
static int dump_a64_all(struct ptdbg_session *s, const struct pt_a64_dump_args *a)
{
	struct ptdbg_arm64_dump_opts o = { 0 };
	char bad[64];
	if (a->flags && ptdbg_arm64_parse_flags(a->flags, &o.need_set, &o.need_clear, bad, sizeof(bad))) {
		ptdbg_session_err(s, "--flags: unknown flag '%s' (w, ro, x, nx, u, k, uw, ux, g, ng, af, noaf)", bad);
		return PTDBG_EXIT_ERROR;
	}
	struct pt_space *sp;
	size_t n;
	int rc = pt_spaces_find(s, false, &sp, &n, NULL, NULL, NULL);
	if (rc)
		return rc;
	struct ptdbg_json *j = s->json ? ptdbg_session_json(s) : NULL;
	struct pt_marker_ctx mc = { s, 0 };
	struct ptdbg_walk_budget budget;
	ptdbg_budget_init(&budget);
	o.out = s->out;
	o.json = j;
	o.marker = s->have_region ? pt_marker_name : NULL;
	o.marker_ctx = &mc;
	o.merge_virtual = a->merge_virtual;
	o.show_absent = a->show_absent;
	o.show_nodes = a->show_nodes;
	o.range = a->range;
	o.lo = a->lo;
	o.hi = a->hi;
	if (j)
		ptdbg_json_start_array(j);
	for (size_t k = 0; k < n && rc == 0; k++) {
		if (a->halves && !(a->halves & (1u << sp[k].half)))
			continue;
		if (!ptdbg_budget_take(&budget, &o.max_nodes, &o.max_leaves))
			continue;
		if (k > 0 && !j)
			fputc('\n', s->out);
		mc.kind = sp[k].kind;
		o.space_name = sp[k].name;
		struct ptdbg_walk_result res;
		int wr = ptdbg_arm64_dump_half(s->mem, &sp[k].a64cpu, sp[k].half, &o, &res);
		ptdbg_budget_charge(&budget, res.nodes, res.leaves);
		if (wr)
			rc = pt_walk_error(s, wr);
	}
	if (j) {
		ptdbg_json_end_array(j);
		ptdbg_json_free(j);
	}
	if (budget.skipped)
		ptdbg_session_err(s, "partial: %zu of %zu address spaces not shown: the walk budget "
				  "(%u tables, %u leaves) ran out", budget.skipped, n,
				  PTDBG_BUDGET_NODES, PTDBG_BUDGET_LEAVES);
	free(sp);
	fflush(s->out);
	return rc;
}

int cmd_dump(struct ptdbg_session *s, int argc, char **argv)
{
	struct pt_space_sel sel = { 0 };
	struct ptdbg_x86_print_opts po = { 0 };
	struct dump_filter f = { 0 };
	int fmt;
	bool user = false, kernel = false, ttbr0 = false, ttbr1 = false, x86_flags = false;
	const char *range = NULL, *flags = NULL, *format = NULL;
	const struct ptdbg_opt opts[] = {
		PT_SPACE_OPTS(&sel),
		PT_ALL_SPACES_OPT(&sel),
		{ .name = "range", .value = true, .str = &range },
		{ .name = "flags", .value = true, .str = &flags },
		{ .name = "format", .value = true, .str = &format },
		{ .name = "user", .flag = &user },
		{ .name = "kernel", .flag = &kernel },
		{ .name = "ttbr0", .flag = &ttbr0 },
		{ .name = "ttbr1", .flag = &ttbr1 },
		{ .name = "merge-virtual", .flag = &po.merge_virtual },
		{ .name = "absent", .flag = &po.show_absent },
		{ .name = "nodes", .flag = &po.show_nodes },
		PTDBG_OPT_END,
	};
	int npos;
	if (ptdbg_cmd_parse(s, opts, argc, argv, 0, NULL, 0, &npos))
		return PTDBG_EXIT_ERROR;
	if (range) {
		if (pt_parse_range(s, range, &f.lo, &f.hi))
			return PTDBG_EXIT_ERROR;
		f.range = true;
	}
	const char *flags_arg = flags;
	unsigned halves = (ttbr0 ? 1u : 0u) | (ttbr1 ? 2u : 0u); /* AArch64: 1 TTBR0, 2 TTBR1 */
	if (flags) {
		uint32_t as = 0, ac = 0;
		char bad[64];
		/* Words AArch64 knows are parsed once the target is known; others must be
		 * x86's now. */
		x86_flags = !ptdbg_arm64_parse_flags(flags, &as, &ac, bad, sizeof(bad));
		if (!x86_flags && pt_parse_flags(s, flags, &f.need_set, &f.need_clear))
			return PTDBG_EXIT_ERROR;
	}
	fmt = s->json ? PTDBG_X86_FMT_JSON : PTDBG_X86_FMT_TEXT;
	if (format) {
		fmt = ptdbg_x86_format_parse(format);
		if (fmt < 0) {
			ptdbg_usage_err(s, "option '--format' takes text, json, info-mem or info-tlb, not '%s'", format);
			return PTDBG_EXIT_ERROR;
		}
	}
	if (user && kernel) {
		ptdbg_usage_err(s, "options '--user' and '--kernel' exclude each other");
		return PTDBG_EXIT_ERROR;
	}
	bool qemu_fmt = fmt == PTDBG_X86_FMT_INFO_MEM || fmt == PTDBG_X86_FMT_INFO_TLB;
	if (qemu_fmt && (f.range || user || kernel || f.need_set || f.need_clear || sel.all || sel.all_spaces)) {
		ptdbg_usage_err(s, "--format=%s prints whole address spaces as QEMU does: no filters",
				  fmt == PTDBG_X86_FMT_INFO_MEM ? "info-mem" : "info-tlb");
		return PTDBG_EXIT_ERROR;
	}
	if (pt_attach(s))
		return PTDBG_EXIT_ERROR;
	if (pt_is_a64(s)) {
		if (qemu_fmt) {
			ptdbg_session_err(s, "dump: --format info-mem/info-tlb does not apply to AArch64 "
					  "(QEMU has no such commands for ARM)");
			return PTDBG_EXIT_ERROR;
		}
		struct pt_a64_dump_args aa = {
			.halves = halves | (user ? 1u : 0u) | (kernel ? 2u : 0u),
			.range = f.range, .lo = f.lo, .hi = f.hi, .flags = flags_arg,
			.merge_virtual = po.merge_virtual, .show_absent = po.show_absent,
			.show_nodes = po.show_nodes,
		};
		if (sel.all_spaces)
			return dump_a64_all(s, &aa);
		return pt_a64_dump(s, &sel, &aa);
	}
	if (halves) {
		ptdbg_session_err(s, "--ttbr0 and --ttbr1 are AArch64's: this target is x86-64");
		return PTDBG_EXIT_ERROR;
	}
	if (x86_flags && pt_parse_flags(s, flags_arg, &f.need_set, &f.need_clear))
		return PTDBG_EXIT_ERROR;
	struct pt_space *sp;
	size_t nsp;
	int rc = pt_space_resolve(s, &sel, &sp, &nsp);
	if (rc)
		return rc;

	struct ptdbg_json *j = NULL;
	if (fmt == PTDBG_X86_FMT_JSON) {
		j = ptdbg_session_json(s);
		po.json = j;
		if (nsp > 1)
			ptdbg_json_start_array(j);
	}
	/* Without the debug region, a Linux guest's symbols name its ranges as Linux does. */
	const struct ptdbg_linux_layout *ll = NULL;
	if (!s->have_region && s->syms && !qemu_fmt) {
		ll = pt_linux_layout(s, &rc);
		if (!ll) {
			free(sp);
			return rc;
		}
	}
	struct ptdbg_walk_budget budget;
	ptdbg_budget_init(&budget);
	for (size_t k = 0; k < nsp && rc == 0; k++) {
		struct ptdbg_x86_walk_cfg cfg = { .cpu = sp[k].cpu, .leaf_runs = true };
		if (!ptdbg_budget_take(&budget, &cfg.max_nodes, &cfg.max_leaves))
			continue;
		if (user || kernel) {
			unsigned bits = ptdbg_x86_va_bits(&cfg.cpu);
			f.range = true;
			f.lo = user ? 0 : ptdbg_x86_canonical(&cfg.cpu, 1ull << (bits - 1));
			f.hi = user ? 1ull << (bits - 1) : UINT64_MAX;
		}
		if (f.range) {
			cfg.va_filter = true;
			cfg.va_first = f.lo;
			cfg.va_last = f.hi - 1;
		}
		struct pt_marker_ctx mc = { s, sp[k].kind };
		po.aspace_name = sp[k].name;
		po.marker = s->have_region ? pt_marker_name : NULL;
		po.marker_ctx = &mc;
		if (ll && ll->valid) {
			po.marker = pt_linux_marker_name;
			po.marker_ctx = (void *)ll;
		}
		po.out = s->out;
		f.printer = ptdbg_x86_printer_new((enum ptdbg_x86_format)fmt, &cfg.cpu, &po);
		if (!f.printer) {
			ptdbg_session_err(s, "out of memory");
			rc = PTDBG_EXIT_ERROR;
			break;
		}
		if (k > 0 && fmt == PTDBG_X86_FMT_TEXT)
			fputc('\n', s->out);
		pt_progress_start(&f.progress, s, "walking");
		struct ptdbg_walk_result res;
		int wr;
		if (sel.all_spaces)
			wr = walk_own(s, sp, nsp, k, &cfg, &f, &budget, &res);
		else if (!f.range && !f.need_set && !f.need_clear && !f.progress.tty) {
			/* nothing to filter or count: the printer takes the events itself
			 * (a million leaves pay one call each, not two) */
			wr = ptdbg_x86_walk(s->mem, &cfg, ptdbg_x86_printer_visit, f.printer, &res);
			ptdbg_budget_charge(&budget, res.nodes, res.leaves);
		} else {
			wr = ptdbg_x86_walk(s->mem, &cfg, filter_visit, &f, &res);
			ptdbg_budget_charge(&budget, res.nodes, res.leaves);
		}
		pt_progress_end(&f.progress);
		ptdbg_x86_printer_finish(f.printer, &res);
		ptdbg_x86_printer_free(f.printer);
		if (wr)
			rc = pt_walk_error(s, wr);
	}
	if (j) {
		if (nsp > 1)
			ptdbg_json_end_array(j);
		ptdbg_json_free(j);
	}
	if (budget.skipped)
		ptdbg_session_err(s, "partial: %zu of %zu address spaces not shown: the walk budget "
				  "(%u tables, %u leaves) ran out", budget.skipped, nsp,
				  PTDBG_BUDGET_NODES, PTDBG_BUDGET_LEAVES);
	free(sp);
	fflush(s->out);
	return rc;
}
