/* In-process caches kept coherent across processes and hosts: each cache
 * has a version counter in the "meta" collection (read by _id, so cheap
 * on every backend); a writer bumps it, and readers reload when it moved.
 * Readers check the version at most every CACHE_CHECK_MS. */
#ifndef COUSILAB_CACHE_H
#define COUSILAB_CACHE_H

#include <bson/bson.h>
#include <jansson.h>
#include <pthread.h>
#include <stdint.h>

struct request;

enum { CACHE_CHECK_MS = 500 };

struct versioned_cache {
	const char *key;         /* "organisations" → meta _id "version:organisations" */
	json_t *(*load)(struct request *req, bson_error_t *error);
	pthread_mutex_t lock;
	int64_t version;         /* -1 until first load */
	int64_t checked_ms;
	json_t *value;
};

#define VERSIONED_CACHE(k, loader) \
	{ .key = (k), .load = (loader), .lock = PTHREAD_MUTEX_INITIALIZER, .version = -1 }

/* Returns a new reference to the cached value, reloading it when its
 * version changed (or on first use). NULL with error set when the
 * database fails and nothing is cached yet. */
json_t *cache_get(struct versioned_cache *c, struct request *req, bson_error_t *error);

/* Bumps key's version so every process reloads. Returns 0 or -1. */
int cache_bump(struct request *req, const char *key, bson_error_t *error);

#endif
