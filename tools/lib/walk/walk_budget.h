/* SPDX-License-Identifier: MIT */
/*
 * The walk budget one command shares among the tables it walks.
 *
 * Each walk has its own budget (walk/frame.h), but a debug region may list
 * thousands of address spaces and a VT-d unit 65,536 devices: without a shared limit a
 * hostile or broken guest multiplies the per-walk budget by their number and a
 * command runs for hours. A command takes from this budget before each walk and is
 * charged after it; once it runs out the remaining walks are skipped and counted, and
 * the command says so.
 */
#ifndef PTDBG_WALK_BUDGET_H
#define PTDBG_WALK_BUDGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "walk/frame.h"

#define PTDBG_BUDGET_NODES  262144u   /* table visits, all walks together */
#define PTDBG_BUDGET_LEAVES 8000000u  /* leaves, all walks together (a walk that
					  starts with 4M left may grow past it with
					  the distinct tables it meets: walk/frame.h) */

struct ptdbg_walk_budget {
	uint64_t nodes, leaves;    /* what is left */
	uint64_t limit_nodes, limit_leaves; /* what there was */
	size_t skipped;            /* walks not made because it ran out */
};

/* A budget of PTDBG_BUDGET_NODES table visits and PTDBG_BUDGET_LEAVES leaves. */
void ptdbg_budget_init(struct ptdbg_walk_budget *b);
/* A budget of nodes table visits and leaves leaves. */
void ptdbg_budget_init_limits(struct ptdbg_walk_budget *b, uint64_t nodes, uint64_t leaves);
/* Set one walk's limits (*max_nodes, *max_leaves; 0 means the walker's default)
 * from what is left; false, and the walk counted as skipped, when nothing is. */
bool ptdbg_budget_take(struct ptdbg_walk_budget *b, uint64_t *max_nodes, uint64_t *max_leaves);
/* Charge what a finished walk used. */
void ptdbg_budget_charge(struct ptdbg_walk_budget *b, uint64_t nodes, uint64_t leaves);
/* The message of a command whose budget skipped walks: "N of TOTAL WHAT not DONE:
 * the command's walk budget (X table visits, Y leaves) ran out" ("N WHAT ..." when
 * total is 0), into buf; returns buf. */
const char *ptdbg_budget_message(const struct ptdbg_walk_budget *b, size_t total, const char *what,
				 const char *done, char *buf, size_t len);

#endif /* PTDBG_WALK_BUDGET_H */
