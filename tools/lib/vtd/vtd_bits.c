/* SPDX-License-Identifier: MIT */
/*
 * VT-d bit layouts as tables (see vtd_bits.h). Sources: VT-d specification 3.x/4.x,
 * section 10.4 (registers), 9.1-9.6 (root, context, PASID directory and table
 * entries), 9.8 (second-level paging entries), 10.4.14 (fault recording).
 */
#include <stdio.h>
#include <string.h>

#include "out/json.h"
#include "vtd/vtd_bits.h"
#include "vtd/vtd_fault.h"

#define LAYOUT(var, label, nbits, arr) \
	const struct ptdbg_layout var = { label, nbits, arr, sizeof(arr) / sizeof(arr[0]) }

#define FLAG(n, bit, d)         { n, bit, 1, PTDBG_FK_FLAG, d, NULL }
#define NUM(n, hi, lo, d)       { n, lo, (hi) - (lo) + 1, PTDBG_FK_NUM, d, NULL }
#define NUMX(n, hi, lo, d, fn)  { n, lo, (hi) - (lo) + 1, PTDBG_FK_NUM, d, fn }
#define ADDR(n, hi, lo, d)      { n, lo, (hi) - (lo) + 1, PTDBG_FK_ADDR, d, NULL }
#define RSVD(hi, lo)            { "rsvd", lo, (hi) - (lo) + 1, PTDBG_FK_RSVD, "reserved (must be 0)", NULL }

/* ---- value explanations ---- */

static const char *explain_nd(uint64_t v, char *buf, size_t len)
{
	if (v > 6)
		return "reserved";
	snprintf(buf, len, "%u domain ids", 1u << (4 + 2 * (unsigned)v));
	return buf;
}

static const char *explain_sagaw(uint64_t v, char *buf, size_t len)
{
	size_t pos = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < 5; i++) {
		if (!(v & (1u << i)))
			continue;
		int w = snprintf(buf + pos, len - pos, "%s%u-bit/%u-level", pos ? ", " : "",
				 vtd_aw_bits(i), vtd_aw_levels(i));
		if (w < 0 || (size_t)w >= len - pos)
			break;
		pos += (size_t)w;
	}
	return pos ? buf : "none";
}

static const char *explain_plus1_bits(uint64_t v, char *buf, size_t len)
{
	snprintf(buf, len, "%u bits", (unsigned)v + 1);
	return buf;
}

static const char *explain_x16(uint64_t v, char *buf, size_t len)
{
	snprintf(buf, len, "offset 0x%llx", (unsigned long long)v * 16);
	return buf;
}

static const char *explain_plus1(uint64_t v, char *buf, size_t len)
{
	snprintf(buf, len, "%u", (unsigned)v + 1);
	return buf;
}

static const char *explain_sllps(uint64_t v, char *buf, size_t len)
{
	static const char *const sz[4] = { "2M", "1G", "512G", "256T" };
	size_t pos = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < 4; i++)
		if (v & (1u << i)) {
			int w = snprintf(buf + pos, len - pos, "%s%s", pos ? "," : "", sz[i]);
			if (w < 0 || (size_t)w >= len - pos)
				break;
			pos += (size_t)w;
		}
	return pos ? buf : "4K only";
}

static const char *explain_ttm(uint64_t v, char *buf, size_t len)
{
	return vtd_ttm_name((unsigned)v);
}

static const char *explain_tt(uint64_t v, char *buf, size_t len)
{
	return vtd_tt_name((unsigned)v);
}

static const char *explain_aw(uint64_t v, char *buf, size_t len)
{
	if (!vtd_aw_bits((unsigned)v))
		return "reserved";
	snprintf(buf, len, "%u-bit, %u-level", vtd_aw_bits((unsigned)v), vtd_aw_levels((unsigned)v));
	return buf;
}

static const char *explain_pgtt(uint64_t v, char *buf, size_t len)
{
	return vtd_pgtt_name((unsigned)v);
}

static const char *explain_pdts(uint64_t v, char *buf, size_t len)
{
	snprintf(buf, len, "%u directory entries", 1u << ((unsigned)v + 7));
	return buf;
}

static const char *explain_pow2(uint64_t v, char *buf, size_t len)
{
	snprintf(buf, len, "%llu entries", 1ull << (v & 31));
	return buf;
}

static const char *explain_fr(uint64_t v, char *buf, size_t len);

static const char *explain_inv_granule(uint64_t v, char *buf, size_t len)
{
	static const char *const g[4] = { "none", "global", "domain", "device/page" };
	return g[v & 3];
}

static const char *explain_fault_type(uint64_t v, char *buf, size_t len)
{
	return v ? "read" : "write";
}

static const char *explain_emt(uint64_t v, char *buf, size_t len)
{
	return x86_memtype_name((unsigned)v);
}

/* ---- registers ---- */

static const struct ptdbg_field f_ver[] = {
	NUM("MIN", 3, 0, "minor version"),
	NUM("MAX", 7, 4, "major version"),
	RSVD(31, 8),
};
LAYOUT(vtd_layout_ver, "VER", 32, f_ver);

static const struct ptdbg_field f_cap[] = {
	NUMX("ND", 2, 0, "number of domains supported", explain_nd),
	FLAG("AFL", 3, "advanced fault logging"),
	FLAG("RWBF", 4, "required write-buffer flushing"),
	FLAG("PLMR", 5, "protected low-memory region"),
	FLAG("PHMR", 6, "protected high-memory region"),
	FLAG("CM", 7, "caching mode (not-present entries may be cached)"),
	NUMX("SAGAW", 12, 8, "supported adjusted guest address widths", explain_sagaw),
	RSVD(15, 13),
	NUMX("MGAW", 21, 16, "maximum guest address width - 1", explain_plus1_bits),
	FLAG("ZLR", 22, "zero-length read"),
	FLAG("DEP", 23, "deprecated (reserved)"),
	NUMX("FRO", 33, 24, "fault-recording register offset / 16", explain_x16),
	NUMX("SLLPS", 37, 34, "second-level large page sizes", explain_sllps),
	RSVD(38, 38),
	FLAG("PSI", 39, "page-selective invalidation"),
	NUMX("NFR", 47, 40, "number of fault-recording registers - 1", explain_plus1),
	NUM("MAMV", 53, 48, "maximum address mask value"),
	FLAG("DWD", 54, "write draining"),
	FLAG("DRD", 55, "read draining"),
	FLAG("FL1GP", 56, "first-level 1 GiB pages"),
	RSVD(58, 57),
	FLAG("PI", 59, "posted interrupts"),
	FLAG("FL5LP", 60, "first-level 5-level paging"),
	RSVD(61, 61),
	FLAG("ESIRTPS", 62, "enhanced set interrupt remap table pointer"),
	FLAG("ESRTPS", 63, "enhanced set root table pointer"),
};
LAYOUT(vtd_layout_cap, "CAP", 64, f_cap);

static const struct ptdbg_field f_ecap[] = {
	FLAG("C", 0, "page-walk coherency"),
	FLAG("QI", 1, "queued invalidation"),
	FLAG("DT", 2, "device TLB"),
	FLAG("IR", 3, "interrupt remapping"),
	FLAG("EIM", 4, "extended interrupt mode (x2APIC)"),
	RSVD(5, 5),
	FLAG("PT", 6, "pass-through"),
	FLAG("SC", 7, "snoop control"),
	NUMX("IRO", 17, 8, "IOTLB register offset / 16", explain_x16),
	RSVD(19, 18),
	NUM("MHMV", 23, 20, "maximum handle mask value"),
	RSVD(24, 24),
	FLAG("MTS", 25, "memory type"),
	FLAG("NEST", 26, "nested translation"),
	RSVD(28, 27),
	FLAG("PRS", 29, "page requests"),
	FLAG("ERS", 30, "execute requests"),
	FLAG("SRS", 31, "supervisor requests"),
	RSVD(32, 32),
	FLAG("NWFS", 33, "no write flag"),
	FLAG("EAFS", 34, "extended accessed flag"),
	NUMX("PSS", 39, 35, "PASID size - 1 (bits)", explain_plus1_bits),
	FLAG("PASID", 40, "process address space id"),
	FLAG("DIT", 41, "device-TLB invalidation throttle"),
	FLAG("PDS", 42, "page-request drain"),
	FLAG("SMTS", 43, "scalable-mode translation"),
	FLAG("VCS", 44, "virtual command"),
	FLAG("SLADS", 45, "second-level accessed/dirty"),
	FLAG("SLTS", 46, "second-level translation"),
	FLAG("FLTS", 47, "first-level translation"),
	FLAG("SMPWCS", 48, "scalable-mode page-walk coherency"),
	FLAG("RPS", 49, "RID_PASID"),
	FLAG("ADMS", 50, "abort DMA mode"),
	FLAG("RPRIVS", 51, "RID_PRIV"),
	RSVD(63, 52),
};
LAYOUT(vtd_layout_ecap, "ECAP", 64, f_ecap);

static const struct ptdbg_field f_gcmd[] = {
	RSVD(22, 0),
	FLAG("CFI", 23, "compatibility format interrupt"),
	FLAG("SIRTP", 24, "set interrupt remap table pointer"),
	FLAG("IRE", 25, "interrupt remapping enable"),
	FLAG("QIE", 26, "queued invalidation enable"),
	FLAG("WBF", 27, "write buffer flush"),
	FLAG("EAFL", 28, "enable advanced fault logging"),
	FLAG("SFL", 29, "set fault log"),
	FLAG("SRTP", 30, "set root table pointer"),
	FLAG("TE", 31, "translation enable"),
};
LAYOUT(vtd_layout_gcmd, "GCMD", 32, f_gcmd);

static const struct ptdbg_field f_gsts[] = {
	RSVD(22, 0),
	FLAG("CFIS", 23, "compatibility format interrupts allowed"),
	FLAG("IRTPS", 24, "interrupt remap table pointer set"),
	FLAG("IRES", 25, "interrupt remapping enabled"),
	FLAG("QIES", 26, "queued invalidation enabled"),
	FLAG("WBFS", 27, "write buffer flush pending"),
	FLAG("AFLS", 28, "advanced fault logging enabled"),
	FLAG("FLS", 29, "fault log set"),
	FLAG("RTPS", 30, "root table pointer set"),
	FLAG("TES", 31, "translation enabled"),
};
LAYOUT(vtd_layout_gsts, "GSTS", 32, f_gsts);

static const struct ptdbg_field f_rtaddr[] = {
	RSVD(9, 0),
	NUMX("TTM", 11, 10, "translation table mode", explain_ttm),
	ADDR("RTA", 63, 12, "root table address"),
};
LAYOUT(vtd_layout_rtaddr, "RTADDR", 64, f_rtaddr);

static const struct ptdbg_field f_ccmd[] = {
	NUM("DID", 15, 0, "domain id"),
	NUM("SID", 31, 16, "source id"),
	NUM("FM", 33, 32, "function mask"),
	RSVD(58, 34),
	NUMX("CAIG", 60, 59, "actual invalidation granularity", explain_inv_granule),
	NUMX("CIRG", 62, 61, "requested invalidation granularity", explain_inv_granule),
	FLAG("ICC", 63, "invalidate context cache"),
};
LAYOUT(vtd_layout_ccmd, "CCMD", 64, f_ccmd);

static const struct ptdbg_field f_fsts[] = {
	FLAG("PFO", 0, "primary fault overflow"),
	FLAG("PPF", 1, "primary pending fault"),
	FLAG("AFO", 2, "advanced fault overflow"),
	FLAG("APF", 3, "advanced pending fault"),
	FLAG("IQE", 4, "invalidation queue error"),
	FLAG("ICE", 5, "invalidation completion error"),
	FLAG("ITE", 6, "invalidation time-out error"),
	FLAG("PRO", 7, "page request overflow"),
	NUM("FRI", 15, 8, "fault record index"),
	RSVD(31, 16),
};
LAYOUT(vtd_layout_fsts, "FSTS", 32, f_fsts);

static const struct ptdbg_field f_ectl[] = {
	RSVD(29, 0),
	FLAG("IP", 30, "interrupt pending"),
	FLAG("IM", 31, "interrupt mask"),
};
LAYOUT(vtd_layout_fectl, "FECTL", 32, f_ectl);
LAYOUT(vtd_layout_iectl, "IECTL", 32, f_ectl);

static const struct ptdbg_field f_msi_data[] = {
	NUM("IMD", 15, 0, "interrupt message data"),
	NUM("EIMD", 31, 16, "extended interrupt message data"),
};
LAYOUT(vtd_layout_msi_data, "event data", 32, f_msi_data);
LAYOUT(vtd_layout_fedata, "FEDATA", 32, f_msi_data);

static const struct ptdbg_field f_msi_addr[] = {
	RSVD(1, 0),
	ADDR("MA", 31, 2, "message address"),
};
LAYOUT(vtd_layout_msi_addr, "event address", 32, f_msi_addr);
LAYOUT(vtd_layout_feaddr, "FEADDR", 32, f_msi_addr);

static const struct ptdbg_field f_msi_uaddr[] = {
	NUM("MUA", 31, 0, "message upper address"),
};
LAYOUT(vtd_layout_msi_uaddr, "event upper address", 32, f_msi_uaddr);
LAYOUT(vtd_layout_feuaddr, "FEUADDR", 32, f_msi_uaddr);

static const struct ptdbg_field f_aflog[] = {
	RSVD(8, 0),
	NUMX("FLS", 11, 9, "fault log size (2^FLS pages)", explain_pow2),
	ADDR("FLA", 63, 12, "fault log address"),
};
LAYOUT(vtd_layout_aflog, "AFLOG", 64, f_aflog);

static const struct ptdbg_field f_pmen[] = {
	FLAG("PRS", 0, "protected region status"),
	RSVD(30, 1),
	FLAG("EPM", 31, "enable protected memory"),
};
LAYOUT(vtd_layout_pmen, "PMEN", 32, f_pmen);

static const struct ptdbg_field f_plm[] = {
	RSVD(11, 0),
	ADDR("ADDR", 31, 12, "protected low-memory address"),
};
LAYOUT(vtd_layout_plmbase, "PLMBASE", 32, f_plm);
LAYOUT(vtd_layout_plmlimit, "PLMLIMIT", 32, f_plm);

static const struct ptdbg_field f_phm[] = {
	RSVD(11, 0),
	ADDR("ADDR", 63, 12, "protected high-memory address"),
};
LAYOUT(vtd_layout_phmbase, "PHMBASE", 64, f_phm);
LAYOUT(vtd_layout_phmlimit, "PHMLIMIT", 64, f_phm);

static const struct ptdbg_field f_iqh[] = {
	RSVD(3, 0),
	NUM("QH", 18, 4, "queue head (128-bit descriptor index)"),
	RSVD(63, 19),
};
LAYOUT(vtd_layout_iqh, "IQH", 64, f_iqh);

static const struct ptdbg_field f_iqt[] = {
	RSVD(3, 0),
	NUM("QT", 18, 4, "queue tail (128-bit descriptor index)"),
	RSVD(63, 19),
};
LAYOUT(vtd_layout_iqt, "IQT", 64, f_iqt);

static const struct ptdbg_field f_iqa[] = {
	NUMX("QS", 2, 0, "queue size (2^QS pages)", explain_pow2),
	RSVD(10, 3),
	FLAG("DW", 11, "256-bit descriptors"),
	ADDR("IQA", 63, 12, "invalidation queue base"),
};
LAYOUT(vtd_layout_iqa, "IQA", 64, f_iqa);

static const struct ptdbg_field f_ics[] = {
	FLAG("IWC", 0, "invalidation wait descriptor complete"),
	RSVD(31, 1),
};
LAYOUT(vtd_layout_ics, "ICS", 32, f_ics);

static const struct ptdbg_field f_iqercd[] = {
	NUM("IQEI", 3, 0, "invalidation queue error info"),
	RSVD(31, 4),
	NUM("ITESID", 47, 32, "invalidation time-out error source id"),
	NUM("ICESID", 63, 48, "invalidation completion error source id"),
};
LAYOUT(vtd_layout_iqercd, "IQERCD", 64, f_iqercd);

static const struct ptdbg_field f_irta[] = {
	NUM("S", 3, 0, "table size (2^(S+1) entries)"),
	RSVD(10, 4),
	FLAG("EIME", 11, "extended interrupt mode enable (x2APIC)"),
	ADDR("IRTA", 63, 12, "interrupt remapping table address"),
};
LAYOUT(vtd_layout_irta, "IRTA", 64, f_irta);

static const struct ptdbg_field f_pqh[] = {
	RSVD(4, 0),
	NUM("PQH", 18, 5, "page request queue head"),
	RSVD(63, 19),
};
LAYOUT(vtd_layout_pqh, "PQH", 64, f_pqh);

static const struct ptdbg_field f_pqt[] = {
	RSVD(4, 0),
	NUM("PQT", 18, 5, "page request queue tail"),
	RSVD(63, 19),
};
LAYOUT(vtd_layout_pqt, "PQT", 64, f_pqt);

static const struct ptdbg_field f_pqa[] = {
	NUMX("PQS", 2, 0, "queue size (2^PQS pages)", explain_pow2),
	RSVD(11, 3),
	ADDR("PQA", 63, 12, "page request queue base"),
};
LAYOUT(vtd_layout_pqa, "PQA", 64, f_pqa);

static const struct ptdbg_field f_prs[] = {
	FLAG("PPR", 0, "pending page request"),
	FLAG("PRO", 1, "page request overflow"),
	RSVD(31, 2),
};
LAYOUT(vtd_layout_prs, "PRS", 32, f_prs);

static const struct ptdbg_field f_iva[] = {
	NUM("AM", 5, 0, "address mask (2^AM pages)"),
	FLAG("IH", 6, "invalidation hint (leaf only)"),
	RSVD(11, 7),
	ADDR("ADDR", 63, 12, "address to invalidate"),
};
LAYOUT(vtd_layout_iva, "IVA", 64, f_iva);

static const struct ptdbg_field f_iotlb[] = {
	RSVD(31, 0),
	NUM("DID", 47, 32, "domain id"),
	FLAG("DW", 48, "drain writes"),
	FLAG("DR", 49, "drain reads"),
	RSVD(56, 50),
	NUMX("IAIG", 58, 57, "actual invalidation granularity", explain_inv_granule),
	RSVD(59, 59),
	NUMX("IIRG", 61, 60, "requested invalidation granularity", explain_inv_granule),
	RSVD(62, 62),
	FLAG("IVT", 63, "invalidate IOTLB"),
};
LAYOUT(vtd_layout_iotlb, "IOTLB", 64, f_iotlb);

static const struct ptdbg_field f_frcd[] = {
	RSVD(11, 0),
	ADDR("FI", 63, 12, "fault information (page address)"),
	NUM("SID", 79, 64, "source id (bus:dev.fn)"),
	RSVD(91, 80),
	FLAG("T2", 92, "type bit 2 (page request / atomic)"),
	FLAG("PRIV", 93, "privileged request"),
	FLAG("EXE", 94, "execute request"),
	FLAG("PP", 95, "PASID present"),
	NUMX("FR", 103, 96, "fault reason", explain_fr),
	NUM("PV", 123, 104, "PASID value"),
	NUM("AT", 125, 124, "address type"),
	NUMX("T1", 126, 126, "type bit 1 (1 read, 0 write)", explain_fault_type),
	FLAG("F", 127, "fault recorded"),
};
LAYOUT(vtd_layout_frcd, "FRCD", 128, f_frcd);

/* ---- table entries ---- */

static const struct ptdbg_field f_root[] = {
	FLAG("P", 0, "present"),
	RSVD(11, 1),
	ADDR("CTP", 63, 12, "context-table pointer"),
	RSVD(127, 64),
};
LAYOUT(vtd_layout_root, "root entry", 128, f_root);

static const struct ptdbg_field f_smroot[] = {
	FLAG("LP", 0, "lower present (devfn 0-127)"),
	RSVD(11, 1),
	ADDR("LCTP", 63, 12, "lower context-table pointer"),
	FLAG("UP", 64, "upper present (devfn 128-255)"),
	RSVD(75, 65),
	{ "UCTP", 76, 52, PTDBG_FK_ADDR, "upper context-table pointer", NULL },
};
LAYOUT(vtd_layout_smroot, "scalable-mode root entry", 128, f_smroot);

static const struct ptdbg_field f_ctx[] = {
	FLAG("P", 0, "present"),
	FLAG("FPD", 1, "fault processing disable"),
	NUMX("TT", 3, 2, "translation type", explain_tt),
	RSVD(11, 4),
	ADDR("SLPTPTR", 63, 12, "second-level page-table pointer"),
	NUMX("AW", 66, 64, "address width", explain_aw),
	NUM("AVAIL", 70, 67, "available to software"),
	RSVD(71, 71),
	NUM("DID", 87, 72, "domain id"),
	RSVD(127, 88),
};
LAYOUT(vtd_layout_ctx, "context entry", 128, f_ctx);

static const struct ptdbg_field f_smctx[] = {
	FLAG("P", 0, "present"),
	FLAG("FPD", 1, "fault processing disable"),
	FLAG("DTE", 2, "device-TLB enable"),
	FLAG("PASIDE", 3, "PASID enable"),
	FLAG("PRE", 4, "page request enable"),
	RSVD(8, 5),
	NUMX("PDTS", 11, 9, "PASID directory size", explain_pdts),
	ADDR("PASIDDIRPTR", 63, 12, "PASID directory pointer"),
	NUM("RID_PASID", 83, 64, "PASID for requests without PASID"),
	FLAG("RID_PRIV", 84, "privilege for requests without PASID"),
	RSVD(127, 85),
	RSVD(191, 128),
	RSVD(255, 192),
};
LAYOUT(vtd_layout_smctx, "scalable-mode context entry", 256, f_smctx);

static const struct ptdbg_field f_pasid_dir[] = {
	FLAG("P", 0, "present"),
	FLAG("FPD", 1, "fault processing disable"),
	RSVD(11, 2),
	ADDR("SMPTBLPTR", 63, 12, "PASID table pointer"),
};
LAYOUT(vtd_layout_pasid_dir, "PASID directory entry", 64, f_pasid_dir);

static const struct ptdbg_field f_pasid_entry[] = {
	FLAG("P", 0, "present"),
	FLAG("FPD", 1, "fault processing disable"),
	NUMX("AW", 4, 2, "second-level address width", explain_aw),
	FLAG("SLEE", 5, "second-level execute enable"),
	NUMX("PGTT", 8, 6, "PASID granular translation type", explain_pgtt),
	FLAG("SLADE", 9, "second-level accessed/dirty enable"),
	RSVD(11, 10),
	ADDR("SLPTPTR", 63, 12, "second-level page-table pointer"),
	NUM("DID", 79, 64, "domain id"),
	RSVD(86, 80),
	FLAG("PWSNP", 87, "page-walk snoop"),
	FLAG("PGSNP", 88, "page snoop"),
	FLAG("CD", 89, "cache disable"),
	FLAG("EMTE", 90, "extended memory type enable"),
	NUMX("EMT", 93, 91, "extended memory type", explain_emt),
	FLAG("PWT", 94, "page-level write-through"),
	FLAG("PCD", 95, "page-level cache disable"),
	NUM("PAT", 127, 96, "page attribute table"),
	FLAG("SRE", 128, "supervisor requests enable"),
	FLAG("ERE", 129, "execute requests enable"),
	NUM("FLPM", 131, 130, "first-level paging mode (0: 4-level, 1: 5-level)"),
	FLAG("WPE", 132, "write protect enable"),
	FLAG("NXE", 133, "no-execute enable"),
	FLAG("SMEP", 134, "supervisor mode execute protection"),
	FLAG("EAFE", 135, "extended accessed flag enable"),
	RSVD(139, 136),
	{ "FLPTPTR", 140, 52, PTDBG_FK_ADDR, "first-level page-table pointer", NULL },
	RSVD(255, 192),
	RSVD(319, 256),
	RSVD(383, 320),
	RSVD(447, 384),
	RSVD(511, 448),
};
LAYOUT(vtd_layout_pasid_entry, "PASID table entry", 512, f_pasid_entry);

static const struct ptdbg_field f_sl_table[] = {
	FLAG("R", 0, "read"),
	FLAG("W", 1, "write"),
	FLAG("X", 2, "execute"),
	NUM("IGN", 6, 3, "ignored"),
	FLAG("PS", 7, "page size (must be 0 in a table entry)"),
	FLAG("A", 8, "accessed"),
	NUM("IGN2", 10, 9, "ignored"),
	RSVD(11, 11),
	ADDR("ADDR", 51, 12, "next-level table address"),
	NUM("IGNH", 61, 52, "ignored"),
	RSVD(62, 62),
	FLAG("IGN63", 63, "ignored"),
};
LAYOUT(vtd_layout_sl_table, "second-level table entry", 64, f_sl_table);

static const struct ptdbg_field f_sl_leaf[] = {
	FLAG("R", 0, "read"),
	FLAG("W", 1, "write"),
	FLAG("X", 2, "execute"),
	NUMX("EMT", 5, 3, "extended memory type", explain_emt),
	FLAG("IPAT", 6, "ignore PAT"),
	FLAG("PS", 7, "page size (superpage)"),
	FLAG("A", 8, "accessed"),
	FLAG("D", 9, "dirty"),
	FLAG("IGN10", 10, "ignored"),
	FLAG("SNP", 11, "snoop (needs ECAP.SC)"),
	ADDR("ADDR", 51, 12, "page address"),
	NUM("IGNH", 61, 52, "ignored"),
	FLAG("TM", 62, "transient mapping (needs ECAP.DT)"),
	FLAG("IGN63", 63, "ignored"),
};
LAYOUT(vtd_layout_sl_leaf, "second-level leaf entry", 64, f_sl_leaf);

static const struct ptdbg_bit bits_sl_entry[] = {
	PTDBG_FLAG(VTD_SL_R, "R", "-"),
	PTDBG_FLAG(VTD_SL_W, "W", "-"),
	PTDBG_FLAG(VTD_SL_X, "X", NULL),
	PTDBG_FLAG(VTD_SL_PS, "PS", NULL),
	PTDBG_FLAG(VTD_SL_SNP, "SNP", NULL),
	PTDBG_FLAG(VTD_SL_TM, "TM", NULL),
	PTDBG_FLAG(VTD_SL_IPAT, "IPAT", NULL),
	PTDBG_FLAG(VTD_SL_A, "A", NULL),
	PTDBG_FLAG(VTD_SL_D, "D", NULL),
};
const struct ptdbg_bit_table vtd_bits_sl_entry = {
	"second-level entry", bits_sl_entry, sizeof(bits_sl_entry) / sizeof(bits_sl_entry[0])
};

static const char *explain_fr(uint64_t v, char *buf, size_t len)
{
	return vtd_fault_reason_name((unsigned)v);
}

const char *vtd_ttm_name(unsigned ttm)
{
	static const char *const n[4] = { "legacy", "scalable", "reserved", "abort-dma" };
	return ttm < 4 ? n[ttm] : "?";
}

const char *vtd_tt_name(unsigned tt)
{
	static const char *const n[4] = { "untranslated", "untranslated+devtlb", "pass-through",
					  "reserved" };
	return tt < 4 ? n[tt] : "?";
}

const char *vtd_pgtt_name(unsigned pgtt)
{
	static const char *const n[8] = { "reserved(0)", "first-level", "second-level", "nested",
					  "pass-through", "reserved(5)", "reserved(6)", "reserved(7)" };
	return pgtt < 8 ? n[pgtt] : "?";
}

unsigned vtd_aw_bits(unsigned aw)
{
	return aw <= 3 ? 30 + 9 * aw : aw == 4 ? 64 : 0;
}

unsigned vtd_aw_levels(unsigned aw)
{
	return aw <= 4 ? aw + 2 : 0;
}
