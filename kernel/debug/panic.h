/* The panic path: print, record in the debug region, halt (still attachable). */
#ifndef KERNEL_DEBUG_PANIC_H
#define KERNEL_DEBUG_PANIC_H

/* Print "ptdbg: panic: MESSAGE at FILE:LINE", record it, and halt forever. */
__attribute__((noreturn, format(printf, 3, 4)))
void panic_at(const char *file, int line, const char *fmt, ...);

#define panic(...) panic_at(__FILE__, __LINE__, __VA_ARGS__)
#define KASSERT(c) do { if (!(c)) panic("assertion failed: %s", #c); } while (0)

#endif
