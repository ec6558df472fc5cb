/* SPDX-License-Identifier: MIT */
/* Linux's layout markers: building, lookup, text and JSON; see linux_layout.h. */
#include "region/linux_layout.h"

#include <stdarg.h>
#include <string.h>

void ptdbg_linux_layout_init(struct ptdbg_linux_layout *l, const char *arch, unsigned levels)
{
	memset(l, 0, sizeof(*l));
	l->arch = arch;
	l->levels = levels;
}

void ptdbg_linux_add_marker(struct ptdbg_linux_layout *l, uint64_t start, const char *name)
{
	if (l->nmarkers < PTDBG_LINUX_MAX_MARKERS)
		l->markers[l->nmarkers++] = (struct ptdbg_linux_marker){ start, name };
}

struct ptdbg_linux_base *ptdbg_linux_add_base(struct ptdbg_linux_layout *l, const char *name)
{
	if (l->nbases >= PTDBG_LINUX_MAX_BASES)
		return NULL;
	struct ptdbg_linux_base *b = &l->bases[l->nbases++];
	memset(b, 0, sizeof(*b));
	b->name = name;
	return b;
}

const struct ptdbg_linux_base *ptdbg_linux_base(const struct ptdbg_linux_layout *l, const char *name)
{
	for (size_t i = 0; i < l->nbases; i++)
		if (!strcmp(l->bases[i].name, name))
			return &l->bases[i];
	return NULL;
}

void ptdbg_linux_note(struct ptdbg_linux_layout *l, const char *fmt, ...)
{
	size_t n = strlen(l->notes);
	va_list ap;

	if (n && n + 2 < sizeof(l->notes)) {
		memcpy(l->notes + n, "; ", 3);
		n += 2;
	}
	if (n + 1 >= sizeof(l->notes))
		return;
	va_start(ap, fmt);
	vsnprintf(l->notes + n, sizeof(l->notes) - n, fmt, ap);
	va_end(ap);
}

void ptdbg_linux_layout_finish(struct ptdbg_linux_layout *l)
{
	/* insertion sort: a handful of markers, and equal starts keep their order */
	for (size_t i = 1; i < l->nmarkers; i++) {
		struct ptdbg_linux_marker m = l->markers[i];
		size_t k = i;

		while (k > 0 && l->markers[k - 1].start > m.start) {
			l->markers[k] = l->markers[k - 1];
			k--;
		}
		l->markers[k] = m;
	}
}

const struct ptdbg_linux_marker *ptdbg_linux_marker_at(const struct ptdbg_linux_layout *l, uint64_t va,
						       uint64_t *start, uint64_t *end)
{
	const struct ptdbg_linux_marker *best = NULL;
	size_t i;

	if (!l || !l->valid)
		return NULL;
	for (i = 0; i < l->nmarkers && l->markers[i].start <= va; i++)
		best = &l->markers[i];
	if (!best)
		return NULL;
	/* the next marker with a greater start ends this one */
	while (i < l->nmarkers && l->markers[i].start == best->start)
		i++;
	*start = best->start;
	*end = i < l->nmarkers ? l->markers[i].start : 0;
	return best;
}

void ptdbg_linux_layout_print(FILE *out, const struct ptdbg_linux_layout *l)
{
	fprintf(out, "Linux %s layout, %u-level paging: %s\n", l->arch, l->levels,
		l->valid ? "placed" : "not placed");
	fprintf(out, "  %s\n", l->why);
	if (l->banner[0])
		fprintf(out, "  banner: %s\n", l->banner);
	if (l->nbases) {
		fprintf(out, "\nBases:\n");
		for (size_t i = 0; i < l->nbases; i++) {
			const struct ptdbg_linux_base *b = &l->bases[i];

			if (b->found)
				fprintf(out, "  %-17s 0x%016llx  %s%s\n", b->name, (unsigned long long)b->value,
					b->verified ? "verified: " : "", b->how);
			else
				fprintf(out, "  %-17s %-18s  %s\n", b->name, "unknown", b->how);
		}
	}
	if (l->valid && l->nmarkers) {
		fprintf(out, "\nMarkers:\n");
		for (size_t i = 0; i < l->nmarkers; i++) {
			uint64_t a, e;

			ptdbg_linux_marker_at(l, l->markers[i].start, &a, &e);
			fprintf(out, "  0x%016llx-0x%016llx  %s\n", (unsigned long long)l->markers[i].start,
				(unsigned long long)(e - 1), l->markers[i].name);
		}
	}
	if (l->notes[0])
		fprintf(out, "\nNotes: %s\n", l->notes);
}

void ptdbg_linux_layout_json(struct ptdbg_json *j, const struct ptdbg_linux_layout *l)
{
	ptdbg_json_start_object(j);
	ptdbg_json_string_field(j, "os", "linux");
	ptdbg_json_string_field(j, "arch", l->arch);
	ptdbg_json_uint_field(j, "levels", l->levels);
	ptdbg_json_bool_field(j, "valid", l->valid);
	ptdbg_json_string_field(j, "how", l->why);
	if (l->banner[0])
		ptdbg_json_string_field(j, "banner", l->banner);
	ptdbg_json_name(j, "bases");
	ptdbg_json_start_array(j);
	for (size_t i = 0; i < l->nbases; i++) {
		const struct ptdbg_linux_base *b = &l->bases[i];

		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "name", b->name);
		ptdbg_json_bool_field(j, "found", b->found);
		if (b->found)
			ptdbg_json_hex_field(j, "value", b->value);
		if (b->link)
			ptdbg_json_hex_field(j, "symbol", b->link);
		ptdbg_json_bool_field(j, "verified", b->verified);
		ptdbg_json_string_field(j, "how", b->how);
		ptdbg_json_end_object(j);
	}
	ptdbg_json_end_array(j);
	ptdbg_json_name(j, "markers");
	ptdbg_json_start_array(j);
	for (size_t i = 0; l->valid && i < l->nmarkers; i++) {
		uint64_t a, e;

		ptdbg_linux_marker_at(l, l->markers[i].start, &a, &e);
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "name", l->markers[i].name);
		ptdbg_json_hex_field(j, "start", l->markers[i].start);
		ptdbg_json_hex_field(j, "end", e);
		ptdbg_json_end_object(j);
	}
	ptdbg_json_end_array(j);
	ptdbg_json_string_field(j, "notes", l->notes);
	ptdbg_json_end_object(j);
}
