/* SPDX-License-Identifier: MIT */
/*
 * The kernel's page-fault log (debug region, struct ptdbg_fault), whatever the
 * architecture: runs of identical records, the analysis an architecture gives of
 * one record (struct ptdbg_fault_analysis: the faulting instruction, the entry as
 * it is now, the syndrome in words), and the fault-loop check over them.
 * x86-64 fills the analysis in x86/x86_fault.h, AArch64 in arm64/arm64_fault.h.
 *
 * A fault loop (shared/BUGS.md section 2) is a run of consecutive records with the
 * same faulting address, PC, root, syndrome and logged entry: the handler returned,
 * the entry did not change, the CPU retried the instruction and faulted again.
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
#include "walk/frame.h"

#define PTDBG_FAULT_LOOP_MIN 8u   /* identical faults in a row that make a loop */
#define PTDBG_FAULT_CR3_ADDR 0x000ffffffffff000ull /* the table address in a logged root */
#define PTDBG_INSN_MAX_BYTES 15u

/* Whether a and b are the same fault (seq and outcome aside). */
bool ptdbg_fault_same(const struct ptdbg_fault *a, const struct ptdbg_fault *b);

/* How many records from f[i] on (at most n - i) are the same fault as f[i]. */
size_t ptdbg_fault_run_len(const struct ptdbg_fault *f, size_t n, size_t i);

/* Memory accesses an instruction makes. */
#define PTDBG_INSN_READS  (1u << 0)
#define PTDBG_INSN_WRITES (1u << 1)

/* The instruction at a faulting PC. */
struct ptdbg_fault_insn {
	bool ok;                           /* decoded */
	uint8_t bytes[PTDBG_INSN_MAX_BYTES];
	size_t len;                        /* bytes of the instruction (or read, if !ok) */
	char mnemonic[32];
	char operands[160];
	unsigned mem;                      /* PTDBG_INSN_* for data memory */
	char why[128];                     /* why it is not decoded, when !ok */
};

struct cs_insn;

/* Disassemble the n bytes of out->bytes at pc, one instruction, with Capstone's
 * disassembler for arch and mode (cs_arch, cs_mode; detail: with CS_OPT_DETAIL, for
 * mem_of), arch_name naming it in messages: on success out->ok, len, mnemonic,
 * operands and mem (mem_of(the instruction)); else out->why says why, unless it
 * already says something. */
void ptdbg_fault_insn_disasm(struct ptdbg_fault_insn *out, int arch, int mode, bool detail,
			     const char *arch_name, uint64_t pc, size_t n,
			     unsigned (*mem_of)(const struct cs_insn *in));

/* "writes memory", "reads memory", "reads and writes memory", "makes no data access". */
const char *ptdbg_insn_access_text(unsigned mem);

/* The faulting address as the page tables map it now. */
struct ptdbg_fault_now {
	struct ptdbg_translation tr;  /* for the access of the syndrome */
	bool have_entry;                  /* a step was read */
	uint64_t entry;                   /* the deepest entry read: the leaf, or where it stopped */
	unsigned level;                   /* its table's level */
	uint64_t table;                   /* its table */
	bool faults_again;                /* the same access would fault now */
};

/* Formats addr as "sym+0x10" into buf ("" if unknown). */
typedef void (*ptdbg_symbolize_fn)(void *ctx, uint64_t addr, char *buf, size_t len);

/*
 * One logged fault analysed, whatever the architecture: what `ptdump faults` shows
 * and a fault-loop finding says. The log's record is the same on every architecture
 * (abi.h: cr2 is FAR_EL1, rip ELR_EL1, error_code ESR_EL1, cr3 TTBR0_EL1 on
 * AArch64); an architecture fills this from it: ptdbg_x86_fault_analyze() for x86-64,
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

/* The analysis of one architecture: fill *out for f, cpu that architecture's CPU
 * state (the base a record's root is put into), v the region (spaces). Returns 0 or
 * a link error. */
typedef int (*ptdbg_fault_analyze_fn)(struct ptdbg_mem *mem, const void *cpu,
				      const struct ptdbg_region_view *v, const struct ptdbg_fault *f,
				      struct ptdbg_fault_analysis *out);

/* The kinds ptdbg_faultlog_check() reports, NULL-terminated. */
extern const char *const ptdbg_faultlog_kinds[];

struct ptdbg_faultlog_check_opts {
	struct ptdbg_findings *out;
	struct ptdbg_mem *mem;
	ptdbg_fault_analyze_fn analyze;           /* the architecture's analysis */
	const void *analyze_cpu;                  /* its CPU state */
	const struct ptdbg_region_view *region;   /* the fault log, spaces, markers */
	unsigned min_repeats;                     /* 0: PTDBG_FAULT_LOOP_MIN */
	ptdbg_symbolize_fn symbolize;             /* may be NULL */
	void *symbolize_ctx;
};

/* Add a fault-loop finding for each run of at least min_repeats identical faults in
 * the region's log. Returns 0 or a link error. */
int ptdbg_faultlog_check(const struct ptdbg_faultlog_check_opts *o);

#endif /* PTDBG_FAULTLOG_H */
