/* The Grand Prix candidature's rules, without a database: every boundary
 * of the eligibility checks (deadline ±1 s, the window's first and last
 * day ±1, 199/200 characters of results, counted as characters) and what
 * the field validation keeps and refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "gpi/candidature_rules.h"

/* 2022: the deadline is Friday 1 April 2022 at 23:30 Paris. */
static const int64_t DEADLINE = 1648848600000; /* 2022-04-01T21:30:00Z */
static const struct gpi_window W2022 = {DEADLINE, "2019-01-01", "2021-12-31"};

static void deadline_is_the_last_accepted_instant(void **state)
{
	(void)state;
	assert_true(gpi_before_deadline(DEADLINE - 1, DEADLINE));
	assert_true(gpi_before_deadline(DEADLINE, DEADLINE));
	/* 23:30:00.999 is still 23:30:00 on the clock; 23:30:01 is late. */
	assert_true(gpi_before_deadline(DEADLINE + 999, DEADLINE));
	assert_false(gpi_before_deadline(DEADLINE + 1000, DEADLINE));
	assert_false(gpi_before_deadline(DEADLINE + 1001, DEADLINE));
}

static void window_is_inclusive_at_both_ends(void **state)
{
	(void)state;
	assert_false(gpi_in_window("2018-12-31", "2019-01-01", "2021-12-31"));
	assert_true(gpi_in_window("2019-01-01", "2019-01-01", "2021-12-31"));
	assert_true(gpi_in_window("2020-02-29", "2019-01-01", "2021-12-31"));
	assert_true(gpi_in_window("2021-12-31", "2019-01-01", "2021-12-31"));
	assert_false(gpi_in_window("2022-01-01", "2019-01-01", "2021-12-31"));
	/* Not dates at all. */
	assert_false(gpi_in_window("2021-02-29", "2019-01-01", "2021-12-31"));
	assert_false(gpi_in_window("2020-1-5", "2019-01-01", "2021-12-31"));
	assert_false(gpi_in_window("", "2019-01-01", "2021-12-31"));
	assert_false(gpi_in_window(NULL, "2019-01-01", "2021-12-31"));
}

/* Returns n repetitions of the UTF-8 character c (arena). */
static char *repeat(struct arena *a, const char *c, size_t n)
{
	size_t len = strlen(c);
	char *s = arena_alloc(a, len * n + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * len, c, len);
	return s;
}

static void results_count_characters_not_bytes(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	assert_false(gpi_results_ok(repeat(a, "é", 199), NULL));
	assert_true(gpi_results_ok(repeat(a, "é", 200), NULL));
	assert_false(gpi_results_ok(repeat(a, "x", 199), NULL));
	assert_true(gpi_results_ok(repeat(a, "x", 200), NULL));
	/* Spaces around the text do not count. */
	assert_false(gpi_results_ok(arena_printf(a, "   %s\n\n", repeat(a, "x", 199)), NULL));
	assert_false(gpi_results_ok(NULL, NULL));
	arena_free(a);
}

static void results_from_a_measured_indicator(void **state)
{
	(void)state;
	json_t *unmeasured = json_pack("[{s:s, s:n}]", "name", "Délai", "latest_value");
	json_t *measured = json_pack("[{s:s, s:n}, {s:s, s:f}]", "name", "Délai", "latest_value",
				     "name", "Appels", "latest_value", 0.0);
	assert_false(gpi_results_ok("", unmeasured));
	assert_true(gpi_results_ok("", measured));
	json_decref(unmeasured);
	json_decref(measured);
}

static const struct gpi_check_result *check(const struct gpi_check_result *r, const char *code)
{
	for (int i = 0; i < GPI_CHECK_COUNT; i++)
		if (strcmp(r[i].code, code) == 0)
			return &r[i];
	fail_msg("no check %s", code);
	return NULL;
}

static void eligibility_panel(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct gpi_check_result r[GPI_CHECK_COUNT];
	struct gpi_facts ok = {"2019-01-01", true, true, "", true};
	assert_true(gpi_eligibility(a, &ok, &W2022, DEADLINE, r));
	for (int i = 0; i < GPI_CHECK_COUNT; i++)
		assert_true(r[i].ok);
	assert_non_null(strstr(check(r, "deadline")->message, "vendredi 1er avril 2022 à 23 h 30"));

	/* One second late: only the deadline fails, and it blocks. */
	assert_false(gpi_eligibility(a, &ok, &W2022, DEADLINE + 1000, r));
	assert_false(check(r, "deadline")->ok);
	assert_true(check(r, "deadline")->blocking);
	assert_true(check(r, "window")->ok);

	/* The day before the window: eliminatory, and said with the dates. */
	struct gpi_facts early = ok;
	early.started_on = "2018-12-31";
	assert_false(gpi_eligibility(a, &early, &W2022, DEADLINE, r));
	assert_false(check(r, "window")->ok);
	assert_non_null(strstr(check(r, "window")->message, "1er janvier 2019"));
	assert_non_null(strstr(check(r, "window")->message, "31 décembre 2021"));

	/* No endowment use: a warning that does not block. */
	struct gpi_facts no_use = ok;
	no_use.endowment_use = false;
	assert_true(gpi_eligibility(a, &no_use, &W2022, DEADLINE, r));
	assert_false(check(r, "endowment_use")->ok);
	assert_false(check(r, "endowment_use")->blocking);
	assert_non_null(strstr(check(r, "endowment_use")->message, "article 9"));

	/* Missing fields are named. */
	struct gpi_facts incomplete = {"", false, false, "résumé, dossier PDF", true};
	assert_false(gpi_eligibility(a, &incomplete, &W2022, DEADLINE, r));
	assert_false(check(r, "complete")->ok);
	assert_non_null(strstr(check(r, "complete")->message, "résumé, dossier PDF"));
	assert_false(check(r, "results")->ok);
	assert_false(check(r, "completed")->ok);
	assert_false(check(r, "window")->ok);

	json_t *j = gpi_eligibility_json(r, false);
	assert_false(json_is_true(json_object_get(j, "eligible")));
	assert_int_equal(json_array_size(json_object_get(j, "checks")), GPI_CHECK_COUNT);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(j, "checks"), 0), "code")),
			    "deadline");
	json_decref(j);
	arena_free(a);
}

static void missing_fields(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	json_t *c = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
			      "s:[{s:s, s:s}]}",
			      "category", "rh", "title", "T", "summary", "S", "objectives", "O",
			      "actions", "A", "results", "R", "started_on", "2020-01-01", "costs",
			      "C", "savings", "E", "generalisation", "G", "interbranch", "I",
			      "impact", "P", "contacts", "name", "N", "email", "n@example.org");
	assert_string_equal(gpi_missing_fields(a, c, true), "");
	assert_string_equal(gpi_missing_fields(a, c, false), "dossier PDF");
	json_object_set_new(c, "summary", json_string("  \n"));
	json_object_set_new(c, "contacts", json_array());
	assert_string_equal(gpi_missing_fields(a, c, true), "résumé, personne à contacter");
	json_decref(c);
	arena_free(a);
}

static const struct gpi_field_error *error_of(const struct gpi_field_error *errs, size_t n,
					      const char *field)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(errs[i].field, field) == 0)
			return &errs[i];
	return NULL;
}

static void validation(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	json_t *cats = json_pack("[{s:s}, {s:s}]", "code", "rh", "code", "sociale");
	json_t *orgs = json_pack("{s:{}, s:{}}", "cpam-75", "urssaf-idf");
	struct gpi_validate_ctx ctx = {cats, orgs, "cpam-75"};
	struct gpi_field_error errs[GPI_FIELD_ERRORS_MAX];
	size_t n;

	json_t *body = json_pack(
		"{s:s, s:s, s:{s:s, s:s}, s:s, s:b, s:[s], s:[{s:s, s:s}], s:[{s:s, s:s}]}",
		"category", "rh", "title", "  Accueil sur rendez-vous ", "costs", "short", "10 k€",
		"long", "rien", "started_on", "2020-03-15", "completed", true,
		"partner_organisation_ids", "urssaf-idf", "contacts", "name", "Léa Martin", "email",
		"lea.martin@example.org", "people", "name", "Paul Durand", "role",
		"Chef de projet");
	json_t *out = gpi_candidature_validate(a, body, &ctx, false, errs, &n);
	assert_int_equal(n, 0);
	assert_string_equal(json_string_value(json_object_get(out, "title")),
			    "Accueil sur rendez-vous");
	assert_string_equal(json_string_value(json_object_get(out, "costs")),
			    "Court terme\u202f: 10 k€\n\nLong terme\u202f: rien");
	assert_string_equal(json_string_value(json_object_get(out, "summary")), "");
	json_t *person = json_array_get(json_object_get(out, "people"), 0);
	assert_int_equal(strlen(json_string_value(json_object_get(person, "id"))), 24);
	assert_false(json_is_true(json_object_get(person, "publication_withdrawn")));
	json_decref(out);
	json_decref(body);

	/* Refusals, each next to its field. */
	body = json_pack("{s:s, s:s, s:s, s:s, s:[s], s:[{s:s, s:s}], s:{}}", "category", "or",
			 "title", "", "started_on", "2021-02-29", "completed", "oui",
			 "partner_organisation_ids", "cpam-75", "contacts", "name", "X", "email",
			 "pas-une-adresse", "summary");
	out = gpi_candidature_validate(a, body, &ctx, false, errs, &n);
	assert_non_null(error_of(errs, n, "category"));
	assert_non_null(error_of(errs, n, "title"));
	assert_non_null(error_of(errs, n, "started_on"));
	assert_non_null(error_of(errs, n, "completed"));
	assert_non_null(strstr(error_of(errs, n, "partner_organisation_ids")->message,
			       "propre partenaire"));
	assert_non_null(error_of(errs, n, "contacts"));
	assert_non_null(error_of(errs, n, "summary"));
	json_decref(out);
	json_decref(body);

	/* A title of 150 characters passes, 151 do not. */
	body = json_pack("{s:s}", "title", repeat(a, "é", GPI_TITLE_MAX));
	out = gpi_candidature_validate(a, body, &ctx, true, errs, &n);
	assert_int_equal(n, 0);
	assert_null(json_object_get(out, "category")); /* partial: absent stays absent */
	json_decref(out);
	json_decref(body);
	body = json_pack("{s:s}", "title", repeat(a, "é", GPI_TITLE_MAX + 1));
	out = gpi_candidature_validate(a, body, &ctx, true, errs, &n);
	assert_non_null(error_of(errs, n, "title"));
	json_decref(out);
	json_decref(body);

	/* An operator object never becomes anything but a refused field. */
	body = json_pack("{s:{s:s}}", "objectives", "$gt", "");
	out = gpi_candidature_validate(a, body, &ctx, true, errs, &n);
	assert_non_null(error_of(errs, n, "objectives"));
	json_decref(out);
	json_decref(body);

	json_decref(cats);
	json_decref(orgs);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(deadline_is_the_last_accepted_instant),
		cmocka_unit_test(window_is_inclusive_at_both_ends),
		cmocka_unit_test(results_count_characters_not_bytes),
		cmocka_unit_test(results_from_a_measured_indicator),
		cmocka_unit_test(eligibility_panel),
		cmocka_unit_test(missing_fields),
		cmocka_unit_test(validation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
