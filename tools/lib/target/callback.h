/* SPDX-License-Identifier: MIT */
/*
 * The callback target: a backend whose memory reads, registers and monitor
 * commands are functions supplied by the program that hosts the library, for
 * instance a debugger's scripting layer that already holds the one connection
 * QEMU's gdbstub accepts.
 *
 * Reads are of guest physical memory. Callbacks return 0 or a negative PTDBG_E*
 * code (target.h): PTDBG_EIO for memory that cannot be read, PTDBG_ELINK when the
 * host lost its connection. Registers and monitor output are handed back through
 * ptdbg_callback_set_reg() and ptdbg_callback_set_text(), so that the host needs to
 * know no C structure layout.
 */
#ifndef PTDBG_CALLBACK_H
#define PTDBG_CALLBACK_H

#include <stddef.h>
#include <stdint.h>

#include "target/target.h"

/* Where a monitor callback puts the command's output (opaque to the host). */
struct ptdbg_text;

struct ptdbg_callbacks {
	void *ctx; /* passed back to every callback */
	/* Read len bytes of guest physical memory at pa into buf. */
	int (*read_phys)(void *ctx, uint64_t pa, void *buf, size_t len);
	/* Read many ranges (contract of ptdbg_target_ops.read_phys_batch: each io->err
	 * set, the return value a link-level error only). NULL: read_phys one by one. */
	int (*read_phys_batch)(void *ctx, struct ptdbg_io *ios, size_t n);
	/* Fill regs with ptdbg_callback_set_reg() (regs arrives zeroed). NULL: none. */
	int (*read_regs)(void *ctx, struct ptdbg_regs *regs);
	/* Run the QEMU monitor command cmd; its output goes to ptdbg_callback_set_text(out).
	 * NULL: the target has no monitor. */
	int (*monitor)(void *ctx, const char *cmd, struct ptdbg_text *out);
};

/* A target over cb (copied). Closing it frees it and calls nothing. NULL if out of
 * memory or cb has no read_phys. */
struct ptdbg_target *ptdbg_callback_open(const struct ptdbg_callbacks *cb);

/* Set the register named as in QEMU's target description ("cr3", "efer", "fs_base",
 * "k_gs_base", "rip", "cs", ...) and mark it valid. Returns 0, or -1 for a name
 * the library does not use. */
int ptdbg_callback_set_reg(struct ptdbg_regs *regs, const char *name, uint64_t value);

/* Set the text of a monitor reply (len bytes of text, copied). Returns 0 or -1. */
int ptdbg_callback_set_text(struct ptdbg_text *out, const char *text, size_t len);

#endif /* PTDBG_CALLBACK_H */
