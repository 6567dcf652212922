/* Deletes of any size. FerretDB on SQLite turns a deleteMany into one
 * `DELETE ... WHERE _id IN (?, ?, ...)` with a variable per matching
 * document, and SQLite refuses more than 32,766 variables ("too many SQL
 * variables"): purges and bulk deletes go through db_delete_batched. */
#ifndef COUSILAB_DB_BATCH_H
#define COUSILAB_DB_BATCH_H

#include <bson/bson.h>
#include <stdint.h>

typedef struct _mongoc_collection_t mongoc_collection_t;

/* Documents deleted by one deleteMany: well under SQLite's limit, and
 * large, because on FerretDB each batch costs two collection scans. */
enum { DB_DELETE_BATCH = 10000 };

/* Deletes every document of c matching filter (borrowed), in deleteMany
 * calls of at most DB_DELETE_BATCH documents: each batch is bounded by the
 * largest _id of the next DB_DELETE_BATCH matches in _id order, so each
 * call checks filter again and a document that stopped matching stays.
 * Returns how many were deleted, or -1 with error set (the earlier batches
 * stay deleted). Allocates nothing that outlives the call. */
int64_t db_delete_batched(mongoc_collection_t *c, const bson_t *filter, bson_error_t *error);

/* Returns a new filter, {$and: [filter, {_id: {$lte: last_id}}]}, that
 * the caller destroys; filter and last_id are borrowed. Pure. */
bson_t *db_batch_filter_upto(const bson_t *filter, const bson_value_t *last_id);

#endif
