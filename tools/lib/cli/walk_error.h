/* SPDX-License-Identifier: MIT */
/* The one error report of a walk or read that a link error (or lack of memory)
 * ended, for every command of both tools. */
#ifndef PTDBG_CLI_WALK_ERROR_H
#define PTDBG_CLI_WALK_ERROR_H

struct ptdbg_session;

/* Print "out of memory" (rc PTDBG_ENOMEM) or "WHAT: <the target's error line>" as
 * the session's error and return PTDBG_EXIT_ERROR. */
int ptdbg_walk_error(struct ptdbg_session *s, int rc, const char *what);

#endif /* PTDBG_CLI_WALK_ERROR_H */
