/* The user-side library: system-call wrappers and a few output functions. */
#ifndef USER_ULIB_H
#define USER_ULIB_H

#include <stddef.h>
#include <stdint.h>

#include "uapi/syscall.h"

/* A size that is a whole number of pages whatever the granule (x86-64: 4 KiB;
 * AArch64: 64 KiB, a multiple of 4, 16 and 64 KiB). */
#if defined(__aarch64__)
#define UPAGE 65536
#else
#define UPAGE 4096
#endif

/* Raw system call (see uapi/syscall.h for the ABI). */
long syscall4(long nr, long a, long b, long c, long d);

static inline long write(int fd, const void *buf, size_t len) { return syscall4(SYS_write, fd, (long)buf, (long)len, 0); }
static inline void *mmap(void *addr, size_t len, int prot, int flags) { return (void *)syscall4(SYS_mmap, (long)addr, (long)len, prot, flags); }
static inline long munmap(void *addr, size_t len) { return syscall4(SYS_munmap, (long)addr, (long)len, 0, 0); }
static inline long mprotect(void *addr, size_t len, int prot) { return syscall4(SYS_mprotect, (long)addr, (long)len, prot, 0); }
static inline long pause(void) { return syscall4(SYS_pause, 0, 0, 0, 0); }
__attribute__((noreturn)) void exit(int code);

/* An mmap result that is a negative errno. */
static inline int mmap_failed(void *p) { return (long)p < 0 && (long)p > -4096; }

/* Print a string / a string and a hex number and a newline. */
void print(const char *s);
void print_hex(const char *label, uint64_t v);

/* Each program defines `int main(void)`, or `int main(uint64_t arg)` to get the
 * argument its scenario started it with (the kernel's arch_set_user_arg(): x0 / rdi
 * at entry, 0 if unset); _start calls it and exits with its return value. */

#endif
