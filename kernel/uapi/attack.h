/*
 * The request the kernel hands to the program `attack` (kernel/user/attack.c): one
 * access to make, in the 16 bytes at the top of its stack, like an argument vector.
 * The program's stack pointer starts at ATTACK_REQUEST, just below the block.
 */
#ifndef PTDBG_UAPI_ATTACK_H
#define PTDBG_UAPI_ATTACK_H

#include <stdint.h>

#include "uapi/syscall.h"

#define ATTACK_REQUEST (USER_STACK_TOP - 16) /* struct attack_request */

/* attack_request.op */
#define ATTACK_READ  1 /* load 8 bytes from addr */
#define ATTACK_WRITE 2 /* store 8 bytes to addr */
#define ATTACK_EXEC  3 /* call addr */

struct attack_request {
	uint64_t op;   /* ATTACK_* */
	uint64_t addr; /* the target, a kernel address */
};

#endif
