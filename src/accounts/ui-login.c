/* Signing in and out (/connexion, /deconnexion): guesses limited per
 * account and per IP with a soft lock (login_guard.h) whose owner gets an
 * unlock link (ui-unlock.c), one message for every kind of failure, and
 * only local paths to go back to. */
#include <pthread.h>
#include <string.h>

#include "accounts/email_token.h"
#include "accounts/login_guard.h"
#include "accounts/notify.h"
#include "accounts/password.h"
#include "accounts/password_gate.h"
#include "accounts/rules.h"
#include "accounts/session.h"
#include "accounts/throttle.h"
#include "accounts/ui.h"
#include "accounts/user.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/labels.h"
#include "core/log.h"
#include "db/db.h"
#include "http/form.h"
#include "http/reply.h"
#include "web/csrf.h"
#include "web/db_reply.h"
#include "web/form_reply.h"
#include "web/page.h"

static const char BAD_CREDENTIALS[] = "Adresse électronique ou mot de passe incorrect.";

/* Notices shown after a redirect, by their ?info= code. */
static const char *const NOTICES[][2] = {
	{"confirme", "Votre adresse est confirmée\u202f: vous pouvez vous connecter."},
	{"mot-de-passe", "Votre mot de passe a été changé\u202f: connectez-vous avec le nouveau. "
			 "Vos sessions ont été fermées, vos jetons d’accès révoqués et vos "
			 "autres liens de réinitialisation annulés."},
	{"deconnecte", "Vous êtes déconnecté."},
	{"supprime", "Votre compte a été supprimé."},
	{"deverrouille", "Les échecs de connexion de votre compte sont effacés\u202f: "
			 "vous pouvez vous connecter."},
};

void accounts_login_form(struct request *req)
{
	const char *notice = label_find(NOTICES, LABELS_COUNT(NOTICES), request_param(req, "info"));
	json_t *data = arena_json(
		req->arena, json_pack("{s:{s:s}}", "values", "retour",
				      account_login_return_path(request_param(req, "retour"))));
	if (notice)
		json_object_set_new(data, "notice", json_string(notice));
	page_reply(req, 200, "accounts/login", "Connexion", NULL, data);
}

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
	password_hash("no account has this password", dummy_hash);
}

/* Verifies pw against u, or against a fixed hash when there is no such
 * account, so both cases take the same time. */
static bool credentials_ok(const struct user *u, const char *pw)
{
	if (!u) {
		pthread_once(&dummy_once, make_dummy_hash);
		password_verify(dummy_hash, pw);
		return false;
	}
	return password_verify(u->password_hash, pw);
}

/* Re-renders the login form with a message, keeping the typed address. */
static void login_refused(struct form *f, int status, const char *message)
{
	form_error(f, "password", message);
	form_reply_invalid(f, "accounts/login", "Connexion", NULL,
			   arena_json(f->req->arena, json_object()));
	f->req->res.status = status;
}

/* Mails u a one-time link that lifts the soft lock on its account, once
 * per lock. Failures are logged: the refusal does not depend on it. */
static void mail_unlock(struct request *req, const struct user *u)
{
	bson_error_t error;
	int first = login_guard_mail_claim(req, u->email, &error);
	const char *token = first == 1 ? email_token_create(req, u->id, "unlock",
							    EMAIL_TOKEN_UNLOCK_TTL_S, &error)
				       : NULL;
	if (first < 0 || (first == 1 && !token)) {
		log_error(req->request_id, "unlock mail for %s: %s", u->id, error.message);
		return;
	}
	if (!token)
		return;
	json_t *mail = arena_json(
		req->arena,
		json_pack("{s:s, s:s, s:s}", "name", u->name ? u->name : "", "url",
			  notify_site_url(req->app, req->arena,
					  arena_printf(req->arena,
						       "/connexion/deverrouiller?jeton=%s", token)),
			  "url_reset",
			  notify_site_url(req->app, req->arena, "/mot-de-passe/oubli")));
	notify_user(req->app, req->db, u->email, "unlock", mail);
	audit_record(req, "login.locked", u->id, NULL, u->email);
}

/* Checks pw against email's account, through the password gate. Returns
 * 1 when right (u set), 0 when wrong, -1 after replying. */
static int check_password_or_reply(struct form *f, const char *email, const char *pw,
				   struct user **u)
{
	struct request *req = f->req;
	bson_error_t error;
	*u = user_find_email(req->db, email, &error);
	if (!*u && error.code) {
		db_fail(req, "looking up an account", &error);
		return -1;
	}
	if (!password_work_begin(req)) {
		login_refused(f, 503, password_work_busy(req));
		return -1;
	}
	bool right = credentials_ok(*u, pw);
	password_work_end(req);
	return right;
}

void accounts_login(struct request *req)
{
	struct form f;
	form_begin(&f, req);
	const char *email = user_email_normalize(
		req->arena, form_text(&f, "email", ACCOUNT_EMAIL_MAX_CHARS, true));
	const char *pw = form_secret(&f, "password", true);
	/* The page's own hidden field, not typed: a bad one falls back to
	 * "/" rather than refusing the login over it. */
	const char *back = account_login_return_path(request_param(req, "retour"));
	json_object_set_new(f.values, "retour", json_string(back));
	if (!form_valid(&f)) {
		login_refused(&f, 422, BAD_CREDENTIALS);
		form_end(&f);
		return;
	}
	struct login_guard_attempt attempt;
	bson_error_t error;
	int may = login_guard_begin(req, email, &attempt, &error);
	if (may < 0) {
		db_fail(req, "claiming a login attempt", &error);
		form_end(&f);
		return;
	}
	if (may == 0) {
		audit_record(req, "login.throttled", email, NULL, email);
		login_refused(&f, 429,
			      throttle_refusal(req, "Trop de tentatives de connexion.",
					       attempt.retry_after_s));
		form_end(&f);
		return;
	}
	struct user *u;
	int right = check_password_or_reply(&f, email, pw, &u);
	if (right < 0) {
		login_guard_cancel(req, &attempt, &error);
		form_end(&f);
		return;
	}
	if (!right) {
		if (login_guard_failed(&attempt) && u)
			mail_unlock(req, u);
		audit_record(req, "login.failed", email, NULL, email);
		login_refused(&f, 422, BAD_CREDENTIALS);
		form_end(&f);
		return;
	}
	if (login_guard_succeeded(req, &attempt, &error)) {
		db_fail(req, "clearing login failures", &error);
		form_end(&f);
		return;
	}
	if (strcmp(u->status, "pending") == 0) {
		int sent = account_send_confirmation_or_reply(req, u->id, u->email,
							      u->name ? u->name : "");
		if (sent >= 0)
			login_refused(
				&f, 422,
				sent ? "Votre adresse n’est pas encore confirmée. "
				       "Nous venons de vous renvoyer le lien de confirmation."
				     : "Votre adresse n’est pas encore confirmée\u202f: le lien de "
				       "confirmation vous a déjà été envoyé, consultez votre messagerie.");
		form_end(&f);
		return;
	}
	if (!user_is_active(u)) {
		audit_record(req, "login.deactivated", u->id, NULL, email);
		login_refused(&f, 422,
			      "Ce compte a été désactivé. "
			      "Contactez l’équipe du Lab pour le réactiver.");
		form_end(&f);
		return;
	}
	form_end(&f);
	if (session_start(req, u->id, &error)) {
		db_fail(req, "starting a session", &error);
		return;
	}
	req->user = u;
	csrf_rotate(req);
	audit_record(req, "login.success", u->id, NULL, NULL);
	reply_redirect(req, back);
}

void accounts_logout(struct request *req)
{
	bson_error_t error;
	if (req->user)
		audit_record(req, "logout", req->user->id, NULL, NULL);
	if (session_end_current(req, &error)) {
		db_fail(req, "ending a session", &error);
		return;
	}
	csrf_rotate(req);
	reply_redirect(req, "/connexion?info=deconnecte");
}
