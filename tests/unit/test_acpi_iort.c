/* SPDX-License-Identifier: MIT */
/*
 * Unit tests: the ACPI IORT reader (acpi/iort.c) and the ACPI root lookup
 * (acpi/acpi.c) on synthetic tables: every node type and field, the id routing,
 * malformed tables (lengths, offsets, counts, references, loops, checksums), the
 * RSDP through an EFI system table or the 64 KiB block probe, and through the BIOS
 * areas.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "acpi/iort.h"
#include "out/json.h"
#include "out/snapshot.h"
#include "test_vtd_image.h"

/* The IORT QEMU 7.2 builds for -M virt,iommu=smmuv3 with one PCI bus, as a guest
 * booted through EDK2 holds it (captured with pmemsave). */
static const uint8_t qemu_iort[236] = {
	0x49, 0x4f, 0x52, 0x54, 0xec, 0x00, 0x00, 0x00, 0x03, 0x55, 0x42, 0x4f,
	0x43, 0x48, 0x53, 0x20, 0x42, 0x58, 0x50, 0x43, 0x20, 0x20, 0x20, 0x20,
	0x01, 0x00, 0x00, 0x00, 0x42, 0x58, 0x50, 0x43, 0x01, 0x00, 0x00, 0x00,
	0x03, 0x00, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x18, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x04, 0x58, 0x00, 0x04, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x09, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x6a, 0x00, 0x00, 0x00,
	0x6b, 0x00, 0x00, 0x00, 0x6d, 0x00, 0x00, 0x00, 0x6c, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x02, 0x4c, 0x00, 0x03, 0x02, 0x00, 0x00, 0x00,
	0x02, 0x00, 0x00, 0x00, 0x24, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x48, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x01, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
	0x30, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
};

/* ---- a table builder ---- */
struct tb {
	uint8_t b[16384];
	size_t len;
	size_t node;     /* start of the node being built */
	unsigned nnodes;
	size_t maps_at;  /* where its mapping array starts, 0 if none yet */
	unsigned nmaps;
};

static void put(struct tb *t, size_t at, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++) /* past 8 bytes: zeros */
		t->b[at + i] = i < 8 ? (uint8_t)(v >> (8 * i)) : 0;
}
static void add(struct tb *t, uint64_t v, unsigned n) { put(t, t->len, v, n); t->len += n; }

static void tb_init(struct tb *t)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->b, "IORT", 4);
	t->b[8] = 5;
	memcpy(t->b + 10, "PTDBG\x01", 6); /* a control byte: printed as '?' */
	memcpy(t->b + 16, "SYNTH   ", 8);
	put(t, 40, 48, 4);
	t->len = 48;
}
/* Start a node; returns its table offset. */
static uint32_t node_begin(struct tb *t, uint8_t type, uint8_t rev, uint32_t id)
{
	t->node = t->len;
	t->maps_at = 0;
	t->nmaps = 0;
	add(t, type, 1);
	add(t, 0, 2);
	add(t, rev, 1);
	add(t, id, 4);
	add(t, 0, 4);
	add(t, 0, 4);
	t->nnodes++;
	return (uint32_t)t->node;
}
static void map(struct tb *t, uint32_t in, uint32_t count, uint32_t out, uint32_t ref, uint32_t flags)
{
	if (!t->maps_at)
		t->maps_at = t->len;
	add(t, in, 4); add(t, count, 4); add(t, out, 4); add(t, ref, 4); add(t, flags, 4);
	t->nmaps++;
}
static void node_end(struct tb *t)
{
	put(t, t->node + 1, t->len - t->node, 2);
	put(t, t->node + 8, t->nmaps, 4);
	put(t, t->node + 12, t->maps_at ? t->maps_at - t->node : 0, 4);
}
static void tb_finish(struct tb *t)
{
	put(t, 4, t->len, 4);
	put(t, 36, t->nnodes, 4);
	t->b[9] = 0;
	t->b[9] = (uint8_t)-acpi_checksum(t->b, t->len);
}

static struct acpi_iort_info info;

/* Every node type with every field set. Offsets of the nodes in *o. */
static void every_node(struct tb *t, uint32_t o[7])
{
	tb_init(t);
	/* ITS group: two ITSs */
	o[0] = node_begin(t, ACPI_IORT_ITS_GROUP, 1, 10);
	add(t, 2, 4); add(t, 7, 4); add(t, 9, 4);
	node_end(t);
	/* SMMUv3, revision 4: every field */
	o[1] = node_begin(t, ACPI_IORT_SMMU_V3, 4, 11);
	add(t, 0x2b400000ull, 8); add(t, 0x1f, 4); add(t, 0, 4); add(t, 0x2b500000ull, 8);
	add(t, ACPI_IORT_S3_CAVIUM_CN99XX, 4);
	add(t, 100, 4); add(t, 101, 4); add(t, 102, 4); add(t, 103, 4);
	add(t, 3, 4); add(t, 1, 4);
	map(t, 0, 0xffff, 0x10000, o[0], 0);
	map(t, 0, 0, 0x77, o[0], ACPI_IORT_M_SINGLE); /* its own MSIs: DeviceID mapping index 1 */
	node_end(t);
	/* root complex, revision 4: PASID capabilities and flags */
	o[2] = node_begin(t, ACPI_IORT_ROOT_COMPLEX, 4, 12);
	add(t, 1, 4); add(t, 0x5, 1); add(t, 0, 2); add(t, 3, 1);
	add(t, 7, 4); add(t, 2, 4); add(t, 48, 1); add(t, 0x14, 2); add(t, 0, 1); add(t, 1, 4);
	map(t, 0, 0xff, 0x1000, o[1], 0);
	map(t, 0x100, 0xfeff, 0x100, o[0], 0);
	node_end(t);
	/* named component: STALL, substream width 5, a name, one single mapping */
	o[3] = node_begin(t, ACPI_IORT_NAMED_COMPONENT, 4, 13);
	add(t, 1 | 5 << 1, 4); add(t, 0, 4); add(t, 2, 1); add(t, 0, 2); add(t, 1, 1); add(t, 40, 1);
	memcpy(t->b + t->len, "\\_SB_.DMA0", 11);
	t->len += 11;
	t->len = (t->len + 3) & ~3ul;
	map(t, 0, 0, 0x20, o[1], ACPI_IORT_M_SINGLE);
	node_end(t);
	/* SMMUv2: global, two context and one PMU interrupt */
	o[4] = node_begin(t, ACPI_IORT_SMMU_V1V2, 3, 14);
	add(t, 0x2c000000ull, 8); add(t, 0x20000ull, 8); add(t, 4, 4); add(t, 3, 4);
	add(t, 60, 4); add(t, 2, 4); add(t, 76, 4); add(t, 1, 4); add(t, 92, 4);
	add(t, 40, 4); add(t, 1, 4); add(t, 41, 4); add(t, 0, 4);
	add(t, 42, 4); add(t, 1, 4); add(t, 43, 4); add(t, 1, 4);
	add(t, 44, 4); add(t, 0, 4);
	map(t, 0, 0x3f, 0, o[0], 0);
	node_end(t);
	/* PMCG revision 1, monitoring the SMMUv3 */
	o[5] = node_begin(t, ACPI_IORT_PMCG, 1, 15);
	add(t, 0x2b600000ull, 8); add(t, 120, 4); add(t, o[1], 4); add(t, 0x2b610000ull, 8);
	node_end(t);
	/* RMR: two ranges, for stream 0x20 of the SMMUv3 */
	o[6] = node_begin(t, ACPI_IORT_RMR, 3, 16);
	add(t, 3, 4); add(t, 2, 4); add(t, 28, 4);
	add(t, 0x80000000ull, 8); add(t, 0x10000ull, 8); add(t, 0, 4);
	add(t, 0x90000000ull, 8); add(t, 0x2000ull, 8); add(t, 0, 4);
	map(t, 0, 0, 0x20, o[1], ACPI_IORT_M_SINGLE);
	node_end(t);
	tb_finish(t);
}

static void test_qemu_virt(void **state)
{
	(void)state;
	assert_int_equal(acpi_iort_parse(qemu_iort, sizeof(qemu_iort), &info), 0);
	assert_int_equal(info.len, 236);
	assert_int_equal(info.revision, 3);
	assert_true(info.checksum_ok);
	assert_string_equal(info.oem_id, "BOCHS ");
	assert_string_equal(info.oem_table_id, "BXPC    ");
	assert_int_equal(info.nnodes_declared, 3);
	assert_int_equal(info.node_off, 0x30);
	assert_int_equal(info.nnodes, 3);
	const struct acpi_iort_node *its = &info.nodes[0], *s = &info.nodes[1], *rc = &info.nodes[2];
	assert_int_equal(its->type, ACPI_IORT_ITS_GROUP);
	assert_int_equal(its->u.its.count, 1);
	assert_int_equal(its->u.its.ids[0], 0);
	assert_int_equal(s->type, ACPI_IORT_SMMU_V3);
	assert_int_equal(s->revision, 4);
	assert_int_equal(s->id, 1);
	assert_int_equal(s->u.smmu3.base, 0x9050000);
	assert_int_equal(s->u.smmu3.flags, ACPI_IORT_S3_COHACC);
	assert_int_equal(s->u.smmu3.model, ACPI_IORT_S3_GENERIC);
	assert_int_equal(s->u.smmu3.event, 106);
	assert_int_equal(s->u.smmu3.pri, 107);
	assert_int_equal(s->u.smmu3.gerr, 109);
	assert_int_equal(s->u.smmu3.sync, 108);
	assert_true(s->u.smmu3.has_pxm && s->u.smmu3.has_devid);
	assert_int_equal(s->nmaps, 1);
	assert_int_equal(info.maps[s->map0].count, 0xffff);
	assert_int_equal(info.maps[s->map0].target, 0);
	assert_int_equal(rc->type, ACPI_IORT_ROOT_COMPLEX);
	assert_int_equal(rc->u.rc.cca, 1);
	assert_int_equal(rc->u.rc.maf, ACPI_IORT_MAF_CPM | ACPI_IORT_MAF_DACS);
	assert_int_equal(rc->u.rc.segment, 0);
	assert_true(rc->u.rc.has_limit);
	assert_int_equal(rc->u.rc.addr_limit, 64);
	assert_false(rc->u.rc.has_pasid);
	assert_int_equal(rc->nmaps, 2);
	assert_int_equal(info.maps[rc->map0].target, 1);
	assert_int_equal(info.maps[rc->map0 + 1].target, 0);
	/* QEMU writes the number of ids, not one less: its two ranges overlap at 0x100 */
	assert_non_null(strstr(info.notes, "node 2: ID mappings 0 and 1 overlap from 0x100"));
	uint32_t stream = 0;
	assert_int_equal(acpi_iort_smmuv3(&info, 0), 1);
	assert_int_equal(acpi_iort_smmuv3(&info, 0x9050000), 1);
	assert_int_equal(acpi_iort_smmuv3(&info, 0x1234), -1);
	assert_int_equal(acpi_iort_smmu_for_rid(&info, 0, 0x10, &stream), 1);
	assert_int_equal(stream, 0x10);
	assert_int_equal(acpi_iort_smmu_for_rid(&info, 0, 0x100, &stream), 1); /* the first wins */
	assert_int_equal(acpi_iort_smmu_for_rid(&info, 0, 0x101, &stream), -1);
	assert_int_equal(acpi_iort_smmu_for_rid(&info, 1, 0x10, &stream), -1);
	struct acpi_iort_route r;
	assert_true(acpi_iort_route(&info, 2, 0x10, &r));
	assert_int_equal(r.smmu, 1);
	assert_int_equal(r.end, 0);
	assert_int_equal(r.end_id, 0x10);
	assert_int_equal(r.hops, 2);
}

static void test_every_node(void **state)
{
	(void)state;
	static struct tb t;
	uint32_t o[7];
	every_node(&t, o);
	assert_int_equal(acpi_iort_parse(t.b, t.len, &info), 0);
	assert_string_equal(info.notes, "");
	assert_int_equal(info.revision, 5);
	assert_string_equal(info.oem_id, "PTDBG?");
	assert_int_equal(info.nnodes, 7);
	for (unsigned i = 0; i < 7; i++) {
		assert_int_equal(info.nodes[i].offset, o[i]);
		assert_int_equal(info.nodes[i].id, 10 + i);
		assert_int_equal(acpi_iort_node_at(&info, o[i]), (int)i);
	}
	const struct acpi_iort_node *n = info.nodes;
	assert_int_equal(n[0].u.its.count, 2);
	assert_int_equal(n[0].u.its.nids, 2);
	assert_int_equal(n[0].u.its.ids[0], 7);
	assert_int_equal(n[0].u.its.ids[1], 9);

	assert_int_equal(n[1].u.smmu3.base, 0x2b400000);
	assert_int_equal(n[1].u.smmu3.flags, 0x1f);
	assert_int_equal(n[1].u.smmu3.vatos, 0x2b500000);
	assert_int_equal(n[1].u.smmu3.model, ACPI_IORT_S3_CAVIUM_CN99XX);
	assert_string_equal(acpi_iort_smmuv3_model_name(n[1].u.smmu3.model), "Cavium CN99xx");
	assert_string_equal(acpi_iort_smmuv3_model_name(9), "model 9");
	assert_int_equal(n[1].u.smmu3.event, 100);
	assert_int_equal(n[1].u.smmu3.pri, 101);
	assert_int_equal(n[1].u.smmu3.gerr, 102);
	assert_int_equal(n[1].u.smmu3.sync, 103);
	assert_int_equal(n[1].u.smmu3.pxm, 3);
	assert_int_equal(n[1].u.smmu3.devid_idx, 1);
	assert_int_equal(n[1].nmaps, 2);
	assert_true(info.maps[n[1].map0 + 1].flags & ACPI_IORT_M_SINGLE);

	assert_int_equal(n[2].revision, 4);
	assert_int_equal(n[2].u.rc.cca, 1);
	assert_int_equal(n[2].u.rc.ah, 5);
	assert_int_equal(n[2].u.rc.maf, 3);
	assert_int_equal(n[2].u.rc.ats, 7);
	assert_int_equal(n[2].u.rc.segment, 2);
	assert_int_equal(n[2].u.rc.addr_limit, 48);
	assert_true(n[2].u.rc.has_pasid);
	assert_int_equal(n[2].u.rc.pasid_caps, 0x14);
	assert_int_equal(n[2].u.rc.flags, 1);

	assert_int_equal(n[3].u.nc.flags, 1 | 5 << 1);
	assert_int_equal(n[3].u.nc.cca, 0);
	assert_int_equal(n[3].u.nc.ah, 2);
	assert_int_equal(n[3].u.nc.maf, 1);
	assert_int_equal(n[3].u.nc.addr_limit, 40);
	assert_string_equal(n[3].u.nc.name, "\\_SB_.DMA0");

	assert_int_equal(n[4].u.smmu2.base, 0x2c000000);
	assert_int_equal(n[4].u.smmu2.span, 0x20000);
	assert_int_equal(n[4].u.smmu2.model, 4);
	assert_int_equal(n[4].u.smmu2.flags, 3);
	assert_true(n[4].u.smmu2.has_girq);
	assert_int_equal(n[4].u.smmu2.nsg_irpt.gsiv, 40);
	assert_int_equal(n[4].u.smmu2.nsg_irpt.flags, 1);
	assert_int_equal(n[4].u.smmu2.nsg_cfg_irpt.gsiv, 41);
	assert_int_equal(n[4].u.smmu2.nctx, 2);
	assert_int_equal(n[4].u.smmu2.nctx_kept, 2);
	assert_int_equal(n[4].u.smmu2.ctx[1].gsiv, 43);
	assert_int_equal(n[4].u.smmu2.npmu, 1);
	assert_int_equal(n[4].u.smmu2.pmu[0].gsiv, 44);

	assert_int_equal(n[5].u.pmcg.page0, 0x2b600000);
	assert_true(n[5].u.pmcg.has_page1);
	assert_int_equal(n[5].u.pmcg.page1, 0x2b610000);
	assert_int_equal(n[5].u.pmcg.gsiv, 120);
	assert_int_equal(n[5].u.pmcg.node, 1);

	assert_int_equal(n[6].u.rmr.flags, 3);
	assert_int_equal(n[6].u.rmr.ndesc, 2);
	assert_int_equal(n[6].u.rmr.nkept, 2);
	assert_int_equal(n[6].u.rmr.desc[1].base, 0x90000000);
	assert_int_equal(n[6].u.rmr.desc[1].len, 0x2000);

	/* routes: segment 2 RIDs 0-0xff through the SMMUv3 (streams from 0x1000), then
	 * its mapping to the ITS group; 0x100 on straight to the ITS group; the named
	 * component's single mapping to stream 0x20 */
	uint32_t stream;
	assert_int_equal(acpi_iort_smmu_for_rid(&info, 2, 0x12, &stream), 1);
	assert_int_equal(stream, 0x1012);
	assert_int_equal(acpi_iort_smmu_for_rid(&info, 2, 0x112, &stream), -1);
	assert_int_equal(acpi_iort_smmu_for_rid(&info, 0, 0x12, &stream), -1);
	struct acpi_iort_route r;
	assert_true(acpi_iort_route(&info, 2, 0x12, &r));
	assert_int_equal(r.end, 0);
	assert_int_equal(r.end_id, 0x10000 + 0x1012);
	assert_true(acpi_iort_route(&info, 3, 0x5555, &r));
	assert_int_equal(r.smmu, 1);
	assert_int_equal(r.stream, 0x20);
	assert_int_equal(r.end_id, 0x10000 + 0x20);
	assert_false(acpi_iort_route(&info, 5, 0, &r)); /* the PMCG maps nothing */
	assert_false(acpi_iort_route(&info, 99, 0, &r));

	/* the printers say all of it */
	char *text = NULL;
	size_t tl = 0;
	FILE *f = open_memstream(&text, &tl);
	acpi_iort_print(f, &info);
	fclose(f);
	char want[64];
	snprintf(want, sizeof(want), "node 1 at +%#x: SMMUv3, revision 4, id 11", o[1]);
	assert_non_null(strstr(text, want));
	assert_non_null(strstr(text, "model Cavium CN99xx, flags 0x1f COHACC_OVERRIDE HTTU override 3 PXM_VALID DEVID_VALID, VATOS 0x2b500000"));
	assert_non_null(strstr(text, "GSIV event 100, PRI 101, GERR 102, sync 103, proximity domain 3, DeviceID mapping index 1"));
	assert_non_null(strstr(text, "device \"\\_SB_.DMA0\", flags 0xb STALL, substream width 5"));
	assert_non_null(strstr(text, "segment 2 requester ids 0x0000-0x00ff: SMMUv3 node 1 (0x2b400000), stream ids from 0x1000, ending at ITS group node 0"));
	assert_non_null(strstr(text, "segment 2 requester ids 0x0100-0xffff: no SMMU, ending at ITS group node 0"));
	assert_non_null(strstr(text, "\"\\_SB_.DMA0\" ids (single mapping): SMMUv3 node 1 (0x2b400000), stream ids from 0x20"));
	assert_non_null(strstr(text, "NSgIrpt GSIV 40 (flags 0x1), NSgCfgIrpt GSIV 41 (flags 0x0)"));
	assert_non_null(strstr(text, "2 context interrupts: 42 43; 1 PMU interrupt: 44"));
	assert_non_null(strstr(text, "overflow GSIV 120, monitors SMMUv3 node 1 (0x2b400000)"));
	assert_non_null(strstr(text, "flags 0x3 REMAP_PERMITTED PRIVILEGED, 2 memory ranges: [0x80000000, +0x10000) [0x90000000, +0x2000)"));
	free(text);
	text = NULL;
	f = open_memstream(&text, &tl);
	struct ptdbg_json *j = ptdbg_json_new(f);
	acpi_iort_json(j, &info);
	ptdbg_json_free(j);
	fclose(f);
	assert_non_null(strstr(text, "\"type\":\"SMMUv3\""));
	assert_non_null(strstr(text, "\"event_gsiv\":100"));
	assert_non_null(strstr(text, "\"device\":\"\\\\_SB_.DMA0\""));
	assert_non_null(strstr(text, "\"first_stream\":\"0x0000000000001000\""));
	assert_null(strstr(text, "\"notes\""));
	free(text);
}

/* Parse t, which must still parse, and say whether the notes hold want. */
static void expect_note(struct tb *t, const char *want)
{
	assert_int_equal(acpi_iort_parse(t->b, t->len, &info), 0);
	if (!strstr(info.notes, want))
		fail_msg("notes \"%s\" lack \"%s\"", info.notes, want);
}

static void test_malformed(void **state)
{
	(void)state;
	static struct tb t;
	uint32_t o[7];
	/* not an IORT, or a length field it cannot have */
	every_node(&t, o);
	assert_int_equal(acpi_iort_parse(t.b, 40, &info), PTDBG_EFORMAT);
	memcpy(t.b, "DMAR", 4);
	assert_int_equal(acpi_iort_parse(t.b, t.len, &info), PTDBG_EFORMAT);
	assert_non_null(strstr(info.notes, "not an IORT"));
	every_node(&t, o);
	put(&t, 4, t.len + 1, 4);
	assert_int_equal(acpi_iort_parse(t.b, t.len, &info), PTDBG_EFORMAT);
	put(&t, 4, 20, 4);
	assert_int_equal(acpi_iort_parse(t.b, t.len, &info), PTDBG_EFORMAT);
	/* a bad checksum is a note; the table is read all the same */
	every_node(&t, o);
	t.b[9] ^= 1;
	expect_note(&t, "bad IORT checksum");
	assert_false(info.checksum_ok);
	assert_int_equal(info.nnodes, 7);
	/* a node array outside the table */
	every_node(&t, o);
	put(&t, 40, 0x7fffffff, 4);
	expect_note(&t, "node array at offset 2147483647 outside the table");
	assert_int_equal(info.nnodes, 0);
	/* more nodes declared than there are */
	every_node(&t, o);
	put(&t, 36, 1000, 4);
	expect_note(&t, "1000 nodes declared, 7 fit in the table");
	assert_int_equal(info.nnodes, 7);
	/* a node of length 0 (would loop), one past the table's end */
	every_node(&t, o);
	put(&t, o[2] + 1, 0, 2);
	expect_note(&t, "node 2: length 0 out of range");
	assert_int_equal(info.nnodes, 2);
	every_node(&t, o);
	put(&t, o[6] + 1, 0xffff, 2);
	expect_note(&t, "node 6: length 65535 out of range");
	/* a mapping array outside its node, or cut by it */
	every_node(&t, o);
	put(&t, o[2] + ACPI_IORT_N_MAPS_OFF, 0x1000, 4);
	expect_note(&t, "node 2: ID mapping array at offset 4096 outside the node");
	assert_int_equal(info.nodes[2].nmaps, 0);
	every_node(&t, o);
	put(&t, o[2] + ACPI_IORT_N_NMAPS, 0xffffffff, 4);
	expect_note(&t, "node 2: ID mapping array cut to 2 of 4294967295 entries");
	assert_int_equal(info.nodes[2].nmaps, 2);
	/* an output reference to no node, a mapping from the header's inside */
	every_node(&t, o);
	put(&t, o[2] + 40 + ACPI_IORT_M_REF, 0x31, 4);
	expect_note(&t, "output reference 0x31 names no node");
	uint32_t stream;
	assert_int_equal(acpi_iort_smmu_for_rid(&info, 2, 0, &stream), -1);
	every_node(&t, o);
	put(&t, o[2] + ACPI_IORT_N_MAPS_OFF, 4, 4);
	expect_note(&t, "node 2: ID mapping array at offset 4 outside the node");
	/* counts larger than the node: ITS identifiers, interrupts, ranges */
	every_node(&t, o);
	put(&t, o[0] + ACPI_IORT_ITS_COUNT, 100000, 4);
	expect_note(&t, "node 0: ITS identifier array cut to 2 of 100000 entries");
	assert_int_equal(info.nodes[0].u.its.nids, 2);
	every_node(&t, o);
	put(&t, o[4] + ACPI_IORT_S2_NCTX, 1000, 4);
	put(&t, o[4] + ACPI_IORT_S2_PMU_OFF, 0xfff0, 4);
	put(&t, o[4] + ACPI_IORT_S2_GIRQ_OFF, 2, 4);
	expect_note(&t, "node 4: context interrupt array cut to");
	assert_non_null(strstr(info.notes, "node 4: PMU interrupt array at offset 65520 outside the node"));
	assert_non_null(strstr(info.notes, "node 4: global interrupt array at offset 2 outside the node"));
	assert_false(info.nodes[4].u.smmu2.has_girq);
	assert_true(info.nodes[4].u.smmu2.nctx_kept <= ACPI_IORT_MAX_IDS);
	every_node(&t, o);
	put(&t, o[6] + ACPI_IORT_RMR_NDESC, 10, 4); /* the mapping after them is read as a third */
	expect_note(&t, "node 6: memory range array cut to 3 of 10 entries");
	/* nodes too short for their type, an unknown type */
	tb_init(&t);
	node_begin(&t, ACPI_IORT_SMMU_V3, 4, 0);
	add(&t, 0x9050000, 8);
	node_end(&t);
	node_begin(&t, ACPI_IORT_PMCG, 1, 1);
	node_end(&t);
	node_begin(&t, ACPI_IORT_NAMED_COMPONENT, 4, 2);
	add(&t, 0, 4); add(&t, 0, 8); add(&t, 0, 1); add(&t, 'A', 1); add(&t, 'B', 1); /* no NUL */
	node_end(&t);
	node_begin(&t, 200, 0, 3);
	node_end(&t);
	node_begin(&t, ACPI_IORT_ROOT_COMPLEX, 0, 4);
	node_end(&t);
	node_begin(&t, ACPI_IORT_ITS_GROUP, 0, 5);
	node_end(&t);
	node_begin(&t, ACPI_IORT_SMMU_V1V2, 0, 6);
	node_end(&t);
	node_begin(&t, ACPI_IORT_RMR, 0, 7);
	node_end(&t);
	tb_finish(&t);
	expect_note(&t, "node 0: SMMUv3 of 24 bytes, too short");
	assert_int_equal(acpi_iort_smmuv3(&info, 0), -1); /* no base to trust */
	assert_non_null(strstr(info.notes, "node 1: PMCG of 16 bytes, too short"));
	assert_non_null(strstr(info.notes, "node 2: device object name not terminated"));
	assert_string_equal(info.nodes[2].u.nc.name, "AB");
	assert_non_null(strstr(info.notes, "node 3: unknown type 200"));
	assert_string_equal(acpi_iort_type_name(200), "type 200");
	assert_non_null(strstr(info.notes, "node 4: root complex of 16 bytes, too short"));
	assert_non_null(strstr(info.notes, "node 5: ITS group of 16 bytes, too short"));
	/* the notes have room for some of it; past that they end with "; ..." */
	assert_true(strstr(info.notes, "node 6: SMMUv1/v2 of 16 bytes, too short") || strstr(info.notes, "; ..."));
	/* a revision 3 root complex has no PASID fields; revision 0 no address limit */
	every_node(&t, o);
	t.b[o[2] + ACPI_IORT_N_REVISION] = 0;
	tb_finish(&t);
	assert_int_equal(acpi_iort_parse(t.b, t.len, &info), 0);
	assert_false(info.nodes[2].u.rc.has_limit);
	assert_false(info.nodes[2].u.rc.has_pasid);
}

/* Two SMMUs mapping to each other: a route stops after ACPI_IORT_MAX_HOPS. More
 * nodes than kept, more mappings than kept. */
static void test_loops_and_limits(void **state)
{
	(void)state;
	static struct tb t;
	tb_init(&t);
	uint32_t rc = node_begin(&t, ACPI_IORT_ROOT_COMPLEX, 3, 0);
	(void)rc;
	add(&t, 0, 20);
	map(&t, 0, 0xffff, 0, 48 + 36 + 20, 0);
	node_end(&t);
	uint32_t a = node_begin(&t, ACPI_IORT_SMMU_V3, 4, 1);
	add(&t, 0x9050000, 8); add(&t, 0, 44);
	map(&t, 0, 0xffff, 0, a + 88, 0);
	node_end(&t);
	uint32_t b = node_begin(&t, ACPI_IORT_SMMU_V3, 4, 2);
	add(&t, 0x9060000, 8); add(&t, 0, 44);
	map(&t, 0, 0xffff, 0, a, 0);
	node_end(&t);
	tb_finish(&t);
	assert_int_equal(acpi_iort_parse(t.b, t.len, &info), 0);
	assert_string_equal(info.notes, "");
	assert_int_equal(info.nodes[1].offset, a);
	assert_int_equal(info.nodes[2].offset, b);
	struct acpi_iort_route r;
	assert_true(acpi_iort_route(&info, 0, 5, &r));
	assert_int_equal(r.hops, ACPI_IORT_MAX_HOPS);
	assert_int_equal(r.smmu, 1);
	assert_int_equal(acpi_iort_smmuv3(&info, 0x9060000), 2);

	tb_init(&t);
	for (unsigned i = 0; i < ACPI_IORT_MAX_NODES + 6; i++) {
		node_begin(&t, ACPI_IORT_ITS_GROUP, 1, i);
		add(&t, 1, 4); add(&t, i, 4);
		for (unsigned m = 0; m < 5; m++)
			map(&t, m, 0, 0, 48, ACPI_IORT_M_SINGLE);
		node_end(&t);
	}
	tb_finish(&t);
	expect_note(&t, "70 nodes declared, the first 64 kept");
	assert_int_equal(info.nnodes, ACPI_IORT_MAX_NODES);
	assert_int_equal(info.nmaps, ACPI_IORT_MAX_MAPS);
	assert_non_null(strstr(info.notes, "more than 256 ID mappings: node 51's and later ones dropped"));
	assert_true(strlen(info.notes) < sizeof(info.notes));
}

/* ---- the root lookup ---- */

#define UEFI_RAM   0x40000000ull
#define UEFI_TOP   0x41000000ull   /* 16 MiB of RAM */
#define ST_PA      (UEFI_TOP - 3 * ACPI_UEFI_BLOCK + 0x18)
#define CT_PA      (UEFI_TOP - 2 * ACPI_UEFI_BLOCK + 0x800)
#define RSDP_PA    (UEFI_TOP - 60 * ACPI_UEFI_BLOCK + 0x18)
#define XSDT_PA    (RSDP_PA + 0x1000)
#define IORT_PA    (RSDP_PA + 0x2000)
#define FACP_PA    (RSDP_PA + 0x3000)

struct sparse {
	uint8_t pages[8][4096];
	struct ptdbg_sparse_page idx[8];
	size_t n;
};
/* The byte at pa of the image (its page added on first use). */
static uint8_t *at(struct sparse *s, uint64_t pa)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->idx[i].pa == (pa & ~0xfffull))
			return s->pages[i] + (pa & 0xfff);
	assert_true(s->n < 8);
	memset(s->pages[s->n], 0, 4096);
	s->idx[s->n] = (struct ptdbg_sparse_page){ pa & ~0xfffull, s->pages[s->n] };
	return s->pages[s->n++] + (pa & 0xfff);
}
static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}
static void sdt_hdr(uint8_t *p, const char *sig, uint32_t len)
{
	memcpy(p, sig, 4);
	put_le(p + 4, len, 4);
	p[8] = 1;
	memcpy(p + 10, "PTDBG ", 6);
	p[9] = 0;
	p[9] = (uint8_t)-acpi_checksum(p, len);
}
static void rsdp_at(uint8_t *p, uint64_t xsdt)
{
	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, "PTDBG ", 6);
	p[15] = 2;
	put_le(p + 20, 36, 4);
	put_le(p + 24, xsdt, 8);
	p[8] = (uint8_t)-acpi_checksum(p, 20);
	p[32] = (uint8_t)-acpi_checksum(p, 36);
}

/* An EDK2-like layout: system table, configuration table (a GUID before the ACPI
 * 2.0 one), RSDP, XSDT listing FACP and the IORT, the IORT. */
static void uefi_image(struct sparse *s, struct tb *t, bool good_crc)
{
	static const uint8_t g20[16] = EFI_ACPI_20_GUID_BYTES;
	s->n = 0;
	uint8_t *st = at(s, ST_PA);
	memcpy(st, EFI_ST_SIG, 8);
	put_le(st + EFI_ST_REVISION, 2u << 16 | 70, 4);
	put_le(st + EFI_ST_HEADER_SIZE, EFI_ST_SIZE, 4);
	put_le(st + EFI_ST_NR_TABLES, 2, 8);
	put_le(st + EFI_ST_CONFIG_TABLE, CT_PA, 8);
	put_le(st + EFI_ST_CRC32, ptdbg_crc32(0, st, EFI_ST_SIZE) ^ (good_crc ? 0 : 1), 4);
	uint8_t *ct = at(s, CT_PA);
	memset(ct, 0x5a, 16);
	put_le(ct + 16, 0x12345678, 8);
	memcpy(ct + 24, g20, 16);
	put_le(ct + 24 + 16, RSDP_PA, 8);
	rsdp_at(at(s, RSDP_PA), XSDT_PA);
	uint8_t *x = at(s, XSDT_PA);
	put_le(x + 36, FACP_PA, 8);
	put_le(x + 44, IORT_PA, 8);
	sdt_hdr(x, "XSDT", 52);
	sdt_hdr(at(s, FACP_PA), "FACP", 36);
	memcpy(at(s, IORT_PA), t->b, t->len);
}

static void test_uefi_system_table(void **state)
{
	(void)state;
	static struct sparse s;
	static struct tb t;
	uint32_t o[7];
	every_node(&t, o);
	uefi_image(&s, &t, true);
	struct ptdbg_target *tg = ptdbg_sparse_open(s.idx, s.n, true, NULL);
	struct ptdbg_ram ram = { .n = 0 };
	ptdbg_ram_add(&ram, UEFI_RAM, UEFI_TOP - UEFI_RAM);
	assert_int_equal(acpi_iort_find(tg, ACPI_WHERE_UEFI, &ram, &info), 0);
	assert_int_equal(info.rsdp.pa, RSDP_PA);
	assert_int_equal(info.rsdp.revision, 2);
	assert_string_equal(info.rsdp.how, "EFI system table");
	assert_int_equal(info.rsdp.efi_st, ST_PA);
	assert_int_equal(info.rsdp.blocks, 3);
	assert_true(info.xsdt);
	assert_int_equal(info.sdt_pa, XSDT_PA);
	assert_int_equal(info.pa, IORT_PA);
	assert_int_equal(info.nnodes, 7);
	assert_true(info.link_reads > 0);
	ptdbg_target_close(tg);

	/* a system table whose CRC does not hold is not followed; the probe finds the
	 * RSDP itself at its block's start + 0x18, 60 blocks down */
	uefi_image(&s, &t, false);
	tg = ptdbg_sparse_open(s.idx, s.n, true, NULL);
	assert_int_equal(acpi_iort_find(tg, ACPI_WHERE_UEFI, &ram, &info), 0);
	assert_string_equal(info.rsdp.how, "RAM scan");
	assert_int_equal(info.rsdp.pa, RSDP_PA);
	assert_int_equal(info.rsdp.efi_st, 0);
	assert_int_equal(info.rsdp.blocks, 60);
	ptdbg_target_close(tg);

	/* an RSDP with a bad extended checksum is no RSDP; RAM too small to reach any */
	uefi_image(&s, &t, false);
	at(&s, RSDP_PA)[32] ^= 1;
	tg = ptdbg_sparse_open(s.idx, s.n, true, NULL);
	assert_int_equal(acpi_iort_find(tg, ACPI_WHERE_UEFI, &ram, &info), PTDBG_EIO);
	assert_non_null(strstr(ptdbg_target_error(tg), "no ACPI RSDP through an EFI system table"));
	ptdbg_target_close(tg);
	uefi_image(&s, &t, true);
	tg = ptdbg_sparse_open(s.idx, s.n, true, NULL);
	struct ptdbg_ram small = { .n = 0 };
	ptdbg_ram_add(&small, UEFI_RAM, 2 * ACPI_UEFI_BLOCK);
	assert_int_equal(acpi_iort_find(tg, ACPI_WHERE_UEFI, &small, &info), PTDBG_EIO);
	assert_int_equal(info.rsdp.blocks, 2);
	ptdbg_target_close(tg);

	/* a configuration table without an ACPI entry; an XSDT without an IORT */
	uefi_image(&s, &t, true);
	memset(at(&s, CT_PA) + 24, 0, 16);
	uint8_t *st = at(&s, ST_PA);
	put_le(st + EFI_ST_CRC32, 0, 4);
	put_le(st + EFI_ST_CRC32, ptdbg_crc32(0, st, EFI_ST_SIZE), 4);
	tg = ptdbg_sparse_open(s.idx, s.n, true, NULL);
	assert_int_equal(acpi_iort_find(tg, ACPI_WHERE_UEFI, &ram, &info), 0);
	assert_string_equal(info.rsdp.how, "RAM scan"); /* found lower down all the same */
	ptdbg_target_close(tg);
	uefi_image(&s, &t, true);
	memcpy(at(&s, IORT_PA), "APIC", 4);
	tg = ptdbg_sparse_open(s.idx, s.n, true, NULL);
	assert_int_equal(acpi_iort_find(tg, ACPI_WHERE_UEFI, &ram, &info), PTDBG_EIO);
	assert_non_null(strstr(ptdbg_target_error(tg), "no IORT table among the 2 XSDT entries"));
	ptdbg_target_close(tg);
}

static void test_efi_st_valid(void **state)
{
	(void)state;
	uint8_t st[EFI_ST_SIZE] = { 0 };
	memcpy(st, EFI_ST_SIG, 8);
	put_le(st + EFI_ST_HEADER_SIZE, EFI_ST_SIZE, 4);
	put_le(st + EFI_ST_CRC32, ptdbg_crc32(0, st, EFI_ST_SIZE), 4);
	assert_true(acpi_efi_st_valid(st, sizeof(st)));
	assert_false(acpi_efi_st_valid(st, 19));
	put_le(st + EFI_ST_HEADER_SIZE, 4097, 4);
	assert_false(acpi_efi_st_valid(st, sizeof(st)));
	put_le(st + EFI_ST_HEADER_SIZE, 8, 4);
	assert_false(acpi_efi_st_valid(st, sizeof(st)));
	uint8_t r[36] = { 0 };
	rsdp_at(r, 0x1000);
	assert_true(acpi_rsdp_valid(r, 36));
	assert_false(acpi_rsdp_valid(r, 20)); /* revision 2 needs its 36 bytes */
	r[15] = 0;
	r[8] = 0;
	r[8] = (uint8_t)-acpi_checksum(r, 20);
	assert_true(acpi_rsdp_valid(r, 20));
	char txt[7];
	acpi_text_copy(txt, (const uint8_t *)"AB\x1b[\0Z", 6);
	assert_string_equal(txt, "AB?[ Z");
}

/* A BIOS guest: RSDP revision 0 in 0xE0000-0xFFFFF, RSDT, IORT. */
static void test_bios_rsdt(void **state)
{
	(void)state;
	static struct tb t;
	uint32_t o[7];
	every_node(&t, o);
	struct img *im = img_new();
	uint8_t *p = im->buf + 0xf5a10;
	memcpy(p, "RSD PTR ", 8);
	put_le(p + 16, 0x100000, 4);
	p[8] = (uint8_t)-acpi_checksum(p, 20);
	put_le(im->buf + 0x100000 + 36, 0x100200, 4);
	sdt_hdr(im->buf + 0x100000, "RSDT", 40);
	memcpy(im->buf + 0x100200, t.b, t.len);
	assert_int_equal(acpi_iort_find(im->t, ACPI_WHERE_BIOS | ACPI_WHERE_UEFI, NULL, &info), 0);
	assert_string_equal(info.rsdp.how, "BIOS area");
	assert_int_equal(info.rsdp.pa, 0xf5a10);
	assert_false(info.xsdt);
	assert_int_equal(info.pa, 0x100200);
	assert_int_equal(info.nnodes, 7);
	/* a length the table does not have: not read */
	put_le(im->buf + 0x100200 + 4, ACPI_IORT_MAX_LEN + 1, 4);
	assert_int_equal(acpi_iort_find(im->t, ACPI_WHERE_BIOS, NULL, &info), PTDBG_EFORMAT);
	assert_non_null(strstr(ptdbg_target_error(im->t), "out of range"));
	img_free(im);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_virt),
		cmocka_unit_test(test_every_node),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_loops_and_limits),
		cmocka_unit_test(test_uefi_system_table),
		cmocka_unit_test(test_efi_st_valid),
		cmocka_unit_test(test_bios_rsdt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
