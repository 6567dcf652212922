/* Signing in and out (/connexion, /deconnexion), with throttling per
 * account and per address, and one message for every kind of failure. */
#include <pthread.h>
#include <string.h>

#include "accounts/accounts.h"
#include "accounts/auth.h"
#include "accounts/password.h"
#include "accounts/rules.h"
#include "accounts/session.h"
#include "accounts/throttle.h"
#include "accounts/user.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/labels.h"
#include "db/db.h"
#include "http/form.h"
#include "http/reply.h"
#include "view/page.h"

/* Free failures before delays start: an office shares one address. */
enum { FREE_PER_ACCOUNT = 5, FREE_PER_IP = 20 };

static const char BAD_CREDENTIALS[] =
	"Adresse électronique ou mot de passe incorrect.";

/* Notices shown after a redirect, by their ?info= code. */
static const char *const NOTICES[][2] = {
	{"confirme", "Votre adresse est confirmée : vous pouvez vous connecter."},
	{"mot-de-passe", "Votre mot de passe a été changé : connectez-vous avec le nouveau."},
	{"deconnecte", "Vous êtes déconnecté."},
	{"supprime", "Votre compte a été supprimé."},
};

/* Returns a local path to go back to after login, or "/". */
static const char *safe_return(const char *path)
{
	return path && path[0] == '/' && path[1] != '/' && path[1] != '\\' ? path : "/";
}

void accounts_login_form(struct request *req)
{
	const char *notice = label_find(NOTICES, LABELS_COUNT(NOTICES), request_param(req, "info"));
	json_t *data = json_pack("{s:{s:s}}", "values", "retour",
				 safe_return(request_param(req, "retour")));
	if (notice)
		json_object_set_new(data, "notice", json_string(notice));
	page_reply(req, 200, "accounts/login", "Connexion", NULL, data);
	json_decref(data);
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
	json_t *data = json_object();
	form_reply_invalid(f, "accounts/login", "Connexion", NULL, data);
	f->req->res.status = status;
	json_decref(data);
}

void accounts_login(struct request *req)
{
	struct form f;
	form_begin(&f, req);
	const char *email = email_normalize(req->arena,
					    form_text(&f, "email", EMAIL_MAX_CHARS, true));
	const char *pw = form_secret(&f, "password", true);
	/* The page's own hidden field, not typed: safe_return falls back to
	 * "/" rather than refusing the login over it. */
	const char *back = safe_return(request_param(req, "retour"));
	json_object_set_new(f.values, "retour", json_string(back));
	if (!form_valid(&f)) {
		login_refused(&f, 422, BAD_CREDENTIALS);
		form_end(&f);
		return;
	}
	const char *account_key = arena_printf(req->arena, "login:account:%s",
					       token_hash(req->arena, email));
	const char *ip_key = arena_printf(req->arena, "login:ip:%s", req->remote_addr);
	bson_error_t error;
	long wait_account = throttle_wait(req, account_key, FREE_PER_ACCOUNT, &error);
	long wait_ip = wait_account < 0 ? -1 : throttle_wait(req, ip_key, FREE_PER_IP, &error);
	if (wait_account < 0 || wait_ip < 0) {
		db_fail(req, "reading login throttles", &error);
		form_end(&f);
		return;
	}
	long wait = wait_account > wait_ip ? wait_account : wait_ip;
	if (wait > 0) {
		audit_record(req, "login.throttled", email, NULL, email);
		reply_header(req, "Retry-After", arena_printf(req->arena, "%ld", wait));
		login_refused(&f, 429, arena_printf(req->arena,
			"Trop de tentatives de connexion. Réessayez dans %ld seconde%s.",
			wait, wait > 1 ? "s" : ""));
		form_end(&f);
		return;
	}
	struct user *u = user_find_email(req, email, &error);
	if (!u && error.code) {
		db_fail(req, "looking up an account", &error);
		form_end(&f);
		return;
	}
	if (!credentials_ok(u, pw)) {
		if (throttle_fail(req, account_key, &error) || throttle_fail(req, ip_key, &error)) {
			db_fail(req, "counting a failed login", &error);
			form_end(&f);
			return;
		}
		audit_record(req, "login.failed", email, NULL, email);
		login_refused(&f, 422, BAD_CREDENTIALS);
		form_end(&f);
		return;
	}
	if (strcmp(u->status, "pending") == 0) {
		if (send_confirmation(req, u->id, u->email, u->name ? u->name : "") == 0)
			login_refused(&f, 422, "Votre adresse n'est pas encore confirmée. "
				      "Nous venons de vous renvoyer le lien de confirmation.");
		form_end(&f);
		return;
	}
	if (!user_is_active(u)) {
		audit_record(req, "login.deactivated", u->id, NULL, email);
		login_refused(&f, 422, "Ce compte a été désactivé. "
			      "Contactez l'équipe du Lab pour le réactiver.");
		form_end(&f);
		return;
	}
	form_end(&f);
	/* The address's counter is left alone: one valid account must not
	 * reset the guessing budget of everyone behind that address. */
	throttle_clear(req, account_key, &error);
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
