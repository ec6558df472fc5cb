/* x86-64 hooks for processes and user memory (see arch/proc.h). */
#ifndef KERNEL_ARCH_X86_64_PROC_H
#define KERNEL_ARCH_X86_64_PROC_H

#include <stdint.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/trap.h"
#include "lib/string.h"
#include "mm/kspace.h"

static inline void arch_user_frame(struct trap_frame *tf, uint64_t entry, uint64_t sp)
{
	tf->rip = entry;
	tf->cs = SEL_UCODE;
	tf->ss = SEL_UDATA;
	tf->rflags = 0x202;
	tf->rsp = sp;
}

/* ctx_switch pops r15 r14 r13 r12 rbx rbp, then returns into trap_return. */
static inline uint64_t arch_first_ctx(struct trap_frame *tf)
{
	uint64_t *ctx = (uint64_t *)tf - 7;
	memset(ctx, 0, 7 * sizeof(uint64_t));
	ctx[6] = (uint64_t)trap_return;
	return (uint64_t)ctx;
}

static inline void arch_enter_user_space(uint64_t root, uint64_t kstack_top)
{
	tss_set_rsp0(kstack_top);
	write_cr3(root);
}

static inline void arch_leave_user_space(void) { write_cr3(kernel_space.root); }
static inline uint64_t arch_loaded_user_root(void) { return read_cr3() & ~0xfffull; }
static inline void arch_user_access_begin(void) { if (cpu_features.smap) stac(); }
static inline void arch_user_access_end(void) { if (cpu_features.smap) clac(); }

static inline void arch_set_user_sp(struct trap_frame *tf, uint64_t sp) { tf->rsp = sp; }
static inline void arch_set_user_arg(struct trap_frame *tf, uint64_t v) { tf->rdi = v; }

#endif
