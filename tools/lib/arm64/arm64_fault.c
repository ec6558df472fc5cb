/* SPDX-License-Identifier: MIT */
/* The fault log on AArch64; see arm64_fault.h. */
#include "arm64/arm64_fault.h"

#include <capstone/capstone.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "arm64/arm64_bits.h"

unsigned ptdbg_arm64_fault_access(uint64_t esr)
{
	unsigned ec = arm64_esr_ec(esr), a = 0;
	if (ec == ARM64_EC_IABT_LOW || ec == ARM64_EC_IABT_CUR)
		a |= PTDBG_ACC_FETCH;
	else if (esr & ARM64_ISS_WNR)
		a |= PTDBG_ACC_WRITE;
	if (ec == ARM64_EC_IABT_LOW || ec == ARM64_EC_DABT_LOW)
		a |= PTDBG_ACC_USER;
	return a;
}

/* The data accesses of an A64 instruction, from its mnemonic: loads read, stores
 * write, atomics and swaps do both; prefetches and address arithmetic none. */
static unsigned a64_mem_access(const char *m)
{
	if (!strncmp(m, "prfm", 4) || !strncmp(m, "prfum", 5))
		return 0;
	if (!strncmp(m, "ldadd", 5) || !strncmp(m, "ldclr", 5) || !strncmp(m, "ldeor", 5) ||
	    !strncmp(m, "ldset", 5) || !strncmp(m, "ldsmax", 6) || !strncmp(m, "ldsmin", 6) ||
	    !strncmp(m, "ldumax", 6) || !strncmp(m, "ldumin", 6) || !strncmp(m, "swp", 3) ||
	    !strncmp(m, "cas", 3))
		return PTDBG_INSN_READS | PTDBG_INSN_WRITES;
	if (!strncmp(m, "ld", 2))
		return PTDBG_INSN_READS;
	if (!strncmp(m, "st", 2) || !strcmp(m, "dc"))
		return PTDBG_INSN_WRITES;
	return 0;
}

/* a64_mem_access() of a decoded instruction (ptdbg_fault_insn_disasm's mem_of). */
static unsigned insn_mem_access(const cs_insn *in)
{
	return a64_mem_access(in->mnemonic);
}

int ptdbg_arm64_fault_decode(struct ptdbg_mem *mem, const struct ptdbg_arm64_cpu *cpu, uint64_t pc,
			     struct ptdbg_fault_insn *out)
{
	memset(out, 0, sizeof(*out));
	struct ptdbg_translation why;
	int link;
	char fsc[96];
	out->len = ptdbg_arm64_read_virt(mem, cpu, pc, out->bytes, 4, &why, &link);
	if (link)
		return link;
	if (why.stop == PTDBG_STOP_READ_ERROR)
		snprintf(out->why, sizeof(out->why), "physical %#llx is not readable", (unsigned long long)why.pa);
	else if (why.stop != PTDBG_STOP_OK)
		snprintf(out->why, sizeof(out->why), "%#llx does not translate: %s", (unsigned long long)why.va,
			 ptdbg_arm64_fsc_name(why.fault, fsc, sizeof(fsc)));
	if (out->len < 4)
		return 0;
	ptdbg_fault_insn_disasm(out, CS_ARCH_ARM64, CS_MODE_ARM, false, "AArch64", pc, 4, insn_mem_access);
	return 0;
}

/* The syndrome in words: "data abort from a lower EL: permission fault at level 3,
 * write". */
static void esr_words(uint64_t esr, char *buf, size_t len)
{
	unsigned ec = arm64_esr_ec(esr);
	char fsc[96];
	bool abort = ec == ARM64_EC_IABT_LOW || ec == ARM64_EC_IABT_CUR || ec == ARM64_EC_DABT_LOW ||
		     ec == ARM64_EC_DABT_CUR;
	if (!abort) {
		snprintf(buf, len, "%s", ptdbg_arm64_ec_name(ec));
		return;
	}
	bool data = ec == ARM64_EC_DABT_LOW || ec == ARM64_EC_DABT_CUR;
	snprintf(buf, len, "%s: %s, %s", ptdbg_arm64_ec_name(ec),
		 ptdbg_arm64_fsc_name((unsigned)(esr & ARM64_ISS_FSC_MASK), fsc, sizeof(fsc)),
		 data ? ((esr & ARM64_ISS_WNR) ? "write" : "read") : "instruction fetch");
}

/* The bits of descriptor e at frame level, valid or not (an invalid one is named as
 * the leaf it would be, "invalid" first: software may read those bits). */
static void desc_bits(uint64_t e, unsigned level, char *buf, size_t len)
{
	bool leaf = level == 1 || (e & ARM64_DESC_TYPE_MASK) != ARM64_DESC_TABLE;
	if (e & ARM64_DESC_VALID) {
		ptdbg_bits_format(arm64_bits_entry_table(level, leaf), e, " ", buf, len);
		return;
	}
	char b[160];
	ptdbg_bits_format(arm64_bits_entry_table(level, true), e | ARM64_DESC_VALID |
			  (level == 1 ? ARM64_DESC_TYPE : 0), " ", b, sizeof(b));
	snprintf(buf, len, "invalid, else %s", b);
}

/* The software bits (55-58) and write permission an invalid descriptor keeps. */
static void sw_words(uint64_t e, char *buf, size_t len)
{
	char sw[48] = "";
	unsigned n = 0;
	for (unsigned b = 55; b <= 58; b++)
		if (e & (1ull << b))
			n += (unsigned)snprintf(sw + n, sizeof(sw) - n, "%sbit %u", n ? " and " : "", b);
	snprintf(buf, len, "%s%s%s", !(e & ARM64_DESC_AP_RO) ? "AP[2]=0" : "AP[2]=1",
		 sw[0] ? " and " : "", sw);
}

/* Why the CPU faults on f (syndrome esr), and why it faults again. */
static void explain(const struct ptdbg_fault *f, uint64_t e, char *buf, size_t len)
{
	uint64_t esr = f->error_code;
	unsigned fsc = (unsigned)(esr & ARM64_ISS_FSC_MASK), kind = arm64_fsc_kind(fsc);
	unsigned acc = ptdbg_arm64_fault_access(esr);
	const char *what = (acc & PTDBG_ACC_FETCH) ? "fetch" : (acc & PTDBG_ACC_WRITE) ? "write" : "read";
	bool handled = f->outcome == PTDBG_FAULT_HANDLED;
	const char *again = handled ? "; the handler returns 'already-handled' without changing it, so the CPU "
				      "retries and faults again" : "";
	char sw[96];
	switch (kind) {
	case ARM64_FSC_TRANSLATION:
		if (e && !(e & ARM64_DESC_VALID)) {
			sw_words(e, sw, sizeof(sw));
			snprintf(buf, len, "bit 0 clear: the CPU faults; the kernel reads %s as a mapped%s "
				 "page%s%s%s", sw,
				 !(e & ARM64_DESC_AP_RO) ? ", writable" : "", handled ? ", calls the " : "",
				 handled ? what : "", handled ? " already handled, and the CPU retries it" : "");
			return;
		}
		snprintf(buf, len, "the CPU takes a translation fault: no valid descriptor maps the page%s", again);
		return;
	case ARM64_FSC_ACCESS_FLAG:
		snprintf(buf, len, "the descriptor has AF=0 and the CPU does not set it (TCR_EL1.HA=0): "
			 "software must set AF%s", again);
		return;
	case ARM64_FSC_ADDR_SIZE:
		snprintf(buf, len, "a descriptor on the path has output-address bits above the output size; "
			 "no handler change short of fixing that descriptor stops it");
		return;
	case ARM64_FSC_PERMISSION: {
		const char *why = (acc & PTDBG_ACC_FETCH) ?
			((acc & PTDBG_ACC_USER) ? "the page is not executable at EL0 (UXN, or WXN)" :
			 "the page is not executable at EL1 (PXN, or WXN)") :
			(acc & PTDBG_ACC_WRITE) ? "the page is not writable (AP[2]=1 or APTable on the path)" :
			(acc & PTDBG_ACC_USER) ? "the page is not accessible at EL0 (AP[1]=0 or APTable)" :
			"the access is not allowed (PAN?)";
		snprintf(buf, len, "the CPU raises a permission fault on this %s: %s%s", what, why,
			 handled ? "; the handler believes it allowed, returns 'already-handled' and the CPU retries it" : "");
		return;
	}
	default:
		snprintf(buf, len, "the CPU raised %s", ptdbg_arm64_ec_name(arm64_esr_ec(esr)));
	}
}

/* The output address of descriptor e at frame level (valid or not), 0 when it has none. */
static uint64_t desc_frame(uint64_t e, unsigned level)
{
	(void)level;
	return e & ARM64_DESC_OA_4K_PAGE;
}

int ptdbg_arm64_fault_analyze(struct ptdbg_mem *mem, const void *base, const struct ptdbg_region_view *v,
			      const struct ptdbg_fault *f, struct ptdbg_fault_analysis *out)
{
	(void)v;
	memset(out, 0, sizeof(*out));
	struct ptdbg_arm64_cpu cpu = *(const struct ptdbg_arm64_cpu *)base;
	if (f->cr3)
		cpu.ttbr0 = f->cr3; /* the faulting process's tables */
	int rc = ptdbg_arm64_fault_decode(mem, &cpu, f->rip, &out->insn);
	if (rc)
		return rc;
	unsigned acc = ptdbg_arm64_fault_access(f->error_code);
	rc = ptdbg_arm64_translate(mem, &cpu, f->cr2, acc, &out->now.tr, NULL);
	if (rc)
		return rc;
	const struct ptdbg_translation *t = &out->now.tr;
	for (unsigned i = t->nsteps; i-- > 0;) {
		const struct ptdbg_walk_step *s = &t->step[i];
		if (s->err)
			continue;
		out->now.have_entry = true;
		out->now.entry = s->entry;
		out->now.level = s->level;
		out->now.table = s->table_pa;
		break;
	}
	out->now.faults_again = t->stop != PTDBG_STOP_OK;
	out->pc_reg = "PC";
	out->code_reg = "ESR";
	out->access = (acc & PTDBG_ACC_FETCH) ? "fetch" : (acc & PTDBG_ACC_WRITE) ? "write" : "read";
	out->kernel_pc = (f->rip >> 55) & 1u;
	esr_words(f->error_code, out->words, sizeof(out->words));
	if (out->now.have_entry) {
		unsigned lv = out->now.level;
		uint64_t e = out->now.entry;
		bool leaf = lv == 1 || (e & ARM64_DESC_TYPE_MASK) != ARM64_DESC_TABLE;
		snprintf(out->now_name, sizeof(out->now_name), "%s", arm64_entry_name(lv));
		desc_bits(e, lv, out->now_bits, sizeof(out->now_bits));
		out->now_table = arm64_bits_entry_table(lv, (e & ARM64_DESC_VALID) ? leaf : true);
	}
	if (t->stop == PTDBG_STOP_OK)
		snprintf(out->result, sizeof(out->result), "ok");
	else
		ptdbg_arm64_fsc_name(t->fault, out->result, sizeof(out->result));
	uint64_t e = f->pte ? f->pte : out->now.entry;
	unsigned level = out->now.have_entry ? out->now.level : 1;
	out->entry = e;
	snprintf(out->entry_name, sizeof(out->entry_name), "%s", arm64_entry_name(level));
	desc_bits(e, level, out->entry_bits, sizeof(out->entry_bits));
	out->frame = desc_frame(e, level);
	explain(f, e, out->why, sizeof(out->why));
	return 0;
}
