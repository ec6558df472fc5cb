/* SPDX-License-Identifier: MIT */
/*
 * ptdump: walk, decode, check, save and diff x86-64 page tables of a QEMU guest.
 *
 * main() removes the common options (session.h) from anywhere on the command line,
 * picks the subcommand by unique prefix (default: dump), attaches unless the
 * command needs no target, runs it, detaches, and exits with its status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptdump.h"

#define PTDUMP_VERSION "0.1"

static const char space_help[] =
	"  --as NAME           the address space NAME from the debug region\n"
	"  --cr3 PA            the address space whose top-level table is at PA\n"
	"  --all               every live address space the debug region lists\n";

const struct pt_cmd pt_cmds[] = {
	{ "dump", cmd_dump, "[options]", "coalesced mappings of an address space",
	  "  --range A-B         only [A, B) (addresses, symbols, K/M/G suffixes)\n"
	  "  --user, --kernel    only the lower or the upper half\n"
	  "  --flags LIST        only mappings with all of: w, ro, x, nx, u, k, g, a, d\n"
	  "  --format FMT        text (default), json, info-mem or info-tlb (QEMU's monitor\n"
	  "                      output for the same tables, byte for byte)\n"
	  "  --merge-virtual     coalesce virtually contiguous runs even when the frames are not\n"
	  "  --absent            list entries with P=0 but other bits set\n"
	  "  --nodes             list page-table nodes\n", false },
	{ "walk", cmd_walk, "VA [options]", "translate one address level by level",
	  "  --write, --user, --exec   the access to check (default: a supervisor read)\n", false },
	{ "check", cmd_check, "[options]", "find what is wrong; exit 1 if anything is",
	  "  --kind LIST         only these finding kinds (comma-separated)\n", false },
	{ "region", cmd_region, "[options]", "what the kernel exports in its debug region",
	  "  --frames            also summarise the frame metadata\n", false },
	{ "save", cmd_save, "FILE [options]", "save a snapshot of the mappings", NULL, false },
	{ "diff", cmd_diff, "A [B] [options]",
	  "compare snapshot A with snapshot B, or with the live VM", NULL, true },
	{ "x", cmd_x, "VA [N] [options]", "disassemble N instructions at VA through the page tables",
	  NULL, false },
	{ "shell", cmd_shell, "[options]", "interactive shell; one attach serves many commands", NULL,
	  false },
	{ "regs", cmd_regs, "[options]", "the paging-related CPU registers", NULL, false },
	{ "monitor", cmd_monitor, "COMMAND...", "run a QEMU monitor command through the gdbstub", NULL,
	  false },
	{ NULL, NULL, NULL, NULL, NULL, false },
};

const struct pt_cmd *pt_cmd_find(const char *cmd)
{
	const struct pt_cmd *hit = NULL;
	size_t n = strlen(cmd);
	int hits = 0;
	for (const struct pt_cmd *c = pt_cmds; c->name; c++) {
		if (!strcmp(c->name, cmd))
			return c;
		if (n && !strncmp(c->name, cmd, n)) {
			hit = c;
			hits++;
		}
	}
	if (hits == 1)
		return hit;
	if (hits > 1) {
		fprintf(stderr, "ptdump: '%s' is ambiguous:", cmd);
		for (const struct pt_cmd *c = pt_cmds; c->name; c++)
			if (!strncmp(c->name, cmd, n))
				fprintf(stderr, " %s", c->name);
		fputc('\n', stderr);
	} else {
		fprintf(stderr, "ptdump: unknown command '%s' (ptdump --help lists them)\n", cmd);
	}
	return NULL;
}

void pt_cmd_usage(const struct pt_cmd *c, FILE *out)
{
	fprintf(out, "Usage: ptdump %s %s\n%s.\n", c->name, c->args, c->summary);
	if (c->help)
		fprintf(out, "\nOptions:\n%s", c->help);
	if (c->fn == cmd_dump || c->fn == cmd_walk || c->fn == cmd_check || c->fn == cmd_save ||
	    c->fn == cmd_x || c->fn == cmd_diff)
		fprintf(out, "%s%s", c->help ? "" : "\nOptions:\n", space_help);
	fprintf(out, "\n%s", ptdbg_session_opts_help);
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: ptdump [COMMAND] [options]\n"
		"Walk, decode, check, save and diff the x86-64 page tables of a QEMU guest,\n"
		"through QEMU's gdbstub or a dump-guest-memory core file.\n\nCommands (unique prefixes work; default: dump):\n");
	for (const struct pt_cmd *c = pt_cmds; c->name; c++)
		fprintf(out, "  %-8s %-18s %s\n", c->name, c->args, c->summary);
	fprintf(out, "\n%s\n"
		"Exit status: 0 success (check: nothing found), 1 check found something, 2 error.\n"
		"ptdump COMMAND --help shows a command's options; man ptdump has the details.\n",
		ptdbg_session_opts_help);
}

int pt_attach(struct ptdbg_session *s)
{
	if (s->t)
		return 0;
	return ptdbg_session_attach(s);
}

int main(int argc, char **argv)
{
	struct ptdbg_session s;
	ptdbg_session_init(&s, "ptdump");
	if (!s.topts.spec)
		s.topts.spec = getenv("PTDBG_TARGET");

	/* Separate the common options from the command's words. */
	char **rest = calloc((size_t)argc + 1, sizeof(*rest));
	if (!rest)
		return PTDBG_EXIT_ERROR;
	int nrest = 0;
	bool help = false;
	for (int i = 1; i < argc;) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			help = true;
			i++;
			continue;
		}
		if (!strcmp(argv[i], "--version")) {
			printf("ptdump %s\n", PTDUMP_VERSION);
			free(rest);
			return 0;
		}
		int r = ptdbg_session_opt(&s, argc, argv, &i);
		if (r < 0) {
			free(rest);
			return PTDBG_EXIT_ERROR;
		}
		if (r == 0)
			rest[nrest++] = argv[i++];
	}

	const struct pt_cmd *c;
	char *dflt[] = { "dump", NULL };
	if (nrest == 0 || rest[0][0] == '-') {
		if (nrest == 0 && help) {
			usage(stdout);
			free(rest);
			return 0;
		}
		c = &pt_cmds[0];
		memmove(rest + 1, rest, (size_t)nrest * sizeof(*rest));
		rest[0] = dflt[0];
		nrest++;
	} else if (!strcmp(rest[0], "help")) {
		if (nrest > 1 && (c = pt_cmd_find(rest[1])))
			pt_cmd_usage(c, stdout);
		else
			usage(stdout);
		free(rest);
		return 0;
	} else {
		c = pt_cmd_find(rest[0]);
		if (!c) {
			free(rest);
			return PTDBG_EXIT_ERROR;
		}
	}
	if (help) {
		pt_cmd_usage(c, stdout);
		free(rest);
		return 0;
	}
	int rc = 0;
	if (!c->no_attach)
		rc = pt_attach(&s);
	if (rc == 0)
		rc = c->fn(&s, nrest, rest);
	ptdbg_session_detach(&s);
	free(rest);
	return rc;
}
