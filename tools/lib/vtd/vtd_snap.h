/* SPDX-License-Identifier: MIT */
/*
 * The snapshot writer for VT-d second-level tables (snapshot.h, format
 * PTDBG_SNAP_VTD): a walker visitor that records leaves, one snapshot space per
 * device domain. attrs are the walker's effective permissions (VTD_PERM_*).
 */
#ifndef PTDBG_VTD_SNAP_H
#define PTDBG_VTD_SNAP_H

#include <stddef.h>
#include <stdint.h>

#include "out/snapshot.h"
#include "vtd/vtd_walk.h"

/* Names of VTD_PERM_* bits for diffs ("R W SNP"...). */
void vtd_snap_attr_name(uint32_t attrs, char *buf, size_t len);

/* Walk the second-level table of cfg into a new space of s named name (kind
 * PTDBG_AS_DEVICE), filling *res (may be NULL). Returns 0, PTDBG_ENOMEM, or the
 * walk's error. */
int vtd_snap_space(struct ptdbg_snapshot *s, struct ptdbg_mem *mem, const struct vtd_walk_cfg *cfg,
		   const char *name, struct ptdbg_walk_result *res);

#endif /* PTDBG_VTD_SNAP_H */
