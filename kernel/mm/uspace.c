/* User address spaces: VMAs, mmap/munmap/mprotect, demand paging, user copies. */
#include "arch/proc.h"
#include "lib/errno.h"
#include "debug/region.h"
#include "lib/string.h"
#include "mm/bugs.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "mm/kspace.h"
#include "mm/pt_format.h"
#include "mm/pte.h"
#include "mm/uspace.h"
#include "uapi/syscall.h"

/* User pages are pages of the space's granule (4 KiB on x86-64). */
static inline uint64_t upage(const struct uspace *us) { return pt_page_size(&us->pt); }
static inline uint64_t umask(const struct uspace *us) { return ~(upage(us) - 1); }

/* Neither x86 nor AArch64 has write-only pages: PROT_WRITE implies PROT_READ (in mmap and mprotect
 * alike, as Linux does). bug=wronly-loop keeps write-only areas write-only. */
static uint32_t normalize_prot(uint32_t prot)
{
	prot &= PROT_READ | PROT_WRITE | PROT_EXEC;
	if ((prot & PROT_WRITE) && !mm_bugs.wronly_loop)
		prot |= PROT_READ;
	return prot;
}

/* Whether a leaf entry maps a page: Present, or (bug=wronly-loop) the software
 * "mapped" marker on a non-present entry. */
static int leaf_is_mapped(uint64_t pte)
{
	return (pte & PTE_VALID) || (mm_bugs.wronly_loop && (pte & PTE_SW_MAPPED));
}

/* bug=wronly-loop: Asterinas' encoding, where "readable" is the valid bit and a
 * software bit says "mapped". A mapped page of [va, va+len) without read (or
 * execute) permission becomes invalid with its write permission and the marker
 * kept (x86: P=0, RW=1, bit 7; AArch64: bit 0 clear, AP[2]=0, bit 55): the CPU
 * faults on every access. */
static void bug_encode_unreadable(struct uspace *us, uint64_t va, uint64_t len, uint32_t prot)
{
	if (!mm_bugs.wronly_loop || (prot & (PROT_READ | PROT_EXEC)))
		return;
	for (uint64_t p = va; p < va + len; p += upage(us)) {
		int level;
		uint64_t *e = pt_walk(&us->pt, p, &level);
		if (level != 1 || !leaf_is_mapped(*e))
			continue;
		region_begin();
		*e = (*e & ~PTE_VALID) | PTE_SW_MAPPED;
		region_end();
		ptf_flush(&us->pt, p, upage(us));
	}
}

/* Leaf attributes for a protection. */
uint64_t uspace_prot_attrs(uint32_t prot)
{
	return pte_user_attrs(!!(prot & PROT_WRITE), !!(prot & PROT_EXEC));
}

/* New user space. */
int uspace_init(struct uspace *us, int owner)
{
	memset(us, 0, sizeof(*us));
	return pt_space_init_user(&us->pt, &kernel_space, owner);
}

/* Tear down a user space. */
void uspace_destroy(struct uspace *us)
{
	if (us->pt.root)
		pt_space_destroy(&us->pt);
	us->nvmas = 0;
}

static int overlaps(const struct uspace *us, uint64_t start, uint64_t end)
{
	for (int i = 0; i < us->nvmas; i++)
		if (us->vmas[i].start < end && start < us->vmas[i].end)
			return 1;
	return 0;
}

/* Insert an area keeping the list sorted. */
int uspace_add_vma(struct uspace *us, uint64_t start, uint64_t end, uint32_t prot,
		   uint32_t flags, const char *name)
{
	if (start >= end || (start | end) & ~umask(us) || end > USER_END || start < USER_START)
		return -EINVAL;
	if (overlaps(us, start, end))
		return -EEXIST;
	if (us->nvmas >= USPACE_MAX_VMAS)
		return -ENOMEM;
	int i = us->nvmas++;
	while (i > 0 && us->vmas[i - 1].start > start) {
		us->vmas[i] = us->vmas[i - 1];
		i--;
	}
	struct vma *v = &us->vmas[i];
	v->start = start;
	v->end = end;
	v->prot = normalize_prot(prot);
	v->flags = flags;
	strlcpy_k(v->name, name, sizeof(v->name));
	return 0;
}

/* The area containing va. */
const struct vma *uspace_find(const struct uspace *us, uint64_t va)
{
	for (int i = 0; i < us->nvmas; i++)
		if (va >= us->vmas[i].start && va < us->vmas[i].end)
			return &us->vmas[i];
	return 0;
}

/* Split the area containing `at` so that an area boundary falls on it. */
static int split_vma_at(struct uspace *us, uint64_t at)
{
	for (int i = 0; i < us->nvmas; i++) {
		struct vma *v = &us->vmas[i];
		if (at > v->start && at < v->end) {
			if (us->nvmas >= USPACE_MAX_VMAS)
				return -ENOMEM;
			memmove(&us->vmas[i + 1], &us->vmas[i], (size_t)(us->nvmas - i) * sizeof(*v));
			us->nvmas++;
			us->vmas[i].end = at;
			us->vmas[i + 1].start = at;
			return 0;
		}
	}
	return 0;
}

/* Remove areas inside [start, end) and unmap their pages. */
static int remove_range(struct uspace *us, uint64_t start, uint64_t end)
{
	int err = split_vma_at(us, start);
	if (!err)
		err = split_vma_at(us, end);
	if (err)
		return err;
	int j = 0;
	for (int i = 0; i < us->nvmas; i++)
		if (!(us->vmas[i].start >= start && us->vmas[i].end <= end))
			us->vmas[j++] = us->vmas[i];
	us->nvmas = j;
	return pt_unmap(&us->pt, start, end - start);
}

static int valid_range(const struct uspace *us, uint64_t addr, uint64_t len)
{
	return !(addr & ~umask(us)) && len && addr >= USER_START && addr + len > addr &&
	       addr + len <= USER_END;
}

/* mmap. */
int64_t uspace_mmap(struct uspace *us, uint64_t addr, uint64_t len, uint32_t prot, uint32_t flags)
{
	if (!(flags & MAP_ANONYMOUS) || !len)
		return -EINVAL;
	len = (len + upage(us) - 1) & umask(us);
	if (flags & MAP_FIXED) {
		if (!valid_range(us, addr, len))
			return -EINVAL;
		int err = remove_range(us, addr, addr + len);
		if (err)
			return err;
	} else {
		addr = USER_MMAP_BASE;
		for (int i = 0; i < us->nvmas; i++) {
			const struct vma *v = &us->vmas[i];
			if (v->end <= addr)
				continue;
			if (v->start >= addr + len)
				break;
			addr = v->end + upage(us); /* keep a hole between areas */
		}
		if (!valid_range(us, addr, len))
			return -ENOMEM;
	}
	int err = uspace_add_vma(us, addr, addr + len, prot, 0, "mmap");
	return err ? err : (int64_t)addr;
}

/* munmap. */
int uspace_munmap(struct uspace *us, uint64_t addr, uint64_t len)
{
	len = (len + upage(us) - 1) & umask(us);
	if (!valid_range(us, addr, len))
		return -EINVAL;
	return remove_range(us, addr, addr + len);
}

/* mprotect. */
int uspace_mprotect(struct uspace *us, uint64_t addr, uint64_t len, uint32_t prot)
{
	len = (len + upage(us) - 1) & umask(us);
	if (!valid_range(us, addr, len))
		return -EINVAL;
	uint64_t end = addr + len;
	for (uint64_t a = addr; a < end;) { /* the range must be covered */
		const struct vma *v = uspace_find(us, a);
		if (!v || (v->flags & VMA_F_GUARD))
			return -ENOENT;
		a = v->end;
	}
	int err = split_vma_at(us, addr);
	if (!err)
		err = split_vma_at(us, end);
	if (err)
		return err;
	prot = normalize_prot(prot);
	for (int i = 0; i < us->nvmas; i++)
		if (us->vmas[i].start >= addr && us->vmas[i].end <= end)
			us->vmas[i].prot = prot;
	if (prot == PROT_NONE)
		return pt_unmap(&us->pt, addr, len);
	err = pt_protect(&us->pt, addr, len, uspace_prot_attrs(prot));
	bug_encode_unreadable(us, addr, len, prot);
	return err;
}

/* Allocate the frames of one user page (several when the granule is larger than
 * 4 KiB), zeroed; 0 if none. */
uint64_t uspace_page_alloc(const struct uspace *us)
{
	uint64_t n = upage(us) >> PAGE_SHIFT;
	return n == 1 ? frame_alloc(PTDBG_FRAME_TRACKED, (uint32_t)us->pt.owner)
		      : frame_alloc_contig(n, upage(us), PTDBG_FRAME_TRACKED, (uint32_t)us->pt.owner);
}

/* Drop the allocation reference of each frame of a user page. */
void uspace_page_put(const struct uspace *us, uint64_t pa)
{
	for (uint64_t off = 0; off < upage(us); off += PAGE_SIZE)
		frame_put(pa + off);
}

/* Map a fresh zeroed page at va for the area v. */
static int map_new_page(struct uspace *us, const struct vma *v, uint64_t va)
{
	uint64_t pa = uspace_page_alloc(us);
	if (!pa)
		return -ENOMEM;
	int err = pt_map(&us->pt, va & umask(us), pa, upage(us), uspace_prot_attrs(v->prot));
	uspace_page_put(us, pa); /* the mapping holds the reference now (or the frame is freed) */
	if (!err)
		bug_encode_unreadable(us, va & umask(us), upage(us), v->prot);
	return err;
}

/* Demand paging. */
enum uspace_fault_result uspace_fault(struct uspace *us, uint64_t va, uint64_t error,
				      const char **why)
{
	const struct vma *v = uspace_find(us, va);
	if (!v) {
		*why = "no mapping";
		return UFAULT_BAD;
	}
	if (v->flags & VMA_F_GUARD) {
		*why = "guard page";
		return UFAULT_BAD;
	}
	if ((error & UFAULT_WRITE) && !(v->prot & PROT_WRITE)) {
		*why = "write to a read-only mapping";
		return UFAULT_BAD;
	}
	if ((error & UFAULT_EXEC) && !(v->prot & PROT_EXEC)) {
		*why = "execute from a non-executable mapping";
		return UFAULT_BAD;
	}
	if (v->prot == PROT_NONE) {
		*why = "access to a PROT_NONE mapping";
		return UFAULT_BAD;
	}
	if (!(error & (UFAULT_WRITE | UFAULT_EXEC)) && !(v->prot & (PROT_READ | PROT_EXEC))) {
		*why = "read from a write-only mapping";
		return UFAULT_BAD;
	}
	int level;
	uint64_t *e = pt_walk(&us->pt, va, &level);
	if (leaf_is_mapped(*e)) {
		/* Mapped and the area grants the access: a stale TLB entry. (With
		 * bug=wronly-loop, also a marked invalid entry: the fault repeats forever.) */
		ptf_flush(&us->pt, va & umask(us), upage(us));
		return UFAULT_HANDLED;
	}
	if (map_new_page(us, v, va)) {
		*why = "out of memory";
		return UFAULT_BAD;
	}
	return UFAULT_MAPPED;
}

/* Make [va, va+len) present with the needed access, faulting pages in. */
static int prepare_user(struct uspace *us, uint64_t va, uint64_t len, int write)
{
	if (!len)
		return 0;
	if (va >= USER_END || len > USER_END - va)
		return -EFAULT;
	for (uint64_t p = va & umask(us); p < va + len; p += upage(us)) {
		uint64_t pte;
		if (pt_translate(&us->pt, p, &pte) != ~0ull && (!write || pte_writable(pte)))
			continue;
		const char *why;
		if (uspace_fault(us, p, write ? UFAULT_WRITE | UFAULT_USER : UFAULT_USER, &why) == UFAULT_BAD)
			return -EFAULT;
	}
	return 0;
}


/* Copy from user memory (the space must be the one loaded in CR3 / TTBR0). */
int copy_from_user(struct uspace *us, void *dst, uint64_t src, uint64_t len)
{
	int err = prepare_user(us, src, len, 0);
	if (err)
		return err;
	arch_user_access_begin();
	memcpy(dst, (const void *)src, len);
	arch_user_access_end();
	return 0;
}

/* Copy to user memory (the space must be the one loaded in CR3 / TTBR0). */
int copy_to_user(struct uspace *us, uint64_t dst, const void *src, uint64_t len)
{
	int err = prepare_user(us, dst, len, 1);
	if (err)
		return err;
	arch_user_access_begin();
	memcpy((void *)dst, src, len);
	arch_user_access_end();
	return 0;
}
