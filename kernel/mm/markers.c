/* The range-marker table and the tracking predicate. */
#include "debug/region.h"
#include "lib/string.h"
#include "mm/bugs.h"
#include "mm/layout.h"
#include "mm/markers.h"

static struct ptdbg_marker markers[MARKERS_MAX];
static uint32_t nmarkers;

static void add(uint64_t start, uint64_t end, const char *name, uint32_t tracking, uint32_t kind)
{
	struct ptdbg_marker *m = &markers[nmarkers++];
	m->start = start;
	m->end = end;
	strlcpy_k(m->name, name, sizeof(m->name));
	m->tracking = tracking;
	m->as_kind = kind;
}

/* Build the table and export it. */
void markers_init(uint64_t max_ram_end)
{
	nmarkers = 0;
	add(0, USER_END, "user", PTDBG_TRACK_TRACKED, PTDBG_AS_USER);
	add(LINEAR_BASE, LINEAR_BASE + max_ram_end, "linear-map", PTDBG_TRACK_UNTRACKED, PTDBG_AS_KERNEL);
	add(UNTRACKED_WIN_BASE, UNTRACKED_WIN_BASE + UNTRACKED_WIN_SIZE, "untracked-window",
	    PTDBG_TRACK_UNTRACKED, PTDBG_AS_KERNEL);
	add(TRACKED_WIN_BASE, TRACKED_WIN_BASE + TRACKED_WIN_SIZE, "tracked-window",
	    PTDBG_TRACK_TRACKED, PTDBG_AS_KERNEL);
	add((uint64_t)__kernel_start, (uint64_t)__kernel_end, "kernel-image",
	    PTDBG_TRACK_UNTRACKED, PTDBG_AS_KERNEL);
	region_set_markers(markers, nmarkers, MARKERS_MAX);
}

/* The status the predicate sees for marker m. bug=untracked-as-tracked: the
 * predicate does not know the untracked window and takes it for tracked kernel
 * memory (Asterinas between 29eb37c07 and 998869d57); the exported table is right. */
static uint32_t predicate_view(const struct ptdbg_marker *m)
{
	if (mm_bugs.untracked_as_tracked && m->start == UNTRACKED_WIN_BASE)
		return PTDBG_TRACK_TRACKED;
	return m->tracking;
}

/* The one predicate: the status every overlapped marker agrees on, else NA. */
enum ptdbg_tracking markers_tracking_for(uint64_t first, uint64_t last)
{
	uint32_t seen = 0;
	for (uint32_t i = 0; i < nmarkers; i++) {
		uint64_t mlast = markers[i].end - 1; /* end 0 means 2^64 */
		if (markers[i].start <= last && first <= mlast)
			seen |= 1u << predicate_view(&markers[i]);
	}
	if (seen == (1u << PTDBG_TRACK_TRACKED))
		return PTDBG_TRACK_TRACKED;
	if (seen == (1u << PTDBG_TRACK_UNTRACKED))
		return PTDBG_TRACK_UNTRACKED;
	return PTDBG_TRACK_NA;
}

/* The marker containing va. */
const struct ptdbg_marker *markers_find(uint64_t va)
{
	for (uint32_t i = 0; i < nmarkers; i++)
		if (va >= markers[i].start && va - markers[i].start < markers[i].end - markers[i].start)
			return &markers[i];
	return 0;
}

/* The table and its size. */
const struct ptdbg_marker *markers_table(uint32_t *count)
{
	*count = nmarkers;
	return markers;
}
