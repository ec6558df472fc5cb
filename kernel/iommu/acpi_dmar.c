/* Finding the DMAR table and its DRHD through ACPI (ACPI 6.x 5.2; VT-d 8). */
#include "core/bootinfo.h"
#include "debug/region.h"
#include "iommu/acpi_dmar.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "mm/kspace.h"
#include "mm/pte.h"
#include "ptdbg/hw/acpi_dmar.h"

#define SDT_MAX_LEN       (1u << 20) /* sanity bound on firmware table lengths */

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p) { return (uint32_t)rd16(p) | (uint32_t)rd16(p + 2) << 16; }
static uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }

/* Sum of n bytes (a valid ACPI structure sums to 0). */
static uint8_t checksum(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;
	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

/* Map a firmware table at pa: its header first, then its whole length. Returns the
 * mapping and its length, or NULL. */
static const uint8_t *map_sdt(uint64_t pa, uint32_t *len)
{
	const uint8_t *h = kspace_map_untracked(pa, ACPI_SDT_HDR_LEN, PTE_CACHE_WB);
	if (!h)
		return 0;
	uint32_t n = rd32(h + ACPI_SDT_LENGTH);
	kspace_unmap_untracked((void *)h, ACPI_SDT_HDR_LEN);
	if (n < ACPI_SDT_HDR_LEN || n > SDT_MAX_LEN)
		return 0;
	const uint8_t *t = kspace_map_untracked(pa, n, PTE_CACHE_WB);
	if (t && checksum(t, n) != 0)
		kprintf("ptdbg: acpi: table at 0x%lx has a bad checksum (used anyway)\n", pa);
	*len = n;
	return t;
}

/* Scan the BIOS read-only area for the RSDP signature on 16-byte boundaries. */
static uint64_t scan_rsdp(void)
{
	const uint64_t lo = ACPI_BIOS_AREA_START, hi = ACPI_BIOS_AREA_END;
	const uint8_t *m = kspace_map_untracked(lo, hi - lo, PTE_CACHE_WB);
	if (!m)
		return 0;
	uint64_t found = 0;
	for (uint64_t off = 0; off + ACPI_RSDP_V1_LEN <= hi - lo && !found; off += ACPI_RSDP_ALIGN)
		if (!memcmp(m + off + ACPI_RSDP_SIGNATURE, ACPI_RSDP_SIG, ACPI_RSDP_SIG_LEN) &&
		    checksum(m + off, ACPI_RSDP_V1_LEN) == 0)
			found = lo + off;
	kspace_unmap_untracked((void *)m, hi - lo);
	return found;
}

/* Find "DMAR" among the entries of the XSDT (8-byte) or RSDT (4-byte). */
static uint64_t find_in_sdt(uint64_t sdt_pa, unsigned entry_size)
{
	uint32_t len;
	const uint8_t *sdt = map_sdt(sdt_pa, &len);
	if (!sdt)
		return 0;
	uint64_t found = 0;
	for (uint32_t off = ACPI_SDT_HDR_LEN; off + entry_size <= len && !found; off += entry_size) {
		uint64_t pa = entry_size == ACPI_XSDT_ENTRY_SIZE ? rd64(sdt + off) : rd32(sdt + off);
		uint32_t tlen;
		const uint8_t *t = map_sdt(pa, &tlen);
		if (!t)
			continue;
		if (!memcmp(t + ACPI_SDT_SIGNATURE, ACPI_DMAR_SIG, ACPI_SDT_SIG_LEN))
			found = pa;
		kspace_unmap_untracked((void *)t, tlen);
	}
	kspace_unmap_untracked((void *)sdt, len);
	return found;
}

/* Walk the DMAR's remapping structures for the DRHD to use. */
static int parse_dmar(uint64_t dmar_pa, struct dmar_unit *u)
{
	uint32_t len;
	const uint8_t *d = map_sdt(dmar_pa, &len);
	if (!d || len < ACPI_DMAR_HDR_LEN)
		return -1;
	memset(u, 0, sizeof(*u));
	u->dmar_phys = dmar_pa;
	u->host_aw = (uint8_t)(d[ACPI_DMAR_HAW] + 1);
	u->dmar_flags = d[ACPI_DMAR_FLAGS];
	int have = 0;
	for (uint32_t off = ACPI_DMAR_HDR_LEN; off + ACPI_DMAR_RS_HDR_LEN <= len;) {
		uint16_t type = rd16(d + off + ACPI_DMAR_RS_TYPE), slen = rd16(d + off + ACPI_DMAR_RS_LENGTH);
		if (slen < ACPI_DMAR_RS_HDR_LEN || off + slen > len)
			break;
		if (type == ACPI_DMAR_DRHD && slen >= ACPI_DRHD_SCOPES &&
		    (!have || (!(u->flags & ACPI_DRHD_INCLUDE_PCI_ALL) &&
			       (d[off + ACPI_DRHD_FLAGS] & ACPI_DRHD_INCLUDE_PCI_ALL)))) {
			u->flags = d[off + ACPI_DRHD_FLAGS];
			u->segment = rd16(d + off + ACPI_DRHD_SEGMENT);
			u->reg_base = rd64(d + off + ACPI_DRHD_BASE);
			have = 1;
		}
		off += slen;
	}
	kspace_unmap_untracked((void *)d, len);
	return have ? 0 : -1;
}

/* RSDP -> XSDT/RSDT -> DMAR -> DRHD. */
int acpi_find_dmar(struct dmar_unit *u)
{
	uint64_t rsdp = boot_info.rsdp_phys ? boot_info.rsdp_phys : scan_rsdp();
	if (!rsdp) {
		kprintf("ptdbg: acpi: no RSDP\n");
		return -1;
	}
	const uint8_t *r = kspace_map_untracked(rsdp, ACPI_RSDP_V2_LEN, PTE_CACHE_WB);
	if (!r || memcmp(r + ACPI_RSDP_SIGNATURE, ACPI_RSDP_SIG, ACPI_RSDP_SIG_LEN)) {
		kprintf("ptdbg: acpi: no RSDP signature at 0x%lx\n", rsdp);
		return -1;
	}
	region_set_acpi_rsdp(rsdp); /* tools then need not search for it */
	uint8_t rev = r[ACPI_RSDP_REVISION];
	uint64_t xsdt = rev >= 2 ? rd64(r + ACPI_RSDP_XSDT) : 0;
	uint64_t rsdt = rd32(r + ACPI_RSDP_RSDT);
	kspace_unmap_untracked((void *)r, ACPI_RSDP_V2_LEN);
	uint64_t dmar = xsdt ? find_in_sdt(xsdt, ACPI_XSDT_ENTRY_SIZE) : 0;
	if (!dmar && rsdt)
		dmar = find_in_sdt(rsdt, ACPI_RSDT_ENTRY_SIZE);
	kprintf("ptdbg: acpi: rsdp 0x%lx rev %u, xsdt 0x%lx, rsdt 0x%lx, dmar 0x%lx\n", rsdp, rev,
		xsdt, rsdt, dmar);
	if (!dmar) {
		kprintf("ptdbg: acpi: no DMAR table (is -device intel-iommu given?)\n");
		return -1;
	}
	if (parse_dmar(dmar, u)) {
		kprintf("ptdbg: acpi: DMAR at 0x%lx has no usable DRHD\n", dmar);
		return -1;
	}
	region_set_acpi_iommu_table(dmar); /* tools then need not walk the XSDT */
	return 0;
}
