/* The project rules without a database: stage order and moves, the proof
 * rule, who sees a project and who decides, typed values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "projects/project.h"

static void stage_codes_in_order(void **state)
{
	(void)state;
	assert_int_equal(project_stage_from("idee"), PROJECT_STAGE_IDEE);
	assert_int_equal(project_stage_from("prototype"), PROJECT_STAGE_PROTOTYPE);
	assert_int_equal(project_stage_from("experimentation"), PROJECT_STAGE_EXPERIMENTATION);
	assert_int_equal(project_stage_from("deploiement-branche"), PROJECT_STAGE_BRANCHE);
	assert_int_equal(project_stage_from("deploiement-institution"), PROJECT_STAGE_INSTITUTION);
	assert_int_equal(project_stage_from("Idee"), -1);
	assert_int_equal(project_stage_from(NULL), -1);
	assert_int_equal(project_state_from("abandoned"), PROJECT_STATE_ABANDONED);
	assert_int_equal(project_visibility_from("staff"), PROJECT_VISIBILITY_STAFF);
	assert_int_equal(project_visibility_from("everyone"), -1);
}

static void forward_one_step_at_a_time(void **state)
{
	(void)state;
	for (int s = 0; s + 1 < PROJECT_STAGE_COUNT; s++)
		assert_int_equal(project_move_check(s, s + 1, PROJECT_STATE_ACTIVE, false, true),
				 PROJECT_MOVE_OK);
	assert_int_equal(project_move_check(PROJECT_STAGE_IDEE, PROJECT_STAGE_EXPERIMENTATION,
					    PROJECT_STATE_ACTIVE, true, true),
			 PROJECT_MOVE_JUMP);
	assert_int_equal(project_move_check(PROJECT_STAGE_IDEE, PROJECT_STAGE_INSTITUTION,
					    PROJECT_STATE_ACTIVE, true, true),
			 PROJECT_MOVE_JUMP);
	assert_int_equal(project_move_check(PROJECT_STAGE_PROTOTYPE, PROJECT_STAGE_PROTOTYPE,
					    PROJECT_STATE_ACTIVE, true, true),
			 PROJECT_MOVE_SAME);
}

static void backward_needs_a_note(void **state)
{
	(void)state;
	assert_int_equal(project_move_check(PROJECT_STAGE_BRANCHE, PROJECT_STAGE_IDEE,
					    PROJECT_STATE_ACTIVE, false, true),
			 PROJECT_MOVE_NO_NOTE);
	assert_int_equal(project_move_check(PROJECT_STAGE_BRANCHE, PROJECT_STAGE_IDEE,
					    PROJECT_STATE_ACTIVE, true, false),
			 PROJECT_MOVE_OK);
}

static void branch_needs_proof(void **state)
{
	(void)state;
	assert_int_equal(project_move_check(PROJECT_STAGE_EXPERIMENTATION, PROJECT_STAGE_BRANCHE,
					    PROJECT_STATE_ACTIVE, true, false),
			 PROJECT_MOVE_NO_PROOF);
	assert_int_equal(project_move_check(PROJECT_STAGE_EXPERIMENTATION, PROJECT_STAGE_BRANCHE,
					    PROJECT_STATE_ACTIVE, false, true),
			 PROJECT_MOVE_OK);
	assert_non_null(strstr(project_move_message(PROJECT_MOVE_NO_PROOF), "fait ses preuves"));
}

static void only_active_projects_move(void **state)
{
	(void)state;
	assert_int_equal(project_move_check(PROJECT_STAGE_IDEE, PROJECT_STAGE_PROTOTYPE,
					    PROJECT_STATE_PAUSED, true, true),
			 PROJECT_MOVE_NOT_ACTIVE);
	assert_int_equal(project_move_check(PROJECT_STAGE_IDEE, PROJECT_STAGE_PROTOTYPE,
					    PROJECT_STATE_ABANDONED, true, true),
			 PROJECT_MOVE_NOT_ACTIVE);
}

static void visibility_by_viewer(void **state)
{
	(void)state;
	const char *members[] = {"m1", "m2"};
	struct project_audience p = {PROJECT_VISIBILITY_TEAM, "c1", members, 2};
	struct project_viewer anon = {NULL, false, false}, agent = {"x", false, true},
			      member = {"m2", false, true}, follower = {"c1", false, true},
			      coordinator = {"c9", true, true}, nameless = {NULL, false, true};
	assert_false(project_may_see(&p, &anon));
	assert_false(project_may_see(&p, &agent));
	assert_true(project_may_see(&p, &member));
	assert_true(project_may_see(&p, &follower));
	assert_true(project_may_see(&p, &coordinator));
	assert_false(project_may_see(&p, &nameless));
	p.visibility = PROJECT_VISIBILITY_STAFF;
	assert_false(project_may_see(&p, &anon));
	assert_true(project_may_see(&p, &agent));
	assert_true(project_may_see(&p, &nameless));
	p.visibility = PROJECT_VISIBILITY_PUBLIC;
	assert_true(project_may_see(&p, &anon));
}

static void deciding_coordinator(void **state)
{
	(void)state;
	struct project_audience p = {PROJECT_VISIBILITY_STAFF, "c1", NULL, 0};
	struct project_viewer follower = {"c1", true, true}, other = {"c2", true, true},
			      agent = {"c1", false, true};
	assert_true(project_may_decide(&p, &follower));
	assert_false(project_may_decide(&p, &other));
	assert_false(project_may_decide(&p, &agent));
	p.coordinator_id = NULL;
	assert_true(project_may_decide(&p, &other));
}

static void typed_values(void **state)
{
	(void)state;
	assert_true(project_date_valid("2024-02-29"));
	assert_false(project_date_valid("2023-02-29"));
	assert_false(project_date_valid("2023-13-01"));
	assert_false(project_date_valid("23-01-01"));
	assert_false(project_date_valid("2023-01-01T00"));
	int64_t e = 0;
	assert_true(project_parse_euros("12 500 €", &e));
	assert_int_equal(e, 12500);
	assert_true(project_parse_euros("12\xe2\x80\xaf"
					"500",
					&e));
	assert_int_equal(e, 12500);
	assert_false(project_parse_euros("-5", &e));
	assert_false(project_parse_euros("douze", &e));
	assert_false(project_parse_euros("", &e));
	double v = 0;
	assert_true(project_parse_number("-3,5", &v));
	assert_true(v == -3.5);
	assert_false(project_parse_number("1e9", &v));
	assert_false(project_parse_number("inf", &v));
	assert_true(project_url_valid("https://intranet.example.org/bilan?x=1"));
	assert_true(project_url_valid("HTTP://example.org"));
	assert_false(project_url_valid("javascript:alert(1)"));
	assert_false(project_url_valid("https://"));
	assert_false(project_url_valid("https://exa mple.org"));
	assert_false(project_url_valid("data:text/html,x"));
	assert_int_equal(project_days_since(0, 3 * 86400000LL + 5), 3);
	assert_false(project_is_stalled(0, 59LL * 86400000));
	assert_true(project_is_stalled(0, 60LL * 86400000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stage_codes_in_order),
		cmocka_unit_test(forward_one_step_at_a_time),
		cmocka_unit_test(backward_needs_a_note),
		cmocka_unit_test(branch_needs_proof),
		cmocka_unit_test(only_active_projects_move),
		cmocka_unit_test(visibility_by_viewer),
		cmocka_unit_test(deciding_coordinator),
		cmocka_unit_test(typed_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
