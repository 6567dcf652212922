/* A retained Défi du Lab team becomes a project, through the real stack:
 * its confirmed members become the project's team (the captain its
 * porteur), its pitch the summary, its origin the team; the team and the
 * project link to each other; a second conversion is a 409 and a team
 * that was not retained a 422; the edition's funnel counts both. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

static const char PASSWORD[] = "Defi-projet-itest-passphrase-42";
static const char PITCH[] = "Un parrain pour chaque nouvel arrivant, dès le premier jour.";

static struct agent coordinator, captain, mate, other_captain, other_mate, third;
static int year;

/* Returns path formatted (static buffer, one at a time). */
static const char *pathf(const char *fmt, ...)
{
	static char buf[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return buf;
}

/* Creates, as the coordinator, an edition open around now with teams of
 * two at least, at the first free year. */
static json_t *edition_built(int y, void *arg)
{
	(void)arg;
	char start[16], end[16];
	snprintf(start, sizeof(start), "%d-06-26", y);
	snprintf(end, sizeof(end), "%d-06-27", y);
	return json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i}", "year", y, "title",
			 "Défi du Lab (projets)", "theme", "la suite du Défi", "event_start", start,
			 "event_end", end, "location", "Paris", "signup_opens_at",
			 "2020-01-01T00:00:00Z", "signup_closes_at", "2099-12-31T22:59:59Z",
			 "min_team_size", 2);
}

static int open_edition(void)
{
	return test_edition_new(coordinator.token, "/api/v1/defi/editions", edition_built, NULL);
}

/* Creates a team of the edition captained by a; returns its id (heap). */
static char *team_new(const struct agent *a, const char *name)
{
	json_t *body = json_pack("{s:s, s:s, s:s, s:[]}", "name", name, "pitch", PITCH, "theme_fit",
				 "Au cœur du thème.", "answers"),
	       *team = NULL;
	assert_int_equal(api_json(a->token, "POST", pathf("/api/v1/defi/editions/%d/teams", year),
				  body, &team),
			 201);
	json_decref(body);
	char *id = strdup(json_string_value(json_object_get(team, "id")));
	json_decref(team);
	return id;
}

/* POSTs body (may be NULL) to /api/v1/defi/teams/<id>/<action> as a;
 * returns the status and the reply in *out when asked. */
static long team_act(const struct agent *a, const char *id, const char *action, json_t *body,
		     json_t **out)
{
	return api_json(a->token, "POST", pathf("/api/v1/defi/teams/%s/%s", id, action), body, out);
}

static int setup(void **state)
{
	(void)state;
	agent_new(&coordinator, "defi-projet-coord", "caf-31", "coordinator", PASSWORD);
	agent_new(&captain, "defi-projet-capitaine", "caf-31", NULL, PASSWORD);
	agent_new(&mate, "defi-projet-membre", "caf-31", NULL, PASSWORD);
	agent_new(&other_captain, "defi-projet-autre", "caf-31", NULL, PASSWORD);
	agent_new(&other_mate, "defi-projet-autre-membre", "caf-31", NULL, PASSWORD);
	agent_new(&third, "defi-projet-troisieme", "caf-31", NULL, PASSWORD);
	year = open_edition();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	agent_free(&coordinator);
	agent_free(&captain);
	agent_free(&mate);
	agent_free(&other_captain);
	agent_free(&other_mate);
	agent_free(&third);
	return 0;
}

/* Makes a team named name of lead and member, submitted and retained;
 * returns its id (heap). */
static char *retained_team(const struct agent *lead, const struct agent *member, const char *name)
{
	char *id = team_new(lead, name);
	json_t *invite = json_pack("{s:s}", "email", member->email);
	assert_int_equal(team_act(lead, id, "invitations", invite, NULL), 201);
	json_decref(invite);
	assert_int_equal(team_act(member, id, "accept", NULL, NULL), 200);
	assert_int_equal(team_act(lead, id, "submit", NULL, NULL), 200);
	json_t *decision = json_pack("{s:s, s:s}", "decision", "retenue", "message", "Bravo !");
	assert_int_equal(team_act(&coordinator, id, "decision", decision, NULL), 200);
	json_decref(decision);
	return id;
}

/* Returns the funnel page's count on the row labelled label, -1 if
 * absent. */
static long funnel_count(const char *label)
{
	struct http_reply r;
	assert_int_equal(sess_get(coordinator.s, pathf("/projets/entonnoir?defi=%d", year), &r), 0);
	assert_int_equal(r.status, 200);
	char row[128];
	snprintf(row, sizeof(row), "<th scope=\"row\">%s</th><td>", label);
	const char *at = strstr(r.body, row);
	long n = at ? strtol(at + strlen(row), NULL, 10) : -1;
	http_reply_free(&r);
	return n;
}

/* Returns the funnel's count of label once it equals want, within two
 * seconds (each process's project index follows writes within one). */
static long funnel_settles(const char *label, long want)
{
	long n = -1;
	for (int i = 0; i < 20 && (n = funnel_count(label)) != want; i++)
		usleep(100 * 1000);
	return n;
}

static void retained_team_becomes_a_project(void **state)
{
	(void)state;
	char *id = retained_team(&captain, &mate, pathf("Les Parrains %d", (int)getpid()));
	assert_int_equal(funnel_count("Équipes retenues"), 1);
	assert_int_equal(funnel_count("Projets"), 0);

	/* Only a coordinator turns a team into a project. */
	assert_int_equal(team_act(&captain, id, "project", NULL, NULL), 403);
	json_t *p = NULL;
	assert_int_equal(team_act(&coordinator, id, "project", NULL, &p), 201);
	assert_string_equal(json_string_value(json_object_get(p, "summary")), PITCH);
	assert_string_equal(json_string_value(json_object_get(p, "stage")), "idee");
	json_t *origin = json_object_get(p, "origin");
	assert_string_equal(json_string_value(json_object_get(origin, "kind")), "defi");
	assert_string_equal(json_string_value(json_object_get(origin, "team_id")), id);
	assert_int_equal(json_integer_value(json_object_get(origin, "year")), year);
	json_t *members = json_object_get(p, "members"), *m;
	assert_int_equal(json_array_size(members), 2);
	size_t i;
	json_array_foreach(members, i, m) {
		const char *uid = json_string_value(json_object_get(m, "user_id"));
		bool is_captain = strcmp(uid, captain.id) == 0;
		assert_true(is_captain || strcmp(uid, mate.id) == 0);
		assert_string_equal(json_string_value(json_object_get(m, "role")),
				    is_captain ? "porteur" : "membre");
	}

	/* The team knows its project, and its page links to it. */
	json_t *team = NULL;
	assert_int_equal(
		api_json(captain.token, "GET", pathf("/api/v1/defi/teams/%s", id), NULL, &team),
		200);
	assert_string_equal(json_string_value(json_object_get(team, "project_id")),
			    json_string_value(json_object_get(p, "id")));
	json_decref(team);
	const char *slug = json_string_value(json_object_get(p, "slug"));
	char link[200];
	snprintf(link, sizeof(link), "href=\"/projets/%s\"", slug);
	struct http_reply r;
	assert_int_equal(sess_get(coordinator.s, pathf("/defi/%d/equipes/%s", year, id), &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, link));
	assert_null(strstr(r.body, "Transformer en projet"));
	http_reply_free(&r);
	/* And the project's page links back to the team. */
	assert_int_equal(sess_get(captain.s, pathf("/projets/%s", slug), &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, pathf("/defi/%d/equipes/%s", year, id)));
	http_reply_free(&r);

	/* A team becomes one project only. */
	assert_int_equal(team_act(&coordinator, id, "project", NULL, NULL), 409);
	assert_int_equal(funnel_settles("Projets", 1), 1);
	assert_int_equal(funnel_count("Équipes retenues"), 1);
	json_decref(p);
	free(id);
}

static void team_not_retained_is_refused(void **state)
{
	(void)state;
	char *id = team_new(&other_captain, pathf("Les Brouillons %d", (int)getpid()));
	/* A draft shows no conversion button to the coordinator. */
	struct http_reply r;
	assert_int_equal(sess_get(coordinator.s, pathf("/defi/%d/equipes/%s", year, id), &r), 0);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "Transformer en projet"));
	http_reply_free(&r);
	json_t *err = NULL;
	assert_int_equal(team_act(&coordinator, id, "project", NULL, &err), 422);
	assert_non_null(
		json_object_get(json_object_get(json_object_get(err, "error"), "fields"), "team"));
	json_decref(err);
	assert_int_equal(
		team_act(&coordinator, "0123456789abcdef0123456789abcdef", "project", NULL, NULL),
		404);
	free(id);
}

static void retained_team_page_offers_the_conversion(void **state)
{
	(void)state;
	/* The other captain already has a draft in this edition. */
	char *id = retained_team(&other_mate, &third, pathf("Les Autres %d", (int)getpid()));
	const char *page = pathf("/defi/%d/equipes/%s", year, id);
	struct http_reply r;
	assert_int_equal(sess_get(coordinator.s, page, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Transformer en projet"));
	http_reply_free(&r);
	/* The button's form does the conversion and lands on the project. */
	sess_post_form(coordinator.s, page, pathf("/defi/%d/equipes/%s/projet", year, id), &r,
		       NULL);
	assert_int_equal(r.status, 303);
	char *to = http_header(&r, "Location");
	assert_non_null(to);
	assert_non_null(strstr(to, "/projets/"));
	free(to);
	http_reply_free(&r);
	free(id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(retained_team_becomes_a_project),
		cmocka_unit_test(team_not_retained_is_refused),
		cmocka_unit_test(retained_team_page_offers_the_conversion),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
