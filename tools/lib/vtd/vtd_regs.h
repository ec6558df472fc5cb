/* SPDX-License-Identifier: MIT */
/*
 * The registers of a VT-d remapping unit (DRHD), read from guest MMIO through a
 * target and decoded with the layouts of vtd_bits.h.
 *
 * Registers are read with ptdbg_read_reg_batch() at drhd_base + offset, one register per
 * read, with the register's own size (4 or 8 bytes): the unit only accepts 4- and
 * 8-byte accesses. The IOTLB registers sit at ECAP.IRO*16 (IVA) and +8 (IOTLB);
 * the fault recording registers at CAP.FRO*16, 16 bytes each, CAP.NFR+1 of them.
 * Reading has no side effects on the unit (all of these are plain loads).
 */
#ifndef PTDBG_VTD_REGS_H
#define PTDBG_VTD_REGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "target/target.h"
#include "vtd/vtd_bits.h"

struct ptdbg_json;

/* One register of the fixed map. */

/* The fixed register map, in offset order (VER .. PEUADDR). */
extern const struct ptdbg_dev_reg vtd_reg_map[];
extern const size_t vtd_reg_map_len;

#define VTD_REGS_MAX_FIXED 48
#define VTD_REGS_MAX_FRCD  256

/* A snapshot of a unit's registers. err[] is 0 or the PTDBG_E* of that read. */
struct vtd_regs {
	uint64_t base;
	uint64_t val[VTD_REGS_MAX_FIXED];   /* indexed like vtd_reg_map */
	int      err[VTD_REGS_MAX_FIXED];
	uint64_t iotlb_off;                 /* ECAP.IRO*16 (IVA), +8 IOTLB */
	uint64_t iva, iotlb;
	int      iva_err, iotlb_err;
	uint64_t frcd_off;                  /* CAP.FRO*16 */
	unsigned nfrcd;                     /* CAP.NFR+1, clamped to VTD_REGS_MAX_FRCD */
	bool     frcd_clamped;
	uint64_t frcd[VTD_REGS_MAX_FRCD][2];
	int      frcd_err[VTD_REGS_MAX_FRCD];
};

/* Read every register of the unit at base into r. Returns 0 when VER, CAP and ECAP
 * were read (other failed reads are recorded in err[]), the read error of one of
 * those three, or PTDBG_EFORMAT if they read as all ones or zero (no unit there). */
int vtd_regs_read(struct ptdbg_target *t, uint64_t base, struct vtd_regs *r);
/* The same for VER, CAP, ECAP, GSTS and RTADDR alone, what vtd_regs_info() and
 * vtd_hw_from_regs() use: for commands that show tables, not registers (a round
 * trip of QEMU's costs about as much per register as per 2 KiB of a table). The
 * rest are marked not read (err PTDBG_ENOTSUP). */
int vtd_regs_read_unit(struct ptdbg_target *t, uint64_t base, struct vtd_regs *r);
/* vtd_regs_read (all) or vtd_regs_read_unit (!all), with the memory reads
 * also[0, nalso) in the first batch (ptdbg_read_dev_regs_also; each io's err says
 * whether it was read). */
int vtd_regs_read_also(struct ptdbg_target *t, uint64_t base, struct vtd_regs *r, bool all,
		       struct ptdbg_io *also, size_t nalso);

/* Value of the register at offset off in r (0 if unknown or unread); *ok (may be
 * NULL) tells whether it was read. */
uint64_t vtd_regs_get(const struct vtd_regs *r, unsigned off, bool *ok);

/* Index in vtd_reg_map of the register at offset off, or -1. */
int vtd_reg_index(unsigned off);

/* Facts derived from CAP/ECAP/GSTS/RTADDR. */
struct vtd_unit_info {
	unsigned version_major, version_minor;
	unsigned mgaw;          /* CAP.MGAW+1 */
	unsigned sagaw;         /* bit i: AW i supported */
	unsigned nfr;           /* records */
	uint64_t fro, iro;      /* byte offsets */
	unsigned sllps;         /* bit 0: 2 MiB, bit 1: 1 GiB */
	bool     translation_enabled, root_set, ir_enabled, qi_enabled;
	bool     sc, dt, pt, smts, caching_mode;
	uint64_t root_table;    /* RTADDR.RTA */
	unsigned ttm;           /* enum vtd_ttm */
};
void vtd_regs_info(const struct vtd_regs *r, struct vtd_unit_info *out);

/* Text: every register, field by field, then the IOTLB and fault recording
 * registers. */
void vtd_regs_print(FILE *out, const struct vtd_regs *r);
/* JSON object: {"base", "registers": [{name, offset, size, value, fields{...}}],
 * "iotlb": ..., "fault_records": [...]}. */
void vtd_regs_json(struct ptdbg_json *j, const struct vtd_regs *r);

#endif /* PTDBG_VTD_REGS_H */
