/* SPDX-License-Identifier: MIT */
/* Snapshots of x86-64 page tables (the writer is the frame's ptdbg_snap_visit). */
#ifndef PTDBG_X86_SNAP_H
#define PTDBG_X86_SNAP_H

#include "out/snapshot.h"
#include "x86/x86_walk.h"

/* Names of PTDBG_X86_PERM_* bits for diffs ("rw- u g"...). */
void ptdbg_x86_snap_attr_name(uint32_t attrs, char *buf, size_t len);

/* Walk the address space of cfg into a new space of s. Returns 0 or the walk's error. */
int ptdbg_x86_snap_space(struct ptdbg_snapshot *s, struct ptdbg_mem *mem, const struct ptdbg_x86_walk_cfg *cfg,
			 const char *name, uint32_t kind);

#endif /* PTDBG_X86_SNAP_H */
