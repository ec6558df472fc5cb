/* SPDX-License-Identifier: MIT */
/* The subcommand command line of ptdump and iommudump; see cmdline.h. */
#include "cli/cmdline.h"

#include <stdlib.h>
#include <string.h>

const struct ptdbg_cmd *ptdbg_cmd_find(const struct ptdbg_cmd *cmds, const char *prog,
				       const char *name)
{
	const struct ptdbg_cmd *hit = NULL;
	size_t n = strlen(name);
	int hits = 0;
	for (const struct ptdbg_cmd *c = cmds; c->name; c++) {
		if (!strcmp(c->name, name))
			return c;
		if (n && !strncmp(c->name, name, n)) {
			hit = c;
			hits++;
		}
	}
	if (hits == 1)
		return hit;
	if (hits > 1) {
		fprintf(stderr, "%s: '%s' is ambiguous:", prog, name);
		for (const struct ptdbg_cmd *c = cmds; c->name; c++)
			if (!strncmp(c->name, name, n))
				fprintf(stderr, " %s", c->name);
		fputc('\n', stderr);
	} else {
		fprintf(stderr, "%s: unknown command '%s' (%s --help lists them)\n", prog, name, prog);
	}
	return NULL;
}

/* Split argv into common options (consumed into s) and the command's words (rest).
 * Returns 0, 1 if --version was printed, or -1 on a bad option. */
static int split(const struct ptdbg_cmd_prog *p, struct ptdbg_session *s, int argc, char **argv,
		 char **rest, int *nrest, bool *help)
{
	for (int i = 1; i < argc;) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			*help = true;
			i++;
			continue;
		}
		if (!strcmp(argv[i], "--version")) {
			printf("%s %s\n", p->name, p->version);
			return 1;
		}
		int r = ptdbg_session_opt(s, argc, argv, &i);
		if (r == 0 && p->opt)
			r = p->opt(s, argc, argv, &i);
		if (r < 0)
			return -1;
		if (r == 0)
			rest[(*nrest)++] = argv[i++];
	}
	return 0;
}

int ptdbg_cmd_main(const struct ptdbg_cmd_prog *p, int argc, char **argv)
{
	struct ptdbg_session s;
	ptdbg_session_init(&s, p->name);
	if (!s.topts.spec)
		s.topts.spec = getenv("PTDBG_TARGET");

	char **rest = calloc((size_t)argc + 2, sizeof(*rest));
	if (!rest)
		return PTDBG_EXIT_ERROR;
	int nrest = 0;
	bool help = false;
	int r = split(p, &s, argc, argv, rest, &nrest, &help);
	if (r) {
		free(rest);
		return r > 0 ? PTDBG_EXIT_OK : PTDBG_EXIT_ERROR;
	}

	const struct ptdbg_cmd *c;
	if (nrest == 0 || rest[0][0] == '-') {
		if (nrest == 0 && help) {
			p->usage(stdout);
			free(rest);
			return PTDBG_EXIT_OK;
		}
		c = &p->cmds[0];
		memmove(rest + 1, rest, (size_t)nrest * sizeof(*rest));
		rest[0] = (char *)c->name;
		nrest++;
	} else if (!strcmp(rest[0], "help")) {
		if (nrest > 1 && (c = ptdbg_cmd_find(p->cmds, p->name, rest[1])))
			p->cmd_usage(c, stdout);
		else
			p->usage(stdout);
		free(rest);
		return PTDBG_EXIT_OK;
	} else {
		c = ptdbg_cmd_find(p->cmds, p->name, rest[0]);
		if (!c) {
			free(rest);
			return PTDBG_EXIT_ERROR;
		}
	}
	if (help) {
		p->cmd_usage(c, stdout);
		free(rest);
		return PTDBG_EXIT_OK;
	}
	/* Commands attach once their arguments are parsed (ptdbg_session_attach). */
	int rc = ptdbg_session_load_symbols(&s);
	if (rc == 0)
		rc = c->fn(&s, nrest, rest);
	ptdbg_session_detach(&s);
	free(rest);
	return rc;
}
