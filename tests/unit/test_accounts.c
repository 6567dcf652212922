/* The account rules, without a database: passwords, sign-up checks,
 * throttle windows, return paths after login, the password gate,
 * session lifetimes, roles, purge cut-offs. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "accounts/password.h"
#include "accounts/password_gate.h"
#include "accounts/purge.h"
#include "accounts/roles.h"
#include "accounts/rules.h"
#include "accounts/session.h"
#include "accounts/throttle.h"
#include "accounts/user.h"
#include "core/app.h"
#include "core/arena.h"
#include "core/fold.h"
#include "core/token.h"

static void common_passwords_are_refused(void **state)
{
	(void)state;
	struct common_passwords *set = password_common_load(NULL);
	assert_true(password_common_contains(set, "azertyuiop"));
	assert_true(password_common_contains(set, "AZERTY2024!"));
	assert_true(password_common_contains(set, "MotDePasse123"));
	assert_false(password_common_contains(set, "la tour de guet du Lab"));
	assert_non_null(password_problem("short", NULL, set));
	assert_string_equal(password_problem("onze-chars!", NULL, set),
			    "Le mot de passe doit compter au moins 12 caractères.");
	/* Twelve characters, counted as characters, not bytes. */
	assert_null(password_problem("éléphantésqu", NULL, set));
	assert_non_null(password_problem("motdepasse123456", NULL, set));
	assert_non_null(
		password_problem("camille.martin@example.org", "camille.martin@example.org", set));
	assert_null(password_problem("des pommes et des poires", "a@b.fr", set));
	password_common_free(set);
}

static void hashes_verify_and_differ(void **state)
{
	(void)state;
	char a[crypto_pwhash_STRBYTES], b[crypto_pwhash_STRBYTES];
	assert_int_equal(password_hash("des pommes et des poires", a), 0);
	assert_int_equal(password_hash("des pommes et des poires", b), 0);
	assert_string_not_equal(a, b);
	assert_non_null(strstr(a, "$argon2id$"));
	assert_true(password_verify(a, "des pommes et des poires"));
	assert_false(password_verify(a, "des pommes et des poires!"));
	assert_false(password_verify(NULL, "x"));
}

static void signup_rules(void **state)
{
	(void)state;
	struct common_passwords *set = password_common_load(NULL);
	struct field_error errors[ACCOUNT_RULES_MAX_ERRORS];
	struct account_signup ok = {"Camille Martin", "camille.martin@example.org", "caf-31",
				    "Communication", "des pommes et des poires"};
	assert_int_equal(account_signup_check(&ok, true, set, errors), 0);
	struct account_signup bad = {"Camille", "pas-une-adresse", "nulle-part", "x", "court"};
	assert_int_equal(account_signup_check(&bad, false, set, errors), 3);
	assert_string_equal(errors[0].field, "email");
	assert_string_equal(errors[1].field, "organisation");
	assert_string_equal(errors[2].field, "password");
	assert_true(account_email_plausible("prenom.nom@assurance-maladie.fr"));
	assert_false(account_email_plausible("a@b"));
	assert_false(account_email_plausible("a b@c.fr"));
	assert_false(account_email_plausible("a@@c.fr"));
	assert_false(account_email_plausible("@c.fr"));
	assert_false(account_email_plausible("a@c..fr"));
	password_common_free(set);
}

static void throttle_windows_and_slots(void **state)
{
	(void)state;
	/* 900 s windows: [900000, 1800000) ms is window 1. */
	assert_int_equal(throttle_window(899999, 900), 0);
	assert_int_equal(throttle_window(900000, 900), 1);
	assert_int_equal(throttle_retry_after_s(1000000, 900), 800);
	assert_int_equal(throttle_retry_after_s(1799999, 900), 1);
	assert_int_equal(throttle_retry_after_s(1800000, 900), 900);
	struct arena *a = arena_new();
	assert_string_equal(throttle_slot_id(a, "login:ip:192.0.2.1", 1, 3),
			    "login:ip:192.0.2.1:1:3");
	/* Addresses never appear in keys, only their hash. */
	const char *key = throttle_key_hashed(a, "signup:address", "zoe@example.org");
	assert_null(strstr(key, "zoe"));
	assert_int_equal(strlen(key), strlen("signup:address:") + 64);
	arena_free(a);
	char text[32];
	account_wait_text_fr(1, text, sizeof(text));
	assert_string_equal(text, "1 seconde");
	account_wait_text_fr(42, text, sizeof(text));
	assert_string_equal(text, "42 secondes");
	account_wait_text_fr(800, text, sizeof(text));
	assert_string_equal(text, "14 minutes");
}

static void login_returns_only_to_local_paths(void **state)
{
	(void)state;
	assert_string_equal(account_login_return_path("/pratiques?theme=x&page=2"),
			    "/pratiques?theme=x&page=2");
	assert_string_equal(account_login_return_path("/compte"), "/compte");
	assert_string_equal(account_login_return_path("/pratiques/caf%2031"),
			    "/pratiques/caf%2031");
	static const char *const refused[] = {
		NULL,
		"",
		"https://evil.example/",
		"evil.example",
		"//evil.example/x",
		"/\\evil.example",
		"/a\\b",
		"/\t/evil.example/x",
		"/x\r\nSet-Cookie: a=b",
		"/\n/evil.example",
		"/a b",
		"/\x7f",
		"/caf\xc3\xa9",
		"/\xc2\x85x",
		"/\xe2\x80\xae/x",
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++)
		assert_string_equal(account_login_return_path(refused[i]), "/");
}

/* Gives back, 100 ms from now, the slot the test holds in gate arg. */
static void *leave_later(void *arg)
{
	usleep(100 * 1000);
	password_gate_leave(arg);
	return NULL;
}

static void password_gate_bounds_argon2_work(void **state)
{
	(void)state;
	/* A quarter of the workers hash, half wait: a quarter stay free. */
	assert_int_equal(password_gate_slots(1), 1);
	assert_int_equal(password_gate_queue(1), 0);
	assert_int_equal(password_gate_slots(8), 2);
	assert_int_equal(password_gate_queue(8), 4);
	assert_int_equal(password_gate_slots(32), 8);
	for (int t = 2; t <= 64; t++)
		assert_true(password_gate_slots(t) + password_gate_queue(t) < t);

	/* Full, with no room to wait: refused at once. */
	struct password_gate *g = password_gate_new(1, 0, 60000);
	assert_true(password_gate_enter(g));
	assert_false(password_gate_enter(g));
	password_gate_leave(g);
	assert_true(password_gate_enter(g));
	password_gate_leave(g);
	password_gate_free(g);

	/* Full, one may wait: it gets the slot when the holder leaves. */
	g = password_gate_new(1, 1, 60000);
	assert_true(password_gate_enter(g));
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, leave_later, g), 0);
	assert_true(password_gate_enter(g));
	pthread_join(t, NULL);
	password_gate_leave(g);
	password_gate_free(g);

	/* Full past the wait: refused, not blocked forever. */
	g = password_gate_new(1, 1, 50);
	assert_true(password_gate_enter(g));
	assert_false(password_gate_enter(g));
	password_gate_leave(g);
	password_gate_free(g);
	/* Command-line tools have no gate. */
	assert_true(password_gate_enter(NULL));
	password_gate_leave(NULL);
}

static void password_change_voids_earlier_credentials(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	bson_t *doc = BCON_NEW("_id", BCON_UTF8("u1"), "email", BCON_UTF8("a@b.fr"));
	struct user *never = user_from_doc(a, doc);
	assert_true(user_credential_current(never, 1));
	bson_destroy(doc);
	doc = BCON_NEW("_id", BCON_UTF8("u1"), "credentials_changed_at", BCON_DATE_TIME(5000));
	struct user *changed = user_from_doc(a, doc);
	assert_false(user_credential_current(changed, 4999));
	assert_false(user_credential_current(changed, 5000));
	assert_true(user_credential_current(changed, 5001));
	bson_destroy(doc);
	arena_free(a);
}

static void sessions_expire_when_idle_or_old(void **state)
{
	(void)state;
	int64_t t0 = 1000000;
	assert_false(session_expired(t0, t0, t0 + 1000, 60, 3600));
	assert_true(session_expired(t0, t0, t0 + 61000, 60, 3600));
	/* Active all along, still ends at the absolute limit. */
	assert_false(session_expired(t0, t0 + 3599000, t0 + 3600000, 60, 3600));
	assert_true(session_expired(t0, t0 + 3600000, t0 + 3601000, 60, 3600));
	struct arena *a = arena_new();
	const char *t1 = token_new(a, ""), *t2 = token_new(a, "csl_");
	assert_int_equal(strlen(t1), 32);
	assert_int_equal(strlen(t2), 36);
	assert_string_not_equal(t1, t2 + 4);
	assert_int_equal(strlen(token_hash(a, t1)), 64);
	assert_string_equal(token_hash(a, t1), token_hash(a, t1));
	arena_free(a);
}

static void roles_and_admin(void **state)
{
	(void)state;
	struct user agent = {.status = "active", .roles = 1u << ROLE_AGENT};
	struct user admin = {.status = "active", .roles = 1u << ROLE_ADMIN};
	struct user off = {.status = "deactivated", .roles = 1u << ROLE_ADMIN};
	assert_true(user_has_role(NULL, ROLE_PUBLIC));
	assert_false(user_has_role(NULL, ROLE_AGENT));
	assert_true(user_has_role(&agent, ROLE_AGENT));
	assert_false(user_has_role(&agent, ROLE_COORDINATOR));
	assert_true(user_has_role(&admin, ROLE_JUROR));
	assert_false(user_has_role(&off, ROLE_AGENT));
	assert_int_equal(role_from_name("grand_juror"), ROLE_GRAND_JUROR);
	assert_int_equal(role_from_name("public"), -1);
	assert_int_equal(role_from_name("$gt"), -1);
}

static void roles_edit_keeps_scopes(void **state)
{
	(void)state;
	bson_t *doc = BCON_NEW("roles", "[", "{", "role", BCON_UTF8("agent"), "}", "{", "role",
			       BCON_UTF8("juror"), "edition", BCON_UTF8("2026"), "}", "]");
	bson_t *out = bson_new();
	user_roles_edit(doc, out, "roles", ROLE_COORDINATOR, NULL, true);
	char *json = bson_as_relaxed_extended_json(out, NULL);
	assert_non_null(strstr(json, "\"edition\" : \"2026\""));
	assert_non_null(strstr(json, "coordinator"));
	bson_free(json);
	bson_t *removed = bson_new();
	user_roles_edit(doc, removed, "roles", ROLE_JUROR, NULL, false);
	json = bson_as_relaxed_extended_json(removed, NULL);
	assert_null(strstr(json, "juror"));
	assert_non_null(strstr(json, "agent"));
	bson_free(json);
	bson_destroy(removed);
	bson_destroy(out);
	bson_destroy(doc);
}

static void purge_cutoffs(void **state)
{
	(void)state;
	struct config cfg = {.session_idle_s = 60, .session_absolute_s = 3600};
	struct purge_cutoffs c = purge_cutoffs_at(&cfg, 10000000);
	assert_int_equal(c.session_seen_before, 10000000 - 60000);
	assert_int_equal(c.session_created_before, 10000000 - 3600000);
	assert_int_equal(c.token_expired_before, 10000000);
	assert_int_equal(c.link_claim_before, 10000000 - 72LL * 3600000);
}

static void folding_ignores_case_and_accents(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	assert_string_equal(text_fold(a, "Télétravail"), "teletravail");
	assert_string_equal(text_fold(a, "ÉLÈVE Œuvre Ça"), "eleve oeuvre ca");
	assert_string_equal(text_fold(a, "l’Île-de-France"), "l'ile-de-france");
	assert_string_equal(text_fold(a, "日本"), "日本");
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(common_passwords_are_refused),
		cmocka_unit_test(hashes_verify_and_differ),
		cmocka_unit_test(signup_rules),
		cmocka_unit_test(throttle_windows_and_slots),
		cmocka_unit_test(login_returns_only_to_local_paths),
		cmocka_unit_test(password_gate_bounds_argon2_work),
		cmocka_unit_test(password_change_voids_earlier_credentials),
		cmocka_unit_test(sessions_expire_when_idle_or_old),
		cmocka_unit_test(roles_and_admin),
		cmocka_unit_test(roles_edit_keeps_scopes),
		cmocka_unit_test(purge_cutoffs),
		cmocka_unit_test(folding_ignores_case_and_accents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
