/* The daily digest of followed subjects (see digest.h). */
#include "comments/digest.h"

#include <mongoc/mongoc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "comments/rules.h"
#include "comments/store.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/paris_time.h"
#include "core/ticker.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "db/doc.h"
#include "mail/outbox.h"
#include "mail/sender.h"

enum {
	WINDOW_MS = 24 * 3600 * 1000,
	EXCERPT_CHARS = 280,
	CHECK_INTERVAL_MS = 60 * 1000,
	DUPLICATE_KEY = 11000,
};

void comments_paris_day(int64_t ms, char day[11], int *hour)
{
	struct paris_time_fields f = paris_time_split(ms);
	snprintf(day, 11, "%04u-%02u-%02u", (unsigned)f.year % 10000, (unsigned)f.month % 100,
		 (unsigned)f.day % 100);
	*hour = f.hour;
}

/* One pass's shared state; its JSON maps are owned by hook.arena. */
struct pass {
	const struct app *app;
	const struct comments_digest_kind *const *kinds;
	struct comments_digest_pass hook; /* what the kinds' hooks see */
	char day[11];
	json_t *comments; /* subject key → [comment] (visible ones) */
	json_t *news;     /* subject key → [news item] */
	json_t *subjects; /* subject key → {title, url, news_key} when told of */
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
	mongoc_cursor_t *cur = mongoc_collection_find_with_opts(
		db_collection(ps->hook.db, collection), filter, &opts, NULL);
	bson_destroy(&opts);
	bson_destroy(filter);
	return cur;
}

/* Returns the list under key in map (subject key → list), created on
 * first use. Borrowed. */
static json_t *list_in(json_t *map, const char *key)
{
	json_t *list = json_object_get(map, key);
	if (!list) {
		list = json_array();
		json_object_set_new(map, key, list);
	}
	return list;
}

/* Collects the day's visible comments into ps->comments. Returns 0, or -1
 * with error set. */
static int collect_comments(struct pass *ps, int64_t since, bson_error_t *error)
{
	static const char *const FIELDS[] = {"subject", "author_id", "author_name", "kind",
					     "body",    "hidden",    "created_at",  NULL};
	const bson_t *doc;
	mongoc_cursor_t *cur = scan(ps, COMMENTS_COLLECTION,
				    BCON_NEW("created_at", "{", "$gte", BCON_DATE_TIME(since), "}"),
				    FIELDS);
	while (mongoc_cursor_next(cur, &doc)) {
		json_t *c = doc_to_json(doc);
		json_object_set_new(c, "ms", json_integer(doc_int(doc, "created_at", 0)));
		if (!json_is_true(json_object_get(c, "hidden")) && *json_str(c, "subject"))
			json_array_append(list_in(ps->comments, json_str(c, "subject")), c);
		json_decref(c);
	}
	bool failed = mongoc_cursor_error(cur, error);
	mongoc_cursor_destroy(cur);
	return failed ? -1 : 0;
}

/* Collects each kind's news into ps->news, by subject key. Returns 0, or
 * -1 with error set. */
static int collect_news(struct pass *ps, int64_t since, bson_error_t *error)
{
	for (size_t k = 0; ps->kinds[k]; k++) {
		const struct comments_digest_kind *kind = ps->kinds[k];
		if (!kind->news)
			continue;
		json_t *by_id = arena_json(ps->hook.arena, json_object()), *items;
		const char *id;
		int rc = kind->news(&ps->hook, since, by_id, error);
		json_object_foreach(by_id, id, items)
			json_array_extend(list_in(ps->news, arena_printf(ps->hook.arena, "%s:%s",
									 kind->kind, id)),
					  items);
		if (rc)
			return -1;
	}
	return 0;
}

/* Returns the kind of subject key ("<kind>:<id>"), with *id pointing at
 * its id, or NULL when no kind of the pass has it. */
static const struct comments_digest_kind *kind_of(const struct pass *ps, const char *key,
						  const char **id)
{
	const char *colon = strchr(key, ':');
	for (size_t k = 0; colon && ps->kinds[k]; k++) {
		size_t len = strlen(ps->kinds[k]->kind);
		if (len == (size_t)(colon - key) && !memcmp(key, ps->kinds[k]->kind, len)) {
			*id = colon + 1;
			return ps->kinds[k];
		}
	}
	return NULL;
}

/* Adds to ps->subjects the title and URL of subject key, if its kind
 * tells of it. Returns 0, or -1 with error set. */
static int describe(struct pass *ps, const char *key, bson_error_t *error)
{
	const char *id, *title, *url;
	const struct comments_digest_kind *kind = kind_of(ps, key, &id);
	if (!kind || json_object_get(ps->subjects, key))
		return 0;
	int rc = kind->describe(&ps->hook, id, &title, &url, error);
	if (rc == 1)
		json_object_set_new(ps->subjects, key,
				    json_pack("{s:s, s:s, s:s?}", "title", title, "url", url,
					      "news_key", kind->news_key));
	return rc < 0 ? -1 : 0;
}

/* Describes every subject with comments or news. Returns 0, or -1 with
 * error set. */
static int collect_subjects(struct pass *ps, bson_error_t *error)
{
	json_t *maps[] = {ps->comments, ps->news}, *unused;
	const char *key;
	for (size_t i = 0; i < 2; i++)
		json_object_foreach(maps[i], key, unused)
			if (describe(ps, key, error))
				return -1;
	return 0;
}

/* Returns {user id: {subject key: followed since (ms)}} for the follows
 * of the subjects told of, owned by the pass's arena, or NULL with error
 * set. */
static json_t *collect_followers(struct pass *ps, bson_error_t *error)
{
	static const char *const FIELDS[] = {"subject", "user_id", "created_at", NULL};
	bson_t *filter = bson_new(), in, keys;
	BSON_APPEND_DOCUMENT_BEGIN(filter, "subject", &in);
	BSON_APPEND_ARRAY_BEGIN(&in, "$in", &keys);
	const char *key;
	json_t *unused;
	unsigned i = 0;
	json_object_foreach(ps->subjects, key, unused) {
		char buf[16];
		const char *k;
		bson_uint32_to_string(i++, &k, buf, sizeof(buf));
		BSON_APPEND_UTF8(&keys, k, key);
	}
	bson_append_array_end(&in, &keys);
	bson_append_document_end(filter, &in);
	json_t *users = arena_json(ps->hook.arena, json_object());
	const bson_t *doc;
	mongoc_cursor_t *cur = scan(ps, COMMENTS_FOLLOWS, filter, FIELDS);
	while (mongoc_cursor_next(cur, &doc)) {
		const char *uid = doc_string(ps->hook.arena, doc, "user_id");
		const char *subject = doc_string(ps->hook.arena, doc, "subject");
		json_t *followed = uid ? json_object_get(users, uid) : NULL;
		if (uid && !followed) {
			followed = json_object();
			json_object_set_new(users, uid, followed);
		}
		if (subject && followed)
			json_object_set_new(followed, subject,
					    json_integer(doc_int(doc, "created_at", 0)));
	}
	if (mongoc_cursor_error(cur, error))
		users = NULL;
	mongoc_cursor_destroy(cur);
	return users;
}

/* Returns the document of collection with _id id, or NULL (error->code
 * 0: none). The caller destroys it. */
static bson_t *find_id(struct pass *ps, const char *collection, const char *id, bson_error_t *error)
{
	return doc_find_id(ps->hook.db, collection, id, error);
}

/* Returns whether item e of the day (a comment or news, with its author
 * under by and its instant under "ms") is news to user uid, who follows
 * since since_ms: someone else's, and not older. */
static bool news_to(const json_t *e, const char *by, const char *uid, json_int_t since_ms)
{
	return strcmp(json_str(e, by), uid) != 0 &&
	       json_integer_value(json_object_get(e, "ms")) >= since_ms;
}

/* Returns the digest section of subject key for user uid, who follows it
 * since since_ms: what others did on it since, or NULL when nothing or
 * not told of. New reference. */
static json_t *section(struct pass *ps, const char *key, const char *uid, json_int_t since_ms)
{
	json_t *s = json_object_get(ps->subjects, key);
	if (!s)
		return NULL;
	json_t *comments = json_array(), *news = json_array(), *e;
	size_t i;
	json_array_foreach(json_object_get(ps->comments, key), i, e) {
		if (!news_to(e, "author_id", uid, since_ms))
			continue;
		const char *label = comments_kind_label(json_str(e, "kind"));
		json_array_append_new(
			comments,
			json_pack("{s:s, s:s, s:o, s:s}", "author_name", json_str(e, "author_name"),
				  "kind_label", label ? label : "Commentaire", "excerpt",
				  comments_excerpt(json_str(e, "body"), EXCERPT_CHARS), "url",
				  arena_printf(ps->hook.arena, "%s#commentaire-%s",
					       json_str(s, "url"), json_str(e, "_id"))));
	}
	json_array_foreach(json_object_get(ps->news, key), i, e)
		if (news_to(e, "by_id", uid, since_ms))
			json_array_append(news, e);
	if (!json_array_size(comments) && !json_array_size(news)) {
		json_decref(comments);
		json_decref(news);
		return NULL;
	}
	json_t *out = json_pack("{s:s, s:s, s:b, s:o}", "title", json_str(s, "title"), "url",
				json_str(s, "url"), "has_comments", json_array_size(comments) > 0,
				"comments", comments);
	const char *news_key = json_str(s, "news_key");
	if (*news_key) {
		json_object_set_new(out, arena_printf(ps->hook.arena, "has_%s", news_key),
				    json_boolean(json_array_size(news) > 0));
		json_object_set(out, news_key, news);
	}
	json_decref(news);
	return out;
}

/* Claims (take) or releases user uid's digest of the day. Returns 1 when
 * claimed or released, 0 when already claimed, or -1 with error set. */
static int claim(struct pass *ps, const char *uid, bool take, bson_error_t *error)
{
	const char *id = arena_printf(ps->hook.arena, "%s:%s", uid, ps->day);
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(id));
	mongoc_collection_t *c = db_collection(ps->hook.db, "digests");
	int rc;
	if (take) {
		BCON_APPEND(doc, "user_id", BCON_UTF8(uid), "day", BCON_UTF8(ps->day), "at",
			    BCON_DATE_TIME(ps->hook.now_ms));
		rc = mongoc_collection_insert_one(c, doc, NULL, NULL, error) ? 1
		     : error->code == DUPLICATE_KEY                          ? 0
									     : -1;
	} else {
		rc = mongoc_collection_delete_one(c, doc, NULL, NULL, error) ? 1 : -1;
	}
	bson_destroy(doc);
	return rc;
}

/* Sends user uid the digest of followed ({subject key: since}), if
 * anything happened and the account is active. Returns 1 when queued, 0
 * when not due, or -1 with error set. */
static int digest_user(struct pass *ps, const char *uid, json_t *followed, bson_error_t *error)
{
	json_t *sections = json_array(), *since;
	const char *key;
	memset(error, 0, sizeof(*error));
	json_object_foreach(followed, key, since) {
		json_t *s = section(ps, key, uid, json_integer_value(since));
		if (s)
			json_array_append_new(sections, s);
	}
	int rc = 0;
	bson_t *user = json_array_size(sections) ? find_id(ps, "users", uid, error) : NULL;
	const char *status = user ? doc_string(ps->hook.arena, user, "status") : NULL;
	const char *email = user ? doc_string(ps->hook.arena, user, "email") : NULL;
	const char *name = user ? doc_string(ps->hook.arena, user, "name") : NULL;
	if (!user && error->code)
		rc = -1;
	else if (status && email && strcmp(status, "active") == 0)
		rc = claim(ps, uid, true, error);
	if (rc == 1) {
		json_t *data = json_pack("{s:s, s:I, s:O, s:s}", "name", name ? name : "", "count",
					 (json_int_t)json_array_size(sections), "subjects",
					 sections, "url_site", ps->hook.base_url);
		if (mail_queue(db_client(ps->hook.db), db_name(ps->hook.db), ps->app->views, email,
			       "digest", data, error) != 0) {
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

int comments_digest_run(const struct app *app, const struct comments_digest_kind *const *kinds,
			int64_t now_ms)
{
	struct arena *arena = arena_new();
	struct pass ps = {
		.app = app,
		.kinds = kinds,
		.hook =
			{
				.base_url = app->config.base_url,
				.arena = arena,
				.db = db_ctx_new(app->db, arena, "digest"),
				.now_ms = now_ms,
			},
		.comments = arena_json(arena, json_object()),
		.news = arena_json(arena, json_object()),
		.subjects = arena_json(arena, json_object()),
	};
	int hour;
	comments_paris_day(now_ms, ps.day, &hour);
	bson_error_t error;
	json_t *users = NULL;
	int queued = 0;
	int64_t since = now_ms - WINDOW_MS;
	if (collect_comments(&ps, since, &error) || collect_news(&ps, since, &error) ||
	    collect_subjects(&ps, &error) ||
	    !(users = json_object_size(ps.subjects) ? collect_followers(&ps, &error)
						    : arena_json(arena, json_object())))
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
	arena_free(arena);
	return queued;
}

struct comments_digest_thread {
	struct ticker *ticker;
	const struct app *app;
	const struct comments_digest_kind *const *kinds;
	int hour;
	char done_day[11]; /* the last Paris day whose pass succeeded */
};

/* Runs the day's pass once the hour has come, unless done already; the
 * ticker's job. Returns the wait until the next look at the clock. */
static long tick(struct ticker *ticker, void *ctx)
{
	(void)ticker;
	struct comments_digest_thread *t = ctx;
	int64_t now = clock_now_ms();
	char day[11];
	int hour;
	comments_paris_day(now, day, &hour);
	if (hour >= t->hour && strcmp(day, t->done_day) != 0 &&
	    comments_digest_run(t->app, t->kinds, now) >= 0)
		memcpy(t->done_day, day, sizeof(day));
	return CHECK_INTERVAL_MS;
}

/* Returns $COUSILAB_DIGEST_HOUR (0-23), else COMMENTS_DIGEST_DEFAULT_HOUR. */
static int configured_hour(void)
{
	const char *v = getenv("COUSILAB_DIGEST_HOUR");
	char *end;
	long h = v && *v ? strtol(v, &end, 10) : -1;
	if (v && *v && (*end || h < 0 || h > 23)) {
		log_error(NULL, "COUSILAB_DIGEST_HOUR=%s is no hour (0-23): using %d", v,
			  COMMENTS_DIGEST_DEFAULT_HOUR);
		h = -1;
	}
	return h < 0 ? COMMENTS_DIGEST_DEFAULT_HOUR : (int)h;
}

struct comments_digest_thread *comments_digest_start(
	const struct app *app, const struct comments_digest_kind *const *kinds)
{
	struct comments_digest_thread *t = xcalloc(1, sizeof(*t));
	t->app = app;
	t->kinds = kinds;
	t->hour = configured_hour();
	t->ticker = ticker_start(tick, t, 0);
	if (!t->ticker) {
		free(t);
		return NULL;
	}
	return t;
}

void comments_digest_request_stop(struct comments_digest_thread *t)
{
	if (t)
		ticker_request_stop(t->ticker);
}

void comments_digest_stop(struct comments_digest_thread *t)
{
	if (!t)
		return;
	ticker_stop(t->ticker);
	free(t);
}
