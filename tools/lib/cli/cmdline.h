/* SPDX-License-Identifier: MIT */
/*
 * The command line shared by ptdump and iommudump: a table of subcommands picked by
 * unique prefix, the common options (session.h) and the program's own accepted
 * anywhere on the line, and `help`, `COMMAND --help`, `--help`, `--version`.
 *
 *   prog [COMMAND] [ARGS...] [options anywhere]
 *
 * The command is the first word that is neither a common option nor the value of
 * one; when that word is an option (or there is none) the command is the first of
 * the table, the default. A command gets argv with argv[0] its own name and every
 * other word of the line, common options included, and parses it with
 * ptdbg_cmd_parse() against its own option table and the common ones (options.h
 * has the rules), before it attaches; it returns an exit status (PTDBG_EXIT_*,
 * session.h). A misuse is one line on the session's error stream and status 2.
 */
#ifndef PTDBG_CMDLINE_H
#define PTDBG_CMDLINE_H

#include <stdbool.h>
#include <stdio.h>

#include "cli/options.h"
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

/* The most entries of a program's own option table, its end included. */
#define PTDBG_PROG_NOPTS 8

/* A program made of subcommands. */
struct ptdbg_cmd_prog {
	const char *name;                      /* "ptdump" */
	const char *version;
	const struct ptdbg_cmd *cmds;          /* terminated by a NULL name; [0] is the default */
	void (*usage)(FILE *out);              /* prog --help */
	void (*cmd_usage)(const struct ptdbg_cmd *c, FILE *out); /* prog COMMAND --help */
	/* Options of this program valid anywhere on the line (may be NULL): opts fills
	 * tab with entries that parse into store, a zeroed block of opts_size bytes
	 * that the session holds as s->tool_opts while a command line runs. */
	size_t opts_size;
	void (*opts)(void *store, struct ptdbg_opt tab[PTDBG_PROG_NOPTS]);
	/* The program reads CPU registers only where it says so (s->regs_on_demand):
	 * attaching then costs no target description beyond target.xml. */
	bool regs_on_demand;
	/* The program reads the ACPI table the region names for the IOMMU
	 * (s->acpi_ahead): the session reads it with the region's arrays. */
	bool iommu_table_ahead;
};

/* The command of cmds named name, or the only one whose name starts with name; NULL
 * with a message on err ("ambiguous" or "unknown") otherwise. */
const struct ptdbg_cmd *ptdbg_cmd_find(const struct ptdbg_cmd *cmds, const char *prog,
				       const char *name, FILE *err);

/* Parse a command's argv (argv[0] its name) against opts (ended by PTDBG_OPT_END;
 * may be NULL), the session's common options and the program's: positional
 * arguments to pos[0..maxpos), their count to *npos; flags as for
 * ptdbg_opts_parse(). Then loads the kernel's symbols (-k), which commands use to
 * parse addresses. Returns 0, or -1 with one line printed (a misuse, or an
 * unreadable ELF): the command returns PTDBG_EXIT_ERROR. */
int ptdbg_cmd_parse(struct ptdbg_session *s, const struct ptdbg_opt *opts, int argc, char **argv,
		    unsigned flags, char **pos, int maxpos, int *npos);

/* Run one command line of p in s (initialised with ptdbg_session_init(), its
 * streams and callbacks set): pick the command, hand it its words, detach. With
 * in_debugger, `shell` is refused (the debugger is the shell). Returns the exit
 * status. */
int ptdbg_cmd_run(const struct ptdbg_cmd_prog *p, struct ptdbg_session *s, int argc, char **argv,
		  bool in_debugger);

/* The whole of main(): a session on stdout and stderr whose default target is
 * $PTDBG_TARGET, and ptdbg_cmd_run(). Returns the exit status. */
int ptdbg_cmd_main(const struct ptdbg_cmd_prog *p, int argc, char **argv);

#endif /* PTDBG_CMDLINE_H */
