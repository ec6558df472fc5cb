/*
 * User processes: an address space (struct pt_space + VMAs), a kernel stack in the
 * tracked window, and a saved context. There is no scheduler: the kernel runs a
 * process until it pauses, exits or is killed, then gets control back. The periodic
 * tick (arch/timer.h), when started, interrupts a running process only to
 * run the tick hook and returns to it; it never switches processes.
 */
#ifndef KERNEL_PROC_PROCESS_H
#define KERNEL_PROC_PROCESS_H

#include <stdint.h>

#include "arch/trap.h"
#include "mm/uspace.h"

enum proc_state { PROC_NEW, PROC_RUNNABLE, PROC_RUNNING, PROC_PAUSED, PROC_EXITED, PROC_KILLED };

#define PROC_NAME_LEN 32
#define PROC_KSTACK_PAGES 4

struct process {
	char name[PROC_NAME_LEN];
	uint32_t pid;
	enum proc_state state;
	int exit_code;
	struct uspace us;          /* page tables and VMAs */
	uint8_t *kstack;           /* tracked-window allocation */
	uint64_t ctx_rsp;          /* saved kernel stack pointer (ctx_switch) */
	struct trap_frame *tf;     /* the user registers on the kernel stack */
};

/* Create a process from the embedded program `program` (see proc/programs.h);
 * NULL on failure (message printed). */
struct process *proc_create(const char *name, const char *program);
/* Run p until it pauses, exits or is killed; returns its new state. On return CR3
 * still holds p's root (x86-64: the kernel half is shared; AArch64: TTBR0). */
enum proc_state proc_run(struct process *p);
/* The process running now (NULL in kernel context). */
struct process *proc_current(void);
/* Kill the current process with a message and return to the kernel. */
__attribute__((noreturn, format(printf, 1, 2))) void proc_kill_current(const char *fmt, ...);
/* Exit the current process (system call). */
__attribute__((noreturn)) void proc_exit_current(int code);
/* Pause the current process: back to the kernel, address space kept; returns when
 * the kernel runs it again. */
void proc_pause_current(void);
/* Free an exited or killed process's address space (its region entry stays, not LIVE). */
void proc_reap(struct process *p);

#endif
