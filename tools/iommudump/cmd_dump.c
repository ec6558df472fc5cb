/* SPDX-License-Identifier: MIT */
/* iommudump dump and walk: a device's mappings; one IOVA level by level. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iommudump.h"
#include "vtd/vtd_fault.h"

/* Parse "A-B" into [lo, hi). */
static int parse_range(struct ptdbg_session *s, const char *arg, uint64_t *lo, uint64_t *hi)
{
	const char *dash = strchr(arg, '-');
	char a[64];
	size_t n = dash ? (size_t)(dash - arg) : 0;
	if (!dash || !n || n >= sizeof(a) || !dash[1]) {
		ptdbg_usage_err(s, "option '--range' takes START-END, not '%s'", arg);
		return -1;
	}
	memcpy(a, arg, n);
	a[n] = 0;
	if (ptdbg_parse_u64(a, lo) || ptdbg_parse_u64(dash + 1, hi) || *hi <= *lo) {
		ptdbg_usage_err(s, "option '--range' takes START-END with START < END, not '%s'", arg);
		return -1;
	}
	return 0;
}

/* Look bdf up; explain (text) or report (exit status) when there is no
 * second-level table to use. Returns 0 when l is a second-level lookup, -1 when
 * the command has said why it stops (exit 0), or an exit status. */
static int lookup_sl(struct ptdbg_session *s, const struct iod_unit *u, uint16_t bdf, uint32_t pasid,
		     struct vtd_dev_lookup *l)
{
	char name[64];
	iod_dev_name(s, bdf, name, sizeof(name));
	if (!iod_unit_has_tables(u)) {
		char state[256];
		iod_unit_state(u, state, sizeof(state));
		iod_print_no_tables(s, "", name, state, "root_table_set", u->info.translation_enabled);
		return -1;
	}
	int rc = vtd_dev_lookup(s->mem, &u->hw, u->root_table, bdf, pasid, l);
	if (rc && !l->read_err)
		return iod_walk_error(s, rc);
	if (l->xlate == VTD_XL_SECOND_LEVEL)
		return 0;
	if (s->json) {
		struct ptdbg_json *j = ptdbg_session_json(s);
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "device", name);
		ptdbg_json_name(j, "lookup");
		vtd_lookup_json(j, l);
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
	} else {
		vtd_lookup_print(s->out, l);
		if (l->reason)
			fprintf(s->out, "%s has no second-level table: the unit faults its requests (reason %#04x, %s)\n", name,
			       l->reason, vtd_fault_reason_name(l->reason));
		else if (l->xlate == VTD_XL_PASSTHROUGH)
			fprintf(s->out, "%s is pass-through: every IOVA reaches the same physical address\n", name);
		else
			fprintf(s->out, "%s uses %s translation, which is not decoded\n", name, vtd_xlate_name(l->xlate));
	}
	return -1;
}

int cmd_dump(struct ptdbg_session *s, int argc, char **argv)
{
	char *pos[1];
	const char *range = NULL;
	int npos;
	uint32_t pasid = VTD_NO_PASID;
	const struct ptdbg_opt opts[] = {
		{ .name = "range", .value = true, .str = &range },
		IOD_PASID_OPT(&pasid),
		PTDBG_OPT_END,
	};
	if (ptdbg_cmd_parse(s, opts, argc, argv, 0, pos, 1, &npos))
		return PTDBG_EXIT_ERROR;
	if (!npos) {
		ptdbg_usage_err(s, "which device? (iommudump dump BDF)");
		return PTDBG_EXIT_ERROR;
	}
	uint16_t bdf;
	uint64_t lo = 0, hi = 0;
	if (range && parse_range(s, range, &lo, &hi))
		return PTDBG_EXIT_ERROR;
	int rc;
	if (iod_want_smmu(s, &rc)) {
		uint32_t sid;
		if (iod_parse_sid(s, pos[0], &sid))
			return PTDBG_EXIT_ERROR;
		return smmu_cmd_dump(s, sid, pasid == VTD_NO_PASID ? SMMU_NO_SSID : pasid, range != NULL, lo, hi);
	}
	if (rc)
		return rc;
	if (iod_parse_bdf(s, pos[0], &bdf))
		return PTDBG_EXIT_ERROR;
	struct iod_unit *u;
	rc = iod_unit_open(s, false, bdf, &u);
	if (rc)
		return rc;
	struct vtd_dev_lookup l;
	rc = lookup_sl(s, u, bdf, pasid, &l);
	if (rc) {
		free(u);
		return rc < 0 ? PTDBG_EXIT_OK : rc;
	}
	struct vtd_walk_cfg cfg;
	vtd_walk_cfg_from_lookup(&cfg, &u->hw, &l);
	cfg.leaf_runs = true; /* vtd_map_printer_visit takes them */
	if (range) {
		cfg.iova_filter = true;
		cfg.iova_first = lo;
		cfg.iova_last = hi - 1;
	}
	char name[64];
	iod_dev_name(s, bdf, name, sizeof(name));
	const struct ptdbg_domain *d = iod_domain(s, bdf);
	struct vtd_map_printer p;
	struct ptdbg_walk_result res = { 0 };
	if (s->json) {
		struct ptdbg_json *j = ptdbg_session_json(s);
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "device", name);
		ptdbg_json_uint_field(j, "did", l.did);
		ptdbg_json_uint_field(j, "aw_bits", l.aw_bits);
		ptdbg_json_uint_field(j, "levels", l.levels);
		ptdbg_json_hex_field(j, "root", l.sl_root);
		if (d) {
			ptdbg_json_hex_field(j, "win_start", d->win_start);
			ptdbg_json_hex_field(j, "win_end", d->win_end);
		}
		ptdbg_json_name(j, "mappings");
		ptdbg_json_start_array(j);
		vtd_map_printer_init(&p, s->out, j);
		rc = vtd_walk(s->mem, &cfg, vtd_map_printer_visit, &p, &res);
		vtd_map_printer_flush(&p);
		ptdbg_json_end_array(j);
		ptdbg_json_bool_field(j, "partial", res.partial);
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
	} else {
		fprintf(s->out, "device %s: domain %u, %u-bit, %u levels, second-level table %#llx", name, l.did, l.aw_bits,
		       l.levels, (unsigned long long)l.sl_root);
		if (d)
			fprintf(s->out, "; kernel window [%#llx, %#llx)", (unsigned long long)d->win_start,
			       (unsigned long long)d->win_end);
		fprintf(s->out, "\n%-29s    %-14s %10s %-2s %s\n", "IOVA range", "physical", "pages", "pg", "perm");
		vtd_map_printer_init(&p, s->out, NULL);
		rc = vtd_walk(s->mem, &cfg, vtd_map_printer_visit, &p, &res);
		vtd_map_printer_flush(&p);
		fprintf(s->out, "# %llu leaves in %llu ranges, %llu tables%s\n", (unsigned long long)res.leaves,
		       (unsigned long long)p.runs, (unsigned long long)res.nodes, res.partial ? " (partial walk)" : "");
	}
	free(u);
	return rc ? iod_walk_error(s, rc) : PTDBG_EXIT_OK;
}

int cmd_walk(struct ptdbg_session *s, int argc, char **argv)
{
	char *pos[2];
	int npos;
	uint32_t pasid = VTD_NO_PASID;
	bool write = false;
	const struct ptdbg_opt opts[] = {
		{ .name = "write", .flag = &write },
		IOD_PASID_OPT(&pasid),
		PTDBG_OPT_END,
	};
	if (ptdbg_cmd_parse(s, opts, argc, argv, 0, pos, 2, &npos))
		return PTDBG_EXIT_ERROR;
	if (npos < 2) {
		ptdbg_usage_err(s, "which device and IOVA? (iommudump walk BDF IOVA)");
		return PTDBG_EXIT_ERROR;
	}
	uint16_t bdf;
	uint64_t iova;
	if (ptdbg_parse_u64(pos[1], &iova)) {
		ptdbg_usage_err(s, "'%s' is not an IOVA", pos[1]);
		return PTDBG_EXIT_ERROR;
	}
	int rc;
	if (iod_want_smmu(s, &rc)) {
		uint32_t sid;
		if (iod_parse_sid(s, pos[0], &sid))
			return PTDBG_EXIT_ERROR;
		return smmu_cmd_walk(s, sid, pasid == VTD_NO_PASID ? SMMU_NO_SSID : pasid, iova, write);
	}
	if (rc)
		return rc;
	if (iod_parse_bdf(s, pos[0], &bdf))
		return PTDBG_EXIT_ERROR;
	struct iod_unit *u;
	rc = iod_unit_open(s, false, bdf, &u);
	if (rc)
		return rc;
	char name[64], state[256];
	iod_dev_name(s, bdf, name, sizeof(name));
	iod_unit_state(u, state, sizeof(state));
	if (!iod_unit_has_tables(u) || !u->info.translation_enabled) {
		/* With translation off the unit passes requests through untouched. */
		if (s->json) {
			struct ptdbg_json *j = ptdbg_session_json(s);
			ptdbg_json_start_object(j);
			ptdbg_json_string_field(j, "device", name);
			ptdbg_json_bool_field(j, "translation_enabled", u->info.translation_enabled);
			ptdbg_json_bool_field(j, "root_table_set", iod_unit_has_tables(u));
			if (!u->info.translation_enabled) {
				ptdbg_json_bool_field(j, "translated", true);
				ptdbg_json_hex_field(j, "pa", iova);
			}
			ptdbg_json_end_object(j);
			ptdbg_json_free(j);
			free(u);
			return PTDBG_EXIT_OK;
		}
		fprintf(s->out, "%s\n", state);
		if (!u->info.translation_enabled)
			fprintf(s->out, "translation is off: %s's %s of IOVA %#llx reaches physical %#llx untranslated\n", name,
			       write ? "write" : "read", (unsigned long long)iova, (unsigned long long)iova);
		if (!iod_unit_has_tables(u)) {
			free(u);
			return PTDBG_EXIT_OK;
		}
		fprintf(s->out, "the tables the unit would use once enabled:\n");
	}
	struct vtd_dev_translation tr;
	rc = vtd_translate_dev(s->mem, &u->hw, u->root_table, bdf, pasid, iova, write, &tr);
	if (rc) {
		free(u);
		return iod_walk_error(s, rc);
	}
	if (s->json) {
		struct ptdbg_json *j = ptdbg_session_json(s);
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "device", name);
		ptdbg_json_bool_field(j, "translation_enabled", u->info.translation_enabled);
		ptdbg_json_name(j, "translation");
		vtd_translation_json(j, &tr);
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
	} else {
		if (u->info.translation_enabled)
			fprintf(s->out, "%s\n", state);
		vtd_translation_print(s->out, &tr);
		const struct ptdbg_domain *d = iod_domain(s, bdf);
		if (d) {
			iod_domain_print(s->out, d, "  kernel: ");
			if (iova < d->win_start || iova >= d->win_end)
				fprintf(s->out, "  IOVA %#llx is outside the kernel's window for %s\n", (unsigned long long)iova, name);
		}
	}
	free(u);
	return PTDBG_EXIT_OK;
}
