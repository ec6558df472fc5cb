/* SPDX-License-Identifier: MIT */
/* SMMUv3 command and event queues; see smmu_queue.h. */
#include "smmu/smmu_queue.h"

#include <stdlib.h>
#include <string.h>

#include "out/json.h"
#include "smmu/smmu_regs.h"

#define SMMU_EVENTS_MAX_DEFAULT 4096

static bool link_error(int rc)
{
	return rc == PTDBG_ELINK || rc == PTDBG_ETIMEOUT;
}

static int read_dwords(struct ptdbg_mem *mem, uint64_t pa, uint64_t *w, unsigned n)
{
	uint8_t b[32];
	int rc = ptdbg_mem_read(mem, pa, b, 8u * n);
	if (rc) {
		memset(w, 0, 8u * n);
		return rc;
	}
	for (unsigned i = 0; i < n; i++) {
		w[i] = 0;
		for (unsigned k = 0; k < 8; k++)
			w[i] |= (uint64_t)b[8 * i + k] << (8 * k);
	}
	return 0;
}

void smmu_queue_init(struct smmu_queue *q, enum smmu_queue_kind kind, uint64_t base_reg,
		     uint32_t prod, uint32_t cons, unsigned max_log2, bool enabled)
{
	memset(q, 0, sizeof(*q));
	q->kind = kind;
	q->base_reg = base_reg;
	q->prod_reg = prod;
	q->cons_reg = cons;
	q->regs_ok = true;
	q->enabled = enabled;
	q->base = base_reg & SMMU_Q_BASE_ADDR;
	q->entry_size = kind == SMMU_Q_CMD ? SMMU_CMD_SIZE : SMMU_EVT_SIZE;
	q->log2size_reg = SMMU_Q_BASE_LOG2SIZE(base_reg);
	if (max_log2 > SMMU_Q_LOG2SIZE_MAX)
		max_log2 = SMMU_Q_LOG2SIZE_MAX;
	q->log2size = q->log2size_reg > max_log2 ? max_log2 : q->log2size_reg;
	q->entries = 1u << q->log2size;

	uint32_t idx_mask = q->entries - 1, wrap = q->entries;
	uint32_t p = prod & SMMU_Q_IDX_WRP_MASK, c = cons & SMMU_Q_IDX_WRP_MASK;
	q->index_bad = (p | c) & ~(idx_mask | wrap) & SMMU_Q_IDX_WRP_MASK;
	q->prod = p & idx_mask;
	q->cons = c & idx_mask;
	q->prod_wrap = p & wrap;
	q->cons_wrap = c & wrap;
	if (q->prod_wrap == q->cons_wrap) {
		if (q->prod >= q->cons) {
			q->pending = q->prod - q->cons;
		} else {
			q->index_bad = true; /* the producer is behind the consumer */
			q->pending = 0;
		}
	} else {
		if (q->prod <= q->cons) {
			q->pending = q->entries - q->cons + q->prod;
		} else {
			q->index_bad = true; /* more than a full queue */
			q->pending = q->entries;
		}
	}
	q->empty = q->pending == 0;
	q->full = q->pending == q->entries;
	if (kind == SMMU_Q_EVENT)
		q->overflow = ((prod & SMMU_Q_PROD_OVFLG) != 0) != ((cons & SMMU_Q_CONS_OVACKFLG) != 0);
	else
		q->cmdq_err = SMMU_CMDQ_CONS_ERR(cons);
}

void smmu_queue_from_regs(struct smmu_queue *q, enum smmu_queue_kind kind,
			  const struct smmu_regs *r)
{
	bool ok0, ok1, ok2, ok3;
	uint64_t idr1 = smmu_regs_get(r, SMMU_REG_IDR1, &ok0);
	uint64_t ack = smmu_regs_get(r, SMMU_REG_CR0ACK, NULL);
	uint64_t base, prod, cons;
	if (kind == SMMU_Q_CMD) {
		base = smmu_regs_get(r, SMMU_REG_CMDQ_BASE, &ok1);
		prod = smmu_regs_get(r, SMMU_REG_CMDQ_PROD, &ok2);
		cons = smmu_regs_get(r, SMMU_REG_CMDQ_CONS, &ok3);
		smmu_queue_init(q, kind, base, (uint32_t)prod, (uint32_t)cons,
				ok0 ? SMMU_IDR1_CMDQS(idr1) : SMMU_Q_MAX_UNKNOWN, ack & SMMU_CR0_CMDQEN);
	} else {
		base = smmu_regs_get(r, SMMU_REG_EVENTQ_BASE, &ok1);
		prod = smmu_regs_get(r, SMMU_REG_EVENTQ_PROD, &ok2);
		cons = smmu_regs_get(r, SMMU_REG_EVENTQ_CONS, &ok3);
		smmu_queue_init(q, kind, base, (uint32_t)prod, (uint32_t)cons,
				ok0 ? SMMU_IDR1_EVENTQS(idr1) : SMMU_Q_MAX_UNKNOWN, ack & SMMU_CR0_EVENTQEN);
	}
	q->regs_ok = ok1 && ok2 && ok3;
}

uint64_t smmu_queue_entry_pa(const struct smmu_queue *q, uint32_t idx)
{
	return q->base + (uint64_t)(idx & (q->entries - 1)) * q->entry_size;
}

/* ---- events ---- */

void smmu_event_decode(const uint64_t raw[SMMU_EVT_DWORDS], uint32_t index, struct smmu_event *e)
{
	memset(e, 0, sizeof(*e));
	memcpy(e->raw, raw, sizeof(e->raw));
	e->index = index;
	e->type = SMMU_EVT0_TYPE(raw[0]);
	e->sid = SMMU_EVT0_SID(raw[0]);
	e->ssv = raw[0] & SMMU_EVT0_SSV;
	e->ssid = SMMU_EVT0_SSID(raw[0]);
	e->stag = (uint16_t)PTDBG_FIELD_GET(SMMU_EVT1_STAG_MASK, raw[1]);
	e->stall = raw[1] & SMMU_EVT1_STALL;
	e->pnu = raw[1] & SMMU_EVT1_PNU;
	e->ind = raw[1] & SMMU_EVT1_IND;
	e->rnw = raw[1] & SMMU_EVT1_RNW;
	e->s2 = raw[1] & SMMU_EVT1_S2;
	e->cls = SMMU_EVT1_CLASS(raw[1]);
	e->ttrnw = raw[1] & SMMU_EVT1_TTRNW;
	e->input_addr = raw[2];
	e->nsipa = raw[3] & SMMU_EVT3_NSIPA;
	e->ipa = raw[3] & SMMU_EVT3_IPA;
	e->fetch_addr = raw[3] & SMMU_EVT3_FETCH_ADDR;

	switch (e->type) {
	case SMMU_EVT_F_TRANSLATION:
	case SMMU_EVT_F_ADDR_SIZE:
	case SMMU_EVT_F_ACCESS:
	case SMMU_EVT_F_PERMISSION:
		e->has_walk = e->has_input = e->has_access = true;
		e->has_ipa = e->s2 || e->ipa;
		break;
	case SMMU_EVT_F_WALK_EABT:
		e->has_walk = e->has_input = e->has_access = e->has_fetch = true;
		break;
	case SMMU_EVT_F_UUT:
	case SMMU_EVT_F_BAD_ATS_TREQ:
	case SMMU_EVT_F_TRANSL_FORBIDDEN:
	case SMMU_EVT_F_TLB_CONFLICT:
	case SMMU_EVT_E_PAGE_REQUEST:
		e->has_input = e->has_access = true;
		break;
	case SMMU_EVT_F_STE_FETCH:
	case SMMU_EVT_F_CD_FETCH:
	case SMMU_EVT_F_VMS_FETCH:
		e->has_fetch = true;
		break;
	default:
		break;
	}
}

static bool all_zero(const uint64_t *w, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (w[i])
			return false;
	return true;
}

int smmu_events_read(struct ptdbg_mem *mem, const struct smmu_queue *q, bool all,
		     struct smmu_event *out, size_t max, size_t *n)
{
	uint64_t raw[SMMU_EVT_DWORDS];
	uint32_t count = all ? q->entries : q->pending;
	*n = 0;
	for (uint32_t i = 0; i < count && *n < max; i++) {
		uint32_t idx = all ? i : (q->cons + i) & (q->entries - 1);
		int rc = read_dwords(mem, smmu_queue_entry_pa(q, idx), raw, SMMU_EVT_DWORDS);
		if (rc)
			return rc;
		if (all && all_zero(raw, SMMU_EVT_DWORDS))
			continue;
		smmu_event_decode(raw, idx, &out[(*n)++]);
	}
	return 0;
}

void smmu_event_print(FILE *out, const struct smmu_event *e, int index_width)
{
	const char *name = smmu_event_name(e->type);
	if (name)
		fprintf(out, "[%*u] %s", index_width, (unsigned)e->index, name);
	else
		fprintf(out, "[%*u] event 0x%02x", index_width, (unsigned)e->index, e->type);
	fprintf(out, " sid 0x%x", (unsigned)e->sid);
	if (e->ssv)
		fprintf(out, " ssid %u", (unsigned)e->ssid);
	if (e->has_input)
		fprintf(out, " input 0x%llx", (unsigned long long)e->input_addr);
	if (e->has_access)
		fprintf(out, " %s %s %s", e->rnw ? "read" : "write", e->pnu ? "priv" : "unpriv",
			e->ind ? "insn" : "data");
	if (e->has_walk) {
		fprintf(out, " stage %u class %s", e->s2 ? 2 : 1, smmu_event_class_name(e->cls));
		if (e->stall)
			fprintf(out, " stalled stag 0x%x", e->stag);
	}
	if (e->has_ipa)
		fprintf(out, " ipa 0x%llx%s", (unsigned long long)e->ipa, e->nsipa ? " (NS)" : "");
	if (e->has_fetch)
		fprintf(out, " fetch 0x%llx", (unsigned long long)e->fetch_addr);
	fprintf(out, "  (%s)\n", smmu_event_desc(e->type));
}

void smmu_event_json(struct ptdbg_json *j, const struct smmu_event *e)
{
	const char *name = smmu_event_name(e->type);
	ptdbg_json_start_object(j);
	ptdbg_json_uint_field(j, "index", e->index);
	ptdbg_json_uint_field(j, "type", e->type);
	ptdbg_json_string_field(j, "name", name ? name : "unknown");
	ptdbg_json_string_field(j, "meaning", smmu_event_desc(e->type));
	ptdbg_json_uint_field(j, "sid", e->sid);
	ptdbg_json_bool_field(j, "ssv", e->ssv);
	if (e->ssv)
		ptdbg_json_uint_field(j, "ssid", e->ssid);
	if (e->has_input)
		ptdbg_json_hex_field(j, "input_addr", e->input_addr);
	if (e->has_access) {
		ptdbg_json_string_field(j, "access", e->rnw ? "read" : "write");
		ptdbg_json_bool_field(j, "privileged", e->pnu);
		ptdbg_json_bool_field(j, "instruction", e->ind);
	}
	if (e->has_walk) {
		ptdbg_json_uint_field(j, "stage", e->s2 ? 2 : 1);
		ptdbg_json_string_field(j, "class", smmu_event_class_name(e->cls));
		ptdbg_json_bool_field(j, "stall", e->stall);
		ptdbg_json_uint_field(j, "stag", e->stag);
	}
	if (e->has_ipa) {
		ptdbg_json_hex_field(j, "ipa", e->ipa);
		ptdbg_json_bool_field(j, "nsipa", e->nsipa);
	}
	if (e->has_fetch)
		ptdbg_json_hex_field(j, "fetch_addr", e->fetch_addr);
	ptdbg_json_name(j, "raw");
	ptdbg_json_start_array(j);
	for (unsigned i = 0; i < SMMU_EVT_DWORDS; i++)
		ptdbg_json_hex(j, e->raw[i]);
	ptdbg_json_end_array(j);
	ptdbg_json_end_object(j);
}

/* ---- commands ---- */

void smmu_cmd_decode(const uint64_t raw[2], uint32_t index, struct smmu_cmd *c)
{
	memset(c, 0, sizeof(*c));
	c->raw[0] = raw[0];
	c->raw[1] = raw[1];
	c->index = index;
	c->opcode = SMMU_CMD0_OPCODE(raw[0]);
	c->ssv = raw[0] & SMMU_CMD0_SSV;
	c->leaf = raw[1] & SMMU_CMD1_LEAF;
	c->sid = (uint32_t)PTDBG_FIELD_GET(SMMU_CMD0_SID_MASK, raw[0]);
	c->ssid = (uint32_t)PTDBG_FIELD_GET(SMMU_CMD0_SSID_MASK, raw[0]);
	c->asid = (uint16_t)PTDBG_FIELD_GET(SMMU_CMD0_ASID_MASK, raw[0]);
	c->vmid = (uint16_t)PTDBG_FIELD_GET(SMMU_CMD0_VMID_MASK, raw[0]);
	c->range = (unsigned)PTDBG_FIELD_GET(SMMU_CMD1_RANGE_MASK, raw[1]);
	c->cs = (unsigned)PTDBG_FIELD_GET(SMMU_CMD0_SYNC_CS_MASK, raw[0]);
	c->msidata = (uint32_t)PTDBG_FIELD_GET(SMMU_CMD0_SYNC_MSIDATA_MASK, raw[0]);
	c->addr = c->opcode == SMMU_CMD_SYNC ? raw[1] & SMMU_CMD1_SYNC_MSIADDR
					     : raw[1] & SMMU_CMD1_TLBI_ADDR;
}

void smmu_cmd_print(FILE *out, const struct smmu_cmd *c)
{
	const char *name = smmu_cmd_name(c->opcode);
	if (name)
		fprintf(out, "[%u] %s", (unsigned)c->index, name);
	else
		fprintf(out, "[%u] opcode 0x%02x (unknown)", (unsigned)c->index, c->opcode);
	switch (c->opcode) {
	case SMMU_CMD_CFGI_STE:
		fprintf(out, " sid 0x%x%s", (unsigned)c->sid, c->leaf ? " leaf" : "");
		break;
	case SMMU_CMD_CFGI_STE_RANGE:
		if (c->range == SMMU_CMD_CFGI_ALL_RANGE)
			fprintf(out, " (CFGI_ALL)");
		else
			fprintf(out, " sid 0x%x range %u (%llu streams)", (unsigned)c->sid, c->range,
				1ull << (c->range + 1));
		break;
	case SMMU_CMD_CFGI_CD:
		fprintf(out, " sid 0x%x ssid %u%s", (unsigned)c->sid, (unsigned)c->ssid,
			c->leaf ? " leaf" : "");
		break;
	case SMMU_CMD_CFGI_CD_ALL:
	case SMMU_CMD_PREFETCH_CONFIG:
		fprintf(out, " sid 0x%x", (unsigned)c->sid);
		break;
	case SMMU_CMD_TLBI_NH_ASID:
	case SMMU_CMD_TLBI_EL2_ASID:
		fprintf(out, " asid %u vmid %u", c->asid, c->vmid);
		break;
	case SMMU_CMD_TLBI_NH_VA:
	case SMMU_CMD_TLBI_EL2_VA:
		fprintf(out, " asid %u vmid %u va 0x%llx%s", c->asid, c->vmid,
			(unsigned long long)c->addr, c->leaf ? " leaf" : "");
		break;
	case SMMU_CMD_TLBI_NH_VAA:
	case SMMU_CMD_TLBI_EL2_VAA:
	case SMMU_CMD_TLBI_S2_IPA:
		fprintf(out, " vmid %u addr 0x%llx%s", c->vmid, (unsigned long long)c->addr,
			c->leaf ? " leaf" : "");
		break;
	case SMMU_CMD_TLBI_S12_VMALL:
		fprintf(out, " vmid %u", c->vmid);
		break;
	case SMMU_CMD_SYNC:
		fprintf(out, " cs %s", c->cs == SMMU_SYNC_CS_IRQ ? "irq" :
				       c->cs == SMMU_SYNC_CS_SEV ? "sev" :
				       c->cs == SMMU_SYNC_CS_NONE ? "none" : "reserved");
		if (c->cs == SMMU_SYNC_CS_IRQ)
			fprintf(out, " msi 0x%llx data 0x%x", (unsigned long long)c->addr,
				(unsigned)c->msidata);
		break;
	default:
		break;
	}
	fprintf(out, "  (0x%016llx 0x%016llx)\n", (unsigned long long)c->raw[0],
		(unsigned long long)c->raw[1]);
}

void smmu_cmd_json(struct ptdbg_json *j, const struct smmu_cmd *c)
{
	const char *name = smmu_cmd_name(c->opcode);
	ptdbg_json_start_object(j);
	ptdbg_json_uint_field(j, "index", c->index);
	ptdbg_json_uint_field(j, "opcode", c->opcode);
	ptdbg_json_string_field(j, "name", name ? name : "unknown");
	ptdbg_json_uint_field(j, "sid", c->sid);
	ptdbg_json_uint_field(j, "ssid", c->ssid);
	ptdbg_json_uint_field(j, "asid", c->asid);
	ptdbg_json_uint_field(j, "vmid", c->vmid);
	ptdbg_json_hex_field(j, "addr", c->addr);
	ptdbg_json_bool_field(j, "leaf", c->leaf);
	ptdbg_json_hex_field(j, "raw0", c->raw[0]);
	ptdbg_json_hex_field(j, "raw1", c->raw[1]);
	ptdbg_json_end_object(j);
}

int smmu_cmds_read(struct ptdbg_mem *mem, const struct smmu_queue *q, struct smmu_cmd *out,
		   size_t max, size_t *n)
{
	uint64_t raw[2];
	*n = 0;
	for (uint32_t i = 0; i < q->pending && *n < max; i++) {
		uint32_t idx = (q->cons + i) & (q->entries - 1);
		int rc = read_dwords(mem, smmu_queue_entry_pa(q, idx), raw, 2);
		if (rc)
			return rc;
		smmu_cmd_decode(raw, idx, &out[(*n)++]);
	}
	return 0;
}

/* ---- state ---- */

void smmu_queue_print(FILE *out, const struct smmu_queue *q)
{
	const char *name = q->kind == SMMU_Q_CMD ? "command queue" : "event queue";
	if (!q->regs_ok) {
		fprintf(out, "%s: registers could not be read\n", name);
		return;
	}
	fprintf(out, "%s at 0x%llx: %u entries of %u bytes, %s, PROD %u%s CONS %u%s: %u pending%s%s",
		name, (unsigned long long)q->base, (unsigned)q->entries, q->entry_size,
		q->enabled ? "enabled" : "disabled", (unsigned)q->prod, q->prod_wrap ? "w" : "",
		(unsigned)q->cons, q->cons_wrap ? "w" : "", (unsigned)q->pending,
		q->full ? " (full)" : "", q->overflow ? ", overflowed (OVFLG)" : "");
	if (q->log2size != q->log2size_reg)
		fprintf(out, ", LOG2SIZE %u above the SMMU's maximum %u", q->log2size_reg, q->log2size);
	if (q->index_bad)
		fprintf(out, ", indexes inconsistent (PROD 0x%x, CONS 0x%x)", (unsigned)q->prod_reg,
			(unsigned)q->cons_reg);
	if (q->kind == SMMU_Q_CMD && q->cmdq_err)
		fprintf(out, ", error %s at CONS", smmu_cmdq_err_name(q->cmdq_err));
	fprintf(out, "\n");
}

void smmu_queue_json(struct ptdbg_json *j, const struct smmu_queue *q)
{
	ptdbg_json_start_object(j);
	ptdbg_json_bool_field(j, "registers_read", q->regs_ok);
	ptdbg_json_hex_field(j, "base", q->base);
	ptdbg_json_uint_field(j, "log2size", q->log2size);
	ptdbg_json_uint_field(j, "log2size_programmed", q->log2size_reg);
	ptdbg_json_uint_field(j, "entries", q->entries);
	ptdbg_json_bool_field(j, "enabled", q->enabled);
	ptdbg_json_uint_field(j, "prod", q->prod);
	ptdbg_json_bool_field(j, "prod_wrap", q->prod_wrap);
	ptdbg_json_uint_field(j, "cons", q->cons);
	ptdbg_json_bool_field(j, "cons_wrap", q->cons_wrap);
	ptdbg_json_uint_field(j, "pending", q->pending);
	ptdbg_json_bool_field(j, "full", q->full);
	ptdbg_json_bool_field(j, "index_inconsistent", q->index_bad);
	if (q->kind == SMMU_Q_EVENT)
		ptdbg_json_bool_field(j, "overflow", q->overflow);
	else
		ptdbg_json_string_field(j, "error", smmu_cmdq_err_name(q->cmdq_err));
	ptdbg_json_end_object(j);
}

/* ---- faults ---- */

int smmu_faults_print(FILE *out, struct ptdbg_mem *mem, const struct smmu_regs *r, bool all,
		      size_t max)
{
	struct smmu_queue eq, cq;
	uint32_t active = smmu_gerror_active((uint32_t)smmu_regs_get(r, SMMU_REG_GERROR, NULL),
					     (uint32_t)smmu_regs_get(r, SMMU_REG_GERRORN, NULL));
	size_t n = 0;
	int rc;

	if (!max)
		max = SMMU_EVENTS_MAX_DEFAULT;
	fprintf(out, "GERROR: %s\n", active ? "errors active" : "no errors active");
	for (unsigned b = 0; b < 32; b++)
		if (active & (1u << b))
			fprintf(out, "  %s: %s\n", smmu_gerror_bit_name(b), smmu_gerror_bit_desc(b));
	smmu_queue_from_regs(&eq, SMMU_Q_EVENT, r);
	smmu_queue_print(out, &eq);
	if (eq.regs_ok) {
		struct smmu_event *ev = calloc(max < eq.entries ? max : eq.entries, sizeof(*ev));
		if (!ev)
			return PTDBG_ENOMEM;
		rc = smmu_events_read(mem, &eq, all, ev, max < eq.entries ? max : eq.entries, &n);
		unsigned top = 0;
		for (size_t i = 0; i < n; i++)
			top = ev[i].index > top ? ev[i].index : top;
		int width = snprintf(NULL, 0, "%u", top);
		for (size_t i = 0; i < n; i++)
			smmu_event_print(out, &ev[i], width);
		free(ev);
		if (link_error(rc))
			return rc;
		if (rc)
			fprintf(out, "(the event queue could not be read past record %zu: %d)\n", n, rc);
	}
	smmu_queue_from_regs(&cq, SMMU_Q_CMD, r);
	smmu_queue_print(out, &cq);
	if (cq.regs_ok && cq.cmdq_err) {
		struct smmu_queue one = cq;
		struct smmu_cmd c;
		one.pending = 1;
		rc = smmu_cmds_read(mem, &one, &c, 1, &n);
		if (link_error(rc))
			return rc;
		if (!rc && n) {
			fprintf(out, "the command at CONS: ");
			smmu_cmd_print(out, &c);
		}
	}
	return 0;
}

int smmu_faults_json(struct ptdbg_json *j, struct ptdbg_mem *mem, const struct smmu_regs *r,
		     bool all, size_t max)
{
	struct smmu_queue eq, cq;
	uint32_t active = smmu_gerror_active((uint32_t)smmu_regs_get(r, SMMU_REG_GERROR, NULL),
					     (uint32_t)smmu_regs_get(r, SMMU_REG_GERRORN, NULL));
	size_t n = 0;
	int rc = 0;

	if (!max)
		max = SMMU_EVENTS_MAX_DEFAULT;
	ptdbg_json_start_object(j);
	ptdbg_json_name(j, "gerror");
	ptdbg_json_start_object(j);
	ptdbg_json_hex_field(j, "active", active);
	ptdbg_json_name(j, "errors");
	ptdbg_json_start_array(j);
	for (unsigned b = 0; b < 32; b++)
		if (active & (1u << b))
			ptdbg_json_string(j, smmu_gerror_bit_name(b));
	ptdbg_json_end_array(j);
	ptdbg_json_end_object(j);

	smmu_queue_from_regs(&eq, SMMU_Q_EVENT, r);
	ptdbg_json_name(j, "eventq");
	smmu_queue_json(j, &eq);
	ptdbg_json_name(j, "events");
	ptdbg_json_start_array(j);
	if (eq.regs_ok) {
		size_t cap = max < eq.entries ? max : eq.entries;
		struct smmu_event *ev = calloc(cap, sizeof(*ev));
		if (ev) {
			rc = smmu_events_read(mem, &eq, all, ev, cap, &n);
			for (size_t i = 0; i < n; i++)
				smmu_event_json(j, &ev[i]);
			free(ev);
		} else {
			rc = PTDBG_ENOMEM;
		}
	}
	ptdbg_json_end_array(j);
	if (rc && !link_error(rc) && rc != PTDBG_ENOMEM)
		ptdbg_json_int_field(j, "events_read_error", rc);

	smmu_queue_from_regs(&cq, SMMU_Q_CMD, r);
	ptdbg_json_name(j, "cmdq");
	smmu_queue_json(j, &cq);
	if (cq.regs_ok && cq.cmdq_err && !link_error(rc)) {
		struct smmu_queue one = cq;
		struct smmu_cmd c;
		one.pending = 1;
		int r2 = smmu_cmds_read(mem, &one, &c, 1, &n);
		if (!r2 && n) {
			ptdbg_json_name(j, "cmdq_error_command");
			smmu_cmd_json(j, &c);
		} else if (link_error(r2)) {
			rc = r2;
		}
	}
	ptdbg_json_end_object(j);
	return link_error(rc) || rc == PTDBG_ENOMEM ? rc : 0;
}
