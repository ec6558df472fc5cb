/* SPDX-License-Identifier: MIT */
/* The subcommand command line of ptdump and iommudump; see cmdline.h. */
#include "cli/cmdline.h"

#include <stdlib.h>
#include <string.h>

const struct ptdbg_cmd *ptdbg_cmd_find(const struct ptdbg_cmd *cmds, const char *prog,
				       const char *name, FILE *err)
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
		fprintf(err, "%s: '%s' is ambiguous:", prog, name);
		for (const struct ptdbg_cmd *c = cmds; c->name; c++)
			if (!strncmp(c->name, name, n))
				fprintf(err, " %s", c->name);
		fputc('\n', err);
	} else {
		fprintf(err, "%s: unknown command '%s' (%s --help lists them)\n", prog, name, prog);
	}
	return NULL;
}

/* The common tables of s: the session's options, then the program's. */
struct common_tables {
	struct ptdbg_opt session[PTDBG_SESSION_NOPTS];
	struct ptdbg_opt prog[PTDBG_PROG_NOPTS];
};

static void common_tables(struct ptdbg_session *s, struct common_tables *ct)
{
	ptdbg_session_options(s, ct->session);
	ct->prog[0] = (struct ptdbg_opt)PTDBG_OPT_END;
	if (s->cmdprog && s->cmdprog->opts && s->tool_opts)
		s->cmdprog->opts(s->tool_opts, ct->prog);
}

int ptdbg_cmd_parse(struct ptdbg_session *s, const struct ptdbg_opt *opts, int argc, char **argv,
		    unsigned flags, char **pos, int maxpos, int *npos)
{
	static const struct ptdbg_opt none[] = { PTDBG_OPT_END };
	struct common_tables ct;
	common_tables(s, &ct);
	const struct ptdbg_opt *const tables[] = { opts ? opts : none, ct.session, ct.prog, NULL };
	char err[512];
	if (ptdbg_opts_parse(tables, argc, argv, flags, pos, maxpos, npos, err, sizeof(err))) {
		ptdbg_usage_err(s, "%s", err);
		return -1;
	}
	return ptdbg_session_check_symbols(s) ? -1 : 0;
}

/* Whether word is the full name of one of cmds. */
static bool is_cmd_name(const struct ptdbg_cmd *cmds, const char *word)
{
	for (const struct ptdbg_cmd *c = cmds; c->name; c++)
		if (!strcmp(c->name, word))
			return true;
	return false;
}

/* Where the command word is in argv (0: none, the default command), and whether
 * the line asks for --help or --version; common options and their values are
 * stepped over. A command's own option before the command word ("--as NAME map")
 * is not known here: the word after it is taken as its value unless that word is
 * an option or a command's full name, so the command word is still found; the
 * command's parser then judges the option. */
static int scan(struct ptdbg_session *s, const struct ptdbg_cmd *cmds, int argc, char **argv, bool *help,
		bool *version)
{
	struct common_tables ct;
	common_tables(s, &ct);
	const struct ptdbg_opt *const tables[] = { ct.session, ct.prog, NULL };
	int at = 0;
	bool decided = false;
	*help = *version = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--"))
			break;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			*help = true;
			continue;
		}
		if (!strcmp(a, "--version")) {
			*version = true;
			continue;
		}
		if (decided)
			continue;
		if (a[0] == '-' && a[1]) {
			const struct ptdbg_opt *o = ptdbg_opts_find(tables, a);
			if (!o) {
				/* a command's option; its value, if it takes one, is the next word */
				if (!(a[1] == '-' && strchr(a, '=')) && i + 1 < argc && argv[i + 1][0] != '-' &&
				    !is_cmd_name(cmds, argv[i + 1]))
					i++;
			} else if (o->value && (a[1] != '-' || !strchr(a, '=')))
				i++;
			continue;
		}
		at = i;
		decided = true;
	}
	return at;
}

int ptdbg_cmd_run(const struct ptdbg_cmd_prog *p, struct ptdbg_session *s, int argc, char **argv,
		  bool in_debugger)
{
	bool help, version;
	void *store = NULL;
	s->cmdprog = p;
	s->regs_on_demand = p->regs_on_demand;
	s->iommu_table_ahead = p->iommu_table_ahead;
	if (p->opts && p->opts_size) {
		store = calloc(1, p->opts_size);
		if (!store) {
			ptdbg_session_err(s, "out of memory");
			return PTDBG_EXIT_ERROR;
		}
		s->tool_opts = store;
	}
	int at = scan(s, p->cmds, argc, argv, &help, &version);
	int rc = PTDBG_EXIT_OK;
	const struct ptdbg_cmd *c = NULL;
	char **cargv = NULL;
	if (version) {
		fprintf(s->out, "%s %s\n", p->name, p->version);
		goto out;
	}
	if (at && !strcmp(argv[at], "help")) {
		/* help [COMMAND] */
		if (at + 1 < argc && (c = ptdbg_cmd_find(p->cmds, p->name, argv[at + 1], s->err)))
			p->cmd_usage(c, s->out);
		else
			p->usage(s->out);
		goto out;
	}
	if (!at && help) {
		p->usage(s->out);
		goto out;
	}
	c = at ? ptdbg_cmd_find(p->cmds, p->name, argv[at], s->err) : &p->cmds[0];
	if (!c) {
		rc = PTDBG_EXIT_ERROR;
		goto out;
	}
	if (help) {
		p->cmd_usage(c, s->out);
		goto out;
	}
	s->cmd = c->name;
	if (in_debugger && !strcmp(c->name, "shell")) {
		ptdbg_session_err(s, "shell: not inside the debugger, whose prompt takes the same commands");
		rc = PTDBG_EXIT_ERROR;
		goto out;
	}
	/* The command's words: its name, then the line without the command word. */
	cargv = calloc((size_t)argc + 1, sizeof(*cargv));
	if (!cargv) {
		ptdbg_session_err(s, "out of memory");
		rc = PTDBG_EXIT_ERROR;
		goto out;
	}
	int n = 0;
	cargv[n++] = (char *)c->name;
	for (int i = 1; i < argc; i++)
		if (i != at)
			cargv[n++] = argv[i];
	/* Commands attach once their arguments are parsed (ptdbg_session_attach). */
	rc = c->fn(s, n, cargv);
	ptdbg_session_detach(s);
out:
	fflush(s->out);
	free(cargv);
	free(store);
	s->tool_opts = NULL;
	return rc;
}

int ptdbg_cmd_main(const struct ptdbg_cmd_prog *p, int argc, char **argv)
{
	struct ptdbg_session s;
	ptdbg_session_init(&s, p->name);
	s.topts.spec = getenv("PTDBG_TARGET");
	return ptdbg_cmd_run(p, &s, argc, argv, false);
}
