/* SPDX-License-Identifier: MIT */
/*
 * AArch64 registers: the decoder's CPU state from what a target reports, and the
 * translation registers decoded field by field (TCR, SCTLR, MAIR's eight
 * attributes, PSTATE, the last exception from ESR/FAR/ELR in words), as text and
 * JSON.
 */
#ifndef PTDBG_ARM64_REGS_H
#define PTDBG_ARM64_REGS_H

#include <stdint.h>
#include <stdio.h>

#include "arm64/arm64_walk.h"
#include "out/json.h"
#include "target/target.h"

/* Fill cpu from regs (what is missing stays 0 and out of cpu->valid). */
void ptdbg_arm64_cpu_from_regs(struct ptdbg_arm64_cpu *cpu, const struct ptdbg_regs *regs);

/* The registers a walk needs (TTBR0, TTBR1, TCR) that regs lacks, as PTDBG_REG_*
 * bits; 0 when a walk can start. */
uint32_t ptdbg_arm64_regs_missing(const struct ptdbg_regs *regs);

/* A one-line account of one half ("TTBR1: 36-bit, 4K granule, start level 1, root
 * 0x..., 40-bit output, ASID 0") or why it is not walked ("TTBR0: walks disabled
 * (EPD0)"), into buf. */
const char *ptdbg_arm64_half_text(const struct ptdbg_arm64_cpu *cpu, unsigned half, char *buf,
				  size_t len);

/* The last exception in words ("data abort from the same EL: translation fault at
 * level 1, write, FAR 0x..."), into buf; "" when ESR is 0 or unknown. */
const char *ptdbg_arm64_exception_text(const struct ptdbg_arm64_cpu *cpu, char *buf, size_t len);

/* A name-to-address lookup for printing (the session's symbols); may be NULL. */
typedef void (*ptdbg_arm64_symbolize_fn)(void *ctx, uint64_t addr, char *buf, size_t len);

/* The translation registers, decoded (ptdump regs). */
void ptdbg_arm64_print_regs(FILE *out, const struct ptdbg_regs *regs,
			    ptdbg_arm64_symbolize_fn sym, void *sym_ctx);
/* The same as fields of the open JSON object. */
void ptdbg_arm64_json_regs(struct ptdbg_json *j, const struct ptdbg_regs *regs);

/* The AArch64 CPU state a debug region records (struct ptdbg_cpu_arm64 of
 * ptdbg/abi.h), as text lines and as fields of the open JSON object. */
void ptdbg_arm64_print_region_cpu(FILE *out, const struct ptdbg_cpu_arm64 *a);
void ptdbg_arm64_json_region_cpu(struct ptdbg_json *j, const struct ptdbg_cpu_arm64 *a);

#endif /* PTDBG_ARM64_REGS_H */
