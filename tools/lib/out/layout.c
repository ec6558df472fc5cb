/* SPDX-License-Identifier: MIT */
/* Field tables of registers and table entries: access, formatting, printing (see
 * layout.h). */
#include "out/layout.h"

#include <stdio.h>
#include <string.h>

#include "out/json.h"

uint64_t ptdbg_field_get(const struct ptdbg_field *f, const uint64_t *w)
{
	unsigned word = f->lsb / 64, bit = f->lsb % 64;
	uint64_t v = w[word] >> bit;
	if (bit && bit + f->width > 64)
		v |= w[word + 1] << (64 - bit);
	if (f->width < 64)
		v &= (1ull << f->width) - 1;
	return v;
}

const struct ptdbg_field *ptdbg_layout_field(const struct ptdbg_layout *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->fields[i].name, name) == 0)
			return &l->fields[i];
	return NULL;
}

int ptdbg_field_format(const struct ptdbg_field *f, const uint64_t *w, char *buf, size_t len)
{
	uint64_t v = ptdbg_field_get(f, w);
	if (len)
		buf[0] = '\0';
	switch (f->kind) {
	case PTDBG_FK_FLAG:
		return v ? snprintf(buf, len, "%s", f->name) : 0;
	case PTDBG_FK_RSVD:
		if (!v)
			return 0;
		{
			char b[16];
			return snprintf(buf, len, "rsvd%s=0x%llx", ptdbg_field_bits(f, b, sizeof(b)),
					(unsigned long long)v);
		}
	case PTDBG_FK_ADDR:
		return snprintf(buf, len, "%s=0x%llx", f->name,
				(unsigned long long)(v << (f->lsb % 64)));
	default:
		return snprintf(buf, len, v < 10 ? "%s=%llu" : "%s=0x%llx", f->name,
				(unsigned long long)v);
	}
}

int ptdbg_layout_format(const struct ptdbg_layout *l, const uint64_t *w, const char *sep,
		      char *buf, size_t len)
{
	size_t pos = 0;
	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < l->n; i++) {
		char one[96];
		const struct ptdbg_field *f = &l->fields[i];
		if (f->kind == PTDBG_FK_NUM && !ptdbg_field_get(f, w) && strncmp(f->name, "IGN", 3) == 0)
			continue;
		if (f->kind == PTDBG_FK_FLAG && strncmp(f->name, "IGN", 3) == 0)
			continue;
		if (ptdbg_field_format(f, w, one, sizeof(one)) <= 0)
			continue;
		int n = snprintf(pos < len ? buf + pos : NULL, pos < len ? len - pos : 0, "%s%s",
				 pos ? sep : "", one);
		if (n > 0)
			pos += (size_t)n;
	}
	return (int)pos;
}

uint64_t ptdbg_layout_reserved_mask(const struct ptdbg_layout *l)
{
	uint64_t named = 0, rsvd = 0;
	unsigned top = l->bits >= 64 ? 64 : l->bits;
	for (size_t i = 0; i < l->n; i++) {
		const struct ptdbg_field *f = &l->fields[i];
		if (f->lsb >= 64)
			continue;
		uint64_t m = (f->width >= 64 ? ~0ull : ((1ull << f->width) - 1)) << f->lsb;
		if (f->kind == PTDBG_FK_RSVD)
			rsvd |= m;
		else
			named |= m;
	}
	uint64_t all = top >= 64 ? ~0ull : ((1ull << top) - 1);
	return (all & ~named) | rsvd;
}

const char *ptdbg_field_bits(const struct ptdbg_field *f, char *buf, size_t len)
{
	if (f->width == 1)
		snprintf(buf, len, "[%u]", f->lsb);
	else
		snprintf(buf, len, "[%u:%u]", f->lsb + f->width - 1, f->lsb);
	return buf;
}

void ptdbg_layout_print(FILE *out, const struct ptdbg_layout *l, const uint64_t *w,
		      const char *indent)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct ptdbg_field *f = &l->fields[i];
		uint64_t v = ptdbg_field_get(f, w);
		char bits[16], val[32], ex[96];
		const char *meaning = NULL;

		if (f->kind == PTDBG_FK_RSVD && !v)
			continue;
		ptdbg_field_bits(f, bits, sizeof(bits));
		if (f->kind == PTDBG_FK_ADDR)
			snprintf(val, sizeof(val), "0x%llx", (unsigned long long)(v << (f->lsb % 64)));
		else if (v < 10)
			snprintf(val, sizeof(val), "%llu", (unsigned long long)v);
		else
			snprintf(val, sizeof(val), "0x%llx", (unsigned long long)v);
		if (f->explain)
			meaning = f->explain(v, ex, sizeof(ex));
		fprintf(out, "%s%-12s %-10s %-18s %s%s%s%s\n", indent, f->name, bits, val, f->desc,
			meaning ? " (" : "", meaning ? meaning : "", meaning ? ")" : "");
	}
}

void ptdbg_layout_json(struct ptdbg_json *j, const struct ptdbg_layout *l, const uint64_t *w)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct ptdbg_field *f = &l->fields[i];
		uint64_t v = ptdbg_field_get(f, w);
		char name[32], bits[16];

		switch (f->kind) {
		case PTDBG_FK_FLAG:
			ptdbg_json_bool_field(j, f->name, v != 0);
			break;
		case PTDBG_FK_ADDR:
			ptdbg_json_hex_field(j, f->name, v << (f->lsb % 64));
			break;
		case PTDBG_FK_RSVD:
			if (!v)
				break;
			snprintf(name, sizeof(name), "rsvd%s", ptdbg_field_bits(f, bits, sizeof(bits)));
			ptdbg_json_hex_field(j, name, v);
			break;
		default:
			ptdbg_json_uint_field(j, f->name, v);
			break;
		}
	}
}
