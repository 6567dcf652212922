/* A juror's side of the Grand Prix (gpi/jury.h):
 *   GET  /grand-prix/{year}/jury            their candidatures of the
 *        edition with their progress (scored, drafts, still to do);
 *   GET  /api/v1/gpi/me/assignments         the same over every edition;
 *   GET  /grand-prix/{year}/candidatures/{id}/conflit, POST the same and
 *        POST /api/v1/gpi/candidatures/{id}/conflict (reason)
 *        a declared conflict of interest, after which the candidature is
 *        a 404 for them.
 * Recused candidatures are never listed: gpi_juror_assignments goes
 * through gpi_candidature_may_see like every other path. */
#include <string.h>

#include "accounts/user.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/candidature_page.h"
#include "gpi/edition.h"
#include "gpi/grid_store.h"
#include "gpi/jury.h"
#include "gpi/ui.h"
#include "http/form.h"
#include "http/reply.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/form_reply.h"
#include "web/page.h"

/* The French label and code of each grid state, in enum order. */
static const char *const PROGRESS[][2] = {
	[GPI_GRID_NONE] = {"a-faire", "À noter"},
	[GPI_GRID_DRAFT] = {"brouillon", "Brouillon"},
	[GPI_GRID_SUBMITTED] = {"notee", "Notée"},
};

/* Returns the assignments of user in edition year (0: all) as the page
 * and the API show them: {items: [{candidature_id, year, category,
 * category_name, title, organisation_id, grid, grid_label, url,
 * grid_url, conflict_url}], counts {scored, drafts, to_do}}, or NULL
 * after replying the database's failure. New. */
static json_t *assignments(struct request *req, int year)
{
	bson_error_t error = {0};
	json_t *rows = gpi_juror_assignments(req->db, req->user, year, &error), *row;
	if (!rows) {
		db_fail(req, "reading a juror's candidatures", &error);
		return NULL;
	}
	json_t *items = json_array(), *grids = NULL;
	int counts[3] = {0}, grids_year = 0;
	size_t i;
	json_array_foreach(rows, i, row) {
		struct gpi_audience a = gpi_audience_of(req->db, row);
		if (!grids || grids_year != a.year) {
			json_decref(grids);
			grids_year = a.year;
			grids = gpi_grid_rows_of_juror(req->db, a.year, req->user->id, &error);
			if (!grids) {
				json_decref(items);
				json_decref(rows);
				db_fail(req, "reading a juror's grids", &error);
				return NULL;
			}
		}
		enum gpi_grid_state s = gpi_grid_state_in(grids, a.id);
		counts[s]++;
		const json_t *e = gpi_edition_get(req->db, a.year, &error);
		const json_t *cat = e ? gpi_edition_category(e, a.category) : NULL;
		const char *url = gpi_cand_url(req, a.year, a.id);
		json_array_append_new(
			items,
			json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
				  "candidature_id", a.id, "year", a.year, "category", a.category,
				  "category_name", cat ? json_str(cat, "name") : a.category, "title",
				  json_str(row, "title"), "organisation_id", a.organisation_id, "grid",
				  PROGRESS[s][0], "grid_label", PROGRESS[s][1], "url", url, "grid_url",
				  arena_printf(req->arena, "%s/grille", url), "conflict_url",
				  arena_printf(req->arena, "%s/conflit", url)));
	}
	json_decref(grids);
	json_decref(rows);
	return json_pack("{s:o, s:{s:i, s:i, s:i}}", "items", items, "counts", "scored",
			 counts[GPI_GRID_SUBMITTED], "drafts", counts[GPI_GRID_DRAFT], "to_do",
			 counts[GPI_GRID_NONE]);
}

void gpi_juror_page(struct request *req)
{
	const json_t *e = gpi_edition_of_route_or_reply(req);
	if (!e)
		return;
	int year = gpi_edition_year(e);
	bool juror = false;
	json_t *c;
	size_t i;
	json_array_foreach(json_object_get(e, "categories"), i, c)
		juror |= gpi_is_juror(req->user, year, json_str(c, "code"));
	/* Someone who judges nothing in this edition learns nothing of it. */
	if (!juror) {
		reply_not_found(req);
		return;
	}
	json_t *data = assignments(req, year);
	if (!data)
		return;
	json_object_set(data, "edition", (json_t *)e);
	json_object_set_new(data, "has_items",
			    json_boolean(json_array_size(json_object_get(data, "items"))));
	const char *done = request_param(req, "fait");
	if (done && !strcmp(done, "conflit"))
		json_object_set_new(data, "notice",
				    json_string("Votre conflit d’intérêts est enregistré\u202f: cette "
						"candidature ne vous est plus présentée."));
	page_reply(req, 200, "gpi/juror",
		   arena_printf(req->arena, "Mes candidatures à noter, %s", json_str(e, "title")),
		   "gpi", data);
	json_decref(data);
}

void gpi_api_my_assignments(struct request *req)
{
	json_t *data = assignments(req, 0);
	if (!data)
		return;
	reply_json(req, 200, data);
	json_decref(data);
}

/* Returns true when the visitor, who sees c, sits on the jury that judges
 * it (its category's, or the edition's grand jury); else replies 404. */
static bool judges_or_reply(struct request *req, const struct gpi_cand_ctx *c)
{
	const char *category = json_str(c->cand, "category");
	if (gpi_is_juror(req->user, c->year, category) || gpi_is_grand_juror(req->user, c->year))
		return true;
	reply_not_found(req);
	return false;
}

/* Replies the conflict form of c (status 200, or 422 with f's). */
static void conflict_page(struct request *req, const struct gpi_cand_ctx *c, int status,
			  struct form *f)
{
	json_t *data = arena_json(
		req->arena,
		json_pack("{s:O, s:s, s:s, s:s}", "edition", c->edition, "title",
			  json_str(c->cand, "title"), "url", gpi_cand_url(req, c->year, c->id),
			  "jury_url", arena_printf(req->arena, "/grand-prix/%d/jury", c->year)));
	const char *title = arena_printf(req->arena, "Déclarer un conflit d’intérêts\u202f: %s",
					 json_str(c->cand, "title"));
	if (f)
		form_reply_invalid(f, "gpi/conflict", title, "gpi", data);
	else
		page_reply(req, status, "gpi/conflict", title, "gpi", data);
}

void gpi_conflict_form(struct request *req)
{
	struct gpi_cand_ctx c;
	if (!gpi_cand_open(req, NULL, &c))
		return;
	if (judges_or_reply(req, &c))
		conflict_page(req, &c, 200, NULL);
	gpi_cand_close(&c);
}

void gpi_conflict_declare_route(struct request *req)
{
	struct gpi_cand_ctx c;
	if (!gpi_cand_open(req, NULL, &c))
		return;
	if (!judges_or_reply(req, &c)) {
		gpi_cand_close(&c);
		return;
	}
	struct form f;
	form_begin(&f, req);
	/* Not required here: gpi_conflict_reason_error says what is missing. */
	const char *reason = form_paragraphs(&f, "reason", GPI_CONFLICT_REASON_MAX, false);
	const char *problem = form_valid(&f) ? gpi_conflict_reason_error(reason) : NULL;
	if (problem)
		form_error(&f, "reason", problem);
	bson_error_t error = {0};
	struct audit_actor by = audit_actor_of(req, NULL);
	if (!form_valid(&f)) {
		if (req->is_api)
			form_reply_invalid(&f, NULL, NULL, NULL, NULL);
		else
			conflict_page(req, &c, 422, &f);
	} else if (gpi_conflict_declare(req->db, &by, c.cand, req->user, reason, &error)) {
		db_fail(req, "declaring a conflict of interest", &error);
	} else if (req->is_api) {
		reply_json(req, 200,
			   arena_json(req->arena, json_pack("{s:s, s:b}", "candidature_id", c.id,
							    "recused", true)));
	} else {
		reply_redirect(req, arena_printf(req->arena, "/grand-prix/%d/jury?fait=conflit",
						 c.year));
	}
	form_end(&f);
	gpi_cand_close(&c);
}
