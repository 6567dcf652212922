#include "accounts/account_cache.h"

#include <mongoc/mongoc.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/arena.h"
#include "core/kvcache.h"
#include "core/log.h"
#include "db/cache.h"
#include "db/db.h"
#include "db/doc.h"
#include "db/monitor.h"
#include "http/request.h"

#define CHANGES "account_changes"
#define STAMP_KEY "accounts"

enum {
	/* A change logged by a host whose clock runs this far ahead is
	 * still fetched. */
	CLOCK_MARGIN_MS = 5000,
	/* 4,096 documents of 8 KB at most: 32 MB in the worst case, about
	 * 2 MB for sessions and users as they are. */
	TABLE_ENTRIES = 4096,
	VALUE_MAX = 8192,
	/* A bound on the damage of a change whose log write failed. */
	ENTRY_MAX_AGE_MS = 60000,
};

static struct {
	pthread_once_t once;
	struct kvcache *table;
	pthread_mutex_t check; /* one checker at a time */
	char stamp[33];        /* the stamp of the last completed check */
	int64_t synced_ms;     /* when that check started; 0 before the first */
	int64_t checked_ms;    /* when the last check, successful or not, started */
	bool background;       /* the refresher checks: requests never do */
} cache = {.once = PTHREAD_ONCE_INIT, .check = PTHREAD_MUTEX_INITIALIZER};

static void table_init(void)
{
	cache.table = kvcache_new(TABLE_ENTRIES, VALUE_MAX, ENTRY_MAX_AGE_MS);
}

const char *account_key(struct arena *a, const char *collection, const char *id)
{
	return arena_printf(a, "%s/%s", collection, id);
}

/* Drops the keys named by the changes logged since since_ms, or every
 * copy when none is found (the log was purged past them). Returns 0 or
 * -1 with error set. */
static int drop_changes(struct db_ctx *db, int64_t since_ms, bson_error_t *error)
{
	char since[32];
	snprintf(since, sizeof(since), "%013lld", (long long)since_ms);
	bson_t *filter = BCON_NEW("_id", "{", "$gt", BCON_UTF8(since), "}");
	mongoc_cursor_t *c = mongoc_collection_find_with_opts(db_collection(db, CHANGES), filter,
							      NULL, NULL);
	const bson_t *doc;
	size_t dropped = 0;
	while (mongoc_cursor_next(c, &doc)) {
		bson_iter_t it, key;
		if (!bson_iter_init_find(&it, doc, "keys") || !BSON_ITER_HOLDS_ARRAY(&it) ||
		    !bson_iter_recurse(&it, &key))
			continue;
		while (bson_iter_next(&key))
			if (BSON_ITER_HOLDS_UTF8(&key)) {
				kvcache_drop(cache.table, bson_iter_utf8(&key, NULL));
				dropped++;
			}
	}
	bool failed = mongoc_cursor_error(c, error);
	mongoc_cursor_destroy(c);
	bson_destroy(filter);
	if (!failed && !dropped)
		kvcache_clear(cache.table);
	return failed ? -1 : 0;
}

/* One check, under cache.check. A failure empties the table and leaves
 * synced_ms behind, so the copies stop being trusted. Returns 0 or -1
 * (logged). */
static int check_locked(struct db_ctx *db, int64_t now)
{
	__atomic_store_n(&cache.checked_ms, now, __ATOMIC_RELAXED);
	bson_error_t error;
	char stamp[33];
	int rc = cache_stamp_read(db, STAMP_KEY, stamp, &error);
	if (rc == 0 && (cache.synced_ms == 0 || strcmp(stamp, cache.stamp) != 0)) {
		if (cache.synced_ms == 0)
			kvcache_clear(cache.table);
		else
			rc = drop_changes(db, cache.synced_ms - CLOCK_MARGIN_MS, &error);
	}
	if (rc) {
		kvcache_clear(cache.table);
		log_error(db->log_id, "account cache: not checked, copies unused: %s",
			  error.message);
		return -1;
	}
	memcpy(cache.stamp, stamp, sizeof(stamp));
	__atomic_store_n(&cache.synced_ms, now, __ATOMIC_RELEASE);
	return 0;
}

int account_cache_refresh(struct db_ctx *db)
{
	pthread_once(&cache.once, table_init);
	__atomic_store_n(&cache.background, true, __ATOMIC_RELAXED);
	pthread_mutex_lock(&cache.check);
	int rc = check_locked(db, doc_now_ms());
	pthread_mutex_unlock(&cache.check);
	return rc;
}

/* Returns true when copies may be used now: never while the database is
 * said to be down (nothing can be checked, and the pages then answer 503
 * as every page that needs the database does). Without the refresher (it
 * could not start), the request checks the change log first when the
 * last check is ACCOUNT_CACHE_CHECK_MS old and nobody else is checking. */
static bool check(struct db_ctx *db)
{
	pthread_once(&cache.once, table_init);
	if (!db_available(db->db))
		return false;
	int64_t now = doc_now_ms();
	if (!__atomic_load_n(&cache.background, __ATOMIC_RELAXED) &&
	    now - __atomic_load_n(&cache.checked_ms, __ATOMIC_RELAXED) >= ACCOUNT_CACHE_CHECK_MS &&
	    pthread_mutex_trylock(&cache.check) == 0) {
		if (now - cache.checked_ms >= ACCOUNT_CACHE_CHECK_MS)
			check_locked(db, now);
		pthread_mutex_unlock(&cache.check);
	}
	return doc_now_ms() - __atomic_load_n(&cache.synced_ms, __ATOMIC_ACQUIRE) <
	       ACCOUNT_CACHE_TRUST_MS;
}

bson_t *account_doc(struct db_ctx *db, const char *collection, const char *id, bool fresh,
		    bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	const char *key = account_key(db->arena, collection, id);
	bool trusted = check(db);
	if (trusted && !fresh) {
		size_t len;
		uint8_t *data = kvcache_get(cache.table, key, doc_now_ms(), &len);
		/* An empty value: known to be absent (see below). */
		bson_t *doc = data && len ? bson_new_from_data(data, len) : NULL;
		free(data);
		if (doc || (data && !len))
			return doc;
	}
	uint64_t generation = kvcache_generation(cache.table);
	bson_t *doc = doc_find_id(db, collection, id, error);
	/* Absence is kept too, as an empty value: an account with no API
	 * token would otherwise cost a round trip on every account page.
	 * Safe because every document here either gets a fresh random _id
	 * when created (sessions, tokens, users) or is logged as changed
	 * when it is (the lists of sessions and tokens). */
	if (trusted && (doc || !error->code))
		kvcache_put(cache.table, key, doc ? bson_get_data(doc) : (const uint8_t *)"",
			    doc ? doc->len : 0, generation, doc_now_ms());
	return doc;
}

void account_doc_forget(const char *collection, const char *id)
{
	pthread_once(&cache.once, table_init);
	char key[256];
	snprintf(key, sizeof(key), "%s/%s", collection, id);
	kvcache_drop(cache.table, key);
}

int account_changed(struct db_ctx *db, const char *const *keys, size_t n, bson_error_t *error)
{
	pthread_once(&cache.once, table_init);
	for (size_t i = 0; i < n; i++)
		kvcache_drop(cache.table, keys[i]);
	unsigned char raw[16];
	char stamp[33];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(stamp, sizeof(stamp), raw, sizeof(raw));
	int64_t now = doc_now_ms();
	bson_t *change = bson_new(), list;
	BSON_APPEND_UTF8(change, "_id",
			 arena_printf(db->arena, "%013lld-%s", (long long)now, stamp));
	BSON_APPEND_ARRAY_BEGIN(change, "keys", &list);
	for (size_t i = 0; i < n; i++) {
		char index[16];
		const char *k;
		bson_uint32_to_string((uint32_t)i, &k, index, sizeof(index));
		bson_append_utf8(&list, k, -1, keys[i], -1);
	}
	bson_append_array_end(change, &list);
	BSON_APPEND_DATE_TIME(change, "at", now);
	bool logged = mongoc_collection_insert_one(db_collection(db, CHANGES), change, NULL, NULL,
						   error);
	bson_destroy(change);
	/* The stamp goes last: a reader that sees it finds the change. */
	if (!logged || doc_upsert_id(db, "meta", "version:" STAMP_KEY,
				     BCON_NEW("$set", "{", "stamp", BCON_UTF8(stamp), "at",
					      BCON_DATE_TIME(now), "}"),
				     error))
		return -1;
	return 0;
}
