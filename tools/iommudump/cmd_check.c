/* SPDX-License-Identifier: MIT */
/* iommudump check: findings about the VT-d state; exit 1 if there are any. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iommudump.h"
#include "cli/protect.h"
#include "smmu/smmu_check.h"
#include "vtd/vtd_check.h"
#include "walk/walk_budget.h"

/* The second-level tables walked so far, keyed by root and levels (open
 * addressing), so that devices sharing a table cost one walk. */
#define WALKED_SLOTS 131072u /* twice the number of possible devices */
struct walked {
	uint64_t key;  /* root | levels; 0: empty */
	uint16_t bdf;  /* the device it was walked for */
};

/* Mappings kept for the buffer checks are bounded by the leaves walked: this many
 * over all devices (a finding says when the budget ran out). */
#define CHECK_LEAVES 2000000u

struct check_ctx {
	struct ptdbg_session *s;
	const struct iod_unit *u;
	struct vtd_checker *c;
	struct walked *walked;
	struct ptdbg_walk_budget budget;
};

static struct walked *walked_slot(struct walked *t, uint64_t key)
{
	size_t h = (size_t)((key * 0x9e3779b97f4a7c15ull) >> 47) & (WALKED_SLOTS - 1);
	while (t[h].key && t[h].key != key)
		h = (h + 1) & (WALKED_SLOTS - 1);
	return &t[h];
}

/* Per device: its lookup, then the walk of its second-level table, unless another
 * device's walk covered the same table or the command's budget ran out. */
static int check_device(void *ctx, const struct vtd_dev_lookup *l)
{
	struct check_ctx *cc = ctx;
	vtd_checker_device(cc->c, l);
	if (l->xlate != VTD_XL_SECOND_LEVEL || l->reason)
		return 0;
	struct vtd_walk_cfg cfg;
	vtd_walk_cfg_from_lookup(&cfg, &cc->u->hw, l);
	cfg.leaf_runs = true; /* vtd_checker_visit takes them */
	struct walked *w = walked_slot(cc->walked, cfg.root | cfg.levels | 1u << 7);
	if (w->key) {
		vtd_checker_share(cc->c, l, w->bdf);
		return 0;
	}
	if (!ptdbg_budget_take(&cc->budget, &cfg.max_nodes, &cfg.max_leaves))
		return 0;
	w->key = cfg.root | cfg.levels | 1u << 7;
	w->bdf = l->bdf;
	struct ptdbg_walk_result res = { 0 };
	vtd_checker_begin(cc->c, l);
	int rc = vtd_walk(cc->s->mem, &cfg, vtd_checker_visit, cc->c, &res);
	vtd_checker_end(cc->c);
	ptdbg_budget_charge(&cc->budget, res.nodes, res.leaves);
	return rc;
}

int cmd_check(struct ptdbg_session *s, int argc, char **argv)
{
	const char *kinds = NULL;
	const struct ptdbg_opt opts[] = {
		{ .name = "kind", .value = true, .str = &kinds },
		PTDBG_OPT_END,
	};
	int npos;
	if (ptdbg_cmd_parse(s, opts, argc, argv, 0, NULL, 0, &npos))
		return PTDBG_EXIT_ERROR;
	static const char *const *const known[] = { vtd_check_kinds, smmu_check_kinds, NULL };
	char bad[64];
	if (kinds && ptdbg_kinds_validate(kinds, known, bad, sizeof(bad))) {
		ptdbg_usage_err(s, "option '--kind': no finding kind '%s' (man iommudump lists them)", bad);
		return PTDBG_EXIT_ERROR;
	}
	int rc;
	if (iod_want_smmu(s, &rc))
		return smmu_cmd_check(s, kinds);
	if (rc)
		return rc;
	struct iod_unit *u;
	rc = iod_unit_open(s, true, IOD_NO_BDF, &u);
	if (rc)
		return rc;

	struct ptdbg_findings fl = { 0 };
	struct vtd_check_opts o = { .out = &fl };
	if (s->have_region && s->region.hdr.frames.count) {
		o.ram_end = (s->region.hdr.frames.base_pfn + s->region.hdr.frames.count) << 12;
		o.ram_source = "frame metadata";
	}
	struct vtd_checker *c = vtd_checker_new(&o);
	if (!c) {
		free(u);
		ptdbg_session_err(s, "out of memory");
		return PTDBG_EXIT_ERROR;
	}
	vtd_checker_unit(c, &u->regs);
	/* dma-maps-kernel-text: the frames of kernel text and read-only data. */
	struct ptdbg_pa_set prot = { 0 };
	if (!kinds || strstr(kinds, "dma-maps-kernel-text"))
		rc = ptdbg_session_protected(s, &prot);
	if (rc) {
		vtd_checker_free(c);
		free(u);
		return iod_walk_error(s, rc);
	}
	vtd_checker_protected(c, &prot);
	if (s->have_region)
		vtd_checker_region(c, s->region.hdr.iommu.mode, s->region.domains, s->region.ndomains,
				   s->region.dma_bufs, s->region.ndma_bufs);
	if (iod_unit_has_tables(u)) {
		struct check_ctx cc = { s, u, c, calloc(WALKED_SLOTS, sizeof(struct walked)), { 0 } };
		ptdbg_budget_init_limits(&cc.budget, PTDBG_BUDGET_NODES, CHECK_LEAVES);
		if (!cc.walked)
			rc = PTDBG_ENOMEM;
		else
			rc = iod_for_each_device(s, u, check_device, &cc);
		free(cc.walked);
		char msg[256];
		if (cc.budget.skipped)
			ptdbg_finding_add(&fl, "walk-partial", PTDBG_SEV_WARNING, 0, 0, "%s",
					  ptdbg_budget_message(&cc.budget, 0, "devices", "walked", msg, sizeof(msg)));
	}
	if (rc) {
		vtd_checker_free(c);
		ptdbg_pa_set_free(&prot);
		ptdbg_findings_free(&fl);
		free(u);
		return iod_walk_error(s, rc);
	}
	vtd_checker_finish(c);
	vtd_checker_free(c);
	ptdbg_pa_set_free(&prot);
	free(u);
	return ptdbg_session_report(s, &fl, kinds);
}
