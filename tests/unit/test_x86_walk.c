/* SPDX-License-Identifier: MIT */
/* Unit tests of the x86-64 walker and translation on synthetic page tables. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "x86_synth.h"

#define U X86_PTE_US
#define W X86_PTE_RW
#define NX X86_PTE_NX
#define TF SYNTH_TABLE_FLAGS

static struct rec *walk(struct synth *s, struct ptdbg_walk_result *res)
{
	struct rec *r = calloc(1, sizeof(*r));
	assert_non_null(r);
	assert_int_equal(ptdbg_x86_walk(s->m, &s->cfg, rec_visit, r, res), 0);
	return r;
}

/* Leaves at each level: VA, size, PA, level, order, events in VA order. */
static void test_leaf_sizes(void **state)
{
	struct synth s;
	struct ptdbg_walk_result res;

	synth_init(&s, 4);
	synth_map(&s, 0x400000, 0x123000, 1, U | W, TF);
	synth_map(&s, 0xffff888000200000ull, 0x40200000, 2, W | NX | X86_PTE_G, TF);
	synth_map(&s, 0xffff888040000000ull, 0x80000000, 3, W, TF);
	struct rec *r = walk(&s, &res);

	assert_int_equal(res.leaves, 3);
	assert_false(res.partial);
	const struct ptdbg_walk_event *l0 = rec_nth(r, PTDBG_EV_LEAF, 0);
	const struct ptdbg_walk_event *l1 = rec_nth(r, PTDBG_EV_LEAF, 1);
	const struct ptdbg_walk_event *l2 = rec_nth(r, PTDBG_EV_LEAF, 2);
	assert_int_equal(l0->va, 0x400000);
	assert_int_equal(l0->size, 4096);
	assert_int_equal(l0->pa, 0x123000);
	assert_int_equal(l0->level, 1);
	assert_true(l0->perm.flags & PTDBG_X86_PERM_U);
	assert_true(l0->perm.flags & PTDBG_X86_PERM_W);
	assert_false(l0->perm.flags & PTDBG_X86_PERM_NX);
	assert_int_equal(l1->va, 0xffff888000200000ull);
	assert_int_equal(l1->size, 2u << 20);
	assert_int_equal(l1->pa, 0x40200000);
	assert_int_equal(l1->level, 2);
	assert_true(l1->perm.flags & PTDBG_X86_PERM_NX);
	assert_true(l1->perm.flags & PTDBG_X86_PERM_G);
	assert_false(l1->perm.flags & PTDBG_X86_PERM_U); /* the leaf has no U */
	assert_int_equal(l2->va, 0xffff888040000000ull);
	assert_int_equal(l2->size, 1u << 30);
	assert_int_equal(l2->pa, 0x80000000);
	assert_int_equal(l2->level, 3);
	/* one hole, between the halves, after the low leaf and before the high ones */
	assert_int_equal(rec_count(r, PTDBG_EV_HOLE), 1);
	const struct ptdbg_walk_event *h = rec_nth(r, PTDBG_EV_HOLE, 0);
	assert_int_equal(h->va, 0x0000800000000000ull);
	assert_int_equal(h->size, 0xffff000000000000ull);
	assert_true(h < l1 && h > l0);
	/* nodes: root, and 3 + 2 tables below it */
	assert_int_equal(res.nodes, 1 + 3 + 2);
	assert_int_equal(rec_nth(r, PTDBG_EV_NODE, 0)->pa, ptdbg_x86_root(&s.cfg.cpu));
	/* the path of the 4K leaf */
	unsigned li = (unsigned)(l0 - r->ev);
	assert_int_equal(r->path_entries[li][1], 0x123000 | U | W | X86_PTE_P);
	assert_int_equal(r->path_entries[li][4] & TF, TF);
	free(r);
	synth_fini(&s);
}

/* U/S and R/W are ANDed over every level; NX is ORed, only with EFER.NXE. */
static void test_flags_every_level(void **state)
{
	for (unsigned lvl = 1; lvl <= 4; lvl++) {
		uint64_t bits[] = { U, W, NX };
		for (unsigned b = 0; b < 3; b++) {
			struct synth s;
			struct ptdbg_walk_result res;
			synth_init(&s, 4);
			uint64_t va = 0x7f0000201000ull;
			synth_map(&s, va, 0x5000, 1, U | W, TF);
			/* toggle bit at level lvl: clear U/W, set NX */
			uint64_t t = synth_table_of(&s, va, lvl);
			unsigned idx = synth_index(va, lvl);
			uint64_t e = synth_get(&s, t, idx);
			e = bits[b] == NX ? (e | NX) : (e & ~bits[b]);
			synth_set(&s, t, idx, e);
			struct rec *r = walk(&s, &res);
			const struct ptdbg_walk_event *l = rec_nth(r, PTDBG_EV_LEAF, 0);
			assert_non_null(l);
			uint32_t f = l->perm.flags;
			if (bits[b] == U) {
				assert_false(f & PTDBG_X86_PERM_U);
				assert_true(f & PTDBG_X86_PERM_W);
			} else if (bits[b] == W) {
				assert_false(f & PTDBG_X86_PERM_W);
				assert_true(f & PTDBG_X86_PERM_U);
				assert_false(f & PTDBG_X86_PERM_KW); /* CR0.WP=1 */
			} else {
				assert_true(f & PTDBG_X86_PERM_NX);
			}
			assert_int_equal(res.anomalies, 0);
			free(r);
			synth_fini(&s);
		}
	}
}

/* Without EFER.NXE the XD bit is reserved: no NX, an anomaly, FAULTS. CR0.WP=0
 * lets the supervisor write read-only pages. */
static void test_nx_without_nxe_and_wp(void **state)
{
	struct synth s;
	struct ptdbg_walk_result res;

	synth_init(&s, 4);
	s.cfg.cpu.efer &= ~X86_EFER_NXE;
	s.cfg.cpu.cr0 &= ~X86_CR0_WP;
	synth_map(&s, 0x1000, 0x9000, 1, NX, TF);
	struct rec *r = walk(&s, &res);
	const struct ptdbg_walk_event *l = rec_nth(r, PTDBG_EV_LEAF, 0);
	assert_false(l->perm.flags & PTDBG_X86_PERM_NX);
	assert_true(l->perm.flags & PTDBG_X86_PERM_FAULTS);
	assert_true(l->perm.flags & PTDBG_X86_PERM_KW);
	assert_false(l->perm.flags & PTDBG_X86_PERM_W);
	const struct ptdbg_walk_event *a = rec_anomaly(r, PTDBG_AN_RESERVED);
	assert_non_null(a);
	assert_int_equal(a->detail, NX);
	assert_true(a < l);
	free(r);
	synth_fini(&s);
}

/* PAT index from PAT(bit 7 / bit 12), PCD, PWT; memory type from IA32_PAT. */
static void test_pat(void **state)
{
	struct synth s;
	struct ptdbg_walk_result res;

	synth_init(&s, 4);
	synth_map(&s, 0x1000, 0x9000, 1, X86_PTE_PAT4K | X86_PTE_PCD, TF);    /* idx 6 */
	synth_map(&s, 0x2000, 0xa000, 1, X86_PTE_PWT, TF);                     /* idx 1 */
	synth_map(&s, 0x200000, 0x400000, 2, X86_PTE_PATBIG, TF);              /* idx 4 */
	synth_map(&s, 0x400000, 0x600000, 2, X86_PTE_PCD | X86_PTE_PWT, TF);   /* idx 3 */
	struct rec *r = walk(&s, &res);
	assert_int_equal(rec_nth(r, PTDBG_EV_LEAF, 0)->perm.attr_index, 6);
	assert_int_equal(rec_nth(r, PTDBG_EV_LEAF, 0)->perm.memtype, X86_MT_UCM);
	assert_int_equal(rec_nth(r, PTDBG_EV_LEAF, 1)->perm.attr_index, 1);
	assert_int_equal(rec_nth(r, PTDBG_EV_LEAF, 1)->perm.memtype, X86_MT_WT);
	assert_int_equal(rec_nth(r, PTDBG_EV_LEAF, 2)->perm.attr_index, 4);
	assert_int_equal(rec_nth(r, PTDBG_EV_LEAF, 2)->perm.memtype, X86_MT_WB);
	assert_int_equal(rec_nth(r, PTDBG_EV_LEAF, 2)->pa, 0x400000); /* bit 12 not address */
	assert_int_equal(rec_nth(r, PTDBG_EV_LEAF, 3)->perm.memtype, X86_MT_UC);
	free(r);
	/* Linux's PAT: entry 1 is WC */
	s.cfg.cpu.pat = 0x0407050600070106ull;
	r = walk(&s, &res);
	assert_int_equal(rec_nth(r, PTDBG_EV_LEAF, 1)->perm.memtype, X86_MT_WC);
	assert_string_equal(x86_memtype_name(X86_MT_WC), "WC");
	assert_string_equal(x86_memtype_name(X86_MT_UCM), "UC-");
	free(r);
	synth_fini(&s);
}

/* Protection keys: bits 62:59, in force with CR4.PKE (user) / CR4.PKS (supervisor). */
static void test_pkeys(void **state)
{
	struct synth s;
	struct ptdbg_walk_result res;

	synth_init(&s, 4);
	synth_map(&s, 0x1000, 0x9000, 1, U | (5ull << 59), TF);
	synth_map(&s, 0x2000, 0xa000, 1, (9ull << 59), TF);
	s.cfg.cpu.cr4 |= X86_CR4_PKE;
	struct rec *r = walk(&s, &res);
	const struct ptdbg_walk_event *u = rec_nth(r, PTDBG_EV_LEAF, 0);
	const struct ptdbg_walk_event *k = rec_nth(r, PTDBG_EV_LEAF, 1);
	assert_true(u->perm.flags & PTDBG_X86_PERM_PKEY);
	assert_int_equal(u->perm.pkey, 5);
	assert_false(k->perm.flags & PTDBG_X86_PERM_PKEY);
	assert_int_equal(k->perm.pkey, 9);
	assert_int_equal(res.anomalies, 0); /* key bits are not reserved */
	free(r);
	s.cfg.cpu.cr4 = (s.cfg.cpu.cr4 & ~X86_CR4_PKE) | X86_CR4_PKS;
	r = walk(&s, &res);
	assert_false(rec_nth(r, PTDBG_EV_LEAF, 0)->perm.flags & PTDBG_X86_PERM_PKEY);
	assert_true(rec_nth(r, PTDBG_EV_LEAF, 1)->perm.flags & PTDBG_X86_PERM_PKEY);
	free(r);
	synth_fini(&s);
}

/* Reserved bits: above MAXPHYADDR, 20:13 of a 2M leaf, 29:13 of a 1G leaf, PS in a
 * PML4E, 1G without pdpe1gb. The walker reports and goes on as QEMU does. */
static void test_reserved_bits(void **state)
{
	struct synth s;
	struct ptdbg_walk_result res;

	synth_init(&s, 4);
	s.cfg.cpu.maxphyaddr = 40;
	synth_map(&s, 0x1000, 0x9000 | (1ull << 45), 1, 0, TF);
	synth_map(&s, 0x200000, 0x400000 | (1ull << 13), 2, 0, TF);
	synth_map(&s, 0x40000000, 0x40000000 | (1ull << 29), 3, 0, TF);
	struct rec *r = walk(&s, &res);
	assert_int_equal(res.anomalies, 3);
	assert_int_equal(rec_nth(r, PTDBG_EV_ANOMALY, 0)->detail, 1ull << 45);
	assert_int_equal(rec_nth(r, PTDBG_EV_ANOMALY, 0)->level, 1);
	assert_int_equal(rec_nth(r, PTDBG_EV_ANOMALY, 1)->detail, 1ull << 13);
	assert_int_equal(rec_nth(r, PTDBG_EV_ANOMALY, 2)->detail, 1ull << 29);
	for (unsigned i = 0; i < 3; i++)
		assert_true(rec_nth(r, PTDBG_EV_LEAF, i)->perm.flags & PTDBG_X86_PERM_FAULTS);
	free(r);

	/* 1G without pdpe1gb; PS in the PML4E */
	s.cfg.cpu.pdpe1gb = false;
	uint64_t pml4 = ptdbg_x86_root(&s.cfg.cpu);
	synth_set(&s, pml4, 0, synth_get(&s, pml4, 0) | X86_PTE_PS);
	ptdbg_mem_invalidate(s.m); /* memory changed */
	r = walk(&s, &res);
	const struct ptdbg_walk_event *a = rec_anomaly(r, PTDBG_AN_TYPE_LEVEL);
	assert_non_null(a);
	assert_int_equal(a->level, 4);
	unsigned ps = 0;
	for (unsigned i = 0; i < r->n; i++)
		ps += r->ev[i].kind == PTDBG_EV_ANOMALY && r->ev[i].anomaly == PTDBG_AN_TYPE_LEVEL;
	assert_int_equal(ps, 2); /* PML4E and the 1G PDPTE */
	assert_int_equal(res.leaves, 3); /* still followed, like QEMU */
	free(r);
	synth_fini(&s);
}

/* 5-level paging: canonical at 57 bits, the hole, a PML5E. */
static void test_five_level(void **state)
{
	struct synth s;
	struct ptdbg_walk_result res;

	synth_init(&s, 5);
	synth_map(&s, 0x00ff000000001000ull, 0x7000, 1, U | W, TF);
	synth_map(&s, 0xff11000000000000ull, 0x200000, 2, W, TF);
	struct rec *r = walk(&s, &res);
	assert_int_equal(res.leaves, 2);
	assert_int_equal(rec_nth(r, PTDBG_EV_LEAF, 0)->va, 0x00ff000000001000ull);
	assert_int_equal(rec_nth(r, PTDBG_EV_LEAF, 1)->va, 0xff11000000000000ull);
	const struct ptdbg_walk_event *h = rec_nth(r, PTDBG_EV_HOLE, 0);
	assert_int_equal(h->va, 1ull << 56);
	assert_int_equal(h->size, 0 - (1ull << 57));
	assert_int_equal(rec_nth(r, PTDBG_EV_NODE, 0)->level, 5);
	assert_int_equal(ptdbg_x86_va_bits(&s.cfg.cpu), 57);
	assert_true(ptdbg_x86_is_canonical(&s.cfg.cpu, 0xff00000000000000ull));
	assert_false(ptdbg_x86_is_canonical(&s.cfg.cpu, 0xfe00000000000000ull));
	free(r);
	synth_fini(&s);
}

/* P=0 with other bits: an ABSENT event with the raw value (bug 2's PTE). */
static void test_absent_entries(void **state)
{
	struct synth s;
	struct ptdbg_walk_result res;

	synth_init(&s, 4);
	uint64_t pt = synth_map(&s, 0x10000, 0x9000, 1, U | W, TF);
	synth_set(&s, pt, 17, W | U | X86_PTE_PAT4K | 0xb000);
	struct rec *r = walk(&s, &res);
	assert_int_equal(res.absent, 1);
	const struct ptdbg_walk_event *a = rec_nth(r, PTDBG_EV_ABSENT, 0);
	assert_int_equal(a->entry, W | U | X86_PTE_PAT4K | 0xb000);
	assert_int_equal(a->va, 17 * 4096);
	assert_int_equal(a->level, 1);
	assert_int_equal(res.leaves, 1);
	free(r);
	synth_fini(&s);
}

/* A table outside memory: READ_ERROR in place of its NODE; the rest goes on. */
static void test_table_outside_memory(void **state)
{
	struct synth s;
	struct ptdbg_walk_result res;

	synth_init(&s, 4);
	synth_map(&s, 0x1000, 0x9000, 1, 0, TF);
	uint64_t pd = synth_table_of(&s, 0x1000, 2);
	synth_set(&s, pd, 5, 0x7fff0000000ull | TF);
	synth_map(&s, 0x40000000, 0x40000000, 3, 0, TF);
	struct rec *r = walk(&s, &res);
	const struct ptdbg_walk_event *a = rec_anomaly(r, PTDBG_AN_READ_ERROR);
	assert_non_null(a);
	assert_int_equal(a->pa, 0x7fff0000000ull);
	assert_int_equal(a->level, 1);
	assert_int_equal(a->va, 5ull << 21);
	assert_int_equal(res.read_errors, 1);
	assert_int_equal(res.leaves, 2);
	/* the failed page was read once even though it was asked for twice */
	free(r);
	r = walk(&s, &res);
	struct ptdbg_mem_stats st;
	ptdbg_mem_stats(s.m, &st);
	assert_int_equal(st.page_errors, 1);
	free(r);
	synth_fini(&s);
}

/* A recursive PML4 slot: reported, its leaves shown, the walk ends. */
static void test_recursive_slot(void **state)
{
	struct synth s;
	struct ptdbg_walk_result res;

	synth_init(&s, 4);
	synth_map(&s, 0x1000, 0x9000, 1, 0, TF);
	uint64_t pml4 = ptdbg_x86_root(&s.cfg.cpu);
	synth_set(&s, pml4, 510, pml4 | X86_PTE_P | W);
	struct rec *r = walk(&s, &res);
	const struct ptdbg_walk_event *a = rec_anomaly(r, PTDBG_AN_RECURSIVE);
	assert_non_null(a);
	assert_int_equal(a->pa, pml4);
	assert_int_equal(a->detail, 4);
	assert_int_equal(a->level, 3);
	assert_false(res.partial);
	/* 0x1000, then the self-map views: the PT seen through 510/0/0/0 is a 4K leaf
	 * mapping the PT page, and so on */
	assert_true(res.leaves > 1);
	const struct ptdbg_walk_event *l = rec_nth(r, PTDBG_EV_LEAF, 1);
	assert_int_equal(l->va >> 39 & 511, 510);
	free(r);
	synth_fini(&s);
}

/* Every entry pointing to the same table: bounded by the budget, partial. */
static void test_budget(void **state)
{
	struct synth s;
	struct ptdbg_walk_result res;

	synth_init(&s, 4);
	uint64_t pml4 = ptdbg_x86_root(&s.cfg.cpu);
	uint64_t t = synth_page(&s);
	for (unsigned i = 0; i < 512; i++)
		synth_set(&s, t, i, t | X86_PTE_P | W); /* a table of itself: 512^3 views */
	synth_set(&s, pml4, 0, t | X86_PTE_P | W);
	s.cfg.max_leaves = 1000;
	struct rec *r = walk(&s, &res);
	assert_true(res.partial);
	assert_int_equal(res.leaves, 1000);
	assert_non_null(rec_anomaly(r, PTDBG_AN_BUDGET));
	free(r);
	s.cfg.max_leaves = 0;
	s.cfg.max_nodes = 100;
	r = walk(&s, &res);
	assert_true(res.partial);
	assert_int_equal(res.nodes, 100);
	free(r);
	synth_fini(&s);
}

/* The same PD under two PDPTEs is emitted under both spans. */
static void test_shared_subtree(void **state)
{
	struct synth s;
	struct ptdbg_walk_result res;

	synth_init(&s, 4);
	synth_map(&s, 0x1000, 0x9000, 1, 0, TF);
	uint64_t pdpt = synth_table_of(&s, 0x1000, 3);
	synth_set(&s, pdpt, 3, synth_get(&s, pdpt, 0));
	struct rec *r = walk(&s, &res);
	assert_int_equal(res.leaves, 2);
	assert_int_equal(rec_nth(r, PTDBG_EV_LEAF, 1)->va, (3ull << 30) + 0x1000);
	assert_int_equal(res.distinct_nodes, 4);
	assert_int_equal(res.nodes, 6);
	unsigned shared = 0;
	for (unsigned i = 0; i < r->n; i++)
		shared += r->ev[i].kind == PTDBG_EV_NODE && (r->ev[i].flags & PTDBG_NODE_SHARED);
	assert_int_equal(shared, 2);
	assert_null(rec_anomaly(r, PTDBG_AN_RECURSIVE));
	free(r);
	synth_fini(&s);
}

/* A filtered walk emits only what meets the filter and reads only those tables. */
static void test_va_filter(void **state)
{
	struct synth s;
	struct ptdbg_walk_result res;

	synth_init(&s, 4);
	for (unsigned i = 0; i < 8; i++)
		synth_map(&s, (uint64_t)i << 30 | 0x1000, 0x9000, 1, 0, TF);
	synth_map(&s, 0xffffffff80000000ull, 0x200000, 2, 0, TF);
	s.cfg.va_filter = true;
	s.cfg.va_first = 3ull << 30;
	s.cfg.va_last = (4ull << 30) - 1;
	struct rec *r = walk(&s, &res);
	assert_int_equal(res.leaves, 1);
	assert_int_equal(rec_nth(r, PTDBG_EV_LEAF, 0)->va, (3ull << 30) | 0x1000);
	assert_int_equal(rec_count(r, PTDBG_EV_HOLE), 0);
	struct ptdbg_mem_stats st;
	ptdbg_mem_stats(s.m, &st);
	assert_int_equal(st.pages_read, 4); /* PML4, PDPT, one PD, one PT */
	free(r);
	synth_fini(&s);
}

/* Breadth-first reading: one batch per level. */
static void test_batches_per_level(void **state)
{
	struct synth s;
	struct ptdbg_walk_result res;

	synth_init(&s, 4);
	for (unsigned i = 0; i < 16; i++)
		synth_map(&s, (uint64_t)i << 30 | 0x1000, 0x9000, 1, 0, TF);
	struct rec *r = walk(&s, &res);
	struct ptdbg_mem_stats st;
	ptdbg_mem_stats(s.m, &st);
	assert_int_equal(st.pages_read, 1 + 1 + 16 + 16);
	assert_int_equal(st.batches, 4);
	assert_int_equal(st.misses, 0);
	free(r);
	synth_fini(&s);
}

/* Leaves come in increasing VA order, low half then high half. */
static void test_va_order(void **state)
{
	struct synth s;
	struct ptdbg_walk_result res;
	uint64_t vas[] = { 0xffffffff80200000ull, 0x7fffffe00000ull, 0x200000, 0xffff800000000000ull,
			   0x1000, 0x40000000 };

	synth_init(&s, 4);
	for (unsigned i = 0; i < 6; i++)
		synth_map(&s, vas[i], 0x200000, (vas[i] & 0x1fffff) ? 1 : 2, 0, TF);
	struct rec *r = walk(&s, &res);
	assert_int_equal(res.leaves, 6);
	for (unsigned i = 1; i < 6; i++)
		assert_true(rec_nth(r, PTDBG_EV_LEAF, i)->va >
			    rec_nth(r, PTDBG_EV_LEAF, i - 1)->va);
	free(r);
	synth_fini(&s);
}

/* Single-address translation: success, not present, reserved, protection, #GP. */
static void test_translate(void **state)
{
	struct synth s;
	struct ptdbg_translation t;

	synth_init(&s, 4);
	s.cfg.cpu.cr3 |= 0x5;
	s.cfg.cpu.cr4 |= X86_CR4_PCIDE;
	synth_map(&s, 0x400000, 0x123000, 1, U, TF);
	synth_map(&s, 0xffffffff81000000ull, 0x1000000, 2, W | X86_PTE_G, TF);
	assert_int_equal(ptdbg_x86_pcid(&s.cfg.cpu), 5);

	assert_int_equal(ptdbg_x86_translate(s.m, &s.cfg.cpu, 0x400abc, PTDBG_ACC_USER, &t), 0);
	assert_int_equal(t.stop, PTDBG_STOP_OK);
	assert_int_equal(t.pa, 0x123abc);
	assert_int_equal(t.page_size, 4096);
	assert_int_equal(t.nsteps, 4);
	assert_int_equal(t.step[0].level, 4);
	assert_int_equal(t.step[0].table_pa, ptdbg_x86_root(&s.cfg.cpu));
	assert_int_equal(t.step[3].index, 0);
	assert_int_equal(t.fault, 0);

	/* user write to a read-only page: P|W|U = 7 */
	ptdbg_x86_translate(s.m, &s.cfg.cpu, 0x400abc, PTDBG_ACC_USER | PTDBG_ACC_WRITE, &t);
	assert_int_equal(t.stop, PTDBG_STOP_PROTECTION);
	assert_int_equal(t.fault, 7);
	/* user read of a supervisor page: P|U = 5 */
	ptdbg_x86_translate(s.m, &s.cfg.cpu, 0xffffffff81012345ull, PTDBG_ACC_USER, &t);
	assert_int_equal(t.stop, PTDBG_STOP_PROTECTION);
	assert_int_equal(t.fault, 5);
	assert_int_equal(t.pa, 0x1012345);
	assert_int_equal(t.page_size, 2u << 20);
	/* not present at the PT: supervisor write -> W = 2 */
	ptdbg_x86_translate(s.m, &s.cfg.cpu, 0x401000, PTDBG_ACC_WRITE, &t);
	assert_int_equal(t.stop, PTDBG_STOP_NOT_PRESENT);
	assert_int_equal(t.stop_level, 1);
	assert_int_equal(t.fault, 2);
	/* not present at the PML4, instruction fetch with NXE: I = 0x10 */
	ptdbg_x86_translate(s.m, &s.cfg.cpu, 0x500000000000ull, PTDBG_ACC_FETCH, &t);
	assert_int_equal(t.stop_level, 4);
	assert_int_equal(t.nsteps, 1);
	assert_int_equal(t.fault, 0x10);
	/* non-canonical */
	ptdbg_x86_translate(s.m, &s.cfg.cpu, 0x0000900000000000ull, 0, &t);
	assert_int_equal(t.stop, PTDBG_STOP_RANGE);
	assert_int_equal(t.nsteps, 0);
	/* reserved bit in the PDE: P|RSVD = 9 */
	s.cfg.cpu.maxphyaddr = 36;
	uint64_t pd = synth_table_of(&s, 0xffffffff81000000ull, 2);
	unsigned i = synth_index(0xffffffff81000000ull, 2);
	synth_set(&s, pd, i, synth_get(&s, pd, i) | (1ull << 40));
	ptdbg_mem_invalidate(s.m);
	ptdbg_x86_translate(s.m, &s.cfg.cpu, 0xffffffff81000000ull, 0, &t);
	assert_int_equal(t.stop, PTDBG_STOP_RESERVED);
	assert_int_equal(t.stop_level, 2);
	assert_int_equal(t.fault, 9);
	assert_int_equal(t.step[2].reserved, 1ull << 40);
	/* table outside memory */
	synth_set(&s, pd, i, 0x7ff00000000ull | TF);
	s.cfg.cpu.maxphyaddr = 52;
	ptdbg_mem_invalidate(s.m);
	ptdbg_x86_translate(s.m, &s.cfg.cpu, 0xffffffff81000000ull, 0, &t);
	assert_int_equal(t.stop, PTDBG_STOP_READ_ERROR);
	assert_int_equal(t.stop_level, 1);
	assert_int_not_equal(t.step[3].err, 0);
	synth_fini(&s);
}

/* Bit tables: formatting with names when set and when clear. */
static void test_bit_tables(void **state)
{
	char buf[128];
	uint64_t e = X86_PTE_P | X86_PTE_RW | X86_PTE_A | X86_PTE_NX;

	ptdbg_bits_format(&x86_bits_pte, e, " ", buf, sizeof(buf));
	assert_string_equal(buf, "P RW sup A NX");
	ptdbg_bits_format(&x86_bits_pte, 0, ",", buf, sizeof(buf));
	assert_string_equal(buf, "np,ro,sup");
	assert_ptr_equal(x86_bits_entry_table(2, true), &x86_bits_huge_leaf);
	assert_ptr_equal(x86_bits_entry_table(2, false), &x86_bits_table_entry);
	assert_int_equal(x86_entry_addr_mask(2, true, 40), 0xffffe00000ull);
	assert_int_equal(x86_entry_addr_mask(1, false, 0), 0x000ffffffffff000ull);
	assert_int_equal(x86_entry_reserved(X86_PTE_PS | X86_PTE_P, 4, false, 52, true), X86_PTE_PS);
	assert_int_equal(ptdbg_level_span_4k(3), 1u << 30);
	assert_string_equal(x86_entry_name(4), "PML4E");
	int n = ptdbg_bits_format(&x86_bits_pte, e, " ", buf, 4);
	assert_int_equal(n, 13);
	assert_string_equal(buf, "P R");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leaf_sizes),
		cmocka_unit_test(test_flags_every_level),
		cmocka_unit_test(test_nx_without_nxe_and_wp),
		cmocka_unit_test(test_pat),
		cmocka_unit_test(test_pkeys),
		cmocka_unit_test(test_reserved_bits),
		cmocka_unit_test(test_five_level),
		cmocka_unit_test(test_absent_entries),
		cmocka_unit_test(test_table_outside_memory),
		cmocka_unit_test(test_recursive_slot),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_shared_subtree),
		cmocka_unit_test(test_va_filter),
		cmocka_unit_test(test_batches_per_level),
		cmocka_unit_test(test_va_order),
		cmocka_unit_test(test_translate),
		cmocka_unit_test(test_bit_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
