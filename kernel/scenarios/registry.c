/* The table of scenarios, selection, the common "ready" ending and the idle loop
 * that serves test steps. */
#include "arch/cpu.h"
#include "arch/timer.h"
#include "core/cmdline.h"
#include "debug/panic.h"
#include "debug/region.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "scenarios/scenario.h"

static const struct scenario *const scenarios[] = {
#if defined(__aarch64__)
	&scenario_default,
	&scenario_selftest,
	&scenario_bench,
	&scenario_wronly,
	&scenario_untracked_pt,
	&scenario_dma,
	&scenario_dma_high,
	&scenario_dma_fault,
	&scenario_corrupt,
	&scenario_attack,
	&scenario_hihalf,
	&scenario_access,
#else
	&scenario_default,
	&scenario_selftest,
	&scenario_bench,
	&scenario_wronly,
	&scenario_untracked_pt,
	&scenario_dma,
	&scenario_dma_high,
	&scenario_dma_fault,
	&scenario_corrupt,
	&scenario_attack,
	&scenario_access,
#endif
};
#define NSCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

static const struct scenario *selected; /* by scenario_select() */

static void list_scenarios(void)
{
	kprintf("ptdbg: valid scenarios:\n");
	for (unsigned i = 0; i < NSCENARIOS; i++) {
		kprintf("ptdbg:   %-10s %s; bugs:", scenarios[i]->name, scenarios[i]->summary);
		if (!scenarios[i]->bugs[0])
			kprintf(" (none)");
		for (int b = 0; scenarios[i]->bugs[b]; b++)
			kprintf(" %s", scenarios[i]->bugs[b]);
		kprintf("\n");
	}
}

/* Select a scenario and validate the bug switches. */
const struct scenario *scenario_select(const char *name)
{
	const struct scenario *s = 0;
	for (unsigned i = 0; i < NSCENARIOS; i++)
		if (!strcmp(scenarios[i]->name, name))
			s = scenarios[i];
	if (!s) {
		list_scenarios();
		panic("unknown scenario '%s'", name);
	}
	for (int i = 0; i < kopts.nbugs; i++) {
		int ok = 0;
		for (int b = 0; s->bugs[b]; b++)
			ok |= !strcmp(s->bugs[b], kopts.bugs[i]);
		if (!ok) {
			list_scenarios();
			panic("unknown bug '%s' for scenario '%s'", kopts.bugs[i], name);
		}
	}
	selected = s;
	return s;
}

/* Written by a debugger while the VM is stopped: the number of steps it wants done.
 * Exported symbols, not static, so that gdb finds them by name. */
volatile uint32_t ptdbg_step_request;
volatile uint32_t ptdbg_step_done;


/* Print "ptdbg: ready" and set the READY flag, once. */
void scenario_announce_ready(void)
{
	static int announced;
	if (!announced++) {
		region_set_ready();
		kprintf("ptdbg: ready\n");
	}
}

/* Run every requested step not done yet, in order. */
static void run_pending_steps(void)
{
	while (ptdbg_step_done < ptdbg_step_request) {
		unsigned n = ptdbg_step_done + 1;
		int err = selected && selected->step ? selected->step(n) : -1;
		if (err)
			kprintf("ptdbg: step %u done: nothing to change (scenario %s has no step %u)\n",
				n, selected ? selected->name : "?", n);
		else
			kprintf("ptdbg: step %u done\n", n);
		ptdbg_step_done = n;
	}
}

/* Announce readiness once, then idle: sleep until the next tick and serve steps. */
void scenario_ready(void)
{
	scenario_announce_ready();
	timer_start();
	for (;;) {
		run_pending_steps();
		cpu_wait_interrupt();
	}
}
