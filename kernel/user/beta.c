/* beta: a second healthy process: a larger sparse read-write area and a read-only
 * area, then it pauses. */
#include "ulib.h"

int main(void)
{
	print("beta: started\n");
	uint8_t *big = mmap(0, 64 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	if (mmap_failed(big))
		return 1;
	for (int i = 0; i < 64; i += 2)
		big[i * 4096] = (uint8_t)i;
	uint8_t *table = mmap(0, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	for (int i = 0; i < 4 * 4096; i += 512)
		table[i] = (uint8_t)(i >> 9);
	mprotect(table, 4 * 4096, PROT_READ);
	uint64_t sum = 0;
	for (int i = 0; i < 4 * 4096; i += 512)
		sum += table[i];
	print_hex("beta: checksum ", sum);
	print("beta: mappings ready, pausing\n");
	pause();
	print("beta: resumed, exiting\n");
	return 0;
}
