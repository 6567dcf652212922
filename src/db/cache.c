#include "db/cache.h"

#include <mongoc/mongoc.h>
#include <stdio.h>

#include "core/log.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/request.h"

/* Returns the version counter of key (0 when never bumped), or -1. */
static int64_t read_version(struct request *req, const char *key, bson_error_t *error)
{
	char id[128];
	snprintf(id, sizeof(id), "version:%s", key);
	bson_t *doc = doc_find_id(req, "meta", id, error);
	if (!doc)
		return error->code ? -1 : 0;
	int64_t v = doc_int(doc, "version", 0);
	bson_destroy(doc);
	return v;
}

json_t *cache_get(struct versioned_cache *c, struct request *req, bson_error_t *error)
{
	int64_t now = doc_now_ms();
	pthread_mutex_lock(&c->lock);
	if (c->value && now - c->checked_ms < CACHE_CHECK_MS) {
		json_t *v = json_incref(c->value);
		pthread_mutex_unlock(&c->lock);
		return v;
	}
	/* One thread refreshes while the others keep reading under the lock:
	 * reloads are rare and short. */
	int64_t version = read_version(req, c->key, error);
	if (version >= 0 && (version != c->version || !c->value)) {
		json_t *fresh = c->load(req, error);
		if (fresh) {
			json_decref(c->value);
			c->value = fresh;
			c->version = version;
		}
	}
	if (version >= 0)
		c->checked_ms = now;
	else if (c->value)
		log_error(req->request_id, "cache %s: serving the last known copy: %s",
			  c->key, error->message);
	json_t *v = c->value ? json_incref(c->value) : NULL;
	pthread_mutex_unlock(&c->lock);
	return v;
}

int cache_bump(struct request *req, const char *key, bson_error_t *error)
{
	char id[128];
	snprintf(id, sizeof(id), "version:%s", key);
	return doc_upsert_id(req, "meta", id,
			     BCON_NEW("$inc", "{", "version", BCON_INT64(1), "}"), error);
}
