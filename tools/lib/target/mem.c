/* SPDX-License-Identifier: MIT */
/*
 * Physical memory reader: a bounded LRU page cache over a target (see mem.h).
 *
 * Pages with data live in a hash (chained, keyed by page number) and on an LRU
 * list; when more than cap_pages hold data, the least recently used is dropped.
 * Pages that failed live in the same hash without data and are never dropped (up
 * to MAX_ERROR_PAGES; beyond that failures are not remembered).
 *
 * Page buffers and entries come from pools that only grow (to the cap's worth):
 * dropping a page or forgetting them all hands them back for the next read, so a
 * walk does not pay malloc, free and fresh-memory faults per page. Where the
 * backend holds guest memory in this process (ptdbg_map_phys: a core file's
 * mapping) a page is its pointer, not a copy.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "target/mem.h"

static int stream_wait(struct ptdbg_mem *m, size_t k);

#define MIN_CAP_PAGES     64u
#define MAX_ERROR_PAGES   65536u
#define PREFETCH_CHUNK    16384u
#define MEM_PENDING       1 /* mem_page.err of a page a stream is still reading */ /* pages of one batch: 64 MiB, a whole level of most spaces */

struct mem_page {
	uint64_t pfn;
	int err;                        /* 0: data valid; MEM_PENDING: being read by the
					   stream (data is its buffer, not on the LRU
					   list); else the remembered error */
	size_t sidx;                    /* MEM_PENDING: its index in the stream */
	uint8_t *data;                  /* PTDBG_PAGE_SIZE bytes, NULL if err */
	bool borrowed;                  /* data is the backend's (ptdbg_map_phys), not ours */
	bool use_once;                  /* came by a stream and not read since: its first
					   read puts it at the cold end of the LRU list */
	struct mem_page *hnext;         /* hash chain */
	struct mem_page *prev, *next;   /* LRU list (data pages only), head = newest */
};

struct ptdbg_mem {
	struct ptdbg_target *t;
	size_t cap_pages;
	struct mem_page **buckets;
	size_t nbuckets;                /* power of two, doubled as entries come (one
					   per bucket on average) up to max_buckets: a
					   command that reads a few pages clears and
					   scans 8 KiB of them, not the cap's worth */
	size_t max_buckets, hashed;     /* the limit; entries in the hash */
	struct mem_page *lru_head, *lru_tail;
	size_t data_pages, error_pages;
	struct ptdbg_mem_stats st;
	/* the stream (ptdbg_mem_stream): pages read while the walk works */
	struct ptdbg_io *s_ios;
	struct mem_page **s_pages;      /* the entry of each io (pending: not on the LRU
					   list, so nothing else drops it) */
	size_t s_n, s_taken;            /* ios, and how many are in the cache already */
	bool s_lazy;                    /* a local backend without a stream of its own:
					   the stream's pages are read STREAM_CHUNK at
					   a time as the walk reaches them, so that each
					   is decoded while it is still in the CPU's
					   cache */
	size_t s_read;                  /* lazy: ios [0, s_read) have been read */
	/* pools: free page buffers (a stack of pointers: a buffer is not touched until
	 * it is read into), free entries (linked through hnext), and the chunks they
	 * were carved from */
	void **free_bufs;
	size_t nfree_bufs, cap_free_bufs;
	struct mem_page *free_pages;
	void **chunks;
	size_t nchunks, cap_chunks;
	size_t nbufs, nentries;         /* buffers and entries carved so far */
	uint8_t *scratch;               /* where a stream's reads that are not kept go
					   (a page twice in one stream, or no memory
					   for it) */
};

/* Buffers carved per allocation: as many as the pool holds already (at least
 * POOL_FIRST_PAGES: a command that reads a few tables allocates 64 KiB, not 2 MiB),
 * up to 2 MiB, aligned and marked for a transparent huge page, so that the
 * kernel's first copy into them (process_vm_readv) takes one fault per chunk
 * instead of one per page. Entries grow the same way. */
#define POOL_CHUNK_PAGES 512u
#define POOL_FIRST_PAGES 16u
#define STREAM_CHUNK     32u /* pages of one read of a lazy stream: 128 KiB */

/* Remember chunk c (to free at the end); false if out of memory. */
static bool chunk_keep(struct ptdbg_mem *m, void *c)
{
	if (m->nchunks == m->cap_chunks) {
		size_t cap = m->cap_chunks ? m->cap_chunks * 2 : 64;
		void **a = realloc(m->chunks, cap * sizeof(*a));
		if (!a)
			return false;
		m->chunks = a;
		m->cap_chunks = cap;
	}
	m->chunks[m->nchunks++] = c;
	return true;
}

/* The size of the next chunk of a pool that holds `have` items. */
static size_t pool_chunk_pages(size_t have)
{
	return have < POOL_FIRST_PAGES ? POOL_FIRST_PAGES : have < POOL_CHUNK_PAGES ? have : POOL_CHUNK_PAGES;
}

/* Carve a chunk of `pages` buffers into the pool. False if out of memory. */
static bool buf_carve(struct ptdbg_mem *m, size_t pages)
{
	if (m->cap_free_bufs < m->nfree_bufs + pages) {
		void **a = realloc(m->free_bufs, (m->nfree_bufs + pages) * sizeof(*a));
		if (!a)
			return false;
		m->free_bufs = a;
		m->cap_free_bufs = m->nfree_bufs + pages;
	}
	size_t bytes = pages * PTDBG_PAGE_SIZE;
	uint8_t *c = aligned_alloc(pages == POOL_CHUNK_PAGES ? bytes : PTDBG_PAGE_SIZE, bytes);
	if (!c || !chunk_keep(m, c)) {
		free(c);
		return false;
	}
#ifdef MADV_HUGEPAGE
	if (pages == POOL_CHUNK_PAGES)
		madvise(c, bytes, MADV_HUGEPAGE); /* a hint: without it, 4 KiB pages */
#endif
	for (size_t i = pages; i-- > 0;)
		m->free_bufs[m->nfree_bufs++] = c + i * PTDBG_PAGE_SIZE;
	m->nbufs += pages;
	return true;
}

/* A page buffer from the pool (a new chunk of them when it is empty), or NULL. */
static uint8_t *buf_get(struct ptdbg_mem *m)
{
	if (!m->nfree_bufs && !buf_carve(m, pool_chunk_pages(m->nbufs)))
		return NULL;
	return m->free_bufs[--m->nfree_bufs];
}

/* Before a stream of n pages: make room in the pool for them at once, in whole
 * huge-page chunks from STREAM_HUGE_PAGES on, so that a large stream's pages take
 * one fault (and, at the end, one free) per 2 MiB instead of one per page. Short
 * of memory it does what it can: buf_get carves the rest. */
#define STREAM_HUGE_PAGES (POOL_CHUNK_PAGES / 4)
static void buf_reserve(struct ptdbg_mem *m, size_t n)
{
	while (m->nfree_bufs < n) {
		size_t need = n - m->nfree_bufs;
		if (!buf_carve(m, need >= STREAM_HUGE_PAGES ? POOL_CHUNK_PAGES : pool_chunk_pages(m->nbufs)))
			return;
	}
}

/* Hand buffer b (may be NULL) back to the pool (kept as it is when the stack
 * cannot grow: the chunk still frees it at the end). */
static void buf_put(struct ptdbg_mem *m, uint8_t *b)
{
	if (!b)
		return;
	if (m->nfree_bufs == m->cap_free_bufs) {
		size_t cap = m->cap_free_bufs * 2;
		void **a = realloc(m->free_bufs, cap * sizeof(*a));
		if (!a)
			return;
		m->free_bufs = a;
		m->cap_free_bufs = cap;
	}
	m->free_bufs[m->nfree_bufs++] = b;
}

/* A zeroed page entry from the pool, or NULL. */
static struct mem_page *page_get(struct ptdbg_mem *m)
{
	if (!m->free_pages) {
		size_t n = pool_chunk_pages(m->nentries);
		struct mem_page *c = calloc(n, sizeof(*c));
		if (!c || !chunk_keep(m, c)) {
			free(c);
			return NULL;
		}
		for (size_t i = n; i-- > 0;) {
			c[i].hnext = m->free_pages;
			m->free_pages = &c[i];
		}
		m->nentries += n;
	}
	struct mem_page *p = m->free_pages;
	m->free_pages = p->hnext;
	memset(p, 0, sizeof(*p));
	return p;
}

/* Hand entry p and its data back to the pools. */
static void page_put(struct ptdbg_mem *m, struct mem_page *p)
{
	if (!p->borrowed)
		buf_put(m, p->data);
	p->data = NULL;
	p->hnext = m->free_pages;
	m->free_pages = p;
}

/* True for errors that describe the page rather than the link. */
static bool is_page_error(int err)
{
	return err != 0 && err != PTDBG_ELINK && err != PTDBG_ETIMEOUT && err != PTDBG_ENOMEM;
}

static size_t bucket_of(const struct ptdbg_mem *m, uint64_t pfn)
{
	return (size_t)(pfn ^ (pfn >> __builtin_ctzll(m->nbuckets)) * 0x9e3779b97f4a7c15ull) & (m->nbuckets - 1);
}

static struct mem_page *lookup(const struct ptdbg_mem *m, uint64_t pfn)
{
	for (struct mem_page *p = m->buckets[bucket_of(m, pfn)]; p; p = p->hnext)
		if (p->pfn == pfn)
			return p;
	return NULL;
}

static void lru_unlink(struct ptdbg_mem *m, struct mem_page *p)
{
	if (p->prev)
		p->prev->next = p->next;
	else
		m->lru_head = p->next;
	if (p->next)
		p->next->prev = p->prev;
	else
		m->lru_tail = p->prev;
	p->prev = p->next = NULL;
}

static void lru_push_front(struct ptdbg_mem *m, struct mem_page *p)
{
	p->prev = NULL;
	p->next = m->lru_head;
	if (m->lru_head)
		m->lru_head->prev = p;
	m->lru_head = p;
	if (!m->lru_tail)
		m->lru_tail = p;
}

static void lru_push_back(struct ptdbg_mem *m, struct mem_page *p)
{
	p->next = NULL;
	p->prev = m->lru_tail;
	if (m->lru_tail)
		m->lru_tail->next = p;
	m->lru_tail = p;
	if (!m->lru_head)
		m->lru_head = p;
}

static void hash_remove(struct ptdbg_mem *m, struct mem_page *p)
{
	struct mem_page **pp = &m->buckets[bucket_of(m, p->pfn)];

	while (*pp && *pp != p)
		pp = &(*pp)->hnext;
	if (*pp) {
		*pp = p->hnext;
		m->hashed--;
	}
}

/* Double the buckets when there are more entries than buckets (and the limit
 * allows); out of memory, the chains grow longer instead. */
static void hash_grow(struct ptdbg_mem *m)
{
	if (m->hashed <= m->nbuckets || m->nbuckets >= m->max_buckets)
		return;
	size_t n = m->nbuckets * 2;
	struct mem_page **nb = calloc(n, sizeof(*nb)), **old = m->buckets;
	size_t oldn = m->nbuckets;
	if (!nb)
		return;
	m->buckets = nb;
	m->nbuckets = n;
	for (size_t b = 0; b < oldn; b++) {
		for (struct mem_page *p = old[b], *next; p; p = next) {
			size_t k = bucket_of(m, p->pfn);
			next = p->hnext;
			p->hnext = nb[k];
			nb[k] = p;
		}
	}
	free(old);
}

/* Put entry p (its pfn set) in the hash. */
static void hash_add(struct ptdbg_mem *m, struct mem_page *p)
{
	size_t b = bucket_of(m, p->pfn);
	p->hnext = m->buckets[b];
	m->buckets[b] = p;
	m->hashed++;
	hash_grow(m);
}

/* Drop the least recently used data page. */
static void evict_one(struct ptdbg_mem *m)
{
	struct mem_page *p = m->lru_tail;

	if (!p)
		return;
	lru_unlink(m, p);
	hash_remove(m, p);
	page_put(m, p);
	m->data_pages--;
	m->st.evictions++;
}

/* Insert a page with data (a pool buffer, taken; or the backend's own when borrowed)
 * or a failure; makes room first. Returns the entry or NULL (out of memory, or too
 * many failures; data handed back). */
static struct mem_page *insert(struct ptdbg_mem *m, uint64_t pfn, uint8_t *data, bool borrowed,
			       int err)
{
	struct mem_page *p;

	if (!data && m->error_pages >= MAX_ERROR_PAGES)
		return NULL;
	if (data) {
		while (m->data_pages >= m->cap_pages)
			evict_one(m);
	}
	p = page_get(m);
	if (!p) {
		if (!borrowed)
			buf_put(m, data);
		return NULL;
	}
	p->pfn = pfn;
	p->err = err;
	p->data = data;
	p->borrowed = borrowed;
	hash_add(m, p);
	if (data) {
		lru_push_front(m, p);
		m->data_pages++;
		if (m->data_pages > m->st.peak_pages)
			m->st.peak_pages = m->data_pages;
	} else {
		m->error_pages++;
	}
	return p;
}

struct ptdbg_mem *ptdbg_mem_new(struct ptdbg_target *t, size_t cap_bytes)
{
	struct ptdbg_mem *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	if (cap_bytes == 0)
		cap_bytes = PTDBG_MEM_CAP_DEFAULT;
	m->t = t;
	m->cap_pages = cap_bytes / PTDBG_PAGE_SIZE;
	if (m->cap_pages < MIN_CAP_PAGES)
		m->cap_pages = MIN_CAP_PAGES;
	m->max_buckets = 1024;
	while (m->max_buckets < 2 * m->cap_pages && m->max_buckets < (1u << 20))
		m->max_buckets <<= 1;
	m->nbuckets = 1024;
	m->buckets = calloc(m->nbuckets, sizeof(*m->buckets));
	if (!m->buckets) {
		free(m);
		return NULL;
	}
	return m;
}

void ptdbg_mem_invalidate(struct ptdbg_mem *m)
{
	ptdbg_mem_stream_end(m); /* the link may still be writing into its pages */
	for (size_t b = 0; b < m->nbuckets && m->hashed; b++) {
		struct mem_page *p = m->buckets[b];
		if (!p)
			continue;
		while (p) {
			struct mem_page *n = p->hnext;
			page_put(m, p);
			m->hashed--;
			p = n;
		}
		m->buckets[b] = NULL;
	}
	m->hashed = 0;
	m->lru_head = m->lru_tail = NULL;
	m->data_pages = m->error_pages = 0;
}

void ptdbg_mem_free(struct ptdbg_mem *m)
{
	if (!m)
		return;
	ptdbg_mem_invalidate(m);
	for (size_t i = 0; i < m->nchunks; i++)
		free(m->chunks[i]);
	free(m->chunks);
	free(m->free_bufs);
	free(m->buckets);
	free(m->scratch);
	free(m);
}

struct ptdbg_target *ptdbg_mem_target(const struct ptdbg_mem *m)
{
	return m->t;
}

size_t ptdbg_mem_cap_pages(const struct ptdbg_mem *m)
{
	return m->cap_pages;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The backend's own copy of page pfn (ptdbg_map_phys), inserted as a borrowed page:
 * the entry, or NULL when the backend has none (or out of memory). */
static struct mem_page *insert_mapped(struct ptdbg_mem *m, uint64_t pfn)
{
	const void *d = ptdbg_map_phys(m->t, pfn << PTDBG_PAGE_SHIFT, PTDBG_PAGE_SIZE);

	if (!d)
		return NULL;
	m->st.pages_read++;
	m->st.bytes_read += PTDBG_PAGE_SIZE;
	return insert(m, pfn, (uint8_t *)(uintptr_t)d, true, 0);
}

/* Read the n distinct missing pages pfns[] in one batch and insert them. */
static int fetch_batch(struct ptdbg_mem *m, const uint64_t *pfns, size_t n)
{
	struct ptdbg_io *ios = calloc(n, sizeof(*ios));
	uint64_t *want = malloc(n * sizeof(*want));
	size_t k = 0;
	int rc = 0;

	if (!ios || !want) {
		free(ios);
		free(want);
		return PTDBG_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		if (m->t->ops->map_phys && insert_mapped(m, pfns[i]))
			continue;
		ios[k].pa = pfns[i] << PTDBG_PAGE_SHIFT;
		ios[k].len = PTDBG_PAGE_SIZE;
		ios[k].buf = buf_get(m);
		want[k] = pfns[i];
		if (!ios[k++].buf) {
			rc = PTDBG_ENOMEM;
			goto out;
		}
	}
	if (k == 0)
		goto out;
	m->st.batches++;
	rc = ptdbg_read_phys_batch(m->t, ios, k);
	if (rc)
		goto out;
	for (size_t i = 0; i < k; i++) {
		if (ios[i].err == 0) {
			m->st.pages_read++;
			m->st.bytes_read += PTDBG_PAGE_SIZE;
			insert(m, want[i], ios[i].buf, false, 0);
			ios[i].buf = NULL;
		} else if (is_page_error(ios[i].err)) {
			m->st.page_errors++;
			insert(m, want[i], NULL, false, ios[i].err);
		}
	}
out:
	for (size_t i = 0; i < k; i++)
		buf_put(m, ios[i].buf);
	free(ios);
	free(want);
	return rc;
}

int ptdbg_mem_put(struct ptdbg_mem *m, uint64_t pa, const void *page)
{
	uint64_t pfn = pa >> PTDBG_PAGE_SHIFT;
	if (lookup(m, pfn))
		return 0;
	uint8_t *b = buf_get(m);
	if (!b)
		return PTDBG_ENOMEM;
	memcpy(b, page, PTDBG_PAGE_SIZE);
	return insert(m, pfn, b, false, 0) ? 0 : PTDBG_ENOMEM;
}

size_t ptdbg_page_ios(const uint64_t *pas, size_t n, struct ptdbg_io *ios, uint8_t *bufs)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t pa = pas[i] & ~(uint64_t)(PTDBG_PAGE_SIZE - 1);
		bool dup = false;
		for (size_t j = 0; j < k; j++)
			dup |= ios[j].pa == pa;
		if (!dup) {
			ios[k] = (struct ptdbg_io){ .pa = pa, .len = PTDBG_PAGE_SIZE, .buf = bufs + k * PTDBG_PAGE_SIZE };
			k++;
		}
	}
	return k;
}

int ptdbg_mem_prefetch(struct ptdbg_mem *m, const uint64_t *pas, size_t n)
{
	uint64_t *pfns;
	size_t k = 0, room;
	int rc = 0;

	if (n == 0)
		return 0;
	pfns = malloc(n * sizeof(*pfns));
	if (!pfns)
		return PTDBG_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		uint64_t pfn = pas[i] >> PTDBG_PAGE_SHIFT;
		struct mem_page *p = lookup(m, pfn);
		if (p) {
			if (p->data && !p->err) { /* keep what is about to be used */
				lru_unlink(m, p);
				lru_push_front(m, p);
			}
			continue;
		}
		pfns[k++] = pfn;
	}
	qsort(pfns, k, sizeof(*pfns), cmp_u64);
	size_t u = 0;
	for (size_t i = 0; i < k; i++)
		if (u == 0 || pfns[u - 1] != pfns[i])
			pfns[u++] = pfns[i];
	/* Never flush the whole cache for a prefetch: use the free room, or make room
	 * for a quarter of the cap by dropping the oldest pages. */
	room = m->cap_pages - m->data_pages;
	if (room < m->cap_pages / 4)
		room = m->cap_pages / 4;
	if (u > room)
		u = room;
	buf_reserve(m, u);
	for (size_t i = 0; i < u && rc == 0; i += PREFETCH_CHUNK) {
		size_t c = u - i < PREFETCH_CHUNK ? u - i : PREFETCH_CHUNK;
		rc = fetch_batch(m, pfns + i, c);
	}
	free(pfns);
	return rc;
}

/* Move the stream's ios [s_taken, upto) into the cache: data pages onto the LRU
 * list, per-page failures remembered, pages lost to a link error forgotten. */
static void stream_take(struct ptdbg_mem *m, size_t upto)
{
	for (; m->s_taken < upto && m->s_taken < m->s_n; m->s_taken++) {
		struct ptdbg_io *io = &m->s_ios[m->s_taken];
		struct mem_page *p = m->s_pages[m->s_taken];
		if (!p || p->err != MEM_PENDING)
			continue; /* not kept (scratch), or not the stream's any more */
		if (io->err == 0) {
			while (m->data_pages >= m->cap_pages && m->lru_tail)
				evict_one(m);
			p->err = 0;
			p->use_once = true;
			lru_push_front(m, p);
			m->data_pages++;
			if (m->data_pages > m->st.peak_pages)
				m->st.peak_pages = m->data_pages;
			m->st.pages_read++;
			m->st.bytes_read += PTDBG_PAGE_SIZE;
		} else if (is_page_error(io->err)) {
			m->st.page_errors++;
			buf_put(m, p->data);
			p->data = NULL;
			p->err = io->err;
			m->error_pages++;
		} else {
			hash_remove(m, p);
			page_put(m, p);
		}
	}
}

/* Forget the pages the stream did not read (after a link error, or at its end). */
static void stream_forget(struct ptdbg_mem *m)
{
	for (size_t i = m->s_taken; i < m->s_n; i++) {
		struct mem_page *p = m->s_pages[i];
		if (p && p->err == MEM_PENDING) {
			hash_remove(m, p);
			page_put(m, p);
		}
	}
	free(m->s_ios);
	free(m->s_pages);
	m->s_ios = NULL;
	m->s_pages = NULL;
	m->s_n = m->s_taken = m->s_read = 0;
	m->s_lazy = false;
}

/* Wait until the stream has read its page k. 0 or a link error (the stream is
 * then over). */
static int stream_wait(struct ptdbg_mem *m, size_t k)
{
	size_t complete = 0;

	if (m->s_lazy) { /* read up to k, and at least STREAM_CHUNK pages */
		int rc = 0;
		if (k >= m->s_read) {
			size_t end = k + 1 > m->s_read + STREAM_CHUNK ? k + 1 : m->s_read + STREAM_CHUNK;
			if (end > m->s_n)
				end = m->s_n;
			m->st.batches++;
			rc = ptdbg_read_phys_batch(m->t, m->s_ios + m->s_read, end - m->s_read);
			if (!rc)
				m->s_read = end;
		}
		stream_take(m, m->s_read);
		if (rc)
			stream_forget(m);
		return rc;
	}
	int rc = ptdbg_read_stream_wait(m->t, k, &complete);
	stream_take(m, complete);
	if (rc) {
		ptdbg_read_stream_end(m->t);
		stream_forget(m);
	}
	return rc;
}

int ptdbg_mem_stream(struct ptdbg_mem *m, const uint64_t *pas, size_t n)
{
	int rc = ptdbg_mem_stream_end(m);
	size_t k = 0, room;

	if (rc || n == 0)
		return rc;
	m->s_ios = calloc(n, sizeof(*m->s_ios));
	m->s_pages = calloc(n, sizeof(*m->s_pages));
	if (!m->scratch)
		m->scratch = malloc(PTDBG_PAGE_SIZE);
	if (!m->s_ios || !m->s_pages || !m->scratch) {
		free(m->s_ios);
		free(m->s_pages);
		m->s_ios = NULL;
		m->s_pages = NULL;
		return PTDBG_ENOMEM;
	}
	room = m->cap_pages - m->data_pages;
	if (room < m->cap_pages / 4)
		room = m->cap_pages / 4;
	/* Which pages: those neither cached, failed, nor the backend's own. */
	for (size_t i = 0; i < n && k < room; i++) {
		uint64_t pfn = pas[i] >> PTDBG_PAGE_SHIFT;
		if (lookup(m, pfn))
			continue;
		if (m->t->ops->map_phys && insert_mapped(m, pfn))
			continue; /* the backend's own copy: nothing to stream */
		m->s_ios[k++] = (struct ptdbg_io){ .pa = pfn << PTDBG_PAGE_SHIFT, .len = PTDBG_PAGE_SIZE };
	}
	m->s_n = k;
	if (k == 0) {
		stream_forget(m);
		return 0;
	}
	/* A backend with a stream of its own starts it now (its first requests go
	 * out), and the buffers and entries below are made while the first replies
	 * come: it writes a buffer only in stream_wait and stream_end. */
	bool own_stream = m->t->ops->stream_begin != NULL;
	if (own_stream) {
		m->st.batches++;
		if ((rc = ptdbg_read_stream_begin(m->t, m->s_ios, k))) {
			stream_forget(m);
			return rc;
		}
	}
	buf_reserve(m, k);
	for (size_t j = 0; j < k; j++) {
		uint64_t pfn = m->s_ios[j].pa >> PTDBG_PAGE_SHIFT;
		uint8_t *data = NULL;
		struct mem_page *p = lookup(m, pfn) ? NULL : (data = buf_get(m)) ? page_get(m) : NULL;
		if (!p) { /* the same page twice in pas, or out of memory: this read is
			     not kept (the page is read on demand if it is not cached) */
			buf_put(m, data);
			m->s_ios[j].buf = m->scratch;
			continue;
		}
		p->pfn = pfn;
		p->err = MEM_PENDING;
		p->data = data;
		p->sidx = j;
		hash_add(m, p);
		m->s_pages[j] = p;
		m->s_ios[j].buf = data;
	}
	if (own_stream)
		return 0;
	if (m->t->ops->local) { /* read as the walk gets there: stream_wait */
		m->s_lazy = true;
		return 0;
	}
	m->st.batches++;
	rc = ptdbg_read_stream_begin(m->t, m->s_ios, k); /* the whole batch, now */
	if (rc) {
		stream_forget(m);
		return rc;
	}
	return 0;
}

int ptdbg_mem_stream_end(struct ptdbg_mem *m)
{
	int rc = 0;

	if (!m->s_ios)
		return 0;
	if (m->s_lazy) { /* what the walk did not get to is read on demand, if ever */
		stream_take(m, m->s_read);
		stream_forget(m);
		return 0;
	}
	if (m->s_taken < m->s_n)
		rc = stream_wait(m, m->s_n - 1);
	if (m->s_ios) {
		int erc = ptdbg_read_stream_end(m->t);
		stream_forget(m);
		if (!rc)
			rc = erc;
	}
	return rc;
}

int ptdbg_mem_page_state(const struct ptdbg_mem *m, uint64_t pa)
{
	const struct mem_page *p = lookup(m, pa >> PTDBG_PAGE_SHIFT);

	if (!p)
		return 1;
	return p->err == MEM_PENDING ? 0 : p->err; /* pending: under way, as good as read */
}

int ptdbg_mem_page(struct ptdbg_mem *m, uint64_t pa, const uint8_t **page)
{
	uint64_t pfn = pa >> PTDBG_PAGE_SHIFT;
	struct mem_page *p = lookup(m, pfn);
	uint8_t *data;
	int rc;

	*page = NULL;
	if (p && p->err == MEM_PENDING) {
		rc = stream_wait(m, p->sidx);
		if (rc)
			return rc;
		p = lookup(m, pfn);
	}
	if (p) {
		if (p->err)
			return p->err;
		m->st.hits++;
		lru_unlink(m, p);
		/* A streamed page is read once, in stream order: read, it is the first
		 * to drop, so that a stream larger than the cache recycles the page it
		 * just read (its entry and bucket still in the CPU's cache) instead of
		 * the coldest one, a cache's worth of pages ago; what was cached
		 * before the stream stays. */
		if (p->use_once) {
			p->use_once = false;
			lru_push_back(m, p);
		} else
			lru_push_front(m, p);
		*page = p->data;
		return 0;
	}
	m->st.misses++;
	if (m->t->ops->map_phys && (p = insert_mapped(m, pfn)) != NULL) {
		*page = p->data;
		return 0;
	}
	data = buf_get(m);
	if (!data)
		return PTDBG_ENOMEM;
	rc = ptdbg_read_phys(m->t, pfn << PTDBG_PAGE_SHIFT, data, PTDBG_PAGE_SIZE);
	if (rc) {
		buf_put(m, data);
		if (is_page_error(rc)) {
			m->st.page_errors++;
			insert(m, pfn, NULL, false, rc);
		}
		return rc;
	}
	m->st.pages_read++;
	m->st.bytes_read += PTDBG_PAGE_SIZE;
	p = insert(m, pfn, data, false, 0);
	if (!p)
		return PTDBG_ENOMEM;
	*page = p->data;
	return 0;
}

int ptdbg_mem_read(struct ptdbg_mem *m, uint64_t pa, void *buf, size_t len)
{
	uint8_t *out = buf;

	while (len) {
		const uint8_t *page;
		size_t off = pa & (PTDBG_PAGE_SIZE - 1);
		size_t c = PTDBG_PAGE_SIZE - off;
		int rc;

		if (c > len)
			c = len;
		rc = ptdbg_mem_page(m, pa, &page);
		if (rc)
			return rc;
		memcpy(out, page + off, c);
		out += c;
		pa += c;
		len -= c;
	}
	return 0;
}

int ptdbg_mem_read_u64(struct ptdbg_mem *m, uint64_t pa, uint64_t *val)
{
	uint8_t b[8];
	int rc = ptdbg_mem_read(m, pa, b, sizeof(b));

	if (rc)
		return rc;
	*val = 0;
	for (int i = 7; i >= 0; i--)
		*val = (*val << 8) | b[i];
	return 0;
}

void ptdbg_mem_stats(const struct ptdbg_mem *m, struct ptdbg_mem_stats *out)
{
	*out = m->st;
	out->cached_pages = m->data_pages;
}
