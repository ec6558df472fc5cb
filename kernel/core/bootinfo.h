/* What the boot protocol told the kernel, copied early: PVH hvm_start_info on x86-64
 * (core/bootinfo.c), the device tree on AArch64 (arch/aarch64/setup.c). */
#ifndef KERNEL_CORE_BOOTINFO_H
#define KERNEL_CORE_BOOTINFO_H

#include <stdint.h>

#define BOOT_MAX_RANGES 64
#define BOOT_CMDLINE_MAX 512

/* e820 / hvm_memmap types. */
enum { MEM_RAM = 1, MEM_RESERVED = 2, MEM_ACPI = 3, MEM_NVS = 4, MEM_UNUSABLE = 5 };

struct mem_range {
	uint64_t base, size;
	uint32_t type;
};

struct boot_info {
	char cmdline[BOOT_CMDLINE_MAX];
	struct mem_range ranges[BOOT_MAX_RANGES]; /* sorted by base */
	int nranges;
	uint64_t rsdp_phys;   /* ACPI RSDP from the loader (0: scan for it) */
	uint64_t ram_bytes;   /* sum of MEM_RAM ranges */
	uint64_t max_ram_end; /* end of the highest MEM_RAM range */
	int la57;             /* boot.S enabled 5-level paging */
};

extern struct boot_info boot_info;

/* Copy the command line and memory map out of hvm_start_info at start_info_phys
 * (reachable through the early linear map). Panics on a bad magic or no map. */
void bootinfo_parse(uint64_t start_info_phys, int la57);
/* Name of a memory-range type. */
const char *mem_type_name(uint32_t type);

#endif
