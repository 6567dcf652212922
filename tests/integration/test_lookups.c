/* The lists that pages read through lookup documents (src/db/lookup.h)
 * instead of filters, through nginx: each write a user makes from a page
 * shows on the page that lists it, and leaves it when it should. Racing
 * writers of one list lose no entry. */
#include <mongoc/mongoc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "db/doc.h"
#include "practices/catalogue.h"
#include "comments/store.h"
#include "practices/conversation.h"
#include "practices/lookups.h"
#include "practices/ui.h"
#include "support.h"

static const char PASSWORD[] = "Lookups-itest-passphrase-42";
static const char THEME[] = "rse";
static const char ORG[] = "cpam-69";

/* Sends an API request as a; returns the status and, when out is not
 * NULL, the parsed answer. */
static long api(const struct agent *a, const char *method, const char *path, const json_t *body,
		json_t **out)
{
	return api_json(a->token, method, path, body, out);
}

/* Returns the body of GET path for a (heap). */
static char *page(const struct agent *a, const char *path)
{
	struct http_reply r;
	assert_int_equal(sess_get(a->s, path, &r), 0);
	assert_int_equal(r.status, 200);
	char *body = strdup(r.body);
	http_reply_free(&r);
	return body;
}

/* Returns whether the API list at path holds an item whose "id" is id. */
static bool api_lists(const struct agent *a, const char *path, const char *id)
{
	json_t *list;
	assert_int_equal(api(a, "GET", path, NULL, &list), 200);
	json_t *item;
	size_t i;
	bool found = false;
	json_array_foreach(json_object_get(list, "items"), i, item)
		found |= strcmp(json_string_value(json_object_get(item, "id")), id) == 0;
	json_decref(list);
	return found;
}

/* Creates a draft by a through the API; returns its id and slug. */
static void draft_new(const struct agent *a, const char *title, char **id, char **slug)
{
	json_t *fields = json_pack(
		       "{s:s, s:s, s:s, s:s, s:[s], s:[s], s:[s], s:s}", "title", title, "summary",
		       "Des bacs de tri et une collecte mensuelle dans chaque site.", "problem",
		       "Le papier et les piles partaient avec les ordures ménagères.",
		       "description", "Un **tri** simple, suivi chaque mois.", "organisation_ids",
		       ORG, "branches", "maladie", "themes", THEME, "maturity", "deployee"),
	       *made;
	assert_int_equal(api(a, "POST", "/api/v1/practices", fields, &made), 201);
	*id = strdup(json_string_value(json_object_get(made, "id")));
	*slug = strdup(json_string_value(json_object_get(made, "slug")));
	json_decref(made);
	json_decref(fields);
}

/* Sends workflow action `what` on practice id as a; a publication names
 * the version a reads now, as a reviewer's would. Returns the status. */
static long action(const struct agent *a, const char *id, const char *what)
{
	char path[160];
	json_t *body = NULL;
	if (strcmp(what, "publish") == 0) {
		json_t *p;
		snprintf(path, sizeof(path), "/api/v1/practices/%s", id);
		assert_int_equal(api(a, "GET", path, NULL, &p), 200);
		body = json_pack("{s:O}", "version", json_object_get(p, "version"));
		json_decref(p);
	}
	snprintf(path, sizeof(path), "/api/v1/practices/%s/%s", id, what);
	long status = api(a, "POST", path, body, NULL);
	json_decref(body);
	return status;
}

static void drafts_and_submissions_follow_the_workflow(void **state)
{
	(void)state;
	struct agent author, coordinator;
	agent_new(&author, "lookups-author", ORG, NULL, PASSWORD);
	agent_new(&coordinator, "lookups-coordinator", ORG, "coordinator", PASSWORD);
	char title[128], *id, *slug;
	snprintf(title, sizeof(title), "Tri sélectif des déchets %ld", (long)getpid());
	draft_new(&author, title, &id, &slug);

	/* The draft is in "Mes pratiques", and its sheet found by its slug. */
	assert_true(api_lists(&author, "/api/v1/me/practices", id));
	char *mine = page(&author, "/pratiques/mes-pratiques");
	assert_non_null(strstr(mine, title));
	free(mine);
	char path[256];
	snprintf(path, sizeof(path), "/pratiques/%s", slug);
	free(page(&author, path));
	assert_false(api_lists(&coordinator, "/api/v1/coordination/practices", id));

	/* Submitted: in the coordinators' queue. */
	assert_int_equal(action(&author, id, "submit"), 200);
	assert_true(api_lists(&coordinator, "/api/v1/coordination/practices", id));
	char *queue = page(&coordinator, "/pratiques/a-valider");
	assert_non_null(strstr(queue, title));
	free(queue);

	/* Published: out of the queue, still the author's. */
	assert_int_equal(action(&coordinator, id, "publish"), 200);
	assert_false(api_lists(&coordinator, "/api/v1/coordination/practices", id));
	json_t *list;
	assert_int_equal(api(&author, "GET", "/api/v1/me/practices", NULL, &list), 200);
	json_t *item;
	size_t i;
	const char *status = NULL;
	json_array_foreach(json_object_get(list, "items"), i, item)
		if (strcmp(json_string_value(json_object_get(item, "id")), id) == 0)
			status = json_string_value(json_object_get(item, "status"));
	assert_string_equal(status, "published");
	json_decref(list);

	/* Each edit is a version, read back by its number. */
	json_t *history;
	snprintf(path, sizeof(path), "/api/v1/practices/%s/versions", id);
	assert_int_equal(api(&author, "GET", path, NULL, &history), 200);
	assert_int_equal(json_array_size(json_object_get(history, "items")), 3);
	json_decref(history);
	free(id);
	free(slug);
	agent_free(&coordinator);
	agent_free(&author);
}

/* A published practice made through the workflow; returns its id. */
static char *published_new(const struct agent *author, const struct agent *coordinator,
			   const char *title)
{
	char *id, *slug;
	draft_new(author, title, &id, &slug);
	assert_int_equal(action(author, id, "submit"), 200);
	assert_int_equal(action(coordinator, id, "publish"), 200);
	free(slug);
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/practices/%s", id);
	assert_true(wait_for_status(path, 200, 5000) >= 0);
	return id;
}

static void comments_and_reuses_show_where_they_are_listed(void **state)
{
	(void)state;
	struct agent author, coordinator, reader, adopter;
	agent_new(&author, "lookups-sharer", ORG, NULL, PASSWORD);
	agent_new(&coordinator, "lookups-validator", ORG, "coordinator", PASSWORD);
	agent_new(&reader, "lookups-reader", ORG, NULL, PASSWORD);
	/* The adopter belongs to another organisation than the practice's. */
	agent_new(&adopter, "lookups-adopter", "caf-31", NULL, PASSWORD);
	char title[128];
	snprintf(title, sizeof(title), "Covoiturage entre sites %ld", (long)getpid());
	char *id = published_new(&author, &coordinator, title);

	/* A comment shows on the sheet's conversation. */
	char path[160], body[96];
	snprintf(path, sizeof(path), "/api/v1/practices/%s/comments", id);
	snprintf(body, sizeof(body), "Combien de trajets par semaine ? %ld", (long)getpid());
	json_t *comment = json_pack("{s:s, s:s}", "kind", "question", "body", body), *list;
	assert_int_equal(api(&reader, "POST", path, comment, NULL), 201);
	json_decref(comment);
	/* The sheet's catalogue takes the change in within a second. */
	long long posted = now_ms();
	for (;;) {
		assert_int_equal(api(&reader, "GET", path, NULL, &list), 200);
		if (json_integer_value(json_object_get(list, "total")) == 1 ||
		    now_ms() - posted > 2000)
			break;
		json_decref(list);
		usleep(50 * 1000);
	}
	assert_int_equal(json_integer_value(json_object_get(list, "total")), 1);
	json_t *first = json_array_get(json_object_get(list, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(first, "body")), body);
	json_decref(list);

	/* A reuse shows on the adopter's organisation page. */
	snprintf(path, sizeof(path), "/api/v1/practices/%s/reuses", id);
	json_t *reuse = json_pack("{s:s, s:s}", "stage", "en-cours", "note", "Essai en cours.");
	assert_int_equal(api(&adopter, "POST", path, reuse, NULL), 201);
	json_decref(reuse);
	json_t *me;
	assert_int_equal(api(&adopter, "GET", "/api/v1/me", NULL, &me), 200);
	snprintf(path, sizeof(path), "/organisations/%s",
		 json_string_value(json_object_get(me, "organisation")));
	json_decref(me);
	char *org_page = page(&adopter, path);
	assert_non_null(strstr(org_page, title));
	assert_non_null(strstr(org_page, adopter.name));
	free(org_page);

	/* A new account shows among its organisation's members. */
	snprintf(path, sizeof(path), "/organisations/%s", ORG);
	org_page = page(&reader, path);
	assert_non_null(strstr(org_page, reader.name));
	free(org_page);
	free(id);
	agent_free(&adopter);
	agent_free(&reader);
	agent_free(&coordinator);
	agent_free(&author);
}

enum { JOINERS = 8 };

static void *join(void *arg)
{
	struct agent *a = arg;
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/clubs/%s/members", THEME);
	static int joined;
	return api(a, "POST", path, NULL, NULL) == 201 ? &joined : NULL;
}

static void racing_joins_lose_no_member_and_leaving_removes_one(void **state)
{
	(void)state;
	struct agent a[JOINERS];
	for (int i = 0; i < JOINERS; i++) {
		char tag[32];
		snprintf(tag, sizeof(tag), "lookups-club-%d", i);
		agent_new(&a[i], tag, ORG, NULL, PASSWORD);
	}
	/* All at once: FerretDB runs $push as a read then a write, so without
	 * the revision claims some of these would be lost. */
	pthread_t t[JOINERS];
	for (int i = 0; i < JOINERS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, join, &a[i]), 0);
	for (int i = 0; i < JOINERS; i++) {
		void *joined;
		pthread_join(t[i], &joined);
		assert_true(joined != NULL);
	}
	char path[96];
	snprintf(path, sizeof(path), "/clubs/%s", THEME);
	char *club = page(&a[0], path);
	for (int i = 0; i < JOINERS; i++)
		assert_non_null(strstr(club, a[i].name));
	free(club);

	snprintf(path, sizeof(path), "/api/v1/clubs/%s/members", THEME);
	assert_int_equal(api(&a[3], "DELETE", path, NULL, NULL), 200);
	snprintf(path, sizeof(path), "/clubs/%s", THEME);
	club = page(&a[0], path);
	assert_null(strstr(club, a[3].name));
	assert_non_null(strstr(club, a[4].name));
	free(club);
	for (int i = 0; i < JOINERS; i++)
		agent_free(&a[i]);
}

enum { UPSERTERS = 8 };

/* One racing upsert of the shared new document arg names, through a
 * client of its own (a client is not thread-safe). Returns arg when it
 * applied, NULL when it failed. */
static void *upsert(void *arg)
{
	mongoc_client_t *client = mongoc_client_new(test_db_uri());
	mongoc_client_set_error_api(client, MONGOC_ERROR_API_VERSION_2);
	const char *name = mongoc_uri_get_database(mongoc_client_get_uri(client));
	mongoc_collection_t *c = mongoc_client_get_collection(client, name, "meta");
	bson_error_t error;
	int rc = doc_upsert_id_in(c, arg, BCON_NEW("$set", "{", "at", BCON_DATE_TIME(now_ms()), "}"), &error);
	mongoc_collection_destroy(c);
	mongoc_client_destroy(client);
	return rc == 0 ? arg : NULL;
}

/* Upserts of a document that does not exist yet, all at once (as the
 * first sign-ins on a fresh database touch one meta document): none fails
 * on the duplicate key the losers of the insert race get, and one
 * document results. */
static void racing_upserts_of_a_new_document_all_apply(void **state)
{
	(void)state;
	char id[64];
	snprintf(id, sizeof(id), "itest-upsert-race-%d-%lld", (int)getpid(), now_ms());
	pthread_t t[UPSERTERS];
	for (int i = 0; i < UPSERTERS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, upsert, id), 0);
	for (int i = 0; i < UPSERTERS; i++) {
		void *applied;
		pthread_join(t[i], &applied);
		assert_non_null(applied);
	}
	char filter[128];
	snprintf(filter, sizeof(filter), "{\"_id\": \"%s\"}", id);
	assert_int_equal(mongo_count("meta", filter), 1);
}

/* GETs every path of the walk as who (NULL: anonymous), expecting 200. */
static void walk(const struct agent *who, const char *const *paths)
{
	for (size_t i = 0; paths[i]; i++) {
		struct http_reply r;
		if (who)
			assert_int_equal(sess_get(who->s, paths[i], &r), 0);
		else
			assert_int_equal(http_get(paths[i], &r), 0);
		if (r.status != 200)
			print_error("GET %s: %ld\n", paths[i], r.status);
		assert_int_equal(r.status, 200);
		http_reply_free(&r);
	}
}

/* The debug build logs "scans=N" for a request that filtered on anything
 * but _id (src/core/scan_watch.h). Once the in-process caches are loaded,
 * a walk of the cousiSTORE pages, signed in or not, logs none. Account
 * and admin pages are left to their own tests. */
static void store_pages_read_by_id_only(void **state)
{
	(void)state;
	struct agent author, coordinator;
	agent_new(&author, "lookups-walker", ORG, NULL, PASSWORD);
	agent_new(&coordinator, "lookups-walk-coordinator", ORG, "coordinator", PASSWORD);
	char title[128], *draft, *draft_slug;
	snprintf(title, sizeof(title), "Atelier de réparation de vélos %ld", (long)getpid());
	char *id = published_new(&author, &coordinator, title);
	snprintf(title, sizeof(title), "Potager partagé %ld", (long)getpid());
	draft_new(&author, title, &draft, &draft_slug);
	assert_int_equal(action(&author, draft, "submit"), 200);
	char comments[128], club[64];
	snprintf(comments, sizeof(comments), "/api/v1/practices/%s/comments", id);
	json_t *comment = json_pack("{s:s, s:s}", "kind", "comment", "body", "Bravo !");
	assert_int_equal(api(&coordinator, "POST", comments, comment, NULL), 201);
	json_decref(comment);
	snprintf(club, sizeof(club), "/api/v1/clubs/%s/members", THEME);
	assert_int_equal(api(&author, "POST", club, NULL, NULL), 201);
	json_t *p;
	char sheet[160], history[192], draft_page[160], org[64], club_page[64], api_one[96];
	snprintf(api_one, sizeof(api_one), "/api/v1/practices/%s", id);
	assert_int_equal(api(&author, "GET", api_one, NULL, &p), 200);
	snprintf(sheet, sizeof(sheet), "/pratiques/%s",
		 json_string_value(json_object_get(p, "slug")));
	json_decref(p);
	snprintf(history, sizeof(history), "%s/versions", sheet);
	snprintf(draft_page, sizeof(draft_page), "/pratiques/%s", draft_slug);
	snprintf(org, sizeof(org), "/organisations/%s", ORG);
	snprintf(club_page, sizeof(club_page), "/clubs/%s", THEME);
	const char *const anonymous[] = {
		"/",      "/pratiques", "/recherche?q=atelier",        sheet,   history,
		"/clubs", club_page,    "/api/v1/practices?q=atelier", api_one, comments,
		NULL};
	const char *const signed_in[] = {
		"/pratiques", sheet,    history,   draft_page, "/pratiques/mes-pratiques",
		org,          "/clubs", club_page, comments,   "/api/v1/me/practices",
		NULL};
	const char *const coordinating[] = {"/pratiques/a-valider",
					    "/api/v1/coordination/practices", draft_page, NULL};

	/* Once to load the caches, then watched. The first walk starts after
	 * the catalogue's check interval, so that it takes in the setup's
	 * changes and the second has none left to read. */
	usleep(3 * CATALOGUE_CHECK_MS * 1000);
	walk(NULL, anonymous);
	walk(&author, signed_in);
	walk(&coordinator, coordinating);
	long offset = app_log_size();
	walk(NULL, anonymous);
	walk(&author, signed_in);
	walk(&coordinator, coordinating);
	usleep(200 * 1000); /* the log lines are written after the replies */
	char *scans = app_log_since(offset, " scans=", NULL);
	if (*scans)
		print_error("requests that scanned:\n%s", scans);
	assert_string_equal(scans, "");
	free(scans);

	/* The writes made from those pages, watched too. */
	offset = app_log_size();
	comment = json_pack("{s:s, s:s}", "kind", "comment", "body", "Merci pour le partage.");
	json_t *made;
	assert_int_equal(api(&author, "POST", comments, comment, &made), 201);
	json_decref(comment);
	char edit[192];
	snprintf(edit, sizeof(edit), "%s/%s", comments,
		 json_string_value(json_object_get(made, "id")));
	json_decref(made);
	comment = json_pack("{s:s}", "body", "Merci beaucoup pour le partage.");
	assert_int_equal(api(&author, "PUT", edit, comment, NULL), 200);
	json_decref(comment);
	assert_int_equal(api(&coordinator, "POST", club, NULL, NULL), 201);
	assert_int_equal(api(&coordinator, "DELETE", club, NULL, NULL), 200);
	char *second, *second_slug;
	draft_new(&author, "Jardin de plantes aromatiques", &second, &second_slug);
	assert_int_equal(action(&author, second, "submit"), 200);
	char back[160];
	snprintf(back, sizeof(back), "/api/v1/practices/%s/return", second);
	json_t *why = json_pack("{s:s}", "comment", "Précisez les résultats.");
	assert_int_equal(api(&coordinator, "POST", back, why, NULL), 200);
	json_decref(why);
	usleep(200 * 1000);
	scans = app_log_since(offset, " scans=", NULL);
	if (*scans)
		print_error("writes that scanned:\n%s", scans);
	assert_string_equal(scans, "");
	free(scans);
	free(second);
	free(second_slug);
	free(draft);
	free(draft_slug);
	free(id);
	agent_free(&coordinator);
	agent_free(&author);
}

/* Inserts doc (destroyed here) into collection of the test database. */
static void insert_raw(const char *collection, bson_t *doc)
{
	mongoc_client_t *client = mongoc_client_new(test_db_uri());
	mongoc_collection_t *c = mongoc_client_get_collection(client, "cousilab", collection);
	bson_error_t error;
	assert_true(mongoc_collection_insert_one(c, doc, NULL, NULL, &error));
	mongoc_collection_destroy(c);
	mongoc_client_destroy(client);
	bson_destroy(doc);
}

/* Runs fn with a database context of its own on the test database (the
 * step a migration or a command runs outside HTTP). */
static void offline(void (*fn)(struct db_ctx *db, void *ctx), void *ctx)
{
	char err[256];
	struct db *pools = db_open(test_db_uri(), 2, err, sizeof(err));
	assert_non_null(pools);
	struct db_ctx *db = db_ctx_open(pools, "test");
	fn(db, ctx);
	db_ctx_close(db);
	db_close(pools);
}

static void backfill(struct db_ctx *db, void *ctx)
{
	(void)ctx;
	assert_int_equal(practice_lookups_backfill(db), 0);
}

static void stamp_comments(struct db_ctx *db, void *practice_id)
{
	bson_error_t error;
	assert_int_equal(conversation_stamp(db, practice_id, comments_stamp_new(), &error), 0);
}

/* Migration 0110's step, as `cousilab migrate` runs it: the conversation
 * keyed by subject, then the lists the older data lacks. Twice: running
 * it again changes nothing. */
static void migrate_comments(struct db_ctx *db, void *ctx)
{
	(void)ctx;
	mongoc_client_t *client = mongoc_client_new(test_db_uri());
	mongoc_database_t *database = mongoc_client_get_database(client, "cousilab");
	for (int run = 0; run < 2; run++) {
		assert_int_equal(conversation_migrate_subjects(database), 0);
		assert_int_equal(practice_lookups_backfill(db), 0);
	}
	mongoc_database_destroy(database);
	mongoc_client_destroy(client);
}

/* Data written before the lookup documents existed (straight into the
 * database, as older versions did) shows on its pages once migration
 * 0040's step has run. */
static void the_migration_step_lists_older_data(void **state)
{
	(void)state;
	struct agent author, coordinator;
	agent_new(&author, "lookups-legacy", ORG, NULL, PASSWORD);
	agent_new(&coordinator, "lookups-legacy-coordinator", ORG, "coordinator", PASSWORD);
	char id[25], slug[64], title[96], member[64], member_id[64];
	snprintf(id, sizeof(id), "%012lx%012lx", (unsigned long)getpid(),
		 (unsigned long)now_ms() & 0xffffffffffUL);
	snprintf(slug, sizeof(slug), "ancienne-pratique-%s", id);
	snprintf(title, sizeof(title), "Ancienne pratique %s", id);
	int64_t now = now_ms();
	insert_raw("practices",
		   BCON_NEW("_id", BCON_UTF8(id), "slug", BCON_UTF8(slug), "status",
			    BCON_UTF8("submitted"), "title", BCON_UTF8(title), "summary",
			    BCON_UTF8("Écrite avant les listes."), "problem", BCON_UTF8("-"),
			    "description", BCON_UTF8("-"), "maturity", BCON_UTF8("deployee"),
			    "organisation_ids", "[", BCON_UTF8(ORG), "]", "branches", "[", "]",
			    "themes", "[", BCON_UTF8(THEME), "]", "toolbox", "[", "]", "author_id",
			    BCON_UTF8(author.id), "author_name", BCON_UTF8(author.name), "version",
			    BCON_INT64(1), "reuse_count", BCON_INT64(0), "created_at",
			    BCON_DATE_TIME(now), "updated_at", BCON_DATE_TIME(now), "submitted_at",
			    BCON_DATE_TIME(now)));
	snprintf(member, sizeof(member), "Ancien membre %s", id);
	snprintf(member_id, sizeof(member_id), "%s:%s", THEME, id);
	insert_raw("club_members",
		   BCON_NEW("_id", BCON_UTF8(member_id), "theme", BCON_UTF8(THEME), "user_id",
			    BCON_UTF8(id), "name", BCON_UTF8(member), "organisation",
			    BCON_UTF8(ORG), "joined_at", BCON_DATE_TIME(now)));

	char path[160];
	snprintf(path, sizeof(path), "/api/v1/practices/%s", id);
	assert_false(api_lists(&author, "/api/v1/me/practices", id));

	offline(backfill, NULL);
	assert_true(api_lists(&author, "/api/v1/me/practices", id));
	assert_true(api_lists(&coordinator, "/api/v1/coordination/practices", id));
	snprintf(path, sizeof(path), "/pratiques/%s", slug);
	char *sheet = page(&author, path);
	assert_non_null(strstr(sheet, title));
	free(sheet);
	snprintf(path, sizeof(path), "/clubs/%s", THEME);
	char *club = page(&author, path);
	assert_non_null(strstr(club, member));
	free(club);
	agent_free(&coordinator);
	agent_free(&author);
}

/* Returns the bodies of page `page` of the comments API of practice id
 * (heap JSON array); *total gets the practice's count. */
static json_t *comment_bodies(const struct agent *a, const char *id, int page, long *total)
{
	char path[192];
	snprintf(path, sizeof(path), "/api/v1/practices/%s/comments?page=%d", id, page);
	json_t *list, *bodies = json_array(), *c;
	assert_int_equal(api(a, "GET", path, NULL, &list), 200);
	*total = (long)json_integer_value(json_object_get(list, "total"));
	size_t i;
	json_array_foreach(json_object_get(list, "items"), i, c)
		json_array_append(bodies, json_object_get(c, "body"));
	json_decref(list);
	return bodies;
}

/* A popular sheet shows its newest messages, a page at a time. Its
 * messages and its follower were stored as before the comments service
 * (keyed by practice_id, the first message listed under the old list
 * name): migration 0110 brings them all to the sheet, in order. */
static void comments_come_a_page_at_a_time(void **state)
{
	(void)state;
	enum { N = 101 }; /* one more than a page */
	struct agent author, coordinator;
	agent_new(&author, "lookups-popular", ORG, NULL, PASSWORD);
	agent_new(&coordinator, "lookups-popular-coordinator", ORG, "coordinator", PASSWORD);
	char title[96];
	snprintf(title, sizeof(title), "Fiche très commentée %ld", (long)getpid());
	char *id = published_new(&author, &coordinator, title);
	int64_t now = now_ms();
	for (int i = 1; i <= N; i++) {
		char cid[25], body[32];
		snprintf(cid, sizeof(cid), "%016lx%08x", (unsigned long)now, (unsigned)i);
		snprintf(body, sizeof(body), "Message %d", i);
		insert_raw("comments",
			   BCON_NEW("_id", BCON_UTF8(cid), "practice_id", BCON_UTF8(id),
				    "parent_id", BCON_NULL, "author_id", BCON_UTF8(author.id),
				    "author_name", BCON_UTF8(author.name), "kind",
				    BCON_UTF8("comment"), "body", BCON_UTF8(body), "created_at",
				    BCON_DATE_TIME(now + i), "edited_at", BCON_NULL, "hidden",
				    BCON_BOOL(false)));
		if (i == 1) {
			char list[64];
			snprintf(list, sizeof(list), "comments_of:%s", id);
			insert_raw("lookups",
				   BCON_NEW("_id", BCON_UTF8(list), "rev", BCON_INT64(1), "count",
					    BCON_INT64(1), "frozen", BCON_INT64(0), "items", "[",
					    "{", "id", BCON_UTF8(cid), "}", "]"));
		}
	}
	char follow[64];
	snprintf(follow, sizeof(follow), "%s:%s", id, coordinator.id);
	insert_raw("follows",
		   BCON_NEW("_id", BCON_UTF8(follow), "practice_id", BCON_UTF8(id), "user_id",
			    BCON_UTF8(coordinator.id), "created_at", BCON_DATE_TIME(now)));
	offline(migrate_comments, NULL);
	offline(stamp_comments, id);

	long total = 0;
	json_t *first = NULL;
	long long start = now_ms();
	while (total != N && now_ms() - start < 2000) { /* the catalogue's second */
		json_decref(first);
		first = comment_bodies(&author, id, 1, &total);
	}
	assert_int_equal(total, N);
	assert_int_equal(json_array_size(first), 100);
	assert_string_equal(json_string_value(json_array_get(first, 0)), "Message 2");
	assert_string_equal(json_string_value(json_array_get(first, 99)), "Message 101");
	json_decref(first);
	json_t *second = comment_bodies(&author, id, 2, &total);
	assert_int_equal(json_array_size(second), 1);
	assert_string_equal(json_string_value(json_array_get(second, 0)), "Message 1");
	json_decref(second);
	char path[192];
	json_t *list;
	snprintf(path, sizeof(path), "/api/v1/practices/%s/comments", id);
	assert_int_equal(api(&coordinator, "GET", path, NULL, &list), 200);
	assert_true(json_is_true(json_object_get(list, "following")));
	json_decref(list);

	json_t *p;
	snprintf(path, sizeof(path), "/api/v1/practices/%s", id);
	assert_int_equal(api(&author, "GET", path, NULL, &p), 200);
	snprintf(path, sizeof(path), "/pratiques/%s",
		 json_string_value(json_object_get(p, "slug")));
	json_decref(p);
	char *sheet = page(&author, path);
	assert_non_null(strstr(sheet, "?messages=2#conversation"));
	assert_null(strstr(sheet, "Message 1<"));
	free(sheet);
	strcat(path, "?messages=2");
	sheet = page(&author, path);
	assert_non_null(strstr(sheet, "Message 1"));
	assert_non_null(strstr(sheet, "Messages plus récents"));
	free(sheet);
	free(id);
	agent_free(&coordinator);
	agent_free(&author);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(drafts_and_submissions_follow_the_workflow),
		cmocka_unit_test(comments_and_reuses_show_where_they_are_listed),
		cmocka_unit_test(racing_joins_lose_no_member_and_leaving_removes_one),
		cmocka_unit_test(racing_upserts_of_a_new_document_all_apply),
		cmocka_unit_test(store_pages_read_by_id_only),
		cmocka_unit_test(the_migration_step_lists_older_data),
		cmocka_unit_test(comments_come_a_page_at_a_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
