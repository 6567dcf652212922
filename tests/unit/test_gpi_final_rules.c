/* The finalists and prizes as pure rules (gpi/final_rules.h): the count
 * of article 6.2, prizes only to finalists and one each, the coup de
 * cœur and special prize, the Gold endowment of article 9, the 30-day
 * warning. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "gpi/desk_rules.h"
#include "gpi/final_rules.h"
#include "gpi/results.h"

/* Index rows of one category: a..e recevable, x irrecevable, d a draft. */
static json_t *rows(void)
{
	return json_pack("[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}, {s:s, s:s}, {s:s, s:s}, {s:s, s:s}, "
			 "{s:s, s:s}]",
			 "id", "a", "status", "recevable", "id", "b", "status", "recevable", "id",
			 "c", "status", "finaliste", "id", "e", "status", "non-retenue", "id", "f",
			 "status", "recevable", "id", "x", "status", "irrecevable", "id", "d",
			 "status", "brouillon");
}

static int check(const json_t *r, const char *ids_json)
{
	json_t *ids = json_loads(ids_json, 0, NULL);
	struct field_error err = {0};
	int rc = gpi_finalists_check(r, ids, &err);
	if (rc)
		assert_string_equal(err.field, "candidature_ids");
	json_decref(ids);
	return rc;
}

static void test_exactly_three_finalists_from_the_pool(void **state)
{
	(void)state;
	json_t *r = rows();
	assert_int_equal(check(r, "[\"a\", \"b\", \"c\"]"), 0);
	assert_int_equal(check(r, "[\"a\", \"e\", \"f\"]"), 0); /* a correction */
	assert_int_equal(check(r, "[\"a\", \"b\"]"), 1);
	assert_int_equal(check(r, "[\"a\", \"b\", \"c\", \"f\"]"), 1);
	assert_int_equal(check(r, "[\"a\", \"b\", \"x\"]"), 1); /* irrecevable */
	assert_int_equal(check(r, "[\"a\", \"b\", \"d\"]"), 1); /* a draft */
	assert_int_equal(check(r, "[\"a\", \"b\", \"zz\"]"), 1); /* another category's */
	assert_int_equal(check(r, "[\"a\", \"a\", \"b\"]"), 1);
	assert_int_equal(check(r, "[\"a\", 3, \"b\"]"), 1);
	assert_int_equal(check(r, "{\"$gt\": \"\"}"), 1);
	json_decref(r);
}

static void test_fewer_than_three_admissible_are_all_finalists(void **state)
{
	(void)state;
	json_t *r = json_pack("[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}]", "id", "a", "status",
			      "recevable", "id", "b", "status", "recevable", "id", "x", "status",
			      "irrecevable");
	assert_int_equal(gpi_finalists_expected(2), 2);
	assert_int_equal(gpi_finalists_expected(7), 3);
	assert_int_equal(check(r, "[\"a\", \"b\"]"), 0);
	assert_int_equal(check(r, "[\"a\"]"), 1);
	assert_int_equal(check(r, "[\"a\", \"b\", \"x\"]"), 1);
	json_decref(r);
	json_t *none = json_pack("[{s:s, s:s}]", "id", "x", "status", "irrecevable");
	assert_int_equal(check(none, "[]"), 1);
	json_decref(none);
}

static void test_prizes_go_to_distinct_finalists(void **state)
{
	(void)state;
	json_t *s = json_pack("{s:[s, s, s]}", "finalists", "a", "b", "c");
	struct field_error errs[GPI_CATEGORY_PRIZES];
	const char *ok[] = {"b", "a", "c"};
	assert_int_equal(gpi_awards_check(s, ok, errs), 0);
	const char *partial[] = {"a", "", NULL};
	assert_int_equal(gpi_awards_check(s, partial, errs), 0);
	const char *twice[] = {"a", "a", "c"};
	assert_int_equal(gpi_awards_check(s, twice, errs), 1);
	assert_string_equal(errs[0].field, "argent");
	const char *outsider[] = {"a", "b", "f"};
	assert_int_equal(gpi_awards_check(s, outsider, errs), 1);
	assert_string_equal(errs[0].field, "bronze");
	json_t *undecided = json_object();
	assert_int_equal(gpi_awards_check(undecided, ok, errs), 3);
	json_decref(undecided);
	json_decref(s);
}

static void test_coup_de_coeur_to_any_finalist_special_to_any_admissible(void **state)
{
	(void)state;
	json_t *states = json_pack("[{s:[s, s, s]}, {s:[s]}, {}]", "finalists", "a", "b", "c",
				   "finalists", "k");
	struct field_error err, errs[2];
	assert_int_equal(gpi_coup_de_coeur_check(states, "k", &err), 0);
	assert_int_equal(gpi_coup_de_coeur_check(states, "", &err), 0); /* withdrawn */
	assert_int_equal(gpi_coup_de_coeur_check(states, "f", &err), 1);
	assert_string_equal(err.field, "candidature_id");
	json_t *r = rows();
	const json_t *f = json_array_get(r, 4), *x = json_array_get(r, 5);
	assert_int_equal(gpi_special_check("f", f, "Prix de l’audace", errs), 0);
	assert_int_equal(gpi_special_check("x", x, "Prix de l’audace", errs), 1);
	assert_string_equal(errs[0].field, "candidature_id");
	assert_int_equal(gpi_special_check("zz", NULL, "", errs), 2);
	assert_string_equal(errs[1].field, "title");
	assert_int_equal(gpi_special_check("", NULL, "", errs), 0);
	json_decref(r);
	json_decref(states);
}

static void test_gold_endowment_needs_its_stated_use(void **state)
{
	(void)state;
	json_t *e = json_pack("{s:i}", "gold_endowment_eur", 5000);
	json_t *stated = json_pack("{s:{s:b}}", "facts", "endowment_use", 1);
	json_t *silent = json_pack("{s:{s:b}}", "facts", "endowment_use", 0);
	struct gpi_endowment g = gpi_gold_endowment(e, stated);
	assert_int_equal(g.eur, 5000);
	assert_null(g.note);
	g = gpi_gold_endowment(e, silent);
	assert_int_equal(g.eur, 0);
	assert_non_null(strstr(g.note, "non attribuable"));
	assert_non_null(strstr(g.note, "article 9"));
	json_decref(e);
	json_decref(stated);
	json_decref(silent);
}

static void test_invitations_warn_under_thirty_days(void **state)
{
	(void)state;
	const int64_t day = 24LL * 3600 * 1000, audition = 1664748000000LL;
	assert_false(gpi_notice_late(audition - 30 * day, audition));
	assert_true(gpi_notice_late(audition - 30 * day + 1, audition));
	assert_true(gpi_notice_late(audition + day, audition));
}

static void test_prize_codes(void **state)
{
	(void)state;
	assert_string_equal(gpi_prize_code(GPI_PRIZE_COUP_DE_COEUR), "coup-de-coeur");
	assert_string_equal(gpi_prize_label(GPI_PRIZE_COUP_DE_COEUR), "Coup de cœur");
	assert_int_equal(gpi_prize_from("bronze"), GPI_PRIZE_BRONZE);
	assert_int_equal(gpi_prize_from("platine"), -1);
	assert_int_equal(gpi_prize_from(NULL), -1);
	json_t *s = json_pack("{s:{s:s}}", "awards", "or", "a");
	assert_string_equal(gpi_state_award(s, GPI_PRIZE_OR), "a");
	assert_null(gpi_state_award(s, GPI_PRIZE_ARGENT));
	assert_null(gpi_state_award(s, GPI_PRIZE_SPECIAL));
	json_decref(s);
	json_t *r = json_pack("{s:s, s:{s:s, s:s}}", "coup_de_coeur", "k", "special",
			      "candidature_id", "f", "title", "Prix de l’audace");
	assert_string_equal(gpi_results_award(r, GPI_PRIZE_COUP_DE_COEUR), "k");
	assert_string_equal(gpi_results_award(r, GPI_PRIZE_SPECIAL), "f");
	assert_string_equal(gpi_results_special_title(r), "Prix de l’audace");
	json_decref(r);
}

/* Once judged, the desk's decisions would undo the finalists' choice. */
static void test_the_desk_leaves_judged_candidatures_alone(void **state)
{
	(void)state;
	struct gpi_desk_when w = {.by_id = "sec", .now_ms = 1, .notification_start_ms = 2};
	struct gpi_admissibility d = {.when = w, .admissible = true};
	for (int i = 0; i < 2; i++) {
		json_t *c = json_pack("{s:s, s:s}", "status", i ? "non-retenue" : "finaliste",
				      "category", "rh");
		assert_int_equal(gpi_admissibility_apply(c, &d), GPI_DESK_JUDGED);
		assert_string_equal(json_string_value(json_object_get(c, "status")),
				    i ? "non-retenue" : "finaliste");
		assert_int_equal(gpi_desk_refusal(GPI_DESK_JUDGED)->status, 409);
		json_decref(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exactly_three_finalists_from_the_pool),
		cmocka_unit_test(test_fewer_than_three_admissible_are_all_finalists),
		cmocka_unit_test(test_prizes_go_to_distinct_finalists),
		cmocka_unit_test(test_coup_de_coeur_to_any_finalist_special_to_any_admissible),
		cmocka_unit_test(test_gold_endowment_needs_its_stated_use),
		cmocka_unit_test(test_invitations_warn_under_thirty_days),
		cmocka_unit_test(test_prize_codes),
		cmocka_unit_test(test_the_desk_leaves_judged_candidatures_alone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
