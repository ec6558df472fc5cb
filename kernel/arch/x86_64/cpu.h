/* Thin wrappers over x86-64 instructions the kernel needs; no policy here. */
#ifndef KERNEL_ARCH_CPU_H
#define KERNEL_ARCH_CPU_H

#include <stdint.h>

#define CR0_WP      (1ull << 16)
#define CR0_PG      (1ull << 31)
#define CR4_PAE     (1ull << 5)
#define CR4_PGE     (1ull << 7)
#define CR4_LA57    (1ull << 12)
#define CR4_SMEP    (1ull << 20)
#define CR4_SMAP    (1ull << 21)
#define MSR_EFER    0xc0000080u
#define EFER_LME    (1ull << 8)
#define EFER_LMA    (1ull << 10)
#define EFER_NXE    (1ull << 11)
#define MSR_PAT     0x277u
#define RFLAGS_IF   (1ull << 9)
#define RFLAGS_AC   (1ull << 18)

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(port)); }
static inline uint32_t inl(uint16_t port) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" :: "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

#define DEFINE_CR(n) \
	static inline uint64_t read_cr##n(void) { uint64_t v; __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v)); return v; } \
	static inline void write_cr##n(uint64_t v) { __asm__ volatile("mov %0, %%cr" #n :: "r"(v) : "memory"); }
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}
static inline void invlpg(uint64_t va) { __asm__ volatile("invlpg (%0)" :: "r"(va) : "memory"); }
static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void cpu_irq_disable(void) { cli(); }
static inline void hlt(void) { __asm__ volatile("hlt" ::: "memory"); }
static inline void stac(void) { __asm__ volatile("stac" ::: "memory", "cc"); }
static inline void clac(void) { __asm__ volatile("clac" ::: "memory", "cc"); }
static inline uint64_t read_rflags(void) { uint64_t v; __asm__ volatile("pushfq; popq %0" : "=r"(v)); return v; }

/* CPU features the kernel uses, filled by cpu_init(). */
struct cpu_features {
	int nx, pdpe1gb, la57, smep, smap, pge, pat;
	uint32_t maxphyaddr, linaddr_bits;
};
extern struct cpu_features cpu_features;

/* Detect CPU features; then enable NXE, WP, PGE, SMEP, SMAP and program IA32_PAT. */
void cpu_init(void);
/* The IA32_PAT value cpu_init() programmed. */
uint64_t cpu_pat(void);
/* Flush every TLB entry, global ones included. */
void tlb_flush_all(void);
/* Wait for the next interrupt: enable interrupts and halt in one step (no wake-up
 * is lost between the two), then disable them again once the handler has run. */
static inline void cpu_wait_interrupt(void) { __asm__ volatile("sti; hlt; cli" ::: "memory"); }
/* Halt forever with interrupts off (the VM stays attachable by a debugger). */
__attribute__((noreturn)) void cpu_halt_forever(void);

#endif
