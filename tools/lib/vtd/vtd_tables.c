/* SPDX-License-Identifier: MIT */
/*
 * Root, context and PASID structures of VT-d, and the device lookup (see
 * vtd_tables.h).
 */
#include <string.h>

#include "vtd/vtd_fault.h"
#include "vtd/vtd_regs.h"
#include "vtd/vtd_tables.h"

void vtd_hw_from_regs(struct vtd_hw *hw, const struct vtd_regs *r, unsigned haw_bits)
{
	uint64_t cap = vtd_regs_get(r, VTD_REG_CAP, NULL);
	uint64_t ecap = vtd_regs_get(r, VTD_REG_ECAP, NULL);
	uint64_t rta = vtd_regs_get(r, VTD_REG_RTADDR, NULL);

	memset(hw, 0, sizeof(*hw));
	hw->mgaw = VTD_CAP_MGAW(cap);
	hw->haw = haw_bits ? haw_bits : hw->mgaw;
	hw->sagaw = VTD_CAP_SAGAW(cap);
	hw->sllps = VTD_CAP_SLLPS(cap);
	hw->sc = ecap & VTD_ECAP_SC;
	hw->dt = ecap & VTD_ECAP_DT;
	hw->pt = ecap & VTD_ECAP_PT;
	hw->scalable = VTD_RTADDR_TTM(rta) == VTD_TTM_SCALABLE;
}

uint64_t vtd_hw_addr_rsvd(const struct vtd_hw *hw)
{
	return vtd_addr_rsvd(hw->haw);
}

bool vtd_root_reserved(const struct vtd_hw *hw, const uint64_t e[2], uint64_t rsvd[2])
{
	rsvd[0] = e[0] & vtd_root_lo_rsvd(hw->haw);
	rsvd[1] = e[1];
	return rsvd[0] || rsvd[1];
}

bool vtd_smroot_reserved(const struct vtd_hw *hw, const uint64_t e[2], uint64_t rsvd[2])
{
	rsvd[0] = e[0] & vtd_smroot_rsvd(hw->haw);
	rsvd[1] = e[1] & vtd_smroot_rsvd(hw->haw);
	return rsvd[0] || rsvd[1];
}

bool vtd_ctx_reserved(const struct vtd_hw *hw, const uint64_t e[2], uint64_t rsvd[2])
{
	rsvd[0] = e[0] & vtd_ctx_lo_rsvd(hw->haw);
	rsvd[1] = e[1] & VTD_CTX_HI_RSVD;
	return rsvd[0] || rsvd[1];
}

bool vtd_smctx_reserved(const struct vtd_hw *hw, const uint64_t e[4], uint64_t rsvd[4])
{
	rsvd[0] = e[0] & vtd_smctx_w0_rsvd(hw->haw);
	rsvd[1] = e[1] & VTD_SMCTX_W1_RSVD;
	rsvd[2] = e[2];
	rsvd[3] = e[3];
	return rsvd[0] || rsvd[1] || rsvd[2] || rsvd[3];
}

bool vtd_pasid_dir_reserved(const struct vtd_hw *hw, uint64_t e, uint64_t *rsvd)
{
	*rsvd = e & vtd_pde_rsvd(hw->haw);
	return *rsvd != 0;
}

bool vtd_pasid_entry_reserved(const struct vtd_hw *hw, const uint64_t e[8], uint64_t rsvd[8])
{
	bool any = false;
	rsvd[0] = e[0] & vtd_pe_w0_rsvd(hw->haw);
	rsvd[1] = e[1] & VTD_PE_W1_RSVD;
	rsvd[2] = e[2] & vtd_pe_w2_rsvd(hw->haw);
	for (int i = 3; i < 8; i++)
		rsvd[i] = e[i];
	for (int i = 0; i < 8; i++)
		any |= rsvd[i] != 0;
	return any;
}

const char *vtd_stage_name(enum vtd_stage s)
{
	switch (s) {
	case VTD_STAGE_ROOT:        return "root entry";
	case VTD_STAGE_CONTEXT:     return "context entry";
	case VTD_STAGE_PASID_DIR:   return "PASID directory entry";
	case VTD_STAGE_PASID_ENTRY: return "PASID table entry";
	case VTD_STAGE_DONE:        return "done";
	}
	return "?";
}

const char *vtd_xlate_name(enum vtd_xlate x)
{
	switch (x) {
	case VTD_XL_NONE:         return "none";
	case VTD_XL_SECOND_LEVEL: return "second-level";
	case VTD_XL_PASSTHROUGH:  return "pass-through";
	case VTD_XL_FIRST_LEVEL:  return "first-level";
	case VTD_XL_NESTED:       return "nested";
	}
	return "?";
}

/* Read n little-endian words at pa. */
static int read_words(struct ptdbg_mem *mem, uint64_t pa, uint64_t *w, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		int rc = ptdbg_mem_read_u64(mem, pa + 8ull * i, &w[i]);
		if (rc)
			return rc;
	}
	return 0;
}

/* Stop the lookup at stage with reason; returns 0 unless rc is a link error. */
static int stop(struct vtd_dev_lookup *o, enum vtd_stage stage, unsigned reason, int rc)
{
	o->stage = stage;
	o->reason = reason;
	o->read_err = rc;
	o->xlate = VTD_XL_NONE;
	return ptdbg_link_error(rc) ? rc : 0;
}

static bool aw_supported(const struct vtd_hw *hw, unsigned aw)
{
	if (!vtd_aw_bits(aw) || aw == 4)
		return false;
	return hw->sagaw == 0 || (hw->sagaw & (1u << aw));
}

/* Scalable-mode part after the context entry: PASID directory and table. */
static int lookup_pasid(struct ptdbg_mem *mem, const struct vtd_hw *hw, uint32_t pasid,
			struct vtd_dev_lookup *o)
{
	uint64_t pdts_entries = 1ull << (VTD_SMCTX_PDTS(o->ctx[0]) + 7);
	uint64_t dir_index = (pasid >> 6) & 0x3fff;
	int rc;

	if (pasid == VTD_NO_PASID) {
		pasid = VTD_SMCTX_RID_PASID(o->ctx[1]);
	} else if (!(o->ctx[0] & VTD_SMCTX_PASIDE)) {
		return stop(o, VTD_STAGE_CONTEXT, 0x45, 0);
	}
	o->pasid = pasid;
	dir_index = (pasid >> 6) & 0x3fff;
	if (dir_index >= pdts_entries)
		return stop(o, VTD_STAGE_CONTEXT, VTD_FR_SM_PASID_TOO_BIG, 0);

	o->pde_pa = (o->ctx[0] & VTD_SMCTX_PASIDDIRPTR & ~vtd_hw_addr_rsvd(hw)) + dir_index * 8;
	rc = read_words(mem, o->pde_pa, &o->pde, 1);
	if (rc)
		return stop(o, VTD_STAGE_PASID_DIR, VTD_FR_SM_PDE_ACCESS, rc);
	if (!(o->pde & VTD_PDE_P))
		return stop(o, VTD_STAGE_PASID_DIR, VTD_FR_SM_PDE_P, 0);
	o->fpd |= (o->pde & VTD_PDE_FPD) != 0;
	if (vtd_pasid_dir_reserved(hw, o->pde, &o->rsvd[0]))
		return stop(o, VTD_STAGE_PASID_DIR, VTD_FR_SM_PDE_RSVD, 0);

	o->pe_pa = (o->pde & VTD_PDE_PTP) + (uint64_t)(pasid & 0x3f) * 64;
	rc = read_words(mem, o->pe_pa, o->pe, 8);
	if (rc)
		return stop(o, VTD_STAGE_PASID_ENTRY, VTD_FR_SM_PE_ACCESS, rc);
	if (!(o->pe[0] & VTD_PE_P))
		return stop(o, VTD_STAGE_PASID_ENTRY, VTD_FR_SM_PE_P, 0);
	o->fpd |= (o->pe[0] & VTD_PE_FPD) != 0;
	if (vtd_pasid_entry_reserved(hw, o->pe, o->rsvd))
		return stop(o, VTD_STAGE_PASID_ENTRY, VTD_FR_SM_PE_RSVD, 0);

	o->did = (uint16_t)VTD_PE_DID(o->pe[1]);
	o->aw = VTD_PE_AW(o->pe[0]);
	switch (VTD_PE_PGTT(o->pe[0])) {
	case VTD_PGTT_SL:
		o->xlate = VTD_XL_SECOND_LEVEL;
		break;
	case VTD_PGTT_NESTED:
		o->xlate = VTD_XL_NESTED;
		break;
	case VTD_PGTT_FL:
		o->xlate = VTD_XL_FIRST_LEVEL;
		break;
	case VTD_PGTT_PT:
		if (!hw->pt)
			return stop(o, VTD_STAGE_PASID_ENTRY, VTD_FR_SM_PE_INVALID, 0);
		o->xlate = VTD_XL_PASSTHROUGH;
		break;
	default:
		return stop(o, VTD_STAGE_PASID_ENTRY, VTD_FR_SM_PE_INVALID, 0);
	}
	if (o->xlate == VTD_XL_SECOND_LEVEL || o->xlate == VTD_XL_NESTED) {
		if (!aw_supported(hw, o->aw))
			return stop(o, VTD_STAGE_PASID_ENTRY, VTD_FR_SM_PE_INVALID, 0);
		o->sl_root = o->pe[0] & VTD_PE_SLPTPTR & ~vtd_hw_addr_rsvd(hw);
		o->aw_bits = vtd_aw_bits(o->aw);
		o->levels = vtd_aw_levels(o->aw);
	}
	if (o->xlate == VTD_XL_FIRST_LEVEL || o->xlate == VTD_XL_NESTED)
		o->fl_root = o->pe[2] & VTD_PE_FLPTPTR & ~vtd_hw_addr_rsvd(hw);
	o->stage = VTD_STAGE_DONE;
	return 0;
}

uint64_t vtd_root_entry_pa(uint64_t root_table, uint16_t bdf)
{
	return (root_table & VTD_RTADDR_ADDR) + (uint64_t)(bdf >> 8) * 16;
}

int vtd_dev_lookup(struct ptdbg_mem *mem, const struct vtd_hw *hw, uint64_t root_table,
		   uint16_t bdf, uint32_t pasid, struct vtd_dev_lookup *o)
{
	unsigned devfn = bdf & 0xff;
	bool sm = hw->scalable;
	int rc;

	memset(o, 0, sizeof(*o));
	o->bdf = bdf;
	o->pasid = pasid;
	o->scalable = sm;
	o->root_table = root_table & VTD_RTADDR_ADDR;
	o->root_pa = vtd_root_entry_pa(root_table, bdf);

	rc = read_words(mem, o->root_pa, o->root, 2);
	if (rc)
		return stop(o, VTD_STAGE_ROOT, sm ? VTD_FR_SM_ROOT_ACCESS : VTD_FR_ROOT_ACCESS, rc);

	uint64_t ctp;
	if (!sm) {
		if (!(o->root[0] & VTD_ROOT_P))
			return stop(o, VTD_STAGE_ROOT, VTD_FR_ROOT_P, 0);
		if (vtd_root_reserved(hw, o->root, o->rsvd))
			return stop(o, VTD_STAGE_ROOT, VTD_FR_ROOT_RSVD, 0);
		ctp = o->root[0] & VTD_ROOT_CTP;
		o->ctx_pa = ctp + (uint64_t)devfn * VTD_CTX_SIZE;
	} else {
		uint64_t half = o->root[devfn >= 128];
		if (!(half & VTD_ROOT_P))
			return stop(o, VTD_STAGE_ROOT, VTD_FR_SM_ROOT_P, 0);
		if (vtd_smroot_reserved(hw, o->root, o->rsvd))
			return stop(o, VTD_STAGE_ROOT, VTD_FR_SM_ROOT_RSVD, 0);
		ctp = half & VTD_ROOT_CTP;
		o->ctx_pa = ctp + (uint64_t)(devfn % VTD_SMCTX_PER_TABLE) * VTD_SMCTX_SIZE;
	}

	rc = read_words(mem, o->ctx_pa, o->ctx, sm ? 4 : 2);
	if (rc)
		return stop(o, VTD_STAGE_CONTEXT, sm ? VTD_FR_SM_CTX_ACCESS : VTD_FR_CTX_ACCESS, rc);
	if (!(o->ctx[0] & VTD_CTX_P))
		return stop(o, VTD_STAGE_CONTEXT, sm ? VTD_FR_SM_CTX_P : VTD_FR_CTX_P, 0);
	o->fpd = (o->ctx[0] & VTD_CTX_FPD) != 0;

	if (sm) {
		if (vtd_smctx_reserved(hw, o->ctx, o->rsvd))
			return stop(o, VTD_STAGE_CONTEXT, VTD_FR_SM_CTX_RSVD, 0);
		return lookup_pasid(mem, hw, pasid, o);
	}

	if (vtd_ctx_reserved(hw, o->ctx, o->rsvd))
		return stop(o, VTD_STAGE_CONTEXT, VTD_FR_CTX_RSVD, 0);
	o->did = (uint16_t)VTD_CTX_DID(o->ctx[1]);
	o->aw = VTD_CTX_AW(o->ctx[1]);
	switch (VTD_CTX_TT(o->ctx[0])) {
	case VTD_TT_SLT:
		break;
	case VTD_TT_SLT_DEVTLB:
		if (!hw->dt)
			return stop(o, VTD_STAGE_CONTEXT, VTD_FR_CTX_INVALID, 0);
		break;
	case VTD_TT_PASSTHROUGH:
		if (!hw->pt)
			return stop(o, VTD_STAGE_CONTEXT, VTD_FR_CTX_INVALID, 0);
		o->xlate = VTD_XL_PASSTHROUGH;
		o->stage = VTD_STAGE_DONE;
		return 0;
	default:
		return stop(o, VTD_STAGE_CONTEXT, VTD_FR_CTX_INVALID, 0);
	}
	if (!aw_supported(hw, o->aw))
		return stop(o, VTD_STAGE_CONTEXT, VTD_FR_CTX_INVALID, 0);
	o->xlate = VTD_XL_SECOND_LEVEL;
	o->sl_root = o->ctx[0] & VTD_CTX_SLPTPTR;
	o->aw_bits = vtd_aw_bits(o->aw);
	o->levels = vtd_aw_levels(o->aw);
	o->stage = VTD_STAGE_DONE;
	return 0;
}
