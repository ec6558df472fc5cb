/* SPDX-License-Identifier: MIT */
/*
 * Synthetic AArch64 translation tables for the unit tests: an image at physical 0,
 * a CPU whose TCR describes one granule and input size for both halves, and a
 * builder that creates the tables down to a level and writes a descriptor there.
 */
#ifndef TEST_ARM64_SYNTH_H
#define TEST_ARM64_SYNTH_H

#include <stdint.h>
#include <string.h>

#include "arm64/arm64_walk.h"
#include "ptdbg/hw/arm64.h"
#include "test_vtd_image.h"

/* MAIR of the tests: AttrIndx 0..7. */
#define SYN_MAIR (ARM64_MAIR_ATTR(0xff, 0) | ARM64_MAIR_ATTR(0x04, 1) | ARM64_MAIR_ATTR(0x44, 2) | \
		  ARM64_MAIR_ATTR(0x00, 3) | ARM64_MAIR_ATTR(0xbb, 4) | ARM64_MAIR_ATTR(0x4f, 5) | \
		  ARM64_MAIR_ATTR(0x08, 6) | ARM64_MAIR_ATTR(0x0c, 7))

struct syn {
	struct img *im;
	uint64_t next;               /* bump allocator of table memory */
	unsigned g, va_bits, half;
	struct ptdbg_arm64_cpu cpu;
	struct ptdbg_arm64_half h;
};

static inline uint64_t syn_tcr(unsigned g, unsigned va_bits, unsigned ips_enc)
{
	return (uint64_t)(64 - va_bits) << ARM64_TCR_T0SZ_SHIFT |
	       (uint64_t)(64 - va_bits) << ARM64_TCR_T1SZ_SHIFT |
	       arm64_tcr_tg0(g) | arm64_tcr_tg1(g) | (uint64_t)ips_enc << ARM64_TCR_IPS_SHIFT;
}

static inline uint64_t syn_alloc(struct syn *s, uint64_t bytes)
{
	uint64_t align = bytes < 64 ? 64 : bytes;
	s->next = (s->next + align - 1) & ~(align - 1);
	uint64_t pa = s->next;
	s->next += bytes;
	if (s->next > IMG_SIZE)
		abort();
	return pa;
}

/* Recompute the half after a change of TCR (the roots stay). */
static inline void syn_refresh(struct syn *s)
{
	ptdbg_arm64_half_of(&s->cpu, s->half, &s->h);
}

/* A CPU with granule g and va_bits for both halves (IPS 48 bits), MMU on, at EL1,
 * both roots allocated; tcr_extra is ORed into TCR. The walk and translations
 * use half. */
static inline void syn_init(struct syn *s, unsigned g, unsigned va_bits, unsigned half,
			    uint64_t tcr_extra)
{
	memset(s, 0, sizeof(*s));
	s->im = img_new();
	s->next = 0x10000;
	s->g = g;
	s->va_bits = va_bits;
	s->half = half;
	s->cpu.tcr = syn_tcr(g, va_bits, 5) | tcr_extra;
	s->cpu.mair = SYN_MAIR;
	s->cpu.sctlr = ARM64_SCTLR_M | ARM64_SCTLR_RES1;
	s->cpu.cpsr = ARM64_PSR_M_EL1h;
	s->cpu.valid = PTDBG_ARM64_HAVE_SCTLR | PTDBG_ARM64_HAVE_CPSR;
	ptdbg_arm64_half_of(&s->cpu, 0, &s->h);
	uint64_t rootbytes = 8ull << (s->h.va_bits - arm64_level_shift(g, s->h.start_level));
	s->cpu.ttbr0 = syn_alloc(s, rootbytes);
	s->cpu.ttbr1 = syn_alloc(s, rootbytes);
	syn_refresh(s);
}

static inline void syn_free(struct syn *s)
{
	img_free(s->im);
}

static inline uint64_t syn_get64(struct syn *s, uint64_t pa)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | s->im->buf[pa + i];
	return v;
}

/* Index of va in the table at lookup level lk. */
static inline unsigned syn_index(const struct syn *s, uint64_t va, int lk)
{
	unsigned shift = arm64_level_shift(s->g, lk);
	unsigned bits = lk == s->h.start_level ? s->h.va_bits - shift : s->g - 3;
	return (unsigned)(va >> shift) & ((1u << bits) - 1);
}

/* The table at lookup level lk on va's path, created (with table attributes tattr
 * in the descriptors written) where missing. */
static inline uint64_t syn_table(struct syn *s, uint64_t va, int lk, uint64_t tattr)
{
	uint64_t t = s->h.root;
	for (int l = s->h.start_level; l < lk; l++) {
		uint64_t at = t + 8ull * syn_index(s, va, l);
		uint64_t d = syn_get64(s, at);
		if (!(d & 1)) {
			uint64_t n = syn_alloc(s, 1ull << s->g);
			d = n | ARM64_DESC_TABLE | tattr;
			img_put64(s->im, at, d);
		}
		t = d & arm64_table_addr_mask(s->g);
	}
	return t;
}

/* Write descriptor bits (with the type bits) for va at lookup level lk; returns
 * where it was written. */
static inline uint64_t syn_put(struct syn *s, uint64_t va, int lk, uint64_t desc, uint64_t tattr)
{
	uint64_t at = syn_table(s, va, lk, tattr) + 8ull * syn_index(s, va, lk);
	img_put64(s->im, at, desc);
	return at;
}

/* Map va -> pa with a leaf at lookup level lk (a page at 3, else a block). */
static inline uint64_t syn_map(struct syn *s, uint64_t va, uint64_t pa, int lk, uint64_t attrs,
			       uint64_t tattr)
{
	return syn_put(s, va, lk, pa | attrs | (lk == 3 ? ARM64_DESC_PAGE : ARM64_DESC_BLOCK), tattr);
}

/* The first address of the half, plus off. */
static inline uint64_t syn_va(const struct syn *s, uint64_t off)
{
	return s->h.va_base + off;
}

#endif /* TEST_ARM64_SYNTH_H */
