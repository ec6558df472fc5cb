/* CPU feature detection. */
#include "arch/aarch64/cpu.h"

struct cpu_features cpu_features;

/* Read the ID registers the kernel decides on. */
void cpu_init(void)
{
	struct cpu_features *f = &cpu_features;
	f->midr = read_sysreg(midr_el1);
	f->mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	f->mmfr1 = read_sysreg(id_aa64mmfr1_el1);
	f->mmfr2 = read_sysreg(s3_0_c0_c7_2); /* ID_AA64MMFR2_EL1 */
	f->pa_bits = arm64_pa_bits(arm64_idfield(f->mmfr0, ARM64_MMFR0_PARANGE_SHIFT));
	f->gran4 = arm64_mmfr0_has_granule(f->mmfr0, 12);
	f->gran16 = arm64_mmfr0_has_granule(f->mmfr0, 14);
	f->gran64 = arm64_mmfr0_has_granule(f->mmfr0, 16);
	f->pan = arm64_idfield(f->mmfr1, ARM64_MMFR1_PAN_SHIFT) != 0;
}

/* Halt forever with interrupts masked. */
void cpu_halt_forever(void)
{
	for (;;) {
		__asm__ volatile("msr daifset, #0xf; wfi" ::: "memory");
	}
}
