/* SPDX-License-Identifier: MIT */
/* ptdump walk VA: translate one address level by level. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptdump.h"
#include "x86/x86_access.h"
#include "x86/x86_print.h"

int cmd_walk(struct ptdbg_session *s, int argc, char **argv)
{
	struct pt_space_sel sel = { 0 };
	bool write = false, user = false, exec = false;
	const struct ptdbg_opt opts[] = {
		PT_SPACE_OPTS(&sel),
		{ .name = "write", .flag = &write },
		{ .name = "user", .flag = &user },
		{ .name = "exec", .flag = &exec },
		PTDBG_OPT_END,
	};
	char *pos[1];
	int npos;
	if (ptdbg_cmd_parse(s, opts, argc, argv, 0, pos, 1, &npos))
		return PTDBG_EXIT_ERROR;
	unsigned access = (write ? PTDBG_ACC_WRITE : 0) | (user ? PTDBG_ACC_USER : 0) |
			  (exec ? PTDBG_ACC_FETCH : 0);
	if (!npos) {
		ptdbg_usage_err(s, "which address? (ptdump walk VA)");
		return PTDBG_EXIT_ERROR;
	}
	const char *va_arg = pos[0];
	uint64_t va;
	if (ptdbg_session_parse_addr(s, va_arg, &va))
		return PTDBG_EXIT_ERROR;
	if (sel.all) {
		ptdbg_usage_err(s, "option '--all' does not apply: use --as or --cr3");
		return PTDBG_EXIT_ERROR;
	}
	if (pt_attach(s))
		return PTDBG_EXIT_ERROR;
	/* A symbol of a KASLR Linux kernel: where the running kernel put it. */
	uint64_t num, slide = 0;
	if (ptdbg_parse_u64(va_arg, &num)) {
		int lrc = pt_linux_slide(s, &slide);
		if (lrc)
			return lrc;
		va += slide;
		if (slide && s->topts.verbose)
			fprintf(s->err, "%s: %s relocated by the running kernel's text offset %#llx (ptdump layout)\n",
				s->prog, va_arg, (unsigned long long)slide);
	}
	if (pt_is_a64(s))
		return pt_a64_walk(s, &sel, va, access);
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
	/* SMEP and SMAP as CR4 says, with RFLAGS.AC=0 (the kernel's usual state);
	 * PKRU is not known through the gdbstub. */
	struct ptdbg_x86_access_state ast = { .ac = false };
	enum ptdbg_x86_deny why = ptdbg_x86_access_check(&sp->cpu, &ast, &tr);
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
		if (why == PTDBG_X86_DENY_SMEP || why == PTDBG_X86_DENY_SMAP)
			ptdbg_json_string_field(j, "denied_by", ptdbg_x86_deny_name(why));
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
	} else {
		fprintf(s->out, "address space %s, %u-level paging%s%s\n", sp->name, ptdbg_x86_levels(&sp->cpu),
		       sym[0] ? ", " : "", sym);
		ptdbg_x86_print_translation(s->out, &sp->cpu, &tr);
		if (why == PTDBG_X86_DENY_SMEP)
			fprintf(s->out, "denied by SMEP: a supervisor fetch from a user page with CR4.SMEP=1\n");
		else if (why == PTDBG_X86_DENY_SMAP)
			fprintf(s->out, "denied by SMAP: a supervisor data access to a user page with "
				"CR4.SMAP=1 (RFLAGS.AC=0 assumed)\n");
	}
	free(sp);
	return 0;
}
