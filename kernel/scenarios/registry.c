/* The table of scenarios, selection, and the common "ready" ending. */
#include "arch/x86_64/cpu.h"
#include "core/cmdline.h"
#include "debug/panic.h"
#include "debug/region.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "scenarios/scenario.h"

static const struct scenario *const scenarios[] = {
	&scenario_default,
	&scenario_selftest,
	&scenario_bench,
};
#define NSCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

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
	return s;
}

/* Announce readiness once and idle with interrupts off. */
void scenario_ready(void)
{
	static int announced;
	if (!announced++) {
		region_set_ready();
		kprintf("ptdbg: ready\n");
	}
	cpu_halt_forever();
}
