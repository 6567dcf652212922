/* The account page's sessions and API tokens: listing them, ending a
 * session, creating and revoking a token. Both are stored under the
 * SHA-256 of their secret; that hash is the only handle the page shows. */
#include <mongoc/mongoc.h>
#include <string.h>

#include "accounts/accounts.h"
#include "accounts/auth.h"
#include "accounts/session.h"
#include "accounts/user.h"
#include "app.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/form.h"
#include "http/reply.h"
#include "view/page.h"

enum { TOKEN_LABEL_MAX_CHARS = 80, TOKENS_MAX = 20 };

/* Returns true when s has the form of a stored hash: 64 lowercase hex
 * digits. Pure. */
static bool is_hash(const char *s)
{
	return s && strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

/* Renames each item's "_id" to "id", which templates can name. */
static void rename_ids(json_t *items)
{
	json_t *item;
	size_t i;
	json_array_foreach(items, i, item) {
		json_object_set(item, "id", json_object_get(item, "_id"));
		json_object_del(item, "_id");
	}
}

json_t *account_sessions(struct request *req, bson_error_t *error)
{
	static const char *const FIELDS[] = {"_id", "created_at", "last_seen_at", "ip",
					     "user_agent", NULL};
	const struct config *cfg = &req->app->config;
	int64_t now = doc_now_ms();
	/* Expired sessions wait for the purge; they are over already. */
	bson_t *filter = BCON_NEW("user_id", BCON_UTF8(req->user->id),
		"last_seen_at", "{", "$gte",
		BCON_DATE_TIME(now - (int64_t)cfg->session_idle_s * 1000), "}",
		"created_at", "{", "$gte",
		BCON_DATE_TIME(now - (int64_t)cfg->session_absolute_s * 1000), "}");
	json_t *sessions = account_list(req, "sessions", filter, FIELDS, "last_seen_at",
					true, error);
	if (!sessions)
		return NULL;
	rename_ids(sessions);
	json_t *s;
	size_t i;
	json_array_foreach(sessions, i, s)
		json_object_set_new(s, "current", json_boolean(req->session_id &&
			strcmp(json_str(s, "id"), req->session_id) == 0));
	return sessions;
}

json_t *account_tokens(struct request *req, bson_error_t *error)
{
	static const char *const FIELDS[] = {"_id", "name", "prefix", "created_at", NULL};
	/* Those made before the last password change are revoked. */
	int64_t changed = doc_int(req->user->doc, "credentials_changed_at", 0);
	json_t *tokens = account_list(req, "api_tokens",
				      BCON_NEW("user_id", BCON_UTF8(req->user->id), "created_at",
					       "{", "$gt", BCON_DATE_TIME(changed), "}"),
				      FIELDS, "created_at", true, error);
	if (tokens)
		rename_ids(tokens);
	return tokens;
}

/* Someone else's session or token gets the same 404 as a missing one. */
static const char NO_SESSION[] = "Cette session n'existe pas ou a déjà pris fin.";
static const char NO_TOKEN[] = "Ce jeton n'existe pas ou a déjà été révoqué.";

void accounts_account_session_end(struct request *req)
{
	if (account_guard(req))
		return;
	const char *id = request_param(req, "id");
	const char *user_id = req->user->id;
	bson_error_t error = {0};
	bson_t *session = is_hash(id) ? doc_find_id(req, "sessions", id, &error) : NULL;
	const char *owner = session ? doc_string(req->arena, session, "user_id") : NULL;
	bson_destroy(session);
	if (!owner || strcmp(owner, user_id) != 0) {
		if (error.code)
			db_fail(req, "finding a session", &error);
		else
			reply_error(req, 404, "not_found", NO_SESSION, NULL);
		return;
	}
	audit_record(req, "session.end", id, NULL, NULL);
	if (req->session_id && strcmp(id, req->session_id) == 0) {
		if (session_end_current(req, &error)) {
			db_fail(req, "ending a session", &error);
			return;
		}
		csrf_rotate(req);
		reply_redirect(req, "/connexion?info=deconnecte");
		return;
	}
	if (session_end(req, user_id, id, &error)) {
		db_fail(req, "ending a session", &error);
		return;
	}
	reply_redirect(req, "/compte?info=session");
}

void accounts_account_token_create(struct request *req)
{
	if (account_guard(req))
		return;
	struct form f;
	form_begin(&f, req);
	const char *label = form_text(&f, "label", TOKEN_LABEL_MAX_CHARS, true);
	bson_error_t error;
	json_t *tokens = account_tokens(req, &error);
	if (!tokens) {
		db_fail(req, "listing API tokens", &error);
		form_end(&f);
		return;
	}
	if (json_array_size(tokens) >= TOKENS_MAX)
		form_error(&f, "label", arena_printf(req->arena,
			"Vous avez déjà %d jetons : révoquez-en un avant d'en créer un autre.",
			TOKENS_MAX));
	json_decref(tokens);
	if (!form_valid(&f)) {
		account_page(req, &f, 422);
		form_end(&f);
		return;
	}
	form_end(&f);
	const char *token = api_token_create(req, req->user->id, label, &error);
	if (!token) {
		db_fail(req, "creating an API token", &error);
		return;
	}
	audit_record(req, "token.create", token_hash(req->arena, token), label, NULL);
	json_t *data = json_pack("{s:s, s:s}", "token", token, "label", label);
	page_reply(req, 200, "accounts/account_token", "Votre nouveau jeton", NULL, data);
	json_decref(data);
}

void accounts_account_token_revoke(struct request *req)
{
	if (account_guard(req))
		return;
	const char *id = request_param(req, "id");
	if (!is_hash(id)) {
		reply_error(req, 404, "not_found", NO_TOKEN, NULL);
		return;
	}
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(id), "user_id", BCON_UTF8(req->user->id));
	bson_t reply;
	bson_error_t error;
	bool ok = mongoc_collection_delete_one(db_collection(req, "api_tokens"), filter,
					       NULL, &reply, &error);
	int64_t deleted = ok ? doc_int(&reply, "deletedCount", 0) : 0;
	bson_destroy(&reply);
	bson_destroy(filter);
	if (!ok) {
		db_fail(req, "revoking an API token", &error);
		return;
	}
	if (!deleted) {
		reply_error(req, 404, "not_found", NO_TOKEN, NULL);
		return;
	}
	audit_record(req, "token.revoke", id, NULL, NULL);
	reply_redirect(req, "/compte?info=jeton");
}
