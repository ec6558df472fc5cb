/* SPDX-License-Identifier: MIT */
/*
 * Reading and decoding a VT-d remapping unit's registers (see vtd_regs.h).
 */
#include <string.h>

#include "out/json.h"
#include "vtd/vtd_fault.h"
#include "vtd/vtd_regs.h"

const struct ptdbg_dev_reg vtd_reg_map[] = {
	{ "VER",      VTD_REG_VER,      4, &vtd_layout_ver,      "version" },
	{ "CAP",      VTD_REG_CAP,      8, &vtd_layout_cap,      "capability" },
	{ "ECAP",     VTD_REG_ECAP,     8, &vtd_layout_ecap,     "extended capability" },
	{ "GCMD",     VTD_REG_GCMD,     4, &vtd_layout_gcmd,     "global command (write-only, reads 0)" },
	{ "GSTS",     VTD_REG_GSTS,     4, &vtd_layout_gsts,     "global status" },
	{ "RTADDR",   VTD_REG_RTADDR,   8, &vtd_layout_rtaddr,   "root table address" },
	{ "CCMD",     VTD_REG_CCMD,     8, &vtd_layout_ccmd,     "context command" },
	{ "FSTS",     VTD_REG_FSTS,     4, &vtd_layout_fsts,     "fault status" },
	{ "FECTL",    VTD_REG_FECTL,    4, &vtd_layout_fectl,    "fault event control" },
	{ "FEDATA",   VTD_REG_FEDATA,   4, &vtd_layout_fedata,   "fault event data" },
	{ "FEADDR",   VTD_REG_FEADDR,   4, &vtd_layout_feaddr,   "fault event address" },
	{ "FEUADDR",  VTD_REG_FEUADDR,  4, &vtd_layout_feuaddr,  "fault event upper address" },
	{ "AFLOG",    VTD_REG_AFLOG,    8, &vtd_layout_aflog,    "advanced fault log" },
	{ "PMEN",     VTD_REG_PMEN,     4, &vtd_layout_pmen,     "protected memory enable" },
	{ "PLMBASE",  VTD_REG_PLMBASE,  4, &vtd_layout_plmbase,  "protected low-memory base" },
	{ "PLMLIMIT", VTD_REG_PLMLIMIT, 4, &vtd_layout_plmlimit, "protected low-memory limit" },
	{ "PHMBASE",  VTD_REG_PHMBASE,  8, &vtd_layout_phmbase,  "protected high-memory base" },
	{ "PHMLIMIT", VTD_REG_PHMLIMIT, 8, &vtd_layout_phmlimit, "protected high-memory limit" },
	{ "IQH",      VTD_REG_IQH,      8, &vtd_layout_iqh,      "invalidation queue head" },
	{ "IQT",      VTD_REG_IQT,      8, &vtd_layout_iqt,      "invalidation queue tail" },
	{ "IQA",      VTD_REG_IQA,      8, &vtd_layout_iqa,      "invalidation queue address" },
	{ "ICS",      VTD_REG_ICS,      4, &vtd_layout_ics,      "invalidation completion status" },
	{ "IECTL",    VTD_REG_IECTL,    4, &vtd_layout_iectl,    "invalidation event control" },
	{ "IEDATA",   VTD_REG_IEDATA,   4, &vtd_layout_msi_data, "invalidation event data" },
	{ "IEADDR",   VTD_REG_IEADDR,   4, &vtd_layout_msi_addr, "invalidation event address" },
	{ "IEUADDR",  VTD_REG_IEUADDR,  4, &vtd_layout_msi_uaddr, "invalidation event upper address" },
	{ "IQERCD",   VTD_REG_IQERCD,   8, &vtd_layout_iqercd,   "invalidation queue error record" },
	{ "IRTA",     VTD_REG_IRTA,     8, &vtd_layout_irta,     "interrupt remapping table address" },
	{ "PQH",      VTD_REG_PQH,      8, &vtd_layout_pqh,      "page request queue head" },
	{ "PQT",      VTD_REG_PQT,      8, &vtd_layout_pqt,      "page request queue tail" },
	{ "PQA",      VTD_REG_PQA,      8, &vtd_layout_pqa,      "page request queue address" },
	{ "PRS",      VTD_REG_PRS,      4, &vtd_layout_prs,      "page request status" },
	{ "PECTL",    VTD_REG_PECTL,    4, &vtd_layout_fectl,    "page request event control" },
	{ "PEDATA",   VTD_REG_PEDATA,   4, &vtd_layout_msi_data, "page request event data" },
	{ "PEADDR",   VTD_REG_PEADDR,   4, &vtd_layout_msi_addr, "page request event address" },
	{ "PEUADDR",  VTD_REG_PEUADDR,  4, &vtd_layout_msi_uaddr, "page request event upper address" },
};
const size_t vtd_reg_map_len = sizeof(vtd_reg_map) / sizeof(vtd_reg_map[0]);

_Static_assert(sizeof(vtd_reg_map) / sizeof(vtd_reg_map[0]) <= VTD_REGS_MAX_FIXED,
	       "vtd_regs: VTD_REGS_MAX_FIXED too small");

int vtd_reg_index(unsigned off)
{
	for (size_t i = 0; i < vtd_reg_map_len; i++)
		if (vtd_reg_map[i].off == off)
			return (int)i;
	return -1;
}

/* What vtd_regs_info() and vtd_hw_from_regs() use. */
static bool unit_reg(unsigned off)
{
	return off == VTD_REG_VER || off == VTD_REG_CAP || off == VTD_REG_ECAP || off == VTD_REG_GSTS ||
	       off == VTD_REG_RTADDR;
}

/* vtd_regs_read (all) or vtd_regs_read_unit (!all), with also[0, nalso) in the
 * first batch. */
static int regs_read(struct ptdbg_target *t, uint64_t base, struct vtd_regs *r, bool all,
		     struct ptdbg_io *also, size_t nalso)
{
	/* One pipelined batch for the fixed registers, one for what CAP/ECAP place. */
	struct ptdbg_reg_io ios[2 + 2 * VTD_REGS_MAX_FRCD];
	memset(r, 0, sizeof(*r));
	r->base = base;
	int rc = ptdbg_read_dev_regs_also(t, base, vtd_reg_map, vtd_reg_map_len, all ? NULL : unit_reg, r->val,
					  r->err, also, nalso);
	if (rc)
		return rc;
	for (size_t i = 0; i < vtd_reg_map_len; i++) {
		const struct ptdbg_dev_reg *d = &vtd_reg_map[i];
		if (r->err[i] && (d->off == VTD_REG_VER || d->off == VTD_REG_CAP ||
				  d->off == VTD_REG_ECAP))
			return r->err[i];
		if (ptdbg_link_error(r->err[i]))
			return r->err[i];
	}
	uint64_t cap = vtd_regs_get(r, VTD_REG_CAP, NULL);
	uint64_t ecap = vtd_regs_get(r, VTD_REG_ECAP, NULL);
	if (cap == 0 || cap == ~0ull || ecap == ~0ull)
		return ptdbg_target_fail(t, PTDBG_EFORMAT,
					 "no VT-d unit at 0x%llx (CAP reads 0x%llx)",
					 (unsigned long long)base, (unsigned long long)cap);

	r->iotlb_off = VTD_ECAP_IRO(ecap);
	r->frcd_off = VTD_CAP_FRO(cap);
	r->nfrcd = VTD_CAP_NFR(cap);
	if (r->nfrcd > VTD_REGS_MAX_FRCD) {
		r->nfrcd = VTD_REGS_MAX_FRCD;
		r->frcd_clamped = true;
	}
	if (!all) {
		r->iva_err = r->iotlb_err = PTDBG_ENOTSUP;
		for (unsigned i = 0; i < r->nfrcd; i++)
			r->frcd_err[i] = PTDBG_ENOTSUP;
		return 0;
	}
	/* IVA, IOTLB, then each fault record's two halves, in one batch. */
	size_t n = 0;
	ios[n++] = (struct ptdbg_reg_io){ base + r->iotlb_off, 8, 0, 0 };
	ios[n++] = (struct ptdbg_reg_io){ base + r->iotlb_off + 8, 8, 0, 0 };
	for (unsigned i = 0; i < r->nfrcd; i++)
		for (unsigned h = 0; h < 2; h++)
			ios[n++] = (struct ptdbg_reg_io){
				base + r->frcd_off + (uint64_t)i * VTD_FRCD_SIZE + 8 * h, 8, 0, 0 };
	ptdbg_read_reg_batch(t, ios, n);
	r->iva_err = ios[0].err;
	r->iva = ios[0].val;
	r->iotlb_err = ios[1].err;
	r->iotlb = ios[1].val;
	for (unsigned i = 0; i < r->nfrcd; i++) {
		const struct ptdbg_reg_io *lo = &ios[2 + 2 * i], *hi = lo + 1;
		r->frcd_err[i] = lo->err ? lo->err : hi->err;
		r->frcd[i][0] = lo->val;
		r->frcd[i][1] = lo->err ? 0 : hi->val;
		if (ptdbg_link_error(r->frcd_err[i]))
			return r->frcd_err[i];
	}
	return 0;
}

int vtd_regs_read(struct ptdbg_target *t, uint64_t base, struct vtd_regs *r)
{
	return regs_read(t, base, r, true, NULL, 0);
}

int vtd_regs_read_unit(struct ptdbg_target *t, uint64_t base, struct vtd_regs *r)
{
	return regs_read(t, base, r, false, NULL, 0);
}

int vtd_regs_read_also(struct ptdbg_target *t, uint64_t base, struct vtd_regs *r, bool all,
		       struct ptdbg_io *also, size_t nalso)
{
	return regs_read(t, base, r, all, also, nalso);
}

uint64_t vtd_regs_get(const struct vtd_regs *r, unsigned off, bool *ok)
{
	int i = vtd_reg_index(off);
	bool good = i >= 0 && r->err[i] == 0;
	if (ok)
		*ok = good;
	return good ? r->val[i] : 0;
}

void vtd_regs_info(const struct vtd_regs *r, struct vtd_unit_info *o)
{
	uint64_t ver = vtd_regs_get(r, VTD_REG_VER, NULL);
	uint64_t cap = vtd_regs_get(r, VTD_REG_CAP, NULL);
	uint64_t ecap = vtd_regs_get(r, VTD_REG_ECAP, NULL);
	uint64_t gsts = vtd_regs_get(r, VTD_REG_GSTS, NULL);
	uint64_t rta = vtd_regs_get(r, VTD_REG_RTADDR, NULL);

	memset(o, 0, sizeof(*o));
	o->version_major = (unsigned)(ver >> 4) & 0xf;
	o->version_minor = (unsigned)ver & 0xf;
	o->mgaw = VTD_CAP_MGAW(cap);
	o->sagaw = VTD_CAP_SAGAW(cap);
	o->nfr = VTD_CAP_NFR(cap);
	o->fro = VTD_CAP_FRO(cap);
	o->iro = VTD_ECAP_IRO(ecap);
	o->sllps = VTD_CAP_SLLPS(cap);
	o->caching_mode = cap & VTD_CAP_CM;
	o->translation_enabled = gsts & VTD_GSTS_TES;
	o->root_set = gsts & VTD_GSTS_RTPS;
	o->ir_enabled = gsts & VTD_GSTS_IRES;
	o->qi_enabled = gsts & VTD_GSTS_QIES;
	o->sc = ecap & VTD_ECAP_SC;
	o->dt = ecap & VTD_ECAP_DT;
	o->pt = ecap & VTD_ECAP_PT;
	o->smts = ecap & VTD_ECAP_SMTS;
	o->root_table = rta & VTD_RTADDR_ADDR;
	o->ttm = VTD_RTADDR_TTM(rta);
}

/* Print one register: header line then its fields. */
static void print_reg(FILE *out, const char *name, uint64_t off, unsigned size, uint64_t val,
		      int err, const struct ptdbg_layout *l, const char *desc)
{
	if (err) {
		fprintf(out, "%-9s +0x%03llx  (read failed: %d)  %s\n", name,
			(unsigned long long)off, err, desc);
		return;
	}
	fprintf(out, "%-9s +0x%03llx  0x%0*llx  %s\n", name, (unsigned long long)off,
		(int)size * 2, (unsigned long long)val, desc);
	ptdbg_layout_print(out, l, &val, "    ");
}

void vtd_regs_print(FILE *out, const struct vtd_regs *r)
{
	struct vtd_unit_info in;
	vtd_regs_info(r, &in);
	fprintf(out, "VT-d remapping unit at 0x%llx: version %u.%u, MGAW %u, %s, translation %s, "
		"root table 0x%llx (%s)\n",
		(unsigned long long)r->base, in.version_major, in.version_minor, in.mgaw,
		in.smts ? "scalable mode supported" : "legacy mode only",
		in.translation_enabled ? "enabled" : "disabled",
		(unsigned long long)in.root_table, vtd_ttm_name(in.ttm));
	for (size_t i = 0; i < vtd_reg_map_len; i++) {
		const struct ptdbg_dev_reg *d = &vtd_reg_map[i];
		print_reg(out, d->name, d->off, d->size, r->val[i], r->err[i], d->layout, d->desc);
	}
	print_reg(out, "IVA", r->iotlb_off, 8, r->iva, r->iva_err, &vtd_layout_iva,
		  "invalidate address (at ECAP.IRO)");
	print_reg(out, "IOTLB", r->iotlb_off + 8, 8, r->iotlb, r->iotlb_err, &vtd_layout_iotlb,
		  "IOTLB invalidate");
	for (unsigned i = 0; i < r->nfrcd; i++) {
		char name[16];
		uint64_t off = r->frcd_off + (uint64_t)i * VTD_FRCD_SIZE;
		snprintf(name, sizeof(name), "FRCD%u", i);
		if (r->frcd_err[i]) {
			fprintf(out, "%-9s +0x%03llx  (read failed: %d)\n", name,
				(unsigned long long)off, r->frcd_err[i]);
			continue;
		}
		fprintf(out, "%-9s +0x%03llx  0x%016llx_%016llx  fault recording\n", name,
			(unsigned long long)off, (unsigned long long)r->frcd[i][1],
			(unsigned long long)r->frcd[i][0]);
		ptdbg_layout_print(out, &vtd_layout_frcd, r->frcd[i], "    ");
	}
	if (r->frcd_clamped)
		fprintf(out, "(only the first %u fault recording registers were read)\n", r->nfrcd);
}

/* One register as a JSON object in the current array. */
static void json_reg(struct ptdbg_json *j, const char *name, uint64_t off, unsigned size,
		     uint64_t val, int err, const struct ptdbg_layout *l)
{
	ptdbg_json_start_object(j);
	ptdbg_json_string_field(j, "name", name);
	ptdbg_json_uint_field(j, "offset", off);
	ptdbg_json_uint_field(j, "size", size);
	if (err) {
		ptdbg_json_int_field(j, "error", err);
	} else {
		ptdbg_json_hex_field(j, "value", val);
		ptdbg_json_name(j, "fields");
		ptdbg_json_start_object(j);
		ptdbg_layout_json(j, l, &val);
		ptdbg_json_end_object(j);
	}
	ptdbg_json_end_object(j);
}

void vtd_regs_json(struct ptdbg_json *j, const struct vtd_regs *r)
{
	struct vtd_unit_info in;
	vtd_regs_info(r, &in);
	ptdbg_json_start_object(j);
	ptdbg_json_hex_field(j, "base", r->base);
	ptdbg_json_name(j, "summary");
	ptdbg_json_start_object(j);
	ptdbg_json_uint_field(j, "version_major", in.version_major);
	ptdbg_json_uint_field(j, "version_minor", in.version_minor);
	ptdbg_json_uint_field(j, "mgaw", in.mgaw);
	ptdbg_json_uint_field(j, "sagaw", in.sagaw);
	ptdbg_json_uint_field(j, "fault_records", in.nfr);
	ptdbg_json_hex_field(j, "fro", in.fro);
	ptdbg_json_hex_field(j, "iro", in.iro);
	ptdbg_json_bool_field(j, "translation_enabled", in.translation_enabled);
	ptdbg_json_bool_field(j, "scalable_mode_supported", in.smts);
	ptdbg_json_hex_field(j, "root_table", in.root_table);
	ptdbg_json_string_field(j, "mode", vtd_ttm_name(in.ttm));
	ptdbg_json_end_object(j);
	ptdbg_json_name(j, "registers");
	ptdbg_json_start_array(j);
	for (size_t i = 0; i < vtd_reg_map_len; i++) {
		const struct ptdbg_dev_reg *d = &vtd_reg_map[i];
		json_reg(j, d->name, d->off, d->size, r->val[i], r->err[i], d->layout);
	}
	json_reg(j, "IVA", r->iotlb_off, 8, r->iva, r->iva_err, &vtd_layout_iva);
	json_reg(j, "IOTLB", r->iotlb_off + 8, 8, r->iotlb, r->iotlb_err, &vtd_layout_iotlb);
	ptdbg_json_end_array(j);
	ptdbg_json_name(j, "fault_records");
	ptdbg_json_start_array(j);
	for (unsigned i = 0; i < r->nfrcd; i++) {
		ptdbg_json_start_object(j);
		ptdbg_json_uint_field(j, "index", i);
		ptdbg_json_uint_field(j, "offset", r->frcd_off + (uint64_t)i * VTD_FRCD_SIZE);
		if (r->frcd_err[i]) {
			ptdbg_json_int_field(j, "error", r->frcd_err[i]);
		} else {
			ptdbg_json_hex_field(j, "lo", r->frcd[i][0]);
			ptdbg_json_hex_field(j, "hi", r->frcd[i][1]);
			ptdbg_json_name(j, "fields");
			ptdbg_json_start_object(j);
			ptdbg_layout_json(j, &vtd_layout_frcd, r->frcd[i]);
			ptdbg_json_end_object(j);
		}
		ptdbg_json_end_object(j);
	}
	ptdbg_json_end_array(j);
	ptdbg_json_end_object(j);
}
