/* Limits on what costs the site or someone's mailbox (ASVS V2.2.1,
 * V11.1.4): sign-ups and reset requests per IP and per address, "account
 * exists" mails, uses of mailed links, and writes per signed-in user.
 * Each test speaks from loopback addresses of its own, through nginx. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

static const char PASSWORD[] = "Abuse-itest-passphrase-42";

/* POSTs the sign-up form for email from address from; fills r. */
static void post_signup(const char *from, const char *email, struct http_reply *r)
{
	struct sess *s = sess_new();
	sess_set_source(s, from);
	sess_post_form(s, "/inscription", "/inscription", r, "name", "Zoé Limitée", "email", email,
		       "organisation", "caf-31", "job", "Testeuse", "password", PASSWORD, NULL);
	sess_free(s);
}

/* Returns the status of a sign-up of email from address from. */
static long signup_status(const char *from, const char *email)
{
	struct http_reply r;
	post_signup(from, email, &r);
	long status = r.status;
	http_reply_free(&r);
	return status;
}

/* Asserts that r is a 429 form with message next to the email field and
 * a Retry-After within window_s. */
static void assert_throttled(const struct http_reply *r, const char *message, long window_s)
{
	assert_int_equal(r->status, 429);
	char *error = html_field_error(r->body, "email");
	assert_non_null(error);
	assert_non_null(strstr(error, message));
	assert_non_null(strstr(error, "Réessayez dans"));
	free(error);
	char *retry = http_header(r, "Retry-After");
	assert_non_null(retry);
	assert_true(atol(retry) >= 1 && atol(retry) <= window_s);
	free(retry);
}

static long long count_mail(const char *to, const char *template)
{
	char filter[512];
	snprintf(filter, sizeof(filter), "{\"to\": \"%s\", \"template\": \"%s\"}", to, template);
	return mongo_count("outbox", filter);
}

/* 160 parallel sign-ups from one client used to take every worker. */
static void signups_are_limited_per_ip(void **state)
{
	(void)state;
	wait_for_window_room(900, 120);
	const char *from = loopback_ip(101, 1);
	for (int i = 0; i < 20; i++) {
		char *email = unique_email("abuse-signup");
		assert_int_equal(signup_status(from, email), 200);
		free(email);
	}
	char *email = unique_email("abuse-signup-21");
	struct http_reply r;
	post_signup(from, email, &r);
	assert_throttled(&r, "Trop d’inscriptions depuis votre adresse réseau.", 900);
	/* What was typed is kept, and no account was made. */
	char *kept = html_input_value(r.body, "name");
	assert_string_equal(kept, "Zoé Limitée");
	free(kept);
	http_reply_free(&r);
	char filter[256];
	snprintf(filter, sizeof(filter), "{\"email\": \"%s\"}", email);
	assert_int_equal(mongo_count("users", filter), 0);
	/* Another client is not held back. */
	assert_int_equal(signup_status(loopback_ip(101, 2), email), 200);
	free(email);
}

/* Sign-ups of a taken address used to mail its owner every time. */
static void account_exists_mail_goes_once_an_hour(void **state)
{
	(void)state;
	wait_for_window_room(900, 60);
	char *taken = unique_email("abuse-taken"), *fresh = unique_email("abuse-fresh");
	assert_int_equal(cli_user_add(taken, "Propriétaire", NULL, PASSWORD), 0);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(signup_status(loopback_ip(102, 10 + i), taken), 200);
		assert_int_equal(signup_status(loopback_ip(102, 20 + i), fresh), 200);
	}
	assert_int_equal(count_mail(taken, "account_exists"), 1);
	/* The sixth of either address reads the same: no enumeration. */
	struct http_reply a, b;
	post_signup(loopback_ip(102, 30), taken, &a);
	post_signup(loopback_ip(102, 31), fresh, &b);
	assert_throttled(&a, "Trop d’inscriptions pour cette adresse électronique.", 900);
	assert_throttled(&b, "Trop d’inscriptions pour cette adresse électronique.", 900);
	char *x = html_field_error(a.body, "email"), *y = html_field_error(b.body, "email");
	/* The waits may differ by the second between the two requests. */
	assert_int_equal(strcspn(x, "0123456789"), strcspn(y, "0123456789"));
	free(y);
	free(x);
	http_reply_free(&b);
	http_reply_free(&a);
	assert_int_equal(count_mail(taken, "account_exists"), 1);
	free(fresh);
	free(taken);
}

/* POSTs a reset request for email from address from; fills r. */
static void post_reset_request(const char *from, const char *email, struct http_reply *r)
{
	struct sess *s = sess_new();
	sess_set_source(s, from);
	sess_post_form(s, "/mot-de-passe/oubli", "/mot-de-passe/oubli", r, "email", email, NULL);
	sess_free(s);
}

static void reset_requests_are_limited_per_address(void **state)
{
	(void)state;
	wait_for_window_room(900, 60);
	char *email = unique_email("abuse-reset");
	assert_int_equal(cli_user_add(email, "Oublieuse", NULL, PASSWORD), 0);
	struct http_reply r;
	for (int i = 0; i < 3; i++) {
		post_reset_request(loopback_ip(103, 1 + i), email, &r);
		assert_int_equal(r.status, 200);
		http_reply_free(&r);
	}
	post_reset_request(loopback_ip(103, 9), email, &r);
	assert_throttled(&r, "Plusieurs liens viennent déjà d’être demandés", 900);
	char *kept = html_input_value(r.body, "email");
	assert_string_equal(kept, email);
	free(kept);
	http_reply_free(&r);
	assert_int_equal(count_mail(email, "reset"), 3);
	free(email);
}

/* Links are 128-bit, but every try costs lookups: 30 per IP per window. */
static void link_tries_are_limited_per_ip(void **state)
{
	(void)state;
	wait_for_window_room(900, 60);
	struct sess *s = sess_new();
	sess_set_source(s, loopback_ip(104, 1));
	char *csrf = sess_csrf(s, "/connexion");
	assert_non_null(csrf);
	char body[128];
	snprintf(body, sizeof(body), "csrf=%s&jeton=00112233445566778899aabbccddeeff", csrf);
	struct http_reply r;
	for (int i = 0; i < 30; i++) {
		assert_int_equal(sess_post(s, "/inscription/confirmer", body, &r), 0);
		assert_int_equal(r.status, 404);
		http_reply_free(&r);
	}
	assert_int_equal(sess_post(s, "/mot-de-passe/nouveau", body, &r), 0);
	assert_int_equal(r.status, 429);
	assert_non_null(strstr(r.body, "Trop de liens essayés"));
	http_reply_free(&r);
	free(csrf);
	sess_free(s);
}

/* POSTs the profile form as s; returns the status. */
static long update_profile(struct sess *s, struct http_reply *r)
{
	sess_post_form(s, "/compte", "/compte", r, "name", "Agent pressé", "job", "Testeur",
		       "organisation", "caf-31", NULL);
	return r->status;
}

/* A signed-in user used to post 40 comments in 0.8 s. */
static void writes_are_limited_per_user(void **state)
{
	(void)state;
	wait_for_window_room(60, 30);
	char *email = unique_email("abuse-writes");
	assert_int_equal(cli_user_add(email, "Agent pressé", NULL, PASSWORD), 0);
	char *token = cli_token_create(email, "itest-writes");
	assert_non_null(token);
	struct sess *s = sess_new();
	assert_int_equal(sess_login(s, email, PASSWORD), 303);
	struct http_reply r;
	/* Refused writes do not count: correcting a form is not flooding. */
	for (int i = 0; i < 5; i++) {
		sess_post_form(s, "/compte", "/compte", &r, "name", "", "job", "Testeur",
			       "organisation", "caf-31", NULL);
		assert_int_equal(r.status, 422);
		http_reply_free(&r);
	}
	for (int i = 0; i < 30; i++) {
		assert_int_equal(update_profile(s, &r), 303);
		http_reply_free(&r);
	}
	assert_int_equal(update_profile(s, &r), 429);
	assert_non_null(strstr(r.body, "Trop de requêtes en peu de temps. Réessayez dans"));
	char *retry = http_header(&r, "Retry-After");
	assert_non_null(retry);
	assert_true(atol(retry) >= 1 && atol(retry) <= 60);
	free(retry);
	http_reply_free(&r);

	/* The same user through the API: the same limit, a JSON answer. */
	assert_int_equal(
		api_request(token, "POST", "/api/v1/clubs/relation-usagers/members", NULL, &r),
		429);
	json_t *body = json_loads(r.body, 0, NULL);
	assert_non_null(body);
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(body, "error"), "code")),
		"too_many_requests");
	json_decref(body);
	http_reply_free(&r);

	/* Someone else writes freely, and signing out always works. */
	struct sess *other = sess_signed_in("abuse-other", "Agent calme", NULL, PASSWORD);
	assert_int_equal(update_profile(other, &r), 303);
	http_reply_free(&r);
	sess_free(other);
	char *csrf = sess_cookie(s, "csrf"), form[64];
	snprintf(form, sizeof(form), "csrf=%s", csrf);
	assert_int_equal(sess_post(s, "/deconnexion", form, &r), 0);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	free(csrf);
	sess_free(s);
	free(token);
	free(email);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(signups_are_limited_per_ip),
		cmocka_unit_test(account_exists_mail_goes_once_an_hour),
		cmocka_unit_test(reset_requests_are_limited_per_address),
		cmocka_unit_test(link_tries_are_limited_per_ip),
		cmocka_unit_test(writes_are_limited_per_user),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
