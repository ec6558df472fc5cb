/* Leaving QEMU with a status: semihosting SYS_EXIT (scripts/vm enables semihosting
 * for AArch64 guests; QEMU exits with the code given), and when semihosting is off
 * -- the HLT is then an undefined instruction, which trap.c turns into a call to
 * qemu_exit_fallback() -- PSCI SYSTEM_OFF, which stops QEMU with status 0 whatever
 * the result (the console says which). */
#include <stdint.h>

#include "arch/aarch64/cpu.h"
#include "drivers/qemu_exit.h"
#include "lib/printf.h"

#define SEMIHOST_SYS_EXIT            0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026
#define PSCI_SYSTEM_OFF              0x84000008u

int a64_psci_smc;          /* the device tree's /psci method: 1 "smc", 0 "hvc" (setup.c) */
extern char semihost_insn[];

/* PSCI SYSTEM_OFF through the conduit the device tree names. */
__attribute__((noreturn)) void qemu_exit_fallback(void)
{
	kprintf("ptdbg: semihosting is off: PSCI SYSTEM_OFF through %s\n", a64_psci_smc ? "smc" : "hvc");
	register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;
	if (a64_psci_smc)
		__asm__ volatile("smc #0" : "+r"(x0) :: "memory");
	else
		__asm__ volatile("hvc #0" : "+r"(x0) :: "memory");
	cpu_halt_forever();
}

/* Whether pc is the semihosting call (trap.c: its undefined-instruction fault
 * means semihosting is off). */
int qemu_exit_is_semihost_pc(uint64_t pc)
{
	return pc == (uint64_t)semihost_insn;
}

/* QEMU_EXIT_PASS exits with 0, anything else with 1. */
void qemu_exit(unsigned code)
{
	static uint64_t block[2];
	block[0] = ADP_STOPPED_APPLICATION_EXIT;
	block[1] = code == QEMU_EXIT_PASS ? 0 : 1;
	register uint64_t x0 __asm__("x0") = SEMIHOST_SYS_EXIT;
	register uint64_t x1 __asm__("x1") = (uint64_t)block;
	__asm__ volatile(".globl semihost_insn\nsemihost_insn: hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	cpu_halt_forever();
}
