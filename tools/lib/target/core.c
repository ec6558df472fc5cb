/* SPDX-License-Identifier: MIT */
/*
 * The core backend: an ELF core file written by QEMU's `dump-guest-memory FILE`
 * (the plain ELF form, without -z/-l/-s compression and without -p paging;
 * EM_X86_64, or EM_386 when the guest was not in long mode).
 *
 * Guest physical memory is the PT_LOAD segments: p_paddr is the guest physical
 * address, p_offset/p_filesz the bytes in the file. Registers come from the notes of
 * the first CPU: NT_PRSTATUS ("CORE") for the general registers and QEMU's own note
 * ("QEMU", type 0, struct QEMUCPUState of target/i386/arch_dump.c) for the control
 * registers. EFER is in neither (see PTDBG_REG_EFER_ASSUMED).
 *
 * EM_AARCH64 (target/arm/arch_dump.c): NT_PRSTATUS holds x0..x30, sp, pc and pstate;
 * QEMU writes no note with the system registers, so TTBRn/TCR/MAIR/SCTLR must come
 * from elsewhere (the debug region, or the command line).
 */
#include "target/target.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* x86-64 struct elf_prstatus: pr_reg starts at 112, user_regs_struct order. */
#define PRSTATUS_REGS     112
#define PRSTATUS_SIZE     336
enum { UR_RSP = 19, UR_RIP = 16, UR_CS = 17, UR_FS_BASE = 21, UR_GS_BASE = 22 };

/* AArch64 struct elf_prstatus: pr_reg (x0..x30, sp, pc, pstate) at 112. */
#define A64_PRSTATUS_SIZE 392
#define A64_UR_PC         (112 + 32 * 8)
#define A64_UR_PSTATE     (112 + 33 * 8)

/* QEMUCPUState (version 1): offsets of the fields used here. */
#define QCS_RSP           (8 + 6 * 8)
#define QCS_RIP           (8 + 16 * 8)
#define QCS_SEG(i)        (152 + (i) * 24)   /* cs ds es fs gs ss ldt tr gdt idt */
#define QCS_SEG_BASE      16
#define QCS_CR(i)         (392 + (i) * 8)
#define QCS_KGS_BASE      432
#define QCS_MIN_SIZE      432

struct core_seg {
	uint64_t pa, filesz, memsz, off;
};

struct core {
	uint8_t *map;
	size_t size;
	struct core_seg *segs;
	size_t nsegs;
	struct ptdbg_regs regs;
};

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/* Copy guest physical [pa, pa+len); bytes past a segment's file size read as zero,
 * bytes in no segment fail with PTDBG_EIO. */
static int core_read(struct ptdbg_target *t, uint64_t pa, void *buf, size_t len)
{
	struct core *c = t->priv;
	uint8_t *out = buf;

	while (len) {
		const struct core_seg *s = NULL;
		size_t n;

		for (size_t i = 0; i < c->nsegs; i++) {
			if (pa >= c->segs[i].pa && pa - c->segs[i].pa < c->segs[i].memsz) {
				s = &c->segs[i];
				break;
			}
		}
		if (!s)
			return ptdbg_target_fail(t, PTDBG_EIO,
				"core: physical address 0x%" PRIx64 " is not in the dump", pa);
		n = s->memsz - (pa - s->pa) < len ? (size_t)(s->memsz - (pa - s->pa)) : len;
		{
			uint64_t o = pa - s->pa;
			size_t in_file = o < s->filesz ? (size_t)(s->filesz - o < n ? s->filesz - o : n) : 0;

			memcpy(out, c->map + s->off + o, in_file);
			memset(out + in_file, 0, n - in_file);
		}
		t->stats.bytes_read += n;
		pa += n;
		out += n;
		len -= n;
	}
	t->stats.reads++;
	return 0;
}

/* The mapping's bytes of [pa, pa+len) when they lie wholly in one segment's file
 * bytes (the rest, zeros past a segment's file size included, goes to core_read). */
static const void *core_map(struct ptdbg_target *t, uint64_t pa, size_t len)
{
	struct core *c = t->priv;

	for (size_t i = 0; i < c->nsegs; i++) {
		const struct core_seg *s = &c->segs[i];
		if (pa >= s->pa && pa - s->pa < s->filesz && len <= s->filesz - (pa - s->pa)) {
			t->stats.bytes_read += len;
			t->stats.reads++;
			return c->map + s->off + (pa - s->pa);
		}
	}
	return NULL;
}

static int core_regs(struct ptdbg_target *t, struct ptdbg_regs *regs)
{
	*regs = ((struct core *)t->priv)->regs;
	return 0;
}

static void core_close(struct ptdbg_target *t)
{
	struct core *c = t->priv;

	if (c) {
		if (c->map)
			munmap(c->map, c->size);
		free(c->segs);
		free(c);
	}
	free(t);
}

static const struct ptdbg_target_ops core_ops = {
	.name = "core",
	.local = true,
	.read_phys = core_read,
	.map_phys = core_map,
	.read_regs = core_regs,
	.close = core_close,
};

/* Take registers from one note (the first CPU's notes win). */
static void core_note(struct core *c, const char *name, uint32_t type, const uint8_t *desc,
		      size_t sz, bool *have_prs, bool *have_qemu)
{
	struct ptdbg_regs *r = &c->regs;

	if (r->arch == PTDBG_ARCH_AARCH64) {
		if (strcmp(name, "CORE") == 0 && type == NT_PRSTATUS && sz >= A64_PRSTATUS_SIZE &&
		    !*have_prs) {
			*have_prs = true;
			r->pc = get64(desc + A64_UR_PC);
			r->cpsr = get64(desc + A64_UR_PSTATE);
			r->valid |= PTDBG_REG_PC | PTDBG_REG_CPSR;
		}
		return;
	}
	if (strcmp(name, "CORE") == 0 && type == NT_PRSTATUS && sz >= PRSTATUS_SIZE && !*have_prs) {
		const uint8_t *ur = desc + PRSTATUS_REGS;

		*have_prs = true;
		r->rip = get64(ur + 8 * UR_RIP);
		r->rsp = get64(ur + 8 * UR_RSP);
		r->cs = (uint32_t)get64(ur + 8 * UR_CS);
		r->fs_base = get64(ur + 8 * UR_FS_BASE);
		r->gs_base = get64(ur + 8 * UR_GS_BASE);
		r->valid |= PTDBG_REG_RIP | PTDBG_REG_RSP | PTDBG_REG_CS | PTDBG_REG_FSBASE |
			    PTDBG_REG_GSBASE;
	} else if (strcmp(name, "QEMU") == 0 && sz >= QCS_MIN_SIZE && !*have_qemu) {
		uint32_t size;

		memcpy(&size, desc + 4, 4);
		*have_qemu = true;
		r->rip = get64(desc + QCS_RIP);
		r->rsp = get64(desc + QCS_RSP);
		memcpy(&r->cs, desc + QCS_SEG(0), 4);
		r->fs_base = get64(desc + QCS_SEG(3) + QCS_SEG_BASE);
		r->gs_base = get64(desc + QCS_SEG(4) + QCS_SEG_BASE);
		r->cr0 = get64(desc + QCS_CR(0));
		r->cr2 = get64(desc + QCS_CR(2));
		r->cr3 = get64(desc + QCS_CR(3));
		r->cr4 = get64(desc + QCS_CR(4));
		r->valid |= PTDBG_REG_RIP | PTDBG_REG_RSP | PTDBG_REG_CS | PTDBG_REG_FSBASE |
			    PTDBG_REG_GSBASE | PTDBG_REG_CR0 | PTDBG_REG_CR2 | PTDBG_REG_CR3 |
			    PTDBG_REG_CR4;
		if (size >= QCS_KGS_BASE + 8 && sz >= QCS_KGS_BASE + 8) {
			r->kernel_gs_base = get64(desc + QCS_KGS_BASE);
			r->valid |= PTDBG_REG_KGSBASE;
		}
	}
}

/* Parse the ELF headers of the mapped file into c. Returns 0 or a PTDBG_E* code
 * with the message in err. */
static int core_parse(struct core *c, const char *path, char *err, size_t errlen)
{
	Elf *e;
	GElf_Ehdr eh;
	size_t nph;
	bool have_prs = false, have_qemu = false;
	int rc = PTDBG_EFORMAT;

	elf_version(EV_CURRENT);
	e = elf_memory((char *)c->map, c->size);
	if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
		snprintf(err, errlen, "%s: not an ELF file", path);
		goto out;
	}
	/* QEMU writes EM_386 (in ELFCLASS32 or 64) when the CPU is not in long mode;
	 * the QEMU note holds the same QEMUCPUState then, NT_PRSTATUS the i386 layout. */
	if (eh.e_type != ET_CORE ||
	    (eh.e_machine != EM_X86_64 && eh.e_machine != EM_386 && eh.e_machine != EM_AARCH64)) {
		snprintf(err, errlen, "%s: not an x86 or AArch64 ELF core file", path);
		goto out;
	}
	c->regs.arch = eh.e_machine == EM_AARCH64 ? PTDBG_ARCH_AARCH64 : PTDBG_ARCH_X86_64;
	if (elf_getphdrnum(e, &nph) < 0 || nph == 0) {
		snprintf(err, errlen, "%s: no program headers (truncated?)", path);
		goto out;
	}
	/* the count is the file's word: it cannot exceed what the file can hold */
	if (nph > c->size / sizeof(Elf32_Phdr)) {
		snprintf(err, errlen, "%s: %zu program headers do not fit in %zu bytes (truncated?)",
			 path, nph, c->size);
		goto out;
	}
	c->segs = calloc(nph, sizeof(*c->segs));
	if (!c->segs) {
		snprintf(err, errlen, "out of memory");
		rc = PTDBG_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e, (int)i, &ph)) {
			snprintf(err, errlen, "%s: bad program header %zu (truncated?)", path, i);
			goto out;
		}
		if ((ph.p_type == PT_LOAD || ph.p_type == PT_NOTE) &&
		    (ph.p_offset > c->size || ph.p_filesz > c->size - ph.p_offset)) {
			snprintf(err, errlen, "%s: truncated: segment %zu needs bytes up to 0x%" PRIx64
				 ", the file has 0x%zx", path, i, ph.p_offset + ph.p_filesz, c->size);
			goto out;
		}
		if (ph.p_type == PT_LOAD && ph.p_memsz) {
			c->segs[c->nsegs++] = (struct core_seg){ .pa = ph.p_paddr, .filesz = ph.p_filesz,
				.memsz = ph.p_memsz, .off = ph.p_offset };
		} else if (ph.p_type == PT_NOTE) {
			Elf_Data *d = elf_getdata_rawchunk(e, (int64_t)ph.p_offset, ph.p_filesz, ELF_T_NHDR);
			size_t off = 0, noff, doff;
			GElf_Nhdr nh;

			while (d && (off = gelf_getnote(d, off, &nh, &noff, &doff)) > 0) {
				const char *name = (const char *)d->d_buf + noff;

				if (nh.n_namesz == 0 || name[nh.n_namesz - 1] != '\0')
					continue;
				if (eh.e_machine == EM_386 && nh.n_type == NT_PRSTATUS)
					continue; /* i386 layout: the QEMU note has it all */
				core_note(c, name, nh.n_type, (const uint8_t *)d->d_buf + doff,
					  nh.n_descsz, &have_prs, &have_qemu);
			}
		}
	}
	if (c->nsegs == 0) {
		snprintf(err, errlen, "%s: no memory in the core file (no PT_LOAD)", path);
		goto out;
	}
	if ((c->regs.valid & PTDBG_REG_CR0) && (c->regs.cr0 & (1u << 31)) &&
	    (c->regs.cr4 & (1u << 5))) {
		c->regs.efer = 0xd00; /* LME | LMA | NXE: assumed, not read */
		c->regs.valid |= PTDBG_REG_EFER_ASSUMED;
	}
	rc = 0;
out:
	if (e)
		elf_end(e);
	return rc;
}

struct ptdbg_target *ptdbg_core_open(const char *path, char *err, size_t errlen)
{
	struct ptdbg_target *t = calloc(1, sizeof(*t));
	struct core *c = calloc(1, sizeof(*c));
	struct stat sb;
	int fd = -1;

	if (!t || !c) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	t->ops = &core_ops;
	t->priv = c;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (sb.st_size < (off_t)sizeof(Elf64_Ehdr)) {
		snprintf(err, errlen, "%s: not an ELF file (%lld bytes)", path, (long long)sb.st_size);
		goto fail;
	}
	c->size = (size_t)sb.st_size;
	c->map = mmap(NULL, c->size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (c->map == MAP_FAILED) {
		c->map = NULL;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	close(fd);
	fd = -1;
	if (core_parse(c, path, err, errlen))
		goto fail;
	return t;
fail:
	if (fd >= 0)
		close(fd);
	if (t)
		core_close(t);
	else
		free(c);
	return NULL;
}
