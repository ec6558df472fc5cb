/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 page-table walker (4- and 5-level paging, Intel SDM vol. 3 ch. 4).
 *
 * The walker reads tables through struct ptdbg_mem and emits events to a visitor;
 * printers, checks and snapshot writers are visitors and never walk themselves
 * (the split of Linux's mm/ptdump.c: walker, note_page, prot_bits).
 *
 * Reading is breadth first: all tables of one level are fetched in one batch, then
 * the next level (bounded by the page cache cap), so that a pipelining backend is
 * used at its limit. Emitting is depth first, in increasing canonical VA order:
 *
 *   NODE(root)
 *     for each entry of a table, in index order:
 *       HOLE      once, before the first entry of the upper canonical half
 *       ANOMALY*  zero or more, about this entry, before what follows for it
 *       LEAF      P=1 and the entry maps a page (PT entry, PS=1 in a PD/PDPT entry)
 *       NODE ...  P=1 and the entry points to a table: the table's event, then its
 *                 entries (recursively)
 *       ABSENT    P=0 but entry != 0 (the raw value is reported; nothing below it)
 *       (nothing) entry == 0
 *
 * What the walker does with odd tables (hardware would fault on them, QEMU's
 * `info mem`/`info tlb` do not care, so the walker reports and goes on like QEMU):
 *  - reserved bits set (against MAXPHYADDR, NX without EFER.NXE, the level's rules),
 *    PS=1 in a PML5E/PML4E, a 1 GiB leaf without pdpe1gb: an ANOMALY, then the entry
 *    is followed as QEMU follows it (PS in PML5E/PML4E ignored: table pointer);
 *    every LEAF below carries PTDBG_X86_PERM_FAULTS (the CPU raises #PF(RSVD)).
 *  - a table that cannot be read: ANOMALY(READ_ERROR) in place of its NODE; nothing
 *    below it.
 *  - a table whose physical address is also an ancestor's (a recursive slot, which
 *    is legitimate, or a loop): ANOMALY(RECURSIVE), and then its NODE and entries
 *    ARE emitted at their level, like any table. Depth is bounded by the number of
 *    levels, so this ends; the budget bounds the work.
 *  - a table reached under several entries (a shared subtree) is emitted under each,
 *    from the cache (NODE has PTDBG_X86_NODE_SHARED the second time on).
 *  - budget: at most max_nodes table visits and max_leaves leaves; when a limit is
 *    hit, ANOMALY(BUDGET) is emitted, the walk stops and the result is partial.
 *
 * The VA filter skips whole subtrees outside [va_first, va_last]: a filtered walk
 * reads only the tables it needs. Events are still emitted for whole entries
 * (a LEAF or NODE overlapping the filter is emitted with its full span).
 */
#ifndef PTDBG_X86_WALK_H
#define PTDBG_X86_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "target/mem.h"
#include "x86/x86_bits.h"

/* Where the IA32_PAT value came from (printed with memory types). */
enum ptdbg_pat_source {
	PTDBG_PAT_RESET  = 0, /* not known: the reset value X86_PAT_RESET was assumed */
	PTDBG_PAT_REGION = 1, /* the kernel's debug region */
	PTDBG_PAT_USER   = 2, /* given on the command line (--pat) */
};

/* The CPU paging state a walk starts from. */
struct ptdbg_x86_cpu {
	uint64_t cr0, cr3, cr4, efer;
	uint64_t pat;             /* IA32_PAT */
	enum ptdbg_pat_source pat_source;
	unsigned levels;          /* 4 or 5; 0: from CR4.LA57 */
	unsigned maxphyaddr;      /* MAXPHYADDR; 0: 52 (no reserved address bits known) */
	bool     pdpe1gb;         /* 1 GiB pages supported (CPUID.80000001H:EDX[26]) */
};

/* Fill cpu from registers as a target reports them: levels from CR4.LA57,
 * maxphyaddr 0 (unknown), pdpe1gb true, PAT the reset value. */
void ptdbg_x86_cpu_from_regs(struct ptdbg_x86_cpu *cpu, const struct ptdbg_regs *regs);

/* Derived facts about cpu. */
unsigned ptdbg_x86_levels(const struct ptdbg_x86_cpu *cpu);     /* 4 or 5 */
unsigned ptdbg_x86_va_bits(const struct ptdbg_x86_cpu *cpu);    /* 48 or 57 */
unsigned ptdbg_x86_maxphyaddr(const struct ptdbg_x86_cpu *cpu); /* 52 if unknown */
uint64_t ptdbg_x86_root(const struct ptdbg_x86_cpu *cpu);       /* CR3 table address */
/* PCID from CR3 bits 11:0 when CR4.PCIDE, else -1. */
int      ptdbg_x86_pcid(const struct ptdbg_x86_cpu *cpu);
/* Sign-extend va at bit 47 (4 levels) or 56 (5 levels). */
uint64_t ptdbg_x86_canonical(const struct ptdbg_x86_cpu *cpu, uint64_t va);
bool     ptdbg_x86_is_canonical(const struct ptdbg_x86_cpu *cpu, uint64_t va);

/* Effective permissions of a mapping, combined over every level of its path. */
#define PTDBG_X86_PERM_W       (1u << 0)  /* R/W=1 at every level */
#define PTDBG_X86_PERM_U       (1u << 1)  /* U/S=1 at every level */
#define PTDBG_X86_PERM_NX      (1u << 2)  /* XD=1 at some level and EFER.NXE=1 */
#define PTDBG_X86_PERM_G       (1u << 3)  /* leaf G=1 (counts only with CR4.PGE) */
#define PTDBG_X86_PERM_A       (1u << 4)  /* leaf accessed */
#define PTDBG_X86_PERM_D       (1u << 5)  /* leaf dirty */
#define PTDBG_X86_PERM_KW      (1u << 6)  /* supervisor may write: W, or CR0.WP=0 */
#define PTDBG_X86_PERM_PKEY    (1u << 7)  /* pkey is in force (CR4.PKE for user pages,
					     CR4.PKS for supervisor pages) */
#define PTDBG_X86_PERM_FAULTS  (1u << 8)  /* a reserved bit on the path: any access
					     faults with #PF(RSVD); see ANOMALY events */
struct ptdbg_x86_perm {
	uint32_t flags;      /* PTDBG_X86_PERM_* (names: x86_bits_effective) */
	uint8_t  pat_index;  /* PAT:PCD:PWT of the leaf, 0..7 */
	uint8_t  memtype;    /* enum x86_memtype from IA32_PAT[pat_index] */
	uint8_t  pkey;       /* bits 62:59 of the leaf (whether in force: PERM_PKEY) */
};

/* Compute the effective permissions of a leaf at level from the entries on its
 * path, path[l] being the entry at level l for l = level .. top (cpu gives
 * EFER.NXE, CR0.WP, CR4.PKE/PKS/PGE and the PAT). */
void ptdbg_x86_perm_of(const struct ptdbg_x86_cpu *cpu, const uint64_t path[6],
		       unsigned level, unsigned top, struct ptdbg_x86_perm *out);

/* The entries from the root down to the current one. lv[l] is valid for
 * l = depth_level .. top (top = 4 or 5); lower indexes are stale. */
struct ptdbg_x86_path {
	unsigned top;    /* the root's level */
	unsigned level;  /* the level of the deepest valid step */
	struct {
		uint64_t table_pa; /* physical address of the table at this level */
		uint64_t entry;    /* the raw entry taken at this level */
		uint16_t index;    /* its index, 0..511 */
	} lv[6];
};

enum ptdbg_x86_event_kind {
	PTDBG_X86_EV_NODE    = 1, /* a table */
	PTDBG_X86_EV_LEAF    = 2, /* a mapped page */
	PTDBG_X86_EV_ABSENT  = 3, /* P=0, entry != 0 */
	PTDBG_X86_EV_HOLE    = 4, /* the non-canonical hole */
	PTDBG_X86_EV_ANOMALY = 5, /* something a CPU or a kernel would choke on */
};

enum ptdbg_x86_anomaly {
	PTDBG_X86_AN_RESERVED   = 1, /* reserved bits set; detail = the offending bits */
	PTDBG_X86_AN_PS_LEVEL   = 2, /* PS=1 where not allowed (PML5E/PML4E, or 1 GiB
				       without pdpe1gb) */
	PTDBG_X86_AN_READ_ERROR = 3, /* the table at pa could not be read; detail = -err */
	PTDBG_X86_AN_RECURSIVE  = 4, /* table pa is also the table at level detail on
				       the path (recursive slot or loop) */
	PTDBG_X86_AN_BUDGET     = 5, /* the node or leaf budget ran out; walk stops */
};

/* NODE flags. */
#define PTDBG_X86_NODE_SHARED    (1u << 0) /* already emitted under another entry */
#define PTDBG_X86_NODE_RECURSIVE (1u << 1) /* its pa is an ancestor's */

/*
 * One event. Which fields are meaningful depends on kind:
 *   all      kind, level, va (canonical first byte), size (bytes of VA), path
 *   NODE     level = the table's level; pa = the table; entry = the entry that
 *            points to it (0 for the root); flags = PTDBG_X86_NODE_*; va/size =
 *            the span the table covers. path->lv[level+1] is the parent entry.
 *   LEAF     level = 1 (4 KiB), 2 (2 MiB), 3 (1 GiB); pa = physical first byte;
 *            entry = raw leaf entry; perm = effective permissions.
 *            path->lv[level..top] are the entries along the way.
 *   ABSENT   level = the entry's table level; entry = the raw value (P=0); va/size =
 *            the span the entry would cover.
 *   HOLE     va = first non-canonical address, size = length of the hole.
 *   ANOMALY  anomaly, detail; level/va/size/entry of the entry concerned (for
 *            READ_ERROR and RECURSIVE: pa is the table, level the table's level).
 * The event and its path are valid only during the callback.
 */
struct ptdbg_x86_event {
	enum ptdbg_x86_event_kind kind;
	unsigned level;
	uint64_t va;
	uint64_t size;
	uint64_t pa;
	uint64_t entry;
	uint32_t flags;
	struct ptdbg_x86_perm perm;
	enum ptdbg_x86_anomaly anomaly;
	uint64_t detail;
	const struct ptdbg_x86_path *path;
};

/* The visitor: called for every event; return 0 to go on, anything else stops the
 * walk and is returned by ptdbg_x86_walk(). */
typedef int (*ptdbg_x86_visit_fn)(void *ctx, const struct ptdbg_x86_event *ev);

struct ptdbg_x86_walk_cfg {
	struct ptdbg_x86_cpu cpu;
	uint64_t root;          /* table address to start from; 0: from cpu.cr3 */
	bool     va_filter;     /* restrict to [va_first, va_last] (canonical, inclusive) */
	uint64_t va_first, va_last;
	uint64_t max_nodes;     /* table visits; 0: 64 x distinct tables, at least 65536 */
	uint64_t max_leaves;    /* leaves emitted; 0: 4,000,000 */
	bool     no_prefetch;   /* read tables one by one as they are reached */
};

/* Totals of one walk. */
struct ptdbg_x86_walk_result {
	uint64_t nodes;          /* table visits (NODE events) */
	uint64_t distinct_nodes; /* distinct table addresses read */
	uint64_t leaves;
	uint64_t absent;         /* ABSENT events */
	uint64_t anomalies;
	uint64_t read_errors;
	bool     partial;        /* the budget was hit, or the visitor stopped the walk */
};

/* Walk the tables of cfg from the root through mem, calling visit(ctx, ev) for each
 * event in VA order. Fills *res (may be NULL). Returns 0, the visitor's nonzero
 * stop value, a link error from the target (walk aborted, res partial), or
 * PTDBG_EINVAL for a bad cfg. Unreadable tables are not errors: they are
 * READ_ERROR anomalies. */
int ptdbg_x86_walk(struct ptdbg_mem *mem, const struct ptdbg_x86_walk_cfg *cfg,
		   ptdbg_x86_visit_fn visit, void *ctx, struct ptdbg_x86_walk_result *res);

/* ---- single-address translation (ptdump walk VA) ---- */

/* Kind of access for the page-fault error code and permission check. */
#define PTDBG_X86_ACC_WRITE (1u << 0)
#define PTDBG_X86_ACC_USER  (1u << 1)
#define PTDBG_X86_ACC_FETCH (1u << 2)

enum ptdbg_x86_stop {
	PTDBG_X86_STOP_OK = 0,        /* translated, and the access is allowed */
	PTDBG_X86_STOP_NONCANONICAL,  /* #GP, not #PF: no step taken */
	PTDBG_X86_STOP_NOT_PRESENT,   /* P=0 at stop_level */
	PTDBG_X86_STOP_RESERVED,      /* reserved bit (or PS misuse) at stop_level */
	PTDBG_X86_STOP_READ_ERROR,    /* the table at stop_level could not be read */
	PTDBG_X86_STOP_PROTECTION,    /* translated, but the access is not allowed */
};

struct ptdbg_x86_step {
	unsigned level;     /* the table's level */
	uint64_t table_pa;  /* table address */
	unsigned index;     /* index of the entry (VA bits) */
	uint64_t entry_pa;  /* physical address of the entry */
	uint64_t entry;     /* raw value (0 if not read) */
	bool     leaf;      /* this entry maps the page */
	uint64_t reserved;  /* reserved bits set in it */
	int      err;       /* read error of the table (0 if read) */
};

struct ptdbg_x86_translation {
	uint64_t va;
	unsigned access;       /* PTDBG_X86_ACC_* asked for */
	unsigned nsteps;
	struct ptdbg_x86_step step[5]; /* step[0] is the root's entry */
	enum ptdbg_x86_stop stop;
	unsigned stop_level;   /* level where it stopped (0 if STOP_OK) */
	uint64_t pa;           /* translated physical address (if the page was reached) */
	uint64_t page_size;    /* 4K, 2M or 1G (if reached) */
	struct ptdbg_x86_perm perm; /* effective permissions (if reached) */
	uint32_t pf_error;     /* X86_PF_* error code the CPU would push, 0 if no fault */
};

/* Translate one virtual address for an access like `access`, step by step, as the
 * CPU would (no PKRU/SMEP/SMAP checks: those depend on state the walker does not
 * have; protection keys are decoded but not enforced). Returns 0 when the result
 * is filled in (even if it stops with a fault), or a link error. */
int ptdbg_x86_translate(struct ptdbg_mem *mem, const struct ptdbg_x86_cpu *cpu, uint64_t va,
			unsigned access, struct ptdbg_x86_translation *out);

/* Name of a stop reason, an anomaly kind, an event kind ("not present", ...). */
const char *ptdbg_x86_stop_name(enum ptdbg_x86_stop s);
const char *ptdbg_x86_anomaly_name(enum ptdbg_x86_anomaly a);
const char *ptdbg_x86_event_name(enum ptdbg_x86_event_kind k);

#endif /* PTDBG_X86_WALK_H */
