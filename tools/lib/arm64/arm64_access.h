/* SPDX-License-Identifier: MIT */
/*
 * The prediction of one recorded AArch64 access case (include/ptdbg/abi.h, struct
 * ptdbg_access_case, as the access scenario records it on AArch64: state[0]
 * SCTLR_EL1, state[1] TCR_EL1, state[2] the PSTATE of the access, state[3]
 * ID_AA64MMFR0_EL1; fault_vector the exception class, fault_code ESR_EL1,
 * fault_addr FAR_EL1) through the decoder the tools use (ptdbg_arm64_translate(),
 * the code behind `ptdump walk VA --user --write --exec`), for comparison with what
 * the CPU did.
 */
#ifndef PTDBG_ARM64_ACCESS_H
#define PTDBG_ARM64_ACCESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "arm64/arm64_walk.h"
#include "ptdbg/abi.h"

/* What ptdbg predicts for a recorded case. */
struct ptdbg_arm64_prediction {
	bool     allowed;
	uint64_t esr;     /* the ESR_EL1 of the abort when not allowed: EC (from the
			     same EL for LDTR/STTR), IL, WnR, FSC */
	struct ptdbg_translation tr;
};

/* Predict case c: its recorded path served as a sparse memory image (the root at an
 * address no entry of the path points to) and translated by ptdbg_arm64_translate()
 * with the recorded SCTLR, TCR and PSTATE, an EL0 access for EL0 and for LDTR/STTR.
 * Returns 0, or PTDBG_EINVAL for a case that does not describe a TTBR0 path whose
 * levels the TCR gives, PTDBG_ENOMEM. */
int ptdbg_arm64_access_predict(const struct ptdbg_access_case *c,
			       struct ptdbg_arm64_prediction *out);

/* Whether the CPU's outcome in c is p's: both allowed, or both an abort with the
 * same ESR_EL1 (class, WnR, fault status code and level) and FAR_EL1 = the address. */
bool ptdbg_arm64_access_agrees(const struct ptdbg_access_case *c,
			       const struct ptdbg_arm64_prediction *p);

/* Print c in full (entries by lookup level, SCTLR/TCR/PSTATE, the access, the CPU's
 * outcome) and p, one block. */
void ptdbg_arm64_access_print(FILE *out, const struct ptdbg_access_case *c,
			      const struct ptdbg_arm64_prediction *p);

#endif /* PTDBG_ARM64_ACCESS_H */
