/* System calls (int 0x80 / svc #0); the ABI is kernel/uapi/syscall.h. */
#ifndef KERNEL_PROC_SYSCALL_H
#define KERNEL_PROC_SYSCALL_H

#include "arch/trap.h"

/* Decode and run the system call in tf (the registers of uapi/syscall.h, through
 * SYSCALL_NR / SYSCALL_ARG / SYSCALL_SET_RET of arch/<arch>/trap.h). */
void syscall_dispatch(struct trap_frame *tf);

#endif
