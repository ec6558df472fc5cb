/* Device domains: table, context, region records; VT-d or SMMUv3 underneath. */
#include "debug/panic.h"
#include "debug/region.h"
#include "iommu/domain.h"
#include "lib/errno.h"
#include "lib/printf.h"
#include "lib/string.h"
#if defined(__aarch64__)
#include "core/cmdline.h"
#include "iommu/smmu.h"
#include "mm/frame.h"
#include "mm/kspace.h"
#include "mm/layout.h"
#include "mm/pte.h"
#else
#include "iommu/vtd.h"
#include "iommu/vtd_defs.h"
#endif

static struct iommu_domain domains[REGION_MAX_DOMAINS];
static unsigned ndomains;

struct iommu_domain *iommu_domain_of(uint16_t bdf)
{
	for (unsigned i = 0; i < ndomains; i++)
		if (domains[i].bdf == bdf)
			return &domains[i];
	return 0;
}

#if defined(__aarch64__)
/* ---- SMMUv3 backend ---------------------------------------------------------- */
int iommu_unit_init(void) { return smmu_init(); }
unsigned iommu_max_bits(void) { return SMMU_DOMAIN_IAS; }
const char *iommu_unit_name(void) { return "SMMUv3"; }
static int unit_enabled(void) { return smmu_enabled(); }
static unsigned backend_levels(void)
{
	return (unsigned)(4 - arm64_start_level(SMMU_DOMAIN_IAS, (unsigned)kopts.granule_shift));
}

/* The stage-1 table, the CD (its own frame) and the STE; fills the region record. */
static void backend_create(struct iommu_domain *d, struct ptdbg_domain *rd)
{
	unsigned gshift = (unsigned)kopts.granule_shift;
	unsigned levels = backend_levels();
	d->aw_bits = SMMU_DOMAIN_IAS;
	d->page_size = 1ull << gshift;
	d->sid = smmu_sid_of_rid(d->bdf);
	if (pt_space_init_device(&d->pt, levels, gshift, SMMU_DOMAIN_IAS, d->as_index))
		panic("iommu: out of frames for the table of %s", d->name);
	d->cd = frame_alloc(PTDBG_FRAME_KHEAP, (uint32_t)kernel_as_index);
	if (!d->cd)
		panic("iommu: no frame for the context descriptor of %s", d->name);
	smmu_write_cd(d->cd, d->pt.root, SMMU_DOMAIN_IAS, gshift, d->did, !(d->flags & PTDBG_DOM_F_NO_RECORD));
	d->ste = smmu_attach_stream(d->sid, d->cd);
	smmu_tlbi_asid(d->did); /* nothing cached under the ASID from an earlier owner */
	rd->root = d->pt.root;
	rd->levels = levels;
	rd->sid = d->sid;
	rd->asid = d->did;
	rd->cd = d->cd;
	rd->ias_bits = SMMU_DOMAIN_IAS;
	rd->granule_shift = gshift;
	kprintf("ptdbg: iommu: stream 0x%x: STE at 0x%lx, CD at 0x%lx (ASID %u, T0SZ %u, %s granule%s)\n",
		d->sid, d->ste, d->cd, d->did, 64 - SMMU_DOMAIN_IAS,
		gshift == 12 ? "4K" : gshift == 14 ? "16K" : "64K",
		(d->flags & PTDBG_DOM_F_NO_RECORD) ? ", R=0: faults not recorded" : "");
}

static int backend_map(struct iommu_domain *d, uint64_t iova, uint64_t pa, uint64_t perm)
{
	/* Device reads need read access, writes read-write: stage-1 has no write-only.
	 * EL0 may access (AP[1] = 1): a PCIe device's requests without a PASID prefix
	 * are unprivileged, and Linux's io-pgtable maps every page not asked for as
	 * IOMMU_PRIV so. QEMU 7.2 does not check AP[1]; an SMMU built to the
	 * architecture faults an EL1-only page (iommudump walk says which). */
	uint64_t ap = (perm & SL_PERM_W) ? ARM64_AP_RW_ALL : ARM64_AP_RO_ALL;
	uint64_t attrs = ARM64_DESC_AF | ARM64_DESC_UXN | ARM64_DESC_PXN | ARM64_DESC_NG | ap | PTE_CACHE_WB;
	return pt_map(&d->pt, iova, pa, d->page_size, attrs);
}

static uint64_t backend_unmap(struct iommu_domain *d, uint64_t iova, uint64_t len)
{
	uint64_t n = 0;
	for (uint64_t off = 0; off < len; off += d->page_size) {
		if (pt_translate(&d->pt, iova + off, 0) == ~0ull)
			continue;
		if (!pt_unmap(&d->pt, iova + off, d->page_size))
			n++;
		smmu_tlbi_va(d->did, iova + off);
	}
	return n;
}

static const char *unit_context(const struct iommu_domain *d)
{
	return (d->flags & PTDBG_DOM_F_NO_RECORD) ? ", CD written with R=0" : "";
}
#else
/* ---- VT-d backend ------------------------------------------------------------ */
int iommu_unit_init(void) { return vtd_init(); }
unsigned iommu_max_bits(void) { return vtd.aw_bits; }
const char *iommu_unit_name(void) { return "VT-d"; }
static int unit_enabled(void) { return vtd_enabled(); }
static unsigned backend_levels(void) { return vtd.levels; }

static void backend_create(struct iommu_domain *d, struct ptdbg_domain *rd)
{
	d->aw_bits = vtd.aw_bits;
	d->page_size = 0x1000;
	if (sl_table_init(&d->sl, vtd.levels, (uint32_t)d->as_index))
		panic("iommu: out of frames for the table of %s", d->name);
	rd->ctx_entry = vtd_set_context(d->bdf, d->did, d->sl.root, !!(d->flags & PTDBG_DOM_F_FPD));
	rd->root = d->sl.root;
	rd->levels = vtd.levels;
}

static int backend_map(struct iommu_domain *d, uint64_t iova, uint64_t pa, uint64_t perm)
{
	int err = sl_map(&d->sl, iova, pa, perm);
	if (!err && (vtd.cap & VTD_CAP_CM))
		vtd_flush_iotlb_domain(d->did); /* caching mode: the unit may cache not-present */
	return err;
}

static uint64_t backend_unmap(struct iommu_domain *d, uint64_t iova, uint64_t len)
{
	uint64_t n = 0;
	for (uint64_t off = 0; off < len; off += 0x1000)
		n += sl_unmap(&d->sl, iova + off) == 0;
	vtd_flush_iotlb_domain(d->did);
	return n;
}

static const char *unit_context(const struct iommu_domain *d)
{
	return (d->flags & PTDBG_DOM_F_FPD) ? ", context written with FPD=1" : "";
}
#endif

struct iommu_domain *iommu_domain_create(const char *kind, uint16_t bdf, uint64_t win_start,
					 uint64_t win_end, uint32_t flags)
{
	if (!unit_enabled())
		panic("iommu: domain for %02x:%02x.%x without an enabled %s unit", bdf >> 8,
		      (bdf >> 3) & 31, bdf & 7, iommu_unit_name());
	struct iommu_domain *d = iommu_domain_of(bdf);
	if (d)
		return d;
	if (ndomains >= REGION_MAX_DOMAINS)
		panic("iommu: out of domains (%d)", REGION_MAX_DOMAINS);
	d = &domains[ndomains];
	memset(d, 0, sizeof(*d));
	ksnprintf(d->name, sizeof(d->name), "%s %02x:%02x.%x", kind, bdf >> 8, (bdf >> 3) & 31, bdf & 7);
	d->bdf = bdf;
	d->did = (uint16_t)(ndomains + 1); /* domain id / ASID 0 stays unused */
	d->flags = flags;
	d->win_start = win_start;
	d->win_end = win_end;
	d->as_index = region_add_space(d->name, PTDBG_AS_DEVICE, d->did, 0, backend_levels());
	if (d->as_index < 0)
		panic("iommu: no address-space slot for %s", d->name);
	struct ptdbg_domain rd;
	memset(&rd, 0, sizeof(rd));
	backend_create(d, &rd);
	region_update_space(d->as_index, rd.root, PTDBG_AS_F_LIVE);
	strlcpy_k(rd.name, d->name, sizeof(rd.name));
	rd.bdf = bdf;
	rd.did = d->did;
	rd.aw_bits = d->aw_bits;
	rd.flags = flags;
	rd.win_start = win_start;
	rd.win_end = win_end;
	if (region_add_domain(&rd) < 0)
		panic("iommu: no region slot for the domain of %s", d->name);
	ndomains++;
	kprintf("ptdbg: iommu: domain %u for %s: %u-bit %u-level table at 0x%lx, window [0x%lx, 0x%lx)%s\n",
		d->did, d->name, d->aw_bits, rd.levels, rd.root, win_start, win_end, unit_context(d));
	return d;
}

int iommu_domain_map_page(struct iommu_domain *d, uint64_t iova, uint64_t pa, uint64_t perm)
{
	return backend_map(d, iova, pa, perm);
}

uint64_t iommu_domain_unmap_range(struct iommu_domain *d, uint64_t iova, uint64_t len)
{
	return backend_unmap(d, iova, len);
}
