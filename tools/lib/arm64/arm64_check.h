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
 */
#ifndef PTDBG_ARM64_CHECK_H
#define PTDBG_ARM64_CHECK_H

#include "arm64/arm64_regs.h"
#include "arm64/arm64_walk.h"
#include "out/finding.h"

extern const char *const ptdbg_arm64_check_kinds[];

/* Check both halves of cpu's tables and the PC, ELR and VBAR into out; sym (may be
 * NULL) names addresses. Returns 0 or a link error. */
int ptdbg_arm64_check(struct ptdbg_mem *mem, const struct ptdbg_arm64_cpu *cpu,
		      struct ptdbg_findings *out, ptdbg_arm64_symbolize_fn sym, void *sym_ctx);

#endif /* PTDBG_ARM64_CHECK_H */
