/* The coordinators' board (/projets/tableau): one column per stage, a
 * card per project with its organisation, the days since its last post,
 * measurement or move, and flags for open proposals and stalled projects;
 * filters by Défi edition of origin, branch, region, theme and
 * coordinator. A card moves through a plain form (no script). And the
 * funnel of a Défi edition (/projets/entonnoir?defi=<year>). Both read
 * the in-process index only (projects/index.h). */
#include <stdlib.h>
#include <string.h>

#include "accounts/organisation.h"
#include "accounts/user.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/buf.h"
#include "core/clock.h"
#include "db/doc.h"
#include "http/request.h"
#include "projects/board.h"
#include "projects/index.h"
#include "projects/project.h"
#include "projects/ui.h"
#include "projects/view.h"
#include "view/svg_chart.h"
#include "web/admin.h"
#include "web/db_reply.h"
#include "web/defi_team_link.h"
#include "web/page.h"

/* Returns the index (a reference the request's arena holds: never
 * decref'd), or NULL after replying 503. */
static json_t *index_or_reply(struct request *req)
{
	bson_error_t error;
	json_t *index = arena_json(req->arena, projects_index(req->db, &error));
	if (!index)
		db_fail(req, "loading the projects' index", &error);
	return index;
}

/* Returns the Défi edition asked for by ?defi=, or 0 for none or a value
 * that is no year. */
static long year_param(struct request *req)
{
	const char *text = request_param(req, "defi");
	char *end = NULL;
	long year = text && *text ? strtol(text, &end, 10) : 0;
	return end && !*end && year >= 2000 && year <= 2100 ? year : 0;
}

/* Returns the years of the Défi editions projects come from, newest
 * first, as <select> options with year marked. New reference. */
static json_t *year_options(const json_t *index, long year)
{
	char seen[101] = {0}; /* 2000..2100 */
	size_t i;
	json_t *s;
	json_array_foreach(index, i, s) {
		json_int_t y = json_integer_value(json_object_get(s, "origin_year"));
		if (!strcmp(json_str(s, "origin_kind"), "defi") && y >= 2000 && y <= 2100)
			seen[y - 2000] = 1;
	}
	json_t *out = json_array();
	for (int y = 2100; y >= 2000; y--)
		if (seen[y - 2000])
			json_array_append_new(
				out, json_pack("{s:i, s:b}", "value", y, "selected", y == year));
	return out;
}

/* Returns the stages a project at stage may be moved to, for the
 * column's form. New reference. */
static json_t *moves_from(enum project_stage stage)
{
	json_t *moves = json_array();
	for (int to = 0; to < PROJECT_STAGE_COUNT; to++)
		if (to != (int)stage)
			json_array_append_new(moves, json_pack("{s:s, s:s}", "value",
							       PROJECT_STAGES[to][0], "label",
							       PROJECT_STAGES[to][1]));
	return moves;
}

/* Orders a column: open proposals first (a coordinator has to answer
 * them), then the longest without activity (stalled ones on top). */
static int by_attention(const void *x, const void *y)
{
	const json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
	int pa = json_integer_value(json_object_get(a, "pending")) > 0;
	int pb = json_integer_value(json_object_get(b, "pending")) > 0;
	if (pa != pb)
		return pb - pa;
	json_int_t la = json_integer_value(json_object_get(a, "last_activity_ms"));
	json_int_t lb = json_integer_value(json_object_get(b, "last_activity_ms"));
	return (la > lb) - (la < lb);
}

/* Returns column stage of the board: {code, label, count, more, cards},
 * the PROJECT_BOARD_CARDS first of the n summaries at that stage (sorted
 * here) as cards. New reference. */
static json_t *column(struct request *req, enum project_stage stage, json_t **at, size_t n,
		      int64_t now, long *stalled)
{
	qsort(at, n, sizeof(*at), by_attention);
	json_t *cards = json_array();
	for (size_t i = 0; i < n; i++) {
		int64_t last = json_integer_value(json_object_get(at[i], "last_activity_ms"));
		*stalled += !strcmp(json_str(at[i], "state"), "active") &&
			    project_is_stalled(last, now);
		if (i >= PROJECT_BOARD_CARDS)
			continue;
		json_t *c = project_card(req, at[i]);
		json_object_set_new(c, "has_flags",
				    json_boolean(json_is_true(json_object_get(c, "stalled")) ||
						 json_is_true(json_object_get(c, "has_pending")) ||
						 json_is_true(json_object_get(c, "inactive"))));
		json_array_append_new(cards, c);
	}
	return json_pack("{s:s, s:s, s:I, s:I, s:o, s:b, s:o}", "code", PROJECT_STAGES[stage][0],
			 "label", PROJECT_STAGES[stage][1], "count", (json_int_t)n, "more",
			 (json_int_t)(n > PROJECT_BOARD_CARDS ? n - PROJECT_BOARD_CARDS : 0),
			 "cards", cards, "has_cards", n > 0, "moves", moves_from(stage));
}

/* Returns true when the board asked for shows only the visitor's
 * projects ("suivi=moi"): a page of their own. */
static bool only_mine(struct request *req)
{
	const char *mine = request_param(req, "suivi");
	return mine && !strcmp(mine, "moi");
}

int projects_index_fresh(struct request *req)
{
	bson_error_t error;
	return arena_json(req->arena, projects_index(req->db, &error)) ? 0 : -1;
}

int projects_board_personal(struct request *req)
{
	return only_mine(req) ? 1 : page_personal(req);
}

void projects_board_page(struct request *req)
{
	json_t *index = index_or_reply(req);
	if (!index)
		return;
	bool mine = only_mine(req);
	long year = year_param(req);
	struct project_filter f = {
		.branch = request_param(req, "branche"),
		.region = request_param(req, "region"),
		.theme = request_param(req, "theme"),
		.coordinator = mine ? req->user->id : NULL,
		.defi_year = year,
	};
	json_t *picked = projects_select(req, index, &f);
	size_t total = json_array_size(picked), n[PROJECT_STAGE_COUNT] = {0};
	json_t **at[PROJECT_STAGE_COUNT];
	for (int k = 0; k < PROJECT_STAGE_COUNT; k++)
		at[k] = arena_alloc(req->arena, (total + 1) * sizeof(json_t *));
	size_t i;
	json_t *s;
	json_array_foreach(picked, i, s) {
		int stage = project_stage_from(json_str(s, "stage"));
		if (stage >= 0)
			at[stage][n[stage]++] = s;
	}
	int64_t now = clock_now_ms();
	long stalled = 0;
	json_t *columns = json_array();
	for (int k = 0; k < PROJECT_STAGE_COUNT; k++)
		json_array_append_new(
			columns, column(req, (enum project_stage)k, at[k], n[k], now, &stalled));
	json_t *data = arena_json(
		req->arena,
		json_pack(
			"{s:o, s:I, s:I, s:{s:o, s:o, s:o, s:o, s:b}}", "columns", columns, "total",
			(json_int_t)total, "stalled", (json_int_t)stalled, "filters", "years",
			year_options(index, year), "branches",
			admin_options(ORGANISATION_BRANCHES, ORGANISATION_BRANCHES_COUNT, f.branch),
			"regions",
			admin_options(ORGANISATION_REGIONS, ORGANISATION_REGIONS_COUNT, f.region),
			"themes", project_theme_options(req, f.theme), "mine", mine));
	page_reply(req, 200, "projects/board", "Tableau des projets", "projects", data);
}

/* Returns the funnel's chart and table rows of f for the edition year:
 * {svg, rows: [{label, count}]}. New reference. */
static json_t *funnel_view(struct arena *a, const struct project_funnel *f, long year)
{
	enum { BARS = 2 + PROJECT_STAGE_COUNT };
	struct chart_bar bars[BARS] = {{"Équipes retenues", f->retained}, {"Projets", f->projects}};
	for (int s = 0; s < PROJECT_STAGE_COUNT; s++)
		bars[2 + s] = (struct chart_bar){PROJECT_STAGES[s][1], f->reached[s]};
	json_t *rows = json_array();
	const char *desc = "";
	for (int b = 0; b < BARS; b++) {
		json_array_append_new(rows, json_pack("{s:s, s:I}", "label", bars[b].label, "count",
						      (json_int_t)bars[b].value));
		desc = arena_printf(a, "%s%s%s : %lld", desc, b ? " ; " : "", bars[b].label,
				    bars[b].value);
	}
	struct buf svg = BUF_INIT;
	svg_bar_chart(&svg,
		      &(struct bar_chart){"entonnoir",
					  arena_printf(a, "Entonnoir du Défi du Lab %ld", year),
					  arena_printf(a, "%s.", desc), bars, BARS});
	json_t *out = json_pack("{s:s, s:o}", "svg", svg.data, "rows", rows);
	buf_free(&svg);
	return out;
}

void projects_funnel_page(struct request *req)
{
	json_t *index = index_or_reply(req);
	if (!index)
		return;
	long year = year_param(req);
	json_t *years = year_options(index, year);
	/* Without ?defi=, the latest edition projects come from. */
	if (!year && json_array_size(years)) {
		year = (long)json_integer_value(json_object_get(json_array_get(years, 0), "value"));
		json_object_set_new(json_array_get(years, 0), "selected", json_true());
	}
	json_t *data = arena_json(req->arena, json_pack("{s:o}", "years", years));
	if (year) {
		struct project_funnel f = {0};
		/* Without the Défi built in, no team was ever retained. */
		const struct defi_team_link_ops *defi = defi_team_link();
		bson_error_t error;
		if (defi && defi->retained(req, (int)year, &f.retained, &error)) {
			db_fail(req, "counting an edition's retained teams", &error);
			return;
		}
		size_t i;
		json_t *s;
		json_array_foreach(index, i, s) {
			int stage = project_stage_from(json_str(s, "stage"));
			if (stage >= 0 && !strcmp(json_str(s, "origin_kind"), "defi") &&
			    json_integer_value(json_object_get(s, "origin_year")) == year)
				project_funnel_count(&f, (enum project_stage)stage);
		}
		json_object_set_new(data, "year", json_integer(year));
		json_object_set_new(data, "funnel", funnel_view(req->arena, &f, year));
	}
	page_reply(req, 200, "projects/funnel",
		   year ? arena_printf(req->arena, "Entonnoir du Défi du Lab %ld", year)
			: "Entonnoir du Défi du Lab",
		   "projects", data);
}
