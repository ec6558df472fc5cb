/*
 * Physical frames and their metadata: one struct ptdbg_frame_meta per 4 KiB frame
 * of [0, end of the highest RAM range), holes included (RESERVED). The array is the
 * one the debug region exports.
 *
 * Reference counting: frame_alloc*() returns a frame with refcount 1 (the caller's
 * reference). Tracked mappings take one more each; frame_put() dropping the count
 * to 0 frees the frame. mapcount counts leaf entries that map the frame.
 */
#ifndef KERNEL_MM_FRAME_H
#define KERNEL_MM_FRAME_H

#include <stdint.h>

#include "ptdbg/abi.h"

#define OWNER_KERNEL 0u

/* Build the metadata array from the boot memory map. */
void frames_init(void);
/* Metadata of the frame holding pa, or NULL outside the array. */
struct ptdbg_frame_meta *frame_meta_of(uint64_t pa);
/* Allocate one zeroed frame (lowest free first); returns its address or 0. */
uint64_t frame_alloc(uint32_t usage, uint32_t owner);
/* Allocate one zeroed frame at or above min_pa; 0 if none. */
uint64_t frame_alloc_above(uint64_t min_pa, uint32_t usage, uint32_t owner);
/* Allocate the frame at exactly pa (page aligned) if it is free RAM; 0 otherwise. */
uint64_t frame_alloc_at(uint64_t pa, uint32_t usage, uint32_t owner);
/* Allocate n contiguous zeroed frames aligned to `align` bytes; 0 if none. The first
 * carries PTDBG_FRAME_F_HUGE_HEAD; each frame has refcount 1. */
uint64_t frame_alloc_contig(uint64_t n, uint64_t align, uint32_t usage, uint32_t owner);
/* Take a reference. */
void frame_get(uint64_t pa);
/* Drop a reference; at zero the frame returns to the allocator. A count that goes
 * negative is left negative (an underflow stays visible) and frees nothing. */
void frame_put(uint64_t pa);
/* Count a leaf entry that maps pa / one that stopped mapping it. */
void frame_map_inc(uint64_t pa);
void frame_map_dec(uint64_t pa);
/* Free frames now. */
uint64_t frames_free(void);
/* Frames of usable RAM. */
uint64_t frames_ram(void);
/* Number of frames described (end of RAM / 4 KiB). */
uint64_t frames_count(void);
/* Printable name of a usage value. */
const char *frame_usage_name(uint32_t usage);

#endif
