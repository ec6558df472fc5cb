/* SPDX-License-Identifier: MIT */
/* ptdump layout: Linux's names for a Linux guest's layout, and how each was found. */
#include <stdio.h>
#include <stdlib.h>

#include "ptdump.h"
#include "arm64/arm64_linux.h"
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
	/* Each architecture fills the same structure; the rest of ptdump only reads it. */
	int lr;
	if (pt_is_a64(s)) {
		struct ptdbg_arm64_cpu acpu;
		if (pt_a64_cpu(s, &acpu)) {
			free(l);
			*rc = PTDBG_EXIT_ERROR;
			return NULL;
		}
		lr = ptdbg_arm64_linux_layout(s->mem, &acpu, s->syms, l);
	} else {
		struct ptdbg_x86_cpu cpu;
		ptdbg_session_cpu(s, &cpu);
		lr = ptdbg_x86_linux_layout(s->mem, &cpu, s->syms, l);
	}
	if (lr) {
		free(l);
		*rc = ptdbg_walk_error(s, lr, "Linux layout not found");
		return NULL;
	}
	s->linux_layout = l;
	return l;
}

int pt_linux_slide(struct ptdbg_session *s, uint64_t *slide)
{
	int rc = 0;
	*slide = 0;
	if (s->have_region || !s->syms)
		return 0;
	const struct ptdbg_linux_layout *l = pt_linux_layout(s, &rc);
	if (!l)
		return rc;
	const struct ptdbg_linux_base *b = ptdbg_linux_base(l, "text_offset");
	if (l->valid && b && b->found) {
		*slide = b->value;
		s->sym_slide = (int64_t)b->value;
	}
	return 0;
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
