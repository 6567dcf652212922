/* In-process caches kept coherent across processes and hosts: each cache
 * has a version counter in the "meta" collection (read by _id, so cheap
 * on every backend); a writer bumps it, and readers reload when it moved.
 *
 * In a serving process the background refresher (web/refresher.h) checks
 * the versions every CACHE_CHECK_MS at most, and requests only read the
 * last copy: they never wait for the database, which may be down. The
 * first use of a cache loads it (one query, failing at once while the
 * database is down); a writer reloads its own copy at once (cache_bump).
 * Commands, which run no refresher, check the version on use instead. */
#ifndef COUSILAB_CACHE_H
#define COUSILAB_CACHE_H

#include <bson/bson.h>
#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct db_ctx;

enum { CACHE_CHECK_MS = 500 };

struct versioned_cache {
	const char *key; /* "organisations" → meta _id "version:organisations" */
	json_t *(*load)(struct db_ctx *ctx, bson_error_t *error);
	pthread_mutex_t lock; /* guards what follows; never held over I/O */
	int64_t version;      /* -1 until first load */
	int64_t checked_ms;
	json_t *value;
	uint64_t edits;               /* cache_edit calls: a reload begun before one is dropped */
	struct versioned_cache *next; /* in the refresher's list, once used */
	bool listed;
};

#define VERSIONED_CACHE(k, loader)                                                             \
	{                                                                                      \
		.key = (k), .load = (loader), .lock = PTHREAD_MUTEX_INITIALIZER, .version = -1 \
	}

/* Returns a new reference to the cached value (see above for when it is
 * checked). NULL with error set when the database fails and nothing is
 * cached yet. */
json_t *cache_get(struct versioned_cache *c, struct db_ctx *ctx, bson_error_t *error);

/* Bumps key's version so every process reloads, and reloads this
 * process's caches of key at once. Returns 0 or -1. */
int cache_bump(struct db_ctx *ctx, const char *key, bson_error_t *error);

/* Moves key's version so that every process, this one included, reloads
 * its copies of key on its refresher's next pass, without reloading here:
 * for a cache too large to reload on a writer's request, whose writer puts
 * its own change in place with cache_put. Returns 0, or -1 with error
 * set. */
int cache_version_bump(struct db_ctx *ctx, const char *key, bson_error_t *error);

/* Replaces this process's copy of c with edit(copy, arg), run under c's
 * lock so two writers' edits never lose one another, and so a reload that
 * began before the edit (and read the data without it) is dropped instead
 * of installed: the writer sees its change at once. edit must not do I/O;
 * it returns a new reference, or NULL to leave the copy as it is. The
 * version stays, so the next pass after a bump still reloads. Does
 * nothing before the first load. */
void cache_edit(struct versioned_cache *c, json_t *(*edit)(const json_t *copy, void *arg),
		void *arg);

/* The refresher's task: reloads every cache used so far whose version
 * moved, and from then on spares requests the version checks. Returns 0,
 * or -1 when one failed (logged; its last copy stays). */
int cache_refresh_all(struct db_ctx *ctx);

/* Caches that take in changes one by one instead of reloading keep a
 * random stamp in meta "version:<key>" beside a log of changes. Reads
 * key's stamp into out ("" when never written). Returns 0, or -1 with
 * error set. */
int cache_stamp_read(struct db_ctx *ctx, const char *key, char out[33], bson_error_t *error);

#endif
