/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/mkseeds.c: cut the fuzz seed corpora out of captures of a real VM.
 *
 * Captures (reference kernel, scenario default, -m 128M, through `ptdump monitor`):
 *   RAM    pmemsave 0 134217728 "RAM"         all of guest RAM
 *   DRHD   pmemsave 0xfed90000 4096 "DRHD"    the VT-d unit's register file
 *   CORE   dump-guest-memory CORE              an ELF core of the same VM
 *   REGION the debug region's physical address (ptdump region -j | jq -r .address)
 *
 *   build/fuzz/mkseeds RAM DRHD CORE REGION [OUTDIR]
 *
 * REGION is a number as C or Python writes it (0x..., 0o..., 0b..., decimal).
 * The seeds go to OUTDIR/TARGET/NAME; OUTDIR defaults to tests/fuzz/corpus (run
 * from the top of the tree). Existing files of the same name are overwritten,
 * others are left alone.
 *
 * Each seed is a target's parameter block (see the header comment of its
 * fuzz_*.c) followed by a small memory image: the page tables the VM really had,
 * compacted into the first pages, the region with its arrays moved next to it, a
 * core file whose memory is cut to those pages. The VT-d tables are synthetic (the
 * reference kernel does not enable the unit in this scenario) around the real
 * register file and the real ACPI DMAR table.
 *
 * Slices of the captures follow one rule everywhere: a slice that runs past the
 * end of its capture is cut there (empty when it starts past the end). Reading or
 * writing a fixed-size field outside its buffer is an error: the tool stops.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ptdbg/abi.h"

#define PAGE      4096u
#define PTE_P     0x1ull
#define PTE_PS    0x80ull
#define PTE_ADDR  0x000FFFFFFFFFF000ull
#define NOT_FOUND SIZE_MAX

/* A read-only run of bytes (a capture or a slice of one). */
struct span {
	const uint8_t *p;
	size_t n;
};

/* A growable byte buffer; the zero value is empty. */
struct buf {
	uint8_t *p;
	size_t n, cap;
};

static const char *out_dir = "tests/fuzz/corpus";

/* Print "mkseeds: MESSAGE" on stderr and exit with status 1. */
static _Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static _Noreturn void die(const char *fmt, ...)
{
	va_list ap;

	fputs("mkseeds: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* ---- byte buffers ---- */

/* Make room for extra more bytes in b; dies when memory runs out. */
static void buf_reserve(struct buf *b, size_t extra)
{
	size_t cap = b->cap ? b->cap : 256;

	if (extra > SIZE_MAX - b->n)
		die("buffer too large");
	if (b->n + extra <= b->cap)
		return;
	while (cap < b->n + extra)
		cap = cap > SIZE_MAX / 2 ? b->n + extra : cap * 2;
	b->p = realloc(b->p, cap);
	if (!b->p)
		die("out of memory (%zu bytes)", cap);
	b->cap = cap;
}

/* Append n bytes from p to b (p may be NULL when n is 0). */
static void buf_add(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
}

/* Append the bytes of s to b. */
static void buf_span(struct buf *b, struct span s)
{
	buf_add(b, s.p, s.n);
}

/* Append n zero bytes to b. */
static void buf_zero(struct buf *b, size_t n)
{
	buf_reserve(b, n);
	memset(b->p + b->n, 0, n);
	b->n += n;
}

/* Append the characters of the string s (without its NUL) to b. */
static void buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* Append v to b as a little-endian number of width bytes (1..8). */
static void buf_le(struct buf *b, uint64_t v, size_t width)
{
	buf_reserve(b, width);
	for (size_t i = 0; i < width; i++)
		b->p[b->n++] = (uint8_t)(v >> (8 * i));
}

/* Append the n bytes at p to b as lower-case hex digits, two per byte. */
static void buf_hex(struct buf *b, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	buf_reserve(b, 2 * n);
	for (size_t i = 0; i < n; i++) {
		b->p[b->n++] = (uint8_t)digits[p[i] >> 4];
		b->p[b->n++] = (uint8_t)digits[p[i] & 15];
	}
}

/* The whole of b as a span (valid until b changes). */
static struct span buf_view(const struct buf *b)
{
	return (struct span){ b->p ? b->p : (const uint8_t *)"", b->n };
}

/* Release the storage of b and make it empty. */
static void buf_free(struct buf *b)
{
	free(b->p);
	*b = (struct buf){ 0 };
}

/* Replace b[start:end] with data; start and end are cut to the length of b and
 * end to no less than start, so data may grow or shrink b. */
static void buf_splice(struct buf *b, size_t start, size_t end, struct span data)
{
	struct buf out = { 0 };

	start = start < b->n ? start : b->n;
	end = end < start ? start : end < b->n ? end : b->n;
	buf_add(&out, b->p, start);
	buf_span(&out, data);
	buf_add(&out, b->p + end, b->n - end);
	buf_free(b);
	*b = out;
}

/* The little-endian number of width bytes at off in p (n bytes long); dies when
 * the field does not lie inside p. */
static uint64_t get_le(const uint8_t *p, size_t n, size_t off, size_t width)
{
	uint64_t v = 0;

	if (off > n || width > n - off)
		die("read of %zu bytes at %#zx outside a buffer of %#zx", width, off, n);
	for (size_t i = 0; i < width; i++)
		v |= (uint64_t)p[off + i] << (8 * i);
	return v;
}

/* Store v little-endian in width bytes at off in p (n bytes long); dies when the
 * field does not lie inside p. */
static void put_le(uint8_t *p, size_t n, size_t off, uint64_t v, size_t width)
{
	if (off > n || width > n - off)
		die("write of %zu bytes at %#zx outside a buffer of %#zx", width, off, n);
	for (size_t i = 0; i < width; i++)
		p[off + i] = (uint8_t)(v >> (8 * i));
}

/* The u64 at off of s (see get_le). */
static uint64_t u64_at(struct span s, size_t off)
{
	return get_le(s.p, s.n, off, 8);
}

/* s[start:start+len], cut at the end of s (empty when start is past it). */
static struct span cut(struct span s, uint64_t start, uint64_t len)
{
	if (start >= s.n)
		return (struct span){ s.p + s.n, 0 };
	return (struct span){ s.p + start, len < s.n - start ? (size_t)len : s.n - (size_t)start };
}

/* The offset of the first copy of needle (nlen bytes, at least 1) in s at or
 * after from, or NOT_FOUND. */
static size_t find(struct span s, const void *needle, size_t nlen, size_t from)
{
	const uint8_t first = *(const uint8_t *)needle;

	for (size_t i = from; i <= s.n && nlen <= s.n - i; i++) {
		const uint8_t *c = memchr(s.p + i, first, s.n - i - nlen + 1);

		if (!c)
			break;
		i = (size_t)(c - s.p);
		if (!memcmp(c, needle, nlen))
			return i;
	}
	return NOT_FOUND;
}

/* A copy of s with every copy of from (left to right, not overlapping) replaced
 * by to; from must not be empty. */
static struct buf replace(struct span s, struct span from, struct span to)
{
	struct buf out = { 0 };
	size_t at = 0, hit;

	while ((hit = find(s, from.p, from.n, at)) != NOT_FOUND) {
		buf_add(&out, s.p + at, hit - at);
		buf_span(&out, to);
		at = hit + from.n;
	}
	buf_add(&out, s.p + at, s.n - at);
	return out;
}

/* zlib's CRC-32 (IEEE 802.3, reflected, initial and final value ~0) of s. */
static uint32_t crc32(struct span s)
{
	uint32_t crc = 0xFFFFFFFFu;

	for (size_t i = 0; i < s.n; i++) {
		crc ^= s.p[i];
		for (int k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
	}
	return ~crc;
}

/* ---- files ---- */

/* The whole of the file at path; dies when it cannot be read. */
static struct buf read_file(const char *path)
{
	struct buf b = { 0 };
	FILE *f = fopen(path, "rb");
	size_t got;

	if (!f)
		die("%s: %s", path, strerror(errno));
	do {
		buf_reserve(&b, 1 << 20);
		got = fread(b.p + b.n, 1, b.cap - b.n, f);
		b.n += got;
	} while (got);
	if (ferror(f))
		die("%s: read error", path);
	fclose(f);
	return b;
}

/* Create the directory path and its missing parents (like mkdir -p); dies when
 * one cannot be made. */
static void make_dirs(const char *path)
{
	char *p = strdup(path);

	if (!p)
		die("out of memory");
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;

		*s = 0;
		if (mkdir(p, 0777) && errno != EEXIST)
			die("%s: %s", p, strerror(errno));
		if (!c)
			break;
		*s = c;
	}
	free(p);
}

/* Write the seed data as OUTDIR/target/name, replacing a file of that name. */
static void put(const char *target, const char *name, struct span data)
{
	size_t len = strlen(out_dir) + strlen(target) + strlen(name) + 3;
	char *path = malloc(len);
	FILE *f;

	if (!path)
		die("out of memory");
	snprintf(path, len, "%s/%s", out_dir, target);
	make_dirs(path);
	snprintf(path, len, "%s/%s/%s", out_dir, target, name);
	f = fopen(path, "wb");
	if (!f)
		die("%s: %s", path, strerror(errno));
	if ((data.n && fwrite(data.p, data.n, 1, f) != 1) || fclose(f))
		die("%s: write error", path);
	free(path);
}

/* put() of a buffer, which is then released. */
static void put_buf(const char *target, const char *name, struct buf *b)
{
	put(target, name, buf_view(b));
	buf_free(b);
}

/* ---- x86 page tables ---- */

/* A list of physical addresses. */
struct pa_list {
	uint64_t *v;
	size_t n, cap;
};

/* Append pa to l. */
static void pa_push(struct pa_list *l, uint64_t pa)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			die("out of memory");
	}
	l->v[l->n++] = pa;
}

/* The physical addresses of the 4-level tables reachable from root (page aligned)
 * in ram, breadth first, each once. A table that does not lie wholly inside ram is
 * left out; a present entry is followed unless it maps a large page (PS at levels
 * 2 and 3) or sits at level 1. */
static struct pa_list tables(struct span ram, uint64_t root)
{
	struct pa_list order = { 0 }, queue = { 0 }, level = { 0 };
	uint8_t *seen = calloc(ram.n / PAGE + 1, 1);

	if (!seen)
		die("out of memory");
	pa_push(&queue, root);
	pa_push(&level, 4);
	for (size_t head = 0; head < queue.n; head++) {
		uint64_t pa = queue.v[head], lvl = level.v[head];

		if (pa > ram.n || ram.n - pa < PAGE || seen[pa / PAGE])
			continue;
		seen[pa / PAGE] = 1;
		pa_push(&order, pa);
		if (lvl == 1)
			continue;
		for (size_t i = 0; i < 512; i++) {
			uint64_t e = u64_at(ram, pa + 8 * i);

			if ((e & PTE_P) && !((e & PTE_PS) && (lvl == 2 || lvl == 3))) {
				pa_push(&queue, e & PTE_ADDR);
				pa_push(&level, lvl - 1);
			}
		}
	}
	free(seen);
	free(queue.v);
	free(level.v);
	return order;
}

/* An image holding ram[0:low] and every table of root at or above low, moved (in
 * breadth-first order) to the pages right after low, with every present entry of
 * the image's tables that points at a moved table rewritten to its new place.
 * *new_root: where root is in the image. low is page aligned. */
static struct buf compact(struct span ram, uint64_t root, uint64_t low, uint64_t *new_root)
{
	struct pa_list all = tables(ram, root), fix = { 0 };
	/* where[page of an old address] = 1 + index among the moved tables, or 0 */
	uint32_t *where = calloc(ram.n / PAGE + 1, sizeof(*where));
	struct buf img = { 0 };
	size_t moved = 0;

	if (!where)
		die("out of memory");
	buf_span(&img, cut(ram, 0, low));
	for (size_t i = 0; i < all.n; i++)
		if (all.v[i] >= low) {
			where[all.v[i] / PAGE] = (uint32_t)++moved;
			buf_add(&img, ram.p + all.v[i], PAGE);
		}
	for (size_t i = 0; i < all.n; i++)
		if (all.v[i] < low)
			pa_push(&fix, all.v[i]);
	for (size_t i = 0; i < moved; i++)
		pa_push(&fix, low + PAGE * i);
	for (size_t t = 0; t < fix.n; t++)
		for (size_t i = 0; i < 512; i++) {
			size_t off = fix.v[t] + 8 * i;
			uint64_t e = get_le(img.p, img.n, off, 8), to = e & PTE_ADDR;

			if ((e & PTE_P) && to < ram.n && where[to / PAGE])
				put_le(img.p, img.n, off,
				       (e & ~PTE_ADDR) | (low + PAGE * (where[to / PAGE] - 1)), 8);
		}
	*new_root = root < ram.n && where[root / PAGE] ? low + PAGE * (where[root / PAGE] - 1) : root;
	free(where);
	free(all.v);
	free(fix.v);
	return img;
}

/* Append the x86 target's 64-byte parameter block: CR0, CR3, CR4, EFER, PAT
 * (u64 each), flags, MAXPHYADDR 40, 3, 0 (u8 each), u32 ~0, the VA range. */
static void x86_hdr(struct buf *b, uint64_t cr3, uint8_t flags, uint64_t va_first, uint64_t va_last)
{
	buf_le(b, 0x80010011, 8);
	buf_le(b, cr3, 8);
	buf_le(b, 0x003000A0, 8);
	buf_le(b, 0xD00, 8);
	buf_le(b, 0x0407050600070106ull, 8);
	buf_le(b, flags, 1);
	buf_le(b, 40, 1);
	buf_le(b, 3, 1);
	buf_le(b, 0, 1);
	buf_le(b, 0xFFFFFFFF, 4);
	buf_le(b, va_first, 8);
	buf_le(b, va_last, 8);
}

/* Append the sparse records (u64 address, u16 length, bytes) of the page at pa of
 * img: one per run of nonzero bytes, runs less than 16 zero bytes apart joined (a
 * record costs 10); a page of zeros gets one record of length 0, so that it still
 * reads as zeros. */
static void page_records(struct buf *b, struct span img, size_t pa)
{
	struct span pg = cut(img, pa, PAGE);
	size_t at = 0, records = 0;

	for (;;) {
		while (at < pg.n && !pg.p[at])
			at++;
		if (at == pg.n)
			break;
		size_t end = at, zeros = 0;
		while (end + zeros < pg.n && zeros < 16) {
			if (pg.p[end + zeros]) {
				end += zeros + 1;
				zeros = 0;
			} else {
				zeros++;
			}
		}
		buf_le(b, pa + at, 8);
		buf_le(b, end - at, 2);
		buf_span(b, cut(pg, at, end - at));
		records++;
		at = end;
	}
	if (!records) {
		buf_le(b, pa, 8);
		buf_le(b, 0, 2);
	}
}

/* Append the records of every page of img (memory from address 0): first the
 * pages in first (in that order), then the others in address order. */
static void sparse_image(struct buf *b, struct span img, const struct pa_list *first)
{
	uint8_t *done = calloc(img.n / PAGE + 1, 1);

	if (!done)
		die("out of memory");
	for (size_t i = 0; first && i < first->n; i++) {
		page_records(b, img, first->v[i]);
		done[first->v[i] / PAGE] = 1;
	}
	for (size_t pa = 0; pa < img.n; pa += PAGE)
		if (!done[pa / PAGE])
			page_records(b, img, pa);
	free(done);
}

/* An x86 input of the flat format (the 64-byte parameter block, then memory from
 * address 0) in the sparse one (fuzz_x86.c): the same block with byte 43 (how the
 * image reads) 0x10 (pages not in the image are holes, all four printers), then
 * the records of every page of the image: first the tables reachable from CR3,
 * breadth first (so that an input cut short keeps the top of the tree), then the
 * other pages in address order. */
static struct buf x86_sparse(struct span flat)
{
	struct buf b = { 0 };
	struct span hdr = cut(flat, 0, 64), img = cut(flat, 64, flat.n);

	buf_span(&b, hdr);
	buf_zero(&b, 64 - hdr.n);
	b.p[43] = 0x10;
	struct pa_list order = tables(img, get_le(b.p, b.n, 8, 8) & PTE_ADDR);
	sparse_image(&b, img, &order);
	free(order.v);
	return b;
}

/* put_buf() of an x86 input of the flat format, cut into the sparse one, feeding
 * the printer given (byte 43 bits 2-3: text, JSON, info-mem, info-tlb). One per
 * seed: a seed that fed all four would make the inputs cut from it twice as slow. */
static void put_x86(const char *name, struct buf *flat, unsigned printer)
{
	struct buf b = x86_sparse(buf_view(flat));

	buf_free(flat);
	b.p[43] = (uint8_t)(printer << 2);
	put_buf("x86", name, &b);
}

/* The x86 seeds: the kernel space (whole, filtered, as 5-level), the two user
 * spaces compacted, and the kernel PML4 with a recursive slot. All but the first
 * are sparse images feeding one printer each; kernel-space stays a flat one
 * feeding all four (byte 43 = 0x12), the image the robustness suites serve from a
 * fake stub (tail -c +65). */
static void seeds_x86(struct span ram)
{
	static const struct { const char *name; uint64_t root; } users[] = {
		{ "user-alpha", 0x17000 }, { "user-beta", 0x22000 },
	};
	const uint64_t low = 0x12000; /* the kernel's tables all lie below this */
	const uint64_t all = 0xFFFFFFFFFFFFFFFFull;
	struct span kernel = cut(ram, 0, low);
	struct buf b = { 0 };

	x86_hdr(&b, 0x1000, 0, 0, all);
	b.p[43] = 0x12;
	buf_span(&b, kernel);
	put_buf("x86", "kernel-space", &b);
	x86_hdr(&b, 0x1000, 8 | 0x10, 0xFFFFFFFF80000000ull, all);
	buf_span(&b, kernel);
	put_x86("kernel-space-filtered", &b, 1);
	x86_hdr(&b, 0x1000, 2, 0, all);
	buf_span(&b, kernel);
	put_x86("kernel-as-5-level", &b, 2);
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		uint64_t root;
		struct buf img = compact(ram, users[i].root, low, &root);

		x86_hdr(&b, root, 4 | 0x40, 0, all);
		buf_span(&b, buf_view(&img));
		buf_free(&img);
		put_x86(users[i].name, &b, i ? 1 : 0);
	}
	/* a recursive slot: the kernel PML4 pointing at itself */
	x86_hdr(&b, 0x1000, 0, 0, all);
	size_t hdr = b.n;

	buf_span(&b, kernel);
	put_le(b.p + hdr, b.n - hdr, 0x1000 + 8 * 510, 0x1000 | 0x63, 8);
	put_x86("recursive-slot", &b, 3);
}

/* ---- debug region ---- */

/* Offsets in struct ptdbg_region of the fields and arrays the cutter rewrites: from
 * the ABI header itself, so they follow it. */
#define REGION_HDR_SIZE   offsetof(struct ptdbg_region, hdr_size)
#define REGION_SELF_PHYS  offsetof(struct ptdbg_region, self_phys)
#define REGION_SPACES     offsetof(struct ptdbg_region, spaces)
#define REGION_MARKERS    offsetof(struct ptdbg_region, markers)
#define REGION_FRAMES     offsetof(struct ptdbg_region, frames)
#define REGION_DOMAINS    offsetof(struct ptdbg_region, iommu.domains)
#define REGION_DMA_BUFS   offsetof(struct ptdbg_region, iommu.dma_bufs)
#define REGION_FAULT_RING offsetof(struct ptdbg_region, faults.ring)
#define REGION_IMAGE_AT   0x40  /* where the header goes in the image */
#define REGION_MAX_FRAMES 256

/* A small image of the region whose header is at pa in ram: 0x40 zero bytes, the
 * header (cut to its hdr_size, at most a page) padded to a page, then each array
 * the header points to (the fault ring at its capacity, the others at their count,
 * each padded to 64 bytes; arrays with elements over a page are left where they
 * were) and the frame metadata cut to 256 frames, with every physical address of
 * the header rewritten to the copy. */
static struct buf relocate_region(struct span ram, uint64_t pa)
{
	static const size_t arrays[] = {
		REGION_SPACES, REGION_MARKERS, REGION_DOMAINS, REGION_DMA_BUFS, REGION_FAULT_RING,
	};
	const uint64_t base = REGION_IMAGE_AT + PAGE;
	struct buf hdr = { 0 }, body = { 0 }, img = { 0 };

	buf_span(&hdr, cut(ram, pa, PAGE));
	uint64_t size = get_le(hdr.p, hdr.n, REGION_HDR_SIZE, 4);

	hdr.n = size < hdr.n ? size : hdr.n;
	put_le(hdr.p, hdr.n, REGION_SELF_PHYS, REGION_IMAGE_AT, 8);
	for (size_t i = 0; i < sizeof(arrays) / sizeof(arrays[0]); i++) {
		size_t off = arrays[i];
		uint64_t phys = get_le(hdr.p, hdr.n, off, 8);
		uint64_t count = get_le(hdr.p, hdr.n, off + 8, 4);
		uint64_t cap = get_le(hdr.p, hdr.n, off + 12, 4);
		uint64_t esz = get_le(hdr.p, hdr.n, off + 16, 4);
		uint64_t n = off == REGION_FAULT_RING && cap > count ? cap : count;

		if (!phys || !n || esz > PAGE)
			continue;
		struct span data = cut(ram, phys, n * esz);

		put_le(hdr.p, hdr.n, off, base + body.n, 8);
		buf_span(&body, data);
		buf_zero(&body, (64 - data.n % 64) % 64);
	}
	uint64_t phys = get_le(hdr.p, hdr.n, REGION_FRAMES, 8);
	uint64_t base_pfn = get_le(hdr.p, hdr.n, REGION_FRAMES + 8, 8);
	uint64_t count = get_le(hdr.p, hdr.n, REGION_FRAMES + 16, 8);
	uint64_t esz = get_le(hdr.p, hdr.n, REGION_FRAMES + 24, 4);

	if (phys && esz) {
		uint64_t n = count < REGION_MAX_FRAMES ? count : REGION_MAX_FRAMES;

		put_le(hdr.p, hdr.n, REGION_FRAMES, base + body.n, 8);
		put_le(hdr.p, hdr.n, REGION_FRAMES + 8, base_pfn, 8);
		put_le(hdr.p, hdr.n, REGION_FRAMES + 16, n, 8);
		buf_span(&body, cut(ram, phys, n * esz));
	}
	buf_zero(&img, REGION_IMAGE_AT);
	buf_span(&img, buf_view(&hdr));
	buf_zero(&img, PAGE - hdr.n);
	buf_span(&img, buf_view(&body));
	buf_free(&hdr);
	buf_free(&body);
	return img;
}

/* Append the region target's 16-byte parameter block: where the header is (u32),
 * first frame looked up (u32), frames looked up (u16), unused (u16), a VA / 4 KiB (u32). */
static void region_hdr(struct buf *b, uint32_t at, uint16_t frames, uint32_t va_page)
{
	buf_le(b, at, 4);
	buf_le(b, 0, 4);
	buf_le(b, frames, 2);
	buf_le(b, 0, 2);
	buf_le(b, va_page, 4);
}

/* The region seeds: the relocated region, the same with an odd (torn) generation,
 * and the image for the scan only (header address not given). */
static void seeds_region(struct span ram, uint64_t pa)
{
	struct buf img = relocate_region(ram, pa), b = { 0 };
	const size_t gen = REGION_IMAGE_AT + 16;

	region_hdr(&b, REGION_IMAGE_AT, 64, 0xFFFFF);
	buf_span(&b, buf_view(&img));
	put_buf("region", "default-scenario", &b);
	region_hdr(&b, REGION_IMAGE_AT, 8, 0x100);
	size_t at = b.n;

	buf_span(&b, buf_view(&img));
	put_le(b.p + at, b.n - at, gen, get_le(b.p + at, b.n - at, gen, 8) | 1, 8);
	put_buf("region", "torn-generation", &b);
	region_hdr(&b, 0x1000, 1, 0);
	buf_span(&b, buf_view(&img));
	put_buf("region", "scan-only", &b);
	buf_free(&img);
}

/* ---- VT-d ---- */

/* A VT-d memory image: root table 0x1000, context table 0x2000 (scalable: its lower
 * half), for device 00:02.0 a 3-level second-level table at 0x3000-0x5000 (scalable:
 * through a PASID directory at 0x6000 and PASID table at 0x7000), the register file
 * (first page of drhd) at 0x8000, the DMAR table at 0x9000. */
static struct buf vtd_image(struct span drhd, struct span dmar, int scalable)
{
	const size_t devfn = 0x10;
	struct buf img = { 0 };

	buf_zero(&img, 0xA000);
	put_le(img.p, img.n, 0x1000, 0x2000 | 1, 8);
	put_le(img.p, img.n, 0x1008, scalable ? 0x2000 | 1 : 0, 8);
	if (scalable) {
		/* scalable context: PASID directory at 0x6000, PASID entry table 0x7000 */
		put_le(img.p, img.n, 0x2000 + 32 * devfn, 0x6000 | 1, 8);
		put_le(img.p, img.n, 0x6000, 0x7000 | 1, 8);
		/* PASID entry 0: P, PGTT=2 (second level), AW=1, DID 1, SLPTPTR 0x3000 */
		put_le(img.p, img.n, 0x7000, 0x3000 | (2 << 6) | (1 << 2) | 1, 8);
		put_le(img.p, img.n, 0x7008, 1, 8);
	} else {
		put_le(img.p, img.n, 0x2000 + 16 * devfn, 0x3000 | 1, 8);
		put_le(img.p, img.n, 0x2000 + 16 * devfn + 8, (1 << 8) | 1, 8);
	}
	put_le(img.p, img.n, 0x3000, 0x4000 | 3, 8);
	put_le(img.p, img.n, 0x4000, 0x5000 | 3, 8);
	put_le(img.p, img.n, 0x4008, 0x200000 | 0x80 | 1, 8); /* 2 MiB, read only */
	put_le(img.p, img.n, 0x4010, 0x12345000, 8);          /* R=W=0, nonzero */
	for (size_t i = 0; i < 8; i++)
		put_le(img.p, img.n, 0x5000 + 8 * i, (0x100000 + 0x1000 * i) | 3, 8);
	put_le(img.p, img.n, 0x5000 + 8 * 9, 0x3000 | 3, 8); /* points at the root */
	buf_splice(&img, 0x8000, 0x9000, cut(drhd, 0, PAGE));
	buf_splice(&img, 0x9000, 0x9000 + dmar.n, dmar);
	return img;
}

/* Append the vtd target's 48-byte parameter block: root table, BDF, flags (bit 0:
 * scalable), 3, PASID, IOVA, 39, 39, 4, 1, register file 0x8000, second-level
 * table 0x3000, DMAR table 0x9000, 0 (byte 44: holes; 45: the printers, below). */
static void vtd_hdr(struct buf *b, int scalable, uint64_t iova, uint8_t flags, uint32_t pasid)
{
	buf_le(b, 0x1000, 8);
	buf_le(b, 0x10, 2);
	buf_le(b, flags | (scalable ? 1 : 0), 1);
	buf_le(b, 3, 1);
	buf_le(b, pasid, 4);
	buf_le(b, iova, 8);
	buf_le(b, 39, 1);
	buf_le(b, 39, 1);
	buf_le(b, 0x4, 1);
	buf_le(b, 0x1, 1);
	buf_le(b, 0x8000, 4);
	buf_le(b, 0x3000, 8);
	buf_le(b, 0x9000, 4);
	buf_le(b, 0, 4); /* pages not in the image are holes */
}

/* The vtd seeds around the real register file and the first "DMAR" in ram whose
 * length field says 48..4096 bytes (none: an empty table). */
static void seeds_vtd(struct span ram, struct span drhd)
{
	static const struct {
		const char *name;
		int scalable;
		uint64_t iova;
		uint8_t flags;
		uint32_t pasid;
		int printers; /* byte 45: 1 JSON instead of text, 2 the whole context dump */
	} seeds[] = {
		{ "legacy", 0, 0x1000, 0, 0xFFFFFFFF, 2 },
		{ "legacy-write-2m", 0, 0x200000, 0x20, 0xFFFFFFFF, 1 },
		{ "scalable", 1, 0x1000, 0, 0, 2 },
		{ "scalable-no-pasid", 1, 0x1000, 2 | 4, 0xFFFFFFFF, 3 },
	};
	size_t at = find(ram, "DMAR", 4, 0);
	struct span dmar = { ram.p, 0 };

	while (at != NOT_FOUND) {
		uint64_t len = get_le(ram.p, ram.n, at + 4, 4);

		if (len >= 48 && len <= 4096)
			break;
		at = find(ram, "DMAR", 4, at + 1);
	}
	if (at != NOT_FOUND)
		dmar = cut(ram, at, get_le(ram.p, ram.n, at + 4, 4));
	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		struct buf b = { 0 }, img = vtd_image(drhd, dmar, seeds[i].scalable);

		vtd_hdr(&b, seeds[i].scalable, seeds[i].iova, seeds[i].flags, seeds[i].pasid);
		b.p[45] = (uint8_t)seeds[i].printers;
		if (i == 0) { /* legacy stays flat: robust.sh serves it from a fake stub */
			b.p[44] = 2;
			buf_span(&b, buf_view(&img));
		} else {
			sparse_image(&b, buf_view(&img), NULL);
		}
		buf_free(&img);
		put_buf("vtd", seeds[i].name, &b);
	}
}

/* ---- ELF core ---- */

/* An ELF64 program header, fields in file order. */
struct phdr {
	uint64_t type, flags, offset, vaddr, paddr, filesz, memsz, align;
};

#define PT_LOAD_TYPE 1
#define PT_NOTE_TYPE 4
#define PHDR_SIZE    56
#define QEMU_NOTE_CR3 (392 + 3 * 8) /* QEMUCPUState.cr[3] in the note's descriptor */

/* Read the program header at off of core. */
static struct phdr phdr_at(struct span core, size_t off)
{
	return (struct phdr){
		get_le(core.p, core.n, off, 4),      get_le(core.p, core.n, off + 4, 4),
		get_le(core.p, core.n, off + 8, 8),  get_le(core.p, core.n, off + 16, 8),
		get_le(core.p, core.n, off + 24, 8), get_le(core.p, core.n, off + 32, 8),
		get_le(core.p, core.n, off + 40, 8), get_le(core.p, core.n, off + 48, 8),
	};
}

/* Append p to b as a 56-byte ELF64 program header. */
static void phdr_put(struct buf *b, const struct phdr *p)
{
	buf_le(b, p->type, 4);
	buf_le(b, p->flags, 4);
	buf_le(b, p->offset, 8);
	buf_le(b, p->vaddr, 8);
	buf_le(b, p->paddr, 8);
	buf_le(b, p->filesz, 8);
	buf_le(b, p->memsz, 8);
	buf_le(b, p->align, 8);
}

/* The core seeds: the real ELF header and notes (CR3 in the QEMU note set to the
 * kernel's 0x1000); each PT_LOAD cut, the one at physical 0 to 64 KiB from the
 * file and 128 KiB in memory (the rest reads as zeros), the others to one page
 * and two; the result also cut to 200 bytes and to its headers plus 8 KiB. */
static void seeds_core(struct span core)
{
	uint64_t phoff = get_le(core.p, core.n, 32, 8);
	size_t phentsize = get_le(core.p, core.n, 54, 2), phnum = get_le(core.p, core.n, 56, 2);
	struct phdr *out_ph = calloc(phnum + 1, sizeof(*out_ph));
	struct buf *blobs = calloc(phnum + 1, sizeof(*blobs));
	struct buf out = { 0 };
	size_t n = 0;

	if (!out_ph || !blobs)
		die("out of memory");
	for (size_t i = 0; i < phnum; i++) {
		struct phdr p = phdr_at(core, phoff + i * phentsize);

		if (p.type != PT_NOTE_TYPE)
			continue;
		struct buf *blob = &blobs[n];
		size_t q;

		buf_span(blob, cut(core, p.offset, p.filesz));
		/* the kernel address space: CR3 0x1000 in the QEMU note */
		q = find(buf_view(blob), "QEMU", 5, 0);
		if (q != NOT_FOUND)
			put_le(blob->p, blob->n, ((q + 5 + 3) & ~(size_t)3) + QEMU_NOTE_CR3, 0x1000, 8);
		out_ph[n++] = (struct phdr){ PT_NOTE_TYPE, p.flags, 0, 0, 0, blob->n, blob->n, p.align };
	}
	for (size_t i = 0; i < phnum; i++) {
		struct phdr p = phdr_at(core, phoff + i * phentsize);

		if (p.type != PT_LOAD_TYPE)
			continue;
		uint64_t keep = p.paddr == 0 ? 0x10000 : 0x1000;

		buf_span(&blobs[n], cut(core, p.offset, keep));
		out_ph[n++] = (struct phdr){ PT_LOAD_TYPE, p.flags, 0, p.vaddr, p.paddr, keep, 2 * keep, p.align };
	}
	size_t data_off = 64 + PHDR_SIZE * n, off = data_off;

	buf_span(&out, cut(core, 0, 64));
	put_le(out.p, out.n, 56, n, 2);
	put_le(out.p, out.n, 32, 64, 8);
	for (size_t i = 0; i < n; i++) {
		out_ph[i].offset = off;
		off += blobs[i].n;
	}
	for (size_t i = 0; i < n; i++)
		phdr_put(&out, &out_ph[i]);
	for (size_t i = 0; i < n; i++) {
		buf_span(&out, buf_view(&blobs[i]));
		buf_free(&blobs[i]);
	}
	put("core", "qemu-dump-cut", buf_view(&out));
	put("core", "truncated-headers", cut(buf_view(&out), 0, 200));
	put("core", "truncated-memory", cut(buf_view(&out), 0, data_off + 0x2000));
	buf_free(&out);
	free(out_ph);
	free(blobs);
}

/* ---- snapshots ---- */

/* One mapping record of a snapshot. */
struct snap_rec {
	uint64_t va, size, pa;
	uint32_t attrs;
	uint8_t level;
};

/* One address space of a snapshot. */
struct snap_space {
	const char *name; /* at most 48 characters */
	const struct snap_rec *recs;
	size_t n;
};

/* A snapshot file of the given version holding spaces: "PTDBGSNP", version, 32,
 * space count, 1, time 1700000000; per space its name (48 bytes), 1, 4, 0x1000,
 * record count, then its 32-byte records; then the CRC-32 of all that and "PTDBGEND". */
static struct buf snap(const struct snap_space *spaces, size_t nspaces, uint32_t version)
{
	struct buf b = { 0 };

	buf_str(&b, "PTDBGSNP");
	buf_le(&b, version, 4);
	buf_le(&b, 32, 4);
	buf_le(&b, nspaces, 4);
	buf_le(&b, 1, 4);
	buf_le(&b, 1700000000, 8);
	for (size_t s = 0; s < nspaces; s++) {
		size_t len = strlen(spaces[s].name);

		buf_str(&b, spaces[s].name);
		buf_zero(&b, len < 48 ? 48 - len : 0);
		buf_le(&b, 1, 4);
		buf_le(&b, 4, 4);
		buf_le(&b, 0x1000, 8);
		buf_le(&b, spaces[s].n, 8);
		for (size_t i = 0; i < spaces[s].n; i++) {
			const struct snap_rec *r = &spaces[s].recs[i];

			buf_le(&b, r->va, 8);
			buf_le(&b, r->size, 8);
			buf_le(&b, r->pa, 8);
			buf_le(&b, r->attrs, 4);
			buf_le(&b, r->level, 1);
			buf_le(&b, 6, 1);
			buf_le(&b, 0, 2);
		}
	}
	buf_le(&b, crc32(buf_view(&b)), 4);
	buf_str(&b, "PTDBGEND");
	return b;
}

/* Put a seed made of the byte mode (the snap target's first input byte) and data. */
static void put_snap(const char *name, uint8_t mode, struct span data)
{
	struct buf b = { 0 };

	buf_le(&b, mode, 1);
	buf_span(&b, data);
	put_buf("snap", name, &b);
}

/* The snap seeds: two spaces, a newer version, a truncated and a corrupted file,
 * and (mode 1) a space whose records are out of order with a correct CRC. */
static void seeds_snap(void)
{
	static const struct snap_rec k[] = {
		{ 0xFFFF800000000000ull, 1ull << 30, 0, 0x0D, 3 },
		{ 0xFFFFFFFF80000000ull, 0x200000, 0x100000, 0x08, 2 },
		{ 0xFFFFFFFF80200000ull, 0x1000, 0x300000, 0x0D, 1 },
	};
	static const struct snap_rec u[] = {
		{ 0x400000, 0x3000, 0x500000, 0x03, 1 },
		{ 0x7FFFFFFFE000ull, 0x2000, 0x600000, 0x07, 1 },
	};
	const size_t nk = sizeof(k) / sizeof(k[0]);
	struct snap_rec k_rev[sizeof(k) / sizeof(k[0])];
	struct snap_space two[] = { { "kernel", k, nk }, { "alpha", u, sizeof(u) / sizeof(u[0]) } };
	struct snap_space rev[] = { { "kernel", k_rev, nk } };
	struct buf good = snap(two, 2, 1), other;

	for (size_t i = 0; i < nk; i++)
		k_rev[i] = k[nk - 1 - i];
	put_snap("two-spaces", 0, buf_view(&good));
	other = snap(two, 1, 2);
	put_snap("newer-version", 0, buf_view(&other));
	buf_free(&other);
	put_snap("truncated", 0, cut(buf_view(&good), 0, 100));
	good.p[40] ^= 1;
	put_snap("corrupted", 0, buf_view(&good));
	buf_free(&good);
	other = snap(rev, 1, 1);
	put_snap("out-of-order-fixed-crc", 1, buf_view(&other));
	buf_free(&other);
}

/* ---- RSP streams ---- */

/* Append the RSP packet "$payload#xx" (xx: the payload's byte sum mod 256 in
 * lower-case hex) to b. */
static void frame(struct buf *b, const void *payload, size_t n)
{
	const uint8_t *p = payload;
	unsigned sum = 0;
	char tail[4];

	for (size_t i = 0; i < n; i++)
		sum += p[i];
	buf_str(b, "$");
	buf_add(b, p, n);
	snprintf(tail, sizeof(tail), "#%02x", sum & 0xFF);
	buf_str(b, tail);
}

/* frame() of a NUL-terminated payload. */
static void frame_str(struct buf *b, const char *payload)
{
	frame(b, payload, strlen(payload));
}

/* The rsp seeds: a 2-byte parameter block (see fuzz_rsp.c), then what a stub sends. */
static void seeds_rsp(void)
{
	struct buf b = { 0 }, f = { 0 };
	char fours[65];

	buf_add(&b, "\0\x10+", 3);
	frame_str(&b, "PacketSize=1000;qXfer:features:read+;multiprocess+");
	put_buf("rsp", "qsupported", &b);

	buf_add(&b, "\3\x07+", 3);
	frame_str(&b, "0000* 1122ff}]");
	buf_str(&b, "+");
	frame_str(&b, "E14");
	put_buf("rsp", "memory-rle", &b);

	buf_add(&b, "\1\x01\x03junk%", 8);
	frame_str(&f, "Stop:T05");
	buf_add(&b, f.p + 1, f.n - 1);
	buf_free(&f);
	buf_str(&b, "-$bad#zz");
	frame_str(&b, "OK");
	put_buf("rsp", "notify-interrupt-noise", &b);

	memset(fours, '4', 64);
	fours[64] = 0;
	buf_add(&b, "\2\xff", 2);
	frame_str(&b, fours);
	put_buf("rsp", "oversize", &b);
}

/* Append "+" and the packet whose payload is the hex of the n bytes at p. */
static void ack_hex_frame(struct buf *b, const uint8_t *p, size_t n)
{
	struct buf hex = { 0 };

	buf_hex(&hex, p, n);
	buf_str(b, "+");
	frame(b, hex.p, hex.n);
	buf_free(&hex);
}

/* The gdbstub seeds: what a QEMU-like stub sends in one run of the fuzz target, in
 * the order the tool asks (handshake, target description, 11 registers, 6 memory
 * reads, a monitor command, restore), with real memory from ram in the m replies;
 * the same with QEMU's run-length encoding of 32 zero digits, a stop notification
 * and a NAK; and a stub without the physical-memory mode. */
static void seeds_gdbstub(struct span ram)
{
	static const struct { const char *name; unsigned bits; uint64_t value; } regs[] = {
		{ "rip", 64, 0xFFFFFFFF80104782ull }, { "rsp", 64, 0xFFFFFFFF80FF0000ull },
		{ "cs", 32, 0x10 }, { "fs_base", 64, 0 }, { "gs_base", 64, 0 },
		{ "k_gs_base", 64, 0 }, { "cr0", 64, 0x80010011 }, { "cr2", 64, 0x100044000ull },
		{ "cr3", 64, 0x1000 }, { "cr4", 64, 0x3000A0 }, { "efer", 64, 0xD00 },
	};
	static const struct { uint64_t pa, n; } reads[] = {
		{ 0x1000, 0x800 }, { 0x1800, 0x800 }, { 0x2FF8, 0x10 }, { 0, 0x800 }, { 0x800, 0x800 },
	};
	static const char status[] = "VM status: paused\r\n";
	struct buf out = { 0 }, xml = { 0 }, msg = { 0 }, zeros = { 0 }, rle = { 0 }, noise = { 0 };
	char line[128];

	buf_str(&xml, "l<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\"><target>"
		      "<architecture>i386:x86-64</architecture><feature name=\"org.qemu.gdb.x86\">");
	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		snprintf(line, sizeof(line), "<reg name=\"%s\" bitsize=\"%u\" type=\"int\"/>",
			 regs[i].name, regs[i].bits);
		buf_str(&xml, line);
	}
	buf_str(&xml, "</feature></target>");

	buf_str(&out, "+");
	frame_str(&out, "PacketSize=1000;qXfer:features:read+;vContSupported+");
	buf_str(&out, "+");
	frame_str(&out, "0");
	buf_str(&out, "+");
	frame_str(&out, "OK");
	buf_str(&out, "+");
	frame(&out, xml.p, xml.n);
	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		uint8_t le[8];

		for (size_t j = 0; j < 8; j++)
			le[j] = (uint8_t)(regs[i].value >> (8 * j));
		ack_hex_frame(&out, le, regs[i].bits / 8);
	}
	for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++) {
		struct span m = cut(ram, reads[i].pa, reads[i].n);

		ack_hex_frame(&out, m.p, m.n);
	}
	buf_str(&out, "+");
	frame_str(&out, "E14");
	buf_str(&msg, "O");
	buf_hex(&msg, (const uint8_t *)status, strlen(status));
	buf_str(&out, "+");
	frame(&out, msg.p, msg.n);
	frame_str(&out, "OK");
	buf_str(&out, "+");
	frame_str(&out, "OK");
	buf_str(&out, "+");
	frame_str(&out, "OK");
	put("gdbstub", "full-exchange", buf_view(&out));

	/* the same with QEMU's run-length encoding, a stop notification and a NAK */
	memset(line, '0', 32);
	frame(&zeros, line, 32);
	frame_str(&rle, "0* ");
	struct buf coded = replace(buf_view(&out), buf_view(&zeros), buf_view(&rle));

	buf_str(&noise, "-");
	frame_str(&noise, "T02thread:01;");
	buf_str(&noise, "%Stop:T05#00");
	buf_span(&noise, buf_view(&coded));
	put_buf("gdbstub", "full-exchange-noise", &noise);

	buf_str(&noise, "+");
	frame_str(&noise, "PacketSize=1000");
	buf_str(&noise, "+");
	frame(&noise, "", 0);
	put_buf("gdbstub", "no-phymem", &noise);

	buf_free(&coded);
	buf_free(&out);
	buf_free(&xml);
	buf_free(&msg);
	buf_free(&zeros);
	buf_free(&rle);
}

/* ---- command line ---- */

/* Parse s as an unsigned integer the way C and Python literals write it: optional
 * white space and '+', then 0x/0o/0b and digits of that base, or decimal digits
 * (no leading zeros unless the number is zero), single '_' allowed between
 * digits. Returns 0 and *v, or -1 when s is not such a number or does not fit
 * in 64 bits. */
static int parse_u64(const char *s, uint64_t *v)
{
	unsigned base = 10, digits = 0, nonzero = 0, leading_zero = 0;
	uint64_t x = 0;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '+')
		s++;
	if (s[0] == '0' && s[1] && strchr("xXoObB", s[1])) {
		base = strchr("xX", s[1]) ? 16 : strchr("oO", s[1]) ? 8 : 2;
		s += 2;
		if (*s == '_')
			s++;
	}
	for (; *s && !isspace((unsigned char)*s); s++) {
		unsigned d;

		if (*s == '_' && digits && s[1] && s[1] != '_' && !isspace((unsigned char)s[1]))
			continue;
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (*s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return -1;
		if (d >= base || x > (UINT64_MAX - d) / base)
			return -1;
		if (!digits && d == 0)
			leading_zero = 1;
		nonzero |= d != 0;
		x = x * base + d;
		digits++;
	}
	while (isspace((unsigned char)*s))
		s++;
	if (*s || !digits || (base == 10 && leading_zero && nonzero))
		return -1;
	*v = x;
	return 0;
}

/* ---- AArch64, QEMU's memory map and target descriptions ---- */

/* A table to visit: its address, size and lookup level. */
struct arm64_table {
	uint64_t pa, bytes;
	int level;
};

/* The 4 KiB pages of the AArch64 tables reachable from ttbr (the root, then breadth
 * first) in ram (guest memory from base), at most max: with granule shift gs and
 * va_bits as TCR_EL1 gives them for the half. Table descriptors are bits[1:0] = 11
 * above lookup level 3; the table address is bits 47:gs. */
static void arm64_tables(struct span ram, uint64_t base, uint64_t ttbr, unsigned gs,
			 unsigned va_bits, struct pa_list *l, size_t max)
{
	unsigned stride = gs - 3, levels = (va_bits - gs + stride - 1) / stride;
	uint64_t root_bytes = 8ull << (va_bits - gs - (levels - 1) * stride);
	struct arm64_table q[256];
	size_t qh = 0, qn = 0;

	if (levels < 1 || levels > 4)
		return;
	q[qn++] = (struct arm64_table){ ttbr & 0x0000fffffffffffeull & ~(root_bytes - 1), root_bytes,
				  4 - (int)levels };
	while (qh < qn && l->n < max) {
		uint64_t pa = q[qh].pa, bytes = q[qh].bytes;
		int level = q[qh++].level;
		if (pa < base || pa - base >= ram.n)
			continue;
		for (uint64_t pg = pa & ~(uint64_t)(PAGE - 1); pg < pa + bytes && l->n < max; pg += PAGE) {
			int seen = 0;
			for (size_t i = 0; i < l->n; i++)
				seen |= l->v[i] == pg;
			struct span page = cut(ram, pg - base, PAGE);
			int nonzero = 0;
			for (size_t i = 0; i < page.n; i++)
				nonzero |= page.p[i];
			if (!seen && nonzero)
				pa_push(l, pg);
		}
		if (level >= 3)
			continue;
		for (uint64_t off = 0; off < bytes; off += 8) {
			uint64_t e = u64_at(cut(ram, pa - base, bytes), (size_t)off);
			if ((e & 3) == 3 && qn < sizeof(q) / sizeof(q[0]))
				q[qn++] = (struct arm64_table){ e & 0x0000ffffffffffffull & ~((1ull << gs) - 1),
							  1ull << gs, level + 1 };
		}
	}
}

/* The records of the page at pa (guest address; ram holds memory from base), as
 * page_records() but without a record for a page of zeros (the arm64 seeds read
 * the pages they do not hold as zeros). */
static void arm64_page_records(struct buf *b, struct span ram, uint64_t base, uint64_t pa)
{
	struct buf one = { 0 };
	struct span pg = cut(ram, pa - base, PAGE);
	size_t n = 0;

	for (size_t i = 0; i < pg.n; i++)
		n += pg.p[i] != 0;
	if (!n)
		return;
	/* page_records() over a copy of the page placed at its offset in a buffer
	 * starting at the page's own address would need pa bytes: move the page to 0
	 * instead and add pa to each record's address */
	page_records(&one, pg, 0);
	for (size_t at = 0; at + 10 <= one.n;) {
		uint64_t a = get_le(one.p, one.n, at, 8) + pa;
		size_t len = (size_t)get_le(one.p, one.n, at + 8, 2);
		buf_le(b, a, 8);
		buf_le(b, len, 2);
		buf_span(b, cut(buf_view(&one), at + 10, len));
		at += 10 + len;
	}
	buf_free(&one);
}

/* The TCR_EL1 granule shift and VA bits of a half (TG0: 0 4K, 1 64K, 2 16K; TG1:
 * 1 16K, 2 4K, 3 64K). */
static void arm64_half(uint64_t tcr, int half, unsigned *gs, unsigned *va_bits)
{
	unsigned tsz = (unsigned)(tcr >> (half ? 16 : 0)) & 0x3f;
	unsigned tg = (unsigned)(tcr >> (half ? 30 : 14)) & 3;
	*va_bits = 64 - tsz;
	if (half)
		*gs = tg == 1 ? 14 : tg == 3 ? 16 : 12;
	else
		*gs = tg == 1 ? 16 : tg == 2 ? 14 : 12;
}

/* The arm64 seeds of one capture (fuzz_arm64.c): the tables of both halves from
 * the real registers: the dump four ways (text, JSON with the nodes, TTBR1 around
 * the pc, TTBR0 with the absent entries), the checks (text, JSON), the snapshot,
 * the translations alone. */
static void seeds_arm64(const char *name, struct span ram, uint64_t base, const uint64_t reg[8])
{
	enum { TTBR0, TTBR1, TCR, MAIR, SCTLR, MMFR0, PC, CPSR };
	struct pa_list l = { 0 };
	unsigned gs, vb;

	arm64_half(reg[TCR], 1, &gs, &vb);
	arm64_tables(ram, base, reg[TTBR1], gs, vb, &l, 20);
	arm64_half(reg[TCR], 0, &gs, &vb);
	arm64_tables(ram, base, reg[TTBR0], gs, vb, &l, 32);
	if (!l.n)
		die("%s: no tables from TTBR0 %#llx / TTBR1 %#llx in RAM at %#llx", name,
		    (unsigned long long)reg[TTBR0], (unsigned long long)reg[TTBR1], (unsigned long long)base);
	static const struct { const char *suffix; uint8_t flags, also; } kinds[] = {
		{ "dump-text", 0x01, 0x07 }, { "dump-json-nodes", 0x13, 0x07 }, { "dump-ttbr1-pc", 0xa1, 0x07 },
		{ "dump-ttbr0-absent", 0x49, 0x07 }, { "check", 0x01, 0x17 }, { "check-json", 0x03, 0x17 },
		{ "snap", 0x01, 0x27 }, { "translate", 0x01, 0x37 },
	};
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		struct buf b = { 0 };
		char file[128];
		/* 0 TTBR0 .. 96 PC (fuzz_arm64.c), the exception registers zero */
		uint64_t block[13] = { reg[TTBR0], reg[TTBR1], reg[TCR], reg[MAIR], reg[SCTLR], reg[CPSR],
				       0, 0, 0, 0, reg[MMFR0], 0, reg[PC] };
		for (size_t i = 0; i < 13; i++)
			buf_le(&b, block[i], 8);
		buf_le(&b, reg[PC] & ~0xfffffull, 8);       /* va_first */
		buf_le(&b, (reg[PC] & ~0xfffffull) + 0x200000, 8); /* va_last */
		buf_le(&b, 0xffffffffu, 4);                 /* every register read */
		buf_le(&b, kinds[k].flags, 1);
		buf_le(&b, 0, 1);
		buf_le(&b, 0, 1);
		buf_le(&b, kinds[k].also, 1);
		for (size_t i = 0; i < l.n; i++)
			arm64_page_records(&b, ram, base, l.v[i]);
		snprintf(file, sizeof(file), "%s-%s", name, kinds[k].suffix);
		put_buf("arm64", file, &b);
	}
	free(l.v);
}

/* The smmu seeds of the corrupt scenario's SMMUv3 switches (fuzz_smmu.c): the
 * unit as QEMU virt's reference kernel set it up (linear stream table, 8 stream id
 * bits, 256 commands, 128 events), then one damage each: STRTAB_BASE past RAM;
 * stream 0xf0 over a two-level CD table whose level-1 descriptor 0 points at the
 * table itself; EVENTQ_PROD and EVENTQ_CONS past the queue's 128 entries. */
static void seeds_smmu_corrupt(void)
{
	enum { STRTAB = 0x40118000, CDTAB = 0x40117000, EVTQ = 0x40116000, CMDQ = 0x40115000 };
	static const struct {
		const char *name;
		uint64_t strtab;
		uint32_t eprod, econs, sid, ssid;
		uint8_t flags;
	} s[] = {
		{ "corrupt-strtab-past-ram", 0x4000007f00000000ull, 0, 0, 0x10, 0, 0x00 },
		{ "corrupt-cd-self", 0x4000000000000000ull | STRTAB, 0, 0, 0xf0, 3, 0x20 },
		{ "corrupt-evtq-index", 0x4000000000000000ull | STRTAB, 0xfffff, 0x185, 0x10, 0, 0x04 },
	};
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		struct buf b = { 0 };
		static const uint32_t v32[] = { 0x0d40101a, 0x02730010, 0x74, 0xd, 1u << 20, 0, 0, 0x8 };
		for (size_t k = 0; k < 8; k++)
			buf_le(&b, v32[k], 4);
		buf_le(&b, s[i].strtab, 8);
		buf_le(&b, 0x4000000000000008ull | CMDQ, 8);
		buf_le(&b, 0x4000000000000007ull | EVTQ, 8);
		buf_le(&b, 0, 4);
		buf_le(&b, 0, 4);
		buf_le(&b, s[i].eprod, 4);
		buf_le(&b, s[i].econs, 4);
		buf_le(&b, s[i].sid, 4);
		buf_le(&b, s[i].ssid, 4);
		buf_le(&b, 1ull << 30, 8);
		buf_le(&b, 0x1000, 8);
		buf_le(&b, s[i].flags, 1);
		buf_zero(&b, 7);
		/* chunks: u32 page frame, u16 offset, u16 length, bytes */
		uint64_t ste[2] = { 0x400000000000001bull | CDTAB, 0xd4 }; /* V, S1, 2-level 4K CDs, 2^8 */
		buf_le(&b, (STRTAB + 0xf0 * 64) >> 12, 4);
		buf_le(&b, (STRTAB + 0xf0 * 64) & 0xfff, 2);
		buf_le(&b, 16, 2);
		buf_le(&b, ste[0], 8);
		buf_le(&b, ste[1], 8);
		buf_le(&b, CDTAB >> 12, 4);
		buf_le(&b, 0, 2);
		buf_le(&b, 8, 2);
		buf_le(&b, CDTAB | 1, 8);
		buf_le(&b, EVTQ >> 12, 4);  /* the event queue: an F_TRANSLATION record at 5 */
		buf_le(&b, 5 * 32, 2);
		buf_le(&b, 8, 2);
		buf_le(&b, 0x0000001000000010ull, 8);
		put_buf("smmu", s[i].name, &b);
	}
}

/* A big-endian 32-bit field of a device tree header. */
static uint32_t be32_at(struct span s, size_t off)
{
	if (off + 4 > s.n)
		die("device tree header cut short at %zu", off);
	return (uint32_t)s.p[off] << 24 | (uint32_t)s.p[off + 1] << 16 | (uint32_t)s.p[off + 2] << 8 | s.p[off + 3];
}

/* An fdt seed (fuzz_fdt.c): QEMU's blob (-machine dumpdtb=FILE) cut after its
 * structure and strings blocks, the padding QEMU adds to 1 MiB left out, with
 * totalsize saying so. */
static void seeds_fdt(const char *name, const char *path)
{
	struct buf b = read_file(path);
	struct span v = buf_view(&b);
	uint32_t send = be32_at(v, 8) + be32_at(v, 36), tend = be32_at(v, 12) + be32_at(v, 32);
	uint32_t end = send > tend ? send : tend;
	if (be32_at(v, 0) != 0xd00dfeedu || end > b.n)
		die("%s: not a device tree blob", path);
	b.n = end;
	b.p[4] = (uint8_t)(end >> 24);
	b.p[5] = (uint8_t)(end >> 16);
	b.p[6] = (uint8_t)(end >> 8);
	b.p[7] = (uint8_t)end;
	put_buf("fdt", name, &b);
}

/* A tdesc seed (fuzz_tdesc.c): register values of an AArch64 guest with 4K
 * granules and 48-bit halves, then the documents, NUL between them. */
static void seeds_tdesc(const char *name, char **docs, int n)
{
	static const uint64_t val[26] = {
		[11] = 0xffff000040201000ull, [12] = 0x3c5,             /* pc, cpsr */
		[13] = 0x44000000, [14] = 0x40410000,                  /* TTBR0, TTBR1 */
		[15] = 0x00000005b5103510ull, [16] = 0x000000000004ff00ull, /* TCR, MAIR */
		[17] = 0x30d0199d, [18] = 0x30d0199d, [24] = 0x1124,   /* SCTLR, MMFR0 */
	};
	struct buf b = { 0 };
	for (size_t i = 0; i < 26; i++)
		buf_le(&b, val[i], 8);
	for (int i = 0; i < n; i++) {
		struct buf d = read_file(docs[i]);
		if (i)
			buf_zero(&b, 1);
		buf_span(&b, buf_view(&d));
		buf_free(&d);
	}
	put_buf("tdesc", name, &b);
}

/* One sparse record (fuzz_input.h): u64 address, u16 length, the bytes of s. */
static void sparse_rec(struct buf *b, uint64_t pa, struct span s)
{
	buf_le(b, pa, 8);
	buf_le(b, s.n, 2);
	buf_span(b, s);
}

/* The byte range [pa, pa + len) of whichever capture holds it (dies otherwise). */
static struct span in_caps(const struct span *cap, const uint64_t *base, int n, uint64_t pa, uint64_t len)
{
	for (int i = 0; i < n; i++)
		if (pa >= base[i] && pa - base[i] + len <= cap[i].n)
			return cut(cap[i], pa - base[i], len);
	die("%#llx+%#llx is in no capture", (unsigned long long)pa, (unsigned long long)len);
}

/* --iort NAME ACPI ACPIBASE ST STBASE: from two captures of a UEFI guest (the
 * 64 KiB block of ACPI memory with the RSDP and the tables, and the 64 KiB block of
 * runtime memory with the EFI system table at +0x18 and its configuration table),
 * iort/NAME: the IORT as a flat table (mode 1), and iort/NAME-uefi-way: the sparse
 * image of the way to it (system table, configuration table, RSDP, XSDT, every
 * entry's header, the IORT), searched through UEFI over the 64 blocks below the
 * system table's block's end. */
static void seeds_iort(const char *name, struct span acpi, uint64_t acpi_base, struct span st, uint64_t st_base)
{
	const struct span cap[2] = { acpi, st };
	const uint64_t base[2] = { acpi_base, st_base };
	const uint64_t st_pa = st_base + 0x18;
	struct span sys = in_caps(cap, base, 2, st_pa, 120);
	if (memcmp(sys.p, "IBI SYST", 8))
		die("no EFI system table at %#llx", (unsigned long long)st_pa);
	uint64_t nct = u64_at(sys, 104), ct = u64_at(sys, 112), rsdp = 0;
	struct span cts = in_caps(cap, base, 2, ct, nct * 24);
	static const uint8_t g20[16] = { 0x71, 0xe8, 0x68, 0x88, 0xf1, 0xe4, 0xd3, 0x11,
					 0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81 };
	for (uint64_t i = 0; i < nct; i++)
		if (!memcmp(cts.p + 24 * i, g20, 16))
			rsdp = u64_at(cts, 24 * i + 16);
	struct span r = in_caps(cap, base, 2, rsdp, 36);
	uint64_t xsdt = u64_at(r, 24);
	uint64_t xlen = get_le(in_caps(cap, base, 2, xsdt, 8).p, 8, 4, 4);
	struct span x = in_caps(cap, base, 2, xsdt, xlen);
	struct buf way = { 0 }, flat = { 0 };
	/* the way: mode 0, UEFI, holes, 64 blocks of RAM ending at the system table's block */
	buf_le(&way, 0, 1); buf_le(&way, 2, 1); buf_le(&way, 0, 2);
	buf_le(&way, 64, 4); buf_le(&way, st_base + 0x10000 - 64 * 0x10000ull, 8);
	sparse_rec(&way, st_pa, sys);
	sparse_rec(&way, ct, cts);
	sparse_rec(&way, rsdp, r);
	sparse_rec(&way, xsdt, x);
	for (uint64_t off = 36; off + 8 <= xlen; off += 8) {
		uint64_t e = u64_at(x, off);
		struct span h = in_caps(cap, base, 2, e, 8);
		if (memcmp(h.p, "IORT", 4)) {
			sparse_rec(&way, e, h);
			continue;
		}
		struct span t = in_caps(cap, base, 2, e, get_le(h.p, 8, 4, 4));
		sparse_rec(&way, e, t);
		buf_le(&flat, 1, 1);
		buf_zero(&flat, 15);
		buf_span(&flat, t);
	}
	if (!flat.n)
		die("no IORT among the XSDT's entries");
	char n2[256];
	snprintf(n2, sizeof(n2), "%s-uefi-way", name);
	put_buf("iort", name, &flat);
	put_buf("iort", n2, &way);
}

/* mkseeds RAM DRHD CORE REGION [OUTDIR]: write every seed (see the top of this file). */
int main(int argc, char **argv)
{
	uint64_t region;

	if (argc >= 2 && !strcmp(argv[1], "--x86-sparse")) {
		/* x86 inputs of the flat format cut into the sparse one, in place */
		for (int i = 2; i < argc; i++) {
			struct buf in = read_file(argv[i]), b = x86_sparse(buf_view(&in));
			FILE *f = fopen(argv[i], "wb");

			if (!f || fwrite(b.p, b.n, 1, f) != 1 || fclose(f))
				die("%s: write error", argv[i]);
			buf_free(&in);
			buf_free(&b);
		}
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "--vtd-sparse")) {
		/* VT-d inputs of the flat format (48-byte block, memory from 0) cut
		 * into the sparse one, in place: byte 44 0, every page a record */
		for (int i = 2; i < argc; i++) {
			struct buf in = read_file(argv[i]), b = { 0 };
			struct span hdr = cut(buf_view(&in), 0, 48);
			FILE *f;

			buf_span(&b, hdr);
			buf_zero(&b, 48 - hdr.n);
			b.p[44] = 0;
			sparse_image(&b, cut(buf_view(&in), 48, in.n), NULL);
			if (!(f = fopen(argv[i], "wb")) || fwrite(b.p, b.n, 1, f) != 1 || fclose(f))
				die("%s: write error", argv[i]);
			buf_free(&in);
			buf_free(&b);
		}
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "--arm64")) {
		/* --arm64 NAME RAM RAMBASE TTBR0 TTBR1 TCR MAIR SCTLR MMFR0 PC CPSR [OUTDIR] */
		uint64_t v[9];
		if (argc < 13 || argc > 14)
			die("usage: --arm64 NAME RAM RAMBASE TTBR0 TTBR1 TCR MAIR SCTLR MMFR0 PC CPSR [OUTDIR]");
		for (int i = 0; i < 9; i++)
			if (parse_u64(argv[4 + i], &v[i]))
				die("'%s' is not a number", argv[4 + i]);
		if (argc == 14)
			out_dir = argv[13];
		struct buf ram = read_file(argv[3]);
		seeds_arm64(argv[2], buf_view(&ram), v[0], v + 1);
		buf_free(&ram);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "--smmu-corrupt")) {
		/* --smmu-corrupt [OUTDIR]: the SMMUv3 damage of the corrupt scenario */
		if (argc == 3)
			out_dir = argv[2];
		seeds_smmu_corrupt();
		return 0;
	}
	if (argc == 7 && !strcmp(argv[1], "--iort")) {
		/* --iort NAME ACPI ACPIBASE ST STBASE (captures of a UEFI guest, see README.md) */
		uint64_t ab, sb;
		if (parse_u64(argv[4], &ab) || parse_u64(argv[6], &sb))
			die("ACPIBASE and STBASE are addresses");
		struct buf a = read_file(argv[3]), st = read_file(argv[5]);
		seeds_iort(argv[2], buf_view(&a), ab, buf_view(&st), sb);
		buf_free(&a);
		buf_free(&st);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "--fdt")) {
		/* --fdt NAME FILE: a blob QEMU dumped (-machine dumpdtb=FILE) */
		seeds_fdt(argv[2], argv[3]);
		return 0;
	}
	if (argc >= 2 && (!strcmp(argv[1], "--mtree") || !strcmp(argv[1], "--tdesc"))) {
		/* --mtree NAME FILE: the monitor's text as is; --tdesc NAME DOC...:
		 * target.xml first, then the documents it includes */
		if (argc < 4)
			die("usage: %s NAME FILE...", argv[1]);
		if (!strcmp(argv[1], "--tdesc")) {
			seeds_tdesc(argv[2], argv + 3, argc - 3);
		} else {
			struct buf t = read_file(argv[3]);
			put_buf("mtree", argv[2], &t);
		}
		return 0;
	}
	if (argc < 5 || argc > 6) {
		fprintf(stderr, "usage: %s RAM DRHD CORE REGION [OUTDIR]\n"
			"       %s --x86-sparse|--vtd-sparse FILE...   (flat inputs to sparse, in place)\n"
			"       %s --arm64 NAME RAM RAMBASE TTBR0 TTBR1 TCR MAIR SCTLR MMFR0 PC CPSR [OUTDIR]\n"
			"       %s --mtree NAME FILE | --tdesc NAME DOC...   (from captures, see README.md)\n"
			"       %s --smmu-corrupt [OUTDIR]   (the corrupt scenario's SMMUv3 damage)\n"
			"       %s --fdt NAME FILE   (a device tree blob QEMU dumped)\n"
			"       %s --iort NAME ACPI ACPIBASE ST STBASE   (captures of a UEFI guest)\n",
			argv[0], argv[0], argv[0], argv[0], argv[0], argv[0], argv[0]);
		return 2;
	}
	if (parse_u64(argv[4], &region))
		die("REGION '%s' is not an address", argv[4]);
	if (argc == 6)
		out_dir = argv[5];

	struct buf ram = read_file(argv[1]);
	struct buf drhd = read_file(argv[2]);
	struct buf core = read_file(argv[3]);

	seeds_x86(buf_view(&ram));
	seeds_region(buf_view(&ram), region);
	seeds_vtd(buf_view(&ram), buf_view(&drhd));
	seeds_core(buf_view(&core));
	seeds_snap();
	seeds_rsp();
	seeds_gdbstub(buf_view(&ram));
	buf_free(&ram);
	buf_free(&drhd);
	buf_free(&core);
	return 0;
}
