/* x86-64 side of the kernel address space: its geometry, loading CR3. */
#include "arch/x86_64/cpu.h"
#include "core/bootinfo.h"
#include "debug/region.h"
#include "mm/kspace.h"

/* 4 or 5 levels as boot.S chose, 4 KiB granule, 48 or 57 bits. */
void arch_kspace_geometry(uint32_t *levels, uint32_t *gshift, uint32_t *va_bits)
{
	*levels = boot_info.la57 ? 5 : 4;
	*gshift = 12;
	*va_bits = 12 + 9 * *levels;
}

/* Load CR3 and record the paging state. */
void arch_kspace_load(const struct pt_space *s)
{
	write_cr3(s->root);
	tlb_flush_all();
	struct ptdbg_cpu cpu = {
		.paging_levels = s->levels,
		.maxphyaddr = cpu_features.maxphyaddr,
		.linaddr_bits = cpu_features.linaddr_bits,
		.pat = cpu_pat(),
		.cr0 = read_cr0(),
		.cr3 = read_cr3(),
		.cr4 = read_cr4(),
		.efer = rdmsr(MSR_EFER),
	};
	region_set_cpu(&cpu);
}
