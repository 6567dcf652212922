/* The account pages (/compte) as a signed-in agent uses them through
 * nginx: profile, password, sessions, API tokens, export and deletion.
 * Each test makes its own account with the command line. */
#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static const char PASSWORD[] = "phrase de passe du test";
static const char NEW_PASSWORD[] = "une toute nouvelle phrase";

/* Returns the first match of the extended regex pattern in text (heap),
 * or NULL. */
static char *match(const char *text, const char *pattern)
{
	regex_t re;
	regmatch_t m[1];
	assert_int_equal(regcomp(&re, pattern, REG_EXTENDED), 0);
	char *found = regexec(&re, text, 1, m, 0) == 0
			      ? strndup(text + m[0].rm_so, (size_t)(m[0].rm_eo - m[0].rm_so))
			      : NULL;
	regfree(&re);
	return found;
}

/* Creates an account and returns a session signed in to it; *email gets
 * its address (heap). */
static struct sess *new_agent(const char *tag, char **email)
{
	*email = unique_email(tag);
	assert_int_equal(cli_user_add(*email, "Agent de test", NULL, PASSWORD), 0);
	struct sess *s = sess_new();
	assert_int_equal(sess_login(s, *email, PASSWORD), 303);
	return s;
}

static void assert_header(const struct http_reply *r, const char *name, const char *expected)
{
	char *v = http_header(r, name);
	assert_non_null(v);
	assert_string_equal(v, expected);
	free(v);
}

/* Asserts that field has an error in r's page containing text. */
static void assert_field_error(const struct http_reply *r, const char *field, const char *text)
{
	char *error = html_field_error(r->body, field);
	assert_non_null(error);
	assert_non_null(strstr(error, text));
	free(error);
}

/* Asserts that s is no longer signed in: /compte sends it to the login. */
static void assert_signed_out(struct sess *s)
{
	struct http_reply r;
	assert_int_equal(sess_get(s, "/compte", &r), 0);
	assert_int_equal(r.status, 302);
	char *to = http_header(&r, "Location");
	assert_non_null(to);
	assert_non_null(strstr(to, "/connexion"));
	free(to);
	http_reply_free(&r);
}

/* GETs /api/v1/me with token as a bearer; returns the status. */
static long me_with_token(const char *token, const char *expect_in_body)
{
	char auth[128];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	const char *headers[] = {auth, NULL};
	struct sess *anon = sess_new();
	struct http_reply r;
	assert_int_equal(sess_request(anon, "GET", "/api/v1/me", headers, NULL, NULL, 0, &r), 0);
	long status = r.status;
	if (expect_in_body)
		assert_non_null(strstr(r.body, expect_in_body));
	http_reply_free(&r);
	sess_free(anon);
	return status;
}

static void page_needs_sign_in_and_csrf(void **state)
{
	(void)state;
	struct sess *anon = sess_new();
	assert_signed_out(anon);
	sess_free(anon);

	char *email;
	struct sess *s = new_agent("compte", &email);
	struct http_reply r;
	assert_int_equal(sess_get(s, "/compte", &r), 0);
	assert_int_equal(r.status, 200);
	assert_header(&r, "Cache-Control", "no-store");
	assert_non_null(strstr(r.body, "<h1>Mon compte</h1>"));
	assert_non_null(strstr(r.body, email));
	assert_non_null(strstr(r.body, "contactez l’équipe du Lab"));
	assert_chosen(r.body, "organisation", "caf-31");
	assert_non_null(strstr(r.body, "Cette session"));
	http_reply_free(&r);

	assert_int_equal(sess_post(s, "/compte", "name=Sans+jeton+CSRF", &r), 0);
	assert_int_equal(r.status, 403);
	http_reply_free(&r);
	sess_free(s);
	free(email);
}

static void profile_update_checks_lengths_and_keeps_input(void **state)
{
	(void)state;
	char *email;
	struct sess *s = new_agent("profil", &email);
	char *name = malloc(10001);
	memset(name, 'a', 10000);
	name[10000] = '\0';
	struct http_reply r;
	sess_post_form(s, "/compte", "/compte", &r, "name", name, "job", "Cheffe de projet",
		       "organisation", "cpam-31", NULL);
	assert_int_equal(r.status, 422);
	assert_field_error(&r, "name", "Ce champ ne doit pas dépasser 120 caractères.");
	assert_null(html_field_error(r.body, "job"));
	char *kept = html_input_value(r.body, "name");
	assert_string_equal(kept, name);
	free(kept);
	kept = html_input_value(r.body, "job");
	assert_string_equal(kept, "Cheffe de projet");
	free(kept);
	assert_chosen(r.body, "organisation", "cpam-31");
	assert_non_null(strstr(r.body, "Le formulaire contient des erreurs"));
	http_reply_free(&r);

	sess_post_form(s, "/compte", "/compte", &r, "name", "Agent renommé", "job",
		       "Cheffe de projet", "organisation", "pas-un-organisme", NULL);
	assert_int_equal(r.status, 422);
	assert_field_error(&r, "organisation", "Choisissez votre organisme dans la liste.");
	http_reply_free(&r);

	sess_post_form(s, "/compte", "/compte", &r, "name", "Agent renommé", "job",
		       "Cheffe de projet", "organisation", "cpam-31", NULL);
	assert_int_equal(r.status, 303);
	assert_header(&r, "Location", "/compte?info=profil");
	http_reply_free(&r);
	assert_int_equal(sess_get(s, "/compte?info=profil", &r), 0);
	assert_non_null(strstr(r.body, "Vos informations sont enregistrées."));
	assert_non_null(strstr(r.body, "value=\"Agent renommé\""));
	assert_chosen(r.body, "organisation", "cpam-31");
	http_reply_free(&r);
	free(name);
	sess_free(s);
	free(email);
}

static void password_change_ends_the_other_sessions(void **state)
{
	(void)state;
	char *email;
	struct sess *s1 = new_agent("mdp", &email);
	struct sess *s2 = sess_new();
	assert_int_equal(sess_login(s2, email, PASSWORD), 303);

	struct http_reply r;
	sess_post_form(s1, "/compte", "/compte/mot-de-passe", &r, "current_password", "pas le bon",
		       "password", NEW_PASSWORD, "password_confirm", NEW_PASSWORD, NULL);
	assert_int_equal(r.status, 422);
	assert_field_error(&r, "current_password", "pas votre mot de passe actuel");
	http_reply_free(&r);

	sess_post_form(s1, "/compte", "/compte/mot-de-passe", &r, "current_password", PASSWORD,
		       "password", NEW_PASSWORD, "password_confirm", "autre chose encore", NULL);
	assert_int_equal(r.status, 422);
	assert_field_error(&r, "password_confirm", "ne sont pas identiques");
	http_reply_free(&r);

	sess_post_form(s1, "/compte", "/compte/mot-de-passe", &r, "current_password", PASSWORD,
		       "password", NEW_PASSWORD, "password_confirm", NEW_PASSWORD, NULL);
	assert_int_equal(r.status, 303);
	assert_header(&r, "Location", "/compte?info=mot-de-passe");
	http_reply_free(&r);

	assert_signed_out(s2);
	assert_int_equal(sess_get(s1, "/compte", &r), 0);
	assert_int_equal(r.status, 200);
	http_reply_free(&r);

	struct sess *s3 = sess_new();
	assert_int_equal(sess_login(s3, email, PASSWORD), 422);
	assert_int_equal(sess_login(s3, email, NEW_PASSWORD), 303);
	sess_free(s3);
	sess_free(s2);
	sess_free(s1);
	free(email);
}

static void another_session_can_be_ended(void **state)
{
	(void)state;
	char *email;
	struct sess *s1 = new_agent("sessions", &email);
	struct sess *s2 = sess_new();
	assert_int_equal(sess_login(s2, email, PASSWORD), 303);

	struct http_reply r;
	/* The account page links to a page that asks first; its form ends
	 * the session. */
	assert_int_equal(sess_get(s1, "/compte", &r), 0);
	char *confirm = match(r.body, "/compte/sessions/[0-9a-f]{64}/confirmer-fin");
	http_reply_free(&r);
	assert_non_null(confirm);
	assert_int_equal(sess_get(s1, confirm, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Terminer cette session\u202f?"));
	char *action = match(r.body, "/compte/sessions/[0-9a-f]{64}/terminer");
	http_reply_free(&r);
	assert_non_null(action);
	/* Asking changed nothing. */
	assert_int_equal(sess_get(s2, "/compte", &r), 0);
	assert_int_equal(r.status, 200);
	http_reply_free(&r);
	sess_post_form(s1, confirm, action, &r, NULL);
	free(confirm);
	assert_int_equal(r.status, 303);
	assert_header(&r, "Location", "/compte?info=session");
	http_reply_free(&r);
	assert_signed_out(s2);

	/* Gone now, like a session of someone else's. */
	sess_post_form(s1, "/compte", action, &r, NULL);
	assert_int_equal(r.status, 404);
	http_reply_free(&r);
	free(action);
	sess_free(s2);
	sess_free(s1);
	free(email);
}

static void api_token_works_until_revoked(void **state)
{
	(void)state;
	char *email;
	struct sess *s = new_agent("jeton", &email);
	struct http_reply r;
	sess_post_form(s, "/compte", "/compte/jetons", &r, "label", "", NULL);
	assert_int_equal(r.status, 422);
	assert_field_error(&r, "label", "Ce champ est obligatoire.");
	http_reply_free(&r);

	sess_post_form(s, "/compte", "/compte/jetons", &r, "label", "Script de test", NULL);
	assert_int_equal(r.status, 200);
	assert_header(&r, "Cache-Control", "no-store");
	assert_non_null(strstr(r.body, "Votre nouveau jeton"));
	assert_non_null(strstr(r.body, "ne sera plus jamais affiché"));
	char *token = match(r.body, "csl_[0-9a-f]{32}");
	http_reply_free(&r);
	assert_non_null(token);

	assert_int_equal(me_with_token(token, email), 200);

	/* A token reaches the API, not the account pages. */
	char auth[128];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	const char *headers[] = {auth, NULL};
	struct sess *anon = sess_new();
	assert_int_equal(sess_request(anon, "POST", "/compte/jetons", headers,
				      "application/x-www-form-urlencoded", "label=x", 7, &r),
			 0);
	assert_int_equal(r.status, 403);
	http_reply_free(&r);
	sess_free(anon);

	assert_int_equal(sess_get(s, "/compte", &r), 0);
	assert_non_null(strstr(r.body, "Script de test"));
	assert_non_null(strstr(r.body, "<code>csl_"));
	assert_null(strstr(r.body, token));
	char *confirm = match(r.body, "/compte/jetons/[0-9a-f]{64}/confirmer-revocation");
	http_reply_free(&r);
	assert_non_null(confirm);
	assert_int_equal(sess_get(s, confirm, &r), 0);
	assert_non_null(strstr(r.body, "«\u202fScript de test\u202f»"));
	char *action = match(r.body, "/compte/jetons/[0-9a-f]{64}/revoquer");
	http_reply_free(&r);
	assert_non_null(action);
	/* Asking changed nothing: the token still works. */
	assert_int_equal(me_with_token(token, NULL), 200);
	sess_post_form(s, confirm, action, &r, NULL);
	free(confirm);
	assert_int_equal(r.status, 303);
	assert_header(&r, "Location", "/compte?info=jeton");
	http_reply_free(&r);

	assert_int_equal(me_with_token(token, NULL), 401);
	sess_post_form(s, "/compte", action, &r, NULL);
	assert_int_equal(r.status, 404);
	http_reply_free(&r);
	free(action);
	free(token);
	sess_free(s);
	free(email);
}

static void export_has_the_data_and_no_secret(void **state)
{
	(void)state;
	char *email;
	struct sess *s = new_agent("export", &email);
	struct http_reply r;
	sess_post_form(s, "/compte", "/compte/jetons", &r, "label", "Jeton exporté", NULL);
	assert_int_equal(r.status, 200);
	char *token = match(r.body, "csl_[0-9a-f]{32}");
	http_reply_free(&r);

	sess_post_form(s, "/compte", "/compte/export", &r, NULL);
	assert_int_equal(r.status, 200);
	assert_header(&r, "Content-Type", "application/json; charset=utf-8");
	assert_header(&r, "Content-Disposition",
		      "attachment; filename=\"cousilab-mes-donnees.json\"");
	assert_header(&r, "Cache-Control", "no-store");
	assert_null(strstr(r.body, "password_hash"));
	assert_null(strstr(r.body, "$argon2"));
	assert_null(strstr(r.body, token));
	json_error_t error;
	json_t *data = json_loads(r.body, 0, &error);
	assert_non_null(data);
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(data, "account"), "email")),
		email);
	json_t *sessions = json_object_get(data, "sessions");
	assert_true(json_array_size(sessions) >= 1);
	assert_null(json_object_get(json_array_get(sessions, 0), "_id"));
	assert_null(json_object_get(json_array_get(sessions, 0), "id"));
	json_t *tokens = json_object_get(data, "api_tokens");
	assert_int_equal(json_array_size(tokens), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(tokens, 0), "name")),
			    "Jeton exporté");
	assert_null(json_object_get(json_array_get(tokens, 0), "id"));
	bool logged_in = false;
	json_t *record;
	size_t i;
	json_array_foreach(json_object_get(data, "audit"), i, record)
		logged_in |= strcmp(json_string_value(json_object_get(record, "action")),
				    "login.success") == 0;
	assert_true(logged_in);
	assert_true(json_is_array(json_object_get(data, "mail")));
	json_decref(data);
	http_reply_free(&r);
	free(token);
	sess_free(s);
	free(email);
}

static void deleted_account_is_erased_and_its_address_freed(void **state)
{
	(void)state;
	char *email = unique_email("suppression");
	/* A name of its own, to look for on the club page. */
	char name[160];
	snprintf(name, sizeof(name), "Membre %.*s", (int)strcspn(email, "@"), email);
	assert_int_equal(cli_user_add(email, name, NULL, PASSWORD), 0);
	struct sess *s = sess_new();
	assert_int_equal(sess_login(s, email, PASSWORD), 303);
	struct sess *other = sess_new();
	assert_int_equal(sess_login(other, email, PASSWORD), 303);
	struct http_reply r;
	sess_post_form(s, "/clubs/rse", "/clubs/rse/rejoindre", &r, NULL);
	assert_true(r.status == 200 || r.status == 303);
	http_reply_free(&r);
	assert_int_equal(http_get("/clubs/rse", &r), 0);
	assert_non_null(strstr(r.body, name));
	http_reply_free(&r);
	sess_post_form(s, "/compte", "/compte/jetons", &r, "label", "Jeton à effacer", NULL);
	char *token = match(r.body, "csl_[0-9a-f]{32}");
	http_reply_free(&r);
	assert_non_null(token);

	sess_post_form(s, "/compte", "/compte/suppression", &r, "delete_password", "pas le bon",
		       NULL);
	assert_int_equal(r.status, 422);
	assert_field_error(&r, "delete_password", "pas votre mot de passe actuel");
	http_reply_free(&r);

	sess_post_form(s, "/compte", "/compte/suppression", &r, "delete_password", PASSWORD, NULL);
	assert_int_equal(r.status, 303);
	assert_header(&r, "Location", "/connexion?info=supprime");
	http_reply_free(&r);
	assert_signed_out(s);
	assert_signed_out(other);
	assert_int_equal(me_with_token(token, NULL), 401);

	struct sess *again = sess_new();
	assert_int_equal(sess_login(again, email, PASSWORD), 422);
	sess_free(again);
	char filter[512];
	snprintf(filter, sizeof(filter), "{\"email\": \"%s\"}", email);
	assert_int_equal(mongo_count("users", filter), 0);
	/* Gone from the club's member list, which shows names. */
	assert_int_equal(http_get("/clubs/rse", &r), 0);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, name));
	http_reply_free(&r);

	/* The address is free for a new account. */
	assert_int_equal(cli_user_add(email, "Nouvel agent", NULL, PASSWORD), 0);
	again = sess_new();
	assert_int_equal(sess_login(again, email, PASSWORD), 303);
	sess_free(again);
	free(token);
	sess_free(other);
	sess_free(s);
	free(email);
}

/* Returns the names the organisations API suggests for path, joined by
 * " | " (heap), and their total in *total. */
static char *suggested_names(const char *path, long long *total)
{
	struct http_reply r;
	assert_int_equal(http_get(path, &r), 0);
	assert_int_equal(r.status, 200);
	json_t *body = json_loads(r.body, 0, NULL), *item;
	assert_non_null(body);
	*total = json_integer_value(json_object_get(body, "total"));
	size_t i, len = 0;
	char *out = NULL;
	FILE *f = open_memstream(&out, &len);
	json_array_foreach(json_object_get(body, "items"), i, item)
		fprintf(f, "%s%s", i ? " | " : "",
			json_string_value(json_object_get(item, "name")));
	fclose(f);
	json_decref(body);
	http_reply_free(&r);
	return out;
}

static void organisation_suggestions_come_in_french_order(void **state)
{
	(void)state;
	long long total;
	/* Accents, case and apostrophes aside; each word begins a word of the name. */
	char *names = suggested_names("/api/v1/organisations?q=AIN", &total);
	assert_string_equal(names, "Caf de l'Ain | CPAM de l'Ain | MSA Ain-Rhône");
	assert_int_equal(total, 3);
	free(names);
	names = suggested_names("/api/v1/organisations?q=vaucluse%20cpam", &total);
	assert_string_equal(names, "CPAM de Vaucluse");
	free(names);
	/* "École" among the E, not after the Z. */
	names = suggested_names("/api/v1/organisations?q=e&limit=50", &total);
	assert_non_null(strstr(names, "CPAM de l'Essonne"));
	assert_true(strstr(names, "École nationale") < strstr(names, "MSA de Maine-et-Loire"));
	assert_true(total > 3);
	free(names);
	names = suggested_names("/api/v1/organisations?q=cpam&limit=2", &total);
	assert_true(total > 90);
	assert_non_null(strchr(names, '|'));
	assert_null(strchr(strchr(names, '|') + 1, '|'));
	free(names);

	struct http_reply r;
	assert_int_equal(http_get("/api/v1/organisations?limit=0", &r), 0);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "\"limit\""));
	http_reply_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(page_needs_sign_in_and_csrf),
		cmocka_unit_test(organisation_suggestions_come_in_french_order),
		cmocka_unit_test(profile_update_checks_lengths_and_keeps_input),
		cmocka_unit_test(password_change_ends_the_other_sessions),
		cmocka_unit_test(another_session_can_be_ended),
		cmocka_unit_test(api_token_works_until_revoked),
		cmocka_unit_test(export_has_the_data_and_no_secret),
		cmocka_unit_test(deleted_account_is_erased_and_its_address_freed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
