/* The page-table module (see pt.h for the model, pt_format.h for the contract). */
#include "debug/panic.h"
#include "debug/region.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "mm/markers.h"
#include "mm/pt.h"
#include "mm/pt_format.h"

static inline uint64_t *table(uint64_t pa) { return phys_to_virt(pa); }

static inline uint64_t node_size(const struct pt_space *s) { return pt_page_size(s); }
static inline uint64_t node_frames(const struct pt_space *s) { return node_size(s) >> PAGE_SHIFT; }

static inline unsigned pt_index(const struct pt_space *s, uint64_t va, int level)
{
	return (unsigned)(va >> pt_level_shift(s, level)) & (pt_entries(s, level) - 1);
}

static inline int is_leaf(uint64_t e, int level)
{
	return ptf_is_leaf(e, level);
}

/* The node holding the entry at e. */
static inline uint64_t node_of_entry(const struct pt_space *s, const uint64_t *e)
{
	return virt_to_phys(e) & ~(node_size(s) - 1);
}

static enum ptdbg_tracking node_tracking(uint64_t node_pa)
{
	struct ptdbg_frame_meta *m = frame_meta_of(node_pa);
	return m ? (enum ptdbg_tracking)m->tracking : PTDBG_TRACK_NA;
}

/* Allocate a node of `level` covering [first, last]; its tracking status comes
 * from the marker predicate. Returns its physical address or 0. */
static uint64_t node_alloc(const struct pt_space *s, int level, uint64_t first, uint64_t last)
{
	uint64_t n = node_frames(s);
	uint64_t pa = n == 1 ? frame_alloc(PTDBG_FRAME_PT, (uint32_t)s->owner)
			     : frame_alloc_contig(n, node_size(s), PTDBG_FRAME_PT, (uint32_t)s->owner);
	if (!pa)
		return 0;
	region_begin();
	uint8_t tracking = (uint8_t)(s->device ? PTDBG_TRACK_UNTRACKED : markers_tracking_for(first, last));
	for (uint64_t i = 0; i < n; i++) {
		struct ptdbg_frame_meta *m = frame_meta_of(pa + i * PAGE_SIZE);
		m->pt_level = (uint8_t)level;
		m->tracking = tracking;
	}
	region_end();
	return pa;
}

/* Release a node's frames (its entries must already be accounted for). */
static void node_free(const struct pt_space *s, uint64_t pa)
{
	for (uint64_t i = 0; i < node_frames(s); i++)
		frame_put(pa + i * PAGE_SIZE);
}

/* Whether a new leaf at va holds references: what the range it maps requires (the
 * caller maps frames it holds in tracked ranges, raw physical ranges elsewhere). */
static enum ptdbg_tracking leaf_tracking(const struct pt_space *s, uint64_t va)
{
	if (s->device)
		return PTDBG_TRACK_UNTRACKED;
	const struct ptdbg_marker *m = markers_find(va);
	return m ? (enum ptdbg_tracking)m->tracking : PTDBG_TRACK_NA;
}

/* Account a new leaf mapping [pa, pa+size) whose range has status `tracking`. */
static void leaf_account_add(uint64_t pa, uint64_t size, enum ptdbg_tracking tracking)
{
	uint64_t end = pa + size;
	if (!frame_meta_of(pa))
		return;
	for (; pa < end && frame_meta_of(pa); pa += PAGE_SIZE) {
		frame_map_inc(pa);
		if (tracking == PTDBG_TRACK_TRACKED)
			frame_get(pa);
	}
}

/* Account a removed leaf: mapcount down, references dropped if tracked. */
static void leaf_account_drop(uint64_t pa, uint64_t size, enum ptdbg_tracking tracking)
{
	uint64_t end = pa + size;
	if (!frame_meta_of(pa))
		return;
	for (; pa < end && frame_meta_of(pa); pa += PAGE_SIZE) {
		frame_map_dec(pa);
		if (tracking == PTDBG_TRACK_TRACKED)
			frame_put(pa);
	}
}

static int range_allowed(const struct pt_space *s, uint64_t va, uint64_t len)
{
	if (s->device)
		return len && va + len > va && va + len <= 1ull << s->va_bits;
	if (len == 0 || va + len < va)
		return va + len == 0 && !s->user && va >= KERNEL_HALF_START;
	if (s->user)
		return va + len <= USER_END;
	return va >= KERNEL_HALF_START;
}

/* Create the kernel space's root node. */
int pt_space_init_kernel(struct pt_space *s, uint32_t levels, uint32_t gshift,
			 uint32_t va_bits, int owner)
{
	s->levels = levels;
	s->gshift = gshift;
	s->va_bits = va_bits;
	s->owner = owner;
	s->user = 0;
	s->device = 0;
	s->root = node_alloc(s, (int)levels, PTF_SHARED_KERNEL_HALF ? 0 : KERNEL_HALF_START, ~0ull);
	return s->root ? 0 : -ENOMEM;
}

/* Create a device space's root. */
int pt_space_init_device(struct pt_space *s, uint32_t levels, uint32_t gshift,
			 uint32_t va_bits, int owner)
{
	s->levels = levels;
	s->gshift = gshift;
	s->va_bits = va_bits;
	s->owner = owner;
	s->user = 1;
	s->device = 1;
	s->root = node_alloc(s, (int)levels, 0, (1ull << va_bits) - 1);
	return s->root ? 0 : -ENOMEM;
}

/* Create a user root (sharing the kernel half where the format shares it). */
int pt_space_init_user(struct pt_space *s, const struct pt_space *kernel, int owner)
{
	s->levels = kernel->levels;
	s->gshift = kernel->gshift;
	s->va_bits = kernel->va_bits;
	s->owner = owner;
	s->user = 1;
	s->device = 0;
	s->root = node_alloc(s, (int)s->levels, 0, PTF_SHARED_KERNEL_HALF ? ~0ull : USER_END - 1);
	if (!s->root)
		return -ENOMEM;
	if (PTF_SHARED_KERNEL_HALF) {
		unsigned half = pt_entries(s, (int)s->levels) / 2;
		memcpy(table(s->root) + half, table(kernel->root) + half, half * sizeof(uint64_t));
	}
	return 0;
}

/* Ensure the level-(top-1) nodes over [start, end) exist in the kernel root. */
int pt_prealloc_top(struct pt_space *s, uint64_t start, uint64_t end)
{
	int top = (int)s->levels;
	uint64_t step = pt_level_size(s, top);
	uint64_t *root = table(s->root);
	for (uint64_t va = start & ~(step - 1); va - 1 < end - 1; va += step) {
		uint64_t *e = &root[pt_index(s, va, top)];
		if (!ptf_valid(*e)) {
			uint64_t base = ptf_canonical(s, va);
			uint64_t child = node_alloc(s, top - 1, base, base + step - 1);
			if (!child)
				return -ENOMEM;
			*e = ptf_table(s, child, base);
		}
		if (va + step == 0)
			break;
	}
	return 0;
}

/* Find or create the node at `level` covering va; NULL on failure (*err set). */
static uint64_t *descend(struct pt_space *s, uint64_t va, int level, int *err)
{
	uint64_t *node = table(s->root);
	for (int l = (int)s->levels; l > level; l--) {
		uint64_t *e = &node[pt_index(s, va, l)];
		if (!ptf_valid(*e)) {
			uint64_t span = pt_level_size(s, l);
			uint64_t base = ptf_canonical(s, va & ~(span - 1));
			uint64_t child = node_alloc(s, l - 1, base, base + span - 1);
			if (!child) {
				*err = -ENOMEM;
				return 0;
			}
			*e = ptf_table(s, child, va);
		} else if (is_leaf(*e, l)) {
			*err = -EEXIST;
			return 0;
		}
		node = table(ptf_table_addr(s, *e));
	}
	return node;
}

/* The level whose entries map `size` bytes, or 0. */
static int level_of_size(const struct pt_space *s, uint64_t size)
{
	for (int l = 1; l <= (int)s->levels; l++)
		if (pt_level_size(s, l) == size)
			return l;
	return 0;
}

/* Map one page. */
int pt_map(struct pt_space *s, uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs)
{
	int level = level_of_size(s, size);
	if (!level || !ptf_leaf_ok(s, level) || (va & (size - 1)) || (pa & (size - 1)) ||
	    !range_allowed(s, va, size))
		return -EINVAL;
	int err = 0;
	region_begin();
	uint64_t *node = descend(s, va, level, &err);
	if (node) {
		uint64_t *e = &node[pt_index(s, va, level)];
		if (ptf_valid(*e)) {
			err = -EEXIST;
		} else {
			*e = ptf_leaf(s, pa, level, attrs);
			leaf_account_add(pa, size, leaf_tracking(s, va));
		}
	}
	region_end();
	ptf_publish(s);
	return err;
}

/* Map a range with the largest pages alignment allows. */
int pt_map_range(struct pt_space *s, uint64_t va, uint64_t pa, uint64_t len,
		 uint64_t attrs, uint64_t max_page)
{
	while (len) {
		uint64_t size = pt_page_size(s);
		for (int l = (int)s->levels; l > 1; l--) {
			uint64_t sz = pt_level_size(s, l);
			if (sz <= max_page && ptf_leaf_ok(s, l) && !((va | pa) & (sz - 1)) && len >= sz) {
				size = sz;
				break;
			}
		}
		int err = pt_map(s, va, pa, size, attrs);
		if (err)
			return err;
		va += size;
		pa += size;
		len -= size;
	}
	return 0;
}

/* Replace the huge leaf *e (at `level`, mapping [base, base+size)) by a node. */
static int split_entry(struct pt_space *s, uint64_t *e, int level, uint64_t base)
{
	uint64_t span = pt_level_size(s, level);
	uint64_t child = node_alloc(s, level - 1, base, base + span - 1);
	if (!child)
		return -ENOMEM;
	uint64_t pa = ptf_leaf_addr(s, *e, level);
	uint64_t sub = pt_level_size(s, level - 1);
	uint64_t *t = table(child);
	for (unsigned i = 0; i < pt_entries(s, level - 1); i++)
		t[i] = ptf_split_child(s, *e, level, pa + i * sub);
	/* A tracked child of a leaf in a non-tracked node (or the reverse) changes who
	 * holds references: move them so the counts stay balanced. */
	enum ptdbg_tracking before = node_tracking(node_of_entry(s, e));
	enum ptdbg_tracking after = node_tracking(child);
	if (before != after && (before == PTDBG_TRACK_TRACKED || after == PTDBG_TRACK_TRACKED)) {
		for (uint64_t p = pa; p < pa + span && frame_meta_of(p); p += PAGE_SIZE) {
			if (after == PTDBG_TRACK_TRACKED)
				frame_get(p);
			else
				frame_put(p);
		}
	}
	*e = ptf_table(s, child, base);
	return 0;
}

/* Split the huge leaf containing va at `level`. */
int pt_split(struct pt_space *s, uint64_t va, int level)
{
	int l;
	uint64_t *e = pt_walk(s, va, &l);
	if (l != level || level < 2 || !ptf_valid(*e) || !is_leaf(*e, level))
		return -ENOENT;
	uint64_t span = pt_level_size(s, level);
	uint64_t base = ptf_canonical(s, va & ~(span - 1));
	region_begin();
	int err = split_entry(s, e, level, base);
	region_end();
	ptf_flush(s, base, span);
	return err;
}

static int node_is_empty(const struct pt_space *s, uint64_t pa, int level)
{
	const uint64_t *t = table(pa);
	for (unsigned i = 0; i < pt_entries(s, level); i++)
		if (t[i])
			return 0;
	return 1;
}

/* Free a whole subtree: leaves drop their accounting (references only if the node
 * holding them is tracked), then each node is freed. */
static void free_subtree(const struct pt_space *s, uint64_t node_pa, int level)
{
	uint64_t *t = table(node_pa);
	enum ptdbg_tracking tracking = node_tracking(node_pa);
	for (unsigned i = 0; i < pt_entries(s, level); i++) {
		uint64_t e = t[i];
		if (!ptf_valid(e))
			continue;
		if (is_leaf(e, level))
			leaf_account_drop(ptf_leaf_addr(s, e, level), pt_level_size(s, level), tracking);
		else
			free_subtree(s, ptf_table_addr(s, e), level - 1);
		t[i] = 0;
	}
	node_free(s, node_pa);
}

/* Shared kernel-half nodes below the root are never freed. */
static int keep_node(const struct pt_space *s, int level, uint64_t base)
{
	return PTF_SHARED_KERNEL_HALF && level == (int)s->levels - 1 && base >= KERNEL_HALF_START;
}

enum walk_op { OP_UNMAP, OP_PROTECT };

/* Apply op to [first, last] inside the node at `level` whose range starts at base. */
static int edit_node(struct pt_space *s, uint64_t node_pa, int level, uint64_t base,
		     uint64_t first, uint64_t last, enum walk_op op, uint64_t attrs)
{
	uint64_t *t = table(node_pa);
	uint64_t span = pt_level_size(s, level);
	enum ptdbg_tracking tracking = node_tracking(node_pa);
	for (unsigned i = pt_index(s, first, level); i < pt_entries(s, level); i++) {
		uint64_t ebase = ptf_canonical(s, base + i * span);
		uint64_t elast = ebase + span - 1;
		if (ebase > last)
			break;
		uint64_t f = first > ebase ? first : ebase;
		uint64_t l = last < elast ? last : elast;
		int whole = f == ebase && l == elast;
		uint64_t e = t[i];
		if (!ptf_valid(e))
			continue;
		if (is_leaf(e, level)) {
			if (whole && op == OP_UNMAP) {
				leaf_account_drop(ptf_leaf_addr(s, e, level), span, tracking);
				t[i] = 0;
				continue;
			}
			if (whole && op == OP_PROTECT) {
				t[i] = ptf_protect(s, e, level, attrs);
				continue;
			}
			int err = split_entry(s, &t[i], level, ebase);
			if (err)
				return err;
			e = t[i];
		}
		uint64_t child = ptf_table_addr(s, e);
		if (whole && op == OP_UNMAP && !keep_node(s, level - 1, ebase)) {
			free_subtree(s, child, level - 1);
			t[i] = 0;
			continue;
		}
		int err = edit_node(s, child, level - 1, ebase, f, l, op, attrs);
		if (err)
			return err;
		if (op == OP_UNMAP && !keep_node(s, level - 1, ebase) && node_is_empty(s, child, level - 1)) {
			node_free(s, child);
			t[i] = 0;
		}
	}
	return 0;
}

static int edit_range(struct pt_space *s, uint64_t va, uint64_t len, enum walk_op op, uint64_t attrs)
{
	uint64_t pmask = pt_page_size(s) - 1;
	if ((va & pmask) || (len & pmask) || !range_allowed(s, va, len))
		return -EINVAL;
	region_begin();
	int err = edit_node(s, s->root, (int)s->levels, 0, va, va + len - 1, op, attrs);
	region_end();
	ptf_flush(s, va, len);
	return err;
}

/* Unmap a range. */
int pt_unmap(struct pt_space *s, uint64_t va, uint64_t len)
{
	return edit_range(s, va, len, OP_UNMAP, 0);
}

/* Change the attributes of present leaves in a range. */
int pt_protect(struct pt_space *s, uint64_t va, uint64_t len, uint64_t attrs)
{
	return edit_range(s, va, len, OP_PROTECT, attrs);
}

/* Unmap the user half and free the root. */
void pt_space_destroy(struct pt_space *s)
{
	KASSERT(s->user);
	pt_unmap(s, 0, USER_END);
	region_begin();
	if (PTF_SHARED_KERNEL_HALF) {
		unsigned half = pt_entries(s, (int)s->levels) / 2;
		memset(table(s->root) + half, 0, half * sizeof(uint64_t));
	}
	node_free(s, s->root);
	region_end();
	s->root = 0;
}

/* Walk to the leaf (or first non-present entry) for va. */
uint64_t *pt_walk(const struct pt_space *s, uint64_t va, int *level)
{
	uint64_t *node = table(s->root);
	for (int l = (int)s->levels;; l--) {
		uint64_t *e = &node[pt_index(s, va, l)];
		if (!ptf_valid(*e) || is_leaf(*e, l)) {
			*level = l;
			return e;
		}
		node = table(ptf_table_addr(s, *e));
	}
}

/* The entry at level on va's path, or NULL. */
uint64_t *pt_entry_at(const struct pt_space *s, uint64_t va, int level)
{
	uint64_t *node = table(s->root);
	for (int l = (int)s->levels; l >= 1; l--) {
		uint64_t *e = &node[pt_index(s, va, l)];
		if (l == level)
			return e;
		if (!ptf_valid(*e) || is_leaf(*e, l))
			return 0;
		node = table(ptf_table_addr(s, *e));
	}
	return 0;
}

/* Translate va through the space. */
uint64_t pt_translate(const struct pt_space *s, uint64_t va, uint64_t *pte)
{
	int level;
	uint64_t *e = pt_walk(s, va, &level);
	if (pte)
		*pte = *e;
	if (!ptf_valid(*e))
		return ~0ull;
	return ptf_leaf_addr(s, *e, level) | (va & (pt_level_size(s, level) - 1));
}

static uint64_t count_nodes(const struct pt_space *s, uint64_t pa, int level)
{
	uint64_t n = 1;
	const uint64_t *t = table(pa);
	if (level == 1)
		return 1;
	for (unsigned i = 0; i < pt_entries(s, level); i++)
		if (ptf_valid(t[i]) && !is_leaf(t[i], level))
			n += count_nodes(s, ptf_table_addr(s, t[i]), level - 1);
	return n;
}

/* Count the nodes reachable from the root (for a user space: its own half only). */
uint64_t pt_count_nodes(const struct pt_space *s)
{
	if (!s->user || !PTF_SHARED_KERNEL_HALF)
		return count_nodes(s, s->root, (int)s->levels);
	uint64_t n = 1;
	const uint64_t *t = table(s->root);
	for (unsigned i = 0; i < pt_entries(s, (int)s->levels) / 2; i++)
		if (ptf_valid(t[i]))
			n += count_nodes(s, ptf_table_addr(s, t[i]), (int)s->levels - 1);
	return n;
}
