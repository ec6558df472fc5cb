/* panic(): the one way the kernel stops on an unrecoverable error. */
#include <stdarg.h>
#include <stdint.h>

#include "arch/cpu.h"
#include "debug/panic.h"
#include "debug/region.h"
#include "lib/printf.h"

static int panicking;

/* Print and record the message, then halt with interrupts off (gdb can attach). */
void panic_at(const char *file, int line, const char *fmt, ...)
{
	cpu_irq_disable();
	uint64_t rip = (uint64_t)__builtin_return_address(0);
	if (panicking++) {
		kprintf("ptdbg: panic while panicking at %s:%d\n", file, line);
		cpu_halt_forever();
	}
	char msg[192];
	va_list ap;
	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kprintf("ptdbg: panic: %s at %s:%d\n", msg, file, line);
	region_set_panic(msg, file, (uint32_t)line, rip);
	cpu_halt_forever();
}
