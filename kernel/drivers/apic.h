/* The local APIC and I/O APIC, mapped uncached in the untracked window. apic_init()
 * masks the 8259 PICs and only reads the version registers; the I/O APIC stays
 * masked. The local APIC's timer is the kernel's one interrupt source: programmed
 * by timer_start() (arch/x86_64/timer.h) once a scenario is ready (earlier by the
 * scenarios that watch a running process from the tick). */
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
