/* SPDX-License-Identifier: MIT */
/* Linux arm64's layout from its symbols and running tables; see arm64_linux.h. */
#include "arm64/arm64_linux.h"
#include "region/btf.h"
#include "target/target.h"

#include <stdlib.h>
#include <string.h>

#define MiB (1ull << 20)
#define BTF_MAX (64 * MiB)
#define MAX_CANDIDATES 4096

struct ctx {
	struct ptdbg_mem *mem;
	const struct ptdbg_arm64_cpu *cpu;
	const struct ptdbg_symbols *syms;
	struct ptdbg_linux_layout *l;
	unsigned va_bits, page_shift;
	int64_t text_off;
	bool text_ok;
	uint64_t text_pa;         /* physical address of _text */
	int link;
};

static bool sym(const struct ctx *c, const char *name, uint64_t *addr)
{
	return ptdbg_symbols_lookup(c->syms, name, addr) == 0;
}

/* Read len bytes at va as EL1 would; true if all were read. */
static bool vread(struct ctx *c, uint64_t va, void *buf, size_t len)
{
	struct ptdbg_translation why;
	int link = 0;
	size_t n = ptdbg_arm64_read_virt(c->mem, c->cpu, va, buf, len, &why, &link);
	if (link)
		c->link = link;
	return n == len;
}

/* The physical address va translates to; false if none. */
static bool vpa(struct ctx *c, uint64_t va, uint64_t *pa)
{
	struct ptdbg_translation tr;
	int rc = ptdbg_arm64_translate(c->mem, c->cpu, va, 0, &tr, NULL);
	if (rc) {
		c->link = rc;
		return false;
	}
	if (tr.stop != PTDBG_STOP_OK)
		return false;
	*pa = tr.pa;
	return true;
}

/* Whether linux_banner reads "Linux version" with the text offset off. */
static bool banner_at(struct ctx *c, int64_t off)
{
	uint64_t banner;
	char got[16] = "";
	return sym(c, "linux_banner", &banner) && vread(c, banner + (uint64_t)off, got, 13) &&
	       !memcmp(got, "Linux version", 13);
}

/* Starts of EL1-executable ranges in TTBR1's half, for the fallback. */
struct exec_starts {
	uint64_t v[MAX_CANDIDATES];
	size_t n;
	uint64_t end;  /* end of the last executable leaf seen */
};

static int exec_visit(void *ctx, const struct ptdbg_walk_event *ev)
{
	struct exec_starts *e = ctx;
	if (ev->kind != PTDBG_EV_LEAF || (ev->perm.flags & (PTDBG_ARM64_PERM_PXN | PTDBG_ARM64_PERM_UR)))
		return 0;
	if (ev->va != e->end && e->n < MAX_CANDIDATES)
		e->v[e->n++] = ev->va;
	e->end = ev->va + ev->size;
	return e->n < MAX_CANDIDATES ? 0 : 1;
}

static void find_text(struct ctx *c)
{
	struct ptdbg_linux_base *b = ptdbg_linux_add_base(c->l, "text_offset");
	uint64_t text, stext, vectors;
	if (!sym(c, "_text", &text)) {
		snprintf(b->how, sizeof(b->how), "the symbols have no _text");
		return;
	}
	b->link = text;
	char how[PTDBG_LINUX_HOW_LEN] = "";
	if ((c->cpu->valid & PTDBG_ARM64_HAVE_VBAR) && sym(c, "vectors", &vectors)) {
		int64_t off = (int64_t)(c->cpu->vbar - vectors);
		uint64_t banner = 0;
		sym(c, "linux_banner", &banner);
		if (banner_at(c, off)) {
			c->text_off = off;
			c->text_ok = true;
			snprintf(b->how, sizeof(b->how), "VBAR_EL1 0x%llx less vectors 0x%llx; linux_banner at 0x%llx "
				 "reads \"Linux version\"", (unsigned long long)c->cpu->vbar,
				 (unsigned long long)vectors, (unsigned long long)(banner + (uint64_t)off));
		} else {
			snprintf(how, sizeof(how), "VBAR_EL1 0x%llx less vectors does not place linux_banner; ",
				 (unsigned long long)c->cpu->vbar);
		}
	}
	if (c->link)
		return;
	if (!c->text_ok && sym(c, "_stext", &stext)) {
		struct ptdbg_walk_space sp;
		struct exec_starts *e = calloc(1, sizeof(*e));
		if (e && ptdbg_arm64_space(&sp, c->cpu, PTDBG_ARM64_TTBR1) == 0) {
			struct ptdbg_walk_opts wo = { .max_leaves = 1u << 20 };
			int rc = ptdbg_walk(c->mem, &sp, &wo, exec_visit, e, NULL);
			if (rc < 0 && ptdbg_link_error(rc))
				c->link = rc;
			for (size_t i = 0; i < e->n && !c->text_ok && !c->link; i++) {
				int64_t off = (int64_t)(e->v[i] - stext);
				if (banner_at(c, off)) {
					c->text_off = off;
					c->text_ok = true;
					snprintf(b->how, sizeof(b->how), "%sthe EL1-executable range at 0x%llx less _stext "
						 "0x%llx; linux_banner there reads \"Linux version\"", how,
						 (unsigned long long)e->v[i], (unsigned long long)stext);
				}
			}
		}
		free(e);
	}
	if (!c->text_ok) {
		if (!c->link)
			snprintf(b->how, sizeof(b->how), "%sno executable range of TTBR1's tables holds this kernel's "
				 "linux_banner where the symbols put it: the symbols are not this kernel's", how);
		return;
	}
	b->found = b->verified = true;
	b->value = (uint64_t)c->text_off;
	/* _text's frame, from the text segment's: [_text, _stext) (the image header) is
	 * not mapped with the image, and vmalloc() may have reused its addresses */
	if (sym(c, "_stext", &stext) && stext >= text && vpa(c, stext + (uint64_t)c->text_off, &c->text_pa))
		c->text_pa -= stext - text;
	else if (!vpa(c, text + (uint64_t)c->text_off, &c->text_pa))
		c->text_pa = 0;
	uint64_t banner;
	char *bn = c->l->banner;
	if (sym(c, "linux_banner", &banner) && vread(c, banner + (uint64_t)c->text_off, bn, sizeof(c->l->banner) - 1)) {
		bn[sizeof(c->l->banner) - 1] = 0;
		bn[strcspn(bn, "\n")] = 0;
	}
}

/* A 64-bit variable of the kernel at its relocated address, as a base. */
static bool read_var(struct ctx *c, const char *name, uint64_t *v)
{
	struct ptdbg_linux_base *b = ptdbg_linux_add_base(c->l, name);
	uint64_t link;
	if (!sym(c, name, &link)) {
		snprintf(b->how, sizeof(b->how), "the symbols have no %s", name);
		return false;
	}
	b->link = link;
	uint64_t va = link + (uint64_t)c->text_off;
	if (!vread(c, va, v, sizeof(*v))) {
		snprintf(b->how, sizeof(b->how), "%s at 0x%llx could not be read through the tables", name,
			 (unsigned long long)va);
		return false;
	}
	b->found = true;
	b->value = *v;
	snprintf(b->how, sizeof(b->how), "read from %s at 0x%llx (0x%llx + the text offset)", name,
		 (unsigned long long)va, (unsigned long long)link);
	return true;
}

static struct ptdbg_linux_base *base_named(struct ptdbg_linux_layout *l, const char *name)
{
	for (size_t i = 0; i < l->nbases; i++)
		if (!strcmp(l->bases[i].name, name))
			return &l->bases[i];
	return NULL;
}

static void append(struct ptdbg_linux_base *b, const char *what)
{
	size_t n = strlen(b->how);
	snprintf(b->how + n, sizeof(b->how) - n, "%s", what);
}

/* FIXADDR_START from the count of permanent fixmap slots in the kernel's BTF. */
static void find_fixmap(struct ctx *c, uint64_t fixaddr_top)
{
	struct ptdbg_linux_base *b = ptdbg_linux_add_base(c->l, "fixaddr_start");
	uint64_t s, e;
	if (!sym(c, "__start_BTF", &s) || !sym(c, "__stop_BTF", &e) || e <= s) {
		snprintf(b->how, sizeof(b->how), "the symbols have no __start_BTF/__stop_BTF (no CONFIG_DEBUG_INFO_BTF)");
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
		b->value = fixaddr_top - ((uint64_t)n << c->page_shift);
		snprintf(b->how, sizeof(b->how), "FIXADDR_TOP 0x%llx less %lld pages: "
			 "__end_of_permanent_fixed_addresses from the kernel's BTF (%llu bytes at 0x%llx)",
			 (unsigned long long)fixaddr_top, (long long)n, (unsigned long long)(e - s),
			 (unsigned long long)(s + (uint64_t)c->text_off));
	}
	free(buf);
}

int ptdbg_arm64_linux_layout(struct ptdbg_mem *mem, const struct ptdbg_arm64_cpu *cpu,
			     const struct ptdbg_symbols *syms, struct ptdbg_linux_layout *l)
{
	struct ptdbg_arm64_half h1;
	ptdbg_arm64_half_of(cpu, PTDBG_ARM64_TTBR1, &h1);
	ptdbg_linux_layout_init(l, "arm64", h1.top);
	struct ctx c = { .mem = mem, .cpu = cpu, .syms = syms, .l = l, .va_bits = h1.va_bits,
			 .page_shift = h1.gshift };
	uint64_t a;
	if (!syms) {
		snprintf(l->why, sizeof(l->why), "no Linux symbols (-k vmlinux or --system-map System.map): nothing "
			 "labelled; KASLR moves the kernel image%s", (cpu->valid & PTDBG_ARM64_HAVE_VBAR)
			 ? " (VBAR_EL1 says where its vectors are, but not whose they are)" : "");
		return 0;
	}
	if (!sym(&c, "linux_banner", &a) || !sym(&c, "_text", &a)) {
		snprintf(l->why, sizeof(l->why), "the symbols are not a Linux kernel's (no linux_banner or _text): "
			 "nothing labelled");
		return 0;
	}
	if (!h1.enabled) {
		snprintf(l->why, sizeof(l->why), "TTBR1's walks are disabled (TCR_EL1.EPD1): there is no kernel half "
			 "to label");
		return 0;
	}
	find_text(&c);
	if (c.link)
		return c.link;
	if (!c.text_ok) {
		snprintf(l->why, sizeof(l->why), "the kernel image was not found in the running tables: nothing labelled");
		return 0;
	}
	uint64_t memstart = 0, voff = 0, text;
	sym(&c, "_text", &text);
	bool have_memstart = read_var(&c, "memstart_addr", &memstart);
	if (read_var(&c, "kimage_voffset", &voff) && c.text_pa &&
	    text + (uint64_t)c.text_off - voff == c.text_pa) {
		struct ptdbg_linux_base *b = base_named(l, "kimage_voffset");
		b->verified = true;
		append(b, "; _text less it is the frame the tables map _text to");
	}
	if (c.link)
		return c.link;

	unsigned vb = c.va_bits, ps = c.page_shift;
	uint64_t page_offset = ~0ull << vb, page_end = ~0ull << (vb - 1);
	unsigned vmemmap_shift = ps - 6; /* STRUCT_PAGE_MAX_SHIFT: a 64-byte struct page */
	uint64_t vmemmap = ~0ull << (vb - vmemmap_shift);
	uint64_t vmemmap_size = (page_end - page_offset) >> vmemmap_shift;
	uint64_t modules = page_end, modules_end = modules + 128 * MiB;
	uint64_t vmalloc_end = vmemmap - 256 * MiB;
	uint64_t pci_io_end = vmemmap - 8 * MiB, pci_io = pci_io_end - 16 * MiB;
	uint64_t fixaddr_top = vmemmap - 32 * MiB;

	struct ptdbg_linux_base *b = ptdbg_linux_add_base(l, "page_offset");
	b->found = true;
	b->value = page_offset;
	snprintf(b->how, sizeof(b->how), "-(1 << VA_BITS) with VA_BITS %u, TTBR1's input size (64 - TCR_EL1.T1SZ)", vb);
	uint64_t pa;
	if (have_memstart && c.text_pa >= memstart && vpa(&c, page_offset + (c.text_pa - memstart), &pa) &&
	    pa == c.text_pa) {
		b->verified = true;
		append(b, "; it + _text's physical address - memstart_addr maps that frame");
	}
	b = ptdbg_linux_add_base(l, "vmemmap_start");
	b->found = true;
	b->value = vmemmap;
	snprintf(b->how, sizeof(b->how), "-(1 << (VA_BITS - %u)): a %u-byte struct page per %u KiB page", vmemmap_shift,
		 64u, 1u << (ps - 10));
	if (have_memstart && c.text_pa >= memstart &&
	    vpa(&c, vmemmap + ((c.text_pa - memstart) >> ps) * 64, &pa)) {
		b->verified = true;
		append(b, "; the struct page of _text's frame is mapped there");
	}
	find_fixmap(&c, fixaddr_top);
	if (c.link)
		return c.link;

	ptdbg_linux_add_marker(l, page_offset, "Linear Mapping start");
	ptdbg_linux_add_marker(l, page_end, "Linear Mapping end");
	if (sym(&c, "kasan_early_shadow_page", &a))
		ptdbg_linux_note(l, "Kasan shadow start/end left out: KASAN moves the modules and shadow regions, "
				 "which this layout does not place");
	ptdbg_linux_add_marker(l, modules, "Modules start");
	ptdbg_linux_add_marker(l, modules_end, "Modules end");
	ptdbg_linux_add_marker(l, modules_end, "vmalloc() area");
	ptdbg_linux_add_marker(l, vmalloc_end, "vmalloc() end");
	const struct ptdbg_linux_base *fix = ptdbg_linux_base(l, "fixaddr_start");
	if (fix && fix->found)
		ptdbg_linux_add_marker(l, fix->value, "Fixmap start");
	else
		ptdbg_linux_note(l, "Fixmap start left out: %s", fix ? fix->how : "unknown");
	ptdbg_linux_add_marker(l, fixaddr_top, "Fixmap end");
	ptdbg_linux_add_marker(l, pci_io, "PCI I/O start");
	ptdbg_linux_add_marker(l, pci_io_end, "PCI I/O end");
	ptdbg_linux_add_marker(l, vmemmap, "vmemmap start");
	ptdbg_linux_add_marker(l, vmemmap + vmemmap_size, "vmemmap end");
	ptdbg_linux_layout_finish(l);
	l->valid = true;
	snprintf(l->why, sizeof(l->why), "from the kernel's symbols and the running tables, for Linux 5.11 to 6.1's "
		 "arm64 layout (KASLR text offset 0x%llx)", (unsigned long long)c.text_off);
	return 0;
}
