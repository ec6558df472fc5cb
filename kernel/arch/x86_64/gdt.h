/* GDT and TSS: flat kernel/user segments, the TSS's ring-0 stack and IST stacks. */
#ifndef KERNEL_ARCH_GDT_H
#define KERNEL_ARCH_GDT_H

#include <stdint.h>

#define SEL_KCODE   0x08
#define SEL_KDATA   0x10
#define SEL_UDATA   (0x20 | 3)
#define SEL_UCODE   (0x28 | 3)
#define SEL_TSS     0x30

#define IST_DOUBLE_FAULT 1
#define IST_NMI          2

/* Load the kernel GDT and TSS (replaces the boot GDT). */
void gdt_init(void);
/* Set the stack the CPU switches to on a trap from ring 3. */
void tss_set_rsp0(uint64_t rsp0);

#endif
