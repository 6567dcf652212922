/* A juror's grid and a category's ranking as pure rules: scores 0 to 5,
 * a draft partial and a submission complete, the weighted total, and the
 * ranking's means, equal ranks, spread and disagreement flag. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "gpi/grid_rules.h"

/* The seven criteria of article 4; "interbranche" counts double here. */
static json_t *edition(void)
{
	static const char *const CODES[] = {"clarte-objectifs",    "resultats-mesurables",
					    "gestion-financiere",  "generalisation",
					    "interbranche",        "performance-notoriete",
					    "qualite-presentation"};
	json_t *criteria = json_array();
	for (size_t i = 0; i < 7; i++)
		json_array_append_new(criteria,
				      json_pack("{s:s, s:s, s:i}", "code", CODES[i], "label",
						CODES[i], "weight", i == 4 ? 2 : 1));
	return json_pack("{s:i, s:o}", "year", 2026, "criteria", criteria);
}

static void test_scores_are_integers_from_0_to_5(void **state)
{
	(void)state;
	assert_int_equal(gpi_grid_score_of_text("0"), 0);
	assert_int_equal(gpi_grid_score_of_text(" 5 "), 5);
	assert_int_equal(gpi_grid_score_of_text(""), GPI_SCORE_BLANK);
	assert_int_equal(gpi_grid_score_of_text("  "), GPI_SCORE_BLANK);
	assert_int_equal(gpi_grid_score_of_text("6"), GPI_SCORE_BAD);
	assert_int_equal(gpi_grid_score_of_text("-1"), GPI_SCORE_BAD);
	assert_int_equal(gpi_grid_score_of_text("3.5"), GPI_SCORE_BAD);
	assert_int_equal(gpi_grid_score_of_text("4/5"), GPI_SCORE_BAD);
	assert_int_equal(gpi_grid_score_of_text("05"), GPI_SCORE_BAD);
	json_t *v = json_integer(5);
	assert_int_equal(gpi_grid_score_of_json(v), 5);
	json_decref(v);
	v = json_integer(6);
	assert_int_equal(gpi_grid_score_of_json(v), GPI_SCORE_BAD);
	json_decref(v);
	v = json_real(3.0);
	assert_int_equal(gpi_grid_score_of_json(v), GPI_SCORE_BAD);
	json_decref(v);
	assert_int_equal(gpi_grid_score_of_json(json_true()), GPI_SCORE_BAD);
	assert_int_equal(gpi_grid_score_of_json(json_null()), GPI_SCORE_BLANK);
	assert_int_equal(gpi_grid_score_of_json(NULL), GPI_SCORE_BLANK);
}

/* Returns how many errors gpi_grid_check finds in the API body. */
static size_t errors_of(const char *scores_json, bool submit, struct field_error *out)
{
	json_t *e = edition();
	struct gpi_grid_scale s = gpi_grid_scale_of(e);
	json_t *scores = json_loads(scores_json, 0, NULL);
	struct gpi_grid_input in;
	gpi_grid_input_of_json(&s, scores, NULL, &in);
	in.submit = submit;
	struct arena *a = arena_new();
	size_t n = gpi_grid_check(a, &s, &in, out);
	/* Keep the first field name readable after the arena goes. */
	static char first[64];
	if (n)
		snprintf(first, sizeof(first), "%s", out[0].field);
	out[0].field = first;
	arena_free(a);
	json_decref(scores);
	json_decref(e);
	return n;
}

static void test_a_draft_may_be_partial_a_submission_may_not(void **state)
{
	(void)state;
	struct field_error errs[GPI_GRID_MAX_ERRORS];
	assert_int_equal(errors_of("{\"clarte-objectifs\": 4}", false, errs), 0);
	assert_int_equal(errors_of("{}", false, errs), 0);
	assert_int_equal(errors_of("{\"clarte-objectifs\": 4}", true, errs), 6);
	assert_string_equal(errs[0].field, "scores.resultats-mesurables");
	assert_int_equal(
		errors_of("{\"clarte-objectifs\": 4, \"resultats-mesurables\": 3, "
			  "\"gestion-financiere\": 0, \"generalisation\": 5, \"interbranche\": 2, "
			  "\"performance-notoriete\": 1, \"qualite-presentation\": 3}",
			  true, errs),
		0);
}

static void test_a_bad_score_or_an_unknown_criterion_is_refused(void **state)
{
	(void)state;
	struct field_error errs[GPI_GRID_MAX_ERRORS];
	assert_int_equal(errors_of("{\"generalisation\": 7}", false, errs), 1);
	assert_string_equal(errs[0].field, "scores.generalisation");
	assert_int_equal(errors_of("{\"generalisation\": \"4\"}", false, errs), 0);
	assert_int_equal(errors_of("{\"originalite\": 4}", false, errs), 1);
	assert_string_equal(errs[0].field, "scores");
	/* An operator is just an unknown criterion, never a query. */
	assert_int_equal(errors_of("{\"$gt\": 1}", false, errs), 1);
	assert_int_equal(errors_of("[1, 2]", false, errs), 1);
}

static void test_a_comment_is_bounded_text(void **state)
{
	(void)state;
	json_t *e = edition();
	struct gpi_grid_scale s = gpi_grid_scale_of(e);
	char *long_text = malloc(GPI_GRID_COMMENT_MAX_CHARS + 2);
	memset(long_text, 'x', GPI_GRID_COMMENT_MAX_CHARS + 1);
	long_text[GPI_GRID_COMMENT_MAX_CHARS + 1] = '\0';
	json_t *comments = json_pack("{s:s, s:i}", "generalisation", long_text, "interbranche", 3);
	struct gpi_grid_input in;
	gpi_grid_input_of_json(&s, NULL, comments, &in);
	in.submit = false;
	struct arena *a = arena_new();
	struct field_error errs[GPI_GRID_MAX_ERRORS];
	size_t n = gpi_grid_check(a, &s, &in, errs);
	assert_int_equal(n, 2);
	assert_string_equal(errs[0].field, "comments.generalisation");
	assert_string_equal(errs[1].field, "comments.interbranche");
	long_text[GPI_GRID_COMMENT_MAX_CHARS] = '\0'; /* exactly the limit: kept */
	json_object_set_new(comments, "generalisation", json_string(long_text));
	json_object_del(comments, "interbranche");
	gpi_grid_input_of_json(&s, NULL, comments, &in);
	assert_int_equal(gpi_grid_check(a, &s, &in, errs), 0);
	arena_free(a);
	free(long_text);
	json_decref(comments);
	json_decref(e);
}

static void test_the_total_is_the_weighted_sum(void **state)
{
	(void)state;
	json_t *e = edition();
	struct gpi_grid_scale s = gpi_grid_scale_of(e);
	assert_int_equal(s.n, 7);
	assert_int_equal(gpi_grid_max_total(&s), 40); /* 5 × (6 + 2) */
	int scores[7] = {4, 3, 0, 5, 2, 1, GPI_SCORE_BLANK};
	assert_int_equal(gpi_grid_total(&s, scores), 4 + 3 + 0 + 5 + 2 * 2 + 1);
	json_t *stored = json_pack("{s:i, s:i, s:i}", "interbranche", 5, "generalisation", 1,
				   "ancien-critere", 5);
	assert_int_equal(gpi_grid_total_of_json(&s, stored), 11);
	json_decref(stored);
	json_decref(e);
}

static void test_disagreement_is_a_spread_over_30_percent(void **state)
{
	(void)state;
	/* 35 points at most: 10.5 is the line. */
	assert_false(gpi_disagreement(20, 30, 35));
	assert_true(gpi_disagreement(20, 31, 35));
	/* Exactly 30 % is not over it. */
	assert_false(gpi_disagreement(0, 12, 40));
	assert_true(gpi_disagreement(0, 13, 40));
}

static void test_ranking_ties_share_a_rank_and_only_graded_ones_rank(void **state)
{
	(void)state;
	int a[] = {30, 20}, b[] = {25}, c[] = {21, 28, 26}, d[] = {35, 0};
	struct gpi_rank_input in[] = {
		{"a", a, 2, 3}, /* mean 25 */
		{"b", b, 1, 3}, /* mean 25: a tie with a */
		{"c", c, 3, 3}, /* mean 25 too: 75/3 */
		{"d", d, 2, 2}, /* mean 17.5, spread 35 */
		{"e", NULL, 0, 3}, {"f", (int[]){26}, 1, 1},
	};
	struct gpi_rank_row out[6];
	gpi_ranking(in, 6, 35, out);
	assert_string_equal(out[0].candidature_id, "f");
	assert_int_equal(out[0].rank, 1);
	assert_string_equal(out[1].candidature_id, "a");
	assert_string_equal(out[2].candidature_id, "b");
	assert_string_equal(out[3].candidature_id, "c");
	assert_int_equal(out[1].rank, 2);
	assert_int_equal(out[2].rank, 2);
	assert_int_equal(out[3].rank, 2);
	assert_string_equal(out[4].candidature_id, "d");
	assert_int_equal(out[4].rank, 5);
	assert_true(out[4].disagreement);
	assert_int_equal(out[4].min, 0);
	assert_int_equal(out[4].max, 35);
	assert_true(out[4].mean > 17.49 && out[4].mean < 17.51);
	assert_false(out[1].disagreement); /* 10 apart of 35: not over 10.5 */
	assert_string_equal(out[5].candidature_id, "e");
	assert_int_equal(out[5].rank, 0);
	assert_int_equal(out[5].grids, 0);
	assert_int_equal(out[5].expected, 3);
	assert_int_equal(out[3].grids, 3);
}

static void test_means_compare_exactly(void **state)
{
	(void)state;
	/* 7/3 and 14/6 are one mean, whatever floating point makes of them. */
	int x[] = {2, 2, 3}, y[] = {2, 2, 2, 3, 2, 3};
	struct gpi_rank_input in[] = {{"x", x, 3, 3}, {"y", y, 6, 6}};
	struct gpi_rank_row out[2];
	gpi_ranking(in, 2, 35, out);
	assert_int_equal(out[0].rank, 1);
	assert_int_equal(out[1].rank, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scores_are_integers_from_0_to_5),
		cmocka_unit_test(test_a_draft_may_be_partial_a_submission_may_not),
		cmocka_unit_test(test_a_bad_score_or_an_unknown_criterion_is_refused),
		cmocka_unit_test(test_a_comment_is_bounded_text),
		cmocka_unit_test(test_the_total_is_the_weighted_sum),
		cmocka_unit_test(test_disagreement_is_a_spread_over_30_percent),
		cmocka_unit_test(test_ranking_ties_share_a_rank_and_only_graded_ones_rank),
		cmocka_unit_test(test_means_compare_exactly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
