/* SPDX-License-Identifier: MIT */
/* The image backend: guest physical memory is a flat buffer (unit tests). */
#include "target/target.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct image {
	const uint8_t *buf;
	uint64_t base;
	size_t len;
	struct ptdbg_regs regs;
};

/* Copy [pa, pa+len) out of the image; anything outside it is PTDBG_EIO. */
static int image_read(struct ptdbg_target *t, uint64_t pa, void *buf, size_t len)
{
	struct image *im = t->priv;

	if (pa < im->base || pa - im->base > im->len || len > im->len - (pa - im->base))
		return ptdbg_target_fail(t, PTDBG_EIO,
			"image: 0x%" PRIx64 "+0x%zx is outside [0x%" PRIx64 ", 0x%" PRIx64 ")",
			pa, len, im->base, im->base + im->len);
	memcpy(buf, im->buf + (pa - im->base), len);
	t->stats.bytes_read += len;
	t->stats.reads++;
	return 0;
}

static int image_regs(struct ptdbg_target *t, struct ptdbg_regs *regs)
{
	*regs = ((struct image *)t->priv)->regs;
	return 0;
}

static void image_close(struct ptdbg_target *t)
{
	free(t->priv);
	free(t);
}

static const struct ptdbg_target_ops image_ops = {
	.name = "image",
	.local = true,
	.read_phys = image_read,
	.read_regs = image_regs,
	.close = image_close,
};

struct ptdbg_target *ptdbg_image_open(const void *buf, uint64_t base, size_t len,
				      const struct ptdbg_regs *regs)
{
	struct ptdbg_target *t = calloc(1, sizeof(*t));
	struct image *im = calloc(1, sizeof(*im));

	if (!t || !im) {
		free(t);
		free(im);
		return NULL;
	}
	im->buf = buf;
	im->base = base;
	im->len = len;
	if (regs)
		im->regs = *regs;
	t->ops = &image_ops;
	t->priv = im;
	return t;
}
