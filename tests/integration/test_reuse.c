/* Reuse declarations, the diffusion page, the organisation page's
 * practices and the clubs, through nginx. Practices are written straight
 * into the database as published (the catalogue picks them up through its
 * stamp), so these tests do not depend on the editing workflow. */
#include <mongoc/mongoc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

static const char PASSWORD[] = "Reuse-itest-passphrase-42";
static const char OWNER[] = "cpam-31"; /* owns the test practices */
static const char THEME[] = "outils-collaboratifs";

static mongoc_client_t *mongo;

/* A practice written for a test: ids are heap strings. */
struct practice {
	char *id, *slug, *title;
};

/* Inserts a practice owned by OWNER in THEME with status, by author_id,
 * then moves the catalogue stamp and, when published, waits until the
 * app serves it. */
static void practice_new(struct practice *p, const char *status, const char *author_id)
{
	static unsigned n;
	assert_true(asprintf(&p->id, "%08lx%08x%08x", (unsigned long)time(NULL), (unsigned)getpid(),
			     ++n) > 0);
	assert_true(asprintf(&p->slug, "itest-reutilisation-%s", p->id) > 0);
	assert_true(asprintf(&p->title, "Espace collaboratif partagé %u-%ld", n, (long)getpid()) >
		    0);
	int64_t now = (int64_t)time(NULL) * 1000;
	bson_t *doc = BCON_NEW(
		"_id", BCON_UTF8(p->id), "slug", BCON_UTF8(p->slug), "status", BCON_UTF8(status),
		"title", BCON_UTF8(p->title), "summary",
		BCON_UTF8("Un espace partagé pour travailler entre organismes."), "problem",
		BCON_UTF8("Les documents circulent par courriel."), "description",
		BCON_UTF8("Un **espace** commun, ouvert à tous."), "results", BCON_UTF8(""),
		"public", BCON_UTF8("Agents"), "maturity", BCON_UTF8("deployee"), "contact",
		BCON_UTF8(""), "organisation_ids", "[", BCON_UTF8(OWNER), "]", "branches", "[",
		BCON_UTF8("maladie"), "]", "themes", "[", BCON_UTF8(THEME), "]", "toolbox", "[",
		"]", "author_id", BCON_UTF8(author_id), "author_name", BCON_UTF8("Autrice de test"),
		"version", BCON_INT64(1), "reuse_count", BCON_INT64(0), "created_at",
		BCON_DATE_TIME(now), "updated_at", BCON_DATE_TIME(now), "published_at",
		BCON_DATE_TIME(now));
	bson_error_t error;
	mongoc_collection_t *c = mongoc_client_get_collection(mongo, "cousilab", "practices");
	assert_true(mongoc_collection_insert_one(c, doc, NULL, NULL, &error));
	mongoc_collection_destroy(c);
	bson_destroy(doc);
	/* What catalogue_changed does: a change-log entry, then a new stamp. */
	char change_id[64];
	snprintf(change_id, sizeof(change_id), "%013lld-%s", (long long)now, p->id);
	bson_t *change = BCON_NEW("_id", BCON_UTF8(change_id), "practice_id", BCON_UTF8(p->id),
				  "at", BCON_DATE_TIME(now));
	c = mongoc_client_get_collection(mongo, "cousilab", "catalogue_changes");
	assert_true(mongoc_collection_insert_one(c, change, NULL, NULL, &error));
	mongoc_collection_destroy(c);
	bson_destroy(change);
	char stamp[40];
	snprintf(stamp, sizeof(stamp), "itest-%s", p->id);
	bson_t *filter = BCON_NEW("_id", BCON_UTF8("version:catalogue"));
	bson_t *update = BCON_NEW("$set", "{", "stamp", BCON_UTF8(stamp), "}");
	bson_t *opts = BCON_NEW("upsert", BCON_BOOL(true));
	c = mongoc_client_get_collection(mongo, "cousilab", "meta");
	assert_true(mongoc_collection_update_one(c, filter, update, opts, NULL, &error));
	mongoc_collection_destroy(c);
	bson_destroy(opts);
	bson_destroy(update);
	bson_destroy(filter);
	if (strcmp(status, "published") == 0) {
		char path[128];
		snprintf(path, sizeof(path), "/api/v1/practices/%s", p->id);
		assert_true(wait_for_status(path, 200, 5000) >= 0);
	}
}

static void practice_free(struct practice *p)
{
	free(p->id);
	free(p->slug);
	free(p->title);
}

/* POSTs a JSON declaration for practice id with a's token. Returns the
 * status; *out gets the parsed body when out is not NULL. */
static long declare(struct agent *a, const char *id, const char *stage, const char *note,
		    json_t **out)
{
	char path[160], auth[256];
	snprintf(path, sizeof(path), "/api/v1/practices/%s/reuses", id);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", a->token);
	const char *headers[] = {auth, NULL};
	json_t *body = json_pack("{s:s, s:s}", "stage", stage, "note", note);
	char *text = json_dumps(body, JSON_COMPACT);
	struct http_reply r;
	assert_int_equal(sess_request(a->s, "POST", path, headers, "application/json", text,
				      strlen(text), &r),
			 0);
	free(text);
	json_decref(body);
	long status = r.status;
	if (out)
		*out = json_loads(r.body, 0, NULL);
	http_reply_free(&r);
	return status;
}

/* Returns how many documents of collection match the filter built from
 * fmt. */
static long long count_f(const char *collection, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static long long count_f(const char *collection, const char *fmt, ...)
{
	char filter[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(filter, sizeof(filter), fmt, ap);
	va_end(ap);
	return mongo_count(collection, filter);
}

/* GETs path in s; returns the body (heap) after checking the status. */
static char *page(struct sess *s, const char *path, long status)
{
	struct http_reply r;
	assert_int_equal(sess_get(s, path, &r), 0);
	if (r.status != status)
		fprintf(stderr, "GET %s: %ld\n%s\n", path, r.status, r.body);
	assert_int_equal(r.status, status);
	char *body = r.body;
	r.body = NULL;
	http_reply_free(&r);
	return body;
}

static void declared_at_most_once_per_organisation(void **state)
{
	(void)state;
	struct agent a, b;
	agent_new(&a, "reuse-a", "caf-31", NULL, PASSWORD);
	agent_new(&b, "reuse-b", "caf-31", NULL, PASSWORD);
	struct practice p;
	practice_new(&p, "published", "itest-author");

	json_t *d = NULL;
	assert_int_equal(declare(&a, p.id, "interessee", "On regarde de près.", &d), 201);
	assert_string_equal(json_string_value(json_object_get(d, "stage")), "interessee");
	assert_string_equal(json_string_value(json_object_get(d, "organisation")), "caf-31");
	assert_int_equal(json_array_size(json_object_get(d, "history")), 1);
	json_decref(d);
	assert_int_equal(count_f("practices", "{\"_id\": \"%s\", \"reuse_count\": 1}", p.id), 1);

	/* A colleague of the same organisation updates the same declaration. */
	assert_int_equal(declare(&b, p.id, "en-cours", "Pilote lancé.", &d), 200);
	assert_string_equal(json_string_value(json_object_get(d, "stage")), "en-cours");
	json_t *history = json_object_get(d, "history");
	assert_int_equal(json_array_size(history), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(history, 0), "stage")),
			    "interessee");
	assert_string_equal(
		json_string_value(json_object_get(json_array_get(history, 1), "by_name")), b.name);
	json_decref(d);
	assert_int_equal(count_f("reuses", "{\"practice_id\": \"%s\"}", p.id), 1);
	assert_int_equal(count_f("practices", "{\"_id\": \"%s\", \"reuse_count\": 1}", p.id), 1);
	assert_int_equal(
		count_f("practices", "{\"_id\": \"%s\", \"adopters.stage\": \"en-cours\"}", p.id),
		1);
	/* Audited. */
	assert_true(count_f("audit", "{\"target\": \"%s\"}", p.id) >= 2);
	practice_free(&p);
	agent_free(&b);
	agent_free(&a);
}

static void abandoned_is_not_counted(void **state)
{
	(void)state;
	struct agent a, b, c;
	agent_new(&a, "reuse-ab-a", "caf-31", NULL, PASSWORD);
	agent_new(&b, "reuse-ab-b", "carsat-midi-pyrenees", NULL, PASSWORD);
	agent_new(&c, "reuse-ab-c", "urssaf-caisse-nationale", NULL, PASSWORD);
	struct practice p;
	practice_new(&p, "published", "itest-author");
	assert_int_equal(declare(&a, p.id, "deployee", "", NULL), 201);
	assert_int_equal(declare(&b, p.id, "en-cours", "", NULL), 201);
	assert_int_equal(count_f("practices", "{\"_id\": \"%s\", \"reuse_count\": 2}", p.id), 1);
	assert_int_equal(declare(&b, p.id, "abandonnee", "Pas le bon moment.", NULL), 200);
	assert_int_equal(count_f("practices", "{\"_id\": \"%s\", \"reuse_count\": 1}", p.id), 1);
	/* Still listed with its stage, for the history of the spread. */
	assert_int_equal(
		count_f("practices", "{\"_id\": \"%s\", \"adopters.stage\": \"abandonnee\"}", p.id),
		1);
	/* Nobody starts by abandoning; unknown stages and operators are refused. */
	json_t *err = NULL;
	assert_int_equal(declare(&c, p.id, "abandonnee", "", &err), 422);
	assert_non_null(
		json_object_get(json_object_get(json_object_get(err, "error"), "fields"), "stage"));
	json_decref(err);
	assert_int_equal(declare(&c, p.id, "{\"$ne\": 1}", "", NULL), 422);
	char *long_note = malloc(1102);
	memset(long_note, 'a', 1101);
	long_note[1101] = '\0';
	assert_int_equal(declare(&c, p.id, "interessee", long_note, NULL), 422);
	free(long_note);
	assert_int_equal(count_f("reuses", "{\"practice_id\": \"%s\"}", p.id), 2);
	practice_free(&p);
	agent_free(&c);
	agent_free(&b);
	agent_free(&a);
}

static void only_published_practices_accept_reuses(void **state)
{
	(void)state;
	struct agent a, owner;
	agent_new(&a, "reuse-pub", "caf-31", NULL, PASSWORD);
	agent_new(&owner, "reuse-own", OWNER, NULL, PASSWORD);
	struct practice foreign, mine, published;
	practice_new(&foreign, "draft", "itest-author");
	practice_new(&mine, "submitted", a.id);
	practice_new(&published, "published", "itest-author");
	/* Someone else's draft does not exist for a; a's own says why. */
	assert_int_equal(declare(&a, foreign.id, "interessee", "", NULL), 404);
	assert_int_equal(declare(&a, mine.id, "interessee", "", NULL), 422);
	assert_int_equal(declare(&a, "000000000000000000000000", "interessee", "", NULL), 404);
	/* The owning organisation does not reuse its own practice. */
	assert_int_equal(declare(&owner, published.id, "deployee", "", NULL), 422);
	assert_int_equal(count_f("reuses", "{\"practice_id\": {\"$in\": [\"%s\", \"%s\", \"%s\"]}}",
				 foreign.id, mine.id, published.id),
			 0);
	/* The declaration page of an invisible practice does not exist either. */
	struct http_reply r;
	char path[160];
	snprintf(path, sizeof(path), "/pratiques/%s/reutilisation", foreign.slug);
	assert_int_equal(sess_get(a.s, path, &r), 0);
	assert_int_equal(r.status, 404);
	http_reply_free(&r);
	practice_free(&published);
	practice_free(&mine);
	practice_free(&foreign);
	agent_free(&owner);
	agent_free(&a);
}

static void sheet_and_pages_show_adopters_escaped(void **state)
{
	(void)state;
	struct agent a;
	agent_new(&a, "reuse-sheet", "caf-31", NULL, PASSWORD);
	struct practice p;
	practice_new(&p, "published", "itest-author");
	char path[200];
	snprintf(path, sizeof(path), "/pratiques/%s/reutilisation", p.slug);

	/* The HTML form: an empty stage comes back with its error. */
	struct http_reply r;
	sess_post_form(a.s, path, path, &r, "stage", "", "note", "", NULL);
	assert_int_equal(r.status, 422);
	char *error = html_field_error(r.body, "stage");
	assert_non_null(error);
	free(error);
	http_reply_free(&r);

	sess_post_form(a.s, path, path, &r, "stage", "deployee", "note",
		       "<script>alert('note')</script>", NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);

	/* The history page escapes the hostile note. */
	char *body = page(a.s, path, 200);
	assert_null(strstr(body, "<script>alert"));
	assert_non_null(strstr(body, "&lt;script&gt;alert(&#39;note&#39;)&lt;/script&gt;"));
	assert_non_null(strstr(body, "Déployée"));
	free(body);

	/* The sheet, even anonymous, names the adopting organisation. */
	snprintf(path, sizeof(path), "/pratiques/%s", p.slug);
	struct sess *anonymous = sess_new();
	body = page(anonymous, path, 200);
	assert_non_null(strstr(body, "href=\"/organisations/caf-31\""));
	assert_non_null(strstr(body, "1 organisme réutilise cette pratique."));
	free(body);
	sess_free(anonymous);

	/* The organisation pages: the owner shares it, the adopter reuses it
	 * (its note escaped there too). */
	snprintf(path, sizeof(path), "/organisations/%s", OWNER);
	body = page(a.s, path, 200);
	assert_non_null(strstr(body, p.title));
	free(body);
	body = page(a.s, "/organisations/caf-31", 200);
	char *reused = strstr(body, "Pratiques réutilisées");
	assert_non_null(reused);
	assert_non_null(strstr(reused, p.title));
	assert_null(strstr(body, "<script>alert"));
	free(body);
	practice_free(&p);
	agent_free(&a);
}

static void diffusion_chart_is_accessible(void **state)
{
	(void)state;
	struct agent coordinator, agent;
	agent_new(&coordinator, "reuse-coord", "ucanss", "coordinator", PASSWORD);
	agent_new(&agent, "reuse-diff", "carsat-midi-pyrenees", NULL, PASSWORD);
	struct practice p;
	practice_new(&p, "published", "itest-author");
	assert_int_equal(declare(&agent, p.id, "deployee", "", NULL), 201);
	char *body = page(coordinator.s, "/pratiques/diffusion", 200);
	const char *svg = strstr(body, "<svg");
	assert_non_null(svg);
	assert_non_null(strstr(svg, "role=\"img\""));
	assert_non_null(strstr(svg, "aria-labelledby=\"diffusion-branches-title\""));
	assert_non_null(strstr(svg, "<title id=\"diffusion-branches-title\">"));
	assert_non_null(strstr(svg, "<desc id=\"diffusion-branches-desc\">"));
	assert_non_null(strstr(body, "<caption id=\"diffusion-branches-caption\">"));
	assert_non_null(strstr(body, "<th scope=\"col\">Branche</th>"));
	assert_non_null(strstr(body, "<th scope=\"row\">Retraite</th>"));
	assert_non_null(strstr(body, "<th scope=\"row\">Occitanie</th>"));
	assert_non_null(strstr(body, p.title));
	free(body);
	free(page(agent.s, "/pratiques/diffusion", 403));
	practice_free(&p);
	agent_free(&agent);
	agent_free(&coordinator);
}

static void clubs_join_leave_and_activity(void **state)
{
	(void)state;
	struct agent a;
	agent_new(&a, "reuse-club", "caf-31", NULL, PASSWORD);
	struct practice p;
	practice_new(&p, "published", "itest-author");
	char club[64], join[96], leave[96];
	snprintf(club, sizeof(club), "/clubs/%s", THEME);
	snprintf(join, sizeof(join), "%s/rejoindre", club);
	snprintf(leave, sizeof(leave), "%s/quitter", club);

	char *body = page(a.s, "/clubs", 200);
	assert_non_null(strstr(body, "href=\"/clubs/rgpd\""));
	free(body);
	free(page(a.s, "/clubs/inconnu", 404));

	struct http_reply r;
	for (int i = 0; i < 2; i++) { /* joining twice is harmless */
		sess_post_form(a.s, club, join, &r, NULL);
		assert_int_equal(r.status, 303);
		http_reply_free(&r);
	}
	assert_int_equal(count_f("club_members", "{\"_id\": \"%s:%s\"}", THEME, a.id), 1);
	/* Member names are looked for in the members' table: the header
	 * names the signed-in user anyway. */
	char row[200];
	snprintf(row, sizeof(row), "<th scope=\"row\">%s</th>", a.name);
	body = page(a.s, club, 200);
	assert_non_null(strstr(body, row));
	assert_non_null(strstr(body, "Quitter le club"));
	assert_non_null(strstr(body, p.title)); /* its newest practices */
	free(body);

	/* A reuse shows in the club's activity. */
	assert_int_equal(declare(&a, p.id, "en-cours", "", NULL), 201);
	body = page(a.s, club, 200);
	char *activity = strstr(body, "id=\"activite\"");
	assert_non_null(activity);
	assert_non_null(strstr(activity, "En cours de déploiement"));
	free(body);

	sess_post_form(a.s, club, leave, &r, NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	assert_int_equal(count_f("club_members", "{\"_id\": \"%s:%s\"}", THEME, a.id), 0);
	body = page(a.s, club, 200);
	assert_null(strstr(body, row));
	assert_non_null(strstr(body, "Rejoindre le club"));
	free(body);
	practice_free(&p);
	agent_free(&a);
}

int main(void)
{
	mongoc_init();
	mongo = mongoc_client_new(test_db_uri());
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(declared_at_most_once_per_organisation),
		cmocka_unit_test(abandoned_is_not_counted),
		cmocka_unit_test(only_published_practices_accept_reuses),
		cmocka_unit_test(sheet_and_pages_show_adopters_escaped),
		cmocka_unit_test(diffusion_chart_is_accessible),
		cmocka_unit_test(clubs_join_leave_and_activity),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	mongoc_client_destroy(mongo);
	return failed;
}
