/* Memory probes of the architecture being built (arch/<arch>/probe.h):
 * probe_read_u64(), probe_write_u64(), probe_fixup_for(). */
#ifndef KERNEL_ARCH_PROBE_DISPATCH_H
#define KERNEL_ARCH_PROBE_DISPATCH_H
#if defined(__x86_64__)
#include "arch/x86_64/probe.h"
#elif defined(__aarch64__)
#include "arch/aarch64/probe.h"
#else
#error "unsupported architecture"
#endif
#endif
