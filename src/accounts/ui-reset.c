/* Password reset by a single-use mailed link (/mot-de-passe/...). The
 * request page answers the same whether or not the address is known. */
#include <string.h>

#include "accounts/accounts.h"
#include "accounts/email_token.h"
#include "accounts/notify.h"
#include "accounts/password.h"
#include "accounts/rules.h"
#include "accounts/session.h"
#include "accounts/throttle.h"
#include "accounts/user.h"
#include "app.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/form.h"
#include "http/reply.h"
#include "view/page.h"

/* Reset mails per address before delays start. */
enum { FREE_RESETS = 3 };

void accounts_reset_request_form(struct request *req)
{
	json_t *data = json_object();
	page_reply(req, 200, "accounts/reset_request", "Mot de passe oublié", NULL, data);
	json_decref(data);
}

/* Mails a reset link to u. Returns 0 or -1 (replied). */
static int send_reset(struct request *req, const struct user *u)
{
	bson_error_t error;
	const char *token = email_token_create(req, u->id, "reset", RESET_TTL_S, &error);
	if (!token) {
		db_fail(req, "creating a reset token", &error);
		return -1;
	}
	json_t *mail = json_pack("{s:s, s:s}", "name", u->name ? u->name : "", "url",
		site_url(req, arena_printf(req->arena, "/mot-de-passe/nouveau?jeton=%s", token)));
	notify_user(req, u->email, "reset", mail);
	json_decref(mail);
	return 0;
}

void accounts_reset_request(struct request *req)
{
	struct form f;
	form_begin(&f, req);
	const char *email = email_normalize(req->arena,
					    form_text(&f, "email", EMAIL_MAX_CHARS, true));
	if (form_valid(&f) && !email_plausible(email))
		form_error(&f, "email", "Saisissez une adresse électronique valide.");
	if (!form_valid(&f)) {
		json_t *data = json_object();
		form_reply_invalid(&f, "accounts/reset_request", "Mot de passe oublié", NULL, data);
		json_decref(data);
		form_end(&f);
		return;
	}
	form_end(&f);
	const char *key = arena_printf(req->arena, "reset:account:%s",
				       token_hash(req->arena, email));
	bson_error_t error;
	long wait = throttle_wait(req, key, FREE_RESETS, &error);
	struct user *u = wait == 0 ? user_find_email(req, email, &error) : NULL;
	if (wait < 0 || (!u && error.code) || (wait == 0 && throttle_fail(req, key, &error))) {
		db_fail(req, "requesting a reset", &error);
		return;
	}
	/* Throttled or unknown: the same answer, and no mail. */
	if (u && (strcmp(u->status, "active") == 0 || strcmp(u->status, "pending") == 0)) {
		if (send_reset(req, u))
			return;
		audit_record(req, "password.reset_requested", u->id, NULL, email);
	}
	json_t *data = json_pack("{s:s}", "email", email);
	page_reply(req, 200, "accounts/reset_sent", "Vérifiez votre messagerie", NULL, data);
	json_decref(data);
}

/* Renders the new-password form for token, or the invalid-link page. */
static void reset_page(struct request *req, struct form *f, const char *token, bool valid)
{
	json_t *data = json_pack("{s:s, s:b}", "token", token ? token : "", "valid", valid);
	if (f)
		form_reply_invalid(f, "accounts/reset_form", "Nouveau mot de passe", NULL, data);
	else
		page_reply(req, valid ? 200 : 404, "accounts/reset_form",
			   "Nouveau mot de passe", NULL, data);
	json_decref(data);
}

void accounts_reset_form(struct request *req)
{
	const char *token = request_param(req, "jeton");
	bson_error_t error;
	struct user *u = email_token_check(req, token, "reset", false, &error);
	if (!u && error.code) {
		db_fail(req, "checking a reset link", &error);
		return;
	}
	reset_page(req, NULL, token, u != NULL);
}

/* Stores a new password hash for u and ends all its sessions. Returns 0,
 * or -1 after replying. Also used by the account page. */
int set_password(struct request *req, const struct user *u, const char *pw,
		 const char *keep_session)
{
	char hash[crypto_pwhash_STRBYTES];
	if (password_hash(pw, hash) != 0) {
		reply_error(req, 500, "internal", "Le mot de passe n'a pas pu être chiffré.",
			    NULL);
		return -1;
	}
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(u->id));
	bson_t *update = BCON_NEW("$set", "{", "password_hash", BCON_UTF8(hash),
				  "updated_at", BCON_DATE_TIME(doc_now_ms()), "}");
	/* Proving control of the mailbox also confirms a pending address. */
	if (strcmp(u->status, "pending") == 0)
		BCON_APPEND(update, "$set", "{", "status", BCON_UTF8("active"), "}");
	bson_error_t error;
	bool ok = user_update(req, filter, update, &error) == 0 &&
		  session_end_all(req, u->id, keep_session, &error) == 0;
	sodium_memzero(hash, sizeof(hash));
	if (!ok) {
		db_fail(req, "changing a password", &error);
		return -1;
	}
	json_t *mail = json_pack("{s:s}", "name", u->name ? u->name : "");
	notify_user(req, u->email, "password_changed", mail);
	json_decref(mail);
	return 0;
}

void accounts_reset(struct request *req)
{
	struct form f;
	form_begin(&f, req);
	const char *token = form_text(&f, "jeton", 64, false);
	const char *pw = form_secret(&f, "password", true);
	const char *confirm = form_secret(&f, "password_confirm", true);
	bson_error_t error;
	struct user *u = email_token_check(req, token, "reset", false, &error);
	if (!u) {
		if (error.code)
			db_fail(req, "checking a reset link", &error);
		else
			reset_page(req, NULL, token, false);
		form_end(&f);
		return;
	}
	const char *problem = password_problem(pw, u->email, req->app->common);
	if (problem)
		form_error(&f, "password", problem);
	else if (strcmp(pw, confirm) != 0)
		form_error(&f, "password_confirm", "Les deux mots de passe ne sont pas identiques.");
	if (!form_valid(&f)) {
		reset_page(req, &f, token, true);
		form_end(&f);
		return;
	}
	form_end(&f);
	/* Consumed only now, so a typo in the new password keeps the link. */
	u = email_token_check(req, token, "reset", true, &error);
	if (!u) {
		if (error.code)
			db_fail(req, "using a reset link", &error);
		else
			reset_page(req, NULL, token, false);
		return;
	}
	if (set_password(req, u, pw, NULL))
		return;
	audit_record(req, "password.reset", u->id, NULL, u->email);
	reply_redirect(req, "/connexion?info=mot-de-passe");
}
