/* The kernel GDT, TSS and the IST stacks for double faults and NMIs. */
#include "arch/x86_64/gdt.h"
#include "lib/string.h"

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

static struct tss tss;
static uint64_t gdt[8] __attribute__((aligned(16))) = {
	0,
	0x00af9a000000ffffull, /* 0x08 kernel code, 64-bit */
	0x00cf92000000ffffull, /* 0x10 kernel data */
	0x00cffa000000ffffull, /* 0x18 user code, 32-bit (unused; keeps the sysret layout) */
	0x00cff2000000ffffull, /* 0x20 user data */
	0x00affa000000ffffull, /* 0x28 user code, 64-bit */
	0, 0,                  /* 0x30 TSS (16 bytes) */
};

static uint8_t df_stack[16384] __attribute__((aligned(16)));
static uint8_t nmi_stack[8192] __attribute__((aligned(16)));

/* Install the GDT with the TSS descriptor, reload segments and the task register. */
void gdt_init(void)
{
	memset(&tss, 0, sizeof(tss));
	tss.ist[IST_DOUBLE_FAULT - 1] = (uint64_t)(df_stack + sizeof(df_stack));
	tss.ist[IST_NMI - 1] = (uint64_t)(nmi_stack + sizeof(nmi_stack));
	tss.iomap_base = sizeof(tss);
	uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;
	gdt[6] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
		 (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[7] = base >> 32;

	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) desc = {
		sizeof(gdt) - 1, (uint64_t)gdt
	};
	__asm__ volatile(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movw %w2, %%ax\n\t"
		"movw %%ax, %%ds\n\t"
		"movw %%ax, %%es\n\t"
		"movw %%ax, %%ss\n\t"
		"movw %%ax, %%fs\n\t"
		"movw %%ax, %%gs\n\t"
		"ltr %w3"
		:: "m"(desc), "i"(SEL_KCODE), "r"((uint32_t)SEL_KDATA), "r"((uint32_t)SEL_TSS)
		: "rax", "memory");
}

/* Ring-0 stack for traps from user mode. */
void tss_set_rsp0(uint64_t rsp0)
{
	tss.rsp[0] = rsp0;
}
