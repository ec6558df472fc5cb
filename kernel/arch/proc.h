/*
 * What processes (proc/process.c) and user memory (mm/uspace.c) need from the
 * architecture, as static inline functions of arch/<arch>/proc.h:
 *
 *   arch_user_frame(tf, entry, sp)    a trap frame that returns to user mode at entry
 *   arch_set_user_sp(tf, sp)          the user stack pointer the frame returns with
 *   arch_set_user_arg(tf, v)          the first argument register (x0 / rdi): what
 *                                     a new process's _start receives (ulib.h)
 *   arch_first_ctx(tf)                the saved kernel context (for ctx_switch) of a
 *                                     new process whose frame is tf; returns its sp
 *   arch_enter_user_space(root, kst)  load a process's root (CR3 / TTBR0) and the
 *                                     kernel stack its traps land on
 *   arch_leave_user_space()           no process's tables any more (kernel root /
 *                                     the empty TTBR0 root)
 *   arch_loaded_user_root()           the user root loaded now
 *   arch_user_access_begin/end()      around kernel accesses to user memory (SMAP/PAN)
 */
#ifndef KERNEL_ARCH_PROC_DISPATCH_H
#define KERNEL_ARCH_PROC_DISPATCH_H
#if defined(__x86_64__)
#include "arch/x86_64/proc.h"
#elif defined(__aarch64__)
#include "arch/aarch64/proc.h"
#else
#error "unsupported architecture"
#endif
#endif
