/* SPDX-License-Identifier: MIT */
/*
 * Code shared by the fuzz targets: a little-endian reader over the fuzzer's
 * input, used to take a fixed-size parameter block off the front of it, and a
 * sink for everything printers write.
 *
 * Every target is a libFuzzer entry point (LLVMFuzzerTestOneInput); replay.c
 * runs the same entry point over files, without libFuzzer.
 */
#ifndef PTDBG_FUZZ_INPUT_H
#define PTDBG_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

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
 * still format everything, so every format path runs. */
static inline FILE *fz_sink(void)
{
	static FILE *sink;

	if (!sink)
		sink = fopen("/dev/null", "w");
	return sink;
}

#endif /* PTDBG_FUZZ_INPUT_H */
