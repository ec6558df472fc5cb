/* SPDX-License-Identifier: MIT */
/*
 * Unit tests: the fault log on AArch64 (arm64_fault.c), alias-wx over several
 * walks (arm64_check.c), and RAM from a device tree with the target that refuses
 * reads outside it (target/ramfilter.c), on synthetic memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arm64/arm64_check.h"
#include "arm64/arm64_fault.h"
#include "arm64_synth.h"
#include "arm64/arm64_bits.h"
#include "target/ramfilter.h"
#include "region/region_check.h"

#define CODE_VA 0x400000ull
#define DATA_VA 0x100000000ull
#define CODE_PA 0x200000ull
#define DATA_PA 0x201000ull

/* The wronly pattern: user code at CODE_VA (`strb w20, [x19]`), and the data page
 * invalid with AP[2]=0, AF, nG, PXN, UXN and software bit 55 kept. */
static void wronly(struct syn *s, uint64_t *pte)
{
	syn_init(s, 12, 36, 0, 0);
	syn_map(s, CODE_VA, CODE_PA, 3, ARM64_DESC_AF | ARM64_AP_RO_ALL | ARM64_DESC_PXN | ARM64_DESC_NG, 0);
	img_put32(s->im, CODE_PA + 0x78, 0x39000274); /* strb w20, [x19] */
	*pte = (DATA_PA | ARM64_DESC_AF | ARM64_AP_RW_ALL | ARM64_DESC_NG | ARM64_DESC_PXN | ARM64_DESC_UXN |
		ARM64_DESC_SW(0) | ARM64_DESC_TYPE) & ~ARM64_DESC_VALID;
	syn_put(s, DATA_VA, 3, *pte, 0);
	s->cpu.pc = 0xfffffff040200000ull;
	s->cpu.valid |= PTDBG_ARM64_HAVE_PC;
}

static void test_access(void **state)
{
	(void)state;
	assert_int_equal(ptdbg_arm64_fault_access(0x92000047), PTDBG_ACC_WRITE | PTDBG_ACC_USER);
	assert_int_equal(ptdbg_arm64_fault_access(0x96000007), 0);           /* read, EL1 */
	assert_int_equal(ptdbg_arm64_fault_access(0x8200000f), PTDBG_ACC_FETCH | PTDBG_ACC_USER);
	assert_int_equal(ptdbg_arm64_fault_access(0x86000005), PTDBG_ACC_FETCH);
}

static void test_wronly_loop(void **state)
{
	(void)state;
	struct syn s;
	uint64_t pte;
	wronly(&s, &pte);
	struct ptdbg_fault f = { .seq = 9, .cr2 = DATA_VA, .rip = CODE_VA + 0x78, .error_code = 0x92000047,
				 .cr3 = s.cpu.ttbr0, .pte = pte, .outcome = PTDBG_FAULT_HANDLED };
	struct ptdbg_fault_analysis a;
	assert_int_equal(ptdbg_arm64_fault_analyze(s.im->mem, &s.cpu, NULL, &f, &a), 0);
	assert_true(a.insn.ok);
	assert_string_equal(a.insn.mnemonic, "strb");
	assert_int_equal(a.insn.mem, PTDBG_INSN_WRITES);
	assert_string_equal(a.access, "write");
	assert_string_equal(a.pc_reg, "PC");
	assert_false(a.kernel_pc);
	assert_string_equal(a.words, "data abort from a lower EL: translation fault at level 3, write");
	assert_true(a.now.have_entry);
	assert_int_equal(a.now.entry, pte);
	assert_true(a.now.faults_again);
	assert_string_equal(a.result, "translation fault at level 3");
	assert_string_equal(a.now_name, "L3 desc");
	assert_non_null(strstr(a.now_bits, "invalid"));
	assert_non_null(strstr(a.why, "AP[2]=0 and bit 55 as a mapped, writable page"));
	assert_non_null(strstr(a.why, "calls the write already handled"));
	assert_int_equal(a.frame, DATA_PA);

	/* the same fault, and the loop check over a log of it */
	struct ptdbg_fault log[10];
	for (int i = 0; i < 10; i++) {
		log[i] = f;
		log[i].seq = (uint64_t)i;
	}
	struct ptdbg_region_view v = { 0 };
	v.faults = log;
	v.nfaults = 10;
	struct ptdbg_findings fl = { 0 };
	struct ptdbg_faultlog_check_opts o = { .out = &fl, .mem = s.im->mem, .region = &v,
					       .analyze = ptdbg_arm64_fault_analyze, .analyze_cpu = &s.cpu };
	assert_int_equal(ptdbg_faultlog_check(&o), 0);
	assert_int_equal(fl.n, 1);
	assert_string_equal(fl.v[0].kind, "fault-loop");
	assert_non_null(strstr(fl.v[0].msg, "10 faults in a row"));
	assert_non_null(strstr(fl.v[0].msg, "PC 0x400078 `strb w20, [x19]` writes memory; ESR 0x92000047"));
	ptdbg_findings_free(&fl);

	/* mapped now: the write goes through, no loop to explain */
	syn_put(&s, DATA_VA, 3, pte | ARM64_DESC_VALID, 0);
	assert_int_equal(ptdbg_arm64_fault_analyze(s.im->mem, &s.cpu, NULL, &f, &a), 0);
	assert_false(a.now.faults_again);
	assert_string_equal(a.result, "ok");
	syn_free(&s);
}

static void test_fault_kinds(void **state)
{
	(void)state;
	struct syn s;
	uint64_t pte;
	wronly(&s, &pte);
	struct ptdbg_fault_analysis a;
	/* a permission fault: EL0 writes its read-only code */
	struct ptdbg_fault f = { .cr2 = CODE_VA, .rip = CODE_VA + 0x78, .error_code = 0x9200004f,
				 .cr3 = s.cpu.ttbr0, .outcome = PTDBG_FAULT_KILLED };
	assert_int_equal(ptdbg_arm64_fault_analyze(s.im->mem, &s.cpu, NULL, &f, &a), 0);
	assert_non_null(strstr(a.why, "permission fault on this write: the page is not writable"));
	assert_string_equal(a.result, "permission fault at level 3");
	/* a fetch from an unmapped page: the instruction cannot be read */
	f = (struct ptdbg_fault){ .cr2 = 0x7000000, .rip = 0x7000000, .error_code = 0x82000006,
				  .cr3 = s.cpu.ttbr0, .outcome = PTDBG_FAULT_KILLED };
	assert_int_equal(ptdbg_arm64_fault_analyze(s.im->mem, &s.cpu, NULL, &f, &a), 0);
	assert_false(a.insn.ok);
	assert_non_null(strstr(a.insn.why, "does not translate: translation fault"));
	assert_string_equal(a.access, "fetch");
	assert_non_null(strstr(a.words, "instruction abort from a lower EL: translation fault at level 2"));
	/* an access flag fault */
	f = (struct ptdbg_fault){ .cr2 = DATA_VA, .rip = CODE_VA + 0x78, .error_code = 0x9200004b,
				  .cr3 = s.cpu.ttbr0, .outcome = PTDBG_FAULT_HANDLED };
	assert_int_equal(ptdbg_arm64_fault_analyze(s.im->mem, &s.cpu, NULL, &f, &a), 0);
	assert_non_null(strstr(a.why, "AF=0"));
	syn_free(&s);
}

static void test_alias_wx(void **state)
{
	(void)state;
	struct syn s;
	syn_init(&s, 12, 36, 1, 0);
	uint64_t k = syn_va(&s, 0);
	/* one frame: EL1-executable read-only here, EL1-writable (XN) there */
	syn_map(&s, k + 0x40200000, 0x40200000, 3, ARM64_DESC_AF | ARM64_AP_RO_EL1 | ARM64_DESC_UXN, 0);
	syn_map(&s, k + 0x60200000, 0x40200000, 3, ARM64_DESC_AF | ARM64_DESC_PXN | ARM64_DESC_UXN, 0);
	/* and a frame EL0 runs that EL1 may write: every kernel's linear map, no finding */
	syn_map(&s, k + 0x40400000, 0x40400000, 3, ARM64_DESC_AF | ARM64_AP_RO_ALL | ARM64_DESC_PXN, 0);
	syn_map(&s, k + 0x60400000, 0x40400000, 3, ARM64_DESC_AF | ARM64_DESC_PXN | ARM64_DESC_UXN, 0);
	struct ptdbg_findings fl = { 0 };
	struct ptdbg_arm64_checker *ck = ptdbg_arm64_checker_new(&fl);
	assert_non_null(ck);
	assert_int_equal(ptdbg_arm64_check_half(ck, s.im->mem, &s.cpu, 1, "kernel (TTBR1)", NULL, NULL), 0);
	ptdbg_arm64_checker_finish(ck);
	ptdbg_arm64_checker_free(ck);
	size_t n = 0;
	for (size_t i = 0; i < fl.n; i++) {
		if (strcmp(fl.v[i].kind, "alias-wx"))
			continue;
		n++;
		assert_int_equal(fl.v[i].addr, k + 0x40200000);
		assert_int_equal(fl.v[i].frame, 0x40200000);
		assert_string_equal(fl.v[i].space, "kernel (TTBR1)");
		assert_non_null(strstr(fl.v[i].msg, "EL1-executable here and EL1-writable at 0xfffffff060200000"));
	}
	assert_int_equal(n, 1);
	ptdbg_findings_free(&fl);
	syn_free(&s);
}

/* ---- a device tree, built here ---- */

struct fdt {
	uint8_t b[1024];
	size_t st, n;          /* struct block: start, length */
	char strs[128];
	size_t ns;
};

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

static void tok(struct fdt *f, uint32_t v)
{
	put_be32(f->b + f->st + f->n, v);
	f->n += 4;
}

static void node(struct fdt *f, const char *name)
{
	tok(f, 1);
	size_t l = strlen(name) + 1;
	memcpy(f->b + f->st + f->n, name, l);
	f->n += (l + 3) & ~(size_t)3;
}

static void prop(struct fdt *f, const char *name, const void *val, uint32_t len)
{
	uint32_t off = (uint32_t)f->ns;
	memcpy(f->strs + f->ns, name, strlen(name) + 1);
	f->ns += strlen(name) + 1;
	tok(f, 3);
	tok(f, len);
	tok(f, off);
	memcpy(f->b + f->st + f->n, val, len);
	f->n += (len + 3) & ~3u;
}

static void prop32(struct fdt *f, const char *name, uint32_t v)
{
	uint8_t b[4];
	put_be32(b, v);
	prop(f, name, b, 4);
}

/* QEMU virt's: #address-cells = #size-cells = 2, memory@40000000 of size, plus a
 * second bank when size2. */
static size_t build_fdt(struct fdt *f, uint64_t size, uint64_t size2)
{
	memset(f, 0, sizeof(*f));
	f->st = 40;
	node(f, "");
	prop32(f, "#address-cells", 2);
	prop32(f, "#size-cells", 2);
	node(f, "memory@40000000");
	uint8_t reg[32];
	put_be32(reg, 0); put_be32(reg + 4, 0x40000000);
	put_be32(reg + 8, (uint32_t)(size >> 32)); put_be32(reg + 12, (uint32_t)size);
	put_be32(reg + 16, 0x1); put_be32(reg + 20, 0);
	put_be32(reg + 24, (uint32_t)(size2 >> 32)); put_be32(reg + 28, (uint32_t)size2);
	prop(f, "reg", reg, size2 ? 32 : 16);
	prop(f, "device_type", "memory", 7);
	tok(f, 2);
	node(f, "pl011@9000000");
	prop(f, "reg", reg, 16);
	tok(f, 2);
	tok(f, 2);
	tok(f, 9);
	size_t strs = f->st + f->n;
	memcpy(f->b + strs, f->strs, f->ns);
	size_t total = strs + f->ns;
	put_be32(f->b, 0xd00dfeed);
	put_be32(f->b + 4, (uint32_t)total);
	put_be32(f->b + 8, (uint32_t)f->st);
	put_be32(f->b + 12, (uint32_t)strs);
	put_be32(f->b + 32, (uint32_t)f->ns);
	put_be32(f->b + 36, (uint32_t)f->n);
	return total;
}

static void test_fdt(void **state)
{
	(void)state;
	struct fdt f;
	struct ptdbg_ram ram;
	size_t len = build_fdt(&f, 512ull << 20, 0);
	assert_int_equal(ptdbg_ram_from_fdt(f.b, len, &ram), 0);
	assert_int_equal(ram.n, 1);
	assert_int_equal(ram.r[0].pa, 0x40000000);
	assert_int_equal(ram.r[0].len, 512ull << 20);
	assert_true(ptdbg_ram_holds(&ram, 0x5ffff000, 4096));
	assert_false(ptdbg_ram_holds(&ram, 0x5ffff000, 8192));
	assert_false(ptdbg_ram_holds(&ram, 0x30000000, 8));
	/* two banks in one reg */
	len = build_fdt(&f, 1ull << 30, 1ull << 30);
	assert_int_equal(ptdbg_ram_from_fdt(f.b, len, &ram), 0);
	assert_int_equal(ram.n, 2);
	assert_int_equal(ram.r[1].pa, 0x100000000ull);
	/* malformed: bad magic, truncated, a property longer than the block, no memory */
	uint8_t bad[sizeof(f.b)];
	memcpy(bad, f.b, sizeof(bad));
	bad[0] = 0;
	assert_int_equal(ptdbg_ram_from_fdt(bad, len, &ram), PTDBG_EFORMAT);
	assert_int_equal(ptdbg_ram_from_fdt(f.b, len - 8, &ram), PTDBG_EFORMAT);
	assert_int_equal(ptdbg_ram_from_fdt(f.b, 20, &ram), PTDBG_EFORMAT);
	memcpy(bad, f.b, sizeof(bad));
	put_be32(bad + 40 + 8, 0x7fffffff); /* the first property's length */
	assert_int_equal(ptdbg_ram_from_fdt(bad, len, &ram), PTDBG_EFORMAT);
	memcpy(bad, f.b, sizeof(bad));
	char *mem = memmem(bad, len, "memory@", 7);
	assert_non_null(mem);
	mem[0] = 'x';
	char *dt = memmem(bad, len, "memory\0", 7);
	assert_non_null(dt);
	dt[0] = 'x';
	assert_int_equal(ptdbg_ram_from_fdt(bad, len, &ram), PTDBG_EFORMAT);
}

/* ptdbg_fdt_read: the blocks only, from its first 8 KiB read or past them, and from
 * the header alone where those 8 KiB are not all readable. */
static void test_fdt_read(void **state)
{
	(void)state;
	struct img *im = img_new_at(0x40000000, IMG_SIZE);
	struct fdt f;
	size_t len = build_fdt(&f, 1u << 20, 0);
	uint8_t *blob;
	size_t n;
	struct ptdbg_ram ram;

	memcpy(im->buf, f.b, len);
	assert_int_equal(ptdbg_fdt_read(im->t, 0x40000000, &blob, &n), 0);
	assert_int_equal(n, len);
	assert_memory_equal(blob, f.b, len);
	free(blob);

	/* the strings block 12 KiB in, QEMU's 1 MiB allocation around it */
	size_t strs = 0x3000, ns = f.ns;
	memcpy(im->buf + 0x10000, f.b, len);
	memcpy(im->buf + 0x10000 + strs, f.strs, ns);
	put_be32(im->buf + 0x10000 + 4, 1u << 20);
	put_be32(im->buf + 0x10000 + 12, (uint32_t)strs);
	assert_int_equal(ptdbg_fdt_read(im->t, 0x40010000, &blob, &n), 0);
	assert_int_equal(n, strs + ns);
	assert_int_equal(ptdbg_ram_from_fdt(blob, n, &ram), 0);
	assert_int_equal(ram.n, 1);
	free(blob);

	/* 1 KiB before the image ends: the 8 KiB read fails, the header's does not */
	uint64_t at = IMG_SIZE - 1024;
	memcpy(im->buf + at, f.b, len);
	assert_int_equal(ptdbg_fdt_read(im->t, 0x40000000 + at, &blob, &n), 0);
	assert_int_equal(n, len);
	free(blob);
	assert_int_equal(ptdbg_ram_from_fdt_at(im->t, 0x40000000 + at, &ram), 0);

	/* read ahead by the caller: the same tree, nothing read for it when the first
	 * bytes hold it; only what they lack (the strings 12 KiB in) when not; the
	 * target's own read when they are too few to hold a header */
	static uint8_t ahead[PTDBG_FDT_AHEAD];
	memcpy(ahead, im->buf, sizeof(ahead));
	memset(im->buf, 0, sizeof(ahead)); /* what the target holds now is not read */
	assert_int_equal(ptdbg_fdt_read_ahead(im->t, 0x40000000, ahead, sizeof(ahead), &blob, &n), 0);
	assert_int_equal(n, len);
	assert_memory_equal(blob, f.b, len);
	free(blob);
	assert_int_equal(ptdbg_ram_from_fdt_ahead(im->t, 0x40000000, ahead, sizeof(ahead), &ram), 0);
	assert_int_equal(ram.n, 1);
	memcpy(ahead, im->buf + 0x10000, sizeof(ahead));
	assert_int_equal(ptdbg_fdt_read_ahead(im->t, 0x40010000, ahead, sizeof(ahead), &blob, &n), 0);
	assert_int_equal(n, strs + ns);
	assert_memory_equal(blob + strs, f.strs, ns);
	free(blob);
	assert_int_equal(ptdbg_fdt_read_ahead(im->t, 0x40000000, ahead, 39, &blob, &n), PTDBG_EFORMAT);
	memcpy(im->buf, f.b, len);

	/* no tree, and a tree that claims blocks past its total size */
	assert_int_equal(ptdbg_fdt_read(im->t, 0x40002000, &blob, &n), PTDBG_EFORMAT);
	assert_null(blob);
	put_be32(im->buf + 4, (uint32_t)len - 8);
	assert_int_equal(ptdbg_fdt_read(im->t, 0x40000000, &blob, &n), PTDBG_EFORMAT);
	img_free(im);
}

static void test_filter(void **state)
{
	(void)state;
	struct img *im = img_new_at(0x40000000, IMG_SIZE);
	struct fdt f;
	size_t len = build_fdt(&f, 1u << 20, 0); /* RAM: the first MiB only */
	memcpy(im->buf, f.b, len);
	struct ptdbg_ram ram;
	assert_int_equal(ptdbg_ram_from_fdt_at(im->t, 0x40000000, &ram), 0);
	assert_int_equal(ptdbg_ram_from_fdt_at(im->t, 0x40001000, &ram), PTDBG_EFORMAT);
	assert_int_equal(ptdbg_ram_from_fdt_at(im->t, 0x40000000, &ram), 0);
	struct ptdbg_target *t = ptdbg_ram_filter_open(im->t, &ram);
	assert_non_null(t);
	assert_string_equal(ptdbg_target_backend(t), ptdbg_target_backend(im->t));
	uint8_t buf[16];
	assert_int_equal(ptdbg_read_phys(t, 0x40000000, buf, 4), 0);
	assert_int_equal(buf[0], 0xd0);
	assert_int_equal(ptdbg_read_phys(t, 0x40200000, buf, 8), PTDBG_EIO);  /* image, not RAM */
	assert_non_null(strstr(ptdbg_target_error(t), "not RAM"));
	struct ptdbg_io ios[2] = { { 0x40000000, 8, buf, 0 }, { 0x40100000, 8, buf + 8, 0 } };
	assert_int_equal(ptdbg_read_phys_batch(t, ios, 2), 0);
	assert_int_equal(ios[0].err, 0);
	assert_int_equal(ios[1].err, PTDBG_EIO);
	ptdbg_target_close(t);           /* leaves the image open */
	assert_int_equal(ptdbg_read_phys(im->t, 0x40200000, buf, 8), 0);
	img_free(im);
}


/* The region-aware checker fed an AArch64 walk: a user page on a page-table frame,
 * a table past the frames the region describes, a live table on a free frame; the
 * findings name AArch64's levels. */
static void test_region_kinds(void **state)
{
	(void)state;
	struct syn s;
	syn_init(&s, 12, 36, 0, 0);
	enum { NFR = 0x300 }; /* frames 0 .. 0x2ff described: the image's first 3 MiB */
	uint64_t meta_pa = 0x200000;
	struct ptdbg_frame_meta m0 = { .usage = PTDBG_FRAME_KHEAP, .owner = PTDBG_OWNER_NONE };
	for (uint64_t pfn = 0; pfn < NFR; pfn++)
		for (unsigned b = 0; b < sizeof(m0); b += 4) {
			uint32_t w;
			memcpy(&w, (const uint8_t *)&m0 + b, 4);
			img_put32(s.im, meta_pa + pfn * sizeof(m0) + b, w);
		}
	/* the tables so far are page-table frames, NA */
	struct ptdbg_frame_meta pt = { .usage = PTDBG_FRAME_PT, .pt_level = 3, .tracking = PTDBG_TRACK_NA,
				       .refcount = 1, .owner = PTDBG_OWNER_NONE };
	/* user page 0x400000 -> frame 0x10000 (the TTBR0 root's frame: a page table) */
	syn_map(&s, CODE_VA, 0x10000, 3, ARM64_DESC_AF | ARM64_AP_RW_ALL | ARM64_DESC_PXN | ARM64_DESC_UXN, 0);
	uint64_t l3 = syn_table(&s, CODE_VA, 3, 0), l2 = syn_table(&s, CODE_VA, 2, 0);
	struct ptdbg_frame_meta freed = { .usage = PTDBG_FRAME_FREE, .owner = PTDBG_OWNER_NONE };
	uint64_t pts[3] = { s.cpu.ttbr0 & ~0xfffull, l2, l3 };
	for (int i = 0; i < 3; i++) {
		const struct ptdbg_frame_meta *m = i == 2 ? &freed : &pt;
		for (unsigned b = 0; b < sizeof(*m); b += 4) {
			uint32_t w;
			memcpy(&w, (const uint8_t *)m + b, 4);
			img_put32(s.im, meta_pa + (pts[i] >> 12) * sizeof(*m) + b, w);
		}
	}
	/* a table past the described frames: 0x380000 */
	uint64_t far_l2 = 0x380000;
	img_put64(s.im, (s.cpu.ttbr0 & ~0xfffull) + 8 * 4, far_l2 | ARM64_DESC_TABLE);
	struct ptdbg_marker mk = { .start = 0, .end = 1ull << 36, .tracking = PTDBG_TRACK_TRACKED,
				   .as_kind = PTDBG_AS_USER };
	snprintf(mk.name, sizeof(mk.name), "user");
	struct ptdbg_region_view v = { 0 };
	v.markers = &mk;
	v.nmarkers = 1;
	v.hdr.frames = (struct ptdbg_frames){ .phys = meta_pa, .base_pfn = 0, .count = NFR,
					      .elem_size = sizeof(struct ptdbg_frame_meta) };
	struct ptdbg_findings fl = { 0 };
	struct ptdbg_region_opts ro = { .out = &fl, .mem = s.im->mem, .region = &v };
	struct ptdbg_region_checker *rc = ptdbg_region_checker_new(&ro);
	struct ptdbg_arm64_checker *ck = ptdbg_arm64_checker_new(&fl);
	assert_non_null(rc);
	assert_non_null(ck);
	ptdbg_region_check_begin(rc, "proc (TTBR0)", PTDBG_AS_USER, s.h.top, false, arm64_level_name);
	assert_int_equal(ptdbg_arm64_check_half(ck, s.im->mem, &s.cpu, 0, "proc (TTBR0)",
						ptdbg_region_visit, rc), 0);
	assert_int_equal(ptdbg_region_finish(rc), 0);
	const char *want[] = { "user-maps-kernel-frame", "table-outside-ram", "freed-frame-mapped" };
	for (int k = 0; k < 3; k++) {
		const struct ptdbg_finding *hit = NULL;
		for (size_t i = 0; i < fl.n && !hit; i++)
			if (!strcmp(fl.v[i].kind, want[k]))
				hit = &fl.v[i];
		assert_non_null(hit);
		assert_string_equal(hit->space, "proc (TTBR0)");
		if (k == 1)
			assert_non_null(strstr(hit->msg, "L2 at 0x380000"));
		if (k == 2)
			assert_non_null(strstr(hit->msg, "L3 at"));
		if (k == 0)
			assert_non_null(strstr(hit->msg, "user-writable leaf maps frame 0x10000, which holds a page table"));
	}
	ptdbg_arm64_checker_free(ck);
	ptdbg_region_checker_free(rc);
	ptdbg_findings_free(&fl);
	syn_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_access),
		cmocka_unit_test(test_wronly_loop),
		cmocka_unit_test(test_fault_kinds),
		cmocka_unit_test(test_alias_wx),
		cmocka_unit_test(test_fdt),
		cmocka_unit_test(test_fdt_read),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_region_kinds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
