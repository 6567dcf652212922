/* Bar charts as inline SVG, drawn by the server (no script, no inline
 * style: CSP-safe). Accessible as one image named by its <title> and
 * described by its <desc>; pages still give the same figures as a table. */
#ifndef COUSILAB_SVG_CHART_H
#define COUSILAB_SVG_CHART_H

#include <stddef.h>

struct buf;

enum {
	CHART_WIDTH = 640,
	CHART_ROW = 28,         /* height of one bar's row */
	CHART_LABEL_CHARS = 30, /* longer labels are cut with "…" (the table has them whole) */
};

struct chart_bar {
	const char *label; /* UTF-8 */
	long long value;   /* negative counts as 0 */
};

struct bar_chart {
	const char *id;    /* unique in the page; ids "<id>-title" and "<id>-desc" */
	const char *title; /* what the chart shows, short */
	const char *desc;  /* the figures in a sentence or two */
	const struct chart_bar *bars;
	size_t n;
};

/* Appends to out an <svg role="img"> horizontal bar chart of c: one row
 * per bar with its label, a bar proportional to the largest value and the
 * value; "Aucune donnée" when there is no bar. Every text is escaped.
 * Pure apart from out. */
void svg_bar_chart(struct buf *out, const struct bar_chart *c);

/* One measured point of a line chart: its label (a date) and value. */
struct chart_point {
	const char *label;
	double value;
};

enum { LINE_CHART_HEIGHT = 240 };

struct line_chart {
	const char *id;                   /* unique in the page; ids "<id>-title" and "<id>-desc" */
	const char *title;                /* what the chart shows, short */
	const char *desc;                 /* the figures in a sentence or two */
	const struct chart_point *points; /* in time order, evenly spaced */
	size_t n;
	double target; /* drawn as a dashed line with its value */
};

/* Appends to out an <svg role="img"> line chart of c: the points joined
 * in order, the first and last labels under the axis, and the target as
 * a dashed line; "Aucune mesure" when there is no point. Every text is
 * escaped. Pure apart from out. */
void svg_line_chart(struct buf *out, const struct line_chart *c);

#endif
