/* The account rules, without a database: passwords, sign-up checks,
 * throttle delays, session lifetimes, roles, purge cut-offs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "accounts/password.h"
#include "accounts/purge.h"
#include "accounts/roles.h"
#include "accounts/rules.h"
#include "accounts/session.h"
#include "accounts/throttle.h"
#include "accounts/user.h"
#include "app.h"
#include "core/arena.h"
#include "core/fold.h"

static void common_passwords_are_refused(void **state)
{
	(void)state;
	struct common_passwords *set = common_passwords_load(NULL);
	assert_true(common_passwords_contains(set, "azertyuiop"));
	assert_true(common_passwords_contains(set, "AZERTY2024!"));
	assert_true(common_passwords_contains(set, "MotDePasse123"));
	assert_false(common_passwords_contains(set, "la tour de guet du Lab"));
	assert_non_null(password_problem("short", NULL, set));
	assert_string_equal(password_problem("onze-chars!", NULL, set),
			    "Le mot de passe doit compter au moins 12 caractères.");
	/* Twelve characters, counted as characters, not bytes. */
	assert_null(password_problem("éléphantésqu", NULL, set));
	assert_non_null(password_problem("motdepasse123456", NULL, set));
	assert_non_null(password_problem("camille.martin@example.org",
					 "camille.martin@example.org", set));
	assert_null(password_problem("des pommes et des poires", "a@b.fr", set));
	common_passwords_free(set);
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
	struct common_passwords *set = common_passwords_load(NULL);
	struct field_error errors[RULES_MAX_ERRORS];
	struct signup ok = {"Camille Martin", "camille.martin@example.org", "caf-31",
			    "Communication", "des pommes et des poires"};
	assert_int_equal(signup_check(&ok, true, set, errors), 0);
	struct signup bad = {"Camille", "pas-une-adresse", "nulle-part", "x", "court"};
	assert_int_equal(signup_check(&bad, false, set, errors), 3);
	assert_string_equal(errors[0].field, "email");
	assert_string_equal(errors[1].field, "organisation");
	assert_string_equal(errors[2].field, "password");
	assert_true(email_plausible("prenom.nom@assurance-maladie.fr"));
	assert_false(email_plausible("a@b"));
	assert_false(email_plausible("a b@c.fr"));
	assert_false(email_plausible("a@@c.fr"));
	assert_false(email_plausible("@c.fr"));
	assert_false(email_plausible("a@c..fr"));
	common_passwords_free(set);
}

static void throttle_delays_grow_and_cap(void **state)
{
	(void)state;
	assert_int_equal(throttle_delay_s(0, 5), 0);
	assert_int_equal(throttle_delay_s(4, 5), 0);
	assert_int_equal(throttle_delay_s(5, 5), 1);
	assert_int_equal(throttle_delay_s(6, 5), 2);
	assert_int_equal(throttle_delay_s(9, 5), 16);
	assert_int_equal(throttle_delay_s(30, 5), THROTTLE_MAX_WAIT_S);
	assert_int_equal(throttle_delay_s(INT64_MAX, 5), THROTTLE_MAX_WAIT_S);
	assert_false(throttle_window_over(1000000, 1000000 + 900000));
	assert_true(throttle_window_over(1000000, 1000000 + 900001));
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
	bson_t *doc = BCON_NEW("roles", "[", "{", "role", BCON_UTF8("agent"), "}", "{",
			       "role", BCON_UTF8("juror"), "edition", BCON_UTF8("2026"), "}",
			       "]");
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
		cmocka_unit_test(throttle_delays_grow_and_cap),
		cmocka_unit_test(sessions_expire_when_idle_or_old),
		cmocka_unit_test(roles_and_admin),
		cmocka_unit_test(roles_edit_keeps_scopes),
		cmocka_unit_test(purge_cutoffs),
		cmocka_unit_test(folding_ignores_case_and_accents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
