/* SPDX-License-Identifier: MIT */
/* Unit tests: the SMMUv3 checks (smmu_check.c), each kind firing and not firing,
 * on a QEMU-shaped SMMU in sparse synthetic memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ptdbg/abi.h"
#include "smmu/smmu_check.h"
#include "test_smmu_synth.h"

#define STRTAB 0x40100000ull
#define CD0    0x40110000ull
#define CMDQ   0x40200000ull
#define EVTQ   0x40300000ull
#define TTB0   0x40150000ull
#define HOLE   0x50000000ull
#define SID    0x10u
#define GiB    (1ull << 30)

/* A healthy setup: stream 0x10 translated at stage 1 by a CD with a 39-bit input
 * and faults recorded; the kernel's domain for it has a window of the whole input
 * and one mapped buffer. */
struct scen {
	struct syn *s;
	struct smmu_domain_info dom[2];
	size_t ndom;
	struct smmu_dma_buf_info buf[4];
	size_t nbuf;
	struct smmu_check_opts o;
	struct ptdbg_findings out;
	uint64_t cd[8], ste[8];
};

/* The stage-1 walk stand-in: identity up to 4 GiB, nothing above, and 0x3000
 * translated elsewhere. */
static int fake_translate(void *ctx, const struct smmu_s1_cfg *cfg, uint64_t iova, bool write,
			  uint64_t *pa)
{
	(void)ctx;
	assert_int_equal(cfg->sid, SID);
	assert_int_equal(cfg->ttb[0], TTB0);
	if (iova >= 4 * GiB)
		return 0;
	*pa = (iova & ~0xfffull) == 0x3000 ? 0x9000 : iova;
	return 1;
}

static void scen_init(struct scen *c)
{
	memset(c, 0, sizeof(*c));
	c->s = syn_new();
	syn_smmu(c->s, STRTAB, 6, CMDQ | 4, EVTQ | 3);
	c->ste[0] = SMMU_STE0_V | SMMU_STE0_CONFIG_PUT(SMMU_STE_CFG_S1) | CD0;
	c->cd[0] = SMMU_CD0_V | SMMU_CD0_AA64 | SMMU_CD0_A | SMMU_CD0_R | SMMU_CD0_T0SZ_PUT(25) |
		   SMMU_CD0_IPS_PUT(4) | SMMU_CD0_EPD1 | SMMU_CD0_ASID_PUT(1);
	c->cd[1] = TTB0;
	c->dom[0] = (struct smmu_domain_info){ SID, SMMU_NO_SSID, "edu", 0, 1ull << 39 };
	c->ndom = 1;
	c->buf[0] = (struct smmu_dma_buf_info){ SID, SMMU_NO_SSID, PTDBG_DMA_BIDIR, PTDBG_DMA_MAPPED,
						0x41000000, 0x41000000, 0x2000 };
	c->nbuf = 1;
	c->o.out = &c->out;
	c->o.ram_end = 0x40000000 + 8 * GiB;
	c->o.ram_source = "test";
	c->o.translate = fake_translate;
}

/* Write the structures, read the registers, run every check. */
static void scen_run(struct scen *c)
{
	static struct smmu_regs r;
	syn_put(c->s, STRTAB + SID * 64, c->ste, 8);
	syn_put(c->s, CD0, c->cd, 8);
	ptdbg_findings_free(&c->out);
	assert_int_equal(smmu_regs_read(syn_target(c->s), SMMU_BASE, &r), 0);
	assert_int_equal(smmu_check(syn_mem(c->s), &r, &c->o, c->dom, c->ndom, c->buf, c->nbuf), 0);
}

static void scen_free(struct scen *c)
{
	ptdbg_findings_free(&c->out);
	syn_free(c->s);
}

static size_t count(const struct scen *c, const char *kind)
{
	size_t n = 0;
	for (size_t i = 0; i < c->out.n; i++)
		n += strcmp(c->out.v[i].kind, kind) == 0;
	return n;
}

static const struct ptdbg_finding *find(const struct scen *c, const char *kind)
{
	for (size_t i = 0; i < c->out.n; i++)
		if (!strcmp(c->out.v[i].kind, kind))
			return &c->out.v[i];
	return NULL;
}

static void dump(const struct scen *c)
{
	ptdbg_findings_print(stderr, &c->out);
}

static void test_healthy(void **state)
{
	struct scen c;
	scen_init(&c);
	scen_run(&c);
	if (c.out.n)
		dump(&c);
	assert_int_equal(c.out.n, 0);
	scen_free(&c);
}

static void test_kinds_list(void **state)
{
	static const char *const *const known[] = { smmu_check_kinds, NULL };
	char bad[64];
	assert_int_equal(ptdbg_kinds_validate("dma-out-of-range,dma-unmapped,window-narrower-than-ias,"
					      "faults-not-recorded,ste-bypass,event-pending,"
					      "event-queue-overflow,gerror-active,reserved-bits",
					      known, bad, sizeof(bad)), 0);
	assert_int_equal(ptdbg_kinds_validate("fpd-set", known, bad, sizeof(bad)), -1);
}

/* The seed's bug on this hardware: a 4 GiB window under a 39-bit input while RAM
 * reaches 8 GiB; the buffer at 8 GiB refused. */
static void test_window_and_out_of_range(void **state)
{
	struct scen c;
	scen_init(&c);
	c.dom[0].win_end = 4 * GiB;
	c.buf[1] = (struct smmu_dma_buf_info){ SID, SMMU_NO_SSID, PTDBG_DMA_FROM_DEVICE,
					       PTDBG_DMA_REFUSED, 0x200000000ull, 0x200000000ull, 0x1000 };
	c.nbuf = 2;
	scen_run(&c);
	assert_int_equal(count(&c, "window-narrower-than-ias"), 1);
	const struct ptdbg_finding *f = find(&c, "window-narrower-than-ias");
	assert_int_equal(f->severity, PTDBG_SEV_ERROR);
	assert_string_equal(f->space, "sid 0x10 edu");
	assert_non_null(strstr(f->msg, "[0, 0x100000000) (4 GiB) is narrower than the CD's 39-bit input (512 GiB)"));
	assert_int_equal(f->node, CD0);
	assert_int_equal(count(&c, "dma-out-of-range"), 1);
	f = find(&c, "dma-out-of-range");
	assert_int_equal(f->addr, 0x200000000ull);
	assert_non_null(strstr(f->msg, "refused by the map call"));
	assert_int_equal(c.out.n, 2);

	/* RAM below the window's end: no finding; RAM unknown: a warning. */
	c.o.ram_end = 2 * GiB;
	c.nbuf = 1;
	scen_run(&c);
	assert_int_equal(c.out.n, 0);
	c.o.ram_end = 0;
	scen_run(&c);
	assert_int_equal(count(&c, "window-narrower-than-ias"), 1);
	assert_int_equal(find(&c, "window-narrower-than-ias")->severity, PTDBG_SEV_WARNING);

	/* A window wider than the input size: a buffer above 2^39 is out of range. */
	scen_free(&c);
	scen_init(&c);
	c.dom[0].win_end = 1ull << 48;
	c.buf[0].iova = 1ull << 40;
	scen_run(&c);
	assert_int_equal(count(&c, "dma-out-of-range"), 1);
	assert_non_null(strstr(find(&c, "dma-out-of-range")->msg, "39-bit input size"));
	/* A buffer of a stream without a domain. */
	c.buf[0] = (struct smmu_dma_buf_info){ 0x11, SMMU_NO_SSID, 1, PTDBG_DMA_MAPPED, 0, 0, 4096 };
	scen_run(&c);
	assert_int_equal(count(&c, "dma-out-of-range"), 1);
	/* Unmapped buffers are not checked. */
	c.buf[0].status = PTDBG_DMA_UNMAPPED;
	scen_run(&c);
	assert_int_equal(c.out.n, 0);
	scen_free(&c);
}

static void test_dma_unmapped(void **state)
{
	struct scen c;
	scen_init(&c);
	c.dom[0].win_end = 8 * GiB;
	c.o.ram_end = 4 * GiB;
	c.buf[0].iova = c.buf[0].phys = 0x100000000ull; /* above the fake's identity map */
	c.buf[1] = (struct smmu_dma_buf_info){ SID, SMMU_NO_SSID, 1, PTDBG_DMA_MAPPED, 0x2000, 0x2000, 0x2000 };
	c.nbuf = 2;
	scen_run(&c);
	assert_int_equal(count(&c, "dma-unmapped"), 2);
	assert_non_null(strstr(c.out.v[0].msg, "do not translate 0x100000000 for a write"));
	assert_non_null(strstr(c.out.v[1].msg, "0x3000 translates to 0x9000, not to the buffer at 0x3000"));
	/* Without the stage-1 walk the check is skipped. */
	c.o.translate = NULL;
	scen_run(&c);
	assert_int_equal(c.out.n, 0);
	/* A stream that does not translate at all. */
	c.ste[0] = SMMU_STE0_V; /* abort */
	scen_run(&c);
	assert_int_equal(count(&c, "dma-unmapped"), 2);
	assert_int_equal(count(&c, "ste-invalid"), 1);
	scen_free(&c);
}

static void test_faults_not_recorded(void **state)
{
	struct scen c;
	scen_init(&c);
	c.cd[0] &= ~SMMU_CD0_R;
	scen_run(&c);
	assert_int_equal(count(&c, "faults-not-recorded"), 1);
	assert_non_null(strstr(find(&c, "faults-not-recorded")->msg, "CD.R=0"));
	assert_int_equal(find(&c, "faults-not-recorded")->node, CD0);
	/* Also without a domain: a second stream sharing the CD. */
	c.ndom = 0;
	c.nbuf = 0;
	syn_put(c.s, STRTAB + 0x20 * 64, c.ste, 8);
	scen_run(&c);
	assert_int_equal(count(&c, "faults-not-recorded"), 2);
	/* The event queue disabled on an enabled SMMU. */
	scen_free(&c);
	scen_init(&c);
	syn_put32(c.s, SMMU_BASE + SMMU_REG_CR0ACK, SMMU_CR0_SMMUEN | SMMU_CR0_CMDQEN);
	scen_run(&c);
	assert_int_equal(count(&c, "faults-not-recorded"), 1);
	assert_non_null(strstr(find(&c, "faults-not-recorded")->msg, "EVENTQEN=0"));
	scen_free(&c);
}

static void test_ste_bypass(void **state)
{
	struct scen c;
	scen_init(&c);
	c.ste[0] = SMMU_STE0_V | SMMU_STE0_CONFIG_PUT(SMMU_STE_CFG_BYPASS);
	scen_run(&c);
	assert_int_equal(count(&c, "ste-bypass"), 1);
	assert_non_null(strstr(find(&c, "ste-bypass")->msg, "STE Config is bypass"));
	assert_int_equal(count(&c, "dma-unmapped"), 0); /* identity buffer: bypass reaches it */
	/* No domain registered: bypass is what was asked for. */
	c.ndom = 0;
	c.nbuf = 0;
	scen_run(&c);
	assert_int_equal(c.out.n, 0);
	/* The SMMU disabled: GBPA bypasses every stream, or aborts them. */
	scen_free(&c);
	scen_init(&c);
	syn_put32(c.s, SMMU_BASE + SMMU_REG_CR0ACK, 0);
	scen_run(&c);
	assert_int_equal(count(&c, "ste-bypass"), 1);
	assert_non_null(strstr(find(&c, "ste-bypass")->msg, "SMMUEN=0"));
	assert_int_equal(count(&c, "smmu-disabled"), 0);
	syn_put32(c.s, SMMU_BASE + SMMU_REG_GBPA, SMMU_GBPA_ABORT);
	scen_run(&c);
	assert_int_equal(count(&c, "smmu-disabled"), 1);
	assert_int_equal(count(&c, "ste-bypass"), 0);
	assert_int_equal(count(&c, "dma-unmapped"), 1);
	scen_free(&c);
}

static void put_event(struct syn *s, unsigned i, unsigned type, uint64_t addr)
{
	uint64_t raw[4] = { SMMU_EVT0_TYPE_PUT(type) | SMMU_EVT0_SID_PUT(SID), 0, addr, 0 };
	syn_put(s, EVTQ + 32 * i, raw, 4);
}

static void test_events_and_errors(void **state)
{
	struct scen c;
	scen_init(&c);
	put_event(c.s, 0, SMMU_EVT_F_TRANSLATION, 0x200000000ull);
	put_event(c.s, 1, SMMU_EVT_C_BAD_CD, 0);
	put_event(c.s, 2, SMMU_EVT_F_STE_FETCH, 0);
	/* Consumed: nothing pending. */
	syn_put32(c.s, SMMU_BASE + SMMU_REG_EVENTQ_PROD, 3);
	syn_put32(c.s, SMMU_BASE + SMMU_REG_EVENTQ_CONS, 3);
	scen_run(&c);
	assert_int_equal(c.out.n, 0);
	/* Two pending. */
	syn_put32(c.s, SMMU_BASE + SMMU_REG_EVENTQ_CONS, 1);
	scen_run(&c);
	assert_int_equal(count(&c, "event-pending"), 2);
	assert_string_equal(find(&c, "event-pending")->space, "sid 0x10 edu");
	assert_non_null(strstr(c.out.v[0].msg, "event queue [1]: C_BAD_CD"));
	assert_non_null(strstr(c.out.v[1].msg, "event queue [2]: F_STE_FETCH"));
	syn_put32(c.s, SMMU_BASE + SMMU_REG_EVENTQ_CONS, 0);
	scen_run(&c);
	assert_non_null(strstr(c.out.v[0].msg, "F_TRANSLATION write of 0x200000000 at stage 1"));
	assert_int_equal(c.out.v[0].addr, 0x200000000ull);

	/* QEMU's overflow: 8 entries full, GERROR.EVENTQ_ABT_ERR. */
	for (unsigned i = 0; i < 8; i++)
		put_event(c.s, i, SMMU_EVT_F_TRANSLATION, 0x200000000ull + 4 * i);
	syn_put32(c.s, SMMU_BASE + SMMU_REG_EVENTQ_PROD, 8);
	syn_put32(c.s, SMMU_BASE + SMMU_REG_EVENTQ_CONS, 0);
	syn_put32(c.s, SMMU_BASE + SMMU_REG_GERROR, SMMU_GERROR_EVENTQ_ABT_ERR);
	scen_run(&c);
	assert_int_equal(count(&c, "event-pending"), 8);
	assert_int_equal(count(&c, "event-queue-overflow"), 1);
	assert_int_equal(find(&c, "event-queue-overflow")->severity, PTDBG_SEV_ERROR);
	assert_non_null(strstr(find(&c, "event-queue-overflow")->msg, "dropped"));
	assert_int_equal(count(&c, "gerror-active"), 1);
	assert_non_null(strstr(find(&c, "gerror-active")->msg, "GERROR.EVENTQ_ABT_ERR"));
	/* Acknowledged: GERRORN equal. Full without the error: a warning. */
	syn_put32(c.s, SMMU_BASE + SMMU_REG_GERRORN, SMMU_GERROR_EVENTQ_ABT_ERR);
	scen_run(&c);
	assert_int_equal(count(&c, "gerror-active"), 0);
	assert_int_equal(find(&c, "event-queue-overflow")->severity, PTDBG_SEV_WARNING);
	/* The architected overflow flag. */
	syn_put32(c.s, SMMU_BASE + SMMU_REG_EVENTQ_PROD, 2 | SMMU_Q_PROD_OVFLG);
	syn_put32(c.s, SMMU_BASE + SMMU_REG_EVENTQ_CONS, 2);
	scen_run(&c);
	assert_int_equal(count(&c, "event-queue-overflow"), 1);
	assert_non_null(strstr(find(&c, "event-queue-overflow")->msg, "OVFLG"));
	syn_put32(c.s, SMMU_BASE + SMMU_REG_EVENTQ_CONS, 2 | SMMU_Q_CONS_OVACKFLG);
	scen_run(&c);
	assert_int_equal(c.out.n, 0);
	/* A failed command. */
	syn_put32(c.s, SMMU_BASE + SMMU_REG_GERROR, SMMU_GERROR_EVENTQ_ABT_ERR | SMMU_GERROR_CMDQ_ERR);
	syn_put32(c.s, SMMU_BASE + SMMU_REG_CMDQ_CONS, 1 | (SMMU_CERROR_ABT << 24));
	syn_put32(c.s, SMMU_BASE + SMMU_REG_CMDQ_PROD, 2);
	scen_run(&c);
	assert_int_equal(count(&c, "gerror-active"), 1);
	assert_non_null(strstr(find(&c, "gerror-active")->msg, "CMDQ_CONS 1 failed with CERROR_ABT"));
	/* Queue indexes out of range. */
	syn_put32(c.s, SMMU_BASE + SMMU_REG_GERROR, SMMU_GERROR_EVENTQ_ABT_ERR);
	syn_put32(c.s, SMMU_BASE + SMMU_REG_CMDQ_CONS, 0);
	syn_put32(c.s, SMMU_BASE + SMMU_REG_CMDQ_PROD, 0x12345);
	scen_run(&c);
	assert_int_equal(count(&c, "queue-invalid"), 1);
	assert_non_null(strstr(find(&c, "queue-invalid")->msg, "command queue: PROD 0x12345"));
	/* The event queue unreadable. */
	syn_put32(c.s, SMMU_BASE + SMMU_REG_CMDQ_PROD, 0);
	syn_put64(c.s, SMMU_BASE + SMMU_REG_EVENTQ_BASE, HOLE | 3);
	syn_put32(c.s, SMMU_BASE + SMMU_REG_EVENTQ_PROD, 3);
	scen_run(&c);
	assert_int_equal(count(&c, "table-unreadable"), 1);
	assert_int_equal(count(&c, "event-pending"), 0);
	scen_free(&c);
}

static void test_structures(void **state)
{
	struct scen c;
	/* Reserved bits. */
	scen_init(&c);
	c.ste[4] = 0x8;
	c.cd[7] = 0x1;
	scen_run(&c);
	assert_int_equal(count(&c, "reserved-bits"), 1);
	assert_non_null(strstr(find(&c, "reserved-bits")->msg, "STE dword 4 0x8, CD dword 7 0x1"));
	/* The domain's STE not valid. */
	scen_free(&c);
	scen_init(&c);
	c.ste[0] = SMMU_STE0_CONFIG_PUT(SMMU_STE_CFG_S1) | CD0;
	scen_run(&c);
	assert_int_equal(count(&c, "ste-invalid"), 1);
	assert_int_equal(find(&c, "ste-invalid")->severity, PTDBG_SEV_ERROR);
	assert_non_null(strstr(find(&c, "ste-invalid")->msg, "C_BAD_STE; the kernel registered a domain here"));
	assert_int_equal(find(&c, "ste-invalid")->node, STRTAB + SID * 64);
	/* Without a domain, a V=0 STE is just a disabled stream. */
	c.ndom = 0;
	c.nbuf = 0;
	scen_run(&c);
	assert_int_equal(c.out.n, 0);
	/* A stream beyond the table, registered. */
	scen_free(&c);
	scen_init(&c);
	c.dom[0].sid = 100;
	c.nbuf = 0;
	scen_run(&c);
	assert_int_equal(count(&c, "ste-invalid"), 1);
	assert_non_null(strstr(find(&c, "ste-invalid")->msg, "C_BAD_STREAMID"));
	/* The CD invalid. */
	scen_free(&c);
	scen_init(&c);
	c.cd[0] &= ~SMMU_CD0_A;
	scen_run(&c);
	assert_int_equal(count(&c, "cd-invalid"), 1);
	assert_non_null(strstr(find(&c, "cd-invalid")->msg, "TERM_MODEL"));
	assert_int_equal(count(&c, "dma-unmapped"), 1);
	/* The CD unreadable. */
	scen_free(&c);
	scen_init(&c);
	c.ste[0] = SMMU_STE0_V | SMMU_STE0_CONFIG_PUT(SMMU_STE_CFG_S1) | HOLE;
	scen_run(&c);
	assert_int_equal(count(&c, "table-unreadable"), 1);
	assert_int_equal(find(&c, "table-unreadable")->node, HOLE);
	/* The CD pointer at the stream table. */
	scen_free(&c);
	scen_init(&c);
	c.ste[0] = SMMU_STE0_V | SMMU_STE0_CONFIG_PUT(SMMU_STE_CFG_S1) | STRTAB;
	scen_run(&c);
	assert_int_equal(count(&c, "table-overlap"), 1);
	assert_int_equal(count(&c, "cd-invalid"), 1);
	scen_free(&c);
}

/* The checker driven step by step, as iommudump does when it has its own scan. */
static void test_checker_api(void **state)
{
	struct scen c;
	scen_init(&c);
	syn_put(c.s, STRTAB + SID * 64, c.ste, 8);
	c.cd[0] &= ~SMMU_CD0_R;
	syn_put(c.s, CD0, c.cd, 8);
	static struct smmu_regs r;
	assert_int_equal(smmu_regs_read(syn_target(c.s), SMMU_BASE, &r), 0);
	struct smmu_hw hw;
	struct smmu_strtab st;
	smmu_hw_from_regs(&hw, &r);
	smmu_strtab_from_regs(&st, &r);
	struct smmu_checker *k = smmu_checker_new(&c.o);
	assert_int_equal(smmu_checker_region(k, c.dom, 1, c.buf, 1), 0);
	smmu_checker_unit(k, &r);
	struct smmu_stream_lookup l;
	assert_int_equal(smmu_stream_lookup(syn_mem(c.s), &hw, &st, SID, SMMU_NO_SSID, &l), 0);
	smmu_checker_stream(k, &hw, &l);
	smmu_checker_stream(k, &hw, &l); /* seen twice, reported once */
	struct smmu_event ev;
	uint64_t raw[4] = { SMMU_EVT0_TYPE_PUT(SMMU_EVT_F_PERMISSION) | SMMU_EVT0_SID_PUT(SID), 0, 0x5000, 0 };
	smmu_event_decode(raw, 4, &ev);
	smmu_checker_events(k, &ev, 1);
	smmu_checker_finish(k);
	smmu_checker_free(k);
	assert_int_equal(count(&c, "faults-not-recorded"), 1);
	assert_int_equal(count(&c, "event-pending"), 1);
	assert_non_null(strstr(find(&c, "event-pending")->msg, "F_PERMISSION"));
	assert_int_equal(c.out.n, 2);
	scen_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy),
		cmocka_unit_test(test_kinds_list),
		cmocka_unit_test(test_window_and_out_of_range),
		cmocka_unit_test(test_dma_unmapped),
		cmocka_unit_test(test_faults_not_recorded),
		cmocka_unit_test(test_ste_bypass),
		cmocka_unit_test(test_events_and_errors),
		cmocka_unit_test(test_structures),
		cmocka_unit_test(test_checker_api),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
