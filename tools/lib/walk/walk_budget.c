/* SPDX-License-Identifier: MIT */
/* The walk budget one command shares among its walks; see walk_budget.h. */
#include "walk/walk_budget.h"

void ptdbg_budget_init(struct ptdbg_walk_budget *b)
{
	b->nodes = PTDBG_BUDGET_NODES;
	b->leaves = PTDBG_BUDGET_LEAVES;
	b->skipped = 0;
}

bool ptdbg_budget_take(struct ptdbg_walk_budget *b, uint64_t *max_nodes, uint64_t *max_leaves)
{
	if (b->nodes == 0 || b->leaves == 0) {
		b->skipped++;
		return false;
	}
	/* below the walkers' own minimum, the rest of the budget is the limit; above
	 * it, the walker's default (which scales with the tables found) applies */
	*max_nodes = b->nodes < 65536 ? b->nodes : 0;
	*max_leaves = b->leaves < 4000000 ? b->leaves : 4000000;
	return true;
}

void ptdbg_budget_charge(struct ptdbg_walk_budget *b, uint64_t nodes, uint64_t leaves)
{
	b->nodes -= nodes < b->nodes ? nodes : b->nodes;
	b->leaves -= leaves < b->leaves ? leaves : b->leaves;
}
