/* SPDX-License-Identifier: MIT */
/*
 * iommudump's command table, its own options and help texts, without main(), so
 * that the same commands can be built into the command-line tool and into the gdb
 * commands.
 */
#include <stdio.h>
#include <string.h>

#include "iommudump.h"
#include "out/json.h"

#define IOMMUDUMP_VERSION "0.1"

static const char unit_help[] =
	"Unit options:\n"
	"      --drhd ADDR        the remapping unit's register base (default: from the\n"
	"                         guest's ACPI DMAR table, else the debug region)\n"
	"      --fault-codes auto|spec|legacy  fault reasons walk gives in scalable mode:\n"
	"                         the specification's (0x30-0x90) or the legacy ones QEMU\n"
	"                         7.2 records (auto: legacy if the unit reports version 1.0)\n"
	"      --smmu ADDR        an Arm SMMUv3's register base (default on AArch64: from\n"
	"                         the debug region, the device tree, the ACPI IORT, or\n"
	"                         QEMU's memory tree)\n";

const struct ptdbg_cmd iod_cmds[] = {
	{ "ctx", cmd_ctx, "[BDF] [options]", "root and context entries, decoded (legacy and scalable)",
	  "  --pasid N           the PASID to look up under BDF (scalable mode; default RID_PASID)\n", false },
	{ "regs", cmd_regs, "[options]", "every register of the unit, field by field",
	  "  --dmar              also the ACPI DMAR table the unit was found in\n"
	  "  --iort              also the ACPI IORT: its nodes, ID mappings, and which SMMU\n"
	  "                      serves which requester ids\n", false },
	{ "faults", cmd_faults, "[options]", "the fault-recording registers, decoded",
	  "  --all               also the records that hold no fault\n", false },
	{ "dump", cmd_dump, "BDF [options]", "the device's mappings, coalesced",
	  "  --range A-B         only IOVAs in [A, B)\n"
	  "  --pasid N           the PASID whose table to dump (scalable mode)\n", false },
	{ "walk", cmd_walk, "BDF IOVA [options]", "translate one IOVA as the unit would, level by level",
	  "  --write             a write request (default: a read)\n"
	  "  --pasid N           a request with PASID N (scalable mode)\n", false },
	{ "check", cmd_check, "[options]", "find what is wrong; exit 1 if anything is",
	  "  --kind LIST         only these finding kinds (comma-separated)\n", false },
	{ "bufs", cmd_bufs, "[options]", "the kernel's device domains and DMA buffers (debug region)", NULL,
	  false },
	{ "save", cmd_save, "FILE [options]", "save a snapshot of every device domain's mappings", NULL,
	  false },
	{ "diff", cmd_diff, "A [B] [options]", "compare snapshot A with snapshot B, or with the live VM",
	  NULL, true },
	{ NULL, NULL, NULL, NULL, NULL, false },
};

static void cmd_usage(const struct ptdbg_cmd *c, FILE *out)
{
	fprintf(out, "Usage: iommudump %s %s\n%s.\n", c->name, c->args, c->summary);
	if (c->help)
		fprintf(out, "\nOptions:\n%s", c->help);
	if (strstr(c->args, "BDF"))
		fprintf(out, "\nBDF is bb:dd.f, dd.f (bus 0), a requester id number, or a device name\n"
			     "from the kernel's debug region. On an SMMUv3 it is the stream id (a number,\n"
			     "or bb:dd.f for the requester id QEMU's virt machine uses as stream id), and\n"
			     "--pasid N is the substream id.\n");
	fprintf(out, "\n%s\n%s", unit_help, ptdbg_session_opts_help);
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: iommudump [COMMAND] [options]\n"
		"Decode, walk, check, save and diff the Intel VT-d or Arm SMMUv3 state of a QEMU guest, from\n"
		"its memory and registers, through QEMU's gdbstub or a dump-guest-memory core file.\n\n"
		"Commands (unique prefixes work; default: ctx):\n");
	for (const struct ptdbg_cmd *c = iod_cmds; c->name; c++)
		fprintf(out, "  %-7s %-19s %s\n", c->name, c->args, c->summary);
	fprintf(out, "\n%s\n%s\n"
		"Exit status: 0 success (check: no warning or error), 1 check or diff found something, 2 error.\n"
		"iommudump COMMAND --help shows a command's options; man iommudump has the details.\n",
		unit_help, ptdbg_session_opts_help);
}

static const char *set_fault_codes(void *dst, const char *v)
{
	return strcmp(v, "auto") && strcmp(v, "spec") && strcmp(v, "legacy") ? "auto, spec or legacy" : NULL;
}

/* --drhd and --fault-codes, anywhere on the line (cmdline.h). */
static void iod_opts(void *store, struct ptdbg_opt tab[PTDBG_PROG_NOPTS])
{
	struct iod_opts *o = store;
	tab[0] = (struct ptdbg_opt){ .name = "drhd", .value = true, .str = &o->drhd, .set = ptdbg_opt_pa };
	tab[1] = (struct ptdbg_opt){ .name = "fault-codes", .value = true, .str = &o->fault_codes,
				     .set = set_fault_codes };
	tab[2] = (struct ptdbg_opt){ .name = "smmu", .value = true, .str = &o->smmu, .set = ptdbg_opt_pa };
	tab[3] = (struct ptdbg_opt)PTDBG_OPT_END;
}

/* The program: its name, version, commands, options and help (cmdline.h). */
const struct ptdbg_cmd_prog iommudump_prog = {
	.name = "iommudump",
	.version = IOMMUDUMP_VERSION,
	.cmds = iod_cmds,
	.usage = usage,
	.cmd_usage = cmd_usage,
	.opts_size = sizeof(struct iod_opts),
	.opts = iod_opts,
	.regs_on_demand = true, /* only the architecture, and CR3/TTBR1 for check */
	.iommu_table_ahead = true, /* the DMAR, for the table commands */
};

void iod_print_panic(struct ptdbg_session *s, struct ptdbg_json *j)
{
	const struct ptdbg_region *h = &s->region.hdr;
	if (!s->have_region || !(h->flags & PTDBG_REGION_F_PANICKED))
		return;
	char msg[sizeof(h->panic.msg) + 1], file[sizeof(h->panic.file) + 1];
	ptdbg_name_copy(msg, h->panic.msg, sizeof(h->panic.msg));
	ptdbg_name_copy(file, h->panic.file, sizeof(h->panic.file));
	if (j) {
		ptdbg_json_name(j, "panic");
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "message", msg);
		ptdbg_json_string_field(j, "file", file);
		ptdbg_json_uint_field(j, "line", h->panic.line);
		ptdbg_json_end_object(j);
	} else {
		fprintf(s->out, "the kernel panicked: %s (%s:%u)\n", msg, file, h->panic.line);
	}
}

void iod_record_runs_end(struct iod_record_runs *r)
{
	if (!r->open)
		return;
	if (r->first == r->last)
		fprintf(r->out, "record %u: %s\n", r->first, r->what);
	else
		fprintf(r->out, "records %u-%u: %s\n", r->first, r->last, r->what);
	r->open = false;
}

void iod_record_run(struct iod_record_runs *r, unsigned index, const char *what)
{
	if (r->open && index == r->last + 1 && !strcmp(what, r->what)) {
		r->last = index;
		return;
	}
	iod_record_runs_end(r);
	r->first = r->last = index;
	snprintf(r->what, sizeof(r->what), "%s", what);
	r->open = true;
}

void iod_print_buf_line(struct ptdbg_session *s, const char *name, const struct ptdbg_dma_buf *b,
			const char *now)
{
	fprintf(s->out, "  %-16s 0x%016llx 0x%016llx %10llu %-11s %-12s %s\n", name, (unsigned long long)b->iova,
		(unsigned long long)b->phys, (unsigned long long)b->len, ptdbg_dma_dir_name(b->dir),
		ptdbg_dma_status_name(b->status), now);
}

void iod_json_buf_fields(struct ptdbg_json *j, const struct ptdbg_dma_buf *b, bool valid, bool translated,
			 uint64_t pa)
{
	ptdbg_json_hex_field(j, "iova", b->iova);
	ptdbg_json_hex_field(j, "pa", b->phys);
	ptdbg_json_uint_field(j, "size", b->len);
	ptdbg_json_string_field(j, "dir", ptdbg_dma_dir_name(b->dir));
	ptdbg_json_string_field(j, "status", ptdbg_dma_status_name(b->status));
	if (valid) {
		ptdbg_json_bool_field(j, "translated", translated);
		if (translated)
			ptdbg_json_hex_field(j, "translated_pa", pa);
	}
}

void iod_print_no_tables(struct ptdbg_session *s, const char *prefix, const char *name, const char *state,
			 const char *table_key, bool enabled)
{
	if (s->json) {
		struct ptdbg_json *j = ptdbg_session_json(s);
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "device", name);
		ptdbg_json_bool_field(j, table_key, false);
		ptdbg_json_bool_field(j, "translation_enabled", enabled);
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
	} else {
		fprintf(s->out, "%s\n%s%s has no tables to walk\n", state, prefix, name);
	}
}
