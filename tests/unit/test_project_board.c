/* The coordinators' views without a database: the week that keys the
 * stalled-projects mail, the funnel's counts, numbers in the export, the
 * maturity of a practice made from a project. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/clock.h"
#include "projects/board.h"
#include "projects/practice.h"

/* Asserts the ISO week of the UTC instant text. */
static void check_week(const char *text, const char *want)
{
	int64_t ms;
	assert_true(clock_parse_utc(text, &ms));
	char week[PROJECT_WEEK_MAX];
	project_iso_week(ms, week);
	assert_string_equal(week, want);
}

static void weeks_start_on_monday_and_belong_to_their_thursday(void **state)
{
	(void)state;
	check_week("2026-12-04T21:34:26Z", "2026-W49"); /* a Friday */
	check_week("2026-11-30T00:00:00Z", "2026-W49"); /* its Monday */
	check_week("2026-11-29T23:59:59Z", "2026-W48"); /* the Sunday before */
	check_week("2021-01-03T12:00:00Z", "2020-W53"); /* early January, last year's week */
	check_week("2024-12-30T08:00:00Z", "2025-W01"); /* late December, next year's week */
	check_week("2023-01-01T00:00:00Z", "2022-W52");
	check_week("1970-01-01T00:00:00Z", "1970-W01");
}

static void funnel_counts_every_stage_up_to_the_current_one(void **state)
{
	(void)state;
	struct project_funnel f = {.retained = 5};
	project_funnel_count(&f, PROJECT_STAGE_IDEE);
	project_funnel_count(&f, PROJECT_STAGE_EXPERIMENTATION);
	project_funnel_count(&f, PROJECT_STAGE_INSTITUTION);
	assert_int_equal(f.retained, 5);
	assert_int_equal(f.projects, 3);
	assert_int_equal(f.reached[PROJECT_STAGE_IDEE], 3);
	assert_int_equal(f.reached[PROJECT_STAGE_PROTOTYPE], 2);
	assert_int_equal(f.reached[PROJECT_STAGE_EXPERIMENTATION], 2);
	assert_int_equal(f.reached[PROJECT_STAGE_BRANCHE], 1);
	assert_int_equal(f.reached[PROJECT_STAGE_INSTITUTION], 1);
}

static void numbers_are_written_the_french_way(void **state)
{
	(void)state;
	char out[PROJECT_NUMBER_MAX];
	project_format_number(12, out);
	assert_string_equal(out, "12");
	project_format_number(3.5, out);
	assert_string_equal(out, "3,5");
	project_format_number(-0.75, out);
	assert_string_equal(out, "-0,75");
	project_format_number(-0.0, out);
	assert_string_equal(out, "0");
	project_format_number(1234567.125, out);
	assert_string_equal(out, "1234567,125");
}

static void a_practice_made_from_a_project_is_as_mature_as_its_stage(void **state)
{
	(void)state;
	assert_string_equal(project_practice_maturity("idee"), "idee");
	assert_string_equal(project_practice_maturity("prototype"), "idee");
	assert_string_equal(project_practice_maturity("experimentation"), "experimentee");
	assert_string_equal(project_practice_maturity("deploiement-branche"), "deployee");
	assert_string_equal(project_practice_maturity("deploiement-institution"), "generalisee");
	assert_string_equal(project_practice_maturity(NULL), "idee");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(weeks_start_on_monday_and_belong_to_their_thursday),
		cmocka_unit_test(funnel_counts_every_stage_up_to_the_current_one),
		cmocka_unit_test(numbers_are_written_the_french_way),
		cmocka_unit_test(a_practice_made_from_a_project_is_as_mature_as_its_stage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
