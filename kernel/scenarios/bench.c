/*
 * bench: one user address space with BENCH_PAGES present 4 KiB pages (read-only),
 * backed by a pool of BENCH_POOL frames reused in turn, for measuring the tools on
 * large tables. The `bench` program samples a few pages and pauses. Fits in -m 512M
 * (and 128M): about 8 MiB of page tables.
 */
#include "debug/panic.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/kspace.h"
#include "mm/layout.h"
#include "mm/pt.h"
#include "proc/process.h"
#if defined(__x86_64__)
#include "scenarios/dma.h"
#else
static void dma_bench_part(void) {}
#endif
#include "scenarios/scenario.h"
#include "uapi/syscall.h"

#define BENCH_BASE  ((uint64_t)USER_BENCH_BASE) /* kernel/user/bench.c reads it */
#define BENCH_PAGES (1ul << 20)
#define BENCH_POOL  256

static void run(void)
{
	if (kernel_space.gshift != PAGE_SHIFT)
		panic("bench maps 4 KiB pages: boot it with granule=4k");
	struct process *p = proc_create("bench", "bench");
	if (!p)
		panic("cannot create the bench process");
	if (uspace_add_vma(&p->us, BENCH_BASE, BENCH_BASE + BENCH_PAGES * PAGE_SIZE, PROT_READ, 0, "bench"))
		panic("cannot add the bench area");
	uint64_t pool[BENCH_POOL];
	for (int i = 0; i < BENCH_POOL; i++) {
		pool[i] = frame_alloc(PTDBG_FRAME_TRACKED, (uint32_t)p->us.pt.owner);
		if (!pool[i])
			panic("bench: out of frames for the pool");
		uint64_t *words = phys_to_virt(pool[i]);
		for (int w = 0; w < 512; w++)
			words[w] = (uint64_t)i;
	}
	uint64_t attrs = uspace_prot_attrs(PROT_READ);
	for (uint64_t n = 0; n < BENCH_PAGES; n++) {
		int err = pt_map(&p->us.pt, BENCH_BASE + n * PAGE_SIZE, pool[n % BENCH_POOL], PT_4K, attrs);
		if (err)
			panic("bench: mapping page %lu failed (%d)", n, err);
	}
	for (int i = 0; i < BENCH_POOL; i++)
		frame_put(pool[i]); /* the mappings hold the references now */
	kprintf("ptdbg: bench: %lu pages mapped at 0x%lx from %d frames, %lu page-table nodes\n",
		BENCH_PAGES, BENCH_BASE, BENCH_POOL, pt_count_nodes(&p->us.pt));
	dma_bench_part();
	if (proc_run(p) != PROC_PAUSED)
		panic("bench process did not pause");
}

const struct scenario scenario_bench = {
	.name = "bench",
	.summary = "one process with 1,048,576 present 4 KiB pages",
	.bugs = { 0 },
	.run = run,
};
