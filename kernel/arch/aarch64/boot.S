/*
 * AArch64 entry, in the seed's stages (shared/BUGS.md section 4).
 *
 * QEMU's virt machine loads the image at its physical load address and enters
 * _start there (the ELF entry is _start_phys), MMU off, at EL2 or EL1, x0 = the
 * device tree when the loader passes one (otherwise it lies at the base of RAM).
 *
 *   stage 0  (here, MMU off) drop from EL2 to EL1; zero bss; build the early
 *            tables: 4 KiB granule, T0SZ = T1SZ = 28 (36-bit halves), 1 GiB blocks:
 *              TTBR0 [1..4]   RAM [1 GiB, 5 GiB) identity-mapped (the instant after
 *                             the MMU turns on, the next fetch goes through it)
 *              TTBR1 [0]      [0, 1 GiB) as Device memory: the peripherals' high alias
 *              TTBR1 [1..4]   RAM at KERNEL_VBASE + physical: the image's high alias
 *              TTBR1 [33..36] RAM at LINEAR_BASE + physical: the early linear map
 *            set VBAR_EL1 and SP to their high-half addresses, MMU on, branch high.
 *   stage 1.. (kmain_a64) the page-table module's tables replace these.
 *
 * With scenario=hihalf bug=no-identity-map in the device tree's bootargs the
 * identity blocks are left out, as the seed's first attempt did: the fetch after
 * SCTLR_EL1.M faults, and the high-half vectors report it.
 */
#include "mm/layout.h"

#define BLK_NORMAL     0x701               /* block, AttrIndx 0 (Normal WB), SH inner, AF */
#define BLK_DEVICE     0x0060000000000405  /* block, AttrIndx 1 (Device-nGnRnE), AF, PXN, UXN */
#define EARLY_TCR      0xb51c351c          /* T0SZ=T1SZ=28, TG0=TG1=4K, walks inner WBWA */
#define SCTLR_MMU_OFF  0x30d00800          /* RES1 bits only */
#define SCTLR_ON_BITS  0x1005              /* M | C | I */
#define KERNEL_MAIR_V  0x440400ff          /* 0 Normal WB, 1 nGnRnE, 2 nGnRE, 3 Normal NC */
#define FDT_MAGIC_LE   0xedfe0dd0          /* 0xd00dfeed read little-endian */

	.section .text.boot, "ax"
	.globl _start
_start:
	mov	x19, x0                     /* device tree from the loader, maybe */
	mrs	x20, CurrentEL
	ubfx	x20, x20, #2, #2
	cmp	x20, #2
	b.ne	1f
	/* EL2: run EL1 in AArch64, give it the timers and the FP unit, eret to 1: */
	mov	x0, #(1 << 31)              /* HCR_EL2.RW */
	msr	hcr_el2, x0
	mrs	x0, cnthctl_el2
	orr	x0, x0, #3                  /* EL1PCTEN | EL1PCEN */
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr
	mov	x0, #0x33ff                 /* CPTR_EL2: RES1 bits, no FP trap */
	msr	cptr_el2, x0
	msr	hstr_el2, xzr
	ldr	x0, =SCTLR_MMU_OFF
	msr	sctlr_el1, x0
	mov	x0, #0x3c5                  /* EL1h, DAIF masked */
	msr	spsr_el2, x0
	adr	x0, 1f
	msr	elr_el2, x0
	eret
1:	msr	daifset, #0xf
	ldr	x0, =SCTLR_MMU_OFF
	msr	sctlr_el1, x0
	isb
	mov	x0, #(3 << 20)              /* CPACR_EL1.FPEN: no FP/SIMD traps */
	msr	cpacr_el1, x0

	/* Zero bss (it holds the early tables and the boot stack). adrp is relative
	 * to the PC, so these are physical addresses while the MMU is off. */
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
2:	cmp	x0, x1
	b.hs	3f
	stp	xzr, xzr, [x0], #16
	b	2b
3:
	/* The device tree: x0 if it holds one, else the base of RAM, else none. */
	ldr	w1, =FDT_MAGIC_LE
	cbz	x19, 4f
	ldr	w2, [x19]
	cmp	w2, w1
	b.eq	5f
4:	mov	x19, #0x40000000
	ldr	w2, [x19]
	cmp	w2, w1
	b.eq	5f
	mov	x19, #0
5:	adrp	x0, boot_dtb
	str	x19, [x0, :lo12:boot_dtb]
	adrp	x0, boot_el
	str	x20, [x0, :lo12:boot_el]

	/* bug=no-identity-map for scenario=hihalf: look for both in the device tree. */
	mov	x21, #0
	cbz	x19, 6f
	ldr	w22, [x19, #4]              /* totalsize, big-endian */
	rev	w22, w22
	mov	x0, x19
	mov	x1, x22
	adr	x2, str_hihalf
	mov	x3, #(str_hihalf_end - str_hihalf)
	bl	memscan
	cbz	x0, 6f
	mov	x0, x19
	mov	x1, x22
	adr	x2, str_noid
	mov	x3, #(str_noid_end - str_noid)
	bl	memscan
	mov	x21, x0
	adrp	x1, boot_no_identity
	str	x21, [x1, :lo12:boot_no_identity]
6:
	/* Early tables. */
	adrp	x6, early_ttbr0
	adrp	x7, early_ttbr1
	ldr	x1, =BLK_DEVICE
	str	x1, [x7]
	ldr	x4, =BLK_NORMAL
	mov	x2, #1
7:	lsl	x3, x2, #30
	orr	x3, x3, x4
	str	x3, [x7, x2, lsl #3]         /* image alias */
	add	x5, x2, #32
	str	x3, [x7, x5, lsl #3]         /* linear map */
	cbnz	x21, 8f
	str	x3, [x6, x2, lsl #3]         /* identity */
8:	add	x2, x2, #1
	cmp	x2, #5
	b.lo	7b

	/* MMU on with the blocks. */
	ldr	x0, =KERNEL_MAIR_V
	msr	mair_el1, x0
	mrs	x1, id_aa64mmfr0_el1
	and	x1, x1, #0xf                /* PARange, at most 48 bits (5) */
	cmp	x1, #5
	b.ls	9f
	mov	x1, #5
9:	ldr	x0, =EARLY_TCR
	orr	x0, x0, x1, lsl #32         /* IPS */
	msr	tcr_el1, x0
	msr	ttbr0_el1, x6
	msr	ttbr1_el1, x7
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	ldr	x0, =vectors                /* the high-half vectors */
	msr	vbar_el1, x0
	ldr	x0, =boot_stack_top         /* the high-half stack */
	mov	sp, x0
	ldr	x2, =high_entry
	mrs	x0, sctlr_el1
	ldr	x1, =SCTLR_ON_BITS
	orr	x0, x0, x1
	msr	sctlr_el1, x0
	isb                                 /* fetched through TTBR0 */
	br	x2

high_entry:
	adrp	x0, boot_dtb                /* now relative to the high PC */
	ldr	x0, [x0, :lo12:boot_dtb]
	mov	x29, #0
	mov	x30, #0
	bl	kmain_a64
10:	msr	daifset, #0xf
	wfi
	b	10b

/* memscan(x0 base, x1 len, x2 needle, x3 needle length): x0 = 1 if found. Leaf,
 * no stack; clobbers x0-x9. */
memscan:
	cmp	x1, x3
	b.lo	13f
	sub	x1, x1, x3
	add	x1, x1, #1                  /* start positions */
	mov	x4, #0
11:	add	x7, x0, x4
	mov	x5, #0
12:	ldrb	w8, [x7, x5]
	ldrb	w9, [x2, x5]
	cmp	w8, w9
	b.ne	14f
	add	x5, x5, #1
	cmp	x5, x3
	b.lo	12b
	mov	x0, #1
	ret
14:	add	x4, x4, #1
	cmp	x4, x1
	b.lo	11b
13:	mov	x0, #0
	ret

str_hihalf:	.ascii "scenario=hihalf"
str_hihalf_end:
str_noid:	.ascii "no-identity-map"
str_noid_end:
	.ltorg

/*
 * void early_switch_ttbr1(uint64_t ttbr1, uint64_t tcr): load the page-table
 * module's kernel root and its TCR. Called at its physical address, through the
 * early identity map in TTBR0, so that no instruction is fetched through TTBR1
 * while it changes; returns to the caller's high-half address.
 */
	.text
	.globl early_switch_ttbr1
early_switch_ttbr1:
	dsb	ish
	msr	ttbr1_el1, x0
	msr	tcr_el1, x1
	isb
	tlbi	vmalle1
	dsb	ish
	isb
	ret

	.data
	.p2align 3
	.globl boot_dtb, boot_el, boot_no_identity
boot_dtb:	.quad 0
boot_el:	.quad 0
boot_no_identity: .quad 0

	.section .bss.pagetables, "aw", %nobits
	.p2align 12
	.globl early_ttbr0, early_ttbr1
early_ttbr0:	.skip 4096
early_ttbr1:	.skip 4096

	.section .bss.stack, "aw", %nobits
	.p2align 16
boot_stack_guard:
	.skip	65536                       /* unmapped once the kernel's tables are in */
	.globl	boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	.skip	65536
boot_stack_top:
