/* A juror's side of the Grand Prix (gpi/jury.h):
 *   GET  /grand-prix/{year}/jury            their candidatures of the
 *        edition, 50 a page, with their progress over all of them
 *        (scored, drafts, still to do), filtered by state (?etat=a-faire,
 *        brouillon, notee); kept a moment for them alone through the page
 *        cache (gpi_juror_personal);
 *   GET  /api/v1/gpi/me/assignments         the same over every edition,
 *        a page at a time (page, page_size);
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
#include "gpi/juror_list.h"
#include "gpi/jury.h"
#include "gpi/serial.h"
#include "gpi/ui.h"
#include "http/form.h"
#include "http/reply.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/form_reply.h"
#include "web/page.h"
#include "web/pager.h"

enum { JUROR_PAGE_SIZE = 50, JUROR_API_PAGE_SIZE_MAX = 500 };

/* Returns the item of the i-th row l keeps, as the page and the API show
 * it: {candidature_id, year, category, category_name, title,
 * organisation_id, grid, grid_label, url, grid_url, conflict_url}. e is
 * the row's edition (may be NULL). New. */
static json_t *item_of(struct request *req, const struct gpi_juror_list *l, size_t i,
		       const json_t *e)
{
	const json_t *row = gpi_juror_list_row(l, i);
	enum gpi_grid_state s = gpi_juror_list_state(l, i);
	int year = (int)json_integer_value(json_object_get(row, "year"));
	const char *id = json_str(row, "id"), *category = json_str(row, "category");
	const json_t *cat = e ? gpi_edition_category(e, category) : NULL;
	const char *url = gpi_cand_url(req, year, id);
	return json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
			 "candidature_id", id, "year", year, "category", category, "category_name",
			 cat ? json_str(cat, "name") : category, "title", json_str(row, "title"),
			 "organisation_id", json_str(row, "organisation_id"), "grid",
			 GPI_GRID_STATE_CODES[s], "grid_label", GPI_GRID_STATE_LABELS[s], "url",
			 url, "grid_url", arena_printf(req->arena, "%s/grille", url),
			 "conflict_url", arena_printf(req->arena, "%s/conflit", url));
}

/* Returns the items of page (1-based, size rows a page) of what l keeps.
 * New. */
static json_t *page_items(struct request *req, const struct gpi_juror_list *l, long page, long size)
{
	json_t *items = json_array();
	const json_t *e = NULL;
	int e_year = 0;
	size_t end = (size_t)(page * size);
	for (size_t i = (size_t)(page - 1) * (size_t)size; i < l->n_kept && i < end; i++) {
		const json_t *row = gpi_juror_list_row(l, i);
		int year = (int)json_integer_value(json_object_get(row, "year"));
		if (year != e_year) {
			bson_error_t error;
			e = gpi_edition_get(req->db, e_year = year, &error);
		}
		json_array_append_new(items, item_of(req, l, i, e));
	}
	return items;
}

/* Returns the counts of l as the page and the API show them: {scored,
 * drafts, to_do, total} over every assignment, whatever the filter.
 * New. */
static json_t *counts_of(const struct gpi_juror_list *l)
{
	return json_pack("{s:i, s:i, s:i, s:I}", "scored", l->counts[GPI_GRID_SUBMITTED], "drafts",
			 l->counts[GPI_GRID_DRAFT], "to_do", l->counts[GPI_GRID_NONE], "total",
			 (json_int_t)json_array_size(l->rows));
}

/* Returns the request's filter: the state ?etat= names, or -1 (none)
 * for anything else. */
static int filter_param(struct request *req)
{
	return gpi_grid_state_from(request_param(req, "etat"));
}

/* Opens the list of the visitor's assignments in edition year (0: all)
 * that filter keeps. Returns false after replying the database's
 * failure. */
static bool list_or_reply(struct request *req, int year, int filter, struct gpi_juror_list *l)
{
	bson_error_t error = {0};
	if (gpi_juror_list_open(req->db, req->user, year, filter, l, &error) == 0)
		return true;
	db_fail(req, "reading a juror's candidatures", &error);
	return false;
}

/* Returns the codes of the categories of edition e the visitor judges,
 * each followed by a space, or NULL when none: who judges nothing in the
 * edition learns nothing of it. Arena. */
static const char *judged_categories(struct request *req, const json_t *e)
{
	int year = gpi_edition_year(e);
	const char *codes = NULL;
	json_t *c;
	size_t i;
	json_array_foreach(json_object_get(e, "categories"), i, c)
		if (gpi_is_juror(req->user, year, json_str(c, "code")))
			codes = arena_printf(req->arena, "%s%s ", codes ? codes : "",
					     json_str(c, "code"));
	return codes;
}

int gpi_juror_personal(struct request *req)
{
	/* Read before anything the page shows: a copy kept under it is
	 * stale as soon as one of those is replaced in this process. */
	uint64_t serial = gpi_serial();
	int year = request_year_param(req);
	bson_error_t error;
	const json_t *e = year ? gpi_edition_get(req->db, year, &error) : NULL;
	const char *judged = e ? judged_categories(req, e) : NULL;
	if (!judged)
		return 1;
	/* The router keeps it under the visitor's id too: theirs alone. */
	const char *organisation = req->user->organisation ? req->user->organisation : "";
	req->share_own = true;
	req->share_key = arena_printf(req->arena, "gpi %llu|%s|%s", (unsigned long long)serial,
				      organisation, judged);
	return page_personal(req);
}

/* The filter links of the page, in the order a juror works through them:
 * [{label, count, url, current}]. New. */
static json_t *filter_links(struct request *req, const struct gpi_juror_list *l, int year,
			    int filter)
{
	static const int ORDER[] = {GPI_GRID_NONE, GPI_GRID_DRAFT, GPI_GRID_SUBMITTED};
	static const char *const WORDS[] = {
		[GPI_GRID_NONE] = "à noter",
		[GPI_GRID_DRAFT] = "en brouillon",
		[GPI_GRID_SUBMITTED] = "notée(s)",
	};
	const char *base = arena_printf(req->arena, "/grand-prix/%d/jury", year);
	json_t *links = json_array();
	json_array_append_new(links, json_pack("{s:s, s:I, s:s, s:b}", "words", "en tout", "count",
					       (json_int_t)json_array_size(l->rows), "url", base,
					       "current", filter < 0));
	for (size_t k = 0; k < sizeof(ORDER) / sizeof(*ORDER); k++) {
		int s = ORDER[k];
		json_array_append_new(links, json_pack("{s:s, s:i, s:s, s:b}", "words", WORDS[s],
						       "count", l->counts[s], "url",
						       arena_printf(req->arena, "%s?etat=%s", base,
								    GPI_GRID_STATE_CODES[s]),
						       "current", filter == s));
	}
	return links;
}

void gpi_juror_page(struct request *req)
{
	const json_t *e = gpi_edition_of_route_or_reply(req);
	if (!e)
		return;
	int year = gpi_edition_year(e);
	if (!judged_categories(req, e)) {
		reply_not_found(req);
		return;
	}
	int filter = filter_param(req);
	struct gpi_juror_list l;
	if (!list_or_reply(req, year, filter, &l))
		return;
	long pages = (long)pager_pages((int64_t)l.n_kept, JUROR_PAGE_SIZE);
	long page = pager_number(req, "page", 1, pages);
	static const char *const FILTERS[] = {"etat", NULL};
	const char *link = arena_printf(req->arena, "/grand-prix/%d/jury?%spage=", year,
					pager_filter_query(req, FILTERS));
	json_t *pager = pager_new(
		page, pages, page > 1 ? arena_printf(req->arena, "%s%ld", link, page - 1) : NULL,
		page < pages ? arena_printf(req->arena, "%s%ld", link, page + 1) : NULL);
	json_t *items = page_items(req, &l, page, JUROR_PAGE_SIZE);
	json_t *data = json_pack("{s:O, s:o, s:o, s:o, s:o, s:b, s:b}", "edition", e, "items",
				 items, "counts", counts_of(&l), "filters",
				 filter_links(req, &l, year, filter), "pager", pager, "has_items",
				 json_array_size(items) > 0, "filtered", filter >= 0);
	if (filter >= 0)
		json_object_set_new(data, "filter_label",
				    json_string(GPI_GRID_STATE_LABELS[filter]));
	const char *done = request_param(req, "fait");
	if (done && !strcmp(done, "conflit"))
		json_object_set_new(
			data, "notice",
			json_string("Votre conflit d’intérêts est enregistré\u202f: cette "
				    "candidature ne vous est plus présentée."));
	page_reply(req, 200, "gpi/juror",
		   arena_printf(req->arena, "Mes candidatures à noter, %s", json_str(e, "title")),
		   "gpi", data);
	json_decref(data);
	gpi_juror_list_close(&l);
}

void gpi_api_my_assignments(struct request *req)
{
	struct gpi_juror_list l;
	if (!list_or_reply(req, 0, filter_param(req), &l))
		return;
	long per = pager_number(req, "page_size", JUROR_PAGE_SIZE, JUROR_API_PAGE_SIZE_MAX);
	long page = pager_number(req, "page", 1, 1000000);
	reply_json(req, 200,
		   arena_json(req->arena, json_pack("{s:o, s:o, s:I, s:i, s:i}", "items",
						    page_items(req, &l, page, per), "counts",
						    counts_of(&l), "total", (json_int_t)l.n_kept,
						    "page", (int)page, "page_size", (int)per)));
	gpi_juror_list_close(&l);
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
		reply_redirect(
			req, arena_printf(req->arena, "/grand-prix/%d/jury?fait=conflit", c.year));
	}
	form_end(&f);
	gpi_cand_close(&c);
}
