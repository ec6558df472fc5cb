/* SPDX-License-Identifier: MIT */
/*
 * The AArch64 stage-1 decoder (VMSAv8-64, EL1&0 regime) for the walker frame
 * (walk/frame.h), over the layouts of include/ptdbg/hw/arm64.h.
 *
 * An EL1&0 regime has two spaces, one a TTBR: TTBR0 translates [0, 2^(64-T0SZ)),
 * TTBR1 [~0 << (64-T1SZ), 2^64); each has its own granule (TG0, TG1: encoded
 * differently), start level (from its TxSZ and granule), walk-disable bit (EPD0,
 * EPD1), top-byte-ignore (TBI0, TBI1) and hierarchical-permission disable (HPD0,
 * HPD1). The walk of a half is one frame space; ptdbg_arm64_translate() picks the half
 * from the address as the CPU does.
 *
 * Frame levels are 4 - lookup level: lookup level 3 (pages) is frame level 1, level
 * 0 is 4, LPA2's level -1 is 5. How descriptors read (what the walk reports; the
 * translation stops where the CPU would fault):
 *  - bit 0 clear: ABSENT (nonzero) or nothing (zero).
 *  - bits[1:0] = 11 above level 3: a table; at level 3: a page.
 *  - bits[1:0] = 01: a block where the granule allows one (4K: levels 1-2, and 0
 *    with TCR.DS; 16K and 64K: level 2, and 1 with 52-bit output addresses); at
 *    level 3 or where no block is allowed: ANOMALY TYPE_LEVEL (detail 1), refused
 *    (nothing below); the CPU takes it as invalid: a translation fault there.
 *  - output-address bits at or above the output size (TCR.IPS, at most 48 bits unless
 *    TCR.DS (4K, 16K) or a 64K granule with IPS = 52 (FEAT_LPA)) are reserved:
 *    ANOMALY RESERVED, walked on; the CPU reports an address size fault there.
 * Permissions combine over the path: AP[2:1] with APTable, PXN with PXNTable, UXN
 * with UXNTable (unless TCR.HPDn), EL1 execute-never for EL0-writable memory, and
 * SCTLR.WXN; PSTATE.PAN from cpsr when known. The memory type is the MAIR_EL1
 * attribute AttrIndx selects (perm.attr_index), the attribute byte itself being
 * perm.memtype (named by ptdbg_arm64_memtype_name()).
 */
#ifndef PTDBG_ARM64_WALK_H
#define PTDBG_ARM64_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ptdbg/hw/arm64.h"
#include "target/mem.h"
#include "walk/frame.h"

/* The translation state of an AArch64 CPU (the EL1&0 regime). */
struct ptdbg_arm64_cpu {
	uint64_t ttbr0, ttbr1, tcr, mair, sctlr;
	uint64_t pc, cpsr;            /* cpsr: PSTATE as the gdbstub shows it */
	uint64_t esr, far, elr, vbar; /* the last exception taken to EL1 */
	uint64_t spsr;                /* PSTATE it was taken from (SPSR_EL1) */
	unsigned parange;             /* ID_AA64MMFR0_EL1.PARange in bits (32..52); 0:
					 unknown (TCR.IPS alone bounds output addresses) */
	uint32_t valid;               /* PTDBG_ARM64_HAVE_*: what is known */
};
#define PTDBG_ARM64_HAVE_SCTLR (1u << 0) /* without it the MMU is taken as on */
#define PTDBG_ARM64_HAVE_CPSR  (1u << 1) /* without it PSTATE.PAN is taken as clear */
#define PTDBG_ARM64_HAVE_EXC   (1u << 2) /* esr, far, elr */
#define PTDBG_ARM64_HAVE_VBAR  (1u << 3)
#define PTDBG_ARM64_HAVE_PC    (1u << 4)
#define PTDBG_ARM64_HAVE_SPSR  (1u << 5)

/* The halves. */
#define PTDBG_ARM64_TTBR0 0u
#define PTDBG_ARM64_TTBR1 1u

/* What TCR says about one half. */
struct ptdbg_arm64_half {
	unsigned half;        /* PTDBG_ARM64_TTBR0 or _TTBR1 */
	bool     enabled;     /* EPDn clear */
	unsigned gshift;      /* granule: 12, 14, 16 */
	bool     tg_reserved; /* TGn held a reserved encoding (taken as 4 KiB, as QEMU does) */
	unsigned txsz;        /* TnSZ as written */
	unsigned txsz_eff;    /* clamped to what the CPU supports (16..39, 12 with DS/LPA) */
	unsigned va_bits;     /* 64 - txsz_eff */
	int      start_level; /* lookup level of the root (-1 .. 3) */
	unsigned top;         /* the root's frame level (4 - start_level) */
	unsigned pa_bits;     /* output address size */
	bool     ds;          /* TCR.DS: 52-bit addresses with 4K/16K (FEAT_LPA2) */
	bool     lpa64;       /* 64K granule with 52-bit output addresses (FEAT_LPA) */
	bool     tbi, hpd;
	uint64_t root;        /* table address from TTBRn */
	uint16_t asid;        /* ASID of the TTBR that TCR.A1 selects */
	uint64_t va_base;     /* first address of the half */
};

/* Fill *h for half of cpu. Always succeeds (reserved encodings are taken as the CPU
 * takes them and said so in *h). */
void ptdbg_arm64_half_of(const struct ptdbg_arm64_cpu *cpu, unsigned half,
			 struct ptdbg_arm64_half *h);

/* Whether SCTLR_EL1.M (stage-1 translation) is on; true when SCTLR is unknown. */
bool ptdbg_arm64_mmu_on(const struct ptdbg_arm64_cpu *cpu);
/* The exception level in cpsr (bits 3:2); -1 when cpsr is unknown. */
int ptdbg_arm64_el(const struct ptdbg_arm64_cpu *cpu);

/* The half va belongs to (bit 55, as the CPU selects it), and whether va is inside
 * it: bits [63:va_bits] (bits [55:va_bits] with TBI, top byte ignored; fetches too
 * unless TCR.TBIDn) equal to bit 55. *canon (may be NULL) is va with the top byte
 * made canonical, the address the half's space numbers. */
bool ptdbg_arm64_va_half(const struct ptdbg_arm64_cpu *cpu, uint64_t va, unsigned acc,
			 unsigned *half, uint64_t *canon);

/* Effective permissions (struct ptdbg_perm.flags of AArch64 leaves; names:
 * arm64_bits_effective). */
#define PTDBG_ARM64_PERM_KW     (1u << 0)  /* EL1 may write */
#define PTDBG_ARM64_PERM_UR     (1u << 1)  /* EL0 may read */
#define PTDBG_ARM64_PERM_UW     (1u << 2)  /* EL0 may write */
#define PTDBG_ARM64_PERM_PXN    (1u << 3)  /* EL1 may not execute: PXN, PXNTable,
					      EL0-writable, or WXN and EL1-writable */
#define PTDBG_ARM64_PERM_UXN    (1u << 4)  /* EL0 may not execute: UXN, UXNTable, or WXN
					      and EL0-writable */
#define PTDBG_ARM64_PERM_NG     (1u << 5)  /* not global (ASID-tagged) */
#define PTDBG_ARM64_PERM_AF     (1u << 6)  /* access flag set */
#define PTDBG_ARM64_PERM_SH_SHIFT 7
#define PTDBG_ARM64_PERM_SH     (3u << 7)  /* shareability: 0 non, 2 outer, 3 inner */
#define PTDBG_ARM64_PERM_CONT   (1u << 9)  /* contiguous hint */
#define PTDBG_ARM64_PERM_DBM    (1u << 10) /* dirty bit modifier */
#define PTDBG_ARM64_PERM_GP     (1u << 11) /* guarded page (BTI) */
#define PTDBG_ARM64_PERM_SW_SHIFT 12
#define PTDBG_ARM64_PERM_SW     (0xfu << 12) /* software bits 58:55 */
#define PTDBG_ARM64_PERM_FAULTS (1u << 16) /* a reserved bit on the path: any access
					      faults (address size fault) */
/* PSTATE.PAN is the CPU's state, not the tables': the translation applies it (EL1 data
 * accesses to EL0-accessible memory fault), the permissions do not show it. */

/* The decoder, and a space over one half of cpu's tables. cpu is referred to, not
 * copied: it must outlive the space. Returns 0, or PTDBG_EINVAL when the half is
 * disabled (EPDn) or its geometry cannot be walked (the space is then unusable). */
extern const struct ptdbg_decoder ptdbg_arm64_decoder;
int ptdbg_arm64_space(struct ptdbg_walk_space *sp, const struct ptdbg_arm64_cpu *cpu,
		      unsigned half);

/* Walk one half through the frame (ptdbg_walk). Returns 0, the visitor's value, a
 * link error, or PTDBG_EINVAL (disabled half, bad filter). */
int ptdbg_arm64_walk(struct ptdbg_mem *mem, const struct ptdbg_arm64_cpu *cpu, unsigned half,
		     const struct ptdbg_walk_opts *opts, ptdbg_walk_visit_fn visit, void *ctx,
		     struct ptdbg_walk_result *res);

/*
 * Translate va for an access like acc (PTDBG_ACC_*; USER is an EL0 access) as the
 * CPU would: the half from bit 55, then the walk. out->fault is the fault status
 * code (ESR DFSC/IFSC) the CPU reports: translation fault at level 0 for an address
 * outside both halves or a disabled half (PTDBG_STOP_RANGE, no step), translation
 * fault at level N for an invalid descriptor or a block the level does not allow,
 * address size fault for output-address bits above the output size, access flag
 * fault for a leaf with AF clear (unless TCR.HA), permission fault otherwise;
 * 0 if none. With the MMU off the address is its own physical address (no step).
 * *half_out (may be NULL) is the half used, or -1. Returns 0 when *out is filled, or
 * a link error.
 */
int ptdbg_arm64_translate(struct ptdbg_mem *mem, const struct ptdbg_arm64_cpu *cpu, uint64_t va,
			  unsigned acc, struct ptdbg_translation *out, int *half_out);

/* Read up to len bytes at va as the CPU would fetch them at EL1 (the half from the
 * address; physical with the MMU off), page by page, stopping where a page does not
 * translate (see ptdbg_read_virt()). Returns the bytes read; *why and *link as there. */
size_t ptdbg_arm64_read_virt(struct ptdbg_mem *mem, const struct ptdbg_arm64_cpu *cpu, uint64_t va,
			     void *buf, size_t len, struct ptdbg_translation *why, int *link);

/* The ESR_EL1 the CPU would write for the fault of tr (an abort taken to EL1 from EL0
 * when tr->access has PTDBG_ACC_USER, else from EL1): EC, IL, WnR, FSC; 0 if no fault. */
uint64_t ptdbg_arm64_esr_of(const struct ptdbg_translation *tr);

/* Words for a fault status code ("translation fault at level 2"), into buf. */
const char *ptdbg_arm64_fsc_name(unsigned fsc, char *buf, size_t len);
/* Words for an exception class ("data abort from the same EL"). */
const char *ptdbg_arm64_ec_name(unsigned ec);
/* Name of the memory type of MAIR attribute attr ("Normal-WB-RWA", "Device-nGnRE",
 * "Normal-i:WB-RWA/o:NC", "reserved-0x10"). */
const char *ptdbg_arm64_memtype_name(unsigned attr);
/* The frame level of a lookup level and back (lookup 3 is frame 1, -1 is 5). */
static inline unsigned ptdbg_arm64_frame_level(int lookup) { return (unsigned)(4 - lookup); }
static inline int ptdbg_arm64_lookup_level(unsigned frame) { return 4 - (int)frame; }

#endif /* PTDBG_ARM64_WALK_H */
