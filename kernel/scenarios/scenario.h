/*
 * Scenarios: what the kernel does after boot, selected by scenario=NAME. Each one
 * lives in its own file and lists the bug= switches it understands.
 */
#ifndef KERNEL_SCENARIOS_SCENARIO_H
#define KERNEL_SCENARIOS_SCENARIO_H

/* Bug names one scenario understands, the terminating NULL included (a boot takes
 * at most CMDLINE_MAX_BUGS of them at once). */
#define SCENARIO_MAX_BUGS 12

struct scenario {
	const char *name;
	const char *summary;
	const char *bugs[SCENARIO_MAX_BUGS]; /* NULL-terminated */
	void (*run)(void);                   /* sets up, calls scenario_ready() */
	/* Optional: apply test step n (1, 2, ...) after ready; prints what it changed.
	 * Returns 0, or -1 when the scenario has no step n. */
	int (*step)(unsigned n);
};

extern const struct scenario scenario_default;
extern const struct scenario scenario_selftest;
extern const struct scenario scenario_bench;
extern const struct scenario scenario_wronly;
extern const struct scenario scenario_untracked_pt;
extern const struct scenario scenario_dma;
extern const struct scenario scenario_dma_high;
extern const struct scenario scenario_dma_fault;
extern const struct scenario scenario_corrupt;
extern const struct scenario scenario_attack;
extern const struct scenario scenario_hihalf;

/* Find the scenario named on the command line and check its bug names; prints the
 * valid names and panics when either is unknown. */
const struct scenario *scenario_select(const char *name);
/* Print "ptdbg: ready" and set the region's READY flag, the first time only. For
 * scenarios whose ready point is reached while a process runs (from the tick). */
void scenario_announce_ready(void);
/* Announce readiness (once) and idle forever: interrupts on, the periodic tick
 * running, steps served as tests request them (ptdbg_step_request). */
__attribute__((noreturn)) void scenario_ready(void);

/* Steps requested by a debugger (it writes the symbol) and steps done so far. */
extern volatile uint32_t ptdbg_step_request;
extern volatile uint32_t ptdbg_step_done;

#endif
