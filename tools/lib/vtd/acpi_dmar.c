/* SPDX-License-Identifier: MIT */
/*
 * RSDP -> XSDT/RSDT -> DMAR, and the DMAR remapping structures (see acpi_dmar.h).
 */
#include <stdlib.h>
#include <string.h>

#include "vtd/acpi_dmar.h"
#include "out/json.h"

#define ACPI_MAX_SDT_ENTRIES 256u

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const uint8_t *p) { return (uint32_t)le16(p) | (uint32_t)le16(p + 2) << 16; }
static uint64_t le64(const uint8_t *p) { return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32; }

static uint8_t checksum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;
	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

/* Look for a valid RSDP in [lo, lo + len), 16-byte aligned. */
static int scan_rsdp(struct ptdbg_target *t, uint64_t lo, size_t len, uint64_t *pa,
		     unsigned *rev)
{
	uint8_t *buf = malloc(len);
	int rc;
	if (!buf)
		return PTDBG_ENOMEM;
	rc = ptdbg_read_phys(t, lo, buf, len);
	if (rc) {
		free(buf);
		return rc;
	}
	for (size_t off = 0; off + ACPI_RSDP_V1_LEN <= len; off += ACPI_RSDP_ALIGN) {
		const uint8_t *p = buf + off;
		if (memcmp(p + ACPI_RSDP_SIGNATURE, ACPI_RSDP_SIG, ACPI_RSDP_SIG_LEN) != 0 ||
		    checksum(p, ACPI_RSDP_V1_LEN) != 0)
			continue;
		if (p[ACPI_RSDP_REVISION] >= 2 && off + ACPI_RSDP_V2_LEN <= len &&
		    checksum(p, ACPI_RSDP_V2_LEN) != 0)
			continue;
		*pa = lo + off;
		*rev = p[ACPI_RSDP_REVISION];
		free(buf);
		return 0;
	}
	free(buf);
	return PTDBG_EIO;
}

int acpi_find_rsdp(struct ptdbg_target *t, uint64_t *pa, unsigned *revision)
{
	uint8_t seg[2];
	int rc = ptdbg_read_phys(t, ACPI_EBDA_SEG_PTR, seg, 2);
	if (rc && ptdbg_link_error(rc))
		return rc;
	if (!rc) {
		uint64_t ebda = (uint64_t)le16(seg) << 4;
		if (ebda >= 0x80000 && ebda < 0xa0000) {
			rc = scan_rsdp(t, ebda, ACPI_EBDA_SCAN_LEN, pa, revision);
			if (!rc || ptdbg_link_error(rc))
				return rc;
		}
	}
	rc = scan_rsdp(t, ACPI_BIOS_AREA_START, ACPI_BIOS_AREA_END - ACPI_BIOS_AREA_START, pa,
		       revision);
	if (rc && !ptdbg_link_error(rc))
		return ptdbg_target_fail(t, PTDBG_EIO, "no ACPI RSDP in the EBDA or 0xE0000-0xFFFFF");
	return rc;
}

int acpi_find_table(struct ptdbg_target *t, uint64_t rsdp_pa, const char sig[4], uint64_t *pa,
		    uint32_t *len, uint64_t *sdt_pa, bool *xsdt)
{
	uint8_t rsdp[ACPI_RSDP_V2_LEN], hdr[ACPI_SDT_HDR_LEN];
	int rc = ptdbg_read_phys(t, rsdp_pa, rsdp, sizeof(rsdp));
	if (rc)
		return rc;
	if (memcmp(rsdp + ACPI_RSDP_SIGNATURE, ACPI_RSDP_SIG, ACPI_RSDP_SIG_LEN) != 0)
		return ptdbg_target_fail(t, PTDBG_EFORMAT, "no RSDP at 0x%llx",
					 (unsigned long long)rsdp_pa);
	bool use_x = rsdp[ACPI_RSDP_REVISION] >= 2 && le64(rsdp + ACPI_RSDP_XSDT) != 0;
	uint64_t sdt = use_x ? le64(rsdp + ACPI_RSDP_XSDT) : le32(rsdp + ACPI_RSDP_RSDT);
	unsigned esz = use_x ? ACPI_XSDT_ENTRY_SIZE : ACPI_RSDT_ENTRY_SIZE;

	rc = ptdbg_read_phys(t, sdt, hdr, sizeof(hdr));
	if (rc)
		return rc;
	if (memcmp(hdr + ACPI_SDT_SIGNATURE, use_x ? "XSDT" : "RSDT", ACPI_SDT_SIG_LEN) != 0)
		return ptdbg_target_fail(t, PTDBG_EFORMAT, "%s at 0x%llx has signature %.4s",
					 use_x ? "XSDT" : "RSDT", (unsigned long long)sdt, hdr);
	uint32_t sdt_len = le32(hdr + ACPI_SDT_LENGTH);
	if (sdt_len < ACPI_SDT_HDR_LEN)
		return ptdbg_target_fail(t, PTDBG_EFORMAT, "SDT length %u too small", sdt_len);
	unsigned n = (sdt_len - ACPI_SDT_HDR_LEN) / esz;
	if (n > ACPI_MAX_SDT_ENTRIES)
		n = ACPI_MAX_SDT_ENTRIES;
	uint8_t ents[ACPI_MAX_SDT_ENTRIES * ACPI_XSDT_ENTRY_SIZE];
	rc = ptdbg_read_phys(t, sdt + ACPI_SDT_HDR_LEN, ents, (size_t)n * esz);
	if (rc)
		return rc;
	/* every table's header (up to its 32-bit length) in one batch */
	uint8_t ths[ACPI_MAX_SDT_ENTRIES][ACPI_SDT_LENGTH + 4];
	struct ptdbg_io ios[ACPI_MAX_SDT_ENTRIES];
	for (unsigned i = 0; i < n; i++)
		ios[i] = (struct ptdbg_io){ .pa = use_x ? le64(ents + esz * i) : le32(ents + esz * i),
					    .len = sizeof(ths[i]), .buf = ths[i] };
	rc = n ? ptdbg_read_phys_batch(t, ios, n) : 0;
	if (rc && ptdbg_link_error(rc))
		return rc;
	for (unsigned i = 0; i < n; i++) {
		uint64_t tpa = ios[i].pa;
		const uint8_t *th = ths[i];
		if (rc || ios[i].err)
			continue; /* unreadable: not this one */
		if (memcmp(th + ACPI_SDT_SIGNATURE, sig, ACPI_SDT_SIG_LEN) == 0) {
			*pa = tpa;
			*len = le32(th + ACPI_SDT_LENGTH);
			if (sdt_pa)
				*sdt_pa = sdt;
			if (xsdt)
				*xsdt = use_x;
			return 0;
		}
	}
	return ptdbg_target_fail(t, PTDBG_EIO, "no %.4s table among the %u %s entries", sig, n,
				 use_x ? "XSDT" : "RSDT");
}

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
	uint32_t tlen = le32(buf + ACPI_SDT_LENGTH);
	if (tlen > len || tlen < ACPI_DMAR_HDR_LEN) {
		note(d, "DMAR length field out of range");
		return PTDBG_EFORMAT;
	}
	d->dmar_len = tlen;
	d->dmar_checksum_ok = checksum(buf, tlen) == 0;
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
		unsigned type = le16(p + ACPI_DMAR_RS_TYPE), slen = le16(p + ACPI_DMAR_RS_LENGTH);
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
				u->segment = le16(p + ACPI_DRHD_SEGMENT);
				u->base = le64(p + ACPI_DRHD_BASE);
				u->nscopes = parse_scopes(p + ACPI_DRHD_SCOPES, p + slen, u->scopes, d);
			}
		} else if (type == ACPI_DMAR_RMRR && slen >= ACPI_RMRR_SCOPES) {
			if (d->nrmrr == ACPI_DMAR_MAX_RMRR) {
				note(d, "too many RMRRs");
			} else {
				struct acpi_dmar_rmrr *r = &d->rmrr[d->nrmrr++];
				r->segment = le16(p + ACPI_RMRR_SEGMENT);
				r->base = le64(p + ACPI_RMRR_BASE);
				r->limit = le64(p + ACPI_RMRR_LIMIT);
				r->nscopes = parse_scopes(p + ACPI_RMRR_SCOPES, p + slen, r->scopes, d);
			}
		} else {
			d->nother++;
		}
		p += slen;
	}
	return 0;
}

int acpi_dmar_find(struct ptdbg_target *t, struct acpi_dmar_info *d)
{
	uint8_t *buf;
	int rc;

	memset(d, 0, sizeof(*d));
	rc = acpi_find_rsdp(t, &d->rsdp_pa, &d->rsdp_revision);
	if (rc)
		return rc;
	rc = acpi_find_table(t, d->rsdp_pa, ACPI_DMAR_SIG, &d->dmar_pa, &d->dmar_len, &d->sdt_pa, &d->xsdt);
	if (rc)
		return rc;
	if (d->dmar_len < ACPI_DMAR_HDR_LEN || d->dmar_len > ACPI_DMAR_MAX_LEN)
		return ptdbg_target_fail(t, PTDBG_EFORMAT, "DMAR length %u out of range", d->dmar_len);
	buf = malloc(d->dmar_len);
	if (!buf)
		return PTDBG_ENOMEM;
	rc = ptdbg_read_phys(t, d->dmar_pa, buf, d->dmar_len);
	if (!rc) {
		rc = acpi_dmar_parse(buf, d->dmar_len, d);
		if (rc)
			ptdbg_target_fail(t, rc, "DMAR at 0x%llx: %s", (unsigned long long)d->dmar_pa,
					  d->notes);
	}
	free(buf);
	return rc;
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
	fprintf(out, "RSDP 0x%llx rev %u, %s 0x%llx, DMAR 0x%llx len %u%s OEM \"%s\"\n",
		(unsigned long long)d->rsdp_pa, d->rsdp_revision, d->xsdt ? "XSDT" : "RSDT",
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
