#include "projects/gpi_link.h"

#include <string.h>

#include "core/arena.h"
#include "core/arena_json.h"
#include "db/doc.h"
#include "http/request.h"
#include "projects/access.h"
#include "projects/index.h"
#include "projects/store.h"
#include "projects/view.h"

/* The members of an indicator a candidature carries. */
static const char *const INDICATOR_KEYS[] = {"name",      "unit",        "baseline",    "target",
					     "direction", "latest_date", "latest_value"};

void project_gpi_facts(struct request *req, const json_t *p, struct gpi_project_facts *out)
{
	struct arena *a = req->arena;
	*out = (struct gpi_project_facts){
		.id = arena_strdup(a, json_str(p, "_id")),
		.slug = arena_strdup(a, json_str(p, "slug")),
		.title = arena_strdup(a, json_str(p, "title")),
		.summary = arena_strdup(a, json_str(p, "summary")),
		.problem = arena_strdup(a, json_str(p, "problem")),
		.solution = arena_strdup(a, json_str(p, "solution")),
		.organisation_id = arena_strdup(a, json_str(p, "organisation_id")),
		.started_on = arena_strdup(a, json_str(p, "started_on")),
		.costs = project_amount_text(req, json_object_get(p, "costs")),
		.savings = project_amount_text(req, json_object_get(p, "savings")),
		.practice_id = arena_strdup(a, json_str(p, "practice_id")),
		.partner_organisation_ids = json_array(),
		.indicators = json_array(),
		.may_file = project_may_edit(req, p),
	};
	json_t *v;
	size_t i;
	json_array_foreach(json_object_get(p, "partner_organisation_ids"), i, v)
		json_array_append(out->partner_organisation_ids, v);
	json_array_foreach(json_object_get(p, "indicators"), i, v) {
		json_t *copy = json_object();
		for (size_t k = 0; k < sizeof(INDICATOR_KEYS) / sizeof(*INDICATOR_KEYS); k++) {
			json_t *x = json_object_get(v, INDICATOR_KEYS[k]);
			json_object_set(copy, INDICATOR_KEYS[k], x ? x : json_null());
		}
		json_array_append_new(out->indicators, copy);
	}
}

static int facts(struct request *req, const char *project_id, struct gpi_project_facts *out,
		 bson_error_t *error)
{
	const json_t *p = project_load(req, project_id, error); /* the request's */
	if (!p)
		return error->code ? -1 : 0;
	int found = project_visible(req, p);
	if (found)
		project_gpi_facts(req, p, out);
	return found; /* p is the request arena's */
}

static int brief(struct request *req, const char *project_id, struct gpi_project_brief *out,
		 bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	json_t *s = arena_json(req->arena, projects_index_find(req->db, project_id, error));
	if (!s || !project_visible(req, s)) /* a summary carries the audience */
		return s || !error->code ? 0 : -1;
	*out = (struct gpi_project_brief){
		.slug = arena_strdup(req->arena, json_str(s, "slug")),
		.title = arena_strdup(req->arena, json_str(s, "title")),
		.practice_id = arena_strdup(req->arena, json_str(s, "practice_id")),
	};
	return 1;
}

const struct gpi_project_link_ops projects_gpi_link_ops = {
	.facts = facts,
	.brief = brief,
};
