/* SPDX-License-Identifier: MIT */
/*
 * VT-d fault recording: the primary fault records of a remapping unit (VT-d
 * 10.4.14, at CAP.FRO*16, 16 bytes each, CAP.NFR+1 of them) decoded, and the table
 * of fault reasons (VT-d 7.1.3 / appendix: legacy 0x1-0xD, interrupt remapping
 * 0x20-0x27, scalable mode 0x30-0x90).
 */
#ifndef PTDBG_VTD_FAULT_H
#define PTDBG_VTD_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct vtd_regs;
struct ptdbg_json;

/* Legacy-mode DMA remapping fault reasons (the ones a translate can end with). */
enum vtd_fault_reason {
	VTD_FR_NONE              = 0x0, /* no fault (also: reserved/software) */
	VTD_FR_ROOT_P            = 0x1, /* root entry not present */
	VTD_FR_CTX_P             = 0x2, /* context entry not present */
	VTD_FR_CTX_INVALID       = 0x3, /* context entry programmed wrongly (AW, TT) */
	VTD_FR_ADDR_BEYOND_AW    = 0x4, /* input address above the address width */
	VTD_FR_WRITE             = 0x5, /* write to a page without W */
	VTD_FR_READ              = 0x6, /* read from a page without R */
	VTD_FR_PT_ACCESS         = 0x7, /* a paging entry could not be read */
	VTD_FR_ROOT_ACCESS       = 0x8, /* the root table could not be read */
	VTD_FR_CTX_ACCESS        = 0x9, /* the context table could not be read */
	VTD_FR_ROOT_RSVD         = 0xa, /* reserved bits set in a present root entry */
	VTD_FR_CTX_RSVD          = 0xb, /* reserved bits set in a present context entry */
	VTD_FR_PT_RSVD           = 0xc, /* reserved bits set in a present paging entry */
	VTD_FR_CTX_TT_BLOCKED    = 0xd, /* TT of the context blocks the request type */
	/* scalable mode */
	VTD_FR_SM_ROOT_ACCESS    = 0x38,
	VTD_FR_SM_ROOT_P         = 0x39,
	VTD_FR_SM_ROOT_RSVD      = 0x3a,
	VTD_FR_SM_CTX_ACCESS     = 0x40,
	VTD_FR_SM_CTX_P          = 0x41,
	VTD_FR_SM_CTX_RSVD       = 0x42,
	VTD_FR_SM_CTX_INVALID    = 0x43,
	VTD_FR_SM_PASID_TOO_BIG  = 0x46,
	VTD_FR_SM_PDE_ACCESS     = 0x50,
	VTD_FR_SM_PDE_P          = 0x51,
	VTD_FR_SM_PDE_RSVD       = 0x52,
	VTD_FR_SM_PE_ACCESS      = 0x58,
	VTD_FR_SM_PE_P           = 0x59,
	VTD_FR_SM_PE_RSVD        = 0x5a,
	VTD_FR_SM_PE_INVALID     = 0x5b,
	VTD_FR_SM_SL_ACCESS      = 0x78,
	VTD_FR_SM_SL_PERM        = 0x79,
	VTD_FR_SM_SL_RSVD        = 0x7a,
	VTD_FR_SM_SL_PTR         = 0x7b,
	VTD_FR_SM_ADDR_BEYOND    = 0x83,
	VTD_FR_SM_WRITE          = 0x85,
	VTD_FR_SM_READ           = 0x86,
};

/* Meaning of a fault reason code ("unknown fault reason" for unassigned codes). */
const char *vtd_fault_reason_name(unsigned code);
/* Class of a code: "dma" (legacy), "interrupt", "scalable", or "unknown". */
const char *vtd_fault_reason_class(unsigned code);

/* Kind of request that faulted (T2:T1). */
enum vtd_fault_access {
	VTD_ACC_WRITE = 0, VTD_ACC_READ = 1, VTD_ACC_PAGE_REQ = 2, VTD_ACC_ATOMIC = 3,
};
const char *vtd_fault_access_name(enum vtd_fault_access a);

/* One primary fault record, decoded. */
struct vtd_fault_rec {
	unsigned index;        /* record number, 0..NFR */
	uint64_t raw[2];       /* lo, hi */
	bool     fault;        /* F: a fault is recorded here */
	uint16_t sid;          /* source id: bus << 8 | dev << 3 | fn */
	uint64_t addr;         /* FI: page address (interrupt faults: index in 63:48) */
	enum vtd_fault_access access;
	unsigned at;           /* address type of the request */
	bool     pasid_present;
	uint32_t pasid;
	bool     exe, priv;
	unsigned reason;       /* FR */
};

/* Decode the 128-bit record {lo, hi} found at index. */
void vtd_fault_decode(const uint64_t rec[2], unsigned index, struct vtd_fault_rec *out);

/* Decode the fault records read into r (vtd_regs.h); with all=false only those with
 * F=1. Fills at most max records into out and returns how many it filled. */
size_t vtd_faults_collect(const struct vtd_regs *r, bool all, struct vtd_fault_rec *out,
			  size_t max);

/* Text: FSTS summary, then one line per record with F=1 (every record if all). */
void vtd_faults_print(FILE *out, const struct vtd_regs *r, bool all);
/* JSON: {"fsts": {...}, "records": [{index, fault, sid, bdf, address, access, reason,
 * reason_name, pasid_present, pasid, exe, priv, at}, ...]}. */
void vtd_faults_json(struct ptdbg_json *j, const struct vtd_regs *r, bool all);

/* "bb:dd.f" for a source id into buf (size >= 8). */
const char *vtd_bdf_str(uint16_t sid, char *buf, size_t len);

#endif /* PTDBG_VTD_FAULT_H */
