/* SPDX-License-Identifier: MIT */
/* The walk budget one command shares among its walks; see walk_budget.h. */
#include "walk/walk_budget.h"

#include <stdio.h>

/* A budget of nodes visits and leaves leaves, nothing skipped yet. */
void ptdbg_budget_init_limits(struct ptdbg_walk_budget *b, uint64_t nodes, uint64_t leaves)
{
	b->nodes = b->limit_nodes = nodes;
	b->leaves = b->limit_leaves = leaves;
	b->skipped = 0;
}

/* The default command budget. */
void ptdbg_budget_init(struct ptdbg_walk_budget *b)
{
	ptdbg_budget_init_limits(b, PTDBG_BUDGET_NODES, PTDBG_BUDGET_LEAVES);
}

/* One walk's limits from what is left; false (and counted) when nothing is. */
bool ptdbg_budget_take(struct ptdbg_walk_budget *b, uint64_t *max_nodes, uint64_t *max_leaves)
{
	if (b->nodes == 0 || b->leaves == 0) {
		b->skipped++;
		return false;
	}
	/* below the walkers' own minimum, the rest of the budget is the limit; above
	 * it, the walker's default (which scales with the tables found) applies */
	*max_nodes = b->nodes < PTDBG_WALK_MIN_NODES ? b->nodes : 0;
	*max_leaves = b->leaves < PTDBG_WALK_MAX_LEAVES ? b->leaves : 0;
	return true;
}

/* Subtract what a walk used, never below zero. */
void ptdbg_budget_charge(struct ptdbg_walk_budget *b, uint64_t nodes, uint64_t leaves)
{
	b->nodes -= nodes < b->nodes ? nodes : b->nodes;
	b->leaves -= leaves < b->leaves ? leaves : b->leaves;
}

/* The skipped-walks message; see walk_budget.h. */
const char *ptdbg_budget_message(const struct ptdbg_walk_budget *b, size_t total, const char *what,
				 const char *done, char *buf, size_t len)
{
	char of[32] = "";

	if (total)
		snprintf(of, sizeof(of), " of %zu", total);
	snprintf(buf, len, "%zu%s %s not %s: the command's walk budget (%llu table visits, %llu leaves) ran out",
		 b->skipped, of, what, done, (unsigned long long)b->limit_nodes,
		 (unsigned long long)b->limit_leaves);
	return buf;
}
