/* The daily digest of followed sheets (see digest.h). A pass scans the
 * day's comments and versions, then the follows of the sheets concerned:
 * background work, where scanning is acceptable. */
#include "practices/digest.h"

#include <mongoc/mongoc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/paris_time.h"
#include "core/ticker.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "db/doc.h"
#include "mail/outbox.h"
#include "mail/sender.h"
#include "practices/conversation.h"

enum {
	WINDOW_MS = 24 * 3600 * 1000,
	EXCERPT_CHARS = 280,
	CHECK_INTERVAL_MS = 60 * 1000,
	DUPLICATE_KEY = 11000,
};

void digest_paris_day(int64_t ms, char day[11], int *hour)
{
	struct paris_time_fields f = paris_time_split(ms);
	snprintf(day, 11, "%04u-%02u-%02u", (unsigned)f.year % 10000, (unsigned)f.month % 100,
		 (unsigned)f.day % 100);
	*hour = f.hour;
}

/* Returns the first EXCERPT_CHARS characters of s, "…" added when cut.
 * New reference. */
static json_t *excerpt(const char *s)
{
	size_t n = 0, chars = 0;
	for (; s[n] && chars <= EXCERPT_CHARS; n++)
		chars += ((unsigned char)s[n] & 0xC0) != 0x80;
	if (!s[n] && chars <= EXCERPT_CHARS)
		return json_string(s);
	/* n stopped just past the first byte of character EXCERPT_CHARS + 1. */
	char *cut = xmalloc(n + 3);
	memcpy(cut, s, n - 1);
	memcpy(cut + n - 1, "…", 4);
	json_t *v = json_string(cut);
	free(cut);
	return v;
}

/* One pass's shared state. */
struct pass {
	const struct app *app;
	mongoc_client_t *client;
	struct arena *arena;
	int64_t now;
	char day[11];
	json_t *events;    /* practice id → {comments: [], versions: []} */
	json_t *practices; /* practice id → {title, url} when published */
};

/* Returns a cursor over collection's documents matching filter (stolen)
 * with projection fields (NULL-terminated). */
static mongoc_cursor_t *scan(struct pass *ps, const char *collection, bson_t *filter,
			     const char *const *fields)
{
	bson_t opts = BSON_INITIALIZER, proj;
	BSON_APPEND_DOCUMENT_BEGIN(&opts, "projection", &proj);
	for (size_t i = 0; fields[i]; i++)
		BSON_APPEND_INT32(&proj, fields[i], 1);
	bson_append_document_end(&opts, &proj);
	mongoc_collection_t *c = mongoc_client_get_collection(ps->client,
							      ps->app->db->name, collection);
	mongoc_cursor_t *cur = mongoc_collection_find_with_opts(c, filter, &opts, NULL);
	mongoc_collection_destroy(c);
	bson_destroy(&opts);
	bson_destroy(filter);
	return cur;
}

/* Returns the event list key ("comments" or "versions") of practice pid,
 * created on first use. Borrowed. */
static json_t *event_list(struct pass *ps, const char *pid, const char *key)
{
	json_t *e = json_object_get(ps->events, pid);
	if (!e) {
		e = json_pack("{s:[], s:[]}", "comments", "versions");
		json_object_set_new(ps->events, pid, e);
	}
	return json_object_get(e, key);
}

/* Collects the day's visible comments and versions into ps->events.
 * Returns 0, or -1 with error set. */
static int collect_events(struct pass *ps, bson_error_t *error)
{
	static const char *const COMMENT_FIELDS[] = {"practice_id", "author_id",
		"author_name", "kind", "body", "hidden", "created_at", NULL};
	static const char *const VERSION_FIELDS[] = {"practice_id", "version", "by_id",
		"by_name", "at", NULL};
	int64_t since = ps->now - WINDOW_MS;
	const bson_t *doc;
	mongoc_cursor_t *cur = scan(ps, "comments",
		BCON_NEW("created_at", "{", "$gte", BCON_DATE_TIME(since), "}"), COMMENT_FIELDS);
	while (mongoc_cursor_next(cur, &doc)) {
		json_t *c = doc_to_json(doc);
		json_object_set_new(c, "ms", json_integer(doc_int(doc, "created_at", 0)));
		if (!json_is_true(json_object_get(c, "hidden")))
			json_array_append(event_list(ps, json_str(c, "practice_id"), "comments"), c);
		json_decref(c);
	}
	bool failed = mongoc_cursor_error(cur, error);
	mongoc_cursor_destroy(cur);
	if (failed)
		return -1;
	cur = scan(ps, "practice_versions",
		   BCON_NEW("at", "{", "$gte", BCON_DATE_TIME(since), "}"), VERSION_FIELDS);
	while (mongoc_cursor_next(cur, &doc)) {
		json_t *v = doc_to_json(doc);
		json_object_set_new(v, "ms", json_integer(doc_int(doc, "at", 0)));
		json_array_append(event_list(ps, json_str(v, "practice_id"), "versions"), v);
		json_decref(v);
	}
	failed = mongoc_cursor_error(cur, error);
	mongoc_cursor_destroy(cur);
	return failed ? -1 : 0;
}

/* Returns {user id: {practice id: followed since (ms)}} for the follows
 * of the published practices that have events, or NULL with error set.
 * New reference. */
static json_t *collect_followers(struct pass *ps, bson_error_t *error)
{
	static const char *const FIELDS[] = {"practice_id", "user_id", "created_at", NULL};
	bson_t *filter = bson_new(), in, ids;
	BSON_APPEND_DOCUMENT_BEGIN(filter, "practice_id", &in);
	BSON_APPEND_ARRAY_BEGIN(&in, "$in", &ids);
	const char *id;
	json_t *unused;
	unsigned i = 0;
	json_object_foreach(ps->practices, id, unused) {
		char key[16];
		const char *k;
		bson_uint32_to_string(i++, &k, key, sizeof(key));
		BSON_APPEND_UTF8(&ids, k, id);
	}
	bson_append_array_end(&in, &ids);
	bson_append_document_end(filter, &in);
	json_t *users = json_object();
	const bson_t *doc;
	mongoc_cursor_t *cur = scan(ps, "follows", filter, FIELDS);
	while (mongoc_cursor_next(cur, &doc)) {
		const char *uid = doc_string(ps->arena, doc, "user_id");
		const char *pid = doc_string(ps->arena, doc, "practice_id");
		json_t *followed = uid ? json_object_get(users, uid) : NULL;
		if (uid && !followed) {
			followed = json_object();
			json_object_set_new(users, uid, followed);
		}
		if (pid && followed)
			json_object_set_new(followed, pid,
					    json_integer(doc_int(doc, "created_at", 0)));
	}
	if (mongoc_cursor_error(cur, error)) {
		json_decref(users);
		users = NULL;
	}
	mongoc_cursor_destroy(cur);
	return users;
}

/* Returns the document of collection with _id id, or NULL (error->code
 * 0: none). The caller destroys it. */
static bson_t *find_id(struct pass *ps, const char *collection, const char *id,
		       bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
	mongoc_collection_t *c = mongoc_client_get_collection(ps->client,
							      ps->app->db->name, collection);
	mongoc_cursor_t *cur = mongoc_collection_find_with_opts(c, filter, NULL, NULL);
	const bson_t *doc;
	bson_t *copy = mongoc_cursor_next(cur, &doc) ? bson_copy(doc) : NULL;
	if (!copy)
		mongoc_cursor_error(cur, error);
	mongoc_cursor_destroy(cur);
	mongoc_collection_destroy(c);
	bson_destroy(filter);
	return copy;
}

/* Loads the title and URL of each published practice that has events
 * into ps->practices. Returns 0, or -1 with error set. */
static int collect_practices(struct pass *ps, bson_error_t *error)
{
	const char *pid;
	json_t *unused;
	json_object_foreach(ps->events, pid, unused) {
		bson_t *doc = find_id(ps, "practices", pid, error);
		if (!doc) {
			if (error->code)
				return -1;
			continue;
		}
		const char *status = doc_string(ps->arena, doc, "status");
		const char *slug = doc_string(ps->arena, doc, "slug");
		const char *title = doc_string(ps->arena, doc, "title");
		if (status && slug && title && strcmp(status, "published") == 0)
			json_object_set_new(ps->practices, pid, json_pack("{s:s, s:s}",
				"title", title, "url", arena_printf(ps->arena, "%s/pratiques/%s",
					ps->app->config.base_url, slug)));
		bson_destroy(doc);
	}
	return 0;
}

/* Returns the digest section of practice pid for user uid, who follows
 * it since since_ms: what others did on it since, or NULL when nothing or
 * not published. New reference. */
static json_t *practice_section(struct pass *ps, const char *pid, const char *uid,
				json_int_t since_ms)
{
	json_t *p = json_object_get(ps->practices, pid);
	json_t *events = json_object_get(ps->events, pid);
	if (!p || !events)
		return NULL;
	json_t *comments = json_array(), *versions = json_array(), *e;
	size_t i;
	json_array_foreach(json_object_get(events, "comments"), i, e) {
		if (strcmp(json_str(e, "author_id"), uid) == 0 ||
		    json_integer_value(json_object_get(e, "ms")) < since_ms)
			continue;
		const char *label = comment_kind_label(json_str(e, "kind"));
		json_array_append_new(comments, json_pack("{s:s, s:s, s:o, s:s}",
			"author_name", json_str(e, "author_name"),
			"kind_label", label ? label : "Commentaire",
			"excerpt", excerpt(json_str(e, "body")),
			"url", arena_printf(ps->arena, "%s#commentaire-%s", json_str(p, "url"),
					    json_str(e, "_id"))));
	}
	json_array_foreach(json_object_get(events, "versions"), i, e)
		if (strcmp(json_str(e, "by_id"), uid) != 0 &&
		    json_integer_value(json_object_get(e, "ms")) >= since_ms)
			json_array_append_new(versions, json_pack("{s:I, s:s, s:s}",
				"version", json_integer_value(json_object_get(e, "version")),
				"by_name", json_str(e, "by_name"), "at_fr", json_str(e, "at_fr")));
	if (!json_array_size(comments) && !json_array_size(versions)) {
		json_decref(comments);
		json_decref(versions);
		return NULL;
	}
	return json_pack("{s:s, s:s, s:b, s:o, s:b, s:o}", "title", json_str(p, "title"),
			 "url", json_str(p, "url"),
			 "has_comments", json_array_size(comments) > 0, "comments", comments,
			 "has_versions", json_array_size(versions) > 0, "versions", versions);
}

/* Claims (take) or releases user uid's digest of the day. Returns 1 when
 * claimed or released, 0 when already claimed, or -1 with error set. */
static int claim(struct pass *ps, const char *uid, bool take, bson_error_t *error)
{
	const char *id = arena_printf(ps->arena, "%s:%s", uid, ps->day);
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(id));
	mongoc_collection_t *c = mongoc_client_get_collection(ps->client,
							      ps->app->db->name, "digests");
	int rc;
	if (take) {
		BCON_APPEND(doc, "user_id", BCON_UTF8(uid), "day", BCON_UTF8(ps->day), "at",
			    BCON_DATE_TIME(ps->now));
		rc = mongoc_collection_insert_one(c, doc, NULL, NULL, error) ? 1
		     : error->code == DUPLICATE_KEY ? 0 : -1;
	} else {
		rc = mongoc_collection_delete_one(c, doc, NULL, NULL, error) ? 1 : -1;
	}
	mongoc_collection_destroy(c);
	bson_destroy(doc);
	return rc;
}

/* Sends user uid the digest of followed ({practice id: since}), if
 * anything happened and the account is active. Returns 1 when queued, 0
 * when not due, or -1 with error set. */
static int digest_user(struct pass *ps, const char *uid, json_t *followed,
		       bson_error_t *error)
{
	json_t *sections = json_array(), *since;
	const char *pid;
	memset(error, 0, sizeof(*error));
	json_object_foreach(followed, pid, since) {
		json_t *s = practice_section(ps, pid, uid, json_integer_value(since));
		if (s)
			json_array_append_new(sections, s);
	}
	int rc = 0;
	bson_t *user = json_array_size(sections) ? find_id(ps, "users", uid, error) : NULL;
	const char *status = user ? doc_string(ps->arena, user, "status") : NULL;
	const char *email = user ? doc_string(ps->arena, user, "email") : NULL;
	const char *name = user ? doc_string(ps->arena, user, "name") : NULL;
	if (!user && error->code)
		rc = -1;
	else if (status && email && strcmp(status, "active") == 0)
		rc = claim(ps, uid, true, error);
	if (rc == 1) {
		json_t *data = json_pack("{s:s, s:I, s:O, s:s}", "name", name ? name : "",
					 "count", (json_int_t)json_array_size(sections),
					 "practices", sections, "url_site", ps->app->config.base_url);
		if (mail_queue(ps->client, ps->app->db->name, ps->app->views, email, "digest",
			       data, error) != 0) {
			/* Give the day back, so a later pass may send it. */
			bson_error_t ignored;
			log_error(NULL, "digest for %s not queued: %s", uid, error->message);
			claim(ps, uid, false, &ignored);
			rc = error->domain == MAIL_ERROR_DOMAIN ? 0 : -1;
		}
		json_decref(data);
	}
	if (user)
		bson_destroy(user);
	json_decref(sections);
	return rc;
}

int digest_run(const struct app *app, int64_t now_ms)
{
	struct pass ps = {
		.app = app,
		.client = mongoc_client_pool_pop(app->db->pool),
		.arena = arena_new(),
		.now = now_ms,
		.events = json_object(),
		.practices = json_object(),
	};
	int hour;
	digest_paris_day(now_ms, ps.day, &hour);
	bson_error_t error;
	json_t *users = NULL;
	int queued = 0;
	if (collect_events(&ps, &error) || collect_practices(&ps, &error) ||
	    !(users = json_object_size(ps.practices) ? collect_followers(&ps, &error)
						     : json_object()))
		queued = -1;
	const char *uid;
	json_t *followed;
	json_object_foreach(users, uid, followed) {
		int rc = digest_user(&ps, uid, followed, &error);
		if (rc < 0) {
			queued = -1;
			break;
		}
		queued += rc;
	}
	if (queued < 0)
		log_error(NULL, "digest: %s", error.message);
	else if (queued > 0)
		log_info(NULL, "digest: %d mails queued", queued);
	if (queued > 0)
		mail_sender_wake(app->mail);
	json_decref(users);
	json_decref(ps.practices);
	json_decref(ps.events);
	arena_free(ps.arena);
	mongoc_client_pool_push(app->db->pool, ps.client);
	return queued;
}

struct digest_thread {
	struct ticker *ticker;
	const struct app *app;
	int hour;
	char done_day[11]; /* the last Paris day whose pass succeeded */
};

/* Runs the day's pass once the hour has come, unless done already; the
 * ticker's job. Returns the wait until the next look at the clock. */
static long tick(struct ticker *ticker, void *ctx)
{
	(void)ticker;
	struct digest_thread *t = ctx;
	int64_t now = doc_now_ms();
	char day[11];
	int hour;
	digest_paris_day(now, day, &hour);
	if (hour >= t->hour && strcmp(day, t->done_day) != 0 && digest_run(t->app, now) >= 0)
		memcpy(t->done_day, day, sizeof(day));
	return CHECK_INTERVAL_MS;
}

/* Returns $COUSILAB_DIGEST_HOUR (0-23), else DIGEST_DEFAULT_HOUR. */
static int configured_hour(void)
{
	const char *v = getenv("COUSILAB_DIGEST_HOUR");
	char *end;
	long h = v && *v ? strtol(v, &end, 10) : -1;
	if (v && *v && (*end || h < 0 || h > 23)) {
		log_error(NULL, "COUSILAB_DIGEST_HOUR=%s is no hour (0-23): using %d", v,
			  DIGEST_DEFAULT_HOUR);
		h = -1;
	}
	return h < 0 ? DIGEST_DEFAULT_HOUR : (int)h;
}

struct digest_thread *digest_start(const struct app *app)
{
	struct digest_thread *t = xcalloc(1, sizeof(*t));
	t->app = app;
	t->hour = configured_hour();
	t->ticker = ticker_start(tick, t, 0);
	if (!t->ticker) {
		free(t);
		return NULL;
	}
	return t;
}

void digest_request_stop(struct digest_thread *t)
{
	if (t)
		ticker_request_stop(t->ticker);
}

void digest_stop(struct digest_thread *t)
{
	if (!t)
		return;
	ticker_stop(t->ticker);
	free(t);
}
