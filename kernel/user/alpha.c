/* alpha: a healthy process with read-write, read-only, read-execute and fixed
 * mappings, touched so that demand paging fills them, then it pauses. Resumed, it
 * changes its mappings once (map, protect, unmap) and pauses again; resumed again,
 * it exits. */
#include "ulib.h"

/* One page in every granule the kernel may use (AArch64: up to 64 KiB). */
#define PG UPAGE

static const char greeting[] = "alpha: started\n"; /* rodata */
static volatile uint64_t counter = 7;              /* data */
static uint8_t scratch[3 * PG];                  /* bss */

/* Use a few pages of stack (demand paging below the initial stack page). */
static uint64_t deep(int n)
{
	volatile uint8_t frame[1500];
	frame[0] = (uint8_t)n;
	frame[sizeof(frame) - 1] = (uint8_t)n;
	return n ? deep(n - 1) + frame[0] : frame[sizeof(frame) - 1];
}

int main(void)
{
	print(greeting);
	counter++;
	for (unsigned i = 0; i < sizeof(scratch); i += PG)
		scratch[i] = 1;

	uint8_t *rw = mmap(0, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	if (mmap_failed(rw))
		return 1;
	for (int i = 0; i < 8; i++)
		rw[i * PG] = (uint8_t)i;
	munmap(rw + 6 * PG, PG); /* a hole in the middle */

	uint8_t *ro = mmap(0, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	ro[0] = 0x11;
	ro[PG] = 0x22;
	mprotect(ro, 2 * PG, PROT_READ);

	/* code written through a writable mapping, then made read-execute */
	uint8_t *code = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
#if defined(__aarch64__)
	static const uint8_t ret42[] = { 0x40, 0x05, 0x80, 0x52, 0xc0, 0x03, 0x5f, 0xd6 }; /* mov w0,#42; ret */
#else
	static const uint8_t ret42[] = { 0xb8, 42, 0, 0, 0, 0xc3 }; /* mov $42,%eax; ret */
#endif
	for (unsigned i = 0; i < sizeof(ret42); i++)
		code[i] = ret42[i];
	mprotect(code, PG, PROT_READ | PROT_EXEC);
	int (*fn)(void) = (int (*)(void))(void *)code;
	if (fn() != 42)
		return 2;

	uint8_t *fixed = mmap((void *)0x500000000ull, 16 * PG, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
	if (fixed != (uint8_t *)0x500000000ull)
		return 3;
	fixed[0] = 1;
	fixed[5 * PG] = 2;
	fixed[15 * PG] = 3;
	(void)deep(6);

	print_hex("alpha: rw at ", (uint64_t)rw);
	print_hex("alpha: ro at ", (uint64_t)ro);
	print_hex("alpha: rx at ", (uint64_t)code);
	print("alpha: mappings ready, pausing\n");
	pause();

	/* Second phase (the default scenario's step 1): three new read-write pages,
	 * touched; one present read-write page made read-only; one page unmapped. */
	uint8_t *more = mmap(0, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	if (mmap_failed(more))
		return 4;
	for (int i = 0; i < 3; i++)
		more[i * PG] = (uint8_t)(0x30 + i);
	if (mprotect(rw + PG, PG, PROT_READ) || munmap(fixed + 5 * PG, PG))
		return 5;
	print_hex("alpha: step: mapped 3 rw pages at ", (uint64_t)more);
	print_hex("alpha: step: made read-only the page at ", (uint64_t)(rw + PG));
	print_hex("alpha: step: unmapped the page at ", (uint64_t)(fixed + 5 * PG));
	print("alpha: step done, pausing\n");
	pause();
	print("alpha: resumed, exiting\n");
	return 0;
}
