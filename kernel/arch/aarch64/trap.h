/* Exception frames and dispatch (the vectors are in entry.S). */
#ifndef KERNEL_ARCH_AARCH64_TRAP_H
#define KERNEL_ARCH_AARCH64_TRAP_H

#include <stdint.h>

#include "ptdbg/hw/arm64.h"

/* Vector kinds: the vector's index in the table (entry.S). */
enum trap_kind {
	TRAP_CUR_SP0_SYNC = 0, TRAP_CUR_SYNC = 4, TRAP_CUR_IRQ = 5, TRAP_CUR_FIQ = 6,
	TRAP_CUR_SERROR = 7, TRAP_LOW_SYNC = 8, TRAP_LOW_IRQ = 9, TRAP_LOW_SERROR = 11,
};

/* Registers as trap_common saves them (lowest address first). */
struct trap_frame {
	uint64_t x[31];      /* x0..x30 */
	uint64_t sp_el0;     /* the EL0 stack pointer */
	uint64_t elr, spsr;  /* ELR_EL1, SPSR_EL1 */
	uint64_t esr, far;   /* ESR_EL1, FAR_EL1 at entry */
	uint64_t kind;       /* enum trap_kind */
	uint64_t pad;
};
_Static_assert(sizeof(struct trap_frame) == 304, "entry.S TF_SIZE");

/* A scenario's hook for synchronous exceptions (from EL1 and EL0), asked first:
 * nonzero when it handled the exception (the frame may be changed to resume
 * elsewhere). NULL when no scenario needs one. */
extern int (*trap_hook)(struct trap_frame *tf);

/* Called by entry.S for every exception. */
void trap_dispatch(struct trap_frame *tf);
/* Print the exception: class decoded from ESR, fault status, FAR, ELR, tables. */
void trap_report(const struct trap_frame *tf);
/* Name of an exception class. */
const char *esr_class_name(unsigned ec);
/* Name of a fault status code kind ("translation fault"). */
const char *fsc_name(unsigned fsc);
/* Whether the frame was taken from EL0. */
static inline int trap_from_user(const struct trap_frame *tf) { return arm64_psr_el(tf->spsr) == 0; }

/* System-call registers (uapi/syscall.h: number in x8, arguments x0..x5, result x0). */
#define SYSCALL_NR(tf)       ((tf)->x[8])
#define SYSCALL_ARG(tf, n)   ((tf)->x[(n)])
#define SYSCALL_SET_RET(tf, v) ((tf)->x[0] = (uint64_t)(v))

/* entry.S: return from an exception using the frame at the stack pointer. */
extern char trap_return[];
/* entry.S: save callee-saved registers, store sp in *save, switch to next, restore. */
void ctx_switch(uint64_t *save, uint64_t next);

#endif
