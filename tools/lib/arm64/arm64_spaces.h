/* SPDX-License-Identifier: MIT */
/*
 * Every AArch64 address space of a guest from registers and memory alone. The two
 * halves are separate tables: TTBR1_EL1 holds the kernel's, TTBR0_EL1 the running
 * process's, and nothing in one root is shared with the other, so there is no
 * window to compare frames against as on x86-64 (x86/spaces.h). The roots of the
 * other processes are found by a scan of RAM (walk/rootscan.h) for frames shaped
 * like a TTBR0 root of TCR_EL1's geometry, each then walked, and said how sure:
 *
 *   likely    every entry of the frame is zero or a well-formed table or block
 *             descriptor into RAM (and the entries a root of this geometry does not
 *             have are zero), its walk has leaves and no invalid nonzero descriptor
 *             or anomaly, every leaf is EL0-accessible, and no other table found
 *             (TTBR1's, TTBR0's, another candidate's) refers to it;
 *   possible  the same, but some of its leaves are EL1-only (an identity map, a
 *             kernel's own TTBR0 table, or a table that only looks like a root).
 *
 * Frames that are tables inside a known tree or inside a candidate's are not roots.
 */
#ifndef PTDBG_ARM64_SPACES_H
#define PTDBG_ARM64_SPACES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arm64/arm64_walk.h"
#include "target/mem.h"
#include "target/ram.h"

enum ptdbg_arm64_root_how {
	PTDBG_A64_ROOT_TTBR1 = 0,  /* the root in TTBR1_EL1 (the kernel's half) */
	PTDBG_A64_ROOT_TTBR0 = 1,  /* the root in TTBR0_EL1 (the running process) */
	PTDBG_A64_ROOT_SCAN  = 2,  /* a TTBR0 root found in RAM */
};

enum ptdbg_arm64_sure {
	PTDBG_A64_CERTAIN  = 0,    /* a register holds it */
	PTDBG_A64_LIKELY   = 1,
	PTDBG_A64_POSSIBLE = 2,
};

struct ptdbg_arm64_root {
	uint64_t root;
	unsigned half;                 /* PTDBG_ARM64_TTBR0 or _TTBR1 */
	enum ptdbg_arm64_root_how how;
	enum ptdbg_arm64_sure sure;
	uint64_t leaves, user_leaves;  /* of its walk (scanned roots) */
	char why[128];                 /* what the scan saw ("" for a register) */
};

/* Find the roots of cpu's registers and every TTBR0 root in the RAM of ram, reading
 * t directly for the scan (link: t is a link, see rootscan.h) and mem for the walks.
 * progress/ctx as in struct ptdbg_rootscan. TTBR1's root first, then TTBR0's, then
 * the scanned ones by address, into a malloc'd *out. Returns 0, a link error,
 * PTDBG_ENOMEM, or PTDBG_EINVAL with why when TTBR0's walks are disabled (EPD0) and
 * TTBR1's too. */
int ptdbg_arm64_find_roots(struct ptdbg_target *t, struct ptdbg_mem *mem, const struct ptdbg_arm64_cpu *cpu,
			   const struct ptdbg_ram *ram, bool link,
			   void (*progress)(void *ctx, uint64_t done, uint64_t total), void *ctx,
			   struct ptdbg_arm64_root **out, size_t *n, uint64_t *unreadable,
			   char *why, size_t whylen);

/* "ttbr1", "ttbr0", "scan"; and "certain", "likely", "possible". */
const char *ptdbg_arm64_root_how_name(enum ptdbg_arm64_root_how how);
const char *ptdbg_arm64_sure_name(enum ptdbg_arm64_sure sure);

/* The frames the kernel itself may not write, as ptdbg_x86_kernel_readonly() does
 * for x86-64: every leaf of cpu's TTBR1 half within [va_lo, va_hi] that EL1 cannot
 * write and EL0 cannot access, as "kernel text" (EL1-executable) or "read-only kernel
 * data", added to set. Returns 0 or a walk error. */
struct ptdbg_pa_set;
int ptdbg_arm64_kernel_readonly(struct ptdbg_mem *mem, const struct ptdbg_arm64_cpu *cpu, uint64_t va_lo,
				uint64_t va_hi, struct ptdbg_pa_set *set);

#endif /* PTDBG_ARM64_SPACES_H */
