/* SPDX-License-Identifier: MIT */
/* ptdump regs and ptdump monitor: the paging registers; a QEMU monitor command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptdump.h"
#include "x86/x86_bits.h"

static void reg_line(FILE *out, const char *name, uint64_t v, bool valid, const struct ptdbg_bit_table *t)
{
	if (!valid) {
		fprintf(out, "%-6s (not available)\n", name);
		return;
	}
	fprintf(out, "%-6s 0x%016llx", name, (unsigned long long)v);
	if (t) {
		char bits[512];
		ptdbg_bits_format(t, v, " ", bits, sizeof(bits));
		fprintf(out, "  %s", bits);
	}
	fputc('\n', out);
}

int cmd_regs(struct ptdbg_session *s, int argc, char **argv)
{
	int npos;
	if (ptdbg_cmd_parse(s, NULL, argc, argv, 0, NULL, 0, &npos))
		return PTDBG_EXIT_ERROR;
	if (pt_attach(s))
		return PTDBG_EXIT_ERROR;
	if (pt_is_a64(s))
		return pt_a64_regs(s);
	const struct ptdbg_regs *r = &s->regs;
	struct ptdbg_x86_cpu cpu;
	ptdbg_session_cpu(s, &cpu);
	if (s->json) {
		struct ptdbg_json *j = ptdbg_session_json(s);
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "backend", ptdbg_target_backend(s->t));
#define JREG(bit, nm, val) if (r->valid & (bit)) ptdbg_json_hex_field(j, nm, val)
		JREG(PTDBG_REG_RIP, "rip", r->rip);
		JREG(PTDBG_REG_RSP, "rsp", r->rsp);
		JREG(PTDBG_REG_CR0, "cr0", r->cr0);
		JREG(PTDBG_REG_CR2, "cr2", r->cr2);
		JREG(PTDBG_REG_CR3, "cr3", r->cr3);
		JREG(PTDBG_REG_CR4, "cr4", r->cr4);
		JREG(PTDBG_REG_EFER, "efer", r->efer);
#undef JREG
		ptdbg_json_uint_field(j, "paging_levels", ptdbg_x86_levels(&cpu));
		ptdbg_json_hex_field(j, "pat", cpu.pat);
		ptdbg_json_string_field(j, "pat_source", cpu.pat_source == PTDBG_PAT_REGION ? "region" :
					cpu.pat_source == PTDBG_PAT_USER ? "user" : "reset");
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
		return 0;
	}
	char sym[160];
	ptdbg_session_symbolize(s, r->rip, sym, sizeof(sym));
	fprintf(s->out, "%-6s 0x%016llx %s\n", "RIP", (unsigned long long)r->rip, sym);
	reg_line(s->out, "CR0", r->cr0, r->valid & PTDBG_REG_CR0, NULL);
	reg_line(s->out, "CR2", r->cr2, r->valid & PTDBG_REG_CR2, NULL);
	reg_line(s->out, "CR3", r->cr3, r->valid & PTDBG_REG_CR3, &x86_bits_cr3);
	reg_line(s->out, "CR4", r->cr4, r->valid & PTDBG_REG_CR4, NULL);
	reg_line(s->out, "EFER", r->efer, r->valid & PTDBG_REG_EFER, NULL);
	fprintf(s->out, "paging: %u levels, %s%s%s%s%s\n", ptdbg_x86_levels(&cpu),
	       (cpu.cr0 & X86_CR0_WP) ? "WP " : "", (cpu.efer & X86_EFER_NXE) ? "NXE " : "",
	       (cpu.cr4 & X86_CR4_SMEP) ? "SMEP " : "", (cpu.cr4 & X86_CR4_SMAP) ? "SMAP " : "",
	       (cpu.cr4 & X86_CR4_PKE) ? "PKE" : "");
	fprintf(s->out, "PAT    0x%016llx (%s)\n", (unsigned long long)cpu.pat,
	       cpu.pat_source == PTDBG_PAT_REGION ? "from the debug region" :
	       cpu.pat_source == PTDBG_PAT_USER ? "from --pat" : "not known: the reset value is assumed");
	return 0;
}

int cmd_monitor(struct ptdbg_session *s, int argc, char **argv)
{
	/* Options before the monitor command's first word; every word from there on
	 * is the monitor's. */
	char **words = calloc((size_t)argc, sizeof(*words));
	int nw;
	if (!words)
		return PTDBG_EXIT_ERROR;
	if (ptdbg_cmd_parse(s, NULL, argc, argv, PTDBG_OPTS_REST, words, argc, &nw)) {
		free(words);
		return PTDBG_EXIT_ERROR;
	}
	if (nw == 0) {
		free(words);
		ptdbg_usage_err(s, "which command? (ptdump monitor info mem)");
		return PTDBG_EXIT_ERROR;
	}
	size_t len = 0;
	for (int i = 0; i < nw; i++)
		len += strlen(words[i]) + 1;
	char *cmd = malloc(len + 1), *out = NULL;
	if (!cmd) {
		free(words);
		return PTDBG_EXIT_ERROR;
	}
	cmd[0] = 0;
	for (int i = 0; i < nw; i++) {
		strcat(cmd, words[i]);
		if (i + 1 < nw)
			strcat(cmd, " ");
	}
	free(words);
	int rc = pt_attach(s);
	if (rc) {
		free(cmd);
		return rc;
	}
	rc = ptdbg_monitor(s->t, cmd, &out);
	free(cmd);
	if (rc) {
		ptdbg_session_err(s, "monitor: %s", ptdbg_target_error(s->t));
		return PTDBG_EXIT_ERROR;
	}
	fputs(out, s->out);
	free(out);
	return 0;
}
