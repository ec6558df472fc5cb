/* SPDX-License-Identifier: MIT */
/* The snapshot writer for x86-64 page tables: a walker visitor that records leaves. */
#ifndef PTDBG_X86_SNAP_H
#define PTDBG_X86_SNAP_H

#include "out/snapshot.h"
#include "x86/x86_walk.h"

/* The visitor (ptdbg_walk_visit_fn); ctx is the struct ptdbg_snap_space * to fill.
 * Returns 0 or PTDBG_ENOMEM. */
int ptdbg_x86_snap_visit(void *ctx, const struct ptdbg_walk_event *ev);

/* Names of PTDBG_X86_PERM_* bits for diffs ("rw- u g"...). */
void ptdbg_x86_snap_attr_name(uint32_t attrs, char *buf, size_t len);

/* Walk the address space of cfg into a new space of s. Returns 0 or the walk's error. */
int ptdbg_x86_snap_space(struct ptdbg_snapshot *s, struct ptdbg_mem *mem, const struct ptdbg_x86_walk_cfg *cfg,
			 const char *name, uint32_t kind);

#endif /* PTDBG_X86_SNAP_H */
