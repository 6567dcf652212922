#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/paris_time.h"

/* The UTC instant of an RFC 3339 text, failing the test if it does not
 * parse. */
static int64_t utc(const char *rfc3339)
{
	int64_t ms = -1;
	assert_int_equal(paris_time_parse_rfc3339(rfc3339, &ms), PARIS_TIME_OK);
	return ms;
}

static void assert_long(const char *rfc3339, const char *expected)
{
	char out[PARIS_TIME_LONG_MAX];
	assert_string_equal(paris_time_format_long(utc(rfc3339), out, sizeof(out)), expected);
}

/* Parses a Paris local date and time, expecting success, and checks the
 * UTC instant it names. */
static void assert_local(const char *date, const char *time, const char *expected_utc)
{
	int64_t ms = -1;
	char out[PARIS_TIME_RFC3339_MAX];
	assert_int_equal(paris_time_parse_local(date, time, &ms), PARIS_TIME_OK);
	assert_string_equal(paris_time_format_rfc3339(ms, out), expected_utc);
}

static void test_issue_example(void **state)
{
	(void)state;
	assert_local("2023-04-17", "23:59:59", "2023-04-17T21:59:59Z");
	assert_long("2026-12-04T16:46:00Z", "vendredi 4 décembre 2026 à 17 h 46");
	assert_long("2025-12-04T16:46:00Z", "jeudi 4 décembre 2025 à 17 h 46");
}

static void test_formats(void **state)
{
	(void)state;
	char date[PARIS_TIME_DATE_MAX], shortd[PARIS_TIME_SHORT_MAX];
	int64_t ms = utc("2026-12-01T08:05:00Z");
	assert_string_equal(paris_time_format_date(ms, date, sizeof(date)),
			    "mardi 1er décembre 2026");
	assert_string_equal(paris_time_format_short(ms, shortd), "01/12/2026");
	assert_long("2026-12-01T08:05:00Z", "mardi 1er décembre 2026 à 9 h 05");
	/* Midnight in Paris is still the previous day in UTC. */
	assert_long("2026-12-31T23:00:00Z", "vendredi 1er janvier 2027 à 0 h 00");
	assert_long("2026-08-15T21:59:00Z", "samedi 15 août 2026 à 23 h 59");
	/* The longest names fit the announced sizes. */
	char longest[PARIS_TIME_LONG_MAX];
	paris_time_format_long(utc("2026-09-30T21:59:00Z"), longest, sizeof(longest));
	assert_string_equal(longest, "mercredi 30 septembre 2026 à 23 h 59");
}

/* 2023-03-26 and 2026-03-29: clocks go from 02:00 to 03:00 at 01:00 UTC. */
static void test_spring_forward(void **state)
{
	(void)state;
	assert_int_equal(paris_time_offset_s(utc("2023-03-26T00:59:59Z")), 3600);
	assert_int_equal(paris_time_offset_s(utc("2023-03-26T01:00:00Z")), 7200);
	assert_long("2023-03-26T00:59:00Z", "dimanche 26 mars 2023 à 1 h 59");
	assert_long("2023-03-26T01:00:00Z", "dimanche 26 mars 2023 à 3 h 00");
	assert_int_equal(paris_time_offset_s(utc("2026-03-29T00:59:59Z")), 3600);
	assert_int_equal(paris_time_offset_s(utc("2026-03-29T01:00:00Z")), 7200);
	/* The day before, the last Saturday, is still winter time. */
	assert_int_equal(paris_time_offset_s(utc("2026-03-28T12:00:00Z")), 3600);

	assert_local("2026-03-29", "01:59:59", "2026-03-29T00:59:59Z");
	assert_local("2026-03-29", "03:00", "2026-03-29T01:00:00Z");
	int64_t ms = 42;
	assert_int_equal(paris_time_parse_local("2026-03-29", "02:30", &ms), PARIS_TIME_GAP);
	assert_int_equal(paris_time_parse_local("2023-03-26", "02:00", &ms), PARIS_TIME_GAP);
	assert_int_equal(paris_time_parse_datetime_local("2023-03-26T02:59:59", &ms),
			 PARIS_TIME_GAP);
	assert_int_equal(ms, 42);
	assert_non_null(strstr(paris_time_error_fr(PARIS_TIME_GAP), "3 h"));
}

/* 2023-10-29 and 2026-10-25: clocks go from 03:00 back to 02:00 at 01:00
 * UTC; 02:00 to 02:59 happen twice and the first is taken. */
static void test_fall_back(void **state)
{
	(void)state;
	assert_int_equal(paris_time_offset_s(utc("2023-10-29T00:59:59Z")), 7200);
	assert_int_equal(paris_time_offset_s(utc("2023-10-29T01:00:00Z")), 3600);
	assert_long("2023-10-29T00:30:00Z", "dimanche 29 octobre 2023 à 2 h 30");
	assert_long("2023-10-29T01:30:00Z", "dimanche 29 octobre 2023 à 2 h 30");
	assert_local("2023-10-29", "02:30", "2023-10-29T00:30:00Z");
	assert_local("2023-10-29", "03:00", "2023-10-29T02:00:00Z");
	assert_local("2026-10-25", "01:59", "2026-10-24T23:59:00Z");
	assert_local("2026-10-25", "02:00", "2026-10-25T00:00:00Z");
	assert_local("2026-10-25", "03:00", "2026-10-25T02:00:00Z");
	assert_int_equal(paris_time_offset_s(utc("2026-10-25T00:59:59Z")), 7200);
	assert_int_equal(paris_time_offset_s(utc("2026-10-25T01:00:00Z")), 3600);
}

static void test_local_forms(void **state)
{
	(void)state;
	int64_t ms;
	assert_local("2026-12-04", NULL, "2026-12-03T23:00:00Z");
	assert_local("2026-12-04", "", "2026-12-03T23:00:00Z");
	assert_int_equal(paris_time_parse_datetime_local("2026-07-14T12:00", &ms), PARIS_TIME_OK);
	assert_int_equal(ms, utc("2026-07-14T10:00:00Z"));
	/* 2024 is a leap year, 2026 is not. */
	assert_local("2024-02-29", "12:00", "2024-02-29T11:00:00Z");
	static const char *const bad_dates[] = {
		"2026-02-29", "2026-13-01", "2026-00-10",  "26-12-04",
		"2026-12-4",  "04/12/2026", "2026-12-04 ", ""};
	for (size_t i = 0; i < sizeof(bad_dates) / sizeof(*bad_dates); i++)
		assert_int_equal(paris_time_parse_local(bad_dates[i], "12:00", &ms),
				 PARIS_TIME_INVALID);
	static const char *const bad_times[] = {"24:00", "12:60", "12:00:60",
						"9:00",  "12h00", "12:00:"};
	for (size_t i = 0; i < sizeof(bad_times) / sizeof(*bad_times); i++)
		assert_int_equal(paris_time_parse_local("2026-12-04", bad_times[i], &ms),
				 PARIS_TIME_INVALID);
	assert_int_equal(paris_time_parse_local(NULL, NULL, &ms), PARIS_TIME_INVALID);
	assert_int_equal(paris_time_parse_datetime_local("2026-12-04 12:00", &ms),
			 PARIS_TIME_INVALID);
}

static void test_rfc3339(void **state)
{
	(void)state;
	char out[PARIS_TIME_RFC3339_MAX];
	assert_string_equal(paris_time_format_rfc3339(0, out), "1970-01-01T00:00:00Z");
	assert_string_equal(paris_time_format_rfc3339(-1, out), "1969-12-31T23:59:59Z");
	assert_int_equal(utc("2023-04-17T21:59:59Z"), 1681768799000);
	assert_int_equal(utc("2023-04-17t21:59:59z"), 1681768799000);
	assert_int_equal(utc("2023-04-17T23:59:59+02:00"), 1681768799000);
	assert_int_equal(utc("2023-04-17T20:59:59-01:00"), 1681768799000);
	assert_int_equal(utc("2023-04-17T21:59:59.25Z"), 1681768799250);
	assert_int_equal(utc("2023-04-17T21:59:59.123456Z"), 1681768799123);
	assert_string_equal(paris_time_format_rfc3339(1681768799999, out), "2023-04-17T21:59:59Z");
	int64_t ms = 7;
	static const char *const bad[] = {"2023-04-17T21:59Z",
					  "2023-04-17T21:59:59",
					  "2023-04-17 21:59:59Z",
					  "2023-04-17T21:59:60Z",
					  "2023-04-17T21:59:59.Z",
					  "2023-04-17T21:59:59+0200",
					  "2023-04-31T00:00:00Z",
					  "2023-04-17T21:59:59Zjunk",
					  "",
					  NULL};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_int_equal(paris_time_parse_rfc3339(bad[i], &ms), PARIS_TIME_INVALID);
	assert_int_equal(ms, 7);
}

/* Every hour of several years goes from UTC to Paris fields and back, so
 * the two directions agree away from the autumn overlap. */
static void test_round_trip(void **state)
{
	(void)state;
	int64_t start = utc("2023-01-01T00:00:00Z"), end = utc("2027-01-01T00:00:00Z");
	for (int64_t ms = start; ms < end; ms += 3600 * 1000) {
		struct paris_time_fields f = paris_time_split(ms);
		int64_t back = -1;
		assert_int_equal(paris_time_from_local(&f, &back), PARIS_TIME_OK);
		int offset = paris_time_offset_s(ms);
		bool second_of_overlap = offset == 3600 &&
					 paris_time_offset_s(ms - 3600 * 1000) == 7200;
		assert_int_equal(back, second_of_overlap ? ms - 3600 * 1000 : ms);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_issue_example),  cmocka_unit_test(test_formats),
		cmocka_unit_test(test_spring_forward), cmocka_unit_test(test_fall_back),
		cmocka_unit_test(test_local_forms),    cmocka_unit_test(test_rfc3339),
		cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
