/*
 * The exception vector table (VBAR_EL1), the common save/restore path and the
 * kernel context switch. Every vector saves a struct trap_frame (trap.h) on the
 * current stack -- SP_EL1, the kernel or process kernel stack -- with ESR_EL1 and
 * FAR_EL1 as the exception left them, and calls trap_dispatch(frame, kind).
 */
#define TF_SIZE 304

	.macro VENTRY kind
	.balign 0x80
	sub	sp, sp, #TF_SIZE
	stp	x0, x1, [sp, #0]
	mov	x1, #\kind
	b	trap_common
	.endm

	.text
	.balign 2048
	.globl vectors
vectors:
	VENTRY 0   /* current EL, SP_EL0: synchronous */
	VENTRY 1   /* irq */
	VENTRY 2   /* fiq */
	VENTRY 3   /* serror */
	VENTRY 4   /* current EL, SP_ELx: synchronous */
	VENTRY 5   /* irq */
	VENTRY 6   /* fiq */
	VENTRY 7   /* serror */
	VENTRY 8   /* lower EL, AArch64: synchronous */
	VENTRY 9   /* irq */
	VENTRY 10  /* fiq */
	VENTRY 11  /* serror */
	VENTRY 12  /* lower EL, AArch32: synchronous */
	VENTRY 13  /* irq */
	VENTRY 14  /* fiq */
	VENTRY 15  /* serror */

trap_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x2, sp_el0
	stp	x30, x2, [sp, #240]
	mrs	x3, elr_el1
	mrs	x4, spsr_el1
	stp	x3, x4, [sp, #256]
	mrs	x5, esr_el1
	mrs	x6, far_el1
	stp	x5, x6, [sp, #272]
	str	x1, [sp, #288]
	mov	x0, sp
	mov	x29, #0
	bl	trap_dispatch
	.globl	trap_return
trap_return:
	ldp	x3, x4, [sp, #256]
	msr	elr_el1, x3
	msr	spsr_el1, x4
	ldp	x30, x2, [sp, #240]
	msr	sp_el0, x2
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	add	sp, sp, #TF_SIZE
	eret

/* void ctx_switch(uint64_t *save, uint64_t next): save the callee-saved registers
 * and lr on the stack, store sp in *save, switch to next, restore, return there. */
	.globl ctx_switch
ctx_switch:
	sub	sp, sp, #112
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	mov	x2, sp
	str	x2, [x0]
	mov	sp, x1
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	add	sp, sp, #112
	ret

/* Memory probes (probe.h): a load or store that may fault; the abort handler
 * resumes a faulting probe at its fixup with x0 = -1. */
	.globl probe_read_u64, probe_write_u64, probe_read_insn, probe_write_insn, probe_fixup
probe_read_u64:
	mov	x2, x1
probe_read_insn:
	ldr	x3, [x0]
	str	x3, [x2]
	mov	x0, #0
	ret
probe_write_u64:
probe_write_insn:
	str	x1, [x0]
	mov	x0, #0
	ret
probe_fixup:
	mov	x0, #-1
	ret
