/* The local APIC and I/O APIC, mapped uncached in the untracked window. Nothing is
 * programmed (the kernel runs without interrupts); the mappings exist so that the
 * kernel has MMIO in its address space and can read the version registers. */
#ifndef KERNEL_DRIVERS_APIC_H
#define KERNEL_DRIVERS_APIC_H

#include <stdint.h>

#define LAPIC_PHYS  0xfee00000ull
#define IOAPIC_PHYS 0xfec00000ull

/* Mask the legacy 8259 PICs and map both APICs; prints their versions. */
void apic_init(void);
extern volatile uint32_t *lapic_regs;
extern volatile uint32_t *ioapic_regs;

#endif
