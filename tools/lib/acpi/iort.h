/* SPDX-License-Identifier: MIT */
/*
 * The ACPI IORT (Arm DEN 0049, revision E.x) in guest memory: found through the
 * RSDP and the XSDT (acpi.h), parsed into its nodes (ITS group, named component,
 * root complex, SMMUv1/v2, SMMUv3, PMCG, RMR) and their ID mappings, and the
 * question iommudump asks of it: which SMMU, and which stream ids, serve the
 * requester ids of a root complex (or the ids of a named component).
 *
 * Everything is guest-controlled: the table's length is bounded (64 KiB), every
 * node must lie in the table with a length of at least its header, every offset
 * (ID mapping array, interrupt arrays, range descriptors, output references) is
 * checked against its node or the table, counts are clamped, a chain of mappings
 * is followed at most ACPI_IORT_MAX_HOPS steps, and the checksum is verified and
 * reported (a bad one is a note, not an error). What was clamped or malformed is
 * said in notes.
 */
#ifndef PTDBG_ACPI_IORT_H
#define PTDBG_ACPI_IORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ptdbg/hw/acpi_iort.h" /* offsets, types and flags: declared once */
#include "acpi/acpi.h"
#include "target/target.h"

struct ptdbg_json;

#define ACPI_IORT_MAX_LEN    (64u << 10)
#define ACPI_IORT_MAX_NODES  64
#define ACPI_IORT_MAX_MAPS   256   /* ID mappings of all nodes together */
#define ACPI_IORT_MAX_IDS    16    /* ITS identifiers, interrupts, ranges kept per node */
#define ACPI_IORT_NAME_LEN   64
#define ACPI_IORT_MAX_HOPS   8

struct acpi_iort_map {
	uint32_t input, count;     /* ids [input, input + count] (count: the field, one less) */
	uint32_t output;
	uint32_t ref;              /* the output node's offset in the table */
	uint32_t flags;            /* ACPI_IORT_M_SINGLE */
	int target;                /* index of the output node in nodes[], -1 if none is there */
};

struct acpi_iort_irq { uint32_t gsiv, flags; };

struct acpi_iort_node {
	uint8_t  type;             /* enum acpi_iort_type */
	uint8_t  revision;
	uint16_t length;
	uint32_t offset;           /* in the table: what output references name */
	uint32_t id;               /* identifier */
	uint32_t nmaps_declared;
	unsigned map0, nmaps;      /* maps[map0, map0 + nmaps) */
	union {
		struct {           /* ITS group */
			uint32_t count;
			unsigned nids;
			uint32_t ids[ACPI_IORT_MAX_IDS];
		} its;
		struct {           /* named component */
			uint32_t flags, cca;
			uint8_t  ah, maf, addr_limit;
			char     name[ACPI_IORT_NAME_LEN];
		} nc;
		struct {           /* root complex */
			uint32_t cca, ats, segment, flags;
			uint8_t  ah, maf, addr_limit;
			uint16_t pasid_caps;
			bool     has_limit, has_pasid;
		} rc;
		struct {           /* SMMUv1/v2 */
			uint64_t base, span;
			uint32_t model, flags;
			struct acpi_iort_irq nsg_irpt, nsg_cfg_irpt;
			bool     has_girq;
			uint32_t nctx, npmu;
			unsigned nctx_kept, npmu_kept;
			struct acpi_iort_irq ctx[ACPI_IORT_MAX_IDS], pmu[ACPI_IORT_MAX_IDS];
		} smmu2;
		struct {           /* SMMUv3 */
			uint64_t base, vatos;
			uint32_t flags, model, event, pri, gerr, sync, pxm, devid_idx;
			bool     has_pxm, has_devid;
		} smmu3;
		struct {           /* PMCG */
			uint64_t page0, page1;
			uint32_t gsiv, node_ref;
			int      node;         /* index of the node it monitors, -1 */
			bool     has_page1;
		} pmcg;
		struct {           /* RMR */
			uint32_t flags, ndesc;
			unsigned nkept;
			struct { uint64_t base, len; } desc[ACPI_IORT_MAX_IDS];
		} rmr;
	} u;
};

struct acpi_iort_info {
	struct acpi_rsdp rsdp;
	uint64_t sdt_pa;           /* the XSDT or RSDT that listed it */
	bool     xsdt;
	uint64_t pa;
	uint32_t len;
	uint8_t  revision;
	bool     checksum_ok;
	char     oem_id[7], oem_table_id[9];
	uint32_t nnodes_declared, node_off;
	unsigned nnodes;
	struct acpi_iort_node nodes[ACPI_IORT_MAX_NODES];
	unsigned nmaps;
	struct acpi_iort_map maps[ACPI_IORT_MAX_MAPS];
	uint64_t link_reads;       /* acpi_iort_find: the target's reads it took */
	char     notes[512];       /* what was clamped or malformed, "" if nothing */
};

/* Where an id of a node goes: the first SMMU on the way and the id it sees there,
 * and where the chain ends (an ITS group, or a node with no mapping for it). */
struct acpi_iort_route {
	int      smmu;             /* node index of the SMMU (v3 or v1/v2), -1 if none */
	uint32_t stream;           /* the id the SMMU sees */
	int      end;              /* node index where the chain stops */
	uint32_t end_id;
	unsigned hops;
};

/* Parse an IORT image buf[0, len) into out (rsdp, sdt, pa and link_reads are left
 * as they are). Returns 0, or PTDBG_EFORMAT with out->notes saying why (not an
 * IORT, or a length field out of range); anything else malformed is a note. */
int acpi_iort_parse(const uint8_t *buf, size_t len, struct acpi_iort_info *out);

/* Find the RSDP (where: ACPI_WHERE_*, ram as for acpi_rsdp_find), the IORT among
 * the XSDT's entries, read and parse it. Returns 0, PTDBG_EIO (no RSDP or no IORT:
 * the target's error line says which), PTDBG_EFORMAT, or a link error. */
int acpi_iort_find(struct ptdbg_target *t, unsigned where, const struct ptdbg_ram *ram,
		   struct acpi_iort_info *out);

/* "ITS group", "named component", "root complex", "SMMUv1/v2", "SMMUv3", "PMCG",
 * "RMR", or "type N". */
const char *acpi_iort_type_name(unsigned type);
/* "generic", "HiSilicon Hi161x", "Cavium CN99xx", or "model N". */
const char *acpi_iort_smmuv3_model_name(uint32_t model);

/* The index of the node at table offset off, or -1. */
int acpi_iort_node_at(const struct acpi_iort_info *d, uint32_t off);
/* The index of the first SMMUv3 node (with base, if base is not 0), or -1. */
int acpi_iort_smmuv3(const struct acpi_iort_info *d, uint64_t base);

/* Follow id from node index n through the ID mappings (a single mapping matches
 * any id) until an ITS group, a node without a matching mapping, or
 * ACPI_IORT_MAX_HOPS steps. Returns whether node n maps id at all. */
bool acpi_iort_route(const struct acpi_iort_info *d, int n, uint32_t id, struct acpi_iort_route *r);

/* The SMMU that serves requester id rid of PCI segment seg, and its stream id:
 * returns the SMMU's node index, or -1 (no root complex of that segment maps rid
 * to an SMMU). */
int acpi_iort_smmu_for_rid(const struct acpi_iort_info *d, uint32_t seg, uint32_t rid, uint32_t *stream);

/* The table, node by node, then which SMMU serves which ids of every root complex
 * and named component. */
void acpi_iort_print(FILE *out, const struct acpi_iort_info *d);
void acpi_iort_json(struct ptdbg_json *j, const struct acpi_iort_info *d);

#endif /* PTDBG_ACPI_IORT_H */
