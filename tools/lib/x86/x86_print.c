/* SPDX-License-Identifier: MIT */
/*
 * Printers of x86-64 walker events (see x86_print.h): the frame's range dump with
 * x86's header and footer, QEMU's `info mem` and `info tlb`, and the walk trace of
 * one translation.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "x86/x86_print.h"

struct ptdbg_x86_printer {
	enum ptdbg_x86_format fmt;
	struct ptdbg_x86_cpu cpu;
	struct ptdbg_x86_print_opts o;
	FILE *out;
	struct ptdbg_json *json;
	bool own_json;
	unsigned va_bits;
	/* TEXT / JSON: the frame's range dump with x86's header and footer */
	struct ptdbg_dump dump;
	/* INFO_MEM: QEMU's mem_print state, in QEMU's unextended addresses */
	uint64_t qm_start;          /* (uint64_t)-1 when no range is open */
	int qm_last_prot;
	uint64_t qm_next;           /* unextended end of the previous leaf */
	bool qm_any;
	/* INFO_TLB: lines formatted by hand into buf, written out when it fills and
	 * at finish (one line per leaf: printf would be most of the command's time) */
	size_t tlb_n;
	char *tlb_buf;              /* TLB_BUF bytes, INFO_TLB only */
};

#define TLB_BUF (1u << 16)

static void info_tlb_flush(struct ptdbg_x86_printer *p);
static bool tlb_flags_ready;
static void tlb_flags_init(void);

int ptdbg_x86_format_parse(const char *s)
{
	static const char *const names[] = { "text", "json", "info-mem", "info-tlb" };

	for (int i = 0; i < 4; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

static const char *page_size_name(unsigned level)
{
	return level == 1 ? "4K" : level == 2 ? "2M" : level == 3 ? "1G" : "?";
}

/* The dump's JSON header: the paging state the tables were read with. */
static void x86_json_header(void *ctx, struct ptdbg_json *j)
{
	const struct ptdbg_x86_printer *p = ctx;

	ptdbg_json_uint_field(j, "levels", ptdbg_x86_levels(&p->cpu));
	ptdbg_json_hex_field(j, "root", ptdbg_x86_root(&p->cpu));
	ptdbg_json_int_field(j, "pcid", ptdbg_x86_pcid(&p->cpu));
	ptdbg_json_hex_field(j, "pat", p->cpu.pat);
	ptdbg_json_string_field(j, "pat_source",
				p->cpu.pat_source == PTDBG_PAT_REGION ? "region" :
				p->cpu.pat_source == PTDBG_PAT_USER ? "user" : "reset");
	ptdbg_json_bool_field(j, "cr0_wp", (p->cpu.cr0 & X86_CR0_WP) != 0);
	ptdbg_json_bool_field(j, "efer_nxe", (p->cpu.efer & X86_EFER_NXE) != 0);
}

/* The dump's closing line: where the memory types came from. */
static void x86_text_footer(void *ctx, FILE *out)
{
	const struct ptdbg_x86_printer *p = ctx;

	fprintf(out, "# memory types from IA32_PAT 0x%016" PRIx64 " (%s)\n", p->cpu.pat,
		p->cpu.pat_source == PTDBG_PAT_REGION ? "from the kernel's debug region" :
		p->cpu.pat_source == PTDBG_PAT_USER ? "given with --pat" :
		"not known: the reset value is assumed");
}

struct ptdbg_x86_printer *ptdbg_x86_printer_new(enum ptdbg_x86_format fmt,
						const struct ptdbg_x86_cpu *cpu,
						const struct ptdbg_x86_print_opts *opts)
{
	struct ptdbg_x86_printer *p;

	if (fmt < PTDBG_X86_FMT_TEXT || fmt > PTDBG_X86_FMT_INFO_TLB)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->fmt = fmt;
	if (fmt == PTDBG_X86_FMT_INFO_TLB) {
		if (!tlb_flags_ready)
			tlb_flags_init();
		/* not zeroed: only the bytes up to tlb_n are ever written out */
		p->tlb_buf = malloc(TLB_BUF);
		if (!p->tlb_buf) {
			free(p);
			return NULL;
		}
	}
	p->cpu = *cpu;
	if (opts)
		p->o = *opts;
	p->out = p->o.out ? p->o.out : stdout;
	p->va_bits = ptdbg_x86_va_bits(cpu);
	p->qm_start = (uint64_t)-1;
	if (fmt == PTDBG_X86_FMT_JSON) {
		p->json = p->o.json;
		if (!p->json) {
			p->json = ptdbg_json_new(p->out);
			p->own_json = true;
			if (!p->json) {
				free(p->tlb_buf);
				free(p);
				return NULL;
			}
		}
	}
	struct ptdbg_dump_opts d = {
		.out = p->out, .json = p->json, .space_name = p->o.aspace_name,
		.marker = p->o.marker, .marker_ctx = p->o.marker_ctx,
		.merge_virtual = p->o.merge_virtual,
		/* accessed/dirty split ranges and show only when asked for */
		.hide_flags = p->o.show_ad ? 0 : (PTDBG_X86_PERM_A | PTDBG_X86_PERM_D),
		.show_absent = p->o.show_absent, .show_nodes = p->o.show_nodes,
		.no_summary = p->o.no_summary,
		.json_header = x86_json_header, .text_footer = x86_text_footer, .hook_ctx = p,
	};
	ptdbg_dump_init(&p->dump, &ptdbg_x86_decoder, &d);
	return p;
}

void ptdbg_x86_printer_free(struct ptdbg_x86_printer *p)
{
	if (!p)
		return;
	info_tlb_flush(p); /* lines not yet written when finish was not called */
	if (p->own_json)
		ptdbg_json_free(p->json);
	free(p->tlb_buf);
	free(p);
}

/* ---- QEMU 7.2 `info mem` (target/i386/monitor.c: mem_info_la48/la57, mem_print) ----
 *
 * QEMU walks all entries and calls mem_print(end = first VA of the entry, prot)
 * for every leaf (prot = U|RW|P ANDed over the levels; NX ignored) and for every
 * non-present entry (prot 0); mem_print prints [start, end) when prot changes.
 * Addresses are unextended (index << shift) and only sign-extended when printed,
 * the size too (addr_canonical(end - start)). The final flush is at 1 << 48 (1 << 57).
 * From walker events: a gap between two leaves means a prot-0 call at the end of
 * the first one; that is all QEMU's non-present calls can change.
 */

#define QEMU_PG_PRESENT 0x1
#define QEMU_PG_RW      0x2
#define QEMU_PG_USER    0x4

static uint64_t qemu_canonical(const struct ptdbg_x86_printer *p, uint64_t addr)
{
	uint64_t sign = 1ull << (p->va_bits - 1);

	if (addr & sign)
		addr |= (uint64_t)-(int64_t)(sign << 1);
	return addr;
}

static void qemu_mem_print(struct ptdbg_x86_printer *p, uint64_t end, int prot)
{
	if (prot == p->qm_last_prot)
		return;
	if (p->qm_start != (uint64_t)-1) {
		fprintf(p->out, "%016" PRIx64 "-%016" PRIx64 " %016" PRIx64 " %c%c%c\n",
			qemu_canonical(p, p->qm_start), qemu_canonical(p, end),
			qemu_canonical(p, end - p->qm_start),
			p->qm_last_prot & QEMU_PG_USER ? 'u' : '-', 'r',
			p->qm_last_prot & QEMU_PG_RW ? 'w' : '-');
	}
	p->qm_start = prot ? end : (uint64_t)-1;
	p->qm_last_prot = prot;
}

static void info_mem_leaf(struct ptdbg_x86_printer *p, const struct ptdbg_walk_event *ev)
{
	uint64_t raw = ev->va & ((1ull << p->va_bits) - 1);
	int prot = QEMU_PG_PRESENT;

	if (ev->perm.flags & PTDBG_X86_PERM_U)
		prot |= QEMU_PG_USER;
	if (ev->perm.flags & PTDBG_X86_PERM_W)
		prot |= QEMU_PG_RW;
	if (p->qm_any && raw != p->qm_next)
		qemu_mem_print(p, p->qm_next, 0);
	qemu_mem_print(p, raw, prot);
	p->qm_any = true;
	p->qm_next = raw + ev->size;
}

/* ---- QEMU 7.2 `info tlb` (tlb_info_la48/la57, print_pte) ----
 * One line per present leaf: canonical VA, the entry masked to its address bits
 * (bits 49:12, 49:21, 49:30), then XGPDACTUW from the raw leaf; for 4K PTEs bit 7
 * (PAT) is cleared first, so 'P' shows only for huge pages. */

/* Write out the formatted info-tlb lines. */
static void info_tlb_flush(struct ptdbg_x86_printer *p)
{
	if (p->tlb_n)
		fwrite(p->tlb_buf, 1, p->tlb_n, p->out);
	p->tlb_n = 0;
}

/* The info-tlb flags " XGPDACTUW\n" (11 bytes, in 16) for each value of NX and
 * bits 8:1 of the entry: tlb_flag_index() below. 8 KiB, built on first use. */
static struct { char c[16]; } tlb_flags[512];
_Static_assert(X86_PTE_RW == 1u << 1 && X86_PTE_US == 1u << 2 && X86_PTE_PWT == 1u << 3 &&
	       X86_PTE_PCD == 1u << 4 && X86_PTE_A == 1u << 5 && X86_PTE_D == 1u << 6 &&
	       X86_PTE_PS == 1u << 7 && X86_PTE_G == 1u << 8 && X86_PTE_NX == 1ull << 63,
	       "tlb_flags is indexed by NX and PTE bits 8:1");

/* The tlb_flags entry of pte: NX as bit 8, bits 8:1 (G P D A C T U W) as 7:0. */
static inline unsigned tlb_flag_index(uint64_t pte)
{
	return (unsigned)((pte >> 1) & 0xff) | (unsigned)(pte >> 63) << 8;
}

static void tlb_flags_init(void)
{
	static const char on[] = "WUTCADPGX"; /* index bits 0..8 */
	for (unsigned v = 0; v < 512; v++) {
		char *c = tlb_flags[v].c;
		c[0] = ' ';
		for (unsigned b = 0; b < 9; b++)
			c[9 - b] = (v >> b) & 1 ? on[b] : '-';
		c[10] = '\n';
	}
	tlb_flags_ready = true;
}

#define TLB_LINE 45 /* "%016x: %016x XGPDACTUW\n" */

/* What QEMU prints of an entry at each level: everything but the address bits below
 * the page (49:12 of a PTE, 49:21, 49:30 above), and for a 4K PTE bit 7 (PAT) cleared
 * so that 'P' shows only for huge pages. Leaves stop at level 3 (the frame's levels
 * 0, 4 and 5 are there for the index). */
static const uint64_t tlb_keep[PTDBG_WALK_LEVELS] = {
	~0x3ffff000ull, ~(uint64_t)X86_PTE_PS, ~0x1ff000ull, ~0x3ffff000ull, ~0x3ffff000ull,
	~0x3ffff000ull,
};

/* One line: va, then the kept bits of entry pte (tlb_keep). */
static inline void info_tlb_line(struct ptdbg_x86_printer *p, uint64_t va, uint64_t pte)
{
	/* 16 bytes are written for the flags (the last five are the next line's) */
	if (p->tlb_n + TLB_LINE + 8 > TLB_BUF)
		info_tlb_flush(p);
	char *d = p->tlb_buf + p->tlb_n;
	ptdbg_hex16(d, va);
	d[16] = ':';
	d[17] = ' ';
	ptdbg_hex16(d + 18, pte & 0x3fffffffff000ull);
	memcpy(d + 34, &tlb_flags[tlb_flag_index(pte)], 16);
	p->tlb_n += TLB_LINE;
}

static void info_tlb_leaf(struct ptdbg_x86_printer *p, const struct ptdbg_walk_event *ev)
{
	info_tlb_line(p, ev->va, ev->entry & tlb_keep[ev->level < PTDBG_WALK_LEVELS ? ev->level : 3]);
}

/* A LEAF_RUN: a line per leaf, in one loop. */
static void info_tlb_run(struct ptdbg_x86_printer *p, const struct ptdbg_walk_event *run)
{
	const uint64_t keep = tlb_keep[run->level < PTDBG_WALK_LEVELS ? run->level : 3];
	uint64_t va = run->va;

	for (uint64_t k = 0; k < run->count; k++, va += run->size)
		info_tlb_line(p, va, run->run[k] & keep);
}

/* ---- dispatch ---- */

int ptdbg_x86_printer_visit(void *printer, const struct ptdbg_walk_event *ev)
{
	struct ptdbg_x86_printer *p = printer;

	switch (p->fmt) {
	case PTDBG_X86_FMT_TEXT:
	case PTDBG_X86_FMT_JSON:
		ptdbg_dump_visit(&p->dump, ev);
		break;
	case PTDBG_X86_FMT_INFO_MEM:
		if (!(p->cpu.cr0 & X86_CR0_PG))
			break;
		if (ev->kind == PTDBG_EV_LEAF)
			info_mem_leaf(p, ev);
		else if (ev->kind == PTDBG_EV_LEAF_RUN)
			return ptdbg_run_visit_each(ptdbg_x86_printer_visit, p, ev);
		break;
	case PTDBG_X86_FMT_INFO_TLB:
		if (!(p->cpu.cr0 & X86_CR0_PG))
			break;
		if (ev->kind == PTDBG_EV_LEAF)
			info_tlb_leaf(p, ev);
		else if (ev->kind == PTDBG_EV_LEAF_RUN)
			info_tlb_run(p, ev);
		break;
	}
	return 0;
}

void ptdbg_x86_printer_finish(struct ptdbg_x86_printer *p, const struct ptdbg_walk_result *res)
{
	switch (p->fmt) {
	case PTDBG_X86_FMT_TEXT:
	case PTDBG_X86_FMT_JSON:
		ptdbg_dump_finish(&p->dump, res);
		break;
	case PTDBG_X86_FMT_INFO_MEM:
		if (!(p->cpu.cr0 & X86_CR0_PG)) {
			fputs("PG disabled\n", p->out);
			break;
		}
		/* the entries after the last leaf are not present: prot 0 there */
		if (p->qm_any && p->qm_next != (1ull << p->va_bits))
			qemu_mem_print(p, p->qm_next, 0);
		/* QEMU's "Flush last range" */
		qemu_mem_print(p, 1ull << p->va_bits, 0);
		break;
	case PTDBG_X86_FMT_INFO_TLB:
		info_tlb_flush(p);
		if (!(p->cpu.cr0 & X86_CR0_PG))
			fputs("PG disabled\n", p->out);
		break;
	}
	fflush(p->out);
}

/* ---- walk trace ---- */

static const char *access_text(unsigned access)
{
	static const char *const names[8] = {
		"read, supervisor", "write, supervisor", "read, user", "write, user",
		"fetch, supervisor", "fetch+write?, supervisor", "fetch, user", "fetch+write?, user",
	};
	return names[access & 7];
}

void ptdbg_x86_print_translation(FILE *out, const struct ptdbg_x86_cpu *cpu,
				 const struct ptdbg_translation *t)
{
	char bits[256];
	int pcid = ptdbg_x86_pcid(cpu);

	fprintf(out, "va 0x%016" PRIx64 " (%s), %u-level paging, root 0x%016" PRIx64, t->va,
		access_text(t->access), ptdbg_x86_levels(cpu), ptdbg_x86_root(cpu));
	if (pcid >= 0)
		fprintf(out, ", PCID %d", pcid);
	fputc('\n', out);
	if (t->stop == PTDBG_STOP_RANGE) {
		fprintf(out, "  not canonical: the CPU raises #GP, no page walk\n");
		return;
	}
	for (unsigned i = 0; i < t->nsteps; i++) {
		const struct ptdbg_walk_step *s = &t->step[i];
		if (s->err) {
			fprintf(out, "  %-5s[%3u] table 0x%016" PRIx64 " not readable\n",
				x86_entry_name(s->level), s->index, s->table_pa);
			continue;
		}
		ptdbg_bits_format(x86_bits_entry_table(s->level, s->leaf), s->entry, " ", bits,
				  sizeof(bits));
		fprintf(out, "  %-5s[%3u] @0x%016" PRIx64 " = 0x%016" PRIx64 "  %s", x86_entry_name(s->level),
			s->index, s->entry_pa, s->entry, bits);
		if (s->reserved)
			fprintf(out, "  reserved bits 0x%016" PRIx64, s->reserved);
		fputc('\n', out);
	}
	if (t->page_size) {
		ptdbg_bits_format_except(&x86_bits_effective, t->perm.flags,
					 PTDBG_X86_PERM_A | PTDBG_X86_PERM_D, " ", bits, sizeof(bits));
		fprintf(out, "  -> pa 0x%016" PRIx64 "  %s page  %s  %s (PAT %u)", t->pa,
			page_size_name(t->page_size == (1ull << 12) ? 1 : t->page_size == (1ull << 21) ? 2 : 3),
			bits, x86_memtype_name(t->perm.memtype), t->perm.attr_index);
		if (t->perm.flags & PTDBG_X86_PERM_PKEY)
			fprintf(out, " pkey %u", t->perm.pkey);
		fputc('\n', out);
	}
	if (t->stop == PTDBG_STOP_OK) {
		fprintf(out, "  access allowed\n");
		return;
	}
	fprintf(out, "  stops at %s: %s", x86_entry_name(t->stop_level), ptdbg_x86_stop_name(t->stop));
	if (t->stop != PTDBG_STOP_READ_ERROR) {
		ptdbg_bits_format(&x86_bits_pf_error, t->fault, " ", bits, sizeof(bits));
		fprintf(out, "; #PF error code 0x%04x (%s)", t->fault, bits);
	}
	fputc('\n', out);
}

void ptdbg_x86_json_translation(struct ptdbg_json *j, const struct ptdbg_x86_cpu *cpu,
				const struct ptdbg_translation *t)
{
	ptdbg_json_start_object(j);
	ptdbg_json_hex_field(j, "va", t->va);
	ptdbg_json_string_field(j, "access", access_text(t->access));
	ptdbg_json_uint_field(j, "levels", ptdbg_x86_levels(cpu));
	ptdbg_json_hex_field(j, "root", ptdbg_x86_root(cpu));
	ptdbg_json_int_field(j, "pcid", ptdbg_x86_pcid(cpu));
	ptdbg_json_name(j, "steps");
	ptdbg_json_start_array(j);
	for (unsigned i = 0; i < t->nsteps; i++) {
		const struct ptdbg_walk_step *s = &t->step[i];
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "entry_level", x86_entry_name(s->level));
		ptdbg_json_hex_field(j, "table", s->table_pa);
		ptdbg_json_uint_field(j, "index", s->index);
		ptdbg_json_hex_field(j, "entry_pa", s->entry_pa);
		if (s->err) {
			ptdbg_json_bool_field(j, "readable", false);
		} else {
			ptdbg_json_hex_field(j, "entry", s->entry);
			ptdbg_json_bits(j, "bits", x86_bits_entry_table(s->level, s->leaf), s->entry);
			ptdbg_json_bool_field(j, "leaf", s->leaf);
			ptdbg_json_hex_field(j, "reserved", s->reserved);
		}
		ptdbg_json_end_object(j);
	}
	ptdbg_json_end_array(j);
	ptdbg_json_string_field(j, "result", ptdbg_x86_stop_name(t->stop));
	if (t->stop != PTDBG_STOP_OK && t->stop != PTDBG_STOP_RANGE)
		ptdbg_json_string_field(j, "stop_level", x86_entry_name(t->stop_level));
	if (t->page_size) {
		ptdbg_json_hex_field(j, "pa", t->pa);
		ptdbg_json_uint_field(j, "page_size", t->page_size);
		ptdbg_json_bits(j, "flags", &x86_bits_effective, t->perm.flags);
		ptdbg_json_string_field(j, "memtype", x86_memtype_name(t->perm.memtype));
		ptdbg_json_uint_field(j, "pat_index", t->perm.attr_index);
		if (t->perm.flags & PTDBG_X86_PERM_PKEY)
			ptdbg_json_uint_field(j, "pkey", t->perm.pkey);
	}
	if (t->fault || (t->stop != PTDBG_STOP_OK && t->stop != PTDBG_STOP_RANGE &&
			    t->stop != PTDBG_STOP_READ_ERROR))
		ptdbg_json_hex_field(j, "pf_error", t->fault);
	ptdbg_json_end_object(j);
}
