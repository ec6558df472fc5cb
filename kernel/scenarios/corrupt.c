/*
 * corrupt: a hostile guest for the tools. The kernel builds an address space
 * "victim" with the normal page-table module -- a user space with a few mappings,
 * exported in the region as USER, never loaded in CR3 (on AArch64 it is TTBR0 once
 * damaged: see run()) -- and then, for
 * every bug= switch, damages the victim, the VT-d tables (x86-64), the SMMUv3 (AArch64) or the region
 * header in one way the tools must survive: finish quickly, report, never hang or
 * crash. Everything
 * damaged is something the running kernel does not use, so the kernel idles on
 * (ready) for inspection. Without a switch the victim stays intact.
 *
 * The damage is applied before "ptdbg: ready" (tests attach right after it) and
 * each switch prints what it changed, with addresses. The region header damage
 * comes last: from then on no code writes the fields it changed (region.c keeps
 * its own counts; nothing in the kernel reads the header back).
 *
 * The victim's geometry is the kernel's (granule, levels): its addresses are
 * given in pages and level-2 entries, which on x86-64 are the 4 KiB and 2 MiB
 * values below. The values written are the architecture's encodings: generic
 * ones through the paging format, the rest per architecture.
 */
#include "arch/cpu.h"
#include "arch/proc.h"
#include "core/cmdline.h"
#include "debug/panic.h"
#include "debug/region.h"
#if defined(__x86_64__)
#include "drivers/apic.h"
#include "iommu/vtd.h"
#include "iommu/vtd_defs.h"
#endif
#if defined(__aarch64__)
#include "iommu/smmu.h"
#endif
#include "lib/printf.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/kspace.h"
#include "mm/layout.h"
#include "mm/pt.h"
#include "mm/pt_format.h"
#include "mm/pte.h"
#include "mm/uspace.h"
#include "scenarios/scenario.h"
#include "uapi/syscall.h"

static struct pt_space victim;
static int victim_index; /* its address-space index in the region */

/* Page and level-2 entry sizes of the victim (x86-64: 4 KiB and 2 MiB). */
#define PG   pt_page_size(&victim)
#define L2   pt_level_size(&victim, 2)

/* The victim's intact mappings (all in user space; x86-64 values). */
#define V_TEXT        0x0000000000400000ul  /* one page, R+X */
#define V_DATA        (V_TEXT + 1 * PG)     /* 0x401000, RW */
#define V_RODATA      (V_TEXT + 2 * PG)     /* 0x402000, R */
#define V_HUGE        (3 * L2)              /* 0x600000, a level-2 leaf, RW */
#define V_HIGH        victim_high()         /* 0x40000000, RW: below the second PDPT entry */
#define V_TOP         victim_top()          /* 0x10000000000, RW: below the third PML4 entry */

/* Slots the damage writes (empty in the intact victim). */
#define V_PAST_RAM_LEAF  (V_TEXT + 3 * PG)  /* 0x403000, PT entry */
#define V_MMIO_LEAF      (V_TEXT + 4 * PG)  /* 0x404000, PT entry */
#define V_CYCLE_LEAF     (V_TEXT + 8 * PG)  /* 0x408000, PT entry */
#define V_CYCLE_TABLE    (4 * L2)           /* 0x800000, PD entry */
#define V_PAST_RAM_TABLE (5 * L2)           /* 0xa00000, PD entry */
#define V_MMIO_TABLE     (6 * L2)           /* 0xc00000, PD entry */
#define SELF_REF_SLOT    (pt_entries(&victim, (int)victim.levels) - 2) /* root entry (510) */

/* One level-3 entry up (x86-64: 1 GiB), or past the level-2 slots when that is
 * not in user space. */
static uint64_t victim_high(void)
{
	uint64_t high = victim.levels >= 3 ? pt_level_size(&victim, 3) : 7 * L2;
	return high < USER_END / 2 ? high : 7 * L2;
}

/* Two level-4 entries up (x86-64: 1 TiB), within user space. */
static uint64_t victim_top(void)
{
	int l = victim.levels < 4 ? (int)victim.levels : 4;
	uint64_t top = 2 * pt_level_size(&victim, l);
	return top < USER_END ? top : USER_END / 2;
}

/* Whether the victim has a level-2 leaf (the granule allows it and it is small
 * enough to allocate: 2 MiB with 4 KiB, 32 MiB with 16 KiB, not 64 KiB's 512 MiB). */
static int victim_has_huge(void)
{
	return ptf_leaf_ok(&victim, 2) && L2 <= (32ull << 20);
}

#define VICTIM_ID     1000                /* the victim space's id (no process has it) */
#define PAST_RAM      0x0000007f00000000ul /* 508 GiB: no RAM there */
#define PAGE_PATTERN  0xa5

/* VT-d: contexts of two BDFs without a device (00:10.0 and 00:10.1), in domains
 * the kernel does not use. */
#define GARBAGE_BDF_PAST_RAM 0x0080
#define GARBAGE_BDF_RESERVED 0x0081
#define GARBAGE_DID_PAST_RAM 0xfe
#define GARBAGE_DID_RESERVED 0xfd
#define VTD_CTX_HI_RESERVED_BIT (1ull << 40) /* bits 63:24 (legacy) / 63:21 (scalable) */
#if defined(__x86_64__)
_Static_assert((VTD_CTX_HI_RESERVED_BIT & ~(VTD_CTX_HI_RSVD & VTD_SMCTX_W1_RSVD)) == 0,
	       "the damage must be reserved in both context-entry formats");
#endif

/* Region header damage. */
#define ABSURD_FRAMES_COUNT 0x0000010000000000ul /* 2^40 frames: 16 TiB of metadata */
#define ABSURD_FAULTS_TOTAL 0xfffffffffffffffful /* with a ring of capacity 0 */

#if defined(__aarch64__)
static const char *const level_names[] = { "?", "L3", "L2", "L1", "L0", "L-1" };
#else
static const char *const level_names[] = { "?", "PT", "PD", "PDPT", "PML4", "PML5" };
#endif

static inline unsigned entry_index(uint64_t va, int level)
{
	return (unsigned)(va >> pt_level_shift(&victim, level)) & (pt_entries(&victim, level) - 1);
}

/* The entry at `level` on the walk for va in the victim, descending through present
 * table entries; NULL when a non-present entry or a leaf above `level` ends the walk. */
static uint64_t *entry_at(uint64_t va, int level)
{
	uint64_t *node = phys_to_virt(victim.root);
	for (int l = (int)victim.levels; l > level; l--) {
		uint64_t e = node[entry_index(va, l)];
		if (!ptf_valid(e) || ptf_is_leaf(e, l))
			return 0;
		node = phys_to_virt(ptf_table_addr(&victim, e));
	}
	return &node[entry_index(va, level)];
}

/* The physical address of the table holding the entry for va at `level`. */
static uint64_t table_of(uint64_t va, int level)
{
	uint64_t *e = entry_at(va, level);
	if (!e)
		panic("corrupt: no %s for 0x%lx in the victim", level_names[level], va);
	return virt_to_phys(e) & ~(PG - 1);
}

/* Replace the victim's entry at `level` for va by `value` and print the change,
 * labelled with the switch name and what it means. */
static void poke(const char *bug, int level, uint64_t va, uint64_t value, const char *what)
{
	uint64_t *e = entry_at(va, level);
	if (!e)
		panic("corrupt: %s: no %s entry for 0x%lx in the victim", bug, level_names[level], va);
	uint64_t old = *e, at = virt_to_phys(e), table = at & ~(PG - 1);
	region_begin();
	*e = value;
	region_end();
	kprintf("ptdbg: corrupt: %s: %s 0x%lx entry %u (va 0x%lx) at 0x%lx: 0x%016lx -> 0x%016lx: %s\n",
		bug, level_names[level], table, entry_index(va, level), va, at, old, value, what);
}

/* Map a leaf of `size` (a page, or a level-2 leaf) over fresh contiguous tracked
 * frames filled with a pattern; the mapping holds the frames. */
static void victim_map(uint64_t va, uint64_t size, uint32_t prot)
{
	uint64_t n = size / PAGE_SIZE;
	uint64_t pa = n == 1 ? frame_alloc(PTDBG_FRAME_TRACKED, (uint32_t)victim_index)
			     : frame_alloc_contig(n, size, PTDBG_FRAME_TRACKED, (uint32_t)victim_index);
	if (!pa)
		panic("corrupt: no %lu KiB of frames for the victim", size >> 10);
	memset(phys_to_virt(pa), PAGE_PATTERN, size);
	if (pt_map(&victim, va, pa, size, uspace_prot_attrs(prot)))
		panic("corrupt: cannot map 0x%lx in the victim", va);
	for (uint64_t off = 0; off < size; off += PAGE_SIZE)
		frame_put(pa + off);
}
static void victim_map_page(uint64_t va, uint32_t prot) { victim_map(va, PG, prot); }

/* Build the intact victim: a user space sharing the kernel half, exported as USER,
 * never loaded in CR3. */
static void victim_build(void)
{
	victim_index = region_add_space("victim", PTDBG_AS_USER, VICTIM_ID, 0, kernel_space.levels);
	if (victim_index < 0 || pt_space_init_user(&victim, &kernel_space, victim_index))
		panic("corrupt: no address space for the victim");
	region_update_space(victim_index, victim.root, PTDBG_AS_F_LIVE);
	victim_map_page(V_TEXT, PROT_READ | PROT_EXEC);
	victim_map_page(V_DATA, PROT_READ | PROT_WRITE);
	victim_map_page(V_RODATA, PROT_READ);
	if (victim_has_huge())
		victim_map(V_HUGE, L2, PROT_READ | PROT_WRITE);
	victim_map_page(V_HIGH, PROT_READ | PROT_WRITE);
	victim_map_page(V_TOP, PROT_READ | PROT_WRITE);
	kprintf("ptdbg: corrupt: victim (address space %d, id %u, %u levels): root 0x%lx; 0x%lx r-x, "
		"0x%lx rw-, 0x%lx r--, 0x%lx rw- (%lu MiB%s), 0x%lx rw-, 0x%lx rw-\n", victim_index,
		VICTIM_ID, victim.levels, victim.root, V_TEXT, V_DATA, V_RODATA, V_HUGE, L2 >> 20,
		victim_has_huge() ? "" : ": not mapped in this granule", V_HIGH, V_TOP);
}

/* pt-cycle: a PT entry mapping the PD above it, and a PD table entry pointing to the
 * root: walkers that follow addresses meet an ancestor again. */
static void damage_pt_cycle(const char *bug)
{
	uint64_t pd = table_of(V_TEXT, 2);
	poke(bug, 1, V_CYCLE_LEAF, ptf_leaf(&victim, pd, 1, pte_user_attrs(1, 0)),
	     "leaf mapping its own PD (an ancestor)");
	poke(bug, 2, V_CYCLE_TABLE, ptf_table(&victim, victim.root, V_CYCLE_TABLE),
	     "table pointer to the root (an ancestor)");
}

/* self-ref: the recursive slot, root[510] -> root (supervisor, read-write, NX). */
static void damage_self_ref(const char *bug)
{
	unsigned shift = pt_level_shift(&victim, (int)victim.levels), width = victim.va_bits;
	uint64_t va = (uint64_t)((int64_t)((uint64_t)SELF_REF_SLOT << shift << (64 - width)) >>
				 (64 - width));
#if defined(__aarch64__)
	va = ptf_canonical(&victim, va); /* TTBR0: no sign extension */
	uint64_t value = ptf_table(&victim, victim.root, va);
#else
	uint64_t value = victim.root | PTE_P | PTE_RW | PTE_NX;
#endif
	if (ptf_valid(*entry_at(va, (int)victim.levels)))
		panic("corrupt: root slot %u is in use", SELF_REF_SLOT);
	poke(bug, (int)victim.levels, va, value,
	     "recursive slot: the root maps itself (a legitimate technique)");
}

/* The first physical address the damage uses as "past the end of RAM". */
static uint64_t past_ram(void)
{
	uint64_t end = frames_count() * PAGE_SIZE;
	return end < PAST_RAM ? PAST_RAM : (end + HUGE_1G - 1) & ~(uint64_t)(HUGE_1G - 1);
}

/* past-ram: a leaf and a table pointer past the end of RAM. */
static void damage_past_ram(const char *bug)
{
	uint64_t pa = past_ram();
	kprintf("ptdbg: corrupt: %s: RAM ends at 0x%lx\n", bug, frames_count() * PAGE_SIZE);
	poke(bug, 1, V_PAST_RAM_LEAF, ptf_leaf(&victim, pa, 1, pte_user_attrs(0, 0)),
	     "leaf past the end of RAM");
	poke(bug, 2, V_PAST_RAM_TABLE, ptf_table(&victim, pa + L2, V_PAST_RAM_TABLE),
	     "table pointer past the end of RAM");
}

#if defined(__aarch64__)
#define GICD_PHYS 0x08000000ul /* the virt machine's GIC distributor */

/* mmio: a user leaf mapping the GIC distributor (Device memory) and a table
 * pointer into it. */
static void damage_mmio(const char *bug)
{
	uint64_t attrs = (pte_user_attrs(1, 0) & ~(ARM64_DESC_ATTRINDX_MASK | ARM64_DESC_SH_MASK)) |
			 PTE_CACHE_UC;
	poke(bug, 1, V_MMIO_LEAF, ptf_leaf(&victim, GICD_PHYS, 1, attrs),
	     "user leaf mapping the GIC distributor (Device-nGnRnE)");
	poke(bug, 2, V_MMIO_TABLE, ptf_table(&victim, GICD_PHYS, V_MMIO_TABLE),
	     "table pointer into MMIO (the GIC distributor)");
}

/* reserved: bit 49 (RES0 with 48-bit output addresses) in a page and in a table
 * pointer, and two RES0 bits of the level-2 block's output-address field. */
static void damage_reserved(const char *bug)
{
	poke(bug, 1, V_DATA, *entry_at(V_DATA, 1) | (1ull << 49),
	     "page with bit 49 set (RES0: OA[51:48] without FEAT_LPA)");
	int l = victim.levels >= 3 ? 3 : 2;
	poke(bug, l, V_HIGH, *entry_at(V_HIGH, l) | (1ull << 49),
	     "table pointer with bit 49 set (RES0)");
	if (!victim_has_huge()) {
		kprintf("ptdbg: corrupt: %s: no level-2 block in this granule\n", bug);
		return;
	}
	unsigned hi = pt_level_shift(&victim, 2) - 1;
	char what[96];
	ksnprintf(what, sizeof(what), "level-2 block with bits 17 and %u set (RES0: %u:17)", hi, hi);
	poke(bug, 2, V_HUGE, *entry_at(V_HUGE, 2) | (1ull << 17) | (1ull << hi), what);
}

/* block-level: a block descriptor where the granule forbids one: the highest
 * level without blocks above the pages (4 KiB, 48-bit: lookup level 0; 64 KiB,
 * 48-bit: level 1), else a level-3 descriptor with bits[1:0] = 01 (reserved). The
 * table or page entry for V_TOP loses bit 1. */
static void damage_block_level(const char *bug)
{
	int l = 1;
	for (int k = (int)victim.levels; k > 1; k--)
		if (!ptf_leaf_ok(&victim, k)) {
			l = k;
			break;
		}
	char what[96];
	ksnprintf(what, sizeof(what), "block descriptor at lookup level %d, where the %lu KiB granule "
		  "has no blocks", 4 - l, PG >> 10);
	poke(bug, l, V_TOP, *entry_at(V_TOP, l) & ~ARM64_DESC_TYPE, what);
}

/* SMMUv3 damage needs the unit (scripts/vm --smmu on); without one it says so.
 * smmu-cd-self comes before smmu-strtab-past-ram: its STE is in the table the
 * unit reads until STRTAB_BASE moves. */
#define GARBAGE_SID 0xf0 /* a stream id without a device */
static int smmu_ready(const char *bug)
{
	if (smmu_init()) {
		kprintf("ptdbg: corrupt: %s: no SMMUv3 (boot with iommu=smmuv3): nothing to damage\n", bug);
		return 0;
	}
	return 1;
}

/* smmu-strtab-past-ram: STRTAB_BASE past the end of RAM. */
static void damage_smmu_strtab(const char *bug)
{
	if (!smmu_ready(bug))
		return;
	uint64_t old = smmu.strtab_base, pa = past_ram();
	smmu_damage_strtab(pa);
	kprintf("ptdbg: corrupt: %s: STRTAB_BASE 0x%016lx -> 0x%016lx: stream table past RAM\n", bug, old,
		(uint64_t)smmu_reg32(SMMU_REG_STRTAB_BASE) | (uint64_t)smmu_reg32(SMMU_REG_STRTAB_BASE + 4) << 32);
}

/* smmu-cd-self: a stream's two-level CD table whose level-1 descriptor points at
 * that table. */
static void damage_smmu_cd_self(const char *bug)
{
	if (!smmu_ready(bug))
		return;
	uint64_t ste = smmu_damage_cd_self(GARBAGE_SID);
	const volatile uint64_t *s = phys_to_virt(ste);
	kprintf("ptdbg: corrupt: %s: stream 0x%x STE at 0x%lx: 0x%016lx: CD table 0x%lx whose level-1 "
		"descriptor 0 points at itself\n", bug, GARBAGE_SID, ste, s[0], (uint64_t)(s[0] & SMMU_STE0_S1CTXPTR));
}

/* smmu-evtq-index: EVENTQ_PROD and EVENTQ_CONS with indexes past the queue's size
 * (every index bit up to bit 19 set in PROD). */
static void damage_smmu_evtq(const char *bug)
{
	if (!smmu_ready(bug))
		return;
	uint32_t size = 1u << smmu.evtq_log2;
	uint32_t prod = SMMU_Q_IDX_WRP_MASK, cons = 3 * size + 5;
	smmu_damage_evtq_index(prod, cons);
	kprintf("ptdbg: corrupt: %s: event queue of %u entries: EVENTQ_PROD 0x%x, EVENTQ_CONS 0x%x "
		"(written 0x%x, 0x%x: indexes past the queue)\n", bug, size, smmu_reg32(SMMU_REG_EVENTQ_PROD),
		smmu_reg32(SMMU_REG_EVENTQ_CONS), prod, cons);
}
#else
/* mmio: a leaf mapping the local APIC (uncached) and a table pointer into it. */
static void damage_mmio(const char *bug)
{
	poke(bug, 1, V_MMIO_LEAF, LAPIC_PHYS | X86_PTE_P | X86_PTE_RW | X86_PTE_US | X86_PTE_NX | PTE_CACHE_UC,
	     "user leaf mapping the local APIC");
	poke(bug, 2, V_MMIO_TABLE, LAPIC_PHYS | X86_PTE_P | X86_PTE_RW | X86_PTE_US,
	     "table pointer into MMIO (the local APIC)");
}

/* reserved: bit 51 in a 4 KiB leaf, bit MAXPHYADDR in a table pointer (both in
 * 51:MAXPHYADDR), bits 13 and 20 (of 20:13) in the 2 MiB leaf. */
static void damage_reserved(const char *bug)
{
	unsigned maxphy = cpu_features.maxphyaddr;
	if (maxphy < 52) {
		poke(bug, 1, V_DATA, *entry_at(V_DATA, 1) | (1ull << 51),
		     "leaf with bit 51 set (reserved: 51:MAXPHYADDR)");
		uint64_t bit = 1ull << maxphy;
		poke(bug, 3, V_HIGH, *entry_at(V_HIGH, 3) | bit,
		     "table pointer with bit MAXPHYADDR set (reserved)");
	} else {
		kprintf("ptdbg: corrupt: %s: MAXPHYADDR is %u: no reserved address bits\n", bug, maxphy);
	}
	poke(bug, 2, V_HUGE, *entry_at(V_HUGE, 2) | (1ull << 13) | (1ull << 20),
	     "2 MiB leaf with bits 13 and 20 set (reserved: 20:13)");
}

/* huge-top: PS=1 in the PML4 entry above V_TOP (a valid PDPT address below it). */
static void damage_huge_top(const char *bug)
{
	poke(bug, 4, V_TOP, *entry_at(V_TOP, 4) | X86_PTE_PS, "PS=1 in a PML4 entry (reserved)");
}

#endif

/* region-counts: absurd counts and element sizes in the header's array references.
 * The arrays themselves stay intact (region.c writes them through its own pointers
 * and counts). */
static void damage_region_counts(const char *bug)
{
	struct ptdbg_region *r = &ptdbg_region;
	if (!region_enabled()) {
		kprintf("ptdbg: corrupt: %s: the region is off (ptdbg=off): nothing to damage\n", bug);
		return;
	}
	region_begin();
	kprintf("ptdbg: corrupt: %s: markers.count %u -> 0xffffffff (capacity %u)\n", bug,
		r->markers.count, r->markers.capacity);
	r->markers.count = 0xffffffffu;
	kprintf("ptdbg: corrupt: %s: spaces.elem_size %u -> 0 (count %u)\n", bug,
		r->spaces.elem_size, r->spaces.count);
	r->spaces.elem_size = 0;
	kprintf("ptdbg: corrupt: %s: frames.count %lu -> 0x%lx (array at 0x%lx)\n", bug,
		r->frames.count, ABSURD_FRAMES_COUNT, r->frames.phys);
	r->frames.count = ABSURD_FRAMES_COUNT;
	kprintf("ptdbg: corrupt: %s: faults.ring.capacity %u -> 0, count %u -> %u, total %lu -> %lu\n",
		bug, r->faults.ring.capacity, r->faults.ring.count, REGION_FAULT_RING, r->faults.total,
		ABSURD_FAULTS_TOTAL);
	r->faults.ring.capacity = 0;
	r->faults.ring.count = REGION_FAULT_RING;
	r->faults.total = ABSURD_FAULTS_TOTAL;
	kprintf("ptdbg: corrupt: %s: iommu.dma_bufs.elem_size %u -> 0xffffffff, count %u -> 0xffffffff, "
		"phys 0x%lx -> 0x%lx\n", bug, r->iommu.dma_bufs.elem_size, r->iommu.dma_bufs.count,
		r->iommu.dma_bufs.phys, past_ram());
	r->iommu.dma_bufs.elem_size = 0xffffffffu;
	r->iommu.dma_bufs.count = 0xffffffffu;
	r->iommu.dma_bufs.phys = past_ram();
	region_end();
}

/* region-torn: an update begun and never ended: the generation stays odd. */
static void damage_region_torn(const char *bug)
{
	if (!region_enabled()) {
		kprintf("ptdbg: corrupt: %s: the region is off (ptdbg=off): nothing to damage\n", bug);
		return;
	}
	region_begin();
	kprintf("ptdbg: corrupt: %s: region at 0x%lx: generation left odd (%lu)\n", bug,
		kimage_phys(&ptdbg_region), ptdbg_region.generation);
}

#if defined(__x86_64__)
/* The context entry of bdf in the unit's tables (set by vtd_set_context before). */
static volatile uint64_t *context_entry(uint16_t bdf)
{
	unsigned bus = bdf >> 8, devfn = bdf & 0xff;
	int scalable = vtd.mode == PTDBG_IOMMU_SCALABLE;
	unsigned upper = scalable && devfn >= VTD_SMCTX_PER_TABLE;
	const uint64_t *root = phys_to_virt(vtd.root_table);
	uint64_t ct = root[bus * 2 + upper] & VTD_SL_ADDR;
	if (!ct)
		panic("corrupt: no context table for bus %u", bus);
	uint64_t *table = phys_to_virt(ct);
	return scalable ? table + 4 * (devfn % VTD_SMCTX_PER_TABLE) : table + 2 * devfn;
}

static void print_context(const char *bug, uint16_t bdf, const char *what)
{
	volatile uint64_t *ce = context_entry(bdf);
	kprintf("ptdbg: corrupt: %s: context %02x:%02x.%x at 0x%lx: 0x%016lx 0x%016lx: %s\n", bug,
		bdf >> 8, (bdf >> 3) & 31, bdf & 7, virt_to_phys((const void *)ce), ce[1], ce[0],
		what);
}

/* vtd-garbage: VT-d on, then the contexts of two absent devices: one whose
 * second-level pointer is past RAM, one with reserved bits set (over an empty
 * table). The context cache is invalidated after each change. */
static void damage_vtd_garbage(const char *bug)
{
	if (vtd_init()) {
		kprintf("ptdbg: corrupt: %s: no VT-d unit: nothing to damage\n", bug);
		return;
	}
	uint64_t garbage = past_ram();
	vtd_set_context(GARBAGE_BDF_PAST_RAM, GARBAGE_DID_PAST_RAM, garbage, 0);
	print_context(bug, GARBAGE_BDF_PAST_RAM,
		      vtd.mode == PTDBG_IOMMU_SCALABLE ? "PASID entry's second-level pointer past RAM"
						       : "second-level pointer past RAM");
	uint64_t empty = frame_alloc(PTDBG_FRAME_UNTRACKED, OWNER_KERNEL);
	if (!empty)
		panic("corrupt: no frame for an empty second-level table");
	vtd_set_context(GARBAGE_BDF_RESERVED, GARBAGE_DID_RESERVED, empty, 0);
	volatile uint64_t *ce = context_entry(GARBAGE_BDF_RESERVED);
	region_begin();
	ce[1] |= VTD_CTX_HI_RESERVED_BIT;
	region_end();
	vtd_flush_context_global();
	print_context(bug, GARBAGE_BDF_RESERVED, "bit 104 set (reserved), over an empty table");
	kprintf("ptdbg: corrupt: %s: %s mode, root table 0x%lx; context cache invalidated\n", bug,
		vtd.mode == PTDBG_IOMMU_SCALABLE ? "scalable" : "legacy", vtd.root_table);
}

#endif

/* Every switch, its name once: the scenario's bug list and the damage table. Region
 * damage comes last (nothing may write the header after it), the torn generation
 * very last. */
#if defined(__aarch64__)
#define CORRUPT_SWITCHES(X)                        \
	X("pt-cycle", damage_pt_cycle)             \
	X("self-ref", damage_self_ref)             \
	X("past-ram", damage_past_ram)             \
	X("mmio", damage_mmio)                     \
	X("reserved", damage_reserved)             \
	X("block-level", damage_block_level)       \
	X("smmu-cd-self", damage_smmu_cd_self)     \
	X("smmu-strtab-past-ram", damage_smmu_strtab) \
	X("smmu-evtq-index", damage_smmu_evtq)     \
	X("region-counts", damage_region_counts)   \
	X("region-torn", damage_region_torn)
#else
#define CORRUPT_SWITCHES(X)                        \
	X("pt-cycle", damage_pt_cycle)             \
	X("self-ref", damage_self_ref)             \
	X("past-ram", damage_past_ram)             \
	X("mmio", damage_mmio)                     \
	X("reserved", damage_reserved)             \
	X("huge-top", damage_huge_top)             \
	X("vtd-garbage", damage_vtd_garbage)       \
	X("region-counts", damage_region_counts)   \
	X("region-torn", damage_region_torn)
#endif

struct damage {
	const char *bug;
	void (*apply)(const char *bug);
};

#define DAMAGE_ENTRY(name, fn) { name, fn },
static const struct damage damages[] = { CORRUPT_SWITCHES(DAMAGE_ENTRY) };
#undef DAMAGE_ENTRY

static void run(void)
{
	victim_build();
	int applied = 0;
	for (unsigned i = 0; i < sizeof(damages) / sizeof(damages[0]); i++) {
		if (!bug_enabled(damages[i].bug))
			continue;
		damages[i].apply(damages[i].bug);
		applied++;
	}
	kprintf("ptdbg: corrupt: %d switch%s applied (%s)%s\n", applied, applied == 1 ? "" : "es",
		bugs_string(), applied ? "" : ": the victim is intact");
#if defined(__aarch64__)
	/* TTBR0 holds only the user half and no process runs here: the victim is the
	 * CPU's current TTBR0 while the kernel idles, so the tools and QEMU see the
	 * damage through the CPU's own registers (x86-64 keeps it out of CR3: the
	 * victim shares the kernel half there). */
	arch_enter_user_space(victim.root, 0);
	kprintf("ptdbg: corrupt: the victim is loaded in TTBR0 (0x%lx)\n", victim.root);
#endif
}

#define BUG_NAME(name, fn) name,
const struct scenario scenario_corrupt = {
	.name = "corrupt",
	.summary = "a victim address space, VT-d contexts (x86-64) or the SMMUv3 (AArch64) and a region header, damaged",
	.bugs = { CORRUPT_SWITCHES(BUG_NAME) 0 },
	.run = run,
};
#undef BUG_NAME
