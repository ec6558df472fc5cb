/* Generic timer and GIC (see timer.h). */
#include "arch/aarch64/cpu.h"
#include "arch/aarch64/pte.h"
#include "arch/aarch64/timer.h"
#include "debug/panic.h"
#include "lib/printf.h"
#include "mm/kspace.h"

struct gic_info gic_info;

static volatile uint8_t *gicd, *gicc; /* GICC (v2) or GICR (v3) */
static volatile uint64_t ticks;
static void (*tick_hook)(void);
static int started;
static uint64_t tick_counts;

/* GICv2 distributor and CPU interface (GIC architecture spec, 4.3 and 4.4). */
#define GICD_CTLR        0x000
#define GICD_ISENABLER0  0x100
#define GICD_IPRIORITYR  0x400
#define GICC_CTLR        0x000
#define GICC_PMR         0x004
#define GICC_IAR         0x00c
#define GICC_EOIR        0x010
/* GICv3 redistributor (RD_base, then SGI_base 64 KiB above). */
#define GICR_WAKER       0x0014
#define GICR_SGI         0x10000
#define GICR_IGROUPR0    0x0080
#define GICR_ISENABLER0  0x0100
#define GICR_IPRIORITYR  0x0400

static inline void w32(volatile uint8_t *b, uint32_t off, uint32_t v) { *(volatile uint32_t *)(b + off) = v; }
static inline uint32_t r32(volatile uint8_t *b, uint32_t off) { return *(volatile uint32_t *)(b + off); }

/* Map the GIC frames. */
void gic_map(void)
{
	if (!gic_info.version)
		return;
	gicd = kspace_map_untracked(gic_info.dist_pa, 0x10000, PTE_CACHE_UC);
	gicc = kspace_map_untracked(gic_info.cpu_pa, gic_info.version == 3 ? 0x20000 : 0x10000, PTE_CACHE_UC);
	if (!gicd || !gicc)
		panic("cannot map the GICv%d registers", gic_info.version);
}

static void gic_init(void)
{
	if (gic_info.version == 2) {
		w32(gicd, GICD_CTLR, 1);
		w32(gicd, GICD_ISENABLER0, 1u << TIMER_INTID);
		gicd[GICD_IPRIORITYR + TIMER_INTID] = 0xa0;
		w32(gicc, GICC_PMR, 0xff);
		w32(gicc, GICC_CTLR, 1);
	} else {
		w32(gicd, GICD_CTLR, (1u << 4) | (1u << 1)); /* ARE_NS, EnableGrp1NS */
		w32(gicc, GICR_WAKER, r32(gicc, GICR_WAKER) & ~(1u << 1));
		while (r32(gicc, GICR_WAKER) & (1u << 2))
			;
		w32(gicc, GICR_SGI + GICR_IGROUPR0, r32(gicc, GICR_SGI + GICR_IGROUPR0) | (1u << TIMER_INTID));
		gicc[GICR_SGI + GICR_IPRIORITYR + TIMER_INTID] = 0xa0;
		w32(gicc, GICR_SGI + GICR_ISENABLER0, 1u << TIMER_INTID);
		write_sysreg(s3_0_c12_c12_5, read_sysreg(s3_0_c12_c12_5) | 1); /* ICC_SRE_EL1.SRE */
		isb();
		write_sysreg(s3_0_c4_c6_0, 0xff);   /* ICC_PMR_EL1 */
		write_sysreg(s3_0_c12_c12_7, 1);    /* ICC_IGRPEN1_EL1 */
		isb();
	}
}

/* Program the GIC and the virtual timer. */
void timer_start(void)
{
	if (started)
		return;
	if (!gic_info.version || !gicd)
		panic("no GIC for the tick (device tree has none, or gic_map was not called)");
	started = 1;
	gic_init();
	tick_counts = read_sysreg(cntfrq_el0) / TIMER_HZ;
	write_sysreg(cntv_tval_el0, tick_counts);
	write_sysreg(cntv_ctl_el0, 1); /* enabled, not masked */
	isb();
	kprintf("ptdbg: timer: generic timer (virtual, %lu Hz counter) at %u Hz, INTID %u via GICv%d\n",
		read_sysreg(cntfrq_el0), TIMER_HZ, TIMER_INTID, gic_info.version);
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

/* One tick. */
void timer_interrupt(void)
{
	ticks++;
	write_sysreg(cntv_tval_el0, tick_counts);
	if (tick_hook)
		tick_hook();
}

/* Acknowledge, handle, end. */
void irq_handle(void)
{
	uint32_t iar = gic_info.version == 2 ? r32(gicc, GICC_IAR) : (uint32_t)read_sysreg(s3_0_c12_c12_0);
	uint32_t id = iar & 0xffffff;
	if (id >= 1020 && id <= 1023)
		return; /* spurious */
	if (id == TIMER_INTID)
		timer_interrupt();
	else
		kprintf("ptdbg: unexpected interrupt %u ignored\n", id);
	if (gic_info.version == 2)
		w32(gicc, GICC_EOIR, iar);
	else
		write_sysreg(s3_0_c12_c12_1, iar); /* ICC_EOIR1_EL1 */
}
