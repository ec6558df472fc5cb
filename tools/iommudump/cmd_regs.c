/* SPDX-License-Identifier: MIT */
/* iommudump regs and faults: the unit's registers and fault records, decoded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iommudump.h"
#include "vtd/vtd_fault.h"
#include "acpi/iort.h"

int cmd_regs(struct ptdbg_session *s, int argc, char **argv)
{
	bool dmar = false, iort = false;
	const struct ptdbg_opt opts[] = { { .name = "dmar", .flag = &dmar }, { .name = "iort", .flag = &iort },
					  PTDBG_OPT_END };
	int npos;
	if (ptdbg_cmd_parse(s, opts, argc, argv, 0, NULL, 0, &npos))
		return PTDBG_EXIT_ERROR;
	int rc;
	if (iod_want_smmu(s, &rc))
		return smmu_cmd_regs(s, iort);
	if (rc)
		return rc;
	struct iod_unit *u;
	rc = iod_unit_open(s, true, IOD_NO_BDF, &u);
	if (rc)
		return rc;
	const struct acpi_iort_info *io = iort ? iod_iort(s, &rc) : NULL;
	if (rc) {
		free(u);
		return iod_walk_error(s, rc);
	}
	if (s->json) {
		struct ptdbg_json *j = ptdbg_session_json(s);
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "drhd_source", iod_drhd_source_name(u->source));
		if (dmar && u->have_dmar) {
			ptdbg_json_name(j, "dmar");
			acpi_dmar_json(j, &u->dmar);
		}
		if (io) {
			ptdbg_json_name(j, "iort");
			acpi_iort_json(j, io);
		}
		ptdbg_json_name(j, "unit");
		vtd_regs_json(j, &u->regs);
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
	} else {
		if (dmar) {
			if (u->have_dmar)
				acpi_dmar_print(s->out, &u->dmar);
			else
				fprintf(s->out, "no ACPI DMAR table found in guest memory\n");
		}
		if (iort) {
			if (io)
				acpi_iort_print(s->out, io);
			else
				fprintf(s->out, "no ACPI IORT table found in guest memory\n");
		}
		fprintf(s->out, "register base %#llx from %s\n", (unsigned long long)u->base, iod_drhd_source_name(u->source));
		vtd_regs_print(s->out, &u->regs);
	}
	free(u);
	return PTDBG_EXIT_OK;
}

int cmd_faults(struct ptdbg_session *s, int argc, char **argv)
{
	bool all = false;
	const struct ptdbg_opt opts[] = { { .name = "all", .flag = &all }, PTDBG_OPT_END };
	int npos;
	if (ptdbg_cmd_parse(s, opts, argc, argv, 0, NULL, 0, &npos))
		return PTDBG_EXIT_ERROR;
	int rc;
	if (iod_want_smmu(s, &rc))
		return smmu_cmd_faults(s, all);
	if (rc)
		return rc;
	struct iod_unit *u;
	rc = iod_unit_open(s, true, IOD_NO_BDF, &u);
	if (rc)
		return rc;
	struct vtd_fault_rec *rec = calloc(u->regs.nfrcd ? u->regs.nfrcd : 1, sizeof(*rec));
	if (!rec) {
		free(u);
		ptdbg_session_err(s, "out of memory");
		return PTDBG_EXIT_ERROR;
	}
	size_t n = vtd_faults_collect(&u->regs, all, rec, u->regs.nfrcd);
	if (s->json) {
		struct ptdbg_json *j = ptdbg_session_json(s);
		ptdbg_json_start_object(j);
		ptdbg_json_hex_field(j, "drhd_base", u->base);
		ptdbg_json_bool_field(j, "translation_enabled", u->info.translation_enabled);
		ptdbg_json_name(j, "faults");
		vtd_faults_json(j, &u->regs, all);
		if (s->have_region) {
			/* the names of the devices that faulted */
			ptdbg_json_name(j, "devices");
			ptdbg_json_start_object(j);
			for (size_t i = 0; i < n; i++) {
				char bdf[16], name[PTDBG_NAME_LEN + 1];
				const struct ptdbg_domain *d = iod_domain(s, rec[i].sid);
				if (!d)
					continue;
				ptdbg_name_copy(name, d->name, PTDBG_NAME_LEN);
				ptdbg_json_string_field(j, vtd_bdf_str(rec[i].sid, bdf, sizeof(bdf)), name);
			}
			ptdbg_json_end_object(j);
		}
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
	} else {
		char state[256];
		iod_unit_state(u, state, sizeof(state));
		fprintf(s->out, "%s; %u fault recording register%s at +%#llx\n", state, u->regs.nfrcd,
		       u->regs.nfrcd == 1 ? "" : "s", (unsigned long long)u->regs.frcd_off);
		vtd_faults_print(s->out, &u->regs, all);
		struct iod_record_runs runs = { .out = s->out };
		for (size_t i = 0; i < n; i++) {
			char name[64], what[128];
			if (!rec[i].fault || !iod_domain(s, rec[i].sid))
				continue;
			snprintf(what, sizeof(what), "device %s (%s fault)", iod_dev_name(s, rec[i].sid, name, sizeof(name)),
				 vtd_fault_reason_class(rec[i].reason));
			iod_record_run(&runs, rec[i].index, what);
		}
		iod_record_runs_end(&runs);
	}
	free(rec);
	free(u);
	return PTDBG_EXIT_OK;
}
