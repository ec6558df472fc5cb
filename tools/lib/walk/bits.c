/* SPDX-License-Identifier: MIT */
/* Bit tables printed as names; see bits.h. */
#include <stdio.h>
#include <string.h>

#include "walk/bits.h"

/* The names of value's fields; see bits.h. */
int ptdbg_bits_format(const struct ptdbg_bit_table *t, uint64_t value, const char *sep,
		      char *buf, size_t len)
{
	return ptdbg_bits_format_except(t, value, 0, sep, buf, len);
}

/* Append s at pos of buf (len bytes) as snprintf would, cut to fit and
 * NUL-terminated; returns the position after the whole of s. Formats nothing: the
 * names are copied as they are, with no format string to parse. */
static size_t put(char *buf, size_t len, size_t pos, const char *s)
{
	size_t n = strlen(s);

	if (pos < len) {
		size_t room = len - pos - 1, c = n < room ? n : room;
		memcpy(buf + pos, s, c);
		buf[pos + c] = '\0';
	}
	return pos + n;
}

/* The same without the rows whose mask meets skip. */
int ptdbg_bits_format_except(const struct ptdbg_bit_table *t, uint64_t value, uint64_t skip,
			     const char *sep, char *buf, size_t len)
{
	size_t pos = 0;
	bool first = true;

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < t->n; i++) {
		if (t->bits[i].mask & skip)
			continue;
		const char *name = ptdbg_bit_matches(&t->bits[i], value) ? t->bits[i].set
									  : t->bits[i].clear;
		if (!name)
			continue;
		if (!first)
			pos = put(buf, len, pos, sep);
		pos = put(buf, len, pos, name);
		first = false;
	}
	return (int)pos;
}
