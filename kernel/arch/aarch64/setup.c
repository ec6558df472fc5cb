/*
 * kmain_a64: the AArch64 boot sequence after boot.S, in the seed's stages: the
 * early blocks are on and the kernel runs in the high half (stages 1 and 2); the
 * device tree gives the memory, the command line and the devices; the page-table
 * module builds the kernel space, which replaces the early TTBR1 blocks (stage 3);
 * the identity map goes (stage 4) and TTBR0 belongs to user processes from then on.
 */
#include "arch/aarch64/cpu.h"
#include "arch/aarch64/pte.h"
#include "arch/aarch64/timer.h"
#include "core/bootinfo.h"
#include "core/cmdline.h"
#include "core/fdt.h"
#include "drivers/pci.h"
#include "iommu/smmu.h"
#include "debug/panic.h"
#include "debug/region.h"
#include "drivers/serial.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/kspace.h"
#include "mm/layout.h"
#include "scenarios/scenario.h"

void kmain_a64(uint64_t dtb_pa);
void early_switch_ttbr1(uint64_t ttbr1, uint64_t tcr);

struct boot_info boot_info;
int a64_boot_stage;          /* 0 until kmain_a64 runs (trap.c) */
volatile uint32_t *a64_ecam; /* bus 0 of the PCIe configuration space, mapped */
extern int a64_psci_smc;     /* qemu_exit.c */
extern uint64_t boot_dtb, boot_el;
extern char vectors[];

static uint64_t uart_pa = 0x09000000; /* the device tree may say otherwise */
static uint64_t ecam_pa, ecam_len;     /* PCIe configuration space, if any */
#define ECAM_MAPPED_LEN 0x100000ull    /* bus 0: 32 devices x 8 functions x 4 KiB */
static uint64_t empty_user_root;       /* TTBR0 when no process runs */
uint64_t user_end = USER_END_MIN;      /* mm/layout.h: 2^va_bits from arch_kspace_geometry */

/* Printable name of a memory type (core/bootinfo.h). */
const char *mem_type_name(uint32_t type)
{
	return type == MEM_RAM ? "ram" : "reserved";
}

struct fdt_ctx {
	uint32_t addr_cells, size_cells;
};

static void add_ram(uint64_t base, uint64_t size)
{
	if (!size || boot_info.nranges >= BOOT_MAX_RANGES)
		return;
	int j = boot_info.nranges++;
	while (j > 0 && boot_info.ranges[j - 1].base > base) {
		boot_info.ranges[j] = boot_info.ranges[j - 1];
		j--;
	}
	boot_info.ranges[j] = (struct mem_range){ base, size, MEM_RAM };
	boot_info.ram_bytes += size;
	if (base + size > boot_info.max_ram_end)
		boot_info.max_ram_end = base + size;
}

/* What the kernel takes from the device tree. */
static int visit(const struct fdt_prop *p, void *arg)
{
	struct fdt_ctx *c = arg;
	if (p->depth == 0) {
		/* a count past 4 cells is no tree QEMU writes: keep the default (the sums
		 * and products of counts below then cannot wrap) */
		if (!strcmp(p->name, "#address-cells") && p->len == 4 && fdt_cell(p->value, 0) <= 4)
			c->addr_cells = fdt_cell(p->value, 0);
		else if (!strcmp(p->name, "#size-cells") && p->len == 4 && fdt_cell(p->value, 0) <= 4)
			c->size_cells = fdt_cell(p->value, 0);
		return 0;
	}
	if (p->depth != 1)
		return 0;
	const char *node = p->path[1];
	uint32_t cells = c->addr_cells + c->size_cells;
	if (fdt_node_is(node, "memory") && !strcmp(p->name, "reg") && cells) {
		for (uint32_t i = 0; (i + cells) * 4 <= p->len; i += cells)
			add_ram(fdt_cells(p->value, i, c->addr_cells),
				fdt_cells(p->value, i + c->addr_cells, c->size_cells));
	} else if (fdt_node_is(node, "chosen") && !strcmp(p->name, "bootargs")) {
		uint32_t n = p->len < BOOT_CMDLINE_MAX ? p->len : BOOT_CMDLINE_MAX;
		memcpy(boot_info.cmdline, p->value, n);
		boot_info.cmdline[BOOT_CMDLINE_MAX - 1] = 0;
	} else if (fdt_node_is(node, "pl011") && !strcmp(p->name, "reg") && p->len >= 4 * cells) {
		uart_pa = fdt_cells(p->value, 0, c->addr_cells);
	} else if (fdt_node_is(node, "psci") && !strcmp(p->name, "method")) {
		a64_psci_smc = p->len >= 3 && !strncmp((const char *)p->value, "smc", 3);
	} else if (fdt_node_is(node, "pcie") && !strcmp(p->name, "reg") && p->len >= 4 * cells && !ecam_pa) {
		ecam_pa = fdt_cells(p->value, 0, c->addr_cells);
		ecam_len = fdt_cells(p->value, c->addr_cells, c->size_cells);
	} else if (fdt_node_is(node, "pcie") && !strcmp(p->name, "iommu-map") && p->len >= 16) {
		/* <rid-base iommu-phandle sid-base length>: the first entry */
		smmu_set_iommu_map(fdt_cell(p->value, 0), fdt_cell(p->value, 2), fdt_cell(p->value, 3));
	} else if (fdt_node_is(node, "pcie") && !strcmp(p->name, "ranges")) {
		/* <phys.hi phys.mid phys.lo cpu-address(addr_cells) size(2)>: the 32-bit
		 * memory window is where the kernel places BARs (no firmware did) */
		uint32_t n = 3 + c->addr_cells + 2;
		for (uint32_t i = 0; (i + n) * 4 <= p->len; i += n)
			if (((fdt_cell(p->value, i) >> 24) & 3) == 2)
				pci_set_mem_window(fdt_cells(p->value, i + 3, c->addr_cells),
						   fdt_cells(p->value, i + 3 + c->addr_cells, 2));
	} else if (fdt_node_is(node, "smmuv3") && !strcmp(p->name, "reg") && p->len >= 4 * cells) {
		smmu_set_base(fdt_cells(p->value, 0, c->addr_cells));
	} else if (fdt_node_is(node, "intc") && !strcmp(p->name, "compatible")) {
		if (fdt_strlist_has(p, "arm,gic-v3"))
			gic_info.version = 3;
		else if (fdt_strlist_has(p, "arm,cortex-a15-gic") || fdt_strlist_has(p, "arm,gic-400"))
			gic_info.version = 2;
	} else if (fdt_node_is(node, "intc") && !strcmp(p->name, "reg") && p->len >= 8 * cells) {
		gic_info.dist_pa = fdt_cells(p->value, 0, c->addr_cells);
		gic_info.cpu_pa = fdt_cells(p->value, cells, c->addr_cells);
		gic_info.cpu_len = fdt_cells(p->value, cells + c->addr_cells, c->size_cells);
	}
	return 0;
}

/* Take [pa, pa+len) out of the RAM ranges as reserved (page-rounded). */
static void reserve_ram(uint64_t pa, uint64_t len)
{
	uint64_t start = pa & ~(uint64_t)(PAGE_SIZE - 1);
	uint64_t end = (pa + len + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
	for (int i = 0; i < boot_info.nranges; i++) {
		struct mem_range r = boot_info.ranges[i];
		if (r.type != MEM_RAM || start < r.base || end > r.base + r.size)
			continue;
		if (boot_info.nranges + 2 > BOOT_MAX_RANGES)
			return;
		struct mem_range parts[3] = {
			{ r.base, start - r.base, MEM_RAM },
			{ start, end - start, MEM_RESERVED },
			{ end, r.base + r.size - end, MEM_RAM },
		};
		int n = 0;
		struct mem_range keep[3];
		for (int k = 0; k < 3; k++)
			if (parts[k].size)
				keep[n++] = parts[k];
		memmove(&boot_info.ranges[i + n], &boot_info.ranges[i + 1],
			(size_t)(boot_info.nranges - i - 1) * sizeof(r));
		memcpy(&boot_info.ranges[i], keep, (size_t)n * sizeof(r));
		boot_info.nranges += n - 1;
		boot_info.ram_bytes -= end - start;
		return;
	}
}

static void parse_fdt(uint64_t dtb_pa)
{
	/* The early TTBR1 blocks alias RAM at KERNEL_VBASE + physical. */
	const void *blob = dtb_pa ? (const void *)(KERNEL_VBASE + dtb_pa) : 0;
	uint32_t size = dtb_pa ? fdt_valid(blob, 1u << 21) : 0;
	if (!size)
		panic("no valid device tree (x0 was 0x%lx, nor at the base of RAM)", dtb_pa);
	struct fdt_ctx c = { 2, 1 };
	if (fdt_walk(blob, visit, &c))
		panic("malformed device tree at 0x%lx", dtb_pa);
	if (!boot_info.ram_bytes)
		panic("the device tree describes no memory");
	reserve_ram(dtb_pa, size); /* kept for debuggers: the frames stay reserved */
}

/* Stage 1 and 2: what boot.S left. */
static void report_early(void)
{
	uint64_t pc;
	__asm__ volatile("adr %0, ." : "=r"(pc));
	uint64_t sp = (uint64_t)__builtin_frame_address(0);
	kprintf("ptdbg: boot stage 1: MMU on with 1 GiB blocks (4 KiB granule, T0SZ=T1SZ=28): "
		"RAM identity-mapped through TTBR0_EL1 0x%lx, high alias through TTBR1_EL1 0x%lx\n",
		read_sysreg(ttbr0_el1), read_sysreg(ttbr1_el1));
	kprintf("ptdbg: boot stage 2: running in the high half: pc 0x%lx sp 0x%lx VBAR_EL1 0x%lx "
		"(entered at EL%lu, device tree at 0x%lx)\n", pc, sp, read_sysreg(vbar_el1), boot_el, boot_dtb);
}

static const char *granule_name(unsigned gshift)
{
	return gshift == 12 ? "4k" : gshift == 14 ? "16k" : "64k";
}

/* A combination the CPU lacks stops here, naming what is missing. */
static void check_cpu(void)
{
	unsigned g = (unsigned)kopts.granule_shift;
	int ok = g == 12 ? cpu_features.gran4 : g == 14 ? cpu_features.gran16 : cpu_features.gran64;
	if (!ok)
		panic("granule=%s: this CPU has no %s granule for stage 1 (ID_AA64MMFR0_EL1 0x%lx, "
		      "TGran%s=0x%x); use -cpu max", granule_name(g), granule_name(g), cpu_features.mmfr0,
		      g == 12 ? "4" : g == 14 ? "16" : "64",
		      arm64_idfield(cpu_features.mmfr0, g == 12 ? ARM64_MMFR0_TGRAN4_SHIFT :
				    g == 14 ? ARM64_MMFR0_TGRAN16_SHIFT : ARM64_MMFR0_TGRAN64_SHIFT));
	if (boot_info.max_ram_end > LINEAR_MAX_SIZE)
		panic("RAM ends at 0x%lx, beyond the linear map's 0x%lx", boot_info.max_ram_end, LINEAR_MAX_SIZE);
}

/* The kernel space: granule and va_bits from the command line. Both halves get
 * the same size (T0SZ = T1SZ = 64 - va_bits, arch_kspace_load), so the user half,
 * USER_END, ends at 2^va_bits. */
void arch_kspace_geometry(uint32_t *levels, uint32_t *gshift, uint32_t *va_bits)
{
	*gshift = (uint32_t)kopts.granule_shift;
	*va_bits = (uint32_t)kopts.va_bits;
	*levels = (uint32_t)(4 - arm64_start_level(*va_bits, *gshift));
	user_end = 1ull << *va_bits;
}

static uint64_t tcr_half0(unsigned gshift, unsigned va_bits)
{
	return (uint64_t)(64 - va_bits) | arm64_tcr_tg0(gshift) |
	       ((uint64_t)ARM64_TCR_RGN_WBWA << ARM64_TCR_IRGN0_SHIFT) |
	       ((uint64_t)ARM64_TCR_RGN_WBWA << ARM64_TCR_ORGN0_SHIFT) |
	       ((uint64_t)ARM64_TCR_SH_INNER << ARM64_TCR_SH0_SHIFT);
}

static uint64_t tcr_half1(unsigned gshift, unsigned va_bits)
{
	return ((uint64_t)(64 - va_bits) << ARM64_TCR_T1SZ_SHIFT) | arm64_tcr_tg1(gshift) |
	       ((uint64_t)ARM64_TCR_RGN_WBWA << ARM64_TCR_IRGN1_SHIFT) |
	       ((uint64_t)ARM64_TCR_RGN_WBWA << ARM64_TCR_ORGN1_SHIFT) |
	       ((uint64_t)ARM64_TCR_SH_INNER << ARM64_TCR_SH1_SHIFT);
}

/* Stages 3 and 4: load the module's tables, drop the identity map, then WXN, PAN. */
void arch_kspace_load(const struct pt_space *s)
{
	volatile void *uart = kspace_map_untracked(uart_pa, 0x1000, PTE_CACHE_UC);
	if (!uart)
		panic("cannot map the UART");
	gic_map();
	if (ecam_pa) {
		uint64_t len = ecam_len < ECAM_MAPPED_LEN ? ecam_len : ECAM_MAPPED_LEN;
		volatile uint32_t *ecam = kspace_map_untracked(ecam_pa, len, PTE_CACHE_UC);
		if (!ecam)
			panic("cannot map the PCIe configuration space");
		a64_ecam = ecam;
	}
	uint64_t gpage = pt_page_size(s);
	empty_user_root = frame_alloc_contig(gpage >> PAGE_SHIFT, gpage, PTDBG_FRAME_KHEAP, OWNER_KERNEL);
	if (!empty_user_root)
		panic("no memory for the empty user root");

	unsigned ips = cpu_features.pa_bits > 48 ? 48 : cpu_features.pa_bits;
	uint64_t ips_field = (uint64_t)arm64_pa_enc(ips) << ARM64_TCR_IPS_SHIFT;
	uint64_t early_tcr = read_sysreg(tcr_el1);
	uint64_t tcr_mid = (early_tcr & (ARM64_GENMASK(15, 0))) | tcr_half1(s->gshift, s->va_bits) | ips_field;
	/* Through the identity map: no fetch uses TTBR1 while it changes. */
	void (*switch_low)(uint64_t, uint64_t) = (void (*)(uint64_t, uint64_t))kimage_phys(early_switch_ttbr1);
	switch_low(s->root, tcr_mid);
	serial_set_base(uart);
	kprintf("ptdbg: boot stage 3: the page-table module's kernel space in TTBR1_EL1 0x%lx "
		"(granule %s, %u-bit, %u levels from lookup level %d); console at %p\n", s->root,
		granule_name(s->gshift), s->va_bits, s->levels, 4 - (int)s->levels, (void *)uart);

	uint64_t tcr = tcr_half0(s->gshift, s->va_bits) | tcr_half1(s->gshift, s->va_bits) | ips_field;
	write_sysreg(ttbr0_el1, empty_user_root);
	write_sysreg(tcr_el1, tcr);
	isb();
	tlb_flush_all();
	kprintf("ptdbg: boot stage 4: identity map dropped: TTBR0_EL1 0x%lx (an empty user root), "
		"TCR_EL1 0x%lx\n", empty_user_root, tcr);

	uint64_t sctlr = read_sysreg(sctlr_el1) | ARM64_SCTLR_WXN;
	if (cpu_features.pan) {
		sctlr &= ~ARM64_SCTLR_SPAN; /* exceptions to EL1 set PSTATE.PAN */
		if (arm64_idfield(cpu_features.mmfr1, ARM64_MMFR1_PAN_SHIFT) >= 3)
			sctlr |= ARM64_SCTLR_EPAN;
	}
	write_sysreg(sctlr_el1, sctlr);
	isb();
	tlb_flush_all();
	if (cpu_features.pan)
		pan_set(1);
	kprintf("ptdbg: paging: SCTLR_EL1 0x%lx (WXN on, PAN %s), MAIR_EL1 0x%lx, PA %u bits\n", sctlr,
		cpu_features.pan ? "on" : "not implemented", read_sysreg(mair_el1), cpu_features.pa_bits);

	struct ptdbg_cpu cpu = { .paging_levels = s->levels };
	region_set_cpu(&cpu);
	struct ptdbg_cpu_arm64 a = {
		.ttbr0 = read_sysreg(ttbr0_el1),
		.ttbr1 = read_sysreg(ttbr1_el1),
		.tcr = read_sysreg(tcr_el1),
		.mair = read_sysreg(mair_el1),
		.sctlr = read_sysreg(sctlr_el1),
		.mmfr0 = cpu_features.mmfr0,
		.granule_shift = s->gshift,
		.va_bits_user = s->va_bits,
		.va_bits_kernel = s->va_bits,
		.pa_bits = ips,
		.levels = s->levels,
		.boot_el = (uint32_t)boot_el,
		.kimage_offset = KERNEL_VBASE,
		.linear_base = LINEAR_BASE,
	};
	region_set_cpu_arm64(&a);
}

/* The empty TTBR0 root loaded when no process runs. */
uint64_t a64_empty_user_root(void)
{
	return empty_user_root;
}

/* Entered from boot.S in the high half, on the boot stack, early blocks on. */
void kmain_a64(uint64_t dtb_pa)
{
	a64_boot_stage = 1;
	serial_init();
	report_early();
	parse_fdt(dtb_pa);
	cmdline_parse(boot_info.cmdline);
	region_init(kopts.ptdbg_on);
	kprintf("ptdbg: kernel booting, scenario=%s bug=%s mem=%lu MiB granule=%s va_bits=%d\n",
		kopts.scenario, bugs_string(), (boot_info.ram_bytes + (1 << 20) - 1) >> 20,
		granule_name((unsigned)kopts.granule_shift), kopts.va_bits);
	cpu_init();
	kprintf("ptdbg: cpu: MIDR_EL1 0x%lx ID_AA64MMFR0_EL1 0x%lx (PA %u bits, granules 4k %d 16k %d 64k %d), "
		"PAN %d\n", cpu_features.midr, cpu_features.mmfr0, cpu_features.pa_bits, cpu_features.gran4,
		cpu_features.gran16, cpu_features.gran64, cpu_features.pan);
	const struct scenario *sc = scenario_select(kopts.scenario);
	check_cpu();
	for (int i = 0; i < boot_info.nranges; i++)
		kprintf("ptdbg: mem [0x%012lx-0x%012lx) %s\n", boot_info.ranges[i].base,
			boot_info.ranges[i].base + boot_info.ranges[i].size,
			mem_type_name(boot_info.ranges[i].type));
	kprintf("ptdbg: devices: PL011 at 0x%lx, GICv%d distributor 0x%lx, %s 0x%lx, PCIe ECAM 0x%lx "
		"(%lu MiB), SMMUv3 %s0x%lx\n", uart_pa, gic_info.version, gic_info.dist_pa,
		gic_info.version == 3 ? "redistributor" : "cpu interface", gic_info.cpu_pa, ecam_pa,
		ecam_len >> 20, smmu.base ? "at " : "none ", smmu.base);
	frames_init();
	kspace_init();
	kprintf("ptdbg: region at 0x%lx (%s)\n", kimage_phys(&ptdbg_region),
		region_enabled() ? "exported" : "off");
	sc->run();
	scenario_ready();
}
