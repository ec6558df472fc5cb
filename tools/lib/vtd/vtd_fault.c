/* SPDX-License-Identifier: MIT */
/*
 * VT-d fault records and fault reasons (see vtd_fault.h).
 */
#include <string.h>

#include "out/json.h"
#include "vtd/vtd_bits.h"
#include "vtd/vtd_fault.h"
#include "vtd/vtd_regs.h"

/* The fault reason table: code -> meaning. Codes not listed are unassigned. */
static const struct {
	uint8_t     code;
	const char *name;
} fault_reasons[] = {
	{ 0x00, "reserved (software / advanced fault log)" },
	{ 0x01, "root entry not present" },
	{ 0x02, "context entry not present" },
	{ 0x03, "invalid context entry (AW or TT not supported)" },
	{ 0x04, "input address beyond the address width" },
	{ 0x05, "write without write permission" },
	{ 0x06, "read without read permission" },
	{ 0x07, "paging entry could not be accessed" },
	{ 0x08, "root table could not be accessed" },
	{ 0x09, "context table could not be accessed" },
	{ 0x0a, "reserved field set in root entry" },
	{ 0x0b, "reserved field set in context entry" },
	{ 0x0c, "reserved field set in paging entry" },
	{ 0x0d, "request type blocked by context entry TT" },
	{ 0x20, "interrupt request with reserved fields set" },
	{ 0x21, "interrupt index beyond the remapping table size" },
	{ 0x22, "interrupt remapping entry not present" },
	{ 0x23, "interrupt remapping table could not be accessed" },
	{ 0x24, "reserved field set in interrupt remapping entry" },
	{ 0x25, "compatibility-format interrupt blocked" },
	{ 0x26, "remappable interrupt blocked by source-id check" },
	{ 0x27, "posted interrupt descriptor could not be accessed" },
	{ 0x30, "SM: invalid root table address" },
	{ 0x31, "SM: TTM 0 for a request with PASID" },
	{ 0x32, "SM: TTM 0 for a page group request" },
	{ 0x38, "SM: root entry could not be accessed" },
	{ 0x39, "SM: root entry not present" },
	{ 0x3a, "SM: reserved field set in root entry" },
	{ 0x40, "SM: context entry could not be accessed" },
	{ 0x41, "SM: context entry not present" },
	{ 0x42, "SM: reserved field set in context entry" },
	{ 0x43, "SM: invalid context entry" },
	{ 0x44, "SM: DTE clear in context entry" },
	{ 0x45, "SM: PASIDE clear in context entry" },
	{ 0x46, "SM: PASID above the context's directory size" },
	{ 0x47, "SM: PRE clear in context entry" },
	{ 0x48, "SM: RID_PASID error in context entry" },
	{ 0x50, "SM: PASID directory entry could not be accessed" },
	{ 0x51, "SM: PASID directory entry not present" },
	{ 0x52, "SM: reserved field set in PASID directory entry" },
	{ 0x58, "SM: PASID table entry could not be accessed" },
	{ 0x59, "SM: PASID table entry not present" },
	{ 0x5a, "SM: reserved field set in PASID table entry" },
	{ 0x5b, "SM: invalid PASID table entry (PGTT, AW)" },
	{ 0x5c, "SM: ERE clear in PASID table entry" },
	{ 0x5d, "SM: SRE clear in PASID table entry" },
	{ 0x70, "SM: first-level entry could not be accessed" },
	{ 0x71, "SM: first-level entry not present" },
	{ 0x72, "SM: reserved field set in first-level entry" },
	{ 0x73, "SM: FL-PML4 entry could not be accessed" },
	{ 0x74, "SM: first-level entry address beyond MGAW (nested)" },
	{ 0x75, "SM: read permission error in FL-PML4 entry (nested)" },
	{ 0x76, "SM: read permission error in first-level entry (nested)" },
	{ 0x77, "SM: write permission error in first-level entry (nested)" },
	{ 0x78, "SM: second-level entry could not be accessed" },
	{ 0x79, "SM: read/write permission error in second-level entry" },
	{ 0x7a, "SM: reserved field set in second-level entry" },
	{ 0x7b, "SM: invalid second-level page-table pointer" },
	{ 0x7c, "SM: second-level A/D update needed without snoop" },
	{ 0x80, "SM: first-level address not canonical" },
	{ 0x81, "SM: user request to a supervisor first-level page" },
	{ 0x82, "SM: no execute permission" },
	{ 0x83, "SM: address beyond the maximum address width" },
	{ 0x84, "SM: second-level entry address beyond the maximum" },
	{ 0x85, "SM: no write permission" },
	{ 0x86, "SM: no read permission" },
	{ 0x87, "SM: invalid address-interrupt address" },
	{ 0x90, "SM: first-level A/D update needed without snoop" },
};

const char *vtd_fault_reason_name(unsigned code)
{
	for (size_t i = 0; i < sizeof(fault_reasons) / sizeof(fault_reasons[0]); i++)
		if (fault_reasons[i].code == code)
			return fault_reasons[i].name;
	return "unknown fault reason";
}

const char *vtd_fault_reason_class(unsigned code)
{
	if (code <= 0x0d)
		return "dma";
	if (code >= 0x20 && code <= 0x27)
		return "interrupt";
	if (code >= 0x30 && code <= 0x90)
		return "scalable";
	return "unknown";
}

const char *vtd_fault_access_name(enum vtd_fault_access a)
{
	switch (a) {
	case VTD_ACC_WRITE:    return "write";
	case VTD_ACC_READ:     return "read";
	case VTD_ACC_PAGE_REQ: return "page-request";
	case VTD_ACC_ATOMIC:   return "atomic";
	}
	return "?";
}

void vtd_fault_decode(const uint64_t rec[2], unsigned index, struct vtd_fault_rec *o)
{
	uint64_t lo = rec[0], hi = rec[1];
	memset(o, 0, sizeof(*o));
	o->index = index;
	o->raw[0] = lo;
	o->raw[1] = hi;
	o->fault = hi & VTD_FRCD_F;
	o->sid = (uint16_t)VTD_FRCD_SID(hi);
	o->addr = lo & VTD_FRCD_FI;
	o->access = (enum vtd_fault_access)(((hi & VTD_FRCD_T2) ? 2 : 0) |
					    ((hi & VTD_FRCD_T1) ? 1 : 0));
	o->at = VTD_FRCD_AT(hi);
	o->pasid_present = hi & VTD_FRCD_PP;
	o->pasid = VTD_FRCD_PV(hi);
	o->exe = hi & VTD_FRCD_EXE;
	o->priv = hi & VTD_FRCD_PRIV;
	o->reason = VTD_FRCD_FR(hi);
}

size_t vtd_faults_collect(const struct vtd_regs *r, bool all, struct vtd_fault_rec *out,
			  size_t max)
{
	size_t n = 0;
	for (unsigned i = 0; i < r->nfrcd && n < max; i++) {
		if (r->frcd_err[i])
			continue;
		struct vtd_fault_rec rec;
		vtd_fault_decode(r->frcd[i], i, &rec);
		if (all || rec.fault)
			out[n++] = rec;
	}
	return n;
}

const char *vtd_bdf_str(uint16_t sid, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x.%u", sid >> 8, (sid >> 3) & 0x1f, sid & 7);
	return buf;
}

void vtd_faults_print(FILE *out, const struct vtd_regs *r, bool all)
{
	bool ok;
	uint64_t fsts = vtd_regs_get(r, VTD_REG_FSTS, &ok);
	char flags[128];

	if (ok) {
		ptdbg_layout_format(&vtd_layout_fsts, &fsts, " ", flags, sizeof(flags));
		fprintf(out, "FSTS 0x%08llx %s\n", (unsigned long long)fsts, flags[0] ? flags : "(clear)");
	} else {
		fprintf(out, "FSTS (read failed)\n");
	}
	unsigned shown = 0;
	for (unsigned i = 0; i < r->nfrcd; i++) {
		struct vtd_fault_rec f;
		char bdf[16];
		if (r->frcd_err[i]) {
			fprintf(out, "record %u: read failed (%d)\n", i, r->frcd_err[i]);
			continue;
		}
		vtd_fault_decode(r->frcd[i], i, &f);
		if (!all && !f.fault)
			continue;
		shown++;
		fprintf(out, "record %u: %s %s %s addr 0x%llx reason 0x%02x %s",
			i, f.fault ? "FAULT" : "clear", vtd_bdf_str(f.sid, bdf, sizeof(bdf)),
			vtd_fault_access_name(f.access), (unsigned long long)f.addr, f.reason,
			vtd_fault_reason_name(f.reason));
		if (f.pasid_present)
			fprintf(out, " pasid 0x%x%s%s", f.pasid, f.exe ? " exe" : "", f.priv ? " priv" : "");
		fputc('\n', out);
	}
	if (!shown)
		fprintf(out, "no fault recorded (%u record%s)\n", r->nfrcd, r->nfrcd == 1 ? "" : "s");
}

void vtd_faults_json(struct ptdbg_json *j, const struct vtd_regs *r, bool all)
{
	bool ok;
	uint64_t fsts = vtd_regs_get(r, VTD_REG_FSTS, &ok);

	ptdbg_json_start_object(j);
	if (ok) {
		ptdbg_json_name(j, "fsts");
		ptdbg_json_start_object(j);
		ptdbg_json_hex_field(j, "value", fsts);
		ptdbg_layout_json(j, &vtd_layout_fsts, &fsts);
		ptdbg_json_end_object(j);
	}
	ptdbg_json_name(j, "records");
	ptdbg_json_start_array(j);
	for (unsigned i = 0; i < r->nfrcd; i++) {
		struct vtd_fault_rec f;
		char bdf[16];
		if (r->frcd_err[i])
			continue;
		vtd_fault_decode(r->frcd[i], i, &f);
		if (!all && !f.fault)
			continue;
		ptdbg_json_start_object(j);
		ptdbg_json_uint_field(j, "index", i);
		ptdbg_json_bool_field(j, "fault", f.fault);
		ptdbg_json_uint_field(j, "sid", f.sid);
		ptdbg_json_string_field(j, "bdf", vtd_bdf_str(f.sid, bdf, sizeof(bdf)));
		ptdbg_json_hex_field(j, "iova", f.addr);
		ptdbg_json_string_field(j, "access", vtd_fault_access_name(f.access));
		ptdbg_json_uint_field(j, "fault_reason", f.reason);
		ptdbg_json_string_field(j, "fault_reason_name", vtd_fault_reason_name(f.reason));
		ptdbg_json_bool_field(j, "pasid_present", f.pasid_present);
		ptdbg_json_uint_field(j, "pasid", f.pasid);
		ptdbg_json_bool_field(j, "exe", f.exe);
		ptdbg_json_bool_field(j, "priv", f.priv);
		ptdbg_json_uint_field(j, "at", f.at);
		ptdbg_json_end_object(j);
	}
	ptdbg_json_end_array(j);
	ptdbg_json_end_object(j);
}
