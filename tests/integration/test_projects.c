/* Project tracking through nginx: every stage rule and the proof rule over
 * the API, and who sees a project (each role and anonymous visitors) over
 * the API and the pages. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

static const char PASSWORD[] = "Projets-itest-passphrase-42";

/* The cast of every test: a porteur, a colleague outside the team, and
 * two coordinators. */
static struct agent porteur, outsider, coordinator, other_coordinator;

static int setup(void **state)
{
	(void)state;
	agent_new(&porteur, "projet-porteur", "cpam-31", NULL, PASSWORD);
	agent_new(&outsider, "projet-agent", "caf-31", NULL, PASSWORD);
	agent_new(&coordinator, "projet-coord", "caf-31", "coordinator", PASSWORD);
	agent_new(&other_coordinator, "projet-coord2", "caf-31", "coordinator", PASSWORD);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	agent_free(&porteur);
	agent_free(&outsider);
	agent_free(&coordinator);
	agent_free(&other_coordinator);
	return 0;
}

/* Returns path formatted (static buffer, one at a time). */
static const char *pathf(const char *fmt, ...)
{
	static char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return buf;
}

/* Creates a project as the porteur with visibility; returns its JSON. */
static json_t *project_new(const char *visibility)
{
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "title",
				 "Accueil des nouveaux embauchés en binôme", "summary",
				 "Chaque nouvel agent est accueilli par un collègue volontaire.",
				 "problem", "Les nouveaux arrivants partent dans l’année.",
				 "solution", "Un **binôme** pendant trois mois.", "organisation_id",
				 "cpam-31", "started_on", "2024-09-02", "visibility", visibility);
	json_t *p = NULL;
	assert_int_equal(api_json(porteur.token, "POST", "/api/v1/projects", body, &p), 201);
	json_decref(body);
	assert_non_null(p);
	assert_string_equal(json_string_value(json_object_get(p, "stage")), "idee");
	assert_string_equal(json_string_value(json_object_get(p, "state")), "active");
	return p;
}

static const char *id_of(const json_t *p)
{
	return json_string_value(json_object_get(p, "id"));
}

/* Sends {stage, note} to path as token; returns the status, and the
 * error's fields.stage message in *why when asked. */
static long stage_call(const char *token, const char *path, const char *stage, const char *note,
		       char **why)
{
	json_t *body = json_pack("{s:s, s:s}", "stage", stage, "note", note), *out = NULL;
	long status = api_json(token, "POST", path, body, &out);
	json_decref(body);
	if (why) {
		json_t *fields = json_object_get(json_object_get(out, "error"), "fields");
		const char *m = json_string_value(json_object_get(fields, "stage"));
		*why = m ? strdup(m) : NULL;
	}
	json_decref(out);
	return status;
}

/* Returns the stored stage of project id as the coordinator reads it. */
static char *stage_of(const char *id)
{
	json_t *p = NULL;
	assert_int_equal(
		api_json(coordinator.token, "GET", pathf("/api/v1/projects/%s", id), NULL, &p),
		200);
	char *stage = strdup(json_string_value(json_object_get(p, "stage")));
	json_decref(p);
	return stage;
}

static void assert_stage(const char *id, const char *want)
{
	char *stage = stage_of(id);
	assert_string_equal(stage, want);
	free(stage);
}

/* Returns the id of the newest pending proposal of project id. */
static char *pending_id(const char *id)
{
	json_t *p = NULL;
	assert_int_equal(
		api_json(coordinator.token, "GET", pathf("/api/v1/projects/%s", id), NULL, &p),
		200);
	json_t *pending = json_object_get(p, "pending");
	assert_true(json_array_size(pending) > 0);
	char *pid = strdup(json_string_value(
		json_object_get(json_array_get(pending, json_array_size(pending) - 1), "id")));
	json_decref(p);
	return pid;
}

static void creation_is_checked(void **state)
{
	(void)state;
	json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "title", "", "organisation_id",
				 "inconnu-99", "started_on", "2023-02-30", "visibility", "tous");
	json_t *out = NULL;
	assert_int_equal(api_json(porteur.token, "POST", "/api/v1/projects", body, &out), 422);
	json_t *fields = json_object_get(json_object_get(out, "error"), "fields");
	assert_non_null(json_object_get(fields, "title"));
	assert_non_null(json_object_get(fields, "summary"));
	assert_non_null(json_object_get(fields, "organisation_id"));
	assert_non_null(json_object_get(fields, "started_on"));
	assert_non_null(json_object_get(fields, "visibility"));
	json_decref(out);
	json_decref(body);
	/* A query operator is only text: refused as a title, stored nowhere. */
	body = json_pack("{s:{s:s}}", "title", "$gt", "");
	assert_int_equal(api_json(porteur.token, "POST", "/api/v1/projects", body, NULL), 422);
	json_decref(body);
	assert_int_equal(api_json(NULL, "POST", "/api/v1/projects", NULL, NULL), 401);
	/* Costs and savings, for a Grand Prix candidature: euros, typed or
	 * as numbers, each with an optional note. */
	body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:[s]}", "title",
			 "Signature électronique", "summary", "Des contrats signés en ligne.",
			 "organisation_id", "cpam-31", "started_on", "2024-03-01", "costs",
			 "12 500", "costs_note", "Licence et formation", "savings", 3000,
			 "savings_note", "Affranchissement", "themes", "outils-collaboratifs");
	assert_int_equal(api_json(porteur.token, "POST", "/api/v1/projects", body, &out), 201);
	json_t *costs = json_object_get(out, "costs"), *savings = json_object_get(out, "savings");
	assert_int_equal(json_integer_value(json_object_get(costs, "euros")), 12500);
	assert_string_equal(json_string_value(json_object_get(costs, "note")),
			    "Licence et formation");
	assert_int_equal(json_integer_value(json_object_get(savings, "euros")), 3000);
	assert_string_equal(json_string_value(json_object_get(out, "visibility")), "staff");
	json_decref(out);
	json_object_set_new(body, "costs", json_string("douze mille"));
	json_object_set_new(body, "themes", json_pack("[s]", "inconnu"));
	assert_int_equal(api_json(porteur.token, "POST", "/api/v1/projects", body, &out), 422);
	fields = json_object_get(json_object_get(out, "error"), "fields");
	assert_non_null(json_object_get(fields, "costs"));
	assert_non_null(json_object_get(fields, "themes"));
	json_decref(out);
	json_decref(body);
}

static void proposals_move_one_stage_at_a_time(void **state)
{
	(void)state;
	json_t *p = project_new("staff");
	const char *id = id_of(p);
	char *why = NULL;
	const char *proposals = strdup(pathf("/api/v1/projects/%s/stage-proposals", id));
	/* A jump, straight to the institution, is refused and says why. */
	assert_int_equal(
		stage_call(porteur.token, proposals, "deploiement-institution", "On y va", &why),
		422);
	assert_non_null(why);
	assert_non_null(strstr(why, "une étape à la fois"));
	free(why);
	assert_int_equal(stage_call(porteur.token, proposals, "experimentation", "Vite", NULL),
			 422);
	assert_int_equal(stage_call(porteur.token, proposals, "inconnue", "x", NULL), 422);
	/* A proposal needs its note. */
	assert_int_equal(stage_call(porteur.token, proposals, "prototype", "", NULL), 422);
	/* Someone outside the team sees the project but proposes nothing. */
	assert_int_equal(stage_call(outsider.token, proposals, "prototype", "Moi aussi", NULL),
			 403);
	assert_int_equal(
		stage_call(porteur.token, proposals, "prototype", "Une maquette est prête.", NULL),
		201);
	assert_stage(id, "idee");
	char *pid = pending_id(id);
	/* Only coordinators decide; the team does not accept its own move. */
	assert_int_equal(api_json(porteur.token, "POST",
				  pathf("/api/v1/projects/%s/stage-proposals/%s/accept", id, pid),
				  NULL, NULL),
			 403);
	/* A refusal needs a comment. */
	assert_int_equal(api_json(coordinator.token, "POST",
				  pathf("/api/v1/projects/%s/stage-proposals/%s/refuse", id, pid),
				  NULL, NULL),
			 422);
	assert_int_equal(api_json(coordinator.token, "POST",
				  pathf("/api/v1/projects/%s/stage-proposals/%s/accept", id, pid),
				  NULL, NULL),
			 200);
	assert_stage(id, "prototype");
	/* Decided once: a second answer finds nothing pending. */
	assert_int_equal(api_json(coordinator.token, "POST",
				  pathf("/api/v1/projects/%s/stage-proposals/%s/accept", id, pid),
				  NULL, NULL),
			 422);
	free(pid);
	/* The next one, refused with a comment: the stage stays. */
	assert_int_equal(stage_call(porteur.token, proposals, "experimentation",
				    "Trois agences volontaires.", NULL),
			 201);
	pid = pending_id(id);
	json_t *comment = json_pack("{s:s}", "comment", "Attendons la fin du trimestre.");
	assert_int_equal(api_json(coordinator.token, "POST",
				  pathf("/api/v1/projects/%s/stage-proposals/%s/refuse", id, pid),
				  comment, NULL),
			 200);
	json_decref(comment);
	free(pid);
	assert_stage(id, "prototype");
	/* Every move is in the timeline, with who and the note. */
	json_t *full = NULL;
	assert_int_equal(
		api_json(porteur.token, "GET", pathf("/api/v1/projects/%s", id), NULL, &full), 200);
	char *text = json_dumps(json_object_get(full, "timeline"), 0);
	assert_non_null(strstr(text, "Une maquette est prête."));
	assert_non_null(strstr(text, "Attendons la fin du trimestre."));
	assert_non_null(strstr(text, coordinator.name));
	free(text);
	json_decref(full);
	free((char *)proposals);
	json_decref(p);
}

static void following_coordinator_decides(void **state)
{
	(void)state;
	json_t *p = project_new("staff");
	const char *id = id_of(p);
	json_t *follow = json_pack("{s:s}", "coordinator_id", coordinator.id);
	assert_int_equal(
		api_json(coordinator.token, "PUT", pathf("/api/v1/projects/%s", id), follow, NULL),
		200);
	json_decref(follow);
	assert_int_equal(stage_call(porteur.token, pathf("/api/v1/projects/%s/stage-proposals", id),
				    "prototype", "Prêt.", NULL),
			 201);
	char *pid = pending_id(id);
	assert_int_equal(api_json(other_coordinator.token, "POST",
				  pathf("/api/v1/projects/%s/stage-proposals/%s/accept", id, pid),
				  NULL, NULL),
			 403);
	assert_int_equal(api_json(coordinator.token, "POST",
				  pathf("/api/v1/projects/%s/stage-proposals/%s/accept", id, pid),
				  NULL, NULL),
			 200);
	free(pid);
	assert_stage(id, "prototype");
	json_decref(p);
}

static void branch_needs_a_measured_indicator(void **state)
{
	(void)state;
	json_t *p = project_new("staff");
	const char *id = id_of(p);
	char *move = strdup(pathf("/api/v1/projects/%s/stage", id));
	char *why = NULL;
	/* Coordinators move directly, still one stage at a time. */
	assert_int_equal(stage_call(porteur.token, move, "prototype", "", NULL), 403);
	assert_int_equal(stage_call(coordinator.token, move, "experimentation", "", NULL), 422);
	assert_int_equal(stage_call(coordinator.token, move, "prototype", "", NULL), 200);
	assert_int_equal(stage_call(coordinator.token, move, "experimentation", "", NULL), 200);
	assert_int_equal(stage_call(coordinator.token, move, "deploiement-branche", "", &why), 422);
	assert_non_null(why);
	assert_non_null(strstr(why, "fait ses preuves"));
	free(why);
	/* An indicator alone proves nothing: it needs a measured value. */
	json_t *ind = json_pack("{s:s, s:s, s:i, s:i, s:s}", "name", "Départs dans l’année", "unit",
				"%", "baseline", 18, "target", 8, "direction", "down"),
	       *out = NULL;
	assert_int_equal(api_json(porteur.token, "POST",
				  pathf("/api/v1/projects/%s/indicators", id), ind, &out),
			 201);
	json_decref(ind);
	const char *iid = json_string_value(
		json_object_get(json_array_get(json_object_get(out, "indicators"), 0), "id"));
	assert_non_null(iid);
	char *iid_copy = strdup(iid);
	json_decref(out);
	assert_int_equal(stage_call(coordinator.token, move, "deploiement-branche", "", NULL), 422);
	json_t *bad = json_pack("{s:s, s:s}", "date", "2024-02-30", "value", "douze");
	assert_int_equal(
		api_json(porteur.token, "POST",
			 pathf("/api/v1/projects/%s/indicators/%s/measurements", id, iid_copy), bad,
			 &out),
		422);
	json_t *fields = json_object_get(json_object_get(out, "error"), "fields");
	assert_non_null(json_object_get(fields, "date"));
	assert_non_null(json_object_get(fields, "value"));
	json_decref(out);
	json_decref(bad);
	json_t *m = json_pack("{s:s, s:f}", "date", "2024-12-31", "value", 12.5);
	assert_int_equal(
		api_json(porteur.token, "POST",
			 pathf("/api/v1/projects/%s/indicators/%s/measurements", id, iid_copy), m,
			 &out),
		201);
	json_t *series = json_object_get(json_array_get(json_object_get(out, "indicators"), 0),
					 "measurements");
	assert_int_equal(json_array_size(series), 1);
	json_decref(out);
	json_decref(m);
	assert_int_equal(stage_call(coordinator.token, move, "deploiement-branche", "", NULL), 200);
	/* Backward: allowed with a note only. */
	assert_int_equal(stage_call(coordinator.token, move, "prototype", "", &why), 422);
	assert_non_null(why);
	free(why);
	assert_int_equal(stage_call(coordinator.token, move, "prototype",
				    "Le logiciel change : on reprend la maquette.", NULL),
			 200);
	assert_stage(id, "prototype");
	/* A paused project does not move until it is active again. */
	json_t *pause = json_pack("{s:s}", "state", "paused");
	assert_int_equal(api_json(porteur.token, "POST", pathf("/api/v1/projects/%s/state", id),
				  pause, NULL),
			 422);
	json_object_set_new(pause, "reason", json_string("Réorganisation des services."));
	assert_int_equal(api_json(porteur.token, "POST", pathf("/api/v1/projects/%s/state", id),
				  pause, NULL),
			 200);
	json_decref(pause);
	assert_int_equal(stage_call(coordinator.token, move, "experimentation", "", NULL), 422);
	free(iid_copy);
	free(move);
	json_decref(p);
}

/* Returns the status of GET path in session s (NULL: anonymous). */
static long page_status(struct sess *s, const char *path)
{
	struct http_reply r;
	struct sess *anon = s ? NULL : sess_new();
	assert_int_equal(sess_get(s ? s : anon, path, &r), 0);
	long status = r.status;
	http_reply_free(&r);
	sess_free(anon);
	return status;
}

/* Returns true when the API list, as token, names project id. */
static bool listed(const char *token, const char *id)
{
	json_t *list = NULL;
	assert_int_equal(api_json(token, "GET", "/api/v1/projects?q=binome", NULL, &list), 200);
	char *text = json_dumps(list, 0);
	bool found = strstr(text, id) != NULL;
	free(text);
	json_decref(list);
	return found;
}

static void visibility_per_role(void **state)
{
	(void)state;
	json_t *p = project_new("team");
	const char *id = id_of(p);
	char *api = strdup(pathf("/api/v1/projects/%s", id));
	char *page = strdup(pathf("/projets/%s", json_string_value(json_object_get(p, "slug"))));
	/* Team: the team and the coordinators; a 404 for everyone else. */
	assert_int_equal(api_json(NULL, "GET", api, NULL, NULL), 404);
	assert_int_equal(api_json(outsider.token, "GET", api, NULL, NULL), 404);
	assert_int_equal(api_json(porteur.token, "GET", api, NULL, NULL), 200);
	assert_int_equal(api_json(coordinator.token, "GET", api, NULL, NULL), 200);
	assert_int_equal(page_status(NULL, page), 404);
	assert_int_equal(page_status(outsider.s, page), 404);
	assert_int_equal(page_status(porteur.s, page), 200);
	assert_int_equal(page_status(coordinator.s, page), 200);
	assert_false(listed(NULL, id));
	assert_false(listed(outsider.token, id));
	assert_true(listed(porteur.token, id));
	assert_true(listed(coordinator.token, id));
	/* Writes on a hidden project are 404s too, never 403s. */
	assert_int_equal(stage_call(outsider.token, pathf("%s/stage-proposals", api), "prototype",
				    "x", NULL),
			 404);
	/* Staff: every signed-in agent. */
	json_t *v = json_pack("{s:s}", "visibility", "staff");
	assert_int_equal(api_json(porteur.token, "PUT", api, v, NULL), 200);
	assert_int_equal(api_json(NULL, "GET", api, NULL, NULL), 404);
	assert_int_equal(api_json(outsider.token, "GET", api, NULL, NULL), 200);
	assert_int_equal(page_status(NULL, page), 404);
	assert_int_equal(page_status(outsider.s, page), 200);
	assert_true(listed(outsider.token, id));
	assert_false(listed(NULL, id));
	/* Someone outside the team does not edit it. */
	assert_int_equal(api_json(outsider.token, "PUT", api, v, NULL), 403);
	/* Public: anonymous visitors too. */
	json_object_set_new(v, "visibility", json_string("public"));
	assert_int_equal(api_json(porteur.token, "PUT", api, v, NULL), 200);
	json_decref(v);
	assert_int_equal(api_json(NULL, "GET", api, NULL, NULL), 200);
	assert_int_equal(page_status(NULL, page), 200);
	assert_true(listed(NULL, id));
	free(api);
	free(page);
	json_decref(p);
}

static void page_shows_sections_and_chart(void **state)
{
	(void)state;
	json_t *p = project_new("staff");
	const char *id = id_of(p);
	json_t *ind = json_pack("{s:s, s:s, s:i, s:s}", "name", "Délai <moyen>", "unit", "jours",
				"target", 10, "direction", "down");
	json_t *out = NULL;
	assert_int_equal(api_json(porteur.token, "POST",
				  pathf("/api/v1/projects/%s/indicators", id), ind, &out),
			 201);
	json_decref(ind);
	char *iid = strdup(json_string_value(
		json_object_get(json_array_get(json_object_get(out, "indicators"), 0), "id")));
	json_decref(out);
	const char *dates[] = {"2024-10-01", "2024-11-01"};
	for (int i = 0; i < 2; i++) {
		json_t *m = json_pack("{s:s, s:i}", "date", dates[i], "value", 20 - 5 * i);
		assert_int_equal(
			api_json(porteur.token, "POST",
				 pathf("/api/v1/projects/%s/indicators/%s/measurements", id, iid),
				 m, NULL),
			201);
		json_decref(m);
	}
	json_t *link = json_pack("{s:s, s:s}", "title", "Bilan à six mois", "url",
				 "javascript:alert(1)");
	assert_int_equal(api_json(porteur.token, "POST", pathf("/api/v1/projects/%s/resources", id),
				  link, NULL),
			 422);
	json_object_set_new(link, "url", json_string("https://intranet.example.org/bilan"));
	assert_int_equal(api_json(porteur.token, "POST", pathf("/api/v1/projects/%s/resources", id),
				  link, NULL),
			 201);
	assert_int_equal(api_json(outsider.token, "POST",
				  pathf("/api/v1/projects/%s/resources", id), link, NULL),
			 403);
	json_decref(link);
	json_t *post = json_pack("{s:s, s:s}", "title", "Premier bilan", "body",
				 "Tout va **bien**.<script>alert(1)</script>");
	assert_int_equal(api_json(porteur.token, "POST", pathf("/api/v1/projects/%s/journal", id),
				  post, NULL),
			 201);
	json_decref(post);
	struct http_reply r;
	assert_int_equal(
		sess_get(porteur.s,
			 pathf("/projets/%s", json_string_value(json_object_get(p, "slug"))), &r),
		0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "<svg"));
	assert_non_null(strstr(r.body, "role=\"img\""));
	assert_non_null(strstr(r.body, "Délai &lt;moyen&gt;"));
	assert_non_null(strstr(r.body, "<caption>Mesures de"));
	assert_non_null(strstr(r.body, "01/11/2024"));
	assert_non_null(strstr(r.body, "<strong>bien</strong>"));
	assert_null(strstr(r.body, "<script>alert(1)"));
	assert_non_null(strstr(r.body, "Candidater au Grand Prix"));
	assert_non_null(strstr(r.body, "href=\"https://intranet.example.org/bilan\""));
	http_reply_free(&r);
	free(iid);
	json_decref(p);
}

static void page_forms_keep_what_was_typed(void **state)
{
	(void)state;
	json_t *p = project_new("staff");
	const char *slug = json_string_value(json_object_get(p, "slug"));
	char *page = strdup(pathf("/projets/%s", slug));
	struct http_reply r;
	sess_post_form(porteur.s, page, pathf("/projets/%s/propositions", slug), &r, "stage",
		       "deploiement-institution", "note", "Note gardée <b>telle quelle</b>", NULL);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "<title>Erreur\u202f: "));
	assert_non_null(strstr(r.body, "une étape à la fois"));
	assert_non_null(strstr(r.body, "Note gardée &lt;b&gt;telle quelle&lt;/b&gt;"));
	http_reply_free(&r);
	sess_post_form(porteur.s, page, pathf("/projets/%s/propositions", slug), &r, "stage",
		       "prototype", "note", "Maquette prête", NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	free(page);
	json_decref(p);
}

static void page_creation_and_list(void **state)
{
	(void)state;
	struct http_reply r;
	sess_post_form(porteur.s, "/projets/nouveau", "/projets/nouveau", &r, "title", "",
		       "summary", "Résumé gardé", "organisation_id", "cpam-31", "started_on",
		       "2024-01-15", NULL);
	assert_int_equal(r.status, 422);
	char *err = html_field_error(r.body, "title");
	assert_non_null(err);
	free(err);
	assert_non_null(strstr(r.body, "Résumé gardé"));
	http_reply_free(&r);
	sess_post_form(porteur.s, "/projets/nouveau", "/projets/nouveau", &r, "title",
		       "Café des nouveaux arrivants", "summary", "Un café mensuel.",
		       "organisation_id", "cpam-31", "started_on", "2024-01-15", NULL);
	assert_int_equal(r.status, 303);
	char *location = http_header(&r, "Location");
	assert_non_null(location);
	assert_non_null(strstr(location, "/projets/cafe-des-nouveaux-arrivants"));
	http_reply_free(&r);
	free(location);
	assert_int_equal(sess_get(outsider.s, "/projets?q=cafe+arrivants", &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Café des nouveaux arrivants"));
	http_reply_free(&r);
}

/* Returns true when a project of the coordinator's list (every project)
 * matches the filter query. */
static bool some_project(const char *query)
{
	json_t *list = NULL;
	assert_int_equal(api_json(coordinator.token, "GET", pathf("/api/v1/projects?%s", query),
				  NULL, &list),
			 200);
	bool some = json_integer_value(json_object_get(list, "total")) > 0;
	json_decref(list);
	return some;
}

static void demo_projects_cover_every_stage(void **state)
{
	(void)state;
	char *out = NULL;
	assert_int_equal(cli_run((const char *[]){"seed", "--demo", NULL}, NULL, &out), 0);
	free(out);
	/* The seed ran in another process: the index takes it in within a
	 * second. */
	for (int i = 0; i < 30 && !some_project("q=offres+emploi+video"); i++)
		usleep(100000);
	const char *stages[] = {"idee", "prototype", "experimentation", "deploiement-branche",
				"deploiement-institution"};
	for (size_t i = 0; i < 5; i++)
		assert_true(some_project(pathf("stage=%s", stages[i])));
	assert_true(some_project("state=paused"));
	assert_true(some_project("state=abandoned"));
	assert_true(some_project("defi=2023"));
	json_t *list = NULL;
	assert_int_equal(api_json(NULL, "GET", "/api/v1/projects?stage=deploiement-institution",
				  NULL, &list),
			 200);
	json_t *item = json_array_get(json_object_get(list, "items"), 0);
	assert_non_null(item);
	assert_true(json_is_true(json_object_get(item, "example")));
	/* The roll-out project has a year of measurements on its page. */
	struct http_reply r;
	assert_int_equal(
		http_get(pathf("/projets/%s", json_string_value(json_object_get(item, "slug"))),
			 &r),
		0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "<polyline"));
	assert_non_null(strstr(r.body, "12 mesures"));
	http_reply_free(&r);
	json_decref(list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(creation_is_checked),
		cmocka_unit_test(proposals_move_one_stage_at_a_time),
		cmocka_unit_test(following_coordinator_decides),
		cmocka_unit_test(branch_needs_a_measured_indicator),
		cmocka_unit_test(visibility_per_role),
		cmocka_unit_test(page_shows_sections_and_chart),
		cmocka_unit_test(page_forms_keep_what_was_typed),
		cmocka_unit_test(page_creation_and_list),
		cmocka_unit_test(demo_projects_cover_every_stage),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
