/* A minimal ELF64 loader for the embedded programs. */
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "mm/pt.h"
#include "mm/uspace.h"
#include "proc/elf_load.h"
#include "uapi/syscall.h"

struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

#define PT_LOAD 1
#if defined(__aarch64__)
#define EM_HOST 183 /* EM_AARCH64 */
#else
#define EM_HOST 62  /* EM_X86_64 */
#endif
#define PF_X 1
#define PF_W 2
#define PF_R 4

static const char *segment_name(uint32_t flags)
{
	if (flags & PF_X)
		return (flags & PF_W) ? "text+data" : "text";
	return (flags & PF_W) ? "data" : "rodata";
}

static int load_segment(struct uspace *us, const uint8_t *data, const struct elf64_phdr *ph)
{
	uint32_t prot = (ph->flags & PF_R ? PROT_READ : 0) | (ph->flags & PF_W ? PROT_WRITE : 0) |
			(ph->flags & PF_X ? PROT_EXEC : 0);
	uint64_t page = pt_page_size(&us->pt);
	uint64_t start = ph->vaddr & ~(page - 1);
	uint64_t end = (ph->vaddr + ph->memsz + page - 1) & ~(page - 1);
	int err = uspace_add_vma(us, start, end, prot, 0, segment_name(ph->flags));
	if (err)
		return err;
	for (uint64_t va = start; va < end; va += page) {
		uint64_t pa = uspace_page_alloc(us);
		if (!pa)
			return -ENOMEM;
		uint8_t *dst = phys_to_virt(pa);
		/* file bytes of this page: [max(va, vaddr), min(va+page, vaddr+filesz)) */
		uint64_t lo = va > ph->vaddr ? va : ph->vaddr;
		uint64_t hi = va + page < ph->vaddr + ph->filesz ? va + page : ph->vaddr + ph->filesz;
		if (lo < hi)
			memcpy(dst + (lo - va), data + ph->offset + (lo - ph->vaddr), hi - lo);
		err = pt_map(&us->pt, va, pa, page, uspace_prot_attrs(prot));
		uspace_page_put(us, pa);
		if (err)
			return err;
	}
	return 0;
}

/* Load the image (see elf_load.h). */
int elf_load(struct uspace *us, const uint8_t *data, uint64_t size, uint64_t *entry)
{
	const struct elf64_ehdr *eh = (const void *)data;
	if (size < sizeof(*eh) || memcmp(eh->ident, "\177ELF", 4) || eh->ident[4] != 2 ||
	    eh->machine != EM_HOST || eh->phentsize != sizeof(struct elf64_phdr) ||
	    eh->phoff + (uint64_t)eh->phnum * sizeof(struct elf64_phdr) > size)
		return -EINVAL;
	const struct elf64_phdr *ph = (const void *)(data + eh->phoff);
	for (unsigned i = 0; i < eh->phnum; i++) {
		if (ph[i].type != PT_LOAD || !ph[i].memsz)
			continue;
		if (ph[i].offset + ph[i].filesz > size || ph[i].filesz > ph[i].memsz ||
		    ph[i].vaddr + ph[i].memsz > USER_END)
			return -EINVAL;
		int err = load_segment(us, data, &ph[i]);
		if (err)
			return err;
	}
	*entry = eh->entry;
	return 0;
}
