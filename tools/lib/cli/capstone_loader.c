/* SPDX-License-Identifier: MIT */
/*
 * Capstone, loaded when an instruction is first disassembled.
 *
 * The tools use five of Capstone's functions, and only in the commands that show
 * instructions (x, faults, the fault-loop checks). Linking the library makes every
 * command pay for it at exec: the dynamic loader applies its 80,000 relocations
 * to 1.8 MiB of pointer tables (all of Capstone's architectures), about 2 ms of a
 * 10 ms attach. These definitions stand in for Capstone's own: the first call
 * opens the library (CAPSTONE_SONAME, the one the build found) and forwards to
 * it. Without the library, cs_open fails with CS_ERR_HANDLE and the caller reports
 * that it cannot disassemble; nothing else needs it.
 */
#include <capstone/capstone.h>
#include <dlfcn.h>
#include <stdbool.h>

#ifndef CAPSTONE_SONAME
#define CAPSTONE_SONAME "libcapstone.so"
#endif

static struct {
	bool tried;
	cs_err (*open)(cs_arch, cs_mode, csh *);
	cs_err (*option)(csh, cs_opt_type, size_t);
	size_t (*disasm)(csh, const uint8_t *, size_t, uint64_t, size_t, cs_insn **);
	void (*free)(cs_insn *, size_t);
	cs_err (*close)(csh *);
} cs;

/* Open the library once; true if every function was found. */
static bool cs_load(void)
{
	if (!cs.tried) {
		cs.tried = true;
		void *h = dlopen(CAPSTONE_SONAME, RTLD_NOW | RTLD_LOCAL);
		if (h) {
			*(void **)&cs.open = dlsym(h, "cs_open");
			*(void **)&cs.option = dlsym(h, "cs_option");
			*(void **)&cs.disasm = dlsym(h, "cs_disasm");
			*(void **)&cs.free = dlsym(h, "cs_free");
			*(void **)&cs.close = dlsym(h, "cs_close");
			if (!cs.open || !cs.option || !cs.disasm || !cs.free || !cs.close)
				cs.open = NULL;
		}
	}
	return cs.open != NULL;
}

cs_err cs_open(cs_arch arch, cs_mode mode, csh *handle)
{
	if (!cs_load()) {
		*handle = 0;
		return CS_ERR_HANDLE;
	}
	return cs.open(arch, mode, handle);
}

/* The others run on a handle cs_open gave: the library is loaded. */
cs_err cs_option(csh handle, cs_opt_type type, size_t value)
{
	return cs_load() ? cs.option(handle, type, value) : CS_ERR_HANDLE;
}

size_t cs_disasm(csh handle, const uint8_t *code, size_t code_size, uint64_t address, size_t count,
		 cs_insn **insn)
{
	if (!cs_load()) {
		*insn = NULL;
		return 0;
	}
	return cs.disasm(handle, code, code_size, address, count, insn);
}

void cs_free(cs_insn *insn, size_t count)
{
	if (insn && cs_load())
		cs.free(insn, count);
}

cs_err cs_close(csh *handle)
{
	return cs_load() ? cs.close(handle) : CS_ERR_HANDLE;
}
