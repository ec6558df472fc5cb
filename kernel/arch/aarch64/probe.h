/* Memory probes: a load or store that may fault. The abort handler resumes a
 * faulting probe at its fixup (like Linux's exception tables) instead of
 * panicking, so the kernel can test that a mapping is really absent or read-only. */
#ifndef KERNEL_ARCH_AARCH64_PROBE_H
#define KERNEL_ARCH_AARCH64_PROBE_H

#include <stdint.h>

/* Read 8 bytes at addr into *out: 0, or -1 if the access faulted. */
int probe_read_u64(const void *addr, uint64_t *out);
/* Write 8 bytes at addr: 0, or -1 if the access faulted. */
int probe_write_u64(void *addr, uint64_t v);
/* Whether pc is a probe instruction; if so, its fixup address. */
uint64_t probe_fixup_for(uint64_t pc);

#endif
