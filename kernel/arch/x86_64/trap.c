/* The IDT and the first-level trap dispatch: page faults, system calls, exceptions. */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/timer.h"
#include "arch/x86_64/trap.h"
#include "debug/panic.h"
#include "lib/printf.h"
#include "mm/fault.h"
#include "proc/process.h"
#include "proc/syscall.h"

struct idt_gate {
	uint16_t off0, sel;
	uint8_t ist, type_attr;
	uint16_t off1;
	uint32_t off2, reserved;
} __attribute__((packed));

int (*trap_hook)(struct trap_frame *tf);

static struct idt_gate idt[256] __attribute__((aligned(16)));
extern char trap_stubs[];

static const char *const exception_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
	"#BR bound range", "#UD invalid opcode", "#NM device not available",
	"#DF double fault", "coprocessor segment overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack fault", "#GP general protection",
	"#PF page fault", "reserved 15", "#MF x87 error", "#AC alignment check",
	"#MC machine check", "#XM SIMD error", "#VE virtualization", "#CP control protection",
	"reserved 22", "reserved 23", "reserved 24", "reserved 25", "reserved 26",
	"reserved 27", "#HV hypervisor injection", "#VC VMM communication", "#SX security",
	"reserved 31",
};

static void set_gate(int vec, int ist, int dpl)
{
	uint64_t off = (uint64_t)(trap_stubs + 16 * vec);
	idt[vec] = (struct idt_gate){
		.off0 = off & 0xffff, .sel = SEL_KCODE, .ist = (uint8_t)ist,
		.type_attr = (uint8_t)(0x8e | (dpl << 5)), /* present, interrupt gate */
		.off1 = (off >> 16) & 0xffff, .off2 = (uint32_t)(off >> 32),
	};
}

/* Install all 256 gates and load the IDT. */
void idt_init(void)
{
	for (int v = 0; v < 256; v++)
		set_gate(v, 0, 0);
	set_gate(2, IST_NMI, 0);
	set_gate(VEC_DOUBLE_FAULT, IST_DOUBLE_FAULT, 0);
	set_gate(VEC_SYSCALL, 0, 3);
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) desc = {
		sizeof(idt) - 1, (uint64_t)idt
	};
	__asm__ volatile("lidt %0" :: "m"(desc));
}

/* Exception name for a vector. */
const char *trap_name(uint64_t vector)
{
	return vector < 32 ? exception_names[vector] : "interrupt";
}

/* One line with the vector, name, error code, RIP, CR2 and CR3. */
void trap_report(const struct trap_frame *tf)
{
	kprintf("ptdbg: exception %lu (%s) error=0x%lx rip=0x%lx cr2=0x%lx cr3=0x%lx "
		"rsp=0x%lx cs=0x%lx rflags=0x%lx\n",
		tf->vector, trap_name(tf->vector), tf->error, tf->rip, read_cr2(),
		read_cr3(), tf->rsp, tf->cs, tf->rflags);
}

/* Route a trap: #PF to the fault handler, int 0x80 to system calls, the tick to the
 * timer, exceptions in ring 3 kill the process, anything else in ring 0 panics. */
void trap_dispatch(struct trap_frame *tf)
{
	if (trap_hook && trap_hook(tf))
		return;
	if (tf->vector == VEC_PAGE_FAULT) {
		fault_handle(tf);
		return;
	}
	if (tf->vector == VEC_SYSCALL && trap_from_user(tf)) {
		syscall_dispatch(tf);
		return;
	}
	if (tf->vector == TIMER_VECTOR) {
		timer_interrupt();
		return;
	}
	if (tf->vector == SPURIOUS_VECTOR)
		return; /* the LAPIC's spurious vector: no EOI */
	if (tf->vector >= 32) {
		kprintf("ptdbg: unexpected interrupt %lu ignored\n", tf->vector);
		lapic_eoi();
		return;
	}
	trap_report(tf);
	if (trap_from_user(tf))
		proc_kill_current("%s at rip 0x%lx", trap_name(tf->vector), tf->rip);
	panic("unhandled exception %lu (%s) error=0x%lx at rip 0x%lx", tf->vector,
	      trap_name(tf->vector), tf->error, tf->rip);
}
