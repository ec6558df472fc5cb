/*
 * attack: a user program tries to reach kernel memory, one access per process run
 * (each attempt kills the process): read and then, in the next run, write the kernel
 * image, the linear map of RAM, the debug region and a page-table page (the
 * process's own root, through the linear map), and call into kernel text. Every
 * attempt must end in a page fault that kills the process ("ptdbg: process attack
 * killed: ..."); an attempt that is not stopped panics the kernel. Each dead process
 * is reaped, so the kernel ends with CR3 = its own root and no user space live.
 */
#include "arch/proc.h"
#include "arch/trap.h"
#include "debug/panic.h"
#include "debug/region.h"
#include "lib/printf.h"
#include "mm/fault.h"
#include "mm/kspace.h"
#include "mm/layout.h"
#include "mm/pt.h"
#include "proc/process.h"
#include "ptdbg/abi.h"
#include "scenarios/scenario.h"
#include "uapi/attack.h"

#define LINEAR_TARGET_PA 0x1000000ul /* 16 MiB: RAM on every machine the tests use */

enum target_kind { T_KIMAGE, T_LINEAR, T_REGION, T_PT_PAGE };

/* One attempt: what to touch and how. */
struct attempt {
	enum target_kind kind;
	uint64_t op;      /* ATTACK_* */
	const char *what;
};

static const struct attempt attempts[] = {
	{ T_KIMAGE,  ATTACK_READ,  "kernel image" },
	{ T_KIMAGE,  ATTACK_WRITE, "kernel image" },
	{ T_LINEAR,  ATTACK_READ,  "linear map" },
	{ T_LINEAR,  ATTACK_WRITE, "linear map" },
	{ T_REGION,  ATTACK_READ,  "debug region" },
	{ T_REGION,  ATTACK_WRITE, "debug region" },
	{ T_PT_PAGE, ATTACK_READ,  "its own root page table (linear map)" },
	{ T_PT_PAGE, ATTACK_WRITE, "its own root page table (linear map)" },
	{ T_KIMAGE,  ATTACK_EXEC,  "kernel text" },
};

static const char *const op_names[] = {
	[ATTACK_READ] = "read", [ATTACK_WRITE] = "write", [ATTACK_EXEC] = "execute",
};

#if defined(__aarch64__)
/* The syndrome the attempt's fault must carry: an abort from EL0 (instruction abort
 * for a call, data abort with WnR as the operation says), a permission fault: the
 * kernel's pages exist but EL0 may not touch them (AP[1]=0, UXN). */
static int fault_as_expected(uint64_t esr, uint64_t op)
{
	unsigned ec = arm64_esr_ec(esr), fsc = (unsigned)(esr & ARM64_ISS_FSC_MASK);
	if (arm64_fsc_kind(fsc) != ARM64_FSC_PERMISSION)
		return 0;
	if (op == ATTACK_EXEC)
		return ec == ARM64_EC_IABT_LOW;
	return ec == ARM64_EC_DABT_LOW && !!(esr & ARM64_ISS_WNR) == (op == ATTACK_WRITE);
}
#define EXPECTED_WHAT "an EL0 permission fault"
#else
/* The page-fault error bits the attempt's fault must carry: present, user, and
 * write or instruction fetch as the operation says. */
static int fault_as_expected(uint64_t error, uint64_t op)
{
	uint64_t want = PF_P | PF_U | (op == ATTACK_WRITE ? PF_W : 0) | (op == ATTACK_EXEC ? PF_I : 0);
	return (error & want) == want;
}
#define EXPECTED_WHAT "P, U and the access's W/I bits"
#endif

/* A RAM address mapped in the linear map. */
static uint64_t linear_target(void)
{
	uint64_t va = LINEAR_BASE + LINEAR_TARGET_PA;
	if (pt_translate(&kernel_space, va, 0) == ~0ull)
		va = LINEAR_BASE + kimage_phys(__data_start);
	return va;
}

/* The kernel address the attempt targets in process p. */
static uint64_t target_address(enum target_kind kind, const struct process *p)
{
	switch (kind) {
	case T_KIMAGE:
		return (uint64_t)__kernel_start;
	case T_LINEAR:
		return linear_target();
	case T_REGION:
		return (uint64_t)&ptdbg_region;
	case T_PT_PAGE:
		return LINEAR_BASE + p->us.pt.root;
	}
	return 0;
}

/* Hand the request to a new process: map its top stack page, write the block there
 * and start its stack pointer below it. */
static void give_request(struct process *p, const struct attack_request *req)
{
	const char *why = "?";
	if (uspace_fault(&p->us, ATTACK_REQUEST, UFAULT_USER | UFAULT_WRITE, &why) == UFAULT_BAD)
		panic("attack: cannot map the request page: %s", why);
	uint64_t pa = pt_translate(&p->us.pt, ATTACK_REQUEST, 0);
	*(struct attack_request *)phys_to_virt(pa) = *req;
	arch_set_user_sp(p->tf, ATTACK_REQUEST);
}

/* Run one attempt in a fresh process; panic unless a page fault on the target with
 * the expected error bits killed it. */
static void run_attempt(unsigned n, const struct attempt *a)
{
	struct process *p = proc_create("attack", "attack");
	if (!p)
		panic("attack: cannot create the attack process");
	struct attack_request req = { .op = a->op, .addr = target_address(a->kind, p) };
	give_request(p, &req);
	kprintf("ptdbg: attack: attempt %u/%u: %s %s at 0x%lx\n", n, (unsigned)(sizeof(attempts) /
		sizeof(attempts[0])), op_names[a->op], a->what, req.addr);
	enum proc_state st = proc_run(p);
	const struct fault_repeat *f = fault_repeat_latest();
	if (st != PROC_KILLED)
		panic("attack: %s of %s at 0x%lx was not stopped (process state %d)", op_names[a->op],
		      a->what, req.addr, st);
	if (f->outcome != PTDBG_FAULT_KILLED || f->cr2 != req.addr || !fault_as_expected(f->error, a->op))
		panic("attack: %s of %s at 0x%lx: killed, but not by the expected fault (address 0x%lx "
		      "error 0x%lx, want %s)", op_names[a->op], a->what, req.addr, f->cr2,
		      f->error, EXPECTED_WHAT);
	proc_reap(p);
}

static void run(void)
{
	unsigned n = sizeof(attempts) / sizeof(attempts[0]);
	for (unsigned i = 0; i < n; i++)
		run_attempt(i + 1, &attempts[i]);
	kprintf("ptdbg: attack: %u attempts, %u killed by a protection fault\n", n, n);
}

const struct scenario scenario_attack = {
	.name = "attack",
	.summary = "a user program reads, writes and calls kernel memory",
	.bugs = { 0 },
	.run = run,
};
