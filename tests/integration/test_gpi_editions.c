/* Grand Prix editions through the real stack: the secretariat creates and
 * edits them (API and forms, Paris local time in forms), everyone reads
 * them (pages, API, calendar), the demo has 2022 exactly as its rules say,
 * and filing holds at the deadline's exact second under the test clock,
 * a daylight-saving change included. Years are picked per run, far
 * ahead, so that other tests' editions (and the demo's) never collide. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "support.h"

static const char PASSWORD[] = "correct horse battery staple 42";

static struct test_account secretariat, agent;

static int setup(void **state)
{
	(void)state;
	test_account_new(&secretariat, "gpi-sec", "Sophie Secrétariat", "secretariat", PASSWORD);
	test_account_new(&agent, "gpi-agent", "Alain Agent", NULL, PASSWORD);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_clock_clear();
	test_account_free(&secretariat);
	test_account_free(&agent);
	return 0;
}

static const char *str_at(const json_t *e, const char *a, const char *b)
{
	const json_t *v = json_object_get(e, a);
	return json_string_value(b ? json_object_get(v, b) : v);
}

static long long int_at(const json_t *e, const char *a, const char *b)
{
	const json_t *v = json_object_get(e, a);
	return json_integer_value(b ? json_object_get(v, b) : v);
}

static void api_gives_the_issue_fields(void **state)
{
	(void)state;
	int year = test_gpi_edition_new(secretariat.token);
	char path[64], want[32];
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d", year);
	json_t *e;
	assert_int_equal(api_json(NULL, "GET", path, NULL, &e), 200);
	assert_int_equal(int_at(e, "year", NULL), year);
	assert_non_null(str_at(e, "title", NULL));
	snprintf(want, sizeof(want), "%d-01-09T23:00:00Z", year);
	assert_string_equal(str_at(e, "launch_at", NULL), want);
	snprintf(want, sizeof(want), "%d-04-01T21:30:00Z", year);
	assert_string_equal(str_at(e, "deadline_at", NULL), want);
	snprintf(want, sizeof(want), "%d-01-01", year - 3);
	assert_string_equal(str_at(e, "window_start", NULL), want);
	snprintf(want, sizeof(want), "%d-12-31", year - 1);
	assert_string_equal(str_at(e, "window_end", NULL), want);
	const json_t *categories = json_object_get(e, "categories");
	assert_int_equal(json_array_size(categories), 6);
	assert_string_equal(str_at(json_array_get(categories, 0), "code", NULL),
			    "relation-usagers");
	assert_non_null(str_at(json_array_get(categories, 0), "name", NULL));
	assert_non_null(str_at(json_array_get(categories, 0), "description", NULL));
	const char *phases[] = {"analysis", "preselection", "notification", "audition", "ceremony"};
	for (size_t i = 0; i < 5; i++) {
		const json_t *p = json_object_get(json_object_get(e, "phases"), phases[i]);
		assert_non_null(str_at(p, "start", NULL));
		assert_non_null(str_at(p, "end", NULL));
	}
	snprintf(want, sizeof(want), "%d-06-30T22:00:00Z", year);
	assert_string_equal(str_at(json_object_get(json_object_get(e, "phases"), "notification"),
				   "start", NULL),
			    want);
	assert_int_equal(int_at(e, "limits", "dossier_max_bytes"), 5242880);
	assert_int_equal(int_at(e, "limits", "video_max_bytes"), 524288000);
	assert_int_equal(int_at(e, "limits", "video_max_seconds"), 180);
	assert_int_equal(int_at(e, "gold_endowment_eur", NULL), 5000);
	assert_string_equal(str_at(e, "contact", "email"), "gpi-secu@example.org");
	assert_int_equal(json_array_size(json_object_get(e, "criteria")), 2);
	assert_true(json_is_boolean(json_object_get(e, "is_open")));
	json_decref(e);

	json_t *list;
	assert_int_equal(api_json(NULL, "GET", "/api/v1/gpi/editions", NULL, &list), 200);
	bool listed = false;
	size_t i;
	json_array_foreach(json_object_get(list, "items"), i, e)
		listed |= int_at(e, "year", NULL) == year;
	assert_true(listed);
	json_decref(list);
	assert_int_equal(api_json(NULL, "GET", "/api/v1/gpi/editions/1999", NULL, NULL), 404);
	assert_int_equal(api_json(NULL, "GET", "/api/v1/gpi/editions/abcd", NULL, NULL), 404);
}

/* The demo's 2022 edition is the rules' (issue 12, "Editions"). */
static void demo_has_2022_as_its_rules_say(void **state)
{
	(void)state;
	char *out = NULL;
	assert_int_equal(cli_run((const char *[]){"seed", "--demo", NULL}, NULL, &out), 0);
	free(out);
	assert_true(wait_for_status("/api/v1/gpi/editions/2022", 200, 10000) >= 0);
	json_t *e;
	assert_int_equal(api_json(NULL, "GET", "/api/v1/gpi/editions/2022", NULL, &e), 200);
	assert_string_equal(str_at(e, "launch_at", NULL), "2022-01-09T23:00:00Z");
	assert_string_equal(str_at(e, "deadline_at", NULL), "2022-04-01T21:30:00Z");
	assert_string_equal(str_at(e, "window_start", NULL), "2019-01-01");
	assert_string_equal(str_at(e, "window_end", NULL), "2021-12-31");
	const char *codes[] = {"relation-usagers", "sociale", "environnementale",
			       "territoriale",     "rh",      "rsi"};
	const json_t *categories = json_object_get(e, "categories");
	assert_int_equal(json_array_size(categories), 6);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(str_at(json_array_get(categories, i), "code", NULL), codes[i]);
	assert_string_equal(str_at(json_array_get(categories, 4), "name", NULL), "Innovation RH");
	const json_t *phases = json_object_get(e, "phases");
	assert_string_equal(str_at(json_object_get(phases, "analysis"), "start", NULL),
			    "2022-04-03T22:00:00Z");
	assert_string_equal(str_at(json_object_get(phases, "analysis"), "end", NULL),
			    "2022-05-25T21:59:59Z");
	assert_string_equal(str_at(json_object_get(phases, "preselection"), "start", NULL),
			    "2022-05-29T22:00:00Z");
	assert_string_equal(str_at(json_object_get(phases, "notification"), "start", NULL),
			    "2022-06-30T22:00:00Z");
	assert_string_equal(str_at(json_object_get(phases, "audition"), "start", NULL),
			    "2022-10-02T22:00:00Z");
	assert_string_equal(str_at(json_object_get(phases, "ceremony"), "end", NULL),
			    "2022-10-04T21:59:59Z");
	assert_int_equal(int_at(e, "limits", "dossier_max_bytes"), 5242880);
	assert_int_equal(int_at(e, "limits", "video_max_bytes"), 524288000);
	assert_int_equal(int_at(e, "limits", "video_max_seconds"), 180);
	assert_int_equal(int_at(e, "gold_endowment_eur", NULL), 5000);
	assert_int_equal(json_array_size(json_object_get(e, "criteria")), 7);
	assert_false(json_is_true(json_object_get(e, "example")));
	json_decref(e);

	/* And a current edition open for filing today, marked as an example. */
	json_t *list, *item;
	assert_int_equal(api_json(NULL, "GET", "/api/v1/gpi/editions", NULL, &list), 200);
	bool open_example = false;
	size_t i;
	json_array_foreach(json_object_get(list, "items"), i, item)
		open_example |= json_is_true(json_object_get(item, "is_open")) &&
				json_is_true(json_object_get(item, "example"));
	assert_true(open_example);
	json_decref(list);
	struct sess *anon = sess_new();
	char *page = sess_page_with(anon, "/grand-prix/2022", "vendredi 1er avril 2022 à 23 h 30");
	assert_non_null(strstr(page, "Innovation en matière de responsabilité sociale interne"));
	assert_non_null(strstr(page, "du lundi 4 avril 2022 au mercredi 25 mai 2022"));
	assert_non_null(strstr(page, "le mardi 4 octobre 2022"));
	assert_non_null(strstr(page, "5 Mo"));
	assert_non_null(strstr(page, "3 minutes et 500 Mo"));
	free(page);
	sess_free(anon);
}

static void only_the_secretariat_writes_editions(void **state)
{
	(void)state;
	json_t *e = test_gpi_edition_json(2099);
	assert_int_equal(api_json(NULL, "POST", "/api/v1/gpi/editions", e, NULL), 401);
	assert_int_equal(api_json(agent.token, "POST", "/api/v1/gpi/editions", e, NULL), 403);
	int year = test_gpi_edition_new(secretariat.token);
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d", year);
	assert_int_equal(api_json(agent.token, "PUT", path, e, NULL), 403);
	assert_int_equal(api_json(NULL, "PUT", path, e, NULL), 401);
	json_decref(e);
	struct http_reply r;
	assert_int_equal(sess_get(agent.s, "/grand-prix/nouvelle", &r), 0);
	assert_int_equal(r.status, 403);
	http_reply_free(&r);
	snprintf(path, sizeof(path), "/grand-prix/%d/modifier", year);
	assert_int_equal(sess_get(agent.s, path, &r), 0);
	assert_int_equal(r.status, 403);
	http_reply_free(&r);
	/* The secretariat may; an edition that does not exist is a 404. */
	assert_int_equal(sess_get(secretariat.s, path, &r), 0);
	assert_int_equal(r.status, 200);
	http_reply_free(&r);
	assert_int_equal(sess_get(secretariat.s, "/grand-prix/1999/modifier", &r), 0);
	assert_int_equal(r.status, 404);
	http_reply_free(&r);
}

static void broken_rules_answer_422_with_fields(void **state)
{
	(void)state;
	int year = test_gpi_edition_new(secretariat.token);
	json_t *e = test_gpi_edition_json(year), *err;
	/* The year is the URL key: a second edition of it is refused. */
	assert_int_equal(api_json(secretariat.token, "POST", "/api/v1/gpi/editions", e, &err), 422);
	assert_non_null(strstr(api_field_error(err, "year"), "existe déjà"));
	json_decref(err);

	json_object_set_new(e, "year", json_integer(year + 1000));
	json_object_set_new(e, "title", json_pack("{s:s}", "$gt", ""));
	json_object_set_new(e, "launch_at", json_string("10/01/2022 00:00"));
	json_object_set_new(e, "window_start", json_string("2022-02-30"));
	json_object_set_new(json_object_get(e, "limits"), "dossier_max_bytes", json_integer(0));
	json_object_set_new(json_object_get(e, "contact"), "email", json_string("pas une adresse"));
	json_object_set_new(json_array_get(json_object_get(e, "categories"), 1), "code",
			    json_string("relation-usagers"));
	/* The preselection before the analysis ends. */
	json_object_set_new(json_object_get(json_object_get(e, "phases"), "preselection"), "start",
			    json_string("2030-05-01T00:00:00Z"));
	assert_int_equal(api_json(secretariat.token, "POST", "/api/v1/gpi/editions", e, &err), 422);
	assert_non_null(api_field_error(err, "year"));
	assert_non_null(api_field_error(err, "title"));
	assert_non_null(strstr(api_field_error(err, "launch_at"), "RFC 3339"));
	assert_non_null(api_field_error(err, "window_start"));
	assert_non_null(api_field_error(err, "dossier_max_bytes"));
	assert_non_null(api_field_error(err, "contact_email"));
	assert_non_null(strstr(api_field_error(err, "categories"), "même code"));
	assert_non_null(api_field_error(err, "preselection_start"));
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(err, "error"), "code")),
		"invalid");
	json_decref(err);
	json_decref(e);
}

/* Sets the test clock to the instant "<year>-<rest>". */
static void clock_at(int year, const char *rest)
{
	char at[40];
	snprintf(at, sizeof(at), "%d-%s", year, rest);
	test_clock_set(at);
}

static bool is_open_at(const char *path, int year, const char *rest)
{
	clock_at(year, rest);
	json_t *e;
	assert_int_equal(api_json(NULL, "GET", path, NULL, &e), 200);
	bool open = json_is_true(json_object_get(e, "is_open"));
	json_decref(e);
	return open;
}

/* Filing holds at its exact boundaries: the deadline second is on time,
 * the next one is not. */
static void filing_boundaries_are_exact(void **state)
{
	(void)state;
	int year = test_gpi_edition_new(secretariat.token);
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d", year);
	assert_false(is_open_at(path, year, "01-09T22:59:59Z"));
	assert_true(is_open_at(path, year, "01-09T23:00:00Z"));
	assert_true(is_open_at(path, year, "04-01T21:29:59Z"));
	assert_true(is_open_at(path, year, "04-01T21:30:00Z")); /* 23:30:00 Paris */
	assert_true(is_open_at(path, year, "04-01T21:30:00.999Z"));
	assert_false(is_open_at(path, year, "04-01T21:30:01Z")); /* 23:30:01 Paris */
	test_clock_clear();
}

/* Returns the date of the last Sunday of March of year: Paris goes from
 * UTC+1 to UTC+2 at 01:00 UTC that day. */
static int last_sunday_of_march(int year)
{
	for (int day = 31;; day--) {
		struct tm tm = {.tm_year = year - 1900, .tm_mon = 2, .tm_mday = day, .tm_hour = 12};
		time_t t = timegm(&tm);
		gmtime_r(&t, &tm);
		if (tm.tm_wday == 0)
			return day;
	}
}

/* A deadline typed in Paris time on the day the clocks go forward: 23:30
 * that evening is UTC+2, and the boundary holds to the second; 02:30 that
 * night does not exist and is refused. */
static void deadline_across_a_daylight_saving_change(void **state)
{
	(void)state;
	int year = test_gpi_edition_new(secretariat.token);
	int sunday = last_sunday_of_march(year);
	char path[64], page[64], y[8], deadline[32], gap[32];
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d", year);
	snprintf(page, sizeof(page), "/grand-prix/%d/modifier", year);
	snprintf(y, sizeof(y), "%d", year);
	/* The edit form, with the values the form itself shows, the deadline
	 * changed. */
	struct http_reply r;
	snprintf(gap, sizeof(gap), "%d-03-%02dT02:30:00", year, sunday);
	sess_post_form(secretariat.s, page, page, &r, "title", "GPI", "launch_at",
		       "2030-01-10T00:00:00", "deadline_at", gap, NULL);
	assert_int_equal(r.status, 422);
	char *message = html_field_error(r.body, "deadline_at");
	assert_non_null(message);
	free(message);
	http_reply_free(&r);

	json_t *e = test_gpi_edition_json(year);
	snprintf(deadline, sizeof(deadline), "%d-03-%02dT21:30:00Z", year, sunday);
	json_object_set_new(e, "deadline_at", json_string(deadline));
	assert_int_equal(api_json(secretariat.token, "PUT", path, e, NULL), 200);
	json_decref(e);
	char at[32];
	snprintf(at, sizeof(at), "03-%02dT21:30:00Z", sunday);
	assert_true(is_open_at(path, year, at));
	snprintf(at, sizeof(at), "03-%02dT21:30:01Z", sunday);
	assert_false(is_open_at(path, year, at));
	/* The winter hour, 22:30 UTC, would already be past. */
	snprintf(at, sizeof(at), "03-%02dT22:30:00Z", sunday);
	assert_false(is_open_at(path, year, at));
	test_clock_clear();
	struct sess *anon = sess_new();
	snprintf(page, sizeof(page), "/grand-prix/%d", year);
	char want[64];
	snprintf(want, sizeof(want), "dimanche %d mars %d à 23 h 30", sunday, year);
	free(sess_page_with(anon, page, want));
	sess_free(anon);
}

static void edition_page_shows_the_calendar_and_a_countdown(void **state)
{
	(void)state;
	int year = test_gpi_edition_new(secretariat.token);
	char path[64], want[80];
	snprintf(path, sizeof(path), "/grand-prix/%d", year);
	clock_at(year, "03-30T21:30:00Z");
	struct sess *anon = sess_new();
	char *body = sess_page_with(anon, path, "il reste <strong>2 jours</strong>");
	snprintf(want, sizeof(want), "1er avril %d à 23 h 30", year);
	assert_non_null(strstr(body, want));
	assert_non_null(strstr(body, "class=\"gpi-timeline\""));
	assert_non_null(strstr(body, "Audition des finalistes par le grand jury"));
	assert_non_null(strstr(body, "Le <strong>règlement</strong>."));
	assert_non_null(strstr(body, "/candidatures/nouvelle"));
	free(body);
	clock_at(year, "04-01T21:30:01Z");
	body = sess_page_with(anon, path, "Le dépôt des candidatures est clos.");
	assert_null(strstr(body, "/candidatures/nouvelle"));
	free(body);
	test_clock_clear();
	free(sess_page_with(anon, "/grand-prix", path));
	sess_free(anon);
}

static void calendar_is_an_ics_file_in_paris_time(void **state)
{
	(void)state;
	int year = test_gpi_edition_new(secretariat.token);
	char path[64], want[64];
	snprintf(path, sizeof(path), "/grand-prix/%d/calendrier.ics", year);
	struct http_reply r;
	assert_int_equal(http_get(path, &r), 0);
	assert_int_equal(r.status, 200);
	char *type = http_header(&r, "Content-Type");
	assert_non_null(strstr(type, "text/calendar"));
	free(type);
	assert_non_null(strstr(r.body, "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris"));
	snprintf(want, sizeof(want), "DTSTART;TZID=Europe/Paris:%d0401T233000\r\n", year);
	assert_non_null(strstr(r.body, want));
	snprintf(want, sizeof(want), "DTSTART;VALUE=DATE:%d0404\r\nDTEND;VALUE=DATE:%d0526\r\n",
		 year, year);
	assert_non_null(strstr(r.body, want));
	snprintf(want, sizeof(want), "DTSTART;VALUE=DATE:%d0701\r\nDTEND;VALUE=DATE:%d0702\r\n",
		 year, year);
	assert_non_null(strstr(r.body, want));
	snprintf(want, sizeof(want), "DTSTART;VALUE=DATE:%d1004\r\n", year);
	assert_non_null(strstr(r.body, want));
	snprintf(want, sizeof(want), "UID:gpi-%d-depot@", year);
	assert_non_null(strstr(r.body, want));
	snprintf(want, sizeof(want), "UID:gpi-%d-ceremony@", year);
	assert_non_null(strstr(r.body, want));
	assert_non_null(strstr(r.body, "END:VCALENDAR\r\n"));
	http_reply_free(&r);
	assert_int_equal(http_get("/grand-prix/1999/calendrier.ics", &r), 0);
	assert_int_equal(r.status, 404);
	http_reply_free(&r);
}

/* The form takes Paris local time (the deadline in summer time, the
 * launch in winter time), phases as days and sizes in Mo. */
static void form_reads_paris_local_time(void **state)
{
	(void)state;
	int year = 0;
	char y[8], launch[32], deadline[32], ws[16], we[16], days[10][16];
	struct http_reply r;
	for (int tries = 0; tries <= 2100 - 2030; tries++) {
		year = test_year_next();
		snprintf(y, sizeof(y), "%d", year);
		snprintf(launch, sizeof(launch), "%d-01-10T00:00", year);
		snprintf(deadline, sizeof(deadline), "%d-04-01T23:30:00", year);
		snprintf(ws, sizeof(ws), "%d-01-01", year - 3);
		snprintf(we, sizeof(we), "%d-12-31", year - 1);
		const char *md[] = {"04-04", "05-25", "05-30", "06-24", "07-01",
				    "07-01", "10-03", "10-03", "10-04", "10-04"};
		for (int i = 0; i < 10; i++)
			snprintf(days[i], sizeof(days[i]), "%d-%s", year, md[i]);
		sess_post_form(
			secretariat.s, "/grand-prix/nouvelle", "/grand-prix/nouvelle", &r, "year",
			y, "title", "Grand Prix", "launch_at", launch, "deadline_at", deadline,
			"window_start", ws, "window_end", we, "analysis_start", days[0],
			"analysis_end", days[1], "preselection_start", days[2], "preselection_end",
			days[3], "notification_start", days[4], "notification_end", days[5],
			"audition_start", days[6], "audition_end", days[7], "ceremony_start",
			days[8], "ceremony_time", "18:00", "ceremony_end", days[9],
			"dossier_max_mo", "5", "video_max_mo", "500", "video_max_seconds", "180",
			"gold_endowment_eur", "5000", "contact_name", "Secrétariat",
			"contact_email", "gpi@example.org", "category_1_code", "rh",
			"category_1_name", "Innovation RH", "category_1_description", "",
			"criterion_1_code", "objectifs", "criterion_1_label",
			"Clarté des objectifs", "criterion_1_weight", "2", "rules", "", NULL);
		if (r.status == 303)
			break;
		assert_int_equal(r.status, 422);
		char *message = html_field_error(r.body, "year");
		if (!message)
			fail_msg("refused, but not for its year");
		free(message);
		http_reply_free(&r);
	}
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	char path[64], want[32];
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d", year);
	json_t *e;
	assert_int_equal(api_json(NULL, "GET", path, NULL, &e), 200);
	snprintf(want, sizeof(want), "%d-04-01T21:30:00Z", year);
	assert_string_equal(str_at(e, "deadline_at", NULL), want);
	snprintf(want, sizeof(want), "%d-01-09T23:00:00Z", year);
	assert_string_equal(str_at(e, "launch_at", NULL), want);
	snprintf(want, sizeof(want), "%d-07-01T21:59:59Z", year);
	assert_string_equal(
		str_at(json_object_get(json_object_get(e, "phases"), "notification"), "end", NULL),
		want);
	/* The ceremony starts at its hour, Paris summer time: the laureates are
	 * published then, not at the midnight before. */
	snprintf(want, sizeof(want), "%d-10-04T16:00:00Z", year);
	assert_string_equal(
		str_at(json_object_get(json_object_get(e, "phases"), "ceremony"), "start", NULL),
		want);
	struct sess *anon = sess_new();
	snprintf(path, sizeof(path), "/grand-prix/%d", year);
	snprintf(want, sizeof(want), "4 octobre %d à 18 h 00", year);
	free(sess_page_with(anon, path, want));
	sess_free(anon);
	assert_int_equal(int_at(e, "limits", "dossier_max_bytes"), 5242880);
	assert_int_equal(int_at(e, "limits", "video_max_bytes"), 524288000);
	assert_int_equal(int_at(json_array_get(json_object_get(e, "criteria"), 0), "weight", NULL),
			 2);
	json_decref(e);

	/* A refused form keeps what was typed, the error next to its field. */
	sess_post_form(secretariat.s, "/grand-prix/nouvelle", "/grand-prix/nouvelle", &r, "year", y,
		       "title", "Gardé tel quel", "dossier_max_mo", "0", NULL);
	assert_int_equal(r.status, 422);
	char *message = html_field_error(r.body, "dossier_max_bytes");
	assert_non_null(message);
	free(message);
	message = html_field_error(r.body, "categories");
	assert_non_null(message);
	free(message);
	message = html_field_error(r.body, "ceremony_time");
	assert_non_null(strstr(message, "heure de début de la cérémonie"));
	free(message);
	assert_non_null(strstr(r.body, "value=\"Gardé tel quel\""));
	http_reply_free(&r);
}

static void edits_refuse_a_stale_revision(void **state)
{
	(void)state;
	int year = test_gpi_edition_new(secretariat.token);
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d", year);
	json_t *e = test_gpi_edition_json(year), *out;
	json_object_set_new(e, "rev", json_integer(1));
	json_object_set_new(e, "gold_endowment_eur", json_integer(6000));
	assert_int_equal(api_json(secretariat.token, "PUT", path, e, &out), 200);
	assert_int_equal(int_at(out, "gold_endowment_eur", NULL), 6000);
	assert_int_equal(int_at(out, "rev", NULL), 2);
	json_decref(out);
	/* Saved by someone else since revision 1 was read. */
	assert_int_equal(api_json(secretariat.token, "PUT", path, e, NULL), 409);
	json_decref(e);

	/* The edit form shows the edition in Paris time. */
	char page[64], want[32];
	snprintf(page, sizeof(page), "/grand-prix/%d/modifier", year);
	struct http_reply r;
	assert_int_equal(sess_get(secretariat.s, page, &r), 0);
	assert_int_equal(r.status, 200);
	char *v = html_input_value(r.body, "deadline_at");
	snprintf(want, sizeof(want), "%d-04-01T23:30:00", year);
	assert_string_equal(v, want);
	free(v);
	v = html_input_value(r.body, "dossier_max_mo");
	assert_string_equal(v, "5");
	free(v);
	v = html_input_value(r.body, "ceremony_time");
	assert_string_equal(v, "00:00");
	free(v);
	http_reply_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(api_gives_the_issue_fields),
		cmocka_unit_test(demo_has_2022_as_its_rules_say),
		cmocka_unit_test(only_the_secretariat_writes_editions),
		cmocka_unit_test(broken_rules_answer_422_with_fields),
		cmocka_unit_test(filing_boundaries_are_exact),
		cmocka_unit_test(deadline_across_a_daylight_saving_change),
		cmocka_unit_test(edition_page_shows_the_calendar_and_a_countdown),
		cmocka_unit_test(calendar_is_an_ics_file_in_paris_time),
		cmocka_unit_test(form_reads_paris_local_time),
		cmocka_unit_test(edits_refuse_a_stale_revision),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
