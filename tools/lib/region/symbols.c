/* SPDX-License-Identifier: MIT */
/* Kernel ELF symbols, read with libelf, kept sorted by address and by name. */
#include "region/symbols.h"
#include "target/target.h"

#include <ptdbg/abi.h>

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct load_seg {
	uint64_t va, pa, len;
};

struct ptdbg_symbols {
	struct ptdbg_symbol *syms;     /* in the file's order; never moved */
	struct ptdbg_symbol **by_addr; /* sorted by address, then name (sort_orders) */
	struct ptdbg_symbol **by_name; /* sorted by name, then address (sort_orders) */
	size_t n;
	char *names;                   /* all names, NUL-separated */
	struct load_seg *loads;        /* PT_LOAD segments */
	size_t nloads;
	bool sorted;                   /* by_addr and by_name are filled: at the first
					  lookup that needs an order, as a command that
					  looks up a name or two (the debug region's)
					  should not pay two sorts at start-up */
};

static int cmp_addr(const void *a, const void *b)
{
	const struct ptdbg_symbol *x = *(struct ptdbg_symbol *const *)a, *y = *(struct ptdbg_symbol *const *)b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* prefer a sized function/object over an alias without size at the same address */
	if ((x->size == 0) != (y->size == 0))
		return x->size == 0 ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* By name, then address: of symbols that share a name, the lowest address first. */
static int cmp_name(const void *a, const void *b)
{
	const struct ptdbg_symbol *x = *(struct ptdbg_symbol *const *)a, *y = *(struct ptdbg_symbol *const *)b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Fill and sort by_addr and by_name, once. They are a cache of the symbols'
 * orders, which is why a lookup through a const pointer may fill them. */
static void sort_orders(const struct ptdbg_symbols *cs)
{
	struct ptdbg_symbols *s = (struct ptdbg_symbols *)cs;

	if (s->sorted)
		return;
	for (size_t i = 0; i < s->n; i++)
		s->by_addr[i] = s->by_name[i] = &s->syms[i];
	qsort(s->by_addr, s->n, sizeof(*s->by_addr), cmp_addr);
	qsort(s->by_name, s->n, sizeof(*s->by_name), cmp_name);
	s->sorted = true;
}

/* True for symbols worth naming: defined functions, objects and untyped labels
 * inside a section. Absolute symbols (linker constants such as a load address) name
 * no code or data and would label unrelated addresses. */
static bool wanted(const GElf_Sym *sym, const char *name)
{
	int type = GELF_ST_TYPE(sym->st_info);

	if (!name || !*name || sym->st_shndx == SHN_UNDEF || sym->st_shndx == SHN_ABS)
		return false;
	return type == STT_FUNC || type == STT_OBJECT || type == STT_NOTYPE;
}

/* Copy the symbols of section scn into s. Returns 0, or -1 on allocation failure. */
static int take_symbols(struct ptdbg_symbols *s, Elf *e, Elf_Scn *scn, const GElf_Shdr *sh)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	size_t count = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0, total = 0, off = 0;

	if (!d)
		return 0;
	for (int pass = 0; pass < 2; pass++) {
		size_t k = 0;

		for (size_t i = 0; i < count; i++) {
			GElf_Sym sym;
			const char *name;

			if (!gelf_getsym(d, (int)i, &sym))
				continue;
			name = elf_strptr(e, sh->sh_link, sym.st_name);
			if (!wanted(&sym, name))
				continue;
			if (pass == 0) {
				total += strlen(name) + 1;
				k++;
				continue;
			}
			strcpy(s->names + off, name);
			s->syms[k] = (struct ptdbg_symbol){ .name = s->names + off, .addr = sym.st_value,
				.size = sym.st_size, .is_func = GELF_ST_TYPE(sym.st_info) == STT_FUNC };
			off += strlen(name) + 1;
			k++;
		}
		if (pass == 0) {
			s->n = k;
			s->names = malloc(total ? total : 1);
			s->syms = calloc(k ? k : 1, sizeof(*s->syms));
			s->by_addr = calloc(k ? k : 1, sizeof(*s->by_addr));
			s->by_name = calloc(k ? k : 1, sizeof(*s->by_name));
			if (!s->names || !s->syms || !s->by_addr || !s->by_name)
				return -1;
		}
	}
	return 0;
}

struct ptdbg_symbols *ptdbg_symbols_open(const char *path, char *err, size_t errlen)
{
	struct ptdbg_symbols *s = NULL;
	Elf *e = NULL;
	Elf_Scn *scn = NULL, *symtab = NULL, *dynsym = NULL;
	GElf_Shdr sh, chosen;
	int fd;

	elf_version(EV_CURRENT);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF) {
		snprintf(err, errlen, "%s: not an ELF file", path);
		goto fail;
	}
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB && !symtab)
			symtab = scn;
		else if (sh.sh_type == SHT_DYNSYM && !dynsym)
			dynsym = scn;
	}
	if (!symtab)
		symtab = dynsym;
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	{
		size_t nph = 0;

		if (elf_getphdrnum(e, &nph) == 0 && nph) {
			s->loads = calloc(nph, sizeof(*s->loads));
			for (size_t i = 0; s->loads && i < nph; i++) {
				GElf_Phdr ph;

				if (gelf_getphdr(e, (int)i, &ph) && ph.p_type == PT_LOAD && ph.p_memsz)
					s->loads[s->nloads++] = (struct load_seg){ ph.p_vaddr, ph.p_paddr,
										   ph.p_memsz };
			}
		}
	}
	if (!symtab || !gelf_getshdr(symtab, &chosen)) {
		snprintf(err, errlen, "%s: no symbol table (stripped?)", path);
		goto fail;
	}
	if (take_symbols(s, e, symtab, &chosen)) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (s->n == 0) {
		snprintf(err, errlen, "%s: the symbol table has no usable symbols", path);
		goto fail;
	}
	elf_end(e);
	close(fd);
	return s;
fail:
	ptdbg_symbols_close(s);
	if (e)
		elf_end(e);
	close(fd);
	return NULL;
}

struct ptdbg_symbols *ptdbg_symbols_open_map(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	struct ptdbg_symbols *s = NULL;
	char line[1024];
	size_t cap = 0, ncap = 0, nlen = 0, lineno = 0;
	struct { uint64_t addr; size_t name; bool func; } *tmp = NULL;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		goto oom;
	while (fgets(line, sizeof(line), f)) {
		char type, name[512], *end;
		unsigned long long addr;
		int used = 0;

		lineno++;
		if (line[strspn(line, " \t\r\n")] == 0)
			continue;
		addr = strtoull(line, &end, 16);
		if (end == line || sscanf(end, " %c %511s%n", &type, name, &used) != 2 ||
		    end[used + strspn(end + used, " \t\r\n")] != 0) {
			snprintf(err, errlen, "%s:%zu: not a System.map line (ADDRESS TYPE NAME)", path, lineno);
			goto fail;
		}
		if (type == 'A' || type == 'a' || type == 'U' || type == 'w' || type == 'v')
			continue;
		if (s->n == cap) {
			cap = cap ? cap * 2 : 4096;
			void *p = realloc(tmp, cap * sizeof(*tmp));
			if (!p)
				goto oom;
			tmp = p;
		}
		size_t len = strlen(name) + 1;
		if (nlen + len > ncap) {
			ncap = (nlen + len) * 2;
			char *p = realloc(s->names, ncap);
			if (!p)
				goto oom;
			s->names = p;
		}
		memcpy(s->names + nlen, name, len);
		tmp[s->n].addr = addr;
		tmp[s->n].name = nlen;
		tmp[s->n].func = type == 'T' || type == 't';
		s->n++;
		nlen += len;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		goto fail;
	}
	if (s->n == 0) {
		snprintf(err, errlen, "%s: no symbols", path);
		goto fail;
	}
	s->syms = calloc(s->n, sizeof(*s->syms));
	s->by_addr = calloc(s->n, sizeof(*s->by_addr));
	s->by_name = calloc(s->n, sizeof(*s->by_name));
	if (!s->syms || !s->by_addr || !s->by_name)
		goto oom;
	for (size_t i = 0; i < s->n; i++)
		s->syms[i] = (struct ptdbg_symbol){ .name = s->names + tmp[i].name, .addr = tmp[i].addr,
						       .is_func = tmp[i].func };
	free(tmp);
	fclose(f);
	return s;
oom:
	snprintf(err, errlen, "out of memory");
fail:
	free(tmp);
	ptdbg_symbols_close(s);
	fclose(f);
	return NULL;
}

void ptdbg_symbols_close(struct ptdbg_symbols *s)
{
	if (!s)
		return;
	free(s->syms);
	free(s->by_addr);
	free(s->by_name);
	free(s->names);
	free(s->loads);
	free(s);
}

size_t ptdbg_symbols_count(const struct ptdbg_symbols *s)
{
	return s ? s->n : 0;
}

/* Index of the first name >= key (by_name order). */
static size_t lower_bound_name(const struct ptdbg_symbols *s, const char *key)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(s->by_name[mid]->name, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct ptdbg_symbol *ptdbg_symbols_by_name(const struct ptdbg_symbols *s, const char *name)
{
	size_t i;

	if (!s)
		return NULL;
	if (!s->sorted) { /* one look through them costs less than the sorts */
		const struct ptdbg_symbol *best = NULL;
		for (i = 0; i < s->n; i++) {
			const struct ptdbg_symbol *y = &s->syms[i];
			if (strcmp(y->name, name) == 0 && (!best || y->addr < best->addr))
				best = y;
		}
		return best;
	}
	i = lower_bound_name(s, name);
	return i < s->n && strcmp(s->by_name[i]->name, name) == 0 ? s->by_name[i] : NULL;
}

const struct ptdbg_symbol *ptdbg_symbols_by_addr(const struct ptdbg_symbols *s, uint64_t addr,
						 uint64_t *offset)
{
	size_t lo = 0, hi;
	const struct ptdbg_symbol *best;

	if (!s || s->n == 0)
		return NULL;
	sort_orders(s);
	hi = s->n;
	while (lo < hi) { /* first symbol above addr */
		size_t mid = lo + (hi - lo) / 2;

		if (s->by_addr[mid]->addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	best = s->by_addr[lo - 1]; /* sized symbols sort last at an address */
	if (best->size && addr - best->addr >= best->size)
		return NULL;
	if (offset)
		*offset = addr - best->addr;
	return best;
}

bool ptdbg_symbols_format(const struct ptdbg_symbols *s, uint64_t addr, char *buf, size_t len)
{
	uint64_t off = 0;
	const struct ptdbg_symbol *sym = ptdbg_symbols_by_addr(s, addr, &off);

	if (len)
		buf[0] = '\0';
	if (!sym)
		return false;
	if (off)
		snprintf(buf, len, "%s+0x%llx", sym->name, (unsigned long long)off);
	else
		snprintf(buf, len, "%s", sym->name);
	return true;
}

size_t ptdbg_symbols_complete(const struct ptdbg_symbols *s, const char *prefix,
			      const char **out, size_t max)
{
	size_t pl = strlen(prefix), n = 0;

	if (!s)
		return 0;
	sort_orders(s);
	for (size_t i = lower_bound_name(s, prefix); i < s->n; i++) {
		if (strncmp(s->by_name[i]->name, prefix, pl) != 0)
			break;
		if (i > 0 && strcmp(s->by_name[i]->name, s->by_name[i - 1]->name) == 0)
			continue; /* same name twice (local symbols of several files) */
		if (n < max)
			out[n] = s->by_name[i]->name;
		n++;
	}
	return n;
}

bool ptdbg_symbols_region(const struct ptdbg_symbols *s, uint64_t *addr)
{
	const struct ptdbg_symbol *sym = ptdbg_symbols_by_name(s, PTDBG_SYMBOL);

	if (sym)
		*addr = sym->addr;
	return sym != NULL;
}

int ptdbg_symbols_lookup(const struct ptdbg_symbols *s, const char *name, uint64_t *addr)
{
	const struct ptdbg_symbol *sym = ptdbg_symbols_by_name(s, name);

	if (!sym)
		return PTDBG_EINVAL;
	*addr = sym->addr;
	return 0;
}

int ptdbg_symbols_pa_to_va(const struct ptdbg_symbols *s, uint64_t pa, uint64_t *va)
{
	for (size_t i = 0; s && i < s->nloads; i++) {
		if (pa >= s->loads[i].pa && pa - s->loads[i].pa < s->loads[i].len) {
			*va = s->loads[i].va + (pa - s->loads[i].pa);
			return 0;
		}
	}
	return PTDBG_EINVAL;
}

int ptdbg_symbols_va_to_pa(const struct ptdbg_symbols *s, uint64_t va, uint64_t *pa)
{
	for (size_t i = 0; s && i < s->nloads; i++) {
		if (va >= s->loads[i].va && va - s->loads[i].va < s->loads[i].len) {
			*pa = s->loads[i].pa + (va - s->loads[i].va);
			return 0;
		}
	}
	return PTDBG_EINVAL;
}
