/* Per-user quotas of cousiSTORE, enforced on the server: practices in
 * progress and bytes of toolbox files.
 *
 * What counts, exactly:
 * - drafts: +1 when a user creates a practice (its author); -1 when one of
 *   the practices so counted is published or archived. A submitted or
 *   returned practice still counts: it is not out of its author's hands.
 *   The practice records whom it was counted for in "quota_user".
 * - bytes: +size when a user stores a toolbox file (whoever uploads it,
 *   author or coordinator); -size when that resource is removed, given
 *   back to the uploader, recorded in the resource's "quota_user".
 * Practices and files stored before the quotas existed carry no
 * quota_user: they are neither counted nor given back.
 *
 * Counting never scans. Each user has a ledger in collection "quotas":
 *   "quota:<user id>:<seq>"  {_id, user_id, seq, drafts, bytes, at}: the
 *                            totals after the user's change number seq;
 *   "quota:<user id>"        {_id, seq}: the last seq written, a hint that
 *                            may lag behind (never ahead).
 * A change reads the hint, follows the entries after it by _id to the
 * last one, and inserts the next. The unique _id is the claim: of two
 * concurrent changes one takes seq + 1, the other gets a duplicate key,
 * reads again and decides on the new totals. So no change is lost and a
 * limit is never overshot, on FerretDB (whose $inc and conditional
 * updates are a read, then a write) as on MongoDB. Entries are kept: one
 * small document per change, read only by _id.
 *
 * A write is claimed before it is made and given back if it fails; when
 * the give-back fails too (the database just went away), the user is
 * charged for nothing, which only ever refuses early. That is logged. */
#ifndef COUSILAB_PRACTICE_QUOTA_H
#define COUSILAB_PRACTICE_QUOTA_H

#include <bson/bson.h>
#include <stdbool.h>
#include <stdint.h>

struct db_ctx;

enum {
	PRACTICE_QUOTA_DRAFTS = 20,    /* practices in progress per author */
	PRACTICE_QUOTA_DOMAIN = 10001, /* bson_error_t domain of a refusal */
	PRACTICE_QUOTA_RETRIES = 16,   /* claims lost to concurrent changes */
};
/* Bytes of toolbox files per user: 1024 Mo, Mo being MiB. Twice the
 * largest file a toolbox takes (a 500 Mo video, files/rules.h), so that
 * every per-kind limit stays reachable; well under it for documents. */
#define PRACTICE_QUOTA_BYTES ((int64_t)1024 * 1024 * 1024)

/* A user's totals. */
struct quota_totals {
	int64_t drafts;
	int64_t bytes;
};

/* Returns true when totals now may take the change (drafts, bytes): a
 * decrease always fits; an increase when its total stays within its
 * limit (PRACTICE_QUOTA_DRAFTS, PRACTICE_QUOTA_BYTES). Pure. */
bool quota_fits(const struct quota_totals *now, int64_t drafts, int64_t bytes);

/* Reads user_id's totals into *out. Returns 0, or -1 with error set. */
int quota_read(struct db_ctx *db, const char *user_id, struct quota_totals *out,
	       bson_error_t *error);

/* Adds (drafts, bytes) to user_id's totals when quota_fits. Returns 0;
 * or -1 with error set: in domain PRACTICE_QUOTA_DOMAIN when the change
 * does not fit (nothing written), else a database error. */
int quota_change(struct db_ctx *db, const char *user_id, int64_t drafts, int64_t bytes,
		 bson_error_t *error);

/* Gives back (drafts, bytes), both >= 0, to user_id: a counted practice
 * left the drafts, a counted file was removed, or a claimed write failed.
 * A failure is logged (the user stays charged: see above). */
void quota_release(struct db_ctx *db, const char *user_id, int64_t drafts, int64_t bytes);

/* Returns true when error is quota_change's refusal. Pure. */
bool quota_refused(const bson_error_t *error);

#endif
