/* The Défi du Lab's public pages: /defi (the current edition first, then
 * the archive) and /defi/{year}. Both read only the editions' cache, so
 * every visitor, signed in or not, gets them at the page cache's cost. */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/arena_json.h"
#include "core/clock.h"
#include "core/paris_time.h"
#include "db/db.h"
#include "db/doc.h"
#include "defi/edition.h"
#include "defi/edition_view.h"
#include "defi/ui.h"
#include "http/reply.h"
#include "web/db_reply.h"
#include "web/page.h"
#include "web/db_reply.h"
#include "web/error_reply.h"

int defi_fresh(struct request *req)
{
	bson_error_t error;
	return arena_json(req->arena, defi_editions_all(req->db, &error)) ? 0 : -1;
}

json_t *defi_editions_or_reply(struct request *req)
{
	bson_error_t error;
	json_t *all = arena_json(req->arena, defi_editions_all(req->db, &error));
	if (!all)
		db_fail(req, "reading the Défi editions", &error);
	return all;
}

void defi_home(struct request *req)
{
	json_t *all = defi_editions_or_reply(req);
	if (!all)
		return;
	int64_t now = clock_now_ms();
	struct paris_time_fields t = paris_time_split(now);
	char today[16];
	snprintf(today, sizeof(today), "%04d-%02d-%02d", t.year, t.month, t.day);
	const json_t *current = defi_edition_current(all, today), *e;
	json_t *archive = json_array();
	size_t i;
	json_array_foreach(all, i, e)
		if (e != current)
			json_array_append_new(archive, defi_edition_view(req->arena, e, now));
	json_t *data = arena_json(req->arena,
				  json_pack("{s:o, s:b}", "archive", archive, "has_archive",
					    json_array_size(archive) > 0));
	if (current)
		json_object_set_new(data, "current", defi_edition_view(req->arena, current, now));
	page_reply(req, 200, "defi/index", "Défi du Lab", "defi", data);
}

/* Returns the edition named by the route's {year}, borrowed for the
 * request, or NULL after replying 404 or the database's failure. */
const json_t *defi_edition_of_route_or_reply(struct request *req)
{
	int year = request_year_param(req);
	bson_error_t error;
	const json_t *e = year ? defi_edition_get(req->db, year, &error) : NULL;
	if (!e && year && error.code)
		db_fail(req, "reading a Défi edition", &error);
	else if (!e)
		reply_not_found(req);
	return e;
}

void defi_edition_page(struct request *req)
{
	const json_t *e = defi_edition_of_route_or_reply(req);
	if (!e)
		return;
	page_reply(req, 200, "defi/edition", json_str(e, "title"), "defi",
		   arena_json(req->arena, defi_edition_view(req->arena, e, clock_now_ms())));
}
