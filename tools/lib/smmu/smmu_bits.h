/* SPDX-License-Identifier: MIT */
/*
 * Arm SMMUv3 bit layouts (IHI 0070 chapters 5-7), declared once as tables, in the
 * field-table form of out/layout.h (struct ptdbg_layout: {name, lsb, width, kind,
 * meaning}; multi-dword structures as little-endian 64-bit dwords, a field's lsb
 * counting from bit 0 of dword 0), printed by its printers (ptdbg_layout_print,
 * ptdbg_layout_json, ptdbg_layout_format), as VT-d's are.
 *
 * The masks the tables follow are those of ptdbg/hw/smmu.h; the unit tests check
 * that every table names exactly the bits the header's reserved-bit functions leave.
 */
#ifndef PTDBG_SMMU_BITS_H
#define PTDBG_SMMU_BITS_H

#include <stddef.h>
#include <stdint.h>

#include "ptdbg/hw/smmu.h"
#include "out/layout.h" /* struct ptdbg_layout and its printers */

/* Register layouts. CR0ACK uses the CR0 layout, IRQ_CTRLACK IRQ_CTRL's, GERRORN
 * GERROR's, EVENTQ_BASE and PRIQ_BASE CMDQ_BASE's. */
extern const struct ptdbg_layout smmu_layout_idr0, smmu_layout_idr1, smmu_layout_idr2,
	smmu_layout_idr3, smmu_layout_idr4, smmu_layout_idr5, smmu_layout_iidr,
	smmu_layout_aidr, smmu_layout_cr0, smmu_layout_cr1, smmu_layout_cr2,
	smmu_layout_statusr, smmu_layout_gbpa, smmu_layout_agbpa, smmu_layout_irq_ctrl,
	smmu_layout_gerror, smmu_layout_irq_cfg0, smmu_layout_irq_cfg1, smmu_layout_irq_cfg2,
	smmu_layout_strtab_base, smmu_layout_strtab_base_cfg, smmu_layout_q_base,
	smmu_layout_q_prod, smmu_layout_q_cons, smmu_layout_cmdq_cons;

/* Structure layouts: STE (512 bits), level-1 stream table descriptor (64), CD
 * (512), level-1 CD descriptor (64), event record (256), command (128). */
extern const struct ptdbg_layout smmu_layout_ste, smmu_layout_l1std, smmu_layout_cd,
	smmu_layout_l1cd, smmu_layout_event, smmu_layout_cmd;

/* Names of enumerated values ("?" or "reserved" for the others). */
const char *smmu_ste_config_name(unsigned config); /* "abort", "bypass", "stage1", ... */
const char *smmu_s1fmt_name(unsigned fmt);         /* "linear", "2-level/4K", "2-level/64K" */
const char *smmu_s1dss_name(unsigned dss);         /* "terminate", "bypass", "substream0" */
const char *smmu_strw_name(unsigned strw);
const char *smmu_eats_name(unsigned eats);
const char *smmu_strtab_fmt_name(unsigned fmt);    /* "linear", "2-level" */
const char *smmu_tg0_name(unsigned tg);            /* "4K", "64K", "16K" */
const char *smmu_tg1_name(unsigned tg);
const char *smmu_cmdq_err_name(unsigned err);      /* "none", "CERROR_ILL", ... */
const char *smmu_event_class_name(unsigned cls);   /* "CD", "TT", "IN" */
/* Granule in bytes of a TG0 / TG1 / STE.S2TG encoding (0: reserved). */
uint64_t smmu_tg0_bytes(unsigned tg);
uint64_t smmu_tg1_bytes(unsigned tg);

/* Command opcodes: name ("CMD_SYNC", "CFGI_STE", ...; NULL if unassigned). */
const char *smmu_cmd_name(unsigned opcode);

/* Event types: name ("F_TRANSLATION", ...; NULL if unassigned) and meaning. */
const char *smmu_event_name(unsigned type);
const char *smmu_event_desc(unsigned type);

/* GERROR bits: name of bit (0..31) ("CMDQ_ERR", ...; NULL if none) and meaning. */
const char *smmu_gerror_bit_name(unsigned bit);
const char *smmu_gerror_bit_desc(unsigned bit);

#endif /* PTDBG_SMMU_BITS_H */
