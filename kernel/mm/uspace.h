/*
 * User address spaces: the page tables (through the page-table module) plus the
 * list of virtual memory areas that say what may be mapped where. Pages are mapped
 * on first touch (uspace_fault) with tracked frames.
 */
#ifndef KERNEL_MM_USPACE_H
#define KERNEL_MM_USPACE_H

#include <stdint.h>

#include "mm/pt.h"

#define USPACE_MAX_VMAS 32
#define VMA_NAME_LEN 16
#define VMA_F_GUARD (1u << 0) /* a guard page: never mapped, faults kill */

struct vma {
	uint64_t start, end;   /* [start, end), page aligned */
	uint32_t prot;         /* PROT_* (uapi/syscall.h), normalized */
	uint32_t flags;        /* VMA_F_* */
	char name[VMA_NAME_LEN];
};

struct uspace {
	struct pt_space pt;
	struct vma vmas[USPACE_MAX_VMAS]; /* sorted by start */
	int nvmas;
};

/* Outcome of uspace_fault(). */
enum uspace_fault_result {
	UFAULT_MAPPED,   /* a page was mapped */
	UFAULT_HANDLED,  /* the page was already as required (stale TLB) */
	UFAULT_BAD,      /* no permission / no area: the process must die */
};

/* The access a fault made (the bits of uspace_fault's `error`; the same bits as the
 * x86-64 page-fault error code, which x86-64 passes as it is). */
#define UFAULT_WRITE (1u << 1)  /* a write (x86 PF_W) */
#define UFAULT_USER  (1u << 2)  /* from user mode (x86 PF_U) */
#define UFAULT_EXEC  (1u << 4)  /* an instruction fetch (x86 PF_I) */

/* Create an empty user space (x86-64: sharing the kernel half); owner = address-space index. */
int uspace_init(struct uspace *us, int owner);
/* Unmap everything and free the page tables. */
void uspace_destroy(struct uspace *us);
/* Add an area; -EEXIST if it overlaps one. */
int uspace_add_vma(struct uspace *us, uint64_t start, uint64_t end, uint32_t prot,
		   uint32_t flags, const char *name);
/* The area containing va, or NULL. */
const struct vma *uspace_find(const struct uspace *us, uint64_t va);
/* mmap: returns the address or a negative errno. */
int64_t uspace_mmap(struct uspace *us, uint64_t addr, uint64_t len, uint32_t prot, uint32_t flags);
/* munmap: areas and pages in the range go away. */
int uspace_munmap(struct uspace *us, uint64_t addr, uint64_t len);
/* mprotect: the range must be covered by areas; present pages change at once. */
int uspace_mprotect(struct uspace *us, uint64_t addr, uint64_t len, uint32_t prot);
/* Serve a fault at va with access bits `error` (UFAULT_*); *why names the reason
 * of UFAULT_BAD. */
enum uspace_fault_result uspace_fault(struct uspace *us, uint64_t va, uint64_t error,
				      const char **why);
/* Page attributes for a protection (PTE_* without the valid bit). */
uint64_t uspace_prot_attrs(uint32_t prot);
/* The zeroed frames of one user page of the space's granule, referenced once each
 * (uspace_page_put drops those references); 0 if none. */
uint64_t uspace_page_alloc(const struct uspace *us);
void uspace_page_put(const struct uspace *us, uint64_t pa);
/* Copy from user memory after making sure the pages are mapped and readable. */
int copy_from_user(struct uspace *us, void *dst, uint64_t src, uint64_t len);
/* Copy to user memory after making sure the pages are mapped and writable. */
int copy_to_user(struct uspace *us, uint64_t dst, const void *src, uint64_t len);

#endif
