/* The organisation's list of its candidatures to an edition
 * (/grand-prix/{year}/candidatures) and its API twin: read from the
 * in-process index only, and shared through the page cache by the
 * organisation's plain filers, who all see the same rows. */
#include <string.h>

#include "accounts/user.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/clock.h"
#include "core/paris_time.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/candidature_page.h"
#include "gpi/edition.h"
#include "gpi/ui.h"
#include "http/reply.h"
#include "http/request.h"
#include "web/db_reply.h"
#include "web/page.h"

int gpi_candidatures_personal(struct request *req)
{
	if (!gpi_plain_filer(req->user, request_year_param(req)))
		return 1;
	/* Every plain filer of an organisation sees the same list: the
	 * organisation is what the page depends on besides the roles. */
	req->share_key = req->user->organisation;
	return page_personal(req);
}

/* Returns the API's item of index row r shown as status (new
 * reference): the row's summary, instants in RFC 3339 (null while never
 * submitted). */
static json_t *api_item(const json_t *r, const char *status)
{
	char submitted[PARIS_TIME_RFC3339_MAX], updated[PARIS_TIME_RFC3339_MAX];
	json_int_t at = json_integer_value(json_object_get(r, "submitted_ms"));
	json_t *item = json_pack(
		"{s:O, s:O, s:O, s:s, s:s, s:O, s:O, s:b, s:b, s:s}", "id", json_object_get(r, "id"),
		"year", json_object_get(r, "year"), "category", json_object_get(r, "category"),
		"status", status, "status_label", gpi_status_label(status), "title",
		json_object_get(r, "title"), "project_slug", json_object_get(r, "project_slug"),
		"has_dossier", json_is_object(json_object_get(r, "dossier")), "has_video",
		json_is_object(json_object_get(r, "video")), "updated_at",
		paris_time_format_rfc3339(json_integer_value(json_object_get(r, "updated_ms")),
					  updated));
	json_object_set_new(item, "submitted_at",
			    at ? json_string(paris_time_format_rfc3339(at, submitted)) : json_null());
	return item;
}

/* Returns the page's item of index row r of edition e shown as status.
 * New reference. */
static json_t *page_item(struct request *req, const json_t *e, const json_t *r,
			 const char *status)
{
	const json_t *cat = gpi_edition_category(e, json_str(r, "category"));
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "url",
			 gpi_cand_url(req, gpi_edition_year(e), json_str(r, "id")), "title",
			 json_str(r, "title"), "category",
			 cat ? json_str(cat, "name") : json_str(r, "category"), "status", status,
			 "status_label", gpi_status_label(status));
}

/* GET /grand-prix/{year}/candidatures and its API twin (an agent's call
 * of GET /api/v1/gpi/editions/{year}/candidatures): the candidatures of
 * the visitor's organisation in the edition, the latest changed first. */
void gpi_candidatures_mine(struct request *req)
{
	const json_t *e = gpi_edition_of_route_or_reply(req);
	if (!e)
		return;
	int year = gpi_edition_year(e);
	/* Built for the page cache, the visitor is a nameless plain filer of
	 * the organisation gpi_candidatures_personal named. */
	bool shared = req->shared_reply && req->share_key;
	const char *organisation = shared ? req->share_key : req->user->organisation;
	bson_error_t error = {0};
	json_t *rows = gpi_index_rows_of_organisation(req->db, year, organisation, &error);
	if (!rows) {
		db_fail(req, "reading the Grand Prix candidatures", &error);
		return;
	}
	arena_json(req->arena, rows);
	bool notified = gpi_notifications_sent(req->db, year);
	json_t *items = arena_json(req->arena, json_array()), *r;
	size_t i;
	json_array_foreach(rows, i, r) {
		/* A colleague sitting on a jury of the edition is recused from
		 * the organisation's candidatures: not even their titles. */
		struct gpi_audience a = gpi_audience_of(req->db, r);
		if (!shared && !gpi_candidature_may_see(req->user, &a))
			continue;
		const char *status = gpi_status_shown(req->user, &a, notified);
		json_array_append_new(items, req->is_api ? api_item(r, status)
							 : page_item(req, e, r, status));
	}
	if (req->is_api) {
		reply_json(req, 200,
			   arena_json(req->arena,
				      json_pack("{s:i, s:O, s:I}", "year", year, "items", items,
						"total", (json_int_t)json_array_size(items))));
		return;
	}
	json_t *data = json_pack(
		"{s:i, s:s, s:O, s:b, s:b, s:s}", "year", year, "edition_title",
		json_str(e, "title"), "items", items, "has_items", json_array_size(items) > 0, "open",
		gpi_edition_is_open(e, clock_now_ms()), "new_url",
		arena_printf(req->arena, "/grand-prix/%d/candidatures/nouvelle", year));
	page_reply(req, 200, "gpi/candidatures", "Mes candidatures", "gpi",
		   arena_json(req->arena, data));
}
