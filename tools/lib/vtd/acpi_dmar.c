/* SPDX-License-Identifier: MIT */
/*
 * The DMAR remapping structures, and the DMAR table found through acpi/acpi.h.
 */
#include <stdlib.h>
#include <string.h>

#include "vtd/acpi_dmar.h"
#include "out/json.h"

static void note(struct acpi_dmar_info *d, const char *msg)
{
	size_t l = strlen(d->notes);
	snprintf(d->notes + l, sizeof(d->notes) - l, "%s%s", l ? "; " : "", msg);
}

/* Parse the device scopes in [p, end) into scopes[]. */
static unsigned parse_scopes(const uint8_t *p, const uint8_t *end, struct acpi_dmar_scope *s,
			     struct acpi_dmar_info *d)
{
	unsigned n = 0;
	while (p + ACPI_SCOPE_PATH <= end) {
		unsigned slen = p[ACPI_SCOPE_LENGTH];
		if (slen < ACPI_SCOPE_PATH || p + slen > end) {
			note(d, "malformed device scope");
			break;
		}
		if (n == ACPI_DMAR_MAX_SCOPES) {
			note(d, "too many device scopes");
			break;
		}
		struct acpi_dmar_scope *sc = &s[n++];
		memset(sc, 0, sizeof(*sc));
		sc->type = p[ACPI_SCOPE_TYPE];
		sc->enum_id = p[ACPI_SCOPE_ENUM_ID];
		sc->start_bus = p[ACPI_SCOPE_START_BUS];
		for (unsigned off = ACPI_SCOPE_PATH; off + 2 <= slen && sc->npath < ACPI_DMAR_MAX_PATH; off += 2) {
			sc->path[sc->npath].dev = p[off];
			sc->path[sc->npath].fn = p[off + 1];
			sc->npath++;
		}
		p += slen;
	}
	return n;
}

int acpi_dmar_parse(const uint8_t *buf, size_t len, struct acpi_dmar_info *d)
{
	d->nunits = d->nrmrr = d->nother = 0;
	d->notes[0] = '\0';
	if (len < ACPI_DMAR_HDR_LEN ||
	    memcmp(buf + ACPI_SDT_SIGNATURE, ACPI_DMAR_SIG, ACPI_SDT_SIG_LEN) != 0) {
		note(d, "not a DMAR table");
		return PTDBG_EFORMAT;
	}
	uint32_t tlen = acpi_le32(buf + ACPI_SDT_LENGTH);
	if (tlen > len || tlen < ACPI_DMAR_HDR_LEN) {
		note(d, "DMAR length field out of range");
		return PTDBG_EFORMAT;
	}
	d->dmar_len = tlen;
	d->dmar_checksum_ok = acpi_checksum(buf, tlen) == 0;
	if (!d->dmar_checksum_ok)
		note(d, "bad DMAR checksum");
	memcpy(d->oem_id, buf + ACPI_SDT_OEM_ID, ACPI_SDT_OEM_ID_LEN);
	d->oem_id[ACPI_SDT_OEM_ID_LEN] = '\0';
	/* guest text: printable ASCII only, so that no escape sequence reaches a terminal */
	for (int i = 0; i < ACPI_SDT_OEM_ID_LEN; i++)
		if (d->oem_id[i] && (d->oem_id[i] < 0x20 || d->oem_id[i] > 0x7e))
			d->oem_id[i] = '?';
	d->haw = buf[ACPI_DMAR_HAW] + 1u;
	d->flags = buf[ACPI_DMAR_FLAGS];

	const uint8_t *p = buf + ACPI_DMAR_HDR_LEN, *end = buf + tlen;
	while (p + ACPI_DMAR_RS_HDR_LEN <= end) {
		unsigned type = acpi_le16(p + ACPI_DMAR_RS_TYPE), slen = acpi_le16(p + ACPI_DMAR_RS_LENGTH);
		if (slen < ACPI_DMAR_RS_HDR_LEN || p + slen > end) {
			note(d, "malformed remapping structure");
			break;
		}
		if (type == ACPI_DMAR_DRHD && slen >= ACPI_DRHD_SCOPES) {
			if (d->nunits == ACPI_DMAR_MAX_UNITS) {
				note(d, "too many DRHD units");
			} else {
				struct acpi_dmar_unit *u = &d->units[d->nunits++];
				u->flags = p[ACPI_DRHD_FLAGS];
				u->size = p[ACPI_DRHD_SIZE];
				u->segment = acpi_le16(p + ACPI_DRHD_SEGMENT);
				u->base = acpi_le64(p + ACPI_DRHD_BASE);
				u->nscopes = parse_scopes(p + ACPI_DRHD_SCOPES, p + slen, u->scopes, d);
			}
		} else if (type == ACPI_DMAR_RMRR && slen >= ACPI_RMRR_SCOPES) {
			if (d->nrmrr == ACPI_DMAR_MAX_RMRR) {
				note(d, "too many RMRRs");
			} else {
				struct acpi_dmar_rmrr *r = &d->rmrr[d->nrmrr++];
				r->segment = acpi_le16(p + ACPI_RMRR_SEGMENT);
				r->base = acpi_le64(p + ACPI_RMRR_BASE);
				r->limit = acpi_le64(p + ACPI_RMRR_LIMIT);
				r->nscopes = parse_scopes(p + ACPI_RMRR_SCOPES, p + slen, r->scopes, d);
			}
		} else {
			d->nother++;
		}
		p += slen;
	}
	return 0;
}

int acpi_dmar_find(struct ptdbg_target *t, uint64_t rsdp_hint, struct acpi_dmar_info *d)
{
	struct acpi_rsdp r;
	uint8_t *buf;
	int rc;

	memset(d, 0, sizeof(*d));
	rc = acpi_find_rsdp(t, rsdp_hint, &r);
	if (rc)
		return rc;
	d->rsdp_pa = r.pa;
	d->rsdp_revision = r.revision;
	d->rsdp_how = r.how;
	/* the table, usually read whole with the entries' signatures */
	rc = acpi_find_read_table(t, &r, ACPI_DMAR_SIG, ACPI_DMAR_MAX_LEN, &d->dmar_pa, &d->dmar_len, &d->sdt_pa,
				  &d->xsdt, &buf);
	bool found = rc == 0 || (rc == PTDBG_EFORMAT && d->dmar_pa);
	if (found && (d->dmar_len < ACPI_DMAR_HDR_LEN || d->dmar_len > ACPI_DMAR_MAX_LEN)) {
		free(buf);
		return ptdbg_target_fail(t, PTDBG_EFORMAT, "DMAR length %u out of range", d->dmar_len);
	}
	if (rc)
		return rc;
	rc = acpi_dmar_parse(buf, d->dmar_len, d);
	if (rc)
		ptdbg_target_fail(t, rc, "DMAR at 0x%llx: %s", (unsigned long long)d->dmar_pa, d->notes);
	free(buf);
	return rc;
}

int acpi_dmar_from_hint(const uint8_t *p, size_t n, uint64_t pa, uint64_t rsdp_pa, struct acpi_dmar_info *d)
{
	memset(d, 0, sizeof(*d));
	if (!p || n < ACPI_DMAR_HDR_LEN || memcmp(p + ACPI_SDT_SIGNATURE, ACPI_DMAR_SIG, ACPI_SDT_SIG_LEN) ||
	    acpi_le32(p + ACPI_SDT_LENGTH) > n)
		return PTDBG_EFORMAT; /* not a DMAR, or not all of it here */
	int rc = acpi_dmar_parse(p, n, d);
	if (rc || !d->dmar_checksum_ok) {
		memset(d, 0, sizeof(*d));
		return PTDBG_EFORMAT;
	}
	d->rsdp_pa = rsdp_pa;
	d->rsdp_how = "debug region";
	d->dmar_pa = pa;
	d->dmar_how = "debug region";
	return 0;
}

const char *acpi_dmar_scope_name(unsigned type)
{
	switch (type) {
	case ACPI_SCOPE_PCI_ENDPOINT:   return "PCI endpoint";
	case ACPI_SCOPE_PCI_BRIDGE:     return "PCI sub-hierarchy";
	case ACPI_SCOPE_IOAPIC:         return "IOAPIC";
	case ACPI_SCOPE_HPET:           return "HPET";
	case ACPI_SCOPE_ACPI_NAMESPACE: return "ACPI namespace device";
	}
	return "?";
}

static void print_scopes(FILE *out, const struct acpi_dmar_scope *s, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		fprintf(out, "    scope %s id %u bus %02x path", acpi_dmar_scope_name(s[i].type),
			s[i].enum_id, s[i].start_bus);
		for (unsigned k = 0; k < s[i].npath; k++)
			fprintf(out, " %02x.%u", s[i].path[k].dev, s[i].path[k].fn);
		fputc('\n', out);
	}
}

void acpi_dmar_print(FILE *out, const struct acpi_dmar_info *d)
{
	if (d->dmar_how) /* named, not looked up: no RSDP revision or SDT read */
		fprintf(out, "DMAR 0x%llx len %u (%s) OEM \"%s\"\n", (unsigned long long)d->dmar_pa,
			d->dmar_len, d->dmar_how, d->oem_id);
	else
		fprintf(out, "RSDP 0x%llx rev %u%s%s%s, %s 0x%llx, DMAR 0x%llx len %u%s OEM \"%s\"\n",
			(unsigned long long)d->rsdp_pa, d->rsdp_revision, d->rsdp_how ? " (" : "",
			d->rsdp_how ? d->rsdp_how : "", d->rsdp_how ? ")" : "", d->xsdt ? "XSDT" : "RSDT",
			(unsigned long long)d->sdt_pa, (unsigned long long)d->dmar_pa, d->dmar_len,
			d->dmar_checksum_ok ? "" : " (bad checksum)", d->oem_id);
	fprintf(out, "host address width %u bits, flags 0x%x%s%s%s\n", d->haw, d->flags,
		d->flags & ACPI_DMAR_INTR_REMAP ? " INTR_REMAP" : "",
		d->flags & ACPI_DMAR_X2APIC_OPT_OUT ? " X2APIC_OPT_OUT" : "",
		d->flags & ACPI_DMAR_DMA_CTRL_OPT_IN ? " DMA_CTRL_PLATFORM_OPT_IN" : "");
	for (unsigned i = 0; i < d->nunits; i++) {
		const struct acpi_dmar_unit *u = &d->units[i];
		fprintf(out, "DRHD %u: base 0x%llx segment %u%s\n", i, (unsigned long long)u->base,
			u->segment, u->flags & ACPI_DRHD_INCLUDE_PCI_ALL ? " INCLUDE_PCI_ALL" : "");
		print_scopes(out, u->scopes, u->nscopes);
	}
	for (unsigned i = 0; i < d->nrmrr; i++) {
		const struct acpi_dmar_rmrr *r = &d->rmrr[i];
		fprintf(out, "RMRR %u: 0x%llx-0x%llx segment %u\n", i, (unsigned long long)r->base,
			(unsigned long long)r->limit, r->segment);
		print_scopes(out, r->scopes, r->nscopes);
	}
	if (d->nother)
		fprintf(out, "%u other remapping structure(s)\n", d->nother);
	if (d->notes[0])
		fprintf(out, "notes: %s\n", d->notes);
}

static void json_scopes(struct ptdbg_json *j, const struct acpi_dmar_scope *s, unsigned n)
{
	ptdbg_json_name(j, "scopes");
	ptdbg_json_start_array(j);
	for (unsigned i = 0; i < n; i++) {
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "type", acpi_dmar_scope_name(s[i].type));
		ptdbg_json_uint_field(j, "enum_id", s[i].enum_id);
		ptdbg_json_uint_field(j, "start_bus", s[i].start_bus);
		ptdbg_json_name(j, "path");
		ptdbg_json_start_array(j);
		for (unsigned k = 0; k < s[i].npath; k++) {
			char b[8];
			snprintf(b, sizeof(b), "%02x.%u", s[i].path[k].dev & 0x1f, s[i].path[k].fn & 7);
			ptdbg_json_string(j, b);
		}
		ptdbg_json_end_array(j);
		ptdbg_json_end_object(j);
	}
	ptdbg_json_end_array(j);
}

void acpi_dmar_json(struct ptdbg_json *j, const struct acpi_dmar_info *d)
{
	ptdbg_json_start_object(j);
	ptdbg_json_hex_field(j, "rsdp", d->rsdp_pa);
	ptdbg_json_uint_field(j, "rsdp_revision", d->rsdp_revision);
	if (d->rsdp_how)
		ptdbg_json_string_field(j, "rsdp_found_by", d->rsdp_how);
	if (d->dmar_how)
		ptdbg_json_string_field(j, "dmar_found_by", d->dmar_how);
	else
		ptdbg_json_hex_field(j, d->xsdt ? "xsdt" : "rsdt", d->sdt_pa);
	ptdbg_json_hex_field(j, "dmar", d->dmar_pa);
	ptdbg_json_uint_field(j, "length", d->dmar_len);
	ptdbg_json_bool_field(j, "checksum_ok", d->dmar_checksum_ok);
	ptdbg_json_string_field(j, "oem_id", d->oem_id);
	ptdbg_json_uint_field(j, "haw", d->haw);
	ptdbg_json_uint_field(j, "flags", d->flags);
	ptdbg_json_name(j, "drhd");
	ptdbg_json_start_array(j);
	for (unsigned i = 0; i < d->nunits; i++) {
		const struct acpi_dmar_unit *u = &d->units[i];
		ptdbg_json_start_object(j);
		ptdbg_json_hex_field(j, "base", u->base);
		ptdbg_json_uint_field(j, "segment", u->segment);
		ptdbg_json_bool_field(j, "include_pci_all", u->flags & ACPI_DRHD_INCLUDE_PCI_ALL);
		json_scopes(j, u->scopes, u->nscopes);
		ptdbg_json_end_object(j);
	}
	ptdbg_json_end_array(j);
	ptdbg_json_name(j, "rmrr");
	ptdbg_json_start_array(j);
	for (unsigned i = 0; i < d->nrmrr; i++) {
		const struct acpi_dmar_rmrr *r = &d->rmrr[i];
		ptdbg_json_start_object(j);
		ptdbg_json_hex_field(j, "base", r->base);
		ptdbg_json_hex_field(j, "limit", r->limit);
		ptdbg_json_uint_field(j, "segment", r->segment);
		json_scopes(j, r->scopes, r->nscopes);
		ptdbg_json_end_object(j);
	}
	ptdbg_json_end_array(j);
	ptdbg_json_uint_field(j, "other_structures", d->nother);
	if (d->notes[0])
		ptdbg_json_string_field(j, "notes", d->notes);
	ptdbg_json_end_object(j);
}
