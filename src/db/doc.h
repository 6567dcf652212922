/* Small helpers between BSON documents, JSON view data and the request. */
#ifndef COUSILAB_DOC_H
#define COUSILAB_DOC_H

#include <bson/bson.h>
#include <jansson.h>

struct arena;
struct db_ctx;

/* Returns a new random id, 24 lowercase hex chars, in the arena. */
char *doc_new_id(struct arena *a);

/* Returns the wall clock in milliseconds, for BSON datetimes. */
int64_t doc_now_ms(void);

/* Returns a new JSON value for doc (caller owns the reference): dates as
 * RFC 3339 UTC strings plus a "<key>_fr" French display form in Paris
 * time ("jeudi 4 décembre 2026 à 17 h 46"), ObjectIds as
 * hex, binary data dropped. */
json_t *doc_to_json(const bson_t *doc);

/* Returns the string field key of doc copied into the arena, or NULL. */
const char *doc_string(struct arena *a, const bson_t *doc, const char *key);

/* Returns the integer (int32, int64 or datetime) field key, or def. */
int64_t doc_int(const bson_t *doc, const char *key, int64_t def);

/* Finds the document of collection with _id = id. Returns a new copy the
 * caller destroys, or NULL: then error->code is 0 when there is simply no
 * such document. */
bson_t *doc_find_id(struct db_ctx *ctx, const char *collection, const char *id,
		    bson_error_t *error);

typedef struct _mongoc_collection_t mongoc_collection_t;

/* doc_find_id on a collection handle (borrowed): for callers without a
 * request. */
bson_t *doc_find_id_in(mongoc_collection_t *c, const char *id, bson_error_t *error);

/* doc_find_id's document as doc_to_json gives it (new reference), or
 * NULL as doc_find_id. */
json_t *doc_find_id_json(struct db_ctx *ctx, const char *collection, const char *id,
			 bson_error_t *error);

/* doc_upsert_id on a collection handle (borrowed). */
int doc_upsert_id_in(mongoc_collection_t *c, const char *id, bson_t *update, bson_error_t *error);

/* Returns every document of collection matching filter, with opts (sort,
 * projection; may be NULL), as a JSON array (new reference), or NULL with
 * error set. filter and opts are destroyed here. Scans on FerretDB: not
 * for hot paths. */
json_t *doc_find_all(struct db_ctx *ctx, const char *collection, bson_t *filter, bson_t *opts,
		     bson_error_t *error);

/* Returns the element of the JSON array list whose "_id" is id, or NULL.
 * Borrowed. */
json_t *json_find_id(json_t *list, const char *id);

/* Applies update (destroyed here) to the document of collection with
 * _id = id, creating it if missing. Returns 0, or -1 with error set. */
int doc_upsert_id(struct db_ctx *ctx, const char *collection, const char *id, bson_t *update,
		  bson_error_t *error);

/* Deletes every document of collection matching filter (destroyed here),
 * through db_delete_batched whatever their number. Returns 0, or -1 with
 * error set. */
int doc_delete_matching(struct db_ctx *ctx, const char *collection, bson_t *filter,
			bson_error_t *error);

/* Runs bulk, a batch of inserts made unordered, for seeds: documents
 * whose _id is already there are skipped (a seed run again), and how many
 * were inserted is added to *inserted. Returns 0, or -1 after printing
 * why on stderr. */
typedef struct _mongoc_bulk_operation_t mongoc_bulk_operation_t;
int doc_bulk_insert(mongoc_bulk_operation_t *bulk, long *inserted);

/* Claims id in collection by inserting {_id: id, at: now}: of all the
 * callers (threads, processes) that claim one id, exactly one wins, on
 * FerretDB as on MongoDB, since the unique _id decides. Returns 1 when
 * this caller won, 0 when it was claimed before, -1 with error set. */
int doc_claim_id(struct db_ctx *ctx, const char *collection, const char *id, bson_error_t *error);

/* Deletes document id of collection (a claim given back after its work
 * failed). Returns 0, or -1 with error set. */
int doc_delete_id(struct db_ctx *ctx, const char *collection, const char *id, bson_error_t *error);

/* Calls each(doc, arg) for every document of collection, read from one
 * unsorted cursor, each document borrowed for the call only: what every
 * export does (README, "Exports read one unsorted cursor": FerretDB would
 * sort in memory, and scan once per page of _id ranges). Returns how many
 * documents, or -1 with error set. */
long doc_each(struct db_ctx *ctx, const char *collection,
	      void (*each)(const bson_t *doc, void *arg), void *arg, bson_error_t *error);

/* Returns the string member key of obj, or "" when absent or not a
 * string. Borrowed from obj. */
const char *json_str(const json_t *obj, const char *key);

#endif
