/* SPDX-License-Identifier: MIT */
/*
 * SMMUv3 queues (IHI 0070 chapter 3.5, 4, 7): the command queue and the event
 * queue as their BASE, PROD and CONS registers describe them, the commands and
 * event records in guest memory, decoded.
 *
 * A queue has 2^LOG2SIZE entries; PROD and CONS hold an index in the low LOG2SIZE
 * bits and a wrap bit above it: the queue is empty when both are equal, full when
 * only the wrap bits differ. LOG2SIZE is bounded by the SMMU's IDR1 maximum and by
 * 19; an index with bits set above the wrap bit is reported, not followed.
 */
#ifndef PTDBG_SMMU_QUEUE_H
#define PTDBG_SMMU_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "smmu/smmu_bits.h"
#include "target/mem.h"

struct smmu_regs;
struct ptdbg_json;

enum smmu_queue_kind { SMMU_Q_CMD = 0, SMMU_Q_EVENT = 1 };

/* The state of one queue. */
struct smmu_queue {
	enum smmu_queue_kind kind;
	uint64_t base_reg;          /* the BASE register as read */
	uint32_t prod_reg, cons_reg;
	bool     regs_ok;           /* BASE, PROD and CONS were read */
	bool     enabled;           /* CR0ACK.CMDQEN / EVENTQEN */
	uint64_t base;              /* BASE.ADDR */
	unsigned log2size_reg;      /* as programmed */
	unsigned log2size;          /* used: bounded by the IDR1 maximum and 19 */
	unsigned entry_size;        /* 16 (commands) or 32 (events) */
	uint32_t entries;           /* 2^log2size */
	uint32_t prod, cons;        /* indexes (below entries) */
	bool     prod_wrap, cons_wrap;
	bool     index_bad;         /* PROD or CONS has bits above the wrap bit */
	bool     empty, full;
	uint32_t pending;           /* entries between CONS and PROD */
	bool     overflow;          /* event queue: PROD.OVFLG differs from CONS.OVACKFLG */
	unsigned cmdq_err;          /* command queue: CONS.ERR (enum smmu_cmdq_err) */
};

/* The state of one queue from raw values; max_log2 is IDR1.CMDQS / EVENTQS (0: one
 * entry; above 19, or SMMU_Q_MAX_UNKNOWN: 19). */
#define SMMU_Q_MAX_UNKNOWN 0xffu
void smmu_queue_init(struct smmu_queue *q, enum smmu_queue_kind kind, uint64_t base_reg,
		     uint32_t prod, uint32_t cons, unsigned max_log2, bool enabled);
/* The same from a register snapshot. */
void smmu_queue_from_regs(struct smmu_queue *q, enum smmu_queue_kind kind,
			  const struct smmu_regs *r);
/* Physical address of entry idx (taken modulo the size). */
uint64_t smmu_queue_entry_pa(const struct smmu_queue *q, uint32_t idx);

/* One event record, decoded. Which fields an event type carries: has_*. */
struct smmu_event {
	uint64_t raw[SMMU_EVT_DWORDS];
	uint32_t index;             /* position in the queue */
	unsigned type;              /* enum smmu_event_type */
	uint32_t sid;
	bool     ssv;
	uint32_t ssid;
	bool     stall;
	uint16_t stag;
	bool     pnu, ind, rnw, s2, ttrnw;
	unsigned cls;               /* enum smmu_event_class */
	uint64_t input_addr;
	uint64_t ipa;               /* the fault's IPA (stage 2 faults) */
	bool     nsipa;
	uint64_t fetch_addr;        /* F_STE_FETCH, F_CD_FETCH, F_VMS_FETCH, F_WALK_EABT */
	bool     has_input, has_access, has_ipa, has_fetch, has_walk;
};
void smmu_event_decode(const uint64_t raw[SMMU_EVT_DWORDS], uint32_t index, struct smmu_event *e);

/* Read the event records of q into out (at most max): the pending ones (CONS up to
 * PROD), or with all every entry of the queue that is not all zeros. Stops at an
 * unreadable record. Returns the count in *n and 0, a link error, or the read error
 * of the first record that could not be read (*n records were read before it). */
int smmu_events_read(struct ptdbg_mem *mem, const struct smmu_queue *q, bool all,
		     struct smmu_event *out, size_t max, size_t *n);

/* One line for an event: "[3] F_TRANSLATION sid 0x10 ssid 3 input 0x... read unpriv
 * data stage 1 class IN ..." (text, the queue index right-aligned in index_width
 * digits, 0 for none); a JSON object. */
void smmu_event_print(FILE *out, const struct smmu_event *e, int index_width);
void smmu_event_json(struct ptdbg_json *j, const struct smmu_event *e);

/* One command, decoded. */
struct smmu_cmd {
	uint64_t raw[2];
	uint32_t index;
	unsigned opcode;
	bool     ssv, leaf;
	uint32_t sid, ssid;
	uint16_t asid, vmid;
	uint64_t addr;              /* TLBI_*_VA, TLBI_S2_IPA: the address; CMD_SYNC: MSI address */
	unsigned range;             /* CFGI_STE_RANGE: 2^(range+1) stream ids */
	unsigned cs;                /* CMD_SYNC completion signal */
	uint32_t msidata;
};
void smmu_cmd_decode(const uint64_t raw[2], uint32_t index, struct smmu_cmd *c);
/* "CFGI_STE sid 0x10 leaf" (text); a JSON object. */
void smmu_cmd_print(FILE *out, const struct smmu_cmd *c);
void smmu_cmd_json(struct ptdbg_json *j, const struct smmu_cmd *c);

/* Read the commands of q not yet consumed (CONS up to PROD; at most max). */
int smmu_cmds_read(struct ptdbg_mem *mem, const struct smmu_queue *q, struct smmu_cmd *out,
		   size_t max, size_t *n);

/* Queue state: one line (text), a JSON object. */
void smmu_queue_print(FILE *out, const struct smmu_queue *q);
void smmu_queue_json(struct ptdbg_json *j, const struct smmu_queue *q);

/*
 * iommudump faults: the GERROR bits active, the event queue's state and its
 * records (the pending ones, or every nonzero one with all), and the command
 * queue's state with the command at CONS when CONS.ERR is set. Text, or a JSON
 * object {"gerror": {...}, "eventq": {...}, "events": [...], "cmdq": {...},
 * "cmdq_error_command": {...}}. At most max events (0: 4096). Returns 0 or a link
 * error; unreadable queues are reported in the output.
 */
int smmu_faults_print(FILE *out, struct ptdbg_mem *mem, const struct smmu_regs *r, bool all,
		      size_t max);
int smmu_faults_json(struct ptdbg_json *j, struct ptdbg_mem *mem, const struct smmu_regs *r,
		     bool all, size_t max);

#endif /* PTDBG_SMMU_QUEUE_H */
