/* The DMA map API: window check, identity IOVA, region records; the same on both
 * architectures (the domain's backend is VT-d or SMMUv3). */
#include "debug/region.h"
#include "iommu/dma.h"
#include "lib/errno.h"
#include "lib/printf.h"
#include "lib/string.h"

/* Second-level permissions a direction needs. */
static uint64_t perm_of(uint32_t dir)
{
	switch (dir) {
	case DMA_TO_DEVICE: return SL_PERM_R;
	case DMA_FROM_DEVICE: return SL_PERM_W;
	default: return SL_PERM_R | SL_PERM_W;
	}
}

/* Record a buffer in the region with a status. */
static int record(const struct iommu_domain *d, uint64_t iova, uint64_t pa, uint64_t len,
		  uint32_t dir, uint32_t status)
{
	struct ptdbg_dma_buf b;
	memset(&b, 0, sizeof(b));
	b.bdf = d->bdf;
	b.dir = (uint16_t)dir;
	b.status = status;
	b.iova = iova;
	b.phys = pa;
	b.len = len;
	return region_add_dma_buf(&b);
}

struct dma_error dma_map(struct iommu_domain *d, uint64_t pa, uint64_t len, uint32_t dir,
			 struct dma_mapping *m)
{
	uint64_t page = d->page_size;
	uint64_t size = (len + page - 1) & ~(page - 1);
	uint64_t iova = pa, end = iova + size;
	struct dma_error e = { DMA_OK, iova, end };
	if ((pa & (page - 1)) || !size || end < iova || iova < d->win_start || end > d->win_end) {
		e.kind = DMA_ERR_INVALID_VADDR_RANGE;
		record(d, iova, pa, size, dir, PTDBG_DMA_REFUSED);
		return e;
	}
	for (uint64_t off = 0; off < size; off += page) {
		int err = iommu_domain_map_page(d, iova + off, pa + off, perm_of(dir));
		if (err) {
			iommu_domain_unmap_range(d, iova, off);
			e.kind = err == -EEXIST ? DMA_ERR_ALREADY_MAPPED : DMA_ERR_NO_MEMORY;
			record(d, iova, pa, size, dir, PTDBG_DMA_REFUSED);
			return e;
		}
	}
	m->dom = d;
	m->iova = iova;
	m->phys = pa;
	m->len = size;
	m->dir = dir;
	m->buf_index = record(d, iova, pa, size, dir, PTDBG_DMA_MAPPED);
	return e;
}

void dma_unmap(struct dma_mapping *m)
{
	iommu_domain_unmap_range(m->dom, m->iova, m->len);
	region_set_dma_status(m->buf_index, PTDBG_DMA_UNMAPPED);
}

int dma_record_unregistered(struct iommu_domain *d, uint64_t pa, uint64_t len, uint32_t dir)
{
	return record(d, pa, pa, len, dir, PTDBG_DMA_UNREGISTERED);
}

int dma_error_format(struct dma_error e, char *buf, size_t n)
{
	switch (e.kind) {
	case DMA_OK: return ksnprintf(buf, n, "Ok");
	case DMA_ERR_INVALID_VADDR_RANGE: return ksnprintf(buf, n, "InvalidVaddrRange(0x%lx, 0x%lx)", e.start, e.end);
	case DMA_ERR_ALREADY_MAPPED: return ksnprintf(buf, n, "AlreadyMapped(0x%lx, 0x%lx)", e.start, e.end);
	case DMA_ERR_NO_MEMORY: return ksnprintf(buf, n, "NoMemory(0x%lx, 0x%lx)", e.start, e.end);
	}
	return ksnprintf(buf, n, "DmaError(%d)", (int)e.kind);
}

const char *dma_dir_name(uint32_t dir)
{
	switch (dir) {
	case DMA_TO_DEVICE: return "to-device";
	case DMA_FROM_DEVICE: return "from-device";
	case DMA_BIDIR: return "bidirectional";
	}
	return "?";
}
