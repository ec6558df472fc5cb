/* The user programs embedded in the kernel image (built from the C files in kernel/user). */
#ifndef KERNEL_PROC_PROGRAMS_H
#define KERNEL_PROC_PROGRAMS_H

#include <stdint.h>

struct program {
	const char *name;
	const uint8_t *start, *end; /* the ELF file */
};

/* The embedded program called name, or NULL. */
const struct program *program_find(const char *name);

#endif
