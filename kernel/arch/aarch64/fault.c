/* Exceptions from EL0: system calls, and aborts served by demand paging (mm/uspace.c)
 * or ending the process. Every abort goes to the fault log (mm/fault.h) with FAR_EL1,
 * ELR_EL1, ESR_EL1 and TTBR0_EL1. */
#include "arch/aarch64/cpu.h"
#include "arch/aarch64/trap.h"
#include "lib/printf.h"
#include "mm/fault.h"
#include "mm/uspace.h"
#include "proc/process.h"
#include "proc/syscall.h"
#include "ptdbg/abi.h"

int a64_user_trap(struct trap_frame *tf);

/* The uspace access bits of an abort. */
static uint32_t access_of(uint64_t esr)
{
	unsigned ec = arm64_esr_ec(esr);
	uint32_t a = UFAULT_USER;
	if (ec == ARM64_EC_IABT_LOW)
		a |= UFAULT_EXEC;
	else if ((esr & ARM64_ISS_WNR) && !(esr & ARM64_ISS_CM))
		a |= UFAULT_WRITE;
	return a;
}

/* Serve an exception taken from EL0; 0 if there is no process to blame. */
int a64_user_trap(struct trap_frame *tf)
{
	struct process *p = proc_current();
	if (!p)
		return 0;
	unsigned ec = arm64_esr_ec(tf->esr);
	if (ec == ARM64_EC_SVC64) {
		syscall_dispatch(tf);
		return 1;
	}
	if (ec == ARM64_EC_DABT_LOW || ec == ARM64_EC_IABT_LOW) {
		uint64_t va = tf->far;
		uint32_t access = access_of(tf->esr);
		unsigned fsc = (unsigned)(tf->esr & ARM64_ISS_FSC_MASK);
		const char *why = "?";
		enum uspace_fault_result r = uspace_fault(&p->us, va, access, &why);
		uint64_t root = read_sysreg(ttbr0_el1);
		if (r != UFAULT_BAD) {
			fault_record(va, tf->elr, tf->esr, root, &p->us.pt, p->us.pt.owner,
				     r == UFAULT_MAPPED ? PTDBG_FAULT_MAPPED : PTDBG_FAULT_HANDLED);
			return 1;
		}
		fault_record(va, tf->elr, tf->esr, root, &p->us.pt, p->us.pt.owner, PTDBG_FAULT_KILLED);
		proc_kill_current("%s at 0x%lx (%s, level %d%s%s): %s, pc 0x%lx, ESR_EL1 0x%lx",
				  esr_class_name(ec), va, fsc_name(fsc), arm64_fsc_level(fsc),
				  access & UFAULT_WRITE ? ", write" : "", access & UFAULT_EXEC ? ", exec" : "",
				  why, tf->elr, tf->esr);
	}
	trap_report(tf);
	proc_kill_current("%s (EC 0x%02x) at pc 0x%lx", esr_class_name(ec), ec, tf->elr);
}
