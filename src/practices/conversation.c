/* The conversation's rules, its per-process comments cache and its small
 * reads and writes (see conversation.h). */
#include "practices/conversation.h"

#include <mongoc/mongoc.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/roles.h"
#include "accounts/user.h"
#include "core/arena.h"
#include "core/kvcache.h"
#include "core/labels.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/request.h"
#include "db/lookup.h"
#include "practices/lookups.h"
#include "practices/store.h"

static const char *const KINDS[][2] = {
	{"comment", "Commentaire"},
	{"question", "Question"},
};

const char *comment_kind_label(const char *kind)
{
	return label_find(KINDS, LABELS_COUNT(KINDS), kind);
}

bool comment_editable(int64_t created_ms, int64_t now_ms, long window_s)
{
	return now_ms - created_ms < (int64_t)window_s * 1000;
}

const char *comment_window_text(struct arena *a, long window_s)
{
	bool minutes = window_s >= 60 && window_s % 60 == 0;
	long n = minutes ? window_s / 60 : window_s;
	return arena_printf(a, "%ld %s%s", n, minutes ? "minute" : "seconde", n > 1 ? "s" : "");
}

bool comment_can_edit(const json_t *c, const struct user *viewer, int64_t now_ms,
		      long window_s)
{
	bool mine = viewer && viewer->id && strcmp(viewer->id, json_str(c, "author_id")) == 0;
	return mine && !json_is_true(json_object_get(c, "hidden")) &&
	       comment_editable(json_integer_value(json_object_get(c, "created_ms")), now_ms,
				window_s);
}

json_t *comment_view(const json_t *c, const struct user *viewer, int64_t now_ms,
		     long window_s)
{
	const char *kind = json_str(c, "kind");
	const char *label = comment_kind_label(kind);
	bool hidden = json_is_true(json_object_get(c, "hidden"));
	bool coordinator = user_has_role(viewer, ROLE_COORDINATOR);
	bool masked = hidden && !coordinator;
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:s, s:s, s:s, s:b, s:s, s:s,"
			 " s:b, s:b, s:s, s:b, s:b, s:[], s:b}",
		"id", json_str(c, "_id"), "parent_id", json_str(c, "parent_id"),
		"kind", label ? kind : "comment", "kind_label", label ? label : "Commentaire",
		"is_question", strcmp(kind, "question") == 0, "is_reply", 0,
		"author_name", json_str(c, "author_name"),
		"created_at", json_str(c, "created_at"),
		"created_at_fr", json_str(c, "created_at_fr"),
		"edited", *json_str(c, "edited_at") != '\0',
		"edited_at_fr", json_str(c, "edited_at_fr"),
		"body", masked ? "" : json_str(c, "body"),
		"hidden", hidden, "masked", masked,
		"hidden_reason", coordinator ? json_str(c, "hidden_reason") : "",
		"can_edit", comment_can_edit(c, viewer, now_ms, window_s),
		"can_hide", coordinator && !hidden,
		"replies", "has_replies", 0);
}

json_t *comment_threads(const json_t *comments, const struct user *viewer,
			int64_t now_ms, long window_s)
{
	json_t *threads = json_array();
	json_t *tops = json_object(); /* any comment's id → its thread's top view */
	size_t i;
	json_t *c;
	/* Oldest first, so a parent always comes before its replies. */
	json_array_foreach(comments, i, c) {
		json_t *view = comment_view(c, viewer, now_ms, window_s);
		json_t *top = json_object_get(tops, json_str(c, "parent_id"));
		if (top) {
			json_object_set_new(view, "is_reply", json_true());
			json_array_append_new(json_object_get(top, "replies"), view);
			json_object_set_new(top, "has_replies", json_true());
		} else {
			top = view;
			json_array_append_new(threads, view);
		}
		json_object_set(tops, json_str(c, "_id"), top);
	}
	json_decref(tops);
	return threads;
}

long comment_edit_window_s(void)
{
	const char *v = getenv("COUSILAB_COMMENT_EDIT_S");
	char *end;
	long n = v ? strtol(v, &end, 10) : 0;
	return v && *v && !*end && n > 0 ? n : COMMENT_EDIT_WINDOW_S;
}

/* ---- The comments cache: a few hundred practices, least recently used
 * out first. An entry is valid while its practice's stamp is the one it
 * was loaded under. ---- */

enum { COMMENTS_CACHE_SLOTS = 256, PRACTICE_ID_MAX = 24 };

struct comments_slot {
	char practice_id[PRACTICE_ID_MAX + 1];
	json_int_t stamp;
	size_t total;
	uint64_t used; /* tick of the last hit */
	json_t *comments;
};

static struct {
	pthread_mutex_t lock;
	uint64_t tick;
	struct comments_slot slots[COMMENTS_CACHE_SLOTS];
} cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* Returns the cached comments of id under stamp (new reference), or NULL;
 * *total gets their count on the practice. */
static json_t *cache_find(const char *id, json_int_t stamp, size_t *total)
{
	json_t *hit = NULL;
	pthread_mutex_lock(&cache.lock);
	for (size_t i = 0; i < COMMENTS_CACHE_SLOTS && !hit; i++) {
		struct comments_slot *s = &cache.slots[i];
		if (s->comments && s->stamp == stamp && strcmp(s->practice_id, id) == 0) {
			s->used = ++cache.tick;
			*total = s->total;
			hit = json_incref(s->comments);
		}
	}
	pthread_mutex_unlock(&cache.lock);
	return hit;
}

/* Keeps comments (a reference is taken) and total for id under stamp, in
 * id's slot or else the least recently used one. */
static void cache_put(const char *id, json_int_t stamp, json_t *comments, size_t total)
{
	pthread_mutex_lock(&cache.lock);
	struct comments_slot *victim = &cache.slots[0];
	for (size_t i = 0; i < COMMENTS_CACHE_SLOTS; i++) {
		struct comments_slot *s = &cache.slots[i];
		if (s->comments && strcmp(s->practice_id, id) == 0) {
			victim = s;
			break;
		}
		if (s->used < victim->used)
			victim = s;
	}
	json_decref(victim->comments);
	strcpy(victim->practice_id, id);
	victim->stamp = stamp;
	victim->total = total;
	victim->used = ++cache.tick;
	victim->comments = json_incref(comments);
	pthread_mutex_unlock(&cache.lock);
}

/* Returns page `page` of the stored comments of practice id (see
 * comments_of), or NULL with error set; *total gets how many the
 * practice has. Reads its lookup list, then each comment by _id: the
 * cost follows the comments shown, not the size of "comments". */
static json_t *load_comments(struct request *req, const char *id, size_t page,
			     size_t *total, bson_error_t *error)
{
	struct lookup_info info;
	json_t *ids = lookup_window(req->db, practice_lookup(req->arena, "comments_of", id),
				    (page - 1) * COMMENTS_SHOWN, COMMENTS_SHOWN, &info, error);
	json_t *list = ids ? json_array() : NULL, *item;
	size_t i;
	json_array_foreach(ids, i, item) {
		bson_t *doc = doc_find_id(req->db, "comments", json_str(item, "id"), error);
		if (!doc && error->code) {
			json_decref(list);
			list = NULL;
			break;
		}
		if (!doc)
			continue;
		json_t *c = doc_to_json(doc);
		json_object_set_new(c, "created_ms", json_integer(doc_int(doc, "created_at", 0)));
		json_array_append_new(list, c);
		bson_destroy(doc);
	}
	json_decref(ids);
	*total = (size_t)info.count;
	return list;
}

json_t *comments_of(struct request *req, const json_t *practice, size_t page,
		    size_t *total, bson_error_t *error)
{
	json_int_t stamp = json_integer_value(json_object_get(practice, "comments_stamp"));
	const char *id = json_str(practice, "_id");
	*total = 0;
	if (stamp == 0 || strlen(id) > PRACTICE_ID_MAX)
		return json_array();
	/* Only the newest page is cached: the one every sheet shows. */
	if (page > 1)
		return load_comments(req, id, page, total, error);
	json_t *comments = cache_find(id, stamp, total);
	if (comments)
		return comments;
	/* Keyed by the stamp read before loading: a write landing meanwhile
	 * moves the stamp, so this copy is not reused after it. */
	comments = load_comments(req, id, 1, total, error);
	if (comments)
		cache_put(id, stamp, comments, *total);
	return comments;
}

int comments_changed(struct request *req, const char *practice_id, bson_error_t *error)
{
	/* Random rather than counted: two hosts writing at once still make
	 * distinct stamps. 53 bits: exact in any JSON reader. */
	uint64_t stamp;
	randombytes_buf(&stamp, sizeof(stamp));
	stamp &= (UINT64_C(1) << 53) - 1;
	return practice_set_counter(req, practice_id, "comments_stamp",
				    (long long)(stamp ? stamp : 1), error);
}

/* ---- Follow states: every signed-in reader's sheet shows theirs, so
 * answers are kept FOLLOW_MEMO_MS, like the page cache: another process's
 * change shows within that time, this process's own at once
 * (follow_state_remember). ---- */

enum { FOLLOW_MEMO_ENTRIES = 4096, FOLLOW_MEMO_MS = 1000 };

static pthread_once_t follows_once = PTHREAD_ONCE_INIT;
static struct kvcache *follows; /* "<practice id>:<user id>" → "1" or "0" */

static void follows_init(void)
{
	follows = kvcache_new(FOLLOW_MEMO_ENTRIES, 1, FOLLOW_MEMO_MS);
}

int follow_state(struct request *req, const char *practice_id, bson_error_t *error)
{
	pthread_once(&follows_once, follows_init);
	const char *id = arena_printf(req->arena, "%s:%s", practice_id, req->user->id);
	size_t len;
	char *kept = kvcache_get(follows, id, doc_now_ms(), &len);
	if (kept) {
		int state = kept[0] == '1';
		free(kept);
		return state;
	}
	uint64_t gen = kvcache_generation(follows);
	bson_t *doc = doc_find_id(req->db, "follows", id, error);
	if (!doc && error->code)
		return -1;
	bool found = doc != NULL;
	bson_destroy(doc);
	kvcache_put(follows, id, found ? "1" : "0", 1, gen, doc_now_ms());
	return found;
}

void follow_state_remember(struct request *req, const char *practice_id, bool following)
{
	pthread_once(&follows_once, follows_init);
	const char *id = arena_printf(req->arena, "%s:%s", practice_id, req->user->id);
	/* The drop moves the generation: a read begun before the write cannot
	 * keep its older answer after this one. */
	kvcache_drop(follows, id);
	kvcache_put(follows, id, following ? "1" : "0", 1, kvcache_generation(follows),
		    doc_now_ms());
}
