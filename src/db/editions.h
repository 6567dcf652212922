/* Yearly editions (the Défi du Lab's, the Grand Prix's): one document a
 * year in its own collection, _id the year as a string. There are few, so
 * each feature keeps all of them in a versioned cache (db/cache.h), newest
 * year first, with its instants as integers (UTC ms); these are the parts
 * of that store every such feature shares. */
#ifndef COUSILAB_DB_EDITIONS_H
#define COUSILAB_DB_EDITIONS_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db_ctx;

/* Returns every document of collection as to_json gives it (new
 * references), newest "year" first: the body of a versioned cache's
 * loader. New reference, or NULL with error set. */
json_t *editions_load(struct db_ctx *db, const char *collection,
		      json_t *(*to_json)(const bson_t *doc), bson_error_t *error);

/* Returns the item of all whose "year" is year, or NULL. Takes over the
 * caller's reference to all (cache_get's): db's arena releases it, so the
 * item stays valid until that arena is freed. Does not allocate for the
 * caller. */
const json_t *editions_find(struct db_ctx *db, json_t *all, int year);

/* Sets in e (doc_to_json of doc) the BSON date key of doc as an integer,
 * UTC ms, and drops doc_to_json's display copy "<key>_fr": pages format
 * instants their own way. Leaves e's key as it is when doc has no such
 * date. */
void editions_date_ms(json_t *e, const bson_t *doc, const char *key);

/* Inserts doc (the edition's editable fields; destroyed here) as the
 * edition of year in collection, with its _id, example, created_at,
 * updated_at and rev 1, then bumps the versioned cache cache_key so that
 * every process reloads. Returns 0; -1 with err set, whose code is 11000
 * when the year already has an edition. */
int editions_insert(struct db_ctx *db, const char *collection, const char *cache_key, bson_t *doc,
		    int year, bool example, bson_error_t *err);

/* Sets set's fields (destroyed here) in edition id of collection as
 * revision rev (claimed by the caller), with updated_at now, then bumps
 * cache_key. Returns 0, or -1 with err set. */
int editions_set(struct db_ctx *db, const char *collection, const char *cache_key, const char *id,
		 bson_t *set, int64_t rev, bson_error_t *err);

#endif
