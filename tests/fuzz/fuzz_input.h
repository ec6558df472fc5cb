/* SPDX-License-Identifier: MIT */
/*
 * Code shared by the fuzz targets: a little-endian reader over the fuzzer's
 * input, used to take a fixed-size parameter block off the front of it, and a
 * sink for everything printers write.
 *
 * Every target is a libFuzzer entry point (LLVMFuzzerTestOneInput); replay.c
 * runs the same entry point over files, without libFuzzer.
 *
 * The targets that walk memory read it from a sparse image (fz_mem, below): a
 * few pages at addresses the input chooses, instead of a flat image from 0 that
 * would make every input as big as the highest address it uses.
 */
#ifndef PTDBG_FUZZ_INPUT_H
#define PTDBG_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>
#include <sys/types.h>

#include "target/target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A cursor over the input; reads past the end yield zero bytes. */
struct fz {
	const uint8_t *p;
	size_t n, off;
};

/* The next len bytes as a little-endian number (len <= 8). */
static inline uint64_t fz_take(struct fz *f, size_t len)
{
	uint64_t v = 0;

	for (size_t i = 0; i < len; i++, f->off++)
		if (f->off < f->n)
			v |= (uint64_t)f->p[f->off] << (8 * i);
	return v;
}
static inline uint64_t fz_u64(struct fz *f) { return fz_take(f, 8); }
static inline uint32_t fz_u32(struct fz *f) { return (uint32_t)fz_take(f, 4); }
static inline uint16_t fz_u16(struct fz *f) { return (uint16_t)fz_take(f, 2); }
static inline uint8_t  fz_u8(struct fz *f)  { return (uint8_t)fz_take(f, 1); }

/* What follows a parameter block of hdr bytes: the memory image. */
static inline const uint8_t *fz_rest(const struct fz *f, size_t hdr, size_t *len)
{
	*len = f->n > hdr ? f->n - hdr : 0;
	return f->n > hdr ? f->p + hdr : (const uint8_t *)"";
}

/* A FILE that discards what printers write, opened once per process. Printers
 * still format everything, so every format path runs; the no-op write keeps
 * even the write system calls of /dev/null out of the hot path. */
static inline ssize_t fz_sink_write(void *cookie, const char *buf, size_t len)
{
	(void)cookie;
	(void)buf;
	return (ssize_t)len;
}

static inline FILE *fz_sink(void)
{
	static FILE *sink;

	if (!sink) {
		sink = fopencookie(NULL, "w", (cookie_io_functions_t){ .write = fz_sink_write });
		if (sink) /* one thread writes to it: no lock taken per character */
			__fsetlocking(sink, FSETLOCKING_BYCALLER);
	}
	return sink;
}

/*
 * A sparse memory image taken from the input (ptdbg_sparse_open): a few 4 KiB
 * pages at chosen physical addresses, the rest zero or absent. What follows a
 * target's parameter block is a list of records, each
 *   u64 address   u16 length   length bytes
 * which puts the bytes at the address (in the page of the address, cut at the
 * page's end and at the input's end). Pages start zero; records for the same page
 * add to it; records for more than FZ_PAGES distinct pages are ignored. A small
 * input means a few tables and entries, each at the address the fuzzer chose.
 */
#define FZ_PAGES 32

struct fz_mem {
	uint8_t page[FZ_PAGES][4096];
	struct ptdbg_sparse_page idx[FZ_PAGES];
	size_t n;
};

/* Fill m from the records at the cursor (up to the input's end). */
static inline void fz_mem_load(struct fz_mem *m, struct fz *f)
{
	m->n = 0;
	while (f->off < f->n) {
		uint64_t addr = fz_u64(f), pa = addr & ~0xfffull;
		size_t at = (size_t)(addr & 0xfff), len = fz_u16(f), i;

		for (i = 0; i < m->n && m->idx[i].pa != pa; i++)
			;
		if (i == m->n && m->n < FZ_PAGES) {
			memset(m->page[i], 0, sizeof(m->page[i]));
			m->idx[i].pa = pa;
			m->idx[i].data = m->page[i];
			m->n++;
		}
		size_t left = f->off < f->n ? f->n - f->off : 0;
		if (len > left)
			len = left;
		if (i < m->n) {
			size_t room = sizeof(m->page[i]) - at;
			memcpy(m->page[i] + at, f->p + f->off, len < room ? len : room);
		}
		f->off += len;
	}
}

/* The target over m (holes read as zeros or fail); NULL when out of memory. */
static inline struct ptdbg_target *fz_mem_open(struct fz_mem *m, bool holes_read_zero,
					       const struct ptdbg_regs *regs)
{
	return ptdbg_sparse_open(m->idx, m->n, holes_read_zero, regs);
}

#endif /* PTDBG_FUZZ_INPUT_H */
