/* SPDX-License-Identifier: MIT */
/* Reading the ptdbg debug region out of guest memory; see region.h. */
#include "region/region.h"
#include "target/mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptdbg/hw/x86.h" /* the address bits of a root (CR3) */

static void note(struct ptdbg_region_view *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Append one sentence to v->notes (truncated silently when full). */
static void note(struct ptdbg_region_view *v, const char *fmt, ...)
{
	size_t used = strlen(v->notes);
	if (used + 2 >= sizeof(v->notes))
		return;
	if (used) {
		v->notes[used++] = ';';
		v->notes[used++] = ' ';
		v->notes[used] = 0;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->notes + used, sizeof(v->notes) - used, fmt, ap);
	va_end(ap);
}

/* Reads of the region's parts, served from one batch read ahead (region_prefetch)
 * where it holds the range, else from the target. */
struct reader {
	struct ptdbg_target *t;
	struct ptdbg_io pre[8 + PTDBG_ALSO_MAX]; /* the region's, and room for a caller's */
	size_t npre;
};

/* Read [pa, pa+len) into buf: from the batch if it read exactly that range. */
static int reader_read(struct reader *rd, uint64_t pa, void *buf, size_t len)
{
	for (size_t i = 0; i < rd->npre; i++)
		if (rd->pre[i].pa == pa && rd->pre[i].len == len && rd->pre[i].buf) {
			if (!rd->pre[i].err)
				memcpy(buf, rd->pre[i].buf, len);
			return rd->pre[i].err;
		}
	return ptdbg_read_phys(rd->t, pa, buf, len);
}

/* Queue [pa, pa+len) for the batch (nothing when len is 0 or the batch is full). */
static void reader_want(struct reader *rd, uint64_t pa, size_t len)
{
	if (!len || rd->npre == sizeof(rd->pre) / sizeof(rd->pre[0]) - PTDBG_ALSO_MAX)
		return;
	void *buf = malloc(len);
	if (buf)
		rd->pre[rd->npre++] = (struct ptdbg_io){ .pa = pa, .len = len, .buf = buf };
}

/* Read everything queued, and also[0, nalso), in one batch. Returns 0 or a link
 * error (a read that failed alone keeps its error for reader_read). */
static int reader_fetch(struct reader *rd, struct ptdbg_io *also, size_t nalso)
{
	return ptdbg_read_phys_batch_also(rd->t, rd->pre, rd->npre, also, nalso);
}

static void reader_free(struct reader *rd)
{
	for (size_t i = 0; i < rd->npre; i++)
		free(rd->pre[i].buf);
	rd->npre = 0;
}

/*
 * How much of guest array a to read: the element count, clamped to its capacity,
 * to cap and to PTDBG_REGION_MAX_ARRAY_BYTES, and its stride in *stride; 0 when it
 * is empty or its element size is not plausible. With v, each clamp is noted there.
 */
static size_t array_plan(struct ptdbg_region_view *v, const char *what, const struct ptdbg_array *a,
			 size_t cap, size_t *stride)
{
	size_t count = a->count;
	*stride = a->elem_size;
	if (!a->phys || !count)
		return 0;
	if (a->capacity && count > a->capacity) {
		if (v)
			note(v, "%s: count %zu exceeds capacity %u", what, count, a->capacity);
		count = a->capacity;
	}
	if (count > cap) {
		if (v)
			note(v, "%s: count %zu clamped to %zu", what, count, cap);
		count = cap;
	}
	if (*stride == 0 || *stride > PTDBG_REGION_MAX_ELEM) {
		if (v)
			note(v, "%s: element size %zu is not plausible; array ignored", what, *stride);
		return 0;
	}
	if (count > PTDBG_REGION_MAX_ARRAY_BYTES / *stride) {
		if (v)
			note(v, "%s: %zu elements of %zu bytes clamped to %zu bytes", what, count, *stride,
			     (size_t)PTDBG_REGION_MAX_ARRAY_BYTES);
		count = PTDBG_REGION_MAX_ARRAY_BYTES / *stride;
	}
	return count;
}

/* Queue array a for the batch, as array_plan sizes it. */
static void want_array(struct reader *rd, const struct ptdbg_array *a, size_t cap)
{
	size_t stride, count = array_plan(NULL, NULL, a, cap, &stride);
	reader_want(rd, a->phys, count * stride);
}

/*
 * Read a guest array into a freshly allocated buffer of n elements of local size
 * `mine`, using the guest's stride. Elements shorter in the guest than locally are
 * zero-extended. Returns the buffer (NULL with *n == 0 when empty) or NULL on error.
 */
static void *read_array(struct reader *rd, struct ptdbg_region_view *v, const char *what,
			const struct ptdbg_array *a, size_t mine, size_t cap, size_t *n, int *rc)
{
	*n = 0;
	*rc = 0;
	size_t stride, count = array_plan(v, what, a, cap, &stride);
	if (!count)
		return NULL;
	size_t copy = stride < mine ? stride : mine;
	unsigned char *raw = malloc(count * stride);
	unsigned char *out = calloc(count, mine);
	if (!raw || !out) {
		free(raw);
		free(out);
		*rc = PTDBG_ENOMEM;
		return NULL;
	}
	int r = reader_read(rd, a->phys, raw, count * stride);
	if (r) {
		note(v, "%s: array at %#llx unreadable", what, (unsigned long long)a->phys);
		free(raw);
		free(out);
		if (r != PTDBG_EIO)
			*rc = r;
		return NULL;
	}
	for (size_t i = 0; i < count; i++)
		memcpy(out + i * mine, raw + i * stride, copy);
	free(raw);
	*n = count;
	return out;
}

/* The fault ring as an array to read, in *a and *cap: its slots that hold records
 * (fault k lives in slot k % capacity, so while the total is below the capacity
 * only slots [0, total) do; an empty ring reads nothing), bounded; false when there
 * is none to read. With v, what is odd is noted there. */
static bool fault_ring(struct ptdbg_region_view *v, const struct ptdbg_faultlog *fl, struct ptdbg_array *a,
		       size_t *cap)
{
	*a = fl->ring;
	if (a->phys && a->count && !a->capacity) {
		if (v)
			note(v, "faults: ring of capacity 0 claims %u records; ignored", a->count);
		return false;
	}
	*cap = a->capacity;
	if (*cap > PTDBG_REGION_MAX_FAULTS) {
		if (v)
			note(v, "faults: capacity %zu clamped", *cap);
		*cap = PTDBG_REGION_MAX_FAULTS;
	}
	if (fl->total < *cap)
		*cap = (size_t)fl->total;
	a->count = (uint32_t)*cap; /* the slots in use; order by total below */
	a->capacity = (uint32_t)*cap;
	return *cap != 0;
}

/* Read the fault ring and order it oldest first. */
static int read_faults(struct reader *rd, struct ptdbg_region_view *v)
{
	const struct ptdbg_faultlog *fl = &v->hdr.faults;
	struct ptdbg_array a;
	size_t cap;
	if (!fault_ring(v, fl, &a, &cap))
		return 0;
	size_t n;
	int rc;
	struct ptdbg_fault *ring = read_array(rd, v, "faults", &a, sizeof(*ring), cap, &n, &rc);
	if (!ring)
		return rc;
	uint64_t total = fl->total;
	size_t have = total < n ? (size_t)total : n;
	struct ptdbg_fault *out = calloc(have ? have : 1, sizeof(*out));
	if (!out) {
		free(ring);
		return PTDBG_ENOMEM;
	}
	/* Fault number k lives in slot k % n; the newest is total-1. */
	for (size_t i = 0; i < have; i++) {
		uint64_t k = total - have + i;
		out[i] = ring[k % n];
	}
	free(ring);
	v->faults = out;
	v->nfaults = have;
	return 0;
}

int ptdbg_region_read(struct ptdbg_target *t, uint64_t pa, struct ptdbg_region_view *v,
		      char *err, size_t errlen)
{
	return ptdbg_region_read_also(t, pa, v, NULL, 0, NULL, NULL, err, errlen);
}

int ptdbg_region_read_also(struct ptdbg_target *t, uint64_t pa, struct ptdbg_region_view *v,
			   struct ptdbg_io *also, size_t nalso, ptdbg_region_also_fn *fill, void *ctx,
			   char *err, size_t errlen)
{
	for (size_t i = 0; i < nalso; i++)
		also[i].err = PTDBG_ENOTSUP; /* until the header says there is a region */
	memset(v, 0, sizeof(*v));
	v->pa = pa;
	unsigned char buf[sizeof(struct ptdbg_region)];
	int rc = ptdbg_read_phys(t, pa, buf, sizeof(buf));
	if (rc) {
		snprintf(err, errlen, "debug region at %#llx: unreadable", (unsigned long long)pa);
		return rc;
	}
	struct ptdbg_region h;
	memcpy(&h, buf, sizeof(h));
	if (h.magic != PTDBG_MAGIC) {
		snprintf(err, errlen, "no debug region at %#llx (bad magic)", (unsigned long long)pa);
		return PTDBG_EFORMAT;
	}
	if (PTDBG_ABI_MAJOR_OF(h.version) != PTDBG_ABI_MAJOR) {
		snprintf(err, errlen, "debug region at %#llx has ABI version %u.%u; this tool reads %u.x",
			 (unsigned long long)pa, PTDBG_ABI_MAJOR_OF(h.version), h.version & 0xffff,
			 PTDBG_ABI_MAJOR);
		return PTDBG_EFORMAT;
	}
	if (h.hdr_size < offsetof(struct ptdbg_region, cpu) || h.hdr_size > 65536) {
		snprintf(err, errlen, "debug region at %#llx: header size %u is not plausible",
			 (unsigned long long)pa, h.hdr_size);
		return PTDBG_EFORMAT;
	}
	/* A writer with a shorter header: zero what it does not have. */
	if (h.hdr_size < sizeof(h))
		memset((char *)&h + h.hdr_size, 0, sizeof(h) - h.hdr_size);
	v->hdr = h;
	if (h.self_phys != pa)
		note(v, "header says it lies at %#llx", (unsigned long long)h.self_phys);
	if (h.generation & 1)
		v->torn = true;

	/* Every array, then the generation again, in one batch (answered in order: the
	 * generation is read after the arrays). */
	struct reader rd = { .t = t };
	struct ptdbg_array ring;
	size_t ring_cap;
	want_array(&rd, &h.spaces, PTDBG_REGION_MAX_SPACES);
	want_array(&rd, &h.markers, PTDBG_REGION_MAX_MARKERS);
	want_array(&rd, &h.iommu.domains, PTDBG_REGION_MAX_DOMAINS);
	want_array(&rd, &h.iommu.dma_bufs, PTDBG_REGION_MAX_DMABUFS);
	if (fault_ring(NULL, &h.faults, &ring, &ring_cap))
		want_array(&rd, &ring, ring_cap);
	uint64_t gen_pa = pa + offsetof(struct ptdbg_region, generation);
	reader_want(&rd, gen_pa, sizeof(uint64_t));
	/* What rides along: placed from the header, those with a length, in order. */
	struct ptdbg_io *ride[PTDBG_ALSO_MAX], rios[PTDBG_ALSO_MAX];
	size_t nride = 0;
	if (fill)
		fill(&h, also, nalso, ctx);
	for (size_t i = 0; i < nalso && nride < PTDBG_ALSO_MAX; i++)
		if (also[i].len) {
			ride[nride] = &also[i];
			rios[nride++] = also[i];
		}
	rc = reader_fetch(&rd, rios, nride);
	for (size_t i = 0; i < nride; i++)
		ride[i]->err = rios[i].err;
	if (rc)
		goto fail_rd;
	v->spaces = read_array(&rd, v, "address spaces", &h.spaces, sizeof(*v->spaces),
			       PTDBG_REGION_MAX_SPACES, &v->nspaces, &rc);
	if (rc)
		goto fail_rd;
	v->markers = read_array(&rd, v, "markers", &h.markers, sizeof(*v->markers),
				PTDBG_REGION_MAX_MARKERS, &v->nmarkers, &rc);
	if (rc)
		goto fail_rd;
	v->domains = read_array(&rd, v, "domains", &h.iommu.domains, sizeof(*v->domains),
				PTDBG_REGION_MAX_DOMAINS, &v->ndomains, &rc);
	if (rc)
		goto fail_rd;
	v->dma_bufs = read_array(&rd, v, "DMA buffers", &h.iommu.dma_bufs, sizeof(*v->dma_bufs),
				 PTDBG_REGION_MAX_DMABUFS, &v->ndma_bufs, &rc);
	if (rc)
		goto fail_rd;
	rc = read_faults(&rd, v);
	if (rc)
		goto fail_rd;

	/* The generation again: a change means the kernel wrote while we read. */
	uint64_t gen2;
	if (reader_read(&rd, gen_pa, &gen2, sizeof(gen2)) == 0 && gen2 != h.generation)
		v->torn = true;
	reader_free(&rd);
	if (v->torn)
		note(v, "torn read: generation %llu%s", (unsigned long long)h.generation,
		     (h.generation & 1) ? " is odd (the kernel was updating the region)" : " changed while reading");
	if (h.frames.count && (h.frames.elem_size == 0 || h.frames.elem_size > PTDBG_REGION_MAX_ELEM)) {
		note(v, "frames: element size %u is not plausible; frame metadata ignored", h.frames.elem_size);
		memset(&v->hdr.frames, 0, sizeof(v->hdr.frames));
	} else if (h.frames.count > PTDBG_REGION_MAX_FRAMES ||
		   h.frames.base_pfn > PTDBG_REGION_MAX_FRAMES) {
		note(v, "frames: %llu frames from pfn %#llx is not plausible; frame metadata ignored",
		     (unsigned long long)h.frames.count, (unsigned long long)h.frames.base_pfn);
		memset(&v->hdr.frames, 0, sizeof(v->hdr.frames));
	}
	/* Frames exist below 2^52 only: a larger count or base would make callers that
	 * iterate over the array (and pfn arithmetic) run away. */
	const uint64_t max_pfn = 1ull << (52 - 12);
	if (h.frames.base_pfn > max_pfn || h.frames.count > max_pfn - h.frames.base_pfn) {
		note(v, "frames: %llu frames from pfn %#llx lie beyond 2^52; frame metadata ignored",
		     (unsigned long long)h.frames.count, (unsigned long long)h.frames.base_pfn);
		v->hdr.frames.count = 0;
	}
	return 0;
fail_rd:
	reader_free(&rd);
	snprintf(err, errlen, "debug region at %#llx: %s", (unsigned long long)pa,
		 rc == PTDBG_ENOMEM ? "out of memory" : ptdbg_target_error(t));
	ptdbg_region_free(v);
	return rc;
}

void ptdbg_region_free(struct ptdbg_region_view *v)
{
	free(v->spaces);
	free(v->markers);
	free(v->domains);
	free(v->dma_bufs);
	free(v->faults);
	v->spaces = NULL;
	v->markers = NULL;
	v->domains = NULL;
	v->dma_bufs = NULL;
	v->faults = NULL;
	v->nspaces = v->nmarkers = v->ndomains = v->ndma_bufs = v->nfaults = 0;
}

int ptdbg_region_scan(struct ptdbg_target *t, uint64_t lo, uint64_t hi, uint64_t *pa)
{
	enum { CHUNK = 256 * 1024 };
	unsigned char *buf = malloc(CHUNK);
	if (!buf)
		return PTDBG_ENOMEM;
	lo &= ~(uint64_t)(PTDBG_REGION_ALIGN - 1);
	int found = PTDBG_EIO;
	for (uint64_t base = lo; base < hi && found; base += CHUNK) {
		size_t len = hi - base < CHUNK ? (size_t)(hi - base) : CHUNK;
		int rc = ptdbg_read_phys(t, base, buf, len);
		if (rc == PTDBG_EIO && base < (1u << 20))
			continue; /* legacy holes below 1 MiB: keep scanning */
		if (rc == PTDBG_EIO)
			break;    /* the end of low RAM */
		if (rc) {
			found = rc;
			break;
		}
		for (size_t off = 0; off + sizeof(struct ptdbg_region) <= len; off += PTDBG_REGION_ALIGN) {
			uint64_t magic, self;
			memcpy(&magic, buf + off, 8);
			if (magic != PTDBG_MAGIC)
				continue;
			memcpy(&self, buf + off + offsetof(struct ptdbg_region, self_phys), 8);
			if (self == base + off) {
				*pa = self;
				found = 0;
				break;
			}
		}
	}
	free(buf);
	return found;
}

static bool frame_index(const struct ptdbg_region_view *v, uint64_t pfn, uint64_t *idx)
{
	const struct ptdbg_frames *f = &v->hdr.frames;
	if (!f->phys || !f->elem_size || f->elem_size > PTDBG_REGION_MAX_ELEM)
		return false;
	if (pfn < f->base_pfn || pfn - f->base_pfn >= f->count)
		return false;
	*idx = pfn - f->base_pfn;
	return true;
}

int ptdbg_region_frame(struct ptdbg_target *t, const struct ptdbg_region_view *v,
		       uint64_t pfn, struct ptdbg_frame_meta *out)
{
	return ptdbg_region_frames_read(t, v, pfn, 1, out);
}

/* Frames [first, first+n) read by t (through the cache when m is set). */
static int frames_read(struct ptdbg_target *t, struct ptdbg_mem *m, const struct ptdbg_region_view *v,
		       uint64_t first, size_t n, struct ptdbg_frame_meta *out)
{
	uint64_t idx, last;
	if (n == 0)
		return 0;
	if (!frame_index(v, first, &idx) || !frame_index(v, first + n - 1, &last))
		return PTDBG_EINVAL;
	const struct ptdbg_frames *f = &v->hdr.frames;
	size_t stride = f->elem_size, mine = sizeof(*out);
	size_t copy = stride < mine ? stride : mine;
	unsigned char *raw = malloc(n * stride);
	if (!raw)
		return PTDBG_ENOMEM;
	int rc = m ? ptdbg_mem_read(m, f->phys + idx * stride, raw, n * stride)
		   : ptdbg_read_phys(t, f->phys + idx * stride, raw, n * stride);
	if (rc == 0) {
		memset(out, 0, n * mine);
		for (size_t i = 0; i < n; i++)
			memcpy((unsigned char *)&out[i], raw + i * stride, copy);
	}
	free(raw);
	return rc;
}

int ptdbg_region_frames_read(struct ptdbg_target *t, const struct ptdbg_region_view *v,
			     uint64_t first, size_t n, struct ptdbg_frame_meta *out)
{
	return frames_read(t, NULL, v, first, n, out);
}

int ptdbg_region_frames_read_mem(struct ptdbg_mem *m, const struct ptdbg_region_view *v,
				 uint64_t first, size_t n, struct ptdbg_frame_meta *out)
{
	return frames_read(NULL, m, v, first, n, out);
}

#define NAME_OF(table, v) ((v) < sizeof(table) / sizeof(table[0]) && table[v] ? table[v] : "?")

const char *ptdbg_as_kind_name(uint32_t kind)
{
	static const char *const names[] = {
		[PTDBG_AS_KERNEL] = "kernel", [PTDBG_AS_USER] = "user", [PTDBG_AS_DEVICE] = "device",
	};
	return NAME_OF(names, kind);
}

const char *ptdbg_tracking_name(uint32_t tracking)
{
	static const char *const names[] = {
		[PTDBG_TRACK_NA] = "n/a", [PTDBG_TRACK_UNTRACKED] = "untracked",
		[PTDBG_TRACK_TRACKED] = "tracked",
	};
	return NAME_OF(names, tracking);
}

const char *ptdbg_frame_usage_name(uint32_t usage)
{
	static const char *const names[] = {
		[PTDBG_FRAME_FREE] = "free", [PTDBG_FRAME_RESERVED] = "reserved",
		[PTDBG_FRAME_KIMAGE] = "kernel-image", [PTDBG_FRAME_PT] = "page-table",
		[PTDBG_FRAME_TRACKED] = "tracked", [PTDBG_FRAME_UNTRACKED] = "untracked",
		[PTDBG_FRAME_DMA] = "dma", [PTDBG_FRAME_MMIO] = "mmio", [PTDBG_FRAME_KHEAP] = "kernel-heap",
	};
	return NAME_OF(names, usage);
}

const char *ptdbg_fault_outcome_name(uint32_t outcome)
{
	static const char *const names[] = {
		[PTDBG_FAULT_MAPPED] = "mapped", [PTDBG_FAULT_HANDLED] = "already-handled",
		[PTDBG_FAULT_KILLED] = "killed", [PTDBG_FAULT_PANIC] = "panic",
		[PTDBG_FAULT_COW] = "protection",
	};
	return NAME_OF(names, outcome);
}

const char *ptdbg_dma_dir_name(uint32_t dir)
{
	static const char *const names[] = {
		[PTDBG_DMA_TO_DEVICE] = "to-device", [PTDBG_DMA_FROM_DEVICE] = "from-device",
		[PTDBG_DMA_BIDIR] = "bidirectional",
	};
	return NAME_OF(names, dir);
}

const char *ptdbg_dma_status_name(uint32_t status)
{
	static const char *const names[] = {
		[PTDBG_DMA_MAPPED] = "mapped", [PTDBG_DMA_REFUSED] = "refused",
		[PTDBG_DMA_UNMAPPED] = "unmapped", [PTDBG_DMA_UNREGISTERED] = "unregistered",
	};
	return NAME_OF(names, status);
}

const char *ptdbg_iommu_mode_name(uint32_t mode)
{
	static const char *const names[] = {
		[PTDBG_IOMMU_NONE] = "none", [PTDBG_IOMMU_LEGACY] = "legacy",
		[PTDBG_IOMMU_SCALABLE] = "scalable",
	};
	return NAME_OF(names, mode);
}

const struct ptdbg_marker *ptdbg_region_marker_at(const struct ptdbg_region_view *v,
						  uint32_t as_kind, uint64_t va)
{
	for (size_t i = 0; i < v->nmarkers; i++) {
		const struct ptdbg_marker *m = &v->markers[i];
		/* A user space's upper half is the kernel's: kernel markers apply there. */
		bool shared_kernel = m->as_kind == PTDBG_AS_KERNEL && as_kind == PTDBG_AS_USER && (va >> 63);
		if (as_kind && m->as_kind && m->as_kind != as_kind && !shared_kernel)
			continue;
		if (va >= m->start && (m->end == 0 || va < m->end))
			return m;
	}
	return NULL;
}

const struct ptdbg_aspace *ptdbg_region_space_by_root(const struct ptdbg_region_view *v,
						      uint64_t root)
{
	root &= X86_PTE_ADDR_MASK;
	for (size_t i = 0; i < v->nspaces; i++)
		if ((v->spaces[i].root & X86_PTE_ADDR_MASK) == root)
			return &v->spaces[i];
	return NULL;
}

const struct ptdbg_aspace *ptdbg_region_space_by_name(const struct ptdbg_region_view *v,
						      const char *name)
{
	char buf[PTDBG_NAME_LEN + 1];
	for (size_t i = 0; i < v->nspaces; i++) {
		ptdbg_name_copy(buf, v->spaces[i].name, PTDBG_NAME_LEN);
		if (strcmp(buf, name) == 0)
			return &v->spaces[i];
	}
	return NULL;
}

void ptdbg_name_copy(char *out, const char *field, size_t len)
{
	size_t i;
	for (i = 0; i < len && field[i]; i++)
		out[i] = (field[i] >= 0x20 && field[i] < 0x7f) ? field[i] : '?';
	out[i] = 0;
}

int ptdbg_region_access_cases(struct ptdbg_target *t, struct ptdbg_region_view *v,
			      struct ptdbg_access_case **cases, size_t *n)
{
	int rc = 0;

	*cases = NULL;
	*n = 0;
	if (!v->hdr.access.cases.phys || !v->hdr.access.cases.count)
		return 0;
	struct reader rd = { .t = t };
	*cases = read_array(&rd, v, "access cases", &v->hdr.access.cases, sizeof(**cases),
			    PTDBG_REGION_MAX_ACCESS_CASES, n, &rc);
	return *cases || !rc ? 0 : rc;
}
