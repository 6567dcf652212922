/* The practice rules, without a database: field checks, workflow
 * transitions, who may do what, slugs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "accounts/user.h"
#include "core/arena.h"
#include "practices/practice.h"
#include "practices/quota.h"

/* ---- practice_check ---- */

static bool known_org(void *ctx, const char *code)
{
	(void)ctx;
	return strcmp(code, "caf-31") == 0 || strcmp(code, "cpam-31") == 0;
}

static bool known_theme(void *ctx, const char *code)
{
	(void)ctx;
	return strcmp(code, "rgpd") == 0 || strcmp(code, "formation") == 0;
}

static const struct practice_refs REFS = {known_org, known_theme, NULL};
static const char *const ORGS[] = {"caf-31"};
static const char *const THEMES[] = {"rgpd"};

static struct practice_input valid(void)
{
	return (struct practice_input){
		.title = "Accueil des nouveaux arrivants",
		.summary = "Un parcours.",
		.problem = "Des arrivées difficiles.",
		.description = "Trois **étapes**.",
		.results = "",
		.public_ = "",
		.maturity = "deployee",
		.contact = "",
		.organisations = ORGS,
		.n_organisations = 1,
		.themes = THEMES,
		.n_themes = 1,
	};
}

/* Returns the message of the only error on field, failing otherwise. */
static const char *only_error(const struct practice_input *in, const char *field)
{
	static struct field_error out[PRACTICE_MAX_ERRORS];
	size_t n = practice_check(in, &REFS, out);
	assert_int_equal(n, 1);
	assert_string_equal(out[0].field, field);
	return out[0].message;
}

static void a_complete_practice_passes(void **state)
{
	(void)state;
	struct field_error out[PRACTICE_MAX_ERRORS];
	struct practice_input in = valid();
	assert_int_equal(practice_check(&in, &REFS, out), 0);
	/* Optional: results, public, contact, branches. */
	in.results = in.public_ = in.contact = NULL;
	assert_int_equal(practice_check(&in, &REFS, out), 0);
	static const char *const BRANCHES[] = {"famille", "interbranche"};
	in.branches = BRANCHES;
	in.n_branches = 2;
	assert_int_equal(practice_check(&in, &REFS, out), 0);
	for (size_t i = 0; i < PRACTICE_MATURITIES_COUNT; i++) {
		in.maturity = PRACTICE_MATURITIES[i][0];
		assert_int_equal(practice_check(&in, &REFS, out), 0);
	}
}

static void required_fields_each_have_their_message(void **state)
{
	(void)state;
	static const char *const FIELDS[] = {"title", "summary", "problem", "description",
					     "maturity"};
	for (size_t i = 0; i < sizeof(FIELDS) / sizeof(*FIELDS); i++) {
		struct practice_input in = valid();
		const char **slot[] = {&in.title, &in.summary, &in.problem, &in.description,
				       &in.maturity};
		*slot[i] = "";
		assert_non_null(only_error(&in, FIELDS[i]));
		*slot[i] = NULL;
		assert_non_null(only_error(&in, FIELDS[i]));
	}
	struct practice_input in = valid();
	in.n_organisations = 0;
	assert_non_null(strstr(only_error(&in, "organisation_ids"), "au moins un organisme"));
	in = valid();
	in.n_themes = 0;
	assert_non_null(strstr(only_error(&in, "themes"), "au moins une thématique"));
}

static void codes_must_be_known_and_distinct(void **state)
{
	(void)state;
	struct practice_input in = valid();
	in.maturity = "bof";
	assert_non_null(strstr(only_error(&in, "maturity"), "dans la liste"));

	static const char *const UNKNOWN[] = {"caf-31", "nulle-part"};
	in = valid();
	in.organisations = UNKNOWN;
	in.n_organisations = 2;
	assert_non_null(strstr(only_error(&in, "organisation_ids"), "dans la liste"));

	static const char *const TWICE[] = {"rgpd", "rgpd"};
	in = valid();
	in.themes = TWICE;
	in.n_themes = 2;
	assert_non_null(strstr(only_error(&in, "themes"), "deux fois"));

	static const char *const BRANCH[] = {"spatiale"};
	in = valid();
	in.branches = BRANCH;
	in.n_branches = 1;
	assert_non_null(strstr(only_error(&in, "branches"), "dans la liste"));

	/* An operator is just an unknown code: it never reaches a query. */
	static const char *const OPERATOR[] = {"$gt"};
	in = valid();
	in.themes = OPERATOR;
	assert_non_null(only_error(&in, "themes"));
}

static void lists_hold_at_most_twenty(void **state)
{
	(void)state;
	const char *many[PRACTICE_MAX_LIST_ITEMS + 1];
	for (size_t i = 0; i <= PRACTICE_MAX_LIST_ITEMS; i++)
		many[i] = "rgpd";
	struct practice_input in = valid();
	in.themes = many;
	in.n_themes = PRACTICE_MAX_LIST_ITEMS + 1;
	assert_non_null(strstr(only_error(&in, "themes"), "au plus 20"));
}

static void every_error_is_reported_at_once(void **state)
{
	(void)state;
	struct practice_input in = {0};
	struct field_error out[PRACTICE_MAX_ERRORS];
	size_t n = practice_check(&in, &REFS, out);
	/* title, summary, problem, description, maturity, organisations, themes */
	assert_int_equal(n, 7);
}

/* ---- practice_transition ---- */

static void transitions_follow_the_workflow(void **state)
{
	(void)state;
	assert_int_equal(practice_transition(PRACTICE_DRAFT, PRACTICE_ACTION_SUBMIT),
			 PRACTICE_SUBMITTED);
	assert_int_equal(practice_transition(PRACTICE_RETURNED, PRACTICE_ACTION_SUBMIT),
			 PRACTICE_SUBMITTED);
	assert_int_equal(practice_transition(PRACTICE_SUBMITTED, PRACTICE_ACTION_PUBLISH),
			 PRACTICE_PUBLISHED);
	assert_int_equal(practice_transition(PRACTICE_SUBMITTED, PRACTICE_ACTION_RETURN),
			 PRACTICE_RETURNED);
	assert_int_equal(practice_transition(PRACTICE_SUBMITTED, PRACTICE_ACTION_ARCHIVE),
			 PRACTICE_ARCHIVED);
	assert_int_equal(practice_transition(PRACTICE_PUBLISHED, PRACTICE_ACTION_ARCHIVE),
			 PRACTICE_ARCHIVED);
	/* Editing keeps the status. */
	for (int s = PRACTICE_DRAFT; s < PRACTICE_ARCHIVED; s++)
		assert_int_equal(practice_transition((enum practice_status)s, PRACTICE_ACTION_EDIT),
				 s);

	/* And nothing else. */
	assert_int_equal(practice_transition(PRACTICE_DRAFT, PRACTICE_ACTION_PUBLISH), -1);
	assert_int_equal(practice_transition(PRACTICE_DRAFT, PRACTICE_ACTION_RETURN), -1);
	assert_int_equal(practice_transition(PRACTICE_DRAFT, PRACTICE_ACTION_ARCHIVE), -1);
	assert_int_equal(practice_transition(PRACTICE_SUBMITTED, PRACTICE_ACTION_SUBMIT), -1);
	assert_int_equal(practice_transition(PRACTICE_PUBLISHED, PRACTICE_ACTION_PUBLISH), -1);
	assert_int_equal(practice_transition(PRACTICE_PUBLISHED, PRACTICE_ACTION_SUBMIT), -1);
	assert_int_equal(practice_transition(PRACTICE_PUBLISHED, PRACTICE_ACTION_RETURN), -1);
	assert_int_equal(practice_transition(PRACTICE_RETURNED, PRACTICE_ACTION_PUBLISH), -1);
	for (int a = PRACTICE_ACTION_EDIT; a < PRACTICE_ACTION_COUNT; a++)
		assert_int_equal(practice_transition(PRACTICE_ARCHIVED, (enum practice_action)a),
				 -1);
}

/* ---- practice_allowed ---- */

static struct user person(const char *id, unsigned roles)
{
	return (struct user){.id = id, .status = "active", .roles = roles};
}

static void published_practices_are_for_everyone_the_rest_for_author_and_coordination(void **state)
{
	(void)state;
	struct user author = person("a", 0), other = person("b", 0);
	struct user coord = person("c", 1u << ROLE_COORDINATOR);
	struct user admin = person("d", 1u << ROLE_ADMIN);
	struct user gone = author;
	gone.status = "deactivated";
	assert_true(practice_allowed(NULL, "a", PRACTICE_PUBLISHED, PRACTICE_VIEW));
	assert_true(practice_allowed(&other, "a", PRACTICE_PUBLISHED, PRACTICE_VIEW));
	for (int s = 0; s < PRACTICE_STATUS_COUNT; s++) {
		if (s == PRACTICE_PUBLISHED)
			continue;
		enum practice_status st = (enum practice_status)s;
		assert_false(practice_allowed(NULL, "a", st, PRACTICE_VIEW));
		assert_false(practice_allowed(&other, "a", st, PRACTICE_VIEW));
		assert_false(practice_allowed(&gone, "a", st, PRACTICE_VIEW));
		assert_true(practice_allowed(&author, "a", st, PRACTICE_VIEW));
		assert_true(practice_allowed(&coord, "a", st, PRACTICE_VIEW));
		assert_true(practice_allowed(&admin, "a", st, PRACTICE_VIEW));
	}
	/* No author id never matches a user without one. */
	struct user anonymous_id = person(NULL, 0);
	assert_false(practice_allowed(&anonymous_id, NULL, PRACTICE_DRAFT, PRACTICE_VIEW));
}

static void only_coordinators_publish_return_and_archive(void **state)
{
	(void)state;
	struct user author = person("a", 0), other = person("b", 0);
	struct user coord = person("c", 1u << ROLE_COORDINATOR);
	struct user juror = person("j", 1u << ROLE_JUROR);
	const enum practice_action CURATION[] = {PRACTICE_ACTION_PUBLISH, PRACTICE_ACTION_RETURN,
						 PRACTICE_ACTION_ARCHIVE};
	for (size_t i = 0; i < 3; i++) {
		assert_false(practice_allowed(&author, "a", PRACTICE_SUBMITTED, CURATION[i]));
		assert_false(practice_allowed(&juror, "a", PRACTICE_SUBMITTED, CURATION[i]));
		assert_false(practice_allowed(NULL, "a", PRACTICE_SUBMITTED, CURATION[i]));
		assert_true(practice_allowed(&coord, "a", PRACTICE_SUBMITTED, CURATION[i]));
	}
	assert_true(practice_allowed(&author, "a", PRACTICE_DRAFT, PRACTICE_ACTION_SUBMIT));
	assert_true(practice_allowed(&coord, "a", PRACTICE_DRAFT, PRACTICE_ACTION_SUBMIT));
	assert_false(practice_allowed(&other, "a", PRACTICE_DRAFT, PRACTICE_ACTION_SUBMIT));
}

static void authors_edit_until_publication(void **state)
{
	(void)state;
	struct user author = person("a", 0), other = person("b", 0);
	struct user coord = person("c", 1u << ROLE_COORDINATOR);
	assert_true(practice_allowed(&author, "a", PRACTICE_DRAFT, PRACTICE_ACTION_EDIT));
	assert_true(practice_allowed(&author, "a", PRACTICE_SUBMITTED, PRACTICE_ACTION_EDIT));
	assert_true(practice_allowed(&author, "a", PRACTICE_RETURNED, PRACTICE_ACTION_EDIT));
	assert_false(practice_allowed(&author, "a", PRACTICE_PUBLISHED, PRACTICE_ACTION_EDIT));
	assert_false(practice_allowed(&other, "a", PRACTICE_DRAFT, PRACTICE_ACTION_EDIT));
	assert_false(practice_allowed(NULL, "a", PRACTICE_PUBLISHED, PRACTICE_ACTION_EDIT));
	assert_true(practice_allowed(&coord, "a", PRACTICE_PUBLISHED, PRACTICE_ACTION_EDIT));
}

/* ---- practice_slugify ---- */

static void slugs_are_short_ascii_words(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	assert_string_equal(practice_slugify(a, "Télétravail : la charte à l'essai !"),
			    "teletravail-la-charte-a-l-essai");
	assert_string_equal(practice_slugify(a, "  Cœur   de   métier  "), "coeur-de-metier");
	assert_string_equal(practice_slugify(a, "<script>alert(1)</script>"),
			    "script-alert-1-script");
	assert_string_equal(practice_slugify(a, "!!!"), "pratique");
	assert_string_equal(practice_slugify(a, ""), "pratique");
	char title[400];
	memset(title, 'a', sizeof(title) - 1);
	title[sizeof(title) - 1] = '\0';
	for (size_t i = 5; i < sizeof(title) - 1; i += 6)
		title[i] = ' ';
	const char *slug = practice_slugify(a, title);
	assert_true(strlen(slug) <= 80);
	assert_true(slug[strlen(slug) - 1] != '-');
	for (const char *p = slug; *p; p++)
		assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-');
	arena_free(a);
}

static void quotas_take_up_to_their_limit_and_always_give_back(void **state)
{
	(void)state;
	const int64_t mo = 1024 * 1024;
	struct quota_totals t = {19, 1024 * mo - 10};
	/* The twentieth practice in progress fits, not the twenty-first. */
	assert_true(quota_fits(&t, 1, 0));
	t.drafts = 20;
	assert_false(quota_fits(&t, 1, 0));
	/* Bytes: up to exactly 1024 Mo, Mo being 1024 × 1024 bytes. */
	assert_true(quota_fits(&t, 0, 10));
	assert_false(quota_fits(&t, 0, 11));
	assert_int_equal(PRACTICE_QUOTA_BYTES, 1073741824);
	/* Giving back always fits, even over a limit lowered since. */
	t = (struct quota_totals){25, 2000 * mo};
	assert_true(quota_fits(&t, -1, 0));
	assert_true(quota_fits(&t, 0, -mo));
	assert_true(quota_fits(&t, 0, 0));
	/* One dimension full does not block the other's give-back. */
	assert_true(quota_fits(&t, -1, -mo));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_complete_practice_passes),
		cmocka_unit_test(required_fields_each_have_their_message),
		cmocka_unit_test(codes_must_be_known_and_distinct),
		cmocka_unit_test(lists_hold_at_most_twenty),
		cmocka_unit_test(every_error_is_reported_at_once),
		cmocka_unit_test(transitions_follow_the_workflow),
		cmocka_unit_test(
			published_practices_are_for_everyone_the_rest_for_author_and_coordination),
		cmocka_unit_test(only_coordinators_publish_return_and_archive),
		cmocka_unit_test(authors_edit_until_publication),
		cmocka_unit_test(slugs_are_short_ascii_words),
		cmocka_unit_test(quotas_take_up_to_their_limit_and_always_give_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
