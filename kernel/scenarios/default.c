/*
 * default: a healthy system. Two user processes (alpha, beta) with read-only,
 * read-write and read-execute mappings, stacks with guard pages, filled by demand
 * paging; tracked-window allocations; MMIO (x86-64: APICs, the edu device's BAR;
 * AArch64: the UART and the GIC) in the untracked window; the DMA round trips of
 * scenario dma (x86-64: VT-d; AArch64: when the machine has the SMMUv3). Ends with CR3 = beta's root. Step 1 (after ready) resumes alpha,
 * which maps, protects and unmaps once more (CR3 = alpha's root after it).
 */
#include "debug/panic.h"
#if defined(__x86_64__)
#include "drivers/pci.h"
#else
#include "iommu/domain.h"
#endif
#include "scenarios/dma.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/kspace.h"
#include "mm/vma_diff.h"
#include "mm/pte.h"
#include "proc/process.h"
#include "scenarios/scenario.h"

static struct process *alpha; /* resumed by the steps */

#if defined(__x86_64__)
#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8

/* Map the first page of the edu device's BAR 0 and read its identification. */
static void map_edu(void)
{
	uint16_t bdf;
	if (pci_find(EDU_VENDOR, EDU_DEVICE, &bdf)) {
		kprintf("ptdbg: default: no edu device\n");
		return;
	}
	uint64_t size;
	uint64_t bar = pci_bar(bdf, 0, &size);
	pci_write16(bdf, 0x04, (uint16_t)(pci_read16(bdf, 0x04) | 0x2)); /* memory space on */
	volatile uint32_t *regs = kspace_map_untracked(bar, 0x1000, PTE_CACHE_UC);
	if (!regs)
		panic("cannot map the edu BAR");
	kprintf("ptdbg: default: edu %02x:%02x.%x BAR0 0x%lx (%lu KiB) id 0x%08x at %p\n",
		bdf >> 8, (bdf >> 3) & 31, bdf & 7, bar, size >> 10, regs[0], (void *)regs);
}

#else
extern volatile uint32_t *a64_ecam;

/* The untracked window holds the UART, the GIC and bus 0 of the PCIe
 * configuration space (mapped at boot): read the host bridge's identification
 * through the last. */
static void map_edu(void)
{
	if (!a64_ecam) {
		kprintf("ptdbg: default: no PCIe configuration space\n");
		return;
	}
	kprintf("ptdbg: default: PCIe 00:00.0 id 0x%08x through the ECAM mapping at %p\n", a64_ecam[0],
		(void *)a64_ecam);
}

/* The DMA round trips of scenario dma when the machine has an SMMU (iommu=smmuv3). */
static void dma_part(void)
{
	if (iommu_unit_init()) {
		kprintf("ptdbg: default: no SMMUv3 in the device tree: no DMA\n");
		return;
	}
	dma_healthy_part();
}
#endif

static void run_until_paused(struct process *p)
{
	enum proc_state st = proc_run(p);
	if (st != PROC_PAUSED)
		panic("process %s did not pause (state %d)", p->name, st);
}

static void run(void)
{
	static const uint64_t sizes[] = { 1, 3, 2 };
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint8_t *buf = kspace_alloc_tracked(sizes[i]);
		if (!buf)
			panic("tracked window allocation failed");
		memset(buf, 0x5a + (int)i, sizes[i] * 4096);
		kprintf("ptdbg: default: tracked buffer %u: %lu pages at %p\n", i, sizes[i], (void *)buf);
	}
	map_edu();

	alpha = proc_create("alpha", "alpha");
	struct process *beta = proc_create("beta", "beta");
	if (!alpha || !beta)
		panic("cannot create the default processes");
	run_until_paused(alpha);
	run_until_paused(beta);
	kprintf("ptdbg: default: 2 processes paused, %lu frames free of %lu\n", frames_free(),
		frames_ram());
#if defined(__x86_64__)
	dma_healthy_part();
#else
	dma_part();
#endif
}

/* Step 1: alpha, resumed, maps three pages, makes one read-only, unmaps one and
 * pauses again; print every area that changed. CR3 is alpha's root afterwards. */
static int step(unsigned n)
{
	if (n != 1)
		return -1;
	static struct vma_snapshot before;
	vma_snapshot_take(&alpha->us, &before);
	run_until_paused(alpha);
	if (!vma_diff_print("ptdbg: step 1: alpha:", &before, &alpha->us))
		kprintf("ptdbg: step 1: alpha: no area changed\n");
	return 0;
}

const struct scenario scenario_default = {
	.name = "default",
	.summary = "healthy system: two processes, both windows in use",
	.bugs = { 0 },
	.run = run,
	.step = step,
};
