/* bench: runs in the address space the bench scenario filled with over a million
 * pages; reads a few of them and pauses. */
#include "ulib.h"

#define BENCH_BASE USER_BENCH_BASE /* kernel/scenarios/bench.c maps it */

int main(void)
{
	volatile uint64_t *p = (volatile uint64_t *)BENCH_BASE;
	uint64_t sum = 0;
	for (uint64_t i = 0; i < (1ull << 20); i += 65536)
		sum += p[i * 512];
	print_hex("bench: sampled ", sum);
	print("bench: pausing\n");
	pause();
	return 0;
}
