#include "view/svg_chart.h"

#include <stdbool.h>
#include <string.h>

#include "core/buf.h"

enum {
	LABEL_RIGHT = 200, /* labels end here, bars start a little after */
	BAR_LEFT = 208,
	BAR_MAX = 360,     /* room left for the value after the longest bar */
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

void svg_bar_chart(struct buf *out, const struct bar_chart *c)
{
	long long max = 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->bars[i].value > max)
			max = c->bars[i].value;
	size_t rows = c->n ? c->n : 1;
	int height = (int)rows * CHART_ROW + 2 * PAD;
	buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\""
		   " width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\"", CHART_WIDTH, height,
		   CHART_WIDTH, height);
	buf_puts(out, " aria-labelledby=\"");
	put_html(out, c->id);
	buf_puts(out, "-title\" aria-describedby=\"");
	put_html(out, c->id);
	buf_puts(out, "-desc\">\n<title id=\"");
	put_html(out, c->id);
	buf_puts(out, "-title\">");
	put_html(out, c->title);
	buf_puts(out, "</title>\n<desc id=\"");
	put_html(out, c->id);
	buf_puts(out, "-desc\">");
	put_html(out, c->desc);
	buf_puts(out, "</desc>\n");
	if (!c->n)
		buf_printf(out, "<text class=\"chart__label\" x=\"%d\" y=\"%d\" fill=\"#161616\""
			   " font-size=\"14\">Aucune donnée</text>\n", PAD, PAD + CHART_ROW / 2 + 5);
	for (size_t i = 0; i < c->n; i++) {
		long long v = c->bars[i].value > 0 ? c->bars[i].value : 0;
		int width = max ? (int)((v * BAR_MAX + max / 2) / max) : 0;
		if (v > 0 && width < 2)
			width = 2;
		int top = PAD + (int)i * CHART_ROW;
		int baseline = top + CHART_ROW / 2 + 5;
		buf_printf(out, "<text class=\"chart__label\" x=\"%d\" y=\"%d\" text-anchor=\"end\""
			   " fill=\"#161616\" font-size=\"14\">", LABEL_RIGHT, baseline);
		put_label(out, c->bars[i].label);
		buf_puts(out, "</text>");
		if (width)
			buf_printf(out, "<rect class=\"chart__bar\" x=\"%d\" y=\"%d\" width=\"%d\""
				   " height=\"%d\" fill=\"#000091\"/>", BAR_LEFT,
				   top + (CHART_ROW - BAR_HEIGHT) / 2, width, BAR_HEIGHT);
		buf_printf(out, "<text class=\"chart__value\" x=\"%d\" y=\"%d\" fill=\"#161616\""
			   " font-size=\"14\">%lld</text>\n", BAR_LEFT + width + 6, baseline, v);
	}
	buf_puts(out, "</svg>");
}
