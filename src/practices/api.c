/* The practices API: reading the catalogue, one practice, the themes, and
 * the OpenAPI description of every /api/v1 route. The writes are the
 * pages' own handlers (ui-edit.c), which answer JSON under /api/. */

#include "core/app.h"
#include "core/arena_json.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/reply.h"
#include "practices/catalogue.h"
#include "practices/themes.h"
#include "practices/toolbox.h"
#include "practices/ui.h"
#include "view/markdown.h"
#include "view/mustache.h"
#include "web/db_reply.h"
#include "web/error_reply.h"

/* The document's fields the API shows, beside its id. */
static const char *const PUBLIC_FIELDS[] =
	{
		"slug",         "status",       "title",       "summary",
		"problem",      "description",  "results",     "organisation_ids",
		"branches",     "themes",       "public",      "maturity",
		"contact",      "toolbox",      "reuse_count", "adopters",
		"version",      "author_name",  "created_at",  "updated_at",
		"submitted_at", "published_at", "source", /* where a practice made from another feature comes from (practices/link.c) */
};

json_t *practice_json(struct request *req, const json_t *p)
{
	json_t *out = arena_json(req->arena, json_pack("{s:s}", "id", json_str(p, "_id")));
	for (size_t i = 0; i < sizeof(PUBLIC_FIELDS) / sizeof(*PUBLIC_FIELDS); i++) {
		json_t *v = json_object_get(p, PUBLIC_FIELDS[i]);
		if (v)
			json_object_set(out, PUBLIC_FIELDS[i], v);
	}
	json_object_set_new(out, "toolbox",
			    toolbox_public(req->arena, json_object_get(p, "toolbox")));
	json_object_set_new(
		out, "description_html",
		json_string(markdown_to_html(req->arena, json_str(p, "description"), 0)));
	json_object_set_new(out, "url", json_sprintf("/pratiques/%s", json_str(p, "slug")));
	if (practice_status_of(p) == PRACTICE_RETURNED &&
	    practice_can(req, p, PRACTICE_ACTION_EDIT))
		json_object_set(out, "return_comment", json_object_get(p, "return_comment"));
	return out;
}

void practices_api_list(struct request *req)
{
	struct practice_query q;
	struct search_result res;
	struct practice_names n;
	if (practice_search_or_reply(req, &q, &res) || practice_names_get_or_reply(req, &n))
		return;
	json_t *items = practice_cards(req, &res, &n);
	json_t *facets = json_object();
	for (int i = 0; i < PRACTICE_FACET_COUNT; i++)
		json_object_set_new(facets, res.facets[i].name,
				    practice_facet_values(&res.facets[i], &n));
	json_t *body = arena_json(
		req->arena, json_pack("{s:o, s:I, s:I, s:I, s:s, s:o}", "items", items, "total",
				      (json_int_t)res.total, "page", (json_int_t)q.page,
				      "page_size", (json_int_t)q.page_size, "sort",
				      practice_sort_name(q.sort, true), "facets", facets));
	if (res.suggestion)
		json_object_set_new(body, "suggestion", json_string(res.suggestion));
	reply_json(req, 200, body);
}

void practices_api_get(struct request *req)
{
	json_t *p = practice_visible_or_reply(req);
	if (p)
		reply_json(req, 200, practice_json(req, p));
}

void practices_api_themes(struct request *req)
{
	bson_error_t error;
	json_t *themes = arena_json(req->arena, themes_all(req->db, &error));
	if (!themes) {
		db_fail(req, "reading the themes", &error);
		return;
	}
	json_t *items = json_array(), *t;
	size_t i;
	json_array_foreach(themes, i, t)
		json_array_append_new(items,
				      json_pack("{s:s, s:s, s:s}", "code", json_str(t, "_id"),
						"name", json_str(t, "name"), "description",
						json_str(t, "description")));
	reply_json(req, 200, arena_json(req->arena, json_pack("{s:o}", "items", items)));
}

/* The description is a view (views/api/openapi.json.mustache, no tags):
 * loaded once at startup with the templates, wherever --views points. */
void practices_api_openapi(struct request *req)
{
	buf_reset(&req->res.body);
	if (mustache_render(req->app->views, "api/openapi.json", NULL, &req->res.body)) {
		reply_error(req, 500, "internal", "La description de l’API est introuvable.", NULL);
		return;
	}
	req->res.status = 200;
	req->res.content_type = "application/json";
}
