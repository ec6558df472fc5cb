/* SPDX-License-Identifier: MIT */
/* Unit tests: the core-file backend (tools/lib/core.c) and the image backend. */
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

#include "target/target.h"

/* Layout of the synthetic core: what QEMU's dump-guest-memory writes, in small. */
#define NOTE_OFF   0x200
#define SEG0_OFF   0x1000   /* guest 0x0000..0x1fff, in the file */
#define SEG1_OFF   0x3000   /* guest 0x100000..0x100fff in the file, memsz 0x2000 */
#define FILE_SIZE  0x4000
#define QCS_SIZE   440

static char core_path[64];
static uint8_t core_file[FILE_SIZE];

/* Append one note (name, type, desc) at *off. */
static void put_note(size_t *off, const char *name, uint32_t type, const void *desc, size_t dsz)
{
	Elf64_Nhdr nh = { .n_namesz = (uint32_t)strlen(name) + 1, .n_descsz = (uint32_t)dsz, .n_type = type };

	memcpy(core_file + *off, &nh, sizeof(nh));
	*off += sizeof(nh);
	memcpy(core_file + *off, name, nh.n_namesz);
	*off += (nh.n_namesz + 3) & ~3u;
	memcpy(core_file + *off, desc, dsz);
	*off += (dsz + 3) & ~3u;
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* Build the core image in core_file; returns its note size. */
static size_t build_core(void)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)core_file;
	Elf64_Phdr *ph = (Elf64_Phdr *)(core_file + sizeof(*eh));
	uint8_t prs[336] = { 0 }, qcs[QCS_SIZE] = { 0 };
	size_t off = NOTE_OFF;
	uint32_t v = 1, sz = QCS_SIZE;

	memset(core_file, 0, sizeof(core_file));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_CORE;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 3;

	put64(prs + 112 + 16 * 8, 0x1111); /* rip: overridden by the QEMU note */
	put_note(&off, "CORE", NT_PRSTATUS, prs, sizeof(prs));
	memcpy(qcs, &v, 4);
	memcpy(qcs + 4, &sz, 4);
	put64(qcs + 8 + 16 * 8, 0xffffffff81000123ull);   /* rip */
	put64(qcs + 8 + 6 * 8, 0xffffffff81ff0000ull);    /* rsp */
	put64(qcs + 152, 0x10);                            /* cs.selector */
	put64(qcs + 152 + 4 * 24 + 16, 0xffff888000001000ull); /* gs.base */
	put64(qcs + 392, 0x80050033);                      /* cr0 */
	put64(qcs + 392 + 2 * 8, 0xdead000);               /* cr2 */
	put64(qcs + 392 + 3 * 8, 0x1000);                  /* cr3 */
	put64(qcs + 392 + 4 * 8, 0x6a0);                   /* cr4 */
	put64(qcs + 432, 0x7777);                          /* kernel_gs_base */
	put_note(&off, "QEMU", 0, qcs, sizeof(qcs));

	ph[0] = (Elf64_Phdr){ .p_type = PT_NOTE, .p_offset = NOTE_OFF, .p_filesz = off - NOTE_OFF };
	ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_offset = SEG0_OFF, .p_paddr = 0,
			      .p_filesz = 0x2000, .p_memsz = 0x2000 };
	ph[2] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_offset = SEG1_OFF, .p_paddr = 0x100000,
			      .p_filesz = 0x1000, .p_memsz = 0x2000 };
	for (size_t i = 0; i < 0x2000; i++)
		core_file[SEG0_OFF + i] = (uint8_t)(i * 7);
	for (size_t i = 0; i < 0x1000; i++)
		core_file[SEG1_OFF + i] = (uint8_t)(0xa0 + (i & 15));
	return off - NOTE_OFF;
}

/* Write the first len bytes of core_file to core_path. */
static void write_core(size_t len)
{
	FILE *f = fopen(core_path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(core_file, 1, len, f), len);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	snprintf(core_path, sizeof(core_path), "/tmp/test_core.%d", (int)getpid());
	build_core();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(core_path);
	return 0;
}

static void test_core_registers(void **state)
{
	char err[256];
	struct ptdbg_target *t;
	struct ptdbg_regs r;

	(void)state;
	write_core(FILE_SIZE);
	t = ptdbg_core_open(core_path, err, sizeof(err));
	assert_non_null(t);
	assert_string_equal(ptdbg_target_backend(t), "core");
	assert_int_equal(ptdbg_read_regs(t, &r), 0);
	assert_true(r.valid & PTDBG_REG_CR3);
	assert_int_equal(r.cr3, 0x1000);
	assert_int_equal(r.cr0, 0x80050033);
	assert_int_equal(r.cr2, 0xdead000);
	assert_int_equal(r.cr4, 0x6a0);
	assert_int_equal(r.rip, 0xffffffff81000123ull);
	assert_int_equal(r.rsp, 0xffffffff81ff0000ull);
	assert_int_equal(r.cs, 0x10);
	assert_int_equal(r.gs_base, 0xffff888000001000ull);
	assert_int_equal(r.kernel_gs_base, 0x7777);
	/* no EFER in QEMU's notes: assumed, and said so */
	assert_false(r.valid & PTDBG_REG_EFER);
	assert_true(r.valid & PTDBG_REG_EFER_ASSUMED);
	assert_int_equal(r.efer, 0xd00);
	assert_int_equal(ptdbg_monitor(t, "info mem", &(char *){ NULL }), PTDBG_ENOTSUP);
	ptdbg_target_close(t);
}

static void test_core_reads(void **state)
{
	char err[256];
	struct ptdbg_target *t;
	uint8_t buf[0x3000];
	struct ptdbg_io ios[3];

	(void)state;
	write_core(FILE_SIZE);
	t = ptdbg_core_open(core_path, err, sizeof(err));
	assert_non_null(t);
	assert_int_equal(ptdbg_read_phys(t, 0x10, buf, 4), 0);
	assert_int_equal(buf[0], (uint8_t)(0x10 * 7));
	assert_int_equal(buf[3], (uint8_t)(0x13 * 7));
	/* past the file part of a segment reads zeros (memsz > filesz) */
	assert_int_equal(ptdbg_read_phys(t, 0x100ff0, buf, 0x20), 0);
	assert_int_equal(buf[0], 0xa0);
	assert_int_equal(buf[0x1f], 0);
	/* the hole between segments and beyond RAM: PTDBG_EIO with a message */
	assert_int_equal(ptdbg_read_phys(t, 0x1ff0, buf, 0x20), PTDBG_EIO);
	assert_non_null(strstr(ptdbg_target_error(t), "0x2000"));
	assert_int_equal(ptdbg_read_phys(t, 0x200000, buf, 1), PTDBG_EIO);
	/* batches report per read */
	ios[0] = (struct ptdbg_io){ .pa = 0, .len = 0x2000, .buf = buf };
	ios[1] = (struct ptdbg_io){ .pa = 0x50000, .len = 8, .buf = buf + 0x2000 };
	ios[2] = (struct ptdbg_io){ .pa = 0x100000, .len = 0x100, .buf = buf + 0x2100 };
	assert_int_equal(ptdbg_read_phys_batch(t, ios, 3), 0);
	assert_int_equal(ios[0].err, 0);
	assert_int_equal(ios[1].err, PTDBG_EIO);
	assert_int_equal(ios[2].err, 0);
	assert_int_equal(buf[0x2100], 0xa0);
	ptdbg_target_close(t);
}

static void test_core_malformed(void **state)
{
	char err[256];

	(void)state;
	/* truncated: the last segment's bytes are missing */
	write_core(SEG1_OFF + 0x10);
	assert_null(ptdbg_core_open(core_path, err, sizeof(err)));
	assert_non_null(strstr(err, "truncated"));
	/* truncated inside the ELF header */
	write_core(20);
	assert_null(ptdbg_core_open(core_path, err, sizeof(err)));
	assert_non_null(strstr(err, "not an ELF"));
	/* not an ELF at all */
	memcpy(core_file, "hello, world", 12);
	write_core(FILE_SIZE);
	assert_null(ptdbg_core_open(core_path, err, sizeof(err)));
	assert_non_null(strstr(err, "not an ELF"));
	build_core();
	/* missing file */
	assert_null(ptdbg_core_open("/nonexistent/core", err, sizeof(err)));
	assert_non_null(strstr(err, "No such file"));
}

static void test_image(void **state)
{
	uint8_t mem[64], out[8];
	struct ptdbg_regs r = { .cr3 = 0x2000, .valid = PTDBG_REG_CR3 }, got;
	struct ptdbg_target *t;

	(void)state;
	for (size_t i = 0; i < sizeof(mem); i++)
		mem[i] = (uint8_t)i;
	t = ptdbg_image_open(mem, 0x1000, sizeof(mem), &r);
	assert_non_null(t);
	assert_int_equal(ptdbg_read_phys(t, 0x1008, out, 8), 0);
	assert_int_equal(out[0], 8);
	assert_int_equal(ptdbg_read_phys(t, 0x1039, out, 8), PTDBG_EIO);
	assert_int_equal(ptdbg_read_phys(t, 0xff8, out, 8), PTDBG_EIO);
	assert_int_equal(ptdbg_read_phys(t, UINT64_MAX - 2, out, 8), PTDBG_EINVAL);
	assert_int_equal(ptdbg_read_regs(t, &got), 0);
	assert_int_equal(got.cr3, 0x2000);
	assert_int_equal(t->stats.bytes_read, 8);
	ptdbg_target_close(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_core_registers),
		cmocka_unit_test(test_core_reads),
		cmocka_unit_test(test_core_malformed),
		cmocka_unit_test(test_image),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
