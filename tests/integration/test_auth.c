/* Identity (ASVS V2.2, V3.2-V3.5, V4.2): login throttling with one
 * message for every failure, session rotation, idle and absolute expiry,
 * logout, CSRF, token revocation, other users' handles, cookie
 * attributes, no state change on GET. */
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

static const char PASSWORD[] = "Auth-itest-passphrase-42";
static const char FORM[] = "application/x-www-form-urlencoded";

/* Returns the address of a new active agent whose password is PASSWORD
 * (heap). */
static char *new_user(const char *tag)
{
	char *email = unique_email(tag);
	assert_int_equal(cli_user_add(email, "Test Identité", NULL, PASSWORD), 0);
	return email;
}

/* Returns the status of GET /api/v1/me for s. */
static long me_status(struct sess *s)
{
	struct http_reply r;
	sess_get(s, "/api/v1/me", &r);
	long status = r.status;
	http_reply_free(&r);
	return status;
}

/* Returns the status of GET /api/v1/me for a browser holding only sid. */
static long me_status_with_sid(const char *sid)
{
	struct sess *s = sess_new();
	sess_set_cookie(s, "sid", sid);
	long status = me_status(s);
	sess_free(s);
	return status;
}

/* POSTs the login form with csrf (NULL: no field). Fills r. */
static void post_login(struct sess *s, const char *csrf, const char *email, const char *password,
		       struct http_reply *r)
{
	char *e = url_escape(email), *p = url_escape(password), *body;
	assert_true(asprintf(&body, "email=%s&password=%s%s%s", e, p, csrf ? "&csrf=" : "",
			     csrf ? csrf : "") > 0);
	sess_post(s, "/connexion", body, r);
	free(body);
	free(p);
	free(e);
}

/* Returns the login form's error message after one attempt (heap). */
static char *login_error(struct sess *s, const char *csrf, const char *email, const char *password,
			 long expected_status)
{
	struct http_reply r;
	post_login(s, csrf, email, password, &r);
	assert_int_equal(r.status, expected_status);
	char *message = html_field_error(r.body, "password");
	assert_non_null(message);
	http_reply_free(&r);
	return message;
}

static void login_is_throttled_with_one_message(void **state)
{
	(void)state;
	char *email = new_user("auth-throttle"), *unknown = unique_email("auth-nobody");
	struct sess *s = sess_new();
	char *csrf = sess_csrf(s, "/connexion");
	assert_non_null(csrf);

	/* An unknown address and a wrong password read the same. */
	char *expected = login_error(s, csrf, unknown, "Wrong-passphrase-0", 422);
	for (int i = 0; i < 5; i++) {
		char *message = login_error(s, csrf, email, "Wrong-passphrase-1", 422);
		assert_string_equal(message, expected);
		free(message);
	}
	/* The sixth may already be refused: the first delay is one second. */
	struct http_reply r;
	post_login(s, csrf, email, "Wrong-passphrase-1", &r);
	assert_true(r.status == 422 || r.status == 429);
	http_reply_free(&r);

	post_login(s, csrf, email, PASSWORD, &r);
	assert_int_equal(r.status, 429);
	assert_non_null(strstr(r.body, "Trop de tentatives"));
	char *retry = http_header(&r, "Retry-After");
	assert_non_null(retry);
	assert_true(atol(retry) >= 1 && atol(retry) <= 900);
	assert_null(sess_cookie(s, "sid"));
	free(retry);
	http_reply_free(&r);
	free(expected);
	free(csrf);
	sess_free(s);
	free(unknown);
	free(email);
}

static void session_rotates_at_login(void **state)
{
	(void)state;
	static const char FIXED[] = "00112233445566778899aabbccddeeff";
	char *email = new_user("auth-rotate");
	struct sess *s = sess_new();
	/* A session id planted before login is not adopted. */
	sess_set_cookie(s, "sid", FIXED);
	assert_int_equal(sess_login(s, email, PASSWORD), 303);
	char *first = sess_cookie(s, "sid");
	assert_non_null(first);
	assert_int_equal(strlen(first), 32);
	assert_string_not_equal(first, FIXED);
	assert_int_equal(me_status(s), 200);

	/* The same browser signs in again: new id, the old one is dead. */
	assert_int_equal(sess_login(s, email, PASSWORD), 303);
	char *second = sess_cookie(s, "sid");
	assert_non_null(second);
	assert_string_not_equal(second, first);
	assert_int_equal(me_status_with_sid(first), 401);
	assert_int_equal(me_status(s), 200);
	free(second);
	free(first);
	sess_free(s);
	free(email);
}

static void logout_ends_the_session_on_the_server(void **state)
{
	(void)state;
	char *email = new_user("auth-logout");
	struct sess *s = sess_new();
	assert_int_equal(sess_login(s, email, PASSWORD), 303);
	char *sid = sess_cookie(s, "sid"), *csrf = sess_csrf(s, "/");
	assert_non_null(sid);
	assert_non_null(csrf);
	char body[128];
	snprintf(body, sizeof(body), "csrf=%s", csrf);
	struct http_reply r;
	sess_post(s, "/deconnexion", body, &r);
	assert_int_equal(r.status, 303);
	char *location = http_header(&r, "Location");
	assert_string_equal(location, "/connexion?info=deconnecte");
	free(location);
	http_reply_free(&r);
	assert_int_equal(me_status(s), 401);
	/* Replaying the cookie does not bring the session back. */
	assert_int_equal(me_status_with_sid(sid), 401);
	free(csrf);
	free(sid);
	sess_free(s);
	free(email);
}

static void state_changes_need_the_csrf_token(void **state)
{
	(void)state;
	char *email = new_user("auth-csrf");
	struct sess *s = sess_new();
	char *csrf = sess_csrf(s, "/connexion");
	assert_non_null(csrf);
	struct http_reply r;

	post_login(s, NULL, email, PASSWORD, &r);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(r.body, "Ce formulaire a expiré"));
	http_reply_free(&r);

	post_login(s, "0123456789abcdef0123456789abcdef", email, PASSWORD, &r);
	assert_int_equal(r.status, 403);
	http_reply_free(&r);

	/* The right token without its cookie is refused too. */
	struct sess *cookieless = sess_new();
	post_login(cookieless, csrf, email, PASSWORD, &r);
	assert_int_equal(r.status, 403);
	http_reply_free(&r);
	assert_null(sess_cookie(s, "sid"));
	assert_null(sess_cookie(cookieless, "sid"));

	/* A bearer token is no ambient credential: no CSRF token needed. */
	char *token = cli_token_create(email, "itest-csrf");
	assert_non_null(token);
	char auth[128];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	const char *headers[] = {auth, NULL};
	sess_request(cookieless, "POST", "/deconnexion", headers, FORM, "", 0, &r);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	free(token);
	sess_free(cookieless);
	free(csrf);
	sess_free(s);
	free(email);
}

/* Returns the hex SHA-256 of s (heap): the handle the account page and the
 * database use for a session or a token. */
static char *sha256_hex(const char *s)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
	char *hex = malloc(sizeof(h) * 2 + 1);
	sodium_bin2hex(hex, sizeof(h) * 2 + 1, h, sizeof(h));
	return hex;
}

/* POSTs path with s's CSRF token; returns the status. */
static long post_with_csrf(struct sess *s, const char *path)
{
	char *csrf = sess_cookie(s, "csrf"), body[64];
	assert_non_null(csrf);
	snprintf(body, sizeof(body), "csrf=%s", csrf);
	struct http_reply r;
	sess_post(s, path, body, &r);
	long status = r.status;
	http_reply_free(&r);
	free(csrf);
	return status;
}

/* GETs /api/v1/me on s with token as a bearer; returns the status. */
static long me_with_token(struct sess *s, const char *token)
{
	char auth[128];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	const char *headers[] = {auth, NULL};
	struct http_reply r;
	sess_request(s, "GET", "/api/v1/me", headers, NULL, NULL, 0, &r);
	long status = r.status;
	if (status == 401) {
		assert_non_null(strstr(r.body, "\"invalid_token\""));
		char *challenge = http_header(&r, "WWW-Authenticate");
		assert_string_equal(challenge, "Bearer");
		free(challenge);
	}
	http_reply_free(&r);
	return status;
}

static void revoked_token_stops_working_at_once(void **state)
{
	(void)state;
	char *email = new_user("auth-token"), *token = cli_token_create(email, "itest");
	assert_non_null(token);
	assert_int_equal(strlen(token), 36);
	/* One client, one kept-alive connection: the token is in use. */
	struct sess *client = sess_new(), *owner = sess_new();
	assert_int_equal(me_with_token(client, token), 200);
	assert_int_equal(sess_login(owner, email, PASSWORD), 303);
	char *id = sha256_hex(token), path[128];
	snprintf(path, sizeof(path), "/compte/jetons/%s/revoquer", id);
	assert_int_equal(post_with_csrf(owner, path), 303);
	assert_int_equal(me_with_token(client, token), 401);
	free(id);
	sess_free(owner);
	sess_free(client);
	free(token);
	free(email);
}

/* ASVS V4.2.1: the handles of another user's session and token, even
 * known, reach nothing. */
static void others_sessions_and_tokens_are_out_of_reach(void **state)
{
	(void)state;
	char *owner_email = new_user("auth-owner"), *intruder_email = new_user("auth-idor");
	char *token = cli_token_create(owner_email, "itest");
	assert_non_null(token);
	struct sess *owner = sess_new(), *intruder = sess_new();
	assert_int_equal(sess_login(owner, owner_email, PASSWORD), 303);
	assert_int_equal(sess_login(intruder, intruder_email, PASSWORD), 303);
	char *sid = sess_cookie(owner, "sid");
	assert_non_null(sid);
	char *token_id = sha256_hex(token), *session_id = sha256_hex(sid), path[128];

	snprintf(path, sizeof(path), "/compte/jetons/%s/revoquer", token_id);
	assert_int_equal(post_with_csrf(intruder, path), 404);
	snprintf(path, sizeof(path), "/compte/sessions/%s/terminer", session_id);
	assert_int_equal(post_with_csrf(intruder, path), 404);
	struct sess *client = sess_new();
	assert_int_equal(me_with_token(client, token), 200);
	assert_int_equal(me_status(owner), 200);
	sess_free(client);
	free(session_id);
	free(token_id);
	free(sid);
	sess_free(intruder);
	sess_free(owner);
	free(token);
	free(intruder_email);
	free(owner_email);
}

/* Asserts that r sets cookie name with HttpOnly, SameSite=Lax and Path=/. */
static void assert_cookie_locked(const struct http_reply *r, const char *name)
{
	char *line = http_set_cookie(r, name);
	assert_non_null(line);
	assert_non_null(strstr(line, "; HttpOnly"));
	assert_non_null(strstr(line, "; SameSite=Lax"));
	assert_non_null(strstr(line, "; Path=/"));
	free(line);
}

static void cookies_are_httponly_and_samesite(void **state)
{
	(void)state;
	char *email = new_user("auth-cookies");
	struct sess *s = sess_new();
	struct http_reply r;
	sess_get(s, "/connexion", &r);
	assert_cookie_locked(&r, "csrf");
	char *csrf = html_input_value(r.body, "csrf");
	http_reply_free(&r);
	post_login(s, csrf, email, PASSWORD, &r);
	assert_int_equal(r.status, 303);
	assert_cookie_locked(&r, "sid");
	assert_cookie_locked(&r, "csrf"); /* rotated */
	http_reply_free(&r);
	free(csrf);
	sess_free(s);
	free(email);
}

static void get_never_changes_state(void **state)
{
	(void)state;
	char *email = new_user("auth-get");
	struct sess *s = sess_new();
	assert_int_equal(sess_login(s, email, PASSWORD), 303);
	struct http_reply r;
	sess_get(s, "/deconnexion", &r);
	assert_int_equal(r.status, 405);
	char *allow = http_header(&r, "Allow");
	assert_string_equal(allow, "POST");
	free(allow);
	http_reply_free(&r);
	assert_int_equal(me_status(s), 200);
	sess_free(s);
	free(email);
}

/* ---- Expiry, on a private instance with short limits ---- */

/* Waits until the monotonic clock reaches t (ms). */
static void sleep_until(long long t)
{
	long long left = t - now_ms();
	if (left > 0)
		usleep((useconds_t)left * 1000);
}

/* Signs in on app through raw FastCGI; returns the session token (heap). */
static char *private_login(const struct fcgi_app *app, const char *email)
{
	static const char *const from[] = {"REMOTE_ADDR=192.0.2.9", NULL};
	struct http_reply r;
	assert_int_equal(fcgi_request(app, "GET", "/connexion", from, NULL, NULL, 0, &r), 0);
	char *csrf = http_cookie_value(&r, "csrf");
	char *field = html_input_value(r.body, "csrf");
	assert_non_null(csrf);
	/* The page's copy is masked (csrf_token): never the cookie's bytes. */
	assert_int_equal(strlen(field), 64);
	assert_null(strstr(field, csrf));
	http_reply_free(&r);
	char *e = url_escape(email), *p = url_escape(PASSWORD), *body, *cookie;
	assert_true(asprintf(&body, "email=%s&password=%s&csrf=%s", e, p, csrf) > 0);
	assert_true(asprintf(&cookie, "HTTP_COOKIE=csrf=%s", csrf) > 0);
	const char *params[] = {from[0], cookie, NULL};
	assert_int_equal(
		fcgi_request(app, "POST", "/connexion", params, FORM, body, strlen(body), &r), 0);
	assert_int_equal(r.status, 303);
	char *sid = http_cookie_value(&r, "sid");
	assert_non_null(sid);
	http_reply_free(&r);
	free(cookie);
	free(body);
	free(p);
	free(e);
	free(field);
	free(csrf);
	return sid;
}

/* Returns the status of GET /api/v1/me on app with session sid. */
static long private_me(const struct fcgi_app *app, const char *sid)
{
	char cookie[128];
	snprintf(cookie, sizeof(cookie), "HTTP_COOKIE=sid=%s", sid);
	const char *params[] = {cookie, NULL};
	struct http_reply r;
	assert_int_equal(fcgi_request(app, "GET", "/api/v1/me", params, NULL, NULL, 0, &r), 0);
	long status = r.status;
	http_reply_free(&r);
	return status;
}

/* Session A sits idle past its 2 s limit while session B, used every
 * 0.8 s, lives until its 5 s absolute limit: both run at once. */
static void sessions_expire_when_idle_and_at_their_age_limit(void **state)
{
	(void)state;
	static const char *const limits[] = {"COUSILAB_SESSION_IDLE_S=2",
					     "COUSILAB_SESSION_ABSOLUTE_S=5", NULL};
	char *email = new_user("auth-expiry");
	struct fcgi_app app;
	assert_int_equal(fcgi_start(&app, "auth-expiry", limits), 0);

	char *idle = private_login(&app, email);
	assert_int_equal(private_me(&app, idle), 200);
	long long idle_seen = now_ms();

	long long busy_start = now_ms();
	char *busy = private_login(&app, email);
	long long busy_made = now_ms();
	bool idle_checked = false;
	for (long long at = busy_start + 800; at <= busy_start + 4000; at += 800) {
		sleep_until(at);
		assert_int_equal(private_me(&app, busy), 200);
		if (!idle_checked && now_ms() >= idle_seen + 2500) {
			assert_int_equal(private_me(&app, idle), 401);
			idle_checked = true;
		}
	}
	assert_true(idle_checked);
	/* Used about 1.2 s ago: only its age can end it. */
	sleep_until(busy_made + 5200);
	assert_int_equal(private_me(&app, busy), 401);

	assert_int_equal(fcgi_stop(&app), 0);
	free(busy);
	free(idle);
	free(email);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(login_is_throttled_with_one_message),
		cmocka_unit_test(session_rotates_at_login),
		cmocka_unit_test(logout_ends_the_session_on_the_server),
		cmocka_unit_test(state_changes_need_the_csrf_token),
		cmocka_unit_test(revoked_token_stops_working_at_once),
		cmocka_unit_test(others_sessions_and_tokens_are_out_of_reach),
		cmocka_unit_test(cookies_are_httponly_and_samesite),
		cmocka_unit_test(get_never_changes_state),
		cmocka_unit_test(sessions_expire_when_idle_and_at_their_age_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
