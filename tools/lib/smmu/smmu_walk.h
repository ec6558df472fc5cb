/* SPDX-License-Identifier: MIT */
/*
 * A stream's stage-1 tables through the AArch64 decoder (arm64/arm64_walk.h): the
 * EL1&0 translation state a context descriptor stands for, and the translation of
 * one IOVA as the SMMU performs it, from the stream id to the physical address or
 * to the event the SMMU records where it stops.
 *
 * A CD holds what TCR_EL1, TTBR0/1_EL1 and MAIR_EL1 hold for a CPU; the state built
 * here is that CPU's (SCTLR unknown: translation on). Device requests are data
 * accesses, unprivileged unless STE.PRIVCFG makes them privileged
 * (smmu_request_privileged(): a PCIe request without a PASID prefix is
 * unprivileged): a read needs a valid leaf EL0 may read (AP[1] set), a write one it
 * may write (AP[2] clear) -- as the architecture has it; QEMU 7.2's SMMU model
 * checks AP[2] only.
 * CD.AFFD (access flag faults disabled) is given to the decoder as TCR.HA.
 */
#ifndef PTDBG_SMMU_WALK_H
#define PTDBG_SMMU_WALK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "arm64/arm64_walk.h"
#include "smmu/smmu_tables.h"

struct ptdbg_json;

/* The CPU state equivalent to cfg (TCR composed from the CD's fields). */
void smmu_s1_cpu(const struct smmu_s1_cfg *cfg, struct ptdbg_arm64_cpu *cpu);

/* One IOVA of one stream, translated. */
struct smmu_translation {
	uint64_t iova;
	bool     write;
	bool     privileged;        /* the request as the SMMU sees it (cfg.privileged) */
	struct smmu_stream_lookup lookup;
	bool     have_cfg;          /* the lookup reached a CD: cfg, cpu and tr are set */
	struct smmu_s1_cfg cfg;
	struct ptdbg_arm64_cpu cpu;
	struct ptdbg_translation tr;
	int      half;              /* TTB0 (0), TTB1 (1), -1: neither */
	bool     translated;        /* pa is where the request goes */
	uint64_t pa;
	unsigned event;             /* enum smmu_event_type the SMMU raises, 0 if none */
	bool     recorded;          /* ... and writes to the event queue (CD.R, EVENTQEN) */
	char     why[160];          /* how the request ends when not translated */
};

/* Translate iova of stream sid (substream ssid or SMMU_NO_SSID) for a read or a
 * write, with the privilege smmu_request_privileged() gives the stream: the lookup,
 * then the stage-1 walk. eventq_on: whether the event queue is enabled (events are
 * recorded only then). Returns 0 with *out filled, or a link error. */
int smmu_translate(struct ptdbg_mem *mem, const struct smmu_hw *hw, const struct smmu_strtab *st,
		   uint32_t sid, uint32_t ssid, uint64_t iova, bool write, bool eventq_on,
		   struct smmu_translation *out);

/* The event an AArch64 fault status code stands for (F_TRANSLATION, F_ADDR_SIZE,
 * F_ACCESS, F_PERMISSION, F_WALK_EABT), 0 for none. */
unsigned smmu_event_of_fsc(unsigned fsc);

/* The walk trace: the lookup's outcome, each level, then the PA or the event (text;
 * a JSON object). */
void smmu_translation_print(FILE *out, const struct smmu_translation *t);
void smmu_translation_json(struct ptdbg_json *j, const struct smmu_translation *t);

/* smmu_translate_fn (smmu_check.h) over the AArch64 decoder; ctx is the struct
 * ptdbg_mem *. */
int smmu_s1_translate(void *ctx, const struct smmu_s1_cfg *cfg, uint64_t iova, bool write,
		      uint64_t *pa);

#endif /* PTDBG_SMMU_WALK_H */
