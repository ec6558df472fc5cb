/* SPDX-License-Identifier: MIT */
/* Prediction of recorded AArch64 access cases (see arm64_access.h). */
#include "arm64/arm64_access.h"

#include <inttypes.h>
#include <string.h>

#include "target/mem.h"
#include "target/target.h"

#define MAX_PAGES 12

/* Whether [pa, pa + len) meets [a, a + alen). */
static bool meets(uint64_t pa, uint64_t len, uint64_t a, uint64_t alen)
{
	return pa < a + alen && a < pa + len;
}

int ptdbg_arm64_access_predict(const struct ptdbg_access_case *c,
			       struct ptdbg_arm64_prediction *out)
{
	static uint8_t pages[MAX_PAGES][4096];
	struct ptdbg_sparse_page sp[MAX_PAGES];
	struct ptdbg_arm64_cpu cpu = {
		.tcr = c->state[1], .sctlr = c->state[0], .cpsr = c->state[2],
		.mair = 0xff, .valid = PTDBG_ARM64_HAVE_SCTLR | PTDBG_ARM64_HAVE_CPSR,
	};
	struct ptdbg_arm64_half h;
	unsigned top = c->top_level, leaf = c->leaf_level, n = 0;
	uint64_t table[7] = { 0 };

	memset(out, 0, sizeof(*out));
	cpu.parange = arm64_pa_bits((unsigned)(c->state[3] & ARM64_MMFR0_PARANGE_MASK));
	ptdbg_arm64_half_of(&cpu, PTDBG_ARM64_TTBR0, &h);
	if (top != h.top || leaf < 1 || leaf > top || top > 5 || (c->va >> 55) & 1)
		return PTDBG_EINVAL;
	uint64_t gran = 1ull << h.gshift, tmask = ARM64_GENMASK(47, h.gshift);

	/* the root: a granule that no table of the path occupies */
	uint64_t root = 0x10000;
	for (unsigned l = top; l > leaf; l--)
		if (meets(root, gran, c->entry[l] & tmask, gran))
			root += 0x10000, l = top + 1;
	table[top] = root;
	for (unsigned l = top; l >= leaf; l--) {
		int lk = ptdbg_arm64_lookup_level(l);
		unsigned bits = l == top ? h.va_bits - arm64_level_shift(h.gshift, lk) : h.gshift - 3;
		uint64_t idx = (c->va >> arm64_level_shift(h.gshift, lk)) & ((1ull << bits) - 1);
		uint64_t ea = table[l] + 8 * idx, page = ea & ~0xfffull;
		unsigned slot = n;
		for (unsigned k = 0; k < n; k++)
			if (sp[k].pa == page)
				slot = k; /* two levels in one page: share it */
		if (slot == n) {
			if (n == MAX_PAGES)
				return PTDBG_EINVAL;
			memset(pages[n], 0, sizeof(pages[n]));
			sp[n].pa = page;
			sp[n].data = pages[n];
			n++;
		}
		memcpy(pages[slot] + (ea & 0xfff), &c->entry[l], 8);
		if (l > leaf)
			table[l - 1] = c->entry[l] & tmask;
	}
	cpu.ttbr0 = root;
	struct ptdbg_regs regs = { 0 };
	struct ptdbg_target *t = ptdbg_sparse_open(sp, n, true, &regs);
	struct ptdbg_mem *m = t ? ptdbg_mem_new(t, 0) : NULL;
	if (!m) {
		if (t)
			ptdbg_target_close(t);
		return PTDBG_ENOMEM;
	}
	/* LDTR/STTR at EL1 are checked as EL0 accesses (PSTATE.UAO clear) */
	unsigned acc = (c->access & PTDBG_ACCESS_WRITE ? PTDBG_ACC_WRITE : 0) |
		       (c->access & PTDBG_ACCESS_FETCH ? PTDBG_ACC_FETCH : 0) |
		       (c->access & (PTDBG_ACCESS_USER | PTDBG_ACCESS_UNPRIV) ? PTDBG_ACC_USER : 0);
	int half;
	int rc = ptdbg_arm64_translate(m, &cpu, c->va, acc, &out->tr, &half);
	ptdbg_mem_free(m);
	ptdbg_target_close(t);
	if (rc)
		return rc;
	out->allowed = out->tr.stop == PTDBG_STOP_OK && !out->tr.fault;
	out->esr = ptdbg_arm64_esr_of(&out->tr);
	if (out->esr && (c->access & PTDBG_ACCESS_UNPRIV) && !(c->access & PTDBG_ACCESS_USER)) {
		/* taken from EL1, where the instruction ran */
		out->esr &= ~((uint64_t)0x3f << ARM64_ESR_EC_SHIFT);
		out->esr |= (uint64_t)ARM64_EC_DABT_CUR << ARM64_ESR_EC_SHIFT;
	}
	return 0;
}

bool ptdbg_arm64_access_agrees(const struct ptdbg_access_case *c,
			       const struct ptdbg_arm64_prediction *p)
{
	if (c->outcome == PTDBG_ACCESS_ALLOWED)
		return p->allowed;
	return c->outcome == PTDBG_ACCESS_FAULT && !p->allowed && c->fault_code == p->esr &&
	       c->fault_vector == arm64_esr_ec(c->fault_code) && c->fault_addr == c->va;
}

/* "EC 0x24 (data abort from a lower EL), permission fault at level 3, write". */
static void esr_words(uint64_t esr, char *buf, size_t len)
{
	char fsc[64];
	unsigned ec = arm64_esr_ec(esr);
	bool abort = ec == ARM64_EC_DABT_CUR || ec == ARM64_EC_DABT_LOW || ec == ARM64_EC_IABT_CUR ||
		     ec == ARM64_EC_IABT_LOW;
	snprintf(buf, len, "EC 0x%02x (%s)%s%s%s", ec, ptdbg_arm64_ec_name(ec), abort ? ", " : "",
		 abort ? ptdbg_arm64_fsc_name((unsigned)(esr & ARM64_ISS_FSC_MASK), fsc, sizeof(fsc)) : "",
		 abort && (ec == ARM64_EC_DABT_CUR || ec == ARM64_EC_DABT_LOW) && (esr & ARM64_ISS_WNR)
			 ? ", write" : "");
}

void ptdbg_arm64_access_print(FILE *out, const struct ptdbg_access_case *c,
			      const struct ptdbg_arm64_prediction *p)
{
	const char *op = c->access & PTDBG_ACCESS_FETCH ? "fetch"
			 : c->access & PTDBG_ACCESS_UNPRIV ? (c->access & PTDBG_ACCESS_WRITE ? "STTR" : "LDTR")
			 : c->access & PTDBG_ACCESS_WRITE ? "store" : "load";
	struct ptdbg_arm64_cpu cpu = { .tcr = c->state[1] };
	struct ptdbg_arm64_half h;
	char w[160];

	ptdbg_arm64_half_of(&cpu, PTDBG_ARM64_TTBR0, &h);
	int lk = ptdbg_arm64_lookup_level(c->leaf_level);
	unsigned shift = lk >= 0 ? arm64_level_shift(h.gshift, lk) : 0;
	fprintf(out, "case va 0x%016" PRIx64 ": %s from EL%d, %s of %" PRIu64 " KiB at level %d "
		"(granule %u KiB)\n", c->va, op, c->access & PTDBG_ACCESS_USER ? 0 : 1,
		c->leaf_level == 1 ? "page" : "block", shift >= 10 ? (uint64_t)1 << (shift - 10) : 0, lk,
		1u << (h.gshift - 10));
	for (unsigned l = c->top_level; l >= c->leaf_level && l >= 1 && l <= 5; l--)
		fprintf(out, "  L%d 0x%016" PRIx64 "\n", ptdbg_arm64_lookup_level(l), c->entry[l]);
	fprintf(out, "  SCTLR_EL1 0x%" PRIx64 " (WXN %d, EPAN %d) TCR_EL1 0x%" PRIx64 " PSTATE 0x%" PRIx64
		" (EL%u, PAN %d) ID_AA64MMFR0_EL1 0x%" PRIx64 "\n", c->state[0],
		!!(c->state[0] & ARM64_SCTLR_WXN), !!(c->state[0] & ARM64_SCTLR_EPAN), c->state[1],
		c->state[2], arm64_psr_el(c->state[2]), !!(c->state[2] & ARM64_PSR_PAN), c->state[3]);
	if (c->outcome == PTDBG_ACCESS_ALLOWED) {
		fprintf(out, "  cpu:    allowed\n");
	} else {
		esr_words(c->fault_code, w, sizeof(w));
		fprintf(out, "  cpu:    ESR_EL1 0x%" PRIx64 " %s, FAR_EL1 0x%" PRIx64 "\n", c->fault_code, w,
			c->fault_addr);
	}
	if (p->allowed) {
		fprintf(out, "  ptdbg:  allowed\n");
	} else {
		esr_words(p->esr, w, sizeof(w));
		fprintf(out, "  ptdbg:  ESR_EL1 0x%" PRIx64 " %s (stopped at level %d)\n", p->esr, w,
			ptdbg_arm64_lookup_level(p->tr.stop_level));
	}
}
