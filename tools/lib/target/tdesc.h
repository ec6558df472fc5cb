/* SPDX-License-Identifier: MIT */
/*
 * GDB target descriptions (the XML a gdbstub serves through qXfer:features:read):
 * the architecture, and the numbers and sizes of the registers of ptdbg_reg_table,
 * found by name, never assumed. Registers are numbered in document order, includes
 * expanded where they stand, a regnum attribute restarting the count.
 *
 * The architecture: a feature org.gnu.gdb.aarch64.core (AArch64) or
 * org.gnu.gdb.i386.core with <architecture>i386:x86-64 (x86-64); the <architecture>
 * element alone when no such feature is seen.
 */
#ifndef PTDBG_TARGET_TDESC_H
#define PTDBG_TARGET_TDESC_H

#include "target/target.h"

struct ptdbg_tdesc {
	enum ptdbg_arch arch;          /* from a core feature */
	enum ptdbg_arch arch_element;  /* from <architecture> */
	int      next;                 /* the number the next <reg> gets */
	int      regno[PTDBG_NREGS];   /* by ptdbg_reg_table index; -1: not offered */
	unsigned regbits[PTDBG_NREGS];
};

/* Start a description: no registers, no architecture. */
void ptdbg_tdesc_init(struct ptdbg_tdesc *d);

/* Scan one document (NUL-terminated). For each <xi:include href=...> in order,
 * include(ctx, href) is called, which fetches that document and scans it with
 * ptdbg_tdesc_scan() on the same d. Returns 0, or include's nonzero return. */
int ptdbg_tdesc_scan(struct ptdbg_tdesc *d, const char *doc,
		     int (*include)(void *ctx, const char *href), void *ctx);

/* The architecture the description gives (feature first, then the element). */
enum ptdbg_arch ptdbg_tdesc_arch(const struct ptdbg_tdesc *d);

#endif /* PTDBG_TARGET_TDESC_H */
