/* kmain: the boot sequence, from the PVH stub to the selected scenario. */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/trap.h"
#include "core/bootinfo.h"
#include "core/cmdline.h"
#include "debug/panic.h"
#include "debug/region.h"
#include "drivers/apic.h"
#include "drivers/serial.h"
#include "lib/printf.h"
#include "mm/frame.h"
#include "mm/kspace.h"
#include "mm/layout.h"
#include "scenarios/scenario.h"

void kmain(uint32_t start_info_phys, uint32_t la57);

/* Entered from boot.S on the boot stack, early page tables loaded. */
void kmain(uint32_t start_info_phys, uint32_t la57)
{
	serial_init();
	gdt_init();
	idt_init();
	bootinfo_parse(start_info_phys, (int)la57);
	cmdline_parse(boot_info.cmdline);
	region_init(kopts.ptdbg_on);
	kprintf("ptdbg: kernel booting, scenario=%s bug=%s mem=%lu MiB paging=%d\n",
		kopts.scenario, bugs_string(), (boot_info.ram_bytes + (1 << 20) - 1) >> 20, kopts.paging);
	cpu_init();
	if (kopts.paging == 5 && !la57)
		panic("paging=5 requested but the CPU has no LA57 (CPUID.7.0:ECX[16]=%d); use -cpu max", cpu_features.la57);
	if (kopts.paging == 4 && la57)
		panic("5-level paging active without paging=5");
	const struct scenario *sc = scenario_select(kopts.scenario);
	for (int i = 0; i < boot_info.nranges; i++)
		kprintf("ptdbg: mem [0x%012lx-0x%012lx) %s\n", boot_info.ranges[i].base,
			boot_info.ranges[i].base + boot_info.ranges[i].size,
			mem_type_name(boot_info.ranges[i].type));
	kprintf("ptdbg: acpi rsdp at 0x%lx (from the boot loader; 0: none given)\n", boot_info.rsdp_phys);
	frames_init();
	kspace_init();
	kprintf("ptdbg: paging: %d levels, maxphyaddr %u, nx %d, pdpe1gb %d, smep %d, smap %d, "
		"pat 0x%016lx, cr3 0x%lx\n", kopts.paging, cpu_features.maxphyaddr, cpu_features.nx,
		cpu_features.pdpe1gb, cpu_features.smep, cpu_features.smap, cpu_pat(), read_cr3());
	apic_init();
	kprintf("ptdbg: region at 0x%lx (%s)\n", kimage_phys(&ptdbg_region),
		region_enabled() ? "exported" : "off");
	sc->run();
	scenario_ready();
}
