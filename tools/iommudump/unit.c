/* SPDX-License-Identifier: MIT */
/* iommudump: finding the remapping unit, naming devices, enumerating contexts. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iommudump.h"
#include "vtd/vtd_fault.h"
#include "vtd/vtd_check.h"
#include "vtd/vtd_devices.h"

const char *iod_drhd_source_name(enum iod_drhd_source src)
{
	switch (src) {
	case IOD_DRHD_OPTION: return "--drhd";
	case IOD_DRHD_ACPI:   return "ACPI DMAR";
	case IOD_DRHD_REGION: return "debug region";
	}
	return "?";
}

/* Fault reasons a walk reports in scalable mode: QEMU 7.2 reports version 1.0 and
 * records page-walk faults with the legacy codes. */
static bool legacy_reasons(const struct iod_unit *u)
{
	const char *fc = u->opts.fault_codes;
	if (fc && !strcmp(fc, "legacy"))
		return true;
	if (fc && !strcmp(fc, "spec"))
		return false;
	return u->info.version_major == 1 && u->info.version_minor == 0;
}

/* The pages bdf's lookup reads first, as the debug region names them (root entry,
 * context entry from ABI 1.4, second-level root), as ios into bufs (three pages);
 * how many. */
static size_t dev_ahead(const struct ptdbg_session *s, int bdf, struct ptdbg_io *ios, uint8_t *bufs)
{
	const struct ptdbg_domain *d = bdf == IOD_NO_BDF ? NULL : iod_domain(s, (uint16_t)bdf);
	uint64_t rt = s->have_region ? s->region.hdr.iommu.root_table & VTD_RTADDR_ADDR : 0;
	if (!d || !d->root || !rt)
		return 0;
	uint64_t pas[3] = { vtd_root_entry_pa(rt, (uint16_t)bdf), d->root, d->ctx_entry };
	return ptdbg_page_ios(pas, d->ctx_entry ? 3 : 2, ios, bufs);
}

int iod_unit_open(struct ptdbg_session *s, bool all_regs, int bdf, struct iod_unit **out)
{
	*out = NULL;
	if (ptdbg_session_attach(s))
		return PTDBG_EXIT_ERROR;
	struct iod_unit *u = calloc(1, sizeof(*u));
	*out = NULL;
	if (!u) {
		ptdbg_session_err(s, "out of memory");
		return PTDBG_EXIT_ERROR;
	}
	/* The table commands take the DMAR the region named, read with its arrays;
	 * regs, faults and check look it up through the RSDP (and print that path). */
	int drc = !all_regs && s->acpi_ahead
			  ? acpi_dmar_from_hint(s->acpi_ahead, ACPI_TABLE_AHEAD, s->acpi_ahead_pa,
						s->region.hdr.acpi_rsdp, &u->dmar)
			  : PTDBG_EFORMAT;
	if (drc)
		drc = acpi_dmar_find(s->t, s->have_region ? s->region.hdr.acpi_rsdp : 0, &u->dmar);
	u->have_dmar = drc == 0;
	if (s->tool_opts)
		u->opts = *(const struct iod_opts *)s->tool_opts;
	if (u->opts.drhd) {
		ptdbg_parse_u64(u->opts.drhd, &u->base);
		u->source = IOD_DRHD_OPTION;
	} else if (u->have_dmar && u->dmar.nunits) {
		u->base = u->dmar.units[0].base;
		u->source = IOD_DRHD_ACPI;
	} else if (s->have_region && s->region.hdr.iommu.drhd_base) {
		u->base = s->region.hdr.iommu.drhd_base;
		u->source = IOD_DRHD_REGION;
	} else {
		ptdbg_session_err(s, "no VT-d unit found: %s, and %s; name one with --drhd ADDR",
				  u->have_dmar ? "the ACPI DMAR table lists no DRHD" :
				  "no ACPI DMAR table in guest memory",
				  s->have_region ? "the debug region gives no DRHD base" : s->region_why);
		free(u);
		return PTDBG_EXIT_ERROR;
	}
	uint8_t pages[3 * PTDBG_PAGE_SIZE];
	struct ptdbg_io ahead[3];
	size_t nahead = dev_ahead(s, bdf, ahead, pages);
	int rc = vtd_regs_read_also(s->t, u->base, &u->regs, all_regs, ahead, nahead);
	if (rc == 0)
		ptdbg_session_put_pages(s, ahead, nahead);
	if (rc == PTDBG_EFORMAT) {
		ptdbg_session_err(s, "no VT-d unit at %#llx (from %s): VER/CAP/ECAP read as all zeros or ones",
				  (unsigned long long)u->base, iod_drhd_source_name(u->source));
		free(u);
		return PTDBG_EXIT_ERROR;
	}
	if (rc) {
		ptdbg_session_err(s, "reading the unit at %#llx: %s", (unsigned long long)u->base,
				  ptdbg_target_error(s->t));
		free(u);
		return PTDBG_EXIT_ERROR;
	}
	vtd_regs_info(&u->regs, &u->info);
	vtd_hw_from_regs(&u->hw, &u->regs, u->have_dmar ? u->dmar.haw : 0);
	u->hw.legacy_reasons = legacy_reasons(u);
	u->root_table = vtd_regs_get(&u->regs, VTD_REG_RTADDR, NULL) & VTD_RTADDR_ADDR;
	*out = u;
	return 0;
}

bool iod_unit_has_tables(const struct iod_unit *u)
{
	return u->info.root_set;
}

void iod_unit_state(const struct iod_unit *u, char *buf, size_t len)
{
	if (!u->info.root_set)
		snprintf(buf, len, "VT-d unit at %#llx (%s): translation %s, no root table set (GSTS.RTPS=0)",
			 (unsigned long long)u->base, iod_drhd_source_name(u->source),
			 u->info.translation_enabled ? "enabled" : "disabled (GSTS.TES=0)");
	else
		snprintf(buf, len, "VT-d unit at %#llx (%s): translation %s, root table %#llx (%s mode)",
			 (unsigned long long)u->base, iod_drhd_source_name(u->source),
			 u->info.translation_enabled ? "enabled" : "disabled (GSTS.TES=0)",
			 (unsigned long long)u->root_table, vtd_ttm_name(u->info.ttm));
}

const struct ptdbg_domain *iod_domain(const struct ptdbg_session *s, uint16_t bdf)
{
	if (!s->have_region)
		return NULL;
	for (size_t i = 0; i < s->region.ndomains; i++)
		if (s->region.domains[i].bdf == bdf)
			return &s->region.domains[i];
	return NULL;
}

const char *iod_dev_name(const struct ptdbg_session *s, uint16_t bdf, char *buf, size_t len)
{
	return vtd_dev_label(bdf, iod_domain(s, bdf), buf, len);
}

int iod_parse_bdf(struct ptdbg_session *s, const char *arg, uint16_t *bdf)
{
	unsigned bus = 0, dev, fn;
	char end;
	bool full = strchr(arg, ':') != NULL;
	if ((full && sscanf(arg, "%x:%x.%u%c", &bus, &dev, &fn, &end) == 3) ||
	    (!full && sscanf(arg, "%x.%u%c", &dev, &fn, &end) == 2)) {
		if (bus > 0xff || dev > 0x1f || fn > 7) {
			ptdbg_session_err(s, "'%s': bus 00-ff, device 00-1f, function 0-7", arg);
			return -1;
		}
		*bdf = (uint16_t)(bus << 8 | dev << 3 | fn);
		return 0;
	}
	uint64_t v;
	if (isdigit((unsigned char)arg[0]) && ptdbg_parse_u64(arg, &v) == 0 && v <= 0xffff) {
		*bdf = (uint16_t)v;
		return 0;
	}
	if (s->have_region) {
		for (size_t i = 0; i < s->region.ndomains; i++) {
			char name[PTDBG_NAME_LEN + 1];
			ptdbg_name_copy(name, s->region.domains[i].name, PTDBG_NAME_LEN);
			if (!strcmp(name, arg)) {
				*bdf = s->region.domains[i].bdf;
				return 0;
			}
		}
	}
	ptdbg_session_err(s, "'%s' is not a device: give bb:dd.f, dd.f or a requester id%s", arg,
			  s->have_region ? ", or a name 'iommudump bufs' lists" : "");
	return -1;
}

int iod_for_each_device(struct ptdbg_session *s, const struct iod_unit *u,
			int (*fn)(void *ctx, const struct vtd_dev_lookup *l), void *ctx)
{
	return vtd_for_each_device(s->mem, &u->hw, u->root_table, fn, ctx);
}

void iod_domain_json(struct ptdbg_json *j, const struct ptdbg_domain *d)
{
	char name[PTDBG_NAME_LEN + 1], bdf[16];
	ptdbg_name_copy(name, d->name, PTDBG_NAME_LEN);
	ptdbg_json_start_object(j);
	ptdbg_json_string_field(j, "name", name);
	ptdbg_json_string_field(j, "bdf", vtd_bdf_str(d->bdf, bdf, sizeof(bdf)));
	ptdbg_json_uint_field(j, "did", d->did);
	ptdbg_json_uint_field(j, "aw_bits", d->aw_bits);
	ptdbg_json_uint_field(j, "levels", d->levels);
	ptdbg_json_hex_field(j, "root", d->root);
	ptdbg_json_hex_field(j, "win_start", d->win_start);
	ptdbg_json_hex_field(j, "win_end", d->win_end);
	ptdbg_json_bool_field(j, "fpd", d->flags & PTDBG_DOM_F_FPD);
	if (d->ctx_entry) /* a VT-d domain (ABI 1.4) */
		ptdbg_json_hex_field(j, "context_entry", d->ctx_entry);
	if (d->cd) { /* an SMMUv3 domain (ABI 1.2) */
		ptdbg_json_uint_field(j, "sid", d->sid);
		ptdbg_json_uint_field(j, "asid", d->asid);
		ptdbg_json_hex_field(j, "cd", d->cd);
		ptdbg_json_uint_field(j, "ias_bits", d->ias_bits);
		ptdbg_json_uint_field(j, "granule_shift", d->granule_shift);
		ptdbg_json_bool_field(j, "records_faults", !(d->flags & PTDBG_DOM_F_NO_RECORD));
	}
	ptdbg_json_end_object(j);
}

void iod_domain_print(FILE *out, const struct ptdbg_domain *d, const char *indent)
{
	char name[PTDBG_NAME_LEN + 1], bdf[16];
	ptdbg_name_copy(name, d->name, PTDBG_NAME_LEN);
	if (d->cd) { /* an SMMUv3 domain (ABI 1.2) */
		fprintf(out, "%s%s %s: stream %#x, ASID %u, CD %#llx, %u-bit input, %uK granule, table %#llx, "
			"window [%#llx, %#llx)%s\n", indent, vtd_bdf_str(d->bdf, bdf, sizeof(bdf)),
			name[0] ? name : "(unnamed)", d->sid, d->asid, (unsigned long long)d->cd, d->ias_bits,
			d->granule_shift >= 10 && d->granule_shift < 32 ? 1u << (d->granule_shift - 10) : 0,
			(unsigned long long)d->root, (unsigned long long)d->win_start, (unsigned long long)d->win_end,
			(d->flags & PTDBG_DOM_F_NO_RECORD) ? ", CD written with R=0" : "");
		return;
	}
	fprintf(out, "%s%s %s: domain %u, %u-bit, %u levels, table %#llx, window [%#llx, %#llx)%s\n", indent,
		vtd_bdf_str(d->bdf, bdf, sizeof(bdf)), name[0] ? name : "(unnamed)", d->did, d->aw_bits,
		d->levels, (unsigned long long)d->root, (unsigned long long)d->win_start,
		(unsigned long long)d->win_end, (d->flags & PTDBG_DOM_F_FPD) ? ", written with FPD=1" : "");
}
