/* The probe fixup lookup used by the page-fault handler. */
#include "arch/x86_64/probe.h"

extern char probe_read_insn[], probe_write_insn[], probe_fixup[];

/* Fixup address for a faulting probe instruction, 0 if rip is not one. */
uint64_t probe_fixup_for(uint64_t rip)
{
	if (rip == (uint64_t)probe_read_insn || rip == (uint64_t)probe_write_insn)
		return (uint64_t)probe_fixup;
	return 0;
}
