/* The synthetic accounts of `cousilab seed --accounts USERS SESSIONS`
 * (accounts/cli.h), for benchmarks: many other people signed in, so a
 * bench shows whether a signed-in request costs more as they grow. */
#include <mongoc/mongoc.h>
#include <sodium.h>
#include <stdio.h>

#include "accounts/backfill.h"
#include "accounts/cli.h"
#include "accounts/organisation.h"
#include "accounts/password.h"
#include "accounts/session.h"
#include "accounts/user.h"
#include "core/app.h"
#include "core/arena.h"
#include "core/token.h"
#include "db/db.h"
#include "db/doc.h"

enum { BATCH = 1000 };

/* Writes the id of synthetic user i into id[25]: fixed, so a second run
 * inserts nothing new ("73796e74" is "synt"). */
static void user_id(long i, char id[25])
{
	snprintf(id, 25, "73796e74%016lx", (unsigned long)i);
}

/* The seed's state: what it writes with. */
struct seed {
	struct db_ctx *db;
	json_t *orgs;     /* organisations, round robin */
	const char *hash; /* the users' password hash: of a random password */
	long users;
	int64_t now;
};

/* Appends synthetic user i to bulk. */
static void add_user(struct seed *s, mongoc_bulk_operation_t *bulk, long i)
{
	char id[25], email[64], name[64];
	user_id(i, id);
	snprintf(email, sizeof(email), "synthetique-%ld@example.invalid", i);
	snprintf(name, sizeof(name), "Personne synthétique %ld", i);
	const char *org = json_str(json_array_get(s->orgs, (size_t)i % json_array_size(s->orgs)),
				   "_id");
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(id), "email", BCON_UTF8(email), "name",
			       BCON_UTF8(name), "organisation", BCON_UTF8(org), "job",
			       BCON_UTF8(""), "password_hash", BCON_UTF8(s->hash), "status",
			       BCON_UTF8("active"), "created_at", BCON_DATE_TIME(s->now),
			       "confirmed_at", BCON_DATE_TIME(s->now), "updated_at",
			       BCON_DATE_TIME(s->now));
	bson_t *none = bson_new();
	user_roles_edit(none, doc, "roles", ROLE_AGENT, NULL, true);
	mongoc_bulk_operation_insert(bulk, doc);
	bson_destroy(none);
	bson_destroy(doc);
}

/* Appends synthetic session i, of one of the synthetic users, seen now,
 * to bulk. Its _id hashes a token nobody holds. */
static void add_session(struct seed *s, mongoc_bulk_operation_t *bulk, long i)
{
	char id[25];
	user_id(i % s->users, id);
	struct arena *a = s->db->arena;
	const char *hash = token_hash(a, arena_printf(a, "synthetic-session-%ld", i));
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(hash), "user_id", BCON_UTF8(id), "created_at",
			       BCON_DATE_TIME(s->now), "last_seen_at", BCON_DATE_TIME(s->now), "ip",
			       BCON_UTF8("127.0.0.1"), "user_agent", BCON_UTF8("synthetic"));
	mongoc_bulk_operation_insert(bulk, doc);
	bson_destroy(doc);
}

/* Inserts items [0, n) of collection in batches, each made by add.
 * Returns how many were new, or -1 after printing why. */
static long insert_all(struct seed *s, const char *collection, long n,
		       void (*add)(struct seed *s, mongoc_bulk_operation_t *bulk, long i))
{
	bson_t *opts = BCON_NEW("ordered", BCON_BOOL(false));
	mongoc_collection_t *coll = db_collection(s->db, collection);
	long inserted = 0;
	int rc = 0;
	for (long i = 0; i < n && rc == 0; i += BATCH) {
		mongoc_bulk_operation_t *bulk = mongoc_collection_create_bulk_operation_with_opts(
			coll, opts);
		for (long k = i; k < n && k < i + BATCH; k++)
			add(s, bulk, k);
		rc = doc_bulk_insert(bulk, &inserted);
		mongoc_bulk_operation_destroy(bulk);
	}
	bson_destroy(opts);
	return rc ? -1 : inserted;
}

int accounts_synthetic_load(const struct app *app, long users, long sessions)
{
	struct db_ctx *db = db_ctx_open(app->db, "seed");
	bson_error_t error;
	json_t *orgs = organisations_all(db, &error);
	char hash[crypto_pwhash_STRBYTES], pw[33];
	unsigned char random[16];
	randombytes_buf(random, sizeof(random));
	sodium_bin2hex(pw, sizeof(pw), random, sizeof(random));
	int rc = -1;
	if (!orgs || !json_array_size(orgs))
		fprintf(stderr, "seed: no organisation to put accounts in%s%s\n", orgs ? "" : ": ",
			orgs ? "" : error.message);
	else if (password_hash(pw, hash) != 0)
		fputs("seed: the password could not be hashed\n", stderr);
	else {
		struct seed s = {db, orgs, hash, users, doc_now_ms()};
		long u = insert_all(&s, "users", users, add_user);
		long n = u < 0 ? -1 : insert_all(&s, "sessions", sessions, add_session);
		/* Their address claims and session lists, as a sign-up and a
		 * login would have written them. */
		mongoc_database_t *database = n >= 0 ? mongoc_client_get_database(db_client(db),
										  app->db->name)
						     : NULL;
		if (database && accounts_lookups_backfill(database))
			n = -1;
		if (database)
			mongoc_database_destroy(database);
		if (n >= 0) {
			printf("seed: %ld synthetic users and %ld sessions inserted (%ld and %ld "
			       "already there), in %.1f s\n",
			       u, n, users - u, sessions - n,
			       (double)(doc_now_ms() - s.now) / 1000);
			rc = 0;
		}
	}
	sodium_memzero(hash, sizeof(hash));
	sodium_memzero(pw, sizeof(pw));
	json_decref(orgs);
	db_ctx_close(db);
	return rc;
}
