/* The Défi teams' rules, without a database: statuses, the sign-up
 * window's exact boundaries, what a submission needs, decisions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "defi/team_rules.h"

/* 2023: opens 2023-01-09T08:00:00Z, closes 2023-04-17T21:59:59Z. */
static const int64_t OPENS = 1673251200000;
static const int64_t CLOSES = 1681768799000;

static void statuses(void **state)
{
	(void)state;
	assert_int_equal(defi_status_from("brouillon"), DEFI_DRAFT);
	assert_int_equal(defi_status_from("liste-attente"), DEFI_WAITLISTED);
	assert_int_equal(defi_status_from("draft"), -1);
	assert_int_equal(defi_status_from(NULL), -1);
	assert_string_equal(defi_status_code(DEFI_SUBMITTED), "deposee");
	assert_string_equal(defi_status_label(DEFI_SUBMITTED, false), "Candidature déposée");
	assert_string_equal(defi_status_label(DEFI_DRAFT, true), "Incomplète");
	assert_string_equal(defi_status_label(DEFI_DRAFT, false), "Brouillon");
	assert_string_equal(defi_status_label(DEFI_WITHDRAWN, false), "Désistée");
}

static void window_boundaries(void **state)
{
	(void)state;
	assert_int_equal(defi_window_at(OPENS, CLOSES, OPENS - 1000), DEFI_BEFORE_OPENING);
	assert_int_equal(defi_window_at(OPENS, CLOSES, OPENS), DEFI_OPEN);
	/* The closing instant is the last accepted one. */
	assert_int_equal(defi_window_at(OPENS, CLOSES, CLOSES), DEFI_OPEN);
	assert_int_equal(defi_window_at(OPENS, CLOSES, CLOSES + 999), DEFI_AFTER_CLOSE);
	assert_int_equal(defi_window_at(OPENS, CLOSES, CLOSES + 1000), DEFI_AFTER_CLOSE);
}

/* A team that meets every condition, for the tests to spoil one by one. */
static struct defi_team_facts complete_team(json_t *questions, json_t *answers)
{
	return (struct defi_team_facts){
		.window = DEFI_OPEN,
		.opens_fr = "lundi 9 janvier 2023 à 9 h 00",
		.closes_fr = "lundi 17 avril 2023 à 23 h 59",
		.min_size = 6,
		.max_size = 0,
		.confirmed = 6,
		.organisation_name = "Caf de la Haute-Garonne",
		.name = "Les Fidèles",
		.pitch = "Une idée",
		.theme_fit = "Le thème",
		.questions = questions,
		.answers = answers,
	};
}

static void submission_complete(void **state)
{
	(void)state;
	json_t *q = json_pack("[{s:s, s:s, s:b}, {s:s, s:s, s:b}]", "code", "budget", "label",
			      "Budget", "required", 1, "code", "extra", "label", "Extra",
			      "required", 0);
	json_t *a = json_pack("[{s:s, s:s}]", "code", "budget", "text", "Aucun");
	struct defi_team_facts t = complete_team(q, a);
	struct defi_field_error errors[DEFI_MAX_ERRORS];
	assert_int_equal(defi_submission_check(&t, errors), 0);
	json_decref(q);
	json_decref(a);
}

static void submission_names_missing_members(void **state)
{
	(void)state;
	struct defi_team_facts t = complete_team(NULL, NULL);
	struct defi_field_error errors[DEFI_MAX_ERRORS];
	t.confirmed = 5;
	assert_int_equal(defi_submission_check(&t, errors), 1);
	assert_string_equal(errors[0].field, "members");
	assert_string_equal(errors[0].message,
			    "Il manque 1 membre confirmé\u202f: l’équipe en "
			    "compte 5, capitaine compris, et il en faut au moins 6.");
	t.confirmed = 2;
	defi_submission_check(&t, errors);
	assert_non_null(strstr(errors[0].message, "Il manque 4 membres confirmés"));
	t.confirmed = 9;
	t.max_size = 8;
	assert_int_equal(defi_submission_check(&t, errors), 1);
	assert_non_null(strstr(errors[0].message, "8 au plus"));
}

static void submission_lists_every_unmet_condition(void **state)
{
	(void)state;
	json_t *q = json_pack("[{s:s, s:s, s:b}]", "code", "budget", "label", "Budget", "required",
			      1);
	json_t *a = json_array();
	struct defi_team_facts t = complete_team(q, a);
	const char *outsiders[] = {"Léa Roux"};
	t.window = DEFI_AFTER_CLOSE;
	t.confirmed = 4;
	t.outsiders = outsiders;
	t.n_outsiders = 1;
	t.name = "";
	t.pitch = "";
	t.theme_fit = NULL;
	struct defi_field_error errors[DEFI_MAX_ERRORS];
	assert_int_equal(defi_submission_check(&t, errors), 7);
	const char *fields[] = {"window", "members",   "organisation", "name",
				"pitch",  "theme_fit", "answer-budget"};
	for (size_t i = 0; i < 7; i++)
		assert_string_equal(errors[i].field, fields[i]);
	assert_non_null(strstr(errors[0].message, "closes depuis le lundi 17 avril 2023"));
	assert_string_equal(errors[2].message,
			    "Tous les membres doivent appartenir à Caf de "
			    "la Haute-Garonne\u202f; ce n’est pas le cas de Léa Roux.");
	assert_string_equal(errors[6].message, "Répondez à la question «\u202fBudget\u202f».");
	/* However many outsiders, whole names and valid text. */
	const char *many[60];
	for (size_t i = 0; i < 60; i++)
		many[i] = "Dominique Désirée Longuenom-Interminable";
	t.outsiders = many;
	t.n_outsiders = 60;
	defi_submission_check(&t, errors);
	size_t len = strlen(errors[2].message);
	assert_true(len < DEFI_ERROR_CHARS);
	assert_string_equal(errors[2].message + len - strlen(" et d’autres."), " et d’autres.");
	t.window = DEFI_BEFORE_OPENING;
	defi_submission_check(&t, errors);
	assert_non_null(strstr(errors[0].message, "ouvrent le lundi 9 janvier 2023"));
	json_decref(q);
	json_decref(a);
}

static void members_and_incompleteness(void **state)
{
	(void)state;
	json_t *m = json_pack("[{s:s}, {s:s}, {s:s}]", "state", "confirmed", "state", "invited",
			      "state", "confirmed");
	assert_int_equal(defi_confirmed_count(m), 2);
	assert_int_equal(defi_confirmed_count(NULL), 0);
	json_decref(m);
	assert_true(defi_falls_incomplete(DEFI_SUBMITTED, 5, 6, DEFI_OPEN));
	assert_false(defi_falls_incomplete(DEFI_SUBMITTED, 6, 6, DEFI_OPEN));
	/* After the close a team is frozen: it stays submitted. */
	assert_false(defi_falls_incomplete(DEFI_SUBMITTED, 5, 6, DEFI_AFTER_CLOSE));
	assert_false(defi_falls_incomplete(DEFI_DRAFT, 5, 6, DEFI_OPEN));
	assert_true(defi_members_may_change(DEFI_DRAFT));
	assert_true(defi_members_may_change(DEFI_SUBMITTED));
	assert_false(defi_members_may_change(DEFI_SELECTED));
	assert_false(defi_members_may_change(DEFI_WITHDRAWN));
}

static void decisions(void **state)
{
	(void)state;
	assert_int_equal(defi_decision_from("retenue"), DEFI_SELECTED);
	assert_int_equal(defi_decision_from("liste-attente"), DEFI_WAITLISTED);
	assert_int_equal(defi_decision_from("non-retenue"), DEFI_REJECTED);
	assert_int_equal(defi_decision_from("desistee"), -1);
	assert_int_equal(defi_decision_from("brouillon"), -1);
	assert_int_equal(defi_decision_from("{\"$gt\":\"\"}"), -1);
	assert_false(defi_decision_allowed(DEFI_DRAFT));
	assert_true(defi_decision_allowed(DEFI_SUBMITTED));
	assert_true(defi_decision_allowed(DEFI_WAITLISTED));
	assert_false(defi_decision_allowed(DEFI_WITHDRAWN));
	assert_true(defi_withdraw_allowed(DEFI_SELECTED));
	assert_false(defi_withdraw_allowed(DEFI_REJECTED));
	assert_false(defi_withdraw_allowed(DEFI_WITHDRAWN));
}

static void answers(void **state)
{
	(void)state;
	json_t *a = json_pack("[{s:s, s:s}, {s:s}]", "code", "budget", "text", "Zéro", "code",
			      "vide");
	assert_string_equal(defi_answer_text(a, "budget"), "Zéro");
	assert_string_equal(defi_answer_text(a, "vide"), "");
	assert_string_equal(defi_answer_text(a, "absente"), "");
	assert_string_equal(defi_answer_text(NULL, "budget"), "");
	json_decref(a);
}

static void finding_people(void **state)
{
	(void)state;
	json_t *team = json_pack("{s:[{s:s}, {s:s}, {s:i}], s:[{s:s}]}", "members", "user_id", "a1",
				 "user_id", "b2", "user_id", 7, "email_invites", "email",
				 "lou@example.org");
	assert_int_equal(defi_member_index(team, "b2"), 1);
	assert_int_equal(defi_member_index(team, "c3"), -1);
	assert_int_equal(defi_member_index(team, NULL), -1);
	assert_int_equal(defi_email_invite_index(team, "lou@example.org"), 0);
	assert_int_equal(defi_email_invite_index(team, "a1"), -1);
	assert_int_equal(defi_member_index(NULL, "a1"), -1);
	json_decref(team);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(statuses),
		cmocka_unit_test(window_boundaries),
		cmocka_unit_test(submission_complete),
		cmocka_unit_test(submission_names_missing_members),
		cmocka_unit_test(submission_lists_every_unmet_condition),
		cmocka_unit_test(members_and_incompleteness),
		cmocka_unit_test(decisions),
		cmocka_unit_test(answers),
		cmocka_unit_test(finding_people),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
