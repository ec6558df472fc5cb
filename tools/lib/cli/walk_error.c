/* SPDX-License-Identifier: MIT */
/* The error report of a failed walk; see walk_error.h. */
#include "cli/walk_error.h"

#include "cli/session.h"

int ptdbg_walk_error(struct ptdbg_session *s, int rc, const char *what)
{
	if (rc == PTDBG_ENOMEM)
		ptdbg_session_err(s, "out of memory");
	else
		ptdbg_session_err(s, "%s: %s", what, ptdbg_target_error(s->t));
	return PTDBG_EXIT_ERROR;
}
