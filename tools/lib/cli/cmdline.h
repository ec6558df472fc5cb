/* SPDX-License-Identifier: MIT */
/*
 * The command line shared by ptdump and iommudump: a table of subcommands picked by
 * unique prefix, the common options (session.h) accepted anywhere on the line, and
 * `help`, `COMMAND --help`, `--help`, `--version`.
 *
 *   prog [COMMAND] [ARGS...] [common options anywhere]
 *
 * The first entry of the table is the default command. A command gets argv with
 * argv[0] its own name and every common option removed; it returns an exit status
 * (PTDBG_EXIT_*, session.h).
 */
#ifndef PTDBG_CMDLINE_H
#define PTDBG_CMDLINE_H

#include <stdbool.h>
#include <stdio.h>

#include "cli/session.h"

/* A subcommand. */
struct ptdbg_cmd {
	const char *name;
	int (*fn)(struct ptdbg_session *s, int argc, char **argv);
	const char *args;      /* synopsis after the name */
	const char *summary;   /* one line */
	const char *help;      /* the command's own options, or NULL */
	bool no_attach;        /* may run without a target (diff of two files); a command
				  attaches itself once its arguments are parsed */
};

/* A program made of subcommands. */
struct ptdbg_cmd_prog {
	const char *name;                      /* "ptdump" */
	const char *version;
	const struct ptdbg_cmd *cmds;          /* terminated by a NULL name; [0] is the default */
	void (*usage)(FILE *out);              /* prog --help */
	void (*cmd_usage)(const struct ptdbg_cmd *c, FILE *out); /* prog COMMAND --help */
	/* Options of this program that are valid anywhere on the line (may be NULL):
	 * same contract as ptdbg_session_opt(). */
	int (*opt)(struct ptdbg_session *s, int argc, char **argv, int *i);
};

/* The command of cmds named name, or the only one whose name starts with name; NULL
 * with a message on stderr ("ambiguous" or "unknown") otherwise. */
const struct ptdbg_cmd *ptdbg_cmd_find(const struct ptdbg_cmd *cmds, const char *prog,
				       const char *name);

/* The whole of main(): parse, pick the command, attach unless it needs no target,
 * run it, detach. Returns the exit status. */
int ptdbg_cmd_main(const struct ptdbg_cmd_prog *p, int argc, char **argv);

#endif /* PTDBG_CMDLINE_H */
