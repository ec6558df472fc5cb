/* SPDX-License-Identifier: MIT */
/* The page-fault log, whatever the architecture: runs of identical records and the
 * fault-loop check; see faultlog.h. */
#include "region/faultlog.h"

#include <capstone/capstone.h>
#include <stdio.h>
#include <string.h>

const char *const ptdbg_faultlog_kinds[] = { "fault-loop", NULL };

bool ptdbg_fault_same(const struct ptdbg_fault *a, const struct ptdbg_fault *b)
{
	return a->cr2 == b->cr2 && a->rip == b->rip && a->error_code == b->error_code &&
	       (a->cr3 & PTDBG_FAULT_CR3_ADDR) == (b->cr3 & PTDBG_FAULT_CR3_ADDR) && a->pte == b->pte;
}

size_t ptdbg_fault_run_len(const struct ptdbg_fault *f, size_t n, size_t i)
{
	size_t k = i + 1;
	while (k < n && ptdbg_fault_same(&f[i], &f[k]))
		k++;
	return i < n ? k - i : 0;
}

void ptdbg_fault_insn_disasm(struct ptdbg_fault_insn *out, int arch, int mode, bool detail,
			     const char *arch_name, uint64_t pc, size_t n,
			     unsigned (*mem_of)(const struct cs_insn *in))
{
	csh cs;
	if (cs_open((cs_arch)arch, (cs_mode)mode, &cs) != CS_ERR_OK) {
		snprintf(out->why, sizeof(out->why), "the capstone %s disassembler cannot be opened", arch_name);
		return;
	}
	if (detail)
		cs_option(cs, CS_OPT_DETAIL, CS_OPT_ON);
	cs_insn *insn = NULL;
	size_t count = cs_disasm(cs, out->bytes, n, pc, 1, &insn);
	if (count == 1) {
		out->ok = true;
		out->len = insn[0].size;
		snprintf(out->mnemonic, sizeof(out->mnemonic), "%s", insn[0].mnemonic);
		snprintf(out->operands, sizeof(out->operands), "%s", insn[0].op_str);
		out->mem = mem_of(&insn[0]);
	} else if (!out->why[0]) {
		snprintf(out->why, sizeof(out->why), "the bytes at %#llx do not decode", (unsigned long long)pc);
	}
	if (insn)
		cs_free(insn, count);
	cs_close(&cs);
}

const char *ptdbg_insn_access_text(unsigned mem)
{
	switch (mem & (PTDBG_INSN_READS | PTDBG_INSN_WRITES)) {
	case PTDBG_INSN_READS: return "reads memory";
	case PTDBG_INSN_WRITES: return "writes memory";
	case PTDBG_INSN_READS | PTDBG_INSN_WRITES: return "reads and writes memory";
	}
	return "makes no data access";
}

/* A compact "`mov dword ptr [rax], 1` writes memory" for messages. */
static void insn_text(const struct ptdbg_fault_insn *in, char *buf, size_t len)
{
	if (in->ok)
		snprintf(buf, len, "`%s%s%s` %s", in->mnemonic, in->operands[0] ? " " : "", in->operands,
			 ptdbg_insn_access_text(in->mem));
	else
		snprintf(buf, len, "instruction not decoded (%s)", in->why[0] ? in->why : "no bytes");
}

/* One fault-loop finding for the run f[0..n). */
static int loop_finding(const struct ptdbg_faultlog_check_opts *o, const struct ptdbg_fault *f, size_t n)
{
	struct ptdbg_fault_analysis a;
	int rc = o->analyze(o->mem, o->analyze_cpu, o->region, f, &a);
	if (rc)
		return rc;
	char sym[128] = "", itext[240];
	if (o->symbolize && a.kernel_pc) /* kernel symbols name kernel-half code only */
		o->symbolize(o->symbolize_ctx, f->rip, sym, sizeof(sym));
	insn_text(&a.insn, itext, sizeof(itext));
	struct ptdbg_finding *fd = ptdbg_finding_add(
		o->out, "fault-loop", PTDBG_SEV_ERROR, f->cr2, 0,
		"%zu faults in a row, entry unchanged, %s now: %s %#llx%s%s%s %s; %s %#llx (%s); %s %#llx: %s; %s",
		n, a.now.faults_again ? "still faulting" : "not faulting", a.pc_reg, (unsigned long long)f->rip,
		sym[0] ? " <" : "", sym, sym[0] ? ">" : "", itext, a.code_reg, (unsigned long long)f->error_code,
		a.words, a.entry_name, (unsigned long long)a.entry, a.entry_bits, a.why);
	if (!fd)
		return 0;
	if (a.frame)
		fd->frame = a.frame;
	if (a.now.have_entry)
		fd->node = a.now.table;
	const struct ptdbg_region_view *v = o->region;
	const struct ptdbg_aspace *as = f->as_index < v->nspaces ? &v->spaces[f->as_index] :
					ptdbg_region_space_by_root(v, f->cr3);
	char name[PTDBG_NAME_LEN + 1];
	if (as) {
		ptdbg_name_copy(name, as->name, PTDBG_NAME_LEN);
		snprintf(fd->space, sizeof(fd->space), "%s", name);
	} else {
		snprintf(fd->space, sizeof(fd->space), "cr3=%#llx", (unsigned long long)(f->cr3 & PTDBG_FAULT_CR3_ADDR));
	}
	const struct ptdbg_marker *m = ptdbg_region_marker_at(v, as ? as->kind : 0, f->cr2);
	if (m) {
		ptdbg_name_copy(name, m->name, PTDBG_NAME_LEN);
		snprintf(fd->marker, sizeof(fd->marker), "%s", name);
	}
	return 0;
}

int ptdbg_faultlog_check(const struct ptdbg_faultlog_check_opts *o)
{
	const struct ptdbg_region_view *v = o->region;
	size_t min = o->min_repeats ? o->min_repeats : PTDBG_FAULT_LOOP_MIN;
	for (size_t i = 0; i < v->nfaults;) {
		size_t n = ptdbg_fault_run_len(v->faults, v->nfaults, i);
		if (n >= min) {
			int rc = loop_finding(o, &v->faults[i], n);
			if (rc)
				return rc;
		}
		i += n ? n : 1;
	}
	return 0;
}
