/*
 * The accesses of the access scenario (scenarios/access_a64.c). Each one is a
 * single instruction with a label, so that the scenario's trap hook can tell its
 * fault from any other and resume after it.
 *
 * Operations (x0): 0 load (LDR), 1 store (STR), 2 instruction fetch (BLR to the
 * address, which holds RET), 3 unprivileged load (LDTR), 4 unprivileged store (STTR).
 * Stores write two RET instructions, so that the target stays fetchable.
 */
#define RET_PAIR_LO 0x03c0
#define RET_PAIR_HI 0xd65f

	.macro RET_PAIR reg
	movz	\reg, #RET_PAIR_LO
	movk	\reg, #RET_PAIR_HI, lsl #16
	movk	\reg, #RET_PAIR_LO, lsl #32
	movk	\reg, #RET_PAIR_HI, lsl #48
	.endm

	.text
/* void access_kernel(uint64_t op, uint64_t addr): one access at EL1. A faulting
 * load or store resumes at access_kfixup; a faulting fetch resumes at the return
 * address the BLR left in x30 (both by the trap hook). */
	.globl access_kernel, access_kload_insn, access_kstore_insn, access_kldtr_insn
	.globl access_ksttr_insn, access_kfixup
access_kernel:
	RET_PAIR x2
	cmp	x0, #1
	b.eq	1f
	cmp	x0, #2
	b.eq	2f
	cmp	x0, #3
	b.eq	3f
	cmp	x0, #4
	b.eq	4f
access_kload_insn:
	ldr	x3, [x1]
	b	access_kfixup
1:
access_kstore_insn:
	str	x2, [x1]
	b	access_kfixup
3:
access_kldtr_insn:
	ldtr	x3, [x1]
	b	access_kfixup
4:
access_ksttr_insn:
	sttr	x2, [x1]
	b	access_kfixup
2:
	stp	x29, x30, [sp, #-16]!
	blr	x1
	ldp	x29, x30, [sp], #16
access_kfixup:
	ret

/* void access_user(uint64_t pc, uint64_t sp, uint64_t op, uint64_t addr, uint64_t spsr):
 * run the EL0 stub at pc (stack sp) for one access; the trap hook brings the
 * exception that ends it (the stub's SVC, or the access's fault) back to
 * access_user_back at EL1, which returns to the caller. */
	.globl access_user, access_user_back, access_saved_sp
access_user:
	stp	x19, x20, [sp, #-96]!
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	mov	x9, sp
	adrp	x10, access_saved_sp
	str	x9, [x10, :lo12:access_saved_sp]
	msr	elr_el1, x0
	msr	sp_el0, x1
	msr	spsr_el1, x4
	mov	x0, x2
	mov	x1, x3
	RET_PAIR x2
	isb
	eret
access_user_back:
	adrp	x10, access_saved_sp
	ldr	x9, [x10, :lo12:access_saved_sp]
	mov	sp, x9
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	ldp	x19, x20, [sp], #96
	ret

/* The EL0 stub, copied into a user page: x0 op (0 load, 1 store, 2 fetch), x1 the
 * address, x2 the value stored; ends with SVC. Position independent. */
	.globl access_ustub, access_ustub_end
	.balign 8
access_ustub:
	cmp	x0, #1
	b.eq	1f
	cmp	x0, #2
	b.eq	2f
	ldr	x3, [x1]
	b	3f
1:	str	x2, [x1]
	b	3f
2:	blr	x1
3:	svc	#0
	b	3b
access_ustub_end:

	.data
	.balign 8
access_saved_sp:
	.quad 0
