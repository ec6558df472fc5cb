/* The page-table module (see pt.h for the model). */
#include "arch/x86_64/cpu.h"
#include "debug/panic.h"
#include "debug/region.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "mm/markers.h"
#include "mm/pt.h"
#include "mm/pte.h"

#define ENTRIES 512

static inline uint64_t *table(uint64_t pa) { return phys_to_virt(pa); }

static inline unsigned pt_index(uint64_t va, int level)
{
	return (unsigned)(va >> (12 + 9 * (level - 1))) & (ENTRIES - 1);
}

/* Sign-extend va from the space's linear-address width. */
static inline uint64_t canonical(const struct pt_space *s, uint64_t va)
{
	unsigned shift = 64 - (12 + 9 * s->levels);
	return (uint64_t)((int64_t)(va << shift) >> shift);
}

static inline int is_leaf(uint64_t e, int level)
{
	return level == 1 || (e & X86_PTE_PS);
}

static uint64_t table_flags(uint64_t va)
{
	return X86_PTE_P | X86_PTE_RW | (va < USER_END ? X86_PTE_US : 0);
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
	uint64_t pa = frame_alloc(PTDBG_FRAME_PT, (uint32_t)s->owner);
	if (!pa)
		return 0;
	region_begin();
	struct ptdbg_frame_meta *m = frame_meta_of(pa);
	m->pt_level = (uint8_t)level;
	m->tracking = (uint8_t)markers_tracking_for(first, last);
	region_end();
	return pa;
}

/* Release a node frame (its entries must already be accounted for). */
static void node_free(uint64_t pa)
{
	frame_put(pa);
}

/* Whether a new leaf at va holds references: what the range it maps requires (the
 * caller maps frames it holds in tracked ranges, raw physical ranges elsewhere). */
static enum ptdbg_tracking leaf_tracking(uint64_t va)
{
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

static int space_is_loaded(const struct pt_space *s)
{
	return (read_cr3() & X86_PTE_ADDR_MASK) == s->root;
}

static void flush(const struct pt_space *s, uint64_t va, uint64_t len)
{
	if (!space_is_loaded(s) && va < USER_END)
		return;
	if (len > 64 * PAGE_SIZE) {
		tlb_flush_all();
		return;
	}
	for (uint64_t off = 0; off < len; off += PAGE_SIZE)
		invlpg(va + off);
}

static int range_allowed(const struct pt_space *s, uint64_t va, uint64_t len)
{
	if (len == 0 || va + len < va)
		return va + len == 0 && !s->user && va >= KERNEL_HALF_START;
	if (s->user)
		return va + len <= USER_END;
	return va >= KERNEL_HALF_START;
}

/* Create the kernel space's root node. */
int pt_space_init_kernel(struct pt_space *s, uint32_t levels, int owner)
{
	s->levels = levels;
	s->owner = owner;
	s->user = 0;
	s->root = node_alloc(s, (int)levels, 0, ~0ull);
	return s->root ? 0 : -ENOMEM;
}

/* Create a user root sharing the kernel half. */
int pt_space_init_user(struct pt_space *s, const struct pt_space *kernel, int owner)
{
	s->levels = kernel->levels;
	s->owner = owner;
	s->user = 1;
	s->root = node_alloc(s, (int)s->levels, 0, ~0ull);
	if (!s->root)
		return -ENOMEM;
	memcpy(table(s->root) + ENTRIES / 2, table(kernel->root) + ENTRIES / 2,
	       ENTRIES / 2 * sizeof(uint64_t));
	return 0;
}

/* Ensure the level-(top-1) nodes over [start, end) exist in the kernel root. */
int pt_prealloc_top(struct pt_space *s, uint64_t start, uint64_t end)
{
	int top = (int)s->levels;
	uint64_t step = pt_level_size(top);
	uint64_t *root = table(s->root);
	for (uint64_t va = start & ~(step - 1); va - 1 < end - 1; va += step) {
		uint64_t *e = &root[pt_index(va, top)];
		if (!(*e & X86_PTE_P)) {
			uint64_t base = canonical(s, va);
			uint64_t child = node_alloc(s, top - 1, base, base + step - 1);
			if (!child)
				return -ENOMEM;
			*e = child | table_flags(base);
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
		uint64_t *e = &node[pt_index(va, l)];
		if (!(*e & X86_PTE_P)) {
			uint64_t span = pt_level_size(l);
			uint64_t base = canonical(s, va & ~(span - 1));
			uint64_t child = node_alloc(s, l - 1, base, base + span - 1);
			if (!child) {
				*err = -ENOMEM;
				return 0;
			}
			*e = child | table_flags(va);
		} else if (is_leaf(*e, l)) {
			*err = -EEXIST;
			return 0;
		}
		node = table(*e & X86_PTE_ADDR_MASK);
	}
	return node;
}

/* Map one page. */
int pt_map(struct pt_space *s, uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs)
{
	int level = size == PT_4K ? 1 : size == PT_2M ? 2 : size == PT_1G ? 3 : 0;
	if (!level || (va & (size - 1)) || (pa & (size - 1)) || !range_allowed(s, va, size))
		return -EINVAL;
	int err = 0;
	region_begin();
	uint64_t *node = descend(s, va, level, &err);
	if (node) {
		uint64_t *e = &node[pt_index(va, level)];
		if (*e & X86_PTE_P) {
			err = -EEXIST;
		} else {
			*e = pa | (attrs & ~(X86_PTE_ADDR_MASK | X86_PTE_PS)) | X86_PTE_P | (level > 1 ? X86_PTE_PS : 0);
			leaf_account_add(pa, size, leaf_tracking(va));
		}
	}
	region_end();
	return err;
}

/* Map a range with the largest pages alignment allows. */
int pt_map_range(struct pt_space *s, uint64_t va, uint64_t pa, uint64_t len,
		 uint64_t attrs, uint64_t max_page)
{
	while (len) {
		uint64_t size = PT_4K;
		if (max_page >= PT_1G && cpu_features.pdpe1gb && !((va | pa) & (PT_1G - 1)) && len >= PT_1G)
			size = PT_1G;
		else if (max_page >= PT_2M && !((va | pa) & (PT_2M - 1)) && len >= PT_2M)
			size = PT_2M;
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
	uint64_t span = pt_level_size(level);
	uint64_t child = node_alloc(s, level - 1, base, base + span - 1);
	if (!child)
		return -ENOMEM;
	uint64_t pa = pte_leaf_addr(*e, level);
	uint64_t attrs = *e & ~(X86_PTE_ADDR_MASK | X86_PTE_PS);
	uint64_t pat = (*e & X86_PTE_PATBIG) ? (level - 1 > 1 ? X86_PTE_PATBIG : X86_PTE_PS) : 0;
	uint64_t sub = pt_level_size(level - 1);
	uint64_t *t = table(child);
	for (unsigned i = 0; i < ENTRIES; i++)
		t[i] = (pa + i * sub) | attrs | pat | (level - 1 > 1 ? X86_PTE_PS : 0);
	/* A tracked child of a leaf in a non-tracked node (or the reverse) changes who
	 * holds references: move them so the counts stay balanced. */
	enum ptdbg_tracking before = node_tracking(virt_to_phys(e) & X86_PTE_ADDR_MASK);
	enum ptdbg_tracking after = node_tracking(child);
	if (before != after && (before == PTDBG_TRACK_TRACKED || after == PTDBG_TRACK_TRACKED)) {
		for (uint64_t p = pa; p < pa + span && frame_meta_of(p); p += PAGE_SIZE) {
			if (after == PTDBG_TRACK_TRACKED)
				frame_get(p);
			else
				frame_put(p);
		}
	}
	*e = child | table_flags(base);
	return 0;
}

/* Split the huge leaf containing va at `level`. */
int pt_split(struct pt_space *s, uint64_t va, int level)
{
	int l;
	uint64_t *e = pt_walk(s, va, &l);
	if (l != level || level < 2 || !(*e & X86_PTE_P) || !(*e & X86_PTE_PS))
		return -ENOENT;
	uint64_t span = pt_level_size(level);
	uint64_t base = canonical(s, va & ~(span - 1));
	region_begin();
	int err = split_entry(s, e, level, base);
	region_end();
	flush(s, base, span);
	return err;
}

static int node_is_empty(uint64_t pa)
{
	const uint64_t *t = table(pa);
	for (unsigned i = 0; i < ENTRIES; i++)
		if (t[i])
			return 0;
	return 1;
}

/* Free a whole subtree: leaves drop their accounting (references only if the node
 * holding them is tracked), then each node is freed. */
static void free_subtree(uint64_t node_pa, int level)
{
	uint64_t *t = table(node_pa);
	enum ptdbg_tracking tracking = node_tracking(node_pa);
	for (unsigned i = 0; i < ENTRIES; i++) {
		uint64_t e = t[i];
		if (!(e & X86_PTE_P))
			continue;
		if (is_leaf(e, level))
			leaf_account_drop(pte_leaf_addr(e, level), pt_level_size(level), tracking);
		else
			free_subtree(e & X86_PTE_ADDR_MASK, level - 1);
		t[i] = 0;
	}
	node_free(node_pa);
}

/* Shared kernel-half nodes below the root are never freed. */
static int keep_node(const struct pt_space *s, int level, uint64_t base)
{
	return level == (int)s->levels - 1 && base >= KERNEL_HALF_START;
}

enum walk_op { OP_UNMAP, OP_PROTECT };

/* Apply op to [first, last] inside the node at `level` whose range starts at base. */
static int edit_node(struct pt_space *s, uint64_t node_pa, int level, uint64_t base,
		     uint64_t first, uint64_t last, enum walk_op op, uint64_t attrs)
{
	uint64_t *t = table(node_pa);
	uint64_t span = pt_level_size(level);
	enum ptdbg_tracking tracking = node_tracking(node_pa);
	for (unsigned i = pt_index(first, level); i < ENTRIES; i++) {
		uint64_t ebase = canonical(s, base + i * span);
		uint64_t elast = ebase + span - 1;
		if (ebase > last)
			break;
		uint64_t f = first > ebase ? first : ebase;
		uint64_t l = last < elast ? last : elast;
		int whole = f == ebase && l == elast;
		uint64_t e = t[i];
		if (!(e & X86_PTE_P))
			continue;
		if (is_leaf(e, level)) {
			if (whole && op == OP_UNMAP) {
				leaf_account_drop(pte_leaf_addr(e, level), span, tracking);
				t[i] = 0;
				continue;
			}
			if (whole && op == OP_PROTECT) {
				uint64_t keep = e & (X86_PTE_ADDR_MASK | X86_PTE_PS | X86_PTE_A | X86_PTE_D | X86_PTE_P);
				if (level > 1)
					keep |= e & X86_PTE_PATBIG;
				t[i] = keep | (attrs & ~(X86_PTE_ADDR_MASK | X86_PTE_PS | X86_PTE_P));
				continue;
			}
			int err = split_entry(s, &t[i], level, ebase);
			if (err)
				return err;
			e = t[i];
		}
		uint64_t child = e & X86_PTE_ADDR_MASK;
		if (whole && op == OP_UNMAP && !keep_node(s, level - 1, ebase)) {
			free_subtree(child, level - 1);
			t[i] = 0;
			continue;
		}
		int err = edit_node(s, child, level - 1, ebase, f, l, op, attrs);
		if (err)
			return err;
		if (op == OP_UNMAP && !keep_node(s, level - 1, ebase) && node_is_empty(child)) {
			node_free(child);
			t[i] = 0;
		}
	}
	return 0;
}

static int edit_range(struct pt_space *s, uint64_t va, uint64_t len, enum walk_op op, uint64_t attrs)
{
	if ((va & (PAGE_SIZE - 1)) || (len & (PAGE_SIZE - 1)) || !range_allowed(s, va, len))
		return -EINVAL;
	region_begin();
	int err = edit_node(s, s->root, (int)s->levels, 0, va, va + len - 1, op, attrs);
	region_end();
	flush(s, va, len);
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
	memset(table(s->root) + ENTRIES / 2, 0, ENTRIES / 2 * sizeof(uint64_t));
	node_free(s->root);
	region_end();
	s->root = 0;
}

/* Walk to the leaf (or first non-present entry) for va. */
uint64_t *pt_walk(const struct pt_space *s, uint64_t va, int *level)
{
	uint64_t *node = table(s->root);
	for (int l = (int)s->levels;; l--) {
		uint64_t *e = &node[pt_index(va, l)];
		if (!(*e & X86_PTE_P) || is_leaf(*e, l)) {
			*level = l;
			return e;
		}
		node = table(*e & X86_PTE_ADDR_MASK);
	}
}

/* Translate va through the space. */
uint64_t pt_translate(const struct pt_space *s, uint64_t va, uint64_t *pte)
{
	int level;
	uint64_t *e = pt_walk(s, va, &level);
	if (pte)
		*pte = *e;
	if (!(*e & X86_PTE_P))
		return ~0ull;
	return pte_leaf_addr(*e, level) | (va & (pt_level_size(level) - 1));
}

static uint64_t count_nodes(uint64_t pa, int level)
{
	uint64_t n = 1;
	const uint64_t *t = table(pa);
	if (level == 1)
		return 1;
	for (unsigned i = 0; i < ENTRIES; i++)
		if ((t[i] & X86_PTE_P) && !is_leaf(t[i], level))
			n += count_nodes(t[i] & X86_PTE_ADDR_MASK, level - 1);
	return n;
}

/* Count the nodes reachable from the root (for a user space: its own half only). */
uint64_t pt_count_nodes(const struct pt_space *s)
{
	if (!s->user)
		return count_nodes(s->root, (int)s->levels);
	uint64_t n = 1;
	const uint64_t *t = table(s->root);
	for (unsigned i = 0; i < ENTRIES / 2; i++)
		if (t[i] & X86_PTE_P)
			n += count_nodes(t[i] & X86_PTE_ADDR_MASK, (int)s->levels - 1);
	return n;
}
