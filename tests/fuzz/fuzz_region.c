/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the debug-region reader (region.h) over a memory image.
 *
 * Input: a 16-byte parameter block, then guest physical memory from address 0.
 *   0 u32 where the header is   4 u32 first frame looked up   8 u16 frames looked up
 *   10 u16 unused   12 u32 a VA (x 4 KiB) for the marker lookup
 * The header is read and validated, its arrays copied (bounded), every lookup and
 * name function is run over what was read, and the image is scanned for a header.
 */
#include <stdlib.h>

#include "fuzz_input.h"
#include "region/region.h"

#define HDR 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size, 0 };
	uint64_t pa = fz_u32(&f);
	uint64_t first = fz_u32(&f);
	size_t nframes = fz_u16(&f) % 512 + 1;
	(void)fz_u16(&f);
	uint64_t va = (uint64_t)fz_u32(&f) << 12;
	size_t len;
	const uint8_t *img = fz_rest(&f, HDR, &len);
	struct ptdbg_target *t = ptdbg_image_open(img, 0, len, NULL);
	struct ptdbg_region_view v;
	char err[256], name[PTDBG_NAME_LEN + 1];

	if (!t)
		return 0;
	if (ptdbg_region_read(t, pa, &v, err, sizeof(err)) == 0) {
		FILE *sink = fz_sink();

		fprintf(sink, "%s\n", v.notes);
		for (size_t i = 0; i < v.nspaces; i++) {
			const struct ptdbg_aspace *a = &v.spaces[i];
			ptdbg_name_copy(name, a->name, PTDBG_NAME_LEN);
			fprintf(sink, "%s %s\n", name, ptdbg_as_kind_name(a->kind));
			if (ptdbg_region_space_by_root(&v, a->root) == NULL ||
			    ptdbg_region_space_by_name(&v, name) == NULL)
				abort(); /* a space read must be found again by root and name */
		}
		for (size_t i = 0; i < v.nmarkers; i++) {
			const struct ptdbg_marker *m = &v.markers[i];
			ptdbg_name_copy(name, m->name, PTDBG_NAME_LEN);
			fprintf(sink, "%s %s\n", name, ptdbg_tracking_name(m->tracking));
			ptdbg_region_marker_at(&v, m->as_kind, m->start);
		}
		ptdbg_region_marker_at(&v, PTDBG_AS_KERNEL, va);
		ptdbg_region_marker_at(&v, PTDBG_AS_USER, va | 0xffff800000000000ull);
		for (size_t i = 0; i < v.ndomains; i++)
			fprintf(sink, "%u\n", v.domains[i].bdf);
		for (size_t i = 0; i < v.ndma_bufs; i++)
			fprintf(sink, "%s %s\n", ptdbg_dma_dir_name(v.dma_bufs[i].dir),
				ptdbg_dma_status_name(v.dma_bufs[i].status));
		for (size_t i = 0; i < v.nfaults; i++)
			fprintf(sink, "%s\n", ptdbg_fault_outcome_name(v.faults[i].outcome));
		fprintf(sink, "%s\n", ptdbg_iommu_mode_name(v.hdr.iommu.mode));

		struct ptdbg_frame_meta *meta = calloc(nframes, sizeof(*meta));
		if (meta) {
			if (ptdbg_region_frames_read(t, &v, first, nframes, meta) == 0)
				for (size_t i = 0; i < nframes; i++)
					fprintf(sink, "%s\n", ptdbg_frame_usage_name(meta[i].usage));
			ptdbg_region_frame(t, &v, first + nframes, meta);
			ptdbg_region_frame(t, &v, v.hdr.frames.base_pfn + v.hdr.frames.count - 1, meta);
			free(meta);
		}
		ptdbg_region_free(&v);
	}
	uint64_t found;
	ptdbg_region_scan(t, 0, len, &found);
	ptdbg_region_scan(t, pa, pa + 8192, &found);
	ptdbg_target_close(t);
	return 0;
}
