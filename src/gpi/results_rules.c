/* The embargo and the laureates list (results_rules.h). */
#include "gpi/results_rules.h"

#include <stdio.h>

#include "accounts/roles.h"
#include "accounts/user.h"
#include "db/doc.h"
#include "gpi/edition.h"
#include "gpi/final_rules.h"

int64_t gpi_results_publish_ms(const json_t *e)
{
	int64_t start, end;
	if (!e || gpi_edition_phase(e, GPI_PHASE_CEREMONY, &start, &end))
		return INT64_MAX;
	return start;
}

bool gpi_results_published(const json_t *e, int64_t now_ms)
{
	return now_ms >= gpi_results_publish_ms(e);
}

bool gpi_results_insider(const struct user *user, int year)
{
	char scope[32];
	snprintf(scope, sizeof(scope), "gpi:%d", year);
	return user && user_is_active(user) &&
	       (user_has_role_in(user, ROLE_SECRETARIAT, scope) ||
		user_has_role_in(user, ROLE_GRAND_JUROR, scope));
}

bool gpi_results_visible(const struct user *user, const json_t *e, int64_t now_ms)
{
	return gpi_results_published(e, now_ms) || gpi_results_insider(user, gpi_edition_year(e));
}

/* Where the rows come from. */
struct rows {
	gpi_laureate_row_fn get;
	void *ctx;
};

/* Appends the item of prize to candidature id to list, when id names a
 * candidature that has a row. */
static void add(json_t *list, const json_t *e, const struct rows *rows, enum gpi_prize prize,
		const char *id, const char *prize_title)
{
	const json_t *row = id && *id ? rows->get(rows->ctx, id) : NULL;
	if (!row)
		return;
	struct gpi_endowment gold = {0, NULL};
	if (prize == GPI_PRIZE_OR)
		gold = gpi_gold_endowment(e, row);
	const char *category = json_str(row, "category");
	const json_t *c = gpi_edition_category(e, category);
	json_array_append_new(
		list,
		json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:o}",
			  "category", category, "category_name", c ? json_str(c, "name") : category,
			  "prize", gpi_prize_code(prize), "prize_label", gpi_prize_label(prize),
			  "prize_title", prize_title, "candidature_id", id, "title",
			  json_str(row, "title"), "organisation_id", json_str(row, "organisation_id"),
			  "project_id", json_str(row, "project_id"), "project_slug",
			  json_str(row, "project_slug"), "endowment_eur", (json_int_t)gold.eur,
			  "endowment_note", gold.note ? json_string(gold.note) : json_null()));
}

json_t *gpi_laureates_list(const json_t *e, const json_t *states, const json_t *results,
			   gpi_laureate_row_fn row, void *ctx)
{
	const struct rows r = {row, ctx}, *rows = &r;
	json_t *list = json_array();
	const json_t *c;
	size_t i;
	json_array_foreach(json_object_get(e, "categories"), i, c) {
		const json_t *state = json_object_get(states, json_str(c, "code"));
		for (enum gpi_prize p = GPI_PRIZE_OR; p < GPI_CATEGORY_PRIZES; p++)
			add(list, e, rows, p, state ? gpi_state_award(state, p) : NULL, "");
	}
	if (results) {
		const char *title = gpi_results_special_title(results);
		add(list, e, rows, GPI_PRIZE_COUP_DE_COEUR,
		    gpi_results_award(results, GPI_PRIZE_COUP_DE_COEUR), "");
		add(list, e, rows, GPI_PRIZE_SPECIAL, gpi_results_award(results, GPI_PRIZE_SPECIAL),
		    title ? title : "");
	}
	return list;
}

json_t *gpi_public_people(const json_t *cand)
{
	json_t *out = json_array();
	const json_t *p;
	size_t i;
	json_array_foreach(json_object_get(cand, "people"), i, p)
		if (!json_is_true(json_object_get(p, "publication_withdrawn")) &&
		    *json_str(p, "name"))
			json_array_append_new(out, json_pack("{s:s, s:s}", "name", json_str(p, "name"),
							     "role", json_str(p, "role")));
	return out;
}
