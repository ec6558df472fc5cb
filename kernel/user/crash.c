/* crash: writes to its own read-only text; the kernel must kill it, not panic. */
#include "ulib.h"

int main(void)
{
	print("crash: writing to read-only text\n");
	*(volatile uint8_t *)(void *)main = 0xcc;
	print("crash: still alive (wrong)\n");
	return 1;
}
