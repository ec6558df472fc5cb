/* SPDX-License-Identifier: MIT */
/*
 * Finding page-table roots from memory alone: every 4 KiB frame of RAM whose bytes
 * [off, off+len) equal a reference (on x86-64 the kernel half of the root in CR3,
 * which every address space shares). Format-neutral: the decoder's setup says which
 * window of a root is shared (x86/spaces.h); a format whose halves live in separate
 * tables (AArch64 TTBR0/TTBR1) scans with a window of its own or not at all.
 *
 * Reading all of RAM is the cost: on a fast target (core file, fast path, image)
 * the scan reads RAM in large chunks; over a link (the gdbstub) it first reads one
 * 8-byte word of every frame (probe_off) in pipelined batches and reads the whole
 * window only of the frames whose word matches.
 */
#ifndef PTDBG_ROOTSCAN_H
#define PTDBG_ROOTSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "target/ram.h"
#include "target/target.h"

struct ptdbg_rootscan {
	const uint8_t *ref;     /* the window's expected bytes (len of them) */
	unsigned off, len;      /* the window inside a frame: off + len <= 4096 */
	unsigned probe_off;     /* an 8-byte word inside the window, nonzero in ref */
	bool link;              /* the target is a link: probe first */
	/* Instead of the window (ref NULL): a frame matches when accept(actx, pa, frame)
	 * says so, frame being its 4096 bytes; a link then reads whole frames. */
	bool (*accept)(void *actx, uint64_t pa, const uint8_t *frame);
	void *actx;
	unsigned head;          /* with accept over a link: read this many bytes of each
				   frame first (0 or 4096: all), accept() seeing the rest as
				   zeros, and the whole frame only of those it accepts */
	/* Called now and then with frames scanned so far (may be NULL). */
	void (*progress)(void *ctx, uint64_t frames_done, uint64_t frames_total);
	void *ctx;
};

/* Scan every frame of ram for cfg's window; the physical addresses of the matches,
 * ascending, go to a malloc'd *out (*n of them). Frames that cannot be read are
 * skipped and counted in *unreadable (may be NULL). Returns 0, a link error or
 * PTDBG_ENOMEM, PTDBG_EINVAL for a bad window. */
int ptdbg_rootscan(struct ptdbg_target *t, const struct ptdbg_ram *ram, const struct ptdbg_rootscan *cfg,
		   uint64_t **out, size_t *n, uint64_t *unreadable);

#endif /* PTDBG_ROOTSCAN_H */
