/* Page faults: the fault log and its repeat record (both architectures), and the
 * x86-64 #PF handler: demand paging for the current process, probes, kernel panics.
 * The AArch64 abort handler (arch/aarch64/fault.c) uses the same log and uspace. */
#if defined(__x86_64__)
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/probe.h"
#endif
#include "debug/panic.h"
#include "debug/region.h"
#include "lib/printf.h"
#include "mm/fault.h"
#include "mm/kspace.h"
#include "mm/layout.h"
#include "mm/pte.h"
#include "proc/process.h"

static struct fault_repeat repeat;

/* The latest fault and its repeat count. */
const struct fault_repeat *fault_repeat_latest(void)
{
	return &repeat;
}

static void note_repeat(const struct ptdbg_fault *f)
{
	int same = repeat.count && repeat.cr2 == f->cr2 && repeat.rip == f->rip &&
		   repeat.cr3 == f->cr3 && repeat.error == f->error_code;
	repeat.count = same ? repeat.count + 1 : 1;
	repeat.cr2 = f->cr2;
	repeat.rip = f->rip;
	repeat.cr3 = f->cr3;
	repeat.error = f->error_code;
	repeat.pte = f->pte;
	repeat.outcome = f->outcome;
}

/* Log one fault. */
void fault_record(uint64_t addr, uint64_t pc, uint64_t error, uint64_t root,
		  const struct pt_space *s, int as_index, uint32_t outcome)
{
	struct ptdbg_fault f = {
		.cr2 = addr,
		.rip = pc,
		.error_code = error,
		.cr3 = root,
		.outcome = outcome,
		.as_index = as_index < 0 ? PTDBG_OWNER_NONE : (uint32_t)as_index,
	};
	if (s) {
		int level;
		uint64_t *e = pt_walk(s, addr, &level);
		f.pte = *e;
	}
	region_log_fault(&f);
	note_repeat(&f);
}

#if defined(__x86_64__)
static void log_fault(const struct trap_frame *tf, uint64_t cr2, const struct pt_space *s,
		      int as_index, uint32_t outcome)
{
	fault_record(cr2, tf->rip, tf->error, read_cr3(), s, as_index, outcome);
}

/* Handle a page fault (see fault.h). */
void fault_handle(struct trap_frame *tf)
{
	uint64_t cr2 = read_cr2();
	struct process *p = proc_current();

	if (trap_from_user(tf)) {
		const char *why = "?";
		enum uspace_fault_result r = uspace_fault(&p->us, cr2, tf->error, &why);
		if (r != UFAULT_BAD) {
			log_fault(tf, cr2, &p->us.pt, p->us.pt.owner,
				  r == UFAULT_MAPPED ? PTDBG_FAULT_MAPPED : PTDBG_FAULT_HANDLED);
			return;
		}
		log_fault(tf, cr2, &p->us.pt, p->us.pt.owner, PTDBG_FAULT_KILLED);
		proc_kill_current("page fault at 0x%lx (%s%s%s): %s, rip 0x%lx", cr2,
				  tf->error & PF_P ? "protection" : "not present",
				  tf->error & PF_W ? ", write" : "", tf->error & PF_I ? ", exec" : "",
				  why, tf->rip);
	}

	/* Kernel-mode fault: walk the tables actually loaded in CR3. */
	struct pt_space loaded = kernel_space;
	loaded.root = read_cr3() & PTE_ADDR_MASK;
	const struct pt_space *s = &loaded;
	int as_index = region_space_by_root(loaded.root);
	uint64_t fixup = probe_fixup_for(tf->rip);
	if (fixup) {
		log_fault(tf, cr2, s, as_index, PTDBG_FAULT_HANDLED);
		tf->rip = fixup;
		return;
	}
	log_fault(tf, cr2, s, as_index, PTDBG_FAULT_PANIC);
	trap_report(tf);
	panic("kernel page fault at 0x%lx (error 0x%lx) rip 0x%lx", cr2, tf->error, tf->rip);
}
#endif
