/*
 * hihalf (AArch64): the seed's high-half boot (shared/BUGS.md section 4), stage by
 * stage, then proof that each stage's promise holds: the kernel runs from its
 * high-half alias through the page-table module's tables, and the low identity
 * alias of the image is gone from TTBR0.
 *
 * bug=no-identity-map: boot.S turns the MMU on without the identity mapping of the
 * code that does it, as the seed's first attempt did. The very next fetch faults
 * (instruction abort, translation fault at level 1); VBAR_EL1 already holds the
 * high-half vectors, so the abort is reported on the console and in the region,
 * and the CPU halts with ESR_EL1, FAR_EL1 and ELR_EL1 as the fault left them. This
 * file never runs in that case: the switch is read by boot.S from the bootargs.
 */
#include "arch/aarch64/cpu.h"
#include "arch/aarch64/probe.h"
#include "debug/panic.h"
#include "lib/printf.h"
#include "mm/kspace.h"
#include "mm/layout.h"
#include "mm/pt.h"
#include "scenarios/scenario.h"

extern char _start[];

static void run(void)
{
	uint64_t text_pa = kimage_phys(__text_start);
	uint64_t pte;
	uint64_t pa = pt_translate(&kernel_space, (uint64_t)_start, &pte);
	if (pa != kimage_phys(_start))
		panic("hihalf: _start 0x%lx translates to 0x%lx, not 0x%lx", (uint64_t)_start, pa,
		      kimage_phys(_start));
	kprintf("ptdbg: hihalf: _start is 0x%lx in the high half, physical 0x%lx (descriptor 0x%lx)\n",
		(uint64_t)_start, pa, pte);
	uint64_t v;
	if (probe_read_u64((const void *)text_pa, &v) == 0)
		panic("hihalf: the identity alias 0x%lx of the kernel text is still mapped", text_pa);
	kprintf("ptdbg: hihalf: the identity alias 0x%lx of the text faults now (TTBR0_EL1 0x%lx)\n",
		text_pa, read_sysreg(ttbr0_el1));
}

const struct scenario scenario_hihalf = {
	.name = "hihalf",
	.summary = "the seed's high-half boot in stages (AArch64)",
	.bugs = { "no-identity-map", 0 },
	.run = run,
};
