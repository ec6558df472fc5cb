/*
 * untracked-pt: Asterinas' test_untracked_map_unmap (shared/BUGS.md section 3). Map
 * a physical range of several MiB into the untracked window with 4 KiB pages (four
 * PTE tables under two PDs, across 2 MiB and 1 GiB boundaries), then unmap the first
 * 4 MiB: two PTE tables and one PD become empty and are freed. That first part
 * covers the frames of a live process (alpha, paused) and of a tracked-window
 * buffer, then free frames; the rest is a buffer the kernel holds and stays mapped.
 *
 * Fixed: the nodes are UNTRACKED; no reference count moves. bug=untracked-as-tracked:
 * the predicate calls the window tracked, the nodes are TRACKED, and freeing them
 * drops references they never took: free frames go negative, alpha's frames and the
 * buffer's go back to the allocator while still mapped. Nothing allocates after the
 * damage, so the kernel idles on (ready) for inspection.
 */
#include "core/cmdline.h"
#include "debug/panic.h"
#include "debug/region.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "mm/bugs.h"
#include "mm/frame.h"
#include "mm/kspace.h"
#include "mm/layout.h"
#include "mm/pt.h"
#include "mm/pte.h"
#include "proc/process.h"
#include "scenarios/scenario.h"

/* Virtual: 4 MiB below the 4 GiB mark of the untracked window (far from the
 * allocator's mappings at its start). Physical: from the first 2 MiB boundary above
 * the frame metadata. */
#define MAP_VA      (UNTRACKED_WIN_BASE + 0x100000000ul - 0x400000ul)
#define MAP_LEN     (0x600000ul + 0x20000ul) /* 6 MiB + 128 KiB: PTE tables 2 + 2 */
#define UNMAP_LEN   0x400000ul                 /* the first two PTE tables and their PD */
#define BALLAST_MAX 4096
#define BUF_PAGES   4

static uint64_t ballast[BALLAST_MAX];

/* Hold every free frame below `floor` (lowest-first allocator) so that what is
 * allocated next comes from above it; returns how many were taken. */
static int take_ballast(uint64_t floor)
{
	int n = 0;
	while (n < BALLAST_MAX) {
		uint64_t pa = frame_alloc(PTDBG_FRAME_UNTRACKED, OWNER_KERNEL);
		if (!pa)
			break;
		if (pa >= floor) {
			frame_put(pa);
			break;
		}
		ballast[n++] = pa;
	}
	return n;
}

static void drop_ballast(int n)
{
	for (int i = 0; i < n; i++)
		frame_put(ballast[i]);
}

/* Take the free frames of [pa, pa+len) as the kernel's own untracked buffer (kept
 * mapped for good); returns how many. */
static uint64_t hold_range(uint64_t pa, uint64_t len)
{
	uint64_t n = 0;
	for (uint64_t p = pa; p < pa + len; p += PAGE_SIZE)
		n += frame_alloc_at(p, PTDBG_FRAME_UNTRACKED, OWNER_KERNEL) != 0;
	return n;
}

struct range_damage {
	uint64_t negative, freed_in_use, min_ref_pa;
	int32_t min_ref;
};

/* Count frames of [pa, pa+len) with a negative count. */
static void scan_range(uint64_t pa, uint64_t len, struct range_damage *d)
{
	memset(d, 0, sizeof(*d));
	for (uint64_t p = pa; p < pa + len; p += PAGE_SIZE) {
		const struct ptdbg_frame_meta *m = frame_meta_of(p);
		if (m->refcount < 0)
			d->negative++;
		if (m->refcount < d->min_ref) {
			d->min_ref = m->refcount;
			d->min_ref_pa = p;
		}
	}
}

/* Report a page still mapped at va in space s whose frame the allocator owns. */
static int check_victim(const char *who, const struct pt_space *s, uint64_t va)
{
	uint64_t pa = pt_translate(s, va, 0);
	if (pa == ~0ull)
		return 0;
	const struct ptdbg_frame_meta *m = frame_meta_of(pa);
	int freed = m->usage == PTDBG_FRAME_FREE;
	if (freed)
		kprintf("ptdbg: untracked-pt: %s page 0x%lx -> frame 0x%lx: usage %s, refcount %d, "
			"still mapped\n", who, va, pa & ~0xffful, frame_usage_name(m->usage), m->refcount);
	return freed;
}

static void run(void)
{
	mm_bugs.untracked_as_tracked = bug_enabled("untracked-as-tracked");
	const struct ptdbg_frame_meta *meta0 = frame_meta_of(0);
	uint64_t meta_end = virt_to_phys(meta0) + frames_count() * sizeof(*meta0);
	uint64_t phys = (meta_end + PT_2M - 1) & ~(PT_2M - 1);

	/* The victims, allocated from the start of the physical range. */
	int held = take_ballast(phys);
	struct process *alpha = proc_create("alpha", "alpha");
	uint8_t *buf = kspace_alloc_tracked(BUF_PAGES);
	if (!alpha || !buf)
		panic("cannot create the untracked-pt victims");
	memset(buf, 0x77, BUF_PAGES * PAGE_SIZE);
	if (proc_run(alpha) != PROC_PAUSED)
		panic("alpha did not pause");
	drop_ballast(held);
	uint64_t buf_pa = pt_translate(&kernel_space, (uint64_t)buf, 0);
	kprintf("ptdbg: untracked-pt: alpha's root 0x%lx, tracked buffer %p -> 0x%lx, %lu frames free\n",
		alpha->us.pt.root, (void *)buf, buf_pa, frames_free());

	/* The part that stays mapped is a buffer the kernel owns; the part unmapped
	 * again holds the victims, then free frames. */
	uint64_t kept = hold_range(phys + UNMAP_LEN, MAP_LEN - UNMAP_LEN);

	/* Map, then unmap the first part; the emptied nodes are freed. */
	struct range_damage before, after;
	scan_range(phys, MAP_LEN, &before);
	if (pt_map_range(&kernel_space, MAP_VA, phys, MAP_LEN, PTE_KERNEL_RW, PT_4K))
		panic("untracked-pt: mapping failed");
	int level;
	uint64_t *leaf = pt_walk(&kernel_space, MAP_VA, &level);
	const struct ptdbg_frame_meta *node = frame_meta_of(virt_to_phys(leaf));
	kprintf("ptdbg: untracked-pt: mapped 0x%lx-0x%lx -> phys 0x%lx-0x%lx (4 KiB pages, %lu frames "
		"free); the PTE table there is %s\n", MAP_VA, MAP_VA + MAP_LEN, phys, phys + MAP_LEN,
		frames_free(), node->tracking == PTDBG_TRACK_TRACKED ? "TRACKED (wrong)" :
		node->tracking == PTDBG_TRACK_UNTRACKED ? "untracked" : "NA");
	if (pt_unmap(&kernel_space, MAP_VA, UNMAP_LEN))
		panic("untracked-pt: unmapping failed");
	scan_range(phys, MAP_LEN, &after);
	kprintf("ptdbg: untracked-pt: unmapped 0x%lx-0x%lx (2 PTE tables and a PD freed), "
		"0x%lx-0x%lx stays mapped (a buffer of %lu frames the kernel holds); %lu frames free\n",
		MAP_VA, MAP_VA + UNMAP_LEN, MAP_VA + UNMAP_LEN, MAP_VA + MAP_LEN, kept, frames_free());

	int freed = 0;
	for (uint64_t i = 0; i < BUF_PAGES; i++)
		freed += check_victim("tracked buffer", &kernel_space, (uint64_t)buf + i * PAGE_SIZE);
	for (int i = 0; i < alpha->us.nvmas; i++)
		for (uint64_t va = alpha->us.vmas[i].start; va < alpha->us.vmas[i].end; va += PAGE_SIZE)
			freed += check_victim("alpha", &alpha->us.pt, va);
	kprintf("ptdbg: untracked-pt: %lu frames in the range have a negative refcount (lowest %d at "
		"0x%lx; %lu before), %d pages still mapped have a FREE frame\n", after.negative,
		after.min_ref, after.min_ref_pa, before.negative, freed);
	if (!mm_bugs.untracked_as_tracked && (after.negative || freed))
		panic("untracked-pt: reference counts moved without the bug");
}

const struct scenario scenario_untracked_pt = {
	.name = "untracked-pt",
	.summary = "map a large untracked range, unmap part of it (Asterinas PR #1374)",
	.bugs = { "untracked-as-tracked", 0 },
	.run = run,
};
