/* Organisation members as a lookup list (see members.h). */
#include "accounts/members.h"

#include <mongoc/mongoc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/fold.h"
#include "db/db.h"
#include "db/doc.h"
#include "db/lookup.h"
#include "http/request.h"

/* Returns "members_of:<org>" in the arena. */
static const char *list_name(struct request *req, const char *org)
{
	return arena_printf(req->arena, "members_of:%s", org);
}

int members_add(struct request *req, const char *org, const char *user_id,
		bson_error_t *error)
{
	return lookup_add_id(req, list_name(req, org), user_id, error);
}

int members_move(struct request *req, const char *from, const char *to,
		 const char *user_id, bson_error_t *error)
{
	if (from && to && strcmp(from, to) == 0)
		return 0;
	if (to && *to && members_add(req, to, user_id, error))
		return -1;
	return from && *from && lookup_remove(req, list_name(req, from), user_id, error) < 0
		       ? -1 : 0;
}

struct member {
	const char *key; /* folded name, for sorting */
	json_t *json;
};

static int member_cmp(const void *a, const void *b)
{
	return strcmp(((const struct member *)a)->key, ((const struct member *)b)->key);
}

json_t *members_of(struct request *req, const char *code, size_t *total,
		   bson_error_t *error)
{
	struct lookup_info info;
	json_t *ids = lookup_tail(req, list_name(req, code), MEMBERS_SHOWN, &info, error);
	if (!ids)
		return NULL;
	*total = (size_t)info.count;
	size_t n = 0, i;
	struct member *found = arena_alloc(req->arena,
					   (json_array_size(ids) + 1) * sizeof(*found));
	json_t *item;
	json_array_foreach(ids, i, item) {
		bson_t *doc = doc_find_id(req, "users", json_str(item, "id"), error);
		if (!doc && error->code) {
			for (size_t k = 0; k < n; k++)
				json_decref(found[k].json);
			json_decref(ids);
			return NULL;
		}
		const char *org = doc ? doc_string(req->arena, doc, "organisation") : NULL;
		const char *status = doc ? doc_string(req->arena, doc, "status") : NULL;
		if (org && status && strcmp(org, code) == 0 && strcmp(status, "active") == 0) {
			const char *name = doc_string(req->arena, doc, "name");
			const char *job = doc_string(req->arena, doc, "job");
			found[n].key = text_fold(req->arena, name ? name : "");
			found[n++].json = json_pack("{s:s, s:s}", "name", name ? name : "",
						    "job", job ? job : "");
		}
		if (doc)
			bson_destroy(doc);
	}
	json_decref(ids);
	qsort(found, n, sizeof(*found), member_cmp);
	json_t *out = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(out, found[i].json);
	/* Past the newest shown, the total is the list's. */
	if (*total <= MEMBERS_SHOWN)
		*total = n;
	return out;
}

int members_backfill(struct request *req)
{
	bson_t *filter = bson_new();
	bson_t *opts = BCON_NEW("projection", "{", "organisation", BCON_INT32(1), "}",
				"sort", "{", "created_at", BCON_INT32(1), "}");
	mongoc_cursor_t *c = mongoc_collection_find_with_opts(db_collection(req, "users"),
							      filter, opts, NULL);
	json_t *lists = json_object(); /* org → [user ids] */
	const bson_t *doc;
	while (mongoc_cursor_next(c, &doc)) {
		const char *org = doc_string(req->arena, doc, "organisation");
		const char *id = doc_string(req->arena, doc, "_id");
		if (!org || !*org || !id)
			continue;
		json_t *ids = json_object_get(lists, org);
		if (!ids)
			json_object_set_new(lists, org, ids = json_array());
		json_array_append_new(ids, json_string(id));
	}
	bson_error_t error;
	int rc = mongoc_cursor_error(c, &error) ? -1 : 0;
	mongoc_cursor_destroy(c);
	bson_destroy(opts);
	bson_destroy(filter);
	const char *org;
	json_t *ids;
	json_object_foreach(lists, org, ids) {
		struct lookup_info info;
		if (rc || lookup_stat(req, list_name(req, org), &info, &error)) {
			rc = -1;
			break;
		}
		size_t i;
		json_t *id;
		json_array_foreach(ids, i, id)
			if (info.count == 0 && members_add(req, org, json_string_value(id), &error)) {
				rc = -1;
				break;
			}
	}
	json_decref(lists);
	if (rc)
		fprintf(stderr, "members: building the lists: %s\n", error.message);
	return rc;
}
