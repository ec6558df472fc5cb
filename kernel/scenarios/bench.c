/*
 * bench: one user address space with present 4 KiB pages (read-only), backed by a
 * pool of BENCH_POOL frames reused in turn, for measuring the tools on large tables.
 * The `bench` program samples a few pages and pauses.
 *
 * Size: 1,048,576 pages by default (about 8 MiB of page tables; fits in -m 128M);
 * `bench=4m` maps 4,194,304 (about 32 MiB of tables, -m 512M) and `bench=16m`
 * 16,777,216 (about 128 MiB of tables, -m 1G), for the scale measurements.
 *
 * The area starts at USER_BENCH_BASE. On AArch64 bench=16m's 64 GiB would run into
 * the stack (below 60 GiB), so it starts at USER_BENCH_HIGH (64 GiB) instead and
 * needs a user half of 128 GiB or more: va_bits=39 or 48. The program gets the
 * base as its argument.
 */
#include "arch/proc.h"
#include "debug/panic.h"
#include "core/bootinfo.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/kspace.h"
#include "mm/layout.h"
#include "mm/pt.h"
#include "proc/process.h"
#include "scenarios/dma.h"
#include "scenarios/scenario.h"
#include "uapi/syscall.h"

#define BENCH_POOL  256

/* The number of pages bench=1m|4m|16m on the command line asks for (1m if absent). */
static uint64_t bench_pages(void)
{
	const char *c = boot_info.cmdline;
	for (const char *p = c; *p; p++) {
		if ((p != c && p[-1] != ' ') || strncmp(p, "bench=", 6))
			continue;
		const char *v = p + 6;
		if (!strncmp(v, "16m", 3))
			return 16ul << 20;
		if (!strncmp(v, "4m", 2))
			return 4ul << 20;
		if (!strncmp(v, "1m", 2))
			return 1ul << 20;
		panic("bench: bench= takes 1m, 4m or 16m");
	}
	return 1ul << 20;
}

/* Where an area of `len` bytes goes: USER_BENCH_BASE if it ends below the stack's
 * guard page, else USER_BENCH_HIGH (above the stack; AArch64 only). Panics, saying
 * what to change, when the user half (USER_END) cannot hold it. */
static uint64_t bench_base(uint64_t len)
{
	uint64_t below_stack = USER_STACK_TOP - USER_STACK_SIZE - pt_page_size(&kernel_space);
	uint64_t base = USER_BENCH_BASE;
#if defined(USER_BENCH_HIGH)
	if (base + len > below_stack)
		base = USER_BENCH_HIGH;
#endif
	if ((base < USER_STACK_TOP && base + len > below_stack) || base + len > USER_END)
		panic("bench: %lu GiB of pages at 0x%lx do not fit in the user half [0, 0x%lx)%s",
		      len >> 30, base, (uint64_t)USER_END,
		      USER_END < base + len ? ": boot with a larger va_bits= (39 or 48)" : "");
	return base;
}

static void run(void)
{
	if (kernel_space.gshift != PAGE_SHIFT)
		panic("bench maps 4 KiB pages: boot it with granule=4k");
	const uint64_t BENCH_PAGES = bench_pages();
	const uint64_t BENCH_BASE = bench_base(BENCH_PAGES * PAGE_SIZE);
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
	arch_set_user_arg(p->tf, BENCH_BASE);
	if (proc_run(p) != PROC_PAUSED)
		panic("bench process did not pause");
}

const struct scenario scenario_bench = {
	.name = "bench",
	.summary = "one process with 1,048,576 present 4 KiB pages (bench=4m, bench=16m: more)",
	.bugs = { 0 },
	.run = run,
};
