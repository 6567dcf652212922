#include "practices/quota.h"

#include <mongoc/mongoc.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/request.h"

static const char COLLECTION[] = "quotas";

bool quota_fits(const struct quota_totals *now, int64_t drafts, int64_t bytes)
{
	if (drafts > 0 && now->drafts + drafts > PRACTICE_QUOTA_DRAFTS)
		return false;
	return bytes <= 0 || now->bytes + bytes <= PRACTICE_QUOTA_BYTES;
}

bool quota_refused(const bson_error_t *error)
{
	return error->domain == PRACTICE_QUOTA_DOMAIN;
}

/* Returns the _id of user's ledger entry seq (arena). */
static const char *entry_id(struct db_ctx *db, const char *user, int64_t seq)
{
	return arena_printf(db->arena, "quota:%s:%09lld", user, (long long)seq);
}

/* Reads entry seq of user into *out. Returns 1 when it exists, 0 when
 * not, -1 with error set. */
static int read_entry(struct db_ctx *db, const char *user, int64_t seq, struct quota_totals *out,
		      bson_error_t *error)
{
	bson_t *doc = doc_find_id(db, COLLECTION, entry_id(db, user, seq), error);
	if (!doc)
		return error->code ? -1 : 0;
	out->drafts = doc_int(doc, "drafts", 0);
	out->bytes = doc_int(doc, "bytes", 0);
	bson_destroy(doc);
	return 1;
}

/* Finds user's last entry: its seq in *seq (0: none yet) and its totals
 * in *out. Returns 0, or -1 with error set. */
static int last_entry(struct db_ctx *db, const char *user, int64_t *seq, struct quota_totals *out,
		      bson_error_t *error)
{
	*out = (struct quota_totals){0, 0};
	bson_t *hint = doc_find_id(db, COLLECTION, arena_printf(db->arena, "quota:%s", user),
				   error);
	if (!hint && error->code)
		return -1;
	*seq = hint ? doc_int(hint, "seq", 0) : 0;
	if (hint)
		bson_destroy(hint);
	if (*seq > 0 && read_entry(db, user, *seq, out, error) < 0)
		return -1;
	/* The hint lags by the changes whose writer has not moved it yet. */
	for (;;) {
		struct quota_totals next;
		int found = read_entry(db, user, *seq + 1, &next, error);
		if (found < 0)
			return -1;
		if (!found)
			return 0;
		*out = next;
		++*seq;
	}
}

int quota_read(struct db_ctx *db, const char *user_id, struct quota_totals *out,
	       bson_error_t *error)
{
	int64_t seq;
	return last_entry(db, user_id, &seq, out, error);
}

/* Inserts entry seq of user with totals t. Returns 1, 0 when another
 * change took seq first, -1 with error set. */
static int claim(struct db_ctx *db, const char *user, int64_t seq, const struct quota_totals *t,
		 bson_error_t *error)
{
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(entry_id(db, user, seq)), "user_id",
			       BCON_UTF8(user), "seq", BCON_INT64(seq), "drafts",
			       BCON_INT64(t->drafts), "bytes", BCON_INT64(t->bytes), "at",
			       BCON_DATE_TIME(doc_now_ms()));
	bool ok = mongoc_collection_insert_one(db_collection(db, COLLECTION), doc, NULL, NULL,
					       error);
	bson_destroy(doc);
	if (ok)
		return 1;
	return error->code == 11000 ? 0 : -1;
}

int quota_change(struct db_ctx *db, const char *user_id, int64_t drafts, int64_t bytes,
		 bson_error_t *error)
{
	for (int attempt = 0; attempt < PRACTICE_QUOTA_RETRIES; attempt++) {
		int64_t seq;
		struct quota_totals now;
		if (last_entry(db, user_id, &seq, &now, error))
			return -1;
		if (!quota_fits(&now, drafts, bytes)) {
			bson_set_error(error, PRACTICE_QUOTA_DOMAIN, 1,
				       "quota of %s: %lld drafts, %lld bytes", user_id,
				       (long long)now.drafts, (long long)now.bytes);
			return -1;
		}
		struct quota_totals after = {now.drafts + drafts, now.bytes + bytes};
		/* Only what was counted is given back, so no total goes below 0;
		 * the guard keeps a hand-edited ledger from going negative. */
		after.drafts = after.drafts < 0 ? 0 : after.drafts;
		after.bytes = after.bytes < 0 ? 0 : after.bytes;
		int won = claim(db, user_id, seq + 1, &after, error);
		if (won < 0)
			return -1;
		if (!won)
			continue;
		/* Best effort: a stale hint only costs the next reader a lookup. */
		bson_error_t ignored;
		doc_upsert_id(db, COLLECTION, arena_printf(db->arena, "quota:%s", user_id),
			      BCON_NEW("$max", "{", "seq", BCON_INT64(seq + 1), "}"), &ignored);
		return 0;
	}
	bson_set_error(error, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_CONFLICT,
		       "quota of %s: %d concurrent changes won", user_id, PRACTICE_QUOTA_RETRIES);
	return -1;
}

void quota_release(struct db_ctx *db, const char *user_id, int64_t drafts, int64_t bytes)
{
	bson_error_t error;
	if (quota_change(db, user_id, -drafts, -bytes, &error))
		log_error(db->log_id, "quota of %s: %lld drafts, %lld bytes not given back: %s",
			  user_id, (long long)drafts, (long long)bytes, error.message);
}
