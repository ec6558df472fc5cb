/* SPDX-License-Identifier: MIT */
/* SMEP, SMAP and protection keys on top of a translation; prediction of recorded
 * access cases (see x86_access.h). */
#include "x86/x86_access.h"

#include <inttypes.h>
#include <string.h>

#include "target/mem.h"
#include "target/target.h"

const char *ptdbg_x86_deny_name(enum ptdbg_x86_deny d)
{
	switch (d) {
	case PTDBG_X86_DENY_NONE:   return "allowed";
	case PTDBG_X86_DENY_TABLES: return "tables";
	case PTDBG_X86_DENY_SMEP:   return "SMEP";
	case PTDBG_X86_DENY_SMAP:   return "SMAP";
	case PTDBG_X86_DENY_PKEY:   return "protection key";
	}
	return "?";
}

enum ptdbg_x86_deny ptdbg_x86_access_check(const struct ptdbg_x86_cpu *cpu,
					   const struct ptdbg_x86_access_state *st,
					   struct ptdbg_translation *t)
{
	bool reached = t->stop == PTDBG_STOP_OK || t->stop == PTDBG_STOP_PROTECTION;
	bool user = t->access & PTDBG_ACC_USER;
	bool write = t->access & PTDBG_ACC_WRITE;
	bool fetch = t->access & PTDBG_ACC_FETCH;
	bool upage = t->perm.flags & PTDBG_X86_PERM_U;
	enum ptdbg_x86_deny why = t->stop == PTDBG_STOP_OK ? PTDBG_X86_DENY_NONE
							       : PTDBG_X86_DENY_TABLES;

	if (!reached)
		return why;
	/* protection keys: data accesses to user pages, in long mode with CR4.PKE */
	if (st && st->pkru_known && !fetch && upage && (cpu->cr4 & X86_CR4_PKE) &&
	    (cpu->efer & X86_EFER_LMA)) {
		unsigned key = t->perm.pkey;
		bool ad = (st->pkru >> (2 * key)) & 1, wd = (st->pkru >> (2 * key + 1)) & 1;
		if (ad || (wd && write && (user || (cpu->cr0 & X86_CR0_WP)))) {
			t->fault |= X86_PF_PK;
			if (why == PTDBG_X86_DENY_NONE)
				why = PTDBG_X86_DENY_PKEY;
		}
	}
	if (why == PTDBG_X86_DENY_NONE && !user && upage) {
		if (fetch && (cpu->cr4 & X86_CR4_SMEP))
			why = PTDBG_X86_DENY_SMEP;
		else if (!fetch && (cpu->cr4 & X86_CR4_SMAP) && !(st && st->ac))
			why = PTDBG_X86_DENY_SMAP;
	}
	if (why != PTDBG_X86_DENY_NONE && t->stop == PTDBG_STOP_OK) {
		uint32_t pk = t->fault & X86_PF_PK;
		t->stop = PTDBG_STOP_PROTECTION;
		t->stop_level = t->nsteps ? t->step[t->nsteps - 1].level : 0;
		t->fault = X86_PF_P | pk | (write ? X86_PF_W : 0) | (user ? X86_PF_U : 0) |
			      (fetch && ((cpu->efer & X86_EFER_NXE) || (cpu->cr4 & X86_CR4_SMEP))
				       ? X86_PF_I : 0);
	}
	return why;
}

int ptdbg_x86_access_predict(const struct ptdbg_access_case *c, unsigned maxphyaddr,
			     bool pdpe1gb, struct ptdbg_x86_prediction *out)
{
	static uint8_t pages[6][4096];
	struct ptdbg_sparse_page sp[6];
	unsigned top = c->top_level, leaf = c->leaf_level, n = 0;
	uint64_t table[7] = { 0 };

	memset(out, 0, sizeof(*out));
	if ((top != 4 && top != 5) || leaf < 1 || leaf > 3)
		return PTDBG_EINVAL;
	/* the root: a page no entry of the path points to */
	table[top] = 0x1000;
	for (unsigned l = top; l > leaf; l--)
		if ((c->entry[l] & X86_PTE_ADDR_MASK) == table[top])
			table[top] += 0x1000, l = top + 1;
	for (unsigned l = top; l >= leaf; l--) {
		unsigned shift = 12 + 9 * (l - 1);
		unsigned idx = (unsigned)((c->va >> shift) & 511);
		unsigned slot = n;
		for (unsigned k = 0; k < n; k++)
			if (sp[k].pa == table[l])
				slot = k; /* two levels in one page (a loop): share it */
		if (slot == n) {
			memset(pages[n], 0, sizeof(pages[n]));
			sp[n].pa = table[l];
			sp[n].data = pages[n];
			n++;
		}
		memcpy(pages[slot] + 8 * idx, &c->entry[l], 8);
		if (l > 1)
			table[l - 1] = c->entry[l] & X86_PTE_ADDR_MASK;
	}
	struct ptdbg_regs regs = { 0 };
	struct ptdbg_target *t = ptdbg_sparse_open(sp, n, true, &regs);
	struct ptdbg_mem *m = t ? ptdbg_mem_new(t, 0) : NULL;
	if (!m) {
		if (t)
			ptdbg_target_close(t);
		return PTDBG_ENOMEM;
	}
	struct ptdbg_x86_cpu cpu = {
		.cr0 = c->state[0], .cr3 = table[top], .cr4 = c->state[1], .efer = c->state[2],
		.pat = X86_PAT_RESET, .levels = top, .maxphyaddr = maxphyaddr, .pdpe1gb = pdpe1gb,
	};
	unsigned access = (c->access & PTDBG_ACCESS_WRITE ? PTDBG_ACC_WRITE : 0) |
			  (c->access & PTDBG_ACCESS_FETCH ? PTDBG_ACC_FETCH : 0) |
			  (c->access & PTDBG_ACCESS_USER ? PTDBG_ACC_USER : 0);
	int rc = ptdbg_x86_translate(m, &cpu, c->va, access, &out->tr);
	ptdbg_mem_free(m);
	ptdbg_target_close(t);
	if (rc)
		return rc;
	struct ptdbg_x86_access_state st = {
		.ac = (c->state[3] & X86_RFLAGS_AC) != 0, .pkru_known = true, .pkru = c->pkru,
	};
	out->why = ptdbg_x86_access_check(&cpu, &st, &out->tr);
	out->allowed = out->tr.stop == PTDBG_STOP_OK;
	out->pf_error = out->tr.fault;
	return 0;
}

enum ptdbg_x86_agreement ptdbg_x86_access_agrees(const struct ptdbg_access_case *c,
						 const struct ptdbg_x86_prediction *p)
{
	if (c->outcome == PTDBG_ACCESS_ALLOWED)
		return p->allowed ? PTDBG_X86_AGREE : PTDBG_X86_DISAGREE;
	if (c->outcome != PTDBG_ACCESS_FAULT || p->allowed || c->fault_vector != 14 ||
	    c->fault_addr != c->va)
		return PTDBG_X86_DISAGREE;
	if (c->fault_code == p->pf_error)
		return PTDBG_X86_AGREE;
	if ((p->pf_error & X86_PF_RSVD) && c->fault_code == (p->pf_error & ~(uint64_t)X86_PF_P))
		return PTDBG_X86_AGREE_BUT_QEMU_RSVD_P;
	return PTDBG_X86_DISAGREE;
}

/* "P|W|U..." for an error code. */
static void pf_bits(uint64_t e, char *buf, size_t len)
{
	ptdbg_bits_format(&x86_bits_pf_error, e, "|", buf, len);
}

void ptdbg_x86_access_print(FILE *out, const struct ptdbg_access_case *c,
			    const struct ptdbg_x86_prediction *p)
{
	static const char *const lvname[6] = { "", "PTE", "PDE", "PDPTE", "PML4E", "PML5E" };
	char a[64], b[64];

	fprintf(out, "case va 0x%016" PRIx64 ": %s %s from CPL %d\n", c->va,
		c->access & PTDBG_ACCESS_FETCH ? "fetch" : c->access & PTDBG_ACCESS_WRITE ? "store" : "load",
		c->leaf_level == 1 ? "4K" : c->leaf_level == 2 ? "2M" : "1G",
		c->access & PTDBG_ACCESS_USER ? 3 : 0);
	for (unsigned l = c->top_level; l >= c->leaf_level && l >= 1 && l <= 5; l--)
		fprintf(out, "  %-5s 0x%016" PRIx64 "\n", lvname[l], c->entry[l]);
	fprintf(out, "  cr0 0x%" PRIx64 " cr4 0x%" PRIx64 " efer 0x%" PRIx64 " rflags 0x%" PRIx64
		" pkru 0x%08" PRIx32 "\n", c->state[0], c->state[1], c->state[2], c->state[3], c->pkru);
	if (c->outcome == PTDBG_ACCESS_ALLOWED) {
		fprintf(out, "  cpu:    allowed\n");
	} else {
		pf_bits(c->fault_code, a, sizeof(a));
		fprintf(out, "  cpu:    vector %" PRIu64 " error 0x%" PRIx64 " (%s) cr2 0x%" PRIx64 "\n",
			c->fault_vector, c->fault_code, a, c->fault_addr);
	}
	if (p->allowed) {
		fprintf(out, "  ptdbg:  allowed\n");
	} else {
		pf_bits(p->pf_error, b, sizeof(b));
		fprintf(out, "  ptdbg:  #PF error 0x%" PRIx32 " (%s): %s, %s at level %u\n",
			p->pf_error, b, ptdbg_x86_stop_name(p->tr.stop), ptdbg_x86_deny_name(p->why),
			p->tr.stop_level);
	}
}
