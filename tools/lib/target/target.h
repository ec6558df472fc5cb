/* SPDX-License-Identifier: MIT */
/*
 * Targets: where guest physical memory and CPU registers come from.
 *
 * Every backend (gdbstub over TCP or a unix socket, an ELF core file written by
 * QEMU's dump-guest-memory, a local process_vm_readv fast path, a flat memory image
 * used by the unit tests) implements struct ptdbg_target_ops. Consumers never know
 * which backend serves them.
 *
 * Errors: functions return 0 on success and a negative PTDBG_E* code on failure;
 * ptdbg_target_error() then holds one human-readable line describing the failure.
 */
#ifndef PTDBG_TARGET_H
#define PTDBG_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ptdbg/abi.h"

/* Error codes shared by the library. */
enum {
	PTDBG_OK       = 0,
	PTDBG_EIO      = -1, /* the memory could not be read (hole, MMIO, beyond RAM) */
	PTDBG_ELINK    = -2, /* the link to the target failed (dead, silent, protocol) */
	PTDBG_ENOTSUP  = -3, /* the backend cannot do this (monitor on a core file) */
	PTDBG_EINVAL   = -4, /* bad argument or malformed input */
	PTDBG_ENOMEM   = -5,
	PTDBG_ETIMEOUT = -6, /* no answer within the timeout */
	PTDBG_EFORMAT  = -7, /* a file or reply is not of the expected format */
};

/* The link-error rule: whether rc is an error of the link to the target (or of
 * memory on this side) that ends the whole command, as opposed to one unreadable
 * table, page or register, which is reported and walked around. */
static inline bool ptdbg_link_error(int rc)
{
	return rc == PTDBG_ELINK || rc == PTDBG_ETIMEOUT || rc == PTDBG_ENOMEM;
}

/* The architectures a target can be (its target description or ELF machine says):
 * enum ptdbg_arch of the debug-region ABI, PTDBG_ARCH_UNSPECIFIED meaning not known. */

/* CPU registers the tools need. A field is meaningful only if its bit is in valid. */
struct ptdbg_regs {
	uint64_t rip, rsp;
	uint64_t cr0, cr2, cr3, cr4, efer;
	uint64_t fs_base, gs_base, kernel_gs_base;
	uint32_t cs;
	uint32_t valid; /* PTDBG_REG_* */
	/* AArch64: the EL1&0 translation regime and the last exception taken to EL1 */
	uint64_t pc, cpsr;
	uint64_t ttbr0_el1, ttbr1_el1, tcr_el1, mair_el1, sctlr_el1;
	uint64_t esr_el1, far_el1, elr_el1, vbar_el1, id_aa64mmfr0_el1;
	uint64_t spsr_el1;  /* PSTATE when the last exception was taken */
	uint32_t arch;  /* enum ptdbg_arch, as the target says it; 0: not known */
};
#define PTDBG_REG_RIP    (1u << 0)
#define PTDBG_REG_RSP    (1u << 1)
#define PTDBG_REG_CR0    (1u << 2)
#define PTDBG_REG_CR2    (1u << 3)
#define PTDBG_REG_CR3    (1u << 4)
#define PTDBG_REG_CR4    (1u << 5)
#define PTDBG_REG_EFER   (1u << 6)
#define PTDBG_REG_FSBASE (1u << 7)
#define PTDBG_REG_GSBASE (1u << 8)
#define PTDBG_REG_KGSBASE (1u << 9)
#define PTDBG_REG_CS     (1u << 10)
/* efer holds an assumption, not a read value: core files from QEMU carry no EFER, so
 * with CR0.PG and CR4.PAE set the core backend assumes LME|LMA|NXE (0xd00). */
#define PTDBG_REG_EFER_ASSUMED (1u << 11)
#define PTDBG_REG_PC     (1u << 12)
#define PTDBG_REG_CPSR   (1u << 13)
#define PTDBG_REG_TTBR0  (1u << 14)
#define PTDBG_REG_TTBR1  (1u << 15)
#define PTDBG_REG_TCR    (1u << 16)
#define PTDBG_REG_MAIR   (1u << 17)
#define PTDBG_REG_SCTLR  (1u << 18)
#define PTDBG_REG_ESR    (1u << 19)
#define PTDBG_REG_FAR    (1u << 20)
#define PTDBG_REG_ELR    (1u << 21)
#define PTDBG_REG_VBAR   (1u << 22)
#define PTDBG_REG_MMFR0  (1u << 23)
#define PTDBG_REG_SPSR   (1u << 24)

/* The architecture of regs: regs->arch when the target said it, else what the
 * registers read suggest (cr3 or rip: x86-64; pc, cpsr or a TTBR: AArch64). */
enum ptdbg_arch ptdbg_regs_arch(const struct ptdbg_regs *regs);
/* "x86-64", "aarch64", "unknown"; and back (NULL / PTDBG_ARCH_UNSPECIFIED if none). */
const char *ptdbg_arch_name(enum ptdbg_arch a);
enum ptdbg_arch ptdbg_arch_from_name(const char *name);

/* The registers of struct ptdbg_regs by the names QEMU's target description (and
 * gdb) give them: the one table every backend that reads registers by name uses.
 * A register may have several names (QEMU 7.2 calls SCTLR_EL1 "SCTLR" and VBAR_EL1
 * "VBAR"; later versions use the _EL1 names): the first one a target offers is used. */
struct ptdbg_reg_desc {
	const char *name;
	uint32_t bit;   /* PTDBG_REG_* */
	size_t off;     /* offset in struct ptdbg_regs */
	bool is32;      /* a 32-bit field (else 64-bit) */
};
extern const struct ptdbg_reg_desc ptdbg_reg_table[];
#define PTDBG_NREGS 26u

/* One read of a batch. The backend fills buf and sets err (0 or PTDBG_E*). */
struct ptdbg_io {
	uint64_t pa;
	size_t   len;
	void    *buf;
	int      err;
};

/* Counters every backend keeps, for -v and the benchmarks. */
struct ptdbg_target_stats {
	uint64_t bytes_read;   /* guest bytes delivered */
	uint64_t reads;        /* backend-level read operations (packets, syscalls) */
	uint64_t wire_bytes;   /* bytes received on the link, where there is one */
};

struct ptdbg_target;

struct ptdbg_target_ops {
	const char *name; /* "gdbstub", "core", "fastpath", "image" */
	/* Guest memory is in this host's memory (a core file, QEMU's own process, an
	 * image): a read costs no round trip, so the page cache reads a stream a few
	 * pages at a time as the walk reaches them (each decoded while it is still in
	 * the CPU's cache) instead of all of it first. */
	bool local;
	/* Read len bytes of guest physical memory at pa. */
	int (*read_phys)(struct ptdbg_target *t, uint64_t pa, void *buf, size_t len);
	/* Read many ranges; independent requests may be pipelined. Returns 0 if the
	 * batch was carried out (each io->err says whether that read worked) or a
	 * link-level error. NULL: the library loops over read_phys. */
	int (*read_phys_batch)(struct ptdbg_target *t, struct ptdbg_io *ios, size_t n);
	/* Optional: the len bytes at pa where this process already holds them (a core
	 * file's mapping), read-only and valid until close, so that the page cache keeps
	 * a pointer instead of a copy; NULL where it does not (then read_phys). Counts
	 * as a read in stats. */
	const void *(*map_phys)(struct ptdbg_target *t, uint64_t pa, size_t len);
	/* Optional: a batch that completes while the caller works. stream_begin queues
	 * ios[0, n) (kept by the caller until stream_end) and may send the first
	 * requests; it reads pa and len only, and a backend writes into buf only in
	 * stream_wait and stream_end, so the caller may set the buffers after it
	 * returns. stream_wait(k) returns once ios[0, k] are complete (err set, data in
	 * buf), keeping the pipeline full, with *complete = how many leading ios are;
	 * stream_end completes the rest. Any other call on the target first completes
	 * the stream. Returns 0 or a link error. */
	int (*stream_begin)(struct ptdbg_target *t, struct ptdbg_io *ios, size_t n);
	int (*stream_wait)(struct ptdbg_target *t, size_t k, size_t *complete);
	int (*stream_end)(struct ptdbg_target *t);
	int (*read_regs)(struct ptdbg_target *t, struct ptdbg_regs *regs);
	/* Optional: the architecture the target says it is, without reading registers
	 * (a gdbstub's target.xml, not the documents it includes): 0 with *arch set
	 * (PTDBG_ARCH_UNSPECIFIED when it does not say), or a link error. NULL: what
	 * read_regs gives. */
	int (*arch)(struct ptdbg_target *t, enum ptdbg_arch *arch);
	/* Run a QEMU monitor command; *out is malloc'd text. PTDBG_ENOTSUP if none. */
	int (*monitor)(struct ptdbg_target *t, const char *cmd, char **out);
	int (*resume)(struct ptdbg_target *t); /* let the VM run (NULL: no-op) */
	int (*stop)(struct ptdbg_target *t);   /* stop the VM (NULL: no-op) */
	/* Optional: send what restores the target (a gdbstub's PhyMemMode and detach)
	 * without waiting for its answers, so that the caller frees its own memory
	 * while the stub works; close then reads them. No other call may follow but
	 * close. */
	void (*detach)(struct ptdbg_target *t);
	/* Restore what attaching changed and free the target. */
	void (*close)(struct ptdbg_target *t);
};

struct ptdbg_target {
	const struct ptdbg_target_ops *ops;
	struct ptdbg_target_stats stats;
	char errbuf[256];
	void *priv;
};

/* Set the target's error line (printf-style); returns code, for `return ptdbg_target_fail(...)`. */
int ptdbg_target_fail(struct ptdbg_target *t, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *ptdbg_target_error(const struct ptdbg_target *t);

/* Dispatch functions (they check for NULL ops and fall back where the contract says). */
int ptdbg_read_phys(struct ptdbg_target *t, uint64_t pa, void *buf, size_t len);
int ptdbg_read_phys_batch(struct ptdbg_target *t, struct ptdbg_io *ios, size_t n);
/* A batch of one's own, ios[0, n), with a caller's reads also[0, nalso) that
 * depend on nothing riding along instead of costing a round trip of their own:
 * ios must have room for n + nalso entries (the extra ones are scratch). At most
 * PTDBG_ALSO_MAX ride; with more none does. Each io of also gets its err (0, the
 * read's error, the link error that ended the batch, or PTDBG_ENOTSUP: not read).
 * Returns what ptdbg_read_phys_batch returns. */
#define PTDBG_ALSO_MAX 4u
int ptdbg_read_phys_batch_also(struct ptdbg_target *t, struct ptdbg_io *ios, size_t n, struct ptdbg_io *also,
			       size_t nalso);
/* The backend's own pointer to [pa, pa+len) (see map_phys), or NULL. */
const void *ptdbg_map_phys(struct ptdbg_target *t, uint64_t pa, size_t len);
/* One device register at pa, in one read of size bytes (4 or 8: what MMIO register
 * files such as VT-d's and the SMMU's accept), little-endian, into *val (0 on error).
 * Returns 0 or the read's error. */
int ptdbg_read_reg(struct ptdbg_target *t, uint64_t pa, unsigned size, uint64_t *val);
/* One register to read in a batch: pa and size (4 or 8) in; the little-endian value
 * (0 on error) and the read's error out. */
struct ptdbg_reg_io {
	uint64_t pa;
	unsigned size;
	uint64_t val;
	int err;
};
/* Many device registers, each its own read of its own size (what the device is asked
 * for does not change), in pipelined batches: through a gdbstub one round trip for
 * many registers. Returns 0, or the link error that ended the batch (every register
 * not read then carries it in err). */
int ptdbg_read_reg_batch(struct ptdbg_target *t, struct ptdbg_reg_io *regs, size_t n);
/* The same, with the memory reads also[0, nalso) in the first batch
 * (ptdbg_read_phys_batch_also). */
int ptdbg_read_reg_batch_also(struct ptdbg_target *t, struct ptdbg_reg_io *regs, size_t n,
			      struct ptdbg_io *also, size_t nalso);

struct ptdbg_layout;
/* One register of a device's register map (VT-d's, the SMMU's): its name, byte
 * offset from the device's base, size (4 or 8), field layout (out/layout.h) and
 * what it is. */
struct ptdbg_dev_reg {
	const char *name;
	uint32_t off;
	uint8_t size;
	const struct ptdbg_layout *layout;
	const char *desc;
};
/* Read the registers of map[0, n) that want(off) accepts (want NULL: all) of the
 * device at base, in one batch (ptdbg_read_reg_batch), into val[i] and err[i]; a
 * register not asked for gets err PTDBG_ENOTSUP and val 0. Returns 0, or the link
 * error that ended the batch. */
int ptdbg_read_dev_regs(struct ptdbg_target *t, uint64_t base, const struct ptdbg_dev_reg *map, size_t n,
			bool (*want)(unsigned off), uint64_t *val, int *err);
/* The same, with also[0, nalso) read in its batch (ptdbg_read_reg_batch_also). */
int ptdbg_read_dev_regs_also(struct ptdbg_target *t, uint64_t base, const struct ptdbg_dev_reg *map,
			     size_t n, bool (*want)(unsigned off), uint64_t *val, int *err,
			     struct ptdbg_io *also, size_t nalso);
/* The stream (see stream_begin above); a backend without one reads the whole batch
 * in ptdbg_read_stream_begin and the other two return at once. */
int ptdbg_read_stream_begin(struct ptdbg_target *t, struct ptdbg_io *ios, size_t n);
int ptdbg_read_stream_wait(struct ptdbg_target *t, size_t k, size_t *complete);
int ptdbg_read_stream_end(struct ptdbg_target *t);
int ptdbg_read_regs(struct ptdbg_target *t, struct ptdbg_regs *regs);
/* The architecture the target says it is (ops->arch, else read_regs) into *arch,
 * PTDBG_ARCH_UNSPECIFIED when it does not say. Returns 0 or a link error. */
int ptdbg_target_arch(struct ptdbg_target *t, enum ptdbg_arch *arch);
int ptdbg_monitor(struct ptdbg_target *t, const char *cmd, char **out);
int ptdbg_target_resume(struct ptdbg_target *t);
int ptdbg_target_stop(struct ptdbg_target *t);
/* Start restoring the target (ops->detach; nothing where there is none): only
 * ptdbg_target_close may follow. */
void ptdbg_target_detach(struct ptdbg_target *t);
void ptdbg_target_close(struct ptdbg_target *t);

/* Options that select and configure a backend (command-line -t, --core, ...). */
struct ptdbg_target_opts {
	const char *spec;       /* "HOST:PORT", "unix:PATH"; NULL: $PTDBG_TARGET or localhost:1234 */
	const char *core_file;  /* --core FILE */
	double      timeout_s;  /* --timeout, default 5 */
	bool        stay_stopped;
	bool        no_fast_path;
	int         verbose;
	FILE       *log;        /* where -v says what it found (NULL: stderr) */
	unsigned    pipeline_depth; /* gdbstub reads in flight; 0: default (64), 1: none */
	/* Optional: work to overlap with a gdbstub's handshake (QEMU stops the VM
	 * before it answers): called once, after the handshake is sent and before its
	 * answers are read, by a backend that attaches to a gdbstub. */
	void      (*while_attaching)(void *arg);
	void       *while_attaching_arg;
};

/* Open the backend the options select. On failure returns NULL and writes one line
 * to err (size errlen). */
struct ptdbg_target *ptdbg_target_open(const struct ptdbg_target_opts *o, char *err, size_t errlen);

/* The name of the backend that serves reads ("gdbstub", "fastpath", ...), for -v. */
const char *ptdbg_target_backend(const struct ptdbg_target *t);

/* Signal safety. A tool interrupted mid-walk must still leave the VM as it found it.
 * ptdbg_target_emergency_close() writes the restore packets (PhyMemMode, detach) of
 * every open gdbstub target and closes its socket, using only async-signal-safe
 * calls; afterwards the targets may only be freed by ptdbg_target_close().
 * ptdbg_target_install_signal_restore() installs SIGINT/SIGTERM/SIGHUP handlers that
 * do that and then die of the signal. */
void ptdbg_target_emergency_close(void);
int ptdbg_target_install_signal_restore(void);

/* Backends. */
struct ptdbg_target *ptdbg_gdbstub_open(const struct ptdbg_target_opts *o, char *err, size_t errlen);
struct ptdbg_target *ptdbg_core_open(const char *path, char *err, size_t errlen);
/* A flat image: guest physical [base, base+len) is buf (not copied); regs copied. */
struct ptdbg_target *ptdbg_image_open(const void *buf, uint64_t base, size_t len,
				      const struct ptdbg_regs *regs);
/* A sparse image: the n pages (4 KiB each, pa rounded down; data not copied) and
 * nothing else; a read of any other page gives zeros when holes_read_zero, else
 * PTDBG_EIO. Later pages with the same pa are not found. regs copied. */
struct ptdbg_sparse_page {
	uint64_t pa;
	const uint8_t *data;
};
struct ptdbg_target *ptdbg_sparse_open(const struct ptdbg_sparse_page *pages, size_t n,
				       bool holes_read_zero, const struct ptdbg_regs *regs);
/* Wrap an open gdbstub target whose QEMU runs on this host: reads of guest RAM go
 * through process_vm_readv, everything else through stub. Returns NULL (and leaves
 * stub untouched) when the fast path cannot work; the caller keeps using stub. With
 * log, one line there says which it is and why. */
struct ptdbg_target *ptdbg_fastpath_open(struct ptdbg_target *stub, FILE *log);

/* Internals shared by the backends. */
/* The connected socket of a gdbstub target (to find a local QEMU's pid), or -1. */
int ptdbg_gdbstub_socket(struct ptdbg_target *t);
/* Send monitor command cmd to gdbstub target t now, so that QEMU works on it while
 * the caller does something else: a later ptdbg_monitor(t, cmd) takes its answer,
 * and any other use of the link takes it first (an `info mtree -f` answer is then
 * kept for whoever asks). 0 (also for a target that is not a gdbstub, or when the
 * answer is known already), or an error. */
int ptdbg_gdbstub_monitor_ahead(struct ptdbg_target *t, const char *cmd);

#endif /* PTDBG_TARGET_H */
