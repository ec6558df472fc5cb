/* SPDX-License-Identifier: MIT */
/* Fault loops in the page-fault log, explained and reported as findings; see
 * faultlog.h. */
#include "x86/faultlog.h"

#include <stdio.h>
#include <string.h>

#include "x86/x86_bits.h"

const char *const ptdbg_faultlog_kinds[] = { "fault-loop", NULL };

/* The software bits of a P=0 entry that make a kernel believe it is mapped. */
static void sw_bits_words(uint64_t e, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s", (e & X86_PTE_RW) ? "RW=1" : "",
		 (e & X86_PTE_RW) && (e & (1ull << 7)) ? " and " : "", (e & (1ull << 7)) ? "bit 7" : "",
		 (e & (X86_PTE_RW | (1ull << 7))) ? "" : "other bits");
}

int ptdbg_fault_explain(const struct ptdbg_fault *f, const struct ptdbg_fault_insn *in,
			const struct ptdbg_fault_now *now, char *buf, size_t len)
{
	uint64_t ec = f->error_code;
	/* The logged entry is the one the handler left; the live one if none was logged. */
	uint64_t e = f->pte ? f->pte : now->entry;
	const char *acc = (ec & X86_PF_I) ? "fetch" : (ec & X86_PF_W) ? "write" : "read";
	bool handled = f->outcome == PTDBG_FAULT_HANDLED;
	char sw[48];
	if (ec & X86_PF_RSVD)
		return snprintf(buf, len, "the CPU faults because an entry on the path has reserved bits set; "
				"no handler change short of fixing that entry stops it");
	if (!(ec & X86_PF_P)) {
		if (e && !(e & X86_PTE_P)) {
			sw_bits_words(e, sw, sizeof(sw));
			return snprintf(buf, len,
					"the CPU faults on P=0 (not present); the kernel reads %s as a mapped%s page%s%s%s",
					sw, (e & X86_PTE_RW) ? ", writable" : "",
					handled ? ", calls the " : "", handled ? acc : "",
					handled ? " already handled, and the CPU retries it" : "");
		}
		return snprintf(buf, len, "the CPU faults because no present entry maps the page%s",
				handled ? "; the handler returns 'already-handled' without mapping it, so the CPU retries and faults again" : "");
	}
	const char *why = (ec & X86_PF_I) ? "the page is not executable (NX)" :
			  (ec & X86_PF_W) ? "the page is not writable (RW=0 on the path)" :
			  (ec & X86_PF_U) ? "the page is not user-accessible (U/S=0 on the path)" :
			  "the access is not allowed";
	int n = snprintf(buf, len, "the CPU raises a protection fault on this %s: %s", acc, why);
	if (handled && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n,
			      "; the handler believes it allowed, returns 'already-handled' and the CPU retries it");
	(void)in;
	return n;
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
	ptdbg_fault_analyze_fn analyze = o->analyze ? o->analyze : ptdbg_fault_analyze;
	int rc = analyze(o->mem, o->analyze_cpu ? o->analyze_cpu : (const void *)o->cpu, o->region, f, &a);
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
