/* SPDX-License-Identifier: MIT */
/*
 * ptdump on AArch64: the commands' AArch64 side, called by each command once its
 * options are parsed and the target says it is an AArch64 CPU. What the tables
 * mean is in tools/lib/arm64/; this file only connects the session to it.
 */
#include <capstone/capstone.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm64/arm64_check.h"
#include "arm64/arm64_print.h"
#include "arm64/arm64_regs.h"
#include "arm64/arm64_snap.h"
#include "ptdump.h"

bool pt_is_a64(struct ptdbg_session *s)
{
	return ptdbg_session_arch(s) == PTDBG_ARCH_AARCH64;
}

/* The CPU state from the session's registers; an error (printed) when a walk cannot
 * start. */
int pt_a64_cpu(struct ptdbg_session *s, struct ptdbg_arm64_cpu *cpu)
{
	struct ptdbg_regs r = s->regs;
	uint32_t missing = ptdbg_arm64_regs_missing(&r);

	/* A core file has no system registers: the region has them as the kernel set
	 * them up (TTBR0 then is the kernel's, not the running process's). */
	if (missing && s->have_region && s->region.hdr.arch == PTDBG_ARCH_AARCH64) {
		const struct ptdbg_cpu_arm64 *a = &s->region.hdr.arm64;
#define FROM_REGION(bit, field, val) \
		if (!(r.valid & (bit))) { r.field = (val); r.valid |= (bit); }
		FROM_REGION(PTDBG_REG_TTBR0, ttbr0_el1, a->ttbr0);
		FROM_REGION(PTDBG_REG_TTBR1, ttbr1_el1, a->ttbr1);
		FROM_REGION(PTDBG_REG_TCR, tcr_el1, a->tcr);
		FROM_REGION(PTDBG_REG_MAIR, mair_el1, a->mair);
		FROM_REGION(PTDBG_REG_SCTLR, sctlr_el1, a->sctlr);
		FROM_REGION(PTDBG_REG_MMFR0, id_aa64mmfr0_el1, a->mmfr0);
#undef FROM_REGION
		if (s->topts.verbose)
			fprintf(s->err, "%s: translation registers from the debug region, as the kernel set "
				"them up\n", s->prog);
		missing = ptdbg_arm64_regs_missing(&r);
	}
	ptdbg_arm64_cpu_from_regs(cpu, &r);
	if (missing) {
		ptdbg_session_err(s, "the target gives no %s%s%s%s: cannot walk AArch64 tables%s",
				  (missing & PTDBG_REG_TTBR0) ? "TTBR0_EL1 " : "",
				  (missing & PTDBG_REG_TTBR1) ? "TTBR1_EL1 " : "",
				  (missing & PTDBG_REG_TCR) ? "TCR_EL1" : "", "",
				  s->topts.core_file ? " (QEMU writes no system registers into an "
						       "AArch64 core file)" : "");
		return PTDBG_EXIT_ERROR;
	}
	return 0;
}

static void a64_sym(void *ctx, uint64_t addr, char *buf, size_t len)
{
	ptdbg_session_symbolize(ctx, addr, buf, len);
}

static void a64_leaf(void *ctx)
{
	pt_progress_leaf(ctx);
}

int pt_a64_dump(struct ptdbg_session *s, const struct pt_a64_dump_args *a)
{
	struct ptdbg_arm64_cpu cpu;
	struct ptdbg_arm64_dump_opts o = { 0 };
	char bad[64];

	if (pt_attach(s))
		return PTDBG_EXIT_ERROR;
	if (pt_a64_cpu(s, &cpu))
		return PTDBG_EXIT_ERROR;
	if (a->flags && ptdbg_arm64_parse_flags(a->flags, &o.need_set, &o.need_clear, bad, sizeof(bad))) {
		ptdbg_session_err(s, "--flags: unknown flag '%s' (w, ro, x, nx, u, k, uw, ux, g, ng, af, noaf)",
				  bad);
		return PTDBG_EXIT_ERROR;
	}
	if (!ptdbg_arm64_mmu_on(&cpu)) {
		if (s->json) {
			struct ptdbg_json *j = ptdbg_session_json(s);
			ptdbg_json_start_object(j);
			ptdbg_json_string_field(j, "arch", "aarch64");
			ptdbg_json_bool_field(j, "mmu", false);
			ptdbg_json_end_object(j);
			ptdbg_json_free(j);
		} else {
			fprintf(s->out, "# the MMU is off (SCTLR_EL1.M=0): addresses are physical, no tables are in use\n");
		}
		return 0;
	}
	unsigned halves = a->halves ? a->halves : 3;
	struct ptdbg_json *j = s->json ? ptdbg_session_json(s) : NULL;
	bool both = halves == 3;
	struct pt_progress prog;
	struct pt_marker_ctx mc = { s, 0 };
	int rc = 0;

	o.out = s->out;
	o.json = j;
	o.marker = s->have_region ? pt_marker_name : NULL;
	o.marker_ctx = &mc;
	o.merge_virtual = a->merge_virtual;
	o.show_absent = a->show_absent;
	o.show_nodes = a->show_nodes;
	o.range = a->range;
	o.lo = a->lo;
	o.hi = a->hi;
	o.on_leaf = a64_leaf;
	o.leaf_ctx = &prog;
	if (j && both)
		ptdbg_json_start_array(j);
	bool first = true;
	for (unsigned h = 0; h < 2 && rc == 0; h++) {
		if (!(halves & (1u << h)))
			continue;
		struct ptdbg_walk_result res;
		if (!first && !j)
			fputc('\n', s->out);
		first = false;
		pt_progress_start(&prog, s, "walking");
		int wr = ptdbg_arm64_dump_half(s->mem, &cpu, h, &o, &res);
		pt_progress_end(&prog);
		if (wr)
			rc = pt_walk_error(s, wr);
	}
	if (j) {
		if (both)
			ptdbg_json_end_array(j);
		ptdbg_json_free(j);
	}
	fflush(s->out);
	return rc;
}

int pt_a64_walk(struct ptdbg_session *s, uint64_t va, unsigned access)
{
	struct ptdbg_arm64_cpu cpu;
	struct ptdbg_translation tr;
	int half;

	if (pt_attach(s) || pt_a64_cpu(s, &cpu))
		return PTDBG_EXIT_ERROR;
	int rc = ptdbg_arm64_translate(s->mem, &cpu, va, access, &tr, &half);
	if (rc)
		return pt_walk_error(s, rc);
	char sym[160];
	ptdbg_session_symbolize(s, va, sym, sizeof(sym));
	if (s->json) {
		struct ptdbg_json *j = ptdbg_session_json(s);
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "space", half == 1 ? "TTBR1" : half == 0 ? "TTBR0" : "none");
		if (sym[0])
			ptdbg_json_string_field(j, "symbol", sym);
		ptdbg_json_name(j, "translation");
		ptdbg_arm64_json_translation(j, &cpu, half, &tr);
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
	} else {
		if (sym[0])
			fprintf(s->out, "%s\n", sym);
		ptdbg_arm64_print_translation(s->out, &cpu, half, &tr);
	}
	return 0;
}

int pt_a64_regs(struct ptdbg_session *s)
{
	if (pt_attach(s))
		return PTDBG_EXIT_ERROR;
	if (s->json) {
		struct ptdbg_json *j = ptdbg_session_json(s);
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "backend", ptdbg_target_backend(s->t));
		ptdbg_arm64_json_regs(j, &s->regs);
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
		return 0;
	}
	ptdbg_arm64_print_regs(s->out, &s->regs, a64_sym, s);
	return 0;
}

int pt_a64_check(struct ptdbg_session *s, const char *kinds)
{
	struct ptdbg_arm64_cpu cpu;
	struct ptdbg_findings fl = { 0 };

	if (pt_attach(s) || pt_a64_cpu(s, &cpu))
		return PTDBG_EXIT_ERROR;
	int rc = ptdbg_arm64_check(s->mem, &cpu, &fl, a64_sym, s);
	if (rc) {
		ptdbg_findings_free(&fl);
		return pt_walk_error(s, rc);
	}
	return ptdbg_session_report(s, &fl, kinds);
}

/* " <sym+off>" for a direct branch's target in op_str ("#0x..."). */
static void a64_branch_symbol(struct ptdbg_session *s, const cs_insn *in, char *buf, size_t len)
{
	const char *p = strstr(in->op_str, "#0x");
	buf[0] = 0;
	if (!p || (in->mnemonic[0] != 'b' && strncmp(in->mnemonic, "cb", 2) && strncmp(in->mnemonic, "tb", 2)))
		return;
	char sym[160];
	ptdbg_session_symbolize(s, strtoull(p + 1, NULL, 16), sym, sizeof(sym));
	if (sym[0])
		snprintf(buf, len, " <%s>", sym);
}

int pt_a64_x(struct ptdbg_session *s, uint64_t va, unsigned n)
{
	struct ptdbg_arm64_cpu cpu;
	struct ptdbg_translation why;
	int link;

	if (pt_attach(s) || pt_a64_cpu(s, &cpu))
		return PTDBG_EXIT_ERROR;
	size_t want = (size_t)n * 4;
	uint8_t *buf = malloc(want);
	if (!buf)
		return PTDBG_EXIT_ERROR;
	size_t got = ptdbg_arm64_read_virt(s->mem, &cpu, va, buf, want, &why, &link);
	if (link) {
		free(buf);
		return pt_walk_error(s, link);
	}
	csh cs;
	if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &cs) != CS_ERR_OK) {
		ptdbg_session_err(s, "capstone: cannot open the AArch64 disassembler");
		free(buf);
		return PTDBG_EXIT_ERROR;
	}
	cs_insn *insn = NULL;
	size_t count = got ? cs_disasm(cs, buf, got, va, (size_t)n, &insn) : 0;
	const char *stop = NULL;
	char stopbuf[160], words[96];
	if (count < n) {
		uint64_t at = count ? insn[count - 1].address + insn[count - 1].size : va;
		if (why.stop != PTDBG_STOP_OK && at + 4 > why.va)
			snprintf(stopbuf, sizeof(stopbuf), "%#llx is not readable: %s", (unsigned long long)why.va,
				 why.stop == PTDBG_STOP_READ_ERROR && why.fault == 0 ? "memory not readable"
				 : ptdbg_arm64_fsc_name(why.fault, words, sizeof(words)));
		else
			snprintf(stopbuf, sizeof(stopbuf), "bytes at %#llx do not decode", (unsigned long long)at);
		stop = stopbuf;
	}
	pt_print_insns(s, (va >> 55) & 1 ? "TTBR1" : "TTBR0", insn, count, a64_branch_symbol, stop);
	if (insn)
		cs_free(insn, count);
	cs_close(&cs);
	free(buf);
	return count ? 0 : PTDBG_EXIT_ERROR;
}

int pt_a64_take(struct ptdbg_session *s, struct ptdbg_snapshot *snap)
{
	struct ptdbg_arm64_cpu cpu;
	struct pt_progress prog;

	if (pt_attach(s) || pt_a64_cpu(s, &cpu))
		return PTDBG_EXIT_ERROR;
	pt_progress_start(&prog, s, "saving");
	int rc = ptdbg_arm64_snap_take(snap, s->mem, &cpu, a64_leaf, &prog);
	pt_progress_end(&prog);
	return rc ? pt_walk_error(s, rc) : 0;
}
