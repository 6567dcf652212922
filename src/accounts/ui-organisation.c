/* An organisation's page (/organisations/{code}), for signed-in agents:
 * what it is and who takes part from it. Each feature that belongs to an
 * organisation (practices, teams, projects) adds its own section
 * (accounts/organisation_sections.h). */
#include <mongoc/mongoc.h>
#include <string.h>

#include "accounts/members.h"
#include "accounts/organisation.h"
#include "accounts/organisation_sections.h"
#include "accounts/ui.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/request.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/page.h"

void organisation_page(struct request *req)
{
	const char *code = request_param(req, "code");
	bson_error_t error;
	bson_t *doc = doc_find_id(req->db, "organisations", code, &error);
	if (!doc) {
		if (error.code)
			db_fail(req, "reading an organisation", &error);
		else
			reply_error(req, 404, "not_found", "Cet organisme n’existe pas.", NULL);
		return;
	}
	json_t *org = arena_json(req->arena, doc_to_json(doc));
	bson_destroy(doc);
	size_t member_total;
	json_t *people = members_of(req->db, code, &member_total, &error);
	if (!people) {
		db_fail(req, "listing an organisation's members", &error);
		return;
	}
	const char *name = json_str(org, "name");
	json_t *data = arena_json(
		req->arena,
		json_pack("{s:{s:s, s:s, s:s, s:s, s:s, s:b}, s:o, s:I}", "org", "code", code,
			  "name", name, "type", organisation_type_label(json_str(org, "type")),
			  "branch", organisation_branch_label(json_str(org, "branch")), "region",
			  json_str(org, "region"), "active",
			  strcmp(json_str(org, "status"), "active") == 0, "members", people,
			  "member_count", (json_int_t)member_total));
	json_t *sections = organisation_sections_render_or_reply(req, json_object_get(data, "org"));
	if (sections) {
		json_object_set(data, "sections", sections);
		page_reply(req, 200, "organisations/show", name, NULL, data);
	}
}
