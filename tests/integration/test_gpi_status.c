/* What candidates see of the jury's choice, through the real stack
 * (issue 13, article 6.2): once the secretariat records a category's
 * finalists, none of the candidate's pages, lists, API answers or their
 * project's page says "finaliste" or "non retenue" until the phase mails
 * go out, while the secretariat sees the real status; then they all do.
 * And the organisation's list, shared through the page cache by its plain
 * filers, is each organisation's own; a category with candidatures may
 * not be dropped nor recoded. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gpi_filing.h"
#include "support.h"

static const char PASSWORD[] = "correct horse battery staple 42";

enum { A, B, C, D, N }; /* A from the project; A, B, C finalists, D not retained */
static const char *const TITLES[N] = {"Accueil en binôme", "Relais numérique",
				      "Guichet des aidants", "Atelier des retraites"};
static struct agent sec, filer, colleague, stranger, juror;
static int year;
static char *ids[N], *slug;

/* The statuses and labels of the jury's choice. */
static const char *const CHOICE[] = {"finaliste", "Finaliste", "non-retenue", "Non retenue"};

static int setup(void **state)
{
	(void)state;
	agent_new(&sec, "gpi-status-sec", "caf-31", "secretariat", PASSWORD);
	agent_new(&filer, "gpi-status-filer", "caf-31", NULL, PASSWORD);
	agent_new(&colleague, "gpi-status-colleague", "caf-31", NULL, PASSWORD);
	agent_new(&stranger, "gpi-status-stranger", "carsat-bretagne", NULL, PASSWORD);
	agent_new(&juror, "gpi-status-juror", "caf-31", NULL, PASSWORD);
	year = test_gpi_edition_new(sec.token);
	char started[16];
	snprintf(started, sizeof(started), "%d-06-01", year - 2);
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "title", TITLES[A],
				 "summary", "Chaque nouvel agent a son binôme.", "problem",
				 "Les nouveaux arrivants partent dans l’année.", "solution",
				 "Un binôme pendant trois mois.", "organisation_id", "caf-31",
				 "started_on", started, "visibility", "staff"),
	       *p;
	assert_int_equal(api_json(filer.token, "POST", "/api/v1/projects", body, &p), 201);
	json_decref(body);
	char *project = strdup(json_string_value(json_object_get(p, "id")));
	slug = strdup(json_string_value(json_object_get(p, "slug")));
	json_decref(p);
	for (int i = 0; i < N; i++) {
		char *contact = unique_email("gpi-status-contact");
		struct gpi_filing f = {.year = year,
				       .token = filer.token,
				       .title = TITLES[i],
				       .category = "rh",
				       .contact = contact,
				       .project = i == A ? project : NULL};
		ids[i] = gpi_file(&f);
		free(contact);
	}
	for (int i = 0; i < N; i++)
		gpi_admit(sec.token, year, ids[i], true);
	free(project);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_clock_clear();
	for (int i = 0; i < N; i++)
		free(ids[i]);
	free(slug);
	struct agent *all[] = {&sec, &filer, &colleague, &stranger, &juror};
	for (size_t i = 0; i < sizeof(all) / sizeof(*all); i++)
		agent_free(all[i]);
	return 0;
}

/* Returns the body of GET path as s, asserting a 200 (heap). */
static char *get(struct sess *s, const char *path)
{
	struct http_reply r;
	assert_int_equal(sess_get(s, path, &r), 0);
	if (r.status != 200)
		fprintf(stderr, "GET %s: %ld\n", path, r.status);
	assert_int_equal(r.status, 200);
	char *body = strdup(r.body);
	http_reply_free(&r);
	return body;
}

/* Returns the API's JSON answer to GET path as token, asserting a 200
 * (new reference). */
static json_t *api_get(const char *token, const char *path)
{
	json_t *out;
	assert_int_equal(api_json(token, "GET", path, NULL, &out), 200);
	return out;
}

/* Every page and API answer of the filer's that speaks of their
 * candidatures' statuses, as text (heap, NULL-terminated). */
static char **candidate_views(void)
{
	char **out = calloc(2 * N + 5, sizeof(*out));
	size_t n = 0;
	char path[160];
	for (int i = 0; i < N; i++) {
		snprintf(path, sizeof(path), "/grand-prix/%d/candidatures/%s", year, ids[i]);
		out[n++] = get(filer.s, path);
		snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s", ids[i]);
		json_t *j = api_get(filer.token, path);
		out[n++] = json_dumps(j, 0);
		json_decref(j);
	}
	snprintf(path, sizeof(path), "/grand-prix/%d/candidatures", year);
	out[n++] = get(filer.s, path);
	out[n++] = get(colleague.s, path); /* the same list, shared */
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/candidatures", year);
	json_t *j = api_get(filer.token, path);
	out[n++] = json_dumps(j, 0);
	json_decref(j);
	snprintf(path, sizeof(path), "/projets/%s", slug);
	out[n++] = get(filer.s, path);
	return out;
}

static void views_free(char **views)
{
	for (char **v = views; *v; v++)
		free(*v);
	free(views);
}

/* Returns how many of views hold needle. */
static int holding(char **views, const char *needle)
{
	int n = 0;
	for (char **v = views; *v; v++)
		n += strstr(*v, needle) != NULL;
	return n;
}

static const char *status_as(const char *token, int i)
{
	static char status[32];
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s", ids[i]);
	json_t *c = api_get(token, path);
	snprintf(status, sizeof(status), "%s", json_string_value(json_object_get(c, "status")));
	json_decref(c);
	return status;
}

static void the_choice_shows_with_the_mails(void **state)
{
	(void)state;
	char instant[40], path[160];
	snprintf(instant, sizeof(instant), "%d-06-20T10:00:00Z", year);
	test_clock_set(instant);
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/categories/rh/finalists", year);
	json_t *body = json_pack("{s:[s, s, s], s:s}", "candidature_ids", ids[A], ids[B], ids[C],
				 "minutes", "Délibération du jury."),
	       *out;
	assert_int_equal(api_json(sec.token, "POST", path, body, &out), 200);
	json_decref(body);
	json_decref(out);

	/* Recorded: the secretariat knows, the candidates do not yet. */
	assert_string_equal(status_as(sec.token, A), "finaliste");
	assert_string_equal(status_as(sec.token, D), "non-retenue");
	assert_string_equal(status_as(filer.token, A), "recevable");
	assert_string_equal(status_as(filer.token, D), "recevable");
	char **views = candidate_views();
	for (size_t k = 0; k < sizeof(CHOICE) / sizeof(*CHOICE); k++)
		if (holding(views, CHOICE[k])) {
			fprintf(stderr, "a candidate's view shows \"%s\" before the mails\n",
				CHOICE[k]);
			fail();
		}
	/* Each still says where it stands: admissible. */
	assert_true(holding(views, "Recevable") >= N + 2);
	views_free(views);

	/* The phase mails go out: from then on, every view says it. */
	snprintf(instant, sizeof(instant), "%d-09-01T08:00:00Z", year);
	test_clock_set(instant);
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/notifications", year);
	assert_int_equal(api_json(sec.token, "POST", path, NULL, &out), 200);
	json_decref(out);
	/* Other processes take the mails in on their refresher's pass, and
	 * pages shared through the page cache may be a second old. */
	sleep(2);
	assert_string_equal(status_as(filer.token, A), "finaliste");
	assert_string_equal(status_as(filer.token, D), "non-retenue");
	views = candidate_views();
	/* A's and D's pages and API answers, both lists and the API's. */
	assert_true(holding(views, "Finaliste") >= 3 + 2);
	assert_true(holding(views, "Non retenue") >= 1 + 2);
	/* json_dumps without JSON_COMPACT: "key": value. */
	assert_true(holding(views, "\"status\": \"finaliste\"") >= 3);
	/* The project's page, the last view, says it of A. */
	char **last = views;
	while (last[1])
		last++;
	assert_non_null(strstr(*last, "Finaliste"));
	views_free(views);
}

/* The organisation's list is shared by its plain filers through the page
 * cache: never another organisation's, nor a recused colleague's. */
static void the_list_is_each_organisations_own(void **state)
{
	(void)state;
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/juries/rh/members", year);
	json_t *body = json_pack("{s:s}", "user_id", juror.id), *out;
	assert_int_equal(api_json(sec.token, "POST", path, body, &out), 200);
	json_decref(body);
	json_decref(out);
	snprintf(path, sizeof(path), "/grand-prix/%d/candidatures", year);
	/* Built and kept for caf-31's filers, then served to each. */
	for (int round = 0; round < 2; round++) {
		char *mine = get(filer.s, path), *theirs = get(colleague.s, path);
		char *other = get(stranger.s, path), *recused = get(juror.s, path);
		for (int i = 0; i < N; i++) {
			assert_non_null(strstr(mine, TITLES[i]));
			assert_non_null(strstr(theirs, TITLES[i]));
			assert_null(strstr(other, TITLES[i]));
			assert_null(strstr(recused, TITLES[i]));
		}
		/* Each with their own account bar. */
		assert_non_null(strstr(mine, filer.name));
		assert_null(strstr(mine, colleague.name));
		assert_non_null(strstr(theirs, colleague.name));
		assert_non_null(strstr(other, "Votre organisme n’a pas encore de candidature"));
		free(mine);
		free(theirs);
		free(other);
		free(recused);
	}
	/* The API twin follows the same rule. */
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/candidatures", year);
	json_t *j = api_get(juror.token, path);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 0);
	json_decref(j);
	j = api_get(colleague.token, path);
	assert_int_equal(json_array_size(json_object_get(j, "items")), N);
	json_decref(j);
}

/* Sets category code of edition JSON e to {code to, name}. */
static void recategorise(json_t *e, const char *code, const char *to, const char *name)
{
	json_t *c;
	size_t i;
	json_array_foreach(json_object_get(e, "categories"), i, c)
		if (!strcmp(json_string_value(json_object_get(c, "code")), code)) {
			json_object_set_new(c, "code", json_string(to));
			json_object_set_new(c, "name", json_string(name));
		}
}

/* Drops category code from edition JSON e. */
static void drop_category(json_t *e, const char *code)
{
	json_t *list = json_object_get(e, "categories"), *c;
	size_t i;
	json_array_foreach(list, i, c)
		if (!strcmp(json_string_value(json_object_get(c, "code")), code)) {
			json_array_remove(list, i);
			return;
		}
}

/* A category with candidatures may be renamed, never dropped nor
 * recoded: they would be left in a category the edition has not. */
static void a_filed_category_stays(void **state)
{
	(void)state;
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d", year);
	const char *want = "La catégorie «\u202frh\u202f» a des candidatures\u202f: elle ne peut "
			   "être ni supprimée ni recodée.";
	for (int recode = 0; recode < 2; recode++) {
		json_t *e = test_gpi_edition_json(year), *out;
		if (recode)
			recategorise(e, "rh", "ressources-humaines", "rh");
		else
			drop_category(e, "rh");
		assert_int_equal(api_json(sec.token, "PUT", path, e, &out), 422);
		assert_string_equal(api_field_error(out, "categories"), want);
		json_decref(out);
		json_decref(e);
	}
	json_t *e = api_get(filer.token, path);
	char *text = json_dumps(json_object_get(e, "categories"), 0);
	assert_non_null(strstr(text, "\"rh\""));
	free(text);
	json_decref(e);
	/* Renamed, and an empty category dropped: saved. */
	e = test_gpi_edition_json(year);
	recategorise(e, "rh", "rh", "Innovation RH");
	drop_category(e, "rsi");
	json_t *out;
	assert_int_equal(api_json(sec.token, "PUT", path, e, &out), 200);
	text = json_dumps(json_object_get(out, "categories"), 0);
	assert_non_null(strstr(text, "Innovation RH"));
	assert_null(strstr(text, "\"rsi\""));
	free(text);
	json_decref(out);
	json_decref(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_choice_shows_with_the_mails),
		cmocka_unit_test(the_list_is_each_organisations_own),
		cmocka_unit_test(a_filed_category_stays),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
