/* A category's ranking and the close of its scoring (issue 13, article
 * 7):
 *   GET  /grand-prix/{year}/classement?categorie=        the page
 *   GET  /api/v1/gpi/editions/{year}/ranking?category=   its JSON
 *   GET  /grand-prix/{year}/classement/{category}/cloture   confirmation
 *   POST /grand-prix/{year}/classement/{category}/cloture and
 *   POST /api/v1/gpi/editions/{year}/categories/{category}/close-scoring
 * The secretariat sees the ranking at any time; a juror of the category
 * only once its scoring is closed ("chacun de leur côté": no running
 * ranking), and without the candidatures they are recused from; anyone
 * else gets a 404. The ranking is compiled from the in-process indexes
 * on every request (gpi_ranking_compile): nothing stale to invalidate. */
#include <string.h>

#include "accounts/user.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "db/db.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/desk.h"
#include "gpi/edition.h"
#include "gpi/grid_view.h"
#include "gpi/jury.h"
#include "gpi/ranking.h"
#include "gpi/results.h"
#include "gpi/ui.h"
#include "http/reply.h"
#include "web/confirm.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/page.h"

/* Removes from ranking's items what user may not see (a juror's recusals).
 * Returns 0, or -1 with error set. */
static int keep_visible(struct db_ctx *db, const struct user *user, json_t *ranking,
			bson_error_t *error)
{
	json_t *items = json_object_get(ranking, "items"), *it;
	json_t *kept = arena_json(db->arena, json_array());
	size_t i;
	json_array_foreach(items, i, it) {
		json_t *row = gpi_index_row(db, json_str(it, "candidature_id"), error);
		if (!row && error->code)
			return -1;
		struct gpi_audience a = gpi_audience_of(db, row);
		if (row && gpi_candidature_may_see(user, &a))
			json_array_append(kept, it);
		json_decref(row);
	}
	json_object_set(ranking, "items", kept);
	return 0;
}

/* Returns the ranking of e's category as the visitor may see it (owned by
 * the request's arena; *secretariat says whether they are its secretariat), or NULL
 * after replying 404 (no such category, or neither its secretariat nor
 * its juror), 403 (a juror before the close) or the database's
 * failure. */
static json_t *ranking_for_or_reply(struct request *req, const json_t *e, const char *category,
				    bool *secretariat)
{
	int year = gpi_edition_year(e);
	if (!category || !gpi_edition_category(e, category)) {
		reply_not_found(req);
		return NULL;
	}
	*secretariat = gpi_is_secretariat(req->user, year);
	bool juror = gpi_is_juror(req->user, year, category);
	if (!*secretariat && !juror) {
		reply_not_found(req);
		return NULL;
	}
	bson_error_t error;
	const json_t *state = gpi_category_state(req->db, year, category, &error);
	if (!state) {
		db_fail(req, "reading a category's state", &error);
		return NULL;
	}
	bool closed = gpi_state_scoring_closed(state);
	if (!*secretariat && !closed) {
		reply_error(req, 403, "scoring_open",
			    "Le classement sera visible quand le secrétariat aura clos la notation "
			    "de la catégorie.",
			    NULL);
		return NULL;
	}
	json_t *ranking = gpi_ranking_compile(req->db, e, category, &error);
	if (ranking && !*secretariat && keep_visible(req->db, req->user, ranking, &error))
		ranking = NULL;
	if (!ranking) {
		db_fail(req, "compiling a ranking", &error);
		return NULL;
	}
	json_object_set_new(ranking, "scoring_closed", json_boolean(closed));
	json_object_set(ranking, "scoring_closed_at", json_object_get(state, "scoring_closed_at"));
	return ranking;
}

void gpi_api_ranking(struct request *req)
{
	const json_t *e = gpi_edition_of_route_or_reply(req);
	bool secretariat;
	json_t *ranking = e ? ranking_for_or_reply(req, e, request_param(req, "category"),
						   &secretariat)
			    : NULL;
	if (!ranking)
		return;
	reply_json(req, 200, ranking);
}

/* Returns the category the page shows: ?categorie=, else the first of e
 * the visitor may see the ranking of (the secretariat: the first one;
 * a juror: their category). Borrowed; NULL when e has none. */
static const char *chosen_category(struct request *req, const json_t *e)
{
	const char *asked = request_param(req, "categorie");
	if (asked && *asked)
		return asked;
	int year = gpi_edition_year(e);
	const json_t *c;
	size_t i;
	json_array_foreach(json_object_get(e, "categories"), i, c)
		if (gpi_is_secretariat(req->user, year) ||
		    gpi_is_juror(req->user, year, json_str(c, "code")))
			return json_str(c, "code");
	return NULL;
}

/* The category tabs of the secretariat's page. New reference. */
static json_t *category_links(struct request *req, const json_t *e, const char *chosen)
{
	json_t *out = json_array(), *c;
	size_t i;
	json_array_foreach(json_object_get(e, "categories"), i, c) {
		const char *code = json_str(c, "code");
		json_array_append_new(
			out,
			json_pack("{s:s, s:s, s:b}", "name", json_str(c, "name"), "url",
				  arena_printf(req->arena, "/grand-prix/%d/classement?categorie=%s",
					       gpi_edition_year(e), code),
				  "current", !strcmp(code, chosen)));
	}
	return out;
}

void gpi_ranking_page(struct request *req)
{
	const json_t *e = gpi_edition_of_route_or_reply(req);
	if (!e)
		return;
	const char *category = chosen_category(req, e);
	bool secretariat;
	json_t *ranking = ranking_for_or_reply(req, e, category, &secretariat);
	if (!ranking)
		return;
	int year = gpi_edition_year(e);
	const char *name = gpi_desk_category_name(e, category);
	json_t *it;
	size_t i;
	json_array_foreach(json_object_get(ranking, "items"), i, it) {
		json_object_set_new(
			it, "url",
			json_string(arena_printf(req->arena, "/grand-prix/%d/candidatures/%s%s",
						 year, json_str(it, "candidature_id"),
						 secretariat ? "/grilles" : "")));
		json_object_set_new(
			it, "mean_fr",
			json_string(gpi_mean_fr(req->arena,
						json_number_value(json_object_get(it, "mean")))));
	}
	json_t *data = arena_json(
		req->arena,
		json_pack("{s:O, s:O, s:s, s:s, s:b, s:o, s:s, s:s, s:s}", "edition", e, "ranking",
			  ranking, "category", category, "category_name", name, "secretariat",
			  secretariat, "categories", category_links(req, e, category), "close_url",
			  arena_printf(req->arena, "/grand-prix/%d/classement/%s/cloture", year,
				       category),
			  "ranking_csv",
			  arena_printf(req->arena, "/grand-prix/%d/classement.csv?categorie=%s",
				       year, category),
			  "grids_csv",
			  arena_printf(req->arena, "/grand-prix/%d/grilles.csv?categorie=%s", year,
				       category)));
	const char *done = request_param(req, "fait");
	if (done && !strcmp(done, "cloture"))
		json_object_set_new(data, "notice",
				    json_string("La notation de la catégorie est close."));
	page_reply(req, 200, "gpi/ranking", arena_printf(req->arena, "Classement\u202f: %s", name),
		   "gpi", data);
}

/* ---- Closing the scoring of a category ---- */

/* Returns the route's category of edition e, or NULL after replying 404. */
static const char *route_category_or_reply(struct request *req, const json_t *e)
{
	const char *category = request_param(req, "category");
	if (!category || !gpi_edition_category(e, category)) {
		reply_not_found(req);
		return NULL;
	}
	return category;
}

void gpi_scoring_close_confirm(struct request *req)
{
	const json_t *e = gpi_edition_of_route_or_reply(req);
	const char *category = e ? route_category_or_reply(req, e) : NULL;
	if (!category)
		return;
	int year = gpi_edition_year(e);
	struct confirm_page c = {
		.title = "Clore la notation de cette catégorie\u202f?",
		.subject = gpi_desk_category_name(e, category),
		.consequence =
			"Les jurés ne pourront plus modifier ni soumettre de grille\u202f: seules "
			"les grilles soumises comptent. Ils verront alors le classement de "
			"la catégorie. La clôture est définitive.",
		.action = arena_printf(req->arena, "/grand-prix/%d/classement/%s/cloture", year,
				       category),
		.button = "Clore la notation",
		.cancel = arena_printf(req->arena, "/grand-prix/%d/classement?categorie=%s", year,
				       category),
	};
	confirm_page_reply(req, &c);
}

void gpi_scoring_close(struct request *req)
{
	const json_t *e = gpi_edition_of_route_or_reply(req);
	const char *category = e ? route_category_or_reply(req, e) : NULL;
	if (!category)
		return;
	int year = gpi_edition_year(e);
	bson_error_t error;
	const json_t *state = gpi_category_state(req->db, year, category, &error);
	if (!state) {
		db_fail(req, "reading a category's state", &error);
		return;
	}
	/* Closing twice keeps the first close: its instant is the one that
	 * counted. */
	if (!gpi_state_scoring_closed(state)) {
		struct audit_actor by = audit_actor_of(req, NULL);
		if (gpi_state_close_scoring(req->db, &by, year, category, &error)) {
			db_fail(req, "closing a category's scoring", &error);
			return;
		}
		state = gpi_category_state(req->db, year, category, &error);
	}
	if (!req->is_api) {
		reply_redirect(req,
			       arena_printf(req->arena,
					    "/grand-prix/%d/classement?categorie=%s&fait=cloture",
					    year, category));
		return;
	}
	reply_json(
		req, 200,
		arena_json(req->arena,
			   json_pack("{s:s, s:b, s:O*, s:O*}", "category", category,
				     "scoring_closed", true, "scoring_closed_at",
				     state ? json_object_get(state, "scoring_closed_at") : NULL,
				     "scoring_closed_by",
				     state ? json_object_get(state, "scoring_closed_by") : NULL)));
}
