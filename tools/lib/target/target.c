/* SPDX-License-Identifier: MIT */
/* Targets: dispatch, errors, and choosing a backend from the options. */
#include "target/target.h"

#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

const struct ptdbg_reg_desc ptdbg_reg_table[PTDBG_NREGS] = {
	{ "rip",       PTDBG_REG_RIP,     offsetof(struct ptdbg_regs, rip),            false },
	{ "rsp",       PTDBG_REG_RSP,     offsetof(struct ptdbg_regs, rsp),            false },
	{ "cr0",       PTDBG_REG_CR0,     offsetof(struct ptdbg_regs, cr0),            false },
	{ "cr2",       PTDBG_REG_CR2,     offsetof(struct ptdbg_regs, cr2),            false },
	{ "cr3",       PTDBG_REG_CR3,     offsetof(struct ptdbg_regs, cr3),            false },
	{ "cr4",       PTDBG_REG_CR4,     offsetof(struct ptdbg_regs, cr4),            false },
	{ "efer",      PTDBG_REG_EFER,    offsetof(struct ptdbg_regs, efer),           false },
	{ "fs_base",   PTDBG_REG_FSBASE,  offsetof(struct ptdbg_regs, fs_base),        false },
	{ "gs_base",   PTDBG_REG_GSBASE,  offsetof(struct ptdbg_regs, gs_base),        false },
	{ "k_gs_base", PTDBG_REG_KGSBASE, offsetof(struct ptdbg_regs, kernel_gs_base), false },
	{ "cs",        PTDBG_REG_CS,      offsetof(struct ptdbg_regs, cs),             true  },
	/* AArch64: org.gnu.gdb.aarch64.core and QEMU's org.qemu.gdb.arm.sys.regs */
	{ "pc",        PTDBG_REG_PC,      offsetof(struct ptdbg_regs, pc),             false },
	{ "cpsr",      PTDBG_REG_CPSR,    offsetof(struct ptdbg_regs, cpsr),           false },
	{ "TTBR0_EL1", PTDBG_REG_TTBR0,   offsetof(struct ptdbg_regs, ttbr0_el1),      false },
	{ "TTBR1_EL1", PTDBG_REG_TTBR1,   offsetof(struct ptdbg_regs, ttbr1_el1),      false },
	{ "TCR_EL1",   PTDBG_REG_TCR,     offsetof(struct ptdbg_regs, tcr_el1),        false },
	{ "MAIR_EL1",  PTDBG_REG_MAIR,    offsetof(struct ptdbg_regs, mair_el1),       false },
	{ "SCTLR_EL1", PTDBG_REG_SCTLR,   offsetof(struct ptdbg_regs, sctlr_el1),      false },
	{ "SCTLR",     PTDBG_REG_SCTLR,   offsetof(struct ptdbg_regs, sctlr_el1),      false },
	{ "ESR_EL1",   PTDBG_REG_ESR,     offsetof(struct ptdbg_regs, esr_el1),        false },
	{ "FAR_EL1",   PTDBG_REG_FAR,     offsetof(struct ptdbg_regs, far_el1),        false },
	{ "ELR_EL1",   PTDBG_REG_ELR,     offsetof(struct ptdbg_regs, elr_el1),        false },
	{ "VBAR_EL1",  PTDBG_REG_VBAR,    offsetof(struct ptdbg_regs, vbar_el1),       false },
	{ "VBAR",      PTDBG_REG_VBAR,    offsetof(struct ptdbg_regs, vbar_el1),       false },
	{ "ID_AA64MMFR0_EL1", PTDBG_REG_MMFR0, offsetof(struct ptdbg_regs, id_aa64mmfr0_el1), false },
	{ "SPSR_EL1",  PTDBG_REG_SPSR,    offsetof(struct ptdbg_regs, spsr_el1),       false },
};

enum ptdbg_arch ptdbg_regs_arch(const struct ptdbg_regs *regs)
{
	if (regs->arch)
		return (enum ptdbg_arch)regs->arch;
	if (regs->valid & (PTDBG_REG_CR3 | PTDBG_REG_RIP))
		return PTDBG_ARCH_X86_64;
	if (regs->valid & (PTDBG_REG_PC | PTDBG_REG_CPSR | PTDBG_REG_TTBR0 | PTDBG_REG_TTBR1))
		return PTDBG_ARCH_AARCH64;
	return PTDBG_ARCH_UNSPECIFIED;
}

const char *ptdbg_arch_name(enum ptdbg_arch a)
{
	switch (a) {
	case PTDBG_ARCH_X86_64:  return "x86-64";
	case PTDBG_ARCH_AARCH64: return "aarch64";
	default:                 return "unknown";
	}
}

enum ptdbg_arch ptdbg_arch_from_name(const char *name)
{
	if (!strcmp(name, "x86-64") || !strcmp(name, "x86_64") || !strcmp(name, "amd64"))
		return PTDBG_ARCH_X86_64;
	if (!strcmp(name, "aarch64") || !strcmp(name, "arm64"))
		return PTDBG_ARCH_AARCH64;
	return PTDBG_ARCH_UNSPECIFIED;
}

int ptdbg_target_fail(struct ptdbg_target *t, int code, const char *fmt, ...)
{
	va_list ap;

	if (!t)
		return code;
	va_start(ap, fmt);
	vsnprintf(t->errbuf, sizeof(t->errbuf), fmt, ap);
	va_end(ap);
	return code;
}

const char *ptdbg_target_error(const struct ptdbg_target *t)
{
	return t && t->errbuf[0] ? t->errbuf : "no error";
}

const char *ptdbg_target_backend(const struct ptdbg_target *t)
{
	return t && t->ops && t->ops->name ? t->ops->name : "none";
}

int ptdbg_read_phys(struct ptdbg_target *t, uint64_t pa, void *buf, size_t len)
{
	if (!t || !t->ops || !t->ops->read_phys)
		return ptdbg_target_fail(t, PTDBG_ENOTSUP, "target cannot read memory");
	if (len && pa + len - 1 < pa)
		return ptdbg_target_fail(t, PTDBG_EINVAL, "read wraps around: 0x%llx+0x%zx",
					 (unsigned long long)pa, len);
	return t->ops->read_phys(t, pa, buf, len);
}

int ptdbg_read_reg(struct ptdbg_target *t, uint64_t pa, unsigned size, uint64_t *val)
{
	struct ptdbg_reg_io r = { pa, size, 0, 0 };
	int rc = ptdbg_read_reg_batch(t, &r, 1);
	*val = r.val;
	return r.err ? r.err : rc;
}

int ptdbg_read_reg_batch(struct ptdbg_target *t, struct ptdbg_reg_io *regs, size_t n)
{
	return ptdbg_read_reg_batch_also(t, regs, n, NULL, 0);
}

int ptdbg_read_reg_batch_also(struct ptdbg_target *t, struct ptdbg_reg_io *regs, size_t n,
			      struct ptdbg_io *also, size_t nalso)
{
	enum { CHUNK = 64 };
	struct ptdbg_io ios[CHUNK + PTDBG_ALSO_MAX];
	uint8_t bufs[CHUNK][8];
	int link = 0;

	if (n == 0) {
		int rc = ptdbg_read_phys_batch_also(t, ios, 0, also, nalso);
		return rc && ptdbg_link_error(rc) ? rc : 0;
	}
	for (size_t i = 0; i < n; i++)
		regs[i].val = 0, regs[i].err = 0;
	for (size_t at = 0; at < n; at += CHUNK) {
		size_t k = n - at < CHUNK ? n - at : CHUNK, m = 0;
		size_t idx[CHUNK];
		for (size_t i = 0; i < k; i++) {
			struct ptdbg_reg_io *r = &regs[at + i];
			if (link) {
				r->err = link; /* not read: the link failed first */
				continue;
			}
			if (r->size != 4 && r->size != 8) {
				r->err = ptdbg_target_fail(t, PTDBG_EINVAL, "register size %u (4 or 8)",
							   r->size);
				continue;
			}
			memset(bufs[m], 0, sizeof(bufs[m]));
			ios[m] = (struct ptdbg_io){ r->pa, r->size, bufs[m], 0 };
			idx[m++] = at + i;
		}
		/* the memory reads go with the first batch */
		int rc = ptdbg_read_phys_batch_also(t, ios, m, at == 0 ? also : NULL, at == 0 ? nalso : 0);
		if (rc && ptdbg_link_error(rc))
			link = rc;
		for (size_t j = 0; j < m; j++) {
			struct ptdbg_reg_io *r = &regs[idx[j]];
			r->err = ios[j].err ? ios[j].err : link;
			if (!r->err)
				for (unsigned b = 0; b < r->size; b++)
					r->val |= (uint64_t)bufs[j][b] << (8 * b);
		}
	}
	return link;
}

int ptdbg_read_dev_regs(struct ptdbg_target *t, uint64_t base, const struct ptdbg_dev_reg *map, size_t n,
			bool (*want)(unsigned off), uint64_t *val, int *err)
{
	return ptdbg_read_dev_regs_also(t, base, map, n, want, val, err, NULL, 0);
}

int ptdbg_read_dev_regs_also(struct ptdbg_target *t, uint64_t base, const struct ptdbg_dev_reg *map,
			     size_t n, bool (*want)(unsigned off), uint64_t *val, int *err,
			     struct ptdbg_io *also, size_t nalso)
{
	enum { CHUNK = 64 }; /* ptdbg_read_reg_batch's batch */
	struct ptdbg_reg_io ios[CHUNK];
	size_t at[CHUNK];
	int rc = 0;
	bool first = true;

	if (n == 0)
		return ptdbg_read_reg_batch_also(t, ios, 0, also, nalso);
	for (size_t i = 0; i < n; first = false) {
		size_t m = 0;
		for (; i < n && m < CHUNK; i++) {
			val[i] = 0;
			err[i] = PTDBG_ENOTSUP; /* not asked for */
			if (!want || want(map[i].off)) {
				at[m] = i;
				ios[m++] = (struct ptdbg_reg_io){ base + map[i].off, map[i].size, 0, 0 };
			}
		}
		int brc = ptdbg_read_reg_batch_also(t, ios, m, first ? also : NULL, first ? nalso : 0);
		for (size_t k = 0; k < m; k++) {
			val[at[k]] = ios[k].val;
			err[at[k]] = ios[k].err;
		}
		if (brc && !rc)
			rc = brc;
	}
	return rc;
}

/* Default batch: one read_phys per range. A link-level error ends the batch. */
static int batch_loop(struct ptdbg_target *t, struct ptdbg_io *ios, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int rc = ptdbg_read_phys(t, ios[i].pa, ios[i].buf, ios[i].len);

		ios[i].err = rc;
		if (rc && rc != PTDBG_EIO)
			return rc;
	}
	return 0;
}

int ptdbg_read_phys_batch_also(struct ptdbg_target *t, struct ptdbg_io *ios, size_t n, struct ptdbg_io *also,
			       size_t nalso)
{
	for (size_t i = 0; i < nalso; i++)
		also[i].err = PTDBG_ENOTSUP;
	if (nalso > PTDBG_ALSO_MAX)
		nalso = 0;
	for (size_t i = 0; i < nalso; i++) {
		ios[n + i] = also[i];
		ios[n + i].err = 0;
	}
	int rc = n + nalso ? ptdbg_read_phys_batch(t, ios, n + nalso) : 0;
	for (size_t i = 0; i < nalso; i++) {
		also[i] = ios[n + i];
		if (rc && !also[i].err)
			also[i].err = rc;
	}
	return rc;
}

int ptdbg_read_phys_batch(struct ptdbg_target *t, struct ptdbg_io *ios, size_t n)
{
	if (!t || !t->ops)
		return ptdbg_target_fail(t, PTDBG_ENOTSUP, "no target");
	if (t->ops->read_phys_batch)
		return t->ops->read_phys_batch(t, ios, n);
	return batch_loop(t, ios, n);
}

const void *ptdbg_map_phys(struct ptdbg_target *t, uint64_t pa, size_t len)
{
	if (!t || !t->ops || !t->ops->map_phys)
		return NULL;
	return t->ops->map_phys(t, pa, len);
}

int ptdbg_read_stream_begin(struct ptdbg_target *t, struct ptdbg_io *ios, size_t n)
{
	if (t && t->ops && t->ops->stream_begin)
		return t->ops->stream_begin(t, ios, n);
	return ptdbg_read_phys_batch(t, ios, n);
}

int ptdbg_read_stream_wait(struct ptdbg_target *t, size_t k, size_t *complete)
{
	if (t && t->ops && t->ops->stream_begin)
		return t->ops->stream_wait(t, k, complete);
	*complete = SIZE_MAX; /* read whole in begin */
	return 0;
}

int ptdbg_read_stream_end(struct ptdbg_target *t)
{
	if (t && t->ops && t->ops->stream_begin)
		return t->ops->stream_end(t);
	return 0;
}

int ptdbg_read_regs(struct ptdbg_target *t, struct ptdbg_regs *regs)
{
	if (!t || !t->ops || !t->ops->read_regs) {
		memset(regs, 0, sizeof(*regs));
		return ptdbg_target_fail(t, PTDBG_ENOTSUP, "target has no registers");
	}
	return t->ops->read_regs(t, regs);
}

int ptdbg_target_arch(struct ptdbg_target *t, enum ptdbg_arch *arch)
{
	struct ptdbg_regs regs;
	int rc;

	*arch = PTDBG_ARCH_UNSPECIFIED;
	if (t && t->ops && t->ops->arch)
		return t->ops->arch(t, arch);
	rc = ptdbg_read_regs(t, &regs);
	if (rc == 0)
		*arch = ptdbg_regs_arch(&regs);
	return rc == PTDBG_ENOTSUP ? 0 : rc;
}

int ptdbg_monitor(struct ptdbg_target *t, const char *cmd, char **out)
{
	*out = NULL;
	if (!t || !t->ops || !t->ops->monitor)
		return ptdbg_target_fail(t, PTDBG_ENOTSUP, "%s target has no monitor",
					 ptdbg_target_backend(t));
	return t->ops->monitor(t, cmd, out);
}

int ptdbg_target_resume(struct ptdbg_target *t)
{
	return t && t->ops && t->ops->resume ? t->ops->resume(t) : 0;
}

int ptdbg_target_stop(struct ptdbg_target *t)
{
	return t && t->ops && t->ops->stop ? t->ops->stop(t) : 0;
}

void ptdbg_target_detach(struct ptdbg_target *t)
{
	if (t && t->ops && t->ops->detach)
		t->ops->detach(t);
}

void ptdbg_target_close(struct ptdbg_target *t)
{
	if (t && t->ops && t->ops->close)
		t->ops->close(t);
}

struct ptdbg_target *ptdbg_target_open(const struct ptdbg_target_opts *o, char *err, size_t errlen)
{
	struct ptdbg_target *t, *fast;

	if (o->core_file)
		return ptdbg_core_open(o->core_file, err, errlen);
	t = ptdbg_gdbstub_open(o, err, errlen);
	if (!t || o->no_fast_path)
		return t;
	fast = ptdbg_fastpath_open(t, o->verbose ? (o->log ? o->log : stderr) : NULL);
	return fast ? fast : t;
}

/* Restore every open target, then die of the signal as if not handled. */
static void restore_and_die(int sig)
{
	ptdbg_target_emergency_close();
	signal(sig, SIG_DFL);
	raise(sig);
}

int ptdbg_target_install_signal_restore(void)
{
	/* SIGPIPE too: `ptdump | head` must not leave QEMU in physical-memory mode. */
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = restore_and_die;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL) < 0)
			return PTDBG_EINVAL;
	return 0;
}
