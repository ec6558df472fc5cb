/* SPDX-License-Identifier: MIT */
/* The instruction at a faulting RIP, read through the faulting process's own page
 * tables and disassembled with Capstone; see x86_fault.h. */
#include "x86/x86_fault.h"

#include <capstone/capstone.h>
#include <stdio.h>
#include <string.h>

/* The data-memory accesses of a decoded instruction (explicit operands, and the
 * stack for push/pop/call/ret). */
static unsigned insn_mem_access(const cs_insn *in)
{
	unsigned mem = 0;
	if (!strcmp(in->mnemonic, "lea") || !strncmp(in->mnemonic, "nop", 3) ||
	    !strncmp(in->mnemonic, "prefetch", 8))
		return 0;
	if (in->detail) {
		const cs_x86 *x = &in->detail->x86;
		for (unsigned i = 0; i < x->op_count; i++) {
			if (x->operands[i].type != X86_OP_MEM)
				continue;
			uint8_t acc = x->operands[i].access;
			if (acc & CS_AC_READ)
				mem |= PTDBG_INSN_READS;
			if (acc & CS_AC_WRITE)
				mem |= PTDBG_INSN_WRITES;
			if (!acc)
				mem |= PTDBG_INSN_READS; /* capstone does not know: assume a read */
		}
	}
	if (!strncmp(in->mnemonic, "push", 4) || !strncmp(in->mnemonic, "call", 4))
		mem |= PTDBG_INSN_WRITES;
	if (!strncmp(in->mnemonic, "pop", 3) || !strncmp(in->mnemonic, "ret", 3))
		mem |= PTDBG_INSN_READS;
	return mem;
}

int ptdbg_x86_fault_decode(struct ptdbg_mem *mem, const struct ptdbg_x86_cpu *cpu, uint64_t rip,
		       struct ptdbg_fault_insn *out)
{
	memset(out, 0, sizeof(*out));
	struct ptdbg_walk_space sp;
	struct ptdbg_translation why;
	int link;
	ptdbg_x86_space(&sp, cpu, 0);
	out->len = ptdbg_read_virt(mem, &sp, rip, PTDBG_ACC_FETCH, out->bytes, sizeof(out->bytes), &why,
				   &link);
	if (link)
		return link;
	if (why.stop == PTDBG_STOP_READ_ERROR)
		snprintf(out->why, sizeof(out->why), "physical %#llx is not readable", (unsigned long long)why.pa);
	else if (why.stop != PTDBG_STOP_OK)
		snprintf(out->why, sizeof(out->why), "%#llx does not translate: %s", (unsigned long long)why.va,
			 ptdbg_x86_stop_name(why.stop));
	if (!out->len)
		return 0;
	ptdbg_fault_insn_disasm(out, CS_ARCH_X86, CS_MODE_64, true, "x86-64", rip, out->len, insn_mem_access);
	return 0;
}

