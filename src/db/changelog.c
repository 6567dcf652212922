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

const char *changelog_at(struct db_ctx *db, const struct changelog *log, const char *scope,
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
