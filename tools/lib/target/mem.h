/* SPDX-License-Identifier: MIT */
/*
 * Physical memory reader: a bounded page cache over a target.
 *
 * Walkers read guest physical memory through struct ptdbg_mem, never through the
 * target directly. Pages are 4 KiB, keyed by physical page number. The cache
 * keeps at most cap_bytes of page data (least recently used pages are dropped
 * first); a page that failed to read is remembered as failed with its error and
 * is not read again until ptdbg_mem_invalidate(). ptdbg_mem_prefetch() reads many
 * missing pages in one read_phys_batch so that a pipelining backend (gdbstub) runs
 * at its pipelined rate.
 *
 * The cache assumes the guest is stopped: call ptdbg_mem_invalidate() after the VM
 * ran.
 */
#ifndef PTDBG_MEM_H
#define PTDBG_MEM_H

#include <stddef.h>
#include <stdint.h>

#include "target/target.h"

#define PTDBG_PAGE_SIZE     4096u
#define PTDBG_PAGE_SHIFT    12
#define PTDBG_MEM_CAP_DEFAULT (32u << 20)

struct ptdbg_mem;

struct ptdbg_mem_stats {
	uint64_t pages_read;   /* pages fetched from the target successfully */
	uint64_t bytes_read;   /* bytes fetched from the target */
	uint64_t page_errors;  /* pages whose read failed (each counted once) */
	uint64_t batches;      /* read_phys_batch calls made */
	uint64_t hits;         /* ptdbg_mem_page calls served from the cache */
	uint64_t misses;       /* ptdbg_mem_page calls that had to read */
	uint64_t evictions;    /* pages dropped to stay under the cap */
	uint64_t cached_pages; /* pages holding data now */
	uint64_t peak_pages;   /* most pages held at once */
};

/* Create a reader over t (not owned) keeping at most cap_bytes of page data
 * (0: PTDBG_MEM_CAP_DEFAULT; at least 64 pages are always allowed). NULL if out of
 * memory. */
struct ptdbg_mem *ptdbg_mem_new(struct ptdbg_target *t, size_t cap_bytes);
void ptdbg_mem_free(struct ptdbg_mem *m);

/* The target under m. */
struct ptdbg_target *ptdbg_mem_target(const struct ptdbg_mem *m);

/* How many pages of data m may hold. */
size_t ptdbg_mem_cap_pages(const struct ptdbg_mem *m);

/* Read the pages containing the n physical addresses pas[] that are not cached and
 * not known to fail, in batches of read_phys_batch. Duplicates are fine. Reads at
 * most what fits under the cap (the rest is read on demand later). Per-page
 * failures are remembered, not returned. Returns 0, or a link-level PTDBG_E* code
 * from the backend (the target's error line says why). */
int ptdbg_mem_prefetch(struct ptdbg_mem *m, const uint64_t *pas, size_t n);

/* Give the cache the page at pa (page-aligned) that the caller read from the same
 * memory, in this stop, in a batch of its own (with reads that are not pages): kept
 * as if read, unless the page is known already. Returns 0 or PTDBG_ENOMEM. */
int ptdbg_mem_put(struct ptdbg_mem *m, uint64_t pa, const void *page);
/* The distinct pages that hold pas[0, n), as page reads into bufs (room for n
 * pages), in ios (room for n): a caller's page reads to ride in a batch of its
 * own (ptdbg_read_phys_batch_also), then to ptdbg_mem_put. Returns how many. */
size_t ptdbg_page_ios(const uint64_t *pas, size_t n, struct ptdbg_io *ios, uint8_t *bufs);

/* Start reading the pages containing pas[0, n) that are not cached or known to
 * fail, in that order (duplicates skipped), while the caller works: a page of the
 * stream is waited for when it is first asked for (ptdbg_mem_page), with the rest
 * still in flight, so that decoding one table overlaps the reads of the next ones.
 * At most what fits under the cap is streamed (the rest is read on demand). A
 * local backend (ops->local: nothing in flight to wait for) without a stream of its
 * own is read a few pages at a time as the pages are asked for, so that each is
 * decoded while it is still in the CPU's cache; any other backend that cannot
 * stream reads them all here. An earlier stream is ended first. Returns 0 or a
 * link error. */
int ptdbg_mem_stream(struct ptdbg_mem *m, const uint64_t *pas, size_t n);

/* End the stream: wait for the rest (its pages are cached), or for a local
 * backend forget what was not asked for yet (read on demand, if ever). 0 or a link
 * error. */
int ptdbg_mem_stream_end(struct ptdbg_mem *m);

/* Point *page at the cached 4 KiB page containing pa (reading it if needed).
 * Returns 0, the remembered per-page error (PTDBG_EIO, ...) or a link error. The
 * pointer stays valid until the next call on m that may read or evict (any
 * ptdbg_mem_* call except ptdbg_mem_stats / ptdbg_mem_page_error): copy what you
 * need to keep. */
int ptdbg_mem_page(struct ptdbg_mem *m, uint64_t pa, const uint8_t **page);

/* The remembered state of the page containing pa without reading: 0 cached and
 * good, 1 not known, or the remembered error. */
int ptdbg_mem_page_state(const struct ptdbg_mem *m, uint64_t pa);

/* Copy len bytes at pa into buf through the cache (may cross pages). Returns 0 or
 * the first error. */
int ptdbg_mem_read(struct ptdbg_mem *m, uint64_t pa, void *buf, size_t len);

/* Read one little-endian 64-bit value at pa (8-byte aligned). */
int ptdbg_mem_read_u64(struct ptdbg_mem *m, uint64_t pa, uint64_t *val);

/* Forget every cached page and every remembered error. Counters are kept. */
void ptdbg_mem_invalidate(struct ptdbg_mem *m);

/* Copy the counters. */
void ptdbg_mem_stats(const struct ptdbg_mem *m, struct ptdbg_mem_stats *out);

#endif /* PTDBG_MEM_H */
