/* SPDX-License-Identifier: MIT */
/* Every device a VT-d unit's tables describe (vtd_devices.h). */
#include "vtd/vtd_devices.h"
#include "vtd/vtd_fault.h"
#include "vtd/vtd_regs.h"

static bool root_not_present(unsigned reason)
{
	return reason == VTD_FR_ROOT_P || reason == VTD_FR_SM_ROOT_P;
}

int vtd_for_each_device(struct ptdbg_mem *mem, const struct vtd_hw *hw, uint64_t root_table,
			int (*fn)(void *ctx, const struct vtd_dev_lookup *l), void *ctx)
{
	struct vtd_dev_lookup l;
	for (unsigned bus = 0; bus < 256; bus++) {
		/* One lookup per root entry (per half in scalable mode) tells whether the
		 * bus has a context table at all. */
		for (unsigned half = 0; half < (hw->scalable ? 2u : 1u); half++) {
			unsigned first = half * 128, last = hw->scalable ? first + 127 : 255;
			for (unsigned devfn = first; devfn <= last; devfn++) {
				int rc = vtd_dev_lookup(mem, hw, root_table, (uint16_t)(bus << 8 | devfn),
							VTD_NO_PASID, &l);
				if (rc && ptdbg_link_error(rc))
					return rc;
				if (l.stage == VTD_STAGE_ROOT) {
					/* the root entry decides for the whole half */
					if (!root_not_present(l.reason) && (rc = fn(ctx, &l)))
						return rc;
					break;
				}
				if (l.stage == VTD_STAGE_CONTEXT && !(l.ctx[0] & VTD_CTX_P) && !l.read_err &&
				    l.reason != VTD_FR_CTX_ACCESS && l.reason != VTD_FR_SM_CTX_ACCESS)
					continue;
				if ((rc = fn(ctx, &l)))
					return rc;
				if (l.stage == VTD_STAGE_CONTEXT && (l.reason == VTD_FR_CTX_ACCESS ||
								     l.reason == VTD_FR_SM_CTX_ACCESS))
					break; /* the context table is unreadable: once per table */
			}
		}
	}
	return 0;
}
