/* wronly: maps anonymous memory with PROT_WRITE alone and writes to it, then makes a
 * read-write page write-only with mprotect and writes again (shared/BUGS.md section
 * 2). On x86 PROT_WRITE implies PROT_READ, so both writes succeed and it pauses. */
#include "ulib.h"

int main(void)
{
	print("wronly: mmap(PROT_WRITE) of 2 pages\n");
	volatile uint8_t *w = mmap(0, 2 * 4096, PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	if (mmap_failed((void *)w))
		return 1;
	print_hex("wronly: write-only area at ", (uint64_t)w);
	w[0] = 1;
	w[4096] = 2;
	print("wronly: wrote to both pages\n");

	volatile uint8_t *m = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	if (mmap_failed((void *)m))
		return 2;
	m[0] = 3;
	if (mprotect((void *)m, 4096, PROT_WRITE))
		return 3;
	m[8] = 4;
	print_hex("wronly: mprotect(PROT_WRITE) then wrote to ", (uint64_t)m);
	print("wronly: done, pausing\n");
	pause();
	return 0;
}
