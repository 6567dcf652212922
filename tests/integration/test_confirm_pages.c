/* Destructive actions ask on a page of their own (web/confirm.h): opening
 * that page changes nothing, it holds the POST form that does the change
 * with the visitor's CSRF token, and only those allowed to act see it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

static const char PASSWORD[] = "phrase de passe des confirmations";

struct people {
	struct sess *coordinator, *agent;
};

static int setup(void **state)
{
	struct people *p = calloc(1, sizeof(*p));
	p->coordinator = sess_signed_in("confirm-coord", "Coordination Confirmations",
					"coordinator", PASSWORD);
	p->agent = sess_signed_in("confirm-agent", "Agent Confirmations", NULL, PASSWORD);
	*state = p;
	return 0;
}

static int teardown(void **state)
{
	struct people *p = *state;
	sess_free(p->coordinator);
	sess_free(p->agent);
	free(p);
	return 0;
}

/* Sends an API call as s, its CSRF token in the header; returns the
 * answer parsed (new reference) after checking its status. */
static json_t *api(struct sess *s, const char *method, const char *path, const char *body,
		   long status)
{
	char *token = sess_cookie(s, "csrf");
	char header[128];
	snprintf(header, sizeof(header), "X-CSRF-Token: %s", token ? token : "");
	const char *headers[] = {header, NULL};
	struct http_reply r;
	assert_int_equal(sess_request(s, method, path, headers, body ? "application/json" : NULL,
				      body, body ? strlen(body) : 0, &r),
			 0);
	assert_int_equal(r.status, status);
	json_t *doc = json_loads(r.body, 0, NULL);
	http_reply_free(&r);
	free(token);
	return doc;
}

/* Publishes a new practice as the coordinator; writes its slug and id. */
static void published(struct sess *s, char slug[128], char id[32])
{
	char body[1024];
	snprintf(body, sizeof(body),
		 "{\"title\":\"Pratique à archiver %d\",\"summary\":\"Un résumé.\","
		 "\"problem\":\"Un problème.\",\"description\":\"Une description.\","
		 "\"maturity\":\"experimentee\",\"organisation_ids\":[\"caf-31\"],"
		 "\"themes\":[\"communication\"]}",
		 (int)getpid());
	json_t *p = api(s, "POST", "/api/v1/practices", body, 201);
	snprintf(slug, 128, "%s", json_string_value(json_object_get(p, "slug")));
	snprintf(id, 32, "%s", json_string_value(json_object_get(p, "id")));
	json_decref(p);
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/practices/%s/submit", id);
	p = api(s, "POST", path, NULL, 200);
	snprintf(body, sizeof(body), "{\"version\":%lld}",
		 (long long)json_integer_value(json_object_get(p, "version")));
	json_decref(p);
	snprintf(path, sizeof(path), "/api/v1/practices/%s/publish", id);
	json_decref(api(s, "POST", path, body, 200));
}

/* Returns the status the API gives practice id. Heap. */
static char *status_of(struct sess *s, const char *id)
{
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/practices/%s", id);
	json_t *p = api(s, "GET", path, NULL, 200);
	char *status = strdup(json_string_value(json_object_get(p, "status")));
	json_decref(p);
	return status;
}

static void archiving_asks_first_and_only_the_post_archives(void **state)
{
	struct people *people = *state;
	char slug[128], id[32], path[256], action[256];
	published(people->coordinator, slug, id);

	/* The sheet's button is a link to the page that asks. */
	struct http_reply r;
	snprintf(path, sizeof(path), "/pratiques/%s", slug);
	assert_int_equal(sess_get(people->coordinator, path, &r), 0);
	snprintf(path, sizeof(path), "href=\"/pratiques/%s/confirmer-archivage\"", slug);
	assert_non_null(strstr(r.body, path));
	http_reply_free(&r);

	snprintf(path, sizeof(path), "/pratiques/%s/confirmer-archivage", slug);
	assert_int_equal(sess_get(people->coordinator, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "<h1>Archiver cette pratique\u202f?</h1>"));
	snprintf(action, sizeof(action),
		 "<form class=\"confirm__form\" method=\"post\" "
		 "action=\"/pratiques/%s/archiver\">",
		 slug);
	assert_non_null(strstr(r.body, action));
	char *token = html_input_value(r.body, "csrf");
	assert_non_null(token);
	assert_true(strlen(token) > 0);
	free(token);
	http_reply_free(&r);
	/* Asking twice changes nothing. */
	assert_int_equal(sess_get(people->coordinator, path, &r), 0);
	http_reply_free(&r);
	char *status = status_of(people->coordinator, id);
	assert_string_equal(status, "published");
	free(status);

	/* An agent may not archive: no page that asks either. */
	assert_int_equal(sess_get(people->agent, path, &r), 0);
	assert_int_equal(r.status, 403);
	http_reply_free(&r);

	/* The page's form archives. */
	snprintf(action, sizeof(action), "/pratiques/%s/archiver", slug);
	sess_post_form(people->coordinator, path, action, &r, NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	status = status_of(people->coordinator, id);
	assert_string_equal(status, "archived");
	free(status);

	/* Archived, there is nothing left to ask about. */
	assert_int_equal(sess_get(people->coordinator, path, &r), 0);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body, "Action impossible en l’état"));
	http_reply_free(&r);
}

static void removing_a_missing_resource_is_a_404(void **state)
{
	struct people *people = *state;
	char slug[128], id[32], path[256];
	published(people->coordinator, slug, id);
	struct http_reply r;
	snprintf(path, sizeof(path),
		 "/pratiques/%s/ressources/0123456789abcdef01234567/confirmer-retrait", slug);
	assert_int_equal(sess_get(people->coordinator, path, &r), 0);
	assert_int_equal(r.status, 404);
	assert_non_null(strstr(r.body, "n’est plus dans la boîte"));
	http_reply_free(&r);
}

static void ending_someone_elses_session_is_not_offered(void **state)
{
	struct people *people = *state;
	struct http_reply r;
	/* A session id that is not the visitor's: the same 404 as none. */
	assert_int_equal(sess_get(people->agent,
				  "/compte/sessions/"
				  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
				  "/confirmer-fin",
				  &r),
			 0);
	assert_int_equal(r.status, 404);
	http_reply_free(&r);
}

static void deactivations_ask_first(void **state)
{
	struct people *people = *state;
	struct sess *admin = sess_signed_in("confirm-admin", "Admin Confirmations", "admin",
					    PASSWORD);
	json_t *me = api(people->agent, "GET", "/api/v1/me", NULL, 200);
	char path[160];
	snprintf(path, sizeof(path), "/admin/utilisateurs/%s/confirmer-desactivation",
		 json_string_value(json_object_get(me, "id")));
	json_decref(me);
	struct http_reply r;
	assert_int_equal(sess_get(admin, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "<h1>Désactiver ce compte\u202f?</h1>"));
	http_reply_free(&r);
	/* The account still works. */
	json_decref(api(people->agent, "GET", "/api/v1/me", NULL, 200));
	/* One's own account is refused on the spot, as its form would be. */
	me = api(admin, "GET", "/api/v1/me", NULL, 200);
	snprintf(path, sizeof(path), "/admin/utilisateurs/%s/confirmer-desactivation",
		 json_string_value(json_object_get(me, "id")));
	json_decref(me);
	assert_int_equal(sess_get(admin, path, &r), 0);
	assert_int_equal(r.status, 422);
	http_reply_free(&r);

	assert_int_equal(sess_get(admin, "/admin/organisations/caf-31/confirmer-desactivation", &r),
			 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "action=\"/admin/organisations/caf-31/desactiver\""));
	http_reply_free(&r);
	assert_int_equal(
		mongo_count("organisations", "{\"_id\": \"caf-31\", \"status\": \"active\"}"), 1);
	/* Agents get no such page. */
	assert_int_equal(
		sess_get(people->agent, "/admin/organisations/caf-31/confirmer-desactivation", &r),
		0);
	assert_int_equal(r.status, 403);
	http_reply_free(&r);
	sess_free(admin);
}

/* Checks that s's GET of path answers status with a body holding every
 * needle that follows (NULL-terminated). */
static void page_has(struct sess *s, const char *path, long status, ...)
{
	struct http_reply r;
	assert_int_equal(sess_get(s, path, &r), 0);
	assert_int_equal(r.status, status);
	va_list ap;
	va_start(ap, status);
	for (const char *needle; (needle = va_arg(ap, const char *));)
		if (!strstr(r.body, needle))
			fail_msg("%s: no %s", path, needle);
	va_end(ap);
	http_reply_free(&r);
}

static void leaving_a_club_asks_first(void **state)
{
	struct people *people = *state;
	struct sess *other = sess_signed_in("confirm-club", "Autre Confirmations", NULL, PASSWORD);
	json_decref(api(people->agent, "POST", "/api/v1/clubs/rgpd/members", NULL, 201));
	page_has(people->agent, "/clubs/rgpd", 200, "href=\"/clubs/rgpd/confirmer-depart\"", NULL);
	page_has(people->agent, "/clubs/rgpd/confirmer-depart", 200,
		 "<h1>Quitter ce club\u202f?</h1>", "RGPD", "action=\"/clubs/rgpd/quitter\"", NULL);
	/* Asking changed nothing; someone who is not a member is not asked. */
	page_has(people->agent, "/clubs/rgpd", 200, "Vous êtes membre de ce club.", NULL);
	page_has(other, "/clubs/rgpd/confirmer-depart", 404, NULL);
	struct http_reply r;
	sess_post_form(people->agent, "/clubs/rgpd/confirmer-depart", "/clubs/rgpd/quitter", &r,
		       NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	page_has(people->agent, "/clubs/rgpd/confirmer-depart", 404, NULL);
	sess_free(other);
}

/* Creates a public project as s; writes its slug, id and the id of its
 * first document. */
static void project_of(struct sess *s, char slug[128], char id[32], char rid[32])
{
	json_t *p = api(s, "POST", "/api/v1/projects",
			"{\"title\":\"Projet à confirmer\",\"summary\":\"Un résumé.\","
			"\"problem\":\"Un problème.\",\"solution\":\"Une solution.\","
			"\"organisation_id\":\"caf-31\",\"started_on\":\"2024-09-02\","
			"\"visibility\":\"public\"}",
			201);
	snprintf(slug, 128, "%s", json_string_value(json_object_get(p, "slug")));
	snprintf(id, 32, "%s", json_string_value(json_object_get(p, "id")));
	json_decref(p);
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/projects/%s/resources", id);
	json_decref(api(s, "POST", path,
			"{\"title\":\"Cahier des charges\","
			"\"url\":\"https://exemple.fr/cahier\"}",
			201));
	snprintf(path, sizeof(path), "/api/v1/projects/%s", id);
	p = api(s, "GET", path, NULL, 200);
	const json_t *res = json_object_get(p, "resources");
	snprintf(rid, 32, "%s",
		 json_string_value(
			 json_object_get(json_array_get(res, json_array_size(res) - 1), "id")));
	json_decref(p);
}

static void projects_ask_before_removing_and_abandoning(void **state)
{
	struct people *people = *state;
	struct sess *other = sess_signed_in("confirm-proj", "Autre Projet", NULL, PASSWORD);
	char slug[128], id[32], rid[32], path[256], needle[256];
	project_of(people->agent, slug, id, rid);
	json_t *me = api(people->agent, "GET", "/api/v1/me", NULL, 200);
	char uid[64];
	snprintf(uid, sizeof(uid), "%s", json_string_value(json_object_get(me, "id")));
	json_decref(me);

	snprintf(path, sizeof(path), "/projets/%s", slug);
	snprintf(needle, sizeof(needle), "href=\"/projets/%s/documents/%s/confirmer-retrait\"",
		 slug, rid);
	page_has(people->agent, path, 200, needle, NULL);

	snprintf(path, sizeof(path), "/projets/%s/documents/%s/confirmer-retrait", slug, rid);
	snprintf(needle, sizeof(needle), "action=\"/projets/%s/documents/%s/retirer\"", slug, rid);
	page_has(people->agent, path, 200, "<h1>Retirer ce document du projet\u202f?</h1>",
		 "Cahier des charges", needle, NULL);
	page_has(other, path, 404, NULL);

	snprintf(path, sizeof(path), "/projets/%s/membres/%s/confirmer-retrait", slug, uid);
	snprintf(needle, sizeof(needle), "action=\"/projets/%s/membres/%s/retirer\"", slug, uid);
	page_has(people->agent, path, 200, "Quitter l’équipe de ce projet", needle, NULL);
	page_has(other, path, 404, NULL);

	/* Abandoning from the state form asks first, with the reason kept. */
	snprintf(path, sizeof(path), "/projets/%s", slug);
	snprintf(needle, sizeof(needle), "/projets/%s/etat", slug);
	struct http_reply r;
	sess_post_form(people->agent, path, needle, &r, "state", "abandoned", "reason",
		       "Plus de budget", NULL);
	assert_int_equal(r.status, 303);
	assert_non_null(strstr(r.headers, "/confirmer-abandon?raison=Plus%20de%20budget"));
	http_reply_free(&r);
	snprintf(path, sizeof(path), "/projets/%s/confirmer-abandon?raison=Plus%%20de%%20budget",
		 slug);
	page_has(people->agent, path, 200, "<h1>Abandonner ce projet\u202f?</h1>",
		 "value=\"Plus de budget\"", "name=\"confirmed\"", NULL);
	page_has(other, path, 404, NULL);
	snprintf(path, sizeof(path), "/api/v1/projects/%s", id);
	json_t *p = api(people->agent, "GET", path, NULL, 200);
	assert_string_equal(json_string_value(json_object_get(p, "state")), "active");
	json_decref(p);
	/* The page's form abandons. */
	snprintf(path, sizeof(path), "/projets/%s/confirmer-abandon?raison=Plus%%20de%%20budget",
		 slug);
	sess_post_form(people->agent, path, needle, &r, "state", "abandoned", "reason",
		       "Plus de budget", "confirmed", "1", NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	snprintf(path, sizeof(path), "/api/v1/projects/%s", id);
	p = api(people->agent, "GET", path, NULL, 200);
	assert_string_equal(json_string_value(json_object_get(p, "state")), "abandoned");
	json_decref(p);
	sess_free(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(archiving_asks_first_and_only_the_post_archives),
		cmocka_unit_test(removing_a_missing_resource_is_a_404),
		cmocka_unit_test(ending_someone_elses_session_is_not_offered),
		cmocka_unit_test(deactivations_ask_first),
		cmocka_unit_test(leaving_a_club_asks_first),
		cmocka_unit_test(projects_ask_before_removing_and_abandoning),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
