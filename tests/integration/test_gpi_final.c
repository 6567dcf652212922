/* Finalists, phase mails and the grand jury's prizes through the real
 * stack (issue 13): candidatures filed and declared recevable through the
 * API, then the secretariat records the finalists (the count of article
 * 6.2 refused otherwise, statuses moved), sends the phase mails once even
 * when the action is repeated (with the 30-day warning), and the grand
 * jury awards the prizes (only finalists, one prize each, the Gold
 * endowment not attributable without its stated use, the coup de cœur
 * and the special prize), every decision journaled. Candidates and
 * others get 404 (or 403 for routes only the secretariat knows). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gpi_filing.h"
#include "support.h"

static const char PASSWORD[] = "correct horse battery staple 42";

enum { A, B, C, D, E, S, N };
static const char *const TITLES[N] = {
	"Guichet unique des aidants", "Coffre-fort numérique",	  "Parcours d’accueil",
	"Atelier sans dotation",      "Dossier sans annexes",	  "Tiers-lieu social",
};
static struct test_account sec, jury, filer;
static int year;
static char *ids[N], *contacts[N];

static int setup(void **state)
{
	(void)state;
	test_account_new(&sec, "gpi-final-sec", "Sophie Secrétariat", "secretariat", PASSWORD);
	test_account_new(&jury, "gpi-final-jury", "Thomas Grand-Juré", "grand_juror", PASSWORD);
	test_account_new(&filer, "gpi-final-filer", "Fanny Déposante", NULL, PASSWORD);
	year = test_gpi_edition_new(sec.token);
	for (int i = 0; i < N; i++) {
		contacts[i] = unique_email("gpi-final-contact");
		struct gpi_filing f = {.year = year,
				       .token = filer.token,
				       .title = TITLES[i],
				       .category = i == S ? "sociale" : "rh",
				       .contact = contacts[i],
				       .no_endowment_use = i == D};
		ids[i] = gpi_file(&f);
	}
	for (int i = 0; i < N; i++)
		gpi_admit(sec.token, year, ids[i], i != E);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_clock_clear();
	for (int i = 0; i < N; i++) {
		free(ids[i]);
		free(contacts[i]);
	}
	test_account_free(&sec);
	test_account_free(&jury);
	test_account_free(&filer);
	return 0;
}

/* POSTs (or PUTs) body (stolen) to the API path as token. */
static long call(const char *token, const char *method, const char *path, json_t *body,
		 json_t **out)
{
	long status = api_json(token, method, path, body, out);
	json_decref(body);
	return status;
}

static long finalists(const char *token, const char *category, json_t *list, json_t **out)
{
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/categories/%s/finalists", year,
		 category);
	return call(token, "POST", path, json_pack("{s:o, s:s}", "candidature_ids", list, "minutes",
						   "Délibération du jury et du partenaire."),
		    out);
}

/* Returns candidature i's stored status, as the secretariat sees it (its
 * filers see the jury's choice once the phase mails are out:
 * test_gpi_status.c). */
static const char *status_of(int i)
{
	static char status[32];
	char path[160];
	json_t *c;
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s", ids[i]);
	assert_int_equal(api_json(sec.token, "GET", path, NULL, &c), 200);
	snprintf(status, sizeof(status), "%s", json_string_value(json_object_get(c, "status")));
	json_decref(c);
	return status;
}

static long long audit_count(const char *action, const char *target)
{
	char filter[200];
	snprintf(filter, sizeof(filter), "{\"action\": \"%s\", \"target\": \"%s\"}", action,
		 target);
	return mongo_count("audit", filter);
}

static long long outbox(const char *template, int i)
{
	char filter[300];
	snprintf(filter, sizeof(filter), "{\"template\": \"%s\", \"to\": \"%s\"}", template,
		 contacts[i]);
	return mongo_count("outbox", filter);
}

static void the_finalists_count_is_the_rules(void **state)
{
	(void)state;
	char path[96], target[64];
	snprintf(target, sizeof(target), "%d:rh", year);
	char instant[40];
	snprintf(instant, sizeof(instant), "%d-06-20T10:00:00Z", year);
	test_clock_set(instant);
	json_t *j;
	assert_int_equal(finalists(sec.token, "rh", json_pack("[s, s]", ids[A], ids[B]), &j), 422);
	assert_non_null(api_field_error(j, "candidature_ids"));
	json_decref(j);
	assert_int_equal(
		finalists(sec.token, "rh", json_pack("[s, s, s, s]", ids[A], ids[B], ids[C], ids[D]),
			  &j),
		422);
	json_decref(j);
	/* An irrecevable one, one of another category, one twice. */
	assert_int_equal(
		finalists(sec.token, "rh", json_pack("[s, s, s]", ids[A], ids[B], ids[E]), &j), 422);
	json_decref(j);
	assert_int_equal(
		finalists(sec.token, "rh", json_pack("[s, s, s]", ids[A], ids[B], ids[S]), &j), 422);
	json_decref(j);
	assert_int_equal(
		finalists(sec.token, "rh", json_pack("[s, s, s]", ids[A], ids[A], ids[B]), &j), 422);
	json_decref(j);
	assert_int_equal(audit_count("gpi.finalists", target), 0);
	assert_string_equal(status_of(A), "recevable");

	/* A candidate or the grand jury may not record them. */
	assert_int_equal(finalists(filer.token, "rh",
				   json_pack("[s, s, s]", ids[A], ids[B], ids[D]), &j) /
				 100,
			 4);
	json_decref(j);
	assert_int_equal(finalists(jury.token, "rh", json_pack("[s, s, s]", ids[A], ids[B], ids[D]),
				   &j) /
				 100,
			 4);
	json_decref(j);

	assert_int_equal(
		finalists(sec.token, "rh", json_pack("[s, s, s]", ids[A], ids[B], ids[D]), &j), 200);
	json_decref(j);
	assert_string_equal(status_of(A), "finaliste");
	assert_string_equal(status_of(D), "finaliste");
	assert_string_equal(status_of(C), "non-retenue");
	assert_string_equal(status_of(E), "irrecevable");
	assert_int_equal(audit_count("gpi.finalists", target), 1);
	/* The desk cannot undo the choice: a finaliste made recevable again. */
	char decide[160];
	snprintf(decide, sizeof(decide), "/api/v1/gpi/candidatures/%s/admissibility", ids[A]);
	assert_int_equal(call(sec.token, "POST", decide, json_pack("{s:b}", "admissible", 1), &j),
			 409);
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(j, "error"), "code")), "judged");
	json_decref(j);
	assert_string_equal(status_of(A), "finaliste");

	/* One admissible candidature in its category: it alone is finalist. */
	assert_int_equal(finalists(sec.token, "sociale", json_pack("[]"), &j), 422);
	json_decref(j);
	assert_int_equal(finalists(sec.token, "sociale", json_pack("[s]", ids[S]), &j), 200);
	json_decref(j);
	assert_string_equal(status_of(S), "finaliste");

	/* The page shows them, with the minutes, to the secretariat only. */
	snprintf(path, sizeof(path), "/grand-prix/%d/finalistes", year);
	char *page = sess_page_with(sec.s, path, "Délibération du jury et du partenaire.");
	assert_non_null(strstr(page, TITLES[C]));
	free(page);
	struct http_reply r;
	assert_int_equal(sess_get(filer.s, path, &r), 0);
	assert_true(r.status == 403 || r.status == 404);
	http_reply_free(&r);
}

static void the_phase_mails_go_once(void **state)
{
	(void)state;
	char path[96], instant[40];
	/* 10 September: the audition of 3 October is less than 30 days away. */
	snprintf(instant, sizeof(instant), "%d-09-10T08:00:00Z", year);
	test_clock_set(instant);
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/notifications", year);
	json_t *j;
	assert_int_equal(call(filer.token, "POST", path, NULL, &j) / 100, 4);
	json_decref(j);
	assert_int_equal(call(sec.token, "POST", path, NULL, &j), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "queued")), 5);
	assert_true(json_is_true(json_object_get(j, "late")));
	assert_non_null(strstr(json_string_value(json_object_get(j, "warning")), "30 jours"));
	json_decref(j);
	for (int i = 0; i < N; i++) {
		bool finalist = i == A || i == B || i == D || i == S;
		assert_int_equal(outbox("gpi_finaliste", i), finalist);
		assert_int_equal(outbox("gpi_non_retenue", i), i == C);
		assert_int_equal(outbox("gpi_irrecevable", i), i == E);
	}
	/* Again: nothing is sent twice. */
	assert_int_equal(call(sec.token, "POST", path, NULL, &j), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "queued")), 0);
	assert_int_equal(json_integer_value(json_object_get(j, "already_sent")), 5);
	json_decref(j);
	for (int i = 0; i < N; i++)
		assert_int_equal(outbox("gpi_finaliste", i) + outbox("gpi_non_retenue", i) +
					 outbox("gpi_irrecevable", i),
				 1);
	/* They arrive in the SMTP sink. */
	long long until = now_ms() + 15000;
	while ((maildir_count(contacts[A]) == 0 || maildir_count(contacts[C]) == 0) &&
	       now_ms() < until)
		usleep(100 * 1000);
	assert_true(maildir_count(contacts[A]) >= 1);
	assert_true(maildir_count(contacts[C]) >= 1);
	/* The finalists they announced are final now. */
	assert_int_equal(
		finalists(sec.token, "rh", json_pack("[s, s, s]", ids[A], ids[B], ids[C]), &j), 409);
	json_decref(j);
	assert_string_equal(status_of(C), "non-retenue");
}

static long awards(const char *token, const char *category, const char *or_, const char *argent,
		   const char *bronze, json_t **out)
{
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/categories/%s/awards", year,
		 category);
	return call(token, "PUT", path,
		    json_pack("{s:s, s:s, s:s}", "or", or_, "argent", argent, "bronze", bronze),
		    out);
}

static void the_grand_jury_awards_finalists_only(void **state)
{
	(void)state;
	char path[160], target[64];
	snprintf(target, sizeof(target), "%d:rh", year);
	json_t *j;
	/* Two prizes to one finalist, a prize to a non-finalist. */
	assert_int_equal(awards(jury.token, "rh", ids[A], ids[A], ids[B], &j), 422);
	assert_non_null(api_field_error(j, "argent"));
	json_decref(j);
	assert_int_equal(awards(jury.token, "rh", ids[C], ids[A], ids[B], &j), 422);
	assert_non_null(api_field_error(j, "or"));
	json_decref(j);
	assert_int_equal(awards(jury.token, "rh", ids[S], ids[A], ids[B], &j), 422);
	json_decref(j);
	assert_int_equal(audit_count("gpi.award.category", target), 0);
	/* A candidate is not the grand jury. */
	assert_int_equal(awards(filer.token, "rh", ids[A], ids[B], ids[D], &j), 404);
	json_decref(j);

	/* Gold to the one that stated no use of the endowment: not attributable. */
	assert_int_equal(awards(jury.token, "rh", ids[D], ids[A], ids[B], &j), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "endowment_eur")), 0);
	assert_non_null(strstr(json_string_value(json_object_get(j, "endowment_note")),
			       "non attribuable"));
	json_decref(j);
	assert_int_equal(awards(sec.token, "rh", ids[A], ids[B], ids[D], &j), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "endowment_eur")), 5000);
	json_decref(j);
	assert_int_equal(audit_count("gpi.award.category", target), 2);

	/* On the page, a Gold without endowment is confirmed first. */
	snprintf(path, sizeof(path), "/grand-prix/%d/grand-jury", year);
	char *page = sess_page_with(jury.s, path, "non attribuable");
	free(page);
	char action[160];
	snprintf(action, sizeof(action), "/grand-prix/%d/grand-jury/categories/rh", year);
	struct http_reply r;
	sess_post_form(jury.s, path, action, &r, "or", ids[D], "argent", ids[A], "bronze", ids[B],
		       NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Attribuer l’or sans dotation"));
	assert_non_null(strstr(r.body, "non attribuable"));
	http_reply_free(&r);
	assert_int_equal(audit_count("gpi.award.category", target), 2);
	sess_post_form(jury.s, path, action, &r, "or", ids[D], "argent", ids[A], "bronze", ids[B],
		       "confirm", "oui", NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	assert_int_equal(audit_count("gpi.award.category", target), 3);

	/* The page is the grand jury's, the secretariat's, the admins'. */
	assert_int_equal(sess_get(sec.s, path, &r), 0);
	assert_int_equal(r.status, 200);
	http_reply_free(&r);
	assert_int_equal(sess_get(filer.s, path, &r), 0);
	assert_int_equal(r.status, 404);
	http_reply_free(&r);
}

static void coup_de_coeur_and_special_prize(void **state)
{
	(void)state;
	char path[160], target[16];
	snprintf(target, sizeof(target), "%d", year);
	json_t *j;
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/awards/coup-de-coeur", year);
	assert_int_equal(call(jury.token, "PUT", path, json_pack("{s:s}", "candidature_id", ids[C]),
			      &j),
			 422);
	assert_non_null(api_field_error(j, "candidature_id"));
	json_decref(j);
	assert_int_equal(call(filer.token, "PUT", path,
			      json_pack("{s:s}", "candidature_id", ids[S]), &j),
			 404);
	json_decref(j);
	assert_int_equal(call(jury.token, "PUT", path, json_pack("{s:s}", "candidature_id", ids[S]),
			      &j),
			 200);
	json_decref(j);
	assert_int_equal(audit_count("gpi.award.coup-de-coeur", target), 1);

	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/awards/special", year);
	assert_int_equal(call(jury.token, "PUT", path,
			      json_pack("{s:s, s:s}", "candidature_id", ids[E], "title",
					"Prix de l’audace"),
			      &j),
			 422);
	assert_non_null(api_field_error(j, "candidature_id"));
	json_decref(j);
	assert_int_equal(call(jury.token, "PUT", path,
			      json_pack("{s:s, s:s}", "candidature_id", ids[C], "title", ""), &j),
			 422);
	assert_non_null(api_field_error(j, "title"));
	json_decref(j);
	assert_int_equal(call(jury.token, "PUT", path,
			      json_pack("{s:s, s:s}", "candidature_id", ids[C], "title",
					"Prix de l’audace"),
			      &j),
			 200);
	json_decref(j);
	assert_int_equal(audit_count("gpi.award.special", target), 1);
	/* The grand jury's page shows them; a candidate's candidature does
	 * not: before the ceremony its status stays what it was. */
	snprintf(path, sizeof(path), "/grand-prix/%d/grand-jury", year);
	char *page = sess_page_with(jury.s, path, "Prix de l’audace");
	free(page);
	assert_string_equal(status_of(C), "non-retenue");
	assert_string_equal(status_of(D), "finaliste");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_finalists_count_is_the_rules),
		cmocka_unit_test(the_phase_mails_go_once),
		cmocka_unit_test(the_grand_jury_awards_finalists_only),
		cmocka_unit_test(coup_de_coeur_and_special_prize),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
