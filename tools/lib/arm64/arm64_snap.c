/* SPDX-License-Identifier: MIT */
/* Snapshots of AArch64 tables; see arm64_snap.h. */
#include "arm64/arm64_snap.h"

#include "arm64/arm64_bits.h"
#include "target/target.h"

struct take {
	struct ptdbg_snap_space *space;
	void (*leaves)(void *ctx, uint64_t n);
	void *leaf_ctx;
};

static int take_visit(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct take *t = ctx;
	if (t->leaves && ptdbg_event_leaves(ev))
		t->leaves(t->leaf_ctx, ptdbg_event_leaves(ev));
	return ptdbg_snap_visit(t->space, ev);
}

int ptdbg_arm64_snap_take_half(struct ptdbg_snapshot *snap, struct ptdbg_mem *mem,
			       const struct ptdbg_arm64_cpu *cpu, unsigned half, const char *name,
			       uint32_t kind, void (*leaves)(void *ctx, uint64_t n), void *leaf_ctx)
{
	struct ptdbg_arm64_half h;
	snap->format = PTDBG_SNAP_ARM64;
	ptdbg_arm64_half_of(cpu, half, &h);
	struct take t = { ptdbg_snap_add_space(snap, name ? name : half ? "TTBR1" : "TTBR0", kind, h.top, h.root),
			  leaves, leaf_ctx };
	if (!t.space)
		return PTDBG_ENOMEM;
	if (!h.enabled || !ptdbg_arm64_mmu_on(cpu))
		return 0;
	const struct ptdbg_walk_opts wo = { .leaf_runs = true };
	int rc = ptdbg_arm64_walk(mem, cpu, half, &wo, take_visit, &t, NULL);
	return rc && rc != PTDBG_EINVAL ? rc : 0;
}

int ptdbg_arm64_snap_take(struct ptdbg_snapshot *snap, struct ptdbg_mem *mem,
			  const struct ptdbg_arm64_cpu *cpu, void (*leaves)(void *ctx, uint64_t n),
			  void *leaf_ctx)
{
	snap->format = PTDBG_SNAP_ARM64;
	for (unsigned half = 0; half < 2; half++) {
		int rc = ptdbg_arm64_snap_take_half(snap, mem, cpu, half, NULL, 0, leaves, leaf_ctx);
		if (rc)
			return rc;
	}
	return 0;
}

void ptdbg_arm64_snap_attr_name(uint32_t attrs, char *buf, size_t len)
{
	ptdbg_bits_format(&arm64_bits_effective, attrs, " ", buf, len);
}
