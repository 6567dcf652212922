#include "defi/calendar.h"

#include "core/app.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/doc.h"
#include "defi/ui.h"
#include "http/reply.h"
#include "view/ics.h"

void defi_calendar_write(struct buf *out, const json_t *e, const char *base_url)
{
	int year = (int)json_integer_value(json_object_get(e, "year"));
	struct arena *a = arena_new();
	char host[128];
	ics_host(base_url, host, sizeof(host));
	const char *url = arena_printf(a, "%s/defi/%d", base_url, year);
	int64_t stamp = json_integer_value(json_object_get(e, "updated_at"));
	ics_begin(out, "-//Cousilab//Défi du Lab//FR");
	ics_event(out, &(struct ics_event){
			       .uid = arena_printf(a, "defi-%d-evenement@%s", year, host),
			       .stamp_ms = stamp,
			       .first_day = json_str(e, "event_start"),
			       .last_day = json_str(e, "event_end"),
			       .summary = json_str(e, "title"),
			       .location = json_str(e, "location"),
			       .description = json_str(e, "theme"),
			       .url = url,
		       });
	ics_event(out, &(struct ics_event){
			       .uid = arena_printf(a, "defi-%d-cloture@%s", year, host),
			       .stamp_ms = stamp,
			       .at_ms = json_integer_value(json_object_get(e, "signup_closes_at")),
			       .summary = arena_printf(a, "%s\u202f: clôture des candidatures",
						       json_str(e, "title")),
			       .url = url,
		       });
	ics_end(out);
	arena_free(a);
}

void defi_calendar(struct request *req)
{
	const json_t *e = defi_edition_of_route_or_reply(req);
	if (!e)
		return;
	buf_reset(&req->res.body);
	defi_calendar_write(&req->res.body, e, req->app->config.base_url);
	req->res.status = 200;
	req->res.content_type = "text/calendar; charset=utf-8";
	const char *file = arena_printf(req->arena, "defi-du-lab-%d.ics",
					(int)json_integer_value(json_object_get(e, "year")));
	reply_header(req, "Content-Disposition",
		     arena_printf(req->arena, "attachment; filename=\"%s\"", file));
}
