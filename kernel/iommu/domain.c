/* Device domains: table, context, region records. */
#include "debug/panic.h"
#include "debug/region.h"
#include "iommu/domain.h"
#include "iommu/vtd.h"
#include "iommu/vtd_defs.h"
#include "lib/printf.h"
#include "lib/string.h"

static struct iommu_domain domains[REGION_MAX_DOMAINS];
static unsigned ndomains;

struct iommu_domain *iommu_domain_of(uint16_t bdf)
{
	for (unsigned i = 0; i < ndomains; i++)
		if (domains[i].bdf == bdf)
			return &domains[i];
	return 0;
}

struct iommu_domain *iommu_domain_create(const char *kind, uint16_t bdf, uint64_t win_start,
					 uint64_t win_end, uint32_t flags)
{
	if (!vtd_enabled())
		panic("iommu: domain for %02x:%02x.%x without an enabled VT-d unit", bdf >> 8,
		      (bdf >> 3) & 31, bdf & 7);
	struct iommu_domain *d = iommu_domain_of(bdf);
	if (d)
		return d;
	if (ndomains >= REGION_MAX_DOMAINS)
		panic("iommu: out of domains (%d)", REGION_MAX_DOMAINS);
	d = &domains[ndomains];
	memset(d, 0, sizeof(*d));
	ksnprintf(d->name, sizeof(d->name), "%s %02x:%02x.%x", kind, bdf >> 8, (bdf >> 3) & 31, bdf & 7);
	d->bdf = bdf;
	d->did = (uint16_t)(ndomains + 1); /* domain id 0 stays unused */
	d->aw_bits = vtd.aw_bits;
	d->flags = flags;
	d->win_start = win_start;
	d->win_end = win_end;
	d->as_index = region_add_space(d->name, PTDBG_AS_DEVICE, d->did, 0, vtd.levels);
	if (d->as_index < 0)
		panic("iommu: no address-space slot for %s", d->name);
	if (sl_table_init(&d->sl, vtd.levels, (uint32_t)d->as_index))
		panic("iommu: out of frames for the table of %s", d->name);
	region_update_space(d->as_index, d->sl.root, PTDBG_AS_F_LIVE);
	vtd_set_context(bdf, d->did, d->sl.root, !!(flags & PTDBG_DOM_F_FPD));
	struct ptdbg_domain rd;
	memset(&rd, 0, sizeof(rd));
	strlcpy_k(rd.name, d->name, sizeof(rd.name));
	rd.bdf = bdf;
	rd.did = d->did;
	rd.aw_bits = d->aw_bits;
	rd.levels = vtd.levels;
	rd.flags = flags;
	rd.root = d->sl.root;
	rd.win_start = win_start;
	rd.win_end = win_end;
	if (region_add_domain(&rd) < 0)
		panic("iommu: no region slot for the domain of %s", d->name);
	ndomains++;
	kprintf("ptdbg: iommu: domain %u for %s: %u-bit %u-level table at 0x%lx, window [0x%lx, 0x%lx)%s\n",
		d->did, d->name, d->aw_bits, vtd.levels, d->sl.root, win_start, win_end,
		(flags & PTDBG_DOM_F_FPD) ? ", context written with FPD=1" : "");
	return d;
}

int iommu_domain_map_page(struct iommu_domain *d, uint64_t iova, uint64_t pa, uint64_t perm)
{
	int err = sl_map(&d->sl, iova, pa, perm);
	if (!err && (vtd.cap & VTD_CAP_CM))
		vtd_flush_iotlb_domain(d->did); /* caching mode: the unit may cache not-present */
	return err;
}

uint64_t iommu_domain_unmap_range(struct iommu_domain *d, uint64_t iova, uint64_t len)
{
	uint64_t n = 0;
	for (uint64_t off = 0; off < len; off += 0x1000)
		n += sl_unmap(&d->sl, iova + off) == 0;
	vtd_flush_iotlb_domain(d->did);
	return n;
}
