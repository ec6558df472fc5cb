/* SPDX-License-Identifier: MIT */
/* Printers of AArch64 tables: see arm64_print.h. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "arm64/arm64_bits.h"
#include "arm64/arm64_print.h"
#include "arm64/arm64_regs.h"

/* ---- the range dump of one half ---- */

struct dump_ctx {
	const struct ptdbg_arm64_dump_opts *o;
	const struct ptdbg_arm64_cpu *cpu;
	unsigned half;
	struct ptdbg_arm64_half h;
	struct ptdbg_dump dump;
};

static void json_header(void *ctx, struct ptdbg_json *j)
{
	const struct dump_ctx *d = ctx;
	ptdbg_json_string_field(j, "arch", "aarch64");
	ptdbg_json_string_field(j, "half", d->half ? "ttbr1" : "ttbr0");
	ptdbg_json_bool_field(j, "enabled", d->h.enabled);
	ptdbg_json_hex_field(j, "start", d->h.va_base);
	ptdbg_json_uint_field(j, "va_bits", d->h.va_bits);
	ptdbg_json_uint_field(j, "granule", 1u << d->h.gshift);
	ptdbg_json_uint_field(j, "levels", d->h.top);
	ptdbg_json_int_field(j, "start_level", d->h.start_level);
	ptdbg_json_hex_field(j, "root", d->h.root);
	ptdbg_json_uint_field(j, "asid", d->h.asid);
	ptdbg_json_hex_field(j, "tcr", d->cpu->tcr);
	ptdbg_json_hex_field(j, "mair", d->cpu->mair);
	ptdbg_json_bool_field(j, "wxn", (d->cpu->sctlr & ARM64_SCTLR_WXN) != 0);
}

static void text_footer(void *ctx, FILE *out)
{
	const struct dump_ctx *d = ctx;
	fprintf(out, "# %uK granule, start level %d, root 0x%" PRIx64 "; memory types from MAIR_EL1 "
		"0x%016" PRIx64 "\n", 1u << (d->h.gshift - 10), d->h.start_level, d->h.root, d->cpu->mair);
}

static int range_visit(void *ctx, const struct ptdbg_walk_event *ev);

/* The walk's visitor: progress, the permission filter, then range_visit. */
static int dump_visit(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct dump_ctx *d = ctx;
	const struct ptdbg_arm64_dump_opts *o = d->o;

	if (ev->kind == PTDBG_EV_LEAF || ev->kind == PTDBG_EV_LEAF_RUN) {
		if (o->on_leaves)
			o->on_leaves(o->leaf_ctx, ptdbg_event_leaves(ev));
		if ((ev->perm.flags & o->need_set) != o->need_set || (ev->perm.flags & o->need_clear))
			return 0; /* (one permission for a whole run) */
		if (o->range && ev->kind == PTDBG_EV_LEAF_RUN) /* it may cross lo or hi */
			return ptdbg_run_visit_each(range_visit, d, ev);
	}
	return range_visit(d, ev);
}

/* dump_visit's range filter, then the dump. */
static int range_visit(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct dump_ctx *d = ctx;
	const struct ptdbg_arm64_dump_opts *o = d->o;

	if (o->range && ev->kind != PTDBG_EV_ANOMALY &&
	    (ev->va >= o->hi || ev->va + ev->size - 1 < o->lo))
		return 0;
	return ptdbg_dump_visit(&d->dump, ev);
}

int ptdbg_arm64_dump_half(struct ptdbg_mem *mem, const struct ptdbg_arm64_cpu *cpu, unsigned half,
			  const struct ptdbg_arm64_dump_opts *o, struct ptdbg_walk_result *res)
{
	struct dump_ctx *d = calloc(1, sizeof(*d));
	struct ptdbg_walk_space sp;
	struct ptdbg_walk_result r0;
	int rc = 0;

	if (!res)
		res = &r0;
	memset(res, 0, sizeof(*res));
	if (!d)
		return PTDBG_ENOMEM;
	d->o = o;
	d->cpu = cpu;
	d->half = half;
	ptdbg_arm64_half_of(cpu, half, &d->h);
	struct ptdbg_dump_opts dopts = {
		.out = o->out, .json = o->json,
		.space_name = o->space_name ? o->space_name : half ? "TTBR1" : "TTBR0",
		.marker = o->marker, .marker_ctx = o->marker_ctx, .merge_virtual = o->merge_virtual,
		.show_absent = o->show_absent, .show_nodes = o->show_nodes,
		.json_header = json_header, .text_footer = text_footer, .hook_ctx = d,
	};
	ptdbg_dump_init(&d->dump, &ptdbg_arm64_decoder, &dopts);
	if (ptdbg_arm64_space(&sp, cpu, half)) {
		FILE *out = o->out ? o->out : stdout;
		if (o->json) {
			ptdbg_json_start_object(o->json);
			ptdbg_json_string_field(o->json, "space", dopts.space_name);
			json_header(d, o->json);
			ptdbg_json_name(o->json, "entries");
			ptdbg_json_start_array(o->json);
			ptdbg_json_end_array(o->json);
			ptdbg_json_end_object(o->json);
		} else {
			fprintf(out, "---[ %s ]---\n# walks disabled (TCR_EL1.EPD%u): every access through "
				"TTBR%u faults\n", dopts.space_name, half, half);
		}
		free(d);
		return 0;
	}
	struct ptdbg_walk_opts wo = { .max_nodes = o->max_nodes, .max_leaves = o->max_leaves,
				      .leaf_runs = true };
	if (o->range) {
		uint64_t first = sp.va_base, last = sp.va_base + ((1ull << sp.va_bits) - 1);
		if (o->hi - 1 < first || o->lo > last) { /* nothing of this half */
			wo.va_filter = true;
			wo.va_first = wo.va_last = first;
		} else {
			wo.va_filter = true;
			wo.va_first = o->lo > first ? o->lo : first;
			wo.va_last = o->hi - 1 < last ? o->hi - 1 : last;
		}
	}
	rc = ptdbg_walk(mem, &sp, &wo, dump_visit, d, res);
	ptdbg_dump_finish(&d->dump, res);
	free(d);
	return rc;
}

int ptdbg_arm64_parse_flags(const char *list, uint32_t *set, uint32_t *clear, char *bad, size_t len)
{
	static const struct { const char *w; uint32_t set, clear; } words[] = {
		{ "w", PTDBG_ARM64_PERM_KW, 0 },   { "ro", 0, PTDBG_ARM64_PERM_KW },
		{ "x", 0, PTDBG_ARM64_PERM_PXN },  { "nx", PTDBG_ARM64_PERM_PXN, 0 },
		{ "u", PTDBG_ARM64_PERM_UR, 0 },   { "k", 0, PTDBG_ARM64_PERM_UR },
		{ "s", 0, PTDBG_ARM64_PERM_UR },   { "uw", PTDBG_ARM64_PERM_UW, 0 },
		{ "ux", 0, PTDBG_ARM64_PERM_UXN }, { "g", 0, PTDBG_ARM64_PERM_NG },
		{ "ng", PTDBG_ARM64_PERM_NG, 0 },  { "a", PTDBG_ARM64_PERM_AF, 0 },
		{ "af", PTDBG_ARM64_PERM_AF, 0 },  { "noaf", 0, PTDBG_ARM64_PERM_AF },
	};
	char *copy = strdup(list), *save = NULL;
	int rc = 0;

	if (!copy)
		return -1;
	for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		size_t i;
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (!strcmp(w, words[i].w))
				break;
		if (i == sizeof(words) / sizeof(words[0])) {
			snprintf(bad, len, "%s", w);
			rc = -1;
			break;
		}
		*set |= words[i].set;
		*clear |= words[i].clear;
	}
	free(copy);
	return rc;
}

/* ---- one translation ---- */

const char *ptdbg_arm64_access_text(unsigned acc)
{
	static const char *const names[8] = {
		"read, EL1", "write, EL1", "read, EL0", "write, EL0",
		"fetch, EL1", "fetch+write?, EL1", "fetch, EL0", "fetch+write?, EL0",
	};
	return names[acc & 7];
}

static const char *result_text(const struct ptdbg_translation *tr, char *buf, size_t len)
{
	if (tr->stop == PTDBG_STOP_OK)
		return "ok";
	return ptdbg_arm64_fsc_name(tr->fault, buf, len);
}

void ptdbg_arm64_print_translation(FILE *out, const struct ptdbg_arm64_cpu *cpu, int half,
				   const struct ptdbg_translation *tr)
{
	char bits[384], words[96];

	fprintf(out, "va 0x%016" PRIx64 " (%s)", tr->va, ptdbg_arm64_access_text(tr->access));
	if (!ptdbg_arm64_mmu_on(cpu)) {
		fprintf(out, ", MMU off (SCTLR_EL1.M=0)\n  -> pa 0x%016" PRIx64 " (flat)\n  access allowed\n",
			tr->pa);
		return;
	}
	if (half >= 0) {
		ptdbg_arm64_half_text(cpu, (unsigned)half, bits, sizeof(bits));
		fprintf(out, ", %s", bits);
	}
	fputc('\n', out);
	if (tr->stop == PTDBG_STOP_RANGE) {
		struct ptdbg_arm64_half h;
		ptdbg_arm64_half_of(cpu, half > 0, &h);
		fprintf(out, "  %s: no table walk\n", !h.enabled ? "walks through this half are disabled"
			: "outside the half's addresses (bits above its input size are not all equal)");
	}
	for (unsigned i = 0; i < tr->nsteps; i++) {
		const struct ptdbg_walk_step *s = &tr->step[i];
		if (s->err) {
			fprintf(out, "  %-8s[%4u] table 0x%016" PRIx64 " not readable\n",
				arm64_entry_name(s->level), s->index, s->table_pa);
			continue;
		}
		ptdbg_bits_format(arm64_bits_entry_table(s->level, s->leaf), s->entry, " ", bits, sizeof(bits));
		fprintf(out, "  %-8s[%4u] @0x%016" PRIx64 " = 0x%016" PRIx64 "  %s",
			arm64_entry_name(s->level), s->index, s->entry_pa, s->entry,
			(s->entry & ARM64_DESC_VALID) ? bits : "invalid");
		if (s->reserved)
			fprintf(out, "  reserved bits 0x%016" PRIx64, s->reserved);
		fputc('\n', out);
	}
	if (tr->page_size) {
		char page[16];
		ptdbg_bits_format(&arm64_bits_effective, tr->perm.flags, " ", bits, sizeof(bits));
		fprintf(out, "  -> pa 0x%016" PRIx64 "  %s %s  %s  %s (AttrIndx %u)\n", tr->pa,
			ptdbg_page_name(tr->page_size, page, sizeof(page)),
			tr->nsteps && tr->step[tr->nsteps - 1].level == 1 ? "page" : "block", bits,
			ptdbg_arm64_memtype_name(tr->perm.memtype), tr->perm.attr_index);
	}
	if (tr->stop == PTDBG_STOP_OK) {
		fprintf(out, "  access allowed\n");
		return;
	}
	uint64_t esr = ptdbg_arm64_esr_of(tr);
	fprintf(out, "  stops at %s: %s; ESR_EL1 0x%08" PRIx64 " (%s, FSC 0x%02x)\n",
		tr->stop == PTDBG_STOP_RANGE ? "the start" : arm64_level_name(tr->stop_level),
		result_text(tr, words, sizeof(words)), esr, ptdbg_arm64_ec_name(arm64_esr_ec(esr)),
		tr->fault);
}

void ptdbg_arm64_json_translation(struct ptdbg_json *j, const struct ptdbg_arm64_cpu *cpu, int half,
				  const struct ptdbg_translation *tr)
{
	char words[96];
	struct ptdbg_arm64_half h;

	ptdbg_arm64_half_of(cpu, half > 0, &h);
	ptdbg_json_start_object(j);
	ptdbg_json_hex_field(j, "va", tr->va);
	ptdbg_json_string_field(j, "access", ptdbg_arm64_access_text(tr->access));
	ptdbg_json_bool_field(j, "mmu", ptdbg_arm64_mmu_on(cpu));
	if (half >= 0)
		ptdbg_json_string_field(j, "half", half ? "ttbr1" : "ttbr0");
	ptdbg_json_uint_field(j, "levels", h.top);
	ptdbg_json_hex_field(j, "root", h.root);
	ptdbg_json_uint_field(j, "granule", 1u << h.gshift);
	ptdbg_json_name(j, "steps");
	ptdbg_json_start_array(j);
	for (unsigned i = 0; i < tr->nsteps; i++) {
		const struct ptdbg_walk_step *s = &tr->step[i];
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "entry_level", arm64_entry_name(s->level));
		ptdbg_json_hex_field(j, "table", s->table_pa);
		ptdbg_json_uint_field(j, "index", s->index);
		ptdbg_json_hex_field(j, "entry_pa", s->entry_pa);
		if (s->err) {
			ptdbg_json_bool_field(j, "readable", false);
		} else {
			ptdbg_json_hex_field(j, "entry", s->entry);
			ptdbg_json_bits(j, "bits", arm64_bits_entry_table(s->level, s->leaf), s->entry);
			ptdbg_json_bool_field(j, "leaf", s->leaf);
			ptdbg_json_hex_field(j, "reserved", s->reserved);
		}
		ptdbg_json_end_object(j);
	}
	ptdbg_json_end_array(j);
	ptdbg_json_string_field(j, "result", result_text(tr, words, sizeof(words)));
	if (tr->stop != PTDBG_STOP_OK && tr->stop != PTDBG_STOP_RANGE)
		ptdbg_json_string_field(j, "stop_level", arm64_level_name(tr->stop_level));
	if (tr->page_size || tr->stop == PTDBG_STOP_OK) {
		ptdbg_json_hex_field(j, "pa", tr->pa);
		ptdbg_json_uint_field(j, "page_size", tr->page_size);
		if (tr->page_size) {
			ptdbg_json_bits(j, "flags", &arm64_bits_effective, tr->perm.flags);
			ptdbg_json_string_field(j, "memtype", ptdbg_arm64_memtype_name(tr->perm.memtype));
			ptdbg_json_uint_field(j, "attr_index", tr->perm.attr_index);
		}
	}
	if (tr->fault || tr->stop != PTDBG_STOP_OK) {
		ptdbg_json_hex_field(j, "fsc", tr->fault);
		ptdbg_json_hex_field(j, "esr", ptdbg_arm64_esr_of(tr));
	}
	ptdbg_json_end_object(j);
}
