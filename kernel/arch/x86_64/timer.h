/*
 * The periodic tick: the local APIC timer in periodic mode on TIMER_VECTOR. The
 * IOAPIC and the 8259 PICs stay masked; the tick is the only interrupt source. It
 * wakes the idle loop and gives the kernel control back while a user process runs.
 */
#ifndef KERNEL_ARCH_TIMER_H
#define KERNEL_ARCH_TIMER_H

#include <stdint.h>

#define TIMER_VECTOR     0x20
#define SPURIOUS_VECTOR  0xff
#define TIMER_HZ         100

/* Start the tick at TIMER_HZ (idempotent). Needs apic_init() (the LAPIC mapping). */
void timer_start(void);
/* Ticks since timer_start(). */
uint64_t timer_ticks(void);
/* Run fn on every tick, in interrupt context with interrupts off (NULL: none). */
void timer_set_tick_hook(void (*fn)(void));
/* Acknowledge the interrupt in service at the local APIC (end of interrupt), so that
 * an unexpected vector does not block the tick. */
void lapic_eoi(void);
/* Called by trap_dispatch for TIMER_VECTOR: count, run the hook, acknowledge. */
void timer_interrupt(void);

#endif
