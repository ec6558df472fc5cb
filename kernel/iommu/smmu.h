/*
 * The Arm SMMUv3 driver (AArch64, QEMU virt with iommu=smmuv3), programmed the way
 * Linux's arm-smmu-v3 programs it: found from the device tree (the smmuv3 node's
 * registers, the PCIe node's iommu-map for stream ids), global bypass set to abort,
 * a stream table (linear, or two-level with strtab=2lvl), a command queue and an
 * event queue in memory, every CR0 change acknowledged through CR0ACK, and no
 * interrupts: the driver polls. Layouts: include/ptdbg/hw/smmu.h.
 *
 * Each device domain is one stream table entry with stage-1 translation and one
 * context descriptor whose TTB0 is a table of the page-table module in the CPU's
 * VMSAv8-64 format (mm/pt.h). Commands wait (bounded) for the queue to consume
 * them and check GERROR after each; an error panics with the command and the
 * CMDQ_CONS error code.
 */
#ifndef KERNEL_IOMMU_SMMU_H
#define KERNEL_IOMMU_SMMU_H

#include <stdint.h>

#include "ptdbg/hw/smmu.h"

struct smmu_unit {
	uint64_t base;            /* registers (physical), 0 if the tree has none */
	volatile uint8_t *regs;   /* pages 0 and 1, mapped uncached */
	uint32_t idr0, idr1, idr5;
	unsigned sid_bits, ssid_bits, oas_bits;
	/* PCIe requester id -> stream id (the root's iommu-map, first entry) */
	uint32_t rid_base, sid_base, rid_len;
	int two_level;            /* stream table format */
	uint64_t strtab;          /* linear table or level-1 table (physical) */
	uint64_t strtab_base, strtab_cfg; /* as written */
	unsigned log2size, split;
	uint64_t l2[1u << 8];     /* two-level: level-2 tables by level-1 index */
	uint64_t cmdq, cmdq_base; unsigned cmdq_log2; uint32_t cmdq_prod;
	uint64_t evtq, evtq_base; unsigned evtq_log2;
	int enabled;
};
extern struct smmu_unit smmu;

/* The device tree told the kernel: the SMMU's register base, and the PCIe root's
 * iommu-map (requester ids [rid_base, rid_base+len) are stream ids from sid_base). */
void smmu_set_base(uint64_t pa);
void smmu_set_iommu_map(uint32_t rid_base, uint32_t sid_base, uint32_t len);
/* Reset and enable the unit once (later calls return the first result): 0, or -1
 * when the tree has no SMMU. Panics when the unit does not acknowledge. */
int smmu_init(void);
static inline int smmu_enabled(void) { return smmu.enabled; }
/* Stream id of a PCI requester id. */
uint32_t smmu_sid_of_rid(uint16_t rid);

/* Write the context descriptor at cd (64 bytes, physical) for a stage-1 table at
 * ttb0 of ias input bits and granule 1 << gshift, with asid; record = CD.R. */
void smmu_write_cd(uint64_t cd, uint64_t ttb0, unsigned ias, unsigned gshift, uint16_t asid,
		   int record);
/* Point the stream's STE at the CD (stage 1, one context) and make the SMMU fetch
 * it (CFGI_STE, CFGI_CD, CMD_SYNC). Returns the STE's physical address. */
uint64_t smmu_attach_stream(uint32_t sid, uint64_t cd);
/* Invalidate the TLB entries of asid: all of them, or one page at iova. */
void smmu_tlbi_asid(uint16_t asid);
void smmu_tlbi_va(uint16_t asid, uint64_t iova);

/* An event record, decoded. */
struct smmu_event {
	uint8_t type;
	uint32_t sid, ssid;
	int ssv, rnw, pnu, ind, s2;
	uint64_t input_addr, ipa;
	uint64_t raw[4];
};
/* Read the records between EVENTQ_CONS and EVENTQ_PROD without consuming them (a
 * debugger sees them pending): up to max into out; *overflow gets PROD.OVFLG ^
 * CONS.OVACKFLG, *gerror the active GERROR bits. Returns how many are pending. */
int smmu_peek_events(struct smmu_event *out, int max, int *overflow, uint32_t *gerror);
/* Name of an event type ("F_TRANSLATION", ...). */
const char *smmu_event_name(unsigned type);

/* Damage for the corrupt scenario, with the unit on and no stream in use:
 * STRTAB_BASE set to pa (SMMUEN off and on around it, the STE cache invalidated);
 * the STE of sid made valid over a two-level CD table whose level-1 descriptor 0
 * points at that table itself (returns the STE's address); the event queue's
 * PROD and CONS registers written as given. smmu_reg32() reads a register back. */
void smmu_damage_strtab(uint64_t pa);
uint64_t smmu_damage_cd_self(uint32_t sid);
void smmu_damage_evtq_index(uint32_t prod, uint32_t cons);
uint32_t smmu_reg32(unsigned off);

#endif
