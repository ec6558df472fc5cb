/* SPDX-License-Identifier: MIT */
/*
 * Reading the ptdbg debug region (include/ptdbg/abi.h) out of guest memory.
 *
 * Everything here is guest-controlled: every count is bounded before it sizes an
 * allocation, strings are copied with a terminator, and a torn read (odd or changing
 * generation) is reported. The reader copies the header and the small arrays once;
 * frame metadata is looked up on demand, since the array can be tens of MiB.
 */
#ifndef PTDBG_REGION_H
#define PTDBG_REGION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ptdbg/abi.h"
#include "target/target.h"

/* Caps on what a reader accepts from a region (larger counts are clamped and noted). */
#define PTDBG_REGION_MAX_SPACES   4096u
#define PTDBG_REGION_MAX_MARKERS  1024u
#define PTDBG_REGION_MAX_DOMAINS  1024u
#define PTDBG_REGION_MAX_DMABUFS  65536u
#define PTDBG_REGION_MAX_FAULTS   65536u
#define PTDBG_REGION_MAX_ELEM     4096u
#define PTDBG_REGION_MAX_FRAMES   (1ull << 28) /* 1 TiB of RAM in 4 KiB frames */
/* Bytes read for one array: count x element size, whatever the two are. */
#define PTDBG_REGION_MAX_ARRAY_BYTES (4u << 20)

struct ptdbg_region_view {
	uint64_t pa;                    /* where the header was read */
	struct ptdbg_region hdr;        /* known prefix; fields the writer lacks are zero */
	struct ptdbg_aspace *spaces;    size_t nspaces;
	struct ptdbg_marker *markers;   size_t nmarkers;
	struct ptdbg_domain *domains;   size_t ndomains;
	struct ptdbg_dma_buf *dma_bufs; size_t ndma_bufs;
	struct ptdbg_fault *faults;     size_t nfaults; /* oldest first */
	bool torn;                      /* generation odd or changed while reading */
	char notes[512];                /* what was clamped or dropped, "" if nothing */
};

/* Where a region was found, for messages. */
enum ptdbg_region_source { PTDBG_REGION_NONE, PTDBG_REGION_SYMBOL, PTDBG_REGION_SCAN, PTDBG_REGION_ADDR };

/* Read the access scenario's cases (at most PTDBG_REGION_MAX_ACCESS_CASES) into a
 * malloc'd array *cases of *n elements (none: NULL, 0). An unreadable array is a
 * note in v and no cases. Returns 0 or a link error. */
#define PTDBG_REGION_MAX_ACCESS_CASES 65536u
int ptdbg_region_access_cases(struct ptdbg_target *t, struct ptdbg_region_view *v,
			      struct ptdbg_access_case **cases, size_t *n);

/* Read and validate the region whose header is at physical address pa.
 * Returns 0, PTDBG_EFORMAT (no valid header there: err says why) or a target error. */
int ptdbg_region_read(struct ptdbg_target *t, uint64_t pa, struct ptdbg_region_view *v,
		      char *err, size_t errlen);
/* Called with a region's header (validated, zero past a shorter writer's) before
 * its arrays are read: may set the pa and len of also[i] from what the header says;
 * an io whose len it leaves 0 is not read. */
typedef void ptdbg_region_also_fn(const struct ptdbg_region *h, struct ptdbg_io *also, size_t nalso,
				  void *ctx);

/* The same, and also[0, nalso) (ptdbg_read_phys_batch_also) read in the batch of
 * the region's arrays, which needs the header first; fill (may be NULL) places
 * them from the header. Each io's err says whether it was read (PTDBG_ENOTSUP: not
 * asked for: the header was not a region's, its len was 0, or it came after the
 * first PTDBG_ALSO_MAX with a len). */
int ptdbg_region_read_also(struct ptdbg_target *t, uint64_t pa, struct ptdbg_region_view *v,
			   struct ptdbg_io *also, size_t nalso, ptdbg_region_also_fn *fill, void *ctx,
			   char *err, size_t errlen);

/* Scan guest physical memory [lo, hi) for a header whose self_phys matches where it
 * lies, low memory first, stopping at the first unreadable chunk above 1 MiB.
 * Returns 0 and *pa, or PTDBG_EIO if none was found. */
int ptdbg_region_scan(struct ptdbg_target *t, uint64_t lo, uint64_t hi, uint64_t *pa);

/* Free the arrays of a view (the view itself is the caller's). */
void ptdbg_region_free(struct ptdbg_region_view *v);

/* Frame metadata of physical frame pfn. Returns 0, PTDBG_EINVAL if the region does
 * not describe that frame, or a read error. Reads through the target each call:
 * callers that look up many frames use ptdbg_region_frames_read. */
int ptdbg_region_frame(struct ptdbg_target *t, const struct ptdbg_region_view *v,
		       uint64_t pfn, struct ptdbg_frame_meta *out);

/* Read the metadata of frames [first, first+n) into out[] with one batched read. */
int ptdbg_region_frames_read(struct ptdbg_target *t, const struct ptdbg_region_view *v,
			     uint64_t first, size_t n, struct ptdbg_frame_meta *out);
/* The same through a memory reader's page cache (a later command of the same
 * attach reads nothing again). */
struct ptdbg_mem;
int ptdbg_region_frames_read_mem(struct ptdbg_mem *m, const struct ptdbg_region_view *v,
				 uint64_t first, size_t n, struct ptdbg_frame_meta *out);

/* Names of enumerations, for printers ("?" for unknown values). */
const char *ptdbg_as_kind_name(uint32_t kind);
const char *ptdbg_tracking_name(uint32_t tracking);
const char *ptdbg_frame_usage_name(uint32_t usage);
const char *ptdbg_fault_outcome_name(uint32_t outcome);
const char *ptdbg_dma_dir_name(uint32_t dir);
const char *ptdbg_dma_status_name(uint32_t status);
const char *ptdbg_iommu_mode_name(uint32_t mode);

/* The marker covering va for an address space of the given kind (0: any), or NULL.
 * Kernel markers also apply to the upper half of user spaces. */
const struct ptdbg_marker *ptdbg_region_marker_at(const struct ptdbg_region_view *v,
						  uint32_t as_kind, uint64_t va);
/* The address space whose root is root (flags ignored), or NULL. */
const struct ptdbg_aspace *ptdbg_region_space_by_root(const struct ptdbg_region_view *v,
						      uint64_t root);
/* The address space named name (exact match), or NULL. */
const struct ptdbg_aspace *ptdbg_region_space_by_name(const struct ptdbg_region_view *v,
						      const char *name);

/* Copy a fixed-size, possibly unterminated name field into out (size >= len+1). */
void ptdbg_name_copy(char *out, const char *field, size_t len);

#endif /* PTDBG_REGION_H */
