/* SPDX-License-Identifier: MIT */
/*
 * A tool session: the options every ptdbg command shares, the streams commands
 * write to, and what attaching gives (target, memory reader, registers, kernel
 * symbols, debug region).
 *
 * ptdump and iommudump parse their common options from the session's option table
 * (ptdbg_session_options(), options.h) together with each command's own, attach
 * once with ptdbg_session_attach() (which also installs the signal handlers that
 * restore the VM), run one or many commands against the session, and end with
 * ptdbg_session_detach(), which leaves the VM as it was found.
 *
 * Commands and the library's printers write to s->out and s->err, never to stdout
 * or stderr themselves: the command-line tools set them to stdout and stderr, the
 * gdb commands to streams that end in gdb's output.
 *
 * Exit status convention of every command: 0 success / nothing found, 1 findings,
 * 2 error (bad usage, unreachable target, unreadable input).
 */
#ifndef PTDBG_SESSION_H
#define PTDBG_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/options.h"
#include "out/finding.h"
#include "target/mem.h"
#include "target/ram.h"
#include "region/region.h"
#include "region/symbols.h"
#include "target/callback.h"
#include "target/target.h"
#include "x86/x86_walk.h"

#define PTDBG_EXIT_OK       0
#define PTDBG_EXIT_FINDINGS 1
#define PTDBG_EXIT_ERROR    2

struct ptdbg_cmd_prog;
struct ptdbg_linux_layout;

struct ptdbg_session {
	const char *prog;                /* "ptdump", for messages */
	const char *cmd;                 /* the command running ("dump"), for messages */
	FILE *out;                       /* what commands print (stdout by default) */
	FILE *err;                       /* their errors and progress (stderr by default) */
	/* Set by the command line (cmdline.h): the program and its own options. */
	const struct ptdbg_cmd_prog *cmdprog;
	void *tool_opts;
	/* Inside a debugger: the target when no -t or --core is given. */
	const struct ptdbg_callbacks *callbacks;
	/* Stop where a command would attach: ptdbg_session_attach() fails at once and
	 * touches no file, socket or target (the command-line fuzz target). */
	bool dry_run;
	/* Options. */
	struct ptdbg_target_opts topts;
	const char *kernel;              /* -k FILE */
	const char *system_map;          /* --system-map FILE: symbols without an ELF */
	const char *region_opt;          /* --region ADDR | off; NULL: find it */
	bool json;                       /* -j */
	bool pretty;                     /* -p: indented JSON */
	uint64_t pat;                    /* --pat VALUE */
	bool pat_given;
	unsigned maxphyaddr;             /* --maxphyaddr N (0: region or unknown) */
	enum ptdbg_arch arch_opt;        /* --arch NAME: overrides what the target says */
	/* State after attach. */
	struct ptdbg_target *t;
	struct ptdbg_mem *mem;
	struct ptdbg_symbols *syms;
	int syms_rc;                     /* ptdbg_session_load_symbols() failed: its
					    status, so that it says so once */
	int64_t sym_slide;               /* runtime less link address of the symbols (a
					    KASLR kernel's text offset, once found; 0 else) */
	struct ptdbg_regs regs;          /* regs.valid: what the target gave */
	bool regs_on_demand;             /* attach learns the architecture only; the
					    registers wait for ptdbg_session_need_regs() */
	bool regs_read;                  /* regs holds what the target gave */
	bool iommu_table_ahead;          /* read acpi_ahead with the region (x86-64) */
	bool have_region;
	enum ptdbg_region_source region_src;
	struct ptdbg_region_view region;
	char region_why[256];            /* why there is no region, for -v and `region` */
	struct ptdbg_linux_layout *linux_layout; /* Linux's layout markers, once computed (ptdump) */
	/* Where RAM is, once ptdbg_session_ram_guard() found it: mem then reads through
	 * ram_filter (over t), which refuses reads outside it. */
	struct ptdbg_ram ram;
	bool have_ram;
	struct ptdbg_target *ram_filter;
	struct ptdbg_mem *ram_mem;       /* the reader installed over ram_filter */
	/* The first PTDBG_FDT_AHEAD bytes at PTDBG_VIRT_RAM_PA, read with the region's
	 * arrays on AArch64 for ptdbg_session_ram_guard (which takes them), or NULL */
	uint8_t *fdt_ahead;
	/* On x86-64, the first ACPI_TABLE_AHEAD bytes at the region's acpi_iommu_table
	 * (acpi_ahead_pa), read with its arrays, or NULL */
	uint8_t *acpi_ahead;
	uint64_t acpi_ahead_pa;
};

/* Tell holes from zero tables (QEMU's AArch64 gdbstub reads zeros where no memory
 * is): put the session's reader over a target that refuses reads outside RAM. RAM is
 * the device tree's at fdt_pa (trusted only if it holds each of the n roots: the
 * guest could have rewritten it), else QEMU's memory map or the region's frames. Once
 * per attach; nothing for a core file (it has only RAM) or when RAM cannot be found.
 * Returns the RAM, or NULL. */
const struct ptdbg_ram *ptdbg_session_ram_guard(struct ptdbg_session *s, uint64_t fdt_pa,
						const uint64_t *roots, size_t n);
/* Hand the session's reader the pages ios[0, n) read in a batch of the caller's
 * (ptdbg_page_ios): those that were read and, once the RAM guard knows RAM, lie in
 * it (what the reader over it would have read). */
void ptdbg_session_put_pages(struct ptdbg_session *s, const struct ptdbg_io *ios, size_t n);

/* Initialise s with defaults for the command prog, writing to stdout and stderr. */
void ptdbg_session_init(struct ptdbg_session *s, const char *prog);

/* The most entries of the common option table, its end included. */
#define PTDBG_SESSION_NOPTS 20

/* Fill tab with the common options (options.h), which parse into s: -t, -c, -k,
 * --system-map, --region, --timeout, --stay-stopped, --no-fast-path, --pat, --maxphyaddr, -j, -p,
 * -v, and -h/--help and --version (which the command line handles first; the
 * entries make "--help=x" a misuse). Once s is attached (the shell) only -j and -p
 * remain: the others configure the attach. */
void ptdbg_session_options(struct ptdbg_session *s, struct ptdbg_opt tab[PTDBG_SESSION_NOPTS]);

/* Help text of the common options (for --help). */
extern const char ptdbg_session_opts_help[];

/* Load the kernel's symbols (-k ELF or --system-map), if any and not tried yet
 * (ptdbg_session_attach() does, while a gdbstub answers its handshake;
 * ptdbg_session_parse_addr() when a symbolic address comes first). Returns 0 or
 * PTDBG_EXIT_ERROR (printed once). */
int ptdbg_session_load_symbols(struct ptdbg_session *s);

/* At option parsing: the symbol options agree and the file can be opened, so that
 * a wrong -k fails before any target is touched. Returns 0 or PTDBG_EXIT_ERROR
 * (printed). */
int ptdbg_session_check_symbols(struct ptdbg_session *s);

/* Open the target, read registers, load symbols, find the region; nothing if the
 * session is attached already. The target is -t or --core, else the session's
 * callbacks if it has any, else $PTDBG_TARGET or localhost:1234. Commands call it
 * once their arguments are parsed, so that a usage error never waits on a target.
 * Prints one line to s->err and returns PTDBG_EXIT_ERROR on failure, 0 on success. */
int ptdbg_session_attach(struct ptdbg_session *s);

/* Restore the target and free everything attach made. Safe to call twice. */
void ptdbg_session_detach(struct ptdbg_session *s);

/* After the VM ran (shell `continue`/`stop`): forget cached memory, re-read
 * registers and the region. */
int ptdbg_session_refresh(struct ptdbg_session *s);

/* Read the CPU registers into s->regs if this attach has not yet (regs_on_demand).
 * Returns 0 (s->regs.valid tells which the target has) or the link error
 * (ptdbg_target_error(s->t) says why). */
int ptdbg_session_need_regs(struct ptdbg_session *s);

/* The CPU state for walking the current address space: registers, with the PAT,
 * MAXPHYADDR and paging levels from the options or the region. */
void ptdbg_session_cpu(const struct ptdbg_session *s, struct ptdbg_x86_cpu *cpu);

/* The architecture of the attached target: --arch, else what the target says (its
 * description or ELF machine), else what its registers suggest; x86-64 when nothing
 * says anything. */
enum ptdbg_arch ptdbg_session_arch(const struct ptdbg_session *s);

/* Parse a number (0x hex, decimal, K/M/G suffixes) or, with symbols, a symbol name
 * optionally +offset. Returns 0 or -1 (message printed). */
int ptdbg_session_parse_addr(const struct ptdbg_session *s, const char *arg, uint64_t *out);

/* Format addr as "sym+0x10" into buf, or "" if no symbol is near. */
void ptdbg_session_symbolize(const struct ptdbg_session *s, uint64_t addr, char *buf, size_t len);

/* A JSON writer on s->out, indented with -p. NULL if out of memory. */
struct ptdbg_json *ptdbg_session_json(const struct ptdbg_session *s);

/* The end of every check command: keep the findings of the given kinds (NULL: all),
 * sort them, print them as text or JSON (-j/-p), free them, and return the exit
 * status: PTDBG_EXIT_FINDINGS for a warning or an error (an info finding is shown,
 * not a failure), else PTDBG_EXIT_OK. */
int ptdbg_session_report(const struct ptdbg_session *s, struct ptdbg_findings *fl, const char *kinds);

/* Print "prog: message" to s->err. */
void ptdbg_session_err(const struct ptdbg_session *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A misuse of the command line: print "prog cmd: message (see 'prog cmd --help')"
 * to s->err (one line). */
void ptdbg_usage_err(const struct ptdbg_session *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* PTDBG_SESSION_H */
