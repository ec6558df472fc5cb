/* SPDX-License-Identifier: MIT */
/* A small streaming JSON writer (see json.h). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "out/fmt.h"
#include "out/json.h"

#define MAX_DEPTH 64
#define BUF_SIZE  4096 /* a call's text is built here, then written in one fwrite */

struct ptdbg_json {
	FILE *f;
	unsigned depth;
	bool pretty;
	bool wrote;                  /* anything written at all */
	bool after_name;             /* a name was written, its value comes next */
	bool has_items[MAX_DEPTH];   /* the container at depth d has an item already */
	size_t n;                    /* bytes in buf not yet written */
	char buf[BUF_SIZE];
};

struct ptdbg_json *ptdbg_json_new(FILE *f)
{
	struct ptdbg_json *j = malloc(sizeof(*j));

	if (j) {
		memset(j, 0, offsetof(struct ptdbg_json, buf));
		j->f = f;
	}
	return j;
}

/* Write what buf holds. Every public call ends with it, so that the FILE holds the
 * document so far whenever the caller has it: writes of the caller's own between
 * calls stay in order. Unlocked: a writer belongs to one thread. */
static void flush(struct ptdbg_json *j)
{
	if (j->n)
		fwrite_unlocked(j->buf, 1, j->n, j->f);
	j->n = 0;
}

/* Room for len more bytes in buf (len <= BUF_SIZE): where they go. */
static char *room(struct ptdbg_json *j, size_t len)
{
	if (j->n + len > BUF_SIZE)
		flush(j);
	return j->buf + j->n;
}

static void put(struct ptdbg_json *j, const char *s, size_t len)
{
	if (len > BUF_SIZE) {
		flush(j);
		fwrite_unlocked(s, 1, len, j->f);
		return;
	}
	memcpy(room(j, len), s, len);
	j->n += len;
}

static void put_char(struct ptdbg_json *j, char c)
{
	*room(j, 1) = c;
	j->n++;
}

void ptdbg_json_free(struct ptdbg_json *j)
{
	if (!j)
		return;
	if (j->wrote)
		put_char(j, '\n');
	flush(j);
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
	put_char(j, '\n');
	for (unsigned i = 0; i < j->depth; i++)
		put(j, "    ", 4);
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
		put_char(j, ',');
	if (j->depth) {
		j->has_items[j->depth] = true;
		newline_indent(j);
	}
}

/* s as a JSON string: the runs of characters that need no escape copied whole. */
static void write_escaped(struct ptdbg_json *j, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;

	put_char(j, '"');
	for (; *p; p++) {
		if (*p >= 0x20 && *p != '"' && *p != '\\')
			continue;
		put(j, (const char *)run, (size_t)(p - run));
		run = p + 1;
		switch (*p) {
		case '"':  put(j, "\\\"", 2); break;
		case '\\': put(j, "\\\\", 2); break;
		case '\n': put(j, "\\n", 2); break;
		case '\r': put(j, "\\r", 2); break;
		case '\t': put(j, "\\t", 2); break;
		default: {
			static const char hex[] = "0123456789abcdef";
			char u[6] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15] };
			put(j, u, sizeof(u));
		}
		}
	}
	put(j, (const char *)run, (size_t)(p - run));
	put_char(j, '"');
}

static void open_container(struct ptdbg_json *j, char c)
{
	begin_item(j);
	put_char(j, c);
	if (j->depth + 1 < MAX_DEPTH)
		j->depth++;
	j->has_items[j->depth] = false;
	flush(j);
}

static void close_container(struct ptdbg_json *j, char c)
{
	bool had = j->has_items[j->depth];

	if (j->depth)
		j->depth--;
	if (had)
		newline_indent(j);
	put_char(j, c);
	flush(j);
}

void ptdbg_json_start_object(struct ptdbg_json *j) { open_container(j, '{'); }
void ptdbg_json_end_object(struct ptdbg_json *j)   { close_container(j, '}'); }
void ptdbg_json_start_array(struct ptdbg_json *j)  { open_container(j, '['); }
void ptdbg_json_end_array(struct ptdbg_json *j)    { close_container(j, ']'); }

/* The name, and the separator before its value, into buf. */
static void name(struct ptdbg_json *j, const char *name)
{
	begin_item(j);
	write_escaped(j, name);
	if (j->pretty)
		put(j, ": ", 2);
	else
		put_char(j, ':');
	j->after_name = true;
}

void ptdbg_json_name(struct ptdbg_json *j, const char *n)
{
	name(j, n);
	flush(j);
}

/* v in decimal into buf. */
static void put_uint(struct ptdbg_json *j, uint64_t v)
{
	char *p = room(j, 20);
	j->n += (size_t)(ptdbg_put_dec(p, v, 0) - p);
}

void ptdbg_json_string(struct ptdbg_json *j, const char *s)
{
	begin_item(j);
	if (s)
		write_escaped(j, s);
	else
		put(j, "null", 4);
	flush(j);
}

void ptdbg_json_uint(struct ptdbg_json *j, uint64_t v)
{
	begin_item(j);
	put_uint(j, v);
	flush(j);
}

void ptdbg_json_int(struct ptdbg_json *j, int64_t v)
{
	begin_item(j);
	if (v < 0)
		put_char(j, '-');
	put_uint(j, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
	flush(j);
}

void ptdbg_json_bool(struct ptdbg_json *j, bool v)
{
	begin_item(j);
	if (v)
		put(j, "true", 4);
	else
		put(j, "false", 5);
	flush(j);
}

void ptdbg_json_null(struct ptdbg_json *j)
{
	begin_item(j);
	put(j, "null", 4);
	flush(j);
}

/* v as the string "0x" and 16 hex digits. */
void ptdbg_json_hex(struct ptdbg_json *j, uint64_t v)
{
	begin_item(j);
	char *p = room(j, 20);
	p[0] = '"';
	p[1] = '0';
	p[2] = 'x';
	ptdbg_hex16(p + 3, v);
	p[19] = '"';
	j->n += 20;
	flush(j);
}

/* The fields: the name goes into buf unwritten (name()), so that the value's call
 * writes both at once. */
void ptdbg_json_string_field(struct ptdbg_json *j, const char *n, const char *s)
{
	name(j, n);
	ptdbg_json_string(j, s);
}

void ptdbg_json_uint_field(struct ptdbg_json *j, const char *n, uint64_t v)
{
	name(j, n);
	ptdbg_json_uint(j, v);
}

void ptdbg_json_int_field(struct ptdbg_json *j, const char *n, int64_t v)
{
	name(j, n);
	ptdbg_json_int(j, v);
}

void ptdbg_json_bool_field(struct ptdbg_json *j, const char *n, bool v)
{
	name(j, n);
	ptdbg_json_bool(j, v);
}

void ptdbg_json_hex_field(struct ptdbg_json *j, const char *n, uint64_t v)
{
	name(j, n);
	ptdbg_json_hex(j, v);
}
