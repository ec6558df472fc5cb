/* The local APIC timer as a periodic tick (see timer.h). */
#include "arch/x86_64/timer.h"
#include "debug/region.h"
#include "drivers/apic.h"
#include "lib/printf.h"

/* Local APIC registers (byte offsets, Intel SDM vol. 3 table 11-1). */
#define LAPIC_TPR        0x080
#define LAPIC_EOI        0x0b0
#define LAPIC_SVR        0x0f0
#define LAPIC_LVT_TIMER  0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_DIV  0x3e0

#define SVR_ENABLE        (1u << 8)
#define LVT_TIMER_PERIODIC (1u << 17)
#define TIMER_DIV_16      0x3u

/* QEMU's APIC timer counts at 1 GHz before the divider (one count per ns of its
 * virtual clock), so the count for TIMER_HZ needs no calibration there. */
#define LAPIC_TIMER_BUS_HZ 1000000000u

static volatile uint64_t ticks;
static void (*tick_hook)(void);
static int started;

static inline void lapic_write(uint32_t reg, uint32_t v) { lapic_regs[reg / 4] = v; }

/* Program the LAPIC timer: enabled APIC, TPR 0, periodic on TIMER_VECTOR. */
void timer_start(void)
{
	if (started)
		return;
	started = 1;
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_SVR, SVR_ENABLE | SPURIOUS_VECTOR);
	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | TIMER_VECTOR);
	lapic_write(LAPIC_TIMER_INIT, LAPIC_TIMER_BUS_HZ / 16 / TIMER_HZ);
	kprintf("ptdbg: timer: local APIC periodic tick at %u Hz on vector 0x%x\n", TIMER_HZ,
		TIMER_VECTOR);
}

/* Ticks so far. */
uint64_t timer_ticks(void)
{
	return ticks;
}

/* Install the per-tick hook. */
void timer_set_tick_hook(void (*fn)(void))
{
	tick_hook = fn;
}

/* End of interrupt. */
void lapic_eoi(void)
{
	if (started)
		lapic_write(LAPIC_EOI, 0);
}

/* One tick: count, run the hook, end of interrupt. */
void timer_interrupt(void)
{
	ticks++;
	region_tick();
	if (tick_hook)
		tick_hook();
	lapic_write(LAPIC_EOI, 0);
}
