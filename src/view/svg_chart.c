#include "view/svg_chart.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"

enum {
	LABEL_RIGHT = 200, /* labels end here, bars start a little after */
	BAR_LEFT = 208,
	BAR_MAX = 360, /* room left for the value after the longest bar */
	BAR_HEIGHT = 18,
	PAD = 8,
};

static void put_html(struct buf *out, const char *s)
{
	buf_append_html(out, s ? s : "", s ? strlen(s) : 0);
}

/* Appends label escaped, cut after CHART_LABEL_CHARS characters. */
static void put_label(struct buf *out, const char *label)
{
	size_t bytes = 0, chars = 0, len = label ? strlen(label) : 0;
	while (bytes < len && chars < CHART_LABEL_CHARS) {
		bytes++;
		while (bytes < len && ((unsigned char)label[bytes] & 0xC0) == 0x80)
			bytes++;
		chars++;
	}
	bool cut = bytes < len;
	while (cut && bytes > 0 && label[bytes - 1] == ' ')
		bytes--;
	buf_append_html(out, label ? label : "", bytes);
	if (cut)
		buf_puts(out, "…");
}

/* Appends the opening <svg role="img"> of a chart height pixels high,
 * named by its <title> and described by its <desc> (ids from id). */
static void open_svg(struct buf *out, int height, const char *id, const char *title,
		     const char *desc)
{
	buf_printf(out,
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\""
		   " width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\"",
		   CHART_WIDTH, height, CHART_WIDTH, height);
	buf_puts(out, " aria-labelledby=\"");
	put_html(out, id);
	buf_puts(out, "-title\" aria-describedby=\"");
	put_html(out, id);
	buf_puts(out, "-desc\">\n<title id=\"");
	put_html(out, id);
	buf_puts(out, "-title\">");
	put_html(out, title);
	buf_puts(out, "</title>\n<desc id=\"");
	put_html(out, id);
	buf_puts(out, "-desc\">");
	put_html(out, desc);
	buf_puts(out, "</desc>\n");
}

void svg_bar_chart(struct buf *out, const struct bar_chart *c)
{
	long long max = 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->bars[i].value > max)
			max = c->bars[i].value;
	size_t rows = c->n ? c->n : 1;
	int height = (int)rows * CHART_ROW + 2 * PAD;
	open_svg(out, height, c->id, c->title, c->desc);
	if (!c->n)
		buf_printf(out,
			   "<text class=\"chart__label\" x=\"%d\" y=\"%d\" fill=\"#161616\""
			   " font-size=\"14\">Aucune donnée</text>\n",
			   PAD, PAD + CHART_ROW / 2 + 5);
	for (size_t i = 0; i < c->n; i++) {
		long long v = c->bars[i].value > 0 ? c->bars[i].value : 0;
		int width = max ? (int)((v * BAR_MAX + max / 2) / max) : 0;
		if (v > 0 && width < 2)
			width = 2;
		int top = PAD + (int)i * CHART_ROW;
		int baseline = top + CHART_ROW / 2 + 5;
		buf_printf(out,
			   "<text class=\"chart__label\" x=\"%d\" y=\"%d\" text-anchor=\"end\""
			   " fill=\"#161616\" font-size=\"14\">",
			   LABEL_RIGHT, baseline);
		put_label(out, c->bars[i].label);
		buf_puts(out, "</text>");
		if (width)
			buf_printf(out,
				   "<rect class=\"chart__bar\" x=\"%d\" y=\"%d\" width=\"%d\""
				   " height=\"%d\" fill=\"#000091\"/>",
				   BAR_LEFT, top + (CHART_ROW - BAR_HEIGHT) / 2, width, BAR_HEIGHT);
		buf_printf(out,
			   "<text class=\"chart__value\" x=\"%d\" y=\"%d\" fill=\"#161616\""
			   " font-size=\"14\">%lld</text>\n",
			   BAR_LEFT + width + 6, baseline, v);
	}
	buf_puts(out, "</svg>");
}

/* Appends v in French form with at most two decimals ("3,5", "12"). */
static void put_number(struct buf *out, double v)
{
	char text[48];
	snprintf(text, sizeof(text), "%.2f", v);
	char *end = text + strlen(text) - 1;
	while (*end == '0')
		*end-- = '\0';
	if (*end == '.')
		*end = '\0';
	for (char *p = text; *p; p++)
		if (*p == '.')
			*p = ',';
	buf_puts(out, text);
}

void svg_line_chart(struct buf *out, const struct line_chart *c)
{
	enum {
		H = LINE_CHART_HEIGHT,
		LEFT = 64,
		RIGHT = CHART_WIDTH - 24,
		TOP = 16,
		BOTTOM = H - 40
	};
	open_svg(out, H, c->id, c->title, c->desc);
	double lo = c->target, hi = c->target;
	for (size_t i = 0; i < c->n; i++) {
		lo = c->points[i].value < lo ? c->points[i].value : lo;
		hi = c->points[i].value > hi ? c->points[i].value : hi;
	}
	if (hi - lo < 1e-9) {
		lo -= 1;
		hi += 1;
	}
	double span = hi - lo;
	lo -= span * 0.1;
	hi += span * 0.1;
#define Y_OF(v) (BOTTOM - (int)(((v)-lo) * (BOTTOM - TOP) / (hi - lo) + 0.5))
#define X_OF(i) (c->n > 1 ? LEFT + (int)((i) * (RIGHT - LEFT) / (c->n - 1)) : (LEFT + RIGHT) / 2)
	buf_printf(out,
		   "<line class=\"chart__axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\""
		   " stroke=\"#666\"/>\n",
		   LEFT, BOTTOM, RIGHT, BOTTOM);
	int ty = Y_OF(c->target);
	buf_printf(out,
		   "<line class=\"chart__target\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\""
		   " stroke=\"#b34000\" stroke-dasharray=\"6 4\"/>\n",
		   LEFT, ty, RIGHT, ty);
	buf_printf(out,
		   "<text class=\"chart__label\" x=\"%d\" y=\"%d\" text-anchor=\"end\""
		   " fill=\"#161616\" font-size=\"12\">Cible ",
		   LEFT - 4, ty + 4);
	put_number(out, c->target);
	buf_puts(out, "</text>\n");
	if (!c->n) {
		buf_printf(out,
			   "<text class=\"chart__label\" x=\"%d\" y=\"%d\" fill=\"#161616\""
			   " font-size=\"14\">Aucune mesure</text>\n",
			   LEFT + 8, (TOP + BOTTOM) / 2);
	} else {
		buf_puts(out, "<polyline class=\"chart__line\" fill=\"none\" stroke=\"#000091\""
			      " stroke-width=\"2\" points=\"");
		for (size_t i = 0; i < c->n; i++)
			buf_printf(out, "%s%d,%d", i ? " " : "", X_OF(i), Y_OF(c->points[i].value));
		buf_puts(out, "\"/>\n");
	}
	for (size_t i = 0; i < c->n; i++) {
		int x = X_OF(i), y = Y_OF(c->points[i].value);
		buf_printf(out, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"#000091\"/>", x, y);
		/* Dates under the first and last points only: the table has
		 * every one of them. */
		if (i == 0 || i + 1 == c->n) {
			buf_printf(out,
				   "<text class=\"chart__label\" x=\"%d\" y=\"%d\""
				   " text-anchor=\"%s\" fill=\"#161616\" font-size=\"12\">",
				   x, BOTTOM + 18,
				   c->n == 1 ? "middle"
				   : i == 0  ? "start"
					     : "end");
			put_html(out, c->points[i].label);
			buf_puts(out, "</text>");
		}
		buf_putc(out, '\n');
	}
#undef Y_OF
#undef X_OF
	buf_puts(out, "</svg>");
}
