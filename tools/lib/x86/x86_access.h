/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 access check beyond the tables: SMEP, SMAP (with RFLAGS.AC) and
 * protection keys (PKRU) applied to a translation, and the prediction of one
 * recorded access case (include/ptdbg/abi.h, struct ptdbg_access_case) through the
 * same walker code the tools use, for comparison with what the CPU did.
 */
#ifndef PTDBG_X86_ACCESS_H
#define PTDBG_X86_ACCESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ptdbg/abi.h"
#include "x86/x86_walk.h"

/* Why an access that the tables allow, or not, ends as it does. */
enum ptdbg_x86_deny {
	PTDBG_X86_DENY_NONE = 0,  /* allowed */
	PTDBG_X86_DENY_TABLES,    /* the translation stopped (not present, reserved,
				     U/S, R/W with CR0.WP, XD) */
	PTDBG_X86_DENY_SMEP,      /* supervisor fetch from a user page, CR4.SMEP */
	PTDBG_X86_DENY_SMAP,      /* supervisor data access to a user page, CR4.SMAP, AC=0 */
	PTDBG_X86_DENY_PKEY,      /* PKRU's access- or write-disable bit for the page's key */
};

/* The state an access depends on besides CR0, CR4 and EFER. */
struct ptdbg_x86_access_state {
	bool     ac;          /* RFLAGS.AC (SMAP lets supervisor data accesses through) */
	bool     pkru_known;  /* protection keys are checked only when PKRU is known */
	uint32_t pkru;
};

/* Apply SMEP, SMAP and protection keys to t (ptdbg_x86_translate() for cpu): an
 * access the tables allow may become a protection fault (t->stop, t->fault
 * updated; PK set in the error code for a key violation, as the CPU sets it also
 * when the tables deny the access). Returns the reason. */
enum ptdbg_x86_deny ptdbg_x86_access_check(const struct ptdbg_x86_cpu *cpu,
					   const struct ptdbg_x86_access_state *st,
					   struct ptdbg_translation *t);

const char *ptdbg_x86_deny_name(enum ptdbg_x86_deny d);

/* What ptdbg predicts for a recorded case. */
struct ptdbg_x86_prediction {
	bool     allowed;
	uint32_t pf_error;    /* the #PF error code when not allowed */
	enum ptdbg_x86_deny why;
	struct ptdbg_translation tr;
};

/* Predict case c: its recorded path served as a sparse memory image, walked by
 * ptdbg_x86_translate() with the recorded CR0/CR4/EFER, then ptdbg_x86_access_check()
 * with RFLAGS.AC and PKRU. maxphyaddr and pdpe1gb are the CPU's (the region's cpu
 * block). Returns 0, or PTDBG_EINVAL for a case that does not describe a path. */
int ptdbg_x86_access_predict(const struct ptdbg_access_case *c, unsigned maxphyaddr,
			     bool pdpe1gb, struct ptdbg_x86_prediction *out);

/* How the CPU's outcome in c compares with p (outcome, vector 14, error code, CR2). */
enum ptdbg_x86_agreement {
	PTDBG_X86_AGREE = 0,
	PTDBG_X86_DISAGREE,
	/* QEMU's TCG (7.2) raises reserved-bit page faults with P=0 in the error code;
	 * the SDM (vol. 3A, 4.7) sets RSVD only together with P, as ptdbg predicts.
	 * Everything else about the fault agrees. */
	PTDBG_X86_AGREE_BUT_QEMU_RSVD_P,
};
enum ptdbg_x86_agreement ptdbg_x86_access_agrees(const struct ptdbg_access_case *c,
						 const struct ptdbg_x86_prediction *p);

/* Print c in full (entries, state, access, the CPU's outcome) and p, one block. */
void ptdbg_x86_access_print(FILE *out, const struct ptdbg_access_case *c,
			    const struct ptdbg_x86_prediction *p);

#endif /* PTDBG_X86_ACCESS_H */
