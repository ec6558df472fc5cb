/* Differences between area lists (see vma_diff.h). */
#include "lib/printf.h"
#include "lib/string.h"
#include "mm/layout.h"
#include "mm/pt.h"
#include "mm/vma_diff.h"
#include "uapi/syscall.h"

#define NO_AREA (-1)

/* Copy the area list. */
void vma_snapshot_take(const struct uspace *us, struct vma_snapshot *snap)
{
	snap->nvmas = us->nvmas;
	memcpy(snap->vmas, us->vmas, sizeof(snap->vmas));
}

/* Protection of the area containing va, VMA_F_GUARD areas as PROT_NONE, or NO_AREA. */
static int prot_at(const struct vma *v, int n, uint64_t va)
{
	for (int i = 0; i < n; i++)
		if (va >= v[i].start && va < v[i].end)
			return (int)v[i].prot;
	return NO_AREA;
}

static void prot_name(int prot, char out[4])
{
	out[0] = prot & PROT_READ ? 'r' : '-';
	out[1] = prot & PROT_WRITE ? 'w' : '-';
	out[2] = prot & PROT_EXEC ? 'x' : '-';
	out[3] = 0;
}

static void sort_u64(uint64_t *a, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && a[j - 1] > a[j]; j--) {
			uint64_t t = a[j];
			a[j] = a[j - 1];
			a[j - 1] = t;
		}
}

static uint64_t present_pages(const struct uspace *us, uint64_t start, uint64_t end)
{
	uint64_t n = 0;
	for (uint64_t va = start; va < end; va += PAGE_SIZE)
		n += pt_translate(&us->pt, va, 0) != ~0ull;
	return n;
}

static void print_change(const char *prefix, const struct uspace *us, uint64_t start,
			 uint64_t end, int was, int now)
{
	char a[4], b[4];
	prot_name(was, a);
	prot_name(now, b);
	if (was == NO_AREA)
		kprintf("%s mapped 0x%lx-0x%lx %s (%lu pages, %lu present)\n", prefix, start, end, b,
			(end - start) / PAGE_SIZE, present_pages(us, start, end));
	else if (now == NO_AREA)
		kprintf("%s unmapped 0x%lx-0x%lx (was %s, %lu pages)\n", prefix, start, end, a,
			(end - start) / PAGE_SIZE);
	else
		kprintf("%s protected 0x%lx-0x%lx %s -> %s (%lu pages, %lu present)\n", prefix, start,
			end, a, b, (end - start) / PAGE_SIZE, present_pages(us, start, end));
}

/* Walk the union of both lists' boundaries; merge adjacent ranges with the same change. */
int vma_diff_print(const char *prefix, const struct vma_snapshot *before, const struct uspace *us)
{
	uint64_t cuts[4 * USPACE_MAX_VMAS];
	int n = 0, lines = 0;
	for (int i = 0; i < before->nvmas; i++) {
		cuts[n++] = before->vmas[i].start;
		cuts[n++] = before->vmas[i].end;
	}
	for (int i = 0; i < us->nvmas; i++) {
		cuts[n++] = us->vmas[i].start;
		cuts[n++] = us->vmas[i].end;
	}
	sort_u64(cuts, n);
	uint64_t run_start = 0, run_end = 0;
	int run_was = NO_AREA, run_now = NO_AREA, in_run = 0;
	for (int i = 0; i + 1 < n; i++) {
		uint64_t s = cuts[i], e = cuts[i + 1];
		if (s == e)
			continue;
		int was = prot_at(before->vmas, before->nvmas, s);
		int now = prot_at(us->vmas, us->nvmas, s);
		int changed = was != now;
		if (in_run && (!changed || s != run_end || was != run_was || now != run_now)) {
			print_change(prefix, us, run_start, run_end, run_was, run_now);
			lines++;
			in_run = 0;
		}
		if (!changed)
			continue;
		if (!in_run) {
			in_run = 1;
			run_start = s;
			run_was = was;
			run_now = now;
		}
		run_end = e;
	}
	if (in_run) {
		print_change(prefix, us, run_start, run_end, run_was, run_now);
		lines++;
	}
	return lines;
}
