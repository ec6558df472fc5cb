/* SPDX-License-Identifier: MIT */
/* Kernel text and read-only data, for dma-maps-kernel-text (protect.h). */
#include <string.h>

#include "arm64/arm64_regs.h"
#include "arm64/arm64_spaces.h"
#include "cli/protect.h"
#include "x86/spaces.h"

/* [first, last) of the ELF symbol pair, as physical addresses. */
static int elf_range(const struct ptdbg_session *s, const char *first, const char *last, uint64_t *lo,
		     uint64_t *hi)
{
	uint64_t a, b;
	if (ptdbg_symbols_lookup(s->syms, first, &a) || ptdbg_symbols_lookup(s->syms, last, &b) || b <= a)
		return -1;
	if (ptdbg_symbols_va_to_pa(s->syms, a, lo))
		return -1;
	*hi = *lo + (b - a); /* a section's end may lie past its segment's file bytes */
	return *hi > *lo ? 0 : -1;
}

int ptdbg_session_protected(struct ptdbg_session *s, struct ptdbg_pa_set *set)
{
	static const char *const pairs[][3] = {
		{ "__text_start", "__text_end", "kernel text" },
		{ "_stext", "_etext", "kernel text" },
		{ "__rodata_start", "__rodata_end", "read-only kernel data" },
		{ "__start_rodata", "__end_rodata", "read-only kernel data" },
	};
	if (s->syms) {
		for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
			uint64_t lo, hi;
			if (elf_range(s, pairs[i][0], pairs[i][1], &lo, &hi) == 0 &&
			    !ptdbg_pa_set_overlap(set, lo, hi) &&
			    ptdbg_pa_set_add(set, lo & ~4095ull, (hi + 4095) & ~4095ull, pairs[i][2]))
				return PTDBG_ENOMEM;
		}
		if (set->n) {
			ptdbg_pa_set_sort(set);
			set->source = "the kernel ELF's sections";
			return 0;
		}
	}
	int rc = ptdbg_session_need_regs(s);
	if (rc)
		return rc;
	struct ptdbg_x86_cpu cpu;
	ptdbg_session_cpu(s, &cpu);
	uint64_t lo = 0, hi = UINT64_MAX;
	bool a64 = ptdbg_session_arch(s) == PTDBG_ARCH_AARCH64;
	set->source = "the kernel's read-only mappings";
	if (s->have_region) {
		for (size_t i = 0; i < s->region.nspaces && !a64; i++)
			if (s->region.spaces[i].kind == PTDBG_AS_KERNEL)
				cpu.cr3 = s->region.spaces[i].root & X86_PTE_ADDR_MASK;
		for (size_t i = 0; i < s->region.nmarkers; i++) {
			char name[PTDBG_NAME_LEN + 1];
			ptdbg_name_copy(name, s->region.markers[i].name, PTDBG_NAME_LEN);
			if (!strcmp(name, "kernel-image")) {
				lo = s->region.markers[i].start;
				hi = s->region.markers[i].end ? s->region.markers[i].end - 1 : UINT64_MAX;
				set->source = "the kernel's read-only mappings of its image";
			}
		}
	} else if (!a64 && !(s->regs.valid & PTDBG_REG_CR3)) {
		return 0;
	}
	if (a64) {
		/* the kernel's half is TTBR1's, the same in every space */
		struct ptdbg_arm64_cpu acpu;
		ptdbg_arm64_cpu_from_regs(&acpu, &s->regs);
		if (ptdbg_arm64_regs_missing(&s->regs) & PTDBG_REG_TTBR1)
			return 0;
		rc = ptdbg_arm64_kernel_readonly(s->mem, &acpu, lo, hi, set);
	} else {
		rc = ptdbg_x86_kernel_readonly(s->mem, &cpu, lo, hi, set);
	}
	return ptdbg_link_error(rc) ? rc : 0;
}
