/* SPDX-License-Identifier: MIT */
/* Target descriptions: architecture and register numbers by name; see tdesc.h. */
#include "target/tdesc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void ptdbg_tdesc_init(struct ptdbg_tdesc *d)
{
	memset(d, 0, sizeof(*d));
	for (size_t i = 0; i < PTDBG_NREGS; i++)
		d->regno[i] = -1;
}

/* The value of attribute attr inside the tag [tag, end) into out (cap bytes). */
static bool attr_of(const char *tag, const char *end, const char *attr, char *out, size_t cap)
{
	size_t al = strlen(attr);

	for (const char *p = tag + 1; p + al + 2 < end; p++) {
		if ((p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n' || p[-1] == '\r') &&
		    strncmp(p, attr, al) == 0 && p[al] == '=' && (p[al + 1] == '"' || p[al + 1] == '\'')) {
			const char *v = p + al + 2, *q = v;
			size_t n;

			while (q < end && *q != p[al + 1])
				q++;
			n = (size_t)(q - v);
			if (n >= cap)
				n = cap - 1;
			memcpy(out, v, n);
			out[n] = '\0';
			return true;
		}
	}
	return false;
}

static bool is_tag(const char *p, const char *name)
{
	size_t n = strlen(name);
	return strncmp(p, name, n) == 0 &&
	       (p[n] == ' ' || p[n] == '\t' || p[n] == '\n' || p[n] == '\r' || p[n] == '>' || p[n] == '/');
}

static enum ptdbg_arch arch_of_element(const char *text, size_t n)
{
	if ((n == 7 && !strncmp(text, "aarch64", 7)) || (n > 8 && !strncmp(text, "aarch64:", 8)))
		return PTDBG_ARCH_AARCH64;
	if (n == 11 && !strncmp(text, "i386:x86-64", 11))
		return PTDBG_ARCH_X86_64;
	return PTDBG_ARCH_UNSPECIFIED;
}

int ptdbg_tdesc_scan(struct ptdbg_tdesc *d, const char *doc,
		     int (*include)(void *ctx, const char *href), void *ctx)
{
	bool i386_core = false;

	for (const char *p = doc; (p = strchr(p, '<')) != NULL; p++) {
		const char *end;
		char val[128];

		if (strncmp(p, "<!--", 4) == 0) { /* comments hide registers too */
			const char *ce = strstr(p + 4, "-->");
			if (!ce)
				break;
			p = ce + 2;
			continue;
		}
		if (!(end = strchr(p, '>')))
			break;
		if (is_tag(p, "<reg")) {
			int num = d->next;
			unsigned bits = 0;

			if (attr_of(p, end, "regnum", val, sizeof(val)))
				num = (int)strtol(val, NULL, 0);
			if (attr_of(p, end, "bitsize", val, sizeof(val)))
				bits = (unsigned)strtoul(val, NULL, 0);
			if (attr_of(p, end, "name", val, sizeof(val)))
				for (size_t i = 0; i < PTDBG_NREGS; i++)
					if (strcmp(val, ptdbg_reg_table[i].name) == 0 && d->regno[i] < 0) {
						d->regno[i] = num;
						d->regbits[i] = bits;
					}
			d->next = num + 1;
		} else if (is_tag(p, "<feature")) {
			if (attr_of(p, end, "name", val, sizeof(val))) {
				if (!strcmp(val, "org.gnu.gdb.aarch64.core"))
					d->arch = PTDBG_ARCH_AARCH64;
				else if (!strcmp(val, "org.gnu.gdb.i386.core"))
					i386_core = true;
			}
		} else if (is_tag(p, "<architecture")) {
			const char *t = end + 1, *te = strchr(t, '<');
			if (te)
				d->arch_element = arch_of_element(t, (size_t)(te - t));
		} else if (is_tag(p, "<xi:include")) {
			if (include && attr_of(p, end, "href", val, sizeof(val))) {
				int rc = include(ctx, val);
				if (rc)
					return rc;
			}
		}
		p = end;
	}
	if (i386_core && !d->arch)
		d->arch = PTDBG_ARCH_X86_64; /* 64-bit when <architecture> does not say i386 */
	return 0;
}

enum ptdbg_arch ptdbg_tdesc_arch(const struct ptdbg_tdesc *d)
{
	return d->arch ? d->arch : d->arch_element;
}
