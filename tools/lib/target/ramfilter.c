/* SPDX-License-Identifier: MIT */
/* RAM from the device tree, and a target that refuses reads outside RAM; see
 * ramfilter.h. */
#include "target/ramfilter.h"

#include <stdlib.h>
#include <string.h>

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP        4u
#define FDT_END        9u
#define FDT_MAX        (2u << 20)

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A cells-long big-endian number at p. */
static uint64_t cells(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v = v << 32 | be32(p + 4 * i);
	return v;
}

int ptdbg_ram_from_fdt(const void *blob, size_t len, struct ptdbg_ram *ram)
{
	const uint8_t *b = blob;
	memset(ram, 0, sizeof(*ram));
	if (len < 40 || be32(b) != FDT_MAGIC)
		return PTDBG_EFORMAT;
	uint32_t total = be32(b + 4), off_struct = be32(b + 8), off_strings = be32(b + 12);
	uint32_t size_strings = be32(b + 32), size_struct = be32(b + 36);
	size_t have = total < len ? total : len; /* the blocks must lie in both */
	if (total < 40 || off_struct > have || size_struct > have - off_struct ||
	    off_strings > have || size_strings > have - off_strings)
		return PTDBG_EFORMAT;
	const uint8_t *p = b + off_struct, *end = p + size_struct;
	const char *strs = (const char *)b + off_strings;
	unsigned depth = 0, acells = 2, scells = 1;
	bool memory = false;            /* the node at depth 1 is a memory node */
	const uint8_t *reg = NULL;
	uint32_t reglen = 0;
	while (p + 4 <= end) {
		uint32_t tok = be32(p);
		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			const uint8_t *name = p;
			while (p < end && *p)
				p++;
			p = b + ((size_t)(p - b + 1 + 3) & ~(size_t)3);
			depth++;
			if (depth == 2) {
				memory = !strncmp((const char *)name, "memory", 6);
				reg = NULL;
			}
		} else if (tok == FDT_END_NODE) {
			if (depth == 2 && memory && reg && acells && acells <= 2 && scells <= 2) {
				unsigned step = 4 * (acells + scells);
				for (uint32_t o = 0; step && o + step <= reglen; o += step)
					ptdbg_ram_add(ram, cells(reg + o, acells), cells(reg + o + 4 * acells, scells));
			}
			if (depth == 2)
				memory = false;
			if (depth == 0)
				return PTDBG_EFORMAT;
			depth--;
		} else if (tok == FDT_PROP) {
			if (p + 8 > end)
				return PTDBG_EFORMAT;
			uint32_t plen = be32(p), nameoff = be32(p + 4);
			p += 8;
			if (plen > (size_t)(end - p) || nameoff >= size_strings)
				return PTDBG_EFORMAT;
			const char *pname = strs + nameoff;
			size_t room = size_strings - nameoff;
			if (depth == 1 && plen == 4 && !strncmp(pname, "#address-cells", room))
				acells = be32(p);
			else if (depth == 1 && plen == 4 && !strncmp(pname, "#size-cells", room))
				scells = be32(p);
			else if (depth == 2 && !strncmp(pname, "device_type", room))
				memory = plen >= 6 && !memcmp(p, "memory", 6);
			else if (depth == 2 && !strncmp(pname, "reg", room)) {
				reg = p;
				reglen = plen;
			}
			p += (plen + 3) & ~3u;
		} else if (tok == FDT_NOP) {
			continue;
		} else {
			break; /* FDT_END, or garbage */
		}
	}
	return ram->n ? 0 : PTDBG_EFORMAT;
}

/* PTDBG_FDT_AHEAD: bytes of a device tree read at once before its header is known.
 * QEMU virt's tree is 6-8 KiB, so its header and blocks usually come in this one
 * pipelined read. */

int ptdbg_fdt_read(struct ptdbg_target *t, uint64_t pa, uint8_t **blob, size_t *len)
{
	return ptdbg_fdt_read_ahead(t, pa, NULL, 0, blob, len);
}

int ptdbg_fdt_read_ahead(struct ptdbg_target *t, uint64_t pa, const void *ahead, size_t have, uint8_t **blob,
			 size_t *len)
{
	*blob = NULL;
	*len = 0;
	uint8_t *b = malloc(PTDBG_FDT_AHEAD);
	if (!b)
		return PTDBG_ENOMEM;
	int rc = 0;
	if (ahead && have >= 40 && have <= PTDBG_FDT_AHEAD) {
		memcpy(b, ahead, have);
	} else {
		have = PTDBG_FDT_AHEAD;
		rc = ptdbg_read_phys(t, pa, b, have);
		if (rc && !ptdbg_link_error(rc)) {
			have = 40; /* the tree may end where readable memory does: the header alone */
			rc = ptdbg_read_phys(t, pa, b, have);
		}
	}
	if (rc) {
		free(b);
		return rc;
	}
	uint32_t total = be32(b + 4);
	if (be32(b) != FDT_MAGIC || total < 40 || total > FDT_MAX) {
		free(b);
		return PTDBG_EFORMAT;
	}
	/* The blocks only: QEMU's tree is a few KiB in a 1 MiB allocation. */
	uint64_t se = (uint64_t)be32(b + 8) + be32(b + 36), ge = (uint64_t)be32(b + 12) + be32(b + 32);
	uint64_t need = se > ge ? se : ge;
	if (need < 40 || need > total) {
		free(b);
		return PTDBG_EFORMAT;
	}
	if (need > have) {
		uint8_t *nb = realloc(b, need);
		if (!nb) {
			free(b);
			return PTDBG_ENOMEM;
		}
		b = nb;
		rc = ptdbg_read_phys(t, pa + have, b + have, need - have);
		if (rc) {
			free(b);
			return rc;
		}
	}
	*blob = b;
	*len = need;
	return 0;
}

int ptdbg_ram_from_fdt_at(struct ptdbg_target *t, uint64_t pa, struct ptdbg_ram *ram)
{
	return ptdbg_ram_from_fdt_ahead(t, pa, NULL, 0, ram);
}

int ptdbg_ram_from_fdt_ahead(struct ptdbg_target *t, uint64_t pa, const void *ahead, size_t have,
			     struct ptdbg_ram *ram)
{
	uint8_t *blob;
	size_t len;
	int rc = ptdbg_fdt_read_ahead(t, pa, ahead, have, &blob, &len);
	if (rc == 0)
		rc = ptdbg_ram_from_fdt(blob, len, ram);
	free(blob);
	return rc;
}

bool ptdbg_ram_holds(const struct ptdbg_ram *ram, uint64_t pa, uint64_t len)
{
	for (size_t i = 0; i < ram->n; i++)
		if (pa >= ram->r[i].pa && pa - ram->r[i].pa < ram->r[i].len &&
		    len <= ram->r[i].len - (pa - ram->r[i].pa))
			return true;
	return false;
}

/* ---- the filtering target ---- */

struct filter {
	struct ptdbg_target_ops ops;  /* inner's name, these functions */
	struct ptdbg_target *inner;
	struct ptdbg_ram ram;
	struct ptdbg_io *stream;      /* the stream under way, to mark */
	size_t nstream;
	size_t marked;                /* stream[0, marked) are marked already */
};

static struct filter *F(struct ptdbg_target *t)
{
	return t->priv;
}

/* Counters and the error line as inner has them now. */
static int sync(struct ptdbg_target *t, int rc)
{
	struct filter *f = F(t);
	t->stats = f->inner->stats;
	if (rc)
		memcpy(t->errbuf, f->inner->errbuf, sizeof(t->errbuf));
	return rc;
}

static int not_ram(struct ptdbg_target *t, uint64_t pa)
{
	return ptdbg_target_fail(t, PTDBG_EIO, "physical 0x%llx is not RAM (the guest's memory map has "
				 "nothing there; QEMU reads zeros)", (unsigned long long)pa);
}

static int f_read(struct ptdbg_target *t, uint64_t pa, void *buf, size_t len)
{
	if (!ptdbg_ram_holds(&F(t)->ram, pa, len))
		return not_ram(t, pa);
	return sync(t, ptdbg_read_phys(F(t)->inner, pa, buf, len));
}

static const void *f_map(struct ptdbg_target *t, uint64_t pa, size_t len)
{
	if (!ptdbg_ram_holds(&F(t)->ram, pa, len))
		return NULL; /* f_read says why */
	const void *d = ptdbg_map_phys(F(t)->inner, pa, len);
	sync(t, 0);
	return d;
}

static int f_batch(struct ptdbg_target *t, struct ptdbg_io *ios, size_t n)
{
	struct filter *f = F(t);
	int rc = sync(t, ptdbg_read_phys_batch(f->inner, ios, n));
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (!ios[i].err && !ptdbg_ram_holds(&f->ram, ios[i].pa, ios[i].len))
			ios[i].err = PTDBG_EIO;
	return rc;
}

/* The stream's completed reads stream[0, upto) outside RAM fail as unreadable. */
static void mark(struct filter *f, size_t upto)
{
	size_t i = f->marked;
	for (; i < upto && i < f->nstream; i++)
		if (!f->stream[i].err && !ptdbg_ram_holds(&f->ram, f->stream[i].pa, f->stream[i].len))
			f->stream[i].err = PTDBG_EIO;
	f->marked = i; /* each wait marks only what completed since the last */
}

static int f_stream_begin(struct ptdbg_target *t, struct ptdbg_io *ios, size_t n)
{
	struct filter *f = F(t);
	f->stream = ios;
	f->nstream = n;
	f->marked = 0;
	return sync(t, f->inner->ops->stream_begin(f->inner, ios, n));
}

static int f_stream_wait(struct ptdbg_target *t, size_t k, size_t *complete)
{
	struct filter *f = F(t);
	int rc = sync(t, f->inner->ops->stream_wait(f->inner, k, complete));
	if (rc == 0)
		mark(f, *complete);
	return rc;
}

static int f_stream_end(struct ptdbg_target *t)
{
	struct filter *f = F(t);
	int rc = sync(t, f->inner->ops->stream_end(f->inner));
	if (rc == 0)
		mark(f, f->nstream);
	f->stream = NULL;
	f->nstream = 0;
	f->marked = 0;
	return rc;
}

static int f_regs(struct ptdbg_target *t, struct ptdbg_regs *regs)
{
	return sync(t, ptdbg_read_regs(F(t)->inner, regs));
}

static int f_arch(struct ptdbg_target *t, enum ptdbg_arch *arch)
{
	return sync(t, ptdbg_target_arch(F(t)->inner, arch));
}

static int f_monitor(struct ptdbg_target *t, const char *cmd, char **out)
{
	return sync(t, ptdbg_monitor(F(t)->inner, cmd, out));
}

static int f_resume(struct ptdbg_target *t)
{
	return sync(t, ptdbg_target_resume(F(t)->inner));
}

static int f_stop(struct ptdbg_target *t)
{
	return sync(t, ptdbg_target_stop(F(t)->inner));
}

static void f_close(struct ptdbg_target *t)
{
	free(t->priv);
	free(t);
}

struct ptdbg_target *ptdbg_ram_filter_open(struct ptdbg_target *inner, const struct ptdbg_ram *ram)
{
	struct ptdbg_target *t = calloc(1, sizeof(*t));
	struct filter *f = calloc(1, sizeof(*f));
	if (!t || !f) {
		free(t);
		free(f);
		return NULL;
	}
	const struct ptdbg_target_ops *in = inner->ops;
	f->ops = (struct ptdbg_target_ops){
		.name = in->name, .local = in->local, .read_phys = f_read, .read_phys_batch = f_batch,
		.map_phys = in->map_phys ? f_map : NULL,
		.stream_begin = in->stream_begin ? f_stream_begin : NULL,
		.stream_wait = in->stream_wait ? f_stream_wait : NULL,
		.stream_end = in->stream_end ? f_stream_end : NULL,
		.read_regs = in->read_regs ? f_regs : NULL, .arch = in->arch ? f_arch : NULL,
		.monitor = in->monitor ? f_monitor : NULL,
		.resume = f_resume, .stop = f_stop, .close = f_close,
	};
	f->inner = inner;
	f->ram = *ram;
	t->ops = &f->ops;
	t->priv = f;
	t->stats = inner->stats;
	return t;
}
