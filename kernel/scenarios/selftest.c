/*
 * selftest: in-kernel tests of the page-table module and the memory model. Each
 * test prints "selftest: ok NAME" or "selftest: FAIL NAME: why"; every test also
 * checks that the free-frame count is the same before and after (no leak). The
 * scenario ends by exiting QEMU (drivers/qemu_exit.h): x86-64 through isa-debug-exit
 * (status 33 pass, 35 fail), AArch64 through semihosting (0 pass, 1 fail).
 *
 * The leaf-levels and split-levels tests walk every level of the space's geometry,
 * so one run per granule covers every level a granule has; the x86-64 tests named
 * by page size keep their x86 encodings.
 */
#include "arch/cpu.h"
#include "arch/probe.h"
#include "debug/region.h"
#include "drivers/qemu_exit.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/kspace.h"
#include "mm/layout.h"
#include "mm/markers.h"
#include "mm/pt.h"
#include "mm/pt_format.h"
#include "mm/pte.h"
#include "proc/process.h"
#include "scenarios/scenario.h"
#include "uapi/syscall.h"

static int failures, passes;
static const char *fail_why;
static char fail_buf[160];

#define CHECK(cond) do { if (!(cond)) { \
	ksnprintf(fail_buf, sizeof(fail_buf), "%s (line %d)", #cond, __LINE__); \
	fail_why = fail_buf; return; } } while (0)

/* Scratch user space for the page-table tests. */
static struct pt_space us;
static int us_owner = -1;

#define UVA 0x0000000200000000ull /* 8 GiB: 1 GiB aligned, in user space */
/* A 1 GiB aligned spot inside the untracked window, far from the allocator's. */
#if defined(__aarch64__)
#define KWIN (UNTRACKED_WIN_BASE + 0x200000000ull)
#else
#define KWIN (UNTRACKED_WIN_BASE + 0x8000000000ull)
#endif

/* The node (page-table page) holding entry e. */
static uint64_t node_of(const struct pt_space *s, const uint64_t *e)
{
	return virt_to_phys(e) & ~(pt_page_size(s) - 1);
}
static uint64_t gpage(void) { return pt_page_size(&kernel_space); }
/* Physical memory an untracked block of `size` maps: the aligned block holding
 * the kernel image (RAM on every machine). */
static uint64_t untracked_base(uint64_t size) { return kimage_phys(__kernel_start) & ~(size - 1); }
/* The tracking status the node holding entry e at `level` must have: what the
 * markers say of the range it covers. */
static uint32_t tracking_of_node(const struct pt_space *s, uint64_t va, int level)
{
	if (level == (int)s->levels)
		return markers_tracking_for(ptf_canonical(s, 0), ptf_canonical(s, ~0ull));
	uint64_t span = pt_level_size(s, level + 1);
	uint64_t base = ptf_canonical(s, va & ~(span - 1));
	return markers_tracking_for(base, base + span - 1);
}

static struct ptdbg_frame_meta *meta(uint64_t pa) { return frame_meta_of(pa); }

static void t_frames(void)
{
	uint64_t a = frame_alloc(PTDBG_FRAME_TRACKED, OWNER_KERNEL);
	CHECK(a && meta(a)->refcount == 1 && meta(a)->usage == PTDBG_FRAME_TRACKED);
	frame_get(a);
	frame_put(a);
	CHECK(meta(a)->usage == PTDBG_FRAME_TRACKED);
	frame_put(a);
	CHECK(meta(a)->usage == PTDBG_FRAME_FREE && meta(a)->refcount == 0);
	uint64_t b = frame_alloc_at(a, PTDBG_FRAME_TRACKED, OWNER_KERNEL);
	CHECK(b == a);
	CHECK(frame_alloc_at(a, PTDBG_FRAME_TRACKED, OWNER_KERNEL) == 0); /* taken */
	frame_put(b);
	uint64_t top = frames_count() << PAGE_SHIFT;
	uint64_t c = frame_alloc_above(top / 2, PTDBG_FRAME_TRACKED, OWNER_KERNEL);
	CHECK(c >= top / 2);
	frame_put(c);
	CHECK(frame_alloc_at(0, PTDBG_FRAME_TRACKED, OWNER_KERNEL) == 0); /* page 0 reserved */
	if (top > 0x200001000ull) { /* the frame at exactly 8 GiB (BUGS.md section 1) */
		uint64_t g = frame_alloc_at(0x200000000ull, PTDBG_FRAME_DMA, OWNER_KERNEL);
		CHECK(g == 0x200000000ull && meta(g)->usage == PTDBG_FRAME_DMA);
		frame_put(g);
	}
	uint64_t h = frame_alloc_contig(512, PT_2M, PTDBG_FRAME_TRACKED, OWNER_KERNEL);
	CHECK(h && !(h & (PT_2M - 1)) && (meta(h)->flags & PTDBG_FRAME_F_HUGE_HEAD));
	for (uint64_t i = 0; i < 512; i++)
		frame_put(h + i * PAGE_SIZE);
}

#if defined(__x86_64__)
static void t_map_4k(void)
{
	uint64_t pa = frame_alloc(PTDBG_FRAME_TRACKED, (uint32_t)us_owner);
	CHECK(pa);
	CHECK(pt_map(&us, UVA, pa, PT_4K, PTE_US | PTE_RW | PTE_NX) == 0);
	CHECK(pt_map(&us, UVA, pa, PT_4K, PTE_US) == -17); /* EEXIST */
	CHECK(meta(pa)->refcount == 2 && meta(pa)->mapcount == 1);
	uint64_t pte;
	CHECK(pt_translate(&us, UVA + 0x123, &pte) == pa + 0x123);
	CHECK((pte & (PTE_P | PTE_RW | PTE_US | PTE_NX)) == (PTE_P | PTE_RW | PTE_US | PTE_NX));
	int level;
	pt_walk(&us, UVA, &level);
	CHECK(level == 1);
	/* the nodes created for a user address are tracked */
	uint64_t *e = pt_walk(&us, UVA, &level);
	struct ptdbg_frame_meta *node = meta(virt_to_phys(e) & PTE_ADDR_MASK);
	CHECK(node->usage == PTDBG_FRAME_PT && node->pt_level == 1 && node->tracking == PTDBG_TRACK_TRACKED);
	CHECK(pt_count_nodes(&us) == us.levels);
	frame_put(pa);
	CHECK(pt_unmap(&us, UVA, PT_4K) == 0);
	CHECK(meta(pa)->usage == PTDBG_FRAME_FREE);
	CHECK(pt_count_nodes(&us) == 1); /* empty nodes freed */
	CHECK(pt_translate(&us, UVA, 0) == ~0ull);
}

static void t_map_2m(void)
{
	uint64_t h = frame_alloc_contig(512, PT_2M, PTDBG_FRAME_TRACKED, (uint32_t)us_owner);
	CHECK(h);
	CHECK(pt_map(&us, UVA + PT_2M, h, PT_2M, PTE_US | PTE_NX) == 0);
	int level;
	uint64_t *e = pt_walk(&us, UVA + PT_2M + 0x5000, &level);
	CHECK(level == 2 && (*e & PTE_PS));
	CHECK(pt_translate(&us, UVA + PT_2M + 0x5008, 0) == h + 0x5008);
	for (uint64_t i = 0; i < 512; i++) {
		CHECK(meta(h + i * PAGE_SIZE)->refcount == 2 && meta(h + i * PAGE_SIZE)->mapcount == 1);
		frame_put(h + i * PAGE_SIZE);
	}
	/* a 4K map inside the huge page must fail */
	CHECK(pt_map(&us, UVA + PT_2M, h, PT_4K, PTE_US) == -17);
	CHECK(pt_unmap(&us, UVA + PT_2M, PT_2M) == 0);
	CHECK(meta(h)->usage == PTDBG_FRAME_FREE);
	CHECK(pt_count_nodes(&us) == 1);
}

static void t_map_1g_untracked(void)
{
	if (!cpu_features.pdpe1gb)
		return;
	/* 1 GiB of physical memory from 0, untracked: no references, mapcounts only */
	uint64_t pa = PAGE_SIZE * 256; /* some RAM frame inside [0, 1 GiB) */
	int32_t ref = meta(pa)->refcount;
	uint32_t maps = meta(pa)->mapcount;
	CHECK(pt_map(&kernel_space, KWIN, 0, PT_1G, PTE_KERNEL_RO) == 0);
	CHECK(meta(pa)->refcount == ref && meta(pa)->mapcount == maps + 1);
	int level;
	uint64_t *e = pt_walk(&kernel_space, KWIN, &level);
	CHECK(level == 3);
	struct ptdbg_frame_meta *node = meta(virt_to_phys(e) & PTE_ADDR_MASK);
	CHECK(node->tracking == PTDBG_TRACK_UNTRACKED && node->pt_level == 3);
	uint64_t a, b;
	CHECK(probe_read_u64((void *)(KWIN + pa), &a) == 0);
	CHECK(probe_read_u64(phys_to_virt(pa), &b) == 0 && a == b);
	CHECK(probe_write_u64((void *)(KWIN + pa), a) == -1); /* read-only: fault caught */
	CHECK(pt_unmap(&kernel_space, KWIN, PT_1G) == 0);
	CHECK(meta(pa)->refcount == ref && meta(pa)->mapcount == maps);
	CHECK(probe_read_u64((void *)(KWIN + pa), &a) == -1); /* gone: fault caught */
}

static void t_protect_levels(void)
{
	/* 4 KiB in the kernel's untracked window */
	uint64_t pa = frame_alloc(PTDBG_FRAME_UNTRACKED, OWNER_KERNEL);
	CHECK(pa);
	CHECK(pt_map(&kernel_space, KWIN, pa, PT_4K, PTE_KERNEL_RW) == 0);
	CHECK(probe_write_u64((void *)KWIN, 42) == 0);
	CHECK(pt_protect(&kernel_space, KWIN, PT_4K, PTE_KERNEL_RO) == 0);
	uint64_t v;
	CHECK(probe_write_u64((void *)KWIN, 43) == -1);
	CHECK(probe_read_u64((void *)KWIN, &v) == 0 && v == 42);
	CHECK(pt_unmap(&kernel_space, KWIN, PT_4K) == 0);
	CHECK(meta(pa)->refcount == 1 && meta(pa)->mapcount == 0); /* untracked: untouched */
	frame_put(pa);
	/* 2 MiB leaf */
	CHECK(pt_map(&kernel_space, KWIN, 0, PT_2M, PTE_KERNEL_RO) == 0);
	CHECK(pt_protect(&kernel_space, KWIN, PT_2M, PTE_KERNEL_RW) == 0);
	int level;
	uint64_t *e = pt_walk(&kernel_space, KWIN, &level);
	CHECK(level == 2 && (*e & PTE_RW) && (*e & PTE_PS));
	CHECK(pt_unmap(&kernel_space, KWIN, PT_2M) == 0);
	/* 1 GiB leaf */
	if (cpu_features.pdpe1gb) {
		CHECK(pt_map(&kernel_space, KWIN, 0, PT_1G, PTE_KERNEL_RW) == 0);
		CHECK(pt_protect(&kernel_space, KWIN, PT_1G, PTE_KERNEL_RO) == 0);
		e = pt_walk(&kernel_space, KWIN, &level);
		CHECK(level == 3 && !(*e & PTE_RW));
		CHECK(pt_unmap(&kernel_space, KWIN, PT_1G) == 0);
	}
	/* user space: tracked 4 KiB page made read-only and executable */
	uint64_t u = frame_alloc(PTDBG_FRAME_TRACKED, (uint32_t)us_owner);
	CHECK(pt_map(&us, UVA, u, PT_4K, PTE_US | PTE_RW | PTE_NX) == 0);
	frame_put(u);
	CHECK(pt_protect(&us, UVA, PT_4K, PTE_US) == 0);
	uint64_t pte;
	pt_translate(&us, UVA, &pte);
	CHECK(!(pte & PTE_RW) && !(pte & PTE_NX) && (pte & PTE_US));
	CHECK(meta(u)->refcount == 1 && meta(u)->mapcount == 1);
	CHECK(pt_unmap(&us, UVA, PT_4K) == 0);
	CHECK(meta(u)->usage == PTDBG_FRAME_FREE);
}

static void t_split(void)
{
	/* split a tracked 2 MiB leaf: same translations, same counts, one more node */
	uint64_t h = frame_alloc_contig(512, PT_2M, PTDBG_FRAME_TRACKED, (uint32_t)us_owner);
	CHECK(h);
	CHECK(pt_map(&us, UVA, h, PT_2M, PTE_US | PTE_RW | PTE_NX) == 0);
	for (uint64_t i = 0; i < 512; i++)
		frame_put(h + i * PAGE_SIZE);
	uint64_t nodes = pt_count_nodes(&us);
	CHECK(pt_split(&us, UVA + 0x3000, 2) == 0);
	CHECK(pt_count_nodes(&us) == nodes + 1);
	for (uint64_t off = 0; off < PT_2M; off += 0x41000)
		CHECK(pt_translate(&us, UVA + off, 0) == h + off);
	CHECK(meta(h + 0x7000)->refcount == 1 && meta(h + 0x7000)->mapcount == 1);
	int level;
	pt_walk(&us, UVA, &level);
	CHECK(level == 1);
	CHECK(pt_split(&us, UVA, 2) == -2); /* ENOENT: no huge leaf any more */
	/* unmap the middle page: a hole, the rest still mapped */
	CHECK(pt_unmap(&us, UVA + 0x10000, PT_4K) == 0);
	CHECK(meta(h + 0x10000)->usage == PTDBG_FRAME_FREE);
	CHECK(pt_translate(&us, UVA + 0x10000, 0) == ~0ull);
	CHECK(pt_translate(&us, UVA + 0x11000, 0) == h + 0x11000);
	CHECK(pt_unmap(&us, UVA, PT_2M) == 0);
	CHECK(meta(h)->usage == PTDBG_FRAME_FREE && meta(h + 0x1ff000)->usage == PTDBG_FRAME_FREE);
	CHECK(pt_count_nodes(&us) == 1);
	if (!cpu_features.pdpe1gb)
		return;
	/* split a 1 GiB untracked leaf, then unmap a 4K page inside (split again) */
	CHECK(pt_map(&kernel_space, KWIN, 0, PT_1G, PTE_KERNEL_RO) == 0);
	CHECK(pt_split(&kernel_space, KWIN + 0x1234000, 3) == 0);
	pt_walk(&kernel_space, KWIN + 0x1234000, &level);
	CHECK(level == 2);
	uint64_t pa = 0x300000;
	uint32_t maps = meta(pa)->mapcount;
	CHECK(pt_unmap(&kernel_space, KWIN + pa, PT_4K) == 0);
	uint64_t v;
	CHECK(probe_read_u64((void *)(KWIN + pa), &v) == -1);
	CHECK(probe_read_u64((void *)(KWIN + pa + PT_4K), &v) == 0);
	CHECK(meta(pa)->mapcount == maps - 1);
	CHECK(pt_unmap(&kernel_space, KWIN, PT_1G) == 0);
	CHECK(meta(pa + PT_4K)->mapcount == maps - 1);
}

#endif

/* A leaf at every level the format allows: map, walk, translate, protect, unmap.
 * Levels up to 32 MiB map tracked frames of the user space; larger ones map
 * physical memory from 0 untracked in the kernel's untracked window. */
static void t_leaf_levels(void)
{
	for (int l = 1; l <= (int)us.levels; l++) {
		if (!ptf_leaf_ok(&us, l))
			continue;
		uint64_t size = pt_level_size(&us, l);
		int tracked = size <= (32ull << 20);
		struct pt_space *s = tracked ? &us : &kernel_space;
		uint64_t va = tracked ? UVA : KWIN;
		uint64_t n = size >> PAGE_SHIFT;
		uint64_t pa = tracked ? (n == 1 ? frame_alloc(PTDBG_FRAME_TRACKED, (uint32_t)us_owner)
				      : frame_alloc_contig(n, size, PTDBG_FRAME_TRACKED, (uint32_t)us_owner))
				      : untracked_base(size);
		CHECK(!tracked || pa);
		uint64_t probe = pa + (size > PAGE_SIZE ? size / 2 + PAGE_SIZE : 0); /* a frame inside */
		uint64_t img = kimage_phys(__text_start);
		uint32_t maps = meta(tracked ? pa : img)->mapcount;
		uint64_t attrs = tracked ? uspace_prot_attrs(PROT_READ | PROT_WRITE) : PTE_KERNEL_RW;
		CHECK(pt_map(s, va, pa, size, attrs) == 0);
		CHECK(pt_map(s, va, pa, size, attrs) == -17); /* EEXIST */
		if (tracked) {
			CHECK(meta(probe)->refcount == 2 && meta(probe)->mapcount == 1);
			for (uint64_t i = 0; i < n; i++)
				frame_put(pa + i * PAGE_SIZE); /* the mapping holds them now */
		} else {
			CHECK(meta(img)->mapcount == maps + 1 && meta(img)->refcount == 1);
		}
		int level;
		uint64_t *e = pt_walk(s, va + size / 2, &level);
		CHECK(level == l && ptf_valid(*e) && ptf_is_leaf(*e, l) && pte_writable(*e));
		struct ptdbg_frame_meta *node = meta(node_of(s, e));
		CHECK(node->usage == PTDBG_FRAME_PT && node->pt_level == l);
		CHECK(node->tracking == tracking_of_node(s, va, l));
		CHECK(!tracked || node->tracking == PTDBG_TRACK_TRACKED);
		CHECK(pt_translate(s, va + size - 8, 0) == pa + size - 8);
		CHECK(pt_protect(s, va, size, tracked ? uspace_prot_attrs(PROT_READ) : PTE_KERNEL_RO) == 0);
		e = pt_walk(s, va, &level);
		CHECK(level == l && !pte_writable(*e));
		if (!tracked) {
			uint64_t v;
			CHECK(probe_write_u64((void *)(va + size - 8), 0) == -1); /* read-only: caught */
			CHECK(probe_read_u64((void *)(va + size - 8), &v) == 0 || pa + size > frames_count() << PAGE_SHIFT);
		}
		CHECK(pt_unmap(s, va, size) == 0);
		CHECK(pt_translate(s, va, 0) == ~0ull);
		if (tracked)
			CHECK(meta(probe)->usage == PTDBG_FRAME_FREE);
		else
			CHECK(meta(img)->mapcount == maps);
		if (tracked)
			CHECK(pt_count_nodes(&us) == 1); /* empty nodes freed */
	}
	/* A size no level maps, and misalignment, are refused. */
	CHECK(pt_map(&us, UVA, 0, 3 * pt_page_size(&us), uspace_prot_attrs(PROT_READ)) == -22);
	CHECK(pt_map(&us, UVA + PAGE_SIZE / 2, 0, pt_page_size(&us), uspace_prot_attrs(PROT_READ)) == -22);
}

/* Split a block at every level that has them: the translations and counts stay,
 * one node more; then a hole in the middle splits the rest of the way down. */
static void t_split_levels(void)
{
	for (int l = 2; l <= (int)us.levels; l++) {
		if (!ptf_leaf_ok(&us, l))
			continue;
		uint64_t size = pt_level_size(&us, l);
		int tracked = size <= (32ull << 20);
		struct pt_space *s = tracked ? &us : &kernel_space;
		uint64_t va = tracked ? UVA : KWIN;
		uint64_t page = pt_page_size(s);
		uint64_t n = size >> PAGE_SHIFT;
		uint64_t pa = tracked ? frame_alloc_contig(n, size, PTDBG_FRAME_TRACKED, (uint32_t)us_owner)
				      : untracked_base(size);
		CHECK(!tracked || pa);
		CHECK(pt_map(s, va, pa, size, tracked ? uspace_prot_attrs(PROT_READ | PROT_WRITE) : PTE_KERNEL_RO) == 0);
		for (uint64_t i = 0; tracked && i < n; i++)
			frame_put(pa + i * PAGE_SIZE);
		uint64_t nodes = pt_count_nodes(s);
		CHECK(pt_split(s, va + page, l) == 0);
		CHECK(pt_count_nodes(s) == nodes + 1);
		int level;
		pt_walk(s, va, &level);
		CHECK(level == l - 1);
		CHECK(pt_split(s, va, l) == -2); /* ENOENT: no block there any more */
		for (uint64_t off = 0; off < size; off += size / 8 + page)
			CHECK(pt_translate(s, va + off, 0) == pa + off);
		uint64_t mid = size / 2;
		if (tracked)
			CHECK(meta(pa + mid)->refcount == 1 && meta(pa + mid)->mapcount == 1);
		CHECK(pt_unmap(s, va + mid, page) == 0);
		CHECK(pt_translate(s, va + mid, 0) == ~0ull);
		CHECK(pt_translate(s, va + mid + page, 0) == pa + mid + page);
		pt_walk(s, va + mid + page, &level);
		CHECK(level == 1);
		if (tracked)
			CHECK(meta(pa + mid)->usage == PTDBG_FRAME_FREE);
		else {
			uint64_t v;
			CHECK(probe_read_u64((void *)(va + mid), &v) == -1); /* gone: fault caught */
		}
		CHECK(pt_unmap(s, va, size) == 0);
		if (tracked) {
			CHECK(meta(pa)->usage == PTDBG_FRAME_FREE);
			CHECK(pt_count_nodes(&us) == 1);
		}
	}
}

/* BUGS.md section 3: map a large untracked range, unmap part of it, then all. No
 * reference count may move; the nodes must all be untracked. */
static void t_untracked_map_unmap(void)
{
	/* eight level-2 blocks and 64 pages of physical memory from below the kernel
	 * image (x86-64: [0, 16.25 MiB)), the image and frame metadata included */
	uint64_t l2 = pt_level_size(&kernel_space, 2), page = gpage();
	uint64_t len = 8 * l2 + 64 * page;
	uint64_t img = kimage_phys(__text_start);
	uint64_t base = (img - page) & ~(l2 - 1); /* the image past the first page */
	int32_t ref = meta(img)->refcount;
	uint32_t maps = meta(img)->mapcount;
	CHECK(pt_map_range(&kernel_space, KWIN, base, len, PTE_KERNEL_RW, l2) == 0);
	CHECK(meta(img)->mapcount == maps + 1);
	int level;
	uint64_t *e = pt_walk(&kernel_space, KWIN + 8 * l2, &level);
	CHECK(level == 1 && meta(node_of(&kernel_space, e))->tracking == PTDBG_TRACK_UNTRACKED);
	CHECK(tracking_of_node(&kernel_space, KWIN + 8 * l2, 1) == PTDBG_TRACK_UNTRACKED);
	e = pt_walk(&kernel_space, KWIN, &level);
	CHECK(level == (ptf_leaf_ok(&kernel_space, 2) ? 2 : 1));
	CHECK(meta(node_of(&kernel_space, e))->tracking == tracking_of_node(&kernel_space, KWIN, level));
	CHECK(pt_unmap(&kernel_space, KWIN + page, 3 * l2) == 0); /* part, splitting */
	CHECK(meta(img)->refcount == ref && meta(img)->mapcount == maps);
	CHECK(pt_unmap(&kernel_space, KWIN, len) == 0);
	CHECK(meta(img)->refcount == ref && meta(img)->mapcount == maps);
	CHECK(meta(kimage_phys(&ptdbg_region))->refcount == 1);
}

static void t_tracked_window(void)
{
	uint64_t page = gpage(), bytes = (3 * PAGE_SIZE + page - 1) & ~(page - 1);
	uint8_t *p = kspace_alloc_tracked(3);
	CHECK(p);
	uint64_t pa = pt_translate(&kernel_space, (uint64_t)p + PAGE_SIZE, 0);
	CHECK(pa != ~0ull && meta(pa)->refcount == 1 && meta(pa)->usage == PTDBG_FRAME_TRACKED);
	CHECK(probe_write_u64(p + 2 * PAGE_SIZE, 1) == 0);
	uint64_t v;
	CHECK(probe_read_u64(p - 8, &v) == -1);             /* guard below */
	CHECK(probe_read_u64(p + bytes, &v) == -1);         /* guard above */
	int level;
	uint64_t *e = pt_walk(&kernel_space, (uint64_t)p, &level);
	CHECK(meta(node_of(&kernel_space, e))->tracking == PTDBG_TRACK_TRACKED);
	kspace_free_tracked(p, 3);
	CHECK(meta(pa)->usage == PTDBG_FRAME_FREE);
}

static void t_kernel_layout(void)
{
	uint64_t pte;
#if defined(__aarch64__)
	extern char kmain_a64[];
	char *code = kmain_a64;
#else
	extern char kmain[];
	char *code = kmain;
#endif
	CHECK(pt_translate(&kernel_space, (uint64_t)code, &pte) == kimage_phys(code));
	CHECK(!pte_writable(pte) && pte_kernel_exec(pte) && !pte_user_ok(pte));
	CHECK(pt_translate(&kernel_space, (uint64_t)&ptdbg_region, &pte) != ~0ull);
	CHECK(pte_writable(pte) && !pte_kernel_exec(pte));
	CHECK(pt_translate(&kernel_space, (uint64_t)__rodata_start, &pte) != ~0ull);
	CHECK(!pte_writable(pte) && !pte_kernel_exec(pte));
	CHECK(probe_write_u64(__rodata_start, 0) == -1); /* rodata is read-only */
	CHECK(probe_write_u64(code, 0) == -1);           /* and so is text */
#if defined(__x86_64__)
	CHECK(read_cr0() & CR0_WP);
#else
	CHECK(read_sysreg(sctlr_el1) & ARM64_SCTLR_WXN);
#endif
	uint64_t ram = kimage_phys(__kernel_start) - 0x100000; /* RAM below the image */
	CHECK(pt_translate(&kernel_space, LINEAR_BASE + ram, &pte) == ram);
	CHECK(!pte_kernel_exec(pte) && !pte_user_ok(pte));
	CHECK(pt_translate(&kernel_space, LINEAR_BASE + kimage_phys(code), &pte) == kimage_phys(code));
	CHECK(!pte_writable(pte) && !pte_kernel_exec(pte)); /* the image's linear alias */
}

static void t_user_process(void)
{
	uint64_t faults = ptdbg_region.faults.total;
	struct process *p = proc_create("selftest-alpha", "alpha");
	CHECK(p);
	CHECK(proc_run(p) == PROC_PAUSED);
	CHECK(!region_enabled() || ptdbg_region.faults.total > faults);
	CHECK(proc_run(p) == PROC_PAUSED); /* its second phase, then it pauses again */
	CHECK(proc_run(p) == PROC_EXITED && p->exit_code == 0);
	proc_reap(p);
	CHECK(!(region_space(p->us.pt.owner)->flags & PTDBG_AS_F_LIVE));
}

static void t_user_kill(void)
{
	struct process *p = proc_create("selftest-crash", "crash");
	CHECK(p);
	CHECK(proc_run(p) == PROC_KILLED);
	CHECK(!region_enabled() ||
	      ((struct ptdbg_fault *)phys_to_virt(ptdbg_region.faults.ring.phys))
	      [(ptdbg_region.faults.total - 1) % ptdbg_region.faults.ring.capacity].outcome == PTDBG_FAULT_KILLED);
	proc_reap(p);
}

struct selftest {
	const char *name;
	void (*fn)(void);
};

static const struct selftest tests[] = {
	{ "frames", t_frames },
#if defined(__x86_64__)
	{ "map-4k", t_map_4k },
	{ "map-2m", t_map_2m },
	{ "map-1g-untracked", t_map_1g_untracked },
	{ "protect-levels", t_protect_levels },
	{ "split-huge", t_split },
#endif
	{ "leaf-levels", t_leaf_levels },
	{ "split-levels", t_split_levels },
	{ "untracked-map-unmap", t_untracked_map_unmap },
	{ "tracked-window", t_tracked_window },
	{ "kernel-layout", t_kernel_layout },
	{ "user-process", t_user_process },
	{ "user-kill", t_user_kill },
};

static void run(void)
{
	us_owner = region_add_space("selftest", PTDBG_AS_USER, 0, 0, kernel_space.levels);
	if (pt_space_init_user(&us, &kernel_space, us_owner)) {
		kprintf("selftest: FAIL setup: no memory\n");
		qemu_exit(QEMU_EXIT_FAIL);
	}
	region_update_space(us_owner, us.root, PTDBG_AS_F_LIVE);
	for (unsigned i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		uint64_t before = frames_free();
		fail_why = 0;
		tests[i].fn();
		uint64_t after = frames_free();
		if (!fail_why && after != before) {
			ksnprintf(fail_buf, sizeof(fail_buf), "frame leak: %lu free before, %lu after",
				  before, after);
			fail_why = fail_buf;
		}
		if (fail_why) {
			failures++;
			kprintf("selftest: FAIL %s: %s\n", tests[i].name, fail_why);
		} else {
			passes++;
			kprintf("selftest: ok %s\n", tests[i].name);
		}
	}
	kprintf("selftest: %d passed, %d failed (%u-level paging, %lu KiB granule, %u-bit)\n", passes,
		failures, us.levels, pt_page_size(&us) >> 10, us.va_bits);
	qemu_exit(failures ? QEMU_EXIT_FAIL : QEMU_EXIT_PASS);
}

const struct scenario scenario_selftest = {
	.name = "selftest",
	.summary = "in-kernel tests of the page-table module; exits QEMU with pass or fail",
	.bugs = { 0 },
	.run = run,
};
