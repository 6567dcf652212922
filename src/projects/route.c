#include "projects/route.h"

#include <string.h>

#include "core/arena.h"
#include "core/arena_json.h"
#include "db/doc.h"
#include "http/form.h"
#include "http/reply.h"
#include "http/request.h"
#include "projects/access.h"
#include "projects/indicators.h"
#include "projects/page.h"
#include "projects/store.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/form_reply.h"

enum { API_TIMELINE_MAX = 100 };

json_t *project_of_route_or_reply(struct request *req)
{
	bson_error_t error = {0};
	const char *slug = request_param(req, "slug");
	const char *id = slug ? project_id_of_slug(req, slug, &error) : request_param(req, "id");
	json_t *p = id ? project_load(req, id, &error) : NULL;
	if (p && project_visible(req, p))
		return p;
	if (!p && error.code)
		db_fail(req, "reading a project", &error);
	else
		reply_not_found(req);
	return NULL;
}

json_t *project_of_route_for_or_reply(struct request *req,
				      bool (*allowed)(struct request *req, const json_t *p),
				      const char *refusal)
{
	json_t *p = project_of_route_or_reply(req);
	if (p && !allowed(req, p)) {
		project_forbidden(req, refusal);
		return NULL;
	}
	return p;
}

void project_forbidden(struct request *req, const char *explain)
{
	reply_error(req, 403, "forbidden", explain, NULL);
}

bool project_proven(const json_t *p)
{
	size_t i;
	json_t *ind;
	json_array_foreach(json_object_get(p, "indicators"), i, ind)
		if (json_integer_value(json_object_get(ind, "measurements")) > 0)
			return true;
	return false;
}

/* The stored fields the API leaves out: bookkeeping, not the project. */
static const char *const INTERNAL[] = {"_id",
				       "rev",
				       "created_at_fr",
				       "updated_at_fr",
				       "last_activity_at_fr",
				       "created_at_ms",
				       "updated_at_ms",
				       "last_activity_at_ms"};

json_t *project_api_view_or_reply(struct request *req, const json_t *p)
{
	bson_error_t error;
	json_t *timeline = project_events(req, json_str(p, "_id"), API_TIMELINE_MAX, &error);
	json_t *indicators = timeline ? project_indicators_full(req, p, &error) : NULL;
	if (!indicators) {
		db_fail(req, "reading a project's timeline", &error);
		return NULL;
	}
	json_t *v = arena_json(req->arena, json_deep_copy(p));
	json_object_set(v, "id", json_object_get(p, "_id"));
	for (size_t i = 0; i < sizeof(INTERNAL) / sizeof(*INTERNAL); i++)
		json_object_del(v, INTERNAL[i]);
	json_t *e;
	size_t i;
	json_array_foreach(timeline, i, e) {
		json_object_set(e, "id", json_object_get(e, "_id"));
		json_object_del(e, "_id");
		json_object_del(e, "at_fr");
		json_object_del(e, "project_id");
	}
	json_object_set(v, "timeline", timeline);
	json_object_set(v, "indicators", indicators);
	return v;
}

void project_done(struct request *req, const char *id, int status, const char *anchor)
{
	bson_error_t error;
	json_t *p = project_load(req, id, &error);
	if (!p) {
		db_fail(req, "reading a project", &error);
		return;
	}
	if (!req->is_api) {
		reply_redirect(req, arena_printf(req->arena, "/projets/%s%s%s", json_str(p, "slug"),
						 anchor ? "#" : "", anchor ? anchor : ""));
		return;
	}
	json_t *v = project_api_view_or_reply(req, p);
	if (v)
		reply_json(req, status, v);
}

void project_invalid(struct form *f, const json_t *p, const char *section)
{
	if (f->req->is_api) {
		form_reply_invalid(f, NULL, NULL, NULL, NULL);
		return;
	}
	project_page_render(f->req, p, 422, f, section);
}
