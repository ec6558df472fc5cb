/* Processes: creation from embedded programs, running, pausing, exit and kill. */
#include <stdarg.h>

#include "arch/proc.h"
#include "debug/panic.h"
#include "debug/region.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "mm/kspace.h"
#include "mm/layout.h"
#include "proc/elf_load.h"
#include "proc/process.h"
#include "proc/programs.h"
#include "uapi/syscall.h"

#define MAX_PROCS 16

static struct process procs[MAX_PROCS];
static uint32_t nprocs;
static struct process *current;
static uint64_t kernel_ctx_rsp; /* the kernel's context while a process runs */

/* The running process. */
struct process *proc_current(void)
{
	return current;
}

static uint64_t space_flags(const struct process *p)
{
	uint32_t f = 0;
	if (p->state != PROC_EXITED && p->state != PROC_KILLED)
		f |= PTDBG_AS_F_LIVE;
	if (arch_loaded_user_root() == p->us.pt.root && p->us.pt.root)
		f |= PTDBG_AS_F_CURRENT;
	return f;
}

/* Create a process from an embedded program. */
struct process *proc_create(const char *name, const char *program)
{
	const struct program *prog = program_find(program);
	if (!prog) {
		kprintf("ptdbg: no program called %s\n", program);
		return 0;
	}
	if (nprocs >= MAX_PROCS) {
		kprintf("ptdbg: too many processes\n");
		return 0;
	}
	struct process *p = &procs[nprocs];
	memset(p, 0, sizeof(*p));
	p->pid = nprocs + 1;
	strlcpy_k(p->name, name, sizeof(p->name));
	int as = region_add_space(name, PTDBG_AS_USER, p->pid, 0, kernel_space.levels);
	if (as < 0 || uspace_init(&p->us, as)) {
		kprintf("ptdbg: no address space for %s\n", name);
		return 0;
	}
	region_update_space(as, p->us.pt.root, PTDBG_AS_F_LIVE);
	uint64_t entry;
	int err = elf_load(&p->us, prog->start, (uint64_t)(prog->end - prog->start), &entry);
	if (!err)
		err = uspace_add_vma(&p->us, USER_STACK_TOP - USER_STACK_SIZE - pt_page_size(&p->us.pt),
				     USER_STACK_TOP - USER_STACK_SIZE, PROT_NONE, VMA_F_GUARD, "guard");
	if (!err)
		err = uspace_add_vma(&p->us, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_TOP,
				     PROT_READ | PROT_WRITE, 0, "stack");
	p->kstack = kspace_alloc_tracked(PROC_KSTACK_PAGES);
	if (err || !p->kstack) {
		kprintf("ptdbg: cannot load %s (%d)\n", program, err);
		uspace_destroy(&p->us);
		region_update_space(as, 0, 0);
		return 0;
	}
	uint64_t top = (uint64_t)p->kstack + PROC_KSTACK_PAGES * PAGE_SIZE;
	struct trap_frame *tf = (struct trap_frame *)(top - sizeof(*tf));
	memset(tf, 0, sizeof(*tf));
	arch_user_frame(tf, entry, USER_STACK_TOP);
	p->tf = tf;
	p->ctx_rsp = arch_first_ctx(tf);
	p->state = PROC_RUNNABLE;
	nprocs++;
	return p;
}

/* Run p until it gives control back. */
enum proc_state proc_run(struct process *p)
{
	KASSERT(!current);
	KASSERT(p->state == PROC_RUNNABLE || p->state == PROC_PAUSED);
	current = p;
	p->state = PROC_RUNNING;
	arch_enter_user_space(p->us.pt.root, (uint64_t)p->kstack + PROC_KSTACK_PAGES * PAGE_SIZE);
	region_set_current_space(p->us.pt.owner);
	ctx_switch(&kernel_ctx_rsp, p->ctx_rsp);
	current = 0;
	region_update_space(p->us.pt.owner, p->us.pt.root, (uint32_t)space_flags(p));
	return p->state;
}

static __attribute__((noreturn)) void leave_for_good(struct process *p)
{
	ctx_switch(&p->ctx_rsp, kernel_ctx_rsp);
	panic("a finished process was resumed");
}

/* Kill the current process. */
void proc_kill_current(const char *fmt, ...)
{
	struct process *p = current;
	if (!p)
		panic("kill without a current process");
	char msg[160];
	va_list ap;
	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kprintf("ptdbg: process %s killed: %s\n", p->name, msg);
	p->state = PROC_KILLED;
	leave_for_good(p);
}

/* Exit the current process. */
void proc_exit_current(int code)
{
	struct process *p = current;
	p->exit_code = code;
	p->state = PROC_EXITED;
	kprintf("ptdbg: process %s exited with code %d\n", p->name, code);
	leave_for_good(p);
}

/* Pause: back to the kernel until run again. */
void proc_pause_current(void)
{
	struct process *p = current;
	p->state = PROC_PAUSED;
	ctx_switch(&p->ctx_rsp, kernel_ctx_rsp);
}

/* Free a finished process's memory. */
void proc_reap(struct process *p)
{
	KASSERT(p->state == PROC_EXITED || p->state == PROC_KILLED);
	if (arch_loaded_user_root() == p->us.pt.root) {
		arch_leave_user_space();
		region_set_current_space(kernel_as_index);
	}
	uint64_t root = p->us.pt.root;
	uspace_destroy(&p->us);
	if (p->kstack)
		kspace_free_tracked(p->kstack, PROC_KSTACK_PAGES);
	p->kstack = 0;
	region_update_space(p->us.pt.owner, root, 0);
}
