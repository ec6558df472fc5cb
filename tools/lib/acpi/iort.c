/* SPDX-License-Identifier: MIT */
/* The ACPI IORT: parser, id routing, printers (see iort.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "acpi/iort.h"
#include "out/json.h"

/* Add a note (printf-style) to d->notes; past its room, "; ..." ends them. */
__attribute__((format(printf, 2, 3)))
static void note(struct acpi_iort_info *d, const char *fmt, ...)
{
	size_t l = strlen(d->notes);
	char msg[128];
	va_list ap;
	if (strstr(d->notes, "; ...") || l + 1 >= sizeof(d->notes))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (l + strlen(msg) + 8 >= sizeof(d->notes)) {
		snprintf(d->notes + l, sizeof(d->notes) - l, "; ...");
		return;
	}
	snprintf(d->notes + l, sizeof(d->notes) - l, "%s%s", l ? "; " : "", msg);
}

/* The array of n elements of size esz at node offset off, if it lies in the node
 * of length nlen: how many fit (a note when fewer than n). */
static uint32_t array_fit(struct acpi_iort_info *d, unsigned ni, uint32_t off, uint32_t n, uint32_t esz,
			  uint32_t nlen, const char *what)
{
	if (!n)
		return 0;
	if (off < ACPI_IORT_N_HDR_LEN || off > nlen) {
		note(d, "node %u: %s array at offset %u outside the node", ni, what, off);
		return 0;
	}
	uint32_t fit = (nlen - off) / esz;
	if (fit < n) {
		note(d, "node %u: %s array cut to %u of %u entries by the node's length", ni, what, fit, n);
		return fit;
	}
	return n;
}

static void parse_memacc(const uint8_t *p, uint32_t *cca, uint8_t *ah, uint8_t *maf)
{
	*cca = acpi_le32(p + ACPI_IORT_MAP_CCA);
	*ah = p[ACPI_IORT_MAP_AH];
	*maf = p[ACPI_IORT_MAP_MAF];
}

/* The body of node n (its header already read) from p[0, len). */
static void parse_body(struct acpi_iort_info *d, unsigned ni, const uint8_t *p, uint32_t len)
{
	struct acpi_iort_node *n = &d->nodes[ni];
	switch (n->type) {
	case ACPI_IORT_ITS_GROUP:
		if (len < ACPI_IORT_ITS_IDS) {
			note(d, "node %u: ITS group of %u bytes, too short", ni, len);
			break;
		}
		n->u.its.count = acpi_le32(p + ACPI_IORT_ITS_COUNT);
		n->u.its.nids = array_fit(d, ni, ACPI_IORT_ITS_IDS, n->u.its.count, 4, len, "ITS identifier");
		if (n->u.its.nids > ACPI_IORT_MAX_IDS)
			n->u.its.nids = ACPI_IORT_MAX_IDS;
		for (unsigned i = 0; i < n->u.its.nids; i++)
			n->u.its.ids[i] = acpi_le32(p + ACPI_IORT_ITS_IDS + 4 * i);
		break;
	case ACPI_IORT_NAMED_COMPONENT: {
		if (len < ACPI_IORT_NC_NAME) {
			note(d, "node %u: named component of %u bytes, too short", ni, len);
			break;
		}
		n->u.nc.flags = acpi_le32(p + ACPI_IORT_NC_FLAGS);
		parse_memacc(p + ACPI_IORT_NC_MEMACC, &n->u.nc.cca, &n->u.nc.ah, &n->u.nc.maf);
		n->u.nc.addr_limit = p[ACPI_IORT_NC_ADDR_LIMIT];
		/* the name ends at its NUL, the node's end or the ID mapping array */
		uint32_t end = len;
		if (n->nmaps_declared && acpi_le32(p + ACPI_IORT_N_MAPS_OFF) > ACPI_IORT_NC_NAME &&
		    acpi_le32(p + ACPI_IORT_N_MAPS_OFF) < end)
			end = acpi_le32(p + ACPI_IORT_N_MAPS_OFF);
		size_t nl = 0;
		while (ACPI_IORT_NC_NAME + nl < end && p[ACPI_IORT_NC_NAME + nl] && nl < ACPI_IORT_NAME_LEN - 1)
			nl++;
		if (ACPI_IORT_NC_NAME + nl >= end)
			note(d, "node %u: device object name not terminated in the node", ni);
		acpi_text_copy(n->u.nc.name, p + ACPI_IORT_NC_NAME, nl);
		break;
	}
	case ACPI_IORT_ROOT_COMPLEX:
		if (len < ACPI_IORT_RC_ADDR_LIMIT) {
			note(d, "node %u: root complex of %u bytes, too short", ni, len);
			break;
		}
		parse_memacc(p + ACPI_IORT_RC_MEMACC, &n->u.rc.cca, &n->u.rc.ah, &n->u.rc.maf);
		n->u.rc.ats = acpi_le32(p + ACPI_IORT_RC_ATS);
		n->u.rc.segment = acpi_le32(p + ACPI_IORT_RC_SEGMENT);
		if (n->revision >= 1 && len >= ACPI_IORT_RC_LEN_V1) {
			n->u.rc.addr_limit = p[ACPI_IORT_RC_ADDR_LIMIT];
			n->u.rc.has_limit = true;
		}
		if (n->revision >= 4 && len >= ACPI_IORT_RC_LEN_V4) {
			n->u.rc.pasid_caps = acpi_le16(p + ACPI_IORT_RC_PASID);
			n->u.rc.flags = acpi_le32(p + ACPI_IORT_RC_FLAGS);
			n->u.rc.has_pasid = true;
		}
		break;
	case ACPI_IORT_SMMU_V1V2: {
		if (len < ACPI_IORT_S2_LEN) {
			note(d, "node %u: SMMUv1/v2 of %u bytes, too short", ni, len);
			break;
		}
		n->u.smmu2.base = acpi_le64(p + ACPI_IORT_S2_BASE);
		n->u.smmu2.span = acpi_le64(p + ACPI_IORT_S2_SPAN);
		n->u.smmu2.model = acpi_le32(p + ACPI_IORT_S2_MODEL);
		n->u.smmu2.flags = acpi_le32(p + ACPI_IORT_S2_FLAGS);
		uint32_t g = acpi_le32(p + ACPI_IORT_S2_GIRQ_OFF);
		if (array_fit(d, ni, g, 1, ACPI_IORT_S2_GIRQ_SIZE, len, "global interrupt")) {
			n->u.smmu2.nsg_irpt = (struct acpi_iort_irq){ acpi_le32(p + g), acpi_le32(p + g + 4) };
			n->u.smmu2.nsg_cfg_irpt = (struct acpi_iort_irq){ acpi_le32(p + g + 8), acpi_le32(p + g + 12) };
			n->u.smmu2.has_girq = true;
		}
		n->u.smmu2.nctx = acpi_le32(p + ACPI_IORT_S2_NCTX);
		n->u.smmu2.npmu = acpi_le32(p + ACPI_IORT_S2_NPMU);
		uint32_t co = acpi_le32(p + ACPI_IORT_S2_CTX_OFF), po = acpi_le32(p + ACPI_IORT_S2_PMU_OFF);
		uint32_t kc = array_fit(d, ni, co, n->u.smmu2.nctx, ACPI_IORT_S2_IRQ_SIZE, len, "context interrupt");
		uint32_t kp = array_fit(d, ni, po, n->u.smmu2.npmu, ACPI_IORT_S2_IRQ_SIZE, len, "PMU interrupt");
		n->u.smmu2.nctx_kept = kc < ACPI_IORT_MAX_IDS ? kc : ACPI_IORT_MAX_IDS;
		n->u.smmu2.npmu_kept = kp < ACPI_IORT_MAX_IDS ? kp : ACPI_IORT_MAX_IDS;
		for (unsigned i = 0; i < n->u.smmu2.nctx_kept; i++)
			n->u.smmu2.ctx[i] = (struct acpi_iort_irq){ acpi_le32(p + co + 8 * i), acpi_le32(p + co + 8 * i + 4) };
		for (unsigned i = 0; i < n->u.smmu2.npmu_kept; i++)
			n->u.smmu2.pmu[i] = (struct acpi_iort_irq){ acpi_le32(p + po + 8 * i), acpi_le32(p + po + 8 * i + 4) };
		break;
	}
	case ACPI_IORT_SMMU_V3:
		if (len < ACPI_IORT_S3_LEN_V1) {
			note(d, "node %u: SMMUv3 of %u bytes, too short", ni, len);
			break;
		}
		n->u.smmu3.base = acpi_le64(p + ACPI_IORT_S3_BASE);
		n->u.smmu3.flags = acpi_le32(p + ACPI_IORT_S3_FLAGS);
		n->u.smmu3.vatos = acpi_le64(p + ACPI_IORT_S3_VATOS);
		n->u.smmu3.model = acpi_le32(p + ACPI_IORT_S3_MODEL);
		n->u.smmu3.event = acpi_le32(p + ACPI_IORT_S3_EVENT);
		n->u.smmu3.pri = acpi_le32(p + ACPI_IORT_S3_PRI);
		n->u.smmu3.gerr = acpi_le32(p + ACPI_IORT_S3_GERR);
		n->u.smmu3.sync = acpi_le32(p + ACPI_IORT_S3_SYNC);
		if (len >= ACPI_IORT_S3_PXM + 4) {
			n->u.smmu3.pxm = acpi_le32(p + ACPI_IORT_S3_PXM);
			n->u.smmu3.has_pxm = true;
		}
		if (len >= ACPI_IORT_S3_DEVID_IDX + 4) {
			n->u.smmu3.devid_idx = acpi_le32(p + ACPI_IORT_S3_DEVID_IDX);
			n->u.smmu3.has_devid = true;
		}
		break;
	case ACPI_IORT_PMCG:
		n->u.pmcg.node = -1;
		if (len < ACPI_IORT_PMCG_LEN_V0) {
			note(d, "node %u: PMCG of %u bytes, too short", ni, len);
			break;
		}
		n->u.pmcg.page0 = acpi_le64(p + ACPI_IORT_PMCG_PAGE0);
		n->u.pmcg.gsiv = acpi_le32(p + ACPI_IORT_PMCG_GSIV);
		n->u.pmcg.node_ref = acpi_le32(p + ACPI_IORT_PMCG_NODE);
		if (len >= ACPI_IORT_PMCG_LEN_V1) {
			n->u.pmcg.page1 = acpi_le64(p + ACPI_IORT_PMCG_PAGE1);
			n->u.pmcg.has_page1 = true;
		}
		break;
	case ACPI_IORT_RMR: {
		if (len < ACPI_IORT_RMR_LEN) {
			note(d, "node %u: RMR of %u bytes, too short", ni, len);
			break;
		}
		n->u.rmr.flags = acpi_le32(p + ACPI_IORT_RMR_FLAGS);
		n->u.rmr.ndesc = acpi_le32(p + ACPI_IORT_RMR_NDESC);
		uint32_t o = acpi_le32(p + ACPI_IORT_RMR_DESC_OFF);
		uint32_t k = array_fit(d, ni, o, n->u.rmr.ndesc, ACPI_IORT_RMR_D_SIZE, len, "memory range");
		n->u.rmr.nkept = k < ACPI_IORT_MAX_IDS ? k : ACPI_IORT_MAX_IDS;
		for (unsigned i = 0; i < n->u.rmr.nkept; i++) {
			n->u.rmr.desc[i].base = acpi_le64(p + o + ACPI_IORT_RMR_D_SIZE * i + ACPI_IORT_RMR_D_BASE);
			n->u.rmr.desc[i].len = acpi_le64(p + o + ACPI_IORT_RMR_D_SIZE * i + ACPI_IORT_RMR_D_LEN);
		}
		break;
	}
	default:
		note(d, "node %u: unknown type %u", ni, (unsigned)n->type);
		break;
	}
}

int acpi_iort_parse(const uint8_t *buf, size_t len, struct acpi_iort_info *d)
{
	d->nnodes = d->nmaps = 0;
	d->notes[0] = '\0';
	if (len < ACPI_IORT_HDR_LEN || memcmp(buf + ACPI_SDT_SIGNATURE, ACPI_IORT_SIG, ACPI_SDT_SIG_LEN) != 0) {
		note(d, "not an IORT table");
		return PTDBG_EFORMAT;
	}
	uint32_t tlen = acpi_le32(buf + ACPI_SDT_LENGTH);
	if (tlen > len || tlen < ACPI_IORT_HDR_LEN || tlen > ACPI_IORT_MAX_LEN) {
		note(d, "IORT length field %u out of range (%zu bytes read)", (unsigned)tlen, len);
		return PTDBG_EFORMAT;
	}
	d->len = tlen;
	d->revision = buf[ACPI_SDT_REVISION];
	d->checksum_ok = acpi_checksum(buf, tlen) == 0;
	if (!d->checksum_ok)
		note(d, "bad IORT checksum (sum 0x%02x)", (unsigned)acpi_checksum(buf, tlen));
	acpi_text_copy(d->oem_id, buf + ACPI_SDT_OEM_ID, ACPI_SDT_OEM_ID_LEN);
	acpi_text_copy(d->oem_table_id, buf + ACPI_SDT_OEM_TABLE_ID, 8);
	d->nnodes_declared = acpi_le32(buf + ACPI_IORT_NNODES);
	d->node_off = acpi_le32(buf + ACPI_IORT_NODE_OFF);
	if (d->nnodes_declared && (d->node_off < ACPI_IORT_HDR_LEN || d->node_off > tlen)) {
		note(d, "node array at offset %u outside the table", d->node_off);
		return 0;
	}

	/* the nodes, one after another */
	uint32_t off = d->node_off;
	bool maps_full = false;
	for (uint32_t i = 0; i < d->nnodes_declared; i++) {
		if (d->nnodes == ACPI_IORT_MAX_NODES) {
			note(d, "%u nodes declared, the first %d kept", (unsigned)d->nnodes_declared, ACPI_IORT_MAX_NODES);
			break;
		}
		if (off + ACPI_IORT_N_HDR_LEN > tlen) {
			note(d, "%u nodes declared, %u fit in the table", (unsigned)d->nnodes_declared, (unsigned)i);
			break;
		}
		const uint8_t *p = buf + off;
		uint32_t nlen = acpi_le16(p + ACPI_IORT_N_LENGTH);
		if (nlen < ACPI_IORT_N_HDR_LEN || nlen > tlen - off) {
			note(d, "node %u: length %u out of range", (unsigned)i, (unsigned)nlen);
			break;
		}
		unsigned ni = d->nnodes++;
		struct acpi_iort_node *n = &d->nodes[ni];
		memset(n, 0, sizeof(*n));
		n->type = p[ACPI_IORT_N_TYPE];
		n->length = (uint16_t)nlen;
		n->revision = p[ACPI_IORT_N_REVISION];
		n->offset = off;
		n->id = acpi_le32(p + ACPI_IORT_N_ID);
		n->nmaps_declared = acpi_le32(p + ACPI_IORT_N_NMAPS);
		parse_body(d, ni, p, nlen);
		/* its ID mappings */
		uint32_t moff = acpi_le32(p + ACPI_IORT_N_MAPS_OFF);
		uint32_t k = array_fit(d, ni, moff, n->nmaps_declared, ACPI_IORT_M_SIZE, nlen, "ID mapping");
		n->map0 = d->nmaps;
		for (uint32_t m = 0; m < k; m++) {
			if (d->nmaps == ACPI_IORT_MAX_MAPS) {
				if (!maps_full)
					note(d, "more than %d ID mappings: node %u's and later ones dropped",
					     ACPI_IORT_MAX_MAPS, ni);
				maps_full = true;
				break;
			}
			const uint8_t *q = p + moff + ACPI_IORT_M_SIZE * m;
			d->maps[d->nmaps++] = (struct acpi_iort_map){
				.input = acpi_le32(q + ACPI_IORT_M_INPUT), .count = acpi_le32(q + ACPI_IORT_M_COUNT),
				.output = acpi_le32(q + ACPI_IORT_M_OUTPUT), .ref = acpi_le32(q + ACPI_IORT_M_REF),
				.flags = acpi_le32(q + ACPI_IORT_M_FLAGS), .target = -1,
			};
			n->nmaps++;
		}
		off += nlen;
	}
	/* output references and the PMCGs' node references, now that every node is known */
	for (unsigned m = 0; m < d->nmaps; m++) {
		d->maps[m].target = acpi_iort_node_at(d, d->maps[m].ref);
		if (d->maps[m].target < 0)
			note(d, "ID mapping %u: output reference 0x%x names no node", m, (unsigned)d->maps[m].ref);
	}
	/* ranges of one node that overlap: the first mapping wins (as in Linux's lookup) */
	for (unsigned i = 0; i < d->nnodes; i++) {
		const struct acpi_iort_node *n = &d->nodes[i];
		for (unsigned a = n->map0; a < n->map0 + n->nmaps; a++)
			for (unsigned b = a + 1; b < n->map0 + n->nmaps; b++) {
				const struct acpi_iort_map *x = &d->maps[a], *y = &d->maps[b];
				if ((x->flags | y->flags) & ACPI_IORT_M_SINGLE)
					continue;
				uint64_t lo = x->input > y->input ? x->input : y->input;
				uint64_t hx = (uint64_t)x->input + x->count, hy = (uint64_t)y->input + y->count;
				if (lo <= (hx < hy ? hx : hy))
					note(d, "node %u: ID mappings %u and %u overlap from 0x%llx (the first wins)", i,
					     a - n->map0, b - n->map0, (unsigned long long)lo);
			}
	}
	for (unsigned i = 0; i < d->nnodes; i++)
		if (d->nodes[i].type == ACPI_IORT_PMCG && d->nodes[i].length >= ACPI_IORT_PMCG_LEN_V0)
			d->nodes[i].u.pmcg.node = acpi_iort_node_at(d, d->nodes[i].u.pmcg.node_ref);
	return 0;
}

int acpi_iort_find(struct ptdbg_target *t, unsigned where, const struct ptdbg_ram *ram, struct acpi_iort_info *d)
{
	uint64_t reads0 = t->stats.reads;
	memset(d, 0, sizeof(*d));
	int rc = acpi_rsdp_find(t, where, ram, &d->rsdp);
	uint8_t *buf = NULL;
	if (!rc)
		rc = acpi_find_read_table(t, &d->rsdp, ACPI_IORT_SIG, ACPI_IORT_MAX_LEN, &d->pa, &d->len, &d->sdt_pa,
					  &d->xsdt, &buf);
	if (!rc) {
		rc = acpi_iort_parse(buf, d->len, d);
		if (rc)
			ptdbg_target_fail(t, rc, "IORT at 0x%llx: %s", (unsigned long long)d->pa, d->notes);
	}
	free(buf);
	d->link_reads = t->stats.reads - reads0;
	return rc;
}

const char *acpi_iort_type_name(unsigned type)
{
	static const char *const names[] = { "ITS group", "named component", "root complex", "SMMUv1/v2",
					     "SMMUv3", "PMCG", "RMR" };
	static char buf[16];
	if (type < sizeof(names) / sizeof(names[0]))
		return names[type];
	snprintf(buf, sizeof(buf), "type %u", type & 0xff);
	return buf;
}

const char *acpi_iort_smmuv3_model_name(uint32_t model)
{
	static char buf[24];
	switch (model) {
	case ACPI_IORT_S3_GENERIC:          return "generic";
	case ACPI_IORT_S3_HISILICON_HI161X: return "HiSilicon Hi161x";
	case ACPI_IORT_S3_CAVIUM_CN99XX:    return "Cavium CN99xx";
	}
	snprintf(buf, sizeof(buf), "model %u", model);
	return buf;
}

int acpi_iort_node_at(const struct acpi_iort_info *d, uint32_t off)
{
	for (unsigned i = 0; i < d->nnodes; i++)
		if (d->nodes[i].offset == off)
			return (int)i;
	return -1;
}

int acpi_iort_smmuv3(const struct acpi_iort_info *d, uint64_t base)
{
	for (unsigned i = 0; i < d->nnodes; i++)
		if (d->nodes[i].type == ACPI_IORT_SMMU_V3 && d->nodes[i].length >= ACPI_IORT_S3_LEN_V1 &&
		    (!base || d->nodes[i].u.smmu3.base == base))
			return (int)i;
	return -1;
}

/* The mapping of node n that takes id, or NULL. */
static const struct acpi_iort_map *map_for(const struct acpi_iort_info *d, int n, uint32_t id)
{
	const struct acpi_iort_node *nd = &d->nodes[n];
	for (unsigned m = nd->map0; m < nd->map0 + nd->nmaps && m < d->nmaps; m++) {
		const struct acpi_iort_map *mp = &d->maps[m];
		if ((mp->flags & ACPI_IORT_M_SINGLE) ||
		    (id >= mp->input && (uint64_t)id - mp->input <= mp->count))
			return mp;
	}
	return NULL;
}

/* Follow r from its node through mappings, the first one first if it is given. */
static void route_on(const struct acpi_iort_info *d, const struct acpi_iort_map *first, struct acpi_iort_route *r)
{
	while (r->hops < ACPI_IORT_MAX_HOPS) {
		const struct acpi_iort_node *nd = &d->nodes[r->end];
		if (nd->type == ACPI_IORT_ITS_GROUP)
			break;
		const struct acpi_iort_map *mp = first ? first : map_for(d, r->end, r->end_id);
		first = NULL;
		if (!mp || mp->target < 0)
			break;
		uint32_t out = (mp->flags & ACPI_IORT_M_SINGLE) ? mp->output : mp->output + (r->end_id - mp->input);
		r->end = mp->target;
		r->end_id = out;
		r->hops++;
		unsigned ty = d->nodes[r->end].type;
		if (r->smmu < 0 && (ty == ACPI_IORT_SMMU_V3 || ty == ACPI_IORT_SMMU_V1V2)) {
			r->smmu = r->end;
			r->stream = out;
		}
	}
}

bool acpi_iort_route(const struct acpi_iort_info *d, int n, uint32_t id, struct acpi_iort_route *r)
{
	*r = (struct acpi_iort_route){ .smmu = -1, .end = n, .end_id = id };
	if (n < 0 || (unsigned)n >= d->nnodes || !map_for(d, n, id))
		return false;
	route_on(d, NULL, r);
	return true;
}

/* The route of the first id of mapping m of node n, through that mapping. */
static void route_map(const struct acpi_iort_info *d, int n, const struct acpi_iort_map *m, struct acpi_iort_route *r)
{
	*r = (struct acpi_iort_route){ .smmu = -1, .end = n, .end_id = (m->flags & ACPI_IORT_M_SINGLE) ? 0 : m->input };
	route_on(d, m, r);
}

int acpi_iort_smmu_for_rid(const struct acpi_iort_info *d, uint32_t seg, uint32_t rid, uint32_t *stream)
{
	for (unsigned i = 0; i < d->nnodes; i++) {
		const struct acpi_iort_node *n = &d->nodes[i];
		struct acpi_iort_route r;
		if (n->type != ACPI_IORT_ROOT_COMPLEX || n->u.rc.segment != seg)
			continue;
		if (acpi_iort_route(d, (int)i, rid, &r) && r.smmu >= 0) {
			*stream = r.stream;
			return r.smmu;
		}
	}
	return -1;
}

/* ---- printers ---- */

/* "SMMUv3 node 1 (0x9050000)" for the node index n. */
static const char *node_label(const struct acpi_iort_info *d, int n, char *buf, size_t len)
{
	if (n < 0) {
		snprintf(buf, len, "no node");
		return buf;
	}
	const struct acpi_iort_node *nd = &d->nodes[n];
	if (nd->type == ACPI_IORT_SMMU_V3)
		snprintf(buf, len, "SMMUv3 node %d (%#llx)", n, (unsigned long long)nd->u.smmu3.base);
	else if (nd->type == ACPI_IORT_SMMU_V1V2)
		snprintf(buf, len, "SMMUv1/v2 node %d (%#llx)", n, (unsigned long long)nd->u.smmu2.base);
	else
		snprintf(buf, len, "%s node %d", acpi_iort_type_name(nd->type), n);
	return buf;
}

static void print_memacc(FILE *out, uint32_t cca, uint8_t ah, uint8_t maf)
{
	fprintf(out, "CCA %u%s, AH 0x%x, MAF 0x%x%s%s", cca, cca == 1 ? " (coherent)" : "", ah, maf,
		maf & ACPI_IORT_MAF_CPM ? " CPM" : "", maf & ACPI_IORT_MAF_DACS ? " DACS" : "");
}

static void print_node(FILE *out, const struct acpi_iort_info *d, unsigned i)
{
	const struct acpi_iort_node *n = &d->nodes[i];
	fprintf(out, "node %u at +%#x: %s, revision %u, id %u, length %u\n", i, n->offset,
		acpi_iort_type_name(n->type), n->revision, n->id, n->length);
	switch (n->type) {
	case ACPI_IORT_ITS_GROUP:
		fprintf(out, "  %u ITS%s:", n->u.its.count, n->u.its.count == 1 ? "" : "s");
		for (unsigned k = 0; k < n->u.its.nids; k++)
			fprintf(out, " %u", n->u.its.ids[k]);
		fputc('\n', out);
		break;
	case ACPI_IORT_NAMED_COMPONENT:
		fprintf(out, "  device \"%s\", flags 0x%x%s, substream width %u, ", n->u.nc.name, n->u.nc.flags,
			n->u.nc.flags & ACPI_IORT_NC_STALL ? " STALL" : "",
			(n->u.nc.flags & ACPI_IORT_NC_SSID_MASK) >> ACPI_IORT_NC_SSID_SHIFT);
		print_memacc(out, n->u.nc.cca, n->u.nc.ah, n->u.nc.maf);
		fprintf(out, ", address size limit %u bits\n", n->u.nc.addr_limit);
		break;
	case ACPI_IORT_ROOT_COMPLEX:
		fprintf(out, "  PCI segment %u, ", n->u.rc.segment);
		print_memacc(out, n->u.rc.cca, n->u.rc.ah, n->u.rc.maf);
		fprintf(out, ", ATS 0x%x%s%s%s", n->u.rc.ats, n->u.rc.ats & ACPI_IORT_RC_ATS_SUPPORTED ? " ATS" : " (no ATS)",
			n->u.rc.ats & ACPI_IORT_RC_PRI_SUPPORTED ? " PRI" : "",
			n->u.rc.ats & ACPI_IORT_RC_PASID_FWD_SUPPORTED ? " PASID_FWD" : "");
		if (n->u.rc.has_limit)
			fprintf(out, ", address size limit %u bits", n->u.rc.addr_limit);
		if (n->u.rc.has_pasid)
			fprintf(out, ", PASID capabilities 0x%x, flags 0x%x", n->u.rc.pasid_caps, n->u.rc.flags);
		fputc('\n', out);
		break;
	case ACPI_IORT_SMMU_V1V2:
		fprintf(out, "  base %#llx, span %#llx, model %u, flags 0x%x%s%s\n", (unsigned long long)n->u.smmu2.base,
			(unsigned long long)n->u.smmu2.span, n->u.smmu2.model, n->u.smmu2.flags,
			n->u.smmu2.flags & 1 ? " DVM" : "", n->u.smmu2.flags & 2 ? " COHERENT_WALK" : "");
		if (n->u.smmu2.has_girq)
			fprintf(out, "  NSgIrpt GSIV %u (flags 0x%x), NSgCfgIrpt GSIV %u (flags 0x%x)\n",
				n->u.smmu2.nsg_irpt.gsiv, n->u.smmu2.nsg_irpt.flags, n->u.smmu2.nsg_cfg_irpt.gsiv,
				n->u.smmu2.nsg_cfg_irpt.flags);
		fprintf(out, "  %u context interrupt%s:", n->u.smmu2.nctx, n->u.smmu2.nctx == 1 ? "" : "s");
		for (unsigned k = 0; k < n->u.smmu2.nctx_kept; k++)
			fprintf(out, " %u", n->u.smmu2.ctx[k].gsiv);
		fprintf(out, "; %u PMU interrupt%s:", n->u.smmu2.npmu, n->u.smmu2.npmu == 1 ? "" : "s");
		for (unsigned k = 0; k < n->u.smmu2.npmu_kept; k++)
			fprintf(out, " %u", n->u.smmu2.pmu[k].gsiv);
		fputc('\n', out);
		break;
	case ACPI_IORT_SMMU_V3: {
		uint32_t f = n->u.smmu3.flags;
		fprintf(out, "  base %#llx, model %s, flags 0x%x%s HTTU override %u%s%s, VATOS %#llx\n",
			(unsigned long long)n->u.smmu3.base, acpi_iort_smmuv3_model_name(n->u.smmu3.model), f,
			f & ACPI_IORT_S3_COHACC ? " COHACC_OVERRIDE" : "",
			(f & ACPI_IORT_S3_HTTU_MASK) >> ACPI_IORT_S3_HTTU_SHIFT,
			f & ACPI_IORT_S3_PXM_VALID ? " PXM_VALID" : "", f & ACPI_IORT_S3_DEVID_VALID ? " DEVID_VALID" : "",
			(unsigned long long)n->u.smmu3.vatos);
		fprintf(out, "  GSIV event %u, PRI %u, GERR %u, sync %u", n->u.smmu3.event, n->u.smmu3.pri,
			n->u.smmu3.gerr, n->u.smmu3.sync);
		if (n->u.smmu3.has_pxm)
			fprintf(out, ", proximity domain %u%s", n->u.smmu3.pxm, f & ACPI_IORT_S3_PXM_VALID ? "" : " (not valid)");
		if (n->u.smmu3.has_devid)
			fprintf(out, ", DeviceID mapping index %u%s", n->u.smmu3.devid_idx,
				f & ACPI_IORT_S3_DEVID_VALID ? "" : " (not valid)");
		fputc('\n', out);
		break;
	}
	case ACPI_IORT_PMCG: {
		char l[64];
		fprintf(out, "  page 0 %#llx", (unsigned long long)n->u.pmcg.page0);
		if (n->u.pmcg.has_page1)
			fprintf(out, ", page 1 %#llx", (unsigned long long)n->u.pmcg.page1);
		fprintf(out, ", overflow GSIV %u, monitors %s (+%#x)\n", n->u.pmcg.gsiv,
			node_label(d, n->u.pmcg.node, l, sizeof(l)), n->u.pmcg.node_ref);
		break;
	}
	case ACPI_IORT_RMR:
		fprintf(out, "  flags 0x%x%s%s, %u memory range%s:", n->u.rmr.flags, n->u.rmr.flags & 1 ? " REMAP_PERMITTED" : "",
			n->u.rmr.flags & 2 ? " PRIVILEGED" : "", n->u.rmr.ndesc, n->u.rmr.ndesc == 1 ? "" : "s");
		for (unsigned k = 0; k < n->u.rmr.nkept; k++)
			fprintf(out, " [%#llx, +%#llx)", (unsigned long long)n->u.rmr.desc[k].base,
				(unsigned long long)n->u.rmr.desc[k].len);
		fputc('\n', out);
		break;
	}
	for (unsigned m = n->map0; m < n->map0 + n->nmaps; m++) {
		const struct acpi_iort_map *mp = &d->maps[m];
		char l[64];
		if (mp->flags & ACPI_IORT_M_SINGLE)
			fprintf(out, "  map %u: single id -> %s id %#x\n", m - n->map0, node_label(d, mp->target, l, sizeof(l)),
				mp->output);
		else
			fprintf(out, "  map %u: ids %#x-%#llx -> %s ids %#x-%#llx%s\n", m - n->map0, mp->input,
				(unsigned long long)mp->input + mp->count, node_label(d, mp->target, l, sizeof(l)),
				mp->output, (unsigned long long)mp->output + mp->count, mp->flags ? " (flags)" : "");
	}
}

/* For every root complex and named component mapping: which SMMU serves the ids. */
static void print_routes(FILE *out, const struct acpi_iort_info *d)
{
	bool any = false;
	for (unsigned i = 0; i < d->nnodes; i++) {
		const struct acpi_iort_node *n = &d->nodes[i];
		if (n->type != ACPI_IORT_ROOT_COMPLEX && n->type != ACPI_IORT_NAMED_COMPONENT)
			continue;
		for (unsigned m = n->map0; m < n->map0 + n->nmaps; m++) {
			const struct acpi_iort_map *mp = &d->maps[m];
			struct acpi_iort_route r;
			char who[96], l[64];
			if (!any)
				fprintf(out, "which SMMU serves which ids:\n");
			any = true;
			if (n->type == ACPI_IORT_ROOT_COMPLEX)
				snprintf(who, sizeof(who), "segment %u requester ids", n->u.rc.segment);
			else
				snprintf(who, sizeof(who), "\"%s\" ids", n->u.nc.name);
			route_map(d, (int)i, mp, &r);
			if (mp->flags & ACPI_IORT_M_SINGLE)
				fprintf(out, "  %s (single mapping): ", who);
			else
				fprintf(out, "  %s 0x%04x-0x%04llx: ", who, mp->input, (unsigned long long)mp->input + mp->count);
			if (r.smmu >= 0)
				fprintf(out, "%s, stream ids from %#x", node_label(d, r.smmu, l, sizeof(l)), r.stream);
			else
				fprintf(out, "no SMMU");
			fprintf(out, ", ending at %s\n", node_label(d, r.end, l, sizeof(l)));
		}
	}
}

void acpi_iort_print(FILE *out, const struct acpi_iort_info *d)
{
	if (d->rsdp.pa)
		fprintf(out, "RSDP %#llx rev %u (%s%s", (unsigned long long)d->rsdp.pa, d->rsdp.revision,
			d->rsdp.how ? d->rsdp.how : "given", d->rsdp.efi_st ? " at " : "");
	if (d->rsdp.pa && d->rsdp.efi_st)
		fprintf(out, "%#llx", (unsigned long long)d->rsdp.efi_st);
	if (d->rsdp.pa)
		fprintf(out, "), %s %#llx, ", d->xsdt ? "XSDT" : "RSDT", (unsigned long long)d->sdt_pa);
	fprintf(out, "IORT %#llx len %u revision %u%s OEM \"%s\" \"%s\"\n", (unsigned long long)d->pa, d->len,
		d->revision, d->checksum_ok ? "" : " (bad checksum)", d->oem_id, d->oem_table_id);
	if (d->link_reads)
		fprintf(out, "found in %llu reads (%u 64 KiB blocks probed)\n", (unsigned long long)d->link_reads,
			d->rsdp.blocks);
	fprintf(out, "%u node%s at +%#x\n", d->nnodes_declared, d->nnodes_declared == 1 ? "" : "s", d->node_off);
	for (unsigned i = 0; i < d->nnodes; i++)
		print_node(out, d, i);
	print_routes(out, d);
	if (d->notes[0])
		fprintf(out, "notes: %s\n", d->notes);
}

static void json_irq(struct ptdbg_json *j, const char *name, const struct acpi_iort_irq *v, unsigned n)
{
	ptdbg_json_name(j, name);
	ptdbg_json_start_array(j);
	for (unsigned k = 0; k < n; k++) {
		ptdbg_json_start_object(j);
		ptdbg_json_uint_field(j, "gsiv", v[k].gsiv);
		ptdbg_json_uint_field(j, "flags", v[k].flags);
		ptdbg_json_end_object(j);
	}
	ptdbg_json_end_array(j);
}

static void json_node(struct ptdbg_json *j, const struct acpi_iort_info *d, unsigned i)
{
	const struct acpi_iort_node *n = &d->nodes[i];
	ptdbg_json_start_object(j);
	ptdbg_json_uint_field(j, "index", i);
	ptdbg_json_string_field(j, "type", acpi_iort_type_name(n->type));
	ptdbg_json_uint_field(j, "type_code", n->type);
	ptdbg_json_hex_field(j, "offset", n->offset);
	ptdbg_json_uint_field(j, "revision", n->revision);
	ptdbg_json_uint_field(j, "id", n->id);
	ptdbg_json_uint_field(j, "length", n->length);
	switch (n->type) {
	case ACPI_IORT_ITS_GROUP:
		ptdbg_json_uint_field(j, "its_count", n->u.its.count);
		ptdbg_json_name(j, "its_ids");
		ptdbg_json_start_array(j);
		for (unsigned k = 0; k < n->u.its.nids; k++)
			ptdbg_json_uint(j, n->u.its.ids[k]);
		ptdbg_json_end_array(j);
		break;
	case ACPI_IORT_NAMED_COMPONENT:
		ptdbg_json_string_field(j, "device", n->u.nc.name);
		ptdbg_json_uint_field(j, "flags", n->u.nc.flags);
		ptdbg_json_uint_field(j, "cca", n->u.nc.cca);
		ptdbg_json_uint_field(j, "ah", n->u.nc.ah);
		ptdbg_json_uint_field(j, "maf", n->u.nc.maf);
		ptdbg_json_uint_field(j, "address_size_limit", n->u.nc.addr_limit);
		break;
	case ACPI_IORT_ROOT_COMPLEX:
		ptdbg_json_uint_field(j, "segment", n->u.rc.segment);
		ptdbg_json_uint_field(j, "cca", n->u.rc.cca);
		ptdbg_json_uint_field(j, "ah", n->u.rc.ah);
		ptdbg_json_uint_field(j, "maf", n->u.rc.maf);
		ptdbg_json_uint_field(j, "ats", n->u.rc.ats);
		if (n->u.rc.has_limit)
			ptdbg_json_uint_field(j, "address_size_limit", n->u.rc.addr_limit);
		if (n->u.rc.has_pasid) {
			ptdbg_json_uint_field(j, "pasid_capabilities", n->u.rc.pasid_caps);
			ptdbg_json_uint_field(j, "flags", n->u.rc.flags);
		}
		break;
	case ACPI_IORT_SMMU_V1V2:
		ptdbg_json_hex_field(j, "base", n->u.smmu2.base);
		ptdbg_json_hex_field(j, "span", n->u.smmu2.span);
		ptdbg_json_uint_field(j, "model", n->u.smmu2.model);
		ptdbg_json_uint_field(j, "flags", n->u.smmu2.flags);
		if (n->u.smmu2.has_girq) {
			json_irq(j, "global_interrupts", &n->u.smmu2.nsg_irpt, 1);
			json_irq(j, "global_config_interrupts", &n->u.smmu2.nsg_cfg_irpt, 1);
		}
		ptdbg_json_uint_field(j, "context_interrupt_count", n->u.smmu2.nctx);
		json_irq(j, "context_interrupts", n->u.smmu2.ctx, n->u.smmu2.nctx_kept);
		ptdbg_json_uint_field(j, "pmu_interrupt_count", n->u.smmu2.npmu);
		json_irq(j, "pmu_interrupts", n->u.smmu2.pmu, n->u.smmu2.npmu_kept);
		break;
	case ACPI_IORT_SMMU_V3:
		ptdbg_json_hex_field(j, "base", n->u.smmu3.base);
		ptdbg_json_uint_field(j, "flags", n->u.smmu3.flags);
		ptdbg_json_bool_field(j, "cohacc_override", n->u.smmu3.flags & ACPI_IORT_S3_COHACC);
		ptdbg_json_uint_field(j, "httu_override", (n->u.smmu3.flags & ACPI_IORT_S3_HTTU_MASK) >> ACPI_IORT_S3_HTTU_SHIFT);
		ptdbg_json_hex_field(j, "vatos", n->u.smmu3.vatos);
		ptdbg_json_string_field(j, "model", acpi_iort_smmuv3_model_name(n->u.smmu3.model));
		ptdbg_json_uint_field(j, "event_gsiv", n->u.smmu3.event);
		ptdbg_json_uint_field(j, "pri_gsiv", n->u.smmu3.pri);
		ptdbg_json_uint_field(j, "gerr_gsiv", n->u.smmu3.gerr);
		ptdbg_json_uint_field(j, "sync_gsiv", n->u.smmu3.sync);
		if (n->u.smmu3.has_pxm)
			ptdbg_json_uint_field(j, "proximity_domain", n->u.smmu3.pxm);
		if (n->u.smmu3.has_devid)
			ptdbg_json_uint_field(j, "deviceid_mapping_index", n->u.smmu3.devid_idx);
		break;
	case ACPI_IORT_PMCG:
		ptdbg_json_hex_field(j, "page0", n->u.pmcg.page0);
		if (n->u.pmcg.has_page1)
			ptdbg_json_hex_field(j, "page1", n->u.pmcg.page1);
		ptdbg_json_uint_field(j, "overflow_gsiv", n->u.pmcg.gsiv);
		ptdbg_json_hex_field(j, "node_reference", n->u.pmcg.node_ref);
		ptdbg_json_int_field(j, "monitors", n->u.pmcg.node);
		break;
	case ACPI_IORT_RMR:
		ptdbg_json_uint_field(j, "flags", n->u.rmr.flags);
		ptdbg_json_uint_field(j, "range_count", n->u.rmr.ndesc);
		ptdbg_json_name(j, "ranges");
		ptdbg_json_start_array(j);
		for (unsigned k = 0; k < n->u.rmr.nkept; k++) {
			ptdbg_json_start_object(j);
			ptdbg_json_hex_field(j, "base", n->u.rmr.desc[k].base);
			ptdbg_json_hex_field(j, "length", n->u.rmr.desc[k].len);
			ptdbg_json_end_object(j);
		}
		ptdbg_json_end_array(j);
		break;
	}
	ptdbg_json_name(j, "mappings");
	ptdbg_json_start_array(j);
	for (unsigned m = n->map0; m < n->map0 + n->nmaps; m++) {
		const struct acpi_iort_map *mp = &d->maps[m];
		ptdbg_json_start_object(j);
		ptdbg_json_hex_field(j, "input_base", mp->input);
		ptdbg_json_hex_field(j, "count", mp->count);
		ptdbg_json_hex_field(j, "output_base", mp->output);
		ptdbg_json_hex_field(j, "output_reference", mp->ref);
		ptdbg_json_int_field(j, "output_node", mp->target);
		ptdbg_json_uint_field(j, "flags", mp->flags);
		ptdbg_json_bool_field(j, "single", mp->flags & ACPI_IORT_M_SINGLE);
		ptdbg_json_end_object(j);
	}
	ptdbg_json_end_array(j);
	ptdbg_json_end_object(j);
}

void acpi_iort_json(struct ptdbg_json *j, const struct acpi_iort_info *d)
{
	ptdbg_json_start_object(j);
	if (d->rsdp.pa) {
		ptdbg_json_hex_field(j, "rsdp", d->rsdp.pa);
		ptdbg_json_uint_field(j, "rsdp_revision", d->rsdp.revision);
		ptdbg_json_string_field(j, "rsdp_found_by", d->rsdp.how ? d->rsdp.how : "given");
		if (d->rsdp.efi_st)
			ptdbg_json_hex_field(j, "efi_system_table", d->rsdp.efi_st);
		ptdbg_json_uint_field(j, "blocks_probed", d->rsdp.blocks);
		ptdbg_json_hex_field(j, d->xsdt ? "xsdt" : "rsdt", d->sdt_pa);
		ptdbg_json_uint_field(j, "link_reads", d->link_reads);
	}
	ptdbg_json_hex_field(j, "iort", d->pa);
	ptdbg_json_uint_field(j, "length", d->len);
	ptdbg_json_uint_field(j, "revision", d->revision);
	ptdbg_json_bool_field(j, "checksum_ok", d->checksum_ok);
	ptdbg_json_string_field(j, "oem_id", d->oem_id);
	ptdbg_json_string_field(j, "oem_table_id", d->oem_table_id);
	ptdbg_json_uint_field(j, "node_count", d->nnodes_declared);
	ptdbg_json_hex_field(j, "node_offset", d->node_off);
	ptdbg_json_name(j, "nodes");
	ptdbg_json_start_array(j);
	for (unsigned i = 0; i < d->nnodes; i++)
		json_node(j, d, i);
	ptdbg_json_end_array(j);
	ptdbg_json_name(j, "routes");
	ptdbg_json_start_array(j);
	for (unsigned i = 0; i < d->nnodes; i++) {
		const struct acpi_iort_node *n = &d->nodes[i];
		if (n->type != ACPI_IORT_ROOT_COMPLEX && n->type != ACPI_IORT_NAMED_COMPONENT)
			continue;
		for (unsigned m = n->map0; m < n->map0 + n->nmaps; m++) {
			const struct acpi_iort_map *mp = &d->maps[m];
			struct acpi_iort_route r;
			route_map(d, (int)i, mp, &r);
			ptdbg_json_start_object(j);
			ptdbg_json_uint_field(j, "node", i);
			if (n->type == ACPI_IORT_ROOT_COMPLEX)
				ptdbg_json_uint_field(j, "segment", n->u.rc.segment);
			else
				ptdbg_json_string_field(j, "device", n->u.nc.name);
			ptdbg_json_hex_field(j, "first_id", mp->input);
			ptdbg_json_hex_field(j, "last_id", (uint64_t)mp->input + mp->count);
			ptdbg_json_bool_field(j, "single", mp->flags & ACPI_IORT_M_SINGLE);
			ptdbg_json_int_field(j, "smmu_node", r.smmu);
			if (r.smmu >= 0) {
				const struct acpi_iort_node *s = &d->nodes[r.smmu];
				ptdbg_json_string_field(j, "smmu_type", acpi_iort_type_name(s->type));
				ptdbg_json_hex_field(j, "smmu_base", s->type == ACPI_IORT_SMMU_V3 ? s->u.smmu3.base : s->u.smmu2.base);
				ptdbg_json_hex_field(j, "first_stream", r.stream);
			}
			ptdbg_json_int_field(j, "end_node", r.end);
			ptdbg_json_end_object(j);
		}
	}
	ptdbg_json_end_array(j);
	if (d->notes[0])
		ptdbg_json_string_field(j, "notes", d->notes);
	ptdbg_json_end_object(j);
}
