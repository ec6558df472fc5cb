/* Polled 16550 UART at COM1. */
#include "arch/x86_64/cpu.h"
#include "drivers/serial.h"

#define COM1 0x3f8

/* Program COM1: 115200 baud, 8N1, FIFOs enabled, interrupts off. */
void serial_init(void)
{
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x80);
	outb(COM1 + 0, 0x01);
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);
	outb(COM1 + 2, 0xc7);
	outb(COM1 + 4, 0x03);
}

static void serial_putc(char c)
{
	while (!(inb(COM1 + 5) & 0x20))
		;
	outb(COM1, (uint8_t)c);
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
