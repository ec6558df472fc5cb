/* Probe accessors; see probe.h. The fault handler redirects a fault at
 * probe_read_insn / probe_write_insn to probe_fixup. */
	.text
	.globl probe_read_u64, probe_write_u64, probe_read_insn, probe_write_insn, probe_fixup
probe_read_u64:
probe_read_insn:
	movq	(%rdi), %rax
	movq	%rax, (%rsi)
	xorl	%eax, %eax
	ret
probe_write_u64:
probe_write_insn:
	movq	%rsi, (%rdi)
	xorl	%eax, %eax
	ret
probe_fixup:
	movl	$-1, %eax
	ret
