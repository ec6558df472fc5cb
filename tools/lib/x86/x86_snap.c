/* SPDX-License-Identifier: MIT */
/* The snapshot writer for x86-64 page tables; see x86_snap.h. */
#include "x86/x86_snap.h"

#include <stdio.h>

#include "target/target.h"

void ptdbg_x86_snap_attr_name(uint32_t attrs, char *buf, size_t len)
{
	ptdbg_bits_format(&x86_bits_effective, attrs, " ", buf, len);
}

int ptdbg_x86_snap_space(struct ptdbg_snapshot *s, struct ptdbg_mem *mem, const struct ptdbg_x86_walk_cfg *cfg,
			 const char *name, uint32_t kind)
{
	struct ptdbg_snap_space *sp =
		ptdbg_snap_add_space(s, name, kind, ptdbg_x86_levels(&cfg->cpu), ptdbg_x86_root(&cfg->cpu));
	if (!sp)
		return PTDBG_ENOMEM;
	return ptdbg_x86_walk(mem, cfg, ptdbg_snap_visit, sp, NULL);
}
