/* SPDX-License-Identifier: MIT */
/* iommudump: internal interfaces between the command's files. */
#ifndef IOMMUDUMP_H
#define IOMMUDUMP_H

#include <stdbool.h>
#include <stdint.h>

#include "cli/walk_error.h"
#include "vtd/acpi_dmar.h"
#include "cli/cmdline.h"
#include "out/json.h"
#include "cli/session.h"
#include "smmu/smmu_tables.h"
#include "vtd/vtd_regs.h"
#include "vtd/vtd_tables.h"
#include "vtd/vtd_print.h"
#include "vtd/vtd_walk.h"

/* The program (cmdline.h): name, version, command table, options, help (commands.c). */
extern const struct ptdbg_cmd_prog iommudump_prog;
/* The subcommands (cmdline.h); the first is the default. */
extern const struct ptdbg_cmd iod_cmds[];

/* Options of iommudump itself, valid anywhere on the line; the session holds them
 * (s->tool_opts) while a command line runs. */
struct iod_opts {
	const char *drhd;          /* --drhd ADDR: the unit's register base */
	const char *fault_codes;   /* --fault-codes auto|spec|legacy */
	const char *smmu;          /* --smmu ADDR: an Arm SMMUv3's register base */
};

/* The IOMMU a command works on (smmu.c): --smmu, else --drhd, else what the debug
 * region says the kernel drives, else on AArch64 an arm,smmu-v3 node of the device
 * tree at the base of RAM, the first SMMUv3 node of the ACPI IORT in guest memory
 * (acpi/iort.h), or QEMU's arm-smmuv3 region (`info mtree -f`), else VT-d (found
 * by iod_unit_open). */
enum iod_kind { IOD_VTD = 1, IOD_SMMU };
struct iod_found {
	enum iod_kind kind;
	uint64_t base;             /* IOD_SMMU: the register base */
	const char *source;        /* IOD_SMMU: where it was found */
};
/* Attach and find the IOMMU. Returns 0, or PTDBG_EXIT_ERROR (printed) when the
 * target is AArch64 and no SMMU is found. */
int iod_detect(struct ptdbg_session *s, struct iod_found *f);
/* Whether the command should run on an SMMUv3; *rc is nonzero (an exit status, the
 * error printed) when detection failed. */
bool iod_want_smmu(struct ptdbg_session *s, int *rc);
/* Parse a stream id: a number, bb:dd.f (the requester id, which QEMU's virt
 * machine uses as stream id), or a name of the debug region's domains. Returns 0 or
 * -1 (message printed). */
int iod_parse_sid(struct ptdbg_session *s, const char *arg, uint32_t *sid);
/* The region's panic record, if the kernel panicked: a "panic" member of the JSON
 * object j is writing (j set), else a line on the session's output. */
struct ptdbg_json;
void iod_print_panic(struct ptdbg_session *s, struct ptdbg_json *j);
/* The lines of faults that name what each fault record came from: "record 3: WHAT",
 * a run of consecutive records with the same WHAT on one line ("records 0-15:
 * WHAT"). Add records in order (iod_record_run), then end the list. */
struct iod_record_runs {
	FILE *out;
	unsigned first, last;
	bool open;
	char what[160];
};
void iod_record_run(struct iod_record_runs *r, unsigned index, const char *what);
void iod_record_runs_end(struct iod_record_runs *r);
struct ptdbg_dma_buf;
/* The JSON fields of buffer b after its device and id: iova, pa, size, dir, status,
 * and when valid (the IOMMU's tables were read) whether it translates, and to pa. */
void iod_json_buf_fields(struct ptdbg_json *j, const struct ptdbg_dma_buf *b, bool valid, bool translated,
			 uint64_t pa);
/* One text line of bufs: the buffer's name, IOVA, physical address, length,
 * direction, status and what it translates to now. */
void iod_print_buf_line(struct ptdbg_session *s, const char *name, const struct ptdbg_dma_buf *b,
			const char *now);
/* Say that device name has no tables to walk: state and "PREFIXNAME has no tables"
 * (text), or in JSON the device, table_key false and whether translation is enabled. */
void iod_print_no_tables(struct ptdbg_session *s, const char *prefix, const char *name, const char *state,
			 const char *table_key, bool enabled);

/* The commands on an SMMUv3 (smmu.c), called with their options parsed. */
int smmu_cmd_regs(struct ptdbg_session *s, bool iort);
/* The guest's ACPI IORT, read anew at each call (UEFI search on AArch64, BIOS areas
 * first elsewhere): NULL if there is none, *rc a link error if reading failed. */
struct acpi_iort_info;
const struct acpi_iort_info *iod_iort(struct ptdbg_session *s, int *rc);
int smmu_cmd_faults(struct ptdbg_session *s, bool all);
int smmu_cmd_ctx(struct ptdbg_session *s, bool one, uint32_t sid, uint32_t ssid);
int smmu_cmd_bufs(struct ptdbg_session *s);
int smmu_cmd_dump(struct ptdbg_session *s, uint32_t sid, uint32_t ssid, bool range, uint64_t lo, uint64_t hi);
int smmu_cmd_walk(struct ptdbg_session *s, uint32_t sid, uint32_t ssid, uint64_t iova, bool write);
int smmu_cmd_check(struct ptdbg_session *s, const char *kinds);
/* Walk every stream's stage-1 tables into *snap (format PTDBG_SNAP_SMMU). Returns 0
 * or an exit status. */
struct ptdbg_snapshot;
int smmu_snap_take(struct ptdbg_session *s, struct ptdbg_snapshot *snap);

/* Where the unit's register base came from. */
enum iod_drhd_source { IOD_DRHD_OPTION = 1, IOD_DRHD_ACPI, IOD_DRHD_REGION };

/* The remapping unit a command works on, read once per command. */
struct iod_unit {
	uint64_t base;
	enum iod_drhd_source source;
	bool have_dmar;
	struct acpi_dmar_info dmar;
	struct vtd_regs regs;
	struct vtd_unit_info info;
	struct vtd_hw hw;
	uint64_t root_table;       /* RTADDR with the mode bits cleared */
	struct iod_opts opts;      /* the options it was found and read with */
};

/* Find and read the unit (--drhd, else the ACPI DMAR table, else the debug region's
 * drhd_base): every register with all_regs, else those that locate and describe
 * the tables (vtd_regs_read_unit). Without all_regs the DMAR is the one the region
 * names when it came whole with the region and checks out (acpi_dmar_from_hint);
 * otherwise it is looked up through the RSDP. With a device bdf (else IOD_NO_BDF),
 * the pages its lookup reads first come in the registers' batch (the root entry's
 * page of the root table the kernel programmed, and the context entry and
 * second-level root the debug region names: a hint, which the lookup finds cached
 * when the unit's tables agree). Returns 0, or PTDBG_EXIT_ERROR with a message
 * printed. *out is malloc'd; free it with free(). */
#define IOD_NO_BDF (-1)
int iod_unit_open(struct ptdbg_session *s, bool all_regs, int bdf, struct iod_unit **out);
const char *iod_drhd_source_name(enum iod_drhd_source src);

/* Whether the unit has tables to look at (GSTS.RTPS); if not, and why_out is set,
 * a one-line explanation is printed there (text) for the command cmd. */
bool iod_unit_has_tables(const struct iod_unit *u);
/* One line about the unit's state: "translation enabled, root table 0x.. (legacy)". */
void iod_unit_state(const struct iod_unit *u, char *buf, size_t len);

/* Parse a requester id: "bb:dd.f", "dd.f" (bus 0), a number (bus << 8 | devfn), or
 * the name of a device the debug region lists. Returns 0 or -1 (message printed). */
int iod_parse_bdf(struct ptdbg_session *s, const char *arg, uint16_t *bdf);

/* The option-table entry (options.h) of --pasid N, parsing into a uint32_t. */
const char *iod_opt_pasid(void *dst, const char *value);
#define IOD_PASID_OPT(pasid) { .name = "pasid", .value = true, .set = iod_opt_pasid, .dst = (pasid) }

/* The kernel's domain for bdf (debug region), or NULL. */
const struct ptdbg_domain *iod_domain(const struct ptdbg_session *s, uint16_t bdf);
/* "00:01.0 edu" or "00:01.0" into buf. */
const char *iod_dev_name(const struct ptdbg_session *s, uint16_t bdf, char *buf, size_t len);

/* Call fn for every device whose context entry is present (and once per bus whose
 * root entry stops every lookup for another reason than "not present"), in BDF
 * order. Stops at and returns fn's first nonzero value, or a link error. */
int iod_for_each_device(struct ptdbg_session *s, const struct iod_unit *u,
			int (*fn)(void *ctx, const struct vtd_dev_lookup *l), void *ctx);

/* Print an error about a failed walk or read (link error); returns PTDBG_EXIT_ERROR. */
static inline int iod_walk_error(struct ptdbg_session *s, int rc)
{
	return ptdbg_walk_error(s, rc, "reading the tables failed");
}
/* Emit a domain of the debug region as a JSON object / a text line. */
void iod_domain_json(struct ptdbg_json *j, const struct ptdbg_domain *d);
void iod_domain_print(FILE *out, const struct ptdbg_domain *d, const char *indent);

int cmd_regs(struct ptdbg_session *s, int argc, char **argv);
int cmd_faults(struct ptdbg_session *s, int argc, char **argv);
int cmd_ctx(struct ptdbg_session *s, int argc, char **argv);
int cmd_bufs(struct ptdbg_session *s, int argc, char **argv);
int cmd_dump(struct ptdbg_session *s, int argc, char **argv);
int cmd_walk(struct ptdbg_session *s, int argc, char **argv);
int cmd_check(struct ptdbg_session *s, int argc, char **argv);
int cmd_save(struct ptdbg_session *s, int argc, char **argv);
int cmd_diff(struct ptdbg_session *s, int argc, char **argv);

#endif /* IOMMUDUMP_H */
