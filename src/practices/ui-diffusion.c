/* How practices spread (/pratiques/diffusion, coordinators): reuses by
 * branch and by region of the adopting organisations, as server-drawn
 * SVG charts with their tables, which practice reached which branches and
 * regions, and the most reused practices overall and per theme. Reads the
 * catalogue only (adopters live in each practice), never "reuses". */
#include <stdlib.h>
#include <string.h>

#include "accounts/organisation.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/buf.h"
#include "core/labels.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/request.h"
#include "practices/reuse.h"
#include "practices/search.h"
#include "practices/themes.h"
#include "practices/ui.h"
#include "web/page.h"
#include "view/svg_chart.h"
#include "web/db_reply.h"

enum {
	TOP_SHOWN = 10,   /* "most reused" lists */
	ROWS_SHOWN = 100, /* practices in the spread table */
	MAX_PAGES = 500,  /* of SEARCH_PAGE_MAX practices: 50,000 */
};

/* Tallies of one dimension (branch or region): value → count. */
struct tally {
	const char **values;
	long long *counts;
	size_t n, cap;
};

static void tally_add(struct arena *a, struct tally *t, const char *value)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->values[i], value) == 0) {
			t->counts[i]++;
			return;
		}
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 32;
		const char **values = arena_alloc(a, cap * sizeof(*values));
		long long *counts = arena_alloc(a, cap * sizeof(*counts));
		if (t->n) {
			memcpy(values, t->values, t->n * sizeof(*values));
			memcpy(counts, t->counts, t->n * sizeof(*counts));
		}
		t->values = values;
		t->counts = counts;
		t->cap = cap;
	}
	t->values[t->n] = value;
	t->counts[t->n++] = 1;
}

static long long tally_of(const struct tally *t, const char *value)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->values[i], value) == 0)
			return t->counts[i];
	return 0;
}

/* Returns the distinct values of labels (a JSON array of strings) joined
 * by ", ", arena-owned. */
static const char *joined(struct arena *a, const json_t *labels)
{
	const char *out = "";
	json_t *l;
	size_t i;
	json_array_foreach(labels, i, l)
		out = arena_printf(a, "%s%s%s", out, *out ? ", " : "", json_string_value(l));
	return out;
}

/* Appends s to list unless already there. */
static void add_distinct(json_t *list, const char *s)
{
	json_t *l;
	size_t i;
	json_array_foreach(list, i, l)
		if (strcmp(json_string_value(l), s) == 0)
			return;
	json_array_append_new(list, json_string(s));
}

/* Everything the page computes from the reused practices. */
struct spread {
	struct tally branches, regions;
	json_t *rows; /* practices with their branches and regions (request's arena) */
	json_t *top;  /* the TOP_SHOWN most reused (request's arena) */
	long long total;
};

/* Counts the adopters of practice p (not abandoned) into s. */
static void count_practice(struct request *req, struct spread *s, const json_t *p, json_t *orgs)
{
	json_t *branches = json_array(), *regions = json_array(), *a;
	size_t i;
	json_array_foreach(json_object_get(p, "adopters"), i, a) {
		if (!reuse_stage_counts(json_str(a, "stage")))
			continue;
		json_t *org = organisation_in(orgs, json_str(a, "code"));
		const char *branch = json_str(org, "branch"), *region = json_str(org, "region");
		if (*branch) {
			tally_add(req->arena, &s->branches, arena_strdup(req->arena, branch));
			add_distinct(branches, organisation_branch_label(branch));
		}
		if (*region) {
			tally_add(req->arena, &s->regions, arena_strdup(req->arena, region));
			add_distinct(regions, region);
		}
		s->total++;
	}
	json_t *brief = json_pack("{s:s, s:s, s:I}", "title", json_str(p, "title"), "slug",
				  json_str(p, "slug"), "reuse_count",
				  json_integer_value(json_object_get(p, "reuse_count")));
	if (json_array_size(s->top) < TOP_SHOWN)
		json_array_append(s->top, brief);
	if (json_array_size(s->rows) < ROWS_SHOWN) {
		json_object_set_new(brief, "branches", json_string(joined(req->arena, branches)));
		json_object_set_new(brief, "regions", json_string(joined(req->arena, regions)));
		json_array_append(s->rows, brief);
	}
	json_decref(brief);
	json_decref(branches);
	json_decref(regions);
}

/* Walks the catalogue from the most reused down to the first practice
 * nobody reuses. Returns 0, or -1 after replying. */
static int walk_or_reply(struct request *req, struct spread *s, json_t *orgs)
{
	for (size_t page = 1; page <= MAX_PAGES; page++) {
		struct practice_query q = {.has_toolbox = -1,
					   .sort = PRACTICE_SORT_MOST_REUSED,
					   .page = page,
					   .page_size = SEARCH_PAGE_MAX};
		size_t total;
		json_t *briefs = practice_briefs_or_reply(req, &q, &total);
		if (!briefs)
			return -1;
		json_t *p;
		size_t i;
		bool done = json_array_size(briefs) < SEARCH_PAGE_MAX;
		json_array_foreach(briefs, i, p) {
			if (json_integer_value(json_object_get(p, "reuse_count")) <= 0) {
				done = true;
				break;
			}
			count_practice(req, s, p, orgs);
		}
		json_decref(briefs);
		if (done)
			break;
	}
	return 0;
}

/* Renders the chart of bars and returns {id, title, dimension, svg, rows
 * [{label, count}]} for the chart and its table. New reference. */
static json_t *chart(const char *id, const char *title, const char *dimension, const char *what,
		     const struct chart_bar *bars, size_t n, struct arena *a)
{
	const char *desc = what;
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++) {
		desc = arena_printf(a, "%s%s %s : %lld", desc, i ? " ;" : "", bars[i].label,
				    bars[i].value);
		json_array_append_new(rows, json_pack("{s:s, s:I}", "label", bars[i].label, "count",
						      (json_int_t)bars[i].value));
	}
	if (!n) {
		desc = arena_printf(a, "%s aucune réutilisation déclarée", desc);
		json_array_append_new(rows, json_pack("{s:s, s:i}", "label",
						      "Aucune réutilisation déclarée", "count", 0));
	}
	struct buf svg = BUF_INIT;
	svg_bar_chart(&svg, &(struct bar_chart){id, title, arena_printf(a, "%s.", desc), bars, n});
	json_t *out = json_pack("{s:s, s:s, s:s, s:s, s:o}", "id", id, "title", title, "dimension",
				dimension, "svg", svg.data, "rows", rows);
	buf_free(&svg);
	return out;
}

static int by_count_desc(const void *x, const void *y)
{
	const struct chart_bar *a = x, *b = y;
	if (a->value != b->value)
		return a->value < b->value ? 1 : -1;
	return strcmp(a->label, b->label);
}

/* Every branch, even those no reuse reached yet. */
static json_t *branch_chart(struct request *req, const struct tally *t)
{
	struct chart_bar *bars = arena_alloc(req->arena,
					     ORGANISATION_BRANCHES_COUNT * sizeof(*bars));
	for (size_t i = 0; i < ORGANISATION_BRANCHES_COUNT; i++)
		bars[i] = (struct chart_bar){ORGANISATION_BRANCHES[i][1],
					     tally_of(t, ORGANISATION_BRANCHES[i][0])};
	return chart(
		"diffusion-branches", "Réutilisations par branche", "Branche",
		"Réutilisations déclarées, hors abandons, selon la branche de l’organisme qui réutilise\u202f:",
		bars, ORGANISATION_BRANCHES_COUNT, req->arena);
}

/* The regions reached, most reuses first. */
static json_t *region_chart(struct request *req, const struct tally *t)
{
	struct chart_bar *bars = arena_alloc(req->arena, (t->n + 1) * sizeof(*bars));
	for (size_t i = 0; i < t->n; i++)
		bars[i] = (struct chart_bar){t->values[i], t->counts[i]};
	qsort(bars, t->n, sizeof(*bars), by_count_desc);
	return chart(
		"diffusion-regions", "Réutilisations par région", "Région",
		"Réutilisations déclarées, hors abandons, selon la région de l’organisme qui réutilise\u202f:",
		bars, t->n, req->arena);
}

/* Returns [{name, practices}] of the most reused practices per theme,
 * themes without reuse left out. Owned by the request's arena, or NULL
 * after replying. */
static json_t *top_per_theme_or_reply(struct request *req)
{
	bson_error_t error;
	json_t *themes = arena_json(req->arena, themes_all(req->db, &error));
	if (!themes) {
		db_fail(req, "listing themes", &error);
		return NULL;
	}
	json_t *out = arena_json(req->arena, json_array()), *t;
	size_t i;
	json_array_foreach(themes, i, t) {
		struct practice_query q = {.theme = json_str(t, "_id"),
					   .has_toolbox = -1,
					   .sort = PRACTICE_SORT_MOST_REUSED,
					   .page = 1,
					   .page_size = TOP_SHOWN};
		size_t total;
		json_t *briefs = practice_briefs_or_reply(req, &q, &total);
		if (!briefs)
			return NULL;
		json_t *reused = json_array(), *p;
		size_t j;
		json_array_foreach(briefs, j, p)
			if (json_integer_value(json_object_get(p, "reuse_count")) > 0)
				json_array_append(reused, p);
		json_decref(briefs);
		if (json_array_size(reused))
			json_array_append_new(
				out, json_pack("{s:s, s:s, s:o}", "code", json_str(t, "_id"),
					       "name", json_str(t, "name"), "practices", reused));
		else
			json_decref(reused);
	}
	return out;
}

void reuse_diffusion_page(struct request *req)
{
	bson_error_t error;
	json_t *orgs = arena_json(req->arena, organisations_all(req->db, &error));
	if (!orgs) {
		db_fail(req, "listing organisations", &error);
		return;
	}
	struct spread s = {.rows = arena_json(req->arena, json_array()),
			   .top = arena_json(req->arena, json_array())};
	json_t *themes = NULL;
	if (walk_or_reply(req, &s, orgs) || !(themes = top_per_theme_or_reply(req)))
		return;
	json_t *data = arena_json(
		req->arena, json_pack("{s:[o, o], s:O, s:O, s:O, s:I, s:b, s:b}", "charts",
				      branch_chart(req, &s.branches), region_chart(req, &s.regions),
				      "rows", s.rows, "top", s.top, "themes", themes, "total",
				      (json_int_t)s.total, "has_rows", json_array_size(s.rows) > 0,
				      "rows_cut", json_array_size(s.rows) == ROWS_SHOWN));
	page_reply(req, 200, "practices/diffusion", "Diffusion des pratiques", "store", data);
}
