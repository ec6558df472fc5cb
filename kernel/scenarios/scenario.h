/*
 * Scenarios: what the kernel does after boot, selected by scenario=NAME. Each one
 * lives in its own file and lists the bug= switches it understands.
 */
#ifndef KERNEL_SCENARIOS_SCENARIO_H
#define KERNEL_SCENARIOS_SCENARIO_H

#define SCENARIO_MAX_BUGS 8

struct scenario {
	const char *name;
	const char *summary;
	const char *bugs[SCENARIO_MAX_BUGS]; /* NULL-terminated */
	void (*run)(void);                   /* sets up, calls scenario_ready() */
};

extern const struct scenario scenario_default;
extern const struct scenario scenario_selftest;
extern const struct scenario scenario_bench;

/* Find the scenario named on the command line and check its bug names; prints the
 * valid names and panics when either is unknown. */
const struct scenario *scenario_select(const char *name);
/* Print "ptdbg: ready" (once), set the region's READY flag, and idle forever. */
__attribute__((noreturn)) void scenario_ready(void);

#endif
