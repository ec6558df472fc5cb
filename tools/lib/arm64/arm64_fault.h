/* SPDX-License-Identifier: MIT */
/*
 * The kernel's fault log on AArch64: each record (FAR_EL1, ELR_EL1, ESR_EL1, TTBR0_EL1
 * in the fields x86-64 uses for CR2, RIP, the error code and CR3) analysed into the
 * format-neutral struct ptdbg_fault_analysis of region/faultlog.h, which `ptdump faults`
 * prints and the fault-loop check reports: the syndrome in words, the faulting
 * instruction read through the faulting process's tables (its logged TTBR0) and
 * decoded by Capstone's ARM64 mode, the descriptor now and whether the same access
 * faults again, and why.
 */
#ifndef PTDBG_ARM64_FAULT_H
#define PTDBG_ARM64_FAULT_H

#include "arm64/arm64_walk.h"
#include "region/faultlog.h"

/* The access an ESR_EL1 describes, as PTDBG_ACC_* bits: an instruction abort is a
 * fetch, a data abort with WnR a write; from a lower EL an EL0 access. */
unsigned ptdbg_arm64_fault_access(uint64_t esr);

/* The instruction at pc through cpu's tables, decoded (Capstone ARM64). Returns 0
 * (out->ok says whether it decoded) or a link error. */
int ptdbg_arm64_fault_decode(struct ptdbg_mem *mem, const struct ptdbg_arm64_cpu *cpu, uint64_t pc,
			     struct ptdbg_fault_insn *out);

/* ptdbg_fault_analyze_fn for AArch64: cpu is a const struct ptdbg_arm64_cpu * (the
 * current state; TTBR0 is replaced by the record's). Returns 0 or a link error. */
int ptdbg_arm64_fault_analyze(struct ptdbg_mem *mem, const void *cpu, const struct ptdbg_region_view *v,
			      const struct ptdbg_fault *f, struct ptdbg_fault_analysis *out);

#endif /* PTDBG_ARM64_FAULT_H */
