/* SPDX-License-Identifier: MIT */
/*
 * Checks of SMMUv3 state, computed from what others read: the registers, the
 * queues' records, the lookups of the streams (smmu_tables.h) and what the kernel
 * says it set up (its domains and DMA buffers, when the guest exports them).
 * Findings go to a struct ptdbg_findings.
 *
 * Kinds (stable names):
 *   dma-out-of-range         a registered DMA buffer outside its stream's software
 *                            window, or above its CD's input address size
 *   dma-unmapped             a mapped buffer the stream's stage-1 tables do not
 *                            translate to its physical address (needs the stage-1
 *                            walk: opts.translate; skipped without it)
 *   window-narrower-than-ias a stream's software window ends below 2^IAS of its CD
 *                            (64 - T0SZ) while DMA-capable RAM lies above the window
 *                            (shared/BUGS.md 1 on this hardware)
 *   faults-not-recorded      a valid CD with R=0 (the SMMU terminates faulting
 *                            transactions without an event), a stage-2 STE with
 *                            S2R=0, or an enabled SMMU whose event queue is disabled
 *   ste-bypass               a stream in bypass (STE Config bypass, S1DSS bypass, or
 *                            the whole SMMU disabled with GBPA bypassing) while the
 *                            kernel registered a domain for it
 *   event-pending            an event record between EVENTQ_CONS and EVENTQ_PROD, decoded
 *                            (smmu_check(): the first 256, then one count of the rest)
 *   event-queue-overflow     EVENTQ_PROD.OVFLG not acknowledged, or the queue full
 *                            (with GERROR.EVENTQ_ABT_ERR QEMU has dropped events)
 *   gerror-active            a global error: a GERROR bit that differs from GERRORN
 *   reserved-bits            reserved bits set in an STE, CD or level-1 descriptor
 *   ste-invalid              a stream the SMMU cannot use: out of range, level-1
 *                            descriptor or STE invalid (C_BAD_STREAMID, C_BAD_STE), or
 *                            one the kernel registered that aborts or is disabled
 *   cd-invalid               a substream or CD the SMMU cannot use (C_BAD_SUBSTREAMID,
 *                            C_BAD_CD)
 *   table-unreadable         a stream table, CD table or CD in memory that cannot be
 *                            read (F_STE_FETCH, F_CD_FETCH)
 *   table-overlap            a CD, CD table or level-2 stream table inside the
 *                            stream table itself
 *   queue-invalid            a queue whose PROD/CONS are inconsistent or whose
 *                            LOG2SIZE exceeds what the SMMU supports
 *   smmu-disabled            the kernel registered domains but the SMMU is disabled
 *                            and GBPA aborts every transaction
 *
 * Use: new; region() if there is a debug region (before the streams, so that
 * stream() knows the domains); unit(); events(); stream() for every lookup
 * (each stream of the table, and each registered domain's stream and substream);
 * finish(); free. smmu_check() does all of it from the registers and memory.
 */
#ifndef PTDBG_SMMU_CHECK_H
#define PTDBG_SMMU_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "out/finding.h"
#include "smmu/smmu_queue.h"
#include "smmu/smmu_regs.h"
#include "smmu/smmu_tables.h"

struct smmu_checker;

/* The kinds above, NULL-terminated. */
extern const char *const smmu_check_kinds[];

/* A domain the kernel set up: the stream (and substream, or SMMU_NO_SSID) it
 * translates, its name and the IOVA window its DMA API enforces, [start, end). */
struct smmu_domain_info {
	uint32_t sid, ssid;
	char     name[40];
	uint64_t win_start, win_end;
};

/* A DMA buffer the kernel registered (dir: enum ptdbg_dma_dir, status: enum
 * ptdbg_dma_status of ptdbg/abi.h). */
struct smmu_dma_buf_info {
	uint32_t sid, ssid;
	uint32_t dir, status;
	uint64_t iova, phys, len;
};

/* The stage-1 walk, provided by whoever has the AArch64 decoder: translate iova
 * through cfg for a write or a read. Returns 1 with *pa set when the tables
 * translate it with that permission, 0 when they do not, or a negative PTDBG_E*
 * (the check is then skipped for that buffer). */
typedef int (*smmu_translate_fn)(void *ctx, const struct smmu_s1_cfg *cfg, uint64_t iova,
				 bool write, uint64_t *pa);

struct smmu_check_opts {
	struct ptdbg_findings *out;  /* findings are appended here */
	uint64_t ram_end;            /* one past the highest byte of RAM (0: unknown) */
	const char *ram_source;      /* where ram_end comes from, for messages */
	smmu_translate_fn translate; /* NULL: dma-unmapped is not checked */
	void *translate_ctx;
	uint32_t max_stes;           /* smmu_check(): the stream table scan's budget (0: 65536) */
};

struct smmu_checker *smmu_checker_new(const struct smmu_check_opts *o);
void smmu_checker_free(struct smmu_checker *c);

/* The kernel's domains and buffers (copied). Returns 0 or PTDBG_ENOMEM. */
int smmu_checker_region(struct smmu_checker *c, const struct smmu_domain_info *d, size_t nd,
			const struct smmu_dma_buf_info *b, size_t nb);
/* The registers: global errors, queue state, SMMUEN/GBPA, event queue enable. */
void smmu_checker_unit(struct smmu_checker *c, const struct smmu_regs *r);
/* The pending event records (copied; reported by finish() with stream names). */
void smmu_checker_events(struct smmu_checker *c, const struct smmu_event *ev, size_t n);
/* One stream's lookup (copied where a registered domain uses it); hw is the SMMU
 * the lookup used (taken when unit() was not called). A domain's stream given
 * twice (by the scan and by its own lookup) is checked once. */
void smmu_checker_stream(struct smmu_checker *c, const struct smmu_hw *hw,
			 const struct smmu_stream_lookup *l);
/* What needs all of the above: pending events with stream names, a disabled SMMU
 * against the domains, buffers against windows, input sizes and the stage-1
 * tables (a domain whose stream was never given to stream() has its buffers
 * checked against its window only). */
void smmu_checker_finish(struct smmu_checker *c);

/* Everything from the registers r and memory: the unit, the pending events, every
 * stream of the table and every domain's (sub)stream, then finish. Returns 0 or a
 * link error. */
int smmu_check(struct ptdbg_mem *mem, const struct smmu_regs *r, const struct smmu_check_opts *o,
	       const struct smmu_domain_info *d, size_t nd, const struct smmu_dma_buf_info *b,
	       size_t nb);

#endif /* PTDBG_SMMU_CHECK_H */
