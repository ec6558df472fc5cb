/* SPDX-License-Identifier: MIT */
/*
 * Kernel ELF symbols (libelf): address -> "name+0x10", name -> address, prefix
 * completion for a shell, and the address of the debug region (PTDBG_SYMBOL).
 */
#ifndef PTDBG_SYMBOLS_H
#define PTDBG_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ptdbg_symbol {
	const char *name;
	uint64_t addr;
	uint64_t size;   /* 0: unknown */
	bool is_func;
};

struct ptdbg_symbols;

/* Load the symbol table of an ELF file (.symtab, else .dynsym). NULL on failure with
 * one line in err: not an ELF, no symbols, unreadable. */
struct ptdbg_symbols *ptdbg_symbols_open(const char *path, char *err, size_t errlen);
/* Load the symbols of a System.map ("ffffffff81000000 T _text" a line, as nm prints
 * them). Absolute and undefined symbols are left out, as in an ELF. NULL on failure
 * with one line in err: unreadable, a line that is not a symbol, no symbols. */
struct ptdbg_symbols *ptdbg_symbols_open_map(const char *path, char *err, size_t errlen);
void ptdbg_symbols_close(struct ptdbg_symbols *s);
size_t ptdbg_symbols_count(const struct ptdbg_symbols *s);

/* The symbol named name, or NULL. */
const struct ptdbg_symbol *ptdbg_symbols_by_name(const struct ptdbg_symbols *s, const char *name);

/* The symbol covering addr (the nearest one at or below addr whose size, if known,
 * covers it), with *offset = addr - symbol address; NULL if none. */
const struct ptdbg_symbol *ptdbg_symbols_by_addr(const struct ptdbg_symbols *s, uint64_t addr,
						 uint64_t *offset);

/* Format addr as "name" or "name+0x10" into buf; false (buf = "") if no symbol. */
bool ptdbg_symbols_format(const struct ptdbg_symbols *s, uint64_t addr, char *buf, size_t len);

/* Names starting with prefix, in name order: up to max pointers into out (owned by s).
 * Returns the total number of matches (may exceed max). */
size_t ptdbg_symbols_complete(const struct ptdbg_symbols *s, const char *prefix,
			      const char **out, size_t max);

/* Address of symbol name: 0, or PTDBG_EINVAL if there is no such symbol. */
int ptdbg_symbols_lookup(const struct ptdbg_symbols *s, const char *name, uint64_t *addr);

/* Physical address of kernel virtual address va, from the ELF's PT_LOAD segments
 * (p_vaddr -> p_paddr): 0, or PTDBG_EINVAL if no segment holds va. */
int ptdbg_symbols_va_to_pa(const struct ptdbg_symbols *s, uint64_t va, uint64_t *pa);

/* The reverse: the kernel virtual address the ELF loads physical address pa at
 * (p_paddr -> p_vaddr): 0, or PTDBG_EINVAL if no segment holds pa. */
int ptdbg_symbols_pa_to_va(const struct ptdbg_symbols *s, uint64_t pa, uint64_t *va);

/* Address of the debug region symbol; false if the ELF has none. */
bool ptdbg_symbols_region(const struct ptdbg_symbols *s, uint64_t *addr);

#endif /* PTDBG_SYMBOLS_H */
