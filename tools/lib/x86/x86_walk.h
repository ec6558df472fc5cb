/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 page-table decoder (4- and 5-level paging, Intel SDM vol. 3 ch. 4) for
 * the walker frame (walk/frame.h: events, paths, budgets and the walk itself).
 *
 * How entries read (what the frame reports and walks on, as QEMU's `info mem`/`info
 * tlb` do, where the CPU would fault):
 *  - P=0: ABSENT (nonzero) or nothing (zero).
 *  - reserved bits (against MAXPHYADDR, NX without EFER.NXE, the level's rules):
 *    ANOMALY(RESERVED), followed; every LEAF below carries PTDBG_X86_PERM_FAULTS (the
 *    CPU raises #PF(RSVD)).
 *  - PS=1 in a PML5E/PML4E, a 1 GiB leaf without pdpe1gb: ANOMALY(TYPE_LEVEL, detail
 *    PS), then followed as QEMU follows it (PS in PML5E/PML4E ignored: table pointer).
 *  - the space is sign-extended: a HOLE event for the non-canonical addresses before
 *    the upper half of the root.
 * The node budget is the frame's rule (64 visits per distinct table, at least 65536).
 */
#ifndef PTDBG_X86_WALK_H
#define PTDBG_X86_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "target/mem.h"
#include "walk/frame.h"
#include "x86/x86_bits.h"

/* Where the IA32_PAT value came from (printed with memory types). */
enum ptdbg_pat_source {
	PTDBG_PAT_RESET  = 0, /* not known: the reset value X86_PAT_RESET was assumed */
	PTDBG_PAT_REGION = 1, /* the kernel's debug region */
	PTDBG_PAT_USER   = 2, /* given on the command line (--pat) */
};

/* The CPU paging state a walk starts from. */
struct ptdbg_x86_cpu {
	uint64_t cr0, cr3, cr4, efer;
	uint64_t pat;             /* IA32_PAT */
	enum ptdbg_pat_source pat_source;
	unsigned levels;          /* 4 or 5; 0: from CR4.LA57 */
	unsigned maxphyaddr;      /* MAXPHYADDR; 0: 52 (no reserved address bits known) */
	bool     pdpe1gb;         /* 1 GiB pages supported (CPUID.80000001H:EDX[26]) */
};

/* Fill cpu from registers as a target reports them: levels from CR4.LA57,
 * maxphyaddr 0 (unknown), pdpe1gb true, PAT the reset value. */
void ptdbg_x86_cpu_from_regs(struct ptdbg_x86_cpu *cpu, const struct ptdbg_regs *regs);

/* Derived facts about cpu. */
unsigned ptdbg_x86_levels(const struct ptdbg_x86_cpu *cpu);     /* 4 or 5 */
unsigned ptdbg_x86_va_bits(const struct ptdbg_x86_cpu *cpu);    /* 48 or 57 */
unsigned ptdbg_x86_maxphyaddr(const struct ptdbg_x86_cpu *cpu); /* 52 if unknown */
uint64_t ptdbg_x86_root(const struct ptdbg_x86_cpu *cpu);       /* CR3 table address */
/* PCID from CR3 bits 11:0 when CR4.PCIDE, else -1. */
int      ptdbg_x86_pcid(const struct ptdbg_x86_cpu *cpu);
/* Sign-extend va at bit 47 (4 levels) or 56 (5 levels). */
uint64_t ptdbg_x86_canonical(const struct ptdbg_x86_cpu *cpu, uint64_t va);
bool     ptdbg_x86_is_canonical(const struct ptdbg_x86_cpu *cpu, uint64_t va);

/* Effective permissions of a mapping, combined over every level of its path
 * (struct ptdbg_perm.flags of x86 leaves; names: x86_bits_effective). */
#define PTDBG_X86_PERM_W       (1u << 0)  /* R/W=1 at every level */
#define PTDBG_X86_PERM_U       (1u << 1)  /* U/S=1 at every level */
#define PTDBG_X86_PERM_NX      (1u << 2)  /* XD=1 at some level and EFER.NXE=1 */
#define PTDBG_X86_PERM_G       (1u << 3)  /* leaf G=1 (counts only with CR4.PGE) */
#define PTDBG_X86_PERM_A       (1u << 4)  /* leaf accessed */
#define PTDBG_X86_PERM_D       (1u << 5)  /* leaf dirty */
#define PTDBG_X86_PERM_KW      (1u << 6)  /* supervisor may write: W, or CR0.WP=0 */
#define PTDBG_X86_PERM_PKEY    (1u << 7)  /* pkey is in force (CR4.PKE for user pages,
					     CR4.PKS for supervisor pages) */
#define PTDBG_X86_PERM_FAULTS  (1u << 8)  /* a reserved bit on the path: any access
					     faults with #PF(RSVD); see ANOMALY events */
/* perm.attr_index is PAT:PCD:PWT (0..7), perm.memtype an enum x86_memtype from
 * IA32_PAT, perm.pkey bits 62:59 of the leaf. */

/* The decoder, and a space over cpu's tables from root (0: CR3). cpu is referred
 * to, not copied: it must outlive the space. */
extern const struct ptdbg_decoder ptdbg_x86_decoder;
void ptdbg_x86_space(struct ptdbg_walk_space *sp, const struct ptdbg_x86_cpu *cpu, uint64_t root);

struct ptdbg_x86_walk_cfg {
	struct ptdbg_x86_cpu cpu;
	uint64_t root;          /* table address to start from; 0: from cpu.cr3 */
	bool     va_filter;     /* restrict to [va_first, va_last] (canonical, inclusive) */
	uint64_t va_first, va_last;
	uint64_t max_nodes;     /* table visits; 0: the frame's default */
	uint64_t max_leaves;    /* leaves emitted; 0: PTDBG_WALK_MAX_LEAVES */
	bool     no_prefetch;   /* read tables one by one as they are reached */
	bool     leaf_runs;     /* the visitor takes LEAF_RUN events (frame.h) */
};

/* Walk the tables of cfg through the frame (ptdbg_walk). Returns 0, the visitor's
 * nonzero stop value, a link error, or PTDBG_EINVAL. */
int ptdbg_x86_walk(struct ptdbg_mem *mem, const struct ptdbg_x86_walk_cfg *cfg,
		   ptdbg_walk_visit_fn visit, void *ctx, struct ptdbg_walk_result *res);

/* Translate one virtual address for an access like `access` (PTDBG_ACC_*), step by
 * step, as the CPU would (no PKRU/SMEP/SMAP checks: those depend on state the walker
 * does not have; protection keys are decoded but not enforced). out->fault is the
 * #PF error code (X86_PF_*) the CPU would push, 0 if no fault; PTDBG_STOP_RANGE is a
 * non-canonical address (#GP, no step). Returns 0 when the result is filled in
 * (even if it stops with a fault), or a link error. */
int ptdbg_x86_translate(struct ptdbg_mem *mem, const struct ptdbg_x86_cpu *cpu, uint64_t va,
			unsigned access, struct ptdbg_translation *out);

/* Name of a stop reason as x86 says it ("non-canonical address", "not present"...). */
const char *ptdbg_x86_stop_name(enum ptdbg_stop s);

#endif /* PTDBG_X86_WALK_H */
