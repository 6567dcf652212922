/* The Grand Prix editions' pure parts: every rule of an edition at its
 * boundary, the filing period to the second, the realisation window's
 * ends, which edition /grand-prix puts first, the French sizes and
 * durations, and the calendar file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "gpi/edition.h"
#include "gpi/edition_rules.h"
#include "gpi/edition_view.h"

enum { MIB = 1024 * 1024 };

/* 2022's instants, UTC ms. */
static const int64_t LAUNCH_2022 = 1641769200000LL;   /* 2022-01-09T23:00:00Z */
static const int64_t DEADLINE_2022 = 1648848600000LL; /* 2022-04-01T21:30:00Z */
static const int64_t DAY = 86400000LL;

static const struct gpi_category RH = {"rh", "Innovation RH", "Les ressources humaines."};

/* 2022 as its rules say (phases from 00:00:00 to 23:59:59 Paris). */
static struct gpi_edition_input valid(void)
{
	struct gpi_edition_input in = {
		.year = 2022,
		.title = "Grand Prix de l’innovation de la Sécurité sociale 2022",
		.rules = "",
		.n_categories = 1,
		.launch_at = LAUNCH_2022,
		.deadline_at = DEADLINE_2022,
		.launch_set = true,
		.deadline_set = true,
		.window_start = "2019-01-01",
		.window_end = "2021-12-31",
		.limits = {5 * MIB, 500 * MIB, 180},
		.gold_endowment_eur = 5000,
		.contact_name = "Secrétariat du GPI",
		.contact_email = "gpi-secu@ucanss.fr",
		.n_criteria = 1,
	};
	in.categories[0] = RH;
	in.criteria[0] = (struct gpi_criterion){"objectifs", "Clarté des objectifs", 1};
	/* 2022-04-03T22:00:00Z, the analysis's first instant (4 April 00:00
	 * Paris), and the following phases a day apart at least. */
	const int64_t starts[] = {1649023200000LL, 1653861600000LL, 1656626400000LL,
				  1664748000000LL, 1664834400000LL};
	const int64_t lasts[] = {1653515999000LL, 1656107999000LL, 1656712799000LL, 1664834399000LL,
				 1664920799000LL};
	for (int p = 0; p < GPI_PHASE_COUNT; p++) {
		in.phase_start[p] = starts[p];
		in.phase_end[p] = lasts[p];
		in.phase_set[p] = true;
	}
	return in;
}

/* Returns whether the check of in names field. */
static bool refuses(const struct gpi_edition_input *in, const char *field)
{
	struct field_error errors[GPI_EDITION_MAX_ERRORS];
	size_t n = gpi_edition_check(in, errors);
	for (size_t i = 0; i < n; i++)
		if (strcmp(errors[i].field, field) == 0)
			return true;
	return false;
}

static size_t errors_of(const struct gpi_edition_input *in)
{
	struct field_error errors[GPI_EDITION_MAX_ERRORS];
	return gpi_edition_check(in, errors);
}

static void the_2022_edition_passes(void **state)
{
	(void)state;
	struct gpi_edition_input in = valid();
	assert_int_equal(errors_of(&in), 0);
}

static void year_title_and_contact(void **state)
{
	(void)state;
	struct gpi_edition_input in = valid();
	in.year = 2009;
	assert_true(refuses(&in, "year"));
	in.year = 2101;
	assert_true(refuses(&in, "year"));
	in = valid();
	in.title = "";
	assert_true(refuses(&in, "title"));
	in = valid();
	in.contact_email = "gpi-secu";
	assert_true(refuses(&in, "contact_email"));
	in = valid();
	in.contact_name = "";
	assert_true(refuses(&in, "contact_name"));
}

static void deadline_follows_the_launch_in_its_year(void **state)
{
	(void)state;
	struct gpi_edition_input in = valid();
	in.launch_at = in.deadline_at;
	assert_true(refuses(&in, "deadline_at"));
	in.launch_at = in.deadline_at - 1;
	assert_int_equal(errors_of(&in), 0);
	in = valid();
	in.deadline_set = false;
	assert_true(refuses(&in, "deadline_at"));
	in = valid();
	in.year = 2023; /* a 2022 deadline for the 2023 edition */
	assert_true(refuses(&in, "deadline_at"));
}

static void window_ends_by_the_deadline_day(void **state)
{
	(void)state;
	struct gpi_edition_input in = valid();
	in.window_end = "2022-04-01"; /* the deadline's Paris day */
	assert_int_equal(errors_of(&in), 0);
	in.window_end = "2022-04-02";
	assert_true(refuses(&in, "window_end"));
	in.window_end = "2018-12-31";
	assert_true(refuses(&in, "window_end"));
	in = valid();
	in.window_start = "2021-02-29";
	assert_true(refuses(&in, "window_start"));
	in.window_start = "01/01/2019";
	assert_true(refuses(&in, "window_start"));
}

static void phases_come_in_order(void **state)
{
	(void)state;
	struct gpi_edition_input in = valid();
	in.phase_start[GPI_PHASE_ANALYSIS] = DEADLINE_2022; /* the deadline itself */
	assert_true(refuses(&in, "analysis_start"));
	in.phase_start[GPI_PHASE_ANALYSIS] = DEADLINE_2022 + 1;
	assert_int_equal(errors_of(&in), 0);
	in = valid();
	in.phase_start[GPI_PHASE_PRESELECTION] = in.phase_end[GPI_PHASE_ANALYSIS];
	assert_true(refuses(&in, "preselection_start"));
	in.phase_start[GPI_PHASE_PRESELECTION] = in.phase_end[GPI_PHASE_ANALYSIS] + 1;
	assert_int_equal(errors_of(&in), 0);
	in = valid();
	in.phase_end[GPI_PHASE_CEREMONY] = in.phase_start[GPI_PHASE_CEREMONY] - 1;
	assert_true(refuses(&in, "ceremony_end"));
	in.phase_end[GPI_PHASE_CEREMONY] = in.phase_start[GPI_PHASE_CEREMONY];
	assert_int_equal(errors_of(&in), 0);
	in = valid();
	in.phase_set[GPI_PHASE_AUDITION] = false;
	assert_true(refuses(&in, "audition_start"));
}

static void limits_are_positive_and_bounded(void **state)
{
	(void)state;
	struct gpi_edition_input in = valid();
	in.limits[GPI_LIMIT_DOSSIER_BYTES] = 0;
	assert_true(refuses(&in, "dossier_max_bytes"));
	in.limits[GPI_LIMIT_DOSSIER_BYTES] = 1;
	assert_int_equal(errors_of(&in), 0);
	in.limits[GPI_LIMIT_DOSSIER_BYTES] = GPI_DOSSIER_BYTES_MAX;
	assert_int_equal(errors_of(&in), 0);
	in.limits[GPI_LIMIT_DOSSIER_BYTES] = GPI_DOSSIER_BYTES_MAX + 1;
	assert_true(refuses(&in, "dossier_max_bytes"));
	in = valid();
	in.limits[GPI_LIMIT_VIDEO_BYTES] = -1; /* unreadable */
	assert_true(refuses(&in, "video_max_bytes"));
	in = valid();
	in.limits[GPI_LIMIT_VIDEO_SECONDS] = GPI_VIDEO_SECONDS_MAX + 1;
	assert_true(refuses(&in, "video_max_seconds"));
	in = valid();
	in.gold_endowment_eur = 0; /* no endowment is allowed */
	assert_int_equal(errors_of(&in), 0);
	in.gold_endowment_eur = -1;
	assert_true(refuses(&in, "gold_endowment_eur"));
}

static void categories_and_criteria(void **state)
{
	(void)state;
	struct gpi_edition_input in = valid();
	in.n_categories = 0;
	assert_true(refuses(&in, "categories"));
	in = valid();
	in.categories[1] = RH; /* the same code twice */
	in.n_categories = 2;
	assert_true(refuses(&in, "categories"));
	const char *bad[] = {"Relation", "-rh", "rh-",
			     "r h",      "",    "abcdefghijklmnopqrstuvwxyz0123456"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		in = valid();
		in.categories[0].code = bad[i];
		if (gpi_is_code(bad[i]))
			fail_msg("%s taken as a code", bad[i]);
		assert_true(refuses(&in, "categories"));
	}
	assert_true(gpi_is_code("relation-usagers"));
	assert_true(gpi_is_code("abcdefghijklmnopqrstuvwxyz012345")); /* 32 */
	assert_false(gpi_is_code("abcdefghijklmnopqrstuvwxyz0123456"));
	in = valid();
	in.criteria[0].weight = 0;
	assert_true(refuses(&in, "criteria"));
	in.criteria[0].weight = GPI_WEIGHT_MAX;
	assert_int_equal(errors_of(&in), 0);
	in.criteria[0].weight = GPI_WEIGHT_MAX + 1;
	assert_true(refuses(&in, "criteria"));
}

/* The cache's JSON of 2022 (instants as integers). */
static json_t *edition_2022(void)
{
	return json_pack("{s:i, s:s, s:I, s:I, s:s, s:s, s:{s:{s:I, s:I}, s:{s:I, s:I}}, "
			 "s:{s:I, s:I, s:I}, s:[{s:s, s:s}], s:I, s:I}",
			 "year", 2022, "title", "Grand Prix 2022", "launch_at",
			 (json_int_t)LAUNCH_2022, "deadline_at", (json_int_t)DEADLINE_2022,
			 "window_start", "2019-01-01", "window_end", "2021-12-31", "phases",
			 "analysis", "start", (json_int_t)1649023200000LL, "end",
			 (json_int_t)1653515999000LL, "notification", "start",
			 (json_int_t)1656626400000LL, "end", (json_int_t)1656712799000LL, "limits",
			 "dossier_max_bytes", (json_int_t)5 * MIB, "video_max_bytes",
			 (json_int_t)500 * MIB, "video_max_seconds", (json_int_t)180, "categories",
			 "code", "rh", "name", "Innovation RH", "updated_at",
			 (json_int_t)LAUNCH_2022, "gold_endowment_eur", (json_int_t)5000);
}

static void filing_is_open_to_the_deadline_second(void **state)
{
	(void)state;
	json_t *e = edition_2022();
	assert_false(gpi_edition_is_open(e, LAUNCH_2022 - 1));
	assert_true(gpi_edition_is_open(e, LAUNCH_2022));
	assert_true(gpi_edition_is_open(e, DEADLINE_2022 - 1000));
	assert_true(gpi_edition_is_open(e, DEADLINE_2022));         /* 23:30:00 Paris */
	assert_true(gpi_edition_is_open(e, DEADLINE_2022 + 999));   /* still 23:30:00 */
	assert_false(gpi_edition_is_open(e, DEADLINE_2022 + 1000)); /* 23:30:01 */
	assert_false(gpi_edition_is_past_deadline(e, DEADLINE_2022 + 999));
	assert_true(gpi_edition_is_past_deadline(e, DEADLINE_2022 + 1000));
	assert_int_equal(gpi_edition_deadline_ms(e), DEADLINE_2022);
	json_decref(e);
}

static void window_includes_both_ends(void **state)
{
	(void)state;
	json_t *e = edition_2022();
	assert_false(gpi_edition_in_window(e, "2018-12-31"));
	assert_true(gpi_edition_in_window(e, "2019-01-01"));
	assert_true(gpi_edition_in_window(e, "2021-12-31"));
	assert_false(gpi_edition_in_window(e, "2022-01-01"));
	assert_false(gpi_edition_in_window(e, "2020-13-01"));
	assert_false(gpi_edition_in_window(e, NULL));
	json_decref(e);
}

static void accessors_read_the_edition(void **state)
{
	(void)state;
	json_t *e = edition_2022();
	assert_string_equal(
		json_string_value(json_object_get(gpi_edition_category(e, "rh"), "name")),
		"Innovation RH");
	assert_null(gpi_edition_category(e, "sociale"));
	assert_null(gpi_edition_category(e, NULL));
	assert_int_equal(gpi_edition_limit(e, GPI_LIMIT_DOSSIER_BYTES), 5242880);
	assert_int_equal(gpi_edition_limit(e, GPI_LIMIT_VIDEO_BYTES), 524288000);
	assert_int_equal(gpi_edition_limit(e, GPI_LIMIT_VIDEO_SECONDS), 180);
	int64_t start, end;
	assert_int_equal(gpi_edition_phase(e, GPI_PHASE_NOTIFICATION, &start, &end), 0);
	assert_int_equal(start, 1656626400000LL);
	assert_int_equal(gpi_edition_phase(e, GPI_PHASE_CEREMONY, &start, &end), -1);
	assert_string_equal(gpi_phase_key(GPI_PHASE_AUDITION), "audition");
	assert_string_equal(gpi_limit_key(GPI_LIMIT_VIDEO_SECONDS), "video_max_seconds");
	json_decref(e);
}

/* Returns an edition of year filing from launch to deadline. */
static json_t *edition_at(int year, int64_t launch, int64_t deadline)
{
	return json_pack("{s:i, s:I, s:I}", "year", year, "launch_at", (json_int_t)launch,
			 "deadline_at", (json_int_t)deadline);
}

static void current_is_open_else_next_else_latest(void **state)
{
	(void)state;
	/* Newest first, as the cache gives them. */
	json_t *all = json_pack("[o, o, o]", edition_at(2024, 3000 * DAY, 3100 * DAY),
				edition_at(2023, 2000 * DAY, 2100 * DAY),
				edition_at(2022, 1000 * DAY, 1100 * DAY));
	const json_t *c = gpi_edition_current(all, 2050 * DAY);
	assert_int_equal(gpi_edition_year(c), 2023); /* open */
	c = gpi_edition_current(all, 1500 * DAY);
	assert_int_equal(gpi_edition_year(c), 2023); /* the next to open */
	c = gpi_edition_current(all, 5000 * DAY);
	assert_int_equal(gpi_edition_year(c), 2024); /* the latest */
	c = gpi_edition_current(all, 0);
	assert_int_equal(gpi_edition_year(c), 2022);
	json_t *none = json_array();
	assert_null(gpi_edition_current(none, 0));
	json_decref(none);
	json_decref(all);
}

static void sizes_and_durations_in_french(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	assert_string_equal(gpi_mo_fr(a, 5242880), "5 Mo");
	assert_string_equal(gpi_mo_fr(a, 524288000), "500 Mo");
	assert_string_equal(gpi_mo_fr(a, MIB / 2), "0,5 Mo");
	assert_string_equal(gpi_mo_fr(a, 5242881), "5 Mo");
	assert_string_equal(gpi_duration_fr(a, 180), "3 minutes");
	assert_string_equal(gpi_duration_fr(a, 181), "3 minutes et 1 seconde");
	assert_string_equal(gpi_duration_fr(a, 45), "45 secondes");
	assert_string_equal(gpi_duration_fr(a, 60), "1 minute");
	arena_free(a);
}

static void view_says_2022_in_french(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	json_t *e = edition_2022();
	json_t *v = gpi_edition_view(a, e, DEADLINE_2022 - 2 * DAY);
	assert_string_equal(json_string_value(json_object_get(v, "deadline_at_fr")),
			    "vendredi 1er avril 2022 à 23 h 30");
	assert_string_equal(json_string_value(json_object_get(v, "countdown_fr")), "2 jours");
	assert_string_equal(json_string_value(json_object_get(v, "window_fr")),
			    "du mardi 1er janvier 2019 au vendredi 31 décembre 2021");
	assert_string_equal(json_string_value(json_object_get(v, "gold_fr")), "5\u202f000\u00a0€");
	const json_t *steps = json_object_get(v, "timeline");
	assert_int_equal(json_array_size(steps), 4); /* launch, deadline, two phases */
	assert_string_equal(json_string_value(json_object_get(json_array_get(steps, 2), "when_fr")),
			    "du lundi 4 avril 2022 au mercredi 25 mai 2022");
	assert_string_equal(json_string_value(json_object_get(json_array_get(steps, 3), "when_fr")),
			    "le vendredi 1er juillet 2022");
	assert_true(json_is_true(json_object_get(json_array_get(steps, 0), "is_past")));
	json_decref(v);
	json_decref(e);
	arena_free(a);
}

static void calendar_follows_rfc_5545(void **state)
{
	(void)state;
	json_t *e = edition_2022();
	struct buf b = {0};
	gpi_calendar_write(&b, e, "https://cousilab.example.org");
	const char *ics = b.data;
	assert_non_null(strstr(ics, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
	assert_non_null(strstr(ics, "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n"));
	assert_non_null(strstr(ics, "UID:gpi-2022-depot@cousilab.example.org\r\n"));
	assert_non_null(strstr(ics, "DTSTART;TZID=Europe/Paris:20220401T233000\r\n"));
	assert_non_null(
		strstr(ics, "DTSTART;VALUE=DATE:20220404\r\nDTEND;VALUE=DATE:20220526\r\n"));
	assert_non_null(
		strstr(ics, "DTSTART;VALUE=DATE:20220701\r\nDTEND;VALUE=DATE:20220702\r\n"));
	assert_non_null(strstr(ics, "END:VCALENDAR\r\n"));
	for (const char *l = ics; *l;) {
		const char *end = strstr(l, "\r\n");
		assert_non_null(end);
		assert_true(end - l <= 75);
		l = end + 2;
	}
	buf_free(&b);
	json_decref(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_2022_edition_passes),
		cmocka_unit_test(year_title_and_contact),
		cmocka_unit_test(deadline_follows_the_launch_in_its_year),
		cmocka_unit_test(window_ends_by_the_deadline_day),
		cmocka_unit_test(phases_come_in_order),
		cmocka_unit_test(limits_are_positive_and_bounded),
		cmocka_unit_test(categories_and_criteria),
		cmocka_unit_test(filing_is_open_to_the_deadline_second),
		cmocka_unit_test(window_includes_both_ends),
		cmocka_unit_test(accessors_read_the_edition),
		cmocka_unit_test(current_is_open_else_next_else_latest),
		cmocka_unit_test(sizes_and_durations_in_french),
		cmocka_unit_test(view_says_2022_in_french),
		cmocka_unit_test(calendar_follows_rfc_5545),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
