/* Password reset by a single-use mailed link (/mot-de-passe/...). The
 * request page answers the same whether or not the address is known. */
#include <string.h>

#include "accounts/email_token.h"
#include "accounts/notify.h"
#include "accounts/password.h"
#include "accounts/password_gate.h"
#include "accounts/rules.h"
#include "accounts/session.h"
#include "accounts/throttle.h"
#include "accounts/ui.h"
#include "accounts/user.h"
#include "audit/audit.h"
#include "core/app.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/form.h"
#include "http/reply.h"
#include "web/db_reply.h"
#include "web/form_reply.h"
#include "web/page.h"

/* Reset requests per address and per IP in a quarter of an hour: each
 * sends a mail, and they must not flood a mailbox. */
enum { RESET_WINDOW_S = 900, RESETS_PER_ADDRESS = 3, RESETS_PER_IP = 20 };

void accounts_reset_request_form(struct request *req)
{
	page_reply(req, 200, "accounts/reset_request", "Mot de passe oublié", NULL,
		   arena_json(req->arena, json_object()));
}

/* Mails a reset link to u. Returns 0 or -1 (replied). */
static int send_reset_or_reply(struct request *req, const struct user *u)
{
	bson_error_t error;
	const char *token = email_token_create(req, u->id, "reset", EMAIL_TOKEN_RESET_TTL_S,
					       &error);
	if (!token) {
		db_fail(req, "creating a reset token", &error);
		return -1;
	}
	json_t *mail = arena_json(
		req->arena,
		json_pack("{s:s, s:s}", "name", u->name ? u->name : "", "url",
			  notify_site_url(req->app, req->arena,
					  arena_printf(req->arena, "/mot-de-passe/nouveau?jeton=%s",
						       token))));
	notify_user(req->app, req->db, u->email, "reset", mail);
	return 0;
}

void accounts_reset_request(struct request *req)
{
	struct form f;
	form_begin(&f, req);
	const char *email = user_email_normalize(
		req->arena, form_text(&f, "email", ACCOUNT_EMAIL_MAX_CHARS, true));
	if (form_valid(&f) && !account_email_plausible(email))
		form_error(&f, "email", "Saisissez une adresse électronique valide.");
	/* Counted whether or not the address has an account: the limits
	 * tell nothing about it. */
	const struct throttle_rule rules[] = {
		{arena_printf(req->arena, "reset:ip:%s", req->remote_addr), RESETS_PER_IP,
		 RESET_WINDOW_S, "Trop de demandes depuis votre adresse réseau."},
		{throttle_key_hashed(req->arena, "reset:address", email), RESETS_PER_ADDRESS,
		 RESET_WINDOW_S,
		 "Plusieurs liens viennent déjà d’être demandés pour cette "
		 "adresse\u202f: consultez votre messagerie."},
	};
	int claimed = form_valid(&f) ? throttle_form_claim_or_reply(&f, "email", rules,
								    sizeof(rules) / sizeof(*rules))
				     : 1;
	if (claimed < 0 || !form_valid(&f)) {
		if (claimed >= 0) {
			form_reply_invalid(&f, "accounts/reset_request", "Mot de passe oublié",
					   NULL, arena_json(req->arena, json_object()));
			req->res.status = claimed ? 422 : 429;
		}
		form_end(&f);
		return;
	}
	form_end(&f);
	bson_error_t error;
	struct user *u = user_find_email(req->db, email, &error);
	if (!u && error.code) {
		db_fail(req, "requesting a reset", &error);
		return;
	}
	/* Unknown: the same answer, and no mail. */
	if (u && (strcmp(u->status, "active") == 0 || strcmp(u->status, "pending") == 0)) {
		if (send_reset_or_reply(req, u))
			return;
		audit_record(req, "password.reset_requested", u->id, NULL, email);
	}
	page_reply(req, 200, "accounts/reset_sent", "Vérifiez votre messagerie", NULL,
		   arena_json(req->arena, json_pack("{s:s}", "email", email)));
}

/* Renders the new-password form for token, or the invalid-link page. */
static void reset_page(struct request *req, struct form *f, const char *token, bool valid)
{
	json_t *data = arena_json(
		req->arena, json_pack("{s:s, s:b}", "token", token ? token : "", "valid", valid));
	if (f)
		form_reply_invalid(f, "accounts/reset_form", "Nouveau mot de passe", NULL, data);
	else
		page_reply(req, valid ? 200 : 404, "accounts/reset_form", "Nouveau mot de passe",
			   NULL, data);
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

int account_set_password_or_reply(struct request *req, const struct user *u, const char *hash,
				  const char *keep_session)
{
	int64_t now = doc_now_ms();
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(u->id));
	/* The new date voids every mailed link issued before it
	 * (user_credential_current), without having to list them. */
	bson_t *update = BCON_NEW("$set", "{", "password_hash", BCON_UTF8(hash),
				  "credentials_changed_at", BCON_DATE_TIME(now), "updated_at",
				  BCON_DATE_TIME(now), "}");
	/* Proving control of the mailbox also confirms a pending address. */
	if (strcmp(u->status, "pending") == 0)
		BCON_APPEND(update, "$set", "{", "status", BCON_UTF8("active"), "}");
	bson_error_t error;
	bool ok = user_update(req->db, filter, update, &error) == 0 &&
		  session_end_all(req, u->id, keep_session, &error) == 0 &&
		  api_token_revoke_all(req, u->id, &error) == 0;
	if (!ok) {
		db_fail(req, "changing a password", &error);
		return -1;
	}
	notify_user(req->app, req->db, u->email, "password_changed",
		    arena_json(req->arena, json_pack("{s:s}", "name", u->name ? u->name : "")));
	return 0;
}

void accounts_reset(struct request *req)
{
	if (email_token_guard_or_reply(req))
		return;
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
		form_error(&f, "password_confirm",
			   "Les deux mots de passe ne sont pas identiques.");
	bool typed_ok = form_valid(&f);
	char hash[crypto_pwhash_STRBYTES];
	int hashed = typed_ok ? password_work_hash_or_reply(&f, "password", pw, hash) : 1;
	if (hashed > 0) {
		reset_page(req, &f, token, true);
		if (typed_ok) /* the password gate stayed full */
			req->res.status = 503;
	}
	form_end(&f);
	if (hashed)
		return;
	/* Consumed only now, so a typo in the new password keeps the link. */
	u = email_token_check(req, token, "reset", true, &error);
	int rc = u ? account_set_password_or_reply(req, u, hash, NULL) : -1;
	sodium_memzero(hash, sizeof(hash));
	if (!u) {
		if (error.code)
			db_fail(req, "using a reset link", &error);
		else
			reset_page(req, NULL, token, false);
	}
	if (rc)
		return;
	audit_record(req, "password.reset", u->id, NULL, u->email);
	reply_redirect(req, "/connexion?info=mot-de-passe");
}
