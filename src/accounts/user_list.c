#include "accounts/user_list.h"

#include <mongoc/mongoc.h>
#include <string.h>

#include "accounts/account_cache.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "db/db.h"
#include "db/doc.h"
#include "db/lookup.h"
#include "http/request.h"

/* Writers that keep meeting each other give up after this many tries. */
enum { WRITE_ATTEMPTS = 5 };

/* Returns the "ids" of list document doc (may be NULL) as a new JSON
 * array reference. */
static json_t *ids_of(const bson_t *doc)
{
	json_t *j = doc ? doc_to_json(doc) : NULL;
	json_t *ids = json_object_get(j, "ids");
	ids = json_is_array(ids) ? json_incref(ids) : json_array();
	json_decref(j);
	return ids;
}

json_t *user_list_get(struct db_ctx *db, const char *list, const char *user_id, bool fresh,
		      bson_error_t *error)
{
	bson_t *doc = account_doc(db, list, user_id, fresh, error);
	if (!doc && error->code)
		return NULL;
	json_t *ids = arena_json(db->arena, ids_of(doc));
	bson_destroy(doc);
	return ids;
}

bool user_list_has(const json_t *ids, const char *id)
{
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), id) == 0)
			return true;
	return false;
}

json_t *user_list_appended(const json_t *ids, const char *id, size_t max, json_t **dropped)
{
	json_t *kept = json_array(), *v;
	size_t i;
	json_array_foreach(ids, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), id) != 0)
			json_array_append(kept, v);
	json_array_append_new(kept, json_string(id));
	*dropped = json_array();
	while (json_array_size(kept) > max) {
		json_array_append(*dropped, json_array_get(kept, 0));
		json_array_remove(kept, 0);
	}
	return kept;
}

/* Writes ids as user_id's list if its revision is still rev (0: no list
 * yet). A filter on {_id, rev} would read the whole collection on
 * FerretDB and decide nothing there (it reads, then writes): the first
 * list is an insert of its _id, and each later revision is claimed by a
 * unique _id (db/lookup.h) before the winner writes by _id alone.
 * Returns 1 when written, 0 when someone else wrote first, -1 on error. */
static int write_if(struct db_ctx *db, const char *list, const char *user_id, int64_t rev,
		    const json_t *ids, bson_error_t *error)
{
	int64_t next = rev + 1;
	if (rev > 0) {
		int won = lookup_claim(db, arena_printf(db->arena, "%s/%s", list, user_id), &next,
				       error);
		if (won <= 0)
			return won;
	}
	bson_t *values = bson_new(), array;
	BSON_APPEND_ARRAY_BEGIN(values, "ids", &array);
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v) {
		char index[16];
		const char *key;
		bson_uint32_to_string((uint32_t)i, &key, index, sizeof(index));
		bson_append_utf8(&array, key, -1, json_string_value(v), -1);
	}
	bson_append_array_end(values, &array);
	BSON_APPEND_INT64(values, "rev", next);
	mongoc_collection_t *c = db_collection(db, list);
	int rc;
	if (rev == 0) {
		BSON_APPEND_UTF8(values, "_id", user_id);
		rc = mongoc_collection_insert_one(c, values, NULL, NULL, error) ? 1
		     : error->code == 11000                                     ? 0
										: -1;
	} else {
		/* Matching nothing: the list went meanwhile; read it again. */
		bson_t *filter = BCON_NEW("_id", BCON_UTF8(user_id));
		bson_t *update = BCON_NEW("$set", BCON_DOCUMENT(values));
		bson_t reply;
		rc = mongoc_collection_update_one(c, filter, update, NULL, &reply, error)
			     ? doc_int(&reply, "matchedCount", 0) > 0
			     : -1;
		bson_destroy(&reply);
		bson_destroy(update);
		bson_destroy(filter);
	}
	bson_destroy(values);
	if (rc == 0)
		memset(error, 0, sizeof(*error));
	return rc;
}

/* Rewrites user_id's list as edit makes it from the current one, retrying
 * when another writer got there first. edit returns the new list (new
 * reference) and may fill *dropped (new reference); the arena keeps both,
 * as the attempts are few. Returns 0 or -1 with error set. */
static int rewrite(struct db_ctx *db, const char *list, const char *user_id,
		   json_t *(*edit)(const json_t *ids, const void *ctx, json_t **dropped),
		   const void *ctx, json_t **dropped, bson_error_t *error)
{
	for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
		bson_t *doc = doc_find_id(db, list, user_id, error);
		if (!doc && error->code)
			return -1;
		int64_t rev = doc ? doc_int(doc, "rev", 1) : 0;
		json_t *ids = arena_json(db->arena, ids_of(doc));
		bson_destroy(doc);
		json_t *gone = NULL;
		json_t *next = arena_json(db->arena, edit(ids, ctx, &gone));
		arena_json(db->arena, gone);
		int rc = write_if(db, list, user_id, rev, next, error);
		if (rc != 0) {
			if (rc > 0 && dropped)
				*dropped = gone;
			return rc > 0 ? 0 : -1;
		}
	}
	bson_set_error(error, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_CONFLICT,
		       "the list %s of %s kept changing", list, user_id);
	return -1;
}

struct add_ctx {
	const char *id;
	size_t max;
};

static json_t *edit_add(const json_t *ids, const void *ctx, json_t **dropped)
{
	const struct add_ctx *a = ctx;
	return user_list_appended(ids, a->id, a->max, dropped);
}

int user_list_add(struct db_ctx *db, const char *list, const char *user_id, const char *id,
		  size_t max, json_t **dropped, bson_error_t *error)
{
	struct add_ctx a = {id, max};
	*dropped = NULL;
	return rewrite(db, list, user_id, edit_add, &a, dropped, error);
}

struct remove_ctx {
	const char *id, *keep;
};

static json_t *edit_remove(const json_t *ids, const void *ctx, json_t **dropped)
{
	const struct remove_ctx *r = ctx;
	json_t *kept = json_array(), *v;
	*dropped = json_array();
	size_t i;
	json_array_foreach(ids, i, v) {
		const char *s = json_string_value(v);
		bool stays = !s      ? false
			     : r->id ? strcmp(s, r->id) != 0
				     : r->keep && strcmp(s, r->keep) == 0;
		json_array_append(stays ? kept : *dropped, v);
	}
	return kept;
}

int user_list_remove(struct db_ctx *db, const char *list, const char *user_id, const char *id,
		     const char *keep, json_t **dropped, bson_error_t *error)
{
	struct remove_ctx r = {id, keep};
	if (dropped)
		*dropped = NULL;
	return rewrite(db, list, user_id, edit_remove, &r, dropped, error);
}
