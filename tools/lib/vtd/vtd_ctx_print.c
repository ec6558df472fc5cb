/* SPDX-License-Identifier: MIT */
/*
 * Printers of VT-d root, context and PASID structures: one device lookup as a trace,
 * and the context dump of iommudump ctx (see vtd_print.h).
 */
#include <string.h>

#include "out/json.h"
#include "vtd/vtd_fault.h"
#include "vtd/vtd_print.h"
#include "vtd/vtd_regs.h"

/* ---- printers ---- */

static void print_entry(FILE *out, const char *what, uint64_t pa, const struct ptdbg_layout *l,
			const uint64_t *w, unsigned nwords)
{
	char buf[512];
	ptdbg_layout_format(l, w, " ", buf, sizeof(buf));
	fprintf(out, "  %-22s @0x%llx:", what, (unsigned long long)pa);
	for (unsigned i = nwords; i-- > 0;)
		fprintf(out, " %016llx", (unsigned long long)w[i]);
	fprintf(out, "\n      %s\n", buf);
}

void vtd_lookup_print(FILE *out, const struct vtd_dev_lookup *l)
{
	char bdf[16];
	fprintf(out, "device %s%s", vtd_bdf_str(l->bdf, bdf, sizeof(bdf)),
		l->scalable ? " (scalable mode)" : " (legacy mode)");
	if (l->scalable && l->stage >= VTD_STAGE_PASID_DIR)
		fprintf(out, " pasid 0x%x", l->pasid);
	fprintf(out, ", root table 0x%llx\n", (unsigned long long)l->root_table);
	if (l->stage >= VTD_STAGE_ROOT && !(l->stage == VTD_STAGE_ROOT && l->read_err))
		print_entry(out, "root entry", l->root_pa,
			    l->scalable ? &vtd_layout_smroot : &vtd_layout_root, l->root, 2);
	if (l->stage >= VTD_STAGE_CONTEXT && !(l->stage == VTD_STAGE_CONTEXT && l->read_err))
		print_entry(out, "context entry", l->ctx_pa,
			    l->scalable ? &vtd_layout_smctx : &vtd_layout_ctx, l->ctx,
			    l->scalable ? 4 : 2);
	if (l->scalable && l->stage >= VTD_STAGE_PASID_DIR &&
	    !(l->stage == VTD_STAGE_PASID_DIR && l->read_err))
		print_entry(out, "PASID directory entry", l->pde_pa, &vtd_layout_pasid_dir, &l->pde, 1);
	if (l->scalable && l->stage >= VTD_STAGE_PASID_ENTRY &&
	    !(l->stage == VTD_STAGE_PASID_ENTRY && l->read_err))
		print_entry(out, "PASID table entry", l->pe_pa, &vtd_layout_pasid_entry, l->pe, 8);
	if (l->reason) {
		fprintf(out, "  stops at %s: fault reason 0x%02x (%s)", vtd_stage_name(l->stage),
			l->reason, vtd_fault_reason_name(l->reason));
		if (l->read_err)
			fprintf(out, ", read error %d", l->read_err);
		fputc('\n', out);
		for (int i = 0; i < 8; i++)
			if (l->rsvd[i])
				fprintf(out, "  reserved bits set in word %d: 0x%016llx\n", i,
					(unsigned long long)l->rsvd[i]);
		return;
	}
	fprintf(out, "  -> %s", vtd_xlate_name(l->xlate));
	if (l->xlate == VTD_XL_SECOND_LEVEL || l->xlate == VTD_XL_NESTED)
		fprintf(out, " table 0x%llx, %u-bit, %u levels", (unsigned long long)l->sl_root,
			l->aw_bits, l->levels);
	if (l->xlate == VTD_XL_FIRST_LEVEL || l->xlate == VTD_XL_NESTED)
		fprintf(out, " first-level table 0x%llx", (unsigned long long)l->fl_root);
	fprintf(out, ", domain %u%s\n", l->did, l->fpd ? ", FPD=1 (faults not recorded)" : "");
}

static void json_entry(struct ptdbg_json *j, const char *name, uint64_t pa,
		       const struct ptdbg_layout *l, const uint64_t *w, unsigned nwords)
{
	ptdbg_json_name(j, name);
	ptdbg_json_start_object(j);
	ptdbg_json_hex_field(j, "pa", pa);
	ptdbg_json_name(j, "raw");
	ptdbg_json_start_array(j);
	for (unsigned i = 0; i < nwords; i++)
		ptdbg_json_hex(j, w[i]);
	ptdbg_json_end_array(j);
	ptdbg_json_name(j, "fields");
	ptdbg_json_start_object(j);
	ptdbg_layout_json(j, l, w);
	ptdbg_json_end_object(j);
	ptdbg_json_end_object(j);
}

/* Members of a lookup inside the current JSON object. */
static void lookup_json_members(struct ptdbg_json *j, const struct vtd_dev_lookup *l,
				bool entries)
{
	char bdf[16];
	ptdbg_json_string_field(j, "bdf", vtd_bdf_str(l->bdf, bdf, sizeof(bdf)));
	ptdbg_json_bool_field(j, "scalable", l->scalable);
	if (l->scalable)
		ptdbg_json_uint_field(j, "pasid", l->pasid);
	if (entries) {
		if (l->stage >= VTD_STAGE_ROOT && !(l->stage == VTD_STAGE_ROOT && l->read_err))
			json_entry(j, "root_entry", l->root_pa,
				   l->scalable ? &vtd_layout_smroot : &vtd_layout_root, l->root, 2);
		if (l->stage >= VTD_STAGE_CONTEXT && !(l->stage == VTD_STAGE_CONTEXT && l->read_err))
			json_entry(j, "context_entry", l->ctx_pa,
				   l->scalable ? &vtd_layout_smctx : &vtd_layout_ctx, l->ctx,
				   l->scalable ? 4 : 2);
	}
	if (l->scalable && l->stage >= VTD_STAGE_PASID_DIR &&
	    !(l->stage == VTD_STAGE_PASID_DIR && l->read_err))
		json_entry(j, "pasid_dir_entry", l->pde_pa, &vtd_layout_pasid_dir, &l->pde, 1);
	if (l->scalable && l->stage >= VTD_STAGE_PASID_ENTRY &&
	    !(l->stage == VTD_STAGE_PASID_ENTRY && l->read_err))
		json_entry(j, "pasid_entry", l->pe_pa, &vtd_layout_pasid_entry, l->pe, 8);
	ptdbg_json_string_field(j, "stage", vtd_stage_name(l->stage));
	ptdbg_json_uint_field(j, "fault_reason", l->reason);
	if (l->reason) {
		ptdbg_json_string_field(j, "fault_reason_name", vtd_fault_reason_name(l->reason));
		if (l->read_err)
			ptdbg_json_int_field(j, "read_error", l->read_err);
		return;
	}
	ptdbg_json_string_field(j, "translation_type", vtd_xlate_name(l->xlate));
	if (l->xlate == VTD_XL_SECOND_LEVEL || l->xlate == VTD_XL_NESTED) {
		ptdbg_json_hex_field(j, "sl_root", l->sl_root);
		ptdbg_json_uint_field(j, "aw_bits", l->aw_bits);
		ptdbg_json_uint_field(j, "levels", l->levels);
	}
	if (l->xlate == VTD_XL_FIRST_LEVEL || l->xlate == VTD_XL_NESTED)
		ptdbg_json_hex_field(j, "fl_root", l->fl_root);
	ptdbg_json_uint_field(j, "did", l->did);
	ptdbg_json_bool_field(j, "fpd", l->fpd);
}

void vtd_lookup_json(struct ptdbg_json *j, const struct vtd_dev_lookup *l)
{
	ptdbg_json_start_object(j);
	lookup_json_members(j, l, true);
	ptdbg_json_end_object(j);
}

/* ---- the context dump ---- */

/* Callbacks of one dump walk, so that text and JSON share the traversal. */
struct dump_ops {
	void (*root_bad)(void *ctx, uint64_t pa, int err);
	void (*bus)(void *ctx, unsigned bus, uint64_t pa, const uint64_t re[2], bool sm);
	void (*bus_end)(void *ctx);
	void (*ctx_table_bad)(void *ctx, uint64_t pa, int err);
	void (*context)(void *ctx, const struct vtd_dev_lookup *l, bool present);
};

/* Walk the root table and its context tables into ops; at most max_contexts device
 * contexts (0: all), *truncated set when more were left out. */
static int dump_walk(struct ptdbg_mem *mem, const struct vtd_hw *hw, uint64_t root_table,
		     const struct dump_ops *ops, void *ctx, unsigned max_contexts, bool *truncated)
{
	unsigned shown = 0;

	*truncated = false;
	uint64_t rt = root_table & VTD_RTADDR_ADDR;
	uint64_t root[256][2];
	int rc = ptdbg_mem_prefetch(mem, &rt, 1);
	if (rc)
		return rc;
	rc = ptdbg_mem_read(mem, rt, root, sizeof(root));
	if (rc) {
		ops->root_bad(ctx, rt, rc);
		return ptdbg_link_error(rc) ? rc : 0;
	}
	/* Prefetch every context table in one batch. */
	uint64_t ctps[512];
	size_t nctp = 0;
	for (unsigned b = 0; b < 256; b++)
		for (unsigned h = 0; h < (hw->scalable ? 2u : 1u); h++)
			if (root[b][h] & VTD_ROOT_P)
				ctps[nctp++] = root[b][h] & VTD_ROOT_CTP & ~vtd_hw_addr_rsvd(hw);
	rc = ptdbg_mem_prefetch(mem, ctps, nctp);
	if (rc)
		return rc;

	for (unsigned b = 0; b < 256; b++) {
		if (!root[b][0] && !root[b][1])
			continue;
		ops->bus(ctx, b, rt + b * 16ull, root[b], hw->scalable);
		for (unsigned h = 0; h < (hw->scalable ? 2u : 1u); h++) {
			if (!(root[b][h] & VTD_ROOT_P))
				continue;
			uint64_t ctp = root[b][h] & VTD_ROOT_CTP & ~vtd_hw_addr_rsvd(hw);
			const uint8_t *page;
			rc = ptdbg_mem_page(mem, ctp, &page);
			if (rc) {
				ops->ctx_table_bad(ctx, ctp, rc);
				if (ptdbg_link_error(rc))
					return rc;
				continue;
			}
			unsigned n = hw->scalable ? 128 : 256, esz = hw->scalable ? 32 : 16;
			for (unsigned i = 0; i < n; i++) {
				uint64_t w[4] = { 0 };
				memcpy(w, page + i * esz, esz);
				if (!w[0] && !w[1] && !w[2] && !w[3])
					continue;
				if (max_contexts && shown == max_contexts) {
					*truncated = true;
					ops->bus_end(ctx);
					return 0;
				}
				shown++;
				unsigned devfn = hw->scalable ? h * 128 + i : i;
				struct vtd_dev_lookup l;
				rc = vtd_dev_lookup(mem, hw, rt, (uint16_t)(b << 8 | devfn), VTD_NO_PASID, &l);
				if (rc)
					return rc;
				ops->context(ctx, &l, (w[0] & VTD_CTX_P) != 0);
				/* the page pointer may be stale after the lookup read */
				rc = ptdbg_mem_page(mem, ctp, &page);
				if (rc)
					return ptdbg_link_error(rc) ? rc : 0;
			}
		}
		ops->bus_end(ctx);
	}
	return 0;
}

static void txt_root_bad(void *ctx, uint64_t pa, int err)
{
	fprintf((FILE *)ctx, "root table 0x%llx: read failed (%d)\n", (unsigned long long)pa, err);
}

static void txt_bus(void *ctx, unsigned bus, uint64_t pa, const uint64_t re[2], bool sm)
{
	char buf[256];
	ptdbg_layout_format(sm ? &vtd_layout_smroot : &vtd_layout_root, re, " ", buf, sizeof(buf));
	fprintf((FILE *)ctx, "bus %02x: root entry @0x%llx %016llx %016llx  %s\n", bus,
		(unsigned long long)pa, (unsigned long long)re[1], (unsigned long long)re[0], buf);
}

static void txt_bus_end(void *ctx)
{
}

static void txt_ctx_bad(void *ctx, uint64_t pa, int err)
{
	fprintf((FILE *)ctx, "  context table 0x%llx: read failed (%d)\n", (unsigned long long)pa, err);
}

static void txt_context(void *ctx, const struct vtd_dev_lookup *l, bool present)
{
	FILE *out = ctx;
	char bdf[16], buf[512];
	ptdbg_layout_format(l->scalable ? &vtd_layout_smctx : &vtd_layout_ctx, l->ctx, " ", buf,
			  sizeof(buf));
	fprintf(out, "  %s @0x%llx:", vtd_bdf_str(l->bdf, bdf, sizeof(bdf)),
		(unsigned long long)l->ctx_pa);
	for (unsigned i = l->scalable ? 4 : 2; i-- > 0;)
		fprintf(out, " %016llx", (unsigned long long)l->ctx[i]);
	fprintf(out, "\n      %s%s\n", present ? "" : "(not present) ", buf);
	if (!present)
		return;
	if (l->scalable && l->stage >= VTD_STAGE_PASID_ENTRY &&
	    !(l->stage == VTD_STAGE_PASID_ENTRY && l->read_err)) {
		ptdbg_layout_format(&vtd_layout_pasid_entry, l->pe, " ", buf, sizeof(buf));
		fprintf(out, "      pasid 0x%x entry @0x%llx: %s\n", l->pasid,
			(unsigned long long)l->pe_pa, buf);
	}
	if (l->reason)
		fprintf(out, "      -> fault 0x%02x at %s: %s\n", l->reason, vtd_stage_name(l->stage),
			vtd_fault_reason_name(l->reason));
	else
		fprintf(out, "      -> %s, domain %u%s\n", vtd_xlate_name(l->xlate), l->did,
			l->fpd ? ", FPD=1 (faults not recorded)" : "");
	if (!l->reason && l->levels)
		fprintf(out, "         table 0x%llx, %u-bit, %u levels\n",
			(unsigned long long)l->sl_root, l->aw_bits, l->levels);
}

int vtd_ctx_dump_print(FILE *out, struct ptdbg_mem *mem, const struct vtd_hw *hw,
		       uint64_t root_table, unsigned max_contexts)
{
	static const struct dump_ops ops = { txt_root_bad, txt_bus, txt_bus_end, txt_ctx_bad,
					     txt_context };
	bool truncated;
	fprintf(out, "root table 0x%llx (%s mode)\n", (unsigned long long)(root_table & VTD_RTADDR_ADDR),
		hw->scalable ? "scalable" : "legacy");
	int rc = dump_walk(mem, hw, root_table, &ops, out, max_contexts, &truncated);
	if (truncated)
		fprintf(out, "(the dump stops after %u device contexts)\n", max_contexts);
	return rc;
}

static void js_root_bad(void *ctx, uint64_t pa, int err)
{
	struct ptdbg_json *j = ctx;
	ptdbg_json_start_object(j);
	ptdbg_json_hex_field(j, "root_table", pa);
	ptdbg_json_int_field(j, "read_error", err);
	ptdbg_json_end_object(j);
}

static void js_bus(void *ctx, unsigned bus, uint64_t pa, const uint64_t re[2], bool sm)
{
	struct ptdbg_json *j = ctx;
	ptdbg_json_start_object(j);
	ptdbg_json_uint_field(j, "bus", bus);
	json_entry(j, "root_entry", pa, sm ? &vtd_layout_smroot : &vtd_layout_root, re, 2);
	ptdbg_json_name(j, "contexts");
	ptdbg_json_start_array(j);
}

static void js_bus_end(void *ctx)
{
	ptdbg_json_end_array(ctx);
	ptdbg_json_end_object(ctx);
}

static void js_ctx_bad(void *ctx, uint64_t pa, int err)
{
	struct ptdbg_json *j = ctx;
	ptdbg_json_start_object(j);
	ptdbg_json_hex_field(j, "context_table", pa);
	ptdbg_json_int_field(j, "read_error", err);
	ptdbg_json_end_object(j);
}

static void js_context(void *ctx, const struct vtd_dev_lookup *l, bool present)
{
	struct ptdbg_json *j = ctx;
	ptdbg_json_start_object(j);
	json_entry(j, "context_entry", l->ctx_pa, l->scalable ? &vtd_layout_smctx : &vtd_layout_ctx,
		   l->ctx, l->scalable ? 4 : 2);
	ptdbg_json_bool_field(j, "present", present);
	if (present)
		lookup_json_members(j, l, false);
	else {
		char bdf[16];
		ptdbg_json_string_field(j, "bdf", vtd_bdf_str(l->bdf, bdf, sizeof(bdf)));
	}
	ptdbg_json_end_object(j);
}

int vtd_ctx_dump_json(struct ptdbg_json *j, struct ptdbg_mem *mem, const struct vtd_hw *hw,
		      uint64_t root_table, unsigned max_contexts)
{
	bool truncated;
	static const struct dump_ops ops = { js_root_bad, js_bus, js_bus_end, js_ctx_bad,
					     js_context };
	ptdbg_json_start_object(j);
	ptdbg_json_hex_field(j, "root_table", root_table & VTD_RTADDR_ADDR);
	ptdbg_json_string_field(j, "mode", hw->scalable ? "scalable" : "legacy");
	ptdbg_json_name(j, "buses");
	ptdbg_json_start_array(j);
	int rc = dump_walk(mem, hw, root_table, &ops, j, max_contexts, &truncated);
	ptdbg_json_end_array(j);
	if (truncated)
		ptdbg_json_uint_field(j, "stopped_after_contexts", max_contexts);
	ptdbg_json_end_object(j);
	return rc;
}
