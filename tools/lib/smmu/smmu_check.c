/* SPDX-License-Identifier: MIT */
/* Checks of SMMUv3 state from registers, events, stream lookups and the kernel's
 * domains and buffers; see smmu_check.h. */
#include "smmu/smmu_check.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptdbg/abi.h"

const char *const smmu_check_kinds[] = {
	"dma-out-of-range", "dma-unmapped", "window-narrower-than-ias", "faults-not-recorded",
	"ste-bypass", "event-pending", "event-queue-overflow", "gerror-active", "reserved-bits",
	"ste-invalid", "cd-invalid", "table-unreadable", "table-overlap", "queue-invalid",
	"smmu-disabled", NULL,
};

#define DMA_PAGES_MAX 4096 /* pages of one buffer translated for dma-unmapped */
#define SMMU_CHECK_EVENTS_MAX 256 /* pending events reported one by one */

struct dom {
	struct smmu_domain_info d;
	bool seen;                     /* its lookup was given to stream() */
	struct smmu_stream_lookup l;
};

struct smmu_checker {
	struct smmu_check_opts o;
	struct smmu_hw hw;
	bool have_unit, enabled, gbpa_abort;
	struct smmu_event *ev;    size_t nev;
	struct dom *doms;         size_t ndoms;
	struct smmu_dma_buf_info *bufs; size_t nbufs;
};

struct smmu_checker *smmu_checker_new(const struct smmu_check_opts *o)
{
	struct smmu_checker *c = calloc(1, sizeof(*c));
	if (c)
		c->o = *o;
	return c;
}

void smmu_checker_free(struct smmu_checker *c)
{
	if (!c)
		return;
	free(c->ev);
	free(c->doms);
	free(c->bufs);
	free(c);
}

int smmu_checker_region(struct smmu_checker *c, const struct smmu_domain_info *d, size_t nd,
			const struct smmu_dma_buf_info *b, size_t nb)
{
	free(c->doms);
	free(c->bufs);
	c->doms = NULL;
	c->bufs = NULL;
	c->ndoms = c->nbufs = 0;
	if (nd && !(c->doms = calloc(nd, sizeof(*c->doms))))
		return PTDBG_ENOMEM;
	if (nb && !(c->bufs = calloc(nb, sizeof(*c->bufs))))
		return PTDBG_ENOMEM;
	for (size_t i = 0; i < nd; i++) {
		c->doms[i].d = d[i];
		c->doms[i].d.name[sizeof(c->doms[i].d.name) - 1] = '\0';
	}
	if (nb)
		memcpy(c->bufs, b, nb * sizeof(*b));
	c->ndoms = nd;
	c->nbufs = nb;
	return 0;
}

/* The domain of (sid, ssid), or NULL. */
static struct dom *dom_of(const struct smmu_checker *c, uint32_t sid, uint32_t ssid)
{
	for (size_t i = 0; i < c->ndoms; i++)
		if (c->doms[i].d.sid == sid && c->doms[i].d.ssid == ssid)
			return &c->doms[i];
	return NULL;
}

/* "sid 0x10 edu" / "sid 0x10/3" for a stream, with the kernel's name. */
static const char *label(const struct smmu_checker *c, uint32_t sid, uint32_t ssid, char *buf,
			 size_t len)
{
	char s[32], t[96];
	const struct dom *d = dom_of(c, sid, ssid);
	if (!d && ssid != SMMU_NO_SSID)
		d = dom_of(c, sid, SMMU_NO_SSID);
	smmu_stream_str(sid, ssid, s, sizeof(s));
	if (d && d->d.name[0])
		snprintf(t, sizeof(t), "sid %s %s", s, d->d.name);
	else
		snprintf(t, sizeof(t), "sid %s", s);
	size_t n = strlen(t);
	if (n >= len)
		n = len - 1;
	memcpy(buf, t, n);
	buf[n] = '\0';
	return buf;
}

__attribute__((format(printf, 8, 9)))
static struct ptdbg_finding *add(struct smmu_checker *c, uint32_t sid, uint32_t ssid,
				 const char *kind, enum ptdbg_severity sev, uint64_t addr,
				 uint64_t size, const char *fmt, ...)
{
	char msg[sizeof(((struct ptdbg_finding *)0)->msg)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	struct ptdbg_finding *f = ptdbg_finding_add(c->o.out, kind, sev, addr, size, "%s", msg);
	if (f && sid != UINT32_MAX)
		label(c, sid, ssid, f->space, sizeof(f->space));
	return f;
}

static const char *size_str(uint64_t v, char *buf, size_t len)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
	int u = -1;
	uint64_t x = v;
	while (x >= 1024 && (x % 1024) == 0 && u < 4) {
		x /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%#" PRIx64, v);
	else
		snprintf(buf, len, "%" PRIu64 " %s", x, unit[u]);
	return buf;
}

static void queue_checks(struct smmu_checker *c, const struct smmu_queue *q, const char *name)
{
	if (!q->regs_ok)
		return;
	if (q->index_bad)
		add(c, UINT32_MAX, 0, "queue-invalid", PTDBG_SEV_ERROR, q->base, 0,
		    "%s: PROD 0x%x and CONS 0x%x are inconsistent for %u entries", name,
		    (unsigned)q->prod_reg, (unsigned)q->cons_reg, (unsigned)q->entries);
	if (q->log2size_reg != q->log2size)
		add(c, UINT32_MAX, 0, "queue-invalid", PTDBG_SEV_WARNING, q->base, 0,
		    "%s: LOG2SIZE %u exceeds the SMMU's maximum %u (the SMMU uses %u)", name,
		    q->log2size_reg, q->log2size, q->log2size);
}

void smmu_checker_unit(struct smmu_checker *c, const struct smmu_regs *r)
{
	struct smmu_unit_info in;
	struct smmu_queue eq, cq;

	smmu_regs_info(r, &in);
	smmu_hw_from_regs(&c->hw, r);
	c->have_unit = true;
	c->enabled = in.enabled;
	c->gbpa_abort = in.gbpa_abort;
	smmu_queue_from_regs(&eq, SMMU_Q_EVENT, r);
	smmu_queue_from_regs(&cq, SMMU_Q_CMD, r);

	for (unsigned b = 0; b < 32; b++) {
		if (!(in.gerror_active & (1u << b)))
			continue;
		bool grave = b == 0 || b == 8;
		if (b == 0)
			add(c, UINT32_MAX, 0, "gerror-active", PTDBG_SEV_ERROR, 0, 0,
			    "GERROR.CMDQ_ERR: the command at CMDQ_CONS %u failed with %s; the SMMU "
			    "stopped consuming commands", (unsigned)cq.cons,
			    smmu_cmdq_err_name(cq.cmdq_err));
		else
			add(c, UINT32_MAX, 0, "gerror-active", grave ? PTDBG_SEV_ERROR : PTDBG_SEV_WARNING,
			    0, 0, "GERROR.%s: %s", smmu_gerror_bit_name(b),
			    smmu_gerror_bit_desc(b));
	}
	if (eq.regs_ok && eq.overflow)
		add(c, UINT32_MAX, 0, "event-queue-overflow", PTDBG_SEV_ERROR, eq.base, 0,
		    "the event queue overflowed (EVENTQ_PROD.OVFLG not acknowledged): events were lost");
	else if (eq.regs_ok && eq.full && (in.gerror_active & SMMU_GERROR_EVENTQ_ABT_ERR))
		add(c, UINT32_MAX, 0, "event-queue-overflow", PTDBG_SEV_ERROR, eq.base, 0,
		    "the event queue is full (%u entries) and GERROR.EVENTQ_ABT_ERR is active: "
		    "events were dropped", (unsigned)eq.entries);
	else if (eq.regs_ok && eq.full)
		add(c, UINT32_MAX, 0, "event-queue-overflow", PTDBG_SEV_WARNING, eq.base, 0,
		    "the event queue is full (%u entries): further events will be lost",
		    (unsigned)eq.entries);
	queue_checks(c, &eq, "event queue");
	queue_checks(c, &cq, "command queue");
	if (in.enabled && !in.eventq_enabled)
		add(c, UINT32_MAX, 0, "faults-not-recorded", PTDBG_SEV_WARNING, 0, 0,
		    "the SMMU translates but its event queue is disabled (CR0ACK.EVENTQEN=0): "
		    "no fault is recorded");
}

void smmu_checker_events(struct smmu_checker *c, const struct smmu_event *ev, size_t n)
{
	free(c->ev);
	c->ev = NULL;
	c->nev = 0;
	if (!n || !(c->ev = malloc(n * sizeof(*ev))))
		return;
	memcpy(c->ev, ev, n * sizeof(*ev));
	c->nev = n;
}

/* The address of the structure where l stopped. */
static uint64_t stop_pa(const struct smmu_stream_lookup *l)
{
	if (l->read_err)
		return l->fetch_addr;
	switch (l->stage) {
	case SMMU_AT_STRTAB: return l->two_level ? l->l1_pa : l->st.base;
	case SMMU_AT_STE:    return l->ste_pa;
	case SMMU_AT_CD_L1:  return l->have_l1cd ? l->l1cd_pa : l->ste_pa;
	case SMMU_AT_CD:     return l->cd_pa;
	default:             return PTDBG_NO_ADDR;
	}
}

static void reserved_finding(struct smmu_checker *c, const struct smmu_stream_lookup *l)
{
	char what[256];
	size_t off = 0;
	what[0] = '\0';
#define NOTE(...) do { if (off < sizeof(what)) \
		off += (size_t)snprintf(what + off, sizeof(what) - off, __VA_ARGS__); } while (0)
	if (l->l1_rsvd)
		NOTE("%sL1STD 0x%" PRIx64, off ? ", " : "", l->l1_rsvd);
	for (unsigned i = 0; i < SMMU_STE_DWORDS; i++)
		if (l->ste_rsvd[i])
			NOTE("%sSTE dword %u 0x%" PRIx64, off ? ", " : "", i, l->ste_rsvd[i]);
	if (l->l1cd_rsvd)
		NOTE("%sL1CD 0x%" PRIx64, off ? ", " : "", l->l1cd_rsvd);
	for (unsigned i = 0; i < SMMU_CD_DWORDS; i++)
		if (l->cd_rsvd[i])
			NOTE("%sCD dword %u 0x%" PRIx64, off ? ", " : "", i, l->cd_rsvd[i]);
#undef NOTE
	struct ptdbg_finding *f = add(c, l->sid, l->ssid, "reserved-bits", PTDBG_SEV_WARNING, 0, 0,
				      "reserved bits set: %s", what);
	if (f)
		f->node = l->have_cd && (l->cd_rsvd[0] | l->cd_rsvd[1] | l->cd_rsvd[2]) ? l->cd_pa : l->ste_pa;
}

void smmu_checker_stream(struct smmu_checker *c, const struct smmu_hw *hw,
			 const struct smmu_stream_lookup *l)
{
	struct dom *d = dom_of(c, l->sid, l->ssid);
	struct ptdbg_finding *f = NULL;
	char b1[32], b2[32];

	if (!c->have_unit && hw)
		c->hw = *hw; /* no registers given: the lookup's view of the SMMU */
	if (d && d->seen)
		return; /* the scan and the domain's own lookup saw the same stream */
	if (d) {
		d->seen = true;
		d->l = *l;
	}
	if (l->rsvd_set)
		reserved_finding(c, l);
	if (l->overlap) {
		f = add(c, l->sid, l->ssid, "table-overlap", PTDBG_SEV_ERROR, 0, 0, "%s", l->overlap_why);
		if (f)
			f->node = l->ste_pa;
	}

	switch (l->event) {
	case 0:
		break;
	case SMMU_EVT_F_STE_FETCH:
	case SMMU_EVT_F_CD_FETCH:
		f = add(c, l->sid, l->ssid, "table-unreadable", PTDBG_SEV_ERROR, 0, 0,
			"%s (the SMMU records %s)", l->why, smmu_event_name(l->event));
		break;
	case SMMU_EVT_C_BAD_STREAMID:
		f = add(c, l->sid, l->ssid, "ste-invalid", d ? PTDBG_SEV_ERROR : PTDBG_SEV_WARNING, 0, 0,
			"%s (the SMMU records C_BAD_STREAMID%s)", l->why,
			d ? "; the kernel registered a domain here" : "");
		break;
	case SMMU_EVT_C_BAD_STE:
		if (d || l->ste.v)
			f = add(c, l->sid, l->ssid, "ste-invalid", d ? PTDBG_SEV_ERROR : PTDBG_SEV_WARNING,
				0, 0, "%s (the SMMU records C_BAD_STE%s)", l->why,
				d ? "; the kernel registered a domain here" : "");
		break;
	case SMMU_EVT_F_STREAM_DISABLED:
		if (d)
			f = add(c, l->sid, l->ssid, "ste-invalid", PTDBG_SEV_ERROR, 0, 0,
				"%s: the kernel's domain for this stream gets no transaction (F_STREAM_DISABLED)",
				l->why);
		break;
	case SMMU_EVT_C_BAD_SUBSTREAMID:
	case SMMU_EVT_C_BAD_CD:
		f = add(c, l->sid, l->ssid, "cd-invalid", d ? PTDBG_SEV_ERROR : PTDBG_SEV_WARNING, 0, 0,
			"%s (the SMMU records %s)", l->why, smmu_event_name(l->event));
		break;
	default:
		break;
	}
	if (f)
		f->node = stop_pa(l);

	if (d && l->xlate == SMMU_XL_ABORT) {
		f = add(c, l->sid, l->ssid, "ste-invalid", PTDBG_SEV_ERROR, 0, 0,
			"STE Config is abort: every transaction of the kernel's domain here is terminated");
		if (f)
			f->node = l->ste_pa;
	}
	if (d && l->xlate == SMMU_XL_BYPASS) {
		f = add(c, l->sid, l->ssid, "ste-bypass", PTDBG_SEV_ERROR, 0, 0,
			"%s: the stream's DMA reaches physical memory untranslated although the kernel "
			"registered a domain for it",
			l->ste.config == SMMU_STE_CFG_BYPASS ? "STE Config is bypass"
							     : "no substream and S1DSS bypasses stage 1");
		if (f)
			f->node = l->ste_pa;
	}
	if (l->have_cd && l->cd.v && !l->cd.r) {
		f = add(c, l->sid, l->ssid, "faults-not-recorded", PTDBG_SEV_WARNING, 0, 0,
			"CD.R=0: the SMMU terminates this stream's faulting transactions without "
			"recording an event (as VT-d's FPD=1)");
		if (f)
			f->node = l->cd_pa;
	}
	if (l->have_ste && l->ste.v && (l->ste.config == SMMU_STE_CFG_S2 ||
					l->ste.config == SMMU_STE_CFG_NESTED) && !l->ste.s2r) {
		f = add(c, l->sid, l->ssid, "faults-not-recorded", PTDBG_SEV_WARNING, 0, 0,
			"STE.S2R=0: stage 2 faults of this stream are not recorded");
		if (f)
			f->node = l->ste_pa;
	}
	if (d && l->have_cd && l->cd.v && !l->cd.epd0 && l->cd.ias0 < 64 &&
	    d->d.win_end < (1ull << l->cd.ias0)) {
		uint64_t ias_end = 1ull << l->cd.ias0;
		char ram[32];
		if (c->o.ram_end > d->d.win_end) {
			f = add(c, l->sid, l->ssid, "window-narrower-than-ias", PTDBG_SEV_ERROR,
				d->d.win_start, d->d.win_end - d->d.win_start,
				"software window [%#" PRIx64 ", %#" PRIx64 ") (%s) is narrower than the CD's "
				"%u-bit input (%s) while RAM reaches %#" PRIx64 " (%s): identity-mapped "
				"buffers above %#" PRIx64 " cannot be mapped",
				d->d.win_start, d->d.win_end, size_str(d->d.win_end, b1, sizeof(b1)),
				l->cd.ias0, size_str(ias_end, b2, sizeof(b2)), c->o.ram_end,
				c->o.ram_source ? c->o.ram_source : "RAM extent", d->d.win_end);
		} else if (!c->o.ram_end) {
			size_str(d->d.win_end, ram, sizeof(ram));
			f = add(c, l->sid, l->ssid, "window-narrower-than-ias", PTDBG_SEV_WARNING,
				d->d.win_start, d->d.win_end - d->d.win_start,
				"software window ends at %s, below the CD's %u-bit input (%s); the RAM "
				"extent is unknown, so buffers above the window may exist", ram,
				l->cd.ias0, size_str(ias_end, b2, sizeof(b2)));
		}
		if (f)
			f->node = l->cd_pa;
	}
}

static const char *dir_name(uint32_t dir)
{
	switch (dir) {
	case PTDBG_DMA_TO_DEVICE:   return "to-device";
	case PTDBG_DMA_FROM_DEVICE: return "from-device";
	case PTDBG_DMA_BIDIR:       return "bidirectional";
	default:                    return "?";
	}
}

static void check_buf(struct smmu_checker *c, const struct smmu_dma_buf_info *b)
{
	struct dom *d = dom_of(c, b->sid, b->ssid);
	uint64_t end = b->iova + b->len;
	char s1[32];

	if (b->status == PTDBG_DMA_UNMAPPED)
		return;
	if (!d) {
		add(c, b->sid, b->ssid, "dma-out-of-range", PTDBG_SEV_ERROR, b->iova, b->len,
		    "%s buffer (phys %#" PRIx64 ") of a stream the kernel registered no domain for",
		    dir_name(b->dir), b->phys);
		return;
	}
	if (end < b->iova || b->iova < d->d.win_start || end > d->d.win_end) {
		add(c, b->sid, b->ssid, "dma-out-of-range", PTDBG_SEV_ERROR, b->iova, b->len,
		    "%s buffer of %s (phys %#" PRIx64 "%s) outside the software window [%#" PRIx64
		    ", %#" PRIx64 ")", dir_name(b->dir), size_str(b->len, s1, sizeof(s1)), b->phys,
		    b->status == PTDBG_DMA_REFUSED ? ", refused by the map call" : "",
		    d->d.win_start, d->d.win_end);
		return;
	}
	const struct smmu_stream_lookup *l = &d->l;
	if (d->seen && l->have_cd && l->cd.v && l->cd.ias0 < 64 &&
	    (end > (1ull << l->cd.ias0) || end < b->iova)) {
		add(c, b->sid, b->ssid, "dma-out-of-range", PTDBG_SEV_ERROR, b->iova, b->len,
		    "buffer above the CD's %u-bit input size: the SMMU faults it (F_ADDR_SIZE)",
		    l->cd.ias0);
		return;
	}
	if (b->status != PTDBG_DMA_MAPPED || !d->seen)
		return;

	/* Does the stream translate the buffer to its physical address? */
	if (l->xlate == SMMU_XL_BYPASS) {
		if (b->iova != b->phys)
			add(c, b->sid, b->ssid, "dma-unmapped", PTDBG_SEV_ERROR, b->iova, b->len,
			    "the stream bypasses the SMMU: IOVA %#" PRIx64 " reaches physical %#" PRIx64
			    ", not the buffer at %#" PRIx64, b->iova, b->iova, b->phys);
		return;
	}
	if (l->xlate != SMMU_XL_S1 && l->xlate != SMMU_XL_NESTED) {
		add(c, b->sid, b->ssid, "dma-unmapped", PTDBG_SEV_ERROR, b->iova, b->len,
		    "the stream does not translate (%s): the buffer at %#" PRIx64 " is unreachable",
		    l->event ? smmu_event_name(l->event) : smmu_xlate_name(l->xlate), b->phys);
		return;
	}
	if (!c->o.translate)
		return;
	struct smmu_s1_cfg cfg;
	if (!smmu_s1_cfg_from_lookup(&c->hw, l, &cfg))
		return;
	bool write = b->dir == PTDBG_DMA_FROM_DEVICE || b->dir == PTDBG_DMA_BIDIR;
	uint64_t off = 0;
	for (unsigned n = 0; off < b->len && n < DMA_PAGES_MAX; n++) {
		uint64_t pa = 0;
		int rc = c->o.translate(c->o.translate_ctx, &cfg, b->iova + off, write, &pa);
		if (rc < 0)
			return;
		if (rc == 0 || pa != b->phys + off) {
			if (rc == 0)
				add(c, b->sid, b->ssid, "dma-unmapped", PTDBG_SEV_ERROR, b->iova + off,
				    b->len - off, "the stage-1 tables do not translate %#" PRIx64
				    " for a %s (buffer at phys %#" PRIx64 ")", b->iova + off,
				    write ? "write" : "read", b->phys);
			else
				add(c, b->sid, b->ssid, "dma-unmapped", PTDBG_SEV_ERROR, b->iova + off,
				    b->len - off, "%#" PRIx64 " translates to %#" PRIx64 ", not to the "
				    "buffer at %#" PRIx64, b->iova + off, pa, b->phys + off);
			return;
		}
		off = ((b->iova + off) | 0xfff) + 1 - b->iova;
	}
}

void smmu_checker_finish(struct smmu_checker *c)
{
	for (size_t i = 0; i < c->nev; i++) {
		const struct smmu_event *e = &c->ev[i];
		const char *name = smmu_event_name(e->type);
		char extra[160] = "";
		if (e->has_input)
			snprintf(extra, sizeof(extra), " %s of %#" PRIx64 "%s%s", e->rnw ? "read" : "write",
				 e->input_addr, e->has_walk ? (e->s2 ? " at stage 2" : " at stage 1") : "",
				 e->has_walk && e->cls == SMMU_CLASS_TT ? " (table walk)" : "");
		else if (e->has_fetch)
			snprintf(extra, sizeof(extra), " fetching %#" PRIx64, e->fetch_addr);
		add(c, e->sid, e->ssv ? e->ssid : SMMU_NO_SSID, "event-pending", PTDBG_SEV_WARNING,
		    e->has_input ? e->input_addr : 0, 0, "event queue [%u]: %s%s: %s",
		    (unsigned)e->index, name ? name : "unknown event", extra, smmu_event_desc(e->type));
	}
	if (c->have_unit && !c->enabled && c->ndoms) {
		for (size_t i = 0; i < c->ndoms; i++)
			add(c, c->doms[i].d.sid, c->doms[i].d.ssid,
			    c->gbpa_abort ? "smmu-disabled" : "ste-bypass", PTDBG_SEV_ERROR, 0, 0,
			    c->gbpa_abort ? "the SMMU is disabled (CR0ACK.SMMUEN=0) and GBPA aborts: the "
					    "kernel's domain here gets no DMA through"
					  : "the SMMU is disabled (CR0ACK.SMMUEN=0) and GBPA bypasses: "
					    "the stream's DMA reaches physical memory untranslated");
	}
	for (size_t i = 0; i < c->nbufs; i++)
		check_buf(c, &c->bufs[i]);
}

/* smmu_check(): the scan feeds the checker. */
struct scan_ctx {
	struct smmu_checker *c;
	const struct smmu_hw *hw;
};

static int scan_one(void *ctx, const struct smmu_stream_lookup *l)
{
	struct scan_ctx *s = ctx;
	smmu_checker_stream(s->c, s->hw, l);
	return 0;
}

int smmu_check(struct ptdbg_mem *mem, const struct smmu_regs *r, const struct smmu_check_opts *o,
	       const struct smmu_domain_info *d, size_t nd, const struct smmu_dma_buf_info *b,
	       size_t nb)
{
	struct smmu_checker *c = smmu_checker_new(o);
	struct smmu_hw hw;
	struct smmu_strtab st;
	struct smmu_queue eq;
	int rc;

	if (!c)
		return PTDBG_ENOMEM;
	if ((rc = smmu_checker_region(c, d, nd, b, nb)))
		goto out;
	smmu_checker_unit(c, r);
	smmu_hw_from_regs(&hw, r);
	smmu_strtab_from_regs(&st, r);

	smmu_queue_from_regs(&eq, SMMU_Q_EVENT, r);
	/* with inconsistent indexes (queue-invalid) nothing is known to be pending */
	if (eq.regs_ok && eq.pending && !eq.index_bad) {
		size_t want = eq.pending < SMMU_CHECK_EVENTS_MAX ? eq.pending : SMMU_CHECK_EVENTS_MAX;
		struct smmu_event *ev = calloc(want, sizeof(*ev));
		size_t n = 0;
		if (!ev) {
			rc = PTDBG_ENOMEM;
			goto out;
		}
		rc = smmu_events_read(mem, &eq, false, ev, want, &n);
		if (eq.pending > want)
			add(c, UINT32_MAX, 0, "event-pending", PTDBG_SEV_WARNING, 0, 0,
			    "%u more events pending after the first %zu (not decoded here: see faults)",
			    (unsigned)(eq.pending - want), want);
		smmu_checker_events(c, ev, n);
		free(ev);
		if (rc == PTDBG_ELINK || rc == PTDBG_ETIMEOUT)
			goto out;
		if (rc)
			add(c, UINT32_MAX, 0, "table-unreadable", PTDBG_SEV_ERROR,
			    smmu_queue_entry_pa(&eq, eq.cons + (uint32_t)n), 0,
			    "the event queue cannot be read from record %u on (%d)",
			    (unsigned)((eq.cons + n) & (eq.entries - 1)), rc);
		rc = 0;
	}

	struct scan_ctx sc = { c, &hw };
	if (c->enabled || !c->have_unit)
		if ((rc = smmu_strtab_scan(mem, &hw, &st, o->max_stes, scan_one, &sc, NULL)))
			goto out;
	for (size_t i = 0; i < c->ndoms; i++) {
		struct smmu_stream_lookup l;
		if (c->doms[i].seen)
			continue;
		if ((rc = smmu_stream_lookup(mem, &hw, &st, c->doms[i].d.sid, c->doms[i].d.ssid, &l)))
			goto out;
		if (!c->enabled) {
			/* Disabled: GBPA decides for every stream (finish() reports it). */
			l.xlate = c->gbpa_abort ? SMMU_XL_ABORT : SMMU_XL_BYPASS;
			c->doms[i].l = l;
			c->doms[i].seen = true;
			continue;
		}
		smmu_checker_stream(c, &hw, &l);
	}
	smmu_checker_finish(c);
out:
	smmu_checker_free(c);
	return rc;
}
