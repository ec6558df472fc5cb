/* SPDX-License-Identifier: MIT */
/* ptdump x VA [N]: disassemble through the guest's page tables, with symbols. */
#include <capstone/capstone.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptdump.h"

#define MAX_INSNS 4096u
#define INSN_MAX_BYTES 15u

/* Append " <sym+off>" for a direct branch target in op_str. */
static void branch_symbol(struct ptdbg_session *s, const cs_insn *in, char *buf, size_t len)
{
	buf[0] = 0;
	if (strncmp(in->op_str, "0x", 2) != 0)
		return;
	char *end;
	uint64_t target = strtoull(in->op_str, &end, 16);
	if (*end || (in->mnemonic[0] != 'j' && strcmp(in->mnemonic, "call") != 0))
		return;
	char sym[160];
	ptdbg_session_symbolize(s, target, sym, sizeof(sym));
	if (sym[0])
		snprintf(buf, len, " <%s>", sym);
}

/* Print count instructions (text or JSON, per the session) of the space named
 * space: address, symbol, bytes, mnemonic, operands, and what branch_sym says of a
 * branch's target; then why the listing stopped early (stop, or NULL). The one
 * printer of `x` for every architecture. */
void pt_print_insns(struct ptdbg_session *s, const char *space, const cs_insn *insn, size_t count,
		    void (*branch_sym)(struct ptdbg_session *, const cs_insn *, char *, size_t),
		    const char *stop)
{
	struct ptdbg_json *j = s->json ? ptdbg_session_json(s) : NULL;
	if (j) {
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "space", space);
		ptdbg_json_name(j, "instructions");
		ptdbg_json_start_array(j);
	}
	char sym[160], bsym[180], hex[64];
	for (size_t i = 0; i < count; i++) {
		const cs_insn *in = &insn[i];
		ptdbg_session_symbolize(s, in->address, sym, sizeof(sym));
		branch_sym(s, in, bsym, sizeof(bsym));
		size_t h = 0;
		for (size_t b = 0; b < in->size && h + 3 < sizeof(hex); b++)
			h += (size_t)snprintf(hex + h, sizeof(hex) - h, "%s%02x", b ? " " : "", in->bytes[b]);
		if (j) {
			ptdbg_json_start_object(j);
			ptdbg_json_hex_field(j, "va", in->address);
			if (sym[0])
				ptdbg_json_string_field(j, "symbol", sym);
			ptdbg_json_string_field(j, "bytes", hex);
			ptdbg_json_string_field(j, "mnemonic", in->mnemonic);
			ptdbg_json_string_field(j, "operands", in->op_str);
			ptdbg_json_end_object(j);
		} else {
			fprintf(s->out, "%016" PRIx64 " %-24s %-30s %s%s%s%s\n", in->address, sym[0] ? sym : "",
				hex, in->mnemonic, in->op_str[0] ? " " : "", in->op_str, bsym);
		}
	}
	if (j) {
		ptdbg_json_end_array(j);
		if (stop)
			ptdbg_json_string_field(j, "stopped", stop);
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
	} else if (stop) {
		fprintf(s->out, "(%s)\n", stop);
	}
}

int cmd_x(struct ptdbg_session *s, int argc, char **argv)
{
	struct pt_space_sel sel = { 0 };
	const struct ptdbg_opt opts[] = { PT_SPACE_OPTS(&sel), PTDBG_OPT_END };
	char *pos[2];
	int npos;
	if (ptdbg_cmd_parse(s, opts, argc, argv, 0, pos, 2, &npos))
		return PTDBG_EXIT_ERROR;
	const char *va_arg = npos > 0 ? pos[0] : NULL, *n_arg = npos > 1 ? pos[1] : NULL;
	uint64_t va, n = 10;
	if (!va_arg) {
		ptdbg_usage_err(s, "which address? (ptdump x VA [N])");
		return PTDBG_EXIT_ERROR;
	}
	if (ptdbg_session_parse_addr(s, va_arg, &va))
		return PTDBG_EXIT_ERROR;
	if (n_arg && (ptdbg_parse_u64(n_arg, &n) || n == 0 || n > MAX_INSNS)) {
		ptdbg_usage_err(s, "N must be 1..%u, not '%s'", MAX_INSNS, n_arg);
		return PTDBG_EXIT_ERROR;
	}
	if (sel.all) {
		ptdbg_usage_err(s, "option '--all' does not apply: use --as or --cr3");
		return PTDBG_EXIT_ERROR;
	}
	if (pt_attach(s))
		return PTDBG_EXIT_ERROR;
	if (pt_is_a64(s))
		return pt_a64_x(s, &sel, va, (unsigned)n);
	struct pt_space *sp;
	size_t nsp;
	int rc = pt_space_resolve(s, &sel, &sp, &nsp);
	if (rc)
		return rc;
	size_t want = (size_t)n * INSN_MAX_BYTES;
	uint8_t *buf = malloc(want);
	if (!buf) {
		free(sp);
		return PTDBG_EXIT_ERROR;
	}
	struct ptdbg_translation why;
	int link;
	struct ptdbg_walk_space ws;
	ptdbg_x86_space(&ws, &sp->cpu, 0);
	size_t got = ptdbg_read_virt(s->mem, &ws, va, PTDBG_ACC_FETCH, buf, want, &why, &link);
	if (link) {
		free(buf);
		free(sp);
		return pt_walk_error(s, link);
	}
	csh cs;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK) {
		ptdbg_session_err(s, "capstone: cannot open the x86-64 disassembler");
		free(buf);
		free(sp);
		return PTDBG_EXIT_ERROR;
	}
	cs_insn *insn = NULL;
	size_t count = got ? cs_disasm(cs, buf, got, va, (size_t)n, &insn) : 0;
	const char *stop = NULL;
	char stopbuf[160];
	if (count < n) {
		uint64_t at = count ? insn[count - 1].address + insn[count - 1].size : va;
		if (why.stop != PTDBG_STOP_OK && at + INSN_MAX_BYTES >= why.va) {
			snprintf(stopbuf, sizeof(stopbuf), "%#llx is not readable: %s", (unsigned long long)why.va,
				 ptdbg_x86_stop_name(why.stop));
		} else {
			snprintf(stopbuf, sizeof(stopbuf), "bytes at %#llx do not decode", (unsigned long long)at);
		}
		stop = stopbuf;
	}
	pt_print_insns(s, sp->name, insn, count, branch_symbol, stop);
	if (insn)
		cs_free(insn, count);
	cs_close(&cs);
	free(buf);
	free(sp);
	return count ? 0 : PTDBG_EXIT_ERROR;
}
