/* The kernel command line: scenario=NAME bug=NAME[,NAME] paging=4|5 ptdbg=on|off iommu=on|off */
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
};

extern struct kernel_options kopts;

/* Parse the command line into kopts (defaults: scenario=default, paging=4,
 * ptdbg=on, iommu=on). Bad values of paging=, ptdbg= or iommu= panic. Unknown keys are ignored. */
void cmdline_parse(const char *cmdline);
/* Whether bug `name` was switched on. */
int bug_enabled(const char *name);
/* The bug list as one string ("none" when empty), for messages. */
const char *bugs_string(void);

#endif
