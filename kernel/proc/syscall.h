/* System calls (int 0x80); the ABI is kernel/uapi/syscall.h. */
#ifndef KERNEL_PROC_SYSCALL_H
#define KERNEL_PROC_SYSCALL_H

#include "arch/x86_64/trap.h"

/* Decode and run the system call in tf (number in rax, arguments in rdi, rsi,
 * rdx, r10, r8, r9; result in rax). */
void syscall_dispatch(struct trap_frame *tf);

#endif
