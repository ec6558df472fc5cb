/*
 * The system-call ABI shared by the kernel and the user programs (kernel/user/).
 *
 * Entry, x86-64: `int $0x80`. Number in rax; arguments in rdi, rsi, rdx, r10, r8,
 * r9; result in rax. AArch64: `svc #0`. Number in x8; arguments in x0..x5; result
 * in x0. The result is a negative errno on failure (Linux values). Other registers
 * are preserved.
 *
 *   write(fd, buf, len)          fd 1 or 2: the serial console; returns len
 *   exit(code)                   does not return
 *   mmap(addr, len, prot, flags) MAP_ANONYMOUS required; MAP_FIXED honours addr
 *                                (replacing what was there); returns the address
 *   munmap(addr, len)
 *   mprotect(addr, len, prot)    the range must be mapped
 *   pause()                      return to the kernel, keeping the address space;
 *                                returns 0 when the kernel runs the process again
 *
 * PROT_WRITE implies PROT_READ (neither x86 nor AArch64 has write-only pages). PROT_NONE pages are
 * unmapped (their contents are lost). Pages are mapped on first touch.
 */
#ifndef PTDBG_UAPI_SYSCALL_H
#define PTDBG_UAPI_SYSCALL_H

#define SYS_write     1
#define SYS_exit      2
#define SYS_mmap      3
#define SYS_munmap    4
#define SYS_mprotect  5
#define SYS_pause     6

#define PROT_NONE     0x0
#define PROT_READ     0x1
#define PROT_WRITE    0x2
#define PROT_EXEC     0x4

#define MAP_PRIVATE   0x02
#define MAP_FIXED     0x10
#define MAP_ANONYMOUS 0x20

/* User address-space layout. */
#define USER_IMAGE_BASE   0x0000000000400000ull /* programs are linked here */
#define USER_MMAP_BASE    0x0000000100000000ull /* mmap without MAP_FIXED searches upward from here */
#if defined(__aarch64__)
#define USER_STACK_TOP    0x0000000f00000000ull /* inside a 36-bit TTBR0 space */
#define USER_BENCH_BASE   0x0000000800000000ull /* 32 GiB: the bench scenario's pages */
#define USER_BENCH_HIGH   0x0000001000000000ull /* 64 GiB: bench=16m's, past the stack (va_bits >= 39) */
#else
#define USER_STACK_TOP    0x00007fff00000000ull
#define USER_BENCH_BASE   0x0000010000000000ull /* 1 TiB: the bench scenario's pages */
#endif
#define USER_STACK_SIZE   0x0000000000010000ull /* 64 KiB, one guard page below */

#endif
