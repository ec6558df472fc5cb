/* SPDX-License-Identifier: MIT */
/* A logged x86-64 page fault analysed: error codes, the entry as it is now, why it
 * faults again; see x86_fault.h. The instruction is disassembled in
 * x86_fault_insn.c. */
#include "x86/x86_fault.h"

#include <stdio.h>
#include <string.h>

#include "x86/x86_bits.h"



/* The error code in words: the same bits as x86_bits_pf_error, spelled out. */
static const struct ptdbg_bit pf_words[] = {
	PTDBG_FLAG(X86_PF_P, "protection violation", "page not present"),
	PTDBG_FLAG(X86_PF_W, "write", NULL),
	PTDBG_FLAG(X86_PF_I, "instruction fetch", NULL),
	PTDBG_FLAG(X86_PF_U, "user mode", "supervisor mode"),
	PTDBG_FLAG(X86_PF_RSVD, "reserved bit set", NULL),
	PTDBG_FLAG(X86_PF_PK, "protection key", NULL),
	PTDBG_FLAG(X86_PF_SS, "shadow stack", NULL),
	PTDBG_FLAG(X86_PF_HLAT, "HLAT paging", NULL),
	PTDBG_FLAG(X86_PF_SGX, "SGX", NULL),
};
static const struct ptdbg_bit_table pf_words_table = {
	"#PF error code (words)", pf_words, sizeof(pf_words) / sizeof(pf_words[0])
};

unsigned ptdbg_x86_fault_access(uint64_t ec)
{
	unsigned a = 0;
	if (ec & X86_PF_W)
		a |= PTDBG_ACC_WRITE;
	if (ec & X86_PF_U)
		a |= PTDBG_ACC_USER;
	if (ec & X86_PF_I)
		a |= PTDBG_ACC_FETCH;
	return a;
}

int ptdbg_x86_fault_error_words(uint64_t ec, char *buf, size_t len)
{
	char words[256];
	ptdbg_bits_format(&pf_words_table, ec, ", ", words, sizeof(words));
	/* Neither W nor I: the access was a data read. */
	bool read = !(ec & (X86_PF_W | X86_PF_I));
	const char *np = (ec & X86_PF_P) ? "protection violation" : "page not present";
	size_t nl = strlen(np);
	if (read && !strncmp(words, np, nl))
		return snprintf(buf, len, "%s, read%s", np, words + nl);
	return snprintf(buf, len, "%s", words);
}

void ptdbg_x86_fault_cpu(const struct ptdbg_x86_cpu *base, const struct ptdbg_region_view *v,
		     const struct ptdbg_fault *f, struct ptdbg_x86_cpu *out)
{
	*out = *base;
	out->cr3 = f->cr3;
	const struct ptdbg_aspace *as = NULL;
	if (v && f->as_index < v->nspaces)
		as = &v->spaces[f->as_index];
	else if (v)
		as = ptdbg_region_space_by_root(v, f->cr3);
	if (as && (as->levels == 4 || as->levels == 5))
		out->levels = as->levels;
}

int ptdbg_x86_fault_now(struct ptdbg_mem *mem, const struct ptdbg_x86_cpu *cpu, const struct ptdbg_fault *f,
		    struct ptdbg_fault_now *out)
{
	memset(out, 0, sizeof(*out));
	int rc = ptdbg_x86_translate(mem, cpu, f->cr2, ptdbg_x86_fault_access(f->error_code), &out->tr);
	if (rc)
		return rc;
	for (unsigned i = out->tr.nsteps; i-- > 0;) {
		const struct ptdbg_walk_step *s = &out->tr.step[i];
		if (s->err)
			continue;
		out->have_entry = true;
		out->entry = s->entry;
		out->level = s->level;
		out->table = s->table_pa;
		break;
	}
	out->faults_again = out->tr.stop != PTDBG_STOP_OK;
	return 0;
}

int ptdbg_x86_fault_entry_bits(uint64_t entry, unsigned level, bool leaf, char *buf, size_t len)
{
	if (entry & X86_PTE_P)
		return ptdbg_bits_format(x86_bits_entry_table(level, leaf), entry, " ", buf, len);
	int n = ptdbg_bits_format_except(&x86_bits_pte, entry, X86_PTE_PAT4K, " ", buf, len);
	if ((entry & (1ull << 7)) && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, "%sbit7", n ? " " : "");
	return n;
}

int ptdbg_x86_fault_analyze(struct ptdbg_mem *mem, const void *base, const struct ptdbg_region_view *v,
			const struct ptdbg_fault *f, struct ptdbg_fault_analysis *out)
{
	memset(out, 0, sizeof(*out));
	struct ptdbg_x86_cpu cpu;
	ptdbg_x86_fault_cpu(base, v, f, &cpu);
	int rc = ptdbg_x86_fault_decode(mem, &cpu, f->rip, &out->insn);
	if (rc == 0)
		rc = ptdbg_x86_fault_now(mem, &cpu, f, &out->now);
	if (rc)
		return rc;
	uint64_t ec = f->error_code;
	out->pc_reg = "RIP";
	out->code_reg = "error";
	out->access = (ec & X86_PF_I) ? "fetch" : (ec & X86_PF_W) ? "write" : "read";
	out->kernel_pc = f->rip >> 63;
	ptdbg_x86_fault_error_words(ec, out->words, sizeof(out->words));
	ptdbg_x86_fault_explain(f, &out->insn, &out->now, out->why, sizeof(out->why));
	const struct ptdbg_translation *t = &out->now.tr;
	if (out->now.have_entry) {
		bool leaf = t->nsteps && t->step[t->nsteps - 1].leaf;
		snprintf(out->now_name, sizeof(out->now_name), "%s", x86_entry_name(out->now.level));
		ptdbg_x86_fault_entry_bits(out->now.entry, out->now.level, leaf, out->now_bits, sizeof(out->now_bits));
		out->now_table = (out->now.entry & X86_PTE_P) ? x86_bits_entry_table(out->now.level, leaf)
							      : &x86_bits_pte;
	}
	snprintf(out->result, sizeof(out->result), "%s", ptdbg_x86_stop_name(t->stop));
	uint64_t e = f->pte ? f->pte : out->now.entry;
	unsigned level = out->now.have_entry ? out->now.level : 1;
	bool leaf = level == 1 || (e & X86_PTE_PS);
	out->entry = e;
	snprintf(out->entry_name, sizeof(out->entry_name), "%s", x86_entry_name(level));
	ptdbg_x86_fault_entry_bits(e, level, leaf, out->entry_bits, sizeof(out->entry_bits));
	out->frame = e & x86_entry_addr_mask(level, leaf, X86_MAXPHYADDR_LIMIT);
	return 0;
}

/* The software bits of a P=0 entry that make a kernel believe it is mapped. */
static void sw_bits_words(uint64_t e, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s", (e & X86_PTE_RW) ? "RW=1" : "",
		 (e & X86_PTE_RW) && (e & (1ull << 7)) ? " and " : "", (e & (1ull << 7)) ? "bit 7" : "",
		 (e & (X86_PTE_RW | (1ull << 7))) ? "" : "other bits");
}

int ptdbg_x86_fault_explain(const struct ptdbg_fault *f, const struct ptdbg_fault_insn *in,
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
