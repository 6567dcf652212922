/* The Défi editions without a database: the field rules, the sign-up
 * window at its exact boundaries, question codes, the countdown and the
 * iCalendar file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "defi/calendar.h"
#include "defi/edition.h"
#include "defi/edition_rules.h"
#include "defi/edition_view.h"
#include "defi/reminders.h"
#include "view/countdown.h"

/* 2023-04-17T21:59:59Z: 17 April 2023 at 23:59:59 in Paris. */
static const int64_t CLOSE_2023 = 1681768799000LL;
static const int64_t OPEN_2023 = 1673856000000LL; /* 2023-01-16T08:00:00Z */

static struct defi_edition_input valid(void)
{
	return (struct defi_edition_input){
		.year = 2023,
		.title = "Défi du Lab 2023",
		.theme = "mieux attirer, recruter et fidéliser",
		.description = "",
		.location = "Paris",
		.event_start = "2023-06-26",
		.event_end = "2023-06-27",
		.opens_at = OPEN_2023,
		.closes_at = CLOSE_2023,
		.opens_set = true,
		.closes_set = true,
		.min_team = 6,
	};
}

/* Returns whether errors (n of them) name field. */
static bool names(const struct field_error *errors, size_t n, const char *field)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(errors[i].field, field) == 0)
			return true;
	return false;
}

static void valid_edition_passes(void **state)
{
	(void)state;
	struct defi_edition_input in = valid();
	struct field_error errors[DEFI_EDITION_MAX_ERRORS];
	assert_int_equal(defi_edition_check(&in, errors), 0);
}

static void each_broken_rule_names_its_field(void **state)
{
	(void)state;
	struct field_error e[DEFI_EDITION_MAX_ERRORS];
	struct defi_edition_input in = valid();
	in.title = "";
	in.theme = "";
	in.location = "";
	assert_int_equal(defi_edition_check(&in, e), 3);
	assert_true(names(e, 3, "title") && names(e, 3, "theme") && names(e, 3, "location"));

	in = valid();
	in.year = 2017;
	assert_true(names(e, defi_edition_check(&in, e), "year"));
	in = valid();
	in.event_start = "2023-02-30";
	assert_true(names(e, defi_edition_check(&in, e), "event_start"));
	in = valid();
	in.event_end = "2023-06-25";
	assert_true(names(e, defi_edition_check(&in, e), "event_end"));
	in = valid();
	in.event_start = "2024-06-26";
	in.event_end = "2024-06-27";
	assert_true(names(e, defi_edition_check(&in, e), "event_start"));
	in = valid();
	in.closes_at = in.opens_at;
	assert_true(names(e, defi_edition_check(&in, e), "signup_closes_at"));
	in = valid();
	in.opens_set = false;
	assert_true(names(e, defi_edition_check(&in, e), "signup_opens_at"));
	in = valid();
	in.min_team = 0;
	assert_true(names(e, defi_edition_check(&in, e), "min_team_size"));
	in = valid();
	in.max_team = 5;
	assert_true(names(e, defi_edition_check(&in, e), "max_team_size"));
	in.max_team = 6;
	assert_int_equal(defi_edition_check(&in, e), 0);
}

static void leap_days_are_dates(void **state)
{
	(void)state;
	assert_true(defi_is_date("2024-02-29"));
	assert_false(defi_is_date("2023-02-29"));
	assert_false(defi_is_date("2100-02-29"));
	assert_true(defi_is_date("2000-02-29"));
	assert_false(defi_is_date("2023-6-26"));
	assert_false(defi_is_date("2023-06-26T"));
}

static void window_includes_both_ends(void **state)
{
	(void)state;
	json_t *e = json_pack("{s:I, s:I}", "signup_opens_at", (json_int_t)OPEN_2023,
			      "signup_closes_at", (json_int_t)CLOSE_2023);
	assert_false(defi_edition_is_open(e, OPEN_2023 - 1000));
	assert_true(defi_edition_is_open(e, OPEN_2023));
	assert_true(defi_edition_is_open(e, CLOSE_2023));
	assert_false(defi_edition_is_open(e, CLOSE_2023 + 1000));
	json_t *none = json_object();
	assert_false(defi_edition_is_open(none, OPEN_2023));
	json_decref(none);
	json_decref(e);
}

static void team_sizes_default_to_six_and_no_maximum(void **state)
{
	(void)state;
	json_t *e = json_object();
	assert_int_equal(defi_edition_min(e), 6);
	assert_int_equal(defi_edition_max(e), 0);
	json_object_set_new(e, "max_team_size", json_null());
	assert_int_equal(defi_edition_max(e), 0);
	json_object_set_new(e, "min_team_size", json_integer(8));
	json_object_set_new(e, "max_team_size", json_integer(12));
	assert_int_equal(defi_edition_min(e), 8);
	assert_int_equal(defi_edition_max(e), 12);
	json_decref(e);
}

static void question_codes_are_the_servers(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct defi_edition_input in = valid();
	in.questions[0] = (struct defi_question){"q3", "Quel besoin ?", true};
	in.questions[1] = (struct defi_question){NULL, "Qui vous soutient ?", false};
	in.questions[2] = (struct defi_question){"$where", "Une clé choisie ?", false};
	in.questions[3] = (struct defi_question){"q3", "Un doublon ?", false};
	in.n_questions = 4;
	defi_questions_number(a, &in);
	assert_string_equal(in.questions[0].code, "q3");
	assert_string_equal(in.questions[1].code, "q4");
	assert_string_equal(in.questions[2].code, "q5");
	assert_string_equal(in.questions[3].code, "q6");
	arena_free(a);
}

static void countdown_reads_in_french(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	const int64_t m = 60000, h = 60 * m, d = 24 * h;
	assert_string_equal(countdown_fr(a, 0, 30 * 1000), "moins d’une minute");
	assert_string_equal(countdown_fr(a, 0, m), "1 minute");
	assert_string_equal(countdown_fr(a, 0, 2 * h + 5 * m), "2 heures et 5 minutes");
	assert_string_equal(countdown_fr(a, 0, d + h + m), "1 jour, 1 heure et 1 minute");
	assert_string_equal(countdown_fr(a, 0, 12 * d + 4 * h + 3 * m), "12 jours et 4 heures");
	arena_free(a);
}

static void view_shows_paris_time(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	json_t *e = json_pack("{s:i, s:s, s:s, s:s, s:I, s:I}", "year", 2023, "event_start",
			      "2023-06-26", "event_end", "2023-06-27", "description",
			      "<script>alert(1)</script>**Venez**", "signup_opens_at",
			      (json_int_t)OPEN_2023, "signup_closes_at", (json_int_t)CLOSE_2023);
	json_t *v = defi_edition_view(a, e, CLOSE_2023);
	assert_string_equal(json_string_value(json_object_get(v, "signup_closes_at_fr")),
			    "lundi 17 avril 2023 à 23 h 59");
	assert_string_equal(json_string_value(json_object_get(v, "signup_closes_at_iso")),
			    "2023-04-17T21:59:59Z");
	assert_string_equal(json_string_value(json_object_get(v, "event_dates_fr")),
			    "du lundi 26 juin 2023 au mardi 27 juin 2023");
	assert_true(json_is_true(json_object_get(v, "is_open")));
	assert_null(strstr(json_string_value(json_object_get(v, "description_html")), "<script"));
	json_decref(v);
	v = defi_edition_view(a, e, CLOSE_2023 + 1000);
	assert_string_equal(json_string_value(json_object_get(v, "window")), "clos");
	json_decref(v);
	json_t *api = defi_edition_api(e, CLOSE_2023);
	assert_string_equal(json_string_value(json_object_get(api, "signup_closes_at")),
			    "2023-04-17T21:59:59Z");
	assert_true(json_is_null(json_object_get(api, "max_team_size")));
	assert_int_equal(json_integer_value(json_object_get(api, "min_team_size")), 6);
	json_decref(api);
	json_decref(e);
	arena_free(a);
}

static void calendar_follows_rfc_5545(void **state)
{
	(void)state;
	json_t *e = json_pack(
		"{s:i, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "year", 2023, "title",
		"Défi du Lab 2023", "theme",
		"mieux attirer, recruter et fidéliser ; un thème très long pour voir le pliage "
		"des lignes de plus de soixante-quinze octets",
		"location", "Paris", "event_start", "2023-06-26", "event_end", "2023-06-27",
		"signup_closes_at", (json_int_t)CLOSE_2023, "updated_at", (json_int_t)OPEN_2023);
	struct buf b = {0};
	defi_calendar_write(&b, e, "https://cousilab.example.org");
	const char *ics = b.data;
	assert_non_null(strstr(ics, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
	assert_non_null(strstr(ics, "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n"));
	assert_non_null(strstr(ics, "DTSTART;VALUE=DATE:20230626\r\n"));
	assert_non_null(strstr(ics, "DTEND;VALUE=DATE:20230628\r\n"));
	assert_non_null(strstr(ics, "DTSTART;TZID=Europe/Paris:20230417T235959\r\n"));
	assert_non_null(strstr(ics, "DTSTAMP:20230116T080000Z\r\n"));
	assert_non_null(strstr(ics, "UID:defi-2023-cloture@cousilab.example.org\r\n"));
	assert_non_null(strstr(ics, "recruter et fidéliser \\; un thème"));
	assert_non_null(strstr(ics, "END:VCALENDAR\r\n"));
	/* Every line ends in CRLF, is at most 75 octets, and a fold never
	 * cuts a UTF-8 character. */
	for (const char *l = ics; *l;) {
		const char *end = strstr(l, "\r\n");
		assert_non_null(end);
		assert_true(end - l <= 75);
		assert_true(((unsigned char)*l & 0xC0) != 0x80 || l == ics);
		if (*l == ' ')
			assert_true(((unsigned char)l[1] & 0xC0) != 0x80);
		l = end + 2;
	}
	buf_free(&b);
	json_decref(e);
}

static void reminders_fall_due_at_their_boundaries(void **state)
{
	(void)state;
	const int64_t day = 86400000, c = CLOSE_2023;
	assert_int_equal(defi_captain_reminder_due(c, c - 7 * day - 1000), 0);
	assert_int_equal(defi_captain_reminder_due(c, c - 7 * day), 7);
	assert_int_equal(defi_captain_reminder_due(c, c - day - 1000), 7);
	assert_int_equal(defi_captain_reminder_due(c, c - day), 1);
	assert_int_equal(defi_captain_reminder_due(c, c), 1);
	assert_int_equal(defi_captain_reminder_due(c, c + 1000), 0);
	assert_false(defi_invite_reminder_due(OPEN_2023, OPEN_2023 + 3 * day - 1000));
	assert_true(defi_invite_reminder_due(OPEN_2023, OPEN_2023 + 3 * day));
	assert_false(defi_invite_reminder_due(0, OPEN_2023));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_edition_passes),
		cmocka_unit_test(each_broken_rule_names_its_field),
		cmocka_unit_test(leap_days_are_dates),
		cmocka_unit_test(window_includes_both_ends),
		cmocka_unit_test(team_sizes_default_to_six_and_no_maximum),
		cmocka_unit_test(question_codes_are_the_servers),
		cmocka_unit_test(countdown_reads_in_french),
		cmocka_unit_test(view_shows_paris_time),
		cmocka_unit_test(calendar_follows_rfc_5545),
		cmocka_unit_test(reminders_fall_due_at_their_boundaries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
