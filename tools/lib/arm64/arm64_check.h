/* SPDX-License-Identifier: MIT */
/*
 * Checks of AArch64 tables (ptdump check): the x86-64 kinds that mean something on
 * AArch64, from registers and memory alone, plus pc-unmapped.
 *
 *   wx                    a leaf writable and executable at one EL (EL1: writable,
 *                         no PXN; EL0: writable, no UXN)
 *   user-kernel           an EL0-accessible leaf in the TTBR1 (kernel) half
 *   reserved-bits         output-address bits above the output size, or a block where
 *                         the granule allows none
 *   sw-present-hw-absent  an invalid descriptor (bit 0 clear) with other bits set at a
 *                         level that maps memory: the CPU faults there, software may
 *                         believe it mapped
 *   table-unreadable      a table that cannot be read
 *   recursive-table       a table that is also one of its ancestors
 *   walk-partial          the walk budget ran out
 *   pc-unmapped           the PC, the ELR_EL1 of the last exception, or VBAR_EL1 is not
 *                         mapped executable at its EL by the tables in force
 *   alias-wx              frames executable at one address and writable at another
 *                         (over every half and space checked; EL1-writable aliases of
 *                         EL0 code, the linear map's, are not findings)
 *
 * The region-aware kinds (region/region_check.h, format-neutral) and fault-loop
 * (region/faultlog.h with arm64/arm64_fault.h) are run beside these by the caller.
 */
#ifndef PTDBG_ARM64_CHECK_H
#define PTDBG_ARM64_CHECK_H

#include "arm64/arm64_regs.h"
#include "arm64/arm64_walk.h"
#include "out/finding.h"

extern const char *const ptdbg_arm64_check_kinds[];

/* A checker over several walks: each half of each space checked with
 * ptdbg_arm64_check_half(), then ptdbg_arm64_checker_finish() for alias-wx. Findings
 * go to out. NULL when out of memory. */
struct ptdbg_arm64_checker;
struct ptdbg_arm64_checker *ptdbg_arm64_checker_new(struct ptdbg_findings *out);
/* Check one half of cpu's tables, the space named name in findings (NULL: "TTBR0" or
 * "TTBR1"); also (may be NULL) sees every event of the same walk (another checker),
 * leaf runs included (LEAF_RUN: frame.h). A disabled half, or the MMU off, checks
 * nothing. Returns 0, a link error,
 * PTDBG_ENOMEM, or also's nonzero value. */
int ptdbg_arm64_check_half(struct ptdbg_arm64_checker *c, struct ptdbg_mem *mem,
			   const struct ptdbg_arm64_cpu *cpu, unsigned half, const char *name,
			   ptdbg_walk_visit_fn also, void *also_ctx);
void ptdbg_arm64_checker_finish(struct ptdbg_arm64_checker *c);
/* Where RAM is (must outlive c): an unreadable table outside it is said to be "not
 * RAM" rather than unreadable. */
struct ptdbg_ram;
void ptdbg_arm64_checker_set_ram(struct ptdbg_arm64_checker *c, const struct ptdbg_ram *ram);
void ptdbg_arm64_checker_free(struct ptdbg_arm64_checker *c);
/* pc-unmapped: the PC, ELR_EL1 (when ESR_EL1 is set) and VBAR_EL1 through cpu's
 * tables. Returns 0 or a link error. */
int ptdbg_arm64_check_fetches(struct ptdbg_mem *mem, const struct ptdbg_arm64_cpu *cpu,
			      struct ptdbg_findings *out, ptdbg_arm64_symbolize_fn sym, void *sym_ctx);

/* Check both halves of cpu's tables and the PC, ELR and VBAR into out; sym (may be
 * NULL) names addresses. Returns 0 or a link error. */
int ptdbg_arm64_check(struct ptdbg_mem *mem, const struct ptdbg_arm64_cpu *cpu,
		      struct ptdbg_findings *out, ptdbg_arm64_symbolize_fn sym, void *sym_ctx);

#endif /* PTDBG_ARM64_CHECK_H */
