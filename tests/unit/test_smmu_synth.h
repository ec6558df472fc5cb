/* SPDX-License-Identifier: MIT */
/*
 * Synthetic guest memory for the SMMUv3 unit tests: a few 4 KiB pages at chosen
 * physical addresses (the SMMU's two register pages, a stream table, CD tables,
 * queues) served by the sparse target; every other page fails to read, as a hole
 * does. Read through a page cache, as the tools read a live guest.
 */
#ifndef TEST_SMMU_SYNTH_H
#define TEST_SMMU_SYNTH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smmu/smmu_regs.h"
#include "target/mem.h"
#include "target/target.h"

#define SMMU_BASE  0x09050000ull /* QEMU virt */
#define SYN_PAGES  64

struct syn {
	struct ptdbg_sparse_page map[SYN_PAGES];
	uint8_t *data[SYN_PAGES];
	size_t n, opened_n;
	struct ptdbg_target *t;
	struct ptdbg_mem *mem;
};

static inline struct syn *syn_new(void)
{
	return calloc(1, sizeof(struct syn));
}

static inline void syn_close(struct syn *s)
{
	ptdbg_mem_free(s->mem);
	if (s->t)
		ptdbg_target_close(s->t);
	s->mem = NULL;
	s->t = NULL;
}

static inline void syn_free(struct syn *s)
{
	syn_close(s);
	for (size_t i = 0; i < s->n; i++)
		free(s->data[i]);
	free(s);
}

/* The page holding pa, created (zeroed) if needed. */
static inline uint8_t *syn_page(struct syn *s, uint64_t pa)
{
	pa &= ~0xfffull;
	for (size_t i = 0; i < s->n; i++)
		if (s->map[i].pa == pa)
			return s->data[i];
	if (s->n == SYN_PAGES)
		abort();
	s->data[s->n] = calloc(1, 4096);
	s->map[s->n].pa = pa;
	s->map[s->n].data = s->data[s->n];
	return s->data[s->n++];
}

static inline void syn_put64(struct syn *s, uint64_t pa, uint64_t v)
{
	uint8_t *p = syn_page(s, pa) + (pa & 0xfff);
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
	if (s->mem)
		ptdbg_mem_invalidate(s->mem);
}

static inline void syn_put32(struct syn *s, uint64_t pa, uint32_t v)
{
	uint8_t *p = syn_page(s, pa) + (pa & 0xfff);
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
	if (s->mem)
		ptdbg_mem_invalidate(s->mem);
}

/* Store n dwords at pa. */
static inline void syn_put(struct syn *s, uint64_t pa, const uint64_t *w, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		syn_put64(s, pa + 8 * i, w[i]);
}

/* The memory reader over the pages made so far (reopened when pages were added). */
static inline struct ptdbg_mem *syn_mem(struct syn *s)
{
	if (s->mem && s->opened_n == s->n)
		return s->mem;
	syn_close(s);
	s->t = ptdbg_sparse_open(s->map, s->n, false, NULL);
	s->mem = ptdbg_mem_new(s->t, 0);
	s->opened_n = s->n;
	return s->mem;
}

static inline struct ptdbg_target *syn_target(struct syn *s)
{
	syn_mem(s);
	return s->t;
}

/* The register pages of an SMMU shaped like QEMU 7.2's smmuv3 on virt: stage 1
 * only, AArch64 tables, linear and two-level stream tables, 16-bit stream ids,
 * 44-bit output addresses, 4K and 64K granules; enabled, with the stream table,
 * command queue and event queue at the given addresses. */
#define IDR0_QEMU (SMMU_IDR0_S1P | PTDBG_FIELD_PUT(SMMU_IDR0_TTF_MASK, 2) | SMMU_IDR0_COHACC | \
		   SMMU_IDR0_ASID16 | PTDBG_FIELD_PUT(SMMU_IDR0_TTENDIAN_MASK, 2) |                 \
		   PTDBG_FIELD_PUT(SMMU_IDR0_STALL_MODEL_MASK, 1) | SMMU_IDR0_TERM_MODEL |        \
		   PTDBG_FIELD_PUT(SMMU_IDR0_ST_LEVEL_MASK, 1))
#define IDR1_QEMU (PTDBG_FIELD_PUT(SMMU_IDR1_SIDSIZE_MASK, 16) |                               \
		   PTDBG_FIELD_PUT(SMMU_IDR1_EVENTQS_MASK, 19) | PTDBG_FIELD_PUT(SMMU_IDR1_CMDQS_MASK, 19))
#define IDR5_QEMU (PTDBG_FIELD_PUT(SMMU_IDR5_OAS_MASK, 4) | SMMU_IDR5_GRAN4K | SMMU_IDR5_GRAN64K)

static inline void syn_smmu(struct syn *s, uint64_t strtab, uint32_t strtab_cfg, uint64_t cmdq,
			    uint64_t evtq)
{
	uint64_t b = SMMU_BASE;
	syn_put32(s, b + SMMU_REG_IDR0, (uint32_t)IDR0_QEMU);
	syn_put32(s, b + SMMU_REG_IDR1, (uint32_t)IDR1_QEMU);
	syn_put32(s, b + SMMU_REG_IDR5, (uint32_t)IDR5_QEMU);
	syn_put32(s, b + SMMU_REG_AIDR, 0);
	uint32_t cr0 = SMMU_CR0_SMMUEN | SMMU_CR0_EVENTQEN | SMMU_CR0_CMDQEN;
	syn_put32(s, b + SMMU_REG_CR0, cr0);
	syn_put32(s, b + SMMU_REG_CR0ACK, cr0);
	syn_put32(s, b + SMMU_REG_GBPA, 0);
	syn_put64(s, b + SMMU_REG_STRTAB_BASE, strtab);
	syn_put32(s, b + SMMU_REG_STRTAB_BASE_CFG, strtab_cfg);
	syn_put64(s, b + SMMU_REG_CMDQ_BASE, cmdq);
	syn_put64(s, b + SMMU_REG_EVENTQ_BASE, evtq);
	syn_page(s, b + SMMU_PAGE1);
}

/* Run expr (which writes to FILE *f) into a memory buffer; the text (malloc'd). */
#define CAPTURE(expr_with_f) ({                                   \
	char *_s = NULL; size_t _n = 0;                           \
	FILE *f = open_memstream(&_s, &_n);                       \
	expr_with_f;                                              \
	fclose(f);                                                \
	_s; })

#endif /* TEST_SMMU_SYNTH_H */
