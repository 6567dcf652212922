#include "accounts/backfill.h"

#include <jansson.h>
#include <mongoc/mongoc.h>
#include <stdio.h>
#include <string.h>

#include "accounts/user.h"
#include "accounts/user_list.h"

/* Claims are inserted this many at a time. */
enum { BATCH = 500 };

/* Returns true when every write error of a bulk reply is a duplicate key
 * (a claim that exists already). */
static bool only_duplicates(const bson_t *reply)
{
	bson_iter_t it, item, code;
	if (!bson_iter_init_find(&it, reply, "writeErrors") || !BSON_ITER_HOLDS_ARRAY(&it) ||
	    !bson_iter_recurse(&it, &item))
		return false;
	while (bson_iter_next(&item))
		if (!bson_iter_recurse(&item, &code) || !bson_iter_find(&code, "code") ||
		    bson_iter_as_int64(&code) != 11000)
			return false;
	return true;
}

/* Inserts the n claims of docs, unordered, keeping claims that exist.
 * Destroys them. Returns 0 or -1. */
static int insert_claims(mongoc_collection_t *claims, bson_t **docs, size_t n)
{
	if (!n)
		return 0;
	bson_t *opts = BCON_NEW("ordered", BCON_BOOL(false));
	bson_t reply;
	bson_error_t error;
	bool ok = mongoc_collection_insert_many(claims, (const bson_t **)docs, n, opts, &reply,
						&error) ||
		  only_duplicates(&reply);
	if (!ok)
		fprintf(stderr, "migrate: accounts_lookups: claiming addresses: %s\n",
			error.message);
	bson_destroy(&reply);
	bson_destroy(opts);
	for (size_t i = 0; i < n; i++)
		bson_destroy(docs[i]);
	return ok ? 0 : -1;
}

/* Claims the address of every account. Returns 0 or -1. */
static int backfill_emails(mongoc_database_t *database)
{
	mongoc_collection_t *users = mongoc_database_get_collection(database, "users");
	mongoc_collection_t *claims = mongoc_database_get_collection(database, USER_EMAILS);
	bson_t *filter = bson_new();
	bson_t *opts = BCON_NEW("projection", "{", "email", BCON_INT32(1), "}");
	mongoc_cursor_t *c = mongoc_collection_find_with_opts(users, filter, opts, NULL);
	bson_t *batch[BATCH];
	size_t n = 0;
	int rc = 0;
	const bson_t *doc;
	bson_iter_t id, email;
	while (rc == 0 && mongoc_cursor_next(c, &doc)) {
		if (!bson_iter_init_find(&id, doc, "_id") || !BSON_ITER_HOLDS_UTF8(&id) ||
		    !bson_iter_init_find(&email, doc, "email") || !BSON_ITER_HOLDS_UTF8(&email))
			continue;
		batch[n++] = BCON_NEW("_id", BCON_UTF8(bson_iter_utf8(&email, NULL)), "user_id",
				      BCON_UTF8(bson_iter_utf8(&id, NULL)));
		if (n == BATCH) {
			rc = insert_claims(claims, batch, n);
			n = 0;
		}
	}
	if (rc == 0)
		rc = insert_claims(claims, batch, n);
	else
		for (size_t i = 0; i < n; i++)
			bson_destroy(batch[i]);
	bson_error_t error;
	if (mongoc_cursor_error(c, &error)) {
		fprintf(stderr, "migrate: accounts_lookups: reading accounts: %s\n", error.message);
		rc = -1;
	}
	mongoc_cursor_destroy(c);
	bson_destroy(opts);
	bson_destroy(filter);
	mongoc_collection_destroy(claims);
	mongoc_collection_destroy(users);
	return rc;
}

/* Writes lists (user id → ids, oldest first) into collection list,
 * keeping the newest max of each. Returns 0 or -1. */
static int write_lists(mongoc_database_t *database, const char *list, json_t *lists, size_t max)
{
	mongoc_collection_t *c = mongoc_database_get_collection(database, list);
	const char *user_id;
	json_t *ids;
	int rc = 0;
	json_object_foreach(lists, user_id, ids) {
		if (rc)
			break;
		size_t n = json_array_size(ids), first = n > max ? n - max : 0;
		bson_t *update = bson_new(), set, array;
		BSON_APPEND_DOCUMENT_BEGIN(update, "$set", &set);
		BSON_APPEND_ARRAY_BEGIN(&set, "ids", &array);
		for (size_t i = first; i < n; i++) {
			char index[16];
			const char *key;
			bson_uint32_to_string((uint32_t)(i - first), &key, index, sizeof(index));
			bson_append_utf8(&array, key, -1, json_string_value(json_array_get(ids, i)),
					 -1);
		}
		bson_append_array_end(&set, &array);
		BSON_APPEND_INT64(&set, "rev", 1);
		bson_append_document_end(update, &set);
		bson_t *filter = BCON_NEW("_id", BCON_UTF8(user_id));
		bson_t *opts = BCON_NEW("upsert", BCON_BOOL(true));
		bson_error_t error;
		if (!mongoc_collection_update_one(c, filter, update, opts, NULL, &error)) {
			fprintf(stderr, "migrate: accounts_lookups: writing %s: %s\n", list,
				error.message);
			rc = -1;
		}
		bson_destroy(opts);
		bson_destroy(filter);
		bson_destroy(update);
	}
	mongoc_collection_destroy(c);
	return rc;
}

/* Lists the documents of collection (sessions, API tokens) by their
 * user_id, oldest first, into list. Returns 0 or -1. */
static int backfill_list(mongoc_database_t *database, const char *collection, const char *list,
			 size_t max)
{
	mongoc_collection_t *c = mongoc_database_get_collection(database, collection);
	bson_t *filter = bson_new();
	bson_t *opts = BCON_NEW("projection", "{", "user_id", BCON_INT32(1), "}", "sort", "{",
				"created_at", BCON_INT32(1), "}");
	mongoc_cursor_t *cursor = mongoc_collection_find_with_opts(c, filter, opts, NULL);
	json_t *lists = json_object();
	const bson_t *doc;
	bson_iter_t id, owner;
	while (mongoc_cursor_next(cursor, &doc)) {
		if (!bson_iter_init_find(&id, doc, "_id") || !BSON_ITER_HOLDS_UTF8(&id) ||
		    !bson_iter_init_find(&owner, doc, "user_id") || !BSON_ITER_HOLDS_UTF8(&owner))
			continue;
		const char *user_id = bson_iter_utf8(&owner, NULL);
		json_t *ids = json_object_get(lists, user_id);
		if (!ids)
			json_object_set_new(lists, user_id, ids = json_array());
		json_array_append_new(ids, json_string(bson_iter_utf8(&id, NULL)));
	}
	bson_error_t error;
	int rc = 0;
	if (mongoc_cursor_error(cursor, &error)) {
		fprintf(stderr, "migrate: accounts_lookups: reading %s: %s\n", collection,
			error.message);
		rc = -1;
	}
	mongoc_cursor_destroy(cursor);
	bson_destroy(opts);
	bson_destroy(filter);
	mongoc_collection_destroy(c);
	if (rc == 0)
		rc = write_lists(database, list, lists, max);
	json_decref(lists);
	return rc;
}

int accounts_lookups_backfill(mongoc_database_t *database)
{
	return backfill_emails(database) ||
			       backfill_list(database, "sessions", USER_SESSIONS,
					     USER_SESSIONS_MAX) ||
			       backfill_list(database, "api_tokens", USER_TOKENS, USER_TOKENS_MAX)
		       ? -1
		       : 0;
}
