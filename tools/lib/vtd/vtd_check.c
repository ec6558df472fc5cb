/* SPDX-License-Identifier: MIT */
/* Checks of VT-d state from lookups, walk events and the debug region; see vtd_check.h. */
#include "vtd/vtd_check.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "region/region.h"
#include "out/snapshot.h"
#include "target/target.h"
#include "vtd/vtd_fault.h"
#include "walk/rmap.h"

const char *const vtd_check_kinds[] = {
	"dma-out-of-range", "dma-unmapped", "dma-unregistered", "dma-stale", "window-narrower-than-aw",
	"window-wider-than-aw", "fpd-set", "reserved-bits", "context-invalid", "table-unreadable",
	"table-outside-ram", "recursive-table", "walk-partial", "fault-pending", "domain-mismatch",
	"domain-not-present", "translation-disabled", "dma-maps-kernel-text", NULL,
};

/* What the checker keeps about one device whose context it saw. */
struct dev {
	struct vtd_dev_lookup l;
	bool walked;
	int32_t same_as;              /* index of the device whose table (and map) this one
					 shares, or -1 */
	struct ptdbg_snap_space map;  /* its translated ranges, coalesced, in IOVA order */
};

/* A run of equal anomalies on consecutive entries, reported as one finding. */
struct anomaly_run {
	bool have;
	const char *kind;
	enum ptdbg_anomaly anomaly;
	unsigned level;
	uint64_t iova, size, detail, node;
};

struct vtd_checker {
	struct vtd_check_opts o;
	bool have_unit;
	bool translating;             /* GSTS.TES */
	bool overflow;                /* FSTS.PFO */
	struct vtd_fault_rec *faults; size_t nfaults;
	struct dev *devs;             size_t ndevs, cap;
	int32_t *by_bdf;              /* 65,536 entries: index into devs, or -1 */
	struct dev *cur;              /* being walked */
	struct anomaly_run run;
	bool have_region;
	uint32_t mode;
	struct ptdbg_domain *doms;    size_t ndoms;
	struct ptdbg_dma_buf *bufs;   size_t nbufs;
	const struct ptdbg_pa_set *protected;
};

struct vtd_checker *vtd_checker_new(const struct vtd_check_opts *o)
{
	struct vtd_checker *c = calloc(1, sizeof(*c));
	if (c)
		c->o = *o;
	return c;
}

void vtd_checker_free(struct vtd_checker *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->ndevs; i++)
		free(c->devs[i].map.r);
	free(c->devs);
	free(c->by_bdf);
	free(c->faults);
	free(c->doms);
	free(c->bufs);
	free(c);
}

/* The kernel's domain for bdf, or NULL. */
static const struct ptdbg_domain *domain_of(const struct vtd_checker *c, uint16_t bdf)
{
	for (size_t i = 0; i < c->ndoms; i++)
		if (c->doms[i].bdf == bdf)
			return &c->doms[i];
	return NULL;
}

/* The device record for bdf, or NULL. */
static struct dev *dev_of(const struct vtd_checker *c, uint16_t bdf)
{
	if (!c->by_bdf || c->by_bdf[bdf] < 0)
		return NULL;
	return &c->devs[c->by_bdf[bdf]];
}

/* The device whose map dv uses: itself, or the one whose table it shares. */
static const struct dev *map_owner(const struct vtd_checker *c, const struct dev *dv)
{
	return dv->same_as >= 0 ? &c->devs[dv->same_as] : dv;
}

const char *vtd_dev_label(uint16_t bdf, const struct ptdbg_domain *d, char *buf, size_t len)
{
	char b[16];
	vtd_bdf_str(bdf, b, sizeof(b));
	if (d && d->name[0]) {
		char name[PTDBG_NAME_LEN + 1];
		ptdbg_name_copy(name, d->name, PTDBG_NAME_LEN);
		snprintf(buf, len, "%s %s", b, name);
	} else {
		snprintf(buf, len, "%s", b);
	}
	return buf;
}

const char *vtd_checker_device_name(const struct vtd_checker *c, uint16_t bdf, char *buf, size_t len)
{
	return vtd_dev_label(bdf, domain_of(c, bdf), buf, len);
}

/* Add a finding about device bdf (its name in the space column). */
static struct ptdbg_finding *add(struct vtd_checker *c, uint16_t bdf, const char *kind,
				 enum ptdbg_severity sev, uint64_t addr, uint64_t size, const char *msg)
{
	struct ptdbg_finding *f = ptdbg_finding_add(c->o.out, kind, sev, addr, size, "%s", msg);
	if (f)
		vtd_checker_device_name(c, bdf, f->space, sizeof(f->space));
	return f;
}

/* "4 GiB", "512 GiB", "0x1234" for messages. */
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

void vtd_checker_unit(struct vtd_checker *c, const struct vtd_regs *r)
{
	struct vtd_unit_info in;
	vtd_regs_info(r, &in);
	c->have_unit = true;
	c->translating = in.translation_enabled;
	c->overflow = vtd_regs_get(r, VTD_REG_FSTS, NULL) & VTD_FSTS_PFO;
	free(c->faults);
	c->nfaults = 0;
	c->faults = calloc(r->nfrcd ? r->nfrcd : 1, sizeof(*c->faults));
	if (c->faults)
		c->nfaults = vtd_faults_collect(r, false, c->faults, r->nfrcd);
}

/* Classes of the fault reasons a lookup can stop with. */
static bool reason_is_reserved(unsigned r)
{
	return r == VTD_FR_ROOT_RSVD || r == VTD_FR_CTX_RSVD || r == VTD_FR_PT_RSVD ||
	       r == VTD_FR_SM_ROOT_RSVD || r == VTD_FR_SM_CTX_RSVD || r == VTD_FR_SM_PDE_RSVD ||
	       r == VTD_FR_SM_PE_RSVD || r == VTD_FR_SM_SL_RSVD;
}

static bool reason_is_access(unsigned r)
{
	return r == VTD_FR_ROOT_ACCESS || r == VTD_FR_CTX_ACCESS || r == VTD_FR_PT_ACCESS ||
	       r == VTD_FR_SM_ROOT_ACCESS || r == VTD_FR_SM_CTX_ACCESS || r == VTD_FR_SM_PDE_ACCESS ||
	       r == VTD_FR_SM_PE_ACCESS || r == VTD_FR_SM_SL_ACCESS;
}

static bool reason_is_not_present(unsigned r)
{
	return r == VTD_FR_ROOT_P || r == VTD_FR_CTX_P || r == VTD_FR_SM_ROOT_P || r == VTD_FR_SM_CTX_P;
}

/* Physical address of the entry where lookup l stopped. */
static uint64_t stop_entry_pa(const struct vtd_dev_lookup *l)
{
	switch (l->stage) {
	case VTD_STAGE_ROOT:        return l->root_pa;
	case VTD_STAGE_CONTEXT:     return l->ctx_pa;
	case VTD_STAGE_PASID_DIR:   return l->pde_pa;
	case VTD_STAGE_PASID_ENTRY: return l->pe_pa;
	default:                    return PTDBG_NO_ADDR;
	}
}

void vtd_checker_device(struct vtd_checker *c, const struct vtd_dev_lookup *l)
{
	if (reason_is_not_present(l->reason) || dev_of(c, l->bdf))
		return;
	if (!c->by_bdf) {
		c->by_bdf = malloc(65536 * sizeof(*c->by_bdf));
		if (!c->by_bdf)
			return;
		memset(c->by_bdf, 0xff, 65536 * sizeof(*c->by_bdf)); /* -1 everywhere */
	}
	if (c->ndevs == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		struct dev *v = realloc(c->devs, cap * sizeof(*v));
		if (!v)
			return;
		c->devs = v;
		c->cap = cap;
	}
	c->by_bdf[l->bdf] = (int32_t)c->ndevs;
	struct dev *d = &c->devs[c->ndevs++];
	memset(d, 0, sizeof(*d));
	d->l = *l;
	d->same_as = -1;

	char msg[384];
	const char *stage = vtd_stage_name(l->stage);
	struct ptdbg_finding *f = NULL;
	if (l->reason && reason_is_reserved(l->reason)) {
		unsigned nw = l->stage == VTD_STAGE_PASID_ENTRY ? 8 : l->stage == VTD_STAGE_PASID_DIR ? 1 :
			      (l->stage == VTD_STAGE_CONTEXT && l->scalable) ? 4 : 2;
		char bits[160] = "";
		size_t off = 0;
		for (unsigned i = nw; i-- > 0 && off < sizeof(bits);)
			off += (size_t)snprintf(bits + off, sizeof(bits) - off, "%s%016" PRIx64,
						i + 1 == nw ? "" : "_", l->rsvd[i]);
		snprintf(msg, sizeof(msg), "%s has reserved bits set (%s): the unit faults every request (reason %#x, %s)",
			 stage, bits, l->reason, vtd_fault_reason_name(l->reason));
		f = add(c, l->bdf, "reserved-bits", PTDBG_SEV_ERROR, 0, 0, msg);
	} else if (l->reason && reason_is_access(l->reason)) {
		snprintf(msg, sizeof(msg), "%s at %#" PRIx64 " is unreadable (reason %#x, %s)", stage,
			 stop_entry_pa(l), l->reason, vtd_fault_reason_name(l->reason));
		f = add(c, l->bdf, "table-unreadable", PTDBG_SEV_ERROR, 0, 0, msg);
	} else if (l->reason) {
		snprintf(msg, sizeof(msg), "present context the unit cannot use: stops at the %s with reason %#x (%s)",
			 stage, l->reason, vtd_fault_reason_name(l->reason));
		f = add(c, l->bdf, "context-invalid", PTDBG_SEV_ERROR, 0, 0, msg);
	}
	if (f)
		f->node = stop_entry_pa(l);
	if (l->fpd) {
		f = add(c, l->bdf, "fpd-set", PTDBG_SEV_WARNING, 0, 0,
			"fault processing disabled (FPD=1): the unit blocks this device's faulting requests without recording them");
		if (f)
			f->node = l->pe_pa && (l->pe[0] & VTD_PE_FPD) ? l->pe_pa : l->ctx_pa;
	}
}

void vtd_checker_begin(struct vtd_checker *c, const struct vtd_dev_lookup *l)
{
	c->cur = dev_of(c, l->bdf);
	if (!c->cur) {
		vtd_checker_device(c, l);
		c->cur = dev_of(c, l->bdf);
	}
	if (c->cur)
		c->cur->walked = true;
	memset(&c->run, 0, sizeof(c->run));
}

void vtd_checker_share(struct vtd_checker *c, const struct vtd_dev_lookup *l, uint16_t walked_bdf)
{
	vtd_checker_device(c, l);
	struct dev *d = dev_of(c, l->bdf), *w = dev_of(c, walked_bdf);
	if (!d || !w || d == w)
		return;
	d->walked = true;
	d->same_as = w->same_as >= 0 ? w->same_as : (int32_t)(w - c->devs);
}

/* Report the pending run of anomalies. */
static void flush_run(struct vtd_checker *c)
{
	struct anomaly_run *r = &c->run;
	if (!r->have || !c->cur)
		return;
	r->have = false;
	char msg[384];
	if (r->anomaly == PTDBG_AN_RESERVED)
		snprintf(msg, sizeof(msg), "level-%u entries with reserved bits set (%#" PRIx64 "): any access there faults (reason 0xc)",
			 r->level, r->detail);
	else if (r->anomaly == PTDBG_AN_READ_ERROR)
		snprintf(msg, sizeof(msg), "level-%u table at %#" PRIx64 " cannot be read: requests there fault (reason 0x7)",
			 r->level, r->node);
	else if (r->anomaly == PTDBG_AN_RECURSIVE)
		snprintf(msg, sizeof(msg), "level-%u table at %#" PRIx64 " is also its own ancestor (level %" PRIu64 ")",
			 r->level, r->node, r->detail);
	else if (r->anomaly == PTDBG_AN_BUDGET)
		snprintf(msg, sizeof(msg), "walk budget exhausted: IOVAs from here on were not checked");
	else
		snprintf(msg, sizeof(msg), "superpage at level %u that the unit does not support (CAP.SLLPS or level 4/5)",
			 r->level);
	struct ptdbg_finding *f = add(c, c->cur->l.bdf, r->kind,
				      !strcmp(r->kind, "walk-partial") ? PTDBG_SEV_WARNING : PTDBG_SEV_ERROR,
				      r->iova, r->size, msg);
	if (f)
		f->node = r->node;
}

int vtd_checker_visit(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct vtd_checker *c = ctx;
	if (!c->cur)
		return 0;
	if (ev->kind == PTDBG_EV_LEAF || ev->kind == PTDBG_EV_LEAF_RUN)
		return ptdbg_snap_visit(&c->cur->map, ev);
	if (ev->kind == PTDBG_EV_NODE && c->o.ram_end && ev->pa >= c->o.ram_end) {
		char msg[256];
		snprintf(msg, sizeof(msg),
			 "level-%u second-level table at %#llx lies past the end of RAM (%#llx, %s): the unit walks whatever answers there",
			 ev->level, (unsigned long long)ev->pa, (unsigned long long)c->o.ram_end,
			 c->o.ram_source ? c->o.ram_source : "RAM extent");
		struct ptdbg_finding *f = add(c, c->cur->l.bdf, "table-outside-ram", PTDBG_SEV_ERROR, ev->va,
					      ev->size, msg);
		if (f)
			f->node = ev->pa;
		return 0;
	}
	if (ev->kind != PTDBG_EV_ANOMALY)
		return 0;
	const char *kind;
	uint64_t node = ev->path ? ev->path->lv[ev->level].table_pa : PTDBG_NO_ADDR;
	switch (ev->anomaly) {
	case PTDBG_AN_RESERVED:   kind = "reserved-bits"; break;
	case PTDBG_AN_TYPE_LEVEL:   kind = "reserved-bits"; break;
	case PTDBG_AN_READ_ERROR: kind = "table-unreadable"; node = ev->pa; break;
	case PTDBG_AN_RECURSIVE:  kind = "recursive-table"; node = ev->pa; break;
	default:                kind = "walk-partial"; break;
	}
	struct anomaly_run *r = &c->run;
	if (r->have && r->anomaly == ev->anomaly && r->level == ev->level && r->detail == ev->detail &&
	    r->iova + r->size == ev->va && (ev->anomaly == PTDBG_AN_RESERVED || ev->anomaly == PTDBG_AN_TYPE_LEVEL)) {
		r->size += ev->size;
		return 0;
	}
	flush_run(c);
	r->have = true;
	r->kind = kind;
	r->anomaly = ev->anomaly;
	r->level = ev->level;
	r->iova = ev->va;
	r->size = ev->size;
	r->detail = ev->detail;
	r->node = node;
	return 0;
}

void vtd_checker_end(struct vtd_checker *c)
{
	flush_run(c);
	c->cur = NULL;
}

int vtd_checker_region(struct vtd_checker *c, uint32_t mode, const struct ptdbg_domain *d, size_t nd,
		       const struct ptdbg_dma_buf *b, size_t nb)
{
	c->have_region = true;
	c->mode = mode;
	free(c->doms);
	free(c->bufs);
	c->doms = nd ? malloc(nd * sizeof(*d)) : NULL;
	c->bufs = nb ? malloc(nb * sizeof(*b)) : NULL;
	if ((nd && !c->doms) || (nb && !c->bufs)) {
		c->ndoms = c->nbufs = 0;
		return PTDBG_ENOMEM;
	}
	if (nd)
		memcpy(c->doms, d, nd * sizeof(*d));
	if (nb)
		memcpy(c->bufs, b, nb * sizeof(*b));
	c->ndoms = nd;
	c->nbufs = nb;
	return 0;
}

/* The address width the device's requests are limited to: the context's (what the
 * hardware uses) when its lookup succeeded, else what the kernel recorded. */
static unsigned aw_of(const struct vtd_checker *c, uint16_t bdf)
{
	const struct dev *dv = dev_of(c, bdf);
	if (dv && dv->l.xlate == VTD_XL_SECOND_LEVEL && dv->l.aw_bits)
		return dv->l.aw_bits;
	const struct ptdbg_domain *d = domain_of(c, bdf);
	return d ? d->aw_bits : 0;
}

static uint64_t aw_limit(unsigned aw)
{
	return aw >= 64 ? UINT64_MAX : (1ull << aw);
}

/* The range of dv's map covering iova, or NULL (ranges are in IOVA order). */
static const struct ptdbg_snap_range *range_at(const struct dev *dv, uint64_t iova, uint64_t *next)
{
	size_t lo = 0, hi = dv->map.n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct ptdbg_snap_range *r = &dv->map.r[mid];
		if (iova < r->va)
			hi = mid;
		else if (iova - r->va >= r->size)
			lo = mid + 1;
		else
			return r;
	}
	*next = lo < dv->map.n ? dv->map.r[lo].va : UINT64_MAX;
	return NULL;
}

/* The permission a buffer's direction needs. */
static uint32_t perm_needed(uint32_t dir)
{
	switch (dir) {
	case PTDBG_DMA_TO_DEVICE:   return VTD_PERM_R;
	case PTDBG_DMA_FROM_DEVICE: return VTD_PERM_W;
	default:                    return VTD_PERM_R | VTD_PERM_W;
	}
}

/* How the domain translates buffer b: "" if as registered, else why not (into why).
 * *any_mapped tells whether any byte of it is translated at all. */
static void translation_of(const struct vtd_checker *c, const struct ptdbg_dma_buf *b, char *why,
			   size_t len, bool *any_mapped)
{
	const struct dev *dv = dev_of(c, b->bdf);
	if (dv)
		dv = map_owner(c, dv);
	why[0] = 0;
	*any_mapped = false;
	if (!dv || dv->l.reason) {
		snprintf(why, len, "the device's context is %s", dv ? "unusable" : "not present");
		return;
	}
	if (dv->l.xlate == VTD_XL_PASSTHROUGH) {
		*any_mapped = true;
		if (b->iova != b->phys)
			snprintf(why, len, "the context is pass-through: IOVA %#" PRIx64 " reaches PA %#" PRIx64 ", not %#" PRIx64,
				 b->iova, b->iova, b->phys);
		return;
	}
	if (dv->l.xlate != VTD_XL_SECOND_LEVEL || !dv->walked) {
		snprintf(why, len, "the context's %s translation is not decoded", vtd_xlate_name(dv->l.xlate));
		return;
	}
	uint64_t end = b->len ? b->iova + b->len : b->iova + 1;
	uint32_t need = perm_needed(b->dir);
	for (uint64_t x = b->iova; x < end && x >= b->iova;) {
		uint64_t next = UINT64_MAX;
		const struct ptdbg_snap_range *r = range_at(dv, x, &next);
		if (!r) {
			if (!why[0])
				snprintf(why, len, "IOVA %#" PRIx64 " is not translated", x);
			x = next;
			continue;
		}
		*any_mapped = true;
		uint64_t pa = r->pa + (x - r->va), want = b->phys + (x - b->iova);
		if (!why[0] && pa != want)
			snprintf(why, len, "IOVA %#" PRIx64 " translates to PA %#" PRIx64 ", not %#" PRIx64, x, pa, want);
		else if (!why[0] && (r->attrs & need) != need) {
			char p[64];
			ptdbg_bits_format(&vtd_bits_perm, r->attrs, " ", p, sizeof(p));
			snprintf(why, len, "IOVA %#" PRIx64 " is translated %s, the buffer's direction (%s) needs %s", x,
				 p[0] ? p : "without access", ptdbg_dma_dir_name(b->dir),
				 need == VTD_PERM_R ? "R" : need == VTD_PERM_W ? "W" : "R and W");
		} else if (!why[0] && (r->attrs & VTD_PERM_FAULTS))
			snprintf(why, len, "IOVA %#" PRIx64 " is under an entry with reserved bits: every access faults", x);
		x = r->va + r->size;
		if (x < r->va)
			break;
	}
}

/* dma-* findings of one buffer. */
static void check_buffer(struct vtd_checker *c, const struct ptdbg_dma_buf *b)
{
	const struct ptdbg_domain *d = domain_of(c, b->bdf);
	unsigned aw = aw_of(c, b->bdf);
	uint64_t end = b->iova + b->len;
	char msg[384], sz[32], what[200] = "";
	size_t off = 0;
	snprintf(sz, sizeof(sz), "%" PRIu64, b->len);
	const char *st = ptdbg_dma_status_name(b->status);

	if (b->status != PTDBG_DMA_UNMAPPED) {
		if (d && (b->iova < d->win_start || end > d->win_end || end < b->iova))
			off += (size_t)snprintf(what + off, sizeof(what) - off,
						"outside the device's window [%#" PRIx64 ", %#" PRIx64 ")",
						d->win_start, d->win_end);
		if (aw && aw < 64 && (end > aw_limit(aw) || end < b->iova) && off < sizeof(what))
			off += (size_t)snprintf(what + off, sizeof(what) - off, "%sabove the context's %u-bit address width",
						off ? " and " : "", aw);
		if (off) {
			snprintf(msg, sizeof(msg), "DMA buffer IOVA [%#" PRIx64 ", %#" PRIx64 ") PA %#" PRIx64 " (%s, %s) is %s%s",
				 b->iova, end, b->phys, ptdbg_dma_dir_name(b->dir), st, what,
				 b->status == PTDBG_DMA_REFUSED ? ": the kernel's map call refused it" : "");
			struct ptdbg_finding *f = add(c, b->bdf, "dma-out-of-range", PTDBG_SEV_ERROR, b->iova, b->len, msg);
			if (f)
				f->frame = b->phys;
		}
	}
	if (b->status == PTDBG_DMA_REFUSED)
		return;

	char why[200];
	bool any;
	translation_of(c, b, why, sizeof(why), &any);
	struct ptdbg_finding *f = NULL;
	if (b->status == PTDBG_DMA_MAPPED && why[0]) {
		snprintf(msg, sizeof(msg), "DMA buffer IOVA [%#" PRIx64 ", %#" PRIx64 ") -> PA %#" PRIx64 " (%s) is registered as mapped, but %s",
			 b->iova, end, b->phys, ptdbg_dma_dir_name(b->dir), why);
		f = add(c, b->bdf, "dma-unmapped", PTDBG_SEV_ERROR, b->iova, b->len, msg);
	} else if (b->status == PTDBG_DMA_UNREGISTERED) {
		snprintf(msg, sizeof(msg), "a driver used DMA buffer IOVA [%#" PRIx64 ", %#" PRIx64 ") PA %#" PRIx64 " (%s) without a map call%s%s",
			 b->iova, end, b->phys, ptdbg_dma_dir_name(b->dir), why[0] ? "; " : "", why);
		f = add(c, b->bdf, "dma-unregistered", PTDBG_SEV_ERROR, b->iova, b->len, msg);
	} else if (b->status == PTDBG_DMA_UNMAPPED && any) {
		snprintf(msg, sizeof(msg), "DMA buffer IOVA [%#" PRIx64 ", %#" PRIx64 ") was unmapped, but the domain still translates it",
			 b->iova, end);
		f = add(c, b->bdf, "dma-stale", PTDBG_SEV_WARNING, b->iova, b->len, msg);
	}
	if (f)
		f->frame = b->phys;
}

/* window-*, domain-* findings of one domain the kernel registered. */
static void check_domain(struct vtd_checker *c, const struct ptdbg_domain *d, uint64_t ram_end,
			 const char *ram_source)
{
	const struct dev *dv = dev_of(c, d->bdf);
	char msg[384], a[32], b[32], e[32];
	if (!dv) {
		add(c, d->bdf, "domain-not-present", PTDBG_SEV_ERROR, d->win_start, 0,
		    "the kernel registered this device's domain, but its context entry is not present: the unit blocks its DMA");
	} else if (dv->l.xlate == VTD_XL_SECOND_LEVEL) {
		int n = 0;
		char diff[256] = "";
		if (dv->l.did != d->did)
			n += snprintf(diff + n, sizeof(diff) - (size_t)n, " domain id %u vs %u;", d->did, dv->l.did);
		if ((dv->l.sl_root & ~0xfffull) != (d->root & ~0xfffull) && n < (int)sizeof(diff))
			n += snprintf(diff + n, sizeof(diff) - (size_t)n, " table %#" PRIx64 " vs %#" PRIx64 ";", d->root,
				      dv->l.sl_root);
		if (d->aw_bits && dv->l.aw_bits != d->aw_bits && n < (int)sizeof(diff))
			n += snprintf(diff + n, sizeof(diff) - (size_t)n, " address width %u vs %u bits;", d->aw_bits,
				      dv->l.aw_bits);
		if (!!(d->flags & PTDBG_DOM_F_FPD) != dv->l.fpd && n < (int)sizeof(diff))
			n += snprintf(diff + n, sizeof(diff) - (size_t)n, " FPD %d vs %d;", !!(d->flags & PTDBG_DOM_F_FPD),
				      dv->l.fpd);
		if (n) {
			diff[n - 1] = 0;
			snprintf(msg, sizeof(msg), "the kernel's record of the domain disagrees with the context (kernel vs hardware):%s", diff);
			add(c, d->bdf, "domain-mismatch", PTDBG_SEV_WARNING, d->win_start, 0, msg);
		}
	}

	unsigned aw = aw_of(c, d->bdf);
	if (!aw || aw >= 64 || d->win_end <= d->win_start)
		return;
	uint64_t lim = aw_limit(aw);
	if (d->win_end < lim) {
		if (ram_end > d->win_end) {
			snprintf(msg, sizeof(msg), "software IOVA window [%#" PRIx64 ", %#" PRIx64 ") (%s) is narrower than the context's %u-bit address width (%s) while RAM reaches %#" PRIx64 " (%s): identity-mapped DMA buffers above %s cannot be mapped",
				 d->win_start, d->win_end, size_str(d->win_end - d->win_start, a, sizeof(a)), aw,
				 size_str(lim, b, sizeof(b)), ram_end, ram_source, size_str(d->win_end, e, sizeof(e)));
			add(c, d->bdf, "window-narrower-than-aw", PTDBG_SEV_ERROR, d->win_start,
			    d->win_end - d->win_start, msg);
		}
	} else if (d->win_end > lim) {
		snprintf(msg, sizeof(msg), "software IOVA window [%#" PRIx64 ", %#" PRIx64 ") reaches above what the context's %u-bit address width translates (%s): buffers mapped there fault",
			 d->win_start, d->win_end, aw, size_str(lim, b, sizeof(b)));
		add(c, d->bdf, "window-wider-than-aw", PTDBG_SEV_ERROR, d->win_start, d->win_end - d->win_start, msg);
	}
}

/* fault-pending findings: each recorded fault, decoded, with the buffer it hit. */
static void check_faults(struct vtd_checker *c)
{
	char msg[384], pasid[32] = "", note[160] = "";
	for (size_t i = 0; i < c->nfaults; i++) {
		const struct vtd_fault_rec *r = &c->faults[i];
		if (r->pasid_present)
			snprintf(pasid, sizeof(pasid), ", PASID %#x", r->pasid);
		else
			pasid[0] = 0;
		note[0] = 0;
		for (size_t k = 0; k < c->nbufs; k++) {
			const struct ptdbg_dma_buf *b = &c->bufs[k];
			if (b->bdf == r->sid && r->addr >= (b->iova & ~0xfffull) && r->addr < b->iova + (b->len ? b->len : 1)) {
				snprintf(note, sizeof(note), "; the kernel lists IOVA [%#" PRIx64 ", %#" PRIx64 ") -> PA %#" PRIx64 " there as %s",
					 b->iova, b->iova + b->len, b->phys, ptdbg_dma_status_name(b->status));
				break;
			}
		}
		snprintf(msg, sizeof(msg), "fault record %u: %s at %#" PRIx64 "%s: reason %#04x (%s)%s", r->index,
			 vtd_fault_access_name(r->access), r->addr, pasid, r->reason, vtd_fault_reason_name(r->reason), note);
		add(c, r->sid, "fault-pending", PTDBG_SEV_ERROR, r->addr, 0, msg);
	}
	if (c->overflow) {
		struct ptdbg_finding *f = ptdbg_finding_add(c->o.out, "fault-pending", PTDBG_SEV_ERROR, 0, 0,
			"primary fault overflow (FSTS.PFO): faults were lost after the recording registers filled");
		(void)f;
	}
}

void vtd_checker_protected(struct vtd_checker *c, const struct ptdbg_pa_set *set)
{
	c->protected = set;
}

bool vtd_check_text_write(struct ptdbg_findings *out, const struct ptdbg_pa_set *set, const char *device,
			  uint64_t iova, uint64_t pa, uint64_t size, uint32_t perm)
{
	if (!(perm & VTD_PERM_W) || !size)
		return false;
	const struct ptdbg_pa_range *r = ptdbg_pa_set_overlap(set, pa, pa + size);
	if (!r)
		return false;
	uint64_t lo = pa > r->lo ? pa : r->lo, hi = pa + size < r->hi ? pa + size : r->hi;
	struct ptdbg_finding *f = ptdbg_finding_add(out, "dma-maps-kernel-text", PTDBG_SEV_ERROR, iova + (lo - pa),
		hi - lo, "the device can write PA %#llx-%#llx at IOVA %#llx: %s (from %s); a write there "
		"rewrites the kernel behind the CPU's read-only mappings", (unsigned long long)lo,
		(unsigned long long)hi, (unsigned long long)(iova + (lo - pa)), r->what,
		set->source ? set->source : "the caller");
	if (f) {
		f->frame = lo;
		snprintf(f->space, sizeof(f->space), "%s", device);
	}
	return true;
}

/* dma-maps-kernel-text over the translated ranges of every device walked. */
static void check_text(struct vtd_checker *c)
{
	if (!c->protected || !c->protected->n)
		return;
	for (size_t i = 0; i < c->ndevs; i++) {
		struct dev *dv = &c->devs[i];
		if (!dv->walked || dv->same_as >= 0)
			continue; /* a shared table is reported once, for the device walked */
		const struct ptdbg_snap_space *m = &dv->map;
		char name[40];
		vtd_checker_device_name(c, dv->l.bdf, name, sizeof(name));
		for (size_t k = 0; k < m->n; k++)
			vtd_check_text_write(c->o.out, c->protected, name, m->r[k].va, m->r[k].pa, m->r[k].size,
					     m->r[k].attrs);
	}
}

void vtd_checker_finish(struct vtd_checker *c)
{
	check_faults(c);
	check_text(c);
	if (!c->have_region)
		return;
	if (c->have_unit && !c->translating && c->mode != PTDBG_IOMMU_NONE)
		ptdbg_finding_add(c->o.out, "translation-disabled", PTDBG_SEV_ERROR, 0, 0,
				  "the kernel says it uses the IOMMU (%s mode), but the unit does not translate (GSTS.TES=0): DMA bypasses its tables",
				  ptdbg_iommu_mode_name(c->mode));

	/* RAM extent: the frame metadata (or what the caller found), or at least the
	 * highest buffer the kernel tried to use. */
	uint64_t ram_end = c->o.ram_end;
	const char *src = c->o.ram_source ? c->o.ram_source : "RAM extent";
	for (size_t i = 0; i < c->nbufs; i++) {
		uint64_t e = c->bufs[i].phys + c->bufs[i].len;
		if (e > ram_end && e > c->bufs[i].phys) {
			ram_end = e;
			src = "the highest DMA buffer";
		}
	}
	for (size_t i = 0; i < c->ndoms; i++)
		check_domain(c, &c->doms[i], ram_end, src);
	for (size_t i = 0; i < c->nbufs; i++)
		check_buffer(c, &c->bufs[i]);
}
