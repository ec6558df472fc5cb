/* SPDX-License-Identifier: MIT */
/*
 * The kernel's page-fault log (debug region, struct ptdbg_fault) decoded and
 * analysed: the faulting instruction disassembled with Capstone through the faulting
 * process's own page tables (the record's CR3), the error code in words, the entry
 * as it is now and whether the access would fault again, and fault loops.
 *
 * A fault loop (shared/BUGS.md section 2) is a run of consecutive records with the
 * same CR2, RIP, CR3, error code and logged entry: the handler returned, the entry
 * did not change, the CPU retried the instruction and faulted again.
 *
 * Decoding is faultlog.c, disassembly fault_insn.c, the loop check fault_check.c.
 *
 * Kind (stable name) added by ptdbg_faultlog_check():
 *   fault-loop   at least min_repeats identical faults in a row
 */
#ifndef PTDBG_FAULTLOG_H
#define PTDBG_FAULTLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "out/finding.h"
#include "target/mem.h"
#include "region/region.h"
#include "x86/x86_walk.h"

#define PTDBG_FAULT_LOOP_MIN 8u   /* identical faults in a row that make a loop */
#define PTDBG_FAULT_CR3_ADDR 0x000ffffffffff000ull /* the table address in a logged CR3 */
#define PTDBG_INSN_MAX_BYTES 15u

/* Whether a and b are the same fault (seq and outcome aside). */
bool ptdbg_fault_same(const struct ptdbg_fault *a, const struct ptdbg_fault *b);

/* How many records from f[i] on (at most n - i) are the same fault as f[i]. */
size_t ptdbg_fault_run_len(const struct ptdbg_fault *f, size_t n, size_t i);

/* The access an error code describes, as PTDBG_ACC_* bits. */
unsigned ptdbg_fault_access(uint64_t error_code);

/* The error code in words ("page not present, write, user mode"), snprintf-like. */
int ptdbg_fault_error_words(uint64_t error_code, char *buf, size_t len);

/* The CPU state to translate f's addresses with: base (PAT, EFER, CR0/CR4...) with
 * CR3 = f->cr3, and the paging levels of f's address space when v knows them. */
void ptdbg_fault_cpu(const struct ptdbg_x86_cpu *base, const struct ptdbg_region_view *v,
		     const struct ptdbg_fault *f, struct ptdbg_x86_cpu *out);

/* Memory accesses an instruction makes. */
#define PTDBG_INSN_READS  (1u << 0)
#define PTDBG_INSN_WRITES (1u << 1)

/* The instruction at a faulting RIP. */
struct ptdbg_fault_insn {
	bool ok;                           /* decoded */
	uint8_t bytes[PTDBG_INSN_MAX_BYTES];
	size_t len;                        /* bytes of the instruction (or read, if !ok) */
	char mnemonic[32];
	char operands[160];
	unsigned mem;                      /* PTDBG_INSN_* for data memory */
	char why[128];                     /* why it is not decoded, when !ok */
};

/* Read and decode the instruction at rip through the page tables of cpu. Returns 0
 * (out->ok says whether it decoded) or a link error. */
int ptdbg_fault_decode(struct ptdbg_mem *mem, const struct ptdbg_x86_cpu *cpu, uint64_t rip,
		       struct ptdbg_fault_insn *out);

/* "writes memory", "reads memory", "reads and writes memory", "makes no data access". */
const char *ptdbg_insn_access_text(unsigned mem);

/* The faulting address as the page tables map it now. */
struct ptdbg_fault_now {
	struct ptdbg_translation tr;  /* for the access of the error code */
	bool have_entry;                  /* a step was read */
	uint64_t entry;                   /* the deepest entry read: the leaf, or where it stopped */
	unsigned level;                   /* its table's level */
	uint64_t table;                   /* its table */
	bool faults_again;                /* the same access would fault now */
};

/* Translate f->cr2 in cpu (from ptdbg_fault_cpu) for the access of f's error code.
 * Returns 0 or a link error. */
int ptdbg_fault_now(struct ptdbg_mem *mem, const struct ptdbg_x86_cpu *cpu, const struct ptdbg_fault *f,
		    struct ptdbg_fault_now *out);

/* Names of the bits of entry (a leaf or table entry at level; a P=0 entry's bits are
 * named as a PTE's, with bit 7 as "bit7" since hardware ignores it there). */
int ptdbg_fault_entry_bits(uint64_t entry, unsigned level, bool leaf, char *buf, size_t len);

/* Why the hardware faults on f and why the kernel's view of the entry disagrees, in
 * one or two sentences (snprintf-like). */
int ptdbg_fault_explain(const struct ptdbg_fault *f, const struct ptdbg_fault_insn *in,
			const struct ptdbg_fault_now *now, char *buf, size_t len);

/* Formats addr as "sym+0x10" into buf ("" if unknown). */
typedef void (*ptdbg_symbolize_fn)(void *ctx, uint64_t addr, char *buf, size_t len);

/*
 * One logged fault analysed, whatever the architecture: what `ptdump faults` shows
 * and a fault-loop finding says. The log's record is the same on every architecture
 * (abi.h: cr2 is FAR_EL1, rip ELR_EL1, error_code ESR_EL1, cr3 TTBR0_EL1 on
 * AArch64); an architecture fills this from it: ptdbg_fault_analyze() for x86-64,
 * ptdbg_arm64_fault_analyze() (arm64/arm64_fault.h) for AArch64.
 */
struct ptdbg_fault_analysis {
	struct ptdbg_fault_insn insn;            /* the faulting instruction */
	struct ptdbg_fault_now now;              /* the faulting address now */
	const char *pc_reg, *code_reg;           /* "RIP", "error" / "PC", "ESR" */
	const char *access;                      /* "read", "write" or "fetch" */
	char words[160];                         /* the error code (syndrome) in words */
	char why[400];                           /* why it faults, and why again */
	bool kernel_pc;                          /* rip is kernel code: its symbol means something */
	/* now.entry, named: */
	char now_name[24];                       /* "PTE", "L3 desc" */
	char now_bits[200];
	const struct ptdbg_bit_table *now_table; /* names now.entry's bits (JSON) */
	char result[96];                         /* how the same access ends now */
	/* the entry a fault-loop finding shows: the one the handler logged, else now's */
	uint64_t entry;
	char entry_name[24];
	char entry_bits[200];
	uint64_t frame;                          /* the frame it maps, 0 if none */
};

/* Fill *out for f: x86-64, cpu a const struct ptdbg_x86_cpu * (the base state of
 * ptdbg_fault_cpu()), v the region (spaces). Returns 0 or a link error. */
int ptdbg_fault_analyze(struct ptdbg_mem *mem, const void *cpu, const struct ptdbg_region_view *v,
			const struct ptdbg_fault *f, struct ptdbg_fault_analysis *out);
/* The analysis of one architecture, with ptdbg_fault_analyze()'s contract. */
typedef int (*ptdbg_fault_analyze_fn)(struct ptdbg_mem *mem, const void *cpu,
				      const struct ptdbg_region_view *v, const struct ptdbg_fault *f,
				      struct ptdbg_fault_analysis *out);

/* The kinds ptdbg_faultlog_check() reports, NULL-terminated. */
extern const char *const ptdbg_faultlog_kinds[];

struct ptdbg_faultlog_check_opts {
	struct ptdbg_findings *out;
	struct ptdbg_mem *mem;
	const struct ptdbg_x86_cpu *cpu;          /* base CPU state (ptdbg_fault_cpu) */
	ptdbg_fault_analyze_fn analyze;           /* NULL: x86-64's, over cpu */
	const void *analyze_cpu;                  /* analyze's CPU state (NULL: cpu) */
	const struct ptdbg_region_view *region;   /* the fault log, spaces, markers */
	unsigned min_repeats;                     /* 0: PTDBG_FAULT_LOOP_MIN */
	ptdbg_symbolize_fn symbolize;             /* may be NULL */
	void *symbolize_ctx;
};

/* Add a fault-loop finding for each run of at least min_repeats identical faults in
 * the region's log. Returns 0 or a link error. */
int ptdbg_faultlog_check(const struct ptdbg_faultlog_check_opts *o);

#endif /* PTDBG_FAULTLOG_H */
