/* SPDX-License-Identifier: MIT */
/* Linux x86-64's layout from its symbols and running tables; see x86_linux.h. */
#include "x86/x86_linux.h"
#include "region/btf.h"
#include "target/target.h"

#include <stdlib.h>
#include <string.h>

/* Defaults of a kernel without CONFIG_DYNAMIC_MEMORY_LAYOUT (page_64_types.h,
 * pgtable_64_types.h), [0] for 4 levels, [1] for 5. */
static const uint64_t page_offset_default[2] = { 0xffff888000000000ull, 0xff11000000000000ull };
static const uint64_t vmalloc_default[2] = { 0xffffc90000000000ull, 0xffa0000000000000ull };
static const uint64_t vmemmap_default[2] = { 0xffffea0000000000ull, 0xffd4000000000000ull };

#define GiB (1ull << 30)
#define MiB (1ull << 20)
#define BTF_MAX (64 * MiB)

struct ctx {
	struct ptdbg_mem *mem;
	struct ptdbg_walk_space sp;
	const struct ptdbg_x86_cpu *cpu;
	const struct ptdbg_symbols *syms;
	struct ptdbg_linux_layout *l;
	int64_t text_off;
	bool text_ok;
	int link;
};

static bool sym(const struct ctx *c, const char *name, uint64_t *addr)
{
	return ptdbg_symbols_lookup(c->syms, name, addr) == 0;
}

static bool has(const struct ctx *c, const char *name)
{
	uint64_t a;
	return sym(c, name, &a);
}

/* Read len bytes at virtual address va; true if all were read. */
static bool vread(struct ctx *c, uint64_t va, void *buf, size_t len)
{
	int link = 0;
	size_t n = ptdbg_read_virt(c->mem, &c->sp, va, 0, buf, len, NULL, &link);
	if (link)
		c->link = link;
	return n == len;
}

/* First leaf of a walk: its address, and stop the walk. */
struct first_leaf {
	uint64_t va;
	bool found;
};

static int first_leaf_visit(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct first_leaf *f = ctx;
	if (ev->kind != PTDBG_EV_LEAF)
		return 0;
	f->va = ev->va;
	f->found = true;
	return 1;
}

/* The KASLR text offset: where the high kernel mapping begins, less _text. */
static void find_text(struct ctx *c)
{
	struct ptdbg_linux_base *b = ptdbg_linux_add_base(c->l, "text_offset");
	uint64_t text, banner;
	if (!sym(c, "_text", &text) || !sym(c, "linux_banner", &banner)) {
		snprintf(b->how, sizeof(b->how), "the symbols have no _text or no linux_banner");
		return;
	}
	b->link = text;
	struct ptdbg_x86_walk_cfg cfg = { .cpu = *c->cpu, .va_filter = true,
		.va_first = PTDBG_LINUX_START_KERNEL_MAP, .va_last = PTDBG_LINUX_START_KERNEL_MAP + GiB - 1 };
	struct first_leaf f = { 0 };
	int rc = ptdbg_x86_walk(c->mem, &cfg, first_leaf_visit, &f, NULL);
	if (rc < 0 && ptdbg_link_error(rc)) {
		c->link = rc;
		return;
	}
	if (!f.found) {
		snprintf(b->how, sizeof(b->how), "nothing is mapped in the high kernel mapping at 0x%llx",
			 (unsigned long long)PTDBG_LINUX_START_KERNEL_MAP);
		return;
	}
	int64_t off = (int64_t)(f.va - text);
	char got[16] = "";
	if (!vread(c, banner + (uint64_t)off, got, 13) || memcmp(got, "Linux version", 13)) {
		snprintf(b->how, sizeof(b->how),
			 "the high kernel mapping starts at 0x%llx, but linux_banner at 0x%llx + 0x%llx does not "
			 "read \"Linux version\": the symbols are not this kernel's", (unsigned long long)f.va,
			 (unsigned long long)banner, (unsigned long long)off);
		return;
	}
	c->text_off = off;
	c->text_ok = true;
	b->found = b->verified = true;
	b->value = (uint64_t)off;
	struct ptdbg_translation tr;
	uint64_t pa = 0;
	if (ptdbg_translate(c->mem, &c->sp, f.va, 0, &tr) == 0 && tr.stop == PTDBG_STOP_OK)
		pa = tr.pa;
	snprintf(b->how, sizeof(b->how),
		 "the high kernel mapping's first page 0x%llx (physical 0x%llx) less _text 0x%llx; "
		 "linux_banner at 0x%llx reads \"Linux version\"", (unsigned long long)f.va,
		 (unsigned long long)pa, (unsigned long long)text, (unsigned long long)(banner + (uint64_t)off));
	/* the banner for the report, up to its newline */
	char *bn = c->l->banner;
	if (vread(c, banner + (uint64_t)off, bn, sizeof(c->l->banner) - 1)) {
		bn[sizeof(c->l->banner) - 1] = 0;
		bn[strcspn(bn, "\n")] = 0;
	} else {
		memcpy(bn, "Linux version", 14);
	}
}

/* A base that is a variable in the kernel's data: read it at its relocated address,
 * or fall back to the static default when the kernel has no such variable. */
static uint64_t find_var(struct ctx *c, const char *name, uint64_t dflt)
{
	struct ptdbg_linux_base *b = ptdbg_linux_add_base(c->l, name);
	uint64_t link, v;
	if (!sym(c, name, &link)) {
		b->found = true;
		b->value = dflt;
		snprintf(b->how, sizeof(b->how), "the static default: the symbols have no %s "
			 "(a kernel without CONFIG_DYNAMIC_MEMORY_LAYOUT)", name);
		return dflt;
	}
	b->link = link;
	if (!c->text_ok) {
		snprintf(b->how, sizeof(b->how), "not read: the text offset is unknown");
		return 0;
	}
	uint64_t va = link + (uint64_t)c->text_off;
	if (!vread(c, va, &v, sizeof(v))) {
		snprintf(b->how, sizeof(b->how), "%s at 0x%llx could not be read through the tables", name,
			 (unsigned long long)va);
		return 0;
	}
	if (!ptdbg_x86_is_canonical(c->cpu, v) || !(v >> 63) || v >= PTDBG_LINUX_CPU_ENTRY_AREA) {
		snprintf(b->how, sizeof(b->how), "%s at 0x%llx holds 0x%llx, which is no kernel address",
			 name, (unsigned long long)va, (unsigned long long)v);
		return 0;
	}
	b->found = true;
	b->value = v;
	snprintf(b->how, sizeof(b->how), "read from %s at 0x%llx (0x%llx + the text offset)", name,
		 (unsigned long long)va, (unsigned long long)link);
	return v;
}

/* page_offset_base maps physical 0: the alias of _text's frame must translate to it. */
static void verify_page_offset(struct ctx *c)
{
	struct ptdbg_linux_base *b = NULL;
	for (size_t i = 0; i < c->l->nbases; i++)
		if (!strcmp(c->l->bases[i].name, "page_offset_base"))
			b = &c->l->bases[i];
	uint64_t text;
	struct ptdbg_translation t1, t2;
	if (!b || !b->found || !c->text_ok || !sym(c, "_text", &text))
		return;
	if (ptdbg_translate(c->mem, &c->sp, text + (uint64_t)c->text_off, 0, &t1) || t1.stop != PTDBG_STOP_OK)
		return;
	if (ptdbg_translate(c->mem, &c->sp, b->value + t1.pa, 0, &t2) || t2.stop != PTDBG_STOP_OK ||
	    t2.pa != t1.pa)
		return;
	b->verified = true;
	size_t n = strlen(b->how);
	snprintf(b->how + n, sizeof(b->how) - n, "; it + _text's physical 0x%llx maps that frame",
		 (unsigned long long)t1.pa);
}

/* FIXADDR_START from the count of permanent fixmap slots in the kernel's BTF. */
static void find_fixmap(struct ctx *c)
{
	struct ptdbg_linux_base *b = ptdbg_linux_add_base(c->l, "fixaddr_start");
	uint64_t s, e;
	if (!sym(c, "__start_BTF", &s) || !sym(c, "__stop_BTF", &e) || e <= s) {
		snprintf(b->how, sizeof(b->how), "the symbols have no __start_BTF/__stop_BTF (no CONFIG_DEBUG_INFO_BTF)");
		return;
	}
	if (!c->text_ok) {
		snprintf(b->how, sizeof(b->how), "not read: the text offset is unknown");
		return;
	}
	if (e - s > BTF_MAX) {
		snprintf(b->how, sizeof(b->how), "the kernel's BTF is %llu bytes, more than it reads",
			 (unsigned long long)(e - s));
		return;
	}
	uint8_t *buf = malloc(e - s);
	int64_t n = 0;
	if (!buf) {
		snprintf(b->how, sizeof(b->how), "out of memory");
		return;
	}
	if (!vread(c, s + (uint64_t)c->text_off, buf, e - s)) {
		snprintf(b->how, sizeof(b->how), "the kernel's BTF at 0x%llx could not be read",
			 (unsigned long long)(s + (uint64_t)c->text_off));
	} else if (ptdbg_btf_enum_value(buf, e - s, "__end_of_permanent_fixed_addresses", &n) || n <= 0 ||
		   n > 1 << 20) {
		snprintf(b->how, sizeof(b->how), "the kernel's BTF has no __end_of_permanent_fixed_addresses");
	} else {
		b->found = true;
		b->value = PTDBG_LINUX_FIXADDR_TOP - ((uint64_t)n << 12);
		snprintf(b->how, sizeof(b->how), "FIXADDR_TOP 0x%llx less %lld pages: "
			 "__end_of_permanent_fixed_addresses from the kernel's BTF (%llu bytes at 0x%llx)",
			 (unsigned long long)PTDBG_LINUX_FIXADDR_TOP, (long long)n, (unsigned long long)(e - s),
			 (unsigned long long)(s + (uint64_t)c->text_off));
	}
	free(buf);
}

int ptdbg_x86_linux_layout(struct ptdbg_mem *mem, const struct ptdbg_x86_cpu *cpu,
			   const struct ptdbg_symbols *syms, struct ptdbg_linux_layout *l)
{
	unsigned levels = ptdbg_x86_levels(cpu), l5 = levels == 5;
	struct ctx c = { .mem = mem, .cpu = cpu, .syms = syms, .l = l };

	ptdbg_linux_layout_init(l, "x86-64", levels);
	if (!syms) {
		/* KASLR moves every base but the high kernel mapping: guess no more than
		 * whether the tables look like Linux's, and label nothing */
		struct ptdbg_x86_walk_cfg cfg = { .cpu = *cpu, .va_filter = true,
			.va_first = PTDBG_LINUX_START_KERNEL_MAP, .va_last = PTDBG_LINUX_START_KERNEL_MAP + GiB - 1 };
		struct first_leaf f = { 0 };
		int rc = ptdbg_x86_walk(mem, &cfg, first_leaf_visit, &f, NULL);
		if (rc < 0 && ptdbg_link_error(rc))
			return rc;
		if (f.found)
			snprintf(l->why, sizeof(l->why), "no Linux symbols (-k vmlinux or --system-map System.map): "
				 "nothing labelled; a kernel image is mapped at 0x%llx, in Linux's high kernel "
				 "mapping, so this may be Linux, but its other bases move with KASLR",
				 (unsigned long long)f.va);
		else
			snprintf(l->why, sizeof(l->why), "no Linux symbols (-k vmlinux or --system-map System.map), "
				 "and nothing mapped in Linux's high kernel mapping: no layout assumed, nothing labelled");
		return 0;
	}
	if (!has(&c, "linux_banner") || !has(&c, "_text")) {
		snprintf(l->why, sizeof(l->why), "the symbols are not a Linux kernel's (no linux_banner or _text): "
			 "nothing labelled");
		return 0;
	}
	ptdbg_x86_space(&c.sp, cpu, 0);
	find_text(&c);
	if (c.link)
		return c.link;
	if (!c.text_ok) {
		snprintf(l->why, sizeof(l->why), "the kernel image was not found in the running tables: nothing labelled");
		return 0;
	}
	uint64_t po = find_var(&c, "page_offset_base", page_offset_default[l5]);
	uint64_t vm = find_var(&c, "vmalloc_base", vmalloc_default[l5]);
	uint64_t vmm = find_var(&c, "vmemmap_base", vmemmap_default[l5]);
	verify_page_offset(&c);
	find_fixmap(&c);
	if (c.link)
		return c.link;

	ptdbg_linux_add_marker(l, 0, "User Space");
	ptdbg_linux_add_marker(l, 1ull << 63, "Kernel Space");
	if (has(&c, "__x64_sys_modify_ldt") || has(&c, "sys_modify_ldt"))
		ptdbg_linux_add_marker(l, (uint64_t)(l5 ? -112 : -240) << (l5 ? 48 : 39), "LDT remap");
	if (po)
		ptdbg_linux_add_marker(l, po, "Low Kernel Mapping");
	else
		ptdbg_linux_note(l, "Low Kernel Mapping left out: page_offset_base unknown");
	if (vm)
		ptdbg_linux_add_marker(l, vm, "vmalloc() Area");
	else
		ptdbg_linux_note(l, "vmalloc() Area left out: vmalloc_base unknown");
	if (vmm)
		ptdbg_linux_add_marker(l, vmm, "Vmemmap");
	else
		ptdbg_linux_note(l, "Vmemmap left out: vmemmap_base unknown");
	if (has(&c, "kasan_early_shadow_page")) {
		/* KASAN_SHADOW_OFFSET is Kconfig's default; the shadow covers the VA space
		 * scaled down by 8 (kasan.h) */
		unsigned vbits = l5 ? 56 : 47;
		uint64_t start = 0xdffffc0000000000ull + ((~0ull << vbits) >> 3);
		ptdbg_linux_add_marker(l, start, "KASAN shadow");
		ptdbg_linux_add_marker(l, start + (1ull << (vbits - 3)), "KASAN shadow end");
		ptdbg_linux_note(l, "KASAN shadow placed with the default CONFIG_KASAN_SHADOW_OFFSET 0xdffffc0000000000");
	}
	ptdbg_linux_add_marker(l, PTDBG_LINUX_CPU_ENTRY_AREA, "CPU entry Area");
	if (has(&c, "init_espfix_bsp"))
		ptdbg_linux_add_marker(l, PTDBG_LINUX_ESPFIX_BASE, "ESPfix Area");
	if (has(&c, "efi_enter_virtual_mode"))
		ptdbg_linux_add_marker(l, PTDBG_LINUX_EFI_VA_END, "EFI Runtime Services");
	ptdbg_linux_add_marker(l, PTDBG_LINUX_START_KERNEL_MAP, "High Kernel Mapping");
	/* KERNEL_IMAGE_SIZE is 1 GiB with CONFIG_RANDOMIZE_BASE, 512 MiB without */
	bool kaslr = has(&c, "kaslr_get_random_long");
	ptdbg_linux_add_marker(l, PTDBG_LINUX_START_KERNEL_MAP + (kaslr ? GiB : 512 * MiB), "Modules");
	ptdbg_linux_add_marker(l, PTDBG_LINUX_MODULES_END, "End Modules");
	const struct ptdbg_linux_base *fix = ptdbg_linux_base(l, "fixaddr_start");
	if (fix && fix->found)
		ptdbg_linux_add_marker(l, fix->value, "Fixmap Area");
	else
		ptdbg_linux_note(l, "Fixmap Area left out: its start is a build-time constant (%s)",
				 fix ? fix->how : "unknown");
	ptdbg_linux_layout_finish(l);
	l->valid = true;
	snprintf(l->why, sizeof(l->why), "from the kernel's symbols and the running tables "
		 "(KASLR text offset 0x%llx)", (unsigned long long)c.text_off);
	return 0;
}
