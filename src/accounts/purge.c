#include "accounts/purge.h"

#include <mongoc/mongoc.h>
#include <stdlib.h>

#include "core/app.h"
#include "core/log.h"
#include "core/ticker.h"
#include "core/xalloc.h"
#include "db/batch.h"
#include "db/db.h"
#include "db/doc.h"

/* A link's claim outlives the link, which lasts 48 h at most. */
enum { LINK_CLAIM_MEMORY_MS = 72 * 3600 * 1000 };

struct purge_cutoffs purge_cutoffs_at(const struct config *cfg, int64_t now_ms)
{
	return (struct purge_cutoffs){
		.session_seen_before = now_ms - (int64_t)cfg->session_idle_s * 1000,
		.session_created_before = now_ms - (int64_t)cfg->session_absolute_s * 1000,
		.token_expired_before = now_ms,
		.link_claim_before = now_ms - LINK_CLAIM_MEMORY_MS,
	};
}

/* Deletes from collection the documents whose field is before cutoff, in
 * batches (a purge after a long stop may be large). Returns how many, or
 * -1. */
static int64_t delete_before(mongoc_client_t *client, const char *dbname, const char *collection,
			     const char *field, int64_t cutoff)
{
	mongoc_collection_t *c = mongoc_client_get_collection(client, dbname, collection);
	bson_t *filter = BCON_NEW(field, "{", "$lt", BCON_DATE_TIME(cutoff), "}");
	bson_error_t error;
	int64_t n = db_delete_batched(c, filter, &error);
	if (n < 0)
		log_error(NULL, "purge %s: %s", collection, error.message);
	bson_destroy(filter);
	mongoc_collection_destroy(c);
	return n;
}

int64_t accounts_purge(struct db *db, const struct config *cfg)
{
	struct purge_cutoffs cut = purge_cutoffs_at(cfg, doc_now_ms());
	const struct {
		const char *collection, *field;
		int64_t cutoff;
	} jobs[] = {
		{"sessions", "last_seen_at", cut.session_seen_before},
		{"sessions", "created_at", cut.session_created_before},
		{"email_tokens", "expires_at", cut.token_expired_before},
		{"email_token_uses", "at", cut.link_claim_before},
		/* Throttle slots and mail claims end with their window. */
		{"throttle", "expires_at", cut.token_expired_before},
		/* Every process syncs within a second; an hour is plenty. */
		{"catalogue_changes", "at", cut.token_expired_before - 3600 * 1000},
		/* Read in full at each check (a range on _id scans on
		 * FerretDB): kept short. A process that missed a minute of
		 * it has stopped trusting its copies long since. */
		{"account_changes", "at", cut.token_expired_before - 60 * 1000},
		/* A lookup list's revision claim matters only while its
		 * writer may still be at work (db/lookup.h: stale after a
		 * minute); the list itself holds the revision reached. */
		{"lookup_claims", "at", cut.token_expired_before - 3600 * 1000},
	};
	mongoc_client_t *client = mongoc_client_pool_pop(db->pool);
	int64_t total = 0;
	for (size_t i = 0; i < sizeof(jobs) / sizeof(*jobs) && total >= 0; i++) {
		int64_t n = delete_before(client, db->name, jobs[i].collection, jobs[i].field,
					  jobs[i].cutoff);
		total = n < 0 ? -1 : total + n;
	}
	mongoc_client_pool_push(db->pool, client);
	return total;
}

struct janitor {
	struct ticker *ticker;
	struct db *db;
	const struct config *cfg;
	long interval_ms;
};

/* One purge; the ticker's job. Returns the wait until the next. */
static long janitor_pass(struct ticker *t, void *ctx)
{
	(void)t;
	struct janitor *j = ctx;
	int64_t n = accounts_purge(j->db, j->cfg);
	if (n > 0)
		log_info(NULL, "purge: %lld expired records deleted", (long long)n);
	return j->interval_ms;
}

struct janitor *purge_janitor_start(struct db *db, const struct config *cfg, long interval_s)
{
	struct janitor *j = xcalloc(1, sizeof(*j));
	j->db = db;
	j->cfg = cfg;
	j->interval_ms = interval_s * 1000;
	j->ticker = ticker_start(janitor_pass, j, 0);
	if (!j->ticker) {
		free(j);
		return NULL;
	}
	return j;
}

void purge_janitor_request_stop(struct janitor *j)
{
	if (j)
		ticker_request_stop(j->ticker);
}

void purge_janitor_stop(struct janitor *j)
{
	if (!j)
		return;
	ticker_stop(j->ticker);
	free(j);
}
