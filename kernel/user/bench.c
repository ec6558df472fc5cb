/* bench: runs in the address space the bench scenario filled with over a million
 * pages; reads a few of them and pauses. The scenario passes the area's base
 * (USER_BENCH_BASE, or USER_BENCH_HIGH when the area would reach the stack). */
#include "ulib.h"

int main(uint64_t base)
{
	volatile uint64_t *p = (volatile uint64_t *)base;
	uint64_t sum = 0;
	for (uint64_t i = 0; i < (1ull << 20); i += 65536)
		sum += p[i * 512];
	print_hex("bench: sampled ", sum);
	print("bench: pausing\n");
	pause();
	return 0;
}
