/* Sign-up (/inscription) and address confirmation, with the pages every
 * mailed link leads to. The answer never says whether an address already
 * has an account: its owner gets a mail, once an hour at most. */
#include <mongoc/mongoc.h>
#include <string.h>

#include "accounts/email_token.h"
#include "accounts/members.h"
#include "accounts/notify.h"
#include "accounts/organisation.h"
#include "accounts/organisation_picker.h"
#include "accounts/password.h"
#include "accounts/password_gate.h"
#include "accounts/rules.h"
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

/* Sign-ups per IP (an office shares one) and per address in a quarter of
 * an hour; mails per address an hour. Each sign-up costs an argon2 hash
 * and may send a mail: without limits, a burst starves the workers and
 * floods a mailbox. */
enum {
	SIGNUP_WINDOW_S = 900,
	SIGNUPS_PER_IP = 20,
	SIGNUPS_PER_ADDRESS = 5,
	MAIL_WINDOW_S = 3600,
	CONFIRM_MAILS_PER_HOUR = 3,
};

const struct organisation_picker ACCOUNT_ORGANISATION_PICKER = {
	.field = "organisation",
	.label = "Organisme",
	.hint = "Tapez une partie de son nom, puis choisissez-le parmi les suggestions.",
};

json_t *account_organisation_field_or_reply(struct request *req, const json_t *values,
					    const json_t *errors)
{
	bson_error_t error;
	json_t *active = arena_json(req->arena, organisations_active(req->db, &error));
	if (!active) {
		db_fail(req, "listing organisations", &error);
		return NULL;
	}
	return arena_json(req->arena, organisation_picker_data(&ACCOUNT_ORGANISATION_PICKER, values,
							       errors, active));
}

void accounts_signup_form(struct request *req)
{
	json_t *field = account_organisation_field_or_reply(req, NULL, NULL);
	if (!field)
		return;
	/* An invitation mail (the Défi's) links here with the invited address. */
	const char *email = request_param(req, "email");
	json_t *data = arena_json(req->arena,
				  json_pack("{s:O, s:{s:s}}", "organisation_field", field, "values",
					    "email", email ? email : ""));
	page_reply(req, 200, "accounts/signup", "Créer un compte", NULL, data);
}

int account_send_confirmation_or_reply(struct request *req, const char *user_id, const char *email,
				       const char *name)
{
	bson_error_t error;
	struct throttle_claim c;
	int rc = throttle_claim(req, throttle_key_hashed(req->arena, "confirm-mail", email),
				CONFIRM_MAILS_PER_HOUR, MAIL_WINDOW_S, &c, &error);
	if (rc <= 0) {
		if (rc < 0)
			db_fail(req, "counting confirmation mails", &error);
		return rc;
	}
	const char *token = email_token_create(req, user_id, "confirm", EMAIL_TOKEN_CONFIRM_TTL_S,
					       &error);
	if (!token) {
		db_fail(req, "creating a confirmation token", &error);
		return -1;
	}
	json_t *mail = arena_json(
		req->arena,
		json_pack("{s:s, s:s}", "name", name, "url",
			  notify_site_url(req->app, req->arena,
					  arena_printf(req->arena,
						       "/inscription/confirmer?jeton=%s", token))));
	notify_user(req->app, req->db, email, "confirm", mail);
	return 1;
}

/* Creates the pending account with the password's hash. Returns 1 when
 * created, 0 when the address is taken (its claim, or the unique index),
 * -1 after replying. */
static int create_account_or_reply(struct request *req, const struct account_signup *s,
				   const char *hash, const char **id_out)
{
	const char *id = doc_new_id(req->arena);
	bson_error_t error;
	int claimed = user_email_claim(req->db, s->email, id, &error);
	if (claimed <= 0) {
		if (claimed < 0)
			db_fail(req, "claiming an address", &error);
		return claimed;
	}
	int64_t now = doc_now_ms();
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(id), "email", BCON_UTF8(s->email), "name",
			       BCON_UTF8(s->name), "organisation", BCON_UTF8(s->organisation),
			       "job", BCON_UTF8(s->job), "password_hash", BCON_UTF8(hash), "status",
			       BCON_UTF8("pending"), "roles", "[", "{", "role", BCON_UTF8("agent"),
			       "}", "]", "created_at", BCON_DATE_TIME(now), "updated_at",
			       BCON_DATE_TIME(now));
	bool ok = mongoc_collection_insert_one(db_collection(req->db, "users"), doc, NULL, NULL,
					       &error);
	bson_destroy(doc);
	if (!ok && error.code == 11000)
		return 0;
	ok = ok && members_add(req->db, s->organisation, id, &error) == 0;
	if (!ok) {
		db_fail(req, "creating an account", &error);
		return -1;
	}
	*id_out = id;
	return 1;
}

/* Tells the owner of an existing address that someone tried to sign up,
 * once an hour at most. Returns 0, or -1 after replying. */
static int mail_account_exists_or_reply(struct request *req, const struct user *u)
{
	bson_error_t error;
	struct throttle_claim c;
	int rc = throttle_claim(req, throttle_key_hashed(req->arena, "exists-mail", u->email), 1,
				MAIL_WINDOW_S, &c, &error);
	if (rc <= 0) {
		if (rc < 0)
			db_fail(req, "claiming an account-exists mail", &error);
		return rc;
	}
	json_t *mail = arena_json(
		req->arena,
		json_pack("{s:s, s:s, s:s}", "name", u->name ? u->name : "", "url_login",
			  notify_site_url(req->app, req->arena, "/connexion"), "url_reset",
			  notify_site_url(req->app, req->arena, "/mot-de-passe/oubli")));
	notify_user(req->app, req->db, u->email, "account_exists", mail);
	return 0;
}

/* Takes this sign-up's place in the limits per IP and per address.
 * Returns as throttle_form_claim_or_reply. */
static int signup_claim(struct form *f, const char *email)
{
	struct request *req = f->req;
	const struct throttle_rule rules[] = {
		{arena_printf(req->arena, "signup:ip:%s", req->remote_addr), SIGNUPS_PER_IP,
		 SIGNUP_WINDOW_S, "Trop d’inscriptions depuis votre adresse réseau."},
		{throttle_key_hashed(req->arena, "signup:address", email), SIGNUPS_PER_ADDRESS,
		 SIGNUP_WINDOW_S, "Trop d’inscriptions pour cette adresse électronique."},
	};
	return throttle_form_claim_or_reply(f, "email", rules, sizeof(rules) / sizeof(*rules));
}

/* Renders the sign-up form again with f's errors and what was typed,
 * with status (422, 429 or 503). */
static void signup_refused(struct form *f, int status)
{
	json_t *field = account_organisation_field_or_reply(f->req, f->values, f->errors);
	if (!field)
		return;
	json_t *data = arena_json(f->req->arena, json_pack("{s:O}", "organisation_field", field));
	form_reply_invalid(f, "accounts/signup", "Créer un compte", NULL, data);
	f->req->res.status = status;
}

void accounts_signup(struct request *req)
{
	bson_error_t error;
	json_t *active = arena_json(req->arena, organisations_active(req->db, &error));
	if (!active) {
		db_fail(req, "listing organisations", &error);
		return;
	}
	struct form f;
	form_begin(&f, req);
	struct account_signup s = {
		.name = form_text(&f, "name", ACCOUNT_NAME_MAX_CHARS, true),
		.email = user_email_normalize(
			req->arena, form_text(&f, "email", ACCOUNT_EMAIL_MAX_CHARS, true)),
		.organisation = organisation_picker_read_one(&f, &ACCOUNT_ORGANISATION_PICKER,
							     active, true),
		.job = form_text(&f, "job", ACCOUNT_JOB_MAX_CHARS, true),
		.password = form_secret(&f, "password", true),
	};
	struct field_error errors[ACCOUNT_RULES_MAX_ERRORS];
	size_t n = account_signup_check(&s, organisation_in(active, s.organisation) != NULL,
					req->app->common, errors);
	for (size_t i = 0; i < n; i++)
		form_error(&f, errors[i].field, errors[i].message);
	int claimed = form_valid(&f) ? signup_claim(&f, s.email) : 1;
	if (claimed < 0 || !form_valid(&f)) {
		if (claimed >= 0)
			signup_refused(&f, claimed ? 422 : 429);
		form_end(&f);
		return;
	}
	/* Hashed even when the address is taken: otherwise the answer comes
	 * measurably faster for existing accounts and gives them away. */
	char hash[crypto_pwhash_STRBYTES];
	int hashed = password_work_hash_or_reply(&f, "password", s.password, hash);
	if (hashed > 0)
		signup_refused(&f, 503);
	form_end(&f);
	if (hashed)
		return;
	struct user *existing = user_find_email(req->db, s.email, &error);
	const char *id = NULL;
	int created = existing ? 0 : error.code ? -1 : create_account_or_reply(req, &s, hash, &id);
	sodium_memzero(hash, sizeof(hash));
	if (!existing && error.code) {
		db_fail(req, "looking up an account", &error);
		return;
	}
	if (created < 0)
		return;
	if (created == 1) {
		audit_record(req, "account.signup", id, s.organisation, s.email);
		if (account_send_confirmation_or_reply(req, id, s.email, s.name) < 0)
			return;
	} else if (existing || (existing = user_find_email(req->db, s.email, &error))) {
		if (mail_account_exists_or_reply(req, existing))
			return;
	}
	if (req->is_api) {
		reply_json(req, 202,
			   arena_json(req->arena, json_pack("{s:s}", "status", "check_your_mail")));
		return;
	}
	page_reply(req, 200, "accounts/signup_done", "Vérifiez votre messagerie", NULL,
		   arena_json(req->arena, json_pack("{s:s}", "email", s.email)));
}

void accounts_link_page(struct request *req, const char *kind, const char *template,
			const char *title)
{
	const char *token = request_param(req, "jeton");
	bson_error_t error;
	struct user *u = email_token_check(req, token, kind, false, &error);
	if (!u && error.code) {
		db_fail(req, "checking a mailed link", &error);
		return;
	}
	page_reply(req, u ? 200 : 404, template, title, NULL,
		   arena_json(req->arena, json_pack("{s:s, s:b}", "token", token ? token : "",
						    "valid", u != NULL)));
}

static const char CONFIRM_TITLE[] = "Confirmer votre adresse";

void accounts_confirm_form(struct request *req)
{
	accounts_link_page(req, "confirm", "accounts/confirm", CONFIRM_TITLE);
}

struct user *accounts_link_use_or_reply(struct request *req, const char *kind, const char *template,
					const char *title)
{
	if (email_token_guard_or_reply(req))
		return NULL;
	bson_error_t error;
	struct user *u = email_token_check(req, request_param(req, "jeton"), kind, true, &error);
	if (!u && error.code)
		db_fail(req, "using a mailed link", &error);
	else if (!u)
		accounts_link_page(req, kind, template, title);
	return u;
}

void accounts_confirm(struct request *req)
{
	struct user *u = accounts_link_use_or_reply(req, "confirm", "accounts/confirm",
						    CONFIRM_TITLE);
	if (!u)
		return;
	bson_error_t error;
	if (strcmp(u->status, "pending") == 0) {
		bson_t *filter = BCON_NEW("_id", BCON_UTF8(u->id), "status", BCON_UTF8("pending"));
		bson_t *update = BCON_NEW("$set", "{", "status", BCON_UTF8("active"),
					  "confirmed_at", BCON_DATE_TIME(doc_now_ms()), "}");
		if (user_update(req->db, filter, update, &error)) {
			db_fail(req, "confirming an account", &error);
			return;
		}
		audit_record(req, "account.confirm", u->id, NULL, u->email);
	}
	reply_redirect(req, "/connexion?info=confirme");
}
