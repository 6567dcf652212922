/* The coordinators' figures of an edition (/defi/{year}/pilotage): teams
 * and confirmed participants by status, branch and region, each as
 * server-drawn bar charts (view/svg_chart.h) with a table of the same
 * figures, from the in-process index. */
#include <string.h>

#include "accounts/organisation.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/buf.h"
#include "db/doc.h"
#include "defi/coordination.h"
#include "defi/team_rules.h"
#include "defi/ui.h"
#include "web/page.h"
#include "view/svg_chart.h"

/* One dimension's counts: a row per code of its table, in its order. */
struct tally {
	const char *id, *title, *dimension;
	const char *const (*table)[2];
	size_t n;
	long long *teams, *people;
};

/* Returns the row of code in t's table, or -1. */
static long row_of(const struct tally *t, const char *code)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->table[i][0], code) == 0)
			return (long)i;
	return -1;
}

static void count(struct tally *t, const char *code, long long people)
{
	long i = row_of(t, code);
	if (i >= 0) {
		t->teams[i]++;
		t->people[i] += people;
	}
}

/* Returns a chart of values by t's labels: {id, title, svg}. New. */
static json_t *chart(struct arena *a, const struct tally *t, const char *suffix, const char *what,
		     const long long *values)
{
	struct chart_bar *bars = arena_alloc(a, t->n * sizeof(*bars));
	const char *desc = what;
	for (size_t i = 0; i < t->n; i++) {
		bars[i] = (struct chart_bar){t->table[i][1], values[i]};
		desc = arena_printf(a, "%s%s %s : %lld", desc, i ? " ;" : "", t->table[i][1],
				    values[i]);
	}
	const char *id = arena_printf(a, "%s-%s", t->id, suffix);
	const char *title = arena_printf(a, "%s par %s", what, t->dimension);
	struct buf svg = BUF_INIT;
	svg_bar_chart(&svg,
		      &(struct bar_chart){id, title, arena_printf(a, "%s.", desc), bars, t->n});
	json_t *out = json_pack("{s:s, s:s, s:s}", "id", id, "title", title, "svg", svg.data);
	buf_free(&svg);
	return out;
}

/* Returns the section of t: its two charts and its table. New. */
static json_t *section(struct arena *a, const struct tally *t)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < t->n; i++)
		json_array_append_new(rows, json_pack("{s:s, s:I, s:I}", "label", t->table[i][1],
						      "teams", (json_int_t)t->teams[i], "people",
						      (json_int_t)t->people[i]));
	return json_pack("{s:s, s:s, s:s, s:[o, o], s:o}", "id", t->id, "title", t->title,
			 "dimension", t->dimension, "charts",
			 chart(a, t, "equipes", "Équipes", t->teams),
			 chart(a, t, "participants", "Participants", t->people), "rows", rows);
}

/* The statuses as the figures show them: "Incomplète" apart from the
 * other drafts. */
static const char *const STATUS_ROWS[][2] = {
	{"brouillon", "Brouillon"},
	{"incomplete", "Incomplète"},
	{"deposee", "Candidature déposée"},
	{"retenue", "Retenue"},
	{"liste-attente", "Liste d’attente"},
	{"non-retenue", "Non retenue"},
	{"desistee", "Désistée"},
};

static struct tally tally_new(struct arena *a, const char *id, const char *title,
			      const char *dimension, const char *const (*table)[2], size_t n)
{
	struct tally t = {id,
			  title,
			  dimension,
			  table,
			  n,
			  arena_alloc(a, n * sizeof(long long)),
			  arena_alloc(a, n * sizeof(long long))};
	memset(t.teams, 0, n * sizeof(long long));
	memset(t.people, 0, n * sizeof(long long));
	return t;
}

void defi_figures_page(struct request *req)
{
	struct defi_rows r;
	const json_t *e = defi_rows_of_route_or_reply(req, NULL, &r);
	if (!e)
		return;
	struct arena *a = req->arena;
	struct tally status = tally_new(a, "statut", "Par statut", "statut", STATUS_ROWS,
					sizeof(STATUS_ROWS) / sizeof(*STATUS_ROWS));
	struct tally branch = tally_new(a, "branche", "Par branche", "branche",
					ORGANISATION_BRANCHES, ORGANISATION_BRANCHES_COUNT);
	struct tally region = tally_new(a, "region", "Par région", "région", ORGANISATION_REGIONS,
					ORGANISATION_REGIONS_COUNT);
	long long teams = 0, people = 0;
	json_t *s;
	size_t i;
	json_array_foreach(r.matches, i, s) {
		long long n = json_integer_value(json_object_get(s, "confirmed_count"));
		const json_t *org = json_object_get(r.orgs, json_str(s, "organisation_id"));
		count(&status,
		      json_is_true(json_object_get(s, "incomplete")) ? "incomplete"
								     : json_str(s, "status"),
		      n);
		count(&branch, json_str(org, "branch"), n);
		count(&region, json_str(org, "region"), n);
		teams++;
		people += n;
	}
	json_t *data = arena_json(a, json_pack("{s:O, s:I, s:I, s:[o, o, o], s:b}", "edition", e,
					       "teams", (json_int_t)teams, "people",
					       (json_int_t)people, "sections", section(a, &status),
					       section(a, &branch), section(a, &region),
					       "nav_figures", 1));
	page_reply(req, 200, "defi/figures",
		   arena_printf(a, "Pilotage du %s", json_str(e, "title")), "defi", data);
}
