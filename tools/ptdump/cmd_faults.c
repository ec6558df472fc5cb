/* SPDX-License-Identifier: MIT */
/*
 * ptdump faults: the kernel's page-fault log decoded. For each fault (a run of
 * identical faults is shown once, with its count): CR2, RIP with its symbol and the
 * instruction there (read through the faulting process's page tables), the error
 * code in words, the outcome and the entry the handler left, the entry now and
 * whether the same access would fault again now. On AArch64 the same record holds
 * FAR_EL1, ELR_EL1, ESR_EL1 and TTBR0_EL1 (shown as far, pc, esr), analysed by
 * arm64/arm64_fault.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm64/arm64_fault.h"
#include "x86/x86_fault.h"
#include "ptdump.h"
#include "walk/dump.h"

/* Everything shown about one fault (or run of identical faults). */
struct fault_view {
	const struct ptdbg_fault *f;
	size_t repeats;                 /* identical records from f on, f included */
	char space[PTDBG_NAME_LEN + 1]; /* its address space, "" if unknown */
	char marker[PTDBG_NAME_LEN + 1];
	char sym[160];
	struct ptdbg_fault_analysis a;  /* the architecture's analysis */
};

/* Fill v for the fault f repeated n times, analysed by analyze over cpu. Returns 0 or
 * a link error. */
static int fault_view_fill(struct ptdbg_session *s, ptdbg_fault_analyze_fn analyze, const void *cpu,
			   const struct ptdbg_fault *f, size_t n, struct fault_view *v)
{
	memset(v, 0, sizeof(*v));
	v->f = f;
	v->repeats = n;
	const struct ptdbg_region_view *r = &s->region;
	const struct ptdbg_aspace *as = f->as_index < r->nspaces ? &r->spaces[f->as_index] :
					ptdbg_region_space_by_root(r, f->cr3);
	if (as)
		ptdbg_name_copy(v->space, as->name, PTDBG_NAME_LEN);
	const struct ptdbg_marker *m = ptdbg_region_marker_at(r, as ? as->kind : 0, f->cr2);
	if (m)
		ptdbg_name_copy(v->marker, m->name, PTDBG_NAME_LEN);
	int rc = analyze(s->mem, cpu, r, f, &v->a);
	if (rc)
		return rc;
	if (pt_is_a64(s)) { /* kernel code, or kernel code through an alias */
		struct ptdbg_arm64_cpu c = *(const struct ptdbg_arm64_cpu *)cpu;
		if (f->cr3)
			c.ttbr0 = f->cr3;
		pt_a64_symbolize(s, &c, f->rip, v->sym, sizeof(v->sym));
	} else if (v->a.kernel_pc) { /* the kernel ELF names kernel-half code only */
		ptdbg_session_symbolize(s, f->rip, v->sym, sizeof(v->sym));
	}
	return 0;
}

static void print_text(FILE *out, const struct fault_view *v)
{
	const struct ptdbg_fault *f = v->f;
	const struct ptdbg_fault_analysis *a = &v->a;
	char hex[64] = "";
	if (v->repeats > 1)
		fprintf(out, "#%llu-#%llu  %zu identical faults%s\n", (unsigned long long)f->seq,
		       (unsigned long long)(f->seq + v->repeats - 1), v->repeats,
		       v->repeats >= PTDBG_FAULT_LOOP_MIN ? " in a row: a FAULT LOOP" : "");
	else
		fprintf(out, "#%llu\n", (unsigned long long)f->seq);
	fprintf(out, "  %-8s 0x%016llx%s%s%s%s%s%s\n", a->pc_reg[0] == 'R' ? "cr2" : "far",
	       (unsigned long long)f->cr2, v->space[0] ? "  [" : "",
	       v->space, v->space[0] ? "]" : "", v->marker[0] ? "  <" : "", v->marker, v->marker[0] ? ">" : "");
	fprintf(out, "  %-8s 0x%016llx%s%s%s\n", a->pc_reg[0] == 'R' ? "rip" : "pc", (unsigned long long)f->rip,
	       v->sym[0] ? "  <" : "", v->sym, v->sym[0] ? ">" : "");
	for (size_t b = 0, h = 0; b < a->insn.len && h + 4 < sizeof(hex); b++)
		h += (size_t)snprintf(hex + h, sizeof(hex) - h, "%s%02x", b ? " " : "", a->insn.bytes[b]);
	if (a->insn.ok)
		fprintf(out, "  insn     %s%s%s  (%s; bytes %s)\n", a->insn.mnemonic, a->insn.operands[0] ? " " : "",
		       a->insn.operands, ptdbg_insn_access_text(a->insn.mem), hex);
	else
		fprintf(out, "  insn     not decoded: %s\n", a->insn.why[0] ? a->insn.why : "no bytes");
	fprintf(out, "  %-8s %#llx: %s\n", a->pc_reg[0] == 'R' ? "error" : "esr", (unsigned long long)f->error_code,
		a->words);
	fprintf(out, "  outcome  %s; entry left by the handler %#llx\n", ptdbg_fault_outcome_name(f->outcome),
	       (unsigned long long)f->pte);
	if (a->now.have_entry)
		fprintf(out, "  now      %s %#llx (table %#llx): %s\n", a->now_name,
		       (unsigned long long)a->now.entry, (unsigned long long)a->now.table, a->now_bits);
	else
		fprintf(out, "  now      no entry could be read\n");
	fprintf(out, "  again    the same %s would %s now (%s)\n", a->access,
	       a->now.faults_again ? "FAULT again" : "not fault", a->result);
	/* The explanation is for faults that did not end in a mapping: loops above all. */
	if (v->repeats > 1 || f->outcome == PTDBG_FAULT_HANDLED)
		fprintf(out, "  why      %s\n", a->why);
}

static void print_json(struct ptdbg_json *j, const struct fault_view *v)
{
	const struct ptdbg_fault *f = v->f;
	ptdbg_json_start_object(j);
	ptdbg_json_uint_field(j, "seq", f->seq);
	ptdbg_json_uint_field(j, "repeats", v->repeats);
	ptdbg_json_bool_field(j, "loop", v->repeats >= PTDBG_FAULT_LOOP_MIN);
	ptdbg_json_hex_field(j, "cr2", f->cr2);
	ptdbg_json_hex_field(j, "rip", f->rip);
	if (v->sym[0])
		ptdbg_json_string_field(j, "symbol", v->sym);
	ptdbg_json_hex_field(j, "cr3", f->cr3);
	if (v->space[0])
		ptdbg_json_string_field(j, "space", v->space);
	if (v->marker[0])
		ptdbg_json_string_field(j, "marker", v->marker);
	const struct ptdbg_fault_analysis *a = &v->a;
	ptdbg_json_name(j, "insn");
	ptdbg_json_start_object(j);
	ptdbg_json_bool_field(j, "decoded", a->insn.ok);
	if (a->insn.ok) {
		ptdbg_json_string_field(j, "mnemonic", a->insn.mnemonic);
		ptdbg_json_string_field(j, "operands", a->insn.operands);
		ptdbg_json_bool_field(j, "reads", a->insn.mem & PTDBG_INSN_READS);
		ptdbg_json_bool_field(j, "writes", a->insn.mem & PTDBG_INSN_WRITES);
	} else {
		ptdbg_json_string_field(j, "why", a->insn.why);
	}
	ptdbg_json_end_object(j);
	ptdbg_json_hex_field(j, "error_code", f->error_code);
	ptdbg_json_string_field(j, "error", a->words);
	ptdbg_json_string_field(j, "access", a->access);
	ptdbg_json_string_field(j, "outcome", ptdbg_fault_outcome_name(f->outcome));
	ptdbg_json_hex_field(j, "pte_logged", f->pte);
	ptdbg_json_name(j, "now");
	ptdbg_json_start_object(j);
	if (a->now.have_entry) {
		ptdbg_json_string_field(j, "entry_level", a->now_name);
		ptdbg_json_hex_field(j, "entry", a->now.entry);
		ptdbg_json_hex_field(j, "table", a->now.table);
		/* the names of the bits set, as walk's steps give them */
		if (a->now_table)
			ptdbg_json_bits(j, "bits", a->now_table, a->now.entry);
	}
	ptdbg_json_string_field(j, "result", a->result);
	ptdbg_json_bool_field(j, "faults_again", a->now.faults_again);
	ptdbg_json_end_object(j);
	ptdbg_json_string_field(j, "why", a->why);
	ptdbg_json_end_object(j);
}

int cmd_faults(struct ptdbg_session *s, int argc, char **argv)
{
	uint64_t last = 0;
	bool all = false, loops_only = false;
	const struct ptdbg_opt opts[] = {
		{ .name = "last", .value = true, .set = ptdbg_opt_positive, .dst = &last },
		{ .name = "all", .flag = &all },
		{ .name = "loops", .flag = &loops_only },
		PTDBG_OPT_END,
	};
	int npos;
	if (ptdbg_cmd_parse(s, opts, argc, argv, 0, NULL, 0, &npos))
		return PTDBG_EXIT_ERROR;
	if (pt_attach(s))
		return PTDBG_EXIT_ERROR;
	if (!s->have_region) {
		ptdbg_session_err(s, "faults needs the kernel's debug region (the fault log is in it): %s",
				  s->region_why);
		return PTDBG_EXIT_ERROR;
	}
	const struct ptdbg_region_view *r = &s->region;
	size_t first = last && last < r->nfaults ? r->nfaults - (size_t)last : 0;
	struct ptdbg_x86_cpu base;
	struct ptdbg_arm64_cpu a64;
	ptdbg_fault_analyze_fn analyze = ptdbg_x86_fault_analyze;
	const void *cpu = &base;
	if (pt_is_a64(s)) {
		if (pt_a64_cpu(s, &a64))
			return PTDBG_EXIT_ERROR;
		analyze = ptdbg_arm64_fault_analyze;
		cpu = &a64;
	} else {
		ptdbg_session_cpu(s, &base);
	}
	struct ptdbg_json *j = s->json ? ptdbg_session_json(s) : NULL;
	if (j) {
		ptdbg_json_start_object(j);
		ptdbg_json_uint_field(j, "total", r->hdr.faults.total);
		ptdbg_json_uint_field(j, "kept", r->nfaults);
		ptdbg_json_name(j, "faults");
		ptdbg_json_start_array(j);
	} else {
		fprintf(s->out, "fault log: %llu faults recorded, the last %zu kept%s\n",
		       (unsigned long long)r->hdr.faults.total, r->nfaults,
		       first ? "; showing the newest" : "");
	}
	int rc = 0;
	size_t loops = 0;
	for (size_t i = first; i < r->nfaults && rc == 0;) {
		size_t n = all ? 1 : ptdbg_fault_run_len(r->faults + first, r->nfaults - first, i - first);
		if (n == 0)
			n = 1;
		bool loop = n >= PTDBG_FAULT_LOOP_MIN;
		loops += loop;
		if (!loops_only || loop) {
			struct fault_view *v = malloc(sizeof(*v));
			if (!v) {
				rc = PTDBG_ENOMEM;
				break;
			}
			rc = fault_view_fill(s, analyze, cpu, &r->faults[i], n, v);
			if (rc == 0) {
				if (j)
					print_json(j, v);
				else
					print_text(s->out, v);
			}
			free(v);
		}
		i += n;
	}
	if (j) {
		ptdbg_json_end_array(j);
		ptdbg_json_uint_field(j, "loops", loops);
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
	} else if (rc == 0) {
		fprintf(s->out, "%zu fault loop%s\n", loops, loops == 1 ? "" : "s");
	}
	if (rc)
		return pt_walk_error(s, rc);
	return PTDBG_EXIT_OK;
}
