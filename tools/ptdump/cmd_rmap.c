/* SPDX-License-Identifier: MIT */
/* ptdump rmap: every address, in every address space and device domain, that maps a
 * physical range. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm64/arm64_bits.h"
#include "ptdump.h"
#include "smmu/smmu_walk.h"
#include "smmu/smmu_regs.h"
#include "smmu/smmu_tables.h"
#include "vtd/acpi_dmar.h"
#include "vtd/vtd_check.h"
#include "vtd/vtd_devices.h"
#include "vtd/vtd_fault.h"
#include "vtd/vtd_regs.h"
#include "vtd/vtd_walk.h"
#include "walk/dump.h"
#include "walk/rmap.h"
#include "x86/x86_bits.h"

struct iommu_ctx {
	struct ptdbg_session *s;
	struct vtd_hw hw;
	void (*begin)(void *ctx, const struct pt_iommu_dev *d, size_t i);
	ptdbg_walk_visit_fn visit;
	void *ctx;
	struct pt_iommu_dev *devs;
	size_t ndevs, cap;
};

static int iommu_device(void *ctx, const struct vtd_dev_lookup *l)
{
	struct iommu_ctx *c = ctx;
	if (l->reason || l->xlate != VTD_XL_SECOND_LEVEL)
		return 0; /* faults, pass-through and first-level are not walked here */
	if (c->ndevs == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct pt_iommu_dev *d = realloc(c->devs, cap * sizeof(*d));
		if (!d)
			return PTDBG_ENOMEM;
		c->devs = d;
		c->cap = cap;
	}
	struct pt_iommu_dev *d = &c->devs[c->ndevs];
	const struct ptdbg_domain *dom = NULL;
	for (size_t i = 0; c->s->have_region && i < c->s->region.ndomains; i++)
		if (c->s->region.domains[i].bdf == l->bdf)
			dom = &c->s->region.domains[i];
	memset(d, 0, sizeof(*d));
	d->bdf = l->bdf;
	d->did = l->did;
	d->bits = &vtd_bits_perm;
	d->write = VTD_PERM_W;
	vtd_dev_label(l->bdf, dom, d->label, sizeof(d->label));
	struct vtd_walk_cfg cfg;
	vtd_walk_cfg_from_lookup(&cfg, &c->hw, l);
	if (c->begin)
		c->begin(c->ctx, d, c->ndevs);
	c->ndevs++;
	struct ptdbg_walk_result res;
	int rc = vtd_walk(c->s->mem, &cfg, c->visit, c->ctx, &res);
	if (rc && ptdbg_link_error(rc))
		return rc;
	return rc == PTDBG_ENOMEM ? rc : 0;
}

struct smmu_ctx {
	struct iommu_ctx *c;
	struct smmu_hw hw;
	int rc;
};

static int smmu_stream(void *ctx, const struct smmu_stream_lookup *l)
{
	struct smmu_ctx *sc = ctx;
	struct iommu_ctx *c = sc->c;
	struct smmu_s1_cfg cfg;
	if (l->event || !smmu_s1_cfg_from_lookup(&sc->hw, l, &cfg))
		return 0; /* faulting, bypassing, aborting or stage-2-only streams are not walked */
	if (c->ndevs == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct pt_iommu_dev *d = realloc(c->devs, cap * sizeof(*d));
		if (!d)
			return PTDBG_ENOMEM;
		c->devs = d;
		c->cap = cap;
	}
	struct pt_iommu_dev *d = &c->devs[c->ndevs];
	memset(d, 0, sizeof(*d));
	d->smmu = true;
	d->sid = l->sid;
	d->asid = cfg.asid;
	d->bits = &arm64_bits_effective;
	d->write = PTDBG_ARM64_PERM_KW;
	const struct ptdbg_domain *dom = NULL;
	for (size_t i = 0; c->s->have_region && i < c->s->region.ndomains; i++)
		if (c->s->region.domains[i].sid == l->sid)
			dom = &c->s->region.domains[i];
	char name[PTDBG_NAME_LEN + 1] = "";
	if (dom)
		ptdbg_name_copy(name, dom->name, PTDBG_NAME_LEN);
	snprintf(d->label, sizeof(d->label), "sid %#x%s%s", l->sid, name[0] ? " " : "", name);
	if (c->begin)
		c->begin(c->ctx, d, c->ndevs);
	c->ndevs++;
	struct ptdbg_arm64_cpu cpu;
	smmu_s1_cpu(&cfg, &cpu);
	for (unsigned half = 0; half < 2; half++) {
		struct ptdbg_walk_result res;
		int rc = ptdbg_arm64_walk(c->s->mem, &cpu, half, NULL, c->visit, c->ctx, &res);
		if (rc == PTDBG_EINVAL)
			continue; /* that region of the CD is not walked (EPDn) */
		if (rc && (ptdbg_link_error(rc) || rc == PTDBG_ENOMEM))
			return rc;
	}
	return 0;
}

uint64_t pt_smmu_base(struct ptdbg_session *s)
{
	if (s->have_region && s->region.hdr.iommu_kind == PTDBG_IOMMU_KIND_SMMUV3 && s->region.hdr.smmu.base)
		return s->region.hdr.smmu.base;
	char *mt = NULL;
	uint64_t base = 0;
	if (ptdbg_monitor(s->t, "info mtree -f", &mt) == 0 && mt) {
		/* "  0000000009050000-000000000906ffff (prio 0, i/o): arm-smmuv3" */
		for (char *line = strtok(mt, "\n"); line && !base; line = strtok(NULL, "\n")) {
			unsigned long long a;
			if (strstr(line, "): arm-smmuv3") && sscanf(line, " %llx-", &a) == 1)
				base = a;
		}
	}
	free(mt);
	return base;
}

static int smmu_walk(struct ptdbg_session *s, bool quiet, struct iommu_ctx *c)
{
	uint64_t base = pt_smmu_base(s);
	if (!base) {
		if (quiet)
			return 0;
		ptdbg_session_err(s, "--iommu: no SMMUv3 found (the debug region names none, and QEMU's memory map "
				  "has no smmuv3 registers)");
		return PTDBG_EXIT_ERROR;
	}
	struct smmu_regs regs;
	int rc = smmu_regs_read_unit(s->t, base, &regs);
	if (rc) {
		if (ptdbg_link_error(rc))
			return pt_walk_error(s, rc);
		if (quiet)
			return 0;
		ptdbg_session_err(s, "--iommu: no SMMUv3 registers readable at %#llx", (unsigned long long)base);
		return PTDBG_EXIT_ERROR;
	}
	struct smmu_unit_info info;
	smmu_regs_info(&regs, &info);
	if (!info.enabled || !info.strtab) {
		if (quiet)
			return 0;
		ptdbg_session_err(s, "--iommu: the SMMUv3 at %#llx %s", (unsigned long long)base,
				  !info.enabled ? "is disabled (CR0ACK.SMMUEN=0)" : "has no stream table");
		return PTDBG_EXIT_ERROR;
	}
	struct smmu_ctx sc = { .c = c };
	smmu_hw_from_regs(&sc.hw, &regs);
	struct smmu_strtab st;
	smmu_strtab_from_regs(&st, &regs);
	rc = smmu_strtab_scan(s->mem, &sc.hw, &st, 0, smmu_stream, &sc, NULL);
	if (rc == PTDBG_ENOMEM) {
		ptdbg_session_err(s, "out of memory");
		return PTDBG_EXIT_ERROR;
	}
	return rc ? pt_walk_error(s, rc) : 0;
}

int pt_iommu_walk(struct ptdbg_session *s, bool quiet, void (*begin)(void *ctx, const struct pt_iommu_dev *d, size_t i),
		  ptdbg_walk_visit_fn visit, void *ctx, struct pt_iommu_dev **devs, size_t *ndevs)
{
	struct iommu_ctx c = { .s = s, .begin = begin, .visit = visit, .ctx = ctx };
	if (pt_is_a64(s)) {
		int rc = smmu_walk(s, quiet, &c);
		*devs = c.devs;
		*ndevs = c.ndevs;
		return rc;
	}
	*devs = NULL;
	*ndevs = 0;
	struct acpi_dmar_info dmar;
	uint64_t base = 0;
	bool have_dmar = acpi_dmar_find(s->t, s->have_region ? s->region.hdr.acpi_rsdp : 0, &dmar) == 0;
	if (have_dmar && dmar.nunits)
		base = dmar.units[0].base;
	else if (s->have_region)
		base = s->region.hdr.iommu.drhd_base;
	if (!base) {
		if (quiet)
			return 0;
		ptdbg_session_err(s, "--iommu: no VT-d unit found (no ACPI DMAR table%s)",
				  s->have_region ? ", and the debug region gives no DRHD base" : "");
		return PTDBG_EXIT_ERROR;
	}
	struct vtd_regs regs;
	int rc = vtd_regs_read_unit(s->t, base, &regs);
	if (rc) {
		if (ptdbg_link_error(rc))
			return pt_walk_error(s, rc);
		if (quiet)
			return 0;
		ptdbg_session_err(s, "--iommu: no VT-d unit readable at %#llx", (unsigned long long)base);
		return PTDBG_EXIT_ERROR;
	}
	struct vtd_unit_info info;
	vtd_regs_info(&regs, &info);
	if (!info.root_set) {
		if (quiet)
			return 0;
		ptdbg_session_err(s, "--iommu: the VT-d unit at %#llx has no root table (GSTS.RTPS=0)",
				  (unsigned long long)base);
		return PTDBG_EXIT_ERROR;
	}
	vtd_hw_from_regs(&c.hw, &regs, have_dmar ? dmar.haw : 0);
	uint64_t root = vtd_regs_get(&regs, VTD_REG_RTADDR, NULL) & VTD_RTADDR_ADDR;
	rc = vtd_for_each_device(s->mem, &c.hw, root, iommu_device, &c);
	*devs = c.devs;
	*ndevs = c.ndevs;
	if (rc == PTDBG_ENOMEM) {
		ptdbg_session_err(s, "out of memory");
		return PTDBG_EXIT_ERROR;
	}
	if (rc)
		return pt_walk_error(s, rc);
	return 0;
}

static void rmap_begin(void *ctx, const struct pt_iommu_dev *d, size_t i)
{
	(void)d;
	((struct ptdbg_rmap *)ctx)->cur = i;
}

static void size_str(uint64_t v, char *buf, size_t len)
{
	if (v >= (1ull << 30) && !(v & ((1ull << 30) - 1)))
		snprintf(buf, len, "%lluG", (unsigned long long)(v >> 30));
	else if (v >= (1ull << 20) && !(v & ((1ull << 20) - 1)))
		snprintf(buf, len, "%lluM", (unsigned long long)(v >> 20));
	else if (v >= 1024 && !(v & 1023))
		snprintf(buf, len, "%lluK", (unsigned long long)(v >> 10));
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
}

int cmd_rmap(struct ptdbg_session *s, int argc, char **argv)
{
	bool iommu = false;
	const struct ptdbg_opt opts[] = {
		{ .name = "iommu", .flag = &iommu },
		PTDBG_OPT_END,
	};
	char *pos[2] = { NULL, NULL };
	int npos;
	if (ptdbg_cmd_parse(s, opts, argc, argv, 0, pos, 2, &npos))
		return PTDBG_EXIT_ERROR;
	if (npos == 0) {
		ptdbg_usage_err(s, "which physical address? (ptdump rmap PA [LEN])");
		return PTDBG_EXIT_ERROR;
	}
	uint64_t pa, len = 1;
	if (ptdbg_parse_u64(pos[0], &pa)) {
		ptdbg_usage_err(s, "PA is a physical address, not '%s'", pos[0]);
		return PTDBG_EXIT_ERROR;
	}
	if (npos == 2 && (ptdbg_parse_u64(pos[1], &len) || len == 0 || pa + len < pa)) {
		ptdbg_usage_err(s, "LEN is a positive length that does not wrap, not '%s'", pos[1]);
		return PTDBG_EXIT_ERROR;
	}
	struct pt_space *sp;
	size_t n;
	int rc = pt_spaces_find(s, false, &sp, &n, NULL, NULL, NULL);
	if (rc)
		return rc;
	struct ptdbg_rmap cpu = { .lo = pa, .hi = pa + len }, dev = { .lo = pa, .hi = pa + len };
	struct ptdbg_walk_budget budget;
	ptdbg_budget_init(&budget);
	for (size_t k = 0; k < n && rc == 0; k++) {
		cpu.cur = k;
		rc = pt_walk_space(s, sp, n, k, true, &budget, ptdbg_rmap_visit, &cpu);
	}
	struct pt_iommu_dev *devs = NULL;
	size_t ndevs = 0;
	if (rc == 0 && iommu)
		rc = pt_iommu_walk(s, false, rmap_begin, ptdbg_rmap_visit, &dev, &devs, &ndevs);
	if (rc == 0 && (cpu.oom || dev.oom)) {
		ptdbg_session_err(s, "out of memory");
		rc = PTDBG_EXIT_ERROR;
	}
	if (rc == 0 && s->json) {
		struct ptdbg_json *j = ptdbg_session_json(s);
		ptdbg_json_start_object(j);
		ptdbg_json_hex_field(j, "pa", pa);
		ptdbg_json_uint_field(j, "size", len);
		ptdbg_json_name(j, "mappings");
		ptdbg_json_start_array(j);
		for (size_t i = 0; i < cpu.n; i++) {
			const struct ptdbg_rmap_hit *h = &cpu.hits[i];
			ptdbg_json_start_object(j);
			ptdbg_json_string_field(j, "space", sp[h->space].name);
			ptdbg_json_hex_field(j, "va", h->va);
			ptdbg_json_hex_field(j, "pa", h->pa);
			ptdbg_json_uint_field(j, "size", h->size);
			ptdbg_json_uint_field(j, "page_size", h->page_size);
			ptdbg_json_bits(j, "flags", pt_space_perm_bits(&sp[h->space]), h->perm.flags);
			ptdbg_json_end_object(j);
		}
		ptdbg_json_end_array(j);
		if (iommu) {
			ptdbg_json_name(j, "iommu");
			ptdbg_json_start_array(j);
			for (size_t i = 0; i < dev.n; i++) {
				const struct ptdbg_rmap_hit *h = &dev.hits[i];
				const struct pt_iommu_dev *d = &devs[h->space];
				char bdf[16];
				ptdbg_json_start_object(j);
				ptdbg_json_string_field(j, "device", d->label);
				if (d->smmu) {
					ptdbg_json_uint_field(j, "sid", d->sid);
					ptdbg_json_uint_field(j, "asid", d->asid);
				} else {
					ptdbg_json_string_field(j, "bdf", vtd_bdf_str(d->bdf, bdf, sizeof(bdf)));
					ptdbg_json_uint_field(j, "did", d->did);
				}
				ptdbg_json_hex_field(j, "iova", h->va);
				ptdbg_json_hex_field(j, "pa", h->pa);
				ptdbg_json_uint_field(j, "size", h->size);
				ptdbg_json_uint_field(j, "page_size", h->page_size);
				ptdbg_json_bits(j, "flags", d->bits, h->perm.flags);
				ptdbg_json_end_object(j);
			}
			ptdbg_json_end_array(j);
		}
		ptdbg_json_end_object(j);
		ptdbg_json_free(j);
	} else if (rc == 0) {
		fprintf(s->out, "pa 0x%016llx-0x%016llx: %zu mappings in %zu address spaces", (unsigned long long)pa,
			(unsigned long long)(pa + len), cpu.n, n);
		if (iommu)
			fprintf(s->out, ", %zu in %zu device domains", dev.n, ndevs);
		fputc('\n', s->out);
		for (size_t i = 0; i < cpu.n; i++) {
			const struct ptdbg_rmap_hit *h = &cpu.hits[i];
			char sz[24], pg[24], fl[128];
			size_str(h->size, sz, sizeof(sz));
			size_str(h->page_size, pg, sizeof(pg));
			ptdbg_bits_format(pt_space_perm_bits(&sp[h->space]), h->perm.flags, " ", fl, sizeof(fl));
			fprintf(s->out, "%-20s va   0x%016llx %8s  pa 0x%016llx %4s  %s\n", sp[h->space].name,
				(unsigned long long)h->va, sz, (unsigned long long)h->pa, pg, fl);
		}
		for (size_t i = 0; i < dev.n; i++) {
			const struct ptdbg_rmap_hit *h = &dev.hits[i];
			char sz[24], pg[24], fl[128];
			size_str(h->size, sz, sizeof(sz));
			size_str(h->page_size, pg, sizeof(pg));
			ptdbg_bits_format(devs[h->space].bits, h->perm.flags, " ", fl, sizeof(fl));
			fprintf(s->out, "%-20s iova 0x%016llx %8s  pa 0x%016llx %4s  %s\n", devs[h->space].label,
				(unsigned long long)h->va, sz, (unsigned long long)h->pa, pg, fl);
		}
	}
	if (budget.skipped) {
		char msg[256];
		ptdbg_session_err(s, "partial: %s",
				  ptdbg_budget_message(&budget, n, "address spaces", "searched", msg, sizeof(msg)));
	}
	ptdbg_rmap_free(&cpu);
	ptdbg_rmap_free(&dev);
	free(devs);
	free(sp);
	fflush(s->out);
	return rc;
}
