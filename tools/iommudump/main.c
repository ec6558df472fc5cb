/* SPDX-License-Identifier: MIT */
/*
 * iommudump: decode, walk, check, save and diff the Intel VT-d state of a QEMU
 * guest: the remapping unit's registers and fault records, root and context
 * entries, and each device's second-level table.
 *
 * main() hands the command table (commands.c) to ptdbg_cmd_main() (cmdline.h):
 * common options and --drhd anywhere on the line, the subcommand by unique prefix
 * (default: ctx), attach unless the command needs no target, run it, detach, exit
 * with its status.
 */
#include "iommudump.h"

int main(int argc, char **argv)
{
	return ptdbg_cmd_main(&iommudump_prog, argc, argv);
}
