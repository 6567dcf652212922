/* The coordinators' side of project tracking through the real stack: the
 * board and its filters, the CSV export, the weekly mail of stalled
 * projects (sent once a week, whatever the passes and processes), and
 * "Publier comme bonne pratique" with the link both ways. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

static const char PASSWORD[] = "Projects-board-itest-passphrase-7";
static const char ORG[] = "cpam-69";

/* Returns a unique title for this run ("<what> <pid>-<n>"). Heap. */
static char *unique_title(const char *what)
{
	static int n;
	char *out;
	assert_true(asprintf(&out, "%s %d-%d", what, (int)getpid(), ++n) > 0);
	return out;
}

/* Creates a project through the API as a (a team member, porteur) with
 * visibility and title; returns its JSON (new reference). */
static json_t *project_new(const struct agent *a, const char *title, const char *visibility)
{
	json_t *body = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:[s], s:s, s:s}", "title", title, "summary",
		"Un accueil sur rendez-vous pour les nouveaux arrivants.", "problem",
		"Les nouveaux salariés se sentent seuls les premiers jours.", "solution",
		"Un binôme et un parcours d’accueil d’une semaine.", "organisation_id", ORG,
		"themes", "recrutement-integration", "started_on", "2026-01-15", "visibility",
		visibility);
	json_t *p = NULL;
	long status = api_json(a->token, "POST", "/api/v1/projects", body, &p);
	json_decref(body);
	assert_int_equal(status, 201);
	assert_non_null(p);
	return p;
}

/* Makes coordinator c the one who follows project p. */
static void follow(const struct agent *c, const json_t *p)
{
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/projects/%s",
		 json_string_value(json_object_get(p, "id")));
	json_t *body = json_pack("{s:s}", "coordinator_id", c->id);
	assert_int_equal(api_json(c->token, "PUT", path, body, NULL), 200);
	json_decref(body);
}

/* Waits up to limit_ms for maildir_count(needle) to reach want; returns
 * the last count. */
static int wait_mail(const char *needle, int want, long limit_ms)
{
	long long start = now_ms();
	int n;
	while ((n = maildir_count(needle)) < want && now_ms() - start < limit_ms)
		usleep(100 * 1000);
	return n;
}

static void board_shows_the_cards_to_coordinators_only(void **state)
{
	(void)state;
	struct agent porteur, coord;
	agent_new(&porteur, "board-porteur", ORG, NULL, PASSWORD);
	agent_new(&coord, "board-coord", ORG, "coordinator", PASSWORD);
	char *title = unique_title("Tableau accueil");
	json_t *p = project_new(&porteur, title, "team");
	struct http_reply r;
	/* Only the projects the coordinator follows: none yet. */
	usleep(1200 * 1000); /* every process's index takes the project in */
	assert_int_equal(sess_get(coord.s, "/projets/tableau?suivi=moi", &r), 0);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, title));
	http_reply_free(&r);

	/* Once they follow it, its card is in the "Idée" column with its
	 * organisation and a form to move it, even though only its team and
	 * the coordinators may see it. */
	follow(&coord, p);
	usleep(1200 * 1000);
	assert_int_equal(sess_get(coord.s, "/projets/tableau?suivi=moi", &r), 0);
	assert_int_equal(r.status, 200);
	const char *column = strstr(r.body, "id=\"col-idee\"");
	const char *card = strstr(r.body, title);
	assert_non_null(column);
	assert_non_null(card);
	assert_true(card > column && card < strstr(r.body, "id=\"col-prototype\""));
	assert_non_null(strstr(card, "CPAM du Rhône"));
	/* The column's form moves it: it is among the projects to choose. */
	char option[200];
	snprintf(option, sizeof(option), "<option value=\"%s\">",
		 json_string_value(json_object_get(p, "slug")));
	assert_non_null(strstr(card, "action=\"/projets/tableau/etape\""));
	assert_non_null(strstr(card, option));
	http_reply_free(&r);
	/* Moving it from the board: one stage forward. */
	sess_post_form(coord.s, "/projets/tableau?suivi=moi", "/projets/tableau/etape", &r, "slug",
		       json_string_value(json_object_get(p, "slug")), "stage", "prototype", "note",
		       "", NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	usleep(1200 * 1000);
	assert_int_equal(sess_get(coord.s, "/projets/tableau?suivi=moi", &r), 0);
	card = strstr(r.body, title);
	assert_non_null(card);
	assert_true(card > strstr(r.body, "id=\"col-prototype\""));
	http_reply_free(&r);
	/* A filter that leaves it out: another region. */
	assert_int_equal(sess_get(coord.s, "/projets/tableau?suivi=moi&region=Bretagne", &r), 0);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, title));
	http_reply_free(&r);
	/* The whole board, shared by the coordinators. */
	assert_int_equal(sess_get(coord.s, "/projets/tableau", &r), 0);
	assert_int_equal(r.status, 200);
	http_reply_free(&r);

	/* The funnel of an edition: the retained teams, the projects born of
	 * them and each stage reached, as a chart and its table. */
	assert_int_equal(sess_get(coord.s, "/projets/entonnoir?defi=2023", &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Entonnoir du Défi du Lab 2023"));
	assert_non_null(strstr(r.body, "<svg"));
	assert_non_null(strstr(r.body, "<th scope=\"row\">Équipes retenues</th>"));
	http_reply_free(&r);
	assert_int_equal(sess_get(porteur.s, "/projets/entonnoir?defi=2023", &r), 0);
	assert_true(r.status == 403 || r.status == 404);
	http_reply_free(&r);

	/* An agent, even on the team, has no board; nor has an anonymous visitor. */
	assert_int_equal(sess_get(porteur.s, "/projets/tableau", &r), 0);
	assert_true(r.status == 403 || r.status == 404);
	http_reply_free(&r);
	assert_int_equal(http_get("/projets/tableau", &r), 0);
	assert_int_not_equal(r.status, 200);
	assert_null(strstr(r.body, title));
	http_reply_free(&r);

	json_decref(p);
	free(title);
	agent_free(&coord);
	agent_free(&porteur);
}

static void export_is_french_csv_with_formulas_defused(void **state)
{
	(void)state;
	struct agent porteur, coord;
	agent_new(&porteur, "export-porteur", ORG, NULL, PASSWORD);
	agent_new(&coord, "export-coord", ORG, "coordinator", PASSWORD);
	char *title = unique_title("=HYPERLINK(\"http://example.org\") export");
	json_t *p = project_new(&porteur, title, "staff");

	struct http_reply r;
	assert_int_equal(sess_get(coord.s, "/projets/export.csv", &r), 0);
	assert_int_equal(r.status, 200);
	char *type = http_header(&r, "Content-Type");
	assert_non_null(strstr(type, "text/csv"));
	free(type);
	static const char HEAD[] = "\xEF\xBB\xBF\"Identifiant\";\"Adresse du projet\";";
	assert_memory_equal(r.body, HEAD, strlen(HEAD));
	/* The title starts with "=": a spreadsheet must not run it. */
	assert_non_null(strstr(r.body, "\"'=HYPERLINK(\"\"http://example.org\"\") export"));
	assert_non_null(strstr(r.body, "\"Idée\";\"Actif\""));
	http_reply_free(&r);
	/* Coordinators only. */
	assert_int_equal(sess_get(porteur.s, "/projets/export.csv", &r), 0);
	assert_true(r.status == 403 || r.status == 404);
	http_reply_free(&r);

	json_decref(p);
	free(title);
	agent_free(&coord);
	agent_free(&porteur);
}

static void stalled_projects_are_mailed_once_a_week(void **state)
{
	(void)state;
	struct agent porteur, coord;
	agent_new(&porteur, "stalled-porteur", ORG, NULL, PASSWORD);
	agent_new(&coord, "stalled-coord", ORG, "coordinator", PASSWORD);
	char *title = unique_title("Projet en sommeil");
	json_t *p = project_new(&porteur, title, "staff");
	follow(&coord, p);
	usleep(1200 * 1000); /* every process's index takes the change in */
	assert_int_equal(maildir_count(title), 0);

	/* 60 days and more later (the project's last activity is today, on
	 * the real clock), a Wednesday: one mail to its coordinator. */
	test_clock_set("2027-03-03T10:00:00Z");
	assert_int_equal(wait_mail(title, 1, 10000), 1);
	struct http_reply r;
	assert_int_equal(sess_get(coord.s, "/projets/tableau?suivi=moi", &r), 0);
	assert_non_null(strstr(r.body, title));
	assert_non_null(strstr(r.body, "En sommeil"));
	http_reply_free(&r);

	/* Later that week, whatever the process or the pass: no other one. The
	 * claim of the week is in the database. */
	test_clock_set("2027-03-07T20:00:00Z");
	sleep(2);
	assert_int_equal(maildir_count(title), 1);
	char filter[256];
	snprintf(filter, sizeof(filter), "{\"_id\": \"stalled:%s:2027-W09\"}", coord.id);
	assert_int_equal(mongo_count("project_mails", filter), 1);

	/* The next week: the next mail. */
	test_clock_set("2027-03-08T08:00:00Z");
	assert_int_equal(wait_mail(title, 2, 10000), 2);
	test_clock_clear();

	json_decref(p);
	free(title);
	agent_free(&coord);
	agent_free(&porteur);
}

static void a_project_becomes_a_draft_practice_linked_both_ways(void **state)
{
	(void)state;
	struct agent porteur, outsider, coord;
	agent_new(&porteur, "practice-porteur", ORG, NULL, PASSWORD);
	agent_new(&outsider, "practice-outsider", ORG, NULL, PASSWORD);
	agent_new(&coord, "practice-link-coord", ORG, "coordinator", PASSWORD);
	char *title = unique_title("Binôme d’accueil");
	json_t *p = project_new(&porteur, title, "staff");
	const char *pid = json_string_value(json_object_get(p, "id"));
	const char *slug = json_string_value(json_object_get(p, "slug"));
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/projects/%s/practice", pid);

	/* Someone who sees the project but is not on its team may not. */
	assert_int_equal(api_json(outsider.token, "POST", path, NULL, NULL), 403);
	json_t *made = NULL;
	assert_int_equal(api_json(porteur.token, "POST", path, NULL, &made), 201);
	const char *practice_id = json_string_value(json_object_get(made, "id"));
	assert_non_null(practice_id);
	/* One practice per project. */
	assert_int_equal(api_json(porteur.token, "POST", path, NULL, NULL), 409);

	/* The project names its practice... */
	json_t *got = NULL;
	snprintf(path, sizeof(path), "/api/v1/projects/%s", pid);
	assert_int_equal(api_json(porteur.token, "GET", path, NULL, &got), 200);
	assert_string_equal(json_string_value(json_object_get(got, "practice_id")), practice_id);
	json_decref(got);
	/* ...and the draft, pre-filled from it, names the project. */
	snprintf(path, sizeof(path), "/api/v1/practices/%s", practice_id);
	assert_int_equal(api_json(porteur.token, "GET", path, NULL, &got), 200);
	json_t *practice = got;
	assert_string_equal(json_string_value(json_object_get(practice, "title")), title);
	assert_string_equal(json_string_value(json_object_get(practice, "status")), "draft");
	assert_string_equal(json_string_value(json_object_get(practice, "description")),
			    "Un binôme et un parcours d’accueil d’une semaine.");
	json_t *source = json_object_get(practice, "source");
	assert_string_equal(json_string_value(json_object_get(source, "slug")), slug);
	char sheet[200];
	snprintf(sheet, sizeof(sheet), "/pratiques/%s",
		 json_string_value(json_object_get(practice, "slug")));
	json_decref(got);
	struct http_reply r;
	assert_int_equal(sess_get(porteur.s, sheet, &r), 0);
	assert_int_equal(r.status, 200);
	char link[200];
	snprintf(link, sizeof(link), "href=\"/projets/%s\"", slug);
	assert_non_null(strstr(r.body, link));
	http_reply_free(&r);
	/* The project page shows its practice. */
	snprintf(link, sizeof(link), "/projets/%s", slug);
	assert_int_equal(sess_get(porteur.s, link, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, sheet));
	http_reply_free(&r);

	json_decref(made);
	json_decref(p);
	free(title);
	agent_free(&coord);
	agent_free(&outsider);
	agent_free(&porteur);
}

/* A project's page is shared by the visitors with the same roles, their
 * own parts filled in: a coordinator who does not follow it may follow it,
 * its own coordinator may not; the team still gets its forms. */
static void a_shared_project_page_keeps_each_visitor_own_parts(void **state)
{
	(void)state;
	struct agent porteur, reader, c1, c2;
	agent_new(&porteur, "shared-porteur", ORG, NULL, PASSWORD);
	agent_new(&reader, "shared-reader", ORG, NULL, PASSWORD);
	agent_new(&c1, "shared-coord-1", ORG, "coordinator", PASSWORD);
	agent_new(&c2, "shared-coord-2", ORG, "coordinator", PASSWORD);
	char *title = unique_title("Page partagée");
	json_t *p = project_new(&porteur, title, "staff");
	follow(&c1, p); /* c1 follows it: c2 may follow it instead */
	usleep(1200 * 1000);
	char page[200];
	snprintf(page, sizeof(page), "/projets/%s", json_string_value(json_object_get(p, "slug")));

	struct http_reply r;
	for (int i = 0; i < 2; i++) { /* built, then from the cache */
		assert_int_equal(sess_get(c2.s, page, &r), 0);
		assert_int_equal(r.status, 200);
		assert_non_null(strstr(r.body, "/suivre\""));
		/* The hole of the CSRF token is filled with c2's. */
		char *token = html_input_value(r.body, "csrf");
		assert_non_null(token);
		assert_true(strlen(token) >= 32);
		free(token);
		http_reply_free(&r);
	}
	/* Another agent reads it, without the team's forms. */
	assert_int_equal(sess_get(reader.s, page, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, title));
	assert_null(strstr(r.body, "/indicateurs\""));
	assert_null(strstr(r.body, "/suivre\""));
	http_reply_free(&r);
	/* The team member gets the page of the team. */
	assert_int_equal(sess_get(porteur.s, page, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "/indicateurs\""));
	http_reply_free(&r);
	/* Its coordinator is not offered to follow it again. */
	assert_int_equal(sess_get(c1.s, page, &r), 0);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "Suivre ce projet"));
	http_reply_free(&r);

	json_decref(p);
	free(title);
	agent_free(&c2);
	agent_free(&c1);
	agent_free(&reader);
	agent_free(&porteur);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(board_shows_the_cards_to_coordinators_only),
		cmocka_unit_test(export_is_french_csv_with_formulas_defused),
		cmocka_unit_test(stalled_projects_are_mailed_once_a_week),
		cmocka_unit_test(a_project_becomes_a_draft_practice_linked_both_ways),
		cmocka_unit_test(a_shared_project_page_keeps_each_visitor_own_parts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
