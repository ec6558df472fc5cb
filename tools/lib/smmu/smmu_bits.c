/* SPDX-License-Identifier: MIT */
/*
 * SMMUv3 bit layouts as tables (see smmu_bits.h). Source: Arm IHI 0070, 6.3
 * (registers), 5.2 (STE), 5.1 (level-1 stream table descriptor), 5.4 (CD and the
 * level-1 CD descriptor), 4 (commands), 7.3 (event records).
 */
#include <stdio.h>

#include "smmu/smmu_bits.h"

#define LAYOUT(var, label, nbits, arr) \
	const struct ptdbg_layout var = { label, nbits, arr, sizeof(arr) / sizeof(arr[0]) }

/* Fields of dword dw (0 for registers): bit positions within the dword. */
#define FLAG(n, dw, bit, d)        { n, (dw) * 64 + (bit), 1, PTDBG_FK_FLAG, d, NULL }
#define NUM(n, dw, hi, lo, d)      { n, (dw) * 64 + (lo), (hi) - (lo) + 1, PTDBG_FK_NUM, d, NULL }
#define NUMX(n, dw, hi, lo, d, fn) { n, (dw) * 64 + (lo), (hi) - (lo) + 1, PTDBG_FK_NUM, d, fn }
#define ADDR(n, dw, hi, lo, d)     { n, (dw) * 64 + (lo), (hi) - (lo) + 1, PTDBG_FK_ADDR, d, NULL }
#define RSVD(dw, hi, lo)           { "rsvd", (dw) * 64 + (lo), (hi) - (lo) + 1, PTDBG_FK_RSVD, \
				     "reserved (must be 0)", NULL }

/* ---- names ---- */

const char *smmu_ste_config_name(unsigned c)
{
	static const char *const n[8] = { "abort", "reserved", "reserved", "reserved",
					  "bypass", "stage1", "stage2", "nested" };
	return c < 8 ? n[c] : "?";
}

const char *smmu_s1fmt_name(unsigned f)
{
	static const char *const n[4] = { "linear", "2-level/4K", "2-level/64K", "reserved" };
	return f < 4 ? n[f] : "?";
}

const char *smmu_s1dss_name(unsigned d)
{
	static const char *const n[4] = { "terminate", "bypass", "substream0", "reserved" };
	return d < 4 ? n[d] : "?";
}

const char *smmu_strw_name(unsigned s)
{
	static const char *const n[4] = { "NS-EL1", "reserved", "EL2", "EL2-E2H" };
	return s < 4 ? n[s] : "?";
}

const char *smmu_eats_name(unsigned e)
{
	static const char *const n[4] = { "off", "full ATS", "split-stage ATS", "reserved" };
	return e < 4 ? n[e] : "?";
}

const char *smmu_strtab_fmt_name(unsigned f)
{
	static const char *const n[4] = { "linear", "2-level", "reserved", "reserved" };
	return f < 4 ? n[f] : "?";
}

const char *smmu_tg0_name(unsigned tg)
{
	static const char *const n[4] = { "4K", "64K", "16K", "reserved" };
	return tg < 4 ? n[tg] : "?";
}

const char *smmu_tg1_name(unsigned tg)
{
	static const char *const n[4] = { "reserved", "16K", "4K", "64K" };
	return tg < 4 ? n[tg] : "?";
}

uint64_t smmu_tg0_bytes(unsigned tg)
{
	static const uint64_t b[4] = { 4096, 65536, 16384, 0 };
	return tg < 4 ? b[tg] : 0;
}

uint64_t smmu_tg1_bytes(unsigned tg)
{
	static const uint64_t b[4] = { 0, 16384, 4096, 65536 };
	return tg < 4 ? b[tg] : 0;
}

const char *smmu_cmdq_err_name(unsigned e)
{
	static const char *const n[4] = { "none", "CERROR_ILL", "CERROR_ABT",
					  "CERROR_ATC_INV_SYNC" };
	return e < 4 ? n[e] : "?";
}

const char *smmu_event_class_name(unsigned c)
{
	static const char *const n[4] = { "CD", "TT", "IN", "reserved" };
	return c < 4 ? n[c] : "?";
}

const char *smmu_cmd_name(unsigned op)
{
	switch (op) {
	case SMMU_CMD_PREFETCH_CONFIG: return "PREFETCH_CONFIG";
	case SMMU_CMD_PREFETCH_ADDR:   return "PREFETCH_ADDR";
	case SMMU_CMD_CFGI_STE:        return "CFGI_STE";
	case SMMU_CMD_CFGI_STE_RANGE:  return "CFGI_STE_RANGE";
	case SMMU_CMD_CFGI_CD:         return "CFGI_CD";
	case SMMU_CMD_CFGI_CD_ALL:     return "CFGI_CD_ALL";
	case SMMU_CMD_CFGI_VMS_PIDM:   return "CFGI_VMS_PIDM";
	case SMMU_CMD_TLBI_NH_ALL:     return "TLBI_NH_ALL";
	case SMMU_CMD_TLBI_NH_ASID:    return "TLBI_NH_ASID";
	case SMMU_CMD_TLBI_NH_VA:      return "TLBI_NH_VA";
	case SMMU_CMD_TLBI_NH_VAA:     return "TLBI_NH_VAA";
	case SMMU_CMD_TLBI_EL3_ALL:    return "TLBI_EL3_ALL";
	case SMMU_CMD_TLBI_EL3_VA:     return "TLBI_EL3_VA";
	case SMMU_CMD_TLBI_EL2_ALL:    return "TLBI_EL2_ALL";
	case SMMU_CMD_TLBI_EL2_ASID:   return "TLBI_EL2_ASID";
	case SMMU_CMD_TLBI_EL2_VA:     return "TLBI_EL2_VA";
	case SMMU_CMD_TLBI_EL2_VAA:    return "TLBI_EL2_VAA";
	case SMMU_CMD_TLBI_S12_VMALL:  return "TLBI_S12_VMALL";
	case SMMU_CMD_TLBI_S2_IPA:     return "TLBI_S2_IPA";
	case SMMU_CMD_TLBI_NSNH_ALL:   return "TLBI_NSNH_ALL";
	case SMMU_CMD_ATC_INV:         return "ATC_INV";
	case SMMU_CMD_PRI_RESP:        return "PRI_RESP";
	case SMMU_CMD_RESUME:          return "RESUME";
	case SMMU_CMD_STALL_TERM:      return "STALL_TERM";
	case SMMU_CMD_SYNC:            return "CMD_SYNC";
	default:                       return NULL;
	}
}

static const struct { uint8_t type; const char *name, *desc; } event_types[] = {
	{ SMMU_EVT_F_UUT, "F_UUT", "unsupported upstream transaction" },
	{ SMMU_EVT_C_BAD_STREAMID, "C_BAD_STREAMID", "stream id out of range, or its level-2 table invalid" },
	{ SMMU_EVT_F_STE_FETCH, "F_STE_FETCH", "the stream table entry could not be fetched" },
	{ SMMU_EVT_C_BAD_STE, "C_BAD_STE", "invalid stream table entry" },
	{ SMMU_EVT_F_BAD_ATS_TREQ, "F_BAD_ATS_TREQ", "ATS translation request not allowed" },
	{ SMMU_EVT_F_STREAM_DISABLED, "F_STREAM_DISABLED", "transaction without substream while S1DSS terminates" },
	{ SMMU_EVT_F_TRANSL_FORBIDDEN, "F_TRANSL_FORBIDDEN", "translated transaction not allowed" },
	{ SMMU_EVT_C_BAD_SUBSTREAMID, "C_BAD_SUBSTREAMID", "substream id out of range, or its CD table invalid" },
	{ SMMU_EVT_F_CD_FETCH, "F_CD_FETCH", "the context descriptor could not be fetched" },
	{ SMMU_EVT_C_BAD_CD, "C_BAD_CD", "invalid context descriptor" },
	{ SMMU_EVT_F_WALK_EABT, "F_WALK_EABT", "external abort during a table walk" },
	{ SMMU_EVT_F_TRANSLATION, "F_TRANSLATION", "no valid translation for the address" },
	{ SMMU_EVT_F_ADDR_SIZE, "F_ADDR_SIZE", "address above the input or output address size" },
	{ SMMU_EVT_F_ACCESS, "F_ACCESS", "access flag fault" },
	{ SMMU_EVT_F_PERMISSION, "F_PERMISSION", "the access is not permitted" },
	{ SMMU_EVT_F_TLB_CONFLICT, "F_TLB_CONFLICT", "TLB conflict" },
	{ SMMU_EVT_F_CFG_CONFLICT, "F_CFG_CONFLICT", "configuration cache conflict" },
	{ SMMU_EVT_E_PAGE_REQUEST, "E_PAGE_REQUEST", "speculative page request" },
	{ SMMU_EVT_F_VMS_FETCH, "F_VMS_FETCH", "the virtual machine structure could not be fetched" },
};

const char *smmu_event_name(unsigned type)
{
	for (size_t i = 0; i < sizeof(event_types) / sizeof(event_types[0]); i++)
		if (event_types[i].type == type)
			return event_types[i].name;
	return NULL;
}

const char *smmu_event_desc(unsigned type)
{
	for (size_t i = 0; i < sizeof(event_types) / sizeof(event_types[0]); i++)
		if (event_types[i].type == type)
			return event_types[i].desc;
	return "unknown event type";
}

static const struct { uint8_t bit; const char *name, *desc; } gerror_bits[] = {
	{ 0, "CMDQ_ERR", "command queue error (see CMDQ_CONS.ERR)" },
	{ 2, "EVENTQ_ABT_ERR", "an event queue write aborted (QEMU raises it when the queue is full)" },
	{ 3, "PRIQ_ABT_ERR", "a PRI queue write aborted" },
	{ 4, "MSI_CMDQ_ABT_ERR", "the CMD_SYNC MSI write aborted" },
	{ 5, "MSI_EVENTQ_ABT_ERR", "the event queue MSI write aborted" },
	{ 6, "MSI_PRIQ_ABT_ERR", "the PRI queue MSI write aborted" },
	{ 7, "MSI_GERROR_ABT_ERR", "the global error MSI write aborted" },
	{ 8, "SFM_ERR", "the SMMU entered service failure mode" },
	{ 9, "CMDQP_ERR", "command queue control page error" },
};

const char *smmu_gerror_bit_name(unsigned bit)
{
	for (size_t i = 0; i < sizeof(gerror_bits) / sizeof(gerror_bits[0]); i++)
		if (gerror_bits[i].bit == bit)
			return gerror_bits[i].name;
	return NULL;
}

const char *smmu_gerror_bit_desc(unsigned bit)
{
	for (size_t i = 0; i < sizeof(gerror_bits) / sizeof(gerror_bits[0]); i++)
		if (gerror_bits[i].bit == bit)
			return gerror_bits[i].desc;
	return "reserved";
}

/* ---- value explanations ---- */

static const char *ex_pa_bits(uint64_t v, char *buf, size_t len)
{
	unsigned b = smmu_pa_bits((unsigned)v);
	if (!b)
		return "reserved";
	snprintf(buf, len, "%u bits", b);
	return buf;
}

static const char *ex_bits(uint64_t v, char *buf, size_t len)
{
	snprintf(buf, len, "%u bits", (unsigned)v);
	return buf;
}

static const char *ex_log2_entries(uint64_t v, char *buf, size_t len)
{
	snprintf(buf, len, "%llu entries", 1ull << (v & 63));
	return buf;
}

static const char *ex_ttf(uint64_t v, char *buf, size_t len)
{
	static const char *const n[4] = { "reserved", "AArch32", "AArch64", "AArch32+AArch64" };
	return n[v & 3];
}

static const char *ex_httu(uint64_t v, char *buf, size_t len)
{
	static const char *const n[4] = { "none", "access flag", "access flag+dirty", "reserved" };
	return n[v & 3];
}

static const char *ex_st_level(uint64_t v, char *buf, size_t len)
{
	static const char *const n[4] = { "linear", "linear+2-level", "reserved", "reserved" };
	return n[v & 3];
}

static const char *ex_stall_model(uint64_t v, char *buf, size_t len)
{
	static const char *const n[4] = { "stall+terminate", "terminate only", "stall forced",
					  "reserved" };
	return n[v & 3];
}

static const char *ex_ttendian(uint64_t v, char *buf, size_t len)
{
	static const char *const n[4] = { "mixed", "reserved", "little", "big" };
	return n[v & 3];
}

static const char *ex_vax(uint64_t v, char *buf, size_t len)
{
	static const char *const n[4] = { "48-bit VA", "52-bit VA", "reserved", "reserved" };
	return n[v & 3];
}

static const char *ex_sh(uint64_t v, char *buf, size_t len)
{
	static const char *const n[4] = { "non-shareable", "reserved", "outer", "inner" };
	return n[v & 3];
}

static const char *ex_cache(uint64_t v, char *buf, size_t len)
{
	static const char *const n[4] = { "non-cacheable", "write-back", "write-through",
					  "write-back no-alloc" };
	return n[v & 3];
}

static const char *ex_shcfg(uint64_t v, char *buf, size_t len)
{
	static const char *const n[4] = { "non-shareable", "incoming", "outer", "inner" };
	return n[v & 3];
}

static const char *ex_strtab_fmt(uint64_t v, char *buf, size_t len)
{
	return smmu_strtab_fmt_name((unsigned)v);
}

static const char *ex_config(uint64_t v, char *buf, size_t len)
{
	return smmu_ste_config_name((unsigned)v);
}

static const char *ex_s1fmt(uint64_t v, char *buf, size_t len)
{
	return smmu_s1fmt_name((unsigned)v);
}

static const char *ex_s1dss(uint64_t v, char *buf, size_t len)
{
	return smmu_s1dss_name((unsigned)v);
}

static const char *ex_eats(uint64_t v, char *buf, size_t len)
{
	return smmu_eats_name((unsigned)v);
}

static const char *ex_strw(uint64_t v, char *buf, size_t len)
{
	return smmu_strw_name((unsigned)v);
}

static const char *ex_tg0(uint64_t v, char *buf, size_t len)
{
	return smmu_tg0_name((unsigned)v);
}

static const char *ex_tg1(uint64_t v, char *buf, size_t len)
{
	return smmu_tg1_name((unsigned)v);
}

static const char *ex_tsz(uint64_t v, char *buf, size_t len)
{
	snprintf(buf, len, "%u-bit input", 64 - (unsigned)v);
	return buf;
}

static const char *ex_cdmax(uint64_t v, char *buf, size_t len)
{
	if (!v)
		return "one CD, no substreams";
	snprintf(buf, len, "%llu substreams", 1ull << v);
	return buf;
}

static const char *ex_span(uint64_t v, char *buf, size_t len)
{
	if (!v)
		return "invalid";
	snprintf(buf, len, "%llu STEs", 1ull << ((v - 1) & 63));
	return buf;
}

static const char *ex_cmdq_err(uint64_t v, char *buf, size_t len)
{
	return smmu_cmdq_err_name((unsigned)v);
}

static const char *ex_event_type(uint64_t v, char *buf, size_t len)
{
	const char *n = smmu_event_name((unsigned)v);
	return n ? n : "unknown";
}

static const char *ex_class(uint64_t v, char *buf, size_t len)
{
	return smmu_event_class_name((unsigned)v);
}

static const char *ex_opcode(uint64_t v, char *buf, size_t len)
{
	const char *n = smmu_cmd_name((unsigned)v);
	return n ? n : "unknown";
}

static const char *ex_tbi(uint64_t v, char *buf, size_t len)
{
	static const char *const n[4] = { "none", "TTB0", "TTB1", "TTB0+TTB1" };
	return n[v & 3];
}

static const char *ex_s2tg(uint64_t v, char *buf, size_t len)
{
	return smmu_tg0_name((unsigned)v);
}

/* ---- registers ---- */

static const struct ptdbg_field f_idr0[] = {
	FLAG("S2P", 0, 0, "stage 2 translation"),
	FLAG("S1P", 0, 1, "stage 1 translation"),
	NUMX("TTF", 0, 3, 2, "translation table formats", ex_ttf),
	FLAG("COHACC", 0, 4, "coherent access to tables and queues"),
	FLAG("BTM", 0, 5, "broadcast TLB maintenance"),
	NUMX("HTTU", 0, 7, 6, "hardware table updates", ex_httu),
	FLAG("DORMHINT", 0, 8, "dormant hint"),
	FLAG("HYP", 0, 9, "hypervisor stage 1 contexts"),
	FLAG("ATS", 0, 10, "PCIe ATS"),
	FLAG("NS1ATS", 0, 11, "no split-stage ATS"),
	FLAG("ASID16", 0, 12, "16-bit ASIDs"),
	FLAG("MSI", 0, 13, "message-signalled interrupts"),
	FLAG("SEV", 0, 14, "wake-up events"),
	FLAG("ATOS", 0, 15, "address translation operations"),
	FLAG("PRI", 0, 16, "page request interface"),
	FLAG("VMW", 0, 17, "VMID wildcards"),
	FLAG("VMID16", 0, 18, "16-bit VMIDs"),
	FLAG("CD2L", 0, 19, "two-level CD tables"),
	FLAG("VATOS", 0, 20, "virtual ATOS"),
	NUMX("TTENDIAN", 0, 22, 21, "table endianness", ex_ttendian),
	FLAG("ATSRECERR", 0, 23, "ATS error recording"),
	NUMX("STALL_MODEL", 0, 25, 24, "stall model", ex_stall_model),
	FLAG("TERM_MODEL", 0, 26, "terminate model: aborts only"),
	NUMX("ST_LEVEL", 0, 28, 27, "stream table formats", ex_st_level),
	RSVD(0, 31, 29),
};
LAYOUT(smmu_layout_idr0, "IDR0", 32, f_idr0);

static const struct ptdbg_field f_idr1[] = {
	NUMX("SIDSIZE", 0, 5, 0, "stream id bits", ex_bits),
	NUMX("SSIDSIZE", 0, 10, 6, "substream id bits", ex_bits),
	NUMX("PRIQS", 0, 15, 11, "most PRI queue entries (log2)", ex_log2_entries),
	NUMX("EVENTQS", 0, 20, 16, "most event queue entries (log2)", ex_log2_entries),
	NUMX("CMDQS", 0, 25, 21, "most command queue entries (log2)", ex_log2_entries),
	FLAG("ATTR_PERMS_OVR", 0, 26, "permission attributes overridable"),
	FLAG("ATTR_TYPES_OVR", 0, 27, "memory type attributes overridable"),
	FLAG("REL", 0, 28, "base addresses relative to the register base"),
	FLAG("QUEUES_PRESET", 0, 29, "queue bases fixed"),
	FLAG("TABLES_PRESET", 0, 30, "table bases fixed"),
	FLAG("ECMDQ", 0, 31, "enhanced command queues"),
};
LAYOUT(smmu_layout_idr1, "IDR1", 32, f_idr1);

static const struct ptdbg_field f_idr2[] = {
	NUM("BA_VATOS", 0, 9, 0, "VATOS page base / 64K"),
	RSVD(0, 31, 10),
};
LAYOUT(smmu_layout_idr2, "IDR2", 32, f_idr2);

static const struct ptdbg_field f_idr3[] = {
	RSVD(0, 1, 0),
	FLAG("HAD", 0, 2, "hierarchical attribute disable"),
	FLAG("PBHA", 0, 3, "page-based hardware attributes"),
	FLAG("XNX", 0, 4, "EL0/EL1 execute-never at stage 2"),
	FLAG("PPS", 0, 5, "PRI responses' PASID required"),
	RSVD(0, 6, 6),
	FLAG("MPAM", 0, 7, "memory partitioning and monitoring"),
	FLAG("FWB", 0, 8, "stage 2 forced write-back"),
	FLAG("STT", 0, 9, "small translation tables"),
	FLAG("RIL", 0, 10, "range invalidation"),
	NUM("BBML", 0, 12, 11, "break-before-make level"),
	FLAG("E0PD", 0, 13, "E0PD"),
	FLAG("PTWNNC", 0, 14, "table walks non-cacheable"),
	RSVD(0, 31, 15),
};
LAYOUT(smmu_layout_idr3, "IDR3", 32, f_idr3);

static const struct ptdbg_field f_idr4[] = {
	NUM("IMPDEF", 0, 31, 0, "implementation defined"),
};
LAYOUT(smmu_layout_idr4, "IDR4", 32, f_idr4);

static const struct ptdbg_field f_idr5[] = {
	NUMX("OAS", 0, 2, 0, "output address size", ex_pa_bits),
	RSVD(0, 3, 3),
	FLAG("GRAN4K", 0, 4, "4K granule"),
	FLAG("GRAN16K", 0, 5, "16K granule"),
	FLAG("GRAN64K", 0, 6, "64K granule"),
	RSVD(0, 9, 7),
	NUMX("VAX", 0, 11, 10, "virtual address extension", ex_vax),
	RSVD(0, 15, 12),
	NUM("STALL_MAX", 0, 31, 16, "most stalled transactions"),
};
LAYOUT(smmu_layout_idr5, "IDR5", 32, f_idr5);

static const struct ptdbg_field f_iidr[] = {
	NUM("Implementer", 0, 11, 0, "JEP106 code of the implementer"),
	NUM("Revision", 0, 15, 12, "revision"),
	NUM("Variant", 0, 19, 16, "variant"),
	NUM("ProductID", 0, 31, 20, "product"),
};
LAYOUT(smmu_layout_iidr, "IIDR", 32, f_iidr);

static const struct ptdbg_field f_aidr[] = {
	NUM("ArchMinorRev", 0, 3, 0, "SMMUv3.<minor>"),
	NUM("ArchMajorRev", 0, 7, 4, "0: SMMUv3"),
	RSVD(0, 31, 8),
};
LAYOUT(smmu_layout_aidr, "AIDR", 32, f_aidr);

static const struct ptdbg_field f_cr0[] = {
	FLAG("SMMUEN", 0, 0, "translation enabled (else GBPA applies)"),
	FLAG("PRIQEN", 0, 1, "PRI queue enabled"),
	FLAG("EVENTQEN", 0, 2, "event queue enabled"),
	FLAG("CMDQEN", 0, 3, "command queue enabled"),
	FLAG("ATSCHK", 0, 4, "ATS safe mode"),
	RSVD(0, 5, 5),
	NUM("VMW", 0, 8, 6, "VMID wildcard"),
	RSVD(0, 31, 9),
};
LAYOUT(smmu_layout_cr0, "CR0", 32, f_cr0);

static const struct ptdbg_field f_cr1[] = {
	NUMX("QUEUE_IC", 0, 1, 0, "queue inner cacheability", ex_cache),
	NUMX("QUEUE_OC", 0, 3, 2, "queue outer cacheability", ex_cache),
	NUMX("QUEUE_SH", 0, 5, 4, "queue shareability", ex_sh),
	NUMX("TABLE_IC", 0, 7, 6, "table inner cacheability", ex_cache),
	NUMX("TABLE_OC", 0, 9, 8, "table outer cacheability", ex_cache),
	NUMX("TABLE_SH", 0, 11, 10, "table shareability", ex_sh),
	RSVD(0, 31, 12),
};
LAYOUT(smmu_layout_cr1, "CR1", 32, f_cr1);

static const struct ptdbg_field f_cr2[] = {
	FLAG("E2H", 0, 0, "EL2-E2H translation regime"),
	FLAG("RECINVSID", 0, 1, "record C_BAD_STREAMID"),
	FLAG("PTM", 0, 2, "private TLB maintenance"),
	RSVD(0, 31, 3),
};
LAYOUT(smmu_layout_cr2, "CR2", 32, f_cr2);

static const struct ptdbg_field f_statusr[] = {
	FLAG("DORMANT", 0, 0, "dormant"),
	RSVD(0, 31, 1),
};
LAYOUT(smmu_layout_statusr, "STATUSR", 32, f_statusr);

static const struct ptdbg_field f_gbpa[] = {
	NUM("MemAttr", 0, 3, 0, "memory type override"),
	FLAG("MTCFG", 0, 4, "memory type from MemAttr"),
	RSVD(0, 7, 5),
	NUM("ALLOCCFG", 0, 11, 8, "allocation hints"),
	NUMX("SHCFG", 0, 13, 12, "shareability", ex_shcfg),
	RSVD(0, 15, 14),
	NUM("PRIVCFG", 0, 17, 16, "privilege"),
	NUM("INSTCFG", 0, 19, 18, "instruction/data"),
	FLAG("ABORT", 0, 20, "abort transactions while SMMUEN=0 (else bypass)"),
	RSVD(0, 30, 21),
	FLAG("Update", 0, 31, "update in progress"),
};
LAYOUT(smmu_layout_gbpa, "GBPA", 32, f_gbpa);

static const struct ptdbg_field f_agbpa[] = {
	NUM("IMPDEF", 0, 31, 0, "implementation defined bypass attributes"),
};
LAYOUT(smmu_layout_agbpa, "AGBPA", 32, f_agbpa);

static const struct ptdbg_field f_irq_ctrl[] = {
	FLAG("GERROR_IRQEN", 0, 0, "global error interrupt"),
	FLAG("PRIQ_IRQEN", 0, 1, "PRI queue interrupt"),
	FLAG("EVENTQ_IRQEN", 0, 2, "event queue interrupt"),
	RSVD(0, 31, 3),
};
LAYOUT(smmu_layout_irq_ctrl, "IRQ_CTRL", 32, f_irq_ctrl);

static const struct ptdbg_field f_gerror[] = {
	FLAG("CMDQ_ERR", 0, 0, "command queue error"),
	RSVD(0, 1, 1),
	FLAG("EVENTQ_ABT_ERR", 0, 2, "event queue write aborted"),
	FLAG("PRIQ_ABT_ERR", 0, 3, "PRI queue write aborted"),
	FLAG("MSI_CMDQ_ABT_ERR", 0, 4, "CMD_SYNC MSI aborted"),
	FLAG("MSI_EVENTQ_ABT_ERR", 0, 5, "event queue MSI aborted"),
	FLAG("MSI_PRIQ_ABT_ERR", 0, 6, "PRI queue MSI aborted"),
	FLAG("MSI_GERROR_ABT_ERR", 0, 7, "global error MSI aborted"),
	FLAG("SFM_ERR", 0, 8, "service failure mode"),
	FLAG("CMDQP_ERR", 0, 9, "command queue control page error"),
	RSVD(0, 31, 10),
};
LAYOUT(smmu_layout_gerror, "GERROR", 32, f_gerror);

static const struct ptdbg_field f_irq_cfg0[] = {
	RSVD(0, 1, 0),
	ADDR("ADDR", 0, 51, 2, "MSI address"),
	RSVD(0, 63, 52),
};
LAYOUT(smmu_layout_irq_cfg0, "IRQ_CFG0", 64, f_irq_cfg0);

static const struct ptdbg_field f_irq_cfg1[] = {
	NUM("DATA", 0, 31, 0, "MSI data"),
};
LAYOUT(smmu_layout_irq_cfg1, "IRQ_CFG1", 32, f_irq_cfg1);

static const struct ptdbg_field f_irq_cfg2[] = {
	NUM("MemAttr", 0, 3, 0, "MSI memory type"),
	NUMX("SH", 0, 5, 4, "MSI shareability", ex_sh),
	RSVD(0, 31, 6),
};
LAYOUT(smmu_layout_irq_cfg2, "IRQ_CFG2", 32, f_irq_cfg2);

static const struct ptdbg_field f_strtab_base[] = {
	RSVD(0, 5, 0),
	ADDR("ADDR", 0, 51, 6, "stream table (or its level-1 table)"),
	RSVD(0, 61, 52),
	FLAG("RA", 0, 62, "read-allocate"),
	RSVD(0, 63, 63),
};
LAYOUT(smmu_layout_strtab_base, "STRTAB_BASE", 64, f_strtab_base);

static const struct ptdbg_field f_strtab_base_cfg[] = {
	NUMX("LOG2SIZE", 0, 5, 0, "stream ids covered (log2)", ex_log2_entries),
	NUMX("SPLIT", 0, 10, 6, "two-level: SID bits resolved by the level-2 tables", ex_bits),
	RSVD(0, 15, 11),
	NUMX("FMT", 0, 17, 16, "format", ex_strtab_fmt),
	RSVD(0, 31, 18),
};
LAYOUT(smmu_layout_strtab_base_cfg, "STRTAB_BASE_CFG", 32, f_strtab_base_cfg);

static const struct ptdbg_field f_q_base[] = {
	NUMX("LOG2SIZE", 0, 4, 0, "entries (log2)", ex_log2_entries),
	ADDR("ADDR", 0, 51, 5, "queue base"),
	RSVD(0, 61, 52),
	FLAG("RWA", 0, 62, "read/write-allocate"),
	RSVD(0, 63, 63),
};
LAYOUT(smmu_layout_q_base, "Q_BASE", 64, f_q_base);

static const struct ptdbg_field f_q_prod[] = {
	NUM("WR", 0, 19, 0, "write index, wrap bit at LOG2SIZE"),
	RSVD(0, 30, 20),
	FLAG("OVFLG", 0, 31, "overflow (event and PRI queues)"),
};
LAYOUT(smmu_layout_q_prod, "Q_PROD", 32, f_q_prod);

static const struct ptdbg_field f_q_cons[] = {
	NUM("RD", 0, 19, 0, "read index, wrap bit at LOG2SIZE"),
	RSVD(0, 30, 20),
	FLAG("OVACKFLG", 0, 31, "overflow acknowledged"),
};
LAYOUT(smmu_layout_q_cons, "Q_CONS", 32, f_q_cons);

static const struct ptdbg_field f_cmdq_cons[] = {
	NUM("RD", 0, 19, 0, "read index, wrap bit at LOG2SIZE"),
	RSVD(0, 23, 20),
	NUMX("ERR", 0, 30, 24, "error of the command at RD", ex_cmdq_err),
	RSVD(0, 31, 31),
};
LAYOUT(smmu_layout_cmdq_cons, "CMDQ_CONS", 32, f_cmdq_cons);

/* ---- stream table entry ---- */

static const struct ptdbg_field f_ste[] = {
	FLAG("V", 0, 0, "valid"),
	NUMX("Config", 0, 3, 1, "stage configuration", ex_config),
	NUMX("S1Fmt", 0, 5, 4, "CD table format", ex_s1fmt),
	ADDR("S1ContextPtr", 0, 51, 6, "CD or CD table"),
	RSVD(0, 58, 52),
	NUMX("S1CDMax", 0, 63, 59, "substreams (log2)", ex_cdmax),
	NUMX("S1DSS", 1, 1, 0, "transactions without substream", ex_s1dss),
	NUMX("S1CIR", 1, 3, 2, "CD fetch inner cacheability", ex_cache),
	NUMX("S1COR", 1, 5, 4, "CD fetch outer cacheability", ex_cache),
	NUMX("S1CSH", 1, 7, 6, "CD fetch shareability", ex_sh),
	NUM("S2HWU", 1, 11, 8, "stage 2 hardware use bits 59-62"),
	FLAG("DRE", 1, 12, "destructive reads"),
	NUM("CONT", 1, 16, 13, "contiguous hint"),
	FLAG("DCP", 1, 17, "directed cache prefetch"),
	FLAG("PPAR", 1, 18, "PRI page request auto-responses"),
	FLAG("MEV", 1, 19, "events may be merged"),
	RSVD(1, 24, 20),
	FLAG("S2FWB", 1, 25, "stage 2 forced write-back"),
	FLAG("S1MPAM", 1, 26, "MPAM from the CD"),
	FLAG("S1STALLD", 1, 27, "stage 1 stalls disabled"),
	NUMX("EATS", 1, 29, 28, "ATS", ex_eats),
	NUMX("STRW", 1, 31, 30, "StreamWorld", ex_strw),
	NUM("MemAttr", 1, 35, 32, "memory type override"),
	FLAG("MTCFG", 1, 36, "memory type from MemAttr"),
	NUM("ALLOCCFG", 1, 40, 37, "allocation hints"),
	RSVD(1, 43, 41),
	NUMX("SHCFG", 1, 45, 44, "shareability", ex_shcfg),
	NUM("NSCFG", 1, 47, 46, "security"),
	NUM("PRIVCFG", 1, 49, 48, "privilege"),
	NUM("INSTCFG", 1, 51, 50, "instruction/data"),
	NUM("IMPDEF", 1, 63, 52, "implementation defined"),
	NUM("S2VMID", 2, 15, 0, "VMID"),
	RSVD(2, 31, 16),
	NUMX("S2T0SZ", 2, 37, 32, "stage 2 input size", ex_tsz),
	NUM("S2SL0", 2, 39, 38, "stage 2 starting level"),
	NUMX("S2IR0", 2, 41, 40, "stage 2 walk inner cacheability", ex_cache),
	NUMX("S2OR0", 2, 43, 42, "stage 2 walk outer cacheability", ex_cache),
	NUMX("S2SH0", 2, 45, 44, "stage 2 walk shareability", ex_sh),
	NUMX("S2TG", 2, 47, 46, "stage 2 granule", ex_s2tg),
	NUMX("S2PS", 2, 50, 48, "stage 2 output size", ex_pa_bits),
	FLAG("S2AA64", 2, 51, "stage 2 AArch64 tables"),
	FLAG("S2ENDI", 2, 52, "stage 2 big-endian tables"),
	FLAG("S2AFFD", 2, 53, "stage 2 access flag faults disabled"),
	FLAG("S2PTW", 2, 54, "protected table walk"),
	FLAG("S2HD", 2, 55, "stage 2 hardware dirty state"),
	FLAG("S2HA", 2, 56, "stage 2 hardware access flag"),
	FLAG("S2S", 2, 57, "stage 2 faults stall"),
	FLAG("S2R", 2, 58, "stage 2 faults recorded"),
	RSVD(2, 63, 59),
	RSVD(3, 3, 0),
	ADDR("S2TTB", 3, 51, 4, "stage 2 table"),
	RSVD(3, 63, 52),
	RSVD(4, 63, 0),
	RSVD(5, 63, 0),
	RSVD(6, 63, 0),
	RSVD(7, 63, 0),
};
LAYOUT(smmu_layout_ste, "stream table entry", 512, f_ste);

static const struct ptdbg_field f_l1std[] = {
	NUMX("Span", 0, 4, 0, "level-2 STEs (2^(Span-1))", ex_span),
	RSVD(0, 5, 5),
	ADDR("L2Ptr", 0, 51, 6, "level-2 stream table"),
	RSVD(0, 63, 52),
};
LAYOUT(smmu_layout_l1std, "level-1 stream table descriptor", 64, f_l1std);

/* ---- context descriptor ---- */

static const struct ptdbg_field f_cd[] = {
	NUMX("T0SZ", 0, 5, 0, "TTB0 region size", ex_tsz),
	NUMX("TG0", 0, 7, 6, "TTB0 granule", ex_tg0),
	NUMX("IR0", 0, 9, 8, "TTB0 walk inner cacheability", ex_cache),
	NUMX("OR0", 0, 11, 10, "TTB0 walk outer cacheability", ex_cache),
	NUMX("SH0", 0, 13, 12, "TTB0 walk shareability", ex_sh),
	FLAG("EPD0", 0, 14, "no walks through TTB0"),
	FLAG("ENDI", 0, 15, "big-endian tables"),
	NUMX("T1SZ", 0, 21, 16, "TTB1 region size", ex_tsz),
	NUMX("TG1", 0, 23, 22, "TTB1 granule", ex_tg1),
	NUMX("IR1", 0, 25, 24, "TTB1 walk inner cacheability", ex_cache),
	NUMX("OR1", 0, 27, 26, "TTB1 walk outer cacheability", ex_cache),
	NUMX("SH1", 0, 29, 28, "TTB1 walk shareability", ex_sh),
	FLAG("EPD1", 0, 30, "no walks through TTB1"),
	FLAG("V", 0, 31, "valid"),
	NUMX("IPS", 0, 34, 32, "output size of stage 1", ex_pa_bits),
	FLAG("AFFD", 0, 35, "access flag faults disabled"),
	FLAG("WXN", 0, 36, "writable means execute-never"),
	FLAG("UWXN", 0, 37, "unprivileged writable means privileged execute-never"),
	NUMX("TBI", 0, 39, 38, "top byte ignore", ex_tbi),
	FLAG("PAN", 0, 40, "privileged access never"),
	FLAG("AA64", 0, 41, "AArch64 tables"),
	FLAG("HD", 0, 42, "hardware dirty state"),
	FLAG("HA", 0, 43, "hardware access flag"),
	FLAG("S", 0, 44, "faults stall"),
	FLAG("R", 0, 45, "faults recorded as events"),
	FLAG("A", 0, 46, "faulting transactions abort"),
	FLAG("ASET", 0, 47, "ASID set: not shared with the CPU"),
	NUM("ASID", 0, 63, 48, "address space id"),
	FLAG("NSCFG0", 1, 0, "TTB0 walks non-secure"),
	FLAG("HAD0", 1, 1, "TTB0 hierarchical attributes disabled"),
	RSVD(1, 3, 2),
	ADDR("TTB0", 1, 51, 4, "TTB0 table"),
	RSVD(1, 58, 52),
	NUM("HWU0", 1, 62, 59, "TTB0 hardware use bits"),
	RSVD(1, 63, 63),
	FLAG("NSCFG1", 2, 0, "TTB1 walks non-secure"),
	FLAG("HAD1", 2, 1, "TTB1 hierarchical attributes disabled"),
	RSVD(2, 3, 2),
	ADDR("TTB1", 2, 51, 4, "TTB1 table"),
	RSVD(2, 58, 52),
	NUM("HWU1", 2, 62, 59, "TTB1 hardware use bits"),
	RSVD(2, 63, 63),
	NUM("MAIR0", 3, 31, 0, "MAIR bits 31:0"),
	NUM("MAIR1", 3, 63, 32, "MAIR bits 63:32"),
	NUM("AMAIR0", 4, 31, 0, "AMAIR bits 31:0"),
	NUM("AMAIR1", 4, 63, 32, "AMAIR bits 63:32"),
	NUM("IMPDEF", 5, 63, 0, "implementation defined"),
	NUM("PARTID", 6, 15, 0, "MPAM partition"),
	NUM("PMG", 6, 23, 16, "MPAM monitor group"),
	RSVD(6, 63, 24),
	RSVD(7, 63, 0),
};
LAYOUT(smmu_layout_cd, "context descriptor", 512, f_cd);

static const struct ptdbg_field f_l1cd[] = {
	FLAG("V", 0, 0, "valid"),
	RSVD(0, 11, 1),
	ADDR("L2Ptr", 0, 51, 12, "level-2 CD table"),
	RSVD(0, 63, 52),
};
LAYOUT(smmu_layout_l1cd, "level-1 CD descriptor", 64, f_l1cd);

/* ---- event record and command ---- */

static const struct ptdbg_field f_event[] = {
	NUMX("Type", 0, 7, 0, "event type", ex_event_type),
	FLAG("SSV", 0, 11, "substream id valid"),
	NUM("SubstreamID", 0, 31, 12, "substream"),
	NUM("StreamID", 0, 63, 32, "stream"),
	NUM("STAG", 1, 15, 0, "stall tag"),
	FLAG("Stall", 1, 31, "transaction stalled"),
	FLAG("PnU", 1, 33, "privileged"),
	FLAG("InD", 1, 34, "instruction fetch"),
	FLAG("RnW", 1, 35, "read (else write)"),
	FLAG("S2", 1, 39, "stage 2 fault"),
	NUMX("CLASS", 1, 41, 40, "what faulted: CD fetch, table walk, input address", ex_class),
	FLAG("TTRnW", 1, 44, "the table access was a read"),
	NUM("InputAddr", 2, 63, 0, "input address"),
	FLAG("NSIPA", 3, 0, "non-secure IPA"),
	ADDR("IPA/FetchAddr", 3, 51, 3, "IPA (bits 51:12) or fetch address"),
};
LAYOUT(smmu_layout_event, "event record", 256, f_event);

static const struct ptdbg_field f_cmd[] = {
	NUMX("Opcode", 0, 7, 0, "command", ex_opcode),
	FLAG("SSEC", 0, 10, "secure stream"),
	FLAG("SSV", 0, 11, "substream id valid"),
	NUM("SSID/NUM", 0, 31, 12, "substream id (CFGI_CD, ATC_INV), range (TLBI)"),
	NUM("SID/VMID/ASID", 0, 63, 32, "stream id, or VMID (47:32) and ASID (63:48)"),
	FLAG("Leaf", 1, 0, "leaf only / range"),
	NUM("Range/TTL/TG", 1, 11, 1, "range, TTL and granule hints"),
	ADDR("Addr", 1, 63, 12, "address"),
};
LAYOUT(smmu_layout_cmd, "command", 128, f_cmd);
