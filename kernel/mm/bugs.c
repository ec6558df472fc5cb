/* The memory-management bug switches (all off unless a scenario sets them). */
#include "mm/bugs.h"

struct mm_bug_switches mm_bugs;
