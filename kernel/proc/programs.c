/* The table of embedded user programs. */
#include "lib/string.h"
#include "proc/programs.h"

#define PROGRAM(n) extern const uint8_t program_##n##_start[], program_##n##_end[];
PROGRAM(alpha)
PROGRAM(beta)
PROGRAM(bench)
PROGRAM(crash)
PROGRAM(wronly)
PROGRAM(attack)
#undef PROGRAM

#define PROGRAM(n) { #n, program_##n##_start, program_##n##_end },
static const struct program programs[] = {
	PROGRAM(alpha)
	PROGRAM(beta)
	PROGRAM(bench)
	PROGRAM(crash)
	PROGRAM(wronly)
	PROGRAM(attack)
};
#undef PROGRAM

/* Look a program up by name. */
const struct program *program_find(const char *name)
{
	for (unsigned i = 0; i < sizeof(programs) / sizeof(programs[0]); i++)
		if (!strcmp(programs[i].name, name))
			return &programs[i];
	return 0;
}
