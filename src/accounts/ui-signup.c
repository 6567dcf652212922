/* Sign-up (/inscription) and address confirmation. The answer never says
 * whether an address already has an account: its owner gets a mail. */
#include <mongoc/mongoc.h>
#include <string.h>

#include "accounts/accounts.h"
#include "accounts/email_token.h"
#include "accounts/notify.h"
#include "accounts/organisation.h"
#include "accounts/organisation_picker.h"
#include "accounts/password.h"
#include "accounts/rules.h"
#include "accounts/user.h"
#include "app.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/form.h"
#include "http/reply.h"
#include "view/page.h"

const struct organisation_picker ACCOUNT_ORGANISATION_PICKER = {
	.field = "organisation",
	.label = "Organisme",
	.hint = "Tapez une partie de son nom, puis choisissez-le parmi les suggestions.",
};

json_t *account_organisation_field(struct request *req, const json_t *values,
				   const json_t *errors)
{
	bson_error_t error;
	json_t *active = organisations_active(req, &error);
	if (!active) {
		db_fail(req, "listing organisations", &error);
		return NULL;
	}
	json_t *field = organisation_picker_data(&ACCOUNT_ORGANISATION_PICKER, values, errors,
						 active);
	json_decref(active);
	return field;
}

void accounts_signup_form(struct request *req)
{
	json_t *field = account_organisation_field(req, NULL, NULL);
	if (!field)
		return;
	json_t *data = json_pack("{s:o}", "organisation_field", field);
	page_reply(req, 200, "accounts/signup", "Créer un compte", NULL, data);
	json_decref(data);
}

/* Sends the confirmation link for user u. Returns 0 or -1 (replied). */
int send_confirmation(struct request *req, const char *user_id, const char *email,
		      const char *name)
{
	bson_error_t error;
	const char *token = email_token_create(req, user_id, "confirm", CONFIRM_TTL_S,
					       &error);
	if (!token) {
		db_fail(req, "creating a confirmation token", &error);
		return -1;
	}
	json_t *mail = json_pack("{s:s, s:s}", "name", name, "url",
		site_url(req, arena_printf(req->arena, "/inscription/confirmer?jeton=%s",
					   token)));
	notify_user(req, email, "confirm", mail);
	json_decref(mail);
	return 0;
}

/* Creates the pending account with the password's hash. Returns 1 when
 * created, 0 when the address turned out to be taken meanwhile (unique
 * index), -1 on error. */
static int create_account(struct request *req, const struct signup *s,
			  const char *hash, const char **id_out)
{
	const char *id = doc_new_id(req->arena);
	int64_t now = doc_now_ms();
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(id), "email", BCON_UTF8(s->email),
			       "name", BCON_UTF8(s->name), "organisation",
			       BCON_UTF8(s->organisation), "job", BCON_UTF8(s->job),
			       "password_hash", BCON_UTF8(hash), "status",
			       BCON_UTF8("pending"), "roles", "[", "{", "role",
			       BCON_UTF8("agent"), "}", "]", "created_at",
			       BCON_DATE_TIME(now), "updated_at", BCON_DATE_TIME(now));
	bson_error_t error;
	bool ok = mongoc_collection_insert_one(db_collection(req, "users"), doc, NULL,
					       NULL, &error);
	bson_destroy(doc);
	if (!ok && error.code == 11000)
		return 0;
	if (!ok) {
		db_fail(req, "creating an account", &error);
		return -1;
	}
	*id_out = id;
	return 1;
}

/* Tells the owner of an existing address that someone tried to sign up. */
static void mail_account_exists(struct request *req, const struct user *u)
{
	json_t *mail = json_pack("{s:s, s:s, s:s}", "name", u->name ? u->name : "",
				 "url_login", site_url(req, "/connexion"),
				 "url_reset", site_url(req, "/mot-de-passe/oubli"));
	notify_user(req, u->email, "account_exists", mail);
	json_decref(mail);
}

void accounts_signup(struct request *req)
{
	bson_error_t error;
	json_t *active = organisations_active(req, &error);
	if (!active) {
		db_fail(req, "listing organisations", &error);
		return;
	}
	struct form f;
	form_begin(&f, req);
	struct signup s = {
		.name = form_text(&f, "name", NAME_MAX_CHARS, true),
		.email = email_normalize(req->arena,
					 form_text(&f, "email", EMAIL_MAX_CHARS, true)),
		.organisation = organisation_picker_read_one(&f, &ACCOUNT_ORGANISATION_PICKER,
							     active, true),
		.job = form_text(&f, "job", JOB_MAX_CHARS, true),
		.password = form_secret(&f, "password", true),
	};
	struct field_error errors[RULES_MAX_ERRORS];
	size_t n = signup_check(&s, organisation_in(active, s.organisation) != NULL,
				req->app->common, errors);
	json_decref(active);
	for (size_t i = 0; i < n; i++)
		form_error(&f, errors[i].field, errors[i].message);
	if (!form_valid(&f)) {
		json_t *field = account_organisation_field(req, f.values, f.errors);
		if (field) {
			json_t *data = json_pack("{s:o}", "organisation_field", field);
			form_reply_invalid(&f, "accounts/signup", "Créer un compte", NULL, data);
			json_decref(data);
		}
		form_end(&f);
		return;
	}
	form_end(&f);

	/* Hashed even when the address is taken: otherwise the answer comes
	 * measurably faster for existing accounts and gives them away. */
	char hash[crypto_pwhash_STRBYTES];
	if (password_hash(s.password, hash) != 0) {
		reply_error(req, 500, "internal", "Le mot de passe n'a pas pu être chiffré.",
			    NULL);
		return;
	}
	struct user *existing = user_find_email(req, s.email, &error);
	const char *id = NULL;
	int created = existing ? 0 : error.code ? -1 : create_account(req, &s, hash, &id);
	sodium_memzero(hash, sizeof(hash));
	if (!existing && error.code) {
		db_fail(req, "looking up an account", &error);
		return;
	}
	if (created < 0)
		return;
	if (created == 1) {
		audit_record(req, "account.signup", id, s.organisation, s.email);
		if (send_confirmation(req, id, s.email, s.name))
			return;
	} else if (existing || (existing = user_find_email(req, s.email, &error))) {
		mail_account_exists(req, existing);
	}
	if (req->is_api) {
		json_t *body = json_pack("{s:s}", "status", "check_your_mail");
		reply_json(req, 202, body);
		json_decref(body);
		return;
	}
	json_t *data = json_pack("{s:s}", "email", s.email);
	page_reply(req, 200, "accounts/signup_done", "Vérifiez votre messagerie", NULL, data);
	json_decref(data);
}

/* Shows the confirmation button: following a link must not change state,
 * so the link leads here and the button POSTs. */
void accounts_confirm_form(struct request *req)
{
	const char *token = request_param(req, "jeton");
	bson_error_t error;
	struct user *u = email_token_check(req, token, "confirm", false, &error);
	if (!u && error.code) {
		db_fail(req, "checking a confirmation link", &error);
		return;
	}
	json_t *data = json_pack("{s:s, s:b}", "token", token ? token : "", "valid", u != NULL);
	page_reply(req, u ? 200 : 404, "accounts/confirm", "Confirmer votre adresse", NULL,
		   data);
	json_decref(data);
}

void accounts_confirm(struct request *req)
{
	bson_error_t error;
	struct user *u = email_token_check(req, request_param(req, "jeton"), "confirm",
					   true, &error);
	if (!u) {
		if (error.code)
			db_fail(req, "using a confirmation link", &error);
		else
			accounts_confirm_form(req);
		return;
	}
	if (strcmp(u->status, "pending") == 0) {
		bson_t *filter = BCON_NEW("_id", BCON_UTF8(u->id), "status", BCON_UTF8("pending"));
		bson_t *update = BCON_NEW("$set", "{", "status", BCON_UTF8("active"),
					  "confirmed_at", BCON_DATE_TIME(doc_now_ms()), "}");
		bool ok = mongoc_collection_update_one(db_collection(req, "users"), filter,
						       update, NULL, NULL, &error);
		bson_destroy(update);
		bson_destroy(filter);
		if (!ok) {
			db_fail(req, "confirming an account", &error);
			return;
		}
		audit_record(req, "account.confirm", u->id, NULL, u->email);
	}
	reply_redirect(req, "/connexion?info=confirme");
}
