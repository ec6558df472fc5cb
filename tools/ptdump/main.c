/* SPDX-License-Identifier: MIT */
/*
 * ptdump: walk, decode, check, save and diff x86-64 page tables of a QEMU guest.
 *
 * main() hands the command table (commands.c) to ptdbg_cmd_main() (cmdline.h):
 * common options anywhere on the line, the subcommand by unique prefix (default:
 * dump), attach unless the command needs no target, run it, detach, exit with its
 * status.
 */
#include "ptdump.h"

int main(int argc, char **argv)
{
	return ptdbg_cmd_main(&ptdump_prog, argc, argv);
}
