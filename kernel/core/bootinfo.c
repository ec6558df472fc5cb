/* PVH boot information: command line and memory map. */
#include "core/bootinfo.h"
#include "debug/panic.h"
#include "lib/string.h"
#include "mm/layout.h"

#define HVM_START_MAGIC 0x336ec578u

struct hvm_start_info {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr;
	uint64_t memmap_paddr; /* version >= 1 */
	uint32_t memmap_entries, reserved;
};

struct hvm_memmap_entry {
	uint64_t addr, size;
	uint32_t type, reserved;
};

struct boot_info boot_info;

/* Copy the command line and sorted memory map; compute RAM totals. */
void bootinfo_parse(uint64_t start_info_phys, int la57)
{
	const struct hvm_start_info *si = phys_to_virt(start_info_phys);
	boot_info.la57 = la57;
	if (si->magic != HVM_START_MAGIC)
		panic("bad hvm_start_info magic 0x%x at 0x%lx", si->magic, start_info_phys);
	if (si->cmdline_paddr)
		strlcpy_k(boot_info.cmdline, phys_to_virt(si->cmdline_paddr), BOOT_CMDLINE_MAX);
	boot_info.rsdp_phys = si->rsdp_paddr;
	if (si->version < 1 || !si->memmap_paddr || !si->memmap_entries)
		panic("hvm_start_info version %u has no memory map", si->version);
	const struct hvm_memmap_entry *e = phys_to_virt(si->memmap_paddr);
	for (uint32_t i = 0; i < si->memmap_entries && boot_info.nranges < BOOT_MAX_RANGES; i++) {
		if (!e[i].size)
			continue;
		struct mem_range r = { e[i].addr, e[i].size, e[i].type };
		int j = boot_info.nranges++;
		while (j > 0 && boot_info.ranges[j - 1].base > r.base) {
			boot_info.ranges[j] = boot_info.ranges[j - 1];
			j--;
		}
		boot_info.ranges[j] = r;
	}
	for (int i = 0; i < boot_info.nranges; i++) {
		const struct mem_range *r = &boot_info.ranges[i];
		if (r->type != MEM_RAM)
			continue;
		boot_info.ram_bytes += r->size;
		if (r->base + r->size > boot_info.max_ram_end)
			boot_info.max_ram_end = r->base + r->size;
	}
	if (!boot_info.ram_bytes)
		panic("memory map has no RAM");
}

/* Printable name of a memory type. */
const char *mem_type_name(uint32_t type)
{
	switch (type) {
	case MEM_RAM: return "ram";
	case MEM_RESERVED: return "reserved";
	case MEM_ACPI: return "acpi";
	case MEM_NVS: return "acpi-nvs";
	case MEM_UNUSABLE: return "unusable";
	default: return "unknown";
	}
}
