/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the command lines of ptdump and iommudump. The input is a tool
 * selector byte and then words separated by NUL bytes; they go through the whole
 * command path (common options, command lookup by prefix, each command's option
 * table, value checks, positional arguments) up to the point where the command
 * would attach, which the session's dry run refuses: no network, no target.
 *
 * A crash, a hang, a leak or an exit status other than 0, 1 or 2 is a finding.
 * Words never hold a '/' (it becomes '_'), so that `diff A B` or `-k FILE` can only
 * name files of the current directory, which the dry run never writes: nothing
 * writes before attaching.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cmdline.h"
#include "cli/session.h"
#include "fuzz_input.h"

extern const struct ptdbg_cmd_prog ptdump_prog;
extern const struct ptdbg_cmd_prog iommudump_prog;

#define MAX_WORDS 24
#define MAX_WORD  96

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char words[MAX_WORDS][MAX_WORD + 1];
	char *argv[MAX_WORDS + 2];
	int argc = 0;

	if (size < 1)
		return 0;
	const struct ptdbg_cmd_prog *p = (data[0] & 1) ? &iommudump_prog : &ptdump_prog;
	argv[argc++] = (char *)p->name;
	size_t i = 1;
	while (i < size && argc <= MAX_WORDS) {
		size_t n = 0;
		char *w = words[argc - 1];
		while (i < size && data[i] != 0) {
			if (n < MAX_WORD)
				w[n++] = data[i] == '/' ? '_' : (char)data[i];
			i++;
		}
		w[n] = 0;
		argv[argc++] = w;
		i++; /* the NUL */
	}
	argv[argc] = NULL;

	FILE *null = fopen("/dev/null", "w");
	if (!null)
		abort();
	struct ptdbg_session s;
	ptdbg_session_init(&s, p->name);
	s.out = null;
	s.err = null;
	s.dry_run = true;
	int rc = ptdbg_cmd_run(p, &s, argc, argv, false);
	fclose(null);
	if (rc < 0 || rc > 2)
		abort();
	return 0;
}
