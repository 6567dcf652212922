/* The process's copies of account documents (users, sessions, API tokens
 * and their per-user lookup documents), so that a signed-in request costs
 * no database round trip most of the time.
 *
 * Coherence across processes: every write to one of these documents logs
 * the keys it changed in "account_changes" (one small document, _id
 * "<ms, 13 digits>-<random>") and sets a random stamp in meta
 * "version:accounts". Each process reads that stamp by _id from its
 * refresher (every REFRESHER_PERIOD_MS), or, without one, from a request
 * at most every ACCOUNT_CACHE_CHECK_MS; when it moved, it reads the
 * changes logged since its last check and drops those keys. Cached copies are used only while
 * the last successful check is less than ACCOUNT_CACHE_TRUST_MS old, so a
 * logout, a deactivation or a role change takes effect everywhere within a
 * second, and a process that cannot reach the database stops trusting its
 * copies rather than serving them. */
#ifndef COUSILAB_ACCOUNT_CACHE_H
#define COUSILAB_ACCOUNT_CACHE_H

#include <bson/bson.h>
#include <stdbool.h>

struct arena;
struct db_ctx;

enum { ACCOUNT_CACHE_CHECK_MS = 400, ACCOUNT_CACHE_TRUST_MS = 900 };

/* The refresher's task (web/refresher.h): checks the change log through
 * db now, and from then on spares requests the checks. Returns 0, or -1
 * after logging why (the copies are then unused until a check succeeds). */
int account_cache_refresh(struct db_ctx *db);

/* Returns "<collection>/<id>", the key a change names (arena). */
const char *account_key(struct arena *a, const char *collection, const char *id);

/* Returns a copy of the document of collection with _id = id (caller
 * destroys): from this process's copy when it can be trusted and fresh is
 * false, else read from the database and kept. NULL when there is none
 * (error->code 0) or on a database error (error set). */
bson_t *account_doc(struct db_ctx *db, const char *collection, const char *id, bool fresh,
		    bson_error_t *error);

/* Forgets this process's copy of collection/id, without telling the
 * others: for a write only this process cares to see at once (a
 * session's idle clock). */
void account_doc_forget(const char *collection, const char *id);

/* Records that the documents named by keys (account_key strings, n of
 * them) changed: drops them here at once, and logs them so every other
 * process drops them within a second. Call it after the write. Returns 0,
 * or -1 with error set. */
int account_changed(struct db_ctx *db, const char *const *keys, size_t n, bson_error_t *error);

#endif
