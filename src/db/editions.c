#include "db/editions.h"

#include <mongoc/mongoc.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/arena.h"
#include "db/cache.h"
#include "db/db.h"
#include "db/doc.h"

static json_int_t year_of(const json_t *e)
{
	return json_integer_value(json_object_get(e, "year"));
}

static int by_year_desc(const void *a, const void *b)
{
	json_int_t x = year_of(*(json_t *const *)a), y = year_of(*(json_t *const *)b);
	return x < y ? 1 : x > y ? -1 : 0;
}

json_t *editions_load(struct db_ctx *db, const char *collection,
		      json_t *(*to_json)(const bson_t *doc), bson_error_t *error)
{
	bson_t *filter = bson_new();
	mongoc_cursor_t *cur = mongoc_collection_find_with_opts(db_collection(db, collection),
								filter, NULL, NULL);
	bson_destroy(filter);
	size_t n = 0, cap = 16;
	json_t **items = malloc(cap * sizeof(*items));
	const bson_t *doc;
	while (mongoc_cursor_next(cur, &doc)) {
		if (n == cap)
			items = realloc(items, (cap *= 2) * sizeof(*items));
		items[n++] = to_json(doc);
	}
	bool failed = mongoc_cursor_error(cur, error);
	mongoc_cursor_destroy(cur);
	qsort(items, n, sizeof(*items), by_year_desc);
	json_t *list = failed ? NULL : json_array();
	for (size_t i = 0; i < n; i++)
		if (list)
			json_array_append_new(list, items[i]);
		else
			json_decref(items[i]);
	free(items);
	return list;
}

static void release(void *value)
{
	json_decref(value);
}

const json_t *editions_find(struct db_ctx *db, json_t *all, int year)
{
	arena_on_free(db->arena, release, all);
	json_t *e;
	size_t i;
	json_array_foreach(all, i, e)
		if (year_of(e) == year)
			return e;
	return NULL;
}

void editions_date_ms(json_t *e, const bson_t *doc, const char *key)
{
	bson_iter_t it;
	char fr[64];
	snprintf(fr, sizeof(fr), "%s_fr", key);
	json_object_del(e, fr);
	if (bson_iter_init_find(&it, doc, key) && BSON_ITER_HOLDS_DATE_TIME(&it))
		json_object_set_new(e, key, json_integer(bson_iter_date_time(&it)));
}

int editions_insert(struct db_ctx *db, const char *collection, const char *cache_key, bson_t *doc,
		    int year, bool example, bson_error_t *err)
{
	char id[16];
	snprintf(id, sizeof(id), "%d", year);
	int64_t now = doc_now_ms();
	BSON_APPEND_UTF8(doc, "_id", id);
	BSON_APPEND_BOOL(doc, "example", example);
	BSON_APPEND_DATE_TIME(doc, "created_at", now);
	BSON_APPEND_DATE_TIME(doc, "updated_at", now);
	BSON_APPEND_INT64(doc, "rev", 1);
	bool ok = mongoc_collection_insert_one(db_collection(db, collection), doc, NULL, NULL, err);
	bson_destroy(doc);
	return ok ? cache_bump(db, cache_key, err) : -1;
}

int editions_set(struct db_ctx *db, const char *collection, const char *cache_key, const char *id,
		 bson_t *set, int64_t rev, bson_error_t *err)
{
	BSON_APPEND_DATE_TIME(set, "updated_at", doc_now_ms());
	BSON_APPEND_INT64(set, "rev", rev);
	bson_t *update = bson_new();
	BSON_APPEND_DOCUMENT(update, "$set", set);
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
	bool ok = mongoc_collection_update_one(db_collection(db, collection), filter, update, NULL,
					       NULL, err);
	bson_destroy(filter);
	bson_destroy(update);
	bson_destroy(set);
	return ok ? cache_bump(db, cache_key, err) : -1;
}
