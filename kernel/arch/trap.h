/* Trap frames of the architecture being built (arch/<arch>/trap.h): struct
 * trap_frame, trap_from_user(), SYSCALL_NR/ARG/SET_RET, trap_return, ctx_switch. */
#ifndef KERNEL_ARCH_TRAP_DISPATCH_H
#define KERNEL_ARCH_TRAP_DISPATCH_H
#if defined(__x86_64__)
#include "arch/x86_64/trap.h"
#elif defined(__aarch64__)
#include "arch/aarch64/trap.h"
#else
#error "unsupported architecture"
#endif
#endif
