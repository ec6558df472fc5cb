/* Exception dispatch: aborts, system calls, interrupts; the report on the console. */
#include "arch/aarch64/cpu.h"
#include "arch/aarch64/probe.h"
#include "arch/aarch64/timer.h"
#include "arch/aarch64/trap.h"
#include "debug/panic.h"
#include "debug/region.h"
#include "lib/printf.h"
#include "mm/layout.h"

/* Set by kmain_a64 once C code runs with its own state (see boot.S). */
extern int a64_boot_stage;
extern uint64_t boot_no_identity;
extern char probe_read_insn[], probe_write_insn[], probe_fixup[];
int qemu_exit_is_semihost_pc(uint64_t pc);
__attribute__((noreturn)) void qemu_exit_fallback(void);

int (*trap_hook)(struct trap_frame *tf);

/* Hooks for user mode (arch/aarch64/user.c when processes exist). */
__attribute__((weak)) int a64_user_trap(struct trap_frame *tf) { (void)tf; return 0; }
__attribute__((weak)) int a64_kernel_abort(struct trap_frame *tf) { (void)tf; return 0; }

/* Exception class names (Arm ARM D17.2.37, ESR_EL1.EC). */
const char *esr_class_name(unsigned ec)
{
	switch (ec) {
	case ARM64_EC_UNKNOWN: return "unknown reason";
	case ARM64_EC_WFX: return "WFI/WFE";
	case ARM64_EC_FP_ASIMD: return "FP/SIMD access";
	case ARM64_EC_BTI: return "branch target";
	case ARM64_EC_ILLEGAL: return "illegal execution state";
	case ARM64_EC_SVC64: return "SVC";
	case ARM64_EC_HVC64: return "HVC";
	case ARM64_EC_SMC64: return "SMC";
	case ARM64_EC_SYS64: return "trapped MSR/MRS";
	case ARM64_EC_IABT_LOW: return "instruction abort from EL0";
	case ARM64_EC_IABT_CUR: return "instruction abort, same EL";
	case ARM64_EC_PC_ALIGN: return "PC alignment";
	case ARM64_EC_DABT_LOW: return "data abort from EL0";
	case ARM64_EC_DABT_CUR: return "data abort, same EL";
	case ARM64_EC_SP_ALIGN: return "SP alignment";
	case ARM64_EC_SERROR: return "SError";
	case ARM64_EC_BREAKPT_LOW: case ARM64_EC_BREAKPT_CUR: return "breakpoint";
	case ARM64_EC_SOFTSTP_LOW: case ARM64_EC_SOFTSTP_CUR: return "software step";
	case ARM64_EC_WATCHPT_LOW: case ARM64_EC_WATCHPT_CUR: return "watchpoint";
	case ARM64_EC_BRK64: return "BRK";
	default: return "other";
	}
}

/* Fault status kinds. */
const char *fsc_name(unsigned fsc)
{
	switch (arm64_fsc_kind(fsc)) {
	case ARM64_FSC_ADDR_SIZE: return "address size fault";
	case ARM64_FSC_TRANSLATION: return "translation fault";
	case ARM64_FSC_ACCESS_FLAG: return "access flag fault";
	case ARM64_FSC_PERMISSION: return "permission fault";
	case ARM64_FSC_SEA: return "synchronous external abort";
	case ARM64_FSC_SEA_WALK: return "external abort on a table walk";
	case ARM64_FSC_ALIGNMENT: return "alignment fault";
	case ARM64_FSC_TLB_CONFLICT: return "TLB conflict";
	default: return "other fault";
	}
}

static int is_abort(unsigned ec)
{
	return ec == ARM64_EC_IABT_LOW || ec == ARM64_EC_IABT_CUR || ec == ARM64_EC_DABT_LOW ||
	       ec == ARM64_EC_DABT_CUR;
}

/* One line with the class, syndrome and addresses, one with the tables. */
void trap_report(const struct trap_frame *tf)
{
	unsigned ec = arm64_esr_ec(tf->esr);
	kprintf("ptdbg: exception: EC 0x%02x (%s) ESR_EL1 0x%lx FAR_EL1 0x%lx ELR_EL1 0x%lx SPSR 0x%lx\n",
		ec, esr_class_name(ec), tf->esr, tf->far, tf->elr, tf->spsr);
	if (is_abort(ec)) {
		unsigned fsc = (unsigned)(tf->esr & ARM64_ISS_FSC_MASK);
		int level = arm64_fsc_level(fsc);
		kprintf("ptdbg: exception: %s 0x%02x (%s", ec == ARM64_EC_DABT_CUR || ec == ARM64_EC_DABT_LOW ?
			((tf->esr & ARM64_ISS_WNR) ? "write, DFSC" : "read, DFSC") : "fetch, IFSC", fsc, fsc_name(fsc));
		if (level >= -1)
			kprintf(", level %d", level);
		kprintf(")\n");
	}
	kprintf("ptdbg: exception: TTBR0_EL1 0x%lx TTBR1_EL1 0x%lx TCR_EL1 0x%lx SCTLR_EL1 0x%lx\n",
		read_sysreg(ttbr0_el1), read_sysreg(ttbr1_el1), read_sysreg(tcr_el1), read_sysreg(sctlr_el1));
}

/* The fault log entry of a kernel abort that ends in a panic. */
static void log_kernel_fault(const struct trap_frame *tf, uint32_t outcome)
{
	struct ptdbg_fault f = {
		.cr2 = tf->far,
		.rip = tf->elr,
		.error_code = tf->esr,
		.cr3 = read_sysreg(ttbr0_el1),
		.outcome = outcome,
		.as_index = PTDBG_OWNER_NONE,
	};
	region_log_fault(&f);
}

/* Probes that fault resume at probe_fixup. */
uint64_t probe_fixup_for(uint64_t pc)
{
	if (pc == (uint64_t)probe_read_insn || pc == (uint64_t)probe_write_insn)
		return (uint64_t)probe_fixup;
	return 0;
}

static __attribute__((noreturn)) void kernel_exception(struct trap_frame *tf)
{
	unsigned ec = arm64_esr_ec(tf->esr);
	if (!a64_boot_stage && !region_enabled())
		region_init(1); /* a fault before kmain: still leave a record */
	if (is_abort(ec))
		log_kernel_fault(tf, PTDBG_FAULT_PANIC);
	trap_report(tf);
	if (!a64_boot_stage && boot_no_identity && ec == ARM64_EC_IABT_CUR)
		kprintf("ptdbg: exception: the fetch after SCTLR_EL1.M=1 went through TTBR0, which has no "
			"identity mapping of the code that turned the MMU on (bug=no-identity-map)\n");
	if (is_abort(ec))
		panic("kernel %s at 0x%lx: %s (FSC 0x%02lx), ELR 0x%lx", esr_class_name(ec), tf->far,
		      fsc_name((unsigned)(tf->esr & ARM64_ISS_FSC_MASK)), (uint64_t)(tf->esr & 0x3f), tf->elr);
	panic("unhandled exception: EC 0x%02x (%s) ESR 0x%lx at ELR 0x%lx", ec, esr_class_name(ec),
	      tf->esr, tf->elr);
}

/* Route an exception by the vector it came through. */
void trap_dispatch(struct trap_frame *tf)
{
	if ((tf->kind == TRAP_CUR_SYNC || tf->kind == TRAP_LOW_SYNC) && trap_hook && trap_hook(tf))
		return;
	switch (tf->kind) {
	case TRAP_CUR_IRQ:
	case TRAP_LOW_IRQ:
		irq_handle();
		return;
	case TRAP_CUR_SYNC: {
		unsigned ec = arm64_esr_ec(tf->esr);
		if (ec == ARM64_EC_DABT_CUR) {
			uint64_t fixup = probe_fixup_for(tf->elr);
			if (fixup) {
				log_kernel_fault(tf, PTDBG_FAULT_HANDLED);
				tf->elr = fixup;
				return;
			}
			if (a64_kernel_abort(tf))
				return;
		}
		if (ec == ARM64_EC_UNKNOWN && qemu_exit_is_semihost_pc(tf->elr))
			qemu_exit_fallback();
		kernel_exception(tf);
	}
	case TRAP_LOW_SYNC:
		if (a64_user_trap(tf))
			return;
		trap_report(tf);
		panic("exception from EL0 without a process: EC 0x%02x", arm64_esr_ec(tf->esr));
	default:
		kernel_exception(tf);
	}
}
