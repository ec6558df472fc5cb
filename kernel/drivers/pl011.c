/* Polled PL011 UART (QEMU virt: 0x09000000), implementing the console of
 * drivers/serial.h. Until the kernel's own tables are in, it is reached through
 * the early high alias of the peripherals (boot.S: KERNEL_VBASE + physical);
 * afterwards through its mapping in the untracked window (serial_set_base). */
#include <stdint.h>

#include "drivers/serial.h"
#include "mm/layout.h"

#define PL011_PHYS 0x09000000ull
#define UART_DR    0x00
#define UART_FR    0x18
#define FR_TXFF    (1u << 5)

static volatile uint32_t *uart = (volatile uint32_t *)(KERNEL_VBASE + PL011_PHYS);

/* QEMU's PL011 transmits without programming; nothing to set up. */
void serial_init(void)
{
}

/* Use the UART at a new virtual address. */
void serial_set_base(volatile void *va)
{
	uart = va;
}

static void serial_putc(char c)
{
	while (uart[UART_FR / 4] & FR_TXFF)
		;
	uart[UART_DR / 4] = (uint8_t)c;
}

/* Write a string as is (lines end in "\n" only, so logs grep cleanly). */
void serial_write(const char *s)
{
	for (; *s; s++)
		serial_putc(*s);
}

/* Write n raw bytes (user output). */
void serial_write_n(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		serial_putc(s[i]);
}
