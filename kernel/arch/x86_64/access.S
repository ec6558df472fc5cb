/*
 * The access scenario's probes (kernel/scenarios/access.c): one load, store or
 * instruction fetch at a chosen address from CPL 0 or CPL 3, whose fault (if any)
 * the trap hook access_trap() records and resumes from.
 */
	.text

/* void access_kernel(uint64_t op, uint64_t addr): op 0 load, 1 store, 2 fetch (the
 * target holds a `ret`). A faulting load or store resumes at access_kfixup; a
 * faulting fetch resumes at the return address the call pushed. */
	.globl access_kernel, access_kload_insn, access_kstore_insn, access_kfixup
access_kernel:
	cmpq	$1, %rdi
	je	1f
	cmpq	$2, %rdi
	je	2f
access_kload_insn:
	movq	(%rsi), %rax
	ret
1:
access_kstore_insn:
	movq	$0xc3, (%rsi)
	ret
2:
	call	*%rsi
	ret
access_kfixup:
	ret

/* void access_user(uint64_t rip, uint64_t rsp, uint64_t op, uint64_t addr): run the
 * user stub at rip (CPL 3, interrupts off) with rdi = addr, rsi = op, and come back
 * when access_trap() sends the CPU to access_user_back (after the stub's int $0x80
 * or its fault). The callee-saved registers are kept on this stack, whose pointer
 * access_saved_rsp holds meanwhile. */
	.globl access_user, access_user_back, access_saved_rsp
access_user:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, access_saved_rsp(%rip)
	pushq	$0x23            /* SS: SEL_UDATA */
	pushq	%rsi             /* RSP */
	pushq	$0x2             /* RFLAGS: IF=0 */
	pushq	$0x2b            /* CS: SEL_UCODE */
	pushq	%rdi             /* RIP */
	movq	%rcx, %rdi
	movq	%rdx, %rsi
	iretq
access_user_back:
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret

/* The user stub, copied into a user page: rdi = addr, rsi = op as above; the
 * int $0x80 says the access completed. */
	.globl access_ustub, access_ustub_end
access_ustub:
	cmpq	$1, %rsi
	je	1f
	cmpq	$2, %rsi
	je	2f
	movq	(%rdi), %rax
	int	$0x80
1:	movq	$0xc3, (%rdi)
	int	$0x80
2:	call	*%rdi
	int	$0x80
access_ustub_end:

	.bss
	.p2align 3
access_saved_rsp:
	.quad	0
