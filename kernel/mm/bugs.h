/*
 * Switches that put the memory-management defects of shared/BUGS.md back, one per
 * bug. The scenario that reproduces a bug sets its switch from the command line
 * (bug=NAME) before it starts; everything else leaves them off.
 */
#ifndef KERNEL_MM_BUGS_H
#define KERNEL_MM_BUGS_H

struct mm_bug_switches {
	/* bug=wronly-loop (section 2): PROT_WRITE does not imply PROT_READ; pages without
	 * read permission get P=0 with the software "mapped" marker PTE_SW_MAPPED, and
	 * the fault handler takes a marked entry that grants the access as handled. */
	int wronly_loop;
	/* bug=untracked-as-tracked (section 3): the tracking predicate for new
	 * page-table nodes does not know the untracked window and calls it tracked. */
	int untracked_as_tracked;
};

extern struct mm_bug_switches mm_bugs;

#endif
