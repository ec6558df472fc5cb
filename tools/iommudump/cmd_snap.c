/* SPDX-License-Identifier: MIT */
/* iommudump save / diff: snapshots of the device domains' mappings and their differences. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iommudump.h"
#include "vtd/vtd_fault.h"
#include "arm64/arm64_snap.h"
#include "vtd/vtd_snap.h"
#include "walk/walk_budget.h"

struct take_ctx {
	struct ptdbg_session *s;
	const struct iod_unit *u;
	struct ptdbg_snapshot *snap;
	struct ptdbg_walk_budget budget;
};

/* One snapshot space per device with a second-level table, named by its BDF, while
 * the command's walk budget lasts. */
static int take_device(void *ctx, const struct vtd_dev_lookup *l)
{
	struct take_ctx *tc = ctx;
	if (l->xlate != VTD_XL_SECOND_LEVEL || l->reason)
		return 0;
	struct vtd_walk_cfg cfg;
	char name[16];
	vtd_walk_cfg_from_lookup(&cfg, &tc->u->hw, l);
	cfg.leaf_runs = true; /* ptdbg_snap_visit takes them */
	if (!ptdbg_budget_take(&tc->budget, &cfg.max_nodes, &cfg.max_leaves))
		return 0;
	struct ptdbg_walk_result res = { 0 };
	int rc = vtd_snap_space(tc->snap, tc->s->mem, &cfg, vtd_bdf_str(l->bdf, name, sizeof(name)), &res);
	ptdbg_budget_charge(&tc->budget, res.nodes, res.leaves);
	return rc;
}

/* Walk every device domain into *snap. Returns 0 or an exit status. */
static int take(struct ptdbg_session *s, struct ptdbg_snapshot *snap)
{
	int rc;
	if (iod_want_smmu(s, &rc))
		return smmu_snap_take(s, snap);
	if (rc)
		return rc;
	struct iod_unit *u;
	rc = iod_unit_open(s, false, IOD_NO_BDF, &u);
	if (rc)
		return rc;
	snap->format = PTDBG_SNAP_VTD;
	if (iod_unit_has_tables(u)) {
		struct take_ctx tc = { s, u, snap, { 0 } };
		ptdbg_budget_init(&tc.budget);
		rc = iod_for_each_device(s, u, take_device, &tc);
		if (rc)
			rc = iod_walk_error(s, rc);
		char msg[256];
		if (tc.budget.skipped)
			ptdbg_session_err(s, "partial: %s",
					  ptdbg_budget_message(&tc.budget, 0, "devices", "saved", msg, sizeof(msg)));
	}
	free(u);
	return rc;
}

int cmd_save(struct ptdbg_session *s, int argc, char **argv)
{
	char *pos[1];
	int npos;
	if (ptdbg_cmd_parse(s, NULL, argc, argv, 0, pos, 1, &npos))
		return PTDBG_EXIT_ERROR;
	if (!npos) {
		ptdbg_usage_err(s, "where to? (iommudump save FILE)");
		return PTDBG_EXIT_ERROR;
	}
	const char *file = pos[0];
	struct ptdbg_snapshot snap = { 0 };
	int rc = take(s, &snap);
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
			ptdbg_json_uint_field(j, "domains", snap.nspaces);
			ptdbg_json_uint_field(j, "ranges", ranges);
			ptdbg_json_end_object(j);
			ptdbg_json_free(j);
		} else {
			fprintf(s->out, "saved %zu device domain%s, %zu ranges, to %s\n", snap.nspaces,
			       snap.nspaces == 1 ? "" : "s", ranges, file);
		}
	}
	ptdbg_snap_free(&snap);
	return rc;
}

/* Load an IOMMU snapshot (VT-d or SMMUv3). Returns 0 or an exit status (message
 * printed). */
static int load(struct ptdbg_session *s, const char *file, struct ptdbg_snapshot *snap)
{
	char err[512];
	if (ptdbg_snap_load(snap, file, err, sizeof(err))) {
		ptdbg_session_err(s, "%s", err);
		return PTDBG_EXIT_ERROR;
	}
	if (snap->format != PTDBG_SNAP_VTD && snap->format != PTDBG_SNAP_SMMU) {
		ptdbg_session_err(s, "%s is not a VT-d or SMMUv3 snapshot (ptdump diff reads CPU page-table ones)", file);
		ptdbg_snap_free(snap);
		return PTDBG_EXIT_ERROR;
	}
	return 0;
}

int cmd_diff(struct ptdbg_session *s, int argc, char **argv)
{
	char *files[2] = { NULL, NULL };
	int nf = 0;
	if (ptdbg_cmd_parse(s, NULL, argc, argv, 0, files, 2, &nf))
		return PTDBG_EXIT_ERROR;
	if (nf == 0) {
		ptdbg_usage_err(s, "which snapshot? (iommudump diff A [B])");
		return PTDBG_EXIT_ERROR;
	}
	struct ptdbg_snapshot a = { 0 }, b = { 0 };
	int rc = load(s, files[0], &a);
	if (rc)
		return rc;
	if (nf == 2) {
		rc = load(s, files[1], &b);
	} else {
		/* Against the live VM. */
		rc = ptdbg_session_attach(s);
		if (rc == 0)
			rc = take(s, &b);
	}
	if (rc) {
		ptdbg_snap_free(&a);
		ptdbg_snap_free(&b);
		return rc;
	}
	if (a.format != b.format) {
		ptdbg_session_err(s, "%s and %s are snapshots of different IOMMUs (VT-d and SMMUv3)", files[0],
				  nf == 2 ? files[1] : "the live VM");
		ptdbg_snap_free(&a);
		ptdbg_snap_free(&b);
		return PTDBG_EXIT_ERROR;
	}
	struct ptdbg_json *j = s->json ? ptdbg_session_json(s) : NULL;
	size_t n = ptdbg_snap_diff_report(s->out, j, &a, files[0], &b, nf == 2 ? files[1] : "the live VM", "device",
					  true, a.format == PTDBG_SNAP_SMMU ? ptdbg_arm64_snap_attr_name : vtd_snap_attr_name);
	if (j)
		ptdbg_json_free(j);
	ptdbg_snap_free(&a);
	ptdbg_snap_free(&b);
	return n ? PTDBG_EXIT_FINDINGS : PTDBG_EXIT_OK;
}
