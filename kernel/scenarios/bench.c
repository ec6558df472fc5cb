#include "scenarios/scenario.h"
static void run(void) {}
const struct scenario scenario_bench = { .name = "bench", .summary = "x", .bugs = { 0 }, .run = run };
