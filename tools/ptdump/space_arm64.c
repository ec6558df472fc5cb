/* SPDX-License-Identifier: MIT */
/* ptdump: AArch64 address spaces, from the debug region or from the registers and
 * RAM (ptdump.h, arm64/arm64_spaces.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm64/arm64_spaces.h"
#include "ptdump.h"
#include "region/linux_layout.h"

/* A space of root (half: PTDBG_ARM64_TTBR0 or _TTBR1) over cpu's registers. */
static void a64_space(struct pt_space *sp, const struct ptdbg_arm64_cpu *cpu, uint64_t root, unsigned half)
{
	struct ptdbg_arm64_half h0, h1;
	ptdbg_arm64_half_of(cpu, PTDBG_ARM64_TTBR0, &h0);
	ptdbg_arm64_half_of(cpu, PTDBG_ARM64_TTBR1, &h1);
	sp->a64 = true;
	sp->a64cpu = *cpu;
	sp->half = half;
	if (half)
		sp->a64cpu.ttbr1 = root;
	else
		sp->a64cpu.ttbr0 = root;
	sp->current = half ? (h1.enabled && h1.root == root) : (h0.enabled && h0.root == root);
}

/* Name, kind and how of a space the region lists with root, if it does. */
static const struct ptdbg_aspace *region_named(struct ptdbg_session *s, uint64_t root, struct pt_space *sp)
{
	const struct ptdbg_aspace *as = s->have_region ? ptdbg_region_space_by_root(&s->region, root) : NULL;
	if (!as || (as->kind != PTDBG_AS_KERNEL && as->kind != PTDBG_AS_USER))
		return NULL;
	char name[PTDBG_NAME_LEN + 1];
	ptdbg_name_copy(name, as->name, PTDBG_NAME_LEN);
	snprintf(sp->name, sizeof(sp->name), "%s", name);
	sp->kind = as->kind;
	return as;
}

/* The live CPU spaces of the region; kernel spaces are TTBR1 roots. */
static int from_region(struct ptdbg_session *s, const struct ptdbg_arm64_cpu *cpu, const char *only,
		       struct pt_space **out, size_t *n)
{
	struct pt_space *v = calloc(s->region.nspaces + 1, sizeof(*v));
	if (!v) {
		ptdbg_session_err(s, "out of memory");
		return PTDBG_EXIT_ERROR;
	}
	for (size_t i = 0; i < s->region.nspaces; i++) {
		const struct ptdbg_aspace *as = &s->region.spaces[i];
		if (!(as->flags & PTDBG_AS_F_LIVE) || (as->kind != PTDBG_AS_KERNEL && as->kind != PTDBG_AS_USER))
			continue;
		char name[PTDBG_NAME_LEN + 1];
		ptdbg_name_copy(name, as->name, PTDBG_NAME_LEN);
		if (only && strcmp(name, only))
			continue;
		struct pt_space *sp = &v[(*n)++];
		a64_space(sp, cpu, as->root & ARM64_TTBR_BADDR_MASK,
			  as->kind == PTDBG_AS_KERNEL ? PTDBG_ARM64_TTBR1 : PTDBG_ARM64_TTBR0);
		snprintf(sp->name, sizeof(sp->name), "%s", name);
		sp->kind = as->kind;
		sp->how = "region";
	}
	if (*n == 0) {
		free(v);
		if (only)
			ptdbg_session_err(s, "no CPU address space named '%s' in the debug region (ptdump region lists them)",
					  only);
		else
			ptdbg_session_err(s, "the debug region lists no live address space");
		return PTDBG_EXIT_ERROR;
	}
	*out = v;
	return 0;
}

/* A Linux guest's symbols name the roots that are tables of its image
 * (swapper_pg_dir, idmap_pg_dir, ...): the symbol at the root's address in the
 * kernel image mapping (the physical address + kimage_voffset), exactly. */
static void name_from_symbols(struct ptdbg_session *s, struct pt_space *v, size_t n)
{
	uint64_t slide;
	int rc;
	if (s->have_region || !s->syms || pt_linux_slide(s, &slide))
		return;
	const struct ptdbg_linux_layout *l = pt_linux_layout(s, &rc);
	const struct ptdbg_linux_base *b = l ? ptdbg_linux_base(l, "kimage_voffset") : NULL;
	if (!b || !b->verified)
		return;
	for (size_t i = 0; i < n; i++) {
		char sym[160];
		ptdbg_session_symbolize(s, pt_space_root(&v[i]) + b->value, sym, sizeof(sym));
		if (sym[0] && !strchr(sym, '+') && !strchr(sym, ' '))
			snprintf(v[i].name, sizeof(v[i].name), "%.47s", sym);
	}
}

static void scan_progress(void *ctx, uint64_t done, uint64_t total)
{
	pt_progress_frames(ctx, done, total);
}

int pt_a64_spaces_find(struct ptdbg_session *s, bool scan, struct pt_space **out, size_t *n,
		       bool *scanned, struct ptdbg_ram *ram, uint64_t *unreadable)
{
	struct ptdbg_arm64_cpu cpu;
	*out = NULL;
	*n = 0;
	if (scanned)
		*scanned = false;
	if (pt_a64_cpu(s, &cpu))
		return PTDBG_EXIT_ERROR;
	if (s->have_region && !scan)
		return from_region(s, &cpu, NULL, out, n);
	struct ptdbg_ram lram;
	char why[256] = "";
	const struct ptdbg_frames *fr = &s->region.hdr.frames;
	int rc = ptdbg_ram_find(s->t, s->topts.core_file, s->have_region ? fr->base_pfn : 0,
				s->have_region ? fr->count : 0, &lram, why, sizeof(why));
	if (rc) {
		if (ptdbg_link_error(rc))
			return pt_walk_error(s, rc);
		ptdbg_session_err(s, "%s", why);
		return PTDBG_EXIT_ERROR;
	}
	const char *backend = ptdbg_target_backend(s->t);
	bool link = !strcmp(backend, "gdbstub") || !strcmp(backend, "callback");
	struct pt_progress prog;
	pt_progress_start(&prog, s, "scanning RAM");
	struct ptdbg_arm64_root *roots;
	size_t nr;
	uint64_t bad = 0;
	rc = ptdbg_arm64_find_roots(s->t, s->mem, &cpu, &lram, link, scan_progress, &prog, &roots, &nr, &bad, why,
				    sizeof(why));
	pt_progress_end(&prog);
	if (rc) {
		if (rc == PTDBG_EINVAL || rc == PTDBG_ENOMEM) {
			ptdbg_session_err(s, "%s", rc == PTDBG_ENOMEM ? "out of memory" : why);
			return PTDBG_EXIT_ERROR;
		}
		return pt_walk_error(s, rc);
	}
	struct pt_space *v = calloc(nr ? nr : 1, sizeof(*v));
	if (!v) {
		free(roots);
		ptdbg_session_err(s, "out of memory");
		return PTDBG_EXIT_ERROR;
	}
	for (size_t i = 0; i < nr; i++) {
		struct pt_space *sp = &v[i];
		a64_space(sp, &cpu, roots[i].root, roots[i].half);
		sp->how = ptdbg_arm64_root_how_name(roots[i].how);
		sp->sure = roots[i].sure == PTDBG_A64_CERTAIN ? NULL : ptdbg_arm64_sure_name(roots[i].sure);
		snprintf(sp->why, sizeof(sp->why), "%s", roots[i].why);
		if (!region_named(s, roots[i].root, sp)) {
			sp->kind = roots[i].half ? PTDBG_AS_KERNEL : PTDBG_AS_USER;
			snprintf(sp->name, sizeof(sp->name), "%s=%#llx", roots[i].half ? "kernel" : "root",
				 (unsigned long long)roots[i].root);
		}
	}
	free(roots);
	name_from_symbols(s, v, nr);
	if (scanned)
		*scanned = true;
	if (ram)
		*ram = lram;
	if (unreadable)
		*unreadable = bad;
	*out = v;
	*n = nr;
	return 0;
}

int pt_a64_space_resolve(struct ptdbg_session *s, const struct pt_space_sel *sel, struct pt_space **out,
			 size_t *n)
{
	struct ptdbg_arm64_cpu cpu;
	*out = NULL;
	*n = 0;
	if (pt_a64_cpu(s, &cpu))
		return PTDBG_EXIT_ERROR;
	if (sel->as_name || sel->all) {
		if (!s->have_region) {
			ptdbg_session_err(s, "%s needs the kernel's debug region: %s", sel->all ? "--all" : "--as",
					  s->region_why);
			return PTDBG_EXIT_ERROR;
		}
		return from_region(s, &cpu, sel->as_name, out, n);
	}
	struct pt_space *sp = calloc(1, sizeof(*sp));
	if (!sp) {
		ptdbg_session_err(s, "out of memory");
		return PTDBG_EXIT_ERROR;
	}
	struct ptdbg_arm64_half h0;
	ptdbg_arm64_half_of(&cpu, PTDBG_ARM64_TTBR0, &h0);
	uint64_t root = h0.root;
	unsigned half = h0.enabled ? PTDBG_ARM64_TTBR0 : PTDBG_ARM64_TTBR1;
	if (sel->cr3) {
		if (ptdbg_parse_u64(sel->cr3, &root) || (root & ~ARM64_TTBR_BADDR_MASK)) {
			ptdbg_session_err(s, "--cr3 takes the physical address of a TTBR0 root table, not '%s'", sel->cr3);
			free(sp);
			return PTDBG_EXIT_ERROR;
		}
		half = PTDBG_ARM64_TTBR0;
		cpu.tcr &= ~ARM64_TCR_EPD0; /* a root named is walked */
	} else if (half == PTDBG_ARM64_TTBR1) {
		struct ptdbg_arm64_half h1;
		ptdbg_arm64_half_of(&cpu, PTDBG_ARM64_TTBR1, &h1);
		root = h1.root;
	}
	a64_space(sp, &cpu, root, half);
	if (!region_named(s, root, sp)) {
		sp->kind = half ? PTDBG_AS_KERNEL : PTDBG_AS_USER;
		snprintf(sp->name, sizeof(sp->name), "ttbr%u=%#llx", half, (unsigned long long)root);
		sp->how = sel->cr3 ? NULL : half ? "ttbr1" : "ttbr0";
	} else {
		sp->how = "region";
	}
	*out = sp;
	*n = 1;
	return 0;
}
