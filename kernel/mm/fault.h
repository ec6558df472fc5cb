/* The page-fault handler: demand paging for user processes, the fault log, and
 * the panic on kernel faults. */
#ifndef KERNEL_MM_FAULT_H
#define KERNEL_MM_FAULT_H

#include <stdint.h>

#include "arch/trap.h"
#include "mm/pt.h"

/* The latest page fault and how many consecutive faults before it were the same
 * (same address, instruction, root and error code -- CR2, RIP, CR3 and the error
 * code on x86-64; FAR, ELR, TTBR0 and ESR on AArch64): a count that keeps growing
 * is a fault loop. */
struct fault_repeat {
	uint64_t cr2, rip, cr3, error, pte;
	uint32_t outcome;   /* PTDBG_FAULT_* of the latest */
	uint64_t count;     /* identical faults in a row, the latest included */
};

/* The repeat record (count 0 before the first fault). */
const struct fault_repeat *fault_repeat_latest(void);

/* Append a fault to the region's fault log (with the leaf a walk of s for addr
 * ends on, when s is given) and to the repeat record. */
void fault_record(uint64_t addr, uint64_t pc, uint64_t error, uint64_t root,
		  const struct pt_space *s, int as_index, uint32_t outcome);

/* x86-64 #PF: serve it (demand paging), kill the faulting process, or panic.
 * Every fault is appended to the region's fault log with its outcome. */
void fault_handle(struct trap_frame *tf);

#endif
