/* The debug region and the static storage of the arrays it references. */
#include "debug/region.h"
#include "lib/string.h"
#include "mm/layout.h"

struct ptdbg_region ptdbg_region __attribute__((aligned(PTDBG_REGION_ALIGN), used));

static int region_on;
static unsigned region_depth;

static struct ptdbg_aspace spaces[REGION_MAX_SPACES];
static uint32_t nspaces;
static struct ptdbg_domain domains[REGION_MAX_DOMAINS];
static struct ptdbg_dma_buf dma_bufs[REGION_MAX_DMA_BUFS];
static struct ptdbg_fault fault_ring[REGION_FAULT_RING];
static uint64_t fault_total;

static void set_array(struct ptdbg_array *a, const void *base, uint32_t count,
		      uint32_t capacity, uint32_t elem_size)
{
	a->phys = kimage_phys(base);
	a->count = count;
	a->capacity = capacity;
	a->elem_size = elem_size;
}

/* Fill the header when enabled; the region stays all zero otherwise. */
void region_init(int enabled)
{
	region_on = enabled;
	if (!region_on)
		return;
	struct ptdbg_region *r = &ptdbg_region;
	r->generation = 1;
	r->version = PTDBG_ABI_VERSION;
	r->hdr_size = sizeof(*r);
	r->self_phys = kimage_phys(r);
	r->self_virt = (uint64_t)r;
	set_array(&r->spaces, spaces, 0, REGION_MAX_SPACES, sizeof(spaces[0]));
	set_array(&r->iommu.domains, domains, 0, REGION_MAX_DOMAINS, sizeof(domains[0]));
	set_array(&r->iommu.dma_bufs, dma_bufs, 0, REGION_MAX_DMA_BUFS, sizeof(dma_bufs[0]));
	set_array(&r->faults.ring, fault_ring, 0, REGION_FAULT_RING, sizeof(fault_ring[0]));
	r->frames.elem_size = sizeof(struct ptdbg_frame_meta);
#if defined(__aarch64__)
	r->arch = PTDBG_ARCH_AARCH64;
#else
	r->arch = PTDBG_ARCH_X86_64;
#endif
	r->magic = PTDBG_MAGIC;
	__atomic_store_n(&r->generation, 2, __ATOMIC_RELEASE);
}

/* Whether the region is exported. */
int region_enabled(void)
{
	return region_on;
}

/* Begin an update (generation odd); nests. */
void region_begin(void)
{
	if (region_depth++ == 0 && region_on)
		__atomic_add_fetch(&ptdbg_region.generation, 1, __ATOMIC_ACQ_REL);
}

/* End an update (generation even at the outermost level). */
void region_end(void)
{
	if (--region_depth == 0 && region_on)
		__atomic_add_fetch(&ptdbg_region.generation, 1, __ATOMIC_ACQ_REL);
}

/* Record the CPU state. */
void region_set_cpu(const struct ptdbg_cpu *cpu)
{
	if (!region_on)
		return;
	region_begin();
	ptdbg_region.cpu = *cpu;
	region_end();
}

/* Record the AArch64 CPU state. */
void region_set_cpu_arm64(const struct ptdbg_cpu_arm64 *cpu)
{
	if (!region_on)
		return;
	region_begin();
	ptdbg_region.arm64 = *cpu;
	region_end();
}

/* Reference the range-marker table. */
void region_set_markers(const struct ptdbg_marker *m, uint32_t count, uint32_t capacity)
{
	if (!region_on)
		return;
	region_begin();
	set_array(&ptdbg_region.markers, m, count, capacity, sizeof(*m));
	region_end();
}

/* Reference the frame metadata array. */
void region_set_frames(uint64_t meta_phys, uint64_t base_pfn, uint64_t count,
		       uint64_t ram_frames)
{
	if (!region_on)
		return;
	region_begin();
	ptdbg_region.frames.phys = meta_phys;
	ptdbg_region.frames.base_pfn = base_pfn;
	ptdbg_region.frames.count = count;
	ptdbg_region.frames.elem_size = sizeof(struct ptdbg_frame_meta);
	ptdbg_region.frames.ram_frames = ram_frames;
	region_end();
}

/* Update the free-frame count. */
void region_set_free_frames(uint64_t free_frames)
{
	if (region_on)
		ptdbg_region.frames.free_frames = free_frames;
}

/* Add an address space (kept in kernel storage even when the region is off). */
int region_add_space(const char *name, uint32_t kind, uint32_t id, uint64_t root,
		     uint32_t levels)
{
	if (nspaces >= REGION_MAX_SPACES)
		return -1;
	region_begin();
	struct ptdbg_aspace *s = &spaces[nspaces];
	memset(s, 0, sizeof(*s));
	strlcpy_k(s->name, name, sizeof(s->name));
	s->kind = kind;
	s->id = id;
	s->root = root;
	s->levels = levels;
	s->flags = PTDBG_AS_F_LIVE;
	int index = (int)nspaces++;
	if (region_on)
		ptdbg_region.spaces.count = nspaces;
	region_end();
	return index;
}

/* Change a space's root and flags. */
void region_update_space(int index, uint64_t root, uint32_t flags)
{
	if (index < 0 || (uint32_t)index >= nspaces)
		return;
	region_begin();
	spaces[index].root = root;
	spaces[index].flags = flags;
	region_end();
}

/* Flag `index` CURRENT and clear the flag elsewhere. */
void region_set_current_space(int index)
{
	region_begin();
	for (uint32_t i = 0; i < nspaces; i++) {
		if ((int)i == index)
			spaces[i].flags |= PTDBG_AS_F_CURRENT;
		else
			spaces[i].flags &= ~PTDBG_AS_F_CURRENT;
	}
	region_end();
}

/* The recorded space `index`. */
const struct ptdbg_aspace *region_space(int index)
{
	if (index < 0 || (uint32_t)index >= nspaces)
		return 0;
	return &spaces[index];
}

/* Find a live kernel or user space by root. */
int region_space_by_root(uint64_t root)
{
	for (uint32_t i = 0; i < nspaces; i++)
		if (spaces[i].root == root && spaces[i].kind != PTDBG_AS_DEVICE &&
		    (spaces[i].flags & PTDBG_AS_F_LIVE))
			return (int)i;
	return -1;
}

/* Set the IOMMU unit description. */
void region_set_iommu(uint64_t drhd_base, uint64_t root_table, uint32_t mode, uint16_t segment)
{
	if (!region_on)
		return;
	region_begin();
	ptdbg_region.iommu.drhd_base = drhd_base;
	ptdbg_region.iommu.root_table = root_table;
	ptdbg_region.iommu.mode = mode;
	ptdbg_region.iommu.segment = segment;
	ptdbg_region.iommu_kind = PTDBG_IOMMU_KIND_VTD;
	region_end();
}

/* Set the address of the ACPI RSDP the kernel found its tables through. */
void region_set_acpi_rsdp(uint64_t rsdp)
{
	if (!region_on)
		return;
	region_begin();
	ptdbg_region.acpi_rsdp = rsdp;
	region_end();
}

/* Set the address of the ACPI table the kernel found its IOMMU in. */
void region_set_acpi_iommu_table(uint64_t pa)
{
	if (!region_on)
		return;
	region_begin();
	ptdbg_region.acpi_iommu_table = pa;
	region_end();
}

/* Set the SMMUv3 description. */
void region_set_smmu(const struct ptdbg_smmu *s)
{
	if (!region_on)
		return;
	region_begin();
	ptdbg_region.smmu = *s;
	ptdbg_region.iommu_kind = PTDBG_IOMMU_KIND_SMMUV3;
	region_end();
}

static uint32_t ndomains, ndma_bufs;

/* Add a device domain. */
int region_add_domain(const struct ptdbg_domain *d)
{
	if (ndomains >= REGION_MAX_DOMAINS)
		return -1;
	region_begin();
	domains[ndomains] = *d;
	int index = (int)ndomains++;
	if (region_on)
		ptdbg_region.iommu.domains.count = ndomains;
	region_end();
	return index;
}

/* Record a DMA buffer. */
int region_add_dma_buf(const struct ptdbg_dma_buf *b)
{
	if (ndma_bufs >= REGION_MAX_DMA_BUFS)
		return -1;
	region_begin();
	dma_bufs[ndma_bufs] = *b;
	int index = (int)ndma_bufs++;
	if (region_on)
		ptdbg_region.iommu.dma_bufs.count = ndma_bufs;
	region_end();
	return index;
}

/* Change a DMA buffer's status. */
void region_set_dma_status(int index, uint32_t status)
{
	if (index < 0 || (uint32_t)index >= ndma_bufs)
		return;
	region_begin();
	dma_bufs[index].status = status;
	region_end();
}

/* Append a fault record to the ring. */
uint64_t region_log_fault(const struct ptdbg_fault *f)
{
	region_begin();
	uint64_t seq = fault_total++;
	struct ptdbg_fault *slot = &fault_ring[seq % REGION_FAULT_RING];
	*slot = *f;
	slot->seq = seq;
	if (region_on) {
		ptdbg_region.faults.total = fault_total;
		ptdbg_region.faults.ring.count =
			fault_total < REGION_FAULT_RING ? (uint32_t)fault_total : REGION_FAULT_RING;
	}
	region_end();
	return seq;
}

/* Record a panic. */
void region_set_panic(const char *msg, const char *file, uint32_t line, uint64_t rip)
{
	if (!region_on)
		return;
	/* A panic may interrupt an update: make the generation even again first. */
	if (region_depth) {
		region_depth = 0;
		if (ptdbg_region.generation & 1)
			ptdbg_region.generation++;
	}
	region_begin();
	struct ptdbg_panic *p = &ptdbg_region.panic;
	p->rip = rip;
	p->line = line;
	strlcpy_k(p->file, file, sizeof(p->file));
	strlcpy_k(p->msg, msg, sizeof(p->msg));
	ptdbg_region.flags |= PTDBG_REGION_F_PANICKED;
	region_end();
}

/* Set the READY flag. */
void region_set_ready(void)
{
	if (!region_on)
		return;
	region_begin();
	ptdbg_region.flags |= PTDBG_REGION_F_READY;
	region_end();
}

/* Publish the access scenario's cases. */
void region_set_access(const struct ptdbg_access_case *cases, uint32_t count,
		       uint32_t capacity, uint32_t elem_size, uint32_t skipped)
{
	if (!region_on)
		return;
	region_begin();
	set_array(&ptdbg_region.access.cases, cases, count, capacity, elem_size);
	ptdbg_region.access.skipped = skipped;
	ptdbg_region.access.done = 1;
	region_end();
}

/* One timer tick: a single aligned store, outside the generation protocol (a reader
 * sees the count of a moment during its read). */
void region_tick(void)
{
	if (region_on)
		__atomic_store_n(&ptdbg_region.ticks, ptdbg_region.ticks + 1, __ATOMIC_RELAXED);
}
