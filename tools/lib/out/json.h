/* SPDX-License-Identifier: MIT */
/*
 * A small streaming JSON writer (in the spirit of bpftool's json_writer).
 *
 * The writer tracks nesting and commas; callers emit names and values in order:
 *
 *   struct ptdbg_json *j = ptdbg_json_new(stdout);
 *   ptdbg_json_start_object(j);
 *   ptdbg_json_uint_field(j, "leaves", 12);
 *   ptdbg_json_name(j, "ranges"); ptdbg_json_start_array(j); ... ptdbg_json_end_array(j);
 *   ptdbg_json_end_object(j);
 *   ptdbg_json_free(j);          (writes the final newline)
 *
 * Strings are escaped (quotes, backslash, control characters as \u00XX). 64-bit
 * addresses are best written with ptdbg_json_hex (a "0x..." string) because JSON
 * numbers lose precision above 2^53 in most readers.
 */
#ifndef PTDBG_JSON_H
#define PTDBG_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct ptdbg_json;

/* A writer to f (not owned). NULL if out of memory. */
struct ptdbg_json *ptdbg_json_new(FILE *f);
/* Write a final newline if anything was written, and free j. */
void ptdbg_json_free(struct ptdbg_json *j);
/* Indent nested values, one per line (default: compact, one line). */
void ptdbg_json_pretty(struct ptdbg_json *j, bool on);

void ptdbg_json_start_object(struct ptdbg_json *j);
void ptdbg_json_end_object(struct ptdbg_json *j);
void ptdbg_json_start_array(struct ptdbg_json *j);
void ptdbg_json_end_array(struct ptdbg_json *j);
/* The name of the next value inside an object. */
void ptdbg_json_name(struct ptdbg_json *j, const char *name);

void ptdbg_json_string(struct ptdbg_json *j, const char *s);
void ptdbg_json_uint(struct ptdbg_json *j, uint64_t v);
void ptdbg_json_int(struct ptdbg_json *j, int64_t v);
void ptdbg_json_bool(struct ptdbg_json *j, bool v);
void ptdbg_json_null(struct ptdbg_json *j);
/* v as the string "0x%016llx". */
void ptdbg_json_hex(struct ptdbg_json *j, uint64_t v);

/* name + value in one call. */
void ptdbg_json_string_field(struct ptdbg_json *j, const char *name, const char *s);
void ptdbg_json_uint_field(struct ptdbg_json *j, const char *name, uint64_t v);
void ptdbg_json_int_field(struct ptdbg_json *j, const char *name, int64_t v);
void ptdbg_json_bool_field(struct ptdbg_json *j, const char *name, bool v);
void ptdbg_json_hex_field(struct ptdbg_json *j, const char *name, uint64_t v);

#endif /* PTDBG_JSON_H */
