/* `cousilab seed --defi-teams N`, for benchmarks: N synthetic teams in the
 * edition open now, as if N captains had signed up with five colleagues
 * each, at every status. Their people are the synthetic accounts' ids
 * (accounts/synthetic.c: "73796e74" + number), six per team, so nobody is
 * in two teams. Teams, seats and the edition's lookup list are written in
 * bulk; each team's change is then recorded, so running app processes
 * take the teams into their index within a second. A second run adds
 * nothing new. */
#include <mongoc/mongoc.h>
#include <stdio.h>

#include "accounts/organisation.h"
#include "core/app.h"
#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"
#include "db/doc.h"
#include "db/lookup.h"
#include "defi/demo.h"
#include "defi/edition.h"
#include "defi/team_index.h"
#include "defi/team_store.h"

enum { TEAM_SIZE = 6, BATCH = 500 };

static const char *const STATUSES[] = {"brouillon",     "deposee",     "deposee", "retenue",
				       "liste-attente", "non-retenue", "desistee"};

static const char *team_id(struct arena *a, long i)
{
	return arena_printf(a, "5eed%028lx", (unsigned long)i);
}

static const char *person_id(struct arena *a, long i)
{
	return arena_printf(a, "73796e74%016lx", (unsigned long)i);
}

/* Appends team i of year, in organisation org, and its seats. */
static void add_team(struct db_ctx *db, mongoc_bulk_operation_t *teams,
		     mongoc_bulk_operation_t *seats, int year, long i, const char *org, int64_t now)
{
	struct arena *a = db->arena;
	const char *id = team_id(a, i), *status = STATUSES[i % 7];
	bson_t *doc = BCON_NEW(
		"_id", BCON_UTF8(id), "year", BCON_INT32(year), "name",
		BCON_UTF8(arena_printf(a, "Équipe synthétique %ld", i + 1)), "organisation_id",
		BCON_UTF8(org), "captain_id", BCON_UTF8(person_id(a, i * 6)), "status",
		BCON_UTF8(status), "incomplete", BCON_BOOL(false), "pitch",
		BCON_UTF8("Une idée pour mieux accueillir les nouveaux collègues."), "theme_fit",
		BCON_UTF8("Elle touche au recrutement et à la fidélisation."), "answers", "[", "]",
		"email_invites", "[", "]", "rev", BCON_INT64(1), "example", BCON_BOOL(true),
		"created_at", BCON_DATE_TIME(now), "updated_at", BCON_DATE_TIME(now));
	bson_t members, m;
	BSON_APPEND_ARRAY_BEGIN(doc, "members", &members);
	for (int k = 0; k < TEAM_SIZE; k++) {
		char key[4];
		snprintf(key, sizeof(key), "%d", k);
		const char *person = person_id(a, i * TEAM_SIZE + k);
		BSON_APPEND_DOCUMENT_BEGIN(&members, key, &m);
		BSON_APPEND_UTF8(&m, "user_id", person);
		BSON_APPEND_UTF8(&m, "state", "confirmed");
		BSON_APPEND_INT64(&m, "invited_at", now);
		BSON_APPEND_INT64(&m, "accepted_at", now);
		bson_append_document_end(&members, &m);
		bson_t *seat = BCON_NEW("_id", BCON_UTF8(arena_printf(a, "%d:%s", year, person)),
					"team_id", BCON_UTF8(id), "role",
					BCON_UTF8(k ? "member" : "captain"));
		mongoc_bulk_operation_insert(seats, seat);
		bson_destroy(seat);
	}
	bson_append_array_end(doc, &members);
	mongoc_bulk_operation_insert(teams, doc);
	bson_destroy(doc);
}

/* Inserts teams [from, to) and their seats. Returns 0 or -1. */
static int insert_batch(struct db_ctx *db, int year, long from, long to, const json_t *orgs,
			long *inserted)
{
	bson_t *opts = BCON_NEW("ordered", BCON_BOOL(false));
	mongoc_bulk_operation_t *teams = mongoc_collection_create_bulk_operation_with_opts(
		db_collection(db, DEFI_TEAMS), opts);
	mongoc_bulk_operation_t *seats = mongoc_collection_create_bulk_operation_with_opts(
		db_collection(db, DEFI_SEATS), opts);
	int64_t now = clock_now_ms();
	for (long i = from; i < to; i++)
		add_team(db, teams, seats, year, i,
			 json_str(json_array_get(orgs, (size_t)i % json_array_size(orgs)), "_id"),
			 now);
	long seated = 0;
	int rc = doc_bulk_insert(teams, inserted) || doc_bulk_insert(seats, &seated) ? -1 : 0;
	mongoc_bulk_operation_destroy(teams);
	mongoc_bulk_operation_destroy(seats);
	bson_destroy(opts);
	return rc;
}

/* Lists teams [0, n) in the edition's lookup list and records their
 * changes. Returns 0 or -1. */
static int list_and_announce(struct db_ctx *db, int year, long n)
{
	bson_error_t error;
	bson_t **items = arena_alloc(db->arena, (size_t)n * sizeof(*items));
	for (long i = 0; i < n; i++)
		items[i] = BCON_NEW("id", BCON_UTF8(team_id(db->arena, i)));
	long added = lookup_add_missing(db, defi_teams_list(db->arena, year), items, (size_t)n,
					&error);
	for (long i = 0; i < n; i++)
		bson_destroy(items[i]);
	for (long i = 0; added >= 0 && i < n; i++)
		if (defi_index_changed(db, year, team_id(db->arena, i), &error))
			added = -1;
	if (added < 0)
		fprintf(stderr, "seed: listing the synthetic teams: %s\n", error.message);
	return added < 0 ? -1 : 0;
}

/* Returns the newest edition open at the deadline clock's now, borrowed
 * from editions, or NULL. */
static const json_t *open_edition(const json_t *editions)
{
	const json_t *e;
	size_t i;
	int64_t now = clock_now_ms();
	json_array_foreach(editions, i, e)
		if (defi_edition_is_open(e, now))
			return e;
	return NULL;
}

int defi_synthetic_load(const struct app *app, long n)
{
	struct db_ctx *db = db_ctx_open(app->db, "seed");
	bson_error_t error;
	json_t *editions = defi_editions_all(db, &error);
	json_t *orgs = editions ? organisations_active(db, &error) : NULL;
	const json_t *e = editions ? open_edition(editions) : NULL;
	int rc = -1;
	if (!orgs)
		fprintf(stderr, "seed: %s\n", error.message);
	else if (!e)
		fputs("seed: no Défi edition has its sign-ups open (seed --demo makes one)\n",
		      stderr);
	else {
		int year = (int)json_integer_value(json_object_get(e, "year"));
		long inserted = 0;
		rc = 0;
		for (long i = 0; rc == 0 && i < n; i += BATCH)
			rc = insert_batch(db, year, i, i + BATCH < n ? i + BATCH : n, orgs,
					  &inserted);
		if (rc == 0)
			rc = list_and_announce(db, year, n);
		if (rc == 0)
			printf("seed: %ld synthetic Défi teams in edition %d (%ld already there)\n",
			       inserted, year, n - inserted);
	}
	json_decref(orgs);
	json_decref(editions);
	db_ctx_close(db);
	return rc;
}
