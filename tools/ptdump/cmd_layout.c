/* SPDX-License-Identifier: MIT */
/* ptdump layout: Linux's names for a Linux guest's layout, and how each was found. */
#include <stdio.h>
#include <stdlib.h>

#include "ptdump.h"
#include "x86/x86_linux.h"

const struct ptdbg_linux_layout *pt_linux_layout(struct ptdbg_session *s, int *rc)
{
	*rc = 0;
	if (s->linux_layout)
		return s->linux_layout;
	struct ptdbg_linux_layout *l = malloc(sizeof(*l));
	if (!l) {
		ptdbg_session_err(s, "out of memory");
		*rc = PTDBG_EXIT_ERROR;
		return NULL;
	}
	/* x86-64 is the one architecture of the session today. An AArch64 guest's
	 * layout (arch/arm64/mm/ptdump.c's markers: from TTBR1, _text against
	 * kimage_voffset, PAGE_OFFSET from vabits_actual, memstart_addr) is filled by
	 * arm64's own function into the same structure, chosen here by the target's
	 * architecture; the rest of ptdump only reads the structure. */
	struct ptdbg_x86_cpu cpu;
	ptdbg_session_cpu(s, &cpu);
	int lr = ptdbg_x86_linux_layout(s->mem, &cpu, s->syms, l);
	if (lr) {
		free(l);
		*rc = ptdbg_walk_error(s, lr, "Linux layout not found");
		return NULL;
	}
	s->linux_layout = l;
	return l;
}

const char *pt_linux_marker_name(void *ctx, uint64_t va, uint64_t *start, uint64_t *end)
{
	const struct ptdbg_linux_marker *m = ptdbg_linux_marker_at(ctx, va, start, end);
	return m ? m->name : NULL; /* one stable string per marker: Linux's own names */
}

int cmd_layout(struct ptdbg_session *s, int argc, char **argv)
{
	int npos, rc;
	if (ptdbg_cmd_parse(s, NULL, argc, argv, 0, NULL, 0, &npos))
		return PTDBG_EXIT_ERROR;
	if (pt_attach(s))
		return PTDBG_EXIT_ERROR;
	const struct ptdbg_linux_layout *l = pt_linux_layout(s, &rc);
	if (!l)
		return rc;
	if (s->json) {
		struct ptdbg_json *j = ptdbg_session_json(s);
		if (!j)
			return PTDBG_EXIT_ERROR;
		ptdbg_linux_layout_json(j, l);
		ptdbg_json_free(j);
	} else {
		ptdbg_linux_layout_print(s->out, l);
	}
	fflush(s->out);
	return 0;
}
