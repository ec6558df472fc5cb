/* The VT-d unit: discovery, root/context/PASID tables, commands and invalidation. */
#include "debug/panic.h"
#include "debug/region.h"
#include "iommu/acpi_dmar.h"
#include "iommu/pci_enum.h"
#include "iommu/vtd.h"
#include "iommu/vtd_defs.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/kspace.h"
#include "mm/layout.h"
#include "mm/pte.h"

#define VTD_WAIT_POLLS 10000000u /* bound on polls of a status bit (well over a second) */

struct vtd_unit vtd;
static int vtd_state; /* 0: not tried, 1: enabled, -1: no unit */

/* Root table entries, and the context tables they point to, by bus (and half in
 * scalable mode); 0 when not allocated yet. */
static uint64_t ctx_table[256][2];

static uint32_t rd32(uint64_t off) { return *(volatile uint32_t *)(vtd.regs + off); }
static uint64_t rd64(uint64_t off) { return *(volatile uint64_t *)(vtd.regs + off); }
static void wr32(uint64_t off, uint32_t v) { *(volatile uint32_t *)(vtd.regs + off) = v; }
static void wr64(uint64_t off, uint64_t v) { *(volatile uint64_t *)(vtd.regs + off) = v; }

/* Allocate a zeroed frame for a VT-d structure (root, context, PASID tables). */
static uint64_t table_frame(void)
{
	uint64_t pa = frame_alloc(PTDBG_FRAME_KHEAP, OWNER_KERNEL);
	if (!pa)
		panic("vt-d: out of frames for translation structures");
	return pa;
}

/* Issue a GCMD command bit (preserving the persistent status bits, VT-d 10.4.4) and
 * wait until GSTS shows it as `want` (1 or 0). */
static void gcmd(uint32_t bit, int set, const char *name)
{
	uint32_t sts = rd32(VTD_REG_GSTS) & VTD_GCMD_ONESHOT_MASK;
	wr32(VTD_REG_GCMD, set ? (sts | bit) : (sts & ~bit));
	for (uint32_t i = 0; i < VTD_WAIT_POLLS; i++) {
		uint32_t g = rd32(VTD_REG_GSTS);
		if (!!(g & bit) == !!set)
			return;
		__asm__ volatile("pause");
	}
	panic("vt-d: timeout waiting for GSTS after %s (GSTS 0x%08x, unit 0x%lx)", name,
	      rd32(VTD_REG_GSTS), vtd.reg_base);
}

/* Write a 64-bit command register and wait for its busy bit to clear. */
static void command64(uint64_t off, uint64_t value, uint64_t busy, const char *name)
{
	wr64(off, value);
	for (uint32_t i = 0; i < VTD_WAIT_POLLS; i++) {
		if (!(rd64(off) & busy))
			return;
		__asm__ volatile("pause");
	}
	panic("vt-d: timeout waiting for %s to complete (register 0x%lx = 0x%016lx)", name, off,
	      rd64(off));
}

void vtd_flush_context_global(void)
{
	command64(VTD_REG_CCMD, VTD_CCMD_ICC | VTD_CCMD_CIRG_GLOBAL, VTD_CCMD_ICC,
		  "global context-cache invalidation (CCMD.ICC)");
}

void vtd_flush_iotlb_global(void)
{
	command64(vtd.iotlb_reg, VTD_IOTLB_IVT | VTD_IOTLB_IIRG_GLOBAL | VTD_IOTLB_DR | VTD_IOTLB_DW,
		  VTD_IOTLB_IVT, "global IOTLB invalidation (IOTLB.IVT)");
}

void vtd_flush_iotlb_domain(uint16_t did)
{
	command64(vtd.iotlb_reg,
		  VTD_IOTLB_IVT | VTD_IOTLB_IIRG_DOMAIN | VTD_IOTLB_DR | VTD_IOTLB_DW | VTD_IOTLB_DID_PUT(did),
		  VTD_IOTLB_IVT, "domain IOTLB invalidation (IOTLB.IVT)");
}

/* The largest address width CAP.SAGAW offers: bit 1 = 39-bit 3-level, bit 2 =
 * 48-bit 4-level, bit 3 = 57-bit 5-level (QEMU: aw-bits=39 offers 39 only,
 * aw-bits=48 offers 39 and 48). */
static void choose_width(void)
{
	unsigned sagaw = VTD_CAP_SAGAW(vtd.cap);
	for (unsigned code = 3; code >= 1; code--) {
		unsigned aw = 30 + 9 * code;
		if (sagaw & (1u << code)) {
			vtd.aw_bits = aw;
			vtd.levels = code + 2;
			return;
		}
	}
	panic("vt-d: CAP.SAGAW 0x%x offers no 39/48/57-bit table (cap 0x%016lx)", sagaw, vtd.cap);
}

/* Print the capability fields the kernel relies on. */
static void print_caps(void)
{
	char line[256];
	int n = ksnprintf(line, sizeof(line), "cap");
	for (size_t i = 0; i < vtd_cap_fields_count; i++)
		n += ksnprintf(line + n, sizeof(line) - (size_t)n, " %s=0x%lx", vtd_cap_fields[i].name,
			       vtd_field_get(&vtd_cap_fields[i], vtd.cap));
	kprintf("ptdbg: vt-d: %s\n", line);
	n = ksnprintf(line, sizeof(line), "ecap");
	for (size_t i = 0; i < vtd_ecap_fields_count; i++)
		n += ksnprintf(line + n, sizeof(line) - (size_t)n, " %s=0x%lx", vtd_ecap_fields[i].name,
			       vtd_field_get(&vtd_ecap_fields[i], vtd.ecap));
	kprintf("ptdbg: vt-d: %s\n", line);
}

int vtd_enabled(void)
{
	return vtd_state == 1;
}

/* Discover, set the root table, invalidate, enable. */
int vtd_init(void)
{
	if (vtd_state)
		return vtd_state == 1 ? 0 : -1;
	vtd_state = -1;
	struct dmar_unit u;
	if (acpi_find_dmar(&u))
		return -1;
	pci_print_bus0();
	memset(&vtd, 0, sizeof(vtd));
	vtd.reg_base = u.reg_base;
	vtd.segment = u.segment;
	vtd.regs = kspace_map_untracked(u.reg_base, VTD_REGS_SIZE, PTE_CACHE_UC);
	if (!vtd.regs)
		panic("vt-d: cannot map the registers at 0x%lx", u.reg_base);
	vtd.ver = rd32(VTD_REG_VER);
	vtd.cap = rd64(VTD_REG_CAP);
	vtd.ecap = rd64(VTD_REG_ECAP);
	vtd.iotlb_reg = VTD_ECAP_IRO(vtd.ecap) + VTD_REG_IOTLB_OFF;
	vtd.frcd_reg = VTD_CAP_FRO(vtd.cap);
	vtd.nfr = VTD_CAP_NFR(vtd.cap);
	int scalable = (vtd.ecap & VTD_ECAP_SMTS) && (vtd.ecap & VTD_ECAP_SLTS);
	vtd.mode = scalable ? PTDBG_IOMMU_SCALABLE : PTDBG_IOMMU_LEGACY;
	choose_width();
	kprintf("ptdbg: vt-d: DMAR 0x%lx: DRHD segment %u flags 0x%x registers 0x%lx (host width %u bits), "
		"version %u.%u\n", u.dmar_phys, u.segment, u.flags, u.reg_base, u.host_aw,
		(vtd.ver >> 4) & 0xf, vtd.ver & 0xf);
	print_caps();

	vtd.root_table = table_frame();
	if (rd32(VTD_REG_GSTS) & VTD_GCMD_TE)
		gcmd(VTD_GCMD_TE, 0, "translation disable (GCMD.TE=0)");
	wr64(VTD_REG_RTADDR, vtd.root_table | VTD_RTADDR_TTM_PUT(scalable ? VTD_TTM_SCALABLE : VTD_TTM_LEGACY));
	gcmd(VTD_GCMD_SRTP, 1, "set root table pointer (GCMD.SRTP)");
	vtd_flush_context_global();
	vtd_flush_iotlb_global();
	gcmd(VTD_GCMD_TE, 1, "translation enable (GCMD.TE)");
	region_set_iommu(vtd.reg_base, vtd.root_table, vtd.mode, vtd.segment);
	kprintf("ptdbg: vt-d: %s mode, root table 0x%lx, %u-bit %u-level second-level tables, "
		"translation on (GSTS 0x%08x)\n", scalable ? "scalable" : "legacy", vtd.root_table,
		vtd.aw_bits, vtd.levels, rd32(VTD_REG_GSTS));
	vtd_state = 1;
	return 0;
}

/* The context table for bdf (allocated and linked from the root entry on first
 * use); *index receives the entry's index in it. */
static uint64_t context_table_for(uint16_t bdf, unsigned *index)
{
	unsigned bus = bdf >> 8, devfn = bdf & 0xff;
	int upper = vtd.mode == PTDBG_IOMMU_SCALABLE && devfn >= VTD_SMCTX_PER_TABLE;
	*index = vtd.mode == PTDBG_IOMMU_SCALABLE ? devfn % VTD_SMCTX_PER_TABLE : devfn;
	if (!ctx_table[bus][upper]) {
		ctx_table[bus][upper] = table_frame();
		uint64_t *root = phys_to_virt(vtd.root_table);
		root[bus * 2 + upper] = ctx_table[bus][upper] | VTD_ROOT_P;
	}
	return ctx_table[bus][upper];
}

/* Point bdf's context at sl_root in domain did; returns the physical address of
 * its context entry. */
uint64_t vtd_set_context(uint16_t bdf, uint16_t did, uint64_t sl_root, int fpd)
{
	unsigned index;
	uint64_t ct = context_table_for(bdf, &index);
	uint64_t aw_code = (vtd.levels - 2);
	if (vtd.mode == PTDBG_IOMMU_LEGACY) {
		volatile uint64_t *ce = (uint64_t *)phys_to_virt(ct) + 2 * index;
		ce[0] = 0;
		ce[1] = VTD_CTX_AW_PUT(aw_code) | VTD_CTX_DID_PUT(did);
		__asm__ volatile("" ::: "memory");
		ce[0] = (sl_root & VTD_SL_ADDR) | VTD_CTX_TT_PUT(VTD_TT_SLT) | (fpd ? VTD_CTX_FPD : 0) |
			VTD_CTX_P;
	} else {
		uint64_t pasid_table = table_frame(), pasid_dir = table_frame();
		volatile uint64_t *pe = phys_to_virt(pasid_table); /* entry 0: RID_PASID 0 */
		pe[1] = VTD_PE_DID_PUT(did);
		pe[0] = (sl_root & VTD_SL_ADDR) | VTD_PE_PGTT_PUT(VTD_PGTT_SL) | VTD_PE_AW_PUT(aw_code) |
			(fpd ? VTD_PE_FPD : 0) | VTD_PE_P;
		volatile uint64_t *pd = phys_to_virt(pasid_dir);
		pd[0] = pasid_table | VTD_PDE_P;
		volatile uint64_t *ce = (uint64_t *)phys_to_virt(ct) + 4 * index;
		ce[1] = 0; /* RID_PASID 0 */
		ce[2] = 0;
		ce[3] = 0;
		__asm__ volatile("" ::: "memory");
		ce[0] = pasid_dir | VTD_SMCTX_PDTS_PUT(0) | (fpd ? VTD_SMCTX_FPD : 0) | VTD_SMCTX_P;
	}
	vtd_flush_context_global();
	vtd_flush_iotlb_global();
	return ct + (uint64_t)(vtd.mode == PTDBG_IOMMU_LEGACY ? VTD_CTX_SIZE : VTD_SMCTX_SIZE) * index;
}

/* Pending fault records, not cleared. */
int vtd_read_faults(struct vtd_fault_rec *out, int max, uint32_t *fsts)
{
	*fsts = rd32(VTD_REG_FSTS);
	int n = 0;
	for (unsigned i = 0; i < vtd.nfr && n < max; i++) {
		uint64_t lo = rd64(vtd.frcd_reg + 16ull * i), hi = rd64(vtd.frcd_reg + 16ull * i + 8);
		if (!(hi & VTD_FRCD_F))
			continue;
		out[n].index = i;
		out[n].sid = VTD_FRCD_SID(hi);
		out[n].reason = VTD_FRCD_FR(hi);
		out[n].is_read = !!(hi & VTD_FRCD_T1);
		out[n].addr = lo & VTD_FRCD_FI;
		n++;
	}
	return n;
}

/* VT-d 7.1.3 reasons, the ones second-level translation produces. */
const char *vtd_fault_reason_name(unsigned reason)
{
	static const char *const names[] = {
		[0x1] = "root entry not present", [0x2] = "context entry not present",
		[0x3] = "invalid context entry", [0x4] = "address beyond MGAW",
		[0x5] = "no write permission", [0x6] = "no read permission",
		[0x7] = "second-level entry unreadable", [0x8] = "root table unreadable",
		[0x9] = "context table unreadable", [0xa] = "root entry reserved bits",
		[0xb] = "context entry reserved bits", [0xc] = "second-level entry reserved bits",
		[0xd] = "translation type blocked",
	};
	if (reason < sizeof(names) / sizeof(names[0]) && names[reason])
		return names[reason];
	return reason == 0x58 ? "invalid PASID table entry" : "other";
}
