/* SPDX-License-Identifier: MIT */
/*
 * ptdump faults: the kernel's page-fault log decoded. For each fault (a run of
 * identical faults is shown once, with its count): CR2, RIP with its symbol and the
 * instruction there (read through the faulting process's page tables), the error
 * code in words, the outcome and the entry the handler left, the entry now and
 * whether the same access would fault again now.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x86/faultlog.h"
#include "ptdump.h"
#include "walk/dump.h"
#include "x86/x86_bits.h"

/* Everything shown about one fault (or run of identical faults). */
struct fault_view {
	const struct ptdbg_fault *f;
	size_t repeats;                 /* identical records from f on, f included */
	char space[PTDBG_NAME_LEN + 1]; /* its address space, "" if unknown */
	char marker[PTDBG_NAME_LEN + 1];
	char sym[160];
	struct ptdbg_fault_insn insn;
	struct ptdbg_fault_now now;
	char words[160];
	char why[400];
};

/* Fill v for the fault f repeated n times. Returns 0 or a link error. */
static int fault_view_fill(struct ptdbg_session *s, const struct ptdbg_x86_cpu *base,
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
	if (f->rip >> 63) /* the kernel ELF names kernel-half code only */
		ptdbg_session_symbolize(s, f->rip, v->sym, sizeof(v->sym));
	struct ptdbg_x86_cpu cpu;
	ptdbg_fault_cpu(base, r, f, &cpu);
	int rc = ptdbg_fault_decode(s->mem, &cpu, f->rip, &v->insn);
	if (rc == 0)
		rc = ptdbg_fault_now(s->mem, &cpu, f, &v->now);
	if (rc)
		return rc;
	ptdbg_fault_error_words(f->error_code, v->words, sizeof(v->words));
	ptdbg_fault_explain(f, &v->insn, &v->now, v->why, sizeof(v->why));
	return 0;
}

static const char *access_name(uint64_t ec)
{
	return (ec & X86_PF_I) ? "fetch" : (ec & X86_PF_W) ? "write" : "read";
}

/* The bits of the entry the walk stopped at or mapped through, for printing. */
static void now_bits(const struct fault_view *v, char *buf, size_t len)
{
	const struct ptdbg_translation *t = &v->now.tr;
	bool leaf = t->nsteps && t->step[t->nsteps - 1].leaf;
	ptdbg_fault_entry_bits(v->now.entry, v->now.level, leaf, buf, len);
}

static void print_text(FILE *out, const struct fault_view *v)
{
	const struct ptdbg_fault *f = v->f;
	char bits[200], hex[64] = "";
	if (v->repeats > 1)
		fprintf(out, "#%llu-#%llu  %zu identical faults%s\n", (unsigned long long)f->seq,
		       (unsigned long long)(f->seq + v->repeats - 1), v->repeats,
		       v->repeats >= PTDBG_FAULT_LOOP_MIN ? " in a row: a FAULT LOOP" : "");
	else
		fprintf(out, "#%llu\n", (unsigned long long)f->seq);
	fprintf(out, "  cr2      0x%016llx%s%s%s%s%s%s\n", (unsigned long long)f->cr2, v->space[0] ? "  [" : "",
	       v->space, v->space[0] ? "]" : "", v->marker[0] ? "  <" : "", v->marker, v->marker[0] ? ">" : "");
	fprintf(out, "  rip      0x%016llx%s%s%s\n", (unsigned long long)f->rip, v->sym[0] ? "  <" : "", v->sym,
	       v->sym[0] ? ">" : "");
	for (size_t b = 0, h = 0; b < v->insn.len && h + 4 < sizeof(hex); b++)
		h += (size_t)snprintf(hex + h, sizeof(hex) - h, "%s%02x", b ? " " : "", v->insn.bytes[b]);
	if (v->insn.ok)
		fprintf(out, "  insn     %s%s%s  (%s; bytes %s)\n", v->insn.mnemonic, v->insn.operands[0] ? " " : "",
		       v->insn.operands, ptdbg_insn_access_text(v->insn.mem), hex);
	else
		fprintf(out, "  insn     not decoded: %s\n", v->insn.why[0] ? v->insn.why : "no bytes");
	fprintf(out, "  error    %#llx: %s\n", (unsigned long long)f->error_code, v->words);
	fprintf(out, "  outcome  %s; entry left by the handler %#llx\n", ptdbg_fault_outcome_name(f->outcome),
	       (unsigned long long)f->pte);
	if (v->now.have_entry) {
		now_bits(v, bits, sizeof(bits));
		fprintf(out, "  now      %s %#llx (table %#llx): %s\n", x86_entry_name(v->now.level),
		       (unsigned long long)v->now.entry, (unsigned long long)v->now.table, bits);
	} else {
		fprintf(out, "  now      no entry could be read\n");
	}
	fprintf(out, "  again    the same %s would %s now (%s)\n", access_name(f->error_code),
	       v->now.faults_again ? "FAULT again" : "not fault", ptdbg_x86_stop_name(v->now.tr.stop));
	/* The explanation is for faults that did not end in a mapping: loops above all. */
	if (v->repeats > 1 || f->outcome == PTDBG_FAULT_HANDLED)
		fprintf(out, "  why      %s\n", v->why);
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
	ptdbg_json_name(j, "insn");
	ptdbg_json_start_object(j);
	ptdbg_json_bool_field(j, "decoded", v->insn.ok);
	if (v->insn.ok) {
		ptdbg_json_string_field(j, "mnemonic", v->insn.mnemonic);
		ptdbg_json_string_field(j, "operands", v->insn.operands);
		ptdbg_json_bool_field(j, "reads", v->insn.mem & PTDBG_INSN_READS);
		ptdbg_json_bool_field(j, "writes", v->insn.mem & PTDBG_INSN_WRITES);
	} else {
		ptdbg_json_string_field(j, "why", v->insn.why);
	}
	ptdbg_json_end_object(j);
	ptdbg_json_hex_field(j, "error_code", f->error_code);
	ptdbg_json_string_field(j, "error", v->words);
	ptdbg_json_string_field(j, "access", access_name(f->error_code));
	ptdbg_json_string_field(j, "outcome", ptdbg_fault_outcome_name(f->outcome));
	ptdbg_json_hex_field(j, "pte_logged", f->pte);
	ptdbg_json_name(j, "now");
	ptdbg_json_start_object(j);
	if (v->now.have_entry) {
		ptdbg_json_string_field(j, "entry_level", x86_entry_name(v->now.level));
		ptdbg_json_hex_field(j, "entry", v->now.entry);
		ptdbg_json_hex_field(j, "table", v->now.table);
		/* the names of the bits set, as walk's steps give them */
		const struct ptdbg_translation *t = &v->now.tr;
		bool leaf = t->nsteps && t->step[t->nsteps - 1].leaf;
		const struct ptdbg_bit_table *bt = (v->now.entry & X86_PTE_P) ?
			x86_bits_entry_table(v->now.level, leaf) : &x86_bits_pte;
		ptdbg_json_bits(j, "bits", bt, v->now.entry);
	}
	ptdbg_json_string_field(j, "result", ptdbg_x86_stop_name(v->now.tr.stop));
	ptdbg_json_bool_field(j, "faults_again", v->now.faults_again);
	ptdbg_json_end_object(j);
	ptdbg_json_string_field(j, "why", v->why);
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
	ptdbg_session_cpu(s, &base);
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
			rc = fault_view_fill(s, &base, &r->faults[i], n, v);
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
