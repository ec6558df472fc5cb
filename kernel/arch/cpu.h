/* The CPU wrappers of the architecture being built (arch/<arch>/cpu.h). Shared code
 * includes this and uses only what both provide: cpu_irq_disable(),
 * cpu_wait_interrupt(), cpu_halt_forever(), tlb_flush_all(), cpu_features. */
#ifndef KERNEL_ARCH_CPU_DISPATCH_H
#define KERNEL_ARCH_CPU_DISPATCH_H
#if defined(__x86_64__)
#include "arch/x86_64/cpu.h"
#elif defined(__aarch64__)
#include "arch/aarch64/cpu.h"
#else
#error "unsupported architecture"
#endif
#endif
