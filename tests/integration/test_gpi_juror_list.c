/* A juror's list through the real stack (issue 13, "a juror's page shows
 * their progress: scored, drafts, still to do"): 52 admissible
 * candidatures of the "rh" category, three jurors, one of the filers' own
 * organisation. The page shows 50 a page with the counts over all of
 * them on every page, filters by the grid's state, and its API twin
 * pages the same way. The page is kept a moment for each juror alone:
 * another juror never gets it, and what the juror does (a grid saved, a
 * conflict declared) or what is done to them (removed from the jury)
 * shows on their next view. */
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

/* Each account may make 30 writes a minute: a filing takes three, an
 * admission one; the filers are all agents of caf-31. */
enum { CANDIDATURES = 52, FILERS = 6, SECRETARIATS = 2 };

static struct test_account secs[SECRETARIATS];
static struct agent filers[FILERS], j1, j2, own;
static int year;
static char *ids[CANDIDATURES]; /* ids[i]: titled title_of(i) */

/* Returns the title of the i-th candidature (0-based), "Dossier 01" to
 * "Dossier 52": the list's order by title is theirs (static buffer). */
static const char *title_of(int i)
{
	static char title[32];
	snprintf(title, sizeof(title), "Dossier %02d", i + 1);
	return title;
}

static void appoint(const struct agent *juror)
{
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/juries/rh/members", year);
	json_t *body = json_pack("{s:s}", "user_id", juror->id);
	assert_int_equal(api_json(secs[0].token, "POST", path, body, NULL), 200);
	json_decref(body);
}

/* PUTs juror's grid of the i-th candidature: both criteria scored,
 * submitted or a draft. */
static void grid(const struct agent *juror, int i, bool submit)
{
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s/grid", ids[i]);
	json_t *body = json_pack("{s:{s:i, s:i}, s:{}, s:b}", "scores", "objectifs", 4,
				 "resultats", 3, "comments", "submit", submit);
	assert_int_equal(api_json(juror->token, "PUT", path, body, NULL), 200);
	json_decref(body);
}

static int setup(void **state)
{
	(void)state;
	for (int i = 0; i < SECRETARIATS; i++)
		test_account_new(&secs[i], "gpi-list-sec", "Sophie Secrétariat", "secretariat",
				 PASSWORD);
	for (int i = 0; i < FILERS; i++)
		agent_new(&filers[i], "gpi-list-filer", "caf-31", NULL, PASSWORD);
	agent_new(&j1, "gpi-list-j1", "cpam-69", NULL, PASSWORD);
	/* Of j1's organisation: only who they are tells their pages apart. */
	agent_new(&j2, "gpi-list-j2", "cpam-69", NULL, PASSWORD);
	agent_new(&own, "gpi-list-own", "caf-31", NULL, PASSWORD);
	year = test_gpi_edition_new(secs[0].token);
	for (int i = 0; i < CANDIDATURES; i++)
		ids[i] = gpi_filing_admitted(filers[i % FILERS].token, secs[i % SECRETARIATS].token,
					     year, "rh", title_of(i));
	appoint(&j1);
	appoint(&j2);
	appoint(&own);
	/* Scoring happens while the audition is prepared. */
	gpi_clock_at(year, "05-15T09:00:00Z");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_clock_clear();
	for (int i = 0; i < SECRETARIATS; i++)
		test_account_free(&secs[i]);
	for (int i = 0; i < FILERS; i++)
		agent_free(&filers[i]);
	agent_free(&j1);
	agent_free(&j2);
	agent_free(&own);
	for (int i = 0; i < CANDIDATURES; i++)
		free(ids[i]);
	return 0;
}

/* Returns juror's page with query ("" or "?..."), asserting a 200 (heap). */
static char *page(const struct agent *juror, const char *query)
{
	char path[160];
	snprintf(path, sizeof(path), "/grand-prix/%d/jury%s", year, query);
	return sess_page(juror->s, path);
}

/* Returns how many of the candidatures html links to; sets *first and
 * *last to the first and last of them (0-based, -1 when none). */
static int listed(const char *html, int *first, int *last)
{
	int n = 0;
	*first = *last = -1;
	for (int i = 0; i < CANDIDATURES; i++) {
		char link[200];
		snprintf(link, sizeof(link), "/candidatures/%s\">%s</a>", ids[i], title_of(i));
		if (strstr(html, link)) {
			n++;
			if (*first < 0)
				*first = i;
			*last = i;
		}
	}
	return n;
}

/* Asserts the progress html shows: in all, to do, drafts, scored. */
static void assert_counts(const char *html, int all, int to_do, int drafts, int scored)
{
	char want[80];
	snprintf(want, sizeof(want), "<strong>%d</strong> en tout", all);
	assert_non_null(strstr(html, want));
	snprintf(want, sizeof(want), "<strong>%d</strong> à noter", to_do);
	assert_non_null(strstr(html, want));
	snprintf(want, sizeof(want), "<strong>%d</strong> en brouillon", drafts);
	assert_non_null(strstr(html, want));
	snprintf(want, sizeof(want), "<strong>%d</strong> notée(s)", scored);
	assert_non_null(strstr(html, want));
}

static void the_page_shows_fifty_a_page_with_counts_over_all(void **state)
{
	(void)state;
	/* Dossier 01 and 51 scored, 02 a draft. */
	grid(&j1, 0, true);
	grid(&j1, 50, true);
	grid(&j1, 1, false);
	int first, last;
	char *html = page(&j1, "");
	assert_int_equal(listed(html, &first, &last), 50);
	assert_int_equal(first, 0);
	assert_int_equal(last, 49);
	assert_counts(html, 52, 49, 1, 2);
	assert_non_null(strstr(html, "Page 1 sur 2"));
	assert_non_null(strstr(html, "jury?page=2\" rel=\"next\""));
	free(html);

	html = page(&j1, "?page=2");
	assert_int_equal(listed(html, &first, &last), 2);
	assert_int_equal(first, 50);
	assert_int_equal(last, 51);
	assert_counts(html, 52, 49, 1, 2);
	assert_non_null(strstr(html, "Page 2 sur 2"));
	free(html);
	/* Past the last page: the last one. */
	html = page(&j1, "?page=9");
	assert_int_equal(listed(html, &first, &last), 2);
	free(html);
}

static void the_page_filters_by_the_grid_state(void **state)
{
	(void)state;
	int first, last;
	char *html = page(&j1, "?etat=notee");
	assert_int_equal(listed(html, &first, &last), 2);
	assert_int_equal(first, 0);
	assert_int_equal(last, 50);
	assert_non_null(strstr(html, "<td><a href=\"/grand-prix/"));
	assert_non_null(strstr(html, "Notée<span class=\"sr-only\">"));
	assert_null(strstr(html, "Page 1 sur"));
	/* The counts stay those of all; the current filter is said. */
	assert_counts(html, 52, 49, 1, 2);
	assert_non_null(strstr(html, "jury?etat=notee\" aria-current=\"page\""));
	free(html);

	html = page(&j1, "?etat=brouillon");
	assert_int_equal(listed(html, &first, &last), 1);
	assert_int_equal(first, 1);
	free(html);

	/* Still to do: 49, on one page, without what is scored or drafted. */
	html = page(&j1, "?etat=a-faire");
	assert_int_equal(listed(html, &first, &last), 49);
	assert_int_equal(first, 2);
	assert_int_equal(last, 51);
	assert_null(strstr(html, "Page 1 sur"));
	free(html);

	/* A grid submitted leaves the list of what is still to do. */
	grid(&j1, 2, true);
	html = page(&j1, "?etat=a-faire");
	assert_int_equal(listed(html, &first, &last), 48);
	assert_int_equal(first, 3);
	free(html);

	/* Turning the page keeps the filter: j2 has all 52 still to do. */
	html = page(&j2, "?etat=a-faire&page=2");
	assert_int_equal(listed(html, &first, &last), 2);
	assert_non_null(strstr(html, "jury?etat=a-faire&amp;page=1\" rel=\"prev\""));
	free(html);

	/* Anything else is no filter. */
	html = page(&j1, "?etat=%7B%22%24ne%22%3A1%7D");
	assert_int_equal(listed(html, &first, &last), 50);
	free(html);
}

static void the_api_pages_the_same_list(void **state)
{
	(void)state;
	json_t *out;
	const char *third = "/api/v1/gpi/me/assignments?page_size=20&page=3";
	assert_int_equal(api_json(j1.token, "GET", third, NULL, &out), 200);
	json_t *items = json_object_get(out, "items"), *counts = json_object_get(out, "counts");
	assert_int_equal(json_array_size(items), 12);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "title")),
			    title_of(40));
	assert_int_equal(json_integer_value(json_object_get(out, "total")), 52);
	assert_int_equal(json_integer_value(json_object_get(out, "page")), 3);
	assert_int_equal(json_integer_value(json_object_get(out, "page_size")), 20);
	assert_int_equal(json_integer_value(json_object_get(counts, "total")), 52);
	assert_int_equal(json_integer_value(json_object_get(counts, "scored")), 3);
	assert_int_equal(json_integer_value(json_object_get(counts, "drafts")), 1);
	assert_int_equal(json_integer_value(json_object_get(counts, "to_do")), 48);
	json_decref(out);

	/* 50 a page by default; the filter as on the page. */
	assert_int_equal(api_json(j1.token, "GET", "/api/v1/gpi/me/assignments", NULL, &out), 200);
	assert_int_equal(json_array_size(json_object_get(out, "items")), 50);
	json_decref(out);
	const char *scored = "/api/v1/gpi/me/assignments?etat=notee";
	assert_int_equal(api_json(j1.token, "GET", scored, NULL, &out), 200);
	items = json_object_get(out, "items");
	assert_int_equal(json_integer_value(json_object_get(out, "total")), 3);
	assert_int_equal(json_array_size(items), 3);
	json_t *it;
	size_t i;
	json_array_foreach(items, i, it)
		assert_string_equal(json_string_value(json_object_get(it, "grid")), "notee");
	counts = json_object_get(out, "counts");
	assert_int_equal(json_integer_value(json_object_get(counts, "to_do")), 48);
	json_decref(out);

	/* The juror of the filers' organisation has nothing to score. */
	assert_int_equal(api_json(own.token, "GET", "/api/v1/gpi/me/assignments", NULL, &out), 200);
	assert_int_equal(json_array_size(json_object_get(out, "items")), 0);
	counts = json_object_get(out, "counts");
	assert_int_equal(json_integer_value(json_object_get(counts, "total")), 0);
	json_decref(out);
}

static void each_juror_gets_their_own_page_at_once(void **state)
{
	(void)state;
	int first, last;
	/* Seen by j2, then by j1 within the same second: each their own. */
	char *html = page(&j2, "");
	assert_counts(html, 52, 52, 0, 0);
	free(html);
	html = page(&j1, "");
	assert_counts(html, 52, 48, 1, 3);
	free(html);
	html = page(&own, "");
	assert_int_equal(listed(html, &first, &last), 0);
	assert_counts(html, 0, 0, 0, 0);
	free(html);

	/* j2's draft shows on their next view. */
	grid(&j2, 5, false);
	html = page(&j2, "");
	assert_counts(html, 52, 51, 1, 0);
	free(html);

	/* A declared conflict takes the candidature off their list at once. */
	html = page(&j2, "");
	assert_int_equal(listed(html, &first, &last), 50);
	assert_int_equal(last, 49);
	free(html);
	char form[200], path[80];
	snprintf(form, sizeof(form), "/grand-prix/%d/candidatures/%s/conflit", year, ids[3]);
	struct http_reply r;
	sess_post_form(j2.s, form, form, &r, "reason", "Ancien collègue du porteur.", NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	html = page(&j2, "");
	assert_int_equal(listed(html, &first, &last), 50);
	assert_int_equal(last, 50);
	assert_null(strstr(html, title_of(3)));
	assert_counts(html, 51, 50, 1, 0);
	free(html);

	/* Removed from the jury: their page is gone at once, kept copy or not. */
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/juries/rh/members/%s", year, j2.id);
	assert_int_equal(api_json(secs[1].token, "DELETE", path, NULL, NULL), 200);
	snprintf(path, sizeof(path), "/grand-prix/%d/jury", year);
	assert_int_equal(sess_get(j2.s, path, &r), 0);
	assert_true(r.status == 403 || r.status == 404);
	assert_null(strstr(r.body ? r.body : "", title_of(0)));
	http_reply_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_page_shows_fifty_a_page_with_counts_over_all),
		cmocka_unit_test(the_page_filters_by_the_grid_state),
		cmocka_unit_test(the_api_pages_the_same_list),
		cmocka_unit_test(each_juror_gets_their_own_page_at_once),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
