/* The secretariat's decisions as pure rules: admissibility with the
 * article 5 reasons, repositioning in two steps, the right of withdrawal,
 * and when an inadmissibility notice is due. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "db/doc.h"
#include "gpi/desk_rules.h"

/* 2022: the notification phase starts on Friday 1 July, 00:00 Paris. */
static const int64_t NOTIFICATION = 1656626400000LL;
static const int64_t BEFORE = NOTIFICATION - 1000;

static json_t *edition(void)
{
	return json_pack("{s:i, s:[{s:s, s:s}, {s:s, s:s}]}", "year", 2022, "categories", "code",
			 "rh", "name", "Innovation RH", "code", "sociale", "name",
			 "Innovation sociale");
}

static json_t *candidature(const char *status)
{
	return json_pack("{s:s, s:s, s:[{s:s, s:s, s:b}, {s:s, s:s, s:b}]}", "status", status,
			 "category", "rh", "people", "id", "p1", "name", "Anne Martin",
			 "publication_withdrawn", 0, "id", "p2", "name", "Louis Roux",
			 "publication_withdrawn", 0);
}

static struct gpi_desk_when at(int64_t now)
{
	return (struct gpi_desk_when){
		.by_id = "sec", .now_ms = now, .notification_start_ms = NOTIFICATION};
}

static void test_reasons_are_the_rules_own_words(void **state)
{
	(void)state;
	const struct gpi_reason *r = gpi_reason_find("date-limite");
	assert_non_null(r);
	assert_string_equal(r->label, "Date limite de participation échue.");
	assert_string_equal(r->article, "article 5");
	assert_non_null(gpi_reason_find("hors-periode"));
	assert_non_null(gpi_reason_find("sans-resultats"));
	assert_non_null(gpi_reason_find("dossier-incomplet"));
	assert_null(gpi_reason_find("autre"));
	assert_null(gpi_reason_find(NULL));
}

static void test_an_irrecevable_needs_a_reason_and_a_comment(void **state)
{
	(void)state;
	json_t *c = candidature("deposee");
	struct gpi_admissibility d = {.when = at(BEFORE), .admissible = false};
	assert_int_equal(gpi_admissibility_apply(c, &d), GPI_DESK_REASON);
	d.reason = "sans-resultats";
	assert_int_equal(gpi_admissibility_apply(c, &d), GPI_DESK_COMMENT);
	d.comment = "  \n ";
	assert_int_equal(gpi_admissibility_apply(c, &d), GPI_DESK_COMMENT);
	d.comment = "Aucun indicateur mesuré.\x01";
	assert_int_equal(gpi_admissibility_apply(c, &d), GPI_DESK_COMMENT);
	assert_string_equal(json_str(c, "status"), "deposee"); /* untouched */
	d.comment = "Aucun indicateur mesuré.";
	assert_int_equal(gpi_admissibility_apply(c, &d), 0);
	assert_string_equal(json_str(c, "status"), "irrecevable");
	json_t *a = json_object_get(c, "admissibility");
	assert_false(json_is_true(json_object_get(a, "admissible")));
	assert_string_equal(json_str(a, "reason"), "sans-resultats");
	assert_string_equal(json_str(a, "comment"), "Aucun indicateur mesuré.");
	assert_string_equal(json_str(a, "by_id"), "sec");
	assert_int_equal(json_integer_value(json_object_get(a, "at")), BEFORE);
	json_decref(c);
}

static void test_a_decision_changes_until_the_notification_phase(void **state)
{
	(void)state;
	json_t *c = candidature("irrecevable");
	json_object_set_new(c, "admissibility", json_pack("{s:b, s:I}", "admissible", 0,
							  "notified_at", (json_int_t)5));
	struct gpi_admissibility d = {.when = at(BEFORE), .admissible = true};
	assert_int_equal(gpi_admissibility_apply(c, &d), 0);
	assert_string_equal(json_str(c, "status"), "recevable");
	/* a new decision is a new notice */
	assert_null(json_object_get(json_object_get(c, "admissibility"), "notified_at"));
	d.when = at(NOTIFICATION);
	d.admissible = false;
	d.reason = "date-limite";
	d.comment = "Reçue après 23 h 30.";
	assert_int_equal(gpi_admissibility_apply(c, &d), GPI_DESK_FINAL);
	assert_string_equal(json_str(c, "status"), "recevable");
	json_decref(c);
}

static void test_a_draft_gets_no_decision(void **state)
{
	(void)state;
	json_t *c = candidature("brouillon"), *e = edition();
	struct gpi_admissibility d = {.when = at(BEFORE), .admissible = true};
	assert_int_equal(gpi_admissibility_apply(c, &d), GPI_DESK_NOT_SUBMITTED);
	struct gpi_move m = {.when = at(BEFORE), .edition = e, .to = "sociale", .message = "m"};
	assert_int_equal(gpi_move_announce(c, &m), GPI_DESK_NOT_SUBMITTED);
	assert_int_equal(gpi_desk_refusal(GPI_DESK_NOT_SUBMITTED)->status, 409);
	json_decref(c);
	json_decref(e);
}

static void test_a_move_is_announced_then_confirmed(void **state)
{
	(void)state;
	json_t *c = candidature("deposee"), *e = edition();
	struct gpi_desk_when w = at(BEFORE - 5000);
	/* confirming first is refused, with a 409 */
	assert_int_equal(gpi_move_confirm(c, e, &w), GPI_DESK_NOT_ANNOUNCED);
	assert_int_equal(gpi_desk_refusal(GPI_DESK_NOT_ANNOUNCED)->status, 409);
	assert_string_equal(gpi_desk_refusal(GPI_DESK_NOT_ANNOUNCED)->code, "not_announced");
	assert_null(gpi_desk_refusal(GPI_DESK_NOT_ANNOUNCED)->field);
	assert_string_equal(gpi_desk_refusal(GPI_DESK_MESSAGE)->field, "message");
	assert_int_equal(gpi_desk_refusal(GPI_DESK_MESSAGE)->status, 422);

	struct gpi_move m = {.when = w, .edition = e, .to = "environnementale", .message = "x"};
	assert_int_equal(gpi_move_announce(c, &m), GPI_DESK_CATEGORY);
	m.to = "rh";
	assert_int_equal(gpi_move_announce(c, &m), GPI_DESK_SAME_CATEGORY);
	m.to = "sociale";
	m.message = "";
	assert_int_equal(gpi_move_announce(c, &m), GPI_DESK_MESSAGE);
	assert_null(json_object_get(c, "repositioning"));
	m.message = "Votre projet relève plutôt de l’innovation sociale.";
	assert_int_equal(gpi_move_announce(c, &m), 0);
	json_t *r = json_object_get(c, "repositioning");
	assert_string_equal(json_str(r, "to"), "sociale");
	assert_string_equal(json_str(c, "category"), "rh"); /* not moved yet */

	w.now_ms = BEFORE;
	assert_int_equal(gpi_move_confirm(c, e, &w), 0);
	assert_string_equal(json_str(c, "category"), "sociale");
	assert_null(json_object_get(c, "repositioning"));
	json_t *done = json_array_get(json_object_get(c, "repositionings"), 0);
	assert_string_equal(json_str(done, "from"), "rh");
	assert_string_equal(json_str(done, "to"), "sociale");
	assert_int_equal(json_integer_value(json_object_get(done, "announced_at")), BEFORE - 5000);
	assert_int_equal(json_integer_value(json_object_get(done, "confirmed_at")), BEFORE);
	/* and once done, a second confirm has nothing to confirm */
	assert_int_equal(gpi_move_confirm(c, e, &w), GPI_DESK_NOT_ANNOUNCED);
	json_decref(c);
	json_decref(e);
}

static void test_withdrawal_is_per_named_person(void **state)
{
	(void)state;
	json_t *c = candidature("recevable");
	assert_int_equal(gpi_withdrawal_apply(c, "p9", true), GPI_DESK_PERSON);
	assert_int_equal(gpi_withdrawal_apply(c, NULL, true), GPI_DESK_PERSON);
	assert_int_equal(gpi_withdrawal_apply(c, "p2", true), 0);
	json_t *people = json_object_get(c, "people");
	assert_false(json_is_true(json_object_get(json_array_get(people, 0), "publication_withdrawn")));
	assert_true(json_is_true(json_object_get(json_array_get(people, 1), "publication_withdrawn")));
	json_decref(c);
}

static void test_a_notice_is_due_once_the_phase_starts(void **state)
{
	(void)state;
	json_t *c = candidature("irrecevable");
	json_object_set_new(c, "admissibility", json_pack("{s:b}", "admissible", 0));
	assert_false(gpi_notice_due(c, NOTIFICATION, NOTIFICATION - 1));
	assert_true(gpi_notice_due(c, NOTIFICATION, NOTIFICATION));
	json_object_set_new(json_object_get(c, "admissibility"), "notified_at",
			    json_integer(NOTIFICATION + 10));
	assert_false(gpi_notice_due(c, NOTIFICATION, NOTIFICATION + 20));
	json_decref(c);
	c = candidature("recevable");
	json_object_set_new(c, "admissibility", json_pack("{s:b}", "admissible", 1));
	assert_false(gpi_notice_due(c, NOTIFICATION, NOTIFICATION));
	json_decref(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reasons_are_the_rules_own_words),
		cmocka_unit_test(test_an_irrecevable_needs_a_reason_and_a_comment),
		cmocka_unit_test(test_a_decision_changes_until_the_notification_phase),
		cmocka_unit_test(test_a_draft_gets_no_decision),
		cmocka_unit_test(test_a_move_is_announced_then_confirmed),
		cmocka_unit_test(test_withdrawal_is_per_named_person),
		cmocka_unit_test(test_a_notice_is_due_once_the_phase_starts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
