/* The kernel address space and the two windows. */
#include "arch/x86_64/cpu.h"
#include "core/bootinfo.h"
#include "debug/panic.h"
#include "debug/region.h"
#include "lib/printf.h"
#include "mm/frame.h"
#include "mm/kspace.h"
#include "mm/layout.h"
#include "mm/markers.h"
#include "mm/pte.h"

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

static void map_image_section(const char *start, const char *end, uint64_t attrs, const char *what)
{
	uint64_t va = (uint64_t)start;
	map_or_panic(va, kimage_phys(start), (uint64_t)(end - start), attrs, PT_4K, what);
}

/* Make the linear-map alias of the image's text and rodata frames read-only (it
 * stays NX like the whole linear map), as Linux does: no frame may be writable at
 * one address and executable at another. Huge pages at the edges are split. */
static void protect_image_alias(void)
{
	uint64_t start = kimage_phys(__text_start);
	uint64_t end = kimage_phys(__rodata_end);
	int err = pt_protect(&kernel_space, LINEAR_BASE + start, end - start, PTE_KERNEL_RO);
	if (err)
		panic("making the linear alias of the kernel image read-only failed (%d)", err);
}

/* Build the kernel page tables, switch CR3 to them and record the CPU state. */
void kspace_init(void)
{
	uint32_t levels = boot_info.la57 ? 5 : 4;
	markers_init(boot_info.max_ram_end);
	kernel_as_index = region_add_space("kernel", PTDBG_AS_KERNEL, 0, 0, levels);
	if (pt_space_init_kernel(&kernel_space, levels, PAGE_SHIFT, 12 + 9 * levels, kernel_as_index))
		panic("no memory for the kernel root");
	uint32_t n;
	const struct ptdbg_marker *m = markers_table(&n);
	for (uint32_t i = 0; i < n; i++)
		if (m[i].start >= KERNEL_HALF_START && pt_prealloc_top(&kernel_space, m[i].start, m[i].end))
			panic("no memory for the kernel's top-level nodes");

	/* Linear map: every RAM range, largest pages that fit, WB, NX. */
	for (int i = 0; i < boot_info.nranges; i++) {
		const struct mem_range *r = &boot_info.ranges[i];
		if (r->type != MEM_RAM)
			continue;
		uint64_t s = (r->base + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
		uint64_t e = (r->base + r->size) & ~(uint64_t)(PAGE_SIZE - 1);
		if (s < e)
			map_or_panic(LINEAR_BASE + s, s, e - s, PTE_KERNEL_RW, PT_1G, "linear map");
	}
	protect_image_alias();
	map_image_section(__text_start, __text_end, PTE_KERNEL_RX, "kernel text");
	map_image_section(__rodata_start, __rodata_end, PTE_KERNEL_RO, "kernel rodata");
	map_image_section(__data_start, __data_end, PTE_KERNEL_RW, "kernel data");
	/* The page below the boot stack (the early tables' last page, unused from
	 * now on) becomes a guard: a stack overflow faults and ends in #DF. */
	pt_unmap(&kernel_space, (uint64_t)boot_stack_bottom - PAGE_SIZE, PAGE_SIZE);

	write_cr3(kernel_space.root);
	tlb_flush_all();
	region_update_space(kernel_as_index, kernel_space.root, PTDBG_AS_F_LIVE | PTDBG_AS_F_CURRENT);

	struct ptdbg_cpu cpu = {
		.paging_levels = levels,
		.maxphyaddr = cpu_features.maxphyaddr,
		.linaddr_bits = cpu_features.linaddr_bits,
		.pat = cpu_pat(),
		.cr0 = read_cr0(),
		.cr3 = read_cr3(),
		.cr4 = read_cr4(),
		.efer = rdmsr(MSR_EFER),
	};
	region_set_cpu(&cpu);
}

/* Map physical memory into the untracked window. */
void *kspace_map_untracked(uint64_t pa, uint64_t len, uint64_t cache)
{
	uint64_t off = pa & (PAGE_SIZE - 1);
	uint64_t start = pa - off;
	uint64_t size = (len + off + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
	uint64_t va = untracked_next;
	if (va + size + PAGE_SIZE > UNTRACKED_WIN_BASE + UNTRACKED_WIN_SIZE)
		return 0;
	if (pt_map_range(&kernel_space, va, start, size, PTE_G | PTE_RW | PTE_NX | cache, PT_4K)) {
		pt_unmap(&kernel_space, va, size);
		return 0;
	}
	untracked_next = va + size + PAGE_SIZE; /* one unmapped page between mappings */
	return (void *)(va + off);
}

/* Unmap an untracked-window mapping. */
void kspace_unmap_untracked(void *va, uint64_t len)
{
	uint64_t v = (uint64_t)va;
	uint64_t off = v & (PAGE_SIZE - 1);
	pt_unmap(&kernel_space, v - off, (len + off + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1));
}

/* Allocate tracked pages between guard pages. */
void *kspace_alloc_tracked(uint64_t npages)
{
	uint64_t va = tracked_next + PAGE_SIZE; /* leading guard page */
	if (va + (npages + 1) * PAGE_SIZE > TRACKED_WIN_BASE + TRACKED_WIN_SIZE)
		return 0;
	for (uint64_t i = 0; i < npages; i++) {
		uint64_t pa = frame_alloc(PTDBG_FRAME_TRACKED, (uint32_t)kernel_as_index);
		if (!pa || pt_map(&kernel_space, va + i * PAGE_SIZE, pa, PT_4K, PTE_KERNEL_RW)) {
			if (pa)
				frame_put(pa);
			pt_unmap(&kernel_space, va, i * PAGE_SIZE);
			return 0;
		}
		frame_put(pa); /* the mapping now holds the only reference */
	}
	tracked_next = va + npages * PAGE_SIZE; /* trailing guard = next leading guard */
	return (void *)va;
}

/* Free tracked pages (the unmap drops the last references). */
void kspace_free_tracked(void *va, uint64_t npages)
{
	pt_unmap(&kernel_space, (uint64_t)va, npages * PAGE_SIZE);
}
