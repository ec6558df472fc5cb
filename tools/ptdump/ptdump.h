/* SPDX-License-Identifier: MIT */
/* ptdump: internal interfaces between the command's files. */
#ifndef PTDUMP_H
#define PTDUMP_H

#include <capstone/capstone.h>
#include <stdbool.h>
#include <stdint.h>

#include "cli/cmdline.h"
#include "out/json.h"
#include "cli/session.h"
#include "cli/walk_error.h"
#include "walk/walk_budget.h"
#include "target/ram.h"
#include "x86/x86_walk.h"
#include "arm64/arm64_walk.h"

/* The program (cmdline.h): name, version, command table, help (commands.c). */
extern const struct ptdbg_cmd_prog ptdump_prog;
/* The subcommands (cmdline.h); the first is the default. */
extern const struct ptdbg_cmd pt_cmds[];
/* The command whose name is cmd or starts with cmd unambiguously; NULL (message
 * printed to err) otherwise. */
const struct ptdbg_cmd *pt_cmd_find(const char *cmd, FILE *err);
/* Print the command's --help. */
void pt_cmd_usage(const struct ptdbg_cmd *c, FILE *out);
/* Attach s if it is not attached yet (the shell attaches once). */
int pt_attach(struct ptdbg_session *s);

/* An address space to walk. */
struct pt_space {
	char name[48];             /* from the region, or "cr3=0x..." */
	uint32_t kind;             /* enum ptdbg_as_kind, 0 if unknown */
	struct ptdbg_x86_cpu cpu;  /* cpu.cr3 is the space's root */
	const char *how;           /* how it was found: "region", "cr3", "scan", "kpti"
				      (NULL: named on the command line) */
	bool current;              /* its root is the one in CR3 (AArch64: in a TTBR) */
	/* AArch64: a space is one root, of the TTBR half: the kernel's in TTBR1 (half 1),
	 * a process's in TTBR0 (half 0) with the kernel's TTBR1 beside it in a64cpu, as
	 * the CPU sees them while that process runs. Its own tables are its root's half;
	 * walked whole, a process's space is both halves. */
	bool a64;                  /* an AArch64 space: a64cpu and half, not cpu */
	struct ptdbg_arm64_cpu a64cpu;
	unsigned half;             /* PTDBG_ARM64_TTBR0 or _TTBR1: the root's */
	const char *sure;          /* a scanned root: "likely" or "possible"; NULL: certain */
	char why[128];             /* what the scan saw, "" otherwise */
};

/* A space's root table and its levels, on either architecture. */
uint64_t pt_space_root(const struct pt_space *sp);
unsigned pt_space_levels(const struct pt_space *sp);

/* Space selection options shared by dump, walk, check, save and x. */
struct pt_space_sel {
	const char *as_name;       /* --as NAME */
	const char *cr3;           /* --cr3 PA */
	bool all;                  /* --all: every live space in the region */
	bool all_spaces;           /* --all-spaces: every space pt_spaces_find() finds */
};

/* The option-table entries (options.h) of --as, --cr3 and --all, parsing into sel. */
#define PT_SPACE_OPTS(sel)                                                                    \
	{ .name = "as", .value = true, .str = &(sel)->as_name },                              \
	{ .name = "cr3", .value = true, .str = &(sel)->cr3, .set = ptdbg_opt_pa },            \
	{ .name = "all", .flag = &(sel)->all }
/* --all-spaces, for the commands that take it (dump, check, save, diff). */
#define PT_ALL_SPACES_OPT(sel) { .name = "all-spaces", .flag = &(sel)->all_spaces }
#define PT_ALL_SPACES_HELP \
	"  --all-spaces        every address space `ptdump spaces` finds, the shared kernel\n" \
	"                      half once\n"

/* Every CPU address space of the guest: the live ones the debug region lists, or
 * (without the region, or with scan) every root found in RAM that shares the kernel
 * half of the root in CR3 (x86/spaces.h), named from the region where it lists them.
 * One space is kind PTDBG_AS_KERNEL (the region's, else a root whose user half is
 * empty, else CR3's), the others PTDBG_AS_USER. *scanned (may be NULL) is set when
 * RAM was scanned, with the layout in *ram (may be NULL) and the frames that could
 * not be read in *unreadable. Returns 0 or an exit status (message printed). */
int pt_spaces_find(struct ptdbg_session *s, bool scan, struct pt_space **out, size_t *n,
		   bool *scanned, struct ptdbg_ram *ram, uint64_t *unreadable);

/* Resolve the selection into *out (malloc'd, *n entries). Returns 0 or an exit
 * status (message printed). */
int pt_space_resolve(struct ptdbg_session *s, const struct pt_space_sel *sel,
		     struct pt_space **out, size_t *n);
/* A VA range [first, last] to walk. */
struct pt_va_range {
	uint64_t first, last;
};
#define PT_MAX_OWN_RANGES 257

/* The ranges of space sp[k] that are its own, so that walking every space walks the
 * kernel half once: the whole space, except that for a user space the top-level
 * slots of the kernel half whose entries equal the kernel space's (shared kernel
 * mappings) are left to the kernel's walk. Writes at most PT_MAX_OWN_RANGES ranges
 * to out and returns their count. */
size_t pt_space_own_ranges(struct ptdbg_session *s, const struct pt_space *sp, size_t n, size_t k,
			   struct pt_va_range *out);

/* Walk space sp[k] through visit(ctx, ...): its own ranges (pt_space_own_ranges)
 * when own_only, else all of it; each walk taken from and charged to budget (a walk
 * the budget cannot pay for ends the space). Returns 0, or PTDBG_EXIT_ERROR
 * (message printed) when a walk fails. */
int pt_walk_space(struct ptdbg_session *s, const struct pt_space *sp, size_t n, size_t k, bool own_only,
		  struct ptdbg_walk_budget *budget, ptdbg_walk_visit_fn visit, void *ctx);
/* pt_walk_space for a visitor that takes leaf runs (LEAF_RUN, walk/frame.h). */
int pt_walk_space_runs(struct ptdbg_session *s, const struct pt_space *sp, size_t n, size_t k, bool own_only,
		       struct ptdbg_walk_budget *budget, ptdbg_walk_visit_fn visit, void *ctx);
/* The same within [lo, hi] (inclusive), returning the walk's own status: 0, the
 * visitor's value, a link error or PTDBG_ENOMEM, nothing printed. */
int pt_walk_space_range(struct ptdbg_session *s, const struct pt_space *sp, size_t n, size_t k, bool own_only,
			uint64_t lo, uint64_t hi, struct ptdbg_walk_budget *budget, ptdbg_walk_visit_fn visit,
			void *ctx);

/* AArch64 (space_arm64.c): pt_spaces_find() and pt_space_resolve() for an AArch64
 * target: from the region, or TTBR1's and TTBR0's roots and the TTBR0 roots a scan
 * of RAM finds (arm64/arm64_spaces.h); --cr3 PA names a TTBR0 root; no selection is
 * the CPU's own TTBR0 and TTBR1. Same contracts. */
int pt_a64_spaces_find(struct ptdbg_session *s, bool scan, struct pt_space **out, size_t *n,
		       bool *scanned, struct ptdbg_ram *ram, uint64_t *unreadable);
int pt_a64_space_resolve(struct ptdbg_session *s, const struct pt_space_sel *sel,
			 struct pt_space **out, size_t *n);
/* The bit table naming a space's effective permissions (x86 or AArch64). */
const struct ptdbg_bit_table *pt_space_perm_bits(const struct pt_space *sp);

/* dump's filters, for the commands that share them (cmd_dump.c): --flags "w,x,..."
 * into PTDBG_X86_PERM_* masks that must be set and clear, --range "A-B" into [lo, hi).
 * Return 0 or -1 (misuse printed). */
int pt_parse_flags(struct ptdbg_session *s, const char *list, uint32_t *set, uint32_t *clear);
int pt_parse_range(struct ptdbg_session *s, const char *arg, uint64_t *lo, uint64_t *hi);

/* The marker covering va for printers (ctx: struct pt_marker_ctx *). */
struct pt_marker_ctx {
	const struct ptdbg_session *s;
	uint32_t kind;
};
const char *pt_marker_name(void *ctx, uint64_t va, uint64_t *start, uint64_t *end);
const char *pt_marker_name_short(void *ctx, uint64_t va);

/* The Linux layout of the session's guest (cmd_layout.c), found once and kept in the
 * session: NULL with *rc an exit status (message printed) on a link error. The
 * layout may be invalid (no symbols, not Linux): it says why. */
struct ptdbg_linux_layout;
const struct ptdbg_linux_layout *pt_linux_layout(struct ptdbg_session *s, int *rc);
/* The KASLR text offset of a Linux guest without the region whose symbols the
 * session has (0 otherwise, or when it cannot be found), into *slide; from then on
 * the session names runtime addresses with those symbols (sym_slide). Returns 0 or
 * an exit status (message printed) on a link error. */
int pt_linux_slide(struct ptdbg_session *s, uint64_t *slide);
/* A marker function (walk/dump.h) over a layout (ctx: the layout). */
const char *pt_linux_marker_name(void *ctx, uint64_t va, uint64_t *start, uint64_t *end);


/* Progress on the session's error stream for long walks when it is a terminal. */
struct pt_progress {
	double t0, last;
	uint64_t leaves;
	bool shown, tty;
	const char *what;
	FILE *err;
};
void pt_progress_start(struct pt_progress *p, const struct ptdbg_session *s, const char *what);
/* The line's update, every 4,096 leaves on a terminal. */
void pt_progress_show(struct pt_progress *p);
/* Count n leaves (inline: every leaf or LEAF_RUN of a walk comes here). */
static inline void pt_progress_leaves(struct pt_progress *p, uint64_t n)
{
	uint64_t was = p->leaves;
	p->leaves += n;
	if ((was >> 12) != (p->leaves >> 12) && p->tty)
		pt_progress_show(p);
}
/* Count one leaf. */
static inline void pt_progress_leaf(struct pt_progress *p)
{
	pt_progress_leaves(p, 1);
}
void pt_progress_end(struct pt_progress *p);
/* Progress of a count of frames out of total (p->what: "scanning RAM"). */
void pt_progress_frames(struct pt_progress *p, uint64_t done, uint64_t total);

/* A device domain pt_iommu_walk() walked: a VT-d device's, or an SMMUv3 stream's. */
struct pt_iommu_dev {
	uint16_t bdf, did;
	char label[64];      /* "00:01.0 NAME", "sid 0x10 NAME" */
	bool smmu;           /* an SMMUv3 stream: sid, asid */
	uint32_t sid, asid;
	const struct ptdbg_bit_table *bits; /* names of its leaves' perm.flags */
	uint32_t write;      /* perm.flags bits that let the device write */
};
/* Walk the device tables of the IOMMU: on x86-64 the second-level table of every
 * device of the VT-d unit (the ACPI DMAR's first, else the region's DRHD base) whose
 * context translates; on AArch64 the stage-1 tables (TTB0 and TTB1 of the context
 * descriptor) of every stream of the SMMUv3 (the region's, else the one QEMU's
 * memory map names) whose STE translates at stage 1. For each: begin(ctx, dev, i)
 * (may be NULL), then the walk's events to visit(ctx, ev). The devices go to a
 * malloc'd *devs. No unit, or one without tables: an error (printed), or nothing when
 * quiet. Returns 0 or an exit status (cmd_rmap.c). */
int pt_iommu_walk(struct ptdbg_session *s, bool quiet, void (*begin)(void *ctx, const struct pt_iommu_dev *d, size_t i),
		  ptdbg_walk_visit_fn visit, void *ctx, struct pt_iommu_dev **devs, size_t *ndevs);

/* The physical address of the SMMUv3's register page: the debug region's, else the
 * arm-smmuv3 device of QEMU's memory map (`info mtree -f`); 0 if none (cmd_rmap.c). */
uint64_t pt_smmu_base(struct ptdbg_session *s);
/* The check kind dma-maps-kernel-text (when kinds, NULL for all, wants it): the
 * device domains of pt_iommu_walk() that can write kernel text or read-only kernel
 * data, into fl. Returns 0 or an exit status (cmd_check.c). */
struct ptdbg_findings;
int pt_dma_text_check(struct ptdbg_session *s, const char *kinds, struct ptdbg_findings *fl);

/* Print an error about a failed walk (link error) and return PTDBG_EXIT_ERROR. */
static inline int pt_walk_error(struct ptdbg_session *s, int rc)
{
	return ptdbg_walk_error(s, rc, "walk aborted");
}


/* AArch64 (arm64.c): each command parses its options, attaches, and when the target
 * is an AArch64 CPU hands over to these. */
struct pt_a64_dump_args {
	unsigned halves;           /* 1: TTBR0, 2: TTBR1; 0: both */
	bool range;                /* [lo, hi) */
	uint64_t lo, hi;
	const char *flags;         /* --flags list, NULL: none */
	bool merge_virtual, show_absent, show_nodes;
};
bool pt_is_a64(struct ptdbg_session *s);
/* The CPU state of an attached AArch64 session (system registers from the target,
 * else from the debug region); an exit status (message printed) when no walk can
 * start. */
int pt_a64_cpu(struct ptdbg_session *s, struct ptdbg_arm64_cpu *cpu);
/* The symbol of addr into buf ("" if none); an address without one that maps (by
 * cpu's tables, NULL: not known) the frame of a kernel-image address is named by it:
 * "= _start+0x3c through the identity map" (or "through the alias"). */
void pt_a64_symbolize(struct ptdbg_session *s, const struct ptdbg_arm64_cpu *cpu, uint64_t addr,
		      char *buf, size_t len);
/* An AArch64 address space: the CPU state to walk it with and the halves that are
 * its own (a user space is a TTBR0 root, the kernel's the TTBR1 root). */
struct pt_a64_space {
	char name[48];             /* from the region; "" for the tables in force */
	uint32_t kind;             /* enum ptdbg_as_kind, 0 if unknown */
	struct ptdbg_arm64_cpu cpu;
	unsigned halves;           /* 1: TTBR0, 2: TTBR1, 3: both */
	bool current;              /* its root is the one in force */
};
/* The spaces sel selects on AArch64 into *out (malloc'd, *n entries): --as NAME (a
 * region space), --cr3 PA (a TTBR0 root), --all (every live space of the region,
 * and the tables in force it does not list), else the tables in force (both halves)
 * -- or, with live_default and a region, as --all. Returns 0 or an exit status
 * (message printed). */
int pt_a64_spaces(struct ptdbg_session *s, const struct pt_space_sel *sel, bool live_default,
		  struct pt_a64_space **out, size_t *n);
int pt_a64_dump(struct ptdbg_session *s, const struct pt_space_sel *sel, const struct pt_a64_dump_args *a);
int pt_a64_walk(struct ptdbg_session *s, const struct pt_space_sel *sel, uint64_t va, unsigned access);
int pt_a64_regs(struct ptdbg_session *s);
int pt_a64_check(struct ptdbg_session *s, const struct pt_space_sel *sel, const char *kinds);
int pt_a64_x(struct ptdbg_session *s, const struct pt_space_sel *sel, uint64_t va, unsigned n);
struct ptdbg_snapshot;
int pt_a64_take(struct ptdbg_session *s, const struct pt_space_sel *sel, struct ptdbg_snapshot *snap);

int cmd_dump(struct ptdbg_session *s, int argc, char **argv);
int cmd_walk(struct ptdbg_session *s, int argc, char **argv);
int cmd_check(struct ptdbg_session *s, int argc, char **argv);
int cmd_region(struct ptdbg_session *s, int argc, char **argv);
int cmd_faults(struct ptdbg_session *s, int argc, char **argv);
int cmd_save(struct ptdbg_session *s, int argc, char **argv);
int cmd_diff(struct ptdbg_session *s, int argc, char **argv);
int cmd_x(struct ptdbg_session *s, int argc, char **argv);
int cmd_shell(struct ptdbg_session *s, int argc, char **argv);
int cmd_monitor(struct ptdbg_session *s, int argc, char **argv);
int cmd_regs(struct ptdbg_session *s, int argc, char **argv);
int cmd_spaces(struct ptdbg_session *s, int argc, char **argv);
int cmd_rmap(struct ptdbg_session *s, int argc, char **argv);
int cmd_search(struct ptdbg_session *s, int argc, char **argv);
int cmd_map(struct ptdbg_session *s, int argc, char **argv);
int cmd_layout(struct ptdbg_session *s, int argc, char **argv);

/* The listing of `x` for every architecture (cmd_x.c): count Capstone instructions
 * of the space named space, branch targets named by branch_sym, then why it
 * stopped early (stop, or NULL). */
void pt_print_insns(struct ptdbg_session *s, const char *space, const cs_insn *insn, size_t count,
		    void (*branch_sym)(struct ptdbg_session *, const cs_insn *, char *, size_t),
		    const char *stop);

#endif /* PTDUMP_H */
