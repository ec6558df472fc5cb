/* SPDX-License-Identifier: MIT */
/* AArch64 registers: CPU state from a target's registers, and their decoding. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "arm64/arm64_bits.h"
#include "arm64/arm64_regs.h"
#include "walk/dump.h"

void ptdbg_arm64_cpu_from_regs(struct ptdbg_arm64_cpu *cpu, const struct ptdbg_regs *r)
{
	memset(cpu, 0, sizeof(*cpu));
	cpu->ttbr0 = r->ttbr0_el1;
	cpu->ttbr1 = r->ttbr1_el1;
	cpu->tcr = r->tcr_el1;
	cpu->mair = r->mair_el1;
	cpu->sctlr = r->sctlr_el1;
	cpu->pc = r->pc;
	cpu->cpsr = r->cpsr;
	cpu->esr = r->esr_el1;
	cpu->far = r->far_el1;
	cpu->elr = r->elr_el1;
	cpu->vbar = r->vbar_el1;
	cpu->spsr = r->spsr_el1;
	if (r->valid & PTDBG_REG_SPSR)
		cpu->valid |= PTDBG_ARM64_HAVE_SPSR;
	if (r->valid & PTDBG_REG_SCTLR)
		cpu->valid |= PTDBG_ARM64_HAVE_SCTLR;
	if (r->valid & PTDBG_REG_CPSR)
		cpu->valid |= PTDBG_ARM64_HAVE_CPSR;
	if ((r->valid & (PTDBG_REG_ESR | PTDBG_REG_FAR | PTDBG_REG_ELR)) ==
	    (PTDBG_REG_ESR | PTDBG_REG_FAR | PTDBG_REG_ELR))
		cpu->valid |= PTDBG_ARM64_HAVE_EXC;
	if (r->valid & PTDBG_REG_VBAR)
		cpu->valid |= PTDBG_ARM64_HAVE_VBAR;
	if (r->valid & PTDBG_REG_PC)
		cpu->valid |= PTDBG_ARM64_HAVE_PC;
	if (r->valid & PTDBG_REG_MMFR0)
		cpu->parange = arm64_pa_bits((unsigned)(r->id_aa64mmfr0_el1 & ARM64_MMFR0_PARANGE_MASK));
}

uint32_t ptdbg_arm64_regs_missing(const struct ptdbg_regs *r)
{
	uint32_t need = PTDBG_REG_TTBR0 | PTDBG_REG_TTBR1 | PTDBG_REG_TCR;
	return need & ~r->valid;
}

const char *ptdbg_arm64_half_text(const struct ptdbg_arm64_cpu *cpu, unsigned half, char *buf,
				  size_t len)
{
	struct ptdbg_arm64_half h;

	ptdbg_arm64_half_of(cpu, half, &h);
	if (!h.enabled) {
		snprintf(buf, len, "TTBR%u: walks disabled (EPD%u): every access faults", half, half);
		return buf;
	}
	snprintf(buf, len, "TTBR%u: 0x%016" PRIx64 "-0x%016" PRIx64 ", %u-bit (T%uSZ=%u%s), %uK granule%s, "
		 "start level %d, root 0x%" PRIx64 ", %u-bit output, ASID %u%s%s",
		 half, h.va_base, h.va_base + ((UINT64_C(1) << h.va_bits) - 1), h.va_bits, half, h.txsz,
		 h.txsz != h.txsz_eff ? ", clamped" : "", 1u << (h.gshift - 10),
		 h.tg_reserved ? " (reserved TG encoding)" : "", h.start_level, h.root, h.pa_bits,
		 h.asid, h.tbi ? ", top byte ignored" : "", h.hpd ? ", hierarchical permissions off" : "");
	return buf;
}

const char *ptdbg_arm64_exception_text(const struct ptdbg_arm64_cpu *cpu, char *buf, size_t len)
{
	char fsc[96];
	uint64_t esr = cpu->esr;
	unsigned ec = arm64_esr_ec(esr);

	buf[0] = 0;
	if (!(cpu->valid & PTDBG_ARM64_HAVE_EXC) || esr == 0)
		return buf;
	int n = snprintf(buf, len, "%s", ptdbg_arm64_ec_name(ec));
	if (n < 0 || (size_t)n >= len)
		return buf;
	switch (ec) {
	case ARM64_EC_DABT_LOW: case ARM64_EC_DABT_CUR:
	case ARM64_EC_IABT_LOW: case ARM64_EC_IABT_CUR: {
		bool data = ec == ARM64_EC_DABT_LOW || ec == ARM64_EC_DABT_CUR;
		ptdbg_arm64_fsc_name((unsigned)(esr & ARM64_ISS_FSC_MASK), fsc, sizeof(fsc));
		snprintf(buf + n, len - (size_t)n, ": %s%s%s, at 0x%016" PRIx64 "%s, from ELR 0x%016" PRIx64,
			 fsc, data ? ((esr & ARM64_ISS_WNR) ? ", write" : ", read") : ", instruction fetch",
			 (esr & ARM64_ISS_S1PTW) ? ", on a stage-2 walk" : "", cpu->far,
			 (esr & ARM64_ISS_FNV) ? " (FAR not valid)" : "", cpu->elr);
		break;
	}
	case ARM64_EC_SVC64: case ARM64_EC_HVC64: case ARM64_EC_SMC64: case ARM64_EC_BRK64:
		snprintf(buf + n, len - (size_t)n, " #%u, return to 0x%016" PRIx64,
			 (unsigned)(esr & ARM64_ISS_SVC_IMM_MASK), cpu->elr);
		break;
	default:
		snprintf(buf + n, len - (size_t)n, ", ISS 0x%07x, ELR 0x%016" PRIx64,
			 (unsigned)(esr & ARM64_ESR_ISS_MASK), cpu->elr);
		break;
	}
	return buf;
}

static void reg_line(FILE *out, const char *name, uint64_t v, bool valid,
		     const struct ptdbg_bit_table *t)
{
	if (!valid) {
		fprintf(out, "%-10s (not available)\n", name);
		return;
	}
	fprintf(out, "%-10s 0x%016" PRIx64, name, v);
	if (t) {
		char bits[768];
		ptdbg_bits_format(t, v, " ", bits, sizeof(bits));
		fprintf(out, "  %s", bits);
	}
	fputc('\n', out);
}

static void addr_line(FILE *out, const char *name, uint64_t v, bool valid,
		      ptdbg_arm64_symbolize_fn sym, void *ctx)
{
	char s[160] = "";

	if (!valid) {
		fprintf(out, "%-10s (not available)\n", name);
		return;
	}
	if (sym)
		sym(ctx, v, s, sizeof(s));
	fprintf(out, "%-10s 0x%016" PRIx64 "%s%s\n", name, v, s[0] ? " " : "", s);
}

void ptdbg_arm64_print_regs(FILE *out, const struct ptdbg_regs *r, ptdbg_arm64_symbolize_fn sym,
			    void *ctx)
{
	struct ptdbg_arm64_cpu cpu;
	char buf[512];

	ptdbg_arm64_cpu_from_regs(&cpu, r);
	addr_line(out, "PC", r->pc, r->valid & PTDBG_REG_PC, sym, ctx);
	reg_line(out, "CPSR", r->cpsr, r->valid & PTDBG_REG_CPSR, &arm64_bits_cpsr);
	if (r->valid & PTDBG_REG_CPSR)
		fprintf(out, "           EL%u (from CPSR.M[3:2])\n", arm64_psr_el(r->cpsr));
	reg_line(out, "SCTLR_EL1", r->sctlr_el1, r->valid & PTDBG_REG_SCTLR, &arm64_bits_sctlr);
	reg_line(out, "TCR_EL1", r->tcr_el1, r->valid & PTDBG_REG_TCR, &arm64_bits_tcr);
	if (r->valid & PTDBG_REG_TCR) {
		unsigned ips = (unsigned)((r->tcr_el1 & ARM64_TCR_IPS_MASK) >> ARM64_TCR_IPS_SHIFT);
		fprintf(out, "           T0SZ=%u T1SZ=%u IPS=%u (%u-bit)\n", arm64_tcr_t0sz(r->tcr_el1),
			arm64_tcr_t1sz(r->tcr_el1), ips, arm64_pa_bits(ips));
	}
	reg_line(out, "TTBR0_EL1", r->ttbr0_el1, r->valid & PTDBG_REG_TTBR0, NULL);
	reg_line(out, "TTBR1_EL1", r->ttbr1_el1, r->valid & PTDBG_REG_TTBR1, NULL);
	if ((r->valid & PTDBG_REG_TCR) && !ptdbg_arm64_mmu_on(&cpu))
		fprintf(out, "           the MMU is off (SCTLR_EL1.M=0): addresses are physical\n");
	if (r->valid & PTDBG_REG_TCR) {
		for (unsigned h = 0; h < 2; h++)
			fprintf(out, "           %s\n", ptdbg_arm64_half_text(&cpu, h, buf, sizeof(buf)));
	}
	reg_line(out, "MAIR_EL1", r->mair_el1, r->valid & PTDBG_REG_MAIR, NULL);
	if (r->valid & PTDBG_REG_MAIR)
		for (unsigned i = 0; i < 8; i++) {
			uint8_t a = ARM64_MAIR_GET(r->mair_el1, i);
			fprintf(out, "           Attr%u 0x%02x %s\n", i, a, ptdbg_arm64_memtype_name(a));
		}
	addr_line(out, "VBAR_EL1", r->vbar_el1, r->valid & PTDBG_REG_VBAR, sym, ctx);
	reg_line(out, "ESR_EL1", r->esr_el1, r->valid & PTDBG_REG_ESR, NULL);
	reg_line(out, "FAR_EL1", r->far_el1, r->valid & PTDBG_REG_FAR, NULL);
	addr_line(out, "ELR_EL1", r->elr_el1, r->valid & PTDBG_REG_ELR, sym, ctx);
	reg_line(out, "SPSR_EL1", r->spsr_el1, r->valid & PTDBG_REG_SPSR, &arm64_bits_cpsr);
	ptdbg_arm64_exception_text(&cpu, buf, sizeof(buf));
	if (buf[0])
		fprintf(out, "last exception: %s\n", buf);
	else if (cpu.valid & PTDBG_ARM64_HAVE_EXC)
		fprintf(out, "last exception: none recorded (ESR_EL1 is 0)\n");
}

void ptdbg_arm64_json_regs(struct ptdbg_json *j, const struct ptdbg_regs *r)
{
	struct ptdbg_arm64_cpu cpu;
	char buf[512];

	ptdbg_arm64_cpu_from_regs(&cpu, r);
	ptdbg_json_string_field(j, "arch", "aarch64");
#define JREG(bit, nm, val) if (r->valid & (bit)) ptdbg_json_hex_field(j, nm, val)
	JREG(PTDBG_REG_PC, "pc", r->pc);
	JREG(PTDBG_REG_CPSR, "cpsr", r->cpsr);
	JREG(PTDBG_REG_SCTLR, "sctlr_el1", r->sctlr_el1);
	JREG(PTDBG_REG_TCR, "tcr_el1", r->tcr_el1);
	JREG(PTDBG_REG_TTBR0, "ttbr0_el1", r->ttbr0_el1);
	JREG(PTDBG_REG_TTBR1, "ttbr1_el1", r->ttbr1_el1);
	JREG(PTDBG_REG_MAIR, "mair_el1", r->mair_el1);
	JREG(PTDBG_REG_VBAR, "vbar_el1", r->vbar_el1);
	JREG(PTDBG_REG_ESR, "esr_el1", r->esr_el1);
	JREG(PTDBG_REG_FAR, "far_el1", r->far_el1);
	JREG(PTDBG_REG_ELR, "elr_el1", r->elr_el1);
	JREG(PTDBG_REG_SPSR, "spsr_el1", r->spsr_el1);
#undef JREG
	if (r->valid & PTDBG_REG_CPSR)
		ptdbg_json_uint_field(j, "el", arm64_psr_el(r->cpsr));
	if (r->valid & PTDBG_REG_SCTLR) {
		ptdbg_json_bool_field(j, "mmu", ptdbg_arm64_mmu_on(&cpu));
		ptdbg_json_bits(j, "sctlr_bits", &arm64_bits_sctlr, r->sctlr_el1);
	}
	if (r->valid & PTDBG_REG_TCR) {
		ptdbg_json_bits(j, "tcr_bits", &arm64_bits_tcr, r->tcr_el1);
		ptdbg_json_name(j, "halves");
		ptdbg_json_start_array(j);
		for (unsigned hf = 0; hf < 2; hf++) {
			struct ptdbg_arm64_half h;
			ptdbg_arm64_half_of(&cpu, hf, &h);
			ptdbg_json_start_object(j);
			ptdbg_json_string_field(j, "name", hf ? "ttbr1" : "ttbr0");
			ptdbg_json_bool_field(j, "enabled", h.enabled);
			ptdbg_json_hex_field(j, "start", h.va_base);
			ptdbg_json_uint_field(j, "va_bits", h.va_bits);
			ptdbg_json_uint_field(j, "txsz", h.txsz);
			ptdbg_json_uint_field(j, "granule", 1u << h.gshift);
			ptdbg_json_int_field(j, "start_level", h.start_level);
			ptdbg_json_hex_field(j, "root", h.root);
			ptdbg_json_uint_field(j, "pa_bits", h.pa_bits);
			ptdbg_json_uint_field(j, "asid", h.asid);
			ptdbg_json_end_object(j);
		}
		ptdbg_json_end_array(j);
	}
	if (r->valid & PTDBG_REG_MAIR) {
		ptdbg_json_name(j, "mair");
		ptdbg_json_start_array(j);
		for (unsigned i = 0; i < 8; i++)
			ptdbg_json_string(j, ptdbg_arm64_memtype_name(ARM64_MAIR_GET(r->mair_el1, i)));
		ptdbg_json_end_array(j);
	}
	ptdbg_arm64_exception_text(&cpu, buf, sizeof(buf));
	if (buf[0])
		ptdbg_json_string_field(j, "last_exception", buf);
}

void ptdbg_arm64_print_region_cpu(FILE *out, const struct ptdbg_cpu_arm64 *a)
{
	fprintf(out, "cpu: AArch64, %uK granule, %u-bit TTBR0 and %u-bit TTBR1 halves, %u-bit output, "
		"%u levels, entered at EL%u\n", a->granule_shift >= 10 && a->granule_shift < 42 ? 1u << (a->granule_shift - 10) : 0,
		a->va_bits_user, a->va_bits_kernel, a->pa_bits, a->levels, a->boot_el);
	fprintf(out, "     TTBR0 %#" PRIx64 " TTBR1 %#" PRIx64 " TCR %#" PRIx64 " MAIR %#" PRIx64
		" SCTLR %#" PRIx64 "\n", a->ttbr0, a->ttbr1, a->tcr, a->mair, a->sctlr);
	fprintf(out, "     image virtual - physical %#" PRIx64 ", linear map at %#" PRIx64 "\n",
		a->kimage_offset, a->linear_base);
}

void ptdbg_arm64_json_region_cpu(struct ptdbg_json *j, const struct ptdbg_cpu_arm64 *a)
{
	ptdbg_json_string_field(j, "arch", "aarch64");
	ptdbg_json_hex_field(j, "ttbr0", a->ttbr0);
	ptdbg_json_hex_field(j, "ttbr1", a->ttbr1);
	ptdbg_json_hex_field(j, "tcr", a->tcr);
	ptdbg_json_hex_field(j, "mair", a->mair);
	ptdbg_json_hex_field(j, "sctlr", a->sctlr);
	ptdbg_json_hex_field(j, "mmfr0", a->mmfr0);
	ptdbg_json_uint_field(j, "granule_shift", a->granule_shift);
	ptdbg_json_uint_field(j, "va_bits_user", a->va_bits_user);
	ptdbg_json_uint_field(j, "va_bits_kernel", a->va_bits_kernel);
	ptdbg_json_uint_field(j, "pa_bits", a->pa_bits);
	ptdbg_json_uint_field(j, "levels", a->levels);
	ptdbg_json_uint_field(j, "boot_el", a->boot_el);
	ptdbg_json_hex_field(j, "kimage_offset", a->kimage_offset);
	ptdbg_json_hex_field(j, "linear_base", a->linear_base);
}
