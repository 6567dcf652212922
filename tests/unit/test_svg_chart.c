/* The server-drawn bar chart: accessible naming, escaping, proportions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "view/svg_chart.h"

static int count(const char *s, const char *needle)
{
	int n = 0;
	for (const char *p = s; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void named_by_title_and_desc(void **state)
{
	(void)state;
	struct chart_bar bars[] = {{"Maladie", 4}, {"Famille", 2}, {"Retraite", 0}};
	struct buf out = BUF_INIT;
	svg_bar_chart(&out,
		      &(struct bar_chart){"c1", "Réutilisations par branche",
					  "Maladie : 4 ; Famille : 2 ; Retraite : 0.", bars, 3});
	const char *s = out.data;
	assert_true(strncmp(s, "<svg ", 5) == 0);
	assert_non_null(strstr(s, "role=\"img\""));
	assert_non_null(strstr(s, "aria-labelledby=\"c1-title\""));
	assert_non_null(strstr(s, "aria-describedby=\"c1-desc\""));
	assert_non_null(strstr(s, "<title id=\"c1-title\">Réutilisations par branche</title>"));
	assert_non_null(
		strstr(s, "<desc id=\"c1-desc\">Maladie : 4 ; Famille : 2 ; Retraite : 0.</desc>"));
	/* The title comes first, as assistive technologies expect. */
	assert_true(strstr(s, "<title") < strstr(s, "<desc"));
	assert_true(strstr(s, "<desc") < strstr(s, "<text"));
	/* No inline style or script: the CSP forbids them. */
	assert_null(strstr(s, "style="));
	assert_null(strstr(s, "<script"));
	/* One bar per non-zero value; every value written. */
	assert_int_equal(count(s, "<rect"), 2);
	assert_non_null(strstr(s, ">4</text>"));
	assert_non_null(strstr(s, ">0</text>"));
	/* The largest value gets the full width, half of it half. */
	assert_non_null(strstr(s, "width=\"360\""));
	assert_non_null(strstr(s, "width=\"180\""));
	assert_true(strcmp(s + out.len - 6, "</svg>") == 0);
	buf_free(&out);
}

static void text_is_escaped_and_cut(void **state)
{
	(void)state;
	struct chart_bar bars[] = {
		{"<script>alert(1)</script>", 1},
		{"Provence-Alpes-Côte d'Azur et un libellé bien trop long pour la colonne", 3},
		{"tiny", 1000000},
	};
	struct buf out = BUF_INIT;
	svg_bar_chart(&out, &(struct bar_chart){"x\"y", "A & B", "<b>", bars, 3});
	const char *s = out.data;
	assert_null(strstr(s, "<script"));
	assert_null(strstr(s, "<b>"));
	assert_non_null(strstr(s, "&lt;script&gt;"));
	assert_non_null(strstr(s, "A &amp; B"));
	assert_non_null(strstr(s, "id=\"x&quot;y-title\""));
	/* Cut after 30 characters (not bytes), with an ellipsis. */
	assert_non_null(strstr(s, ">Provence-Alpes-Côte d&#39;Azur et…</text>"));
	/* A tiny value against a huge one still shows a sliver. */
	assert_non_null(strstr(s, "width=\"2\""));
	buf_free(&out);
}

static void empty_chart_says_so(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	svg_bar_chart(&out, &(struct bar_chart){"e", "Rien", "Aucune réutilisation.", NULL, 0});
	assert_non_null(strstr(out.data, "Aucune donnée"));
	assert_null(strstr(out.data, "<rect"));
	assert_non_null(strstr(out.data, "<title id=\"e-title\">Rien</title>"));
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(named_by_title_and_desc),
		cmocka_unit_test(text_is_escaped_and_cut),
		cmocka_unit_test(empty_chart_says_so),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
