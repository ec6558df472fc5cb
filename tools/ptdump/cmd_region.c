/* SPDX-License-Identifier: MIT */
/* ptdump region: what the kernel exports in its debug region. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm64/arm64_regs.h"
#include "ptdump.h"

/* Count frames by usage with batched reads of the metadata array. */
static int frame_summary(struct ptdbg_session *s, uint64_t counts[PTDBG_FRAME_USAGE_MAX + 2],
			 uint64_t *neg_ref)
{
	const struct ptdbg_frames *f = &s->region.hdr.frames;
	enum { CHUNK = 8192 };
	struct ptdbg_frame_meta *buf = malloc(CHUNK * sizeof(*buf));
	if (!buf)
		return PTDBG_ENOMEM;
	*neg_ref = 0;
	for (uint64_t i = 0; i < f->count; i += CHUNK) {
		size_t n = f->count - i < CHUNK ? (size_t)(f->count - i) : CHUNK;
		int rc = ptdbg_region_frames_read(s->t, &s->region, f->base_pfn + i, n, buf);
		if (rc) {
			free(buf);
			return rc;
		}
		for (size_t k = 0; k < n; k++) {
			unsigned u = buf[k].usage <= PTDBG_FRAME_USAGE_MAX ? buf[k].usage : PTDBG_FRAME_USAGE_MAX + 1;
			counts[u]++;
			if (buf[k].refcount < 0)
				(*neg_ref)++;
		}
	}
	free(buf);
	return 0;
}

static void json_region(struct ptdbg_session *s, struct ptdbg_json *j)
{
	const struct ptdbg_region *h = &s->region.hdr;
	char name[PTDBG_NAME_LEN + 1];
	ptdbg_json_start_object(j);
	ptdbg_json_hex_field(j, "pa", s->region.pa);
	ptdbg_json_hex_field(j, "magic", h->magic);
	ptdbg_json_uint_field(j, "version_major", PTDBG_ABI_MAJOR_OF(h->version));
	ptdbg_json_uint_field(j, "version_minor", h->version & 0xffff);
	ptdbg_json_uint_field(j, "generation", h->generation);
	ptdbg_json_bool_field(j, "torn", s->region.torn);
	ptdbg_json_bool_field(j, "ready", h->flags & PTDBG_REGION_F_READY);
	ptdbg_json_uint_field(j, "ticks", h->ticks);
	ptdbg_json_bool_field(j, "panicked", h->flags & PTDBG_REGION_F_PANICKED);
	ptdbg_json_name(j, "cpu");
	ptdbg_json_start_object(j);
	if (h->arch == PTDBG_ARCH_AARCH64) {
		ptdbg_arm64_json_region_cpu(j, &h->arm64);
	} else {
		ptdbg_json_uint_field(j, "paging_levels", h->cpu.paging_levels);
		ptdbg_json_uint_field(j, "maxphyaddr", h->cpu.maxphyaddr);
		ptdbg_json_uint_field(j, "linaddr_bits", h->cpu.linaddr_bits);
		ptdbg_json_hex_field(j, "pat", h->cpu.pat);
		ptdbg_json_hex_field(j, "cr0", h->cpu.cr0);
		ptdbg_json_hex_field(j, "cr3", h->cpu.cr3);
		ptdbg_json_hex_field(j, "cr4", h->cpu.cr4);
		ptdbg_json_hex_field(j, "efer", h->cpu.efer);
	}
	ptdbg_json_end_object(j);
	ptdbg_json_name(j, "spaces");
	ptdbg_json_start_array(j);
	for (size_t i = 0; i < s->region.nspaces; i++) {
		const struct ptdbg_aspace *a = &s->region.spaces[i];
		ptdbg_name_copy(name, a->name, PTDBG_NAME_LEN);
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "name", name);
		ptdbg_json_string_field(j, "kind", ptdbg_as_kind_name(a->kind));
		ptdbg_json_uint_field(j, "id", a->id);
		ptdbg_json_hex_field(j, "root", a->root);
		ptdbg_json_uint_field(j, "levels", a->levels);
		ptdbg_json_bool_field(j, "live", a->flags & PTDBG_AS_F_LIVE);
		ptdbg_json_bool_field(j, "current", a->flags & PTDBG_AS_F_CURRENT);
		ptdbg_json_end_object(j);
	}
	ptdbg_json_end_array(j);
	ptdbg_json_name(j, "markers");
	ptdbg_json_start_array(j);
	for (size_t i = 0; i < s->region.nmarkers; i++) {
		const struct ptdbg_marker *m = &s->region.markers[i];
		ptdbg_name_copy(name, m->name, PTDBG_NAME_LEN);
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "name", name);
		ptdbg_json_hex_field(j, "start", m->start);
		ptdbg_json_hex_field(j, "end", m->end);
		ptdbg_json_string_field(j, "tracking", ptdbg_tracking_name(m->tracking));
		ptdbg_json_string_field(j, "space_kind", ptdbg_as_kind_name(m->as_kind));
		ptdbg_json_end_object(j);
	}
	ptdbg_json_end_array(j);
	ptdbg_json_name(j, "frames");
	ptdbg_json_start_object(j);
	ptdbg_json_hex_field(j, "array", h->frames.phys);
	ptdbg_json_uint_field(j, "base_pfn", h->frames.base_pfn);
	ptdbg_json_uint_field(j, "count", h->frames.count);
	ptdbg_json_uint_field(j, "ram_frames", h->frames.ram_frames);
	ptdbg_json_uint_field(j, "free_frames", h->frames.free_frames);
	ptdbg_json_end_object(j);
	ptdbg_json_name(j, "iommu");
	ptdbg_json_start_object(j);
	ptdbg_json_string_field(j, "mode", ptdbg_iommu_mode_name(h->iommu.mode));
	ptdbg_json_hex_field(j, "drhd_base", h->iommu.drhd_base);
	ptdbg_json_hex_field(j, "root_table", h->iommu.root_table);
	ptdbg_json_uint_field(j, "domain_count", s->region.ndomains);
	ptdbg_json_uint_field(j, "dma_buf_count", s->region.ndma_bufs);
	ptdbg_json_end_object(j);
	if (h->acpi_rsdp)
		ptdbg_json_hex_field(j, "acpi_rsdp", h->acpi_rsdp);
	if (h->acpi_iommu_table)
		ptdbg_json_hex_field(j, "acpi_iommu_table", h->acpi_iommu_table);
	ptdbg_json_uint_field(j, "faults_total", h->faults.total);
	if (h->flags & PTDBG_REGION_F_PANICKED) {
		char msg[sizeof(h->panic.msg) + 1], file[sizeof(h->panic.file) + 1];
		ptdbg_name_copy(msg, h->panic.msg, sizeof(h->panic.msg));
		ptdbg_name_copy(file, h->panic.file, sizeof(h->panic.file));
		ptdbg_json_name(j, "panic");
		ptdbg_json_start_object(j);
		ptdbg_json_string_field(j, "message", msg);
		ptdbg_json_string_field(j, "file", file);
		ptdbg_json_uint_field(j, "line", h->panic.line);
		ptdbg_json_hex_field(j, "rip", h->panic.rip);
		ptdbg_json_end_object(j);
	}
	ptdbg_json_end_object(j);
}

int cmd_region(struct ptdbg_session *s, int argc, char **argv)
{
	bool frames = false;
	const struct ptdbg_opt opts[] = {
		{ .name = "frames", .flag = &frames },
		PTDBG_OPT_END,
	};
	int npos;
	if (ptdbg_cmd_parse(s, opts, argc, argv, 0, NULL, 0, &npos))
		return PTDBG_EXIT_ERROR;
	if (pt_attach(s))
		return PTDBG_EXIT_ERROR;
	if (!s->have_region) {
		ptdbg_session_err(s, "%s", s->region_why);
		return PTDBG_EXIT_ERROR;
	}
	if (s->json) {
		struct ptdbg_json *j = ptdbg_session_json(s);
		json_region(s, j);
		ptdbg_json_free(j);
		return 0;
	}
	const struct ptdbg_region *h = &s->region.hdr;
	char name[PTDBG_NAME_LEN + 1];
	fprintf(s->out, "debug region at %#llx: ABI %u.%u, generation %llu%s%s%s\n", (unsigned long long)s->region.pa,
	       PTDBG_ABI_MAJOR_OF(h->version), h->version & 0xffff, (unsigned long long)h->generation,
	       s->region.torn ? " (TORN: the kernel was updating it)" : "",
	       (h->flags & PTDBG_REGION_F_READY) ? ", ready" : "",
	       (h->flags & PTDBG_REGION_F_PANICKED) ? ", PANICKED" : "");
	if (h->arch == PTDBG_ARCH_AARCH64) {
		ptdbg_arm64_print_region_cpu(s->out, &h->arm64);
	} else {
		fprintf(s->out, "cpu: %u-level paging, MAXPHYADDR %u, %u-bit linear addresses, PAT 0x%016llx\n",
			h->cpu.paging_levels, h->cpu.maxphyaddr, h->cpu.linaddr_bits,
			(unsigned long long)h->cpu.pat);
		fprintf(s->out, "     CR0 %#llx CR3 %#llx CR4 %#llx EFER %#llx\n", (unsigned long long)h->cpu.cr0,
			(unsigned long long)h->cpu.cr3, (unsigned long long)h->cpu.cr4,
			(unsigned long long)h->cpu.efer);
	}
	fprintf(s->out, "\naddress spaces (%zu):\n  %-20s %-7s %5s %-18s %6s  %s\n", s->region.nspaces, "NAME", "KIND", "ID",
	       "ROOT", "LEVELS", "STATE");
	for (size_t i = 0; i < s->region.nspaces; i++) {
		const struct ptdbg_aspace *a = &s->region.spaces[i];
		ptdbg_name_copy(name, a->name, PTDBG_NAME_LEN);
		fprintf(s->out, "  %-20s %-7s %5u 0x%016llx %6u  %s%s\n", name, ptdbg_as_kind_name(a->kind), a->id,
		       (unsigned long long)a->root, a->levels, (a->flags & PTDBG_AS_F_LIVE) ? "live" : "gone",
		       (a->flags & PTDBG_AS_F_CURRENT) ? ", current" : "");
	}
	fprintf(s->out, "\nrange markers (%zu):\n  %-20s %-18s %-18s %-9s %s\n", s->region.nmarkers, "NAME", "START", "END",
	       "TRACKING", "SPACES");
	for (size_t i = 0; i < s->region.nmarkers; i++) {
		const struct ptdbg_marker *m = &s->region.markers[i];
		ptdbg_name_copy(name, m->name, PTDBG_NAME_LEN);
		fprintf(s->out, "  %-20s 0x%016llx 0x%016llx %-9s %s\n", name, (unsigned long long)m->start,
		       (unsigned long long)m->end, ptdbg_tracking_name(m->tracking), ptdbg_as_kind_name(m->as_kind));
	}
	fprintf(s->out, "\nframes: %llu described from pfn %#llx (metadata at %#llx, %u bytes each); %llu RAM, %llu free\n",
	       (unsigned long long)h->frames.count, (unsigned long long)h->frames.base_pfn,
	       (unsigned long long)h->frames.phys, h->frames.elem_size, (unsigned long long)h->frames.ram_frames,
	       (unsigned long long)h->frames.free_frames);
	if (frames) {
		uint64_t counts[PTDBG_FRAME_USAGE_MAX + 2] = { 0 }, neg;
		int rc = frame_summary(s, counts, &neg);
		if (rc) {
			ptdbg_session_err(s, "frame metadata: %s", ptdbg_target_error(s->t));
			return PTDBG_EXIT_ERROR;
		}
		for (unsigned u = 0; u <= PTDBG_FRAME_USAGE_MAX + 1; u++)
			if (counts[u])
				fprintf(s->out, "  %-14s %10llu\n", u <= PTDBG_FRAME_USAGE_MAX ? ptdbg_frame_usage_name(u) : "(invalid)",
				       (unsigned long long)counts[u]);
		if (neg)
			fprintf(s->out, "  %llu frames have a NEGATIVE reference count\n", (unsigned long long)neg);
	}
	fprintf(s->out, "iommu: %s", ptdbg_iommu_mode_name(h->iommu.mode));
	if (h->iommu.mode)
		fprintf(s->out, ", registers at %#llx, root table %#llx", (unsigned long long)h->iommu.drhd_base,
		       (unsigned long long)h->iommu.root_table);
	fprintf(s->out, ", %zu domains, %zu DMA buffers\n", s->region.ndomains, s->region.ndma_bufs);
	if (h->acpi_rsdp && h->acpi_iommu_table)
		fprintf(s->out, "acpi: RSDP at %#llx, IOMMU table at %#llx\n", (unsigned long long)h->acpi_rsdp,
			(unsigned long long)h->acpi_iommu_table);
	else if (h->acpi_rsdp)
		fprintf(s->out, "acpi: RSDP at %#llx\n", (unsigned long long)h->acpi_rsdp);
	fprintf(s->out, "faults: %llu recorded, the last %zu kept\n", (unsigned long long)h->faults.total, s->region.nfaults);
	if (h->flags & PTDBG_REGION_F_PANICKED) {
		char msg[sizeof(h->panic.msg) + 1], file[sizeof(h->panic.file) + 1];
		ptdbg_name_copy(msg, h->panic.msg, sizeof(h->panic.msg));
		ptdbg_name_copy(file, h->panic.file, sizeof(h->panic.file));
		fprintf(s->out, "panic: %s at %s:%u (rip %#llx)\n", msg, file, h->panic.line, (unsigned long long)h->panic.rip);
	}
	if (s->region.notes[0])
		fprintf(s->out, "notes: %s\n", s->region.notes);
	return 0;
}
