#include "scenarios/scenario.h"
static void run(void) {}
const struct scenario scenario_selftest = { .name = "selftest", .summary = "x", .bugs = { 0 }, .run = run };
