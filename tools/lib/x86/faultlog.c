/* SPDX-License-Identifier: MIT */
/* The page-fault log decoded and analysed; see faultlog.h. */
#include "x86/faultlog.h"

#include <capstone/capstone.h>
#include <stdio.h>
#include <string.h>

#include "x86/x86_bits.h"

const char *const ptdbg_faultlog_kinds[] = { "fault-loop", NULL };

#define ADDR_BITS 0x000ffffffffff000ull
#define PF_SS     (1u << 6)  /* shadow-stack access */
#define PF_HLAT   (1u << 7)  /* HLAT paging */
#define PF_SGX    (1u << 15) /* SGX access-control violation */

/* The error code in words: the same bits as x86_bits_pf_error, spelled out. */
static const struct ptdbg_bit pf_words[] = {
	PTDBG_FLAG(X86_PF_P, "protection violation", "page not present"),
	PTDBG_FLAG(X86_PF_W, "write", NULL),
	PTDBG_FLAG(X86_PF_I, "instruction fetch", NULL),
	PTDBG_FLAG(X86_PF_U, "user mode", "supervisor mode"),
	PTDBG_FLAG(X86_PF_RSVD, "reserved bit set", NULL),
	PTDBG_FLAG(X86_PF_PK, "protection key", NULL),
	PTDBG_FLAG(PF_SS, "shadow stack", NULL),
	PTDBG_FLAG(PF_HLAT, "HLAT paging", NULL),
	PTDBG_FLAG(PF_SGX, "SGX", NULL),
};
static const struct ptdbg_bit_table pf_words_table = {
	"#PF error code (words)", pf_words, sizeof(pf_words) / sizeof(pf_words[0])
};

bool ptdbg_fault_same(const struct ptdbg_fault *a, const struct ptdbg_fault *b)
{
	return a->cr2 == b->cr2 && a->rip == b->rip && a->error_code == b->error_code &&
	       (a->cr3 & ADDR_BITS) == (b->cr3 & ADDR_BITS) && a->pte == b->pte;
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

/* Read up to len bytes at va through cpu's tables, page by page, stopping at the first
 * page that does not translate (why says where). Returns bytes read; *link_err is a
 * link error or 0. */
static size_t read_virt(struct ptdbg_mem *mem, const struct ptdbg_x86_cpu *cpu, uint64_t va,
			uint8_t *buf, size_t len, char *why, size_t whylen, int *link_err)
{
	size_t done = 0;
	*link_err = 0;
	while (done < len) {
		uint64_t cur = va + done;
		struct ptdbg_translation tr;
		int rc = ptdbg_x86_translate(mem, cpu, cur, PTDBG_ACC_FETCH, &tr);
		if (rc) {
			*link_err = rc;
			break;
		}
		if (tr.stop != PTDBG_STOP_OK && tr.stop != PTDBG_STOP_PROTECTION) {
			snprintf(why, whylen, "%#llx does not translate: %s", (unsigned long long)cur,
				 ptdbg_x86_stop_name(tr.stop));
			break;
		}
		size_t chunk = 4096 - (size_t)(cur & 4095);
		if (chunk > len - done)
			chunk = len - done;
		if (ptdbg_mem_read(mem, tr.pa, buf + done, chunk)) {
			snprintf(why, whylen, "physical %#llx is not readable", (unsigned long long)tr.pa);
			break;
		}
		done += chunk;
	}
	return done;
}

/* The data-memory accesses of a decoded instruction (explicit operands, and the
 * stack for push/pop/call/ret). */
static unsigned insn_mem_access(const cs_insn *in)
{
	unsigned mem = 0;
	if (!strcmp(in->mnemonic, "lea") || !strncmp(in->mnemonic, "nop", 3) ||
	    !strncmp(in->mnemonic, "prefetch", 8))
		return 0;
	if (in->detail) {
		const cs_x86 *x = &in->detail->x86;
		for (unsigned i = 0; i < x->op_count; i++) {
			if (x->operands[i].type != X86_OP_MEM)
				continue;
			uint8_t acc = x->operands[i].access;
			if (acc & CS_AC_READ)
				mem |= PTDBG_INSN_READS;
			if (acc & CS_AC_WRITE)
				mem |= PTDBG_INSN_WRITES;
			if (!acc)
				mem |= PTDBG_INSN_READS; /* capstone does not know: assume a read */
		}
	}
	if (!strncmp(in->mnemonic, "push", 4) || !strncmp(in->mnemonic, "call", 4))
		mem |= PTDBG_INSN_WRITES;
	if (!strncmp(in->mnemonic, "pop", 3) || !strncmp(in->mnemonic, "ret", 3))
		mem |= PTDBG_INSN_READS;
	return mem;
}

int ptdbg_fault_decode(struct ptdbg_mem *mem, const struct ptdbg_x86_cpu *cpu, uint64_t rip,
		       struct ptdbg_fault_insn *out)
{
	memset(out, 0, sizeof(*out));
	int link;
	out->len = read_virt(mem, cpu, rip, out->bytes, sizeof(out->bytes), out->why, sizeof(out->why), &link);
	if (link)
		return link;
	if (!out->len)
		return 0;
	csh cs;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK) {
		snprintf(out->why, sizeof(out->why), "the capstone x86-64 disassembler cannot be opened");
		return 0;
	}
	cs_option(cs, CS_OPT_DETAIL, CS_OPT_ON);
	cs_insn *insn = NULL;
	size_t count = cs_disasm(cs, out->bytes, out->len, rip, 1, &insn);
	if (count == 1) {
		out->ok = true;
		out->len = insn[0].size;
		snprintf(out->mnemonic, sizeof(out->mnemonic), "%s", insn[0].mnemonic);
		snprintf(out->operands, sizeof(out->operands), "%s", insn[0].op_str);
		out->mem = insn_mem_access(&insn[0]);
	} else if (!out->why[0]) {
		snprintf(out->why, sizeof(out->why), "the bytes at %#llx do not decode", (unsigned long long)rip);
	}
	if (insn)
		cs_free(insn, count);
	cs_close(&cs);
	return 0;
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
	struct ptdbg_x86_cpu cpu;
	ptdbg_fault_cpu(o->cpu, o->region, f, &cpu);
	struct ptdbg_fault_insn in;
	int rc = ptdbg_fault_decode(o->mem, &cpu, f->rip, &in);
	if (rc)
		return rc;
	struct ptdbg_fault_now now;
	rc = ptdbg_fault_now(o->mem, &cpu, f, &now);
	if (rc)
		return rc;
	char sym[128] = "", itext[240], why[320], words[128], bits[160];
	if (o->symbolize && (f->rip >> 63)) /* kernel symbols name kernel-half code only */
		o->symbolize(o->symbolize_ctx, f->rip, sym, sizeof(sym));
	insn_text(&in, itext, sizeof(itext));
	ptdbg_fault_explain(f, &in, &now, why, sizeof(why));
	ptdbg_fault_error_words(f->error_code, words, sizeof(words));
	uint64_t e = f->pte ? f->pte : now.entry;
	unsigned level = now.have_entry ? now.level : 1;
	bool leaf = level == 1 || (e & X86_PTE_PS);
	ptdbg_fault_entry_bits(e, level, leaf, bits, sizeof(bits));
	struct ptdbg_finding *fd = ptdbg_finding_add(
		o->out, "fault-loop", PTDBG_SEV_ERROR, f->cr2, 0,
		"%zu faults in a row, entry unchanged, %s now: RIP %#llx%s%s%s %s; error %#llx (%s); %s %#llx: %s; %s",
		n, now.faults_again ? "still faulting" : "not faulting", (unsigned long long)f->rip,
		sym[0] ? " <" : "", sym, sym[0] ? ">" : "", itext, (unsigned long long)f->error_code, words,
		x86_entry_name(level), (unsigned long long)e, bits, why);
	if (!fd)
		return 0;
	if (e & x86_entry_addr_mask(level, leaf, 52))
		fd->frame = e & x86_entry_addr_mask(level, leaf, 52);
	if (now.have_entry)
		fd->node = now.table;
	const struct ptdbg_region_view *v = o->region;
	const struct ptdbg_aspace *as = f->as_index < v->nspaces ? &v->spaces[f->as_index] :
					ptdbg_region_space_by_root(v, f->cr3);
	char name[PTDBG_NAME_LEN + 1];
	if (as) {
		ptdbg_name_copy(name, as->name, PTDBG_NAME_LEN);
		snprintf(fd->space, sizeof(fd->space), "%s", name);
	} else {
		snprintf(fd->space, sizeof(fd->space), "cr3=%#llx", (unsigned long long)(f->cr3 & ADDR_BITS));
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
