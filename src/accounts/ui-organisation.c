/* An organisation's page (/organisations/{code}), for signed-in agents:
 * what it is and who takes part from it. Each feature that belongs to an
 * organisation (practices, teams, projects) adds its own section. */
#include <mongoc/mongoc.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/admin.h"
#include "accounts/organisation.h"
#include "core/arena.h"
#include "core/fold.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/reply.h"
#include "practices/reuse.h"
#include "view/page.h"

struct member {
	const char *key; /* folded name, for sorting */
	const char *name;
	const char *job;
};

static int member_cmp(const void *a, const void *b)
{
	return strcmp(((const struct member *)a)->key, ((const struct member *)b)->key);
}

/* Returns the active accounts of organisation code as [{name, job}],
 * sorted by name whatever the accents, or NULL with error set. New
 * reference. */
static json_t *members(struct request *req, const char *code, bson_error_t *error)
{
	bson_t *filter = BCON_NEW("organisation", BCON_UTF8(code), "status",
				  BCON_UTF8("active"));
	bson_t *opts = BCON_NEW("projection", "{", "name", BCON_INT32(1), "job",
				BCON_INT32(1), "}");
	mongoc_cursor_t *c = mongoc_collection_find_with_opts(db_collection(req, "users"),
							      filter, opts, NULL);
	size_t n = 0, cap = 16;
	struct member *list = arena_alloc(req->arena, cap * sizeof(*list));
	const bson_t *doc;
	while (mongoc_cursor_next(c, &doc)) {
		if (n == cap) {
			struct member *grown = arena_alloc(req->arena, 2 * cap * sizeof(*list));
			memcpy(grown, list, n * sizeof(*list));
			list = grown;
			cap *= 2;
		}
		const char *name = doc_string(req->arena, doc, "name");
		const char *job = doc_string(req->arena, doc, "job");
		list[n].name = name ? name : "";
		list[n].job = job ? job : "";
		list[n].key = text_fold(req->arena, list[n].name);
		n++;
	}
	bool failed = mongoc_cursor_error(c, error);
	mongoc_cursor_destroy(c);
	bson_destroy(opts);
	bson_destroy(filter);
	if (failed)
		return NULL;
	qsort(list, n, sizeof(*list), member_cmp);
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(out, json_pack("{s:s, s:s}", "name", list[i].name,
						     "job", list[i].job));
	return out;
}

void organisation_page(struct request *req)
{
	const char *code = request_param(req, "code");
	bson_error_t error;
	bson_t *doc = doc_find_id(req, "organisations", code, &error);
	if (!doc) {
		if (error.code)
			db_fail(req, "reading an organisation", &error);
		else
			reply_error(req, 404, "not_found", "Cet organisme n'existe pas.", NULL);
		return;
	}
	json_t *org = doc_to_json(doc);
	bson_destroy(doc);
	json_t *people = members(req, code, &error);
	if (!people) {
		json_decref(org);
		db_fail(req, "listing an organisation's members", &error);
		return;
	}
	const char *name = arena_strdup(req->arena, json_str(org, "name"));
	json_t *data = json_pack("{s:{s:s, s:s, s:s, s:s, s:s, s:b}, s:o, s:I}",
		"org", "code", code, "name", name,
		"type", organisation_type_label(json_str(org, "type")),
		"branch", organisation_branch_label(json_str(org, "branch")),
		"region", json_str(org, "region"),
		"active", strcmp(json_str(org, "status"), "active") == 0,
		"members", people, "member_count", (json_int_t)json_array_size(people));
	json_decref(org);
	if (organisation_practices_data(req, code, data) == 0)
		page_reply(req, 200, "organisations/show", name, NULL, data);
	json_decref(data);
}
