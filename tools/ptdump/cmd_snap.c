/* SPDX-License-Identifier: MIT */
/* ptdump save / diff: snapshots of mappings and their differences. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptdump.h"
#include "arm64/arm64_snap.h"
#include "x86/x86_snap.h"

struct take_ctx {
	struct ptdbg_snap_space *space;
	struct pt_progress progress;
};

/* The snapshot writer, with progress on the error stream for long walks. */
static int take_visit(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct take_ctx *tc = ctx;
	pt_progress_leaves(&tc->progress, ptdbg_event_leaves(ev));
	return ptdbg_snap_visit(tc->space, ev);
}

/* Walk the selected spaces into *snap, the shared kernel half once (in the kernel's
 * space). Returns 0 or an exit status. */
static int take(struct ptdbg_session *s, const struct pt_space_sel *sel, struct ptdbg_snapshot *snap)
{
	if (pt_attach(s))
		return PTDBG_EXIT_ERROR;
	/* AArch64: the CPU's halves or the selected spaces; --all-spaces goes the common way */
	if (pt_is_a64(s) && !sel->all_spaces)
		return pt_a64_take(s, sel, snap);
	struct pt_space *sp;
	size_t n;
	int rc = pt_space_resolve(s, sel, &sp, &n);
	if (rc)
		return rc;
	snap->format = pt_is_a64(s) ? PTDBG_SNAP_ARM64 : PTDBG_SNAP_X86;
	struct ptdbg_walk_budget budget;
	ptdbg_budget_init(&budget);
	for (size_t k = 0; k < n && rc == 0; k++) {
		struct take_ctx tc;
		tc.space = ptdbg_snap_add_space(snap, sp[k].name, sp[k].kind, pt_space_levels(&sp[k]),
						pt_space_root(&sp[k]));
		if (!tc.space) {
			rc = pt_walk_error(s, PTDBG_ENOMEM);
			break;
		}
		pt_progress_start(&tc.progress, s, "saving");
		rc = pt_walk_space_runs(s, sp, n, k, true, &budget, take_visit, &tc);
		pt_progress_end(&tc.progress);
	}
	char msg[256];
	if (budget.skipped)
		ptdbg_session_err(s, "partial: %s",
				  ptdbg_budget_message(&budget, n, "address spaces", "saved", msg, sizeof(msg)));
	free(sp);
	return rc;
}

/* Whether snap is an AArch64 snapshot of the tables in force (its spaces the plain
 * halves "TTBR0" and "TTBR1", as save writes them without a selection). */
static bool a64_in_force(const struct ptdbg_snapshot *snap)
{
	if (snap->format != PTDBG_SNAP_ARM64)
		return false;
	for (size_t i = 0; i < snap->nspaces; i++)
		if (strcmp(snap->spaces[i].name, "TTBR0") && strcmp(snap->spaces[i].name, "TTBR1"))
			return false;
	return true;
}

int cmd_save(struct ptdbg_session *s, int argc, char **argv)
{
	struct pt_space_sel sel = { 0 };
	const struct ptdbg_opt opts[] = { PT_SPACE_OPTS(&sel), PT_ALL_SPACES_OPT(&sel), PTDBG_OPT_END };
	char *pos[1];
	int npos;
	if (ptdbg_cmd_parse(s, opts, argc, argv, 0, pos, 1, &npos))
		return PTDBG_EXIT_ERROR;
	if (!npos) {
		ptdbg_usage_err(s, "where to? (ptdump save FILE)");
		return PTDBG_EXIT_ERROR;
	}
	const char *file = pos[0];
	struct ptdbg_snapshot snap = { 0 };
	int rc = take(s, &sel, &snap);
	char err[512];
	if (rc == 0 && ptdbg_snap_save(&snap, file, err, sizeof(err))) {
		ptdbg_session_err(s, "%s", err);
		rc = PTDBG_EXIT_ERROR;
	}
	if (rc == 0) {
		size_t ranges = 0;
		for (size_t i = 0; i < snap.nspaces; i++)
			ranges += snap.spaces[i].n;
		if (s->json) {
			struct ptdbg_json *j = ptdbg_session_json(s);
			ptdbg_json_start_object(j);
			ptdbg_json_string_field(j, "file", file);
			ptdbg_json_uint_field(j, "spaces", snap.nspaces);
			ptdbg_json_uint_field(j, "ranges", ranges);
			ptdbg_json_end_object(j);
			ptdbg_json_free(j);
		} else {
			fprintf(s->out, "saved %zu address space%s, %zu ranges, to %s\n", snap.nspaces,
				snap.nspaces == 1 ? "" : "s", ranges, file);
		}
	}
	ptdbg_snap_free(&snap);
	return rc;
}

/* Forget the accessed and dirty bits: the hardware sets them as it goes, and a
 * diff answers what software changed. */
static void drop_ad(struct ptdbg_snapshot *snap)
{
	uint32_t hw = snap->format == PTDBG_SNAP_ARM64 ? PTDBG_ARM64_SNAP_HW_ATTRS
						       : (uint32_t)(PTDBG_X86_PERM_A | PTDBG_X86_PERM_D);
	for (size_t i = 0; i < snap->nspaces; i++)
		for (size_t k = 0; k < snap->spaces[i].n; k++)
			snap->spaces[i].r[k].attrs &= ~hw;
}

/* A snapshot of CPU tables (x86-64 or AArch64), not of an IOMMU's. */
static bool cpu_snapshot(const struct ptdbg_snapshot *snap)
{
	return snap->format == PTDBG_SNAP_X86 || snap->format == PTDBG_SNAP_ARM64;
}

int cmd_diff(struct ptdbg_session *s, int argc, char **argv)
{
	struct pt_space_sel sel = { 0 };
	char *files[2] = { NULL, NULL };
	int nf = 0;
	bool ad = false;
	const struct ptdbg_opt opts[] = {
		PT_SPACE_OPTS(&sel),
		PT_ALL_SPACES_OPT(&sel),
		{ .name = "accessed-dirty", .flag = &ad },
		PTDBG_OPT_END,
	};
	if (ptdbg_cmd_parse(s, opts, argc, argv, 0, files, 2, &nf))
		return PTDBG_EXIT_ERROR;
	if (nf == 0) {
		ptdbg_usage_err(s, "which snapshot? (ptdump diff A [B])");
		return PTDBG_EXIT_ERROR;
	}
	struct ptdbg_snapshot a = { 0 }, b = { 0 };
	char err[512];
	if (ptdbg_snap_load(&a, files[0], err, sizeof(err))) {
		ptdbg_session_err(s, "%s", err);
		return PTDBG_EXIT_ERROR;
	}
	if (!cpu_snapshot(&a)) {
		ptdbg_session_err(s, "%s is not a CPU page-table snapshot (iommudump diff reads VT-d ones)", files[0]);
		ptdbg_snap_free(&a);
		return PTDBG_EXIT_ERROR;
	}
	int rc = 0;
	if (nf == 2) {
		if (ptdbg_snap_load(&b, files[1], err, sizeof(err))) {
			ptdbg_session_err(s, "%s", err);
			rc = PTDBG_EXIT_ERROR;
		} else if (!cpu_snapshot(&b) || b.format != a.format) {
			ptdbg_session_err(s, "%s is not a CPU page-table snapshot", files[1]);
			rc = PTDBG_EXIT_ERROR;
		}
	} else {
		/* Against the live VM: the same spaces, unless the user names them. */
		rc = pt_attach(s);
		if (rc == 0 && !sel.as_name && !sel.cr3 && !sel.all && !sel.all_spaces && a.nspaces > 1 &&
		    !a64_in_force(&a)) {
			if (s->have_region)
				sel.all = true;
			else
				sel.all_spaces = true; /* without the region: every root RAM holds */
		}
		if (rc == 0)
			rc = take(s, &sel, &b);
		if (rc == 0 && b.format != a.format) {
			ptdbg_session_err(s, "%s was taken of another architecture's tables than the live VM's",
					  files[0]);
			rc = PTDBG_EXIT_ERROR;
		}
	}
	if (rc) {
		ptdbg_snap_free(&a);
		ptdbg_snap_free(&b);
		return rc;
	}
	if (!ad) {
		drop_ad(&a);
		drop_ad(&b);
	}
	struct ptdbg_json *j = s->json ? ptdbg_session_json(s) : NULL;
	size_t nd = ptdbg_snap_diff_report(s->out, j, &a, files[0], &b, nf == 2 ? files[1] : "the live VM", "space",
					   false, a.format == PTDBG_SNAP_ARM64 ? ptdbg_arm64_snap_attr_name
										 : ptdbg_x86_snap_attr_name);
	if (j)
		ptdbg_json_free(j);
	ptdbg_snap_free(&a);
	ptdbg_snap_free(&b);
	return nd ? PTDBG_EXIT_FINDINGS : PTDBG_EXIT_OK;
}
