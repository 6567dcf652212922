/* The accounts API: who am I, and the organisations directory for the
 * organisation picker's suggestions (from the in-process cache). */
#include <stdlib.h>

#include "accounts/organisation.h"
#include "accounts/organisation_picker.h"
#include "accounts/ui.h"
#include "accounts/user.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/reply.h"
#include "web/db_reply.h"
#include "web/error_reply.h"

json_t *user_public_json(const struct user *u)
{
	json_t *roles = json_array();
	for (int r = ROLE_AGENT; r < ROLE_COUNT; r++)
		if (r == ROLE_AGENT || (u->roles & (1u << r)))
			json_array_append_new(roles, json_string(role_name((enum role)r)));
	return json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:o}", "id", u->id, "name",
			 u->name ? u->name : "", "email", u->email, "organisation", u->organisation,
			 "job", u->job, "roles", roles);
}

void accounts_api_me(struct request *req)
{
	reply_json(req, 200, arena_json(req->arena, user_public_json(req->user)));
}

void accounts_api_organisations(struct request *req)
{
	bson_error_t error;
	json_t *active = arena_json(req->arena, organisations_active(req->db, &error));
	if (!active) {
		db_fail(req, "listing organisations", &error);
		return;
	}
	const char *q = request_param(req, "q"), *limit_text = request_param(req, "limit");
	char *end = NULL;
	long limit = limit_text ? strtol(limit_text, &end, 10) : 0;
	if (limit_text &&
	    (end == limit_text || *end || limit < 1 || limit > ORGANISATION_PICKER_LIMIT)) {
		json_t *fields = arena_json(
			req->arena,
			json_pack("{s:s}", "limit", "Indiquez un nombre entre 1 et 50."));
		reply_error(req, 422, "invalid", "Certains paramètres sont à corriger.", fields);
		return;
	}
	size_t total;
	json_t *found = arena_json(
		req->arena,
		organisation_picker_suggest(req->arena, active, q ? q : "", (size_t)limit, &total));
	json_t *items = json_array(), *o;
	size_t i;
	json_array_foreach(found, i, o)
		json_array_append_new(
			items, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", json_str(o, "_id"),
					 "code", json_str(o, "code"), "name", json_str(o, "name"),
					 "type", json_str(o, "type"), "branch",
					 json_str(o, "branch"), "region", json_str(o, "region")));
	reply_json(req, 200,
		   arena_json(req->arena,
			      json_pack("{s:I, s:o}", "total", (json_int_t)total, "items", items)));
}
