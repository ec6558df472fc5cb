/* The user programs' ELF files, included whole (the build passes their directory
 * with -Wa,-I). The table is in programs.c. */
	.macro PROGRAM name
	.section .user_programs, "a"
	.p2align 4
	.globl program_\name\()_start, program_\name\()_end
program_\name\()_start:
	.incbin "\name\().elf"
program_\name\()_end:
	.endm

	PROGRAM alpha
	PROGRAM beta
	PROGRAM bench
	PROGRAM crash
	PROGRAM wronly
	PROGRAM attack
