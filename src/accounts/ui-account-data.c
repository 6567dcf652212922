/* The user's data (GDPR articles 15, 17 and 20): a JSON export of
 * everything Cousilab keeps about the account, and the account's
 * deletion. Contributions are kept: they name the account by id, whose
 * name then reads "Compte supprimé". */
#include <mongoc/mongoc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/erasure.h"
#include "accounts/session.h"
#include "accounts/ui.h"
#include "accounts/user.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/paris_time.h"
#include "db/db.h"
#include "db/doc.h"
#include "db/lookup.h"
#include "http/form.h"
#include "http/reply.h"
#include "mail/outbox.h"
#include "web/csrf.h"
#include "web/db_reply.h"
#include "web/error_reply.h"

static const char DELETED_NAME[] = "Compte supprimé";

json_t *account_list(struct request *req, const char *collection, bson_t *filter,
		     const char *const *fields, const char *sort_key, bool desc,
		     bson_error_t *error)
{
	bson_t *opts = bson_new(), projection, sort;
	bool with_id = false;
	BSON_APPEND_DOCUMENT_BEGIN(opts, "projection", &projection);
	for (const char *const *k = fields; *k; k++) {
		BSON_APPEND_INT32(&projection, *k, 1);
		with_id |= strcmp(*k, "_id") == 0;
	}
	if (!with_id)
		BSON_APPEND_INT32(&projection, "_id", 0);
	bson_append_document_end(opts, &projection);
	BSON_APPEND_DOCUMENT_BEGIN(opts, "sort", &sort);
	BSON_APPEND_INT32(&sort, sort_key, desc ? -1 : 1);
	bson_append_document_end(opts, &sort);
	return doc_find_all(req->db, collection, filter, opts, error);
}

/* Returns the documents of collection listed in lookup list `list`,
 * oldest first, with only fields (NULL-terminated): all of the account's,
 * each read by _id, never a filter on the collection. Owned by the
 * request's arena, or NULL with error set. */
static json_t *listed(struct request *req, const char *list, const char *collection,
		      const char *const *fields, bson_error_t *error)
{
	json_t *ids = arena_json(req->arena, lookup_tail(req->db, list, SIZE_MAX, NULL, error));
	json_t *docs = ids ? arena_json(req->arena, lookup_fetch(req->db, ids, collection, error))
			   : NULL,
	       *d;
	size_t i;
	json_array_foreach(docs, i, d) {
		json_t *kept = json_object();
		for (const char *const *k = fields; *k; k++) {
			json_t *v = json_object_get(d, *k);
			if (v)
				json_object_set(kept, *k, v);
			char fr[64];
			snprintf(fr, sizeof(fr), "%s_fr", *k);
			if ((v = json_object_get(d, fr)))
				json_object_set(kept, fr, v);
		}
		json_array_set_new(docs, i, kept);
	}
	return docs;
}

/* Removes from each item of items the page-only keys (hash handles and
 * the current-session flag). */
static void drop_handles(json_t *items)
{
	json_t *item;
	size_t i;
	json_array_foreach(items, i, item) {
		json_object_del(item, "id");
		json_object_del(item, "current");
	}
}

/* Returns everything kept about the signed-in user, owned by the
 * request's arena, or NULL with error set. */
static json_t *export_data(struct request *req, bson_error_t *error)
{
	static const char *const AUDIT_FIELDS[] = {"at", "action", "target", "detail", "ip", NULL};
	/* Not the bodies: a reset mail holds a live link. */
	static const char *const MAIL_FIELDS[] = {"created_at", "subject", "template",
						  "status",     "sent_at", NULL};
	const struct user *u = req->user;
	json_t *sessions = account_sessions(req, error);
	json_t *tokens = sessions ? account_tokens(req, error) : NULL;
	json_t *audit = tokens ? listed(req, arena_printf(req->arena, "audit_by:%s", u->id),
					"audit", AUDIT_FIELDS, error)
			       : NULL;
	json_t *mail = audit ? listed(req, arena_printf(req->arena, "mail_to:%s", u->email),
				      MAIL_COLLECTION, MAIL_FIELDS, error)
			     : NULL;
	if (!mail)
		return NULL;
	drop_handles(sessions);
	drop_handles(tokens);
	json_t *account = doc_to_json(u->doc);
	json_object_del(account, "password_hash");
	int64_t now = doc_now_ms();
	char iso[PARIS_TIME_RFC3339_MAX], fr[PARIS_TIME_LONG_MAX];
	paris_time_format_rfc3339(now, iso);
	paris_time_format_long(now, fr, sizeof(fr));
	return arena_json(req->arena,
			  json_pack("{s:s, s:s, s:s, s:o, s:O, s:O, s:O, s:O}", "source",
				    "Cousilab, plateforme d’innovation du Lab de la "
				    "Sécurité sociale",
				    "exported_at", iso, "exported_at_fr", fr, "account", account,
				    "sessions", sessions, "api_tokens", tokens, "audit", audit,
				    "mail", mail));
}

void accounts_account_export(struct request *req)
{
	if (account_guard_or_reply(req))
		return;
	bson_error_t error;
	json_t *data = export_data(req, &error);
	if (!data) {
		db_fail(req, "exporting an account", &error);
		return;
	}
	char *text = json_dumps(data, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!text) {
		reply_error(req, 500, "internal", "L’export n’a pas pu être préparé.", NULL);
		return;
	}
	audit_record(req, "data.export", req->user->id, NULL, NULL);
	reply_text(req, 200, "application/json; charset=utf-8", text);
	free(text);
	reply_header(req, "Content-Disposition",
		     "attachment; filename=\"cousilab-mes-donnees.json\"");
}

/* Deletes the documents of collection whose user_id is user_id. Returns
 * 0, or -1 with error set. */
static int delete_owned(struct request *req, const char *collection, const char *user_id,
			bson_error_t *error)
{
	return doc_delete_matching(req->db, collection, BCON_NEW("user_id", BCON_UTF8(user_id)),
				   error);
}

/* Erases the signed-in user's personal data, keeping the document (and
 * its id, which contributions name) with a placeholder address that
 * keeps the unique index and frees the real one. Returns the
 * placeholder (arena), or NULL with error set. */
static const char *erase_account(struct request *req, bson_error_t *error)
{
	const struct user *u = req->user;
	const char *placeholder = arena_printf(req->arena, "supprime-%s@invalid.example", u->id);
	/* The placeholder is claimed first and the real address released
	 * last: an address has one owner at most. */
	if (user_email_claim(req->db, placeholder, u->id, error) <= 0) {
		if (!error->code)
			bson_set_error(error, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_CONFLICT,
				       "%s is claimed by another account", placeholder);
		return NULL;
	}
	int64_t now = doc_now_ms();
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(u->id));
	bson_t *update = BCON_NEW("$set", "{", "name", BCON_UTF8(DELETED_NAME), "email",
				  BCON_UTF8(placeholder), "job", BCON_UTF8(""), "status",
				  BCON_UTF8("deleted"), "roles", "[", "]", "deleted_at",
				  BCON_DATE_TIME(now), "updated_at", BCON_DATE_TIME(now), "}",
				  "$unset", "{", "password_hash", BCON_UTF8(""), "}");
	/* The account goes "deleted" before the rest: it can no longer act,
	 * so a failure below leaves leftovers, not a live account. */
	if (user_update(req->db, filter, update, error) ||
	    user_email_release(req->db, u->email, u->id, error) ||
	    session_end_all(req, u->id, NULL, error) || api_token_revoke_all(req, u->id, error) ||
	    delete_owned(req, "email_tokens", u->id, error) ||
	    /* Features that keep names (club member lists) forget them. */
	    accounts_erasure_run(req, u->id, error) ||
	    /* Mail still pending goes out; what went out is forgotten. */
	    doc_delete_matching(req->db, MAIL_COLLECTION,
				BCON_NEW("to", BCON_UTF8(u->email), "status", "{", "$in", "[",
					 BCON_UTF8("sent"), BCON_UTF8("failed"), "]", "}"),
				error))
		return NULL;
	return placeholder;
}

void accounts_account_delete(struct request *req)
{
	if (account_guard_or_reply(req))
		return;
	struct form f;
	form_begin(&f, req);
	const char *pw = form_secret(&f, "delete_password", true);
	int status = 422;
	int right = form_valid(&f)
			    ? account_check_password_or_reply(&f, "delete_password", pw, &status)
			    : 0;
	if (right == 0)
		account_page(req, &f, status);
	form_end(&f);
	if (right != 1)
		return;
	bson_error_t error;
	const char *placeholder = erase_account(req, &error);
	if (!placeholder) {
		db_fail(req, "deleting an account", &error);
		return;
	}
	/* The record keeps the id, not the address that was just erased. */
	struct user *gone = arena_alloc(req->arena, sizeof(*gone));
	*gone = *req->user;
	gone->email = placeholder;
	gone->name = DELETED_NAME;
	req->user = gone;
	audit_record(req, "account.delete", gone->id, NULL, NULL);
	if (session_end_current(req, &error)) {
		db_fail(req, "ending a session", &error);
		return;
	}
	csrf_rotate(req);
	reply_redirect(req, "/connexion?info=supprime");
}
