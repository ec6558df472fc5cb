/* SPDX-License-Identifier: MIT */
/*
 * ptdump on AArch64: the commands' AArch64 side, called by each command once its
 * options are parsed and the target says it is an AArch64 CPU. What the tables
 * mean is in tools/lib/arm64/; this file only connects the session to it.
 */
#include <capstone/capstone.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm64/arm64_bits.h"
#include "arm64/arm64_check.h"
#include "arm64/arm64_fault.h"
#include "arm64/arm64_print.h"
#include "arm64/arm64_regs.h"
#include "arm64/arm64_snap.h"
#include "ptdump.h"
#include "region/linux_layout.h"
#include "target/ramfilter.h"
#include "region/faultlog.h"
#include "region/region_check.h"

bool pt_is_a64(struct ptdbg_session *s)
{
	return ptdbg_session_arch(s) == PTDBG_ARCH_AARCH64;
}

/* QEMU's virt machine: RAM starts here, and the device tree it gives a kernel that
 * is not a Linux image lies at its base. */

/* The root a TTBR value points to, as the region records roots. */
static uint64_t ttbr_root(uint64_t ttbr)
{
	return ttbr & ARM64_GENMASK(47, 1);
}

/* Tell holes from zero tables: reads outside RAM fail (ptdbg_session_ram_guard); the
 * device tree at the base of virt's RAM is trusted if it holds the roots in force. */
static void a64_ram_install(struct ptdbg_session *s)
{
	uint64_t roots[2];
	size_t n = 0;
	if (s->regs.valid & PTDBG_REG_TTBR0)
		roots[n++] = ttbr_root(s->regs.ttbr0_el1);
	if (s->regs.valid & PTDBG_REG_TTBR1)
		roots[n++] = ttbr_root(s->regs.ttbr1_el1);
	ptdbg_session_ram_guard(s, PTDBG_VIRT_RAM_PA, roots, n);
}

int pt_a64_cpu(struct ptdbg_session *s, struct ptdbg_arm64_cpu *cpu)
{
	a64_ram_install(s);
	struct ptdbg_regs r = s->regs;
	uint32_t missing = ptdbg_arm64_regs_missing(&r);

	/* A core file has no system registers: the region has them as the kernel set
	 * them up (TTBR0 then is the kernel's, not the running process's). */
	if (missing && s->have_region && s->region.hdr.arch == PTDBG_ARCH_AARCH64) {
		const struct ptdbg_cpu_arm64 *a = &s->region.hdr.arm64;
#define FROM_REGION(bit, field, val) \
		if (!(r.valid & (bit))) { r.field = (val); r.valid |= (bit); }
		FROM_REGION(PTDBG_REG_TTBR0, ttbr0_el1, a->ttbr0);
		FROM_REGION(PTDBG_REG_TTBR1, ttbr1_el1, a->ttbr1);
		FROM_REGION(PTDBG_REG_TCR, tcr_el1, a->tcr);
		FROM_REGION(PTDBG_REG_MAIR, mair_el1, a->mair);
		FROM_REGION(PTDBG_REG_SCTLR, sctlr_el1, a->sctlr);
		FROM_REGION(PTDBG_REG_MMFR0, id_aa64mmfr0_el1, a->mmfr0);
#undef FROM_REGION
		if (s->topts.verbose)
			fprintf(s->err, "%s: translation registers from the debug region, as the kernel set "
				"them up\n", s->prog);
		missing = ptdbg_arm64_regs_missing(&r);
	}
	ptdbg_arm64_cpu_from_regs(cpu, &r);
	if (missing) {
		ptdbg_session_err(s, "the target gives no %s%s%s%s: cannot walk AArch64 tables%s",
				  (missing & PTDBG_REG_TTBR0) ? "TTBR0_EL1 " : "",
				  (missing & PTDBG_REG_TTBR1) ? "TTBR1_EL1 " : "",
				  (missing & PTDBG_REG_TCR) ? "TCR_EL1" : "", "",
				  s->topts.core_file ? " (QEMU writes no system registers into an "
						       "AArch64 core file)" : "");
		return PTDBG_EXIT_ERROR;
	}
	return 0;
}

/* ---- address spaces ---- */

/* Space sp from the region's space as: a user space is a TTBR0 root, the kernel's
 * the TTBR1 root; the rest of the CPU state is the running one. */
static void a64_space_from_region(const struct ptdbg_arm64_cpu *cur, const struct ptdbg_aspace *as,
				  struct pt_a64_space *sp)
{
	char name[PTDBG_NAME_LEN + 1];
	ptdbg_name_copy(name, as->name, PTDBG_NAME_LEN);
	snprintf(sp->name, sizeof(sp->name), "%s", name);
	sp->kind = as->kind;
	sp->cpu = *cur;
	if (as->kind == PTDBG_AS_KERNEL) {
		sp->cpu.ttbr1 = (cur->ttbr1 & ~ARM64_GENMASK(47, 1)) | as->root;
		sp->halves = 2;
	} else {
		sp->cpu.ttbr0 = (cur->ttbr0 & ~ARM64_GENMASK(47, 1)) | as->root;
		sp->halves = 1;
	}
	sp->current = as->kind == PTDBG_AS_KERNEL ? ttbr_root(cur->ttbr1) == as->root
						  : ttbr_root(cur->ttbr0) == as->root;
}

int pt_a64_spaces(struct ptdbg_session *s, const struct pt_space_sel *sel, bool live_default,
		  struct pt_a64_space **out, size_t *n)
{
	struct ptdbg_arm64_cpu cur;
	*out = NULL;
	*n = 0;
	if ((sel->as_name != NULL) + (sel->cr3 != NULL) + sel->all + sel->all_spaces > 1) {
		ptdbg_usage_err(s, "options '--as', '--cr3', '--all' and '--all-spaces' exclude each other");
		return PTDBG_EXIT_ERROR;
	}
	if (pt_attach(s) || pt_a64_cpu(s, &cur))
		return PTDBG_EXIT_ERROR;
	bool all = sel->all || sel->all_spaces || (live_default && !sel->as_name && !sel->cr3 && s->have_region);
	if ((sel->as_name || sel->all) && !s->have_region) {
		ptdbg_session_err(s, "%s needs the kernel's debug region: %s", sel->all ? "--all" : "--as",
				  s->region_why);
		return PTDBG_EXIT_ERROR;
	}
	if (sel->all_spaces && !s->have_region)
		all = false; /* without the region: the spaces in force */
	size_t cap = (all ? s->region.nspaces : 0) + 2;
	struct pt_a64_space *v = calloc(cap, sizeof(*v));
	if (!v) {
		ptdbg_session_err(s, "out of memory");
		return PTDBG_EXIT_ERROR;
	}
	if (sel->as_name) {
		const struct ptdbg_aspace *as = ptdbg_region_space_by_name(&s->region, sel->as_name);
		if (!as || (as->kind != PTDBG_AS_KERNEL && as->kind != PTDBG_AS_USER)) {
			ptdbg_session_err(s, "no CPU address space named '%s' in the debug region (ptdump region lists them)",
					  sel->as_name);
			free(v);
			return PTDBG_EXIT_ERROR;
		}
		a64_space_from_region(&cur, as, &v[(*n)++]);
	} else if (sel->cr3) {
		uint64_t root;
		if (ptdbg_parse_u64(sel->cr3, &root)) {
			ptdbg_session_err(s, "--cr3 takes a physical address (on AArch64: a TTBR0 root), not '%s'",
					  sel->cr3);
			free(v);
			return PTDBG_EXIT_ERROR;
		}
		struct pt_a64_space *sp = &v[(*n)++];
		sp->cpu = cur;
		sp->cpu.ttbr0 = root;
		sp->halves = 1;
		sp->kind = PTDBG_AS_USER;
		const struct ptdbg_aspace *as = s->have_region ?
			ptdbg_region_space_by_root(&s->region, ttbr_root(root)) : NULL;
		if (as)
			ptdbg_name_copy(sp->name, as->name, PTDBG_NAME_LEN);
		else
			snprintf(sp->name, sizeof(sp->name), "ttbr0=%#llx", (unsigned long long)ttbr_root(root));
		sp->current = ttbr_root(root) == ttbr_root(cur.ttbr0);
	} else if (all) {
		bool have0 = false, have1 = false;
		for (size_t i = 0; i < s->region.nspaces; i++) {
			const struct ptdbg_aspace *as = &s->region.spaces[i];
			if (!(as->flags & PTDBG_AS_F_LIVE) ||
			    (as->kind != PTDBG_AS_KERNEL && as->kind != PTDBG_AS_USER))
				continue;
			struct pt_a64_space *sp = &v[(*n)++];
			a64_space_from_region(&cur, as, sp);
			have0 |= sp->halves == 1 && sp->current;
			have1 |= sp->halves == 2 && sp->current;
		}
		/* The tables in force are checked even where the region does not list them. */
		if (!have0 || !have1) {
			struct pt_a64_space *sp = &v[(*n)++];
			sp->cpu = cur;
			sp->halves = (have0 ? 0u : 1u) | (have1 ? 0u : 2u);
			sp->current = true;
		}
	} else {
		struct pt_a64_space *sp = &v[(*n)++];
		sp->cpu = cur;
		sp->halves = 3;
		sp->current = true;
	}
	*out = v;
	return 0;
}

/* The label of half h of space sp: its name and the TTBR, or the TTBR alone. */
static const char *a64_label(const struct pt_a64_space *sp, unsigned h, char *buf, size_t len)
{
	if (!sp->name[0])
		return NULL;
	snprintf(buf, len, "%s (TTBR%u)", sp->name, h);
	return buf;
}

void pt_a64_symbolize(struct ptdbg_session *s, const struct ptdbg_arm64_cpu *cpu, uint64_t addr,
		      char *buf, size_t len)
{
	ptdbg_session_symbolize(s, addr, buf, len);
	if (buf[0] || !s->syms)
		return;
	/* The same frame under the kernel's own (linked) address: the identity map of
	 * the boot, or any other alias of the image. */
	uint64_t pa = addr, hi;
	struct ptdbg_translation tr;
	if (!cpu)
		return; /* the translation in force is not known */
	bool mapped = true;
	int half = -1;
	if (ptdbg_arm64_mmu_on(cpu)) {
		if (ptdbg_arm64_translate(s->mem, cpu, addr, 0, &tr, &half))
			return;
		mapped = tr.page_size != 0;
		pa = mapped ? tr.pa : addr;
	}
	if (ptdbg_symbols_pa_to_va(s->syms, pa, &hi) || hi == addr)
		return;
	char sym[160];
	if (!mapped) { /* code running from its physical address where nothing maps it */
		ptdbg_session_symbolize(s, hi, sym, sizeof(sym));
		if (sym[0])
			snprintf(buf, len, "= the physical address of %s, which TTBR%d does not map", sym,
				 half < 0 ? 0 : half);
		return;
	}
	/* The tables in force must map it there too, unless the MMU is off. */
	if (ptdbg_arm64_mmu_on(cpu) &&
	    (ptdbg_arm64_translate(s->mem, cpu, hi, 0, &tr, NULL) || !tr.page_size || tr.pa != pa))
		return;
	ptdbg_session_symbolize(s, hi, sym, sizeof(sym));
	if (sym[0])
		snprintf(buf, len, "= %s %s", sym, !ptdbg_arm64_mmu_on(cpu) ? "at its physical address (MMU off)" :
			 pa == addr ? "through the identity map" : "through an alias");
}

/* ptdbg_arm64_symbolize_fn over pt_a64_symbolize (ctx: struct a64_symctx *). */
struct a64_symctx {
	struct ptdbg_session *s;
	const struct ptdbg_arm64_cpu *cpu;
};

static void a64_sym(void *ctx, uint64_t addr, char *buf, size_t len)
{
	struct a64_symctx *c = ctx;
	pt_a64_symbolize(c->s, c->cpu, addr, buf, len);
}

static void a64_leaves(void *ctx, uint64_t n)
{
	pt_progress_leaves(ctx, n);
}

int pt_a64_dump(struct ptdbg_session *s, const struct pt_space_sel *sel, const struct pt_a64_dump_args *a)
{
	struct ptdbg_arm64_cpu cpu;
	struct ptdbg_arm64_dump_opts o = { 0 };
	char bad[64];

	if (pt_attach(s))
		return PTDBG_EXIT_ERROR;
	if (pt_a64_cpu(s, &cpu))
		return PTDBG_EXIT_ERROR;
	if (a->flags && ptdbg_arm64_parse_flags(a->flags, &o.need_set, &o.need_clear, bad, sizeof(bad))) {
		ptdbg_session_err(s, "--flags: unknown flag '%s' (w, ro, x, nx, u, k, uw, ux, g, ng, af, noaf)",
				  bad);
		return PTDBG_EXIT_ERROR;
	}
	if (!ptdbg_arm64_mmu_on(&cpu)) {
		if (s->json) {
			struct ptdbg_json *j = ptdbg_session_json(s);
			ptdbg_json_start_object(j);
			ptdbg_json_string_field(j, "arch", "aarch64");
			ptdbg_json_bool_field(j, "mmu", false);
			ptdbg_json_end_object(j);
			ptdbg_json_free(j);
		} else {
			fprintf(s->out, "# the MMU is off (SCTLR_EL1.M=0): addresses are physical, no tables are in use\n");
		}
		return 0;
	}
	struct pt_a64_space *sp;
	size_t nsp;
	int rc = pt_a64_spaces(s, sel, false, &sp, &nsp);
	if (rc)
		return rc;
	unsigned want = a->halves ? a->halves : 3;
	size_t nwalks = 0;
	for (size_t k = 0; k < nsp; k++)
		for (unsigned h = 0; h < 2; h++)
			nwalks += (sp[k].halves & want & (1u << h)) != 0;
	struct ptdbg_json *j = s->json ? ptdbg_session_json(s) : NULL;
	bool many = nwalks > 1 || (want == 3 && nsp == 1 && sp[0].halves == 3);
	struct pt_progress prog;
	struct pt_marker_ctx mc = { s, 0 };
	char label[96];

	o.out = s->out;
	o.json = j;
	o.marker = s->have_region ? pt_marker_name : NULL;
	o.marker_ctx = &mc;
	if (!s->have_region && s->syms) { /* a Linux guest's symbols: Linux's names */
		const struct ptdbg_linux_layout *ll = pt_linux_layout(s, &rc);
		if (!ll)
			return rc;
		if (ll->valid) {
			o.marker = pt_linux_marker_name;
			o.marker_ctx = (void *)ll;
		}
	}
	o.merge_virtual = a->merge_virtual;
	o.show_absent = a->show_absent;
	o.show_nodes = a->show_nodes;
	o.range = a->range;
	o.lo = a->lo;
	o.hi = a->hi;
	o.on_leaves = a64_leaves;
	o.leaf_ctx = &prog;
	if (j && many)
		ptdbg_json_start_array(j);
	bool first = true;
	for (size_t k = 0; k < nsp && rc == 0; k++) {
		mc.kind = sp[k].kind;
		for (unsigned h = 0; h < 2 && rc == 0; h++) {
			if (!(sp[k].halves & want & (1u << h)))
				continue;
			struct ptdbg_walk_result res;
			if (!first && !j)
				fputc('\n', s->out);
			first = false;
			o.space_name = a64_label(&sp[k], h, label, sizeof(label));
			pt_progress_start(&prog, s, "walking");
			int wr = ptdbg_arm64_dump_half(s->mem, &sp[k].cpu, h, &o, &res);
			pt_progress_end(&prog);
			if (wr)
				rc = pt_walk_error(s, wr);
		}
	}
	if (j) {
		if (many)
			ptdbg_json_end_array(j);
		ptdbg_json_free(j);
	}
	free(sp);
	fflush(s->out);
	return rc;
}

int pt_a64_walk(struct ptdbg_session *s, const struct pt_space_sel *sel, uint64_t va, unsigned access)
{
	struct ptdbg_arm64_cpu cpu;
	struct ptdbg_translation tr;
	int half;
	struct pt_a64_space *sp;
	size_t nsp;

	int rc = pt_a64_spaces(s, sel, false, &sp, &nsp);
	if (rc)
		return rc;
	cpu = sp[0].cpu;
	free(sp);
	rc = ptdbg_arm64_translate(s->mem, &cpu, va, access, &tr, &half);
	if (rc)
		return pt_walk_error(s, rc);
	char sym[160];
	pt_a64_symbolize(s, &cpu, va, sym, sizeof(sym));
	if (s->json) {
		struct ptdbg_json *j = ptdbg_session_json(s);
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "space", half == 1 ? "TTBR1" : half == 0 ? "TTBR0" : "none");
		if (sym[0])
			ptdbg_json_string_field(j, "symbol", sym);
		ptdbg_json_name(j, "translation");
		ptdbg_arm64_json_translation(j, &cpu, half, &tr);
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
	} else {
		if (sym[0])
			fprintf(s->out, "%s\n", sym);
		ptdbg_arm64_print_translation(s->out, &cpu, half, &tr);
		for (unsigned i = 0; i < tr.nsteps && s->have_ram; i++)
			if (tr.step[i].err && !ptdbg_ram_holds(&s->ram, tr.step[i].table_pa, 8))
				fprintf(s->out, "  the table at 0x%016" PRIx64 " is not RAM (the %s has no memory "
					"there): the CPU walks whatever answers there, so it is not read\n", tr.step[i].table_pa,
					s->ram.source);
	}
	return 0;
}

int pt_a64_regs(struct ptdbg_session *s)
{
	if (pt_attach(s))
		return PTDBG_EXIT_ERROR;
	if (s->json) {
		struct ptdbg_json *j = ptdbg_session_json(s);
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "backend", ptdbg_target_backend(s->t));
		ptdbg_arm64_json_regs(j, &s->regs);
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
		return 0;
	}
	struct ptdbg_arm64_cpu cpu;
	struct a64_symctx sc = { s, NULL };
	if (!ptdbg_arm64_regs_missing(&s->regs)) {
		ptdbg_arm64_cpu_from_regs(&cpu, &s->regs);
		sc.cpu = &cpu;
	}
	ptdbg_arm64_print_regs(s->out, &s->regs, a64_sym, &sc);
	return 0;
}

int pt_a64_check(struct ptdbg_session *s, const struct pt_space_sel *sel, const char *kinds)
{
	struct ptdbg_arm64_cpu cpu;
	struct ptdbg_findings fl = { 0 };
	struct pt_a64_space *sp;
	size_t nsp;

	if (pt_attach(s) || pt_a64_cpu(s, &cpu))
		return PTDBG_EXIT_ERROR;
	int rc = pt_a64_spaces(s, sel, true, &sp, &nsp);
	if (rc)
		return rc;
	struct a64_symctx sc = { s, &cpu };
	struct ptdbg_arm64_checker *ck = ptdbg_arm64_checker_new(&fl);
	if (ck)
		ptdbg_arm64_checker_set_ram(ck, s->have_ram ? &s->ram : NULL);
	struct ptdbg_region_opts ro = { .out = &fl, .t = s->t, .mem = s->mem, .region = &s->region };
	struct ptdbg_region_checker *reg = s->have_region ? ptdbg_region_checker_new(&ro) : NULL;
	if (!ck || (s->have_region && !reg)) {
		rc = PTDBG_ENOMEM;
		goto out;
	}
	char label[96];
	for (size_t k = 0; k < nsp && rc == 0; k++) {
		for (unsigned h = 0; h < 2 && rc == 0; h++) {
			if (!(sp[k].halves & (1u << h)))
				continue;
			const char *name = a64_label(&sp[k], h, label, sizeof(label));
			if (reg) {
				struct ptdbg_arm64_half hh;
				ptdbg_arm64_half_of(&sp[k].cpu, h, &hh);
				ptdbg_region_check_begin(reg, name ? name : h ? "TTBR1" : "TTBR0", sp[k].kind,
							 hh.top, false, arm64_level_name);
			}
			rc = ptdbg_arm64_check_half(ck, s->mem, &sp[k].cpu, h, name,
						    reg ? ptdbg_region_visit : NULL, reg);
		}
	}
	if (rc == 0) {
		ptdbg_arm64_checker_finish(ck);
		rc = ptdbg_arm64_check_fetches(s->mem, &cpu, &fl, a64_sym, &sc);
	}
	if (rc == 0 && reg)
		rc = ptdbg_region_finish(reg);
	if (rc == 0 && s->have_region && s->region.nfaults) {
		struct ptdbg_faultlog_check_opts fo = {
			.out = &fl, .mem = s->mem, .region = &s->region,
			.analyze = ptdbg_arm64_fault_analyze, .analyze_cpu = &cpu,
			.symbolize = a64_sym, .symbolize_ctx = &sc,
		};
		rc = ptdbg_faultlog_check(&fo);
	}
out:
	ptdbg_arm64_checker_free(ck);
	ptdbg_region_checker_free(reg);
	free(sp);
	if (rc) {
		ptdbg_findings_free(&fl);
		return pt_walk_error(s, rc);
	}
	if ((rc = pt_dma_text_check(s, kinds, &fl))) {
		ptdbg_findings_free(&fl);
		return rc;
	}
	return ptdbg_session_report(s, &fl, kinds);
}

/* The CPU state of the x being listed, for branch targets through aliases. */
static const struct ptdbg_arm64_cpu *x_cpu;

/* " <sym+off>" for a direct branch's target in op_str ("#0x..."). */
static void a64_branch_symbol(struct ptdbg_session *s, const cs_insn *in, char *buf, size_t len)
{
	const char *p = strstr(in->op_str, "#0x");
	buf[0] = 0;
	if (!p || (in->mnemonic[0] != 'b' && strncmp(in->mnemonic, "cb", 2) && strncmp(in->mnemonic, "tb", 2)))
		return;
	char sym[160];
	pt_a64_symbolize(s, x_cpu, strtoull(p + 1, NULL, 16), sym, sizeof(sym));
	if (sym[0])
		snprintf(buf, len, " <%s>", sym);
}

int pt_a64_x(struct ptdbg_session *s, const struct pt_space_sel *sel, uint64_t va, unsigned n)
{
	struct ptdbg_arm64_cpu cpu;
	struct ptdbg_translation why;
	int link;
	struct pt_a64_space *sp;
	size_t nsp;

	int src = pt_a64_spaces(s, sel, false, &sp, &nsp);
	if (src)
		return src;
	cpu = sp[0].cpu;
	free(sp);
	x_cpu = &cpu;
	size_t want = (size_t)n * 4;
	uint8_t *buf = malloc(want);
	if (!buf)
		return PTDBG_EXIT_ERROR;
	size_t got = ptdbg_arm64_read_virt(s->mem, &cpu, va, buf, want, &why, &link);
	if (link) {
		free(buf);
		return pt_walk_error(s, link);
	}
	csh cs;
	if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &cs) != CS_ERR_OK) {
		ptdbg_session_err(s, "capstone: cannot open the AArch64 disassembler");
		free(buf);
		return PTDBG_EXIT_ERROR;
	}
	cs_insn *insn = NULL;
	size_t count = got ? cs_disasm(cs, buf, got, va, (size_t)n, &insn) : 0;
	const char *stop = NULL;
	char stopbuf[160], words[96];
	if (count < n) {
		uint64_t at = count ? insn[count - 1].address + insn[count - 1].size : va;
		if (why.stop != PTDBG_STOP_OK && at + 4 > why.va)
			snprintf(stopbuf, sizeof(stopbuf), "%#llx is not readable: %s", (unsigned long long)why.va,
				 why.stop == PTDBG_STOP_READ_ERROR && why.fault == 0 ? "memory not readable"
				 : ptdbg_arm64_fsc_name(why.fault, words, sizeof(words)));
		else
			snprintf(stopbuf, sizeof(stopbuf), "bytes at %#llx do not decode", (unsigned long long)at);
		stop = stopbuf;
	}
	pt_print_insns(s, (va >> 55) & 1 ? "TTBR1" : "TTBR0", insn, count, a64_branch_symbol, stop);
	if (insn)
		cs_free(insn, count);
	cs_close(&cs);
	free(buf);
	return count ? 0 : PTDBG_EXIT_ERROR;
}

int pt_a64_take(struct ptdbg_session *s, const struct pt_space_sel *sel, struct ptdbg_snapshot *snap)
{
	struct pt_progress prog;
	struct pt_a64_space *sp;
	size_t nsp;
	char label[96];

	int rc = pt_a64_spaces(s, sel, false, &sp, &nsp);
	if (rc)
		return rc;
	pt_progress_start(&prog, s, "saving");
	for (size_t k = 0; k < nsp && rc == 0; k++)
		for (unsigned h = 0; h < 2 && rc == 0; h++)
			if (sp[k].halves & (1u << h))
				rc = ptdbg_arm64_snap_take_half(snap, s->mem, &sp[k].cpu, h,
								a64_label(&sp[k], h, label, sizeof(label)),
								sp[k].kind, a64_leaves, &prog);
	pt_progress_end(&prog);
	free(sp);
	return rc ? pt_walk_error(s, rc) : 0;
}
