/* The frame allocator: first fit over the metadata array, lowest address first. */
#include "core/bootinfo.h"
#include "debug/panic.h"
#include "debug/region.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/layout.h"

static struct ptdbg_frame_meta *meta;
static uint64_t nframes, nfree, nram;
static uint64_t low_hint; /* no free frame below this frame number */

static const char *const usage_names[PTDBG_FRAME_USAGE_MAX + 1] = {
	"free", "reserved", "kimage", "pagetable", "tracked", "untracked", "dma", "mmio", "kheap",
};

/* Name of a frame usage. */
const char *frame_usage_name(uint32_t usage)
{
	return usage <= PTDBG_FRAME_USAGE_MAX ? usage_names[usage] : "?";
}

static void set_range(uint64_t start, uint64_t end, uint32_t usage, uint32_t owner)
{
	for (uint64_t pfn = start >> PAGE_SHIFT; pfn < (end + PAGE_SIZE - 1) >> PAGE_SHIFT && pfn < nframes; pfn++) {
		meta[pfn].usage = (uint8_t)usage;
		meta[pfn].owner = owner;
		meta[pfn].refcount = usage == PTDBG_FRAME_FREE || usage == PTDBG_FRAME_RESERVED ? 0 : 1;
	}
}

/* Place the array in low RAM above the kernel image and describe every frame. */
void frames_init(void)
{
	nframes = boot_info.max_ram_end >> PAGE_SHIFT;
	uint64_t bytes = (nframes * sizeof(*meta) + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
	uint64_t kend = kimage_phys(__kernel_end);
	uint64_t meta_pa = 0;
	for (int i = 0; i < boot_info.nranges && !meta_pa; i++) {
		const struct mem_range *r = &boot_info.ranges[i];
		if (r->type != MEM_RAM)
			continue;
		uint64_t start = (r->base + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
		if (start < kend)
			start = kend;
		uint64_t end = r->base + r->size;
		if (end > EARLY_LINEAR_END) /* what the early tables map of the linear map */
			end = EARLY_LINEAR_END;
		if (start < end && end - start >= bytes)
			meta_pa = start;
	}
	if (!meta_pa)
		panic("no room for %lu bytes of frame metadata", bytes);
	meta = phys_to_virt(meta_pa);
	memset(meta, 0, bytes);
	for (uint64_t pfn = 0; pfn < nframes; pfn++) {
		meta[pfn].usage = PTDBG_FRAME_RESERVED;
		meta[pfn].owner = PTDBG_OWNER_NONE;
	}
	for (int i = 0; i < boot_info.nranges; i++) {
		const struct mem_range *r = &boot_info.ranges[i];
		if (r->type != MEM_RAM)
			continue;
		uint64_t s = (r->base + PAGE_SIZE - 1) >> PAGE_SHIFT;
		uint64_t e = (r->base + r->size) >> PAGE_SHIFT;
		for (uint64_t pfn = s; pfn < e; pfn++) {
			meta[pfn].usage = PTDBG_FRAME_FREE;
			nram++;
		}
	}
	meta[0].usage = PTDBG_FRAME_RESERVED; /* never hand out physical page 0 */
	set_range(kimage_phys(__kernel_start), kend, PTDBG_FRAME_KIMAGE, OWNER_KERNEL);
	set_range(meta_pa, meta_pa + bytes, PTDBG_FRAME_KHEAP, OWNER_KERNEL);
	for (uint64_t pfn = 0; pfn < nframes; pfn++)
		if (meta[pfn].usage == PTDBG_FRAME_FREE)
			nfree++;
	if (meta[0].usage != PTDBG_FRAME_FREE && nram && boot_info.ranges[0].type == MEM_RAM &&
	    boot_info.ranges[0].base == 0)
		nram--; /* page 0 is RAM but never usable */
	low_hint = 0;
	region_set_frames(meta_pa, 0, nframes, nram);
	region_begin();
	region_set_free_frames(nfree);
	region_end();
	kprintf("ptdbg: frames: %lu described, %lu RAM, %lu free, metadata at 0x%lx (%lu KiB)\n",
		nframes, nram, nfree, meta_pa, bytes >> 10);
}

/* Metadata of the frame at pa. */
struct ptdbg_frame_meta *frame_meta_of(uint64_t pa)
{
	uint64_t pfn = pa >> PAGE_SHIFT;
	return pfn < nframes ? &meta[pfn] : 0;
}

static uint64_t take(uint64_t pfn, uint32_t usage, uint32_t owner)
{
	region_begin();
	meta[pfn].usage = (uint8_t)usage;
	meta[pfn].owner = owner;
	meta[pfn].refcount = 1;
	meta[pfn].mapcount = 0;
	meta[pfn].pt_level = 0;
	meta[pfn].tracking = 0;
	meta[pfn].flags = 0;
	nfree--;
	region_set_free_frames(nfree);
	region_end();
	uint64_t pa = pfn << PAGE_SHIFT;
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	return pa;
}

/* Allocate one zeroed frame at or above min_pa. */
uint64_t frame_alloc_above(uint64_t min_pa, uint32_t usage, uint32_t owner)
{
	uint64_t pfn = (min_pa + PAGE_SIZE - 1) >> PAGE_SHIFT;
	if (pfn < low_hint)
		pfn = low_hint;
	for (; pfn < nframes; pfn++) {
		if (meta[pfn].usage == PTDBG_FRAME_FREE) {
			if (min_pa <= (low_hint << PAGE_SHIFT))
				low_hint = pfn + 1;
			return take(pfn, usage, owner);
		}
	}
	return 0;
}

/* Allocate the lowest free frame. */
uint64_t frame_alloc(uint32_t usage, uint32_t owner)
{
	return frame_alloc_above(0, usage, owner);
}

/* Allocate exactly the frame at pa. */
uint64_t frame_alloc_at(uint64_t pa, uint32_t usage, uint32_t owner)
{
	uint64_t pfn = pa >> PAGE_SHIFT;
	if ((pa & (PAGE_SIZE - 1)) || pfn >= nframes || meta[pfn].usage != PTDBG_FRAME_FREE)
		return 0;
	return take(pfn, usage, owner);
}

/* Allocate n contiguous frames aligned to align bytes. */
uint64_t frame_alloc_contig(uint64_t n, uint64_t align, uint32_t usage, uint32_t owner)
{
	uint64_t step = align > PAGE_SIZE ? align >> PAGE_SHIFT : 1;
	uint64_t start = (low_hint + step - 1) / step * step;
	for (; start + n <= nframes; start += step) {
		uint64_t i = 0;
		while (i < n && meta[start + i].usage == PTDBG_FRAME_FREE)
			i++;
		if (i == n) {
			region_begin();
			for (i = 0; i < n; i++)
				take(start + i, usage, owner);
			meta[start].flags |= PTDBG_FRAME_F_HUGE_HEAD;
			region_end();
			return start << PAGE_SHIFT;
		}
	}
	return 0;
}

/* Take a reference on the frame at pa. */
void frame_get(uint64_t pa)
{
	struct ptdbg_frame_meta *m = frame_meta_of(pa);
	if (m)
		m->refcount++;
}

/* Drop a reference; free at zero. */
void frame_put(uint64_t pa)
{
	struct ptdbg_frame_meta *m = frame_meta_of(pa);
	if (!m)
		return;
	if (m->usage == PTDBG_FRAME_FREE || m->usage == PTDBG_FRAME_RESERVED) {
		m->refcount--; /* a put on a frame nobody owns: leave the evidence */
		return;
	}
	if (--m->refcount != 0)
		return;
	if (m->usage == PTDBG_FRAME_KIMAGE)
		return;
	region_begin();
	m->usage = PTDBG_FRAME_FREE;
	m->owner = PTDBG_OWNER_NONE;
	m->pt_level = 0;
	m->tracking = 0;
	m->flags = 0;
	nfree++;
	uint64_t pfn = pa >> PAGE_SHIFT;
	if (pfn < low_hint)
		low_hint = pfn;
	region_set_free_frames(nfree);
	region_end();
}

/* Count a new leaf entry mapping pa. */
void frame_map_inc(uint64_t pa)
{
	struct ptdbg_frame_meta *m = frame_meta_of(pa);
	if (m)
		m->mapcount++;
}

/* Count a removed leaf entry that mapped pa. */
void frame_map_dec(uint64_t pa)
{
	struct ptdbg_frame_meta *m = frame_meta_of(pa);
	if (m)
		m->mapcount--;
}

/* Free frames now. */
uint64_t frames_free(void) { return nfree; }
/* Usable RAM frames. */
uint64_t frames_ram(void) { return nram; }
/* Frames described by the array. */
uint64_t frames_count(void) { return nframes; }
