/* attack: makes the one access the kernel asked for (uapi/attack.h) -- a read, a
 * write or a call to a kernel address -- which must kill it with a page fault. If
 * the access succeeds it says so and exits with code 1. */
#include "uapi/attack.h"
#include "ulib.h"

#define WRITE_PATTERN 0x4141414141414141ull

int main(void)
{
	const volatile struct attack_request *req = (const volatile struct attack_request *)ATTACK_REQUEST;
	uint64_t op = req->op, addr = req->addr;
	switch (op) {
	case ATTACK_READ:
		print_hex("attack: reading ", addr);
		print_hex("attack: read succeeded (wrong): ", *(volatile uint64_t *)addr);
		return 1;
	case ATTACK_WRITE:
		print_hex("attack: writing ", addr);
		*(volatile uint64_t *)addr = WRITE_PATTERN;
		print("attack: write succeeded (wrong)\n");
		return 1;
	case ATTACK_EXEC:
		print_hex("attack: calling ", addr);
		((void (*)(void))addr)();
		print("attack: call returned (wrong)\n");
		return 1;
	default:
		print_hex("attack: unknown request ", op);
		return 2;
	}
}
