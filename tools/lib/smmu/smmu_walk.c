/* SPDX-License-Identifier: MIT */
/* A stream's stage-1 tables through the AArch64 decoder; see smmu_walk.h. */
#include "smmu/smmu_walk.h"

#include <string.h>

#include "arm64/arm64_print.h"
#include "out/json.h"
#include "target/target.h"

static uint64_t tg0_enc(uint64_t gran)
{
	return gran == 65536 ? ARM64_TCR_TG0_64K : gran == 16384 ? ARM64_TCR_TG0_16K : ARM64_TCR_TG0_4K;
}

static uint64_t tg1_enc(uint64_t gran)
{
	return gran == 65536 ? ARM64_TCR_TG1_64K : gran == 16384 ? ARM64_TCR_TG1_16K : ARM64_TCR_TG1_4K;
}

/* TCR.IPS for an output size in bits (the largest encoding not above it). */
static uint64_t ips_enc(unsigned bits)
{
	static const unsigned size[] = { 32, 36, 40, 42, 44, 48, 52 };
	uint64_t e = 0;
	for (unsigned i = 0; i < 7; i++)
		if (bits >= size[i])
			e = i;
	return e << ARM64_TCR_IPS_SHIFT;
}

void smmu_s1_cpu(const struct smmu_s1_cfg *cfg, struct ptdbg_arm64_cpu *cpu)
{
	memset(cpu, 0, sizeof(*cpu));
	uint64_t tcr = 0;
	tcr |= (uint64_t)((64 - (cfg->ias[0] ? cfg->ias[0] : 64)) & 0x3f) << ARM64_TCR_T0SZ_SHIFT;
	tcr |= (uint64_t)((64 - (cfg->ias[1] ? cfg->ias[1] : 64)) & 0x3f) << ARM64_TCR_T1SZ_SHIFT;
	tcr |= tg0_enc(cfg->granule[0]) | tg1_enc(cfg->granule[1]);
	if (!cfg->enabled[0])
		tcr |= ARM64_TCR_EPD0;
	if (!cfg->enabled[1])
		tcr |= ARM64_TCR_EPD1;
	tcr |= ips_enc(cfg->oas ? cfg->oas : 52) | ARM64_TCR_AS;
	if (cfg->tbi[0])
		tcr |= ARM64_TCR_TBI0;
	if (cfg->tbi[1])
		tcr |= ARM64_TCR_TBI1;
	if (cfg->ha || cfg->affd)
		tcr |= ARM64_TCR_HA;
	if (cfg->hd)
		tcr |= ARM64_TCR_HD;
	cpu->tcr = tcr;
	cpu->ttbr0 = cfg->ttb[0] | (uint64_t)cfg->asid << 48;
	cpu->ttbr1 = cfg->ttb[1] | (uint64_t)cfg->asid << 48;
	cpu->mair = cfg->mair;
	cpu->parange = cfg->oas ? cfg->oas : 52;
}

unsigned smmu_event_of_fsc(unsigned fsc)
{
	if (!fsc)
		return 0;
	switch (arm64_fsc_kind(fsc)) {
	case ARM64_FSC_TRANSLATION: return SMMU_EVT_F_TRANSLATION;
	case ARM64_FSC_ADDR_SIZE:   return SMMU_EVT_F_ADDR_SIZE;
	case ARM64_FSC_ACCESS_FLAG: return SMMU_EVT_F_ACCESS;
	case ARM64_FSC_PERMISSION:  return SMMU_EVT_F_PERMISSION;
	default:                    return SMMU_EVT_F_WALK_EABT;
	}
}

int smmu_translate(struct ptdbg_mem *mem, const struct smmu_hw *hw, const struct smmu_strtab *st,
		   uint32_t sid, uint32_t ssid, uint64_t iova, bool write, bool eventq_on,
		   struct smmu_translation *out)
{
	memset(out, 0, sizeof(*out));
	out->iova = iova;
	out->write = write;
	out->half = -1;
	int rc = smmu_stream_lookup(mem, hw, st, sid, ssid, &out->lookup);
	if (rc)
		return rc;
	const struct smmu_stream_lookup *l = &out->lookup;
	if (l->event) {
		out->event = l->event;
		out->recorded = eventq_on;
		snprintf(out->why, sizeof(out->why), "%s", l->why);
		return 0;
	}
	switch (l->xlate) {
	case SMMU_XL_ABORT:
		snprintf(out->why, sizeof(out->why), "the STE aborts the stream's requests (no event)");
		return 0;
	case SMMU_XL_BYPASS:
		out->translated = true;
		out->pa = iova;
		return 0;
	case SMMU_XL_S2:
		snprintf(out->why, sizeof(out->why), "stage 2 only: not walked");
		return 0;
	default:
		break;
	}
	if (!smmu_s1_cfg_from_lookup(hw, l, &out->cfg)) {
		snprintf(out->why, sizeof(out->why), "%s: no stage-1 context", smmu_xlate_name(l->xlate));
		return 0;
	}
	out->have_cfg = true;
	smmu_s1_cpu(&out->cfg, &out->cpu);
	out->privileged = out->cfg.privileged;
	rc = ptdbg_arm64_translate(mem, &out->cpu, iova,
				   (write ? PTDBG_ACC_WRITE : 0) | (out->privileged ? 0 : PTDBG_ACC_USER),
				   &out->tr, &out->half);
	if (rc)
		return rc;
	if (out->tr.stop == PTDBG_STOP_OK) {
		out->translated = true;
		out->pa = out->tr.pa;
		if (l->xlate == SMMU_XL_NESTED)
			snprintf(out->why, sizeof(out->why), "stage 1 output; stage 2 not walked");
		return 0;
	}
	out->event = smmu_event_of_fsc(out->tr.fault);
	if (!out->event)
		out->event = SMMU_EVT_F_TRANSLATION;
	/* CD.R hides the four stage-1 translation-related faults; CD.A=0 would stall
	 * or retry instead of terminating, which this model does not follow. */
	bool hidden = !l->cd.r && out->event != SMMU_EVT_F_WALK_EABT;
	out->recorded = eventq_on && !hidden;
	char fsc[64];
	snprintf(out->why, sizeof(out->why), "%s%s", ptdbg_arm64_fsc_name(out->tr.fault, fsc, sizeof(fsc)),
		 hidden ? "; not recorded: the CD has R=0" : !eventq_on ? "; not recorded: the event queue is off" : "");
	return 0;
}

void smmu_translation_print(FILE *out, const struct smmu_translation *t)
{
	char s[32];
	const struct smmu_stream_lookup *l = &t->lookup;
	smmu_stream_str(l->sid, l->ssid, s, sizeof(s));
	fprintf(out, "%s of IOVA %#llx by stream %s\n", t->write ? "write" : "read", (unsigned long long)t->iova, s);
	smmu_lookup_print(out, l);
	if (t->have_cfg) {
		unsigned pc = (unsigned)PTDBG_FIELD_GET(SMMU_STE1_PRIVCFG_MASK, l->ste.w[1]);
		fprintf(out, "request: %s data (STE.PRIVCFG %u: %s)\n", t->privileged ? "privileged" : "unprivileged",
			pc, pc >= 2 ? "set by the STE" : "as it comes, a PCIe request without PASID prefix");
		fprintf(out, "stage 1 (CD ASID %u, %u-bit input, TTB%d):\n", t->cfg.asid,
			t->half >= 0 ? t->cfg.ias[t->half] : t->cfg.ias[0], t->half >= 0 ? t->half : 0);
		ptdbg_arm64_print_translation(out, &t->cpu, t->half, &t->tr);
	}
	if (t->translated)
		fprintf(out, "result: IOVA %#llx -> physical %#llx%s%s%s\n", (unsigned long long)t->iova,
			(unsigned long long)t->pa, l->xlate == SMMU_XL_BYPASS ? " (bypass)" : "",
			t->why[0] ? "; " : "", t->why);
	else if (t->event)
		fprintf(out, "result: the SMMU raises %s (%s)%s: %s\n", smmu_event_name(t->event),
			smmu_event_desc(t->event), t->recorded ? ", recorded in the event queue" : "", t->why);
	else
		fprintf(out, "result: not translated: %s\n", t->why);
}

void smmu_translation_json(struct ptdbg_json *j, const struct smmu_translation *t)
{
	ptdbg_json_start_object(j);
	ptdbg_json_hex_field(j, "iova", t->iova);
	ptdbg_json_bool_field(j, "write", t->write);
	ptdbg_json_name(j, "lookup");
	smmu_lookup_json(j, &t->lookup);
	if (t->have_cfg) {
		ptdbg_json_bool_field(j, "privileged", t->privileged);
		ptdbg_json_name(j, "stage1");
		ptdbg_arm64_json_translation(j, &t->cpu, t->half, &t->tr);
	}
	ptdbg_json_bool_field(j, "translated", t->translated);
	if (t->translated)
		ptdbg_json_hex_field(j, "pa", t->pa);
	if (t->event) {
		ptdbg_json_string_field(j, "event", smmu_event_name(t->event));
		ptdbg_json_uint_field(j, "event_type", t->event);
		ptdbg_json_bool_field(j, "recorded", t->recorded);
	}
	if (t->why[0])
		ptdbg_json_string_field(j, "why", t->why);
	ptdbg_json_end_object(j);
}

int smmu_s1_translate(void *ctx, const struct smmu_s1_cfg *cfg, uint64_t iova, bool write, uint64_t *pa)
{
	struct ptdbg_arm64_cpu cpu;
	struct ptdbg_translation tr;
	smmu_s1_cpu(cfg, &cpu);
	int rc = ptdbg_arm64_translate(ctx, &cpu, iova,
				       (write ? PTDBG_ACC_WRITE : 0) | (cfg->privileged ? 0 : PTDBG_ACC_USER), &tr, NULL);
	if (rc)
		return rc;
	if (tr.stop != PTDBG_STOP_OK)
		return 0;
	*pa = tr.pa;
	return 1;
}
