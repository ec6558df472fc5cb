/*
 * The periodic tick: the generic timer's EL1 virtual timer (PPI 11, INTID 27)
 * through the GIC (v2 or v3, as the device tree describes it). It is the only
 * interrupt source; it wakes the idle loop and gives the kernel control back while
 * a user process runs.
 */
#ifndef KERNEL_ARCH_AARCH64_TIMER_H
#define KERNEL_ARCH_AARCH64_TIMER_H

#include <stdint.h>

#define TIMER_HZ     100
#define TIMER_INTID  27

/* The interrupt controller as the device tree describes it. */
struct gic_info {
	int version;          /* 2 or 3; 0: none found */
	uint64_t dist_pa;     /* GICD */
	uint64_t cpu_pa;      /* GICC (v2) or the first GICR frame (v3) */
	uint64_t cpu_len;
};
extern struct gic_info gic_info;

/* Map the GIC's registers into the untracked window (before the tick starts). */
void gic_map(void);
/* Start the tick at TIMER_HZ (idempotent). */
void timer_start(void);
/* Ticks since timer_start(). */
uint64_t timer_ticks(void);
/* Run fn on every tick, in interrupt context with interrupts off (NULL: none). */
void timer_set_tick_hook(void (*fn)(void));
/* Acknowledge and handle one interrupt (called from the IRQ vectors). */
void irq_handle(void);
/* Count a tick, run the hook, re-arm the timer. */
void timer_interrupt(void);

#endif
