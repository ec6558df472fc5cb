/* SPDX-License-Identifier: MIT */
/* The page-fault log decoded: records, error codes, the entry as it is now; see
 * faultlog.h. The instruction is disassembled in fault_insn.c, loops are found in
 * fault_check.c. */
#include "x86/faultlog.h"

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

unsigned ptdbg_fault_access(uint64_t ec)
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

int ptdbg_fault_error_words(uint64_t ec, char *buf, size_t len)
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

void ptdbg_fault_cpu(const struct ptdbg_x86_cpu *base, const struct ptdbg_region_view *v,
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

int ptdbg_fault_now(struct ptdbg_mem *mem, const struct ptdbg_x86_cpu *cpu, const struct ptdbg_fault *f,
		    struct ptdbg_fault_now *out)
{
	memset(out, 0, sizeof(*out));
	int rc = ptdbg_x86_translate(mem, cpu, f->cr2, ptdbg_fault_access(f->error_code), &out->tr);
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

int ptdbg_fault_entry_bits(uint64_t entry, unsigned level, bool leaf, char *buf, size_t len)
{
	if (entry & X86_PTE_P)
		return ptdbg_bits_format(x86_bits_entry_table(level, leaf), entry, " ", buf, len);
	int n = ptdbg_bits_format_except(&x86_bits_pte, entry, X86_PTE_PAT4K, " ", buf, len);
	if ((entry & (1ull << 7)) && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, "%sbit7", n ? " " : "");
	return n;
}

int ptdbg_fault_analyze(struct ptdbg_mem *mem, const void *base, const struct ptdbg_region_view *v,
			const struct ptdbg_fault *f, struct ptdbg_fault_analysis *out)
{
	memset(out, 0, sizeof(*out));
	struct ptdbg_x86_cpu cpu;
	ptdbg_fault_cpu(base, v, f, &cpu);
	int rc = ptdbg_fault_decode(mem, &cpu, f->rip, &out->insn);
	if (rc == 0)
		rc = ptdbg_fault_now(mem, &cpu, f, &out->now);
	if (rc)
		return rc;
	uint64_t ec = f->error_code;
	out->pc_reg = "RIP";
	out->code_reg = "error";
	out->access = (ec & X86_PF_I) ? "fetch" : (ec & X86_PF_W) ? "write" : "read";
	out->kernel_pc = f->rip >> 63;
	ptdbg_fault_error_words(ec, out->words, sizeof(out->words));
	ptdbg_fault_explain(f, &out->insn, &out->now, out->why, sizeof(out->why));
	const struct ptdbg_translation *t = &out->now.tr;
	if (out->now.have_entry) {
		bool leaf = t->nsteps && t->step[t->nsteps - 1].leaf;
		snprintf(out->now_name, sizeof(out->now_name), "%s", x86_entry_name(out->now.level));
		ptdbg_fault_entry_bits(out->now.entry, out->now.level, leaf, out->now_bits, sizeof(out->now_bits));
		out->now_table = (out->now.entry & X86_PTE_P) ? x86_bits_entry_table(out->now.level, leaf)
							      : &x86_bits_pte;
	}
	snprintf(out->result, sizeof(out->result), "%s", ptdbg_x86_stop_name(t->stop));
	uint64_t e = f->pte ? f->pte : out->now.entry;
	unsigned level = out->now.have_entry ? out->now.level : 1;
	bool leaf = level == 1 || (e & X86_PTE_PS);
	out->entry = e;
	snprintf(out->entry_name, sizeof(out->entry_name), "%s", x86_entry_name(level));
	ptdbg_fault_entry_bits(e, level, leaf, out->entry_bits, sizeof(out->entry_bits));
	out->frame = e & x86_entry_addr_mask(level, leaf, X86_MAXPHYADDR_LIMIT);
	return 0;
}
