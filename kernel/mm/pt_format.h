/*
 * The paging format: what the page-table module (mm/pt.c) asks of an architecture,
 * like the paging-constants trait Asterinas' OSTD makes its page table generic over.
 * Each architecture provides it as static inline functions in
 * arch/<arch>/pt_format.h; pt.c is the one module that walks and edits tables with
 * them, for every architecture, every granule and every address space.
 *
 * Geometry lives in struct pt_space (mm/pt.h): `levels` table levels numbered from
 * 1 (the level whose entries map one page) up to `levels` (the root), a granule of
 * 2^gshift bytes (a node is one granule; a page is one granule) and `va_bits` of
 * input address the root resolves. An entry at level l maps
 * 2^(gshift + (l-1)*(gshift-3)) bytes.
 *
 * What a format defines:
 *   PTF_SHARED_KERNEL_HALF        1 when user roots share the kernel root's upper
 *                                 half (x86-64); 0 when the kernel has its own root
 *                                 (AArch64: TTBR1 for the kernel, TTBR0 for users)
 *   ptf_valid(e)                  the hardware sees a valid entry
 *   ptf_is_leaf(e, level)         a valid entry maps memory (page or block) rather
 *                                 than pointing to a table
 *   ptf_table_addr(s, e)          physical address of the node a table entry points to
 *   ptf_table(s, child, va)       the table entry for a child node covering va
 *   ptf_leaf(s, pa, level, attrs) a leaf mapping pa with the caller's attributes
 *   ptf_leaf_addr(s, e, level)    physical address a leaf maps
 *   ptf_split_child(s, e, level, pa)  one entry at level-1 that maps pa with the
 *                                 attributes of the leaf e at level
 *   ptf_protect(s, e, level, attrs)   the leaf e with new attributes (address, type
 *                                 and hardware-managed state kept)
 *   ptf_leaf_ok(s, level)         a leaf may live at this level (a page at 1, a
 *                                 block/huge page where the CPU and granule allow)
 *   ptf_canonical(s, va)          the full address of a va computed from indices
 *   ptf_space_loaded(s)           the CPU uses s for its half now
 *   ptf_flush(s, va, len)         make the CPU forget stale translations of a range
 */
#ifndef KERNEL_MM_PT_FORMAT_H
#define KERNEL_MM_PT_FORMAT_H

#include "mm/pt.h"

#if defined(__x86_64__)
#include "arch/x86_64/pt_format.h"
#elif defined(__aarch64__)
#include "arch/aarch64/pt_format.h"
#else
#error "no paging format for this architecture"
#endif

#endif
