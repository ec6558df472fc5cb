/* SPDX-License-Identifier: MIT */
/*
 * ptdump's command table and help texts, without main(), so that the same commands
 * can be built into the command-line tool and into the gdb commands.
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

const struct ptdbg_cmd pt_cmds[] = {
	{ "dump", cmd_dump, "[options]", "coalesced mappings of an address space",
	  "  --range A-B         only [A, B) (addresses, symbols, K/M/G suffixes)\n"
	  "  --user, --kernel    only the lower or the upper half\n"
	  "  --ttbr0, --ttbr1    AArch64: only that half (default: both, each labelled)\n"
	  "  --flags LIST        only mappings with all of: w, ro, x, nx, u, k, g, a, d\n"
	  "  --format FMT        text (default), json, info-mem or info-tlb (QEMU's monitor\n"
	  "                      output for the same tables, byte for byte)\n"
	  "  --merge-virtual     coalesce virtually contiguous runs even when the frames are not\n"
	  "  --absent            list entries with P=0 but other bits set\n"
	  "  --nodes             list page-table nodes\n", false },
	{ "spaces", cmd_spaces, "[options]", "every address space, from the debug region or from RAM",
	  "  --scan              find the roots in RAM even when the debug region lists them\n", false },
	{ "rmap", cmd_rmap, "PA [LEN] [options]",
	  "every address of every space (and device) that maps a physical range",
	  "  --iommu             also every IOVA of every device domain (VT-d or SMMUv3) that\n"
	  "                      reaches it\n", false },
	{ "search", cmd_search, "PATTERN [options]", "find bytes, a string or a value in what a space maps",
	  "  --string            PATTERN is a string (the default); --utf16: in UTF-16LE\n"
	  "  --hex               PATTERN is bytes in hex (\"de ad be ef\")\n"
	  "  --u32, --u64        PATTERN is a little-endian value (aligned to its size)\n"
	  "  --align N           hits only at multiples of N (a power of two up to 4096)\n"
	  "  --max N             at most N hits (default 1000)\n"
	  "  --range A-B         only [A, B) (addresses, symbols, K/M/G suffixes)\n"
	  "  --user, --kernel    only the lower or the upper half\n"
	  "  --flags LIST        only mappings with all of: w, ro, x, nx, u, k, g, a, d\n", false },
	{ "map", cmd_map, "-o FILE.svg [options]", "a picture of an address space, as SVG",
	  "  -o, --output FILE   write the picture to FILE (- for standard output)\n", false },
	{ "walk", cmd_walk, "VA [options]", "translate one address level by level",
	  "  --write, --user, --exec   the access to check (default: a supervisor read)\n", false },
	{ "check", cmd_check, "[options]", "find what is wrong; exit 1 if anything is",
	  "  --kind LIST         only these finding kinds (comma-separated)\n", false },
	{ "faults", cmd_faults, "[options]", "the kernel's page-fault log, decoded",
	  "  --last N            only the newest N records\n"
	  "  --all               every record (identical faults are shown once otherwise)\n"
	  "  --loops             only fault loops\n", false },
	{ "region", cmd_region, "[options]", "what the kernel exports in its debug region",
	  "  --frames            also summarise the frame metadata\n", false },
	{ "layout", cmd_layout, "[options]",
	  "a Linux guest's layout (with -k vmlinux or --system-map): markers, KASLR bases", NULL, false },
	{ "save", cmd_save, "FILE [options]", "save a snapshot of the mappings", NULL, false },
	{ "diff", cmd_diff, "A [B] [options]",
	  "compare snapshot A with snapshot B, or with the live VM",
	  "  --accessed-dirty    also report accessed and dirty bits the hardware set\n", true },
	{ "x", cmd_x, "VA [N] [options]", "disassemble N instructions at VA through the page tables",
	  NULL, false },
	{ "shell", cmd_shell, "[options]", "interactive shell; one attach serves many commands", NULL,
	  false },
	{ "regs", cmd_regs, "[options]", "the paging-related CPU registers", NULL, false },
	{ "monitor", cmd_monitor, "COMMAND...", "run a QEMU monitor command through the gdbstub", NULL,
	  false },
	{ NULL, NULL, NULL, NULL, NULL, false },
};

const struct ptdbg_cmd *pt_cmd_find(const char *cmd, FILE *err)
{
	return ptdbg_cmd_find(pt_cmds, "ptdump", cmd, err);
}

void pt_cmd_usage(const struct ptdbg_cmd *c, FILE *out)
{
	fprintf(out, "Usage: ptdump %s %s\n%s.\n", c->name, c->args, c->summary);
	if (c->help)
		fprintf(out, "\nOptions:\n%s", c->help);
	if (c->fn == cmd_dump || c->fn == cmd_walk || c->fn == cmd_check || c->fn == cmd_save ||
	    c->fn == cmd_x || c->fn == cmd_diff || c->fn == cmd_search || c->fn == cmd_map)
		fprintf(out, "%s%s%s", c->help ? "" : "\nOptions:\n", space_help,
			c->fn == cmd_walk || c->fn == cmd_x || c->fn == cmd_map ? "" : PT_ALL_SPACES_HELP);
	fprintf(out, "\n%s", ptdbg_session_opts_help);
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: ptdump [COMMAND] [options]\n"
		"Walk, decode, check, save and diff the x86-64 and AArch64 page tables of a QEMU guest,\n"
		"through QEMU's gdbstub or a dump-guest-memory core file.\n\nCommands (unique prefixes work; default: dump):\n");
	for (const struct ptdbg_cmd *c = pt_cmds; c->name; c++)
		fprintf(out, "  %-8s %-18s %s\n", c->name, c->args, c->summary);
	fprintf(out, "\n%s\n"
		"Exit status: 0 success (check: no warning or error), 1 check found one, 2 error.\n"
		"ptdump COMMAND --help shows a command's options; man ptdump has the details.\n",
		ptdbg_session_opts_help);
}

int pt_attach(struct ptdbg_session *s)
{
	if (s->t)
		return 0;
	return ptdbg_session_attach(s);
}

/* The program: its name, version, commands and help (cmdline.h). */
const struct ptdbg_cmd_prog ptdump_prog = {
	.name = "ptdump",
	.version = PTDUMP_VERSION,
	.cmds = pt_cmds,
	.usage = usage,
	.cmd_usage = pt_cmd_usage,
};
