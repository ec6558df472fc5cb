/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the VT-d decoder over a memory image: the register file of a unit,
 * the root/context/PASID lookup and the context dump, the second-level walker with
 * the mapping printer, single-IOVA translation, and the ACPI DMAR parser.
 *
 * Input: a 48-byte parameter block, then guest physical memory as a sparse image
 * (fuzz_input.h: records of u64 address, u16 length, bytes).
 *   0  u64 root table (RTADDR)    8 u16 requester id   10 flags   11 levels (walk)
 *   12 u32 PASID (0xffffffff: none)   16 u64 IOVA
 *   24 haw  25 mgaw  26 sagaw  27 sllps   28 u32 register file base
 *   32 u64 second-level table for a direct walk
 *   40 u32 physical address of a DMAR table (up to 4 KiB are read from it)
 *   44 bit 0: pages the image does not hold read as zeros (else they are holes);
 *      bit 1: the rest is instead a flat image from address 0 (the format before
 *      the sparse one, anything past its end a hole: legacy, which the robustness
 *      suite also serves from a fake stub, is one)
 *   45 bit 0: the JSON printers, else the text ones; bit 1: the whole context
 *      dump (the buses and devices of the root table)   46-47 unused
 * flags: bit 0 scalable, 1 legacy fault codes, 2 ECAP.SC, 3 ECAP.DT, 4 ECAP.PT,
 *        5 write access, 6 IOVA filter (walks cover [IOVA, IOVA + 1 GiB)), 7 JSON pretty
 *
 * Each walk runs once within small budgets (FZ_VTD_*, below), its events going to
 * one printer: text or JSON, as byte 45 picks. Both on every input spent most of an
 * execution formatting a context dump twice; the corpus keeps both kinds. The
 * whole context dump (up to 65,536 devices, each looked up and formatted field by
 * field) runs when byte 45 asks for it, over at most FZ_VTD_CONTEXTS devices: a
 * campaign's corpus fills with full root tables, and those spent most of each
 * execution printing one context table again and again.
 */
#include <stdlib.h>

#include "vtd/acpi_dmar.h"
#include "fuzz_input.h"
#include "out/json.h"
#include "target/mem.h"
#include "vtd/vtd_fault.h"
#include "vtd/vtd_regs.h"
#include "vtd/vtd_tables.h"
#include "vtd/vtd_print.h"
#include "vtd/vtd_walk.h"

#define HDR 48
/* Small budgets keep an input to a millisecond or two: a walk of a few tables and
 * 128 leaves, or 32 fault records, runs every branch a larger one would (the default
 * budgets are exercised end to end by tests/integration/robust.sh). */
#define FZ_VTD_NODES  16  /* table visits per walk */
#define FZ_VTD_LEAVES 128 /* leaves per walk */
#define FZ_VTD_FRCD   32  /* fault records shown (CAP.NFR allows 256) */
#define FZ_VTD_CONTEXTS 64 /* device contexts of the whole context dump (65,536 fit) */

/* A JSON writer on the sink, pretty or not. */
static struct ptdbg_json *json(bool pretty)
{
	struct ptdbg_json *j = ptdbg_json_new(fz_sink());
	if (j)
		ptdbg_json_pretty(j, pretty);
	return j;
}

/* A visitor (ptdbg_walk_visit_fn) passing each event to a mapping printer. */
static int visit_printer(void *ctx, const struct ptdbg_walk_event *ev)
{
	return vtd_map_printer_visit(ctx, ev);
}

/* Walk cfg once, into the JSON mapping printer (j) or the text one (j NULL). */
static void walk_print(struct ptdbg_mem *mem, const struct vtd_walk_cfg *cfg, struct ptdbg_json *j)
{
	struct vtd_map_printer p;
	struct ptdbg_walk_result res;

	if (j)
		ptdbg_json_start_array(j);
	vtd_map_printer_init(&p, j ? NULL : fz_sink(), j);
	vtd_walk(mem, cfg, visit_printer, &p, &res);
	vtd_map_printer_flush(&p);
	if (j)
		ptdbg_json_end_array(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vtd_regs regs;
	static struct acpi_dmar_info dmar;
	struct fz f = { data, size, 0 };
	uint64_t root_table = fz_u64(&f);
	uint16_t bdf = fz_u16(&f);
	uint8_t flags = fz_u8(&f), levels = fz_u8(&f);
	uint32_t pasid = fz_u32(&f);
	uint64_t iova = fz_u64(&f);
	struct vtd_hw hw = { 0 };
	hw.haw = fz_u8(&f) % 65;
	hw.mgaw = fz_u8(&f) % 65;
	hw.sagaw = fz_u8(&f) & 0x1f;
	hw.sllps = fz_u8(&f) & 3;
	hw.scalable = flags & 1;
	hw.legacy_reasons = flags & 2;
	hw.sc = flags & 4;
	hw.dt = flags & 8;
	hw.pt = flags & 16;
	bool write = flags & 32, pretty = flags & 0x80;
	uint64_t regs_base = fz_u32(&f);
	uint64_t sl_root = fz_u64(&f);
	uint32_t dmar_pa = fz_u32(&f);
	uint8_t image_flags = fz_u8(&f);
	uint8_t printers = fz_u8(&f);
	bool use_json = printers & 1, ctx_dump = printers & 2;
	static struct fz_mem image;
	FILE *sink = fz_sink();
	size_t len = 0;
	const uint8_t *flat = image_flags & 2 ? fz_rest(&f, HDR, &len) : NULL;

	f.off = HDR;
	if (!flat)
		fz_mem_load(&image, &f);
	struct ptdbg_target *t = flat ? ptdbg_image_open(flat, 0, len, NULL)
				      : fz_mem_open(&image, image_flags & 1, NULL);
	struct ptdbg_mem *mem = t ? ptdbg_mem_new(t, 64 * PTDBG_PAGE_SIZE) : NULL;
	if (!mem)
		goto out;

	/* The register file, and the hardware description taken from it. */
	if (vtd_regs_read(t, regs_base, &regs) == 0) {
		struct vtd_unit_info info;
		struct vtd_hw rhw;
		struct ptdbg_json *j;

		/* The printers show every fault record the same way: the first
		 * FZ_VTD_FRCD cover them, and the clamped case besides. */
		if (regs.nfrcd > FZ_VTD_FRCD) {
			regs.nfrcd = FZ_VTD_FRCD;
			regs.frcd_clamped = true;
		}
		vtd_regs_info(&regs, &info);
		vtd_hw_from_regs(&rhw, &regs, hw.haw);
		if (!use_json) {
			vtd_regs_print(sink, &regs);
			vtd_faults_print(sink, &regs, true);
		} else if ((j = json(pretty))) {
			ptdbg_json_start_array(j);
			vtd_regs_json(j, &regs);
			vtd_faults_json(j, &regs, false);
			ptdbg_json_end_array(j);
			ptdbg_json_free(j);
		}
	}

	/* Requester lookup, the whole context dump, and a device translation. */
	struct vtd_dev_lookup l;
	if (vtd_dev_lookup(mem, &hw, root_table, bdf, pasid, &l) == 0) {
		struct ptdbg_json *j = use_json ? json(pretty) : NULL;

		if (j)
			vtd_lookup_json(j, &l);
		else
			vtd_lookup_print(sink, &l);
		if (l.xlate == VTD_XL_SECOND_LEVEL || l.xlate == VTD_XL_NESTED) {
			struct vtd_walk_cfg cfg;

			vtd_walk_cfg_from_lookup(&cfg, &hw, &l);
			cfg.max_nodes = FZ_VTD_NODES;
			cfg.max_leaves = FZ_VTD_LEAVES;
			walk_print(mem, &cfg, j);
		}
		ptdbg_json_free(j);
	}
	struct ptdbg_json *j = use_json ? json(pretty) : NULL;
	if (j)
		ptdbg_json_start_array(j); /* one document: the rest are its items */
	if (ctx_dump && j)
		vtd_ctx_dump_json(j, mem, &hw, root_table, FZ_VTD_CONTEXTS);
	else if (ctx_dump)
		vtd_ctx_dump_print(sink, mem, &hw, root_table, FZ_VTD_CONTEXTS);
	struct vtd_dev_translation dt;
	if (vtd_translate_dev(mem, &hw, root_table, bdf, pasid, iova, write, &dt) == 0) {
		if (j)
			vtd_translation_json(j, &dt);
		else
			vtd_translation_print(sink, &dt);
	}

	/* A second-level table walked and translated directly. */
	struct vtd_walk_cfg cfg = {
		.hw = hw, .root = sl_root, .levels = levels % 7,
		.iova_filter = flags & 0x40, .iova_first = iova, .iova_last = iova + (1ull << 30),
		.max_nodes = FZ_VTD_NODES, .max_leaves = FZ_VTD_LEAVES,
	};
	if (cfg.iova_last < cfg.iova_first)
		cfg.iova_last = UINT64_MAX;
	walk_print(mem, &cfg, j);
	struct ptdbg_translation tr;
	vtd_translate(mem, &cfg, levels >> 4 ? (levels >> 4) * 4 : 0, iova, write, &tr);

	/* The DMAR table parser on whatever lies at the address given: 4 KiB, or up
	 * to the end of its page when the next one is a hole. */
	static uint8_t table[4096];
	size_t tlen = sizeof(table), part = 4096 - (dmar_pa & 0xfff);
	int got = ptdbg_read_phys(t, dmar_pa, table, tlen);
	if (got != 0 && part < tlen && ptdbg_read_phys(t, dmar_pa, table, part) == 0) {
		tlen = part;
		got = 0;
	}
	if (got == 0) {
		acpi_dmar_parse(table, tlen, &dmar);
		if (j)
			acpi_dmar_json(j, &dmar);
		else
			acpi_dmar_print(sink, &dmar);
	}
	if (j)
		ptdbg_json_end_array(j);
	ptdbg_json_free(j);
out:
	ptdbg_mem_free(mem);
	if (t)
		ptdbg_target_close(t);
	return 0;
}
