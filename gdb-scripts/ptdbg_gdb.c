/* SPDX-License-Identifier: MIT */
/*
 * The entry points of build/libptdbg-gdb.so, which ptdbg.py loads: the ptdump
 * commands as `pt ...` and the iommudump commands as `iommu ...`, run over a
 * callback target (callback.h) by ptdbg_gdb_run() (gdbentry.h).
 */
#include <string.h>

#include "cli/gdbentry.h"
/* The programs (tools/ptdump/commands.c, tools/iommudump/commands.c). */
extern const struct ptdbg_cmd_prog ptdump_prog;
extern const struct ptdbg_cmd_prog iommudump_prog;

/* Run `ptdump argv[1..]` against cb; contract of ptdbg_gdb_run(). */
int ptdbg_gdb_pt(const struct ptdbg_callbacks *cb, int argc, char **argv, char **out, char **err)
{
	return ptdbg_gdb_run(&ptdump_prog, cb, argc, argv, out, err);
}

/* Run `iommudump argv[1..]` against cb; contract of ptdbg_gdb_run(). */
int ptdbg_gdb_iommu(const struct ptdbg_callbacks *cb, int argc, char **argv, char **out, char **err)
{
	return ptdbg_gdb_run(&iommudump_prog, cb, argc, argv, out, err);
}
