/* SPDX-License-Identifier: MIT */
/* RSDP -> XSDT/RSDT -> a table by signature, on BIOS and UEFI guests (see acpi.h). */
#include <stdlib.h>
#include <string.h>

#include "acpi/acpi.h"
#include "out/snapshot.h" /* ptdbg_crc32 */
#include "target/ramfilter.h"

#define FOUR_GIB     0x100000000ull
#define VIRT_RAM_LEN 0x40000000ull /* the first GiB of it */

uint8_t acpi_checksum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;
	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

bool acpi_rsdp_valid(const uint8_t *p, size_t len)
{
	if (len < ACPI_RSDP_V1_LEN || memcmp(p + ACPI_RSDP_SIGNATURE, ACPI_RSDP_SIG, ACPI_RSDP_SIG_LEN) != 0 ||
	    acpi_checksum(p, ACPI_RSDP_V1_LEN) != 0)
		return false;
	if (p[ACPI_RSDP_REVISION] >= 2)
		return len >= ACPI_RSDP_V2_LEN && acpi_checksum(p, ACPI_RSDP_V2_LEN) == 0;
	return true;
}

bool acpi_efi_st_valid(const uint8_t *p, size_t len)
{
	if (len < EFI_ST_CRC32 + 4 || memcmp(p + EFI_ST_SIGNATURE, EFI_ST_SIG, EFI_ST_SIG_LEN) != 0)
		return false;
	uint32_t hs = acpi_le32(p + EFI_ST_HEADER_SIZE);
	if (hs < EFI_ST_CRC32 + 4 || hs > len || hs > 4096)
		return false;
	uint8_t zero[4] = { 0 };
	uint32_t crc = ptdbg_crc32(0, p, EFI_ST_CRC32);
	crc = ptdbg_crc32(crc, zero, 4);
	crc = ptdbg_crc32(crc, p + EFI_ST_CRC32 + 4, hs - EFI_ST_CRC32 - 4);
	return crc == acpi_le32(p + EFI_ST_CRC32);
}

void acpi_text_copy(char *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = p[i] >= 0x20 && p[i] <= 0x7e ? (char)p[i] : p[i] ? '?' : ' ';
	out[n] = '\0';
}

/* out from the valid RSDP r (ACPI_RSDP_V2_LEN bytes, or V1's for revision 0) at pa:
 * its address, revision and the SDT it points to. */
static void rsdp_take(struct acpi_rsdp *out, uint64_t pa, const uint8_t *r)
{
	out->pa = pa;
	out->revision = r[ACPI_RSDP_REVISION];
	out->xsdt = out->revision >= 2 ? acpi_le64(r + ACPI_RSDP_XSDT) : 0;
	out->rsdt = acpi_le32(r + ACPI_RSDP_RSDT);
}

/* Look for a valid RSDP in [lo, lo + len), 16-byte aligned. */
static int scan_rsdp(struct ptdbg_target *t, uint64_t lo, size_t len, struct acpi_rsdp *out)
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
		if (!acpi_rsdp_valid(buf + off, len - off))
			continue;
		rsdp_take(out, lo + off, buf + off);
		free(buf);
		return 0;
	}
	free(buf);
	return PTDBG_EIO;
}

/* The BIOS search: the EBDA's first KiB, then 0xE0000-0xFFFFF. Returns 0, PTDBG_EIO
 * or a link error. */
static int bios_rsdp(struct ptdbg_target *t, struct acpi_rsdp *out)
{
	uint8_t seg[2];
	int rc = ptdbg_read_phys(t, ACPI_EBDA_SEG_PTR, seg, 2);
	if (rc && ptdbg_link_error(rc))
		return rc;
	if (!rc) {
		uint64_t ebda = (uint64_t)acpi_le16(seg) << 4;
		if (ebda >= 0x80000 && ebda < 0xa0000) {
			rc = scan_rsdp(t, ebda, ACPI_EBDA_SCAN_LEN, out);
			if (!rc)
				out->how = "EBDA";
			if (!rc || ptdbg_link_error(rc))
				return rc;
		}
	}
	rc = scan_rsdp(t, ACPI_BIOS_AREA_START, ACPI_BIOS_AREA_END - ACPI_BIOS_AREA_START, out);
	if (!rc)
		out->how = "BIOS area";
	return rc && !ptdbg_link_error(rc) ? PTDBG_EIO : rc;
}

/* The RSDP the EFI system table at st_pa points at (its configuration table's ACPI
 * 2.0 entry, else the 1.0 one). Returns 0, PTDBG_EIO (none there, or not valid), or
 * a link error. */
static int rsdp_from_efi_st(struct ptdbg_target *t, uint64_t st_pa, struct acpi_rsdp *out)
{
	static const uint8_t g20[16] = EFI_ACPI_20_GUID_BYTES, g10[16] = EFI_ACPI_10_GUID_BYTES;
	uint8_t st[EFI_ST_SIZE];
	int rc = ptdbg_read_phys(t, st_pa, st, sizeof(st));
	if (rc)
		return ptdbg_link_error(rc) ? rc : PTDBG_EIO;
	if (!acpi_efi_st_valid(st, sizeof(st)) || acpi_le32(st + EFI_ST_HEADER_SIZE) < EFI_ST_SIZE)
		return PTDBG_EIO;
	uint64_t n = acpi_le64(st + EFI_ST_NR_TABLES), ct = acpi_le64(st + EFI_ST_CONFIG_TABLE);
	if (n == 0 || ct == 0)
		return PTDBG_EIO;
	if (n > ACPI_EFI_MAX_TABLES)
		n = ACPI_EFI_MAX_TABLES;
	uint8_t *ents = malloc((size_t)n * EFI_CT_ENTRY_SIZE);
	if (!ents)
		return PTDBG_ENOMEM;
	rc = ptdbg_read_phys(t, ct, ents, (size_t)n * EFI_CT_ENTRY_SIZE);
	if (rc) {
		free(ents);
		return ptdbg_link_error(rc) ? rc : PTDBG_EIO;
	}
	uint64_t cand[2] = { 0, 0 }; /* ACPI 2.0, 1.0 */
	for (uint64_t i = 0; i < n; i++) {
		const uint8_t *e = ents + i * EFI_CT_ENTRY_SIZE;
		if (!cand[0] && !memcmp(e + EFI_CT_GUID, g20, 16))
			cand[0] = acpi_le64(e + EFI_CT_TABLE);
		else if (!cand[1] && !memcmp(e + EFI_CT_GUID, g10, 16))
			cand[1] = acpi_le64(e + EFI_CT_TABLE);
	}
	free(ents);
	for (int k = 0; k < 2; k++) {
		uint8_t r[ACPI_RSDP_V2_LEN];
		if (!cand[k])
			continue;
		rc = ptdbg_read_phys(t, cand[k], r, sizeof(r));
		if (rc && ptdbg_link_error(rc))
			return rc;
		if (rc || !acpi_rsdp_valid(r, sizeof(r)))
			continue;
		rsdp_take(out, cand[k], r);
		out->efi_st = st_pa;
		out->how = "EFI system table";
		return 0;
	}
	return PTDBG_EIO;
}

/* Whether the probe of a block (ACPI_UEFI_PROBE bytes at pa) ends the search: a
 * system table that leads to an RSDP, or an RSDP. Returns 0 (found), PTDBG_EIO
 * (not here) or a link error. */
static int probe_block(struct ptdbg_target *t, uint64_t pa, const uint8_t *b, struct acpi_rsdp *out)
{
	int rc;
	for (unsigned k = 0; k + EFI_ST_SIG_LEN <= ACPI_UEFI_PROBE; k += 8) {
		if (!memcmp(b + k, EFI_ST_SIG, EFI_ST_SIG_LEN)) {
			rc = rsdp_from_efi_st(t, pa + k, out);
			if (rc != PTDBG_EIO)
				return rc;
		}
		/* 8-byte aligned: EDK2's pool header puts it 0x18 into its block */
		if (!memcmp(b + k, ACPI_RSDP_SIG, ACPI_RSDP_SIG_LEN)) {
			uint8_t r[ACPI_RSDP_V2_LEN];
			rc = ptdbg_read_phys(t, pa + k, r, sizeof(r));
			if (rc && ptdbg_link_error(rc))
				return rc;
			if (!rc && acpi_rsdp_valid(r, sizeof(r))) {
				rsdp_take(out, pa + k, r);
				out->how = "RAM scan";
				return 0;
			}
		}
	}
	return PTDBG_EIO;
}

/* The UEFI search over ram (see acpi.h). */
static int uefi_rsdp(struct ptdbg_target *t, const struct ptdbg_ram *ram, struct acpi_rsdp *out)
{
	struct ptdbg_io ios[ACPI_UEFI_BATCH];
	uint8_t *buf = malloc((size_t)ACPI_UEFI_BATCH * ACPI_UEFI_PROBE);
	if (!buf)
		return PTDBG_ENOMEM;
	int rc = PTDBG_EIO;
	unsigned left = ACPI_UEFI_SCAN_BLOCKS;
	/* pass 0: the parts below 4 GiB, pass 1: above; each range top down */
	for (int pass = 0; pass < 2 && rc == PTDBG_EIO && left; pass++) {
		for (size_t ri = ram->n; ri-- > 0 && rc == PTDBG_EIO && left;) {
			uint64_t lo = ram->r[ri].pa, hi = ram->r[ri].pa + ram->r[ri].len;
			if (hi < lo)
				hi = UINT64_MAX;
			if (pass == 0 && hi > FOUR_GIB)
				hi = FOUR_GIB;
			if (pass == 1 && lo < FOUR_GIB)
				lo = FOUR_GIB;
			lo = (lo + ACPI_UEFI_BLOCK - 1) & ~(uint64_t)(ACPI_UEFI_BLOCK - 1);
			hi &= ~(uint64_t)(ACPI_UEFI_BLOCK - 1);
			uint64_t next = hi; /* blocks [lo, next) are still to probe */
			size_t batch = 8;    /* growing: the system table is usually in the first few */
			while (next > lo && rc == PTDBG_EIO && left) {
				size_t n = 0;
				while (next > lo && n < batch && left) {
					next -= ACPI_UEFI_BLOCK;
					ios[n] = (struct ptdbg_io){ .pa = next, .len = ACPI_UEFI_PROBE,
								    .buf = buf + n * ACPI_UEFI_PROBE };
					n++;
					left--;
				}
				batch = batch * 4 < ACPI_UEFI_BATCH ? batch * 4 : ACPI_UEFI_BATCH;
				int brc = ptdbg_read_phys_batch(t, ios, n);
				if (brc) {
					rc = brc;
					break;
				}
				for (size_t i = 0; i < n && rc == PTDBG_EIO; i++) {
					out->blocks++;
					if (!ios[i].err)
						rc = probe_block(t, ios[i].pa, ios[i].buf, out);
				}
			}
		}
	}
	free(buf);
	return rc;
}

int acpi_rsdp_find(struct ptdbg_target *t, unsigned where, const struct ptdbg_ram *ram, struct acpi_rsdp *out)
{
	memset(out, 0, sizeof(*out));
	int rc = PTDBG_EIO;
	if (where & ACPI_WHERE_BIOS) {
		rc = bios_rsdp(t, out);
		if (rc != PTDBG_EIO)
			return rc;
	}
	if (where & ACPI_WHERE_UEFI) {
		struct ptdbg_ram own;
		if (!ram) {
			char why[128];
			memset(&own, 0, sizeof(own));
			rc = ptdbg_ram_find(t, NULL, 0, 0, &own, why, sizeof(why));
			if (rc && ptdbg_link_error(rc))
				return rc;
			if (rc || !own.n) {
				memset(&own, 0, sizeof(own));
				ptdbg_ram_add(&own, PTDBG_VIRT_RAM_PA, VIRT_RAM_LEN);
			}
			ram = &own;
		}
		rc = uefi_rsdp(t, ram, out);
		if (rc != PTDBG_EIO)
			return rc;
	}
	return ptdbg_target_fail(t, PTDBG_EIO, "no ACPI RSDP %s%s%s", where & ACPI_WHERE_BIOS ?
				 "in the EBDA or 0xE0000-0xFFFFF" : "", where == (ACPI_WHERE_BIOS | ACPI_WHERE_UEFI) ?
				 ", nor " : "", where & ACPI_WHERE_UEFI ?
				 "through an EFI system table or at the start of a 64 KiB block of RAM" : "");
}

int acpi_rsdp_at(struct ptdbg_target *t, uint64_t pa, struct acpi_rsdp *out)
{
	uint8_t r[ACPI_RSDP_V2_LEN];
	memset(out, 0, sizeof(*out));
	int rc = ptdbg_read_phys(t, pa, r, sizeof(r));
	if (rc)
		return ptdbg_link_error(rc) ? rc : PTDBG_EIO;
	if (!acpi_rsdp_valid(r, sizeof(r)))
		return PTDBG_EIO;
	rsdp_take(out, pa, r);
	out->how = "debug region";
	return 0;
}

int acpi_find_rsdp(struct ptdbg_target *t, uint64_t hint, struct acpi_rsdp *out)
{
	int rc = hint ? acpi_rsdp_at(t, hint, out) : PTDBG_EIO;
	return rc == PTDBG_EIO ? acpi_rsdp_find(t, ACPI_WHERE_BIOS, NULL, out) : rc;
}

#define ACPI_SDT_AHEAD 16 /* entries read with an SDT's header */
/* Bytes of each entry's table read where its signature and length are: QEMU's
 * DMAR and IORT are 0x70-0x200 bytes, so the table looked for usually comes whole
 * in that batch, for little more than the packets of the headers alone. */

/* acpi_find_table; with ahead (ACPI_TABLE_AHEAD bytes), also the first bytes of
 * the table found, *ahead_len of them (0: none read). */
static int find_table(struct ptdbg_target *t, const struct acpi_rsdp *rsdp, const char sig[4], uint64_t *pa,
		      uint32_t *len, uint64_t *sdt_pa, bool *xsdt, uint8_t *ahead, size_t *ahead_len)
{
	bool use_x = rsdp->xsdt != 0;
	uint64_t sdt = use_x ? rsdp->xsdt : rsdp->rsdt;
	unsigned esz = use_x ? ACPI_XSDT_ENTRY_SIZE : ACPI_RSDT_ENTRY_SIZE;
	/* The header and, in the same read, room for ACPI_SDT_AHEAD entries (QEMU's
	 * tables have a handful): one round trip where a read of the header, then
	 * of the entries, took two. What lies past a short table is not used; a read
	 * that fails (the table at the end of RAM) is made again at the header's
	 * length. */
	uint8_t head[ACPI_SDT_HDR_LEN + ACPI_SDT_AHEAD * ACPI_XSDT_ENTRY_SIZE];
	const uint8_t *hdr = head;
	size_t have = sizeof(head) - (ACPI_SDT_AHEAD * (ACPI_XSDT_ENTRY_SIZE - esz));
	int rc = ptdbg_read_phys(t, sdt, head, have);
	if (rc && !ptdbg_link_error(rc)) {
		have = ACPI_SDT_HDR_LEN;
		rc = ptdbg_read_phys(t, sdt, head, have);
	}
	if (rc)
		return rc;
	if (memcmp(hdr + ACPI_SDT_SIGNATURE, use_x ? "XSDT" : "RSDT", ACPI_SDT_SIG_LEN) != 0) {
		char got[5];
		acpi_text_copy(got, hdr, 4);
		return ptdbg_target_fail(t, PTDBG_EFORMAT, "%s at 0x%llx has signature %s",
					 use_x ? "XSDT" : "RSDT", (unsigned long long)sdt, got);
	}
	uint32_t sdt_len = acpi_le32(hdr + ACPI_SDT_LENGTH);
	if (sdt_len < ACPI_SDT_HDR_LEN)
		return ptdbg_target_fail(t, PTDBG_EFORMAT, "SDT length %u too small", sdt_len);
	unsigned n = (sdt_len - ACPI_SDT_HDR_LEN) / esz;
	if (n > ACPI_MAX_SDT_ENTRIES)
		n = ACPI_MAX_SDT_ENTRIES;
	uint8_t ents[ACPI_MAX_SDT_ENTRIES * ACPI_XSDT_ENTRY_SIZE];
	size_t got = have - ACPI_SDT_HDR_LEN, need = (size_t)n * esz;
	memcpy(ents, head + ACPI_SDT_HDR_LEN, got < need ? got : need);
	if (need > got && (rc = ptdbg_read_phys(t, sdt + ACPI_SDT_HDR_LEN + got, ents + got, need - got)))
		return rc;
	/* every entry's signature and length (with ahead, its first bytes), in one
	 * batch; an entry whose bytes are not all readable (a table at the end of
	 * RAM) is read again for its signature and length alone */
	struct ptdbg_io ios[ACPI_MAX_SDT_ENTRIES];
	size_t tl = ahead ? ACPI_TABLE_AHEAD : ACPI_SDT_LENGTH + 4;
	uint8_t *th = malloc((size_t)(n ? n : 1) * tl);
	if (!th)
		return PTDBG_ENOMEM;
	for (unsigned i = 0; i < n; i++)
		ios[i] = (struct ptdbg_io){ .pa = use_x ? acpi_le64(ents + esz * i) : acpi_le32(ents + esz * i),
					    .len = tl, .buf = th + i * tl };
	rc = n ? ptdbg_read_phys_batch(t, ios, n) : 0;
	struct ptdbg_io again[ACPI_MAX_SDT_ENTRIES];
	unsigned na = 0, at[ACPI_MAX_SDT_ENTRIES];
	for (unsigned i = 0; !rc && tl > ACPI_SDT_LENGTH + 4 && i < n; i++)
		if (ios[i].err && !ptdbg_link_error(ios[i].err)) {
			ios[i].len = ACPI_SDT_LENGTH + 4;
			again[na] = ios[i];
			at[na++] = i;
		}
	if (!rc && na) { /* in one batch too */
		rc = ptdbg_read_phys_batch(t, again, na);
		for (unsigned k = 0; !rc && k < na; k++)
			ios[at[k]].err = again[k].err;
	}
	if (rc) {
		free(th);
		return rc;
	}
	for (unsigned i = 0; i < n; i++) {
		const uint8_t *h = th + i * tl;
		if (ios[i].err || memcmp(h + ACPI_SDT_SIGNATURE, sig, ACPI_SDT_SIG_LEN) != 0)
			continue;
		*pa = ios[i].pa;
		*len = acpi_le32(h + ACPI_SDT_LENGTH);
		if (ahead) {
			*ahead_len = ios[i].len;
			memcpy(ahead, h, ios[i].len);
		}
		free(th);
		if (sdt_pa)
			*sdt_pa = sdt;
		if (xsdt)
			*xsdt = use_x;
		return 0;
	}
	free(th);
	char want[5];
	acpi_text_copy(want, (const uint8_t *)sig, 4);
	return ptdbg_target_fail(t, PTDBG_EIO, "no %s table among the %u %s entries", want, n,
				 use_x ? "XSDT" : "RSDT");
}

int acpi_find_table(struct ptdbg_target *t, const struct acpi_rsdp *rsdp, const char sig[4], uint64_t *pa,
		    uint32_t *len, uint64_t *sdt_pa, bool *xsdt)
{
	return find_table(t, rsdp, sig, pa, len, sdt_pa, xsdt, NULL, NULL);
}

int acpi_find_read_table(struct ptdbg_target *t, const struct acpi_rsdp *rsdp, const char sig[4], uint32_t max,
			 uint64_t *pa, uint32_t *len, uint64_t *sdt_pa, bool *xsdt, uint8_t **buf)
{
	*buf = NULL;
	uint8_t *ahead = malloc(ACPI_TABLE_AHEAD);
	size_t have = 0;
	if (!ahead)
		return PTDBG_ENOMEM;
	int rc = find_table(t, rsdp, sig, pa, len, sdt_pa, xsdt, ahead, &have);
	if (rc) {
		free(ahead);
		return rc;
	}
	if (max > ACPI_TABLE_MAX_LEN)
		max = ACPI_TABLE_MAX_LEN;
	if (*len < ACPI_SDT_HDR_LEN || *len > max || *len > have) {
		free(ahead); /* out of range (said by acpi_table_read), or longer than read */
		return acpi_table_read(t, *pa, *len, max, buf);
	}
	*buf = ahead; /* the whole table came with its signature */
	return 0;
}

int acpi_table_read(struct ptdbg_target *t, uint64_t pa, uint32_t len, uint32_t max, uint8_t **out)
{
	*out = NULL;
	if (max > ACPI_TABLE_MAX_LEN)
		max = ACPI_TABLE_MAX_LEN;
	if (len < ACPI_SDT_HDR_LEN || len > max)
		return ptdbg_target_fail(t, PTDBG_EFORMAT, "table at 0x%llx: length %u out of range (%u to %u)",
					 (unsigned long long)pa, len, ACPI_SDT_HDR_LEN, max);
	uint8_t *buf = malloc(len);
	if (!buf)
		return PTDBG_ENOMEM;
	int rc = ptdbg_read_phys(t, pa, buf, len);
	if (rc) {
		free(buf);
		return rc;
	}
	if (acpi_le32(buf + ACPI_SDT_LENGTH) != len) {
		free(buf);
		return ptdbg_target_fail(t, PTDBG_EFORMAT, "table at 0x%llx changed its length while read",
					 (unsigned long long)pa);
	}
	*out = buf;
	return 0;
}
