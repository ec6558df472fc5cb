/* SPDX-License-Identifier: MIT */
/* Option tables and their parser; see options.h. */
#include "cli/options.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ptdbg_parse_u64(const char *s, uint64_t *out)
{
	if (!s || !*s || *s == '-' || isspace((unsigned char)*s))
		return -1;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -1;
	unsigned shift = 0;
	switch (toupper((unsigned char)*end)) {
	case 'K': shift = 10; end++; break;
	case 'M': shift = 20; end++; break;
	case 'G': shift = 30; end++; break;
	case 'T': shift = 40; end++; break;
	default: break;
	}
	if (*end)
		return -1;
	if (shift && (v >> (64 - shift)))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

const char *ptdbg_opt_u64(void *dst, const char *value)
{
	uint64_t v;
	if (ptdbg_parse_u64(value, &v))
		return "a number";
	if (dst)
		*(uint64_t *)dst = v;
	return NULL;
}

const char *ptdbg_opt_pa(void *dst, const char *value)
{
	return ptdbg_opt_u64(dst, value) ? "a physical address" : NULL;
}

const char *ptdbg_opt_positive(void *dst, const char *value)
{
	uint64_t v;
	if (ptdbg_parse_u64(value, &v) || v == 0)
		return "a positive number";
	if (dst)
		*(uint64_t *)dst = v;
	return NULL;
}

static bool is_end(const struct ptdbg_opt *o)
{
	return !o->name && !o->short_name;
}

/* The entry for a long name of n characters, or a short letter (n == 0). */
static const struct ptdbg_opt *lookup(const struct ptdbg_opt *const *tables, const char *name, size_t n,
				      char short_name, size_t *index)
{
	size_t k = 0;
	for (size_t t = 0; tables[t]; t++)
		for (const struct ptdbg_opt *o = tables[t]; !is_end(o); o++, k++) {
			bool hit = n ? o->name && strlen(o->name) == n && !strncmp(o->name, name, n)
				     : o->short_name && o->short_name == short_name;
			if (hit) {
				if (index)
					*index = k;
				return o;
			}
		}
	return NULL;
}

/* Split an option word: long name and its length, the short letter, the value
 * after '=' (long options only). Returns false if arg is not an option word. */
static bool split_word(const char *arg, const char **name, size_t *n, char *short_name, const char **eq)
{
	*name = NULL;
	*n = 0;
	*short_name = 0;
	*eq = NULL;
	if (arg[0] != '-' || !arg[1])
		return false;
	if (arg[1] == '-') {
		*name = arg + 2;
		const char *e = strchr(*name, '=');
		*n = e ? (size_t)(e - *name) : strlen(*name);
		*eq = e ? e + 1 : NULL;
		return *n > 0;
	}
	if (arg[2])
		return true; /* "-jv", "-t=x": no such short option */
	*short_name = arg[1];
	return true;
}

const struct ptdbg_opt *ptdbg_opts_find(const struct ptdbg_opt *const *tables, const char *arg)
{
	const char *name, *eq;
	size_t n;
	char sh;
	if (!split_word(arg, &name, &n, &sh, &eq) || (!n && !sh))
		return NULL;
	return lookup(tables, name, n, sh, NULL);
}

/* The option as the user wrote it, without a value: "--range" or "-t". */
static void spelled(char *buf, size_t len, const char *arg)
{
	size_t n = strcspn(arg, "=");
	if (arg[1] != '-')
		n = strlen(arg);
	snprintf(buf, len, "%.*s", (int)(n < 200 ? n : 200), arg);
}

int ptdbg_opts_parse(const struct ptdbg_opt *const *tables, int argc, char **argv, unsigned flags,
		     char **pos, int maxpos, int *npos, char *err, size_t errlen)
{
	unsigned seen[PTDBG_OPTS_MAX] = { 0 };
	bool rest = false;
	char opt[256];
	*npos = 0;
	err[0] = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *name, *eq;
		size_t n, k = 0;
		char sh;
		if (!rest && !strcmp(a, "--")) {
			rest = true;
			continue;
		}
		if (rest || !split_word(a, &name, &n, &sh, &eq)) {
			if (*npos >= maxpos) {
				snprintf(err, errlen, "unexpected argument '%s'", a);
				return -1;
			}
			pos[(*npos)++] = argv[i];
			if (flags & PTDBG_OPTS_REST)
				rest = true;
			continue;
		}
		spelled(opt, sizeof(opt), a);
		const struct ptdbg_opt *o = (n || sh) ? lookup(tables, name, n, sh, &k) : NULL;
		if (!o) {
			snprintf(err, errlen, "unknown option '%s'", opt);
			return -1;
		}
		if (k < PTDBG_OPTS_MAX && seen[k]++ && o->value && !o->repeat) {
			snprintf(err, errlen, "option '%s' given twice", opt);
			return -1;
		}
		const char *v = NULL;
		if (o->value) {
			if (eq)
				v = eq;
			else if (i + 1 < argc)
				v = argv[++i];
			if (!v || !*v) {
				snprintf(err, errlen, "option '%s' needs a value", opt);
				return -1;
			}
			if (o->str)
				*o->str = v;
		} else {
			if (eq) {
				snprintf(err, errlen, "option '%s' takes no value", opt);
				return -1;
			}
			if (o->flag)
				*o->flag = true;
			if (o->count)
				++*o->count;
		}
		if (o->set) {
			const char *takes = o->set(o->dst, v);
			if (takes) {
				snprintf(err, errlen, "option '%s' takes %s, not '%s'", opt, takes, v ? v : "");
				return -1;
			}
		}
	}
	return 0;
}
