/* SPDX-License-Identifier: MIT */
/* Where a guest's RAM is: core-file segments, QEMU's memory map, the region's frames. */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "target/ram.h"

void ptdbg_ram_add(struct ptdbg_ram *ram, uint64_t pa, uint64_t len)
{
	uint64_t a = (pa + 4095) & ~4095ull;
	uint64_t end = pa + len < pa ? UINT64_MAX & ~4095ull : (pa + len) & ~4095ull;
	if (end <= a)
		return;
	size_t i = 0;
	while (i < ram->n && ram->r[i].pa + ram->r[i].len < a)
		i++;
	if (i < ram->n && ram->r[i].pa <= end) {
		/* overlaps or touches r[i]: grow it, then swallow the ones it reaches */
		uint64_t lo = a < ram->r[i].pa ? a : ram->r[i].pa;
		uint64_t hi = end > ram->r[i].pa + ram->r[i].len ? end : ram->r[i].pa + ram->r[i].len;
		size_t j = i + 1;
		while (j < ram->n && ram->r[j].pa <= hi) {
			if (ram->r[j].pa + ram->r[j].len > hi)
				hi = ram->r[j].pa + ram->r[j].len;
			j++;
		}
		ram->r[i] = (struct ptdbg_ram_range){ lo, hi - lo };
		memmove(&ram->r[i + 1], &ram->r[j], (ram->n - j) * sizeof(ram->r[0]));
		ram->n -= j - (i + 1);
		return;
	}
	if (ram->n == PTDBG_RAM_MAX_RANGES)
		return;
	memmove(&ram->r[i + 1], &ram->r[i], (ram->n - i) * sizeof(ram->r[0]));
	ram->r[i] = (struct ptdbg_ram_range){ a, end - a };
	ram->n++;
}

uint64_t ptdbg_ram_bytes(const struct ptdbg_ram *ram)
{
	uint64_t t = 0;
	for (size_t i = 0; i < ram->n; i++)
		t += ram->r[i].len;
	return t;
}

int ptdbg_ram_from_mtree(const char *text, struct ptdbg_ram *ram)
{
	char *copy = strdup(text), *save = NULL;
	bool in_memory = false, done = false;
	if (!copy)
		return PTDBG_ENOMEM;
	for (char *line = strtok_r(copy, "\n", &save); line && !done; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long a, b;
		char kind[32];
		int prio;
		if (strncmp(line, "FlatView", 8) == 0) {
			done = ram->n > 0; /* the view of "memory" has ended */
			in_memory = false;
		} else if (strstr(line, "AS \"memory\"")) {
			in_memory = true;
		} else if (in_memory && sscanf(line, " %llx-%llx (prio %d, %31[^)])", &a, &b, &prio, kind) == 4 &&
			   strcmp(kind, "ram") == 0 && b >= a) {
			ptdbg_ram_add(ram, a, b - a + 1);
		}
	}
	free(copy);
	if (!ram->n)
		return PTDBG_EFORMAT;
	ram->source = "info mtree";
	return 0;
}

int ptdbg_ram_from_core(const char *path, struct ptdbg_ram *ram)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return PTDBG_EIO;
	elf_version(EV_CURRENT);
	Elf *e = elf_begin(fd, ELF_C_READ, NULL);
	size_t nph = 0;
	int rc = PTDBG_EFORMAT;
	if (e && elf_kind(e) == ELF_K_ELF && elf_getphdrnum(e, &nph) == 0) {
		for (size_t i = 0; i < nph; i++) {
			GElf_Phdr ph;
			if (gelf_getphdr(e, (int)i, &ph) && ph.p_type == PT_LOAD && ph.p_memsz)
				ptdbg_ram_add(ram, ph.p_paddr, ph.p_memsz);
		}
		if (ram->n) {
			ram->source = "core file";
			rc = 0;
		}
	}
	if (e)
		elf_end(e);
	close(fd);
	return rc;
}

int ptdbg_ram_find(struct ptdbg_target *t, const char *core_path, uint64_t base_pfn, uint64_t count,
		   struct ptdbg_ram *ram, char *why, size_t whylen)
{
	memset(ram, 0, sizeof(*ram));
	if (core_path && ptdbg_ram_from_core(core_path, ram) == 0)
		return 0;
	char *text = NULL;
	int rc = t ? ptdbg_monitor(t, "info mtree -f", &text) : PTDBG_ENOTSUP;
	if (rc == 0) {
		memset(ram, 0, sizeof(*ram));
		rc = ptdbg_ram_from_mtree(text, ram);
		free(text);
		if (rc == 0)
			return 0;
	} else if (ptdbg_link_error(rc)) {
		return rc;
	}
	if (count && base_pfn + count > base_pfn && base_pfn + count <= (1ull << 40)) {
		memset(ram, 0, sizeof(*ram));
		ptdbg_ram_add(ram, base_pfn << 12, count << 12);
		ram->source = "debug region";
		return 0;
	}
	snprintf(why, whylen, "where RAM is is not known: no core file, no monitor memory map "
		 "(info mtree -f) and no debug region");
	return PTDBG_ENOTSUP;
}
