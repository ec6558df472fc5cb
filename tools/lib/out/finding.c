/* SPDX-License-Identifier: MIT */
/* Findings list and printers; see finding.h. */
#include "out/finding.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX 100000u

struct ptdbg_finding *ptdbg_finding_add(struct ptdbg_findings *l, const char *kind,
					enum ptdbg_severity sev, uint64_t addr, uint64_t size,
					const char *fmt, ...)
{
	size_t max = l->max ? l->max : DEFAULT_MAX;
	if (l->n >= max) {
		l->dropped++;
		return NULL;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		struct ptdbg_finding *v = realloc(l->v, cap * sizeof(*v));
		if (!v) {
			l->dropped++;
			return NULL;
		}
		l->v = v;
		l->cap = cap;
	}
	struct ptdbg_finding *f = &l->v[l->n++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->severity = sev;
	f->addr = addr;
	f->size = size;
	f->frame = PTDBG_NO_ADDR;
	f->node = PTDBG_NO_ADDR;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
	return f;
}

void ptdbg_findings_free(struct ptdbg_findings *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int cmp_finding(const void *a, const void *b)
{
	const struct ptdbg_finding *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	int c = strcmp(x->kind, y->kind);
	if (c)
		return c;
	return (x > y) - (x < y); /* keep insertion order otherwise */
}

void ptdbg_findings_sort(struct ptdbg_findings *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_finding);
}

int ptdbg_kinds_validate(const char *list, const char *const *const *known, char *bad, size_t len)
{
	const char *p = list;
	while (p && *p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		bool found = false;
		for (size_t t = 0; known[t] && !found; t++)
			for (size_t k = 0; known[t][k] && !found; k++)
				found = strlen(known[t][k]) == n && !strncmp(known[t][k], p, n);
		if (!found) {
			snprintf(bad, len, "%.*s", (int)n, p);
			return -1;
		}
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

void ptdbg_findings_keep_kinds(struct ptdbg_findings *l, const char *kinds)
{
	size_t k = 0;
	for (size_t i = 0; i < l->n; i++) {
		const char *p = kinds;
		size_t n = strlen(l->v[i].kind);
		bool keep = false;
		while (p && *p) {
			const char *comma = strchr(p, ',');
			size_t len = comma ? (size_t)(comma - p) : strlen(p);
			if (len == n && !strncmp(p, l->v[i].kind, n))
				keep = true;
			p = comma ? comma + 1 : NULL;
		}
		if (keep)
			l->v[k++] = l->v[i];
	}
	l->n = k;
}

int ptdbg_findings_worst(const struct ptdbg_findings *l)
{
	int worst = -1;
	for (size_t i = 0; i < l->n; i++)
		if ((int)l->v[i].severity > worst)
			worst = (int)l->v[i].severity;
	return worst;
}

const char *ptdbg_severity_name(enum ptdbg_severity s)
{
	switch (s) {
	case PTDBG_SEV_INFO: return "info";
	case PTDBG_SEV_WARNING: return "warning";
	case PTDBG_SEV_ERROR: return "error";
	}
	return "?";
}

void ptdbg_findings_print(FILE *out, const struct ptdbg_findings *l)
{
	size_t kw = 4;
	for (size_t i = 0; i < l->n; i++) {
		size_t k = strlen(l->v[i].kind);
		if (k > kw)
			kw = k;
	}
	for (size_t i = 0; i < l->n; i++) {
		const struct ptdbg_finding *f = &l->v[i];
		char range[48];
		if (f->size > 1)
			snprintf(range, sizeof(range), "%016llx-%016llx", (unsigned long long)f->addr,
				 (unsigned long long)(f->addr + f->size));
		else
			snprintf(range, sizeof(range), "%016llx", (unsigned long long)f->addr);
		fprintf(out, "%-7s %-*s %-33s", ptdbg_severity_name(f->severity), (int)kw, f->kind, range);
		if (f->space[0])
			fprintf(out, " [%s]", f->space);
		if (f->marker[0])
			fprintf(out, " <%s>", f->marker);
		fprintf(out, " %s", f->msg);
		if (f->frame != PTDBG_NO_ADDR)
			fprintf(out, " (frame %#llx)", (unsigned long long)f->frame);
		if (f->node != PTDBG_NO_ADDR)
			fprintf(out, " (node %#llx)", (unsigned long long)f->node);
		fputc('\n', out);
	}
	if (l->dropped)
		fprintf(out, "... and %zu more findings not listed\n", l->dropped);
}

void ptdbg_findings_json(struct ptdbg_json *j, const struct ptdbg_findings *l)
{
	ptdbg_json_start_array(j);
	for (size_t i = 0; i < l->n; i++) {
		const struct ptdbg_finding *f = &l->v[i];
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "kind", f->kind);
		ptdbg_json_string_field(j, "severity", ptdbg_severity_name(f->severity));
		ptdbg_json_hex_field(j, "addr", f->addr);
		ptdbg_json_uint_field(j, "size", f->size);
		if (f->space[0])
			ptdbg_json_string_field(j, "space", f->space);
		if (f->marker[0])
			ptdbg_json_string_field(j, "marker", f->marker);
		if (f->frame != PTDBG_NO_ADDR)
			ptdbg_json_hex_field(j, "frame", f->frame);
		if (f->node != PTDBG_NO_ADDR)
			ptdbg_json_hex_field(j, "node", f->node);
		ptdbg_json_string_field(j, "message", f->msg);
		ptdbg_json_end_object(j);
	}
	ptdbg_json_end_array(j);
}
