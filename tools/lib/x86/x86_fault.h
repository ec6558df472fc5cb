/* SPDX-License-Identifier: MIT */
/*
 * A logged page fault on x86-64 (region/faultlog.h): the faulting instruction
 * disassembled with Capstone through the faulting process's own page tables (the
 * record's CR3, x86_fault_insn.c), the error code in words, the entry as it is now
 * and whether the access would fault again, and why it loops.
 */
#ifndef PTDBG_X86_FAULT_H
#define PTDBG_X86_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "region/faultlog.h"
#include "x86/x86_walk.h"

/* The access an error code describes, as PTDBG_ACC_* bits. */
unsigned ptdbg_x86_fault_access(uint64_t error_code);

/* The error code in words ("page not present, write, user mode"), snprintf-like. */
int ptdbg_x86_fault_error_words(uint64_t error_code, char *buf, size_t len);

/* The CPU state to translate f's addresses with: base (PAT, EFER, CR0/CR4...) with
 * CR3 = f->cr3, and the paging levels of f's address space when v knows them. */
void ptdbg_x86_fault_cpu(const struct ptdbg_x86_cpu *base, const struct ptdbg_region_view *v,
			 const struct ptdbg_fault *f, struct ptdbg_x86_cpu *out);

/* Read and decode the instruction at rip through the page tables of cpu. Returns 0
 * (out->ok says whether it decoded) or a link error. */
int ptdbg_x86_fault_decode(struct ptdbg_mem *mem, const struct ptdbg_x86_cpu *cpu, uint64_t rip,
			   struct ptdbg_fault_insn *out);

/* Translate f->cr2 in cpu (from ptdbg_x86_fault_cpu) for the access of f's error
 * code. Returns 0 or a link error. */
int ptdbg_x86_fault_now(struct ptdbg_mem *mem, const struct ptdbg_x86_cpu *cpu, const struct ptdbg_fault *f,
			struct ptdbg_fault_now *out);

/* Names of the bits of entry (a leaf or table entry at level; a P=0 entry's bits are
 * named as a PTE's, with bit 7 as "bit7" since hardware ignores it there). */
int ptdbg_x86_fault_entry_bits(uint64_t entry, unsigned level, bool leaf, char *buf, size_t len);

/* Why the hardware faults on f and why the kernel's view of the entry disagrees, in
 * one or two sentences (snprintf-like). */
int ptdbg_x86_fault_explain(const struct ptdbg_fault *f, const struct ptdbg_fault_insn *in,
			    const struct ptdbg_fault_now *now, char *buf, size_t len);

/* ptdbg_fault_analyze_fn for x86-64: cpu a const struct ptdbg_x86_cpu * (the base
 * state of ptdbg_x86_fault_cpu()). */
int ptdbg_x86_fault_analyze(struct ptdbg_mem *mem, const void *cpu, const struct ptdbg_region_view *v,
			    const struct ptdbg_fault *f, struct ptdbg_fault_analysis *out);

#endif /* PTDBG_X86_FAULT_H */
