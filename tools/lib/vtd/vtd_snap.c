/* SPDX-License-Identifier: MIT */
/* The snapshot writer for VT-d second-level tables; see vtd_snap.h. */
#include "vtd/vtd_snap.h"

#include "ptdbg/abi.h"
#include "target/target.h"

void vtd_snap_attr_name(uint32_t attrs, char *buf, size_t len)
{
	ptdbg_bits_format(&vtd_bits_perm, attrs, " ", buf, len);
}

int vtd_snap_space(struct ptdbg_snapshot *s, struct ptdbg_mem *mem, const struct vtd_walk_cfg *cfg,
		   const char *name, struct ptdbg_walk_result *res)
{
	struct ptdbg_snap_space *sp = ptdbg_snap_add_space(s, name, PTDBG_AS_DEVICE, cfg->levels, cfg->root);
	if (!sp)
		return PTDBG_ENOMEM;
	return vtd_walk(mem, cfg, ptdbg_snap_visit, sp, res);
}
