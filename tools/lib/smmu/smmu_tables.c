/* SPDX-License-Identifier: MIT */
/* SMMUv3 stream table, STE, CD table and CD decoding and lookup; see smmu_tables.h. */
#include "smmu/smmu_tables.h"

#include <stdarg.h>
#include <string.h>

#include "out/json.h"
#include "smmu/smmu_regs.h"

#define SMMU_SID_BITS_MAX  32
#define SMMU_SSID_BITS_MAX 20

static bool link_error(int rc)
{
	return rc == PTDBG_ELINK || rc == PTDBG_ETIMEOUT;
}

/* Read n little-endian dwords at pa. */
static int read_dwords(struct ptdbg_mem *mem, uint64_t pa, uint64_t *w, unsigned n)
{
	uint8_t b[64];
	if (pa > UINT64_MAX - 8u * n)
		return PTDBG_EIO;
	int rc = ptdbg_mem_read(mem, pa, b, 8u * n);
	if (rc) {
		memset(w, 0, 8u * n);
		return rc;
	}
	for (unsigned i = 0; i < n; i++) {
		w[i] = 0;
		for (unsigned k = 0; k < 8; k++)
			w[i] |= (uint64_t)b[8 * i + k] << (8 * k);
	}
	return 0;
}

void smmu_hw_from_regs(struct smmu_hw *hw, const struct smmu_regs *r)
{
	uint64_t idr0 = smmu_regs_get(r, SMMU_REG_IDR0, NULL);
	uint64_t idr1 = smmu_regs_get(r, SMMU_REG_IDR1, NULL);
	uint64_t idr5 = smmu_regs_get(r, SMMU_REG_IDR5, NULL);

	memset(hw, 0, sizeof(*hw));
	hw->oas = smmu_pa_bits(SMMU_IDR5_OAS(idr5));
	hw->sidsize = SMMU_IDR1_SIDSIZE(idr1);
	hw->ssidsize = SMMU_IDR1_SSIDSIZE(idr1);
	hw->known = true;
	hw->s1p = idr0 & SMMU_IDR0_S1P;
	hw->s2p = idr0 & SMMU_IDR0_S2P;
	hw->cd2l = idr0 & SMMU_IDR0_CD2L;
	hw->st_2lvl = SMMU_IDR0_ST_LEVEL(idr0) == 1;
	hw->vax = SMMU_IDR5_VAX(idr5) == 1;
	hw->asid16 = idr0 & SMMU_IDR0_ASID16;
	hw->gran4k = idr5 & SMMU_IDR5_GRAN4K;
	hw->gran16k = idr5 & SMMU_IDR5_GRAN16K;
	hw->gran64k = idr5 & SMMU_IDR5_GRAN64K;
	hw->ttf = SMMU_IDR0_TTF(idr0);
	hw->httu = (unsigned)PTDBG_FIELD_GET(SMMU_IDR0_HTTU_MASK, idr0);
	hw->ttendian = (unsigned)PTDBG_FIELD_GET(SMMU_IDR0_TTENDIAN_MASK, idr0);
	hw->term_model = idr0 & SMMU_IDR0_TERM_MODEL;
	hw->stall_model = (unsigned)PTDBG_FIELD_GET(SMMU_IDR0_STALL_MODEL_MASK, idr0);
}

void smmu_strtab_from_regs(struct smmu_strtab *st, const struct smmu_regs *r)
{
	uint64_t cfg = smmu_regs_get(r, SMMU_REG_STRTAB_BASE_CFG, NULL);
	st->base = smmu_regs_get(r, SMMU_REG_STRTAB_BASE, NULL) & SMMU_STRTAB_BASE_ADDR;
	st->fmt = SMMU_STRTAB_CFG_FMT(cfg);
	st->log2size = SMMU_STRTAB_CFG_LOG2SIZE(cfg);
	st->split = SMMU_STRTAB_CFG_SPLIT(cfg);
}

unsigned smmu_strtab_log2size(const struct smmu_hw *hw, const struct smmu_strtab *st)
{
	unsigned n = st->log2size;
	unsigned max = hw->known || hw->sidsize ? hw->sidsize : SMMU_SID_BITS_MAX;
	if (max > SMMU_SID_BITS_MAX)
		max = SMMU_SID_BITS_MAX;
	return n > max ? max : n;
}

unsigned smmu_strtab_split(const struct smmu_hw *hw, const struct smmu_strtab *st)
{
	unsigned n = smmu_strtab_log2size(hw, st), s = st->split;
	if (s > SMMU_STRTAB_SPLIT_MAX)
		s = SMMU_STRTAB_SPLIT_MAX;
	return s > n ? n : s;
}

uint64_t smmu_strtab_l1_count(const struct smmu_hw *hw, const struct smmu_strtab *st)
{
	return 1ull << (smmu_strtab_log2size(hw, st) - smmu_strtab_split(hw, st));
}

uint64_t smmu_strtab_bytes(const struct smmu_hw *hw, const struct smmu_strtab *st)
{
	if (st->fmt == SMMU_STRTAB_2LVL)
		return smmu_strtab_l1_count(hw, st) * SMMU_L1STD_SIZE;
	return (1ull << smmu_strtab_log2size(hw, st)) * SMMU_STE_SIZE;
}

/* ---- STE ---- */

void smmu_ste_decode(const uint64_t w[SMMU_STE_DWORDS], struct smmu_ste *s)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->w, w, sizeof(s->w));
	s->v = w[0] & SMMU_STE0_V;
	s->config = SMMU_STE0_CONFIG(w[0]);
	s->s1fmt = SMMU_STE0_S1FMT(w[0]);
	s->s1ctxptr = w[0] & SMMU_STE0_S1CTXPTR;
	s->s1cdmax = SMMU_STE0_S1CDMAX(w[0]);
	s->s1dss = SMMU_STE1_S1DSS(w[1]);
	s->s1cir = (unsigned)PTDBG_FIELD_GET(SMMU_STE1_S1CIR_MASK, w[1]);
	s->s1cor = (unsigned)PTDBG_FIELD_GET(SMMU_STE1_S1COR_MASK, w[1]);
	s->s1csh = (unsigned)PTDBG_FIELD_GET(SMMU_STE1_S1CSH_MASK, w[1]);
	s->mev = w[1] & SMMU_STE1_MEV;
	s->s1stalld = w[1] & SMMU_STE1_S1STALLD;
	s->eats = SMMU_STE1_EATS(w[1]);
	s->strw = SMMU_STE1_STRW(w[1]);
	s->shcfg = SMMU_STE1_SHCFG(w[1]);
	s->s2vmid = SMMU_STE2_S2VMID(w[2]);
	s->s2t0sz = SMMU_STE2_S2T0SZ(w[2]);
	s->s2sl0 = SMMU_STE2_S2SL0(w[2]);
	s->s2tg = SMMU_STE2_S2TG(w[2]);
	s->s2ps = SMMU_STE2_S2PS(w[2]);
	s->s2aa64 = w[2] & SMMU_STE2_S2AA64;
	s->s2endi = w[2] & SMMU_STE2_S2ENDI;
	s->s2affd = w[2] & SMMU_STE2_S2AFFD;
	s->s2ptw = w[2] & SMMU_STE2_S2PTW;
	s->s2hd = w[2] & SMMU_STE2_S2HD;
	s->s2ha = w[2] & SMMU_STE2_S2HA;
	s->s2s = w[2] & SMMU_STE2_S2S;
	s->s2r = w[2] & SMMU_STE2_S2R;
	s->s2ttb = w[3] & SMMU_STE3_S2TTB;
}

bool smmu_ste_reserved(const uint64_t w[SMMU_STE_DWORDS], unsigned oas,
		       uint64_t rsvd[SMMU_STE_DWORDS])
{
	bool any = false;
	for (unsigned i = 0; i < SMMU_STE_DWORDS; i++) {
		rsvd[i] = w[i] & smmu_ste_rsvd(i, oas);
		any |= rsvd[i] != 0;
	}
	return any;
}

static bool cfg_s1(unsigned c) { return c == SMMU_STE_CFG_S1 || c == SMMU_STE_CFG_NESTED; }
static bool cfg_s2(unsigned c) { return c == SMMU_STE_CFG_S2 || c == SMMU_STE_CFG_NESTED; }

const char *smmu_ste_invalid(const struct smmu_hw *hw, const struct smmu_ste *s)
{
	if (s->config >= 1 && s->config <= 3)
		return "Config is a reserved encoding";
	if (hw->known && cfg_s1(s->config) && !hw->s1p)
		return "stage 1 configured, the SMMU has no stage 1";
	if (hw->known && cfg_s2(s->config) && !hw->s2p)
		return "stage 2 configured, the SMMU has no stage 2";
	if (cfg_s1(s->config)) {
		unsigned ssidsize = hw->known || hw->ssidsize ? hw->ssidsize : SMMU_SSID_BITS_MAX;
		if (ssidsize > SMMU_SSID_BITS_MAX)
			ssidsize = SMMU_SSID_BITS_MAX;
		if (s->s1fmt == 3)
			return "S1Fmt is a reserved encoding";
		if (s->s1cdmax && s->s1fmt != SMMU_S1FMT_LINEAR && hw->known && !hw->cd2l)
			return "two-level CD table, the SMMU has no two-level CD tables (IDR0.CD2L)";
		if (s->s1cdmax > ssidsize)
			return "S1CDMax above the SMMU's SSIDSIZE";
		if (s->s1ctxptr & smmu_addr_rsvd(hw->oas))
			return "S1ContextPtr above the output address size";
		if (s->s1dss == 3)
			return "S1DSS is a reserved encoding";
	}
	if (cfg_s2(s->config)) {
		if (s->s2tg == 3)
			return "S2TG is a reserved encoding";
		if (s->s2ttb & smmu_addr_rsvd(hw->oas))
			return "S2TTB above the output address size";
	}
	return NULL;
}

/* ---- CD ---- */

void smmu_cd_decode(const uint64_t w[SMMU_CD_DWORDS], struct smmu_cd *c)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->w, w, sizeof(c->w));
	c->v = w[0] & SMMU_CD0_V;
	c->t0sz = SMMU_CD0_T0SZ(w[0]);
	c->tg0 = SMMU_CD0_TG0(w[0]);
	c->ir0 = (unsigned)PTDBG_FIELD_GET(SMMU_CD0_IR0_MASK, w[0]);
	c->or0 = (unsigned)PTDBG_FIELD_GET(SMMU_CD0_OR0_MASK, w[0]);
	c->sh0 = (unsigned)PTDBG_FIELD_GET(SMMU_CD0_SH0_MASK, w[0]);
	c->epd0 = w[0] & SMMU_CD0_EPD0;
	c->endi = w[0] & SMMU_CD0_ENDI;
	c->t1sz = SMMU_CD0_T1SZ(w[0]);
	c->tg1 = SMMU_CD0_TG1(w[0]);
	c->ir1 = (unsigned)PTDBG_FIELD_GET(SMMU_CD0_IR1_MASK, w[0]);
	c->or1 = (unsigned)PTDBG_FIELD_GET(SMMU_CD0_OR1_MASK, w[0]);
	c->sh1 = (unsigned)PTDBG_FIELD_GET(SMMU_CD0_SH1_MASK, w[0]);
	c->epd1 = w[0] & SMMU_CD0_EPD1;
	c->ips = SMMU_CD0_IPS(w[0]);
	c->affd = w[0] & SMMU_CD0_AFFD;
	c->wxn = w[0] & SMMU_CD0_WXN;
	c->uwxn = w[0] & SMMU_CD0_UWXN;
	c->tbi = SMMU_CD0_TBI(w[0]);
	c->pan = w[0] & SMMU_CD0_PAN;
	c->aa64 = w[0] & SMMU_CD0_AA64;
	c->hd = w[0] & SMMU_CD0_HD;
	c->ha = w[0] & SMMU_CD0_HA;
	c->s = w[0] & SMMU_CD0_S;
	c->r = w[0] & SMMU_CD0_R;
	c->a = w[0] & SMMU_CD0_A;
	c->aset = w[0] & SMMU_CD0_ASET;
	c->asid = SMMU_CD0_ASID(w[0]);
	c->nscfg0 = w[1] & SMMU_CD1_NSCFG0;
	c->had0 = w[1] & SMMU_CD1_HAD0;
	c->ttb0 = w[1] & SMMU_CD1_TTB0;
	c->hwu0 = (unsigned)PTDBG_FIELD_GET(SMMU_CD1_HWU0_MASK, w[1]);
	c->nscfg1 = w[2] & SMMU_CD2_NSCFG1;
	c->had1 = w[2] & SMMU_CD2_HAD1;
	c->ttb1 = w[2] & SMMU_CD2_TTB1;
	c->hwu1 = (unsigned)PTDBG_FIELD_GET(SMMU_CD2_HWU1_MASK, w[2]);
	c->mair = w[3];
	c->amair = w[4];
	c->ias0 = 64 - c->t0sz;
	c->ias1 = 64 - c->t1sz;
	c->ips_bits = smmu_pa_bits(c->ips);
	c->gran0 = smmu_tg0_bytes(c->tg0);
	c->gran1 = smmu_tg1_bytes(c->tg1);
}

bool smmu_cd_reserved(const uint64_t w[SMMU_CD_DWORDS], unsigned oas, uint64_t rsvd[SMMU_CD_DWORDS])
{
	bool any = false;
	for (unsigned i = 0; i < SMMU_CD_DWORDS; i++) {
		rsvd[i] = w[i] & smmu_cd_rsvd(i, oas);
		any |= rsvd[i] != 0;
	}
	return any;
}

static bool granule_ok(const struct smmu_hw *hw, uint64_t g)
{
	if (!hw->known || (!hw->gran4k && !hw->gran16k && !hw->gran64k))
		return g != 0;
	return (g == 4096 && hw->gran4k) || (g == 16384 && hw->gran16k) ||
	       (g == 65536 && hw->gran64k);
}

/* Checks of one TTBn region: NULL or why it is ILLEGAL. */
static const char *region_invalid(const struct smmu_hw *hw, const struct smmu_cd *c, int n)
{
	static const char *const bad_tg[2] = { "TG0 is a reserved encoding", "TG1 is a reserved encoding" };
	static const char *const bad_gr[2] = { "TG0 granule not supported by the SMMU",
					       "TG1 granule not supported by the SMMU" };
	static const char *const small[2] = { "T0SZ below the minimum (input above 48 bits)",
					      "T1SZ below the minimum (input above 48 bits)" };
	static const char *const big[2] = { "T0SZ above 39 (input below 25 bits)",
					    "T1SZ above 39 (input below 25 bits)" };
	static const char *const ttb[2] = { "TTB0 above the output address size",
					    "TTB1 above the output address size" };
	uint64_t g = n ? c->gran1 : c->gran0;
	unsigned tsz = n ? c->t1sz : c->t0sz;
	uint64_t base = n ? c->ttb1 : c->ttb0;

	if (!g)
		return bad_tg[n];
	if (!granule_ok(hw, g))
		return bad_gr[n];
	if (tsz < (hw->vax ? SMMU_CD_TSZ_MIN_VAX : SMMU_CD_TSZ_MIN))
		return small[n];
	if (tsz > SMMU_CD_TSZ_MAX)
		return big[n];
	if (base & smmu_addr_rsvd(hw->oas))
		return ttb[n];
	return NULL;
}

const char *smmu_cd_invalid(const struct smmu_hw *hw, const struct smmu_cd *c)
{
	const char *why;
	if (!c->aa64 && hw->known && !(hw->ttf & 1))
		return "AA64=0 (AArch32 tables), the SMMU walks AArch64 tables only";
	if (!c->ips_bits)
		return "IPS is a reserved encoding";
	if (hw->known && hw->term_model && !c->a)
		return "A=0, the SMMU only terminates with an abort (IDR0.TERM_MODEL)";
	if (hw->known && hw->stall_model == 1 && c->s)
		return "S=1, the SMMU cannot stall (IDR0.STALL_MODEL)";
	if (hw->known && hw->httu == 0 && (c->ha || c->hd))
		return "HA/HD set, the SMMU has no hardware table updates (IDR0.HTTU)";
	if (hw->known && hw->httu == 1 && c->hd)
		return "HD set, the SMMU updates access flags only (IDR0.HTTU)";
	if (hw->known && hw->ttendian == 2 && c->endi)
		return "ENDI=1, the SMMU walks little-endian tables only";
	if (hw->known && hw->ttendian == 3 && !c->endi)
		return "ENDI=0, the SMMU walks big-endian tables only";
	if (!c->epd0 && (why = region_invalid(hw, c, 0)))
		return why;
	if (!c->epd1 && (why = region_invalid(hw, c, 1)))
		return why;
	return NULL;
}

/* ---- lookup ---- */

const char *smmu_stage_name(enum smmu_stage s)
{
	switch (s) {
	case SMMU_AT_STRTAB: return "stream table";
	case SMMU_AT_STE:    return "STE";
	case SMMU_AT_CD_L1:  return "CD table";
	case SMMU_AT_CD:     return "CD";
	case SMMU_AT_DONE:   return "done";
	}
	return "?";
}

const char *smmu_xlate_name(enum smmu_xlate x)
{
	static const char *const n[] = { "none", "abort", "bypass", "stage1", "stage2", "nested" };
	return (unsigned)x < sizeof(n) / sizeof(n[0]) ? n[x] : "?";
}

const char *smmu_stream_str(uint32_t sid, uint32_t ssid, char *buf, size_t len)
{
	if (ssid == SMMU_NO_SSID)
		snprintf(buf, len, "0x%x", (unsigned)sid);
	else
		snprintf(buf, len, "0x%x/%u", (unsigned)sid, (unsigned)ssid);
	return buf;
}

/* Stop the lookup at stage with event; why is printf-style. Returns 0. */
__attribute__((format(printf, 4, 5)))
static int stop(struct smmu_stream_lookup *l, enum smmu_stage stage, unsigned event,
		const char *fmt, ...)
{
	va_list ap;
	l->stage = stage;
	l->event = event;
	l->xlate = SMMU_XL_NONE;
	va_start(ap, fmt);
	vsnprintf(l->why, sizeof(l->why), fmt, ap);
	va_end(ap);
	return 0;
}

/* A failed read: link errors end the lookup with an error, others with event. */
static int fetch_failed(struct smmu_stream_lookup *l, enum smmu_stage stage, unsigned event,
			uint64_t pa, int rc, const char *what)
{
	l->fetch_addr = pa;
	l->read_err = rc;
	stop(l, stage, event, "%s at 0x%llx cannot be read%s", what, (unsigned long long)pa,
	     rc == PTDBG_EIO ? " (not RAM, or no memory answers there)" : link_error(rc) ? " (the link failed)" : "");
	return link_error(rc) ? rc : 0;
}

/* Does [pa, pa+len) meet the stream table proper? */
static bool in_strtab(const struct smmu_hw *hw, const struct smmu_strtab *st, uint64_t pa,
		      uint64_t len)
{
	uint64_t b = st->base, n = smmu_strtab_bytes(hw, st);
	return pa < b + n && b < pa + len;
}

static void note_overlap(struct smmu_stream_lookup *l, const char *what, uint64_t pa)
{
	if (l->overlap)
		return;
	l->overlap = true;
	snprintf(l->overlap_why, sizeof(l->overlap_why), "%s at 0x%llx lies inside the stream table",
		 what, (unsigned long long)pa);
}

/* From the STE on: the CD (or why not). */
static int lookup_cd(struct ptdbg_mem *mem, const struct smmu_hw *hw, struct smmu_stream_lookup *l)
{
	const struct smmu_ste *s = &l->ste;
	uint32_t ssid = l->ssid;
	int rc;

	if (ssid == SMMU_NO_SSID && s->s1cdmax) {
		switch (s->s1dss) {
		case SMMU_S1DSS_TERMINATE:
			return stop(l, SMMU_AT_CD_L1, SMMU_EVT_F_STREAM_DISABLED,
				    "no substream and S1DSS terminates such transactions");
		case SMMU_S1DSS_BYPASS:
			l->stage = SMMU_AT_DONE;
			l->xlate = SMMU_XL_BYPASS;
			return 0;
		default:
			ssid = 0;
			break;
		}
	} else if (ssid != SMMU_NO_SSID) {
		if (!s->s1cdmax)
			return stop(l, SMMU_AT_CD_L1, SMMU_EVT_C_BAD_SUBSTREAMID,
				    "substream %u, the STE has no substreams (S1CDMax 0)", (unsigned)ssid);
		if (s->s1cdmax > SMMU_SSID_BITS_MAX || ssid >= (1u << s->s1cdmax))
			return stop(l, SMMU_AT_CD_L1, SMMU_EVT_C_BAD_SUBSTREAMID,
				    "substream %u out of range (S1CDMax %u)", (unsigned)ssid, s->s1cdmax);
	} else {
		ssid = 0;
	}
	l->ssid_used = ssid;

	uint64_t cd_pa = s->s1ctxptr;
	if (s->s1cdmax && s->s1fmt != SMMU_S1FMT_LINEAR) {
		unsigned bits = smmu_cd_l2_bits(s->s1fmt);
		l->l1cd_pa = s->s1ctxptr + (uint64_t)(ssid >> bits) * SMMU_L1CD_SIZE;
		if ((rc = read_dwords(mem, l->l1cd_pa, &l->l1cd, 1)))
			return fetch_failed(l, SMMU_AT_CD_L1, SMMU_EVT_F_CD_FETCH, l->l1cd_pa, rc,
					    "level-1 CD descriptor");
		l->have_l1cd = true;
		l->l1cd_rsvd = l->l1cd & smmu_l1cd_rsvd(hw->oas);
		l->rsvd_set |= l->l1cd_rsvd != 0;
		if (in_strtab(hw, &l->st, l->l1cd_pa, SMMU_L1CD_SIZE))
			note_overlap(l, "the CD table", l->l1cd_pa);
		if (!(l->l1cd & SMMU_L1CD_V))
			return stop(l, SMMU_AT_CD_L1, SMMU_EVT_C_BAD_SUBSTREAMID,
				    "level-1 CD descriptor at 0x%llx not valid",
				    (unsigned long long)l->l1cd_pa);
		cd_pa = (l->l1cd & SMMU_L1CD_L2PTR) +
			(uint64_t)(ssid & ((1u << bits) - 1)) * SMMU_CD_SIZE;
	} else {
		cd_pa += (uint64_t)ssid * SMMU_CD_SIZE;
	}
	l->cd_pa = cd_pa;
	uint64_t w[SMMU_CD_DWORDS];
	if ((rc = read_dwords(mem, cd_pa, w, SMMU_CD_DWORDS)))
		return fetch_failed(l, SMMU_AT_CD, SMMU_EVT_F_CD_FETCH, cd_pa, rc, "CD");
	l->have_cd = true;
	smmu_cd_decode(w, &l->cd);
	l->rsvd_set |= smmu_cd_reserved(w, hw->oas, l->cd_rsvd);
	if (in_strtab(hw, &l->st, cd_pa, SMMU_CD_SIZE))
		note_overlap(l, "the CD", cd_pa);
	if (!l->cd.v)
		return stop(l, SMMU_AT_CD, SMMU_EVT_C_BAD_CD, "CD at 0x%llx not valid (V=0)",
			    (unsigned long long)cd_pa);
	const char *why = smmu_cd_invalid(hw, &l->cd);
	if (why)
		return stop(l, SMMU_AT_CD, SMMU_EVT_C_BAD_CD, "CD at 0x%llx: %s",
			    (unsigned long long)cd_pa, why);
	l->stage = SMMU_AT_DONE;
	l->xlate = s->config == SMMU_STE_CFG_NESTED ? SMMU_XL_NESTED : SMMU_XL_S1;
	return 0;
}

uint64_t smmu_strtab_entry_pa(const struct smmu_hw *hw, const struct smmu_strtab *st, uint32_t sid)
{
	if (st->fmt == SMMU_STRTAB_2LVL)
		return st->base + (uint64_t)(sid >> smmu_strtab_split(hw, st)) * SMMU_L1STD_SIZE;
	return st->base + (uint64_t)sid * SMMU_STE_SIZE;
}

int smmu_stream_lookup(struct ptdbg_mem *mem, const struct smmu_hw *hw,
		       const struct smmu_strtab *st, uint32_t sid, uint32_t ssid,
		       struct smmu_stream_lookup *l)
{
	unsigned log2size = smmu_strtab_log2size(hw, st);
	int rc;

	memset(l, 0, sizeof(*l));
	l->sid = sid;
	l->ssid = ssid;
	l->ssid_used = SMMU_NO_SSID;
	l->st = *st;
	l->two_level = st->fmt == SMMU_STRTAB_2LVL;
	l->stage = SMMU_AT_STRTAB;

	if (st->fmt > SMMU_STRTAB_2LVL)
		return stop(l, SMMU_AT_STRTAB, SMMU_EVT_C_BAD_STREAMID,
			    "STRTAB_BASE_CFG.FMT %u is reserved", st->fmt);
	if (log2size < 32 && (uint64_t)sid >= (1ull << log2size))
		return stop(l, SMMU_AT_STRTAB, SMMU_EVT_C_BAD_STREAMID,
			    "stream 0x%x beyond the stream table (2^%u stream ids)", (unsigned)sid,
			    log2size);

	uint64_t ste_pa;
	if (l->two_level) {
		unsigned split = smmu_strtab_split(hw, st);
		uint64_t low = sid & ((1ull << split) - 1);
		l->l1_pa = smmu_strtab_entry_pa(hw, st, sid);
		if ((rc = read_dwords(mem, l->l1_pa, &l->l1, 1)))
			return fetch_failed(l, SMMU_AT_STRTAB, SMMU_EVT_F_STE_FETCH, l->l1_pa, rc,
					    "level-1 stream table descriptor");
		l->l1_rsvd = l->l1 & smmu_l1std_rsvd(hw->oas);
		l->rsvd_set |= l->l1_rsvd != 0;
		l->span = SMMU_L1STD_SPAN(l->l1);
		if (!l->span)
			return stop(l, SMMU_AT_STRTAB, SMMU_EVT_C_BAD_STREAMID,
				    "level-1 descriptor at 0x%llx invalid (Span 0)",
				    (unsigned long long)l->l1_pa);
		if (l->span > split + 1)
			return stop(l, SMMU_AT_STRTAB, SMMU_EVT_C_BAD_STREAMID,
				    "level-1 descriptor at 0x%llx: Span %u above SPLIT+1 (%u)",
				    (unsigned long long)l->l1_pa, l->span, split + 1);
		if (low >= (1ull << (l->span - 1)))
			return stop(l, SMMU_AT_STRTAB, SMMU_EVT_C_BAD_STREAMID,
				    "stream 0x%x beyond its level-2 table (Span %u: %llu STEs)",
				    (unsigned)sid, l->span, 1ull << (l->span - 1));
		uint64_t l2 = l->l1 & SMMU_L1STD_L2PTR;
		if (in_strtab(hw, st, l2, SMMU_STE_SIZE))
			note_overlap(l, "the level-2 stream table", l2);
		ste_pa = l2 + low * SMMU_STE_SIZE;
	} else {
		ste_pa = smmu_strtab_entry_pa(hw, st, sid);
	}
	l->ste_pa = ste_pa;
	l->stage = SMMU_AT_STE;

	uint64_t w[SMMU_STE_DWORDS];
	if ((rc = read_dwords(mem, ste_pa, w, SMMU_STE_DWORDS)))
		return fetch_failed(l, SMMU_AT_STE, SMMU_EVT_F_STE_FETCH, ste_pa, rc, "STE");
	l->have_ste = true;
	smmu_ste_decode(w, &l->ste);
	l->rsvd_set |= smmu_ste_reserved(w, hw->oas, l->ste_rsvd);
	if (!l->ste.v)
		return stop(l, SMMU_AT_STE, SMMU_EVT_C_BAD_STE, "STE at 0x%llx not valid (V=0)",
			    (unsigned long long)ste_pa);
	const char *why = smmu_ste_invalid(hw, &l->ste);
	if (why)
		return stop(l, SMMU_AT_STE, SMMU_EVT_C_BAD_STE, "STE at 0x%llx: %s",
			    (unsigned long long)ste_pa, why);
	switch (l->ste.config) {
	case SMMU_STE_CFG_ABORT:
		l->stage = SMMU_AT_DONE;
		l->xlate = SMMU_XL_ABORT;
		return 0;
	case SMMU_STE_CFG_BYPASS:
		l->stage = SMMU_AT_DONE;
		l->xlate = SMMU_XL_BYPASS;
		return 0;
	case SMMU_STE_CFG_S2:
		l->stage = SMMU_AT_DONE;
		l->xlate = SMMU_XL_S2;
		return 0;
	default:
		return lookup_cd(mem, hw, l);
	}
}

bool smmu_request_privileged(uint64_t ste1)
{
	/* 2: unprivileged; 0, 1: as it comes, unprivileged for PCIe */
	return PTDBG_FIELD_GET(SMMU_STE1_PRIVCFG_MASK, ste1) == 3;
}

bool smmu_s1_cfg_from_lookup(const struct smmu_hw *hw, const struct smmu_stream_lookup *l,
			     struct smmu_s1_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	if (!l->have_cd || (l->xlate != SMMU_XL_S1 && l->xlate != SMMU_XL_NESTED))
		return false;
	const struct smmu_cd *c = &l->cd;
	unsigned oas = hw->oas ? hw->oas : 52;
	cfg->sid = l->sid;
	cfg->ssid = l->ssid_used;
	cfg->asid = (uint16_t)c->asid;
	cfg->enabled[0] = !c->epd0;
	cfg->enabled[1] = !c->epd1;
	cfg->ttb[0] = c->ttb0;
	cfg->ttb[1] = c->ttb1;
	cfg->ias[0] = c->ias0;
	cfg->ias[1] = c->ias1;
	cfg->granule[0] = c->gran0;
	cfg->granule[1] = c->gran1;
	cfg->oas = c->ips_bits && c->ips_bits < oas ? c->ips_bits : oas;
	cfg->tbi[0] = c->tbi & 1;
	cfg->tbi[1] = c->tbi & 2;
	cfg->affd = c->affd;
	cfg->ha = c->ha;
	cfg->hd = c->hd;
	cfg->endi = c->endi;
	cfg->privileged = l->have_ste && smmu_request_privileged(l->ste.w[1]);
	cfg->aa64 = c->aa64;
	cfg->mair = c->mair;
	return true;
}

/* ---- scan ---- */

static bool all_zero(const uint64_t *w, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (w[i])
			return false;
	return true;
}

/* Visit the STEs [first, first+count) at ste_base (stream ids from sid0). */
static int scan_stes(struct ptdbg_mem *mem, const struct smmu_hw *hw, const struct smmu_strtab *st,
		     uint64_t ste_base, uint64_t sid0, uint64_t count, uint64_t *budget,
		     smmu_stream_fn fn, void *ctx, bool *truncated)
{
	struct smmu_stream_lookup l;
	uint64_t w[SMMU_STE_DWORDS];
	int rc;

	for (uint64_t i = 0; i < count; i++) {
		if (!*budget) {
			*truncated = true;
			return 0;
		}
		--*budget;
		uint64_t pa = ste_base + i * SMMU_STE_SIZE;
		rc = read_dwords(mem, pa, w, SMMU_STE_DWORDS);
		if (link_error(rc))
			return rc;
		if (!rc && all_zero(w, SMMU_STE_DWORDS))
			continue;
		if ((rc = smmu_stream_lookup(mem, hw, st, (uint32_t)(sid0 + i), SMMU_NO_SSID, &l)))
			return rc;
		if ((rc = fn(ctx, &l)))
			return rc;
		if (l.event == SMMU_EVT_F_STE_FETCH && l.stage == SMMU_AT_STE) {
			/* Skip the rest of the unreadable page. */
			uint64_t next = ((pa >> PTDBG_PAGE_SHIFT) + 1) << PTDBG_PAGE_SHIFT;
			uint64_t skip = (next - pa) / SMMU_STE_SIZE;
			if (skip > 1)
				i += skip - 1;
		}
	}
	return 0;
}

int smmu_strtab_scan(struct ptdbg_mem *mem, const struct smmu_hw *hw, const struct smmu_strtab *st,
		     uint32_t max_stes, smmu_stream_fn fn, void *ctx, bool *truncated)
{
	uint64_t budget = max_stes ? max_stes : 65536;
	bool trunc = false;
	int rc = 0;

	if (st->fmt != SMMU_STRTAB_2LVL) {
		rc = scan_stes(mem, hw, st, st->base, 0, 1ull << smmu_strtab_log2size(hw, st),
			       &budget, fn, ctx, &trunc);
	} else {
		unsigned split = smmu_strtab_split(hw, st);
		uint64_t n = smmu_strtab_l1_count(hw, st);
		struct smmu_stream_lookup l;
		for (uint64_t i = 0; i < n && !rc; i++) {
			uint64_t d, pa = st->base + i * SMMU_L1STD_SIZE;
			if (!budget) {
				trunc = true;
				break;
			}
			--budget;
			int r = read_dwords(mem, pa, &d, 1);
			if (link_error(r))
				return r;
			if (!r && d == 0)
				continue;
			unsigned span = SMMU_L1STD_SPAN(d);
			if (r || !span || span > split + 1) {
				/* Unreadable or invalid: report it through its first stream. */
				if ((rc = smmu_stream_lookup(mem, hw, st, (uint32_t)(i << split),
							     SMMU_NO_SSID, &l)))
					return rc;
				rc = fn(ctx, &l);
				continue;
			}
			rc = scan_stes(mem, hw, st, d & SMMU_L1STD_L2PTR, i << split,
				       1ull << (span - 1), &budget, fn, ctx, &trunc);
		}
	}
	if (truncated)
		*truncated = trunc;
	return rc;
}

/* ---- printing ---- */

void smmu_ste_print(FILE *out, const struct smmu_ste *s, const char *indent)
{
	ptdbg_layout_print(out, &smmu_layout_ste, s->w, indent);
}

void smmu_cd_print(FILE *out, const struct smmu_cd *c, const char *indent)
{
	ptdbg_layout_print(out, &smmu_layout_cd, c->w, indent);
}

void smmu_ste_json(struct ptdbg_json *j, const struct smmu_ste *s)
{
	ptdbg_layout_json(j, &smmu_layout_ste, s->w);
}

void smmu_cd_json(struct ptdbg_json *j, const struct smmu_cd *c)
{
	ptdbg_layout_json(j, &smmu_layout_cd, c->w);
}

static void print_rsvd(FILE *out, const char *what, const uint64_t *r, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (r[i])
			fprintf(out, "    reserved bits set in %s dword %u: 0x%016llx\n", what, i,
				(unsigned long long)r[i]);
}

void smmu_lookup_print(FILE *out, const struct smmu_stream_lookup *l)
{
	char s[32];
	smmu_stream_str(l->sid, l->ssid, s, sizeof(s));
	fprintf(out, "stream %s: ", s);
	if (l->event)
		fprintf(out, "%s at %s: %s\n", smmu_event_name(l->event), smmu_stage_name(l->stage),
			l->why);
	else
		fprintf(out, "%s\n", smmu_xlate_name(l->xlate));
	if (l->two_level && l->l1_pa) {
		fprintf(out, "  L1STD @0x%llx  0x%016llx\n", (unsigned long long)l->l1_pa,
			(unsigned long long)l->l1);
		ptdbg_layout_print(out, &smmu_layout_l1std, &l->l1, "    ");
	}
	if (l->have_ste) {
		fprintf(out, "  STE   @0x%llx  %s\n", (unsigned long long)l->ste_pa,
			smmu_ste_config_name(l->ste.config));
		smmu_ste_print(out, &l->ste, "    ");
		print_rsvd(out, "the STE", l->ste_rsvd, SMMU_STE_DWORDS);
	}
	if (l->have_l1cd) {
		fprintf(out, "  L1CD  @0x%llx  0x%016llx\n", (unsigned long long)l->l1cd_pa,
			(unsigned long long)l->l1cd);
		ptdbg_layout_print(out, &smmu_layout_l1cd, &l->l1cd, "    ");
	}
	if (l->have_cd) {
		fprintf(out, "  CD    @0x%llx  substream %u, ASID %u, TTB0 0x%llx, %u-bit input, %s granule\n",
			(unsigned long long)l->cd_pa, (unsigned)l->ssid_used, l->cd.asid,
			(unsigned long long)l->cd.ttb0, l->cd.ias0, smmu_tg0_name(l->cd.tg0));
		smmu_cd_print(out, &l->cd, "    ");
		print_rsvd(out, "the CD", l->cd_rsvd, SMMU_CD_DWORDS);
	}
	if (l->overlap)
		fprintf(out, "  note: %s\n", l->overlap_why);
}

static void json_words(struct ptdbg_json *j, const char *name, const uint64_t *w, unsigned n)
{
	ptdbg_json_name(j, name);
	ptdbg_json_start_array(j);
	for (unsigned i = 0; i < n; i++)
		ptdbg_json_hex(j, w[i]);
	ptdbg_json_end_array(j);
}

void smmu_lookup_json(struct ptdbg_json *j, const struct smmu_stream_lookup *l)
{
	ptdbg_json_start_object(j);
	ptdbg_json_uint_field(j, "sid", l->sid);
	if (l->ssid != SMMU_NO_SSID)
		ptdbg_json_uint_field(j, "ssid", l->ssid);
	ptdbg_json_string_field(j, "translation", smmu_xlate_name(l->xlate));
	ptdbg_json_string_field(j, "stage", smmu_stage_name(l->stage));
	if (l->event) {
		ptdbg_json_string_field(j, "event", smmu_event_name(l->event));
		ptdbg_json_string_field(j, "why", l->why);
		if (l->read_err) {
			ptdbg_json_hex_field(j, "fetch_addr", l->fetch_addr);
			ptdbg_json_int_field(j, "error", l->read_err);
		}
	}
	if (l->two_level && l->l1_pa) {
		ptdbg_json_name(j, "l1std");
		ptdbg_json_start_object(j);
		ptdbg_json_hex_field(j, "addr", l->l1_pa);
		ptdbg_json_hex_field(j, "raw", l->l1);
		ptdbg_layout_json(j, &smmu_layout_l1std, &l->l1);
		ptdbg_json_end_object(j);
	}
	if (l->have_ste) {
		ptdbg_json_name(j, "ste");
		ptdbg_json_start_object(j);
		ptdbg_json_hex_field(j, "addr", l->ste_pa);
		json_words(j, "raw", l->ste.w, SMMU_STE_DWORDS);
		ptdbg_json_string_field(j, "config_name", smmu_ste_config_name(l->ste.config));
		smmu_ste_json(j, &l->ste);
		ptdbg_json_end_object(j);
	}
	if (l->have_l1cd) {
		ptdbg_json_name(j, "l1cd");
		ptdbg_json_start_object(j);
		ptdbg_json_hex_field(j, "addr", l->l1cd_pa);
		ptdbg_json_hex_field(j, "raw", l->l1cd);
		ptdbg_layout_json(j, &smmu_layout_l1cd, &l->l1cd);
		ptdbg_json_end_object(j);
	}
	if (l->have_cd) {
		ptdbg_json_name(j, "cd");
		ptdbg_json_start_object(j);
		ptdbg_json_hex_field(j, "addr", l->cd_pa);
		ptdbg_json_uint_field(j, "substream", l->ssid_used);
		ptdbg_json_uint_field(j, "ias", l->cd.ias0);
		json_words(j, "raw", l->cd.w, SMMU_CD_DWORDS);
		smmu_cd_json(j, &l->cd);
		ptdbg_json_end_object(j);
	}
	ptdbg_json_bool_field(j, "reserved_bits", l->rsvd_set);
	if (l->overlap)
		ptdbg_json_string_field(j, "overlap", l->overlap_why);
	ptdbg_json_end_object(j);
}

static int print_one(void *ctx, const struct smmu_stream_lookup *l)
{
	smmu_lookup_print(ctx, l);
	return 0;
}

static int json_one(void *ctx, const struct smmu_stream_lookup *l)
{
	smmu_lookup_json(ctx, l);
	return 0;
}

int smmu_ctx_dump_print(FILE *out, struct ptdbg_mem *mem, const struct smmu_hw *hw,
			const struct smmu_strtab *st, uint32_t max_stes)
{
	bool trunc = false;
	fprintf(out, "stream table at 0x%llx: %s, 2^%u stream ids", (unsigned long long)st->base,
		smmu_strtab_fmt_name(st->fmt), smmu_strtab_log2size(hw, st));
	if (st->fmt == SMMU_STRTAB_2LVL)
		fprintf(out, ", split %u (%llu level-1 descriptors)", smmu_strtab_split(hw, st),
			(unsigned long long)smmu_strtab_l1_count(hw, st));
	fprintf(out, "\n");
	int rc = smmu_strtab_scan(mem, hw, st, max_stes, print_one, out, &trunc);
	if (trunc)
		fprintf(out, "(scan stopped after %u stream table entries)\n",
			max_stes ? max_stes : 65536);
	return rc;
}

int smmu_ctx_dump_json(struct ptdbg_json *j, struct ptdbg_mem *mem, const struct smmu_hw *hw,
		       const struct smmu_strtab *st, uint32_t max_stes)
{
	bool trunc = false;
	ptdbg_json_start_object(j);
	ptdbg_json_hex_field(j, "stream_table", st->base);
	ptdbg_json_string_field(j, "format", smmu_strtab_fmt_name(st->fmt));
	ptdbg_json_uint_field(j, "log2size", smmu_strtab_log2size(hw, st));
	ptdbg_json_uint_field(j, "split", st->fmt == SMMU_STRTAB_2LVL ? smmu_strtab_split(hw, st) : 0);
	ptdbg_json_name(j, "streams");
	ptdbg_json_start_array(j);
	int rc = smmu_strtab_scan(mem, hw, st, max_stes, json_one, j, &trunc);
	ptdbg_json_end_array(j);
	ptdbg_json_bool_field(j, "truncated", trunc);
	ptdbg_json_end_object(j);
	return rc;
}
