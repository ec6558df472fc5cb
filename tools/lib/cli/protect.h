/* SPDX-License-Identifier: MIT */
/*
 * The frames a device must not be able to write, for the check kind
 * dma-maps-kernel-text of both tools: kernel text and read-only kernel data.
 * From the kernel ELF's section bounds when -k gives one (__text_start/__text_end,
 * __rodata_start/__rodata_end, or Linux's _stext/_etext, __start_rodata/__end_rodata,
 * through its PT_LOAD segments), else from the kernel's own page tables: the
 * supervisor mappings it does not let itself write, inside the region's
 * kernel-image marker when there is one, else anywhere in the kernel half (on
 * AArch64: TTBR1's half, EL1-only mappings EL1 may not write).
 */
#ifndef PTDBG_PROTECT_H
#define PTDBG_PROTECT_H

#include "cli/session.h"
#include "walk/rmap.h"

/* Fill set (empty) for the attached session s; set->source says where from.
 * Returns 0 or a link error. */
int ptdbg_session_protected(struct ptdbg_session *s, struct ptdbg_pa_set *set);

#endif /* PTDBG_PROTECT_H */
