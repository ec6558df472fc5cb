/* The page-fault handler: demand paging for user processes, the fault log, and
 * the panic on kernel faults. */
#ifndef KERNEL_MM_FAULT_H
#define KERNEL_MM_FAULT_H

#include "arch/x86_64/trap.h"

#include <stdint.h>

/* The latest page fault and how many consecutive faults before it were the same
 * (same CR2, RIP, CR3 and error code): a count that keeps growing is a fault loop. */
struct fault_repeat {
	uint64_t cr2, rip, cr3, error, pte;
	uint32_t outcome;   /* PTDBG_FAULT_* of the latest */
	uint64_t count;     /* identical faults in a row, the latest included */
};

/* The repeat record (count 0 before the first fault). */
const struct fault_repeat *fault_repeat_latest(void);

/* Handle #PF: serve it (demand paging), kill the faulting process, or panic.
 * Every fault is appended to the region's fault log with its outcome. */
void fault_handle(struct trap_frame *tf);

#endif
