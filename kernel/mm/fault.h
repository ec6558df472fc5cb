/* The page-fault handler: demand paging for user processes, the fault log, and
 * the panic on kernel faults. */
#ifndef KERNEL_MM_FAULT_H
#define KERNEL_MM_FAULT_H

#include "arch/x86_64/trap.h"

/* Handle #PF: serve it (demand paging), kill the faulting process, or panic.
 * Every fault is appended to the region's fault log with its outcome. */
void fault_handle(struct trap_frame *tf);

#endif
