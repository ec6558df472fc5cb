/* User library: process entry, system calls, printing. */
#include "ulib.h"

/* The program's main (ulib.h), given the kernel's argument as a C runtime gives
 * argc: a main(void) ignores it. */
int main(uint64_t arg);

/* Process entry: run main with the argument the kernel left in x0 / rdi and exit
 * with its result. */
__attribute__((section(".text.start"), used)) void _start(uint64_t arg)
{
	exit(main(arg));
}

#if defined(__aarch64__)
/* svc #0 with up to four arguments. */
long syscall4(long nr, long a, long b, long c, long d)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
	return x0;
}
#else
/* int 0x80 with up to four arguments. */
long syscall4(long nr, long a, long b, long c, long d)
{
	long ret;
	register long r10 __asm__("r10") = d;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10) : "memory");
	return ret;
}
#endif

/* Exit the process. */
void exit(int code)
{
	syscall4(SYS_exit, code, 0, 0, 0);
	for (;;)
		;
}

/* Write a NUL-terminated string to the console. */
void print(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	write(1, s, n);
}

/* Write "label0x<hex>\n". */
void print_hex(const char *label, uint64_t v)
{
	char buf[20];
	int i = 19;
	buf[i] = '\n';
	do {
		buf[--i] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	buf[--i] = 'x';
	buf[--i] = '0';
	print(label);
	write(1, buf + i, (size_t)(20 - i));
}
