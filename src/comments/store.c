/* The comments' reads and writes, their per-process cache and the
 * follow states (see store.h). */
#include "comments/store.h"

#include <mongoc/mongoc.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/arena_json.h"
#include "core/clock.h"
#include "core/kvcache.h"
#include "db/db.h"
#include "db/doc.h"
#include "db/lookup.h"

enum { DUPLICATE_KEY = 11000 };

int64_t comments_stamp_new(void)
{
	uint64_t stamp;
	randombytes_buf(&stamp, sizeof(stamp));
	stamp &= (UINT64_C(1) << 53) - 1;
	return stamp ? (int64_t)stamp : 1;
}

/* Returns the lookup list of s's comments, in the arena. */
static const char *list_of(struct db_ctx *db, const struct comments_subject *s)
{
	return arena_printf(db->arena, COMMENTS_LIST_FAMILY ":%s:%s", s->kind, s->id);
}

/* ---- The newest page of a few hundred subjects, least recently used out
 * first. An entry is valid while its subject's stamp is the one it was
 * loaded under. ---- */

enum { CACHE_SLOTS = 256, KEY_MAX = 64 };

struct slot {
	char key[KEY_MAX]; /* the subject's key */
	int64_t stamp;
	size_t total;
	uint64_t used; /* tick of the last hit */
	json_t *comments;
};

static struct {
	pthread_mutex_t lock;
	uint64_t tick;
	struct slot slots[CACHE_SLOTS];
} cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* Returns the cached comments of key under stamp (new reference), or NULL;
 * *total gets their count on the subject. */
static json_t *cache_find(const char *key, int64_t stamp, size_t *total)
{
	json_t *hit = NULL;
	pthread_mutex_lock(&cache.lock);
	for (size_t i = 0; i < CACHE_SLOTS && !hit; i++) {
		struct slot *s = &cache.slots[i];
		if (s->comments && s->stamp == stamp && strcmp(s->key, key) == 0) {
			s->used = ++cache.tick;
			*total = s->total;
			hit = json_incref(s->comments);
		}
	}
	pthread_mutex_unlock(&cache.lock);
	return hit;
}

/* Keeps comments (a reference is taken) and total for key under stamp, in
 * key's slot or else the least recently used one. */
static void cache_put(const char *key, int64_t stamp, json_t *comments, size_t total)
{
	pthread_mutex_lock(&cache.lock);
	struct slot *victim = &cache.slots[0];
	for (size_t i = 0; i < CACHE_SLOTS; i++) {
		struct slot *s = &cache.slots[i];
		if (s->comments && strcmp(s->key, key) == 0) {
			victim = s;
			break;
		}
		if (s->used < victim->used)
			victim = s;
	}
	json_decref(victim->comments);
	snprintf(victim->key, sizeof(victim->key), "%s", key);
	victim->stamp = stamp;
	victim->total = total;
	victim->used = ++cache.tick;
	victim->comments = json_incref(comments);
	pthread_mutex_unlock(&cache.lock);
}

/* Returns page `page` of the stored comments of s (see comments_page),
 * owned by db's arena, or NULL with error set; *total gets how many s
 * has. Reads its lookup list, then each comment by _id: the cost follows
 * the comments shown, not the size of "comments". */
static json_t *load(struct db_ctx *db, const struct comments_subject *s, size_t page, size_t *total,
		    bson_error_t *error)
{
	struct lookup_info info = {0};
	json_t *ids = arena_json(db->arena,
				 lookup_window(db, list_of(db, s), (page - 1) * COMMENTS_PAGE_SIZE,
					       COMMENTS_PAGE_SIZE, &info, error));
	if (!ids)
		return NULL;
	json_t *list = arena_json(db->arena, json_array()), *item;
	size_t i;
	json_array_foreach(ids, i, item) {
		bson_t *doc = doc_find_id(db, COMMENTS_COLLECTION, json_str(item, "id"), error);
		if (!doc && error->code)
			return NULL;
		if (!doc)
			continue;
		json_t *c = doc_to_json(doc);
		json_object_set_new(c, "created_ms", json_integer(doc_int(doc, "created_at", 0)));
		json_array_append_new(list, c);
		bson_destroy(doc);
	}
	*total = (size_t)info.count;
	return list;
}

json_t *comments_page(struct db_ctx *db, const struct comments_subject *s, int64_t stamp,
		      size_t page, size_t *total, bson_error_t *error)
{
	*total = 0;
	if (stamp == 0 || !comments_subject_valid(s))
		return arena_json(db->arena, json_array());
	/* Only the newest page is cached: the one every page shows. */
	if (page > 1)
		return load(db, s, page, total, error);
	const char *key = comments_subject_key(db->arena, s);
	json_t *comments = arena_json(db->arena, cache_find(key, stamp, total));
	if (comments)
		return comments;
	/* Keyed by the stamp read before loading: a write landing meanwhile
	 * moves the stamp, so this copy is not reused after it. */
	comments = load(db, s, 1, total, error);
	if (comments)
		cache_put(key, stamp, comments, *total);
	return comments;
}

bson_t *comments_find(struct db_ctx *db, const struct comments_subject *s, const char *id,
		      bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	bson_t *doc = id ? doc_find_id(db, COMMENTS_COLLECTION, id, error) : NULL;
	const char *subject = doc ? doc_string(db->arena, doc, "subject") : NULL;
	if (subject && strcmp(subject, comments_subject_key(db->arena, s)) == 0)
		return doc;
	if (doc)
		bson_destroy(doc);
	return NULL;
}

const char *comments_thread_top(struct db_ctx *db, const struct comments_subject *s,
				const char *parent_id, bson_error_t *error)
{
	bson_t *doc = comments_find(db, s, parent_id, error);
	if (!doc)
		return NULL;
	const char *up = doc_string(db->arena, doc, "parent_id");
	const char *top = up ? up : doc_string(db->arena, doc, "_id");
	bson_destroy(doc);
	return top;
}

/* Deletes comment id (best effort: it is not listed, so it never shows). */
static void drop(struct db_ctx *db, const char *id)
{
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
	mongoc_collection_delete_one(db_collection(db, COMMENTS_COLLECTION), filter, NULL, NULL,
				     NULL);
	bson_destroy(filter);
}

/* Returns true when s is valid, else false with error set: a feature's
 * bug, as a subject comes from the feature's own data, never from input. */
static bool subject_checked(const struct comments_subject *s, bson_error_t *error)
{
	if (comments_subject_valid(s))
		return true;
	bson_set_error(error, MONGOC_ERROR_COMMAND, MONGOC_ERROR_COMMAND_INVALID_ARG,
		       "invalid comment subject");
	return false;
}

const char *comments_insert(struct db_ctx *db, const struct comments_subject *s,
			    const struct comments_new *c, bson_error_t *error)
{
	if (!subject_checked(s, error))
		return NULL;
	const char *id = doc_new_id(db->arena);
	bson_t *doc = BCON_NEW(
		"_id", BCON_UTF8(id), "subject", BCON_UTF8(comments_subject_key(db->arena, s)),
		"author_id", BCON_UTF8(c->author_id), "author_name", BCON_UTF8(c->author_name),
		"kind", BCON_UTF8(c->kind), "body", BCON_UTF8(c->body), "created_at",
		BCON_DATE_TIME(clock_now_ms()), "edited_at", BCON_NULL, "hidden", BCON_BOOL(false),
		"hidden_reason", BCON_NULL, "hidden_by", BCON_NULL, "hidden_at", BCON_NULL);
	if (c->parent_id)
		BSON_APPEND_UTF8(doc, "parent_id", c->parent_id);
	else
		BSON_APPEND_NULL(doc, "parent_id");
	bool ok = mongoc_collection_insert_one(db_collection(db, COMMENTS_COLLECTION), doc, NULL,
					       NULL, error);
	bson_destroy(doc);
	if (!ok)
		return NULL;
	if (lookup_add_id(db, list_of(db, s), id, error)) {
		/* Unlisted, it would never show: drop it, so that sending the
		 * form again does not make a second one. */
		drop(db, id);
		return NULL;
	}
	return id;
}

/* Applies update (destroyed here) to comment id. Returns 0 or -1. */
static int update(struct db_ctx *db, const char *id, bson_t *update, bson_error_t *error)
{
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
	bool ok = mongoc_collection_update_one(db_collection(db, COMMENTS_COLLECTION), filter,
					       update, NULL, NULL, error);
	bson_destroy(filter);
	bson_destroy(update);
	return ok ? 0 : -1;
}

int comments_set_body(struct db_ctx *db, const char *id, const char *body, int64_t now_ms,
		      bson_error_t *error)
{
	return update(db, id,
		      BCON_NEW("$set", "{", "body", BCON_UTF8(body), "edited_at",
			       BCON_DATE_TIME(now_ms), "}"),
		      error);
}

int comments_set_hidden(struct db_ctx *db, const char *id, const char *reason, const char *by_id,
			int64_t now_ms, bson_error_t *error)
{
	return update(db, id,
		      BCON_NEW("$set", "{", "hidden", BCON_BOOL(true), "hidden_reason",
			       BCON_UTF8(reason), "hidden_by", BCON_UTF8(by_id), "hidden_at",
			       BCON_DATE_TIME(now_ms), "}"),
		      error);
}

/* ---- Follow states: every signed-in reader's page shows theirs, so
 * answers are kept FOLLOW_MEMO_MS, like the page cache. ---- */

enum { FOLLOW_MEMO_ENTRIES = 4096, FOLLOW_MEMO_MS = 1000 };

static pthread_once_t follows_once = PTHREAD_ONCE_INIT;
static struct kvcache *follows; /* "<subject>:<user id>" → "1" or "0" */

static void follows_init(void)
{
	follows = kvcache_new(FOLLOW_MEMO_ENTRIES, 1, FOLLOW_MEMO_MS);
}

/* Returns the _id of user_id's follow of s, in the arena. */
static const char *follow_id(struct db_ctx *db, const struct comments_subject *s,
			     const char *user_id)
{
	return arena_printf(db->arena, "%s:%s:%s", s->kind, s->id, user_id);
}

int comments_following(struct db_ctx *db, const struct comments_subject *s, const char *user_id,
		       bson_error_t *error)
{
	pthread_once(&follows_once, follows_init);
	const char *id = follow_id(db, s, user_id);
	size_t len;
	char *kept = kvcache_get(follows, id, doc_now_ms(), &len);
	if (kept) {
		int state = kept[0] == '1';
		free(kept);
		return state;
	}
	uint64_t gen = kvcache_generation(follows);
	bson_t *doc = doc_find_id(db, COMMENTS_FOLLOWS, id, error);
	if (!doc && error->code)
		return -1;
	bool found = doc != NULL;
	bson_destroy(doc);
	kvcache_put(follows, id, found ? "1" : "0", 1, gen, doc_now_ms());
	return found;
}

int comments_set_following(struct db_ctx *db, const struct comments_subject *s, const char *user_id,
			   bool follow, bson_error_t *error)
{
	if (!subject_checked(s, error))
		return -1;
	pthread_once(&follows_once, follows_init);
	const char *id = follow_id(db, s, user_id);
	mongoc_collection_t *c = db_collection(db, COMMENTS_FOLLOWS);
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(id));
	bool ok;
	if (follow) {
		BCON_APPEND(doc, "subject", BCON_UTF8(comments_subject_key(db->arena, s)),
			    "user_id", BCON_UTF8(user_id), "created_at",
			    BCON_DATE_TIME(clock_now_ms()));
		ok = mongoc_collection_insert_one(c, doc, NULL, NULL, error) ||
		     error->code == DUPLICATE_KEY;
	} else {
		ok = mongoc_collection_delete_one(c, doc, NULL, NULL, error);
	}
	bson_destroy(doc);
	if (!ok)
		return -1;
	/* The drop moves the generation: a read begun before the write cannot
	 * keep its older answer after this one. */
	kvcache_drop(follows, id);
	kvcache_put(follows, id, follow ? "1" : "0", 1, kvcache_generation(follows), doc_now_ms());
	return 0;
}
