/* SPDX-License-Identifier: MIT */
/* Tool sessions: common options, attach and detach; see session.h. */
#include "cli/session.h"
#include "acpi/acpi.h"
#include "target/ramfilter.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char ptdbg_session_opts_help[] =
	"Target options:\n"
	"  -t, --target HOST:PORT|unix:PATH  QEMU gdbstub (default $PTDBG_TARGET or localhost:1234)\n"
	"  -c, --core FILE        read a QEMU dump-guest-memory ELF core file instead\n"
	"  -k, --elf FILE         the kernel's ELF file: symbols and the debug region's address\n"
	"      --system-map FILE  the kernel's symbols from a System.map (instead of -k)\n"
	"      --region ADDR|off  the debug region's physical address, or ignore it\n"
	"      --timeout SEC      give up on a silent gdbstub after SEC seconds (default 5)\n"
	"      --stay-stopped     leave the VM stopped on exit (default: as it was found)\n"
	"      --no-fast-path     read memory through the gdbstub even when QEMU is local\n"
	"      --pat VALUE        IA32_PAT to decode memory types with\n"
	"      --maxphyaddr N     physical address width for reserved-bit checks\n"
	"      --arch NAME        x86-64 or aarch64: override what the target says\n"
	"  -j, --json             JSON output;  -p, --pretty  indented JSON\n"
	"  -v, --verbose          say which backend served reads and how much was read\n";

void ptdbg_session_init(struct ptdbg_session *s, const char *prog)
{
	memset(s, 0, sizeof(*s));
	s->prog = prog;
	s->out = stdout;
	s->err = stderr;
	s->topts.timeout_s = 5.0;
}

void ptdbg_session_err(const struct ptdbg_session *s, const char *fmt, ...)
{
	va_list ap;
	fprintf(s->err, "%s: ", s->prog);
	va_start(ap, fmt);
	vfprintf(s->err, fmt, ap);
	va_end(ap);
	fputc('\n', s->err);
}

void ptdbg_usage_err(const struct ptdbg_session *s, const char *fmt, ...)
{
	va_list ap;
	const char *sp = s->cmd ? " " : "", *cmd = s->cmd ? s->cmd : "";
	fprintf(s->err, "%s%s%s: ", s->prog, sp, cmd);
	va_start(ap, fmt);
	vfprintf(s->err, fmt, ap);
	va_end(ap);
	fprintf(s->err, " (see '%s%s%s --help')\n", s->prog, sp, cmd);
}

/* Handlers of the common options (options.h). */
static const char *set_region(void *dst, const char *v)
{
	uint64_t pa;
	return strcmp(v, "off") && ptdbg_parse_u64(v, &pa) ? "a physical address or 'off'" : NULL;
}

static const char *set_timeout(void *dst, const char *v)
{
	char *end;
	double t = strtod(v, &end);
	if (*end || !(t > 0) || t > 3600)
		return "seconds (0 < SEC <= 3600)";
	*(double *)dst = t;
	return NULL;
}

static const char *set_pat(void *dst, const char *v)
{
	struct ptdbg_session *s = dst;
	if (ptdbg_parse_u64(v, &s->pat))
		return "a 64-bit number";
	s->pat_given = true;
	return NULL;
}

static const char *set_maxphyaddr(void *dst, const char *v)
{
	uint64_t n;
	if (ptdbg_parse_u64(v, &n) || n < 32 || n > 52)
		return "a number from 32 to 52";
	*(unsigned *)dst = (unsigned)n;
	return NULL;
}

static const char *set_pretty(void *dst, const char *v)
{
	struct ptdbg_session *s = dst;
	s->json = s->pretty = true;
	return NULL;
}

static const char *set_arch(void *dst, const char *v)
{
	struct ptdbg_session *s = dst;
	s->arch_opt = ptdbg_arch_from_name(v);
	return s->arch_opt ? NULL : "x86-64 or aarch64";
}

static const char *set_verbose(void *dst, const char *v)
{
	++*(int *)dst;
	return NULL;
}

void ptdbg_session_options(struct ptdbg_session *s, struct ptdbg_opt tab[PTDBG_SESSION_NOPTS])
{
	size_t n = 0;
	tab[n++] = (struct ptdbg_opt){ .name = "json", .short_name = 'j', .flag = &s->json };
	tab[n++] = (struct ptdbg_opt){ .name = "pretty", .short_name = 'p', .set = set_pretty, .dst = s };
	if (!s->t) {
		/* Not --kernel for -k: that is dump's filter for the upper half. */
		tab[n++] = (struct ptdbg_opt){ .name = "target", .short_name = 't', .value = true,
					       .str = &s->topts.spec };
		tab[n++] = (struct ptdbg_opt){ .name = "core", .short_name = 'c', .value = true,
					       .str = &s->topts.core_file };
		tab[n++] = (struct ptdbg_opt){ .name = "elf", .short_name = 'k', .value = true, .str = &s->kernel };
		tab[n++] = (struct ptdbg_opt){ .name = "system-map", .value = true, .str = &s->system_map };
		tab[n++] = (struct ptdbg_opt){ .name = "region", .value = true, .str = &s->region_opt,
					       .set = set_region };
		tab[n++] = (struct ptdbg_opt){ .name = "timeout", .value = true, .set = set_timeout,
					       .dst = &s->topts.timeout_s };
		tab[n++] = (struct ptdbg_opt){ .name = "arch", .value = true, .set = set_arch, .dst = s };
		tab[n++] = (struct ptdbg_opt){ .name = "stay-stopped", .flag = &s->topts.stay_stopped };
		tab[n++] = (struct ptdbg_opt){ .name = "no-fast-path", .flag = &s->topts.no_fast_path };
		tab[n++] = (struct ptdbg_opt){ .name = "pat", .value = true, .set = set_pat, .dst = s };
		tab[n++] = (struct ptdbg_opt){ .name = "maxphyaddr", .value = true, .set = set_maxphyaddr,
					       .dst = &s->maxphyaddr };
		tab[n++] = (struct ptdbg_opt){ .name = "verbose", .short_name = 'v', .set = set_verbose,
					       .dst = &s->topts.verbose };
	}
	tab[n++] = (struct ptdbg_opt){ .name = "help", .short_name = 'h' };
	tab[n++] = (struct ptdbg_opt){ .name = "version" };
	tab[n] = (struct ptdbg_opt)PTDBG_OPT_END;
}

/* ptdbg_region_also_fn of the session: what to read with the region's arrays
 * (also[0], its buffer big enough for either). */
static void region_also(const struct ptdbg_region *h, struct ptdbg_io *also, size_t nalso, void *ctx)
{
	struct ptdbg_session *s = ctx;
	if (!nalso)
		return;
	if (ptdbg_session_arch(s) == PTDBG_ARCH_AARCH64 && !s->have_ram) {
		also[0].pa = PTDBG_VIRT_RAM_PA;
		also[0].len = PTDBG_FDT_AHEAD;
	} else if (ptdbg_session_arch(s) == PTDBG_ARCH_X86_64 && s->iommu_table_ahead && h->acpi_iommu_table) {
		also[0].pa = h->acpi_iommu_table;
		also[0].len = ACPI_TABLE_AHEAD;
	}
}

/* Find the debug region: --region, then the kernel ELF's symbol, then a scan. */
static void find_region(struct ptdbg_session *s)
{
	uint64_t pa = 0;
	char err[256] = "";
	s->region_src = PTDBG_REGION_NONE;
	if (s->region_opt && !strcmp(s->region_opt, "off")) {
		snprintf(s->region_why, sizeof(s->region_why), "--region off");
		return;
	}
	if (s->region_opt) {
		ptdbg_parse_u64(s->region_opt, &pa);
		s->region_src = PTDBG_REGION_ADDR;
	} else if (s->syms) {
		uint64_t va;
		if (ptdbg_symbols_lookup(s->syms, PTDBG_SYMBOL, &va) == 0 &&
		    ptdbg_symbols_va_to_pa(s->syms, va, &pa) == 0)
			s->region_src = PTDBG_REGION_SYMBOL;
	}
	if (s->region_src == PTDBG_REGION_NONE && s->syms) {
		/* The kernel's own ELF has no region symbol: it exports none. */
		snprintf(s->region_why, sizeof(s->region_why), "%s has no %s symbol: the kernel exports no debug region",
			 s->kernel ? s->kernel : s->system_map, PTDBG_SYMBOL);
		return;
	}
	if (s->region_src == PTDBG_REGION_NONE) {
		/* Kernels load low; scanning costs a full read of what is scanned, so
		 * scan less over the gdbstub link than over a core file or the fast path. */
		bool fast = s->topts.core_file || strcmp(ptdbg_target_backend(s->t), "gdbstub") != 0;
		/* RAM of QEMU's AArch64 virt machine starts at 1 GiB, below it is flash */
		uint64_t base = ptdbg_session_arch(s) == PTDBG_ARCH_AARCH64 ? PTDBG_VIRT_RAM_PA : 0;
		if (ptdbg_region_scan(s->t, base, base + ((fast ? 64ull : 16ull) << 20), &pa) == 0)
			s->region_src = PTDBG_REGION_SCAN;
	}
	if (s->region_src == PTDBG_REGION_NONE) {
		snprintf(s->region_why, sizeof(s->region_why),
			 "no debug region found (the guest may not export one)");
		return;
	}
	/* What the commands read next comes with the region's arrays (a round trip
	 * fewer; hints: a table elsewhere, or none, is read or missed as without):
	 * on AArch64 the device tree's first bytes for the RAM guard, on x86-64 the
	 * ACPI table the header says the IOMMU was found in, for a program that
	 * reads it (iommu_table_ahead). */
	struct ptdbg_io also = { 0 };
	free(s->fdt_ahead);
	free(s->acpi_ahead);
	s->fdt_ahead = s->acpi_ahead = NULL;
	s->acpi_ahead_pa = 0;
	if (!s->topts.core_file)
		also.buf = malloc(PTDBG_FDT_AHEAD > ACPI_TABLE_AHEAD ? PTDBG_FDT_AHEAD : ACPI_TABLE_AHEAD);
	int rrc = ptdbg_region_read_also(s->t, pa, &s->region, &also, also.buf ? 1 : 0, region_also, s, err,
					 sizeof(err));
	if (also.buf && !also.err && also.pa == PTDBG_VIRT_RAM_PA && ptdbg_session_arch(s) == PTDBG_ARCH_AARCH64)
		s->fdt_ahead = also.buf;
	else if (also.buf && !also.err && also.len == ACPI_TABLE_AHEAD) {
		s->acpi_ahead = also.buf;
		s->acpi_ahead_pa = also.pa;
	} else
		free(also.buf);
	if (rrc) {
		snprintf(s->region_why, sizeof(s->region_why), "%s", err);
		s->region_src = PTDBG_REGION_NONE;
		return;
	}
	s->have_region = true;
	if (s->region.notes[0])
		ptdbg_session_err(s, "warning: debug region: %s", s->region.notes);
}

int ptdbg_session_check_symbols(struct ptdbg_session *s)
{
	const char *path = s->kernel ? s->kernel : s->system_map;
	if (!path || s->syms)
		return 0;
	if (s->kernel && s->system_map) {
		ptdbg_usage_err(s, "options '-k' and '--system-map' exclude each other");
		return PTDBG_EXIT_ERROR;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ptdbg_session_err(s, "%s: %s", path, strerror(errno));
		return PTDBG_EXIT_ERROR;
	}
	close(fd);
	return 0;
}

int ptdbg_session_load_symbols(struct ptdbg_session *s)
{
	char err[512] = "";
	if ((!s->kernel && !s->system_map) || s->syms || s->syms_rc)
		return s->syms_rc;
	s->syms_rc = ptdbg_session_check_symbols(s);
	if (s->syms_rc)
		return s->syms_rc;
	s->syms = s->kernel ? ptdbg_symbols_open(s->kernel, err, sizeof(err))
			    : ptdbg_symbols_open_map(s->system_map, err, sizeof(err));
	if (!s->syms) {
		ptdbg_session_err(s, "%s", err);
		s->syms_rc = PTDBG_EXIT_ERROR;
	}
	return s->syms_rc;
}

/* ptdbg_target_opts.while_attaching: the symbols, while the stub answers. */
static void load_symbols_now(void *arg)
{
	(void)ptdbg_session_load_symbols(arg);
}

int ptdbg_session_need_regs(struct ptdbg_session *s)
{
	if (s->regs_read || !s->t)
		return 0;
	int rc = ptdbg_read_regs(s->t, &s->regs);
	s->regs_read = true;
	return rc == PTDBG_ENOTSUP ? 0 : rc; /* a target without registers has none */
}

/* The registers at attach or after the VM ran: all of them, or with regs_on_demand
 * the architecture alone. 0, or PTDBG_EXIT_ERROR (printed). */
static int load_regs(struct ptdbg_session *s)
{
	memset(&s->regs, 0, sizeof(s->regs));
	s->regs_read = false;
	int rc = s->regs_on_demand ? ptdbg_target_arch(s->t, &s->regs.arch)
				   : ptdbg_session_need_regs(s);
	if (rc) {
		ptdbg_session_err(s, "%s", ptdbg_target_error(s->t));
		return PTDBG_EXIT_ERROR;
	}
	return 0;
}

/* Attach s to its callbacks: target, memory reader, then registers and the region
 * as a refresh reads them. */
static int attach_callbacks(struct ptdbg_session *s)
{
	s->t = ptdbg_callback_open(s->callbacks);
	s->mem = s->t ? ptdbg_mem_new(s->t, 0) : NULL;
	if (!s->mem) {
		ptdbg_session_err(s, "out of memory");
		ptdbg_session_detach(s);
		return PTDBG_EXIT_ERROR;
	}
	if (ptdbg_session_refresh(s)) {
		ptdbg_session_detach(s);
		return PTDBG_EXIT_ERROR;
	}
	return 0;
}

int ptdbg_session_attach(struct ptdbg_session *s)
{
	char err[512] = "";
	if (s->t)
		return 0;
	if (s->dry_run)
		return PTDBG_EXIT_ERROR;
	bool callbacks = s->callbacks && !s->topts.spec && !s->topts.core_file;
	if ((callbacks || s->topts.core_file) && ptdbg_session_load_symbols(s))
		return PTDBG_EXIT_ERROR;
	if (callbacks)
		return attach_callbacks(s);
	s->topts.log = s->err;
	/* a gdbstub's handshake waits on QEMU stopping the VM: the symbols load then */
	s->topts.while_attaching = load_symbols_now;
	s->topts.while_attaching_arg = s;
	ptdbg_target_install_signal_restore();
	s->t = ptdbg_target_open(&s->topts, err, sizeof(err));
	s->topts.while_attaching = NULL;
	s->topts.while_attaching_arg = NULL;
	if (!s->t) { /* a symbol file's error first, as when it was read before */
		if (ptdbg_session_load_symbols(s) == 0)
			ptdbg_session_err(s, "%s", err);
		ptdbg_session_detach(s);
		return PTDBG_EXIT_ERROR;
	}
	if (ptdbg_session_load_symbols(s)) {
		ptdbg_session_detach(s);
		return PTDBG_EXIT_ERROR;
	}
	s->mem = ptdbg_mem_new(s->t, 0);
	if (!s->mem) {
		ptdbg_session_err(s, "out of memory");
		ptdbg_session_detach(s);
		return PTDBG_EXIT_ERROR;
	}
	if (load_regs(s)) {
		ptdbg_session_detach(s);
		return PTDBG_EXIT_ERROR;
	}
	find_region(s);
	if (s->topts.verbose)
		fprintf(s->err, "%s: reading memory through %s; debug region: %s\n", s->prog,
			ptdbg_target_backend(s->t),
			s->have_region ? (s->region_src == PTDBG_REGION_SYMBOL ? "from the kernel symbol" :
					  s->region_src == PTDBG_REGION_SCAN ? "found by scanning" : "at --region")
				       : s->region_why);
	return 0;
}

void ptdbg_session_detach(struct ptdbg_session *s)
{
	if (s->topts.verbose && s->t) {
		struct ptdbg_mem_stats ms;
		if (s->mem) {
			ptdbg_mem_stats(s->mem, &ms);
			fprintf(s->err, "%s: %s served %llu bytes in %llu reads; %llu table pages cached at peak\n",
				s->prog, ptdbg_target_backend(s->t), (unsigned long long)s->t->stats.bytes_read,
				(unsigned long long)s->t->stats.reads, (unsigned long long)ms.peak_pages);
		}
	}
	/* The VM first (it runs again the sooner): the reader's stream ends before its
	 * target goes (it may still be reading), the restore goes out, and what is
	 * only memory here is freed while the stub answers it. */
	if (s->mem)
		ptdbg_mem_stream_end(s->mem);
	if (s->ram_filter)
		ptdbg_target_close(s->ram_filter); /* leaves t open */
	s->ram_filter = NULL;
	if (s->t)
		ptdbg_target_detach(s->t);
	if (s->mem)
		ptdbg_mem_free(s->mem);
	s->mem = NULL;
	s->ram_mem = NULL;
	s->have_ram = false;
	if (s->have_region)
		ptdbg_region_free(&s->region);
	s->have_region = false;
	free(s->linux_layout);
	s->linux_layout = NULL;
	free(s->fdt_ahead);
	s->fdt_ahead = NULL;
	free(s->acpi_ahead);
	s->acpi_ahead = NULL;
	if (s->syms)
		ptdbg_symbols_close(s->syms);
	s->syms = NULL;
	s->syms_rc = 0;
	if (s->t)
		ptdbg_target_close(s->t);
	s->t = NULL;
}

int ptdbg_session_refresh(struct ptdbg_session *s)
{
	ptdbg_mem_invalidate(s->mem);
	free(s->linux_layout); /* the guest ran: its layout is found again when asked for */
	s->linux_layout = NULL;
	if (load_regs(s))
		return PTDBG_EXIT_ERROR;
	if (s->have_region)
		ptdbg_region_free(&s->region);
	s->have_region = false;
	find_region(s);
	return 0;
}

enum ptdbg_arch ptdbg_session_arch(const struct ptdbg_session *s)
{
	if (s->arch_opt)
		return s->arch_opt;
	enum ptdbg_arch a = ptdbg_regs_arch(&s->regs);
	return a ? a : PTDBG_ARCH_X86_64;
}

void ptdbg_session_cpu(const struct ptdbg_session *s, struct ptdbg_x86_cpu *cpu)
{
	ptdbg_x86_cpu_from_regs(cpu, &s->regs);
	if (s->have_region) {
		const struct ptdbg_cpu *rc = &s->region.hdr.cpu;
		if (rc->pat) {
			cpu->pat = rc->pat;
			cpu->pat_source = PTDBG_PAT_REGION;
		}
		if (rc->maxphyaddr >= 32 && rc->maxphyaddr <= 52)
			cpu->maxphyaddr = rc->maxphyaddr;
		/* Registers win for the live state; a core file without control
		 * registers falls back to what the kernel exported. */
		if (!(s->regs.valid & PTDBG_REG_CR3)) {
			cpu->cr0 = rc->cr0;
			cpu->cr3 = rc->cr3;
			cpu->cr4 = rc->cr4;
			cpu->efer = rc->efer;
			cpu->levels = rc->paging_levels == 5 ? 5 : 4;
		}
	}
	if (s->pat_given) {
		cpu->pat = s->pat;
		cpu->pat_source = PTDBG_PAT_USER;
	}
	if (s->maxphyaddr)
		cpu->maxphyaddr = s->maxphyaddr;
}

int ptdbg_session_parse_addr(const struct ptdbg_session *s, const char *arg, uint64_t *out)
{
	if (ptdbg_parse_u64(arg, out) == 0)
		return 0;
	/* a symbolic address before the attach: the symbols now (the session's cache
	 * of them, which is why a const session may load them) */
	if (!s->syms && ptdbg_session_load_symbols((struct ptdbg_session *)s))
		return -1;
	if (s->syms && arg && *arg) {
		char name[256];
		const char *plus = strchr(arg, '+');
		size_t n = plus ? (size_t)(plus - arg) : strlen(arg);
		uint64_t off = 0, base;
		if (n < sizeof(name)) {
			memcpy(name, arg, n);
			name[n] = 0;
			if ((!plus || ptdbg_parse_u64(plus + 1, &off) == 0) &&
			    ptdbg_symbols_lookup(s->syms, name, &base) == 0) {
				*out = base + off;
				return 0;
			}
		}
	}
	ptdbg_usage_err(s, "'%s' is not an address%s", arg ? arg : "",
			  s->syms ? " or a known symbol" : " (give -k KERNEL.elf to use symbols)");
	return -1;
}

void ptdbg_session_symbolize(const struct ptdbg_session *s, uint64_t addr, char *buf, size_t len)
{
	buf[0] = 0;
	if (s->syms)
		ptdbg_symbols_format(s->syms, addr - (uint64_t)s->sym_slide, buf, len);
}

struct ptdbg_json *ptdbg_session_json(const struct ptdbg_session *s)
{
	struct ptdbg_json *j = ptdbg_json_new(s->out);
	if (j && s->pretty)
		ptdbg_json_pretty(j, true);
	return j;
}

int ptdbg_session_report(const struct ptdbg_session *s, struct ptdbg_findings *fl, const char *kinds)
{
	if (kinds)
		ptdbg_findings_keep_kinds(fl, kinds);
	ptdbg_findings_sort(fl);
	if (s->json) {
		struct ptdbg_json *j = ptdbg_session_json(s);
		if (j) {
			ptdbg_findings_json(j, fl);
			ptdbg_json_free(j);
		}
	} else {
		ptdbg_findings_print(s->out, fl);
	}
	int rc = ptdbg_findings_worst(fl) >= PTDBG_SEV_WARNING ? PTDBG_EXIT_FINDINGS : PTDBG_EXIT_OK;
	ptdbg_findings_free(fl);
	return rc;
}

void ptdbg_session_put_pages(struct ptdbg_session *s, const struct ptdbg_io *ios, size_t n)
{
	for (size_t i = 0; s->mem && i < n; i++)
		if (ios[i].err == 0 && (!s->have_ram || ptdbg_ram_holds(&s->ram, ios[i].pa, PTDBG_PAGE_SIZE)))
			(void)ptdbg_mem_put(s->mem, ios[i].pa, ios[i].buf);
}

const struct ptdbg_ram *ptdbg_session_ram_guard(struct ptdbg_session *s, uint64_t fdt_pa,
						const uint64_t *roots, size_t n)
{
	if (s->have_ram && s->mem == s->ram_mem)
		return &s->ram;
	if (!s->mem || !s->t || s->topts.core_file || s->ram_filter)
		return NULL;
	struct ptdbg_ram ram;
	char why[256];
	bool ahead = s->fdt_ahead && fdt_pa == PTDBG_VIRT_RAM_PA;
	bool fdt = ptdbg_ram_from_fdt_ahead(s->t, fdt_pa, ahead ? s->fdt_ahead : NULL, ahead ? PTDBG_FDT_AHEAD : 0,
					    &ram) == 0;
	free(s->fdt_ahead);
	s->fdt_ahead = NULL;
	for (size_t i = 0; fdt && i < n; i++)
		if (!ptdbg_ram_holds(&ram, roots[i], 8))
			fdt = false;
	if (fdt) {
		ram.source = "device tree";
	} else {
		const struct ptdbg_frames *fr = &s->region.hdr.frames;
		if (ptdbg_ram_find(s->t, NULL, s->have_region ? fr->base_pfn : 0, s->have_region ? fr->count : 0,
				   &ram, why, sizeof(why)) || !ram.n)
			return NULL;
	}
	struct ptdbg_target *f = ptdbg_ram_filter_open(s->t, &ram);
	struct ptdbg_mem *m = f ? ptdbg_mem_new(f, 0) : NULL;
	if (!m) {
		if (f)
			ptdbg_target_close(f);
		return NULL;
	}
	ptdbg_mem_free(s->mem);
	s->mem = s->ram_mem = m;
	s->ram_filter = f;
	s->ram = ram;
	s->have_ram = true;
	if (s->topts.verbose)
		fprintf(s->err, "%s: RAM from the %s: %zu range%s, %llu MiB; reads elsewhere are not RAM\n",
			s->prog, ram.source, ram.n, ram.n == 1 ? "" : "s",
			(unsigned long long)(ptdbg_ram_bytes(&ram) >> 20));
	return &s->ram;
}
