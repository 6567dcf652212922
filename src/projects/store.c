#include "projects/store.h"

#include <mongoc/mongoc.h>
#include <string.h>

#include "accounts/user.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/fold.h"
#include "db/db.h"
#include "db/doc.h"
#include "db/lookup.h"
#include "http/request.h"
#include "projects/index.h"

enum { UPDATE_ATTEMPTS = 8, SLUG_MAX = 70, DUPLICATE_KEY = 11000 };

/* The dates the rules and the index read as numbers, beside their ISO
 * form. */
static const char *const DATE_FIELDS[] = {"created_at", "updated_at", "last_activity_at"};

static const char *const RESERVED[] = {"nouveau", "tableau", "entonnoir", "export"};

json_t *project_date(int64_t ms)
{
	return json_pack("{s:I}", "$date_ms", (json_int_t)ms);
}

static bool append_json(bson_t *b, const char *key, const json_t *v);

static bool append_members(bson_t *b, const json_t *obj)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)obj, k, v)
		if (!append_json(b, k, v))
			return false;
	return true;
}

/* Appends v under key; false on a JSON type BSON has no place for. */
static bool append_json(bson_t *b, const char *key, const json_t *v)
{
	bson_t child;
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		json_t *ms = json_object_get(v, "$date_ms");
		if (ms && json_object_size(v) == 1)
			return BSON_APPEND_DATE_TIME(b, key, json_integer_value(ms));
		BSON_APPEND_DOCUMENT_BEGIN(b, key, &child);
		bool ok = append_members(&child, v);
		return bson_append_document_end(b, &child) && ok;
	}
	case JSON_ARRAY: {
		BSON_APPEND_ARRAY_BEGIN(b, key, &child);
		size_t i;
		json_t *item;
		bool ok = true;
		json_array_foreach(v, i, item) {
			char idx[16];
			snprintf(idx, sizeof(idx), "%zu", i);
			ok = ok && append_json(&child, idx, item);
		}
		return bson_append_array_end(b, &child) && ok;
	}
	case JSON_STRING: return BSON_APPEND_UTF8(b, key, json_string_value(v));
	case JSON_INTEGER: return BSON_APPEND_INT64(b, key, json_integer_value(v));
	case JSON_REAL: return BSON_APPEND_DOUBLE(b, key, json_real_value(v));
	case JSON_TRUE: return BSON_APPEND_BOOL(b, key, true);
	case JSON_FALSE: return BSON_APPEND_BOOL(b, key, false);
	case JSON_NULL: return BSON_APPEND_NULL(b, key);
	}
	return false;
}

bson_t *project_bson_of(const json_t *j, bson_error_t *error)
{
	bson_t *b = bson_new();
	if (json_is_object(j) && append_members(b, j))
		return b;
	bson_destroy(b);
	bson_set_error(error, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_LOCAL,
		       "a project field has no BSON form");
	return NULL;
}

/* Returns doc as JSON with the "<date>_ms" integers of DATE_FIELDS. */
static json_t *json_with_ms(const bson_t *doc)
{
	json_t *j = doc_to_json(doc);
	for (size_t i = 0; i < sizeof(DATE_FIELDS) / sizeof(*DATE_FIELDS); i++) {
		char key[40];
		snprintf(key, sizeof(key), "%s_ms", DATE_FIELDS[i]);
		json_object_set_new(j, key, json_integer(doc_int(doc, DATE_FIELDS[i], 0)));
	}
	return j;
}

json_t *project_load(struct request *req, const char *id, bson_error_t *error)
{
	bson_t *doc = doc_find_id(req->db, "projects", id, error);
	if (!doc)
		return NULL;
	json_t *j = arena_json(req->arena, json_with_ms(doc));
	bson_destroy(doc);
	return j;
}

const char *project_id_of_slug(struct request *req, const char *slug, bson_error_t *error)
{
	bson_t *doc = doc_find_id(req->db, "project_slugs", slug, error);
	if (!doc)
		return NULL;
	const char *id = doc_string(req->arena, doc, "project_id");
	bson_destroy(doc);
	if (!id)
		memset(error, 0, sizeof(*error));
	return id;
}

const char *project_slug_base(struct arena *a, const char *title)
{
	const char *folded = text_fold(a, title);
	char *slug = arena_alloc(a, SLUG_MAX + 1);
	size_t n = 0;
	bool gap = false;
	for (const char *p = folded; *p && n < SLUG_MAX - 1; p++) {
		bool keep = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9');
		if (!keep) {
			gap = n > 0;
			continue;
		}
		if (gap)
			slug[n++] = '-';
		slug[n++] = *p;
		gap = false;
	}
	slug[n] = '\0';
	if (!n)
		return "projet";
	/* Pages of /projets/ win over a project's slug (the router prefers a
	 * literal segment): a project named like one gets a suffix. */
	for (size_t i = 0; i < sizeof(RESERVED) / sizeof(*RESERVED); i++)
		if (strcmp(slug, RESERVED[i]) == 0)
			return arena_printf(a, "%s-projet", slug);
	return slug;
}

/* Claims the first free slug of base, base-2, base-3... for id by
 * inserting its project_slugs document. Returns it (arena) or NULL. */
static const char *claim_slug(struct request *req, const char *base, const char *id,
			      bson_error_t *error)
{
	for (int n = 1; n <= 100; n++) {
		const char *slug = n == 1 ? base : arena_printf(req->arena, "%s-%d", base, n);
		bson_t *doc = BCON_NEW("_id", BCON_UTF8(slug), "project_id", BCON_UTF8(id));
		bool ok = mongoc_collection_insert_one(db_collection(req->db, "project_slugs"), doc,
						       NULL, NULL, error);
		bson_destroy(doc);
		if (ok)
			return slug;
		if (error->code != DUPLICATE_KEY)
			return NULL;
	}
	bson_set_error(error, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_CONFLICT, "no free slug");
	return NULL;
}

int project_changed(struct db_ctx *db, const char *id, bson_error_t *error)
{
	return projects_index_changed(db, id, error);
}

const char *project_insert(struct request *req, json_t *p, bson_error_t *error)
{
	const char *id = *json_str(p, "_id") ? arena_strdup(req->arena, json_str(p, "_id"))
					     : doc_new_id(req->arena);
	const char *slug = claim_slug(req, project_slug_base(req->arena, json_str(p, "title")), id,
				      error);
	if (!slug)
		return NULL;
	int64_t now = doc_now_ms();
	json_object_set_new(p, "_id", json_string(id));
	json_object_set_new(p, "slug", json_string(slug));
	json_object_set_new(p, "rev", json_integer(1));
	if (!json_object_get(p, "stage"))
		json_object_set_new(p, "stage", json_string("idee"));
	json_object_set_new(p, "state", json_string("active"));
	json_object_set_new(p, "pending", json_array());
	if (!json_object_get(p, "indicators"))
		json_object_set_new(p, "indicators", json_array());
	for (size_t i = 0; i < sizeof(DATE_FIELDS) / sizeof(*DATE_FIELDS); i++)
		json_object_set_new(p, DATE_FIELDS[i], project_date(now));
	bson_t *doc = project_bson_of(p, error);
	bool ok = doc && mongoc_collection_insert_one(db_collection(req->db, "projects"), doc, NULL,
						      NULL, error);
	bson_destroy(doc);
	if (!ok || project_changed(req->db, id, error))
		return NULL;
	return id;
}

/* Writes set into project id as revision rev, if this writer wins the
 * claim on rev. Returns 1 written, 0 lost, -1 error. */
static int write_rev(struct request *req, const char *id, int64_t rev, json_t *set,
		     bson_error_t *error)
{
	int64_t next = rev;
	int won = lookup_claim(req->db, arena_printf(req->arena, "projects/%s", id), &next, error);
	if (won != 1)
		return won;
	json_object_set_new(set, "rev", json_integer(next));
	json_object_set_new(set, "updated_at", project_date(doc_now_ms()));
	bson_t *fields = project_bson_of(set, error);
	if (!fields)
		return -1;
	bson_t *update = bson_new(), *filter = BCON_NEW("_id", BCON_UTF8(id));
	BSON_APPEND_DOCUMENT(update, "$set", fields);
	bool ok = mongoc_collection_update_one(db_collection(req->db, "projects"), filter, update,
					       NULL, NULL, error);
	bson_destroy(filter);
	bson_destroy(update);
	bson_destroy(fields);
	return ok ? 1 : -1;
}

int project_update(struct request *req, const char *id, project_edit_fn edit, void *ctx,
		   bson_error_t *error)
{
	for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
		json_t *p = project_load(req, id, error);
		if (!p)
			return -1;
		json_t *set = arena_json(req->arena, json_object());
		enum project_edit_result r = edit(req, p, set, ctx);
		int rc = r == PROJECT_EDIT_WRITE
				 ? write_rev(req, id,
					     json_integer_value(json_object_get(p, "rev")) + 1, set,
					     error)
			 : r == PROJECT_EDIT_REFUSED ? 2
						     : -1;
		if (rc == 2)
			return 0;
		if (rc < 0) {
			if (r == PROJECT_EDIT_FAILED && !error->code)
				bson_set_error(error, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_LOCAL,
					       "project %s: edit failed", id);
			return -1;
		}
		if (rc == 1)
			return project_changed(req->db, id, error) ? -1 : 1;
		lookup_back_off();
	}
	bson_set_error(error, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_CONFLICT,
		       "project %s kept changing", id);
	return -1;
}

const char *project_insert_child(struct db_ctx *db, const char *collection, const char *list,
				 json_t *doc, bson_error_t *error)
{
	const char *id = doc_new_id(db->arena);
	json_object_set_new(doc, "_id", json_string(id));
	bson_t *b = project_bson_of(doc, error);
	bool ok = b &&
		  mongoc_collection_insert_one(db_collection(db, collection), b, NULL, NULL, error);
	bson_destroy(b);
	if (!ok || (list && lookup_add_id(db, list, id, error)))
		return NULL;
	return id;
}

int project_event_add(struct request *req, const char *id, const char *kind, const char *from,
		      const char *to, const char *note, const json_t *evidence, bson_error_t *error)
{
	json_t *e = arena_json(req->arena, json_pack("{s:s, s:s, s:o, s:s, s:s}", "project_id", id,
						     "kind", kind, "at", project_date(doc_now_ms()),
						     "by_id", req->user ? req->user->id : "",
						     "by_name", req->user ? req->user->name : ""));
	if (from)
		json_object_set_new(e, "from", json_string(from));
	if (to)
		json_object_set_new(e, "to", json_string(to));
	if (note && *note)
		json_object_set_new(e, "note", json_string(note));
	if (evidence && json_object_size(evidence))
		json_object_set(e, "evidence", (json_t *)evidence);
	const char *eid = project_insert_child(req->db, "project_events",
					       arena_printf(req->arena, "project-events:%s", id), e,
					       error);
	return eid ? 0 : -1;
}

json_t *project_children(struct request *req, const char *list, const char *collection, size_t max,
			 bson_error_t *error)
{
	json_t *items = arena_json(req->arena, lookup_tail(req->db, list, max, NULL, error));
	json_t *docs = items ? arena_json(req->arena,
					  lookup_fetch(req->db, items, collection, error))
			     : NULL;
	if (!docs)
		return NULL;
	json_t *newest_first = arena_json(req->arena, json_array());
	for (size_t i = json_array_size(docs); i-- > 0;)
		json_array_append(newest_first, json_array_get(docs, i));
	return newest_first;
}

json_t *project_events(struct request *req, const char *id, size_t max, bson_error_t *error)
{
	return project_children(req, arena_printf(req->arena, "project-events:%s", id),
				"project_events", max, error);
}
