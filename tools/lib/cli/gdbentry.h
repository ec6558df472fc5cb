/* SPDX-License-Identifier: MIT */
/*
 * Running a tool's commands inside a debugger: one command line of a program
 * (ptdump, iommudump; cmdline.h) against a callback target (callback.h). The
 * session's two streams (s->out, s->err) are memory streams handed back to the
 * debugger, which prints them through its own output (and scripts can capture
 * them); nothing is written to the process's stdout or stderr.
 *
 * Same parsing, same commands, same output and exit status as the command-line
 * tool, except: no $PTDBG_TARGET default (the callbacks are the target unless -t or
 * --core is given), and `shell` is refused (the debugger is the shell).
 */
#ifndef PTDBG_GDBENTRY_H
#define PTDBG_GDBENTRY_H

#include "target/callback.h"
#include "cli/cmdline.h"

/* Run `prog argv[1..]` (argv[0] is ignored) against cb. *out and *err receive what
 * the command wrote to its output and error streams (malloc'd, NUL-terminated, NULL
 * if the streams could not be made; free with ptdbg_gdb_free()). Returns the exit
 * status (PTDBG_EXIT_*). */
int ptdbg_gdb_run(const struct ptdbg_cmd_prog *p, const struct ptdbg_callbacks *cb, int argc,
		  char **argv, char **out, char **err);

/* Free a string ptdbg_gdb_run() returned. */
void ptdbg_gdb_free(char *text);

#endif /* PTDBG_GDBENTRY_H */
