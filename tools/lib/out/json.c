/* SPDX-License-Identifier: MIT */
/* A small streaming JSON writer (see json.h). */
#include <inttypes.h>
#include <stdlib.h>

#include "out/json.h"

#define MAX_DEPTH 64

struct ptdbg_json {
	FILE *f;
	unsigned depth;
	bool pretty;
	bool wrote;                  /* anything written at all */
	bool after_name;             /* a name was written, its value comes next */
	bool has_items[MAX_DEPTH];   /* the container at depth d has an item already */
};

struct ptdbg_json *ptdbg_json_new(FILE *f)
{
	struct ptdbg_json *j = calloc(1, sizeof(*j));

	if (j)
		j->f = f;
	return j;
}

void ptdbg_json_free(struct ptdbg_json *j)
{
	if (!j)
		return;
	if (j->wrote)
		fputc('\n', j->f);
	free(j);
}

void ptdbg_json_pretty(struct ptdbg_json *j, bool on)
{
	j->pretty = on;
}

static void newline_indent(struct ptdbg_json *j)
{
	if (!j->pretty)
		return;
	fputc('\n', j->f);
	for (unsigned i = 0; i < j->depth; i++)
		fputs("    ", j->f);
}

/* Write what separates the next item (a value or a name) from the previous one. */
static void begin_item(struct ptdbg_json *j)
{
	j->wrote = true;
	if (j->after_name) {
		j->after_name = false;
		return;
	}
	if (j->depth && j->has_items[j->depth])
		fputc(',', j->f);
	if (j->depth) {
		j->has_items[j->depth] = true;
		newline_indent(j);
	}
}

/* s as a JSON string: the runs of characters that need no escape written whole. */
static void write_escaped(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;

	fputc('"', f);
	for (; *p; p++) {
		if (*p >= 0x20 && *p != '"' && *p != '\\')
			continue;
		fwrite(run, 1, (size_t)(p - run), f);
		run = p + 1;
		switch (*p) {
		case '"':  fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:    fprintf(f, "\\u%04x", *p);
		}
	}
	fwrite(run, 1, (size_t)(p - run), f);
	fputc('"', f);
}

static void open_container(struct ptdbg_json *j, char c)
{
	begin_item(j);
	fputc(c, j->f);
	if (j->depth + 1 < MAX_DEPTH)
		j->depth++;
	j->has_items[j->depth] = false;
}

static void close_container(struct ptdbg_json *j, char c)
{
	bool had = j->has_items[j->depth];

	if (j->depth)
		j->depth--;
	if (had)
		newline_indent(j);
	fputc(c, j->f);
}

void ptdbg_json_start_object(struct ptdbg_json *j) { open_container(j, '{'); }
void ptdbg_json_end_object(struct ptdbg_json *j)   { close_container(j, '}'); }
void ptdbg_json_start_array(struct ptdbg_json *j)  { open_container(j, '['); }
void ptdbg_json_end_array(struct ptdbg_json *j)    { close_container(j, ']'); }

void ptdbg_json_name(struct ptdbg_json *j, const char *name)
{
	begin_item(j);
	write_escaped(j->f, name);
	fputs(j->pretty ? ": " : ":", j->f);
	j->after_name = true;
}

void ptdbg_json_string(struct ptdbg_json *j, const char *s)
{
	begin_item(j);
	if (s)
		write_escaped(j->f, s);
	else
		fputs("null", j->f);
}

void ptdbg_json_uint(struct ptdbg_json *j, uint64_t v)
{
	begin_item(j);
	fprintf(j->f, "%" PRIu64, v);
}

void ptdbg_json_int(struct ptdbg_json *j, int64_t v)
{
	begin_item(j);
	fprintf(j->f, "%" PRId64, v);
}

void ptdbg_json_bool(struct ptdbg_json *j, bool v)
{
	begin_item(j);
	fputs(v ? "true" : "false", j->f);
}

void ptdbg_json_null(struct ptdbg_json *j)
{
	begin_item(j);
	fputs("null", j->f);
}

void ptdbg_json_hex(struct ptdbg_json *j, uint64_t v)
{
	begin_item(j);
	fprintf(j->f, "\"0x%016" PRIx64 "\"", v);
}

void ptdbg_json_string_field(struct ptdbg_json *j, const char *name, const char *s)
{
	ptdbg_json_name(j, name);
	ptdbg_json_string(j, s);
}

void ptdbg_json_uint_field(struct ptdbg_json *j, const char *name, uint64_t v)
{
	ptdbg_json_name(j, name);
	ptdbg_json_uint(j, v);
}

void ptdbg_json_int_field(struct ptdbg_json *j, const char *name, int64_t v)
{
	ptdbg_json_name(j, name);
	ptdbg_json_int(j, v);
}

void ptdbg_json_bool_field(struct ptdbg_json *j, const char *name, bool v)
{
	ptdbg_json_name(j, name);
	ptdbg_json_bool(j, v);
}

void ptdbg_json_hex_field(struct ptdbg_json *j, const char *name, uint64_t v)
{
	ptdbg_json_name(j, name);
	ptdbg_json_hex(j, v);
}
