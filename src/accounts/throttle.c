#include "accounts/throttle.h"

#include <mongoc/mongoc.h>
#include <stdbool.h>

#include "db/db.h"
#include "db/doc.h"
#include "http/request.h"

long throttle_delay_s(int64_t failures, int free_attempts)
{
	if (failures < free_attempts)
		return 0;
	int64_t excess = failures - free_attempts;
	return excess >= 10 ? THROTTLE_MAX_WAIT_S
			    : (1L << excess) > THROTTLE_MAX_WAIT_S ? THROTTLE_MAX_WAIT_S
								   : 1L << excess;
}

bool throttle_window_over(int64_t last_failure_ms, int64_t now_ms)
{
	return now_ms - last_failure_ms > (int64_t)THROTTLE_WINDOW_S * 1000;
}

long throttle_wait(struct request *req, const char *key, int free_attempts,
		   bson_error_t *error)
{
	bson_t *doc = doc_find_id(req, "throttle", key, error);
	if (!doc)
		return error->code ? -1 : 0;
	int64_t until = doc_int(doc, "last_failure_at", 0) +
			throttle_delay_s(doc_int(doc, "failures", 0), free_attempts) * 1000;
	bson_destroy(doc);
	int64_t left = until - doc_now_ms();
	return left > 0 ? (long)((left + 999) / 1000) : 0;
}

int throttle_fail(struct request *req, const char *key, bson_error_t *error)
{
	bson_t *previous = doc_find_id(req, "throttle", key, error);
	if (!previous && error->code)
		return -1;
	int64_t now = doc_now_ms();
	bool stale = previous && throttle_window_over(doc_int(previous, "last_failure_at", 0), now);
	if (previous)
		bson_destroy(previous);
	/* Counting restarts after a quiet window. Read-then-write may lose a
	 * count under a race; throttling only needs the order of magnitude. */
	bson_t *update = stale
		? BCON_NEW("$set", "{", "failures", BCON_INT64(1), "last_failure_at",
			   BCON_DATE_TIME(now), "}")
		: BCON_NEW("$inc", "{", "failures", BCON_INT64(1), "}", "$set", "{",
			   "last_failure_at", BCON_DATE_TIME(now), "}");
	return doc_upsert_id(req, "throttle", key, update, error);
}

int throttle_clear(struct request *req, const char *key, bson_error_t *error)
{
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(key));
	bool ok = mongoc_collection_delete_one(db_collection(req, "throttle"), filter,
					       NULL, NULL, error);
	bson_destroy(filter);
	return ok ? 0 : -1;
}
