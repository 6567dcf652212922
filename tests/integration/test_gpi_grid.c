/* Jurors' grids and the category's ranking through the real stack
 * (issue 13): three candidatures of the "rh" category, admissible; three
 * jurors appointed, one of the filers' own organisation (recused from
 * their two candidatures). Each juror scores alone: a draft may be
 * partial, a submission needs every criterion and locks the grid (409),
 * only the secretariat reopens it (journalled); nobody but the
 * secretariat sees the ranking before scoring is closed; after it a
 * juror sees it without what they are recused from. The grids' and the
 * ranking's CSV are the secretariat's, formulas defused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpi_filing.h"
#include "support.h"

static const char PASSWORD[] = "correct horse battery staple 42";

static struct test_account sec;
static struct agent filer, other_filer, j1, j2, j3, outsider;
static int year;
/* a, b: filed by caf-31 (j3's organisation); c: by cpam-31. */
static char *a, *b, *c;

static void appoint(const struct agent *juror)
{
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/juries/rh/members", year);
	json_t *body = json_pack("{s:s}", "user_id", juror->id), *j;
	long status = api_json(sec.token, "POST", path, body, &j);
	assert_true(status == 200 || status == 201);
	json_decref(j);
	json_decref(body);
}

static int setup(void **state)
{
	(void)state;
	test_account_new(&sec, "gpi-grid-sec", "Sophie Secrétariat", "secretariat", PASSWORD);
	agent_new(&filer, "gpi-grid-filer", "caf-31", NULL, PASSWORD);
	agent_new(&other_filer, "gpi-grid-filer2", "cpam-31", NULL, PASSWORD);
	agent_new(&j1, "gpi-grid-j1", "cpam-69", NULL, PASSWORD);
	agent_new(&j2, "gpi-grid-j2", "carsat-midi-pyrenees", NULL, PASSWORD);
	agent_new(&j3, "gpi-grid-j3", "caf-31", NULL, PASSWORD);
	agent_new(&outsider, "gpi-grid-outsider", "cpam-75", NULL, PASSWORD);
	year = test_gpi_edition_new(sec.token);
	a = gpi_filing_admitted(filer.token, sec.token, year, "rh", "Accueil Alpha");
	b = gpi_filing_admitted(filer.token, sec.token, year, "rh", "Budget Bêta");
	c = gpi_filing_admitted(other_filer.token, sec.token, year, "rh", "Courrier Gamma");
	appoint(&j1);
	appoint(&j2);
	appoint(&j3);
	/* The rest happens during the audition's preparation. */
	gpi_clock_at(year, "05-15T09:00:00Z");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_clock_clear();
	test_account_free(&sec);
	agent_free(&filer);
	agent_free(&other_filer);
	agent_free(&j1);
	agent_free(&j2);
	agent_free(&j3);
	agent_free(&outsider);
	free(a);
	free(b);
	free(c);
	return 0;
}

static const char *error_code(const json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "code"));
}

/* PUTs the grid of candidature id as token: scores objectifs and
 * resultats (-1: absent), a comment on objectifs, submit. */
static long put_grid(const char *token, const char *id, int objectifs, int resultats,
		     const char *comment, bool submit, json_t **out)
{
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s/grid", id);
	json_t *scores = json_object();
	if (objectifs >= 0)
		json_object_set_new(scores, "objectifs", json_integer(objectifs));
	if (resultats >= 0)
		json_object_set_new(scores, "resultats", json_integer(resultats));
	json_t *body = json_pack("{s:o, s:{s:s}, s:b}", "scores", scores, "comments", "objectifs",
				 comment ? comment : "", "submit", submit);
	long status = api_json(token, "PUT", path, body, out);
	json_decref(body);
	return status;
}

static long get(const char *token, const char *path, json_t **out)
{
	return api_json(token, "GET", path, NULL, out);
}

static long ranking(const char *token, json_t **out)
{
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/ranking?category=rh", year);
	return get(token, path, out);
}

/* Returns the ranking's item of candidature id, or NULL. Borrowed. */
static const json_t *item_of(const json_t *ranking_json, const char *id)
{
	const json_t *it;
	size_t i;
	json_array_foreach(json_object_get(ranking_json, "items"), i, it)
		if (!strcmp(json_string_value(json_object_get(it, "candidature_id")), id))
			return it;
	return NULL;
}

static json_int_t int_of(const json_t *j, const char *key)
{
	return json_integer_value(json_object_get(j, key));
}

static long long audit_count(const char *action, const char *target)
{
	char filter[300];
	snprintf(filter, sizeof(filter), "{\"action\": \"%s\", \"target\": \"%s\"}", action,
		 target);
	return mongo_count("audit", filter);
}

static void only_the_category_jurors_not_recused_have_a_grid(void **state)
{
	(void)state;
	char path[200];
	json_t *j;
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s/grid", a);
	assert_int_equal(get(j1.token, path, &j), 200);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "none");
	assert_int_equal(int_of(j, "max_total"), 10);
	json_decref(j);
	/* j3 works for the filers' organisation: A is a 404, page and API. */
	assert_int_equal(get(j3.token, path, &j), 404);
	json_decref(j);
	assert_int_equal(put_grid(j3.token, a, 5, 5, NULL, true, &j), 404);
	json_decref(j);
	struct http_reply r;
	snprintf(path, sizeof(path), "/grand-prix/%d/candidatures/%s/grille", year, a);
	assert_int_equal(sess_get(j3.s, path, &r), 0);
	assert_int_equal(r.status, 404);
	assert_null(strstr(r.body, "Accueil Alpha"));
	http_reply_free(&r);
	/* Nor is a filer, nor an agent of another organisation, a juror. */
	assert_int_equal(sess_get(filer.s, path, &r), 0);
	assert_int_equal(r.status, 404);
	http_reply_free(&r);
	assert_int_equal(sess_get(outsider.s, path, &r), 0);
	assert_int_equal(r.status, 404);
	http_reply_free(&r);
	/* ...and j3 has a grid of C, from another organisation. */
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s/grid", c);
	assert_int_equal(get(j3.token, path, &j), 200);
	json_decref(j);
}

static void a_draft_may_be_partial_a_submission_locks(void **state)
{
	(void)state;
	json_t *j;
	assert_int_equal(put_grid(j1.token, a, 4, -1, "Des objectifs nets.", false, &j), 200);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "draft");
	assert_int_equal(int_of(j, "scored"), 1);
	json_decref(j);
	/* Submitting needs every criterion; a 6 is no score. */
	assert_int_equal(put_grid(j1.token, a, 4, -1, NULL, true, &j), 422);
	assert_non_null(api_field_error(j, "scores.resultats"));
	json_decref(j);
	assert_int_equal(put_grid(j1.token, a, 6, 2, NULL, false, &j), 422);
	assert_non_null(api_field_error(j, "scores.objectifs"));
	json_decref(j);
	/* The draft kept its score through the refusals. */
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s/grid", a);
	assert_int_equal(get(j1.token, path, &j), 200);
	assert_int_equal(int_of(json_object_get(j, "scores"), "objectifs"), 4);
	json_decref(j);

	assert_int_equal(put_grid(j1.token, a, 4, 5, "=HYPERLINK(\"http://x\")", true, &j), 200);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "submitted");
	assert_true(json_is_true(json_object_get(j, "locked")));
	assert_int_equal(int_of(j, "total"), 9);
	json_decref(j);
	assert_int_equal(put_grid(j1.token, a, 1, 1, NULL, false, &j), 409);
	assert_string_equal(error_code(j), "locked");
	json_decref(j);
	char target[120];
	snprintf(target, sizeof(target), "%s:%s", a, j1.id);
	assert_int_equal(audit_count("gpi.grid.submit", target), 1);
}

/* The page's form: a refused submission keeps what was typed beside the
 * error; a complete one locks the grid. */
static void the_grid_page_saves_and_submits(void **state)
{
	(void)state;
	char path[200];
	snprintf(path, sizeof(path), "/grand-prix/%d/candidatures/%s/grille", year, c);
	char *html = sess_page(j2.s, path);
	assert_non_null(strstr(html, "Soumettre la grille"));
	free(html);
	struct http_reply r;
	sess_post_form(j2.s, path, path, &r, "scores.objectifs", "3", "scores.resultats", "",
		       "comments.objectifs", "Bien posé, à chiffrer.", "action", "soumettre", NULL);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "Notez ce critère avant de soumettre la grille."));
	assert_non_null(strstr(r.body, "Bien posé, à chiffrer."));
	http_reply_free(&r);
	sess_post_form(j2.s, path, path, &r, "scores.objectifs", "3", "scores.resultats", "4",
		       "comments.objectifs", "Bien posé, à chiffrer.", "action", "soumettre", NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	html = sess_page(j2.s, path);
	assert_non_null(strstr(html, "verrouillée"));
	assert_null(strstr(html, "Soumettre la grille"));
	free(html);
}

static void nobody_but_the_secretariat_ranks_before_the_close(void **state)
{
	(void)state;
	json_t *j;
	/* Everyone's grids: A 9 (j1) and 0 (j2); B 4 (j1) and 5 (j2): both
	 * 4.5 on average; C 7 (j2, from the page) and 10 (j3). */
	assert_int_equal(put_grid(j2.token, a, 0, 0, NULL, true, &j), 200);
	json_decref(j);
	assert_int_equal(put_grid(j1.token, b, 2, 2, NULL, true, &j), 200);
	json_decref(j);
	assert_int_equal(put_grid(j2.token, b, 3, 2, NULL, true, &j), 200);
	json_decref(j);
	assert_int_equal(put_grid(j3.token, c, 5, 5, NULL, true, &j), 200);
	json_decref(j);
	assert_int_equal(put_grid(j1.token, c, 5, -1, NULL, false, &j), 200); /* a draft */
	json_decref(j);

	assert_int_equal(ranking(j1.token, &j), 403);
	assert_string_equal(error_code(j), "scoring_open");
	json_decref(j);
	assert_int_equal(ranking(outsider.token, &j), 404);
	json_decref(j);
	assert_int_equal(ranking(filer.token, &j), 404);
	json_decref(j);
	struct http_reply r;
	char path[160];
	snprintf(path, sizeof(path), "/grand-prix/%d/classement?categorie=rh", year);
	assert_int_equal(sess_get(j1.s, path, &r), 0);
	assert_int_equal(r.status, 403);
	assert_null(strstr(r.body, "Budget Bêta"));
	http_reply_free(&r);

	assert_int_equal(ranking(sec.token, &j), 200);
	const json_t *ia = item_of(j, a), *ib = item_of(j, b), *ic = item_of(j, c);
	assert_non_null(ia);
	assert_non_null(ib);
	assert_non_null(ic);
	assert_int_equal(int_of(ic, "rank"), 1);
	assert_int_equal(int_of(ic, "grids"), 2); /* j1's draft does not count */
	assert_int_equal(int_of(ic, "expected"), 3);
	assert_int_equal(int_of(ia, "rank"), 2);
	assert_int_equal(int_of(ib, "rank"), 2);
	assert_int_equal(int_of(ia, "expected"), 2); /* j3 is recused */
	assert_int_equal(int_of(ia, "min"), 0);
	assert_int_equal(int_of(ia, "max"), 9);
	assert_true(json_is_true(json_object_get(ia, "disagreement")));
	assert_false(json_is_true(json_object_get(ib, "disagreement")));
	assert_true(json_number_value(json_object_get(ia, "mean")) == 4.5);
	json_decref(j);
}

static void only_the_secretariat_reopens_a_grid(void **state)
{
	(void)state;
	char path[200];
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s/grids/%s/reopen", b, j1.id);
	json_t *j, *body = json_pack("{s:s}", "reason", "");
	assert_int_equal(api_json(sec.token, "POST", path, body, &j), 422);
	assert_non_null(api_field_error(j, "reason"));
	json_decref(j);
	json_decref(body);
	body = json_pack("{s:s}", "reason", "Le juré a inversé deux notes.");
	/* A juror sees the candidature, not the secretariat's desk. */
	assert_int_equal(api_json(j1.token, "POST", path, body, &j), 403);
	json_decref(j);
	assert_int_equal(api_json(sec.token, "POST", path, body, &j), 200);
	json_decref(j);
	assert_int_equal(api_json(sec.token, "POST", path, body, &j), 409);
	assert_string_equal(error_code(j), "not_submitted");
	json_decref(j);
	json_decref(body);
	char target[120];
	snprintf(target, sizeof(target), "%s:%s", b, j1.id);
	assert_int_equal(audit_count("gpi.grid.reopen", target), 1);
	/* The juror corrects it: B's grids are 5 and 5 now. */
	assert_int_equal(put_grid(j1.token, b, 2, 3, NULL, true, &j), 200);
	json_decref(j);

	/* The secretariat's page of B's grids shows j3's recusal. */
	snprintf(path, sizeof(path), "/grand-prix/%d/candidatures/%s/grilles", year, b);
	char *html = sess_page(sec.s, path);
	assert_non_null(strstr(html, "Récusé"));
	assert_non_null(strstr(html, j3.name));
	free(html);
}

static void the_csv_exports_are_the_secretariats(void **state)
{
	(void)state;
	char path[160];
	snprintf(path, sizeof(path), "/grand-prix/%d/grilles.csv?categorie=rh", year);
	struct http_reply r;
	assert_int_equal(sess_get(sec.s, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_memory_equal(r.body, "\xEF\xBB\xBF", 3);
	assert_non_null(strstr(r.body, "\"'=HYPERLINK(\"\"http://x\"\")\""));
	assert_non_null(strstr(r.body, "Accueil Alpha"));
	assert_non_null(strstr(r.body, ";"));
	http_reply_free(&r);
	/* A juror gets neither export, recused or not. */
	assert_int_equal(sess_get(j1.s, path, &r), 0);
	assert_true(r.status == 403 || r.status == 404);
	assert_null(strstr(r.body, "HYPERLINK"));
	http_reply_free(&r);
	assert_int_equal(sess_get(j3.s, path, &r), 0);
	assert_true(r.status == 403 || r.status == 404);
	assert_null(strstr(r.body, "Accueil Alpha"));
	http_reply_free(&r);

	snprintf(path, sizeof(path), "/grand-prix/%d/classement.csv?categorie=rh", year);
	assert_int_equal(sess_get(sec.s, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"Courrier Gamma\";\"cpam-31\""));
	assert_non_null(strstr(r.body, "\"4,50\""));
	http_reply_free(&r);
	assert_int_equal(sess_get(j3.s, path, &r), 0);
	assert_true(r.status == 403 || r.status == 404);
	assert_null(strstr(r.body, "Accueil Alpha"));
	http_reply_free(&r);
}

static void after_the_close_jurors_see_the_ranking_without_their_recusals(void **state)
{
	(void)state;
	char path[200];
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/categories/rh/close-scoring", year);
	json_t *j;
	long refused = api_json(j1.token, "POST", path, NULL, &j);
	assert_true(refused == 403 || refused == 404);
	json_decref(j);
	assert_int_equal(api_json(sec.token, "POST", path, NULL, &j), 200);
	assert_true(json_is_true(json_object_get(j, "scoring_closed")));
	json_decref(j);
	/* Closed: no grid changes any more, not even a draft. */
	assert_int_equal(put_grid(j1.token, c, 5, 5, NULL, true, &j), 409);
	json_decref(j);

	assert_int_equal(ranking(j1.token, &j), 200);
	assert_non_null(item_of(j, a));
	assert_non_null(item_of(j, b));
	assert_int_equal(int_of(item_of(j, b), "rank"), 2); /* B 5, A 4.5 */
	assert_int_equal(int_of(item_of(j, a), "rank"), 3);
	json_decref(j);
	assert_int_equal(ranking(j3.token, &j), 200);
	assert_null(item_of(j, a));
	assert_null(item_of(j, b));
	assert_non_null(item_of(j, c));
	json_decref(j);
	struct http_reply r;
	snprintf(path, sizeof(path), "/grand-prix/%d/classement", year);
	assert_int_equal(sess_get(j3.s, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Courrier Gamma"));
	assert_null(strstr(r.body, "Accueil Alpha"));
	assert_null(strstr(r.body, "Budget Bêta"));
	http_reply_free(&r);
	assert_int_equal(ranking(outsider.token, &j), 404);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(only_the_category_jurors_not_recused_have_a_grid),
		cmocka_unit_test(a_draft_may_be_partial_a_submission_locks),
		cmocka_unit_test(the_grid_page_saves_and_submits),
		cmocka_unit_test(nobody_but_the_secretariat_ranks_before_the_close),
		cmocka_unit_test(only_the_secretariat_reopens_a_grid),
		cmocka_unit_test(the_csv_exports_are_the_secretariats),
		cmocka_unit_test(after_the_close_jurors_see_the_ranking_without_their_recusals),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
