/* SPDX-License-Identifier: MIT */
/*
 * SMMUv3 configuration structures (IHI 0070 chapter 5): the stream table (linear
 * or two-level), stream table entries, CD tables (linear or two-level) and context
 * descriptors, decoded; and the lookup that takes a stream id (and substream id)
 * from STRTAB_BASE to the context descriptor whose stage-1 tables the SMMU walks,
 * with the configuration error the SMMU would record if it stops on the way.
 *
 * Everything the guest controls is bounded: the stream table's LOG2SIZE by the
 * SMMU's SIDSIZE and 32, SPLIT by 12, a level-1 descriptor's Span by SPLIT+1,
 * S1CDMax by SSIDSIZE and 20; a scan stops after a budget of stream table entries.
 * Memory that cannot be read, and pointers out of range, end a lookup with the
 * event the SMMU would record (F_STE_FETCH, C_BAD_STREAMID, F_CD_FETCH, ...); the
 * functions return an error only when the link to the target fails.
 *
 * The stage-1 tables themselves are VMSAv8-64 tables, walked by the AArch64
 * decoder: smmu_s1_cfg_from_lookup() gives what it needs.
 */
#ifndef PTDBG_SMMU_TABLES_H
#define PTDBG_SMMU_TABLES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "smmu/smmu_bits.h"
#include "target/mem.h"

struct smmu_regs;
struct ptdbg_json;

/* What the lookup needs to know about the SMMU. With known false (no registers),
 * zero means unknown and nothing is checked against it. */
struct smmu_hw {
	unsigned oas;          /* output address size in bits (0: 52) */
	unsigned sidsize;      /* IDR1.SIDSIZE (0 and not known: 32) */
	unsigned ssidsize;     /* IDR1.SSIDSIZE (0 and not known: 20) */
	bool     known;        /* the flags below come from IDR0/IDR5 */
	bool     s1p, s2p, cd2l, st_2lvl, vax, asid16;
	bool     gran4k, gran16k, gran64k;
	unsigned ttf;          /* IDR0.TTF: bit 0 AArch32, bit 1 AArch64 */
	unsigned httu;         /* IDR0.HTTU */
	unsigned ttendian;     /* IDR0.TTENDIAN */
	bool     term_model;   /* IDR0.TERM_MODEL: CD.A must be 1 */
	unsigned stall_model;  /* IDR0.STALL_MODEL: 1 means CD.S must be 0 */
};
void smmu_hw_from_regs(struct smmu_hw *hw, const struct smmu_regs *r);

/* The stream table as STRTAB_BASE and STRTAB_BASE_CFG describe it. */
struct smmu_strtab {
	uint64_t base;         /* STRTAB_BASE.ADDR */
	unsigned fmt;          /* enum smmu_strtab_fmt */
	unsigned log2size;     /* as programmed */
	unsigned split;        /* as programmed */
};
void smmu_strtab_from_regs(struct smmu_strtab *st, const struct smmu_regs *r);

/* The stream ids the table covers (log2), bounded by SIDSIZE and 32; the split
 * used (bounded by 12 and by that size); level-1 descriptors of a two-level table. */
unsigned smmu_strtab_log2size(const struct smmu_hw *hw, const struct smmu_strtab *st);
unsigned smmu_strtab_split(const struct smmu_hw *hw, const struct smmu_strtab *st);
uint64_t smmu_strtab_l1_count(const struct smmu_hw *hw, const struct smmu_strtab *st);
/* Bytes of the stream table proper (the level-1 table when two-level). */
uint64_t smmu_strtab_bytes(const struct smmu_hw *hw, const struct smmu_strtab *st);

/* A stream table entry, decoded. */
struct smmu_ste {
	uint64_t w[SMMU_STE_DWORDS];
	bool     v;
	unsigned config;       /* enum smmu_ste_config */
	unsigned s1fmt;        /* enum smmu_s1fmt */
	uint64_t s1ctxptr;
	unsigned s1cdmax;
	unsigned s1dss, s1cir, s1cor, s1csh;
	bool     mev, s1stalld;
	unsigned eats, strw, shcfg;
	unsigned s2vmid, s2t0sz, s2sl0, s2tg, s2ps;
	bool     s2aa64, s2endi, s2affd, s2ptw, s2hd, s2ha, s2s, s2r;
	uint64_t s2ttb;
};
void smmu_ste_decode(const uint64_t w[SMMU_STE_DWORDS], struct smmu_ste *s);
/* Reserved bits set, dword by dword into rsvd[]; true if any. */
bool smmu_ste_reserved(const uint64_t w[SMMU_STE_DWORDS], unsigned oas,
		       uint64_t rsvd[SMMU_STE_DWORDS]);
/* Why a valid STE is ILLEGAL for hw (C_BAD_STE), or NULL. */
const char *smmu_ste_invalid(const struct smmu_hw *hw, const struct smmu_ste *s);

/* A context descriptor, decoded. */
struct smmu_cd {
	uint64_t w[SMMU_CD_DWORDS];
	bool     v;
	unsigned t0sz, tg0, ir0, or0, sh0;
	bool     epd0, endi;
	unsigned t1sz, tg1, ir1, or1, sh1;
	bool     epd1;
	unsigned ips;
	bool     affd, wxn, uwxn;
	unsigned tbi;
	bool     pan, aa64, hd, ha, s, r, a, aset;
	unsigned asid;
	bool     nscfg0, had0, nscfg1, had1;
	uint64_t ttb0, ttb1;
	unsigned hwu0, hwu1;
	uint64_t mair, amair;
	/* derived */
	unsigned ias0, ias1;   /* input address bits of the TTB0 / TTB1 regions (64 - TnSZ) */
	unsigned ips_bits;     /* output size of stage 1 in bits (0: reserved encoding) */
	uint64_t gran0, gran1; /* granule in bytes (0: reserved encoding) */
};
void smmu_cd_decode(const uint64_t w[SMMU_CD_DWORDS], struct smmu_cd *c);
bool smmu_cd_reserved(const uint64_t w[SMMU_CD_DWORDS], unsigned oas,
		      uint64_t rsvd[SMMU_CD_DWORDS]);
/* Why a valid CD is ILLEGAL for hw (C_BAD_CD), or NULL. */
const char *smmu_cd_invalid(const struct smmu_hw *hw, const struct smmu_cd *c);

/* Requests without a substream id. */
#define SMMU_NO_SSID 0xffffffffu
#define SMMU_NO_SID  0xffffffffu /* no stream named */

/* Where the lookup stopped. */
enum smmu_stage {
	SMMU_AT_STRTAB = 1,  /* stream id range, level-1 stream table descriptor */
	SMMU_AT_STE,
	SMMU_AT_CD_L1,       /* substream range, level-1 CD descriptor */
	SMMU_AT_CD,
	SMMU_AT_DONE,
};
const char *smmu_stage_name(enum smmu_stage s);

/* How the stream's transactions are handled once the lookup is done. */
enum smmu_xlate {
	SMMU_XL_NONE = 0,    /* the lookup failed: see event */
	SMMU_XL_ABORT,       /* Config abort: terminated, no event */
	SMMU_XL_BYPASS,      /* Config bypass, or S1DSS bypass for no substream */
	SMMU_XL_S1,          /* stage 1 through the CD */
	SMMU_XL_S2,          /* stage 2 only (decoded, not walked) */
	SMMU_XL_NESTED,      /* stage 1 then stage 2 */
};
const char *smmu_xlate_name(enum smmu_xlate x);

/* The outcome of a lookup, with every structure read on the way. */
struct smmu_stream_lookup {
	uint32_t sid;
	uint32_t ssid;           /* substream asked for (SMMU_NO_SSID: none) */
	uint32_t ssid_used;      /* substream whose CD was used (S1DSS substream0: 0) */
	struct smmu_strtab st;
	bool     two_level;
	uint64_t l1_pa, l1;      /* level-1 stream table descriptor (two-level) */
	unsigned span;
	uint64_t ste_pa;
	bool     have_ste;
	struct smmu_ste ste;
	uint64_t l1cd_pa, l1cd;  /* level-1 CD descriptor (two-level CD table) */
	bool     have_l1cd;
	uint64_t cd_pa;
	bool     have_cd;
	struct smmu_cd cd;
	enum smmu_stage stage;   /* last stage reached (DONE on success) */
	unsigned event;          /* enum smmu_event_type the SMMU would record, 0 if none */
	uint64_t fetch_addr;     /* F_STE_FETCH / F_CD_FETCH: the address that failed */
	int      read_err;       /* PTDBG_E* of that read */
	char     why[160];       /* one line: why the lookup stopped, "" on success */
	enum smmu_xlate xlate;
	/* Reserved bits set in what was read (0 where nothing was read). */
	uint64_t l1_rsvd, l1cd_rsvd;
	uint64_t ste_rsvd[SMMU_STE_DWORDS], cd_rsvd[SMMU_CD_DWORDS];
	bool     rsvd_set;
	/* A CD, CD table or level-2 stream table inside the stream table itself. */
	bool     overlap;
	char     overlap_why[96];
};

/* Where the lookup of stream sid reads first: its STE in a linear table, its
 * level-1 descriptor in a two-level one. */
uint64_t smmu_strtab_entry_pa(const struct smmu_hw *hw, const struct smmu_strtab *st, uint32_t sid);

/* Look up stream sid (and ssid, or SMMU_NO_SSID) through mem. Returns 0 with *out
 * filled (out->event says whether the SMMU would record an error), or a link error. */
int smmu_stream_lookup(struct ptdbg_mem *mem, const struct smmu_hw *hw,
		       const struct smmu_strtab *st, uint32_t sid, uint32_t ssid,
		       struct smmu_stream_lookup *out);

/* What the AArch64 stage-1 decoder needs to walk a stream's tables. */
struct smmu_s1_cfg {
	uint32_t sid, ssid;
	uint16_t asid;
	bool     enabled[2];     /* TTB0 / TTB1 region walked (EPDn = 0) */
	uint64_t ttb[2];
	unsigned ias[2];         /* 64 - TnSZ */
	uint64_t granule[2];     /* bytes */
	unsigned oas;            /* min(CD.IPS, the SMMU's OAS) in bits */
	bool     tbi[2];
	bool     affd, ha, hd, endi, aa64;
	uint64_t mair;
	bool     privileged;     /* the stream's requests (smmu_request_privileged) */
};
/* Whether a request of a stream whose STE word 1 is ste1 is privileged: STE.PRIVCFG
 * 0b10 makes every request unprivileged, 0b11 privileged; 0b0x uses the incoming
 * attribute, taken here as a PCIe device's request without a PASID prefix has it:
 * unprivileged data. So the stage-1 leaf must allow EL0 access (AP[1] = 1), as
 * Linux's io-pgtable maps every page not asked for as IOMMU_PRIV. */
bool smmu_request_privileged(uint64_t ste1);

/* Fill cfg from a lookup that reached a CD (xlate S1 or NESTED); false otherwise. */
bool smmu_s1_cfg_from_lookup(const struct smmu_hw *hw, const struct smmu_stream_lookup *l,
			     struct smmu_s1_cfg *cfg);

/* Visit the streams of a stream table: every STE that is not all zeros, each as the
 * lookup of that stream without substream (fn gets it; a nonzero return stops the
 * scan and is returned). An unreadable level-1 descriptor or STE page is visited
 * once (its F_STE_FETCH lookup), then skipped. At most max_stes entries (STEs and
 * level-1 descriptors) are read (0: 65536); *truncated (may be NULL) says whether
 * that stopped the scan. */
typedef int (*smmu_stream_fn)(void *ctx, const struct smmu_stream_lookup *l);
int smmu_strtab_scan(struct ptdbg_mem *mem, const struct smmu_hw *hw, const struct smmu_strtab *st,
		     uint32_t max_stes, smmu_stream_fn fn, void *ctx, bool *truncated);

/* Print an STE / CD field by field (text; JSON members of the current object). */
void smmu_ste_print(FILE *out, const struct smmu_ste *s, const char *indent);
void smmu_cd_print(FILE *out, const struct smmu_cd *c, const char *indent);
void smmu_ste_json(struct ptdbg_json *j, const struct smmu_ste *s);
void smmu_cd_json(struct ptdbg_json *j, const struct smmu_cd *c);

/* Print one lookup: each structure read, decoded, and the outcome. */
void smmu_lookup_print(FILE *out, const struct smmu_stream_lookup *l);
void smmu_lookup_json(struct ptdbg_json *j, const struct smmu_stream_lookup *l);

/* The context dump (iommudump ctx): every stream of the table, as lookups (text, or
 * a JSON object {"stream_table", "format", "log2size", "split", "truncated",
 * "streams": [...]}). Returns 0 or a link error. */
int smmu_ctx_dump_print(FILE *out, struct ptdbg_mem *mem, const struct smmu_hw *hw,
			const struct smmu_strtab *st, uint32_t max_stes);
int smmu_ctx_dump_json(struct ptdbg_json *j, struct ptdbg_mem *mem, const struct smmu_hw *hw,
		       const struct smmu_strtab *st, uint32_t max_stes);

/* "0x10" for a stream, "0x10/3" with a substream, into buf. */
const char *smmu_stream_str(uint32_t sid, uint32_t ssid, char *buf, size_t len);

#endif /* PTDBG_SMMU_TABLES_H */
