/* SPDX-License-Identifier: MIT */
/*
 * The VT-d second-level walker and translator (see vtd_walk.h).
 */
#include <string.h>

#include "out/json.h"
#include "vtd/vtd_fault.h"
#include "vtd/vtd_walk.h"

static const struct ptdbg_bit bits_perm[] = {
	PTDBG_FLAG(VTD_PERM_R, "R", "-"),
	PTDBG_FLAG(VTD_PERM_W, "W", "-"),
	PTDBG_FLAG(VTD_PERM_X, "X", "-"),
	PTDBG_FLAG(VTD_PERM_SNP, "SNP", NULL),
	PTDBG_FLAG(VTD_PERM_TM, "TM", NULL),
	PTDBG_FLAG(VTD_PERM_FAULTS, "RSVD", NULL),
};
const struct ptdbg_bit_table vtd_bits_perm = {
	"effective", bits_perm, sizeof(bits_perm) / sizeof(bits_perm[0])
};

static bool is_link_error(int rc)
{
	return rc == PTDBG_ELINK || rc == PTDBG_ETIMEOUT || rc == PTDBG_ENOMEM;
}

static bool sl_present(uint64_t e)
{
	return (e & (VTD_SL_R | VTD_SL_W)) != 0;
}

/* Whether the unit supports a superpage at level (2: 2 MiB, 3: 1 GiB). */
static bool ps_supported(const struct vtd_hw *hw, unsigned level)
{
	return (level == 2 || level == 3) && (hw->sllps & (1u << (level - 2)));
}

uint64_t vtd_sl_reserved(const struct vtd_hw *hw, uint64_t e, unsigned level, bool leaf)
{
	uint64_t rsvd = vtd_hw_addr_rsvd(hw) & ~VTD_SL_IGNORED; /* bits 51:haw and 62 */
	if (leaf && hw->dt)
		rsvd &= ~VTD_SL_TM;
	if (!(leaf && hw->sc))
		rsvd |= VTD_SL_SNP;
	if (!leaf && level >= 4)
		rsvd |= VTD_SL_PS;
	if (leaf && level == 2)
		rsvd |= 0x1ff000ull;
	if (leaf && level == 3)
		rsvd |= 0x3ffff000ull;
	return e & rsvd;
}

/* Address a leaf at level maps, or the table an entry points to. */
static uint64_t sl_addr(const struct vtd_hw *hw, uint64_t e, unsigned level, bool leaf)
{
	uint64_t a = e & VTD_SL_ADDR & ~vtd_hw_addr_rsvd(hw);
	if (leaf)
		a &= ~(vtd_level_span(level) - 1);
	return a;
}

struct walker {
	struct ptdbg_mem *mem;
	const struct vtd_walk_cfg *cfg;
	vtd_visit_fn visit;
	void *ctx;
	struct vtd_walk_result res;
	struct vtd_path path;
	uint64_t max_nodes, max_leaves;
	bool stopped;
};

static int emit(struct walker *w, struct vtd_event *ev)
{
	ev->path = &w->path;
	if (ev->kind == VTD_EV_ANOMALY)
		w->res.anomalies++;
	int rc = w->visit(w->ctx, ev);
	if (rc) {
		w->stopped = true;
		w->res.partial = true;
	}
	return rc;
}

static int anomaly(struct walker *w, unsigned level, uint64_t iova, uint64_t size, uint64_t pa,
		   uint64_t entry, enum vtd_anomaly a, uint64_t detail)
{
	struct vtd_event ev = { .kind = VTD_EV_ANOMALY, .level = level, .iova = iova, .size = size,
				.pa = pa, .entry = entry, .anomaly = a, .detail = detail };
	return emit(w, &ev);
}

static bool overlaps(const struct vtd_walk_cfg *c, uint64_t start, uint64_t size)
{
	if (!c->iova_filter)
		return true;
	uint64_t last = start + size - 1;
	return !(last < c->iova_first || start > c->iova_last);
}

/* Visit the table at pa (level) covering IOVA [base, base + 512 * span). perm is
 * the permission combined over the entries above; faults tells whether a reserved
 * bit was seen above. */
static int walk_table(struct walker *w, unsigned level, uint64_t pa, uint64_t base,
		      uint64_t parent_entry, uint32_t perm)
{
	const struct vtd_hw *hw = &w->cfg->hw;
	uint64_t span = vtd_level_span(level);
	uint64_t ent[512];
	const uint8_t *page;
	int rc;

	if (w->res.nodes >= w->max_nodes) {
		w->res.partial = true;
		w->stopped = true;
		anomaly(w, level, base, span * 512, pa, parent_entry, VTD_AN_BUDGET, w->res.nodes);
		return 0;
	}
	rc = ptdbg_mem_page(w->mem, pa, &page);
	if (rc) {
		if (is_link_error(rc))
			return rc;
		w->res.read_errors++;
		return anomaly(w, level, base, span * 512, pa, parent_entry, VTD_AN_READ_ERROR,
			       (uint64_t)-rc);
	}
	memcpy(ent, page, sizeof(ent));

	for (unsigned l = w->path.top; l > level; l--)
		if (w->path.lv[l].table_pa == pa) {
			rc = anomaly(w, level, base, span * 512, pa, parent_entry, VTD_AN_RECURSIVE, l);
			if (rc)
				return rc;
			break;
		}

	w->res.nodes++;
	w->path.level = level;
	w->path.lv[level].table_pa = pa;
	struct vtd_event nev = { .kind = VTD_EV_NODE, .level = level, .iova = base,
				 .size = span * 512, .pa = pa, .entry = parent_entry };
	if ((rc = emit(w, &nev)))
		return rc;

	/* Prefetch the child tables in one batch. */
	if (level > 1) {
		uint64_t kids[512];
		size_t n = 0;
		for (unsigned i = 0; i < 512; i++) {
			uint64_t e = ent[i];
			if (!sl_present(e) || (e & VTD_SL_PS) || !overlaps(w->cfg, base + i * span, span))
				continue;
			kids[n++] = sl_addr(hw, e, level, false);
		}
		if (n && (rc = ptdbg_mem_prefetch(w->mem, kids, n)))
			return rc;
	}

	for (unsigned i = 0; i < 512 && !w->stopped; i++) {
		uint64_t e = ent[i], iova = base + i * span;
		if (!e || !overlaps(w->cfg, iova, span))
			continue;
		w->path.level = level;
		w->path.lv[level].entry = e;
		w->path.lv[level].index = (uint16_t)i;
		w->path.lv[level].table_pa = pa;
		if (!sl_present(e)) {
			w->res.absent++;
			struct vtd_event ev = { .kind = VTD_EV_ABSENT, .level = level, .iova = iova,
						.size = span, .entry = e };
			if ((rc = emit(w, &ev)))
				return rc;
			continue;
		}
		bool ps = (e & VTD_SL_PS) != 0;
		bool leaf = level == 1 || ps;
		uint32_t p = perm;
		if (!(e & VTD_SL_R))
			p &= ~VTD_PERM_R;
		if (!(e & VTD_SL_W))
			p &= ~VTD_PERM_W;
		if (!(e & VTD_SL_X))
			p &= ~VTD_PERM_X;

		if (ps && level > 1 && !ps_supported(hw, level)) {
			if ((rc = anomaly(w, level, iova, span, 0, e, VTD_AN_PS_LEVEL, level)))
				return rc;
			p |= VTD_PERM_FAULTS;
			if (level >= 4)
				continue;
		}
		uint64_t rsvd = vtd_sl_reserved(hw, e, level, leaf);
		if (rsvd) {
			if ((rc = anomaly(w, level, iova, span, 0, e, VTD_AN_RESERVED, rsvd)))
				return rc;
			p |= VTD_PERM_FAULTS;
		}
		if (leaf) {
			if (w->res.leaves >= w->max_leaves) {
				w->res.partial = true;
				w->stopped = true;
				return anomaly(w, level, iova, span, 0, e, VTD_AN_BUDGET, w->res.leaves);
			}
			p &= ~(VTD_PERM_SNP | VTD_PERM_TM);
			if (e & VTD_SL_SNP)
				p |= VTD_PERM_SNP;
			if (e & VTD_SL_TM)
				p |= VTD_PERM_TM;
			w->res.leaves++;
			struct vtd_event ev = { .kind = VTD_EV_LEAF, .level = level, .iova = iova,
						.size = span, .pa = sl_addr(hw, e, level, true),
						.entry = e, .perm = p };
			if ((rc = emit(w, &ev)))
				return rc;
			continue;
		}
		rc = walk_table(w, level - 1, sl_addr(hw, e, level, false), iova, e, p);
		if (rc)
			return rc;
		w->path.level = level;
	}
	return 0;
}

int vtd_walk(struct ptdbg_mem *mem, const struct vtd_walk_cfg *cfg, vtd_visit_fn visit,
	     void *ctx, struct vtd_walk_result *res)
{
	struct walker w;
	int rc;

	if (res) /* filled on every return, the early errors included */
		memset(res, 0, sizeof(*res));
	if (!mem || !cfg || !visit || cfg->levels < 2 || cfg->levels > 5)
		return PTDBG_EINVAL;
	memset(&w, 0, sizeof(w));
	w.mem = mem;
	w.cfg = cfg;
	w.visit = visit;
	w.ctx = ctx;
	w.max_nodes = cfg->max_nodes ? cfg->max_nodes : 1000000;
	w.max_leaves = cfg->max_leaves ? cfg->max_leaves : 4000000;
	w.path.top = cfg->levels;
	w.path.level = cfg->levels;
	for (unsigned l = 0; l < 6; l++)
		w.path.lv[l].table_pa = ~0ull;
	rc = walk_table(&w, cfg->levels, cfg->root & VTD_SL_ADDR, 0, 0,
			VTD_PERM_R | VTD_PERM_W | VTD_PERM_X);
	if (res)
		*res = w.res;
	return rc;
}

void vtd_walk_cfg_from_lookup(struct vtd_walk_cfg *cfg, const struct vtd_hw *hw,
			      const struct vtd_dev_lookup *l)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->hw = *hw;
	cfg->root = l->sl_root;
	cfg->levels = l->levels;
}

/* ---- translation ---- */

int vtd_translate(struct ptdbg_mem *mem, const struct vtd_walk_cfg *cfg, unsigned addr_bits,
		  uint64_t iova, bool write, struct vtd_translation *o)
{
	const struct vtd_hw *hw = &cfg->hw;
	bool sm = hw->scalable && !hw->legacy_reasons;
	unsigned bits = addr_bits ? addr_bits : 12 + 9 * cfg->levels;
	uint64_t table;
	uint32_t perm = VTD_PERM_R | VTD_PERM_W | VTD_PERM_X;

	memset(o, 0, sizeof(*o));
	o->iova = iova;
	o->write = write;
	o->levels = cfg->levels;
	if (cfg->levels < 2 || cfg->levels > 5)
		return PTDBG_EINVAL;
	if (hw->mgaw && hw->mgaw < bits)
		bits = hw->mgaw;
	if (bits < 64 && (iova >> bits)) {
		o->reason = sm ? VTD_FR_SM_ADDR_BEYOND : VTD_FR_ADDR_BEYOND_AW;
		o->stop_level = cfg->levels;
		return 0;
	}
	table = cfg->root & VTD_SL_ADDR;
	for (unsigned level = cfg->levels; level >= 1; level--) {
		struct vtd_step *s = &o->step[o->nsteps++];
		s->level = level;
		s->table_pa = table;
		s->index = (unsigned)(iova >> (12 + 9 * (level - 1))) & 511;
		s->entry_pa = table + s->index * 8ull;
		s->err = ptdbg_mem_read_u64(mem, s->entry_pa, &s->entry);
		o->stop_level = level;
		if (s->err) {
			if (is_link_error(s->err))
				return s->err;
			o->reason = sm ? VTD_FR_SM_SL_ACCESS : VTD_FR_PT_ACCESS;
			return 0;
		}
		uint64_t e = s->entry;
		if (!sl_present(e)) {
			o->reason = write ? (sm ? VTD_FR_SM_WRITE : VTD_FR_WRITE)
					  : (sm ? VTD_FR_SM_READ : VTD_FR_READ);
			return 0;
		}
		s->leaf = level == 1 || (e & VTD_SL_PS);
		s->reserved = vtd_sl_reserved(hw, e, level, s->leaf);
		if (s->leaf && level > 1 && !ps_supported(hw, level))
			s->reserved |= VTD_SL_PS;
		if (s->reserved) {
			o->reason = sm ? VTD_FR_SM_SL_RSVD : VTD_FR_PT_RSVD;
			return 0;
		}
		if (!(e & VTD_SL_R))
			perm &= ~VTD_PERM_R;
		if (!(e & VTD_SL_W))
			perm &= ~VTD_PERM_W;
		if (!(e & VTD_SL_X))
			perm &= ~VTD_PERM_X;
		if (!(perm & (write ? VTD_PERM_W : VTD_PERM_R))) {
			o->reason = write ? (sm ? VTD_FR_SM_WRITE : VTD_FR_WRITE)
					  : (sm ? VTD_FR_SM_READ : VTD_FR_READ);
			return 0;
		}
		if (s->leaf) {
			if (e & VTD_SL_SNP)
				perm |= VTD_PERM_SNP;
			if (e & VTD_SL_TM)
				perm |= VTD_PERM_TM;
			o->page_size = vtd_level_span(level);
			o->pa = sl_addr(hw, e, level, true) | (iova & (o->page_size - 1));
			o->perm = perm;
			o->stop_level = 0;
			return 0;
		}
		table = sl_addr(hw, e, level, false);
	}
	return 0;
}

int vtd_translate_dev(struct ptdbg_mem *mem, const struct vtd_hw *hw, uint64_t root_table,
		      uint16_t bdf, uint32_t pasid, uint64_t iova, bool write,
		      struct vtd_dev_translation *o)
{
	int rc;
	memset(o, 0, sizeof(*o));
	rc = vtd_dev_lookup(mem, hw, root_table, bdf, pasid, &o->lookup);
	if (rc)
		return rc;
	if (o->lookup.reason) {
		o->reason = o->lookup.reason;
		return 0;
	}
	switch (o->lookup.xlate) {
	case VTD_XL_PASSTHROUGH:
		o->translated = true;
		o->pa = iova;
		return 0;
	case VTD_XL_SECOND_LEVEL: {
		struct vtd_walk_cfg cfg;
		vtd_walk_cfg_from_lookup(&cfg, hw, &o->lookup);
		rc = vtd_translate(mem, &cfg, o->lookup.aw_bits, iova, write, &o->sl);
		if (rc)
			return rc;
		o->reason = o->sl.reason;
		o->translated = o->sl.reason == 0;
		o->pa = o->sl.pa;
		return 0;
	}
	default:
		return 0;
	}
}

void vtd_translation_print(FILE *out, const struct vtd_dev_translation *t)
{
	const struct vtd_translation *s = &t->sl;
	vtd_lookup_print(out, &t->lookup);
	if (t->lookup.reason)
		return;
	if (t->lookup.xlate == VTD_XL_PASSTHROUGH) {
		fprintf(out, "  pass-through: 0x%llx -> 0x%llx\n", (unsigned long long)s->iova,
			(unsigned long long)t->pa);
		return;
	}
	if (t->lookup.xlate != VTD_XL_SECOND_LEVEL) {
		fprintf(out, "  %s translation is not decoded\n", vtd_xlate_name(t->lookup.xlate));
		return;
	}
	fprintf(out, "  %s IOVA 0x%llx, %u levels\n", s->write ? "write" : "read",
		(unsigned long long)s->iova, s->levels);
	for (unsigned i = 0; i < s->nsteps; i++) {
		const struct vtd_step *st = &s->step[i];
		char buf[256];
		if (st->err) {
			fprintf(out, "  L%u table 0x%llx [%3u] @0x%llx: read failed (%d)\n", st->level,
				(unsigned long long)st->table_pa, st->index,
				(unsigned long long)st->entry_pa, st->err);
			continue;
		}
		vtd_layout_format(st->leaf ? &vtd_layout_sl_leaf : &vtd_layout_sl_table, &st->entry,
				  " ", buf, sizeof(buf));
		fprintf(out, "  L%u table 0x%llx [%3u] @0x%llx: %016llx %s%s\n", st->level,
			(unsigned long long)st->table_pa, st->index, (unsigned long long)st->entry_pa,
			(unsigned long long)st->entry, buf, st->leaf ? " (leaf)" : "");
		if (st->reserved)
			fprintf(out, "      reserved bits set: 0x%016llx\n",
				(unsigned long long)st->reserved);
	}
	if (s->reason) {
		fprintf(out, "  stops at level %u: fault reason 0x%02x (%s)%s\n", s->stop_level,
			s->reason, vtd_fault_reason_name(s->reason),
			t->lookup.fpd ? " -- not recorded, FPD=1" : "");
	} else {
		char perm[64];
		ptdbg_bits_format(&vtd_bits_perm, s->perm, " ", perm, sizeof(perm));
		fprintf(out, "  -> 0x%llx (%s page) %s\n", (unsigned long long)s->pa,
			s->page_size == (1ull << 30) ? "1G" : s->page_size == (1ull << 21) ? "2M" : "4K",
			perm);
	}
}

void vtd_translation_json(struct ptdbg_json *j, const struct vtd_dev_translation *t)
{
	const struct vtd_translation *s = &t->sl;
	ptdbg_json_start_object(j);
	ptdbg_json_name(j, "lookup");
	vtd_lookup_json(j, &t->lookup);
	ptdbg_json_bool_field(j, "translated", t->translated);
	ptdbg_json_uint_field(j, "fault_reason", t->reason);
	if (t->reason)
		ptdbg_json_string_field(j, "fault_reason_name", vtd_fault_reason_name(t->reason));
	if (t->translated)
		ptdbg_json_hex_field(j, "pa", t->pa);
	if (t->lookup.xlate == VTD_XL_SECOND_LEVEL && !t->lookup.reason) {
		ptdbg_json_hex_field(j, "iova", s->iova);
		ptdbg_json_string_field(j, "access", s->write ? "write" : "read");
		ptdbg_json_name(j, "steps");
		ptdbg_json_start_array(j);
		for (unsigned i = 0; i < s->nsteps; i++) {
			const struct vtd_step *st = &s->step[i];
			ptdbg_json_start_object(j);
			ptdbg_json_uint_field(j, "level", st->level);
			ptdbg_json_hex_field(j, "table", st->table_pa);
			ptdbg_json_uint_field(j, "index", st->index);
			ptdbg_json_hex_field(j, "entry_pa", st->entry_pa);
			if (st->err) {
				ptdbg_json_int_field(j, "read_error", st->err);
			} else {
				ptdbg_json_hex_field(j, "entry", st->entry);
				ptdbg_json_bool_field(j, "leaf", st->leaf);
				ptdbg_json_name(j, "fields");
				ptdbg_json_start_object(j);
				vtd_layout_json(j, st->leaf ? &vtd_layout_sl_leaf : &vtd_layout_sl_table,
						&st->entry);
				ptdbg_json_end_object(j);
				if (st->reserved)
					ptdbg_json_hex_field(j, "reserved", st->reserved);
			}
			ptdbg_json_end_object(j);
		}
		ptdbg_json_end_array(j);
		if (s->reason) {
			ptdbg_json_uint_field(j, "stop_level", s->stop_level);
		} else {
			ptdbg_json_uint_field(j, "page_size", s->page_size);
			char perm[64];
			ptdbg_bits_format(&vtd_bits_perm, s->perm, " ", perm, sizeof(perm));
			ptdbg_json_string_field(j, "perm", perm);
		}
	}
	ptdbg_json_end_object(j);
}

/* ---- mapping printer ---- */

const char *vtd_anomaly_name(enum vtd_anomaly a)
{
	switch (a) {
	case VTD_AN_RESERVED:   return "reserved bits set";
	case VTD_AN_PS_LEVEL:   return "superpage not supported here";
	case VTD_AN_READ_ERROR: return "table unreadable";
	case VTD_AN_RECURSIVE:  return "table is its own ancestor";
	case VTD_AN_BUDGET:     return "walk budget exhausted";
	}
	return "?";
}

void vtd_map_printer_init(struct vtd_map_printer *p, FILE *out, struct ptdbg_json *json)
{
	memset(p, 0, sizeof(*p));
	p->out = out;
	p->json = json;
}

static const char *page_name(uint64_t page)
{
	return page == (1ull << 30) ? "1G" : page == (1ull << 21) ? "2M" : "4K";
}

void vtd_map_printer_flush(struct vtd_map_printer *p)
{
	char perm[64];
	if (!p->have)
		return;
	p->have = false;
	p->runs++;
	ptdbg_bits_format(&vtd_bits_perm, p->perm, " ", perm, sizeof(perm));
	if (p->json) {
		ptdbg_json_start_object(p->json);
		ptdbg_json_hex_field(p->json, "iova", p->iova);
		ptdbg_json_hex_field(p->json, "pa", p->pa);
		ptdbg_json_uint_field(p->json, "size", p->size);
		ptdbg_json_string_field(p->json, "page", page_name(p->page));
		ptdbg_json_string_field(p->json, "perm", perm);
		ptdbg_json_end_object(p->json);
		return;
	}
	fprintf(p->out, "0x%012llx-0x%012llx -> 0x%012llx %10llu %s %s\n",
		(unsigned long long)p->iova, (unsigned long long)(p->iova + p->size - 1),
		(unsigned long long)p->pa, (unsigned long long)(p->size / p->page), page_name(p->page),
		perm);
}

int vtd_map_printer_visit(void *ctx, const struct vtd_event *ev)
{
	struct vtd_map_printer *p = ctx;
	switch (ev->kind) {
	case VTD_EV_LEAF:
		if (p->have && ev->iova == p->iova + p->size && ev->pa == p->pa + p->size &&
		    ev->size == p->page && ev->perm == p->perm) {
			p->size += ev->size;
			return 0;
		}
		vtd_map_printer_flush(p);
		p->have = true;
		p->iova = ev->iova;
		p->pa = ev->pa;
		p->size = ev->size;
		p->page = ev->size;
		p->perm = ev->perm;
		return 0;
	case VTD_EV_ABSENT:
	case VTD_EV_ANOMALY:
		vtd_map_printer_flush(p);
		if (p->json) {
			ptdbg_json_start_object(p->json);
			ptdbg_json_string_field(p->json, "event",
						ev->kind == VTD_EV_ABSENT ? "absent" : "anomaly");
			if (ev->kind == VTD_EV_ANOMALY) {
				ptdbg_json_string_field(p->json, "anomaly", vtd_anomaly_name(ev->anomaly));
				ptdbg_json_hex_field(p->json, "detail", ev->detail);
			}
			ptdbg_json_uint_field(p->json, "level", ev->level);
			ptdbg_json_hex_field(p->json, "iova", ev->iova);
			ptdbg_json_hex_field(p->json, "entry", ev->entry);
			if (ev->pa)
				ptdbg_json_hex_field(p->json, "pa", ev->pa);
			ptdbg_json_end_object(p->json);
		} else if (ev->kind == VTD_EV_ABSENT) {
			fprintf(p->out, "0x%012llx L%u absent entry 0x%016llx (R=W=0, other bits set)\n",
				(unsigned long long)ev->iova, ev->level, (unsigned long long)ev->entry);
		} else {
			fprintf(p->out, "0x%012llx L%u %s: entry 0x%016llx detail 0x%llx%s",
				(unsigned long long)ev->iova, ev->level, vtd_anomaly_name(ev->anomaly),
				(unsigned long long)ev->entry, (unsigned long long)ev->detail,
				ev->pa ? "" : "\n");
			if (ev->pa)
				fprintf(p->out, " table 0x%llx\n", (unsigned long long)ev->pa);
		}
		return 0;
	default:
		return 0;
	}
}
