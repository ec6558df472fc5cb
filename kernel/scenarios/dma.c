/*
 * DMA through the IOMMU with QEMU's edu device (shared/BUGS.md section 1): VT-d on
 * x86-64 (q35), the SMMUv3 on AArch64 (virt, iommu=smmuv3), through the same DMA
 * map API.
 *
 *   dma        healthy: the edu device's domain, buffers mapped with IOVA = PA, a
 *              pattern copied RAM -> device -> RAM and verified; one buffer unmapped.
 *              bug=dma-maps-text: a driver also maps the kernel-text frame that holds
 *              run_dma for the device to write (from-device), a DMA attack surface:
 *              the device could rewrite kernel code. No DMA is made to it.
 *   dma-high   a DMA buffer at physical 8 GiB (run with --mem 10G). The window is
 *              [0, 2^AW) and the DMA succeeds; with bug=dma-window-4g the window is
 *              [0, 4 GiB) as in the seed, the map call fails and the kernel panics
 *              with InvalidVaddrRange(0x200000000, 0x200001000).
 *   dma-fault  the driver hands the device a buffer it never mapped (recorded
 *              UNREGISTERED): the IOMMU blocks the write and records a fault, left
 *              pending; a second device's context is written with FPD=1 (a second
 *              edu device if QEMU has one, whose blocked DMA then leaves no record;
 *              else the SATA controller or ISA bridge). On the SMMUv3 the fault is
 *              an event record left in the event queue, and the second device's
 *              context descriptor has R=0 (a second edu device, else the host
 *              bridge's stream).
 */
#include "debug/panic.h"
#include "drivers/edu.h"
#include "iommu/dma.h"
#include "iommu/domain.h"
#include "iommu/pci_enum.h"
#if defined(__aarch64__)
#include "iommu/smmu.h"
#else
#include "iommu/vtd.h"
#endif
#include "core/bootinfo.h"
#include "core/cmdline.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/kspace.h"
#include "mm/layout.h"
#include "scenarios/dma.h"
#include "scenarios/scenario.h"

#define DMA_HIGH_PA      0x200000000ul /* 8 GiB: the seed's buffer */
#define SEED_WINDOW_END  0x100000000ul /* 4 GiB: the seed's VADDR_RANGE */
#define DMA_BENCH_IOVA   0x40000000ul  /* 1 GiB */
#define DMA_BENCH_PAGES  (1ul << 18)    /* 262,144 pages: [1 GiB, 2 GiB) */
#define DMA_BENCH_POOL   64
#define FAULT_FILL       0xee
#if defined(__aarch64__)
/* QEMU's SMMU splits a failed transfer into 4-byte accesses, each an event: a
 * short write keeps them inside the event queue. */
#define FAULT_LEN        64
#define NO_RECORD_FLAG   PTDBG_DOM_F_NO_RECORD
#define IOMMU_DEVICE_HINT "-M virt,iommu=smmuv3"
#else
#define FAULT_LEN        EDU_DMA_MAX_LEN
#define NO_RECORD_FLAG   PTDBG_DOM_F_FPD
#define IOMMU_DEVICE_HINT "-device intel-iommu"
#endif

static __attribute__((unused)) void bdf_str(uint16_t bdf, char *buf, size_t n)
{
	ksnprintf(buf, n, "%02x:%02x.%x", bdf >> 8, (bdf >> 3) & 31, bdf & 7);
}

/* The page size DMA buffers are made of: the domain's (edu_setup sets it). */
static uint64_t dma_page = PAGE_SIZE;

/* Enable the IOMMU, probe the n-th edu device and create its domain with the window the
 * bug switches select. */
static struct iommu_domain *edu_setup(int n, struct edu_dev *e, uint32_t flags)
{
	if (iommu_unit_init())
		panic("dma: no %s unit (QEMU needs %s)", iommu_unit_name(), IOMMU_DEVICE_HINT);
	uint16_t bdf;
	if (edu_find(n, &bdf))
		panic("dma: no edu device #%d (QEMU needs -device edu,dma_mask=0xffffffffffffffff)", n);
	if (edu_probe(bdf, e))
		panic("dma: the edu device does not answer");
	uint64_t win_end = bug_enabled("dma-window-4g") ? SEED_WINDOW_END : 1ull << iommu_max_bits();
	struct iommu_domain *d = iommu_domain_create("edu", bdf, 0, win_end, flags);
	dma_page = d->page_size;
	return d;
}

/* A zeroed DMA buffer of one dma_page owned by the kernel; at pa when pa != 0. */
static uint64_t dma_frame(uint64_t pa)
{
	uint64_t n = dma_page >> PAGE_SHIFT, f = 0;
	if (pa) {
		for (uint64_t i = 0; i < n; i++)
			if (!frame_alloc_at(pa + i * PAGE_SIZE, PTDBG_FRAME_DMA, (uint32_t)kernel_as_index))
				panic("dma: no free frame for a DMA buffer at the requested address");
		f = pa;
	} else {
		f = n == 1 ? frame_alloc(PTDBG_FRAME_DMA, (uint32_t)kernel_as_index)
			   : frame_alloc_contig(n, dma_page, PTDBG_FRAME_DMA, (uint32_t)kernel_as_index);
	}
	if (!f)
		panic("dma: no free frame for a DMA buffer");
	memset(phys_to_virt(f), 0, dma_page);
	return f;
}

/* dma_map, panicking the way the seed's unwrap() did on an error. */
static void map_or_panic(struct iommu_domain *d, uint64_t pa, uint64_t len, uint32_t dir,
			 struct dma_mapping *m)
{
	struct dma_error err = dma_map(d, pa, len, dir, m);
	if (err.kind != DMA_OK) {
		char msg[96];
		dma_error_format(err, msg, sizeof(msg));
		kprintf("ptdbg: dma: mapping PA 0x%lx (%lu bytes, %s) for %s failed: %s\n", pa, len,
			dma_dir_name(dir), d->name, msg);
		panic("called `Result::unwrap()` on an `Err` value: %s", msg);
	}
	kprintf("ptdbg: dma: mapped IOVA 0x%lx -> PA 0x%lx (%lu bytes, %s) for %s\n", m->iova, m->phys,
		m->len, dma_dir_name(dir), d->name);
}

/* Fill n bytes with a pattern derived from seed. */
static void fill_pattern(uint8_t *p, uint64_t n, uint32_t seed)
{
	for (uint64_t i = 0; i < n; i++)
		p[i] = (uint8_t)((i * 131u + seed * 7u + (i >> 8)) ^ seed);
}

/* RAM (src) -> device buffer -> RAM (dst), len bytes in chunks the driver accepts,
 * at device offset dev_off, and check that dst holds src's bytes. */
static void round_trip(struct edu_dev *e, const struct dma_mapping *src, uint64_t src_off,
		       const struct dma_mapping *dst, uint64_t dst_off, uint64_t dev_off, uint64_t len)
{
	const uint8_t *s = phys_to_virt(src->phys + src_off);
	const uint8_t *d = phys_to_virt(dst->phys + dst_off);
	for (uint64_t done = 0; done < len; done += EDU_DMA_MAX_LEN) {
		uint64_t n = len - done < EDU_DMA_MAX_LEN ? len - done : EDU_DMA_MAX_LEN;
		if (edu_dma_to_device(e, src->iova + src_off + done, dev_off, n) ||
		    edu_dma_from_device(e, dev_off, dst->iova + dst_off + done, n))
			panic("dma: bad edu transfer parameters");
	}
	if (memcmp(s, d, len)) {
		uint64_t i = 0;
		while (s[i] == d[i])
			i++;
		panic("dma: round trip through the edu device corrupted byte %lu (0x%02x, expected 0x%02x)",
		      i, d[i], s[i]);
	}
	kprintf("ptdbg: dma: %lu bytes RAM->device from IOVA 0x%lx (PA 0x%lx), device offset 0x%lx, "
		"device->RAM to IOVA 0x%lx (PA 0x%lx): pattern verified\n", len, src->iova + src_off,
		src->phys + src_off, dev_off, dst->iova + dst_off, dst->phys + dst_off);
}

void dma_healthy_part(void)
{
	struct edu_dev e;

	if (!kopts.iommu_on) {
		kprintf("ptdbg: dma: iommu=off: %s left disabled, no DMA\n", iommu_unit_name());
		return;
	}
	struct iommu_domain *d = edu_setup(0, &e, 0);

	struct dma_mapping src, dst, both;
	uint64_t src_pa = dma_frame(0), dst_pa = dma_frame(0), both_pa = dma_frame(0);
	fill_pattern(phys_to_virt(src_pa), PAGE_SIZE, 1);
	map_or_panic(d, src_pa, PAGE_SIZE, DMA_TO_DEVICE, &src);
	map_or_panic(d, dst_pa, PAGE_SIZE, DMA_FROM_DEVICE, &dst);
	round_trip(&e, &src, 0, &dst, 0, EDU_DMA_BUF_START, PAGE_SIZE);

	/* Sub-page transfer: first half of a bidirectional buffer to the device at offset
	 * 0x400, back into the buffer's second half. */
	fill_pattern(phys_to_virt(both_pa), PAGE_SIZE / 2, 2);
	map_or_panic(d, both_pa, PAGE_SIZE, DMA_BIDIR, &both);
	round_trip(&e, &both, 0, &both, PAGE_SIZE / 2, EDU_DMA_BUF_START + 0x400, PAGE_SIZE / 2);

	dma_unmap(&src);
	kprintf("ptdbg: dma: unmapped IOVA 0x%lx (IOTLB invalidated); %s keeps IOVA 0x%lx and 0x%lx mapped\n",
		src.iova, d->name, dst.iova, both.iova);
}

static void run_dma(void)
{
	dma_healthy_part();
	if (!bug_enabled("dma-maps-text") || !kopts.iommu_on)
		return;
	/* The seed's map call takes any physical address: nothing stops a kernel-text
	 * frame from being mapped writable for a device. */
	uint16_t bdf;
	struct iommu_domain *d = edu_find(0, &bdf) ? 0 : iommu_domain_of(bdf);
	uint64_t text_pa = virt_to_phys((const void *)run_dma) & ~(uint64_t)(PAGE_SIZE - 1);
	struct dma_mapping m;
	if (!d)
		panic("dma: bug=dma-maps-text: no edu domain");
	map_or_panic(d, text_pa, PAGE_SIZE, DMA_FROM_DEVICE, &m);
	kprintf("ptdbg: dma: bug dma-maps-text: kernel text PA 0x%lx (run_dma) is writable by %s at IOVA 0x%lx\n",
		text_pa, d->name, m.iova);
}

static void run_dma_high(void)
{
	struct edu_dev e;
	struct iommu_domain *d = edu_setup(0, &e, 0);
	if (boot_info.max_ram_end < DMA_HIGH_PA + PAGE_SIZE)
		panic("dma-high: RAM ends at 0x%lx, below the buffer at 0x%lx: run with --mem 10G",
		      boot_info.max_ram_end, DMA_HIGH_PA);
	uint64_t high = dma_frame(DMA_HIGH_PA);
	kprintf("ptdbg: dma-high: DMA buffer at PA 0x%lx, %s window [0x%lx, 0x%lx), context %u bits%s\n",
		high, d->name, d->win_start, d->win_end, d->aw_bits,
		bug_enabled("dma-window-4g") ? " (bug dma-window-4g: the seed's 4 GiB window)" : "");

	/* The device writes the buffer (a disk read, as in the seed's FIO run). */
	struct dma_mapping dst, src;
	map_or_panic(d, high, PAGE_SIZE, DMA_FROM_DEVICE, &dst);
	uint64_t src_pa = dma_frame(0);
	fill_pattern(phys_to_virt(src_pa), PAGE_SIZE, 3);
	map_or_panic(d, src_pa, PAGE_SIZE, DMA_TO_DEVICE, &src);
	round_trip(&e, &src, 0, &dst, 0, EDU_DMA_BUF_START, PAGE_SIZE);
}

/* Print the fault records the unit holds; returns how many. */
#if defined(__aarch64__)
static int report_faults(const char *who)
{
	struct smmu_event ev[8];
	int overflow;
	uint32_t gerror;
	int n = smmu_peek_events(ev, 8, &overflow, &gerror);
	kprintf("ptdbg: %s: event queue: %d record(s) pending%s, GERROR active 0x%x\n", who, n,
		overflow ? ", overflowed" : "", gerror);
	for (int i = 0; i < n && i < 8; i++)
		kprintf("ptdbg: %s: event %d: %s (0x%02x) stream 0x%x %s at 0x%lx%s\n", who, i,
			smmu_event_name(ev[i].type), ev[i].type, ev[i].sid, ev[i].rnw ? "read" : "write",
			ev[i].input_addr, ev[i].pnu ? ", privileged" : "");
	return n;
}
#else
static int report_faults(const char *who)
{
	struct vtd_fault_rec recs[8];
	uint32_t fsts;
	int n = vtd_read_faults(recs, 8, &fsts);
	kprintf("ptdbg: %s: FSTS 0x%08x (PPF %u, PFO %u), %d fault record(s)\n", who, fsts,
		(fsts >> 1) & 1, fsts & 1, n);
	for (int i = 0; i < n; i++) {
		char b[16];
		bdf_str(recs[i].sid, b, sizeof(b));
		kprintf("ptdbg: %s: fault record %u: %s by %s at 0x%lx, reason 0x%x (%s)\n", who,
			recs[i].index, recs[i].is_read ? "read" : "write", b, recs[i].addr, recs[i].reason,
			vtd_fault_reason_name(recs[i].reason));
	}
	return n;
}
#endif

/* The driver bug: a device write into a buffer it never mapped. Returns whether the
 * IOMMU kept the buffer intact. */
static int unmapped_write(struct edu_dev *e, struct iommu_domain *d)
{
	uint64_t pa = dma_frame(0);
	memset(phys_to_virt(pa), FAULT_FILL, PAGE_SIZE);
	dma_record_unregistered(d, pa, PAGE_SIZE, DMA_FROM_DEVICE);
	kprintf("ptdbg: dma-fault: %s writes IOVA 0x%lx (PA 0x%lx), never mapped\n", d->name, pa, pa);
	if (edu_dma_from_device(e, EDU_DMA_BUF_START, pa, FAULT_LEN))
		panic("dma-fault: bad edu transfer parameters");
	const uint8_t *p = phys_to_virt(pa);
	for (uint64_t i = 0; i < PAGE_SIZE; i++)
		if (p[i] != FAULT_FILL)
			return 0;
	return 1;
}

static void run_dma_fault(void)
{
	struct edu_dev e;
	struct iommu_domain *d = edu_setup(0, &e, 0);

	/* A healthy transfer first, so the domain translates something. */
	struct dma_mapping src, dst;
	uint64_t src_pa = dma_frame(0), dst_pa = dma_frame(0);
	fill_pattern(phys_to_virt(src_pa), PAGE_SIZE, 4);
	map_or_panic(d, src_pa, PAGE_SIZE, DMA_TO_DEVICE, &src);
	map_or_panic(d, dst_pa, PAGE_SIZE, DMA_FROM_DEVICE, &dst);
	round_trip(&e, &src, 0, &dst, 0, EDU_DMA_BUF_START, PAGE_SIZE);

	if (!unmapped_write(&e, d))
		panic("dma-fault: the device wrote a buffer that is not mapped: the IOMMU did not block it");
	kprintf("ptdbg: dma-fault: the IOMMU blocked the write (buffer unchanged)\n");
	if (report_faults("dma-fault") < 1)
		panic("dma-fault: the IOMMU recorded no fault for the blocked write");

	/* A second device whose context hides its faults. */
	struct edu_dev e2;
	uint16_t bdf;
	if (!edu_find(1, &bdf) && !edu_probe(bdf, &e2)) {
		struct iommu_domain *d2 = iommu_domain_create("edu", bdf, 0, d->win_end, NO_RECORD_FLAG);
		if (!unmapped_write(&e2, d2))
			panic("dma-fault: the second edu device wrote an unmapped buffer");
		kprintf("ptdbg: dma-fault: the IOMMU blocked the write of %s too, but %s hid the fault\n",
			d2->name, NO_RECORD_FLAG == PTDBG_DOM_F_FPD ? "FPD=1" : "CD.R=0");
		report_faults("dma-fault");
	} else {
#if defined(__aarch64__)
		bdf = 0; /* the host bridge: a stream that never masters */
		kprintf("ptdbg: dma-fault: no second edu device; CD with R=0 for the host bridge 00:00.0\n");
		iommu_domain_create("host-bridge", bdf, 0, d->win_end, NO_RECORD_FLAG);
#else
		char b[16];
		const char *kind = "sata";
		if (pci_find_class(0x0106, &bdf)) {
			kind = "isa-bridge";
			if (pci_find_class(0x0601, &bdf))
				panic("dma-fault: no second device for the FPD=1 context");
		}
		bdf_str(bdf, b, sizeof(b));
		kprintf("ptdbg: dma-fault: no second edu device; FPD=1 context for the %s controller %s\n",
			kind, b);
		iommu_domain_create(kind, bdf, 0, d->win_end, PTDBG_DOM_F_FPD);
#endif
	}
}

void dma_bench_part(void)
{
	struct edu_dev e;
	uint16_t bdf;
	if (iommu_unit_init() || edu_find(0, &bdf)) {
		/* AArch64 without -M virt,iommu=smmuv3 (scripts/vm --smmu off) */
		kprintf("ptdbg: bench: no %s unit or no edu device: no device domain\n", iommu_unit_name());
		return;
	}
	struct iommu_domain *d = edu_setup(0, &e, 0);
	uint64_t pool[DMA_BENCH_POOL];
	for (int i = 0; i < DMA_BENCH_POOL; i++) {
		pool[i] = dma_frame(0);
		memset(phys_to_virt(pool[i]), i, PAGE_SIZE);
	}
	for (uint64_t n = 0; n < DMA_BENCH_PAGES; n++) {
		int err = iommu_domain_map_page(d, DMA_BENCH_IOVA + n * PAGE_SIZE, pool[n % DMA_BENCH_POOL],
						SL_PERM_R | SL_PERM_W);
		if (err)
			panic("dma bench: mapping IOVA page %lu failed (%d)", n, err);
	}
	kprintf("ptdbg: bench: %s: %lu IOVA pages mapped at [0x%lx, 0x%lx) from %d frames, %lu table nodes\n",
		d->name, DMA_BENCH_PAGES, DMA_BENCH_IOVA, DMA_BENCH_IOVA + DMA_BENCH_PAGES * PAGE_SIZE,
		DMA_BENCH_POOL,
#if defined(__aarch64__)
		pt_count_nodes(&d->pt)
#else
		d->sl.nodes
#endif
	);
}

const struct scenario scenario_dma = {
	.name = "dma",
	.summary = "VT-d or SMMUv3 on, edu DMA round trips through mapped buffers",
	.bugs = { "dma-maps-text", 0 },
	.run = run_dma,
};

const struct scenario scenario_dma_high = {
	.name = "dma-high",
	.summary = "a DMA buffer at 8 GiB (needs --mem 10G)",
	.bugs = { "dma-window-4g", 0 },
	.run = run_dma_high,
};

const struct scenario scenario_dma_fault = {
	.name = "dma-fault",
	.summary = "DMA to an unmapped buffer (fault recorded), an FPD=1 (CD.R=0) context",
	.bugs = { 0 },
	.run = run_dma_fault,
};
