/*
 * wronly: a process maps anonymous memory with PROT_WRITE alone and writes to it
 * (shared/BUGS.md section 2). Fixed: PROT_WRITE implies PROT_READ in mmap and
 * mprotect, the writes succeed, the process pauses, then "ptdbg: ready".
 *
 * bug=wronly-loop: the Asterinas encoding (mm/bugs.h): the page is invalid with its
 * write permission and the software "mapped" marker kept (x86-64: P=0, RW=1, bit 7;
 * AArch64: bit 0 clear, AP[2]=0, bit 55); every write faults, the handler calls it handled, the write faults again. The
 * loop runs in the process; the periodic tick keeps the kernel in control and
 * announces ready once WRONLY_LOOP_FAULTS identical faults have been logged.
 */
#include "arch/timer.h"
#include "core/cmdline.h"
#include "debug/panic.h"
#include "lib/printf.h"
#include "mm/bugs.h"
#include "mm/fault.h"
#include "mm/pte.h"
#include "proc/process.h"
#include "ptdbg/abi.h"
#include "scenarios/scenario.h"
#include "uapi/syscall.h"

#define WRONLY_LOOP_FAULTS 64

static struct process *proc;

/* Tick hook: announce the loop, and readiness, once it is established. */
static void watch_fault_loop(void)
{
	const struct fault_repeat *r = fault_repeat_latest();
	if (r->count < WRONLY_LOOP_FAULTS || r->outcome != PTDBG_FAULT_HANDLED)
		return;
	timer_set_tick_hook(0);
	char bits[64];
	pte_describe(r->pte, bits, sizeof(bits));
#if defined(__aarch64__)
	kprintf("ptdbg: wronly: fault loop: %lu identical faults at 0x%lx pc 0x%lx ESR 0x%lx, "
		"each \"handled\"; descriptor 0x%lx (%s%s)\n", r->count, r->cr2, r->rip, r->error, r->pte,
		bits, r->pte & PTE_SW_MAPPED ? ", bit 55 = software mapped marker" : "");
#else
	kprintf("ptdbg: wronly: fault loop: %lu identical faults at 0x%lx rip 0x%lx error 0x%lx, "
		"each \"handled\"; pte 0x%lx (%s%s)\n", r->count, r->cr2, r->rip, r->error, r->pte,
		bits, r->pte & PTE_SW_MAPPED ? ", bit 7 = software mapped marker" : "");
#endif
	scenario_announce_ready();
}

/* Print the leaf of the first page of the process's first mmap area. */
static void report_area(void)
{
	const struct vma *v = uspace_find(&proc->us, USER_MMAP_BASE);
	if (!v)
		return;
	uint64_t pte;
	char bits[64];
	pt_translate(&proc->us.pt, v->start, &pte);
	pte_describe(pte, bits, sizeof(bits));
	kprintf("ptdbg: wronly: area 0x%lx-0x%lx prot %s%s%s, first page pte 0x%lx (%s)\n", v->start,
		v->end, v->prot & PROT_READ ? "r" : "-", v->prot & PROT_WRITE ? "w" : "-",
		v->prot & PROT_EXEC ? "x" : "-", pte, bits);
}

static void run(void)
{
	mm_bugs.wronly_loop = bug_enabled("wronly-loop");
	proc = proc_create("wronly", "wronly");
	if (!proc)
		panic("cannot create the wronly process");
	if (mm_bugs.wronly_loop) {
		timer_set_tick_hook(watch_fault_loop);
		timer_start();
	}
	enum proc_state st = proc_run(proc);
	if (st != PROC_PAUSED)
		panic("the wronly process did not pause (state %d)", st);
	report_area();
	kprintf("ptdbg: wronly: write-only mappings work (PROT_WRITE implies PROT_READ)\n");
}

const struct scenario scenario_wronly = {
	.name = "wronly",
	.summary = "mmap(PROT_WRITE) alone, then writes",
	.bugs = { "wronly-loop", 0 },
	.run = run,
};
