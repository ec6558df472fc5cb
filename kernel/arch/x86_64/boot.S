/*
 * PVH entry: QEMU loads the image by p_paddr and enters pvh_entry in 32-bit protected
 * mode, paging off, %ebx = physical address of struct hvm_start_info.
 *
 * This stub builds throw-away page tables (identity and linear map of the first 4 GiB
 * with 2 MiB pages, the kernel image at KERNEL_VBASE), turns on long mode -- with
 * 5-level paging when the command line asks for paging=5 and CPUID has LA57 -- and
 * calls kmain(start_info_phys, la57_active) on the boot stack. The C code then builds
 * the real kernel address space and never uses these tables again.
 */
#include "mm/layout.h"
#include "ptdbg/hw/x86.h"

#define PA(x)          ((x) - KERNEL_VBASE)
#define EARLY_PD_COUNT 4 /* 4 x 1 GiB */
#define EARLY_TABLE    (X86_PTE_P | X86_PTE_RW)               /* a table entry's flags */
#define EARLY_LEAF     (X86_PTE_P | X86_PTE_RW | X86_PTE_PS)  /* a 2 MiB leaf's */

	.section .note.Xen, "a"
	.p2align 2
	.long 4                       /* namesz: "Xen\0" */
	.long 4                       /* descsz */
	.long 18                      /* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.long PA(pvh_entry)

	.section .text.boot, "ax"
	.code32
	.globl pvh_entry
pvh_entry:
	cli
	cld
	/* bss holds the early tables and the stack: zero it first (%ebx survives) */
	movl	$PA(__bss_start), %edi
	movl	$PA(__bss_end), %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	rep stosb
	movl	%ebx, PA(boot_start_info)
	movl	$PA(boot_stack_top), %esp

	/* early_pd: 2048 entries of 2 MiB covering [0, 4 GiB) */
	movl	$PA(early_pd), %edi
	xorl	%ecx, %ecx
1:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$EARLY_LEAF, %eax
	movl	%eax, (%edi,%ecx,8)
	movl	$0, 4(%edi,%ecx,8)
	incl	%ecx
	cmpl	$(X86_ENTRIES * EARLY_PD_COUNT), %ecx
	jne	1b

	/* early_pdpt_low[0..3] -> early_pd, one table per GiB */
	movl	$PA(early_pdpt_low), %edi
	movl	$(PA(early_pd) + EARLY_TABLE), %eax
	xorl	%ecx, %ecx
2:	movl	%eax, (%edi,%ecx,8)
	addl	$X86_PAGE_SIZE, %eax
	incl	%ecx
	cmpl	$EARLY_PD_COUNT, %ecx
	jne	2b

	/* early_pdpt_high[510] -> first GiB (KERNEL_VBASE -> physical 0) */
	movl	$(PA(early_pd) + EARLY_TABLE), %eax
	movl	%eax, PA(early_pdpt_high) + 510 * 8

	/* early_pml4: [0] identity, [256] linear map, [511] kernel image */
	movl	$(PA(early_pdpt_low) + EARLY_TABLE), %eax
	movl	%eax, PA(early_pml4)
	movl	%eax, PA(early_pml4) + 256 * 8
	movl	$(PA(early_pdpt_high) + EARLY_TABLE), %eax
	movl	%eax, PA(early_pml4) + 511 * 8

	/* Look for "paging=5" in the command line (kmain parses it properly). */
	movl	24(%ebx), %esi             /* hvm_start_info.cmdline_paddr (low half) */
	testl	%esi, %esi
	jz	.Luse4
.Lscan:
	cmpb	$0, (%esi)
	je	.Luse4
	pushl	%esi
	movl	$PA(str_paging5), %edi
	movl	$8, %ecx
	repe cmpsb
	popl	%esi
	je	.Lwant5
	incl	%esi
	jmp	.Lscan
.Lwant5:
	xorl	%eax, %eax                  /* CPUID leaf 7 must exist */
	cpuid
	cmpl	$7, %eax
	jb	.Luse4
	movl	$7, %eax
	xorl	%ecx, %ecx
	cpuid
	testl	$(1 << 16), %ecx            /* CPUID.7.0:ECX.LA57 */
	jz	.Luse4
	movl	$(PA(early_pml4) + EARLY_TABLE), %eax
	movl	%eax, PA(early_pml5)
	movl	%eax, PA(early_pml5) + 511 * 8
	movl	%cr4, %eax
	orl	$X86_CR4_LA57, %eax         /* only settable with paging off */
	movl	%eax, %cr4
	movl	$1, PA(boot_la57)
	movl	$PA(early_pml5), %eax
	jmp	.Lcr3
.Luse4:
	movl	$PA(early_pml4), %eax
.Lcr3:
	movl	%eax, %cr3
	movl	%cr4, %eax
	orl	$X86_CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$X86_MSR_EFER, %ecx
	rdmsr
	orl	$X86_EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(X86_CR0_PG | X86_CR0_PE), %eax
	movl	%eax, %cr0
	lgdt	PA(boot_gdt_desc)
	ljmp	$0x08, $PA(entry64_low)

	.code64
entry64_low:
	movabsq	$entry64_high, %rax
	jmp	*%rax
entry64_high:
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	%ax, %fs
	movw	%ax, %gs
	movabsq	$boot_stack_top, %rsp
	xorl	%ebp, %ebp
	movl	boot_start_info(%rip), %edi
	movl	boot_la57(%rip), %esi
	call	kmain
3:	cli
	hlt
	jmp	3b

	.section .rodata
str_paging5:
	.ascii	"paging=5"
	.p2align 3
boot_gdt:
	.quad	0
	.quad	0x00af9a000000ffff          /* 0x08: 64-bit code */
	.quad	0x00cf92000000ffff          /* 0x10: data */
boot_gdt_end:
boot_gdt_desc:
	.word	boot_gdt_end - boot_gdt - 1
	.long	PA(boot_gdt)

	.section .data
	.p2align 2
boot_start_info:
	.long	0
	.globl	boot_la57
boot_la57:
	.long	0

	.section .bss.pagetables, "aw", @nobits
	.p2align 12
early_pml5:	.skip 4096
early_pml4:	.skip 4096
early_pdpt_low:	.skip 4096
early_pdpt_high: .skip 4096
early_pd:	.skip 4096 * EARLY_PD_COUNT
	.globl	boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	.skip	16384
boot_stack_top:
