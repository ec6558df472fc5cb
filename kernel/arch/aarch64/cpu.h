/* Thin wrappers over AArch64 instructions and system registers; no policy here. */
#ifndef KERNEL_ARCH_AARCH64_CPU_H
#define KERNEL_ARCH_AARCH64_CPU_H

#include <stdint.h>

#include "ptdbg/hw/arm64.h"

#define read_sysreg(r) ({ uint64_t v__; __asm__ volatile("mrs %0, " #r : "=r"(v__)); v__; })
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" :: "r"((uint64_t)(v)) : "memory")

static inline void isb(void) { __asm__ volatile("isb" ::: "memory"); }
static inline void dsb_ish(void) { __asm__ volatile("dsb ish" ::: "memory"); }
static inline void dsb_ishst(void) { __asm__ volatile("dsb ishst" ::: "memory"); }
static inline void cpu_irq_disable(void) { __asm__ volatile("msr daifset, #2" ::: "memory"); }
static inline void cpu_irq_enable(void) { __asm__ volatile("msr daifclr, #2" ::: "memory"); }

/* Forget every stage-1 EL1&0 translation (after table changes are visible). */
static inline void tlb_flush_all(void)
{
	__asm__ volatile("dsb ishst; tlbi vmalle1is; dsb ish; isb" ::: "memory");
}
/* Forget the translations of one page at va, any ASID (TLBI takes VA[55:12]
 * whatever the granule). */
static inline void tlb_flush_page(uint64_t va)
{
	__asm__ volatile("dsb ishst; tlbi vaae1is, %0; dsb ish; isb" :: "r"((va >> 12) & ((1ull << 44) - 1)) : "memory");
}

/* CPU features the kernel uses, filled by cpu_init(). */
struct cpu_features {
	uint64_t midr, mmfr0, mmfr1, mmfr2;
	unsigned pa_bits;              /* ID_AA64MMFR0_EL1.PARange */
	int gran4, gran16, gran64;     /* stage-1 granules */
	int pan;                       /* FEAT_PAN */
	int boot_el;                   /* exception level the kernel was entered at */
};
extern struct cpu_features cpu_features;

/* Detect CPU features. */
void cpu_init(void);
/* Wait for the next interrupt: sleep with interrupts masked (a pending one wakes
 * the core), then unmask so that it is taken, and mask again. */
static inline void cpu_wait_interrupt(void)
{
	__asm__ volatile("wfi; msr daifclr, #2; isb; msr daifset, #2" ::: "memory");
}
/* Halt forever with interrupts off (the VM stays attachable by a debugger). */
__attribute__((noreturn)) void cpu_halt_forever(void);

/* PAN: on (kernel cannot touch EL0 memory) / off around user copies. */
static inline void pan_set(int on)
{
	if (on)
		__asm__ volatile(".inst 0xd500419f" ::: "memory"); /* msr pan, #1 */
	else
		__asm__ volatile(".inst 0xd500409f" ::: "memory"); /* msr pan, #0 */
}

/* The user root loaded in TTBR0 (physical address, ASID bits stripped). */
static inline uint64_t read_user_root(void) { return read_sysreg(ttbr0_el1) & ARM64_GENMASK(47, 1); }

#endif
