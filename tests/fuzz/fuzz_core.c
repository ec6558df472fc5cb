/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the core-file backend (ptdbg_core_open on a file).
 *
 * Input: the whole core file. It is written to an anonymous memory file and
 * opened by path, as the tools open a core. When it opens, the registers are read
 * and a bounded page-table walk from its CR3 reads memory through the segments
 * (reads that straddle segments, and segments whose file part is shorter than
 * their memory part).
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_input.h"
#include "target/mem.h"
#include "target/target.h"
#include "x86/x86_walk.h"

static int count_event(void *ctx, const struct ptdbg_walk_event *ev)
{
	(void)ev;
	++*(uint64_t *)ctx;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	char path[64], err[256];

	if (fd < 0 && (fd = memfd_create("core", 0)) < 0)
		abort();
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);

	struct ptdbg_target *t = ptdbg_core_open(path, err, sizeof(err));
	if (!t)
		return 0;
	struct ptdbg_regs regs;
	if (ptdbg_read_regs(t, &regs) == 0) {
		uint8_t buf[8192];
		/* reads at the places a tool reads first, crossing page boundaries */
		ptdbg_read_phys(t, regs.cr3 & ~0xfffull, buf, 4096);
		ptdbg_read_phys(t, 0, buf, sizeof(buf));
		ptdbg_read_phys(t, 0xffd, buf, 7);

		/* A small cache and budgets: the default cache's hash table alone
		 * (megabytes, zeroed) cost more than the rest of an execution. */
		struct ptdbg_mem *mem = ptdbg_mem_new(t, 64 * PTDBG_PAGE_SIZE);
		if (mem) {
			struct ptdbg_x86_walk_cfg cfg = { .max_nodes = 32, .max_leaves = 512 };
			uint64_t events = 0;

			ptdbg_x86_cpu_from_regs(&cfg.cpu, &regs);
			ptdbg_x86_walk(mem, &cfg, count_event, &events, NULL);
			ptdbg_mem_free(mem);
		}
	}
	ptdbg_target_close(t);
	return 0;
}
