/* SPDX-License-Identifier: MIT */
/*
 * Every x86-64 address space of a guest from memory alone. All the page tables of a
 * kernel share its kernel half: PML4 entries 256-511 (4-level paging) or PML5 entry
 * 511 (5-level) are the same in every root. So every 4 KiB frame of RAM whose kernel
 * half equals that of the root in CR3 is a root (walk/rootscan.h). A KPTI kernel
 * keeps a second, user-mode root 4 KiB above each kernel-mode one, whose kernel
 * half differs but whose user half is the same: those are found as pairs.
 */
#ifndef PTDBG_X86_SPACES_H
#define PTDBG_X86_SPACES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "target/mem.h"
#include "target/ram.h"
#include "x86/x86_walk.h"

enum ptdbg_x86_root_how {
	PTDBG_ROOT_CR3  = 0,  /* the root in CR3 itself */
	PTDBG_ROOT_SCAN = 1,  /* its kernel half equals CR3's */
	PTDBG_ROOT_KPTI = 2,  /* 4 KiB above a scanned root, with the same user half */
};

struct ptdbg_x86_root {
	uint64_t root;
	enum ptdbg_x86_root_how how;
	bool user_empty;  /* no present entry in the user half of the root */
};

/* Find every root sharing the kernel half of cpu's (CR3) over the RAM of ram,
 * reading t directly (a scan of all RAM would only flush mem's cache; mem serves
 * the few tables read afterwards). link: t is a link (probe first, see rootscan.h).
 * progress/ctx as in struct ptdbg_rootscan. The roots, ascending, CR3's included,
 * go to a malloc'd *out. Returns 0, a link error, PTDBG_ENOMEM, or PTDBG_EINVAL
 * with why when CR3's kernel half is empty or unreadable (nothing to match). */
int ptdbg_x86_find_roots(struct ptdbg_target *t, struct ptdbg_mem *mem, const struct ptdbg_x86_cpu *cpu,
			 const struct ptdbg_ram *ram, bool link,
			 void (*progress)(void *ctx, uint64_t done, uint64_t total), void *ctx,
			 struct ptdbg_x86_root **out, size_t *n, uint64_t *unreadable,
			 char *why, size_t whylen);

/* The frames the kernel itself may not write: every supervisor leaf of the kernel
 * half of cpu's tables that is not writable, as "kernel text" (executable) or
 * "read-only kernel data", added to set, within [va_lo, va_hi] of the kernel half
 * (0, UINT64_MAX: all of it). Returns 0 or a walk error. */
struct ptdbg_pa_set;
int ptdbg_x86_kernel_readonly(struct ptdbg_mem *mem, const struct ptdbg_x86_cpu *cpu, uint64_t va_lo,
			      uint64_t va_hi, struct ptdbg_pa_set *set);

/* Name of how a root was found: "cr3", "scan", "kpti". */
const char *ptdbg_x86_root_how_name(enum ptdbg_x86_root_how how);

#endif /* PTDBG_X86_SPACES_H */
