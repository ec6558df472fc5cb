/* The kernel command line: scenario=NAME bug=NAME[,NAME] paging=4|5 ptdbg=on|off iommu=on|off
 * granule=4k|16k|64k va_bits=36|39|48 strtab=linear|2lvl (the last three: AArch64) */
#ifndef KERNEL_CORE_CMDLINE_H
#define KERNEL_CORE_CMDLINE_H

#define CMDLINE_MAX_BUGS 8

struct kernel_options {
	char scenario[32];
	char bugs[CMDLINE_MAX_BUGS][32];
	int nbugs;
	int paging;    /* 4 or 5 */
	int ptdbg_on;  /* export the debug region */
	int iommu_on;  /* default scenario: program VT-d and DMA through it */
	int granule_shift; /* AArch64: 12, 14 or 16 (granule=4k|16k|64k) */
	int va_bits;   /* AArch64: 36, 39 or 48 bits per TTBR half */
	int strtab_2lvl; /* AArch64: the SMMU's stream table is two-level (strtab=2lvl) */
};

extern struct kernel_options kopts;

/* Parse the command line into kopts (defaults: scenario=default, paging=4,
 * ptdbg=on, iommu=on, granule=4k, va_bits=36, strtab=linear). Bad values of paging=,
 * ptdbg=, iommu=, granule=, va_bits= or strtab= panic. Unknown keys are ignored. */
void cmdline_parse(const char *cmdline);
/* Whether bug `name` was switched on. */
int bug_enabled(const char *name);
/* The bug list as one string ("none" when empty), for messages. */
const char *bugs_string(void);

#endif
