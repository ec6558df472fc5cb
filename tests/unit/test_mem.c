/* SPDX-License-Identifier: MIT */
/* Unit tests of the physical memory reader: cache, batching, remembered errors, cap. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "target/mem.h"

#define MEM_PAGES 256u

/* A counting target: MEM_PAGES pages at physical 0, page n filled with byte n;
 * reads beyond fail with PTDBG_EIO; link_down makes every read a link error. */
struct counting {
	struct ptdbg_target t;
	unsigned reads, batches, batch_ios;
	bool link_down;
};

static int c_read(struct ptdbg_target *t, uint64_t pa, void *buf, size_t len)
{
	struct counting *c = (struct counting *)t;
	c->reads++;
	if (c->link_down)
		return PTDBG_ELINK;
	if (pa + len > MEM_PAGES * 4096ull)
		return PTDBG_EIO;
	for (size_t i = 0; i < len; i++)
		((uint8_t *)buf)[i] = (uint8_t)((pa + i) >> 12);
	return 0;
}

static int c_batch(struct ptdbg_target *t, struct ptdbg_io *ios, size_t n)
{
	struct counting *c = (struct counting *)t;
	c->batches++;
	c->batch_ios += (unsigned)n;
	if (c->link_down)
		return PTDBG_ELINK;
	for (size_t i = 0; i < n; i++) {
		ios[i].err = c_read(t, ios[i].pa, ios[i].buf, ios[i].len);
		c->reads--;
	}
	return 0;
}

static const struct ptdbg_target_ops c_ops = {
	.name = "counting", .read_phys = c_read, .read_phys_batch = c_batch,
};

static void c_init(struct counting *c)
{
	memset(c, 0, sizeof(*c));
	c->t.ops = &c_ops;
}

/* The same target, local (a read costs no round trip). */
static const struct ptdbg_target_ops c_local_ops = {
	.name = "counting", .local = true, .read_phys = c_read, .read_phys_batch = c_batch,
};

/* A lending target: the first MEM_PAGES pages of a buffer of its own, each page's
 * bytes its number, handed out by pointer (map_phys) and never through read_phys. */
static uint8_t lend_buf[MEM_PAGES * 4096];
static unsigned lends;

static const void *l_map(struct ptdbg_target *t, uint64_t pa, size_t len)
{
	if (pa + len > sizeof(lend_buf))
		return NULL;
	lends++;
	return lend_buf + pa;
}

static int l_read(struct ptdbg_target *t, uint64_t pa, void *buf, size_t len)
{
	return PTDBG_EIO; /* only what map_phys does not lend */
}

static const struct ptdbg_target_ops l_ops = {
	.name = "lending", .local = true, .read_phys = l_read, .map_phys = l_map,
};

static void test_cache_hits(void **state)
{
	struct counting c;
	const uint8_t *page;
	struct ptdbg_mem_stats st;

	c_init(&c);
	struct ptdbg_mem *m = ptdbg_mem_new(&c.t, 0);
	assert_int_equal(ptdbg_mem_page(m, 0x3123, &page), 0);
	assert_int_equal(page[0], 3);
	assert_int_equal(ptdbg_mem_page(m, 0x3fff, &page), 0);
	assert_int_equal(c.reads, 1);
	uint64_t v;
	assert_int_equal(ptdbg_mem_read_u64(m, 0x5008, &v), 0);
	assert_int_equal(v, 0x0505050505050505ull);
	uint8_t buf[8];
	assert_int_equal(ptdbg_mem_read(m, 0x5ffc, buf, 8), 0); /* crosses into page 6 */
	assert_memory_equal(buf, "\5\5\5\5\6\6\6\6", 8);
	ptdbg_mem_stats(m, &st);
	assert_int_equal(st.pages_read, 3);
	assert_int_equal(st.bytes_read, 3 * 4096);
	assert_int_equal(st.misses, 3);
	assert_int_equal(st.hits, 2);
	assert_int_equal(st.cached_pages, 3);
	ptdbg_mem_free(m);
}

/* A failed page is remembered and not read again; invalidate forgets it. */
static void test_errors_remembered(void **state)
{
	struct counting c;
	const uint8_t *page;

	c_init(&c);
	struct ptdbg_mem *m = ptdbg_mem_new(&c.t, 0);
	assert_int_equal(ptdbg_mem_page(m, 0x100000, &page), PTDBG_EIO);
	assert_null(page);
	assert_int_equal(ptdbg_mem_page(m, 0x100800, &page), PTDBG_EIO);
	assert_int_equal(c.reads, 1);
	assert_int_equal(ptdbg_mem_page_state(m, 0x100000), PTDBG_EIO);
	assert_int_equal(ptdbg_mem_page_state(m, 0x200000), 1);
	uint64_t pas[] = { 0x100000, 0x1000 };
	assert_int_equal(ptdbg_mem_prefetch(m, pas, 2), 0);
	assert_int_equal(c.batch_ios, 1); /* the known-bad page is not asked again */
	ptdbg_mem_invalidate(m);
	assert_int_equal(ptdbg_mem_page(m, 0x100000, &page), PTDBG_EIO);
	assert_int_equal(c.reads, 2);
	ptdbg_mem_free(m);
}

/* Link errors are returned, not remembered. */
static void test_link_error(void **state)
{
	struct counting c;
	const uint8_t *page;

	c_init(&c);
	struct ptdbg_mem *m = ptdbg_mem_new(&c.t, 0);
	c.link_down = true;
	assert_int_equal(ptdbg_mem_page(m, 0x1000, &page), PTDBG_ELINK);
	uint64_t pa = 0x2000;
	assert_int_equal(ptdbg_mem_prefetch(m, &pa, 1), PTDBG_ELINK);
	c.link_down = false;
	assert_int_equal(ptdbg_mem_page(m, 0x1000, &page), 0);
	assert_int_equal(ptdbg_mem_page_state(m, 0x2000), 1);
	ptdbg_mem_free(m);
}

/* Prefetch: one batch for many pages, duplicates and cached pages dropped. */
static void test_prefetch_batch(void **state)
{
	struct counting c;
	const uint8_t *page;
	struct ptdbg_mem_stats st;

	c_init(&c);
	struct ptdbg_mem *m = ptdbg_mem_new(&c.t, 0);
	assert_int_equal(ptdbg_mem_page(m, 0x0000, &page), 0);
	uint64_t pas[40];
	for (unsigned i = 0; i < 40; i++)
		pas[i] = (uint64_t)(i % 20) << 12 | 0x10;
	assert_int_equal(ptdbg_mem_prefetch(m, pas, 40), 0);
	assert_int_equal(c.batches, 1);
	assert_int_equal(c.batch_ios, 19);
	for (unsigned i = 0; i < 20; i++) {
		assert_int_equal(ptdbg_mem_page(m, (uint64_t)i << 12, &page), 0);
		assert_int_equal(page[100], i);
	}
	assert_int_equal(c.reads, 1);
	ptdbg_mem_stats(m, &st);
	assert_int_equal(st.batches, 1);
	assert_int_equal(st.pages_read, 20);
	ptdbg_mem_free(m);
}

/* The cap bounds what is held: least recently used pages go first; a prefetch
 * into a full cache makes room for a quarter of the cap only. */
static void test_cap_lru(void **state)
{
	struct counting c;
	const uint8_t *page;
	struct ptdbg_mem_stats st;

	c_init(&c);
	struct ptdbg_mem *m = ptdbg_mem_new(&c.t, 1); /* at least 64 pages */
	assert_int_equal(ptdbg_mem_cap_pages(m), 64);
	for (unsigned i = 0; i < 64; i++)
		assert_int_equal(ptdbg_mem_page(m, (uint64_t)i << 12, &page), 0);
	assert_int_equal(ptdbg_mem_page(m, 0, &page), 0); /* page 0 is now the newest */
	for (unsigned i = 64; i < 72; i++)
		assert_int_equal(ptdbg_mem_page(m, (uint64_t)i << 12, &page), 0);
	ptdbg_mem_stats(m, &st);
	assert_int_equal(st.cached_pages, 64);
	assert_int_equal(st.peak_pages, 64);
	assert_int_equal(st.evictions, 8);
	assert_int_equal(ptdbg_mem_page_state(m, 0), 0);
	for (unsigned i = 1; i <= 8; i++)
		assert_int_equal(ptdbg_mem_page_state(m, (uint64_t)i << 12), 1);
	assert_int_equal(ptdbg_mem_page_state(m, 9ull << 12), 0);

	uint64_t pas[40];
	for (unsigned i = 0; i < 40; i++)
		pas[i] = (uint64_t)(100 + i) << 12;
	assert_int_equal(ptdbg_mem_prefetch(m, pas, 40), 0);
	assert_int_equal(c.batch_ios, 16);
	ptdbg_mem_stats(m, &st);
	assert_int_equal(st.cached_pages, 64);
	ptdbg_mem_free(m);
}

/* The hash grows with its entries (data pages and remembered failures, 3,200 of
 * them here: past the 1,024 buckets it starts with) and finds each after every
 * doubling; invalidate forgets them all. */
static void test_hash_grows(void **state)
{
	struct counting c;
	const uint8_t *page;

	c_init(&c);
	struct ptdbg_mem *m = ptdbg_mem_new(&c.t, 0);
	for (unsigned i = 0; i < 3200; i++) {
		uint64_t pa = (uint64_t)(i < 200 ? i : MEM_PAGES + 7 * i) << 12;
		assert_int_equal(ptdbg_mem_page(m, pa, &page), i < 200 ? 0 : PTDBG_EIO);
	}
	assert_int_equal(c.reads, 3200);
	for (unsigned i = 0; i < 3200; i++) {
		uint64_t pa = (uint64_t)(i < 200 ? i : MEM_PAGES + 7 * i) << 12;
		assert_int_equal(ptdbg_mem_page_state(m, pa), i < 200 ? 0 : PTDBG_EIO);
		assert_int_equal(ptdbg_mem_page(m, pa, &page), i < 200 ? 0 : PTDBG_EIO);
		if (i < 200)
			assert_int_equal(page[4095], (uint8_t)i);
	}
	assert_int_equal(c.reads, 3200); /* all of them from the cache */
	ptdbg_mem_invalidate(m);
	assert_int_equal(ptdbg_mem_page_state(m, 5ull << 12), 1);
	assert_int_equal(ptdbg_mem_page_state(m, (uint64_t)(MEM_PAGES + 7 * 300) << 12), 1);
	assert_int_equal(ptdbg_mem_page(m, 5ull << 12, &page), 0);
	assert_int_equal(page[0], 5);
	assert_int_equal(c.reads, 3201);
	ptdbg_mem_free(m);
}

/* A local backend without a stream of its own: the stream is read a few pages at
 * a time as they are asked for, in its order; its end forgets what was not asked
 * for, which is then read on demand. */
static void test_local_stream(void **state)
{
	struct counting c;
	const uint8_t *page;
	struct ptdbg_mem_stats st;

	c_init(&c);
	c.t.ops = &c_local_ops;
	struct ptdbg_mem *m = ptdbg_mem_new(&c.t, 0);
	uint64_t pas[100];
	for (unsigned i = 0; i < 100; i++)
		pas[i] = (uint64_t)i << 12;
	assert_int_equal(ptdbg_mem_stream(m, pas, 100), 0);
	assert_int_equal(c.batches, 0); /* nothing read yet */
	assert_int_equal(ptdbg_mem_page_state(m, 5ull << 12), 0); /* under way */
	assert_int_equal(ptdbg_mem_page(m, 0, &page), 0);
	assert_int_equal(page[7], 0);
	assert_int_equal(c.batches, 1);
	assert_true(c.batch_ios >= 1 && c.batch_ios < 100);
	unsigned first = c.batch_ios;
	assert_int_equal(ptdbg_mem_page(m, 1ull << 12, &page), 0); /* same piece */
	assert_int_equal(page[7], 1);
	assert_int_equal(c.batches, 1);
	assert_int_equal(ptdbg_mem_page(m, 60ull << 12, &page), 0); /* reads up to it */
	assert_int_equal(page[7], 60);
	assert_true(c.batch_ios > 60 && c.batch_ios < 100);
	unsigned upto = c.batch_ios;
	assert_int_equal(ptdbg_mem_stream_end(m), 0);
	assert_int_equal(c.batch_ios, upto); /* the rest was not read */
	assert_int_equal(ptdbg_mem_page_state(m, 99ull << 12), 1);
	assert_int_equal(ptdbg_mem_page(m, 99ull << 12, &page), 0);
	assert_int_equal(page[7], 99);
	assert_int_equal(c.reads, 1);
	ptdbg_mem_stats(m, &st);
	assert_int_equal(st.pages_read, upto + 1);
	assert_true(first <= upto);
	/* a failing page of a stream is remembered as failed */
	pas[0] = (uint64_t)(MEM_PAGES + 1) << 12;
	assert_int_equal(ptdbg_mem_stream(m, pas, 1), 0);
	assert_int_equal(ptdbg_mem_page(m, pas[0], &page), PTDBG_EIO);
	assert_int_equal(ptdbg_mem_page_state(m, pas[0]), PTDBG_EIO);
	ptdbg_mem_free(m);
}

/* Streamed pages are read once: once read they are the first to drop, so that
 * streams through more pages than the cache holds leave what was cached before
 * them (the upper tables of a walk) where LRU alone would drop it; and pages a
 * power of two apart (strided page numbers) are found as well as neighbours. */
static void test_stream_use_once(void **state)
{
	struct counting c;
	const uint8_t *page;
	struct ptdbg_mem_stats st;

	c_init(&c);
	c.t.ops = &c_local_ops;
	struct ptdbg_mem *m = ptdbg_mem_new(&c.t, 1); /* 64 pages */
	for (unsigned i = 0; i < 10; i++)
		assert_int_equal(ptdbg_mem_page(m, (uint64_t)i << 12, &page), 0);
	uint64_t pas[20];
	for (unsigned s0 = 10; s0 < 250; s0 += 20) { /* 12 streams, 240 pages */
		unsigned n = s0 + 20 <= MEM_PAGES ? 20 : MEM_PAGES - s0;
		for (unsigned i = 0; i < n; i++)
			pas[i] = (uint64_t)(s0 + i) << 12;
		assert_int_equal(ptdbg_mem_stream(m, pas, n), 0);
		for (unsigned i = 0; i < n; i++) {
			assert_int_equal(ptdbg_mem_page(m, pas[i], &page), 0);
			assert_int_equal(page[100], (uint8_t)(s0 + i));
		}
	}
	assert_int_equal(ptdbg_mem_stream_end(m), 0);
	ptdbg_mem_stats(m, &st);
	assert_true(st.evictions > 0);
	assert_true(st.cached_pages <= 64);
	unsigned reads = c.reads;
	for (unsigned i = 0; i < 10; i++) {
		assert_int_equal(ptdbg_mem_page_state(m, (uint64_t)i << 12), 0);
		assert_int_equal(ptdbg_mem_page(m, (uint64_t)i << 12, &page), 0);
		assert_int_equal(page[0], i);
	}
	assert_int_equal(c.reads, reads); /* all ten from the cache */
	ptdbg_mem_free(m);

	c_init(&c);
	m = ptdbg_mem_new(&c.t, 0);
	for (unsigned i = 0; i < 2000; i++) /* failures 512 pages apart, then neighbours */
		assert_int_equal(ptdbg_mem_page(m, (uint64_t)(MEM_PAGES + (i < 1000 ? 512 * i : 512 * 1000 + i)) << 12, &page),
				 PTDBG_EIO);
	for (unsigned i = 0; i < 2000; i++)
		assert_int_equal(ptdbg_mem_page_state(m, (uint64_t)(MEM_PAGES + (i < 1000 ? 512 * i : 512 * 1000 + i)) << 12),
				 PTDBG_EIO);
	assert_int_equal(ptdbg_mem_page_state(m, (uint64_t)(MEM_PAGES + 513) << 12), 1);
	assert_int_equal(c.reads, 2000); /* each failure read once */
	ptdbg_mem_free(m);
}

/* A backend with a stream of its own: stream_begin only takes the ios (their
 * buffers may come after, as the cache makes them while the first replies come);
 * stream_wait and stream_end fill them in order. */
static struct ptdbg_io *s_ios;
static size_t s_n, s_done;
static bool s_bufs_at_begin;

static int s_begin(struct ptdbg_target *t, struct ptdbg_io *ios, size_t n)
{
	s_ios = ios;
	s_n = n;
	s_done = 0;
	s_bufs_at_begin = true;
	for (size_t i = 0; i < n; i++)
		if (ios[i].buf)
			s_bufs_at_begin = false; /* may be set, need not be */
	return 0;
}

static int s_fill(struct ptdbg_target *t, size_t upto)
{
	for (; s_done < upto && s_done < s_n; s_done++) {
		assert_non_null(s_ios[s_done].buf);
		s_ios[s_done].err = c_read(t, s_ios[s_done].pa, s_ios[s_done].buf, s_ios[s_done].len);
	}
	return 0;
}

static int s_wait(struct ptdbg_target *t, size_t k, size_t *complete)
{
	int rc = s_fill(t, k + 1);
	*complete = s_done;
	return rc;
}

static int s_end(struct ptdbg_target *t)
{
	return s_fill(t, s_n);
}

static const struct ptdbg_target_ops s_ops = {
	.name = "streaming", .read_phys = c_read, .read_phys_batch = c_batch,
	.stream_begin = s_begin, .stream_wait = s_wait, .stream_end = s_end,
};

/* A stream through such a backend gives each page its bytes; a page listed twice
 * is read twice but cached once, and what is cached is not streamed again. */
static void test_own_stream(void **state)
{
	struct counting c;
	const uint8_t *page;

	c_init(&c);
	c.t.ops = &s_ops;
	struct ptdbg_mem *m = ptdbg_mem_new(&c.t, 0);
	assert_int_equal(ptdbg_mem_page(m, 3ull << 12, &page), 0); /* cached before */
	uint64_t pas[] = { 1ull << 12, 2ull << 12, 3ull << 12, 2ull << 12, 4ull << 12 };
	assert_int_equal(ptdbg_mem_stream(m, pas, 5), 0);
	assert_int_equal(s_n, 4); /* 1, 2, 2, 4: page 3 is cached */
	assert_true(s_bufs_at_begin);
	assert_int_equal(ptdbg_mem_page_state(m, 4ull << 12), 0); /* under way */
	for (unsigned i = 1; i <= 4; i++) {
		assert_int_equal(ptdbg_mem_page(m, (uint64_t)i << 12, &page), 0);
		assert_int_equal(page[100], i);
	}
	assert_int_equal(ptdbg_mem_stream_end(m), 0);
	assert_int_equal(s_done, 4);
	struct ptdbg_mem_stats st;
	ptdbg_mem_stats(m, &st);
	assert_int_equal(st.peak_pages, 4); /* 1, 2, 3, 4: the second 2 was not kept */
	ptdbg_mem_free(m);
}

/* A backend that holds guest memory lends its pages: the cache keeps its pointers
 * (no copy), counts them as read, and drops them like any other page. */
static void test_lent_pages(void **state)
{
	struct ptdbg_target t = { .ops = &l_ops };
	const uint8_t *page;
	struct ptdbg_mem_stats st;

	for (unsigned i = 0; i < MEM_PAGES; i++)
		memset(lend_buf + i * 4096, (int)i, 4096);
	lends = 0;
	struct ptdbg_mem *m = ptdbg_mem_new(&t, 1); /* 64 pages */
	assert_int_equal(ptdbg_mem_page(m, 3ull << 12, &page), 0);
	assert_ptr_equal(page, lend_buf + 3 * 4096);
	assert_int_equal(ptdbg_mem_page(m, 3ull << 12, &page), 0);
	assert_int_equal(lends, 1);
	uint64_t pas[100];
	for (unsigned i = 0; i < 100; i++)
		pas[i] = (uint64_t)(i + 10) << 12;
	assert_int_equal(ptdbg_mem_prefetch(m, pas, 100), 0);
	assert_int_equal(ptdbg_mem_stream(m, pas + 50, 50), 0);
	for (unsigned i = 0; i < 100; i++) {
		assert_int_equal(ptdbg_mem_page(m, pas[i], &page), 0);
		assert_ptr_equal(page, lend_buf + (i + 10) * 4096);
	}
	assert_int_equal(ptdbg_mem_stream_end(m), 0);
	ptdbg_mem_stats(m, &st);
	assert_int_equal(st.cached_pages, 64);
	assert_true(st.evictions > 0);
	assert_int_equal(st.pages_read, lends);
	uint8_t b[16];
	assert_int_equal(ptdbg_mem_read(m, (5ull << 12) + 4090, b, 16), 0); /* across pages */
	assert_int_equal(b[0], 5);
	assert_int_equal(b[15], 6);
	assert_int_equal(ptdbg_mem_page(m, (uint64_t)MEM_PAGES << 12, &page), PTDBG_EIO);
	ptdbg_mem_free(m);
}

/* A page the caller read elsewhere (ptdbg_mem_put) is served without a read; one
 * cached already is kept as it is; ptdbg_page_ios lists distinct pages;
 * ptdbg_read_reg_batch_also reads memory in the
 * registers' batch, and marks what it was not asked to read. */
static void test_put_and_reg_batch_also(void **state)
{
	struct counting c;
	const uint8_t *page;
	static uint8_t other[4096];

	c_init(&c);
	struct ptdbg_mem *m = ptdbg_mem_new(&c.t, 0);
	memset(other, 0x77, sizeof(other));
	assert_int_equal(ptdbg_mem_put(m, 0x4000, other), 0);
	assert_int_equal(ptdbg_mem_page(m, 0x4010, &page), 0);
	assert_int_equal(page[0], 0x77);
	assert_int_equal(c.reads + c.batches, 0);
	assert_int_equal(ptdbg_mem_page(m, 0x2000, &page), 0); /* read: byte 2 */
	memset(other, 0x55, sizeof(other));
	assert_int_equal(ptdbg_mem_put(m, 0x2000, other), 0);
	assert_int_equal(ptdbg_mem_page(m, 0x2000, &page), 0);
	assert_int_equal(page[0], 2);
	ptdbg_mem_free(m);

	/* the distinct pages of a few addresses, as page reads */
	struct ptdbg_io pio[3];
	static uint8_t pbuf[3][4096];
	const uint64_t pas[3] = { 0x1010, 0x3000, 0x1ff8 };
	assert_int_equal(ptdbg_page_ios(pas, 3, pio, pbuf[0]), 2);
	assert_int_equal(pio[0].pa, 0x1000);
	assert_int_equal(pio[1].pa, 0x3000);
	assert_int_equal(pio[1].len, 4096);
	assert_ptr_equal(pio[1].buf, pbuf[1]);

	struct ptdbg_reg_io regs[2] = { { .pa = 0x1000, .size = 4 }, { .pa = 0x3008, .size = 8 } };
	static uint8_t a[2][4096];
	struct ptdbg_io also[PTDBG_ALSO_MAX + 1] = {
		{ .pa = 0x5000, .len = 4096, .buf = a[0] },
		{ .pa = (uint64_t)MEM_PAGES * 4096, .len = 4096, .buf = a[1] }, /* beyond: EIO */
	};
	c_init(&c);
	assert_int_equal(ptdbg_read_reg_batch_also(&c.t, regs, 2, also, 2), 0);
	assert_int_equal(c.batches, 1);
	assert_int_equal(c.batch_ios, 4);
	assert_int_equal(regs[0].err, 0);
	assert_int_equal(regs[0].val, 0x01010101u);
	assert_int_equal(regs[1].val, 0x0303030303030303ull);
	assert_int_equal(also[0].err, 0);
	assert_int_equal(a[0][4095], 5);
	assert_int_equal(also[1].err, PTDBG_EIO);
	/* more than it takes: none of them read, the registers still are */
	c_init(&c);
	assert_int_equal(ptdbg_read_reg_batch_also(&c.t, regs, 2, also, PTDBG_ALSO_MAX + 1), 0);
	assert_int_equal(c.batch_ios, 2);
	for (size_t i = 0; i <= PTDBG_ALSO_MAX; i++)
		assert_int_equal(also[i].err, PTDBG_ENOTSUP);
	assert_int_equal(regs[1].err, 0);
	/* no registers: the memory reads alone */
	c_init(&c);
	assert_int_equal(ptdbg_read_reg_batch_also(&c.t, NULL, 0, also, 1), 0);
	assert_int_equal(c.batch_ios, 1);
	assert_int_equal(also[0].err, 0);
	/* a dead link is every read's error */
	c_init(&c);
	c.link_down = true;
	assert_int_equal(ptdbg_read_reg_batch_also(&c.t, regs, 2, also, 2), PTDBG_ELINK);
	assert_int_equal(regs[0].err, PTDBG_ELINK);
	assert_int_equal(also[0].err, PTDBG_ELINK);
	assert_int_equal(also[1].err, PTDBG_ELINK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cache_hits),
		cmocka_unit_test(test_errors_remembered),
		cmocka_unit_test(test_link_error),
		cmocka_unit_test(test_prefetch_batch),
		cmocka_unit_test(test_cap_lru),
		cmocka_unit_test(test_hash_grows),
		cmocka_unit_test(test_local_stream),
		cmocka_unit_test(test_stream_use_once),
		cmocka_unit_test(test_own_stream),
		cmocka_unit_test(test_lent_pages),
		cmocka_unit_test(test_put_and_reg_batch_also),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
