/* The kernel address space and the two windows. */
#include "core/bootinfo.h"
#include "debug/panic.h"
#include "debug/region.h"
#include "lib/printf.h"
#include "mm/frame.h"
#include "mm/kspace.h"
#include "mm/layout.h"
#include "mm/markers.h"
#include "mm/pte.h"
#include "mm/pt_format.h"

struct pt_space kernel_space;
int kernel_as_index = -1;

extern char boot_stack_bottom[];

static uint64_t untracked_next = UNTRACKED_WIN_BASE;
static uint64_t tracked_next = TRACKED_WIN_BASE;

static void map_or_panic(uint64_t va, uint64_t pa, uint64_t len, uint64_t attrs, uint64_t max_page,
			 const char *what)
{
	int err = pt_map_range(&kernel_space, va, pa, len, attrs, max_page);
	if (err)
		panic("mapping %s at 0x%lx failed (%d)", what, va, err);
}

/* The granule: the kernel space's page size. */
static inline uint64_t gpage(void) { return pt_page_size(&kernel_space); }
static inline uint64_t gpage_up(uint64_t v) { return (v + gpage() - 1) & ~(gpage() - 1); }

static void map_image_section(const char *start, const char *end, uint64_t attrs, const char *what)
{
	uint64_t va = (uint64_t)start;
	map_or_panic(va, kimage_phys(start), gpage_up((uint64_t)(end - start)), attrs, gpage(), what);
}

/* Make the linear-map alias of the image's text and rodata frames read-only (it
 * stays NX like the whole linear map), as Linux does: no frame may be writable at
 * one address and executable at another. Huge pages at the edges are split. */
static void protect_image_alias(void)
{
	uint64_t start = kimage_phys(__text_start);
	uint64_t end = gpage_up(kimage_phys(__rodata_end));
	int err = pt_protect(&kernel_space, LINEAR_BASE + start, end - start, PTE_KERNEL_RO);
	if (err)
		panic("making the linear alias of the kernel image read-only failed (%d)", err);
}

/* Build the kernel page tables, load them (arch_kspace_load) and record the CPU
 * state in the region. */
void kspace_init(void)
{
	uint32_t levels, gshift, va_bits;
	arch_kspace_geometry(&levels, &gshift, &va_bits);
	markers_init(boot_info.max_ram_end);
	kernel_as_index = region_add_space("kernel", PTDBG_AS_KERNEL, 0, 0, levels);
	if (pt_space_init_kernel(&kernel_space, levels, gshift, va_bits, kernel_as_index))
		panic("no memory for the kernel root");
	uint32_t n;
	const struct ptdbg_marker *m = markers_table(&n);
	for (uint32_t i = 0; PTF_SHARED_KERNEL_HALF && i < n; i++) /* shared with user roots */
		if (m[i].start >= KERNEL_HALF_START && pt_prealloc_top(&kernel_space, m[i].start, m[i].end))
			panic("no memory for the kernel's top-level nodes");

	/* Linear map: every RAM range, largest pages that fit, WB, NX. */
	for (int i = 0; i < boot_info.nranges; i++) {
		const struct mem_range *r = &boot_info.ranges[i];
		if (r->type != MEM_RAM)
			continue;
		uint64_t s = gpage_up(r->base);
		uint64_t e = (r->base + r->size) & ~(gpage() - 1);
		if (s < e)
			map_or_panic(LINEAR_BASE + s, s, e - s, PTE_KERNEL_RW, ~0ull, "linear map");
	}
	protect_image_alias();
	map_image_section(__text_start, __text_end, PTE_KERNEL_RX, "kernel text");
	map_image_section(__rodata_start, __rodata_end, PTE_KERNEL_RO, "kernel rodata");
	map_image_section(__data_start, __data_end, PTE_KERNEL_RW, "kernel data");
	/* The page below the boot stack (unused by anything else: boot.S leaves it so)
	 * becomes a guard: a stack overflow faults. */
	pt_unmap(&kernel_space, (uint64_t)boot_stack_bottom - gpage(), gpage());

	arch_kspace_load(&kernel_space);
	region_update_space(kernel_as_index, kernel_space.root, PTDBG_AS_F_LIVE | PTDBG_AS_F_CURRENT);
}

/* Map physical memory into the untracked window. */
void *kspace_map_untracked(uint64_t pa, uint64_t len, uint64_t cache)
{
	uint64_t off = pa & (gpage() - 1);
	uint64_t start = pa - off;
	uint64_t size = gpage_up(len + off);
	uint64_t va = untracked_next;
	if (va + size + gpage() > UNTRACKED_WIN_BASE + UNTRACKED_WIN_SIZE)
		return 0;
	if (pt_map_range(&kernel_space, va, start, size, PTE_KERNEL_DATA(cache), gpage())) {
		pt_unmap(&kernel_space, va, size);
		return 0;
	}
	untracked_next = va + size + gpage(); /* one unmapped page between mappings */
	return (void *)(va + off);
}

/* Unmap an untracked-window mapping. */
void kspace_unmap_untracked(void *va, uint64_t len)
{
	uint64_t v = (uint64_t)va;
	uint64_t off = v & (gpage() - 1);
	pt_unmap(&kernel_space, v - off, gpage_up(len + off));
}

/* Frames of one granule page, allocated together; 0 if none. */
static uint64_t gpage_alloc(uint32_t usage, uint32_t owner)
{
	uint64_t n = gpage() >> PAGE_SHIFT;
	return n == 1 ? frame_alloc(usage, owner) : frame_alloc_contig(n, gpage(), usage, owner);
}

/* Drop the caller's reference on each frame of a granule page. */
static void gpage_put(uint64_t pa)
{
	for (uint64_t off = 0; off < gpage(); off += PAGE_SIZE)
		frame_put(pa + off);
}

/* Allocate tracked pages between guard pages; the allocation is rounded up to
 * whole granule pages, guards are one granule page each. */
void *kspace_alloc_tracked(uint64_t npages)
{
	uint64_t bytes = gpage_up(npages * PAGE_SIZE);
	uint64_t va = tracked_next + gpage(); /* leading guard page */
	if (va + bytes + gpage() > TRACKED_WIN_BASE + TRACKED_WIN_SIZE)
		return 0;
	for (uint64_t off = 0; off < bytes; off += gpage()) {
		uint64_t pa = gpage_alloc(PTDBG_FRAME_TRACKED, (uint32_t)kernel_as_index);
		if (!pa || pt_map(&kernel_space, va + off, pa, gpage(), PTE_KERNEL_RW)) {
			if (pa)
				gpage_put(pa);
			pt_unmap(&kernel_space, va, off);
			return 0;
		}
		gpage_put(pa); /* the mapping now holds the only reference */
	}
	tracked_next = va + bytes; /* trailing guard = next leading guard */
	return (void *)va;
}

/* Free tracked pages (the unmap drops the last references). */
void kspace_free_tracked(void *va, uint64_t npages)
{
	pt_unmap(&kernel_space, (uint64_t)va, gpage_up(npages * PAGE_SIZE));
}
