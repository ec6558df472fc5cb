/* SPDX-License-Identifier: MIT */
/* ptdump search: bytes, a string or a value in what address spaces map. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptdump.h"
#include "walk/dump.h"
#include "walk/search.h"
#include "arm64/arm64_print.h"
#include "x86/x86_bits.h"

/* "de ad be ef", "deadbeef", "0xdeadbeef", "de:ad" into out. Returns the length, or
 * 0 if it is not hex. */
static size_t parse_hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int nib = -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s; s++) {
		if (*s == ' ' || *s == ':') {
			if (nib >= 0)
				return 0; /* half a byte */
			continue;
		}
		if (!isxdigit((unsigned char)*s))
			return 0;
		int v = isdigit((unsigned char)*s) ? *s - '0' : (tolower((unsigned char)*s) - 'a' + 10);
		if (nib < 0) {
			nib = v;
		} else {
			if (n == cap)
				return 0;
			out[n++] = (uint8_t)(nib << 4 | v);
			nib = -1;
		}
	}
	return nib >= 0 ? 0 : n;
}

/* UTF-8 s as UTF-16LE into out. Returns the length, or 0 for bad UTF-8. */
static size_t utf16(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		uint32_t c;
		int more;
		if (*p < 0x80) { c = *p; more = 0; }
		else if ((*p & 0xe0) == 0xc0) { c = *p & 0x1f; more = 1; }
		else if ((*p & 0xf0) == 0xe0) { c = *p & 0x0f; more = 2; }
		else if ((*p & 0xf8) == 0xf0) { c = *p & 0x07; more = 3; }
		else return 0;
		p++;
		for (int i = 0; i < more; i++, p++) {
			if ((*p & 0xc0) != 0x80)
				return 0;
			c = c << 6 | (*p & 0x3f);
		}
		if (c >= 0x110000 || (c >= 0xd800 && c < 0xe000))
			return 0;
		uint16_t u[2];
		int k = 1;
		if (c >= 0x10000) {
			c -= 0x10000;
			u[0] = (uint16_t)(0xd800 | (c >> 10));
			u[1] = (uint16_t)(0xdc00 | (c & 0x3ff));
			k = 2;
		} else {
			u[0] = (uint16_t)c;
		}
		for (int i = 0; i < k; i++) {
			if (n + 2 > cap)
				return 0;
			out[n++] = (uint8_t)u[i];
			out[n++] = (uint8_t)(u[i] >> 8);
		}
	}
	return n;
}

/* The visitor: leaves that pass the filters, clipped to [lo, hi), into the search. */
struct search_walk {
	struct ptdbg_search *srch;
	size_t space;
	uint64_t lo, hi;        /* [lo, hi); hi 0: no end */
	uint32_t need_set, need_clear;
	struct pt_progress progress;
};

static int search_visit(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct search_walk *w = ctx;
	if (ev->kind != PTDBG_EV_LEAF)
		return 0;
	pt_progress_leaf(&w->progress);
	if ((ev->perm.flags & w->need_set) != w->need_set || (ev->perm.flags & w->need_clear))
		return 0;
	uint64_t va = ev->va, pa = ev->pa, size = ev->size, end = va + size; /* end 0: 2^64 */
	if (va < w->lo) {
		if (end != 0 && end <= w->lo)
			return 0;
		pa += w->lo - va;
		size -= w->lo - va;
		va = w->lo;
	}
	if (w->hi && (end == 0 || end > w->hi)) {
		if (va >= w->hi)
			return 0;
		size = w->hi - va;
	}
	return ptdbg_search_add(w->srch, w->space, va, pa, size, &ev->perm);
}

static void frames_progress(void *ctx, uint64_t done, uint64_t total)
{
	pt_progress_frames(ctx, done, total);
}

int cmd_search(struct ptdbg_session *s, int argc, char **argv)
{
	struct pt_space_sel sel = { 0 };
	bool hex = false, str = false, wide = false, u32 = false, u64 = false, user = false, kernel = false;
	const char *range = NULL, *flags = NULL, *align_s = NULL, *max_s = NULL;
	const struct ptdbg_opt opts[] = {
		PT_SPACE_OPTS(&sel),
		PT_ALL_SPACES_OPT(&sel),
		{ .name = "hex", .flag = &hex },
		{ .name = "string", .flag = &str },
		{ .name = "utf16", .flag = &wide },
		{ .name = "u32", .flag = &u32 },
		{ .name = "u64", .flag = &u64 },
		{ .name = "align", .value = true, .str = &align_s, .set = ptdbg_opt_positive },
		{ .name = "max", .value = true, .str = &max_s, .set = ptdbg_opt_positive },
		{ .name = "range", .value = true, .str = &range },
		{ .name = "flags", .value = true, .str = &flags },
		{ .name = "user", .flag = &user },
		{ .name = "kernel", .flag = &kernel },
		PTDBG_OPT_END,
	};
	char *pos[1] = { NULL };
	int npos;
	if (ptdbg_cmd_parse(s, opts, argc, argv, 0, pos, 1, &npos))
		return PTDBG_EXIT_ERROR;
	if (npos == 0) {
		ptdbg_usage_err(s, "what to search for? (ptdump search PATTERN)");
		return PTDBG_EXIT_ERROR;
	}
	if (hex + str + u32 + u64 > 1) {
		ptdbg_usage_err(s, "options '--hex', '--string', '--u32' and '--u64' exclude each other");
		return PTDBG_EXIT_ERROR;
	}
	if (wide && (hex || u32 || u64)) {
		ptdbg_usage_err(s, "option '--utf16' goes with a string only");
		return PTDBG_EXIT_ERROR;
	}
	if (user && kernel) {
		ptdbg_usage_err(s, "options '--user' and '--kernel' exclude each other");
		return PTDBG_EXIT_ERROR;
	}
	static uint8_t pat[PTDBG_SEARCH_MAX_LEN];
	size_t len = 0;
	unsigned align = 1;
	const char *what = "string";
	if (hex) {
		what = "pattern";
		len = parse_hex(pos[0], pat, sizeof(pat));
		if (!len) {
			ptdbg_usage_err(s, "--hex takes pairs of hex digits (up to %u bytes), not '%s'",
					PTDBG_SEARCH_MAX_LEN, pos[0]);
			return PTDBG_EXIT_ERROR;
		}
	} else if (u32 || u64) {
		uint64_t v;
		what = u32 ? "u32" : "u64";
		if (ptdbg_parse_u64(pos[0], &v) || (u32 && v > UINT32_MAX)) {
			ptdbg_usage_err(s, "--%s takes a %s-bit number, not '%s'", what, u32 ? "32" : "64", pos[0]);
			return PTDBG_EXIT_ERROR;
		}
		len = u32 ? 4 : 8;
		for (size_t i = 0; i < len; i++)
			pat[i] = (uint8_t)(v >> (8 * i)); /* little-endian, as x86 and AArch64 store it */
		align = (unsigned)len;
	} else if (wide) {
		what = "UTF-16 string";
		len = utf16(pos[0], pat, sizeof(pat));
		align = 2;
		if (!len) {
			ptdbg_usage_err(s, "--utf16 takes a UTF-8 string of up to %u bytes in UTF-16", PTDBG_SEARCH_MAX_LEN);
			return PTDBG_EXIT_ERROR;
		}
	} else {
		len = strlen(pos[0]);
		if (!len || len > sizeof(pat)) {
			ptdbg_usage_err(s, "the string must have 1 to %u bytes", PTDBG_SEARCH_MAX_LEN);
			return PTDBG_EXIT_ERROR;
		}
		memcpy(pat, pos[0], len);
	}
	if (align_s) {
		uint64_t a;
		ptdbg_parse_u64(align_s, &a);
		if (a > 4096 || (a & (a - 1))) {
			ptdbg_usage_err(s, "option '--align' takes a power of two up to 4096, not '%s'", align_s);
			return PTDBG_EXIT_ERROR;
		}
		align = (unsigned)a;
	}
	uint64_t max = PTDBG_SEARCH_MAX_HITS;
	if (max_s)
		ptdbg_parse_u64(max_s, &max);
	struct search_walk w = { 0 };
	if (range && pt_parse_range(s, range, &w.lo, &w.hi))
		return PTDBG_EXIT_ERROR;
	uint32_t a64_set = 0, a64_clear = 0;
	bool a64_flags = false;
	if (flags) {
		char bad[64];
		/* words AArch64 knows are taken once the target is known; others must be x86's */
		a64_flags = !ptdbg_arm64_parse_flags(flags, &a64_set, &a64_clear, bad, sizeof(bad));
		if (!a64_flags && pt_parse_flags(s, flags, &w.need_set, &w.need_clear))
			return PTDBG_EXIT_ERROR;
	}
	if (sel.all_spaces && (sel.as_name || sel.cr3 || sel.all)) {
		ptdbg_usage_err(s, "options '--as', '--cr3', '--all' and '--all-spaces' exclude each other");
		return PTDBG_EXIT_ERROR;
	}
	struct pt_space *sp;
	size_t n;
	int rc = pt_space_resolve(s, &sel, &sp, &n);
	if (rc)
		return rc;
	if (sp[0].a64) {
		if (flags && !a64_flags) {
			char bad[64];
			ptdbg_arm64_parse_flags(flags, &a64_set, &a64_clear, bad, sizeof(bad));
			ptdbg_session_err(s, "--flags: unknown flag '%s' (w, ro, x, nx, u, k, uw, ux, g, ng, af, noaf)", bad);
			free(sp);
			return PTDBG_EXIT_ERROR;
		}
		w.need_set = a64_set;
		w.need_clear = a64_clear;
	} else if (a64_flags && pt_parse_flags(s, flags, &w.need_set, &w.need_clear)) {
		free(sp);
		return PTDBG_EXIT_ERROR;
	}

	struct ptdbg_search srch = { .pat = pat, .len = len, .align = align, .max = (size_t)max };
	w.srch = &srch;
	struct ptdbg_walk_budget budget;
	ptdbg_budget_init(&budget);
	pt_progress_start(&w.progress, s, "walking");
	uint64_t rlo = w.lo, rhi = w.hi;
	for (size_t k = 0; k < n && rc == 0; k++) {
		uint64_t flo = rlo, fhi = rhi ? rhi - 1 : UINT64_MAX;
		if ((user || kernel) && sp[k].a64) {
			/* the halves: TTBR0's below bit 63, TTBR1's above */
			if (user && fhi > (1ull << 63) - 1)
				fhi = (1ull << 63) - 1;
			if (kernel && flo < (1ull << 63))
				flo = 1ull << 63;
		} else if (user || kernel) {
			uint64_t half = ptdbg_x86_canonical(&sp[k].cpu, 1ull << (ptdbg_x86_va_bits(&sp[k].cpu) - 1));
			if (user && fhi > (1ull << (ptdbg_x86_va_bits(&sp[k].cpu) - 1)) - 1)
				fhi = (1ull << (ptdbg_x86_va_bits(&sp[k].cpu) - 1)) - 1;
			if (kernel && flo < half)
				flo = half;
		}
		w.space = k;
		w.lo = flo;
		w.hi = fhi == UINT64_MAX ? 0 : fhi + 1;
		if (flo > fhi)
			continue;
		int wr = pt_walk_space_range(s, sp, n, k, n > 1, flo, fhi, &budget, search_visit, &w);
		if (wr == PTDBG_ENOMEM) {
			ptdbg_session_err(s, "out of memory after %zu mappings to search: narrow the search "
					  "(--range, --flags, --as)", srch.nmaps);
			rc = PTDBG_EXIT_ERROR;
		} else if (wr) {
			rc = pt_walk_error(s, wr);
		}
	}
	pt_progress_end(&w.progress);
	if (rc == 0) {
		struct pt_progress prog;
		pt_progress_start(&prog, s, "searching");
		srch.progress = frames_progress;
		srch.progress_ctx = &prog;
		int sr = ptdbg_search_run(s->t, &srch);
		pt_progress_end(&prog);
		if (sr == PTDBG_ENOMEM) {
			ptdbg_session_err(s, "out of memory ordering %zu mappings to search: narrow the search "
					  "(--range, --flags, --as)", srch.nmaps);
			rc = PTDBG_EXIT_ERROR;
		} else if (sr) {
			rc = pt_walk_error(s, sr);
		}
	}
	if (rc == 0 && s->json) {
		struct ptdbg_json *j = ptdbg_session_json(s);
		char hexs[2 * PTDBG_SEARCH_MAX_LEN + 1];
		for (size_t i = 0; i < len; i++)
			snprintf(hexs + 2 * i, 3, "%02x", pat[i]);
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "pattern", hexs);
		ptdbg_json_uint_field(j, "size", len);
		ptdbg_json_uint_field(j, "align", align);
		ptdbg_json_uint_field(j, "frames", srch.frames);
		ptdbg_json_uint_field(j, "unreadable_frames", srch.unreadable);
		ptdbg_json_bool_field(j, "truncated", srch.truncated);
		ptdbg_json_name(j, "hits");
		ptdbg_json_start_array(j);
		for (size_t i = 0; i < srch.nhits; i++) {
			const struct ptdbg_search_hit *h = &srch.hits[i];
			const struct ptdbg_search_map *m = &srch.maps[h->map];
			ptdbg_json_start_object(j);
			ptdbg_json_string_field(j, "space", sp[m->space].name);
			ptdbg_json_hex_field(j, "va", h->va);
			ptdbg_json_hex_field(j, "pa", h->pa);
			ptdbg_json_bits(j, "flags", pt_space_perm_bits(&sp[m->space]), m->perm.flags);
			ptdbg_json_end_object(j);
		}
		ptdbg_json_end_array(j);
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
	} else if (rc == 0) {
		fprintf(s->out, "%s of %zu bytes: %zu hits in %llu frames read from %zu address space%s%s\n", what, len,
			srch.nhits, (unsigned long long)srch.frames, n, n == 1 ? "" : "s",
			srch.truncated ? " (more not shown: --max)" : "");
		for (size_t i = 0; i < srch.nhits; i++) {
			const struct ptdbg_search_hit *h = &srch.hits[i];
			const struct ptdbg_search_map *m = &srch.maps[h->map];
			char fl[128], sym[128] = "";
			ptdbg_bits_format(pt_space_perm_bits(&sp[m->space]), m->perm.flags, " ", fl, sizeof(fl));
			ptdbg_session_symbolize(s, h->va, sym, sizeof(sym));
			fprintf(s->out, "%-20s va 0x%016llx  pa 0x%016llx  %s%s%s\n", sp[m->space].name,
				(unsigned long long)h->va, (unsigned long long)h->pa, fl, sym[0] ? "  " : "", sym);
		}
		if (srch.unreadable)
			ptdbg_session_err(s, "%llu frames could not be read", (unsigned long long)srch.unreadable);
	}
	if (budget.skipped) {
		char msg[256];
		ptdbg_session_err(s, "partial: %s",
				  ptdbg_budget_message(&budget, n, "address spaces", "searched", msg, sizeof(msg)));
	}
	ptdbg_search_free(&srch);
	free(sp);
	fflush(s->out);
	return rc;
}
