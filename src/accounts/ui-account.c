/* The account page (/compte): the profile and the password. The page also
 * lists sessions and tokens (ui-account-sessions.c) and offers the export
 * and deletion (ui-account-data.c); every form on it posts elsewhere and
 * comes back here, as a redirect with ?info= or as a 422. */
#include <string.h>

#include "accounts/login_guard.h"
#include "accounts/members.h"
#include "accounts/organisation.h"
#include "accounts/organisation_picker.h"
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
#include "core/labels.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/form.h"
#include "http/reply.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/form_reply.h"
#include "web/page.h"

static const char TITLE[] = "Mon compte";

/* Notices shown after a redirect, by their ?info= code. */
static const char *const NOTICES[][2] = {
	{"profil", "Vos informations sont enregistrées."},
	{"mot-de-passe", "Votre mot de passe est changé. Vos autres sessions ont été "
			 "fermées, vos jetons d’accès révoqués et les liens de "
			 "réinitialisation encore valides annulés."},
	{"session", "La session est terminée."},
	{"jeton", "Le jeton est révoqué\u202f: il ne donne plus accès à Cousilab."},
};

int account_guard_or_reply(struct request *req)
{
	/* Personal data and one-time secrets: keep them out of every cache. */
	reply_header(req, "Cache-Control", "no-store");
	if (!req->via_token)
		return 0;
	reply_error(req, 403, "session_required",
		    "Ces pages se consultent avec une session du navigateur, "
		    "pas avec un jeton d’accès.",
		    NULL);
	return -1;
}

/* Returns the profile fields of u as the form shows them. New reference. */
static json_t *profile_values(const struct user *u)
{
	return json_pack("{s:s, s:s, s:s}", "name", u->name ? u->name : "", "job",
			 u->job ? u->job : "", "organisation",
			 u->organisation ? u->organisation : "");
}

void account_page(struct request *req, struct form *f, int status)
{
	json_t *values = arena_json(req->arena, profile_values(req->user));
	if (f)
		json_object_update(values, f->values);
	bson_error_t error;
	json_t *field = account_organisation_field_or_reply(req, values, f ? f->errors : NULL);
	json_t *sessions = field ? account_sessions(req, &error) : NULL;
	json_t *tokens = sessions ? account_tokens(req, &error) : NULL;
	if (!tokens) {
		if (field)
			db_fail(req, "listing sessions and tokens", &error);
		return;
	}
	json_t *data = arena_json(
		req->arena, json_pack("{s:s, s:O, s:O, s:b, s:O}", "email", req->user->email,
				      "organisation_field", field, "sessions", sessions,
				      "has_tokens", json_array_size(tokens) > 0, "tokens", tokens));
	const char *notice = label_find(NOTICES, LABELS_COUNT(NOTICES), request_param(req, "info"));
	if (notice && !f)
		json_object_set_new(data, "notice", json_string(notice));
	if (f) {
		json_object_update(f->values, values);
		form_reply_invalid(f, "accounts/account", TITLE, NULL, data);
		/* form_reply_invalid says 422; a 503 on the way is kept. */
		if (req->res.status == 422)
			req->res.status = status;
	} else {
		json_object_set(data, "values", values);
		page_reply(req, status, "accounts/account", TITLE, NULL, data);
	}
}

void accounts_account_page(struct request *req)
{
	if (account_guard_or_reply(req))
		return;
	account_page(req, NULL, 200);
}

int account_check_password_or_reply(struct form *f, const char *field, const char *pw, int *status)
{
	struct request *req = f->req;
	const struct user *u = req->user;
	/* The login's limits: guesses here and there add up. */
	struct login_guard_attempt attempt;
	bson_error_t error;
	int may = login_guard_begin(req, u->email, &attempt, &error);
	if (may < 0) {
		db_fail(req, "claiming a password check", &error);
		return -1;
	}
	if (may == 0) {
		form_error(f, field,
			   throttle_refusal(req, "Trop d’essais de mot de passe.",
					    attempt.retry_after_s));
		*status = 429;
		return 0;
	}
	if (!password_work_begin(req)) {
		login_guard_cancel(req, &attempt, &error);
		form_error(f, field, password_work_busy(req));
		*status = 503;
		return 0;
	}
	bool right = password_verify(u->password_hash, pw);
	password_work_end(req);
	if (right) {
		if (login_guard_succeeded(req, &attempt, &error)) {
			db_fail(req, "clearing password failures", &error);
			return -1;
		}
		return 1;
	}
	audit_record(req, "password.check_failed", u->id, field, NULL);
	form_error(f, field, "Le mot de passe saisi n’est pas votre mot de passe actuel.");
	*status = 422;
	return 0;
}

void accounts_account_update(struct request *req)
{
	if (account_guard_or_reply(req))
		return;
	struct form f;
	form_begin(&f, req);
	bson_error_t error;
	json_t *active = arena_json(req->arena, organisations_active(req->db, &error));
	if (!active) {
		db_fail(req, "listing organisations", &error);
		form_end(&f);
		return;
	}
	const char *name = form_text(&f, "name", ACCOUNT_NAME_MAX_CHARS, true);
	const char *job = form_text(&f, "job", ACCOUNT_JOB_MAX_CHARS, true);
	const char *organisation = organisation_picker_read_one(&f, &ACCOUNT_ORGANISATION_PICKER,
								active, true);
	/* The sign-up rules, minus the address and password this form lacks. */
	struct account_signup s = {name, "", organisation, job, NULL};
	struct field_error errors[ACCOUNT_RULES_MAX_ERRORS];
	size_t n = account_signup_check(&s, organisation_in(active, organisation) != NULL, NULL,
					errors);
	for (size_t i = 0; i < n; i++)
		if (strcmp(errors[i].field, "password") != 0)
			form_error(&f, errors[i].field, errors[i].message);
	if (!form_valid(&f)) {
		account_page(req, &f, 422);
		form_end(&f);
		return;
	}
	form_end(&f);
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(req->user->id));
	bson_t *update = BCON_NEW("$set", "{", "name", BCON_UTF8(name), "job", BCON_UTF8(job),
				  "organisation", BCON_UTF8(organisation), "updated_at",
				  BCON_DATE_TIME(doc_now_ms()), "}");
	if (user_update(req->db, filter, update, &error) ||
	    members_move(req->db, req->user->organisation, organisation, req->user->id, &error)) {
		db_fail(req, "updating a profile", &error);
		return;
	}
	audit_record(req, "account.update", req->user->id, organisation, NULL);
	reply_redirect(req, "/compte?info=profil");
}

void accounts_account_password(struct request *req)
{
	if (account_guard_or_reply(req))
		return;
	struct form f;
	form_begin(&f, req);
	const char *current = form_secret(&f, "current_password", true);
	const char *pw = form_secret(&f, "password", true);
	const char *confirm = form_secret(&f, "password_confirm", true);
	int status = 422;
	int right = form_valid(&f) ? account_check_password_or_reply(&f, "current_password",
								     current, &status)
				   : 0;
	if (right < 0) {
		form_end(&f);
		return;
	}
	const char *problem = password_problem(pw, req->user->email, req->app->common);
	if (problem)
		form_error(&f, "password", problem);
	else if (strcmp(pw, confirm) != 0)
		form_error(&f, "password_confirm",
			   "Les deux mots de passe ne sont pas identiques.");
	bool typed_ok = form_valid(&f);
	char hash[crypto_pwhash_STRBYTES];
	int hashed = typed_ok ? password_work_hash_or_reply(&f, "password", pw, hash) : 1;
	if (hashed > 0) /* typed right: the password gate stayed full */
		account_page(req, &f, typed_ok ? 503 : status);
	form_end(&f);
	if (hashed)
		return;
	int rc = account_set_password_or_reply(req, req->user, hash, req->session_id);
	sodium_memzero(hash, sizeof(hash));
	if (rc)
		return;
	audit_record(req, "password.change", req->user->id, NULL, NULL);
	reply_redirect(req, "/compte?info=mot-de-passe");
}
