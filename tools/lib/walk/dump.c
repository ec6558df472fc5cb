/* SPDX-License-Identifier: MIT */
/* The range dump of any format's tables, text or JSON; see dump.h. */
#include <inttypes.h>
#include <string.h>

#include "walk/dump.h"

/* The size column at p (ptdbg_format_size's text); returns the end. */
static char *put_size(char *p, uint64_t size)
{
	static const char units[] = "KMGTPE";
	int u = 0;

	if (size % 1024 || size == 0) {
		p = ptdbg_put_dec(p, size, 9);
		*p++ = 'B';
		return p;
	}
	size >>= 10;
	while (size >= 1024 && size % 1024 == 0 && units[u + 1]) {
		size >>= 10;
		u++;
	}
	p = ptdbg_put_dec(p, size, 9);
	*p++ = units[u];
	return p;
}

/* Format a size with the largest binary unit that divides it. */
void ptdbg_format_size(uint64_t size, char *buf, size_t len)
{
	char tmp[32];
	size_t n = (size_t)(put_size(tmp, size) - tmp);
	if (!len)
		return;
	if (n > len - 1)
		n = len - 1;
	memcpy(buf, tmp, n);
	buf[n] = '\0';
}

/* s at p; returns the end. */
static char *put_str(char *p, const char *s)
{
	size_t n = strlen(s);
	memcpy(p, s, n);
	return p + n;
}

/* The names of t's rows that v matches, as a JSON array field. */
void ptdbg_json_bits(struct ptdbg_json *j, const char *name, const struct ptdbg_bit_table *t,
		     uint64_t v)
{
	ptdbg_json_name(j, name);
	ptdbg_json_start_array(j);
	for (size_t i = 0; i < t->n; i++)
		if (ptdbg_bit_matches(&t->bits[i], v))
			ptdbg_json_string(j, t->bits[i].set);
	ptdbg_json_end_array(j);
}

/* Set d up for dec with opts. */
void ptdbg_dump_init(struct ptdbg_dump *d, const struct ptdbg_decoder *dec,
		     const struct ptdbg_dump_opts *opts)
{
	memset(d, 0, sizeof(*d));
	d->dec = dec;
	if (opts)
		d->o = *opts;
	d->out = d->o.out ? d->o.out : stdout;
	d->json = d->o.json;
	d->rule.flags_ignored = d->o.hide_flags;
	d->rule.virtual_only = d->o.merge_virtual;
}

/* The space's header, once, before the first event. */
static void dump_header(struct ptdbg_dump *d)
{
	if (d->header_done)
		return;
	d->header_done = true;
	if (d->json) {
		ptdbg_json_start_object(d->json);
		ptdbg_json_string_field(d->json, "space", d->o.space_name);
		if (d->o.json_header)
			d->o.json_header(d->o.hook_ctx, d->json);
		ptdbg_json_name(d->json, "entries");
		ptdbg_json_start_array(d->json);
		return;
	}
	if (d->o.space_name)
		fprintf(d->out, "---[ %s ]---\n", d->o.space_name);
}

/* Print the open range and close it. */
static void flush_range(struct ptdbg_dump *d)
{
	const struct ptdbg_range *r = &d->r;
	const struct ptdbg_decoder *dec = d->dec;
	char page[16], flags[128];

	if (!r->open)
		return;
	d->r.open = false;
	uint32_t fl = r->perm.flags & ~d->o.hide_flags;
	const char *mt = dec->memtype_name ? dec->memtype_name(r->perm.memtype) : NULL;
	ptdbg_page_name(r->page, page, sizeof(page));
	if (d->json) {
		struct ptdbg_json *j = d->json;
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "type", "range");
		ptdbg_json_hex_field(j, "start", r->va);
		ptdbg_json_hex_field(j, "end", r->end);
		ptdbg_json_uint_field(j, "size", r->end - r->va);
		ptdbg_json_hex_field(j, "pa", r->pa);
		ptdbg_json_uint_field(j, "page_size", r->page);
		ptdbg_json_uint_field(j, "pages", r->pages);
		ptdbg_json_bits(j, "flags", dec->perm_bits, fl);
		if (mt)
			ptdbg_json_string_field(j, "memtype", mt);
		if (dec->attr_index_name)
			ptdbg_json_uint_field(j, dec->attr_index_name, r->perm.attr_index);
		if (r->perm.access & PTDBG_P_PKEY)
			ptdbg_json_uint_field(j, "pkey", r->perm.pkey);
		if (d->marker)
			ptdbg_json_string_field(j, "marker", d->marker);
		ptdbg_json_end_object(j);
		return;
	}
	/* formatted by hand, one write: a dump of many ranges spent most of its time
	 * in printf */
	/* the addresses, size, pa, page, flags, a memory type (< 64), a pkey: < 320 */
	char line[sizeof(page) + sizeof(flags) + 192], *p = line;
	ptdbg_bits_format_except(dec->perm_bits, fl, d->o.hide_flags, " ", flags, sizeof(flags));
	p = put_str(p, "0x");
	ptdbg_hex16(p, r->va);
	p = put_str(p + 16, "-0x");
	ptdbg_hex16(p, r->end);
	p += 16;
	*p++ = ' ';
	p = put_size(p, r->end - r->va);
	p = put_str(p, "  pa 0x");
	ptdbg_hex16(p, r->pa);
	p += 16;
	*p++ = ' ';
	p = put_str(p, page);
	p = put_str(p, "  ");
	p = put_str(p, flags);
	if (mt && strlen(mt) < 64) {
		*p++ = ' ';
		p = put_str(p, mt);
	} else if (mt) {
		fwrite(line, 1, (size_t)(p - line), d->out);
		fprintf(d->out, " %s", mt);
		p = line;
	}
	if (r->perm.access & PTDBG_P_PKEY) {
		p = put_str(p, " pkey ");
		p = ptdbg_put_dec(p, r->perm.pkey, 0);
	}
	*p++ = '\n';
	fwrite(line, 1, (size_t)(p - line), d->out);
}

/* Switch to the marker covering va if it is not the current one. */
static void update_marker(struct ptdbg_dump *d, uint64_t va)
{
	uint64_t start = 0, end = 0;
	const char *name;

	if (!d->o.marker)
		return;
	if (d->marker && va >= d->marker_start && (d->marker_end == 0 || va < d->marker_end))
		return;
	name = d->o.marker(d->o.marker_ctx, va, &start, &end);
	if (name == d->marker || (name && d->marker && !strcmp(name, d->marker) &&
				  start == d->marker_start))
		return;
	flush_range(d);
	d->marker = name;
	d->marker_start = start;
	d->marker_end = end;
	/* Leaving a marker for a range none covers gets a heading too, so that what
	 * follows is not read as part of the previous marker's range. */
	if (!d->json)
		fprintf(d->out, "---[ %s ]---\n", name ? name : "(no marker)");
}

/* A NODE: one line or object when tables are shown. */
static void dump_node(struct ptdbg_dump *d, const struct ptdbg_walk_event *ev)
{
	struct ptdbg_json *j = d->json;

	if (!d->o.show_nodes)
		return;
	flush_range(d);
	if (j) {
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "type", "table");
		ptdbg_json_string_field(j, "level", d->dec->level_name(ev->level));
		ptdbg_json_hex_field(j, "va", ev->va);
		ptdbg_json_hex_field(j, "pa", ev->pa);
		ptdbg_json_bool_field(j, "shared", ev->flags & PTDBG_NODE_SHARED);
		ptdbg_json_bool_field(j, "recursive", ev->flags & PTDBG_NODE_RECURSIVE);
		ptdbg_json_end_object(j);
		return;
	}
	fprintf(d->out, "0x%016" PRIx64 " %-4s table at pa 0x%016" PRIx64 "%s%s\n", ev->va,
		d->dec->level_name(ev->level), ev->pa,
		ev->flags & PTDBG_NODE_SHARED ? " (shared)" : "",
		ev->flags & PTDBG_NODE_RECURSIVE ? " (recursive)" : "");
}

/* An ABSENT entry with its bits named, when absent entries are shown. */
static void dump_absent(struct ptdbg_dump *d, const struct ptdbg_walk_event *ev)
{
	struct ptdbg_json *j = d->json;
	char bits[256];

	if (!d->o.show_absent)
		return;
	update_marker(d, ev->va);
	flush_range(d);
	ptdbg_bits_format(d->dec->entry_bits(ev->level, ev->level == 1), ev->entry, " ", bits,
			  sizeof(bits));
	if (j) {
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "type", "absent");
		ptdbg_json_string_field(j, "entry_level", d->dec->entry_name(ev->level));
		ptdbg_json_hex_field(j, "start", ev->va);
		ptdbg_json_hex_field(j, "end", ev->va + ev->size);
		ptdbg_json_hex_field(j, "entry", ev->entry);
		ptdbg_json_end_object(j);
		return;
	}
	fprintf(d->out, "0x%016" PRIx64 "-0x%016" PRIx64 " absent %s 0x%016" PRIx64 " (%s)\n", ev->va,
		ev->va + ev->size, d->dec->entry_name(ev->level), ev->entry, bits);
}

/* An ANOMALY: always shown, the pending range printed first. */
static void dump_anomaly(struct ptdbg_dump *d, const struct ptdbg_walk_event *ev)
{
	struct ptdbg_json *j = d->json;
	const char *name = ptdbg_anomaly_name(d->dec, ev->anomaly);
	/* a budget anomaly: the table visits made, no table or entry */
	bool budget = ev->anomaly == PTDBG_AN_BUDGET;
	uint64_t detail = budget ? ev->res->nodes : ev->detail;

	flush_range(d);
	if (j) {
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "type", "anomaly");
		ptdbg_json_string_field(j, "anomaly", name);
		ptdbg_json_string_field(j, "level", d->dec->level_name(ev->level));
		ptdbg_json_hex_field(j, "va", ev->va);
		ptdbg_json_hex_field(j, "pa", budget ? 0 : ev->pa);
		ptdbg_json_hex_field(j, "entry", budget ? 0 : ev->entry);
		ptdbg_json_hex_field(j, "detail", detail);
		ptdbg_json_end_object(j);
		return;
	}
	fprintf(d->out, "!! %s at %s va 0x%016" PRIx64, name, d->dec->level_name(ev->level), ev->va);
	if (ev->anomaly == PTDBG_AN_READ_ERROR || ev->anomaly == PTDBG_AN_RECURSIVE)
		fprintf(d->out, " table pa 0x%016" PRIx64, ev->pa);
	if (!budget)
		fprintf(d->out, " entry 0x%016" PRIx64, ev->entry);
	fprintf(d->out, " detail 0x%" PRIx64 "\n", detail);
}

static void flush_cb(void *d)
{
	flush_range(d);
}

/* A LEAF_RUN: each leaf as a LEAF would be, those that continue the range and stay
 * in the current marker added in one step. */
static void dump_run(struct ptdbg_dump *d, const struct ptdbg_walk_event *run)
{
	uint64_t k = 0;

	while (k < run->count) {
		update_marker(d, run->va + k * run->size);
		/* up to the end of the marker leaf k is in; one leaf when none covers it
		 * (each asks for one) */
		uint64_t to = run->count;
		if (d->o.marker && !d->marker) {
			to = k + 1;
		} else if (d->o.marker && d->marker_end) {
			uint64_t in = (d->marker_end - run->va + run->size - 1) / run->size;
			to = in < to ? in : to;
		}
		k = ptdbg_range_take_run(&d->r, run, k, to, &d->rule, flush_cb, d);
	}
}

/* The visitor. */
int ptdbg_dump_visit(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct ptdbg_dump *d = ctx;

	dump_header(d);
	switch (ev->kind) {
	case PTDBG_EV_LEAF:
		if (d->o.marker && !(d->marker && ev->va >= d->marker_start &&
				     (d->marker_end == 0 || ev->va < d->marker_end)))
			update_marker(d, ev->va); /* (inside the current marker: nothing to do) */
		if (ptdbg_range_extend(&d->r, ev, &d->rule))
			return 0;
		flush_range(d);
		ptdbg_range_start(&d->r, ev);
		return 0;
	case PTDBG_EV_LEAF_RUN:
		dump_run(d, ev);
		return 0;
	case PTDBG_EV_NODE:
		dump_node(d, ev);
		return 0;
	case PTDBG_EV_ABSENT:
		dump_absent(d, ev);
		return 0;
	case PTDBG_EV_HOLE:
		flush_range(d);
		return 0;
	case PTDBG_EV_ANOMALY:
		dump_anomaly(d, ev);
		return 0;
	}
	return 0;
}

/* Flush, close, summarize. */
void ptdbg_dump_finish(struct ptdbg_dump *d, const struct ptdbg_walk_result *res)
{
	dump_header(d);
	flush_range(d);
	if (d->json) {
		ptdbg_json_end_array(d->json);
		if (res) {
			ptdbg_json_name(d->json, "summary");
			ptdbg_json_start_object(d->json);
			ptdbg_json_uint_field(d->json, "leaves", res->leaves);
			ptdbg_json_uint_field(d->json, "tables", res->nodes);
			ptdbg_json_uint_field(d->json, "distinct_tables", res->distinct_nodes);
			ptdbg_json_uint_field(d->json, "absent", res->absent);
			ptdbg_json_uint_field(d->json, "anomalies", res->anomalies);
			ptdbg_json_uint_field(d->json, "read_errors", res->read_errors);
			ptdbg_json_bool_field(d->json, "partial", res->partial);
			ptdbg_json_end_object(d->json);
		}
		ptdbg_json_end_object(d->json);
		return;
	}
	if (!res || d->o.no_summary)
		return;
	fprintf(d->out,
		"# %" PRIu64 " leaves, %" PRIu64 " tables (%" PRIu64 " distinct), %" PRIu64
		" absent, %" PRIu64 " anomalies, %" PRIu64 " unreadable%s\n",
		res->leaves, res->nodes, res->distinct_nodes, res->absent, res->anomalies,
		res->read_errors, res->partial ? ", PARTIAL" : "");
	if (d->o.text_footer)
		d->o.text_footer(d->o.hook_ctx, d->out);
}
