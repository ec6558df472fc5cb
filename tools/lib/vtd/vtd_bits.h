/* SPDX-License-Identifier: MIT */
/*
 * Intel VT-d bit layouts (VT-d specification, chapters 9 and 10), declared once as
 * tables.
 *
 * The layouts are field tables (out/layout.h). Registers are 32 or 64 bits; table
 * entries are 128 bits (root, legacy context, fault record), 256 bits
 * (scalable-mode context) or 512 bits (PASID table entry). Every decoder, printer
 * and check reads these tables; nothing tests VT-d bits by hand except through the
 * VTD_* masks of ptdbg/hw/vtd.h.
 *
 * Second-level paging entries also have a compact flag table (struct
 * ptdbg_bit_table, the form x86_bits.h uses) for one-line printing.
 */
#ifndef PTDBG_VTD_BITS_H
#define PTDBG_VTD_BITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "x86/x86_bits.h" /* struct ptdbg_bit_table, ptdbg_bits_format() */

/* The registers' and entries' fields as masks, and their reserved bits: declared
 * once, for the kernel and the tools. */
#include "ptdbg/hw/vtd.h"

#include "out/layout.h" /* struct ptdbg_layout and its printers */

/* Register layouts. */
extern const struct ptdbg_layout vtd_layout_ver, vtd_layout_cap, vtd_layout_ecap,
	vtd_layout_gcmd, vtd_layout_gsts, vtd_layout_rtaddr, vtd_layout_ccmd,
	vtd_layout_fsts, vtd_layout_fectl, vtd_layout_fedata, vtd_layout_feaddr,
	vtd_layout_feuaddr, vtd_layout_aflog, vtd_layout_pmen, vtd_layout_plmbase,
	vtd_layout_plmlimit, vtd_layout_phmbase, vtd_layout_phmlimit, vtd_layout_iqh,
	vtd_layout_iqt, vtd_layout_iqa, vtd_layout_ics, vtd_layout_iectl,
	vtd_layout_iqercd, vtd_layout_irta, vtd_layout_pqh, vtd_layout_pqt,
	vtd_layout_pqa, vtd_layout_prs, vtd_layout_iva, vtd_layout_iotlb,
	vtd_layout_frcd, vtd_layout_msi_data, vtd_layout_msi_addr, vtd_layout_msi_uaddr;

/* Entry layouts. */
extern const struct ptdbg_layout vtd_layout_root, vtd_layout_smroot, vtd_layout_ctx,
	vtd_layout_smctx, vtd_layout_pasid_dir, vtd_layout_pasid_entry,
	vtd_layout_sl_table, vtd_layout_sl_leaf;

/* Compact flag table of a second-level entry (R W X SNP TM A D IPAT ...). */
extern const struct ptdbg_bit_table vtd_bits_sl_entry;

/* Names of enumerated values ("?" for unknown ones). */
const char *vtd_ttm_name(unsigned ttm);     /* "legacy", "scalable", ... */
const char *vtd_tt_name(unsigned tt);       /* legacy context TT */
const char *vtd_pgtt_name(unsigned pgtt);   /* "first-level", "second-level", ... */
/* Address width and table levels of an AW / SAGAW bit index (0..4): 30/2, 39/3,
 * 48/4, 57/5, 64/6; 0 for unknown. */
unsigned vtd_aw_bits(unsigned aw);
unsigned vtd_aw_levels(unsigned aw);

#endif /* PTDBG_VTD_BITS_H */
