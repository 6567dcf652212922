/* A new password voids the credentials issued before it (ASVS V2.5.6,
 * V3.3.3): the other reset links, and the API tokens, whether it was
 * changed on the account page or through a reset link. Through nginx. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

static const char PASSWORD[] = "Change-itest-passphrase-42";
static const char NEW_PASSWORD[] = "Changed-itest-passphrase-43";
static const char RESET_PREFIX[] = "/mot-de-passe/nouveau?jeton=";

/* Returns the status of GET /api/v1/me with token as a bearer. */
static long me_with_token(const char *token)
{
	struct http_reply r;
	long status = api_request(token, "GET", "/api/v1/me", NULL, &r);
	http_reply_free(&r);
	return status;
}

/* Requests n reset links for email, each from its own loopback address,
 * and stores their tokens in out (heap strings). */
static void request_resets(const char *email, int n, char **out)
{
	for (int i = 0; i < n; i++) {
		struct sess *s = sess_new();
		sess_set_source(s, loopback_ip(200, i + 1));
		struct http_reply r;
		sess_post_form(s, "/mot-de-passe/oubli", "/mot-de-passe/oubli", &r, "email", email,
			       NULL);
		assert_int_equal(r.status, 200);
		http_reply_free(&r);
		sess_free(s);
	}
	assert_int_equal(maildir_tokens(email, RESET_PREFIX, n, out, n), n);
}

/* Returns the status of GET of reset link token's page. */
static long reset_page_status(const char *token)
{
	char path[128];
	snprintf(path, sizeof(path), "%s%s", RESET_PREFIX, token);
	struct http_reply r;
	assert_int_equal(http_get(path, &r), 0);
	long status = r.status;
	http_reply_free(&r);
	return status;
}

/* Sets NEW_PASSWORD through reset link token; returns the status. */
static long use_reset_link(const char *token)
{
	struct sess *s = sess_new();
	struct http_reply r;
	/* The CSRF token of any page: a void link's page has no form. */
	sess_post_form(s, "/connexion", "/mot-de-passe/nouveau", &r, "jeton", token, "password",
		       NEW_PASSWORD, "password_confirm", NEW_PASSWORD, NULL);
	long status = r.status;
	http_reply_free(&r);
	sess_free(s);
	return status;
}

static void password_change_revokes_tokens_and_reset_links(void **state)
{
	(void)state;
	char *email = unique_email("change-page");
	assert_int_equal(cli_user_add(email, "Agent prudent", NULL, PASSWORD), 0);
	char *token = cli_token_create(email, "itest-change");
	assert_non_null(token);
	assert_int_equal(me_with_token(token), 200);
	char *links[2];
	request_resets(email, 2, links);
	assert_int_equal(reset_page_status(links[0]), 200);

	struct sess *s = sess_new();
	assert_int_equal(sess_login(s, email, PASSWORD), 303);
	struct http_reply r;
	sess_post_form(s, "/compte", "/compte/mot-de-passe", &r, "current_password", PASSWORD,
		       "password", NEW_PASSWORD, "password_confirm", NEW_PASSWORD, NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	assert_int_equal(sess_get(s, "/compte?info=mot-de-passe", &r), 0);
	assert_non_null(strstr(r.body, "vos jetons d’accès révoqués"));
	/* The revoked token is no longer listed. */
	char prefix[9];
	snprintf(prefix, sizeof(prefix), "%.8s", token);
	assert_null(strstr(r.body, prefix));
	http_reply_free(&r);

	assert_int_equal(me_with_token(token), 401);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(reset_page_status(links[i]), 404);
		assert_int_equal(use_reset_link(links[i]), 404);
		free(links[i]);
	}
	/* A token made after the change works. */
	char *fresh = cli_token_create(email, "itest-after");
	assert_non_null(fresh);
	assert_int_equal(me_with_token(fresh), 200);
	free(fresh);
	sess_free(s);
	free(token);
	free(email);
}

static void reset_cancels_the_other_links_and_tokens(void **state)
{
	(void)state;
	char *email = unique_email("change-reset");
	assert_int_equal(cli_user_add(email, "Agent distrait", NULL, PASSWORD), 0);
	char *token = cli_token_create(email, "itest-reset");
	assert_non_null(token);
	char *links[2];
	request_resets(email, 2, links);
	assert_int_equal(use_reset_link(links[0]), 303);
	assert_int_equal(reset_page_status(links[1]), 404);
	assert_int_equal(use_reset_link(links[1]), 404);
	assert_int_equal(me_with_token(token), 401);
	struct sess *s = sess_new();
	assert_int_equal(sess_login(s, email, NEW_PASSWORD), 303);
	sess_free(s);
	free(links[1]);
	free(links[0]);
	free(token);
	free(email);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(password_change_revokes_tokens_and_reset_links),
		cmocka_unit_test(reset_cancels_the_other_links_and_tokens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
