/* Leaving QEMU with a status: semihosting SYS_EXIT (scripts/vm enables
 * semihosting for AArch64 guests), QEMU exits with the code given. */
#include <stdint.h>

#include "arch/aarch64/cpu.h"
#include "drivers/qemu_exit.h"

#define SEMIHOST_SYS_EXIT            0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

/* QEMU_EXIT_PASS exits with 0, anything else with 1. */
void qemu_exit(unsigned code)
{
	static uint64_t block[2];
	block[0] = ADP_STOPPED_APPLICATION_EXIT;
	block[1] = code == QEMU_EXIT_PASS ? 0 : 1;
	register uint64_t x0 __asm__("x0") = SEMIHOST_SYS_EXIT;
	register uint64_t x1 __asm__("x1") = (uint64_t)block;
	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	cpu_halt_forever();
}
