/* SPDX-License-Identifier: MIT */
/*
 * VT-d translation structures above the page tables (VT-d chapter 9): root entries
 * and context entries in legacy and scalable mode, PASID directory and PASID table
 * entries, and the lookup that takes a requester id (and PASID) from the root table
 * to the second-level table the unit would walk, with the fault reason the unit
 * would record if it stops on the way.
 *
 * Reserved-bit checks follow the specification and what QEMU 7.2 enforces: address
 * fields above the host address width are reserved (QEMU uses its aw-bits for
 * both the host and the guest address width).
 */
#ifndef PTDBG_VTD_TABLES_H
#define PTDBG_VTD_TABLES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "target/mem.h"
#include "vtd/vtd_bits.h"

struct vtd_regs;

/* What the checks need to know about the remapping unit. */
struct vtd_hw {
	unsigned haw;     /* host address width in bits (DMAR HAW+1; 0: 52) */
	unsigned mgaw;    /* CAP.MGAW+1 (0: 64, unchecked) */
	unsigned sagaw;   /* CAP.SAGAW bits (0: any AW accepted) */
	unsigned sllps;   /* CAP.SLLPS: bit 0 2 MiB, bit 1 1 GiB */
	bool     sc, dt, pt; /* ECAP snoop control, device TLB, pass-through */
	bool     scalable;   /* RTADDR.TTM = scalable */
	bool     legacy_reasons; /* page-walk faults in scalable mode reported with the
				    legacy codes (0x4-0x7, 0xc), as QEMU 7.2 records them,
				    instead of the scalable-mode codes the spec gives */
};

/* Fill hw from a register snapshot (haw = MGAW unless haw_bits is nonzero). */
void vtd_hw_from_regs(struct vtd_hw *hw, const struct vtd_regs *r, unsigned haw_bits);

/* Mask of bits 63:haw (the reserved address bits) for hw. */
uint64_t vtd_hw_addr_rsvd(const struct vtd_hw *hw);

/* Reserved bits set in an entry (0 if none), word by word into rsvd[] (same number
 * of words as the entry); returns nonzero if any bit is set. */
bool vtd_root_reserved(const struct vtd_hw *hw, const uint64_t e[2], uint64_t rsvd[2]);
bool vtd_smroot_reserved(const struct vtd_hw *hw, const uint64_t e[2], uint64_t rsvd[2]);
bool vtd_ctx_reserved(const struct vtd_hw *hw, const uint64_t e[2], uint64_t rsvd[2]);
bool vtd_smctx_reserved(const struct vtd_hw *hw, const uint64_t e[4], uint64_t rsvd[4]);
bool vtd_pasid_dir_reserved(const struct vtd_hw *hw, uint64_t e, uint64_t *rsvd);
bool vtd_pasid_entry_reserved(const struct vtd_hw *hw, const uint64_t e[8], uint64_t rsvd[8]);

/* Requests without PASID use the context's RID_PASID (scalable mode). */
#define VTD_NO_PASID 0xffffffffu

/* Where the lookup stopped. */
enum vtd_stage {
	VTD_STAGE_ROOT = 1, VTD_STAGE_CONTEXT, VTD_STAGE_PASID_DIR, VTD_STAGE_PASID_ENTRY,
	VTD_STAGE_DONE,
};
const char *vtd_stage_name(enum vtd_stage s);

/* How the device's requests are translated once the lookup succeeded. */
enum vtd_xlate {
	VTD_XL_NONE = 0,       /* lookup failed (see reason) */
	VTD_XL_SECOND_LEVEL,   /* through the second-level table sl_root */
	VTD_XL_PASSTHROUGH,    /* IOVA = physical address */
	VTD_XL_FIRST_LEVEL,    /* first-level only (not decoded further here) */
	VTD_XL_NESTED,         /* first level nested over second level */
};
const char *vtd_xlate_name(enum vtd_xlate x);

/* The outcome of a lookup, with every entry read on the way. */
struct vtd_dev_lookup {
	uint16_t bdf;
	uint32_t pasid;          /* PASID used (RID_PASID if the request had none) */
	bool     scalable;
	uint64_t root_table;
	uint64_t root_pa;        uint64_t root[2];
	uint64_t ctx_pa;         uint64_t ctx[4];   /* legacy: ctx[0..1] */
	uint64_t pde_pa;         uint64_t pde;
	uint64_t pe_pa;          uint64_t pe[8];
	enum vtd_stage stage;    /* last stage reached (DONE on success) */
	unsigned reason;         /* fault reason code (enum vtd_fault_reason), 0 if none */
	uint64_t rsvd[8];        /* offending reserved bits of the stopping entry */
	int      read_err;       /* PTDBG_E* if a read failed */
	enum vtd_xlate xlate;
	uint64_t sl_root;        /* second-level table (VTD_XL_SECOND_LEVEL / NESTED) */
	uint64_t fl_root;        /* first-level table (FIRST_LEVEL / NESTED) */
	unsigned aw;             /* AW field (levels = aw + 2) */
	unsigned aw_bits, levels;
	uint16_t did;
	bool     fpd;            /* fault processing disabled on the way (context, PDE or PE) */
};

/* The root entry of requester bdf's bus in the root table at root_table (RTADDR,
 * its mode bits ignored): where vtd_dev_lookup() reads first. */
uint64_t vtd_root_entry_pa(uint64_t root_table, uint16_t bdf);

/* Look up requester bdf (and pasid, or VTD_NO_PASID) from the root table at
 * root_table through mem. Returns 0 with *out filled (out->reason says whether the
 * unit would fault), or a link error from the target. */
int vtd_dev_lookup(struct ptdbg_mem *mem, const struct vtd_hw *hw, uint64_t root_table,
		   uint16_t bdf, uint32_t pasid, struct vtd_dev_lookup *out);

#endif /* PTDBG_VTD_TABLES_H */
