#include "db/changelog.h"

#include <mongoc/mongoc.h>
#include <string.h>

#include "core/arena.h"
#include "db/db.h"
#include "db/doc.h"

/* Writers that find a number taken try the next ones, this many. */
enum { CLAIM_ATTEMPTS = 64 };

static const char *record_id(struct db_ctx *db, const char *scope, int64_t seq)
{
	return arena_printf(db->arena, "%s:%lld", scope, (long long)seq);
}

static const char *hint_id(struct db_ctx *db, const struct changelog *log, const char *scope)
{
	return arena_printf(db->arena, "%s:%s", log->hint_prefix, scope);
}

/* Returns the hint's seq (0 when none: its records before it all exist),
 * or -1 with err set. */
static int64_t hint(struct db_ctx *db, const struct changelog *log, const char *scope,
		    bson_error_t *err)
{
	memset(err, 0, sizeof(*err));
	bson_t *doc = doc_find_id(db, "meta", hint_id(db, log, scope), err);
	if (!doc)
		return err->code ? -1 : 0;
	int64_t seq = doc_int(doc, "seq", 0);
	bson_destroy(doc);
	return seq;
}

/* Returns the id record seq names (db's arena), or NULL: err->code 0
 * when there is no such record. */
static const char *record(struct db_ctx *db, const struct changelog *log, const char *scope,
			  int64_t seq, bson_error_t *err)
{
	memset(err, 0, sizeof(*err));
	bson_t *doc = doc_find_id(db, log->collection, record_id(db, scope, seq), err);
	if (!doc)
		return NULL;
	const char *id = doc_string(db->arena, doc, log->field);
	bson_destroy(doc);
	return id;
}

const char *changelog_at(struct db_ctx *db, const struct changelog *log, const char *scope,
			 int64_t seq, bson_error_t *err)
{
	const char *id = record(db, log, scope, seq, err);
	if (id || err->code)
		return id;
	/* The hint only ever names a claimed number, and numbers are claimed
	 * in a row: at or below it, seq was claimed before the hint was
	 * read. A writer may have claimed it just after the first read, so
	 * only a record still missing on a second read was purged. */
	int64_t last = hint(db, log, scope, err);
	if (last < seq)
		return NULL;
	id = record(db, log, scope, seq, err);
	if (!id && !err->code)
		bson_set_error(err, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_GONE,
			       "change %s:%s:%lld purged", log->collection, scope, (long long)seq);
	return id;
}

bool changelog_gone(const bson_error_t *err)
{
	return err->domain == DB_ERROR_DOMAIN_COUSILAB && err->code == DB_ERROR_GONE;
}

int64_t changelog_head(struct db_ctx *db, const struct changelog *log, const char *scope,
		       bson_error_t *err)
{
	int64_t seq = hint(db, log, scope, err);
	if (seq < 0)
		return -1;
	while (changelog_at(db, log, scope, seq + 1, err))
		seq++;
	return err->code ? -1 : seq;
}

/* Returns when record seq was written (ms), 0 when it is gone, or -1
 * with err set. */
static int64_t written_at(struct db_ctx *db, const struct changelog *log, const char *scope,
			  int64_t seq, bson_error_t *err)
{
	memset(err, 0, sizeof(*err));
	bson_t *doc = doc_find_id(db, log->collection, record_id(db, scope, seq), err);
	if (!doc)
		return err->code ? -1 : 0;
	bson_iter_t it;
	int64_t at = bson_iter_init_find(&it, doc, "at") && BSON_ITER_HOLDS_DATE_TIME(&it)
			     ? bson_iter_date_time(&it)
			     : 0;
	bson_destroy(doc);
	/* A record without a date is as old as can be. */
	return at > 0 ? at : 1;
}

/* Returns the first seq in [lo, hi] for which keep(seq) holds, hi + 1
 * when none, or -1 with err set; keep is false then true along the range
 * (records are purged from the oldest on, and written in time order). */
static int64_t bisect(struct db_ctx *db, const struct changelog *log, const char *scope, int64_t lo,
		      int64_t hi, int64_t before_ms, bool by_time, bson_error_t *err)
{
	hi++;
	while (lo < hi) {
		int64_t mid = lo + (hi - lo) / 2, at = written_at(db, log, scope, mid, err);
		if (at < 0)
			return -1;
		bool keep = by_time ? at >= before_ms : at > 0;
		if (keep)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

long changelog_purge(struct db_ctx *db, const struct changelog *log, const char *scope,
		     int64_t before_ms, bson_error_t *err)
{
	int64_t last = hint(db, log, scope, err);
	if (last <= 0)
		return last < 0 ? -1 : 0;
	int64_t first = bisect(db, log, scope, 1, last, before_ms, false, err);
	int64_t young = first < 0 ? -1 : bisect(db, log, scope, first, last, before_ms, true, err);
	if (young < 0)
		return -1;
	int64_t end = young - first > CHANGELOG_PURGE_BATCH ? first + CHANGELOG_PURGE_BATCH : young;
	if (end <= first)
		return 0;
	/* Ordered, oldest first: what is gone is always a prefix, which both
	 * bisections and changelog_at rely on. */
	bson_t opts = BSON_INITIALIZER;
	BSON_APPEND_BOOL(&opts, "ordered", true);
	mongoc_bulk_operation_t *bulk = mongoc_collection_create_bulk_operation_with_opts(
		db_collection(db, log->collection), &opts);
	bson_destroy(&opts);
	bool ok = true;
	for (int64_t seq = first; ok && seq < end; seq++) {
		bson_t *selector = BCON_NEW("_id", BCON_UTF8(record_id(db, scope, seq)));
		ok = mongoc_bulk_operation_remove_one_with_opts(bulk, selector, NULL, err);
		bson_destroy(selector);
	}
	bson_t reply = BSON_INITIALIZER;
	ok = ok && mongoc_bulk_operation_execute(bulk, &reply, err) != 0;
	long deleted = ok ? (long)doc_int(&reply, "nRemoved", 0) : -1;
	bson_destroy(&reply);
	mongoc_bulk_operation_destroy(bulk);
	return deleted;
}

bool changelog_purge_due(_Atomic int64_t *last_ms, int64_t now_ms)
{
	int64_t last = atomic_load(last_ms);
	return now_ms - last >= CHANGELOG_PURGE_EVERY_MS &&
	       atomic_compare_exchange_strong(last_ms, &last, now_ms);
}

/* Inserts record seq for id. Returns 1 when inserted, 0 when the number
 * is taken, -1 with err set. */
static int claim(struct db_ctx *db, const struct changelog *log, const char *scope, int64_t seq,
		 const char *id, bson_error_t *err)
{
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(record_id(db, scope, seq)), log->field,
			       BCON_UTF8(id), "at", BCON_DATE_TIME(doc_now_ms()));
	bool ok = mongoc_collection_insert_one(db_collection(db, log->collection), doc, NULL, NULL,
					       err);
	bson_destroy(doc);
	if (ok)
		return 1;
	return err->code == 11000 ? 0 : -1;
}

int64_t changelog_append(struct db_ctx *db, const struct changelog *log, const char *scope,
			 const char *id, bson_error_t *err)
{
	int64_t seq = hint(db, log, scope, err);
	if (seq < 0)
		return -1;
	int rc = 0;
	for (int i = 0; i < CLAIM_ATTEMPTS && (rc = claim(db, log, scope, ++seq, id, err)) == 0;
	     i++)
		;
	if (rc <= 0) {
		if (rc == 0)
			bson_set_error(err, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_CONFLICT,
				       "no free change number in %s:%s", log->collection, scope);
		return -1;
	}
	/* A hint only: a late writer may set it lower, and readers then
	 * look a few numbers further. */
	bson_t *set = BCON_NEW("$set", "{", "seq", BCON_INT64(seq), "}");
	if (doc_upsert_id(db, "meta", hint_id(db, log, scope), set, err))
		return -1;
	return seq;
}
