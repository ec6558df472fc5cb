/* SPDX-License-Identifier: MIT */
/*
 * Snapshots of mappings, and the differences between two of them.
 *
 * A snapshot holds, for each address space, its mappings as coalesced ranges:
 * [va, va+size) -> pa with one page size and one set of attributes. The CPU page
 * tables (ptdump) and VT-d domains (iommudump) use the same container; `attrs` is
 * the format's effective-permission bits (PTDBG_X86_PERM_* or VT-d R/W).
 *
 * File format (little-endian), version 1:
 *   header   "PTDBGSNP", u32 version, u32 header size (32), u32 spaces, u32 format
 *            (1 x86, 2 vtd, 3 aarch64, 4 smmuv3), u64 creation time (Unix seconds)
 *   space    char name[48], u32 kind, u32 levels, u64 root, u64 records
 *   record   u64 va, u64 size, u64 pa, u32 attrs, u8 level, u8 memtype, u8 pkey, u8 0
 *   trailer  u32 CRC-32 (IEEE) of every byte before it, "PTDBGEND"
 * A reader rejects a bad magic, a newer version, counts that do not fit the file
 * (truncation), and a checksum mismatch (corruption), each with its own message.
 */
#ifndef PTDBG_SNAPSHOT_H
#define PTDBG_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "out/json.h"

#define PTDBG_SNAP_VERSION 1u
#define PTDBG_SNAP_X86 1u
#define PTDBG_SNAP_VTD 2u
#define PTDBG_SNAP_ARM64 3u /* AArch64 stage 1: a space per half, attrs PTDBG_ARM64_PERM_* */
#define PTDBG_SNAP_SMMU 4u  /* SMMUv3 stage 1: a space per stream (and half), attrs as ARM64 */

struct ptdbg_snap_range {
	uint64_t va, size, pa;
	uint32_t attrs;
	uint8_t level;    /* 1 = 4 KiB, 2 = 2 MiB, 3 = 1 GiB */
	uint8_t memtype;
	uint8_t pkey;
};

struct ptdbg_snap_space {
	char name[48];
	uint32_t kind;
	uint32_t levels;
	uint64_t root;
	struct ptdbg_snap_range *r;
	size_t n, cap;
};

struct ptdbg_snapshot {
	uint32_t format;  /* PTDBG_SNAP_X86, _VTD, _ARM64 or _SMMU */
	uint64_t created;
	struct ptdbg_snap_space *spaces;
	size_t nspaces;
};

/* Add an empty space; returns it or NULL (out of memory). */
struct ptdbg_snap_space *ptdbg_snap_add_space(struct ptdbg_snapshot *s, const char *name, uint32_t kind,
					      uint32_t levels, uint64_t root);
/* The snapshot writer, a visitor of the walker frame (walk/frame.h) for any format:
 * each LEAF, and each leaf of a LEAF_RUN (a walk with leaf_runs), becomes a mapping
 * of space (a struct ptdbg_snap_space *) with the decoder's permission flags as
 * attrs. Returns 0 or PTDBG_ENOMEM. */
struct ptdbg_walk_event;
int ptdbg_snap_visit(void *space, const struct ptdbg_walk_event *ev);

/* Append a mapping, coalescing it with the previous one when contiguous in VA and
 * PA with the same attributes. Returns 0 or PTDBG_ENOMEM. */
int ptdbg_snap_add(struct ptdbg_snap_space *sp, const struct ptdbg_snap_range *r);
void ptdbg_snap_free(struct ptdbg_snapshot *s);

/* Write s to path. Returns 0, or -1 with err filled. */
int ptdbg_snap_save(const struct ptdbg_snapshot *s, const char *path, char *err, size_t errlen);
/* Read path into *s. Returns 0, or -1 with err filled (and *s empty). */
int ptdbg_snap_load(struct ptdbg_snapshot *s, const char *path, char *err, size_t errlen);
/* The same from a buffer (for fuzzing and tests). */
int ptdbg_snap_parse(struct ptdbg_snapshot *s, const uint8_t *buf, size_t len, char *err, size_t errlen);

/* The space named name, or NULL. */
struct ptdbg_snap_space *ptdbg_snap_space(const struct ptdbg_snapshot *s, const char *name);

/* How a range differs between A and B. */
enum ptdbg_diff_kind { PTDBG_DIFF_ADDED = 1, PTDBG_DIFF_REMOVED, PTDBG_DIFF_CHANGED };

struct ptdbg_diff {
	enum ptdbg_diff_kind kind;
	uint64_t va, size;
	struct ptdbg_snap_range a, b; /* attributes on each side (a for REMOVED/CHANGED, b for ADDED/CHANGED);
					 pa is the pa at va */
};

/* Callback that names attribute bits for printing. */
typedef void (*ptdbg_snap_attr_fn)(uint32_t attrs, char *buf, size_t len);

/* Compare two spaces; calls out(ctx, d) for each maximal run of one kind of
 * difference, in VA order. Returns the number of differences. */
size_t ptdbg_snap_diff(const struct ptdbg_snap_space *a, const struct ptdbg_snap_space *b,
		       void (*out)(void *ctx, const struct ptdbg_diff *d), void *ctx);

/* Print one difference as a line ("+ VA-END  SIZE  pa PA  ATTRS" / "- ..." /
 * "~ VA-END  SIZE  what changed"). */
void ptdbg_diff_print(FILE *f, const struct ptdbg_diff *d, ptdbg_snap_attr_fn attr_name);
void ptdbg_diff_json(struct ptdbg_json *j, const struct ptdbg_diff *d, ptdbg_snap_attr_fn attr_name);

/*
 * The difference report of diff commands: every space of a against the space of b
 * with the same name (a lone space on each side is matched whatever its names),
 * each run of differences as a line (text to out) or an object (JSON into j when j
 * is not NULL: an array of {word, "changes": [...]} and {word, "only_in"}), and
 * the spaces only one side has. word names a space ("space", "device"); headers
 * are printed when either side has more than one space or always_header is set.
 * Returns the number of differences (0: the same).
 */
size_t ptdbg_snap_diff_report(FILE *out, struct ptdbg_json *j, const struct ptdbg_snapshot *a,
			      const char *a_name, const struct ptdbg_snapshot *b, const char *b_name,
			      const char *word, bool always_header, ptdbg_snap_attr_fn attr_name);

/* CRC-32 (IEEE 802.3), for the trailer. */
uint32_t ptdbg_crc32(uint32_t crc, const void *buf, size_t len);

#endif /* PTDBG_SNAPSHOT_H */
