/* SPDX-License-Identifier: MIT */
/* ptdump map: a picture of an address space as one SVG file (out/svgmap.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptdump.h"
#include "out/svgmap.h"
#include "arm64/arm64_check.h"
#include "x86/x86_check.h"

/* The walk's ranges, coalesced as dump coalesces them (walk/dump.c: the same rule,
 * split where the marker changes and at holes), and the checker in front. */
struct map_ctx {
	struct ptdbg_session *s;
	struct pt_marker_ctx mc;
	struct ptdbg_range r;
	struct ptdbg_range_rule rule;
	const char *marker;
	struct ptdbg_map_range *v;
	size_t n, cap;
	struct ptdbg_x86_checker *check;
	const struct ptdbg_decoder *dec;
	int rc;
};

static void flush(struct map_ctx *c)
{
	if (!c->r.open || c->rc)
		return;
	c->r.open = false;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		struct ptdbg_map_range *v = realloc(c->v, cap * sizeof(*v));
		if (!v) {
			c->rc = PTDBG_ENOMEM;
			return;
		}
		c->v = v;
		c->cap = cap;
	}
	const char *mt = c->dec->memtype_name ? c->dec->memtype_name(c->r.perm.memtype) : NULL;
	c->v[c->n++] = (struct ptdbg_map_range){
		.va = c->r.va, .size = c->r.end - c->r.va, .pa = c->r.pa, .page = c->r.page,
		.perm = c->r.perm.access & (PTDBG_MAP_KR | PTDBG_MAP_KW | PTDBG_MAP_KX | PTDBG_MAP_UR |
					    PTDBG_MAP_UW | PTDBG_MAP_UX),
		.memtype = mt, .marker = c->marker,
	};
}

static int map_visit(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct map_ctx *c = ctx;
	if (c->check) {
		int rc = ptdbg_x86_checker_visit(c->check, ev);
		if (rc)
			return rc;
	}
	if (ev->kind == PTDBG_EV_HOLE) {
		flush(c);
	} else if (ev->kind == PTDBG_EV_LEAF) {
		const char *m = c->s->have_region ? pt_marker_name_short(&c->mc, ev->va) : NULL;
		if (m != c->marker) {
			flush(c);
			c->marker = m;
		}
		if (!ptdbg_range_extend(&c->r, ev, &c->rule)) {
			flush(c);
			ptdbg_range_start(&c->r, ev);
		}
	}
	return c->rc;
}

/* Write the picture of sp's ranges c->v with the findings fl as pins, split at half
 * into the lower and upper sections; report what was written. Returns 0 or an exit
 * status (message printed). */
static int map_write(struct ptdbg_session *s, const struct pt_space *sp, const char *file, const struct map_ctx *c,
		     const struct ptdbg_findings *fl, uint64_t half, const char *title, const char *lo_name,
		     const char *hi_name)
{
	int rc = 0;
	size_t split = 0;
	while (split < c->n && c->v[split].va < half)
		split++;
	struct ptdbg_map_pin *pins = calloc(fl->n ? fl->n : 1, sizeof(*pins));
	size_t nlo = 0;
	for (size_t i = 0; pins && i < fl->n; i++)
		if (fl->v[i].addr < half)
			pins[nlo++] = (struct ptdbg_map_pin){ fl->v[i].addr, fl->v[i].kind, fl->v[i].msg };
	size_t nhi = nlo;
	for (size_t i = 0; pins && i < fl->n; i++)
		if (fl->v[i].addr >= half)
			pins[nhi++] = (struct ptdbg_map_pin){ fl->v[i].addr, fl->v[i].kind, fl->v[i].msg };
	char tlo[96], thi[96];
	snprintf(tlo, sizeof(tlo), "%s: %s", sp->name, lo_name);
	snprintf(thi, sizeof(thi), "%s: %s", sp->name, hi_name);
	struct ptdbg_map_section sec[2] = {
		{ tlo, c->v, split, pins, nlo },
		{ thi, c->v + split, c->n - split, pins ? pins + nlo : NULL, nhi - nlo },
	};
	FILE *f = strcmp(file, "-") ? fopen(file, "w") : s->out;
	if (!pins) {
		ptdbg_session_err(s, "out of memory");
		rc = PTDBG_EXIT_ERROR;
	} else if (!f) {
		ptdbg_session_err(s, "cannot write %s: %s", file, strerror(errno));
		rc = PTDBG_EXIT_ERROR;
	} else {
		int wrc = ptdbg_svg_map(f, title, sec, 2);
		if (f != s->out && fclose(f))
			wrc = -1;
		if (wrc) {
			ptdbg_session_err(s, "writing %s failed", file);
			rc = PTDBG_EXIT_ERROR;
		}
	}
	if (rc == 0 && f != s->out) {
		if (s->json) {
			struct ptdbg_json *j = ptdbg_session_json(s);
			ptdbg_json_start_object(j);
			ptdbg_json_string_field(j, "file", file);
			ptdbg_json_string_field(j, "space", sp->name);
			ptdbg_json_uint_field(j, "ranges", c->n);
			ptdbg_json_uint_field(j, "pins", fl->n);
			ptdbg_json_end_object(j);
			ptdbg_json_free(j);
		} else {
			fprintf(s->out, "%s: %s, %zu ranges, %zu findings pinned\n", file, sp->name, c->n, fl->n);
		}
	}
	free(pins);
	return rc;
}

static void a64_sym(void *ctx, uint64_t addr, char *buf, size_t len)
{
	ptdbg_session_symbolize(ctx, addr, buf, len);
}

/* The AArch64 picture: both halves as the CPU sees them with this space (TTBR0 and
 * TTBR1), ranges as dump coalesces them, the AArch64 check's findings pinned. */
static int map_a64(struct ptdbg_session *s, struct pt_space *sp, const char *file, const struct pt_marker_ctx *mc)
{
	struct ptdbg_findings fl = { 0 };
	struct map_ctx c = { .s = s, .mc = *mc, .dec = &ptdbg_arm64_decoder };
	struct ptdbg_walk_budget budget;
	ptdbg_budget_init(&budget);
	int rc = pt_walk_space(s, sp, 1, 0, false, &budget, map_visit, &c);
	flush(&c);
	if (rc == 0 && c.rc) {
		ptdbg_session_err(s, "out of memory");
		rc = PTDBG_EXIT_ERROR;
	}
	if (rc == 0) {
		int cr = ptdbg_arm64_check(s->mem, &sp->a64cpu, &fl, a64_sym, s);
		if (cr)
			rc = pt_walk_error(s, cr);
	}
	if (rc == 0) {
		struct ptdbg_arm64_half h0, h1;
		ptdbg_arm64_half_of(&sp->a64cpu, PTDBG_ARM64_TTBR0, &h0);
		ptdbg_arm64_half_of(&sp->a64cpu, PTDBG_ARM64_TTBR1, &h1);
		char title[200];
		snprintf(title, sizeof(title), "%s, AArch64 %u KiB granule, TTBR0 root %#llx (%u-bit), TTBR1 root %#llx (%u-bit)",
			 sp->name, 1u << (h0.gshift - 10), (unsigned long long)h0.root, h0.va_bits,
			 (unsigned long long)h1.root, h1.va_bits);
		rc = map_write(s, sp, file, &c, &fl, 1ull << 63, title, "TTBR0 (user)", "TTBR1 (kernel)");
	}
	ptdbg_findings_free(&fl);
	free(c.v);
	free(sp);
	fflush(s->out);
	return rc;
}

int cmd_map(struct ptdbg_session *s, int argc, char **argv)
{
	struct pt_space_sel sel = { 0 };
	const char *file = NULL;
	const struct ptdbg_opt opts[] = {
		PT_SPACE_OPTS(&sel),
		{ .name = "output", .short_name = 'o', .value = true, .str = &file },
		PTDBG_OPT_END,
	};
	int npos;
	if (ptdbg_cmd_parse(s, opts, argc, argv, 0, NULL, 0, &npos))
		return PTDBG_EXIT_ERROR;
	if (!file) {
		ptdbg_usage_err(s, "where to? (ptdump map -o FILE.svg)");
		return PTDBG_EXIT_ERROR;
	}
	if (sel.all) {
		ptdbg_usage_err(s, "option '--all': a picture shows one address space (--as NAME or --cr3 PA)");
		return PTDBG_EXIT_ERROR;
	}
	struct pt_space *sp;
	size_t n;
	int rc = pt_space_resolve(s, &sel, &sp, &n);
	if (rc)
		return rc;
	struct ptdbg_findings fl = { 0 };
	struct pt_marker_ctx mc = { s, sp[0].kind };
	if (sp[0].a64)
		return map_a64(s, sp, file, &mc);
	struct ptdbg_x86_check_opts co = {
		.out = &fl, .marker = s->have_region ? pt_marker_name_short : NULL, .marker_ctx = &mc,
		.declared_levels = s->have_region ? s->region.hdr.cpu.paging_levels : 0,
		.kernel_knows = s->have_region,
	};
	struct map_ctx c = { .s = s, .mc = mc, .check = ptdbg_x86_checker_new(&co), .dec = &ptdbg_x86_decoder };
	c.rule.flags_ignored = PTDBG_X86_PERM_A | PTDBG_X86_PERM_D; /* as dump shows them */
	if (!c.check) {
		free(sp);
		ptdbg_session_err(s, "out of memory");
		return PTDBG_EXIT_ERROR;
	}
	ptdbg_x86_checker_begin(c.check, sp[0].name, &sp[0].cpu);
	struct ptdbg_x86_walk_cfg cfg = { .cpu = sp[0].cpu };
	struct pt_progress prog;
	pt_progress_start(&prog, s, "walking");
	struct ptdbg_walk_result res;
	int wr = ptdbg_x86_walk(s->mem, &cfg, map_visit, &c, &res);
	pt_progress_end(&prog);
	flush(&c);
	ptdbg_x86_checker_end(c.check);
	ptdbg_x86_checker_finish(c.check);
	ptdbg_x86_checker_free(c.check);
	if (wr == PTDBG_ENOMEM || c.rc) {
		ptdbg_session_err(s, "out of memory");
		rc = PTDBG_EXIT_ERROR;
	} else if (wr) {
		rc = pt_walk_error(s, wr);
	}
	if (rc == 0) {
		/* Two sections: the lower half and the upper half, each with its pins. */
		uint64_t half = ptdbg_x86_canonical(&sp[0].cpu, 1ull << (ptdbg_x86_va_bits(&sp[0].cpu) - 1));
		char title[160];
		snprintf(title, sizeof(title), "%s, %u-level paging, root %#llx", sp[0].name,
			 ptdbg_x86_levels(&sp[0].cpu), (unsigned long long)ptdbg_x86_root(&sp[0].cpu));
		rc = map_write(s, &sp[0], file, &c, &fl, half, title, "lower half (user)", "upper half (kernel)");
	}
	ptdbg_findings_free(&fl);
	free(c.v);
	free(sp);
	fflush(s->out);
	return rc;
}
