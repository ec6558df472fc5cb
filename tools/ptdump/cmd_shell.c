/* SPDX-License-Identifier: MIT */
/*
 * ptdump shell: an interactive readline shell. One attach serves every command;
 * the VM stays stopped while the shell holds it, `continue` lets it run and `stop`
 * stops it again (and refreshes registers and the debug region).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "ptdump.h"

static struct ptdbg_session *shell_session;

static const char *const shell_words[] = { "continue", "stop", "echo", "help", "quit", "exit", NULL };

/* Generator for the first word: command names. */
static char *cmd_generator(const char *text, int state)
{
	static size_t i, k, len;
	if (!state) {
		i = k = 0;
		len = strlen(text);
	}
	while (pt_cmds[i].name) {
		const char *n = pt_cmds[i++].name;
		if (!strncmp(n, text, len) && strcmp(n, "shell"))
			return strdup(n);
	}
	while (shell_words[k]) {
		const char *n = shell_words[k++];
		if (!strncmp(n, text, len))
			return strdup(n);
	}
	return NULL;
}

/* Generator for later words: symbols. */
static char *sym_generator(const char *text, int state)
{
	static const char *hits[256];
	static size_t n, i;
	if (!shell_session->syms)
		return NULL;
	if (!state) {
		n = ptdbg_symbols_complete(shell_session->syms, text, hits, 256);
		if (n > 256)
			n = 256;
		i = 0;
	}
	return i < n ? strdup(hits[i++]) : NULL;
}

static char **complete(const char *text, int start, int end)
{
	(void)end;
	rl_attempted_completion_over = 1;
	int first = 1;
	for (int i = 0; i < start; i++)
		if (!isspace((unsigned char)rl_line_buffer[i]))
			first = 0;
	return rl_completion_matches(text, first ? cmd_generator : sym_generator);
}

/* Split line into words (quotes group); returns the count. Modifies line. */
static int split(char *line, char **argv, int max)
{
	int n = 0;
	char *p = line;
	while (*p && n < max - 1) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		char q = (*p == '"' || *p == '\'') ? *p++ : 0;
		argv[n++] = p;
		while (*p && (q ? *p != q : !isspace((unsigned char)*p)))
			p++;
		if (*p)
			*p++ = 0;
	}
	argv[n] = NULL;
	return n;
}

static void shell_help(FILE *out)
{
	fprintf(out, "Commands (unique prefixes work; COMMAND --help for options):\n");
	for (const struct ptdbg_cmd *c = pt_cmds; c->name; c++)
		if (strcmp(c->name, "shell"))
			fprintf(out, "  %-8s %-18s %s\n", c->name, c->args, c->summary);
	fprintf(out, "  %-27s let the VM run\n  %-27s stop it again and re-read its state\n"
	       "  %-27s print TEXT (separates outputs in scripts)\n  %-27s leave (the VM is left as it was found)\n",
	       "continue", "stop", "echo TEXT", "quit");
}

/* Run one line; returns 1 to leave the shell. */
static int run_line(struct ptdbg_session *s, char *line, bool *running)
{
	char *argv[64];
	int argc = split(line, argv, 64);
	if (argc == 0)
		return 0;
	if (!strcmp(argv[0], "quit") || !strcmp(argv[0], "exit") || !strcmp(argv[0], "q"))
		return 1;
	if (!strcmp(argv[0], "echo")) {
		for (int i = 1; i < argc; i++)
			fprintf(s->out, "%s%s", argv[i], i + 1 < argc ? " " : "");
		fputc('\n', s->out);
		return 0;
	}
	if (!strcmp(argv[0], "help") || !strcmp(argv[0], "?")) {
		shell_help(s->out);
		return 0;
	}
	if (!strcmp(argv[0], "continue") || !strcmp(argv[0], "c")) {
		if (*running)
			fprintf(s->out, "the VM is already running\n");
		else if (ptdbg_target_resume(s->t))
			ptdbg_session_err(s, "continue: %s", ptdbg_target_error(s->t));
		else
			*running = true;
		return 0;
	}
	if (!strcmp(argv[0], "stop")) {
		if (!*running)
			fprintf(s->out, "the VM is already stopped\n");
		else if (ptdbg_target_stop(s->t))
			ptdbg_session_err(s, "stop: %s", ptdbg_target_error(s->t));
		else {
			*running = false;
			ptdbg_session_refresh(s);
		}
		return 0;
	}
	/* A command of its own: -j and -p hold for this line only (the session is
	 * attached, so its table has no target options: those belong on the shell's
	 * command line). */
	bool json = s->json, pretty = s->pretty;
	const struct ptdbg_cmd *c = pt_cmd_find(argv[0], s->err);
	bool help = false;
	for (int i = 1; i < argc; i++)
		help |= !strcmp(argv[i], "--help") || !strcmp(argv[i], "-h");
	if (!c) {
		/* pt_cmd_find said why */
	} else if (help) {
		pt_cmd_usage(c, s->out);
	} else if (c->fn == cmd_shell) {
		fprintf(s->out, "already in the shell\n");
	} else if (*running && !c->no_attach) {
		fprintf(s->out, "the VM is running: 'stop' it first\n");
	} else {
		const char *cmd = s->cmd;
		s->cmd = c->name;
		argv[0] = (char *)c->name;
		/* The page cache outlives the command: while the VM stays stopped a later
		 * command reads only what no earlier one did (-v counts the link reads). */
		struct ptdbg_target_stats st0 = s->t ? s->t->stats : (struct ptdbg_target_stats){ 0 };
		c->fn(s, argc, argv);
		if (s->topts.verbose && s->t)
			fprintf(s->err, "%s: %s: %llu link reads, %llu bytes\n", s->prog, c->name,
				(unsigned long long)(s->t->stats.reads - st0.reads),
				(unsigned long long)(s->t->stats.bytes_read - st0.bytes_read));
		s->cmd = cmd;
	}
	fflush(s->out);
	s->json = json;
	s->pretty = pretty;
	return 0;
}

int cmd_shell(struct ptdbg_session *s, int argc, char **argv)
{
	int npos;
	if (ptdbg_cmd_parse(s, NULL, argc, argv, 0, NULL, 0, &npos))
		return PTDBG_EXIT_ERROR;
	if (pt_attach(s))
		return PTDBG_EXIT_ERROR;
	shell_session = s;
	rl_readline_name = "ptdump";
	rl_attempted_completion_function = complete;
	char hist[4096] = "";
	const char *home = getenv("HOME");
	if (home) {
		snprintf(hist, sizeof(hist), "%s/.ptdump_history", home);
		read_history(hist);
	}
	bool interactive = isatty(STDIN_FILENO);
	if (interactive)
		fprintf(s->out, "ptdump shell on %s (the VM is stopped). 'help' lists commands.\n", ptdbg_target_backend(s->t));
	bool running = false;
	for (;;) {
		char *line = NULL;
		if (interactive) {
			line = readline("ptdump> ");
		} else {
			/* Scripted input: no prompt, no echo. */
			size_t cap = 0;
			ssize_t n = getline(&line, &cap, stdin);
			if (n < 0) {
				free(line);
				line = NULL;
			} else if (n && line[n - 1] == '\n') {
				line[n - 1] = 0;
			}
		}
		if (!line)
			break;
		if (*line && interactive)
			add_history(line);
		int quit = run_line(s, line, &running);
		free(line);
		if (quit)
			break;
	}
	if (hist[0] && interactive)
		write_history(hist);
	if (running)
		ptdbg_target_stop(s->t); /* detach decides whether it runs again */
	return 0;
}
