#include "db/doc.h"

#include <mongoc/mongoc.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/paris_time.h"
#include "db/batch.h"
#include "db/db.h"

char *doc_new_id(struct arena *a)
{
	unsigned char raw[12];
	char *hex = arena_alloc(a, sizeof(raw) * 2 + 1);
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(hex, sizeof(raw) * 2 + 1, raw, sizeof(raw));
	return hex;
}

int64_t doc_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Appends the JSON form of the value under iter to parent (object key or
 * array). */
static json_t *value_to_json(const bson_iter_t *iter, json_t *parent, const char *key);

static json_t *container_to_json(const bson_iter_t *iter, bool is_array)
{
	bson_iter_t child;
	json_t *out = is_array ? json_array() : json_object();
	if (!bson_iter_recurse(iter, &child))
		return out;
	while (bson_iter_next(&child))
		value_to_json(&child, out, is_array ? NULL : bson_iter_key(&child));
	return out;
}

static void put(json_t *parent, const char *key, json_t *value)
{
	if (!value)
		return;
	if (key)
		json_object_set_new(parent, key, value);
	else
		json_array_append_new(parent, value);
}

static json_t *value_to_json(const bson_iter_t *iter, json_t *parent, const char *key)
{
	json_t *v = NULL;
	char text[64];
	switch (bson_iter_type(iter)) {
	case BSON_TYPE_UTF8: v = json_string(bson_iter_utf8(iter, NULL)); break;
	case BSON_TYPE_INT32: v = json_integer(bson_iter_int32(iter)); break;
	case BSON_TYPE_INT64: v = json_integer(bson_iter_int64(iter)); break;
	case BSON_TYPE_DOUBLE: v = json_real(bson_iter_double(iter)); break;
	case BSON_TYPE_BOOL: v = json_boolean(bson_iter_bool(iter)); break;
	case BSON_TYPE_NULL: v = json_null(); break;
	case BSON_TYPE_OID:
		bson_oid_to_string(bson_iter_oid(iter), text);
		v = json_string(text);
		break;
	case BSON_TYPE_DATE_TIME: {
		int64_t ms = bson_iter_date_time(iter);
		v = json_string(paris_time_format_rfc3339(ms, text));
		if (key) {
			char fr[PARIS_TIME_LONG_MAX], name[256];
			paris_time_format_long(ms, fr, sizeof(fr));
			snprintf(name, sizeof(name), "%s_fr", key);
			json_object_set_new(parent, name, json_string(fr));
		}
		break;
	}
	case BSON_TYPE_DOCUMENT: v = container_to_json(iter, false); break;
	case BSON_TYPE_ARRAY: v = container_to_json(iter, true); break;
	default: break;
	}
	put(parent, key, v);
	return v;
}

json_t *doc_to_json(const bson_t *doc)
{
	json_t *out = json_object();
	bson_iter_t iter;
	if (bson_iter_init(&iter, doc))
		while (bson_iter_next(&iter))
			value_to_json(&iter, out, bson_iter_key(&iter));
	return out;
}

const char *doc_string(struct arena *a, const bson_t *doc, const char *key)
{
	bson_iter_t it;
	if (!bson_iter_init_find(&it, doc, key) || !BSON_ITER_HOLDS_UTF8(&it))
		return NULL;
	uint32_t len;
	const char *s = bson_iter_utf8(&it, &len);
	return arena_strndup(a, s, len);
}

int64_t doc_int(const bson_t *doc, const char *key, int64_t def)
{
	bson_iter_t it;
	if (!bson_iter_init_find(&it, doc, key))
		return def;
	switch (bson_iter_type(&it)) {
	case BSON_TYPE_INT32: return bson_iter_int32(&it);
	case BSON_TYPE_INT64: return bson_iter_int64(&it);
	case BSON_TYPE_DATE_TIME: return bson_iter_date_time(&it);
	default: return def;
	}
}

bson_t *doc_find_id_in(mongoc_collection_t *c, const char *id, bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
	bson_t *opts = BCON_NEW("limit", BCON_INT64(1));
	mongoc_cursor_t *cur = mongoc_collection_find_with_opts(c, filter, opts, NULL);
	const bson_t *doc;
	bson_t *found = NULL;
	if (mongoc_cursor_next(cur, &doc))
		found = bson_copy(doc);
	else
		mongoc_cursor_error(cur, error);
	mongoc_cursor_destroy(cur);
	bson_destroy(opts);
	bson_destroy(filter);
	return found;
}

bson_t *doc_find_id(struct db_ctx *ctx, const char *collection, const char *id, bson_error_t *error)
{
	return doc_find_id_in(db_collection(ctx, collection), id, error);
}

json_t *doc_find_id_json(struct db_ctx *ctx, const char *collection, const char *id,
			 bson_error_t *error)
{
	bson_t *doc = doc_find_id(ctx, collection, id, error);
	json_t *out = doc ? doc_to_json(doc) : NULL;
	if (doc)
		bson_destroy(doc);
	return out;
}

const char *json_str(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? s : "";
}

int doc_upsert_id_in(mongoc_collection_t *c, const char *id, bson_t *update, bson_error_t *error)
{
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
	bson_t *opts = BCON_NEW("upsert", BCON_BOOL(true));
	bool ok = mongoc_collection_update_one(c, filter, update, opts, NULL, error);
	/* Two upserts of a missing document race: both find nothing, both
	 * insert, one gets a duplicate key. MongoDB retries that itself;
	 * FerretDB does not. Once the other's insert exists, the update
	 * applies to it. */
	if (!ok && error->code == 11000)
		ok = mongoc_collection_update_one(c, filter, update, opts, NULL, error);
	bson_destroy(opts);
	bson_destroy(filter);
	bson_destroy(update);
	return ok ? 0 : -1;
}

int doc_upsert_id(struct db_ctx *ctx, const char *collection, const char *id, bson_t *update,
		  bson_error_t *error)
{
	return doc_upsert_id_in(db_collection(ctx, collection), id, update, error);
}

int doc_delete_matching(struct db_ctx *ctx, const char *collection, bson_t *filter,
			bson_error_t *error)
{
	int64_t n = db_delete_batched(db_collection(ctx, collection), filter, error);
	bson_destroy(filter);
	return n < 0 ? -1 : 0;
}

json_t *doc_find_all(struct db_ctx *ctx, const char *collection, bson_t *filter, bson_t *opts,
		     bson_error_t *error)
{
	mongoc_cursor_t *c = mongoc_collection_find_with_opts(db_collection(ctx, collection),
							      filter, opts, NULL);
	json_t *list = json_array();
	const bson_t *doc;
	while (mongoc_cursor_next(c, &doc))
		json_array_append_new(list, doc_to_json(doc));
	if (mongoc_cursor_error(c, error)) {
		json_decref(list);
		list = NULL;
	}
	mongoc_cursor_destroy(c);
	if (opts)
		bson_destroy(opts);
	bson_destroy(filter);
	return list;
}

json_t *json_find_id(json_t *list, const char *id)
{
	json_t *item;
	size_t i;
	json_array_foreach(list, i, item)
		if (strcmp(json_str(item, "_id"), id) == 0)
			return item;
	return NULL;
}

int doc_bulk_insert(mongoc_bulk_operation_t *bulk, long *inserted)
{
	enum { DUPLICATE_KEY = 11000 };
	bson_t reply;
	bson_error_t error;
	bool ok = mongoc_bulk_operation_execute(bulk, &reply, &error) != 0;
	bson_iter_t it, errs;
	if (bson_iter_init_find(&it, &reply, "nInserted"))
		*inserted += bson_iter_as_int64(&it);
	if (!ok && bson_iter_init_find(&it, &reply, "writeErrors") &&
	    bson_iter_recurse(&it, &errs)) {
		ok = true;
		while (ok && bson_iter_next(&errs)) {
			bson_iter_t code;
			ok = bson_iter_recurse(&errs, &code) && bson_iter_find(&code, "code") &&
			     bson_iter_as_int64(&code) == DUPLICATE_KEY;
		}
		ok = ok && !bson_iter_init_find(&it, &reply, "writeConcernErrors");
	}
	if (!ok)
		fprintf(stderr, "seed: bulk insert: %s\n", error.message);
	bson_destroy(&reply);
	return ok ? 0 : -1;
}

int doc_claim_id(struct db_ctx *ctx, const char *collection, const char *id, bson_error_t *error)
{
	enum { DUPLICATE_KEY = 11000 };
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(id), "at", BCON_DATE_TIME(doc_now_ms()));
	bool ok = mongoc_collection_insert_one(db_collection(ctx, collection), doc, NULL, NULL,
					       error);
	bson_destroy(doc);
	return ok ? 1 : error->code == DUPLICATE_KEY ? 0 : -1;
}

int doc_delete_id(struct db_ctx *ctx, const char *collection, const char *id, bson_error_t *error)
{
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
	bool ok = mongoc_collection_delete_one(db_collection(ctx, collection), filter, NULL, NULL,
					       error);
	bson_destroy(filter);
	return ok ? 0 : -1;
}

long doc_each(struct db_ctx *ctx, const char *collection,
	      void (*each)(const bson_t *doc, void *arg), void *arg, bson_error_t *error)
{
	bson_t *filter = bson_new();
	bson_t *opts = BCON_NEW("batchSize", BCON_INT32(200));
	mongoc_cursor_t *c = mongoc_collection_find_with_opts(db_collection(ctx, collection),
							      filter, opts, NULL);
	const bson_t *doc;
	long n = 0;
	while (mongoc_cursor_next(c, &doc)) {
		each(doc, arg);
		n++;
	}
	if (mongoc_cursor_error(c, error))
		n = -1;
	mongoc_cursor_destroy(c);
	bson_destroy(opts);
	bson_destroy(filter);
	return n;
}
