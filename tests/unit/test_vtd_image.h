/* SPDX-License-Identifier: MIT */
/*
 * Synthetic guest memory for the VT-d unit tests: a zeroed image at physical 0
 * (reads beyond it fail like a hole), served by the image target and read through
 * a page cache, as the tools read a live guest.
 */
#ifndef TEST_VTD_IMAGE_H
#define TEST_VTD_IMAGE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "target/mem.h"
#include "target/target.h"

#define IMG_SIZE (4u << 20)

struct img {
	uint8_t *buf;
	struct ptdbg_target *t;
	struct ptdbg_mem *mem;
};

/* Create an image of IMG_SIZE bytes at base. */
static inline struct img *img_new_at(uint64_t base, size_t size)
{
	struct img *im = calloc(1, sizeof(*im));
	im->buf = calloc(1, size);
	im->t = ptdbg_image_open(im->buf, base, size, NULL);
	im->mem = ptdbg_mem_new(im->t, 0);
	return im;
}

static inline struct img *img_new(void)
{
	return img_new_at(0, IMG_SIZE);
}

static inline void img_free(struct img *im)
{
	ptdbg_mem_free(im->mem);
	ptdbg_target_close(im->t);
	free(im->buf);
	free(im);
}

/* Store a little-endian value at an offset of the image (the cache is dropped). */
static inline void img_put64(struct img *im, uint64_t off, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		im->buf[off + i] = (uint8_t)(v >> (8 * i));
	ptdbg_mem_invalidate(im->mem);
}

static inline void img_put32(struct img *im, uint64_t off, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		im->buf[off + i] = (uint8_t)(v >> (8 * i));
	ptdbg_mem_invalidate(im->mem);
}

/* Run fn(ctx, FILE*) into a memory buffer and return the text (malloc'd). */
#define CAPTURE(expr_with_f) ({                                   \
	char *_s = NULL; size_t _n = 0;                           \
	FILE *f = open_memstream(&_s, &_n);                       \
	expr_with_f;                                              \
	fclose(f);                                                \
	_s; })

#endif /* TEST_VTD_IMAGE_H */
