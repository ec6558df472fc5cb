/* SPDX-License-Identifier: MIT */
/*
 * The walker frame: one walk engine for every table format, and the types its
 * consumers see (the split of Linux's mm/ptdump.c: walker, note_page, prot_bits).
 *
 * What differs between formats is a decoder (struct ptdbg_decoder below): how an
 * entry reads at each level, how permissions combine down the path, the memory
 * type, the names of levels and bits. The frame does the rest, once:
 *
 *  - reading: breadth first, every table of one level in one ptdbg_mem_prefetch()
 *    batch, top down, while they fit in half of the page cache (a pipelining backend
 *    runs at its limit), the lowest level as a stream (ptdbg_mem_stream()) that the
 *    depth-first pass consumes while the rest is in flight; then, before a table's
 *    entries are visited, its children that are not cached yet;
 *  - emitting: depth first, in increasing address order, events to a visitor:
 *
 *      NODE(root)
 *        for each entry of a table, in index order:
 *          HOLE      once, before the first entry of the upper half of a sign-extended
 *                    space (x86's non-canonical hole)
 *          ANOMALY*  zero or more, about this entry, before what follows for it
 *          LEAF      the entry maps memory (a page or a block)
 *          NODE ...  the entry points to a table: its NODE, then its entries
 *          ABSENT    not valid for the hardware, but nonzero (the raw value is shown)
 *          (nothing) entry == 0
 *
 *  - odd tables, reported and walked on as the hardware's own debug views do:
 *    reserved bits (ANOMALY RESERVED; the walk goes on, every LEAF below carries
 *    PTDBG_P_FAULTS), a type the level does not allow (ANOMALY TYPE_LEVEL; the decoder
 *    says whether the entry is still followed), an unreadable table (ANOMALY
 *    READ_ERROR in place of its NODE), a table that is also an ancestor (ANOMALY
 *    RECURSIVE, then its NODE and entries at their level: depth is bounded by the
 *    levels), a table reached under several entries (emitted under each, NODE flag
 *    SHARED from the second time on);
 *  - the address filter: subtrees outside [va_first, va_last] are neither read nor
 *    emitted (events are still whole entries: a LEAF overlapping the filter has its
 *    full span);
 *  - budgets: at most max_nodes table visits and max_leaves leaves, then ANOMALY
 *    BUDGET, the walk stops and the result is partial.
 *
 * Levels are the frame's, whatever the architecture calls them: 1 is the level
 * whose entries map the smallest pages, and a table at level L holds entries of
 * level L (x86: 1 PT .. 5 PML5; VT-d: 1 .. 5; AArch64: frame level 4 - lookup level,
 * so lookup level 3 is 1 and level -1 (LPA2) is 5). The decoder names them.
 *
 * Tables: a table at level L has 1 << index_bits[L] entries of 8 bytes at its
 * physical address, aligned to its size or to 4 KiB if larger; a table may be
 * smaller than a page (an AArch64 root of 64 entries) or span several (16 and
 * 64 KiB granules).
 */
#ifndef PTDBG_WALK_FRAME_H
#define PTDBG_WALK_FRAME_H

#include <stdbool.h>
#include <stdint.h>

#include "target/mem.h"
#include "walk/bits.h"

/* Frame levels 1..PTDBG_WALK_MAX_LEVEL; arrays indexed by level have one more slot. */
#define PTDBG_WALK_MAX_LEVEL 5
#define PTDBG_WALK_LEVELS    (PTDBG_WALK_MAX_LEVEL + 1)
/* The largest table: 8192 entries (64 KiB granule). */
#define PTDBG_WALK_MAX_ENTRIES 8192u

/* ---- named default budgets ---- */

/* Table visits of one walk when the caller gives none: this many per distinct table
 * (shared subtrees are emitted under each parent, which a loop can multiply), and at
 * least PTDBG_WALK_MIN_NODES. A decoder may fix its own default instead. */
#define PTDBG_WALK_NODES_PER_TABLE 64u
#define PTDBG_WALK_MIN_NODES       65536u
/* Leaves of one walk when the caller gives none; then a walk may emit more, up to
 * PTDBG_WALK_LEAVES_PER_TABLE per distinct table it met and at most
 * PTDBG_WALK_LEAVES_HARD: a real address space of 16M pages is walked whole, while
 * a few tables that loop still stop after PTDBG_WALK_MAX_LEAVES. */
#define PTDBG_WALK_MAX_LEAVES       4000000u
#define PTDBG_WALK_LEAVES_PER_TABLE 1024u
#define PTDBG_WALK_LEAVES_HARD      (64u << 20)

/* ---- the link-error rule ---- */

/* ptdbg_link_error(rc) (target/target.h): PTDBG_ELINK, PTDBG_ETIMEOUT and
 * PTDBG_ENOMEM end the walk and the command; any other read error is one unreadable
 * table, reported as an anomaly and walked around. */

/* ---- effective permissions, format-neutral ---- */

#define PTDBG_P_KR       (1u << 0)  /* the kernel (EL1, supervisor) may read */
#define PTDBG_P_KW       (1u << 1)  /* ... write */
#define PTDBG_P_KX       (1u << 2)  /* ... execute */
#define PTDBG_P_UR       (1u << 3)  /* user (EL0) may read; a device, for an IOMMU */
#define PTDBG_P_UW       (1u << 4)  /* ... write */
#define PTDBG_P_UX       (1u << 5)  /* ... execute */
#define PTDBG_P_GLOBAL   (1u << 6)  /* not tagged with an address-space id */
#define PTDBG_P_ACCESSED (1u << 7)
#define PTDBG_P_DIRTY    (1u << 8)
#define PTDBG_P_PKEY     (1u << 9)  /* perm.pkey is in force */
#define PTDBG_P_FAULTS   (1u << 10) /* a reserved bit or refused type on the path: any
				       access faults (see the ANOMALY events) */

/* The effective permission of a leaf, combined over its whole path. */
struct ptdbg_perm {
	uint32_t access;      /* PTDBG_P_* */
	uint32_t flags;       /* the format's own flags, named by decoder->perm_bits
				 (PTDBG_X86_PERM_*, VTD_PERM_*); what printers and
				 snapshots show */
	uint8_t  attr_index;  /* memory attribute index (x86 PAT:PCD:PWT, AArch64 AttrIndx) */
	uint8_t  memtype;     /* memory type, named by decoder->memtype_name */
	uint8_t  pkey;        /* protection key (x86), when PTDBG_P_PKEY */
};

/* ---- path, events ---- */

/* The entries from the root down to the current one: lv[l] is valid for
 * l = level .. top; lower indexes are stale. */
struct ptdbg_walk_path {
	unsigned top;    /* the root's level */
	unsigned level;  /* the level of the deepest valid step */
	struct {
		uint64_t table_pa; /* physical address of the table at this level */
		uint64_t entry;    /* the raw entry taken at this level */
		uint16_t index;    /* its index in the table */
	} lv[PTDBG_WALK_LEVELS];
};

enum ptdbg_event_kind {
	PTDBG_EV_NODE    = 1, /* a table */
	PTDBG_EV_LEAF    = 2, /* mapped memory */
	PTDBG_EV_ABSENT  = 3, /* not valid, entry != 0 */
	PTDBG_EV_HOLE    = 4, /* the hole between the halves of a sign-extended space */
	PTDBG_EV_ANOMALY = 5, /* something the hardware or a kernel would choke on */
	PTDBG_EV_LEAF_RUN = 6,/* leaves in a row with one permission: only to a walk
				 with opts.leaf_runs */
};

enum ptdbg_anomaly {
	PTDBG_AN_RESERVED   = 1, /* reserved bits set; detail = the offending bits */
	PTDBG_AN_TYPE_LEVEL = 2, /* an entry type this level does not allow (x86 PS in a
				    PML4E, a superpage the unit lacks, an AArch64 block at
				    level 0); detail from the decoder */
	PTDBG_AN_READ_ERROR = 3, /* the table at pa could not be read; detail = -err */
	PTDBG_AN_RECURSIVE  = 4, /* table pa is also the table at level detail on the
				    path (the nearest such ancestor) */
	PTDBG_AN_BUDGET     = 5, /* the node or leaf budget ran out; the walk stops;
				    detail = the visits (node budget) or leaves (leaf
				    budget) made */
};
#define PTDBG_AN_COUNT 6

/* NODE flags. */
#define PTDBG_NODE_SHARED    (1u << 0) /* already emitted under another entry */
#define PTDBG_NODE_RECURSIVE (1u << 1) /* its pa is an ancestor's */

struct ptdbg_walk_result;

/*
 * One event. Which fields are meaningful depends on kind:
 *   all      kind, level, va (first byte, as the space numbers it), size (bytes of
 *            address space), path, res (the totals so far)
 *   NODE     level = the table's level; pa = the table; entry = the entry that points
 *            to it (0 for the root); flags = PTDBG_NODE_*; va/size = the span the
 *            table covers. path->lv[level+1] is the parent entry.
 *   LEAF     level = the entry's level; pa = physical first byte; entry = raw leaf;
 *            perm = effective permissions. path->lv[level..top] is the path.
 *   ABSENT   level = the entry's level; entry = the raw value; va/size = the span
 *            it would cover.
 *   LEAF_RUN count >= 1 LEAF events in one: leaves of one table at consecutive
 *            entries, va, va + size, ..., each plain (as struct ptdbg_walk_level's
 *            plain rule says) and with one perm; run[0..count) are their raw
 *            entries (run[0] == entry), run[k] & run_addr the physical address of
 *            leaf k (pa = run[0] & run_addr). path->lv[level] is the first leaf's.
 *            Emitted in place of LEAF events for plain leaves, only when
 *            opts.leaf_runs asks for them; a LEAF is still emitted for any other.
 *   HOLE     va = first address of the hole, size = its length.
 *   ANOMALY  anomaly, detail; level/va/size/entry of the entry concerned (READ_ERROR,
 *            RECURSIVE and a node BUDGET: pa is the table, level its level, entry the
 *            parent entry, va/size its span).
 * The event, its path and res are valid only during the callback.
 */
struct ptdbg_walk_event {
	enum ptdbg_event_kind kind;
	unsigned level;
	uint64_t va;
	uint64_t size;
	uint64_t pa;
	uint64_t entry;
	uint32_t flags;
	struct ptdbg_perm perm;
	enum ptdbg_anomaly anomaly;
	uint64_t detail;
	uint64_t count;           /* LEAF_RUN: leaves */
	const uint64_t *run;      /* LEAF_RUN: their raw entries */
	uint64_t run_addr;        /* LEAF_RUN: the address bits of an entry */
	const struct ptdbg_walk_path *path;
	const struct ptdbg_walk_result *res;
};

/* The visitor: called for every event; return 0 to go on, anything else stops the
 * walk and is returned by the walk. */
typedef int (*ptdbg_walk_visit_fn)(void *ctx, const struct ptdbg_walk_event *ev);

/* Totals of one walk, with its budget and whether it is partial. */
struct ptdbg_walk_result {
	uint64_t nodes;          /* table visits (NODE events) */
	uint64_t distinct_nodes; /* distinct table addresses read */
	uint64_t leaves;
	uint64_t absent;         /* ABSENT events */
	uint64_t anomalies;
	uint64_t read_errors;
	uint64_t max_nodes;      /* the budget the walk ran with (after defaults) */
	uint64_t max_leaves;
	bool     budget_hit;     /* a budget ran out (ANOMALY BUDGET) */
	bool     partial;        /* the budget was hit, the visitor stopped the walk, or
				    a link error aborted it */
};

/* ---- the decoder interface ---- */

/* What one nonzero entry is, as a decoder reads it. */
enum ptdbg_entry_kind {
	PTDBG_ENT_ABSENT = 0,  /* the hardware ignores it (not valid) */
	PTDBG_ENT_TABLE  = 1,  /* points to the next level's table at addr */
	PTDBG_ENT_LEAF   = 2,  /* maps 1 << shift bytes at addr */
};

struct ptdbg_entry {
	enum ptdbg_entry_kind kind;
	bool     refused;      /* TABLE/LEAF the hardware refuses outright: reported (bad_type
				  must be set) and nothing is emitted or followed below it */
	uint64_t addr;         /* TABLE: the next table; LEAF: the first byte mapped */
	uint64_t reserved;     /* reserved bits set (ANOMALY RESERVED, faults below) */
	uint64_t bad_type;     /* nonzero: the bits that make a type this level does not
				  allow (ANOMALY TYPE_LEVEL; counted as reserved by a
				  translation) */
	uint64_t bad_detail;   /* the TYPE_LEVEL anomaly's detail */
	/* A refused entry gets its TYPE_LEVEL anomaly only (no RESERVED one). */
};

/* The geometry of one level of a space. */
struct ptdbg_walk_level {
	uint8_t  shift;        /* log2 of the bytes one entry maps (12 + 9 * (level - 1)
				  for 4 KiB granules of 512 entries) */
	uint8_t  index_bits;   /* log2 of the entries of a table at this level */
	uint64_t perm_mask;    /* the bits of a leaf here that decoder->perm() reads
				  (0: all): leaves that agree on them, under the same
				  table entries, share one perm() call */
	uint64_t mask[4];      /* the decoder's own per-level constants (reserved-bit and
				  address masks), set by whoever fills the space */
	/* Optional, for the leaf loop: an entry with a bit of plain_any set, every bit
	 * of plain_all and none of plain_none is a LEAF whose entry() would say no more
	 * than "address e & plain_addr, nothing reserved, nothing refused" (x86: P set,
	 * no reserved bit, at the PT level; AArch64: both type bits at lookup level 3).
	 * The frame then skips entry() for it. plain_any 0: no such rule. */
	uint64_t plain_any, plain_all, plain_none, plain_addr;
};

struct ptdbg_walk_space;

/* Access kinds for single-address translation (how the hardware is asked). */
#define PTDBG_ACC_WRITE (1u << 0)
#define PTDBG_ACC_USER  (1u << 1) /* user / EL0 / unprivileged request */
#define PTDBG_ACC_FETCH (1u << 2) /* instruction fetch / execute request */

/* Why a single-address translation stops. */
enum ptdbg_stop {
	PTDBG_STOP_OK = 0,     /* translated, and the access is allowed */
	PTDBG_STOP_RANGE,      /* the address is outside the space (x86 non-canonical,
				  beyond an IOMMU's address width): no step taken */
	PTDBG_STOP_NOT_PRESENT,/* an ABSENT (or zero) entry at stop_level */
	PTDBG_STOP_RESERVED,   /* reserved bits or a refused type at stop_level */
	PTDBG_STOP_READ_ERROR, /* the table at stop_level could not be read */
	PTDBG_STOP_PROTECTION, /* the access is not allowed at stop_level */
};

/*
 * A table format. One static instance per format (x86/, vtd/, arm64/...), listed in
 * walk/registry.c. Everything here is per format; what depends on the hardware's
 * state (registers, capabilities) is in the space's hw and per-level masks, filled
 * by the format's own setup function (ptdbg_x86_space(), vtd_space()...).
 *
 * entry is called for each nonzero entry, perm for each leaf whose perm_mask bits
 * (struct ptdbg_walk_level) differ from the recent leaves of its level: keep both
 * small and free of side effects. To add a format: a decoder and its setup function
 * in its own folder, its bit tables, an entry in walk/registry.c, unit tests on
 * synthetic tables (tests/unit/test_walk_frame.c shows a toy decoder), and an
 * oracle test against what the hardware (QEMU) itself translates.
 */
struct ptdbg_decoder {
	const char *name;       /* "x86-64", "vtd-sl", ... (ptdbg_decoder_find) */
	const char *addr_word;  /* what addresses are called: "va", "iova" */

	/* Read the nonzero entry e of a table at level into *out (all fields set). */
	void (*entry)(const struct ptdbg_walk_space *sp, unsigned level, uint64_t e,
		      struct ptdbg_entry *out);
	/* The effective permission of leaf e at level: up_and / up_or are the AND / OR
	 * of the raw TABLE entries above it (~0 / 0 under the root), so that hierarchical
	 * controls (x86 R/W U/S XD, VT-d R/W/X, AArch64 APTable PXNTable UXNTable) combine
	 * without a per-format state; faults: a reserved bit or refused type on the path
	 * or in e (set PTDBG_P_FAULTS and the format's own flag). Called for translation
	 * steps that are TABLE entries too when check_tables is set. */
	void (*perm)(const struct ptdbg_walk_space *sp, unsigned level, uint64_t e,
		     uint64_t up_and, uint64_t up_or, bool faults, struct ptdbg_perm *out);
	/* Translation: whether perm allows an access of kind acc (PTDBG_ACC_*). */
	bool (*allows)(const struct ptdbg_walk_space *sp, const struct ptdbg_perm *perm,
		       unsigned acc);
	/* Translation: the fault the hardware reports for a stop at level (x86 #PF error
	 * code, VT-d fault reason, AArch64 fault status code); 0 for PTDBG_STOP_OK. */
	uint32_t (*fault)(const struct ptdbg_walk_space *sp, enum ptdbg_stop stop,
			  unsigned level, unsigned acc);
	bool check_tables;      /* translation checks the access at every level (VT-d),
				   not only at the leaf */
	uint64_t default_nodes; /* node budget when the caller gives none; 0: the frame's
				   rule (PTDBG_WALK_NODES_PER_TABLE, PTDBG_WALK_MIN_NODES) */

	/* Names. */
	const char *(*level_name)(unsigned level);  /* the table at level ("PML4", "L1") */
	const char *(*entry_name)(unsigned level);  /* an entry of it ("PML4E") */
	const char *anomaly_names[PTDBG_AN_COUNT];  /* by enum ptdbg_anomaly */
	const char *(*memtype_name)(unsigned memtype);  /* NULL: no memory type */
	const char *attr_index_name;                    /* JSON key of perm.attr_index
							   ("pat_index"); NULL: not shown */
	/* Bit tables: an entry's raw bits at level (leaf or not); perm.flags. */
	const struct ptdbg_bit_table *(*entry_bits)(unsigned level, bool leaf);
	const struct ptdbg_bit_table *perm_bits;
};

/* Every format the library knows, by name ("x86-64", ...); NULL if none. */
const struct ptdbg_decoder *ptdbg_decoder_find(const char *name);
/* The i-th registered format (0, 1, ...), NULL past the last. */
const struct ptdbg_decoder *ptdbg_decoder_at(unsigned i);

/* ---- a space: one set of tables to walk ---- */

/*
 * What a walk starts from: a decoder with the hardware state it reads (hw, and the
 * per-level masks), the root table and the geometry. Filled by the format's setup;
 * the frame reads it and never writes it.
 *
 * Addresses: the entry at index i of the root covers va_base + (i << lv[top].shift)
 * (further down, its parent's address + (i << shift)); with sign_extend, the space
 * is va_bits wide and sign-extended (x86: the upper half of the root starts at
 * ~0 << (va_bits - 1), with the non-canonical hole before it).
 */
struct ptdbg_walk_space {
	const struct ptdbg_decoder *dec;
	const void *hw;          /* the decoder's hardware state (struct ptdbg_x86_cpu,
				    struct vtd_hw, ...) */
	uint64_t root;           /* the root table's physical address */
	unsigned top;            /* the root's level */
	unsigned va_bits;        /* bits of address the tables translate */
	uint64_t va_base;        /* first address of the space (TTBR1: ~0 << va_bits) */
	bool     sign_extend;    /* x86: sign-extended at bit va_bits - 1 */
	struct ptdbg_walk_level lv[PTDBG_WALK_LEVELS];
};

/* Bytes one entry at level maps. */
static inline uint64_t ptdbg_level_span(const struct ptdbg_walk_space *sp, unsigned level)
{
	return 1ull << sp->lv[level].shift;
}

/* Entries of a table at level. */
static inline unsigned ptdbg_level_entries(const struct ptdbg_walk_space *sp, unsigned level)
{
	return 1u << sp->lv[level].index_bits;
}

/* log2 of the bytes an entry at level maps with 4 KiB tables of 512 entries (x86,
 * VT-d, AArch64 4K): 12 + 9 * (level - 1). The one place the expression is written;
 * ptdbg_shift_4k(levels + 1) is the address width of a space of levels levels. */
static inline unsigned ptdbg_shift_4k(unsigned level)
{
	return 12 + 9 * (level - 1);
}

/* Bytes an entry at level maps with 4 KiB tables of 512 entries. */
static inline uint64_t ptdbg_level_span_4k(unsigned level)
{
	return 1ull << ptdbg_shift_4k(level);
}

/* Fill the geometry of a space of levels 1..top with 4 KiB tables of 512 entries. */
void ptdbg_space_geometry_4k(struct ptdbg_walk_space *sp, unsigned top);

/* The address events carry for raw, an offset into the space (the sum of index <<
 * shift down the path): va_base + raw, or raw sign-extended at bit va_bits - 1. */
uint64_t ptdbg_space_addr(const struct ptdbg_walk_space *sp, uint64_t raw);

/* Whether va is an address of the space (canonical for x86; within va_base ..
 * va_base + 2^va_bits - 1 otherwise). */
bool ptdbg_space_contains(const struct ptdbg_walk_space *sp, uint64_t va);

/* ---- the walk ---- */

struct ptdbg_walk_opts {
	bool     va_filter;     /* restrict to [va_first, va_last] (inclusive) */
	uint64_t va_first, va_last;
	uint64_t max_nodes;     /* table visits; 0: the decoder's default */
	uint64_t max_leaves;    /* leaves emitted; 0: PTDBG_WALK_MAX_LEAVES, more with
				   the distinct tables (see above) */
	bool     no_prefetch;   /* read tables one by one as they are reached */
	bool     leaf_runs;     /* the visitor takes LEAF_RUN events: plain leaves in a
				   row come as one (a counting or printing visitor
				   then pays per run, not per leaf) */
};

/* Budgets for every later walk of the process whose options leave them 0 (opts
 * NULL included), in place of the decoder's and PTDBG_WALK_MAX_LEAVES; 0 keeps
 * the built-in default. For programs that must bound every walk, also those a
 * library function starts with default budgets (the fuzz targets). */
void ptdbg_walk_set_default_budgets(uint64_t max_nodes, uint64_t max_leaves);

/* Walk sp's tables from the root through mem, calling visit(ctx, ev) for each event
 * in address order (visit may be NULL: count only). opts may be NULL (no filter,
 * default budgets). Fills *res (may be NULL) on every return. Returns 0, the
 * visitor's nonzero stop value, a link error (walk aborted, res partial), or
 * PTDBG_EINVAL for a bad space or filter. Unreadable tables are not errors: they
 * are READ_ERROR anomalies. */
int ptdbg_walk(struct ptdbg_mem *mem, const struct ptdbg_walk_space *sp,
	       const struct ptdbg_walk_opts *opts, ptdbg_walk_visit_fn visit, void *ctx,
	       struct ptdbg_walk_result *res);

/* ---- single-address translation ---- */

/* One level of a translation. */
struct ptdbg_walk_step {
	unsigned level;     /* the table's level */
	uint64_t table_pa;  /* table address */
	unsigned index;     /* index of the entry (address bits) */
	uint64_t entry_pa;  /* physical address of the entry */
	uint64_t entry;     /* raw value (0 if not read) */
	bool     leaf;      /* this entry maps the page */
	uint64_t reserved;  /* reserved bits (and bits of a refused type) set in it */
	int      err;       /* read error of the table (0 if read) */
};

struct ptdbg_translation {
	uint64_t va;
	unsigned access;       /* PTDBG_ACC_* asked for */
	unsigned levels;       /* the root's level */
	unsigned nsteps;
	struct ptdbg_walk_step step[PTDBG_WALK_MAX_LEVEL]; /* step[0] is the root's entry */
	enum ptdbg_stop stop;
	unsigned stop_level;   /* level where it stopped (0 if PTDBG_STOP_OK; the root's
				  level for PTDBG_STOP_RANGE) */
	uint64_t pa;           /* translated physical address (if the page was reached) */
	uint64_t page_size;    /* bytes of the page or block (if reached) */
	struct ptdbg_perm perm;/* effective permissions (if reached) */
	uint32_t fault;        /* decoder->fault() of the stop, 0 if none */
};

/* Translate va for an access of kind acc through sp, one step per level as the
 * hardware does: read the entry (READ_ERROR), ABSENT (NOT_PRESENT), reserved bits or
 * refused type (RESERVED), with check_tables the access at every level, else at the
 * leaf (PROTECTION). Returns 0 when *out is filled (even if it stops with a fault),
 * or a link error. */
int ptdbg_translate(struct ptdbg_mem *mem, const struct ptdbg_walk_space *sp, uint64_t va,
		    unsigned acc, struct ptdbg_translation *out);

/* Read up to len bytes at virtual address va through sp, page by page, stopping at
 * the first page that does not translate (a page the access acc may not use is still
 * read: PTDBG_STOP_PROTECTION does not stop it) or whose physical memory cannot be
 * read. Returns the bytes read. *why (may be NULL) is the translation where it
 * stopped, with stop PTDBG_STOP_READ_ERROR and pa set when the physical read failed,
 * or stop PTDBG_STOP_OK when all was read; *link is a link error or 0. */
size_t ptdbg_read_virt(struct ptdbg_mem *mem, const struct ptdbg_walk_space *sp, uint64_t va,
		       unsigned acc, void *buf, size_t len, struct ptdbg_translation *why,
		       int *link);

/* Names: "node", "leaf", ... ; an anomaly as dec names it. */
const char *ptdbg_event_name(enum ptdbg_event_kind k);
const char *ptdbg_anomaly_name(const struct ptdbg_decoder *dec, enum ptdbg_anomaly a);

/* ---- consumers written once ---- */

/* A run of leaves coalesced into one range. */
struct ptdbg_range {
	bool     open;
	uint64_t va, end;      /* [va, end); end 0 = 2^64 */
	uint64_t pa;           /* physical start */
	uint64_t next_pa;      /* physical address the next page must have to merge */
	unsigned level;        /* leaf level of its pages */
	uint64_t page;         /* bytes of each page */
	struct ptdbg_perm perm;
	uint64_t pages;
};

/* What may differ between two leaves of one range. */
struct ptdbg_range_rule {
	uint32_t flags_ignored; /* perm.flags bits that need not agree */
	bool     virtual_only;  /* pages need not be physically contiguous */
};

/* Add LEAF ev to r if it continues it under rule (contiguous, same level, flags
 * outside flags_ignored, memory type and, when in force, protection key): true.
 * false when it does not: the caller prints r, then ptdbg_range_start(r, ev). */
static inline bool ptdbg_range_extend(struct ptdbg_range *r, const struct ptdbg_walk_event *ev,
				      const struct ptdbg_range_rule *rule)
{
	/* inline: every leaf of a dump comes here */
	uint32_t keep = ~rule->flags_ignored;

	if (!r->open || r->end != ev->va || r->level != ev->level || r->page != ev->size)
		return false;
	if ((r->perm.flags & keep) != (ev->perm.flags & keep) ||
	    r->perm.memtype != ev->perm.memtype)
		return false;
	if ((r->perm.access & PTDBG_P_PKEY) && r->perm.pkey != ev->perm.pkey)
		return false;
	if (!rule->virtual_only && r->next_pa != ev->pa)
		return false;
	r->end = ev->va + ev->size;
	r->next_pa = ev->pa + ev->size;
	r->pages++;
	return true;
}
/* Open r with LEAF ev as its only page. */
void ptdbg_range_start(struct ptdbg_range *r, const struct ptdbg_walk_event *ev);

/* Leaf k of LEAF_RUN run as the LEAF event it stands for: *out = *run with kind,
 * va, pa and entry of leaf k (count and run cleared). */
void ptdbg_run_leaf(const struct ptdbg_walk_event *run, uint64_t k, struct ptdbg_walk_event *out);

/* Make *one, a leaf of run (ptdbg_run_leaf), its leaf k: va, entry and pa only. */
static inline void ptdbg_run_move(const struct ptdbg_walk_event *run, uint64_t k,
				  struct ptdbg_walk_event *one)
{
	one->va = run->va + k * run->size;
	one->entry = run->run[k];
	one->pa = run->run[k] & run->run_addr;
}

/* The leaves event ev stands for: 1 for a LEAF, its count for a LEAF_RUN, else 0. */
static inline uint64_t ptdbg_event_leaves(const struct ptdbg_walk_event *ev)
{
	return ev->kind == PTDBG_EV_LEAF ? 1 : ev->kind == PTDBG_EV_LEAF_RUN ? ev->count : 0;
}

/* The first leaf in [from, to) of LEAF_RUN run that does not follow on physically
 * from pa (leaf from at pa, each next one a page further), or to. */
static inline uint64_t ptdbg_run_follow(const struct ptdbg_walk_event *run, uint64_t from, uint64_t to,
					uint64_t pa)
{
	uint64_t k = from;
	while (k < to && (run->run[k] & run->run_addr) == pa + (k - from) * run->size)
		k++;
	return k;
}

/* Call visit for each leaf of LEAF_RUN run as a LEAF event, in order; the first
 * nonzero return ends it and is returned. For a visitor that sees runs but has
 * nothing to gain from them. */
int ptdbg_run_visit_each(ptdbg_walk_visit_fn visit, void *ctx, const struct ptdbg_walk_event *run);

/* Add leaves [from, to) of LEAF_RUN run to r, which leaf from - 1 of it ended
 * (ptdbg_range_extend or ptdbg_range_start took it), while they continue r under
 * rule: with rule->virtual_only all of them, else while physically contiguous.
 * Returns how many were added. */
static inline uint64_t ptdbg_range_extend_run(struct ptdbg_range *r, const struct ptdbg_walk_event *run,
					      uint64_t from, uint64_t to,
					      const struct ptdbg_range_rule *rule)
{
	/* one level, size and permission: only the physical addresses may differ */
	uint64_t k = rule->virtual_only ? to : ptdbg_run_follow(run, from, to, r->next_pa);
	if (k > from) {
		r->end = run->va + k * run->size;
		r->next_pa = (run->run[k - 1] & run->run_addr) + run->size;
		r->pages += k - from;
	}
	return k - from;
}

/* Take leaves of LEAF_RUN run into r from leaf k on, up to leaf to (exclusive): leaf
 * k extends r or, when it does not continue it, opens r anew after flush(ctx) has
 * printed it; then the leaves after it that continue r. Returns the index of the
 * first leaf not taken (> k). The printers' loop over a run. */
uint64_t ptdbg_range_take_run(struct ptdbg_range *r, const struct ptdbg_walk_event *run, uint64_t k,
			      uint64_t to, const struct ptdbg_range_rule *rule,
			      void (*flush)(void *ctx), void *ctx);

/* Name of a page size ("4K", "2M", "1G", "16K", "512M"...) into buf. */
const char *ptdbg_page_name(uint64_t size, char *buf, size_t len);

#endif /* PTDBG_WALK_FRAME_H */
