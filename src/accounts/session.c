#include "accounts/session.h"

#include <mongoc/mongoc.h>
#include <sodium.h>
#include <string.h>

#include "accounts/user.h"
#include "app.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/reply.h"
#include "http/request.h"

char *token_new(struct arena *a, const char *prefix)
{
	unsigned char raw[16];
	char hex[sizeof(raw) * 2 + 1];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
	return arena_printf(a, "%s%s", prefix, hex);
}

char *token_hash(struct arena *a, const char *token)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	char *hex = arena_alloc(a, sizeof(h) * 2 + 1);
	sodium_bin2hex(hex, sizeof(h) * 2 + 1, h, sizeof(h));
	return hex;
}

bool session_expired(int64_t created_ms, int64_t seen_ms, int64_t now_ms,
		     long idle_s, long absolute_s)
{
	return now_ms - seen_ms > (int64_t)idle_s * 1000 ||
	       now_ms - created_ms > (int64_t)absolute_s * 1000;
}

/* Deletes the session matching filter (destroyed here): one at most, by
 * _id. Returns 0, or -1 with error set. */
static int delete_session(struct request *req, bson_t *filter, bson_error_t *error)
{
	bool ok = mongoc_collection_delete_one(db_collection(req, "sessions"), filter, NULL,
					       NULL, error);
	bson_destroy(filter);
	return ok ? 0 : -1;
}

int session_end_current(struct request *req, bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	reply_cookie(req, "sid", "", 0);
	if (!req->session_id)
		return 0;
	int rc = delete_session(req, BCON_NEW("_id", BCON_UTF8(req->session_id)), error);
	req->session_id = NULL;
	req->user = NULL;
	return rc;
}

int session_start(struct request *req, const char *user_id, bson_error_t *error)
{
	if (session_end_current(req, error))
		return -1;
	const char *token = token_new(req->arena, "");
	const char *id = token_hash(req->arena, token);
	const char *agent = request_env(req, "HTTP_USER_AGENT");
	int64_t now = doc_now_ms();
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(id), "user_id", BCON_UTF8(user_id),
			       "created_at", BCON_DATE_TIME(now), "last_seen_at",
			       BCON_DATE_TIME(now), "ip", BCON_UTF8(req->remote_addr));
	/* Shown in the session list; cut so a huge header cannot bloat it. */
	if (agent)
		bson_append_utf8(doc, "user_agent", -1, agent,
				 (int)strnlen(agent, 200));
	bool ok = mongoc_collection_insert_one(db_collection(req, "sessions"), doc, NULL,
					       NULL, error);
	bson_destroy(doc);
	if (!ok)
		return -1;
	reply_cookie(req, "sid", token, -1);
	req->session_id = id;
	return 0;
}

int session_end(struct request *req, const char *user_id, const char *id,
		bson_error_t *error)
{
	return delete_session(req, BCON_NEW("_id", BCON_UTF8(id), "user_id", BCON_UTF8(user_id)),
			      error);
}

int session_end_all(struct request *req, const char *user_id, const char *keep,
		    bson_error_t *error)
{
	bson_t *filter = BCON_NEW("user_id", BCON_UTF8(user_id));
	if (keep)
		BCON_APPEND(filter, "_id", "{", "$ne", BCON_UTF8(keep), "}");
	return doc_delete_matching(req, "sessions", filter, error);
}

/* Moves the session's idle clock forward, at most once a minute (or a
 * quarter of the idle limit when that is shorter). */
static void session_touch(struct request *req, const bson_t *session, int64_t now)
{
	long idle_ms = req->app->config.session_idle_s * 1000;
	int64_t step = idle_ms / 4 < 60000 ? idle_ms / 4 : 60000;
	if (now - doc_int(session, "last_seen_at", 0) < step)
		return;
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(req->session_id));
	bson_t *update = BCON_NEW("$set", "{", "last_seen_at", BCON_DATE_TIME(now), "}");
	bson_error_t error;
	/* A missed touch only shortens the session: log, don't fail. */
	if (!mongoc_collection_update_one(db_collection(req, "sessions"), filter, update,
					  NULL, NULL, &error))
		log_error(req->request_id, "touching a session: %s", error.message);
	bson_destroy(update);
	bson_destroy(filter);
}

int session_load(struct request *req, bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	const char *token = request_cookie(req, "sid");
	if (!token || strlen(token) != 32)
		return 0;
	const char *id = token_hash(req->arena, token);
	bson_t *session = doc_find_id(req, "sessions", id, error);
	if (!session) {
		if (error->code)
			return -1;
		reply_cookie(req, "sid", "", 0);
		return 0;
	}
	int64_t now = doc_now_ms();
	const struct config *cfg = &req->app->config;
	const char *user_id = doc_string(req->arena, session, "user_id");
	struct user *user = NULL;
	if (!session_expired(doc_int(session, "created_at", 0),
			     doc_int(session, "last_seen_at", 0), now,
			     cfg->session_idle_s, cfg->session_absolute_s) && user_id) {
		user = user_find_id(req, user_id, error);
		if (!user && error->code) {
			bson_destroy(session);
			return -1;
		}
	}
	req->session_id = id;
	if (user && user_is_active(user)) {
		req->user = user;
		session_touch(req, session, now);
	} else {
		/* Expired, or its account was deactivated meanwhile. */
		session_end_current(req, error);
	}
	bson_destroy(session);
	return 0;
}

const char *api_token_create(struct request *req, const char *user_id,
			     const char *label, bson_error_t *error)
{
	const char *token = token_new(req->arena, "csl_");
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(token_hash(req->arena, token)),
			       "user_id", BCON_UTF8(user_id), "name", BCON_UTF8(label),
			       "prefix", BCON_UTF8(arena_strndup(req->arena, token, 8)),
			       "created_at", BCON_DATE_TIME(doc_now_ms()));
	bool ok = mongoc_collection_insert_one(db_collection(req, "api_tokens"), doc,
					       NULL, NULL, error);
	bson_destroy(doc);
	return ok ? token : NULL;
}

int api_token_load(struct request *req, const char *token, bson_error_t *error)
{
	bson_t *doc = doc_find_id(req, "api_tokens", token_hash(req->arena, token), error);
	if (!doc)
		return error->code ? -1 : 0;
	const char *user_id = doc_string(req->arena, doc, "user_id");
	bson_destroy(doc);
	struct user *user = user_id ? user_find_id(req, user_id, error) : NULL;
	if (!user)
		return error->code ? -1 : 0;
	if (!user_is_active(user))
		return 0;
	req->user = user;
	req->via_token = true;
	return 1;
}
