/* Loading a static ELF64 executable into a user address space. */
#ifndef KERNEL_PROC_ELF_LOAD_H
#define KERNEL_PROC_ELF_LOAD_H

#include <stdint.h>

#include "mm/uspace.h"

/* Map every PT_LOAD segment of the ELF image [data, data+size) into us (tracked
 * frames, copied now; one area per segment named by its permissions) and return
 * the entry point in *entry. Negative errno on a malformed image. */
int elf_load(struct uspace *us, const uint8_t *data, uint64_t size, uint64_t *entry);

#endif
