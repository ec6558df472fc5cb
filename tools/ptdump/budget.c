/* SPDX-License-Identifier: MIT */
/*
 * The walk budget one command shares among its address spaces.
 *
 * Each walk has its own budget (x86_walk.h), but a debug region may list thousands
 * of spaces: without a shared limit, a hostile or broken guest multiplies the
 * per-walk budget by the number of spaces and `check` or `dump --all` runs for hours.
 * A command takes from this budget before each walk and is charged after it; once
 * it runs out the remaining spaces are skipped and the command says so.
 */
#include "ptdump.h"

void pt_budget_init(struct pt_budget *b)
{
	b->nodes = PT_BUDGET_NODES;
	b->leaves = PT_BUDGET_LEAVES;
	b->skipped = 0;
}

bool pt_budget_take(struct pt_budget *b, struct ptdbg_x86_walk_cfg *cfg)
{
	if (b->nodes == 0 || b->leaves == 0) {
		b->skipped++;
		return false;
	}
	/* below the walker's own minimum, the rest of the budget is the limit; above
	 * it, the walker's default (which scales with the tables found) applies */
	cfg->max_nodes = b->nodes < 65536 ? b->nodes : 0;
	cfg->max_leaves = b->leaves < 4000000 ? b->leaves : 4000000;
	return true;
}

void pt_budget_charge(struct pt_budget *b, const struct ptdbg_x86_walk_result *res)
{
	b->nodes -= res->nodes < b->nodes ? res->nodes : b->nodes;
	b->leaves -= res->leaves < b->leaves ? res->leaves : b->leaves;
}
