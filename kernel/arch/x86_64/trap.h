/* Trap frames, the IDT and trap dispatch. */
#ifndef KERNEL_ARCH_TRAP_H
#define KERNEL_ARCH_TRAP_H

#include <stdint.h>

#define VEC_DOUBLE_FAULT 8
#define VEC_PAGE_FAULT   14
#define VEC_SYSCALL      0x80

/* Registers as saved by trap_common in entry.S (lowest address first). */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

/* Page-fault error code bits (Intel SDM 4.7). */
#define PF_P     (1u << 0)
#define PF_W     (1u << 1)
#define PF_U     (1u << 2)
#define PF_RSVD  (1u << 3)
#define PF_I     (1u << 4)

/* Install the IDT: exception gates, NMI and #DF on IST stacks, int 0x80 for ring 3. */
void idt_init(void);
/* Called by entry.S for every vector. */
void trap_dispatch(struct trap_frame *tf);
/* Print a one-line description of an exception and its registers. */
void trap_report(const struct trap_frame *tf);
/* Name of an exception vector ("#PF page fault"), or "interrupt". */
const char *trap_name(uint64_t vector);
/* System-call registers (uapi/syscall.h: number in rax, arguments rdi, rsi, rdx,
 * r10, result in rax). */
#define SYSCALL_NR(tf)         ((tf)->rax)
#define SYSCALL_ARG(tf, n)     ((n) == 0 ? (tf)->rdi : (n) == 1 ? (tf)->rsi : (n) == 2 ? (tf)->rdx : (tf)->r10)
#define SYSCALL_SET_RET(tf, v) ((tf)->rax = (uint64_t)(v))

/* Whether the frame was interrupted in ring 3. */
static inline int trap_from_user(const struct trap_frame *tf) { return (tf->cs & 3) == 3; }

/* entry.S: return from a trap using the frame at the stack pointer. */
extern char trap_return[];
/* entry.S: save callee-saved registers, store rsp in *save, switch to next, restore. */
void ctx_switch(uint64_t *save, uint64_t next);

#endif
