/* Sessions and accounts cached in each app process: a logout, a
 * deactivation or a role removal made through one process takes effect
 * in another within a second. The second process is a private app
 * instance on its own socket, on the same database. Also: the bound on
 * sessions per account, and the migration step that gives accounts made
 * before the lookup documents theirs. */
#include <mongoc/mongoc.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "accounts/backfill.h"
#include "support.h"

static const char PASSWORD[] = "phrase de passe du cache des comptes";

/* An account signed in through nginx (the stack's app process). */
struct account {
	char *email;
	char *id;
	struct sess *s;
	char cookie[256]; /* "HTTP_COOKIE=sid=…; csrf=…" for the other process */
};

static void account_new(struct account *a, const char *tag, const char *role)
{
	a->email = unique_email(tag);
	assert_int_equal(cli_user_add(a->email, "Compte du cache", role, PASSWORD), 0);
	a->s = sess_new();
	assert_int_equal(sess_login(a->s, a->email, PASSWORD), 303);
	a->id = sess_user_id(a->s);
	char *sid = sess_cookie(a->s, "sid");
	assert_non_null(sid);
	snprintf(a->cookie, sizeof(a->cookie), "HTTP_COOKIE=sid=%s", sid);
	free(sid);
}

static void account_free(struct account *a)
{
	sess_free(a->s);
	free(a->email);
	free(a->id);
}

/* Returns the status of GET path on the other process with a's cookie. */
static long peer_status(struct fcgi_app *peer, const struct account *a, const char *path)
{
	const char *params[] = {a->cookie, "REMOTE_ADDR=127.0.0.1", NULL};
	struct http_reply r;
	assert_int_equal(fcgi_request(peer, "GET", path, params, NULL, NULL, 0, &r), 0);
	long status = r.status;
	http_reply_free(&r);
	return status;
}

/* Polls path on peer with a's cookie until it answers status; returns the
 * milliseconds since started, or -1 after 3 s. */
static long long peer_wait(struct fcgi_app *peer, const struct account *a, const char *path,
			   long status, long long started)
{
	while (now_ms() - started < 3000) {
		if (peer_status(peer, a, path) == status)
			return now_ms() - started;
		usleep(20 * 1000);
	}
	return -1;
}

/* Starts the other process and makes it read a's session and account. */
static void peer_start(struct fcgi_app *peer, const struct account *a, const char *path)
{
	assert_int_equal(fcgi_start(peer, "account-cache-peer", NULL), 0);
	/* Twice: the second answer comes from the copies the first kept. */
	assert_int_equal(peer_status(peer, a, path), 200);
	assert_int_equal(peer_status(peer, a, path), 200);
}

static void logout_reaches_every_process_within_a_second(void **state)
{
	(void)state;
	struct account a;
	account_new(&a, "cache-logout", NULL);
	struct fcgi_app peer;
	peer_start(&peer, &a, "/compte");
	struct http_reply r;
	sess_post_form(a.s, "/compte", "/deconnexion", &r, NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	long long took = peer_wait(&peer, &a, "/compte", 302, now_ms());
	print_message("the other process refused the cookie after %lld ms\n", took);
	assert_true(took >= 0 && took <= 1000);
	assert_int_equal(fcgi_stop(&peer), 0);
	account_free(&a);
}

static void deactivation_reaches_every_process_within_a_second(void **state)
{
	(void)state;
	struct account a, admin;
	account_new(&a, "cache-deactivated", NULL);
	account_new(&admin, "cache-admin", "admin");
	struct fcgi_app peer;
	peer_start(&peer, &a, "/compte");
	char path[128];
	snprintf(path, sizeof(path), "/admin/utilisateurs/%s/desactiver", a.id);
	struct http_reply r;
	sess_post_form(admin.s, "/admin", path, &r, NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	long long took = peer_wait(&peer, &a, "/compte", 302, now_ms());
	print_message("the deactivated account was refused after %lld ms\n", took);
	assert_true(took >= 0 && took <= 1000);
	assert_int_equal(fcgi_stop(&peer), 0);
	account_free(&admin);
	account_free(&a);
}

static void role_removal_reaches_every_process_within_a_second(void **state)
{
	(void)state;
	struct account a, admin;
	account_new(&a, "cache-role", "admin");
	account_new(&admin, "cache-admin", "admin");
	struct fcgi_app peer;
	peer_start(&peer, &a, "/admin/utilisateurs");
	char path[128];
	snprintf(path, sizeof(path), "/admin/utilisateurs/%s/roles", a.id);
	struct http_reply r;
	sess_post_form(admin.s, "/admin", path, &r, "role", "admin", "action", "remove", NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	long long took = peer_wait(&peer, &a, "/admin/utilisateurs", 403, now_ms());
	print_message("the removed role was refused after %lld ms\n", took);
	assert_true(took >= 0 && took <= 1000);
	/* Still signed in, as an agent. */
	assert_int_equal(peer_status(&peer, &a, "/compte"), 200);
	assert_int_equal(fcgi_stop(&peer), 0);
	account_free(&admin);
	account_free(&a);
}

/* Counts the sessions /compte lists: one "Terminer" form each, and the
 * current one marked. */
static int sessions_listed(struct sess *s)
{
	struct http_reply r;
	assert_int_equal(sess_get(s, "/compte", &r), 0);
	assert_int_equal(r.status, 200);
	int n = 0;
	for (const char *p = strstr(r.body, "/compte/sessions/"); p;
	     p = strstr(p + 1, "/compte/sessions/"))
		n++;
	n += strstr(r.body, "Cette session") != NULL;
	http_reply_free(&r);
	return n;
}

static void the_oldest_session_ends_past_ten(void **state)
{
	(void)state;
	struct account a;
	account_new(&a, "cache-many", NULL);
	struct sess *others[10];
	for (int i = 0; i < 10; i++) {
		others[i] = sess_new();
		assert_int_equal(sess_login(others[i], a.email, PASSWORD), 303);
	}
	/* The first session (a.s) was the oldest of eleven: it ended. */
	struct http_reply r;
	assert_int_equal(sess_get(a.s, "/compte", &r), 0);
	assert_int_equal(r.status, 302);
	http_reply_free(&r);
	assert_int_equal(sess_get(others[0], "/compte", &r), 0);
	assert_int_equal(r.status, 200);
	http_reply_free(&r);
	assert_int_equal(sessions_listed(others[9]), 10);
	for (int i = 0; i < 10; i++)
		sess_free(others[i]);
	account_free(&a);
}

/* Inserts a session of user_id the way sessions were stored before the
 * lookup documents, and returns its cookie token (heap). */
static char *legacy_session(mongoc_database_t *db, const char *user_id)
{
	unsigned char raw[16], hash[crypto_hash_sha256_BYTES];
	char token[33], id[crypto_hash_sha256_BYTES * 2 + 1];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(token, sizeof(token), raw, sizeof(raw));
	crypto_hash_sha256(hash, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(id, sizeof(id), hash, sizeof(hash));
	int64_t now = (int64_t)time(NULL) * 1000;
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(id), "user_id", BCON_UTF8(user_id), "created_at",
			       BCON_DATE_TIME(now), "last_seen_at", BCON_DATE_TIME(now), "ip",
			       BCON_UTF8("127.0.0.1"));
	mongoc_collection_t *c = mongoc_database_get_collection(db, "sessions");
	bson_error_t error;
	assert_true(mongoc_collection_insert_one(c, doc, NULL, NULL, &error));
	mongoc_collection_destroy(c);
	bson_destroy(doc);
	return strdup(token);
}

static void the_migration_step_gives_old_accounts_their_lookups(void **state)
{
	(void)state;
	struct account a;
	account_new(&a, "cache-legacy", NULL);
	/* As it was before migration 0030: no claim, no lists. */
	char filter[256];
	snprintf(filter, sizeof(filter), "{\"_id\": \"%s\"}", a.email);
	assert_int_equal(mongo_delete("user_emails", filter), 1);
	snprintf(filter, sizeof(filter), "{\"_id\": \"%s\"}", a.id);
	assert_int_equal(mongo_delete("user_sessions", filter), 1);
	mongoc_client_t *client = mongoc_client_new(test_db_uri());
	mongoc_database_t *db = mongoc_client_get_database(client, "cousilab");
	char *token = legacy_session(db, a.id);
	struct sess *s = sess_new();
	assert_int_equal(sess_login(s, a.email, PASSWORD), 422);

	assert_int_equal(accounts_lookups_backfill(db), 0);
	assert_int_equal(accounts_lookups_backfill(db), 0);
	snprintf(filter, sizeof(filter), "{\"_id\": \"%s\", \"user_id\": \"%s\"}", a.email, a.id);
	assert_int_equal(mongo_count("user_emails", filter), 1);
	sess_set_cookie(s, "sid", token);
	struct http_reply r;
	assert_int_equal(sess_get(s, "/compte", &r), 0);
	assert_int_equal(r.status, 200);
	http_reply_free(&r);
	struct sess *again = sess_new();
	assert_int_equal(sess_login(again, a.email, PASSWORD), 303);
	sess_free(again);
	sess_free(s);
	free(token);
	mongoc_database_destroy(db);
	mongoc_client_destroy(client);
	account_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(logout_reaches_every_process_within_a_second),
		cmocka_unit_test(deactivation_reaches_every_process_within_a_second),
		cmocka_unit_test(role_removal_reaches_every_process_within_a_second),
		cmocka_unit_test(the_oldest_session_ends_past_ten),
		cmocka_unit_test(the_migration_step_gives_old_accounts_their_lookups),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
