/* AArch64 hooks for processes and user memory (see arch/proc.h). Every process
 * uses ASID 0: loading a root flushes the TLB. */
#ifndef KERNEL_ARCH_AARCH64_PROC_H
#define KERNEL_ARCH_AARCH64_PROC_H

#include <stdint.h>

#include "arch/aarch64/cpu.h"
#include "arch/aarch64/trap.h"
#include "lib/string.h"

/* The empty TTBR0 root loaded when no process runs (setup.c). */
uint64_t a64_empty_user_root(void);

static inline void arch_user_frame(struct trap_frame *tf, uint64_t entry, uint64_t sp)
{
	tf->elr = entry;
	tf->spsr = ARM64_PSR_M_EL0t;  /* EL0, interrupts unmasked */
	tf->sp_el0 = sp;
}

/* ctx_switch restores x19..x30 from 12 slots (112 bytes) and returns through x30. */
static inline uint64_t arch_first_ctx(struct trap_frame *tf)
{
	uint64_t *ctx = (uint64_t *)tf - 14;
	memset(ctx, 0, 14 * sizeof(uint64_t));
	ctx[11] = (uint64_t)trap_return;
	return (uint64_t)ctx;
}

/* TTBR0 = the process's root; SP_EL1 is the kernel stack at the eret already. */
static inline void arch_enter_user_space(uint64_t root, uint64_t kstack_top)
{
	(void)kstack_top;
	write_sysreg(ttbr0_el1, root);
	isb();
	tlb_flush_all();
}

static inline void arch_leave_user_space(void)
{
	write_sysreg(ttbr0_el1, a64_empty_user_root());
	isb();
	tlb_flush_all();
}

static inline uint64_t arch_loaded_user_root(void) { return read_user_root(); }
static inline void arch_user_access_begin(void) { if (cpu_features.pan) pan_set(0); }
static inline void arch_user_access_end(void) { if (cpu_features.pan) pan_set(1); }

static inline void arch_set_user_sp(struct trap_frame *tf, uint64_t sp) { tf->sp_el0 = sp; }
static inline void arch_set_user_arg(struct trap_frame *tf, uint64_t v) { tf->x[0] = v; }

#endif
