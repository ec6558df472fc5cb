/* SPDX-License-Identifier: MIT */
/* A tool's command line inside a debugger, over a callback target; see gdbentry.h. */
#include "cli/gdbentry.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* stdout and stderr redirected to temporary files while a command runs. */
struct capture {
	FILE *files[2];
	int saved[2];
};

/* Point fds 1 and 2 at fresh temporary files. Returns 0 or -1 (nothing changed). */
static int capture_begin(struct capture *c)
{
	fflush(stdout);
	fflush(stderr);
	c->files[0] = tmpfile();
	c->files[1] = tmpfile();
	c->saved[0] = dup(1);
	c->saved[1] = dup(2);
	if (!c->files[0] || !c->files[1] || c->saved[0] < 0 || c->saved[1] < 0 ||
	    dup2(fileno(c->files[0]), 1) < 0 || dup2(fileno(c->files[1]), 2) < 0) {
		for (int i = 0; i < 2; i++) {
			if (c->saved[i] >= 0) {
				dup2(c->saved[i], i + 1);
				close(c->saved[i]);
			}
			if (c->files[i])
				fclose(c->files[i]);
		}
		return -1;
	}
	return 0;
}

/* The whole content of f as a malloc'd string ("" if unreadable). */
static char *slurp(FILE *f)
{
	long n = ftell(f);
	char *s = malloc(n > 0 ? (size_t)n + 1 : 1);
	if (!s)
		return NULL;
	size_t got = 0;
	if (n > 0 && fseek(f, 0, SEEK_SET) == 0)
		got = fread(s, 1, (size_t)n, f);
	s[got] = 0;
	return s;
}

/* Restore fds 1 and 2; hand back what was written to them. */
static void capture_end(struct capture *c, char **out, char **err)
{
	fflush(stdout);
	fflush(stderr);
	for (int i = 0; i < 2; i++) {
		dup2(c->saved[i], i + 1);
		close(c->saved[i]);
		/* The fd was shared with the stdio stream: its offset is the file's end. */
		if (fseek(c->files[i], 0, SEEK_END) != 0)
			clearerr(c->files[i]);
	}
	*out = slurp(c->files[0]);
	*err = slurp(c->files[1]);
	fclose(c->files[0]);
	fclose(c->files[1]);
}

/* Attach s to the callback target: symbols, target, memory reader, registers and the
 * debug region, as ptdbg_session_attach() does for a gdbstub. */
static int attach_callbacks(struct ptdbg_session *s, const struct ptdbg_callbacks *cb)
{
	char err[512] = "";
	if (s->kernel) {
		s->syms = ptdbg_symbols_open(s->kernel, err, sizeof(err));
		if (!s->syms) {
			ptdbg_session_err(s, "%s", err);
			return PTDBG_EXIT_ERROR;
		}
	}
	s->t = ptdbg_callback_open(cb);
	s->mem = s->t ? ptdbg_mem_new(s->t, 0) : NULL;
	if (!s->mem) {
		ptdbg_session_err(s, "out of memory");
		ptdbg_session_detach(s);
		return PTDBG_EXIT_ERROR;
	}
	/* ptdbg_session_refresh() reads the registers and finds the region. */
	if (ptdbg_session_refresh(s)) {
		ptdbg_session_detach(s);
		return PTDBG_EXIT_ERROR;
	}
	s->have_regs = s->regs.valid != 0;
	return 0;
}

/* Parse argv as ptdbg_cmd_main() does and run the command. */
static int run(const struct ptdbg_cmd_prog *p, const struct ptdbg_callbacks *cb, int argc, char **argv)
{
	struct ptdbg_session s;
	ptdbg_session_init(&s, p->name);
	char **rest = calloc((size_t)argc + 2, sizeof(*rest));
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
			printf("%s %s\n", p->name, p->version);
			free(rest);
			return PTDBG_EXIT_OK;
		}
		int r = ptdbg_session_opt(&s, argc, argv, &i);
		if (r == 0 && p->opt)
			r = p->opt(&s, argc, argv, &i);
		if (r < 0) {
			free(rest);
			return PTDBG_EXIT_ERROR;
		}
		if (r == 0)
			rest[nrest++] = argv[i++];
	}

	const struct ptdbg_cmd *c = NULL;
	int rc = PTDBG_EXIT_OK;
	if (nrest == 0 && help) {
		p->usage(stdout);
	} else if (nrest > 0 && !strcmp(rest[0], "help")) {
		if (nrest > 1 && (c = ptdbg_cmd_find(p->cmds, p->name, rest[1])))
			p->cmd_usage(c, stdout);
		else
			p->usage(stdout);
	} else {
		if (nrest == 0 || rest[0][0] == '-') {
			c = &p->cmds[0];
			memmove(rest + 1, rest, (size_t)nrest * sizeof(*rest));
			rest[0] = (char *)c->name;
			nrest++;
		} else if (!(c = ptdbg_cmd_find(p->cmds, p->name, rest[0]))) {
			rc = PTDBG_EXIT_ERROR;
		}
		if (c && help) {
			p->cmd_usage(c, stdout);
		} else if (c && !strcmp(c->name, "shell")) {
			ptdbg_session_err(&s, "shell: not inside the debugger, whose prompt takes the same commands");
			rc = PTDBG_EXIT_ERROR;
		} else if (c) {
			if (!c->no_attach)
				rc = s.topts.spec || s.topts.core_file ? ptdbg_session_attach(&s)
								       : attach_callbacks(&s, cb);
			if (rc == 0)
				rc = c->fn(&s, nrest, rest);
			ptdbg_session_detach(&s);
		}
	}
	free(rest);
	return rc;
}

int ptdbg_gdb_run(const struct ptdbg_cmd_prog *p, const struct ptdbg_callbacks *cb, int argc,
		  char **argv, char **out, char **err)
{
	/* Attaching with -t or --core installs the tools' signal handlers: the
	 * debugger keeps its own. */
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction saved[3];
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], NULL, &saved[i]);
	struct capture c;
	*out = *err = NULL;
	bool captured = capture_begin(&c) == 0;
	int rc = run(p, cb, argc, argv);
	if (captured)
		capture_end(&c, out, err);
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &saved[i], NULL);
	return rc;
}

void ptdbg_gdb_free(char *text)
{
	free(text);
}
