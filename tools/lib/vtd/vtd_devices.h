/* SPDX-License-Identifier: MIT */
/* Every device a VT-d unit's tables describe, for the commands of both tools. */
#ifndef PTDBG_VTD_DEVICES_H
#define PTDBG_VTD_DEVICES_H

#include "target/mem.h"
#include "vtd/vtd_tables.h"

/* Call fn for every device whose context entry is present (and once per bus whose
 * root entry stops every lookup for another reason than "not present"), in BDF
 * order, from the root table at root_table. Stops at and returns fn's first nonzero
 * value, or a link error. */
int vtd_for_each_device(struct ptdbg_mem *mem, const struct vtd_hw *hw, uint64_t root_table,
			int (*fn)(void *ctx, const struct vtd_dev_lookup *l), void *ctx);

#endif /* PTDBG_VTD_DEVICES_H */
