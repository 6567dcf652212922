/* Login limits (ASVS V2.2.1, 6.3 soft lock) and the return path after
 * login, through nginx. Each test speaks from loopback addresses of its
 * own (127.<run>.<test>.<n>), so the app sees distinct client IPs and the
 * other tests' budgets, all from 127.0.0.1, stay untouched. */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

static const char PASSWORD[] = "Limits-itest-passphrase-42";
static const char WRONG[] = "Wrong-passphrase-for-limits";

enum { BURST = 16, PER_ACCOUNT = 5, WINDOW_S = 900 };

/* Returns the address of a new active agent whose password is PASSWORD. */
static char *new_user(const char *tag)
{
	char *email = unique_email(tag);
	assert_int_equal(cli_user_add(email, "Test Limites", NULL, PASSWORD), 0);
	return email;
}

/* A browser at address from with the login page's CSRF token. */
struct client {
	struct sess *s;
	char *csrf;
	const char *email, *password;
	long status;
	pthread_barrier_t *start;
};

static void client_open(struct client *c, const char *from)
{
	c->s = sess_new();
	sess_set_source(c->s, from);
	c->csrf = sess_csrf(c->s, "/connexion");
	assert_non_null(c->csrf);
}

static void client_close(struct client *c)
{
	free(c->csrf);
	sess_free(c->s);
}

/* POSTs the login form for email with password and extra form fields
 * (may be ""); fills r. */
static void post_login(struct client *c, const char *email, const char *password, const char *extra,
		       struct http_reply *r)
{
	char *e = url_escape(email), *p = url_escape(password), *body;
	assert_true(asprintf(&body, "csrf=%s&email=%s&password=%s%s", c->csrf, e, p, extra) > 0);
	assert_int_equal(sess_post(c->s, "/connexion", body, r), 0);
	free(body);
	free(p);
	free(e);
}

/* Returns the status of one login attempt of c. */
static long try_login(struct client *c, const char *email, const char *password)
{
	struct http_reply r;
	post_login(c, email, password, "", &r);
	long status = r.status;
	http_reply_free(&r);
	return status;
}

static void *burst_one(void *arg)
{
	struct client *c = arg;
	pthread_barrier_wait(c->start);
	c->status = try_login(c, c->email, c->password);
	return NULL;
}

/* Sends BURST wrong passwords for email at once from address from, and
 * returns how many were checked (422); the rest must be refused: 429, or
 * 503 when the password gate stayed full (then nothing was checked). */
static int burst(const char *email, const char *from)
{
	struct client c[BURST];
	pthread_t t[BURST];
	pthread_barrier_t start;
	pthread_barrier_init(&start, NULL, BURST);
	for (int i = 0; i < BURST; i++) {
		client_open(&c[i], from);
		c[i].email = email;
		c[i].password = WRONG;
		c[i].start = &start;
	}
	for (int i = 0; i < BURST; i++)
		assert_int_equal(pthread_create(&t[i], NULL, burst_one, &c[i]), 0);
	for (int i = 0; i < BURST; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start);
	int checked = 0, refused = 0;
	for (int i = 0; i < BURST; i++) {
		checked += c[i].status == 422;
		refused += c[i].status == 429 || c[i].status == 503;
		if (c[i].status != 422 && c[i].status != 429 && c[i].status != 503)
			fprintf(stderr, "burst: status %ld\n", c[i].status);
		client_close(&c[i]);
	}
	assert_int_equal(checked + refused, BURST);
	return checked;
}

/* Parallel guesses used to get 8 to 14 checks instead of 5, and some a
 * 500 (a duplicate key on the shared counter). */
static void parallel_guesses_get_exactly_the_budget(void **state)
{
	(void)state;
	wait_for_window_room(WINDOW_S, 60);
	for (int round = 0; round < 3; round++) {
		char *email = new_user("limits-burst");
		const char *from = loopback_ip(1, round + 1);
		int checked = burst(email, from);
		assert_true(checked <= PER_ACCOUNT);
		/* Exactly the budget, once the tries the gate turned away are
		 * made again; then locked, right password or not. */
		struct client c;
		client_open(&c, from);
		long status;
		while ((status = try_login(&c, email, WRONG)) != 429) {
			assert_true(status == 422 || status == 503);
			checked += status == 422;
		}
		assert_int_equal(checked, PER_ACCOUNT);
		assert_int_equal(try_login(&c, email, PASSWORD), 429);
		client_close(&c);
		free(email);
	}
}

/* Returns the number of "unlock" mails queued for email. */
static long long unlock_mails(const char *email)
{
	char filter[512];
	snprintf(filter, sizeof(filter), "{\"to\": \"%s\", \"template\": \"unlock\"}", email);
	return mongo_count("outbox", filter);
}

/* Whoever fails a password from many addresses must not lock its owner
 * out: the owner, from an address that has not failed, still signs in. */
static void soft_lock_spares_the_owner_and_mails_an_unlock_link(void **state)
{
	(void)state;
	wait_for_window_room(WINDOW_S, 60);
	char *email = new_user("limits-lock");
	struct client attacker, other, owner;
	client_open(&attacker, loopback_ip(2, 1));
	for (int i = 0; i < PER_ACCOUNT; i++)
		assert_int_equal(try_login(&attacker, email, WRONG), 422);
	struct http_reply r;
	post_login(&attacker, email, PASSWORD, "", &r);
	assert_int_equal(r.status, 429);
	assert_non_null(strstr(r.body, "Trop de tentatives de connexion."));
	char *retry = http_header(&r, "Retry-After");
	assert_non_null(retry);
	assert_true(atol(retry) >= 1 && atol(retry) <= WINDOW_S);
	free(retry);
	http_reply_free(&r);

	/* Another address gets one try while the account is locked. */
	client_open(&other, loopback_ip(2, 2));
	assert_int_equal(try_login(&other, email, WRONG), 422);
	assert_int_equal(try_login(&other, email, WRONG), 429);
	client_close(&other);

	/* The owner, from a clean address, signs in, which forgets the
	 * failures; the attacker's address locks the account again. */
	client_open(&owner, loopback_ip(2, 3));
	assert_int_equal(try_login(&owner, email, PASSWORD), 303);
	client_close(&owner);
	for (int i = 0; i < PER_ACCOUNT; i++)
		assert_int_equal(try_login(&attacker, email, WRONG), 422);
	assert_int_equal(try_login(&attacker, email, WRONG), 429);

	/* One unlock mail per lock window, however many failures. */
	assert_int_equal(unlock_mails(email), 1);
	char *tokens[4];
	assert_int_equal(maildir_tokens(email, "/connexion/deverrouiller?jeton=", 1, tokens, 4), 1);
	struct sess *mailbox = sess_new();
	char path[160];
	snprintf(path, sizeof(path), "/connexion/deverrouiller?jeton=%s", tokens[0]);
	assert_int_equal(sess_get(mailbox, path, &r), 0);
	assert_int_equal(r.status, 200);
	char *csrf = html_input_value(r.body, "csrf");
	assert_non_null(csrf);
	http_reply_free(&r);
	char body[160];
	snprintf(body, sizeof(body), "csrf=%s&jeton=%s", csrf, tokens[0]);
	assert_int_equal(sess_post(mailbox, "/connexion/deverrouiller", body, &r), 0);
	assert_int_equal(r.status, 303);
	char *location = http_header(&r, "Location");
	assert_string_equal(location, "/connexion?info=deverrouille");
	free(location);
	http_reply_free(&r);
	/* Single use. */
	assert_int_equal(sess_post(mailbox, "/connexion/deverrouiller", body, &r), 0);
	assert_int_equal(r.status, 404);
	http_reply_free(&r);
	/* The failures are gone: the next password is checked again. */
	assert_int_equal(try_login(&attacker, email, PASSWORD), 303);
	free(csrf);
	sess_free(mailbox);
	free(tokens[0]);
	client_close(&attacker);
	free(email);
}

/* Asserts that a login with retour (already URL-encoded) lands on
 * expected. */
static void assert_login_returns_to(const char *email, const char *retour, const char *expected)
{
	struct client c;
	client_open(&c, loopback_ip(3, 1));
	char extra[256];
	snprintf(extra, sizeof(extra), "&retour=%s", retour);
	struct http_reply r;
	post_login(&c, email, PASSWORD, extra, &r);
	assert_int_equal(r.status, 303);
	char *location = http_header(&r, "Location");
	assert_non_null(location);
	assert_string_equal(location, expected);
	free(location);
	http_reply_free(&r);
	client_close(&c);
}

/* /connexion?retour=/%09/evil.example/x used to send the browser to
 * "/\t/evil.example/x", which it reads as //evil.example/x. */
static void return_path_stays_on_the_site(void **state)
{
	(void)state;
	char *email = new_user("limits-return");
	struct http_reply r;
	assert_int_equal(http_get("/connexion?retour=/%09/evil.example/x", &r), 0);
	char *kept = html_input_value(r.body, "retour");
	assert_string_equal(kept, "/");
	free(kept);
	http_reply_free(&r);

	assert_login_returns_to(email, "%2Fpratiques%3Fpage%3D2", "/pratiques?page=2");
	assert_login_returns_to(email, "%2F%09%2Fevil.example%2Fx", "/");
	assert_login_returns_to(email, "%2F%5Cevil.example", "/");
	assert_login_returns_to(email, "%2F%2Fevil.example", "/");
	/* CR/LF: still a redirect with a Location, never a header split. */
	assert_login_returns_to(email, "%2Fx%0D%0ASet-Cookie%3A%20a%3Db", "/");
	assert_login_returns_to(email, "%2Fx%0Aevil", "/");
	free(email);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parallel_guesses_get_exactly_the_budget),
		cmocka_unit_test(soft_lock_spares_the_owner_and_mails_an_unlock_link),
		cmocka_unit_test(return_path_stays_on_the_site),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
