#include "db/batch.h"

#include <mongoc/mongoc.h>

#include "db/doc.h"

bson_t *db_batch_filter_upto(const bson_t *filter, const bson_value_t *last_id)
{
	bson_t *out = bson_new(), all, bound, upto;
	BSON_APPEND_ARRAY_BEGIN(out, "$and", &all);
	BSON_APPEND_DOCUMENT(&all, "0", filter);
	BSON_APPEND_DOCUMENT_BEGIN(&all, "1", &bound);
	BSON_APPEND_DOCUMENT_BEGIN(&bound, "_id", &upto);
	BSON_APPEND_VALUE(&upto, "$lte", last_id);
	bson_append_document_end(&bound, &upto);
	bson_append_document_end(&all, &bound);
	bson_append_array_end(out, &all);
	return out;
}

/* Reads the _id of the first DB_DELETE_BATCH documents of c matching
 * filter, in _id order. Returns how many there are (the last one's _id
 * copied into *last, which the caller destroys when the count is > 0), or
 * -1 with error set. */
static int64_t next_batch(mongoc_collection_t *c, const bson_t *filter, bson_value_t *last,
			  bson_error_t *error)
{
	bson_t *opts = BCON_NEW("projection", "{", "_id", BCON_INT32(1), "}", "sort", "{", "_id",
				BCON_INT32(1), "}", "limit", BCON_INT64(DB_DELETE_BATCH));
	mongoc_cursor_t *cursor = mongoc_collection_find_with_opts(c, filter, opts, NULL);
	const bson_t *doc;
	int64_t n = 0;
	while (mongoc_cursor_next(cursor, &doc)) {
		bson_iter_t id;
		if (!bson_iter_init_find(&id, doc, "_id"))
			continue;
		if (n++)
			bson_value_destroy(last);
		bson_value_copy(bson_iter_value(&id), last);
	}
	if (mongoc_cursor_error(cursor, error)) {
		if (n)
			bson_value_destroy(last);
		n = -1;
	}
	mongoc_cursor_destroy(cursor);
	bson_destroy(opts);
	return n;
}

int64_t db_delete_batched(mongoc_collection_t *c, const bson_t *filter, bson_error_t *error)
{
	int64_t total = 0, found;
	do {
		bson_value_t last;
		found = next_batch(c, filter, &last, error);
		if (found <= 0)
			return found < 0 ? -1 : total;
		/* The whole rest fits in this batch: the filter alone says it. */
		bson_t *batch = found < DB_DELETE_BATCH ? NULL
							: db_batch_filter_upto(filter, &last);
		bson_value_destroy(&last);
		bson_t reply;
		bool ok = mongoc_collection_delete_many(c, batch ? batch : filter, NULL, &reply,
							error);
		if (ok)
			total += doc_int(&reply, "deletedCount", 0);
		bson_destroy(&reply);
		bson_destroy(batch);
		if (!ok)
			return -1;
	} while (found == DB_DELETE_BATCH);
	return total;
}
