/* SPDX-License-Identifier: MIT */
/*
 * iommudump on an Arm SMMUv3: which IOMMU the guest has, and every command for the
 * SMMU (the VT-d files call these once their options are parsed). Same command
 * names, options, JSON keys where they mean the same thing, and exit statuses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iommudump.h"
#include "arm64/arm64_print.h"
#include "smmu/smmu_check.h"
#include "smmu/smmu_find.h"
#include "acpi/iort.h"
#include "smmu/smmu_walk.h"
#include "out/snapshot.h"
#include "walk/walk_budget.h"

/* ---- which IOMMU ---- */

/* The region's SMMU base, if it says the kernel drives one. */
static bool region_smmu(const struct ptdbg_session *s, uint64_t *base)
{
	if (!s->have_region || s->region.hdr.iommu_kind != PTDBG_IOMMU_KIND_SMMUV3 || !s->region.hdr.smmu.base)
		return false;
	*base = s->region.hdr.smmu.base;
	return true;
}

const struct acpi_iort_info *iod_iort(struct ptdbg_session *s, int *rc)
{
	static struct acpi_iort_info iort; /* one command at a time */
	*rc = 0;
	unsigned where = ptdbg_session_arch(s) == PTDBG_ARCH_AARCH64 ? ACPI_WHERE_UEFI : ACPI_WHERE_BIOS | ACPI_WHERE_UEFI;
	int r = acpi_iort_find(s->t, where, s->have_ram ? &s->ram : NULL, &iort);
	if (r && ptdbg_link_error(r)) {
		*rc = r;
		return NULL;
	}
	return r == 0 ? &iort : NULL;
}

int iod_detect(struct ptdbg_session *s, struct iod_found *f)
{
	memset(f, 0, sizeof(*f));
	if (ptdbg_session_attach(s))
		return PTDBG_EXIT_ERROR;
	const struct iod_opts *o = s->tool_opts;
	if (o && o->smmu) {
		ptdbg_parse_u64(o->smmu, &f->base);
		f->kind = IOD_SMMU;
		f->source = "--smmu";
		return 0;
	}
	if (o && o->drhd) {
		f->kind = IOD_VTD;
		return 0;
	}
	if (region_smmu(s, &f->base)) {
		f->kind = IOD_SMMU;
		f->source = "debug region";
		return 0;
	}
	if (s->have_region && (s->region.hdr.iommu_kind == PTDBG_IOMMU_KIND_VTD || s->region.hdr.iommu.drhd_base)) {
		f->kind = IOD_VTD;
		return 0;
	}
	if (ptdbg_session_arch(s) != PTDBG_ARCH_AARCH64) {
		f->kind = IOD_VTD; /* the ACPI DMAR table, or VT-d's own error */
		return 0;
	}
	int rc = smmu_fdt_find_mem(s->t, SMMU_FDT_VIRT_PA, &f->base);
	if (rc < 0)
		return ptdbg_walk_error(s, rc, "reading the device tree failed");
	if (rc == 1) {
		f->kind = IOD_SMMU;
		f->source = "device tree";
		return 0;
	}
	const struct acpi_iort_info *iort = iod_iort(s, &rc);
	if (rc)
		return ptdbg_walk_error(s, rc, "reading the ACPI tables failed");
	int n = iort ? acpi_iort_smmuv3(iort, 0) : -1;
	if (n >= 0) {
		f->base = iort->nodes[n].u.smmu3.base;
		f->kind = IOD_SMMU;
		f->source = "ACPI IORT";
		return 0;
	}
	char *text = NULL;
	if (ptdbg_monitor(s->t, "info mtree -f", &text) == 0 && text && smmu_mtree_find(text, &f->base)) {
		free(text);
		f->kind = IOD_SMMU;
		f->source = "QEMU memory tree";
		return 0;
	}
	free(text);
	ptdbg_session_err(s, "no SMMUv3 found: no arm,smmu-v3 node in a device tree at %#llx, %s, no arm-smmuv3 "
			  "region in QEMU's memory tree, and %s; name one with --smmu ADDR",
			  SMMU_FDT_VIRT_PA, iort ? "no SMMUv3 node in the ACPI IORT" : "no ACPI IORT in guest memory",
			  s->have_region ? "the debug region names no SMMU" : s->region_why);
	return PTDBG_EXIT_ERROR;
}

bool iod_want_smmu(struct ptdbg_session *s, int *rc)
{
	struct iod_found f;
	*rc = iod_detect(s, &f);
	return *rc == 0 && f.kind == IOD_SMMU;
}

/* ---- the unit ---- */

struct smmu_unit {
	uint64_t base;
	const char *source;
	struct smmu_regs regs;
	struct smmu_unit_info info;
	struct smmu_hw hw;
	struct smmu_strtab st;
};

static const struct ptdbg_domain *sid_domain(const struct ptdbg_session *s, uint32_t sid);

/* The pages stream sid's lookup reads first, as the debug region names them: its
 * STE's page (or, two-level, its level-1 descriptor's) from the stream table the
 * kernel programmed, the CD's page and the stage-1 root of the kernel's domain for
 * it, as ios into bufs (PTDBG_ALSO_MAX pages). Only a hint, read with the
 * registers: the lookup reads what the SMMU's registers and tables say, and finds
 * these pages cached when they are the same; a wrong region costs a page or two
 * read for nothing. Returns how many ios. */
static size_t stream_ahead(const struct ptdbg_session *s, uint32_t sid, struct ptdbg_io *ios, uint8_t *bufs)
{
	const struct ptdbg_domain *d = sid == SMMU_NO_SID ? NULL : sid_domain(s, sid);
	if (!d)
		return 0; /* nothing the region says about it */
	const struct ptdbg_smmu *k = &s->region.hdr.smmu;
	struct smmu_hw hw = { 0 }; /* not read yet: the stream table's own fields bound it */
	struct smmu_strtab st = { .base = k->strtab_base & SMMU_STRTAB_BASE_ADDR, .fmt = k->strtab_fmt,
				  .log2size = k->log2size, .split = k->split };
	uint64_t pas[3];
	size_t n = 0;
	if (st.base)
		pas[n++] = smmu_strtab_entry_pa(&hw, &st, sid);
	if (d->cd)
		pas[n++] = d->cd;
	if (d->root)
		pas[n++] = d->root;
	return ptdbg_page_ios(pas, n, ios, bufs);
}

/* Find and read the SMMU: every register with all_regs, else those that locate and
 * describe the tables (smmu_regs_read_unit); with sid (else SMMU_NO_SID), the pages
 * its lookup reads first in the same batch (stream_ahead). Returns 0 or
 * PTDBG_EXIT_ERROR (printed); *out is malloc'd. */
static int unit_open(struct ptdbg_session *s, bool all_regs, uint32_t sid, struct smmu_unit **out)
{
	*out = NULL;
	struct iod_found f;
	int rc = iod_detect(s, &f);
	if (rc)
		return rc;
	struct smmu_unit *u = calloc(1, sizeof(*u));
	uint8_t *pages = malloc(PTDBG_ALSO_MAX * PTDBG_PAGE_SIZE);
	if (!u || !pages) {
		free(u);
		free(pages);
		ptdbg_session_err(s, "out of memory");
		return PTDBG_EXIT_ERROR;
	}
	u->base = f.base;
	u->source = f.source;
	/* Where RAM is first (tables outside it are not read: QEMU reads zeros there,
	 * or device registers); on AArch64 its device tree came with the region, and
	 * the pages read ahead below go into the reader it installs. */
	ptdbg_session_ram_guard(s, SMMU_FDT_VIRT_PA, NULL, 0);
	struct ptdbg_io ahead[PTDBG_ALSO_MAX];
	size_t nahead = stream_ahead(s, sid, ahead, pages);
	rc = smmu_regs_read_also(s->t, u->base, &u->regs, all_regs, ahead, nahead);
	if (rc == 0)
		ptdbg_session_put_pages(s, ahead, nahead);
	free(pages);
	if (rc == PTDBG_EFORMAT) {
		ptdbg_session_err(s, "no SMMUv3 at %#llx (from %s): IDR0/IDR1/IDR5 read as all zeros or ones",
				  (unsigned long long)u->base, u->source);
		free(u);
		return PTDBG_EXIT_ERROR;
	}
	if (rc) {
		ptdbg_session_err(s, "reading the SMMU at %#llx: %s", (unsigned long long)u->base,
				  ptdbg_target_error(s->t));
		free(u);
		return PTDBG_EXIT_ERROR;
	}
	smmu_regs_info(&u->regs, &u->info);
	smmu_hw_from_regs(&u->hw, &u->regs);
	smmu_strtab_from_regs(&u->st, &u->regs);
	*out = u;
	return 0;
}

/* Whether the stream table is programmed (SMMUEN, or a base to look at). */
static bool unit_has_tables(const struct smmu_unit *u)
{
	return u->st.base != 0;
}

static void unit_state(const struct smmu_unit *u, char *buf, size_t len)
{
	if (!unit_has_tables(u))
		snprintf(buf, len, "SMMUv3 at %#llx (%s): %s, no stream table set (STRTAB_BASE 0)",
			 (unsigned long long)u->base, u->source, u->info.enabled ? "enabled" :
			 u->info.gbpa_abort ? "disabled (GBPA aborts)" : "disabled (GBPA bypasses)");
	else
		snprintf(buf, len, "SMMUv3 at %#llx (%s): %s, %s stream table %#llx, 2^%u stream ids",
			 (unsigned long long)u->base, u->source, u->info.enabled ? "enabled" :
			 u->info.gbpa_abort ? "disabled (GBPA aborts)" : "disabled (GBPA bypasses)",
			 smmu_strtab_fmt_name(u->st.fmt), (unsigned long long)u->st.base,
			 smmu_strtab_log2size(&u->hw, &u->st));
}

/* The kernel's domain for stream sid (debug region), or NULL. */
static const struct ptdbg_domain *sid_domain(const struct ptdbg_session *s, uint32_t sid)
{
	if (!s->have_region)
		return NULL;
	for (size_t i = 0; i < s->region.ndomains; i++)
		if (s->region.domains[i].cd && s->region.domains[i].sid == sid)
			return &s->region.domains[i];
	return NULL;
}

/* "0x10 edu" or "0x10". */
static const char *sid_name(const struct ptdbg_session *s, uint32_t sid, char *buf, size_t len)
{
	const struct ptdbg_domain *d = sid_domain(s, sid);
	char name[PTDBG_NAME_LEN + 1] = "";
	if (d)
		ptdbg_name_copy(name, d->name, PTDBG_NAME_LEN);
	snprintf(buf, len, "%#x%s%s", (unsigned)sid, name[0] ? " " : "", name);
	return buf;
}

/* The stream of a DMA buffer: its device's domain's, else its requester id. */
static uint32_t buf_sid(const struct ptdbg_session *s, const struct ptdbg_dma_buf *b)
{
	for (size_t i = 0; i < s->region.ndomains; i++)
		if (s->region.domains[i].cd && s->region.domains[i].bdf == b->bdf)
			return s->region.domains[i].sid;
	return b->bdf;
}

int iod_parse_sid(struct ptdbg_session *s, const char *arg, uint32_t *sid)
{
	if (s->have_region) {
		for (size_t i = 0; i < s->region.ndomains; i++) {
			char name[PTDBG_NAME_LEN + 1];
			ptdbg_name_copy(name, s->region.domains[i].name, PTDBG_NAME_LEN);
			if (s->region.domains[i].cd && !strcmp(name, arg)) {
				*sid = s->region.domains[i].sid;
				return 0;
			}
		}
	}
	uint64_t v;
	if (!strchr(arg, ':') && !strchr(arg, '.') && ptdbg_parse_u64(arg, &v) == 0) {
		if (v > 0xffffffffu) {
			ptdbg_session_err(s, "'%s': a stream id has at most 32 bits", arg);
			return -1;
		}
		*sid = (uint32_t)v;
		return 0;
	}
	/* bb:dd.f: on QEMU's virt machine the stream id is the requester id */
	uint16_t bdf;
	if (iod_parse_bdf(s, arg, &bdf))
		return -1;
	*sid = bdf;
	return 0;
}

static void print_domain(FILE *out, const struct ptdbg_domain *d, const char *indent)
{
	iod_domain_print(out, d, indent);
}

static void print_domains(const struct ptdbg_session *s)
{
	if (!s->have_region || !s->region.ndomains)
		return;
	fprintf(s->out, "kernel's device domains (debug region):\n");
	for (size_t i = 0; i < s->region.ndomains; i++)
		print_domain(s->out, &s->region.domains[i], "  ");
}

static void json_domains(struct ptdbg_json *j, const struct ptdbg_session *s)
{
	if (!s->have_region)
		return;
	ptdbg_json_name(j, "domains");
	ptdbg_json_start_array(j);
	for (size_t i = 0; i < s->region.ndomains; i++)
		iod_domain_json(j, &s->region.domains[i]);
	ptdbg_json_end_array(j);
}

static void json_unit(struct ptdbg_json *j, const struct smmu_unit *u)
{
	ptdbg_json_string_field(j, "iommu", "smmuv3");
	ptdbg_json_hex_field(j, "smmu_base", u->base);
	ptdbg_json_string_field(j, "smmu_source", u->source);
	ptdbg_json_bool_field(j, "translation_enabled", u->info.enabled);
}

/* ---- regs, faults ---- */

int smmu_cmd_regs(struct ptdbg_session *s, bool want_iort)
{
	struct smmu_unit *u;
	int rc = unit_open(s, true, SMMU_NO_SID, &u);
	if (rc)
		return rc;
	const struct acpi_iort_info *iort = NULL;
	if (want_iort) {
		iort = iod_iort(s, &rc);
		if (rc) {
			free(u);
			return iod_walk_error(s, rc);
		}
	}
	if (s->json) {
		struct ptdbg_json *j = ptdbg_session_json(s);
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "iommu", "smmuv3");
		ptdbg_json_string_field(j, "smmu_source", u->source);
		if (iort) {
			ptdbg_json_name(j, "iort");
			acpi_iort_json(j, iort);
		}
		ptdbg_json_name(j, "unit");
		smmu_regs_json(j, &u->regs);
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
	} else {
		if (want_iort && iort)
			acpi_iort_print(s->out, iort);
		else if (want_iort)
			fprintf(s->out, "no ACPI IORT table found in guest memory\n");
		fprintf(s->out, "register base %#llx from %s\n", (unsigned long long)u->base, u->source);
		smmu_regs_print(s->out, &u->regs);
	}
	free(u);
	return PTDBG_EXIT_OK;
}

int smmu_cmd_faults(struct ptdbg_session *s, bool all)
{
	struct smmu_unit *u;
	int rc = unit_open(s, true, SMMU_NO_SID, &u);
	if (rc)
		return rc;
	struct smmu_queue q;
	smmu_queue_from_regs(&q, SMMU_Q_EVENT, &u->regs);
	struct smmu_event ev[256];
	size_t n = 0;
	int er = smmu_events_read(s->mem, &q, all, ev, 256, &n);
	if (ptdbg_link_error(er)) {
		free(u);
		return iod_walk_error(s, er);
	}
	if (s->json) {
		struct ptdbg_json *j = ptdbg_session_json(s);
		ptdbg_json_start_object(j);
		json_unit(j, u);
		ptdbg_json_name(j, "faults");
		rc = smmu_faults_json(j, s->mem, &u->regs, all, 0);
		if (s->have_region) {
			ptdbg_json_name(j, "devices");
			ptdbg_json_start_object(j);
			for (size_t i = 0; i < n; i++) {
				const struct ptdbg_domain *d = sid_domain(s, ev[i].sid);
				char key[16], name[PTDBG_NAME_LEN + 1];
				if (!d)
					continue;
				snprintf(key, sizeof(key), "%#x", (unsigned)ev[i].sid);
				ptdbg_name_copy(name, d->name, PTDBG_NAME_LEN);
				ptdbg_json_string_field(j, key, name);
			}
			ptdbg_json_end_object(j);
		}
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
	} else {
		char state[256];
		unit_state(u, state, sizeof(state));
		fprintf(s->out, "%s\n", state);
		rc = smmu_faults_print(s->out, s->mem, &u->regs, all, 0);
		struct iod_record_runs runs = { .out = s->out };
		for (size_t i = 0; i < n; i++) {
			char name[64], what[128];
			if (!sid_domain(s, ev[i].sid))
				continue;
			snprintf(what, sizeof(what), "stream %s (%s)", sid_name(s, ev[i].sid, name, sizeof(name)),
				 smmu_event_name(ev[i].type) ? smmu_event_name(ev[i].type) : "?");
			iod_record_run(&runs, ev[i].index, what);
		}
		iod_record_runs_end(&runs);
	}
	free(u);
	return rc ? iod_walk_error(s, rc) : PTDBG_EXIT_OK;
}

/* ---- ctx, bufs ---- */

int smmu_cmd_ctx(struct ptdbg_session *s, bool one, uint32_t sid, uint32_t ssid)
{
	struct smmu_unit *u;
	int rc = unit_open(s, false, one ? sid : SMMU_NO_SID, &u);
	if (rc)
		return rc;
	char state[256], name[64];
	unit_state(u, state, sizeof(state));
	bool tables = unit_has_tables(u);
	struct smmu_stream_lookup l;
	if (tables && one) {
		rc = smmu_stream_lookup(s->mem, &u->hw, &u->st, sid, ssid, &l);
		if (rc) {
			free(u);
			return iod_walk_error(s, rc);
		}
	}
	if (s->json) {
		struct ptdbg_json *j = ptdbg_session_json(s);
		ptdbg_json_start_object(j);
		json_unit(j, u);
		ptdbg_json_bool_field(j, "stream_table_set", tables);
		if (tables) {
			if (one) {
				ptdbg_json_string_field(j, "device", sid_name(s, sid, name, sizeof(name)));
				ptdbg_json_name(j, "lookup");
				smmu_lookup_json(j, &l);
			} else {
				ptdbg_json_name(j, "tables");
				rc = smmu_ctx_dump_json(j, s->mem, &u->hw, &u->st, 0);
			}
		}
		json_domains(j, s);
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
	} else {
		fprintf(s->out, "%s\n", state);
		if (!tables) {
			fprintf(s->out, "no stream table entries to show: the kernel has not programmed the SMMU\n");
		} else if (one) {
			smmu_lookup_print(s->out, &l);
			if (l.event)
				fprintf(s->out, "  the SMMU would stop requests of stream %s with %s\n",
					sid_name(s, sid, name, sizeof(name)), smmu_event_name(l.event));
			const struct ptdbg_domain *d = sid_domain(s, sid);
			if (d)
				print_domain(s->out, d, "  kernel: ");
		} else {
			rc = smmu_ctx_dump_print(s->out, s->mem, &u->hw, &u->st, 0);
		}
		if (!one)
			print_domains(s);
	}
	free(u);
	return rc ? iod_walk_error(s, rc) : PTDBG_EXIT_OK;
}

int smmu_cmd_bufs(struct ptdbg_session *s)
{
	if (!s->have_region) {
		ptdbg_session_err(s, "bufs needs the kernel's debug region: %s", s->region_why);
		return PTDBG_EXIT_ERROR;
	}
	struct smmu_unit *u = NULL;
	if (unit_open(s, false, SMMU_NO_SID, &u))
		u = NULL; /* the buffer list alone still helps */
	const struct ptdbg_region *h = &s->region.hdr;
	struct ptdbg_json *j = NULL;
	if (s->json) {
		j = ptdbg_session_json(s);
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "iommu", "smmuv3");
		ptdbg_json_hex_field(j, "kernel_smmu_base", h->smmu.base);
		ptdbg_json_hex_field(j, "kernel_strtab_base", h->smmu.strtab_base);
		if (u)
			ptdbg_json_bool_field(j, "translation_enabled", u->info.enabled);
		iod_print_panic(s, j);
		json_domains(j, s);
		ptdbg_json_name(j, "dma_bufs");
		ptdbg_json_start_array(j);
	} else {
		iod_print_panic(s, NULL);
		fprintf(s->out, "kernel IOMMU SMMUv3 at %#llx, STRTAB_BASE %#llx (%s, %u stream id bits)",
			(unsigned long long)h->smmu.base, (unsigned long long)h->smmu.strtab_base,
			h->smmu.strtab_fmt ? "two-level" : "linear", h->smmu.log2size);
		if (u) {
			char state[256];
			unit_state(u, state, sizeof(state));
			fprintf(s->out, "\n%s\n", state);
		} else {
			fprintf(s->out, "\n(the SMMU itself could not be read)\n");
		}
		print_domains(s);
		fprintf(s->out, "DMA buffers (%zu):\n", s->region.ndma_bufs);
		if (s->region.ndma_bufs)
			fprintf(s->out, "  %-16s %-18s %-18s %10s %-11s %-12s %s\n", "device", "iova", "phys", "len", "dir",
				"status", "the SMMU now (first byte)");
	}
	int rc = 0;
	for (size_t i = 0; i < s->region.ndma_bufs && !rc; i++) {
		const struct ptdbg_dma_buf *b = &s->region.dma_bufs[i];
		uint32_t sid = buf_sid(s, b);
		char name[64], now[200] = "";
		struct smmu_translation tr;
		bool valid = false;
		if (u && unit_has_tables(u)) {
			rc = smmu_translate(s->mem, &u->hw, &u->st, sid, SMMU_NO_SSID, b->iova, b->dir == PTDBG_DMA_FROM_DEVICE,
					    u->info.eventq_enabled, &tr);
			valid = rc == 0;
		}
		if (!u || !unit_has_tables(u))
			snprintf(now, sizeof(now), "no tables");
		else if (!valid)
			snprintf(now, sizeof(now), "unreadable");
		else if (tr.translated)
			snprintf(now, sizeof(now), "-> %#llx%s", (unsigned long long)tr.pa,
				 tr.pa == b->phys ? "" : " (not the buffer's PA)");
		else if (tr.event)
			snprintf(now, sizeof(now), "faults: %s", smmu_event_name(tr.event));
		else
			snprintf(now, sizeof(now), "%s", tr.why);
		sid_name(s, sid, name, sizeof(name));
		if (j) {
			ptdbg_json_start_object(j);
			ptdbg_json_string_field(j, "device", name);
			ptdbg_json_uint_field(j, "sid", sid);
			iod_json_buf_fields(j, b, valid, tr.translated, tr.pa);
			if (valid && !tr.translated && tr.event)
				ptdbg_json_string_field(j, "event", smmu_event_name(tr.event));
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
	return rc ? iod_walk_error(s, rc) : PTDBG_EXIT_OK;
}

/* ---- dump, walk ---- */

/* Look the stream up; explain (text) or report (JSON) when it has no stage-1
 * tables. Returns 0 with cfg filled, -1 when the command has said why it stops
 * (exit 0), or an exit status. */
static int lookup_s1(struct ptdbg_session *s, const struct smmu_unit *u, uint32_t sid, uint32_t ssid,
		     struct smmu_stream_lookup *l, struct smmu_s1_cfg *cfg)
{
	char name[64];
	sid_name(s, sid, name, sizeof(name));
	if (!unit_has_tables(u)) {
		char state[256];
		unit_state(u, state, sizeof(state));
		iod_print_no_tables(s, "stream ", name, state, "stream_table_set", u->info.enabled);
		return -1;
	}
	int rc = smmu_stream_lookup(s->mem, &u->hw, &u->st, sid, ssid, l);
	if (rc)
		return iod_walk_error(s, rc);
	if (smmu_s1_cfg_from_lookup(&u->hw, l, cfg))
		return 0;
	if (s->json) {
		struct ptdbg_json *j = ptdbg_session_json(s);
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "device", name);
		ptdbg_json_name(j, "lookup");
		smmu_lookup_json(j, l);
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
	} else {
		smmu_lookup_print(s->out, l);
		if (l->event)
			fprintf(s->out, "stream %s has no stage-1 tables: the SMMU stops its requests with %s\n", name,
				smmu_event_name(l->event));
		else if (l->xlate == SMMU_XL_BYPASS)
			fprintf(s->out, "stream %s bypasses the SMMU: every IOVA reaches the same physical address\n", name);
		else
			fprintf(s->out, "stream %s uses %s translation, which is not decoded\n", name,
				smmu_xlate_name(l->xlate));
	}
	return -1;
}

int smmu_cmd_dump(struct ptdbg_session *s, uint32_t sid, uint32_t ssid, bool range, uint64_t lo, uint64_t hi)
{
	struct smmu_unit *u;
	int rc = unit_open(s, false, sid, &u);
	if (rc)
		return rc;
	struct smmu_stream_lookup l;
	struct smmu_s1_cfg cfg;
	rc = lookup_s1(s, u, sid, ssid, &l, &cfg);
	if (rc) {
		free(u);
		return rc < 0 ? PTDBG_EXIT_OK : rc;
	}
	struct ptdbg_arm64_cpu cpu;
	smmu_s1_cpu(&cfg, &cpu);
	char name[64], label[2][48];
	sid_name(s, sid, name, sizeof(name));
	const struct ptdbg_domain *d = sid_domain(s, sid);
	struct ptdbg_arm64_dump_opts o = { .out = s->out, .range = range, .lo = lo, .hi = hi };
	struct ptdbg_json *j = s->json ? ptdbg_session_json(s) : NULL;
	o.json = j;
	if (j) {
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "device", name);
		ptdbg_json_uint_field(j, "sid", sid);
		if (ssid != SMMU_NO_SSID)
			ptdbg_json_uint_field(j, "ssid", ssid);
		ptdbg_json_uint_field(j, "asid", cfg.asid);
		ptdbg_json_uint_field(j, "ias_bits", cfg.ias[0]);
		ptdbg_json_uint_field(j, "granule", cfg.granule[0]);
		ptdbg_json_hex_field(j, "root", cfg.ttb[0]);
		ptdbg_json_hex_field(j, "cd", l.cd_pa);
		if (d) {
			ptdbg_json_hex_field(j, "win_start", d->win_start);
			ptdbg_json_hex_field(j, "win_end", d->win_end);
		}
		ptdbg_json_name(j, "tables");
		ptdbg_json_start_array(j);
	} else {
		fprintf(s->out, "stream %s: CD %#llx, ASID %u, %u-bit input, %s granule, TTB0 %#llx", name,
			(unsigned long long)l.cd_pa, cfg.asid, cfg.ias[0], smmu_tg0_name(l.cd.tg0),
			(unsigned long long)cfg.ttb[0]);
		if (d)
			fprintf(s->out, "; kernel window [%#llx, %#llx)", (unsigned long long)d->win_start,
				(unsigned long long)d->win_end);
		fprintf(s->out, "\n");
	}
	uint64_t leaves = 0, nodes = 0;
	bool partial = false;
	for (unsigned h = 0; h < 2 && !rc; h++) {
		if (!cfg.enabled[h])
			continue;
		snprintf(label[h], sizeof(label[h]), "stream %#x TTB%u", (unsigned)sid, h);
		o.space_name = label[h];
		struct ptdbg_walk_result res = { 0 };
		rc = ptdbg_arm64_dump_half(s->mem, &cpu, h, &o, &res);
		leaves += res.leaves;
		nodes += res.nodes;
		partial |= res.partial;
	}
	if (j) {
		ptdbg_json_end_array(j);
		ptdbg_json_bool_field(j, "partial", partial);
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
	} else if (cfg.enabled[0] && cfg.enabled[1]) {
		fprintf(s->out, "# both halves: %llu leaves, %llu tables%s\n", (unsigned long long)leaves,
			(unsigned long long)nodes, partial ? " (partial walk)" : "");
	}
	free(u);
	return rc ? iod_walk_error(s, rc) : PTDBG_EXIT_OK;
}

int smmu_cmd_walk(struct ptdbg_session *s, uint32_t sid, uint32_t ssid, uint64_t iova, bool write)
{
	struct smmu_unit *u;
	int rc = unit_open(s, false, sid, &u);
	if (rc)
		return rc;
	char name[64], state[256];
	sid_name(s, sid, name, sizeof(name));
	unit_state(u, state, sizeof(state));
	if (!u->info.enabled) {
		/* Disabled, the SMMU aborts or bypasses every request as GBPA says. */
		if (s->json) {
			struct ptdbg_json *j = ptdbg_session_json(s);
			ptdbg_json_start_object(j);
			ptdbg_json_string_field(j, "device", name);
			json_unit(j, u);
			ptdbg_json_name(j, "translation");
			ptdbg_json_start_object(j);
			ptdbg_json_bool_field(j, "translated", !u->info.gbpa_abort);
			if (!u->info.gbpa_abort)
				ptdbg_json_hex_field(j, "pa", iova);
			ptdbg_json_end_object(j);
			ptdbg_json_end_object(j);
			ptdbg_json_free(j);
		} else {
			fprintf(s->out, "%s\n", state);
			if (u->info.gbpa_abort)
				fprintf(s->out, "the SMMU is disabled and GBPA aborts: stream %s's %s of IOVA %#llx is terminated\n",
					name, write ? "write" : "read", (unsigned long long)iova);
			else
				fprintf(s->out, "the SMMU is disabled and GBPA bypasses: stream %s's %s of IOVA %#llx reaches "
					"physical %#llx untranslated\n", name, write ? "write" : "read",
					(unsigned long long)iova, (unsigned long long)iova);
		}
		free(u);
		return PTDBG_EXIT_OK;
	}
	struct smmu_translation tr;
	rc = smmu_translate(s->mem, &u->hw, &u->st, sid, ssid, iova, write, u->info.eventq_enabled, &tr);
	if (rc) {
		free(u);
		return iod_walk_error(s, rc);
	}
	const struct ptdbg_domain *d = sid_domain(s, sid);
	if (s->json) {
		struct ptdbg_json *j = ptdbg_session_json(s);
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "device", name);
		json_unit(j, u);
		ptdbg_json_name(j, "translation");
		smmu_translation_json(j, &tr);
		if (d)
			ptdbg_json_bool_field(j, "in_kernel_window", iova >= d->win_start && iova < d->win_end);
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
	} else {
		fprintf(s->out, "%s\n", state);
		smmu_translation_print(s->out, &tr);
		if (d) {
			print_domain(s->out, d, "  kernel: ");
			if (iova < d->win_start || iova >= d->win_end)
				fprintf(s->out, "  IOVA %#llx is outside the kernel's window for stream %s\n",
					(unsigned long long)iova, name);
		}
	}
	free(u);
	return PTDBG_EXIT_OK;
}

/* ---- check ---- */

int smmu_cmd_check(struct ptdbg_session *s, const char *kinds)
{
	struct smmu_unit *u;
	int rc = unit_open(s, true, SMMU_NO_SID, &u);
	if (rc)
		return rc;
	struct ptdbg_findings fl = { 0 };
	struct smmu_check_opts o = { .out = &fl, .translate = smmu_s1_translate, .translate_ctx = s->mem };
	if (s->have_region && s->region.hdr.frames.count) {
		o.ram_end = (s->region.hdr.frames.base_pfn + s->region.hdr.frames.count) << 12;
		o.ram_source = "frame metadata";
	}
	struct smmu_domain_info *dom = NULL;
	struct smmu_dma_buf_info *bufs = NULL;
	size_t nd = 0, nb = 0;
	if (s->have_region) {
		dom = calloc(s->region.ndomains + 1, sizeof(*dom));
		bufs = calloc(s->region.ndma_bufs + 1, sizeof(*bufs));
		if (!dom || !bufs) {
			free(dom);
			free(bufs);
			free(u);
			ptdbg_session_err(s, "out of memory");
			return PTDBG_EXIT_ERROR;
		}
		for (size_t i = 0; i < s->region.ndomains; i++) {
			const struct ptdbg_domain *d = &s->region.domains[i];
			if (!d->cd)
				continue; /* not an SMMU domain */
			struct smmu_domain_info *x = &dom[nd++];
			x->sid = d->sid;
			x->ssid = SMMU_NO_SSID;
			ptdbg_name_copy(x->name, d->name, PTDBG_NAME_LEN); /* 32 + 1 <= sizeof(x->name) */
			x->win_start = d->win_start;
			x->win_end = d->win_end;
		}
		for (size_t i = 0; i < s->region.ndma_bufs; i++) {
			const struct ptdbg_dma_buf *b = &s->region.dma_bufs[i];
			struct smmu_dma_buf_info *x = &bufs[nb++];
			x->sid = buf_sid(s, b);
			x->ssid = SMMU_NO_SSID;
			x->dir = b->dir;
			x->status = b->status;
			x->iova = b->iova;
			x->phys = b->phys;
			x->len = b->len;
		}
	}
	rc = smmu_check(s->mem, &u->regs, &o, dom, nd, bufs, nb);
	free(dom);
	free(bufs);
	free(u);
	if (rc) {
		ptdbg_findings_free(&fl);
		return iod_walk_error(s, rc);
	}
	return ptdbg_session_report(s, &fl, kinds);
}

/* ---- save / diff ---- */

struct take_ctx {
	struct ptdbg_session *s;
	const struct smmu_unit *u;
	struct ptdbg_snapshot *snap;
	struct ptdbg_walk_budget budget;
};

/* One snapshot space per stream with stage-1 tables and per enabled half, named by
 * the stream id ("0x10", "0x10 TTB1"), while the walk budget lasts. */
static int take_stream(void *ctx, const struct smmu_stream_lookup *l)
{
	struct take_ctx *tc = ctx;
	struct smmu_s1_cfg cfg;
	if (l->event || !smmu_s1_cfg_from_lookup(&tc->u->hw, l, &cfg))
		return 0;
	struct ptdbg_arm64_cpu cpu;
	smmu_s1_cpu(&cfg, &cpu);
	for (unsigned h = 0; h < 2; h++) {
		if (!cfg.enabled[h])
			continue;
		struct ptdbg_walk_opts wo = { .leaf_runs = true }; /* ptdbg_snap_visit takes them */
		if (!ptdbg_budget_take(&tc->budget, &wo.max_nodes, &wo.max_leaves))
			return 0;
		char name[32];
		snprintf(name, sizeof(name), h ? "%#x TTB1" : "%#x", (unsigned)l->sid);
		struct ptdbg_arm64_half hf;
		ptdbg_arm64_half_of(&cpu, h, &hf);
		struct ptdbg_snap_space *sp = ptdbg_snap_add_space(tc->snap, name, PTDBG_AS_DEVICE, hf.top, hf.root);
		if (!sp)
			return PTDBG_ENOMEM;
		struct ptdbg_walk_result res = { 0 };
		int rc = ptdbg_arm64_walk(tc->s->mem, &cpu, h, &wo, ptdbg_snap_visit, sp, &res);
		ptdbg_budget_charge(&tc->budget, res.nodes, res.leaves);
		if (rc && rc != PTDBG_EINVAL)
			return rc;
	}
	return 0;
}

int smmu_snap_take(struct ptdbg_session *s, struct ptdbg_snapshot *snap)
{
	struct smmu_unit *u;
	int rc = unit_open(s, false, SMMU_NO_SID, &u);
	if (rc)
		return rc;
	snap->format = PTDBG_SNAP_SMMU;
	if (unit_has_tables(u)) {
		struct take_ctx tc = { s, u, snap, { 0 } };
		ptdbg_budget_init(&tc.budget);
		rc = smmu_strtab_scan(s->mem, &u->hw, &u->st, 0, take_stream, &tc, NULL);
		if (rc)
			rc = iod_walk_error(s, rc);
		char msg[256];
		if (tc.budget.skipped)
			ptdbg_session_err(s, "partial: %s",
					  ptdbg_budget_message(&tc.budget, 0, "streams", "saved", msg, sizeof(msg)));
	}
	free(u);
	return rc;
}
