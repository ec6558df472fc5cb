/* SPDX-License-Identifier: MIT */
/* Unit tests of the fault-log analysis: runs, error codes, decoding, fault loops. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "x86/x86_fault.h"
#include "x86_synth.h"

#define U  X86_PTE_US
#define W  X86_PTE_RW
#define NX X86_PTE_NX
#define TF SYNTH_TABLE_FLAGS

#define CODE_VA 0x400000ull
#define DATA_VA 0x10000000ull
#define BIT7    (1ull << 7)
#define NFAULTS 32

/* A process whose write to DATA_VA loops: the write-only PTE of shared/BUGS.md 2. */
struct fixture {
	struct synth s;
	uint64_t code_pa, data_pa, data_pt, wronly_pte;
	struct ptdbg_region_view v;
	struct ptdbg_aspace space;
	struct ptdbg_marker marker;
	struct ptdbg_fault faults[NFAULTS];
	struct ptdbg_findings fl;
};

static void fixture_init(struct fixture *f, size_t loop_len)
{
	static const uint8_t code[] = {
		0xc7, 0x00, 0x2a, 0x00, 0x00, 0x00, /* mov dword ptr [rax], 0x2a */
		0xeb, 0xf8,                         /* jmp back */
	};
	memset(f, 0, sizeof(*f));
	synth_init(&f->s, 4);
	f->code_pa = synth_page(&f->s);
	memcpy(f->s.mem + f->code_pa, code, sizeof(code));
	synth_map(&f->s, CODE_VA, f->code_pa, 1, U, TF);
	f->data_pa = synth_page(&f->s);
	f->data_pt = synth_map(&f->s, DATA_VA, f->data_pa, 1, U | W | NX, TF);
	/* PROT_WRITE alone: "readable" is P, so P=0, RW=1 and the software bit 7 */
	f->wronly_pte = (f->data_pa | U | W | NX | BIT7) & ~X86_PTE_P;
	synth_set(&f->s, f->data_pt, synth_index(DATA_VA, 1), f->wronly_pte);

	snprintf(f->space.name, sizeof(f->space.name), "wronly");
	f->space.kind = PTDBG_AS_USER;
	f->space.root = f->s.cfg.cpu.cr3;
	f->space.levels = 4;
	f->v.spaces = &f->space;
	f->v.nspaces = 1;
	f->marker = (struct ptdbg_marker){ .start = 0, .end = 0x0000800000000000ull,
					   .tracking = PTDBG_TRACK_TRACKED, .as_kind = PTDBG_AS_USER };
	snprintf(f->marker.name, sizeof(f->marker.name), "user");
	f->v.markers = &f->marker;
	f->v.nmarkers = 1;
	/* A demand-paging fault, then the loop. */
	f->faults[0] = (struct ptdbg_fault){ .seq = 0, .cr2 = CODE_VA, .rip = CODE_VA, .error_code = 0x14,
					     .cr3 = f->s.cfg.cpu.cr3, .pte = f->code_pa | U | 1,
					     .outcome = PTDBG_FAULT_MAPPED, .as_index = 0 };
	for (size_t i = 1; i <= loop_len && i < NFAULTS; i++)
		f->faults[i] = (struct ptdbg_fault){ .seq = i, .cr2 = DATA_VA + 0x10, .rip = CODE_VA,
						     .error_code = X86_PF_W | X86_PF_U, .cr3 = f->s.cfg.cpu.cr3,
						     .pte = f->wronly_pte, .outcome = PTDBG_FAULT_HANDLED,
						     .as_index = 0 };
	f->v.faults = f->faults;
	f->v.nfaults = loop_len + 1 < NFAULTS ? loop_len + 1 : NFAULTS;
}

static void fixture_fini(struct fixture *f)
{
	ptdbg_findings_free(&f->fl);
	synth_fini(&f->s);
}

static int check(struct fixture *f, unsigned min)
{
	struct ptdbg_faultlog_check_opts o = { .out = &f->fl, .mem = f->s.m,
					       .analyze = ptdbg_x86_fault_analyze, .analyze_cpu = &f->s.cfg.cpu,
					       .region = &f->v, .min_repeats = min };
	return ptdbg_faultlog_check(&o);
}

static void test_runs(void **state)
{
	struct fixture f;
	fixture_init(&f, 20);
	assert_int_equal(ptdbg_fault_run_len(f.faults, f.v.nfaults, 0), 1);
	assert_int_equal(ptdbg_fault_run_len(f.faults, f.v.nfaults, 1), 20);
	assert_int_equal(ptdbg_fault_run_len(f.faults, f.v.nfaults, 15), 6);
	assert_int_equal(ptdbg_fault_run_len(f.faults, f.v.nfaults, f.v.nfaults), 0);
	/* a changed entry, CR2 or error code ends the run; seq and outcome do not */
	f.faults[10].pte |= X86_PTE_P;
	assert_int_equal(ptdbg_fault_run_len(f.faults, f.v.nfaults, 1), 9);
	f.faults[10].pte = f.wronly_pte;
	f.faults[5].outcome = PTDBG_FAULT_MAPPED;
	assert_int_equal(ptdbg_fault_run_len(f.faults, f.v.nfaults, 1), 20);
	f.faults[5].error_code |= X86_PF_P;
	assert_int_equal(ptdbg_fault_run_len(f.faults, f.v.nfaults, 1), 4);
	/* CR3 flag bits (PCID) do not matter */
	f.faults[5] = f.faults[4];
	f.faults[6].cr3 |= 0x8;
	assert_int_equal(ptdbg_fault_run_len(f.faults, f.v.nfaults, 1), 20);
	fixture_fini(&f);
}

static void test_error_words(void **state)
{
	char b[160];
	ptdbg_x86_fault_error_words(0x6, b, sizeof(b));
	assert_string_equal(b, "page not present, write, user mode");
	ptdbg_x86_fault_error_words(0x0, b, sizeof(b));
	assert_string_equal(b, "page not present, read, supervisor mode");
	ptdbg_x86_fault_error_words(0x15, b, sizeof(b));
	assert_string_equal(b, "protection violation, instruction fetch, user mode");
	ptdbg_x86_fault_error_words(0x9, b, sizeof(b));
	assert_string_equal(b, "protection violation, read, supervisor mode, reserved bit set");
	ptdbg_x86_fault_error_words(0x27, b, sizeof(b));
	assert_string_equal(b, "protection violation, write, user mode, protection key");
	assert_int_equal(ptdbg_x86_fault_access(0x6), PTDBG_ACC_WRITE | PTDBG_ACC_USER);
	assert_int_equal(ptdbg_x86_fault_access(0x10), PTDBG_ACC_FETCH);
	assert_int_equal(ptdbg_x86_fault_access(0x0), 0);
}

/* The instruction is read through the fault's own CR3 and decoded with its access. */
static void test_decode(void **state)
{
	struct fixture f;
	fixture_init(&f, 20);
	struct ptdbg_fault_insn in;
	assert_int_equal(ptdbg_x86_fault_decode(f.s.m, &f.s.cfg.cpu, CODE_VA, &in), 0);
	assert_true(in.ok);
	assert_string_equal(in.mnemonic, "mov");
	assert_string_equal(in.operands, "dword ptr [rax], 0x2a");
	assert_int_equal(in.len, 6);
	assert_int_equal(in.mem, PTDBG_INSN_WRITES);
	assert_string_equal(ptdbg_insn_access_text(in.mem), "writes memory");
	assert_int_equal(ptdbg_x86_fault_decode(f.s.m, &f.s.cfg.cpu, CODE_VA + 6, &in), 0);
	assert_true(in.ok);
	assert_string_equal(in.mnemonic, "jmp");
	assert_int_equal(in.mem, 0);
	/* push writes the stack; a load reads */
	memcpy(f.s.mem + f.code_pa + 0x100, "\x55\x8b\x07", 3); /* push rbp; mov eax, [rdi] */
	ptdbg_mem_invalidate(f.s.m);
	assert_int_equal(ptdbg_x86_fault_decode(f.s.m, &f.s.cfg.cpu, CODE_VA + 0x100, &in), 0);
	assert_int_equal(in.mem, PTDBG_INSN_WRITES);
	assert_int_equal(ptdbg_x86_fault_decode(f.s.m, &f.s.cfg.cpu, CODE_VA + 0x101, &in), 0);
	assert_int_equal(in.mem, PTDBG_INSN_READS);
	/* not mapped in this address space: says why */
	assert_int_equal(ptdbg_x86_fault_decode(f.s.m, &f.s.cfg.cpu, 0x7000000, &in), 0);
	assert_false(in.ok);
	assert_non_null(strstr(in.why, "does not translate"));
	/* an instruction across a page boundary into nothing: what was read, not decoded */
	memcpy(f.s.mem + f.code_pa + 0xffe, "\xc7\x00", 2);
	ptdbg_mem_invalidate(f.s.m);
	assert_int_equal(ptdbg_x86_fault_decode(f.s.m, &f.s.cfg.cpu, CODE_VA + 0xffe, &in), 0);
	assert_false(in.ok);
	assert_int_equal(in.len, 2);
	fixture_fini(&f);
}

/* The entry now, and whether the access would fault again. */
static void test_now(void **state)
{
	struct fixture f;
	fixture_init(&f, 20);
	struct ptdbg_fault_now now;
	assert_int_equal(ptdbg_x86_fault_now(f.s.m, &f.s.cfg.cpu, &f.faults[1], &now), 0);
	assert_true(now.have_entry);
	assert_int_equal(now.entry, f.wronly_pte);
	assert_int_equal(now.level, 1);
	assert_int_equal(now.table, f.data_pt);
	assert_true(now.faults_again);
	assert_int_equal(now.tr.stop, PTDBG_STOP_NOT_PRESENT);
	char bits[160];
	ptdbg_x86_fault_entry_bits(now.entry, 1, true, bits, sizeof(bits));
	assert_non_null(strstr(bits, "np"));
	assert_non_null(strstr(bits, "RW"));
	assert_non_null(strstr(bits, "bit7"));
	assert_null(strstr(bits, "PAT"));
	/* the fix: PROT_WRITE implies PROT_READ, the entry is present */
	synth_set(&f.s, f.data_pt, synth_index(DATA_VA, 1), f.wronly_pte | X86_PTE_P);
	ptdbg_mem_invalidate(f.s.m);
	assert_int_equal(ptdbg_x86_fault_now(f.s.m, &f.s.cfg.cpu, &f.faults[1], &now), 0);
	assert_false(now.faults_again);
	/* read-only now: a write faults with a protection fault */
	synth_set(&f.s, f.data_pt, synth_index(DATA_VA, 1), (f.wronly_pte | X86_PTE_P) & ~W);
	ptdbg_mem_invalidate(f.s.m);
	assert_int_equal(ptdbg_x86_fault_now(f.s.m, &f.s.cfg.cpu, &f.faults[1], &now), 0);
	assert_true(now.faults_again);
	assert_int_equal(now.tr.stop, PTDBG_STOP_PROTECTION);
	fixture_fini(&f);
}

/* The write-only loop: one finding with the instruction, the bits and the why. */
static void test_loop_finding(void **state)
{
	struct fixture f;
	fixture_init(&f, 20);
	assert_int_equal(check(&f, 0), 0);
	assert_int_equal(f.fl.n, 1);
	const struct ptdbg_finding *x = &f.fl.v[0];
	assert_string_equal(x->kind, "fault-loop");
	assert_int_equal(x->severity, PTDBG_SEV_ERROR);
	assert_int_equal(x->addr, DATA_VA + 0x10);
	assert_int_equal(x->frame, f.data_pa);
	assert_int_equal(x->node, f.data_pt);
	assert_string_equal(x->space, "wronly");
	assert_string_equal(x->marker, "user");
	assert_non_null(strstr(x->msg, "20 faults in a row"));
	assert_non_null(strstr(x->msg, "`mov dword ptr [rax], 0x2a` writes memory"));
	assert_non_null(strstr(x->msg, "P=0"));
	assert_non_null(strstr(x->msg, "RW=1 and bit 7"));
	assert_non_null(strstr(x->msg, "already handled"));
	fixture_fini(&f);
}

/* Short runs are not loops; the threshold is an option. */
static void test_loop_threshold(void **state)
{
	struct fixture f;
	fixture_init(&f, 5);
	assert_int_equal(check(&f, 0), 0);
	assert_int_equal(f.fl.n, 0);
	assert_int_equal(check(&f, 5), 0);
	assert_int_equal(f.fl.n, 1);
	fixture_fini(&f);
	/* an empty log */
	fixture_init(&f, 0);
	f.v.nfaults = 0;
	assert_int_equal(check(&f, 0), 0);
	assert_int_equal(f.fl.n, 0);
	fixture_fini(&f);
}

/* A loop whose code page is gone and whose space is unknown still gets reported. */
static void test_loop_unknown(void **state)
{
	struct fixture f;
	fixture_init(&f, 20);
	for (size_t i = 1; i <= 20; i++) {
		f.faults[i].rip = 0x7000000;
		f.faults[i].as_index = PTDBG_OWNER_NONE;
	}
	f.v.nspaces = 0;
	assert_int_equal(check(&f, 0), 0);
	assert_int_equal(f.fl.n, 1);
	assert_non_null(strstr(f.fl.v[0].msg, "instruction not decoded"));
	assert_non_null(strstr(f.fl.v[0].space, "cr3="));
	fixture_fini(&f);
}

/* The explanation of a protection loop: present but read-only, handler says handled. */
static void test_explain_protection(void **state)
{
	struct fixture f;
	fixture_init(&f, 20);
	struct ptdbg_fault g = f.faults[1];
	g.error_code |= X86_PF_P;
	g.pte = (f.wronly_pte | X86_PTE_P) & ~W;
	struct ptdbg_fault_now now = { 0 };
	char why[400];
	ptdbg_x86_fault_explain(&g, NULL, &now, why, sizeof(why));
	assert_non_null(strstr(why, "protection fault"));
	assert_non_null(strstr(why, "not writable"));
	assert_non_null(strstr(why, "already-handled"));
	g.error_code = X86_PF_P | X86_PF_RSVD;
	ptdbg_x86_fault_explain(&g, NULL, &now, why, sizeof(why));
	assert_non_null(strstr(why, "reserved"));
	fixture_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runs),
		cmocka_unit_test(test_error_words),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_now),
		cmocka_unit_test(test_loop_finding),
		cmocka_unit_test(test_loop_threshold),
		cmocka_unit_test(test_loop_unknown),
		cmocka_unit_test(test_explain_protection),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
