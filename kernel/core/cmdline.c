/* Command-line parsing into kernel_options. */
#include "core/cmdline.h"
#include "debug/panic.h"
#include "lib/string.h"

struct kernel_options kopts;
static char bugs_text[CMDLINE_MAX_BUGS * 32];

static void copy_token(char *dst, int cap, const char *src, int len)
{
	if (len >= cap)
		len = cap - 1;
	memcpy(dst, src, (size_t)len);
	dst[len] = 0;
}

static void add_bugs(const char *v, int len)
{
	while (len > 0) {
		int n = 0;
		while (n < len && v[n] != ',')
			n++;
		if (n > 0) {
			if (kopts.nbugs >= CMDLINE_MAX_BUGS)
				panic("too many bug= names (at most %d)", CMDLINE_MAX_BUGS);
			copy_token(kopts.bugs[kopts.nbugs++], 32, v, n);
		}
		v += n + 1;
		len -= n + 1;
	}
}

/* Parse key=value tokens separated by spaces. */
void cmdline_parse(const char *s)
{
	memset(&kopts, 0, sizeof(kopts));
	strlcpy_k(kopts.scenario, "default", sizeof(kopts.scenario));
	kopts.paging = 4;
	kopts.ptdbg_on = 1;
	kopts.iommu_on = 1;
	kopts.granule_shift = 12;
	kopts.va_bits = 36;
	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		const char *tok = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		int len = (int)(s - tok);
		if (!len)
			continue;
		const char *eq = tok;
		while (eq < s && *eq != '=')
			eq++;
		if (eq == s)
			continue;
		int klen = (int)(eq - tok);
		const char *v = eq + 1;
		int vlen = (int)(s - v);
		if (klen == 8 && !strncmp(tok, "scenario", 8)) {
			copy_token(kopts.scenario, sizeof(kopts.scenario), v, vlen);
		} else if (klen == 3 && !strncmp(tok, "bug", 3)) {
			add_bugs(v, vlen);
		} else if (klen == 6 && !strncmp(tok, "paging", 6)) {
			if (vlen == 1 && (v[0] == '4' || v[0] == '5'))
				kopts.paging = v[0] - '0';
			else
				panic("paging= must be 4 or 5");
		} else if (klen == 5 && !strncmp(tok, "ptdbg", 5)) {
			if (vlen == 3 && !strncmp(v, "off", 3))
				kopts.ptdbg_on = 0;
			else if (vlen == 2 && !strncmp(v, "on", 2))
				kopts.ptdbg_on = 1;
			else
				panic("ptdbg= must be on or off");
		} else if (klen == 5 && !strncmp(tok, "iommu", 5)) {
			if (vlen == 3 && !strncmp(v, "off", 3))
				kopts.iommu_on = 0;
			else if (vlen == 2 && !strncmp(v, "on", 2))
				kopts.iommu_on = 1;
			else
				panic("iommu= must be on or off");
		} else if (klen == 7 && !strncmp(tok, "granule", 7)) {
			if (vlen == 2 && !strncmp(v, "4k", 2))
				kopts.granule_shift = 12;
			else if (vlen == 3 && !strncmp(v, "16k", 3))
				kopts.granule_shift = 14;
			else if (vlen == 3 && !strncmp(v, "64k", 3))
				kopts.granule_shift = 16;
			else
				panic("granule= must be 4k, 16k or 64k");
		} else if (klen == 7 && !strncmp(tok, "va_bits", 7)) {
			if (vlen == 2 && !strncmp(v, "36", 2))
				kopts.va_bits = 36;
			else if (vlen == 2 && !strncmp(v, "39", 2))
				kopts.va_bits = 39;
			else if (vlen == 2 && !strncmp(v, "48", 2))
				kopts.va_bits = 48;
			else
				panic("va_bits= must be 36, 39 or 48");
		} else if (klen == 6 && !strncmp(tok, "strtab", 6)) {
			if (vlen == 6 && !strncmp(v, "linear", 6))
				kopts.strtab_2lvl = 0;
			else if (vlen == 4 && !strncmp(v, "2lvl", 4))
				kopts.strtab_2lvl = 1;
			else
				panic("strtab= must be linear or 2lvl");
		}
	}
	char *p = bugs_text;
	for (int i = 0; i < kopts.nbugs; i++) {
		if (i)
			*p++ = ',';
		size_t n = strlen(kopts.bugs[i]);
		memcpy(p, kopts.bugs[i], n);
		p += n;
	}
	*p = 0;
}

/* Whether bug `name` is on. */
int bug_enabled(const char *name)
{
	for (int i = 0; i < kopts.nbugs; i++)
		if (!strcmp(kopts.bugs[i], name))
			return 1;
	return 0;
}

/* The bug names joined by commas, or "none". */
const char *bugs_string(void)
{
	return kopts.nbugs ? bugs_text : "none";
}
