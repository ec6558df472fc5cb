/* SPDX-License-Identifier: MIT */
/*
 * ptdbg debug-region ABI.
 *
 * The one header that both the reference kernel (freestanding) and the host tools
 * compile. It describes a versioned, self-describing block that a kernel exports so
 * that a debugger can name what it sees in page tables and VT-d tables.
 *
 * Rules (docs/abi.md has the prose and every field):
 *  - Little-endian, fixed-width fields, every struct naturally aligned and padded
 *    explicitly; sizes are asserted below, so layout changes fail to compile.
 *  - The header is found through the ELF symbol `ptdbg_region`, or by scanning
 *    physical memory for PTDBG_MAGIC at a 64-byte boundary whose `self_phys` field
 *    equals the address where it was found.
 *  - Arrays are referenced by physical address with a count, a capacity and an element
 *    size. Readers use elem_size as the stride and read only the prefix of each
 *    element they know, so old tools can read new kernels. Writers only append fields.
 *  - `generation` is odd while the kernel updates the region; a reader that sees an
 *    odd value, or a different value after reading, has a torn copy.
 *  - Everything in the region is guest-controlled: readers bound every count and
 *    length before using it.
 */
#ifndef PTDBG_ABI_H
#define PTDBG_ABI_H

#include <stdint.h>

#define PTDBG_MAGIC         0x4e4f494745524450ull /* "PDREGION" in memory order */
#define PTDBG_ABI_MAJOR     1u
#define PTDBG_ABI_MINOR     4u
#define PTDBG_ABI_VERSION   ((PTDBG_ABI_MAJOR << 16) | PTDBG_ABI_MINOR)
#define PTDBG_ABI_MAJOR_OF(v) ((uint32_t)(v) >> 16)
#define PTDBG_REGION_ALIGN  64u
#define PTDBG_NAME_LEN      32u

/* A reference to an array elsewhere in guest physical memory. */
struct ptdbg_array {
	uint64_t phys;      /* physical address of element 0 (0: no array) */
	uint32_t count;     /* elements in use */
	uint32_t capacity;  /* elements the storage holds */
	uint32_t elem_size; /* stride in bytes */
	uint32_t reserved;
};

/* header.flags */
#define PTDBG_REGION_F_PANICKED  (1u << 0) /* the panic record is valid */
#define PTDBG_REGION_F_READY     (1u << 1) /* the scenario reached "ptdbg: ready" */

/* header.arch (ABI 1.1). A 1.0 writer leaves it 0: it was always x86-64. */
enum ptdbg_arch {
	PTDBG_ARCH_UNSPECIFIED = 0, /* a 1.0 region: x86-64 */
	PTDBG_ARCH_X86_64      = 1,
	PTDBG_ARCH_AARCH64     = 2,
};

/* CPU state captured when the kernel set up paging. On AArch64 only
 * paging_levels (the kernel root's levels) is set; the rest is in ptdbg_cpu_arm64. */
struct ptdbg_cpu {
	uint32_t paging_levels;  /* 4 or 5 */
	uint32_t maxphyaddr;     /* CPUID.80000008H:EAX[7:0] */
	uint32_t linaddr_bits;   /* CPUID.80000008H:EAX[15:8] */
	uint32_t reserved;
	uint64_t pat;            /* IA32_PAT as programmed */
	uint64_t cr0;
	uint64_t cr3;            /* kernel address space root, as loaded */
	uint64_t cr4;
	uint64_t efer;
};

/* AArch64 CPU state captured when the kernel set up paging (ABI 1.1; all zero on
 * x86-64). Registers as the kernel wrote them; sizes as it derived them. */
struct ptdbg_cpu_arm64 {
	uint64_t ttbr0;          /* TTBR0_EL1 after the identity map was dropped */
	uint64_t ttbr1;          /* TTBR1_EL1: the kernel space's root */
	uint64_t tcr;            /* TCR_EL1 */
	uint64_t mair;           /* MAIR_EL1 */
	uint64_t sctlr;          /* SCTLR_EL1 */
	uint64_t mmfr0;          /* ID_AA64MMFR0_EL1 (PARange, granules supported) */
	uint32_t granule_shift;  /* 12, 14 or 16 (4, 16, 64 KiB), both halves */
	uint32_t va_bits_user;   /* 64 - TCR_EL1.T0SZ */
	uint32_t va_bits_kernel; /* 64 - TCR_EL1.T1SZ */
	uint32_t pa_bits;        /* TCR_EL1.IPS as bits */
	uint32_t levels;         /* table levels of a walk (start level .. 3) */
	uint32_t boot_el;        /* exception level the kernel was entered at (1 or 2) */
	uint64_t kimage_offset;  /* kernel image: virtual - physical */
	uint64_t linear_base;    /* linear map: virtual = linear_base + physical */
};

/* Address-space kinds. */
enum ptdbg_as_kind {
	PTDBG_AS_KERNEL = 1, /* the kernel's CPU page table (shared upper half) */
	PTDBG_AS_USER   = 2, /* a user process's CPU page table */
	PTDBG_AS_DEVICE = 3, /* a VT-d second-level table of a device domain */
};

/* ptdbg_aspace.flags */
#define PTDBG_AS_F_LIVE     (1u << 0) /* in use (an exited process is kept, not live) */
#define PTDBG_AS_F_CURRENT  (1u << 1) /* loaded in CR3 on the boot CPU now */

struct ptdbg_aspace {
	char     name[PTDBG_NAME_LEN]; /* NUL-terminated unless all 32 bytes are used */
	uint32_t kind;      /* enum ptdbg_as_kind */
	uint32_t id;        /* process id, or domain id for PTDBG_AS_DEVICE */
	uint64_t root;      /* physical address of the top-level table (CR3 without flags) */
	uint32_t levels;    /* table levels (4 or 5 for CPU tables, 3..5 for VT-d) */
	uint32_t flags;     /* PTDBG_AS_F_* */
};

/* Tracking status: of a range (what it requires) and of a page-table node (what it
 * was created with). Tracked mappings hold a reference on their frame; untracked
 * ones (linear map, MMIO window) do not. */
enum ptdbg_tracking {
	PTDBG_TRACK_NA        = 0, /* not applicable: the node spans ranges of both kinds */
	PTDBG_TRACK_UNTRACKED = 1,
	PTDBG_TRACK_TRACKED   = 2,
};

/* A named virtual range, like Linux's address_markers[] for ptdump. */
struct ptdbg_marker {
	uint64_t start;     /* first byte */
	uint64_t end;       /* one past the last byte (0 means 2^64) */
	char     name[PTDBG_NAME_LEN];
	uint32_t tracking;  /* enum ptdbg_tracking the kernel requires for this range */
	uint32_t as_kind;   /* enum ptdbg_as_kind the marker applies to */
};

/* Frame usage. */
enum ptdbg_frame_usage {
	PTDBG_FRAME_FREE      = 0, /* owned by the allocator */
	PTDBG_FRAME_RESERVED  = 1, /* not RAM, or firmware/boot data never handed out */
	PTDBG_FRAME_KIMAGE    = 2, /* kernel image */
	PTDBG_FRAME_PT        = 3, /* page-table node (pt_level and tracking valid) */
	PTDBG_FRAME_TRACKED   = 4, /* data frame owned through references */
	PTDBG_FRAME_UNTRACKED = 5, /* data frame in use, not reference-counted */
	PTDBG_FRAME_DMA       = 6, /* DMA buffer */
	PTDBG_FRAME_MMIO      = 7, /* device memory (for completeness; no RAM frame) */
	PTDBG_FRAME_KHEAP     = 8, /* kernel metadata (this array, the region, stacks) */
	PTDBG_FRAME_USAGE_MAX = 8,
};

/* One entry per 4 KiB physical frame, indexed by (pa >> 12) - base_pfn. */
struct ptdbg_frame_meta {
	uint8_t  usage;     /* enum ptdbg_frame_usage */
	uint8_t  pt_level;  /* PTDBG_FRAME_PT: 1 (PTE table) .. 5 (PML5) */
	uint8_t  tracking;  /* PTDBG_FRAME_PT: enum ptdbg_tracking fixed at creation */
	uint8_t  flags;     /* PTDBG_FRAME_F_* */
	int32_t  refcount;  /* signed, so that an underflow shows as negative */
	uint32_t mapcount;  /* number of leaf entries that map this frame */
	uint32_t owner;     /* address-space index that owns it, or PTDBG_OWNER_NONE */
};
#define PTDBG_OWNER_NONE    0xffffffffu
#define PTDBG_FRAME_F_HUGE_HEAD (1u << 0) /* first frame of a huge allocation */

struct ptdbg_frames {
	uint64_t phys;       /* physical address of struct ptdbg_frame_meta[0] */
	uint64_t base_pfn;   /* frame number of element 0 */
	uint64_t count;      /* frames described */
	uint32_t elem_size;  /* stride */
	uint32_t reserved;
	uint64_t free_frames;
	uint64_t ram_frames; /* frames of usable RAM (free or in use) */
};

/* VT-d state. */
enum ptdbg_iommu_mode {
	PTDBG_IOMMU_NONE     = 0,
	PTDBG_IOMMU_LEGACY   = 1,
	PTDBG_IOMMU_SCALABLE = 2,
};

struct ptdbg_iommu {
	uint64_t drhd_base;   /* physical address of the remapping unit's registers */
	uint64_t root_table;  /* physical address written to RTADDR */
	uint32_t mode;        /* enum ptdbg_iommu_mode */
	uint16_t segment;
	uint16_t reserved;
	struct ptdbg_array domains;  /* struct ptdbg_domain */
	struct ptdbg_array dma_bufs; /* struct ptdbg_dma_buf */
};

struct ptdbg_domain {
	char     name[PTDBG_NAME_LEN]; /* device name */
	uint16_t bdf;        /* bus << 8 | dev << 3 | fn */
	uint16_t did;        /* domain id */
	uint32_t aw_bits;    /* context address width in bits (39, 48, 57) */
	uint32_t levels;     /* second-level table levels */
	uint32_t flags;      /* PTDBG_DOM_F_* */
	uint64_t root;       /* physical address of the second-level table */
	uint64_t win_start;  /* software IOVA window the DMA API enforces: [start, end) */
	uint64_t win_end;
	/* ABI 1.2: SMMUv3 domains (zero for VT-d; a 1.1 writer's elements end above) */
	uint32_t sid;        /* stream id of the device */
	uint32_t asid;       /* CD.ASID */
	uint64_t cd;         /* physical address of the stream's context descriptor */
	uint32_t ias_bits;   /* input address size: 64 - CD.T0SZ */
	uint32_t granule_shift; /* stage-1 granule of the table at root (12, 14, 16) */
	/* ABI 1.4: VT-d domains (zero for SMMUv3; a 1.3 writer's elements end above) */
	uint64_t ctx_entry;  /* physical address of the device's context entry */
};
#define PTDBG_DOM_F_FPD  (1u << 0) /* the kernel wrote the context with FPD=1 */
#define PTDBG_DOM_F_NO_RECORD (1u << 1) /* SMMUv3: the CD has R=0 (faults not recorded) */

/* The IOMMU the kernel drives (ABI 1.2; 0 in older regions: VT-d if iommu.mode
 * says so, else none). */
enum ptdbg_iommu_kind {
	PTDBG_IOMMU_KIND_NONE   = 0,
	PTDBG_IOMMU_KIND_VTD    = 1,
	PTDBG_IOMMU_KIND_SMMUV3 = 2,
};

/* SMMUv3 state (ABI 1.2; all zero on VT-d). Register values as the kernel wrote
 * them; the domains and DMA buffers are in struct ptdbg_iommu. */
struct ptdbg_smmu {
	uint64_t base;          /* physical address of register page 0 */
	uint64_t strtab_base;   /* STRTAB_BASE as written (address | RA) */
	uint32_t strtab_cfg;    /* STRTAB_BASE_CFG as written */
	uint32_t strtab_fmt;    /* 0 linear, 1 two-level (STRTAB_BASE_CFG.FMT) */
	uint32_t log2size;      /* stream id bits the table covers */
	uint32_t split;         /* two-level: stream id bits below the split */
	uint64_t cmdq_base;     /* CMDQ_BASE as written */
	uint64_t eventq_base;   /* EVENTQ_BASE as written */
	uint32_t sid_bits;      /* IDR1.SIDSIZE */
	uint32_t oas_bits;      /* IDR5.OAS as bits */
};

enum ptdbg_dma_dir {
	PTDBG_DMA_TO_DEVICE   = 1,
	PTDBG_DMA_FROM_DEVICE = 2,
	PTDBG_DMA_BIDIR       = 3,
};
enum ptdbg_dma_status {
	PTDBG_DMA_MAPPED   = 1,
	PTDBG_DMA_REFUSED  = 2, /* the map call failed (for example outside the window) */
	PTDBG_DMA_UNMAPPED = 3, /* was mapped, since unmapped */
	PTDBG_DMA_UNREGISTERED = 4, /* used by a driver without a map call */
};

struct ptdbg_dma_buf {
	uint16_t bdf;
	uint16_t dir;        /* enum ptdbg_dma_dir */
	uint32_t status;     /* enum ptdbg_dma_status */
	uint64_t iova;
	uint64_t phys;
	uint64_t len;
};

/* Page-fault log: a ring of the latest faults and a total count. Element i of the
 * ring holds fault number n where n % capacity == i; the newest is (total-1). */
enum ptdbg_fault_outcome {
	PTDBG_FAULT_MAPPED   = 1, /* demand paging mapped the page */
	PTDBG_FAULT_HANDLED  = 2, /* the handler decided there was nothing to do */
	PTDBG_FAULT_KILLED   = 3, /* the process was killed */
	PTDBG_FAULT_PANIC    = 4, /* kernel fault: the kernel panicked */
	PTDBG_FAULT_COW      = 5, /* protection changed / copied */
};

struct ptdbg_fault {
	uint64_t seq;        /* fault number, from 0 */
	uint64_t cr2;        /* faulting address (AArch64: FAR_EL1) */
	uint64_t rip;        /* faulting instruction (AArch64: ELR_EL1) */
	uint64_t error_code; /* the hardware error code (AArch64: ESR_EL1) */
	uint64_t cr3;        /* user root in use (AArch64: TTBR0_EL1) */
	uint64_t pte;        /* the leaf entry after the handler returned (0: none) */
	uint32_t outcome;    /* enum ptdbg_fault_outcome */
	uint32_t as_index;   /* address-space index, or PTDBG_OWNER_NONE */
};

struct ptdbg_faultlog {
	struct ptdbg_array ring; /* struct ptdbg_fault; count = min(total, capacity) */
	uint64_t total;
};

struct ptdbg_panic {
	uint64_t rip;        /* caller of panic() */
	uint32_t line;
	uint32_t reserved;
	char     file[64];
	char     msg[192];
};

/* The access scenario (ABI 1.1): each case is one mapping, one control state and one
 * access, performed by the CPU, with the outcome the CPU gave. */
#define PTDBG_ACCESS_WRITE   (1u << 0) /* a store (else a load) */
#define PTDBG_ACCESS_FETCH   (1u << 1) /* an instruction fetch */
#define PTDBG_ACCESS_USER    (1u << 2) /* from user mode (x86: CPL 3; AArch64: EL0) */
#define PTDBG_ACCESS_UNPRIV  (1u << 3) /* AArch64: LDTR/STTR from EL1 */

enum ptdbg_access_outcome {
	PTDBG_ACCESS_ALLOWED = 1, /* the access completed */
	PTDBG_ACCESS_FAULT   = 2, /* the CPU raised fault_vector with fault_code */
};

struct ptdbg_access_case {
	uint64_t va;          /* the address accessed */
	uint64_t entry[6];    /* entry[l]: the entry at level l of the path, for
				 l = leaf_level .. top_level (0 elsewhere); x86
				 levels: 1 PTE .. 5 PML5E */
	uint64_t state[4];    /* control state; x86: CR0, CR4, EFER, RFLAGS */
	uint32_t pkru;        /* x86: PKRU (when CR4.PKE) */
	uint32_t access;      /* PTDBG_ACCESS_* */
	uint8_t  leaf_level;  /* level of the entry that maps the page */
	uint8_t  top_level;   /* level of the root table */
	uint16_t reserved;
	uint32_t outcome;     /* enum ptdbg_access_outcome */
	uint64_t fault_vector; /* x86: the exception vector (14: #PF) */
	uint64_t fault_code;  /* x86: the error code */
	uint64_t fault_addr;  /* x86: CR2 */
	uint64_t live_va;     /* nonzero: the same entries map this address in the
				 kernel's address space now, under the state in force */
};

struct ptdbg_access {
	struct ptdbg_array cases;  /* struct ptdbg_access_case */
	uint32_t skipped;          /* cases the CPU model cannot run (no PKU, ...) */
	uint32_t done;             /* 1 once every case has run */
};

struct ptdbg_region {
	uint64_t magic;       /* PTDBG_MAGIC */
	uint32_t version;     /* PTDBG_ABI_VERSION */
	uint32_t hdr_size;    /* sizeof(struct ptdbg_region) of the writer */
	uint64_t generation;  /* odd while being updated */
	uint64_t self_phys;   /* physical address of this header */
	uint64_t self_virt;   /* its kernel virtual address */
	uint32_t flags;       /* PTDBG_REGION_F_* */
	uint32_t reserved;
	struct ptdbg_cpu     cpu;
	struct ptdbg_array   spaces;   /* struct ptdbg_aspace */
	struct ptdbg_array   markers;  /* struct ptdbg_marker */
	struct ptdbg_frames  frames;
	struct ptdbg_iommu   iommu;
	struct ptdbg_faultlog faults;
	struct ptdbg_panic   panic;
	/* ABI 1.1 (readers of a shorter header see zeros here) */
	uint32_t             arch;     /* enum ptdbg_arch */
	uint32_t             reserved2;
	struct ptdbg_cpu_arm64 arm64;
	struct ptdbg_access  access;
	uint64_t             ticks;    /* timer ticks since boot: advances while the
					  guest runs (a debugger can tell it resumed) */
	/* ABI 1.2 */
	uint32_t             iommu_kind; /* enum ptdbg_iommu_kind */
	uint32_t             reserved3;
	struct ptdbg_smmu    smmu;
	/* ABI 1.3 */
	uint64_t             acpi_rsdp; /* physical address of the ACPI RSDP the kernel
					   used (0: none, or no ACPI) */
	/* ABI 1.4 */
	uint64_t             acpi_iommu_table; /* physical address of the ACPI table
					   the kernel found its IOMMU in (DMAR on
					   x86-64; 0: none): a reader's hint, checked
					   like any table it finds */
};

#define PTDBG_SYMBOL "ptdbg_region"

#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
_Static_assert(sizeof(struct ptdbg_array) == 24, "abi: ptdbg_array");
_Static_assert(sizeof(struct ptdbg_cpu) == 56, "abi: ptdbg_cpu");
_Static_assert(sizeof(struct ptdbg_aspace) == 56, "abi: ptdbg_aspace");
_Static_assert(sizeof(struct ptdbg_marker) == 56, "abi: ptdbg_marker");
_Static_assert(sizeof(struct ptdbg_frame_meta) == 16, "abi: ptdbg_frame_meta");
_Static_assert(sizeof(struct ptdbg_frames) == 48, "abi: ptdbg_frames");
_Static_assert(sizeof(struct ptdbg_iommu) == 72, "abi: ptdbg_iommu");
_Static_assert(sizeof(struct ptdbg_domain) == 104, "abi: ptdbg_domain");
_Static_assert(sizeof(struct ptdbg_smmu) == 56, "abi: ptdbg_smmu");
_Static_assert(sizeof(struct ptdbg_dma_buf) == 32, "abi: ptdbg_dma_buf");
_Static_assert(sizeof(struct ptdbg_fault) == 56, "abi: ptdbg_fault");
_Static_assert(sizeof(struct ptdbg_access_case) == 136, "abi: ptdbg_access_case");
_Static_assert(sizeof(struct ptdbg_access) == 32, "abi: ptdbg_access");
_Static_assert(sizeof(struct ptdbg_faultlog) == 32, "abi: ptdbg_faultlog");
_Static_assert(sizeof(struct ptdbg_panic) == 272, "abi: ptdbg_panic");
_Static_assert(sizeof(struct ptdbg_cpu_arm64) == 88, "abi: ptdbg_cpu_arm64");
_Static_assert(sizeof(struct ptdbg_region) == 576 + 8 + 88 + 32 + 8 + 8 + 56 + 8 + 8, "abi: ptdbg_region");
#endif

#endif /* PTDBG_ABI_H */
