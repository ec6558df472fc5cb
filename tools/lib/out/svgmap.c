/* SPDX-License-Identifier: MIT */
/* The address-space picture (see svgmap.h). */
#include "out/svgmap.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define WIDTH      1200.0
#define GUTTER     178.0  /* the row's first address, left of the drawing */
#define RIGHT      16.0
#define ROW_H      46.0   /* marker band, bar, gap */
#define BAND_H     13.0
#define BAR_H      22.0
#define TOP        44.0
#define SECTION_H  26.0

/* Widths: a range grows by RANGE_PER_LOG2 per doubling above 4 KiB. */
#define RANGE_MIN      7.0
#define RANGE_PER_LOG2 5.0
#define RANGE_MAX      150.0
#define HOLE_MIN       4.0
#define HOLE_PER_LOG2  1.4
#define LABEL_CHAR     5.5   /* width of one character of a marker label */

/* The permission classes, in legend order. */
struct cls {
	const char *name, *colour;
};
static const struct cls classes[] = {
	{ "W+X",       "#d62728" },
	{ "user rw",   "#2ca02c" },
	{ "user rx",   "#1f77b4" },
	{ "user r",    "#98df8a" },
	{ "kernel rw", "#ff7f0e" },
	{ "kernel rx", "#9467bd" },
	{ "kernel r",  "#8c8c8c" },
	{ "no access", "#d9d9d9" },
};

static unsigned class_of(uint32_t p)
{
	if (((p & PTDBG_MAP_KW) && (p & PTDBG_MAP_KX)) || ((p & PTDBG_MAP_UW) && (p & PTDBG_MAP_UX)))
		return 0;
	if (p & (PTDBG_MAP_UR | PTDBG_MAP_UW | PTDBG_MAP_UX))
		return (p & PTDBG_MAP_UW) ? 1 : (p & PTDBG_MAP_UX) ? 2 : 3;
	if (p & (PTDBG_MAP_KR | PTDBG_MAP_KW | PTDBG_MAP_KX))
		return (p & PTDBG_MAP_KW) ? 4 : (p & PTDBG_MAP_KX) ? 5 : 6;
	return 7;
}

const char *ptdbg_map_class(uint32_t perm)
{
	return classes[class_of(perm)].name;
}

const char *ptdbg_map_colour(uint32_t perm)
{
	return classes[class_of(perm)].colour;
}

/* Shading by page size: small pages light, blocks of 1 GiB and more solid. */
static double shade(uint64_t page)
{
	if (page <= (64u << 10))
		return 0.55;
	if (page < (1ull << 30))
		return 0.8;
	return 1.0;
}

static double log2_pages(uint64_t size)
{
	double l = log2((double)(size ? size : 1) / 4096.0);
	return l > 0 ? l : 0;
}

static double range_width(uint64_t size)
{
	double w = RANGE_MIN + RANGE_PER_LOG2 * log2_pages(size);
	return w > RANGE_MAX ? RANGE_MAX : w;
}

static double hole_width(uint64_t size)
{
	return HOLE_MIN + HOLE_PER_LOG2 * log2_pages(size);
}

/* Text with &, <, >, " escaped. */
static void xml_text(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		default:
			if ((unsigned char)*s >= 0x20)
				fputc(*s, out);
		}
	}
}

/* "4K", "2M", "1G", "128T" for a power-of-two-ish size, else bytes in the largest
 * unit that divides it. */
static void size_text(uint64_t size, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	uint64_t v = size;
	int u = -1;
	while (u < 5 && v >= 1024 && v % 1024 == 0) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%" PRIu64 "B", size);
	else
		snprintf(buf, len, "%" PRIu64 "%c", v, units[u]);
}

static void perm_text(uint32_t p, char *buf, size_t len)
{
	snprintf(buf, len, "kernel %c%c%c, user %c%c%c", p & PTDBG_MAP_KR ? 'r' : '-',
		 p & PTDBG_MAP_KW ? 'w' : '-', p & PTDBG_MAP_KX ? 'x' : '-',
		 p & PTDBG_MAP_UR ? 'r' : '-', p & PTDBG_MAP_UW ? 'w' : '-',
		 p & PTDBG_MAP_UX ? 'x' : '-');
}

/* The flow of segments over rows. */
struct flow {
	FILE *out;
	double x, y;      /* next segment's left edge; the current row's top */
	double label_end; /* right edge of the row's last marker label */
	bool row_open;
};

static void new_row(struct flow *f, uint64_t va)
{
	if (f->row_open)
		f->y += ROW_H;
	f->x = GUTTER;
	f->label_end = 0;
	f->row_open = true;
	fprintf(f->out, "<text class=\"addr\" x=\"%.1f\" y=\"%.1f\">0x%016" PRIx64 "</text>\n",
		GUTTER - 6, f->y + BAND_H + BAR_H * 0.7, va);
}

/* Room for a segment of width w: wrap to a new row when it does not fit. */
static void place(struct flow *f, double w, uint64_t va)
{
	if (!f->row_open || f->x + w > WIDTH - RIGHT)
		new_row(f, va);
}

static void draw_hole(struct flow *f, uint64_t va, uint64_t size)
{
	char sz[32];
	double w = hole_width(size);
	place(f, w, va);
	size_text(size, sz, sizeof(sz));
	fprintf(f->out, "<line class=\"hole\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\">"
		"<title>hole 0x%016" PRIx64 " (%s unmapped)</title></line>\n",
		f->x + 0.5, f->y + BAND_H + BAR_H / 2, f->x + w - 0.5, f->y + BAND_H + BAR_H / 2,
		va, sz);
	f->x += w;
}

static void draw_range(struct flow *f, const struct ptdbg_map_range *r, bool new_marker,
		       const struct ptdbg_map_pin *pins, size_t npins)
{
	char sz[32], pg[32], perm[64];
	double w = range_width(r->size);
	place(f, w, r->va);
	size_text(r->size, sz, sizeof(sz));
	size_text(r->page, pg, sizeof(pg));
	perm_text(r->perm, perm, sizeof(perm));
	fprintf(f->out, "<rect class=\"range\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
		"fill=\"%s\" fill-opacity=\"%.2f\" data-va=\"0x%016" PRIx64 "\" data-size=\"0x%" PRIx64
		"\" data-pa=\"0x%016" PRIx64 "\" data-page=\"0x%" PRIx64 "\" data-perm=\"%s\">"
		"<title>0x%016" PRIx64 "-0x%016" PRIx64 " %s -> 0x%016" PRIx64 ", %s pages, %s (%s)",
		f->x, f->y + BAND_H, w - 1.0, BAR_H, ptdbg_map_colour(r->perm), shade(r->page), r->va,
		r->size, r->pa, r->page, ptdbg_map_class(r->perm), r->va, r->va + r->size - 1, sz,
		r->pa, pg, perm, ptdbg_map_class(r->perm));
	if (r->memtype) {
		fputs(", ", f->out);
		xml_text(f->out, r->memtype);
	}
	if (r->marker) {
		fputs(", ", f->out);
		xml_text(f->out, r->marker);
	}
	fputs("</title></rect>\n", f->out);
	if (new_marker && r->marker) {
		/* after the previous label of the row, never over it */
		double lx = f->x > f->label_end + 6 ? f->x : f->label_end + 6;
		f->label_end = lx + LABEL_CHAR * (double)strlen(r->marker);
		fprintf(f->out, "<text class=\"marker\" x=\"%.1f\" y=\"%.1f\">", lx,
			f->y + BAND_H - 3);
		xml_text(f->out, r->marker);
		fputs("</text>\n", f->out);
	}
	for (size_t i = 0; i < npins; i++) {
		const struct ptdbg_map_pin *p = &pins[i];
		if (p->va < r->va || p->va - r->va >= r->size)
			continue;
		double px = f->x + (w - 1.0) * (double)(p->va - r->va) / (double)r->size;
		fprintf(f->out, "<path class=\"pin\" d=\"M%.1f %.1f l-4 -7 h8 z\" data-va=\"0x%016" PRIx64
			"\"><title>", px, f->y + BAND_H + 1, p->va);
		xml_text(f->out, p->kind);
		fputs(": ", f->out);
		xml_text(f->out, p->message);
		fputs("</title></path>\n", f->out);
	}
	f->x += w;
}

static void draw_section(struct flow *f, const struct ptdbg_map_section *s)
{
	if (f->row_open)
		f->y += ROW_H;
	f->row_open = false;
	fprintf(f->out, "<text class=\"section\" x=\"%.1f\" y=\"%.1f\">", 16.0, f->y + 16);
	xml_text(f->out, s->title);
	fprintf(f->out, " (%zu range%s)</text>\n", s->nranges, s->nranges == 1 ? "" : "s");
	f->y += SECTION_H;
	const char *marker = NULL;
	for (size_t i = 0; i < s->nranges; i++) {
		const struct ptdbg_map_range *r = &s->ranges[i];
		if (i && r->va > s->ranges[i - 1].va + s->ranges[i - 1].size)
			draw_hole(f, s->ranges[i - 1].va + s->ranges[i - 1].size,
				  r->va - (s->ranges[i - 1].va + s->ranges[i - 1].size));
		bool nm = r->marker && (!marker || strcmp(marker, r->marker));
		draw_range(f, r, nm, s->pins, s->npins);
		marker = r->marker;
	}
	if (!s->nranges) {
		fprintf(f->out, "<text class=\"addr\" x=\"%.1f\" y=\"%.1f\">nothing mapped</text>\n",
			GUTTER - 6, f->y + BAND_H + BAR_H * 0.7);
		f->row_open = true;
	}
}

static void legend(FILE *out, double y)
{
	fprintf(out, "<g class=\"legend\"><text class=\"section\" x=\"16\" y=\"%.1f\">legend</text>\n",
		y + 14);
	double x = 16;
	y += 22;
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"14\" fill=\"%s\"/>"
			"<text class=\"legend\" x=\"%.1f\" y=\"%.1f\">%s</text>\n",
			x, y, classes[i].colour, x + 18, y + 11, classes[i].name);
		x += 110;
	}
	y += 24;
	x = 16;
	static const struct { uint64_t page; const char *name; } shades[] = {
		{ 4096, "pages up to 64K" }, { 2u << 20, "blocks below 1G" }, { 1ull << 30, "1G and larger" },
	};
	for (size_t i = 0; i < 3; i++) {
		fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"14\" fill=\"#555\" "
			"fill-opacity=\"%.2f\"/><text class=\"legend\" x=\"%.1f\" y=\"%.1f\">%s</text>\n",
			x, y, shade(shades[i].page), x + 18, y + 11, shades[i].name);
		x += 150;
	}
	fprintf(out, "<path class=\"pin\" d=\"M%.1f %.1f l-4 -7 h8 z\"/><text class=\"legend\" "
		"x=\"%.1f\" y=\"%.1f\">finding</text>\n", x + 7, y + 12, x + 18, y + 11);
	x += 100;
	fprintf(out, "<line class=\"hole\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
		"<text class=\"legend\" x=\"%.1f\" y=\"%.1f\">hole (width grows with the log of its size, "
		"as a range's does)</text></g>\n", x, y + 7, x + 14, y + 7, x + 18, y + 11);
}

int ptdbg_svg_map(FILE *out, const char *title, const struct ptdbg_map_section *sec, size_t nsec)
{
	char *body = NULL;
	size_t blen = 0;
	FILE *b = open_memstream(&body, &blen);
	if (!b)
		return -1;
	struct flow f = { .out = b, .x = GUTTER, .y = TOP, .row_open = false };
	for (size_t i = 0; i < nsec; i++) {
		draw_section(&f, &sec[i]);
		f.y += 8;
	}
	double legend_y = f.y + ROW_H;
	legend(b, legend_y);
	if (fclose(b)) {
		free(body);
		return -1;
	}
	double h = legend_y + 80;

	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%.0f\" "
		"height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n", WIDTH, h, WIDTH, h);
	fputs("<style>text{font-family:monospace;fill:#222}"
	      ".addr{font-size:10px;text-anchor:end}.marker{font-size:9px;fill:#444}"
	      ".section{font-size:13px;font-weight:bold}.legend{font-size:11px}"
	      ".title{font-size:16px;font-weight:bold}"
	      ".hole{stroke:#999;stroke-width:1.5;stroke-dasharray:2,2}"
	      ".range{stroke:#fff;stroke-width:0.3}.pin{fill:#b00000;stroke:#fff;stroke-width:0.5}"
	      "</style>\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n", out);
	fputs("<text class=\"title\" x=\"16\" y=\"26\">", out);
	xml_text(out, title);
	fputs("</text>\n", out);
	fwrite(body, 1, blen, out);
	free(body);
	fputs("</svg>\n", out);
	return ferror(out) ? -1 : 0;
}
