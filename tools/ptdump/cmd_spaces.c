/* SPDX-License-Identifier: MIT */
/* ptdump spaces: every address space of the guest, with or without the debug region. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptdump.h"

struct count {
	uint64_t leaves, bytes;
};

static int count_visit(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct count *c = ctx;
	if (ev->kind == PTDBG_EV_LEAF) {
		c->leaves++;
		c->bytes += ev->size;
	}
	return 0;
}

static const char *kind_name(uint32_t kind)
{
	return kind == PTDBG_AS_KERNEL ? "kernel" : kind == PTDBG_AS_USER ? "user" : "unknown";
}

/* "513.5 MiB" for a byte count. */
static void human(uint64_t b, char *buf, size_t len)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)b;
	unsigned u = 0;
	while (u < 4 && v >= 1024) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%llu B", (unsigned long long)b);
	else
		snprintf(buf, len, "%.1f %s", v, unit[u]);
}

int cmd_spaces(struct ptdbg_session *s, int argc, char **argv)
{
	bool scan = false;
	const struct ptdbg_opt opts[] = {
		{ .name = "scan", .flag = &scan },
		PTDBG_OPT_END,
	};
	int npos;
	if (ptdbg_cmd_parse(s, opts, argc, argv, 0, NULL, 0, &npos))
		return PTDBG_EXIT_ERROR;
	struct pt_space *sp;
	size_t n;
	bool scanned;
	struct ptdbg_ram ram;
	uint64_t unreadable = 0;
	int rc = pt_spaces_find(s, scan, &sp, &n, &scanned, &ram, &unreadable);
	if (rc)
		return rc;
	struct count *c = calloc(n, sizeof(*c));
	if (!c) {
		free(sp);
		ptdbg_session_err(s, "out of memory");
		return PTDBG_EXIT_ERROR;
	}
	struct ptdbg_walk_budget budget;
	ptdbg_budget_init(&budget);
	for (size_t k = 0; k < n && rc == 0; k++)
		rc = pt_walk_space(s, sp, n, k, sp[k].a64, &budget, count_visit, &c[k]); /* AArch64: its root's half */
	if (rc) {
		free(c);
		free(sp);
		return rc;
	}
	if (s->json) {
		struct ptdbg_json *j = ptdbg_session_json(s);
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "found", scanned ? "scan" : "region");
		if (scanned) {
			ptdbg_json_name(j, "ram");
			ptdbg_json_start_object(j);
			ptdbg_json_string_field(j, "source", ram.source);
			ptdbg_json_uint_field(j, "size", ptdbg_ram_bytes(&ram));
			ptdbg_json_uint_field(j, "unreadable_frames", unreadable);
			ptdbg_json_end_object(j);
		}
		ptdbg_json_name(j, "spaces");
		ptdbg_json_start_array(j);
		for (size_t k = 0; k < n; k++) {
			ptdbg_json_start_object(j);
			ptdbg_json_string_field(j, "space", sp[k].name);
			ptdbg_json_string_field(j, "kind", kind_name(sp[k].kind));
			ptdbg_json_hex_field(j, "root", pt_space_root(&sp[k]));
			ptdbg_json_uint_field(j, "levels", pt_space_levels(&sp[k]));
			if (sp[k].a64)
				ptdbg_json_string_field(j, "half", sp[k].half ? "TTBR1" : "TTBR0");
			ptdbg_json_string_field(j, "how", sp[k].how ? sp[k].how : "region");
			ptdbg_json_string_field(j, "confidence", sp[k].sure ? sp[k].sure : "certain");
			if (sp[k].why[0])
				ptdbg_json_string_field(j, "why", sp[k].why);
			ptdbg_json_uint_field(j, "leaves", c[k].leaves);
			ptdbg_json_uint_field(j, "mapped", c[k].bytes);
			ptdbg_json_bool_field(j, "current", sp[k].current);
			ptdbg_json_end_object(j);
		}
		ptdbg_json_end_array(j);
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
	} else {
		if (scanned) {
			char rb[32];
			human(ptdbg_ram_bytes(&ram), rb, sizeof(rb));
			fprintf(s->out, "%zu address spaces found in %s of RAM (layout from %s)", n, rb, ram.source);
			if (unreadable)
				fprintf(s->out, ", %llu frames unreadable", (unsigned long long)unreadable);
			fputs("\n", s->out);
		} else {
			fprintf(s->out, "%zu address spaces from the debug region\n", n);
		}
		fprintf(s->out, "%-24s %-6s %-18s %-6s %-14s %8s %10s %s\n", "SPACE", "KIND", "ROOT", "LEVELS",
			"HOW", "LEAVES", "MAPPED", "CURRENT");
		for (size_t k = 0; k < n; k++) {
			char mb[32];
			human(c[k].bytes, mb, sizeof(mb));
			char how[32];
			snprintf(how, sizeof(how), "%s%s%s", sp[k].how ? sp[k].how : "region", sp[k].sure ? ", " : "",
				 sp[k].sure ? sp[k].sure : "");
			fprintf(s->out, "%-24s %-6s 0x%016llx %-6u %-14s %8llu %10s %s\n", sp[k].name,
				kind_name(sp[k].kind), (unsigned long long)pt_space_root(&sp[k]),
				pt_space_levels(&sp[k]), how, (unsigned long long)c[k].leaves, mb,
				sp[k].current ? "yes" : "");
			if (sp[k].why[0] && s->topts.verbose)
				fprintf(s->out, "%24s %s\n", "", sp[k].why);
		}
	}
	if (budget.skipped) {
		char msg[256];
		ptdbg_session_err(s, "partial: %s",
				  ptdbg_budget_message(&budget, n, "address spaces", "counted", msg, sizeof(msg)));
	}
	free(c);
	free(sp);
	fflush(s->out);
	return 0;
}
