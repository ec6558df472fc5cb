/* The SMMUv3 driver: reset, stream table, queues, STEs and CDs, invalidation. */
#include "arch/aarch64/cpu.h"
#include "core/cmdline.h"
#include "debug/panic.h"
#include "debug/region.h"
#include "iommu/smmu.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/kspace.h"
#include "mm/layout.h"
#include "mm/pte.h"

struct smmu_unit smmu;

#define SMMU_POLLS      1000000u /* bound on every register or queue wait */
#define CMDQ_LOG2       8        /* 256 commands of 16 bytes: 4 KiB */
#define EVTQ_LOG2       7        /* 128 records of 32 bytes: 4 KiB */
#define LINEAR_LOG2     8        /* a linear table of 256 STEs: bus 0 */
#define STRTAB_SPLIT    8        /* two-level: 256 STEs per level-2 table */
#define STRTAB_L1_LOG2  16       /* two-level: stream ids covered, at most */

/* Cacheability the SMMU uses for its tables and queues: write-back, inner
 * shareable (as Linux's CR1). */
#define CR1_WBWA_ISH (PTDBG_FIELD_PUT(SMMU_CR1_QUEUE_IC_MASK, 1) | PTDBG_FIELD_PUT(SMMU_CR1_QUEUE_OC_MASK, 1) | \
		      PTDBG_FIELD_PUT(SMMU_CR1_QUEUE_SH_MASK, 3) | PTDBG_FIELD_PUT(SMMU_CR1_TABLE_IC_MASK, 1) | \
		      PTDBG_FIELD_PUT(SMMU_CR1_TABLE_OC_MASK, 1) | PTDBG_FIELD_PUT(SMMU_CR1_TABLE_SH_MASK, 3))

static uint32_t rd32(unsigned off) { return *(volatile uint32_t *)(smmu.regs + off); }
static void wr32(unsigned off, uint32_t v) { *(volatile uint32_t *)(smmu.regs + off) = v; }
static void wr64(unsigned off, uint64_t v) { *(volatile uint64_t *)(smmu.regs + off) = v; }

void smmu_set_base(uint64_t pa)
{
	if (!smmu.base)
		smmu.base = pa;
}

void smmu_set_iommu_map(uint32_t rid_base, uint32_t sid_base, uint32_t len)
{
	if (!smmu.rid_len) {
		smmu.rid_base = rid_base;
		smmu.sid_base = sid_base;
		smmu.rid_len = len;
	}
}

uint32_t smmu_sid_of_rid(uint16_t rid)
{
	if (smmu.rid_len && (rid < smmu.rid_base || rid - smmu.rid_base >= smmu.rid_len))
		panic("smmu: requester id 0x%x is outside the iommu-map", rid);
	return rid - smmu.rid_base + smmu.sid_base;
}

/* Wait until (reg & mask) == want; panics with what after SMMU_POLLS reads. */
static void wait_reg(unsigned off, uint32_t mask, uint32_t want, const char *what)
{
	for (uint32_t i = 0; i < SMMU_POLLS; i++)
		if ((rd32(off) & mask) == want)
			return;
	panic("smmu: %s: register 0x%x is 0x%08x, expected 0x%08x under mask 0x%08x", what, off,
	      rd32(off), want, mask);
}

/* Write CR0 and wait for CR0ACK to show it. */
static void write_cr0(uint32_t v, const char *what)
{
	wr32(SMMU_REG_CR0, v);
	wait_reg(SMMU_REG_CR0ACK, 0xffffffffu, v, what);
}

static uint32_t gerror_active(void)
{
	return smmu_gerror_active(rd32(SMMU_REG_GERROR), rd32(SMMU_REG_GERRORN));
}

/* A zeroed, size-aligned physical block of at least size bytes. */
static uint64_t alloc_table(uint64_t size, const char *what)
{
	uint64_t n = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	uint64_t pa = n == 1 ? frame_alloc(PTDBG_FRAME_KHEAP, (uint32_t)kernel_as_index)
			     : frame_alloc_contig(n, n << PAGE_SHIFT, PTDBG_FRAME_KHEAP, (uint32_t)kernel_as_index);
	if (!pa)
		panic("smmu: no memory for the %s", what);
	memset(phys_to_virt(pa), 0, n << PAGE_SHIFT);
	return pa;
}

static const char *opcode_name(unsigned op)
{
	switch (op) {
	case SMMU_CMD_CFGI_STE: return "CFGI_STE";
	case SMMU_CMD_CFGI_STE_RANGE: return "CFGI_ALL";
	case SMMU_CMD_CFGI_CD: return "CFGI_CD";
	case SMMU_CMD_TLBI_NH_ASID: return "TLBI_NH_ASID";
	case SMMU_CMD_TLBI_NH_VA: return "TLBI_NH_VA";
	case SMMU_CMD_TLBI_NSNH_ALL: return "TLBI_NSNH_ALL";
	case SMMU_CMD_SYNC: return "CMD_SYNC";
	}
	return "?";
}

/* Queue one command and wait until the SMMU has consumed it; GERROR checked. */
static void cmd(uint64_t d0, uint64_t d1)
{
	uint32_t mask = (1u << smmu.cmdq_log2) - 1, wrap = 1u << smmu.cmdq_log2;
	volatile uint64_t *q = phys_to_virt(smmu.cmdq);
	uint32_t prod = smmu.cmdq_prod;
	q[2 * (prod & mask)] = d0;
	q[2 * (prod & mask) + 1] = d1;
	prod = (prod + 1) & (2 * wrap - 1);
	smmu.cmdq_prod = prod;
	dsb_ishst();
	wr32(SMMU_REG_CMDQ_PROD, prod);
	uint32_t cons = 0;
	for (uint32_t i = 0; i < SMMU_POLLS; i++) {
		cons = rd32(SMMU_REG_CMDQ_CONS);
		if ((cons & (2 * wrap - 1)) == prod || (gerror_active() & SMMU_GERROR_CMDQ_ERR))
			break;
	}
	uint32_t ge = gerror_active();
	if (ge)
		panic("smmu: %s: GERROR 0x%x active (CMDQ_CONS 0x%08x, error %u)",
		      opcode_name(SMMU_CMD0_OPCODE(d0)), ge, cons, SMMU_CMDQ_CONS_ERR(cons));
	if ((cons & (2 * wrap - 1)) != prod)
		panic("smmu: %s not consumed (CMDQ_PROD 0x%x, CMDQ_CONS 0x%x)",
		      opcode_name(SMMU_CMD0_OPCODE(d0)), prod, cons);
}

static void cmd_sync(void)
{
	cmd(SMMU_CMD_SYNC | SMMU_CMD0_SYNC_CS_PUT(SMMU_SYNC_CS_NONE), 0);
}

/* The STE of sid (physical), creating its level-2 table in a two-level table. */
static uint64_t ste_of(uint32_t sid)
{
	if (sid >> smmu.log2size)
		panic("smmu: stream id 0x%x beyond the stream table (%u bits)", sid, smmu.log2size);
	if (!smmu.two_level)
		return smmu.strtab + (uint64_t)sid * SMMU_STE_SIZE;
	uint32_t l1 = sid >> smmu.split;
	if (l1 >= sizeof(smmu.l2) / sizeof(smmu.l2[0]))
		panic("smmu: stream id 0x%x beyond the level-1 table", sid);
	if (!smmu.l2[l1]) {
		smmu.l2[l1] = alloc_table((uint64_t)SMMU_STE_SIZE << smmu.split, "level-2 stream table");
		volatile uint64_t *d = (uint64_t *)phys_to_virt(smmu.strtab) + l1;
		*d = (smmu.l2[l1] & SMMU_L1STD_L2PTR) | SMMU_L1STD_SPAN_PUT(smmu.split + 1);
		dsb_ishst();
		kprintf("ptdbg: smmu: level-2 stream table %u at 0x%lx (stream ids 0x%x-0x%x)\n", l1,
			smmu.l2[l1], l1 << smmu.split, ((l1 + 1) << smmu.split) - 1);
	}
	return smmu.l2[l1] + (uint64_t)(sid & ((1u << smmu.split) - 1)) * SMMU_STE_SIZE;
}

static void setup_strtab(void)
{
	smmu.two_level = kopts.strtab_2lvl && SMMU_IDR0_ST_LEVEL(smmu.idr0) >= 1;
	if (kopts.strtab_2lvl && !smmu.two_level)
		kprintf("ptdbg: smmu: strtab=2lvl, but the unit has linear tables only\n");
	if (smmu.two_level) {
		smmu.log2size = smmu.sid_bits < STRTAB_L1_LOG2 ? smmu.sid_bits : STRTAB_L1_LOG2;
		smmu.split = STRTAB_SPLIT < smmu.log2size ? STRTAB_SPLIT : smmu.log2size;
		smmu.strtab = alloc_table((uint64_t)SMMU_L1STD_SIZE << (smmu.log2size - smmu.split),
					  "level-1 stream table");
	} else {
		smmu.log2size = smmu.sid_bits < LINEAR_LOG2 ? smmu.sid_bits : LINEAR_LOG2;
		smmu.split = 0;
		smmu.strtab = alloc_table((uint64_t)SMMU_STE_SIZE << smmu.log2size, "stream table");
	}
	/* Every STE starts invalid: V=0 aborts the stream's transactions (C_BAD_STE). */
	smmu.strtab_base = (smmu.strtab & SMMU_STRTAB_BASE_ADDR) | SMMU_STRTAB_BASE_RA;
	smmu.strtab_cfg = SMMU_STRTAB_CFG_FMT_PUT(smmu.two_level) | SMMU_STRTAB_CFG_LOG2SIZE_PUT(smmu.log2size) |
			  SMMU_STRTAB_CFG_SPLIT_PUT(smmu.split);
	wr64(SMMU_REG_STRTAB_BASE, smmu.strtab_base);
	wr32(SMMU_REG_STRTAB_BASE_CFG, (uint32_t)smmu.strtab_cfg);
}

static void setup_queues(void)
{
	unsigned cmax = SMMU_IDR1_CMDQS(smmu.idr1), emax = SMMU_IDR1_EVENTQS(smmu.idr1);
	smmu.cmdq_log2 = CMDQ_LOG2 < cmax ? CMDQ_LOG2 : cmax;
	smmu.evtq_log2 = EVTQ_LOG2 < emax ? EVTQ_LOG2 : emax;
	smmu.cmdq = alloc_table((uint64_t)SMMU_CMD_SIZE << smmu.cmdq_log2, "command queue");
	smmu.evtq = alloc_table((uint64_t)SMMU_EVT_SIZE << smmu.evtq_log2, "event queue");
	smmu.cmdq_base = (smmu.cmdq & SMMU_Q_BASE_ADDR) | SMMU_Q_BASE_RWA | smmu.cmdq_log2;
	smmu.evtq_base = (smmu.evtq & SMMU_Q_BASE_ADDR) | SMMU_Q_BASE_RWA | smmu.evtq_log2;
	wr64(SMMU_REG_CMDQ_BASE, smmu.cmdq_base);
	wr32(SMMU_REG_CMDQ_PROD, 0);
	wr32(SMMU_REG_CMDQ_CONS, 0);
	smmu.cmdq_prod = 0;
	wr64(SMMU_REG_EVENTQ_BASE, smmu.evtq_base);
	wr32(SMMU_REG_EVENTQ_PROD, 0);
	wr32(SMMU_REG_EVENTQ_CONS, 0);
}

int smmu_init(void)
{
	static int done, result;
	if (done)
		return result;
	done = 1;
	result = -1;
	if (!smmu.base)
		return result;
	smmu.regs = kspace_map_untracked(smmu.base, SMMU_REGS_SIZE, PTE_CACHE_UC);
	if (!smmu.regs)
		panic("smmu: cannot map the registers at 0x%lx", smmu.base);
	smmu.idr0 = rd32(SMMU_REG_IDR0);
	smmu.idr1 = rd32(SMMU_REG_IDR1);
	smmu.idr5 = rd32(SMMU_REG_IDR5);
	smmu.sid_bits = SMMU_IDR1_SIDSIZE(smmu.idr1);
	smmu.ssid_bits = SMMU_IDR1_SSIDSIZE(smmu.idr1);
	smmu.oas_bits = smmu_pa_bits(SMMU_IDR5_OAS(smmu.idr5));
	uint32_t aidr = rd32(SMMU_REG_AIDR);
	kprintf("ptdbg: smmu: SMMUv3.%u at 0x%lx: IDR0 0x%08x IDR1 0x%08x IDR5 0x%08x (stage 1 %s, "
		"%u-bit stream ids, %u-bit substream ids, %u-bit output, two-level tables %s)\n",
		SMMU_AIDR_MINOR(aidr), smmu.base, smmu.idr0, smmu.idr1, smmu.idr5,
		(smmu.idr0 & SMMU_IDR0_S1P) ? "yes" : "no", smmu.sid_bits, smmu.ssid_bits, smmu.oas_bits,
		SMMU_IDR0_ST_LEVEL(smmu.idr0) ? "yes" : "no");
	if (!(smmu.idr0 & SMMU_IDR0_S1P) || !(SMMU_IDR0_TTF(smmu.idr0) & 2))
		panic("smmu: the unit has no AArch64 stage-1 translation");

	/* Off first (a previous owner may have left it on), with global bypass set to
	 * abort so nothing passes untranslated while the tables are built. */
	if (rd32(SMMU_REG_CR0) & SMMU_CR0_SMMUEN)
		write_cr0(0, "disable");
	wr32(SMMU_REG_GBPA, SMMU_GBPA_ABORT | SMMU_GBPA_UPDATE);
	wait_reg(SMMU_REG_GBPA, SMMU_GBPA_UPDATE, 0, "GBPA update");
	write_cr0(0, "queues off");
	wr32(SMMU_REG_CR1, (uint32_t)CR1_WBWA_ISH);
	wr32(SMMU_REG_CR2, (uint32_t)(SMMU_CR2_RECINVSID | SMMU_CR2_PTM));
	setup_strtab();
	setup_queues();
	uint32_t cr0 = SMMU_CR0_CMDQEN;
	write_cr0(cr0, "command queue on");
	cmd(SMMU_CMD_CFGI_STE_RANGE, SMMU_CMD1_RANGE_PUT(SMMU_CMD_CFGI_ALL_RANGE));
	cmd(SMMU_CMD_TLBI_NSNH_ALL, 0);
	cmd_sync();
	cr0 |= SMMU_CR0_EVENTQEN;
	write_cr0(cr0, "event queue on");
	wr32(SMMU_REG_IRQ_CTRL, 0); /* polled: no interrupts */
	wait_reg(SMMU_REG_IRQ_CTRLACK, 0xffffffffu, 0, "IRQ_CTRL");
	cr0 |= SMMU_CR0_SMMUEN;
	write_cr0(cr0, "enable");
	if (gerror_active())
		panic("smmu: GERROR 0x%x active after enabling", gerror_active());
	smmu.enabled = 1;
	result = 0;
	kprintf("ptdbg: smmu: enabled: %s stream table at 0x%lx (STRTAB_BASE 0x%lx, STRTAB_BASE_CFG 0x%lx: "
		"%u stream id bits%s), command queue 0x%lx (%u entries), event queue 0x%lx (%u entries), "
		"GBPA abort, requester ids 0x%x+ are stream ids 0x%x+\n",
		smmu.two_level ? "two-level" : "linear", smmu.strtab, smmu.strtab_base, smmu.strtab_cfg,
		smmu.log2size, smmu.two_level ? ", split 8" : "", smmu.cmdq, 1u << smmu.cmdq_log2, smmu.evtq,
		1u << smmu.evtq_log2, smmu.rid_base, smmu.sid_base);
	struct ptdbg_smmu r = {
		.base = smmu.base,
		.strtab_base = smmu.strtab_base,
		.strtab_cfg = (uint32_t)smmu.strtab_cfg,
		.strtab_fmt = (uint32_t)smmu.two_level,
		.log2size = smmu.log2size,
		.split = smmu.split,
		.cmdq_base = smmu.cmdq_base,
		.eventq_base = smmu.evtq_base,
		.sid_bits = smmu.sid_bits,
		.oas_bits = smmu.oas_bits,
	};
	region_set_smmu(&r);
	return result;
}

/* CD.TG0 of a granule. */
static unsigned tg0_of(unsigned gshift)
{
	return gshift == 16 ? 1 : gshift == 14 ? 2 : 0;
}

void smmu_write_cd(uint64_t cd, uint64_t ttb0, unsigned ias, unsigned gshift, uint16_t asid, int record)
{
	volatile uint64_t *c = phys_to_virt(cd);
	unsigned ips = smmu.oas_bits > 48 ? 48 : smmu.oas_bits;
	for (int i = 1; i < SMMU_CD_DWORDS; i++)
		c[i] = 0;
	c[1] = ttb0 & SMMU_CD1_TTB0;
	c[3] = KERNEL_MAIR;
	dsb_ishst();
	/* TTB0 only (EPD1: no TTB1 walks), write-back walks, AArch64 tables, faults
	 * abort the transaction and are recorded unless told not to (R=0). */
	c[0] = SMMU_CD0_T0SZ_PUT(64 - ias) | SMMU_CD0_TG0_PUT(tg0_of(gshift)) | SMMU_CD0_IR0_PUT(1) |
	       SMMU_CD0_OR0_PUT(1) | SMMU_CD0_SH0_PUT(3) | SMMU_CD0_EPD1 | SMMU_CD0_V |
	       SMMU_CD0_IPS_PUT(arm64_pa_enc(ips)) | SMMU_CD0_AA64 | (record ? SMMU_CD0_R : 0) | SMMU_CD0_A |
	       SMMU_CD0_ASET | SMMU_CD0_ASID_PUT(asid);
	dsb_ishst();
}

uint64_t smmu_attach_stream(uint32_t sid, uint64_t cd)
{
	uint64_t ste = ste_of(sid);
	volatile uint64_t *s = phys_to_virt(ste);
	/* Everything but dword 0 first, then dword 0 with V (the SMMU may read the
	 * STE at any time once V is set). */
	for (int i = 1; i < SMMU_STE_DWORDS; i++)
		s[i] = 0;
	s[1] = SMMU_STE1_S1CIR_PUT(1) | SMMU_STE1_S1COR_PUT(1) | SMMU_STE1_S1CSH_PUT(3) |
	       SMMU_STE1_STRW_PUT(0) | SMMU_STE1_S1DSS_PUT(0);
	dsb_ishst();
	s[0] = SMMU_STE0_V | SMMU_STE0_CONFIG_PUT(SMMU_STE_CFG_S1) | SMMU_STE0_S1FMT_PUT(SMMU_S1FMT_LINEAR) |
	       (cd & SMMU_STE0_S1CTXPTR) | SMMU_STE0_S1CDMAX_PUT(0);
	dsb_ishst();
	cmd(SMMU_CMD_CFGI_STE | SMMU_CMD0_SID_PUT(sid), SMMU_CMD1_LEAF);
	cmd(SMMU_CMD_CFGI_CD | SMMU_CMD0_SID_PUT(sid), SMMU_CMD1_LEAF);
	cmd_sync();
	return ste;
}

void smmu_tlbi_asid(uint16_t asid)
{
	dsb_ishst();
	cmd(SMMU_CMD_TLBI_NH_ASID | SMMU_CMD0_ASID_PUT(asid), 0);
	cmd_sync();
}

void smmu_tlbi_va(uint16_t asid, uint64_t iova)
{
	dsb_ishst();
	cmd(SMMU_CMD_TLBI_NH_VA | SMMU_CMD0_ASID_PUT(asid), (iova & SMMU_CMD1_TLBI_ADDR) | SMMU_CMD1_LEAF);
	cmd_sync();
}

int smmu_peek_events(struct smmu_event *out, int max, int *overflow, uint32_t *gerror)
{
	uint32_t wrap = 1u << smmu.evtq_log2, mask = wrap - 1, idx = 2 * wrap - 1;
	uint32_t prod = rd32(SMMU_REG_EVENTQ_PROD), cons = rd32(SMMU_REG_EVENTQ_CONS);
	*overflow = !!((prod ^ cons) & SMMU_Q_PROD_OVFLG);
	*gerror = gerror_active();
	int n = 0;
	const volatile uint64_t *q = phys_to_virt(smmu.evtq);
	for (uint32_t c = cons & idx; c != (prod & idx); c = (c + 1) & idx, n++) {
		if (n >= max)
			continue;
		const volatile uint64_t *r = q + 4 * (c & mask);
		struct smmu_event *e = &out[n];
		for (int i = 0; i < 4; i++)
			e->raw[i] = r[i];
		e->type = (uint8_t)SMMU_EVT0_TYPE(e->raw[0]);
		e->sid = SMMU_EVT0_SID(e->raw[0]);
		e->ssid = SMMU_EVT0_SSID(e->raw[0]);
		e->ssv = !!(e->raw[0] & SMMU_EVT0_SSV);
		e->rnw = !!(e->raw[1] & SMMU_EVT1_RNW);
		e->pnu = !!(e->raw[1] & SMMU_EVT1_PNU);
		e->ind = !!(e->raw[1] & SMMU_EVT1_IND);
		e->s2 = !!(e->raw[1] & SMMU_EVT1_S2);
		e->input_addr = e->raw[2];
		e->ipa = e->raw[3] & SMMU_EVT3_IPA;
	}
	return n;
}

const char *smmu_event_name(unsigned type)
{
	switch (type) {
	case SMMU_EVT_F_UUT: return "F_UUT";
	case SMMU_EVT_C_BAD_STREAMID: return "C_BAD_STREAMID";
	case SMMU_EVT_F_STE_FETCH: return "F_STE_FETCH";
	case SMMU_EVT_C_BAD_STE: return "C_BAD_STE";
	case SMMU_EVT_F_STREAM_DISABLED: return "F_STREAM_DISABLED";
	case SMMU_EVT_C_BAD_SUBSTREAMID: return "C_BAD_SUBSTREAMID";
	case SMMU_EVT_F_CD_FETCH: return "F_CD_FETCH";
	case SMMU_EVT_C_BAD_CD: return "C_BAD_CD";
	case SMMU_EVT_F_WALK_EABT: return "F_WALK_EABT";
	case SMMU_EVT_F_TRANSLATION: return "F_TRANSLATION";
	case SMMU_EVT_F_ADDR_SIZE: return "F_ADDR_SIZE";
	case SMMU_EVT_F_ACCESS: return "F_ACCESS";
	case SMMU_EVT_F_PERMISSION: return "F_PERMISSION";
	}
	return "?";
}

/* ---- damage for the corrupt scenario (the unit on, no stream in use) ---- */

void smmu_damage_strtab(uint64_t pa)
{
	uint32_t cr0 = rd32(SMMU_REG_CR0);
	/* STRTAB_BASE may change only with SMMUEN clear; the queues stay on */
	write_cr0(cr0 & ~SMMU_CR0_SMMUEN, "disable for STRTAB_BASE");
	wr64(SMMU_REG_STRTAB_BASE, (pa & SMMU_STRTAB_BASE_ADDR) | SMMU_STRTAB_BASE_RA);
	write_cr0(cr0, "enable after STRTAB_BASE");
	cmd(SMMU_CMD_CFGI_STE_RANGE, SMMU_CMD1_RANGE_PUT(SMMU_CMD_CFGI_ALL_RANGE));
	cmd_sync();
}

uint64_t smmu_damage_cd_self(uint32_t sid)
{
	uint64_t l1 = alloc_table(PAGE_SIZE, "self-referencing CD table");
	volatile uint64_t *d = phys_to_virt(l1);
	d[0] = (l1 & SMMU_L1CD_L2PTR) | SMMU_L1CD_V; /* descriptor 0: the level-1 table itself */
	dsb_ishst();
	uint64_t ste = ste_of(sid);
	volatile uint64_t *s = phys_to_virt(ste);
	for (int i = 1; i < SMMU_STE_DWORDS; i++)
		s[i] = 0;
	s[1] = SMMU_STE1_S1CIR_PUT(1) | SMMU_STE1_S1COR_PUT(1) | SMMU_STE1_S1CSH_PUT(3);
	dsb_ishst();
	/* 2^8 substreams through a two-level CD table of 4 KiB leaves */
	s[0] = SMMU_STE0_V | SMMU_STE0_CONFIG_PUT(SMMU_STE_CFG_S1) | SMMU_STE0_S1FMT_PUT(SMMU_S1FMT_2LVL_4K) |
	       (l1 & SMMU_STE0_S1CTXPTR) | SMMU_STE0_S1CDMAX_PUT(8);
	dsb_ishst();
	cmd(SMMU_CMD_CFGI_STE | SMMU_CMD0_SID_PUT(sid), SMMU_CMD1_LEAF);
	cmd_sync();
	return ste;
}

void smmu_damage_evtq_index(uint32_t prod, uint32_t cons)
{
	wr32(SMMU_REG_EVENTQ_PROD, prod);
	wr32(SMMU_REG_EVENTQ_CONS, cons);
}

uint32_t smmu_reg32(unsigned off) { return rd32(off); }
