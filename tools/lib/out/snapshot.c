/* SPDX-License-Identifier: MIT */
/* Snapshots of mappings and their differences; see snapshot.h. */
#include "out/snapshot.h"
#include "walk/frame.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "target/target.h"

#define HDR_SIZE    32u
#define SPACE_SIZE  72u
#define RECORD_SIZE 32u
#define TRAILER_SIZE 12u
static const char MAGIC[8] = { 'P', 'T', 'D', 'B', 'G', 'S', 'N', 'P' };
static const char END[8] = { 'P', 'T', 'D', 'B', 'G', 'E', 'N', 'D' };

uint32_t ptdbg_crc32(uint32_t crc, const void *buf, size_t len)
{
	static uint32_t table[256];
	static int ready;
	if (!ready) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
		ready = 1;
	}
	const uint8_t *p = buf;
	crc = ~crc;
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

struct ptdbg_snap_space *ptdbg_snap_add_space(struct ptdbg_snapshot *s, const char *name, uint32_t kind,
					      uint32_t levels, uint64_t root)
{
	struct ptdbg_snap_space *v = realloc(s->spaces, (s->nspaces + 1) * sizeof(*v));
	if (!v)
		return NULL;
	s->spaces = v;
	struct ptdbg_snap_space *sp = &v[s->nspaces++];
	memset(sp, 0, sizeof(*sp));
	snprintf(sp->name, sizeof(sp->name), "%s", name ? name : "");
	sp->kind = kind;
	sp->levels = levels;
	sp->root = root;
	return sp;
}

static bool same_attrs(const struct ptdbg_snap_range *a, const struct ptdbg_snap_range *b)
{
	return a->attrs == b->attrs && a->level == b->level && a->memtype == b->memtype && a->pkey == b->pkey;
}

int ptdbg_snap_add(struct ptdbg_snap_space *sp, const struct ptdbg_snap_range *r)
{
	if (sp->n) {
		struct ptdbg_snap_range *last = &sp->r[sp->n - 1];
		if (last->va + last->size == r->va && last->pa + last->size == r->pa && same_attrs(last, r)) {
			last->size += r->size;
			return 0;
		}
	}
	if (sp->n == sp->cap) {
		size_t cap = sp->cap ? sp->cap * 2 : 64;
		struct ptdbg_snap_range *v = realloc(sp->r, cap * sizeof(*v));
		if (!v)
			return PTDBG_ENOMEM;
		sp->r = v;
		sp->cap = cap;
	}
	sp->r[sp->n++] = *r;
	return 0;
}

void ptdbg_snap_free(struct ptdbg_snapshot *s)
{
	for (size_t i = 0; i < s->nspaces; i++)
		free(s->spaces[i].r);
	free(s->spaces);
	memset(s, 0, sizeof(*s));
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}
static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}
static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

int ptdbg_snap_save(const struct ptdbg_snapshot *s, const char *path, char *err, size_t errlen)
{
	size_t len = HDR_SIZE + TRAILER_SIZE;
	for (size_t i = 0; i < s->nspaces; i++)
		len += SPACE_SIZE + s->spaces[i].n * RECORD_SIZE;
	uint8_t *buf = calloc(1, len), *p = buf;
	if (!buf) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(p, MAGIC, 8);
	put32(p + 8, PTDBG_SNAP_VERSION);
	put32(p + 12, HDR_SIZE);
	put32(p + 16, (uint32_t)s->nspaces);
	put32(p + 20, s->format);
	put64(p + 24, s->created ? s->created : (uint64_t)time(NULL));
	p += HDR_SIZE;
	for (size_t i = 0; i < s->nspaces; i++) {
		const struct ptdbg_snap_space *sp = &s->spaces[i];
		memcpy(p, sp->name, sizeof(sp->name));
		put32(p + 48, sp->kind);
		put32(p + 52, sp->levels);
		put64(p + 56, sp->root);
		put64(p + 64, sp->n);
		p += SPACE_SIZE;
		for (size_t k = 0; k < sp->n; k++, p += RECORD_SIZE) {
			const struct ptdbg_snap_range *r = &sp->r[k];
			put64(p, r->va);
			put64(p + 8, r->size);
			put64(p + 16, r->pa);
			put32(p + 24, r->attrs);
			p[28] = r->level;
			p[29] = r->memtype;
			p[30] = r->pkey;
		}
	}
	put32(p, ptdbg_crc32(0, buf, (size_t)(p - buf)));
	memcpy(p + 4, END, 8);
	/* Write to a temporary name and rename, so a failed save loses no old snapshot. */
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 8);
	if (!tmp) {
		free(buf);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(tmp, plen + 8, "%s.tmp", path);
	FILE *f = fopen(tmp, "wb");
	int rc = -1;
	if (!f) {
		snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
	} else {
		size_t w = fwrite(buf, 1, len, f);
		int cerr = fclose(f);
		if (w != len || cerr) {
			snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
			remove(tmp);
		} else if (rename(tmp, path) != 0) {
			snprintf(err, errlen, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
			remove(tmp);
		} else {
			rc = 0;
		}
	}
	free(tmp);
	free(buf);
	return rc;
}

int ptdbg_snap_parse(struct ptdbg_snapshot *s, const uint8_t *buf, size_t len, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	if (len < 8 || memcmp(buf, MAGIC, 8) != 0) {
		snprintf(err, errlen, "not a ptdbg snapshot (bad magic)");
		return -1;
	}
	if (len < HDR_SIZE) {
		snprintf(err, errlen, "snapshot truncated: %zu bytes, the header alone is %u", len, HDR_SIZE);
		return -1;
	}
	uint32_t version = get32(buf + 8), hdr = get32(buf + 12), nspaces = get32(buf + 16);
	if (version > PTDBG_SNAP_VERSION) {
		snprintf(err, errlen, "snapshot format version %u is newer than this tool reads (%u)", version,
			 PTDBG_SNAP_VERSION);
		return -1;
	}
	if (version == 0 || hdr != HDR_SIZE) {
		snprintf(err, errlen, "snapshot header is malformed (version %u, header size %u)", version, hdr);
		return -1;
	}
	if (len < HDR_SIZE + TRAILER_SIZE || memcmp(buf + len - 8, END, 8) != 0) {
		snprintf(err, errlen, "snapshot truncated: the end marker is missing");
		return -1;
	}
	size_t body = len - TRAILER_SIZE;
	uint32_t want = get32(buf + body), got = ptdbg_crc32(0, buf, body);
	if (want != got) {
		snprintf(err, errlen, "snapshot corrupted: checksum %08x, expected %08x", got, want);
		return -1;
	}
	s->format = get32(buf + 20);
	s->created = get64(buf + 24);
	if (s->format != PTDBG_SNAP_X86 && s->format != PTDBG_SNAP_VTD && s->format != PTDBG_SNAP_ARM64 &&
	    s->format != PTDBG_SNAP_SMMU) {
		snprintf(err, errlen, "snapshot of unknown table format %u", s->format);
		return -1;
	}
	size_t off = HDR_SIZE;
	for (uint32_t i = 0; i < nspaces; i++) {
		if (body - off < SPACE_SIZE) {
			snprintf(err, errlen, "snapshot malformed: space %u of %u lies past the end", i + 1, nspaces);
			goto fail;
		}
		const uint8_t *p = buf + off;
		char name[49];
		memcpy(name, p, 48);
		name[48] = 0;
		/* names are printed: printable ASCII only (no escape sequences from a file) */
		for (char *c = name; *c; c++)
			if (*c < 0x20 || *c > 0x7e)
				*c = '?';
		uint64_t n = get64(p + 64);
		off += SPACE_SIZE;
		if (n > (body - off) / RECORD_SIZE) {
			snprintf(err, errlen, "snapshot malformed: space '%s' claims %llu records, more than the file holds",
				 name, (unsigned long long)n);
			goto fail;
		}
		struct ptdbg_snap_space *sp = ptdbg_snap_add_space(s, name, get32(p + 48), get32(p + 52), get64(p + 56));
		if (!sp || (n && !(sp->r = malloc(n * sizeof(*sp->r))))) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		sp->cap = sp->n = n;
		for (uint64_t k = 0; k < n; k++, off += RECORD_SIZE) {
			const uint8_t *q = buf + off;
			struct ptdbg_snap_range *r = &sp->r[k];
			r->va = get64(q);
			r->size = get64(q + 8);
			r->pa = get64(q + 16);
			r->attrs = get32(q + 24);
			r->level = q[28];
			r->memtype = q[29];
			r->pkey = q[30];
			if (r->size == 0 || r->va + r->size - 1 < r->va ||
			    (k && sp->r[k - 1].va + sp->r[k - 1].size - 1 >= r->va)) {
				snprintf(err, errlen, "snapshot malformed: space '%s' record %llu is empty, wraps or is out of order",
					 name, (unsigned long long)k);
				goto fail;
			}
		}
	}
	if (off != body) {
		snprintf(err, errlen, "snapshot malformed: %zu unexpected bytes after the last space", body - off);
		goto fail;
	}
	return 0;
fail:
	ptdbg_snap_free(s);
	return -1;
}

int ptdbg_snap_load(struct ptdbg_snapshot *s, const char *path, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			if (cap > (1ull << 32)) {
				snprintf(err, errlen, "%s: too large for a snapshot", path);
				goto fail;
			}
			uint8_t *nb = realloc(buf, cap);
			if (!nb) {
				snprintf(err, errlen, "out of memory");
				goto fail;
			}
			buf = nb;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		goto fail;
	}
	fclose(f);
	char why[256];
	int rc = ptdbg_snap_parse(s, buf, len, why, sizeof(why));
	if (rc)
		snprintf(err, errlen, "%s: %s", path, why);
	free(buf);
	return rc;
fail:
	fclose(f);
	free(buf);
	return -1;
}

struct ptdbg_snap_space *ptdbg_snap_space(const struct ptdbg_snapshot *s, const char *name)
{
	for (size_t i = 0; i < s->nspaces; i++)
		if (!strcmp(s->spaces[i].name, name))
			return &s->spaces[i];
	return NULL;
}

/* ---- diff ---- */

/* The part of range r at va, as a range starting at va. */
static struct ptdbg_snap_range at(const struct ptdbg_snap_range *r, uint64_t va)
{
	struct ptdbg_snap_range x = *r;
	x.pa = r->pa + (va - r->va);
	x.va = va;
	return x;
}

struct differ {
	void (*out)(void *ctx, const struct ptdbg_diff *d);
	void *ctx;
	struct ptdbg_diff cur;
	bool open;
	size_t count;
};

static void flush(struct differ *df)
{
	if (df->open) {
		df->out(df->ctx, &df->cur);
		df->count++;
	}
	df->open = false;
}

/* Emit the segment [va, last] of kind k with sides a/b (NULL where absent). */
static void segment(struct differ *df, enum ptdbg_diff_kind k, uint64_t va, uint64_t last,
		    const struct ptdbg_snap_range *a, const struct ptdbg_snap_range *b)
{
	struct ptdbg_diff *c = &df->cur;
	if (df->open && c->kind == k && c->va + c->size == va) {
		/* Extend only if both sides continue the same way. */
		bool ok = true;
		if (a)
			ok &= same_attrs(&c->a, a) && c->a.pa + c->size == a->pa + (va - a->va);
		if (b)
			ok &= same_attrs(&c->b, b) && c->b.pa + c->size == b->pa + (va - b->va);
		if (ok) {
			c->size += last - va + 1;
			return;
		}
	}
	flush(df);
	memset(c, 0, sizeof(*c));
	c->kind = k;
	c->va = va;
	c->size = last - va + 1;
	if (a)
		c->a = at(a, va);
	if (b)
		c->b = at(b, va);
	df->open = true;
}

static uint64_t last_of(const struct ptdbg_snap_range *r) { return r->va + r->size - 1; }

size_t ptdbg_snap_diff(const struct ptdbg_snap_space *A, const struct ptdbg_snap_space *B,
		       void (*out)(void *ctx, const struct ptdbg_diff *d), void *ctx)
{
	struct differ df = { .out = out, .ctx = ctx };
	size_t i = 0, j = 0;
	uint64_t pos = 0;
	bool done = false;
	while (!done && (i < A->n || j < B->n)) {
		const struct ptdbg_snap_range *a = i < A->n ? &A->r[i] : NULL;
		const struct ptdbg_snap_range *b = j < B->n ? &B->r[j] : NULL;
		bool ina = a && a->va <= pos, inb = b && b->va <= pos;
		if (!ina && !inb) {
			pos = a && (!b || a->va < b->va) ? a->va : b->va;
			continue;
		}
		/* The segment [pos, last] where neither side changes. */
		uint64_t last = UINT64_MAX;
		if (ina && last_of(a) < last)
			last = last_of(a);
		if (inb && last_of(b) < last)
			last = last_of(b);
		if (!ina && a && a->va - 1 < last)
			last = a->va - 1;
		if (!inb && b && b->va - 1 < last)
			last = b->va - 1;
		if (ina && inb) {
			struct ptdbg_snap_range x = at(a, pos), y = at(b, pos);
			if (x.pa != y.pa || !same_attrs(&x, &y))
				segment(&df, PTDBG_DIFF_CHANGED, pos, last, a, b);
			else
				flush(&df);
		} else if (ina) {
			segment(&df, PTDBG_DIFF_REMOVED, pos, last, a, NULL);
		} else {
			segment(&df, PTDBG_DIFF_ADDED, pos, last, NULL, b);
		}
		if (ina && last_of(a) == last)
			i++;
		if (inb && last_of(b) == last)
			j++;
		if (last == UINT64_MAX)
			done = true;
		else
			pos = last + 1;
	}
	flush(&df);
	return df.count;
}

static const char *level_size(uint8_t level)
{
	switch (level) {
	case 1: return "4K";
	case 2: return "2M";
	case 3: return "1G";
	default: return "?";
	}
}

static void size_str(uint64_t size, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	unsigned u = 0;
	size >>= 10;
	while (u + 1 < sizeof(units) - 1 && size >= 1024 && (size & 1023) == 0) {
		size >>= 10;
		u++;
	}
	snprintf(buf, len, "%llu%c", (unsigned long long)size, units[u]);
}

void ptdbg_diff_print(FILE *f, const struct ptdbg_diff *d, ptdbg_snap_attr_fn attr_name)
{
	char sz[32], aa[128] = "", ba[128] = "";
	size_str(d->size, sz, sizeof(sz));
	if (d->kind != PTDBG_DIFF_ADDED)
		attr_name(d->a.attrs, aa, sizeof(aa));
	if (d->kind != PTDBG_DIFF_REMOVED)
		attr_name(d->b.attrs, ba, sizeof(ba));
	char head[64];
	snprintf(head, sizeof(head), "%016llx-%016llx", (unsigned long long)d->va,
		 (unsigned long long)(d->va + d->size));
	switch (d->kind) {
	case PTDBG_DIFF_ADDED:
		fprintf(f, "+ %s %7s  pa %#llx  %s  %s\n", head, sz, (unsigned long long)d->b.pa,
			level_size(d->b.level), ba);
		break;
	case PTDBG_DIFF_REMOVED:
		fprintf(f, "- %s %7s  pa %#llx  %s  %s\n", head, sz, (unsigned long long)d->a.pa,
			level_size(d->a.level), aa);
		break;
	case PTDBG_DIFF_CHANGED:
		fprintf(f, "~ %s %7s ", head, sz);
		if (d->a.pa != d->b.pa)
			fprintf(f, " pa %#llx -> %#llx;", (unsigned long long)d->a.pa, (unsigned long long)d->b.pa);
		if (d->a.level != d->b.level)
			fprintf(f, " page %s -> %s;", level_size(d->a.level), level_size(d->b.level));
		if (d->a.attrs != d->b.attrs)
			fprintf(f, " %s -> %s;", aa, ba);
		if (d->a.memtype != d->b.memtype)
			fprintf(f, " memtype %u -> %u;", d->a.memtype, d->b.memtype);
		if (d->a.pkey != d->b.pkey)
			fprintf(f, " pkey %u -> %u;", d->a.pkey, d->b.pkey);
		fputc('\n', f);
		break;
	}
}

static void json_side(struct ptdbg_json *j, const char *name, const struct ptdbg_snap_range *r,
		      ptdbg_snap_attr_fn attr_name)
{
	char attrs[128];
	attr_name(r->attrs, attrs, sizeof(attrs));
	ptdbg_json_name(j, name);
	ptdbg_json_start_object(j);
	ptdbg_json_hex_field(j, "pa", r->pa);
	/* The level comes from the file: one no walk emits (0, or past the 57-bit
	 * sizes of level 6) has no page size, not a shift past 64 bits. */
	ptdbg_json_uint_field(j, "page_size",
			      r->level && r->level <= 6 ? 1ull << (12 + 9 * (r->level - 1)) : 0);
	ptdbg_json_string_field(j, "attrs", attrs);
	ptdbg_json_uint_field(j, "memtype", r->memtype);
	ptdbg_json_uint_field(j, "pkey", r->pkey);
	ptdbg_json_end_object(j);
}

void ptdbg_diff_json(struct ptdbg_json *j, const struct ptdbg_diff *d, ptdbg_snap_attr_fn attr_name)
{
	static const char *const kinds[] = { "", "added", "removed", "changed" };
	ptdbg_json_start_object(j);
	ptdbg_json_string_field(j, "change", kinds[d->kind]);
	ptdbg_json_hex_field(j, "start", d->va);
	ptdbg_json_hex_field(j, "end", d->va + d->size);
	ptdbg_json_uint_field(j, "size", d->size);
	if (d->kind != PTDBG_DIFF_ADDED)
		json_side(j, "before", &d->a, attr_name);
	if (d->kind != PTDBG_DIFF_REMOVED)
		json_side(j, "after", &d->b, attr_name);
	ptdbg_json_end_object(j);
}

struct report_ctx {
	FILE *out;
	struct ptdbg_json *j;
	ptdbg_snap_attr_fn attr_name;
	size_t n;
};

static void report_line(void *ctx, const struct ptdbg_diff *d)
{
	struct report_ctx *r = ctx;
	if (r->j)
		ptdbg_diff_json(r->j, d, r->attr_name);
	else
		ptdbg_diff_print(r->out, d, r->attr_name);
	r->n++;
}

/* The space of b that corresponds to sa: same name, else the only one when sa is
 * the only one of its snapshot too. */
static const struct ptdbg_snap_space *match_space(const struct ptdbg_snapshot *a,
						  const struct ptdbg_snap_space *sa,
						  const struct ptdbg_snapshot *b)
{
	const struct ptdbg_snap_space *m = ptdbg_snap_space(b, sa->name);
	if (!m && a->nspaces == 1 && b->nspaces == 1)
		m = &b->spaces[0];
	return m;
}

static void only_in(struct report_ctx *r, const char *word, const char *name, const char *where)
{
	if (r->j) {
		ptdbg_json_start_object(r->j);
		ptdbg_json_string_field(r->j, word, name);
		ptdbg_json_string_field(r->j, "only_in", where);
		ptdbg_json_end_object(r->j);
	} else {
		fprintf(r->out, "%s %s: only in %s\n", word, name, where);
	}
	r->n++;
}

size_t ptdbg_snap_diff_report(FILE *out, struct ptdbg_json *j, const struct ptdbg_snapshot *a,
			      const char *a_name, const struct ptdbg_snapshot *b, const char *b_name,
			      const char *word, bool always_header, ptdbg_snap_attr_fn attr_name)
{
	struct report_ctx r = { out, j, attr_name, 0 };
	bool headers = always_header || a->nspaces > 1 || b->nspaces > 1;
	if (j)
		ptdbg_json_start_array(j);
	for (size_t i = 0; i < a->nspaces; i++) {
		const struct ptdbg_snap_space *sa = &a->spaces[i], *sb = match_space(a, sa, b);
		if (!sb) {
			only_in(&r, word, sa->name, a_name);
			continue;
		}
		if (j) {
			ptdbg_json_start_object(j);
			ptdbg_json_string_field(j, word, sa->name);
			ptdbg_json_name(j, "changes");
			ptdbg_json_start_array(j);
		} else if (headers) {
			fprintf(out, "%s %s:\n", word, sa->name);
		}
		ptdbg_snap_diff(sa, sb, report_line, &r);
		if (j) {
			ptdbg_json_end_array(j);
			ptdbg_json_end_object(j);
		}
	}
	for (size_t i = 0; i < b->nspaces; i++) {
		bool matched = false;
		for (size_t k = 0; k < a->nspaces && !matched; k++)
			matched = match_space(a, &a->spaces[k], b) == &b->spaces[i];
		if (!matched)
			only_in(&r, word, b->spaces[i].name, b_name);
	}
	if (j)
		ptdbg_json_end_array(j);
	return r.n;
}

/* A LEAF_RUN's leaves as records of space: each stretch of them whose physical
 * addresses follow on in one step (they share the rest). */
static int snap_run(struct ptdbg_snap_space *space, const struct ptdbg_walk_event *ev)
{
	struct ptdbg_snap_range r = {
		.attrs = ev->perm.flags,
		.level = (uint8_t)ev->level,
		.memtype = ev->perm.memtype,
		.pkey = ev->perm.pkey,
	};
	for (uint64_t k = 0, next; k < ev->count; k = next) {
		r.pa = ev->run[k] & ev->run_addr;
		next = ptdbg_run_follow(ev, k + 1, ev->count, r.pa + ev->size);
		r.va = ev->va + k * ev->size;
		r.size = (next - k) * ev->size;
		int rc = ptdbg_snap_add(space, &r);
		if (rc)
			return rc;
	}
	return 0;
}

/* A LEAF (or LEAF_RUN) as records of space; see snapshot.h. */
int ptdbg_snap_visit(void *space, const struct ptdbg_walk_event *ev)
{
	if (ev->kind == PTDBG_EV_LEAF_RUN)
		return snap_run(space, ev);
	if (ev->kind != PTDBG_EV_LEAF)
		return 0;
	struct ptdbg_snap_range r = {
		.va = ev->va,
		.size = ev->size,
		.pa = ev->pa,
		.attrs = ev->perm.flags,
		.level = (uint8_t)ev->level,
		.memtype = ev->perm.memtype,
		.pkey = ev->perm.pkey,
	};
	return ptdbg_snap_add(space, &r);
}
