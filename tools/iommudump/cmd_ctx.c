/* SPDX-License-Identifier: MIT */
/* iommudump ctx and bufs: root and context entries; the kernel's domains and DMA buffers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iommudump.h"
#include "region/region.h"
#include "vtd/vtd_fault.h"

const char *iod_opt_pasid(void *dst, const char *value)
{
	uint64_t n;
	if (ptdbg_parse_u64(value, &n) || n > 0xfffff)
		return "a PASID from 0 to 0xfffff";
	*(uint32_t *)dst = (uint32_t)n;
	return NULL;
}

/* The kernel's domains, after the tables (text). */
static void print_domains(const struct ptdbg_session *s)
{
	if (!s->have_region || !s->region.ndomains)
		return;
	fprintf(s->out, "kernel's device domains (debug region, IOMMU mode %s):\n",
	       ptdbg_iommu_mode_name(s->region.hdr.iommu.mode));
	for (size_t i = 0; i < s->region.ndomains; i++)
		iod_domain_print(s->out, &s->region.domains[i], "  ");
}

static void json_domains(struct ptdbg_json *j, const struct ptdbg_session *s)
{
	if (!s->have_region)
		return;
	ptdbg_json_string_field(j, "kernel_iommu_mode", ptdbg_iommu_mode_name(s->region.hdr.iommu.mode));
	ptdbg_json_name(j, "domains");
	ptdbg_json_start_array(j);
	for (size_t i = 0; i < s->region.ndomains; i++)
		iod_domain_json(j, &s->region.domains[i]);
	ptdbg_json_end_array(j);
}

int cmd_ctx(struct ptdbg_session *s, int argc, char **argv)
{
	char *pos[1];
	int npos;
	uint32_t pasid = VTD_NO_PASID;
	const struct ptdbg_opt opts[] = { IOD_PASID_OPT(&pasid), PTDBG_OPT_END };
	if (ptdbg_cmd_parse(s, opts, argc, argv, 0, pos, 1, &npos))
		return PTDBG_EXIT_ERROR;
	int rc;
	if (iod_want_smmu(s, &rc)) {
		uint32_t sid = 0;
		if (npos && iod_parse_sid(s, pos[0], &sid))
			return PTDBG_EXIT_ERROR;
		return smmu_cmd_ctx(s, npos > 0, sid, pasid == VTD_NO_PASID ? SMMU_NO_SSID : pasid);
	}
	if (rc)
		return rc;
	uint16_t bdf = 0;
	if (npos && iod_parse_bdf(s, pos[0], &bdf))
		return PTDBG_EXIT_ERROR;
	struct iod_unit *u;
	rc = iod_unit_open(s, false, npos ? bdf : IOD_NO_BDF, &u);
	if (rc)
		return rc;
	char state[256], name[64];
	iod_unit_state(u, state, sizeof(state));
	bool tables = iod_unit_has_tables(u);
	struct vtd_dev_lookup l;
	if (tables && npos) {
		rc = vtd_dev_lookup(s->mem, &u->hw, u->root_table, bdf, pasid, &l);
		if (rc && !l.read_err) {
			free(u);
			return iod_walk_error(s, rc);
		}
		rc = 0;
	}
	if (s->json) {
		struct ptdbg_json *j = ptdbg_session_json(s);
		ptdbg_json_start_object(j);
		ptdbg_json_hex_field(j, "drhd_base", u->base);
		ptdbg_json_string_field(j, "drhd_source", iod_drhd_source_name(u->source));
		ptdbg_json_bool_field(j, "translation_enabled", u->info.translation_enabled);
		ptdbg_json_bool_field(j, "root_table_set", tables);
		if (tables) {
			if (npos) {
				ptdbg_json_string_field(j, "device", iod_dev_name(s, bdf, name, sizeof(name)));
				ptdbg_json_name(j, "lookup");
				vtd_lookup_json(j, &l);
			} else {
				ptdbg_json_name(j, "tables");
				rc = vtd_ctx_dump_json(j, s->mem, &u->hw, u->root_table, 0);
			}
		}
		json_domains(j, s);
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
	} else {
		fprintf(s->out, "%s\n", state);
		if (!tables) {
			fprintf(s->out, "no root or context entries to show: the kernel has not programmed the unit%s\n",
			       u->info.translation_enabled ? "" : " (DMA is not remapped)");
		} else if (npos) {
			const struct ptdbg_domain *d = iod_domain(s, bdf);
			vtd_lookup_print(s->out, &l);
			if (l.reason)
				fprintf(s->out, "  the unit would fault requests of %s: reason %#04x (%s)%s\n",
				       iod_dev_name(s, bdf, name, sizeof(name)), l.reason, vtd_fault_reason_name(l.reason),
				       l.fpd ? ", not recorded (FPD=1)" : "");
			if (d)
				iod_domain_print(s->out, d, "  kernel: ");
		} else {
			rc = vtd_ctx_dump_print(s->out, s->mem, &u->hw, u->root_table, 0);
		}
		if (!npos)
			print_domains(s);
	}
	free(u);
	return rc ? iod_walk_error(s, rc) : PTDBG_EXIT_OK;
}

/* What the domain does with the first byte of buffer b now: "-> PA" or the fault. */
static void buf_now(struct ptdbg_session *s, const struct iod_unit *u, const struct ptdbg_dma_buf *b,
		    struct vtd_dev_translation *tr, bool *valid)
{
	*valid = false;
	if (!iod_unit_has_tables(u))
		return;
	bool write = b->dir == PTDBG_DMA_FROM_DEVICE;
	if (vtd_translate_dev(s->mem, &u->hw, u->root_table, b->bdf, VTD_NO_PASID, b->iova, write, tr) == 0)
		*valid = true;
}

int cmd_bufs(struct ptdbg_session *s, int argc, char **argv)
{
	int npos;
	if (ptdbg_cmd_parse(s, NULL, argc, argv, 0, NULL, 0, &npos))
		return PTDBG_EXIT_ERROR;
	if (ptdbg_session_attach(s))
		return PTDBG_EXIT_ERROR;
	if (!s->have_region) {
		ptdbg_session_err(s, "bufs needs the kernel's debug region: %s", s->region_why);
		return PTDBG_EXIT_ERROR;
	}
	int rc;
	if (iod_want_smmu(s, &rc))
		return smmu_cmd_bufs(s);
	struct iod_unit *u = NULL;
	rc = iod_unit_open(s, false, IOD_NO_BDF, &u);
	if (rc)
		u = NULL; /* the buffer list alone still helps */
	const struct ptdbg_region *h = &s->region.hdr;
	struct ptdbg_json *j = NULL;
	if (s->json) {
		j = ptdbg_session_json(s);
		ptdbg_json_start_object(j);
		ptdbg_json_hex_field(j, "kernel_drhd_base", h->iommu.drhd_base);
		ptdbg_json_hex_field(j, "kernel_root_table", h->iommu.root_table);
		if (u)
			ptdbg_json_bool_field(j, "translation_enabled", u->info.translation_enabled);
		iod_print_panic(s, j);
		json_domains(j, s);
		ptdbg_json_name(j, "dma_bufs");
		ptdbg_json_start_array(j);
	} else {
		iod_print_panic(s, NULL);
		fprintf(s->out, "kernel IOMMU mode %s, DRHD %#llx, root table %#llx", ptdbg_iommu_mode_name(h->iommu.mode),
		       (unsigned long long)h->iommu.drhd_base, (unsigned long long)h->iommu.root_table);
		if (u) {
			char state[256];
			iod_unit_state(u, state, sizeof(state));
			fprintf(s->out, "\n%s\n", state);
		} else {
			fprintf(s->out, "\n(the unit itself could not be read)\n");
		}
		print_domains(s);
		fprintf(s->out, "DMA buffers (%zu):\n", s->region.ndma_bufs);
		if (s->region.ndma_bufs)
			fprintf(s->out, "  %-16s %-18s %-18s %10s %-11s %-12s %s\n", "device", "iova", "phys", "len", "dir", "status",
			       "the unit now (first byte)");
	}
	for (size_t i = 0; i < s->region.ndma_bufs; i++) {
		const struct ptdbg_dma_buf *b = &s->region.dma_bufs[i];
		char name[64], now[160] = "", bdf[16];
		struct vtd_dev_translation tr;
		bool valid = false;
		if (u)
			buf_now(s, u, b, &tr, &valid);
		if (!u || !iod_unit_has_tables(u))
			snprintf(now, sizeof(now), "no tables");
		else if (!valid)
			snprintf(now, sizeof(now), "unreadable");
		else if (tr.translated)
			snprintf(now, sizeof(now), "-> %#llx%s", (unsigned long long)tr.pa,
				 tr.pa == b->phys ? "" : " (not the buffer's PA)");
		else if (tr.reason)
			snprintf(now, sizeof(now), "faults: %#04x %s", tr.reason, vtd_fault_reason_name(tr.reason));
		else
			snprintf(now, sizeof(now), "%s: not decoded", vtd_xlate_name(tr.lookup.xlate));
		iod_dev_name(s, b->bdf, name, sizeof(name));
		if (j) {
			ptdbg_json_start_object(j);
			ptdbg_json_string_field(j, "device", name);
			ptdbg_json_string_field(j, "bdf", vtd_bdf_str(b->bdf, bdf, sizeof(bdf)));
			iod_json_buf_fields(j, b, valid, tr.translated, tr.pa);
			if (valid && !tr.translated && tr.reason)
				ptdbg_json_uint_field(j, "fault_reason", tr.reason);
			ptdbg_json_end_object(j);
		} else {
			iod_print_buf_line(s, name, b, now);
		}
	}
	if (j) {
		ptdbg_json_end_array(j);
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
	}
	free(u);
	return PTDBG_EXIT_OK;
}
