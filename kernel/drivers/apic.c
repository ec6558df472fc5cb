/* APIC mappings (see apic.h). */
#include "arch/x86_64/cpu.h"
#include "debug/panic.h"
#include "drivers/apic.h"
#include "lib/printf.h"
#include "mm/kspace.h"
#include "mm/pte.h"

volatile uint32_t *lapic_regs;
volatile uint32_t *ioapic_regs;

static uint32_t ioapic_read(uint32_t reg)
{
	ioapic_regs[0] = reg;
	return ioapic_regs[4];
}

/* Mask the PICs, map the LAPIC and IOAPIC uncached, print their versions. */
void apic_init(void)
{
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	lapic_regs = kspace_map_untracked(LAPIC_PHYS, 0x1000, PTE_CACHE_UC);
	ioapic_regs = kspace_map_untracked(IOAPIC_PHYS, 0x1000, PTE_CACHE_UC);
	if (!lapic_regs || !ioapic_regs)
		panic("cannot map the APICs");
	uint32_t lapic_id = lapic_regs[0x20 / 4] >> 24;
	uint32_t lapic_ver = lapic_regs[0x30 / 4] & 0xff;
	uint32_t ioapic_ver = ioapic_read(1);
	kprintf("ptdbg: lapic id %u version 0x%x at %p, ioapic version 0x%x (%u pins) at %p\n",
		lapic_id, lapic_ver, (void *)lapic_regs, ioapic_ver & 0xff,
		((ioapic_ver >> 16) & 0xff) + 1, (void *)ioapic_regs);
}
