/* SPDX-License-Identifier: MIT */
/* Reading and decoding an SMMUv3's registers (see smmu_regs.h). */
#include "smmu/smmu_regs.h"

#include <string.h>

#include "out/json.h"

const struct ptdbg_dev_reg smmu_reg_map[] = {
	{ "IDR0",            SMMU_REG_IDR0,            4, &smmu_layout_idr0,     "identification 0: features" },
	{ "IDR1",            SMMU_REG_IDR1,            4, &smmu_layout_idr1,     "identification 1: sizes" },
	{ "IDR2",            SMMU_REG_IDR2,            4, &smmu_layout_idr2,     "identification 2" },
	{ "IDR3",            SMMU_REG_IDR3,            4, &smmu_layout_idr3,     "identification 3" },
	{ "IDR4",            SMMU_REG_IDR4,            4, &smmu_layout_idr4,     "identification 4" },
	{ "IDR5",            SMMU_REG_IDR5,            4, &smmu_layout_idr5,     "identification 5: address sizes, granules" },
	{ "IIDR",            SMMU_REG_IIDR,            4, &smmu_layout_iidr,     "implementation identification" },
	{ "AIDR",            SMMU_REG_AIDR,            4, &smmu_layout_aidr,     "architecture version" },
	{ "CR0",             SMMU_REG_CR0,             4, &smmu_layout_cr0,      "control 0" },
	{ "CR0ACK",          SMMU_REG_CR0ACK,          4, &smmu_layout_cr0,      "control 0 acknowledgement" },
	{ "CR1",             SMMU_REG_CR1,             4, &smmu_layout_cr1,      "control 1: table and queue attributes" },
	{ "CR2",             SMMU_REG_CR2,             4, &smmu_layout_cr2,      "control 2" },
	{ "STATUSR",         SMMU_REG_STATUSR,         4, &smmu_layout_statusr,  "status" },
	{ "GBPA",            SMMU_REG_GBPA,            4, &smmu_layout_gbpa,     "global bypass attributes (while SMMUEN=0)" },
	{ "AGBPA",           SMMU_REG_AGBPA,           4, &smmu_layout_agbpa,    "alternate global bypass attributes" },
	{ "IRQ_CTRL",        SMMU_REG_IRQ_CTRL,        4, &smmu_layout_irq_ctrl, "interrupt control" },
	{ "IRQ_CTRLACK",     SMMU_REG_IRQ_CTRLACK,     4, &smmu_layout_irq_ctrl, "interrupt control acknowledgement" },
	{ "GERROR",          SMMU_REG_GERROR,          4, &smmu_layout_gerror,   "global errors (active where GERRORN differs)" },
	{ "GERRORN",         SMMU_REG_GERRORN,         4, &smmu_layout_gerror,   "global errors acknowledged" },
	{ "GERROR_IRQ_CFG0", SMMU_REG_GERROR_IRQ_CFG0, 8, &smmu_layout_irq_cfg0, "global error MSI address" },
	{ "GERROR_IRQ_CFG1", SMMU_REG_GERROR_IRQ_CFG1, 4, &smmu_layout_irq_cfg1, "global error MSI data" },
	{ "GERROR_IRQ_CFG2", SMMU_REG_GERROR_IRQ_CFG2, 4, &smmu_layout_irq_cfg2, "global error MSI attributes" },
	{ "STRTAB_BASE",     SMMU_REG_STRTAB_BASE,     8, &smmu_layout_strtab_base, "stream table base" },
	{ "STRTAB_BASE_CFG", SMMU_REG_STRTAB_BASE_CFG, 4, &smmu_layout_strtab_base_cfg, "stream table format and size" },
	{ "CMDQ_BASE",       SMMU_REG_CMDQ_BASE,       8, &smmu_layout_q_base,   "command queue base" },
	{ "CMDQ_PROD",       SMMU_REG_CMDQ_PROD,       4, &smmu_layout_q_prod,   "command queue producer (software)" },
	{ "CMDQ_CONS",       SMMU_REG_CMDQ_CONS,       4, &smmu_layout_cmdq_cons, "command queue consumer (SMMU)" },
	{ "EVENTQ_BASE",     SMMU_REG_EVENTQ_BASE,     8, &smmu_layout_q_base,   "event queue base" },
	{ "EVENTQ_IRQ_CFG0", SMMU_REG_EVENTQ_IRQ_CFG0, 8, &smmu_layout_irq_cfg0, "event queue MSI address" },
	{ "EVENTQ_IRQ_CFG1", SMMU_REG_EVENTQ_IRQ_CFG1, 4, &smmu_layout_irq_cfg1, "event queue MSI data" },
	{ "EVENTQ_IRQ_CFG2", SMMU_REG_EVENTQ_IRQ_CFG2, 4, &smmu_layout_irq_cfg2, "event queue MSI attributes" },
	{ "PRIQ_BASE",       SMMU_REG_PRIQ_BASE,       8, &smmu_layout_q_base,   "PRI queue base" },
	{ "EVENTQ_PROD",     SMMU_REG_EVENTQ_PROD,     4, &smmu_layout_q_prod,   "event queue producer (SMMU, page 1)" },
	{ "EVENTQ_CONS",     SMMU_REG_EVENTQ_CONS,     4, &smmu_layout_q_cons,   "event queue consumer (software, page 1)" },
	{ "PRIQ_PROD",       SMMU_REG_PRIQ_PROD,       4, &smmu_layout_q_prod,   "PRI queue producer (page 1)" },
	{ "PRIQ_CONS",       SMMU_REG_PRIQ_CONS,       4, &smmu_layout_q_cons,   "PRI queue consumer (page 1)" },
};
const size_t smmu_reg_map_len = sizeof(smmu_reg_map) / sizeof(smmu_reg_map[0]);

_Static_assert(sizeof(smmu_reg_map) / sizeof(smmu_reg_map[0]) <= SMMU_REGS_MAX,
	       "smmu_regs: SMMU_REGS_MAX too small");

int smmu_reg_index(unsigned off)
{
	for (size_t i = 0; i < smmu_reg_map_len; i++)
		if (smmu_reg_map[i].off == off)
			return (int)i;
	return -1;
}

void smmu_regs_init(struct smmu_regs *r, uint64_t base)
{
	memset(r, 0, sizeof(*r));
	r->base = base;
}

bool smmu_regs_set(struct smmu_regs *r, unsigned off, uint64_t val)
{
	int i = smmu_reg_index(off);
	if (i < 0)
		return false;
	r->val[i] = smmu_reg_map[i].size == 4 ? (uint32_t)val : val;
	r->err[i] = 0;
	return true;
}

/* What smmu_hw_from_regs(), smmu_strtab_from_regs() and the unit fields of
 * smmu_regs_info() use (see smmu_regs_read_unit). */
static bool unit_reg(unsigned off)
{
	switch (off) {
	case SMMU_REG_IDR0: case SMMU_REG_IDR1: case SMMU_REG_IDR5: case SMMU_REG_AIDR:
	case SMMU_REG_CR0ACK: case SMMU_REG_GBPA: case SMMU_REG_STRTAB_BASE:
	case SMMU_REG_STRTAB_BASE_CFG:
		return true;
	}
	return false;
}

/* smmu_regs_read (all) or smmu_regs_read_unit (!all), with also[0, nalso). */
static int regs_read(struct ptdbg_target *t, uint64_t base, struct smmu_regs *r, bool all,
		     struct ptdbg_io *also, size_t nalso)
{
	smmu_regs_init(r, base);
	int rc = ptdbg_read_dev_regs_also(t, base, smmu_reg_map, smmu_reg_map_len, all ? NULL : unit_reg,
					  r->val, r->err, also, nalso);
	if (rc)
		return rc;
	for (size_t i = 0; i < smmu_reg_map_len; i++) {
		const struct ptdbg_dev_reg *d = &smmu_reg_map[i];
		if (r->err[i] && (d->off == SMMU_REG_IDR0 || d->off == SMMU_REG_IDR1 ||
				  d->off == SMMU_REG_IDR5))
			return r->err[i];
		if (ptdbg_link_error(r->err[i]))
			return r->err[i];
	}
	uint64_t idr0 = smmu_regs_get(r, SMMU_REG_IDR0, NULL);
	uint64_t idr1 = smmu_regs_get(r, SMMU_REG_IDR1, NULL);
	uint64_t idr5 = smmu_regs_get(r, SMMU_REG_IDR5, NULL);
	uint64_t aidr = smmu_regs_get(r, SMMU_REG_AIDR, NULL);
	/* Not an SMMUv3: nothing there, or memory that is not one (IDR0's top bits are
	 * RES0, ST_LEVEL 3 is reserved, an SMMU translates at one stage at least, AIDR's
	 * major revision is 0 for SMMUv3 and its upper bits RES0). */
	if ((idr0 == 0 && idr1 == 0 && idr5 == 0) || idr0 == 0xffffffffu || (idr0 & PTDBG_GENMASK(31, 30)) ||
	    SMMU_IDR0_ST_LEVEL(idr0) == 3 || !(idr0 & (SMMU_IDR0_S1P | SMMU_IDR0_S2P)) ||
	    (aidr & ~(uint64_t)SMMU_AIDR_MINOR_MASK))
		return ptdbg_target_fail(t, PTDBG_EFORMAT,
					 "no SMMUv3 at 0x%llx (IDR0 reads 0x%llx, AIDR 0x%llx)",
					 (unsigned long long)base, (unsigned long long)idr0,
					 (unsigned long long)aidr);
	return 0;
}

int smmu_regs_read(struct ptdbg_target *t, uint64_t base, struct smmu_regs *r)
{
	return regs_read(t, base, r, true, NULL, 0);
}

int smmu_regs_read_unit(struct ptdbg_target *t, uint64_t base, struct smmu_regs *r)
{
	return regs_read(t, base, r, false, NULL, 0);
}

int smmu_regs_read_also(struct ptdbg_target *t, uint64_t base, struct smmu_regs *r, bool all,
			struct ptdbg_io *also, size_t nalso)
{
	return regs_read(t, base, r, all, also, nalso);
}

uint64_t smmu_regs_get(const struct smmu_regs *r, unsigned off, bool *ok)
{
	int i = smmu_reg_index(off);
	bool good = i >= 0 && r->err[i] == 0;
	if (ok)
		*ok = good;
	return good ? r->val[i] : 0;
}

void smmu_regs_info(const struct smmu_regs *r, struct smmu_unit_info *o)
{
	uint64_t idr0 = smmu_regs_get(r, SMMU_REG_IDR0, NULL);
	uint64_t idr1 = smmu_regs_get(r, SMMU_REG_IDR1, NULL);
	uint64_t idr5 = smmu_regs_get(r, SMMU_REG_IDR5, NULL);
	uint64_t aidr = smmu_regs_get(r, SMMU_REG_AIDR, NULL);
	bool cr0_ok;
	uint64_t cr0 = smmu_regs_get(r, SMMU_REG_CR0, &cr0_ok);
	uint64_t ack = smmu_regs_get(r, SMMU_REG_CR0ACK, NULL);
	uint64_t cr2 = smmu_regs_get(r, SMMU_REG_CR2, NULL);
	uint64_t gbpa = smmu_regs_get(r, SMMU_REG_GBPA, NULL);
	uint64_t base = smmu_regs_get(r, SMMU_REG_STRTAB_BASE, NULL);
	uint64_t cfg = smmu_regs_get(r, SMMU_REG_STRTAB_BASE_CFG, NULL);

	memset(o, 0, sizeof(*o));
	o->arch_major = SMMU_AIDR_MAJOR(aidr);
	o->arch_minor = SMMU_AIDR_MINOR(aidr);
	o->s1p = idr0 & SMMU_IDR0_S1P;
	o->s2p = idr0 & SMMU_IDR0_S2P;
	o->ttf = SMMU_IDR0_TTF(idr0);
	o->st_2lvl = SMMU_IDR0_ST_LEVEL(idr0) == 1;
	o->cd2l = idr0 & SMMU_IDR0_CD2L;
	o->sidsize = SMMU_IDR1_SIDSIZE(idr1);
	o->ssidsize = SMMU_IDR1_SSIDSIZE(idr1);
	o->cmdqs = SMMU_IDR1_CMDQS(idr1);
	o->eventqs = SMMU_IDR1_EVENTQS(idr1);
	o->oas = smmu_pa_bits(SMMU_IDR5_OAS(idr5));
	o->vax = SMMU_IDR5_VAX(idr5) == 1;
	o->gran4k = idr5 & SMMU_IDR5_GRAN4K;
	o->gran16k = idr5 & SMMU_IDR5_GRAN16K;
	o->gran64k = idr5 & SMMU_IDR5_GRAN64K;
	o->enabled = ack & SMMU_CR0_SMMUEN;
	o->eventq_enabled = ack & SMMU_CR0_EVENTQEN;
	o->cmdq_enabled = ack & SMMU_CR0_CMDQEN;
	o->cr0_pending = cr0_ok && ((cr0 ^ ack) & (SMMU_CR0_SMMUEN | SMMU_CR0_PRIQEN | SMMU_CR0_EVENTQEN |
						  SMMU_CR0_CMDQEN | SMMU_CR0_ATSCHK));
	o->gbpa_abort = gbpa & SMMU_GBPA_ABORT;
	o->recinvsid = cr2 & SMMU_CR2_RECINVSID;
	o->gerror_active = smmu_gerror_active((uint32_t)smmu_regs_get(r, SMMU_REG_GERROR, NULL),
					      (uint32_t)smmu_regs_get(r, SMMU_REG_GERRORN, NULL));
	o->strtab = base & SMMU_STRTAB_BASE_ADDR;
	o->strtab_fmt = SMMU_STRTAB_CFG_FMT(cfg);
	o->strtab_log2size = SMMU_STRTAB_CFG_LOG2SIZE(cfg);
	o->strtab_split = SMMU_STRTAB_CFG_SPLIT(cfg);
}

static void print_reg(FILE *out, const struct ptdbg_dev_reg *d, uint64_t val, int err)
{
	if (err) {
		fprintf(out, "%-16s +0x%05x  (read failed: %d)  %s\n", d->name, (unsigned)d->off, err,
			d->desc);
		return;
	}
	fprintf(out, "%-16s +0x%05x  0x%0*llx  %s\n", d->name, (unsigned)d->off, (int)d->size * 2,
		(unsigned long long)val, d->desc);
	ptdbg_layout_print(out, d->layout, &val, "    ");
}

void smmu_regs_print(FILE *out, const struct smmu_regs *r)
{
	struct smmu_unit_info in;
	smmu_regs_info(r, &in);
	fprintf(out, "SMMUv3.%u at 0x%llx: %s%s%s, OAS %u bits, SIDSIZE %u, SSIDSIZE %u, "
		"translation %s, stream table 0x%llx (%s, 2^%u stream ids)\n",
		in.arch_minor, (unsigned long long)r->base, in.s1p ? "stage 1" : "",
		in.s1p && in.s2p ? " and " : "", in.s2p ? "stage 2" : (in.s1p ? "" : "no stages"),
		in.oas, in.sidsize, in.ssidsize,
		in.enabled ? "enabled" : (in.gbpa_abort ? "disabled (GBPA aborts)"
							: "disabled (GBPA bypasses)"),
		(unsigned long long)in.strtab, smmu_strtab_fmt_name(in.strtab_fmt),
		in.strtab_log2size);
	for (size_t i = 0; i < smmu_reg_map_len; i++)
		print_reg(out, &smmu_reg_map[i], r->val[i], r->err[i]);
}

void smmu_regs_json(struct ptdbg_json *j, const struct smmu_regs *r)
{
	struct smmu_unit_info in;
	smmu_regs_info(r, &in);
	ptdbg_json_start_object(j);
	ptdbg_json_hex_field(j, "base", r->base);
	ptdbg_json_name(j, "summary");
	ptdbg_json_start_object(j);
	ptdbg_json_uint_field(j, "arch_major", in.arch_major);
	ptdbg_json_uint_field(j, "arch_minor", in.arch_minor);
	ptdbg_json_bool_field(j, "stage1", in.s1p);
	ptdbg_json_bool_field(j, "stage2", in.s2p);
	ptdbg_json_uint_field(j, "oas", in.oas);
	ptdbg_json_uint_field(j, "sidsize", in.sidsize);
	ptdbg_json_uint_field(j, "ssidsize", in.ssidsize);
	ptdbg_json_bool_field(j, "translation_enabled", in.enabled);
	ptdbg_json_bool_field(j, "gbpa_abort", in.gbpa_abort);
	ptdbg_json_hex_field(j, "gerror_active", in.gerror_active);
	ptdbg_json_hex_field(j, "stream_table", in.strtab);
	ptdbg_json_string_field(j, "stream_table_format", smmu_strtab_fmt_name(in.strtab_fmt));
	ptdbg_json_uint_field(j, "stream_table_log2size", in.strtab_log2size);
	ptdbg_json_uint_field(j, "stream_table_split", in.strtab_split);
	ptdbg_json_end_object(j);
	ptdbg_json_name(j, "registers");
	ptdbg_json_start_array(j);
	for (size_t i = 0; i < smmu_reg_map_len; i++) {
		const struct ptdbg_dev_reg *d = &smmu_reg_map[i];
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "name", d->name);
		ptdbg_json_uint_field(j, "offset", d->off);
		ptdbg_json_uint_field(j, "size", d->size);
		if (r->err[i]) {
			ptdbg_json_int_field(j, "error", r->err[i]);
		} else {
			ptdbg_json_hex_field(j, "value", r->val[i]);
			ptdbg_json_name(j, "fields");
			ptdbg_json_start_object(j);
			ptdbg_layout_json(j, d->layout, &r->val[i]);
			ptdbg_json_end_object(j);
		}
		ptdbg_json_end_object(j);
	}
	ptdbg_json_end_array(j);
	ptdbg_json_end_object(j);
}
