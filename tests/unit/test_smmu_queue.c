/* SPDX-License-Identifier: MIT */
/* Unit tests: SMMUv3 queue state from BASE/PROD/CONS, event records of every type,
 * commands, and iommudump faults (smmu_queue.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "out/json.h"
#include "smmu/smmu_queue.h"
#include "smmu/smmu_regs.h"
#include "test_smmu_synth.h"

#define EVTQ 0x40300000ull
#define CMDQ 0x40200000ull
#define HOLE 0x50000000ull

static void test_queue_state(void **state)
{
	struct smmu_queue q;
	/* Empty, 8 entries. */
	smmu_queue_init(&q, SMMU_Q_EVENT, EVTQ | 3, 0, 0, 19, true);
	assert_int_equal(q.base, EVTQ);
	assert_int_equal(q.entries, 8);
	assert_int_equal(q.entry_size, 32);
	assert_true(q.empty);
	assert_false(q.full);
	assert_false(q.index_bad);
	assert_int_equal(q.pending, 0);
	/* 3 pending without wrap, 5 pending across the wrap, full. */
	smmu_queue_init(&q, SMMU_Q_EVENT, EVTQ | 3, 5, 2, 19, true);
	assert_int_equal(q.pending, 3);
	smmu_queue_init(&q, SMMU_Q_EVENT, EVTQ | 3, 8 | 1, 4, 19, true);
	assert_true(q.prod_wrap);
	assert_false(q.cons_wrap);
	assert_int_equal(q.prod, 1);
	assert_int_equal(q.pending, 5);
	smmu_queue_init(&q, SMMU_Q_EVENT, EVTQ | 3, 8 | 2, 2, 19, true);
	assert_true(q.full);
	assert_int_equal(q.pending, 8);
	assert_int_equal(smmu_queue_entry_pa(&q, 9), EVTQ + 32);
	/* Inconsistent: producer behind the consumer, beyond a full queue, bits above
	 * the wrap bit. */
	smmu_queue_init(&q, SMMU_Q_EVENT, EVTQ | 3, 1, 4, 19, true);
	assert_true(q.index_bad);
	assert_int_equal(q.pending, 0);
	smmu_queue_init(&q, SMMU_Q_EVENT, EVTQ | 3, 8 | 5, 2, 19, true);
	assert_true(q.index_bad);
	assert_int_equal(q.pending, 8);
	smmu_queue_init(&q, SMMU_Q_EVENT, EVTQ | 3, 0x40, 0, 19, true);
	assert_true(q.index_bad);
	/* Overflow flag against its acknowledgement. */
	smmu_queue_init(&q, SMMU_Q_EVENT, EVTQ | 3, SMMU_Q_PROD_OVFLG, 0, 19, true);
	assert_true(q.overflow);
	smmu_queue_init(&q, SMMU_Q_EVENT, EVTQ | 3, SMMU_Q_PROD_OVFLG, SMMU_Q_CONS_OVACKFLG, 19, true);
	assert_false(q.overflow);
	/* LOG2SIZE bounded by the SMMU's maximum, and by 19. */
	smmu_queue_init(&q, SMMU_Q_CMD, CMDQ | 31, 0, 0, SMMU_Q_MAX_UNKNOWN, true);
	assert_int_equal(q.log2size_reg, 31);
	assert_int_equal(q.log2size, 19);
	smmu_queue_init(&q, SMMU_Q_CMD, CMDQ | 10, 0, 0, 4, true);
	assert_int_equal(q.log2size, 4);
	assert_int_equal(q.entry_size, 16);
	smmu_queue_init(&q, SMMU_Q_CMD, CMDQ | 10, 1, 0, 0, true);
	assert_int_equal(q.entries, 1);
	assert_true(q.full);
	/* Command queue error. */
	smmu_queue_init(&q, SMMU_Q_CMD, CMDQ | 8, 3, 2 | (SMMU_CERROR_ILL << 24), 19, true);
	assert_int_equal(q.cmdq_err, SMMU_CERROR_ILL);
	assert_int_equal(q.pending, 1);
	assert_false(q.overflow);
	char *t = CAPTURE(smmu_queue_print(f, &q));
	assert_non_null(strstr(t, "command queue at 0x40200000: 256 entries of 16 bytes, enabled, PROD 3 CONS 2: 1 pending, error CERROR_ILL at CONS"));
	free(t);
	smmu_queue_init(&q, SMMU_Q_EVENT, EVTQ | 3, 4 | 2, 2 | SMMU_Q_CONS_OVACKFLG, 2, false);
	t = CAPTURE(smmu_queue_print(f, &q));
	assert_non_null(strstr(t, "event queue at 0x40300000: 4 entries of 32 bytes, disabled, PROD 2w CONS 2: 4 pending (full), overflowed (OVFLG), LOG2SIZE 3 above the SMMU's maximum 2"));
	free(t);
}

/* One raw event record of type t with every field filled. */
static void raw_event(uint64_t raw[4], unsigned t)
{
	raw[0] = SMMU_EVT0_TYPE_PUT(t) | SMMU_EVT0_SSV | SMMU_EVT0_SSID_PUT(5) | SMMU_EVT0_SID_PUT(0x10);
	raw[1] = 0x1234 | SMMU_EVT1_STALL | SMMU_EVT1_PNU | SMMU_EVT1_RNW | SMMU_EVT1_S2 |
		 SMMU_EVT1_CLASS_PUT(SMMU_CLASS_TT) | SMMU_EVT1_TTRNW;
	raw[2] = 0x200000000ull;
	raw[3] = 0x40150008ull | SMMU_EVT3_NSIPA;
}

static void test_event_types(void **state)
{
	static const struct { unsigned t; bool input, access, walk, fetch; } types[] = {
		{ SMMU_EVT_F_UUT, 1, 1, 0, 0 },
		{ SMMU_EVT_C_BAD_STREAMID, 0, 0, 0, 0 },
		{ SMMU_EVT_F_STE_FETCH, 0, 0, 0, 1 },
		{ SMMU_EVT_C_BAD_STE, 0, 0, 0, 0 },
		{ SMMU_EVT_F_BAD_ATS_TREQ, 1, 1, 0, 0 },
		{ SMMU_EVT_F_STREAM_DISABLED, 0, 0, 0, 0 },
		{ SMMU_EVT_F_TRANSL_FORBIDDEN, 1, 1, 0, 0 },
		{ SMMU_EVT_C_BAD_SUBSTREAMID, 0, 0, 0, 0 },
		{ SMMU_EVT_F_CD_FETCH, 0, 0, 0, 1 },
		{ SMMU_EVT_C_BAD_CD, 0, 0, 0, 0 },
		{ SMMU_EVT_F_WALK_EABT, 1, 1, 1, 1 },
		{ SMMU_EVT_F_TRANSLATION, 1, 1, 1, 0 },
		{ SMMU_EVT_F_ADDR_SIZE, 1, 1, 1, 0 },
		{ SMMU_EVT_F_ACCESS, 1, 1, 1, 0 },
		{ SMMU_EVT_F_PERMISSION, 1, 1, 1, 0 },
		{ SMMU_EVT_F_TLB_CONFLICT, 1, 1, 0, 0 },
		{ SMMU_EVT_F_CFG_CONFLICT, 0, 0, 0, 0 },
		{ SMMU_EVT_E_PAGE_REQUEST, 1, 1, 0, 0 },
		{ SMMU_EVT_F_VMS_FETCH, 0, 0, 0, 1 },
		{ 0x7f, 0, 0, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		uint64_t raw[4];
		struct smmu_event e;
		raw_event(raw, types[i].t);
		smmu_event_decode(raw, 3, &e);
		assert_int_equal(e.type, types[i].t);
		assert_int_equal(e.index, 3);
		assert_int_equal(e.sid, 0x10);
		assert_true(e.ssv);
		assert_int_equal(e.ssid, 5);
		assert_int_equal(e.stag, 0x1234);
		assert_true(e.stall && e.pnu && e.rnw && e.s2 && e.ttrnw);
		assert_false(e.ind);
		assert_int_equal(e.cls, SMMU_CLASS_TT);
		assert_int_equal(e.input_addr, 0x200000000ull);
		assert_int_equal(e.ipa, 0x40150000ull);
		assert_true(e.nsipa);
		assert_int_equal(e.fetch_addr, 0x40150008ull);
		if (e.has_input != types[i].input || e.has_access != types[i].access ||
		    e.has_walk != types[i].walk || e.has_fetch != types[i].fetch)
			fail_msg("type %#x: fields %d%d%d%d", types[i].t, e.has_input, e.has_access,
				 e.has_walk, e.has_fetch);
		assert_int_equal(e.has_ipa, types[i].walk && types[i].t != SMMU_EVT_F_WALK_EABT);
		char *t = CAPTURE(smmu_event_print(f, &e, 0));
		const char *name = smmu_event_name(types[i].t);
		if (name)
			assert_non_null(strstr(t, name));
		else
			assert_non_null(strstr(t, "event 0x7f"));
		assert_non_null(strstr(t, "sid 0x10 ssid 5"));
		free(t);
	}
	/* A QEMU F_TRANSLATION: stage 1, write of 0x2_0000_0000 by stream 0x10. */
	uint64_t raw[4] = { SMMU_EVT0_TYPE_PUT(SMMU_EVT_F_TRANSLATION) | SMMU_EVT0_SID_PUT(0x10),
			    SMMU_EVT1_CLASS_PUT(SMMU_CLASS_IN), 0x200000000ull, 0 };
	struct smmu_event e;
	smmu_event_decode(raw, 0, &e);
	assert_false(e.has_ipa);
	char *t = CAPTURE(smmu_event_print(f, &e, 0));
	assert_string_equal(t, "[0] F_TRANSLATION sid 0x10 input 0x200000000 write unpriv data stage 1 class IN  (no valid translation for the address)\n");
	free(t);
	/* the index right-aligned in the width the listing asks for */
	e.index = 7;
	t = CAPTURE(smmu_event_print(f, &e, 3));
	assert_true(!strncmp(t, "[  7] F_TRANSLATION sid 0x10 ", 29));
	free(t);
	char *js = NULL;
	size_t n = 0;
	FILE *jf = open_memstream(&js, &n);
	struct ptdbg_json *j = ptdbg_json_new(jf);
	smmu_event_json(j, &e);
	ptdbg_json_free(j);
	fclose(jf);
	assert_non_null(strstr(js, "\"name\":\"F_TRANSLATION\""));
	assert_non_null(strstr(js, "\"access\":\"write\""));
	assert_non_null(strstr(js, "\"stage\":1"));
	assert_non_null(strstr(js, "\"class\":\"IN\""));
	free(js);
}

static void put_event(struct syn *s, uint64_t pa, unsigned type, uint32_t sid, uint64_t addr)
{
	uint64_t raw[4] = { SMMU_EVT0_TYPE_PUT(type) | SMMU_EVT0_SID_PUT(sid), SMMU_EVT1_RNW, addr, 0 };
	syn_put(s, pa, raw, 4);
}

static void test_events_read(void **state)
{
	struct syn *s = syn_new();
	struct smmu_queue q;
	struct smmu_event ev[16];
	size_t n;

	for (unsigned i = 0; i < 8; i++)
		put_event(s, EVTQ + i * 32, SMMU_EVT_F_TRANSLATION, 0x10, 0x1000 * i);
	/* Pending across the wrap: CONS 6, PROD 2 (wrapped): records 6, 7, 0, 1. */
	smmu_queue_init(&q, SMMU_Q_EVENT, EVTQ | 3, 8 | 2, 6, 19, true);
	assert_int_equal(smmu_events_read(syn_mem(s), &q, false, ev, 16, &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(ev[0].index, 6);
	assert_int_equal(ev[0].input_addr, 0x6000);
	assert_int_equal(ev[2].index, 0);
	assert_int_equal(ev[3].index, 1);
	/* At most max. */
	assert_int_equal(smmu_events_read(syn_mem(s), &q, false, ev, 2, &n), 0);
	assert_int_equal(n, 2);
	/* Every nonzero record. */
	memset(ev, 0, sizeof(ev));
	syn_put(s, EVTQ + 3 * 32, (uint64_t[4]){ 0 }, 4);
	smmu_queue_init(&q, SMMU_Q_EVENT, EVTQ | 3, 0, 0, 19, true);
	assert_int_equal(smmu_events_read(syn_mem(s), &q, true, ev, 16, &n), 0);
	assert_int_equal(n, 7);
	/* A queue in a hole. */
	smmu_queue_init(&q, SMMU_Q_EVENT, HOLE | 3, 1, 0, 19, true);
	assert_int_equal(smmu_events_read(syn_mem(s), &q, false, ev, 16, &n), PTDBG_EIO);
	assert_int_equal(n, 0);
	syn_free(s);
}

static void test_commands(void **state)
{
	static const struct { uint64_t w0, w1; const char *text; } cmds[] = {
		{ SMMU_CMD_CFGI_STE | SMMU_CMD0_SID_PUT(0x10), SMMU_CMD1_LEAF, "CFGI_STE sid 0x10 leaf" },
		{ SMMU_CMD_CFGI_STE_RANGE, SMMU_CMD1_RANGE_PUT(31), "CFGI_STE_RANGE (CFGI_ALL)" },
		{ SMMU_CMD_CFGI_STE_RANGE | SMMU_CMD0_SID_PUT(0x20), SMMU_CMD1_RANGE_PUT(3), "sid 0x20 range 3 (16 streams)" },
		{ SMMU_CMD_CFGI_CD | SMMU_CMD0_SID_PUT(0x10) | SMMU_CMD0_SSID_PUT(7), 1, "CFGI_CD sid 0x10 ssid 7 leaf" },
		{ SMMU_CMD_CFGI_CD_ALL | SMMU_CMD0_SID_PUT(0x10), 0, "CFGI_CD_ALL sid 0x10" },
		{ SMMU_CMD_TLBI_NH_ASID | SMMU_CMD0_ASID_PUT(5), 0, "TLBI_NH_ASID asid 5 vmid 0" },
		{ SMMU_CMD_TLBI_NH_VA | SMMU_CMD0_ASID_PUT(5), 0x200000000ull | 1, "TLBI_NH_VA asid 5 vmid 0 va 0x200000000 leaf" },
		{ SMMU_CMD_TLBI_NSNH_ALL, 0, "TLBI_NSNH_ALL" },
		{ SMMU_CMD_TLBI_S12_VMALL | SMMU_CMD0_VMID_PUT(2), 0, "TLBI_S12_VMALL vmid 2" },
		{ SMMU_CMD_SYNC | SMMU_CMD0_SYNC_CS_PUT(SMMU_SYNC_CS_SEV), 0, "CMD_SYNC cs sev" },
		{ SMMU_CMD_SYNC | SMMU_CMD0_SYNC_CS_PUT(SMMU_SYNC_CS_IRQ) | (0x55ull << 32), 0x40000040, "CMD_SYNC cs irq msi 0x40000040 data 0x55" },
		{ 0x99, 0, "opcode 0x99 (unknown)" },
	};
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		uint64_t raw[2] = { cmds[i].w0, cmds[i].w1 };
		struct smmu_cmd c;
		smmu_cmd_decode(raw, (uint32_t)i, &c);
		char *t = CAPTURE(smmu_cmd_print(f, &c));
		if (!strstr(t, cmds[i].text))
			fail_msg("command %zu: \"%s\" lacks \"%s\"", i, t, cmds[i].text);
		free(t);
	}
	uint64_t raw[2] = { SMMU_CMD_CFGI_CD | SMMU_CMD0_SID_PUT(0x10) | SMMU_CMD0_SSID_PUT(7) | SMMU_CMD0_SSV, 1 };
	struct smmu_cmd c;
	smmu_cmd_decode(raw, 0, &c);
	assert_int_equal(c.opcode, SMMU_CMD_CFGI_CD);
	assert_int_equal(c.sid, 0x10);
	assert_int_equal(c.ssid, 7);
	assert_true(c.ssv);
	assert_true(c.leaf);

	/* The commands not yet consumed. */
	struct syn *s = syn_new();
	struct smmu_queue q;
	struct smmu_cmd out[4];
	size_t n;
	for (unsigned i = 0; i < 4; i++) {
		uint64_t w[2] = { SMMU_CMD_CFGI_STE | SMMU_CMD0_SID_PUT(i), 0 };
		syn_put(s, CMDQ + 16 * i, w, 2);
	}
	smmu_queue_init(&q, SMMU_Q_CMD, CMDQ | 2, 4 | 1, 3, 19, true);
	assert_int_equal(smmu_cmds_read(syn_mem(s), &q, out, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].sid, 3);
	assert_int_equal(out[1].sid, 0);
	syn_free(s);
}

/* iommudump faults on QEMU's overflowed 8-entry queue, and a failed command. */
static void test_faults(void **state)
{
	struct syn *s = syn_new();
	static struct smmu_regs r;

	syn_smmu(s, 0x40100000, 6, CMDQ | 4, EVTQ | 3);
	for (unsigned i = 0; i < 8; i++)
		put_event(s, EVTQ + i * 32, SMMU_EVT_F_TRANSLATION, 0x10, 0x200000000ull + 4 * i);
	syn_put32(s, SMMU_BASE + SMMU_REG_EVENTQ_PROD, 8);
	syn_put32(s, SMMU_BASE + SMMU_REG_EVENTQ_CONS, 0);
	syn_put32(s, SMMU_BASE + SMMU_REG_GERROR, SMMU_GERROR_EVENTQ_ABT_ERR | SMMU_GERROR_CMDQ_ERR);
	syn_put32(s, SMMU_BASE + SMMU_REG_CMDQ_PROD, 2);
	syn_put32(s, SMMU_BASE + SMMU_REG_CMDQ_CONS, 1 | (SMMU_CERROR_ILL << 24));
	uint64_t bad[2] = { 0x77, 0 };
	syn_put(s, CMDQ + 16, bad, 2);
	assert_int_equal(smmu_regs_read(syn_target(s), SMMU_BASE, &r), 0);
	char *t = CAPTURE(smmu_faults_print(f, syn_mem(s), &r, false, 0));
	assert_non_null(strstr(t, "GERROR: errors active\n  CMDQ_ERR: command queue error"));
	assert_non_null(strstr(t, "EVENTQ_ABT_ERR: an event queue write aborted"));
	assert_non_null(strstr(t, "event queue at 0x40300000: 8 entries of 32 bytes, enabled, PROD 0w CONS 0: 8 pending (full)"));
	assert_non_null(strstr(t, "[7] F_TRANSLATION sid 0x10 input 0x20000001c read"));
	assert_non_null(strstr(t, "the command at CONS: [1] opcode 0x77 (unknown)"));
	free(t);
	char *js = NULL;
	size_t n = 0;
	FILE *jf = open_memstream(&js, &n);
	struct ptdbg_json *j = ptdbg_json_new(jf);
	assert_int_equal(smmu_faults_json(j, syn_mem(s), &r, false, 3), 0);
	ptdbg_json_free(j);
	fclose(jf);
	assert_non_null(strstr(js, "\"errors\":[\"CMDQ_ERR\",\"EVENTQ_ABT_ERR\"]"));
	assert_non_null(strstr(js, "\"full\":true"));
	assert_non_null(strstr(js, "\"error\":\"CERROR_ILL\""));
	assert_non_null(strstr(js, "\"cmdq_error_command\""));
	assert_null(strstr(js, "\"index\":3,")); /* at most 3 events */
	free(js);

	/* The event queue in a hole: said, not fatal. */
	syn_put64(s, SMMU_BASE + SMMU_REG_EVENTQ_BASE, HOLE | 3);
	assert_int_equal(smmu_regs_read(syn_target(s), SMMU_BASE, &r), 0);
	t = CAPTURE(assert_int_equal(smmu_faults_print(f, syn_mem(s), &r, true, 0), 0));
	assert_non_null(strstr(t, "(the event queue could not be read past record 0: -1)"));
	free(t);
	syn_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queue_state),
		cmocka_unit_test(test_event_types),
		cmocka_unit_test(test_events_read),
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_faults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
