#include "db/cache.h"

#include <mongoc/mongoc.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "db/db.h"
#include "db/doc.h"

/* The caches used so far, for the refresher. */
static pthread_mutex_t listed_lock = PTHREAD_MUTEX_INITIALIZER;
static struct versioned_cache *listed;
/* Set by the first cache_refresh_all: requests stop checking versions. */
static bool background;

/* Returns the version counter of key (0 when never bumped), or -1. */
static int64_t read_version(struct db_ctx *ctx, const char *key, bson_error_t *error)
{
	char id[128];
	snprintf(id, sizeof(id), "version:%s", key);
	bson_t *doc = doc_find_id(ctx, "meta", id, error);
	if (!doc)
		return error->code ? -1 : 0;
	int64_t v = doc_int(doc, "version", 0);
	bson_destroy(doc);
	return v;
}

/* Reads c's version and reloads c when it moved (or was never loaded),
 * outside c's lock, so readers keep the last copy meanwhile. Versions only
 * grow: a slower concurrent reload never replaces a newer one. Returns 0,
 * or -1 with error set. */
static int refresh(struct versioned_cache *c, struct db_ctx *ctx, bson_error_t *error)
{
	int64_t now = doc_now_ms();
	int64_t version = read_version(ctx, c->key, error);
	if (version < 0)
		return -1;
	pthread_mutex_lock(&c->lock);
	bool stale = version != c->version || !c->value;
	uint64_t edits = c->edits;
	pthread_mutex_unlock(&c->lock);
	json_t *fresh = stale ? c->load(ctx, error) : NULL;
	if (stale && !fresh)
		return -1;
	pthread_mutex_lock(&c->lock);
	if (fresh && version >= c->version && edits == c->edits) {
		json_decref(c->value);
		c->value = fresh;
		c->version = version;
		fresh = NULL;
	}
	c->checked_ms = now;
	pthread_mutex_unlock(&c->lock);
	json_decref(fresh);
	return 0;
}

/* Puts c in the refresher's list on its first use. */
static void list_once(struct versioned_cache *c)
{
	pthread_mutex_lock(&listed_lock);
	if (!c->listed) {
		c->listed = true;
		c->next = listed;
		listed = c;
	}
	pthread_mutex_unlock(&listed_lock);
}

/* Returns a new reference to c's value when it may be served as it is. */
static json_t *current(struct versioned_cache *c)
{
	int64_t now = doc_now_ms();
	bool in_background = __atomic_load_n(&background, __ATOMIC_RELAXED);
	pthread_mutex_lock(&c->lock);
	json_t *v = c->value && (in_background || now - c->checked_ms < CACHE_CHECK_MS)
			    ? json_incref(c->value)
			    : NULL;
	pthread_mutex_unlock(&c->lock);
	return v;
}

json_t *cache_get(struct versioned_cache *c, struct db_ctx *ctx, bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	json_t *v = current(c);
	if (v)
		return v;
	list_once(c);
	int rc = refresh(c, ctx, error);
	pthread_mutex_lock(&c->lock);
	v = c->value ? json_incref(c->value) : NULL;
	pthread_mutex_unlock(&c->lock);
	if (rc && v)
		log_error(ctx->log_id, "cache %s: serving the last known copy: %s", c->key,
			  error->message);
	return v;
}

/* Returns the caches used so far, first to last listed. */
static struct versioned_cache *listed_caches(void)
{
	pthread_mutex_lock(&listed_lock);
	struct versioned_cache *first = listed;
	pthread_mutex_unlock(&listed_lock);
	return first;
}

int cache_stamp_read(struct db_ctx *ctx, const char *key, char out[33], bson_error_t *error)
{
	char id[128];
	snprintf(id, sizeof(id), "version:%s", key);
	out[0] = '\0';
	bson_t *doc = doc_find_id(ctx, "meta", id, error);
	if (!doc)
		return error->code ? -1 : 0;
	bson_iter_t it;
	if (bson_iter_init_find(&it, doc, "stamp") && BSON_ITER_HOLDS_UTF8(&it))
		snprintf(out, 33, "%s", bson_iter_utf8(&it, NULL));
	bson_destroy(doc);
	return 0;
}

int cache_version_bump(struct db_ctx *ctx, const char *key, bson_error_t *error)
{
	char id[128];
	snprintf(id, sizeof(id), "version:%s", key);
	return doc_upsert_id(ctx, "meta", id, BCON_NEW("$inc", "{", "version", BCON_INT64(1), "}"),
			     error);
}

void cache_edit(struct versioned_cache *c, json_t *(*edit)(const json_t *copy, void *arg),
		void *arg)
{
	list_once(c);
	pthread_mutex_lock(&c->lock);
	json_t *old = c->value, *edited = old ? edit(old, arg) : NULL;
	if (edited) {
		c->value = edited;
		c->edits++;
	} else {
		old = NULL;
	}
	pthread_mutex_unlock(&c->lock);
	json_decref(old);
}

int cache_bump(struct db_ctx *ctx, const char *key, bson_error_t *error)
{
	if (cache_version_bump(ctx, key, error))
		return -1;
	/* The writer sees its own change at once; should that reload fail,
	 * the refresher catches up (the write itself is done). */
	for (struct versioned_cache *c = listed_caches(); c; c = c->next) {
		bson_error_t reload;
		if (strcmp(c->key, key) == 0 && refresh(c, ctx, &reload))
			log_error(ctx->log_id, "cache %s: reload after a write: %s", c->key,
				  reload.message);
	}
	return 0;
}

int cache_refresh_all(struct db_ctx *ctx)
{
	__atomic_store_n(&background, true, __ATOMIC_RELAXED);
	int rc = 0;
	int64_t now = doc_now_ms();
	for (struct versioned_cache *c = listed_caches(); c; c = c->next) {
		pthread_mutex_lock(&c->lock);
		bool due = now - c->checked_ms >= CACHE_CHECK_MS;
		pthread_mutex_unlock(&c->lock);
		bson_error_t error;
		if (due && refresh(c, ctx, &error)) {
			log_error(NULL, "cache %s: serving the last known copy: %s", c->key,
				  error.message);
			rc = -1;
		}
	}
	return rc;
}
