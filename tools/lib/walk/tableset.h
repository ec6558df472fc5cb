/* SPDX-License-Identifier: MIT */
/*
 * A set of table addresses: which tables a walk has met already.
 *
 * A walk asks once per table, so the set is on the walk's hot path, and a space of
 * 16 million pages has 32,000 tables. A hash of that many addresses outgrows the
 * CPU's caches and, grown by doubling, faults in fresh memory at each step: its
 * cost per table rose threefold from bench=1m to bench=16m. Page-aligned addresses
 * (every table of a 4 KiB granule and the larger ones) are therefore bits in
 * bitmaps of 128 MiB of physical memory each, 4 KiB a bitmap: a guest of 1 GiB
 * needs 32 KiB, touched in the order the tables lie. Other addresses (the small
 * top tables some AArch64 spaces have) and regions beyond TSET_MAX_REGIONS live in
 * an open-addressing hash.
 */
#ifndef PTDBG_WALK_TABLESET_H
#define PTDBG_WALK_TABLESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ptdbg_tset_region;

struct ptdbg_table_set {
	size_t n;                          /* addresses in the set */
	struct ptdbg_tset_region *regions; /* open addressing on the region number */
	size_t rcap, nregions;
	size_t last;                       /* the slot of the region last used */
	uint64_t *slots;                   /* the hash: 0 = empty, addresses stored +1 */
	size_t cap, nslots;
};

/* Add pa to s: 1 when it was not there, 0 when it was, PTDBG_ENOMEM (s unchanged). */
int ptdbg_table_set_add(struct ptdbg_table_set *s, uint64_t pa);
/* Whether pa is in s. */
bool ptdbg_table_set_has(const struct ptdbg_table_set *s, uint64_t pa);
/* Free what s holds; s is then the empty set. */
void ptdbg_table_set_free(struct ptdbg_table_set *s);

#endif
