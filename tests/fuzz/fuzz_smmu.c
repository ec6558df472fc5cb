/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the SMMUv3 decoders over a sparse memory image: the register file
 * (given by value, or read from a register page in the image), the stream lookup
 * through linear and two-level stream tables and CD tables, the stream table scan
 * and context dump, the translation of one IOVA through the stage-1 tables (the
 * buffer's IOVA of the parameter block), the event and command queues and the
 * faults printer, every check, and the device-tree search at 0x40000000.
 *
 * Input: a 104-byte parameter block, then page chunks.
 *   0 IDR0  4 IDR1  8 IDR5  12 CR0ACK  16 GBPA  20 GERROR  24 GERRORN
 *   28 STRTAB_BASE_CFG  32 u64 STRTAB_BASE  40 u64 CMDQ_BASE  48 u64 EVENTQ_BASE
 *   56 CMDQ_PROD  60 CMDQ_CONS  64 EVENTQ_PROD  68 EVENTQ_CONS (u32 unless said)
 *   72 u32 stream id  76 u32 substream id  80 u64 the domain's window end
 *   88 u64 a buffer's IOVA  96 flags  97-103 unused
 * flags: bit 0 read the registers from the image at 0x09050000 (page 1 at
 *        0x09060000) instead, 1 JSON pretty, 2 every event record, 3 look the stream
 *        up with an unknown SMMU, 4 holes read as zeros, 5 print as JSON (else text:
 *        one of the two per input keeps the rate up)
 * A chunk: u32 page frame number, u16 offset in the page, u16 length, then the
 * bytes (cut at the page's end); at most 24 pages, a later chunk for the same page
 * writes into it. Pages not given are holes.
 *
 * The seeds (corpus/smmu: linear, two-level, substreams, regs-in-memory, overflow)
 * are QEMU-shaped configurations written in this format by hand.
 *
 * The queues are bounded here to 2^10 entries (IDR1.CMDQS/EVENTQS): the
 * architectural 2^19 is correct but slow to fuzz through.
 */
#include <stdlib.h>

#include "fuzz_input.h"
#include "out/finding.h"
#include "out/json.h"
#include "ptdbg/abi.h"
#include "smmu/smmu_check.h"
#include "smmu/smmu_queue.h"
#include "smmu/smmu_regs.h"
#include "smmu/smmu_tables.h"
#include "smmu/smmu_find.h"
#include "smmu/smmu_walk.h"
#include "target/mem.h"

#define HDR       104
#define MAX_PAGES 24
#define REG_BASE  0x09050000ull

static struct ptdbg_json *json(bool pretty)
{
	struct ptdbg_json *j = ptdbg_json_new(fz_sink());
	if (j)
		ptdbg_json_pretty(j, pretty);
	return j;
}

/* Identity below 1 GiB on even pages, nothing elsewhere. */
static int fake_translate(void *ctx, const struct smmu_s1_cfg *cfg, uint64_t iova, bool write,
			  uint64_t *pa)
{
	(void)ctx;
	(void)cfg;
	(void)write;
	if (iova >= (1ull << 30) || (iova >> 12) & 1)
		return 0;
	*pa = iova;
	return 1;
}

static uint32_t clamp_queues(uint32_t idr1)
{
	if (SMMU_IDR1_CMDQS(idr1) > 10)
		idr1 = (uint32_t)((idr1 & ~SMMU_IDR1_CMDQS_MASK) | PTDBG_FIELD_PUT(SMMU_IDR1_CMDQS_MASK, 10));
	if (SMMU_IDR1_EVENTQS(idr1) > 10)
		idr1 = (uint32_t)((idr1 & ~SMMU_IDR1_EVENTQS_MASK) | PTDBG_FIELD_PUT(SMMU_IDR1_EVENTQS_MASK, 10));
	return idr1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct smmu_regs regs;
	static uint8_t pages[MAX_PAGES][4096];
	struct ptdbg_sparse_page map[MAX_PAGES];
	size_t npages = 0;
	struct fz f = { data, size, 0 };
	uint32_t v32[8];
	for (int i = 0; i < 8; i++)
		v32[i] = fz_u32(&f);
	uint64_t strtab = fz_u64(&f), cmdq = fz_u64(&f), evtq = fz_u64(&f);
	uint32_t cprod = fz_u32(&f), ccons = fz_u32(&f), eprod = fz_u32(&f), econs = fz_u32(&f);
	uint32_t sid = fz_u32(&f), ssid = fz_u32(&f);
	uint64_t win_end = fz_u64(&f), buf_iova = fz_u64(&f);
	uint8_t flags = fz_u8(&f);
	bool pretty = flags & 2, all = flags & 4, as_json = flags & 32;
	FILE *sink = fz_sink();

	/* The page chunks. */
	f.off = HDR;
	while (f.off + 8 <= f.n) {
		uint64_t pa = (uint64_t)fz_u32(&f) << 12;
		uint16_t off = fz_u16(&f) & 0xfff, len = fz_u16(&f);
		size_t k;
		for (k = 0; k < npages && map[k].pa != pa; k++)
			;
		if (k == npages) {
			if (npages == MAX_PAGES)
				break;
			memset(pages[k], 0, 4096);
			map[k].pa = pa;
			map[k].data = pages[k];
			npages++;
		}
		size_t n = len;
		if (n > 4096u - off)
			n = 4096u - off;
		if (n > f.n - f.off)
			n = f.n - f.off;
		memcpy(pages[k] + off, f.p + f.off, n);
		f.off += n;
	}

	struct ptdbg_target *t = ptdbg_sparse_open(map, npages, flags & 16, NULL);
	struct ptdbg_mem *mem = t ? ptdbg_mem_new(t, 64 * PTDBG_PAGE_SIZE) : NULL;
	if (!mem)
		goto out;

	/* The registers. */
	bool have_regs = true;
	if (flags & 1) {
		have_regs = smmu_regs_read(t, REG_BASE, &regs) == 0;
		if (have_regs)
			smmu_regs_set(&regs, SMMU_REG_IDR1,
				      clamp_queues((uint32_t)smmu_regs_get(&regs, SMMU_REG_IDR1, NULL)));
	} else {
		smmu_regs_init(&regs, REG_BASE);
		smmu_regs_set(&regs, SMMU_REG_IDR0, v32[0]);
		smmu_regs_set(&regs, SMMU_REG_IDR1, clamp_queues(v32[1]));
		smmu_regs_set(&regs, SMMU_REG_IDR5, v32[2]);
		smmu_regs_set(&regs, SMMU_REG_CR0, v32[3]);
		smmu_regs_set(&regs, SMMU_REG_CR0ACK, v32[3]);
		smmu_regs_set(&regs, SMMU_REG_GBPA, v32[4]);
		smmu_regs_set(&regs, SMMU_REG_GERROR, v32[5]);
		smmu_regs_set(&regs, SMMU_REG_GERRORN, v32[6]);
		smmu_regs_set(&regs, SMMU_REG_STRTAB_BASE_CFG, v32[7]);
		smmu_regs_set(&regs, SMMU_REG_STRTAB_BASE, strtab);
		smmu_regs_set(&regs, SMMU_REG_CMDQ_BASE, cmdq);
		smmu_regs_set(&regs, SMMU_REG_CMDQ_PROD, cprod);
		smmu_regs_set(&regs, SMMU_REG_CMDQ_CONS, ccons);
		smmu_regs_set(&regs, SMMU_REG_EVENTQ_BASE, evtq);
		smmu_regs_set(&regs, SMMU_REG_EVENTQ_PROD, eprod);
		smmu_regs_set(&regs, SMMU_REG_EVENTQ_CONS, econs);
	}
	if (!have_regs)
		goto out;

	struct ptdbg_json *j = NULL;
	if (!as_json)
		smmu_regs_print(sink, &regs);
	else if ((j = json(pretty))) {
		smmu_regs_json(j, &regs);
		ptdbg_json_free(j);
	}

	/* One stream: its lookup, its stage-1 configuration. */
	struct smmu_hw hw;
	struct smmu_strtab st;
	struct smmu_stream_lookup l;
	smmu_hw_from_regs(&hw, &regs);
	smmu_strtab_from_regs(&st, &regs);
	if (flags & 8)
		memset(&hw, 0, sizeof(hw));
	if (smmu_stream_lookup(mem, &hw, &st, sid, ssid, &l) == 0) {
		struct smmu_s1_cfg cfg;
		if (!as_json)
			smmu_lookup_print(sink, &l);
		else if ((j = json(pretty))) {
			smmu_lookup_json(j, &l);
			ptdbg_json_free(j);
		}
		smmu_s1_cfg_from_lookup(&hw, &l, &cfg);
	}
	struct smmu_translation tr;
	if (smmu_translate(mem, &hw, &st, sid, ssid, buf_iova, flags & 4, true, &tr) == 0) {
		if (!as_json)
			smmu_translation_print(sink, &tr);
		else if ((j = json(pretty))) {
			smmu_translation_json(j, &tr);
			ptdbg_json_free(j);
		}
	}
	uint64_t fdt_base;
	smmu_fdt_find_mem(t, SMMU_FDT_VIRT_PA, &fdt_base);

	/* The whole table, the queues, the checks. */
	if (!as_json) {
		smmu_ctx_dump_print(sink, mem, &hw, &st, 64);
		smmu_faults_print(sink, mem, &regs, all, 64);
	} else if ((j = json(pretty))) {
		ptdbg_json_start_array(j);
		smmu_ctx_dump_json(j, mem, &hw, &st, 64);
		smmu_faults_json(j, mem, &regs, all, 64);
		ptdbg_json_end_array(j);
		ptdbg_json_free(j);
	}

	struct ptdbg_findings out = { 0 };
	struct smmu_domain_info dom = { sid, ssid, "fuzz", 0, win_end };
	struct smmu_dma_buf_info bufs[2] = {
		{ sid, ssid, PTDBG_DMA_BIDIR, PTDBG_DMA_MAPPED, buf_iova, buf_iova, 0x3000 },
		{ sid, SMMU_NO_SSID, PTDBG_DMA_TO_DEVICE, PTDBG_DMA_REFUSED, win_end, win_end, 0x1000 },
	};
	struct smmu_check_opts o = { .out = &out, .ram_end = win_end * 2, .ram_source = "fuzz",
				     .translate = fake_translate, .max_stes = 64 };
	smmu_check(mem, &regs, &o, &dom, 1, bufs, 2);
	ptdbg_findings_sort(&out);
	if (!as_json)
		ptdbg_findings_print(sink, &out);
	else if ((j = json(pretty))) {
		ptdbg_findings_json(j, &out);
		ptdbg_json_free(j);
	}
	ptdbg_findings_free(&out);
out:
	ptdbg_mem_free(mem);
	if (t)
		ptdbg_target_close(t);
	return 0;
}
