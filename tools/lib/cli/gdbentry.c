/* SPDX-License-Identifier: MIT */
/* A tool's command line inside a debugger, over a callback target; see gdbentry.h. */
#include "cli/gdbentry.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ptdbg_gdb_run(const struct ptdbg_cmd_prog *p, const struct ptdbg_callbacks *cb, int argc,
		  char **argv, char **out, char **err)
{
	/* Attaching with -t or --core installs the tools' signal handlers: the
	 * debugger keeps its own. */
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction saved[3];
	char *text[2] = { NULL, NULL };
	size_t len[2];
	FILE *f[2];
	*out = *err = NULL;
	for (int i = 0; i < 2; i++)
		f[i] = open_memstream(&text[i], &len[i]);
	if (!f[0] || !f[1]) {
		for (int i = 0; i < 2; i++)
			if (f[i])
				fclose(f[i]);
		free(text[0]);
		free(text[1]);
		return PTDBG_EXIT_ERROR;
	}
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], NULL, &saved[i]);
	struct ptdbg_session s;
	ptdbg_session_init(&s, p->name);
	s.out = f[0];
	s.err = f[1];
	s.callbacks = cb;
	int rc = ptdbg_cmd_run(p, &s, argc, argv, true);
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &saved[i], NULL);
	fclose(f[0]);
	fclose(f[1]);
	*out = text[0];
	*err = text[1];
	return rc;
}

void ptdbg_gdb_free(char *text)
{
	free(text);
}
