#include "accounts/session.h"

#include <mongoc/mongoc.h>
#include <sodium.h>
#include <string.h>

#include "accounts/account_cache.h"
#include "accounts/user.h"
#include "accounts/user_list.h"
#include "core/app.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/log.h"
#include "core/token.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/reply.h"
#include "http/request.h"

bool session_expired(int64_t created_ms, int64_t seen_ms, int64_t now_ms, long idle_s,
		     long absolute_s)
{
	return now_ms - seen_ms > (int64_t)idle_s * 1000 ||
	       now_ms - created_ms > (int64_t)absolute_s * 1000;
}

/* Deletes the documents of collection named in ids (by _id each), then
 * logs them and user_id's list (when user_id is not NULL) as changed.
 * Returns 0, or -1 with error set (what was deleted is logged all the
 * same). */
static int forget_all(struct db_ctx *db, const char *collection, const char *list,
		      const char *user_id, const json_t *ids, bson_error_t *error)
{
	size_t n = json_array_size(ids), done = 0, k = 0;
	const char **keys = arena_alloc(db->arena, (n + 1) * sizeof(*keys));
	if (user_id)
		keys[k++] = account_key(db->arena, list, user_id);
	bool ok = true;
	for (; ok && done < n; done++) {
		const char *id = json_string_value(json_array_get(ids, done));
		bson_t *filter = BCON_NEW("_id", BCON_UTF8(id ? id : ""));
		ok = mongoc_collection_delete_one(db_collection(db, collection), filter, NULL, NULL,
						  error);
		bson_destroy(filter);
		keys[k++] = account_key(db->arena, collection, id ? id : "");
	}
	bson_error_t logging;
	int logged = account_changed(db, keys, k, ok ? error : &logging);
	return ok && logged == 0 ? 0 : -1;
}

/* Ends session id of user_id (NULL when unknown): it leaves the user's
 * list, then its document goes. Returns 0 or -1 with error set. */
static int end_one(struct request *req, const char *user_id, const char *id, bson_error_t *error)
{
	json_t *ids = arena_json(req->arena, json_pack("[s]", id));
	int rc = (user_id &&
		  user_list_remove(req->db, USER_SESSIONS, user_id, id, NULL, NULL, error)) ||
		 forget_all(req->db, "sessions", USER_SESSIONS, user_id, ids, error);
	return rc ? -1 : 0;
}

int session_end_current(struct request *req, bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	reply_cookie(req, "sid", "", 0);
	if (!req->session_id)
		return 0;
	int rc = end_one(req, req->user ? req->user->id : NULL, req->session_id, error);
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
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(id), "user_id", BCON_UTF8(user_id), "created_at",
			       BCON_DATE_TIME(now), "last_seen_at", BCON_DATE_TIME(now), "ip",
			       BCON_UTF8(req->remote_addr));
	/* Shown in the session list; cut so a huge header cannot bloat it. */
	if (agent)
		bson_append_utf8(doc, "user_agent", -1, agent, (int)strnlen(agent, 200));
	bool ok = mongoc_collection_insert_one(db_collection(req->db, "sessions"), doc, NULL, NULL,
					       error);
	bson_destroy(doc);
	json_t *dropped = NULL;
	/* Listed last: a session counts only once listed. Past the limit the
	 * oldest session of the account ends. */
	if (!ok ||
	    user_list_add(req->db, USER_SESSIONS, user_id, id, USER_SESSIONS_MAX, &dropped,
			  error) ||
	    forget_all(req->db, "sessions", USER_SESSIONS, user_id, dropped, error))
		return -1;
	reply_cookie(req, "sid", token, -1);
	req->session_id = id;
	return 0;
}

int session_end(struct request *req, const char *user_id, const char *id, bson_error_t *error)
{
	return end_one(req, user_id, id, error);
}

int session_end_all(struct request *req, const char *user_id, const char *keep, bson_error_t *error)
{
	json_t *dropped = NULL;
	int rc = user_list_remove(req->db, USER_SESSIONS, user_id, NULL, keep, &dropped, error) ||
		 forget_all(req->db, "sessions", USER_SESSIONS, user_id, dropped, error);
	return rc ? -1 : 0;
}

bson_t *session_find(struct request *req, const char *id, int64_t now, bool *live,
		     bson_error_t *error)
{
	const struct config *cfg = &req->app->config;
	*live = false;
	for (int fresh = 0; fresh < 2; fresh++) {
		bson_t *session = account_doc(req->db, "sessions", id, fresh, error);
		if (!session)
			return NULL;
		*live = !session_expired(doc_int(session, "created_at", 0),
					 doc_int(session, "last_seen_at", 0), now,
					 cfg->session_idle_s, cfg->session_absolute_s);
		/* A copy may predate another process's touch: an expiry is
		 * confirmed from the database. */
		if (*live || fresh)
			return session;
		bson_destroy(session);
	}
	return NULL;
}

/* Returns 1 when id is in user_id's list (this process's copy, then the
 * database's when the copy lacks it: it may predate the login), 0 when
 * not, -1 on a database error. */
static int listed(struct request *req, const char *list, const char *user_id, const char *id,
		  bson_error_t *error)
{
	for (int fresh = 0; fresh < 2; fresh++) {
		json_t *ids = user_list_get(req->db, list, user_id, fresh, error);
		if (!ids)
			return -1;
		if (user_list_has(ids, id))
			return 1;
	}
	return 0;
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
	if (!mongoc_collection_update_one(db_collection(req->db, "sessions"), filter, update, NULL,
					  NULL, &error))
		log_error(req->request_id, "touching a session: %s", error.message);
	/* Only this process's copy: another one that finds its own copy
	 * expired reads the database before believing it. */
	account_doc_forget("sessions", req->session_id);
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
	int64_t now = doc_now_ms();
	bool live;
	bson_t *session = session_find(req, id, now, &live, error);
	if (!session) {
		if (error->code)
			return -1;
		reply_cookie(req, "sid", "", 0);
		return 0;
	}
	const char *user_id = doc_string(req->arena, session, "user_id");
	struct user *user = live && user_id ? user_find_id(req->db, user_id, error) : NULL;
	int in_list = user_is_active(user) ? listed(req, USER_SESSIONS, user_id, id, error) : 0;
	if ((!user && error->code) || in_list < 0) {
		bson_destroy(session);
		return -1;
	}
	req->session_id = id;
	if (in_list) {
		req->user = user;
		session_touch(req, session, now);
	} else {
		/* Expired, taken out of its account's list (ended elsewhere,
		 * or the oldest past the limit), or its account was
		 * deactivated meanwhile. */
		int rc = end_one(req, user_id, id, error);
		reply_cookie(req, "sid", "", 0);
		req->session_id = NULL;
		if (rc)
			log_error(req->request_id, "ending a stale session: %s", error->message);
		memset(error, 0, sizeof(*error));
	}
	bson_destroy(session);
	return 0;
}

const char *api_token_create(struct db_ctx *db, const char *user_id, const char *label,
			     bson_error_t *error)
{
	const char *token = token_new(db->arena, "csl_");
	const char *id = token_hash(db->arena, token);
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(id), "user_id", BCON_UTF8(user_id), "name",
			       BCON_UTF8(label), "prefix",
			       BCON_UTF8(arena_strndup(db->arena, token, 8)), "created_at",
			       BCON_DATE_TIME(doc_now_ms()));
	bool ok = mongoc_collection_insert_one(db_collection(db, "api_tokens"), doc, NULL, NULL,
					       error);
	bson_destroy(doc);
	json_t *dropped = NULL;
	ok = ok &&
	     user_list_add(db, USER_TOKENS, user_id, id, USER_TOKENS_MAX, &dropped, error) == 0 &&
	     forget_all(db, "api_tokens", USER_TOKENS, user_id, dropped, error) == 0;
	return ok ? token : NULL;
}

int api_token_load(struct request *req, const char *token, bson_error_t *error)
{
	const char *id = token_hash(req->arena, token);
	bson_t *doc = account_doc(req->db, "api_tokens", id, false, error);
	if (!doc)
		return error->code ? -1 : 0;
	const char *user_id = doc_string(req->arena, doc, "user_id");
	bson_destroy(doc);
	struct user *user = user_id ? user_find_id(req->db, user_id, error) : NULL;
	if (!user)
		return error->code ? -1 : 0;
	if (!user_is_active(user))
		return 0;
	int in_list = listed(req, USER_TOKENS, user_id, id, error);
	if (in_list <= 0)
		return in_list;
	req->user = user;
	req->via_token = true;
	return 1;
}

int api_token_revoke(struct request *req, const char *user_id, const char *id, bson_error_t *error)
{
	bson_t *doc = account_doc(req->db, "api_tokens", id, true, error);
	const char *owner = doc ? doc_string(req->arena, doc, "user_id") : NULL;
	bson_destroy(doc);
	if (!owner || strcmp(owner, user_id) != 0)
		return error->code ? -1 : 0;
	json_t *ids = arena_json(req->arena, json_pack("[s]", id));
	int rc = user_list_remove(req->db, USER_TOKENS, user_id, id, NULL, NULL, error) ||
		 forget_all(req->db, "api_tokens", USER_TOKENS, user_id, ids, error);
	return rc ? -1 : 1;
}

int api_token_revoke_all(struct request *req, const char *user_id, bson_error_t *error)
{
	json_t *dropped = NULL;
	int rc = user_list_remove(req->db, USER_TOKENS, user_id, NULL, NULL, &dropped, error) ||
		 forget_all(req->db, "api_tokens", USER_TOKENS, user_id, dropped, error);
	return rc ? -1 : 0;
}
