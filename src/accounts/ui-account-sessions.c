/* The account page's sessions and API tokens: listing them, ending a
 * session, creating and revoking a token. Both are stored under the
 * SHA-256 of their secret; that hash is the only handle the page shows. */
#include <stdio.h>
#include <string.h>

#include "accounts/account_cache.h"
#include "accounts/session.h"
#include "accounts/ui.h"
#include "accounts/user.h"
#include "accounts/user_list.h"
#include "audit/audit.h"
#include "core/app.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/token.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/form.h"
#include "http/reply.h"
#include "web/confirm.h"
#include "web/csrf.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/page.h"

enum { TOKEN_LABEL_MAX_CHARS = 80 };

/* Returns true when s has the form of a stored hash: 64 lowercase hex
 * digits. Pure. */
static bool is_hash(const char *s)
{
	return s && strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

/* Returns the fields of doc listed in fields (NULL-terminated), its
 * "_id" as "id". New reference. */
static json_t *item_of(const bson_t *doc, const char *const *fields)
{
	json_t *all = doc_to_json(doc), *item = json_object();
	for (const char *const *k = fields; *k; k++) {
		json_t *v = json_object_get(all, *k);
		char fr[64];
		snprintf(fr, sizeof(fr), "%s_fr", *k);
		if (v)
			json_object_set(item, *k, v);
		if (json_object_get(all, fr))
			json_object_set(item, fr, json_object_get(all, fr));
	}
	json_object_set(item, "id", json_object_get(all, "_id"));
	json_decref(all);
	return item;
}

/* Inserts item (reference stolen) into list, which is kept newest first
 * by the ISO 8601 field key. Lists are short (USER_*_MAX). */
static void insert_newest_first(json_t *list, json_t *item, const char *key)
{
	size_t i = 0;
	while (i < json_array_size(list) &&
	       strcmp(json_str(json_array_get(list, i), key), json_str(item, key)) >= 0)
		i++;
	json_array_insert_new(list, i, item);
}

json_t *account_sessions(struct request *req, bson_error_t *error)
{
	static const char *const FIELDS[] = {"created_at", "last_seen_at", "ip", "user_agent",
					     NULL};
	json_t *ids = user_list_get(req->db, USER_SESSIONS, req->user->id, false, error);
	json_t *sessions = ids ? arena_json(req->arena, json_array()) : NULL, *id;
	int64_t now = doc_now_ms();
	size_t i;
	json_array_foreach(ids, i, id) {
		bool live;
		bson_t *doc = session_find(req, json_string_value(id), now, &live, error);
		if (!doc && error->code)
			return NULL;
		/* Expired sessions wait for the purge; they are over already. */
		if (doc && live) {
			json_t *s = item_of(doc, FIELDS);
			json_object_set_new(
				s, "current",
				json_boolean(req->session_id &&
					     strcmp(json_str(s, "id"), req->session_id) == 0));
			insert_newest_first(sessions, s, "last_seen_at");
		}
		bson_destroy(doc);
	}
	return sessions;
}

json_t *account_tokens(struct request *req, bson_error_t *error)
{
	static const char *const FIELDS[] = {"name", "prefix", "created_at", NULL};
	json_t *ids = user_list_get(req->db, USER_TOKENS, req->user->id, false, error);
	json_t *tokens = ids ? arena_json(req->arena, json_array()) : NULL, *id;
	size_t i;
	json_array_foreach(ids, i, id) {
		bson_t *doc = account_doc(req->db, "api_tokens", json_string_value(id), false,
					  error);
		if (!doc && error->code)
			return NULL;
		if (doc)
			insert_newest_first(tokens, item_of(doc, FIELDS), "created_at");
		bson_destroy(doc);
	}
	return tokens;
}

/* Someone else's session or token gets the same 404 as a missing one. */
static const char NO_SESSION[] = "Cette session n’existe pas ou a déjà pris fin.";
static const char NO_TOKEN[] = "Ce jeton n’existe pas ou a déjà été révoqué.";

/* Returns the signed-in user's own document {id} of collection
 * ("sessions" or "api_tokens") as JSON owned by the request's arena;
 * otherwise replies 404 with missing (none, or someone else's) or 503,
 * and returns NULL. */
static json_t *own_item_or_reply(struct request *req, const char *collection, const char *missing)
{
	const char *id = request_param(req, "id");
	bson_error_t error = {0};
	bson_t *doc = is_hash(id) ? doc_find_id(req->db, collection, id, &error) : NULL;
	const char *owner = doc ? doc_string(req->arena, doc, "user_id") : NULL;
	json_t *item = owner && strcmp(owner, req->user->id) == 0
			       ? arena_json(req->arena, doc_to_json(doc))
			       : NULL;
	bson_destroy(doc);
	if (!item && error.code)
		db_fail(req, "finding a session or token", &error);
	else if (!item)
		reply_error(req, 404, "not_found", missing, NULL);
	return item;
}

void accounts_account_session_end(struct request *req)
{
	if (account_guard_or_reply(req))
		return;
	if (!own_item_or_reply(req, "sessions", NO_SESSION))
		return;
	const char *id = request_param(req, "id");
	const char *user_id = req->user->id;
	bson_error_t error;
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
	if (account_guard_or_reply(req))
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
	if (json_array_size(tokens) >= USER_TOKENS_MAX)
		form_error(
			&f, "label",
			arena_printf(
				req->arena,
				"Vous avez déjà %d jetons\u202f: révoquez-en un avant d’en créer un autre.",
				USER_TOKENS_MAX));
	if (!form_valid(&f)) {
		account_page(req, &f, 422);
		form_end(&f);
		return;
	}
	form_end(&f);
	const char *token = api_token_create(req->db, req->user->id, label, &error);
	if (!token) {
		db_fail(req, "creating an API token", &error);
		return;
	}
	audit_record(req, "token.create", token_hash(req->arena, token), label, NULL);
	json_t *data = arena_json(req->arena,
				  json_pack("{s:s, s:s}", "token", token, "label", label));
	page_reply(req, 200, "accounts/account_token", "Votre nouveau jeton", NULL, data);
}

void accounts_account_token_revoke(struct request *req)
{
	if (account_guard_or_reply(req))
		return;
	const char *id = request_param(req, "id");
	if (!is_hash(id)) {
		reply_error(req, 404, "not_found", NO_TOKEN, NULL);
		return;
	}
	bson_error_t error;
	int revoked = api_token_revoke(req, req->user->id, id, &error);
	if (revoked < 0) {
		db_fail(req, "revoking an API token", &error);
		return;
	}
	if (!revoked) {
		reply_error(req, 404, "not_found", NO_TOKEN, NULL);
		return;
	}
	audit_record(req, "token.revoke", id, NULL, NULL);
	reply_redirect(req, "/compte?info=jeton");
}

void accounts_account_session_end_confirm(struct request *req)
{
	if (account_guard_or_reply(req))
		return;
	json_t *s = own_item_or_reply(req, "sessions", NO_SESSION);
	if (!s)
		return;
	const char *id = json_str(s, "_id");
	bool current = req->session_id && strcmp(id, req->session_id) == 0;
	const char *agent = json_str(s, "user_agent");
	confirm_page_reply(
		req,
		&(struct confirm_page){
			.title = "Terminer cette session\u202f?",
			.subject = arena_printf(req->arena, "Session ouverte le %s (%s)",
						json_str(s, "created_at_fr"),
						*agent ? agent : "navigateur inconnu"),
			.consequence =
				current ? "Vous serez déconnecté de cet appareil."
					: "L’appareil qui l’utilise sera déconnecté\u202f: il faudra "
					  "s’y connecter à nouveau.",
			.action = arena_printf(req->arena, "/compte/sessions/%s/terminer", id),
			.button = "Terminer la session",
			.cancel = "/compte#sessions",
		});
}

void accounts_account_token_revoke_confirm(struct request *req)
{
	if (account_guard_or_reply(req))
		return;
	json_t *t = own_item_or_reply(req, "api_tokens", NO_TOKEN);
	if (!t)
		return;
	confirm_page_reply(
		req,
		&(struct confirm_page){
			.title = "Révoquer ce jeton\u202f?",
			.subject = arena_printf(req->arena, "Jeton «\u202f%s\u202f», créé le %s",
						json_str(t, "name"), json_str(t, "created_at_fr")),
			.consequence =
				"Les programmes qui l’utilisent n’auront plus accès à l’API en "
				"votre nom. Cette action est définitive.",
			.action = arena_printf(req->arena, "/compte/jetons/%s/revoquer",
					       json_str(t, "_id")),
			.button = "Révoquer le jeton",
			.cancel = "/compte#jetons",
		});
}
