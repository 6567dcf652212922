/* The secretariat's desk of an edition, /grand-prix/{year}/secretariat,
 * and its JSON twin GET /api/v1/gpi/editions/{year}/candidatures: every
 * candidature by category and status with the counts, eligibility at a
 * glance, the dossier and the video a click away, filtered by category
 * and status a page at a time. Everything comes from the in-process index
 * (gpi_index_rows): a desk of 3,000 candidatures reads no document. */
#include <stdlib.h>
#include <string.h>

#include "accounts/organisation.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/candidature_rules.h"
#include "gpi/desk.h"
#include "gpi/edition.h"
#include "gpi/ui.h"
#include "http/reply.h"
#include "http/urlencoded.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/page.h"
#include "web/pager.h"

enum { DESK_PAGE_SIZE = 50, API_PAGE_SIZE_MAX = 500 };

/* The desk's view of an edition: its filters, rows and counts. */
struct desk {
	const json_t *edition;
	int year;
	const char *category, *status; /* filters, "" for all */
	json_t *all;                   /* the edition's rows (the request's arena's) */
	json_t *matches;               /* the filtered ones (the request's arena's) */
};

/* Each returns its filter's value when it names a category of e (a
 * status), else "": anything else is no filter. */
static const char *category_filter(struct request *req, const json_t *e)
{
	const char *c = request_param(req, "categorie");
	return c && gpi_edition_category(e, c) ? c : "";
}

static const char *status_filter(struct request *req)
{
	const char *s = request_param(req, "statut");
	return s && gpi_status_from(s) >= 0 ? s : "";
}

/* Returns the year of the route ({year}), or 0 when it is not a number. */
static int route_year(struct request *req)
{
	const char *y = param_get(req->route_params, "year");
	return y && *y && strspn(y, "0123456789") == strlen(y) && strlen(y) == 4 ? atoi(y) : 0;
}

/* Returns true when the visitor is the secretariat of edition year. A
 * page built for sharing is built as a nameless member, without scopes:
 * the personal hook checked the visitor who will see it. */
static bool desk_visitor(struct request *req, int year)
{
	return req->shared_reply || gpi_is_secretariat(req->user, year);
}

int gpi_desk_personal(struct request *req)
{
	if (!gpi_is_secretariat(req->user, route_year(req)))
		return 1;
	return page_personal(req);
}

/* Fills d for the route's edition, for its secretariat (404 for anyone
 * else). Returns false after replying. */
static bool desk_of_route_or_reply(struct request *req, struct desk *d)
{
	*d = (struct desk){0};
	if (!desk_visitor(req, route_year(req))) {
		reply_not_found(req);
		return false;
	}
	d->edition = gpi_edition_of_route_or_reply(req);
	if (!d->edition)
		return false;
	d->year = gpi_edition_year(d->edition);
	d->category = category_filter(req, d->edition);
	d->status = status_filter(req);
	bson_error_t error;
	d->all = arena_json(req->arena, gpi_index_rows(req->db, d->year, NULL, NULL, &error));
	if (!d->all) {
		db_fail(req, "reading the candidatures' index", &error);
		return false;
	}
	d->matches = arena_json(req->arena, json_array());
	json_t *r;
	size_t i;
	json_array_foreach(d->all, i, r)
		if ((!*d->category || !strcmp(json_str(r, "category"), d->category)) &&
		    (!*d->status || !strcmp(json_str(r, "status"), d->status)))
			json_array_append(d->matches, r);
	return true;
}

/* Returns the counts of the edition's rows: {total, by_status {code: n},
 * categories [{code, name, total, <status>: n...}]}. New. */
static json_t *counts(const struct desk *d)
{
	json_t *by_category = json_object(), *by_status = json_object(), *c, *r;
	size_t i;
	json_array_foreach(json_object_get(d->edition, "categories"), i, c) {
		json_t *row = json_pack("{s:s, s:s, s:i}", "code", json_str(c, "code"), "name",
					json_str(c, "name"), "total", 0);
		for (int s = 0; s < GPI_STATUS_COUNT; s++)
			json_object_set_new(row, GPI_STATUSES[s][0], json_integer(0));
		json_object_set_new(by_category, json_str(c, "code"), row);
	}
	for (int s = 0; s < GPI_STATUS_COUNT; s++)
		json_object_set_new(by_status, GPI_STATUSES[s][0], json_integer(0));
	json_array_foreach(d->all, i, r) {
		const char *status = json_str(r, "status");
		json_t *row = json_object_get(by_category, json_str(r, "category"));
		json_t *n = json_object_get(by_status, status);
		if (n)
			json_integer_set(n, json_integer_value(n) + 1);
		if (!row)
			continue;
		json_integer_set(json_object_get(row, "total"),
				 json_integer_value(json_object_get(row, "total")) + 1);
		if ((n = json_object_get(row, status)))
			json_integer_set(n, json_integer_value(n) + 1);
	}
	json_t *categories = json_array();
	json_array_foreach(json_object_get(d->edition, "categories"), i, c)
		json_array_append(categories, json_object_get(by_category, json_str(c, "code")));
	json_decref(by_category);
	return json_pack("{s:I, s:o, s:o}", "total", (json_int_t)json_array_size(d->all),
			 "by_status", by_status, "categories", categories);
}

/* Returns row r as the desk shows it: its fields, eligibility at a
 * glance and its links. New. */
static json_t *desk_row(struct request *req, const struct desk *d, const json_t *r,
			const json_t *organisations)
{
	struct gpi_facts f = gpi_facts_from_json(json_object_get(r, "facts"));
	struct gpi_check_result checks[GPI_CHECK_COUNT];
	bool eligible = gpi_desk_eligibility(req->arena, d->edition, &f,
					     json_integer_value(json_object_get(r, "submitted_ms")),
					     checks);
	json_t *failing = json_array();
	for (int i = 0; i < GPI_CHECK_COUNT; i++)
		if (!checks[i].ok && checks[i].blocking)
			json_array_append_new(failing, json_string(checks[i].code));
	const char *id = json_str(r, "id");
	const json_t *org = json_object_get(organisations, json_str(r, "organisation_id"));
	json_t *out = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:O, s:O, s:O, s:O}", "id", id,
		"title", json_str(r, "title"), "organisation_id", json_str(r, "organisation_id"),
		"organisation_name", org ? json_str(org, "name") : json_str(r, "organisation_id"),
		"category", json_str(r, "category"), "category_name",
		gpi_desk_category_name(d->edition, json_str(r, "category")), "status",
		json_str(r, "status"), "eligible", eligible, "failing_checks", failing, "dossier",
		json_object_get(r, "dossier"), "video", json_object_get(r, "video"),
		"admissibility", json_object_get(r, "admissibility"), "repositioning",
		json_object_get(r, "repositioning"));
	json_object_set_new(out, "status_label",
			    json_string(gpi_status_label(json_str(r, "status"))));
	json_object_set_new(
		out, "desk_url",
		json_string(arena_printf(req->arena, "/grand-prix/%d/candidatures/%s/secretariat",
					 d->year, id)));
	json_object_set_new(out, "example",
			    json_boolean(json_is_true(json_object_get(r, "example"))));
	return out;
}

/* Returns the rows of page (1-based) of d's matches, size a page, owned
 * by the request's arena; NULL with error set when the organisations
 * cannot be read. */
static json_t *page_rows(struct request *req, const struct desk *d, long page, long size,
			 bson_error_t *error)
{
	json_t *organisations = arena_json(req->arena, organisations_by_code(req->db, error));
	if (!organisations)
		return NULL;
	json_t *rows = arena_json(req->arena, json_array());
	size_t n = json_array_size(d->matches);
	for (size_t i = (size_t)(page - 1) * (size_t)size; i < n && i < (size_t)(page * size); i++)
		json_array_append_new(
			rows, desk_row(req, d, json_array_get(d->matches, i), organisations));
	return rows;
}

/* Returns {code, label, selected} options of the statuses. New. */
static json_t *status_options(const char *chosen)
{
	json_t *out = json_array();
	for (int s = 0; s < GPI_STATUS_COUNT; s++)
		json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "code", GPI_STATUSES[s][0],
						     "label", GPI_STATUSES[s][1], "selected",
						     !strcmp(chosen, GPI_STATUSES[s][0])));
	return out;
}

static json_t *category_options(const json_t *e, const char *chosen)
{
	json_t *out = json_array(), *c;
	size_t i;
	json_array_foreach(json_object_get(e, "categories"), i, c)
		json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "code", json_str(c, "code"),
						     "name", json_str(c, "name"), "selected",
						     !strcmp(chosen, json_str(c, "code"))));
	return out;
}

void gpi_desk_page(struct request *req)
{
	struct desk d;
	if (!desk_of_route_or_reply(req, &d))
		return;
	long total = (long)json_array_size(d.matches);
	long pages = (long)pager_pages(total, DESK_PAGE_SIZE);
	long page = pager_number(req, "page", 1, pages);
	bson_error_t error;
	json_t *rows = page_rows(req, &d, page, DESK_PAGE_SIZE, &error);
	if (!rows) {
		db_fail(req, "reading the organisations", &error);
		return;
	}
	static const char *const FILTERS[] = {"categorie", "statut", NULL};
	const char *base = arena_printf(req->arena, "/grand-prix/%d/secretariat", d.year);
	const char *query = pager_filter_query(req, FILTERS);
	const char *link = arena_printf(req->arena, "%s?%spage=", base, query);
	json_t *pager = pager_new(
		page, pages, page > 1 ? arena_printf(req->arena, "%s%ld", link, page - 1) : NULL,
		page < pages ? arena_printf(req->arena, "%s%ld", link, page + 1) : NULL);
	json_t *data = arena_json(
		req->arena,
		json_pack("{s:O, s:O, s:o, s:i, s:o, s:o, s:o, s:s, s:s, s:b}", "edition",
			  d.edition, "rows", rows, "counts", counts(&d), "total", (int)total,
			  "statuses", status_options(d.status), "category_options",
			  category_options(d.edition, d.category), "pager", pager, "base", base,
			  "query", query, "filtered", *d.category || *d.status));
	json_object_set_new(data, "zip_category", json_string(*d.category ? d.category : ""));
	page_reply(req, 200, "gpi/desk",
		   arena_printf(req->arena, "Secrétariat du %s", json_str(d.edition, "title")),
		   "gpi", data);
}

void gpi_api_desk(struct request *req)
{
	/* Any other agent gets the list of their organisation's: the API
	 * twin of their page /grand-prix/{year}/candidatures. */
	if (!gpi_is_secretariat(req->user, route_year(req))) {
		gpi_candidatures_mine(req);
		return;
	}
	struct desk d;
	if (!desk_of_route_or_reply(req, &d))
		return;
	long per = pager_number(req, "page_size", DESK_PAGE_SIZE, API_PAGE_SIZE_MAX);
	long page = pager_number(req, "page", 1, 1000000);
	bson_error_t error;
	json_t *rows = page_rows(req, &d, page, per, &error);
	if (!rows) {
		db_fail(req, "reading the organisations", &error);
		return;
	}
	json_t *r;
	size_t i;
	json_array_foreach(rows, i, r) {
		json_object_del(r, "desk_url");
		json_object_del(r, "status_label");
	}
	reply_json(req, 200,
		   arena_json(req->arena, json_pack("{s:i, s:o, s:O, s:I, s:i, s:i}", "year",
						    d.year, "counts", counts(&d), "items", rows,
						    "total", (json_int_t)json_array_size(d.matches),
						    "page", (int)page, "page_size", (int)per)));
}
