/* SPDX-License-Identifier: MIT */
/* ptdump walk VA: translate one address level by level. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptdump.h"
#include "x86/x86_print.h"

int cmd_walk(struct ptdbg_session *s, int argc, char **argv)
{
	struct pt_space_sel sel = { 0 };
	const char *va_arg = NULL;
	unsigned access = 0;
	for (int i = 1; i < argc;) {
		int r = pt_space_opt(s, &sel, argc, argv, &i);
		if (r < 0)
			return PTDBG_EXIT_ERROR;
		if (r)
			continue;
		const char *a = argv[i++];
		if (!strcmp(a, "--write"))
			access |= PTDBG_ACC_WRITE;
		else if (!strcmp(a, "--user"))
			access |= PTDBG_ACC_USER;
		else if (!strcmp(a, "--exec"))
			access |= PTDBG_ACC_FETCH;
		else if (a[0] == '-' && a[1]) {
			ptdbg_session_err(s, "walk: unknown option '%s' (ptdump walk --help)", a);
			return PTDBG_EXIT_ERROR;
		} else if (!va_arg)
			va_arg = a;
		else {
			ptdbg_session_err(s, "walk: one address at a time ('%s' is one too many)", a);
			return PTDBG_EXIT_ERROR;
		}
	}
	if (!va_arg) {
		ptdbg_session_err(s, "walk: which address? (ptdump walk VA)");
		return PTDBG_EXIT_ERROR;
	}
	uint64_t va;
	if (ptdbg_session_parse_addr(s, va_arg, &va))
		return PTDBG_EXIT_ERROR;
	if (sel.all) {
		ptdbg_session_err(s, "walk: --all does not apply; use --as or --cr3");
		return PTDBG_EXIT_ERROR;
	}
	if (pt_attach(s))
		return PTDBG_EXIT_ERROR;
	if (pt_is_a64(s))
		return pt_a64_walk(s, va, access);
	struct pt_space *sp;
	size_t n;
	int rc = pt_space_resolve(s, &sel, &sp, &n);
	if (rc)
		return rc;
	struct ptdbg_translation tr;
	rc = ptdbg_x86_translate(s->mem, &sp->cpu, va, access, &tr);
	if (rc) {
		free(sp);
		return pt_walk_error(s, rc);
	}
	char sym[160];
	ptdbg_session_symbolize(s, va, sym, sizeof(sym));
	if (s->json) {
		struct ptdbg_json *j = ptdbg_session_json(s);
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "space", sp->name);
		if (sym[0])
			ptdbg_json_string_field(j, "symbol", sym);
		ptdbg_json_name(j, "translation");
		ptdbg_x86_json_translation(j, &sp->cpu, &tr);
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
	} else {
		printf("address space %s, %u-level paging%s%s\n", sp->name, ptdbg_x86_levels(&sp->cpu),
		       sym[0] ? ", " : "", sym);
		ptdbg_x86_print_translation(stdout, &sp->cpu, &tr);
	}
	free(sp);
	return 0;
}
