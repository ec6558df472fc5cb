/* The periodic tick of the architecture being built (arch/<arch>/timer.h). */
#ifndef KERNEL_ARCH_TIMER_DISPATCH_H
#define KERNEL_ARCH_TIMER_DISPATCH_H
#if defined(__x86_64__)
#include "arch/x86_64/timer.h"
#elif defined(__aarch64__)
#include "arch/aarch64/timer.h"
#else
#error "unsupported architecture"
#endif
#endif
