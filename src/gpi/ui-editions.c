/* The Grand Prix's public pages: /grand-prix (the current edition first,
 * then the archive), /grand-prix/{year} and its calendar, and the read
 * API. All read only the editions' cache, so every visitor, signed in or
 * not, gets them at the page cache's cost. */
#include "core/app.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/buf.h"
#include "core/clock.h"
#include "db/db.h"
#include "db/doc.h"
#include "gpi/edition.h"
#include "gpi/edition_view.h"
#include "gpi/ui.h"
#include "http/reply.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/page.h"

int gpi_fresh(struct request *req)
{
	bson_error_t error;
	return arena_json(req->arena, gpi_editions_all(req->db, &error)) ? 0 : -1;
}

json_t *gpi_editions_or_reply(struct request *req)
{
	bson_error_t error;
	json_t *all = arena_json(req->arena, gpi_editions_all(req->db, &error));
	if (!all)
		db_fail(req, "reading the Grand Prix editions", &error);
	return all;
}

const json_t *gpi_edition_of_route_or_reply(struct request *req)
{
	int year = request_year_param(req);
	bson_error_t error;
	const json_t *e = year ? gpi_edition_get(req->db, year, &error) : NULL;
	if (!e && year && error.code)
		db_fail(req, "reading a Grand Prix edition", &error);
	else if (!e)
		reply_not_found(req);
	return e;
}

void gpi_home(struct request *req)
{
	json_t *all = gpi_editions_or_reply(req);
	if (!all)
		return;
	int64_t now = clock_now_ms();
	const json_t *current = gpi_edition_current(all, now), *e;
	json_t *archive = json_array();
	size_t i;
	json_array_foreach(all, i, e)
		if (e != current)
			json_array_append_new(archive, gpi_edition_view(req->arena, e, now));
	json_t *data = arena_json(req->arena,
				  json_pack("{s:o, s:b}", "archive", archive, "has_archive",
					    json_array_size(archive) > 0));
	if (current)
		json_object_set_new(data, "current", gpi_edition_view(req->arena, current, now));
	page_reply(req, 200, "gpi/editions", "Grand Prix de l’innovation", "gpi", data);
}

void gpi_edition_page(struct request *req)
{
	const json_t *e = gpi_edition_of_route_or_reply(req);
	if (!e)
		return;
	page_reply(req, 200, "gpi/edition", json_str(e, "title"), "gpi",
		   arena_json(req->arena, gpi_edition_view(req->arena, e, clock_now_ms())));
}

void gpi_calendar(struct request *req)
{
	const json_t *e = gpi_edition_of_route_or_reply(req);
	if (!e)
		return;
	buf_reset(&req->res.body);
	gpi_calendar_write(&req->res.body, e, req->app->config.base_url);
	req->res.status = 200;
	req->res.content_type = "text/calendar; charset=utf-8";
	reply_header(req, "Content-Disposition",
		     arena_printf(req->arena,
				  "attachment; filename=\"grand-prix-innovation-%d.ics\"",
				  gpi_edition_year(e)));
}

void gpi_api_editions(struct request *req)
{
	json_t *all = gpi_editions_or_reply(req);
	if (!all)
		return;
	reply_json_items(req, all, gpi_edition_api, clock_now_ms());
}

void gpi_api_edition(struct request *req)
{
	const json_t *e = gpi_edition_of_route_or_reply(req);
	if (!e)
		return;
	reply_json(req, 200, arena_json(req->arena, gpi_edition_api(e, clock_now_ms())));
}
