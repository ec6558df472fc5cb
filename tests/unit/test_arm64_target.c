/* SPDX-License-Identifier: MIT */
/*
 * Unit tests: AArch64 targets. Target descriptions in the shapes QEMU 7.2 serves
 * (target.xml including aarch64-core.xml, aarch64-fpu.xml and the generated
 * system-registers.xml of org.qemu.gdb.arm.sys.regs; newer QEMU's _EL1 names; the
 * x86-64 description for contrast), registers by name, the architecture; a core
 * file written by dump-guest-memory of an AArch64 guest.
 */
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "arm64/arm64_regs.h"
#include "target/target.h"
#include "target/tdesc.h"

/* ---- target descriptions ---- */

static const char a64_target_xml[] =
	"<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
	"<target><architecture>aarch64</architecture>"
	"<xi:include href=\"aarch64-core.xml\"/>"
	"<xi:include href=\"aarch64-fpu.xml\"/>"
	"<xi:include href=\"system-registers.xml\"/></target>";

static char a64_core_xml[4096];

static void make_core_xml(void)
{
	size_t n = 0;
	n += (size_t)snprintf(a64_core_xml + n, sizeof(a64_core_xml) - n,
		"<?xml version=\"1.0\"?>\n<!-- Copyright (C) 2009-2012 Free Software Foundation, Inc.\n"
		"     <reg name=\"pc\" bitsize=\"8\"/> in a comment is not a register -->\n"
		"<!DOCTYPE feature SYSTEM \"gdb-target.dtd\">\n"
		"<feature name=\"org.gnu.gdb.aarch64.core\">\n"
		"  <reg name=\"x0\" bitsize=\"64\"/>\n");
	for (int i = 1; i <= 30; i++)
		n += (size_t)snprintf(a64_core_xml + n, sizeof(a64_core_xml) - n,
				      "  <reg name=\"x%d\" bitsize=\"64\"/>\n", i);
	snprintf(a64_core_xml + n, sizeof(a64_core_xml) - n,
		"  <reg name=\"sp\" bitsize=\"64\" type=\"data_ptr\"/>\n"
		"  <reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\"/>\n"
		"  <flags id=\"cpsr_flags\" size=\"4\">\n"
		"    <field name=\"SP\" start=\"0\" end=\"0\"/>\n"
		"    <field name=\"EL\" start=\"2\" end=\"3\"/>\n"
		"  </flags>\n"
		"  <reg name=\"cpsr\" bitsize=\"32\" type=\"cpsr_flags\"/>\n"
		"</feature>\n");
}

static const char a64_fpu_xml[] =
	"<?xml version=\"1.0\"?>\n<!DOCTYPE feature SYSTEM \"gdb-target.dtd\">\n"
	"<feature name=\"org.gnu.gdb.aarch64.fpu\">\n"
	"  <vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>\n"
	"  <union id=\"vnd\"><field name=\"f\" type=\"v2d\"/></union>\n"
	"  <reg name=\"v0\" bitsize=\"128\" type=\"aarch64v\" regnum=\"34\"/>\n"
	"  <reg name=\"v1\" bitsize=\"128\" type=\"aarch64v\"/>\n"
	"  <reg name=\"fpsr\" bitsize=\"32\"/>\n"
	"  <reg name=\"fpcr\" bitsize=\"32\"/>\n"
	"</feature>\n";

/* QEMU 7.2's generated system registers (cortex-a57 numbers). */
static const char a64_sys_xml_72[] =
	"<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
	"<feature name=\"org.qemu.gdb.arm.sys.regs\">"
	"<reg name=\"MIDR_EL1\" bitsize=\"64\" regnum=\"68\" group=\"cp_regs\"/>"
	"<reg name=\"SCTLR\" bitsize=\"64\" regnum=\"75\" group=\"cp_regs\"/>"
	"<reg name=\"CPACR\" bitsize=\"64\" regnum=\"76\" group=\"cp_regs\"/>"
	"<reg name=\"TTBR0_EL1\" bitsize=\"64\" regnum=\"80\" group=\"cp_regs\"/>"
	"<reg name=\"TTBR1_EL1\" bitsize=\"64\" regnum=\"81\" group=\"cp_regs\"/>"
	"<reg name=\"TCR_EL1\" bitsize=\"64\" regnum=\"82\" group=\"cp_regs\"/>"
	"<reg name=\"ESR_EL1\" bitsize=\"64\" regnum=\"90\" group=\"cp_regs\"/>"
	"<reg name=\"FAR_EL1\" bitsize=\"64\" regnum=\"93\" group=\"cp_regs\"/>"
	"<reg name=\"PAR_EL1\" bitsize=\"64\" regnum=\"95\" group=\"cp_regs\"/>"
	"<reg name=\"MAIR_EL1\" bitsize=\"64\" regnum=\"101\" group=\"cp_regs\"/>"
	"<reg name=\"AMAIR0\" bitsize=\"64\" regnum=\"102\" group=\"cp_regs\"/>"
	"<reg name=\"VBAR\" bitsize=\"64\" regnum=\"105\" group=\"cp_regs\"/>"
	"<reg name=\"ELR_EL1\" bitsize=\"64\" regnum=\"120\" group=\"cp_regs\"/>"
	"<reg name=\"SPSR_EL1\" bitsize=\"64\" regnum=\"121\" group=\"cp_regs\"/>"
	"<reg name=\"ID_AA64MMFR0_EL1\" bitsize=\"64\" regnum=\"140\" group=\"cp_regs\"/>"
	"</feature>";

/* A newer QEMU: the _EL1 names, other numbers (as on `-cpu max`). */
static const char a64_sys_xml_new[] =
	"<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
	"<feature name=\"org.qemu.gdb.arm.sys.regs\">"
	"<reg name=\"SCTLR_EL1\" bitsize=\"64\" regnum=\"210\" group=\"cp_regs\"/>"
	"<reg name=\"TTBR0_EL1\" bitsize=\"64\" regnum=\"220\" group=\"cp_regs\"/>"
	"<reg name=\"TTBR1_EL1\" bitsize=\"64\" regnum=\"221\" group=\"cp_regs\"/>"
	"<reg name=\"TCR_EL1\" bitsize=\"64\" regnum=\"222\" group=\"cp_regs\"/>"
	"<reg name=\"MAIR_EL1\" bitsize=\"64\" regnum=\"230\" group=\"cp_regs\"/>"
	"<reg name=\"VBAR_EL1\" bitsize=\"64\" regnum=\"240\" group=\"cp_regs\"/>"
	"<reg name=\"SCTLR\" bitsize=\"64\" regnum=\"250\" group=\"cp_regs\"/>"
	"</feature>";

static const char x86_target_xml[] =
	"<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
	"<target><architecture>i386:x86-64</architecture>"
	"<xi:include href=\"i386-64bit.xml\"/></target>";
static const char x86_64bit_xml[] =
	"<feature name=\"org.gnu.gdb.i386.core\">"
	"<reg name=\"rax\" bitsize=\"64\" type=\"int64\"/>"
	"<reg name=\"rip\" bitsize=\"64\" type=\"code_ptr\" regnum=\"16\"/>"
	"<reg name=\"eflags\" bitsize=\"32\" type=\"i386_eflags\"/>"
	"<reg name=\"cs\" bitsize=\"32\" type=\"int32\"/>"
	"</feature><feature name=\"org.gnu.gdb.i386.sys\">"
	"<reg name=\"cr0\" bitsize=\"64\" type=\"int\" regnum=\"60\"/>"
	"<reg name=\"cr3\" bitsize=\"64\" type=\"int\"/>"
	"</feature>";

struct docs {
	const char *sys;   /* the system-registers.xml to serve */
	int includes;
};

static int include(void *ctx, const char *href);

static int scan_doc(struct ptdbg_tdesc *d, struct docs *dc, const char *doc)
{
	struct { struct ptdbg_tdesc *d; struct docs *dc; } c = { d, dc };
	return ptdbg_tdesc_scan(d, doc, include, &c);
}

static int include(void *ctx, const char *href)
{
	struct { struct ptdbg_tdesc *d; struct docs *dc; } *c = ctx;
	c->dc->includes++;
	if (!strcmp(href, "aarch64-core.xml"))
		return scan_doc(c->d, c->dc, a64_core_xml);
	if (!strcmp(href, "aarch64-fpu.xml"))
		return scan_doc(c->d, c->dc, a64_fpu_xml);
	if (!strcmp(href, "system-registers.xml"))
		return scan_doc(c->d, c->dc, c->dc->sys);
	if (!strcmp(href, "i386-64bit.xml"))
		return scan_doc(c->d, c->dc, x86_64bit_xml);
	return -99;
}

/* The number of the register called name in ptdbg_reg_table, -1 if not offered. */
static int regno(const struct ptdbg_tdesc *d, const char *name, unsigned *bits)
{
	for (size_t i = 0; i < PTDBG_NREGS; i++)
		if (!strcmp(ptdbg_reg_table[i].name, name)) {
			if (bits)
				*bits = d->regbits[i];
			return d->regno[i];
		}
	return -2;
}

static void test_tdesc_qemu72(void **state)
{
	struct ptdbg_tdesc d;
	struct docs dc = { a64_sys_xml_72, 0 };
	unsigned bits;

	make_core_xml();
	ptdbg_tdesc_init(&d);
	assert_int_equal(scan_doc(&d, &dc, a64_target_xml), 0);
	assert_int_equal(dc.includes, 3);
	assert_int_equal(ptdbg_tdesc_arch(&d), PTDBG_ARCH_AARCH64);
	assert_int_equal(regno(&d, "pc", &bits), 32);
	assert_int_equal(bits, 64);
	assert_int_equal(regno(&d, "cpsr", &bits), 33);
	assert_int_equal(bits, 32);
	assert_int_equal(regno(&d, "SCTLR", NULL), 75);
	assert_int_equal(regno(&d, "SCTLR_EL1", NULL), -1);
	assert_int_equal(regno(&d, "TTBR0_EL1", NULL), 80);
	assert_int_equal(regno(&d, "TTBR1_EL1", NULL), 81);
	assert_int_equal(regno(&d, "TCR_EL1", NULL), 82);
	assert_int_equal(regno(&d, "ESR_EL1", NULL), 90);
	assert_int_equal(regno(&d, "FAR_EL1", NULL), 93);
	assert_int_equal(regno(&d, "MAIR_EL1", NULL), 101);
	assert_int_equal(regno(&d, "VBAR", NULL), 105);
	assert_int_equal(regno(&d, "ELR_EL1", NULL), 120);
	assert_int_equal(regno(&d, "ID_AA64MMFR0_EL1", NULL), 140);
	assert_int_equal(regno(&d, "rip", NULL), -1);
	assert_int_equal(regno(&d, "cr3", NULL), -1);
}

static void test_tdesc_newer_names(void **state)
{
	struct ptdbg_tdesc d;
	struct docs dc = { a64_sys_xml_new, 0 };

	make_core_xml();
	ptdbg_tdesc_init(&d);
	assert_int_equal(scan_doc(&d, &dc, a64_target_xml), 0);
	assert_int_equal(regno(&d, "SCTLR_EL1", NULL), 210);
	assert_int_equal(regno(&d, "SCTLR", NULL), 250);
	assert_int_equal(regno(&d, "VBAR_EL1", NULL), 240);
	assert_int_equal(regno(&d, "TTBR0_EL1", NULL), 220);
	assert_int_equal(regno(&d, "ESR_EL1", NULL), -1);
}

static void test_tdesc_x86_and_errors(void **state)
{
	struct ptdbg_tdesc d;
	struct docs dc = { NULL, 0 };

	ptdbg_tdesc_init(&d);
	assert_int_equal(scan_doc(&d, &dc, x86_target_xml), 0);
	assert_int_equal(ptdbg_tdesc_arch(&d), PTDBG_ARCH_X86_64);
	assert_int_equal(regno(&d, "rip", NULL), 16);
	assert_int_equal(regno(&d, "cs", NULL), 18);
	assert_int_equal(regno(&d, "cr0", NULL), 60);
	assert_int_equal(regno(&d, "cr3", NULL), 61);
	assert_int_equal(regno(&d, "pc", NULL), -1);
	/* an include the stub cannot serve fails the scan */
	ptdbg_tdesc_init(&d);
	assert_int_equal(scan_doc(&d, &dc, "<target><xi:include href=\"nope.xml\"/></target>"), -99);
	/* the architecture element alone */
	ptdbg_tdesc_init(&d);
	assert_int_equal(scan_doc(&d, &dc, "<target><architecture>aarch64</architecture></target>"), 0);
	assert_int_equal(ptdbg_tdesc_arch(&d), PTDBG_ARCH_AARCH64);
	ptdbg_tdesc_init(&d);
	assert_int_equal(scan_doc(&d, &dc, "<target><architecture>riscv:rv64</architecture>"
					   "<reg name=\"pc\" bitsize=\"64\"/></target>"), 0);
	assert_int_equal(ptdbg_tdesc_arch(&d), PTDBG_ARCH_UNSPECIFIED);
	assert_int_equal(regno(&d, "pc", NULL), 0);
	/* truncated tags end the scan quietly */
	ptdbg_tdesc_init(&d);
	assert_int_equal(scan_doc(&d, &dc, "<feature name=\"org.gnu.gdb.aarch64.core\"><reg name=\"x0"), 0);
	assert_int_equal(ptdbg_tdesc_arch(&d), PTDBG_ARCH_AARCH64);
}

static void test_regs_arch_and_names(void **state)
{
	struct ptdbg_regs r = { 0 };

	assert_int_equal(ptdbg_regs_arch(&r), PTDBG_ARCH_UNSPECIFIED);
	r.valid = PTDBG_REG_CR3;
	assert_int_equal(ptdbg_regs_arch(&r), PTDBG_ARCH_X86_64);
	r.valid = PTDBG_REG_TTBR1;
	assert_int_equal(ptdbg_regs_arch(&r), PTDBG_ARCH_AARCH64);
	r.arch = PTDBG_ARCH_X86_64;
	assert_int_equal(ptdbg_regs_arch(&r), PTDBG_ARCH_X86_64);
	assert_string_equal(ptdbg_arch_name(PTDBG_ARCH_AARCH64), "aarch64");
	assert_int_equal(ptdbg_arch_from_name("arm64"), PTDBG_ARCH_AARCH64);
	assert_int_equal(ptdbg_arch_from_name("x86_64"), PTDBG_ARCH_X86_64);
	assert_int_equal(ptdbg_arch_from_name("mips"), PTDBG_ARCH_UNSPECIFIED);
}

/* The CPU state of the decoder from registers as a target reports them. */
static void test_cpu_from_regs(void **state)
{
	struct ptdbg_regs r = { 0 };
	struct ptdbg_arm64_cpu cpu;

	r.arch = PTDBG_ARCH_AARCH64;
	r.ttbr0_el1 = 0x40100000;
	r.ttbr1_el1 = 0x40200000;
	r.tcr_el1 = 0x80803520ull;
	r.mair_el1 = 0xff04;
	r.sctlr_el1 = 0x30d01805;
	r.cpsr = 0x3c5;
	r.pc = 0xfffffff040080000ull;
	r.id_aa64mmfr0_el1 = 0x1121;
	r.valid = PTDBG_REG_TTBR0 | PTDBG_REG_TTBR1 | PTDBG_REG_TCR | PTDBG_REG_MAIR |
		  PTDBG_REG_SCTLR | PTDBG_REG_CPSR | PTDBG_REG_PC | PTDBG_REG_MMFR0;
	ptdbg_arm64_cpu_from_regs(&cpu, &r);
	assert_int_equal(cpu.ttbr1, 0x40200000);
	assert_int_equal(cpu.tcr, 0x80803520ull);
	assert_int_equal(cpu.parange, 36);
	assert_true(cpu.valid & PTDBG_ARM64_HAVE_SCTLR);
	assert_true(cpu.valid & PTDBG_ARM64_HAVE_CPSR);
	assert_true(cpu.valid & PTDBG_ARM64_HAVE_PC);
	assert_false(cpu.valid & PTDBG_ARM64_HAVE_EXC);
	assert_int_equal(ptdbg_arm64_el(&cpu), 1);
	assert_int_equal(ptdbg_arm64_regs_missing(&r), 0);
	r.valid &= ~PTDBG_REG_TCR;
	assert_int_equal(ptdbg_arm64_regs_missing(&r), PTDBG_REG_TCR);
}

/* ---- an AArch64 core file ---- */

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static void test_core_aarch64(void **state)
{
	static uint8_t file[0x3000];
	char path[64], err[256];
	Elf64_Ehdr *eh = (Elf64_Ehdr *)file;
	Elf64_Phdr *ph = (Elf64_Phdr *)(file + sizeof(*eh));
	uint8_t prs[392] = { 0 };
	size_t off = 0x200;

	memset(file, 0, sizeof(file));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_CORE;
	eh->e_machine = EM_AARCH64;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 2;
	put64(prs + 112 + 31 * 8, 0xfffffff0400ff000ull); /* sp */
	put64(prs + 112 + 32 * 8, 0xfffffff040080abcull); /* pc */
	put64(prs + 112 + 33 * 8, 0x600003c5ull);         /* pstate: EL1h */
	Elf64_Nhdr nh = { .n_namesz = 5, .n_descsz = sizeof(prs), .n_type = NT_PRSTATUS };
	memcpy(file + off, &nh, sizeof(nh));
	off += sizeof(nh);
	memcpy(file + off, "CORE", 5);
	off += 8;
	memcpy(file + off, prs, sizeof(prs));
	off += sizeof(prs);
	ph[0] = (Elf64_Phdr){ .p_type = PT_NOTE, .p_offset = 0x200, .p_filesz = off - 0x200 };
	ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_offset = 0x1000, .p_paddr = 0x40000000,
			      .p_filesz = 0x2000, .p_memsz = 0x2000 };
	put64(file + 0x1000 + 0x18, 0x40001703ull);

	snprintf(path, sizeof(path), "/tmp/test_arm64_core.%d", (int)getpid());
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(file, 1, sizeof(file), f), sizeof(file));
	fclose(f);
	struct ptdbg_target *t = ptdbg_core_open(path, err, sizeof(err));
	unlink(path);
	assert_non_null(t);
	struct ptdbg_regs r;
	assert_int_equal(ptdbg_read_regs(t, &r), 0);
	assert_int_equal(r.arch, PTDBG_ARCH_AARCH64);
	assert_int_equal(ptdbg_regs_arch(&r), PTDBG_ARCH_AARCH64);
	assert_int_equal(r.pc, 0xfffffff040080abcull);
	assert_int_equal(r.cpsr, 0x600003c5ull);
	assert_int_equal(r.valid, PTDBG_REG_PC | PTDBG_REG_CPSR);
	assert_int_equal(ptdbg_arm64_regs_missing(&r),
			 PTDBG_REG_TTBR0 | PTDBG_REG_TTBR1 | PTDBG_REG_TCR);
	uint64_t v = 0;
	assert_int_equal(ptdbg_read_phys(t, 0x40000018, &v, 8), 0);
	assert_int_equal(v, 0x40001703ull);
	ptdbg_target_close(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tdesc_qemu72),
		cmocka_unit_test(test_tdesc_newer_names),
		cmocka_unit_test(test_tdesc_x86_and_errors),
		cmocka_unit_test(test_regs_arch_and_names),
		cmocka_unit_test(test_cpu_from_regs),
		cmocka_unit_test(test_core_aarch64),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
