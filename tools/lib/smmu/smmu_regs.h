/* SPDX-License-Identifier: MIT */
/*
 * The registers of an SMMUv3, read from guest MMIO through a target and decoded
 * with the layouts of smmu_bits.h.
 *
 * Registers are read with ptdbg_read_reg_batch() at base + offset, one register per
 * read, 4 bytes (8 for the 64-bit BASE and IRQ_CFG0 registers): the SMMU accepts
 * only those. EVENTQ_PROD/CONS and PRIQ_PROD/CONS are read from page 1 (base +
 * 0x10000), where software updates them. Reading has no side effect on the SMMU.
 */
#ifndef PTDBG_SMMU_REGS_H
#define PTDBG_SMMU_REGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "smmu/smmu_bits.h"
#include "target/target.h"

struct ptdbg_json;

/* One register of the map. */

/* The register map, in offset order (IDR0 .. PRIQ_CONS). */
extern const struct ptdbg_dev_reg smmu_reg_map[];
extern const size_t smmu_reg_map_len;

#define SMMU_REGS_MAX 48

/* A snapshot of the registers. err[] is 0 or the PTDBG_E* of that read. */
struct smmu_regs {
	uint64_t base;
	uint64_t val[SMMU_REGS_MAX]; /* indexed like smmu_reg_map */
	int      err[SMMU_REGS_MAX];
};

/* Read every register of the SMMU at base into r. Returns 0 when IDR0, IDR1 and
 * IDR5 were read (other failed reads are recorded in err[]), the read error of one
 * of those, a link error, or PTDBG_EFORMAT if they read as all zeros or all ones,
 * or as no SMMUv3 reads (RES0 bits of IDR0 or AIDR set, no stage, a reserved
 * ST_LEVEL): no SMMU there. */
int smmu_regs_read(struct ptdbg_target *t, uint64_t base, struct smmu_regs *r);
/* The same for the registers that locate and describe the tables: those
 * smmu_hw_from_regs() and smmu_strtab_from_regs() use, and smmu_regs_info()'s
 * identity, enabled, eventq_enabled, cmdq_enabled, gbpa_abort and stream-table
 * fields (IDR0, IDR1, IDR5, AIDR, CR0ACK, GBPA, STRTAB_BASE and its CFG): for
 * commands that show tables, not registers (QEMU answers a register about as
 * slowly as 2 KiB of a table). The rest are marked not read (err PTDBG_ENOTSUP),
 * so cr0_pending, recinvsid and gerror_active read as false. */
int smmu_regs_read_unit(struct ptdbg_target *t, uint64_t base, struct smmu_regs *r);
/* smmu_regs_read (all) or smmu_regs_read_unit (!all), with the memory reads
 * also[0, nalso) in the same batch (ptdbg_read_dev_regs_also; each io's err says
 * whether it was read). */
int smmu_regs_read_also(struct ptdbg_target *t, uint64_t base, struct smmu_regs *r, bool all,
			struct ptdbg_io *also, size_t nalso);

/* A snapshot whose every register reads as zero (and as read), at base: to fill
 * with smmu_regs_set from recorded values. */
void smmu_regs_init(struct smmu_regs *r, uint64_t base);
/* Set the register at offset off (returns false if there is none). */
bool smmu_regs_set(struct smmu_regs *r, unsigned off, uint64_t val);

/* Value of the register at offset off (0 if unknown or unread); *ok (may be NULL)
 * tells whether it was read. */
uint64_t smmu_regs_get(const struct smmu_regs *r, unsigned off, bool *ok);

/* Index in smmu_reg_map of the register at offset off, or -1. */
int smmu_reg_index(unsigned off);

/* Facts derived from the registers. */
struct smmu_unit_info {
	unsigned arch_major, arch_minor;   /* AIDR: SMMUv3.<minor> */
	bool     s1p, s2p;                 /* stages implemented */
	unsigned ttf;                      /* IDR0.TTF */
	bool     st_2lvl, cd2l;            /* two-level stream / CD tables supported */
	unsigned sidsize, ssidsize;        /* stream and substream id bits */
	unsigned cmdqs, eventqs;           /* the largest queues (log2 entries) */
	unsigned oas;                      /* output address size, bits */
	bool     vax;                      /* 52-bit input addresses */
	bool     gran4k, gran16k, gran64k;
	bool     enabled;                  /* CR0ACK.SMMUEN */
	bool     eventq_enabled, cmdq_enabled; /* CR0ACK */
	bool     cr0_pending;              /* CR0 and CR0ACK differ (an update in flight) */
	bool     gbpa_abort;               /* while disabled: abort (else bypass) */
	bool     recinvsid;                /* CR2.RECINVSID */
	uint32_t gerror_active;            /* GERROR ^ GERRORN, error bits */
	uint64_t strtab;                   /* STRTAB_BASE.ADDR */
	unsigned strtab_fmt, strtab_log2size, strtab_split;
};
void smmu_regs_info(const struct smmu_regs *r, struct smmu_unit_info *out);

/* Text: a summary line, then every register field by field. */
void smmu_regs_print(FILE *out, const struct smmu_regs *r);
/* JSON object: {"base", "summary": {...}, "registers": [{name, offset, size, value,
 * fields{...}} | {name, offset, size, error}]}. */
void smmu_regs_json(struct ptdbg_json *j, const struct smmu_regs *r);

#endif /* PTDBG_SMMU_REGS_H */
