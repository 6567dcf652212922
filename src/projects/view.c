#include "projects/view.h"

#include <string.h>

#include "accounts/organisation.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/clock.h"
#include "db/doc.h"
#include "http/request.h"
#include "projects/fields.h"
#include "projects/index.h"
#include "projects/project.h"

/* Returns the label of code among n pairs, or "". */
static const char *label_of(const char *const pairs[][2], int n, const char *code)
{
	for (int i = 0; i < n; i++)
		if (strcmp(pairs[i][0], code) == 0)
			return pairs[i][1];
	return "";
}

json_t *project_card(struct request *req, const json_t *s)
{
	bson_error_t error;
	json_t *orgs = organisations_by_code(req->db, &error);
	json_t *org = json_object_get(orgs, json_str(s, "organisation_id"));
	int64_t days = project_days_since(
		json_integer_value(json_object_get(s, "last_activity_ms")), clock_now_ms());
	json_t *card = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:b, s:I, s:b, s:b}", "title",
		json_str(s, "title"), "slug", json_str(s, "slug"), "summary",
		json_str(s, "summary"), "organisation",
		org ? json_str(org, "name") : json_str(s, "organisation_id"), "stage",
		json_str(s, "stage"), "stage_label",
		label_of(PROJECT_STAGES, PROJECT_STAGE_COUNT, json_str(s, "stage")), "state_label",
		label_of(PROJECT_STATES, PROJECT_STATE_COUNT, json_str(s, "state")), "days",
		(json_int_t)days, "stalled",
		strcmp(json_str(s, "state"), "active") == 0 && days >= PROJECT_STALLED_DAYS,
		"pending", json_integer_value(json_object_get(s, "pending")), "has_pending",
		json_integer_value(json_object_get(s, "pending")) > 0, "example",
		json_is_true(json_object_get(s, "example")));
	json_object_set_new(card, "inactive",
			    json_boolean(strcmp(json_str(s, "state"), "active") != 0));
	json_object_set_new(card, "id", json_string(json_str(s, "id")));
	json_object_set_new(card, "days_plural", json_boolean(days > 1));
	json_decref(orgs);
	return card;
}

/* Returns true when code is chosen: in the array, or equal to the string. */
static bool chosen_has(const json_t *chosen, const char *code)
{
	if (json_is_string(chosen))
		return strcmp(json_string_value(chosen), code) == 0;
	return projects_list_has(chosen, code);
}

json_t *project_theme_choices(struct request *req, const json_t *chosen)
{
	bson_error_t error;
	json_t *themes = arena_json(req->arena, project_themes(req->db, &error)), *t;
	json_t *out = json_array();
	size_t i;
	json_array_foreach(themes, i, t)
		json_array_append_new(out,
				      json_pack("{s:s, s:s, s:b, s:b}", "code", json_str(t, "_id"),
						"name", json_str(t, "name"), "checked",
						chosen_has(chosen, json_str(t, "_id")), "selected",
						chosen_has(chosen, json_str(t, "_id"))));
	return out;
}

json_t *project_theme_options(struct request *req, const char *selected)
{
	return project_theme_choices(req, arena_json(req->arena, json_string(selected)));
}

const char *project_theme_name(struct request *req, const char *code)
{
	bson_error_t error;
	json_t *themes = arena_json(req->arena, project_themes(req->db, &error));
	return arena_strdup(req->arena, json_str(json_find_id(themes, code), "name"));
}

const char *project_amount_text(struct request *req, const json_t *amount)
{
	if (!json_is_object(amount))
		return "";
	json_t *euros = json_object_get(amount, "euros");
	const char *note = json_str(amount, "note");
	const char *sum = euros ? arena_printf(req->arena, "%lld €",
					       (long long)json_integer_value(euros))
				: "";
	return arena_printf(req->arena, "%s%s%s", sum, *sum && *note ? " — " : "", note);
}
