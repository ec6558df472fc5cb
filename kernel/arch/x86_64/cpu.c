/* CPU feature detection and the control-register / PAT policy of the kernel. */
#include "arch/x86_64/cpu.h"

struct cpu_features cpu_features;

/*
 * IA32_PAT as the kernel programs it (Linux's layout). A PTE selects an entry with
 * PAT:PCD:PWT; the kernel only uses entries 0 (WB, linear map and image) and 3 (UC,
 * MMIO in the untracked window).
 *   PA0 WB  PA1 WC  PA2 UC-  PA3 UC  PA4 WB  PA5 WP  PA6 UC-  PA7 WT
 */
#define KERNEL_PAT                                                                \
	(X86_PAT_ENTRY(0, X86_MT_WB) | X86_PAT_ENTRY(1, X86_MT_WC) |              \
	 X86_PAT_ENTRY(2, X86_MT_UCM) | X86_PAT_ENTRY(3, X86_MT_UC) |             \
	 X86_PAT_ENTRY(4, X86_MT_WB) | X86_PAT_ENTRY(5, X86_MT_WP) |              \
	 X86_PAT_ENTRY(6, X86_MT_UCM) | X86_PAT_ENTRY(7, X86_MT_WT))

/* Detect features; enable NXE, WP, PGE, SMEP, SMAP; program IA32_PAT. */
void cpu_init(void)
{
	uint32_t r[4];
	cpuid(0, 0, r);
	uint32_t max_basic = r[0];
	cpuid(1, 0, r);
	cpu_features.pge = (r[3] >> 13) & 1;
	cpu_features.pat = (r[3] >> 16) & 1;
	if (max_basic >= 7) {
		cpuid(7, 0, r);
		cpu_features.smep = (r[1] >> 7) & 1;
		cpu_features.smap = (r[1] >> 20) & 1;
		cpu_features.la57 = (r[2] >> 16) & 1;
	}
	cpuid(0x80000000u, 0, r);
	uint32_t max_ext = r[0];
	cpuid(0x80000001u, 0, r);
	cpu_features.nx = (r[3] >> 20) & 1;
	cpu_features.pdpe1gb = (r[3] >> 26) & 1;
	cpu_features.maxphyaddr = 36;
	cpu_features.linaddr_bits = 48;
	if (max_ext >= 0x80000008u) {
		cpuid(0x80000008u, 0, r);
		cpu_features.maxphyaddr = r[0] & 0xff;
		cpu_features.linaddr_bits = (r[0] >> 8) & 0xff;
	}

	if (cpu_features.nx)
		wrmsr(X86_MSR_EFER, rdmsr(X86_MSR_EFER) | X86_EFER_NXE);
	write_cr0(read_cr0() | X86_CR0_WP);
	uint64_t cr4 = read_cr4();
	if (cpu_features.pge)
		cr4 |= X86_CR4_PGE;
	if (cpu_features.smep)
		cr4 |= X86_CR4_SMEP;
	if (cpu_features.smap)
		cr4 |= X86_CR4_SMAP;
	write_cr4(cr4);
	if (cpu_features.pat)
		wrmsr(X86_MSR_PAT, KERNEL_PAT);
	tlb_flush_all();
}

/* The IA32_PAT value in force (the reset value when the CPU has no PAT). */
uint64_t cpu_pat(void)
{
	return cpu_features.pat ? rdmsr(X86_MSR_PAT) : X86_PAT_RESET;
}

/* Flush all TLB entries including global ones by toggling CR4.PGE. */
void tlb_flush_all(void)
{
	uint64_t cr4 = read_cr4();
	if (cr4 & X86_CR4_PGE) {
		write_cr4(cr4 & ~X86_CR4_PGE);
		write_cr4(cr4);
	} else {
		write_cr3(read_cr3());
	}
}

/* Halt forever with interrupts off. */
void cpu_halt_forever(void)
{
	for (;;) {
		cli();
		hlt();
	}
}
