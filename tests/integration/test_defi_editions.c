/* Défi du Lab editions through the real stack: coordinators create and
 * edit them (API and forms, Paris local time in forms), everyone reads
 * them (pages, API, calendar), and the sign-up window holds at its exact
 * boundaries under the test clock. Years are picked per run, far ahead,
 * so that other tests' editions (and the demo's) never collide. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

static const char PASSWORD[] = "correct horse battery staple 42";

static struct test_account coord, agent;

static int setup(void **state)
{
	(void)state;
	test_account_new(&coord, "defi-coord", "Julie Coordinatrice", "coordinator", PASSWORD);
	test_account_new(&agent, "defi-agent", "Julie Coordinatrice", NULL, PASSWORD);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_clock_clear();
	test_account_free(&coord);
	test_account_free(&agent);
	return 0;
}

/* An edition of year in the shape of 2023's: sign-ups from 16 January
 * 09:00 to 17 April 23:59:59 Paris time, the event on 26-27 June. */
static json_t *edition_of(int year)
{
	char start[16], end[16], opens[32], closes[32], title[64];
	snprintf(start, sizeof(start), "%d-06-26", year);
	snprintf(end, sizeof(end), "%d-06-27", year);
	snprintf(opens, sizeof(opens), "%d-01-16T08:00:00Z", year);
	snprintf(closes, sizeof(closes), "%d-04-17T21:59:59Z", year);
	snprintf(title, sizeof(title), "Défi du Lab %d", year);
	return json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:[{s:s, s:b}]}",
			 "year", year, "title", title, "theme",
			 "mieux attirer, recruter et fidéliser", "description",
			 "Deux jours à **Paris**.<script>alert(1)</script>", "event_start", start,
			 "event_end", end, "location", "Paris", "signup_opens_at", opens,
			 "signup_closes_at", closes, "min_team_size", 6, "questions", "label",
			 "Quel besoin votre idée satisfait-elle ?", "required", 1);
}

static json_t *edition_built(int year, void *arg)
{
	(void)arg;
	return edition_of(year);
}

/* Creates an edition through the API at the first free year; returns it. */
static int create_edition(void)
{
	return test_edition_new(coord.token, "/api/v1/defi/editions", edition_built, NULL);
}

static void api_gives_the_issue_fields_in_utc(void **state)
{
	(void)state;
	int year = create_edition();
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/defi/editions/%d", year);
	json_t *e;
	assert_int_equal(api_json(NULL, "GET", path, NULL, &e), 200);
	char want[32];
	snprintf(want, sizeof(want), "%d-04-17T21:59:59Z", year);
	assert_string_equal(json_string_value(json_object_get(e, "signup_closes_at")), want);
	assert_string_equal(json_string_value(json_object_get(e, "theme")),
			    "mieux attirer, recruter et fidéliser");
	assert_string_equal(json_string_value(json_object_get(e, "location")), "Paris");
	assert_int_equal(json_integer_value(json_object_get(e, "min_team_size")), 6);
	assert_true(json_is_null(json_object_get(e, "max_team_size")));
	assert_true(json_is_boolean(json_object_get(e, "is_open")));
	json_t *q = json_array_get(json_object_get(e, "questions"), 0);
	assert_string_equal(json_string_value(json_object_get(q, "code")), "q1");
	json_decref(e);

	json_t *list;
	assert_int_equal(api_json(NULL, "GET", "/api/v1/defi/editions", NULL, &list), 200);
	bool listed = false;
	size_t i;
	json_array_foreach(json_object_get(list, "items"), i, e)
		listed |= json_integer_value(json_object_get(e, "year")) == year;
	assert_true(listed);
	json_decref(list);
	assert_int_equal(api_json(NULL, "GET", "/api/v1/defi/editions/1999", NULL, NULL), 404);
	assert_int_equal(api_json(NULL, "GET", "/api/v1/defi/editions/abcd", NULL, NULL), 404);
}

static void only_coordinators_write_editions(void **state)
{
	(void)state;
	json_t *e = edition_of(2099);
	assert_int_equal(api_json(NULL, "POST", "/api/v1/defi/editions", e, NULL), 401);
	assert_int_equal(api_json(agent.token, "POST", "/api/v1/defi/editions", e, NULL), 403);
	int year = create_edition();
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/defi/editions/%d", year);
	assert_int_equal(api_json(agent.token, "PUT", path, e, NULL), 403);
	json_decref(e);
	struct http_reply r;
	assert_int_equal(sess_get(agent.s, "/defi/nouvelle", &r), 0);
	assert_int_equal(r.status, 403);
	http_reply_free(&r);
}

static void broken_rules_answer_422_with_fields(void **state)
{
	(void)state;
	int year = create_edition();
	json_t *e = edition_of(year), *err;
	/* The year is the URL key: a second edition of it is refused. */
	assert_int_equal(api_json(coord.token, "POST", "/api/v1/defi/editions", e, &err), 422);
	assert_non_null(strstr(api_field_error(err, "year"), "existe déjà"));
	json_decref(err);

	json_object_set_new(e, "year", json_integer(year + 1000));
	json_object_set_new(e, "title", json_string(""));
	json_object_set_new(e, "signup_opens_at", json_string("17/04/2023 23:59"));
	json_object_set_new(e, "signup_closes_at", json_string("2023-01-01T00:00:00Z"));
	json_object_set_new(e, "max_team_size", json_integer(4));
	json_object_set_new(e, "theme", json_pack("{s:s}", "$gt", ""));
	assert_int_equal(api_json(coord.token, "POST", "/api/v1/defi/editions", e, &err), 422);
	assert_non_null(api_field_error(err, "year"));
	assert_non_null(api_field_error(err, "title"));
	assert_non_null(api_field_error(err, "theme"));
	assert_non_null(strstr(api_field_error(err, "signup_opens_at"), "RFC 3339"));
	assert_non_null(api_field_error(err, "max_team_size"));
	json_decref(err);
	json_decref(e);
}

/* The window holds at its exact boundaries, and the pages say so. */
static void window_boundaries_are_exact(void **state)
{
	(void)state;
	int year = create_edition();
	char path[64], at[32];
	snprintf(path, sizeof(path), "/api/v1/defi/editions/%d", year);
	const struct {
		const char *when;
		bool open;
	} cases[] = {
		{"%d-01-16T07:59:59Z", false}, /* one second before the opening */
		{"%d-01-16T08:00:00Z", true},  /* the opening */
		{"%d-04-17T21:59:59Z", true},  /* the closing instant itself */
		{"%d-04-17T22:00:00Z", false}, /* one second after it */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		snprintf(at, sizeof(at), cases[i].when, year);
		test_clock_set(at);
		json_t *e;
		assert_int_equal(api_json(NULL, "GET", path, NULL, &e), 200);
		if (json_is_true(json_object_get(e, "is_open")) != cases[i].open)
			fail_msg("at %s is_open should be %d", at, cases[i].open);
		json_decref(e);
	}
	test_clock_clear();
}

static void edition_page_shows_paris_time_and_a_countdown(void **state)
{
	(void)state;
	int year = create_edition();
	char path[64], at[32], closes[64];
	snprintf(path, sizeof(path), "/defi/%d", year);
	snprintf(at, sizeof(at), "%d-04-15T21:59:59Z", year);
	test_clock_set(at);
	struct sess *anon = sess_new();
	char *body = sess_page_with(anon, path, "il reste <strong>2 jours</strong>");
	snprintf(closes, sizeof(closes), "17 avril %d à 23 h 59", year);
	assert_non_null(strstr(body, closes));
	assert_non_null(strstr(body, "Deux jours à <strong>Paris</strong>."));
	assert_null(strstr(body, "<script>alert"));
	free(body);
	snprintf(at, sizeof(at), "%d-04-17T22:00:00Z", year);
	test_clock_set(at);
	free(sess_page_with(anon, path, "Les candidatures sont closes."));
	test_clock_clear();
	free(sess_page_with(anon, "/defi", path));
	sess_free(anon);
}

static void calendar_is_an_ics_file_in_paris_time(void **state)
{
	(void)state;
	int year = create_edition();
	char path[64], want[64];
	snprintf(path, sizeof(path), "/defi/%d/calendrier.ics", year);
	struct http_reply r;
	assert_int_equal(http_get(path, &r), 0);
	assert_int_equal(r.status, 200);
	char *type = http_header(&r, "Content-Type");
	assert_non_null(strstr(type, "text/calendar"));
	free(type);
	assert_non_null(strstr(r.body, "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris"));
	snprintf(want, sizeof(want), "DTSTART;TZID=Europe/Paris:%d0417T235959\r\n", year);
	assert_non_null(strstr(r.body, want));
	snprintf(want, sizeof(want), "DTSTART;VALUE=DATE:%d0626\r\n", year);
	assert_non_null(strstr(r.body, want));
	http_reply_free(&r);
	assert_int_equal(http_get("/defi/1999/calendrier.ics", &r), 0);
	assert_int_equal(r.status, 404);
	http_reply_free(&r);
}

/* Asserts that html shows an error next to field. */
static void has_field_error(const char *html, const char *field)
{
	char *message = html_field_error(html, field);
	if (!message)
		fail_msg("no error next to %s", field);
	free(message);
}

/* The form takes Paris local time: 17 April 23:59:59 is summer time
 * (UTC+2), 16 January 09:00 winter time (UTC+1). */
static void form_reads_paris_local_time(void **state)
{
	(void)state;
	int year = 0;
	char y[8], start[16], end[16], opens[32], closes[32];
	struct http_reply r;
	for (int tries = 0; tries <= 2100 - 2030; tries++) {
		year = test_year_next();
		snprintf(y, sizeof(y), "%d", year);
		snprintf(start, sizeof(start), "%d-06-26", year);
		snprintf(end, sizeof(end), "%d-06-27", year);
		snprintf(opens, sizeof(opens), "%d-01-16T09:00", year);
		snprintf(closes, sizeof(closes), "%d-04-17T23:59:59", year);
		sess_post_form(coord.s, "/defi/nouvelle", "/defi/nouvelle", &r, "year", y, "title",
			       "Défi du Lab", "theme", "la sobriété", "description", "",
			       "event_start", start, "event_end", end, "location", "Lyon",
			       "signup_opens_at", opens, "signup_closes_at", closes,
			       "min_team_size", "6", "max_team_size", "", "question_1_label",
			       "Pourquoi vous ?", "question_1_required", "1", NULL);
		if (r.status == 303)
			break;
		assert_int_equal(r.status, 422);
		has_field_error(r.body, "year");
		http_reply_free(&r);
	}
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	char path[64], want[32];
	snprintf(path, sizeof(path), "/api/v1/defi/editions/%d", year);
	json_t *e;
	assert_int_equal(api_json(NULL, "GET", path, NULL, &e), 200);
	snprintf(want, sizeof(want), "%d-04-17T21:59:59Z", year);
	assert_string_equal(json_string_value(json_object_get(e, "signup_closes_at")), want);
	snprintf(want, sizeof(want), "%d-01-16T08:00:00Z", year);
	assert_string_equal(json_string_value(json_object_get(e, "signup_opens_at")), want);
	assert_true(json_is_true(
		json_object_get(json_array_get(json_object_get(e, "questions"), 0), "required")));
	json_decref(e);

	/* A refused form keeps what was typed, the error next to its field. */
	sess_post_form(coord.s, "/defi/nouvelle", "/defi/nouvelle", &r, "year", y, "title",
		       "Gardé tel quel", "signup_opens_at", opens, NULL);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "<title>Erreur\u202f: "));
	has_field_error(r.body, "theme");
	has_field_error(r.body, "year");
	assert_non_null(strstr(r.body, "value=\"Gardé tel quel\""));
	http_reply_free(&r);
}

static void edits_refuse_a_stale_revision(void **state)
{
	(void)state;
	int year = create_edition();
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/defi/editions/%d", year);
	json_t *e = edition_of(year), *out;
	json_object_set_new(e, "rev", json_integer(1));
	json_object_set_new(e, "max_team_size", json_integer(10));
	json_object_set_new(e, "theme", json_string("un thème revu"));
	assert_int_equal(api_json(coord.token, "PUT", path, e, &out), 200);
	assert_int_equal(json_integer_value(json_object_get(out, "max_team_size")), 10);
	assert_int_equal(json_integer_value(json_object_get(out, "rev")), 2);
	json_decref(out);
	/* Saved by someone else since revision 1 was read. */
	assert_int_equal(api_json(coord.token, "PUT", path, e, NULL), 409);
	json_decref(e);

	/* The edit form shows the edition in Paris time and saves it. */
	char page[64];
	snprintf(page, sizeof(page), "/defi/%d/modifier", year);
	struct http_reply r;
	assert_int_equal(sess_get(coord.s, page, &r), 0);
	assert_int_equal(r.status, 200);
	char *v = html_input_value(r.body, "signup_closes_at"), want[32];
	snprintf(want, sizeof(want), "%d-04-17T23:59:59", year);
	assert_string_equal(v, want);
	free(v);
	http_reply_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(api_gives_the_issue_fields_in_utc),
		cmocka_unit_test(only_coordinators_write_editions),
		cmocka_unit_test(broken_rules_answer_422_with_fields),
		cmocka_unit_test(window_boundaries_are_exact),
		cmocka_unit_test(edition_page_shows_paris_time_and_a_countdown),
		cmocka_unit_test(calendar_is_an_ics_file_in_paris_time),
		cmocka_unit_test(form_reads_paris_local_time),
		cmocka_unit_test(edits_refuse_a_stale_revision),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
