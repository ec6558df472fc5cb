/* SPDX-License-Identifier: MIT */
/* Bit tables printed as names; see bits.h. */
#include <stdio.h>

#include "walk/bits.h"

/* The names of value's fields; see bits.h. */
int ptdbg_bits_format(const struct ptdbg_bit_table *t, uint64_t value, const char *sep,
		      char *buf, size_t len)
{
	return ptdbg_bits_format_except(t, value, 0, sep, buf, len);
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
		int w = snprintf(pos < len ? buf + pos : NULL, pos < len ? len - pos : 0, "%s%s",
				 first ? "" : sep, name);
		if (w > 0)
			pos += (size_t)w;
		first = false;
	}
	return (int)pos;
}
