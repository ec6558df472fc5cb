/* SPDX-License-Identifier: MIT */
/*
 * Printers of VT-d translations and second-level mappings: the walk trace of one
 * device request, and the coalescing mapping printer (a visitor of the frame's
 * events, walk/frame.h).
 */
#include <string.h>

#include "vtd/vtd_print.h"
#include "vtd/vtd_fault.h"
#include "walk/dump.h"

/* The walk trace as text. */
void vtd_translation_print(FILE *out, const struct vtd_dev_translation *t)
{
	const struct ptdbg_translation *s = &t->sl;
	vtd_lookup_print(out, &t->lookup);
	if (t->lookup.reason)
		return;
	if (t->lookup.xlate == VTD_XL_PASSTHROUGH) {
		fprintf(out, "  pass-through: 0x%llx -> 0x%llx\n", (unsigned long long)s->va,
			(unsigned long long)t->pa);
		return;
	}
	if (t->lookup.xlate != VTD_XL_SECOND_LEVEL) {
		fprintf(out, "  %s translation is not decoded\n", vtd_xlate_name(t->lookup.xlate));
		return;
	}
	fprintf(out, "  %s IOVA 0x%llx, %u levels\n", (s->access & PTDBG_ACC_WRITE) ? "write" : "read",
		(unsigned long long)s->va, s->levels);
	for (unsigned i = 0; i < s->nsteps; i++) {
		const struct ptdbg_walk_step *st = &s->step[i];
		char buf[256];
		if (st->err) {
			fprintf(out, "  L%u table 0x%llx [%3u] @0x%llx: read failed (%d)\n", st->level,
				(unsigned long long)st->table_pa, st->index,
				(unsigned long long)st->entry_pa, st->err);
			continue;
		}
		ptdbg_layout_format(st->leaf ? &vtd_layout_sl_leaf : &vtd_layout_sl_table, &st->entry,
				  " ", buf, sizeof(buf));
		fprintf(out, "  L%u table 0x%llx [%3u] @0x%llx: %016llx %s%s\n", st->level,
			(unsigned long long)st->table_pa, st->index, (unsigned long long)st->entry_pa,
			(unsigned long long)st->entry, buf, st->leaf ? " (leaf)" : "");
		if (st->reserved)
			fprintf(out, "      reserved bits set: 0x%016llx\n",
				(unsigned long long)st->reserved);
	}
	if (s->fault) {
		fprintf(out, "  stops at level %u: fault reason 0x%02x (%s)%s\n", s->stop_level,
			s->fault, vtd_fault_reason_name(s->fault),
			t->lookup.fpd ? " -- not recorded, FPD=1" : "");
	} else {
		char perm[64];
		ptdbg_bits_format(&vtd_bits_perm, s->perm.flags, " ", perm, sizeof(perm));
		fprintf(out, "  -> 0x%llx (%s page) %s\n", (unsigned long long)s->pa,
			s->page_size == (1ull << 30) ? "1G" : s->page_size == (1ull << 21) ? "2M" : "4K",
			perm);
	}
}

/* The walk trace as one JSON object. */
void vtd_translation_json(struct ptdbg_json *j, const struct vtd_dev_translation *t)
{
	const struct ptdbg_translation *s = &t->sl;
	ptdbg_json_start_object(j);
	ptdbg_json_name(j, "lookup");
	vtd_lookup_json(j, &t->lookup);
	ptdbg_json_bool_field(j, "translated", t->translated);
	ptdbg_json_uint_field(j, "fault_reason", t->reason);
	if (t->reason)
		ptdbg_json_string_field(j, "fault_reason_name", vtd_fault_reason_name(t->reason));
	if (t->translated)
		ptdbg_json_hex_field(j, "pa", t->pa);
	if (t->lookup.xlate == VTD_XL_SECOND_LEVEL && !t->lookup.reason) {
		ptdbg_json_hex_field(j, "iova", s->va);
		ptdbg_json_string_field(j, "access", (s->access & PTDBG_ACC_WRITE) ? "write" : "read");
		ptdbg_json_name(j, "steps");
		ptdbg_json_start_array(j);
		for (unsigned i = 0; i < s->nsteps; i++) {
			const struct ptdbg_walk_step *st = &s->step[i];
			ptdbg_json_start_object(j);
			ptdbg_json_uint_field(j, "level", st->level);
			ptdbg_json_hex_field(j, "table", st->table_pa);
			ptdbg_json_uint_field(j, "index", st->index);
			ptdbg_json_hex_field(j, "entry_pa", st->entry_pa);
			if (st->err) {
				ptdbg_json_int_field(j, "read_error", st->err);
			} else {
				ptdbg_json_hex_field(j, "entry", st->entry);
				ptdbg_json_bool_field(j, "leaf", st->leaf);
				ptdbg_json_name(j, "fields");
				ptdbg_json_start_object(j);
				ptdbg_layout_json(j, st->leaf ? &vtd_layout_sl_leaf : &vtd_layout_sl_table,
						&st->entry);
				ptdbg_json_end_object(j);
				if (st->reserved)
					ptdbg_json_hex_field(j, "reserved", st->reserved);
			}
			ptdbg_json_end_object(j);
		}
		ptdbg_json_end_array(j);
		if (s->fault) {
			ptdbg_json_uint_field(j, "stop_level", s->stop_level);
		} else {
			ptdbg_json_uint_field(j, "page_size", s->page_size);
			ptdbg_json_bits(j, "flags", &vtd_bits_perm, s->perm.flags);
		}
	}
	ptdbg_json_end_object(j);
}

/* ---- mapping printer ---- */

/* A printer with no run open. */
void vtd_map_printer_init(struct vtd_map_printer *p, FILE *out, struct ptdbg_json *json)
{
	memset(p, 0, sizeof(*p));
	p->out = out;
	p->json = json;
}

/* The page-size column. */
static const char *page_name(uint64_t page)
{
	return page == (1ull << 30) ? "1G" : page == (1ull << 21) ? "2M" : "4K";
}

/* Print the open run, if any, and close it. */
void vtd_map_printer_flush(struct vtd_map_printer *p)
{
	const struct ptdbg_range *r = &p->r;
	uint64_t size = r->end - r->va;
	char perm[64];

	if (!r->open)
		return;
	p->r.open = false;
	p->runs++;
	ptdbg_bits_format(&vtd_bits_perm, r->perm.flags, " ", perm, sizeof(perm));
	if (p->json) {
		ptdbg_json_start_object(p->json);
		ptdbg_json_string_field(p->json, "type", "range");
		ptdbg_json_hex_field(p->json, "start", r->va);
		ptdbg_json_hex_field(p->json, "end", r->va + size);
		ptdbg_json_uint_field(p->json, "size", size);
		ptdbg_json_hex_field(p->json, "pa", r->pa);
		ptdbg_json_uint_field(p->json, "page_size", r->page);
		ptdbg_json_uint_field(p->json, "pages", size / r->page);
		ptdbg_json_bits(p->json, "flags", &vtd_bits_perm, r->perm.flags);
		ptdbg_json_end_object(p->json);
		return;
	}
	/* "0x%012llx-0x%012llx -> 0x%012llx %10llu %s %s\n", by hand: a domain of many
	 * ranges spent its time in printf */
	char line[128 + sizeof(perm)], *q = line;
	memcpy(q, "0x", 2);
	q = ptdbg_put_hex(q + 2, r->va, 12);
	memcpy(q, "-0x", 3);
	q = ptdbg_put_hex(q + 3, r->va + size - 1, 12);
	memcpy(q, " -> 0x", 6);
	q = ptdbg_put_hex(q + 6, r->pa, 12);
	*q++ = ' ';
	q = ptdbg_put_dec(q, r->pages, 10);
	*q++ = ' ';
	const char *pg = page_name(r->page);
	size_t pl = strlen(pg), fl = strlen(perm);
	memcpy(q, pg, pl);
	q += pl;
	*q++ = ' ';
	memcpy(q, perm, fl);
	q += fl;
	*q++ = '\n';
	fwrite(line, 1, (size_t)(q - line), p->out);
}

static void flush_cb(void *p)
{
	vtd_map_printer_flush(p);
}

/* Extend or print runs; absent entries and anomalies on their own lines. */
int vtd_map_printer_visit(void *ctx, const struct ptdbg_walk_event *ev)
{
	static const struct ptdbg_range_rule rule = { 0 };
	struct vtd_map_printer *p = ctx;
	const char *name;

	switch (ev->kind) {
	case PTDBG_EV_LEAF_RUN:
		for (uint64_t k = 0; k < ev->count;)
			k = ptdbg_range_take_run(&p->r, ev, k, ev->count, &rule, flush_cb, p);
		return 0;
	case PTDBG_EV_LEAF:
		if (ptdbg_range_extend(&p->r, ev, &rule))
			return 0;
		vtd_map_printer_flush(p);
		ptdbg_range_start(&p->r, ev);
		return 0;
	case PTDBG_EV_ABSENT:
	case PTDBG_EV_ANOMALY:
		vtd_map_printer_flush(p);
		name = ptdbg_anomaly_name(&vtd_sl_decoder, ev->anomaly);
		if (p->json) {
			ptdbg_json_start_object(p->json);
			ptdbg_json_string_field(p->json, "type", ptdbg_event_name(ev->kind));
			if (ev->kind == PTDBG_EV_ANOMALY) {
				ptdbg_json_string_field(p->json, "anomaly", name);
				ptdbg_json_hex_field(p->json, "detail", ev->detail);
			}
			ptdbg_json_uint_field(p->json, "level", ev->level);
			ptdbg_json_hex_field(p->json, "iova", ev->va);
			ptdbg_json_hex_field(p->json, "entry", ev->entry);
			if (ev->pa)
				ptdbg_json_hex_field(p->json, "pa", ev->pa);
			ptdbg_json_end_object(p->json);
		} else if (ev->kind == PTDBG_EV_ABSENT) {
			fprintf(p->out, "0x%012llx L%u absent entry 0x%016llx (R=W=0, other bits set)\n",
				(unsigned long long)ev->va, ev->level, (unsigned long long)ev->entry);
		} else {
			fprintf(p->out, "0x%012llx L%u %s: entry 0x%016llx detail 0x%llx%s",
				(unsigned long long)ev->va, ev->level, name,
				(unsigned long long)ev->entry, (unsigned long long)ev->detail,
				ev->pa ? "" : "\n");
			if (ev->pa)
				fprintf(p->out, " table 0x%llx\n", (unsigned long long)ev->pa);
		}
		return 0;
	default:
		return 0;
	}
}
