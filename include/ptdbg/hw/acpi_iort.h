/* SPDX-License-Identifier: MIT */
/*
 * The ACPI I/O Remapping Table (Arm DEN 0049, IORT revision E.x): how the requester
 * ids of root complexes and the ids of named components reach SMMUs and ITS groups.
 * The byte offsets of the table, of the node header every node starts with, of
 * each node type's body (ITS group, named component, root complex, SMMUv1/v2,
 * SMMUv3, PMCG, RMR) and of an ID mapping; flag bits and type codes.
 *
 * This is the one declaration for kernel and tools. Freestanding: stdint only. All
 * fields are little-endian; every offset in a node is from the node's start, every
 * node reference from the table's start.
 */
#ifndef PTDBG_HW_ACPI_IORT_H
#define PTDBG_HW_ACPI_IORT_H

#include <stdint.h>

#include "ptdbg/hw/acpi.h" /* the system description table header */

/* ---- the table (DEN 0049 3.1) ---- */
#define ACPI_IORT_SIG         "IORT"
#define ACPI_IORT_NNODES      36  /* 32-bit number of nodes */
#define ACPI_IORT_NODE_OFF    40  /* 32-bit offset of the first node */
#define ACPI_IORT_HDR_LEN     48  /* and 4 reserved bytes */

/* ---- the node header (3.2) ---- */
#define ACPI_IORT_N_TYPE      0   /* 8-bit enum acpi_iort_type */
#define ACPI_IORT_N_LENGTH    1   /* 16-bit, the header included */
#define ACPI_IORT_N_REVISION  3
#define ACPI_IORT_N_ID        4   /* 32-bit identifier, unique among nodes (E.a on) */
#define ACPI_IORT_N_NMAPS     8   /* 32-bit number of ID mappings */
#define ACPI_IORT_N_MAPS_OFF  12  /* 32-bit offset of the ID mapping array */
#define ACPI_IORT_N_HDR_LEN   16
enum acpi_iort_type {
	ACPI_IORT_ITS_GROUP = 0, ACPI_IORT_NAMED_COMPONENT = 1, ACPI_IORT_ROOT_COMPLEX = 2,
	ACPI_IORT_SMMU_V1V2 = 3, ACPI_IORT_SMMU_V3 = 4, ACPI_IORT_PMCG = 5, ACPI_IORT_RMR = 6,
};

/* ---- an ID mapping (3.4): ids [input base, input base + count] go to ids from
 * output base at the node the output reference names ---- */
#define ACPI_IORT_M_INPUT     0   /* 32-bit input base */
#define ACPI_IORT_M_COUNT     4   /* 32-bit number of ids in the range, less one */
#define ACPI_IORT_M_OUTPUT    8   /* 32-bit output base */
#define ACPI_IORT_M_REF       12  /* 32-bit output reference: a node's table offset */
#define ACPI_IORT_M_FLAGS     16  /* 32-bit */
#define ACPI_IORT_M_SIZE      20
#define ACPI_IORT_M_SINGLE    0x1 /* flags: a single mapping (the input range is ignored) */

/* Memory access properties (3.5), in named components and root complexes. */
#define ACPI_IORT_MAP_CCA     0   /* 32-bit cache coherent attribute: 1 fully coherent */
#define ACPI_IORT_MAP_AH      4   /* 8-bit allocation hints */
#define ACPI_IORT_MAP_MAF     7   /* 8-bit memory access flags */
#define ACPI_IORT_MAF_CPM     0x1 /* coherent path to memory */
#define ACPI_IORT_MAF_DACS    0x2 /* device attributes are cacheable and inner shareable */

/* ---- ITS group (3.1.1.1) ---- */
#define ACPI_IORT_ITS_COUNT   16  /* 32-bit number of ITSs */
#define ACPI_IORT_ITS_IDS     20  /* 32-bit GIC ITS identifiers */

/* ---- named component (3.1.1.2) ---- */
#define ACPI_IORT_NC_FLAGS    16  /* 32-bit node flags */
#define ACPI_IORT_NC_MEMACC   20  /* 8-byte memory access properties */
#define ACPI_IORT_NC_ADDR_LIMIT 28 /* 8-bit device memory address size limit, bits */
#define ACPI_IORT_NC_NAME     29  /* NUL-terminated ACPI path of the device object */
#define ACPI_IORT_NC_STALL    0x1 /* flags: stall supported */
#define ACPI_IORT_NC_SSID_SHIFT 1 /* flags bits 5:1: substream width */
#define ACPI_IORT_NC_SSID_MASK  0x3e

/* ---- root complex (3.1.1.3) ---- */
#define ACPI_IORT_RC_MEMACC   16  /* 8-byte memory access properties */
#define ACPI_IORT_RC_ATS      24  /* 32-bit ATS attribute: bit 0 ATS supported */
#define ACPI_IORT_RC_SEGMENT  28  /* 32-bit PCI segment number */
#define ACPI_IORT_RC_ADDR_LIMIT 32 /* 8-bit memory address size limit (revision >= 1) */
#define ACPI_IORT_RC_PASID    33  /* 16-bit PASID capabilities (revision >= 4) */
#define ACPI_IORT_RC_FLAGS    36  /* 32-bit flags (revision >= 4): bit 0 PASID forwarding */
#define ACPI_IORT_RC_LEN_V1   33
#define ACPI_IORT_RC_LEN_V4   40
#define ACPI_IORT_RC_ATS_SUPPORTED 0x1
#define ACPI_IORT_RC_PRI_SUPPORTED 0x2  /* ATS attribute bits 1, 2 (E.c on) */
#define ACPI_IORT_RC_PASID_FWD_SUPPORTED 0x4

/* ---- SMMUv1 or SMMUv2 (3.1.1.4) ---- */
#define ACPI_IORT_S2_BASE     16  /* 64-bit */
#define ACPI_IORT_S2_SPAN     24  /* 64-bit */
#define ACPI_IORT_S2_MODEL    32  /* 32-bit */
#define ACPI_IORT_S2_FLAGS    36  /* 32-bit: bit 0 DVM, bit 1 coherent page table walk */
#define ACPI_IORT_S2_GIRQ_OFF 40  /* 32-bit offset of the global interrupt array */
#define ACPI_IORT_S2_NCTX     44  /* 32-bit number of context interrupts */
#define ACPI_IORT_S2_CTX_OFF  48  /* 32-bit offset of the context interrupt array */
#define ACPI_IORT_S2_NPMU     52  /* 32-bit number of PMU interrupts */
#define ACPI_IORT_S2_PMU_OFF  56  /* 32-bit offset of the PMU interrupt array */
#define ACPI_IORT_S2_LEN      60  /* then the arrays */
#define ACPI_IORT_S2_IRQ_SIZE 8   /* an interrupt: 32-bit GSIV, 32-bit flags */
#define ACPI_IORT_S2_GIRQ_SIZE 16 /* NSgIrpt and its flags, NSgCfgIrpt and its flags */

/* ---- SMMUv3 (3.1.1.5) ---- */
#define ACPI_IORT_S3_BASE     16  /* 64-bit register base */
#define ACPI_IORT_S3_FLAGS    24  /* 32-bit */
#define ACPI_IORT_S3_VATOS    32  /* 64-bit VATOS base, 0 if none */
#define ACPI_IORT_S3_MODEL    40  /* 32-bit */
#define ACPI_IORT_S3_EVENT    44  /* 32-bit GSIVs: event queue, PRI queue, GERROR, CMD_SYNC */
#define ACPI_IORT_S3_PRI      48
#define ACPI_IORT_S3_GERR     52
#define ACPI_IORT_S3_SYNC     56
#define ACPI_IORT_S3_PXM      60  /* 32-bit proximity domain (revision >= 2) */
#define ACPI_IORT_S3_DEVID_IDX 64 /* 32-bit index of the mapping of its own MSIs (revision >= 2) */
#define ACPI_IORT_S3_LEN_V1   60
#define ACPI_IORT_S3_LEN_V2   68
#define ACPI_IORT_S3_COHACC   0x1 /* flags: COHACC override */
#define ACPI_IORT_S3_HTTU_SHIFT 1 /* flags bits 2:1: HTTU override */
#define ACPI_IORT_S3_HTTU_MASK  0x6
#define ACPI_IORT_S3_PXM_VALID  0x8
#define ACPI_IORT_S3_DEVID_VALID 0x10
enum acpi_iort_smmuv3_model {
	ACPI_IORT_S3_GENERIC = 0, ACPI_IORT_S3_HISILICON_HI161X = 1, ACPI_IORT_S3_CAVIUM_CN99XX = 2,
};

/* ---- PMCG (3.1.1.6) ---- */
#define ACPI_IORT_PMCG_PAGE0  16  /* 64-bit page 0 base */
#define ACPI_IORT_PMCG_GSIV   24  /* 32-bit overflow interrupt */
#define ACPI_IORT_PMCG_NODE   28  /* 32-bit reference of the node it monitors */
#define ACPI_IORT_PMCG_PAGE1  32  /* 64-bit page 1 base (revision >= 1) */
#define ACPI_IORT_PMCG_LEN_V0 32
#define ACPI_IORT_PMCG_LEN_V1 40

/* ---- RMR, reserved memory ranges (3.1.1.7) ---- */
#define ACPI_IORT_RMR_FLAGS   16  /* 32-bit: bit 0 remapping permitted, bit 1 access privileged */
#define ACPI_IORT_RMR_NDESC   20  /* 32-bit number of memory range descriptors */
#define ACPI_IORT_RMR_DESC_OFF 24 /* 32-bit offset of the descriptor array */
#define ACPI_IORT_RMR_LEN     28
#define ACPI_IORT_RMR_D_BASE  0   /* 64-bit */
#define ACPI_IORT_RMR_D_LEN   8   /* 64-bit */
#define ACPI_IORT_RMR_D_SIZE  20  /* and 4 reserved bytes */

#endif /* PTDBG_HW_ACPI_IORT_H */
