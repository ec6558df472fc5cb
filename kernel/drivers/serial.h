/* The console: COM1 (0x3f8) on x86-64 (serial.c), the PL011 on AArch64 (pl011.c). */
#ifndef KERNEL_DRIVERS_SERIAL_H
#define KERNEL_DRIVERS_SERIAL_H

#include <stddef.h>

/* Program COM1 for 115200 8N1, FIFO on. */
void serial_init(void);
/* Write a NUL-terminated string as is. */
void serial_write(const char *s);
/* Write n bytes as given. */
void serial_write_n(const char *s, size_t n);
/* AArch64: reach the UART at va from now on (its untracked-window mapping). */
void serial_set_base(volatile void *va);

#endif
